"""The care-plan page: goals, parts of care with times a week, injections and their questions,
what matters, a note; a live plan, a print-friendly view and a PDF download.

Built once; every change calls :func:`build_care_plan` and shows the result. The PDF is made
in memory when asked for and handed to the browser as a data: link; nothing is written to disk,
and nothing typed here outlives the page.
"""

from __future__ import annotations

import ipywidgets as w

from backpain_edu.care_plan import PlanChoices, build_care_plan, plan_file_name
from backpain_edu.catalog import Catalog
from backpain_edu.models import CareComponent, Injection
from backpain_edu.render.html import render_download_link, render_page, render_text
from backpain_edu.render.html_tools import render_tool_page_header
from backpain_edu.render.page import Page
from backpain_edu.render.tool_pages import care_plan_page
from backpain_edu.widgets._controls import (
    button,
    buttons,
    checkbox,
    dropdown,
    group,
    heading,
    hint,
    html,
    paragraph,
    show_when,
    stacked,
    step,
    text_box,
    tool,
)
from backpain_edu.widgets.readiness import ReadinessCheck

PAGE = "care-plan"
"""This tool's page in the site map (``pages.yaml``)."""


class CarePlanTool:
    """The widget tree of the care plan and the callbacks that keep the plan current."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        care = catalog.care_options
        words = catalog.labels.care_plan
        self.title = text_box(words.plan_title_box)
        self.goals = {g.id: checkbox(g.title) for g in care.goals}
        self.own_goal = text_box(words.own_goal_box)
        self.parts = {c.id: checkbox(c.title) for c in care.components}
        self.times = {c.id: self._times(c) for c in care.components if c.weekly}
        self.injections = {i.id: checkbox(i.title) for i in catalog.injections}
        self.questions = {(i.id, n): checkbox(q.text) for i in catalog.injections for n, q in enumerate(i.questions)}
        self.question_boxes = {i.id: self._questions_of(i) for i in catalog.injections}
        self.values = {v.id: self._value_choice(v.title) for v in care.values}
        self.note = stacked(w.Textarea, description=words.note_box, continuous_update=False)
        self.readiness = ReadinessCheck(catalog, "plan", on_change=self._update)
        self.plan_view = html()
        self.make_pdf = button(description=words.make_pdf, button_style="primary")
        self.download = html(render_text(words.pdf_stale))
        self.print_view = button(w.ToggleButton, description=words.print_view, icon="print", value=False)
        self.print_hint = html(render_text(words.print_hint))
        # Shown as plain HTML before the tool (widgets.show_tool): it reads before any script runs.
        self.header = render_tool_page_header(catalog, PAGE)
        self.widget = tool(
            step(self.title),
            step(heading(care.goals_title), *self.goals.values(), self.own_goal),
            step(heading(care.components_title), paragraph(care.frequency_note.text), *self._parts(care.components)),
            step(heading(care.injections_title), paragraph(care.injections_intro), *self._injections()),
            step(heading(care.values_title), paragraph(care.values_intro.text), *self.values.values()),
            step(heading(words.note_heading), paragraph(care.note_intro), self.note),
            self.readiness.widget,
            step(self.plan_view, buttons(self.make_pdf, self.print_view), self.download, self.print_hint),
        )
        self._observe()
        self._update()

    def _times(self, component: CareComponent) -> w.Dropdown:
        # No starting number: our sources give none, so the patient (with their doctor) sets it.
        words = self.catalog.labels.care_plan
        times = [(words.once_a_week if n == 1 else words.times_a_week.format(count=n), n) for n in range(1, 8)]
        return dropdown(words.how_often.format(part=component.title.lower()), [(words.not_set_yet, None), *times], None)

    def _value_choice(self, title: str) -> w.Dropdown:
        levels = self.catalog.care_options.value_levels
        return dropdown(title, [(level, n) for n, level in enumerate(levels)], 0)

    def _parts(self, components: tuple[CareComponent, ...]) -> list[w.Widget]:
        rows: list[w.Widget] = []
        for c in components:
            rows += [
                self.parts[c.id],
                hint(c.description.text),
                *([self.times[c.id]] if c.id in self.times else []),
            ]
        return rows

    def _questions_of(self, injection: Injection) -> w.VBox:
        return group(*(self.questions[(injection.id, n)] for n in range(len(injection.questions))))

    def _injections(self) -> list[w.Widget]:
        return [part for i in self.catalog.injections for part in (self.injections[i.id], self.question_boxes[i.id])]

    def _observe(self) -> None:
        controls = (
            self.title, self.own_goal, self.note, *self.goals.values(), *self.parts.values(), *self.times.values(),
            *self.injections.values(), *self.questions.values(), *self.values.values(), self.print_view,
        )  # fmt: skip
        for control in controls:
            control.observe(self._update, names="value")
        self.make_pdf.on_click(self._make_pdf)

    def choices(self) -> PlanChoices:
        return PlanChoices(
            title=self.title.value,
            goals=frozenset(i for i, box in self.goals.items() if box.value),
            own_goal=self.own_goal.value,
            components={
                i: (self.times[i].value if i in self.times else None) for i, b in self.parts.items() if b.value
            },
            injections=frozenset(i for i, box in self.injections.items() if box.value),
            questions=frozenset(k for k, box in self.questions.items() if box.value and self.injections[k[0]].value),
            values={i: choice.value for i, choice in self.values.items()},
            note=self.note.value,
            readiness=self.readiness.answers(),
        )

    def _page(self) -> Page:
        return care_plan_page(build_care_plan(self.choices(), self.catalog), self.catalog)

    def _update(self, _change: object = None) -> None:
        for component_id, times in self.times.items():
            show_when(times, self.parts[component_id].value)
        for injection_id, box in self.question_boxes.items():
            show_when(box, self.injections[injection_id].value)
        printing = self.print_view.value
        self.plan_view.value = render_page(self._page(), embedded=not printing, printing=printing)
        (self.plan_view.add_class if printing else self.plan_view.remove_class)("bpe-print-on")
        show_when(self.print_hint, printing)
        self.download.value = render_text(self.catalog.labels.care_plan.pdf_stale)

    def _make_pdf(self, _button: object = None) -> None:
        # Imported on first use: fpdf2 and fontTools take about 0.25 s to import, and most pages
        # (and most visits to this one) never make a PDF.
        from backpain_edu.render.pdf import render_pdf

        words = self.catalog.labels.care_plan
        data = render_pdf(self._page(), language=self.catalog.language)
        name = plan_file_name(self.title.value, words.file_name)
        link = render_download_link(data, name, "application/pdf", words.download)
        self.download.value = link + render_text(words.pdf_ready)
