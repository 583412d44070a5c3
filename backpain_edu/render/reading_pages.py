"""Reading pages from content: the start page and each injection page, with the shared boxes they
hold (red flags, warning signs after an injection) and the footer lines (who checked the content).

Headings come from ``labels.yaml``, links between pages from the site map (``pages.yaml``),
every claim from its content file with its sources.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

from backpain_edu.catalog import Catalog
from backpain_edu.models import Finding, Injection, ScaleFinding, Statement
from backpain_edu.render.citations import Citations
from backpain_edu.render.dates import long_date
from backpain_edu.render.diagram import HEIGHT, WIDTH, spine_svg, svg_data_uri
from backpain_edu.render.icon_array import icon_array_svg
from backpain_edu.render.page import Block, Figure, Page, Section, Table, heading_id
from backpain_edu.render.pain_scale import pain_ruler_svg, pain_scale_svg

START_PAGE = "start"
"""The start page's id in the site map and its slug: it holds the red-flag box every injection page points to."""
RED_FLAGS = "urgent-symptoms"
"""The red-flag box's anchor."""
START_PAGE_TERMS = ("cauda-equina", "nice", "sciatica")
"""The red-flag box names cauda equina syndrome and the overview names NICE and sciatica: define them."""
MAIN_POINTS = "main-points"
"""The anchor of the box at the top of each injection page: the main things to know."""
DECISION = "decision"
"""The anchor of the part of each injection page that states its decision and sets out the two options."""
TEST_STEPS = "test-steps"
"""The anchor of the numbered steps for scoring pain during a test (a nerve block, an SI joint shot)."""
DIARY = "diary"
"""The pain diary's id in the site map: the test steps link to it."""
HARM_COUNTED = "counted"
"""The anchor of the picture of a counted harm, under the side effects (only where our sources count one)."""
OPTION_ROWS = ("what-happens", "helps", "harms", "how-sure")
"""The four headings every option of a decision has, in order (each a row of the grid, and a slide part)."""


def injection_notebook(injection: Injection, catalog: Catalog) -> str:
    """The notebook that presents an injection, from the site map: ``01_epidural_steroid.ipynb``."""
    return catalog.site_map.injection_page(injection.id).notebook


def injection_page(injection: Injection, catalog: Catalog) -> Page:
    """All sections of one injection, in the order a patient needs them."""
    cite = Citations(catalog)
    words = catalog.labels.injection
    summary = cite.statement(injection.summary)
    steps = injection.what_happens
    evidence = injection.how_sure

    def section(heading: str, anchor: str, statements: Iterable[Statement]) -> Section:
        return Section(heading, cite.statements(statements), anchor)

    sections = (
        main_points_section(injection, catalog, cite),
        section(words.what_it_is, "what-it-is", injection.what_it_is),
        section(words.used_for, "used-for", injection.used_for),
        decision_section(injection, catalog, cite),
        Section(
            words.what_happens,
            (),
            "what-happens",
            subsections=(
                Section(words.before, (check_red_flags_first(catalog, cite), *cite.statements(steps.before)), "before"),
                section(words.during, "during", steps.during),
                section(words.after, "after", steps.after),
                section(words.recovery, "recovery", steps.recovery),
                section(words.if_pain_returns, "if-pain-returns", steps.if_pain_returns),
                *_test_steps(injection, catalog, cite),
            ),
        ),
        Section(
            words.benefits,
            cite.statements(injection.benefits),
            "benefits",
            figure=scale_picture(catalog.scale_for(injection.id), cite),
        ),
        Section(
            words.how_sure,
            (),
            "how-sure",
            lead=cite.statement(evidence.headline),
            label=words.how_sure_label.format(word=evidence.certainty.word),
            subsections=(
                Section(words.certainty, (cite.block(evidence.certainty.text, evidence.certainty.refs),), "certainty"),
                Section(
                    words.how_big,
                    (cite.statement(evidence.how_big),),
                    "how-big",
                    figure=count_picture(catalog.finding_for(injection.id), catalog, cite),
                ),
                section(words.findings, "findings", evidence.points),
            ),
        ),
        side_effects_section(injection, catalog, cite),
        section(words.serious_risks, "serious-risks", injection.rare_serious_risks),
        warning_signs_section(catalog, cite, injection.id),
        section(words.how_often, "how-often", injection.how_often),
        section(words.who_should_not, "who-should-not", injection.who_should_not),
        section(words.alternatives, "alternatives", injection.alternatives),
        section(words.questions, "questions", injection.questions),
    )
    return cite.page(
        injection.title,
        injection.id,
        sections,
        summary=summary,
        glossary=tuple(catalog.glossary[term] for term in injection.glossary),
        figure=spine_picture(injection, catalog),
    )


def spine_picture(injection: Injection, catalog: Catalog) -> Figure:
    """The drawing of where the needle goes, labelled (a back bone, the target, the needle tip), with its caption."""
    words, target = catalog.labels.diagram, injection.diagram.target
    svg = spine_svg(target, words)
    caption = Block(words.caption.format(target=words.targets[target]))
    return Figure(svg_data_uri(svg), injection.diagram.alt, WIDTH, HEIGHT, caption=caption, svg=svg)


def main_points_section(injection: Injection, catalog: Catalog, cite: Citations) -> Section:
    """The main things to know, in a box at the top: how much it may help and for how long, the main risks, when to
    get help (with the region's number), and that not having the shot is a choice too."""
    points = injection.main_points
    blocks = (
        cite.statement(points.helps),
        cite.statement(points.risks),
        cite.joined(catalog.warning_signs.summary, catalog.region.call_now),
        cite.statement(catalog.no_injection.also_a_choice),
    )
    return Section(catalog.labels.injection.main_points, blocks, MAIN_POINTS, boxed=True)


def decision_section(injection: Injection, catalog: Catalog, cite: Citations) -> Section:
    """The decision, asked as a question, then having the injection and not having it side by side under the same
    four headings (a row each), and a picture of how the pain goes without a shot where our sources count it."""
    words, decision = catalog.labels.injection, injection.decision
    options = (decision.having, catalog.no_injection.option(decision.course))
    headings = (words.option_what_happens, words.option_helps, words.option_harms, words.option_how_sure)
    rows = tuple(
        (Block(heading), *(cite.joined(*getattr(option, field)) for option in options))
        for heading, field in zip(headings, ("what_happens", "helps", "harms", "how_sure"), strict=True)
    )
    columns = ("", words.having, words.not_having)
    grid = Table(words.decision_caption, columns, rows, sentences=True, row_ids=OPTION_ROWS, stacked=True)
    return Section(
        words.decision,
        (),
        DECISION,
        lead=cite.statement(decision.question),
        table=grid,
        figure=count_picture(catalog.course_finding(decision.course), catalog, cite),
    )


def _test_steps(injection: Injection, catalog: Catalog, cite: Citations) -> tuple[Section, ...]:
    """For a shot that is also a test: how to score the pain, as numbered steps, the last a link to the pain diary."""
    if not injection.test_steps:
        return ()
    words = catalog.labels.injection
    steps = cite.statements(injection.test_steps)  # numbered first: the page shows the steps before the picture
    diary = Block(words.test_steps_diary, href=catalog.site_map.notebook(DIARY))
    svg, width, height = pain_ruler_svg(words.pain_ruler_low, words.pain_ruler_high)
    # The scale the first step asks for, with that step's sources.
    caption = cite.block(words.pain_ruler_caption, injection.test_steps[0].refs)
    ruler = Figure(svg_data_uri(svg), words.pain_ruler_caption, width, height, caption=caption, svg=svg)
    return (Section(words.test_steps, (*steps, diary), TEST_STEPS, numbered=True, figure=ruler),)


def side_effects_section(injection: Injection, catalog: Catalog, cite: Citations) -> Section:
    """The common side effects; where a study counts one, what it counted goes under its own heading with its picture
    (so no list runs long, and the counts sit beside the picture of them)."""
    words, harm = catalog.labels.injection, catalog.finding_for(injection.id, "harms")
    effects = injection.common_side_effects
    counted = tuple(s for s in effects if harm and set(s.refs) & set(harm.refs))
    rest = cite.statements(s for s in effects if s not in counted)
    if harm is None:
        return Section(words.side_effects, rest, "side-effects")
    counts = cite.statements(counted)  # numbered before the picture's caption: the page shows them first
    sub = Section(words.harm_counted, counts, HARM_COUNTED, figure=count_picture(harm, catalog, cite))
    return Section(words.side_effects, rest, "side-effects", subsections=(sub,))


def count_picture(finding: Finding | None, catalog: Catalog, cite: Citations) -> Figure | None:
    """A finding as an icon array with its caption (the same words as its text alternative), or None."""
    if finding is None:
        return None
    svg, width, height = icon_array_svg(finding, catalog.labels.injection.count_out_of)
    caption = cite.block(finding.caption, finding.refs)
    return Figure(svg_data_uri(svg), finding.caption, width, height, caption=caption, svg=svg)


def scale_picture(scale: ScaleFinding | None, cite: Citations) -> Figure | None:
    """A mean change on a pain scale, beside the change most people notice, with its caption (the text alternative)."""
    if scale is None:
        return None
    svg, width, height = pain_scale_svg(scale)
    return Figure(
        svg_data_uri(svg), scale.caption, width, height, caption=cite.block(scale.caption, scale.refs), svg=svg
    )


def red_flag_section(
    catalog: Catalog, cite: Citations, only: Collection[str] | None = None, lead: Statement | None = None
) -> Section:
    """The red-flag box: emergency signs first, with the region's number, then same-day signs.

    ``only`` keeps the signs a patient ticked (the checklist result); ``lead`` replaces the intro.
    """
    flags, region = catalog.red_flags, catalog.region
    groups = []
    for anchor, group, where in (
        ("emergency", flags.emergency, region.call_now),
        ("same-day", flags.same_day, region.same_day),
    ):
        shown = tuple(sign for sign in group.signs if only is None or sign.id in only)
        if not shown:
            continue
        signs = tuple(cite.block(sign.text, sign.refs) for sign in shown)
        # What the signs can mean, beside those signs only: an injury never reads as cauda equina.
        groups.append(Section(group.heading, signs, anchor, lead=cite.joined(where, *group.why(shown)), urgent=True))
    return Section(
        flags.title,
        (),
        RED_FLAGS,
        subsections=tuple(groups),
        lead=cite.statement(lead or flags.intro),
        urgent=True,
    )


def warning_signs_section(catalog: Catalog, cite: Citations, injection_id: str | None = None) -> Section:
    """Warning signs after an injection: get help at once (with the region's number), or call the doctor today.

    ``injection_id`` is the injection the page is about (None: the care plan, the diary): a list that comes
    from another injection's advice says so there, and what to ask the clinic.
    """
    warnings, region = catalog.warning_signs, catalog.region
    groups = tuple(
        Section(group.heading, cite.statements(group.signs), anchor, urgent=True,
                lead=cite.joined(where, *filter(None, (group.caveat(injection_id),))))
        for anchor, group, where in (
            ("at-once", warnings.at_once, region.call_now),
            ("call-doctor", warnings.call_doctor, region.same_day),
        )
    )  # fmt: skip
    return Section(
        warnings.title,
        (),
        "warning-signs",
        subsections=groups,
        lead=cite.statement(warnings.intro),
        urgent=True,
    )


def check_red_flags_first(catalog: Catalog, cite: Citations) -> Block:
    """The first thing before any shot: check the signs that need help fast (a link to the start page's box)."""
    start = catalog.site_map.notebook(START_PAGE)
    return replace(cite.statement(catalog.red_flags.check_first), href=f"{start}#{heading_id(START_PAGE, RED_FLAGS)}")


def page_files(catalog: Catalog, page_id: str | None) -> tuple[str, ...] | None:
    """The content files whose statements a page shows, for its review line: an injection page's own file and the
    shared boxes on it, the start page's; None (every file) for any other page."""
    if page_id == START_PAGE:
        return ("site.yaml", "red_flags.yaml")
    if page_id in {injection.id for injection in catalog.injections}:
        return (
            f"injections/{page_id}.yaml",
            "red_flags.yaml",
            "warning_signs.yaml",
            "no_injection.yaml",
            "findings.yaml",
        )
    return None


def review_line(catalog: Catalog, files: tuple[str, ...] | None = None) -> str:
    """Reviewed by whom and when, for exactly these statements; or changed since that review; or not yet reviewed."""
    from backpain_edu.review_packet import review_state  # the packet's walk over statements; imported on use

    rules, words, dates = catalog.governance, catalog.labels.governance, catalog.labels.page
    state, review = review_state(catalog, files)
    if review is not None and state == "reviewed":
        return words.reviewed.format(reviewer=review.reviewer, role=review.role, date=long_date(review.reviewed, dates))
    if review is not None:
        return words.changed.format(date=long_date(review.reviewed, dates))
    return words.review.format(reviewer=rules.reviewer or rules.not_reviewed)


def governance_lines(catalog: Catalog, files: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Who checked this content and when, and how to report a problem: every page footer and PDF. ``files``: the
    content files the page shows (``page_files``), whose signed review the review line reports.

    The last line is the report line; the app's template makes its contact a link when it is one.
    """
    rules, words, dates = catalog.governance, catalog.labels.governance, catalog.labels.page
    version = words.version.format(
        version=rules.content_version,
        last_reviewed=long_date(rules.last_reviewed, dates),
        next_review=long_date(rules.next_review, dates),
    )
    review = review_line(catalog, files)
    report = words.report.format(contact=catalog.deployment.contact or rules.report_problem)
    return (version, review, report)


def start_page(catalog: Catalog) -> Page:
    """The front page: red flags first, then what this is, the guides, the tools, and the evidence."""
    cite = Citations(catalog)
    site, words, site_map = catalog.site, catalog.labels.start, catalog.site_map
    guides = tuple(Block(i.title, href=injection_notebook(i, catalog)) for i in catalog.injections)
    tools = tuple(Block(page.title, href=page.notebook) for page in site_map.tools)
    sections = (
        red_flag_section(catalog, cite),
        Section(words.about, cite.statements(site.welcome), "about"),
        Section(words.guides, guides, "guides"),
        Section(words.tools, tools, "tools"),
        Section(words.evidence, cite.statements(site.evidence_overview), "evidence"),
        Section(words.care, cite.statements(site.care_overview), "care"),
    )
    return cite.page(site.title, START_PAGE, sections, glossary=tuple(catalog.glossary[t] for t in START_PAGE_TERMS))


ABOUT_PAGE = "about"
"""The About page's id in the site map and its slug."""


def about_page(catalog: Catalog) -> Page:
    """Who made the guide, who paid, how its content is chosen and kept up to date, and every content version."""
    cite, about, dates = Citations(catalog), catalog.about, catalog.labels.page
    parts = tuple(Section(part.heading, tuple(Block(text) for text in part.text), part.anchor) for part in about.parts)
    versions = tuple(
        Section(
            f"{entry.version}, {long_date(entry.released, dates)}",
            tuple(Block(change) for change in entry.changes),
            f"version-{entry.version.replace('.', '-')}",
        )
        for entry in catalog.changelog.entries
    )
    changes = Section(about.changelog_title, (), "changes", subsections=versions)
    title = catalog.site_map.page(ABOUT_PAGE).title
    return cite.page(title, ABOUT_PAGE, (*parts, changes), summary=Block(about.intro), footer=governance_lines(catalog))
