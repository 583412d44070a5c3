"""The keyboard alone gets everywhere, and shows where focus is.

WCAG 2.1 A and AA are checked by axe-core in the real page in the same visit as the page's clean load
(tests/browser/test_pages.py), so each page is opened once for both.
"""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import PAGES
from tests.browser.support import AppServer, visit

FOCUS_RING = """() => { const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2; }"""


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
