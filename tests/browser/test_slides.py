"""Educators' decks in RISE (JupyterLab) at 1280x720: one slide per part of each deck, none overflows,
the notes stay in the speaker view, and the patient app shows the page whole with no slide or note.

Every deck of the source language is walked, and of each translation the deck with the longest slide (the
one most likely to overflow; translations run longer than the source). A translated deck is made from the
same plans by the same code: tests/test_slides.py checks every deck of every language without a browser
(each statement on one slide, notes, language, ids, and each notebook holding exactly its deck's cells).

The deck notebooks are run once (nbclient) and signed, as JupyterLab does with a notebook an educator
has run and saved; RISE then shows their saved outputs, as it does in class.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.sign import NotebookNotary
from playwright.sync_api import Browser, Page, expect

from backpain_edu.app.configuration import NOTEBOOKS_DIR
from backpain_edu.app.decks import deck_ids
from backpain_edu.catalog import CONTENT_DIR, load_catalog_from, load_languages
from backpain_edu.render.html import render_page, render_slide
from backpain_edu.render.slides import deck
from backpain_edu.testing import AppServer
from tests.browser.support import start_lab

TOKEN = "decks-test-token"
SCREEN = {"width": 1280, "height": 720}


def _deck_notebooks() -> list[tuple[str, str, str]]:
    """(language, deck id, notebook path under notebooks/) for every deck in every language."""
    found = []
    for language in load_languages().languages:
        catalog = load_catalog_from(CONTENT_DIR, language=language.code)
        prefix = "" if language.code == load_languages().source.code else f"{language.code}/"
        found += [
            (language.code, deck_id, prefix + catalog.site_map.notebook(deck_id)) for deck_id in deck_ids(catalog)
        ]
    return found


def _longest_slide(language: str, deck_id: str) -> int:
    shown = deck(deck_id, load_catalog_from(CONTENT_DIR, language=language))
    return max(len(render_slide(shown.part(part))) for part in shown.parts())


DECK_NOTEBOOKS = _deck_notebooks()
WALKED = [entry for entry in DECK_NOTEBOOKS if entry[0] == load_languages().source.code] + [
    max((entry for entry in DECK_NOTEBOOKS if entry[0] == language.code), key=lambda e: _longest_slide(*e[:2]))
    for language in load_languages().languages[1:]
]
"""Every deck of the source language; of each translation, its deck with the longest slide."""

WALK = """async () => {
  // Every slide in order, as reveal.js shows it: down through a slide's parts, then right. The decks
  // ask RISE for no transition; a slide is measured once it stays in the same place two frames running.
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const present = () => [...document.querySelectorAll('.reveal .slides section[id^="slide-"].present')]
    .filter(s => !s.querySelector('section[id^="slide-"]'))[0];
  const visited = [];
  const settled = async () => {  // the same place two frames running: RISE may still be laying out
    let last = null;
    for (let wait = 0; wait < 300; wait++) {
      await frame();
      const box = present().getBoundingClientRect();
      if (last && ['top', 'bottom', 'left', 'right'].every(side => box[side] === last[side])) return box;
      last = box;
    }
    throw new Error('the slide ' + present().id + ' never came to rest');
  };
  for (let step = 0; step < 200; step++) {
    const box = await settled();
    const slide = present();
    visited.push({
      id: slide.id, top: box.top, bottom: box.bottom, left: box.left, right: box.right, text: slide.innerText,
      parts: slide.querySelectorAll('.bpe-slide').length,
      code: [...slide.querySelectorAll('.jp-Cell-inputWrapper')].some(e => e.offsetHeight > 0),
      notes_hidden: [...slide.querySelectorAll('aside.notes')].every(n => n.offsetHeight === 0),
    });
    const next = document.querySelector('.reveal .controls .navigate-down.enabled')
      || document.querySelector('.reveal .controls .navigate-right.enabled');
    if (!next) return visited;
    next.click();
    for (let wait = 0; wait < 300 && present() === slide; wait++) await frame();
    if (present() === slide) throw new Error('the deck did not move on from ' + slide.id);
  }
  throw new Error('more than 200 slides');
}"""


def _run(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    return client.execute()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("notebooks")
    data = tmp_path_factory.mktemp("jupyter-data")
    shutil.copytree(NOTEBOOKS_DIR, folder, dirs_exist_ok=True)
    notary = NotebookNotary(data_dir=str(data))
    paths = [folder / notebook for _, _, notebook in WALKED]
    with ThreadPoolExecutor(2) as pool:
        executed = list(pool.map(_run, paths))
    for path, notebook in zip(paths, executed, strict=True):  # the signature store is for one thread
        notary.sign(notebook)
        nbformat.write(notebook, path)
    state = tmp_path_factory.mktemp("lab-state")
    with start_lab(folder, TOKEN, state, env={"JUPYTER_DATA_DIR": str(data)}) as running:
        yield running


def _open_deck(browser: Browser, lab: AppServer, notebook: str, parts: int) -> Page:
    page = browser.new_context(viewport=SCREEN).new_page()
    page.goto(f"{lab.url}/rise/{notebook}?token={TOKEN}", timeout=120_000)
    expect(page.locator(".reveal.ready")).to_have_count(1, timeout=120_000)
    expect(page.locator(".reveal .bpe-slide")).to_have_count(parts, timeout=60_000)
    return page


@pytest.mark.parametrize(("language", "deck_id", "notebook"), WALKED, ids=[n for _, _, n in WALKED])
def test_each_part_is_a_slide_within_1280x720_with_no_code_and_no_notes_showing(
    lab: AppServer, browser: Browser, language: str, deck_id: str, notebook: str
) -> None:
    shown = deck(deck_id, load_catalog_from(CONTENT_DIR, language=language))
    own_words = render_page(shown.page)  # a note may repeat the page; look for the ones that do not
    notes = [note.text for note in shown.notes if escape(note.text) not in own_words]
    page = _open_deck(browser, lab, notebook, len(shown.parts()))
    try:
        # The deck's own look applies (the notebook is trusted, as one an educator ran is).
        assert page.locator(".bpe-slide").first.evaluate("e => getComputedStyle(e).maxWidth") == "1152px"
        slides = page.evaluate(WALK)
        assert [slide["parts"] for slide in slides] == [1] * len(shown.parts()), "one part per slide, all shown"
        off_screen = [
            (slide["id"], round(slide["top"]), round(slide["bottom"]))
            for slide in slides
            if slide["top"] < 0
            or slide["bottom"] > SCREEN["height"]
            or slide["left"] < 0
            or slide["right"] > SCREEN["width"]
        ]
        assert off_screen == []
        assert not [slide["id"] for slide in slides if slide["code"]], "a slide shows the code that draws it"
        assert all(slide["notes_hidden"] for slide in slides)
        assert not [(slide["id"], note) for slide in slides for note in notes if note in slide["text"]]
    finally:
        page.context.close()


def test_the_patient_app_shows_the_page_whole_with_no_slide_and_no_note(
    app_server: AppServer, browser: Browser
) -> None:
    for language, deck_id, notebook in (entry for entry in DECK_NOTEBOOKS if entry[1] in ("start", "epidural-steroid")):
        catalog = load_catalog_from(CONTENT_DIR, language=language)
        shown = deck(deck_id, catalog)
        # A note may repeat what the page says; these are the ones it does not.
        own_words = render_page(shown.page)
        notes_only = [note.text for note in shown.notes if escape(note.text) not in own_words]
        assert notes_only
        page = browser.new_context().new_page()
        try:
            page.goto(app_server.page_url(notebook))
            expect(page.get_by_role("heading", level=1, name=shown.page.title)).to_be_visible()
            assert page.locator(".bpe-slide").count() == 0
            text = page.locator("body").inner_text()
            assert catalog.labels.educator.stress not in text
            assert not [note for note in notes_only if note in text], notebook
        finally:
            page.context.close()
