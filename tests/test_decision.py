"""Each injection page states its decision and sets out both options with equal detail (IPDAS).

The decision is asked as a question; "having the shot" and "not having it: other care, or waiting" share the
same four headings (what happens, how likely to help, how likely to harm, how sure); help and harm are counted
out of 100 where our sources count them and say "our sources do not say how often" where they do not; and every
count rounds a rate that its cited source gives in the reference list's "How often" section.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from backpain_edu.catalog import CONTENT_DIR, load_catalog_from, load_languages
from backpain_edu.models import ContentError, Statement
from backpain_edu.render.pdf import render_pdf
from backpain_edu.render.reading_pages import DECISION, MAIN_POINTS, OPTION_ROWS, injection_page
from backpain_edu.render.slides import deck
from tests.conftest import SHARED
from tests.test_findings import HARM_COUNTS
from tests.test_render_pdf import flat, injection_pdf_text, pdf_text

CATALOGS = {code: load_catalog_from(CONTENT_DIR, language=code) for code in load_languages().codes}
OUT_OF_100 = {"en": r"(\d+) out of 100\b", "es": r"(\d+) de cada 100\b"}
NOT_COUNTED = {"en": "our sources do not say how often", "es": "nuestras fuentes no dicen con qué frecuencia"}


def _decision(catalog, injection):
    page = injection_page(injection, catalog)
    return page, next(section for section in page.sections if section.anchor == DECISION)


def _options(catalog, injection):
    """Each option of the page's decision: having the shot, and not having it (for its kind of pain)."""
    return (injection.decision.having, catalog.no_injection.option(injection.decision.course))


@pytest.mark.parametrize("language", CATALOGS)
def test_every_injection_page_asks_its_decision_and_sets_both_options_under_the_same_four_headings(
    language: str,
) -> None:
    catalog = CATALOGS[language]
    words = catalog.labels.injection
    for injection in catalog.injections:
        page, section = _decision(catalog, injection)
        assert section.lead is not None and section.lead.text == injection.decision.question.text
        assert section.lead.text.count("?") == 1, injection.id  # asked as a question
        # It comes before the page explains the steps: the choice is stated near the top.
        anchors = [s.anchor for s in page.sections]
        assert anchors.index(DECISION) < anchors.index("what-happens")
        grid = section.table
        assert grid is not None and grid.columns == ("", words.having, words.not_having)
        assert grid.row_ids == OPTION_ROWS
        headings = (words.option_what_happens, words.option_helps, words.option_harms, words.option_how_sure)
        assert tuple(row[0].text for row in grid.rows) == headings
        for row in grid.rows:  # both options say something under every heading, with its sources
            assert all(cell.text and cell.cites for cell in row[1:]), (injection.id, row[0].text)


@pytest.mark.parametrize("language", CATALOGS)
def test_help_and_harm_are_counted_out_of_100_or_say_our_sources_do_not_say_how_often(language: str) -> None:
    catalog = CATALOGS[language]
    for injection in catalog.injections:
        for option in _options(catalog, injection):
            for field in ("helps", "harms"):
                text = " ".join(s.text for s in getattr(option, field))
                counted = re.search(OUT_OF_100[language], text)
                assert counted or NOT_COUNTED[language] in text.lower(), (injection.id, field, text)
        # Where the reference list counts an injection's harms, the option says how many, out of 100.
        if injection.id in HARM_COUNTS:
            harms = injection.decision.having.harms
            assert any(HARM_COUNTS[injection.id] in s.refs and re.search(OUT_OF_100[language], s.text) for s in harms)


def _how_often_rates() -> dict[str, list[float]]:
    """Each source's rates in the reference list's "How often" section: its percentages (54%) and counts (21 of 44)."""
    text = (SHARED / "medical_references.md").read_text(encoding="utf-8")
    section = text.split("## How often", 1)[1].split("\n## ", 1)[0]
    rates: dict[str, list[float]] = {}
    for bullet in re.split(r"\n- ", section):
        found = [float(p) for p in re.findall(r"(\d+(?:\.\d+)?)%", bullet)]
        found += [100 * int(a) / int(b) for a, b in re.findall(r"\b(\d+) of (\d+)\b", bullet)]
        for key in re.findall(r"\[([A-Z0-9-]+)\]", bullet):
            rates.setdefault(key, []).extend(found)
    return rates


def _counted(statements: tuple[Statement, ...], pattern: str):
    for statement in statements:
        for count in re.findall(pattern, statement.text):
            yield statement, int(count)


@pytest.mark.parametrize("language", CATALOGS)
def test_every_count_in_a_decision_rounds_a_rate_its_own_source_gives(language: str) -> None:
    catalog, rates = CATALOGS[language], _how_often_rates()
    checked = 0
    for injection in catalog.injections:
        for option in _options(catalog, injection):
            statements = (*option.helps, *option.harms, *option.what_happens, *option.how_sure)
            if option is injection.decision.having:  # the main things to know give the same counts
                statements += (injection.main_points.helps, injection.main_points.risks)
            for statement, count in _counted(statements, OUT_OF_100[language]):
                given = [rate for key in statement.refs for rate in rates.get(key, ())]
                assert any(abs(rate - count) < 1 for rate in given), (injection.id, statement.text, given)
                checked += 1
    assert checked >= 10


def test_the_pdf_asks_the_decision_and_sets_out_both_options(catalog) -> None:
    words = catalog.labels.injection
    for injection in catalog.injections:
        page, section = _decision(catalog, injection)
        text = injection_pdf_text(catalog.language, injection.id)
        for expected in (injection.decision.question.text, words.having, words.not_having, words.option_harms):
            assert flat(expected) in text, (injection.id, expected)
        no_injection = catalog.no_injection.option(injection.decision.course)
        assert flat(no_injection.helps[0].text) in text


@pytest.mark.parametrize("both", [True, False])
def test_a_finding_must_count_for_exactly_one_injection_or_kind_of_pain(content_copy: Path, both: bool) -> None:
    path = content_copy / "findings.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    finding = data["findings"][0]
    if both:
        finding["course"] = "sciatica"
    else:
        del finding["injection"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert caught.value.file == "findings.yaml" and caught.value.field.startswith("findings[0]")


def test_each_value_in_the_care_plan_shows_how_it_bears_on_the_options_with_its_sources(catalog) -> None:
    from backpain_edu.care_plan import PlanChoices, build_care_plan
    from backpain_edu.render.tool_pages import care_plan_page

    care = catalog.care_options
    picked = {care.values[0].id: 4, care.values[2].id: 1}
    page = care_plan_page(build_care_plan(PlanChoices(values=picked), catalog), catalog)
    section = next(s for s in page.sections if s.anchor == "values")
    assert len(section.blocks) == len(picked)
    text = flat(pdf_text(render_pdf(page)))
    for scale in care.values:
        shown = scale.id in picked
        assert (flat(scale.bears_on.text) in text) == shown, scale.id
    for block, scale in zip(section.blocks, (care.values[0], care.values[2]), strict=True):
        assert scale.title in block.text and scale.bears_on.text in block.text
        assert [page.sources[n - 1].key for n in block.cites] == list(scale.bears_on.refs)


def test_on_a_phone_the_two_options_stack_each_cell_under_its_column_name(catalog) -> None:
    from backpain_edu.render.html import render_page

    injection = catalog.injections[0]
    html = render_page(injection_page(injection, catalog))
    grid = html[html.index('<table class="bpe-table bpe-table-sentences bpe-table-stacked">') :].split("</table>")[0]
    words = catalog.labels.injection
    labels = re.findall(r'<td class="bpe-col-\d" data-label="([^"]+)"', grid)
    assert labels == [words.having, words.not_having] * len(OPTION_ROWS)
    assert "@media (max-width: 40rem)" in html and ".bpe-table-stacked td::before { content: attr(data-label)" in html


@pytest.mark.parametrize("language", CATALOGS)
def test_every_injection_page_opens_with_the_main_things_to_know_in_a_box(language: str) -> None:
    catalog = CATALOGS[language]
    for injection in catalog.injections:
        page = injection_page(injection, catalog)
        box = page.sections[0]
        assert box.anchor == MAIN_POINTS and box.boxed and box.heading == catalog.labels.injection.main_points
        helps, risks, get_help, choice = (block.text for block in box.blocks)
        assert all(block.cites for block in box.blocks)
        # How much it may help and the main risks: counted out of 100, or said plainly that our sources do not say.
        for text in (helps, risks):
            assert re.search(OUT_OF_100[language], text) or NOT_COUNTED[language] in text.lower(), (injection.id, text)
        # When to get help, with the number to call; and not having the shot is a choice too.
        assert catalog.region.call_now.text in get_help and catalog.warning_signs.summary.text in get_help
        assert choice == catalog.no_injection.also_a_choice.text
        # The deck's first slide shows it, and the handout prints it.
        shown = deck(injection.id, catalog)
        assert dict(shown.plan)["title"] == ("title", MAIN_POINTS)
        assert flat(helps) in injection_pdf_text(language, injection.id)
