"""Pain diary charts, drawn with matplotlib as SVG and shown as an <img> with alt text.

matplotlib is imported only when a chart is drawn, so pages without a diary never pay for it.
The image is a data: URI: nothing is written to disk and no extra request is made.
"""

from __future__ import annotations

import io
from base64 import b64encode

from backpain_edu.diary import Diary
from backpain_edu.models import DiaryLabels

INK = "#1a1a1a"
LINE = "#0b4f9c"
MARK = "#a4161a"


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _figure():
    from matplotlib.figure import Figure  # the object API: no global pyplot state, safe per kernel

    figure = Figure(figsize=(6.4, 3.4), dpi=100)
    axes = figure.add_subplot()
    axes.set_ylim(0, 10)
    axes.set_yticks(range(0, 11, 2))
    axes.grid(axis="y", color="#d0d0d0")
    axes.tick_params(colors=INK, labelsize=11)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def peg_chart_svg(diary: Diary, words: DiaryLabels) -> str:
    """PEG score over time, with the injection day marked by a dashed line."""
    figure, axes = _figure()
    days = [entry.day for entry in diary.peg]
    axes.plot(days, [entry.score for entry in diary.peg], marker="o", color=LINE, linewidth=2.5)
    if diary.injection_day:
        axes.axvline(diary.injection_day, color=MARK, linestyle="--", linewidth=2)
        axes.annotate(words.chart_injection, (diary.injection_day, 9.6), color=MARK, fontsize=11, ha="left")
    axes.set_ylabel(words.peg_axis, color=INK, fontsize=11)
    figure.autofmt_xdate()
    return _svg(figure)


def block_chart_svg(diary: Diary, words: DiaryLabels) -> str:
    """Pain hour by hour after a block (hour 0 is just before it)."""
    figure, axes = _figure()
    axes.plot(
        [h.hours_after for h in diary.block], [h.pain for h in diary.block], marker="o", color=LINE, linewidth=2.5
    )
    axes.set_xlabel(words.hours_axis, color=INK, fontsize=11)
    axes.set_ylabel(words.pain_axis, color=INK, fontsize=11)
    return _svg(figure)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + b64encode(svg.encode("utf-8")).decode("ascii")
