"""Labelled, large controls shared by every tool. Labels are UI words; content text comes in."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from backpain_edu.render.html import render_heading, render_text, widget_style

_SHARED: dict[tuple[type, tuple[tuple[str, object], ...]], w.Widget] = {}


def shared(kind: type[w.Widget], **properties: object) -> w.Widget:
    """The one layout or style with these properties, made once per kernel and shared by every control that has
    them. Each is a widget of its own that the kernel opens, sends and the page builds: without sharing, the
    checklist was 210 widgets, 137 of them layouts and styles, almost all alike. A shared one is never changed:
    :func:`show_when` gives a control another layout instead of changing its own."""
    key = (kind, tuple(sorted(properties.items())))
    made = _SHARED.get(key)
    if made is None or made.comm is None:  # made in a kernel whose widgets were all closed since
        made = _SHARED[key] = kind(**properties)
    return made


def control(kind: type[w.DOMWidget], *, layout: dict | None = None, style: dict | None = None, **traits: object):
    """A control of ``kind`` with a shared layout and style (:func:`shared`): ``layout`` and ``style`` are their
    properties, the defaults when not given."""
    own = kind.class_traits()
    if "style" in own:
        traits["style"] = shared(own["style"].klass, **(style or {}))
    return kind(layout=shared(w.Layout, **(layout or {})), **traits)


FULL_WIDTH = {"width": "100%"}


def checkbox(label: str) -> w.Checkbox:
    """A tick box whose whole label is the click target (CSS makes it at least 44 px high)."""
    return control(w.Checkbox, layout=FULL_WIDTH, value=False, description=label, indent=False)


def stacked(kind: type[w.DOMWidget], **traits: object) -> w.DOMWidget:
    """A control with its label above it, full width, so long questions wrap at 375 px."""
    made = control(kind, layout=FULL_WIDTH, style={"description_width": "initial"}, **traits)
    made.add_class("bpe-stack")
    return made


def radio(label: str, options: Sequence[tuple[str, object]]) -> w.RadioButtons:
    return stacked(w.RadioButtons, options=list(options), value=None, description=label)


def text_box(label: str, placeholder: str = "") -> w.Text:
    return stacked(w.Text, description=label, placeholder=placeholder, continuous_update=False)


def html(value: str = "") -> w.HTML:
    """HTML that a tool's callbacks fill in (its result, a message, a download link)."""
    return control(w.HTML, value=value)


def heading(text: str, level: int = 2) -> w.HTML:
    return html(render_heading(text, level))


def paragraph(text: str) -> w.HTML:
    return html(render_text(text))


def hint(text: str) -> w.HTML:
    """Smaller text under a control: what the ticked thing means."""
    return html(render_text(text, css="bpe-hint"))


def button(kind: type[w.DOMWidget] = w.Button, **traits: object) -> w.DOMWidget:
    """A button as wide as its label, for a row of :func:`buttons`."""
    return control(kind, layout={"width": "auto"}, **traits)


def buttons(*controls: w.DOMWidget) -> w.HBox:
    """A row of buttons (:func:`button`) that wraps on a narrow screen instead of cutting their labels."""
    box = control(w.HBox, children=list(controls))
    box.add_class("bpe-buttons")
    return box


def group(*children: w.Widget) -> w.VBox:
    """Controls that show and hide together (:func:`show_when`)."""
    return control(w.VBox, children=list(children))


def step(*children: w.Widget) -> w.VBox:
    box = control(w.VBox, layout=FULL_WIDTH, children=list(children))
    box.add_class("bpe-step")
    return box


def dropdown(label: str, options: Sequence[tuple[str, object]], value: object) -> w.Dropdown:
    """A native select: unlike ipywidgets' slider handle, it carries its label to screen readers."""
    return stacked(w.Dropdown, options=list(options), value=value, description=label)


def tool(*children: w.Widget) -> w.VBox:
    """The root of a tool, with the style that makes its controls large and labelled."""
    box = control(w.VBox, layout=FULL_WIDTH, children=[html(widget_style()), *children])
    box.add_class("bpe-tool")
    return box


def show_when(widget: w.DOMWidget, visible: bool) -> None:
    """Show or hide a control: it gets the shared layout that has its own properties and that display."""
    properties = {name: value for name, value in widget.layout.get_state().items() if value is not None}
    properties = {name: value for name, value in properties.items() if not name.startswith("_") and name != "display"}
    layout = shared(w.Layout, **properties, **({} if visible else {"display": "none"}))
    if widget.layout is not layout:
        widget.layout = layout
