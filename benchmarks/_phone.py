"""A page as a patient's phone meets it: Chromium's DevTools protocol slows the network to slow 4G
(1.6 Mbit/s down, 750 kbit/s up, 150 ms) and the CPU 4x, then loads are measured.

Cold: each page loaded once in a fresh browser profile (an empty cache). Reported: bytes on the wire
and requests, first text painted, largest text painted, main-thread time blocked by long tasks, and
when the first control was usable.

Warm: a patient going from one tool to the next, in the same tab of the same profile, throttled the
same way: the second load's bytes on the wire and the requests that reached the network. An earlier
attempt found Chromium's cache counts under DevTools throttling did not add up, so each request of
the second load is classified from the protocol's own events, request by request:

* served from a cache: ``Network.requestServedFromCache`` (the memory cache), or
  ``Network.responseReceived`` with ``response.fromDiskCache`` / ``fromPrefetchCache`` /
  ``fromServiceWorker``;
* otherwise it reached the network (a 304 revalidation included): its bytes are
  ``Network.loadingFinished.encodedDataLength`` (headers and body as received);

and cross-checked against the page's own Resource Timing (``transferSize`` is 0 for a response from a
local cache). Only requests made by the second document count (``documentURL``): the first page's
exit beacon, sent while the second loads, is the first page's. When the two views disagree the
numbers are still reported, with ``consistent`` false and the difference spelled out.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from _report import with_reason
from playwright.async_api import Browser, BrowserContext, CDPSession, Page
from playwright.async_api import Error as PlaywrightError

PHONE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
PHONE_CPU_SLOWDOWN = 4
VIEWPORT = {"width": 375, "height": 812}
CONTROL = ".bpe-tool input, .bpe-tool select, .bpe-tool button"
TIMEOUT_MS = 120_000
CACHE_FLAGS = (("fromDiskCache", "disk"), ("fromPrefetchCache", "prefetch"), ("fromServiceWorker", "worker"))
LOOPBACK = {**PHONE_NETWORK, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}  # no throttling
SETTLE_S = 1.5  # a load is over when no request of it has been open or started for this long

# Paints and long tasks, recorded from the first moment (buffered observers miss nothing).
PAINT_RECORDER = """
window.__phone = {lcp: 0, blocked: 0};
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__phone.lcp = e.startTime; })
  .observe({type: 'largest-contentful-paint', buffered: true});
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__phone.blocked += Math.max(0, e.duration - 50);
}).observe({type: 'longtask', buffered: true});
"""
READ_PAINTS = """() => ({fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
  lcp: window.__phone && window.__phone.lcp, blocked: window.__phone && window.__phone.blocked})"""
# The page's own view of its requests: transferSize is 0 for a response served from a local cache.
READ_TRANSFERS = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .map(e => ({url: e.name, transfer: e.transferSize, body: e.encodedBodySize}))"""


class Requests:
    """Every request of one document, from the DevTools protocol's network events, by request id."""

    def __init__(self, cdp: CDPSession) -> None:
        self.document: str | None = None
        self.by_id: dict[str, dict[str, Any]] = {}
        self.last_event = time.monotonic()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._from_memory)
        cdp.on("Network.responseReceived", self._responded)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)

    def start(self, url: str) -> None:
        """From now on, count the requests of the document at ``url`` only."""
        self.document, self.by_id = url, {}

    def _entry(self, event: dict) -> dict[str, Any] | None:
        entry = self.by_id.get(event["requestId"])
        if entry is not None:
            self.last_event = time.monotonic()
        return entry

    async def settle(self, max_s: float = 30) -> None:
        """Wait until no request is open and none started for SETTLE_S: Playwright's "networkidle" may come
        before a late request (a web font asked for once the widgets are drawn)."""
        deadline = time.monotonic() + max_s
        while time.monotonic() < deadline:
            if not self.unfinished() and time.monotonic() - self.last_event >= SETTLE_S:
                return
            await asyncio.sleep(0.1)

    def _sent(self, event: dict) -> None:
        if self.document is not None and event.get("documentURL") == self.document:
            url = event["request"]["url"]
            if not url.startswith("data:"):
                self.by_id.setdefault(event["requestId"], {"url": url, "cache": None, "bytes": 0, "status": None})
                self.last_event = time.monotonic()

    def _from_memory(self, event: dict) -> None:
        if entry := self._entry(event):
            entry["cache"] = "memory"

    def _responded(self, event: dict) -> None:
        if entry := self._entry(event):
            response = event["response"]
            entry["status"] = response.get("status")
            for flag, cache in (
                ("fromDiskCache", "disk"),
                ("fromPrefetchCache", "prefetch"),
                ("fromServiceWorker", "worker"),
            ):
                if response.get(flag):
                    entry["cache"] = entry["cache"] or cache

    def _finished(self, event: dict) -> None:
        if entry := self._entry(event):
            entry["bytes"], entry["done"] = event["encodedDataLength"], True

    def _failed(self, event: dict) -> None:
        if entry := self._entry(event):
            entry["failed"] = event.get("errorText", "failed")

    def network(self) -> list[dict[str, Any]]:
        return [e for e in self.by_id.values() if e["cache"] is None and not e.get("failed")]

    def unfinished(self) -> list[str]:
        return [e["url"] for e in self.by_id.values() if not e.get("done") and not e.get("failed")]

    def cached(self) -> list[dict[str, Any]]:
        return [e for e in self.by_id.values() if e["cache"] is not None]


async def _new_phone(browser: Browser) -> tuple[BrowserContext, Page, CDPSession, Requests]:
    context = await browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True)
    await context.add_init_script(PAINT_RECORDER)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
    return context, page, cdp, Requests(cdp)


async def _load(page: Page, requests: Requests, url: str, control: bool) -> dict[str, Any]:
    """Navigate ``page`` to ``url`` and measure that one load."""
    requests.start(url)
    start = time.monotonic()
    await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    usable = None
    if control:
        await page.locator(CONTROL).first.wait_for(state="visible", timeout=TIMEOUT_MS)
        usable = round(time.monotonic() - start, 2)
    await page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    await page.evaluate("document.fonts.ready.then(() => true)")
    await requests.settle()
    paints = await page.evaluate(READ_PAINTS)
    network = requests.network()
    result: dict[str, Any] = {
        "bytes": sum(e["bytes"] for e in requests.by_id.values()),
        "requests": len(requests.by_id),
        "network_bytes": sum(e["bytes"] for e in network),
        "network_requests": len(network),
        "cached_requests": len(requests.cached()),
        "failed_requests": sum(1 for e in requests.by_id.values() if e["cache"] is None and e.get("failed")),
        "revalidated_304": sum(1 for e in network if e["status"] == 304),
        "unfinished_requests": len(requests.unfinished()),
        "blocked_ms": round(paints.get("blocked") or 0),
    }
    for key, value in (("first_text_s", paints.get("fcp")), ("largest_text_s", paints.get("lcp"))):
        with_reason(result, key, round(value / 1000, 2) if value else None, "Chromium reported no such paint")
    with_reason(result, "first_usable_control_s", usable, "a reading page has no control to wait for")
    result["resource_timing"] = _cross_check(await page.evaluate(READ_TRANSFERS), requests)
    return result


def _cross_check(entries: list[dict[str, Any]], requests: Requests) -> dict[str, Any]:
    """The page's Resource Timing beside the protocol's count of requests that reached the network."""
    over_network = [e for e in entries if e["transfer"] > 0]
    check: dict[str, Any] = {
        "entries": len(entries),
        "network_requests": len(over_network),
        "network_bytes": sum(e["transfer"] for e in over_network),
    }
    protocol = {e["url"] for e in requests.network()}
    page = {e["url"] for e in over_network}
    check["consistent"] = protocol == page
    if protocol != page:
        check["only_in_protocol"] = sorted(protocol - page)[:5]
        check["only_in_resource_timing"] = sorted(page - protocol)[:5]
    return check


def _failure(error: PlaywrightError) -> dict[str, Any]:
    """A failed load is a measurement (an error), not a crash of the run."""
    return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}


async def phone_load(browser: Browser, url: str, control: bool) -> dict[str, Any]:
    """One throttled load of ``url`` in a fresh profile (a cold cache)."""
    context, page, _, requests = await _new_phone(browser)
    try:
        return await _load(page, requests, url, control)
    except PlaywrightError as error:
        return _failure(error)
    finally:
        await context.close()


async def phone_warm(browser: Browser, first: str, second: str, throttled: bool = True) -> dict[str, Any]:
    """``first`` loaded cold, then ``second`` in the same tab (as a patient following the menu): both loads.

    ``throttled=False`` runs the same two loads over plain loopback, the cross-check for the cache counts.
    """
    context, page, cdp, requests = await _new_phone(browser)
    try:
        if not throttled:
            await cdp.send(
                "Network.emulateNetworkConditions",
                {**PHONE_NETWORK, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            await cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        cold = await _load(page, requests, first, control=True)
        try:
            warm = await _load(page, requests, second, control=True)
        except PlaywrightError as error:
            warm = _failure(error)
        return {"first": cold, "second": warm}
    except PlaywrightError as error:
        return {"first": _failure(error), "second": _failure(error)}
    finally:
        await context.close()
