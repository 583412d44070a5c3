"""Voila with only the routes the patient app needs.

Voila serving a folder also serves a file browser (``/``, ``/voila/tree``), a contents API
that lists the folder (``/voila/api/contents``), lab themes, login pages, and renders any
notebook it can reach. The app needs none of that: ``/`` goes to the start page, only the
app's own pages render (reading pages as finished HTML, :mod:`backpain_edu.app.finished_pages`;
pages with widgets through Voila), and every other address is a plain "page not found". ``/`` and the
pages also answer HEAD (uptime monitors use it) without starting a kernel. The settings
themselves (template, culling, headers ...) live in :mod:`backpain_edu.app.configuration`.
"""

from __future__ import annotations

import os
import posixpath
import re
from datetime import datetime
from pathlib import Path

from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.contents.largefilemanager import LargeFileManager
from jupyter_server.utils import url_path_join
from jupyterlab_server.themes_handler import ThemesHandler
from tornado import web
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.web import GZipContentEncoding
from traitlets import Int, List, Unicode
from voila.app import Voila
from voila.handler import BaseVoilaHandler
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from backpain_edu.app import voila_compat
from backpain_edu.app.configuration import LAB_EXTENSIONS, TEMPLATE, server_environment, voila_config
from backpain_edu.app.finished_pages import FinishedPages, default_cache_dir
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


CONTENT_HASHED = re.compile(r"\.[0-9a-f]{16,}\.(?:js|css)$")
"""A build's file named after a hash of its content (``84.09c61a35dce1705f.js``, the tool pages' own
``lite.12d0262e95f83d856cf6.js``): a new build gets a new name, so a browser may keep the file for a year
without asking again."""

IMMUTABLE = "public, max-age=31536000, immutable"


class TemplateAssetHandler(TemplateStaticFileHandler):
    """Static files of the app's template only (Voila's handler serves any template's, and
    answers a malformed path with a 500). Content-hashed files (the tool pages' front end) are kept
    for a year as immutable. They carry the app's security headers (``nosniff`` above all), as Jupyter's
    own handlers do; Voila's handler is a plain Tornado one, which sends none."""

    def parse_url_path(self, path):
        return super().parse_url_path(require_under(path, (f"{TEMPLATE}/static/",)))

    def set_default_headers(self) -> None:
        super().set_default_headers()
        for name, value in self.settings.get("headers", {}).items():
            self.set_header(name, value)

    def set_headers(self) -> None:
        super().set_headers()
        if CONTENT_HASHED.search(self.request.path):
            self.set_header("Cache-Control", IMMUTABLE)


class LabExtensionAssetHandler(FileFindHandler):
    """The built scripts of the allowed lab extensions only, not every installed extension's files.

    Content-hashed files are cached for a year as immutable (a page load then asks for none of
    them again); any other file (``style.js``) is revalidated with its ETag on each page.
    """

    def parse_url_path(self, path):
        return super().parse_url_path(require_under(path, tuple(f"{name}/static/" for name in LAB_EXTENSIONS)))

    def set_headers(self) -> None:
        super().set_headers()
        if CONTENT_HASHED.search(self.request.path):
            self.set_header("Cache-Control", IMMUTABLE)


FRONT_END_CACHE_S = 3600
"""How long a browser keeps Voila's own scripts (``/voila/static/7155.voila.js``). Their names carry no
content hash, so they cannot be kept as immutable; an hour spares a visitor who opens several tools
from asking for all of them again, and bounds how long a browser could mix old and new files after
a Voila upgrade (which restarts the server)."""


class FrontEndAssetHandler(MultiStaticFileHandler):
    """Voila's own front end, with a cache lifetime (Tornado gives unversioned files none)."""

    def get_cache_time(self, path: str, modified: datetime | None, mime_type: str) -> int:
        versioned = super().get_cache_time(path, modified, mime_type)
        return versioned or FRONT_END_CACHE_S


# Voila's asset routes, narrowed to what a page loads and given cache lifetimes.
NARROWED_HANDLERS = {
    TemplateStaticFileHandler: TemplateAssetHandler,
    FileFindHandler: LabExtensionAssetHandler,
    MultiStaticFileHandler: FrontEndAssetHandler,
}


# The headers Voila's page handler sets before it streams a page (voila/handler.py, get_generator).
PAGE_HEADERS = {
    "Content-Type": "text/html",
    "Cache-Control": "no-cache, no-store, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
}


BUSY_RETRY_AFTER_S = 10
"""What a "busy" answer asks a browser or proxy to wait before trying again (the Retry-After header)."""

RELEASE_CHECK_EVERY_S = 2.5
"""How often kernels no page connected to are looked for (see HandoutAwareKernelManager.release_unconnected)."""

CROWDED_SHARE = 0.5
"""Kernels no page connected to are released early only once the replica holds this share of its cap: then
a burst of link previews or crawlers (no JavaScript) must not fill it. Below it, a slow phone, or a busy
browser opening several tools at once, keeps the full minute to connect (the culler's)."""


class PageHandler(TornadoVoilaHandler):
    """The app's own notebooks only (no other path reaches a kernel): a reading page as finished HTML,
    a page with widgets through Voila's renderer and a kernel of its own, unless the replica already
    holds its cap of kernels: then a plain "busy, please try again in a moment" page (503, Retry-After),
    which a proxy can also take as its cue to ask another replica."""

    def initialize(self, **kwargs):
        self.pages = frozenset(kwargs.pop("pages"))
        self.finished: FinishedPages = kwargs.pop("finished")
        self.max_kernels: int = kwargs.pop("max_kernels")
        super().initialize(**kwargs)

    def _at_cap(self) -> bool:
        """Whether one more tool page could take the replica past its cap: the kernels it holds, is starting or will
        start (refills, and requests still looking for a kernel: ``kernels_held``)."""
        return self.kernel_manager.kernels_held() >= self.max_kernels

    def _require_page(self, path: str | None) -> None:
        if path not in self.pages:
            raise web.HTTPError(404)
        if path not in self.finished and self._at_cap():
            raise web.HTTPError(503)
        if path not in self.finished:
            # Voila's page-exit beacon, which shuts this page's kernel down when the tab closes, must
            # carry the XSRF token from the "_xsrf" cookie; reading the token sets that cookie. A
            # finished page has no kernel and sets no cookie.
            _ = self.xsrf_token

    async def _send_finished(self, path: str) -> None:
        """A reading page, whole (Tornado leaves the body out for HEAD), compressed once for every visitor:
        Tornado's gzip transform leaves a response that already has a Content-Encoding alone."""
        gzipped = "gzip" in self.request.headers.get("Accept-Encoding", "")
        try:
            page = await self.finished.page(path, gzipped)
        except Exception:
            # The log gets the cause; the visitor gets the app's plain "something went wrong" page.
            self.log.exception("Could not render %s as finished HTML", path)
            raise web.HTTPError(500) from None
        for name, value in PAGE_HEADERS.items():
            self.set_header(name, value)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        if gzipped:
            self.set_header("Content-Encoding", "gzip")
        self.finish(page)

    def write_error(self, status_code: int, **kwargs) -> None:
        if status_code == 503:  # set here: Tornado clears the headers before an error page
            self.set_header("Retry-After", str(BUSY_RETRY_AFTER_S))
        super().write_error(status_code, **kwargs)

    def render_template(self, name, **ns):
        """An error page of a page is in the page's language (``/voila/render/es/...``: Spanish)."""
        frames = self.voila_configuration.resources["backpain_languages"]
        path = self.request.path.split("/voila/render/", 1)[-1]
        language = path.split("/", 1)[0] if "/" in path else ""
        frame = frames.get(language, self.voila_configuration.resources["backpain"])
        return super().render_template(name, app=frame, **ns)

    @web.authenticated
    async def get(self, path=None):
        self._require_page(path)
        if path in self.finished:
            await self._send_finished(path)
            return
        with self.kernel_manager.visitor_request():
            await super().get(path)

    @web.authenticated
    async def head(self, path=None):
        """What GET answers, without the page: rendering would take a kernel from the pool for nobody."""
        self._require_page(path)
        if path in self.finished:
            await self._send_finished(path)
            return
        for name, value in PAGE_HEADERS.items():
            self.set_header(name, value)
        # Send the headers now, as GET's first streamed chunk does: finish() alone would add a
        # Content-Length of 0 and an ETag of the empty body, which GET never sends.
        await self.flush()


class FrontPageHandler(BaseVoilaHandler):
    """``/``: a redirect to the first page, with the app's security headers (tornado's RedirectHandler
    sends none) and for HEAD as well as GET."""

    def initialize(self, **kwargs):
        self._url = kwargs.pop("url")
        super().initialize(**kwargs)

    def get(self):
        self.redirect(self._url)

    head = get


class AliveHandler(BaseVoilaHandler):
    """``/alive``: 200 whenever the server's loop answers (a liveness probe); costs nothing."""

    def get(self):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish("alive\n")

    head = get


class ReadyHandler(BaseVoilaHandler):
    """``/ready``: 200 once the replica can serve every page at once (its reading pages rendered, a kernel
    waiting in each tool page's pool), else 503; what a proxy or Kubernetes waits for before sending
    visitors. Once ready it stays ready: a pool emptied by a burst refills, and the cap answers for it."""

    def initialize(self, **kwargs):
        self.app: PatientApp = kwargs.pop("app")
        super().initialize(**kwargs)

    def get(self):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        if not self.app.ready():
            self.set_status(503)
            self.set_header("Retry-After", "1")
            self.finish("starting\n")
            return
        self.finish("ready\n")

    head = get


class NotFoundHandler(BaseVoilaHandler):
    """Every unknown address: the app's own plain 404 page (it never echoes the address)."""

    async def prepare(self):
        await super().prepare()
        raise web.HTTPError(404)


class ShippedNotebooks(LargeFileManager):
    """Voila's contents manager, trusting the app's notebooks instead of warning that each is "not trusted".

    Trust is Jupyter's guard against running a stranger's saved HTML and JavaScript outputs; it is
    checked against signatures kept in the user's data folder. These notebooks are the app's own,
    committed without outputs and executed fresh for every visitor, and Voila marks every output it
    renders as trusted anyway (voila/exporter.py), so the check only printed one warning per page.
    Voila builds this manager itself with no setting to change it, hence :meth:`PatientApp.init_settings`.
    """

    def mark_trusted_cells(self, nb, path=""):
        self.notary.mark_cells(nb, True)


def route_swaps(page_options: dict) -> dict[type, voila_compat.Swap]:
    """What becomes of Voila's routes: dropped, narrowed, or (its page route) the app's :class:`PageHandler`
    with ``page_options`` (the pages, the finished pages, the kernel cap)."""
    return {
        **dict.fromkeys(DROPPED_HANDLERS),
        TornadoVoilaHandler: (PageHandler, page_options),
        **{voila_class: (ours, {}) for voila_class, ours in NARROWED_HANDLERS.items()},
    }


class PatientApp(Voila):
    """The Voila application with the patient app's routes."""

    page_files = List(Unicode(), config=True, help="notebook file names served as pages; the first is the front page")
    finished_files = List(Unicode(), config=True, help="the pages without widgets, served as finished HTML")
    max_kernels = Int(40, config=True, help="kernels this server may hold, preheated ones included")

    _is_ready = False

    def ready(self) -> bool:
        """Whether the reading pages are rendered and every tool page has a kernel waiting (latched)."""
        if not self._is_ready:
            pools = voila_compat.pools(self.kernel_manager)  # keyed by the notebook's path in the folder
            tool_pages = [file for file in self.page_files if file not in self.finished_files]
            self._is_ready = self.finished.warmed and all(
                any(task.done() for task in pools.get(file, ())) for file in tool_pages
            )
        return self._is_ready

    def init_settings(self) -> dict:
        settings = super().init_settings()
        self.contents_manager = settings["contents_manager"] = ShippedNotebooks(parent=self)
        return settings

    def start(self) -> None:
        # Voila's start() listens and then runs the loop until the server stops; a callback queued
        # now runs on the loop's first turn, so the line appears once the port answers (never if
        # listening failed, which exits first).
        IOLoop.current().add_callback(self._announce_ready)
        super().start()

    def stop(self) -> None:
        """Voila's stop (end every kernel), after cancelling the finished pages still rendering: a stop
        during the first seconds otherwise left their kernels' clients running into the shutdown, and the
        server did not exit (seen as a stop that needed SIGKILL)."""
        finished = getattr(self, "finished", None)
        if finished is not None:
            finished.cancel()
        super().stop()

    async def _release_when_crowded(self) -> None:
        if self.kernel_manager.kernels_held() >= CROWDED_SHARE * self.max_kernels:
            await self.kernel_manager.release_unconnected()

    def _announce_ready(self) -> None:
        """The one line a newcomer needs among Voila's log: where to open the app."""
        print(f"backpain-edu is ready at {self.display_url} (Ctrl-C to stop)", flush=True)

    def init_handlers(self) -> list:
        # Voila built the kernel manager in init_settings, just before: check what the cap counts with now,
        # before a visitor comes, rather than count zero kernels after a Voila upgrade.
        voila_compat.check_kernel_manager(self.kernel_manager)
        voila_compat.watch_handouts(self.kernel_manager, self.kernel_manager.handout)
        voila_compat.cache_compiled_templates(voila_compat.CompiledTemplates())
        # Voila builds its Tornado application first and copies ``tornado_settings`` in afterwards, so
        # "compress_response" never reaches the constructor that would add gzip; add it here, where
        # the application exists and no request has been served yet.
        if self.app.settings.get("compress_response"):
            self.app.add_transform(GZipContentEncoding)
        self.finished = FinishedPages(
            Path(self.root_dir),
            self.finished_files,
            self.voila_configuration.resources["backpain"],
            self.base_url,
            os.environ,
            default_cache_dir(),
            self.log,
            self.voila_configuration.resources["backpain_languages"],
        )
        # Voila calls this from start(), before its loop runs: the finished pages render on the loop's
        # first turns, in the background (or come from the disk cache); a visitor who comes first waits
        # for that one page.
        IOLoop.current().add_callback(self.finished.warm)
        PeriodicCallback(self._release_when_crowded, RELEASE_CHECK_EVERY_S * 1000).start()
        pages = {
            "pages": list(self.page_files),
            "finished": self.finished,
            "max_kernels": self.max_kernels,
        }
        handlers = voila_compat.swap_handlers(super().init_handlers(), route_swaps(pages))
        start = url_path_join(self.base_url, "voila/render", self.page_files[0])
        voila = {"voila_configuration": self.voila_configuration}
        front = (self.server_url, FrontPageHandler, {**voila, "url": start})
        probes = [
            (url_path_join(self.base_url, "alive"), AliveHandler, voila),
            (url_path_join(self.base_url, "ready"), ReadyHandler, {**voila, "app": self}),
        ]
        fallback = (r"/.*", NotFoundHandler, voila)
        return [front, *probes, *handlers, fallback]


def serve(notebooks: Path, host: str, port: int, deployment: Deployment | None = None) -> None:
    """Run the app until interrupted (Ctrl-C or SIGTERM).

    The deployment's settings go into the environment, so every kernel the server starts shows the
    same emergency number and contact as the page around it.
    """
    deployment = deployment or Deployment.from_environ()
    os.environ.update(server_environment(os.environ))
    os.environ.update(deployment.environ())
    PatientApp.launch_instance(argv=[str(notebooks)], config=voila_config(notebooks, host, port, deployment))
