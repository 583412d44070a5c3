"""A translation says the same thing as its source: only the words differ.

Every field typed as prose (:data:`backpain_edu.models.Text`) may hold other words; every other field
(ids, the sources a statement cites, numbers, dates, page files, flags) must be exactly the source's,
and lists must be as long, so each translated statement cites exactly what its source cites and each
tool works the same in every language. :func:`translation_differences` lists what is not so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from backpain_edu.catalog import Catalog, field_path
from backpain_edu.models import Text

_TEXT_CONSTRAINTS = get_args(Text)[1]


def _mentions_text(annotation: Any) -> bool:
    if annotation == Text:
        return True
    return any(_mentions_text(argument) for argument in get_args(annotation))


def is_prose(info: FieldInfo) -> bool:
    """Whether a model field holds words a patient reads (Text, or a list, mapping or option of it)."""
    return any(item is _TEXT_CONSTRAINTS for item in info.metadata) or _mentions_text(info.annotation)


def documents(catalog: Catalog) -> Iterator[tuple[str, Any]]:
    """Each content file's name and its parsed content, in one order for every language."""
    for injection in catalog.injections:
        yield f"injections/{injection.id}.yaml", injection
    yield "site.yaml", catalog.site
    yield "red_flags.yaml", catalog.red_flags
    yield "contraindications.yaml", catalog.contraindications
    yield "glossary.yaml", tuple(catalog.glossary.values())
    yield "checklist.yaml", catalog.checklist
    yield "care_options.yaml", catalog.care_options
    yield "diary.yaml", catalog.diary
    yield "emergency.yaml", catalog.emergency_help
    yield "warning_signs.yaml", catalog.warning_signs
    yield "governance.yaml", catalog.governance
    yield "pages.yaml", catalog.site_map
    yield "labels.yaml", catalog.labels


def _shape(source: Any, translation: Any, loc: tuple[int | str, ...]) -> Iterator[tuple[tuple, str]]:
    """Prose: any words, but the same shape (present or not, as many items, the same keys)."""
    if (source is None) != (translation is None):
        yield loc, "present in one language only"
    elif isinstance(source, tuple | list):
        if len(source) != len(translation):
            yield loc, f"{len(translation)} items, the source has {len(source)}"
    elif isinstance(source, dict) and source.keys() != translation.keys():
        yield loc, f"keys {sorted(translation)}, the source has {sorted(source)}"


def _differences(source: Any, translation: Any, loc: tuple[int | str, ...]) -> Iterator[tuple[tuple, str]]:
    if isinstance(source, BaseModel):
        if type(source) is not type(translation):
            yield loc, f"a {type(translation).__name__}, the source has a {type(source).__name__}"
            return
        for name, info in type(source).model_fields.items():
            walk = _shape if is_prose(info) else _differences
            yield from walk(getattr(source, name), getattr(translation, name), (*loc, name))
    elif isinstance(source, tuple | list):
        if not isinstance(translation, tuple | list) or len(source) != len(translation):
            yield loc, f"{len(translation)} items, the source has {len(source)}"
            return
        for index, (left, right) in enumerate(zip(source, translation, strict=True)):
            yield from _differences(left, right, (*loc, index))
    elif isinstance(source, dict):
        if not isinstance(translation, dict) or source.keys() != translation.keys():
            yield loc, f"keys {sorted(translation)}, the source has {sorted(source)}"
            return
        for key in source:
            yield from _differences(source[key], translation[key], (*loc, key))
    elif source != translation:
        yield loc, f"{translation!r}, the source has {source!r} (only words may differ)"


def translation_differences(source: Catalog, translation: Catalog) -> list[str]:
    """Every place where ``translation`` says something other than ``source`` besides its words, as
    "file: field: problem" (the file under the translation's folder)."""
    found = []
    for (name, left), (_, right) in zip(documents(source), documents(translation), strict=True):
        if name == "governance.yaml":  # each edition's own: who reviewed it, and when
            continue
        for loc, problem in _differences(left, right, ()):
            found.append(f"{translation.language}/{name}: {field_path(loc)}: {problem}")
    return found


def prose(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Every prose field's text, with where it is: what a translator translates, and what is checked for
    stray words of another language."""

    def walk(value: Any, loc: tuple[int | str, ...], is_text: bool) -> Iterator[tuple[tuple, str]]:
        if isinstance(value, BaseModel):
            for name, info in type(value).model_fields.items():
                yield from walk(getattr(value, name), (*loc, name), is_prose(info))
        elif isinstance(value, tuple | list):
            for index, item in enumerate(value):
                yield from walk(item, (*loc, index), is_text)
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*loc, key), is_text)
        elif is_text and isinstance(value, str):
            yield loc, value

    for name, document in documents(catalog):
        for loc, text in walk(document, (), False):
            yield f"{name}:{field_path(loc)}", text
