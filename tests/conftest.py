"""Shared fixtures: the real content, and a scratch copy of it for breaking on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the package's content, to break one file at a time."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target
