"""What the browser tests do as a patient would: open a page, wait for it to finish, close the tab.

The server and Chromium settings come from :mod:`backpain_edu.testing`; the fixtures live in ``conftest.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from backpain_edu.deployment import Deployment
from backpain_edu.testing import AppServer

PHONE = {"width": 375, "height": 812}
# axe-core, pinned in package-lock.json (npm ci), run in the page for WCAG 2.1 A and AA.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
# Voila's script replaces each of these with the output it describes (a widget, for instance).
PENDING_OUTPUTS = 'script[type="application/vnd.voila.cell-output+json"]'
# A reading page served as finished HTML: one document with no script and nothing but data: URIs in it, so it is all
# there at its "load" event, and nothing would end a wait for the network to go quiet but 500 ms of silence.
FINISHED_PAGE = "body.bpe-finished"
# The browser tests serve the app as a US clinic with a contact address: the pages must show 911 and the
# clinic's contact, and the kernels (which get these settings through the environment) must agree.
DEPLOYMENT = Deployment("us", "report@clinic.example")


def start_app_server(
    notebooks: Path | None = None, log: Path | None = None, env: dict[str, str] | None = None
) -> AppServer:
    """``backpain-edu serve`` for ``DEPLOYMENT``, on a free port, once it accepts connections; ``env`` adds server
    settings (a kernel cap, the culler's seconds)."""
    args = ["serve", "--region", DEPLOYMENT.region, "--contact", DEPLOYMENT.contact or ""]
    if notebooks is not None:
        args += ["--notebooks", str(notebooks)]
    return AppServer.start(args, env=env, log=log)


def start_lab(notebooks: Path, token: str, state: Path, env: dict[str, str] | None = None) -> AppServer:
    """``backpain-edu present`` on ``notebooks`` (a copy: JupyterLab saves what it runs), on a free port.

    JupyterLab keeps each user's open tabs (workspaces) and settings across runs; a test's JupyterLab
    keeps them in ``state``, so what an earlier run left open (four notebooks, say) never changes the page.
    """
    lab_state = {
        "JUPYTER_TOKEN": token,
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "user-settings"),
    }
    return AppServer.start(["present", "--no-browser", "--notebooks", str(notebooks)], env={**lab_state, **(env or {})})


@dataclass
class Visit:
    """A page opened in the browser, with what it logged and every request it made."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def kernel_id(self) -> str:
        config = json.loads(self.page.locator("#jupyter-config-data").text_content() or "{}")
        return config["kernelId"]


def _console_error(visit: Visit, message: ConsoleMessage) -> None:
    if message.type == "error":
        visit.errors.append(f"{message.text} ({message.location.get('url', '')})")


def finish_loading(page: Page) -> None:
    """Wait until the page is fully there: scripts loaded, widgets drawn, the network quiet (a finished reading
    page: loaded)."""
    page.wait_for_load_state("load")
    if page.locator(FINISHED_PAGE).count():
        return
    page.wait_for_load_state("networkidle")
    # A locator wait, not wait_for_function: polling a JS string needs eval, which the page's CSP forbids.
    expect(page.locator(PENDING_OUTPUTS)).to_have_count(0, timeout=30_000)
    page.wait_for_load_state("networkidle")


def visit(context: BrowserContext, url: str, wait: bool = True) -> Visit:
    """Open ``url`` in a new tab, listening to its console and requests; by default wait until it is all there."""
    page = context.new_page()
    seen = Visit(page)
    page.on("console", lambda message: _console_error(seen, message))
    page.on("pageerror", lambda error: seen.errors.append(f"uncaught: {error}"))
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("websocket", lambda socket: seen.requests.append(socket.url))
    page.goto(url, wait_until="load" if wait else "commit")
    if wait:
        finish_loading(page)
    return seen


def wcag_violations(page: Page, report: Path) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations in the page as it is now, also written to ``report`` as JSON."""
    assert AXE.is_file(), "axe-core is missing: run `npm ci` (make test does)"
    page.add_script_tag(path=AXE)
    result = page.evaluate(RUN_AXE, WCAG_21_A_AA)
    violations = [
        {"rule": v["id"], "impact": v["impact"], "where": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(violations, indent=2), encoding="utf-8")
    return violations


def close_tab(page: Page) -> None:
    """Close a tab the way a person does: the page gets its "beforeunload" event first."""
    with page.expect_event("close"):
        page.close(run_before_unload=True)


def wait_until(condition: Callable[[], bool], seconds: float, every: float = 0.5) -> bool:
    """Whether ``condition`` came true within ``seconds``, looked at every ``every`` seconds."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True
