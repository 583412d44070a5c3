"""The tools' results as neutral pages: the checklist result, the care plan, the comparison.

Built from the same Page/Section/Block structure as the injection guides, so the HTML view, the
print view and the PDF show the same text, in the same order, with the same numbered sources.
Labels come from ``labels.yaml``, links from the site map, every claim from content with its sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from backpain_edu.candidacy import Assessment
from backpain_edu.care_plan import CarePlan, plan_summary
from backpain_edu.catalog import Catalog
from backpain_edu.knowledge_check import Feedback
from backpain_edu.models import CompareLabels, Injection, Statement, Topic
from backpain_edu.readiness import ReadinessResult
from backpain_edu.render.citations import Citations
from backpain_edu.render.page import Block, Page, Section, Table, heading_id
from backpain_edu.render.reading_pages import (
    START_PAGE,
    governance_lines,
    injection_notebook,
    red_flag_section,
    warning_signs_section,
)

TICK = "✓"
CARE_PLAN = "care-plan"
"""The site-map id of the care-plan page, which the checklist result links to."""
COMPARE = "compare"
"""The site-map id of the compare page."""


def _topic_section(topic: Topic, anchor: str, assessment: Assessment, catalog: Catalog, cite: Citations) -> Section:
    words = catalog.labels.checklist
    blocks = [cite.statement(topic.text)]
    tried_item = next(s for s in catalog.checklist.signals if s.id == catalog.checklist.tried_care.follows)
    if topic == tried_item.if_yes and (assessment.tried or assessment.tried_for):
        tried = ", ".join(c.title for c in assessment.tried) or words.not_said
        blocks.append(Block(words.tried.format(care=tried, duration=assessment.tried_for or words.not_said)))
    blocks += [
        Block(words.read_guide.format(title=i.title), href=injection_notebook(i, catalog))
        for i in catalog.injections
        if i.id in topic.injections
    ]
    if topic.care:
        titles = ", ".join(catalog.component(c).title for c in topic.care)
        blocks.append(Block(words.other_care.format(care=titles), href=catalog.site_map.notebook(CARE_PLAN)))
    return Section(topic.title, tuple(blocks), anchor)


def _tell_doctor_section(assessment: Assessment, catalog: Catalog, cite: Citations) -> Section:
    items = catalog.contraindications
    blocks = [cite.block(item.tell_doctor, item.refs) for item in assessment.tell_doctor]
    # A reason to wait that can go with a red flag (an infection and a fever) points at that sign.
    blocks += [cite.block(f"{catalog.checklist.with_red_flag} {sign.text}", sign.refs) for sign in assessment.point_to]
    return Section(catalog.labels.checklist.tell_doctor, tuple(blocks), "tell-doctor", lead=cite.statement(items.intro))


def assessment_page(assessment: Assessment, catalog: Catalog) -> Page:
    """The checklist result, by outcome (see :mod:`backpain_edu.candidacy`).

    Emergency: the ticked signs with the number to call, and nothing else. Same day: the ticked signs,
    then what to tell the doctor. Otherwise: what to tell the doctor, topics, care to ask about.
    """
    cite = Citations(catalog)
    checklist, words = catalog.checklist, catalog.labels.checklist
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
        sections.append(Section(words.topics, (), "topics", subsections=topics, lead=lead))
        care = ", ".join(c.title for c in assessment.care)
        build = Block(words.build_plan.format(care=care), href=catalog.site_map.notebook(CARE_PLAN))
        sections.append(Section(checklist.always_title, (*cite.statements(checklist.always), build), "always"))
    # No summary line: when a red flag is ticked, nothing may come before its box.
    title = words.result_topics if assessment.outcome == "topics" else words.result_red_flags
    return cite.page(title, "checklist", sections)


def _week_table(plan: CarePlan, catalog: Catalog) -> Table:
    words = catalog.labels.care_plan
    rows = tuple(
        (
            Block(item.component.title),
            Block(words.not_set if item.per_week is None else str(item.per_week)),
            *(Block(TICK if day else "") for day in item.days),
        )
        for item in plan.weekly
    )
    return Table(words.week_caption, (words.part_column, words.times_column, *words.days), rows)


def _questions_section(plan: CarePlan, catalog: Catalog, cite: Citations) -> Section:
    words = catalog.labels.care_plan
    guides = tuple(
        Block(words.read_guide.format(title=i.title), href=injection_notebook(i, catalog)) for i in plan.injections
    )
    groups = tuple(
        Section(
            words.questions_about.format(title=g.injection.title), cite.statements(g.questions), f"q-{g.injection.id}"
        )
        for g in plan.questions
    )
    return Section(catalog.care_options.injections_title, guides, "injections", subsections=groups)


def care_plan_page(plan: CarePlan, catalog: Catalog) -> Page:
    """The plan for the visit: summary, goals, the week, each part, questions, values, note, warning signs."""
    cite = Citations(catalog)
    care, words = catalog.care_options, catalog.labels.care_plan
    page_title = catalog.site_map.page(CARE_PLAN).title
    sections = [Section(words.summary, tuple(Block(line) for line in plan_summary(plan, words)), "summary")]
    if plan.goals:
        sections.append(Section(care.goals_title, tuple(Block(goal) for goal in plan.goals), "goals"))
    if plan.weekly:
        lead = cite.statement(care.frequency_note)
        sections.append(Section(words.my_week, (), "week", lead=lead, table=_week_table(plan, catalog)))
    parts = (*(item.component for item in plan.weekly), *plan.to_discuss)
    if parts:
        blocks = tuple(
            cite.block(words.part.format(title=c.title, description=c.description.text), c.description.refs)
            for c in parts
        )
        sections.append(Section(care.components_title, blocks, "parts"))
    if plan.injections:
        sections.append(_questions_section(plan, catalog, cite))
    if plan.values:
        # Each answer beside the options it bears on (IPDAS: values linked to the options' features).
        blocks = tuple(
            cite.block(
                words.value_line.format(value=v.scale.title, level=v.level, bears_on=v.scale.bears_on.text),
                v.scale.bears_on.refs,
            )
            for v in plan.values
        )
        sections.append(Section(care.values_title, blocks, "values", lead=cite.statement(care.values_intro)))
    if plan.note:
        lines = tuple(Block(line) for line in plan.note.splitlines() if line.strip())
        sections.append(Section(words.my_note, lines, "note"))
    readiness = readiness_section(plan.readiness, catalog, cite)
    if readiness is not None:
        sections.append(readiness)
    # Every plan, on screen and on paper, carries the warning signs and the number to call.
    sections.append(warning_signs_section(catalog, cite))
    title = f"{page_title}: {plan.title}" if plan.title else page_title
    return cite.page(title, "care-plan", sections, footer=governance_lines(catalog))


def _how_sure(injection: Injection) -> Statement:
    certainty = injection.how_sure.certainty
    return Statement(text=f"{certainty.word.capitalize()}. {certainty.text}", refs=certainty.refs)


COMPARE_ROWS: tuple[tuple[str, Callable[[CompareLabels], str], Callable[[Injection], Statement]], ...] = (
    ("test-or-treatment", lambda w: w.test_or_treatment, lambda i: i.at_a_glance.test_or_treatment),
    ("time-taken", lambda w: w.time_taken, lambda i: i.at_a_glance.time_taken),
    ("recovery", lambda w: w.recovery, lambda i: i.at_a_glance.recovery),
    ("relief-lasts", lambda w: w.relief_lasts, lambda i: i.at_a_glance.relief_lasts),
    ("how-sure", lambda w: w.how_sure, _how_sure),
    ("how-big", lambda w: w.how_big, lambda i: i.how_sure.how_big),
    ("main-risk", lambda w: w.main_risk, lambda i: i.rare_serious_risks[0]),
    ("steroid", lambda w: w.steroid, lambda i: i.at_a_glance.steroid),
    ("cost", lambda w: w.cost, lambda i: i.at_a_glance.cost),
)
"""The comparison's rows, top to bottom: each row's id (its slide in the deck), its label, and what its
cell shows for one injection. A last row links each full guide."""
FULL_GUIDE_ROW = "full-guide"


def _compare_rows(
    injections: tuple[Injection, ...], catalog: Catalog, cite: Citations
) -> tuple[tuple[Block, ...], ...]:
    words = catalog.labels.compare
    glance = catalog.no_injection.at_a_glance  # the last column: not having an injection, a full option
    rows = tuple(
        (
            Block(label(words)),
            *(cite.statement(cell(i)) for i in injections),
            cite.statement(getattr(glance, row_id.replace("-", "_"))),
        )
        for row_id, label, cell in COMPARE_ROWS
    )
    guides = tuple(Block(i.short_title, href=injection_notebook(i, catalog)) for i in injections)
    start = catalog.site_map.notebook(START_PAGE)
    other_care = Block(words.other_care, href=f"{start}#{heading_id(START_PAGE, 'care')}")
    return (*rows, (Block(words.full_guide), *guides, other_care))


def comparison_page(catalog: Catalog) -> Page:
    """Every injection side by side, one column each, in the catalog's order."""
    cite, words = Citations(catalog), catalog.labels.compare
    columns = ("", *(i.short_title for i in catalog.injections), words.no_injection)
    rows = _compare_rows(catalog.injections, catalog, cite)
    ids = (*(row_id for row_id, _, _ in COMPARE_ROWS), FULL_GUIDE_ROW)
    table = Table(words.caption, columns, rows, sentences=True, row_ids=ids)
    return cite.page(words.title, COMPARE, (Section(words.section, (), "at-a-glance", table=table),))


def feedback_section(question_id: str, feedback: Feedback, catalog: Catalog) -> Section:
    """What a knowledge-check answer shows: right or not, the right answer, why, and the sources."""
    words = catalog.labels.knowledge_check
    sources = "; ".join(catalog.references[key].title for key in feedback.explanation.refs)
    blocks = (
        Block(words.answer.format(answer=feedback.answer)),
        Block(feedback.explanation.text),
        Block(words.sources.format(sources=sources)),
    )
    return Section(words.right if feedback.correct else words.not_quite, blocks, f"feedback-{question_id}")


READINESS = "readiness"
"""The readiness check's anchor (the care plan) and the start of its result pages' slugs (the checklist has two)."""


def _readiness_meaning(
    result: ReadinessResult, catalog: Catalog, cite: Citations
) -> tuple[Block | None, tuple[Block, ...]]:
    """What the answers mean: the words for any "no" and the help for each (linked to the page that gives it), or
    the words for four "yes" (which still send the reader to their doctor), or nothing while some are unanswered."""
    readiness, site_map = catalog.readiness, catalog.site_map
    if result.unsure:
        helps = tuple(replace(cite.statement(q.help), href=site_map.notebook(q.page)) for q in result.unsure)
        return cite.statement(readiness.some_no), helps
    if result.all_yes:
        return cite.statement(readiness.all_yes), ()
    return None, ()


def readiness_section(result: ReadinessResult, catalog: Catalog, cite: Citations) -> Section | None:
    """The readiness check in the care plan and its PDF: each question with its answer, for the clinician to see,
    then what the answers mean; None until a question is answered."""
    if not result.answered:
        return None
    words = catalog.labels.readiness
    said = {True: words.yes, False: words.no, None: words.not_answered}
    lead, helps = _readiness_meaning(result, catalog, cite)
    answers = tuple(Block(f"{question.text} {said[answer]}") for question, answer in result.answers)
    meaning = Section(words.help if helps else words.result, helps, f"{READINESS}-help", lead=lead)
    return Section(words.answers, answers, READINESS, subsections=(meaning,) if lead else ())


def readiness_page(result: ReadinessResult, catalog: Catalog, slug: str) -> Page | None:
    """What the answers mean, under a check inside a tool, with its sources (``slug`` keeps two checks apart)."""
    if not result.answered:
        return None
    cite = Citations(catalog)
    lead, helps = _readiness_meaning(result, catalog, cite)
    sections = (Section(catalog.labels.readiness.help, helps, "help"),) if helps else ()
    return cite.page(catalog.labels.readiness.result, slug, sections, summary=lead)
