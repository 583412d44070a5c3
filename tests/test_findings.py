"""Counts as pictures: every number beside a picture comes from a finding, and every finding from the reference list.

The path from data to what a patient sees: ``findings.yaml`` -> ``Finding`` -> the icon array and its caption on
the injection page (HTML, with the caption as its text alternative) and in the PDF, in every language.
"""

from __future__ import annotations

import re
from html import escape, unescape

import pytest

from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog_from, load_languages
from backpain_edu.models import Finding
from backpain_edu.render.html import render_page
from backpain_edu.render.icon_array import FILLED, icon_array_svg
from backpain_edu.render.pain_scale import UNIT, pain_scale_svg
from backpain_edu.render.reading_pages import injection_page
from tests.conftest import SHARED
from tests.test_render_pdf import flat, injection_pdf_text

CATALOGS = {code: load_catalog_from(CONTENT_DIR, language=code) for code in load_languages().codes}
LANGUAGES = tuple(CATALOGS)
NUMBER = re.compile(r"\d[\d,.]*")


def _how_often_sources() -> set[str]:
    """The keys cited in the reference list's "How often: numbers for pictures" section."""
    text = (SHARED / "medical_references.md").read_text(encoding="utf-8")
    section = text.split("## How often", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"\[([A-Z0-9-]+)\]", section))


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,") for n in NUMBER.findall(text)}


def _allowed(finding: Finding) -> set[str]:
    """The numbers a finding gives: its counts, its denominator, its study size, and its time frame's numbers."""
    return (
        {str(arm.count) for arm in finding.arms}
        | {str(finding.per)}
        | _numbers(finding.time_frame)
        | ({str(finding.people)} if finding.people else set())
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_number_in_a_caption_comes_from_its_finding(language: str) -> None:
    findings = CATALOGS[language].findings.findings
    assert findings
    for finding in findings:
        assert _numbers(finding.caption) - _allowed(finding) == set(), finding.id
        # Each count is said, with its denominator, in the caption the picture stands for.
        for arm in finding.arms:
            assert str(arm.count) in _numbers(finding.caption), (finding.id, arm.count)


def test_every_finding_cites_a_source_of_the_reference_lists_how_often_section() -> None:
    how_often = _how_often_sources()
    assert how_often, "no 'How often' section found in medical_references.md"
    for finding in CATALOGS[LANGUAGES[0]].findings.findings:
        assert set(finding.refs) <= how_often, finding.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_picture_draws_each_arm_out_of_the_same_100_with_its_label_and_count(language: str) -> None:
    catalog = CATALOGS[language]
    words = catalog.labels.injection.count_out_of
    for finding in catalog.findings.findings:
        svg, _, _ = icon_array_svg(finding, words)
        # 100 figures per arm (a head and a body each), the counts filled: one denominator for both options.
        assert svg.count("<circle") == 100 * len(finding.arms)
        halves = svg.split("<text")[2::2]  # each arm: its label, then its count and its figures
        for arm, half in zip(finding.arms, halves, strict=True):
            assert len(re.findall(rf'<circle[^>]*fill="{FILLED}"', half)) == arm.count, (finding.id, arm.label)
        for arm in finding.arms:
            assert unescape(svg).count(arm.label) == 1
            assert words.format(count=arm.count, per=finding.per) in svg


def _page_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_injection_page_shows_its_findings_as_pictures_whose_text_alternative_is_the_caption(
    language: str,
) -> None:
    catalog = CATALOGS[language]
    shown = set()
    for injection in catalog.injections:
        html = render_page(injection_page(injection, catalog))
        # In page order: how the pain goes without a shot (under the decision), then the shot's benefit (how big).
        expected = [
            (finding, anchor)
            for finding, anchor in (
                (catalog.course_finding(injection.decision.course), "decision"),
                (catalog.scale_for(injection.id), "benefits"),
                (catalog.finding_for(injection.id), "how-big"),
                (catalog.finding_for(injection.id, "harms"), "counted"),
            )
            if finding is not None
        ]
        figures = re.findall(r'<figure class="bpe-figure"><img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]*)"'
                             r"[^>]*>(?:<figcaption>(.*?)</figcaption>)?</figure>", html)  # fmt: skip
        captioned = [
            (unescape(alt), _page_text(caption))
            for alt, caption in figures
            # The spine drawing and the 0 to 10 scale beside a test's steps have their own tests (test_render_html.py).
            if caption and unescape(alt) not in (injection.diagram.alt, catalog.labels.injection.pain_ruler_caption)
        ]
        assert len(captioned) == len(expected), injection.id
        for (alt, caption), (finding, anchor) in zip(captioned, expected, strict=True):
            assert alt == finding.caption and caption.startswith(finding.caption), (injection.id, finding.id)
            assert f'id="{injection.id}-{anchor}"' in html[: html.index(escape(alt, quote=True))].rsplit("<h", 1)[-1]
            shown.add(finding.id)
    assert shown == {finding.id for finding in (*catalog.findings.findings, *catalog.findings.scales)}


def test_the_pdf_of_an_injection_page_draws_its_pictures_and_prints_their_captions(catalog: Catalog) -> None:
    for injection in catalog.injections:
        text = injection_pdf_text(catalog.language, injection.id)
        course = catalog.course_finding(injection.decision.course)
        for finding in (catalog.finding_for(injection.id), catalog.finding_for(injection.id, "harms"), course):
            if finding is None:
                continue
            assert flat(finding.caption) in text, finding.id
            for arm in finding.arms:  # the picture's own words, drawn from the same SVG
                assert flat(catalog.labels.injection.count_out_of.format(count=arm.count, per=finding.per)) in text


def test_a_picture_of_one_group_is_half_as_wide_as_one_of_two(catalog: Catalog) -> None:
    one = next(f for f in catalog.findings.findings if len(f.arms) == 1)
    two = next(f for f in catalog.findings.findings if len(f.arms) == 2)
    words = catalog.labels.injection.count_out_of
    (_, one_wide, one_high), (_, two_wide, two_high) = icon_array_svg(one, words), icon_array_svg(two, words)
    assert one_high == two_high and one_wide < two_wide / 2 + 10


# Where the reference list's "How often" section counts an injection's harms: its page says how many, out of 100.
HARM_COUNTS = {
    "epidural-steroid": "ELYAHCHOUCHI-2016",
    "medial-branch-rfa": "KORNICK-2004",
    "sacroiliac-joint": "PLASTARAS-2012",
}
OUT_OF = {"en": r"\d+ out of (?:100|1,000|10,000)\b", "es": r"\d+ de cada (?:100|1,000|10,000)\b"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_harms_are_counted_out_of_100_where_our_sources_count_them(language: str) -> None:
    catalog = CATALOGS[language]
    assert set(HARM_COUNTS.values()) <= _how_often_sources()
    for injection in catalog.injections:
        counted = [s for s in injection.common_side_effects if HARM_COUNTS.get(injection.id) in s.refs]
        if injection.id not in HARM_COUNTS:
            continue
        assert counted, injection.id
        assert any(re.search(OUT_OF[language], s.text) for s in counted), injection.id
        # Every number said comes from the study's own size or its rates, never a percentage.
        assert not any("%" in s.text for s in counted), injection.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_mean_change_is_drawn_on_a_0_to_10_scale_beside_the_change_people_notice(language: str) -> None:
    catalog = CATALOGS[language]
    scales = catalog.findings.scales
    assert scales, "the epidural's leg-pain change (AFP-2021) is drawn as a scale"
    for scale in scales:
        svg, width, _ = pain_scale_svg(scale)
        bars = re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)"([^>]*)/>', svg)
        # The change, filled; the noticeable change, dashed outline: their lengths in proportion on one ruler.
        drawn = [(float(width), "stroke-dasharray" in rest) for width, rest in bars]
        assert drawn == [(scale.change * UNIT, False), (scale.noticeable * UNIT, True)]
        assert all(f">{n}</text>" in svg for n in range(11))
        assert unescape(svg).count(scale.label) == unescape(svg).count(scale.noticeable_label) == 1
        # Every number in the caption is the change, the noticeable change, the scale's ends, the time frame's, or
        # the source's own units; and those units say the same change (a rescaling, not a new number).
        allowed = {f"{scale.change:g}", f"{scale.noticeable:g}", "0", "10"} | _numbers(scale.time_frame)
        assert _numbers(scale.caption) - allowed - _numbers(scale.given_as) == set(), scale.id
        given, out_of = (float(n.replace(",", "")) for n in sorted(_numbers(scale.given_as), key=len))
        assert given / out_of * 10 == scale.change and out_of == 100
        text = injection_pdf_text(language, scale.injection)
        assert flat(scale.caption) in text and flat(scale.label) in text


def test_every_scale_cites_a_how_often_or_pain_change_source(catalog: Catalog) -> None:
    for scale in catalog.findings.scales:
        assert "FARRAR-2001" in scale.refs and set(scale.refs) <= set(catalog.references)
