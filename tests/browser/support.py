"""Run the app as a patient would meet it: ``backpain-edu serve`` in its own process, Chromium.

Shared by the browser tests; the fixtures live in ``conftest.py``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # installed with ipykernel, which every Voila kernel runs
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from backpain_edu.deployment import Deployment

# Debian's Chromium (apt-get install chromium); never `playwright install`, which downloads a browser.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
# Voila's script replaces each of these with the output it describes (a widget, for instance).
PENDING_OUTPUTS = 'script[type="application/vnd.voila.cell-output+json"]'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    """One ``backpain-edu serve`` process and the address it answers on."""

    process: subprocess.Popen
    url: str

    def page_url(self, file: str) -> str:
        return f"{self.url}/voila/render/{file}"

    def kernel_processes(self) -> list[psutil.Process]:
        """The kernels the server is running right now, counted as its child processes (not via any API)."""
        kernels = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    kernels.append(child)
            except psutil.NoSuchProcess:
                continue
        return kernels

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise


# The browser tests serve the app as a US clinic with a contact address: the pages must show 911 and the
# clinic's contact, and the kernels (which get these settings through the environment) must agree.
DEPLOYMENT = Deployment("us", "report@clinic.example")


def start_app_server(notebooks: Path | None = None, log: Path | None = None) -> AppServer:
    """Start ``backpain-edu serve`` on a free port and wait until it accepts connections."""
    port = _free_port()
    command = [sys.executable, "-m", "backpain_edu.cli", "serve", "--port", str(port)]
    command += ["--region", DEPLOYMENT.region, "--contact", DEPLOYMENT.contact or ""]
    if notebooks is not None:
        command += ["--notebooks", str(notebooks)]
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return AppServer(process, f"http://127.0.0.1:{port}")
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"backpain-edu serve exited with {process.returncode}") from None
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("backpain-edu serve did not start within 60 s")


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
    """Wait until the page is fully there: scripts loaded, widgets drawn, the network quiet."""
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
    page.goto(url, wait_until="networkidle" if wait else "commit")
    if wait:
        finish_loading(page)
    return seen


def close_tab(page: Page) -> None:
    """Close a tab the way a person does: the page gets its "beforeunload" event first."""
    with page.expect_event("close"):
        page.close(run_before_unload=True)
