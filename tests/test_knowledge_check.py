"""Knowledge-check answers: right or not, the right answer, and why."""

from __future__ import annotations

import pytest

from backpain_edu.catalog import Catalog
from backpain_edu.knowledge_check import check_answer, right_option


def test_every_injection_has_three_to_five_questions_with_one_right_answer(catalog: Catalog) -> None:
    for injection in catalog.injections:
        assert 3 <= len(injection.knowledge_check) <= 5
        for question in injection.knowledge_check:
            assert sum(o.correct for o in question.options) == 1


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
