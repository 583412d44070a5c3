"""Kernels forked from the zygote (app/zygote.py, app/forking.py): each a kernel of its own, sharing nothing with
another visitor's, signalled and shut down as Jupyter's own, and started the usual way whenever forking could
differ from it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest
from jupyter_client import KernelManager
from jupyter_client.provisioning import KernelProvisionerFactory

from backpain_edu import catalog
from backpain_edu.app import forking, zygote
from backpain_edu.app.forking import ForkedKernel, ForkingProvisioner
from backpain_edu.catalog import load_languages
from backpain_edu.deployment import REGION_VARIABLE

LAUNCHER = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Kernels started in this test are forked; afterwards the default is Jupyter's again and the zygote gone."""
    factory = KernelProvisionerFactory.instance()
    monkeypatch.setattr(factory, "default_provisioner_name", factory.default_provisioner_name)
    forking.use_forked_kernels()
    yield
    forking.stop_zygote()


def start(env: dict[str, str] | None = None) -> KernelManager:
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(env={**os.environ, **(env or {})})
    return manager


def run(manager: KernelManager, code: str, timeout: float = 60) -> str:
    """What ``code`` prints in the kernel (an error as its name)."""
    client = manager.client()
    client.start_channels()
    printed: list[str] = []

    def keep(message: dict) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            printed.append(message["content"]["ename"])

    try:
        client.wait_for_ready(timeout=timeout)
        client.execute_interactive(code, output_hook=keep, timeout=timeout)
    finally:
        client.stop_channels()
    return "".join(printed).strip()


def gone(pid: int, within_s: float = 10) -> bool:
    """Whether process ``pid`` has exited and been reaped (no zombie left) within ``within_s``."""
    deadline = time.monotonic() + within_s
    while os.path.exists(f"/proc/{pid}"):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


PROBE = (
    "import os, random, sys\n"
    "from ipykernel.kernelapp import IPKernelApp\n"
    "print(os.getpid(), os.getppid(), os.getpgrp(), IPKernelApp.instance().parent_handle,"
    " os.environ['VISITOR'], random.getrandbits(64), 'secret' in globals(), 'ipywidgets' in sys.modules,"
    " sorted(get_ipython().kernel.comm_manager.targets) == ['jupyter.widget', 'jupyter.widget.control'])\n"
    "secret = os.environ['VISITOR']"
)


def test_two_visitors_kernels_are_forked_and_share_nothing(forked: None) -> None:
    managers = [start({"VISITOR": name}) for name in ("ana", "ben")]
    try:
        probes = [run(manager, PROBE).split() for manager in managers]
        zygote_pid = forking._ZYGOTE.pid
        for manager, visitor, (pid, ppid, group, parent_handle, seen, _, has_secret, preloaded, targets) in zip(
            managers, ("ana", "ben"), probes, strict=True
        ):
            assert isinstance(manager.provisioner, ForkingProvisioner)
            assert isinstance(manager.provisioner.process, ForkedKernel)
            assert int(pid) == manager.provisioner.pid != os.getpid()
            # A child of the zygote (so it was forked), in a session of its own, watching the zygote.
            assert int(ppid) == int(parent_handle) == zygote_pid
            assert int(group) == int(pid)
            # Seen from outside (ps, the tests), the command the server asked for, with its own connection file.
            assert psutil.Process(int(pid)).cmdline() == [
                sys.executable,
                "-m",
                "ipykernel_launcher",
                "-f",
                manager.connection_file,
            ]
            assert (seen, has_secret, preloaded, targets) == (visitor, "False", "True", "True")
        assert probes[0][0] != probes[1][0]
        assert probes[0][5] != probes[1][5], "both kernels drew the same random numbers"
        # What one visitor's kernel holds, the other's never sees.
        assert run(managers[1], "print('secret' in globals(), secret)") == "True ben"
        assert run(managers[0], "print(secret)") == "ana"
    finally:
        pids = [manager.provisioner.pid for manager in managers]
        for manager in managers:
            manager.shutdown_kernel(now=False)
    assert all(gone(pid) for pid in pids), "a forked kernel outlived its shutdown (or was left a zombie)"


def test_an_interrupt_reaches_a_forked_kernel(forked: None) -> None:
    manager = start()
    try:
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.execute("import time; time.sleep(60)")
        time.sleep(1)
        started = time.monotonic()
        manager.interrupt_kernel()
        reply = client.get_shell_msg(timeout=30)
        client.stop_channels()
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - started < 20
    finally:
        manager.shutdown_kernel(now=True)


def test_kernels_exit_with_their_zygote_and_a_new_one_is_started(forked: None) -> None:
    first = start()
    run(first, "pass")
    old_zygote = forking._ZYGOTE.pid
    os.kill(old_zygote, signal.SIGKILL)
    # The kernel watches its parent, the zygote, and exits once it has gone (it can only be reaped by init then).
    assert first.provisioner.process.wait(timeout=15) is not None
    first.cleanup_resources()
    second = start()
    try:
        assert run(second, "import os; print(os.getppid())") == str(forking._ZYGOTE.pid)
        assert forking._ZYGOTE.pid != old_zygote
    finally:
        second.shutdown_kernel(now=True)


def test_a_kernel_is_started_the_usual_way_when_its_environment_differs(forked: None) -> None:
    manager = start({"PYTHONWARNINGS": "error::DeprecationWarning:nowhere"})
    try:
        assert isinstance(manager.provisioner.process, subprocess.Popen)
        assert run(manager, "import os; print(os.getppid())") == str(os.getpid())
    finally:
        manager.shutdown_kernel(now=True)


def test_why_a_launch_is_not_forked() -> None:
    plain = {"env": dict(os.environ)}
    assert ForkingProvisioner.why_not_forked(LAUNCHER, plain) is None
    assert "command" in ForkingProvisioner.why_not_forked(["/usr/bin/python3", *LAUNCHER[1:]], plain)
    assert "command" in ForkingProvisioner.why_not_forked([sys.executable, "-m", "other_kernel"], plain)
    assert "captured" in ForkingProvisioner.why_not_forked(LAUNCHER, {**plain, "stdout": subprocess.PIPE})
    for setting in ("PYTHONPATH", "JUPYTER_WIDGETS_ECHO"):
        changed = {"env": {**os.environ, setting: os.environ.get(setting, "") + "x"}}
        assert "environment differs" in ForkingProvisioner.why_not_forked(LAUNCHER, changed)
    # Settings read when the kernel runs (not at import) may differ per kernel: that is how each gets its own.
    assert ForkingProvisioner.why_not_forked(LAUNCHER, {"env": {**os.environ, "VOILA_KERNEL_ID": "k"}}) is None


def test_once_the_zygote_cannot_watch_a_child_no_kernel_is_forked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    asker = forking.Zygote()
    ours, theirs = socket.socketpair()

    def refuse() -> None:  # a zygote in a sandbox that forbids pidfd_open
        zygote.receive_message(theirs)
        zygote.send_message(theirs, {"error": "no pidfd for the child ([Errno 1] Operation not permitted)"})

    answering = threading.Thread(target=refuse)
    answering.start()
    monkeypatch.setattr(asker, "_process", SimpleNamespace(poll=lambda: None, pid=1))
    monkeypatch.setattr(asker, "_sock", ours)
    with pytest.raises(forking.ZygoteError, match="no pidfd"):
        asker.fork(LAUNCHER, dict(os.environ), "/")
    answering.join()
    ours.close()
    theirs.close()
    monkeypatch.setattr(forking, "_ZYGOTE", asker)
    assert "no pidfd" in ForkingProvisioner.why_not_forked(LAUNCHER, {"env": dict(os.environ)})


def test_the_zygote_refuses_to_fork_beside_a_thread() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert "threads are running" in zygote.fork_problem()
    finally:
        release.set()
        thread.join()


def test_the_zygote_refuses_to_fork_beside_a_zmq_context_or_event_loop() -> None:
    code = (
        "import asyncio, zmq\n"
        "from backpain_edu.app.zygote import fork_problem\n"
        "assert fork_problem() is None, fork_problem()\n"
        "context = zmq.Context.instance()\n"
        "print(fork_problem())\n"
        "context.term(); zmq.Context._instance = None\n"
        "loop = asyncio.new_event_loop(); asyncio.set_event_loop(loop)\n"
        "print(fork_problem())\n"
    )
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert printed.splitlines() == ["a ZMQ context exists", "an asyncio event loop exists"]


def test_the_zygote_has_imported_a_kernels_code_and_nothing_else_runs() -> None:
    code = (
        "import sys, threading\n"
        "from backpain_edu.app import zygote\n"
        "zygote.preload()\n"
        "print(all(name in sys.modules for name in zygote.PRELOADED), threading.active_count(), zygote.fork_problem())"
    )
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert printed.split() == ["True", "1", "None"]


def test_a_forked_kernel_finds_each_languages_content_parsed(forked: None) -> None:
    manager = start()
    try:
        printed = run(manager, "from backpain_edu import catalog\nprint(catalog._load_catalog.cache_info().currsize)")
        assert int(printed) == len(load_languages().codes)
    finally:
        manager.shutdown_kernel(now=True)


def test_parsed_content_is_dropped_once_a_file_changes(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = catalog.content_state(content_copy)
    assert state == catalog.content_state(content_copy)
    edited = content_copy / "glossary.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert catalog.content_state(content_copy) != state
    # As in a kernel forked after the zygote parsed the content, and a file edited since.
    catalog.load_catalog()
    monkeypatch.setattr(catalog, "_preloaded_state", catalog.content_state())
    assert catalog.forget_catalogs_if_content_changed() is False
    assert catalog._load_catalog.cache_info().currsize > 0
    monkeypatch.setattr(catalog, "_preloaded_state", catalog.content_state(content_copy))
    assert catalog.forget_catalogs_if_content_changed() is True
    assert catalog._load_catalog.cache_info().currsize == 0


def test_a_catalog_is_parsed_for_the_deployment_the_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # A kernel whose deployment differs from the zygote's never sees the zygote's parsed catalog.
    monkeypatch.setenv(REGION_VARIABLE, "us")
    american = catalog.load_catalog()
    monkeypatch.setenv(REGION_VARIABLE, "uk")
    british = catalog.load_catalog()
    assert "911" in american.notice and "999" in british.notice
    assert catalog.load_catalog() is british


def test_where_no_pidfd_may_be_opened_the_child_is_killed_and_the_server_told_why() -> None:
    # An old container runtime's seccomp profile forbids pidfd_open: the zygote must not leave a kernel running that
    # the server cannot watch, and must stay up to say why (the server then starts kernels the usual way).
    code = (
        "import os, socket, sys\n"
        "from backpain_edu.app import zygote\n"
        "def forbidden(pid):\n"
        "    raise PermissionError(1, 'Operation not permitted')\n"
        "os.pidfd_open = forbidden\n"
        "ours, theirs = socket.socketpair()\n"
        "server = os.fork()\n"
        "if server == 0:\n"
        "    theirs.close()\n"
        "    request = {'argv': [sys.executable, '-m', 'ipykernel_launcher', '-f', '/nowhere.json'],\n"
        "               'env': dict(os.environ), 'cwd': '/'}\n"
        "    for _ in range(2):\n"
        "        zygote.send_message(ours, request)\n"
        "        print(zygote.receive_message(ours)[0], flush=True)\n"
        "    os._exit(0)\n"
        "ours.close()\n"
        "zygote.serve(theirs)\n"
        "os.waitpid(server, 0)\n"
    )
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    answers = printed.splitlines()
    assert len(answers) == 2 and all("no pidfd for the child" in answer for answer in answers), printed
