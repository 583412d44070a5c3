"""The app's kernel manager: pool time is not idle time, unconnected kernels are released, ids name the replica."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from jupyter_server._tz import utcnow
from traitlets import TraitError

import backpain_edu.app.kernels as kernels
from backpain_edu.app.kernels import HandoutAwareKernelManager
from tests.conftest import run_to_end

IDLE_ALLOWANCE_S = 60


class _Recording(HandoutAwareKernelManager):
    def __init__(self) -> None:
        super().__init__(cull_idle_timeout=IDLE_ALLOWANCE_S)
        self.shut: list[str] = []

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs) -> None:
        self.shut.append(kernel_id)


def _cull(manager: _Recording, kernel_id: str) -> None:
    run_to_end(manager.cull_kernel_if_idle(kernel_id))


def _pooled_long_ago(manager: _Recording) -> None:
    manager._kernels["k"] = SimpleNamespace(
        last_activity=utcnow() - timedelta(minutes=10),
        execution_state="idle",
        kernel_name="python3",
        kernel_spec=SimpleNamespace(metadata={}),
    )


def test_a_kernel_just_taken_from_the_pool_gets_the_full_idle_allowance() -> None:
    manager = _Recording()
    _pooled_long_ago(manager)
    _cull(manager, "k")
    assert manager.shut == []


def test_a_kernel_idle_for_the_allowance_after_hand_out_is_culled() -> None:
    manager = _Recording()
    _pooled_long_ago(manager)
    manager._first_seen["k"] = utcnow() - timedelta(seconds=IDLE_ALLOWANCE_S + 1)
    _cull(manager, "k")
    assert manager.shut == ["k"]


# --- A visitor's kernel that no page connects to is released; pool kernels never are ---------------

GRACE_S = 15


class _Pooled(_Recording):
    """Voila's pool as its subclass keeps it: notebook -> tasks, done once the kernel has started."""

    def __init__(self) -> None:
        super().__init__()
        self.connect_grace_s = GRACE_S
        self._pools: dict[str, list] = {"07_checklist.ipynb": []}
        self.notebook_data: dict[str, dict] = {"07_checklist.ipynb": {"kernel_ids": set()}}
        self.kernel_pools_config = {"default": {"pool_size": 1}}

    def list_kernel_ids(self) -> list[str]:
        return list(self._kernels)

    def pool(self, kernel_id: str, done: bool = True) -> SimpleNamespace:
        """A kernel Voila started for its pool; ``done``: its start has finished and it waits there."""
        self._for_pool.add(kernel_id)
        self._kernels[kernel_id] = SimpleNamespace()
        task = SimpleNamespace(done=lambda: done, cancelled=lambda: False, exception=lambda: None)
        task.result = lambda: {"kernel_id": kernel_id}
        if done:
            self.notebook_data["07_checklist.ipynb"]["kernel_ids"].add(kernel_id)
        self._pools["07_checklist.ipynb"].append(task)
        return task

    def take(self, task: SimpleNamespace) -> None:
        """A visitor's page takes the kernel out of the pool (Voila's get_rendered_notebook)."""
        self._pools["07_checklist.ipynb"].remove(task)


def _release(manager: _Pooled, after_s: float, monkeypatch) -> list[str]:
    monkeypatch.setattr(kernels.time, "monotonic", lambda: 1000.0 + after_s)
    return run_to_end(manager.release_unconnected())


def test_a_kernel_taken_from_the_pool_and_never_connected_is_released_after_the_grace(monkeypatch) -> None:
    manager = _Pooled()
    manager.take(manager.pool("taken"))
    assert _release(manager, 0, monkeypatch) == []  # first seen out of the pool now
    assert _release(manager, GRACE_S - 1, monkeypatch) == []
    assert _release(manager, GRACE_S, monkeypatch) == ["taken"]
    assert manager.shut == ["taken"]


def test_a_connected_kernel_and_kernels_in_or_starting_for_the_pool_are_never_released(monkeypatch) -> None:
    manager = _Pooled()
    manager.pool("waiting")
    manager.pool("starting", done=False)  # started, but its start has not finished: not handed out
    manager.take(manager.pool("connected"))
    manager.notify_connect("connected")
    _release(manager, 0, monkeypatch)
    assert _release(manager, 10 * GRACE_S, monkeypatch) == []


def test_a_kernel_started_for_a_visitor_when_the_pool_was_empty_counts_from_its_start(monkeypatch) -> None:
    manager = _Pooled()
    manager._handed_out["direct"] = 1000.0  # as start_kernel records it for a kernel not meant for the pool
    manager._kernels["direct"] = SimpleNamespace()
    assert _release(manager, GRACE_S, monkeypatch) == ["direct"]


def test_every_kernel_id_starts_with_the_replica_tag_and_keeps_the_shape_of_a_uuid() -> None:
    manager = HandoutAwareKernelManager(replica="0a")
    ids = {manager.new_kernel_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"0a[0-9a-f]{6}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", i) for i in ids)
    assert not HandoutAwareKernelManager().new_kernel_id().startswith("0a0a")


def test_a_replica_tag_that_is_not_two_hex_digits_is_refused_by_name() -> None:
    for bad in ("a", "0A", "abc", "zz", "0a/"):
        with pytest.raises(TraitError, match="2 hex digits"):
            HandoutAwareKernelManager(replica=bad)


def test_the_grace_starts_once_the_kernel_has_run_the_notebook_the_page_was_waiting_for(monkeypatch) -> None:
    manager = _Pooled()
    manager._handed_out["direct"] = 1000.0
    manager._kernels["direct"] = SimpleNamespace(execution_state="busy")  # Voila streams while it runs
    assert _release(manager, GRACE_S, monkeypatch) == []
    manager._kernels["direct"].execution_state = "idle"
    assert _release(manager, 2 * GRACE_S - 1, monkeypatch) == []
    assert _release(manager, 2 * GRACE_S, monkeypatch) == ["direct"]


def test_the_grace_starts_once_the_page_has_been_sent(monkeypatch) -> None:
    # Under load the server renders and sends a page well after its kernel ran the notebook: a visitor of 50 arriving
    # within 10 s lost a kernel this way. While its request is being served, a kernel is not released.
    manager = _Pooled()
    task = manager.pool("taken")
    monkeypatch.setattr(kernels.time, "monotonic", lambda: 1000.0)
    with manager.visitor_request():
        manager.handout(task)
        manager.take(task)
        assert _release(manager, 0, monkeypatch) == []
        assert _release(manager, 3 * GRACE_S, monkeypatch) == []  # idle, but its page is still being sent
        monkeypatch.setattr(kernels.time, "monotonic", lambda: 1000.0 + 4 * GRACE_S)  # sent now
    assert manager._handed_out["taken"] == 1000.0 + 4 * GRACE_S
    assert _release(manager, 5 * GRACE_S - 1, monkeypatch) == []
    assert _release(manager, 5 * GRACE_S, monkeypatch) == ["taken"]


def test_a_kernel_started_for_a_page_waits_for_that_page_to_be_sent(monkeypatch) -> None:
    manager = _Pooled()
    monkeypatch.setattr(kernels.time, "monotonic", lambda: 1000.0)

    async def start_for_visitor() -> None:
        with manager.visitor_request():
            await manager.start_kernel(kernel_id="direct", env={})
            manager._kernels["direct"] = SimpleNamespace()
            assert await manager.release_unconnected() == []
            monkeypatch.setattr(kernels.time, "monotonic", lambda: 1000.0 + 2 * GRACE_S)
            assert await manager.release_unconnected() == []
        assert manager._handed_out["direct"] == 1000.0 + 2 * GRACE_S

    monkeypatch.setattr(kernels.AsyncMappingKernelManager, "start_kernel", _started)
    run_to_end(start_for_visitor())
    assert _release(manager, 3 * GRACE_S, monkeypatch) == ["direct"]


async def _started(self, *, kernel_id: str, **kwargs) -> str:
    return kernel_id


class _Starting:
    """A kernel manager whose kernel has not started yet: reading last_activity raises, as a trait does then."""

    execution_state = "starting"

    @property
    def last_activity(self):
        raise TraitError("last_activity is not set until the kernel has started")


def test_a_kernel_still_starting_is_not_idle_and_the_culler_round_raises_nothing() -> None:
    manager = _Recording()
    manager._kernels["k"] = _Starting()
    _cull(manager, "k")
    assert manager.shut == [] and "k" not in manager._first_seen


def test_a_kernel_gone_since_the_culler_listed_it_is_skipped_quietly() -> None:
    manager = _Recording()
    _cull(manager, "never-there")
    assert manager.shut == []


def test_kernels_starting_and_refills_not_started_yet_count_towards_the_cap() -> None:
    manager = _Pooled()
    manager.kernel_pools_config = {"default": {"pool_size": 2}}
    manager.pool("waiting")  # started, in the pool
    manager._kernels["visitor"] = SimpleNamespace()  # a visitor's, running
    manager._starting.add("direct")  # being started for a visitor: not in Jupyter's list yet
    refill = SimpleNamespace(done=lambda: False)
    manager._pools["07_checklist.ipynb"].append(refill)  # a refill, its kernel not started
    assert manager.kernels_held() == 4
    manager._starting.add("refill")  # the refill's kernel starts: counted once, not twice
    manager._for_pool.add("refill")
    manager.pool_kernel_starting(refill, "refill")
    assert manager.kernels_held() == 4


def test_a_pool_kernel_taken_while_still_starting_counts_with_the_refill_to_come() -> None:
    # Voila pops the pool task, then awaits it: the kernel is in no pool task and its refill is not created yet.
    manager = _Pooled()
    task = manager.pool("starting", done=False)
    manager._starting.add("starting")
    manager.pool_kernel_starting(task, "starting")
    assert manager.kernels_held() == 1
    manager.handout(task)
    manager.take(task)
    assert manager.kernels_held() == 2  # the visitor's kernel, and the pool's refill


def test_a_task_a_visitor_took_before_its_kernel_started_is_counted_until_it_starts() -> None:
    manager = _Pooled()
    task = SimpleNamespace(done=lambda: False)  # Voila's refill, still in its delay: no kernel yet
    manager._pools["07_checklist.ipynb"].append(task)
    assert manager.kernels_held() == 1
    manager.handout(task)
    manager.take(task)
    assert manager.kernels_held() == 2  # the visitor's kernel to come, and the pool's refill
    manager._starting.add("late")
    manager._for_pool.add("late")
    manager.pool_kernel_starting(task, "late")
    assert manager.kernels_held() == 2  # now counted as the kernel itself


def test_a_burst_on_one_page_holds_one_kernel_per_visitor_and_one_refill() -> None:
    """Each visitor's request counts until a kernel is found for it, then only as that kernel: 25 visitors on one
    page with an empty pool hold 25 kernels and the pool's one refill, not a kernel and a request each."""
    manager = _Pooled()
    seen: list[int] = []

    async def visitor(number: int) -> None:
        with manager.visitor_request():
            await asyncio.sleep(0)  # every request of the burst is in before any kernel starts
            seen.append(manager.kernels_held())
            manager._starting.add(f"visitor-{number}")  # Voila starts a kernel for this request
            manager._kernel_found()
            await asyncio.sleep(0)
            seen.append(manager.kernels_held())

    async def burst() -> None:
        await asyncio.gather(*(visitor(number) for number in range(25)))

    run_to_end(burst())
    assert max(seen) == 25 + 1 and seen[-1] == 25 + 1
    assert manager.kernels_held() == 25 + 1  # the requests are done: their kernels remain, counted once
