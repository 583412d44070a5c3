"""Educator mode: slides metadata in every notebook, presenter notes kept out of the patient app,
and a guide that covers every page with a 45-minute plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from backpain_edu.catalog import Catalog, load_catalog_from
from backpain_edu.display import _in_voila
from backpain_edu.models import ContentError
from backpain_edu.render.educator import educator_guide_page
from backpain_edu.render.html import render_page
from tests.conftest import REPO

NOTEBOOKS = REPO / "notebooks"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_every_notebook_cell_has_slide_metadata() -> None:
    for path in sorted(NOTEBOOKS.rglob("*.ipynb")):
        for cell in _cells(path):
            slide_type = cell["metadata"]["slideshow"]["slide_type"]
            assert slide_type in {"slide", "subslide", "fragment", "notes", "skip"}, path.name


def test_presenter_notes_stay_out_of_the_voila_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    assert not _in_voila()
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    assert _in_voila()


def test_a_guide_entry_for_a_page_the_app_does_not_have_is_refused(content_copy: Path) -> None:
    # A new page needs only its site-map entry and its notebook; the guide may add goals for it later.
    path = content_copy / "educator_guide.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["notebooks"][0]["notebook"] = "99_not_a_page.ipynb"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert (caught.value.file, caught.value.field) == ("educator_guide.yaml", "notebooks[0].notebook")


def test_the_session_plan_names_app_pages_only(catalog: Catalog) -> None:
    pages = {page.notebook for page in catalog.site_map.pages}
    planned = {step.notebook for step in catalog.educator_guide.session_plan if step.notebook}
    assert planned <= pages


def test_the_guide_page_links_each_notebook_and_shows_the_plan(catalog: Catalog) -> None:
    titles = {page.notebook: page.title for page in catalog.site_map.pages}
    html = render_page(educator_guide_page(catalog, titles))
    for file in titles:
        assert f'href="../{file}"' in html
    assert "A suggested 45-minute session" in html


def test_a_session_plan_that_is_not_45_minutes_is_refused(content_copy: Path) -> None:
    path = content_copy / "educator_guide.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["session_plan"][0]["minutes"] += 5
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert (caught.value.file, caught.value.field) == ("educator_guide.yaml", "session_plan")
    assert "45 minutes" in caught.value.problem
