"""The knowledge check, the question list and the comparison work as finished HTML: no server, no script.

Each test loads the functions' output into a blank Chromium page (``set_content``) with JavaScript off,
and clicks, taps and types as a patient would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from backpain_edu import comparison_html, injection_html, knowledge_check_html, question_list_html
from backpain_edu.catalog import Catalog, load_catalog
from backpain_edu.knowledge_check import right_option
from tests.browser.support import PHONE
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
INJECTION = "medial-branch-rfa"


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main>{body}</main></body></html>"
    )


@pytest.fixture(scope="module")
def words() -> Catalog:
    return load_catalog()


def _open(browser: Browser, title: str, body: str, scripts: bool = False) -> Iterator[Page]:
    """The HTML in a blank tab of a 375 px touch screen, with JavaScript off unless ``scripts``."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=scripts)
    page = context.new_page()
    page.set_content(_document(title, body))
    yield page
    context.close()


def _injection_body() -> str:
    return injection_html(INJECTION) + knowledge_check_html(INJECTION) + question_list_html(INJECTION)


@pytest.fixture
def injection_page(browser: Browser, words: Catalog) -> Iterator[Page]:
    yield from _open(browser, words.injection(INJECTION).title, _injection_body())


@pytest.fixture
def compare_page(browser: Browser, words: Catalog) -> Iterator[Page]:
    yield from _open(browser, words.labels.compare.title, comparison_html())


def _read_aloud(page: Page, selector: str) -> str:
    """The text Chromium gives a screen reader for an element, CSS counters included (innerText leaves them out)."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    backend = cdp.send(
        "DOM.describeNode", {"nodeId": cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]}
    )
    nodes = {n["nodeId"]: n for n in cdp.send("Accessibility.getFullAXTree")["nodes"]}
    (start,) = [n for n in nodes.values() if n.get("backendDOMNodeId") == backend["node"]["backendNodeId"]]

    def text(node: dict) -> str:
        if node.get("role", {}).get("value") == "StaticText":
            return node["name"]["value"]
        return "".join(text(nodes[child]) for child in node.get("childIds", []) if child in nodes)

    return text(start)


def _fieldset(page: Page, number: int):
    return page.locator(".bpe-check fieldset").nth(number)


def test_feedback_shows_only_after_an_answer_and_says_right_or_not_quite(injection_page: Page, words: Catalog) -> None:
    page, kc = injection_page, words.labels.knowledge_check
    quiz = words.injection(INJECTION).knowledge_check
    total = len(quiz)
    assert page.locator(".bpe-kc-fb:visible").count() == 0
    assert _read_aloud(page, ".bpe-kc-score") == kc.score.format(right=0, answered=0, total=total)

    first, second = quiz[0], quiz[1]
    _fieldset(page, 0).get_by_text(first.options[right_option(first)].text, exact=True).click()
    shown = _fieldset(page, 0).locator(".bpe-kc-fb:visible")
    expect(shown).to_have_count(1)
    expect(shown.get_by_role("heading")).to_have_text(kc.right)
    assert page.locator(".bpe-kc-fb:visible").count() == 1
    assert _read_aloud(page, ".bpe-kc-score") == kc.score.format(right=1, answered=1, total=total)

    wrong = next(n for n, o in enumerate(second.options) if not o.correct)
    _fieldset(page, 1).get_by_text(second.options[wrong].text, exact=True).click()
    shown = _fieldset(page, 1).locator(".bpe-kc-fb:visible")
    expect(shown.get_by_role("heading")).to_have_text(kc.not_quite)
    expect(shown).to_contain_text(kc.answer.format(answer=second.options[right_option(second)].text))
    assert _read_aloud(page, ".bpe-kc-score") == kc.score.format(right=1, answered=2, total=total)

    # Changing an answer changes its feedback and the score; nothing adds up twice.
    _fieldset(page, 0).get_by_text(first.options[1 - right_option(first)].text, exact=True).click()
    expect(_fieldset(page, 0).locator(".bpe-kc-fb:visible").get_by_role("heading")).to_have_text(kc.not_quite)
    assert _read_aloud(page, ".bpe-kc-score") == kc.score.format(right=0, answered=2, total=total)


def test_ticked_questions_and_only_those_gather_in_my_list(injection_page: Page, words: Catalog) -> None:
    page, texts = injection_page, [q.text for q in words.injection(INJECTION).questions]
    mine = page.locator(".bpe-my-list")
    expect(mine.get_by_text(words.labels.questions.empty)).to_be_visible()
    expect(mine.locator("li:visible")).to_have_count(0)
    page.get_by_label(texts[3], exact=True).tap()
    page.locator(".bpe-ask label", has_text=texts[1]).tap()
    expect(mine.locator("li:visible")).to_have_text([texts[1], texts[3]])
    expect(mine.get_by_text(words.labels.questions.empty)).to_be_hidden()
    page.get_by_label(texts[3], exact=True).tap()
    expect(mine.locator("li:visible")).to_have_text([texts[1]])


def test_unticking_an_injection_hides_its_column_and_none_asks_for_a_pick(compare_page: Page, words: Catalog) -> None:
    page = compare_page
    injections = words.injections
    # A column per injection and one for not having an injection, each with its tick box.
    columns = (*(i.title for i in injections), words.labels.compare.no_injection)
    table = page.locator(".bpe-compare-table table")
    expect(table.locator("thead th:visible")).to_have_count(len(columns) + 1)
    gone = injections[2]
    page.get_by_label(gone.title).uncheck()
    expect(table.get_by_role("columnheader", name=gone.short_title)).to_be_hidden()
    expect(table.locator("thead th:visible")).to_have_count(len(columns))
    for row in table.locator("tbody tr").all():
        expect(row.locator("td:visible")).to_have_count(len(columns) - 1)
        expect(row.locator("td.bpe-col-3")).to_be_hidden()
    expect(page.get_by_text(words.labels.compare.none_picked)).to_be_hidden()
    for title in columns:
        page.get_by_label(title, exact=True).set_checked(False)
    expect(page.get_by_text(words.labels.compare.none_picked)).to_be_visible()
    expect(table).to_be_hidden()
    page.get_by_label(words.labels.compare.no_injection, exact=True).check()
    expect(table.get_by_role("columnheader", name=words.labels.compare.no_injection)).to_be_visible()
    expect(table.locator("thead th:visible")).to_have_count(2)


def test_the_keyboard_alone_answers_a_question_and_shows_where_focus_is(injection_page: Page, words: Catalog) -> None:
    page, kc = injection_page, words.labels.knowledge_check
    first = words.injection(INJECTION).knowledge_check[0]
    radios = _fieldset(page, 0).locator("input")
    radios.first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == radios.first.get_attribute("id")
    ring = "() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
    assert page.evaluate(ring) == "solid"
    page.keyboard.press("Space")
    expect(radios.first).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked()
    heading = kc.right if right_option(first) == 1 else kc.not_quite
    expect(_fieldset(page, 0).locator(".bpe-kc-fb:visible").get_by_role("heading")).to_have_text(heading)
    boxes = page.locator(".bpe-ask input")
    boxes.first.focus()
    page.keyboard.press("Space")
    expect(page.locator(".bpe-my-list li:visible")).to_have_count(1)


@pytest.mark.parametrize("which", ["injection_page", "compare_page"])
def test_fits_375_px_with_44_px_targets(which: str, request: pytest.FixtureRequest, artifacts: Path) -> None:
    page: Page = request.getfixturevalue(which)
    page.locator(".bpe-controls label").first.tap()
    for box in page.locator(".bpe-controls input").all():
        size = box.bounding_box()
        assert size and size["width"] >= 44 and size["height"] >= 44
    for label in page.locator(".bpe-controls label").all():
        size = label.bounding_box()
        assert size and size["height"] >= 44
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / f"html-native-{which}.png", full_page=True)


@pytest.mark.parametrize("which", ["injection", "compare"])
def test_no_wcag_2_1_a_or_aa_violations_with_answers_shown(which: str, browser: Browser, words: Catalog) -> None:
    """axe-core is a script, so this page runs scripts; the others prove the page itself needs none."""
    assert AXE.is_file(), "axe-core is missing: run `npm ci` (make test does)"
    body = _injection_body() if which == "injection" else comparison_html()
    for page in _open(browser, which, body, scripts=True):
        for fieldset in page.locator(".bpe-check fieldset").all():
            fieldset.locator("label").first.click()
        for label in page.locator(".bpe-ask label").all()[:2]:
            label.click()
        page.add_script_tag(path=AXE)
        result = page.evaluate(RUN_AXE, WCAG_21_A_AA)
        violations = [
            {"rule": v["id"], "impact": v["impact"], "where": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]
        assert violations == [], json.dumps(violations, indent=2)
