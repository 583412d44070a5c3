"""Page visits in Debian's Chromium through Playwright, timed inside the page.

A small script installed before any page script records ``performance.now()`` (milliseconds since
the navigation started) on the first animation frame where the first ``h1`` is visible, and where a
widget control is visible and enabled. Timing inside the page leaves out Playwright's own round trips,
so the static export and the app are measured the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from playwright.async_api import Browser, Page, Route, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from backpain_edu.testing import CHROMIUM, CHROMIUM_ARGS

LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
KERNEL_URL = re.compile(r"/api/kernels/([0-9a-f-]{36})")
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')

# "Visible" is checkVisibility() with opacity and visibility checked (Voila hides its rendered cells
# with display:none until its JavaScript has started) and a non-empty box. A widget is "usable" when a
# form control inside a .jupyter-widgets element is visible and not disabled.
RECORDER = """
(() => {
  const marks = {};
  window.__bench = marks;
  addEventListener('load', () => { marks.load = performance.now(); });
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.checkVisibility({
      opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true,
    });
  };
  const controls = 'input, button, select, textarea, [role="button"], [role="checkbox"], [role="slider"]';
  const usable = (el) => !el.disabled && el.getAttribute('aria-disabled') !== 'true' && shown(el);
  const check = () => {
    if (marks.heading === undefined) {
      const heading = document.querySelector('h1');
      if (heading && shown(heading)) marks.heading = performance.now();
    }
    if (marks.widget === undefined) {
      for (const el of document.querySelectorAll('.jupyter-widgets')) {
        const found = el.matches(controls) ? [el] : el.querySelectorAll(controls);
        if (Array.from(found).some(usable)) { marks.widget = performance.now(); break; }
      }
    }
    if (marks.heading === undefined || marks.widget === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""


@dataclass
class Visit:
    """One page load: seconds from navigation start, or an error."""

    heading_s: float | None = None
    widget_s: float | None = None
    kernel_id: str | None = None
    error: str | None = None
    blocked: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium (never a downloaded one), closed at the end."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


# Done when the marks asked for are set; a page without scripts to wait for (a static export) may also
# give up a few seconds after its load event, so a page that has no h1 costs seconds, not the timeout.
DONE = """([widget, grace]) => {
  const m = window.__bench;
  if (!m) return false;
  if (m.heading !== undefined && (!widget || m.widget !== undefined)) return true;
  return grace !== null && m.load !== undefined && performance.now() - m.load > grace * 1000;
}"""


async def _wait_for_marks(page: Page, visit: Visit, want_widget: bool, timeout_s: float, grace: float | None) -> None:
    with contextlib.suppress(PlaywrightTimeout):
        await page.wait_for_function(DONE, arg=[want_widget, grace], timeout=timeout_s * 1000, polling=50)
    marks = await page.evaluate("window.__bench || {}")
    missing = [name for name, key in (("visible h1", "heading"), ("usable widget", "widget")) if key not in marks]
    if not want_widget:
        missing = missing[:1] if "heading" not in marks else []
    if missing:
        gave_up = grace is not None and "load" in marks
        visit.error = f"no {' and no '.join(missing)} within " + (
            f"{grace:.0f} s after the page loaded" if gave_up else f"{timeout_s:.0f} s"
        )
    visit.heading_s = round(marks["heading"] / 1000, 3) if "heading" in marks else None
    visit.widget_s = round(marks["widget"] / 1000, 3) if "widget" in marks else None


async def visit(
    browser: Browser,
    url: str,
    want_widget: bool = False,
    timeout_s: float = 60,
    while_open: Callable[[Visit], Awaitable[None]] | None = None,
    grace_after_load_s: float | None = None,
) -> Visit:
    """Load ``url`` in a fresh context; external requests are refused (loopback only) and listed."""
    result = Visit()
    context = await browser.new_context()

    async def refuse(route: Route) -> None:
        result.blocked.append(route.request.url)
        await route.abort()

    def note(request_url: str, method: str = "GET") -> None:
        match = KERNEL_URL.search(request_url)
        if match and result.kernel_id is None:
            result.kernel_id = match.group(1)
        elif method == "GET" and request_url.startswith(LOOPBACK[0]) and request_url != url and not match:
            result.assets.append(request_url)

    try:
        await context.add_init_script(RECORDER)
        await context.route(lambda u: not u.startswith(LOOPBACK), refuse)
        page = await context.new_page()
        page.on("request", lambda request: note(request.url, request.method))
        page.on("websocket", lambda ws: note(ws.url))
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        await _wait_for_marks(page, result, want_widget, timeout_s, grace_after_load_s)
        if result.kernel_id is None:  # the page may not have asked for its kernel yet: read it from the HTML
            match = KERNEL_ID.search(await page.content())
            result.kernel_id = match.group(1) if match else None
        if while_open is not None:
            await while_open(result)
        # Closing with beforeunload is what a patient closing the tab does (Voila asks to stop the kernel then).
        await page.close(run_before_unload=True)
        await asyncio.sleep(0.2)
    except Exception as error:  # a failed visit is a measurement (an error), not a crash of the run
        result.error = result.error or f"{type(error).__name__}: {error}"
    finally:
        await context.close()
    return result
