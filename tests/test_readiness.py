"""The readiness check (SURE test): any "no" shows its help, four "yes" never score anyone as ready for an injection,
and the answers reach the care plan and its PDF for the clinician. Pure logic first, then the widgets without a kernel.
"""

from __future__ import annotations

import base64
import itertools
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from backpain_edu.care_plan import PlanChoices, build_care_plan
from backpain_edu.catalog import Catalog, load_catalog_from
from backpain_edu.models import ContentError
from backpain_edu.readiness import check_readiness
from backpain_edu.render.html import render_page
from backpain_edu.render.pdf import render_pdf
from backpain_edu.render.tool_pages import care_plan_page, readiness_page
from backpain_edu.widgets import CarePlanTool, ChecklistTool
from tests.test_render_pdf import flat, pdf_text


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_any_no_lists_its_questions_four_yes_is_all_yes_and_none_is_not_answered(catalog: Catalog) -> None:
    readiness = catalog.readiness
    ids = [q.id for q in readiness.questions]
    assert len(ids) == 4
    nothing = check_readiness({}, readiness)
    assert not nothing.answered and not nothing.unsure and not nothing.all_yes
    sure = check_readiness(dict.fromkeys(ids, True), readiness)
    assert sure.all_yes and sure.unsure == ()
    mixed = check_readiness({ids[0]: True, ids[2]: False}, readiness)
    assert mixed.answered and not mixed.all_yes and [q.id for q in mixed.unsure] == [ids[2]]
    with pytest.raises(ValueError, match="unknown readiness question"):
        check_readiness({"ready-for-a-shot": True}, readiness)


def test_every_set_of_answers_shows_the_help_for_each_no_and_only_for_a_no(catalog: Catalog) -> None:
    readiness = catalog.readiness
    questions = readiness.questions
    for answers in itertools.product((True, False, None), repeat=len(questions)):
        result = check_readiness({q.id: a for q, a in zip(questions, answers, strict=True)}, readiness)
        page = readiness_page(result, catalog, "readiness-test")
        if not result.answered:
            assert page is None
            continue
        assert page is not None
        text = _text(render_page(page, embedded=True))
        for question, answer in zip(questions, answers, strict=True):
            assert (flat(question.help.text) in flat(text)) == (answer is False), (answers, question.id)
        assert (flat(readiness.some_no.text) in flat(text)) == (False in answers)
        assert (flat(readiness.all_yes.text) in flat(text)) == all(a is True for a in answers)
        # Each help links to the page that gives it.
        for question in result.unsure:
            assert f'href="{catalog.site_map.notebook(question.page)}"' in render_page(page, embedded=True)


def test_the_answers_go_into_the_care_plan_pdf_for_the_clinician(catalog: Catalog) -> None:
    questions, words = catalog.readiness.questions, catalog.labels.readiness
    answers = {questions[0].id: False, questions[1].id: True}
    plan = build_care_plan(PlanChoices(readiness=answers), catalog)
    text = flat(pdf_text(render_pdf(care_plan_page(plan, catalog))))
    assert flat(words.answers) in text
    assert flat(f"{questions[0].text} {words.no}") in text and flat(f"{questions[1].text} {words.yes}") in text
    assert flat(f"{questions[2].text} {words.not_answered}") in text
    assert flat(questions[0].help.text) in text and flat(questions[1].help.text) not in text
    # No answers: the plan says nothing about readiness.
    empty = flat(pdf_text(render_pdf(care_plan_page(build_care_plan(PlanChoices(), catalog), catalog))))
    assert flat(words.answers) not in empty


def test_a_help_pointing_at_a_page_the_site_does_not_have_fails_naming_file_and_field(content_copy: Path) -> None:
    path = content_copy / "readiness.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][1]["page"] = "shot-booking"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert (caught.value.file, caught.value.field) == ("readiness.yaml", "questions[1].page")


class TestWidgets:
    def test_the_checklist_asks_before_and_after_and_a_red_flag_hides_both(self, catalog: Catalog) -> None:
        tool = ChecklistTool(catalog)
        children = list(tool.widget.children)
        before, after = children.index(tool.ready_before.widget), children.index(tool.ready_after.widget)
        # Red flags first (their step, then the urgent box), then the check; again at the very end, with its lead.
        assert children.index(tool.urgent_box) < before < after == len(children) - 1
        assert catalog.labels.readiness.again == _text(tool.ready_after.widget.children[1].value)
        tool.ready_before.choices["sure"].value = False
        assert flat(catalog.readiness.questions[0].help.text) in flat(_text(tool.ready_before.meaning.value))
        sign = catalog.red_flags.signs[0].id
        tool.questions[sign].value = True
        assert tool.ready_before.widget.layout.display == tool.ready_after.widget.layout.display == "none"
        # Only they: the rest of the tool, the red flags and the urgent box stay in view.
        shown = [
            tool.widget,
            *(c for c in tool.widget.children if c not in (tool.ready_before.widget, tool.ready_after.widget)),
        ]
        assert all(c.layout.display != "none" for c in shown)
        tool.questions[sign].value = False
        assert tool.ready_before.widget.layout.display != "none" and tool.ready_after.widget.layout.display != "none"

    def test_care_plan_answers_show_in_the_live_plan_and_its_pdf(self, catalog: Catalog) -> None:
        tool = CarePlanTool(catalog)
        question = catalog.readiness.questions[3]
        assert flat(catalog.labels.readiness.answers) not in flat(_text(tool.plan_view.value))
        tool.readiness.choices[question.id].value = False
        assert flat(f"{question.text} {catalog.labels.readiness.no}") in flat(_text(tool.plan_view.value))
        tool.make_pdf.click()
        link = re.search(r'href="data:application/pdf;base64,([^"]+)"', tool.download.value)
        assert link and flat(question.help.text) in flat(pdf_text(base64.b64decode(link.group(1))))
