"""Whatever a patient types is shown as text: escaped in HTML, intact in the PDF, safe in file names.

Every free-text field of the care plan (the plan's title, a goal of one's own, the note) gets
markup, script, very long text and text in several scripts. The PDF's bundled fonts cover Latin,
Greek, Cyrillic, Hebrew, Arabic (DejaVu Sans) and Chinese, Japanese (Droid Sans Fallback);
those are the scripts checked here. Others (Korean Hangul, Devanagari, Thai) stay intact in the
HTML and print views and show as a visible gap in the PDF (tests/test_render_pdf.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from backpain_edu.care_plan import MAX_NOTE, PlanChoices, build_care_plan, plan_file_name
from backpain_edu.catalog import Catalog
from backpain_edu.render.html import render_page
from backpain_edu.render.pdf import render_pdf
from backpain_edu.render.tool_pages import care_plan_page
from backpain_edu.widgets.care_plan import CarePlanTool
from tests.test_render_pdf import flat, pdf_text

SCRIPT = '<script>alert("x")</script>'
MARKUP = '<img src=x onerror=alert(1)><a href="javascript:alert(2)">click</a> & "quoted" \'single\''
SCRIPTS = {
    "latin": "Crème brûlée, façade, Ærøskøbing",
    "greek": "Θέλω να περπατώ περισσότερο",
    "cyrillic": "Хочу больше гулять",
    "hebrew": "אני רוצה ללכת יותר",
    "arabic": "أريد أن أمشي أكثر",
    "chinese": "我想多走路",
    "japanese": "もっと歩きたいです",
}
LONG = " ".join(f"word{n}" for n in range(250))
FIELDS = ("title", "own_goal", "note")


class _Tags(HTMLParser):
    """Counts what a browser would treat as live markup."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.handlers: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _plan_html(catalog: Catalog, **typed: str) -> str:
    return render_page(care_plan_page(build_care_plan(PlanChoices(**typed), catalog), catalog))


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("typed", [SCRIPT, MARKUP], ids=["script", "markup"])
def test_markup_in_any_field_is_shown_as_text_never_run(catalog: Catalog, field: str, typed: str) -> None:
    html = _plan_html(catalog, **{field: typed})
    tags = _tags(html)
    assert tags.scripts == 0 and tags.handlers == []
    assert not any(href.startswith("javascript:") for href in tags.hrefs)
    assert "<img" not in html
    escaped = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert escaped.replace("'", "&#x27;") in html


@pytest.mark.parametrize("field", FIELDS)
def test_every_script_survives_in_html_and_pdf(catalog: Catalog, field: str) -> None:
    typed = " | ".join(SCRIPTS.values())
    choices = PlanChoices(**{field: typed})
    page = care_plan_page(build_care_plan(choices, catalog), catalog)
    html = render_page(page)
    text = flat(pdf_text(render_pdf(page)))
    for script, sample in SCRIPTS.items():
        assert sample in html, script
        for word in sample.split():
            assert flat(word) in text, (script, word)


def test_markup_and_long_text_are_intact_in_the_pdf(catalog: Catalog) -> None:
    assert len(LONG) <= MAX_NOTE
    choices = PlanChoices(title=SCRIPT, own_goal=MARKUP, note=LONG)
    text = flat(pdf_text(render_pdf(care_plan_page(build_care_plan(choices, catalog), catalog))))
    assert flat(f"My care plan: {SCRIPT}") in text
    assert flat(MARKUP) in text
    assert flat(LONG) in text


def test_a_very_long_unbroken_word_wraps_in_the_pdf_and_is_cut_only_past_the_limit(catalog: Catalog) -> None:
    unbroken = "z" * (MAX_NOTE + 500)
    text = flat(pdf_text(render_pdf(care_plan_page(build_care_plan(PlanChoices(note=unbroken), catalog), catalog))))
    assert "z" * (MAX_NOTE - 1) + "…" in text


@pytest.mark.parametrize("typed", [SCRIPT, MARKUP, LONG, *SCRIPTS.values(), "../../x\\y\x00z", "con.pdf\n"])
def test_file_names_hold_no_path_quote_markup_or_control_character(typed: str) -> None:
    name = plan_file_name(typed)
    assert re.fullmatch(r"care-plan(-[\w-]+)?\.pdf", name)
    assert len(name) <= len("care-plan-.pdf") + 60
    assert not set(name) & set("/\\<>\"'&:\x00\n")


def test_the_care_plan_widget_escapes_what_is_typed_in_its_view_and_download(catalog: Catalog) -> None:
    tool = CarePlanTool(catalog)
    tool.title.value = SCRIPT
    tool.own_goal.value = MARKUP
    tool.note.value = SCRIPTS["arabic"] + "\n" + SCRIPTS["chinese"]
    tags = _tags(tool.plan_view.value)
    assert tags.scripts == 0 and tags.handlers == []
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in tool.plan_view.value
    assert SCRIPTS["arabic"] in tool.plan_view.value and SCRIPTS["chinese"] in tool.plan_view.value
    tool.make_pdf.click()
    assert 'download="care-plan-script-alert-x-script.pdf"' in tool.download.value
    assert _tags(tool.download.value).scripts == 0
