"""Hostile requests against the running app: nothing leaks, nothing is reflected, no code runs."""

from __future__ import annotations

import http.client
import json
import re
import time
import uuid
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from websockets.sync.client import connect

from backpain_edu.app.configuration import CONTENT_SECURITY_POLICY
from backpain_edu.testing import AppServer
from tests.browser.conftest import EVERY_PAGE, PAGES, page_language
from tests.conftest import REPO

SCRIPT = "<script>alert(1)</script>"
NO_KERNEL = "00000000-0000-0000-0000-000000000000"
LANGUAGES = tuple(dict.fromkeys(page_language(page) for page in EVERY_PAGE))


@dataclass(frozen=True)
class LanguagePages:
    """A language's start page and its pages with widgets: the one kind of page that has a kernel, a socket and a
    cookie. A translation's pages are in a folder of their own (es/00_start_here.ipynb) and its error pages in its
    language, so the probes and tests that name a page run on each language's. Tests that open several tool pages
    take a different one each time: each page's pool holds one kernel, and a second visit would wait for its refill."""

    start: str
    tools: tuple[str, ...]

    @classmethod
    def of(cls, language: str) -> LanguagePages:
        pages = [page for page in EVERY_PAGE if page_language(page) == language]
        return cls(pages[0].file, tuple(page.file for page in pages if page.widgets))


LANGUAGE_PAGES = {language: LanguagePages.of(language) for language in LANGUAGES}
START, TOOL = PAGES[0].file, LANGUAGE_PAGES[page_language(PAGES[0])].tools[0]


def _page_probes(start: str, tool: str) -> list[tuple[str, str]]:
    """The probes that name a page, for one language's start and tool pages (and the folder they are in)."""
    folder = start.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    return [
        ("GET", f"/api/contents/{start}"),
        ("GET", f"/voila/api/contents/{start}"),
        ("GET", f"/files/{start}"),
        ("GET", f"/notebooks/{start}"),
        ("GET", f"/voila/files/{start}"),
        ("GET", f"/voila/files/{start}?download=1"),
        ("GET", f"/voila/render/{prefix}.ipynb_checkpoints/{Path(start).stem}-checkpoint.ipynb"),
        ("GET", f"/voila/render/{prefix}missing.ipynb"),
        ("POST", f"/voila/render/{start}"),
        ("POST", f"/voila/render/{tool}"),
        ("GET", f"/voila/render/{prefix}%2e%2e/pyproject.toml"),
        ("GET", f"/voila/render/{start}/..%2f..%2fREADME.md"),
        # Script in the URL, answered by the error page in the language of the folder.
        ("GET", f"/voila/render/{prefix}%3Cscript%3Ealert(1)%3C%2Fscript%3E.ipynb"),
        ("GET", f"/voila/render/{prefix}missing.ipynb?q={SCRIPT}"),
    ]


PROBES = [
    # Jupyter server APIs: none is served.
    ("GET", "/api/contents"),
    ("PUT", "/api/contents/new.ipynb"),
    ("GET", "/api/kernels"),
    ("POST", "/api/kernels"),
    ("GET", f"/api/kernels/{NO_KERNEL}"),
    ("DELETE", f"/api/kernels/{NO_KERNEL}"),
    ("GET", "/api/sessions"),
    ("POST", "/api/sessions"),
    ("GET", "/api/terminals"),
    ("POST", "/api/terminals"),
    ("GET", "/api/kernelspecs"),
    ("GET", "/api/status"),
    ("GET", "/api/me"),
    ("GET", "/api/config/notebook"),
    ("GET", "/voila/api/contents"),
    ("GET", "/voila/api/themes/@jupyterlab/theme-dark-extension/index.css"),
    ("GET", f"/voila/query/{NO_KERNEL}"),
    ("GET", f"/voila/execution/{NO_KERNEL}"),
    ("GET", f"/voila/api/shutdown/{NO_KERNEL}"),
    ("POST", f"/voila/api/shutdown/{NO_KERNEL}"),
    # File browsers, notebook files, login pages.
    ("GET", "/tree"),
    ("GET", "/voila/tree"),
    ("GET", "/voila/tree/"),
    ("GET", "/lab"),
    ("GET", "/login"),
    ("GET", "/logout"),
    # Path traversal, plain and encoded, on every route that serves files.
    ("GET", "/voila/files/%2e%2e/pyproject.toml"),
    ("GET", "/voila/files/..%2f.git%2fconfig"),
    ("GET", "/voila/render/..%2f..%2f..%2fetc%2fpasswd"),
    ("GET", "/voila/render/%2e%2e%2fbackpain_edu%2fcli.py"),
    ("GET", "/voila/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
    ("GET", "/voila/static/..%2f..%2fapp.py"),
    ("GET", "/voila/templates/backpain/index.html.j2"),
    ("GET", "/voila/templates/backpain/static/%2e%2e/index.html.j2"),
    ("GET", "/voila/templates/lab/static/../../../../../../etc/passwd"),
    ("GET", "/voila/templates/x"),
    ("GET", "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/package.json"),
    ("GET", "/voila/labextensions/%2e%2e/%2e%2e/%2e%2e/lib/python3.11/site-packages/backpain_edu/cli.py"),
    # The repository itself: git metadata, package sources, project files.
    ("GET", "/.git/config"),
    ("GET", "/.git/HEAD"),
    ("GET", "/voila/static/.git/config"),
    ("GET", "/backpain_edu/cli.py"),
    ("GET", "/backpain_edu/content/site.yaml"),
    ("GET", "/pyproject.toml"),
    ("GET", "/notebooks/00_start_here.ipynb"),
    ("GET", "/etc/passwd"),
    # Script in the URL.
    ("GET", f"/{SCRIPT}"),
    ("GET", f"/voila/files/{SCRIPT}.svg"),
    *(probe for pages in LANGUAGE_PAGES.values() for probe in _page_probes(pages.start, pages.tools[0])),
]

LEAKS = [
    '"nbformat"',  # notebook JSON
    "show_injection(",
    "show_start_page(",
    "use_language(",  # a translation's notebook
    "repositoryformatversion",  # .git/config
    "ref: refs/",  # .git/HEAD
    "[build-system]",  # pyproject.toml
    "def main(",  # package source
    "from backpain_edu",
    "root:x:0:0",  # /etc/passwd
    '"last_activity"',  # kernel and session models
    '"type": "directory"',  # contents listings
    "Traceback",
    '.py", line',
    str(REPO),  # where the server lives on disk
    "{%",  # template source
]


def request(server: AppServer, method: str, path: str, body: str | None = None, headers: dict | None = None):
    """One raw request, sent as written (no normalising of the path, no following of redirects)."""
    connection = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    payload = response.read().decode("utf-8", "replace")
    connection.close()
    return response, payload


@pytest.mark.parametrize(("method", "path"), PROBES, ids=[f"{m} {p}" for m, p in PROBES])
def test_hostile_request_is_refused_without_leaking_or_reflecting_anything(
    method: str, path: str, app_server: AppServer
) -> None:
    response, body = request(app_server, method, path, body="" if method in ("POST", "PUT") else None)
    # 400 is tornado refusing a plain request to a websocket-only route (/voila/query/<kernel>,
    # which preheated kernels use to learn their page's address).
    refused = (400, 403, 404, 405) if path.startswith("/voila/query/") else (403, 404, 405)
    assert response.status in refused, body[:300]
    assert [leak for leak in LEAKS if leak in body] == []
    assert SCRIPT not in body and "<script>alert" not in body


def test_front_door_redirects_to_the_start_page(app_server: AppServer) -> None:
    response, _ = request(app_server, "GET", "/")
    assert response.status == 302
    assert response.getheader("Location") == f"/voila/render/{START}"


def _open_page(server: AppServer, path: str) -> tuple[str, str, str]:
    """Render a page without a browser: its HTML, its kernel id and the XSRF cookie it set."""
    response, body = request(server, "GET", path)
    assert response.status == 200
    cookie = re.search(r"_xsrf=([^;]+)", response.getheader("Set-Cookie") or "")
    kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', body)
    assert cookie and kernel
    return body, kernel.group(1), cookie.group(1)


def _close_page(server: AppServer, kernel: str, xsrf: str) -> int:
    """What Voila's page-exit beacon sends when the tab closes."""
    response, _ = request(
        server,
        "POST",
        f"/voila/api/shutdown/{kernel}",
        body=urlencode({"_xsrf": xsrf}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"_xsrf={xsrf}"},
    )
    return response.status


def _settled_kernels(server: AppServer, quiet_s: float = 3, limit_s: float = 60) -> dict[str, int]:
    """Kernel id -> pid once no kernel has started or stopped for ``quiet_s`` (the pool refills after a
    page takes its kernel, and earlier tests' closed tabs shut theirs down), so a count is not a race."""
    deadline, seen, since = time.monotonic() + limit_s, None, time.monotonic()
    while time.monotonic() < deadline:
        now = {kernel_id: process.pid for kernel_id, process in server.kernels().items()}
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return now
        time.sleep(0.5)
    raise AssertionError(f"kernels kept changing for {limit_s} s: {seen}")


def test_even_with_a_valid_xsrf_token_no_jupyter_api_can_start_or_change_anything(app_server: AppServer) -> None:
    _, kernel, xsrf = _open_page(app_server, f"/voila/render/{TOOL}")
    headers = {"Cookie": f"_xsrf={xsrf}", "X-XSRFToken": xsrf, "Content-Type": "application/json"}
    before = _settled_kernels(app_server)
    assert kernel in before
    for method, path in [
        ("POST", "/api/kernels"),
        ("POST", "/api/sessions"),
        ("POST", "/api/terminals"),
        ("PUT", "/api/contents/new.ipynb"),
        ("POST", f"/api/kernels/{kernel}/restart"),
        ("POST", f"/api/kernels/{kernel}/interrupt"),
    ]:
        response, body = request(app_server, method, path, body="{}", headers=headers)
        assert response.status == 404, (method, path, body[:200])
    after = _settled_kernels(app_server)
    assert set(after.items()) <= set(before.items()), "a kernel was started or restarted"
    assert after.get(kernel) == before[kernel], "the page's own kernel was restarted or shut down"
    assert _close_page(app_server, kernel, xsrf) == 204


@pytest.fixture(params=LANGUAGES)
def language_pages(request: pytest.FixtureRequest) -> LanguagePages:
    """Each language's start page and tool pages, in turn."""
    return LANGUAGE_PAGES[request.param]


def test_url_cannot_switch_the_template_or_the_theme(app_server: AppServer, language_pages: LanguagePages) -> None:
    for query, tool in zip(("template=reveal", "template=classic", "theme=dark"), cycle(language_pages.tools)):
        body, kernel, xsrf = _open_page(app_server, f"/voila/render/{tool}?{query}")
        assert 'class="jp-Notebook theme-light bpe-app"' in body and "reveal" not in body.lower()
        assert _close_page(app_server, kernel, xsrf) == 204
        response, body = request(app_server, "GET", f"/voila/render/{language_pages.start}?{query}")
        assert response.status == 200 and 'class="bpe-app bpe-finished"' in body and "reveal" not in body.lower()


def test_a_reading_page_sets_no_cookie_and_has_the_same_strict_headers(
    app_server: AppServer, language_pages: LanguagePages
) -> None:
    response, body = request(app_server, "GET", f"/voila/render/{language_pages.start}")
    assert response.status == 200 and response.getheader("Set-Cookie") is None
    assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert response.getheader("Referrer-Policy") == "no-referrer"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "kernelId" not in body and "<script" not in body


def test_pages_send_a_strict_content_security_policy_and_only_a_session_xsrf_cookie(
    app_server: AppServer, language_pages: LanguagePages
) -> None:
    response, body = request(app_server, "GET", f"/voila/render/{language_pages.tools[0]}")
    assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert response.getheader("Referrer-Policy") == "no-referrer"
    cookies = response.headers.get_all("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("_xsrf=")
    assert "expires" not in cookies[0].lower() and "samesite=strict" in cookies[0].lower()
    kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', body).group(1)
    assert _close_page(app_server, kernel, cookies[0].split(";")[0].removeprefix("_xsrf=")) == 204


def _message(msg_type: str, content: dict) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "probe",
        "session": uuid.uuid4().hex,
        "date": "2024-01-01T00:00:00Z",
        "version": "5.3",
    }
    return json.dumps(
        {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}
    )


def test_kernel_socket_answers_the_page_but_never_runs_code_sent_from_the_browser(
    app_server: AppServer, language_pages: LanguagePages, tmp_path: Path
) -> None:
    _, kernel, xsrf = _open_page(app_server, f"/voila/render/{language_pages.tools[-1]}")
    marker = tmp_path / "code-ran"
    replies = []
    with connect(f"ws://{urlsplit(app_server.url).netloc}/api/kernels/{kernel}/channels") as socket:
        socket.send(_message("execute_request", {"code": f"open({str(marker)!r}, 'w').close()", "silent": False}))
        socket.send(_message("kernel_info_request", {}))
        deadline = time.monotonic() + 30
        while "kernel_info_reply" not in replies and time.monotonic() < deadline:
            replies.append(json.loads(socket.recv(timeout=30))["header"]["msg_type"])
    assert "kernel_info_reply" in replies
    assert "execute_reply" not in replies and "execute_input" not in replies
    assert not marker.exists()
    assert _close_page(app_server, kernel, xsrf) == 204
    response, _ = request(app_server, "GET", f"/api/kernels/{kernel}")
    assert response.status == 404
