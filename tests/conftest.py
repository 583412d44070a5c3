"""Shared fixtures: the real content, and a scratch copy of it for breaking on purpose."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from backpain_edu.app.configuration import SERVER_ONLY_VARIABLES
from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog
from backpain_edu.deployment import CONTACT_VARIABLE, REGION_VARIABLE
from backpain_edu.testing import AppServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
T = TypeVar("T")
# A developer's shell may set these (export BACKPAIN_EDU_REGION=uk to try the app); the tests set what they need.
SHELL_SETTINGS = frozenset({REGION_VARIABLE, CONTACT_VARIABLE, *SERVER_ONLY_VARIABLES})


def pytest_configure(config: pytest.Config) -> None:
    """Forget the shell's app settings before any test module is imported (several load the catalog at import):
    the content, and every server a test starts (servers inherit the environment), are the defaults unless a
    test sets otherwise."""
    for name in SHELL_SETTINGS:
        os.environ.pop(name, None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Unit, content and notebook tests first, the browser tests (minutes of servers and Chromium) last, each
    group in its usual order: a broken rule shows in seconds, not after the browser tests."""
    browser = REPO / "tests" / "browser"
    items.sort(key=lambda item: item.path.is_relative_to(browser))
    # `make test` runs the `serial` tests alone from tests/browser only (collecting the rest again costs seconds).
    strays = [
        item.nodeid for item in items if item.get_closest_marker("serial") and not item.path.is_relative_to(browser)
    ]
    if strays:
        raise pytest.UsageError(
            f"tests marked serial must be in tests/browser (make test runs them from there): {strays}"
        )


def run_to_end(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end on a loop of its own, in a thread: the browser tests' Playwright (sync
    API) keeps an event loop running in the main thread, where ``asyncio.run`` would refuse."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


LATE_OUTPUT = (
    "import sys, time\nsys.stdout.flush_timeout = sys.stderr.flush_timeout = 0.1\n"
    "get_ipython().kernel.iopub_thread.io_loop.add_callback(time.sleep, 6)"
)
"""A cell start that makes the kernel's next outputs reach the server 6 s after the cell's reply, as on a machine too
busy to send them sooner: its output thread is held, and the cell's end stops waiting for it after 0.1 s."""


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """``backpain-edu serve`` with nothing set (no region, no contact), logging from its start: the one server of
    test_app_server.py and test_serve.py (the browser tests have their own, set up as a clinic's)."""
    with AppServer.start(["serve"], log=tmp_path_factory.mktemp("serve") / "server.log", timeout_s=60) as running:
        yield running


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the package's content, to break one file at a time."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def log_content_change(content: Path) -> None:
    """Record a test's edit of a content copy in its change logs (the newest entry's fingerprint), as an author does
    after changing content, so ``backpain-edu validate`` checks the edit and not the missing log entry."""
    from backpain_edu.catalog import CHANGELOG_FILE, content_fingerprint

    fingerprint = content_fingerprint(content)
    for log in content.rglob(CHANGELOG_FILE):
        text = log.read_text(encoding="utf-8")
        log.write_text(re.sub(r"fingerprint: [0-9a-f]{64}", f"fingerprint: {fingerprint}", text, count=1), "utf-8")
