"""The knowledge check, the question list and the comparison as finished HTML: no kernel, no script.

Each is native radios or tick boxes followed, as siblings, by everything they can show; the rules in
``controls.css`` show what matches the boxes a patient ticks. So the page works rendered once, as a
static file, in Voila and in JupyterLab alike. Nothing is sent or kept: ticks live in the open page.
Ids come from content slugs, unique on an injection page (``kc-``, ``ask-`` and ``pick-`` prefixes).
"""

from __future__ import annotations

from collections.abc import Callable

from backpain_edu.catalog import Catalog
from backpain_edu.knowledge_check import check_answer, right_option
from backpain_edu.models import Injection, QuizQuestion
from backpain_edu.render.html import (
    control_style,
    render_choice,
    render_counted,
    render_fieldset,
    render_heading,
    render_items,
    render_link,
    render_page,
    render_sections,
    render_text,
    render_tool_header,
)
from backpain_edu.render.tool_pages import CARE_PLAN, COMPARE, comparison_page, feedback_section

TOOL_INTROS: dict[str, Callable[[Catalog], str]] = {
    "checklist": lambda catalog: catalog.checklist.intro.text,
    CARE_PLAN: lambda catalog: catalog.care_options.intro.text,
    COMPARE: lambda catalog: catalog.labels.compare.intro,
    "diary": lambda catalog: catalog.diary.intro.text,
}
"""Each tool page's one line under its title: what the page is for, by the page's id in pages.yaml."""

SCORE_COUNTERS = {"right": "bpe-count-right", "answered": "bpe-count-answered"}
"""The score's placeholders that CSS counters fill in (``controls.css``)."""


def _feedback(injection: Injection, question: QuizQuestion, catalog: Catalog) -> str:
    """The two things an answer can show, right and not quite; CSS shows the one that was picked."""
    right = right_option(question)
    wrong = next(n for n in range(len(question.options)) if n != right)
    blocks = "".join(
        f'<div class="bpe-kc-fb bpe-kc-fb-{kind}">'
        + render_sections(
            (feedback_section(question.id, check_answer(question, option), catalog),),
            injection.id,
            catalog.labels.page,
            level=3,
            ids=f"kc-{injection.id}-{kind}",
        )
        + "</div>"
        for kind, option in (("right", right), ("wrong", wrong))
    )
    return f'<div class="bpe-kc-feedback" aria-live="polite">{blocks}</div>'


def _question(injection: Injection, number: int, question: QuizQuestion, catalog: Catalog) -> str:
    name = f"kc-{injection.id}-{question.id}"
    right = right_option(question)
    options = "".join(
        render_choice("radio", f"{name}-{n}", option.text, "bpe-kc-right" if n == right else "bpe-kc-wrong", name)
        for n, option in enumerate(question.options)
    )
    legend = catalog.labels.knowledge_check.question.format(number=number, question=question.question)
    return render_fieldset(legend, options + _feedback(injection, question, catalog))


def render_knowledge_check(injection: Injection, catalog: Catalog) -> str:
    """One injection's knowledge check: each answer shows right or not quite, why, and the sources."""
    words, quiz = catalog.labels.knowledge_check, injection.knowledge_check
    anchor = f"kc-{injection.id}"
    questions = "".join(_question(injection, n, q, catalog) for n, q in enumerate(quiz, 1))
    return (
        f'{control_style()}<div role="region" class="bpe-page bpe-controls bpe-check" lang="{catalog.language}"'
        f' aria-labelledby="{anchor}">'
        f"{render_heading(words.title, 2, anchor)}{render_text(words.intro)}{questions}"
        f"{render_counted(words.score, SCORE_COUNTERS, {'total': len(quiz)}, 'bpe-kc-score')}</div>"
    )


def render_question_list(injection: Injection, catalog: Catalog) -> str:
    """One injection's questions to tick; the ticked ones gather, in order, into "my list"."""
    words = catalog.labels.questions
    anchor = f"ask-{injection.id}"
    numbered = tuple(enumerate((q.text for q in injection.questions), 1))
    ticks = "".join(render_choice("checkbox", f"{anchor}-{n}", text, f"bpe-ask-{n}") for n, text in numbered)
    items = render_items([(f"bpe-ask-{n}", text) for n, text in numbered])
    mine = (
        f'<div class="bpe-my-list">{render_heading(words.my_list, 3, f"{anchor}-mine")}'
        f"{render_text(words.empty, css='bpe-ask-empty')}{items}</div>"
    )
    return (
        f'{control_style()}<div role="region" class="bpe-page bpe-controls bpe-ask" lang="{catalog.language}"'
        f' aria-labelledby="{anchor}">'
        f"{render_heading(words.title, 2, anchor)}{render_text(words.intro)}{ticks}{mine}"
        f"{render_link(words.go_to_plan, catalog.site_map.notebook(CARE_PLAN))}</div>"
    )


def render_tool_page_header(catalog: Catalog, page_id: str) -> str:
    """A tool page's notice, title and introduction. The app's page template shows it from the content, in
    the server's first response, so a reader knows what the page is for before any script or kernel has run;
    in JupyterLab and the slides the tool shows it itself (``backpain_edu.widgets``)."""
    return render_tool_header(catalog.site_map.page(page_id).title, catalog.notice, TOOL_INTROS[page_id](catalog))


def tool_page_headers(catalog: Catalog) -> dict[str, str]:
    """The header of every page with widgets, by its notebook (``07_checklist.ipynb``)."""
    return {
        page.notebook: render_tool_page_header(catalog, page.id)
        for page in catalog.site_map.pages
        if page.widgets and page.id in TOOL_INTROS
    }


def render_comparison(catalog: Catalog) -> str:
    """The compare page: a tick box per injection (all ticked) over the table; unticking hides a column."""
    words = catalog.labels.compare
    columns = (*((f"pick-{i.id}", i.title) for i in catalog.injections), ("pick-no-injection", words.no_injection))
    picks = "".join(
        render_choice("checkbox", pick, title, f"bpe-pick-{n}", checked=True)
        for n, (pick, title) in enumerate(columns, 1)
    )
    return (
        f'<div lang="{catalog.language}">{control_style()}'
        f"{render_tool_page_header(catalog, COMPARE)}"
        f'<div class="bpe-page bpe-controls bpe-compare">{render_heading(words.chooser)}{picks}'
        f"{render_text(words.none_picked, css='bpe-compare-none')}"
        f'<div class="bpe-compare-table">{render_page(comparison_page(catalog), embedded=True)}</div></div></div>'
    )
