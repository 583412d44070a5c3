"""A simple back view of the lower spine with a needle at the injection's target, as SVG.

Drawn here from shapes (no copied artwork), so every injection page shares one picture and
only the needle moves. It is a teaching sketch, not anatomy to scale.
"""

from __future__ import annotations

from base64 import b64encode
from html import escape

from backpain_edu.models import DiagramLabels, DiagramTarget

# Needle tip for each target, in the drawing's 320 x 360 coordinate space.
TARGETS: dict[str, tuple[int, int]] = {
    "epidural-space": (160, 159),
    "facet-joint": (186, 152),
    "medial-branch": (197, 160),
    "sacroiliac-joint": (192, 264),
    "muscle": (234, 112),
    "disc": (160, 95),
}

LABELS_WIDTH = 130
"""Room on the left for the labels (bone, target, needle tip), each joined to its part by a thin line."""
WIDTH, HEIGHT = 320 + LABELS_WIDTH, 360
INK = "#1a1a1a"
BONE = "#f3ede2"
TARGET = "#a4161a"


def _vertebra(y: int) -> str:
    """A lumbar bone seen from behind: body, spinous process and a pair of facet joints."""
    return (
        f'<rect x="110" y="{y}" width="100" height="46" rx="10" fill="{BONE}" stroke="{INK}" stroke-width="2"/>'
        f'<rect x="152" y="{y + 8}" width="16" height="34" rx="6" fill="#e2d8c6" stroke="{INK}"/>'
        f'<circle cx="134" cy="{y + 48}" r="7" fill="#e2d8c6" stroke="{INK}"/>'
        f'<circle cx="186" cy="{y + 48}" r="7" fill="#e2d8c6" stroke="{INK}"/>'
    )


def _pelvis() -> str:
    return (
        f'<path d="M122 228 L198 228 L186 318 L160 336 L134 318 Z" fill="{BONE}" stroke="{INK}" stroke-width="2"/>'
        f'<path d="M120 232 C70 220 40 250 52 300 C70 318 110 318 130 312 Z" fill="{BONE}" '
        f'stroke="{INK}" stroke-width="2"/>'
        f'<path d="M200 232 C250 220 280 250 268 300 C250 318 210 318 190 312 Z" fill="{BONE}" '
        f'stroke="{INK}" stroke-width="2"/>'
        f'<line x1="124" y1="240" x2="134" y2="306" stroke="{INK}" stroke-width="3"/>'
        f'<line x1="196" y1="240" x2="186" y2="306" stroke="{INK}" stroke-width="3"/>'
    )


def _muscle() -> str:
    return (
        '<rect x="216" y="40" width="36" height="170" rx="18" fill="#f2c9c0" stroke="#7a3b2e" stroke-width="2"/>'
        '<circle cx="234" cy="112" r="6" fill="#c96f5e"/>'
    )


def _needle(x: int, y: int) -> str:
    # The needle comes in from the upper right, the way most drawings for patients show it.
    start_x, start_y = x + 56, y - 56
    return (
        f'<circle cx="{x}" cy="{y}" r="11" fill="none" stroke="{TARGET}" stroke-width="3"/>'
        f'<line x1="{start_x}" y1="{start_y}" x2="{x}" y2="{y}" stroke="{INK}" stroke-width="3"/>'
        f'<rect x="{start_x - 6}" y="{start_y - 30}" width="12" height="34" rx="3" '
        f'transform="rotate(45 {start_x} {start_y})" fill="#d9e6f5" stroke="{INK}" stroke-width="2"/>'
    )


def _label(text: str, y: int, to: tuple[int, int]) -> str:
    """Words on the left, in short lines, joined by a thin line to the part they name."""
    words, lines = text.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + len(word) >= 17:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    spans = "".join(
        f'<tspan x="{-LABELS_WIDTH + 4}" dy="{0 if n == 0 else 15}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    end_y = y + 7 * (len(lines) - 1) - 4
    return (
        f'<text y="{y}" font-size="13" font-family="sans-serif" fill="{INK}">{spans}</text>'
        f'<line x1="-8" y1="{end_y}" x2="{to[0]}" y2="{to[1]}" stroke="#4a4a4a" stroke-width="1"/>'
    )


def spine_svg(target: DiagramTarget, words: DiagramLabels | None = None) -> str:
    """The drawing with the needle tip on ``target``; with ``words``, labels for a back bone, the target and the
    needle tip. The muscle is drawn only where the target is in it (the trigger point)."""
    x, y = TARGETS[target]
    bones = "".join(_vertebra(top) for top in (40, 104, 168))
    muscle = _muscle() if target == "muscle" else ""
    labels = ""
    if words is not None:
        labels = (
            _label(words.bone, 30, (112, 50))
            + _label(words.targets[target], y + 40 if y < 200 else y - 30, (x - 12, y + 4))
            + _label(words.needle_tip, 340, (x - 4, y + 10))
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-LABELS_WIDTH} 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        f'<rect x="{-LABELS_WIDTH}" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        f"{muscle}{bones}{_pelvis()}{_needle(x, y)}{labels}</svg>"
    )


def svg_data_uri(svg: str) -> str:
    """A drawing as a ``data:`` URI: shown with ``<img>``, so it costs no extra request (the spine, icon arrays)."""
    return "data:image/svg+xml;base64," + b64encode(svg.encode("utf-8")).decode("ascii")


def spine_svg_data_uri(target: DiagramTarget, words: DiagramLabels | None = None) -> str:
    return svg_data_uri(spine_svg(target, words))
