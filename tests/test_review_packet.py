"""The review packet: every statement a patient reads that cites a source, red flags and warning signs first, each
with its sources and a blank verdict column, as CSV and PDF, in either language (`backpain-edu review-packet`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pypdf import PdfReader

from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog_from
from backpain_edu.cli import main
from backpain_edu.review_packet import COLUMNS, review_csv, review_items


def test_every_cited_statement_is_in_the_packet_red_flags_and_warning_signs_first(catalog: Catalog) -> None:
    items = review_items(catalog)
    files = list(dict.fromkeys(item.file for item in items))
    assert files[:2] == ["red_flags.yaml", "warning_signs.yaml"]
    texts = {item.text for item in items}
    for sign in catalog.red_flags.signs:
        assert " ".join(sign.text.split()) in texts
    for injection in catalog.injections:  # the decision, the main points and the findings are in it too
        assert " ".join(injection.decision.question.text.split()) in texts
        assert " ".join(injection.main_points.helps.text.split()) in texts
    assert all(item.sources and all(ref.title for ref in item.sources) for item in items)
    assert len({(item.file, item.where) for item in items}) == len(items)


def test_the_csv_has_a_row_per_statement_with_its_sources_and_blank_verdict_columns(catalog: Catalog) -> None:
    items = review_items(catalog)
    rows = list(csv.reader(io.StringIO(review_csv(items))))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(items) + 1
    for row, item in zip(rows[1:], items, strict=True):
        assert row[:3] == [item.file, item.where, item.text] and row[4:] == ["", ""]
        assert all(ref.title in row[3] and (ref.url or "") in row[3] for ref in item.sources)


def test_the_command_writes_the_csv_and_the_pdf_in_the_language_asked_for(tmp_path: Path, capsys) -> None:
    assert main(["review-packet", "--lang", "es", "--out", str(tmp_path)]) == 0
    spanish = load_catalog_from(CONTENT_DIR, language="es")
    rows = list(csv.reader((tmp_path / "review-packet-es.csv").open(encoding="utf-8")))
    assert rows[1][2] == " ".join(spanish.red_flags.intro.text.split())
    reader = PdfReader(tmp_path / "review-packet-es.pdf")
    first = reader.pages[0].extract_text()
    assert spanish.labels.review.title in first and len(reader.pages) > 10
    assert f"{len(review_items(spanish))} statements to review" in capsys.readouterr().out
    assert main(["review-packet", "--lang", "fr", "--out", str(tmp_path)]) == 2
