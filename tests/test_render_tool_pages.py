"""The tools' pages: the comparison, the care plan and the checklist result, as structure and HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from backpain_edu.candidacy import Answers, assess_candidacy
from backpain_edu.care_plan import PlanChoices, build_care_plan
from backpain_edu.catalog import Catalog
from backpain_edu.render.html import render_download_link, render_page
from backpain_edu.render.reading_pages import injection_notebook, start_page
from backpain_edu.render.tool_pages import COMPARE_ROWS, assessment_page, care_plan_page, comparison_page


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"])
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])


def _parsed(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def test_the_comparison_shows_every_row_for_all_six_injections_and_no_injection(catalog: Catalog) -> None:
    page = comparison_page(catalog)
    table = page.sections[0].table
    words = catalog.labels.compare
    assert table.columns[1:] == (*(i.short_title for i in catalog.injections), words.no_injection)
    assert [row[0].text for row in table.rows] == [label(words) for _, label, _ in COMPARE_ROWS] + [words.full_guide]
    assert all(len(row) == 8 for row in table.rows)
    steroid = next(row for row in table.rows if row[0].text == "Steroid")
    assert steroid[1].text == catalog.injections[0].at_a_glance.steroid.text and steroid[1].cites
    # Not having an injection fills every row with its own sourced words, and links to the start page's other care.
    glance = catalog.no_injection.at_a_glance
    for (row_id, _, _), row in zip(COMPARE_ROWS, table.rows, strict=False):
        assert row[-1].text == getattr(glance, row_id.replace("-", "_")).text and row[-1].cites
    assert table.rows[-1][-1].href == "00_start_here.ipynb#start-care"
    html = render_page(page)
    assert html.count('<th scope="col"') == 8 and 'role="region"' in html
    assert injection_notebook(catalog.injections[0], catalog) in _parsed(html).hrefs


def test_how_sure_and_how_big_are_separate_rows_from_the_content(catalog: Catalog) -> None:
    rows = {r[0].text: r[1:-1] for r in comparison_page(catalog).sections[0].table.rows}
    for sure, big, injection in zip(rows["How sure we are"], rows["How big the effect is"], catalog.injections,
                                    strict=True):  # fmt: skip
        assert sure.text.lower().startswith(injection.how_sure.certainty.word)
        assert big.text == injection.how_sure.how_big.text


def test_every_cited_number_on_a_tool_page_has_a_source(catalog: Catalog) -> None:
    plan = build_care_plan(
        PlanChoices(components={"heat": 2, "injection": None}, injections=frozenset({"facet-joint"}),
                    questions=frozenset({("facet-joint", 0)}), values={"low-cost": 2}),
        catalog,
    )  # fmt: skip
    assessment = assess_candidacy(Answers(yes=frozenset({"saddle-numbness", "allergy", "leg-below-knee"})), catalog)
    for page in (comparison_page(catalog), care_plan_page(plan, catalog), assessment_page(assessment, catalog)):
        html = render_page(page)
        cited = {int(n) for n in re.findall(r'href="#src-[a-z-]+-(\d+)"', html)}
        assert cited == set(range(1, len(page.sources) + 1)), page.slug
        ids = _parsed(html).ids
        assert len(ids) == len(set(ids)), page.slug


def test_the_plan_page_holds_the_week_the_questions_and_the_values(catalog: Catalog) -> None:
    plan = build_care_plan(
        PlanChoices(components={"heat": 3}, injections=frozenset({"facet-joint"}),
                    questions=frozenset({("facet-joint", 1)}), values={"avoid-needles": 3}),
        catalog,
    )  # fmt: skip
    page = care_plan_page(plan, catalog)
    assert [s.anchor for s in page.sections] == ["summary", "week", "parts", "injections", "values", "warning-signs"]
    week = page.sections[1].table
    assert week.columns[2:] == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert [c.text for c in week.rows[0]] == ["Heat on the skin", "3", "✓", "", "✓", "", "✓", "", ""]
    questions = page.sections[3].subsections[0]
    assert [b.text for b in questions.blocks] == [catalog.injection("facet-joint").questions[1].text]


def test_the_start_page_links_every_tool_page(catalog: Catalog) -> None:
    hrefs = _parsed(render_page(start_page(catalog))).hrefs
    for tool in catalog.site_map.tools:
        assert tool.notebook in hrefs


def test_a_download_link_carries_the_file_in_the_page_with_an_escaped_name() -> None:
    html = render_download_link(b"%PDF-1.4", 'a"b<c>.pdf', "application/pdf", "Download")
    assert 'href="data:application/pdf;base64,JVBERi0xLjQ="' in html
    assert 'download="a&quot;b&lt;c&gt;.pdf"' in html
