"""The kernel manager behind the app: Jupyter's own, with idle time counted from a kernel's hand-out.

Voila keeps one pre-started kernel per page and never culls it while it waits in the pool. When a
visitor takes it, its ``last_activity`` is still the time it was pre-rendered, often minutes ago, and
it has no websocket yet (the page's JavaScript needs a second or two to connect). A cull check in
that window shut the visitor's kernel down before it was used (seen in the browser tests as a 404
for /api/kernels/<id>). Counting idle time from the first cull check that sees the kernel outside
the pool gives every visitor the full idle allowance to connect.
"""

from __future__ import annotations

from datetime import datetime

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class HandoutAwareKernelManager(AsyncMappingKernelManager):
    """Culls as Jupyter does, but never counts time a kernel spent waiting in Voila's pool."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._first_seen: dict[str, datetime] = {}

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        # Voila's pool-aware subclass returns before calling this for kernels still in the pool.
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and hasattr(kernel, "last_activity"):
            first_seen = self._first_seen.setdefault(kernel_id, utcnow())
            kernel.last_activity = max(kernel.last_activity, first_seen)
        await super().cull_kernel_if_idle(kernel_id)

    def remove_kernel(self, kernel_id: str):
        self._first_seen.pop(kernel_id, None)
        return super().remove_kernel(kernel_id)
