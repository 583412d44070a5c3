"""The PDF is a real PDF: parsed back with pypdf, it holds the plan, the questions and the sources."""

from __future__ import annotations

import io
import re
from functools import cache

import pytest
from pypdf import PdfReader

from backpain_edu.candidacy import Answers, assess_candidacy
from backpain_edu.care_plan import PlanChoices, build_care_plan
from backpain_edu.catalog import Catalog
from backpain_edu.render.pdf import MISSING, needs_text_shaping, render_pdf
from backpain_edu.render.tool_pages import assessment_page, care_plan_page

FOOTER = re.compile(r"For learning only\. Not medical advice\.\s+Page \d+ of \d+")
PAGE_NUMBER = re.compile(r"(?:Page|Página) \d+ (?:of|de) \d+\s*$")


@cache
def _notice_openings() -> tuple[str, ...]:
    """How each language's notice starts: every page's footer is the notice, then its page number."""
    from backpain_edu.catalog import CONTENT_DIR, load_catalog_from, load_languages

    return tuple(
        " ".join(load_catalog_from(CONTENT_DIR, language=code).site.notice.split()[:4])
        for code in load_languages().codes
    )


def _without_footer(text: str) -> str:
    """One page's text without its footer (the notice and "Page 2 of 9"), so a sentence the page break cuts still
    reads whole when the pages are joined."""
    text = squeeze(text)
    number = PAGE_NUMBER.search(text)
    if not number:
        return text
    starts = [text.rfind(opening, 0, number.start()) for opening in _notice_openings()]
    start = max(starts)
    return text[:start] if start >= 0 else text[: number.start()]


def pdf_text(data: bytes) -> str:
    """All text of a PDF, footers dropped and whitespace squeezed, so wrapped lines still match."""
    reader = PdfReader(io.BytesIO(data))
    return squeeze(FOOTER.sub(" ", " ".join(_without_footer(page.extract_text()) for page in reader.pages)))


def squeeze(text: str) -> str:
    return " ".join(text.split())


def flat(text: str) -> str:
    """No whitespace at all: a line break may fall anywhere inside a long sentence."""
    return "".join(text.split())


@cache
def injection_pdf_text(language: str, injection_id: str) -> str:
    """An injection page's PDF as flat text, made once per test run: several tests read the same PDFs (about 1.5 s
    each to make and read back)."""
    from backpain_edu.catalog import CONTENT_DIR, load_catalog_from
    from backpain_edu.render.reading_pages import injection_page

    catalog = load_catalog_from(CONTENT_DIR, language=language)
    return flat(pdf_text(render_pdf(injection_page(catalog.injection(injection_id), catalog))))


CHOICES = PlanChoices(
    title="Visit on Friday",
    goals=frozenset({"walk-longer", "back-to-work"}),
    own_goal="Play with my grandchildren",
    components={"physical-therapy": 2, "heat": 3, "psychological-support": 1, "injection": None},
    injections=frozenset({"epidural-steroid", "medial-branch-rfa"}),
    questions=frozenset({("epidural-steroid", 0), ("medial-branch-rfa", 2)}),
    values={"avoid-needles": 4, "avoid-steroid": 2},
    note="Ask how long I would be off work.",
)


@pytest.fixture(scope="module")
def plan_pdf(catalog: Catalog) -> tuple[bytes, str]:
    data = render_pdf(care_plan_page(build_care_plan(CHOICES, catalog), catalog))
    return data, pdf_text(data)


def test_the_pdf_is_a_pdf_with_a_title(plan_pdf: tuple[bytes, str]) -> None:
    data, _ = plan_pdf
    assert data.startswith(b"%PDF-")
    assert PdfReader(io.BytesIO(data)).metadata.title == "My care plan: Visit on Friday"


def test_the_pdf_holds_the_notice_the_goals_and_the_week(catalog: Catalog, plan_pdf: tuple[bytes, str]) -> None:
    _, text = plan_pdf
    assert squeeze(catalog.site.notice) in text
    for item in ("Walk for longer", "Go back to work", "Play with my grandchildren", "Physical therapy"):
        assert item in text
    assert "Mon Tue Wed Thu Fri Sat Sun" in text
    assert "Heat on the skin 3 ✓ ✓ ✓" in text
    assert "An injection, if you and your doctor decide" in text
    assert "Avoiding needles: Very much" in text and "Avoiding steroid medicine: A little" in text
    assert "Ask how long I would be off work." in text


def test_the_pdf_holds_the_ticked_questions_and_only_those(catalog: Catalog, plan_pdf: tuple[bytes, str]) -> None:
    _, text = plan_pdf
    epidural, rfa = catalog.injection("epidural-steroid"), catalog.injection("medial-branch-rfa")
    assert flat(epidural.questions[0].text) in flat(text)
    assert flat(rfa.questions[2].text) in flat(text)
    assert flat(epidural.questions[1].text) not in flat(text)


def test_the_pdf_lists_every_source_it_cites(catalog: Catalog, plan_pdf: tuple[bytes, str]) -> None:
    _, text = plan_pdf
    page = care_plan_page(build_care_plan(CHOICES, catalog), catalog)
    assert "Sources" in text
    for number, ref in enumerate(page.sources, start=1):
        assert flat(f"{number}. {ref.title}") in flat(text)
        assert ref.url is None or flat(ref.url) in flat(text)
    assert re.search(rf"[\[ ]{len(page.sources)}[,\]]", text)  # the last source is cited in the text


def test_the_checklist_result_prints_the_emergency_and_nothing_else(catalog: Catalog) -> None:
    assessment = assess_candidacy(Answers(yes=frozenset({"bladder-trouble", "muscle-knots"})), catalog)
    text = pdf_text(render_pdf(assessment_page(assessment, catalog)))
    assert catalog.red_flags.title in text and "emergency department" in text
    assert "999" in text and "911" in text and "112" in text
    assert "Topics to talk about" not in text and "Tight, tender knots" not in text


def test_characters_no_bundled_font_has_show_as_a_visible_gap_and_are_never_logged(
    catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    plan = build_care_plan(PlanChoices(own_goal="नमस्ते 안녕 yoga"), catalog)
    text = pdf_text(render_pdf(care_plan_page(plan, catalog)))
    assert "yoga" in text and "नमस्ते" not in text and "안녕" not in text
    assert MISSING * 2 in text
    assert not [r for r in caplog.records if "नमस्ते" in r.getMessage() or "yoga" in r.getMessage()]


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("Back pain: ¿qué es? Ça va — “quotes”, ≤ 3 → 10 °C, naïve Øre", False),
        ("Ελληνικά", True),
        ("Русский", True),
        ("أريد أن أمشي أكثر", True),
        ("אני רוצה ללכת יותר", True),
        ("मैं चलना चाहता हूँ", True),
        ("我想多走路", True),
    ],
)
def test_text_is_shaped_only_when_a_script_beyond_latin_may_need_it(text: str, shaped: bool) -> None:
    # Shaping every line took half of a handout's time; Arabic's letters join, and Hebrew runs right to left, only
    # with it.
    assert needs_text_shaping(text) is shaped
