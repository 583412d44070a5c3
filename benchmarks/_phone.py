"""A page as a patient's phone meets it: Chromium's DevTools protocol slows the network to slow 4G
(1.6 Mbit/s down, 750 kbit/s up, 150 ms) and the CPU 4x, then one load is measured.

Each load is cold (a fresh browser profile). Reported: bytes on the wire and requests, first text
painted, largest text painted, main-thread time blocked by long tasks, and when the first control was
usable. A warm second page is not measured here yet: under DevTools throttling Chromium's cache
counts did not add up (see the closing note), so the loopback check in the tests covers caching.
"""

from __future__ import annotations

import time
from typing import Any

from _report import with_reason
from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

PHONE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
PHONE_CPU_SLOWDOWN = 4
VIEWPORT = {"width": 375, "height": 812}
CONTROL = ".bpe-tool input, .bpe-tool select, .bpe-tool button"

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


async def phone_load(browser: Browser, url: str, control: bool) -> dict[str, Any]:
    """One throttled load of ``url`` in a fresh profile (a cold cache)."""
    context = await browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True)
    try:
        await context.add_init_script(PAINT_RECORDER)
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
        seen = {"bytes": 0, "requests": 0}

        def finished(event: dict) -> None:
            seen["bytes"] += event["encodedDataLength"]

        def responded(event: dict) -> None:
            seen["requests"] += 1

        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.responseReceived", responded)
        start = time.monotonic()
        await page.goto(url, wait_until="commit", timeout=180_000)
        usable = None
        if control:
            await page.locator(CONTROL).first.wait_for(state="visible", timeout=180_000)
            usable = round(time.monotonic() - start, 2)
        await page.wait_for_load_state("networkidle", timeout=180_000)
        paints = await page.evaluate(READ_PAINTS)
        result: dict[str, Any] = {"bytes": seen["bytes"], "requests": seen["requests"]}
        result["blocked_ms"] = round(paints.get("blocked") or 0)
        for key, value in (("first_text_s", paints.get("fcp")), ("largest_text_s", paints.get("lcp"))):
            with_reason(result, key, round(value / 1000, 2) if value else None, "Chromium reported no such paint")
        return with_reason(result, "first_usable_control_s", usable, "a reading page has no control to wait for")
    except PlaywrightError as error:  # a failed load is a measurement (an error), not a crash of the run
        return {"error": f"{type(error).__name__}: {str(error)[:200]}"}
    finally:
        await context.close()
