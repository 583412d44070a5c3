"""Icon arrays: "N out of 100" as 100 small figures, some filled, for each option of one finding.

People read counts out of 100 better as a picture than as percentages, above all with low numeracy or in a
second language; the two options of one finding share one denominator and one time frame (a ``Finding``
has one ``per``), so the picture never mixes them. Filled and outlined figures differ in shape as well as
colour (WCAG 1.4.1), and the outline keeps 3:1 contrast on white (WCAG 1.4.11). The same SVG is the web page's
image and the PDF's: one picture for both.
"""

from __future__ import annotations

from html import escape

from backpain_edu.models import Finding

FILLED = "#1a4f8b"
OUTLINE = "#767676"
CELL = 14
"""One figure's square, in SVG units: 10 across makes a grid 140 wide, two grids fit a 375 px phone."""
GAP = 30
LABEL = 34
"""Room above each grid for its label and its count."""
MARGIN = 6


def _figure(x: float, y: float, filled: bool) -> str:
    """A person: a head and a body, filled (had the outcome) or outlined (did not)."""
    style = f'fill="{FILLED}"' if filled else f'fill="#ffffff" stroke="{OUTLINE}" stroke-width="1"'
    return (
        f'<circle cx="{x + 7}" cy="{y + 3.5}" r="2.5" {style}/>'
        f'<rect x="{x + 3}" y="{y + 7}" width="8" height="6" rx="2.5" {style}/>'
    )


def icon_array_svg(finding: Finding, count_words: str) -> tuple[str, int, int]:
    """Each arm of a finding side by side (one or two), each 100 figures (10 by 10) with its label and its count;
    with the picture's width and height, so a page and a PDF draw it at its own size (one arm is half as wide).

    ``count_words`` is the language's "{count} out of {per}" (labels.yaml), shown under each label.
    """
    columns, rows, arms = 10, finding.per // 10, len(finding.arms)
    grid = columns * CELL
    width, height = arms * grid + (arms - 1) * GAP + 2 * MARGIN, LABEL + rows * CELL + 2 * MARGIN
    parts = []
    for index, arm in enumerate(finding.arms):
        left = index * (grid + GAP)
        filled = arm.count
        count = escape(count_words.format(count=arm.count, per=finding.per))
        parts.append(
            f'<text x="{left}" y="13" font-size="12" font-weight="700">{escape(arm.label)}</text>'
            f'<text x="{left}" y="28" font-size="12">{count}</text>'
        )
        # Filled figures first, row by row from the top left: the eye counts them in tens.
        parts += [
            _figure(left + (n % columns) * CELL, LABEL + (n // columns) * CELL, n < filled)
            for n in range(columns * rows)
        ]
    body = f'<g transform="translate({MARGIN} {MARGIN})">{"".join(parts)}</g>'
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" fill="#1b1b1b">{body}</svg>'
    )
    return svg, width, height
