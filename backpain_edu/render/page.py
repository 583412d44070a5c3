"""The neutral page every output renders: headings, cited blocks, tables, figures, glossary, sources.

Every output (HTML and PDF) renders this one structure, so the text, the order of sections and
the numbering of sources stay the same whatever the patient reads it in. Builders that fill it
from content are in ``reading_pages`` and ``tool_pages``; citation numbers come from ``citations``.
"""

from __future__ import annotations

from dataclasses import dataclass

from backpain_edu.models import GlossaryTerm, PageLabels, Reference


def heading_id(slug: str, anchor: str) -> str:
    """The id of a section's heading on a page (``start-urgent-symptoms``): what a link to that part points at."""
    return f"{slug}-{anchor}"


@dataclass(frozen=True)
class Block:
    """A piece of text and the numbers of the sources it cites on this page."""

    text: str
    cites: tuple[int, ...] = ()
    href: str | None = None


@dataclass(frozen=True)
class Table:
    """A grid of blocks (the weekly plan, the comparison); each row starts with its header cell."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Block, ...], ...]
    sentences: bool = False
    """Cells hold sentences (the comparison), not ticks and numbers: give them room to be read."""
    row_ids: tuple[str, ...] = ()
    """A name for each row, where a deck shows rows one at a time (the comparison)."""
    stacked: bool = False
    """On a phone, each row's cells stack under their column's name instead of scrolling sideways: the two options
    of a decision, so neither is ever off screen."""


@dataclass(frozen=True)
class Figure:
    """A picture with the words that describe it to someone who cannot see it."""

    image_uri: str
    alt: str
    width: int | None = None
    height: int | None = None
    caption: Block | None = None
    """Words shown under the picture, with their sources (a picture of a count: the same words as ``alt``)."""
    svg: str | None = None
    """The picture's SVG, where it is one the PDF can draw too (an icon array)."""


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]
    anchor: str
    subsections: tuple[Section, ...] = ()
    lead: Block | None = None
    label: str | None = None
    urgent: bool = False
    table: Table | None = None
    figure: Figure | None = None
    numbered: bool = False
    """Its blocks are steps to follow in order: a numbered list."""
    boxed: bool = False
    """Shown in a box that stands out (the main things to know at the top of a page), but not as urgent."""


@dataclass(frozen=True, kw_only=True)
class Page:
    """A whole page: built by keyword (``Page(title=..., slug=..., ...)``), rendered to HTML or PDF."""

    title: str
    slug: str
    notice: str
    words: PageLabels
    """The words every page shows around its content: "Sources", "Words used on this page" ..."""
    sections: tuple[Section, ...]
    summary: Block | None = None
    glossary: tuple[GlossaryTerm, ...] = ()
    sources: tuple[Reference, ...] = ()
    figure: Figure | None = None
    footer: tuple[str, ...] = ()
    """Lines for the end of a printed page (who checked the content and when); the app's template
    shows the same lines under every page."""
    language: str = "en"
    """The code of the language the text is in (``languages.yaml``): the page's ``lang``, so a screen
    reader reads Spanish with a Spanish voice even where the page around it says otherwise (JupyterLab)."""


@dataclass(frozen=True, kw_only=True)
class SlidePart:
    """One cell of a deck: some of a page's parts, with the page they come from (its source numbers,
    its words, its language). ``render/slides.py`` cuts a page into these."""

    page: Page
    heading: str | None = None
    """The section a subsection or a table row belongs to, shown above it, so the slide keeps its context."""
    sections: tuple[Section, ...] = ()
    title: bool = False
    """The page's notice, title, summary and figure: a deck's first slide."""
    glossary: bool = False
    sources: bool = False
    source_numbers: range | None = None
    """Which sources this cell lists (None: all); a long list is split over two slides."""
