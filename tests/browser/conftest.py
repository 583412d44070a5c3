"""Fixtures for the browser tests: one app server and one Chromium per session, a fresh context per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, expect, sync_playwright

from backpain_edu.app.configuration import NOTEBOOKS_DIR
from backpain_edu.app.pages import AppPage, site_pages
from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog, load_catalog_from, load_languages
from backpain_edu.render.reading_pages import injection_notebook
from backpain_edu.testing import CHROMIUM, CHROMIUM_ARGS, AppServer
from tests.browser.support import DEPLOYMENT, PHONE, close_tab, start_app_server
from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts"

# What a page shows after a kernel's answer (a ticked box, a loaded file) may take more than Playwright's 5 s when
# three test workers share two cores (make test). An expectation still passes the moment it holds: no test waits
# longer for this, and none measures speed (the benchmark does).
expect.set_options(timeout=15_000)
PAGES: tuple[AppPage, ...] = site_pages(load_catalog().site_map, NOTEBOOKS_DIR)
TRANSLATED_PAGES: tuple[AppPage, ...] = tuple(
    page
    for code in load_languages().codes[1:]
    for page in site_pages(load_catalog_from(CONTENT_DIR, language=code).site_map, NOTEBOOKS_DIR, code)
)
EVERY_PAGE = PAGES + TRANSLATED_PAGES
"""Every page in every language: a clean load with its title, language and frame, and no word of another language."""
INJECTION_FILES = tuple(injection_notebook(injection, load_catalog()) for injection in load_catalog().injections)
LAYOUT_PAGES = PAGES + tuple(page for page in TRANSLATED_PAGES if page.file.split("/", 1)[1] not in INJECTION_FILES[1:])
"""Where axe and the 375 px check run: every page of the source language, and one page of each kind in each
translation (its start page, first injection page, comparison and every tool page).

A translated page has its source page's structure in other words: the same sections, lists and ids
(``translation_differences``), the same renderer, and words the page wraps wherever it must (``overflow-wrap:
anywhere``); its frame (header, menu, notice, footer) is the same on each of the language's pages. So a translation's
first injection page stands for its six, whose English twins are each checked. Every translated page is still loaded
on its own: EVERY_PAGE above, and test_translated_pages."""


def page_ids(page: AppPage) -> str:
    return page.file.removesuffix(".ipynb").replace("/", "-") if "/" in page.file else page.stem


def page_language(page: AppPage) -> str:
    """A translation's pages are in its folder (es/07_checklist.ipynb); the others are the source's."""
    return page.file.split("/", 1)[0] if "/" in page.file else load_languages().source.code


@cache
def served_in(language: str) -> Catalog:
    """The content as the test server shows it in ``language``: for its region (911) and its contact."""
    return load_catalog_from(CONTENT_DIR, DEPLOYMENT, language)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and measurements go for people to look at (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def served(artifacts: Path) -> Catalog:
    """The content as the test server shows it: for its region (911) and its contact."""
    return load_catalog_from(CONTENT_DIR, DEPLOYMENT)


@pytest.fixture(scope="session")
def app_server(artifacts: Path) -> Iterator[AppServer]:
    # One per test worker (make test runs the suite in two, pytest-xdist): each writes its own log.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    with start_app_server(log=artifacts / (f"server-{worker}.log" if worker else "server.log")) as server:
        yield server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _fresh_context(browser: Browser, **options) -> Iterator[BrowserContext]:
    """A fresh browser profile; its tabs are closed as a person closes them, so kernels shut down."""
    context = browser.new_context(**options)
    yield context
    for page in context.pages:
        close_tab(page)
    context.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    yield from _fresh_context(browser)


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A 375 px wide touch screen, the narrowest phone the app promises to fit."""
    yield from _fresh_context(browser, viewport=PHONE, has_touch=True, is_mobile=True)
