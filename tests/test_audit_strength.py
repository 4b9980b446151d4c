"""Audit cases that the mutation run of TEST_STRENGTH.md found untested.

Expected values come from the arithmetic written next to each case, not from
the code under test.
"""

from __future__ import annotations

import pytest

from phindicators import get
from phindicators.audit import Status, audit, infer_count

PROPORTION = "premarital_checkup_rate"


def test_a_strict_lower_bound_on_a_whole_limit_excludes_the_limit() -> None:
    # "超过50%" of 10: 5/10 is exactly 50 %, not more; 6/10 to 10/10 are.
    assert infer_count(get(PROPORTION), "超过50%", denominator=10) == range(6, 11)


def test_a_proportion_without_an_upper_bound_needs_the_numerator_as_denominator() -> None:
    # "95%以上" with 95 examined: the denominator is at least 95 (a proportion's
    # numerator is within it) and at most 95 / 0.945 = 100.5.
    assert infer_count(get(PROPORTION), "95%以上", numerator=95) == range(95, 101)


def test_a_hundred_percent_allows_no_denominator_below_the_numerator() -> None:
    # "100%" allows 99.5 % to 100.5 %: 1000 / 0.995 = 1005.03, and a proportion
    # cannot count more than its denominator, so 1000 to 1005.
    assert infer_count(get(PROPORTION), "100%", numerator=1000) == range(1000, 1006)


@pytest.mark.parametrize("printed", ["超过100%", "低于0%"])
def test_a_strict_bound_beyond_a_proportions_range_is_impossible(printed: str) -> None:
    assert audit(get("maternal_systematic_management_rate"), printed).status is Status.IMPOSSIBLE


def test_more_than_all_is_impossible_even_when_all_were_managed() -> None:
    # 2164/2164 is 100 %, which is not "more than 100 %": the figure is
    # impossible, not a rounding difference of 0.
    verdict = audit(get("maternal_systematic_management_rate"), "超过100%", 2164, 2164)
    assert verdict.status is Status.IMPOSSIBLE


def test_at_least_a_hundred_percent_is_possible() -> None:
    verdict = audit(get("maternal_systematic_management_rate"), "100%以上", 2164, 2164)
    assert verdict.status is Status.CONSISTENT
