"""The app's page list: every notebook in file-name order, with the title Voila shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backpain_edu.app.configuration import NOTEBOOKS_DIR
from backpain_edu.app.pages import AppPage, NoPagesError, discover_pages, navigation


def _write(folder: Path, name: str, title: str | None) -> None:
    metadata = {"title": title} if title is not None else {}
    (folder / name).write_text(json.dumps({"cells": [], "metadata": metadata}), encoding="utf-8")


def test_pages_come_in_file_name_order_with_their_notebook_titles(tmp_path: Path) -> None:
    _write(tmp_path, "01_second.ipynb", "Second page")
    _write(tmp_path, "00_first.ipynb", "First page")
    assert discover_pages(tmp_path) == (
        AppPage("00_first.ipynb", "First page"),
        AppPage("01_second.ipynb", "Second page"),
    )


def test_hidden_notebooks_and_other_files_are_not_pages(tmp_path: Path) -> None:
    _write(tmp_path, "00_page.ipynb", "Page")
    _write(tmp_path, ".hidden.ipynb", "Hidden")
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    _write(tmp_path / ".ipynb_checkpoints", "00_page-checkpoint.ipynb", "Checkpoint")
    assert [page.file for page in discover_pages(tmp_path)] == ["00_page.ipynb"]


def test_a_notebook_without_a_title_is_named_after_its_file(tmp_path: Path) -> None:
    _write(tmp_path, "00_about_this.ipynb", None)
    assert discover_pages(tmp_path)[0].title == "00 about this"


def test_an_empty_folder_is_an_error_naming_the_folder(tmp_path: Path) -> None:
    with pytest.raises(NoPagesError, match=str(tmp_path)):
        discover_pages(tmp_path)


def test_repository_pages_start_with_the_start_page_and_use_each_notebooks_own_title() -> None:
    pages = discover_pages(NOTEBOOKS_DIR)
    assert pages[0].file == "00_start_here.ipynb"
    for page in pages:
        metadata = json.loads((NOTEBOOKS_DIR / page.file).read_text(encoding="utf-8"))["metadata"]
        assert page.title == metadata["title"]


def test_navigation_is_plain_data_for_the_template() -> None:
    assert navigation((AppPage("00_a.ipynb", "A"),)) == [{"file": "00_a.ipynb", "stem": "00_a", "title": "A"}]
