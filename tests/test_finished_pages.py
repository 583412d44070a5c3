"""Reading pages as finished HTML: rendered from the notebook in a real kernel, inside the app's frame,
kept under a key that changes whenever anything they come from changes, and never a widget."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from backpain_edu.app import finished_pages
from backpain_edu.app.configuration import voila_config
from backpain_edu.app.finished_pages import FinishedPages, NotFinishable, html_outputs, render_finished
from backpain_edu.testing import AppServer
from tests.conftest import LATE_OUTPUT, run_to_end

FRAME = voila_config().VoilaConfiguration.resources["backpain"]


def _write_notebook(folder: Path, name: str, *sources: str, title: str = "A page") -> Path:
    notebook = new_notebook(cells=[new_code_cell(source) for source in sources], metadata={"title": title})
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(notebook, path)
    return path


def _shows(html: str) -> str:
    return f"from IPython.display import HTML, display\ndisplay(HTML({html!r}))"


def _pages(folder: Path, cache: Path | None, *files: str) -> FinishedPages:
    return FinishedPages(folder, files, FRAME, "/", os.environ, cache)


def test_only_html_outputs_are_taken_in_order_and_anything_else_names_the_notebook_and_cell() -> None:
    html = new_output("display_data", data={"text/html": "<p>one</p>", "text/plain": "one"})
    notebook = new_notebook(cells=[new_code_cell("", outputs=[html]), new_code_cell("")])
    assert html_outputs(notebook, "00_x.ipynb") == ["<p>one</p>"]
    widget = new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {}, "text/html": "x"})
    printed = new_output("stream", name="stdout", text="hello")
    for output, shown in [(widget, "a widget"), (printed, "a stream output")]:
        notebook.cells[1].outputs = [output]
        with pytest.raises(NotFinishable, match=rf"00_x\.ipynb, cell 2: shows {shown}; mark its page 'widgets: true'"):
            html_outputs(notebook, "00_x.ipynb")


def test_the_frame_surrounds_the_outputs_escapes_the_title_and_runs_no_script() -> None:
    html = new_output("display_data", data={"text/html": "<p>the page text</p>"})
    notebook = new_notebook(cells=[new_code_cell("", outputs=[html])], metadata={"title": 'A <b> & "c"'})
    page = render_finished(notebook, "01_epidural_steroid.ipynb", FRAME, "/base/")
    assert "<title>A &lt;b&gt; &amp; &#34;c&#34;</title>" in page
    assert page.index(FRAME["notice"]) < page.index("<p>the page text</p>") < page.index(FRAME["governance"][0])
    assert 'href="/base/voila/render/01_epidural_steroid.ipynb" aria-current="page"' in page
    assert 'rel="next" href="/base/voila/render/02_facet_joint.ipynb"' in page
    assert "<script" not in page and 'lang="en"' in page


def test_a_page_is_rendered_in_a_kernel_once_and_again_only_when_its_notebook_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(finished_pages, "CHECK_EVERY_S", 0)
    runs = []
    real_execute = finished_pages.execute

    async def counted(path: Path, environ):
        runs.append(path.name)
        return await real_execute(path, environ)

    monkeypatch.setattr(finished_pages, "execute", counted)
    # The page shows what only a kernel started the app's way knows: its folder and VOILA_BASE_URL.
    where = "display(HTML('<p>' + os.environ['VOILA_BASE_URL'] + ' ' + os.getcwd() + '</p>'))"
    path = _write_notebook(tmp_path, "00_x.ipynb", "import os", _shows("<p>first</p>") + "\n" + where)
    pages = _pages(tmp_path, None, "00_x.ipynb")

    async def visits(count: int) -> list[bytes]:
        return await asyncio.gather(*(pages.page("00_x.ipynb") for _ in range(count)))

    first = run_to_end(visits(3))
    assert len(set(first)) == 1 and b"<p>first</p>" in first[0] and f"<p>/ {tmp_path}</p>".encode() in first[0]
    assert runs == ["00_x.ipynb"]  # three visitors at once, one render
    run_to_end(visits(1))
    assert runs == ["00_x.ipynb"]

    _write_notebook(tmp_path, "00_x.ipynb", _shows("<p>second</p>"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    (changed,) = run_to_end(visits(1))
    assert b"<p>second</p>" in changed and b"first" not in changed
    assert runs == ["00_x.ipynb", "00_x.ipynb"]


def test_a_restart_takes_unchanged_pages_from_the_disk_cache_and_a_change_of_deployment_renders_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_notebook(tmp_path, "00_x.ipynb", _shows("<p>kept</p>"))
    cache = tmp_path / "cache"
    first = run_to_end(_pages(tmp_path, cache, "00_x.ipynb").page("00_x.ipynb"))
    assert [path.read_bytes() for path in cache.glob("*.html")] == [first]

    async def no_kernel(path: Path, environ):
        raise AssertionError("rendered again")

    monkeypatch.setattr(finished_pages, "execute", no_kernel)
    assert run_to_end(_pages(tmp_path, cache, "00_x.ipynb").page("00_x.ipynb")) == first
    elsewhere = FinishedPages(tmp_path, ["00_x.ipynb"], FRAME, "/", {**os.environ, "BACKPAIN_EDU_REGION": "uk"}, cache)
    with pytest.raises(AssertionError, match="rendered again"):
        run_to_end(elsewhere.page("00_x.ipynb"))


def test_a_failing_notebook_fails_again_without_a_new_kernel_until_it_is_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(finished_pages, "CHECK_EVERY_S", 0)
    path = _write_notebook(tmp_path, "00_x.ipynb", "raise ValueError('broken on purpose')")
    pages = _pages(tmp_path, None, "00_x.ipynb")
    with pytest.raises(Exception, match="broken on purpose"):
        run_to_end(pages.page("00_x.ipynb"))

    async def no_kernel(path: Path, environ):
        raise AssertionError("a kernel for a page known to fail")

    monkeypatch.setattr(finished_pages, "execute", no_kernel)
    with pytest.raises(Exception, match="broken on purpose"):
        run_to_end(pages.page("00_x.ipynb"))
    monkeypatch.setattr(finished_pages, "RETRY_FAILED_AFTER_S", 0)  # a passing fault is tried again later
    with pytest.raises(AssertionError, match="a kernel"):
        run_to_end(pages.page("00_x.ipynb"))
    monkeypatch.setattr(finished_pages, "RETRY_FAILED_AFTER_S", 3600)
    _write_notebook(tmp_path, "00_x.ipynb", _shows("<p>fixed</p>"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    with pytest.raises(AssertionError, match="a kernel"):
        run_to_end(pages.page("00_x.ipynb"))


def test_the_real_reading_pages_render_without_slides_or_presenter_notes(tmp_path: Path) -> None:
    from backpain_edu.app.configuration import NOTEBOOKS_DIR
    from backpain_edu.catalog import load_catalog

    catalog = load_catalog()
    injection = catalog.injections[0]
    notebook = catalog.site_map.injection_page(injection.id).notebook
    page = run_to_end(FinishedPages(NOTEBOOKS_DIR, [notebook], FRAME, "/", os.environ).page(notebook)).decode()
    assert injection.title in page and catalog.labels.knowledge_check.title in page
    # The notebook is also the educators' deck: in the app its slide and notes cells show nothing.
    assert not [note.text for note in injection.presenter_notes if note.text in page]
    assert "bpe-slide" not in page
    assert "<script" not in page and json.dumps(FRAME["notice"])[1:-1] in page


def _served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def test_a_running_server_serves_a_translated_notebook_anew_once_it_is_edited(tmp_path: Path) -> None:
    from backpain_edu.app.configuration import NOTEBOOKS_DIR

    # One page in two languages: the server renders two finished pages and starts no kernel for a tool page.
    start = "00_start_here.ipynb"
    folder = tmp_path / "notebooks"
    (folder / "es").mkdir(parents=True)
    shutil.copy(NOTEBOOKS_DIR / start, folder / start)
    shutil.copy(NOTEBOOKS_DIR / "es" / start, folder / "es" / start)
    env = {"BACKPAIN_EDU_CACHE": str(tmp_path / "cache")}
    with AppServer.start(["serve", "--notebooks", str(folder)], env=env, timeout_s=60) as server:
        url = server.page_url(f"es/{start}")
        assert 'lang="es"' in _served(url) and "bpe-edited" not in _served(url)
        notebook = nbformat.read(folder / "es" / start, as_version=4)
        notebook.cells.append(new_code_cell(_shows('<p class="bpe-edited">editado</p>')))
        nbformat.write(notebook, folder / "es" / start)
        deadline = time.monotonic() + 60
        while "bpe-edited" not in (page := _served(url)):
            assert time.monotonic() < deadline, "the edited Spanish notebook was not rendered again"
            time.sleep(0.5)
        assert 'lang="es"' in page


def test_each_stylesheet_goes_to_the_head_once_and_leaves_the_outputs() -> None:
    from backpain_edu.app.finished_pages import head_styles

    styles, outputs = head_styles(["<style>a{}</style><p>one</p>", "<style>a{}</style><p>two</p><style>b{}</style>"])
    assert styles == ["a{}", "b{}"]
    assert outputs == ["<p>one</p>", "<p>two</p>"]


def test_a_page_keeps_an_output_that_reaches_the_server_late(tmp_path: Path) -> None:
    """On a busy machine a kernel's outputs can come seconds after its reply (nbclient waits 4 s by default, then
    goes on without them: this page came out empty). Here the kernel's output thread is held for 6 s."""
    _write_notebook(tmp_path, "00_x.ipynb", LATE_OUTPUT + "\n" + _shows("<p>late but there</p>"))
    page = run_to_end(_pages(tmp_path, None, "00_x.ipynb").page("00_x.ipynb"))
    assert b"<p>late but there</p>" in page
