"""The content itself: six injections, every section filled, every source real, no advice."""

from __future__ import annotations

import re

import pytest

from backpain_edu.catalog import Catalog, iter_refs
from backpain_edu.patient_text import iter_patient_text
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
    for key, ref in catalog.references.items():
        assert shared.get(key) == ref.url, key


def test_every_injection_section_has_text_and_sources(catalog: Catalog) -> None:
    for injection in catalog.injections:
        located = [where for where, _ in iter_patient_text(catalog) if where.startswith(f"injections/{injection.id}")]
        for section in (
            "what_it_is",
            "used_for",
            "what_happens.before",
            "what_happens.during",
            "what_happens.after",
            "what_happens.recovery",
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


def test_every_cited_key_resolves(catalog: Catalog) -> None:
    documents = [
        *catalog.injections,
        catalog.site,
        catalog.red_flags,
        catalog.contraindications,
        *catalog.glossary.values(),
    ]
    cited = {key for document in documents for _, key in iter_refs(document)}
    assert cited <= set(catalog.references)


def test_the_weak_evidence_is_stated_with_nice_advice(catalog: Catalog) -> None:
    overview = " ".join(s.text for s in catalog.site.evidence_overview)
    assert "NICE" in overview
    for injection in catalog.injections:
        cited = {key for _, key in iter_refs(injection.how_sure)}
        assert cited, injection.id


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


def test_red_flags_send_cauda_equina_signs_to_the_emergency_department(catalog: Catalog) -> None:
    emergency = catalog.red_flags.emergency
    assert "emergency" in emergency.message.text.lower()
    assert {"saddle-numbness", "bladder-or-bowel-trouble"} <= {s.id for s in emergency.signs}
