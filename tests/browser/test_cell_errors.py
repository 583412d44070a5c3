"""A page whose code fails shows a plain "something went wrong, please reload", never the error itself:
inside the page for a page with widgets (Voila), as the app's error page for a reading page (finished HTML)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import markupsafe
import nbformat
import pytest
from playwright.sync_api import BrowserContext, expect

from backpain_edu.testing import AppServer
from tests.browser.conftest import PAGES
from tests.browser.support import start_app_server, visit
from tests.browser.test_http_probes import request
from tests.conftest import LATE_OUTPUT

SECRET = "secret-detail-7f3a"
TRICKY_TITLE = 'Fine <b>page</b> & "more"'
# The server renders only the site map's pages, so the made-up pages take the names of three of them.
FINE, BROKEN_READING = PAGES[0], PAGES[1]
BROKEN, LATE = [page for page in PAGES if page.widgets][:2]


def _notebook(title: str, *cells: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    notebook.metadata["title"] = title
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return notebook


@pytest.fixture(scope="module")
def throwaway_server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[AppServer]:
    """``backpain-edu serve --notebooks`` on a folder of two made-up pages, one of them broken."""
    folder = tmp_path_factory.mktemp("notebooks")
    show = "from IPython.display import HTML, display\ndisplay(HTML('<p>Shown before the error.</p>'))"
    nbformat.write(_notebook(TRICKY_TITLE, show), folder / FINE.file)
    for broken in (BROKEN, BROKEN_READING):
        nbformat.write(_notebook("Broken page", show, f"raise RuntimeError({SECRET!r})"), folder / broken.file)
    nbformat.write(
        _notebook("Late page", LATE_OUTPUT + "\n" + show.replace("before the error", "late")), folder / LATE.file
    )
    with start_app_server(folder, log=artifacts / "server-errors.log") as server:
        yield server


def test_failing_cell_shows_a_plain_reload_message_and_no_traceback(
    throwaway_server: AppServer, context: BrowserContext
) -> None:
    seen = visit(context, throwaway_server.page_url(BROKEN.file))
    alert = seen.page.get_by_role("alert")
    expect(alert).to_have_text("Something went wrong on this page. Please reload the page.")
    expect(seen.page.get_by_text("Shown before the error.")).to_be_visible()
    text = seen.page.locator("body").inner_text()
    assert SECRET not in text and "Traceback" not in text and "RuntimeError" not in text
    assert seen.errors == []
    _, html = request(throwaway_server, "GET", f"/voila/render/{BROKEN.file}")
    assert SECRET not in html and "Traceback" not in html and "RuntimeError" not in html


def test_a_page_with_widgets_keeps_an_output_that_reaches_the_server_late(throwaway_server: AppServer) -> None:
    """Voila's run of a tool page waits for every output (configuration.py): with 10 browsers opening the checklist at
    once on 2 cores, most pages had come without their tool, its output dropped after nbclient's 4 s."""
    response, html = request(throwaway_server, "GET", f"/voila/render/{LATE.file}")
    assert response.status == 200 and "<p>Shown late.</p>" in html and "Something went wrong" not in html


def test_a_reading_page_that_fails_to_render_is_the_plain_error_page(
    throwaway_server: AppServer, context: BrowserContext
) -> None:
    seen = visit(context, throwaway_server.page_url(BROKEN_READING.file))
    expect(seen.page.get_by_role("heading", level=1)).to_have_text("Something went wrong")
    expect(seen.page.get_by_text("Please reload the page")).to_be_visible()
    response, html = request(throwaway_server, "GET", f"/voila/render/{BROKEN_READING.file}")
    assert response.status == 500
    assert SECRET not in html and "Traceback" not in html and "RuntimeError" not in html


def test_notebook_titles_are_escaped_in_the_page_title_and_menu(throwaway_server: AppServer) -> None:
    _, html = request(throwaway_server, "GET", f"/voila/render/{FINE.file}")
    assert "<b>page</b>" not in html
    assert f"<title>{markupsafe.escape(TRICKY_TITLE)}</title>" in html
    # The menu's titles come from the site map, not from the notebooks (Jinja's escaping, as markupsafe's).
    assert f'aria-current="page">{markupsafe.escape(FINE.title)}</a>' in html
