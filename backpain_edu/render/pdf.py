"""Render a :class:`Page` to PDF bytes with fpdf2: the same sections, tables and sources as the HTML.

The PDF is made in memory and handed to the browser; nothing is written on the server.

Fonts (bundled in ``render/fonts``, licences beside them): DejaVu Sans draws Latin, Greek,
Cyrillic, Armenian, Georgian, Hebrew and Arabic; Droid Sans Fallback, loaded only when the text
needs it, draws Chinese and Japanese (it has almost no Korean Hangul). Text shaping (uharfbuzz)
joins Arabic letters and lays right-to-left text out in the right order; it is on only when the page
holds a character beyond Latin and the common symbols (:func:`needs_text_shaping`), because shaping
every line as fpdf2 breaks it took half of a handout's time, and Latin text does not need it. A
character neither font has (Hangul, Devanagari, Thai, emoji ...) is replaced by U+FFFD before fpdf2
sees it: the gap is visible, and fpdf2 never logs a patient's text in a missing-glyph warning. The HTML and print
views use the browser's fonts and keep every script.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib.resources import as_file, files
from io import BytesIO
from typing import Literal

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from backpain_edu.render.page import Block, Figure, Page, Section, Table

FONT_DIR = files("backpain_edu.render").joinpath("fonts")
MAIN_FONT = "DejaVuSans.ttf"
BOLD_FONT = "DejaVuSans-Bold.ttf"
FALLBACK_FONT = "DroidSansFallbackFull.ttf"
MISSING = "\ufffd"

INK = (26, 26, 26)
URGENT = (138, 17, 20)
NOTICE_FILL = (241, 244, 248)
HEADING_SIZE = {1: 18, 2: 14, 3: 12, 4: 11}
LINE = 5.5
"""Line height in mm for 10.5 pt body text: readable when printed."""
FOOTER_MM = 24
"""Room at the foot of each sheet for the notice (up to four short lines) and the page number."""
PICTURE_MM_PER_PX = 0.34
"""An icon array on paper: its figures stay about 4.8 mm apart, easy to count (two arms: about 110 mm wide)."""
DRAWING_MM = 80
"""The labelled spine drawing on paper: its labels stay readable, and it leaves room for the text."""
Paper = Literal["A4", "Letter"]
"""The sheet sizes a clinic prints on: A4 (most of the world) or US Letter. fpdf2 keeps its default
1 cm margins on both, and the footer room is measured from the foot of the sheet, so it fits either."""


@cache
def _covered(font: str) -> frozenset[int]:
    """The code points a bundled font can draw (read once per process)."""
    with as_file(FONT_DIR.joinpath(font)) as path:
        return frozenset(TTFont(path, lazy=True).getBestCmap())


SIMPLE_SCRIPT_RANGES = ((0x0000, 0x036F), (0x1E00, 0x1EFF), (0x2000, 0x2BFF))
"""Code points that need no shaping (each a glyph of its own, left to right): Latin with its accents and the
IPA, Latin Extended Additional, and the common punctuation, symbols, arrows and shapes."""


def needs_text_shaping(text: str) -> bool:
    """Whether ``text`` holds a character that may need shaping (Arabic's joined letters, right-to-left Hebrew,
    Indic vowel signs ...): any outside SIMPLE_SCRIPT_RANGES. Greek and Cyrillic count too: shaping them is only
    slower, never wrong."""
    return any(not any(low <= ord(char) <= high for low, high in SIMPLE_SCRIPT_RANGES) for char in set(text))


def _strings(page: Page) -> Iterator[str]:
    yield from (page.title, page.notice, page.words.glossary, page.words.sources, page.words.page_number)
    if page.summary:
        yield page.summary.text
    if page.figure and page.figure.caption:
        yield page.figure.caption.text
    stack = list(page.sections)
    while stack:
        section = stack.pop()
        yield section.heading
        yield from (b.text for b in (section.lead, *section.blocks) if b)
        if section.label:
            yield section.label
        if section.figure and section.figure.caption:
            yield section.figure.caption.text
        if section.table:
            yield from (section.table.caption, *section.table.columns)
            yield from (cell.text for row in section.table.rows for cell in row)
        stack.extend(section.subsections)
    for term in page.glossary:
        yield from (term.term, term.definition)
    for ref in page.sources:
        yield from (ref.title, ref.publisher, ref.url or "")
    yield from page.footer


class _Document(FPDF):
    """A sheet (A4 unless told) with the site's one notice (what to do in an emergency included) and
    the page number in every footer, so a single printed sheet still carries both."""

    def __init__(self, notice: str, page_number: str, paper: Paper = "A4") -> None:
        super().__init__(format=paper)
        self.notice, self.page_number = notice, page_number

    def footer(self) -> None:
        self.set_y(-FOOTER_MM)
        self.set_font("Body", size=7)
        self.set_text_color(*INK)
        self.multi_cell(0, 3.2, self.notice, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 4, self.page_number.format(page=self.page_no(), pages="{nb}"), align="C")


class _Writer:
    """Walks a Page and writes it; one method per kind of structure, as html.py has."""

    def __init__(self, page: Page, paper: Paper = "A4", language: str = "en") -> None:
        self.page, self.language = page, language
        main = _covered(MAIN_FONT)
        text = "".join(_strings(page))
        self.fallback = any(ord(c) not in main for c in text if c != "\n")
        self.shaping = needs_text_shaping(text)
        self.covered = main | (_covered(FALLBACK_FONT) if self.fallback else frozenset())
        self.pdf = _Document(self.safe_notice(page), page.words.page_number, paper)
        self._fonts()

    def _fonts(self) -> None:
        pdf = self.pdf
        with as_file(FONT_DIR.joinpath(MAIN_FONT)) as main, as_file(FONT_DIR.joinpath(BOLD_FONT)) as bold:
            pdf.add_font("Body", "", str(main))
            pdf.add_font("Body", "B", str(bold))
        if self.fallback:
            with as_file(FONT_DIR.joinpath(FALLBACK_FONT)) as fallback:
                pdf.add_font("Fallback", "", str(fallback))
            pdf.set_fallback_fonts(["Fallback"], exact_match=False)
        pdf.set_text_shaping(self.shaping)

    def safe_notice(self, page: Page) -> str:
        return "".join(c if ord(c) in self.covered else MISSING for c in page.notice)

    def safe(self, text: str) -> str:
        return "".join(c if c == "\n" or ord(c) in self.covered else MISSING for c in text)

    def para(self, text: str, size: float = 10.5, bold: bool = False, indent: float = 0, **kwargs) -> None:
        pdf = self.pdf
        pdf.set_font("Body", "B" if bold else "", size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, LINE * size / 10.5, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT, **kwargs)

    def block(self, block: Block, indent: float, marker: str = "•") -> None:
        cites = f" [{', '.join(map(str, block.cites))}]" if block.cites else ""
        pdf = self.pdf
        pdf.set_font("Body", "", 10.5)
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(6, LINE, marker)
        pdf.multi_cell(0, LINE, self.safe(block.text + cites), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    def table(self, table: Table) -> None:
        pdf = self.pdf
        self.para(table.caption, bold=True)
        pdf.set_font("Body", "", 9)
        first = 2.5 if len(table.columns) > 4 else 1.5
        widths = (first, *(1,) * (len(table.columns) - 1))
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, padding=1.2) as grid:
            header = grid.row()
            for column in table.columns:
                header.cell(self.safe(column))
            for row in table.rows:
                cells = grid.row()
                for cell in row:
                    cells.cell(self.safe(cell.text + (f" [{', '.join(map(str, cell.cites))}]" if cell.cites else "")))
        pdf.ln(2)

    def picture(self, figure: Figure, width_mm: float | None = None) -> None:
        """A drawing the page shows as SVG (an icon array), at its own proportions, then its caption."""
        pdf = self.pdf
        pdf.ln(1)
        assert figure.svg and figure.width  # an icon array: the renderer gives both
        width = width_mm or figure.width * PICTURE_MM_PER_PX
        pdf.image(BytesIO(figure.svg.encode("utf-8")), x=pdf.l_margin, w=width)
        if figure.caption:
            cites = f" [{', '.join(map(str, figure.caption.cites))}]" if figure.caption.cites else ""
            self.para(figure.caption.text + cites)

    def section(self, section: Section, level: int = 2, urgent: bool = False) -> None:
        pdf = self.pdf
        urgent = urgent or section.urgent
        pdf.ln(2)
        pdf.set_text_color(*(URGENT if urgent else INK))
        self.para(section.heading, size=HEADING_SIZE.get(level, 11), bold=True)
        pdf.set_text_color(*INK)
        if section.label:
            self.para(section.label, bold=True)
        if section.lead:
            self.para(
                section.lead.text + (f" [{', '.join(map(str, section.lead.cites))}]" if section.lead.cites else "")
            )
            pdf.ln(1)
        for number, block in enumerate(section.blocks, 1):
            self.block(block, indent=2, marker=f"{number}." if section.numbered else "•")
        if section.table:
            self.table(section.table)
        if section.figure and section.figure.svg:
            self.picture(section.figure)
        for sub in section.subsections:
            self.section(sub, level + 1, urgent)

    def write(self) -> bytes:
        pdf, page = self.pdf, self.page
        pdf.set_title(self.safe(page.title))
        pdf.set_lang(self.language)
        pdf.set_auto_page_break(True, margin=FOOTER_MM + 4)
        pdf.add_page()
        pdf.set_fill_color(*NOTICE_FILL)
        self.para(page.notice, fill=True, padding=2)
        pdf.ln(3)
        self.para(page.title, size=HEADING_SIZE[1], bold=True)
        if page.summary:
            self.para(page.summary.text)
        if page.figure and page.figure.svg:  # the labelled drawing of where the needle goes, with its caption
            self.picture(page.figure, DRAWING_MM)
        for section in page.sections:
            self.section(section)
        if page.glossary:
            self.section(
                Section(page.words.glossary, tuple(Block(f"{t.term}: {t.definition}") for t in page.glossary), "words")
            )
        if page.sources:
            pdf.ln(2)
            self.para(page.words.sources, size=HEADING_SIZE[2], bold=True)
            for number, ref in enumerate(page.sources, start=1):
                self.para(f"{number}. {ref.title}. {ref.publisher}." + (f" {ref.url}" if ref.url else ""), size=9)
        if page.footer:
            pdf.ln(3)
            for line in page.footer:
                self.para(line, size=9)
        return bytes(pdf.output())


def render_pdf(page: Page, paper: Paper = "A4", language: str = "en") -> bytes:
    """The page as a PDF file's bytes, made in memory, on ``paper``; ``language`` (a code from
    ``languages.yaml``) tells screen readers which language the text is in."""
    return _Writer(page, paper, language).write()
