"""The test and benchmark server wrapper stops what it started: the server, and kernels in sessions of their own."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil

from backpain_edu.testing import AppServer

# A stand-in for the server: it starts a "kernel" in a session of its own (as jupyter_client does), which a signal to
# the server's process group misses.
SERVER = (
    "import subprocess, sys, time; "
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], start_new_session=True); "
    "time.sleep(60)"
)


def test_stopping_a_server_stops_it_and_every_kernel_it_started(tmp_path: Path) -> None:
    # What the benchmark relied on when it listed every process it started and found none alive afterwards.
    process = subprocess.Popen([sys.executable, "-c", SERVER], start_new_session=True)
    server = AppServer(process, port=0, log=tmp_path / "server.log", own_log=False, program_len=1)
    deadline = time.monotonic() + 30
    while len(server.tree()) < 2 and time.monotonic() < deadline:  # tree() remembers each process it lists
        time.sleep(0.1)
    started = [psutil.Process(pid) for pid in server.seen]
    assert len(started) == 2
    server.stop()
    _, alive = psutil.wait_procs(started, timeout=10)  # a SIGKILL takes a moment to land
    assert alive == []
