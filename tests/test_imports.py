"""The logic imports light: no ipywidgets, IPython or matplotlib until a page shows a tool or a chart.

Every Voila kernel and every rule test imports the package; the heavy libraries are
paid only by the widget tools that need them. Each module is imported in a fresh interpreter, since
this test process has long since loaded everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import backpain_edu
import backpain_edu.widgets

HEAVY = ("ipywidgets", "IPython", "matplotlib")
PACKAGE = Path(backpain_edu.__file__).parent

# The widget tools are ipywidgets code, and the server (Voila, Jupyter Server) runs in a process of its own
# that no kernel or rule test imports; every other module, the widgets package included, must stay light.
EXEMPT = ("backpain_edu.widgets.", "backpain_edu.app")


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not name.startswith(EXEMPT):
            names.append(name)
    return names


MODULES = _modules()


def _heavy_after(statement: str) -> list[str]:
    """The heavy libraries loaded after running ``statement`` in a fresh interpreter."""
    probe = f"import json, sys\n{statement}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_light_import_check_covers_the_logic_and_the_renderers() -> None:
    expected = {
        "backpain_edu",
        "backpain_edu.models",
        "backpain_edu.catalog",
        "backpain_edu.candidacy",
        "backpain_edu.care_plan",
        "backpain_edu.diary",
        "backpain_edu.knowledge_check",
        "backpain_edu.deployment",
        "backpain_edu.patient_text",
        "backpain_edu.render.html",
        "backpain_edu.render.tool_pages",
        "backpain_edu.render.html_tools",
        "backpain_edu.display",
        "backpain_edu.render.diary_page",
        "backpain_edu.widgets",
    }
    assert expected <= set(MODULES)


@pytest.fixture(scope="module")
def heavy_by_module() -> dict[str, list[str]]:
    """Each module imported in its own interpreter, a few at a time (one at a time takes half a minute)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        found = pool.map(lambda module: _heavy_after(f"import {module}"), MODULES)
        return dict(zip(MODULES, found, strict=True))


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_without_ipywidgets_ipython_or_matplotlib(module: str, heavy_by_module) -> None:
    assert heavy_by_module[module] == []


def test_a_notebooks_import_line_loads_no_widget_library_until_the_tool_is_shown() -> None:
    assert _heavy_after("from backpain_edu import show_checklist, show_injection, show_pain_diary") == []


def test_the_knowledge_check_question_list_and_comparison_render_without_any_widget_library() -> None:
    names = "comparison_html, knowledge_check_html, question_list_html"
    made = "knowledge_check_html('facet-joint'), question_list_html('facet-joint'), comparison_html()"
    assert _heavy_after(f"from backpain_edu import {names}\n{made}") == []


@pytest.mark.parametrize("package", [backpain_edu, backpain_edu.widgets])
def test_every_public_name_still_resolves(package) -> None:
    for name in package.__all__:
        assert getattr(package, name).__name__ == name
    with pytest.raises(AttributeError):
        _ = package.no_such_name


def test_the_pain_diary_is_public_like_the_other_tools() -> None:
    assert {"show_pain_diary", "DiaryTool"} <= set(backpain_edu.widgets.__all__)
    assert "show_pain_diary" in backpain_edu.__all__
