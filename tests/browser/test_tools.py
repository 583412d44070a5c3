"""The interactive pages in the browser: the checklist's red-flag path, the care-plan PDF (and that what
a patient types goes into it and not into the server log), and a checklist run with the keyboard alone."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from backpain_edu.catalog import Catalog
from tests.browser.support import AppServer, visit

CHECKLIST = "07_checklist.ipynb"
CARE_PLAN = "08_care_plan.ipynb"
TYPED = "Zebra-marker-4417"  # what a patient types; it must reach the PDF and nothing else
FOCUSED = """() => { const element = document.activeElement, label = element.closest('label');
  return {tag: element.tagName, type: element.type || '', checked: !!element.checked,
          label: (label || element).textContent.trim(), inTool: !!element.closest('.bpe-tool'),
          ring: getComputedStyle(element).outlineStyle !== 'none'}; }"""


def _step_two_top(page: Page, catalog: Catalog) -> float:
    return page.get_by_text(f"Step 2. {catalog.contraindications.title}").bounding_box()["y"]


def test_ticking_a_red_flag_in_the_checklist_shows_urgent_advice_under_the_red_flags(
    app_server: AppServer, context: BrowserContext, catalog: Catalog
) -> None:
    page = visit(context, app_server.page_url(CHECKLIST)).page
    emergency = catalog.red_flags.emergency
    advice = page.get_by_text(emergency.why(emergency.signs[:1])[0].text)
    expect(advice).to_have_count(0)
    page.get_by_label(emergency.signs[0].question).check()
    expect(advice.first).to_be_visible()
    assert advice.first.bounding_box()["y"] < _step_two_top(page, catalog)


def test_each_emergency_sign_alone_gives_the_number_and_nothing_reassuring(
    app_server: AppServer, context: BrowserContext, served: Catalog
) -> None:
    page = visit(context, app_server.page_url(CHECKLIST)).page
    # Answers that would add topics, care to try first and care-plan links if no red flag were ticked.
    for item in (*served.checklist.locations, served.contraindications.items[0]):
        page.get_by_label(item.question.strip()).check()
    result = page.locator(".bpe-tool .bpe-step:not(.bpe-readiness)").last  # the result, above the last readiness check
    expect(result).to_contain_text("Topics to talk about")
    checklist = served.checklist
    reassuring = [checklist.nothing_ticked.text, "did not tick", "Care to try first", "Build a care plan",
                  "Topics to talk about", checklist.always_title, *(s.text for s in checklist.always)]  # fmt: skip
    for sign in served.red_flags.emergency.signs:
        box = page.get_by_label(sign.question.strip())
        box.check()
        expect(result).to_contain_text(served.region.call_now.text)
        expect(result).to_contain_text(sign.text)
        text = result.inner_text()
        assert "911" in text and [phrase for phrase in reassuring if phrase in text] == [], sign.id
        assert result.locator("a[href$='.ipynb']").count() == 0, sign.id
        box.uncheck()
        expect(result).to_contain_text("Topics to talk about")


def test_care_plan_pdf_downloads_as_a_pdf_and_what_was_typed_stays_out_of_the_server_log(
    app_server: AppServer, context: BrowserContext, catalog: Catalog, artifacts: Path
) -> None:
    page = visit(context, app_server.page_url(CARE_PLAN)).page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    page.get_by_label(catalog.care_options.goals[0].title).check()
    note = page.get_by_label("My note for my doctor (optional)")
    note.fill(f"{TYPED} <script>alert(1)</script>")
    note.press("Tab")  # the text box sends its value when it loses focus
    expect(page.get_by_text(TYPED).first).to_be_visible()
    assert dialogs == []  # the typed <script> shows as text and never runs
    page.get_by_role("button", name="Make my PDF").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my care plan (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    path = download.value.path()
    assert path.read_bytes().startswith(b"%PDF-")
    text = " ".join(sheet.extract_text() for sheet in PdfReader(path).pages)
    assert TYPED in text and catalog.care_options.goals[0].title.split()[0] in text
    # The number to call and the warning signs after an injection are on every printed plan.
    squeezed = " ".join(text.split())
    assert "911" in squeezed and catalog.warning_signs.title in squeezed and "Not yet reviewed" in squeezed
    assert catalog.warning_signs.at_once.signs[0].text in squeezed
    assert TYPED not in app_server.log.read_text(encoding="utf-8", errors="replace")


def test_checklist_can_be_answered_with_the_keyboard_alone(
    app_server: AppServer, context: BrowserContext, catalog: Catalog
) -> None:
    page = visit(context, app_server.page_url(CHECKLIST)).page
    first_flag = catalog.red_flags.emergency.signs[0].question.strip()
    follows = next(s for s in catalog.checklist.signals if s.id == catalog.checklist.tried_care.follows)
    boxes = page.locator(".bpe-tool input[type=checkbox]")
    reached, chosen = set(), None
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if reached and not focused["inTool"]:
            break
        if not focused["inTool"]:
            continue
        assert focused["ring"], f"no visible focus on {focused['label']!r}"
        reached.add(focused["label"])
        if focused["label"] == first_flag and not focused["checked"]:
            page.keyboard.press("Space")
            # The red flag hides both readiness checks once the kernel answers; Tab on only then, else a busy
            # machine lets Tab reach a check's radio ("Yes", eight of them) just before it is hidden.
            expect(page.locator(".bpe-readiness").first).to_be_hidden()
        elif focused["label"] == follows.question.strip() and not focused["checked"]:
            page.keyboard.press("Space")  # opens "what have you tried", which the next Tab must reach
            expect(page.get_by_text(catalog.checklist.tried_care.question)).to_be_visible()
        elif focused["type"] == "radio" and chosen is None:
            page.keyboard.press("Space")
            chosen = focused["label"]
    visible = [box.evaluate("e => e.closest('label').textContent.trim()") for box in boxes.all() if box.is_visible()]
    assert set(visible) <= reached
    expect(page.get_by_label(first_flag)).to_be_checked()
    flags = catalog.red_flags.emergency
    expect(page.get_by_text(flags.why(flags.signs[:1])[0].text).first).to_be_visible()
    assert chosen is not None
    expect(page.get_by_label(chosen, exact=True)).to_be_checked()


def test_a_no_in_the_readiness_check_shows_its_help_and_a_red_flag_hides_the_check(
    app_server: AppServer, context: BrowserContext, catalog: Catalog
) -> None:
    page = visit(context, app_server.page_url(CHECKLIST)).page
    readiness = catalog.readiness
    check = page.locator(".bpe-readiness").first
    expect(check).to_contain_text(readiness.questions[0].text)
    help_text = check.get_by_text(readiness.questions[0].help.text)
    expect(help_text).to_have_count(0)
    check.get_by_role("radio", name=catalog.labels.readiness.no).first.check()
    expect(help_text).to_be_visible()
    expect(check.get_by_role("link", name=readiness.questions[0].help.text)).to_have_attribute(
        "href", catalog.site_map.notebook(readiness.questions[0].page)
    )
    page.get_by_label(catalog.red_flags.emergency.signs[0].question).check()
    expect(page.locator(".bpe-readiness")).to_have_count(2)
    expect(page.locator(".bpe-readiness").first).to_be_hidden()
    expect(page.locator(".bpe-readiness").last).to_be_hidden()


def test_the_checklists_questions_read_before_its_script_and_show_once_when_it_is_drawn(
    app_server: AppServer, browser: Browser, context: BrowserContext, catalog: Catalog
) -> None:
    """With no script at all, the page still shows the title and every question, red flags first (the preview in the
    first response); once the script has drawn the tool, each question shows once, as a tick box."""
    first_flag = catalog.red_flags.signs[0].question
    reader = browser.new_context(java_script_enabled=False)
    try:
        page = reader.new_page()
        page.goto(app_server.page_url(CHECKLIST), wait_until="load")
        expect(page.get_by_role("heading", level=1)).to_have_text(catalog.site_map.page("checklist").title)
        expect(page.locator(".bpe-preview").get_by_text(first_flag, exact=True)).to_be_visible()
        expect(page.get_by_role("checkbox")).to_have_count(0)
    finally:
        reader.close()
    page = visit(context, app_server.page_url(CHECKLIST)).page
    expect(page.get_by_role("checkbox", name=first_flag)).to_be_visible()
    expect(page.locator(".bpe-preview")).to_have_count(0)
    expect(page.get_by_text(first_flag, exact=True)).to_have_count(1)
