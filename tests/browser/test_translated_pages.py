"""A translation's pages in the browser: every word a patient reads is in that language, the checklist's
red-flag path gives the number and nothing reassuring, and downloads have names in that language.

(Every page in every language also loads clean in test_pages.py; axe and the 375 px check run on each kind of
translated page: conftest.py, LAYOUT_PAGES.)
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from backpain_edu.app.pages import AppPage
from tests.browser.conftest import TRANSLATED_PAGES, page_ids, page_language, served_in
from tests.browser.support import AppServer, visit
from tests.test_translations import ENGLISH, PLACEHOLDER

# What is not in the page's language on purpose: the cited sources' titles (as published), the link to
# the same page in another language (named in that language), and the widgets' number inputs.
OTHER_LANGUAGE = ".bpe-sources, a.bpe-language"
VISIBLE_TEXT = """selector => { const skip = new Set(document.querySelectorAll(selector));
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let element = node.parentElement, skipped = false;
    for (; element; element = element.parentElement) { if (skip.has(element)) { skipped = true; break; } }
    if (!skipped && node.parentElement.offsetParent !== null) texts.push(node.textContent);
  }
  return texts.join(' '); }"""


def _translated(file: str) -> AppPage:
    return next(page for page in TRANSLATED_PAGES if page.file.endswith(f"/{file}"))


@pytest.mark.parametrize("app_page", TRANSLATED_PAGES, ids=page_ids)
def test_every_word_a_patient_reads_on_a_translated_page_is_in_its_language(
    app_page: AppPage, app_server: AppServer, context: BrowserContext
) -> None:
    page = visit(context, app_server.page_url(app_page.file)).page
    text = PLACEHOLDER.sub("", page.evaluate(VISIBLE_TEXT, OTHER_LANGUAGE) + " " + page.locator("header").inner_text())
    assert sorted(set(ENGLISH.findall(text))) == []


def test_in_a_translation_each_emergency_sign_alone_gives_the_number_and_nothing_reassuring(
    app_server: AppServer, context: BrowserContext
) -> None:
    checklist = _translated("07_checklist.ipynb")
    served = served_in(page_language(checklist))
    page = visit(context, app_server.page_url(checklist.file)).page
    for item in (*served.checklist.locations, served.contraindications.items[0]):
        page.get_by_label(item.question.strip()).check()
    result = page.locator(".bpe-tool .bpe-step:not(.bpe-readiness)").last  # the result, above the last readiness check
    words = served.labels.checklist
    expect(result).to_contain_text(words.topics)
    reassuring = [served.checklist.nothing_ticked.text, words.topics, served.checklist.always_title,
                  words.build_plan.split("{")[0], *(s.text for s in served.checklist.always)]  # fmt: skip
    for sign in served.red_flags.emergency.signs:
        box = page.get_by_label(sign.question.strip())
        box.check()
        expect(result).to_contain_text(served.region.call_now.text)
        text = result.inner_text()
        assert "911" in text and sign.text in " ".join(text.split()), sign.id
        assert [phrase for phrase in reassuring if phrase in text] == [], sign.id
        box.uncheck()
        expect(result).to_contain_text(words.topics)


def test_a_translated_care_plan_downloads_under_a_name_in_its_language(
    app_server: AppServer, context: BrowserContext
) -> None:
    care_plan = _translated("08_care_plan.ipynb")
    words = served_in(page_language(care_plan)).labels.care_plan
    page = visit(context, app_server.page_url(care_plan.file)).page
    page.get_by_role("button", name=words.make_pdf).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=words.download).click()
    assert download.value.suggested_filename == f"{words.file_name}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
