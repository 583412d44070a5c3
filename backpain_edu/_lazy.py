"""PEP 562 lazy exports: a package's public names load from their modules on first use.

Used by the package root and ``widgets`` so that importing them (or any pure logic module under
them) costs nothing until a notebook asks for a tool.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str], public: Iterable[str]) -> tuple[Callable, Callable]:
    """``__getattr__`` and ``__dir__`` for ``package``: each name in ``homes`` is imported from its module."""

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(homes[name]), name)

    def __dir__() -> list[str]:
        return sorted({*vars(importlib.import_module(package)), *public})

    return __getattr__, __dir__
