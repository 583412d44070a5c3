"""Speed, memory and scale of the patient app, side by side with a static HTML export of the same notebooks.

    python benchmarks/bench.py [--quick] [--cluster] [--visits N] [--output PATH] [--notebooks DIR]

Starts the app itself (``backpain-edu serve`` on a free loopback port) and a static file server for
the nbconvert export, then measures, in one run: time to the first visible heading and the first
usable widget in Chromium; one visitor's kernel memory against a bare ipywidgets kernel; many
visitors at once (tool users replayed over HTTP and websocket; readers of the finished reading
pages, alone and mixed with tool users); the idle server with its kernel pool; content load time;
each page type on an emulated phone, cold, and a second tool page warm. With ``--cluster``, then the
same readers and tool users through nginx in front of two replicas (``deploy/cluster.py``, see
``_cluster.py``): capacity per replica and per core through the proxy. Prints a table and writes
JSON (benchmarks/results/latest.json by default) with the ratios and the goals they are checked
against (app speed against the static export, the phone, memory and CPU, visitors at once, content
load). It asserts nothing: the numbers are for people.

A value that could not be measured is null, with a ``<name>_reason`` key next to it saying why.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from _browser import Visit, chromium, visit
from _cluster import BenchParts, Sizes, through_proxy
from _content import content_timings
from _load import RawRead, RawVisit, arrive, leave, read, shut_down
from _phone import PHONE_CPU_SLOWDOWN, PHONE_NETWORK, phone_load, phone_warm
from _processes import (
    MB,
    bare_kernel_memory,
    cpu_seconds,
    cpu_used,
    export_static,
    machine,
    memory_of,
    static_server,
    wait_for_kernel_exit,
    wait_until_quiet,
)
from _report import capacity, goals, median, percentile, print_table, ratio, with_reason

from backpain_edu.app.configuration import FRONT_END_VARIABLE, KERNEL_START_VARIABLE, voila_config
from backpain_edu.testing import CLUSTER_SCRIPT, AppServer

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
HEADING_PAGE = "01_epidural_steroid.ipynb"
START_PAGE = "00_start_here.ipynb"
COMPARE_PAGE = "09_compare.ipynb"
WIDGET_PAGES = ("07_checklist.ipynb", "08_care_plan.ipynb")
# The idle server before reading pages were served as finished HTML (every page preheated a kernel),
# measured once with idle_memory()'s method on this 2-core machine; kept as a constant, since the
# benchmark measures the code it is run with.
IDLE_BEFORE = {
    "rss_mb": 835.0,
    "pss_mb": 613.3,
    "kernels": 11,
    "source": "measured once, same method (server tree once its pools were filled and it was quiet), on commit "
    "0b8c4e1 where every one of the 11 pages kept a preheated kernel; the issue quotes about 0.9 GB for 12",
}
NO_WIDGET_PAGE = f"looked for {' and '.join(WIDGET_PAGES)}; measured the first heading only"
APP_PAGE = "/voila/render/{}"
METHOD = {
    "page_timings": "Chromium (/usr/bin/chromium, headless), fresh context per visit, static and app visits "
    "alternating; seconds from navigation start (performance.now() in the page) to the first animation frame "
    "where the first h1 is visible, and where a form control inside .jupyter-widgets is visible and enabled; "
    "one unrecorded warm-up visit each; requests leaving loopback are refused and listed",
    "cpu": "server tree CPU (server and kernels) from the lone replayed visit's first request to its widget "
    "state (server_cpu_per_visit_s), and on to the pool's next kernel started and its notebook run, once the "
    "server is quiet again (server_cpu_per_visit_with_pool_refill_s); a kernel that exits takes its CPU time "
    "with it",
    "memory": "PSS/USS/RSS from /proc via psutil; the visitor's kernel is read one second after its page was ready, "
    "with the page still open",
    "load": "visitors replayed over HTTP and websocket (page, the static files a Chromium visit requested, "
    "kernel_info, widget state over the jupyter.widget.control comm), all arriving at once; ready = widget state "
    "received; memory read with every visitor still connected",
    "browser_crowd": "Chromium contexts at once in one browser; client and server share the same cores",
    "readers": "readers replayed over HTTP: one GET of a finished reading page (rotating over all of them), "
    "asking for gzip, timed to the last byte; lone = the same GETs one at a time; all arriving at once",
    "mixed": "readers and tool users (the replayed visit above) arriving at the same moment; memory read with "
    "every tool user still connected",
    "idle": "the server and its preheated kernels right after start, once each pool reported itself filled and "
    "the server was quiet (under 0.15 CPU for 0.5 s)",
    "content": "load_catalog_from in fresh interpreters (what each kernel pays once) and repeated in one process",
    "phone": f"Chromium at 375 px through the DevTools protocol: network {PHONE_NETWORK['latency']} ms, "
    f"{PHONE_NETWORK['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s down, "
    f"{PHONE_NETWORK['uploadThroughput'] * 8 / 1e3:.0f} kbit/s up, CPU {PHONE_CPU_SLOWDOWN}x slower; "
    "each load in a fresh profile (cold cache); first/largest text from paint timings, blocked = long-task "
    "time over 50 ms; warm = a second tool page in the same tab after the first, requests classified by the "
    "DevTools protocol's cache flags and cross-checked with Resource Timing and with the same two loads over "
    "plain loopback",
}
STOCK_FRONT_END = {FRONT_END_VARIABLE: "stock"}  # Voila's own voila.js, beside the app's lite front end
SPAWNED_KERNELS = {KERNEL_START_VARIABLE: "spawn"}  # each kernel a new interpreter, beside the zygote's forks
CLUSTER_REPLICAS = 2  # one per core on the two-core machine deploy/README.md's numbers come from
CULLED = "Culling '"  # jupyter_server's log line when its culler stops a kernel
POOL_FILLED = re.compile(r"Kernel pool of (\S+) is filled")  # Voila's log line once a page's pool is ready


def _culled(server: AppServer) -> int:
    """How many kernels the server's culler has stopped so far, counted in its log."""
    return server.log.read_text(encoding="utf-8", errors="replace").count(CULLED)


@dataclass(frozen=True)
class Plan:
    """What one run measures; ``--quick`` trims visits and load levels, never the kinds of measurement."""

    quick: bool
    visits: int
    notebooks: Path
    pages: tuple[str, ...]
    widget_page: str | None
    load_levels: tuple[int, ...]
    browser_crowd: int | None
    reader_pages: tuple[str, ...]
    phone_pages: tuple[str, ...]
    warm_pages: tuple[str, str] | None
    readers: int
    mixed: tuple[int, int]
    spread: tuple[int, float] | None = None  # visitors arriving one by one within so many seconds
    timeout_s: float = 60

    @property
    def load_page(self) -> str:
        return self.widget_page or HEADING_PAGE

    @classmethod
    def make(cls, quick: bool, visits: int | None, notebooks: Path = NOTEBOOKS) -> Plan:
        widget_page = next((name for name in WIDGET_PAGES if (notebooks / name).exists()), None)
        pages = (HEADING_PAGE,) if quick else (START_PAGE, HEADING_PAGE)
        finished = tuple(voila_config(notebooks).PatientApp.finished_files)
        reading = (HEADING_PAGE,) if quick else (START_PAGE, HEADING_PAGE, COMPARE_PAGE)
        tools = tuple(name for name in WIDGET_PAGES if (notebooks / name).exists())
        return cls(
            quick=quick,
            visits=visits or (3 if quick else 7),
            notebooks=notebooks,
            pages=pages + ((widget_page,) if widget_page else ()),
            widget_page=widget_page,
            load_levels=(10,) if quick else (10, 25, 50),
            browser_crowd=None if quick else 10,
            reader_pages=finished,
            phone_pages=tuple(p for p in reading if (notebooks / p).exists()) + ((widget_page,) if widget_page else ()),
            warm_pages=(tools[0], tools[1]) if len(tools) > 1 else None,
            readers=50 if quick else 200,
            mixed=(7, 3) if quick else (35, 15),
            spread=None if quick else (50, 10.0),
        )


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def _drop_kernel(server: AppServer, kernel_id: str | None) -> None:
    """Stop a visit's kernel if the closing tab did not, and let the server settle before the next visit."""
    if kernel_id is not None:
        if kernel_id in server.kernels():
            await shut_down(server.url, kernel_id)
        await asyncio.to_thread(wait_for_kernel_exit, server, {kernel_id}, 15)
    await asyncio.to_thread(wait_until_quiet, server)


def _summarize_visits(visits: list[Visit], widget: bool, reason_no_widget: str) -> dict[str, Any]:
    errors = [v.error for v in visits if v.error]
    summary: dict[str, Any] = {"visits": len(visits), "errors": len(errors), "error_samples": errors[:3]}
    with_reason(summary, "first_heading_s", median([v.heading_s for v in visits]), "no visit showed a heading")
    summary["first_heading_samples_s"] = [v.heading_s for v in visits]
    if widget:
        with_reason(summary, "first_widget_s", median([v.widget_s for v in visits]), "no visit showed a widget")
        summary["first_widget_samples_s"] = [v.widget_s for v in visits]
    else:
        with_reason(summary, "first_widget_s", None, reason_no_widget)
    summary["external_requests_refused"] = sorted({url for v in visits for url in v.blocked})
    return summary


class Run:
    """One benchmark run against one app server; each method measures one thing."""

    def __init__(self, plan: Plan, server: AppServer, static_base: str) -> None:
        self.plan, self.server, self.static_base = plan, server, static_base
        self.assets: list[str] = []
        self.kernel: dict[str, Any] = {}
        self.warm: dict[str, Any] = {"error": "the first tool page was not loaded on the phone"}

    def app_url(self, page: str) -> str:
        return self.server.page_url(page)

    def static_url(self, page: str) -> str:
        return f"{self.static_base}/{Path(page).with_suffix('.html').name}"

    async def visit_static(self, browser: Any, page: str) -> Visit:
        # A static export may have no h1 (a heading drawn by a widget is not in it): give up 3 s after load.
        return await visit(browser, self.static_url(page), timeout_s=self.plan.timeout_s, grace_after_load_s=3)

    async def _read_kernel(self, result: Visit) -> None:
        await asyncio.sleep(1)  # let the kernel finish answering the page before reading its memory
        kernels = self.server.kernels()
        if result.kernel_id in kernels:
            memory = memory_of([kernels[result.kernel_id]])
            self.kernel = {"rss_mb": memory.rss_mb, "uss_mb": memory.uss_mb, "pss_mb": memory.pss_mb}
        self.kernel["server_rss_mb"] = memory_of(self.server.tree()[:1]).rss_mb

    async def page_timings(self, browser: Any) -> dict[str, Any]:
        """Static export and app, alternating visit by visit so background load hits both alike."""
        plan = self.plan
        # Warm-up, not recorded: Chromium's first start, Voila's first template compile, a cold disk cache.
        await self.visit_static(browser, HEADING_PAGE)
        warm = await visit(browser, self.app_url(HEADING_PAGE), timeout_s=plan.timeout_s)
        await _drop_kernel(self.server, warm.kernel_id)
        static: dict[str, list[Visit]] = {page: [] for page in plan.pages}
        app: dict[str, list[Visit]] = {page: [] for page in plan.pages}
        for round_ in range(plan.visits):
            for page in plan.pages:
                log(f"visit {round_ + 1}/{plan.visits}: {page}")
                static[page].append(await self.visit_static(browser, page))
                last = round_ == plan.visits - 1 and page == plan.load_page
                hook = self._read_kernel if last else None
                result = await visit(browser, self.app_url(page), page == plan.widget_page, plan.timeout_s, hook)
                app[page].append(result)
                if last:
                    self.assets = sorted(set(result.assets))
                    if result.kernel_id is not None:
                        stopped = await asyncio.to_thread(wait_for_kernel_exit, self.server, {result.kernel_id}, 3)
                        self.kernel["stopped_when_tab_closed"] = stopped
                await _drop_kernel(self.server, result.kernel_id)
        no_widget = f"no notebook with widgets yet ({NO_WIDGET_PAGE})"
        if plan.widget_page:
            no_widget = "this page has no widget"
        pages = {}
        for page in plan.pages:
            entry = {
                "static": _summarize_visits(static[page], False, "a static export has no live widgets"),
                "app": _summarize_visits(app[page], page == plan.widget_page, no_widget),
            }
            heading = ratio(entry["app"]["first_heading_s"], entry["static"]["first_heading_s"])
            pages[page] = with_reason(entry, "first_heading_vs_static", heading, "a heading was not measured")
        return pages

    async def phone(self, browser: Any) -> dict[str, Any]:
        """Each page type on an emulated phone, cold, beside the static export of the reading pages.

        The tool page's cold load is the first of the warm pair (a fresh profile, so cold all the same).
        """
        phone: dict[str, Any] = {}
        warm = self.plan.warm_pages
        for page in self.plan.phone_pages:
            tool = page == self.plan.widget_page
            if tool and warm and warm[0] == page:
                pair = await phone_warm(browser, self.app_url(warm[0]), self.app_url(warm[1]))
                failed = next((load["error"] for load in pair.values() if "error" in load), None)
                if failed:
                    # Seen once in many runs on a saturated machine: a throttled tool page whose control never
                    # showed within the timeout. Measured once more; the first failure stays in the JSON.
                    log(f"phone pair failed ({failed}); measuring it once more")
                    await asyncio.to_thread(wait_until_quiet, self.server)
                    pair = await phone_warm(browser, self.app_url(warm[0]), self.app_url(warm[1]))
                    for load in pair.values():
                        load["retried_after"] = failed
                phone[page] = {"app": pair["first"]}
                self.warm = pair["second"]
                continue
            phone[page] = {"app": await phone_load(browser, self.app_url(page), control=tool)}
            if not tool:
                phone[page]["static"] = await phone_load(browser, self.static_url(page), control=False)
        return phone

    async def phone_warm(self, browser: Any) -> dict[str, Any]:
        """The second tool page, in the tab that showed the first: what still crosses the network."""
        warm = self.plan.warm_pages
        if warm is None:
            return with_reason({}, "bytes", None, f"needs two tool pages ({' and '.join(WIDGET_PAGES)})")
        result: dict[str, Any] = {"first_page": warm[0], "page": warm[1], "throttled": self.warm}
        if self.plan.quick:
            return with_reason(result, "loopback", None, "the unthrottled cross-check is skipped in --quick")
        await asyncio.to_thread(wait_until_quiet, self.server)
        pair = await phone_warm(browser, self.app_url(warm[0]), self.app_url(warm[1]), throttled=False)
        result["loopback"] = pair["second"]
        return result

    async def browser_crowd(self, browser: Any) -> dict[str, Any]:
        """Several Chromium contexts at once: client and server share the same two cores here."""
        size = self.plan.browser_crowd
        if size is None:
            return with_reason({}, "visitors", None, "skipped in --quick")
        want = self.plan.widget_page is not None
        url = self.app_url(self.plan.load_page)
        results = await asyncio.gather(*(visit(browser, url, want, self.plan.timeout_s * 3) for _ in range(size)))
        for result in results:
            await _drop_kernel(self.server, result.kernel_id)
        errors = [r.error for r in results if r.error]
        summary: dict[str, Any] = {"visitors": size, "errors": len(errors), "error_samples": errors[:3]}
        for key, values in (("heading", [r.heading_s for r in results]), ("widget", [r.widget_s for r in results])):
            present = [v for v in values if v is not None]
            for name, share in (("p50", 0.5), ("p95", 0.95)):
                with_reason(summary, f"first_{key}_{name}_s", percentile(present, share), f"no {key} measured")
        return summary

    async def load_level(self, visitors: int, over_s: float = 0) -> dict[str, Any]:
        """``visitors`` replayed visitors arriving at the same moment, or one by one evenly over ``over_s``
        seconds; memory read with all of them connected. Each one's ready time counts from its own arrival."""
        page = APP_PAGE.format(self.plan.load_page)
        kernels_before, culled_before = len(self.server.kernels()), _culled(self.server)
        client_before, server_before = cpu_seconds([psutil.Process()]), cpu_seconds(self.server.tree())

        async def one(number: int) -> RawVisit:
            await asyncio.sleep(number * over_s / visitors)
            return await arrive(self.server.url, page, self.assets, self.plan.timeout_s * 2)

        t0 = time.perf_counter()
        visits = await asyncio.gather(*(one(number) for number in range(visitors)))
        wall = time.perf_counter() - t0
        client_cpu = cpu_used(client_before, cpu_seconds([psutil.Process()]))
        server_cpu = cpu_used(server_before, cpu_seconds(self.server.tree()))
        memory = memory_of(self.server.tree())
        kernels = len(self.server.kernels())
        await asyncio.gather(*(leave(self.server.url, v) for v in visits))
        ids = {v.kernel_id for v in visits if v.kernel_id}
        await asyncio.to_thread(wait_for_kernel_exit, self.server, ids, 60)
        await asyncio.to_thread(wait_until_quiet, self.server)
        summary = _summarize_load(visits, wall, memory, kernels)
        summary.update(kernels_alive_before=kernels_before, client_cpu_s=client_cpu, server_cpu_s=server_cpu)
        summary["kernels_culled_during_visits"] = _culled(self.server) - culled_before
        summary["arrived_over_s"] = over_s
        return summary

    async def lone_visitor(self) -> dict[str, Any]:
        """The same replayed visit, one at a time: the yardstick for the crowd levels."""
        visits: list[RawVisit] = []
        cpu: list[float | None] = []
        with_refill: list[float | None] = []
        kernel: list[float | None] = []
        for _ in range(self.plan.visits):
            filled = _pools_filled(self.server)
            before = cpu_seconds(self.server.tree())
            result = await arrive(self.server.url, APP_PAGE.format(self.plan.load_page), self.assets, 60)
            cpu.append(cpu_used(before, cpu_seconds(self.server.tree())))
            alive = self.server.kernels().get(result.kernel_id or "")
            kernel.append(memory_of([alive]).pss_mb if alive else None)
            # The whole cost of the view: the pool starts a kernel and runs the notebook for the next visitor.
            refilled = await asyncio.to_thread(_wait_for_refill, self.server, filled)
            with_refill.append(cpu_used(before, cpu_seconds(self.server.tree())) if refilled else None)
            visits.append(result)
            await leave(self.server.url, result)
            await _drop_kernel(self.server, result.kernel_id)
        summary = {"visits": len(visits), "errors": sum(1 for v in visits if v.error)}
        with_reason(summary, "server_cpu_per_visit_s", median(cpu), "no visit was measured")
        reason = "the pool did not report itself refilled within 60 s"
        with_reason(summary, "server_cpu_per_visit_with_pool_refill_s", median(with_refill), reason)
        with_reason(summary, "kernel_pss_mb", median(kernel), "no visit's kernel was found")
        with_reason(summary, "ready_median_s", median([v.ready_s for v in visits]), "no replayed visit was ready")
        with_reason(summary, "html_median_s", median([v.html_s for v in visits]), "no page was received")
        summary["ready_samples_s"] = [v.ready_s for v in visits]
        return summary

    def reader_page(self, number: int) -> str:
        """The reading pages in turn: reader 0 the first finished page, reader 1 the next ..."""
        return APP_PAGE.format(self.plan.reader_pages[number % len(self.plan.reader_pages)])

    async def lone_reader(self) -> dict[str, Any]:
        """Every finished page read once, one at a time: the yardstick for readers at once."""
        reads: list[RawRead] = []
        before = cpu_seconds(self.server.tree())
        for number in range(max(self.plan.visits, len(self.plan.reader_pages))):
            reads.append(await read(self.server.url, self.reader_page(number), 30))
        cpu = cpu_used(before, cpu_seconds(self.server.tree()))
        summary = _summarize_reads(reads)
        summary["server_cpu_per_read_s"] = round(cpu / len(reads), 4)
        with_reason(summary, "html_median_s", median([r.html_s for r in reads]), "no page was read")
        summary["html_samples_s"] = [r.html_s for r in reads]
        summary["wire_kb_by_page"] = {r.page.rsplit("/", 1)[-1]: round(r.wire_bytes / 1e3, 1) for r in reads}
        summary["gzip"] = all(r.gzip for r in reads)
        return summary

    async def readers_at_once(self, readers: int) -> dict[str, Any]:
        """``readers`` readers of finished pages arriving at the same moment."""
        kernels_before = len(self.server.kernels())
        client_before, server_before = cpu_seconds([psutil.Process()]), cpu_seconds(self.server.tree())
        t0 = time.perf_counter()
        reads = await asyncio.gather(*(read(self.server.url, self.reader_page(n), 60) for n in range(readers)))
        wall = time.perf_counter() - t0
        summary = _summarize_reads(reads)
        memory = memory_of(self.server.tree())
        summary.update(
            wall_s=round(wall, 2),
            server_cpu_s=cpu_used(server_before, cpu_seconds(self.server.tree())),
            client_cpu_s=cpu_used(client_before, cpu_seconds([psutil.Process()])),
            kernels_alive=len(self.server.kernels()),
            kernels_alive_before=kernels_before,
            server_and_kernels_rss_mb=memory.rss_mb,
            server_and_kernels_pss_mb=memory.pss_mb,
            server_rss_mb=memory_of(self.server.tree()[:1]).rss_mb,
        )
        await asyncio.to_thread(wait_until_quiet, self.server)
        return summary

    async def mixed(self, readers: int, tool_users: int) -> dict[str, Any]:
        """Readers and tool users arriving at the same moment; memory read while every tool user is connected."""
        page = APP_PAGE.format(self.plan.load_page)
        kernels_before = len(self.server.kernels())
        server_before = cpu_seconds(self.server.tree())
        t0 = time.perf_counter()
        reading = asyncio.gather(*(read(self.server.url, self.reader_page(n), 60) for n in range(readers)))
        tools = asyncio.gather(
            *(arrive(self.server.url, page, self.assets, self.plan.timeout_s * 2) for _ in range(tool_users))
        )
        reads, visits = await asyncio.gather(reading, tools)
        wall = time.perf_counter() - t0
        server_cpu = cpu_used(server_before, cpu_seconds(self.server.tree()))
        memory = memory_of(self.server.tree())
        kernels = len(self.server.kernels())
        await asyncio.gather(*(leave(self.server.url, v) for v in visits))
        await asyncio.to_thread(wait_for_kernel_exit, self.server, {v.kernel_id for v in visits if v.kernel_id}, 60)
        await asyncio.to_thread(wait_until_quiet, self.server)
        tool = _summarize_load(visits, wall, memory, kernels)
        summary: dict[str, Any] = {
            "visitors": readers + tool_users,
            "errors": len([r for r in reads if r.error]) + tool["errors"],
            "wall_s": round(wall, 2),
            "tool_page": self.plan.load_page,
            "readers": _summarize_reads(reads),
            "tool_users": {k: v for k, v in tool.items() if k not in ("wall_s", "kernels_alive")},
            "kernels_alive": kernels,
            "kernels_alive_before": kernels_before,
            "server_and_kernels_rss_mb": memory.rss_mb,
            "server_and_kernels_pss_mb": memory.pss_mb,
            "server_cpu_s": server_cpu,
        }
        return summary


def _pools_filled(server: AppServer) -> int:
    """How many times so far a kernel pool reported itself filled, counted in the server's log."""
    return len(POOL_FILLED.findall(server.log.read_text(encoding="utf-8", errors="replace")))


def _wait_for_refill(server: AppServer, filled_before: int, timeout_s: float = 60) -> bool:
    """Wait until a pool has been filled again since ``filled_before`` was counted, and the server is quiet."""
    deadline = time.monotonic() + timeout_s
    while _pools_filled(server) <= filled_before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    wait_until_quiet(server)
    return True


async def idle_memory(server: AppServer, tool_pages: int, max_s: float = 120) -> dict[str, Any]:
    """The server and its kernel pool right after start: once every pool is filled and the server is quiet."""
    t0 = time.monotonic()
    filled = 0
    while time.monotonic() - t0 < max_s:
        filled = len(set(POOL_FILLED.findall(server.log.read_text(encoding="utf-8", errors="replace"))))
        if filled >= tool_pages:
            break
        await asyncio.sleep(0.5)
    await asyncio.to_thread(wait_until_quiet, server, max_s=60)
    tree = server.tree()
    everything, alone = memory_of(tree), memory_of(tree[:1])
    idle: dict[str, Any] = {
        "seconds_after_start": round(time.monotonic() - t0, 1),
        "pools_filled": filled,
        "pages_with_a_pool": tool_pages,
        "kernels": len(server.kernels()),
        "processes": len(tree),
        "server_and_kernels_rss_mb": everything.rss_mb,
        "server_and_kernels_pss_mb": everything.pss_mb,
        "server_and_kernels_uss_mb": everything.uss_mb,
        "server_rss_mb": alone.rss_mb,
        "before": IDLE_BEFORE,
    }
    rss = ratio(everything.rss_mb, IDLE_BEFORE["rss_mb"])
    with_reason(idle, "rss_vs_before", rss, "not measured")
    idle["pss_vs_before"] = ratio(everything.pss_mb, IDLE_BEFORE["pss_mb"])
    return idle


def _summarize_reads(reads: list[RawRead]) -> dict[str, Any]:
    errors = [r.error for r in reads if r.error]
    summary: dict[str, Any] = {"readers": len(reads), "errors": len(errors), "error_samples": errors[:3]}
    for key in ("html_s", "heading_s"):
        values = [getattr(r, key) for r in reads if getattr(r, key) is not None]
        for name, share in (("p50", 0.5), ("p95", 0.95)):
            with_reason(summary, f"{key[:-2]}_{name}_s", percentile(values, share), "no reader got that far")
    summary["wire_kb_max"] = round(max((r.wire_bytes for r in reads), default=0) / 1e3, 1)
    return summary


def _summarize_load(visits: list[RawVisit], wall: float, memory: Any, kernels: int) -> dict:
    errors = [v.error for v in visits if v.error]
    summary: dict[str, Any] = {"visitors": len(visits), "errors": len(errors), "error_samples": errors[:3]}
    for key in ("html_s", "ready_s"):
        values = [getattr(v, key) for v in visits if getattr(v, key) is not None]
        for name, share in (("p50", 0.5), ("p95", 0.95)):
            with_reason(summary, f"{key[:-2]}_{name}_s", percentile(values, share), "no visitor got that far")
    widgets = [v.widgets for v in visits if v.widgets is not None]
    with_reason(summary, "widget_models", max(widgets) if widgets else None, "no visitor reached the kernel")
    summary.update(
        wall_s=round(wall, 2),
        kernels_alive=kernels,
        server_and_kernels_rss_mb=memory.rss_mb,
        server_and_kernels_pss_mb=memory.pss_mb,
        asset_mb_per_visit=round(max((v.asset_bytes for v in visits), default=0) / MB, 2),
    )
    return summary


async def measure(plan: Plan, server: AppServer, static_base: str) -> dict[str, Any]:
    run = Run(plan, server, static_base)
    tool_pages = len(voila_config(plan.notebooks).PatientApp.page_files) - len(plan.reader_pages)
    log("idle server and its kernel pool")
    idle = await idle_memory(server, tool_pages)
    result: dict[str, Any] = {"machine_at_start": machine(server)}
    async with chromium() as browser:
        result["machine_at_start"]["chromium"] = browser.version
        log("page timings")
        result["pages"] = await run.page_timings(browser)
        log("browser crowd")
        crowd = await run.browser_crowd(browser)
    log("bare kernel")
    bare = await asyncio.to_thread(bare_kernel_memory)
    kernel = run.kernel
    memory = result["memory"] = {
        "page": plan.load_page,
        "bare_ipywidgets_kernel_rss_mb": bare.rss_mb,
        "bare_ipywidgets_kernel_uss_mb": bare.uss_mb,
    }
    for key in ("rss_mb", "uss_mb", "pss_mb"):
        with_reason(memory, f"visitor_kernel_{key}", kernel.get(key), "the visit's kernel was not found")
    with_reason(memory, "server_rss_mb", kernel.get("server_rss_mb"), "the measured visit did not finish")
    stopped = kernel.get("stopped_when_tab_closed")
    with_reason(memory, "kernel_stopped_when_tab_closed", stopped, "the visit's kernel id was not found")
    load: dict[str, Any] = {"page": plan.load_page, "method": "replay", "assets_per_visit": len(run.assets)}
    log("lone visitor")
    load["lone"] = await run.lone_visitor()
    load["levels"] = {}
    for level in plan.load_levels:
        log(f"{level} visitors at once")
        load["levels"][str(level)] = await run.load_level(level)
    if plan.spread:
        log(f"{plan.spread[0]} visitors arriving within {plan.spread[1]:.0f} s")
        load["spread"] = await run.load_level(*plan.spread)
    else:
        with_reason(load, "spread", None, "skipped in --quick")
    load["browser_crowd"] = crowd
    result["load"] = load
    memory["idle"] = idle
    readers: dict[str, Any] = {"pages": list(plan.reader_pages), "method": "replay"}
    if plan.reader_pages:
        log("lone reader")
        readers["lone"] = await run.lone_reader()
        log(f"{plan.readers} readers at once")
        readers["at_once"] = await run.readers_at_once(plan.readers)
        log(f"{sum(plan.mixed)} mixed visitors at once ({plan.mixed[0]} readers, {plan.mixed[1]} tool users)")
        result["mixed"] = await run.mixed(*plan.mixed)
    else:
        with_reason(readers, "lone", None, "no page is served as finished HTML")
        with_reason(result, "mixed", None, "no page is served as finished HTML")
    result["readers"] = readers
    log("content")
    result["content"] = content_timings(REPO, plan.visits)
    # Last: a throttled visit leaves its kernel to the culler, which must not disturb the memory figures.
    async with chromium() as browser:
        log("emulated phone")
        result["phone"] = await run.phone(browser)
        result["phone_warm"] = await run.phone_warm(browser)
    result["machine_at_end"] = {"load_average": [round(x, 2) for x in os.getloadavg()]}
    return result


async def measure_stock(plan: Plan, server: AppServer, static_base: str) -> dict[str, Any]:
    """The tool page again, served with Voila's own front end (``BACKPAIN_EDU_FRONT_END=stock``): the same
    measurements as the lite one's, in the same run, so the two sit side by side."""
    assert plan.widget_page is not None
    page = plan.widget_page
    tool = dataclasses.replace(plan, pages=(page,), phone_pages=(page,))
    run = Run(tool, server, static_base)
    tool_pages = len(voila_config(plan.notebooks).PatientApp.page_files) - len(plan.reader_pages)
    await idle_memory(server, tool_pages)
    async with chromium() as browser:
        log("stock front end: page timings")
        timings = (await run.page_timings(browser))[page]
        log("stock front end: browser crowd")
        crowd = await run.browser_crowd(browser)
    log("stock front end: lone visitor")
    lone = await run.lone_visitor()
    async with chromium() as browser:
        log("stock front end: emulated phone")
        phone = (await run.phone(browser))[page]["app"]
        warm = await run.phone_warm(browser)
    stock: dict[str, Any] = {"front_end": "stock", "page": page, "assets_per_visit": len(run.assets)}
    stock.update(loopback=timings["app"], static=timings["static"], lone=lone, browser_crowd=crowd)
    stock.update(phone=phone, phone_warm=warm)
    widget = ratio(timings["app"]["first_widget_s"], timings["static"]["first_heading_s"])
    reason = "a widget or the static heading was not measured"
    return with_reason(stock, "first_widget_vs_static_heading", widget, reason)


async def measure_spawned(plan: Plan, server: AppServer, static_base: str) -> dict[str, Any]:
    """The tool page again, each kernel started as a new interpreter (``BACKPAIN_EDU_KERNEL_START=spawn``) rather
    than forked from the zygote: the idle pool, a lone visitor's CPU and kernel, and the largest crowd up to 25,
    in the same run as the forked ones, so the two sit side by side."""
    assert plan.widget_page is not None
    run = Run(dataclasses.replace(plan, pages=(plan.widget_page,)), server, static_base)
    tool_pages = len(voila_config(plan.notebooks).PatientApp.page_files) - len(plan.reader_pages)
    spawned: dict[str, Any] = {"kernel_start": "spawn", "idle": await idle_memory(server, tool_pages)}
    log("spawned kernels: lone visitor")
    spawned["lone"] = await run.lone_visitor()
    level = max(level for level in plan.load_levels if level <= 25)
    log(f"spawned kernels: {level} visitors at once")
    spawned["level"] = await run.load_level(level)
    return spawned


def run_benchmark(plan: Plan) -> dict[str, Any]:
    pages = [plan.notebooks / page for page in dict.fromkeys(plan.pages + plan.phone_pages)]
    serve = ["serve"] if plan.notebooks == NOTEBOOKS else ["serve", "--notebooks", str(plan.notebooks)]
    with tempfile.TemporaryDirectory(prefix="bench-static-") as folder, ThreadPoolExecutor(1) as pool:
        exported = pool.submit(export_static, pages, Path(folder))  # nbconvert runs while the app starts
        with static_server(Path(folder)) as static_base:
            with AppServer.start(serve, cwd=REPO) as server:
                log(f"app on {server.url}; exporting {len(pages)} notebook(s) with nbconvert")
                export_s = exported.result()
                result = asyncio.run(measure(plan, server, static_base))
            started = dict(server.seen)
            if plan.widget_page is None:
                with_reason(result, "stock_front_end", None, f"no tool page to visit ({NO_WIDGET_PAGE})")
                with_reason(result, "spawned_kernels", None, f"no tool page to visit ({NO_WIDGET_PAGE})")
            else:
                # After the lite server has stopped, so each has the cores to itself.
                with AppServer.start(serve, cwd=REPO, env=STOCK_FRONT_END) as stock:
                    log(f"the tool page with Voila's own front end, on {stock.url}")
                    result["stock_front_end"] = asyncio.run(measure_stock(plan, stock, static_base))
                started.update(stock.seen)
                with AppServer.start(serve, cwd=REPO, env=SPAWNED_KERNELS) as spawned:
                    log(f"the tool page with spawned kernels, on {spawned.url}")
                    result["spawned_kernels"] = asyncio.run(measure_spawned(plan, spawned, static_base))
                started.update(spawned.seen)
    result["static_export_s"] = export_s
    result["processes_started"] = [{"pid": pid, "create_time": t} for pid, t in started.items()]
    return result


def run_cluster(plan: Plan) -> dict[str, Any]:
    """The readers and tool users again, through nginx in front of CLUSTER_REPLICAS replicas (``_cluster.py``)."""
    result: dict[str, Any] = {}
    if plan.widget_page is None:
        return with_reason(result, "cluster", None, f"no tool page to visit ({NO_WIDGET_PAGE})")
    if plan.notebooks != NOTEBOOKS:
        return with_reason(result, "cluster", None, f"{CLUSTER_SCRIPT.name} serves the repository's notebooks only")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return with_reason(result, "cluster", None, "nginx is not installed (make browser-deps)")
    sizes = Sizes(
        tool_page=plan.widget_page,
        reader_pages=plan.reader_pages,
        lone_visits=min(plan.visits, 4),
        readers=plan.readers,
        tool_levels=(10,) if plan.quick else (10, 30),
        mixed=plan.mixed,
        spread=plan.spread,
        timeout_s=plan.timeout_s,
    )
    parts = BenchParts(log, _pools_filled, _wait_for_refill, _summarize_reads, _summarize_load)
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as folder:
        try:
            result["cluster"] = through_proxy(Path(folder), sizes, parts, CLUSTER_REPLICAS)
        except Exception as error:  # the lone server's numbers are kept: a failure here is a reason, not a crash
            log(f"through the proxy: not measured\n{traceback.format_exc()}")
            with_reason(result, "cluster", None, f"{type(error).__name__}: {str(error)[-1500:]}")
    return result


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # unwinds through every ``finally``, so the app and its kernels are stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer visits and visitors (about three minutes)")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help=f"then measure through nginx in front of {CLUSTER_REPLICAS} replicas (2.5 more minutes; 1.5 with --quick)",
    )
    parser.add_argument("--visits", type=int, help="visits per measurement (default 3 quick, 7 full)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON file to write (default {RESULTS})")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="notebooks folder (default: the repo's)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    plan = Plan.make(args.quick, args.visits, args.notebooks.resolve())
    started = time.perf_counter()
    result = {
        "schema": 1,
        "mode": "quick" if plan.quick else "full",
        "method": METHOD,
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "plan": {
            "visits": plan.visits,
            "pages": list(plan.pages),
            "notebooks": str(plan.notebooks),
            "load_levels": list(plan.load_levels),
            "readers": plan.readers,
            "mixed_readers_and_tool_users": list(plan.mixed),
            "phone_pages": list(plan.phone_pages),
            "warm_pages": list(plan.warm_pages or []),
        },
        **run_benchmark(plan),
    }
    # After the lone server has stopped, so the replicas have the cores to themselves.
    result.update(run_cluster(plan) if args.cluster else with_reason({}, "cluster", None, "run with --cluster"))
    with_reason(result["plan"], "widget_page", plan.widget_page, f"no notebook with widgets yet ({NO_WIDGET_PAGE})")
    result["duration_s"] = round(time.perf_counter() - started, 1)
    result["ratios"], result["goals"] = goals(result, HEADING_PAGE, plan.widget_page)
    result["capacity"] = capacity(result)
    if result["cluster"]:
        through = result["cluster"]["capacity"]
        per_view = ratio(through["cpu_seconds_per_page_view"], result["capacity"]["cpu_seconds_per_page_view"])
        with_reason(through, "cpu_per_page_view_vs_one_server", per_view, "a CPU per page view was not measured")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_table(result)
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
