"""Thin ipywidgets tools over the pure logic; ``show_*`` is what a notebook calls.

Each call builds a fresh tool for the page's own kernel (Voila runs one kernel per page), so
nothing a patient ticks or types is shared between pages or kept after the page closes.
"""

from __future__ import annotations

from IPython.display import display

from backpain_edu.catalog import load_catalog
from backpain_edu.widgets.care_plan import CarePlanTool
from backpain_edu.widgets.checklist import ChecklistTool
from backpain_edu.widgets.compare import CompareTool
from backpain_edu.widgets.diary import DiaryTool
from backpain_edu.widgets.knowledge_check import KnowledgeCheck
from backpain_edu.widgets.questions import QuestionList


def show_checklist() -> None:
    """Show "Is an injection worth asking about?": red flags first, then topics for a doctor."""
    display(ChecklistTool(load_catalog()).widget)


def show_care_plan() -> None:
    """Show the care-plan builder with its values exercise, print view and PDF download."""
    display(CarePlanTool(load_catalog()).widget)


def show_comparison() -> None:
    """Show the six injections side by side."""
    display(CompareTool(load_catalog()).widget)


def show_knowledge_check(injection_id: str) -> None:
    """Show the short knowledge check of one injection."""
    catalog = load_catalog()
    display(KnowledgeCheck(catalog.injection(injection_id), catalog).widget)


def show_question_list(injection_id: str) -> None:
    """Show one injection's questions as a list to tick."""
    display(QuestionList(load_catalog().injection(injection_id)).widget)


__all__ = [
    "CarePlanTool",
    "ChecklistTool",
    "CompareTool",
    "KnowledgeCheck",
    "QuestionList",
    "show_care_plan",
    "show_checklist",
    "show_comparison",
    "show_knowledge_check",
    "show_question_list",
]


def show_pain_diary() -> None:
    """Show the pain diary: PEG scores, hourly pain after a block, charts, save and load."""
    display(DiaryTool(load_catalog()).widget)
