"""Decks: each page cut into slides for RISE says all the page says, once, in the same words and
source numbers; each slide's presenter notes; the notebooks hold exactly their deck's cells; and in
the patient app (Voila) slides and notes show nothing. The browser test (tests/browser/test_slides.py)
checks the slides in RISE at 1280x720."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import get_args

import nbformat
import pytest
import yaml

from backpain_edu import display
from backpain_edu.app.configuration import NOTEBOOKS_DIR
from backpain_edu.app.decks import deck_cells, deck_ids, with_deck
from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog_from, load_languages
from backpain_edu.models import ContentError
from backpain_edu.render.html import render_page, render_slide
from backpain_edu.render.page import Block, Section
from backpain_edu.render.slides import MORE_SOURCES, PLANS_AND_SLIDES, SOURCES_PER_SLIDE, deck

CATALOGS = {
    language.code: load_catalog_from(CONTENT_DIR, language=language.code) for language in load_languages().languages
}
DECKS = [(code, deck_id) for code, catalog in CATALOGS.items() for deck_id in deck_ids(catalog)]
NOT_TALKED_OVER = {"title", "sources"}
"""The slides that need no presenter note: the title and the list of sources."""


def _statements(sections: tuple[Section, ...]) -> list[Block]:
    """Every cited block of these sections: leads, items, table cells, at every depth."""
    found: list[Block] = []
    for section in sections:
        found += [block for block in (section.lead, *section.blocks) if block and block.cites]
        if section.table:
            found += [cell for row in section.table.rows for cell in row if cell.cites]
        found += _statements(section.subsections)
    return found


def test_each_plan_names_exactly_the_slides_its_notes_may_name() -> None:
    for plan, names in PLANS_AND_SLIDES:
        assert tuple(name for name, _ in plan) == get_args(names)


@pytest.mark.parametrize(("language", "deck_id"), DECKS)
def test_every_statement_of_the_page_is_on_exactly_one_slide(language: str, deck_id: str) -> None:
    shown = deck(deck_id, CATALOGS[language])
    slides = [render_slide(shown.part(part)) for part in shown.parts()]
    whole = render_page(shown.page)
    statements = _statements(shown.page.sections) + ([shown.page.summary] if shown.page.summary else [])
    assert statements
    for block in statements:
        text = escape(block.text)
        assert sum(slide.count(text) for slide in slides) == whole.count(text), block.text
    # The same sources, in the same order, under the same numbers: each once, on the last slide's cells (a long
    # list goes on to a second cell, which starts where the first stopped).
    sources_cells = [
        slide for name, slide in zip(shown.parts(), slides, strict=True) if name in ("sources", MORE_SOURCES)
    ]
    assert [ref.title for ref in shown.page.sources]
    for number, ref in enumerate(shown.page.sources, 1):
        holding = [cell for cell in sources_cells if f'id="src-{shown.page.slug}-slide-{number}"' in cell]
        assert len(holding) == 1 and escape(ref.title) in holding[0], (deck_id, number)
    assert (len(sources_cells) == 2) == (len(shown.page.sources) > SOURCES_PER_SLIDE)
    if len(sources_cells) == 2:
        assert f'<ol start="{SOURCES_PER_SLIDE + 1}">' in sources_cells[1]
    assert len(set(shown.parts())) == len(shown.parts())


@pytest.mark.parametrize(("language", "deck_id"), DECKS)
def test_every_slide_but_the_title_and_sources_has_presenter_notes(language: str, deck_id: str) -> None:
    shown = deck(deck_id, CATALOGS[language])
    missing = [name for name, _ in shown.plan if name not in NOT_TALKED_OVER and not shown.notes_for(name)]
    assert missing == []


@pytest.mark.parametrize(("language", "deck_id"), DECKS)
def test_slides_say_their_language_and_never_repeat_an_id_of_the_page_beside_them(language: str, deck_id: str) -> None:
    shown = deck(deck_id, CATALOGS[language])
    slides = "".join(render_slide(shown.part(part)) for part in shown.parts())
    assert set(re.findall(r'\blang="([^"]+)"', slides)) == {language}
    # reveal.js takes any <section> in a slide for a slide of its own, and hides it.
    assert "<section" not in slides
    ids = re.findall(r'\bid="([^"]+)"', slides + render_page(shown.page))
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("language", CATALOGS)
def test_each_notebook_holds_exactly_its_decks_cells(language: str) -> None:
    # Every language's: the browser walks one translated deck (tests/browser/test_slides.py), these hold the others.
    catalog = CATALOGS[language]
    folder = NOTEBOOKS_DIR if language == load_languages().source.code else NOTEBOOKS_DIR / language
    for deck_id in deck_ids(catalog):
        path = folder / catalog.site_map.notebook(deck_id)
        notebook = nbformat.read(path, as_version=4)
        expected = with_deck(notebook, deck(deck_id, catalog))
        assert notebook.metadata["rise"] == expected.metadata["rise"] == {"transition": "none"}
        assert [(c.id, c.source, c.metadata) for c in notebook.cells] == [
            (c.id, c.source, c.metadata) for c in expected.cells
        ]
        assert len(deck_cells(deck(deck_id, catalog))) == len(deck(deck_id, catalog).parts()) + len(
            deck(deck_id, catalog).plan
        )


def test_a_note_naming_a_slide_that_does_not_exist_fails_naming_file_and_field(content_copy: Path) -> None:
    path = content_copy / "injections" / "epidural-steroid.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["presenter_notes"][0]["slide"] = "warm-up"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert caught.value.file == "injections/epidural-steroid.yaml"
    assert "presenter_notes" in caught.value.field and "slide" in caught.value.field


def test_slides_and_notes_show_in_jupyterlab_and_nothing_in_the_patient_app(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(display, "_show", shown.append)
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    injection = catalog.injections[0]
    note = next(n for n in injection.presenter_notes if n.slide == "questions")
    display.show_slide(injection.id, "questions")
    display.show_presenter_notes(injection.id, "questions")
    display.show_presenter_notes(injection.id, "sources")  # no notes: nothing, not an empty box
    assert len(shown) == 2 and "bpe-slide" in shown[0] and escape(note.text) in shown[1]
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    display.show_slide(injection.id, "questions")
    display.show_presenter_notes(injection.id, "questions")
    assert len(shown) == 2


def test_an_unknown_deck_part_or_slide_is_named(catalog: Catalog) -> None:
    shown = deck(catalog.injections[0].id, catalog)
    with pytest.raises(KeyError, match="no part 'what-happens'.*what-happens/before"):
        shown.part("what-happens")
    with pytest.raises(KeyError, match="no slide 'intro'"):
        shown.notes_for("intro")
