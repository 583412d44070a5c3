"""A translation is a folder of the same content files in another language: only the words may differ.

Checked here on a made-up language ("xx", a copy of the English files) so that the rules are tested
whatever translations exist: each statement must cite what its source cites, every list must be as long,
every id, number and date the same; a missing file or an unknown language is named.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from backpain_edu.catalog import SHARED_FILES, load_catalog_from
from backpain_edu.models import ContentError
from backpain_edu.translations import translation_differences


def _add_language(content: Path, code: str = "xx") -> Path:
    """A translation folder that is an exact copy of the source files, registered in languages.yaml."""
    folder = content / code
    for path in content.rglob("*.yaml"):
        relative = path.relative_to(content)
        if relative.parts[0] != code and relative.name not in SHARED_FILES and len(relative.parts) <= 2:
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, folder / relative)
    governance = yaml.safe_load((folder / "governance.yaml").read_text(encoding="utf-8"))
    (folder / "governance.yaml").write_text(yaml.safe_dump({**governance, "translated_from": "en"}), encoding="utf-8")
    languages = yaml.safe_load((content / "languages.yaml").read_text(encoding="utf-8"))
    languages["languages"].append({**languages["languages"][0], "code": code, "name": "Xx"})
    (content / "languages.yaml").write_text(yaml.safe_dump(languages), encoding="utf-8")
    return folder


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _differences(content: Path) -> list[str]:
    return translation_differences(load_catalog_from(content), load_catalog_from(content, language="xx"))


def test_a_copy_of_the_source_is_a_faithful_translation_and_new_words_are_allowed(content_copy: Path) -> None:
    folder = _add_language(content_copy)
    assert _differences(content_copy) == []
    _edit(folder / "injections" / "epidural-steroid.yaml", lambda d: d["summary"].update(text="Otras palabras."))
    assert _differences(content_copy) == []
    translated = load_catalog_from(content_copy, language="xx")
    assert translated.injection("epidural-steroid").summary.text == "Otras palabras." and translated.language == "xx"


def test_a_statement_citing_other_sources_than_its_source_is_named(content_copy: Path) -> None:
    folder = _add_language(content_copy)
    _edit(folder / "injections" / "epidural-steroid.yaml", lambda d: d["summary"].update(refs=["NICE-NG59"]))
    [difference] = _differences(content_copy)
    assert difference.startswith("xx/injections/epidural-steroid.yaml: summary.refs")


def test_a_missing_item_a_changed_id_or_number_is_named(content_copy: Path) -> None:
    folder = _add_language(content_copy)
    _edit(folder / "warning_signs.yaml", lambda d: d["at_once"]["signs"].pop())
    _edit(folder / "red_flags.yaml", lambda d: d["emergency"]["signs"][0].update(id="another-sign"))
    found = _differences(content_copy)
    assert any(f.startswith("xx/warning_signs.yaml: at_once.signs:") and "items" in f for f in found), found
    assert any(f.startswith("xx/red_flags.yaml: emergency.signs[0].id:") for f in found), found


def test_a_missing_file_a_translation_not_marked_as_one_and_an_unknown_language_are_named(content_copy: Path) -> None:
    folder = _add_language(content_copy)
    (folder / "labels.yaml").unlink()
    with pytest.raises(ContentError, match=r"xx/labels.yaml: field '\(file\)': the file is missing"):
        load_catalog_from(content_copy, language="xx")
    shutil.copy(content_copy / "labels.yaml", folder / "labels.yaml")
    _edit(folder / "governance.yaml", lambda d: d.pop("translated_from"))
    with pytest.raises(ContentError, match=r"xx/governance.yaml: field 'translated_from'"):
        load_catalog_from(content_copy, language="xx")
    with pytest.raises(ContentError, match=r"no language 'zz' \(known: en, xx\)"):
        load_catalog_from(content_copy, language="zz")
