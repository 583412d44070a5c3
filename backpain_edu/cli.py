"""The ``backpain-edu`` command: serve the app, present it as slides, print handouts, validate the content."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from backpain_edu.app.configuration import DEFAULT_HOST, DEFAULT_PORT
from backpain_edu.catalog import (
    CHANGELOG_FILE,
    CONTENT_DIR,
    content_fingerprint,
    content_folder,
    load_catalog,
    load_catalog_from,
    load_languages,
)
from backpain_edu.deployment import CONTACT_VARIABLE, REGION_VARIABLE, Deployment
from backpain_edu.models import ContentError, Governance
from backpain_edu.patient_text import reading_scores
from backpain_edu.translations import translation_differences

if TYPE_CHECKING:
    from backpain_edu.render.pdf import Paper


def review_overdue(governance: Governance, today: date) -> str | None:
    """The warning ``validate`` prints once the content's next review date has passed."""
    if today <= governance.next_review:
        return None
    return (
        f"Warning: the content was due for review by {governance.next_review:%d %B %Y}. Check it against its "
        "sources, then update governance.yaml."
    )


def _validate(args: argparse.Namespace) -> int:
    base = Path(args.content) if args.content else CONTENT_DIR
    try:
        languages = load_languages(base).languages
        catalogs = [load_catalog_from(base, language=language.code) for language in languages]
        differences = [d for catalog in catalogs[1:] for d in translation_differences(catalogs[0], catalog)]
    except ContentError as error:
        print(f"Content error in {error}", file=sys.stderr)
        return 1
    if differences:
        print(f"Content error in {differences[0]} ({len(differences)} in all)", file=sys.stderr)
        return 1
    catalog = catalogs[0]
    logged, now = catalog.changelog.entries[0], content_fingerprint(base)
    if logged.fingerprint != now:
        print(
            f"Content error in {CHANGELOG_FILE}: entries[0].fingerprint: the content changed since version "
            f"{logged.version} was logged. Add a change-log entry (in every language, and its version in "
            f"governance.yaml) with fingerprint: {now}",
            file=sys.stderr,
        )
        return 1
    print(
        f"Content OK: {len(catalog.injections)} injections, {len(catalog.glossary)} glossary terms, "
        f"{len(catalog.references)} references, in {len(languages)} languages "
        f"({', '.join(language.code for language in languages)})."
    )
    overdue = review_overdue(catalog.governance, date.today())
    if overdue:
        print(overdue, file=sys.stderr)
    for language, translated in zip(languages, catalogs, strict=True):
        gate = language.readability
        try:
            scores = reading_scores(translated, gate.formula)
        except ImportError:
            print("Install the dev extra (pip install -e '.[dev]') to see reading grades.")
            return 0
        hardest, where = max(scores) if gate.easier == "lower" else min(scores)
        median = statistics.median(score for score, _ in scores)
        print(
            f"Reading ease ({language.code}, {gate.formula}) over {len(scores)} blocks: median {median:.1f}, "
            f"hardest {hardest:.1f} ({where})"
        )
    return 0


def _deployment(args: argparse.Namespace) -> Deployment:
    """``--region`` and ``--contact`` over the environment's settings (``serve`` and ``handouts``)."""
    deployment = Deployment.from_environ()
    region = args.region.strip().lower() if args.region else deployment.region
    return Deployment(region, args.contact or deployment.contact)


def _warn_unknown_region(deployment: Deployment, regions: Collection[str]) -> None:
    """An unknown region is not fatal: pages then name every number (999, 112 and 911)."""
    if deployment.region not in regions:
        known = ", ".join(sorted(regions))
        print(f"Unknown region '{deployment.region}' (known: {known}): pages name every number.", file=sys.stderr)


def _serve(args: argparse.Namespace) -> int:
    from backpain_edu.app.configuration import NOTEBOOKS_DIR
    from backpain_edu.app.pages import NoPagesError
    from backpain_edu.app.server import serve

    notebooks = Path(args.notebooks) if args.notebooks else NOTEBOOKS_DIR
    deployment = _deployment(args)
    _warn_unknown_region(deployment, load_catalog().emergency_help.regions)
    try:
        serve(notebooks, args.host, args.port, deployment)
    except NoPagesError:
        print(f"No notebooks to serve in {notebooks}; pass --notebooks PATH.", file=sys.stderr)
        return 2
    return 0


PAPERS: dict[str, Paper] = {"a4": "A4", "letter": "Letter"}
"""``--paper`` choices and the sheet size ``render_pdf`` takes for each."""


def _handouts(args: argparse.Namespace) -> int:
    """Check every option before rendering, and render every handout before writing: a bad option or
    bad content writes nothing."""
    # Imported here: fpdf2 takes half a second to load, which validate and serve need not pay.
    from backpain_edu.handouts import handouts, is_web_address

    fail = "backpain-edu handouts: error:"
    if args.url is not None and not is_web_address(args.url):
        print(
            f"{fail} --url: expected a web address starting with https:// or http://, not '{args.url}'", file=sys.stderr
        )
        return 2
    try:
        content_folder(CONTENT_DIR, args.lang)
    except ContentError as error:
        print(f"{fail} --lang: {error.problem}", file=sys.stderr)
        return 2
    deployment = _deployment(args)
    try:
        catalog = load_catalog_from(CONTENT_DIR, deployment, args.lang)
    except ContentError as error:
        print(f"Content error in {error}", file=sys.stderr)
        return 1
    _warn_unknown_region(deployment, catalog.emergency_help.regions)
    if args.url and catalog.labels.page.read_more is None:
        missing = f"{catalog.language}/labels.yaml has no page.read_more yet"
        print(f"Warning: {missing}: the handouts leave out {args.url}.", file=sys.stderr)
    paper = PAPERS[args.paper]
    pdfs = handouts(catalog, paper, args.url)
    folder = Path(args.out) / catalog.language
    folder.mkdir(parents=True, exist_ok=True)
    for injection_id, data in pdfs.items():
        path = folder / f"{injection_id}.pdf"
        path.write_bytes(data)
        print(f"Wrote {path} ({len(data) // 1024} KB)")
    print(f"{len(pdfs)} handouts in {folder}: language {catalog.language}, {paper} paper, region {deployment.region}.")
    return 0


PRESENT_PORT = 8888


def lab_argv(notebooks: Path, host: str, port: int, open_browser: bool) -> list[str]:
    """JupyterLab settings for presenting: the notebooks folder, loopback, the educator guide first."""
    return [
        f"--ServerApp.root_dir={notebooks}",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        f"--ServerApp.open_browser={open_browser}",
        "--LabApp.default_url=/lab/tree/educator/educator_guide.ipynb",
        # JupyterLab refuses root unless told; containers and CI run as root, laptops do not.
        *(["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []),
    ]


def _present(args: argparse.Namespace) -> int:
    try:
        from jupyterlab.labapp import LabApp
    except ImportError:  # an educator's extra: the patient app never needs JupyterLab
        print("Presenting needs JupyterLab and RISE: pip install 'backpain-edu[present]'.", file=sys.stderr)
        return 1

    from backpain_edu.app.configuration import NOTEBOOKS_DIR

    base = f"http://{args.host}:{args.port}"
    print(
        "Presenting with JupyterLab. Open a notebook and press 'Render as slides' in its toolbar,\n"
        f"or go to {base}/rise/01_epidural_steroid.ipynb (any notebook name works). Press S in a\n"
        "slide show for the speaker view with the presenter notes."
    )
    folder = Path(args.notebooks).resolve() if args.notebooks else NOTEBOOKS_DIR
    LabApp.launch_instance(argv=lab_argv(folder, args.host, args.port, not args.no_browser))
    return 0


DESCRIPTION = "Patient education on injection therapy for back pain: serve it, present it, print it, check its content."
"""What ``--help`` says first: plain words (the module docstring is reST, with backticks)."""


def _review_packet(args: argparse.Namespace) -> int:
    """Every patient-facing statement with its sources and a blank verdict column, as CSV and PDF, for a clinician."""
    from backpain_edu.render.pdf import render_pdf
    from backpain_edu.review_packet import review_csv, review_items, review_page

    languages = load_languages()
    code = args.lang or languages.source.code
    if code not in languages.codes:
        print(f"backpain-edu review-packet: error: no language {code!r} (known: {', '.join(languages.codes)})",
              file=sys.stderr)  # fmt: skip
        return 2
    catalog = load_catalog_from(CONTENT_DIR, language=code)
    items = review_items(catalog)
    gate = next(language for language in languages.languages if language.code == code).readability
    try:
        scores = reading_scores(catalog, gate.formula)
    except ImportError:  # textstat is a dev tool: the packet still lists every statement
        scores = []
    grades = []
    for file in dict.fromkeys(item.file for item in items):
        mine = [score for score, where in scores if where.startswith(f"{file}:")]
        if mine:
            hardest = max(mine) if gate.easier == "lower" else min(mine)
            grades.append((file, f"{gate.formula} median {statistics.median(mine):.1f}, hardest {hardest:.1f}"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, pdf_path = out / f"review-packet-{code}.csv", out / f"review-packet-{code}.pdf"
    pdf = render_pdf(review_page(items, catalog, tuple(grades)), language=code)
    csv_path.write_text(review_csv(items), encoding="utf-8")
    pdf_path.write_bytes(pdf)
    print(f"Wrote {csv_path} and {pdf_path}: {len(items)} statements to review.")
    return 0


def _review_sign(args: argparse.Namespace) -> int:
    """Record a clinician's review of the statements as they read now (shown first), in ``reviews.yaml``."""
    import yaml

    from backpain_edu.catalog import REVIEWS_FILE
    from backpain_edu.review_packet import review_items, sign_review

    base = Path(args.content) if args.content else CONTENT_DIR
    catalog = load_catalog_from(base, language=args.lang) if args.lang else load_catalog_from(base)
    try:
        review = sign_review(catalog, args.reviewer, args.role, date.today(), tuple(args.scope) if args.scope else None)
    except ValueError as error:
        print(f"backpain-edu review-sign: error: {error}", file=sys.stderr)
        return 2
    count = sum(item.file in review.files for item in review_items(catalog))
    print(f"This review covers {count} statements in {len(review.files)} files ({review.language}):")
    for file in review.files:
        print(f"  {file}")
    path = base / REVIEWS_FILE
    record = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    reviews = (record or {}).get("reviews") or []
    reviews.append(review.model_dump(mode="json"))
    path.write_text(yaml.safe_dump({"reviews": reviews}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"Signed by {review.reviewer}, {review.role}, on {review.reviewed}: recorded in {path}")
    return 0


def _command(commands: argparse._SubParsersAction, name: str, summary: str) -> argparse.ArgumentParser:
    """A subcommand whose one-line summary shows in ``backpain-edu --help`` and heads its own ``--help``."""
    return commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")


def _deployment_options(command: argparse.ArgumentParser) -> None:
    """``--region`` and ``--contact``: what ``serve`` shows on its pages, ``handouts`` on paper."""
    command.add_argument(
        "--region",
        help=f"which emergency number pages show: uk (999, NHS 111), us (911) or eu (112); default: "
        f"${REGION_VARIABLE}, else all three",
    )
    command.add_argument(
        "--contact",
        help=f"where patients report a problem with a page (an email or web address); default: ${CONTACT_VARIABLE}",
    )


def _deck_notebooks(args: argparse.Namespace) -> int:
    import nbformat

    from backpain_edu.app.configuration import NOTEBOOKS_DIR
    from backpain_edu.app.decks import deck_ids, with_deck
    from backpain_edu.catalog import load_catalog
    from backpain_edu.render.slides import deck

    folder = Path(args.notebooks) if args.notebooks else NOTEBOOKS_DIR
    catalog = load_catalog()
    for deck_id in deck_ids(catalog):
        path = folder / catalog.site_map.notebook(deck_id)
        nbformat.write(with_deck(nbformat.read(path, as_version=4), deck(deck_id, catalog)), path)
        print(f"Wrote {path}")
    print("Now run 'backpain-edu language-notebooks' to carry the slides into each translation's notebooks.")
    return 0


def _language_notebooks(args: argparse.Namespace) -> int:
    import nbformat

    from backpain_edu.app.configuration import NOTEBOOKS_DIR
    from backpain_edu.app.pages import translated_notebooks

    folder = Path(args.notebooks) if args.notebooks else NOTEBOOKS_DIR
    made = translated_notebooks(folder)
    for path, notebook in made.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)
        print(f"Wrote {path}")
    print(f"{len(made)} notebooks for the translations in content/languages.yaml.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``validate``, ``serve``, ``present``, ``handouts``, ``language-notebooks`` and
    ``deck-notebooks``."""
    parser = argparse.ArgumentParser(
        prog="backpain-edu",
        description=DESCRIPTION,
        epilog="Run 'backpain-edu COMMAND --help' to see a command's options.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command", required=True)
    validate = _command(commands, "validate", "load and check all content, and show its reading grades")
    validate.add_argument("--content", help="content folder to check (default: the package's own)")
    validate.set_defaults(run=_validate)
    packet = _command(commands, "review-packet", "write every statement with its sources for a clinician (CSV, PDF)")
    packet.add_argument("--lang", help="language of the packet (default: the source language)")
    packet.add_argument("--out", default="review", help="folder to write it in (default: review)")
    packet.set_defaults(run=_review_packet)
    sign = _command(commands, "review-sign", "record a clinician's review of the statements as they read now")
    sign.add_argument("--reviewer", required=True, help="the clinician's name, as pages will show it")
    sign.add_argument("--role", required=True, help="their role, as pages will show it (e.g. 'pain physician')")
    sign.add_argument("--scope", nargs="+", help="content files reviewed (default: all), as the packet names them")
    sign.add_argument("--lang", help="language reviewed (default: the source language)")
    sign.add_argument("--content", help="content folder (default: the package's own)")
    sign.set_defaults(run=_review_sign)
    serve = _command(commands, "serve", "serve the notebooks as the patient web app (Voila)")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--notebooks", help="folder of notebooks to serve (default: the app's own, shipped with it)")
    _deployment_options(serve)
    serve.set_defaults(run=_serve)
    present = _command(commands, "present", "open the notebooks as slides in JupyterLab, for educators")
    present.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    present.add_argument("--port", type=int, default=PRESENT_PORT, help=f"port (default {PRESENT_PORT})")
    present.add_argument("--no-browser", action="store_true", help="do not open a browser")
    present.add_argument(
        "--notebooks", help="folder of notebooks to present, e.g. a copy to run and save (default: the app's own)"
    )
    present.set_defaults(run=_present)
    handout = _command(commands, "handouts", "write a printable PDF handout for each injection")
    handout.add_argument("--lang", help="language code from content/languages.yaml (default: the source language, en)")
    handout.add_argument(
        "--out", default="handouts", help="folder to write DIR/LANG/INJECTION.pdf in (default: handouts)"
    )
    handout.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="sheet size (default: a4)")
    handout.add_argument("--url", help="the app's web address, printed on each handout (default: none)")
    _deployment_options(handout)
    handout.set_defaults(run=_handouts)
    language = _command(
        commands, "language-notebooks", "write each translation's notebooks (notebooks/<code>/) from the English ones"
    )
    language.add_argument("--notebooks", help="folder of the source notebooks (default: the repository's)")
    language.set_defaults(run=_language_notebooks)
    decks = _command(
        commands, "deck-notebooks", "write the slide cells of each deck's notebook (educators' RISE slides)"
    )
    decks.add_argument("--notebooks", help="folder of the source notebooks (default: the repository's)")
    decks.set_defaults(run=_deck_notebooks)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``backpain-edu`` with ``argv`` (default: the process's arguments); the exit code."""
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
