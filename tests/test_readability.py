"""Patient text reads at grade 8 or below (Flesch-Kincaid), with a median of 7 or below."""

from __future__ import annotations

import statistics
from pathlib import Path

import yaml

from backpain_edu.catalog import Catalog, load_catalog_from
from backpain_edu.patient_text import reading_grades
from tests.conftest import SHARED


def test_every_block_is_grade_8_or_below_and_the_median_is_7_or_below(catalog: Catalog) -> None:
    grades = reading_grades(catalog)
    too_hard = [(round(g, 1), where) for g, where in grades if g > 8]
    median = statistics.median(g for g, _ in grades)
    print(f"\nFlesch-Kincaid over {len(grades)} blocks: median {median:.1f}, max {max(grades)[0]:.1f}")
    assert too_hard == []
    assert median <= 7


def test_the_seed_article_put_in_a_page_fails_this_check(content_copy: Path) -> None:
    seed = (SHARED / "seed" / "000_0c02eea165eaf9c2.txt").read_text(encoding="utf-8")
    path = content_copy / "injections" / "epidural-steroid.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["what_it_is"][0]["text"] = " ".join(seed.split())
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    grades = {where: grade for grade, where in reading_grades(load_catalog_from(content_copy))}
    assert grades["injections/epidural-steroid.yaml:what_it_is[0].text"] > 8
