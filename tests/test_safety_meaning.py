"""What the urgent boxes mean to a frightened reader, read off the rendered HTML in every language and region.

Shape tests check that a box is there; these check what it says: one symptom, one instruction; nothing that
sounds like "probably not you" inside an emergency box or result; cauda equina named beside its own signs only;
no same-day text under "call the emergency number now"; each checklist question asks for its sign in the
sign's own terms (``../shared/medical_references.md``, "Red flags" and "Warning signs after an injection").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import combinations

import pytest

from backpain_edu.candidacy import Answers, assess_candidacy
from backpain_edu.catalog import CONTENT_DIR, Catalog, load_catalog_from, load_languages
from backpain_edu.deployment import Deployment
from backpain_edu.render.citations import Citations
from backpain_edu.render.html import render_page
from backpain_edu.render.page import heading_id
from backpain_edu.render.reading_pages import RED_FLAGS, START_PAGE, injection_page, start_page, warning_signs_section
from backpain_edu.render.tool_pages import assessment_page

LANGUAGES = load_languages().codes
REGIONS = ("uk", "us", "eu", "default")
CATALOGS = {
    (language, region): load_catalog_from(CONTENT_DIR, Deployment(region), language)
    for language in LANGUAGES
    for region in REGIONS
}
WHERE = [pytest.param(language, region, id=f"{language}-{region}") for language in LANGUAGES for region in REGIONS]

# Symptoms a reader could find under two actions, in each language's words (a list item names it).
SYMPTOMS = {
    "en": {
        "leg weakness": r"weak\w*\W+(?:\w+\W+){0,6}legs?\b|\blegs?\W+(?:\w+\W+){0,3}weak",
        "bladder or bowel": r"\bpee\b|\bpoo\b|bladder|bowel",
        "fever": r"\bfever",
        "headache": r"headache",
        "stiff neck": r"stiff neck",
        "numbness": r"\bnumb",
    },
    "es": {
        "leg weakness": r"debilidad\W+(?:\w+\W+){0,6}piernas",
        "bladder or bowel": r"\borin|\bpopó|vejiga|intestino",
        "fever": r"\bfiebre",
        "headache": r"dolor de cabeza",
        "stiff neck": r"rigidez en el cuello",
        "numbness": r"adormec",
    },
}
# Words that say "this is probably not you": never inside an emergency box or an emergency result.
LIKELIHOOD = {
    "en": r"\brare(?:ly)?\b|\bunlikely\b|\bmost people\b|100,000|\busually fine\b|\buncommon\b|\bprobably\b"
    r"|\bdon'?t worry\b|\bnothing to worry\b",
    "es": r"\brar[oa]s?\b|\braramente\b|poco probable|improbable|la mayoría|100[.,]000|poco común"
    r"|probablemente|no se preocupe",
}
# The time an instruction gives, in a heading and in the action under it: they must agree.
TIME_WORDS = {"en": {"now": r"\bnow\b", "today": r"\btoday\b"}, "es": {"now": r"\bahora\b", "today": r"\bhoy\b"}}
CAUDA_EQUINA = "cauda equina"
# Which emergency signs are cauda equina's and which are an injury's (the reference file's two lists).
CAUDA_EQUINA_SIGNS = (
    "saddle-numbness", "bladder-trouble", "bowel-trouble", "sexual-function-change", "sciatica-both-legs",
    "weakness-both-legs",
)  # fmt: skip
INJURY_SIGNS = ("major-injury", "minor-fall-fragile-bones")
# Each sign's key terms, which its checklist question must hold (neither narrower nor broader than the sign).
KEY_TERMS = {
    "en": {
        "saddle-numbness": (r"numb", r"genitals", r"bottom"),
        "bladder-trouble": (r"\bpee",),
        "bowel-trouble": (r"\bpoo\b", r"control"),
        "sexual-function-change": (r"sexual",),
        "sciatica-both-legs": (r"both legs", r"sciatica"),
        "weakness-both-legs": (r"weakness", r"numbness", r"both legs", r"worse"),
        "major-injury": (r"accident", r"fall"),
        "minor-fall-fragile-bones": (r"small fall", r"older", r"weak bones", r"steroid"),
        "fever-or-unwell": (r"fever", r"unwell"),
        "trouble-walking": (r"walking", r"unsteady"),
        "night-pain": (r"lie down", r"stay", r"worse", r"sleep"),
        "band-like-pain": (r"band", r"chest", r"tummy"),
        "cancer-history": (r"cancer", r"back pain"),
        "weight-loss": (r"weight", r"without trying"),
    },
    "es": {
        "saddle-numbness": (r"adormecimiento", r"genitales", r"nalgas"),
        "bladder-trouble": (r"orina",),
        "bowel-trouble": (r"popó", r"controlar"),
        "sexual-function-change": (r"sexual",),
        "sciatica-both-legs": (r"dos piernas", r"ciática"),
        "weakness-both-legs": (r"debilidad", r"adormecimiento", r"dos piernas", r"empeora"),
        "major-injury": (r"accidente", r"caída"),
        "minor-fall-fragile-bones": (r"caída", r"mayor", r"huesos débiles", r"esteroides"),
        "fever-or-unwell": (r"fiebre", r"muy mal"),
        "trouble-walking": (r"caminar", r"inestable"),
        "night-pain": (r"acuesta", r"igual", r"empeora", r"dormir"),
        "band-like-pain": (r"banda", r"pecho", r"barriga"),
        "cancer-history": (r"cáncer", r"dolor de espalda"),
        "weight-loss": (r"peso", r"sin intentarlo"),
    },
}
# Narrower or broader than the sign: the old night-pain question ("there all the time", "so it wakes you").
NOT_THE_SIGN = {"en": r"all the time|wakes you", "es": r"todo el tiempo|le despierta"}


class _Regions(HTMLParser):
    """The text of each region of a page (by its heading's id), with its own list items apart."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: dict[str, list[str]] = {}
        self.items: dict[str, list[str]] = {}
        self._open: list[str | None] = []  # one entry per open div: its region id, or None
        self._item: list[str] | None = None
        self.feed(html)

    def _regions(self) -> list[str]:
        return [region for region in self._open if region]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "div":
            region = named.get("aria-labelledby") if named.get("role") == "region" else None
            self._open.append(region)
            if region:
                self.text[region], self.items[region] = [], []
        elif tag == "li" and self._regions():
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._open:
            self._open.pop()
        elif tag == "li" and self._item is not None:
            self.items[self._regions()[-1]].append(" ".join("".join(self._item).split()))
            self._item = None

    def handle_data(self, data: str) -> None:
        for region in self._regions():
            self.text[region].append(data)
        if self._item is not None:
            self._item.append(data)

    def says(self, region: str) -> str:
        return " ".join(" ".join(self.text[region]).split())


def _injection_pages(catalog: Catalog) -> list[tuple[str, _Regions]]:
    return [(i.id, _Regions(render_page(injection_page(i, catalog)))) for i in catalog.injections]


def _warning_box_about_no_injection(catalog: Catalog) -> _Regions:
    """The warning signs as the care plan and the diary show them (about no one injection)."""
    cite = Citations(catalog)
    return _Regions(render_page(cite.page("t", "plan", (warning_signs_section(catalog, cite),))))


def _boxes(catalog: Catalog) -> list[tuple[str, _Regions, str, tuple[str, ...]]]:
    """Every urgent box a reader meets: (where, its page, the box's id, the ids of its actions)."""
    start = _Regions(render_page(start_page(catalog)))
    boxes = [("start", start, heading_id(START_PAGE, RED_FLAGS), ("emergency", "same-day"))]
    for slug, page in [*_injection_pages(catalog), ("plan", _warning_box_about_no_injection(catalog))]:
        boxes.append((slug, page, heading_id(slug, "warning-signs"), ("at-once", "call-doctor")))
    return boxes


def _result(catalog: Catalog, *yes: str) -> str:
    page = assessment_page(assess_candidacy(Answers(yes=frozenset(yes)), catalog), catalog)
    return " ".join(re.sub(r"<[^>]+>", " ", render_page(page, embedded=True)).split())


@pytest.mark.parametrize(("language", "region"), WHERE)
def test_one_symptom_is_under_one_instruction_in_every_box(language: str, region: str) -> None:
    catalog = CATALOGS[language, region]
    for where, page, _, actions in _boxes(catalog):
        for symptom, pattern in SYMPTOMS[language].items():
            under = [
                action
                for action in actions
                if any(re.search(pattern, item, re.IGNORECASE) for item in page.items[heading_id(where, action)])
            ]
            assert len(under) <= 1, f"{where}: '{symptom}' is under {under}"


@pytest.mark.parametrize(("language", "region"), WHERE)
def test_each_heading_gives_the_time_its_instruction_gives(language: str, region: str) -> None:
    catalog = CATALOGS[language, region]
    flags, warnings, help_ = catalog.red_flags, catalog.warning_signs, catalog.region
    for heading, instruction in (
        (flags.same_day.heading, help_.same_day.text),
        (warnings.call_doctor.heading, help_.same_day.text),
    ):
        for word, pattern in TIME_WORDS[language].items():
            if re.search(pattern, heading, re.IGNORECASE):
                assert re.search(pattern, instruction, re.IGNORECASE), f"'{heading}' says {word}: '{instruction}'"


@pytest.mark.parametrize(("language", "region"), WHERE)
def test_no_emergency_box_says_how_unlikely_it_is(language: str, region: str) -> None:
    catalog = CATALOGS[language, region]
    likelihood = re.compile(LIKELIHOOD[language], re.IGNORECASE)
    for where, page, box, _ in _boxes(catalog):
        emergency = heading_id(where, "emergency" if box.endswith(RED_FLAGS) else "at-once")
        said = page.says(emergency) if box.endswith(RED_FLAGS) else page.says(box)  # the whole after-shot box
        assert not likelihood.search(said), f"{where}: {likelihood.search(said)[0]!r} in {said!r}"


@pytest.mark.parametrize(("language", "region"), WHERE)
def test_no_emergency_result_says_how_unlikely_it_is_or_adds_same_day_text(language: str, region: str) -> None:
    catalog = CATALOGS[language, region]
    likelihood = re.compile(LIKELIHOOD[language], re.IGNORECASE)
    same_day = (
        catalog.red_flags.same_day.heading,
        catalog.region.same_day.text.split(".")[0],
        *(s.text for s in catalog.red_flags.same_day.signs),
    )
    every_emergency = tuple(s.id for s in catalog.red_flags.emergency.signs)
    every_same_day = tuple(s.id for s in catalog.red_flags.same_day.signs)
    for yes in (*((sign,) for sign in every_emergency), every_emergency, every_emergency + every_same_day):
        text = _result(catalog, *yes)
        assert not likelihood.search(text), (yes, likelihood.search(text)[0])
        assert [line for line in same_day if line in text] == [], yes


@pytest.mark.parametrize(("language", "region"), WHERE)
def test_cauda_equina_is_named_beside_its_own_signs_and_never_after_an_injury(language: str, region: str) -> None:
    catalog = CATALOGS[language, region]
    assert set(CAUDA_EQUINA_SIGNS + INJURY_SIGNS) == {s.id for s in catalog.red_flags.emergency.signs}
    for sign in INJURY_SIGNS:
        assert CAUDA_EQUINA not in _result(catalog, sign).lower(), sign
    assert CAUDA_EQUINA not in _result(catalog, *INJURY_SIGNS).lower()
    for sign in CAUDA_EQUINA_SIGNS:
        assert CAUDA_EQUINA in _result(catalog, sign).lower(), sign
    for cauda, injury in combinations((*CAUDA_EQUINA_SIGNS[:1], *INJURY_SIGNS[:1]), 2):
        assert CAUDA_EQUINA in _result(catalog, cauda, injury).lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_checklist_question_asks_for_its_sign_in_the_signs_own_terms(language: str) -> None:
    catalog = CATALOGS[language, "default"]
    terms = KEY_TERMS[language]
    assert set(terms) == {sign.id for sign in catalog.red_flags.signs}
    for sign in catalog.red_flags.signs:
        missing = [term for term in terms[sign.id] if not re.search(term, sign.question, re.IGNORECASE)]
        assert missing == [], f"{sign.id}: '{sign.question}' lacks {missing}"
        assert not re.search(NOT_THE_SIGN[language], sign.question, re.IGNORECASE), sign.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_after_shot_signs_to_act_on_at_once_hold_for_every_injection(language: str) -> None:
    catalog = CATALOGS[language, "default"]
    warnings = catalog.warning_signs
    caveat = warnings.call_doctor.elsewhere.text
    for slug, page in _injection_pages(catalog):
        at_once, call_doctor = page.says(heading_id(slug, "at-once")), page.says(heading_id(slug, "call-doctor"))
        box = page.says(heading_id(slug, "warning-signs"))
        # The "at once" list carries no "epidural only" note; the epidural advice is named on the other pages.
        assert caveat not in at_once and box.index(at_once) < box.index(call_doctor), slug
        assert (caveat in call_doctor) == (slug not in warnings.call_doctor.source_for), slug
    assert caveat in _warning_box_about_no_injection(catalog).says(heading_id("plan", "call-doctor"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_injection_page_says_check_the_red_flags_first_and_what_to_do_if_the_pain_comes_back(
    language: str,
) -> None:
    catalog = CATALOGS[language, "default"]
    link = f'href="{catalog.site_map.notebook(START_PAGE)}#{heading_id(START_PAGE, RED_FLAGS)}"'
    start = render_page(start_page(catalog))
    assert f'id="{heading_id(START_PAGE, RED_FLAGS)}"' in start  # the link lands on the box
    for injection in catalog.injections:
        html = render_page(injection_page(injection, catalog))
        page = _Regions(html)
        before = page.items[heading_id(injection.id, "before")]
        assert before[0].startswith(catalog.red_flags.check_first.text), injection.id
        assert link in html, injection.id
        assert page.items[heading_id(injection.id, "if-pain-returns")], injection.id
