"""``backpain-edu handouts``: one printable PDF per injection, read back with pypdf.

Each handout must carry what a patient needs when the paper is all they have: the injection's
sections and sources, the warning signs after an injection, the emergency number of the clinic's
region on every sheet, who checked the content and when, and (when given) the app's address.
The command is run for real (``main([...])``) once per language, into a temporary folder.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from backpain_edu.catalog import CONTENT_DIR, Catalog, iter_refs, load_catalog_from, load_languages
from backpain_edu.cli import main
from backpain_edu.deployment import Deployment
from backpain_edu.handouts import handout_page, is_web_address
from backpain_edu.render.page import Section
from backpain_edu.render.reading_pages import governance_lines, injection_page

URL = "https://clinic.example/guide"
CONTACT = "handouts@clinic.example"
REGION = "us"
NUMBER = "911"
PAPER = {"en": ("a4", (595, 842)), "es": ("letter", (612, 792))}
"""The paper each language's run prints on, and its size in points: English uses the default (A4)."""


def flat(text: str) -> str:
    """No whitespace at all: a line break may fall anywhere inside a long sentence."""
    return "".join(text.split())


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["handouts", *argv])
    return code, out.getvalue(), err.getvalue()


@dataclass(frozen=True)
class Run:
    """One run of the command: what it printed, the catalog it should have used, each PDF, and each
    PDF's sheets as text without whitespace (read once: pypdf takes about 0.2 s a sheet)."""

    language: str
    code: int
    out: str
    err: str
    folder: Path
    catalog: Catalog
    pdfs: dict[str, PdfReader]
    sheets: dict[str, tuple[str, ...]]

    def body(self, injection_id: str) -> str:
        """The handout's text without whitespace, each sheet's footer (the notice with the region's
        emergency number, then "Page n of N") checked and cut, so a sentence that runs on to the next
        sheet reads whole."""
        sheets, words = self.sheets[injection_id], self.catalog.labels.page
        parts = []
        for number, text in enumerate(sheets, start=1):
            footer = flat(self.catalog.notice) + flat(words.page_number.format(page=number, pages=len(sheets)))
            assert text.endswith(footer), f"{injection_id} sheet {number} lacks the notice and page number"
            parts.append(text.removesuffix(footer))
        return "".join(parts)


@pytest.fixture(scope="module", params=sorted(PAPER))
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    language = request.param
    out = tmp_path_factory.mktemp(f"handouts-{language}")
    stale = out / language / "epidural-steroid.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an old file, to be replaced")
    argv = ["--lang", language, "--out", str(out), "--url", URL, "--region", REGION, "--contact", CONTACT]
    paper, _ = PAPER[language]
    if paper != "a4":
        argv += ["--paper", paper]
    code, stdout, stderr = _run(argv)
    catalog = load_catalog_from(CONTENT_DIR, Deployment(REGION, CONTACT), language)
    folder = out / language
    pdfs = {path.stem: PdfReader(path) for path in sorted(folder.glob("*.pdf"))}
    sheets = {name: tuple(flat(sheet.extract_text()) for sheet in reader.pages) for name, reader in pdfs.items()}
    return Run(language, code, stdout, stderr, folder, catalog, pdfs, sheets)


def _headings(sections: tuple[Section, ...]) -> Iterator[str]:
    for section in sections:
        yield section.heading
        yield from _headings(section.subsections)


def test_one_handout_per_injection_in_the_language_folder_each_printed(run: Run) -> None:
    assert run.code == 0, run.err
    ids = [injection.id for injection in run.catalog.injections]
    assert len(ids) == 6 and sorted(run.pdfs) == sorted(ids)
    wrote = [line for line in run.out.splitlines() if line.startswith("Wrote ")]
    assert [Path(line.split()[1]).stem for line in wrote] == ids
    assert f"{len(ids)} handouts in {run.folder}" in run.out
    for reader in run.pdfs.values():  # the old file was replaced, and every file opens
        assert len(reader.pages) >= 2 and reader.metadata.title
        assert reader.trailer["/Root"]["/Lang"] == run.language


def test_each_handout_holds_the_injection_its_sections_and_the_warning_signs(run: Run) -> None:
    warnings = run.catalog.warning_signs
    for injection in run.catalog.injections:
        text = run.body(injection.id)
        assert flat(injection.title) in text and flat(injection.summary.text) in text
        for heading in _headings(injection_page(injection, run.catalog).sections):
            assert flat(heading) in text, f"{injection.id}: no heading {heading!r}"
        assert flat(warnings.title) in text, injection.id
        assert flat(warnings.at_once.heading) in text and flat(warnings.at_once.signs[0].text) in text
        assert flat(warnings.call_doctor.signs[0].text) in text


def test_each_handout_gives_the_regions_emergency_number_and_only_that(run: Run) -> None:
    regions = run.catalog.emergency_help.regions
    for injection in run.catalog.injections:
        text = run.body(injection.id)  # each sheet's footer (the notice) is checked in body()
        assert NUMBER in flat(run.catalog.region.notice) and NUMBER in text
        assert flat(regions[REGION].call_now.text) in text
        assert flat(regions["default"].call_now.text) not in text, "the handout ignored --region"


def test_each_handout_lists_every_source_it_cites(run: Run) -> None:
    catalog = run.catalog
    for injection in catalog.injections:
        text = run.body(injection.id)
        sources = injection_page(injection, catalog).sources
        assert flat(catalog.labels.page.sources) in text
        for number, ref in enumerate(sources, start=1):
            assert flat(f"{number}. {ref.title}") in text, f"{injection.id}: source {number} ({ref.key}) missing"
        # Every source the injection's own content and the warning signs cite, found independently.
        cited = {key for _, key in iter_refs(injection)} | {key for _, key in iter_refs(catalog.warning_signs)}
        cited |= {*catalog.region.call_now.refs, *catalog.region.same_day.refs}
        assert cited <= {ref.key for ref in sources}
        for key in cited:
            assert flat(catalog.references[key].title) in text, f"{injection.id}: no source {key}"


def test_each_handout_ends_with_the_review_lines_and_the_apps_address(run: Run) -> None:
    catalog = run.catalog
    version, review, report = governance_lines(catalog)
    assert CONTACT in report
    if catalog.governance.reviewer is None:
        assert catalog.governance.not_reviewed in review
    read_more = catalog.labels.page.read_more
    for injection in catalog.injections:
        text = run.body(injection.id)
        assert text.endswith(flat(version) + flat(review) + flat(report)), injection.id
        if read_more:
            assert flat(read_more.format(url=URL)) in text, injection.id
        else:  # a translation without the words yet: no address, and the command says so
            assert URL not in text
    if read_more is None:
        assert "read_more" in run.err and URL in run.err


def test_the_handouts_are_on_the_paper_asked_for(run: Run) -> None:
    _, size = PAPER[run.language]
    for reader in run.pdfs.values():
        for sheet in reader.pages:
            assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == size


def test_the_english_read_more_line_carries_the_address(catalog: Catalog) -> None:
    read_more = catalog.labels.page.read_more
    assert read_more and "{url}" in read_more


def test_the_address_line_is_there_only_when_asked_for_and_worded(catalog: Catalog) -> None:
    injection = catalog.injections[0]
    lines = governance_lines(catalog)
    assert handout_page(injection, catalog).footer == lines
    assert handout_page(injection, catalog, URL).footer == (catalog.labels.page.read_more.format(url=URL), *lines)
    unworded = catalog.labels.model_copy(update={"page": catalog.labels.page.model_copy(update={"read_more": None})})
    assert handout_page(injection, replace(catalog, labels=unworded), URL).footer == lines


def _nothing_written(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def test_an_unknown_language_fails_naming_the_known_ones_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = _run(["--lang", "zz", "--out", str(out)])
    assert code in (1, 2)
    [line] = stderr.splitlines()
    assert "'zz'" in line and "Traceback" not in stderr
    assert all(code_ in line for code_ in load_languages().codes)
    assert _nothing_written(out) and "Wrote" not in stdout


@pytest.mark.parametrize(
    "url", ["clinic.example/guide", "ftp://clinic.example", "javascript:alert(1)", "https://", "https://a b.example"]
)
def test_a_url_that_is_not_a_web_address_fails_and_writes_nothing(tmp_path: Path, url: str) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = _run(["--url", url, "--out", str(out)])
    assert code == 2
    [line] = stderr.splitlines()
    assert "--url" in line and url in line
    assert _nothing_written(out) and "Wrote" not in stdout


@pytest.mark.parametrize("url", [URL, "http://localhost:8866/voila/render/00_start.ipynb"])
def test_a_web_address_is_accepted(url: str) -> None:
    assert is_web_address(url)
