"""Checklist rules: red flags first, reasons to wait, topics to discuss, and never a verdict."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backpain_edu.candidacy import Answers, assess_candidacy, question_ids
from backpain_edu.catalog import Catalog, load_catalog
from backpain_edu.render.html import render_page
from backpain_edu.render.tool_pages import assessment_page
from tests.test_content import ADVICE_WORDING

CATALOG = load_catalog()
FLAGS = CATALOG.red_flags
EMERGENCY = tuple(s.id for s in FLAGS.emergency.signs)
URGENT = tuple(s.id for s in FLAGS.urgent.signs)
RED_FLAGS = EMERGENCY + URGENT
TRIED = CATALOG.checklist.tried_care


def _assess(*yes: str, **details) -> object:
    return assess_candidacy(Answers(yes=frozenset(yes), **details), CATALOG)


@pytest.mark.parametrize(
    ("yes", "injections"),
    [
        ((), ()),
        (("leg-below-knee",), ("epidural-steroid",)),
        (("stand-or-twist",), ("facet-joint", "medial-branch-rfa")),
        (("buttock-one-side",), ("sacroiliac-joint",)),
        (("muscle-knots",), ("trigger-point",)),
        (("suspected-nerve",), ("epidural-steroid",)),
        (("suspected-joint",), ("facet-joint", "medial-branch-rfa", "sacroiliac-joint")),
        (("suspected-disc",), ("epidural-steroid", "regenerative")),
        (("pain-limits-life", "imaging-source"), ()),
        (("muscle-knots", "leg-below-knee"), ("epidural-steroid", "trigger-point")),
    ],
)
def test_each_answer_names_the_matching_injection_guides_in_catalog_order(yes, injections) -> None:
    assert tuple(i.id for i in _assess(*yes).injections) == injections


@pytest.mark.parametrize(
    ("yes", "emergency", "urgent"),
    [
        (("saddle-numbness",), ("saddle-numbness",), ()),
        (("bladder-or-bowel-trouble", "leg-below-knee"), ("bladder-or-bowel-trouble",), ()),
        (("worsening-leg-weakness",), (), ("worsening-leg-weakness",)),
        (("weight-loss", "cancer-history", "allergy"), (), ("cancer-history", "weight-loss")),
        (("fever-or-unwell", "sexual-numbness"), ("sexual-numbness",), ("fever-or-unwell",)),
    ],
)
def test_red_flags_are_sorted_into_emergency_and_urgent_review(yes, emergency, urgent) -> None:
    result = _assess(*yes).urgent
    assert tuple(s.id for s in result.emergency) == emergency
    assert tuple(s.id for s in result.urgent) == urgent
    assert result.go_to_emergency == bool(emergency)


@pytest.mark.parametrize("item", CATALOG.contraindications.items, ids=lambda i: i.id)
def test_each_reason_to_wait_adds_its_own_tell_your_doctor_note(item) -> None:
    assessment = _assess(item.id)
    assert assessment.tell_doctor == (item,)
    html = render_page(assessment_page(assessment, CATALOG))
    assert item.tell_doctor.split(".")[0] in html


def test_no_reason_to_wait_ticked_means_no_tell_your_doctor_section() -> None:
    page = assessment_page(_assess("leg-below-knee"), CATALOG)
    assert "tell-doctor" not in [s.anchor for s in page.sections]


def test_tried_other_care_swaps_care_to_try_first_for_what_was_tried() -> None:
    signal = next(s for s in CATALOG.checklist.signals if s.id == TRIED.follows)
    assert signal.if_no in _assess().topics
    tried = _assess(TRIED.follows, tried=frozenset({"heat"}), tried_for=TRIED.durations[1])
    assert signal.if_yes in tried.topics and signal.if_no not in tried.topics
    assert [c.id for c in tried.tried] == ["heat"] and tried.tried_for == TRIED.durations[1]
    html = render_page(assessment_page(tried, CATALOG))
    assert "Heat on the skin" in html and TRIED.durations[1] in html


def test_which_care_was_tried_counts_only_when_tried_other_care_is_ticked() -> None:
    assessment = _assess(tried=frozenset({"heat"}), tried_for=TRIED.durations[0])
    assert assessment.tried == () and assessment.tried_for is None


def test_nothing_ticked_still_gives_topics_and_the_advice_for_every_visit() -> None:
    assessment = _assess()
    assert assessment.nothing_ticked and assessment.urgent is None
    page = assessment_page(assessment, CATALOG)
    assert [s.anchor for s in page.sections] == ["topics", "always"]
    assert page.sections[0].lead.text == CATALOG.checklist.nothing_ticked.text


def test_every_result_offers_care_without_injections() -> None:
    for yes in ((), ("leg-below-knee",), ("saddle-numbness", "muscle-knots")):
        assert {"physical-therapy", "home-exercise"} <= {c.id for c in _assess(*yes).care}


@pytest.mark.parametrize(
    "answers",
    [
        Answers(yes=frozenset({"not-a-question"})),
        Answers(tried=frozenset({"surgery"})),
        Answers(tried_for="forever"),
    ],
)
def test_unknown_answers_fail_loudly_instead_of_being_dropped(answers: Answers) -> None:
    with pytest.raises(ValueError, match="unknown"):
        assess_candidacy(answers, CATALOG)


def test_question_ids_put_red_flags_first_then_reasons_to_wait(catalog: Catalog) -> None:
    ids = question_ids(catalog)
    assert ids[: len(RED_FLAGS)] == RED_FLAGS
    assert ids[len(RED_FLAGS)] == catalog.contraindications.items[0].id
    assert len(ids) == len(set(ids))


answers = st.builds(
    Answers,
    yes=st.frozensets(st.sampled_from(question_ids(CATALOG))),
    tried=st.frozensets(st.sampled_from(TRIED.care)),
    tried_for=st.none() | st.sampled_from(TRIED.durations),
)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@settings(max_examples=150, deadline=None)
@given(answers)
def test_any_red_flag_puts_urgent_care_first_and_no_result_says_candidate(answers: Answers) -> None:
    assessment = assess_candidacy(answers, CATALOG)
    page = assessment_page(assessment, CATALOG)
    html = render_page(page, embedded=True)
    flagged = answers.yes & set(RED_FLAGS)
    assert (assessment.urgent is not None) == bool(flagged)
    assert page.summary is None
    text = _text(html)
    if flagged:
        assert page.sections[0].urgent and not any(s.urgent for s in page.sections[1:])
        assert html.split('<section class="bpe-section', 2)[1].startswith(' bpe-urgent"')
        before_topics = text[: text.index("Topics to talk about with your doctor")]
        assert ("emergency department" in before_topics) == bool(flagged & set(EMERGENCY))
    else:
        assert "bpe-urgent" not in html
    assert "candidate" not in text.lower()
    assert not ADVICE_WORDING.search(text)
    assert render_page(assessment_page(assess_candidacy(answers, CATALOG), CATALOG), embedded=True) == html
