"""The ``backpain-edu`` command: ``--help`` names every command; ``validate`` reports good content and names bad."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from backpain_edu.catalog import content_fingerprint, load_catalog
from backpain_edu.cli import main, review_overdue
from backpain_edu.deployment import Deployment, contact_href
from tests.conftest import log_content_change


def test_help_lists_every_command_in_plain_words(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "serve", "present"):
        assert re.search(rf"^\s+{command}\s+\w", out, re.MULTILINE), f"{command} has no one-line help"
    assert "`" not in out


def test_validate_prints_counts_and_reading_grades(capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "6 injections" in out
    assert (
        "Reading ease (en, flesch_kincaid_grade)" in out
        and "Reading ease (es, szigriszt_pazos)" in out
        and "median" in out
    )


def test_validate_exits_non_zero_naming_file_and_field(content_copy: Path, capsys) -> None:
    path = content_copy / "injections" / "trigger-point.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("how_often:", "how_oftn:"), encoding="utf-8")
    assert main(["validate", "--content", str(content_copy)]) == 1
    err = capsys.readouterr().err
    assert "injections/trigger-point.yaml" in err and "how_often" in err


def test_validate_warns_once_the_review_date_has_passed(content_copy: Path, capsys) -> None:
    path = content_copy / "governance.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("last_reviewed: 2026-12-01", "last_reviewed: 2020-01-01")
    text = re.sub(r"next_review: \S+", "next_review: 2020-06-01", text)
    path.write_text(text, encoding="utf-8")
    log_content_change(content_copy)
    assert main(["validate", "--content", str(content_copy)]) == 0
    assert "due for review by 01 June 2020" in capsys.readouterr().err


def test_validate_fails_on_content_changed_without_a_change_log_entry_and_names_the_new_fingerprint(
    content_copy: Path, capsys
) -> None:
    path = content_copy / "injections" / "facet-joint.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("small joints", "little joints", 1), encoding="utf-8")
    assert main(["validate", "--content", str(content_copy)]) == 1
    error = capsys.readouterr().err
    fingerprint = content_fingerprint(content_copy)
    assert "changelog.yaml: entries[0].fingerprint" in error and fingerprint in error
    log_content_change(content_copy)  # the author logs the change: validate passes again
    assert main(["validate", "--content", str(content_copy)]) == 0


def test_the_shipped_content_is_the_version_its_change_log_last_recorded() -> None:
    newest = load_catalog().changelog.entries[0]
    assert newest.fingerprint == content_fingerprint(), (
        "content changed: add a changelog.yaml entry (validate says how)"
    )


def test_validate_is_quiet_about_review_before_the_date(capsys) -> None:
    governance = load_catalog().governance
    assert review_overdue(governance, governance.next_review) is None
    assert review_overdue(governance, governance.next_review + timedelta(days=1))


@pytest.mark.parametrize(
    ("environ", "region", "contact"),
    [
        ({}, "default", None),
        ({"BACKPAIN_EDU_REGION": " UK ", "BACKPAIN_EDU_CONTACT": "  a@b.example "}, "uk", "a@b.example"),
        ({"BACKPAIN_EDU_CONTACT": "x" * 500}, "default", "x" * 200),
    ],
)
def test_the_deployment_comes_from_the_environment(environ, region, contact) -> None:
    assert Deployment.from_environ(environ) == Deployment(region, contact)


@pytest.mark.parametrize(
    ("contact", "href"),
    [
        ("a@b.example", "mailto:a@b.example"),
        ("https://clinic.example/report", "https://clinic.example/report"),
        ("javascript:alert(1)", None),
        ("0800 123 456", None),
        (None, None),
    ],
)
def test_only_an_email_or_a_web_address_becomes_a_contact_link(contact, href) -> None:
    assert contact_href(contact) == href


def test_present_without_the_educators_extra_says_what_to_install(monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "jupyterlab.labapp", None)  # as if jupyterlab were not installed
    assert main(["present", "--no-browser"]) == 1
    assert "pip install 'backpain-edu[present]'" in capsys.readouterr().err
