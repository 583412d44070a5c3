"""Closed tabs do not leave kernels running: Voila's page-exit shutdown, and the idle culler behind it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser

from backpain_edu.app.configuration import CULL_IDLE_VARIABLE, voila_config
from backpain_edu.testing import AppServer
from tests.browser.conftest import EVERY_PAGE
from tests.browser.support import Visit, close_tab, finish_loading, start_app_server, visit, wait_until

VISITS = 20
AT_ONCE = 4  # tabs open side by side, as on a busy clinic afternoon (and quicker to run)
# Well inside the culler's idle limit: a kernel gone by then was shut down by its tab closing, not culled.
ON_CLOSE = 20  # seconds
# The culler's minute, shortened so the test waits seconds (the same culler; its default is checked in
# test_app_configuration.py). Still longer than ON_CLOSE, so a closed tab's kernel cannot pass for culled.
SERVER_SETTINGS = {CULL_IDLE_VARIABLE: str(ON_CLOSE + 5)}
CONFIG = voila_config(environ=SERVER_SETTINGS)
# Only the pages with widgets use a kernel (the others are finished HTML).
WITH_WIDGETS = [page for page in EVERY_PAGE if page.widgets]  # every language's
# configuration.py keeps this many pre-started kernels per such page, refilled after each visit.
PREHEAT_POOL = CONFIG.VoilaConfiguration.default_pool_size * len(WITH_WIDGETS)
ABOUT_A_MINUTE = 60  # seconds
CULLER = CONFIG.MappingKernelManager
# The culler acts at the first check after the idle limit; a busy machine may delay a check or two, and
# the shutdown itself. Polled, so a quick cull ends the wait at once.
CULL_DEADLINE = CULLER.cull_idle_timeout + 3 * CULLER.cull_interval + 30  # seconds


@pytest.fixture(scope="module")
def quiet_server(artifacts: Path) -> Iterator[AppServer]:
    """A server of its own, so kernels left by other tests do not blur the count."""
    with start_app_server(log=artifacts / "server-kernels.log", env=SERVER_SETTINGS) as server:
        yield server


def _kernel_of(server: AppServer, seen: Visit) -> psutil.Process:
    # The harness reads each kernel's command line once, passing over one that exits meanwhile (the crashed tab's,
    # culled while later tabs load): reading them again here failed the test with NoSuchProcess when one did.
    kernels = server.kernels()
    assert seen.kernel_id() in kernels, f"the page's kernel {seen.kernel_id()} is not running"
    return kernels[seen.kernel_id()]


def _still_running(kernel: psutil.Process) -> str:
    """What a kernel that should be gone is doing, for the failure message."""
    try:
        return f"pid {kernel.pid} still {kernel.status()}"
    except psutil.NoSuchProcess:
        return f"pid {kernel.pid} gone"


def test_twenty_closed_tabs_shut_their_kernels_down_and_a_crashed_tabs_kernel_is_culled(
    quiet_server: AppServer, browser: Browser, artifacts: Path
) -> None:
    # First a tab that vanishes without a goodbye (a crash, a phone dropping the page): only the culler helps.
    crashed = browser.new_context()
    orphan = _kernel_of(quiet_server, visit(crashed, quiet_server.page_url(WITH_WIDGETS[0].file)))
    crashed.close()
    crashed_at = time.monotonic()

    counts, left_running = [], []
    urls = [quiet_server.page_url(WITH_WIDGETS[number % len(WITH_WIDGETS)].file) for number in range(VISITS)]
    for batch in range(0, VISITS, AT_ONCE):
        contexts = [browser.new_context() for _ in urls[batch : batch + AT_ONCE]]
        tabs = [visit(context, url, wait=False) for context, url in zip(contexts, urls[batch:], strict=False)]
        kernels = []
        for tab in tabs:
            finish_loading(tab.page)
            kernels.append(_kernel_of(quiet_server, tab))
        counts.append(len(quiet_server.kernel_processes()))
        for context, tab in zip(contexts, tabs, strict=True):
            close_tab(tab.page)
            context.close()
        # Each batch within ON_CLOSE of its own tabs closing: the culler's limit is longer than that.
        wait_until(lambda kernels=kernels: not any(k.is_running() for k in kernels), ON_CLOSE)
        left_running += [k for k in kernels if k.is_running()]

    shut_on_close = not left_running
    settled = wait_until(lambda: len(quiet_server.kernel_processes()) <= PREHEAT_POOL + 2, ABOUT_A_MINUTE)
    remaining = len(quiet_server.kernel_processes())
    culled = wait_until(lambda: not orphan.is_running(), crashed_at + CULL_DEADLINE - time.monotonic(), every=1)
    culled_after = time.monotonic() - crashed_at
    (artifacts / "kernels.txt").write_text(
        f"kernels running with each {AT_ONCE} of {VISITS} tabs open (crashed tab included): {counts}\n"
        f"all {VISITS} closed tabs' kernels shut down within {ON_CLOSE} s: {shut_on_close}\n"
        f"kernels running after that: {remaining}\n"
        f"crashed tab's kernel gone: {culled}, checked {culled_after:.0f} s after the tab vanished\n",
        encoding="utf-8",
    )
    assert shut_on_close, f"{len(left_running)} closed tabs still had a kernel {ON_CLOSE} s later"
    assert settled, f"{remaining} kernels still running"
    assert culled, (
        f"the crashed tab's kernel was not culled: {_still_running(orphan)} {culled_after:.0f} s after the tab "
        f"vanished (idle limit {CULLER.cull_idle_timeout} s, checked every {CULLER.cull_interval} s); "
        f"{len(quiet_server.kernel_processes())} kernels running"
    )
