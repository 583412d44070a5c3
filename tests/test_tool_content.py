"""Checklist and care-plan content: what the issue asks for is there, and bad links fail by name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backpain_edu.catalog import Catalog, load_catalog_from
from backpain_edu.models import ContentError
from backpain_edu.patient_text import iter_patient_text

EMERGENCY_SIGNS = {
    "saddle-numbness", "bladder-trouble", "bowel-trouble", "sexual-function-change", "sciatica-both-legs",
    "weakness-both-legs", "major-injury", "minor-fall-fragile-bones",
}  # fmt: skip
"""The shared file's emergency level: cauda equina signs (both legs, saddle, bladder, bowel, sex) and trauma."""
SAME_DAY_SIGNS = {"fever-or-unwell", "trouble-walking", "night-pain", "band-like-pain", "cancer-history", "weight-loss"}
REASONS_TO_WAIT = {"infection", "bleeding-or-blood-thinners", "allergy", "diabetes", "pregnancy"}
PARTS_OF_CARE = {
    "physical-therapy", "home-exercise", "posture", "staying-active", "heat", "sleep", "weight", "smoking",
    "psychological-support", "medicines", "injection",
}  # fmt: skip
VALUES = {"avoid-needles", "quick-relief", "avoid-steroid", "low-cost", "little-time-off"}


def test_the_checklist_asks_every_sign_and_reason_the_issue_lists(catalog: Catalog) -> None:
    flags = catalog.red_flags
    assert {s.id for s in flags.emergency.signs} == EMERGENCY_SIGNS
    assert {s.id for s in flags.same_day.signs} == SAME_DAY_SIGNS
    assert {i.id for i in catalog.contraindications.items} >= REASONS_TO_WAIT
    signals = {s.id for s in catalog.checklist.signals}
    assert {"pain-limits-life", "tried-other-care", "imaging-source"} <= signals
    assert {"suspected-nerve", "suspected-joint", "suspected-disc"} <= signals
    assert [s.id for s in catalog.checklist.locations] == [
        "leg-below-knee", "stand-or-twist", "buttock-one-side", "muscle-knots",
    ]  # fmt: skip


def test_the_care_plan_offers_every_part_goal_and_value_the_issue_lists(catalog: Catalog) -> None:
    care = catalog.care_options
    assert {c.id for c in care.components} == PARTS_OF_CARE
    assert {v.id for v in care.values} == VALUES
    assert len(care.goals) >= 4
    assert not catalog.component("injection").weekly
    assert all(catalog.component(c).weekly for c in ("physical-therapy", "home-exercise", "heat"))


def test_the_new_content_is_reading_grade_checked_and_slugs_are_not(catalog: Catalog) -> None:
    located = dict(iter_patient_text(catalog))
    assert "checklist.yaml:locations[0].if_yes.text.text" in located
    assert "care_options.yaml:components[0].description.text" in located
    assert "care_options.yaml:values_intro.text" in located
    assert not [where for where in located if where.endswith((".injections[0]", ".care[0]", ".follows"))]


def _edit(content: Path, name: str, change) -> ContentError:
    path = content / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content)
    return caught.value


@pytest.mark.parametrize(
    ("file", "change", "field", "problem"),
    [
        ("checklist.yaml", lambda d: d["locations"][0]["if_yes"].update(injections=["botox"]),
         "locations[0].if_yes.injections[0]", "unknown injection 'botox'"),
        ("checklist.yaml", lambda d: d["signals"][1]["if_no"].update(care=["surgery"]),
         "signals[1].if_no.care[0]", "unknown part of care"),
        ("checklist.yaml", lambda d: d["tried_care"].update(follows="nothing"), "tried_care.follows", "no signal"),
        ("checklist.yaml", lambda d: d["locations"][1].update(id="leg-below-knee"), "locations[1].id", "used twice"),
        ("checklist.yaml", lambda d: d["signals"][0].update(id="saddle-numbness"), "(red flag) saddle-numbness",
         "used twice"),
        ("care_options.yaml", lambda d: d["components"][0].update(per_week=3), "components[0].per_week", "Extra"),
        ("care_options.yaml", lambda d: d["goals"][1].update(id=d["goals"][0]["id"]), "goals[1].id", "used twice"),
        ("care_options.yaml", lambda d: d["components"][2]["description"].update(refs=["NOPE"]),
         "components[2].description.refs[0]", "NOPE"),
        ("care_options.yaml", lambda d: d.pop("values"), "values", "missing"),
    ],
)  # fmt: skip
def test_a_broken_tool_file_fails_naming_the_file_and_the_field(
    content_copy: Path, file, change, field, problem
) -> None:
    error = _edit(content_copy, file, change)
    assert (error.file, error.field) == (file, field)
    assert problem in error.problem
