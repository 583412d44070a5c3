"""A tool page's preview: the tool as it first shows, as plain HTML for the page's first response."""

from __future__ import annotations

import re
from html import escape

import pytest

from backpain_edu.catalog import Catalog
from backpain_edu.widgets import CarePlanTool, ChecklistTool, DiaryTool
from backpain_edu.widgets.preview import PREVIEW_CLASS, render_preview, tool_previews


def test_the_checklist_preview_asks_every_question_the_tool_first_shows_in_its_order_and_nothing_else(
    catalog: Catalog,
) -> None:
    tool = ChecklistTool(catalog)
    preview = render_preview(tool.widget)
    flags, reasons, checklist = catalog.red_flags, catalog.contraindications, catalog.checklist
    shown = [*flags.signs, *reasons.items, *checklist.signals, *checklist.locations]
    places = [preview.index(f"<li>{escape(item.question)}</li>") for item in shown]
    assert places == sorted(places)
    # Red flags first: their heading comes before any other step's.
    assert preview.index(escape(flags.title)) < preview.index(escape(reasons.title)) < places[len(flags.signs)]
    # The part the tool hides at first (what was tried, under one signal) is not in it.
    assert escape(checklist.tried_care.question) not in preview
    assert preview.startswith(f'<div class="{PREVIEW_CLASS}">')
    # Nothing twice on the page once the tool is drawn: no id (nor what points at one), no second stylesheet.
    assert not re.search(r' (id|for|aria-labelledby)="', preview) and "<style>" not in preview


def test_a_preview_leaves_out_buttons_and_follows_what_the_tool_shows(catalog: Catalog) -> None:
    care = CarePlanTool(catalog)
    preview = render_preview(care.widget)
    words = catalog.labels.care_plan
    assert f">{escape(words.make_pdf)}<" not in preview and f">{escape(words.print_view)}<" not in preview
    assert f"<li>{escape(catalog.care_options.goals[0].title)}</li>" in preview
    # Ticking a part of care shows how often: the preview of a tool follows its widgets' state.
    weekly = next(c for c in catalog.care_options.components if c.weekly)
    how_often = escape(words.how_often.format(part=weekly.title.lower()))
    assert how_often not in preview
    care.parts[weekly.id].value = True
    assert how_often in render_preview(care.widget)


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_tool_page_has_a_preview_in_its_language(language: str) -> None:
    from backpain_edu.catalog import CONTENT_DIR, load_catalog_from
    from backpain_edu.deployment import Deployment

    catalog = load_catalog_from(CONTENT_DIR, Deployment.from_environ({}), None if language == "en" else language)
    previews = tool_previews(catalog)
    assert set(previews) == {page.notebook for page in catalog.site_map.pages if page.widgets}
    assert escape(catalog.red_flags.signs[0].question) in previews[catalog.site_map.notebook("checklist")]
    diary = previews[catalog.site_map.notebook("diary")]
    assert f"<li>{escape(catalog.labels.diary.hour)}</li>" in diary
    assert render_preview(DiaryTool(catalog).widget) == diary
