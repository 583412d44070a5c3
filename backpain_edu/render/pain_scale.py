"""A change on a 0 to 10 pain scale, drawn beside the change most people notice: for a study that gives only a mean
change, where counting people (an icon array) would invent numbers. Two bars on one ruler: the change (filled) and
the noticeable change (outlined and dashed, so shape tells them apart, not only colour: WCAG 1.4.1).
"""

from __future__ import annotations

from html import escape

from backpain_edu.models import ScaleFinding
from backpain_edu.render.icon_array import FILLED, OUTLINE

UNIT = 28
"""One point of the scale, in SVG units: 0 to 10 is 280 wide, which fits a 375 px phone."""
MARGIN = 8
BAR = 16
ROW = 46
"""A bar with its label above it."""


def pain_scale_svg(scale: ScaleFinding) -> tuple[str, int, int]:
    """The picture, its width and its height."""
    width = 10 * UNIT + 2 * MARGIN
    rows = (
        (scale.label, scale.change, f'fill="{FILLED}"'),
        (
            scale.noticeable_label,
            scale.noticeable,
            f'fill="#ffffff" stroke="{OUTLINE}" stroke-width="2" stroke-dasharray="5 3"',
        ),
    )
    parts = []
    for index, (label, points, style) in enumerate(rows):
        top = index * ROW
        parts.append(f'<text x="0" y="{top + 13}" font-size="12" font-weight="700">{escape(label)}</text>')
        parts.append(f'<rect x="0" y="{top + 20}" width="{points * UNIT:g}" height="{BAR}" rx="2" {style}/>')
    ruler = 2 * ROW + 6
    ticks = "".join(
        f'<line x1="{n * UNIT}" y1="{ruler}" x2="{n * UNIT}" y2="{ruler + 6}" stroke="#1b1b1b"/>'
        f'<text x="{n * UNIT}" y="{ruler + 20}" font-size="12" text-anchor="middle">{n}</text>'
        for n in range(11)
    )
    parts.append(f'<line x1="0" y1="{ruler}" x2="{10 * UNIT}" y2="{ruler}" stroke="#1b1b1b"/>{ticks}')
    height = ruler + 24 + 2 * MARGIN
    body = f'<g transform="translate({MARGIN} {MARGIN})">{"".join(parts)}</g>'
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" fill="#1b1b1b">{body}</svg>'
    )
    return svg, width, height


def pain_ruler_svg(low: str, high: str) -> tuple[str, int, int]:
    """The 0 to 10 scale a reader scores their pain on, its ends named (0 = ``low``, 10 = ``high``): shown where the
    page asks for a score, so the reader sees the scale they are asked to use. The picture, its width and height."""
    width = 10 * UNIT + 2 * MARGIN
    ruler = 24
    ticks = "".join(
        f'<line x1="{n * UNIT}" y1="{ruler}" x2="{n * UNIT}" y2="{ruler + 8}" stroke="#1b1b1b"/>'
        f'<text x="{n * UNIT}" y="{ruler + 24}" font-size="13" text-anchor="middle">{n}</text>'
        for n in range(11)
    )
    ends = (
        f'<text x="0" y="13" font-size="12" font-weight="700">{escape(low)}</text>'
        f'<text x="{10 * UNIT}" y="13" font-size="12" font-weight="700" text-anchor="end">{escape(high)}</text>'
    )
    line = f'<line x1="0" y1="{ruler}" x2="{10 * UNIT}" y2="{ruler}" stroke="#1b1b1b" stroke-width="2"/>'
    height = ruler + 30 + 2 * MARGIN
    body = f'<g transform="translate({MARGIN} {MARGIN})">{ends}{line}{ticks}</g>'
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" fill="#1b1b1b">{body}</svg>'
    )
    return svg, width, height
