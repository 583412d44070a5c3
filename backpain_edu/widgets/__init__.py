"""Thin ipywidgets tools over the pure logic; ``show_*`` is what a notebook calls.

Each call builds a fresh tool for the page's own kernel (Voila runs one kernel per page), so
nothing a patient ticks or types is shared between pages or kept after the page closes.

ipywidgets and each tool's module load on first use, not on import: a page imports only the tools it
shows (an injection page never loads the care plan, the diary or the comparison), and the tool classes
are found through the module's ``__getattr__`` (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backpain_edu._lazy import lazy_exports
from backpain_edu.catalog import load_catalog

if TYPE_CHECKING:
    from ipywidgets import Widget

    from backpain_edu.widgets.care_plan import CarePlanTool
    from backpain_edu.widgets.checklist import ChecklistTool
    from backpain_edu.widgets.compare import CompareTool
    from backpain_edu.widgets.diary import DiaryTool
    from backpain_edu.widgets.knowledge_check import KnowledgeCheck
    from backpain_edu.widgets.questions import QuestionList

_TOOL_MODULES = {
    "CarePlanTool": "backpain_edu.widgets.care_plan",
    "ChecklistTool": "backpain_edu.widgets.checklist",
    "CompareTool": "backpain_edu.widgets.compare",
    "DiaryTool": "backpain_edu.widgets.diary",
    "KnowledgeCheck": "backpain_edu.widgets.knowledge_check",
    "QuestionList": "backpain_edu.widgets.questions",
}


def _show(widget: Widget) -> None:
    from IPython.display import display  # loaded already in a kernel; never needed by a rule test

    display(widget)


def show_checklist() -> None:
    """Show "Is an injection worth asking about?": red flags first, then topics for a doctor."""
    from backpain_edu.widgets.checklist import ChecklistTool

    _show(ChecklistTool(load_catalog()).widget)


def show_care_plan() -> None:
    """Show the care-plan builder with its values exercise, print view and PDF download."""
    from backpain_edu.widgets.care_plan import CarePlanTool

    _show(CarePlanTool(load_catalog()).widget)


def show_comparison() -> None:
    """Show the six injections side by side."""
    from backpain_edu.widgets.compare import CompareTool

    _show(CompareTool(load_catalog()).widget)


def show_knowledge_check(injection_id: str) -> None:
    """Show the short knowledge check of one injection."""
    from backpain_edu.widgets.knowledge_check import KnowledgeCheck

    catalog = load_catalog()
    _show(KnowledgeCheck(catalog.injection(injection_id), catalog).widget)


def show_question_list(injection_id: str) -> None:
    """Show one injection's questions as a list to tick."""
    from backpain_edu.widgets.questions import QuestionList

    catalog = load_catalog()
    _show(QuestionList(catalog.injection(injection_id), catalog).widget)


def show_pain_diary() -> None:
    """Show the pain diary: PEG scores, hourly pain after a block, charts, save and load."""
    from backpain_edu.widgets.diary import DiaryTool

    _show(DiaryTool(load_catalog()).widget)


__all__ = [
    "CarePlanTool",
    "ChecklistTool",
    "CompareTool",
    "DiaryTool",
    "KnowledgeCheck",
    "QuestionList",
    "show_care_plan",
    "show_checklist",
    "show_comparison",
    "show_knowledge_check",
    "show_pain_diary",
    "show_question_list",
]

__getattr__, __dir__ = lazy_exports(__name__, _TOOL_MODULES, __all__)
