"""Rendering: every section, numbered sources, red flags first, and all text escaped."""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import yaml

from backpain_edu.catalog import Catalog, load_catalog_from
from backpain_edu.render.html import render_page
from backpain_edu.render.reading_pages import injection_notebook, injection_page, start_page
from tests.conftest import REPO

HEADINGS = [
    "The main things to know",
    "What it is",
    "What it is used for",
    "Your choice",
    "What happens",
    "Before",
    "During",
    "After",
    "Recovery time",
    "If the pain comes back",
    "How it may help",
    "How sure are we?",
    "How sure",
    "How big the effect is",
    "What the studies found",
    "Common side effects",
    "Rare but serious risks",
    "Warning signs after an injection",
    "Get help at once if, after any injection, you have",
    "Call your doctor today if, after an injection, you have",
    "How often it can be done",
    "Who should not have it, or should wait",
    "Other choices, including waiting",
    "Questions to ask your doctor",
    "Words used on this page",
    "Sources",
]


class _Collector(HTMLParser):
    """Collects headings, script tags and link targets from rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.scripts = 0
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.hrefs.append(attributes.get("href", ""))
        if re.fullmatch(r"h[1-6]", tag):
            self._in_heading = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._in_heading = False

    def handle_data(self, data):
        if self._in_heading:
            self.headings[-1] += data


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_every_injection_page_shows_every_section_in_order(catalog: Catalog) -> None:
    for injection in catalog.injections:
        parsed = _parse(render_page(injection_page(injection, catalog)))
        assert parsed.headings[0] == injection.title
        # A harm our sources count gets a picture under its own heading, under the side effects.
        counted = catalog.finding_for(injection.id, "harms") is not None
        side_effects = HEADINGS.index("Common side effects") + 1
        expected = HEADINGS[:side_effects] + ["How often, in one study"] * counted + HEADINGS[side_effects:]
        # A shot that is also a test has numbered steps for scoring the pain, after "If the pain comes back".
        steps = expected.index("If the pain comes back") + 1
        expected[steps:steps] = ["If it is a test: how to score your pain"] * bool(injection.test_steps)
        assert parsed.headings[1:] == expected


def test_citations_point_at_numbered_sources_that_exist(catalog: Catalog) -> None:
    for injection in catalog.injections:
        page = injection_page(injection, catalog)
        parsed = _parse(render_page(page))
        anchors = [h[1:] for h in parsed.hrefs if h.startswith("#")]
        assert anchors and all(a in parsed.ids for a in anchors)
        cited = {int(a.rsplit("-", 1)[1]) for a in anchors if a.startswith("src-")}
        assert cited == set(range(1, len(page.sources) + 1))


def test_sources_are_listed_once_each_in_order_of_first_use(catalog: Catalog) -> None:
    page = injection_page(catalog.injection("epidural-steroid"), catalog)
    keys = [ref.key for ref in page.sources]
    assert len(keys) == len(set(keys))
    assert keys[0] == catalog.injection("epidural-steroid").summary.refs[0]


def _all_blocks(sections):
    for section in sections:
        yield from section.blocks
        if section.lead:
            yield section.lead
        yield from _all_blocks(section.subsections)


def test_no_block_cites_the_same_source_twice(catalog: Catalog) -> None:
    # The red-flag box joins the region's "call now" line and the emergency message, which share sources.
    pages = [start_page(catalog), *(injection_page(i, catalog) for i in catalog.injections)]
    blocks = [block for page in pages for block in _all_blocks(page.sections)]
    assert blocks and any(len(block.cites) > 2 for block in blocks)
    assert [block.text[:40] for block in blocks if len(block.cites) != len(set(block.cites))] == []


def test_start_page_puts_red_flags_first_and_links_every_guide(catalog: Catalog) -> None:
    page = start_page(catalog)
    assert page.sections[0].urgent
    parsed = _parse(render_page(page))
    assert parsed.headings[1] == catalog.red_flags.title
    for injection in catalog.injections:
        notebook = injection_notebook(injection, catalog)
        assert notebook in parsed.hrefs
        assert (REPO / "notebooks" / notebook).is_file()


def test_text_in_content_is_escaped_never_run(content_copy: Path) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
    path = content_copy / "injections" / "regenerative.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = hostile
    data["benefits"][0]["text"] = hostile
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    catalog = load_catalog_from(content_copy)
    html = render_page(injection_page(catalog.injection("regenerative"), catalog))
    parsed = _parse(html)
    assert parsed.scripts == 0
    assert "<img src=x" not in html
    # The drawing and the picture of how pain goes without a shot: both SVG data, none from the content.
    assert html.count("<img") == html.count('<img src="data:image/svg+xml;base64,') == 2
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 2
    assert parsed.headings[0] == hostile


def test_each_injection_page_shows_its_diagram_with_alt_text(catalog: Catalog) -> None:
    for injection in catalog.injections:
        html = render_page(injection_page(injection, catalog))
        # The drawing, and a picture of a count where our sources give one (tests/test_findings.py).
        counts = (
            catalog.finding_for(injection.id),
            catalog.finding_for(injection.id, "harms"),
            catalog.course_finding(injection.decision.course),
            catalog.scale_for(injection.id),
        )
        # A shot that is also a test shows the 0 to 10 scale its steps ask for.
        ruler = bool(injection.test_steps)
        pictures = 1 + sum(finding is not None for finding in counts) + ruler
        assert html.count('<figure class="bpe-figure"><img src="data:image/svg+xml;base64,') == pictures
        assert html.count(f'alt="{escape(injection.diagram.alt)}"') == 1
        assert html.count(f'alt="{escape(catalog.labels.injection.pain_ruler_caption)}"') == ruler


def test_a_long_source_list_is_folded_under_its_count_a_short_one_and_a_printed_one_are_open(catalog: Catalog) -> None:
    from backpain_edu.render.html import OPEN_SOURCES

    page = injection_page(catalog.injection("epidural-steroid"), catalog)
    assert len(page.sources) > OPEN_SOURCES
    folded = render_page(page)
    summary = f"<summary>Show all {len(page.sources)} sources</summary>"
    assert f'<details class="bpe-sources-all">{summary}<ol>' in folded
    # The heading stays outside the fold (it is in the page's outline), and every source is still in the page.
    assert folded.index('id="epidural-steroid-sources"') < folded.index(summary)
    assert all(f'id="src-epidural-steroid-{n}"' in folded for n in range(1, len(page.sources) + 1))
    assert "<details" not in render_page(page, printing=True).split('id="epidural-steroid-sources"')[1]
    short = replace(page, sources=page.sources[:OPEN_SOURCES])
    assert "<details" not in render_page(short).split('id="epidural-steroid-sources"')[1]
