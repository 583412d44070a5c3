"""The benchmark's report: from a quick run's measurements, every ratio, goal and capacity figure as a number, or
null with the reason why; and what ``--quick`` plans to measure.

``data/bench_quick.json`` is the JSON ``python benchmarks/bench.py --quick --visits 1`` wrote (its real shape, the
notebooks folder made relative). Running the benchmark itself takes minutes, so the suite checks its report code
on that run's numbers; after changing what bench.py measures, run it and save its JSON there again. It checks the
shape of the results, never the timings (those depend on the machine).
"""

from __future__ import annotations

import copy
import importlib
import json
import math
import sys
from numbers import Real
from typing import Any

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
bench = importlib.import_module("bench")
report = importlib.import_module("_report")

QUICK_RUN = REPO / "tests" / "data" / "bench_quick.json"
COMPUTED = ("ratios", "goals", "capacity")

HEADING_PAGE = "01_epidural_steroid.ipynb"
TOOL_PAGE = "07_checklist.ipynb"
NUMBERS = [
    ("duration_s",),
    ("machine_at_start", "cpus"),
    ("machine_at_start", "memory_gb"),
    ("machine_at_start", "kernels_of_other_processes"),
    ("static_export_s", HEADING_PAGE),
    ("pages", HEADING_PAGE, "static", "first_heading_s"),
    ("pages", HEADING_PAGE, "app", "first_heading_s"),
    ("pages", HEADING_PAGE, "first_heading_vs_static"),
    ("memory", "visitor_kernel_rss_mb"),
    ("memory", "visitor_kernel_pss_mb"),
    ("memory", "bare_ipywidgets_kernel_rss_mb"),
    ("memory", "server_rss_mb"),
    ("load", "assets_per_visit"),
    ("load", "lone", "ready_median_s"),
    ("load", "lone", "html_median_s"),
    ("load", "levels", "10", "errors"),
    ("load", "levels", "10", "html_p95_s"),
    ("load", "levels", "10", "ready_p50_s"),
    ("load", "levels", "10", "ready_p95_s"),
    ("load", "levels", "10", "kernels_alive"),
    ("load", "levels", "10", "server_and_kernels_rss_mb"),
    ("load", "levels", "10", "server_and_kernels_pss_mb"),
    ("content", "fresh_process_import_s"),
    ("content", "fresh_process_first_load_s"),
    ("content", "in_process_load_s"),
    ("ratios", "first_heading_vs_static"),
    ("ratios", "kernel_rss_minus_bare_mb"),
    ("ratios", "content_load_s"),
    ("ratios", "p95_vs_lone_by_level", "10"),
    ("load", "lone", "server_cpu_per_visit_s"),
    ("load", "levels", "10", "server_cpu_s"),
    ("capacity", "memory_per_open_tool_page_mb"),
    ("capacity", "cpu_seconds_per_tool_page_view"),
    ("capacity", "cpu_seconds_per_reading_page_view"),
    ("capacity", "cpu_seconds_per_page_view"),
    ("capacity", "open_tool_pages_per_gb"),
    ("capacity", "open_pages_per_core"),
    ("capacity", "memory_gb_for_patients"),
    ("capacity", "cores_for_patients"),
    ("phone", HEADING_PAGE, "app", "bytes"),
    ("phone", HEADING_PAGE, "app", "first_text_s"),
    ("phone", HEADING_PAGE, "app", "blocked_ms"),
    ("phone", HEADING_PAGE, "static", "first_text_s"),
    ("phone", TOOL_PAGE, "app", "first_usable_control_s"),
    ("phone", TOOL_PAGE, "app", "requests"),
    ("phone", TOOL_PAGE, "app", "bytes"),
    ("phone_warm", "throttled", "network_bytes"),
    ("phone_warm", "throttled", "network_requests"),
    ("phone_warm", "throttled", "cached_requests"),
    ("phone_warm", "throttled", "resource_timing", "network_requests"),
    ("memory", "idle", "kernels"),
    ("memory", "idle", "server_and_kernels_rss_mb"),
    ("memory", "idle", "server_and_kernels_pss_mb"),
    ("memory", "idle", "rss_vs_before"),
    ("memory", "idle", "before", "rss_mb"),
    ("load", "lone", "server_cpu_per_visit_with_pool_refill_s"),
    ("readers", "lone", "html_median_s"),
    ("readers", "lone", "server_cpu_per_read_s"),
    ("readers", "at_once", "errors"),
    ("readers", "at_once", "html_p50_s"),
    ("readers", "at_once", "html_p95_s"),
    ("readers", "at_once", "server_cpu_s"),
    ("readers", "at_once", "server_and_kernels_rss_mb"),
    ("readers", "at_once", "kernels_alive"),
    ("mixed", "errors"),
    ("mixed", "readers", "html_p95_s"),
    ("mixed", "tool_users", "html_p95_s"),
    ("mixed", "tool_users", "ready_p50_s"),
    ("mixed", "tool_users", "ready_p95_s"),
    ("mixed", "server_and_kernels_rss_mb"),
    ("mixed", "server_and_kernels_pss_mb"),
    ("mixed", "kernels_alive"),
    ("ratios", "readers_p95_vs_lone"),
    ("ratios", "mixed_errors"),
    ("ratios", "phone_reading_kb"),
    ("ratios", "phone_tool_kb"),
    ("ratios", "phone_warm_kb"),
    ("ratios", "phone_warm_requests"),
    ("ratios", "cpu_per_tool_view_s"),
    ("ratios", "idle_rss_vs_before"),
    ("ratios", "phone_tool_requests"),
    ("ratios", "phone_tool_blocked_ms"),
    ("stock_front_end", "assets_per_visit"),
    ("stock_front_end", "loopback", "first_widget_s"),
    ("stock_front_end", "lone", "server_cpu_per_visit_s"),
    ("stock_front_end", "lone", "server_cpu_per_visit_with_pool_refill_s"),
    ("stock_front_end", "phone", "bytes"),
    ("stock_front_end", "phone", "requests"),
    ("stock_front_end", "phone", "first_usable_control_s"),
    ("stock_front_end", "phone_warm", "throttled", "network_bytes"),
    ("spawned_kernels", "lone", "server_cpu_per_visit_s"),
    ("spawned_kernels", "lone", "server_cpu_per_visit_with_pool_refill_s"),
    ("spawned_kernels", "lone", "kernel_pss_mb"),
    ("spawned_kernels", "idle", "server_and_kernels_rss_mb"),
    ("spawned_kernels", "idle", "server_and_kernels_pss_mb"),
    ("spawned_kernels", "level", "errors"),
    ("spawned_kernels", "level", "ready_p95_s"),
    ("spawned_kernels", "level", "server_cpu_s"),
]
NUMBERS_OR_REASONS = [
    ("phone", HEADING_PAGE, "app", "largest_text_s"),
    ("ratios", "first_widget_vs_static_heading"),
    ("ratios", "p95_at_50_vs_lone"),
    ("memory", "kernel_stopped_when_tab_closed"),
    ("plan", "widget_page"),
    ("phone_warm", "loopback"),
    ("ratios", "phone_reading_largest_text_s"),
    ("ratios", "phone_tool_usable_s"),
    ("ratios", "phone_warm_usable_s"),
    ("ratios", "errors_at_25"),
    ("ratios", "p95_ready_50_within_10_s"),
    ("ratios", "browser_crowd_widget_p95_s"),
    ("load", "spread"),
]
GOAL_KEYS = [
    "first_heading_vs_static",
    "first_widget_vs_static_heading",
    "kernel_rss_minus_bare_mb",
    "errors_at_25",
    "p95_at_50_vs_lone",
    "p95_ready_50_within_10_s",
    "proxy_p95_ready_50_within_10_s",
    "browser_crowd_widget_p95_s",
    "content_load_s",
    "phone_reading_kb",
    "phone_reading_first_text_s",
    "phone_reading_largest_text_s",
    "phone_reading_blocked_ms",
    "phone_tool_kb",
    "phone_tool_requests",
    "phone_tool_first_text_s",
    "phone_tool_usable_s",
    "phone_tool_blocked_ms",
    "phone_warm_usable_s",
    "phone_warm_kb",
    "phone_warm_requests",
    "cpu_per_tool_view_s",
    "idle_rss_vs_before",
    "readers_p95_vs_lone",
    "mixed_errors",
]


def _lookup(data: dict[str, Any], path: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    """The dict holding the last key of ``path``, and that key; fails naming the first missing step."""
    node: Any = data
    for depth, key in enumerate(path[:-1]):
        assert isinstance(node, dict) and key in node, f"{'.'.join(path)}: no {'.'.join(path[: depth + 1])}"
        node = node[key]
    assert isinstance(node, dict) and path[-1] in node, f"{'.'.join(path)}: missing"
    return node, path[-1]


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def _nulls_without_reason(node: Any, path: str = "") -> list[str]:
    if isinstance(node, list):
        return [p for i, item in enumerate(node) if isinstance(item, dict) for p in _nulls_without_reason(item, path)]
    if not isinstance(node, dict):
        return []
    missing = []
    for key, value in node.items():
        where = f"{path}.{key}" if path else key
        if value is None and not (isinstance(node.get(f"{key}_reason"), str) and node[f"{key}_reason"]):
            missing.append(where)
        missing += _nulls_without_reason(value, where)
    return missing


@pytest.fixture(scope="module")
def quick_run() -> dict[str, Any]:
    return json.loads(QUICK_RUN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(quick_run: dict[str, Any]) -> dict[str, Any]:
    """The quick run's measurements with the ratios, goals and capacity computed again by the report code."""
    measured = {key: value for key, value in copy.deepcopy(quick_run).items() if key not in COMPUTED}
    measured["ratios"], measured["goals"] = report.goals(measured, HEADING_PAGE, measured["plan"]["widget_page"])
    measured["capacity"] = report.capacity(measured)
    return measured


def test_quick_benchmark_writes_every_measurement_as_a_number(results: dict[str, Any]) -> None:
    assert results["mode"] == "quick"
    for path in NUMBERS:
        node, key = _lookup(results, path)
        assert _is_number(node[key]), f"{'.'.join(path)} = {node[key]!r}"


def test_quick_benchmark_gives_a_reason_for_every_value_it_could_not_measure(results: dict[str, Any]) -> None:
    for path in NUMBERS_OR_REASONS:
        node, key = _lookup(results, path)
        assert node[key] is not None or node.get(f"{key}_reason"), f"{'.'.join(path)} is null without a reason"
    assert _nulls_without_reason(results) == []


def test_a_measurement_that_failed_gives_null_ratios_goals_and_capacity_with_a_reason(
    quick_run: dict[str, Any],
) -> None:
    measured = {key: value for key, value in copy.deepcopy(quick_run).items() if key not in COMPUTED}
    lone = measured["load"]["lone"]
    for key in ("server_cpu_per_visit_s", "server_cpu_per_visit_with_pool_refill_s"):
        report.with_reason(lone, key, None, "the server's CPU could not be read")
    report.with_reason(measured["memory"], "visitor_kernel_rss_mb", None, "the visit's kernel was not found")
    del measured["phone"][TOOL_PAGE]
    measured["ratios"], measured["goals"] = report.goals(measured, HEADING_PAGE, TOOL_PAGE)
    measured["capacity"] = report.capacity(measured)
    assert _nulls_without_reason(measured) == []
    unmet = {goal["key"] for goal in measured["goals"] if goal["met"] is None}
    assert {"kernel_rss_minus_bare_mb", "cpu_per_tool_view_s", "phone_tool_kb", "phone_tool_usable_s"} <= unmet
    assert measured["capacity"]["cores_for_patients"] is None


def test_quick_benchmark_skips_the_fifty_visitor_level_and_says_so(results: dict[str, Any]) -> None:
    plan = bench.Plan.make(quick=True, visits=None)
    assert plan.load_levels == (10,)
    assert list(results["load"]["levels"]) == ["10"]
    assert results["ratios"]["p95_at_50_vs_lone"] is None
    assert "--quick" in results["ratios"]["p95_at_50_vs_lone_reason"]


def test_quick_benchmark_skips_the_crowds_a_class_makes_and_says_so(results: dict[str, Any]) -> None:
    plan = bench.Plan.make(quick=True, visits=None)
    assert plan.spread is None and plan.browser_crowd is None
    assert bench.Plan.make(quick=False, visits=None).spread == (50, 10.0)
    class_goals = ("errors_at_25", "p95_ready_50_within_10_s", "proxy_p95_ready_50_within_10_s")
    for key in (*class_goals, "browser_crowd_widget_p95_s"):
        assert results["ratios"][key] is None and results["ratios"][f"{key}_reason"], key


def test_a_class_at_once_meets_its_goals_only_without_errors(quick_run: dict[str, Any]) -> None:
    measured = {key: value for key, value in copy.deepcopy(quick_run).items() if key not in COMPUTED}
    levels = measured["load"]["levels"]
    levels["25"] = {**levels["10"], "errors": 1}
    measured["load"]["spread"] = {**levels["10"], "ready_p95_s": 4.0, "errors": 2}
    ratios, checked = report.goals(measured, HEADING_PAGE, TOOL_PAGE)
    goals = {goal["key"]: goal for goal in checked}
    assert (ratios["errors_at_25"], goals["errors_at_25"]["met"]) == (1, False)
    # p95 within its 10 s, but two visitors failed: not met.
    assert (goals["p95_ready_50_within_10_s"]["value"], goals["p95_ready_50_within_10_s"]["met"]) == (4.0, False)
    levels["25"]["errors"] = measured["load"]["spread"]["errors"] = 0
    goals = {goal["key"]: goal for goal in report.goals(measured, HEADING_PAGE, TOOL_PAGE)[1]}
    assert goals["errors_at_25"]["met"] is True and goals["p95_ready_50_within_10_s"]["met"] is True


def test_the_lite_and_stock_front_ends_are_reported_side_by_side_from_the_same_run(
    results: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    stock = results["stock_front_end"]
    assert stock["front_end"] == "stock" and stock["page"] == TOOL_PAGE
    rows = report.front_ends(results)
    assert len(rows) >= 10 and all(len(row) == 3 for row in rows)
    by_name = {name: (lite, voila) for name, lite, voila in rows}
    lite_kb, stock_kb = by_name["phone, cold: KB"]
    assert lite_kb == round(results["phone"][TOOL_PAGE]["app"]["bytes"] / 1e3, 1)
    assert stock_kb == round(stock["phone"]["bytes"] / 1e3, 1)
    assert by_name["static files per visit"] == (results["load"]["assets_per_visit"], stock["assets_per_visit"])
    report.print_table(results)
    assert "beside Voila's own, same run" in capsys.readouterr().out
    assert report.front_ends({**results, "stock_front_end": None}) == []


def test_forked_and_spawned_kernels_are_reported_side_by_side_from_the_same_run(
    results: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    spawned = results["spawned_kernels"]
    assert spawned["kernel_start"] == "spawn"
    rows = report.kernel_starts(results)
    assert all(len(row) == 3 for row in rows)
    by_name = {name: (forked, spawn) for name, forked, spawn in rows}
    assert by_name["server CPU s per tool view, with the pool's next kernel"] == (
        results["load"]["lone"]["server_cpu_per_visit_with_pool_refill_s"],
        spawned["lone"]["server_cpu_per_visit_with_pool_refill_s"],
    )
    level = spawned["level"]["visitors"]
    assert by_name[f"{level} tool users at once: errors"] == (
        results["load"]["levels"][str(level)]["errors"],
        spawned["level"]["errors"],
    )
    report.print_table(results)
    assert "kernels forked from the zygote beside spawned ones, same run" in capsys.readouterr().out
    assert report.kernel_starts({**results, "spawned_kernels": None}) == []


def test_quick_benchmark_checks_each_speed_memory_and_load_goal(results: dict[str, Any]) -> None:
    goals = {goal["key"]: goal for goal in results["goals"]}
    assert list(goals) == GOAL_KEYS
    for key, goal in goals.items():
        assert _is_number(goal["limit"]), key
        if goal["value"] is None:
            assert goal["met"] is None and goal["met_reason"], key
        else:
            assert _is_number(goal["value"]) and isinstance(goal["met"], bool), key


def test_the_printed_table_shows_the_goals(results: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    report.print_table(results)
    printed = capsys.readouterr().out
    assert report.GOALS_TITLE in printed
    assert all(goal in printed for goal, _, _ in report.GOALS)


def test_quick_benchmark_times_the_first_usable_widget_of_the_checklist(results: dict[str, Any]) -> None:
    assert bench.Plan.make(quick=True, visits=None).widget_page == TOOL_PAGE
    page = results["plan"]["widget_page"]
    assert page == TOOL_PAGE
    assert _is_number(results["pages"][page]["app"]["first_widget_s"])
    assert _is_number(results["ratios"]["first_widget_vs_static_heading"])
    assert results["load"]["levels"]["10"]["widget_models"] > 0


def test_quick_benchmark_reads_finished_pages_without_a_kernel_alone_and_mixed(results: dict[str, Any]) -> None:
    plan = bench.Plan.make(quick=True, visits=None)
    assert HEADING_PAGE in plan.reader_pages and TOOL_PAGE not in plan.reader_pages
    assert (plan.readers, plan.mixed) == (50, (7, 3))
    readers = results["readers"]
    assert HEADING_PAGE in readers["pages"] and TOOL_PAGE not in readers["pages"]
    assert readers["at_once"]["readers"] == 50
    assert readers["lone"]["gzip"] is True
    # Readers start no kernel: only the preheated pool is alive while fifty of them read.
    assert readers["at_once"]["kernels_alive"] == readers["at_once"]["kernels_alive_before"]
    mixed = results["mixed"]
    assert (mixed["readers"]["readers"], mixed["tool_users"]["visitors"]) == (7, 3)
    assert mixed["tool_users"]["widget_models"] > 0


def test_quick_benchmark_loads_a_second_tool_page_warm_on_the_phone(results: dict[str, Any]) -> None:
    assert bench.Plan.make(quick=True, visits=None).warm_pages == (TOOL_PAGE, "08_care_plan.ipynb")
    warm = results["phone_warm"]
    assert (warm["first_page"], warm["page"]) == (TOOL_PAGE, "08_care_plan.ipynb")
    second = warm["throttled"]
    assert second["requests"] == second["network_requests"] + second["cached_requests"] + second["failed_requests"]
    assert second["cached_requests"] > 0  # the front end came from the cache, not the network


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [([3.0, 1.0, 2.0], 0.5, 2.0), (list(map(float, range(1, 11))), 0.95, 10.0), ([], 0.5, None)],
)
def test_a_percentile_is_the_nearest_rank(values: list[float], share: float, expected: float | None) -> None:
    assert report.percentile(values, share) == expected


def test_a_ratio_of_something_not_measured_is_null() -> None:
    assert report.ratio(3.0, 2.0) == 1.5
    assert report.ratio(None, 2.0) is None and report.ratio(3.0, 0) is None and report.ratio(3.0, None) is None
    assert report.median([None, 1.0, 3.0]) == 2.0 and report.median([None]) is None
