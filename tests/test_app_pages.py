"""The site map (content/pages.yaml) is the one page list: menu, links, tools, what the server renders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from backpain_edu.app.configuration import NOTEBOOKS_DIR
from backpain_edu.app.pages import AppPage, NoPagesError, navigation, site_pages
from backpain_edu.catalog import Catalog, load_catalog_from
from backpain_edu.models import ContentError


def _write(folder: Path, name: str) -> None:
    (folder / name).write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")


def test_pages_come_in_site_map_order_with_its_titles(tmp_path: Path, catalog: Catalog) -> None:
    first, second = catalog.site_map.pages[:2]
    _write(tmp_path, second.notebook)
    _write(tmp_path, first.notebook)
    assert site_pages(catalog.site_map, tmp_path) == (
        AppPage(first.notebook, first.title, first.kind),
        AppPage(second.notebook, second.title, second.kind),
    )


def test_notebooks_outside_the_site_map_are_never_pages(tmp_path: Path, catalog: Catalog) -> None:
    _write(tmp_path, catalog.site_map.pages[0].notebook)
    _write(tmp_path, "99_not_listed.ipynb")
    _write(tmp_path, ".hidden.ipynb")
    assert [page.file for page in site_pages(catalog.site_map, tmp_path)] == [catalog.site_map.pages[0].notebook]


def test_a_folder_without_any_site_map_notebook_is_an_error_naming_the_folder(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(NoPagesError, match=str(tmp_path)):
        site_pages(catalog.site_map, tmp_path)


def test_every_site_map_page_has_its_notebook_under_the_same_title(catalog: Catalog) -> None:
    pages = site_pages(catalog.site_map, NOTEBOOKS_DIR)
    assert [page.file for page in pages] == [page.notebook for page in catalog.site_map.pages]
    assert sorted(path.name for path in NOTEBOOKS_DIR.glob("*.ipynb")) == sorted(page.file for page in pages)
    for page in pages:
        metadata = json.loads((NOTEBOOKS_DIR / page.file).read_text(encoding="utf-8"))["metadata"]
        assert page.title == metadata["title"], page.file


def test_the_site_map_gives_every_injection_one_page_in_the_catalogs_order(catalog: Catalog) -> None:
    presented = [page.injection for page in catalog.site_map.pages if page.injection]
    assert presented == [injection.id for injection in catalog.injections]
    assert [page.id for page in catalog.site_map.tools] == ["checklist", "care-plan", "compare", "diary"]


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (lambda d: d["pages"][2].update(id="start"), "pages[2].id", "used twice"),
        (lambda d: d["pages"][3].update(notebook="00_start_here.ipynb"), "pages[3].notebook", "used twice"),
        (lambda d: d["pages"][1].update(injection="botox"), "pages[1].injection", "unknown injection 'botox'"),
        (lambda d: d["pages"].pop(1), "pages", "epidural-steroid"),
        (lambda d: d["pages"][0].update(kind="video"), "pages[0].kind", "reading"),
        (lambda d: d["pages"][7].update(injection="facet-joint"), "pages[7].injection", "only a reading page"),
    ],
)
def test_a_broken_site_map_fails_naming_the_field(content_copy: Path, change, field: str, problem: str) -> None:
    path = content_copy / "pages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert caught.value.file == "pages.yaml" and caught.value.field == field and problem in caught.value.problem


def test_navigation_is_plain_data_for_the_template() -> None:
    assert navigation((AppPage("00_a.ipynb", "A", "tool"),)) == [
        {"file": "00_a.ipynb", "stem": "00_a", "title": "A", "kind": "tool"}
    ]


def test_each_translations_notebooks_are_the_english_ones_calling_use_language_first() -> None:
    """notebooks/<code>/ is made by `backpain-edu language-notebooks`: committed as made, never edited."""
    import nbformat

    from backpain_edu.app.configuration import NOTEBOOKS_DIR
    from backpain_edu.app.pages import translated_notebooks

    made = translated_notebooks(NOTEBOOKS_DIR)
    assert {path.parent.name for path in made} == {"es"}
    assert len(made) == len(list(NOTEBOOKS_DIR.glob("*.ipynb")))
    for path, notebook in made.items():
        committed = nbformat.read(path, as_version=4)
        assert committed == notebook, f"{path} differs: run `backpain-edu language-notebooks`"
        assert 'use_language("es")' in committed.cells[0].source
