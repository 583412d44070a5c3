"""The knowledge check, the question list and the comparison as HTML: structure, ids, and the CSS hooks.

What the boxes show when ticked is checked in a real browser (``tests/browser/test_html_native.py``);
here, that every input, label and shown-on-tick element carries what ``controls.css`` targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from backpain_edu.catalog import Catalog, load_catalog_from
from backpain_edu.knowledge_check import right_option
from backpain_edu.render.html import CONTROL_STYLE, render_page
from backpain_edu.render.html_tools import (
    SCORE_COUNTERS,
    render_comparison,
    render_knowledge_check,
    render_question_list,
)
from backpain_edu.render.reading_pages import injection_page
from backpain_edu.render.tool_pages import CARE_PLAN

VOID = {"input", "img", "br", "meta", "link", "hr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str | None = None, css: str | None = None) -> list[Node]:
        """Every descendant with this tag and/or class, in document order."""
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (css is None or css in child.classes()):
                found.append(child)
            found += child.find(tag, css)
        return found

    def words(self) -> str:
        return " ".join((self.text + " " + " ".join(c.words() for c in self.children)).split())


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("root", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open[-1].tag != "style":
            self.open[-1].text += data


def _tree(html: str) -> Node:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    assert parser.open == [parser.root], "an element is left open"
    return parser.root


def _css_numbers(pattern: str) -> set[int]:
    """The N of every selector in controls.css that matches ``pattern`` (with one (\\d+) group twice)."""
    return {int(a) for a, b in re.findall(pattern, CONTROL_STYLE) if a == b}


def test_each_question_is_a_fieldset_with_its_legend_and_one_label_per_radio(catalog: Catalog) -> None:
    for injection in catalog.injections:
        tree = _tree(render_knowledge_check(injection, catalog))
        fieldsets = tree.find("fieldset")
        assert len(fieldsets) == len(injection.knowledge_check)
        for number, (fieldset, question) in enumerate(zip(fieldsets, injection.knowledge_check, strict=True), 1):
            legend = fieldset.children[0]
            assert legend.tag == "legend"
            assert legend.words() == catalog.labels.knowledge_check.question.format(
                number=number, question=question.question
            )
            radios = fieldset.find("input")
            assert [r.attrs["type"] for r in radios] == ["radio"] * len(question.options)
            assert len({r.attrs["name"] for r in radios}) == 1
            labels = {label.attrs["for"]: label.words() for label in fieldset.find("label")}
            assert labels == {r.attrs["id"]: o.text for r, o in zip(radios, question.options, strict=True)}
            marked = [n for n, r in enumerate(radios) if "bpe-kc-right" in r.classes()]
            assert marked == [right_option(question)]
            assert all("bpe-kc-wrong" in r.classes() for n, r in enumerate(radios) if n not in marked)


def test_the_right_answer_says_right_and_cites_the_sources_and_a_wrong_one_says_not_quite(catalog: Catalog) -> None:
    words = catalog.labels.knowledge_check
    injection = catalog.injection("medial-branch-rfa")
    tree = _tree(render_knowledge_check(injection, catalog))
    for fieldset, question in zip(tree.find("fieldset"), injection.knowledge_check, strict=True):
        (feedback,) = fieldset.find(css="bpe-kc-feedback")
        assert feedback in fieldset.children, "the feedback must be a sibling of the radios for CSS to reach it"
        (right,), (wrong,) = feedback.find(css="bpe-kc-fb-right"), feedback.find(css="bpe-kc-fb-wrong")
        sources = "; ".join(catalog.references[key].title for key in question.explanation.refs)
        answer = words.answer.format(answer=question.options[right_option(question)].text)
        assert right.find("h3")[0].words() == words.right and wrong.find("h3")[0].words() == words.not_quite
        for shown in (right, wrong):
            items = [li.words() for li in shown.find("li")]
            assert items == [answer, question.explanation.text, words.sources.format(sources=sources)]


def test_the_score_line_is_the_label_with_counters_the_css_fills(catalog: Catalog) -> None:
    injection = catalog.injection("trigger-point")
    (score,) = _tree(render_knowledge_check(injection, catalog)).find("p", "bpe-kc-score")
    template = catalog.labels.knowledge_check.score
    assert score.words() == " ".join(
        template.format(right="", answered="", total=len(injection.knowledge_check)).split()
    )
    assert [span.attrs["class"] for span in score.find("span")] == [SCORE_COUNTERS["right"], SCORE_COUNTERS["answered"]]
    for css in SCORE_COUNTERS.values():
        assert re.search(rf"\.{css}::after \{{ content: counter\(", CONTROL_STYLE)


def test_ids_are_unique_and_every_label_names_an_input_on_a_whole_injection_page(catalog: Catalog) -> None:
    for injection in catalog.injections:
        html = (
            render_page(injection_page(injection, catalog))
            + render_knowledge_check(injection, catalog)
            + render_question_list(injection, catalog)
        )
        ids = re.findall(r' id="([^"]+)"', html)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        tree = _tree(html)
        inputs = {i.attrs["id"] for i in tree.find("input")}
        assert sorted(label.attrs["for"] for label in tree.find("label")) == sorted(inputs)
        labelled_by = re.findall(r'aria-labelledby="([^"]+)"', html)
        assert set(labelled_by) <= set(ids)


def test_each_ticked_question_has_its_item_in_my_list_and_the_css_covers_every_one(catalog: Catalog) -> None:
    shown = _css_numbers(r"\.bpe-ask-(\d+):checked ~ \.bpe-my-list \.bpe-ask-(\d+)")
    for injection in catalog.injections:
        tree = _tree(render_question_list(injection, catalog))
        boxes, labels = tree.find("input"), tree.find("label")
        texts = [q.text for q in injection.questions]
        assert [b.attrs["type"] for b in boxes] == ["checkbox"] * len(texts)
        assert not any("checked" in b.attrs for b in boxes)
        assert [label.words() for label in labels] == texts
        (mine,) = tree.find("div", "bpe-my-list")
        items = mine.find("li")
        assert [li.words() for li in items] == texts
        for n, (box, item) in enumerate(zip(boxes, items, strict=True), 1):
            assert f"bpe-ask-{n}" in box.classes() and f"bpe-ask-{n}" in item.classes()
        assert set(range(1, len(texts) + 1)) <= shown, f"controls.css shows my-list items only up to {max(shown)}"
        assert [p.words() for p in mine.find("p", "bpe-ask-empty")] == [catalog.labels.questions.empty]
        assert [a.attrs["href"] for a in tree.find("a")] == [catalog.site_map.notebook(CARE_PLAN)]


def test_compare_has_one_ticked_box_per_column_and_each_column_carries_the_class_the_css_hides(
    catalog: Catalog,
) -> None:
    hidden = _css_numbers(r"\.bpe-pick-(\d+):not\(:checked\) ~ \.bpe-compare-table \.bpe-col-(\d+)")
    tree = _tree(render_comparison(catalog))
    boxes = tree.find("input")
    # A box per injection, and one for not having an injection (a full option, in the last column).
    words = catalog.labels.compare
    titles = (*(i.title for i in catalog.injections), words.no_injection)
    heads = (*(i.short_title for i in catalog.injections), words.no_injection)
    assert len(boxes) == len(titles) == len(catalog.injections) + 1
    assert all(b.attrs["type"] == "checkbox" and "checked" in b.attrs for b in boxes)
    labels = {label.attrs["for"]: label.words() for label in tree.find("label")}
    assert labels == {b.attrs["id"]: title for b, title in zip(boxes, titles, strict=True)}
    (table,) = tree.find("table")
    assert table.find("caption") and all(th.attrs.get("scope") in {"col", "row"} for th in table.find("th"))
    for n, (box, head_text) in enumerate(zip(boxes, heads, strict=True), 1):
        assert f"bpe-pick-{n}" in box.classes() and n in hidden
        (head,) = table.find("th", f"bpe-col-{n}")
        assert head.words() == head_text
        assert len(table.find("td", f"bpe-col-{n}")) == len(table.find("tbody")[0].find("tr"))
    assert tree.find("p", "bpe-compare-none")[0].words() == words.none_picked
    assert tree.find("h1")[0].words() == catalog.site_map.page("compare").title


def test_no_script_and_no_has_selector_for_older_phones(catalog: Catalog) -> None:
    injection = catalog.injections[0]
    for html in (render_knowledge_check(injection, catalog), render_question_list(injection, catalog)):
        assert "<script" not in html and "<style>" in html
    assert "<script" not in render_comparison(catalog)
    assert ":has(" not in re.sub(r"/\*.*?\*/", "", CONTROL_STYLE, flags=re.S)


def test_question_and_answer_text_is_escaped(content_copy: Path) -> None:
    hostile = '<img src=x onerror=alert(1)> & "quotes"'
    path = content_copy / "injections" / "regenerative.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["knowledge_check"][0]["question"] = hostile
    data["knowledge_check"][0]["options"][0]["text"] = hostile
    data["questions"][0]["text"] = hostile
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    catalog = load_catalog_from(content_copy)
    injection = catalog.injection("regenerative")
    html = render_knowledge_check(injection, catalog) + render_question_list(injection, catalog)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;" in html
