"""The pain diary in the browser: scores with dates, relief and a chart, then the patient's own file
saved and loaded back into a fresh page (a new kernel), with nothing kept on the server."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from backpain_edu.catalog import Catalog
from tests.browser.support import AppServer, visit

DIARY = "10_pain_diary.ipynb"
CHANGE = "3.0 points lower than before"


def _add_score(page: Page, catalog: Catalog, day: str, score: str) -> None:
    content = catalog.diary
    page.get_by_label("Date of this score").fill(day)
    for label in (content.peg_pain, content.peg_enjoyment, content.peg_activity):
        page.get_by_label(label).select_option(score)
    page.get_by_role("button", name="Add this score").click()
    expect(page.get_by_text("Score added for").first).to_be_visible()


def test_diary_shows_relief_and_a_chart_and_its_file_loads_back_into_a_new_page(
    app_server: AppServer, context: BrowserContext, catalog: Catalog, artifacts: Path
) -> None:
    page = visit(context, app_server.page_url(DIARY)).page
    page.get_by_label("Injection day").fill("2026-11-10")
    _add_score(page, catalog, "2026-11-01", "7")
    _add_score(page, catalog, "2026-11-20", "4")
    expect(page.get_by_text(CHANGE)).to_be_visible()
    chart = page.locator('img[alt^="Chart of your PEG score over time"]')
    expect(chart).to_be_visible()
    chart.screenshot(path=artifacts / "diary-chart.png")

    with page.expect_download() as download:
        page.get_by_role("link", name="Save my diary as a file (CSV)").click()
    saved = download.value.path()
    assert saved.read_text(encoding="utf-8").splitlines()[1:] == [
        "injection,2026-11-10,,,,",
        "peg,2026-11-01,,7,7,7",
        "peg,2026-11-20,,4,4,4",
    ]

    fresh = visit(context, app_server.page_url(DIARY)).page
    expect(fresh.get_by_text(CHANGE)).to_have_count(0)
    with fresh.expect_file_chooser() as chooser:
        fresh.get_by_role("button", name="Load my diary file").click()
    chooser.value.set_files(saved)
    expect(fresh.get_by_text("Your diary file is loaded.")).to_be_visible()
    expect(fresh.get_by_text(CHANGE)).to_be_visible()
