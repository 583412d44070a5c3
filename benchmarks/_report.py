"""Ratios, the goals they are held to, and the printed table: everything computed from the measured numbers."""

from __future__ import annotations

import math
import statistics
from typing import Any

GOALS_TITLE = "Goals: app speed against the static export, the phone, memory and CPU, visitors at once, content load"
# (goal, key in the ratios, limit). A goal whose ratios also hold "<key>_errors" is met only with 0 errors.
GOALS = (
    ("reading page: first heading (loopback) <= 1.2x the static HTML export", "first_heading_vs_static", 1.2),
    ("tool page: first usable widget (loopback) <= 3x the static export's first heading",
     "first_widget_vs_static_heading", 3.0),
    ("one visitor's kernel <= bare ipywidgets kernel + 15 MB", "kernel_rss_minus_bare_mb", 15.0),
    ("25 tool users at once on one replica: 0 errors", "errors_at_25", 0),
    ("50 visitors at once: 0 errors, p95 ready <= 4x a lone visitor", "p95_at_50_vs_lone", 4.0),
    ("50 tool users arriving within 10 s on one replica: 0 errors, p95 ready <= 10 s",
     "p95_ready_50_within_10_s", 10.0),
    ("the same 50 through the proxy, 2 replicas on 2 cores (--cluster): 0 errors, p95 ready <= 10 s",
     "proxy_p95_ready_50_within_10_s", 10.0),
    ("10 Chromium visitors at once: first usable widget p95 <= 10 s", "browser_crowd_widget_p95_s", 10.0),
    ("content load and validation <= 100 ms", "content_load_s", 0.1),
    ("phone, reading pages: cold transfer <= 150 KB (heaviest page)", "phone_reading_kb", 150.0),
    ("phone, reading pages: first text <= 2.5 s (slowest page)", "phone_reading_first_text_s", 2.5),
    ("phone, reading pages: largest text <= 2.5 s (slowest page)", "phone_reading_largest_text_s", 2.5),
    ("phone, reading pages: main thread blocked <= 200 ms (worst page)", "phone_reading_blocked_ms", 200.0),
    ("phone, tool page: cold transfer <= 400 KB", "phone_tool_kb", 400.0),
    ("phone, tool page: cold, <= 10 requests", "phone_tool_requests", 10),
    ("phone, tool page: first text <= 1 s", "phone_tool_first_text_s", 1.0),
    ("phone, tool page: first usable widget <= 5 s", "phone_tool_usable_s", 5.0),
    ("phone, tool page: main thread blocked <= 600 ms", "phone_tool_blocked_ms", 600.0),
    ("phone, second tool page (warm): usable <= 2.5 s", "phone_warm_usable_s", 2.5),
    ("phone, second tool page (warm): <= 150 KB on the wire", "phone_warm_kb", 150.0),
    ("phone, second tool page (warm): <= 10 requests reach the network", "phone_warm_requests", 10),
    ("server CPU per tool page view, the pool's next kernel included <= 0.6 CPU-s", "cpu_per_tool_view_s", 0.6),
    ("idle server with its kernel pool <= half the memory before (RSS)", "idle_rss_vs_before", 0.5),
    ("readers at once (200; 50 in --quick): 0 errors, p95 <= 2x a lone reader", "readers_p95_vs_lone", 2.0),
    ("mixed visitors at once (50; 10 in --quick), 7 readers to 3 tool users: 0 errors", "mixed_errors", 0),
)  # fmt: skip


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: p95 of 10 samples is the slowest one, of 50 the third slowest."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(round(share * len(ordered), 9)) - 1)], 3)


def with_reason(data: dict[str, Any], key: str, value: float | None, reason: str) -> dict[str, Any]:
    data[key] = value
    if value is None:
        data[f"{key}_reason"] = reason
    return data


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def _ratios(result: dict[str, Any], heading_page: str, widget_page: str | None) -> dict[str, Any]:
    pages, memory, load = result["pages"], result["memory"], result["load"]
    ratios: dict[str, Any] = {}
    with_reason(ratios, "first_heading_vs_static", pages[heading_page]["first_heading_vs_static"], "not measured")
    if widget_page:
        # The widget page's own export may have no h1 (a heading drawn by a widget is not in a static
        # export); then the injection page's export is the static yardstick.
        basis = widget_page if pages[widget_page]["static"]["first_heading_s"] else heading_page
        widget = ratio(pages[widget_page]["app"]["first_widget_s"], pages[basis]["static"]["first_heading_s"])
        with_reason(ratios, "first_widget_vs_static_heading", widget, "a widget or the static heading was not measured")
        ratios["first_widget_vs_static_heading_basis"] = f"static export of {basis}"
    else:
        reason = pages[heading_page]["app"]["first_widget_s_reason"]
        with_reason(ratios, "first_widget_vs_static_heading", None, reason)
    kernel, bare = memory["visitor_kernel_rss_mb"], memory["bare_ipywidgets_kernel_rss_mb"]
    extra = round(kernel - bare, 1) if kernel is not None else None
    with_reason(ratios, "kernel_rss_minus_bare_mb", extra, "the visitor's kernel was not measured")
    lone = load["lone"]["ready_median_s"]
    by_level = {level: ratio(data["ready_p95_s"], lone) for level, data in load["levels"].items()}
    ratios["p95_vs_lone_by_level"] = by_level
    reason = "the 50-visitor level runs only without --quick" if "50" not in by_level else "not measured"
    with_reason(ratios, "p95_at_50_vs_lone", by_level.get("50"), reason)
    at_25 = load["levels"].get("25")
    with_reason(ratios, "errors_at_25", at_25 and at_25["errors"], "the 25-visitor level runs only without --quick")
    spread = load.get("spread") or {}
    with_reason(ratios, "p95_ready_50_within_10_s", spread.get("ready_p95_s"), spread.get("ready_p95_s_reason")
                or "50 arriving within 10 s runs only without --quick")  # fmt: skip
    if spread.get("errors") is not None:
        ratios["p95_ready_50_within_10_s_errors"] = spread["errors"]
    proxy_tools = (result.get("cluster") or {}).get("tool_users") or {}
    proxy = proxy_tools.get("spread") or {}
    reason = proxy_tools.get("spread_reason") or result.get("cluster_reason")
    with_reason(ratios, "proxy_p95_ready_50_within_10_s", proxy.get("ready_p95_s"), reason or "not measured")
    if proxy.get("errors") is not None:
        ratios["proxy_p95_ready_50_within_10_s_errors"] = proxy["errors"]
    crowd = load.get("browser_crowd") or {}
    with_reason(ratios, "browser_crowd_widget_p95_s", crowd.get("first_widget_p95_s"),
                crowd.get("first_widget_p95_s_reason") or crowd.get("visitors_reason") or "not measured")  # fmt: skip
    if crowd.get("errors") is not None:
        ratios["browser_crowd_widget_p95_s_errors"] = crowd["errors"]
    with_reason(ratios, "content_load_s", result["content"]["fresh_process_first_load_s"], "not measured")
    _phone_ratios(ratios, result, widget_page)
    _load_ratios(ratios, result)
    return ratios


def _worst(
    ratios: dict[str, Any], key: str, measured: dict[str, dict[str, Any]], field: str, scale: float, reason: str
) -> None:
    """The worst of ``field`` over the pages ``measured`` (page -> one phone load), and which page it was."""
    values = {page: m.get(field) for page, m in measured.items()}
    present = {page: v for page, v in values.items() if v is not None}
    missing = sorted(page for page, v in values.items() if v is None)
    if not present or missing:
        with_reason(ratios, key, None, f"{reason}: {', '.join(missing) or 'no page'}")
        return
    page = max(present, key=lambda p: present[p])
    ratios[key] = round(present[page] / scale, 2)
    ratios[f"{key}_page"] = page


def _phone_ratios(ratios: dict[str, Any], result: dict[str, Any], widget_page: str | None) -> None:
    phone = result.get("phone", {})
    reading = {page: kinds["app"] for page, kinds in phone.items() if page != widget_page}
    for key, field, scale in (
        ("phone_reading_kb", "bytes", 1e3),
        ("phone_reading_first_text_s", "first_text_s", 1),
        ("phone_reading_largest_text_s", "largest_text_s", 1),
        ("phone_reading_blocked_ms", "blocked_ms", 1),
    ):
        _worst(ratios, key, reading, field, scale, "not measured on the phone for")
    tool = {widget_page: phone[widget_page]["app"]} if widget_page in phone else {}
    for key, field, scale in (
        ("phone_tool_kb", "bytes", 1e3),
        ("phone_tool_requests", "requests", 1),
        ("phone_tool_first_text_s", "first_text_s", 1),
        ("phone_tool_usable_s", "first_usable_control_s", 1),
        ("phone_tool_blocked_ms", "blocked_ms", 1),
    ):
        _worst(ratios, key, tool, field, scale, "the tool page was not measured on the phone")
    warm = result.get("phone_warm", {}).get("throttled") or {}
    reason = warm.get("error") or result.get("phone_warm", {}).get("bytes_reason") or "not measured"
    kb = round(warm["network_bytes"] / 1e3, 1) if "network_bytes" in warm else None
    with_reason(ratios, "phone_warm_kb", kb, reason)
    with_reason(ratios, "phone_warm_requests", warm.get("network_requests"), reason)
    with_reason(ratios, "phone_warm_usable_s", warm.get("first_usable_control_s"), reason)


def _load_ratios(ratios: dict[str, Any], result: dict[str, Any]) -> None:
    lone = result["load"]["lone"]
    # A tool page view's whole cost: its requests and the kernel the pool starts and renders to replace the
    # one it took (the kernel start is paid per view, only earlier). The request-time part is beside it.
    refill = lone["server_cpu_per_visit_with_pool_refill_s"]
    with_reason(ratios, "cpu_per_tool_view_s", refill, "the pool's refill was not measured")
    with_reason(
        ratios,
        "cpu_per_tool_view_s_at_request",
        lone["server_cpu_per_visit_s"],
        "the lone visitor's CPU was not measured",
    )
    idle = result["memory"]["idle"]
    with_reason(ratios, "idle_rss_vs_before", idle["rss_vs_before"], idle.get("rss_vs_before_reason", ""))
    readers = result["readers"]
    if readers.get("lone") is None:
        with_reason(ratios, "readers_p95_vs_lone", None, readers["lone_reason"])
        with_reason(ratios, "mixed_errors", None, readers["lone_reason"])
        return
    at_once = readers["at_once"]
    p95 = ratio(at_once["html_p95_s"], readers["lone"]["html_median_s"])
    with_reason(ratios, "readers_p95_vs_lone", p95, "the readers' html time was not measured")
    ratios["readers_p95_vs_lone_errors"] = at_once["errors"]
    ratios["readers_p95_vs_lone_at"] = at_once["readers"]
    ratios["mixed_errors"] = result["mixed"]["errors"]
    ratios["mixed_errors_at"] = result["mixed"]["visitors"]


PATIENTS = 10_000
SECONDS_BETWEEN_PAGES = 120  # assumed: a patient opens a new page (a new kernel) every two minutes
TARGET_CPU_USE = 0.5  # headroom so a burst of arrivals does not queue behind a full CPU
TOOL_SHARE = 0.3  # assumed, as the mixed load: about 3 page views in 10 are tool pages, 7 are reading


def capacity(result: dict[str, Any]) -> dict[str, Any]:
    """Visitors per core and per GB, and what 10,000 patients at once would need, from this run's numbers.

    A page view is a tool page with probability TOOL_SHARE, else a reading page. A tool page view takes a
    preheated kernel and the pool starts and renders the next one (its CPU, with the refill); its kernel
    stays in memory while the page is open (PSS, so shared library pages count once). A reading page is
    finished HTML: milliseconds of CPU and no kernel. Plus one server per replica (one replica per core).
    """
    lone = result["load"]["lone"]
    out: dict[str, Any] = {
        "patients": PATIENTS,
        "assumed_seconds_between_page_views": SECONDS_BETWEEN_PAGES,
        "assumed_target_cpu_use": TARGET_CPU_USE,
        "assumed_tool_share_of_page_views": TOOL_SHARE,
    }
    tool = lone["server_cpu_per_visit_with_pool_refill_s"] or lone["server_cpu_per_visit_s"]
    out["cpu_basis"] = (
        "server_cpu_per_visit_with_pool_refill_s" if lone["server_cpu_per_visit_with_pool_refill_s"] else
        "server_cpu_per_visit_s (the pool's refill was not measured)"
    )  # fmt: skip
    reader = (result.get("readers", {}).get("lone") or {}).get("server_cpu_per_read_s")
    cpu = round(TOOL_SHARE * tool + (1 - TOOL_SHARE) * reader, 3) if tool and reader is not None else None
    kernel, server = lone["kernel_pss_mb"], result["memory"]["server_rss_mb"]
    with_reason(out, "memory_per_open_tool_page_mb", kernel, "the lone visitor's kernel was not measured")
    with_reason(out, "server_mb_per_replica", server, "the server was not measured")
    with_reason(out, "cpu_seconds_per_tool_page_view", tool, "the lone visitor's CPU was not measured")
    with_reason(out, "cpu_seconds_per_reading_page_view", reader, "no lone reader was measured")
    with_reason(out, "cpu_seconds_per_page_view", cpu, "the tool or reading page CPU was not measured")
    with_reason(out, "open_tool_pages_per_gb", round(1024 / kernel) if kernel else None, "no memory per page")
    views = round(TARGET_CPU_USE / cpu, 2) if cpu else None
    with_reason(out, "page_views_per_core_per_s", views, "no CPU per page view")
    with_reason(
        out, "open_pages_per_core", round(views * SECONDS_BETWEEN_PAGES) if views else None, "no CPU per page view"
    )
    cores = math.ceil(PATIENTS / SECONDS_BETWEEN_PAGES * cpu / TARGET_CPU_USE) if cpu else None
    with_reason(out, "cores_for_patients", cores, "no CPU per page view")
    open_tools = PATIENTS * TOOL_SHARE
    memory = math.ceil((open_tools * kernel + cores * server) / 1024) if kernel and server and cores else None
    with_reason(out, "memory_gb_for_patients", memory, "no memory per page or per server")
    return out


def goals(result: dict[str, Any], heading_page: str, widget_page: str | None) -> tuple[dict, list[dict]]:
    """The ratios, and each goal with its value and whether it is met (null when it could not be measured)."""
    ratios = _ratios(result, heading_page, widget_page)
    checked = []
    for goal, key, limit in GOALS:
        value = ratios[key]
        entry: dict[str, Any] = {"goal": goal, "key": key, "limit": limit, "value": value}
        if value is None:
            entry["value_reason"] = ratios[f"{key}_reason"]
            with_reason(entry, "met", None, ratios[f"{key}_reason"])
        else:
            met = value <= limit
            if key == "p95_at_50_vs_lone":
                entry["errors"] = result["load"]["levels"]["50"]["errors"]
            elif key == "errors_at_25":
                pass  # the value is the errors
            elif f"{key}_errors" in ratios:
                entry["errors"] = ratios[f"{key}_errors"]
            if "errors" in entry:
                met = met and entry["errors"] == 0
            for extra in ("page", "at", "at_request"):
                if f"{key}_{extra}" in ratios:
                    entry[extra] = ratios[f"{key}_{extra}"]
            entry["met"] = met
        checked.append(entry)
    return ratios, checked


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.0f}{unit}" if abs(value) >= 100 else f"{value:.3g}{unit}"
    return f"{value}{unit}"


def _rows(title: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    cells = [header, *[tuple(_fmt(c) if not isinstance(c, str) else c for c in row) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for row in cells:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def _phone_row(label: str, m: dict[str, Any]) -> tuple[Any, ...]:
    """One phone load; bytes and requests are those that crossed the network (a cold load: all of them)."""
    size, requests = m.get("network_bytes", m.get("bytes")), m.get("network_requests", m.get("requests"))
    if m.get("cached_requests"):
        requests = f"{requests} (+{m['cached_requests']} cached)"
    return (label, m.get("first_text_s"), m.get("largest_text_s"), m.get("blocked_ms"),
            m.get("first_usable_control_s"), size if size is None else round(size / 1e3), requests,
            m.get("error", ""))  # fmt: skip


def print_table(result: dict[str, Any]) -> None:
    start = result["machine_at_start"]
    print(
        f"backpain-edu benchmark ({result['mode']}, {result['plan']['visits']} visits, {result['duration_s']} s): "
        f"{start['cpus']} cores, load average {start['load_average']} at start, "
        f"{result['machine_at_end']['load_average']} at end; {start['kernels_of_other_processes']} kernels "
        f"of other processes running; Voila {start['voila']}, Chromium {start['chromium']}"
    )
    rows = []
    for page, data in result["pages"].items():
        static, app = data["static"], data["app"]
        rows.append(
            (page, static["first_heading_s"], app["first_heading_s"], app["first_widget_s"],
             data["first_heading_vs_static"], app["errors"])
        )  # fmt: skip
    _rows("Median seconds from navigation start", ("page", "static h1", "app h1", "app widget", "h1 x", "errors"), rows)
    rows = []
    for page, kinds in result.get("phone", {}).items():
        for kind, m in kinds.items():
            rows.append(_phone_row(f"{page} {kind} (cold)", m))
    warm = result.get("phone_warm", {})
    for kind in ("throttled", "loopback"):
        if isinstance(warm.get(kind), dict):
            rows.append(_phone_row(f"{warm['page']} app after {warm['first_page']} (warm, {kind})", warm[kind]))
    _rows(
        "Emulated phone (slow 4G, CPU 4x): each page cold; a second tool page warm (KB and requests: over the network)",
        ("page", "first text s", "largest text s", "blocked ms", "usable control s", "KB", "requests", "error"),
        rows,
    )  # fmt: skip
    memory = result["memory"]
    _rows(
        f"Memory (MB), visitor's kernel on {memory['page']}",
        ("visitor kernel RSS", "USS", "PSS", "bare ipywidgets kernel RSS", "server RSS", "kernel stopped on close"),
        [(memory["visitor_kernel_rss_mb"], memory["visitor_kernel_uss_mb"], memory["visitor_kernel_pss_mb"],
          memory["bare_ipywidgets_kernel_rss_mb"], memory["server_rss_mb"], memory["kernel_stopped_when_tab_closed"])],
    )  # fmt: skip
    load = result["load"]
    lone = load["lone"]
    rows = [("1 (one at a time)", lone["errors"], lone["html_median_s"], "-", lone["ready_median_s"], "-", "-", "-",
             lone["server_cpu_per_visit_s"])]  # fmt: skip
    for level, data in load["levels"].items():
        rows.append(
            (level, data["errors"], data["html_p50_s"], data["html_p95_s"], data["ready_p50_s"], data["ready_p95_s"],
             data["server_and_kernels_rss_mb"], data["server_and_kernels_pss_mb"], data["server_cpu_s"])
        )  # fmt: skip
    _rows(
        f"Visitors at once on {load['page']} (replayed HTTP + websocket, {load['assets_per_visit']} static files each)",
        ("visitors", "errors", "html p50", "html p95", "ready p50", "ready p95", "RSS MB", "PSS MB", "server CPU s"),
        rows,
    )
    crowd = load["browser_crowd"]
    if crowd.get("visitors"):
        _rows(
            "Chromium contexts at once (client and server on the same cores)",
            ("visitors", "errors", "h1 p50", "h1 p95", "widget p50", "widget p95"),
            [(crowd["visitors"], crowd["errors"], crowd["first_heading_p50_s"], crowd["first_heading_p95_s"],
              crowd["first_widget_p50_s"], crowd["first_widget_p95_s"])],
        )  # fmt: skip
    idle = memory["idle"]
    before = idle["before"]
    _rows(
        "Idle server with its kernel pool, right after start (MB)",
        ("kernels", "RSS", "PSS", "server RSS", f"before: {before['kernels']} kernels RSS", "PSS", "RSS x", "PSS x"),
        [(idle["kernels"], idle["server_and_kernels_rss_mb"], idle["server_and_kernels_pss_mb"], idle["server_rss_mb"],
          before["rss_mb"], before["pss_mb"], idle["rss_vs_before"], idle["pss_vs_before"])],
    )  # fmt: skip
    readers = result["readers"]
    if readers.get("lone"):
        lone, crowd = readers["lone"], readers["at_once"]
        _rows(
            f"Readers of the {len(readers['pages'])} finished pages (replayed GET, gzip; seconds to the last byte)",
            ("readers", "errors", "html p50", "html p95", "KB max", "server CPU s", "RSS MB", "PSS MB", "kernels"),
            [("1 (one at a time)", lone["errors"], lone["html_median_s"], "-", lone["wire_kb_max"],
              lone["server_cpu_per_read_s"], "-", "-", "-"),
             (crowd["readers"], crowd["errors"], crowd["html_p50_s"], crowd["html_p95_s"], crowd["wire_kb_max"],
              crowd["server_cpu_s"], crowd["server_and_kernels_rss_mb"], crowd["server_and_kernels_pss_mb"],
              crowd["kernels_alive"])],
        )  # fmt: skip
        mixed = result["mixed"]
        r, t = mixed["readers"], mixed["tool_users"]
        _rows(
            f"Mixed visitors at once: readers and tool users on {mixed['tool_page']} (memory with all connected)",
            ("kind", "visitors", "errors", "html p50", "html p95", "ready p50", "ready p95", "RSS MB", "PSS MB",
             "kernels", "server CPU s"),
            [("readers", r["readers"], r["errors"], r["html_p50_s"], r["html_p95_s"], "-", "-", "", "", "", ""),
             ("tool users", t["visitors"], t["errors"], t["html_p50_s"], t["html_p95_s"], t["ready_p50_s"],
              t["ready_p95_s"], "", "", "", ""),
             ("all", mixed["visitors"], mixed["errors"], "", "", "", "", mixed["server_and_kernels_rss_mb"],
              mixed["server_and_kernels_pss_mb"], mixed["kernels_alive"], mixed["server_cpu_s"])],
        )  # fmt: skip
    content = result["content"]
    _rows(
        "Content (seconds)",
        ("import (fresh process)", "first load (fresh process)", "load again (in process)"),
        [(content["fresh_process_import_s"], content["fresh_process_first_load_s"], content["in_process_load_s"])],
    )
    page = result["plan"].get("widget_page")
    _print_side_by_side(
        f"Tool page {page}: the app's lite front end beside Voila's own, same run",
        ("lite", "stock Voila"),
        front_ends(result),
    )
    _print_side_by_side(
        f"Tool page {page}: kernels forked from the zygote beside spawned ones, same run",
        ("forked", "spawned"),
        kernel_starts(result),
    )
    cap = result["capacity"]
    _rows(
        f"Capacity ({cap['assumed_tool_share_of_page_views']:.0%} of page views on tool pages, each holding a kernel "
        "while open; CPU of a tool view with the pool's next kernel; "
        f"a new page every {cap['assumed_seconds_between_page_views']} s, "
        f"CPU kept under {cap['assumed_target_cpu_use']:.0%})",
        ("MB per open tool page", "CPU s per tool view", "CPU s per reading view", "CPU s per view",
         "open tool pages per GB", "open pages per core", f"{cap['patients']} patients: GB", "cores"),
        [(cap["memory_per_open_tool_page_mb"], cap["cpu_seconds_per_tool_page_view"],
          cap["cpu_seconds_per_reading_page_view"], cap["cpu_seconds_per_page_view"], cap["open_tool_pages_per_gb"],
          cap["open_pages_per_core"], cap["memory_gb_for_patients"], cap["cores_for_patients"])],
    )  # fmt: skip
    if result.get("cluster"):
        _print_cluster(result["cluster"])
    rows = [
        (g["goal"], g["limit"], g["value"], g["met"] if g["met"] is not None else "n/a", _goal_note(g))
        for g in result["goals"]
    ]
    _rows(GOALS_TITLE, ("goal", "limit", "value", "met", "note"), rows)


def front_ends(result: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The tool page with the app's lite front end and with Voila's stock one, measured in the same run:
    (what, lite, stock); ``[]`` when the stock one was not measured."""
    stock, page = result.get("stock_front_end"), result["plan"].get("widget_page")
    if not stock or not page:
        return []
    lite_phone = result.get("phone", {}).get(page, {}).get("app", {})
    lite_warm = (result.get("phone_warm") or {}).get("throttled") or {}
    stock_phone, stock_warm = stock["phone"], (stock.get("phone_warm") or {}).get("throttled") or {}
    lite_lone, stock_lone = result["load"]["lone"], stock["lone"]
    lite_crowd, stock_crowd = result["load"].get("browser_crowd") or {}, stock.get("browser_crowd") or {}

    def kb(load: dict[str, Any], key: str = "bytes") -> float | None:
        return round(load[key] / 1e3, 1) if load.get(key) is not None else None

    return [
        ("loopback: first usable widget, median s", result["pages"][page]["app"]["first_widget_s"],
         stock["loopback"]["first_widget_s"]),
        ("loopback: first usable widget / static export's first heading",
         result["ratios"].get("first_widget_vs_static_heading"), stock["first_widget_vs_static_heading"]),
        ("static files per visit", result["load"]["assets_per_visit"], stock["assets_per_visit"]),
        ("phone, cold: KB", kb(lite_phone), kb(stock_phone)),
        ("phone, cold: requests", lite_phone.get("requests"), stock_phone.get("requests")),
        ("phone, cold: first text s", lite_phone.get("first_text_s"), stock_phone.get("first_text_s")),
        ("phone, cold: main thread blocked ms", lite_phone.get("blocked_ms"), stock_phone.get("blocked_ms")),
        ("phone, cold: first usable widget s", lite_phone.get("first_usable_control_s"),
         stock_phone.get("first_usable_control_s")),
        ("phone, warm second tool page: usable s", lite_warm.get("first_usable_control_s"),
         stock_warm.get("first_usable_control_s")),
        ("phone, warm second tool page: KB on the wire", kb(lite_warm, "network_bytes"),
         kb(stock_warm, "network_bytes")),
        ("server CPU s per tool view, at request", lite_lone["server_cpu_per_visit_s"],
         stock_lone["server_cpu_per_visit_s"]),
        ("server CPU s per tool view, with the pool's next kernel",
         lite_lone["server_cpu_per_visit_with_pool_refill_s"], stock_lone["server_cpu_per_visit_with_pool_refill_s"]),
        ("10 Chromium visitors at once: first widget p50 s", lite_crowd.get("first_widget_p50_s"),
         stock_crowd.get("first_widget_p50_s")),
        ("10 Chromium visitors at once: first widget p95 s", lite_crowd.get("first_widget_p95_s"),
         stock_crowd.get("first_widget_p95_s")),
    ]  # fmt: skip


def _print_side_by_side(title: str, columns: tuple[str, str], rows: list[tuple[str, Any, Any]]) -> None:
    """One measure per row, the app's way and the alternative measured in the same run; nothing if not measured."""
    if rows:
        _rows(title, ("measure", *columns), rows)


def kernel_starts(result: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The tool page's kernels forked from the zygote and spawned as new interpreters, measured in the same run:
    (what, forked, spawned); ``[]`` when the spawned ones were not measured."""
    spawned = result.get("spawned_kernels")
    if not spawned:
        return []
    forked_lone, spawned_lone = result["load"]["lone"], spawned["lone"]
    forked_idle, spawned_idle = result["memory"]["idle"], spawned["idle"]
    level = spawned["level"]
    forked_level = result["load"]["levels"].get(str(level["visitors"]), {})
    rows = [
        (
            "server CPU s per tool view, at request",
            forked_lone["server_cpu_per_visit_s"],
            spawned_lone["server_cpu_per_visit_s"],
        ),
        (
            "server CPU s per tool view, with the pool's next kernel",
            forked_lone["server_cpu_per_visit_with_pool_refill_s"],
            spawned_lone["server_cpu_per_visit_with_pool_refill_s"],
        ),
        ("visitor's kernel PSS MB", forked_lone.get("kernel_pss_mb"), spawned_lone.get("kernel_pss_mb")),
        (
            "idle server with its pool: RSS MB",
            forked_idle["server_and_kernels_rss_mb"],
            spawned_idle["server_and_kernels_rss_mb"],
        ),
        (
            "idle server with its pool: PSS MB",
            forked_idle["server_and_kernels_pss_mb"],
            spawned_idle["server_and_kernels_pss_mb"],
        ),
    ]
    for key, what in (("errors", "errors"), ("ready_p95_s", "ready p95 s"), ("server_cpu_s", "server CPU s")):
        rows.append((f"{level['visitors']} tool users at once: {what}", forked_level.get(key), level.get(key)))
    return rows


def _goal_note(goal: dict[str, Any]) -> str:
    notes = []
    if goal.get("page"):
        notes.append(goal["page"])
    if goal.get("at") is not None:
        notes.append(f"at {goal['at']}")
    if goal.get("at_request") is not None:
        notes.append(f"{goal['at_request']} at request time; the rest starts the pool's next kernel")
    if goal.get("errors"):
        notes.append(f"{goal['errors']} errors")
    if goal["met"] is None:
        notes.append(goal.get("met_reason", ""))
    return "; ".join(notes)


def _by_replica(counts: dict[str, int]) -> str:
    return " / ".join(f"{tag}: {count}" for tag, count in counts.items()) or "-"


def _print_cluster(cluster: dict[str, Any]) -> None:
    """Through the proxy (``_cluster.py``): the visitors, then capacity per replica and per core."""
    cap, readers, tools, mixed = cluster["capacity"], cluster["readers"], cluster["tool_users"], cluster["mixed"]
    lone_read, lone_tool = readers["lone"], tools["lone"]
    crowd = readers["at_once"]
    rows = [
        ("readers, 1 at a time", lone_read["readers"], lone_read["errors"], lone_read["html_median_s"], "-",
         _by_replica(lone_read["spread"]["answered_by_replica"]), lone_read["spread"]["tried_another_replica_first"],
         lone_read["cluster_cpu_per_read_s"]),
        ("readers at once", crowd["readers"], crowd["errors"], crowd["html_p50_s"], crowd["html_p95_s"],
         _by_replica(crowd["spread"]["answered_by_replica"]), crowd["spread"]["tried_another_replica_first"],
         crowd["cluster_cpu_s"]),
        ("tool users, 1 at a time (ready)", lone_tool["visits"], lone_tool["errors"], lone_tool["ready_median_s"],
         "-", _by_replica(lone_tool["tool_users_by_replica"]), lone_tool["spread"]["tried_another_replica_first"],
         lone_tool["cluster_cpu_per_visit_with_pool_refill_s"]),
    ]  # fmt: skip
    levels = [(f"tool users at once (ready): {level}", data) for level, data in tools["levels"].items()]
    if tools.get("spread"):
        spread = tools["spread"]
        levels.append((f"tool users arriving within {spread['arrived_over_s']:.0f} s: {spread['visitors']}", spread))
    for name, data in levels:
        rows.append(
            (name, data["visitors"], data["errors"], data["ready_p50_s"],
             data["ready_p95_s"], _by_replica(data["tool_users_by_replica"]),
             data["spread"]["tried_another_replica_first"], data["cluster_cpu_per_view_with_pool_refill_s"])
        )  # fmt: skip
    tool = mixed["tool_users"]
    rows.append(
        (f"mixed {mixed['readers']['readers']} readers + {tool['visitors']} tool users (tool ready)",
         mixed["visitors"], mixed["errors"], tool["ready_p50_s"], tool["ready_p95_s"],
         _by_replica(mixed["tool_users_by_replica"]), mixed["spread"]["tried_another_replica_first"],
         mixed["cluster_cpu_s"])
    )  # fmt: skip
    start, end = cluster["machine_at_start"], cluster["machine_at_end"]
    _rows(
        f"Through the proxy: nginx and {cap['replicas']} replicas on {cap['cores']} cores ({cluster['duration_s']} s, "
        f"load average {start['load_average']} at start, {end['load_average']} at end, "
        f"{end['kernels_of_other_processes']} kernels of other processes at end); CPU of nginx, replicas and "
        "kernels; tool CPU per view with the pool's next kernel",
        ("visitors", "count", "errors", "p50 s", "p95 s", "tool users / requests by replica", "retried",
         "CPU s (per read / view / all)"),
        rows,
    )  # fmt: skip
    _rows(
        f"Capacity through the proxy, per replica (one per core; {cap['assumed_tool_share_of_page_views']:.0%} tool "
        f"page views, CPU kept under {cap['assumed_target_cpu_use']:.0%})",
        ("CPU s per tool view", "per reading view", "per view", "views/s per core", "views/s per replica",
         "open tool pages per replica (cap)", "open tool pages per GB", "replica GB at cap"),
        [(cap["cpu_seconds_per_tool_page_view"], cap["cpu_seconds_per_reading_page_view"],
          cap["cpu_seconds_per_page_view"], cap["page_views_per_core_per_s"], cap["page_views_per_replica_per_s"],
          f"{_fmt(cap['open_tool_pages_per_replica'])} ({cap['kernel_cap_per_replica']})",
          cap["open_tool_pages_per_gb"], cap["replica_gb_at_cap"])],
    )  # fmt: skip
