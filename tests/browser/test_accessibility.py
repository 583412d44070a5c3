"""WCAG 2.1 A and AA, checked by axe-core in the real page, and the keyboard alone gets everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from backpain_edu.app.pages import AppPage
from tests.browser.conftest import LAYOUT_PAGES, PAGES, page_ids
from tests.browser.support import AppServer, visit
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
FOCUS_RING = """() => { const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2; }"""


@pytest.mark.parametrize("app_page", LAYOUT_PAGES, ids=page_ids)
def test_page_has_no_wcag_2_1_a_or_aa_violations(
    app_page: AppPage, app_server: AppServer, context: BrowserContext, artifacts: Path
) -> None:
    assert AXE.is_file(), "axe-core is missing: run `npm ci` (make test does)"
    page = visit(context, app_server.page_url(app_page.file)).page
    page.locator(".bpe-menu > summary").click()
    page.add_script_tag(path=AXE)
    result = page.evaluate(RUN_AXE, WCAG_21_A_AA)
    violations = [
        {"rule": v["id"], "impact": v["impact"], "where": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    folder = artifacts / "axe"
    folder.mkdir(exist_ok=True)
    (folder / f"{page_ids(app_page)}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    assert violations == []


def test_skip_link_header_and_menu_work_with_the_keyboard_alone_and_show_where_focus_is(
    app_server: AppServer, context: BrowserContext
) -> None:
    page = visit(context, app_server.page_url(PAGES[1].file)).page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the page")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate(FOCUS_RING)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    summary = page.locator("summary", has_text="All pages")
    # Back from the page: the menu, the same page in Spanish, urgent symptoms, home; then forward again.
    header = (summary, page.locator(".bpe-language"), page.locator(".bpe-urgent-link"), page.locator(".bpe-home"))
    for control in header:
        page.keyboard.press("Shift+Tab")
        expect(control).to_be_focused()
        assert page.evaluate(FOCUS_RING)
    for _ in header[1:]:
        page.keyboard.press("Tab")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    menu = page.get_by_role("navigation", name="All pages")
    expect(menu).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link").first).to_be_focused()
    assert page.evaluate(FOCUS_RING)
    page.keyboard.press("Enter")
    expect(page).to_have_title(PAGES[0].title)
