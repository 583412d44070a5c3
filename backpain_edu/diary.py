"""The pain diary: PEG scores before and after an injection, hourly pain after a block, and CSV.

Pure functions over plain data. The diary belongs to the patient: it lives in their browser
session and in the CSV file they download; nothing here writes to disk or keeps a copy.
A bad file raises :class:`DiaryFileError` naming the line and column, and the caller keeps
the diary it had.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import date

from backpain_edu.errors import BackpainEduError

COLUMNS = ("record", "date", "hours_after", "pain", "enjoyment", "activity")
MAX_FILE_BYTES = 100_000
"""A year of daily entries is about 10 KB; anything far bigger is not a diary file."""
MAX_ROWS = 2_000
MAX_BLOCK_HOURS = 24


class DiaryFileError(BackpainEduError):
    """A diary file that cannot be loaded, with where and why in plain words."""


@dataclass(frozen=True)
class PegEntry:
    """One PEG check: average pain, and how much pain got in the way of enjoyment and activity (0-10)."""

    day: date
    pain: int
    enjoyment: int
    activity: int

    @property
    def score(self) -> float:
        return peg_score(self.pain, self.enjoyment, self.activity)


@dataclass(frozen=True)
class HourlyPain:
    """Pain (0-10) a number of hours after a block; hour 0 is just before it."""

    hours_after: int
    pain: int


@dataclass(frozen=True)
class Diary:
    """``numbing_hours`` is how long the clinic said the block's numbing medicine lasts: block relief
    only counts within it (relief after it wears off says nothing about the test)."""

    injection_day: date | None = None
    peg: tuple[PegEntry, ...] = ()
    block: tuple[HourlyPain, ...] = field(default_factory=tuple)
    numbing_hours: int | None = None


def _check_scale(value: int, name: str) -> int:
    if not 0 <= value <= 10:
        raise ValueError(f"{name} must be a whole number from 0 to 10, not {value}")
    return value


def peg_score(pain: int, enjoyment: int, activity: int) -> float:
    """The PEG score: the mean of its three 0-10 items."""
    items = (_check_scale(pain, "pain"), _check_scale(enjoyment, "enjoyment"), _check_scale(activity, "activity"))
    return sum(items) / 3


def percent_relief(baseline: float, now: float) -> float | None:
    """Relief against a baseline, in percent (negative when worse); None when the baseline is 0."""
    if baseline <= 0:
        return None
    return (baseline - now) / baseline * 100


def _before(diary: Diary) -> list[PegEntry]:
    """The entries before the injection day (all of them while no day is set): the baseline."""
    return [e for e in diary.peg if diary.injection_day is None or e.day < diary.injection_day]


def baseline_peg(diary: Diary) -> float | None:
    """Mean PEG score of the entries before the injection day (all entries if no day is set)."""
    before = [e.score for e in _before(diary)]
    return sum(before) / len(before) if before else None


def _latest_after(diary: Diary) -> PegEntry | None:
    after = [e for e in diary.peg if diary.injection_day is not None and e.day >= diary.injection_day]
    return after[-1] if after else None


def latest_relief(diary: Diary) -> float | None:
    """Relief of the latest PEG entry on or after the injection day, against the baseline."""
    baseline, latest = baseline_peg(diary), _latest_after(diary)
    return None if baseline is None or latest is None else percent_relief(baseline, latest.score)


def point_change(diary: Diary) -> float | None:
    """Points the latest PEG score is below the baseline (positive is better)."""
    baseline, latest = baseline_peg(diary), _latest_after(diary)
    return None if baseline is None or latest is None else baseline - latest.score


def pain_item_change(diary: Diary) -> tuple[float, int] | None:
    """(average pain before the injection, latest pain after it), from the PEG's first question.

    This is the score the 2-point / 30% yardstick is about (FARRAR-2001); the PEG score has none.
    """
    before = [e.pain for e in _before(diary)]
    latest = _latest_after(diary)
    return None if not before or latest is None else (sum(before) / len(before), latest.pain)


def best_block_relief(diary: Diary) -> float | None:
    """Best relief while the block's numbing medicine works (hours 1 to ``numbing_hours``), against hour 0.

    None until the numbing time is set: a reading after the medicine wore off must never count.
    """
    if diary.numbing_hours is None:
        return None
    start = next((h.pain for h in diary.block if h.hours_after == 0), None)
    within = [h.pain for h in diary.block if 0 < h.hours_after <= diary.numbing_hours]
    if start is None or not within:
        return None
    return percent_relief(start, min(within))


def set_numbing_hours(diary: Diary, hours: int | None) -> Diary:
    """A new diary with the numbing time the clinic gave (1 to 24 hours), or None when not known."""
    if hours is not None and not 1 <= hours <= MAX_BLOCK_HOURS:
        raise ValueError(f"the numbing time must be from 1 to {MAX_BLOCK_HOURS} hours")
    return replace(diary, numbing_hours=hours)


def add_peg(diary: Diary, entry: PegEntry) -> Diary:
    """A new diary with the entry added in date order (an entry for the same day replaces it)."""
    peg_score(entry.pain, entry.enjoyment, entry.activity)
    kept = [e for e in diary.peg if e.day != entry.day]
    return replace(diary, peg=tuple(sorted([*kept, entry], key=lambda e: e.day)))


def add_hourly(diary: Diary, reading: HourlyPain) -> Diary:
    """A new diary with the hourly reading added in hour order (same hour replaces it)."""
    _check_scale(reading.pain, "pain")
    if not 0 <= reading.hours_after <= MAX_BLOCK_HOURS:
        raise ValueError(f"hours after the block must be from 0 to {MAX_BLOCK_HOURS}")
    kept = [h for h in diary.block if h.hours_after != reading.hours_after]
    return replace(diary, block=tuple(sorted([*kept, reading], key=lambda h: h.hours_after)))


def to_csv(diary: Diary) -> str:
    """The diary as CSV text, in the one layout :func:`from_csv` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    if diary.injection_day:
        writer.writerow(["injection", diary.injection_day.isoformat(), "", "", "", ""])
    if diary.numbing_hours is not None:
        writer.writerow(["numbing", "", diary.numbing_hours, "", "", ""])
    for e in diary.peg:
        writer.writerow(["peg", e.day.isoformat(), "", e.pain, e.enjoyment, e.activity])
    for h in diary.block:
        writer.writerow(["block", "", h.hours_after, h.pain, "", ""])
    return out.getvalue()


def _number(row: dict[str, str], column: str, line: int, low: int = 0, high: int = 10) -> int:
    text = (row.get(column) or "").strip()
    try:
        value = int(text)
    except ValueError:
        raise DiaryFileError(f"Line {line}, column '{column}': expected a whole number, found '{text[:20]}'.") from None
    if not low <= value <= high:
        raise DiaryFileError(f"Line {line}, column '{column}': expected a number from {low} to {high}, found {value}.")
    return value


def _day(row: dict[str, str], line: int) -> date:
    text = (row.get("date") or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DiaryFileError(
            f"Line {line}, column 'date': expected a date like 2026-01-31, found '{text[:20]}'."
        ) from None


def _read_rows(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_FILE_BYTES:
        raise DiaryFileError(f"The file is too big ({len(data):,} bytes). A diary file is under {MAX_FILE_BYTES:,}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DiaryFileError("The file is not a text (CSV) file saved by this diary.") from None
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise DiaryFileError(f"The columns should be: {', '.join(COLUMNS)}. This file has other columns.")
    rows = list(reader)
    if len(rows) > MAX_ROWS:
        raise DiaryFileError(f"The file has {len(rows):,} rows; a diary file has at most {MAX_ROWS:,}.")
    return rows


def from_csv(data: bytes) -> Diary:
    """Read a diary back from CSV bytes, or raise DiaryFileError saying what is wrong and where."""
    diary = Diary()
    for line, row in enumerate(_read_rows(data), start=2):
        record = (row.get("record") or "").strip()
        if record == "injection":
            if diary.injection_day is not None:
                raise DiaryFileError(f"Line {line}: the file has more than one injection day.")
            diary = replace(diary, injection_day=_day(row, line))
        elif record == "numbing":
            if diary.numbing_hours is not None:
                raise DiaryFileError(f"Line {line}: the file has more than one numbing time.")
            diary = replace(diary, numbing_hours=_number(row, "hours_after", line, 1, MAX_BLOCK_HOURS))
        elif record == "peg":
            entry = PegEntry(_day(row, line), *(_number(row, c, line) for c in ("pain", "enjoyment", "activity")))
            if diary.peg and entry.day <= diary.peg[-1].day:
                raise DiaryFileError(f"Line {line}, column 'date': dates must go from oldest to newest.")
            diary = replace(diary, peg=(*diary.peg, entry))
        elif record == "block":
            reading = HourlyPain(_number(row, "hours_after", line, 0, MAX_BLOCK_HOURS), _number(row, "pain", line))
            if diary.block and reading.hours_after <= diary.block[-1].hours_after:
                raise DiaryFileError(f"Line {line}, column 'hours_after': hours must go up, one row per hour.")
            diary = replace(diary, block=(*diary.block, reading))
        else:
            raise DiaryFileError(
                f"Line {line}, column 'record': expected injection, numbing, peg or block, found '{record[:20]}'."
            )
    return diary
