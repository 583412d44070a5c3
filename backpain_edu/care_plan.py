"""Care-plan choices -> a plan: a weekly table, questions for the doctor, what matters, a summary.

Pure. What the patient types is cleaned (control characters dropped, length capped) but never
interpreted: escaping belongs to the renderers. Nothing here is stored or logged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from backpain_edu.catalog import Catalog
from backpain_edu.models import CareComponent, CarePlanLabels, Injection, Statement, ValueScale
from backpain_edu.readiness import Answer, ReadinessResult, check_readiness

MAX_SHORT_TEXT = 200
"""A plan title or a goal of one's own: a line, not a letter."""
MAX_NOTE = 2000
"""A note for the doctor: about a page of the PDF."""
MAX_FILE_STEM = 60
DAYS_IN_A_WEEK = 7


@dataclass(frozen=True)
class PlanChoices:
    """What the patient picked on the care-plan page.

    ``components`` maps a part of care to times a week (None for parts talked about, not done
    weekly); ``questions`` holds (injection id, question index); ``values`` maps a value id to a
    level index, 0 meaning "not set".
    """

    title: str = ""
    goals: frozenset[str] = frozenset()
    own_goal: str = ""
    components: Mapping[str, int | None] = field(default_factory=dict)
    injections: frozenset[str] = frozenset()
    questions: frozenset[tuple[str, int]] = frozenset()
    values: Mapping[str, int] = field(default_factory=dict)
    note: str = ""
    readiness: Mapping[str, Answer] = field(default_factory=dict)
    """The readiness check's answers (SURE question id -> yes, no or None), for the clinician to see."""


@dataclass(frozen=True)
class WeeklyItem:
    """A weekly part of care; ``per_week`` is None until the patient sets it (no default is suggested)."""

    component: CareComponent
    per_week: int | None
    days: tuple[bool, ...]


@dataclass(frozen=True)
class QuestionGroup:
    injection: Injection
    questions: tuple[Statement, ...]


@dataclass(frozen=True)
class ValueAnswer:
    scale: ValueScale
    level: str


@dataclass(frozen=True)
class CarePlan:
    title: str
    goals: tuple[str, ...]
    weekly: tuple[WeeklyItem, ...]
    to_discuss: tuple[CareComponent, ...]
    injections: tuple[Injection, ...]
    questions: tuple[QuestionGroup, ...]
    values: tuple[ValueAnswer, ...]
    note: str
    readiness: ReadinessResult

    @property
    def is_empty(self) -> bool:
        return not (self.goals or self.weekly or self.to_discuss or self.injections or self.values or self.note)


def clean_text(text: str, limit: int) -> str:
    """Patient text made safe to carry: NFC, no control characters or lone surrogates, capped.

    Newlines stay (a note can have lines); everything else invisible that could upset a PDF or a
    terminal goes. Text over ``limit`` is cut and ends with an ellipsis, so a cut is visible.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\t", " "))
    kept = "".join(c for c in text if c == "\n" or unicodedata.category(c) not in {"Cc", "Cs"}).strip()
    return kept if len(kept) <= limit else kept[: limit - 1].rstrip() + "…"


def plan_file_name(title: str, start: str = "care-plan") -> str:
    """A download name from the plan's title: ``start`` (the page's language's word for it), then the
    title's letters and digits of any script, joined by dashes."""
    words = re.findall(r"\w+", clean_text(title, MAX_SHORT_TEXT).lower())
    stem = "-".join(words)[:MAX_FILE_STEM].strip("-_")
    return f"{start}-{stem}.pdf" if stem else f"{start}.pdf"


def spread_days(per_week: int) -> tuple[bool, ...]:
    """Spread n sessions over the week as evenly as whole days allow (3 -> Mon, Wed, Fri)."""
    if not 0 <= per_week <= DAYS_IN_A_WEEK:
        raise ValueError(f"times a week must be 0 to 7, not {per_week}")
    chosen = {index * DAYS_IN_A_WEEK // per_week for index in range(per_week)}
    return tuple(day in chosen for day in range(DAYS_IN_A_WEEK))


def _check(choices: PlanChoices, catalog: Catalog) -> None:
    """Unknown ids are a widget bug, not patient input: fail loudly rather than drop a choice."""
    care = catalog.care_options
    known = {
        "goal": {g.id for g in care.goals},
        "part of care": {c.id for c in care.components},
        "injection": {i.id for i in catalog.injections},
        "value": {v.id for v in care.values},
    }
    given = {
        "goal": set(choices.goals),
        "part of care": set(choices.components),
        "injection": set(choices.injections) | {i for i, _ in choices.questions},
        "value": set(choices.values),
    }
    for kind, ids in given.items():
        if ids - known[kind]:
            raise ValueError(f"unknown {kind}: {sorted(ids - known[kind])}")
    for injection_id, index in choices.questions:
        if not 0 <= index < len(catalog.injection(injection_id).questions):
            raise ValueError(f"no question {index} for {injection_id}")
    for value_id, level in choices.values.items():
        if not 0 <= level < len(care.value_levels):
            raise ValueError(f"level {level} out of range for {value_id}")


def build_care_plan(choices: PlanChoices, catalog: Catalog) -> CarePlan:
    """The plan, in content order whatever order things were picked in."""
    _check(choices, catalog)
    care = catalog.care_options
    own_goal = clean_text(choices.own_goal, MAX_SHORT_TEXT)
    goals = tuple(g.title for g in care.goals if g.id in choices.goals) + ((own_goal,) if own_goal else ())
    chosen = [c for c in care.components if c.id in choices.components]
    weekly = []
    for component in chosen:
        if component.weekly:
            per_week = choices.components[component.id]
            days = spread_days(per_week) if per_week is not None else (False,) * DAYS_IN_A_WEEK
            weekly.append(WeeklyItem(component, per_week, days))
    injections = tuple(i for i in catalog.injections if i.id in choices.injections)
    questions = tuple(
        QuestionGroup(i, tuple(q for n, q in enumerate(i.questions) if (i.id, n) in choices.questions))
        for i in injections
        if any((i.id, n) in choices.questions for n in range(len(i.questions)))
    )
    values = tuple(
        ValueAnswer(scale, care.value_levels[choices.values[scale.id]])
        for scale in care.values
        if choices.values.get(scale.id, 0) > 0
    )
    return CarePlan(
        title=clean_text(choices.title, MAX_SHORT_TEXT),
        goals=goals,
        weekly=tuple(weekly),
        to_discuss=tuple(c for c in chosen if not c.weekly),
        injections=injections,
        questions=questions,
        values=values,
        note=clean_text(choices.note, MAX_NOTE),
        readiness=check_readiness(choices.readiness, catalog.readiness),
    )


def _times(n: int | None, words: CarePlanLabels) -> str:
    if n is None:
        return words.how_often_not_set
    return words.once if n == 1 else words.times.format(count=n)


def plan_summary(plan: CarePlan, words: CarePlanLabels) -> tuple[str, ...]:
    """A few plain sentences that read the plan back to the patient (their words: ``labels.yaml``)."""
    if plan.is_empty:
        return (words.nothing_picked,)
    lines = []
    if plan.goals:
        lines.append(words.summary_goals.format(goals="; ".join(plan.goals)))
    if plan.weekly:
        parts = "; ".join(words.summary_part.format(part=w.component.title, times=_times(w.per_week, words))
                          for w in plan.weekly)  # fmt: skip
        lines.append(words.summary_week.format(parts=parts))
    if plan.to_discuss:
        lines.append(words.summary_discuss.format(parts="; ".join(c.title for c in plan.to_discuss)))
    if plan.injections:
        ticked = sum(len(g.questions) for g in plan.questions)
        names = "; ".join(i.title for i in plan.injections)
        lines.append(words.summary_injections.format(names=names, count=ticked))
    if plan.values:
        values = "; ".join(words.summary_value.format(value=v.scale.title, level=v.level) for v in plan.values)
        lines.append(words.summary_values.format(values=values))
    if plan.note:
        lines.append(words.summary_note)
    return tuple(lines)
