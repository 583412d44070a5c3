"""Typed, frozen models of the patient-education content.

Content is data: every sentence a patient reads lives in ``backpain_edu/content/`` and is
parsed into these models once, at load. A file that does not fit fails with
:class:`ContentError`, naming the file, the field and what was expected, so an editor can
fix it without reading Python.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty text; surrounding whitespace is dropped so a blank string cannot pass."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A stable id used in URLs, file names and tests (``epidural-steroid``)."""

RefKey = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+)*$")]
"""A key from ``../shared/medical_references.md`` (``NICE-NG59``)."""


class ContentError(ValueError):
    """A content file does not match the model: names the file, the field and the problem."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        super().__init__(f"{file}: field '{field}': {problem}")


class _Model(BaseModel):
    # Unknown keys are typos in a content file; refuse them rather than drop text silently.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Statement(_Model):
    """One or a few short sentences a patient reads, with the sources that back them."""

    text: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)


Statements = Annotated[tuple[Statement, ...], Field(min_length=1)]


class Procedure(_Model):
    """What happens: before, during and after the injection, and how long recovery takes."""

    before: Statements
    during: Statements
    after: Statements
    recovery: Statements


EvidenceStrength = Literal["low", "very low", "mixed", "uncertain"]


class Evidence(_Model):
    """How sure we are: a plain headline, a strength label and the findings behind it."""

    strength: EvidenceStrength
    headline: Statement
    points: Statements


class AtAGlance(_Model):
    """Short facts for the side-by-side comparison of injections."""

    test_or_treatment: Statement
    time_taken: Statement
    recovery: Statement
    relief_lasts: Statement
    steroid: Statement
    cost: Statement


class QuizOption(_Model):
    text: Text
    correct: bool = False


class QuizQuestion(_Model):
    """One knowledge-check question: options, exactly one right, and why (with sources)."""

    id: Slug
    question: Text
    options: Annotated[tuple[QuizOption, ...], Field(min_length=2)]
    explanation: Statement

    @field_validator("options")
    @classmethod
    def _one_right_answer(cls, options: tuple[QuizOption, ...]) -> tuple[QuizOption, ...]:
        if sum(option.correct for option in options) != 1:
            raise ValueError("expected exactly one option with correct: true")
        return options


DiagramTarget = Literal["epidural-space", "facet-joint", "medial-branch", "sacroiliac-joint", "muscle", "disc"]


class Diagram(_Model):
    """Where the needle goes, drawn on a simple back view of the lower spine."""

    target: DiagramTarget
    alt: Text


class Injection(_Model):
    """One injection type, with every section a patient needs to discuss it with a doctor."""

    id: Slug
    order: int = Field(ge=1)
    title: Text
    short_title: Text
    summary: Statement
    what_it_is: Statements
    used_for: Statements
    what_happens: Procedure
    benefits: Statements
    how_sure: Evidence
    common_side_effects: Statements
    rare_serious_risks: Statements
    how_often: Statements
    who_should_not: Statements
    questions: Statements
    at_a_glance: AtAGlance
    knowledge_check: Annotated[tuple[QuizQuestion, ...], Field(min_length=3, max_length=5)]
    diagram: Diagram
    glossary: tuple[Slug, ...] = Field(min_length=1)


class Sign(_Model):
    """A red-flag symptom: a question for the checklist and a plain description."""

    id: Slug
    question: Text
    text: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)


class RedFlagGroup(_Model):
    """Signs that share one message: where to go and how fast."""

    message: Statement
    signs: Annotated[tuple[Sign, ...], Field(min_length=1)]


class RedFlags(_Model):
    """Symptoms that need urgent care before anyone thinks about an injection."""

    title: Text
    intro: Statement
    emergency: RedFlagGroup
    urgent: RedFlagGroup


class Contraindication(_Model):
    """A reason to wait or not have an injection, and what to tell the doctor."""

    id: Slug
    question: Text
    text: Text
    tell_doctor: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)


class Contraindications(_Model):
    title: Text
    intro: Statement
    items: Annotated[tuple[Contraindication, ...], Field(min_length=1)]


class GlossaryTerm(_Model):
    """A term that must stay (``epidural``), with a plain definition."""

    id: Slug
    term: Text
    definition: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)


class Reference(_Model):
    """A source from ``../shared/medical_references.md``."""

    key: RefKey
    title: Text
    publisher: Text
    url: Text


class Site(_Model):
    """Text shared by every page: the notice, the start page and the care overview."""

    title: Text
    notice: Text
    welcome: Statements
    evidence_overview: Statements
    care_overview: Statements
