"""The pain diary result: scores, relief against the baseline, charts, and what the numbers can mean."""

from __future__ import annotations

from backpain_edu.catalog import Catalog
from backpain_edu.diary import Diary, baseline_peg, best_block_relief, latest_relief, point_change
from backpain_edu.render.chart import block_chart_svg, peg_chart_svg, svg_data_uri
from backpain_edu.render.document import Block, Citations, Figure, Page, Section


def _peg_lines(diary: Diary) -> tuple[Block, ...]:
    lines = [f"Scores saved: {len(diary.peg)}."]
    baseline = baseline_peg(diary)
    if diary.injection_day:
        lines.append(f"Injection day: {diary.injection_day:%d %B %Y}.")
    if baseline is not None:
        lines.append(f"Average score before the injection: {baseline:.1f} out of 10.")
    relief, points = latest_relief(diary), point_change(diary)
    if relief is not None and points is not None:
        latest = diary.peg[-1].score
        direction = "lower" if points >= 0 else "higher"
        lines.append(
            f"Latest score: {latest:.1f}. That is {abs(points):.1f} points {direction} than before, "
            f"a {relief:.0f}% change."
        )
    elif diary.peg:
        lines.append("Add scores from before and after the injection day to see the change.")
    return tuple(Block(line) for line in lines)


def _peg_alt(diary: Diary) -> str:
    scores = ", ".join(f"{e.day:%d %b}: {e.score:.1f}" for e in diary.peg)
    marked = f" The injection day, {diary.injection_day:%d %b}, is marked." if diary.injection_day else ""
    return f"Chart of your PEG score over time. {scores}.{marked}"


def _block_alt(diary: Diary) -> str:
    readings = ", ".join(f"hour {h.hours_after}: {h.pain}" for h in diary.block)
    return f"Chart of your pain in the hours after the block. {readings}."


def diary_page(diary: Diary, catalog: Catalog) -> Page:
    """What the diary shows so far, framed as something to take to the doctor."""
    content, cite = catalog.diary, Citations(catalog)
    show = cite.statement(content.show_doctor)
    sections = []
    if diary.peg:
        figure = Figure(svg_data_uri(peg_chart_svg(diary)), _peg_alt(diary))
        lead = cite.statement(content.meaningful_change)
        sections.append(Section(content.peg_title, _peg_lines(diary), "peg", lead=lead, figure=figure))
    if diary.block:
        relief = best_block_relief(diary)
        lines = (
            Block(
                f"Best relief: {relief:.0f}% less pain than at hour 0."
                if relief is not None
                else "Add hour 0 (just before the block) and later hours to see the relief."
            ),
        )
        figure = Figure(svg_data_uri(block_chart_svg(diary)), _block_alt(diary))
        lead = cite.statement(content.block_threshold)
        sections.append(Section(content.block_title, lines, "block", lead=lead, figure=figure))
    if not sections:
        sections.append(Section("Nothing saved yet", (Block("Add a score above, or load your diary file."),), "empty"))
    return Page("What your diary shows", "diary", catalog.site.notice, show, tuple(sections), (), cite.sources())
