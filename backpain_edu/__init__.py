"""Patient education on injection therapy for back pain: content, rules and renderers.

Notebooks import what they show from here; everything else is internal.
"""

from backpain_edu.catalog import load_catalog
from backpain_edu.display import (
    injection_html,
    show_educator_guide,
    show_injection,
    show_presenter_notes,
    show_start_page,
)
from backpain_edu.models import ContentError
from backpain_edu.widgets import (
    show_care_plan,
    show_checklist,
    show_comparison,
    show_knowledge_check,
    show_pain_diary,
    show_question_list,
)

__all__ = [
    "ContentError",
    "injection_html",
    "load_catalog",
    "show_care_plan",
    "show_checklist",
    "show_comparison",
    "show_educator_guide",
    "show_injection",
    "show_knowledge_check",
    "show_pain_diary",
    "show_presenter_notes",
    "show_question_list",
    "show_start_page",
]
