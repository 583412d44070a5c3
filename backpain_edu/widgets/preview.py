"""A tool as it first shows, in plain HTML, for the app's page to send before any script or kernel has run.

A tool page's controls are drawn by the page's script from its kernel: on a slow phone that is seconds after the
page's text. The page template sends this preview instead, right after the title (``configuration.frame``): each
step's heading and words, and each question, as text a reader can start on at once. Once the script has drawn the
tool, the app's style hides the preview (``.bpe-preview`` in app.css), so nothing shows twice.

The preview is read off the tool's own widgets, as the tool builds them for a new visitor, so it can never ask a
question the tool does not (or miss one it adds). Buttons are left out (nothing to read until they work), as is
anything the tool hides at first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from pathlib import Path

import ipywidgets as w

from backpain_edu.catalog import CONTENT_DIR, Catalog, content_state
from backpain_edu.render.html import STYLE_ELEMENT
from backpain_edu.widgets import _Tool

PREVIEW_CLASS = "bpe-preview"

NAMING_ATTRIBUTES = re.compile(r' (?:id|for|aria-labelledby|aria-describedby|aria-controls)="[^"]*"')
"""Ids, and what points at them: the tool's own HTML has them too once drawn, and an id must be unique on a page.
The package's renderers write every attribute this way (``render/html.py``)."""

CONTROLS = (w.Checkbox, w.RadioButtons, w.Dropdown, w.Text, w.Textarea, w.DatePicker)
"""What a visitor answers: shown as its question. Buttons and file pickers are left out."""


def _hidden(widget: w.Widget) -> bool:
    return getattr(widget, "layout", None) is not None and widget.layout.display == "none"


def _parts(widget: w.Widget) -> list[str]:
    """The widget as HTML pieces, in the tool's order: ``"?" + text`` for a question (grouped into lists later)."""
    if _hidden(widget):
        return []
    if isinstance(widget, w.Box):
        inner = [part for child in widget.children for part in _parts(child)]
        if "bpe-step" in widget._dom_classes:
            return ['<div class="bpe-preview-step">', *inner, "</div>"]
        return inner
    if isinstance(widget, w.HTML):
        # Not the tool's own stylesheet (``_controls.tool`` puts it first): the app's page has it in its head.
        text = NAMING_ATTRIBUTES.sub("", STYLE_ELEMENT.sub("", widget.value)).strip()
        return [text] if text else []
    if isinstance(widget, CONTROLS) and widget.description.strip():
        return ["?" + escape(widget.description)]
    return []


def render_preview(tool: w.Widget) -> str:
    """The tool's widget tree as it first shows, as HTML: its words as they are, its questions as lists."""
    html: list[str] = []
    questions: list[str] = []
    for part in [*_parts(tool), ""]:
        if part.startswith("?"):
            questions.append(f"<li>{part[1:]}</li>")
            continue
        if questions:
            html.append(f'<ul class="bpe-preview-questions">{"".join(questions)}</ul>')
            questions = []
        html.append(part)
    return f'<div class="{PREVIEW_CLASS}">{"".join(html)}</div>'


def tool_previews(catalog: Catalog, base: Path = CONTENT_DIR) -> dict[str, str]:
    """Each tool page's preview, by its notebook (``07_checklist.ipynb``), for ``catalog``'s language and deployment.
    Built once per process and content: the tools take a few tenths of a second to build, and the app's
    configuration is made more than once (the server; its tests, at every start)."""
    key = (catalog.language, catalog.deployment, str(base), content_state(base))
    if key not in _BUILT:
        _BUILT[key] = {catalog.site_map.notebook(page): render_preview(make(catalog).widget) for page, make in _tools()}
    return dict(_BUILT[key])


_BUILT: dict[tuple, dict[str, str]] = {}


def _tools() -> tuple[tuple[str, Callable[[Catalog], _Tool]], ...]:
    """Each tool by its page's id (``pages.yaml``)."""
    from backpain_edu.widgets import care_plan, checklist, diary

    return (
        (checklist.PAGE, checklist.ChecklistTool),
        (care_plan.PAGE, care_plan.CarePlanTool),
        (diary.PAGE, diary.DiaryTool),
    )
