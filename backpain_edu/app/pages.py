"""The app's pages: the site map's pages (``content/pages.yaml``) whose notebooks are in the folder.

The same list drives the menu on every page, the previous/next links, the front-page redirect
and the allowlist of pages the server will render: a page added to the site map (with its
notebook) appears everywhere at once, and nothing outside the list can be rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backpain_edu.errors import BackpainEduError
from backpain_edu.models import PageKind, SiteMap


@dataclass(frozen=True)
class AppPage:
    """A notebook served as a page: its file name, its title and kind, and whether it shows widgets (site map)."""

    file: str
    title: str
    kind: PageKind = "reading"
    widgets: bool = False

    @property
    def stem(self) -> str:
        return Path(self.file).stem


class NoPagesError(BackpainEduError):
    """The folder holds none of the site map's notebooks."""


def site_pages(site_map: SiteMap, folder: Path) -> tuple[AppPage, ...]:
    """The site map's pages, in its order, whose notebook is in ``folder`` (a clinic's copy may hold fewer)."""
    pages = tuple(
        AppPage(page.notebook, page.title, page.kind, page.widgets)
        for page in site_map.pages
        if (folder / page.notebook).is_file()
    )
    if not pages:
        raise NoPagesError(f"none of the site map's notebooks is in {folder}")
    return pages


def navigation(pages: tuple[AppPage, ...]) -> list[dict[str, str]]:
    """The page list as plain data for the Jinja template (Voila passes it in ``resources``)."""
    return [{"file": page.file, "stem": page.stem, "title": page.title, "kind": page.kind} for page in pages]
