"""Checklist answers -> an assessment: red flags decide the outcome, then what to tell the doctor.

Pure and deterministic: the same answers give the same assessment, always in content order,
whatever order they were ticked in. It never says whether an injection suits someone; it only
gathers what to talk about with a doctor, and where to read more.

Three outcomes, the first that applies:

- ``emergency``: any emergency sign. The result is that sign's box and nothing else: no same-day
  signs, no topics, no care to try first, no links to plan care. Nothing may sit next to it that
  reassures.
- ``same-day``: any same-day sign. Its box, and the reasons to wait to tell the doctor; the
  topics about injections wait until a doctor has checked the sign.
- ``topics``: no red flag. What to tell the doctor, topics to talk about, and care to ask about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backpain_edu.catalog import Catalog
from backpain_edu.models import CareComponent, Contraindication, Injection, Sign, Topic

Outcome = Literal["emergency", "same-day", "topics"]


@dataclass(frozen=True)
class Answers:
    """What the patient ticked. ``yes`` holds the ids of every question answered "yes"."""

    yes: frozenset[str] = frozenset()
    tried: frozenset[str] = frozenset()
    tried_for: str | None = None


@dataclass(frozen=True)
class RedFlagResult:
    """The red-flag signs ticked, at their two levels."""

    emergency: tuple[Sign, ...]
    same_day: tuple[Sign, ...]


@dataclass(frozen=True)
class Assessment:
    """Everything the result shows, in the order it shows it.

    ``point_to`` holds red-flag signs a ticked reason to wait can go with (an infection and a fever)
    that were not ticked themselves: the result reminds the reader of them.
    """

    outcome: Outcome
    red_flags: RedFlagResult | None
    tell_doctor: tuple[Contraindication, ...]
    point_to: tuple[Sign, ...]
    topics: tuple[Topic, ...]
    tried: tuple[CareComponent, ...]
    tried_for: str | None
    injections: tuple[Injection, ...]
    care: tuple[CareComponent, ...]
    nothing_ticked: bool


def question_ids(catalog: Catalog) -> tuple[str, ...]:
    """Every id that can be answered "yes", in the order the checklist asks them."""
    checklist = catalog.checklist
    return (
        *(sign.id for sign in catalog.red_flags.signs),
        *(item.id for item in catalog.contraindications.items),
        *(item.id for item in (*checklist.signals, *checklist.locations)),
    )


def _check(answers: Answers, catalog: Catalog) -> None:
    """Unknown ids are programming errors (a typo in a widget), not patient input: fail loudly."""
    unknown = answers.yes - set(question_ids(catalog))
    if unknown:
        raise ValueError(f"unknown checklist answers: {sorted(unknown)}")
    tried = catalog.checklist.tried_care
    if answers.tried - set(tried.care):
        raise ValueError(f"unknown care tried: {sorted(answers.tried - set(tried.care))}")
    if answers.tried_for is not None and answers.tried_for not in tried.durations:
        raise ValueError(f"unknown duration: {answers.tried_for!r}")


def _red_flags(answers: Answers, catalog: Catalog) -> RedFlagResult | None:
    flags = catalog.red_flags
    emergency = tuple(s for s in flags.emergency.signs if s.id in answers.yes)
    same_day = tuple(s for s in flags.same_day.signs if s.id in answers.yes)
    return RedFlagResult(emergency, same_day) if emergency or same_day else None


def _topics(answers: Answers, catalog: Catalog) -> tuple[Topic, ...]:
    topics = []
    for item in (*catalog.checklist.signals, *catalog.checklist.locations):
        topic = item.if_yes if item.id in answers.yes else item.if_no
        if topic is not None:
            topics.append(topic)
    return tuple(topics)


def _point_to(reasons: tuple[Contraindication, ...], answers: Answers, catalog: Catalog) -> tuple[Sign, ...]:
    pointed = {r.red_flag for r in reasons if r.red_flag} - answers.yes
    return tuple(s for s in catalog.red_flags.signs if s.id in pointed)


def _red_flag_outcome(
    outcome: Outcome,
    red_flags: RedFlagResult,
    tell_doctor: tuple[Contraindication, ...] = (),
    point_to: tuple[Sign, ...] = (),
) -> Assessment:
    """A red flag's result: no topics, nothing tried, no injections and no care to suggest."""
    return Assessment(
        outcome=outcome,
        red_flags=red_flags,
        tell_doctor=tell_doctor,
        point_to=point_to,
        topics=(),
        tried=(),
        tried_for=None,
        injections=(),
        care=(),
        nothing_ticked=False,
    )


def assess_candidacy(answers: Answers, catalog: Catalog) -> Assessment:
    """Turn checklist answers into an outcome and topics to discuss; red flags decide first."""
    _check(answers, catalog)
    red_flags = _red_flags(answers, catalog)
    if red_flags and red_flags.emergency:
        # Only the emergency signs: a same-day box ("call your doctor today") under "call the emergency
        # number now" would give one reader two instructions.
        return _red_flag_outcome("emergency", RedFlagResult(red_flags.emergency, ()))
    tell_doctor = tuple(item for item in catalog.contraindications.items if item.id in answers.yes)
    point_to = _point_to(tell_doctor, answers, catalog)
    if red_flags:
        return _red_flag_outcome("same-day", red_flags, tell_doctor, point_to)
    checklist = catalog.checklist
    topics = _topics(answers, catalog)
    named_injections = {i for topic in topics for i in topic.injections}
    named_care = {c for topic in topics for c in topic.care} | set(checklist.always_care)
    tried_said = checklist.tried_care.follows in answers.yes
    return Assessment(
        outcome="topics",
        red_flags=None,
        tell_doctor=tell_doctor,
        point_to=point_to,
        topics=topics,
        tried=tuple(c for c in catalog.care_options.components if tried_said and c.id in answers.tried),
        tried_for=answers.tried_for if tried_said else None,
        injections=tuple(i for i in catalog.injections if i.id in named_injections),
        care=tuple(c for c in catalog.care_options.components if c.id in named_care),
        nothing_ticked=not answers.yes,
    )
