"""The app's pages: the site map's pages (``content/pages.yaml``) whose notebooks are in the folder.

The same list drives the menu on every page, the previous/next links, the front-page redirect
and the allowlist of pages the server will render: a page added to the site map (with its
notebook) appears everywhere at once, and nothing outside the list can be rendered.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import nbformat

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


def site_pages(site_map: SiteMap, folder: Path, subfolder: str = "") -> tuple[AppPage, ...]:
    """The site map's pages, in its order, whose notebook is in ``folder`` (a clinic's copy may hold fewer);
    with ``subfolder`` (a translation's, ``es``), the pages of ``folder/subfolder``, named ``es/<file>``."""
    prefix = f"{subfolder}/" if subfolder else ""
    pages = tuple(
        AppPage(prefix + page.notebook, page.title, page.kind, page.widgets)
        for page in site_map.pages
        if (folder / prefix / page.notebook).is_file()
    )
    if not pages:
        raise NoPagesError(f"none of the site map's notebooks is in {folder / prefix}")
    return pages


LANGUAGE_CALL = 'from backpain_edu import use_language\n\nuse_language("{code}")\n'


def translated_notebook(source: nbformat.NotebookNode, code: str, title: str) -> nbformat.NotebookNode:
    """A page's notebook for the language ``code``: the source notebook whose first cell first calls
    ``use_language(code)``, titled ``title``. Every runner (Voila, the finished pages, nbval, JupyterLab)
    then shows that language with no setting; the template reads ``metadata.backpain.language``."""
    notebook = copy.deepcopy(source)
    notebook.metadata["title"] = title
    notebook.metadata["backpain"] = {"language": code}
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    first.source = LANGUAGE_CALL.format(code=code) + first.source
    return notebook


def navigation(pages: tuple[AppPage, ...]) -> list[dict[str, str]]:
    """The page list as plain data for the Jinja template (Voila passes it in ``resources``)."""
    return [{"file": page.file, "stem": page.stem, "title": page.title, "kind": page.kind} for page in pages]


def translated_notebooks(notebooks: Path) -> dict[Path, nbformat.NotebookNode]:
    """Every translation's notebooks (``notebooks/<code>/<file>``), made from the source language's, for
    each page of the site map whose notebook is in ``notebooks``. ``backpain-edu language-notebooks``
    writes them; a test checks the committed ones are exactly these."""
    from backpain_edu.catalog import CONTENT_DIR, load_catalog_from, load_languages

    made = {}
    for language in load_languages().languages[1:]:
        for page in load_catalog_from(CONTENT_DIR, language=language.code).site_map.pages:
            source = notebooks / page.notebook
            if source.is_file():
                notebook = translated_notebook(nbformat.read(source, as_version=4), language.code, page.title)
                made[notebooks / language.code / page.notebook] = notebook
    return made
