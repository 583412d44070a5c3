"""The spine drawing: valid SVG, one needle, its tip on the injection's target."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html import escape

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


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_drawing_labels_a_bone_its_target_and_the_needle_tip_and_has_a_visible_caption(language: str) -> None:
    from html import unescape

    from backpain_edu.catalog import CONTENT_DIR, load_catalog_from
    from backpain_edu.render.html import render_page
    from backpain_edu.render.reading_pages import injection_page
    from tests.test_render_pdf import flat, injection_pdf_text

    catalog = load_catalog_from(CONTENT_DIR, language=language)
    words = catalog.labels.diagram
    for injection in catalog.injections:
        target = injection.diagram.target
        svg = unescape(re.sub(r"</tspan><tspan[^>]*>", " ", spine_svg(target, words)))
        for label in (words.bone, words.targets[target], words.needle_tip):
            assert label in svg, (injection.id, label)
        # The muscle is drawn only where the needle goes into one (the trigger point).
        assert ('fill="#f2c9c0"' in svg) == (target == "muscle"), injection.id
        caption = words.caption.format(target=words.targets[target])
        html = render_page(injection_page(injection, catalog))
        assert f"<figcaption>{escape(caption)}</figcaption>" in html
        assert f'alt="{escape(injection.diagram.alt)}"' in html
        assert flat(caption) in injection_pdf_text(language, injection.id)
