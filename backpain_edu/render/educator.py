"""Pages for educators: presenter notes for an injection, and the session guide."""

from __future__ import annotations

from collections.abc import Mapping

from backpain_edu.catalog import Catalog
from backpain_edu.render.citations import Citations
from backpain_edu.render.page import Block, Page, Section, Table
from backpain_edu.render.slides import Deck


def presenter_notes_page(deck: Deck, slide: str, catalog: Catalog) -> Page:
    """What to stress on one slide of a deck, with the sources behind each point (RISE speaker notes)."""
    cite, words = Citations(catalog), catalog.labels.educator
    notes = Section(words.stress, cite.statements(deck.notes_for(slide)), "notes")
    return cite.page(words.notes_title.format(title=deck.page.title), f"notes-{deck.id}-{slide}", (notes,))


def educator_guide_page(catalog: Catalog, titles: Mapping[str, str]) -> Page:
    """Learning goals and discussion questions per notebook, then a 45-minute session plan.

    ``titles`` maps notebook file names to page titles (from the site map).
    """
    guide, words = catalog.educator_guide, catalog.labels.educator
    sections = []
    for entry in guide.notebooks:
        title = titles.get(entry.notebook, entry.notebook)
        goals = Section(words.goals, tuple(Block(g) for g in entry.goals), "goals")
        discuss = Section(words.discuss, tuple(Block(q) for q in entry.discuss), "discuss")
        anchor = entry.notebook.removesuffix(".ipynb")
        link = Block(words.open_page.format(title=title), href=f"../{entry.notebook}")
        sections.append(Section(title, (link,), anchor, subsections=(goals, discuss)))
    rows = tuple(
        (
            Block(words.minutes.format(minutes=step.minutes)),
            Block(step.activity),
            Block(titles.get(step.notebook, step.notebook or "")),
        )
        for step in guide.session_plan
    )
    plan = Table(words.session_caption, (words.time_column, words.activity_column, words.page_column), rows)
    sections.append(Section(words.session_title, (), "session", table=plan))
    return Page(
        title=guide.title,
        slug="educator-guide",
        notice=guide.intro,
        words=catalog.labels.page,
        sections=tuple(sections),
        language=catalog.language,
    )
