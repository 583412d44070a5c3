"""The ``backpain-edu validate`` command reports good content and names bad content."""

from __future__ import annotations

from pathlib import Path

from backpain_edu.cli import main


def test_validate_prints_counts_and_reading_grades(capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "6 injections" in out
    assert "Reading grade" in out and "median" in out


def test_validate_exits_non_zero_naming_file_and_field(content_copy: Path, capsys) -> None:
    path = content_copy / "injections" / "trigger-point.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("how_often:", "how_oftn:"), encoding="utf-8")
    assert main(["validate", "--content", str(content_copy)]) == 1
    err = capsys.readouterr().err
    assert "injections/trigger-point.yaml" in err and "how_often" in err
