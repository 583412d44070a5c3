"""``backpain-edu present`` opens JupyterLab on the notebooks with RISE slides and the educator guide."""

from __future__ import annotations

import urllib.request

from backpain_edu.app.configuration import NOTEBOOKS_DIR
from backpain_edu.cli import lab_argv
from backpain_edu.testing import AppServer


def test_lab_settings_point_at_the_notebooks_on_loopback_and_open_the_guide() -> None:
    argv = lab_argv(NOTEBOOKS_DIR, "127.0.0.1", 8888, open_browser=False)
    assert f"--ServerApp.root_dir={NOTEBOOKS_DIR}" in argv
    assert "--ServerApp.ip=127.0.0.1" in argv and "--ServerApp.open_browser=False" in argv
    assert "--LabApp.default_url=/lab/tree/educator/educator_guide.ipynb" in argv
    assert (NOTEBOOKS_DIR / "educator" / "educator_guide.ipynb").is_file()


def test_present_serves_each_notebook_as_rise_slides() -> None:
    with AppServer.start(["present", "--no-browser"], env={"JUPYTER_TOKEN": "test-token"}) as lab:
        for path in ("rise/01_epidural_steroid.ipynb", "lab/tree/educator/educator_guide.ipynb"):
            with urllib.request.urlopen(f"{lab.url}/{path}?token=test-token", timeout=60) as response:
                assert response.status == 200, path
                body = response.read().decode()
        assert "<title>" in body
