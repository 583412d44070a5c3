"""An educator in JupyterLab: an injection notebook, run there, has a knowledge check and a question list
that work as they do in the patient app (plain HTML and CSS; no widget, so no kernel round trip)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from backpain_edu.app.configuration import NOTEBOOKS_DIR
from backpain_edu.catalog import Catalog, load_catalog
from backpain_edu.knowledge_check import right_option
from backpain_edu.testing import AppServer
from tests.browser.support import start_lab

TOKEN = "educator-test-token"
INJECTION = "epidural-steroid"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """JupyterLab on a copy of the notebooks: JupyterLab saves what it runs, and the repository's
    notebooks are committed without outputs."""
    folder = tmp_path_factory.mktemp("notebooks")
    shutil.copytree(NOTEBOOKS_DIR, folder, dirs_exist_ok=True)
    with start_lab(folder, TOKEN, tmp_path_factory.mktemp("lab-state")) as running:
        yield running


def test_the_knowledge_check_and_question_list_work_in_jupyterlab(lab: AppServer, browser: Browser) -> None:
    catalog: Catalog = load_catalog()
    injection = catalog.injection(INJECTION)
    notebook = catalog.site_map.injection_page(INJECTION).notebook
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{lab.url}/lab/tree/{notebook}?token={TOKEN}", timeout=120_000)
        expect(page.locator(".jp-Notebook")).to_be_visible(timeout=120_000)
        # The kernel must be up before "Run All Cells", or JupyterLab runs nothing.
        expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle")).to_be_visible(timeout=120_000)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        words = catalog.labels.knowledge_check
        output = page.locator(".jp-OutputArea-output")
        expect(output.get_by_role("heading", name=words.title)).to_be_visible(timeout=120_000)

        question = injection.knowledge_check[0]
        group = output.get_by_role("group", name=words.question.format(number=1, question=question.question))
        expect(group.get_by_text(words.right, exact=True)).to_be_hidden()
        group.get_by_text(question.options[right_option(question)].text, exact=True).click()
        expect(group.get_by_text(words.right, exact=True)).to_be_visible()
        expect(group.get_by_text(words.not_quite, exact=True)).to_be_hidden()

        questions = catalog.labels.questions
        asked = injection.questions[1].text
        my_list = output.locator(".bpe-my-list")
        expect(output.get_by_text(questions.empty, exact=True)).to_be_visible()
        output.get_by_text(asked, exact=True).first.click()
        expect(output.get_by_text(questions.empty, exact=True)).to_be_hidden()
        expect(my_list.get_by_text(asked, exact=True)).to_be_visible()
        # Presenter notes show for the educator here (never in the patient app).
        expect(output.get_by_text(injection.presenter_notes[0].text[:40])).to_be_visible()
    finally:
        context.close()
