"""Knowledge-check answers -> feedback that explains the right answer (the score is counted by CSS)."""

from __future__ import annotations

from dataclasses import dataclass

from backpain_edu.models import QuizQuestion, Statement


@dataclass(frozen=True)
class Feedback:
    correct: bool
    answer: str
    explanation: Statement


def right_option(question: QuizQuestion) -> int:
    return next(n for n, option in enumerate(question.options) if option.correct)


def check_answer(question: QuizQuestion, chosen: int) -> Feedback:
    """Whether the chosen option is right, what the right one is, and why (with sources)."""
    if not 0 <= chosen < len(question.options):
        raise ValueError(f"question '{question.id}' has no option {chosen}")
    right = right_option(question)
    return Feedback(chosen == right, question.options[right].text, question.explanation)
