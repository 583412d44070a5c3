"""Typed, frozen models of the patient-education content.

Content is data: every sentence a patient reads lives in ``backpain_edu/content/`` and is
parsed into these models once, at load. A file that does not fit fails with
:class:`ContentError`, naming the file, the field and what was expected, so an editor can
fix it without reading Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from backpain_edu.errors import BackpainEduError

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty text; surrounding whitespace is dropped so a blank string cannot pass."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A stable id used in URLs, file names and tests (``epidural-steroid``)."""

RefKey = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+)*$")]
"""A key from ``../shared/medical_references.md`` (``NICE-NG59``)."""


LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
"""A two-letter ISO 639-1 code (``en``, ``es``): the page's ``lang`` and the content folder's name."""


class ContentError(BackpainEduError):
    """A content file does not match the model: names the file, the field and the problem."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        super().__init__(f"{file}: field '{field}': {problem}")


class _Model(BaseModel):
    # Unknown keys are typos in a content file; refuse them rather than drop text silently.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Readability(_Model):
    """How hard this language's text may be, by a formula made for the language (textstat's function name).

    Each block must be at ``every_block`` or easier, and half of them at ``median`` or easier; "easier" is
    a lower score for a grade level (Flesch-Kincaid), a higher one for an ease score (Szigriszt-Pazos)."""

    formula: Literal["flesch_kincaid_grade", "szigriszt_pazos", "fernandez_huerta"]
    easier: Literal["lower", "higher"]
    every_block: float
    median: float

    def easy_enough(self, score: float, limit: float) -> bool:
        return score <= limit if self.easier == "lower" else score >= limit


class Language(_Model):
    """One language of the guide."""

    code: LanguageCode
    name: Text
    """The language's name in itself (``Español``), for the language switch."""
    readability: Readability


class Languages(_Model):
    """``languages.yaml``: the source language first (its files are the top of ``content/``), then each
    translation, whose files are in ``content/<code>/`` (the same files, the text translated)."""

    languages: Annotated[tuple[Language, ...], Field(min_length=1)]

    @property
    def source(self) -> Language:
        return self.languages[0]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages)


class Statement(_Model):
    """One or a few short sentences a patient reads, with the sources that back them."""

    text: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)
    why: Text | None = None
    """For an instruction: the words of ``text`` that say why the reader should do it (quoted exactly from it), so
    every instruction carries its reason and a test can find it."""

    @field_validator("why")
    @classmethod
    def _why_is_quoted_from_text(cls, why: str | None, info: ValidationInfo) -> str | None:
        text = info.data.get("text")  # absent when text itself failed: that error is the one reported
        if why is not None and text is not None and " ".join(why.split()) not in " ".join(text.split()):
            raise ValueError(f"expected words quoted exactly from this statement's text, not found in it: '{why}'")
        return why


Statements = Annotated[tuple[Statement, ...], Field(min_length=1)]

InjectionSlide = Literal[
    "title", "what-it-is", "who-for", "what-happens", "benefits", "risks", "how-sure", "decision", "questions",
    "sources",
]  # fmt: skip
"""The slides of an injection's deck, in order: one idea each (``render/slides.py`` says what each shows)."""
StartSlide = Literal["title", "urgent-symptoms", "about", "guides", "evidence", "care", "sources"]
"""The slides of the start page's deck."""
CompareSlide = Literal[
    "title", "test-or-treatment", "time-taken", "recovery", "relief-lasts", "how-sure", "how-big", "main-risk",
    "steroid", "cost", "full-guide", "sources",
]  # fmt: skip
"""The slides of the compare page's deck: the title, then one row of the comparison each."""


class InjectionNote(Statement):
    """What an educator might say on one slide of an injection's deck: RISE speaker notes."""

    slide: InjectionSlide


class StartNote(Statement):
    """What an educator might say on one slide of the start page's deck."""

    slide: StartSlide


class CompareNote(Statement):
    """What an educator might say on one slide of the compare page's deck."""

    slide: CompareSlide


class SiteNotes(_Model):
    """Presenter notes for the two decks that are not an injection's: the start page and the comparison."""

    start: Annotated[tuple[StartNote, ...], Field(min_length=1)]
    compare: Annotated[tuple[CompareNote, ...], Field(min_length=1)]


class Procedure(_Model):
    """What happens: before, during and after the injection, how long recovery takes, and what to do if the
    pain comes back (relief may be short; talk with the doctor before another shot)."""

    before: Statements
    during: Statements
    after: Statements
    recovery: Statements
    if_pain_returns: Statements


class Certainty(_Model):
    """How sure we are, in the cited source's own word (``moderate``), never a grade it does not give.

    ``word`` is the short label; ``text`` says who gave it and about what. Where our sources report
    no good trials, the word is "not known" (see "How we label" in the shared references).
    """

    word: Text
    text: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)


class Evidence(_Model):
    """How sure we are and how big the effect is, said apart, then the findings behind them."""

    certainty: Certainty
    how_big: Statement
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


class DiagramLabels(_Model):
    """The words on the spine drawing and under it: a back bone, the needle tip, each target's name, the caption."""

    bone: Text
    needle_tip: Text
    targets: dict[DiagramTarget, Text]
    caption: Text
    """Under the drawing: "Where the needle goes: {target}"."""

    @field_validator("targets")
    @classmethod
    def _every_target(cls, targets: dict[str, str]) -> dict[str, str]:
        missing = set(get_args(DiagramTarget)) - set(targets)
        if missing:
            raise ValueError(f"no words for {sorted(missing)}")
        return targets


class Diagram(_Model):
    """Where the needle goes, drawn on a simple back view of the lower spine."""

    target: DiagramTarget
    alt: Text


Course = Literal["sciatica", "back-pain"]
"""The kind of pain a decision is about: it picks the "no injection" option (``no_injection.yaml``) that goes
beside an injection, since how pain goes without a shot differs between the two."""


class Option(_Model):
    """One option of a decision, under the same four headings as the other (IPDAS: equal detail for each option).

    ``harms`` holds counts out of 100 where our sources count them, and says "our sources do not say how often"
    where they do not.
    """

    what_happens: Statements
    helps: Statements
    harms: Statements
    how_sure: Statements


class Decision(_Model):
    """The choice an injection page is about, asked as a question, with the injection as one option; the other,
    not having it, comes from ``no_injection.yaml`` for the page's ``course``."""

    question: Statement
    course: Course
    having: Option


class NoInjectionGlance(_Model):
    """Not having an injection, as a column of the comparison: one cell for each of its rows."""

    test_or_treatment: Statement
    time_taken: Statement
    recovery: Statement
    relief_lasts: Statement
    how_sure: Statement
    how_big: Statement
    main_risk: Statement
    steroid: Statement
    cost: Statement


class NoInjection(_Model):
    """Not having an injection (other care, or waiting), as a full option: one for sciatica and one for back pain,
    each with what usually happens without a shot (its natural course, with counts), shared by the pages about that
    kind of pain."""

    sciatica: Option
    back_pain: Option
    also_a_choice: Statement
    """For the main things to know at the top of each injection page."""
    at_a_glance: NoInjectionGlance
    """Its column beside the injections on the compare page."""

    def option(self, course: Course) -> Option:
        return self.sciatica if course == "sciatica" else self.back_pain


class MainPoints(_Model):
    """The top of an injection page: how much it may help and for how long (with the number), and the main risks.
    The page adds when to get help (with the region's number) and that not having it is a choice too."""

    helps: Statement
    risks: Statement


class Injection(_Model):
    """One injection type, with every section a patient needs to discuss it with a doctor.

    Its place in every list is its page's place in the site map (``pages.yaml``).
    """

    id: Slug
    title: Text
    short_title: Text
    summary: Statement
    main_points: MainPoints
    what_it_is: Statements
    used_for: Statements
    what_happens: Procedure
    benefits: Statements
    how_sure: Evidence
    common_side_effects: Statements
    rare_serious_risks: Statements
    how_often: Statements
    who_should_not: Statements
    alternatives: Statements
    """The other choices, waiting included, put fairly beside the injection."""
    questions: Statements
    decision: Decision
    """The decision stated, and having the injection as an option beside not having it."""
    test_steps: Annotated[tuple[Statement, ...], Field(max_length=7)] = ()
    """For a shot that is also a test (a nerve block, an SI joint shot): how to score the pain, as numbered steps."""
    at_a_glance: AtAGlance
    knowledge_check: Annotated[tuple[QuizQuestion, ...], Field(min_length=3, max_length=5)]
    diagram: Diagram
    presenter_notes: Annotated[tuple[InjectionNote, ...], Field(min_length=1)]
    glossary: tuple[Slug, ...] = Field(min_length=1)


NotebookName = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}_[a-z0-9_]+\.ipynb$")]
"""A page's notebook in ``notebooks/``: a two-digit prefix keeps the folder in site-map order."""

PageKind = Literal["reading", "tool"]


class SitePage(_Model):
    """One page of the app: its id, its notebook, whether it is text or a tool, and its title."""

    id: Slug
    notebook: NotebookName
    kind: PageKind
    title: Text
    injection: Slug | None = None
    """The injection a reading page presents (an id in injections/)."""
    widgets: bool = False
    """True when the page shows ipywidgets, so each visitor needs a live kernel. Every other page is
    served as finished HTML, rendered once from its notebook (``backpain_edu.app.finished_pages``)."""


class SiteMap(_Model):
    """Every page of the patient app, in order (``pages.yaml``), like Jupyter Book's table of contents."""

    pages: Annotated[tuple[SitePage, ...], Field(min_length=1)]

    def page(self, page_id: str) -> SitePage:
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(f"no page with id '{page_id}' in pages.yaml")

    def notebook(self, page_id: str) -> str:
        """The notebook of a page, for a link from another page (``care-plan`` -> ``08_care_plan.ipynb``)."""
        return self.page(page_id).notebook

    def injection_page(self, injection_id: str) -> SitePage:
        for page in self.pages:
            if page.injection == injection_id:
                return page
        raise KeyError(f"no page presents the injection '{injection_id}' in pages.yaml")

    @property
    def tools(self) -> tuple[SitePage, ...]:
        return tuple(page for page in self.pages if page.kind == "tool")

    @property
    def with_widgets(self) -> tuple[SitePage, ...]:
        """The pages that keep a Voila kernel per visitor (the only ones the server preheats)."""
        return tuple(page for page in self.pages if page.widgets)


class Sign(_Model):
    """A red-flag symptom: a question for the checklist and a plain description.

    ``note`` names the group's note that says what this sign can mean (``cauda-equina``): a box or a
    result shows a note only beside the signs that name it, so an injury never reads as cauda equina.
    """

    id: Slug
    question: Text
    text: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)
    note: Slug | None = None


class RedFlagGroup(_Model):
    """Signs that share one level of help: a heading, why it matters, and the signs.

    ``message`` goes with every sign of the group; ``notes`` each go only with the signs that name them.
    Every sign has one or the other, and every note is named by a sign.
    """

    heading: Text
    message: Statement | None = None
    notes: dict[Slug, Statement] = Field(default_factory=dict)
    signs: Annotated[tuple[Sign, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _notes_match_signs(self) -> RedFlagGroup:
        named = {sign.note for sign in self.signs if sign.note}
        if named - self.notes.keys():
            raise ValueError(f"signs name notes that 'notes' does not have: {sorted(named - self.notes.keys())}")
        if self.notes.keys() - named:
            raise ValueError(f"notes no sign names: {sorted(self.notes.keys() - named)}")
        if self.message is None and any(sign.note is None for sign in self.signs):
            raise ValueError("a sign with no 'note' needs the group's 'message' to say what it means")
        return self

    def why(self, signs: Iterable[Sign]) -> tuple[Statement, ...]:
        """What the shown signs can mean: the group's message, then each note of a shown sign, once."""
        notes = dict.fromkeys(sign.note for sign in signs if sign.note)
        return (*((self.message,) if self.message else ()), *(self.notes[note] for note in notes))


class RedFlags(_Model):
    """Symptoms that need help before anyone thinks about an injection, at two levels as NHS pages
    put them: ``emergency`` (the emergency number or department now) and ``same_day`` (a doctor
    today). Where to call comes from the deployment's region (``emergency.yaml``)."""

    title: Text
    intro: Statement
    check_first: Statement
    """The first line before any shot, on every injection page: check these signs first (a link to this box)."""
    emergency: RedFlagGroup
    same_day: RedFlagGroup

    @property
    def signs(self) -> tuple[Sign, ...]:
        """Every sign, emergency first, in the order the checklist asks them."""
        return (*self.emergency.signs, *self.same_day.signs)


class RegionHelp(_Model):
    """Where to get help in one region: the words that name the emergency number and same-day help."""

    name: Text
    notice: Text
    """The last sentence of the notice on every page: what to do in an emergency."""
    call_now: Statement
    same_day: Statement


class EmergencyHelp(_Model):
    """Emergency numbers by deployment region (``uk``, ``us``, ``eu`` ...); ``default`` names them all."""

    regions: dict[Slug, RegionHelp]

    @field_validator("regions")
    @classmethod
    def _has_default(cls, regions: dict[str, RegionHelp]) -> dict[str, RegionHelp]:
        if "default" not in regions:
            raise ValueError("expected a 'default' region, used when the deployment names no known region")
        return regions


class WarningGroup(_Model):
    """Warning signs after an injection that share one level of help.

    ``source_for`` names the injections whose own advice the list comes from; on any other page (or a page
    about no one injection) ``elsewhere`` says so and what to ask. Empty: the list holds after every injection.
    """

    heading: Text
    signs: Statements
    source_for: tuple[Slug, ...] = ()
    elsewhere: Statement | None = None

    @model_validator(mode="after")
    def _elsewhere_with_source_for(self) -> WarningGroup:
        if bool(self.source_for) != (self.elsewhere is not None):
            raise ValueError("'source_for' and 'elsewhere' go together: a list from one injection's advice says so")
        return self

    def caveat(self, injection_id: str | None) -> Statement | None:
        """What to add beside this list on a page about ``injection_id`` (None: about no one injection)."""
        return None if not self.source_for or injection_id in self.source_for else self.elsewhere


class WarningSigns(_Model):
    """Warning signs after an injection: get help at once (after any injection), or call the doctor today."""

    title: Text
    intro: Statement
    summary: Statement
    """The warning signs in one sentence, for the main things to know at the top of each injection page."""
    at_once: WarningGroup
    call_doctor: WarningGroup


class Arm(_Model):
    """One group of a study, as a picture shows it: its words, and how many of ``Finding.per`` had the outcome."""

    label: Text
    count: int = Field(ge=0)


class Finding(_Model):
    """A count from one study, as the study reports it: who, what, over what time, out of how many, against what.

    Every number a patient reads beside a picture comes from here (a test checks the caption against it); the
    arms of one finding share one denominator and one time frame, so a picture never mixes them.
    """

    id: Slug
    injection: Slug | None = None
    """The injection whose benefit it counts (an id in ``injections/``), shown beside "how big" on its page."""
    course: Course | None = None
    """Or the kind of pain whose course without an injection it counts, shown with the "no injection" option on
    every page about that kind of pain."""
    kind: Literal["helps", "harms"] = "helps"
    """What an injection's finding counts: a benefit (shown beside "how big") or a harm (beside the side effects),
    drawn the same way, so harms get the same detail as benefits."""
    outcome: Text
    group: Text
    time_frame: Text
    per: Literal[100] = 100
    """Out of how many: 100 for every count here so far (the picture draws 100 figures; rarer harms out of 1,000
    or 10,000 would need a picture of their own)."""
    people: int | None = Field(default=None, gt=0)
    """How many people the study counted, where our source gives it."""
    arms: Annotated[tuple[Arm, ...], Field(min_length=1, max_length=2)]
    """The option and its comparison, in the order the caption names them; one arm where the study had one group
    (how pain went without an injection)."""
    caption: Text
    """The sentence a patient reads under the picture and a screen reader reads for it."""
    refs: tuple[RefKey, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _counts_fit(self) -> Finding:
        if (self.injection is None) == (self.course is None):
            raise ValueError("injection: expected exactly one of 'injection' and 'course'")
        for index, arm in enumerate(self.arms):
            if arm.count > self.per:
                raise ValueError(f"arms[{index}].count: {arm.count} is more than 'per' ({self.per})")
        return self


class ScaleFinding(_Model):
    """A mean change on a 0 to 10 pain scale, where a study gives only that (no count of people): drawn as a scale
    beside the change most people notice (about 2 points, FARRAR-2001), never as an icon array."""

    id: Slug
    injection: Slug
    outcome: Text
    time_frame: Text
    label: Text
    """The bar's words: what the change is ("Extra drop in leg pain with the shot")."""
    change: float = Field(gt=0, le=10)
    """Points on a 0 to 10 scale."""
    given_as: Text
    """The change in the source's own units, where it used another scale ("15 points on a 100-point scale")."""
    noticeable: float = Field(gt=0, le=10)
    """The change most people notice, on the same scale."""
    noticeable_label: Text
    caption: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)


class Findings(_Model):
    """Counts for pictures ("N out of 100"), from ``../shared/medical_references.md`` ("How often"), and mean changes
    on a pain scale where a study counts no people."""

    findings: tuple[Finding, ...]
    scales: tuple[ScaleFinding, ...] = ()


class Governance(_Model):
    """Who checked this content and when; shown in every page footer and in the PDF."""

    content_version: Text
    last_reviewed: date
    next_review: date
    reviewer: Text | None = None
    """The clinician who signed the content off; None until one has."""
    translated_from: LanguageCode | None = None
    """For a translation: the language it was translated from. Its ``reviewer`` stays empty until a
    clinician who reads this language has checked the translation itself."""
    not_reviewed: Text
    report_problem: Text
    """What to do about a mistake when the deployment sets no contact."""


class ReadinessQuestion(_Model):
    """One question of the SURE test, and the help a "no" to it shows, with the page (site map id) that gives it."""

    id: Slug
    text: Text
    help: Statement
    page: Slug


class Readiness(_Model):
    """The readiness check: the SURE test's four yes/no questions (Légaré 2010). Any "no" means the person is not
    yet sure (decisional conflict) and shows the help for it. It never says which choice is right, and it never
    scores anyone as ready for an injection."""

    title: Text
    intro: Statement
    wording: Statement
    """Where the questions' words come from: a translation says it is the project's own."""
    questions: Annotated[tuple[ReadinessQuestion, ...], Field(min_length=4, max_length=4)]
    all_yes: Statement
    some_no: Statement


class AboutPart(_Model):
    """One part of the About page: who made the guide, who paid, how the content was chosen, how it is updated."""

    heading: Text
    anchor: Slug
    text: Annotated[tuple[Text, ...], Field(min_length=1)]
    """Facts about the project itself, not medical claims: they cite no source."""


class About(_Model):
    """The About page (IPDAS: who made it, funding, conflicts of interest, how content is chosen and updated)."""

    intro: Text
    parts: Annotated[tuple[AboutPart, ...], Field(min_length=1)]
    changelog_title: Text


ContentFingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ChangeEntry(_Model):
    """One content version: when, what changed in words a patient can read, and the content's fingerprint then."""

    version: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{2}(\.\d{2})?(-\d+)?$")]
    """Year, month and day of the release (``2026.12.05``); a second release that day adds ``-2``."""
    released: date
    fingerprint: ContentFingerprint | None = None
    """SHA-256 of every content file but the change logs (``content_fingerprint``); None for versions logged before
    fingerprints were kept."""
    changes: Annotated[tuple[Text, ...], Field(min_length=1)]


class Changelog(_Model):
    """Every content version, newest first: ``backpain-edu validate`` fails when the content differs from the newest
    entry's fingerprint, so no change goes unlogged."""

    entries: Annotated[tuple[ChangeEntry, ...], Field(min_length=1)]


class Contraindication(_Model):
    """A reason to wait or not have an injection, and what to tell the doctor.

    ``red_flag`` names a red-flag sign this reason can go with (an infection and a fever): the result
    points to it so the reason to wait never hides a sign that needs a doctor today.
    """

    id: Slug
    question: Text
    text: Text
    tell_doctor: Text
    refs: tuple[RefKey, ...] = Field(min_length=1)
    red_flag: Slug | None = None


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
    url: Text | None = None
    """Its public address; None where it has none (the clinic article this project starts from)."""


class Site(_Model):
    """Text shared by every page: the notice, the start page and the care overview."""

    title: Text
    notice: Text
    welcome: Statements
    evidence_overview: Statements
    care_overview: Statements
    presenter_notes: SiteNotes


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

    intro: Statement
    after_emergency: Statement
    after_same_day: Statement
    with_red_flag: Text
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
    """One part of a care plan. ``weekly`` parts are done each week, as often as the patient sets (no
    default: our sources give no number); the others are talked about with a doctor."""

    id: Slug
    title: Text
    description: Statement
    weekly: bool = False


class ValueScale(_Model):
    """One question of the values exercise ("What matters to me"), and how it bears on the options: shown beside
    the answer in the care plan and its PDF, so what matters is linked to the choices it touches."""

    id: Slug
    title: Text
    bears_on: Statement


class CareOptions(_Model):
    """The care-plan page: goals, parts of care, injections to ask about, and what matters."""

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

    intro: Statement
    peg_title: Text
    peg_about: Statement
    peg_pain: Text
    peg_enjoyment: Text
    peg_activity: Text
    peg_change: Statement
    block_title: Text
    block_about: Statement
    block_hours_question: Text
    block_hours_missing: Text
    block_threshold: Statement
    meaningful_change: Statement
    """The 2-point / 30% yardstick, for a person's own 0-10 pain score only (never the PEG score)."""
    show_doctor: Statement


class NotebookGuide(_Model):
    """What one notebook is for in a session: learning goals and questions for discussion."""

    notebook: NotebookName
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


# --- Labels: every word around the content (``labels.yaml``) --------------------------------------
# One class per page or tool. A field is a heading, label, button or message; words in {braces} are
# filled in by the code, and ``catalog`` checks at load that each template formats.


class AppLabels(_Model):
    """The app's frame around every page: the header, the menu, the pager, the footer, the error message."""

    skip: Text
    urgent_link: Text
    all_pages: Text
    pager: Text
    previous: Text
    next: Text
    back_to_start: Text
    report: Text
    went_wrong: Text
    connection_lost: Text
    reload: Text
    busy_title: Text
    busy: Text
    busy_reading: Text
    not_found_title: Text
    not_found: Text
    went_wrong_title: Text
    about: Text
    """The footer's link to the About page."""


class PageLabels(_Model):
    """Words every page uses: the glossary and sources headings, and how dates are written."""

    glossary: Text
    sources: Text
    show_sources: Text
    """What opens a long source list folded under its heading: ``{count}`` is how many sources it holds."""
    source_link: Text
    page_number: Text
    date: Text
    short_date: Text
    months: Annotated[tuple[Text, ...], Field(min_length=12, max_length=12)]
    short_months: Annotated[tuple[Text, ...], Field(min_length=12, max_length=12)]
    read_more: Text | None = None
    """The line a printed handout ends with when the clinic gives its app's address (``{url}``).
    None in a translation that has no such line yet: its handouts leave the address out, and
    ``backpain-edu handouts`` says so."""


class InjectionLabels(_Model):
    """The headings of an injection page, in the order a patient needs them."""

    count_out_of: Text
    """Under each half of a picture of a count: "{count} out of {per}"."""
    main_points: Text
    what_it_is: Text
    used_for: Text
    what_happens: Text
    before: Text
    during: Text
    after: Text
    recovery: Text
    if_pain_returns: Text
    test_steps: Text
    test_steps_diary: Text
    """The last step's link to the pain diary."""
    pain_ruler_caption: Text
    """The caption (and text alternative) of the 0 to 10 scale drawn beside the test steps."""
    pain_ruler_low: Text
    pain_ruler_high: Text
    """The scale's two ends, named on the picture: 0 and 10."""
    benefits: Text
    how_sure: Text
    how_sure_label: Text
    certainty: Text
    how_big: Text
    findings: Text
    side_effects: Text
    harm_counted: Text
    """The heading of a picture of a harm our sources count, under the side effects."""
    serious_risks: Text
    how_often: Text
    who_should_not: Text
    alternatives: Text
    questions: Text
    decision: Text
    """The heading of the part that states the decision and sets the two options side by side."""
    decision_caption: Text
    having: Text
    not_having: Text
    option_what_happens: Text
    option_helps: Text
    option_harms: Text
    option_how_sure: Text


class StartLabels(_Model):
    """The headings of the start page."""

    about: Text
    guides: Text
    tools: Text
    evidence: Text
    care: Text


class GovernanceLabels(_Model):
    """The footer lines: who checked the content and when, and how to report a problem."""

    version: Text
    review: Text
    reviewed: Text
    """A page whose statements match a signed review: "Reviewed by {reviewer}, {role}, on {date}"."""
    changed: Text
    """A page changed since its review: "Changed since its last clinical review on {date}"."""
    report: Text


class ChecklistLabels(_Model):
    """The checklist page and its result."""

    step: Text
    result_topics: Text
    result_red_flags: Text
    tell_doctor: Text
    topics: Text
    tried: Text
    not_said: Text
    read_guide: Text
    other_care: Text
    build_plan: Text


class ReadinessLabels(_Model):
    """The readiness check's answers, and its place in the checklist (before and after) and in the care plan."""

    yes: Text
    no: Text
    not_answered: Text
    result: Text
    """The heading of what the answers mean, under the questions."""
    help: Text
    answers: Text
    """The heading of the answers in the care plan and its PDF, for the clinician to see."""
    again: Text
    """The lead of the second check, at the end of the checklist."""


class CarePlanLabels(_Model):
    """The care-plan page, its plan, its summary and its PDF."""

    file_name: Text
    """The start of the PDF's file name (``care-plan`` + the plan's title + ``.pdf``)."""
    plan_title_box: Text
    own_goal_box: Text
    note_box: Text
    note_heading: Text
    make_pdf: Text
    print_view: Text
    pdf_ready: Text
    pdf_stale: Text
    print_hint: Text
    download: Text
    how_often: Text
    not_set_yet: Text
    once_a_week: Text
    times_a_week: Text
    summary: Text
    nothing_picked: Text
    summary_goals: Text
    summary_week: Text
    summary_part: Text
    once: Text
    times: Text
    how_often_not_set: Text
    summary_discuss: Text
    summary_injections: Text
    summary_values: Text
    summary_value: Text
    value_line: Text
    """A value in the plan, with how it bears on the options: "{value}: {level}. {bears_on}"."""
    summary_note: Text
    my_week: Text
    week_caption: Text
    part_column: Text
    times_column: Text
    days: Annotated[tuple[Text, ...], Field(min_length=7, max_length=7)]
    not_set: Text
    part: Text
    read_guide: Text
    questions_about: Text
    my_note: Text


class CompareLabels(_Model):
    """The compare page and its table rows."""

    title: Text
    intro: Text
    none_picked: Text
    chooser: Text
    section: Text
    caption: Text
    test_or_treatment: Text
    time_taken: Text
    recovery: Text
    relief_lasts: Text
    how_sure: Text
    how_big: Text
    main_risk: Text
    steroid: Text
    cost: Text
    full_guide: Text
    no_injection: Text
    """The comparison's last column: not having an injection (other care, or waiting)."""
    other_care: Text
    """That column's link, to the start page's part on other care."""


class KnowledgeCheckLabels(_Model):
    """The knowledge check under each injection page."""

    title: Text
    intro: Text
    question: Text
    score: Text
    right: Text
    not_quite: Text
    answer: Text
    sources: Text


class QuestionsLabels(_Model):
    """The question list under each injection page."""

    title: Text
    intro: Text
    my_list: Text
    empty: Text
    go_to_plan: Text


class DiaryLabels(_Model):
    """The pain diary page, its messages and its charts."""

    privacy: Text
    choose_number: Text
    not_known_yet: Text
    injection_day: Text
    score_day: Text
    hour: Text
    hour_option: Text
    one_hour: Text
    hours: Text
    hour_pain: Text
    add_score: Text
    add_hour: Text
    upload: Text
    pick_date_first: Text
    answer_all: Text
    score_added: Text
    hour_added: Text
    file_loaded: Text
    file_failed: Text
    save: Text
    file_name: Text
    result_title: Text
    nothing_yet: Text
    nothing_yet_text: Text
    scores_saved: Text
    injection_day_line: Text
    baseline: Text
    latest_lower: Text
    latest_higher: Text
    add_both_sides: Text
    pain_item: Text
    block_add_hours: Text
    block_relief: Text
    peg_chart: Text
    peg_chart_day: Text
    block_chart: Text
    chart_reading: Text
    chart_hour: Text
    chart_injection: Text
    peg_axis: Text
    hours_axis: Text
    pain_axis: Text


class EducatorLabels(_Model):
    """The educator pages: presenter notes and the session guide."""

    notes_title: Text
    stress: Text
    goals: Text
    discuss: Text
    open_page: Text
    session_caption: Text
    session_title: Text
    time_column: Text
    activity_column: Text
    page_column: Text
    minutes: Text


class Review(_Model):
    """A clinician's sign-off, bound to exactly the statements reviewed: the SHA-256 of their words, sources and places
    in ``files`` of one language (``review_packet.statements_fingerprint``). Any later change to those statements
    makes the pages say "changed since its last clinical review", never "reviewed"."""

    reviewer: Text
    role: Text
    reviewed: date
    language: LanguageCode
    files: Annotated[tuple[str, ...], Field(min_length=1)]
    """Content files, as named in the review packet (``injections/facet-joint.yaml``)."""
    fingerprint: ContentFingerprint


class Reviews(_Model):
    """Every signed review, oldest first (``content/reviews.yaml``; the repository carries none)."""

    reviews: tuple[Review, ...] = ()


class ReviewLabels(_Model):
    """The clinician's review packet (``backpain-edu review-packet``): its title, intro and each statement's line."""

    title: Text
    notice: Text
    intro: Text
    """"{count} statements from {files} files"."""
    item: Text
    """One statement, then its source numbers: "{text} | Where: {where} | Agree / change / remove: ____"."""
    readability: Text


class Labels(_Model):
    """Every label of the app, by page or tool (``labels.yaml``)."""

    app: AppLabels
    page: PageLabels
    injection: InjectionLabels
    start: StartLabels
    governance: GovernanceLabels
    checklist: ChecklistLabels
    care_plan: CarePlanLabels
    readiness: ReadinessLabels
    compare: CompareLabels
    knowledge_check: KnowledgeCheckLabels
    questions: QuestionsLabels
    diary: DiaryLabels
    educator: EducatorLabels
    diagram: DiagramLabels
    review: ReviewLabels
