"""What the tests and the benchmark share: a free port, Debian's Chromium, and the app in a process of its own.

In the package, as ``numpy.testing`` is, so that ``benchmarks/bench.py`` (a script, which cannot import
``tests``) and the tests use one copy. Only the standard library is imported here: psutil and playwright
are development dependencies, imported by the functions that need them.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil

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
STOP_GRACE_S = 20
KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")


def free_port() -> int:
    """A loopback TCP port that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class AppServer:
    """``python -m backpain_edu.cli ARGS --port PORT`` in its own process group; a context manager that stops it.

    jupyter_client starts each kernel in a session of its own, which a signal to the server's group misses,
    so ``seen`` remembers the server and every descendant ever listed (pid -> start time), and ``stop``
    kills any of them still alive, but only while its pid still belongs to the process that was seen.
    """

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path, own_log: bool) -> None:
        self.process, self.port, self.log = process, port, log
        self.seen: dict[int, float] = {}
        self._own_log = own_log

    @classmethod
    def start(
        cls,
        args: Sequence[str],
        env: Mapping[str, str] | None = None,
        log: Path | None = None,
        cwd: Path | None = None,
        timeout_s: float = 90,
    ) -> AppServer:
        """Run ``backpain-edu ARGS`` on a free port; return once it accepts connections, or stop it and raise.

        Its output goes to ``log`` (by default a temporary file, removed when it stops).
        """
        port = free_port()
        own_log = log is None
        if log is None:
            handle, name = tempfile.mkstemp(prefix="backpain-edu-server-", suffix=".log")
            os.close(handle)
            log = Path(name)
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "backpain_edu.cli", *args, "--port", str(port)],
                cwd=cwd,
                env={**os.environ, **(env or {})},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = cls(process, port, log, own_log)
        try:
            server.tree()
            server._wait_for_port(timeout_s)
        except BaseException:
            with contextlib.suppress(RuntimeError):
                server.stop()
            raise
        return server

    def _wait_for_port(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not _accepts_connections(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"`{self._command()}` exited with {self.process.returncode}:\n{self._log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"`{self._command()}` did not listen within {timeout_s:.0f} s:\n{self._log_tail()}")
            time.sleep(0.2)

    def _command(self) -> str:
        return " ".join(str(arg) for arg in self.process.args[3:])  # after `python -m backpain_edu.cli`

    def _log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-2000:]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page_url(self, file: str) -> str:
        return f"{self.url}/voila/render/{file}"

    def tree(self) -> list[psutil.Process]:
        """The server process and every live descendant (its kernels); each is remembered in ``seen``."""
        import psutil

        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        for process in processes:
            with contextlib.suppress(psutil.Error):
                self.seen.setdefault(process.pid, process.create_time())
        return processes

    def _kernel_command_lines(self) -> list[tuple[psutil.Process, str]]:
        import psutil

        found = []
        for process in self.tree()[1:]:
            with contextlib.suppress(psutil.Error):
                command_line = " ".join(process.cmdline())
                if "ipykernel_launcher" in command_line:
                    found.append((process, command_line))
        return found

    def kernel_processes(self) -> list[psutil.Process]:
        """The kernels the server is running right now, counted as its child processes (not via any API)."""
        return [process for process, _ in self._kernel_command_lines()]

    def kernels(self) -> dict[str, psutil.Process]:
        """The same kernels by kernel id, read from the connection file named on their command line."""
        matches = ((process, KERNEL_FILE.search(line)) for process, line in self._kernel_command_lines())
        return {match.group(1): process for process, match in matches if match}

    def stop(self) -> None:
        """SIGTERM to the server's group, SIGKILL if it still runs 20 s later; then kill any kernel left behind.

        Raises RuntimeError (after cleaning up) if the server had to be killed.
        """
        self.tree()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_GRACE_S)
            killed = False
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            killed = True
        self._kill_leftovers()
        if self._own_log:
            self.log.unlink(missing_ok=True)
        if killed:
            raise RuntimeError(f"`{self._command()}` did not stop within {STOP_GRACE_S} s of SIGTERM; killed")

    def _kill_leftovers(self) -> None:
        import psutil

        for pid, started in self.seen.items():
            with contextlib.suppress(psutil.Error):
                process = psutil.Process(pid)
                if process.create_time() == started:
                    process.kill()

    def __enter__(self) -> AppServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
