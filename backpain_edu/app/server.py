"""Voila with only the routes the patient app needs.

Voila serving a folder also serves a file browser (``/``, ``/voila/tree``), a contents API
that lists the folder (``/voila/api/contents``), lab themes, login pages, and renders any
notebook it can reach. The app needs none of that: ``/`` goes to the start page, only the
app's own pages render, and every other address is a plain "page not found". The settings
themselves (template, culling, headers ...) live in :mod:`backpain_edu.app.configuration`.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from jupyterlab_server.themes_handler import ThemesHandler
from tornado import web
from traitlets import List, Unicode
from voila.app import Voila
from voila.handler import BaseVoilaHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from backpain_edu.app.configuration import LAB_EXTENSIONS, TEMPLATE, server_environment, voila_config
from backpain_edu.deployment import Deployment

# Routes Voila adds that the app does not want: the file browser, the folder listing API,
# and lab theme switching (the page is always the light theme built into its CSS).
DROPPED_HANDLERS = (TornadoVoilaTreeHandler, VoilaContentsHandler, ThemesHandler)


def require_under(path: str, prefixes: tuple[str, ...]) -> str:
    """``path`` itself if, once ``..`` is resolved, it lies under one of ``prefixes``; else a 404."""
    normal = posixpath.normpath(path)
    if path != normal or not normal.startswith(prefixes):
        raise web.HTTPError(404)
    return path


class TemplateAssetHandler(TemplateStaticFileHandler):
    """Static files of the app's template only (Voila's handler serves any template's, and
    answers a malformed path with a 500)."""

    def parse_url_path(self, path):
        return super().parse_url_path(require_under(path, (f"{TEMPLATE}/static/",)))


class LabExtensionAssetHandler(FileFindHandler):
    """The built scripts of the allowed lab extensions only, not every installed extension's files."""

    def parse_url_path(self, path):
        return super().parse_url_path(require_under(path, tuple(f"{name}/static/" for name in LAB_EXTENSIONS)))


# Voila's asset routes, narrowed to what a page loads.
NARROWED_HANDLERS = {TemplateStaticFileHandler: TemplateAssetHandler, FileFindHandler: LabExtensionAssetHandler}


class PageHandler(TornadoVoilaHandler):
    """Voila's page renderer, limited to the app's own notebooks (no other path reaches a kernel)."""

    def initialize(self, **kwargs):
        self.pages = frozenset(kwargs.pop("pages"))
        super().initialize(**kwargs)

    async def get(self, path=None):
        if path not in self.pages:
            raise web.HTTPError(404)
        # Voila's page-exit beacon, which shuts this page's kernel down when the tab closes, must
        # carry the XSRF token from the "_xsrf" cookie; reading the token sets that cookie.
        _ = self.xsrf_token
        await super().get(path)


class NotFoundHandler(BaseVoilaHandler):
    """Every unknown address: the app's own plain 404 page (it never echoes the address)."""

    async def prepare(self):
        await super().prepare()
        raise web.HTTPError(404)


class PatientApp(Voila):
    """The Voila application with the patient app's routes."""

    page_files = List(Unicode(), config=True, help="notebook file names served as pages; the first is the front page")

    def init_handlers(self) -> list:
        pages = {"pages": list(self.page_files)}
        handlers = []
        for handler in super().init_handlers():
            pattern, handler_class, *options = handler
            if handler_class in DROPPED_HANDLERS:
                continue
            if handler_class is TornadoVoilaHandler:
                handler = (pattern, PageHandler, {**options[0], **pages})
            elif handler_class in NARROWED_HANDLERS:
                handler = (pattern, NARROWED_HANDLERS[handler_class], *options)
            handlers.append(handler)
        start = url_path_join(self.base_url, "voila/render", self.page_files[0])
        front = (self.server_url, web.RedirectHandler, {"url": start, "permanent": False})
        fallback = (r"/.*", NotFoundHandler, {"voila_configuration": self.voila_configuration})
        return [front, *handlers, fallback]


def serve(notebooks: Path, host: str, port: int, deployment: Deployment | None = None) -> None:
    """Run the app until interrupted (Ctrl-C or SIGTERM).

    The deployment's settings go into the environment, so every kernel the server starts shows the
    same emergency number and contact as the page around it.
    """
    deployment = deployment or Deployment.from_environ()
    os.environ.update(server_environment(os.environ))
    os.environ.update(deployment.environ())
    PatientApp.launch_instance(argv=[str(notebooks)], config=voila_config(notebooks, host, port, deployment))
