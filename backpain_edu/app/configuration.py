"""Every server setting of ``backpain-edu serve``, each with the reason it is set.

Kept in one place (as Voila keeps its own ``configuration.py``) so a reviewer can read the
whole security and privacy stance of the app on one screen.
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
"""The repository's notebooks (the package is installed in editable mode from the repo)."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866


def voila_config(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> Config:
    """The Voila configuration for the patient app."""
    config = Config()
    # Loopback by default: exposing the app is a deliberate choice (--host 0.0.0.0).
    config.Voila.ip = host
    config.Voila.port = port
    # Fail rather than silently move to another port the user did not ask for.
    config.Voila.port_retries = 0
    # A server, not a desktop session: never try to open a browser.
    config.Voila.open_browser = False
    # Patients see no code...
    config.VoilaConfiguration.strip_sources = True
    # ...and never a traceback; Voila shows a plain error message instead (its default, kept explicit).
    config.VoilaConfiguration.show_tracebacks = False
    return config
