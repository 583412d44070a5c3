"""Smoke test: ``backpain-edu serve`` serves every notebook page with its title, then stops cleanly."""

from __future__ import annotations

import html
import json
import urllib.error
import urllib.request

import pytest

from backpain_edu.catalog import Catalog
from backpain_edu.testing import AppServer
from tests.conftest import REPO


def _get(url: str, timeout: float = 60) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(plain_server: AppServer) -> str:
    """conftest.py's server, which test_app_server.py has also checked by then."""
    return plain_server.url


def _notebook_titles(catalog: Catalog) -> dict[str, str]:
    titles = {}
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        titles[path.name] = json.loads(path.read_text(encoding="utf-8"))["metadata"]["title"]
    return titles


def test_every_notebook_page_is_served_with_its_title(server: str, catalog: Catalog) -> None:
    titles = _notebook_titles(catalog)
    assert len(titles) >= 7
    for name, title in titles.items():
        status, body = _get(f"{server}/voila/render/{name}")
        assert status == 200, name
        assert html.escape(title) in body, f"{name}: title {title!r} not in page"
        assert "Traceback" not in body and "show_injection(" not in body, name


def test_injection_page_shows_rendered_sections_and_sources(server: str, catalog: Catalog) -> None:
    status, body = _get(f"{server}/voila/render/01_epidural_steroid.ipynb")
    assert status == 200
    assert "How sure are we?" in body and "Sources" in body
    assert catalog.references["COCHRANE-ESI-2020"].url in body
