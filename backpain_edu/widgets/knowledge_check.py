"""A short knowledge check under an injection guide: pick an answer, see why, keep a score."""

from __future__ import annotations

import ipywidgets as w

from backpain_edu.catalog import Catalog
from backpain_edu.knowledge_check import check_answer, score
from backpain_edu.models import Injection, QuizQuestion
from backpain_edu.render.html import render_sections, render_text
from backpain_edu.render.tool_pages import feedback_section
from backpain_edu.widgets._controls import heading, paragraph, radio, step, tool


class KnowledgeCheck:
    def __init__(self, injection: Injection, catalog: Catalog) -> None:
        self.injection, self.catalog = injection, catalog
        quiz, words = injection.knowledge_check, catalog.labels.knowledge_check
        self.answers = {
            q.id: radio(
                words.question.format(number=n, question=q.question), [(o.text, i) for i, o in enumerate(q.options)]
            )
            for n, q in enumerate(quiz, 1)
        }
        self.feedback = {q.id: w.HTML() for q in quiz}
        self.score = w.HTML()
        rows = [part for q in quiz for part in (self.answers[q.id], self.feedback[q.id])]
        self.widget = tool(step(heading(words.title), paragraph(words.intro), *rows, self.score))
        for question in quiz:
            self.answers[question.id].observe(lambda _change, q=question: self._answer(q), names="value")
        self._show_score()

    def _answer(self, question: QuizQuestion) -> None:
        chosen = self.answers[question.id].value
        if chosen is None:
            self.feedback[question.id].value = ""
        else:
            section = feedback_section(question.id, check_answer(question, chosen), self.catalog)
            words = self.catalog.labels.page
            self.feedback[question.id].value = render_sections((section,), self.injection.id, words, level=3)
        self._show_score()

    def _show_score(self) -> None:
        result = score(self.injection.knowledge_check, {i: radio.value for i, radio in self.answers.items()})
        words = self.catalog.labels.knowledge_check
        self.score.value = render_text(
            words.score.format(right=result.right, answered=result.answered, total=result.total)
        )
