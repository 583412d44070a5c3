"""The spine drawing: valid SVG, one needle, its tip on the injection's target."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import pytest

from backpain_edu.render.diagram import TARGETS, spine_svg, spine_svg_data_uri


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_needle_tip_sits_on_the_target(target: str) -> None:
    root = ET.fromstring(spine_svg(target))
    lines = [el for el in root.iter() if el.tag.endswith("line") and el.get("stroke-width") == "3"]
    tips = {(int(el.get("x2")), int(el.get("y2"))) for el in lines}
    assert TARGETS[target] in tips


def test_targets_are_drawn_in_different_places() -> None:
    assert len(set(TARGETS.values())) == len(TARGETS)


def test_data_uri_decodes_to_the_same_svg_and_has_no_script() -> None:
    uri = spine_svg_data_uri("facet-joint")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert svg == spine_svg("facet-joint")
    assert not re.search(r"<script|on\w+=", svg)
