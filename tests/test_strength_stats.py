"""Interval kernels: the gaps the mutation run of ../shared/TEST_STRENGTH.md
found (S03, S08–S12, S16–S18).

Expected values come from the definitions (Decimal arithmetic, scipy's
chi-squared quantiles, the order of the limits) or from the scalar path,
which the array paths promise to equal bit for bit. Every input that once
exposed a mutant is a fixed ``@example``, so no kill depends on the seed.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from phindicators import InvalidCountsError
from phindicators.errors import InvalidOptionError
from phindicators.stats import (
    byar_interval,
    clopper_pearson_interval,
    confidence_levels,
    dsr,
    isr,
    poisson_interval,
    proportion_interval,
    wilson_interval,
)

LEVELS = st.sampled_from([0.9, 0.95, 0.99, 0.998])
#: Multipliers above and below 1: the kernels scale only when it is not 1.
MULTIPLIERS = st.sampled_from([1.0, 0.5, 1e-3, 100.0, 1e5])

# ------------------------------------------------------ confidence levels


@given(st.integers(9000, 9999))
@example(9990)  # 99.9: float division gives 0.9990000000000001
@example(9010)  # 90.1: float division gives 0.9009999999999999
def test_a_percentage_with_two_decimals_is_its_exact_fraction(hundredths: int) -> None:
    percent = hundredths / 100
    assert confidence_levels(percent) == (float(Decimal(repr(percent)) / 100),)


@given(st.floats(90, 100, exclude_max=True))
def test_any_percentage_is_its_decimal_value_over_100(percent: float) -> None:
    assert confidence_levels(percent) == (float(Decimal(repr(percent)) / 100),)


def test_the_level_of_a_result_is_the_exact_fraction() -> None:
    assert wilson_interval(3, 10, 99.9).confidence == 0.999
    assert poisson_interval(3, 10, 90.1).confidence == 0.901
    assert confidence_levels((99.9, 95)) == (0.999, 0.95)


# --------------------------------------- scalars, arrays, 0-d arrays: same bits


def _bits(value: object) -> bytes:
    return np.asarray(value, dtype=np.float64).tobytes()


def _same_on_every_route(interval: object, x: float, n: float, level: float, multiplier: float, **kw: object) -> None:
    one = interval(x, n, level, multiplier=multiplier, **kw)  # type: ignore[operator]
    many = interval(np.array([x, x]), np.array([n, n]), level, multiplier=multiplier, **kw)  # type: ignore[operator]
    zero_d = interval(np.array(x), np.array(n), level, multiplier=multiplier, **kw)  # type: ignore[operator]
    broadcast = interval(np.array([x]), n, level, multiplier=multiplier, **kw)  # type: ignore[operator]
    for other in (many, zero_d, broadcast):
        for field in ("value", "lower", "upper"):
            got = np.asarray(getattr(other, field)).reshape(-1)
            assert {_bits(v) for v in got} == {_bits(getattr(one, field))}, (field, other)


proportion_pairs = st.tuples(st.integers(1, 10**7), st.floats(0, 1)).map(lambda t: (float(int(t[0] * t[1])), float(t[0])))
fractional_pairs = st.tuples(st.floats(1e-3, 1e6), st.floats(0, 1)).map(lambda t: (t[0] * t[1], t[0]))


@given(st.one_of(proportion_pairs, fractional_pairs), LEVELS, MULTIPLIERS,
       st.sampled_from(["wilson", "clopper_pearson"]))
@example((81.0, 263.0), 0.95, 0.5, "wilson")  # S12: a multiplier below 1 on the array path
@example((0.0, 20.0), 0.95, 0.5, "wilson")
@example((0.35993045024050696, 0.359930450240507), 0.95, 1.0, "wilson")
def test_proportion_routes_give_the_scalar_bits(pair: tuple[float, float], level: float, multiplier: float,
                                                 method: str) -> None:
    x, n = pair
    if 0 < x < 1e-6 or n < 1e-6:
        return  # not counts (refused on every route alike)
    _same_on_every_route(proportion_interval, x, n, level, multiplier, method=method)


@given(st.one_of(st.integers(0, 10**6).map(float), st.floats(1e-6, 30)), st.floats(1, 1e6), LEVELS, MULTIPLIERS,
       st.sampled_from(["auto", "exact", "byar"]))
@example(0.5, 1.0, 0.95, 1.0, "exact")  # S16: a count in (0, 1) on the scalar exact path
@example(0.5, 1.0, 0.95, 1.0, "auto")
@example(1.0, 1.0, 0.998, 1.0, "byar")  # S17/S18: Byar's dip below 0
@example(2.0, 1.0, 0.998, 1.0, "byar")
@example(0.0, 1.0, 0.998, 1.0, "byar")
@example(3.0, 7.0, 0.95, 0.5, "exact")
def test_poisson_routes_give_the_scalar_bits(count: float, exposure: float, level: float, multiplier: float,
                                             method: str) -> None:
    _same_on_every_route(poisson_interval, count, exposure, level, multiplier, method=method)


def test_a_multiplier_below_1_scales_the_array_limits() -> None:
    # S12: Newcombe's 81/263 (0.2553, 0.3662) and 0/20 (0, 0.1611), halved.
    ci = wilson_interval(np.array([81, 0]), np.array([263, 20]), multiplier=0.5)
    assert ci.lower.round(4).tolist() == [0.1276, 0.0]
    assert ci.upper.round(4).tolist() == [0.1831, 0.0806]


def test_dask_gives_the_numpy_bits() -> None:
    da = pytest.importorskip("dask.array")
    x = np.array([0, 1, 5, 81, 0.5, 19.999999])
    n = np.array([20, 1, 9, 263, 1, 20])
    for multiplier in (0.5, 100.0):
        for interval in (wilson_interval, poisson_interval, byar_interval):
            eager = interval(x, n, 0.998, multiplier=multiplier)
            lazy = interval(da.from_array(x, chunks=2), da.from_array(n, chunks=2), 0.998, multiplier=multiplier)
            for field in ("value", "lower", "upper"):
                assert _bits(getattr(lazy, field).compute()) == _bits(getattr(eager, field))


# ------------------------------------------- Wilson's limits near x = n


@given(st.floats(1e-3, 1e9), st.sampled_from([0.0, 1e-16, 2e-16, 5e-16, 1e-15, 1e-12]), LEVELS, MULTIPLIERS)
@example(0.359930450240507, 0.0, 0.95, 1.0)
@example(0.011997834668602896, 0.0, 0.95, 1.0)
def test_wilson_limits_keep_their_order_on_fractional_counts_near_n(n: float, epsilon: float, level: float,
                                                                     multiplier: float) -> None:
    for x in {n * (1 - epsilon), np.nextafter(n, 0), n}:
        if x < 1e-6:
            continue
        for ci in (wilson_interval(float(x), n, level, multiplier=multiplier),
                   wilson_interval(np.array([x]), np.array([n]), level, multiplier=multiplier)):
            value, lower, upper = (float(np.asarray(v).reshape(-1)[0]) for v in (ci.value, ci.lower, ci.upper))
            assert 0 <= lower <= value <= upper <= multiplier, (x, n, lower, value, upper)


@pytest.mark.parametrize(("x", "n"), [(0.35993045024050696, 0.359930450240507),
                                      (0.011997834668602082, 0.011997834668602896)])
def test_wilson_upper_limit_is_between_the_value_and_1(x: float, n: float) -> None:
    # S08–S11: without the clips these are one ulp out of order.
    for ci in (wilson_interval(x, n), wilson_interval(np.array([x]), np.array([n]))):
        upper, value = float(np.asarray(ci.upper).reshape(-1)[0]), float(np.asarray(ci.value).reshape(-1)[0])
        assert value <= upper <= 1.0


# ------------------------------------------------------- Poisson limits


@pytest.mark.parametrize("level", [0.95, 0.998])
def test_byar_lower_limits_are_never_negative(level: float) -> None:
    # x(1 - 1/(9x) - z/(3√x))³ < 0 for 1 and 2 events at 99.8 % (z = 3.09):
    # 1 - 1/9 - 1.03 = -0.142 for one event. The limit is clipped to 0.
    counts = np.arange(0, 30)
    for lower in (byar_interval(counts, confidence=level).lower,
                  np.array([byar_interval(int(c), confidence=level).lower for c in counts])):
        assert np.all(np.isfinite(lower)) and np.all(lower >= 0)
    assert byar_interval(1, confidence=0.998).lower == 0.0
    assert byar_interval(np.array([0, 1]), confidence=0.998).lower.tolist() == [0.0, 0.0]


@given(st.floats(0.05, 9.999), LEVELS, st.sampled_from(["exact", "auto"]))
@example(0.5, 0.95, "exact")
def test_fractional_counts_take_chi_squared_limits(count: float, level: float, method: str) -> None:
    # Exact limits of a count c: χ²(α/2; 2c)/2 and χ²(1-α/2; 2c+2)/2, for
    # fractional c too (Garwood); scipy's chi2 is an independent route.
    alpha = 1 - level
    lower = scipy_stats.chi2.ppf(alpha / 2, 2 * count) / 2
    upper = scipy_stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    for ci in (poisson_interval(count, confidence=level, method=method),
               poisson_interval(np.array([count]), confidence=level, method=method)):
        got_lower, got_upper = (float(np.asarray(v).reshape(-1)[0]) for v in (ci.lower, ci.upper))
        assert got_lower == pytest.approx(lower, rel=1e-9, abs=1e-300) and got_lower > 0
        assert got_upper == pytest.approx(upper, rel=1e-9)


# ------------------------------------------- standardisation: areas and errors


def _bits_of(result: object) -> tuple[bytes, ...]:
    return tuple(_bits(getattr(result, f)) for f in ("value", "lower", "upper"))


@pytest.mark.parametrize("empty_bands", ["refuse", "zero", "drop"])
def test_dsr_of_areas_is_the_dsr_of_each_area(empty_bands: str) -> None:
    counts = np.array([[1, 5, 9], [0, 3, 20], [2, 0, 7]])
    populations = np.array([[100, 400, 900], [50, 300, 1000], [80, 200, 700]])
    if empty_bands != "refuse":
        counts[2, 1], populations[2, 1] = 0, 0  # an empty band in the last area only
    together = dsr(counts, populations, standard=[1, 2, 3], empty_bands=empty_bands)
    transposed = dsr(counts.T, populations.T, standard=[1, 2, 3], axis=0, empty_bands=empty_bands)
    for i in range(3):
        alone = dsr(counts[i], populations[i], standard=[1, 2, 3], empty_bands=empty_bands)
        for many in (together, transposed):
            assert tuple(_bits(np.asarray(getattr(many, f))[i]) for f in ("value", "lower", "upper")) == _bits_of(alone)


def test_isr_of_areas_is_the_isr_of_each_area() -> None:
    counts = np.array([[1, 5, 9], [0, 3, 20]])
    populations = np.array([[100, 400, 900], [50, 300, 1000]])
    reference = {"reference_counts": [10, 20, 30], "reference_populations": [1000, 2000, 3000]}
    together = isr(counts, populations, **reference)
    for i in range(2):
        alone = isr(counts[i], populations[i], **reference)
        assert tuple(_bits(np.asarray(getattr(together, f))[i]) for f in ("value", "lower", "upper")) == _bits_of(alone)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: dsr([1, -1], [100, 100], standard=[1, 1]), r"^dsr: counts is negative .*\(1,\): counts=-1, populations=100"),
    (lambda: dsr([1, 1], [100, -100], standard=[1, 1]), r"^dsr: populations is negative .*populations=-100"),
    (lambda: dsr([1, 1], [100, 100], standard=[1, 1], eventfreq=[0]), r"^dsr: eventfreq is zero"),
    (lambda: isr([-1, 1], [100, 100], reference_counts=[10, 10], reference_populations=[1000, 1000]),
     r"^isr: counts is negative"),
    (lambda: isr([1, 1], [100, 100], reference_counts=[-10, 10], reference_populations=[1000, 1000]),
     r"^isr: reference_counts is negative .*reference_counts=-10"),
    (lambda: isr([1, 1], [100, 100], reference_counts=[10, 10], reference_populations=[1000, -1000]),
     r"^isr: reference_populations is negative .*reference_populations=-1000"),
    (lambda: isr([1, 1], [100, 100], reference_counts=[10, 10], reference_populations=[1000, 1000], axis=3),
     r"^isr: axis 3 is out of range"),
])
def test_standardisation_errors_name_the_function_and_the_field(call: object, message: str) -> None:
    with pytest.raises((InvalidCountsError, InvalidOptionError), match=message):
        call()  # type: ignore[operator]


def test_dsr_with_event_frequencies_of_areas_is_that_of_each_area() -> None:
    # counts[k] are the persons with eventfreq[k] events each.
    persons = np.array([[[1, 5, 9], [0, 3, 20]], [[2, 1, 4], [1, 1, 1]]])
    populations = np.array([[100, 400, 900], [50, 300, 1000]])
    together = dsr(persons, populations, standard=[1, 2, 3], eventfreq=[1, 2])
    for i in range(2):
        alone = dsr(persons[:, i], populations[i], standard=[1, 2, 3], eventfreq=[1, 2])
        assert tuple(_bits(np.asarray(getattr(together, f))[i]) for f in ("value", "lower", "upper")) == _bits_of(alone)


def test_dask_intervals_at_two_levels_and_bad_chunks() -> None:
    da = pytest.importorskip("dask.array")
    x, n = np.array([0, 1, 5, 81]), np.array([20, 1, 9, 263])
    for interval in (wilson_interval, poisson_interval):
        eager = interval(x, n, (0.95, 0.998), multiplier=100.0)
        lazy = interval(da.from_array(x, chunks=2), da.from_array(n, chunks=2), (0.95, 0.998), multiplier=100.0)
        for e, lz in zip(eager, lazy, strict=True):
            assert lz.confidence == e.confidence
            for field in ("value", "lower", "upper"):
                assert _bits(getattr(lz, field).compute()) == _bits(getattr(e, field))
    bad = wilson_interval(da.from_array(np.array([1, 2, 3, 7]), chunks=2), da.from_array(np.full(4, 5), chunks=2))
    with pytest.raises(InvalidCountsError, match=r"x exceeds n .*\(3,\): x=7"):
        bad.upper.compute()


def test_defaults_and_options_of_the_interval_functions() -> None:
    # 5/25 is 0.2 as a fraction (multiplier 1 by default), 20 with 100.
    assert proportion_interval(5, 25).value == 0.2
    assert clopper_pearson_interval(1, 4, multiplier=100).value == 25.0
    assert clopper_pearson_interval(1, 4, multiplier=100).upper == 100 * clopper_pearson_interval(1, 4).upper
    with pytest.raises(InvalidOptionError, match="^method must be one of 'auto', 'exact', 'byar', got 'exakt'"):
        poisson_interval(1, method="exakt")


def test_dask_exposures_and_scalar_denominators() -> None:
    da = pytest.importorskip("dask.array")
    counts, exposure = np.array([1, 12]), np.array([10.0, 20.0])
    eager = poisson_interval(counts, exposure)
    lazy = poisson_interval(counts, da.from_array(exposure, chunks=1))
    assert _bits(lazy.upper.compute()) == _bits(eager.upper)
    lazy = wilson_interval(da.from_array(np.array([1, 5, 9]), chunks=2), 20)
    assert lazy.upper.compute().shape == (3,)
    assert _bits(lazy.upper.compute()) == _bits(wilson_interval(np.array([1, 5, 9]), 20).upper)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: wilson_interval(0.5e-6, 1.0), r"x is between 0 and 1e-06 \(too small a fraction to be a count\)"),
    (lambda: wilson_interval(np.array([0.5e-6, 0.5]), np.array([1.0, 1])), r"at 1 of 2 positions: \(0,\): x=5e-07"),
    (lambda: wilson_interval([5, 10], [4, 10]), r"x exceeds n \(at 1 of 2 positions: \(0,\): x=5, n=4\)$"),
    (lambda: isr([1, 1], [100, 100], reference_counts=[2.0**53, 0.1]),
     r"^isr: reference_counts is too large \(>= 2\*\*53\)"),
    (lambda: isr([2**53, 1], [100, 100], reference_counts=[0.1, 0.1]),
     r"^isr: counts is too large to count exactly \(>= 2\*\*53\)"),
])
def test_count_checks_of_the_statistics(call: object, message: str) -> None:
    with pytest.raises(InvalidCountsError, match=message):
        call()  # type: ignore[operator]


def test_the_smallest_count_itself_is_a_count() -> None:
    # SMALLEST_COUNT = 1e-6 is allowed; only (0, 1e-6) is refused.
    assert wilson_interval(np.array([0.0, 1e-6]), np.array([1.0, 1.0])).value.tolist() == [0.0, 1e-6]


def test_a_multiplier_of_2_scales_every_route() -> None:
    # 1/4 is 0.25; times 2 is 0.5, on the scalar and the array path.
    assert wilson_interval(1, 4, multiplier=2.0).value == 0.5
    assert wilson_interval(1, 4, multiplier=2.0).upper == 2 * wilson_interval(1, 4).upper
    assert wilson_interval(np.array([1]), np.array([4]), multiplier=2.0).value.tolist() == [0.5]
    assert poisson_interval(np.array([3]), np.array([4]), multiplier=2.0).value.tolist() == [1.5]


def test_a_0d_array_is_one_level() -> None:
    assert confidence_levels(np.array(0.95)) == (0.95,)
    assert confidence_levels(np.array(99.8)) == (0.998,)


def test_interval_errors_name_their_function() -> None:
    with pytest.raises(InvalidOptionError, match="^method must be one of 'wilson', 'clopper_pearson', got 'wilsn'"):
        proportion_interval(1, 2, method="wilsn")
    with pytest.raises(InvalidCountsError, match=r"^proportion_interval: x exceeds n"):
        wilson_interval(3, 2)
    with pytest.raises(InvalidCountsError, match=r"^poisson_interval: count is negative"):
        poisson_interval(-1)


def test_lazy_counts_with_eager_exposures_and_bad_chunks() -> None:
    da = pytest.importorskip("dask.array")
    counts, exposure = np.array([1, 12, 3, 4]), np.array([10.0, 20.0, 30.0, 40.0])
    lazy = poisson_interval(da.from_array(counts, chunks=2), exposure)
    assert _bits(lazy.lower.compute()) == _bits(poisson_interval(counts, exposure).lower)
    bad = poisson_interval(da.from_array(np.array([1, 2, 3, -1]), chunks=2), exposure)
    with pytest.raises(InvalidCountsError, match=r"^poisson_interval: count is negative .*\(3,\): count=-1"):
        bad.upper.compute()
