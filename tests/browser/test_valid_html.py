"""Every finished reading page, in every language, is valid HTML by the Nu HTML Checker (vnu-jar, Java 17).

Invalid markup is where browsers and screen readers start to differ (a stylesheet in the body, a list item
outside a list, two elements with one id): the checker reads each page exactly as the app serves it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from backpain_edu.testing import AppServer
from tests.browser.conftest import EVERY_PAGE, page_ids
from tests.conftest import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FINISHED_PAGES = tuple(page for page in EVERY_PAGE if not page.widgets)


def checker_errors(files: list[Path]) -> list[dict[str, object]]:
    """The checker's errors for ``files`` (one run: the checker's start is most of its time)."""
    java = shutil.which("java")
    assert java and VNU.exists(), "Java and vnu-jar are needed: `make browser-deps` installs both"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [message for message in messages if message.get("type") in ("error", "non-document-error")]


def test_the_checker_finds_a_stylesheet_in_the_body(tmp_path: Path) -> None:
    """The check can fail: a page with a ``<style>`` in its body, as every page had before."""
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        "<body><main><style>html { color: red; }</style><p>Text</p></main></body></html>",
        encoding="utf-8",
    )
    errors = checker_errors([page])
    assert errors and "style" in str(errors[0]["message"])


def test_every_finished_page_in_every_language_is_valid_html(app_server: AppServer, tmp_path: Path) -> None:
    assert FINISHED_PAGES, "no finished reading page found"
    files = []
    for page in FINISHED_PAGES:
        with urllib.request.urlopen(app_server.page_url(page.file), timeout=120) as response:
            assert response.status == 200
            path = tmp_path / f"{page_ids(page)}.html"
            path.write_bytes(response.read())
            files.append(path)
    errors = checker_errors(files)
    assert not errors, "\n".join(
        f"{Path(str(e.get('url', ''))).name}:{e.get('lastLine')}: {e.get('message')} [{e.get('extract', '')}]"
        for e in errors
    )


@pytest.mark.parametrize("language_folder", ["", "es/"])
def test_each_finished_page_has_its_styles_in_the_head_once(app_server: AppServer, language_folder: str) -> None:
    """Each rendered part carries its stylesheet; the finished page keeps each one once, in the head."""
    injection = next(page for page in FINISHED_PAGES if page.file.startswith(f"{language_folder}01_"))
    with urllib.request.urlopen(app_server.page_url(injection.file), timeout=120) as response:
        html = response.read().decode("utf-8")
    head, _, body = html.partition("</head>")
    assert "<style" not in body
    styles = head.split("<style>")[1:]
    assert len(styles) == len(set(styles)) >= 2
