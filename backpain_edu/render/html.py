"""Render a :class:`Page` to HTML. All text is escaped here, and only here.

Content is data, not HTML: a stray ``<`` in a content file, or anything a patient types,
shows as text and never runs.
"""

from __future__ import annotations

import re
from base64 import b64encode
from collections.abc import Mapping, Sequence
from dataclasses import replace
from html import escape
from importlib.resources import files
from string import Formatter
from typing import Literal

from backpain_edu.models import PageLabels
from backpain_edu.render.page import Block, Figure, Page, Section, SlidePart, Table, heading_id

STYLE = files("backpain_edu.render").joinpath("page.css").read_text(encoding="utf-8")
WIDGET_STYLE = files("backpain_edu.render").joinpath("widgets.css").read_text(encoding="utf-8")
CONTROL_STYLE = files("backpain_edu.render").joinpath("controls.css").read_text(encoding="utf-8")
SLIDE_STYLE = files("backpain_edu.render").joinpath("slides.css").read_text(encoding="utf-8")


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _cites(block: Block, slug: str, words: PageLabels) -> str:
    if not block.cites:
        return ""
    links = ", ".join(
        f'<a href="#src-{_attr(slug)}-{n}" aria-label="{_attr(words.source_link.format(number=n))}">{n}</a>'
        for n in block.cites
    )
    return f'<sup class="bpe-cite">[{links}]</sup>'


def render_block(block: Block, slug: str, words: PageLabels) -> str:
    """One block of text with its citation numbers (or a link, for navigation blocks)."""
    text = escape(block.text)
    if block.href:
        text = f'<a href="{_attr(block.href)}">{text}</a>'
    return text + _cites(block, slug, words)


def _table(table: Table, slug: str, words: PageLabels) -> str:
    """A captioned table in a scrolling region, so a wide grid still works on a 375 px phone.

    Each cell after the row header carries ``bpe-col-N`` (its column), which the comparison hides.
    """
    corner, *columns = table.columns
    head = f'<th scope="col">{escape(corner)}</th>' + "".join(
        f'<th scope="col" class="bpe-col-{n}">{escape(c)}</th>' for n, c in enumerate(columns, 1)
    )
    rows = "".join(
        f'<tr><th scope="row">{render_block(row[0], slug, words)}</th>'
        + "".join(
            f'<td class="bpe-col-{n}" data-label="{_attr(columns[n - 1])}">{render_block(cell, slug, words)}</td>'
            for n, cell in enumerate(row[1:], 1)
        )
        + "</tr>"
        for row in table.rows
    )
    css = (
        "bpe-table",
        *(("bpe-table-sentences",) if table.sentences else ()),
        *(("bpe-table-stacked",) if table.stacked else ()),
    )
    return (
        f'<div class="bpe-table-wrap" role="region" tabindex="0" aria-label="{_attr(table.caption)}">'
        f'<table class="{" ".join(css)}">'
        f"<caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _figure(figure: Figure, slug: str = "", words: PageLabels | None = None) -> str:
    size = f' width="{figure.width}" height="{figure.height}"' if figure.width and figure.height else ""
    caption = ""
    if figure.caption and words is not None:
        caption = f"<figcaption>{render_block(figure.caption, slug, words)}</figcaption>"
    image = f'<img src="{_attr(figure.image_uri)}" alt="{_attr(figure.alt)}"{size}>'
    return f'<figure class="bpe-figure">{image}{caption}</figure>'


def _region(css: str, anchor: str, inner: str) -> str:
    """A part of the page named by its heading: a region landmark, as ``<section aria-labelledby>`` is.

    Not a ``section`` element: every notebook is also an educator's deck, and reveal.js (RISE) takes
    each ``section`` in a slide, however deep, for a slide of its own, which breaks the deck.
    """
    return f'<div role="region" class="{css}" aria-labelledby="{_attr(anchor)}">{inner}</div>'


def _section(
    section: Section,
    slug: str,
    words: PageLabels,
    level: int = 2,
    top: bool = True,
    ids: str | None = None,
) -> str:
    """``ids`` prefixes heading ids instead of ``slug`` when the same section shows twice on a page."""
    anchor = heading_id(ids or slug, section.anchor)
    parts = [f'<h{level} id="{_attr(anchor)}">{escape(section.heading)}</h{level}>']
    if section.label:
        parts.append(f'<p class="bpe-label">{escape(section.label)}</p>')
    if section.lead:
        parts.append(f'<p class="bpe-lead">{render_block(section.lead, slug, words)}</p>')
    if section.blocks:
        items = "".join(f"<li>{render_block(b, slug, words)}</li>" for b in section.blocks)
        parts.append(f"<ol>{items}</ol>" if section.numbered else f"<ul>{items}</ul>")
    if section.table:
        parts.append(_table(section.table, slug, words))
    if section.figure:  # after the table: a decision's grid of words, then the picture of its numbers
        parts.append(_figure(section.figure, slug, words))
    parts += [_section(sub, slug, words, level + 1, top=False, ids=ids) for sub in section.subsections]
    css = (
        "bpe-section bpe-urgent"
        if section.urgent and top
        else "bpe-section bpe-box"
        if section.boxed
        else "bpe-section"
    )
    return _region(css, anchor, "".join(parts))


def _glossary(page: Page, level: int = 2) -> str:
    if not page.glossary:
        return ""
    terms = "".join(f"<dt>{escape(term.term)}</dt><dd>{escape(term.definition)}</dd>" for term in page.glossary)
    anchor = f"{page.slug}-words"
    heading = f'<h{level} id="{_attr(anchor)}">{escape(page.words.glossary)}</h{level}>'
    return _region("bpe-section", anchor, f'{heading}<dl class="bpe-glossary">{terms}</dl>')


def _source(number: int, page: Page, compact: bool = False) -> str:
    """One numbered source; ``compact`` (a slide) links its title instead of printing its address."""
    ref = page.sources[number - 1]
    url = ref.url or ""
    web = url.startswith(("https://", "http://"))
    if compact:
        title = (
            f'<a href="{_attr(url)}" rel="noopener noreferrer">{escape(ref.title)}</a>' if web else escape(ref.title)
        )
        return f'<li id="src-{_attr(page.slug)}-{number}">{title}. {escape(ref.publisher)}.</li>'
    where = f' <a href="{_attr(url)}" rel="noopener noreferrer">{escape(url)}</a>' if web else ""
    return f'<li id="src-{_attr(page.slug)}-{number}">{escape(ref.title)}. {escape(ref.publisher)}.{where}</li>'


OPEN_SOURCES = 7
"""A page's source list longer than this is folded under "Show all N sources" (a list a reader takes in at once
holds at most 7 items); each claim's source numbers stay in the text, and following one opens the list."""


def _sources(
    page: Page, level: int = 2, compact: bool = False, numbers: range | None = None, fold: bool = False
) -> str:
    """The numbered source list; ``numbers`` shows part of it (a long list on two slides), numbered as on the page;
    ``fold`` puts a long list in a closed ``<details>`` under its heading (a page on screen, not a slide or print)."""
    numbers = numbers or range(1, len(page.sources) + 1)
    if not page.sources or not numbers:
        return ""
    items = "".join(_source(n, page, compact) for n in numbers)
    anchor = f"{page.slug}-sources" + (f"-{numbers.start}" if numbers.start > 1 else "")
    heading = f'<h{level} id="{_attr(anchor)}">{escape(page.words.sources)}</h{level}>'
    start = f' start="{numbers.start}"' if numbers.start > 1 else ""
    listed = f"<ol{start}>{items}</ol>"
    if fold and len(numbers) > OPEN_SOURCES:
        show = escape(page.words.show_sources.format(count=len(numbers)))
        listed = f'<details class="bpe-sources-all"><summary>{show}</summary>{listed}</details>'
    return _region("bpe-section bpe-sources", anchor, heading + listed)


def render_page(page: Page, embedded: bool = False, printing: bool = False) -> str:
    """The whole page as one HTML fragment with its own small stylesheet.

    ``embedded`` is for a result shown inside a tool that already shows the notice and the style:
    the page title becomes a second-level heading so the tool keeps the only first-level one.
    ``printing`` (a view to print) shows every source: a folded list would print folded.
    """
    level = 2 if embedded else 1
    summary = f'<p class="bpe-summary">{render_block(page.summary, page.slug, page.words)}</p>' if page.summary else ""
    body = "".join(_section(s, page.slug, page.words, level + 1) for s in page.sections)
    figure = _figure(page.figure, page.slug, page.words) if page.figure else ""
    style = "" if embedded else f"<style>{STYLE}</style>"
    notice = "" if embedded else f'<p class="bpe-notice">{escape(page.notice)}</p>'
    return (
        f'{style}<article class="bpe-page" lang="{_attr(page.language)}">{notice}'
        f"<h{level}>{escape(page.title)}</h{level}>{summary}{figure}{body}"
        f"{_glossary(page, level + 1)}{_sources(page, level + 1, fold=not printing)}</article>"
    )


def render_slide(part: SlidePart) -> str:
    """One cell of a deck (RISE): the parts it holds, in the page's words, language and source numbers.

    Ids and source links get their own prefix: the whole page may sit in the same notebook.
    """
    page = replace(part.page, slug=f"{part.page.slug}-slide")
    body = []
    if part.title:
        summary = (
            f'<p class="bpe-summary">{render_block(page.summary, page.slug, page.words)}</p>' if page.summary else ""
        )
        figure = _figure(page.figure, page.slug, page.words) if page.figure else ""
        body.append(
            f'<div class="bpe-slide-title"><div><p class="bpe-notice">{escape(page.notice)}</p>'
            f"<h1>{escape(page.title)}</h1>{summary}</div>{figure}</div>"
        )
    if part.heading:
        body.append(f'<p class="bpe-slide-context">{escape(part.heading)}</p>')
    body += [_section(section, page.slug, page.words) for section in part.sections]
    if part.glossary:
        body.append(_glossary(page))
    if part.sources:
        body.append(_sources(page, compact=True, numbers=part.source_numbers))
    lang = _attr(page.language)
    return f'<style>{STYLE}{SLIDE_STYLE}</style><div class="bpe-page bpe-slide" lang="{lang}">{"".join(body)}</div>'


def render_sections(
    sections: tuple[Section, ...], slug: str, words: PageLabels, level: int = 2, ids: str | None = None
) -> str:
    """Sections without the page around them: a live result or feedback inside a widget.

    Citation links point at ``slug``'s sources; ``ids`` keeps heading ids unique when these
    sections repeat part of a page shown further down.
    """
    body = "".join(_section(s, slug, words, level, ids=ids) for s in sections)
    return f'<div class="bpe-page">{body}</div>'


def render_text(text: str, css: str = "bpe-lead") -> str:
    """One paragraph of plain text (an intro, a hint) for a widget, in the page's type."""
    return f'<div class="bpe-page"><p class="{_attr(css)}">{escape(text)}</p></div>'


def render_heading(text: str, level: int = 2, anchor: str | None = None) -> str:
    """A heading in the page's type; ``anchor`` gives it an id, for a region it names."""
    ids = f' id="{_attr(anchor)}"' if anchor else ""
    return f'<div class="bpe-page"><h{level} class="bpe-heading"{ids}>{escape(text)}</h{level}></div>'


def render_download_link(data: bytes, file_name: str, mime: str, label: str) -> str:
    """A link that hands the browser a file held in the page (a data: URI); the server keeps nothing."""
    uri = f"data:{mime};base64,{b64encode(data).decode('ascii')}"
    return f'<a class="bpe-download" href="{_attr(uri)}" download="{_attr(file_name)}">{escape(label)}</a>'


STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)
"""A stylesheet as this module writes it (:func:`widget_style`, :func:`control_style`): no attributes. What is
inside is its group 1."""


def widget_style() -> str:
    """The page style plus the rules that make ipywidgets controls large, labelled and printable."""
    return f"<style>{STYLE}{WIDGET_STYLE}</style>"


def render_tool_header(title: str, notice: str, intro: str) -> str:
    """The top of a tool page: the education-only notice, the title and one intro line."""
    return (
        f'<div class="bpe-page"><p class="bpe-notice">{escape(notice)}</p>'
        f'<h1>{escape(title)}</h1><p class="bpe-summary">{escape(intro)}</p></div>'
    )


def render_link(text: str, href: str) -> str:
    """A paragraph holding one link (to another page of the app)."""
    return f'<div class="bpe-page"><p class="bpe-lead"><a href="{_attr(href)}">{escape(text)}</a></p></div>'


def control_style() -> str:
    """The page style plus the rules that make native radios and tick boxes work without script."""
    return f"<style>{STYLE}{CONTROL_STYLE}</style>"


def render_choice(
    kind: Literal["radio", "checkbox"], input_id: str, text: str, css: str, name: str = "", checked: bool = False
) -> str:
    """A native radio or tick box and its label (all of the label is the target); nothing around them,
    so what the input controls can follow it as a sibling."""
    group = f' name="{_attr(name)}"' if name else ""
    ticked = " checked" if checked else ""
    return (
        f'<input type="{kind}" id="{_attr(input_id)}" class="{_attr(css)}"{group}{ticked}>'
        f'<label for="{_attr(input_id)}">{escape(text)}</label>'
    )


def render_fieldset(legend: str, body: str) -> str:
    """A group of radios (``body``, already HTML) named by its legend."""
    return f"<fieldset><legend>{escape(legend)}</legend>{body}</fieldset>"


def render_items(items: Sequence[tuple[str, str]]) -> str:
    """A bulleted list of plain texts, each ``(css class, text)``."""
    return "<ul>" + "".join(f'<li class="{_attr(css)}">{escape(text)}</li>' for css, text in items) + "</ul>"


def render_counted(template: str, counters: Mapping[str, str], values: Mapping[str, object], css: str) -> str:
    """A line from a ``{placeholder}`` template: a placeholder in ``counters`` becomes an empty span of
    that class, where a CSS counter shows its number; any other takes its value from ``values``."""
    parts = []
    for literal, field, _spec, _conversion in Formatter().parse(template):
        parts.append(escape(literal))
        if field in counters:
            parts.append(f'<span class="{_attr(counters[field])}"></span>')
        elif field is not None:
            parts.append(escape(str(values[field])))
    return f'<p class="{_attr(css)}">{"".join(parts)}</p>'
