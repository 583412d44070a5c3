"""Through the proxy: nginx in front of two replicas (``deploy/cluster.py``), measured as one machine.

Run by ``bench.py --cluster`` (not part of the default run: it adds about two minutes, half a minute of
which is the cluster's start) once the lone server's measurements are over, so the replicas (one per core)
have the machine to themselves. The visitors are the benchmark's own replayed readers and tool users
(``_load``), sent to nginx instead of to a server. CPU and memory are those of the whole cluster: nginx's
master and workers, both replicas and their kernels (the supervising ``deploy/cluster.py`` process, which
only polls its replicas, is left out). Which replica served a tool user is read from its kernel id (the
first two hex digits are the replica's tag); which replica answered each request, and whether nginx had to
try another one first (a replica at its kernel cap answers 503), from nginx's access log.

From the lone visitors' CPU and memory, per page view and per open tool page, the same capacity as for one
server (``_report.capacity``), now with nginx's share in it: page views per second per core at half the
CPU, open tool pages per replica (its kernel cap, less its preheated kernels) and per GB.

The replicas run the checkout's code: a file of the package edited while they run makes each one render
every reading page again, whose CPU and waits then land in what is being measured. The results say how
many pages were rendered while measuring (``reading_pages_rendered_while_measuring``), which should be 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from _browser import chromium, visit
from _load import RawRead, RawVisit, arrive, leave, read, shut_down
from _processes import Memory, cpu_seconds, cpu_used, memory_of, wait_for_kernel_exit, wait_until_quiet
from _report import capacity, median, with_reason

from backpain_edu.app.configuration import max_kernels
from backpain_edu.testing import KERNEL_FILE, RunningCluster

APP_PAGE = "/voila/render/{}"
RENDERED = re.compile(r"Finished page ready: \S+ \(rendered")  # a replica's log line when it rendered one
METHOD = (
    "deploy/cluster.py: nginx (deploy/nginx/backpain.conf) in front of {replicas} replicas on loopback, started "
    "after the lone server stopped; the same replayed readers and tool users as above, through nginx; one "
    "Chromium visit first records the static files a tool page asks for (and fills nginx's cache); CPU and "
    "memory of nginx (master and workers), the replicas and their kernels; tool CPU with the pool's next "
    "kernel read once the cluster is quiet again (under 0.15 CPU for 0.5 s); spread by kernel id tag and "
    "by nginx's access log; every tool user leaves (Voila's shutdown request) and its kernel is waited for"
)


@dataclass(frozen=True)
class Sizes:
    """How much to measure: ``--quick`` shrinks it."""

    tool_page: str
    reader_pages: tuple[str, ...]
    lone_visits: int
    readers: int
    tool_levels: tuple[int, ...]
    mixed: tuple[int, int]
    spread: tuple[int, float] | None = None  # tool users arriving one by one within so many seconds
    timeout_s: float = 60


@dataclass(frozen=True)
class BenchParts:
    """bench.py's own helpers, lent to this module: bench.py imports it, so it cannot import bench.py back."""

    log: Callable[[str], None]
    pools_filled: Callable[[Any], int]
    wait_for_refill: Callable[[Any, int], bool]
    summarize_reads: Callable[[list[RawRead]], dict[str, Any]]
    summarize_load: Callable[[list[RawVisit], float, Memory, int], dict[str, Any]]


def _with_children(pid: int) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    return []


class ClusterView:
    """The cluster as bench.py's helpers see one server.

    ``tree()`` is every process of the cluster, so ``wait_until_quiet`` waits for all of it; ``kernels()``
    every replica's kernels by id, for ``wait_for_kernel_exit``; ``log`` is one replica's log (``on(tag)``),
    where ``_pools_filled`` counts that replica's pool refills.
    """

    def __init__(self, cluster: RunningCluster, tag: str | None = None) -> None:
        self.cluster, self.tag = cluster, tag
        self.log = cluster.folder / f"replica-{tag}.log"

    def on(self, tag: str) -> ClusterView:
        return ClusterView(self.cluster, tag)

    def tags(self) -> list[str]:
        return sorted(self.cluster.replicas())

    def nginx(self) -> list[psutil.Process]:
        """nginx's master (its pid file) and workers."""
        try:
            pid = int((self.cluster.folder / "nginx.pid").read_text().strip())
        except (OSError, ValueError):
            return []
        return _with_children(pid)

    def replica(self, tag: str) -> list[psutil.Process]:
        """One replica's server process first, then its kernels."""
        return _with_children(self.cluster.replicas()[tag][1])

    def tree(self) -> list[psutil.Process]:
        return self.nginx() + [process for tag in self.tags() for process in self.replica(tag)]

    def kernels(self, tag: str | None = None) -> dict[str, psutil.Process]:
        found = {}
        for each in [tag] if tag else self.tags():
            for process in self.replica(each)[1:]:
                with contextlib.suppress(psutil.Error):
                    line = " ".join(process.cmdline())
                    match = KERNEL_FILE.search(line) if "ipykernel_launcher" in line else None
                    if match:
                        found[match.group(1)] = process
        return found

    def memory(self) -> dict[str, Any]:
        """Each replica (server alone, and with its kernels) and nginx, with everyone's total (MB)."""
        replicas = {}
        for tag in self.tags():
            tree = self.replica(tag)
            whole = memory_of(tree)
            replicas[tag] = {
                "kernels": len(self.kernels(tag)),
                "server_rss_mb": memory_of(tree[:1]).rss_mb,
                "rss_mb": whole.rss_mb,
                "pss_mb": whole.pss_mb,
            }
        nginx = self.nginx()
        proxy = memory_of(nginx)
        parts = [*replicas.values(), {"rss_mb": proxy.rss_mb, "pss_mb": proxy.pss_mb}]
        return {
            "replicas": replicas,
            "nginx": {"processes": len(nginx), "rss_mb": proxy.rss_mb, "pss_mb": proxy.pss_mb},
            "total_rss_mb": round(sum(part["rss_mb"] for part in parts), 1),
            "total_pss_mb": round(sum(part["pss_mb"] for part in parts), 1),
            "kernels": sum(replica["kernels"] for replica in replicas.values()),
        }


def _total(memory: dict[str, Any]) -> Memory:
    """The cluster's memory as bench.py's summaries take it (they read RSS and PSS)."""
    return Memory(memory["total_rss_mb"], 0.0, memory["total_pss_mb"])


SUMMARY_ONLY = ("wall_s", "kernels_alive", "server_and_kernels_rss_mb", "server_and_kernels_pss_mb")


def _machine(view: ClusterView | None = None) -> dict[str, Any]:
    """The load average, and the kernels of other servers on the machine: both share the cluster's cores."""
    ours = {process.pid for process in view.tree()} if view else set()
    others = 0
    for process in psutil.process_iter(["cmdline"]):
        if "ipykernel" in " ".join(process.info["cmdline"] or []) and process.pid not in ours:
            others += 1
    return {"load_average": [round(x, 2) for x in os.getloadavg()], "kernels_of_other_processes": others}


class ProxyRun:
    """The measurements through nginx, in order, on one running cluster."""

    def __init__(self, cluster: RunningCluster, sizes: Sizes, parts: BenchParts) -> None:
        self.cluster, self.sizes, self.parts = cluster, sizes, parts
        self.view = ClusterView(cluster)
        self.base = cluster.url
        self.tool_url = APP_PAGE.format(sizes.tool_page)
        self.assets: list[str] = []

    async def quiet(self) -> float:
        return await asyncio.to_thread(wait_until_quiet, self.view, max_s=60)

    def reader_page(self, number: int) -> str:
        return APP_PAGE.format(self.sizes.reader_pages[number % len(self.sizes.reader_pages)])

    def spread(self, since: float, until: float) -> dict[str, Any]:
        """nginx's access log between two wall times: who answered, who was tried first, the statuses.

        Pages and static files are counted by the replica that answered (none: from nginx's cache); a
        kernel route (websocket, shutdown) goes to the replica its kernel id names, counted apart.
        """
        tags = {address: tag for tag, (address, _) in self.cluster.replicas().items()}
        lines = [line for line in self.cluster.access_log() if since <= line[0] <= until]
        pages = [line for line in lines if not (line[3:] and line[3])]  # the 4th field, if any: a kernel route
        answered = Counter(tags.get(tried[-1], tried[-1]) for _, tried, *_ in pages if tried)
        return {
            "requests": len(lines),
            "answered_by_replica": dict(sorted(answered.items())),
            "from_nginx_cache": sum(1 for _, tried, *_ in pages if not tried),
            "kernel_routes": len(lines) - len(pages),
            "tried_another_replica_first": sum(1 for _, tried, *_ in lines if len(tried) > 1),
            "statuses": dict(sorted(Counter(status for _, _, status, *_ in lines).items())),
        }

    def arrivals(self, count: int, over_s: float = 0) -> asyncio.Future[list[RawVisit]]:
        """``count`` tool users arriving at the same moment, or one by one evenly over ``over_s`` seconds (bench's
        crowd timeout: twice a lone visit's); each one's ready time counts from its own arrival."""
        timeout = self.sizes.timeout_s * 2

        async def one(number: int) -> RawVisit:
            await asyncio.sleep(number * over_s / count)
            return await arrive(self.base, self.tool_url, self.assets, timeout)

        return asyncio.gather(*(one(number) for number in range(count)))

    async def leave_all(self, visits: list[RawVisit]) -> bool:
        """Every tool user leaves as a closing tab does; True once each of their kernels has exited."""
        await asyncio.gather(*(leave(self.base, v) for v in visits))
        ids = {v.kernel_id for v in visits if v.kernel_id}
        return await asyncio.to_thread(wait_for_kernel_exit, self.view, ids, 60)

    def cpu_since(self, before: dict[int, float]) -> tuple[float, float]:
        """CPU seconds used since ``before`` by the whole cluster, and nginx's share of them."""
        after = cpu_seconds(self.view.tree())
        nginx = {process.pid for process in self.view.nginx()}
        return cpu_used(before, after), cpu_used(before, {pid: t for pid, t in after.items() if pid in nginx})

    def pools_filled(self) -> dict[str, int]:
        return {tag: self.parts.pools_filled(self.view.on(tag)) for tag in self.view.tags()}

    async def refilled(self, kernel_id: str | None, filled: dict[str, int]) -> bool:
        """Wait until the pool of the replica that gave ``kernel_id`` has a kernel again and the cluster is quiet."""
        tag = (kernel_id or "")[:2]
        if tag not in filled:
            return False
        return await asyncio.to_thread(self.parts.wait_for_refill, self.view.on(tag), filled[tag])

    async def first_visit(self) -> dict[str, Any]:
        """One Chromium visit to the tool page through nginx: the static files it asks for, for the replays."""
        filled = self.pools_filled()
        async with chromium() as browser:
            result = await visit(browser, self.base + self.tool_url, True, self.sizes.timeout_s)
        if result.kernel_id and result.kernel_id in self.view.kernels():
            await shut_down(self.base, result.kernel_id)
        if result.kernel_id:
            await asyncio.to_thread(wait_for_kernel_exit, self.view, {result.kernel_id}, 30)
        await self.refilled(result.kernel_id, filled)
        prefix = self.base + "/"
        self.assets = sorted({url for url in result.assets if url.startswith(prefix)})
        # nginx keeps a copy of a static file per Accept-Encoding the replica's Vary names, and the replayed
        # visitors ask differently from Chromium: one unrecorded replay fills their copies too.
        filled = self.pools_filled()
        warm = await arrive(self.base, self.tool_url, self.assets, self.sizes.timeout_s)
        await self.refilled(warm.kernel_id, filled)
        await self.leave_all([warm])
        summary = {"first_heading_s": result.heading_s, "first_widget_s": result.widget_s, "error": result.error}
        summary["assets"] = len(self.assets)
        summary["replica"] = result.kernel_id[:2] if result.kernel_id else None
        return {k: v for k, v in summary.items() if v is not None}

    async def lone_readers(self) -> dict[str, Any]:
        """Every finished page read twice, one at a time (so both replicas serve some)."""
        await self.quiet()
        reads: list[RawRead] = []
        since, before = time.time(), cpu_seconds(self.view.tree())
        for number in range(2 * len(self.sizes.reader_pages)):
            reads.append(await read(self.base, self.reader_page(number), 30))
        cpu, nginx = self.cpu_since(before)
        summary = self.parts.summarize_reads(reads)
        summary["cluster_cpu_per_read_s"] = round(cpu / len(reads), 4)
        summary["nginx_cpu_per_read_s"] = round(nginx / len(reads), 4)
        with_reason(summary, "html_median_s", median([r.html_s for r in reads]), "no page was read")
        summary["html_samples_s"] = [r.html_s for r in reads]
        summary["spread"] = self.spread(since, time.time())
        return summary

    async def readers_at_once(self, readers: int) -> dict[str, Any]:
        await self.quiet()
        since, before = time.time(), cpu_seconds(self.view.tree())
        client_before = cpu_seconds([psutil.Process()])
        t0 = time.perf_counter()
        reads = await asyncio.gather(*(read(self.base, self.reader_page(n), 60) for n in range(readers)))
        wall = time.perf_counter() - t0
        cpu, nginx = self.cpu_since(before)
        summary = self.parts.summarize_reads(reads)
        summary.update(
            wall_s=round(wall, 2),
            cluster_cpu_s=cpu,
            nginx_cpu_s=nginx,
            client_cpu_s=cpu_used(client_before, cpu_seconds([psutil.Process()])),
            spread=self.spread(since, time.time()),
        )
        return summary

    async def lone_tool_visitors(self) -> dict[str, Any]:
        """One tool user at a time, as bench's lone visitor: CPU at request, then with the pool's next kernel."""
        visits: list[RawVisit] = []
        at_request: list[float | None] = []
        with_refill: list[float | None] = []
        nginx: list[float | None] = []
        kernel: list[float | None] = []
        since = time.time()
        for _ in range(self.sizes.lone_visits):
            await self.quiet()
            filled = self.pools_filled()
            before = cpu_seconds(self.view.tree())
            result = await arrive(self.base, self.tool_url, self.assets, 60)
            at_request.append(cpu_used(before, cpu_seconds(self.view.tree())))
            alive = self.view.kernels().get(result.kernel_id or "")
            kernel.append(memory_of([alive]).pss_mb if alive else None)
            refilled = await self.refilled(result.kernel_id, filled)
            cpu, proxy = self.cpu_since(before)
            with_refill.append(cpu if refilled else None)
            nginx.append(proxy)
            visits.append(result)
            await self.leave_all([result])
        summary: dict[str, Any] = {"visits": len(visits), "errors": sum(1 for v in visits if v.error)}
        summary["error_samples"] = [v.error for v in visits if v.error][:3]
        with_reason(summary, "cluster_cpu_per_visit_s", median(at_request), "no visit was measured")
        reason = "the pool did not report itself refilled within 60 s"
        with_reason(summary, "cluster_cpu_per_visit_with_pool_refill_s", median(with_refill), reason)
        with_reason(summary, "nginx_cpu_per_visit_s", median(nginx), "no visit was measured")
        with_reason(summary, "kernel_pss_mb", median(kernel), "no visit's kernel was found")
        with_reason(summary, "ready_median_s", median([v.ready_s for v in visits]), "no replayed visit was ready")
        with_reason(summary, "html_median_s", median([v.html_s for v in visits]), "no page was received")
        summary["tool_users_by_replica"] = dict(sorted(Counter(v.kernel_id[:2] for v in visits if v.kernel_id).items()))
        summary["spread"] = self.spread(since, time.time())
        return summary

    async def tool_level(self, visitors: int, over_s: float = 0) -> dict[str, Any]:
        """``visitors`` tool users arriving together (or over ``over_s`` seconds); memory with all connected; CPU
        again once quiet."""
        await self.quiet()
        idle = self.view.memory()
        filled = self.pools_filled()
        since, before = time.time(), cpu_seconds(self.view.tree())
        client_before = cpu_seconds([psutil.Process()])
        t0 = time.perf_counter()
        visits = await self.arrivals(visitors, over_s)
        wall = time.perf_counter() - t0
        at_ready = cpu_used(before, cpu_seconds(self.view.tree()))
        client_cpu = cpu_used(client_before, cpu_seconds([psutil.Process()]))
        connected = self.view.memory()
        by_replica = Counter(v.kernel_id[:2] for v in visits if v.kernel_id)
        # Each replica that served someone starts kernels for its pool again; read the CPU once that is done.
        refilled = True
        for tag in sorted(by_replica):
            refilled &= await self.refilled(tag, filled)
        cpu, nginx = self.cpu_since(before)
        with_refill = cpu if refilled else None
        ended = await self.leave_all(visits)
        summary = self.parts.summarize_load(visits, wall, _total(connected), connected["kernels"])
        ok = [v for v in visits if v.ready_s is not None]
        summary.update(
            cluster_cpu_at_ready_s=at_ready,
            nginx_cpu_s=nginx,
            client_cpu_s=client_cpu,
            tool_users_by_replica=dict(sorted(by_replica.items())),
            memory_before=idle,
            memory_connected=connected,
            kernels_ended_after_leaving=ended,
            spread=self.spread(since, time.time()),
            arrived_over_s=over_s,
        )
        per_view = round(with_refill / len(ok), 3) if with_refill is not None and ok else None
        with_reason(summary, "cluster_cpu_with_pool_refill_s", with_refill, "the pools did not refill within 60 s")
        with_reason(summary, "cluster_cpu_per_view_with_pool_refill_s", per_view, "no visitor was ready or no refill")
        added = round((connected["total_pss_mb"] - idle["total_pss_mb"]) / len(ok), 1) if ok else None
        with_reason(summary, "pss_mb_added_per_tool_user", added, "no visitor was ready")
        return summary

    async def mixed(self, readers: int, tool_users: int) -> dict[str, Any]:
        await self.quiet()
        since, before = time.time(), cpu_seconds(self.view.tree())
        t0 = time.perf_counter()
        reading = asyncio.gather(*(read(self.base, self.reader_page(n), 60) for n in range(readers)))
        reads, visits = await asyncio.gather(reading, self.arrivals(tool_users))
        wall = time.perf_counter() - t0
        cpu, nginx = self.cpu_since(before)
        connected = self.view.memory()
        ended = await self.leave_all(visits)
        tool = self.parts.summarize_load(visits, wall, _total(connected), connected["kernels"])
        return {
            "visitors": readers + tool_users,
            "errors": sum(1 for r in reads if r.error) + tool["errors"],
            "wall_s": round(wall, 2),
            "readers": self.parts.summarize_reads(reads),
            "tool_users": {k: v for k, v in tool.items() if k not in SUMMARY_ONLY},
            "tool_users_by_replica": dict(sorted(Counter(v.kernel_id[:2] for v in visits if v.kernel_id).items())),
            "cluster_cpu_s": cpu,
            "nginx_cpu_s": nginx,
            "memory_connected": connected,
            "kernels_ended_after_leaving": ended,
            "spread": self.spread(since, time.time()),
        }

    def renders(self) -> dict[str, int]:
        """Reading pages each replica has rendered so far (not taken from the shared disk cache)."""
        return {
            tag: len(RENDERED.findall(self.view.on(tag).log.read_text(encoding="utf-8", errors="replace")))
            for tag in self.view.tags()
        }

    async def measure(self) -> dict[str, Any]:
        sizes, log = self.sizes, self.parts.log
        out: dict[str, Any] = {}
        renders = self.renders()
        log("through the proxy: idle cluster")
        await self.quiet()
        out["idle"] = self.view.memory()
        log("through the proxy: one Chromium visit (records the static files) and one unrecorded replay")
        out["first_visit"] = await self.first_visit()
        log("through the proxy: lone reader")
        readers: dict[str, Any] = {"lone": await self.lone_readers()}
        log(f"through the proxy: {sizes.readers} readers at once")
        readers["at_once"] = await self.readers_at_once(sizes.readers)
        out["readers"] = readers
        log("through the proxy: lone tool user")
        tools: dict[str, Any] = {"page": sizes.tool_page, "lone": await self.lone_tool_visitors(), "levels": {}}
        for level in sizes.tool_levels:
            log(f"through the proxy: {level} tool users at once")
            tools["levels"][str(level)] = await self.tool_level(level)
        if sizes.spread:
            log(f"through the proxy: {sizes.spread[0]} tool users arriving within {sizes.spread[1]:.0f} s")
            tools["spread"] = await self.tool_level(*sizes.spread)
        else:
            with_reason(tools, "spread", None, "skipped in --quick")
        out["tool_users"] = tools
        readers_n, tools_n = sizes.mixed
        log(f"through the proxy: {readers_n + tools_n} mixed visitors at once ({readers_n} readers, {tools_n} tool)")
        out["mixed"] = await self.mixed(readers_n, tools_n)
        await self.quiet()
        out["after"] = self.view.memory()
        # A reading page is rendered again when the package's files change (an edit in a checkout the replicas
        # run from): its kernel's CPU then lands in whatever was being measured.
        again = {tag: count - renders.get(tag, 0) for tag, count in self.renders().items()}
        out["reading_pages_rendered_while_measuring"] = again
        if any(again.values()):
            log(f"through the proxy: reading pages were rendered again while measuring ({again}): numbers disturbed")
        return out


def per_replica(result: dict[str, Any], cores: int) -> dict[str, Any]:
    """Capacity per core and per replica through the proxy, from the lone visitors' CPU and memory.

    ``_report.capacity`` does the arithmetic, as for one server; what goes in is the whole cluster's CPU
    per view (nginx's share included) and a replica's own server memory.
    """
    lone_tool, lone_reader = result["tool_users"]["lone"], result["readers"]["lone"]
    idle = result["idle"]["replicas"]
    tags = sorted(idle)
    server_mb = median([idle[tag]["server_rss_mb"] for tag in tags])
    as_one_server = {
        "load": {
            "lone": {
                "server_cpu_per_visit_s": lone_tool["cluster_cpu_per_visit_s"],
                "server_cpu_per_visit_with_pool_refill_s": lone_tool["cluster_cpu_per_visit_with_pool_refill_s"],
                "kernel_pss_mb": lone_tool["kernel_pss_mb"],
            }
        },
        "readers": {"lone": {"server_cpu_per_read_s": lone_reader["cluster_cpu_per_read_s"]}},
        "memory": {"server_rss_mb": server_mb},
    }
    cap = capacity(as_one_server)
    replicas = len(tags)
    cores_per_replica = cores / replicas if replicas else None
    out: dict[str, Any] = {"replicas": replicas, "cores": cores, "cores_per_replica": cores_per_replica, **cap}
    per_core = cap["page_views_per_core_per_s"]
    views = round(per_core * cores_per_replica, 2) if per_core and cores_per_replica else None
    with_reason(out, "page_views_per_replica_per_s", views, "no CPU per page view")
    pool = median([idle[tag]["kernels"] for tag in tags])
    limit = max_kernels(os.environ)
    out["kernel_cap_per_replica"] = limit
    out["preheated_kernels_per_replica"] = pool
    open_tools = int(limit - pool) if pool is not None else None
    with_reason(out, "open_tool_pages_per_replica", open_tools, "the replicas' kernels were not counted")
    replica_pss = median([idle[tag]["pss_mb"] for tag in tags])
    kernel = cap["memory_per_open_tool_page_mb"]
    full = round((replica_pss + open_tools * kernel) / 1024, 2) if replica_pss and open_tools and kernel else None
    with_reason(out, "replica_gb_at_cap", full, "a replica's memory or a kernel's was not measured")
    return out


def through_proxy(folder: Path, sizes: Sizes, parts: BenchParts, replicas: int = 2) -> dict[str, Any]:
    """Start nginx and ``replicas`` replicas in ``folder``, measure through nginx, stop them; the results."""
    started = time.perf_counter()
    result: dict[str, Any] = {
        "method": METHOD.format(replicas=replicas),
        "machine_at_start": {"cpus": psutil.cpu_count(), **_machine()},
    }
    parts.log(f"through the proxy: starting nginx and {replicas} replicas")
    with RunningCluster.start(replicas, folder) as cluster:
        result["start_s"] = round(time.perf_counter() - started, 1)
        result.update(asyncio.run(ProxyRun(cluster, sizes, parts).measure()))
        result["cluster_events"] = [line for _, line in cluster.events]
        result["machine_at_end"] = _machine(ClusterView(cluster))
    result["capacity"] = per_replica(result, psutil.cpu_count() or 1)
    result["duration_s"] = round(time.perf_counter() - started, 1)
    return result
