"""The compare page: pick injections, see them side by side (all six to start with)."""

from __future__ import annotations

import ipywidgets as w

from backpain_edu.catalog import Catalog
from backpain_edu.render.html import render_page, render_text, render_tool_header
from backpain_edu.render.tool_pages import comparison_page
from backpain_edu.widgets._controls import checkbox, heading, step, tool

PAGE = "compare"
"""This tool's page in the site map (``pages.yaml``)."""


class CompareTool:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.picked = {i.id: checkbox(i.title) for i in catalog.injections}
        for box in self.picked.values():
            box.value = True
        self.table = w.HTML()
        words = catalog.labels.compare
        self.widget = tool(
            w.HTML(render_tool_header(catalog.site_map.page(PAGE).title, catalog.notice, words.intro)),
            step(heading(words.chooser), *self.picked.values()),
            step(self.table),
        )
        for box in self.picked.values():
            box.observe(self._update, names="value")
        self._update()

    def _update(self, _change: object = None) -> None:
        ids = tuple(i for i, box in self.picked.items() if box.value)
        self.table.value = (
            render_page(comparison_page(self.catalog, ids), embedded=True)
            if ids
            else render_text(self.catalog.labels.compare.none_picked)
        )
