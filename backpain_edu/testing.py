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
    """``python -m backpain_edu.cli ARGS --port PORT`` (or another ``program``) in its own process group; a context
    manager that stops it.

    jupyter_client starts each kernel in a session of its own, which a signal to the server's group misses,
    so ``seen`` remembers the server and every descendant ever listed (pid -> start time), and ``stop``
    kills any of them still alive, but only while its pid still belongs to the process that was seen.
    """

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path, own_log: bool, program_len: int) -> None:
        self.process, self.port, self.log = process, port, log
        self._program_len = program_len
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
        program: Sequence[str] = (sys.executable, "-m", "backpain_edu.cli"),
    ) -> AppServer:
        """Run ``backpain-edu ARGS`` on a free port; return once it accepts connections, or stop it and raise.

        Its output goes to ``log`` (by default a temporary file, removed when it stops). ``program`` is the
        command that runs ``backpain-edu`` (another environment's ``bin/backpain-edu``, say).
        """
        port = free_port()
        own_log = log is None
        if log is None:
            handle, name = tempfile.mkstemp(prefix="backpain-edu-server-", suffix=".log")
            os.close(handle)
            log = Path(name)
        with log.open("wb") as output:
            process = subprocess.Popen(
                [*program, *args, "--port", str(port)],
                cwd=cwd,
                env={**os.environ, **(env or {})},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = cls(process, port, log, own_log, len(program))
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
        return " ".join(str(arg) for arg in self.process.args[self._program_len :])  # after the program

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


CLUSTER_SCRIPT = Path(__file__).resolve().parents[1] / "deploy" / "cluster.py"
"""``make cluster``: replicas behind nginx (a file of the repository, not of the installed package)."""

CLUSTER_EVENT = re.compile(r"^\[\s*([0-9.]+) s\] (.*)$")


class RunningCluster:
    """``deploy/cluster.py`` in a process of its own: nginx on a free port in front of ``replicas`` replicas.

    Its printed events are collected as they come, with the wall-clock time each was read (``events``),
    so a test can line them up with its own requests and with nginx's access log (``$msec`` is wall time).
    """

    def __init__(self, process: subprocess.Popen[str], port: int, folder: Path) -> None:
        import threading

        self.process, self.port, self.folder = process, port, folder
        self.events: list[tuple[float, str]] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @classmethod
    def start(
        cls, replicas: int, folder: Path, env: Mapping[str, str] | None = None, timeout_s: float = 240
    ) -> RunningCluster:
        """Start the cluster; return once it prints that every replica is ready, or stop it and raise."""
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, str(CLUSTER_SCRIPT), "--replicas", str(replicas), "--port", str(port)]
            + ["--folder", str(folder), "--start-timeout", str(timeout_s)],
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        cluster = cls(process, port, folder)
        try:
            cluster.wait_for(r"cluster ready at ", timeout_s=timeout_s + 10)
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.events.append((time.time(), line.rstrip("\n")))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, pattern: str, after: int = 0, timeout_s: float = 60) -> tuple[int, re.Match[str], float]:
        """The first event from index ``after`` on that matches ``pattern``: (index, match, wall time read)."""
        wanted = re.compile(pattern)
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                for index in range(after, len(self.events)):
                    seen_at, line = self.events[index]
                    match = wanted.search(line)
                    if match:
                        return index, match, seen_at
                if self.process.poll() is not None and not self._reader.is_alive():
                    raise RuntimeError(f"the cluster stopped before {pattern!r}:\n{self.transcript()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {pattern!r} within {timeout_s:.0f} s:\n{self.transcript()}")
                self._changed.wait(min(left, 0.5))

    def transcript(self) -> str:
        return "\n".join(line for _, line in self.events)

    def replicas(self) -> dict[str, tuple[str, int]]:
        """Each replica's tag -> (address, pid), from the latest "starting" event of each."""
        found = {}
        for _, line in self.events:
            match = re.search(r"replica ([0-9a-f]{2}) starting on (\S+) \(pid (\d+)\)", line)
            if match:
                found[match.group(1)] = (match.group(2), int(match.group(3)))
        return found

    def access_log(self) -> list[tuple[float, list[str], str, str]]:
        """nginx's lines: (wall time, every replica address tried in order, final status, the kernel route's
        replica tag or "" for a page or a static file)."""
        lines = []
        path = self.folder / "access.log"
        for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
            msec, upstreams, _statuses, status, kernel_tag = line.split("|")
            tried = [address.strip() for address in upstreams.replace(" : ", ",").split(",")]
            lines.append((float(msec), [address for address in tried if address not in ("", "-")], status, kernel_tag))
        return lines

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page_url(self, file: str) -> str:
        return f"{self.url}/voila/render/{file}"

    def stop(self) -> None:
        """SIGTERM, as Ctrl-C would: the cluster stops nginx and every replica (which stop their kernels)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_GRACE_S + 15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            raise RuntimeError(f"the cluster did not stop within {STOP_GRACE_S + 15} s; killed") from None
        self._reader.join(timeout=5)

    def __enter__(self) -> RunningCluster:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
