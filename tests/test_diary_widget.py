"""The pain diary page: adding scores, charts with alt text, saving and loading the patient's file."""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime

import pytest

from backpain_edu.catalog import Catalog
from backpain_edu.diary import Diary, HourlyPain, PegEntry, from_csv, to_csv
from backpain_edu.render.diary_page import diary_page
from backpain_edu.widgets.diary import DiaryTool


def _saved_csv(tool: DiaryTool) -> str:
    href = re.search(r'href="data:text/csv;base64,([^"]+)"', tool.download.value).group(1)
    return base64.b64decode(href).decode()


def _upload(tool: DiaryTool, data: bytes) -> None:
    tool.upload.value = ({"name": "diary.csv", "type": "text/csv", "size": len(data), "content": memoryview(data),
                          "last_modified": datetime(2026, 1, 1, tzinfo=UTC)},)  # fmt: skip


@pytest.fixture
def tool(catalog: Catalog) -> DiaryTool:
    return DiaryTool(catalog, today=date(2026, 3, 1))


def _fill(tool: DiaryTool) -> None:
    tool.injection_day.value = date(2026, 3, 10)
    for day, items in [(1, (8, 8, 8)), (5, (6, 6, 6)), (20, (3, 3, 3))]:
        tool.peg_day.value = date(2026, 3, day)
        tool.pain.value, tool.enjoyment.value, tool.activity.value = items
        tool.add_score.click()


def test_an_empty_diary_says_how_to_start(tool: DiaryTool) -> None:
    assert "Nothing saved yet" in tool.result.value
    assert _saved_csv(tool).splitlines() == ["record,date,hours_after,pain,enjoyment,activity"]


def test_scores_show_relief_against_the_baseline_and_a_chart_with_alt_text(tool: DiaryTool) -> None:
    _fill(tool)
    html = tool.result.value
    assert "Average score before the injection: 7.0 out of 10." in html
    assert "4.0 points lower than before, a 57% change" in html
    assert re.search(
        r'<img src="data:image/svg\+xml;base64,[^"]+" alt="Chart of your PEG score over time\. 1 Mar', html
    )
    assert "show them to your doctor" in html.lower()


def test_the_saved_file_holds_exactly_what_was_entered(tool: DiaryTool) -> None:
    _fill(tool)
    tool.hour.value, tool.hour_pain.value = 0, 8
    tool.add_hour.click()
    tool.hour.value, tool.hour_pain.value = 2, 3
    tool.add_hour.click()
    assert "Ask the clinic how long the numbing medicine lasts" in tool.result.value
    tool.numbing_hours.value = 4
    diary = from_csv(_saved_csv(tool).encode())
    assert diary.injection_day == date(2026, 3, 10) and diary.numbing_hours == 4
    assert [(e.day.day, e.score) for e in diary.peg] == [(1, 8), (5, 6), (20, 3)]
    assert diary.block == (HourlyPain(0, 8), HourlyPain(2, 3))
    assert "Best relief in the first 4 hours, while the numbing medicine works: 62% less pain" in tool.result.value


def test_the_peg_questions_start_empty_and_a_score_needs_all_three(tool: DiaryTool) -> None:
    assert (tool.pain.value, tool.enjoyment.value, tool.activity.value) == (None, None, None)
    tool.pain.value = 6
    tool.add_score.click()
    assert tool.diary.peg == () and "all three" in tool.message.value


def test_the_peg_change_has_no_threshold_and_the_yardstick_is_for_pain_only(tool: DiaryTool, catalog) -> None:
    _fill(tool)
    html = tool.result.value
    assert catalog.diary.peg_change.text in html
    assert "Your pain score (the first question): 7.0 on average before, 3 now." in html
    assert html.index("Your pain score (the first question)") < html.index("about 2 points")
    assert "Warning signs after an injection" in html


def test_loading_a_file_replaces_the_diary_and_sets_the_injection_day(tool: DiaryTool) -> None:
    saved = Diary(date(2026, 5, 2), (PegEntry(date(2026, 5, 1), 7, 6, 5),), ())
    _upload(tool, to_csv(saved).encode())
    assert tool.diary == saved
    assert tool.injection_day.value == date(2026, 5, 2)
    assert "loaded" in tool.message.value
    assert tool.upload.value == ()


@pytest.mark.parametrize(
    "bad",
    [b"not,a,diary\n1,2,3\n", b"record,date,hours_after,pain,enjoyment,activity\npeg,2026-01-01,,9,9,x\n",
     b"\x00\xff" * 10, b"x" * 200_000],
)  # fmt: skip
def test_a_bad_file_shows_a_message_and_changes_nothing(tool: DiaryTool, bad: bytes) -> None:
    _fill(tool)
    before, shown = tool.diary, tool.result.value
    _upload(tool, bad)
    assert tool.diary == before and tool.result.value == shown
    assert "could not be loaded, so nothing changed" in tool.message.value


def test_page_numbers_sources_in_reading_order(catalog: Catalog) -> None:
    page = diary_page(Diary(block=(HourlyPain(0, 6), HourlyPain(1, 2))), catalog)
    assert page.summary.cites == (1, 2)
    assert [r.key for r in page.sources][:2] == list(catalog.diary.show_doctor.refs)
