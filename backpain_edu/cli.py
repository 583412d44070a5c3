"""The ``backpain-edu`` command: serve the app, validate the content."""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

from backpain_edu.app.configuration import DEFAULT_HOST, DEFAULT_PORT
from backpain_edu.catalog import load_catalog, load_catalog_from
from backpain_edu.models import ContentError
from backpain_edu.patient_text import reading_grades


def _validate(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog_from(Path(args.content)) if args.content else load_catalog()
    except ContentError as error:
        print(f"Content error in {error}", file=sys.stderr)
        return 1
    print(
        f"Content OK: {len(catalog.injections)} injections, {len(catalog.glossary)} glossary terms, "
        f"{len(catalog.references)} references."
    )
    try:
        grades = reading_grades(catalog)
    except ImportError:
        print("Install the dev extra (pip install -e '.[dev]') to see reading grades.")
        return 0
    worst, where = max(grades)
    median = statistics.median(g for g, _ in grades)
    print(f"Reading grade (Flesch-Kincaid) over {len(grades)} blocks: median {median:.1f}, max {worst:.1f} ({where})")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from backpain_edu.app.configuration import NOTEBOOKS_DIR
    from backpain_edu.app.pages import NoPagesError
    from backpain_edu.app.server import serve

    notebooks = Path(args.notebooks) if args.notebooks else NOTEBOOKS_DIR
    try:
        serve(notebooks, args.host, args.port)
    except NoPagesError:
        print(f"No notebooks to serve in {notebooks}; pass --notebooks PATH.", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="backpain-edu", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="load and check all content")
    validate.add_argument("--content", help="content folder to check (default: the package's own)")
    validate.set_defaults(run=_validate)
    serve = commands.add_parser("serve", help="serve the notebooks as a web app with Voila")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--notebooks", help="folder of notebooks to serve (default: the repository's)")
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
