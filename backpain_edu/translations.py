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

from backpain_edu.catalog import Catalog, field_path, walk
from backpain_edu.models import Text

_TEXT_CONSTRAINTS = get_args(Text)[1]


def _mentions_text(annotation: Any) -> bool:
    if annotation == Text:
        return True
    return any(_mentions_text(argument) for argument in get_args(annotation))


def is_prose(info: FieldInfo) -> bool:
    """Whether a model field holds words a patient reads (Text, or a list, mapping or option of it)."""
    return any(item is _TEXT_CONSTRAINTS for item in info.metadata) or _mentions_text(info.annotation)


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
    for (name, left), (_, right) in zip(source.documents(), translation.documents(), strict=True):
        if name == "governance.yaml":  # each edition's own: who reviewed it, and when
            continue
        for loc, problem in _differences(left, right, ()):
            found.append(f"{translation.language}/{name}: {field_path(loc)}: {problem}")
    return found


def prose(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Every prose field's text, with where it is: what a translator translates, and what is checked for
    stray words of another language."""

    for name, document in catalog.documents():
        for leaf in walk(document):
            if leaf.info is not None and is_prose(leaf.info) and isinstance(leaf.value, str):
                yield f"{name}:{field_path(leaf.loc)}", leaf.value
