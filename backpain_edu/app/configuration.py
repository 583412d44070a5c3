"""Every server setting of ``backpain-edu serve``, each with the reason it is set.

Kept in one place (as Voila keeps its own ``configuration.py``) so a reviewer can read the
whole security and privacy stance of the app on one screen. The routes the app drops or
replaces are in :mod:`backpain_edu.app.server`; the page template is in
``share/jupyter/voila/templates/backpain``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from traitlets.config import Config

from backpain_edu.app.pages import AppPage, NoPagesError, navigation, site_pages
from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog_from, load_languages
from backpain_edu.deployment import Deployment, contact_href
from backpain_edu.render.html import widget_style
from backpain_edu.render.html_tools import tool_page_headers
from backpain_edu.render.reading_pages import ABOUT_PAGE, governance_lines, page_files, review_line
from backpain_edu.widgets import HEADER_IN_PAGE, HEADER_VARIABLE

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def shipped_notebooks(package: Path = PACKAGE_DIR) -> Path:
    """The app's notebooks: inside the package when installed from a wheel (``hatch_build.py`` puts them
    there), else the checkout's ``notebooks/`` beside the package (an editable install serves them live)."""
    in_wheel = package / "notebooks"
    return in_wheel if in_wheel.is_dir() else package.parent / "notebooks"


NOTEBOOKS_DIR = shipped_notebooks()
"""The notebooks ``backpain-edu serve`` and ``present`` use unless ``--notebooks`` names another folder."""

TEMPLATE_ROOT = Path(__file__).resolve().parent / "share" / "jupyter"
"""A Jupyter data folder holding the app's Voila template (``voila/templates/backpain``)."""

TEMPLATE = "backpain"

FRONT_END_MANIFEST = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE / "static" / "lite-manifest.json"
"""Names the tool pages' front end (``frontend/``, built by ``npm run build-frontend``): its script and
stylesheet in the template's static folder, each named after its content, and the hash of its sources."""


def front_end_files(manifest: Path = FRONT_END_MANIFEST) -> dict[str, str]:
    """The built front end's files, as the template loads them (``static/lite.<hash>.js``, ``.css``)."""
    built = json.loads(manifest.read_text(encoding="utf-8"))
    return {"js": f"static/{built['js']}", "css": f"static/{built['css']}"}


def front_end(environ: Mapping[str, str]) -> dict[str, str]:
    """What the template loads for the tool pages' widgets (``BACKPAIN_EDU_FRONT_END``, see FRONT_ENDS):
    the lite bundle's files, or ``{"name": "stock"}`` for Voila's own; any other value is refused by name."""
    name = environ.get(FRONT_END_VARIABLE, "").strip() or FRONT_ENDS[0]
    if name not in FRONT_ENDS:
        raise ValueError(f"{FRONT_END_VARIABLE} must be one of {', '.join(FRONT_ENDS)}, not {name!r}")
    return {"name": name, **(front_end_files() if name == "lite" else {})}


DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866

REPLICA_VARIABLE = "BACKPAIN_EDU_REPLICA"
"""This replica's tag behind a proxy (2 hex digits, see app/kernels.py); unset on a lone server."""

MAX_KERNELS_VARIABLE = "BACKPAIN_EDU_MAX_KERNELS"
DEFAULT_MAX_KERNELS = 40
"""Kernels one replica may hold, preheated ones included: a server of about 110 MB plus 40 kernels of
about 66 MB (RSS) fit in 3 GB. Past the cap a tool page answers "busy, please try again" (503) rather
than letting a burst of requests fill the memory."""

CULL_IDLE_VARIABLE = "BACKPAIN_EDU_CULL_IDLE_S"
DEFAULT_CULL_IDLE_S = 60
"""Seconds a kernel with no open connection (a crashed tab) lives before the culler shuts it down; checked every
quarter of that. Shorter only in tests, which would otherwise wait the real minute."""

CONNECT_GRACE_VARIABLE = "BACKPAIN_EDU_CONNECT_GRACE_S"
DEFAULT_CONNECT_GRACE_S = 15
"""Seconds a visitor's kernel waits for its page to connect before it is released (once the replica is half
full). Shorter only in tests."""

FRONT_END_VARIABLE = "BACKPAIN_EDU_FRONT_END"
FRONT_ENDS = ("lite", "stock")
"""The tool pages' widget front end: ``lite`` (the default: the app's own, ``frontend/``, about 210 KB) or
``stock`` (Voila's own voila.js and JupyterLab's styles, about 1.4 MB in 92 files). Stock is kept as a
fallback should a widget ever need JupyterLab's renderers, and so the benchmark can measure both in one run."""

KERNEL_START_VARIABLE = "BACKPAIN_EDU_KERNEL_START"
KERNEL_STARTS = ("fork", "spawn")
"""How the replica starts a tool page's kernel: ``fork`` (the default: from the zygote, a process that has
imported a kernel's code once, see app/zygote.py; about half a CPU-second less per visitor) or ``spawn`` (a new
``python -m ipykernel_launcher`` each time, as Jupyter does). Spawn is kept as the fallback an operator can
choose, and so the benchmark can measure both."""


def kernel_start(environ: Mapping[str, str]) -> str:
    """How kernels start (``BACKPAIN_EDU_KERNEL_START``, see KERNEL_STARTS); any other value is refused by name."""
    name = environ.get(KERNEL_START_VARIABLE, "").strip() or KERNEL_STARTS[0]
    if name not in KERNEL_STARTS:
        raise ValueError(f"{KERNEL_START_VARIABLE} must be one of {', '.join(KERNEL_STARTS)}, not {name!r}")
    return name


OUTPUTS_TIMEOUT_S = 60
"""How long a notebook's run waits for a cell's outputs after the cell has finished, before it fails (nbclient's
``iopub_timeout``, 4 s by default, after which it goes on without them): the app's kernels and the finished pages'."""

SERVER_ONLY_VARIABLES = frozenset(
    {
        REPLICA_VARIABLE,
        KERNEL_START_VARIABLE,
        MAX_KERNELS_VARIABLE,
        CULL_IDLE_VARIABLE,
        CONNECT_GRACE_VARIABLE,
        FRONT_END_VARIABLE,
        "BACKPAIN_EDU_CACHE",
    }
)
"""Settings of the server process that never change what a page says (so replicas share finished pages)."""

URGENT_ANCHOR = "start-urgent-symptoms"
"""Id of the red-flag box on the start page (slug "start" + section "urgent-symptoms")."""

# The only lab extensions a page loads: the widget manager and Voila's bridge to it. Anything
# else installed in the environment (syntax highlighting, previews) is code the page does not need.
LAB_EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]

# The browser may load scripts, styles, fonts and sockets from this server only, so even a
# mistake in a page cannot send a patient's data elsewhere. Voila's pages need inline scripts
# and styles; images are the inline SVG diagrams. 'self' covers the kernel websocket (CSP 3).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # A patient following a source link must not tell that site which guide they were reading.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def not_a_page_pattern(files: Iterable[str]) -> str:
    """A pattern matching any notebook path that does not end in one of ``files`` (Voila's denylist form)."""
    names = "|".join(re.escape(name) for name in files)
    return rf"^(?!(?:.*/)?(?:{names})$)"


def server_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """Environment changes for the server process, which its kernels inherit: Voila finds templates only on the
    Jupyter data path; and a tool's kernel leaves the tool's title and introduction to the page template, which
    sends them in its first response (``tool_headers`` in :func:`frame`)."""
    path = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), environ.get("JUPYTER_PATH")]))
    return {"JUPYTER_PATH": path, HEADER_VARIABLE: HEADER_IN_PAGE}


# The longest Unix socket path macOS accepts (Linux: 107). A kernel's sockets are
# <temp folder>/voila_XXXXXXXX/kernel-<36-character id>-ipc-<1..5>.
SOCKET_PATH_LIMIT = 103
SOCKET_PATH_TAIL = len("/voila_XXXXXXXX/kernel-") + 36 + len("-ipc-5")


def kernel_transport(temp_dir: str) -> str:
    """Unix sockets ("ipc") if their paths fit under ``temp_dir``, else loopback TCP (a long $TMPDIR, as on macOS)."""
    return "ipc" if len(temp_dir) + SOCKET_PATH_TAIL <= SOCKET_PATH_LIMIT else "tcp"


Editions = dict[str, tuple[Catalog, tuple[AppPage, ...]]]


def language_editions(notebooks: Path, deployment: Deployment) -> Editions:
    """Each language's content and pages, the source language first: a translation's pages are its
    notebooks in ``notebooks/<code>/``; a language with none there (a clinic's own folder) is not served."""
    editions: Editions = {}
    for language in load_languages().languages:
        catalog = load_catalog_from(CONTENT_DIR, deployment, language.code)
        subfolder = "" if not editions else language.code
        try:
            editions[language.code] = (catalog, site_pages(catalog.site_map, notebooks, subfolder))
        except NoPagesError:
            if not editions:  # the source language's pages are the app
                raise
    return editions


def _review_lines(catalog: Catalog, pages: list[dict[str, str]]) -> dict[str, str]:
    """Each page's review line, by its file: whether a clinician signed off exactly the statements it shows."""
    ids = {page.notebook: page.id for page in catalog.site_map.pages}
    return {
        page["file"]: review_line(catalog, page_files(catalog, ids.get(page["file"].rsplit("/", 1)[-1])))
        for page in pages
    }


def frame(catalog: Catalog, pages: tuple[AppPage, ...], editions: Editions) -> dict:
    """What the template shows around a page of one language: the menu, the site title, the notice, the
    footer, the frame's words, and each page's twin in the other languages (the language switch)."""
    twins = {
        code: {page.file.rsplit("/", 1)[-1]: page.file for page in other_pages}
        for code, (_, other_pages) in editions.items()
        if code != catalog.language
    }
    names = {language.code: language.name for language in load_languages().languages}
    navigation_pages = navigation(pages)
    for page in navigation_pages:
        name = page["file"].rsplit("/", 1)[-1]
        page["others"] = [
            {"code": code, "name": names[code], "file": files[name]} for code, files in twins.items() if name in files
        ]
    about = catalog.site_map.notebook(ABOUT_PAGE)
    from backpain_edu.widgets.preview import tool_previews  # builds the tools: ipywidgets, only when serving

    headers, previews = tool_page_headers(catalog), tool_previews(catalog)
    return {
        "code": catalog.language,
        "pages": navigation_pages,
        # Every footer links the About page: who made the guide, who paid, how it is checked, what changed.
        "about_file": next(
            (page["file"] for page in navigation_pages if page["file"].rsplit("/", 1)[-1] == about), None
        ),
        "site_title": catalog.site.title,
        "notice": catalog.notice,
        "urgent_anchor": URGENT_ANCHOR,
        # Who checked the content and when, and where to report a problem: every page's footer.
        "governance": governance_lines(catalog),
        # Each page's own review line (reviewed, changed since its review, or not yet reviewed), by its file.
        "review_lines": _review_lines(catalog, navigation_pages),
        "contact": catalog.deployment.contact,
        "contact_href": contact_href(catalog.deployment.contact),
        # The words of the frame around every page (header, menu, pager, footer), from labels.yaml.
        "words": catalog.labels.app.model_dump(),
        # A tool page's title and introduction by its file, then the tool as it first shows (widgets/preview.py),
        # and the style of its widgets: in the page's first response, so they read before its kernel has run (the
        # kernel leaves the title out: server_environment; the style hides the preview once the tool is drawn).
        "tool_headers": {
            page.file: headers[Path(page.file).name] + previews[Path(page.file).name]
            for page in pages
            if Path(page.file).name in headers
        },
        "tool_style": widget_style(),
    }


def whole_number(environ: Mapping[str, str], name: str, default: int) -> int:
    """The setting ``name`` from the environment, ``default`` if unset; a value that is not a whole number of at
    least 1 is refused by name."""
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def max_kernels(environ: Mapping[str, str]) -> int:
    """The kernel cap from the environment (``BACKPAIN_EDU_MAX_KERNELS``)."""
    return whole_number(environ, MAX_KERNELS_VARIABLE, DEFAULT_MAX_KERNELS)


def voila_config(
    notebooks: Path = NOTEBOOKS_DIR,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    deployment: Deployment | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Config:
    """The Voila configuration for the patient app serving the notebooks in ``notebooks``.

    ``deployment`` (region and contact) shapes the header's notice and the footer; its kernels get the
    same settings through the environment (see :func:`backpain_edu.app.server.serve`). ``environ`` gives
    the replica's tag, its kernel cap and, for tests, the culler's and the early release's seconds
    (``BACKPAIN_EDU_REPLICA``, ``BACKPAIN_EDU_MAX_KERNELS``, ``BACKPAIN_EDU_CULL_IDLE_S``,
    ``BACKPAIN_EDU_CONNECT_GRACE_S``).
    """
    deployment = deployment or Deployment.from_environ()
    editions = language_editions(notebooks, deployment)
    pages = tuple(page for _, edition_pages in editions.values() for page in edition_pages)
    config = Config()
    # Loopback by default: exposing the app is a deliberate choice (--host 0.0.0.0).
    config.Voila.ip = host
    config.Voila.port = port
    # Fail rather than silently move to another port the user did not ask for.
    config.Voila.port_retries = 0
    # A server, not a desktop session: never try to open a browser.
    config.Voila.open_browser = False
    # No voila.json / voila.py from the working folder or ~/.jupyter can loosen these settings.
    config.Voila.config_file_paths = []
    # The app's pages, in order; the first is the front page ("/" redirects there).
    config.PatientApp.page_files = [page.file for page in pages]
    # Pages without widgets are the same for every visitor: served as finished HTML, rendered once from
    # their notebooks (app/finished_pages.py), with no kernel and no front-end script. Only the pages
    # with widgets (the checklist, the care plan, the diary) start a kernel per visitor.
    config.PatientApp.finished_files = [page.file for page in pages if not page.widgets]
    # No login and no login cookie: every visitor is the same anonymous reader.
    config.Voila.identity_provider_class = "backpain_edu.app.identity.AnonymousVisitorProvider"
    # The one cookie: the XSRF token that Voila's page-exit beacon sends back (see server.PageHandler).
    # It lasts for the browser session and is never sent with a request from another site.
    config.Voila.tornado_settings = {
        "headers": SECURITY_HEADERS,
        "xsrf_cookie_kwargs": {"expires_days": None, "samesite": "Strict"},
        # Compress every text response (HTML, scripts, styles, JSON) with gzip: a page's 4.9 MB of
        # front end goes over a phone's network as about 1.4 MB. Tornado flushes the gzip stream
        # with each chunk, so a streamed page still shows its text as it arrives.
        "compress_response": True,
    }
    widgets = front_end(environ)
    if widgets["name"] == "lite":
        # And every message on a tool page's kernel websocket (permessage-deflate, which every browser
        # offers): a tool's widget states, the kernel's first big answer, are 180-320 KB of JSON that
        # deflate to about a tenth. Uncompressed, a phone on slow 4G waited 1.4-2.4 s for them. Not with
        # Voila's own front end: its widget manager then drew the care plan before the states it had
        # asked for were in ("widget model not found", the page never usable; 3 of 3 warm loads on the
        # emulated phone, none uncompressed).
        config.Voila.tornado_settings["websocket_compression_options"] = {}

    # One look for every page: header, menu, notice, plain error message (see the template).
    config.VoilaConfiguration.template = TEMPLATE
    config.VoilaConfiguration.theme = "light"
    # A visitor cannot swap the template or theme with ?template=... or ?theme=... in the URL.
    config.VoilaConfiguration.allow_template_override = "NO"
    config.VoilaConfiguration.allow_theme_override = "NO"
    config.VoilaConfiguration.extension_allowlist = LAB_EXTENSIONS
    # Data the template shows on every page: the menu, the site title, the notice, in each page's language
    # ("backpain": the source language's; "backpain_languages": every language's, by code).
    frames = {code: frame(catalog, edition_pages, editions) for code, (catalog, edition_pages) in editions.items()}
    config.VoilaConfiguration.resources = {
        "backpain": frames[next(iter(editions))],
        "backpain_languages": frames,
        # The tool pages' own small widget front end, in place of Voila's (see the template's end).
        "backpain_front_end": widgets,
    }
    # Patients see no code...
    config.VoilaConfiguration.strip_sources = True
    # ...and never a traceback: the template shows "something went wrong, please reload" instead.
    config.VoilaConfiguration.show_tracebacks = False
    # With no code shown, the page needs no syntax-highlighting CSS.
    config.CSSHTMLHeaderPreprocessor.enabled = False
    # A cell that hangs shows that same message after a minute instead of a page that never ends.
    config.VoilaExecutor.timeout = 60
    # A cell's outputs are all taken, however busy the machine. nbclient waits 4 s for them after the cell's reply,
    # then goes on without the rest: with 10 browsers opening the checklist at once on 2 cores, 8 or 9 of the
    # pages came without their tool (its widget output dropped), the questions showing but never a box to tick.
    # Wait as long as a cell may run, and if the outputs still do not come, say "please reload" (the error
    # block) rather than send a page that cannot work.
    config.VoilaExecutor.iopub_timeout = OUTPUTS_TIMEOUT_S
    config.VoilaExecutor.raise_on_iopub_timeout = True
    # /voila/files serves nothing: the diagrams are inline, and the folder holds notebooks (source).
    config.VoilaConfiguration.file_allowlist = []
    config.VoilaConfiguration.file_denylist = [".*"]
    # One pre-started, pre-rendered kernel per page with widgets: the server answers in milliseconds
    # instead of starting a kernel and running the notebook first. Measured with benchmarks/bench.py
    # --quick: a lone visitor's checklist was usable after 0.29 s instead of 1.09 s. The price is one
    # idle kernel per such page (about 50 MB each). Voila never culls pooled kernels.
    config.VoilaConfiguration.preheat_kernel = True
    config.VoilaConfiguration.default_pool_size = 1
    # Idle time counts from when a visitor takes a pooled kernel, not from when it was pre-started.
    config.VoilaConfiguration.multi_kernel_manager_class = "backpain_edu.app.kernels.HandoutAwareKernelManager"
    # Voila pre-starts a kernel for every notebook in the folder (the educator guide and the finished
    # reading pages included, which never use one): pre-start kernels for the pages with widgets only.
    config.VoilaKernelManager.preheat_denylist = [not_a_page_pattern(page.file for page in pages if page.widgets)]

    # Kernels talk to the server over Unix sockets instead of five loopback TCP ports each: no port that
    # another user or process on the machine could connect to, and no "Kernel is running over TCP without
    # encryption" warning from every kernel at start. The socket files sit beside the connection files, in
    # the private folder Voila makes under the temp folder ($TMPDIR, else /tmp: writable in the container,
    # whose root is read-only) and removes on exit. Voila's pool and Jupyter's MappingKernelManager start
    # every kernel through a KernelManager, so this one setting covers them all.
    config.KernelManager.transport = kernel_transport(tempfile.gettempdir())

    # A closed tab normally shuts its kernel down at once (Voila's page-exit beacon). The culler
    # catches what the beacon misses (a crashed tab, a phone that drops the page): a kernel with no
    # open connection for a minute is shut down, checked every 15 s. A page left open keeps its
    # kernel; a tab that lost its connection for over a minute needs a reload for its widgets.
    cull_idle_s = whole_number(environ, CULL_IDLE_VARIABLE, DEFAULT_CULL_IDLE_S)
    config.MappingKernelManager.cull_idle_timeout = cull_idle_s
    config.MappingKernelManager.cull_interval = max(1, cull_idle_s // 4)
    config.MappingKernelManager.cull_connected = False
    config.MappingKernelManager.cull_busy = False
    # A kernel no page connects to (a link preview, a crawler: a GET with no JavaScript) is released
    # 15 s after its hand-out, once the replica holds half its cap, instead of holding its memory for the
    # culler's minute; and no replica holds more kernels than its cap (app/kernels.py, server.py).
    config.HandoutAwareKernelManager.connect_grace_s = whole_number(
        environ, CONNECT_GRACE_VARIABLE, DEFAULT_CONNECT_GRACE_S
    )
    config.PatientApp.max_kernels = max_kernels(environ)
    # Each kernel forked from the zygote, which has imported a kernel's code once (app/zygote.py, app/forking.py).
    config.HandoutAwareKernelManager.fork_kernels = kernel_start(environ) == "fork"
    # Behind a proxy, every kernel id starts with this replica's tag, so the proxy can send a page's
    # websocket to the replica that holds its kernel (deploy/nginx/).
    config.HandoutAwareKernelManager.replica = environ.get(REPLICA_VARIABLE, "").strip().lower()
    return config
