"""Clear communication (PEMAT-P, CDC Clear Communication Index) where a test can check it: short lists, pain changes
on a 0 to 10 scale, and the main things to know at the top of every injection page (tests/test_decision.py)."""

from __future__ import annotations

import re
from html import escape, unescape

import pytest

from backpain_edu.catalog import CONTENT_DIR, load_catalog_from, load_languages
from backpain_edu.patient_text import iter_patient_text
from backpain_edu.render.html import render_page
from backpain_edu.render.page import Section
from backpain_edu.render.reading_pages import RED_FLAGS, injection_page, start_page

CATALOGS = {code: load_catalog_from(CONTENT_DIR, language=code) for code in load_languages().codes}
MAX_ITEMS = 7
KEPT_WHOLE = {RED_FLAGS}
"""Lists kept whole however long: the emergency signs stay together with the number to call beside them."""
HUNDRED_POINT = {"en": r"100-point|100 points", "es": r"escala de 100\b"}  # "de cada 100 puntos" in Spanish is "spots"


def _lists(sections: tuple[Section, ...], parents: tuple[str, ...] = ()):
    for section in sections:
        yield (*parents, section.anchor), section
        yield from _lists(section.subsections, (*parents, section.anchor))


@pytest.mark.parametrize("language", CATALOGS)
def test_no_list_a_patient_reads_has_more_than_7_items(language: str) -> None:
    catalog = CATALOGS[language]
    pages = [injection_page(i, catalog) for i in catalog.injections] + [start_page(catalog)]
    long = [
        (page.slug, "/".join(path), len(section.blocks))
        for page in pages
        for path, section in _lists(page.sections)
        if len(section.blocks) > MAX_ITEMS and not KEPT_WHOLE & set(path)
    ]
    assert long == []


@pytest.mark.parametrize("language", CATALOGS)
def test_no_pain_change_is_told_on_a_100_point_scale(language: str) -> None:
    # The 0 to 10 scale patients know; a source's own units stay in data (a scale finding's given_as) only.
    told = [
        (loc, text)
        for loc, text in iter_patient_text(CATALOGS[language])
        if re.search(HUNDRED_POINT[language], text) and not loc.endswith("given_as")
    ]
    assert told == []


def _used(term: str, text: str, language: str) -> bool:
    """A term's words in order in the text, as the text inflects them (a plural, a Spanish ending), an aside such as
    "(SI)" allowed between them."""
    words = term.lower().split(" (")[0].split()
    stems = [w[:-2] if language != "en" and len(w) > 5 else w for w in words]
    return re.search(r"\b" + r"\w*(?:\s+\([^)]*\))?\s+".join(map(re.escape, stems)), text) is not None


@pytest.mark.parametrize("language", CATALOGS)
def test_the_word_list_holds_only_terms_the_page_uses(language: str) -> None:
    catalog = CATALOGS[language]
    unused = []
    for page in [injection_page(i, catalog) for i in catalog.injections] + [start_page(catalog)]:
        body = render_page(page).split(f'id="{page.slug}-words"')[0]  # the page before its word list
        text = unescape(re.sub(r"<[^>]+>", " ", body)).lower()
        unused += [(page.slug, term.term) for term in page.glossary if not _used(term.term, text, language)]
    assert unused == []


@pytest.mark.parametrize("language", CATALOGS)
def test_a_shot_that_is_also_a_test_gives_numbered_steps_for_scoring_pain_that_end_at_the_diary(language: str) -> None:
    from tests.test_render_pdf import flat, injection_pdf_text

    catalog = CATALOGS[language]
    tests = [i for i in catalog.injections if i.test_steps]
    assert {i.id for i in tests} == {"medial-branch-rfa", "sacroiliac-joint"}
    diary = catalog.site_map.notebook("diary")
    for injection in tests:
        html = render_page(injection_page(injection, catalog))
        steps = html.split(f'id="{injection.id}-test-steps"')[1].split("</ol>")[0]
        items = re.findall(r"<li>(.*?)</li>", steps.split("<ol>", 1)[1])
        assert len(items) == len(injection.test_steps) + 1  # the steps, then the diary
        assert "0" in unescape(items[0]) and "10" in unescape(items[0])  # the 0 to 10 scale, said in the first step
        assert f'href="{diary}"' in items[-1]
        assert flat(f"1. {injection.test_steps[0].text}") in injection_pdf_text(language, injection.id)  # numbered


EXPLAINED_AT_FIRST_USE = {
    "en": {"NICE": "NICE, which", "FDA": "FDA, which", "Cochrane": "Cochrane review, a"},
    "es": {"NICE": "NICE, que", "FDA": "FDA, que", "Cochrane": "Cochrane, un"},
}
"""Names a reader may not know, explained in a short clause where a page first uses them (not only in its word list)."""


@pytest.mark.parametrize("language", CATALOGS)
def test_nice_the_fda_and_cochrane_are_explained_where_a_page_first_names_them(language: str) -> None:
    catalog = CATALOGS[language]
    unexplained = []
    for injection in catalog.injections:
        page = injection_page(injection, catalog)
        html = render_page(page).split(f'id="{page.slug}-words"')[0]
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).split(page.title, 1)[1]
        for term, explained in EXPLAINED_AT_FIRST_USE[language].items():
            first = text.find(term)
            if first >= 0 and not text[first:].startswith(explained):
                unexplained.append((injection.id, term, text[first - 20 : first + 40]))
    assert unexplained == []


@pytest.mark.parametrize("language", CATALOGS)
def test_every_link_on_a_page_goes_somewhere_a_reader_can_follow(language: str) -> None:
    """A link is a web address, a place on the page, or another page of the guide: never a file path or a bare name
    (the clinic article, which has no public address, shows as its title with no link)."""
    catalog = CATALOGS[language]
    pages = [start_page(catalog), *(injection_page(injection, catalog) for injection in catalog.injections)]
    own_pages = {page.notebook.rsplit("/", 1)[-1] for page in catalog.site_map.pages}
    for page in pages:
        hrefs = re.findall(r'<a [^>]*href="([^"]*)"', render_page(page))
        assert hrefs, page.slug
        odd = [
            unescape(href)
            for href in hrefs
            if not href.startswith(("https://", "http://", "#")) and unescape(href).split("#")[0] not in own_pages
        ]
        assert odd == [], (page.slug, odd)
        if any(source.key == "SEED" for source in page.sources):
            seed = catalog.references["SEED"]
            assert seed.url is None and f'<li id="src-{page.slug}-' in render_page(page)
            assert re.search(rf'<li id="src-[^"]+">{re.escape(escape(seed.title))}\. [^<]*</li>', render_page(page))


INSTRUCTION = {
    "en": r"Tell|Rest|Do not|Don't|Stop|Keep|Take|Watch|Check|Plan|Make|Protect|Avoid|Write|Score|Note"
    r"|Ask someone to",
    "es": r"Dígale|Dígales|Dígaselo|Avise|Deje|No deje|No las deje|Vigile|Mídase|Mídalo|Planee|Haga|Siga"
    r"|Esté atento|Anote|Fíjese|Pida a alguien",
}
"""The verbs that open an instruction to the reader in our pages (with "Also"/"También" before them allowed).
"Ask ..."/"Pregunte ..." (a question for the clinic) and "Read ..."/"Lea ..." (a part of this page to read) are
left out: they point to where the answer is and need no reason of their own. Asking someone to drive you home is a
thing to do, so "Ask someone to"/"Pida a alguien" counts."""
INSTRUCTION_FIELDS = ("what_happens", "who_should_not", "common_side_effects")
"""Where a page tells the reader what to do about the shot: before, on the day, after, and who should tell the
clinic what."""
MIN_WHY_WORDS = 3


def _opens_with_instruction(clause: str, language: str) -> bool:
    also = r"(?:Also\s+)?" if language == "en" else r"(?:También\s+)?"
    return re.match(rf"{also}(?:{INSTRUCTION[language]})\b", clause.strip(), re.IGNORECASE) is not None


def _instructions(text: str, language: str) -> list[str]:
    """The sentences of ``text`` that tell the reader to do something: those that open with an instruction verb,
    and those whose clause after a first comma does ("If you have diabetes, check ...", "After the block, keep
    ...", "Si tiene diabetes, mídase ...")."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    return [
        sentence
        for sentence in sentences
        if _opens_with_instruction(sentence, language)
        or ("," in sentence and _opens_with_instruction(sentence.split(",", 1)[1], language))
    ]


def _statements_told(injection):
    """(field path, statement) for every statement of the fields that tell the reader what to do."""
    for field in INSTRUCTION_FIELDS:
        value = getattr(injection, field)
        if isinstance(value, tuple):
            yield from ((f"{field}[{i}]", statement) for i, statement in enumerate(value))
        else:  # what_happens: before, during, after, recovery, if_pain_returns
            for part in type(value).model_fields:
                yield from ((f"{field}.{part}[{i}]", s) for i, s in enumerate(getattr(value, part)))


@pytest.mark.parametrize("language", CATALOGS)
def test_every_instruction_says_why(language: str) -> None:
    # CDC Clear Communication Index: each thing the reader is asked to do comes with the reason to do it. The
    # statement's ``why`` quotes that reason from its text (the model checks the quote is there).
    prefix = "" if language == "en" else f"{language}/"
    without_reason = [
        (f"{prefix}injections/{injection.id}.yaml", where, sentence)
        for injection in CATALOGS[language].injections
        for where, statement in _statements_told(injection)
        if statement.why is None
        for sentence in _instructions(statement.text, language)
    ]
    assert without_reason == [], "instructions with no why:\n" + "\n".join(" | ".join(row) for row in without_reason)


@pytest.mark.parametrize("language", CATALOGS)
def test_each_reason_is_at_least_a_few_words(language: str) -> None:
    # Whether a why reads as a reason in its sentence is for a reader to judge; a test can refuse a stub.
    short = [
        (injection.id, where, statement.why)
        for injection in CATALOGS[language].injections
        for where, statement in _statements_told(injection)
        if statement.why is not None and len(statement.why.split()) < MIN_WHY_WORDS
    ]
    assert short == []
