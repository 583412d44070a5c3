"""The server settings say what the app promises: no code, no tracebacks, nothing from other sites,
no file or API routes, no cookie but Voila's XSRF token, and kernels that open no port and do not outlive their tab."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from backpain_edu.app.configuration import (
    CONNECT_GRACE_VARIABLE,
    CONTENT_SECURITY_POLICY,
    CULL_IDLE_VARIABLE,
    FRONT_END_VARIABLE,
    KERNEL_START_VARIABLE,
    LAB_EXTENSIONS,
    MAX_KERNELS_VARIABLE,
    NOTEBOOKS_DIR,
    TEMPLATE,
    TEMPLATE_ROOT,
    URGENT_ANCHOR,
    kernel_transport,
    server_environment,
    shipped_notebooks,
    voila_config,
)
from backpain_edu.app.kernels import HandoutAwareKernelManager
from backpain_edu.app.pages import site_pages
from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog_from
from backpain_edu.deployment import Deployment
from backpain_edu.render.citations import Citations
from backpain_edu.render.reading_pages import governance_lines, red_flag_section, start_page

TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE


def test_patients_see_no_code_and_no_tracebacks() -> None:
    voila = voila_config().VoilaConfiguration
    assert voila.strip_sources is True
    assert voila.show_tracebacks is False


def test_visitors_cannot_pick_another_template_or_theme_from_the_url() -> None:
    voila = voila_config().VoilaConfiguration
    assert voila.template == TEMPLATE
    assert voila.allow_template_override == "NO" and voila.allow_theme_override == "NO"


def test_no_file_is_served_from_the_notebooks_folder() -> None:
    voila = voila_config().VoilaConfiguration
    assert voila.file_allowlist == [] and voila.file_denylist == [".*"]


def test_pages_load_only_the_widget_extensions() -> None:
    assert voila_config().VoilaConfiguration.extension_allowlist == LAB_EXTENSIONS


def test_no_local_config_file_can_change_the_settings() -> None:
    assert voila_config().Voila.config_file_paths == []


def test_idle_kernels_without_a_tab_are_culled_within_about_a_minute_and_each_page_has_one_pre_started() -> None:
    config = voila_config()
    kernels = config.MappingKernelManager
    assert 0 < kernels.cull_idle_timeout <= 60 and 0 < kernels.cull_interval <= 15
    assert kernels.cull_connected is False
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaConfiguration.default_pool_size == 1


def test_a_test_server_can_shorten_the_cull_and_the_early_release_and_a_bad_value_is_refused_by_name() -> None:
    config = voila_config(environ={CULL_IDLE_VARIABLE: "8", CONNECT_GRACE_VARIABLE: " 3 ", MAX_KERNELS_VARIABLE: "9"})
    assert (config.MappingKernelManager.cull_idle_timeout, config.MappingKernelManager.cull_interval) == (8, 2)
    assert config.HandoutAwareKernelManager.connect_grace_s == 3
    assert config.PatientApp.max_kernels == 9
    defaults = voila_config(environ={})
    assert (defaults.MappingKernelManager.cull_idle_timeout, defaults.MappingKernelManager.cull_interval) == (60, 15)
    assert defaults.HandoutAwareKernelManager.connect_grace_s == 15
    assert defaults.PatientApp.max_kernels == 40
    for name in (CULL_IDLE_VARIABLE, CONNECT_GRACE_VARIABLE, MAX_KERNELS_VARIABLE):
        for bad in ("0", "1.5", "soon"):
            with pytest.raises(ValueError, match=name):
                voila_config(environ={name: bad})


def test_kernels_talk_over_sockets_in_the_servers_private_folder_not_tcp_ports(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    # A kernel manager made the way the app's pool makes one, with the app's settings.
    kernels = HandoutAwareKernelManager(config=voila_config(), connection_dir=str(tmp_path))
    kernel = kernels.kernel_manager_factory(connection_file=str(tmp_path / "kernel-k.json"), parent=kernels)
    assert kernel.transport == "ipc"
    assert Path(kernel.ip).parent == tmp_path


@pytest.mark.parametrize(
    ("temp_dir", "transport"),
    [("/tmp", "ipc"), ("/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T", "tcp")],
)
def test_kernels_keep_tcp_where_a_socket_path_would_be_too_long(temp_dir: str, transport: str) -> None:
    assert kernel_transport(temp_dir) == transport


def test_content_security_policy_allows_only_the_apps_own_origin() -> None:
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert not re.search(r"https?:|\*|'unsafe-eval'", CONTENT_SECURITY_POLICY)
    headers = voila_config().Voila.tornado_settings["headers"]
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["Referrer-Policy"] == "no-referrer"


def test_the_only_cookie_is_a_same_site_session_xsrf_token() -> None:
    settings = voila_config().Voila.tornado_settings
    assert settings["xsrf_cookie_kwargs"] == {"expires_days": None, "samesite": "Strict"}
    assert voila_config().Voila.identity_provider_class.endswith("AnonymousVisitorProvider")


def test_kernel_messages_are_compressed_with_the_lite_front_end_only() -> None:
    # Voila's own widget manager drew the warm care plan before its states were in when they came compressed.
    assert voila_config(environ={}).Voila.tornado_settings["websocket_compression_options"] == {}
    stock = voila_config(environ={FRONT_END_VARIABLE: "stock"})
    assert "websocket_compression_options" not in stock.Voila.tornado_settings
    assert stock.VoilaConfiguration.resources["backpain_front_end"] == {"name": "stock"}


def test_kernels_are_forked_unless_an_operator_asks_for_spawned_ones() -> None:
    assert voila_config(environ={}).HandoutAwareKernelManager.fork_kernels is True
    assert voila_config(environ={KERNEL_START_VARIABLE: " spawn "}).HandoutAwareKernelManager.fork_kernels is False
    with pytest.raises(ValueError, match=f"{KERNEL_START_VARIABLE} must be one of fork, spawn, not 'clone'"):
        voila_config(environ={KERNEL_START_VARIABLE: "clone"})


def test_server_listens_on_loopback_by_default_and_never_opens_a_browser() -> None:
    voila = voila_config().Voila
    assert voila.ip == "127.0.0.1" and voila.open_browser is False and voila.port_retries == 0


def test_template_gets_every_page_the_site_title_and_the_notice(catalog: Catalog) -> None:
    app = voila_config().VoilaConfiguration.resources["backpain"]
    pages = site_pages(catalog.site_map, NOTEBOOKS_DIR)
    assert [page["file"] for page in app["pages"]] == [page.file for page in pages]
    # Every language's pages are served, the source language's first (its start page is the front door).
    spanish = site_pages(load_catalog_from(CONTENT_DIR, language="es").site_map, NOTEBOOKS_DIR, "es")
    assert voila_config().PatientApp.page_files == [page.file for page in pages + spanish]
    assert app["site_title"] == catalog.site.title and app["notice"] == catalog.notice
    assert app["urgent_anchor"] == URGENT_ANCHOR
    assert app["governance"] == governance_lines(catalog) and app["contact_href"] is None


def test_each_language_has_its_own_frame_and_every_page_links_to_its_twin_in_the_other_language() -> None:
    frames = voila_config().VoilaConfiguration.resources["backpain_languages"]
    spanish = load_catalog_from(CONTENT_DIR, language="es")
    assert list(frames) == ["en", "es"] and frames["es"]["code"] == "es"
    assert frames["es"]["words"] == spanish.labels.app.model_dump()
    assert frames["es"]["site_title"] == spanish.site.title and frames["es"]["notice"] == spanish.notice
    for english, translated in zip(frames["en"]["pages"], frames["es"]["pages"], strict=True):
        assert english["others"] == [{"code": "es", "name": "Español", "file": translated["file"]}]
        assert translated["others"] == [{"code": "en", "name": "English", "file": english["file"]}]
        assert translated["file"] == f"es/{english['file']}"


@pytest.mark.parametrize(
    ("region", "contact", "number", "href"),
    [
        ("uk", "help@clinic.example", "999", "mailto:help@clinic.example"),
        ("us", "https://clinic.example/report", "911", "https://clinic.example/report"),
        ("eu", "ring the front desk", "112", None),
        ("mars", None, "999 in the UK, 112 in the EU and 911 in the US", None),
    ],
)
def test_the_deployment_picks_the_number_and_the_contact_in_every_page(region, contact, number, href) -> None:
    app = voila_config(deployment=Deployment(region, contact)).VoilaConfiguration.resources["backpain"]
    assert number in app["notice"]
    assert app["contact_href"] == href
    assert app["governance"][-1].endswith(contact or "gave you this guide.")


def test_urgent_link_anchor_is_the_start_pages_red_flag_box(catalog: Catalog) -> None:
    page = start_page(catalog)
    urgent = red_flag_section(catalog, Citations(catalog))
    assert f"{page.slug}-{urgent.anchor}" == URGENT_ANCHOR


def test_server_environment_puts_the_app_template_first_on_the_jupyter_path() -> None:
    assert server_environment({})["JUPYTER_PATH"] == str(TEMPLATE_ROOT)
    assert server_environment({"JUPYTER_PATH": "/x"})["JUPYTER_PATH"].split(":") == [str(TEMPLATE_ROOT), "/x"]
    assert (TEMPLATE_DIR / "index.html.j2").is_file()


def test_template_loads_nothing_from_another_site() -> None:
    # Its own files and, in static/, the tool pages' built front end.
    files = [path for path in TEMPLATE_DIR.rglob("*") if path.is_file()]
    assert TEMPLATE_DIR / "index.html.j2" in files and any(path.parent.name == "static" for path in files)
    for path in files:
        assert not re.search(r"(src|href)=\"(https?:)?//", path.read_text(encoding="utf-8")), path.name


def test_kernels_are_pre_started_for_the_pages_with_widgets_only(catalog: Catalog) -> None:
    config = voila_config()
    (pattern,) = config.VoilaKernelManager.preheat_denylist
    with_widgets = [page.notebook for page in catalog.site_map.with_widgets]
    assert with_widgets and set(with_widgets) < set(config.PatientApp.page_files)
    for page in config.PatientApp.page_files:  # in every language: es/07_checklist.ipynb too
        has_widgets = page.rsplit("/", 1)[-1] in with_widgets
        assert bool(re.match(pattern, str(NOTEBOOKS_DIR / page))) == (not has_widgets), page
    assert re.match(pattern, str(NOTEBOOKS_DIR / "educator" / "educator_guide.ipynb"))
    assert re.match(pattern, str(NOTEBOOKS_DIR / "x07_checklist.ipynb"))


def test_every_page_without_widgets_is_served_finished_and_only_those(catalog: Catalog) -> None:
    config = voila_config()
    finished = [page.notebook for page in catalog.site_map.pages if not page.widgets]
    assert config.PatientApp.finished_files == finished + [f"es/{file}" for file in finished]
    assert catalog.site_map.page("start").notebook in finished and catalog.site_map.page("compare").notebook in finished


def test_the_frame_around_every_page_takes_its_words_from_content(catalog: Catalog) -> None:
    app = voila_config().VoilaConfiguration.resources["backpain"]
    assert app["words"] == catalog.labels.app.model_dump()
    templates = [path.read_text(encoding="utf-8") for path in sorted(TEMPLATE_DIR.glob("*.j2"))]
    assert len(templates) >= 3  # Voila's page, the finished page, the frame they share
    for words in app["words"].values():
        assert not any(words.split("{")[0].strip() in template for template in templates), words


def test_the_notebooks_are_found_inside_an_installed_package_else_beside_it_in_a_checkout(tmp_path: Path) -> None:
    package = tmp_path / "backpain_edu"
    package.mkdir()
    assert shipped_notebooks(package) == tmp_path / "notebooks"  # an editable install: the checkout's folder
    (package / "notebooks").mkdir()
    assert shipped_notebooks(package) == package / "notebooks"  # a wheel: hatch_build.py put them there
