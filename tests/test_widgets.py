"""Each tool, built without a kernel: set values as a patient would and check what it shows."""

from __future__ import annotations

import base64
import re
from html import escape

import ipywidgets as w
import pytest

from backpain_edu.catalog import Catalog
from backpain_edu.render.html import widget_style
from backpain_edu.render.html_tools import render_tool_page_header
from backpain_edu.widgets import CarePlanTool, ChecklistTool


def _controls(widget: w.Widget) -> list[w.Widget]:
    """Every control a patient can use, anywhere in a tool's tree."""
    if isinstance(widget, w.Box):
        return [c for child in widget.children for c in _controls(child)]
    return [widget] if isinstance(widget, w.ValueWidget | w.Button) and not isinstance(widget, w.HTML) else []


def _visible(widget: w.Widget) -> bool:
    return widget.layout.display != "none"


def _tools(catalog: Catalog) -> list[w.Widget]:
    return [ChecklistTool(catalog).widget, CarePlanTool(catalog).widget]


def test_every_control_in_every_tool_has_a_visible_label(catalog: Catalog) -> None:
    for tool in _tools(catalog):
        assert "bpe-tool" in tool._dom_classes
        controls = _controls(tool)
        assert controls
        for control in controls:
            assert control.description.strip(), type(control).__name__


class TestChecklist:
    def test_a_red_flag_shows_the_urgent_box_under_step_one_and_first_in_the_result(self, catalog: Catalog) -> None:
        tool = ChecklistTool(catalog)
        assert tool.urgent_box.value == ""
        tool.questions["muscle-knots"].value = True
        tool.questions["trouble-walking"].value = True
        assert "See a doctor today" in tool.urgent_box.value
        assert "bpe-urgent" in tool.result.value and "Tight, tender knots in muscle" not in tool.result.value
        tool.questions["bladder-trouble"].value = True
        assert "emergency department" in tool.urgent_box.value and "911" in tool.urgent_box.value
        assert "Topics to talk about" not in tool.result.value
        tool.questions["bladder-trouble"].value = tool.questions["trouble-walking"].value = False
        assert tool.urgent_box.value == "" and "bpe-urgent" not in tool.result.value
        assert "Tight, tender knots in muscle" in tool.result.value

    def test_the_urgent_box_and_the_result_never_share_an_element_id(self, catalog: Catalog) -> None:
        tool = ChecklistTool(catalog)
        tool.questions["saddle-numbness"].value = True
        ids = re.findall(r' id="([^"]+)"', tool.urgent_box.value + tool.result.value)
        assert len(ids) == len(set(ids))

    def test_a_reason_to_wait_adds_its_tell_your_doctor_note(self, catalog: Catalog) -> None:
        tool = ChecklistTool(catalog)
        tool.questions["pregnancy"].value = True
        assert "Tell your doctor" in tool.result.value
        assert catalog.contraindications.items[-1].tell_doctor.split(".")[0] in tool.result.value

    def test_the_which_care_questions_appear_only_after_tried_other_care(self, catalog: Catalog) -> None:
        tool = ChecklistTool(catalog)
        tried = catalog.checklist.tried_care
        assert not _visible(tool.tried_box)
        tool.questions[tried.follows].value = True
        assert _visible(tool.tried_box)
        tool.tried["heat"].value = True
        tool.tried_for.value = tried.durations[2]
        assert f"You said you tried: Heat on the skin. For how long: {tried.durations[2]}." in tool.result.value

    def test_a_location_links_to_its_injection_guide(self, catalog: Catalog) -> None:
        tool = ChecklistTool(catalog)
        tool.questions["buttock-one-side"].value = True
        assert 'href="04_sacroiliac_joint.ipynb"' in tool.result.value


class TestCarePlan:
    def test_choices_show_in_the_live_plan(self, catalog: Catalog) -> None:
        tool = CarePlanTool(catalog)
        assert "Nothing picked yet" in tool.plan_view.value
        tool.goals["lift-a-child"].value = True
        tool.parts["home-exercise"].value = True
        tool.times["home-exercise"].value = 4
        tool.values["quick-relief"].value = catalog.care_options.value_levels.index("Quite a lot")
        view = tool.plan_view.value
        assert "Lift and carry a child" in view
        assert "Each week: Exercise at home, 4 times." in view
        assert "Getting relief fast: Quite a lot" in view

    def test_times_a_week_and_questions_show_only_for_what_is_picked(self, catalog: Catalog) -> None:
        tool = CarePlanTool(catalog)
        assert not _visible(tool.times["heat"]) and not _visible(tool.question_boxes["facet-joint"])
        tool.parts["heat"].value = True
        tool.injections["facet-joint"].value = True
        assert _visible(tool.times["heat"]) and _visible(tool.question_boxes["facet-joint"])
        assert "weight" not in tool.times

    def test_a_question_counts_only_while_its_injection_is_picked(self, catalog: Catalog) -> None:
        tool = CarePlanTool(catalog)
        question = catalog.injection("regenerative").questions[0].text
        tool.injections["regenerative"].value = True
        tool.questions[("regenerative", 0)].value = True
        assert question in tool.plan_view.value
        tool.injections["regenerative"].value = False
        assert question not in tool.plan_view.value

    def test_make_my_pdf_offers_a_pdf_and_any_change_takes_the_old_one_away(self, catalog: Catalog) -> None:
        tool = CarePlanTool(catalog)
        tool.goals["walk-longer"].value = True
        assert catalog.labels.care_plan.pdf_stale in tool.download.value
        tool.make_pdf.click()
        link = re.search(r'href="data:application/pdf;base64,([^"]+)" download="care-plan.pdf"', tool.download.value)
        assert link and base64.b64decode(link.group(1)).startswith(b"%PDF-")
        assert catalog.labels.care_plan.pdf_ready in tool.download.value
        tool.goals["sleep-better"].value = True
        assert "data:application/pdf" not in tool.download.value

    def test_the_print_view_shows_the_notice_and_marks_the_plan_for_printing(self, catalog: Catalog) -> None:
        tool = CarePlanTool(catalog)
        assert catalog.site.notice not in tool.plan_view.value and not _visible(tool.print_hint)
        tool.print_view.value = True
        assert catalog.site.notice in tool.plan_view.value
        assert "bpe-print-on" in tool.plan_view._dom_classes and _visible(tool.print_hint)
        tool.print_view.value = False
        assert "bpe-print-on" not in tool.plan_view._dom_classes


@pytest.mark.parametrize("in_page", [False, True])
def test_a_tool_shows_its_title_itself_unless_the_apps_page_already_does(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, in_page: bool
) -> None:
    """In JupyterLab and the slides the tool shows its title and introduction; in the app the page template sends
    them (the server sets the variable for its kernels), so the kernel shows the controls only: one title either way."""
    import IPython.display

    from backpain_edu import widgets

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    if in_page:
        monkeypatch.setenv(widgets.HEADER_VARIABLE, widgets.HEADER_IN_PAGE)
    else:
        monkeypatch.delenv(widgets.HEADER_VARIABLE, raising=False)
    widgets.show_checklist()
    assert isinstance(shown[-1], w.Widget) and "bpe-tool" in shown[-1]._dom_classes
    header = [item.data for item in shown[:-1]]
    title = f"<h1>{escape(catalog.site_map.page('checklist').title)}</h1>"
    assert header == ([] if in_page else [widget_style() + render_tool_page_header(catalog, "checklist")])
    assert in_page or title in header[0]


def _all_parts(widget: w.Widget) -> list[w.Widget]:
    """A tool's widgets, anywhere in its tree."""
    children = widget.children if isinstance(widget, w.Box) else ()
    return [widget, *(part for child in children for part in _all_parts(child))]


def test_each_tool_shares_one_layout_or_style_per_look_and_no_answer_changes_a_shared_one(catalog: Catalog) -> None:
    """Layouts and styles are widgets of their own, each opened by the kernel and built by the page: a tool makes one
    per look and shares it. Hiding or showing a part swaps its layout, so ticking things changes no shared one."""
    from backpain_edu.widgets import DiaryTool

    for tool in (ChecklistTool(catalog), CarePlanTool(catalog), DiaryTool(catalog)):
        parts = _all_parts(tool.widget)
        shared = {id(look): look for part in parts for look in (part.layout, getattr(part, "style", None)) if look}
        looks = [(type(look).__name__, repr(sorted(look.get_state().items()))) for look in shared.values()]
        assert len(looks) == len(set(looks)), type(tool).__name__
        assert len(shared) < len(parts) / 4, type(tool).__name__
        before = {key: look.get_state() for key, look in shared.items()}
        boxes = [part for part in parts if isinstance(part, w.Checkbox | w.ToggleButton)]
        for value in (True, False, True):
            for box in boxes:
                box.value = value
        assert {key: shared[key].get_state() for key in before} == before, type(tool).__name__
