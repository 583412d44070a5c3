"""Every block of prose a patient reads, with where it lives, for reading-grade checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from backpain_edu.catalog import Catalog, field_path

# Ids, keys, labels and headings are not prose: a three-word heading has no useful grade.
_NOT_PROSE = {
    "id", "key", "refs", "url", "publisher", "strength", "title", "short_title", "term", "order", "glossary", "target",
    "injections", "care", "always_care", "follows", "notebook", "heading", "word", "name", "content_version",
    "red_flag",
}  # fmt: skip


def _walk(value: Any, file: str, loc: tuple[int | str, ...] = ()) -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in _NOT_PROSE and not name.endswith("_title"):
                yield from _walk(getattr(value, name), file, (*loc, name))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _walk(item, file, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, file, (*loc, key))
    elif isinstance(value, str):
        yield f"{file}:{field_path(loc)}", value


def iter_patient_text(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Yield ("file:field", text) for every prose block in the content, injections first."""
    for injection in catalog.injections:
        yield from _walk(injection, f"injections/{injection.id}.yaml")
    yield from _walk(catalog.site, "site.yaml")
    yield from _walk(catalog.red_flags, "red_flags.yaml")
    yield from _walk(catalog.contraindications, "contraindications.yaml")
    for index, term in enumerate(catalog.glossary.values()):
        yield from _walk(term, "glossary.yaml", (index,))
    yield from _walk(catalog.checklist, "checklist.yaml")
    yield from _walk(catalog.care_options, "care_options.yaml")
    yield from _walk(catalog.diary, "diary.yaml")
    yield from _walk(catalog.emergency_help, "emergency.yaml")
    yield from _walk(catalog.warning_signs, "warning_signs.yaml")
    yield from _walk(catalog.governance, "governance.yaml")
    yield from _walk(catalog.labels, "labels.yaml")
    if catalog.governance.translated_from is None:  # a translation shares the source's educator guide
        yield from _walk(catalog.educator_guide, "educator_guide.yaml")


MIN_PROSE_WORDS = 5
"""Flesch-Kincaid needs sentences: a label of a few words ("Recovery time", "September") has no
useful grade (one long word gives grade 20), so it is not graded."""


def reading_grades(catalog: Catalog) -> list[tuple[float, str]]:
    """Flesch-Kincaid grade and location of every prose block (English)."""
    return reading_scores(catalog, "flesch_kincaid_grade")


def reading_scores(catalog: Catalog, formula: str) -> list[tuple[float, str]]:
    """``formula``'s score (a textstat function: ``flesch_kincaid_grade``, ``szigriszt_pazos``...) and
    location of every prose block, counted with the syllable rules of the catalog's language.

    textstat is a dev tool (about 25 MB once imported), so it is imported here, never at run time
    in a patient's kernel.
    """
    import textstat

    textstat.set_lang(catalog.language)  # textstat keeps the language globally: set it for every call
    score = getattr(textstat, formula)
    return [(score(text), where) for where, text in iter_patient_text(catalog) if len(text.split()) >= MIN_PROSE_WORDS]
