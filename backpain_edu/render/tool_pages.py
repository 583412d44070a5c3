"""The tools' results as neutral pages: the checklist result, the care plan, the comparison.

Built from the same Page/Section/Block structure as the injection guides, so the HTML view, the
print view and the PDF show the same text, in the same order, with the same numbered sources.
Wording here is labels only; every claim comes from content with its sources.
"""

from __future__ import annotations

from collections.abc import Callable

from backpain_edu.candidacy import Assessment
from backpain_edu.care_plan import DAYS, CarePlan, plan_summary
from backpain_edu.catalog import Catalog
from backpain_edu.knowledge_check import Feedback
from backpain_edu.models import Injection, Statement, Topic
from backpain_edu.render.document import (
    CARE_PLAN_NOTEBOOK,
    Block,
    Citations,
    Page,
    Section,
    Table,
    governance_lines,
    injection_notebook,
    red_flag_section,
    warning_signs_section,
)

TICK = "✓"
NOT_SET = "Not set"


def _topic_section(topic: Topic, anchor: str, assessment: Assessment, catalog: Catalog, cite: Citations) -> Section:
    blocks = [cite.statement(topic.text)]
    tried_item = next(s for s in catalog.checklist.signals if s.id == catalog.checklist.tried_care.follows)
    if topic == tried_item.if_yes and (assessment.tried or assessment.tried_for):
        tried = ", ".join(c.title for c in assessment.tried) or "not said"
        blocks.append(Block(f"You said you tried: {tried}. For how long: {assessment.tried_for or 'not said'}."))
    blocks += [Block(f"Read the guide: {i.title}", href=injection_notebook(i)) for i in _injections(topic, catalog)]
    if topic.care:
        titles = ", ".join(catalog.component(c).title for c in topic.care)
        blocks.append(Block(f"Other care to ask about: {titles}", href=CARE_PLAN_NOTEBOOK))
    return Section(topic.title, tuple(blocks), anchor)


def _injections(topic: Topic, catalog: Catalog) -> tuple[Injection, ...]:
    return tuple(i for i in catalog.injections if i.id in topic.injections)


def _tell_doctor_section(assessment: Assessment, catalog: Catalog, cite: Citations) -> Section:
    items = catalog.contraindications
    blocks = [cite.block(item.tell_doctor, item.refs) for item in assessment.tell_doctor]
    # A reason to wait that can go with a red flag (an infection and a fever) points at that sign.
    blocks += [cite.block(f"{catalog.checklist.with_red_flag} {sign.text}", sign.refs) for sign in assessment.point_to]
    return Section("Tell your doctor", tuple(blocks), "tell-doctor", lead=cite.statement(items.intro))


def assessment_page(assessment: Assessment, catalog: Catalog) -> Page:
    """The checklist result, by outcome (see :mod:`backpain_edu.candidacy`).

    Emergency: the ticked signs with the number to call, and nothing else. Same day: the ticked signs,
    then what to tell the doctor. Otherwise: what to tell the doctor, topics, care to ask about.
    """
    cite = Citations(catalog)
    checklist = catalog.checklist
    sections = []
    if assessment.red_flags:
        flags = assessment.red_flags
        ticked = {s.id for s in (*flags.emergency, *flags.same_day)}
        lead = checklist.after_emergency if assessment.outcome == "emergency" else checklist.after_same_day
        sections.append(red_flag_section(catalog, cite, only=ticked, lead=lead))
    if assessment.tell_doctor:
        sections.append(_tell_doctor_section(assessment, catalog, cite))
    if assessment.outcome == "topics":
        topics = tuple(
            _topic_section(topic, f"topic-{n}", assessment, catalog, cite)
            for n, topic in enumerate(assessment.topics, start=1)
        )
        lead = cite.statement(checklist.nothing_ticked) if assessment.nothing_ticked else None
        sections.append(Section("Topics to talk about with your doctor", (), "topics", subsections=topics, lead=lead))
        care = ", ".join(c.title for c in assessment.care)
        always = (*cite.statements(checklist.always), Block(f"Build a care plan with: {care}", href=CARE_PLAN_NOTEBOOK))
        sections.append(Section(checklist.always_title, always, "always"))
    # No summary line: when a red flag is ticked, nothing may come before its box.
    title = "Your topics for your doctor" if assessment.outcome == "topics" else "Get help for the signs you ticked"
    return Page(title, "checklist", catalog.notice, None, tuple(sections), (), cite.sources())


def _week_table(plan: CarePlan) -> Table:
    rows = tuple(
        (
            Block(item.component.title),
            Block(NOT_SET if item.per_week is None else str(item.per_week)),
            *(Block(TICK if day else "") for day in item.days),
        )
        for item in plan.weekly
    )
    return Table("Each part of care, day by day", ("Part of care", "Times a week", *DAYS), rows)


def _questions_section(plan: CarePlan, catalog: Catalog, cite: Citations) -> Section:
    care = catalog.care_options
    guides = tuple(Block(f"Read the guide: {i.title}", href=injection_notebook(i)) for i in plan.injections)
    groups = tuple(
        Section(f"Questions about: {g.injection.title}", cite.statements(g.questions), f"q-{g.injection.id}")
        for g in plan.questions
    )
    return Section(care.injections_title, guides, "injections", subsections=groups)


def care_plan_page(plan: CarePlan, catalog: Catalog) -> Page:
    """The plan for the visit: summary, goals, the week, each part, questions, values, note."""
    cite = Citations(catalog)
    care = catalog.care_options
    sections = [Section("Summary", tuple(Block(line) for line in plan_summary(plan)), "summary")]
    if plan.goals:
        sections.append(Section(care.goals_title, tuple(Block(goal) for goal in plan.goals), "goals"))
    if plan.weekly:
        lead = cite.statement(care.frequency_note)
        sections.append(Section("My week", (), "week", lead=lead, table=_week_table(plan)))
    parts = (*(item.component for item in plan.weekly), *plan.to_discuss)
    if parts:
        blocks = tuple(cite.block(f"{c.title}: {c.description.text}", c.description.refs) for c in parts)
        sections.append(Section(care.components_title, blocks, "parts"))
    if plan.injections:
        sections.append(_questions_section(plan, catalog, cite))
    if plan.values:
        blocks = tuple(Block(f"{v.scale.title}: {v.level}") for v in plan.values)
        sections.append(Section(care.values_title, blocks, "values", lead=cite.statement(care.values_intro)))
    if plan.note:
        lines = tuple(Block(line) for line in plan.note.splitlines() if line.strip())
        sections.append(Section("My note for my doctor", lines, "note"))
    # Every plan, on screen and on paper, carries the warning signs and the number to call.
    sections.append(warning_signs_section(catalog, cite))
    title = f"{care.title}: {plan.title}" if plan.title else care.title
    return Page(
        title, "care-plan", catalog.notice, None, tuple(sections), (), cite.sources(), footer=governance_lines(catalog)
    )


def _how_sure(injection: Injection) -> Statement:
    certainty = injection.how_sure.certainty
    return Statement(text=f"{certainty.word.capitalize()}. {certainty.text}", refs=certainty.refs)


COMPARE_ROWS: tuple[tuple[str, Callable[[Injection], Statement]], ...] = (
    ("Test or treatment", lambda i: i.at_a_glance.test_or_treatment),
    ("How long it takes", lambda i: i.at_a_glance.time_taken),
    ("Recovery", lambda i: i.at_a_glance.recovery),
    ("How long relief may last", lambda i: i.at_a_glance.relief_lasts),
    ("How sure we are", _how_sure),
    ("How big the effect is", lambda i: i.how_sure.how_big),
    ("Main serious risk", lambda i: i.rare_serious_risks[0]),
    ("Steroid", lambda i: i.at_a_glance.steroid),
    ("Cost and insurance", lambda i: i.at_a_glance.cost),
)
"""The comparison's rows, top to bottom: what each cell shows for one injection."""


def _compare_rows(injections: tuple[Injection, ...], cite: Citations) -> tuple[tuple[Block, ...], ...]:
    rows = tuple((Block(label), *(cite.statement(cell(i)) for i in injections)) for label, cell in COMPARE_ROWS)
    guides = tuple(Block(i.short_title, href=injection_notebook(i)) for i in injections)
    return (*rows, (Block("Full guide"), *guides))


def comparison_page(catalog: Catalog, injection_ids: tuple[str, ...] | None = None) -> Page:
    """The injections side by side (all six, or the ones picked), one column each."""
    chosen = tuple(i for i in catalog.injections if injection_ids is None or i.id in injection_ids)
    cite = Citations(catalog)
    columns = ("", *(i.short_title for i in chosen))
    table = Table("The injections compared", columns, _compare_rows(chosen, cite), sentences=True)
    sections = (Section("At a glance", (), "at-a-glance", table=table),) if chosen else ()
    return Page("The injections side by side", "compare", catalog.notice, None, sections, (), cite.sources())


def feedback_section(question_id: str, feedback: Feedback, catalog: Catalog) -> Section:
    """What a knowledge-check answer shows: right or not, the right answer, why, and the sources."""
    sources = "; ".join(catalog.references[key].title for key in feedback.explanation.refs)
    blocks = (
        Block(f"The answer: {feedback.answer}"),
        Block(feedback.explanation.text),
        Block(f"Sources: {sources}"),
    )
    return Section("Right." if feedback.correct else "Not quite.", blocks, f"feedback-{question_id}")


def question_list_section(injection: Injection, ticked: frozenset[int]) -> Section:
    """The questions a patient ticked, as a list to take to the visit."""
    blocks = tuple(Block(q.text) for n, q in enumerate(injection.questions) if n in ticked)
    lead = None if blocks else Block("Tick a question above to add it to your list.")
    return Section("My questions for my doctor", blocks, f"my-questions-{injection.id}", lead=lead)
