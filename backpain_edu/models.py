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
    presenter_notes: Statements
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


class Topic(_Model):
    """Something to talk about with a doctor after a checklist answer, and where to read more.

    ``injections`` are injection ids, ``care`` are ids of parts of care in care_options.yaml.
    """

    title: Text
    text: Statement
    injections: tuple[Slug, ...] = ()
    care: tuple[Slug, ...] = ()


class ChecklistItem(_Model):
    """A yes/no question about the pain, and the topic its answer adds to the result."""

    id: Slug
    question: Text
    if_yes: Topic
    if_no: Topic | None = None


class TriedCare(_Model):
    """The follow-up to a signal (``follows``): which care was tried (ids of parts of care) and how long."""

    follows: Slug
    question: Text
    care: Annotated[tuple[Slug, ...], Field(min_length=1)]
    duration_question: Text
    durations: Annotated[tuple[Text, ...], Field(min_length=1)]


class Checklist(_Model):
    """Steps 3 and 4 of "Is an injection worth asking about?" (steps 1 and 2 are red flags and
    reasons to wait), and the text every result shows. Never a verdict: only topics to discuss."""

    title: Text
    intro: Statement
    after_urgent: Statement
    signals_title: Text
    signals: Annotated[tuple[ChecklistItem, ...], Field(min_length=1)]
    tried_care: TriedCare
    locations_title: Text
    locations: Annotated[tuple[ChecklistItem, ...], Field(min_length=1)]
    nothing_ticked: Statement
    always_title: Text
    always: Statements
    always_care: tuple[Slug, ...] = ()


class Goal(_Model):
    id: Slug
    title: Text


class CareComponent(_Model):
    """One part of a care plan. ``per_week`` is the "times a week" choice's starting value; None means the part
    is talked about with a doctor rather than done each week."""

    id: Slug
    title: Text
    description: Statement
    per_week: int | None = Field(default=None, ge=0, le=7)


class ValueScale(_Model):
    """One question of the values exercise ("What matters to me")."""

    id: Slug
    title: Text


class CareOptions(_Model):
    """The care-plan page: goals, parts of care, injections to ask about, and what matters."""

    title: Text
    intro: Statement
    goals_title: Text
    goals: Annotated[tuple[Goal, ...], Field(min_length=1)]
    components_title: Text
    frequency_note: Statement
    components: Annotated[tuple[CareComponent, ...], Field(min_length=1)]
    injections_title: Text
    injections_intro: Text
    values_title: Text
    values_intro: Statement
    value_levels: Annotated[tuple[Text, ...], Field(min_length=3)]
    values: Annotated[tuple[ValueScale, ...], Field(min_length=1)]
    note_intro: Text


class DiaryContent(_Model):
    """The pain diary page: the PEG questions, the block log, and what the numbers can mean."""

    title: Text
    intro: Statement
    peg_title: Text
    peg_about: Statement
    peg_pain: Text
    peg_enjoyment: Text
    peg_activity: Text
    block_title: Text
    block_about: Statement
    block_threshold: Statement
    meaningful_change: Statement
    show_doctor: Statement


class NotebookGuide(_Model):
    """What one notebook is for in a session: learning goals and questions for discussion."""

    notebook: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}_[a-z0-9_]+\.ipynb$")]
    goals: Annotated[tuple[Text, ...], Field(min_length=1)]
    discuss: Annotated[tuple[Text, ...], Field(min_length=1)]


class SessionStep(_Model):
    minutes: int = Field(ge=1, le=45)
    activity: Text
    notebook: str | None = None


class EducatorGuide(_Model):
    """For educators presenting to a group: goals per notebook and a 45-minute session plan."""

    title: Text
    intro: Text
    notebooks: Annotated[tuple[NotebookGuide, ...], Field(min_length=1)]
    session_plan: Annotated[tuple[SessionStep, ...], Field(min_length=1)]

    @field_validator("session_plan")
    @classmethod
    def _fits_45_minutes(cls, plan: tuple[SessionStep, ...]) -> tuple[SessionStep, ...]:
        if sum(step.minutes for step in plan) != 45:
            raise ValueError(f"expected steps adding up to 45 minutes, not {sum(step.minutes for step in plan)}")
        return plan
