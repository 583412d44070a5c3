"""The kernel manager behind the app: Jupyter's own, with three changes for a public server.

**Idle time counts from a kernel's hand-out.** Voila keeps one pre-started kernel per page and never
culls it while it waits in the pool. When a visitor takes it, its ``last_activity`` is still the time it
was pre-rendered, often minutes ago, and it has no websocket yet (the page's JavaScript needs a second
or two to connect). A cull check in that window shut the visitor's kernel down before it was used (seen
in the browser tests as a 404 for /api/kernels/<id>). Counting idle time from the first cull check that
sees the kernel outside the pool gives every visitor the full idle allowance to connect.

**A kernel whose page never connects is released soon, when the replica is crowded.** Every plain GET of a
tool page takes a kernel, whether or not a browser then runs the page: a link preview or a crawler (no
JavaScript, no websocket) held about 50 MB for the culler's minute. :meth:`release_unconnected` shuts down
a visitor's kernel that no websocket has reached :attr:`connect_grace_s` after its page was sent (and after it
last ran code). The server calls it only once the replica holds half its cap (``server.CROWDED_SHARE``):
a real page connects within seconds, but not always within 15 (the benchmark's emulated slow phone has the
checklist working 12 s after its request; a browser opening five tools at once on a busy machine took
longer in the tests), and below half the cap there is room to give it the culler's full minute.

**A kernel's id names its replica.** Behind a proxy with several replicas, a tool page's websocket
(``/api/kernels/<id>/channels``) and exit request (``/voila/api/shutdown/<id>``) must reach the replica
that started its kernel. With :attr:`replica` set, each kernel id starts with it (``0a3f...`` for replica
``0a``), so the proxy routes those requests by the id itself: no sticky cookie, and the page itself can
come from any replica (``deploy/nginx/``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Bool, Float, TraitError, Unicode, validate

from backpain_edu.app import forking, voila_compat

REPLICA_TAG = re.compile(r"[0-9a-f]{2}")
"""A replica's tag: two hex digits, so a kernel id keeps the shape of a UUID (the health check and
Jupyter's routes match it) and a proxy reads the tag as the id's first two characters (256 replicas)."""


class PageRequest:
    """One tool page request being served (``visitor_request``): the kernel found for it, once known, directly
    (started for it) or as the pool task it took."""

    def __init__(self) -> None:
        self.kernel_id: str | None = None
        self.task: Any = None


AWAITING_KERNEL: ContextVar[PageRequest | None] = ContextVar("backpain_awaiting_kernel", default=None)
"""The tool page request being served (``visitor_request``)."""

POOL_VARIABLE = "VOILA_PREHEAT"
"""Voila sets it to "True" in the environment of a kernel it starts for its pool."""


class HandoutAwareKernelManager(AsyncMappingKernelManager):
    """Culls as Jupyter does, never counting time a kernel waited in Voila's pool; releases a visitor's
    kernel that no page connects to; names its replica in every kernel id."""

    replica = Unicode("", config=True, help="this replica's tag (2 hex digits), the start of every kernel id")
    connect_grace_s = Float(15.0, config=True, help="seconds a visitor's kernel waits for its page to connect")
    fork_kernels = Bool(False, config=True, help="fork each kernel from the zygote (app/zygote.py)")

    @validate("replica")
    def _valid_replica(self, proposal):
        if proposal.value and not REPLICA_TAG.fullmatch(proposal.value):
            raise TraitError(f"a replica tag is 2 hex digits (00 to ff), not {proposal.value!r}")
        return proposal.value

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.fork_kernels:
            forking.use_forked_kernels()
        self._first_seen: dict[str, datetime] = {}
        self._for_pool: set[str] = set()
        self._handed_out: dict[str, float] = {}
        self._connected: set[str] = set()
        self._starting: set[str] = set()
        # For the cap (kernels_held): requests without a kernel yet; pool tasks a visitor took; pool tasks whose kernel
        # has started (keyed by id: tasks are compared by identity).
        self._awaiting: set[object] = set()
        # Tool page requests still being sent: their kernels' pages cannot connect yet.
        self._sending: set[PageRequest] = set()
        self._taken_tasks: dict[int, Any] = {}
        self._task_kernels: dict[int, tuple[Any, str]] = {}

    def new_kernel_id(self, **kwargs) -> str:
        plain = str(uuid.uuid4())
        return self.replica + plain[len(self.replica) :]

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs) -> str:
        kernel_id = kernel_id or self.new_kernel_id()
        if kwargs.get("env", {}).get(POOL_VARIABLE) == "True":
            self._for_pool.add(kernel_id)
            # Voila starts a pool's kernel inside the pool's task: from now on that task's kernel is counted as known.
            task = asyncio.current_task()
            if task is not None:
                self.pool_kernel_starting(task, kernel_id)
        else:  # started for the visitor who asked (Voila's pool was empty)
            self._handed_out[kernel_id] = time.monotonic()
            if (request := AWAITING_KERNEL.get(None)) is not None:
                request.kernel_id = kernel_id
            self._kernel_found()
        self._starting.add(kernel_id)
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self._starting.discard(kernel_id)

    @contextlib.contextmanager
    def visitor_request(self) -> Iterator[None]:
        """Around a tool page's request: until a kernel is found for it (taken from the pool, or started for it), the
        request counts towards the cap, so a burst checked before any of its kernels exist cannot pass the cap."""
        request = PageRequest()
        self._awaiting.add(request)
        self._sending.add(request)
        reset = AWAITING_KERNEL.set(request)
        try:
            yield
        finally:
            self._awaiting.discard(request)
            self._sending.discard(request)
            AWAITING_KERNEL.reset(reset)
            # The page has been sent (or failed): its browser can connect from now on, so the grace starts now.
            if (kernel_id := self._kernel_of(request)) is not None and kernel_id in self:
                self._handed_out[kernel_id] = time.monotonic()

    def _kernel_of(self, request: PageRequest) -> str | None:
        """The kernel found for ``request``, once known (a pool task's kernel once its start has finished)."""
        if request.kernel_id is not None or request.task is None:
            return request.kernel_id
        if (started := self._task_kernels.get(id(request.task))) is not None:
            return started[1]
        task = request.task
        if task.done() and not task.cancelled() and task.exception() is None:
            return (task.result() or {}).get("kernel_id")
        return None

    def _kernel_found(self) -> None:
        """The request being served (if any) has its kernel now: it is counted as that kernel, not as a request."""
        self._awaiting.discard(AWAITING_KERNEL.get(None))

    def pool_kernel_starting(self, task: object, kernel_id: str) -> None:
        """A pool task has started its kernel: the kernel is known from now on, so the task no longer counts."""
        self._task_kernels[id(task)] = (task, kernel_id)

    def handout(self, task: object) -> None:
        """A visitor's page takes this pool task (``voila_compat.watch_handouts``): it leaves the pool, and until its
        kernel starts it is counted here; the request it serves has its kernel."""
        self._taken_tasks[id(task)] = task
        if (request := AWAITING_KERNEL.get(None)) is not None:
            request.task = task
        self._kernel_found()

    def kernels_held(self) -> int:
        """What the replica will hold without another visitor: every kernel running or starting, every pool task (in a
        pool or taken by a visitor) whose kernel has not started yet, the refills a pool is short of, and the requests
        still looking for a kernel. Each visitor counts once, with the pool's one refill: a burst of N visitors on one
        page holds N + 1 kernels, and a class of 25 fits a replica's cap of 40 (counting each visitor's request as well
        as its kernel once turned a third of them away)."""
        known = set(self.list_kernel_ids()) | voila_compat.pending_kernel_ids(self) | self._starting
        pools = voila_compat.pools(self)
        self._taken_tasks = {key: task for key, task in self._taken_tasks.items() if not task.done()}
        self._task_kernels = {key: value for key, value in self._task_kernels.items() if not value[0].done()}
        tasks = [task for pool in pools.values() for task in pool] + list(self._taken_tasks.values())
        unstarted = sum(not task.done() and id(task) not in self._task_kernels for task in tasks)
        short = sum(max(0, voila_compat.pool_size(self, name) - len(pool)) for name, pool in pools.items())
        return len(known) + unstarted + short + len(self._awaiting)

    def notify_connect(self, kernel_id: str) -> None:
        self._connected.add(kernel_id)
        super().notify_connect(kernel_id)

    def waiting_in_pool(self) -> set[str]:
        """Kernels started and rendered for Voila's pool that no visitor has taken yet."""
        return voila_compat.waiting_kernel_ids(self)

    def visitor_kernels(self) -> set[str]:
        """Kernels a visitor's page has taken: out of the pool, or started for the visitor."""
        # Voila records a pool kernel as started once its start has finished, just as its pool task completes;
        # before that it is starting, not handed out.
        pool_started = voila_compat.pool_started_kernel_ids(self)
        running = set(self.list_kernel_ids())
        taken_from_pool = (running & self._for_pool & pool_started) - self.waiting_in_pool()
        return (running - self._for_pool) | taken_from_pool

    async def release_unconnected(self) -> list[str]:
        """Shut down each visitor's kernel that no websocket has reached within the grace since its hand-out
        (seen by this check, so up to one check interval late) or since it last ran code (a kernel started
        for the visitor runs the notebook while the page streams). Returns the released ids."""
        now = time.monotonic()
        released: list[str] = []
        sending = {self._kernel_of(request) for request in self._sending}
        for kernel_id in self.visitor_kernels() - self._connected:
            kernel = self.get_kernel(kernel_id) if kernel_id in self else None
            if kernel_id in sending or getattr(kernel, "execution_state", "idle") != "idle":
                # Starting, running the notebook while Voila streams the page, or its page still being sent (a
                # busy server renders and sends it after the kernel is done): the page cannot connect before it
                # has arrived, so the grace starts once it has (seen under load: a visitor of 50 lost the kernel).
                self._handed_out[kernel_id] = now
                continue
            if now - self._handed_out.setdefault(kernel_id, now) >= self.connect_grace_s:
                self.log.info(
                    "Releasing kernel %s: no page connected to it within %.0f s", kernel_id, self.connect_grace_s
                )
                released.append(kernel_id)
        await asyncio.gather(*(self.shutdown_kernel(kernel_id) for kernel_id in released))
        return released

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        # Voila's pool-aware subclass returns before calling this for kernels still in the pool.
        if kernel_id not in self:  # shut down since the culler listed it (released, or its page closed)
            return
        kernel = self.get_kernel(kernel_id)
        try:
            last_activity = kernel.last_activity
        except (AttributeError, TraitError):
            # Still starting: jupyter_server sets last_activity once the kernel runs, and reading it before that
            # raises TraitError (a traceback in the log each round while a pool fills). A starting kernel is not idle.
            return
        first_seen = self._first_seen.setdefault(kernel_id, utcnow())
        kernel.last_activity = max(last_activity, first_seen)
        await super().cull_kernel_if_idle(kernel_id)

    def remove_kernel(self, kernel_id: str):
        self._first_seen.pop(kernel_id, None)
        self._for_pool.discard(kernel_id)
        self._handed_out.pop(kernel_id, None)
        self._connected.discard(kernel_id)
        return super().remove_kernel(kernel_id)
