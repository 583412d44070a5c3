"""Labelled, large controls shared by every tool. Labels are UI words; content text comes in."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from backpain_edu.render.html import render_heading, render_text, widget_style

WIDE_LABEL = {"description_width": "initial"}


def _full_width() -> w.Layout:
    """A layout of its own for each control: a shared one would carry one control's ``display: none`` (``show_when``)
    to every control that shares it, hiding the whole tool."""
    return w.Layout(width="100%")


def checkbox(label: str) -> w.Checkbox:
    """A tick box whose whole label is the click target (CSS makes it at least 44 px high)."""
    return w.Checkbox(value=False, description=label, indent=False, layout=_full_width())


def stacked(control: w.DOMWidget) -> w.DOMWidget:
    """Put a control's label above it, full width, so long questions wrap at 375 px."""
    control.style.description_width = "initial"
    control.layout.width = "100%"
    control.add_class("bpe-stack")
    return control


def radio(label: str, options: Sequence[tuple[str, object]]) -> w.RadioButtons:
    return stacked(w.RadioButtons(options=list(options), value=None, description=label))


def text_box(label: str, placeholder: str = "") -> w.Text:
    return stacked(w.Text(description=label, placeholder=placeholder, continuous_update=False))


def heading(text: str, level: int = 2) -> w.HTML:
    return w.HTML(render_heading(text, level))


def paragraph(text: str) -> w.HTML:
    return w.HTML(render_text(text))


def hint(text: str) -> w.HTML:
    """Smaller text under a control: what the ticked thing means."""
    return w.HTML(render_text(text, css="bpe-hint"))


def buttons(*controls: w.DOMWidget) -> w.HBox:
    """A row of buttons that wraps on a narrow screen instead of cutting their labels."""
    for control in controls:
        control.layout.width = "auto"
    box = w.HBox(list(controls))
    box.add_class("bpe-buttons")
    return box


def step(*children: w.Widget) -> w.VBox:
    box = w.VBox(list(children), layout=_full_width())
    box.add_class("bpe-step")
    return box


def dropdown(label: str, options: Sequence[tuple[str, object]], value: object) -> w.Dropdown:
    """A native select: unlike ipywidgets' slider handle, it carries its label to screen readers."""
    return stacked(w.Dropdown(options=list(options), value=value, description=label))


def tool(*children: w.Widget) -> w.VBox:
    """The root of a tool, with the style that makes its controls large and labelled."""
    box = w.VBox([w.HTML(widget_style()), *children], layout=_full_width())
    box.add_class("bpe-tool")
    return box


def show_when(widget: w.DOMWidget, visible: bool) -> None:
    widget.layout.display = "flex" if visible else "none"
