"""The content itself: six injections, every section filled, every source real, no advice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backpain_edu.catalog import (
    CONTENT_DIR,
    EDUCATOR_GUIDE_FILE,
    LANGUAGE_FILES,
    REVIEWS_FILE,
    SHARED_FILES,
    Catalog,
    content_folder,
    iter_refs,
    load_catalog_from,
    load_languages,
)
from backpain_edu.models import ContentError
from backpain_edu.patient_text import iter_patient_text
from backpain_edu.render.page import Page
from backpain_edu.render.reading_pages import injection_page, start_page
from tests.conftest import SHARED

EXPECTED_IDS = [
    "epidural-steroid",
    "facet-joint",
    "medial-branch-rfa",
    "sacroiliac-joint",
    "trigger-point",
    "regenerative",
]

# Wording that tells a reader what to do or what they are, instead of what to discuss.
ADVICE_WORDING = re.compile(
    r"\byou(?:'re| are)(?: \w+)? (?:a )?(?:good |ideal |suitable )?candidate"
    r"|\byou (?:should|must|need to) (?:have|get|try|book)\b"
    r"|\b(?:is|are) right for you\b"
    r"|\bguarantee",
    re.IGNORECASE,
)


def _shared_reference_table() -> dict[str, str]:
    text = (SHARED / "medical_references.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([A-Z0-9-]+) \| .*? \| .*? \| (.*?) \|$", text, re.MULTILINE)
    return {key: url for key, url in rows if key != "key"}


def test_there_are_six_injections_in_order(catalog: Catalog) -> None:
    assert [i.id for i in catalog.injections] == EXPECTED_IDS


def test_every_reference_comes_from_the_shared_list_with_its_address(catalog: Catalog) -> None:
    shared = _shared_reference_table()
    assert shared, "no reference table found in medical_references.md"
    assert set(catalog.references) == set(shared)
    for key, ref in catalog.references.items():
        # "—" in the shared table: a source with no public address (the clinic article), shown without a link.
        assert (ref.url or "—") == shared[key], key


def test_every_injection_section_is_reading_grade_checked_and_each_page_cites_ten_sources(catalog: Catalog) -> None:
    # The model refuses an empty section; this checks that the grade check reads each one (iter_patient_text).
    for injection in catalog.injections:
        located = [where for where, _ in iter_patient_text(catalog) if where.startswith(f"injections/{injection.id}")]
        for section in (
            "what_it_is",
            "used_for",
            "what_happens.before",
            "what_happens.during",
            "what_happens.after",
            "what_happens.recovery",
            "what_happens.if_pain_returns",
            "benefits",
            "how_sure.headline",
            "how_sure.points",
            "common_side_effects",
            "rare_serious_risks",
            "how_often",
            "who_should_not",
            "questions",
        ):
            assert any(f":{section}" in where for where in located), f"{injection.id}: {section} is empty"
        assert sum(1 for _ in iter_refs(injection)) >= 10, injection.id


def test_every_content_file_is_in_the_one_list_the_catalog_the_reading_gate_and_translations_read() -> None:
    # A file left out of LANGUAGE_FILES would load nowhere, be graded nowhere and be translated by no one.
    for code in load_languages().codes:
        folder = content_folder(CONTENT_DIR, code)
        shared = set(SHARED_FILES) if folder == CONTENT_DIR else set()
        present = {p.name for p in folder.glob("*.yaml")} | ({REVIEWS_FILE} & shared)  # a clinic's record, optional
        assert present == set(LANGUAGE_FILES.values()) | shared, code
        catalog = load_catalog_from(CONTENT_DIR, language=code)
        files = {p.relative_to(folder).as_posix() for p in folder.glob("injections/*.yaml")}
        assert {name for name, _ in catalog.documents()} == set(LANGUAGE_FILES.values()) | files, code


CITING_FILES = [
    file
    for file in (*LANGUAGE_FILES.values(), EDUCATOR_GUIDE_FILE, "injections/facet-joint.yaml")
    if "refs: [" in (CONTENT_DIR / file).read_text(encoding="utf-8")
]


@pytest.mark.parametrize("file", CITING_FILES)
def test_an_unknown_source_in_any_content_file_fails_naming_the_file(content_copy: Path, file: str) -> None:
    path = content_copy / file
    path.write_text(path.read_text(encoding="utf-8").replace("refs: [", "refs: [NOT-A-SOURCE, ", 1), encoding="utf-8")
    with pytest.raises(ContentError, match="unknown reference key 'NOT-A-SOURCE'") as error:
        load_catalog_from(content_copy)
    assert error.value.file == file


def test_most_content_files_cite_sources() -> None:
    # The test above checks each file that cites: it must not quietly shrink to none.
    assert len(CITING_FILES) >= 10


def test_the_weak_evidence_is_stated_with_nice_advice(catalog: Catalog) -> None:
    overview = " ".join(s.text for s in catalog.site.evidence_overview)
    assert "NICE" in overview


@pytest.mark.parametrize(
    "text",
    [
        "You are a candidate for this.",
        "You're a good candidate.",
        "You should have an epidural.",
        "This is right for you.",
        "We guarantee relief.",
    ],
)
def test_advice_pattern_catches_candidate_wording(text: str) -> None:
    assert ADVICE_WORDING.search(text)


def test_no_text_tells_a_reader_they_are_a_candidate(catalog: Catalog) -> None:
    offending = [(where, text) for where, text in iter_patient_text(catalog) if ADVICE_WORDING.search(text)]
    assert offending == []


# The cauda equina signs' level and note: tests/test_safety_meaning.py, on the rendered result.


NUMBERS = {"uk": "999", "us": "911", "eu": "112"}


def test_every_region_names_its_number_and_the_default_names_all_three(catalog: Catalog) -> None:
    regions = catalog.emergency_help.regions
    for region, number in NUMBERS.items():
        assert number in regions[region].notice and number in regions[region].call_now.text
        assert "emergency department" in regions[region].call_now.text
    assert all(number in regions["default"].call_now.text for number in NUMBERS.values())
    assert all(number in regions["default"].notice for number in NUMBERS.values())
    assert "NHS 111" in regions["uk"].same_day.text


def test_no_text_says_urgent_care(catalog: Catalog) -> None:
    # In the US "urgent care" is a walk-in clinic for problems that are not emergencies.
    assert [where for where, text in iter_patient_text(catalog) if "urgent care" in text.lower()] == []
    template = (CONTENT_DIR.parent / "app" / "share" / "jupyter" / "voila" / "templates" / "backpain").rglob("*")
    files = [path for path in template if path.is_file()]  # static/: the tool pages' front end
    assert not [path.name for path in files if "urgent care" in path.read_text(encoding="utf-8").lower()]


def test_the_clinic_figure_for_rfa_is_only_ever_attributed_never_in_a_table_or_quiz(catalog: Catalog) -> None:
    figure = re.compile(r"6 (?:to|-) ?12 months")
    for where, text in iter_patient_text(catalog):
        if figure.search(text):
            assert "clinic page" in text.lower(), where
            assert ":at_a_glance" not in where and ":knowledge_check" not in where, where


# The certainty words each source itself uses ("How we label" in ../shared/medical_references.md).
CERTAINTY_WORDS = {
    "moderate": {"COCHRANE-ESI-2020", "NEUROREHAB-2020"},  # Cochrane's GRADE rating for the short-term effect
    "not known": {"NICE-NG59", "AOMRC-EBI", "CADTH-PRP-2022"},  # our sources found no good trials
    "no clear benefit": {"MINT-2017", "CARETTE-1991"},  # the trials we have were negative: not "mixed"
}


def test_each_how_sure_label_is_a_word_its_own_source_uses(catalog: Catalog) -> None:
    for injection in catalog.injections:
        certainty = injection.how_sure.certainty
        assert certainty.word in CERTAINTY_WORDS, injection.id
        assert CERTAINTY_WORDS[certainty.word] & set(certainty.refs), injection.id
        if certainty.word == "not known":
            assert "no good trials" in certainty.text, injection.id
        text = " ".join(t for w, t in iter_patient_text(catalog) if injection.id in w).lower()
        assert not re.search(r"(?:results|evidence|proof) (?:is |are )?mixed|mixed (?:results|evidence)", text)


def test_the_epidural_page_says_no_benefit_after_3_months_and_how_sciatica_goes(catalog: Catalog) -> None:
    epidural = catalog.injection("epidural-steroid")
    text = " ".join(t for w, t in iter_patient_text(catalog) if "epidural-steroid" in w)
    assert "no benefit after 3 months" in text
    assert "4 to 6 weeks" in " ".join(s.text for s in epidural.alternatives)
    # The source's 15 points on a 100-point scale, told on the 0 to 10 scale patients know, beside what people notice.
    how_big = epidural.how_sure.how_big
    assert "1.5 points more on a 0 to 10 scale" in how_big.text and "AFP-2021" in how_big.refs
    assert "about 2 points" in how_big.text and "FARRAR-2001" in how_big.refs


def test_every_injection_page_presents_the_alternatives_including_waiting(catalog: Catalog) -> None:
    for injection in catalog.injections:
        text = " ".join(s.text for s in injection.alternatives).lower()
        assert "wait" in text or "do nothing" in text, injection.id


@pytest.mark.parametrize(
    ("phrase", "term"), [("cauda equina", "cauda-equina"), ("botulinum", "botulinum-toxin"),
                         ("ligament", "ligament"), ("FDA", "fda")]
)  # fmt: skip
def test_hard_terms_are_defined_on_the_reading_pages_that_use_them(catalog: Catalog, phrase, term) -> None:
    pages = [start_page(catalog), *(injection_page(injection, catalog) for injection in catalog.injections)]
    using = [page for page in pages if re.search(rf"\b{phrase}", _page_text(page), re.IGNORECASE)]
    assert using, f"no reading page uses '{phrase}': the check would prove nothing"
    for page in using:
        assert term in {t.id for t in page.glossary}, page.slug


def _page_text(page: Page) -> str:
    """Every word of a page's sections, as a patient reads them (not its glossary or sources)."""
    stack, words = list(page.sections), [page.summary.text if page.summary else ""]
    while stack:
        section = stack.pop()
        words += [section.heading, section.lead.text if section.lead else "", *(b.text for b in section.blocks)]
        stack.extend(section.subsections)
    return " ".join(words)


def test_blood_sugar_in_mg_per_dl_is_also_given_in_mmol_per_l(catalog: Catalog) -> None:
    for where, text in iter_patient_text(catalog):
        assert ("mg/dL" in text) <= ("mmol/L" in text), where


def test_uncontrolled_diabetes_is_only_ever_the_clinic_articles_claim(catalog: Catalog) -> None:
    # EVEN-2012 found the rise in blood sugar did not depend on how well diabetes was controlled.
    def statements(value):
        if hasattr(value, "refs") and hasattr(value, "text"):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                yield from statements(item)
        elif hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                yield from statements(getattr(value, name))

    for document in (*catalog.injections, catalog.contraindications):
        for statement in statements(document):
            if re.search(r"not (?:under|well) control", statement.text):
                assert "SEED" in statement.refs and "clinic article" in statement.text, statement.text


def test_the_diary_gives_the_two_point_yardstick_only_for_pain_with_its_source(catalog: Catalog) -> None:
    diary = catalog.diary
    assert diary.meaningful_change.refs == ("FARRAR-2001",) and "30%" in diary.meaningful_change.text
    assert "MINT-2017" not in {key for _, key in iter_refs(diary)}
    assert all("past week" in label for label in (diary.peg_pain, diary.peg_enjoyment, diary.peg_activity))
