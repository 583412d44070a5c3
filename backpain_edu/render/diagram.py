"""A simple back view of the lower spine with a needle at the injection's target, as SVG.

Drawn here from shapes (no copied artwork), so every injection page shares one picture and
only the needle moves. It is a teaching sketch, not anatomy to scale.
"""

from __future__ import annotations

from base64 import b64encode

from backpain_edu.models import DiagramTarget

# Needle tip for each target, in the drawing's 320 x 360 coordinate space.
TARGETS: dict[str, tuple[int, int]] = {
    "epidural-space": (160, 159),
    "facet-joint": (186, 152),
    "medial-branch": (197, 160),
    "sacroiliac-joint": (192, 264),
    "muscle": (234, 112),
    "disc": (160, 95),
}

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


def spine_svg(target: DiagramTarget) -> str:
    """The drawing with the needle tip on ``target``."""
    x, y = TARGETS[target]
    bones = "".join(_vertebra(top) for top in (40, 104, 168))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 360" width="320" height="360">'
        f'<rect width="320" height="360" fill="#ffffff"/>{_muscle()}{bones}{_pelvis()}{_needle(x, y)}</svg>'
    )


def svg_data_uri(svg: str) -> str:
    """A drawing as a ``data:`` URI: shown with ``<img>``, so it costs no extra request (the spine, icon arrays)."""
    return "data:image/svg+xml;base64," + b64encode(svg.encode("utf-8")).decode("ascii")


def spine_svg_data_uri(target: DiagramTarget) -> str:
    return svg_data_uri(spine_svg(target))
