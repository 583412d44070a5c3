"""The tool pages: one registry, one notebook each, linked from the start page; injection pages
carry their knowledge check and question list."""

from __future__ import annotations

import json

from backpain_edu.app.decks import DECK_CALLS
from backpain_edu.catalog import Catalog
from backpain_edu.render.reading_pages import injection_notebook
from tests.conftest import REPO

SHOWS = {"07_checklist.ipynb": "show_checklist()", "08_care_plan.ipynb": "show_care_plan()",
         "09_compare.ipynb": "show_comparison()", "10_pain_diary.ipynb": "show_pain_diary()"}  # fmt: skip


def _notebook(name: str) -> dict:
    return json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))


def _own_cells(notebook: dict) -> list[dict]:
    """The page's own cells: not its slides (``app/decks.py``), which the patient app shows empty."""
    return [cell for cell in notebook["cells"] if not "".join(cell["source"]).startswith(DECK_CALLS)]


def _source(notebook: dict) -> str:
    return "".join("".join(cell["source"]) for cell in _own_cells(notebook))


def test_each_tool_page_has_a_short_notebook_under_its_site_map_title(catalog: Catalog) -> None:
    assert [t.notebook for t in catalog.site_map.tools] == list(SHOWS)
    for tool in catalog.site_map.tools:
        notebook = _notebook(tool.notebook)
        assert notebook["metadata"]["title"] == tool.title
        assert notebook["metadata"]["kernelspec"]["name"] == "python3"
        assert SHOWS[tool.notebook] in _source(notebook)
        assert len(_own_cells(notebook)) == 1 and len(_source(notebook).splitlines()) <= 5


def test_each_injection_page_ends_with_its_knowledge_check_and_question_list(catalog: Catalog) -> None:
    for injection in catalog.injections:
        cells = _own_cells(_notebook(injection_notebook(injection, catalog)))
        calls = ["".join(cell["source"]).splitlines()[-1] for cell in cells]
        assert calls == [
            f'show_injection("{injection.id}")',
            f'show_knowledge_check("{injection.id}")',
            f'show_question_list("{injection.id}")',
        ]
