"""Content -> a neutral page (headings, cited blocks, glossary, numbered sources).

Every output (HTML and PDF) renders this one structure, so the text, the order of
sections and the numbering of sources stay the same whatever the patient reads it in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from backpain_edu.catalog import Catalog
from backpain_edu.models import GlossaryTerm, Injection, Reference, Statement
from backpain_edu.render.diagram import spine_svg_data_uri


@dataclass(frozen=True)
class Block:
    """A piece of text and the numbers of the sources it cites on this page."""

    text: str
    cites: tuple[int, ...] = ()
    href: str | None = None


@dataclass(frozen=True)
class Table:
    """A grid of blocks (the weekly plan, the comparison); each row starts with its header cell."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Block, ...], ...]
    sentences: bool = False
    """Cells hold sentences (the comparison), not ticks and numbers: give them room to be read."""


@dataclass(frozen=True)
class Figure:
    """A picture with the words that describe it to someone who cannot see it."""

    image_uri: str
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]
    anchor: str
    subsections: tuple[Section, ...] = ()
    lead: Block | None = None
    label: str | None = None
    urgent: bool = False
    table: Table | None = None
    figure: Figure | None = None


@dataclass(frozen=True)
class Page:
    title: str
    slug: str
    notice: str
    summary: Block | None
    sections: tuple[Section, ...]
    glossary: tuple[GlossaryTerm, ...]
    sources: tuple[Reference, ...]
    figure: Figure | None = None
    footer: tuple[str, ...] = ()
    """Lines for the end of a printed page (who checked the content and when); the app's template
    shows the same lines under every page."""


@dataclass
class Citations:
    """Numbers sources in order of first citation on a page (1, 2, 3 ...)."""

    catalog: Catalog
    keys: list[str] = field(default_factory=list)

    def block(self, text: str, refs: Iterable[str]) -> Block:
        numbers = []
        for key in refs:
            if key not in self.keys:
                self.keys.append(key)
            numbers.append(self.keys.index(key) + 1)
        return Block(text, tuple(numbers))

    def statement(self, statement: Statement) -> Block:
        return self.block(statement.text, statement.refs)

    def statements(self, statements: Iterable[Statement]) -> tuple[Block, ...]:
        return tuple(self.statement(s) for s in statements)

    def joined(self, *statements: Statement) -> Block:
        """Several statements read as one paragraph, citing all their sources."""
        return self.block(" ".join(s.text for s in statements), [key for s in statements for key in s.refs])

    def sources(self) -> tuple[Reference, ...]:
        return tuple(self.catalog.references[key] for key in self.keys)


def injection_page(injection: Injection, catalog: Catalog) -> Page:
    """All sections of one injection, in the order a patient needs them."""
    cite = Citations(catalog)
    summary = cite.statement(injection.summary)
    steps = injection.what_happens

    def section(heading: str, anchor: str, statements: Iterable[Statement]) -> Section:
        return Section(heading, cite.statements(statements), anchor)

    evidence = injection.how_sure
    sections = (
        section("What it is", "what-it-is", injection.what_it_is),
        section("What it is used for", "used-for", injection.used_for),
        Section(
            "What happens",
            (),
            "what-happens",
            subsections=(
                section("Before", "before", steps.before),
                section("During", "during", steps.during),
                section("After", "after", steps.after),
                section("Recovery time", "recovery", steps.recovery),
            ),
        ),
        section("How it may help", "benefits", injection.benefits),
        Section(
            "How sure are we?",
            (),
            "how-sure",
            lead=cite.statement(evidence.headline),
            label=f"How sure: {evidence.certainty.word}",
            subsections=(
                Section("How sure", (cite.block(evidence.certainty.text, evidence.certainty.refs),), "certainty"),
                section("How big the effect is", "how-big", (evidence.how_big,)),
                section("What the studies found", "findings", evidence.points),
            ),
        ),
        section("Common side effects", "side-effects", injection.common_side_effects),
        section("Rare but serious risks", "serious-risks", injection.rare_serious_risks),
        warning_signs_section(catalog, cite),
        section("How often it can be done", "how-often", injection.how_often),
        section("Who should not have it, or should wait", "who-should-not", injection.who_should_not),
        section("Other choices, including waiting", "alternatives", injection.alternatives),
        section("Questions to ask your doctor", "questions", injection.questions),
    )
    glossary = tuple(catalog.glossary[term] for term in injection.glossary)
    figure = Figure(spine_svg_data_uri(injection.diagram.target), injection.diagram.alt, 320, 360)
    return Page(
        injection.title,
        injection.id,
        catalog.notice,
        summary,
        sections,
        glossary,
        cite.sources(),
        figure,
    )


def injection_notebook(injection: Injection) -> str:
    """The notebook that presents an injection: ``01_epidural_steroid.ipynb``."""
    return f"{injection.order:02d}_{injection.id.replace('-', '_')}.ipynb"


@dataclass(frozen=True)
class ToolPage:
    """A notebook holding an interactive tool; its title is also the notebook's metadata title."""

    notebook: str
    title: str


TOOL_PAGES = (
    ToolPage("07_checklist.ipynb", "Is an injection worth asking about?"),
    ToolPage("08_care_plan.ipynb", "My care plan"),
    ToolPage("09_compare.ipynb", "Compare the injections"),
    ToolPage("10_pain_diary.ipynb", "My pain diary"),
)
"""The one list of tool pages: the start page links them and the tests check each notebook."""

CARE_PLAN_NOTEBOOK = TOOL_PAGES[1].notebook


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
        signs = tuple(cite.block(sign.text, sign.refs) for sign in group.signs if only is None or sign.id in only)
        if not signs:
            continue
        groups.append(Section(group.heading, signs, anchor, lead=cite.joined(where, group.message), urgent=True))
    return Section(
        flags.title,
        (),
        "urgent-symptoms",
        subsections=tuple(groups),
        lead=cite.statement(lead or flags.intro),
        urgent=True,
    )


def warning_signs_section(catalog: Catalog, cite: Citations) -> Section:
    """Warning signs after an injection: get help at once (with the region's number), or call the doctor."""
    warnings, region = catalog.warning_signs, catalog.region
    groups = (
        Section(warnings.at_once.heading, cite.statements(warnings.at_once.signs), "at-once",
                lead=cite.statement(region.call_now), urgent=True),
        Section(warnings.call_doctor.heading, cite.statements(warnings.call_doctor.signs), "call-doctor",
                lead=cite.statement(region.same_day), urgent=True),
    )  # fmt: skip
    return Section(
        warnings.title,
        (cite.statement(warnings.other_injections),),
        "warning-signs",
        subsections=groups,
        lead=cite.statement(warnings.intro),
        urgent=True,
    )


def governance_lines(catalog: Catalog) -> tuple[str, ...]:
    """Who checked this content and when, and how to report a problem: every page footer and PDF."""
    rules = catalog.governance
    review = f"Clinical review: {rules.reviewer}." if rules.reviewer else f"Clinical review: {rules.not_reviewed}"
    report = (
        f"Report a problem with this page: {catalog.deployment.contact}"
        if catalog.deployment.contact
        else f"Report a problem with this page: {rules.report_problem}"
    )
    return (
        f"Content version {rules.content_version}. Checked against its sources on {rules.last_reviewed:%d %B %Y}. "
        f"Next review due by {rules.next_review:%d %B %Y}.",
        review,
        report,
    )


START_PAGE_TERMS = ("cauda-equina", "nice", "sciatica")


def start_page(catalog: Catalog) -> Page:
    """The front page: red flags first, then what this is, the guides, and the evidence."""
    cite = Citations(catalog)
    urgent = red_flag_section(catalog, cite)
    site = catalog.site
    guides = tuple(Block(injection.title, href=injection_notebook(injection)) for injection in catalog.injections)
    sections = (
        urgent,
        Section("About this guide", cite.statements(site.welcome), "about"),
        Section("Guides to each injection", guides, "guides"),
        Section("Tools to plan your visit", tuple(Block(t.title, href=t.notebook) for t in TOOL_PAGES), "tools"),
        Section("What the evidence says overall", cite.statements(site.evidence_overview), "evidence"),
        Section("Injections are one part of care", cite.statements(site.care_overview), "care"),
    )
    # The red-flag box names cauda equina syndrome and the overview names NICE: define both here.
    glossary = tuple(catalog.glossary[term] for term in START_PAGE_TERMS)
    return Page(site.title, "start", catalog.notice, None, sections, glossary, cite.sources())
