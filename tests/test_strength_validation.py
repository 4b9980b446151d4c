"""Count validation: the cases the mutation run of ../shared/TEST_STRENGTH.md
found untested (V07), and the definition check behind its side observation
(a proportion with its numerator in 元 and its denominator in 万元).
"""

from __future__ import annotations

import numpy as np
import pytest

from phindicators import Catalog, InvalidCountsError, get
from phindicators.errors import CatalogError
from phindicators.validation import validate_counts
from tests.conftest import TINY

MONEY_TERMS = """
[terms.spent]
name_en = "amount spent"
name_zh = "支出金额"
unit = "{numerator}"

[terms.budget]
name_en = "budget"
name_zh = "预算金额"
unit = "{denominator}"

[indicators.spent_share]
name_en = "Share of the budget spent"
name_zh = "预算执行率"
domain = "other"
definition = {{ en = "Spent / budget.", zh = "支出金额/预算金额×100%" }}
numerator = "spent"
denominator = "budget"
kind = "proportion"
unit = "percent"
decimals = 1
polarity = "high_is_good"
source = "spec"
"""


def _money_catalog(numerator: str, denominator: str) -> Catalog:
    return Catalog.from_toml(TINY + MONEY_TERMS.format(numerator=numerator, denominator=denominator))


@pytest.mark.parametrize(("numerator", "denominator"), [("yuan", "wan_yuan"), ("wan_yuan", "yuan")])
def test_a_proportion_in_two_units_is_refused_at_load(numerator: str, denominator: str) -> None:
    # 5000 元 of 1 万元 is half the budget, but every "numerator <= denominator"
    # check and every interval kernel compares raw numbers: refused up front.
    with pytest.raises(CatalogError, match=rf"spent_share\.numerator: .*one unit, got '{numerator}' and '{denominator}'"):
        _money_catalog(numerator, denominator)


@pytest.mark.parametrize("unit", ["yuan", "wan_yuan"])
def test_a_proportion_of_money_in_one_unit_is_computed(unit: str) -> None:
    share = _money_catalog(unit, unit).get("spent_share")
    # 5000 of 10000 is 50 %; the scalar and array paths agree.
    assert share.compute(5000, 10000).value == 50.0
    assert share.compute(np.array([5000, 10000]), np.array([10000, 10000])).value.tolist() == [50.0, 100.0]
    with pytest.raises(InvalidCountsError, match="numerator exceeds the denominator"):
        share.compute(10001, 10000)


def test_an_equal_pair_is_not_listed_among_the_pairs_that_exceed() -> None:
    # V07: 10/10 is allowed, so only position 0 (5 > 4) is named.
    with pytest.raises(InvalidCountsError) as error:
        validate_counts(get("maternal_systematic_management_rate"), [5, 10], [4, 10])
    message = str(error.value)
    assert "at 1 of 2 positions" in message
    assert "(1,)" not in message


def test_equal_pairs_pass() -> None:
    validate_counts(get("maternal_systematic_management_rate"), [0, 7, 10], [1, 7, 10])
