"""Robustness, continued: numbers float() would round, results that do not
broadcast, and axes out of range all give the library's errors.

Each test here fails without the behaviour it names.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from phindicators import Catalog
from phindicators.compare import compare_results, compare_trend
from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats import dobson_interval, dsr, trend_test
from phindicators.validation import validate_counts

# ------------------------------------------------ numbers float() would round


@pytest.mark.parametrize(
    ("numerator", "positions"),
    [
        (Fraction(1, 3), ()),
        (Decimal("0.1"), ()),
        (np.array([Fraction(1, 3)], dtype=object), ((0,),)),
        (np.array([2, Decimal("0.1")], dtype=object), ((1,),)),
        (np.array([[1.5, 2], [Fraction(2, 3), 4]], dtype=object), ((1, 0),)),
    ],
    ids=["Fraction", "Decimal", "Fraction array", "Decimal array", "2-d array"],
)
def test_money_that_float_would_round_is_refused(tiny: Catalog, numerator: Any, positions: tuple) -> None:
    # The amount term is in wan_yuan: fractions are allowed, rounding is not.
    with pytest.raises(InvalidCountsError, match="numerator is not representable exactly as a float") as caught:
        tiny.get("mean_amount").compute(numerator, np.ones(np.shape(numerator), dtype=int))
    assert caught.value.field == "numerator"
    assert caught.value.positions == positions
    assert caught.value.n_bad == 1


@given(st.fractions(min_value=0, max_value=10**6))
def test_exact_fractions_and_decimals_are_accepted_exactly(tiny: Catalog, value: Fraction) -> None:
    indicator = tiny.get("mean_amount")
    for given_value in (value, Decimal(value.numerator) / Decimal(value.denominator)):
        exact = Fraction(given_value)
        try:
            numerator, _ = validate_counts(indicator, np.array([given_value], dtype=object), np.array([2]))
        except InvalidCountsError as error:
            # Refused exactly when float() would change the number.
            assert "not representable exactly" in str(error)
            assert Fraction(float(given_value)) != exact
        else:
            assert Fraction(float(numerator[0])) == exact


def test_a_binary_fraction_keeps_its_value(tiny: Catalog) -> None:
    result = tiny.get("mean_amount").compute(np.array([Fraction(3, 8), Decimal("0.25")], dtype=object), [1, 1])
    # 0.375 and 0.25 wan yuan per person are 3 750 and 2 500 yuan (hand arithmetic).
    assert result.value.tolist() == [3750.0, 2500.0]


def test_whole_counts_still_say_not_whole(tiny: Catalog) -> None:
    with pytest.raises(InvalidCountsError, match="numerator is not a whole number"):
        tiny.get("death_ratio").compute(np.array([Fraction(1, 3)], dtype=object), [10])
    # A non-whole count so large that float() rounds it to a whole number
    # (2**52 + 1/2: floats there are 1 apart) is no longer accepted as one.
    with pytest.raises(InvalidCountsError, match="not representable exactly"):
        tiny.get("death_ratio").compute(np.array([Fraction(2**53 + 1, 2)], dtype=object), [2**52])


def test_other_problems_keep_their_messages(tiny: Catalog) -> None:
    indicator = tiny.get("mean_amount")
    for value, problem in ((Fraction(-1, 3), "is negative"), (Decimal("NaN"), "NaN or infinite"),
                           (Fraction(2**60, 3), "too large")):
        with pytest.raises(InvalidCountsError, match=problem):
            validate_counts(indicator, np.array([value], dtype=object), np.array([1]))


# ------------------------------------------------ results that do not broadcast


def test_results_that_do_not_broadcast_are_an_option_error(tiny: Catalog) -> None:
    rate = tiny.get("managed_rate")
    a = rate.compute(np.array([1, 2, 3]), np.array([10, 10, 10]))
    b = rate.compute(np.array([1, 2]), np.array([10, 10]))
    with pytest.raises(InvalidOptionError, match=r"managed_rate: .*\(3,\) and \(2,\)"):
        compare_results(a, b)


# ------------------------------------------------ axes out of range


@pytest.mark.parametrize("axis", [1, 5, -2, -7])
def test_axis_out_of_range_is_an_option_error(tiny: Catalog, axis: int) -> None:
    counts, populations = [4, 6, 10], [100, 200, 300]
    calls = {
        "trend_test": lambda: trend_test(counts, populations, axis=axis),
        "dobson_interval": lambda: dobson_interval(counts, [0.5, 0.5, 0.5], axis=axis),
        "dsr": lambda: dsr(counts, populations, [1, 1, 1], axis=axis),
        "compare_trend": lambda: compare_trend(
            tiny.get("managed_rate").compute(np.arange(5), np.full(5, 10)), axis=axis
        ),
    }
    for name, call in calls.items():
        with pytest.raises(InvalidOptionError, match=rf"{name}: axis {axis} is out of range .* 1 dimension"):
            call()


@pytest.mark.parametrize("axis", [1.0, "0", True, None])
def test_axis_that_is_not_an_integer_is_an_option_error(axis: Any) -> None:
    with pytest.raises(InvalidOptionError, match="axis must be an integer"):
        trend_test([1, 2], [10, 10], axis=axis)


@given(st.integers(-2, 1))
def test_axes_in_range_still_work(axis: int) -> None:
    # Summing along the axis: a 2x3 table, strata along ``axis``, equal weights.
    counts = np.array([[1, 2, 3], [4, 5, 6]])
    expected = counts.sum(axis=axis) * 0.5
    assert np.array_equal(dobson_interval(counts, np.full((2, 3), 0.5), axis=axis).value, expected)
