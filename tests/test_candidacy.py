"""Checklist rules: red flags decide the outcome, reasons to wait, topics, and never a verdict.

The safety rules are checked on the rendered result, as a patient would read it, not only on the
rule object: an emergency sign shows the number to call and nothing that reassures; a same-day
sign shows its own outcome; "you did not tick anything" only when nothing was ticked. These run in every
language of ``content/languages.yaml``, each against the words of its own content and labels.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backpain_edu.candidacy import Answers, Assessment, assess_candidacy, question_ids
from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog_from, load_languages
from backpain_edu.deployment import Deployment
from backpain_edu.render.html import render_page
from backpain_edu.render.tool_pages import assessment_page
from tests.test_content import ADVICE_WORDING
from tests.test_translations import UNSAFE

LANGUAGES = load_languages().codes
NUMBERS = {"uk": ("999",), "us": ("911",), "eu": ("112",), "default": ("999", "112", "911")}
REGIONS = tuple(NUMBERS)
# The content in each language for each region ("default": none set, which names all three numbers).
CATALOGS = {
    (language, region): load_catalog_from(CONTENT_DIR, Deployment(region), language)
    for language in LANGUAGES
    for region in REGIONS
}
CATALOG = CATALOGS[LANGUAGES[0], "default"]
FLAGS = CATALOG.red_flags
EMERGENCY = tuple(s.id for s in FLAGS.emergency.signs)
SAME_DAY = tuple(s.id for s in FLAGS.same_day.signs)
RED_FLAGS = EMERGENCY + SAME_DAY
REASONS = tuple(item.id for item in CATALOG.contraindications.items)
TOPIC_QUESTIONS = tuple(item.id for item in (*CATALOG.checklist.signals, *CATALOG.checklist.locations))
TRIED = CATALOG.checklist.tried_care


def _assess(*yes: str, catalog: Catalog = CATALOG, **details) -> Assessment:
    return assess_candidacy(Answers(yes=frozenset(yes), **details), catalog)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _nothing_ticked(catalog: Catalog) -> str:
    """The first sentence of "you did not tick anything", in the catalog's language."""
    return catalog.checklist.nothing_ticked.text.split(".")[0]


def _care_first(catalog: Catalog) -> str:
    """The title of the topic that offers care before injections: "Care to try first"."""
    tried = catalog.checklist.tried_care.follows
    return next(signal.if_no.title for signal in catalog.checklist.signals if signal.id == tried)


def _build_plan(catalog: Catalog) -> str:
    """The start of the link to the care plan: "Build a care plan with: "."""
    return catalog.labels.checklist.build_plan.split("{")[0]


def _reassuring(catalog: Catalog) -> tuple[str, ...]:
    """Text that must never sit next to an emergency sign: anything that calms or offers other care."""
    checklist = catalog.checklist
    item_topics = [i.if_yes for i in (*checklist.signals, *checklist.locations)]
    item_topics += [i.if_no for i in checklist.signals if i.if_no]
    return (
        checklist.nothing_ticked.text,
        _nothing_ticked(catalog),
        _care_first(catalog),
        _build_plan(catalog),
        catalog.labels.checklist.topics,
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
        # An emergency result holds the emergency signs only: no "call your doctor today" under "call 999 now".
        (("fever-or-unwell", "sexual-function-change"), "emergency", ("sexual-function-change",), ()),
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


def _result_text(catalog: Catalog, *yes: str, **details) -> str:
    """The checklist result for these answers as a patient reads it (the tool page's fragment)."""
    return _text(render_page(assessment_page(_assess(*yes, catalog=catalog, **details), catalog), embedded=True))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reassuring_phrase_is_text_that_a_result_without_a_red_flag_shows(language: str) -> None:
    # The red-flag tests below look for these phrases: each must be what a result really shows, in the
    # result's language, or "no reassuring phrase next to an emergency sign" could never fail.
    catalog = CATALOGS[language, "default"]
    everything = [i for i in question_ids(catalog) if i not in RED_FLAGS]
    shown = _result_text(catalog) + " " + _result_text(catalog, *everything)
    assert [phrase for phrase in _reassuring(catalog) if phrase not in shown] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("sign", EMERGENCY)
def test_each_emergency_sign_alone_shows_the_number_and_nothing_else(sign: str, region: str, language: str) -> None:
    catalog = CATALOGS[language, region]
    page = assessment_page(assess_candidacy(Answers(yes=frozenset({sign})), catalog), catalog)
    assert [s.anchor for s in page.sections] == ["urgent-symptoms"]
    text = _text(render_page(page, embedded=True))
    assert all(number in text for number in NUMBERS[region])
    assert catalog.region.call_now.text.split(".")[0] in text
    assert not [phrase for phrase in _reassuring(catalog) if phrase in text]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sign", SAME_DAY)
def test_each_same_day_sign_alone_has_its_own_plain_outcome(sign: str, language: str) -> None:
    catalog = CATALOGS[language, "uk"]
    page = assessment_page(assess_candidacy(Answers(yes=frozenset({sign, "leg-below-knee"})), catalog), catalog)
    assert [s.anchor for s in page.sections] == ["urgent-symptoms"]
    text = _text(render_page(page, embedded=True))
    assert "NHS 111" in text and catalog.region.same_day.text.split(".")[0] in text  # "Call your GP today"
    assert [p for p in (_care_first(catalog), _build_plan(catalog), _nothing_ticked(catalog)) if p in text] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reason_to_wait_alone_is_not_called_nothing_ticked(language: str) -> None:
    catalog = CATALOGS[language, "default"]
    for reason in REASONS:
        assessment = _assess(reason, catalog=catalog)
        assert not assessment.nothing_ticked
        assert _nothing_ticked(catalog) not in _result_text(catalog, reason)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_infection_now_points_to_the_fever_sign_unless_it_is_already_ticked(language: str) -> None:
    catalog = CATALOGS[language, "default"]
    fever = next(s for s in catalog.red_flags.same_day.signs if s.id == "fever-or-unwell")
    text = _result_text(catalog, "infection")
    assert catalog.checklist.with_red_flag in text and fever.text in text
    assert _assess("infection", "fever-or-unwell", catalog=catalog).point_to == ()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reason", REASONS)
def test_each_reason_to_wait_adds_its_own_tell_your_doctor_note(reason: str, language: str) -> None:
    catalog = CATALOGS[language, "default"]
    item = next(item for item in catalog.contraindications.items if item.id == reason)
    assessment = _assess(reason, catalog=catalog)
    assert assessment.tell_doctor == (item,)
    html = render_page(assessment_page(assessment, catalog))
    assert item.tell_doctor.split(".")[0] in html


def test_no_reason_to_wait_ticked_means_no_tell_your_doctor_section() -> None:
    page = assessment_page(_assess("leg-below-knee"), CATALOG)
    assert "tell-doctor" not in [s.anchor for s in page.sections]


@pytest.mark.parametrize("language", LANGUAGES)
def test_tried_other_care_swaps_care_to_try_first_for_what_was_tried(language: str) -> None:
    catalog = CATALOGS[language, "default"]
    durations = catalog.checklist.tried_care.durations
    signal = next(s for s in catalog.checklist.signals if s.id == TRIED.follows)
    assert signal.if_no in _assess(catalog=catalog).topics
    tried = _assess(TRIED.follows, catalog=catalog, tried=frozenset({"heat"}), tried_for=durations[1])
    assert signal.if_yes in tried.topics and signal.if_no not in tried.topics
    assert [c.id for c in tried.tried] == ["heat"] and tried.tried_for == durations[1]
    html = render_page(assessment_page(tried, catalog))
    assert catalog.component("heat").title in html and durations[1] in html


def test_which_care_was_tried_counts_only_when_tried_other_care_is_ticked() -> None:
    assessment = _assess(tried=frozenset({"heat"}), tried_for=TRIED.durations[0])
    assert assessment.tried == () and assessment.tried_for is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_ticked_still_gives_topics_and_the_advice_for_every_visit(language: str) -> None:
    catalog = CATALOGS[language, "default"]
    assessment = _assess(catalog=catalog)
    assert assessment.nothing_ticked and assessment.red_flags is None
    page = assessment_page(assessment, catalog)
    assert [s.anchor for s in page.sections] == ["topics", "always"]
    assert page.sections[0].lead.text == catalog.checklist.nothing_ticked.text


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


def _answers(catalog: Catalog) -> st.SearchStrategy[Answers]:
    """Any answers to the checklist in the catalog's language (the ids are the same in every language; the
    durations are its words)."""
    tried = catalog.checklist.tried_care
    return st.builds(
        Answers,
        yes=st.frozensets(st.sampled_from(question_ids(catalog))),
        tried=st.frozensets(st.sampled_from(tried.care)),
        tried_for=st.none() | st.sampled_from(tried.durations),
    )


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=300, deadline=None)
@given(data=st.data(), region=st.sampled_from(REGIONS))
def test_the_rendered_result_never_reassures_after_a_red_flag(language: str, data: st.DataObject, region: str) -> None:
    catalog = CATALOGS[language, region]
    answers = data.draw(_answers(catalog), label="answers")
    assessment = assess_candidacy(answers, catalog)
    page = assessment_page(assessment, catalog)
    html = render_page(page, embedded=True)
    text = _text(html)
    emergency, same_day = answers.yes & set(EMERGENCY), answers.yes & set(SAME_DAY)
    assert page.summary is None
    if emergency or same_day:
        # The red-flag box is the first thing on the page, and the only urgent one.
        assert page.sections[0].anchor == "urgent-symptoms" and page.sections[0].urgent
        assert html.split('role="region" class="bpe-section', 2)[1].startswith(' bpe-urgent"')
        assert catalog.site_map.notebook("care-plan") not in html
        assert [
            phrase
            for phrase in (_care_first(catalog), _nothing_ticked(catalog), catalog.labels.checklist.topics)
            if phrase in text
        ] == []
    if emergency:
        assert assessment.outcome == "emergency"
        assert all(number in text for number in NUMBERS[region])
        assert not [phrase for phrase in _reassuring(catalog) if phrase in text]
        assert 'href="0' not in html  # no link to any other page: only the sources
        # Nothing of the same-day level: not its heading, its instruction or its signs, even when ticked.
        same_day_text = (catalog.red_flags.same_day.heading, catalog.region.same_day.text.split(".")[0])
        assert [line for line in same_day_text if line in text] == []
        assert [s.text for s in catalog.red_flags.same_day.signs if s.text in text] == []
    elif same_day:
        assert assessment.outcome == "same-day"
        assert catalog.region.same_day.text.split(".")[0] in text
    else:
        assert assessment.outcome == "topics" and "bpe-urgent" not in html
        assert assessment.nothing_ticked == (not answers.yes)
        assert (catalog.checklist.nothing_ticked.text in text) == (not answers.yes)
    assert "candidate" not in text.lower()
    assert not UNSAFE.search(text)  # "urgent care" or "candidato", in any language
    assert not ADVICE_WORDING.search(text)
    assert render_page(assessment_page(assess_candidacy(answers, catalog), catalog), embedded=True) == html
