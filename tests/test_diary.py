"""Pain diary maths, the CSV round trip, and every kind of bad file."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backpain_edu.diary import (
    MAX_FILE_BYTES,
    Diary,
    DiaryFileError,
    HourlyPain,
    PegEntry,
    add_hourly,
    add_peg,
    baseline_peg,
    best_block_relief,
    from_csv,
    latest_relief,
    pain_item_change,
    peg_score,
    percent_relief,
    point_change,
    set_numbing_hours,
    to_csv,
)

HEADER = "record,date,hours_after,pain,enjoyment,activity\n"


@pytest.mark.parametrize(
    ("items", "score"), [((0, 0, 0), 0.0), ((10, 10, 10), 10.0), ((6, 7, 5), 6.0), ((1, 2, 2), 5 / 3)]
)
def test_peg_score_is_the_mean_of_its_three_items(items, score) -> None:
    assert peg_score(*items) == pytest.approx(score)


@pytest.mark.parametrize("items", [(11, 0, 0), (0, -1, 0), (0, 0, 12)])
def test_peg_items_outside_0_to_10_are_refused(items) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        peg_score(*items)


@pytest.mark.parametrize(
    ("baseline", "now", "relief"), [(8, 4, 50.0), (6, 6, 0.0), (5, 6, -20.0), (4, 0, 100.0), (0, 3, None)]
)
def test_percent_relief_against_baseline(baseline, now, relief) -> None:
    result = percent_relief(baseline, now)
    assert result == (pytest.approx(relief) if relief is not None else None)


def _diary() -> Diary:
    diary = Diary(injection_day=date(2026, 3, 10))
    for day, items in [(1, (8, 8, 8)), (5, (6, 6, 6)), (12, (4, 3, 5)), (20, (3, 3, 3))]:
        diary = add_peg(diary, PegEntry(date(2026, 3, day), *items))
    for hour, pain in [(0, 8), (1, 3), (2, 4), (4, 6)]:
        diary = add_hourly(diary, HourlyPain(hour, pain))
    return set_numbing_hours(diary, 6)


def test_relief_compares_latest_score_after_injection_with_mean_before() -> None:
    diary = _diary()
    assert baseline_peg(diary) == pytest.approx(7.0)
    assert latest_relief(diary) == pytest.approx((7 - 3) / 7 * 100)
    assert point_change(diary) == pytest.approx(4.0)


def test_the_pain_question_alone_is_compared_for_the_two_point_yardstick() -> None:
    assert pain_item_change(_diary()) == (pytest.approx(7.0), 3)


def test_no_relief_figure_without_readings_on_both_sides() -> None:
    only_before = Diary(injection_day=date(2026, 3, 10), peg=(PegEntry(date(2026, 3, 1), 5, 5, 5),))
    assert latest_relief(only_before) is None and point_change(only_before) is None
    assert pain_item_change(only_before) is None


def test_best_block_relief_uses_the_lowest_pain_against_hour_zero() -> None:
    assert best_block_relief(_diary()) == pytest.approx(62.5)
    assert best_block_relief(set_numbing_hours(Diary(block=(HourlyPain(1, 3),)), 4)) is None


def test_block_relief_counts_only_while_the_numbing_medicine_works() -> None:
    diary = Diary(block=(HourlyPain(0, 8), HourlyPain(2, 6), HourlyPain(8, 0)))
    assert best_block_relief(diary) is None  # the clinic's numbing time is not set: nothing counts
    assert best_block_relief(set_numbing_hours(diary, 4)) == pytest.approx(25.0)  # hour 8 is after it wore off
    assert best_block_relief(set_numbing_hours(diary, 8)) == pytest.approx(100.0)


@pytest.mark.parametrize("hours", [0, 25, -1])
def test_a_numbing_time_outside_1_to_24_hours_is_refused(hours: int) -> None:
    with pytest.raises(ValueError, match="1 to 24"):
        set_numbing_hours(Diary(), hours)


def test_adding_an_entry_for_the_same_day_replaces_it_and_keeps_date_order() -> None:
    diary = add_peg(_diary(), PegEntry(date(2026, 3, 5), 1, 1, 1))
    assert [e.day.day for e in diary.peg] == [1, 5, 12, 20]
    assert diary.peg[1].score == 1


def test_csv_round_trip_keeps_everything() -> None:
    diary = _diary()
    assert from_csv(to_csv(diary).encode()) == diary
    assert from_csv(to_csv(Diary()).encode()) == Diary()


@given(
    st.lists(st.tuples(st.dates(), st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)), max_size=30),
    st.lists(st.tuples(st.integers(0, 24), st.integers(0, 10)), max_size=25),
    st.none() | st.integers(1, 24),
)
def test_any_diary_survives_the_csv_round_trip(entries, readings, numbing) -> None:
    diary = Diary(injection_day=date(2026, 1, 1), numbing_hours=numbing)
    for day, *items in entries:
        diary = add_peg(diary, PegEntry(day, *items))
    for hour, pain in readings:
        diary = add_hourly(diary, HourlyPain(hour, pain))
    assert from_csv(to_csv(diary).encode()) == diary


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,score\nx,1\n", "columns should be"),
        (HEADER + "peg,2026-01-01,,five,2,2\n", "Line 2, column 'pain': expected a whole number"),
        (HEADER + "peg,2026-01-01,,5,2,11\n", "Line 2, column 'activity': expected a number from 0 to 10"),
        (HEADER + "peg,01/02/2026,,5,2,2\n", "Line 2, column 'date': expected a date"),
        (HEADER + "peg,2026-02-01,,5,2,2\npeg,2026-01-01,,5,2,2\n", "Line 3, column 'date': dates must go"),
        (HEADER + "block,,2,5,,\nblock,,1,5,,\n", "Line 3, column 'hours_after': hours must go up"),
        (HEADER + "block,,30,5,,\n", "column 'hours_after': expected a number from 0 to 24"),
        (HEADER + "injection,2026-01-01,,,,\ninjection,2026-01-02,,,,\n", "more than one injection day"),
        (HEADER + "=cmd|' /C calc'!A0,2026-01-01,,,,\n", "column 'record': expected injection, numbing, peg or block"),
        (HEADER + "numbing,,0,,,\n", "column 'hours_after': expected a number from 1 to 24"),
        (HEADER + "numbing,,4,,,\nnumbing,,5,,,\n", "more than one numbing time"),
    ],
)
def test_bad_files_get_a_clear_message(content: str, message: str) -> None:
    with pytest.raises(DiaryFileError, match=message):
        from_csv(content.encode())


def test_huge_and_binary_files_are_refused_before_parsing() -> None:
    with pytest.raises(DiaryFileError, match="too big"):
        from_csv(b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(DiaryFileError, match="not a text"):
        from_csv(b"\xff\xfe\x00\x81binary")
