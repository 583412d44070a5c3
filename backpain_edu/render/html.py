"""Render a :class:`Page` to HTML. All text is escaped here, and only here.

Content is data, not HTML: a stray ``<`` in a content file, or anything a patient types,
shows as text and never runs.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files

from backpain_edu.render.document import Block, Page, Section

STYLE = files("backpain_edu.render").joinpath("page.css").read_text(encoding="utf-8")


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _cites(block: Block, slug: str) -> str:
    if not block.cites:
        return ""
    links = ", ".join(f'<a href="#src-{_attr(slug)}-{n}" aria-label="Source {n}">{n}</a>' for n in block.cites)
    return f'<sup class="bpe-cite">[{links}]</sup>'


def render_block(block: Block, slug: str) -> str:
    """One block of text with its citation numbers (or a link, for navigation blocks)."""
    text = escape(block.text)
    if block.href:
        text = f'<a href="{_attr(block.href)}">{text}</a>'
    return text + _cites(block, slug)


def _section(section: Section, slug: str, level: int = 2) -> str:
    anchor = f"{slug}-{section.anchor}"
    parts = [f'<h{level} id="{_attr(anchor)}">{escape(section.heading)}</h{level}>']
    if section.label:
        parts.append(f'<p class="bpe-label">{escape(section.label)}</p>')
    if section.lead:
        parts.append(f'<p class="bpe-lead">{render_block(section.lead, slug)}</p>')
    if section.blocks:
        items = "".join(f"<li>{render_block(b, slug)}</li>" for b in section.blocks)
        parts.append(f"<ul>{items}</ul>")
    parts += [_section(sub, slug, level + 1) for sub in section.subsections]
    css = "bpe-section bpe-urgent" if section.urgent and level == 2 else "bpe-section"
    return f'<section class="{css}" aria-labelledby="{_attr(anchor)}">{"".join(parts)}</section>'


def _glossary(page: Page) -> str:
    if not page.glossary:
        return ""
    terms = "".join(f"<dt>{escape(term.term)}</dt><dd>{escape(term.definition)}</dd>" for term in page.glossary)
    anchor = f"{page.slug}-words"
    return (
        f'<section class="bpe-section" aria-labelledby="{anchor}">'
        f'<h2 id="{anchor}">Words used on this page</h2><dl class="bpe-glossary">{terms}</dl></section>'
    )


def _source(number: int, page: Page) -> str:
    ref = page.sources[number - 1]
    url = ref.url
    where = (
        f'<a href="{_attr(url)}" rel="noopener noreferrer">{escape(url)}</a>'
        if url.startswith(("https://", "http://"))
        else escape(url)
    )
    return f'<li id="src-{_attr(page.slug)}-{number}">{escape(ref.title)}. {escape(ref.publisher)}. {where}</li>'


def _sources(page: Page) -> str:
    items = "".join(_source(n, page) for n in range(1, len(page.sources) + 1))
    anchor = f"{page.slug}-sources"
    return (
        f'<section class="bpe-section bpe-sources" aria-labelledby="{anchor}">'
        f'<h2 id="{anchor}">Sources</h2><ol>{items}</ol></section>'
    )


def render_page(page: Page) -> str:
    """The whole page as one HTML fragment with its own small stylesheet."""
    summary = f'<p class="bpe-summary">{render_block(page.summary, page.slug)}</p>' if page.summary else ""
    body = "".join(_section(s, page.slug) for s in page.sections)
    figure = (
        f'<figure class="bpe-figure"><img src="{_attr(page.figure.image_uri)}" alt="{_attr(page.figure.alt)}" '
        f'width="320" height="360"></figure>'
        if page.figure
        else ""
    )
    return (
        f"<style>{STYLE}</style>"
        f'<article class="bpe-page" lang="en">'
        f'<p class="bpe-notice">{escape(page.notice)}</p>'
        f"<h1>{escape(page.title)}</h1>{summary}{figure}{body}{_glossary(page)}{_sources(page)}</article>"
    )
