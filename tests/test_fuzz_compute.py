"""Fuzzing the numeric entry points: compute, the statistics, comparisons, pooling.

Every public function is called with whatever hypothesis can build (scalars
of every Python number type, NaN and infinities, huge integers, numpy arrays
of every dtype and of 0 to 3 dimensions including empty and 0-d ones,
strings, None, mismatched shapes). The only outcomes allowed are a correct
result, checked against its invariants (value within the valid range,
lower <= value <= upper, finite, the same numbers as an exact recomputation)
or a :class:`~phindicators.errors.PhindicatorsError`. Anything else escaping
(a bare ``ValueError`` from numpy, an ``OverflowError``) fails the test.

The fuzz suite is ``tests/test_fuzz_*.py``: this module (numbers),
``test_fuzz_text.py`` (figures, periods, names, extraction, audits),
``test_fuzz_loading.py`` (catalog, target and rule files; JSON),
``test_fuzz_options.py`` (units, languages, formats, ids) and
``test_fuzz_cli.py`` (the command line, scorecard tables).

Profiles (registered in ``tests/conftest.py``): CI runs the bounded "ci"
profile (100 examples per test; the whole fuzz suite takes about 20 s on two
cores). Search harder locally with the "dev" profile (2 000 examples per
test, about 5 minutes)::

    HYPOTHESIS_PROFILE=dev python -m pytest tests/test_fuzz_*.py

Hypothesis keeps the failing examples it finds in ``.hypothesis/`` and
replays them first on the next run.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from phindicators import Catalog, PhindicatorsError, Result
from phindicators.compare import (
    BenchmarkStatus,
    FunnelPosition,
    TargetStatus,
    TrendStatus,
    compare_results,
    compare_to_benchmark,
    compare_to_target,
    compare_trend,
    funnel,
)
from phindicators.compute import value_scale
from phindicators.model import KINDS, Kind, Source
from phindicators.pooling import Period, pool, pool_periods
from phindicators.stats import (
    dobson_interval,
    dsr,
    funnel_limits,
    poisson_interval,
    proportion_interval,
    rate_ratio_test,
    trend_test,
    two_proportion_test,
)
from phindicators.targets import Target
from phindicators.units import UNITS
from tests.conftest import TINY

CATALOG = Catalog.from_toml(TINY)
INDICATORS = CATALOG.indicators()

# Every dtype numpy has a strategy for, including object arrays.
DTYPES = st.one_of(
    hnp.scalar_dtypes(),
    hnp.unicode_string_dtypes(max_len=4),
    hnp.byte_string_dtypes(max_len=4),
    st.just(np.dtype(object)),
)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
PYTHON_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=0, max_value=10**6),
    st.floats(),
    st.fractions(),
    st.decimals(),
    st.complex_numbers(),
    st.booleans(),
)
HUGE_INTS = st.integers(min_value=2**1024, max_value=2**1100)
GIANT_INTS = st.integers(min_value=10**4400, max_value=10**4500)


def _object_elements() -> st.SearchStrategy[Any]:
    # What an object array (a column read from a spreadsheet, say) may hold.
    return st.one_of(
        st.integers(min_value=0, max_value=10**6), st.integers(), st.floats(), st.none(),
        st.text(max_size=3), st.booleans(), st.fractions(), st.decimals(),
    )


@st.composite
def arrays(draw: st.DrawFn) -> np.ndarray:
    dtype = draw(DTYPES)
    shape = draw(SHAPES)
    if dtype.kind == "O":
        return draw(hnp.arrays(dtype, shape, elements=_object_elements()))
    return draw(hnp.arrays(dtype, shape))


def counts() -> st.SearchStrategy[Any]:
    """Anything a caller might pass as counts."""
    return st.one_of(
        PYTHON_NUMBERS,
        st.none(),
        st.text(max_size=6),
        st.binary(max_size=4),
        arrays(),
        arrays().map(lambda a: a.tolist()),  # nested lists, always rectangular
        # Plausible counts, so that successful computations are common too.
        hnp.arrays(np.int64, SHAPES, elements=st.integers(0, 10**6)),
        hnp.arrays(np.float64, SHAPES, elements=st.floats(0, 1e6)),
        hnp.arrays(np.uint64, SHAPES, elements=st.integers(2**53 - 10, 2**64 - 1)),
        st.lists(st.integers(0, 2**80), max_size=4).map(lambda v: np.array(v, dtype=object)),
        HUGE_INTS,
        GIANT_INTS,
        st.lists(GIANT_INTS, min_size=1, max_size=2).map(lambda v: np.array(v, dtype=object)),
        st.lists(st.lists(st.integers(0, 9), max_size=3), min_size=2, max_size=3),  # ragged
    )


CONFIDENCES = st.one_of(
    st.floats(),
    st.integers(),
    st.sampled_from([0.95, 0.998, 95, 99.8, 0.9, 90, 1.0, 100]),
    st.lists(st.sampled_from([0.95, 0.998, 0.9, 95, 0.5]), max_size=3),
    st.lists(st.sampled_from([0.95, 0.998]), min_size=1, max_size=2, unique=True).map(tuple),
    st.none(),
    st.text(max_size=4),
    st.booleans(),
)
METHODS = st.one_of(
    st.none(), st.sampled_from(["wilson", "clopper_pearson", "auto", "exact", "byar", "dobson"]), st.text(max_size=6)
)


def _exact_numbers(value: Any) -> list[Fraction] | None:
    """The numbers a numeric input holds, exactly, in C order (None for
    inputs such as text whose conversion is not the point here)."""
    array = np.asarray(value)
    try:
        if array.dtype.kind in "iu":
            return [Fraction(int(v)) for v in array.ravel()]
        if array.dtype.kind == "f":
            return [Fraction(float(v)) for v in array.ravel()]
        if array.dtype.kind == "O" and all(
            isinstance(v, int | float | Fraction | Decimal) and not isinstance(v, bool) for v in array.ravel()
        ):
            return [Fraction(v) for v in array.ravel()]
    except (ValueError, OverflowError):  # NaN or inf broadcast against an empty array
        return None
    return None


def _close(a: float, b: float, rel: float = 1e-12) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b)) or abs(a - b) <= 1e-300


def check_result(result: Result, numerator: Any, denominator: Any) -> None:
    """The invariants of any successful computation."""
    indicator = result.indicator
    assert result.unit == indicator.unit
    expected_shape = np.broadcast_shapes(np.shape(numerator), np.shape(denominator if denominator is not None else 0))
    assert np.shape(result.value) == expected_shape
    if expected_shape == ():
        assert isinstance(result.value, float)
    value = np.asarray(result.value, dtype=np.float64)
    num = np.broadcast_to(np.asarray(result.numerator, dtype=np.float64), expected_shape)
    # Never NaN (compute has no masking), never infinite, never outside the range.
    assert np.isfinite(value).all()
    low, high = indicator.valid_range
    assert (value >= low).all() and (value <= high * (1 + 1e-12)).all()
    assert (num >= 0).all() and np.isfinite(num).all()
    if UNITS[indicator.numerator.unit].whole:
        assert (num == np.floor(num)).all()
    # The counts are the numbers given, to the last digit.
    exact_num = _exact_numbers(numerator)
    if exact_num is not None and exact_num:
        given_num = np.broadcast_to(np.array(exact_num, dtype=object).reshape(np.shape(numerator)), expected_shape)
        assert all(Fraction(float(a)) == b for a, b in zip(num.ravel(), given_num.ravel(), strict=True))
    scale = Fraction(value_scale(indicator))
    if denominator is None:
        assert result.denominator is None
        den = np.ones(expected_shape)
    else:
        den = np.broadcast_to(np.asarray(result.denominator, dtype=np.float64), expected_shape)
        assert (den > 0).all() and np.isfinite(den).all()
        if KINDS[indicator.kind].numerator_within_denominator:
            assert (num <= den).all()
    # The value is numerator / denominator in the indicator's unit, to rounding.
    for n, d, v in zip(num.ravel(), den.ravel(), value.ravel(), strict=True):
        assert _close(float(Fraction(float(n)) / Fraction(float(d)) * scale), float(v))
    for interval in result.intervals:
        lower = np.asarray(interval.lower, dtype=np.float64)
        upper = np.asarray(interval.upper, dtype=np.float64)
        assert lower.shape == upper.shape == expected_shape
        assert np.isfinite(lower).all() and np.isfinite(upper).all()
        assert (lower >= 0).all()
        slack = 1e-9 * np.maximum(np.abs(value), 1e-300)
        assert (lower <= value + slack).all() and (value <= upper + slack).all()
        if indicator.kind is Kind.PROPORTION:
            assert (upper <= high * (1 + 1e-12)).all()
    formatted = result.format("en")
    assert np.shape(formatted) == expected_shape
    assert all(isinstance(text, str) and text for text in np.asarray(formatted).ravel())


@given(
    st.sampled_from(INDICATORS),
    counts(),
    st.one_of(st.none(), counts()),
    CONFIDENCES,
    METHODS,
)
def test_compute_gives_a_correct_result_or_a_library_error(
    indicator: Any, numerator: Any, denominator: Any, confidence: Any, method: Any
) -> None:
    try:
        result = indicator.compute(numerator, denominator, confidence=confidence, method=method)
    except PhindicatorsError:
        return
    check_result(result, numerator, denominator)


@st.composite
def valid_counts(draw: st.DrawFn, indicator: Any, shape: tuple[int, ...] | None = None) -> tuple[Any, Any]:
    """Counts that should compute: whole, positive denominators, numerator
    within the denominator for proportions, in any integer or float dtype."""
    shape = draw(SHAPES) if shape is None else shape
    dtype, limit = draw(
        st.sampled_from([(np.int64, 2**53 - 1), (np.uint32, 2**32 - 1), (np.float64, 2**53 - 1), (np.int16, 2**15 - 1), (object, 2**53 - 1)])
    )
    den = draw(hnp.arrays(np.int64, shape, elements=st.integers(1, limit)))
    if KINDS[indicator.kind].numerator_within_denominator:
        share = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
        num = np.floor(den * share).astype(np.int64)
    else:
        num = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, limit)))
    if not KINDS[indicator.kind].has_denominator:
        return num.astype(dtype), None
    return num.astype(dtype), den.astype(dtype)


@given(st.sampled_from(INDICATORS).flatmap(lambda i: st.tuples(st.just(i), valid_counts(i))))
def test_valid_counts_always_compute(case: tuple[Any, tuple[Any, Any]]) -> None:
    indicator, (numerator, denominator) = case
    result = indicator.compute(numerator, denominator, confidence=(0.95, 0.998))
    check_result(result, numerator, denominator)


@given(st.integers(0, 2**64 + 10), st.integers(0, 2**64 + 10), st.sampled_from([int, np.uint64, np.int64, object]))
def test_counts_near_the_integer_limits_are_exact_or_refused(num: int, den: int, kind: Any) -> None:
    indicator = CATALOG.get("death_ratio")
    try:
        numerator, denominator = (np.array([v], dtype=kind) if kind is not int else v for v in (num, den))
    except OverflowError:  # numpy cannot hold the value in that dtype: not the library's concern
        return
    try:
        result = indicator.compute(numerator, denominator)
    except PhindicatorsError:
        assert max(num, den) >= 2**53 or den == 0
        return
    assert num < 2**53 and 0 < den < 2**53
    assert np.ravel(result.numerator)[0] == num and np.ravel(result.denominator)[0] == den


# -- statistics ---------------------------------------------------------------------

STAT_COUNTS = st.one_of(
    hnp.arrays(st.sampled_from([np.int64, np.float64, np.uint8, np.float32]), SHAPES),
    st.floats(),
    st.integers(-5, 10**7),
    st.floats(0, 1e12),
    st.none(),
    st.text(max_size=3),
    hnp.arrays(np.float64, SHAPES, elements=st.floats(0, 1e9)),
)
MULTIPLIERS = st.sampled_from([1.0, 100.0, 1000.0, 100_000.0, 0.5])


def _check_interval(interval: Any, multiplier: float, proportion: bool) -> None:
    value, lower, upper = (np.asarray(getattr(interval, name), dtype=np.float64) for name in ("value", "lower", "upper"))
    assert value.shape == lower.shape == upper.shape
    assert np.isfinite(value).all() and np.isfinite(lower).all() and np.isfinite(upper).all()
    slack = 1e-9 * np.maximum(np.abs(value), 1e-300)
    assert (lower >= 0).all()
    assert (lower <= value + slack).all() and (value <= upper + slack).all()
    if proportion:
        assert (upper <= multiplier * (1 + 1e-12)).all()


@given(STAT_COUNTS, STAT_COUNTS, CONFIDENCES, st.sampled_from(["wilson", "clopper_pearson", "wald"]), MULTIPLIERS)
def test_proportion_intervals(x: Any, n: Any, confidence: Any, method: str, multiplier: float) -> None:
    try:
        intervals = proportion_interval(x, n, confidence, method=method, multiplier=multiplier)
    except PhindicatorsError:
        return
    for interval in intervals if isinstance(intervals, tuple) else (intervals,):
        _check_interval(interval, multiplier, proportion=True)


@given(STAT_COUNTS, st.one_of(STAT_COUNTS, st.just(1.0)), CONFIDENCES, st.sampled_from(["auto", "exact", "byar", "exakt"]), MULTIPLIERS)
def test_poisson_intervals(count: Any, exposure: Any, confidence: Any, method: str, multiplier: float) -> None:
    try:
        intervals = poisson_interval(count, exposure, confidence, method=method, multiplier=multiplier)
    except PhindicatorsError:
        return
    for interval in intervals if isinstance(intervals, tuple) else (intervals,):
        _check_interval(interval, multiplier, proportion=False)


@given(STAT_COUNTS, STAT_COUNTS, STAT_COUNTS, STAT_COUNTS)
def test_two_sample_tests(a: Any, b: Any, c: Any, d: Any) -> None:
    for test in (two_proportion_test, rate_ratio_test):
        try:
            outcome = test(a, b, c, d)
        except PhindicatorsError:
            continue
        statistic, p_value = np.asarray(outcome.statistic), np.asarray(outcome.p_value)
        assert np.isfinite(statistic).all()
        assert ((p_value >= 0) & (p_value <= 1)).all()


@given(STAT_COUNTS, STAT_COUNTS, st.sampled_from(["proportion", "rate", "poisson"]), st.one_of(st.none(), STAT_COUNTS))
def test_trend_test(x: Any, n: Any, kind: str, times: Any) -> None:
    try:
        trend = trend_test(x, n, kind=kind, times=times)
    except PhindicatorsError:
        return
    statistic, p_value = np.asarray(trend.statistic), np.asarray(trend.p_value)
    # NaN is the documented "cannot be calculated" (no events, or all): it
    # must come with a NaN p-value, never a number.
    assert (np.isnan(statistic) == np.isnan(p_value)).all()
    assert ((p_value[~np.isnan(p_value)] >= 0) & (p_value[~np.isnan(p_value)] <= 1)).all()


@given(
    STAT_COUNTS,
    st.one_of(st.floats(), st.floats(0, 1), st.floats(0, 1e3)),
    CONFIDENCES,
    st.sampled_from(["proportion", "rate", "ratio"]),
    MULTIPLIERS,
)
def test_funnel_limits(denominator: Any, average: float, confidence: Any, kind: str, multiplier: float) -> None:
    try:
        limits = funnel_limits(denominator, average, confidence, kind=kind, multiplier=multiplier)
    except PhindicatorsError:
        return
    for interval in limits if isinstance(limits, tuple) else (limits,):
        lower, upper = np.asarray(interval.lower), np.asarray(interval.upper)
        assert np.isfinite(lower).all() and np.isfinite(upper).all()
        centre = average * multiplier
        assert (lower <= centre * (1 + 1e-9) + 1e-12).all() and (centre <= upper * (1 + 1e-9) + 1e-12).all()


@given(
    hnp.arrays(st.sampled_from([np.int64, np.float64]), hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)),
    st.one_of(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)), st.floats()),
    st.one_of(st.none(), hnp.arrays(np.float64, st.integers(0, 6).map(lambda n: (n,)))),
)
def test_dsr_masks_explicitly(counts: np.ndarray, populations: Any, standard: Any) -> None:
    standard = np.ones(counts.shape[-1]) if standard is None else standard
    try:
        rate = dsr(counts, populations, standard)
    except PhindicatorsError:
        return
    value = np.asarray(rate.value)
    suppressed = np.asarray(rate.suppressed)
    # NaN exactly where the rate is suppressed, and the note says why.
    assert (np.isnan(value) == suppressed).all()
    assert (not suppressed.any()) or rate.note
    assert np.isfinite(np.asarray(rate.lower)[~suppressed]).all()


@given(hnp.arrays(st.sampled_from([np.int64, np.float64]), hnp.array_shapes(min_dims=0, max_dims=2, max_side=5)), STAT_COUNTS)
def test_dobson_interval(counts: np.ndarray, weights: Any) -> None:
    try:
        interval = dobson_interval(counts, weights)
    except PhindicatorsError:
        return
    value, lower, upper = (np.asarray(v) for v in (interval.value, interval.lower, interval.upper))
    total = np.broadcast_arrays(counts, weights)[0].sum(axis=-1)
    ok = total > 0  # no events: the spread is undefined (documented NaN)
    assert np.isfinite(value).all()
    assert (lower[ok] <= value[ok] * (1 + 1e-9) + 1e-300).all() and (value[ok] <= upper[ok] * (1 + 1e-9)).all()


# -- comparisons and pooling -----------------------------------------------------

RESULT_INDICATORS = [i for i in INDICATORS if i.kind is not Kind.MEAN]


@st.composite
def results(draw: st.DrawFn, shape: tuple[int, ...] | None = None) -> Result:
    indicator = draw(st.sampled_from(RESULT_INDICATORS))
    numerator, denominator = draw(valid_counts(indicator, shape))
    return indicator.compute(numerator, denominator)


BENCHMARKS = st.one_of(
    st.floats(),
    st.integers(-(10**30), 10**30),
    hnp.arrays(np.float64, SHAPES),
    st.none(),
    st.lists(st.floats(), max_size=3),
    results(),
    st.text(max_size=5),
)


@given(results(), BENCHMARKS, CONFIDENCES)
def test_compare_to_benchmark(result: Result, benchmark: Any, confidence: Any) -> None:
    try:
        status = compare_to_benchmark(result, benchmark, confidence=confidence)
    except PhindicatorsError:
        return
    statuses = np.asarray(status, dtype=object).ravel()
    assert all(isinstance(s, BenchmarkStatus) for s in statuses)


@given(st.data(), st.sampled_from(RESULT_INDICATORS), hnp.array_shapes(min_dims=0, max_dims=2, max_side=4))
def test_compare_results(data: st.DataObject, indicator: Any, shape: tuple[int, ...]) -> None:
    a = indicator.compute(*data.draw(valid_counts(indicator, shape)))
    b = indicator.compute(*data.draw(valid_counts(indicator, shape)))
    other_unit = data.draw(st.sampled_from([u for u, s in UNITS.items() if s.dimension == UNITS[indicator.unit].dimension]))
    confidence = data.draw(CONFIDENCES)
    try:
        change = compare_results(a, b.to(other_unit), confidence=confidence)
    except PhindicatorsError:
        return
    # The difference is in a's unit, whatever unit b was expressed in (to the
    # rounding of the conversion, relative to the values subtracted).
    size = np.maximum(np.abs(a.value), np.abs(b.value))
    assert (np.abs(np.subtract(change.difference, np.subtract(a.value, b.value))) <= 1e-12 * size + 1e-12).all()
    for status in (change.status, change.status_by_overlap):
        assert all(isinstance(s, BenchmarkStatus) for s in np.asarray(status, dtype=object).ravel())
    assert np.isfinite(np.asarray(change.test.p_value)).all()


@given(st.data(), st.sampled_from(RESULT_INDICATORS), st.integers(1, 7), st.integers(0, 3))
def test_compare_trend_and_funnel(data: st.DataObject, indicator: Any, periods: int, areas: int) -> None:
    shape = (areas, periods) if areas else (periods,)
    result = indicator.compute(*data.draw(valid_counts(indicator, shape)))
    times = data.draw(st.one_of(st.none(), st.lists(st.floats(), max_size=7)))
    try:
        trend = compare_trend(result, times=times)
    except PhindicatorsError:
        pass
    else:
        assert all(isinstance(s, TrendStatus) for s in np.asarray(trend.status, dtype=object).ravel())
    average = data.draw(st.one_of(st.none(), st.floats()))
    try:
        plot = funnel(result, average=average)
    except PhindicatorsError:
        return
    assert math.isfinite(plot.average)
    assert all(isinstance(s, FunnelPosition) for s in np.asarray(plot.positions, dtype=object).ravel())


THRESHOLD_UNITS = [u for u, s in UNITS.items() if s.dimension == ""]


@given(
    results(),
    st.sampled_from(["<=", ">=", "<", ">"]),
    st.floats(0, 1e6),
    st.sampled_from(THRESHOLD_UNITS),
    st.booleans(),
)
def test_compare_to_target_in_any_unit(result: Result, comparator: str, threshold: float, unit: str, uncertain: bool) -> None:
    assume(UNITS[result.unit].dimension == "")
    target = Target(
        id="t", indicator=result.indicator.id, comparator=comparator, threshold=threshold,
        unit=unit, source=Source(id="s", title="S"), plan="p",
    )
    comparison = compare_to_target(result, target, uncertain=uncertain)
    statuses = np.asarray(comparison.status, dtype=object).ravel()
    assert all(isinstance(s, TargetStatus) for s in statuses)
    # The verdict is the one an exact comparison in one unit gives.
    in_result_unit = Fraction(threshold) * Fraction(repr(UNITS[unit].multiplier)) / Fraction(repr(UNITS[result.unit].multiplier))
    for value, status in zip(np.asarray(result.value, dtype=np.float64).ravel(), statuses, strict=True):
        if status is TargetStatus.UNCERTAIN:
            continue
        exact = {"<=": Fraction(float(value)) <= in_result_unit, ">=": Fraction(float(value)) >= in_result_unit,
                 "<": Fraction(float(value)) < in_result_unit, ">": Fraction(float(value)) > in_result_unit}[comparator]
        near = abs(Fraction(float(value)) - in_result_unit) <= Fraction(1, 10**8) * max(abs(in_result_unit), 1)
        assert near or (status is TargetStatus.MET) == exact


@given(results(), st.one_of(st.none(), st.integers(-3, 3), st.tuples(st.integers(-2, 2))), st.booleans(), st.data())
def test_pool(result: Result, axis: Any, by_labels: bool, data: st.DataObject) -> None:
    by = None
    if by_labels:
        by = data.draw(hnp.arrays(st.sampled_from([np.int64, "U2"]), np.shape(result.value), elements=None))
        axis = None
    try:
        pooled = pool(result, axis=axis, by=by)
    except PhindicatorsError:
        return
    pooled_result = pooled if isinstance(pooled, Result) else pooled.result
    total = np.asarray(pooled_result.numerator).sum()
    assert total == pytest.approx(np.asarray(result.numerator).sum(), rel=1e-12)
    assert np.isfinite(np.asarray(pooled_result.value)).all()


@given(st.lists(st.tuples(st.integers(2000, 2003), st.integers(1, 12), st.integers(0, 11)), min_size=1, max_size=4), st.data())
def test_pool_periods(spans: list[tuple[int, int, int]], data: st.DataObject) -> None:
    indicator = CATALOG.get("death_ratio")
    results_ = []
    for year, first, length in spans:
        last = min(12, first + length)
        num, den = data.draw(valid_counts(indicator, ()))
        results_.append(indicator.compute(num, den, period=Period.months(year, first, last)))
    try:
        whole = pool_periods(results_)
    except PhindicatorsError:
        return
    assert whole.numerator == pytest.approx(sum(float(r.numerator) for r in results_))
    assert whole.period.start == min(r.period.start for r in results_)
