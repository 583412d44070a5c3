"""Pages for educators: presenter notes for an injection, and the session guide."""

from __future__ import annotations

from collections.abc import Mapping

from backpain_edu.catalog import Catalog
from backpain_edu.models import Injection
from backpain_edu.render.document import Block, Citations, Page, Section, Table


def presenter_notes_page(injection: Injection, catalog: Catalog) -> Page:
    """What to stress when presenting one injection, with the sources behind each point."""
    cite = Citations(catalog)
    notes = Section("What to stress", cite.statements(injection.presenter_notes), "notes")
    title = f"Presenter notes: {injection.title}"
    return Page(title, f"notes-{injection.id}", catalog.notice, None, (notes,), (), cite.sources())


def educator_guide_page(catalog: Catalog, titles: Mapping[str, str]) -> Page:
    """Learning goals and discussion questions per notebook, then a 45-minute session plan.

    ``titles`` maps notebook file names to page titles (the notebooks' own metadata).
    """
    guide = catalog.educator_guide
    sections = []
    for entry in guide.notebooks:
        title = titles.get(entry.notebook, entry.notebook)
        goals = Section("Learning goals", tuple(Block(g) for g in entry.goals), "goals")
        discuss = Section("To discuss", tuple(Block(q) for q in entry.discuss), "discuss")
        anchor = entry.notebook.removesuffix(".ipynb")
        link = Block(f"Open {title}", href=f"../{entry.notebook}")
        sections.append(Section(title, (link,), anchor, subsections=(goals, discuss)))
    rows = tuple(
        (Block(f"{step.minutes} min"), Block(step.activity), Block(titles.get(step.notebook, step.notebook or "")))
        for step in guide.session_plan
    )
    plan = Table("A 45-minute session", ("Time", "What to do", "Page"), rows)
    sections.append(Section("A suggested 45-minute session", (), "session", table=plan))
    return Page(guide.title, "educator-guide", guide.intro, None, tuple(sections), (), ())
