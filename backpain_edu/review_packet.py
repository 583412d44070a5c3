"""A review packet for a clinician, and the signed reviews bound to it.

The packet: every patient-facing statement, grouped by content file (red flags and warning signs first), each with
its sources and a blank "agree / change / remove" column, as CSV (for a spreadsheet) and as a PDF (the app's own
renderer); ``backpain-edu review-packet`` writes it. A signed review records the SHA-256 of exactly the statements
reviewed (``review-sign``), so a page says "reviewed" only while its statements still read as they were signed.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from backpain_edu.catalog import Catalog, field_path
from backpain_edu.models import Reference, Review
from backpain_edu.render.citations import Citations
from backpain_edu.render.page import Block, Page, Section

FIRST = ("red_flags.yaml", "warning_signs.yaml")
"""What a reviewer reads first: the signs that send a reader for help."""
COLUMNS = ("file", "where", "statement", "sources", "agree / change / remove", "comment")


@dataclass(frozen=True)
class ReviewItem:
    """One statement as a reviewer sees it: where it is, what it says, and the sources it cites."""

    file: str
    where: str
    text: str
    sources: tuple[Reference, ...]

    def source_line(self) -> str:
        return "; ".join(f"{ref.title} ({ref.url})" if ref.url else ref.title for ref in self.sources)


def _cited(value: BaseModel) -> str | None:
    """The words of anything that cites sources: a statement, a red-flag sign, a reason to wait, a picture's caption."""
    if "refs" not in type(value).model_fields:
        return None
    return getattr(value, "text", None) or getattr(value, "caption", None)


def _statements(value: Any, loc: tuple[int | str, ...] = ()) -> Iterator[tuple[tuple[int | str, ...], Any]]:
    if isinstance(value, BaseModel) and _cited(value):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _statements(getattr(value, name), (*loc, name))
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _statements(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _statements(item, (*loc, key))


def review_items(catalog: Catalog) -> tuple[ReviewItem, ...]:
    """Every statement that cites a source, red flags and warning signs first, then each file in content order."""
    documents = sorted(catalog.documents(), key=lambda doc: FIRST.index(doc[0]) if doc[0] in FIRST else len(FIRST))
    return tuple(
        ReviewItem(name, field_path(loc), " ".join(str(_cited(statement)).split()),
                   tuple(catalog.references[key] for key in statement.refs))
        for name, document in documents
        for loc, statement in _statements(document)
    )  # fmt: skip


def review_csv(items: tuple[ReviewItem, ...]) -> str:
    """One row per statement, with empty columns for the reviewer's verdict and comment."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for item in items:
        writer.writerow((item.file, item.where, item.text, item.source_line(), "", ""))
    return out.getvalue()


def review_page(items: tuple[ReviewItem, ...], catalog: Catalog, grades: tuple[tuple[str, str], ...] = ()) -> Page:
    """The packet as a page for the PDF: a section per file, each statement with its sources and a line to mark;
    ``grades`` (file, its reading grades) adds the readability table's lines."""
    words, cite = catalog.labels.review, Citations(catalog)
    files = tuple(dict.fromkeys(item.file for item in items))
    sections = tuple(
        Section(
            file,
            tuple(
                cite.block(words.item.format(text=item.text, where=item.where), [ref.key for ref in item.sources])
                for item in items
                if item.file == file
            ),
            f"file-{index}",
        )
        for index, file in enumerate(files)
    )
    readability = (Section(words.readability, tuple(Block(f"{file}: {line}") for file, line in grades), "grades"),)
    return Page(
        title=words.title,
        slug="review",
        notice=words.notice,
        words=catalog.labels.page,
        sections=(*sections, *(readability if grades else ())),
        summary=Block(words.intro.format(count=len(items), files=len(files))),
        sources=cite.sources(),  # numbered once at the end, as on every page: each statement cites by number
        language=catalog.language,
    )


def statements_fingerprint(items: tuple[ReviewItem, ...]) -> str:
    """SHA-256 of exactly these statements: where each is, its words and its sources. A signed review records it."""
    digest = hashlib.sha256()
    for item in items:
        keys = ",".join(ref.key for ref in item.sources)
        digest.update(f"{item.file}\0{item.where}\0{item.text}\0{keys}\n".encode())
    return digest.hexdigest()


def review_state(catalog: Catalog, files: tuple[str, ...] | None = None) -> tuple[str, Review | None]:
    """Whether the statements of ``files`` (None: every file) in the catalog's language are as a clinician signed them:
    "reviewed" (the newest review covering them matches), "changed" (it no longer does) or "not-reviewed"."""
    items = review_items(catalog)
    wanted = set(files) if files is not None else {item.file for item in items}
    covering = [r for r in catalog.reviews.reviews if r.language == catalog.language and wanted <= set(r.files)]
    if not covering:
        return "not-reviewed", None
    review = max(covering, key=lambda r: r.reviewed)
    now = statements_fingerprint(tuple(item for item in items if item.file in review.files))
    return ("reviewed" if now == review.fingerprint else "changed"), review


def sign_review(catalog: Catalog, reviewer: str, role: str, on: date, files: tuple[str, ...] | None = None) -> Review:
    """The record of a review of ``files`` (None: every file) as they read now, in the catalog's language."""
    items = review_items(catalog)
    known = tuple(dict.fromkeys(item.file for item in items))
    chosen = known if files is None else tuple(files)
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise ValueError(f"no statements in {', '.join(unknown)} (files: {', '.join(known)})")
    scoped = tuple(item for item in items if item.file in chosen)
    return Review(reviewer=reviewer, role=role, reviewed=on, language=catalog.language, files=chosen,
                  fingerprint=statements_fingerprint(scoped))  # fmt: skip
