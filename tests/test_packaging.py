"""Set-up files agree with each other, and notebooks are committed clean."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from backpain_edu.catalog import Catalog
from backpain_edu.render.reading_pages import injection_notebook
from tests.conftest import REPO


def _normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def test_environment_yml_mirrors_the_runtime_dependencies() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = {_normalise(d) for d in environment["dependencies"] if isinstance(d, str)}
    assert {_normalise(d) for d in project["dependencies"]} <= conda
    assert f"python{project['requires-python']}" in conda


def test_notebooks_are_committed_without_outputs() -> None:
    notebooks = sorted((REPO / "notebooks").rglob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_each_injection_notebook_shows_its_injection_under_the_same_title(catalog: Catalog) -> None:
    for injection in catalog.injections:
        notebook = json.loads((REPO / "notebooks" / injection_notebook(injection, catalog)).read_text(encoding="utf-8"))
        source = "".join("".join(cell["source"]) for cell in notebook["cells"])
        assert f'show_injection("{injection.id}")' in source
        assert notebook["metadata"]["title"] == injection.title
