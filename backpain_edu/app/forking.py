"""Kernels forked from the replica's zygote (``app/zygote.py``), with the usual start as the fallback.

:class:`ForkingProvisioner` is Jupyter's own local provisioner with one change: it asks the zygote for the
kernel process instead of starting ``python -m ipykernel_launcher``. Everything else (the connection file,
its key, the ports or sockets, restarts, interrupts, shutdown) is Jupyter's, unchanged. It starts a kernel
the usual way, and says why in the log, whenever forking could differ from that: another command than this
interpreter's ``-m ipykernel_launcher``, a setting in the kernel's environment read at import time (``PYTHON*``
and a few others) that the zygote did not start with, output the caller wants captured, no pidfd (not Linux),
or a zygote that refuses or fails.

A forked kernel is not the server's child, so :class:`ForkedKernel` stands in for ``subprocess.Popen``: it
watches and signals the process through the pidfd the zygote sent. Its exit status is not the server's to
collect (the zygote reaps it): it is reported as 0, or as minus the last signal sent, as Popen would.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import EntryPoint
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner

from backpain_edu.app import zygote as zygote_module

PROVISIONER_NAME = "backpain-edu-forking"
"""The provisioner's name in Jupyter's registry (``use_forked_kernels``)."""

ZYGOTE_START_S = 60.0
"""Longest wait for the zygote's first answer (it imports a kernel's code first: about a second)."""


class ZygoteError(RuntimeError):
    """The zygote did not fork the kernel: it refused (and said why) or is gone."""


class Zygote:
    """The server's end of its zygote process, started on first use and again if it has gone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._sock: socket.socket | None = None
        self._environ: dict[str, str] = {}
        self.unusable: str | None = None  # why no kernel can be forked here at all (no pidfd in this sandbox)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def import_settings(self) -> dict[str, str]:
        """The settings the zygote was started with that shaped its imports (``zygote.import_time_settings``);
        before its first start, this process's, which it would start with."""
        return zygote_module.import_time_settings(self._environ if self._process is not None else os.environ)

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._environ = dict(os.environ)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", zygote_module.__name__, str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=self._environ,
            )
        finally:
            theirs.close()
        ours.settimeout(ZYGOTE_START_S)
        self._sock = ours

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> tuple[int, int]:
        """A kernel process for ``argv`` (this interpreter's ``-m ipykernel_launcher ...``): its pid and a pidfd."""
        with self._lock:
            for attempt in (1, 2):
                if self._process is None or self._process.poll() is not None:
                    self._start()
                try:
                    zygote_module.send_message(self._sock, {"argv": argv, "env": env, "cwd": cwd})
                    answer, fds = zygote_module.receive_message(self._sock)
                except OSError as error:
                    answer, fds = None, []
                    problem = f"no answer from the zygote ({error})"
                else:
                    problem = "the zygote has gone"
                if answer is not None and "pid" in answer and len(fds) == 1:
                    return answer["pid"], fds[0]
                for fd in fds:
                    os.close(fd)
                if answer is not None:
                    error = answer.get("error", f"unexpected answer {answer!r}")
                    if error.startswith("no pidfd"):
                        self.unusable = error  # the same for every kernel: stop asking
                    raise ZygoteError(error)
                self.close()
                if attempt == 2:
                    raise ZygoteError(problem)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the zygote's socket: it exits (its kernels then exit too), and is started again on next use."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


_ZYGOTE = Zygote()
_ASKING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zygote")
"""The one thread that talks to the zygote (forks are one at a time anyway). Not the event loop's default executor:
code that blocks one of its threads while it waits for a kernel to start (Jupyter's run_sync, say) could fill it
with waiters and leave no thread to start that kernel."""


class ForkedKernel:
    """A forked kernel process, as much of ``subprocess.Popen`` as Jupyter's local provisioner uses."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid = pid
        self._pidfd: int | None = pidfd
        self._last_signal = 0
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and self._pidfd is not None:
            readable, _, _ = select.select([self._pidfd], [], [], 0)
            if readable:  # a pidfd reads as ready once its process has exited
                self.returncode = -self._last_signal
                os.close(self._pidfd)
                self._pidfd = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.poll() is None and not select.select([self._pidfd], [], [], timeout)[0]:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
        return self.poll()

    def send_signal(self, signum: int) -> None:
        if self.poll() is None and self._pidfd is not None:
            signal.pidfd_send_signal(self._pidfd, signum)
            self._last_signal = signum

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkingProvisioner(LocalProvisioner):
    """Jupyter's local provisioner, with the kernel process forked from the zygote (see the module's docstring)."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        reason = self.why_not_forked(cmd, kwargs)
        if reason is None:
            env = dict(kwargs.get("env") or os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            try:
                loop = asyncio.get_running_loop()
                pid, pidfd = await loop.run_in_executor(_ASKING, _ZYGOTE.fork, list(cmd), env, cwd)
            except ZygoteError as error:
                reason = str(error)
            else:
                self.process = ForkedKernel(pid, pidfd)
                # The child starts its own session at once: its process group is its pid.
                self.pid = self.pgid = pid
                self.cwd = cwd
                return self.connection_info
        self.log.warning("Starting kernel %s the usual way: %s", self.kernel_id, reason)
        return await super().launch_kernel(cmd, **kwargs)

    @staticmethod
    def why_not_forked(cmd: list[str], kwargs: dict[str, Any]) -> str | None:
        """Why this launch must not be forked, or None (see the module's docstring)."""
        if not hasattr(os, "pidfd_open") or not hasattr(signal, "pidfd_send_signal"):
            return "forked kernels need Linux (pidfd)"
        if _ZYGOTE.unusable is not None:
            return _ZYGOTE.unusable
        if list(cmd[:3]) != [sys.executable, "-m", zygote_module.KERNEL_MODULE]:
            return f"the kernel's command is not this interpreter's -m {zygote_module.KERNEL_MODULE}"
        if any(kwargs.get(stream) is not None for stream in ("stdin", "stdout", "stderr")):
            return "its output is to be captured"
        asked = zygote_module.import_time_settings(kwargs.get("env") or os.environ)
        if asked != _ZYGOTE.import_settings():
            return "its environment differs from the zygote's in a setting read at import (PYTHON* and others)"
        return None


def use_forked_kernels() -> None:
    """Make :class:`ForkingProvisioner` the default for kernels this process starts (a kernel spec may still name
    its own). Registered here rather than as a package entry point, so a checkout that was not reinstalled after
    this change still finds it."""
    factory = KernelProvisionerFactory.instance()
    factory.provisioners[PROVISIONER_NAME] = EntryPoint(
        name=PROVISIONER_NAME, value=f"{__name__}:ForkingProvisioner", group=KernelProvisionerFactory.GROUP_NAME
    )
    factory.default_provisioner_name = PROVISIONER_NAME


def stop_zygote() -> None:
    """Close this process's zygote, and so its kernels (the tests do; a server need not: its zygote exits on its
    own once the server's end of the socket closes)."""
    _ZYGOTE.close()
