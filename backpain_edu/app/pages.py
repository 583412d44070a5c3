"""The app's pages: one per notebook, in file-name order, each with the title Voila shows.

The same list drives the menu on every page, the previous/next links, the front-page
redirect and the allowlist of pages the server will render, so a notebook added to the
folder appears everywhere at once and nothing outside the list can be rendered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from backpain_edu.errors import BackpainEduError


@dataclass(frozen=True)
class AppPage:
    """A notebook served as a page: its file name and its title (notebook metadata "title")."""

    file: str
    title: str

    @property
    def stem(self) -> str:
        return Path(self.file).stem


class NoPagesError(BackpainEduError):
    """The folder holds no notebook to serve."""


def _title(path: Path) -> str:
    metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    return str(metadata.get("title") or path.stem.replace("_", " "))


def discover_pages(folder: Path) -> tuple[AppPage, ...]:
    """Every visible notebook directly in ``folder``, sorted by file name (00_, 01_ ...)."""
    paths = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if not paths:
        raise NoPagesError(f"no notebooks in {folder}")
    return tuple(AppPage(path.name, _title(path)) for path in paths)


def navigation(pages: tuple[AppPage, ...]) -> list[dict[str, str]]:
    """The page list as plain data for the Jinja template (Voila passes it in ``resources``)."""
    return [{"file": page.file, "stem": page.stem, "title": page.title} for page in pages]
