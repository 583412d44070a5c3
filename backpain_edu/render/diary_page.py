"""The pain diary result: scores, change against the baseline, charts, and what the numbers can mean.

The PEG score's change is shown without a threshold (no source gives one); the 2-point / 30%
yardstick shows only beside the pain score it was measured on. Block relief counts only within the
hours the clinic gave for the numbing medicine, and the warning signs after an injection close
the page.
"""

from __future__ import annotations

from backpain_edu.catalog import Catalog
from backpain_edu.diary import Diary, baseline_peg, best_block_relief, latest_relief, pain_item_change, point_change
from backpain_edu.render.chart import block_chart_svg, peg_chart_svg, svg_data_uri
from backpain_edu.render.document import Block, Citations, Figure, Page, Section, warning_signs_section


def _peg_lines(diary: Diary, catalog: Catalog, cite: Citations) -> tuple[Block, ...]:
    lines = [Block(f"Scores saved: {len(diary.peg)}.")]
    baseline = baseline_peg(diary)
    if diary.injection_day:
        lines.append(Block(f"Injection day: {diary.injection_day:%d %B %Y}."))
    if baseline is not None:
        lines.append(Block(f"Average score before the injection: {baseline:.1f} out of 10."))
    relief, points = latest_relief(diary), point_change(diary)
    if relief is not None and points is not None:
        latest = diary.peg[-1].score
        direction = "lower" if points >= 0 else "higher"
        lines.append(
            Block(
                f"Latest score: {latest:.1f}. That is {abs(points):.1f} points {direction} than before, "
                f"a {abs(relief):.0f}% change."
            )
        )
        lines.append(cite.statement(catalog.diary.peg_change))
    elif diary.peg:
        lines.append(Block("Add scores from before and after the injection day to see the change."))
    pain = pain_item_change(diary)
    if pain is not None:
        before, now = pain
        lines.append(Block(f"Your pain score (the first question): {before:.1f} on average before, {now} now."))
        lines.append(cite.statement(catalog.diary.meaningful_change))
    return tuple(lines)


def _peg_alt(diary: Diary) -> str:
    scores = ", ".join(f"{e.day:%d %b}: {e.score:.1f}" for e in diary.peg)
    marked = f" The injection day, {diary.injection_day:%d %b}, is marked." if diary.injection_day else ""
    return f"Chart of your PEG score over time. {scores}.{marked}"


def _block_alt(diary: Diary) -> str:
    readings = ", ".join(f"hour {h.hours_after}: {h.pain}" for h in diary.block)
    return f"Chart of your pain in the hours after the block. {readings}."


def _block_line(diary: Diary, catalog: Catalog) -> Block:
    if diary.numbing_hours is None:
        return Block(catalog.diary.block_hours_missing)
    relief = best_block_relief(diary)
    hours = "1 hour" if diary.numbing_hours == 1 else f"{diary.numbing_hours} hours"
    if relief is None:
        return Block(f"Add hour 0 (just before the block) and hours in the first {hours} to see the relief.")
    return Block(
        f"Best relief in the first {hours}, while the numbing medicine works: {relief:.0f}% less pain than at hour 0."
    )


def diary_page(diary: Diary, catalog: Catalog) -> Page:
    """What the diary shows so far, framed as something to take to the doctor."""
    content, cite = catalog.diary, Citations(catalog)
    show = cite.statement(content.show_doctor)
    sections = []
    if diary.peg:
        figure = Figure(svg_data_uri(peg_chart_svg(diary)), _peg_alt(diary))
        sections.append(Section(content.peg_title, _peg_lines(diary, catalog, cite), "peg", figure=figure))
    if diary.block:
        figure = Figure(svg_data_uri(block_chart_svg(diary)), _block_alt(diary))
        lead = cite.statement(content.block_threshold)
        sections.append(Section(content.block_title, (_block_line(diary, catalog),), "block", lead=lead, figure=figure))
    if not sections:
        sections.append(Section("Nothing saved yet", (Block("Add a score above, or load your diary file."),), "empty"))
    sections.append(warning_signs_section(catalog, cite))
    return Page("What your diary shows", "diary", catalog.notice, show, tuple(sections), (), cite.sources())
