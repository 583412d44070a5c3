"""The About page (who made the guide, who paid, how its content is chosen and updated) and the change log behind it:
every content version, with a fingerprint of the content, so no change goes unlogged (`backpain-edu validate`)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from backpain_edu.app.configuration import frame
from backpain_edu.app.pages import site_pages
from backpain_edu.catalog import CONTENT_DIR, load_catalog_from, load_languages
from backpain_edu.models import ContentError
from backpain_edu.render.dates import long_date
from backpain_edu.render.html import render_page
from backpain_edu.render.reading_pages import ABOUT_PAGE, about_page

CATALOGS = {code: load_catalog_from(CONTENT_DIR, language=code) for code in load_languages().codes}
PARTS = ("who", "funding", "sources", "updates", "report")
"""What IPDAS asks a decision aid to show: who made it, funding and conflicts, how content was chosen, updates."""


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("language", CATALOGS)
def test_the_about_page_says_who_made_it_who_paid_how_content_is_chosen_and_updated_and_what_changed(
    language: str,
) -> None:
    catalog = CATALOGS[language]
    page = about_page(catalog)
    assert page.title == catalog.site_map.page(ABOUT_PAGE).title
    assert [s.anchor for s in page.sections] == [*PARTS, "changes"]
    text = _text(render_page(page))
    for part in catalog.about.parts:
        assert part.heading in text and all(" ".join(line.split()) in text for line in part.text)
    # Every version, newest first, with its date and its changes; the review dates in the footer lines.
    versions = page.sections[-1].subsections
    assert [v.heading for v in versions] == [
        f"{e.version}, {long_date(e.released, catalog.labels.page)}" for e in catalog.changelog.entries
    ]
    assert all(versions[i].blocks for i in range(len(versions)))
    assert page.footer and catalog.governance.content_version in page.footer[0]


@pytest.mark.parametrize("language", CATALOGS)
def test_every_page_of_the_app_links_the_about_page_from_its_footer(language: str) -> None:
    from backpain_edu.app.configuration import NOTEBOOKS_DIR

    catalog = CATALOGS[language]
    source = language == load_languages().source.code
    pages = site_pages(catalog.site_map, NOTEBOOKS_DIR, "" if source else language)
    app = frame(catalog, pages, {})
    assert app["about_file"].rsplit("/", 1)[-1] == catalog.site_map.notebook(ABOUT_PAGE)
    template = (
        Path(__file__).parents[1] / "backpain_edu/app/share/jupyter/voila/templates/backpain/frame.html.j2"
    ).read_text(encoding="utf-8")
    assert "app.about_file" in template.split('<footer class="bpe-footer">', 1)[1].split("</footer>", 1)[0]


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("fingerprint", "not-a-hash", "entries[0].fingerprint"),
        ("version", "2099.01", "entries[0].version"),
        ("changes", [], "entries[0].changes"),
    ],
)
def test_a_bad_change_log_fails_on_load_naming_the_file_and_field(
    content_copy: Path, field: str, value: object, where: str
) -> None:
    path = content_copy / "changelog.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"][0][field] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog_from(content_copy)
    assert caught.value.file == "changelog.yaml" and caught.value.field.startswith(where)
