"""A question list under an injection guide: tick the questions to ask, see them as one list."""

from __future__ import annotations

import ipywidgets as w

from backpain_edu.models import Injection
from backpain_edu.render.document import CARE_PLAN_NOTEBOOK
from backpain_edu.render.html import render_link, render_sections
from backpain_edu.render.tool_pages import question_list_section
from backpain_edu.widgets._controls import checkbox, heading, paragraph, step, tool

TITLE = "Questions I want to ask"
INTRO = (
    "Tick the questions you want to ask your doctor. Ticks are not kept when you close this page: "
    "to take them with you, print this page, or tick them again in My care plan and make a PDF."
)


class QuestionList:
    def __init__(self, injection: Injection) -> None:
        self.injection = injection
        self.ticks = [checkbox(q.text) for q in injection.questions]
        self.chosen = w.HTML()
        link = w.HTML(render_link("Go to My care plan", CARE_PLAN_NOTEBOOK))
        self.widget = tool(step(heading(TITLE), paragraph(INTRO), *self.ticks, self.chosen, link))
        for box in self.ticks:
            box.observe(self._update, names="value")
        self._update()

    def ticked(self) -> frozenset[int]:
        return frozenset(n for n, box in enumerate(self.ticks) if box.value)

    def _update(self, _change: object = None) -> None:
        section = question_list_section(self.injection, self.ticked())
        self.chosen.value = render_sections((section,), self.injection.id, level=3)
