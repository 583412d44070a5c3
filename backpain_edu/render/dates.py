"""Dates in a patient's words, from the month names in ``labels.yaml`` (not the server's locale)."""

from __future__ import annotations

from datetime import date

from backpain_edu.models import PageLabels


def long_date(day: date, words: PageLabels) -> str:
    """``1 December 2026``."""
    return words.date.format(day=day.day, month=words.months[day.month - 1], year=day.year)


def short_date(day: date, words: PageLabels) -> str:
    """``1 Dec``, for chart descriptions."""
    return words.short_date.format(day=day.day, month=words.short_months[day.month - 1])
