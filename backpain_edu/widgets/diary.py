"""The pain diary page: PEG scores, hourly pain after a block, charts, and the patient's own file.

The diary lives only in this page's kernel. To keep it, the patient downloads it (a data: link,
nothing written on the server) and loads it back next time. A bad file shows a message and the
diary on screen stays as it was.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import ipywidgets as w

from backpain_edu.catalog import Catalog
from backpain_edu.diary import (
    MAX_BLOCK_HOURS,
    Diary,
    DiaryFileError,
    HourlyPain,
    PegEntry,
    add_hourly,
    add_peg,
    from_csv,
    set_numbing_hours,
    to_csv,
)
from backpain_edu.render.dates import long_date
from backpain_edu.render.diary_page import diary_page, hours_text
from backpain_edu.render.html import render_download_link, render_page, render_text
from backpain_edu.render.html_tools import render_tool_page_header
from backpain_edu.widgets._controls import (
    button,
    buttons,
    dropdown,
    heading,
    hint,
    html,
    paragraph,
    stacked,
    step,
    tool,
)

PAGE = "diary"
"""This tool's page in the site map (``pages.yaml``)."""
SCALE = [(str(n), n) for n in range(11)]
NUMBING_CHOICES = range(1, 13)
"""How long the clinic says the numbing medicine lasts: a few hours, at most half a day."""


def _date_picker(label: str) -> w.DatePicker:
    return stacked(w.DatePicker, description=label, value=None)


class DiaryTool:
    """The widget tree of the diary and the callbacks that keep its charts and file current."""

    def __init__(self, catalog: Catalog, today: date | None = None) -> None:
        self.catalog, self.diary = catalog, Diary()
        content, words = catalog.diary, catalog.labels.diary
        self.words = words
        self.injection_day = _date_picker(words.injection_day)
        self.peg_day = _date_picker(words.score_day)
        self.peg_day.value = today or date.today()
        # The PEG questions start empty: a preset number would nudge the answer.
        choose = [(words.choose_number, None), *SCALE]
        self.pain = dropdown(content.peg_pain, choose, None)
        self.enjoyment = dropdown(content.peg_enjoyment, choose, None)
        self.activity = dropdown(content.peg_activity, choose, None)
        self.add_score = button(description=words.add_score, button_style="primary")
        numbing = [(words.not_known_yet, None), *((hours_text(n, words), n) for n in NUMBING_CHOICES)]
        self.numbing_hours = dropdown(content.block_hours_question, numbing, None)
        hours = [(words.hour_option.format(hour=n), n) for n in range(MAX_BLOCK_HOURS + 1)]
        self.hour = dropdown(words.hour, hours, 0)
        self.hour_pain = dropdown(words.hour_pain, SCALE, 5)
        self.add_hour = button(description=words.add_hour, button_style="primary")
        self.upload = button(w.FileUpload, accept=".csv", multiple=False, description=words.upload)
        self.message = html()
        self.download = html()
        self.result = html()
        # Shown as plain HTML before the tool (widgets.show_tool): it reads before any script runs.
        self.header = render_tool_page_header(catalog, PAGE)
        self.widget = tool(
            hint(words.privacy),
            step(buttons(self.upload), self.message),
            step(self.injection_day),
            step(heading(content.peg_title), paragraph(content.peg_about.text), self.peg_day, self.pain,
                 self.enjoyment, self.activity, buttons(self.add_score)),
            step(heading(content.block_title), paragraph(content.block_about.text), self.numbing_hours, self.hour,
                 self.hour_pain, buttons(self.add_hour)),
            step(self.result, self.download),
        )  # fmt: skip
        self.add_score.on_click(self._add_score)
        self.add_hour.on_click(self._add_hour)
        self.injection_day.observe(self._set_injection_day, names="value")
        self.numbing_hours.observe(self._set_numbing_hours, names="value")
        self.upload.observe(self._load, names="value")
        self._show()

    def _say(self, text: str) -> None:
        self.message.value = render_text(text, css="bpe-hint")

    def _add_score(self, _button: object = None) -> None:
        if self.peg_day.value is None:
            self._say(self.words.pick_date_first)
            return
        if None in (self.pain.value, self.enjoyment.value, self.activity.value):
            self._say(self.words.answer_all)
            return
        entry = PegEntry(self.peg_day.value, self.pain.value, self.enjoyment.value, self.activity.value)
        self.diary = add_peg(self.diary, entry)
        day = long_date(entry.day, self.catalog.labels.page)
        self._say(self.words.score_added.format(day=day, score=f"{entry.score:.1f}"))
        self._show()

    def _add_hour(self, _button: object = None) -> None:
        self.diary = add_hourly(self.diary, HourlyPain(self.hour.value, self.hour_pain.value))
        self._say(self.words.hour_added.format(hour=self.hour.value))
        self._show()

    def _set_injection_day(self, change: dict) -> None:
        self.diary = replace(self.diary, injection_day=change["new"])
        self._show()

    def _set_numbing_hours(self, change: dict) -> None:
        self.diary = set_numbing_hours(self.diary, change["new"])
        self._show()

    def _load(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        try:
            loaded = from_csv(bytes(files[0]["content"]))
        except DiaryFileError as error:
            self._say(self.words.file_failed.format(error=error))
        else:
            self.diary = loaded
            self.injection_day.value = loaded.injection_day
            self.numbing_hours.value = loaded.numbing_hours
            self._say(self.words.file_loaded)
            self._show()
        finally:
            self.upload.value = ()  # the file is read; keep no copy of it in the widget

    def _show(self) -> None:
        self.result.value = render_page(diary_page(self.diary, self.catalog), embedded=True)
        data = to_csv(self.diary).encode("utf-8")
        self.download.value = render_download_link(data, self.words.file_name, "text/csv", self.words.save)
