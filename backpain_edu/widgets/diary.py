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
from backpain_edu.render.diary_page import diary_page
from backpain_edu.render.document import TOOL_PAGES
from backpain_edu.render.html import render_download_link, render_page, render_text, render_tool_header
from backpain_edu.widgets._controls import buttons, dropdown, heading, hint, paragraph, stacked, step, tool

PRIVACY = "Your diary stays on this page only. To keep it, save it as a file. Next time, load that file here."
SCALE = [(str(n), n) for n in range(11)]
CHOOSE = ("Choose a number", None)
"""The PEG questions start empty: a preset number would nudge the answer."""
HOURS = [(f"Hour {n}", n) for n in range(MAX_BLOCK_HOURS + 1)]
NUMBING_HOURS = [("Not known yet", None), *((f"{n} {'hour' if n == 1 else 'hours'}", n) for n in range(1, 13))]


def _date_picker(label: str) -> w.DatePicker:
    return stacked(w.DatePicker(description=label, value=None))


class DiaryTool:
    """The widget tree of the diary and the callbacks that keep its charts and file current."""

    def __init__(self, catalog: Catalog, today: date | None = None) -> None:
        self.catalog, self.diary = catalog, Diary()
        content = catalog.diary
        self.injection_day = _date_picker("Injection day")
        self.peg_day = _date_picker("Date of this score")
        self.peg_day.value = today or date.today()
        self.pain = dropdown(content.peg_pain, [CHOOSE, *SCALE], None)
        self.enjoyment = dropdown(content.peg_enjoyment, [CHOOSE, *SCALE], None)
        self.activity = dropdown(content.peg_activity, [CHOOSE, *SCALE], None)
        self.add_score = w.Button(description="Add this score", button_style="primary")
        self.numbing_hours = dropdown(content.block_hours_question, NUMBING_HOURS, None)
        self.hour = dropdown("Hours after the block", HOURS, 0)
        self.hour_pain = dropdown("Pain now (0 is no pain, 10 is as bad as it can be)", SCALE, 5)
        self.add_hour = w.Button(description="Add this hour", button_style="primary")
        self.upload = w.FileUpload(accept=".csv", multiple=False, description="Load my diary file")
        self.message = w.HTML()
        self.download = w.HTML()
        self.result = w.HTML()
        self.widget = tool(
            w.HTML(render_tool_header(TOOL_PAGES[3].title, catalog.notice, content.intro.text)),
            hint(PRIVACY),
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
            self._say("Pick the date of this score first.")
            return
        if None in (self.pain.value, self.enjoyment.value, self.activity.value):
            self._say("Answer all three questions first.")
            return
        entry = PegEntry(self.peg_day.value, self.pain.value, self.enjoyment.value, self.activity.value)
        self.diary = add_peg(self.diary, entry)
        self._say(f"Score added for {entry.day:%d %B %Y}: {entry.score:.1f} out of 10.")
        self._show()

    def _add_hour(self, _button: object = None) -> None:
        self.diary = add_hourly(self.diary, HourlyPain(self.hour.value, self.hour_pain.value))
        self._say(f"Pain at hour {self.hour.value} added.")
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
            self._say(f"That file could not be loaded, so nothing changed. {error}")
        else:
            self.diary = loaded
            self.injection_day.value = loaded.injection_day
            self.numbing_hours.value = loaded.numbing_hours
            self._say("Your diary file is loaded.")
            self._show()
        finally:
            self.upload.value = ()  # the file is read; keep no copy of it in the widget

    def _show(self) -> None:
        self.result.value = render_page(diary_page(self.diary, self.catalog), embedded=True)
        data = to_csv(self.diary).encode("utf-8")
        self.download.value = render_download_link(data, "pain-diary.csv", "text/csv", "Save my diary as a file (CSV)")
