"""What a notebook calls: render content and show it in Jupyter or Voila."""

from __future__ import annotations

from IPython.display import HTML, display

from backpain_edu.catalog import load_catalog
from backpain_edu.render.document import injection_page, start_page
from backpain_edu.render.html import render_page


def injection_html(injection_id: str) -> str:
    """The full page for one injection, as escaped HTML."""
    catalog = load_catalog()
    return render_page(injection_page(catalog.injection(injection_id), catalog))


def show_injection(injection_id: str) -> None:
    """Show every section of one injection, its glossary and its numbered sources."""
    display(HTML(injection_html(injection_id)))


def show_start_page() -> None:
    """Show the front page: the red-flag box first, then the guides and the evidence."""
    display(HTML(render_page(start_page(load_catalog()))))
