"""Set-up files agree with each other, every imported module is a declared dependency, and notebooks are
committed clean."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml

from backpain_edu.catalog import Catalog
from backpain_edu.render.reading_pages import injection_notebook
from tests.conftest import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def test_environment_yml_mirrors_the_runtime_dependencies_and_the_educators_extra() -> None:
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = {_normalise(d) for d in environment["dependencies"] if isinstance(d, str)}
    assert {_normalise(d) for d in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["present"]]} <= conda
    assert f"python{PROJECT['requires-python']}" in conda


NEEDED_WITHOUT_IMPORT = {"ipykernel", "uharfbuzz"}
"""Run-time needs no import shows: the kernel every page runs in, and fpdf2's text shaping."""

IMPORTED_ON_DEMAND = {"jupyterlab": "present", "textstat": "dev"}
"""Modules the package imports only inside the one command that needs them (``present``; ``validate``'s reading
grades), which says what to install when they are missing: each comes with its extra, not with the app."""

TEST_HARNESS = REPO / "backpain_edu" / "testing.py"
"""In the package for the tests and the benchmark, left out of the wheel: it may import development tools."""


def _distribution(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503): ``Jinja2>=3`` -> ``jinja2``."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(*groups: str) -> set[str]:
    """The distributions declared for the app (``"app"``) and the named extras."""
    lists = {"app": PROJECT["dependencies"], **PROJECT["optional-dependencies"]}
    return {_distribution(requirement) for group in groups for requirement in lists[group]}


def _third_party_imports(path: Path) -> Iterator[tuple[str, bool]]:
    """Each top-level module ``path`` imports from outside the standard library and this repository, and
    whether at module level (run on import) rather than inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_functions = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for top in {name.split(".")[0] for name in names}:
            ours = top in {"backpain_edu", "tests", "benchmarks"} or (path.parent / f"{top}.py").exists()
            if top not in sys.stdlib_module_names and not ours:
                yield top, id(node) not in in_functions


def _undeclared(paths: list[Path], declared_for: dict[str, set[str]]) -> list[str]:
    distributions = packages_distributions()
    problems = []
    for path in paths:
        for module, _ in _third_party_imports(path):
            declared = declared_for.get(module, declared_for[""])
            names = {_distribution(name) for name in distributions.get(module, [module])}
            if not names & declared:
                problems.append(f"{path.relative_to(REPO)} imports {module} ({', '.join(sorted(names))})")
    return sorted(set(problems))


def test_every_module_the_package_imports_comes_from_a_declared_dependency() -> None:
    app = _declared("app")
    on_demand = {module: _declared(extra) for module, extra in IMPORTED_ON_DEMAND.items()}
    package = [path for path in sorted((REPO / "backpain_edu").rglob("*.py")) if path != TEST_HARNESS]
    assert _undeclared(package, {"": app, **on_demand}) == []
    assert app >= NEEDED_WITHOUT_IMPORT
    # Never imported as a module loads: `backpain-edu serve` and a patient's kernel run without them.
    assert [
        (path.name, module)
        for path in package
        for module, top in _third_party_imports(path)
        if top and module in on_demand
    ] == []


def test_the_tests_benchmark_and_deployment_scripts_import_only_declared_dependencies() -> None:
    everything = _declared("app", "present", "dev")
    scripts = [TEST_HARNESS, *sorted(REPO.glob("tests/**/*.py")), *sorted(REPO.glob("benchmarks/*.py"))]
    assert _undeclared([*scripts, *sorted(REPO.glob("deploy/*.py"))], {"": everything}) == []
    assert "backpain-edu" in _declared("dev")  # `make test` installs the educators' extra too (the RISE test)


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
