"""Processes the benchmark measures: the app and its kernels (memory, CPU), the static baseline, a bare kernel.

The app server itself is started and stopped by :class:`backpain_edu.testing.AppServer`, which also kills
any kernel it leaves behind; the static file server and the bare kernel are stopped here.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from backpain_edu.testing import AppServer

MB = 1024 * 1024


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
