"""The wheel works outside the checkout: built, installed into a new virtualenv and run from another folder,
it serves every page of the site map from the notebooks it ships, and it leaves the test harness out.

The new virtualenv reuses this environment's installed dependencies (a path to its site-packages), so the
test downloads nothing but the build backend, once, into pip's cache. The checkout itself is not on its path.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from backpain_edu.catalog import Catalog
from backpain_edu.testing import AppServer
from tests.conftest import REPO

pytestmark = pytest.mark.wheel


def _run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


def _build_wheel(folder: Path) -> Path:
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", folder, REPO)
    (wheel,) = folder.glob("backpain_edu-*.whl")
    return wheel


def _virtualenv_with_our_dependencies(folder: Path) -> Path:
    """A new virtualenv that sees this one's installed packages (read-only), but not the checkout."""
    _run(sys.executable, "-m", "venv", "--without-pip", folder)
    (site_packages,) = folder.glob("lib/python*/site-packages")
    # A plain path line: this environment's site-packages is searched after the new one's own, and its own
    # .pth files (the editable install's path to the checkout) are not read.
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return folder


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.status, response.read().decode("utf-8")


def test_the_wheel_serves_every_page_from_any_folder_and_ships_no_test_harness(
    tmp_path: Path, catalog: Catalog
) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert "backpain_edu/testing.py" not in names
    assert (
        "backpain_edu/notebooks/00_start_here.ipynb" in names
        and "backpain_edu/notebooks/es/00_start_here.ipynb" in names
    )
    # The tool pages' built front end (committed; serving needs no Node.js), as its manifest names it.
    static = "backpain_edu/app/share/jupyter/voila/templates/backpain/static"
    built = json.loads(zipfile.ZipFile(wheel).read(f"{static}/lite-manifest.json"))
    assert f"{static}/{built['js']}" in names and f"{static}/{built['css']}" in names

    venv = _virtualenv_with_our_dependencies(tmp_path / "venv")
    _run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps", "--quiet", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The checkout is not reachable: PYTHONPATH (set when testing a worktree) is emptied.
    isolated = {"PYTHONPATH": ""}
    where = (
        "import backpain_edu, importlib.util as u; print(backpain_edu.__file__, u.find_spec('backpain_edu.testing'))"
    )
    installed, harness = _run(venv / "bin" / "python", "-c", where, cwd=elsewhere, env=isolated).split()
    assert Path(installed).is_relative_to(venv) and harness == "None"

    env = {
        **isolated,
        # The dependencies' Jupyter data (Voila's templates, the widget extensions), which pip would have put in
        # the new virtualenv's share/jupyter, is this environment's.
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
        "BACKPAIN_EDU_CACHE": str(tmp_path / "cache"),
    }
    program = [str(venv / "bin" / "backpain-edu")]
    with AppServer.start(["serve"], env=env, cwd=elsewhere, program=program, timeout_s=60) as server:
        for page in catalog.site_map.pages:
            status, body = _get(server.page_url(page.notebook))
            assert status == 200 and html.escape(page.title) in body, page.notebook
            assert "Traceback" not in body, page.notebook
        tool = next(page for page in catalog.site_map.pages if page.widgets)
        _, body = _get(server.page_url(tool.notebook))
        assert _get(f"{server.url}/voila/templates/backpain/static/{built['js']}")[0] == 200
        assert built["js"] in body and built["css"] in body
