"""Counts to values: scalars and arrays, validation, units, display."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from phindicators import Catalog, InvalidCountsError, Result, UnitError

counts = st.integers(min_value=0, max_value=10**9)


@st.composite
def proportion_arrays(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=6))
    den = draw(hnp.arrays(np.int64, shape, elements=st.integers(1, 10**9)))
    fraction = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    return np.floor(den * fraction).astype(np.int64), den


def test_seed_figures_reproduce_on_the_machinery(tiny: Catalog) -> None:
    assert tiny.get("managed_rate").compute(2067, 2164).format() == "95.52%"
    assert tiny.get("death_ratio").compute(2, 2158).format() == "92.68/10万"
    assert tiny.get("places_per_1000").compute(751, 318_000).format() == "2.36/千"


def test_value_is_in_the_indicator_unit(tiny: Catalog) -> None:
    result = tiny.get("managed_rate").compute(2067, 2164)
    assert result.value == pytest.approx(2067 / 2164 * 100)
    assert result.unit == "percent"
    assert isinstance(result.value, float) and isinstance(result.numerator, float)
    assert result.quantity.to("dimensionless").magnitude == pytest.approx(2067 / 2164)


def test_money_terms_scale_to_the_indicator_unit(tiny: Catalog) -> None:
    # 21507万元 over 1595 people: the report printed 1352 元, the counts give 134 840.
    result = tiny.get("mean_amount").compute(21507, 1595)
    assert result.value == pytest.approx(215_070_000 / 1595)
    assert result.format("en") == "134,840 yuan"


def test_counts_need_no_denominator(tiny: Catalog) -> None:
    assert tiny.get("death_count").compute(3).value == 3.0
    with pytest.raises(InvalidCountsError, match="denominator must be None"):
        tiny.get("death_count").compute(3, 4)
    with pytest.raises(InvalidCountsError, match="denominator is required"):
        tiny.get("managed_rate").compute(3)


@given(proportion_arrays())
def test_vectorised_equals_scalar_element_by_element(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    from tests.conftest import TINY

    indicator = Catalog.from_toml(TINY).get("managed_rate")
    num, den = arrays
    result = indicator.compute(num, den)
    assert result.value.shape == num.shape
    formatted = result.format()
    for index in np.ndindex(num.shape):
        one = indicator.compute(int(num[index]), int(den[index]))
        assert one.value == result.value[index]
        assert one.format() == formatted[index]


@given(st.integers(0, 10**12), st.integers(1, 10**12))
def test_value_is_the_exact_quotient_to_float_precision(num: int, den: int) -> None:
    from tests.conftest import TINY

    value = Catalog.from_toml(TINY).get("death_ratio").compute(num, den).value
    assert value == pytest.approx(float(Fraction(num * 100_000, den)), rel=1e-14)


@given(den=st.integers(1, 10**9), data=st.data())
def test_proportions_stay_within_the_valid_range(den: int, data: st.DataObject) -> None:
    from tests.conftest import TINY

    indicator = Catalog.from_toml(TINY).get("managed_rate")
    num = data.draw(st.integers(0, den))
    low, high = indicator.valid_range
    assert low <= indicator.compute(num, den).value <= high


def test_broadcasting_and_shapes(tiny: Catalog) -> None:
    result = tiny.get("death_ratio").compute(np.array([[1, 2], [3, 4]]), 100_000)
    assert result.value.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert result.denominator.shape == (2, 2)
    with pytest.raises(InvalidCountsError, match=r"shapes do not broadcast together: numerator \(2,\), denominator \(3,\)"):
        tiny.get("death_ratio").compute([1, 2], [3, 4, 5])


def test_empty_arrays_give_empty_results(tiny: Catalog) -> None:
    result = tiny.get("managed_rate").compute(np.array([], dtype=int), np.array([], dtype=int))
    assert result.value.shape == (0,)


@pytest.mark.parametrize(
    ("num", "den", "pattern"),
    [
        (-1, 10, r"managed_rate: numerator is negative \(got numerator=-1\)"),
        (1, -10, r"managed_rate: denominator is negative"),
        (float("nan"), 10, r"numerator is NaN or infinite"),
        (1, float("inf"), r"denominator is NaN or infinite"),
        (1.5, 10, r"numerator is not a whole number \(got numerator=1.5\)"),
        (1, 0, r"denominator is zero"),
        (11, 10, r"numerator exceeds the denominator \(got numerator=11, denominator=10\)"),
        (True, 10, r"numerator must be numbers, got booleans"),
        ("many", 10, r"numerator must be numbers, got text 'many'"),
        (2**60, 2**61, r"numerator is too large to count exactly"),
    ],
)
def test_bad_scalar_counts(tiny: Catalog, num: object, den: object, pattern: str) -> None:
    with pytest.raises(InvalidCountsError, match=pattern) as caught:
        tiny.get("managed_rate").compute(num, den)
    assert isinstance(caught.value, ValueError)
    assert caught.value.indicator_id == "managed_rate"


def test_bad_array_counts_list_positions(tiny: Catalog) -> None:
    num = np.zeros(1000, dtype=np.int64)
    num[[3, 500, 501, 502, 900, 950, 999]] = -1
    with pytest.raises(InvalidCountsError) as caught:
        tiny.get("managed_rate").compute(num, 10)
    error = caught.value
    assert error.field == "numerator"
    assert error.n_bad == 7
    assert error.positions == ((3,), (500,), (501,), (502,), (900,))
    assert "at 7 of 1000 positions: (3,): numerator=-1" in str(error)
    assert "and 2 more" in str(error)


def test_zero_denominator_inside_an_array(tiny: Catalog) -> None:
    with pytest.raises(InvalidCountsError, match=r"denominator is zero \(at 1 of 3 positions: \(1,\): denominator=0\)"):
        tiny.get("death_ratio").compute([1, 2, 3], [10, 0, 10])


def test_money_may_be_fractional_but_people_may_not(tiny: Catalog) -> None:
    assert tiny.get("mean_amount").compute(9.55, 81).format() == "1179元"
    with pytest.raises(InvalidCountsError, match="denominator is not a whole number"):
        tiny.get("mean_amount").compute(9.55, 81.5)


def test_whole_floats_and_python_objects_are_counts(tiny: Catalog) -> None:
    indicator = tiny.get("managed_rate")
    assert indicator.compute(np.array([2067.0]), np.array([2164.0])).format()[0] == "95.52%"
    big = np.array([2067, 2164], dtype=object)
    assert indicator.compute(big[0], big[1]).format() == "95.52%"


def test_unit_round_trip_preserves_the_value(tiny: Catalog) -> None:
    result = tiny.get("death_ratio").compute(23, 2158)
    there_and_back = result.to("permille").to("percent").to("per_hundred_thousand")
    assert there_and_back.value == pytest.approx(result.value, rel=1e-15)
    assert result.to("permille").format() == "10.66‰"
    assert result.to("permille").quantity.to("per_hundred_thousand").magnitude == pytest.approx(result.value)
    with pytest.raises(UnitError):
        result.to("yuan")


def test_results_compare_by_value(tiny: Catalog) -> None:
    indicator = tiny.get("death_ratio")
    assert indicator.compute([1, 2], [3, 4]) == indicator.compute(np.array([1, 2]), np.array([3, 4]))
    assert indicator.compute(1, 3) != indicator.compute(1, 4)
    assert "death_ratio" in repr(indicator.compute([1], [2]))
    assert isinstance(indicator.compute(1, 3), Result)


# ------------------------------------------------------- confidence intervals


def test_intervals_follow_the_kind(tiny: Catalog) -> None:
    import attrs

    from phindicators.model import Kind
    from phindicators.stats import poisson_interval, wilson_interval

    managed = tiny.get("managed_rate").compute(2067, 2164)
    expected = wilson_interval(2067, 2164, multiplier=100)
    assert (managed.lower, managed.upper, managed.confidence, managed.method) == (
        expected.lower, expected.upper, 0.95, "wilson"
    )
    few = tiny.get("death_ratio").compute(2, 2158)
    assert few.method == "exact"
    assert few.upper == poisson_interval(2, 2158, multiplier=100_000, method="exact").upper
    assert tiny.get("death_ratio").compute(23, 2158).method == "byar"
    assert tiny.get("places_per_1000").compute(751, 318_000).method == "byar"
    assert tiny.get("death_count").compute(3).upper == poisson_interval(3).upper
    mean = tiny.get("mean_amount").compute(9.55, 81)
    assert mean.intervals == () and mean.lower is None and mean.method is None
    completion = attrs.evolve(tiny.get("managed_rate"), id="screening_completion", kind=Kind.COMPLETION)
    done = completion.compute(6271, 6030)  # above 100 %: achieved exceeds the task
    assert done.value > 100 and done.method == "byar"
    assert done.lower < done.value < done.upper


def test_confidence_levels_and_method_options(tiny: Catalog) -> None:
    from phindicators import InvalidOptionError

    managed = tiny.get("managed_rate")
    both = managed.compute(81, 263, confidence=(0.95, 99.8))
    assert [i.confidence for i in both.intervals] == [0.95, 0.998]
    assert both.interval(0.998).lower < both.lower < both.value < both.upper < both.interval(99.8).upper
    assert managed.compute(81, 263, confidence=None).intervals == ()
    assert managed.compute(81, 263, confidence=95) == managed.compute(81, 263)
    exact = managed.compute(5, 25, method="clopper_pearson")
    assert (round(exact.lower, 1), round(exact.upper, 1)) == (6.8, 40.7)  # Conover's 0.068-0.407
    with pytest.raises(InvalidOptionError, match="confidence must be"):
        managed.compute(1, 2, confidence=0.5)
    with pytest.raises(InvalidOptionError, match="'wilson', 'clopper_pearson'; got 'byar'"):
        managed.compute(1, 2, method="byar")
    with pytest.raises(InvalidOptionError, match="got 'wilsn'"):
        managed.compute(1, 2, method="wilsn")
    with pytest.raises(InvalidOptionError, match="no interval for this kind"):
        tiny.get("mean_amount").compute(1, 2, method="exact")
    with pytest.raises(InvalidOptionError, match="no 0.99 interval attached"):
        managed.compute(1, 2).interval(0.99)


def test_unit_conversion_converts_the_limits(tiny: Catalog) -> None:
    result = tiny.get("death_ratio").compute(23, 2158, confidence=(0.95, 0.998))
    permille = result.to("permille")
    for before, after in zip(result.intervals, permille.intervals, strict=True):
        assert after.lower == pytest.approx(before.lower / 100, rel=1e-15)
        assert after.upper == pytest.approx(before.upper / 100, rel=1e-15)
        assert after.value == permille.value
    assert permille.to("per_hundred_thousand").upper == pytest.approx(result.upper, rel=1e-15)


@given(proportion_arrays())
def test_vectorised_intervals_equal_scalar_ones(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    from tests.conftest import TINY

    catalog = Catalog.from_toml(TINY)
    num, den = arrays
    for indicator in (catalog.get("managed_rate"), catalog.get("death_ratio")):
        result = indicator.compute(num, den, confidence=(0.95, 0.998))
        for index in np.ndindex(num.shape):
            one = indicator.compute(int(num[index]), int(den[index]), confidence=(0.95, 0.998))
            for mine, whole in zip(one.intervals, result.intervals, strict=True):
                assert (mine.lower, mine.upper) == (whole.lower[index], whole.upper[index])
                assert whole.lower[index] <= whole.value[index] <= whole.upper[index]


def test_results_stay_backwards_compatible(tiny: Catalog) -> None:
    indicator = tiny.get("managed_rate")
    bare = Result(indicator, 1.0, 2.0, 50.0, "percent")
    assert bare.intervals == () and bare.lower is None and bare.period is None
    assert bare.format() == "50.00%" and bare.to("permille").value == 500.0
    assert indicator.compute(1, 2) != indicator.compute(1, 2, confidence=0.998)
    assert indicator.compute(1, 2) == indicator.compute(1, 2)
    assert repr(indicator.compute(1, 2)) == "Result(indicator='managed_rate', value=50.0, unit='percent')"


def test_with_confidence_recomputes_from_the_counts(tiny: Catalog) -> None:
    result = tiny.get("managed_rate").compute([5, 50], [25, 100], method="clopper_pearson", confidence=None)
    wider = result.with_confidence((0.95, 0.998))
    assert [i.method for i in wider.intervals] == ["wilson", "wilson"]  # none attached: the default
    exact = tiny.get("managed_rate").compute([5, 50], [25, 100], method="clopper_pearson")
    assert exact.with_confidence(0.998).method == "clopper_pearson"
    assert wider.value is result.value


def test_results_carry_their_period(tiny: Catalog) -> None:
    import datetime

    from phindicators import InvalidOptionError, ParseError
    from phindicators.pooling import Period

    result = tiny.get("death_ratio").compute(2, 2158, period="2023年1-10月")
    assert result.period == Period(datetime.date(2023, 1, 1), datetime.date(2023, 10, 31), "2023年1-10月")
    assert tiny.get("death_ratio").compute(2, 2158, period=Period.year(2023)).period.days == 365
    with pytest.raises(ParseError):
        tiny.get("death_ratio").compute(2, 2158, period="1-10月")
    with pytest.raises(InvalidOptionError, match="period must be"):
        tiny.get("death_ratio").compute(2, 2158, period=2023)


@given(st.integers(0, 400), st.data())
def test_threaded_blocks_equal_one_thread(size: int, data: st.DataObject) -> None:
    from phindicators import _threads
    from tests.conftest import TINY, patched

    indicator = Catalog.from_toml(TINY).get("managed_rate")
    den = np.array(data.draw(st.lists(st.integers(1, 10**6), min_size=size, max_size=size)), dtype=np.int64)
    num = (den * data.draw(st.floats(0, 1))).astype(np.int64)
    with patched(_threads, BLOCK_ROWS=3), patched(_threads, THREADS=4):  # many small blocks, several threads
        threaded = indicator.compute(num, den)
        with _threads.one_thread():
            single = indicator.compute(num, den)
    assert threaded == single
    if size:
        bad = num.copy()
        bad[size - 1] = den[size - 1] + 1  # the last block, in whichever thread runs it
        with pytest.raises(InvalidCountsError, match=rf"at 1 of {size} positions: \({size - 1},\)"):
            indicator.compute(bad, den)


def test_life_table_indicators_refuse_two_counts_on_every_route() -> None:
    """Regression: only Indicator.compute refused a life-table indicator;
    compute() (and so scorecards and frames) divided its two terms."""
    from phindicators import DefinitionError, get
    from phindicators.compute import compute as compute_function

    indicator = get("life_expectancy")
    with pytest.raises(DefinitionError, match="life-table"):
        compute_function(indicator, 7_700_000, 100_000)
    with pytest.raises(DefinitionError, match="life-table"):
        compute_function(indicator, np.array([7_700_000, 7_600_000]), np.array([100_000, 100_000]))
