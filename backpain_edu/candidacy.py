"""Checklist answers -> an assessment: urgent care first, then what to tell the doctor, then topics.

Pure and deterministic: the same answers give the same assessment, always in content order,
whatever order they were ticked in. It never says whether an injection suits someone; it only
gathers what to talk about with a doctor, and where to read more.
"""

from __future__ import annotations

from dataclasses import dataclass

from backpain_edu.catalog import Catalog
from backpain_edu.models import CareComponent, Contraindication, Injection, Sign, Topic


@dataclass(frozen=True)
class Answers:
    """What the patient ticked. ``yes`` holds the ids of every question answered "yes"."""

    yes: frozenset[str] = frozenset()
    tried: frozenset[str] = frozenset()
    tried_for: str | None = None


@dataclass(frozen=True)
class UrgentResult:
    """The red-flag signs ticked, split by where to go."""

    emergency: tuple[Sign, ...]
    urgent: tuple[Sign, ...]

    @property
    def go_to_emergency(self) -> bool:
        """Cauda-equina signs: the emergency department now, not a same-day review."""
        return bool(self.emergency)


@dataclass(frozen=True)
class Assessment:
    """Everything the result shows, in the order it shows it."""

    urgent: UrgentResult | None
    tell_doctor: tuple[Contraindication, ...]
    topics: tuple[Topic, ...]
    tried: tuple[CareComponent, ...]
    tried_for: str | None
    injections: tuple[Injection, ...]
    care: tuple[CareComponent, ...]
    nothing_ticked: bool


def question_ids(catalog: Catalog) -> tuple[str, ...]:
    """Every id that can be answered "yes", in the order the checklist asks them."""
    flags = catalog.red_flags
    checklist = catalog.checklist
    return (
        *(sign.id for sign in (*flags.emergency.signs, *flags.urgent.signs)),
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


def _urgent(answers: Answers, catalog: Catalog) -> UrgentResult | None:
    flags = catalog.red_flags
    emergency = tuple(s for s in flags.emergency.signs if s.id in answers.yes)
    urgent = tuple(s for s in flags.urgent.signs if s.id in answers.yes)
    return UrgentResult(emergency, urgent) if emergency or urgent else None


def _topics(answers: Answers, catalog: Catalog) -> tuple[Topic, ...]:
    topics = []
    for item in (*catalog.checklist.signals, *catalog.checklist.locations):
        topic = item.if_yes if item.id in answers.yes else item.if_no
        if topic is not None:
            topics.append(topic)
    return tuple(topics)


def assess_candidacy(answers: Answers, catalog: Catalog) -> Assessment:
    """Turn checklist answers into topics to discuss; any red flag puts urgent care first."""
    _check(answers, catalog)
    checklist = catalog.checklist
    topics = _topics(answers, catalog)
    named_injections = {i for topic in topics for i in topic.injections}
    named_care = {c for topic in topics for c in topic.care} | set(checklist.always_care)
    tried_said = checklist.tried_care.follows in answers.yes
    asked = {item.id for item in (*checklist.signals, *checklist.locations)}
    return Assessment(
        urgent=_urgent(answers, catalog),
        tell_doctor=tuple(item for item in catalog.contraindications.items if item.id in answers.yes),
        topics=topics,
        tried=tuple(c for c in catalog.care_options.components if tried_said and c.id in answers.tried),
        tried_for=answers.tried_for if tried_said else None,
        injections=tuple(i for i in catalog.injections if i.id in named_injections),
        care=tuple(c for c in catalog.care_options.components if c.id in named_care),
        nothing_ticked=not (answers.yes & asked),
    )
