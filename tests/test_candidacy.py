"""Checklist rules: red flags decide the outcome, reasons to wait, topics, and never a verdict.

The safety rules are checked on the rendered result, as a patient would read it, not only on the
rule object: an emergency sign shows the number to call and nothing that reassures; a same-day
sign shows its own outcome; "you did not tick anything" only when nothing was ticked.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backpain_edu.candidacy import Answers, Assessment, assess_candidacy, question_ids
from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog_from
from backpain_edu.deployment import Deployment
from backpain_edu.render.html import render_page
from backpain_edu.render.tool_pages import assessment_page
from tests.test_content import ADVICE_WORDING

CATALOG = load_catalog_from(CONTENT_DIR, Deployment())
REGIONS = {region: load_catalog_from(CONTENT_DIR, Deployment(region)) for region in ("uk", "us", "eu", "default")}
NUMBERS = {"uk": ("999",), "us": ("911",), "eu": ("112",), "default": ("999", "112", "911")}
FLAGS = CATALOG.red_flags
EMERGENCY = tuple(s.id for s in FLAGS.emergency.signs)
SAME_DAY = tuple(s.id for s in FLAGS.same_day.signs)
RED_FLAGS = EMERGENCY + SAME_DAY
REASONS = tuple(item.id for item in CATALOG.contraindications.items)
TOPIC_QUESTIONS = tuple(item.id for item in (*CATALOG.checklist.signals, *CATALOG.checklist.locations))
TRIED = CATALOG.checklist.tried_care


def _assess(*yes: str, **details) -> Assessment:
    return assess_candidacy(Answers(yes=frozenset(yes), **details), CATALOG)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _reassuring(catalog: Catalog) -> tuple[str, ...]:
    """Text that must never sit next to an emergency sign: anything that calms or offers other care."""
    checklist = catalog.checklist
    item_topics = [i.if_yes for i in (*checklist.signals, *checklist.locations)]
    item_topics += [i.if_no for i in checklist.signals if i.if_no]
    return (
        checklist.nothing_ticked.text,
        "did not tick",
        "Care to try first",
        "Build a care plan",
        "Topics to talk about",
        checklist.always_title,
        *(s.text for s in checklist.always),
        *(t.title for t in item_topics),
        *(item.tell_doctor for item in catalog.contraindications.items),
    )


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
    ("yes", "outcome", "emergency", "same_day"),
    [
        ((), "topics", (), ()),
        (("saddle-numbness",), "emergency", ("saddle-numbness",), ()),
        (("bladder-trouble", "leg-below-knee"), "emergency", ("bladder-trouble",), ()),
        (("bowel-trouble",), "emergency", ("bowel-trouble",), ()),
        (("sexual-function-change",), "emergency", ("sexual-function-change",), ()),
        (("sciatica-both-legs",), "emergency", ("sciatica-both-legs",), ()),
        (("weakness-both-legs",), "emergency", ("weakness-both-legs",), ()),
        (("major-injury",), "emergency", ("major-injury",), ()),
        (("minor-fall-fragile-bones",), "emergency", ("minor-fall-fragile-bones",), ()),
        (("trouble-walking",), "same-day", (), ("trouble-walking",)),
        (("weight-loss", "cancer-history", "allergy"), "same-day", (), ("cancer-history", "weight-loss")),
        (("fever-or-unwell", "sexual-function-change"), "emergency", ("sexual-function-change",), ("fever-or-unwell",)),
        (("band-like-pain", "night-pain", "infection"), "same-day", (), ("night-pain", "band-like-pain")),
        (("infection",), "topics", (), ()),
    ],
)
def test_every_triage_path_has_its_outcome(yes, outcome, emergency, same_day) -> None:
    assessment = _assess(*yes)
    assert assessment.outcome == outcome
    flags = assessment.red_flags
    assert (
        (tuple(s.id for s in flags.emergency), tuple(s.id for s in flags.same_day)) == (emergency, same_day)
        if (flags)
        else (emergency, same_day) == ((), ())
    )


@pytest.mark.parametrize("sign", EMERGENCY)
@pytest.mark.parametrize("region", sorted(REGIONS))
def test_each_emergency_sign_alone_shows_the_number_and_nothing_else(sign: str, region: str) -> None:
    catalog = REGIONS[region]
    page = assessment_page(assess_candidacy(Answers(yes=frozenset({sign})), catalog), catalog)
    assert [s.anchor for s in page.sections] == ["urgent-symptoms"]
    text = _text(render_page(page, embedded=True))
    assert all(number in text for number in NUMBERS[region])
    assert catalog.region.call_now.text.split(".")[0] in text
    assert not [phrase for phrase in _reassuring(catalog) if phrase in text]


@pytest.mark.parametrize("sign", SAME_DAY)
def test_each_same_day_sign_alone_has_its_own_plain_outcome(sign: str) -> None:
    catalog = REGIONS["uk"]
    page = assessment_page(assess_candidacy(Answers(yes=frozenset({sign, "leg-below-knee"})), catalog), catalog)
    assert [s.anchor for s in page.sections] == ["urgent-symptoms"]
    text = _text(render_page(page, embedded=True))
    assert "NHS 111" in text and "today" in text
    assert "Care to try first" not in text and "Build a care plan" not in text and "did not tick" not in text


def test_a_reason_to_wait_alone_is_not_called_nothing_ticked() -> None:
    for reason in REASONS:
        assessment = _assess(reason)
        assert not assessment.nothing_ticked
        assert "did not tick" not in _text(render_page(assessment_page(assessment, CATALOG)))


def test_an_infection_now_points_to_the_fever_sign_unless_it_is_already_ticked() -> None:
    fever = next(s for s in FLAGS.same_day.signs if s.id == "fever-or-unwell")
    text = _text(render_page(assessment_page(_assess("infection"), CATALOG)))
    assert CATALOG.checklist.with_red_flag in text and fever.text in text
    assert _assess("infection", "fever-or-unwell").point_to == ()


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
    assert assessment.nothing_ticked and assessment.red_flags is None
    page = assessment_page(assessment, CATALOG)
    assert [s.anchor for s in page.sections] == ["topics", "always"]
    assert page.sections[0].lead.text == CATALOG.checklist.nothing_ticked.text


def test_every_result_without_a_red_flag_offers_care_without_injections() -> None:
    for yes in ((), ("leg-below-knee",), ("allergy", "muscle-knots")):
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


@settings(max_examples=300, deadline=None)
@given(answers, st.sampled_from(sorted(REGIONS)))
def test_the_rendered_result_never_reassures_after_a_red_flag(answers: Answers, region: str) -> None:
    catalog = REGIONS[region]
    assessment = assess_candidacy(answers, catalog)
    page = assessment_page(assessment, catalog)
    html = render_page(page, embedded=True)
    text = _text(html)
    emergency, same_day = answers.yes & set(EMERGENCY), answers.yes & set(SAME_DAY)
    assert page.summary is None
    if emergency or same_day:
        # The red-flag box is the first thing on the page, and the only urgent one.
        assert page.sections[0].anchor == "urgent-symptoms" and page.sections[0].urgent
        assert html.split('<section class="bpe-section', 2)[1].startswith(' bpe-urgent"')
        assert (
            catalog.site_map.notebook("care-plan") not in html
            and "Care to try first" not in text
            and "did not tick" not in text
        )
        assert "Topics to talk about" not in text
    if emergency:
        assert assessment.outcome == "emergency"
        assert all(number in text for number in NUMBERS[region])
        assert not [phrase for phrase in _reassuring(catalog) if phrase in text]
        assert 'href="0' not in html  # no link to any other page: only the sources
    elif same_day:
        assert assessment.outcome == "same-day"
        assert catalog.region.same_day.text.split(".")[0] in text
    else:
        assert assessment.outcome == "topics" and "bpe-urgent" not in html
        assert assessment.nothing_ticked == (not answers.yes)
        assert (catalog.checklist.nothing_ticked.text in text) == (not answers.yes)
    assert "urgent care" not in text.lower()
    assert "candidate" not in text.lower()
    assert not ADVICE_WORDING.search(text)
    assert render_page(assessment_page(assess_candidacy(answers, catalog), catalog), embedded=True) == html
