"""The slide cells of a page's notebook, made from its deck (``render/slides.py``).

A deck's notebook keeps the page's own cells (the whole page, the knowledge check ...), marked
``skip`` so RISE leaves them out, and after its first cell holds one cell per part of the deck
(``show_slide``), with a notes cell (``show_presenter_notes``) under each slide.
Voila runs the same notebook: there the slide and notes cells show nothing, so a patient sees the
page whole. ``backpain-edu deck-notebooks`` writes the cells; a test checks the committed ones.
"""

from __future__ import annotations

import copy

import nbformat

from backpain_edu.catalog import Catalog
from backpain_edu.render.slides import START, Deck
from backpain_edu.render.tool_pages import COMPARE

DECK_CALLS = ("show_slide(", "show_presenter_notes(")
"""A cell whose code starts with one of these belongs to the deck, and is rewritten with it."""


def deck_ids(catalog: Catalog) -> tuple[str, ...]:
    """The pages that present as slides, by site-map id: the start page, each injection, the comparison."""
    return (START, *(injection.id for injection in catalog.injections), COMPARE)


def _cell(source: str, slide_type: str, cell_id: str) -> nbformat.NotebookNode:
    # The code is hidden in JupyterLab (and by slides.css in RISE): an educator shows the slide, not the
    # call that draws it. The id is the part's name, so rewriting the cells changes nothing that is the same.
    metadata = {"slideshow": {"slide_type": slide_type}, "jupyter": {"source_hidden": True}}
    cell = nbformat.v4.new_code_cell(source, metadata=metadata)
    cell.id = cell_id.replace("/", "-")
    return cell


def deck_cells(deck: Deck) -> list[nbformat.NotebookNode]:
    """One cell per part, in slide order (the first part of each slide a ``slide``, the others
    ``subslide``\\s), and a notes cell under the first part of every slide: the cells do not change when
    a note is added, and a slide with no notes shows none."""
    cells = []
    for slide, parts in deck.plan:
        for number, part in enumerate(parts):
            kind = "slide" if number == 0 else "subslide"
            cells.append(_cell(f'show_slide("{deck.id}", "{part}")', kind, f"slide-{part}"))
            if number == 0:
                cells.append(_cell(f'show_presenter_notes("{deck.id}", "{slide}")', "notes", f"notes-{slide}"))
    return cells


def is_deck_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and cell.source.startswith(DECK_CALLS)


def with_deck(notebook: nbformat.NotebookNode, deck: Deck) -> nbformat.NotebookNode:
    """``notebook`` with its deck cells made afresh from ``deck``: the page's own cells stay, marked ``skip``
    (its first cell imports what the deck cells call)."""
    made = copy.deepcopy(notebook)
    own = [cell for cell in made.cells if not is_deck_cell(cell)]
    for cell in own:
        cell.metadata["slideshow"] = {"slide_type": "skip"}
    made.cells = [own[0], *deck_cells(deck), *own[1:]]
    # RISE reads its settings from here too: slides change without moving, which is calmer to watch
    # (and kinder to people whom motion makes dizzy).
    made.metadata["rise"] = {"transition": "none"}
    return made
