"""Patient text reads at grade 8 or below (Flesch-Kincaid), with a median of 7 or below."""

from __future__ import annotations

import statistics

from backpain_edu.catalog import Catalog
from backpain_edu.patient_text import reading_grades


def test_every_block_is_grade_8_or_below_and_the_median_is_7_or_below(catalog: Catalog) -> None:
    grades = reading_grades(catalog)
    too_hard = [(round(g, 1), where) for g, where in grades if g > 8]
    median = statistics.median(g for g, _ in grades)
    print(f"\nFlesch-Kincaid over {len(grades)} blocks: median {median:.1f}, max {max(grades)[0]:.1f}")
    assert too_hard == []
    assert median <= 7


def test_the_seed_article_would_fail_this_check() -> None:
    import textstat

    from tests.conftest import SHARED

    seed = (SHARED / "seed" / "000_0c02eea165eaf9c2.txt").read_text(encoding="utf-8")
    assert textstat.flesch_kincaid_grade(seed) > 8
