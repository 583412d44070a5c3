"""A malformed content file fails with a message naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backpain_edu.catalog import load_catalog_from
from backpain_edu.models import ContentError

FACET = "injections/facet-joint.yaml"


def _edit(content: Path, name: str, change) -> None:
    path = content / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _error(content: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content)
    return caught.value


def test_the_untouched_copy_loads(content_copy: Path) -> None:
    assert len(load_catalog_from(content_copy).injections) == 6


def test_missing_section_names_file_and_field(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d.pop("rare_serious_risks"))
    error = _error(content_copy)
    assert (error.file, error.field) == (FACET, "rare_serious_risks")
    assert "missing" in str(error) and FACET in str(error)


def test_unknown_reference_key_names_file_field_and_key(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d["benefits"][0].update(refs=["NOT-A-SOURCE"]))
    error = _error(content_copy)
    assert (error.file, error.field) == (FACET, "benefits[0].refs[0]")
    assert "NOT-A-SOURCE" in error.problem


def test_wrong_type_names_the_field_and_what_was_expected(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d["how_sure"].update(points="just a string"))
    error = _error(content_copy)
    assert (error.file, error.field) == (FACET, "how_sure.points")
    assert "tuple" in error.problem or "list" in error.problem


def test_empty_text_is_refused(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d["what_it_is"][0].update(text="   "))
    error = _error(content_copy)
    assert (error.file, error.field) == (FACET, "what_it_is[0].text")
    assert error.problem == "expected non-empty text"


def test_empty_section_is_refused(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d.update(questions=[]))
    error = _error(content_copy)
    assert (error.file, error.field) == (FACET, "questions")


def test_statement_without_a_source_is_refused(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d["used_for"][0].update(refs=[]))
    assert _error(content_copy).field == "used_for[0].refs"


def test_unknown_field_is_refused_not_dropped(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d.update(benefitz=d["benefits"]))
    assert _error(content_copy).field == "benefitz"


def test_id_must_match_the_file_name(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d.update(id="facet"))
    assert (_error(content_copy).file, _error(content_copy).field) == (FACET, "id")


def test_unknown_glossary_term_is_refused(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d["glossary"].append("not-a-term"))
    error = _error(content_copy)
    assert error.field.startswith("glossary[") and "not-a-term" in error.problem


def test_error_in_a_list_file_names_the_entry(content_copy: Path) -> None:
    _edit(content_copy, "glossary.yaml", lambda d: d[2].pop("definition"))
    error = _error(content_copy)
    assert (error.file, error.field) == ("glossary.yaml", "[2].definition")


def test_unknown_key_in_a_shared_file_is_refused(content_copy: Path) -> None:
    _edit(content_copy, "red_flags.yaml", lambda d: d["emergency"]["signs"][0].update(refs=["NOPE"]))
    error = _error(content_copy)
    assert (error.file, error.field) == ("red_flags.yaml", "emergency.signs[0].refs[0]")


def test_a_reason_not_quoted_from_its_statement_is_refused_naming_why(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: d["who_should_not"][5].update(why="because we say so"))
    error = _error(content_copy)
    assert (error.file, error.field) == (FACET, "who_should_not[5].why")
    assert "because we say so" in error.problem and "text" in error.problem


def test_a_reason_quoted_from_its_statement_loads_whatever_its_line_breaks(content_copy: Path) -> None:
    # The text is a folded block: the quote may break its lines elsewhere; only the words must match.
    why = "Some clinics cannot use X-ray\n  to guide the needle"
    _edit(content_copy, FACET, lambda d: d["who_should_not"][5].update(why=why))
    statement = load_catalog_from(content_copy).injection("facet-joint").who_should_not[5]
    assert statement.why == why.strip()


def test_broken_yaml_names_the_file_and_line(content_copy: Path) -> None:
    (content_copy / FACET).write_text("id: facet-joint\ntitle: [unclosed\n", encoding="utf-8")
    error = _error(content_copy)
    assert error.file == FACET and error.field.startswith("line ")


def test_a_quiz_question_needs_exactly_one_right_answer(content_copy: Path) -> None:
    _edit(content_copy, FACET, lambda d: [o.update(correct=True) for o in d["knowledge_check"][0]["options"]])
    error = _error(content_copy)
    assert (error.file, error.field) == (FACET, "knowledge_check[0].options")
    assert "exactly one" in error.problem


def test_every_error_the_package_raises_on_purpose_shares_one_base() -> None:
    from backpain_edu.app.pages import NoPagesError
    from backpain_edu.diary import DiaryFileError
    from backpain_edu.errors import BackpainEduError
    from backpain_edu.models import ContentError

    for error in (ContentError("a.yaml", "title", "expected text"), DiaryFileError("Line 2: bad"), NoPagesError("x")):
        assert isinstance(error, BackpainEduError) and isinstance(error, ValueError)
    assert str(ContentError("a.yaml", "title", "expected text")) == "a.yaml: field 'title': expected text"
