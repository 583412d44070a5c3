"""A kernel handed out from Voila's pool is not culled for time it spent waiting in the pool."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from jupyter_server._tz import utcnow

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
