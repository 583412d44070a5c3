"""Thin ipywidgets tools over the pure logic; ``show_*`` is what a notebook calls.

Each call builds a fresh tool for the page's own kernel (Voila runs one kernel per page), so
nothing a patient ticks or types is shared between pages or kept after the page closes.

ipywidgets and each tool's module load on first use, not on import: a page imports only the tool it
shows, and the tool classes are found through the module's ``__getattr__`` (PEP 562). The knowledge
check, the question list and the comparison are not widgets: they are HTML with native inputs
(``backpain_edu.render.html_tools``), shown by ``backpain_edu.display``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Protocol

from backpain_edu._lazy import lazy_exports
from backpain_edu.catalog import load_catalog

if TYPE_CHECKING:
    from ipywidgets import Widget

    from backpain_edu.widgets.care_plan import CarePlanTool
    from backpain_edu.widgets.checklist import ChecklistTool
    from backpain_edu.widgets.diary import DiaryTool

_TOOL_MODULES = {
    "CarePlanTool": "backpain_edu.widgets.care_plan",
    "ChecklistTool": "backpain_edu.widgets.checklist",
    "DiaryTool": "backpain_edu.widgets.diary",
}


HEADER_VARIABLE = "BACKPAIN_EDU_TOOL_HEADER"
"""Set to :data:`HEADER_IN_PAGE` by the app's server (so in its kernels): the app's page template already shows
the tool's title and introduction, with the widgets' style, in its first response."""

HEADER_IN_PAGE = "in-page"


class _Tool(Protocol):
    header: str
    widget: Widget


def _show(tool: _Tool) -> None:
    """The tool's title and introduction as plain HTML, then its controls. In the app the page template shows the
    title and introduction instead (``HEADER_VARIABLE``): they are in the server's first response, before this
    kernel has run, so a reader knows what the page is for at once; the controls follow once drawn."""
    from IPython.display import HTML, display  # loaded already in a kernel; never needed by a rule test

    from backpain_edu.render.html import widget_style

    if os.environ.get(HEADER_VARIABLE) != HEADER_IN_PAGE:
        display(HTML(widget_style() + tool.header))
    display(tool.widget)


def show_checklist() -> None:
    """Show "Is an injection worth asking about?": red flags first, then topics for a doctor."""
    from backpain_edu.widgets.checklist import ChecklistTool

    _show(ChecklistTool(load_catalog()))


def show_care_plan() -> None:
    """Show the care-plan builder with its values exercise, print view and PDF download."""
    from backpain_edu.widgets.care_plan import CarePlanTool

    _show(CarePlanTool(load_catalog()))


def show_pain_diary() -> None:
    """Show the pain diary: PEG scores, hourly pain after a block, charts, save and load."""
    from backpain_edu.widgets.diary import DiaryTool

    _show(DiaryTool(load_catalog()))


__all__ = [
    "CarePlanTool",
    "ChecklistTool",
    "DiaryTool",
    "show_care_plan",
    "show_checklist",
    "show_pain_diary",
]

__getattr__, __dir__ = lazy_exports(__name__, _TOOL_MODULES, __all__)
