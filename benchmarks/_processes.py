"""The processes a benchmark run owns: the app server and its kernels, the static baseline, a bare kernel.

Everything started here is stopped here, by process id, even when the run fails half-way: the app
server runs in its own process group, and its kernels (which jupyter_client starts in sessions of
their own, so a group signal misses them) are found among its children and killed one by one.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

MB = 1024 * 1024
KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{log.read_text(errors='replace')[-2000:]}") from None
            time.sleep(0.2)
    raise RuntimeError(f"the app did not listen on port {port} within {timeout_s:.0f} s")


def _kill_if_same(pid: int, started: float) -> None:
    """Kill ``pid`` only if it is still the process we saw (a recycled pid belongs to someone else)."""
    with contextlib.suppress(psutil.Error):
        process = psutil.Process(pid)
        if process.create_time() == started:
            process.kill()


@dataclass
class AppServer:
    """``backpain-edu serve`` on a free loopback port, as configured by the package."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    seen: dict[int, float] = field(default_factory=dict)
    """The server and every descendant ever listed (pid -> start time): clean-up finds kernels even if it died."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tree(self) -> list[psutil.Process]:
        """The server process and every live descendant (its kernels)."""
        try:
            root = psutil.Process(self.process.pid)
            children = root.children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        for child in children:
            with contextlib.suppress(psutil.Error):
                self.seen.setdefault(child.pid, child.create_time())
        return [root, *children]

    def log_count(self, text: str) -> int:
        """How often ``text`` appears in the server's log so far (e.g. kernels culled by the server)."""
        return self.log.read_text(encoding="utf-8", errors="replace").count(text)

    def kernels(self) -> dict[str, psutil.Process]:
        """Live kernel processes of this server, by kernel id (read from the connection-file argument)."""
        found = {}
        for proc in self.tree()[1:]:
            with contextlib.suppress(psutil.Error):
                match = KERNEL_FILE.search(" ".join(proc.cmdline()))
                if match:
                    found[match.group(1)] = proc
        return found


@contextlib.contextmanager
def app_server(repo: Path, notebooks: Path | None = None, timeout_s: float = 90) -> Iterator[AppServer]:
    """Start the app in its own process group; on exit stop it and kill any kernel it leaves behind."""
    port = free_port()
    extra = ["--notebooks", str(notebooks)] if notebooks else []
    log = Path(tempfile.mkstemp(prefix="bench-app-", suffix=".log")[1])
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "backpain_edu.cli", "serve", "--port", str(port), *extra],
            cwd=repo,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = AppServer(process, port, log)
    with contextlib.suppress(psutil.Error):
        server.seen[process.pid] = psutil.Process(process.pid).create_time()
    try:
        _wait_for_port(port, process, log, timeout_s)
        yield server
    finally:
        server.tree()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        for pid, started in server.seen.items():
            _kill_if_same(pid, started)
        log.unlink(missing_ok=True)


@dataclass(frozen=True)
class Memory:
    rss_mb: float
    uss_mb: float
    pss_mb: float


def memory_of(processes: list[psutil.Process]) -> Memory:
    """Summed memory; PSS shares common pages fairly between kernels, so it is the one that adds up."""
    rss = uss = pss = 0
    for proc in processes:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            rss, uss, pss = rss + info.rss, uss + info.uss, pss + info.pss
    return Memory(round(rss / MB, 1), round(uss / MB, 1), round(pss / MB, 1))


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """CPU time used so far by each process, by pid."""
    times = {}
    for proc in processes:
        with contextlib.suppress(psutil.Error):
            cpu = proc.cpu_times()
            times[proc.pid] = cpu.user + cpu.system
    return times


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings; a process started in between counts from its start."""
    return round(sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items()), 2)


def wait_until_quiet(server: AppServer, cores: float = 0.15, window_s: float = 0.5, max_s: float = 30) -> float:
    """Wait until the server and its kernels use less than ``cores`` CPU; return how long that took.

    So one visit's clean-up (or a preheated pool refilling) does not land in the next visit's timing.
    """
    start = time.monotonic()
    while time.monotonic() - start < max_s:
        before = cpu_seconds(server.tree())
        time.sleep(window_s)
        after = cpu_seconds(server.tree())
        used = sum(after[pid] - before[pid] for pid in after if pid in before)
        if used / window_s < cores:
            break
    return time.monotonic() - start


def wait_for_kernel_exit(server: AppServer, kernel_ids: set[str], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not kernel_ids & server.kernels().keys():
            return True
        time.sleep(0.1)
    return False


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over loopback with the standard library's file server; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def export_static(notebooks: list[Path], out_dir: Path, timeout_s: float = 300) -> dict[str, float]:
    """Export each notebook with nbconvert (executed, no input), all at once; return seconds per notebook."""
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter)] if jupyter.exists() else [sys.executable, "-m", "jupyter"]
    started = {}
    for notebook in notebooks:
        args = [*command, "nbconvert", "--to", "html", "--no-input", "--execute", "--output-dir", str(out_dir)]
        process = subprocess.Popen(
            [*args, str(notebook)], cwd=notebook.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        started[notebook.name] = (process, time.monotonic())
    took = {}
    for name, (process, t0) in started.items():
        _, err = process.communicate(timeout=timeout_s)
        if process.returncode != 0:
            raise RuntimeError(f"nbconvert failed for {name}:\n{err.decode(errors='replace')[-2000:]}")
        took[name] = round(time.monotonic() - t0, 2)
    return took


def bare_kernel_memory(code: str = "import ipywidgets") -> Memory:
    """Memory of a kernel that only ran ``code``: the floor a visitor's kernel is compared with."""
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    try:
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(code, timeout=60, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the bare kernel could not run {code!r}")
        time.sleep(0.5)
        pid = manager.provisioner.pid  # type: ignore[union-attr]
        memory = memory_of([psutil.Process(pid)])
        client.stop_channels()
    finally:
        manager.shutdown_kernel(now=True)
    return memory


def machine(server: AppServer) -> dict[str, Any]:
    """The machine and what else runs on it: kernels of other servers share the same cores."""
    from importlib.metadata import version

    others = 0
    for proc in psutil.process_iter(["cmdline", "ppid"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if "ipykernel" in cmdline and proc.info["ppid"] != server.process.pid:
            others += 1
    return {
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "kernels_of_other_processes": others,
        "python": platform.python_version(),
        "voila": version("voila"),
        "ipywidgets": version("ipywidgets"),
    }
