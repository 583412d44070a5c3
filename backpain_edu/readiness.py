"""The readiness check (the SURE test): four yes/no answers -> which questions were answered "no", each with
its help. Pure.

Any "no" means the person is not yet sure about the choice (decisional conflict, Légaré 2010). The result never
says which choice is right and never scores anyone as ready for an injection: four "yes" answers only mean the
person feels sure for now, and the words for that still send them to their doctor (``readiness.yaml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backpain_edu.models import Readiness, ReadinessQuestion

Answer = bool | None
"""Yes, no, or not answered yet."""


@dataclass(frozen=True)
class ReadinessResult:
    """Each question with its answer, in the content's order."""

    answers: tuple[tuple[ReadinessQuestion, Answer], ...]

    @property
    def answered(self) -> bool:
        return any(answer is not None for _, answer in self.answers)

    @property
    def unsure(self) -> tuple[ReadinessQuestion, ...]:
        """The questions answered "no": each shows its help."""
        return tuple(question for question, answer in self.answers if answer is False)

    @property
    def all_yes(self) -> bool:
        return all(answer is True for _, answer in self.answers)


def check_readiness(answers: Mapping[str, Answer], readiness: Readiness) -> ReadinessResult:
    """The answers against the four questions; an id that is not a question is a widget bug and fails loudly."""
    known = {question.id for question in readiness.questions}
    if set(answers) - known:
        raise ValueError(f"unknown readiness question: {sorted(set(answers) - known)}")
    return ReadinessResult(tuple((question, answers.get(question.id)) for question in readiness.questions))
