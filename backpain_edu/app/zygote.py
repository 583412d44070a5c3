"""The kernel zygote: one process per replica that imports a kernel's code once, then forks each tool page's kernel.

**Why.** Measured (issue 25), a tool page's new kernel spent 0.6-0.9 CPU-s before it ran the notebook, almost
all of it importing ipykernel, IPython, zmq, ipywidgets and ``backpain_edu`` (its 78 content models). Every
visitor paid it again, and it set the replica's capacity. A child forked from a process that has already
imported them starts with all of that done, and shares those pages of memory with its siblings until it
writes to them.

**Why it is safe to fork here.** ``fork`` copies one thread and every open file, so a process that had a second
thread, an event loop or a ZMQ context could hand a child a lock held forever or a socket it shares. The zygote
only imports: it never starts a thread, an event loop or a ZMQ context, and never runs a visitor's code or
reads anything of theirs. :func:`fork_problem` checks the first three before every fork, and the zygote refuses
to fork (the server then starts the kernel the usual way) if one appears. Each child then becomes what
``python -m ipykernel_launcher`` would have made: a new session (so an interrupt reaches its group only), stdin
from ``/dev/null``, the environment, working folder and arguments the server asked for (its own connection file
and key), its own random state (``random`` reseeds itself in a forked child), and the signal handling of a
fresh interpreter. Two visitors' kernels share nothing but read-only copies of imported code:
``tests/test_forked_kernels.py`` runs two and checks.

**Its life.** The server starts it with one end of a socket pair (:class:`backpain_edu.app.forking.Zygote`). A
request is a length-prefixed JSON object (argv, env, cwd); the answer is ``{"pid": N}`` with a pidfd for the
child passed alongside (``SCM_RIGHTS``), so the server can watch and signal a process that is not its own child
without the risk of a reused pid. The zygote reaps its children, ignores Ctrl-C (the server's to handle), and
exits when the server's end closes; each kernel watches the zygote (``JPY_PARENT_PID``) and exits when it goes.
Linux only (pidfd): elsewhere the server starts kernels the usual way.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import json
import os
import signal
import socket
import struct
import sys
import threading
import traceback
from collections.abc import Mapping
from typing import Any

import setproctitle

PRELOADED = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",  # debugpy: imported as each kernel starts (0.06 CPU-s), starts nothing
    "IPython.core.history",
    "tornado.queues",
    "ipywidgets",
    "backpain_edu.catalog",
    "backpain_edu.display",
    "backpain_edu.widgets",
    "backpain_edu.widgets.checklist",
    "backpain_edu.widgets.care_plan",
    "backpain_edu.widgets.diary",
)
"""What every tool page's kernel imports before it runs a line of the notebook, imported once here."""

IMPORT_TIME_VARIABLES = ("JUPYTER_WIDGETS_ECHO", "IPYTHON_SUPPRESS_CONFIG_ERRORS", "IPYTHON_USE_PROGRAMDATA")
"""Settings the preloaded modules read once, as they are imported (besides the interpreter's own ``PYTHON*``):
a kernel whose environment gives them other values than the zygote's is started the usual way."""


def import_time_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """The settings in ``environ`` that shape what importing ``PRELOADED`` does (see IMPORT_TIME_VARIABLES)."""
    return {key: value for key, value in environ.items() if key.startswith("PYTHON") or key in IMPORT_TIME_VARIABLES}


LENGTH = struct.Struct("!I")
"""Each message's length in bytes, before it."""

KERNEL_MODULE = "ipykernel_launcher"


def send_message(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    """One message (a JSON object), length first; ``fds`` go with its first byte."""
    data = json.dumps(message).encode()
    framed = LENGTH.pack(len(data)) + data
    if fds:
        sent = socket.send_fds(sock, [framed], fds)
        sock.sendall(framed[sent:])
    else:
        sock.sendall(framed)


def receive_message(sock: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """The next message and any file descriptors sent with it; ``(None, [])`` once the other end has closed."""
    head, fds, _flags, _address = socket.recv_fds(sock, LENGTH.size, 4)
    if not head:
        return None, []
    head += _receive_exactly(sock, LENGTH.size - len(head))
    (length,) = LENGTH.unpack(head)
    return json.loads(_receive_exactly(sock, length)), list(fds)


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the other end closed in the middle of a message")
        data += chunk
    return data


def fork_problem() -> str | None:
    """Why forking now would be unsafe (a second thread, an event loop, a ZMQ context), or None."""
    if threading.active_count() != 1:
        return f"{threading.active_count()} threads are running"
    import asyncio.events

    # An event loop's selector is a file: a child would share it with the zygote.
    policy = asyncio.events._event_loop_policy
    if asyncio.events._get_running_loop() is not None or getattr(getattr(policy, "_local", None), "_loop", None):
        return "an asyncio event loop exists"
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        return "a ZMQ context exists"
    return None


def preload() -> None:
    """Import what every kernel imports (``PRELOADED``), and parse the content every tool page shows (each
    language's catalog, for this environment's deployment; a kernel whose deployment differs parses its own)."""
    for name in PRELOADED:
        importlib.import_module(name)
    from backpain_edu.catalog import preload_catalogs

    preload_catalogs()


def serve(sock: socket.socket) -> None:
    """Fork a kernel for each request on ``sock`` until the server closes it."""
    signal.signal(signal.SIGCHLD, _reap)
    while True:
        request, fds = receive_message(sock)
        for fd in fds:
            os.close(fd)
        if request is None:
            return
        problem = fork_problem()
        if problem is not None:
            send_message(sock, {"error": f"not forking: {problem}"})
            continue
        # No reaping between the fork and the pidfd: the pid must still be the child's when it is opened.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            pid = os.fork()
            if pid == 0:
                _become_kernel(request, sock)  # never returns
            try:
                pidfd = os.pidfd_open(pid)
            except OSError as error:
                # A sandbox may forbid the call (an old container runtime's seccomp profile): a kernel the server
                # cannot watch must not run. The server then starts it the usual way.
                os.kill(pid, signal.SIGKILL)
                send_message(sock, {"error": f"no pidfd for the child ({error})"})
                continue
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        try:
            send_message(sock, {"pid": pid}, [pidfd])
        finally:
            os.close(pidfd)


def _reap(_signum: int, _frame: object) -> None:
    """Collect every child that has exited, so none stays a zombie."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_kernel(request: dict[str, Any], sock: socket.socket) -> None:
    """In the child: become the kernel ``request`` asks for, as ``python -m ipykernel_launcher`` would; exit with it."""
    status = 1
    try:
        sock.close()
        os.setsid()
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # The kernel exits when its parent goes: the zygote, which exits when the server goes.
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        arguments = list(request["argv"][3:])
        sys.argv = [importlib.util.find_spec(KERNEL_MODULE).origin or KERNEL_MODULE, *arguments]
        # Seen from outside (ps, /proc, the tests and the benchmark), the command the server asked for: which
        # kernel this is, by its connection file, rather than the zygote's command line.
        setproctitle.setproctitle(" ".join(request["argv"]))
        from backpain_edu.catalog import forget_catalogs_if_content_changed

        forget_catalogs_if_content_changed()  # content edited since the zygote parsed it: parse it afresh
        status = _run_kernel(arguments)
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        # Never back into the zygote's loop: run what a normal exit runs, then leave.
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def _run_kernel(arguments: list[str]) -> int:
    import ipywidgets
    from ipykernel.kernelapp import IPKernelApp

    # ipykernel reads JPY_PARENT_PID when it is imported (a trait's default), here before the kernel's environment
    # was set: pass its parent, the zygote, as the launcher's would have been.
    app = IPKernelApp.instance(parent_handle=os.getppid())
    app.initialize(arguments)
    # ipywidgets registers its comm targets when it is imported inside a running kernel; here it was imported
    # before the kernel existed, so register them now, as that import would have.
    ipywidgets.register_comm_target()
    app.start()
    return 0


def main(argv: list[str]) -> None:
    """``python -m backpain_edu.app.zygote FD``: FD is the zygote's end of the server's socket pair."""
    sock = socket.socket(fileno=int(argv[1]))
    # As ipykernel_launcher does: the working folder is not where kernel code is imported from.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # setproctitle finds the memory it rewrites (argv, then the environment after it) on first use, which must be
    # before a child replaces its environment: use it once here.
    setproctitle.setproctitle(setproctitle.getproctitle())
    preload()
    serve(sock)


if __name__ == "__main__":
    main(sys.argv)
