"""Voila's internals the app relies on are checked when the server is built: a Voila without one fails at
start, naming it and the Voila version, rather than counting zero kernels or leaving Voila's own routes."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
import voila
import voila.notebook_renderer
from voila.app import Voila
from voila.exporter import VoilaExporter
from voila.tornado.handler import TornadoVoilaHandler

from backpain_edu.app import voila_compat
from backpain_edu.app.configuration import NOTEBOOKS_DIR, server_environment, voila_config
from backpain_edu.app.server import PageHandler, PatientApp, route_swaps
from backpain_edu.errors import BackpainEduError
from tests.conftest import run_to_end


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> PatientApp:
    """The app as ``backpain-edu serve`` builds it, up to its kernel manager; its pools hold no kernel (Voila
    would queue their starts on a loop as the manager is built), and nothing is served."""
    config = voila_config()
    config.VoilaConfiguration.default_pool_size = 0
    with pytest.MonkeyPatch.context() as patch:
        for name, value in server_environment(os.environ).items():
            patch.setenv(name, value)
        built = PatientApp(config=config)
        built.initialize(argv=[str(NOTEBOOKS_DIR)])
        built.connection_dir = str(tmp_path_factory.mktemp("connections"))
        built.init_settings()
    return built


def test_the_kernel_manager_voila_builds_has_every_internal_the_app_counts_with(app: PatientApp) -> None:
    voila_compat.check_kernel_manager(app.kernel_manager)
    pools = voila_compat.pools(app.kernel_manager)
    assert set(pools) >= set(app.page_files) - set(app.finished_files)  # a pool for each page with widgets
    assert all(pool == [] for pool in pools.values())
    assert voila_compat.pending_kernel_ids(app.kernel_manager) == set()
    assert voila_compat.pool_started_kernel_ids(app.kernel_manager) == set()


def _voila_like_manager(**missing_or_changed: object) -> SimpleNamespace:
    async def get_rendered_notebook(notebook_name: str, **kwargs: object) -> None:
        pass

    manager = SimpleNamespace(
        _pools={}, notebook_data={}, _pending_kernels={}, get_rendered_notebook=get_rendered_notebook
    )
    for name, value in missing_or_changed.items():
        if value is None:
            delattr(manager, name)
        else:
            setattr(manager, name, value)
    return manager


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"_pools": None}, "has no '_pools'"),
        ({"notebook_data": None}, "has no 'notebook_data'"),
        ({"_pending_kernels": None}, "has no '_pending_kernels'"),
        ({"_pools": []}, "'_pools' is a list, not a dict"),
        ({"get_rendered_notebook": None}, "has no 'get_rendered_notebook'"),
    ],
)
def test_a_kernel_manager_without_an_internal_fails_naming_it_and_the_voila_version(change: dict, named: str) -> None:
    voila_compat.check_kernel_manager(_voila_like_manager())  # the fake is right but for the change
    with pytest.raises(BackpainEduError, match=rf"{named} in Voila {voila.__version__}") as error:
        voila_compat.check_kernel_manager(_voila_like_manager(**change))
    assert isinstance(error.value, voila_compat.VoilaInternalsError)


def test_every_route_the_app_swaps_is_found_in_voilas_and_its_page_route_becomes_the_apps(app: PatientApp) -> None:
    routes = voila_compat.swap_handlers(Voila.init_handlers(app), route_swaps({"max_kernels": 1}))
    classes = [route[1] for route in routes]
    assert PageHandler in classes and not set(route_swaps({})) & set(classes)
    page_route = routes[classes.index(PageHandler)]
    assert page_route[2]["max_kernels"] == 1 and "voila_configuration" in page_route[2]  # Voila's options kept


def test_a_voila_that_no_longer_routes_pages_through_its_handler_fails_naming_the_handler(app: PatientApp) -> None:
    routes = [route for route in Voila.init_handlers(app) if route[1] is not TornadoVoilaHandler]
    named = rf"no route is served by voila\.tornado\.handler\.TornadoVoilaHandler in Voila {voila.__version__}"
    with pytest.raises(BackpainEduError, match=named):
        voila_compat.swap_handlers(routes, route_swaps({}))


def test_nothing_else_reads_voilas_internals() -> None:
    package = Path(voila_compat.__file__).resolve().parents[1]
    for path in package.rglob("*.py"):
        if path.name != "voila_compat.py":
            source = path.read_text(encoding="utf-8")
            assert not any(name in source for name in voila_compat.KERNEL_MANAGER_ATTRIBUTES), path


def test_a_visitor_taking_a_pool_task_is_reported_before_voila_pops_it() -> None:
    """The handout hook sees the task Voila is about to take (the pool's first), while it is still in the pool."""
    taken: list[object] = []
    first, second = object(), object()
    manager = _voila_like_manager()
    manager._pools = {"07_checklist.ipynb": [first, second]}

    async def get_rendered_notebook(notebook_name: str, **kwargs: object) -> object:
        assert taken == [first]  # reported before Voila pops it
        return manager._pools[notebook_name].pop(0)

    manager.get_rendered_notebook = get_rendered_notebook
    voila_compat.watch_handouts(manager, taken.append)
    assert run_to_end(manager.get_rendered_notebook(notebook_name="07_checklist.ipynb")) is first
    assert taken == [first] and manager._pools["07_checklist.ipynb"] == [second]


class _CountingEnvironment(jinja2.Environment):
    compiled: list[str] = []

    def compile(
        self,
        source: str,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ):  # type: ignore[override]
        type(self).compiled.append(name)
        return super().compile(source, name, filename, raw, defer_init)


def test_compiled_templates_are_reused_across_environments_until_a_source_changes(tmp_path: Path) -> None:
    (tmp_path / "page.html.j2").write_text("{% extends 'base.html.j2' %}{% block body %}hi{% endblock %}")
    (tmp_path / "base.html.j2").write_text("<p>{% block body %}{% endblock %}</p>")
    templates = voila_compat.CompiledTemplates()
    _CountingEnvironment.compiled = []

    def render() -> str:
        # A new environment each time, as Voila makes a new exporter for each page it renders.
        environment = _CountingEnvironment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=templates)
        return environment.get_template("page.html.j2").render()

    assert render() == "<p>hi</p>"
    assert sorted(_CountingEnvironment.compiled) == ["base.html.j2", "page.html.j2"]
    assert render() == "<p>hi</p>" and len(_CountingEnvironment.compiled) == 2
    (tmp_path / "base.html.j2").write_text("<div>{% block body %}{% endblock %}</div>")
    assert render() == "<div>hi</div>"
    assert _CountingEnvironment.compiled[2:] == ["base.html.j2"]


def test_every_page_voila_renders_uses_the_servers_compiled_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voila.notebook_renderer, "VoilaExporter", voila.notebook_renderer.VoilaExporter)
    first, second = voila_compat.CompiledTemplates(), voila_compat.CompiledTemplates()
    voila_compat.cache_compiled_templates(first)
    exporter = voila.notebook_renderer.VoilaExporter
    assert issubclass(exporter, VoilaExporter) and exporter is not VoilaExporter
    assert exporter().environment.bytecode_cache is first
    voila_compat.cache_compiled_templates(second)  # a second server in the same process: no second subclass
    assert voila.notebook_renderer.VoilaExporter is exporter and exporter().environment.bytecode_cache is second


def test_a_voila_without_its_exporter_fails_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(voila.notebook_renderer, "VoilaExporter")
    with pytest.raises(voila_compat.VoilaInternalsError, match="no 'VoilaExporter'"):
        voila_compat.cache_compiled_templates(voila_compat.CompiledTemplates())
