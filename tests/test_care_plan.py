"""The care-plan model: choices in, a plan out, in content order, with patient text kept safe."""

from __future__ import annotations

import pytest

from backpain_edu.care_plan import (
    MAX_NOTE,
    MAX_SHORT_TEXT,
    PlanChoices,
    build_care_plan,
    clean_text,
    plan_file_name,
    plan_summary,
    spread_days,
)
from backpain_edu.catalog import Catalog


@pytest.mark.parametrize(
    ("per_week", "days"),
    [
        (0, "......."),
        (1, "x......"),
        (2, "x..x..."),
        (3, "x.x.x.."),
        (5, "xxx.xx."),
        (7, "xxxxxxx"),
    ],
)
def test_sessions_are_spread_over_the_week(per_week: int, days: str) -> None:
    assert "".join("x" if d else "." for d in spread_days(per_week)) == days


@pytest.mark.parametrize("per_week", [-1, 8])
def test_times_a_week_outside_0_to_7_is_refused(per_week: int) -> None:
    with pytest.raises(ValueError, match="0 to 7"):
        spread_days(per_week)


def test_a_plan_keeps_content_order_whatever_the_order_of_choices(catalog: Catalog) -> None:
    choices = PlanChoices(
        goals=frozenset({"sleep-better", "walk-longer"}),
        components={"heat": 2, "physical-therapy": 1, "medicines": None},
        injections=frozenset({"regenerative", "epidural-steroid"}),
        questions=frozenset({("regenerative", 0), ("epidural-steroid", 2), ("epidural-steroid", 0)}),
    )
    plan = build_care_plan(choices, catalog)
    assert plan.goals == ("Walk for longer", "Sleep better")
    assert [w.component.id for w in plan.weekly] == ["physical-therapy", "heat"]
    assert [c.id for c in plan.to_discuss] == ["medicines"]
    assert [i.id for i in plan.injections] == ["epidural-steroid", "regenerative"]
    epidural = catalog.injection("epidural-steroid")
    assert plan.questions[0].questions == (epidural.questions[0], epidural.questions[2])


def test_a_weekly_part_without_a_number_stays_not_set_with_no_days(catalog: Catalog) -> None:
    plan = build_care_plan(PlanChoices(components={"home-exercise": None}), catalog)
    assert plan.weekly[0].per_week is None and not any(plan.weekly[0].days)
    assert "how often not set yet" in " ".join(plan_summary(plan, catalog.labels.care_plan))


def test_no_part_of_care_comes_with_a_suggested_number(catalog: Catalog) -> None:
    # Our sources give no frequencies: the content can only mark a part as weekly, never suggest a number.
    assert "per_week" not in type(catalog.care_options.components[0]).model_fields
    assert all(isinstance(c.weekly, bool) for c in catalog.care_options.components)


def test_an_injection_with_no_ticked_question_is_listed_without_a_question_group(catalog: Catalog) -> None:
    plan = build_care_plan(PlanChoices(injections=frozenset({"facet-joint"})), catalog)
    assert [i.id for i in plan.injections] == ["facet-joint"] and plan.questions == ()


def test_values_left_at_not_set_are_not_shown(catalog: Catalog) -> None:
    plan = build_care_plan(PlanChoices(values={"avoid-needles": 0, "low-cost": 4}), catalog)
    assert [(v.scale.id, v.level) for v in plan.values] == [("low-cost", catalog.care_options.value_levels[4])]


def test_the_summary_reads_the_plan_back(catalog: Catalog) -> None:
    choices = PlanChoices(
        goals=frozenset({"walk-longer"}),
        own_goal="Dance at my sister's wedding",
        components={"heat": 1, "weight": None},
        injections=frozenset({"facet-joint"}),
        questions=frozenset({("facet-joint", 0)}),
        values={"avoid-needles": 4},
        note="Ask about work",
    )
    summary = plan_summary(build_care_plan(choices, catalog), catalog.labels.care_plan)
    assert summary == (
        "My goals: Walk for longer; Dance at my sister's wedding.",
        "Each week: Heat on the skin, 1 time.",
        "Also to talk about: Weight.",
        "Injections to ask about: Facet joint injection. Questions ticked: 1.",
        "What matters to me: Avoiding needles: Very much.",
        "I added a note for my doctor.",
    )


def test_an_empty_plan_says_what_to_do_next(catalog: Catalog) -> None:
    plan = build_care_plan(PlanChoices(), catalog)
    assert plan.is_empty and "Pick your goals" in plan_summary(plan, catalog.labels.care_plan)[0]


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (PlanChoices(goals=frozenset({"fly"})), "unknown goal"),
        (PlanChoices(components={"surgery": 1}), "unknown part of care"),
        (PlanChoices(components={"heat": 9}), "0 to 7"),
        (PlanChoices(injections=frozenset({"botox"})), "unknown injection"),
        (PlanChoices(questions=frozenset({("facet-joint", 99)})), "no question 99"),
        (PlanChoices(values={"avoid-needles": 9}), "out of range"),
        (PlanChoices(values={"speed": 1}), "unknown value"),
    ],
)
def test_choices_the_page_cannot_make_are_refused(catalog: Catalog, choices: PlanChoices, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_care_plan(choices, catalog)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Walk to the shop  ", "Walk to the shop"),
        ("line one\r\nline two", "line one\nline two"),
        ("tab\there", "tab here"),
        ("bell\x07 and null\x00 gone", "bell and null gone"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("e\u0301", "\u00e9"),
        ("Καλημέρα 我想走路 أريد", "Καλημέρα 我想走路 أريد"),
    ],
)
def test_patient_text_is_cleaned_but_not_changed(typed: str, kept: str) -> None:
    assert clean_text(typed, 100) == kept


def test_text_over_the_limit_is_cut_visibly(catalog: Catalog) -> None:
    plan = build_care_plan(PlanChoices(own_goal="a" * 5000, note="b" * 5000, title="c" * 5000), catalog)
    assert plan.goals[-1] == "a" * (MAX_SHORT_TEXT - 1) + "…"
    assert len(plan.note) == MAX_NOTE and plan.note.endswith("…")
    assert len(plan.title) == MAX_SHORT_TEXT


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("", "care-plan.pdf"),
        ("Maria's plan", "care-plan-maria-s-plan.pdf"),
        ("../../etc/passwd", "care-plan-etc-passwd.pdf"),
        ('<script>alert("x")</script>', "care-plan-script-alert-x-script.pdf"),
        ("Μαρία", "care-plan-μαρία.pdf"),
        ("王芳", "care-plan-王芳.pdf"),
        ("!!!", "care-plan.pdf"),
        ("x" * 500, "care-plan-" + "x" * 60 + ".pdf"),
    ],
)
def test_file_names_keep_only_letters_digits_and_dashes(title: str, name: str) -> None:
    assert plan_file_name(title) == name
