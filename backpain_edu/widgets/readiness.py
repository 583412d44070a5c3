"""The readiness check (the SURE test) as four yes/no questions and what the answers mean, for the checklist (at its
start and its end) and the care plan. A thin layer: :func:`check_readiness` decides, ``render/tool_pages`` words it.
"""

from __future__ import annotations

from collections.abc import Callable

from backpain_edu.catalog import Catalog
from backpain_edu.readiness import Answer, ReadinessResult, check_readiness
from backpain_edu.render.html import render_page
from backpain_edu.render.tool_pages import READINESS, readiness_page
from backpain_edu.widgets._controls import heading, html, paragraph, radio, step


class ReadinessCheck:
    """Four yes/no questions and their meaning; ``on_change`` is told of every answer (the care plan redraws)."""

    def __init__(self, catalog: Catalog, name: str, lead: str | None = None,
                 on_change: Callable[[], None] | None = None) -> None:  # fmt: skip
        self.catalog, self.slug, self.on_change = catalog, f"{READINESS}-{name}", on_change
        readiness, words = catalog.readiness, catalog.labels.readiness
        self.choices = {q.id: radio(q.text, [(words.yes, True), (words.no, False)]) for q in readiness.questions}
        self.meaning = html()
        self.widget = step(
            heading(readiness.title),
            *(paragraph(text) for text in (lead, readiness.intro.text, readiness.wording.text) if text),
            *self.choices.values(),
            self.meaning,
        )
        self.widget.add_class("bpe-readiness")
        for choice in self.choices.values():
            choice.observe(self._update, names="value")
        self._show()

    def answers(self) -> dict[str, Answer]:
        return {question_id: choice.value for question_id, choice in self.choices.items()}

    def result(self) -> ReadinessResult:
        return check_readiness(self.answers(), self.catalog.readiness)

    def _show(self) -> None:
        page = readiness_page(self.result(), self.catalog, self.slug)
        self.meaning.value = "" if page is None else render_page(page, embedded=True)

    def _update(self, _change: object = None) -> None:
        self._show()
        if self.on_change is not None:
            self.on_change()
