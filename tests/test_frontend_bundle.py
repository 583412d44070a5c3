"""The tool pages' front end as committed: built from the sources and lock file as they are now, named after
its content, alone in the template's static folder, and made from the ipywidgets packages the kernels speak.

The bundle is committed so that serving the app needs no Node.js; ``npm run build-frontend`` (or
``make build-frontend``) rebuilds it and its manifest after any change to ``frontend/``, ``package.json`` or
``package-lock.json``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from backpain_edu.app.configuration import FRONT_END_MANIFEST, FRONT_END_VARIABLE, front_end, front_end_files
from tests.conftest import REPO

STATIC = FRONT_END_MANIFEST.parent
REBUILD = "run `npm ci && npm run build-frontend` and commit the result"


def _manifest() -> dict:
    return json.loads(FRONT_END_MANIFEST.read_text(encoding="utf-8"))


def _sources() -> list[str]:
    """What frontend/build.mjs builds from: every file under frontend/, package.json and the lock file."""
    found = [path.relative_to(REPO).as_posix() for path in (REPO / "frontend").rglob("*") if path.is_file()]
    return sorted([*found, "package.json", "package-lock.json"])


def sources_sha256(files: list[str], root: Path = REPO) -> str:
    """The hash frontend/build.mjs records: each file's path, its length and its bytes, in order."""
    digest = hashlib.sha256()
    for file in files:
        data = (root / file).read_bytes()
        digest.update(f"{file}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def test_the_committed_bundle_was_built_from_the_sources_and_lock_file_as_they_are() -> None:
    manifest = _manifest()
    assert manifest["sources"] == _sources(), f"a source was added or removed since the last build: {REBUILD}"
    assert manifest["sources_sha256"] == sources_sha256(manifest["sources"]), (
        f"frontend/, package.json or package-lock.json changed since the bundle was built: {REBUILD}"
    )


def test_the_sources_hash_changes_with_any_byte_of_a_source(tmp_path: Path) -> None:
    files = _manifest()["sources"]
    for file in files:
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / file).write_bytes((REPO / file).read_bytes())
    before = sources_sha256(files, tmp_path)
    assert before == sources_sha256(files)
    edited = tmp_path / "frontend" / "src" / "index.ts"
    edited.write_bytes(edited.read_bytes() + b" ")
    assert sources_sha256(files, tmp_path) != before


def test_the_bundle_files_are_named_after_their_content_and_are_the_only_ones_served() -> None:
    manifest = _manifest()
    for kind in ("js", "css"):
        name = manifest[kind]
        data = (STATIC / name).read_bytes()
        assert name == f"lite.{hashlib.sha256(data).hexdigest()[:20]}.{kind}", f"{name} was edited by hand: {REBUILD}"
    built = sorted(path.name for path in STATIC.glob("lite.*"))
    assert built == sorted([manifest["js"], manifest["css"]]), "an old build is left in the static folder"
    assert front_end_files() == {"js": f"static/{manifest['js']}", "css": f"static/{manifest['css']}"}


def test_the_bundled_widget_packages_are_those_of_the_installed_ipywidgets() -> None:
    """The JavaScript side of ipywidgets that the installed jupyterlab_widgets was built with, pinned exactly."""
    licenses = Path(sys.prefix, "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/static")
    shipped = json.loads((licenses / "third-party-licenses.json").read_text(encoding="utf-8"))
    installed = {package["name"]: package["versionInfo"] for package in shipped["packages"]}
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name in ("@jupyter-widgets/base", "@jupyter-widgets/base-manager", "@jupyter-widgets/controls"):
        assert pinned[name] == installed[name], f"{name}: package.json has {pinned[name]}, ipywidgets {installed[name]}"
    locked = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, version in pinned.items():
        assert locked[f"node_modules/{name}"]["version"] == version, name


def test_the_lite_front_end_is_the_default_and_stock_or_a_wrong_name_is_chosen_by_the_setting() -> None:
    assert front_end({}) == {"name": "lite", **front_end_files()}
    assert front_end({FRONT_END_VARIABLE: " "}) == front_end({})
    assert front_end({FRONT_END_VARIABLE: "stock"}) == {"name": "stock"}
    with pytest.raises(ValueError, match=f"{FRONT_END_VARIABLE} must be one of lite, stock, not 'voila'"):
        front_end({FRONT_END_VARIABLE: "voila"})
