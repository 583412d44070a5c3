"""Decks: a page cut into slides, one idea each, for an educator presenting in JupyterLab with RISE.

A deck is a plan over a page that already exists (the same builders, so the same text and the same
source numbers). Each slide of the plan is a horizontal RISE slide holding one or more parts of the
page, one notebook cell each: the first cell is the ``slide``, the others ``subslide``\\s below it.
A part is a section's anchor, one subsection as ``section/subsection``, or one table row as
``section/row``; a section shows without the parts that have a cell of their own. ``title``,
``glossary`` and ``sources`` are the page's own. The patient app shows the page whole and no slide.

The slide names are the models' (``InjectionSlide`` ...), so a presenter note names its slide in
content and fails on load if there is no such slide; the tests check that every part of a page is on
exactly one slide and that no slide overflows 1280x720 in RISE.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backpain_edu.catalog import Catalog
from backpain_edu.models import CompareNote, CompareSlide, InjectionNote, InjectionSlide, StartNote, StartSlide
from backpain_edu.render.page import Block, Page, Section, SlidePart, Table
from backpain_edu.render.reading_pages import (
    HARM_COUNTED,
    MAIN_POINTS,
    OPTION_ROWS,
    TEST_STEPS,
    injection_page,
    start_page,
)
from backpain_edu.render.tool_pages import COMPARE, COMPARE_ROWS, FULL_GUIDE_ROW, comparison_page

Plan = tuple[tuple[str, tuple[str, ...]], ...]
"""Each slide's name and the parts of the page it shows, in order."""
SOURCES_PER_SLIDE = 18
"""Sources one 1280x720 slide lists by title in two columns; a longer list goes on to a second cell."""
MORE_SOURCES = "more-sources"
Note = InjectionNote | StartNote | CompareNote
"""A presenter note, which names its slide."""

START = "start"
"""The start page's deck id (an injection's deck is its id; the comparison's is ``compare``)."""

INJECTION_PLAN: Plan = (
    ("title", ("title", MAIN_POINTS)),
    ("what-it-is", ("what-it-is",)),
    ("who-for", ("used-for", "who-should-not", "how-often")),
    (
        "what-happens",
        (
            "what-happens/before",
            "what-happens/during",
            "what-happens/after",
            "what-happens/recovery",
            "what-happens/if-pain-returns",
            f"what-happens/{TEST_STEPS}",
        ),
    ),
    ("benefits", ("benefits", "how-sure/how-big")),
    (
        "risks",
        (
            "side-effects",
            f"side-effects/{HARM_COUNTED}",
            "serious-risks",
            "warning-signs",
            "warning-signs/at-once",
            "warning-signs/call-doctor",
        ),
    ),
    ("how-sure", ("how-sure", "how-sure/findings")),
    ("decision", ("decision", *(f"decision/{row}" for row in OPTION_ROWS))),
    ("questions", ("alternatives", "questions")),
    ("sources", ("glossary", "sources", MORE_SOURCES)),
)
START_PLAN: Plan = (
    ("title", ("title",)),
    ("urgent-symptoms", ("urgent-symptoms", "urgent-symptoms/emergency", "urgent-symptoms/same-day")),
    ("about", ("about",)),
    ("guides", ("guides", "tools")),
    ("evidence", ("evidence",)),
    ("care", ("care",)),
    ("sources", ("glossary", "sources", MORE_SOURCES)),
)
COMPARE_PLAN: Plan = (
    ("title", ("title",)),
    *((row, (f"at-a-glance/{row}",)) for row in (*(row_id for row_id, _, _ in COMPARE_ROWS), FULL_GUIDE_ROW)),
    ("sources", ("sources", MORE_SOURCES)),
)
PLANS_AND_SLIDES = ((INJECTION_PLAN, InjectionSlide), (START_PLAN, StartSlide), (COMPARE_PLAN, CompareSlide))
"""Each plan with the slide names its notes may use: the tests check they are the same names."""


@dataclass(frozen=True)
class Deck:
    """A page, its plan, and the presenter notes for its slides (each note names its slide)."""

    id: str
    page: Page
    plan: Plan
    notes: tuple[Note, ...]

    def parts(self) -> tuple[str, ...]:
        """Every part, in slide order: one notebook cell each."""
        return tuple(part for _, parts in self.plan for part in parts)

    def notes_for(self, slide: str) -> tuple[Note, ...]:
        """The presenter notes of one slide, in content order."""
        if slide not in dict(self.plan):
            raise KeyError(f"deck '{self.id}' has no slide '{slide}' (it has: {', '.join(dict(self.plan))})")
        return tuple(note for note in self.notes if note.slide == slide)

    def part(self, name: str) -> SlidePart:
        """What one cell of the deck shows."""
        if name not in self.parts():
            raise KeyError(f"deck '{self.id}' has no part '{name}' (it has: {', '.join(self.parts())})")
        count = len(self.page.sources)
        if name == "sources":
            return SlidePart(page=self.page, sources=True, source_numbers=range(1, min(count, SOURCES_PER_SLIDE) + 1))
        if name == MORE_SOURCES:
            return SlidePart(page=self.page, sources=True, source_numbers=range(SOURCES_PER_SLIDE + 1, count + 1))
        if name in ("title", "glossary"):
            return SlidePart(page=self.page, **{name: True})
        anchor, _, inner = name.partition("/")
        section = next(s for s in self.page.sections if s.anchor == anchor)
        if not inner:
            # The section without the subsections, or the table rows, that have their own cell.
            shown = tuple(sub for sub in section.subsections if f"{anchor}/{sub.anchor}" not in self.parts())
            table = section.table
            if table and any(f"{anchor}/{row}" in self.parts() for row in table.row_ids):
                table = None
            return SlidePart(page=self.page, sections=(replace(section, subsections=shown, table=table),))
        if section.table and inner in section.table.row_ids:
            return SlidePart(page=self.page, heading=section.heading, sections=(_row(section, inner),))
        sub = next(s for s in section.subsections if s.anchor == inner)
        return SlidePart(page=self.page, heading=section.heading, sections=(sub,))


def _row(section: Section, row_id: str) -> Section:
    """One row of a table as its own small table: a row per column (each injection and its cell)."""
    table = section.table
    assert table is not None
    header, *cells = table.rows[table.row_ids.index(row_id)]
    rows = tuple((Block(column), cell) for column, cell in zip(table.columns[1:], cells, strict=True))
    small = Table(f"{table.caption}: {header.text}", ("", header.text), rows, sentences=True)
    return Section(header.text, (), f"{section.anchor}-{row_id}", table=small)


def deck(deck_id: str, catalog: Catalog) -> Deck:
    """The deck of the start page (``start``), the comparison (``compare``) or an injection (its id)."""
    notes = catalog.site.presenter_notes
    if deck_id == START:
        page = start_page(catalog)
        return Deck(deck_id, page, _parts_on(page, START_PLAN), notes.start)
    if deck_id == COMPARE:
        page = comparison_page(catalog)
        return Deck(deck_id, page, _parts_on(page, COMPARE_PLAN), notes.compare)
    injection = catalog.injection(deck_id)
    page = injection_page(injection, catalog)
    return Deck(deck_id, page, _parts_on(page, INJECTION_PLAN), injection.presenter_notes)


def _parts_on(page: Page, plan: Plan) -> Plan:
    """The plan without the subsections this page does not have (a picture of a counted harm is on some pages)."""

    def shown(part: str) -> bool:
        if part == MORE_SOURCES:
            return len(page.sources) > SOURCES_PER_SLIDE
        anchor, _, inner = part.partition("/")
        section = next((s for s in page.sections if s.anchor == anchor), None)
        if not inner or section is None:
            return True
        rows = section.table.row_ids if section.table else ()
        return inner in rows or any(sub.anchor == inner for sub in section.subsections)

    return tuple((slide, tuple(part for part in parts if shown(part))) for slide, parts in plan)
