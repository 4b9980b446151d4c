"""Count validation: the cases the mutation run of ../shared/TEST_STRENGTH.md
found untested (V07), and the definition check behind its side observation
(a proportion with its numerator in 元 and its denominator in 万元).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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


# ------------------------------------- inputs numpy would convert wrongly

MONEY_MEAN = Catalog.from_toml(TINY).get("mean_amount")  # amount in 万元 (fractions allowed) per person
MANAGED = "maternal_systematic_management_rate"


def _refusal(indicator: object, numerator: object, denominator: object) -> str:
    with pytest.raises(InvalidCountsError) as error:
        validate_counts(indicator, numerator, denominator)  # type: ignore[arg-type]
    return str(error.value)


@pytest.mark.parametrize(("value", "shown"), [(Fraction(1, 3), "Fraction(1, 3)"), (Decimal("0.1"), "Decimal('0.1')")])
def test_an_amount_float_would_round_is_refused(value: object, shown: str) -> None:
    # 1/3 万元 and 0.1 万元 have no exact float: refused, not rounded.
    message = _refusal(MONEY_MEAN, np.array([2, value, Fraction(1, 2)], dtype=object), [1, 1, 1])
    assert message.startswith("mean_amount: numerator is not representable exactly as a float")
    assert f"at 1 of 3 positions: (1,): numerator={shown}" in message


def test_amounts_float_holds_exactly_pass() -> None:
    num, den = validate_counts(MONEY_MEAN, np.array([Fraction(1, 2), Decimal("0.25"), 3], dtype=object), [1, 1, 1])
    assert np.asarray(num).tolist() == [0.5, 0.25, 3.0]


def test_extended_precision_is_checked_before_rounding() -> None:
    five = np.longdouble(5) + np.longdouble(2) ** -60  # 5 in float64, not 5 as given
    assert five != 5
    message = _refusal(MONEY_MEAN, np.array([five, 5], dtype=np.longdouble), [1, 1])
    assert "numerator is not representable exactly as a float" in message and "at 1 of 2 positions: (0,)" in message
    message = _refusal(get(MANAGED), np.array([5, five], dtype=np.longdouble), [10, 10])
    assert "numerator is not a whole number" in message and "(1,)" in message
    for bad, problem in [(-1, "is negative"), (np.nan, "is NaN or infinite"), (2.0**53, "is too large")]:
        message = _refusal(get(MANAGED), np.array([5, bad], dtype=np.longdouble), [10, 2.0**53 + 2])
        assert f"numerator {problem}" in message and "at 1 of 2 positions: (1,)" in message
    num, _ = validate_counts(get(MANAGED), np.array([5, 7], dtype=np.longdouble), [10, 10])
    assert np.asarray(num).tolist() == [5.0, 7.0]


@pytest.mark.parametrize(("values", "problem"), [
    ([1, None], "is missing (None) (at 1 of 2 positions: (1,): numerator=None)"),
    ([1, "5"], "must be numbers, got text '5'"),
    ([-(10**400), 1], "is negative"),
    ([10**400, 1], "is too large to count exactly"),
    ([True, 1], "must be numbers, got booleans"),
])
def test_object_arrays_are_refused_by_name(values: list[object], problem: str) -> None:
    message = _refusal(get(MANAGED), np.array(values, dtype=object), [10, 10])
    assert message.startswith(f"{MANAGED}: numerator {problem}")


@pytest.mark.parametrize(("value", "problem"), [(-(10**400), "is negative"), (10**400, "is too large")])
def test_python_ints_beyond_float_name_their_problem(value: int, problem: str) -> None:
    assert _refusal(get(MANAGED), value, 10).startswith(f"{MANAGED}: numerator {problem}")
    assert _refusal(get(MANAGED), 1, value).startswith(f"{MANAGED}: denominator {problem}")


def test_pandas_na_is_missing() -> None:
    pd = pytest.importorskip("pandas")
    message = _refusal(get(MANAGED), np.array([1, pd.NA], dtype=object), [10, 10])
    assert "numerator is missing (NA)" in message


def test_a_denominator_too_small_to_count_is_refused_on_scalars() -> None:
    # 0.5e-6 元 is below SMALLEST_COUNT (1e-6): a unit slip, and dividing by
    # it would overflow. 1e-6 itself is allowed.
    share = _money_catalog("yuan", "yuan").get("spent_share")
    assert "denominator is between 0 and 1e-06" in _refusal(share, 0.0, 0.5e-6)
    assert validate_counts(share, 0.0, 1e-6) == (0.0, 1e-6)


@pytest.mark.parametrize(("value", "problem"), [(-(10**400), "is negative"), (10**400, "is too large")])
def test_a_python_int_beyond_float_beside_an_array(value: int, problem: str) -> None:
    # One count a Python int, the other an array: the int takes the array path.
    assert _refusal(get(MANAGED), value, np.array([10])).startswith(f"{MANAGED}: numerator {problem}")


def test_an_inexact_amount_names_the_indicator_and_the_advice() -> None:
    message = _refusal(MONEY_MEAN, np.array([Fraction(1, 3)], dtype=object), [1])
    assert message.startswith("mean_amount: numerator is not representable exactly as a float")
    assert message.endswith("; convert it to float yourself if rounding is intended)")
    five = np.longdouble(5) + np.longdouble(2) ** -60
    message = _refusal(MONEY_MEAN, np.array([five]), [1])
    assert message.startswith("mean_amount: numerator is not representable")
    assert message.endswith("; convert it to float yourself if rounding is intended)")
    # Other problems of an extended-precision array give no rounding advice.
    message = _refusal(get(MANAGED), np.array([np.longdouble(-1)]), [10])
    assert message.startswith(f"{MANAGED}: numerator is negative") and "rounding" not in message


@pytest.mark.parametrize(("value", "problem"), [(Fraction(-1, 3), "is negative"),
                                                 (Fraction(2**53 + 1), "is too large to count exactly")])
def test_an_exotic_number_with_another_problem_keeps_its_own_message(value: Fraction, problem: str) -> None:
    # -1/3 is negative before it is inexact; 2**53 + 1 is too large before it rounds.
    message = _refusal(MONEY_MEAN, np.array([value], dtype=object), [1])
    assert message.startswith(f"mean_amount: numerator {problem}")


def test_numpy_scalars_in_an_object_array_are_shown_as_given() -> None:
    message = _refusal(get(MANAGED), np.array([np.int64(-1), 2], dtype=object), [10, 10])
    assert "(0,): numerator=-1)" in message


def test_a_masked_array_nested_in_lists_is_refused() -> None:
    masked = np.ma.masked_array([1, 2], mask=[False, True])
    assert "numerator holds a masked array" in _refusal(get(MANAGED), [[masked]], [[10, 10]])


def test_arrays_come_back_as_float64() -> None:
    num, den = validate_counts(get(MANAGED), np.array([1, 2]), np.array([3, 4]))
    assert num.dtype == den.dtype == np.float64 and num.tolist() == [1.0, 2.0] and den.tolist() == [3.0, 4.0]


def test_an_array_denominator_too_small_to_count_is_refused() -> None:
    share = _money_catalog("yuan", "yuan").get("spent_share")
    message = _refusal(share, np.array([0.0, 0.0]), np.array([1.0, 0.5e-6]))
    assert "denominator is between 0 and 1e-06" in message and "(1,)" in message


@pytest.mark.parametrize(("text", "number"), [
    ("1,270", 1270.0), (" 35 ", 35.0), ("1 270.5", 1270.5), ("1\u00a0270", 1270.0), ("12,345,678", 12345678.0),
    ("-1,270", -1270.0), ("1,2", None), ("12,34,567", None), ("nan", None), ("", None), ("1,270 and 5", None),
])
def test_numbers_in_text_cells(text: str, number: float | None) -> None:
    from phindicators._counts import number_from_text

    assert number_from_text(text) == number
