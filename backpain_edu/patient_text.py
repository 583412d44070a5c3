"""Every block of prose a patient reads, with where it lives, for reading-grade checks."""

from __future__ import annotations

from collections.abc import Iterator

from backpain_edu.catalog import EDUCATOR_GUIDE_FILE, Catalog, Leaf, field_path, walk

# Ids, keys, labels and headings are not prose: a three-word heading has no useful grade. A statement's ``why``
# quotes words of its own text (already graded there), so it is not a block of its own.
_NOT_PROSE = {
    "id", "key", "refs", "url", "publisher", "strength", "title", "short_title", "term", "order", "glossary", "target",
    "injections", "care", "always_care", "follows", "notebook", "heading", "word", "name", "content_version",
    "red_flag", "why",
}  # fmt: skip


def _is_prose(leaf: Leaf) -> bool:
    return isinstance(leaf.value, str) and not any(f in _NOT_PROSE or f.endswith("_title") for f in leaf.fields)


def iter_patient_text(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Yield ("file:field", text) for every prose block in the content, injections first: every file of
    :meth:`Catalog.documents`, and the educator guide in the source language (a translation shares it)."""
    documents = list(catalog.documents())
    if catalog.governance.translated_from is None:
        documents.append((EDUCATOR_GUIDE_FILE, catalog.educator_guide))
    for file, document in documents:
        for leaf in walk(document):
            if _is_prose(leaf):
                yield f"{file}:{field_path(leaf.loc)}", leaf.value


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
