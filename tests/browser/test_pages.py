"""What a patient sees and clicks: every page loads clean, shows its title, and links to every other page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, expect

from backpain_edu.app.configuration import URGENT_ANCHOR
from backpain_edu.app.pages import AppPage
from backpain_edu.catalog import Catalog, load_catalog
from backpain_edu.render.reading_pages import governance_lines, injection_notebook
from tests.browser.conftest import (
    EVERY_PAGE,
    LAYOUT_PAGES,
    PAGES,
    TRANSLATED_PAGES,
    page_ids,
    page_language,
    served_in,
)
from tests.browser.support import DEPLOYMENT, PHONE, AppServer, finish_loading, visit, wcag_violations

# Controls a finger must hit; links inside sentences are exempt (WCAG 2.5.8), so they are not listed.
CONTROLS = "header a, summary, .bpe-pager a, button, select, input, textarea, [role=button]"
TOO_SMALL_CONTROLS = """selector => [...document.querySelectorAll(selector)].flatMap(element => {
  const target = element.matches('input[type=checkbox], input[type=radio]') && element.closest('label')
    ? element.closest('label') : element;
  const box = target.getBoundingClientRect();
  const shown = box.width > 0 && box.height > 0 && getComputedStyle(target).visibility !== 'hidden';
  return shown && (box.width < 44 || box.height < 44)
    ? [`${target.tagName.toLowerCase()} "${target.textContent.trim().slice(0, 40)}" ${box.width}x${box.height}`] : [];
})"""


@pytest.mark.parametrize("app_page", EVERY_PAGE, ids=page_ids)
def test_page_loads_cleanly_with_its_title_and_header_no_code_no_request_to_another_site_and_no_wcag_violation(
    app_page: AppPage, app_server: AppServer, context: BrowserContext, artifacts: Path
) -> None:
    served = served_in(page_language(app_page))
    seen = visit(context, app_server.page_url(app_page.file))
    page = seen.page
    page.locator(".bpe-menu > summary").click()
    page.wait_for_load_state("networkidle")
    assert seen.errors == []
    assert page.title() == app_page.title
    assert page.locator("html").get_attribute("lang") == served.language
    expect(page.locator("main h1").first).to_be_visible()
    header = page.locator("header.bpe-header")
    expect(header.get_by_role("link", name=served.labels.app.urgent_link)).to_be_visible()
    # The same page in each other language, named in that language.
    others = {page.file: page for page in PAGES + TRANSLATED_PAGES if page.stem == app_page.stem}
    switch = header.locator("a.bpe-language")
    expect(switch).to_have_count(len(others) - 1)
    for index in range(switch.count()):
        assert switch.nth(index).get_attribute("href").removeprefix("/voila/render/") in others
    expect(header.locator(".bpe-app-notice")).to_have_text(served.notice)
    assert "911" in served.notice
    # Every page's footer: the content version and review dates, the reviewer, and the clinic's contact.
    footer = page.locator("footer.bpe-footer")
    for line in governance_lines(served)[:-1]:
        expect(footer).to_contain_text(line)
    contact = footer.get_by_role("link", name=DEPLOYMENT.contact)
    expect(contact).to_have_attribute("href", f"mailto:{DEPLOYMENT.contact}")
    assert page.locator(".jp-InputArea, .jp-InputPrompt").count() == 0
    assert "import " not in page.locator("body").inner_text()
    # The network listener saw the page's own traffic and nothing else: a page with widgets loads
    # scripts and opens its kernel's socket; a reading page is one finished document, nothing more.
    own = urlsplit(app_server.url).netloc
    if app_page.widgets:
        assert any(url.startswith("ws://") for url in seen.requests)
        # The app's own front end: the page, its script and stylesheet (named after their content) and the
        # kernel's socket; nothing of Voila's or JupyterLab's front end (voila.js and its 90 files).
        files = [urlsplit(url).path.rsplit("/", 1)[-1] for url in seen.requests if url.startswith("http")]
        assert len(seen.requests) == 4 and sorted(re.sub(r"\.[0-9a-f]{20}\.", ".<hash>.", f) for f in files) == sorted(
            [app_page.file.rsplit("/", 1)[-1], "lite.<hash>.css", "lite.<hash>.js"]
        ), seen.requests
    else:
        assert seen.requests == [app_server.page_url(app_page.file)]
    assert [url for url in seen.requests if urlsplit(url).netloc != own] == []
    # WCAG 2.1 A and AA by axe-core, menu open, where the layout differs (LAYOUT_PAGES, see conftest.py).
    if app_page in LAYOUT_PAGES:
        assert wcag_violations(page, artifacts / "axe" / f"{page_ids(app_page)}.json") == []


def test_front_door_opens_the_start_page(app_server: AppServer, context: BrowserContext) -> None:
    page = visit(context, f"{app_server.url}/").page
    assert page.url == app_server.page_url(PAGES[0].file)
    assert page.title() == PAGES[0].title


def test_next_links_lead_from_the_front_page_through_every_page_and_back_to_the_start(
    app_server: AppServer, context: BrowserContext
) -> None:
    page = visit(context, app_server.page_url(PAGES[0].file)).page
    for previous, following in zip(PAGES, PAGES[1:], strict=False):
        page.get_by_role("link", name=f"Next: {following.title}", exact=True).click()
        expect(page).to_have_title(following.title)
        # As a reader does: the next link is followed once the page is all there (a tool page's widgets drawn).
        finish_loading(page)
        expect(page.get_by_role("link", name=f"Previous: {previous.title}", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Next:")).to_have_count(0)
    page.get_by_role("link", name="Back to the start page").click()
    expect(page).to_have_title(PAGES[0].title)


def test_menu_lists_every_page_marks_the_current_one_and_opens_the_one_chosen(
    app_server: AppServer, context: BrowserContext
) -> None:
    page = visit(context, app_server.page_url(PAGES[0].file)).page
    menu = page.get_by_role("navigation", name="All pages")
    expect(menu).to_be_hidden()
    page.locator("summary", has_text="All pages").click()
    expect(menu.get_by_role("link")).to_have_text([p.title for p in PAGES])
    expect(menu.locator('[aria-current="page"]')).to_have_text(PAGES[0].title)
    chosen = PAGES[-1]
    menu.get_by_role("link", name=chosen.title, exact=True).click()
    expect(page).to_have_title(chosen.title)
    page.locator("summary", has_text="All pages").click()
    expect(page.get_by_role("navigation", name="All pages").locator('[aria-current="page"]')).to_have_text(chosen.title)


def test_urgent_symptoms_link_lands_on_the_red_flag_box(app_server: AppServer, context: BrowserContext) -> None:
    page = visit(context, app_server.page_url(PAGES[-1].file)).page
    page.get_by_role("link", name="Urgent symptoms?").click()
    page.wait_for_url(f"**/{PAGES[0].file}#{URGENT_ANCHOR}")
    expect(page.locator(f"#{URGENT_ANCHOR}")).to_be_in_viewport()


CELLS_OFF_SCREEN = """(width) => [...document.querySelectorAll('.bpe-table-stacked td')]
  .map(td => td.getBoundingClientRect()).filter(box => box.left < 0 || box.right > width)
  .map(box => [box.left, box.right])"""


@pytest.mark.parametrize("app_page", LAYOUT_PAGES, ids=page_ids)
def test_page_fits_a_375_px_screen_with_44_px_touch_targets_and_is_saved_as_a_screenshot(
    app_page: AppPage, app_server: AppServer, phone: BrowserContext, artifacts: Path
) -> None:
    page = visit(phone, app_server.page_url(app_page.file)).page
    folder = artifacts / "375px"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=folder / f"{page_ids(app_page)}.png", full_page=True)  # first, so failures can be seen
    page.locator(".bpe-menu > summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(TOO_SMALL_CONTROLS, CONTROLS) == []
    # A decision's two options stack on a phone: no cell of either is off screen, even inside its scroll region.
    assert page.evaluate(CELLS_OFF_SCREEN, PHONE["width"]) == []


INJECTION_PAGES = [
    p for p in PAGES if p.file in {injection_notebook(i, load_catalog()) for i in load_catalog().injections}
]


@pytest.mark.parametrize("app_page", INJECTION_PAGES, ids=page_ids)
def test_every_injection_page_shows_the_warning_signs_with_the_number(
    app_page: AppPage, app_server: AppServer, context: BrowserContext, served: Catalog
) -> None:
    page = visit(context, app_server.page_url(app_page.file)).page
    box = page.locator(".bpe-urgent", has=page.get_by_role("heading", name=served.warning_signs.title))
    expect(box).to_be_visible()
    expect(box).to_contain_text(served.region.call_now.text)
    for sign in (*served.warning_signs.at_once.signs, *served.warning_signs.call_doctor.signs):
        expect(box).to_contain_text(sign.text)


def test_a_source_number_opens_the_folded_source_list_at_its_source(
    app_server: AppServer, context: BrowserContext
) -> None:
    page = visit(context, app_server.page_url(INJECTION_PAGES[0].file)).page
    folded = page.locator("details.bpe-sources-all")
    expect(folded).to_have_count(1)
    expect(folded).not_to_have_attribute("open", "")
    citation = page.locator('main a[href$="-3"][href*="#src-"]').first
    target = citation.get_attribute("href").rsplit("#", 1)[1]
    citation.click()
    expect(folded).to_have_attribute("open", "")
    expect(page.locator(f"#{target}")).to_be_in_viewport()
    # The fold opens and closes from the keyboard too.
    page.locator("details.bpe-sources-all > summary").focus()
    page.keyboard.press("Enter")
    expect(folded).not_to_have_attribute("open", "")
