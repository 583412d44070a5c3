"""A clinician's review, bound to the exact text reviewed: pages say "Reviewed by ..." only while their statements
read as signed, "Changed since its last clinical review" after any edit, "Not yet reviewed" otherwise; a review of
one language says nothing of another. From the packet to a signed review in three commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from backpain_edu.catalog import load_catalog_from
from backpain_edu.cli import main
from backpain_edu.models import ContentError
from backpain_edu.render.dates import long_date
from backpain_edu.render.reading_pages import governance_lines, page_files

INJECTION = "facet-joint"


def _review_line(content: Path, language: str = "en", page: str = INJECTION) -> str:
    catalog = load_catalog_from(content, language=language)
    return governance_lines(catalog, page_files(catalog, page))[1]


def test_a_page_reads_not_reviewed_then_reviewed_then_changed_since_as_its_text_changes(content_copy: Path) -> None:
    catalog = load_catalog_from(content_copy)
    assert _review_line(content_copy) == catalog.labels.governance.review.format(
        reviewer=catalog.governance.not_reviewed
    )
    scope = page_files(catalog, INJECTION)
    assert main(["review-sign", "--reviewer", "Dr A. Jones", "--role", "pain physician", "--content",
                 str(content_copy), "--scope", *scope]) == 0  # fmt: skip
    today = long_date(date.today(), catalog.labels.page)
    assert _review_line(content_copy) == f"Reviewed by Dr A. Jones, pain physician, on {today}."
    # A page outside the review's scope, and the same page in Spanish, are still not reviewed.
    assert "Not yet reviewed" in _review_line(content_copy, page="epidural-steroid")
    assert "Revisado por" not in _review_line(content_copy, language="es")
    # Any change to a reviewed statement flips the page to "changed since"; a change elsewhere does not.
    other = content_copy / "injections" / "regenerative.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("your blood", "your own blood", 1), "utf-8")
    assert _review_line(content_copy).startswith("Reviewed by")
    path = content_copy / "injections" / f"{INJECTION}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("small joints", "little joints", 1), "utf-8")
    assert _review_line(content_copy) == f"Changed since its last clinical review on {today}."


def test_from_the_packet_to_a_signed_review_in_three_commands(content_copy: Path, tmp_path: Path, capsys) -> None:
    assert main(["review-packet", "--lang", "es", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "review-packet-es.csv").is_file()
    assert main(["review-sign", "--reviewer", "Dra. B. Ruiz", "--role", "médica del dolor", "--lang", "es",
                 "--content", str(content_copy)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "This review covers" in out and "(es)" in out
    assert main(["validate", "--content", str(content_copy)]) == 0  # a review record is not a content change
    line = _review_line(content_copy, language="es", page="start")
    assert line.startswith("Revisado por Dra. B. Ruiz, médica del dolor")
    assert "Not yet reviewed" in _review_line(content_copy, language="en", page="start")


def test_a_review_of_a_file_the_packet_does_not_have_is_refused_and_writes_nothing(content_copy: Path) -> None:
    code = main(
        ["review-sign", "--reviewer", "X", "--role", "Y", "--content", str(content_copy), "--scope", "nope.yaml"]
    )
    assert code == 2 and not (content_copy / "reviews.yaml").exists()


@pytest.mark.parametrize(("field", "value"), [("fingerprint", "abc"), ("language", "English"), ("files", [])])
def test_a_malformed_reviews_file_fails_on_load_naming_the_field(content_copy: Path, field: str, value: object) -> None:
    review = {"reviewer": "X", "role": "Y", "reviewed": "2026-12-05", "language": "en",
              "files": ["red_flags.yaml"], "fingerprint": "0" * 64}  # fmt: skip
    review[field] = value
    (content_copy / "reviews.yaml").write_text(yaml.safe_dump({"reviews": [review]}), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert caught.value.file == "reviews.yaml" and caught.value.field.startswith(f"reviews[0].{field}")


def test_the_app_footer_of_each_page_carries_that_pages_own_review_line(content_copy: Path) -> None:
    from backpain_edu.app.configuration import NOTEBOOKS_DIR, frame
    from backpain_edu.app.pages import site_pages

    catalog = load_catalog_from(content_copy)
    assert main(["review-sign", "--reviewer", "Dr A. Jones", "--role", "pain physician", "--content",
                 str(content_copy), "--scope", *page_files(catalog, INJECTION)]) == 0  # fmt: skip
    catalog = load_catalog_from(content_copy)
    lines = frame(catalog, site_pages(catalog.site_map, NOTEBOOKS_DIR), {})["review_lines"]
    assert lines[catalog.site_map.notebook(INJECTION)].startswith("Reviewed by Dr A. Jones")
    assert "Not yet reviewed" in lines[catalog.site_map.notebook("epidural-steroid")]
    template = NOTEBOOKS_DIR.parent / "backpain_edu/app/share/jupyter/voila/templates/backpain/frame.html.j2"
    assert "app.review_lines.get(current" in template.read_text(encoding="utf-8")
