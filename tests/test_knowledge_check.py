"""Knowledge-check answers: right or not, the right answer, and why."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backpain_edu.catalog import Catalog, load_catalog_from
from backpain_edu.knowledge_check import check_answer, right_option
from backpain_edu.models import ContentError


@pytest.mark.parametrize("keep", [2, 6])
def test_a_knowledge_check_of_fewer_than_three_or_more_than_five_questions_is_refused(
    content_copy: Path, keep: int
) -> None:
    # One right answer per question: tests/test_models.py::test_a_quiz_question_needs_exactly_one_right_answer.
    path = content_copy / "injections" / "facet-joint.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = data["knowledge_check"]
    data["knowledge_check"] = (questions * 2)[:keep]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert (caught.value.file, caught.value.field) == ("injections/facet-joint.yaml", "knowledge_check")


def test_a_right_answer_says_so_and_explains_with_sources(catalog: Catalog) -> None:
    question = catalog.injection("epidural-steroid").knowledge_check[0]
    feedback = check_answer(question, right_option(question))
    assert feedback.correct
    assert feedback.answer == question.options[right_option(question)].text
    assert feedback.explanation.refs


def test_a_wrong_answer_shows_the_right_one(catalog: Catalog) -> None:
    question = catalog.injection("facet-joint").knowledge_check[0]
    wrong = next(n for n, o in enumerate(question.options) if not o.correct)
    feedback = check_answer(question, wrong)
    assert not feedback.correct and feedback.answer == question.options[right_option(question)].text


def test_an_option_that_does_not_exist_is_refused(catalog: Catalog) -> None:
    question = catalog.injections[0].knowledge_check[0]
    with pytest.raises(ValueError, match="no option"):
        check_answer(question, len(question.options))
