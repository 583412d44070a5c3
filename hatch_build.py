"""Build hook: the app's notebooks ship in the wheel as package data, ``backpain_edu/notebooks``.

So an installed wheel serves its pages from any folder (``NOTEBOOKS_DIR`` in
``backpain_edu/app/configuration.py`` finds them there). Only in a standard wheel: an editable install
serves the checkout's ``notebooks/`` itself, and a copy in site-packages would only go stale (hatch's
``force-include`` setting copies into editable wheels too).
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class NotebooksInWheel(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "standard":
            build_data["force_include"]["notebooks"] = "backpain_edu/notebooks"
