"""Content -> a neutral page (headings, cited blocks, glossary, numbered sources).

Every output (HTML now, PDF later) renders this one structure, so the text, the order of
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

    def sources(self) -> tuple[Reference, ...]:
        return tuple(self.catalog.references[key] for key in self.keys)


def injection_page(injection: Injection, catalog: Catalog) -> Page:
    """All sections of one injection, in the order a patient needs them."""
    cite = Citations(catalog)
    summary = cite.statement(injection.summary)
    steps = injection.what_happens

    def section(heading: str, anchor: str, statements: Iterable[Statement]) -> Section:
        return Section(heading, cite.statements(statements), anchor)

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
            cite.statements(injection.how_sure.points),
            "how-sure",
            lead=cite.statement(injection.how_sure.headline),
            label=f"Strength of the evidence: {injection.how_sure.strength}",
        ),
        section("Common side effects", "side-effects", injection.common_side_effects),
        section("Rare but serious risks", "serious-risks", injection.rare_serious_risks),
        section("How often it can be done", "how-often", injection.how_often),
        section("Who should not have it, or should wait", "who-should-not", injection.who_should_not),
        section("Questions to ask your doctor", "questions", injection.questions),
    )
    glossary = tuple(catalog.glossary[term] for term in injection.glossary)
    figure = Figure(spine_svg_data_uri(injection.diagram.target), injection.diagram.alt, 320, 360)
    return Page(
        injection.title,
        injection.id,
        catalog.site.notice,
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
    """The urgent-care box: emergency signs first, then signs that need a same-day review.

    ``only`` keeps the signs a patient ticked (the checklist result); ``lead`` replaces the intro.
    """
    flags = catalog.red_flags
    groups = []
    for heading, anchor, group in (
        ("Go to the emergency department now if you have", "emergency", flags.emergency),
        ("Get an urgent medical review if you have", "urgent-review", flags.urgent),
    ):
        signs = tuple(cite.block(sign.text, sign.refs) for sign in group.signs if only is None or sign.id in only)
        if not signs:
            continue
        groups.append(Section(heading, signs, anchor, lead=cite.statement(group.message), urgent=True))
    return Section(
        flags.title,
        (),
        "urgent-symptoms",
        subsections=tuple(groups),
        lead=cite.statement(lead or flags.intro),
        urgent=True,
    )


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
    return Page(site.title, "start", site.notice, None, sections, (), cite.sources())
