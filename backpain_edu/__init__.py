"""Patient education on injection therapy for back pain: content, rules and renderers.

Notebooks import what they show from here; everything else is internal. Each name loads its module
on first use (PEP 562 ``__getattr__``), so ``import backpain_edu.candidacy`` in a test or a kernel
does not pay for ipywidgets and IPython, which only the ``show_*`` functions need (and ipywidgets only the
checklist, the care plan and the diary).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backpain_edu._lazy import lazy_exports

if TYPE_CHECKING:
    from backpain_edu.catalog import load_catalog, use_language
    from backpain_edu.display import (
        comparison_html,
        injection_html,
        knowledge_check_html,
        question_list_html,
        show_about_page,
        show_comparison,
        show_educator_guide,
        show_injection,
        show_knowledge_check,
        show_presenter_notes,
        show_question_list,
        show_slide,
        show_start_page,
        slide_html,
    )
    from backpain_edu.models import ContentError
    from backpain_edu.widgets import show_care_plan, show_checklist, show_pain_diary

_MODULES = {
    "ContentError": "backpain_edu.models",
    "comparison_html": "backpain_edu.display",
    "injection_html": "backpain_edu.display",
    "knowledge_check_html": "backpain_edu.display",
    "question_list_html": "backpain_edu.display",
    "load_catalog": "backpain_edu.catalog",
    "show_care_plan": "backpain_edu.widgets",
    "show_checklist": "backpain_edu.widgets",
    "show_comparison": "backpain_edu.display",
    "show_educator_guide": "backpain_edu.display",
    "show_injection": "backpain_edu.display",
    "show_knowledge_check": "backpain_edu.display",
    "show_pain_diary": "backpain_edu.widgets",
    "show_presenter_notes": "backpain_edu.display",
    "show_question_list": "backpain_edu.display",
    "show_slide": "backpain_edu.display",
    "show_start_page": "backpain_edu.display",
    "show_about_page": "backpain_edu.display",
    "slide_html": "backpain_edu.display",
    "use_language": "backpain_edu.catalog",
}


__all__ = [
    "ContentError",
    "comparison_html",
    "injection_html",
    "knowledge_check_html",
    "load_catalog",
    "question_list_html",
    "show_care_plan",
    "show_checklist",
    "show_comparison",
    "show_educator_guide",
    "show_injection",
    "show_knowledge_check",
    "show_pain_diary",
    "show_presenter_notes",
    "show_question_list",
    "show_slide",
    "show_start_page",
    "show_about_page",
    "slide_html",
    "use_language",
]

__getattr__, __dir__ = lazy_exports(__name__, _MODULES, __all__)
