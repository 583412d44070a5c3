"""Knowledge-check answers -> feedback that explains the right answer, and a running score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backpain_edu.models import QuizQuestion, Statement


@dataclass(frozen=True)
class Feedback:
    correct: bool
    answer: str
    explanation: Statement


@dataclass(frozen=True)
class Score:
    right: int
    answered: int
    total: int


def right_option(question: QuizQuestion) -> int:
    return next(n for n, option in enumerate(question.options) if option.correct)


def check_answer(question: QuizQuestion, chosen: int) -> Feedback:
    """Whether the chosen option is right, what the right one is, and why (with sources)."""
    if not 0 <= chosen < len(question.options):
        raise ValueError(f"question '{question.id}' has no option {chosen}")
    right = right_option(question)
    return Feedback(chosen == right, question.options[right].text, question.explanation)


def score(questions: Sequence[QuizQuestion], chosen: Mapping[str, int | None]) -> Score:
    """Right answers out of those answered, and how many questions there are."""
    answered = [(q, chosen[q.id]) for q in questions if chosen.get(q.id) is not None]
    right = sum(check_answer(q, n).correct for q, n in answered if n is not None)
    return Score(right, len(answered), len(questions))
