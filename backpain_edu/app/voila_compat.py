"""The one place that reaches into Voila's internals, checked when the server is built.

The kernel cap, the release of unconnected kernels and ``/ready`` count kernels in Voila's pools
(``_pools``, ``notebook_data``: attributes of the kernel manager Voila builds, not a public API) and in
Jupyter's kernels still starting (``_pending_kernels``); the server swaps some of Voila's routes for its
own by their handler class. None of this is promised across Voila releases. Read with a default, a
renamed attribute would count zero kernels and the "busy" page would never come; a swap that finds no
route would leave Voila's own handler (its file browser, any notebook rendered). So every such access
is here, and :func:`check_kernel_manager` and :func:`swap_handlers` fail at start-up, naming what is
missing and the Voila version, before the server takes a visitor. voila is pinned below 0.6 for this.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
import voila
import voila.notebook_renderer

from backpain_edu.errors import BackpainEduError

KERNEL_MANAGER_ATTRIBUTES: dict[str, type] = {
    # Voila's pre-heated kernels: notebook path -> the tasks starting and rendering each kernel, in order.
    "_pools": dict,
    # Voila: notebook path -> {"kernel_ids": the kernels started for that notebook's pool, ...}.
    "notebook_data": dict,
    # Jupyter's kernels whose start has not finished: kernel id -> the start's task.
    "_pending_kernels": dict,
}
"""The kernel manager's internals the app reads, with the type each must have."""

Route = tuple[Any, ...]
"""A Tornado route as Voila lists it: (pattern, handler class) or (pattern, handler class, options)."""

Swap = tuple[type, dict[str, Any]] | None
"""What replaces a Voila handler: a handler class and options added to Voila's, or None to drop the route."""


class VoilaInternalsError(BackpainEduError):
    """The installed Voila lacks an internal the app relies on (it was renamed or changed in a release)."""


def _missing(what: str) -> VoilaInternalsError:
    return VoilaInternalsError(
        f"{what} in Voila {voila.__version__}: backpain-edu relies on it (backpain_edu/app/voila_compat.py); "
        "install the Voila version pyproject.toml allows, or adapt that module to this one"
    )


def check_kernel_manager(manager: object) -> None:
    """Raise, naming the attribute, unless the kernel manager has every internal the app reads, of its type."""
    for name, kind in KERNEL_MANAGER_ATTRIBUTES.items():
        try:
            value = getattr(manager, name)
        except AttributeError:
            raise _missing(f"the kernel manager has no {name!r}") from None
        if not isinstance(value, kind):
            raise _missing(f"the kernel manager's {name!r} is a {type(value).__name__}, not a {kind.__name__}")
    if not callable(getattr(manager, "get_rendered_notebook", None)):
        raise _missing("the kernel manager has no 'get_rendered_notebook'")


def pools(manager: Any) -> dict[str, list[asyncio.Future]]:
    """Voila's pools: notebook path -> the tasks of its pre-heated kernels (done once started and rendered)."""
    return manager._pools


def waiting_kernel_ids(manager: Any) -> set[str]:
    """Kernels started and rendered for a pool that no visitor has taken yet (a pool task's result names its
    kernel; Voila removes the task from its pool when a visitor takes the kernel)."""
    return {
        task.result()["kernel_id"]
        for pool in pools(manager).values()
        for task in pool
        if task.done() and not task.cancelled() and task.exception() is None
    }


def pool_size(manager: Any, notebook: str) -> int:
    """How many kernels a notebook's pool holds once refilled: it refills to its size after a visitor takes one."""
    config = manager.kernel_pools_config
    default = config.get("default", {})
    return config.get(notebook, default).get("pool_size", default.get("pool_size", 1))


def pool_target(manager: Any) -> int:
    """How many kernels Voila's pools hold once refilled."""
    return sum(pool_size(manager, name) for name in pools(manager))


def watch_handouts(manager: Any, on_handout: Callable[[asyncio.Future], None]) -> None:
    """Call ``on_handout(task)`` with each pool task a visitor's page takes, just before Voila takes it.

    Voila's page handler calls ``get_rendered_notebook``, which pops the first task of the notebook's pool (started
    and rendered, or still on its way) and then refills the pool. From then on that task is in no pool: without this,
    a kernel a visitor took before it had started was counted nowhere until it started."""
    original = manager.get_rendered_notebook

    async def get_rendered_notebook(notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        pool = pools(manager).get(notebook_name) or ()
        if pool:
            on_handout(pool[0])
        return await original(notebook_name, *args, **kwargs)

    manager.get_rendered_notebook = get_rendered_notebook


def pending_kernel_ids(manager: Any) -> set[str]:
    """Kernels Jupyter is still starting (not listed by ``list_kernel_ids`` yet)."""
    return set(manager._pending_kernels)


def pool_started_kernel_ids(manager: Any) -> set[str]:
    """Kernels Voila has started for a pool (whether still waiting there or taken by a visitor)."""
    return set().union(*(data["kernel_ids"] for data in manager.notebook_data.values()))


def swap_handlers(routes: Iterable[Route], swaps: Mapping[type, Swap]) -> list[Route]:
    """Voila's routes with each handler class in ``swaps`` replaced (or dropped); raise, naming the class, if
    Voila's routes no longer use one of them."""
    swapped: list[Route] = []
    unused = set(swaps)
    for route in routes:
        pattern, handler_class, *options = route
        if handler_class not in swaps:
            swapped.append(route)
            continue
        unused.discard(handler_class)
        swap = swaps[handler_class]
        if swap is not None:
            replacement, extra = swap
            swapped.append((pattern, replacement, {**(options[0] if options else {}), **extra}))
    if unused:
        names = ", ".join(sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in unused))
        raise _missing(f"no route is served by {names}")
    return swapped


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled page templates kept in memory for the life of the server, each under its name and its source's
    checksum (an edited template is compiled afresh)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja if the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def cache_compiled_templates(templates: CompiledTemplates) -> None:
    """Let every page Voila renders reuse ``templates``' compiled code.

    Voila makes a new exporter, so a new Jinja environment, for each page it renders (each visitor's, each pool
    refill's), and Jinja compiles the page's templates again in each: sampled with py-spy, compiling was about a
    quarter of the server's CPU per tool page view. An environment's bytecode cache is Jinja's public way to skip
    it; Voila's exporter class is the internal this sets it through (its own templates are compiled async, so they
    get a cache of their own)."""
    exporter = getattr(voila.notebook_renderer, "VoilaExporter", None)
    if not isinstance(exporter, type) or not hasattr(exporter, "_create_environment"):
        raise _missing("voila.notebook_renderer has no 'VoilaExporter' with a '_create_environment'")
    if getattr(exporter, "compiled_templates", None) is not None:
        exporter.compiled_templates = templates
        return

    class CachingExporter(exporter):
        compiled_templates: CompiledTemplates | None = templates

        def _create_environment(self) -> jinja2.Environment:
            environment = super()._create_environment()
            environment.bytecode_cache = type(self).compiled_templates
            return environment

    voila.notebook_renderer.VoilaExporter = CachingExporter
