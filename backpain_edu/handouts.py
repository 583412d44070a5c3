"""Printable handouts: one PDF per injection, for clinics that hand patients paper.

A handout is the injection page itself (``reading_pages.injection_page``) rendered to PDF, so a
printed sheet says exactly what the app says: the same sections, the warning signs after an
injection with the region's emergency number, the same numbered sources. Paper has no site footer,
so the handout adds the lines the app shows under every page (who checked the content and when,
where to report a problem), and, when the clinic gives one, the address of its app. Everything here
is pure: ``backpain-edu handouts`` (``cli.py``) chooses the language, region and paper, and writes
the files.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from backpain_edu.catalog import Catalog
from backpain_edu.models import Injection
from backpain_edu.render.page import Page
from backpain_edu.render.pdf import Paper, render_pdf
from backpain_edu.render.reading_pages import governance_lines, injection_page, page_files


def is_web_address(url: str) -> bool:
    """Whether ``url`` is a plain http(s) address with a host: what a patient can type from paper.

    Anything else (a bare host, ``javascript:``, spaces) would print as a line that leads nowhere."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)


def handout_page(injection: Injection, catalog: Catalog, url: str | None = None) -> Page:
    """The injection page with, at its end, where to read more (when ``url`` is given and the
    language has the words for it) and who checked the content and when."""
    page = injection_page(injection, catalog)
    read_more = catalog.labels.page.read_more
    lines = (read_more.format(url=url),) if url and read_more else ()
    review = governance_lines(catalog, page_files(catalog, injection.id))  # this page's own review line
    return replace(page, footer=(*lines, *page.footer, *review))


def handouts(catalog: Catalog, paper: Paper = "A4", url: str | None = None) -> dict[str, bytes]:
    """Each injection's handout as PDF bytes, keyed by injection id, in the catalog's order.

    All are made in memory before any is written, so a failure leaves no half set of files."""
    return {
        injection.id: render_pdf(handout_page(injection, catalog, url), paper, catalog.language)
        for injection in catalog.injections
    }
