"""A translation is a folder of the same content files in another language: only the words may differ.

The rules are first checked on a made-up language ("xx", a copy of the English files), so that they are
tested whatever translations exist: each statement must cite what its source cites, every list must be
as long, every id, number and date the same; a missing file or an unknown language is named. Then every
real translation (languages.yaml) is held to them, to its own reading-ease gate, and to the safety words.
"""

from __future__ import annotations

import re
import shutil
import statistics
from pathlib import Path

import pytest
import textstat
import yaml

from backpain_edu.catalog import CONTENT_DIR, SHARED_FILES, load_catalog_from, load_languages
from backpain_edu.models import ContentError
from backpain_edu.patient_text import reading_scores
from backpain_edu.render.html import render_page
from backpain_edu.render.html_tools import render_comparison, render_knowledge_check, render_question_list
from backpain_edu.render.reading_pages import injection_page, start_page
from backpain_edu.translations import prose, translation_differences


def _add_language(content: Path, code: str = "xx") -> Path:
    """A translation folder that is an exact copy of the source files, registered in languages.yaml."""
    folder = content / code
    for path in content.rglob("*.yaml"):
        relative = path.relative_to(content)
        source_file = len(relative.parts) == 1 or relative.parts[0] == "injections"
        if source_file and relative.name not in SHARED_FILES:
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
    with pytest.raises(ContentError, match=r"no language 'zz' \(known: en, (.+, )?xx\)"):
        load_catalog_from(content_copy, language="zz")


# --- The translations there are -----------------------------------------------------------------------

LANGUAGES = load_languages()
TRANSLATIONS = LANGUAGES.languages[1:]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# Everyday English words that no sentence in another language needs: one left in means a sentence was
# left untranslated or half translated (names such as NICE, NHS or PRP are not on the list).
ENGLISH = re.compile(
    r"\b(the|and|your|you|with|this|that|is|are|of|to|for|what|when|it|or|be|can|may|will|have|has|after"
    r"|before|pain|shot|back|leg|nerve|joint|injection|should|not|do|does)\b",
    re.IGNORECASE,
)
# Words that would send a reader with a red flag to a walk-in clinic instead of the emergency department,
# or tell them they are a candidate: never in any language.
UNSAFE = re.compile(r"urgent care|atención de urgencia|clínica sin cita|atención inmediata|candidat[oa]s?\b", re.I)


def test_there_is_a_translation_and_the_source_comes_first() -> None:
    assert LANGUAGES.source.code == "en"
    assert [language.code for language in TRANSLATIONS] == ["es"]


@pytest.fixture(scope="module", params=TRANSLATIONS, ids=lambda language: language.code)
def translation(request: pytest.FixtureRequest):
    return request.param, load_catalog_from(CONTENT_DIR, language=request.param.code)


def test_each_translated_statement_cites_what_its_source_cites_and_nothing_but_words_differs(
    translation, catalog
) -> None:
    _, translated = translation
    assert translation_differences(catalog, translated) == []


def test_no_sentence_is_left_in_english_and_none_says_urgent_care_or_candidate(translation) -> None:
    _, translated = translation
    blocks = list(prose(translated))
    english = [(where, sorted(set(ENGLISH.findall(PLACEHOLDER.sub("", text))))) for where, text in blocks]
    assert [(where, words) for where, words in english if words] == []
    assert [where for where, text in blocks if UNSAFE.search(text)] == []
    # Every prose field was translated, bar names and words that are the same in both languages.
    untranslated = [text for (_, text), (_, source) in zip(blocks, prose_source(), strict=True) if text == source]
    assert len(untranslated) <= len(blocks) // 20, untranslated


def prose_source() -> list[tuple[str, str]]:
    return list(prose(load_catalog_from(CONTENT_DIR)))


def test_the_translation_is_marked_as_not_yet_reviewed_by_a_clinician(translation, catalog) -> None:
    language, translated = translation
    assert translated.governance.translated_from == LANGUAGES.source.code
    assert translated.governance.reviewer is None
    assert translated.governance.not_reviewed != catalog.governance.not_reviewed


def test_every_block_meets_its_languages_reading_ease_gate(translation) -> None:
    language, translated = translation
    gate = language.readability
    scores = reading_scores(translated, gate.formula)
    too_hard = [(round(score, 1), where) for score, where in scores if not gate.easy_enough(score, gate.every_block)]
    median = statistics.median(score for score, _ in scores)
    print(f"\n{language.code}: {gate.formula} over {len(scores)} blocks: median {median:.1f}, "
          f"hardest {min(scores)[0] if gate.easier == 'higher' else max(scores)[0]:.1f}")  # fmt: skip
    assert too_hard == []
    assert gate.easy_enough(median, gate.median)


def test_the_reading_ease_gate_would_fail_hard_spanish(translation) -> None:
    language, _ = translation
    textstat.set_lang(language.code)
    hard = (
        "La administración epidural de corticosteroides constituye una intervención terapéutica "
        "ampliamente utilizada, cuya efectividad clínica permanece considerablemente controvertida."
    )
    assert not language.readability.easy_enough(getattr(textstat, language.readability.formula)(hard), 55)


def test_every_rendered_fragment_says_its_own_language(translation) -> None:
    # A screen reader picks its voice from lang: Spanish text marked "en" is read out as English.
    _, translation = translation
    injection = translation.injections[0]
    fragments = {
        "start page": render_page(start_page(translation)),
        "injection page": render_page(injection_page(injection, translation)),
        "knowledge check": render_knowledge_check(injection, translation),
        "question list": render_question_list(injection, translation),
        "comparison": render_comparison(translation),
    }
    for name, html in fragments.items():
        assert set(re.findall(r'\blang="([^"]+)"', html)) == {translation.language}, name
