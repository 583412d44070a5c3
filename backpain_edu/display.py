"""What a notebook calls: render content and show it in Jupyter or Voila.

IPython is imported when something is shown, not on import, so ``injection_html`` and the other
``*_html`` functions (static HTML) work without it. The knowledge check, the question list and the
comparison are HTML too (native inputs and CSS, no script): they work in a page rendered once.
"""

from __future__ import annotations

import os

from backpain_edu.catalog import load_catalog
from backpain_edu.render.educator import educator_guide_page, presenter_notes_page
from backpain_edu.render.html import render_page, render_slide
from backpain_edu.render.html_tools import render_comparison, render_knowledge_check, render_question_list
from backpain_edu.render.reading_pages import about_page, injection_page, start_page
from backpain_edu.render.slides import deck


def _show(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def injection_html(injection_id: str) -> str:
    """The full page for one injection, as escaped HTML."""
    catalog = load_catalog()
    return render_page(injection_page(catalog.injection(injection_id), catalog))


def show_injection(injection_id: str) -> None:
    """Show every section of one injection, its glossary and its numbered sources."""
    _show(injection_html(injection_id))


def knowledge_check_html(injection_id: str) -> str:
    """One injection's knowledge check: answers show right or not, why, and a score, with no script."""
    catalog = load_catalog()
    return render_knowledge_check(catalog.injection(injection_id), catalog)


def show_knowledge_check(injection_id: str) -> None:
    """Show the short knowledge check of one injection."""
    _show(knowledge_check_html(injection_id))


def question_list_html(injection_id: str) -> str:
    """One injection's questions as a list to tick, gathered into "my list", with no script."""
    catalog = load_catalog()
    return render_question_list(catalog.injection(injection_id), catalog)


def show_question_list(injection_id: str) -> None:
    """Show one injection's questions as a list to tick."""
    _show(question_list_html(injection_id))


def comparison_html() -> str:
    """The compare page: the injections side by side, columns picked by tick boxes, with no script."""
    return render_comparison(load_catalog())


def show_comparison() -> None:
    """Show the six injections side by side."""
    _show(comparison_html())


def show_start_page() -> None:
    """Show the front page: the red-flag box first, then the guides and the evidence."""
    _show(render_page(start_page(load_catalog())))


def show_about_page() -> None:
    """Show who made the guide, who paid, how it is checked and updated, and what changed when."""
    _show(render_page(about_page(load_catalog())))


def _in_voila() -> bool:
    # Voila sets VOILA_BASE_URL in every kernel it starts (voila/handler.py, voila_kernel_manager.py);
    # presenter notes are for educators in JupyterLab, never for patients in the web app.
    return "VOILA_BASE_URL" in os.environ


def slide_html(deck_id: str, part: str) -> str:
    """One cell of a deck: ``deck_id`` is ``start``, ``compare`` or an injection's id; ``part`` a part of
    its plan (``render/slides.py``), such as ``what-happens/before``."""
    return render_slide(deck(deck_id, load_catalog()).part(part))


def show_slide(deck_id: str, part: str) -> None:
    """Show one part of a page as a slide, for RISE in JupyterLab; nothing in Voila, which shows the page whole."""
    if _in_voila():
        return
    _show(slide_html(deck_id, part))


def show_presenter_notes(deck_id: str, slide: str) -> None:
    """Show one slide's presenter notes in JupyterLab (RISE speaker notes); nothing in Voila, and nothing
    for a slide with no notes."""
    if _in_voila():
        return
    catalog = load_catalog()
    shown = deck(deck_id, catalog)
    if shown.notes_for(slide):
        _show(render_page(presenter_notes_page(shown, slide, catalog)))


def show_educator_guide() -> None:
    """Show the educator guide: goals and discussion questions per notebook, a 45-minute plan."""
    catalog = load_catalog()
    titles = {page.notebook: page.title for page in catalog.site_map.pages}
    _show(render_page(educator_guide_page(catalog, titles)))
