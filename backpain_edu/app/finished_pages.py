"""Reading pages as finished HTML: each notebook run once, its output in the app's frame.

A reading page (the start page, the injection pages, the comparison) shows the same HTML to every
visitor, so starting a kernel and Voila's 1.4 MB front end for each visit only made phones wait.
Here each such notebook is executed once, in a kernel, as Voila would run it (nbclient, the same
environment, presenter notes hidden); its HTML outputs go into ``finished.html.j2``, which shares
the header, menu and footer with the Voila template (``frame.html.j2``). The notebooks stay the
single source, and nbval still runs them.

A page is kept under a key: a hash of everything it is made from (the package's code, content and
templates, the notebook, the frame's words, the deployment, the base URL). The files are looked at
again (sizes and times only) at most once every :data:`CHECK_EVERY_S`; when something changed, the
key changes and the page is rendered again on its next visit, so a page is never stale. Finished
pages are also kept on disk under their key, where that is possible, so a restart renders nothing
that has not changed.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

from backpain_edu.app.configuration import OUTPUTS_TIMEOUT_S, SERVER_ONLY_VARIABLES, TEMPLATE_ROOT, kernel_transport
from backpain_edu.errors import BackpainEduError
from backpain_edu.render.html import STYLE_ELEMENT

PACKAGE = Path(__file__).resolve().parents[1]
"""``backpain_edu/``: its code, content and templates all shape a page."""

TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / "backpain"

CHECK_EVERY_S = 1.0
"""How often at most the source files' sizes and times are looked at again (a few hundred stat calls)."""

RENDER_TIMEOUT_S = 60
"""A cell that runs longer fails the render, as Voila's executor timeout does for a page with widgets."""

RETRY_FAILED_AFTER_S = 60
"""A page that failed to render is tried again after this long (a passing fault), or at once when a file
changes; until then it fails at once, so a broken page does not start a kernel for every visitor."""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class NotFinishable(BackpainEduError):
    """A notebook served as finished HTML showed something that is not HTML (a widget, printed text)."""


def package_files() -> list[Path]:
    """The whole package: code, content and templates (compiled caches aside)."""
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Cheap to take: names, sizes and modification times (a change to any file changes it)."""
    stats = []
    for path in paths:
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        stats.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(stats)


def page_key(
    package_digest: str, notebook: Path, frame: Mapping[str, Any], base_url: str, environ: Mapping[str, str]
) -> str:
    """The hash a finished page is kept under: what the package holds, the notebook, and everything around it."""
    digest = hashlib.sha256(package_digest.encode())
    digest.update(notebook.read_bytes())
    settings = {"frame": frame, "base_url": base_url, "environ": dict(environ)}
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def package_digest(paths: Iterable[Path]) -> str:
    """One hash of the package's files (``package_files()``), names and bytes (about 5 MB, mostly the PDF
    fonts: milliseconds)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def html_outputs(notebook: nbformat.NotebookNode, name: str) -> list[str]:
    """The executed notebook's HTML outputs, in order; anything else means the page needs a kernel."""
    outputs = []
    for number, cell in enumerate(notebook.cells, 1):
        for output in cell.get("outputs", ()):
            data = output.get("data", {})
            if (
                output.output_type in ("display_data", "execute_result")
                and "text/html" in data
                and WIDGET_VIEW not in data
            ):
                outputs.append(data["text/html"])
            else:
                kind = "a widget" if WIDGET_VIEW in data else f"a {output.output_type} output"
                raise NotFinishable(f"{name}, cell {number}: shows {kind}; mark its page 'widgets: true' in pages.yaml")
    return outputs


async def execute(path: Path, environ: Mapping[str, str]) -> nbformat.NotebookNode:
    """Run the notebook in a fresh kernel, in its folder, with the app's kernel environment."""
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="backpain-render-") as folder:
        config = Config()
        # Sockets in a private folder, as the app's own kernels (configuration.py, KernelManager.transport).
        config.KernelManager.transport = kernel_transport(tempfile.gettempdir())
        config.KernelManager.connection_file = os.path.join(folder, "kernel.json")
        # Every output, or a failed render (tried again later), never a page kept without some of its text.
        client = NotebookClient(
            notebook,
            timeout=RENDER_TIMEOUT_S,
            iopub_timeout=OUTPUTS_TIMEOUT_S,
            raise_on_iopub_timeout=True,
            config=config,
            resources={"metadata": {"path": str(path.parent)}},
        )
        # In a thread with a loop of its own: nbclient puts SIGTERM and SIGINT handlers of its own on the loop
        # it runs in (to stop its kernel) and removes them after, which on the server's loop swallowed a
        # stop during a render and, after the first render, left SIGTERM killing the server outright
        # (no kernel shut down). Off the main thread it cannot, and the server's loop stays free meanwhile.
        await asyncio.to_thread(asyncio.run, client.async_execute(env=dict(environ)))
    return notebook


def frame_template() -> jinja2.Template:
    # Not autoescaping, like nbconvert's environment the frame also runs in: the frame escapes every
    # value itself (|e) and the outputs are the package's own HTML, escaped where it was rendered.
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=False)  # noqa: S701
    return environment.get_template("finished.html.j2")


def head_styles(outputs: Iterable[str]) -> tuple[list[str], list[str]]:
    """The outputs without their ``<style>`` elements, and those styles once each, in order, for the head.

    Each rendered part carries its own stylesheet (so it also stands alone: in JupyterLab, a handout, a
    test), but HTML allows ``<style>`` only in the head, and a page repeated the same one in every output.
    """
    styles: dict[str, None] = {}
    bare = []
    for output in outputs:
        for style in STYLE_ELEMENT.findall(output):
            styles.setdefault(style)
        bare.append(STYLE_ELEMENT.sub("", output))
    return list(styles), bare


def render_finished(notebook: nbformat.NotebookNode, file: str, frame: Mapping[str, Any], base_url: str) -> str:
    """The executed notebook's outputs inside the app's frame: a whole page, with no script, its styles in the head."""
    title = notebook.metadata.get("title") or frame["site_title"]
    styles, outputs = head_styles(html_outputs(notebook, file))
    return frame_template().render(
        app=frame, current=file, base_url=base_url, title=title, styles=styles, outputs=outputs
    )


def default_cache_dir() -> Path:
    """``$BACKPAIN_EDU_CACHE``, else the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    if os.environ.get("BACKPAIN_EDU_CACHE"):
        return Path(os.environ["BACKPAIN_EDU_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "backpain-edu" / "pages"


class FinishedPages:
    """The reading pages of one server: rendered on first need (or by :meth:`warm`), kept by key."""

    def __init__(
        self,
        folder: Path,
        files: Iterable[str],
        frame: Mapping[str, Any],
        base_url: str,
        environ: Mapping[str, str],
        cache_dir: Path | None = None,
        log: logging.Logger | None = None,
        translations: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.folder, self.files, self.frame, self.base_url = folder, tuple(files), dict(frame), base_url
        # A translation's pages (``es/<file>``) get its frame: its words, menu and language switch.
        self.translations = {code: dict(other) for code, other in (translations or {}).items()}
        self.environ = dict(environ)
        self.cache_dir = cache_dir
        self.log = log or logging.getLogger(__name__)
        self._pages: dict[str, tuple[str, bytes, bytes]] = {}  # file -> (key, html, html gzipped)
        # Key -> (error, when): see RETRY_FAILED_AFTER_S. Failures are never written to disk.
        self._failed: dict[str, tuple[BaseException, float]] = {}
        self._renders: dict[str, asyncio.Task[bytes]] = {}
        self._keys: dict[str, str] = {}
        self._seen: tuple[tuple[str, int, int], ...] = ()
        self._checked_at = float("-inf")
        self.warmed = False
        """Whether :meth:`warm` has finished: every page rendered once, or its failure logged."""
        self._limit = asyncio.Semaphore(max(1, (os.cpu_count() or 1)))
        # The part of the kernels' environment that shapes a page (region, contact, Voila's base URL); not
        # the server's own settings, so replicas with their own tags and caps share one page.
        kernel_env = self._kernel_environ(self.environ)
        self._settings = {
            k: v
            for k, v in kernel_env.items()
            if k.startswith(("BACKPAIN_EDU_", "VOILA_")) and k not in SERVER_ONLY_VARIABLES
        }

    def frame_for(self, file: str) -> dict[str, Any]:
        folder = file.split("/", 1)[0] if "/" in file else ""
        return self.translations.get(folder, self.frame)

    def __contains__(self, file: object) -> bool:
        return file in self.files

    def keys(self) -> dict[str, str]:
        """Each page's current key; the files are looked at again at most once every CHECK_EVERY_S."""
        now = time.monotonic()
        if now - self._checked_at >= CHECK_EVERY_S:
            self._checked_at = now
            # Every file a finished page is made from: the package, and each page's own notebook, in every
            # language (``es/<file>`` too: a glob of the folder's top level missed an edited translation).
            package = package_files()
            seen = fingerprint([*package, *(self.folder / file for file in self.files)])
            if seen != self._seen:
                self._seen, digest = seen, package_digest(package)
                self._keys = {
                    file: page_key(digest, self.folder / file, self.frame_for(file), self.base_url, self._settings)
                    for file in self.files
                }
        return self._keys

    def _kernel_environ(self, environ: Mapping[str, str]) -> dict[str, str]:
        # Voila sets VOILA_BASE_URL in its kernels; the notebooks hide presenter notes when they see it.
        return {**environ, "VOILA_BASE_URL": self.base_url}

    async def page(self, file: str, gzipped: bool = False) -> bytes:
        """The finished page, as UTF-8 bytes (or those gzipped): from memory, from disk, or rendered now
        (once for many visitors). Compressed once per render, not once per visitor."""
        key = self.keys()[file]
        kept = self._pages.get(file)
        if not kept or kept[0] != key:
            failed = self._failed.get(key)
            if failed and time.monotonic() - failed[1] < RETRY_FAILED_AFTER_S:
                raise failed[0]
            task = self._renders.get(key)
            if task is None:
                task = self._renders[key] = asyncio.ensure_future(self._load_or_render(file, key))
                task.add_done_callback(lambda _done: self._renders.pop(key, None))
            html = await asyncio.shield(task)
            kept = self._pages[file] = (key, html, gzip.compress(html, compresslevel=9, mtime=0))
        return kept[2] if gzipped else kept[1]

    async def _load_or_render(self, file: str, key: str) -> bytes:
        kept = self._read(key)
        if kept is not None:
            self.log.info("Finished page ready: %s (from the disk cache)", file)
            return kept
        async with self._limit:
            started = time.perf_counter()
            try:
                notebook = await execute(self.folder / file, self._kernel_environ(self.environ))
                html = render_finished(notebook, file, self.frame_for(file), self.base_url).encode("utf-8")
            except Exception as error:
                self._failed[key] = (error, time.monotonic())
                raise
        self.log.info("Finished page ready: %s (rendered in %.1f s)", file, time.perf_counter() - started)
        self._write(key, html)
        return html

    def cancel(self) -> None:
        """Stop the renders under way (the server is stopping): their kernels end with their tasks."""
        for task in list(self._renders.values()):
            task.cancel()

    async def warm(self) -> None:
        """Render every page now (a server start), so the first visitor does not wait; failures are logged."""
        results = await asyncio.gather(*(self.page(file) for file in self.files), return_exceptions=True)
        for file, result in zip(self.files, results, strict=True):
            if isinstance(result, BaseException):
                self.log.error("Could not render %s as finished HTML: %s", file, result)
        self.warmed = True

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / f"{key}.html" if self.cache_dir else None

    def _read(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return path.read_bytes() if path else None
        except OSError:
            return None

    def _write(self, key: str, html: bytes) -> None:
        """Keep the page on disk for the next start; a folder that cannot be written only costs that."""
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(html)
            partial.replace(path)
        except OSError as error:
            self.log.warning("Finished pages are kept in memory only: %s", error)
            self.cache_dir = None
