"""The tool pages' own widget front end (frontend/) on what the three tools do not show today but a tool may:
ipywidgets' Output widget (outputs set in the kernel, and those captured by ``with out:`` on a click) and a label
given as HTML (cleaned by the front end's sanitizer: its markup kept, its script never run). And the fallback,
Voila's own front end (``BACKPAIN_EDU_FRONT_END=stock``), still drawing a tool that works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import BrowserContext, expect

from backpain_edu.app.configuration import FRONT_END_VARIABLE
from backpain_edu.catalog import Catalog
from backpain_edu.testing import AppServer
from tests.browser.conftest import PAGES
from tests.browser.support import start_app_server, visit

# The server renders only the site map's pages, so the made-up page takes the name of a tool page.
TOOL = next(page for page in PAGES if page.widgets)
CELL = """
import ipywidgets as w
from IPython.display import HTML, display

out = w.Output()
out.append_display_data(HTML('<p class="from-kernel">Set in the kernel</p>'))
button = w.Button(description="Add a line")

def add(_):
    with out:
        print("Printed on click")
        display(HTML('<p class="on-click">Shown on click</p>'))

button.on_click(add)
label = '<b class="bold-label">Bold</b> label<img src="data:," alt="" onload="alert(1)"><script>alert(2)</script>'
box = w.Checkbox(description=label, description_allow_html=True)
display(w.VBox([button, out, box]))
"""


@pytest.fixture(scope="module")
def output_server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("notebooks")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    notebook.metadata["title"] = "Output widget"
    notebook.cells = [nbformat.v4.new_code_cell(CELL)]
    nbformat.write(notebook, folder / TOOL.file)
    with start_app_server(folder, log=artifacts / "server-lite.log") as server:
        yield server


def test_output_widget_shows_outputs_set_in_the_kernel_and_those_captured_on_a_click(
    output_server: AppServer, context: BrowserContext
) -> None:
    seen = visit(context, output_server.page_url(TOOL.file))
    page = seen.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    output = page.locator(".widget-output")
    expect(output.locator("p.from-kernel")).to_have_text("Set in the kernel")
    expect(output.locator("p.on-click")).to_have_count(0)
    page.get_by_role("button", name="Add a line").click()
    expect(output.locator("p.on-click")).to_have_text("Shown on click")
    expect(output.locator("pre")).to_have_text("Printed on click")
    expect(output.locator("p.from-kernel")).to_have_count(1)  # added to, not replaced
    # The label's markup is kept; its image loses its handler and its script is gone, so nothing ran.
    expect(page.locator(".widget-checkbox b.bold-label")).to_have_text("Bold")
    image = page.locator(".widget-checkbox img")
    expect(image).to_have_count(1)
    assert image.get_attribute("onload") is None and page.locator(".widget-checkbox script").count() == 0
    assert dialogs == [] and seen.errors == []


def test_the_stock_front_end_fallback_draws_a_tool_that_works(
    artifacts: Path, context: BrowserContext, served: Catalog
) -> None:
    checklist = next(page for page in PAGES if page.file == "07_checklist.ipynb")
    with start_app_server(env={FRONT_END_VARIABLE: "stock"}, log=artifacts / "server-stock.log") as server:
        seen = visit(context, server.page_url(checklist.file))
        page = seen.page
        emergency = served.red_flags.emergency
        page.get_by_label(emergency.signs[0].question.strip()).check()
        expect(page.get_by_text(served.region.call_now.text).first).to_be_visible()
        scripts = [url for url in seen.requests if url.endswith(".js") or ".js?" in url]
        assert any("/voila/static/voila.js" in url for url in scripts), scripts
        assert not any("/static/lite." in url for url in seen.requests)
        assert seen.errors == []
