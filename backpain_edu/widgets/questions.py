"""A question list under an injection guide: tick the questions to ask, see them as one list."""

from __future__ import annotations

import ipywidgets as w

from backpain_edu.catalog import Catalog
from backpain_edu.models import Injection
from backpain_edu.render.html import render_link, render_sections
from backpain_edu.render.tool_pages import CARE_PLAN, question_list_section
from backpain_edu.widgets._controls import checkbox, heading, paragraph, step, tool


class QuestionList:
    def __init__(self, injection: Injection, catalog: Catalog) -> None:
        self.injection, self.catalog = injection, catalog
        words = catalog.labels.questions
        self.ticks = [checkbox(q.text) for q in injection.questions]
        self.chosen = w.HTML()
        link = w.HTML(render_link(words.go_to_plan, catalog.site_map.notebook(CARE_PLAN)))
        self.widget = tool(step(heading(words.title), paragraph(words.intro), *self.ticks, self.chosen, link))
        for box in self.ticks:
            box.observe(self._update, names="value")
        self._update()

    def ticked(self) -> frozenset[int]:
        return frozenset(n for n, box in enumerate(self.ticks) if box.value)

    def _update(self, _change: object = None) -> None:
        section = question_list_section(self.injection, self.ticked(), self.catalog)
        self.chosen.value = render_sections((section,), self.injection.id, self.catalog.labels.page, level=3)
