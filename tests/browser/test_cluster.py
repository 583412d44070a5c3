"""Two replicas behind a real nginx (``deploy/cluster.py``, ``make cluster``), on loopback.

In file order, on one cluster: every page through the proxy with the app's headers, compression and
cache lifetimes; the tools work in Chromium (widgets, the care-plan PDF) and pass axe; 50 visitors at once
spread over both replicas with no error; then a replica is killed with visitors mid-way, and the test
follows what a reader, a tool user on the dead replica and the restarted replica each go through.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import importlib
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import BrowserContext, expect

from backpain_edu.app.configuration import SECURITY_HEADERS
from backpain_edu.app.finished_pages import default_cache_dir
from backpain_edu.app.server import CONTENT_HASHED
from backpain_edu.catalog import Catalog
from backpain_edu.testing import RunningCluster
from tests.browser import test_tools
from tests.browser.conftest import PAGES, TRANSLATED_PAGES, page_ids, page_language
from tests.browser.support import DEPLOYMENT, finish_loading, visit, wcag_violations
from tests.conftest import REPO, run_to_end

# Loads a server of its own to see how it copes: run alone, after the rest (make test).
pytestmark = pytest.mark.serial

sys.path.insert(0, str(REPO / "benchmarks"))
load = importlib.import_module("_load")  # the benchmark's replayed visitors: one copy for both

READING = [page for page in PAGES if not page.widgets]
TOOLS = [page for page in PAGES if page.widgets]
# A translation's pages take the same routes through the proxy, from a folder of their own (es/...): the first
# translation's first reading page and first tool page stand for them.
TRANSLATED = [next(page for page in TRANSLATED_PAGES if page.widgets == widgets) for widgets in (False, True)]
CHECKLIST = "07_checklist.ipynb"
TIMELINE: list[str] = []


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    deployment = {"BACKPAIN_EDU_REGION": DEPLOYMENT.region, "BACKPAIN_EDU_CONTACT": DEPLOYMENT.contact or ""}
    # The finished pages the other test servers rendered for the same deployment (the replicas take them from the
    # disk, as after a restart): what is tested here is the proxy and the replicas, not a cold render.
    env = {**deployment, "BACKPAIN_EDU_CACHE": str(default_cache_dir())}
    with RunningCluster.start(2, tmp_path_factory.mktemp("cluster"), env=env) as running:
        yield running
    print("\n".join(["", "cluster events:", running.transcript(), "fault timeline:", *TIMELINE]))


def _get(url: str, gzipped: bool = True, timeout_s: float = 30) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzipped else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _text(headers: dict[str, str], body: bytes) -> str:
    return (gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body).decode("utf-8")


def _tag(kernel_id: str) -> str:
    return kernel_id[:2]


# --- Every page, its headers, compression and cache lifetimes ----------------------------------------


@pytest.mark.parametrize("app_page", [*PAGES, *TRANSLATED], ids=page_ids)
def test_every_page_loads_through_the_proxy_compressed_with_the_apps_security_headers(
    cluster: RunningCluster, app_page
) -> None:
    status, headers, body = _get(cluster.page_url(app_page.file))
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    assert "no-store" in headers["Cache-Control"]
    html = _text(headers, body)
    assert 'id="bpe-content"' in html and ("kernelId" in html) == app_page.widgets
    assert f'<html lang="{page_language(app_page)}">' in html
    assert headers.get("Server") == "nginx"  # no version number


def test_static_files_are_compressed_and_versioned_ones_kept_for_a_year(cluster: RunningCluster) -> None:
    _, headers, body = _get(cluster.page_url(CHECKLIST))
    html = _text(headers, body)
    scripts = sorted({part.split('"')[0] for part in html.split('src="')[1:] if part.startswith("/voila/")})
    assert scripts, "the tool page loads no script from /voila/"
    status, headers, _ = _get(f"{cluster.url}{scripts[0]}")
    assert status == 200 and headers.get("Content-Encoding") == "gzip", scripts[0]
    # The page's front end, its script and stylesheet named after their content: the app marks them immutable,
    # nginx passes that on.
    sheets = sorted({part.split('"')[0] for part in html.split('href="')[1:] if part.startswith("/voila/")})
    hashed = [url for url in scripts + sheets if CONTENT_HASHED.search(url.split("?")[0])]
    assert len(hashed) == 2, f"the tool page's front end is not its content-named script and stylesheet: {hashed}"
    for url in hashed:
        status, headers, _ = _get(f"{cluster.url}{url}")
        assert status == 200 and headers.get("Cache-Control") == "public, max-age=31536000, immutable", url
        assert headers.get("Content-Encoding") == "gzip"


def test_a_kernel_id_that_names_no_replica_is_not_found_at_the_proxy(cluster: RunningCluster) -> None:
    status, _, _ = _get(f"{cluster.url}/api/kernels/ff000000-0000-4000-8000-000000000000")
    assert status == 404


# --- The tools in a real browser, through the proxy --------------------------------------------------


def test_through_the_proxy_the_checklist_widgets_come_alive(
    cluster: RunningCluster, context: BrowserContext, catalog: Catalog
) -> None:
    test_tools.test_ticking_a_red_flag_in_the_checklist_shows_urgent_advice_under_the_red_flags(
        cluster, context, catalog
    )


def test_through_the_proxy_the_care_plan_pdf_downloads(cluster: RunningCluster, context: BrowserContext) -> None:
    page = visit(context, cluster.page_url("08_care_plan.ipynb")).page
    page.get_by_role("button", name="Make my PDF").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my care plan (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("app_page", [READING[1], TOOLS[0]], ids=lambda page: page.stem)
def test_through_the_proxy_pages_pass_axe(
    cluster: RunningCluster, context: BrowserContext, artifacts: Path, app_page
) -> None:
    page = visit(context, cluster.page_url(app_page.file)).page
    page.locator(".bpe-menu > summary").click()
    assert wcag_violations(page, artifacts / "axe" / f"proxy-{page_ids(app_page)}.json") == []


# --- Load: 50 visitors at once ---------------------------------------------------------------------


async def _mixed(base: str, readers: int, tool_users: int) -> tuple[list, list]:
    reads = [load.read(base, f"/voila/render/{READING[i % len(READING)].file}", 60) for i in range(readers)]
    arrivals = [load.arrive(base, f"/voila/render/{TOOLS[i % len(TOOLS)].file}", [], 120) for i in range(tool_users)]
    results = await asyncio.gather(*reads, *arrivals)
    visits = results[readers:]
    await asyncio.gather(*(load.leave(base, visit) for visit in visits))
    return results[:readers], visits


def test_fifty_mixed_visitors_through_the_proxy_get_no_error_and_both_replicas_serve(cluster: RunningCluster) -> None:
    started = time.time()
    reads, visits = run_to_end(_mixed(cluster.url, 35, 15))
    errors = [r.error for r in reads if r.error] + [v.error for v in visits if v.error]
    assert errors == []
    assert all(v.widgets for v in visits), [v.widgets for v in visits]
    tools_per_replica = Counter(_tag(v.kernel_id) for v in visits)
    answered = Counter(tried[-1] for at, tried, _, _ in cluster.access_log() if at >= started and tried)
    spread = {"tool pages by replica tag": dict(tools_per_replica), "requests by replica": dict(answered)}
    print(f"\nspread over replicas: {spread}")
    assert len(tools_per_replica) == 2 and len(answered) == 2, spread


# --- Fault: a replica killed with visitors mid-way ----------------------------------------------------


class Readers:
    """Readers loading reading pages through the proxy, one after another, until stopped."""

    def __init__(self, base: str, count: int) -> None:
        self.base, self.results = base, []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(count)]
        for thread in self._threads:
            thread.start()

    def _read(self, number: int) -> None:
        n = number
        while not self._stop.is_set():
            page = READING[n % len(READING)].file
            started = time.time()
            try:
                status, headers, body = _get(f"{self.base}/voila/render/{page}", timeout_s=20)
                ok = status == 200 and "<h1" in _text(headers, body)
            except OSError as error:
                status, ok = repr(error), False
            self.results.append((started, page, status, ok))
            n += 1
            time.sleep(0.05)

    def stop(self) -> list:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        return self.results


def _note(t0: float, text: str) -> None:
    TIMELINE.append(f"{time.time() - t0:6.2f} s  {text}")


def _kernel_processes(pid: int) -> list[psutil.Process]:
    with contextlib.suppress(psutil.NoSuchProcess):
        return [p for p in psutil.Process(pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    return []


def test_a_killed_replica_costs_readers_nothing_tool_users_a_reload_and_comes_back_once_ready(
    cluster: RunningCluster, context: BrowserContext, catalog: Catalog
) -> None:
    t0 = time.time()
    # Tool users on both replicas: open checklists until one lives on each (kernel ids name the replica).
    pages = {}
    for _ in range(8):
        tab = visit(context, cluster.page_url(CHECKLIST))
        pages.setdefault(_tag(tab.kernel_id()), tab.page)
        if len(pages) == 2:
            break
    assert len(pages) == 2, f"every checklist landed on one replica: {list(pages)}"
    victim_tag = sorted(pages)[0]
    survivor_tag = sorted(pages)[1]
    address, pid = cluster.replicas()[victim_tag]
    kernels = _kernel_processes(pid)
    assert kernels, "the replica to kill runs no kernel"
    _note(
        t0, f"tool users open on replicas {sorted(pages)}; replica {victim_tag} (pid {pid}) has {len(kernels)} kernels"
    )

    readers = Readers(cluster.url, 4)
    time.sleep(2)
    before = len(cluster.events)
    os.kill(pid, signal.SIGKILL)
    killed_at = time.time()
    _note(t0, f"replica {victim_tag} killed (SIGKILL)")

    # The tool user on the killed replica sees the plain "please reload" message, nothing else.
    stranded = pages[victim_tag]
    lost = stranded.locator("#bpe-connection-lost")
    expect(lost).to_be_visible(timeout=15_000)
    expect(lost).to_contain_text(catalog.labels.app.connection_lost.split(".")[0])
    assert "Traceback" not in stranded.content()
    _note(t0, "the stranded page shows its 'please reload' message")
    # The other tool user's page is untouched.
    expect(pages[survivor_tag].locator("#bpe-connection-lost")).to_be_hidden()

    # The killed replica's kernels exit with it (they watch their parent).
    gone, alive = psutil.wait_procs(kernels, timeout=15)
    assert alive == [], f"kernels of the killed replica still running: {[p.pid for p in alive]}"
    _note(t0, f"its {len(gone)} kernels have exited")

    # A reload lands on a live replica, and the checklist works there: the survivor, unless the killed replica was
    # already restarted and back in rotation when the visitor reloaded (it can be ready 1.6 s after the kill, before
    # its old kernels have all exited), when either may take them; never the killed one before it is ready.
    reloaded_at = time.time()
    stranded.get_by_role("button", name=catalog.labels.app.reload).click()
    finish_loading(stranded)
    reloaded_kernel = json.loads(stranded.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
    back_in = re.compile(rf"replica {victim_tag} ready on .*in rotation")
    back = [at for at, line in cluster.events[before:] if back_in.search(line)]
    live = {survivor_tag, victim_tag} if back and back[0] < reloaded_at else {survivor_tag}
    assert _tag(reloaded_kernel) in live, f"reloaded onto replica {_tag(reloaded_kernel)}, live: {sorted(live)}"
    emergency = catalog.red_flags.emergency
    stranded.get_by_label(emergency.signs[0].question).check()
    expect(stranded.get_by_text(emergency.why(emergency.signs[:1])[0].text).first).to_be_visible()
    _note(t0, f"after a reload the visitor is on replica {_tag(reloaded_kernel)} and finishes the checklist")

    # The cluster restarts the replica and puts it back only once ready: no request reaches it before.
    index, _, restarted_at = cluster.wait_for(rf"replica {victim_tag} .*starting it again", after=before, timeout_s=15)
    _note(t0, f"the cluster saw it stop and starts it again ({restarted_at - killed_at:.1f} s after the kill)")
    _, _, ready_at = cluster.wait_for(rf"replica {victim_tag} ready on .*in rotation", after=index, timeout_s=120)
    _note(t0, f"replica {victim_tag} ready and back in rotation ({ready_at - restarted_at:.1f} s after its restart)")
    new_address = cluster.replicas()[victim_tag][0]
    time.sleep(3)
    results = readers.stop()
    _note(t0, f"readers stopped: {len(results)} reads while the replica was down and coming back")

    failed = [r for r in results if not r[3]]
    assert failed == [], failed[:5]
    log = cluster.access_log()
    # Pages and static files only: a request naming a kernel of the killed replica goes to its address by design.
    # "Reaches" means answered by it: an nginx worker still finishing a request from before the reload may try the
    # old address first (refused, the process is gone) and then the live replica, which answers; that is no harm.
    early = [
        line for line in log if restarted_at < line[0] < ready_at and line[1][-1:] == [new_address] and not line[3]
    ]
    assert early == [], f"pages or files sent to the restarted replica before it was ready: {early[:5]}"
    kernel_routes = [line for line in log if line[0] > killed_at and line[3] == victim_tag]
    _note(t0, f"requests naming a kernel of the killed replica after the kill: {[line[2] for line in kernel_routes]}")
    # Back in rotation: the restarted replica answers reading pages again.
    for _ in range(20):
        _get(cluster.page_url(READING[0].file))
    after_ready = [
        line for line in cluster.access_log() if line[0] > ready_at and line[1] and line[1][-1] == new_address
    ]
    assert after_ready, "the restarted replica got no request after it was back in rotation"
    _note(t0, f"it answers again: {len(after_ready)} requests since it was ready; 0 reader errors of {len(results)}")
