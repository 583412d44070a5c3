"""Shared fixtures: the real content, and a scratch copy of it for breaking on purpose."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog
from backpain_edu.testing import AppServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
T = TypeVar("T")


def run_to_end(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end on a loop of its own, in a thread: the browser tests' Playwright (sync
    API) keeps an event loop running in the main thread, where ``asyncio.run`` would refuse."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


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
