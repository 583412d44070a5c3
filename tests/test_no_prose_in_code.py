"""No sentence a patient reads is written in Python: render/ and widgets/ hold only code and markup.

Every heading, label, button and message lives in ``content/`` (``labels.yaml`` and the content
files), where the reading-grade gate sees it and a second language is a matter of content files.
"""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO

PACKAGE = REPO / "backpain_edu"
SCANNED = [*sorted((PACKAGE / "render").glob("*.py")), *sorted((PACKAGE / "widgets").glob("*.py"))]
MARKUP = re.compile(r"<[^>]*>?|&\w+;|\b[\w-]+=\"[^\"]*\"?|\{[^}]*\}|%[a-zA-Z]")
"""Tags (whole or cut by an f-string), entities, attributes, {placeholders} and strftime codes."""
WORD = re.compile(r"\b[A-Za-z][a-z']+\b")


def _not_for_patients(tree: ast.AST) -> set[int]:
    """Docstrings and the messages of raised errors (programming errors, for developers)."""
    found = {id(n) for node in ast.walk(tree) if isinstance(node, ast.Raise) for n in ast.walk(node)}
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            found.add(id(first.value))
        # A string right after an assignment documents it (attribute docstrings), as in the models.
        if isinstance(body, list):
            for before, after in zip(body, body[1:], strict=False):
                if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
                    found.add(id(after.value))
    return found


def prose_literals(source: str) -> list[str]:
    """String literals (f-string parts included) that read as words for a person, not code or markup."""
    tree = ast.parse(source)
    skip = _not_for_patients(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            words = WORD.findall(MARKUP.sub(" ", node.value))
            if len(words) >= 3 and not any(char in node.value for char in "_#;") and "-" not in node.value.split()[0]:
                found.append(node.value)
    return found


def test_the_scan_finds_a_sentence_and_passes_markup_and_code() -> None:
    assert prose_literals('x = "Pick the date of this score first."') == ["Pick the date of this score first."]
    assert prose_literals('f"Step {n}. Red flags come first"') == [". Red flags come first"]
    assert prose_literals('raise KeyError(f"no page with id {x} in the map")') == []
    assert prose_literals('x = \'<section class="bpe-section bpe-urgent" aria-labelledby="a">\'') == []
    assert prose_literals('def f():\n    """A docstring is for developers, not patients."""') == []


def test_no_patient_sentence_is_written_in_render_or_widgets() -> None:
    found = {path.name: prose_literals(path.read_text(encoding="utf-8")) for path in SCANNED}
    assert {name: texts for name, texts in found.items() if texts} == {}
