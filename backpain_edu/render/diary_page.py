"""The pain diary result: scores, change against the baseline, charts, and what the numbers can mean.

The PEG score's change is shown without a threshold (no source gives one); the 2-point / 30%
yardstick shows only beside the pain score it was measured on. Block relief counts only within the
hours the clinic gave for the numbing medicine, and the warning signs after an injection close
the page. Every word comes from ``diary.yaml`` and ``labels.yaml``.
"""

from __future__ import annotations

from backpain_edu.catalog import Catalog
from backpain_edu.diary import Diary, baseline_peg, best_block_relief, latest_relief, pain_item_change, point_change
from backpain_edu.models import DiaryLabels
from backpain_edu.render.chart import block_chart_svg, peg_chart_svg, svg_data_uri
from backpain_edu.render.citations import Citations
from backpain_edu.render.dates import long_date, short_date
from backpain_edu.render.page import Block, Figure, Page, Section
from backpain_edu.render.reading_pages import warning_signs_section


def hours_text(hours: int, words: DiaryLabels) -> str:
    return words.one_hour if hours == 1 else words.hours.format(count=hours)


def _peg_lines(diary: Diary, catalog: Catalog, cite: Citations) -> tuple[Block, ...]:
    words = catalog.labels.diary
    lines = [Block(words.scores_saved.format(count=len(diary.peg)))]
    baseline = baseline_peg(diary)
    if diary.injection_day:
        lines.append(Block(words.injection_day_line.format(day=long_date(diary.injection_day, catalog.labels.page))))
    if baseline is not None:
        lines.append(Block(words.baseline.format(score=f"{baseline:.1f}")))
    relief, points = latest_relief(diary), point_change(diary)
    if relief is not None and points is not None:
        latest = words.latest_lower if points >= 0 else words.latest_higher
        text = latest.format(
            score=f"{diary.peg[-1].score:.1f}", points=f"{abs(points):.1f}", percent=f"{abs(relief):.0f}"
        )
        lines += [Block(text), cite.statement(catalog.diary.peg_change)]
    elif diary.peg:
        lines.append(Block(words.add_both_sides))
    pain = pain_item_change(diary)
    if pain is not None:
        before, now = pain
        lines += [
            Block(words.pain_item.format(before=f"{before:.1f}", now=now)),
            cite.statement(catalog.diary.meaningful_change),
        ]
    return tuple(lines)


def _peg_alt(diary: Diary, catalog: Catalog) -> str:
    words, dates = catalog.labels.diary, catalog.labels.page
    scores = ", ".join(
        words.chart_reading.format(label=short_date(e.day, dates), value=f"{e.score:.1f}") for e in diary.peg
    )
    marked = words.peg_chart_day.format(day=short_date(diary.injection_day, dates)) if diary.injection_day else ""
    return words.peg_chart.format(scores=scores) + marked


def _block_alt(diary: Diary, words: DiaryLabels) -> str:
    readings = ", ".join(
        words.chart_reading.format(label=words.chart_hour.format(hour=h.hours_after), value=h.pain) for h in diary.block
    )
    return words.block_chart.format(readings=readings)


def _block_line(diary: Diary, catalog: Catalog) -> Block:
    words = catalog.labels.diary
    if diary.numbing_hours is None:
        return Block(catalog.diary.block_hours_missing)
    relief = best_block_relief(diary)
    hours = hours_text(diary.numbing_hours, words)
    if relief is None:
        return Block(words.block_add_hours.format(hours=hours))
    return Block(words.block_relief.format(hours=hours, percent=f"{relief:.0f}"))


def diary_page(diary: Diary, catalog: Catalog) -> Page:
    """What the diary shows so far, framed as something to take to the doctor."""
    content, words, cite = catalog.diary, catalog.labels.diary, Citations(catalog)
    show = cite.statement(content.show_doctor)
    sections = []
    if diary.peg:
        figure = Figure(svg_data_uri(peg_chart_svg(diary, words)), _peg_alt(diary, catalog))
        sections.append(Section(content.peg_title, _peg_lines(diary, catalog, cite), "peg", figure=figure))
    if diary.block:
        figure = Figure(svg_data_uri(block_chart_svg(diary, words)), _block_alt(diary, words))
        lead = cite.statement(content.block_threshold)
        sections.append(Section(content.block_title, (_block_line(diary, catalog),), "block", lead=lead, figure=figure))
    if not sections:
        sections.append(Section(words.nothing_yet, (Block(words.nothing_yet_text),), "empty"))
    sections.append(warning_signs_section(catalog, cite))
    return cite.page(words.result_title, "diary", sections, summary=show)
