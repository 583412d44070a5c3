"""Shared fixtures: the real content, and a scratch copy of it for breaking on purpose."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog

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


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the package's content, to break one file at a time."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target
