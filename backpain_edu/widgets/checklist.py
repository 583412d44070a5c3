"""The checklist page: four steps of tick boxes, an urgent box under step 1, a live result.

Built once; every tick calls :func:`assess_candidacy` and shows what it returns. Red flags come
first on the page, and when one is ticked its box (with the number to call) appears right under
them and at the top of the result; an emergency sign leaves nothing else in the result.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as w

from backpain_edu.candidacy import Answers, assess_candidacy
from backpain_edu.catalog import Catalog
from backpain_edu.models import ChecklistItem, Contraindication, Sign
from backpain_edu.render.html import render_page, render_sections
from backpain_edu.render.html_tools import render_tool_page_header
from backpain_edu.render.tool_pages import assessment_page
from backpain_edu.widgets._controls import checkbox, group, heading, html, paragraph, radio, show_when, step, tool
from backpain_edu.widgets.readiness import ReadinessCheck

PAGE = "checklist"
"""This tool's page in the site map (``pages.yaml``)."""


class ChecklistTool:
    """The widget tree of the checklist and the callbacks that keep its result current."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        flags, reasons, checklist = catalog.red_flags, catalog.contraindications, catalog.checklist
        signs = flags.signs
        asked = (*signs, *reasons.items, *checklist.signals, *checklist.locations)
        self.questions: dict[str, w.Checkbox] = {item.id: checkbox(item.question) for item in asked}
        tried = checklist.tried_care
        self.tried: dict[str, w.Checkbox] = {c: checkbox(catalog.component(c).title) for c in tried.care}
        self.tried_for = radio(tried.duration_question, [(d, d) for d in tried.durations])
        self.tried_box = group(paragraph(tried.question), *self.tried.values(), self.tried_for)
        self.urgent_box = html()
        self.result = html()
        signal_rows: list[w.Widget] = []
        for item in checklist.signals:
            signal_rows += [self.questions[item.id], *([self.tried_box] if item.id == tried.follows else [])]
        title = catalog.labels.checklist.step.format
        # The readiness check before and after the questions; red flags still come first, and a ticked one hides
        # both, so nothing about feeling sure sits beside a sign that needs help.
        self.ready_before = ReadinessCheck(catalog, "before")
        self.ready_after = ReadinessCheck(catalog, "after", lead=catalog.labels.readiness.again)
        # Shown as plain HTML before the tool (widgets.show_tool): it reads before any script runs.
        self.header = render_tool_page_header(catalog, PAGE)
        self.widget = tool(
            step(heading(title(number=1, title=flags.title)), paragraph(flags.intro.text), *self._boxes(signs)),
            self.urgent_box,
            self.ready_before.widget,
            step(heading(title(number=2, title=reasons.title)), paragraph(reasons.intro.text),
                 *self._boxes(reasons.items)),
            step(heading(title(number=3, title=checklist.signals_title)), *signal_rows),
            step(heading(title(number=4, title=checklist.locations_title)), *self._boxes(checklist.locations)),
            step(self.result),
            self.ready_after.widget,
        )  # fmt: skip
        for control in (*self.questions.values(), *self.tried.values(), self.tried_for):
            control.observe(self._update, names="value")
        self._update()

    def _boxes(self, items: Iterable[Sign | Contraindication | ChecklistItem]) -> list[w.Checkbox]:
        return [self.questions[item.id] for item in items]

    def answers(self) -> Answers:
        return Answers(
            yes=frozenset(i for i, box in self.questions.items() if box.value),
            tried=frozenset(i for i, box in self.tried.items() if box.value),
            tried_for=self.tried_for.value,
        )

    def _update(self, _change: object = None) -> None:
        assessment = assess_candidacy(self.answers(), self.catalog)
        page = assessment_page(assessment, self.catalog)
        # The urgent part again, right under the red flags, so no one has to scroll to find it.
        words = self.catalog.labels.page
        urgent = (
            render_sections(page.sections[:1], page.slug, words, ids="checklist-now") if assessment.red_flags else ""
        )
        self.urgent_box.value = urgent
        self.result.value = render_page(page, embedded=True)
        show_when(self.tried_box, self.questions[self.catalog.checklist.tried_care.follows].value)
        for check in (self.ready_before, self.ready_after):
            show_when(check.widget, not assessment.red_flags)
