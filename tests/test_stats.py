"""Intervals and tests of phindicators.stats against independent implementations
(scipy, statsmodels), published worked examples and their defining properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats as sps

from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats import (
    DSR_MIN_COUNT,
    INTERVAL_METHODS,
    Interval,
    StandardPopulation,
    byar_interval,
    clopper_pearson_interval,
    confidence_levels,
    dobson_interval,
    dsr,
    exact_poisson_interval,
    funnel_limits,
    interval_bounds,
    poisson_interval,
    proportion_interval,
    rate_ratio_test,
    standard_population,
    standard_populations,
    trend_test,
    two_proportion_test,
    wilson_interval,
    z_value,
)

try:  # statsmodels is a test-only reference implementation
    import statsmodels.api as sm
    from statsmodels.stats import rates as sm_rates
    from statsmodels.stats.contingency_tables import Table
    from statsmodels.stats.proportion import proportion_confint, proportions_ztest
except ImportError:  # pragma: no cover - depends on the environment
    sm = None

needs_statsmodels = pytest.mark.skipif(sm is None, reason="statsmodels (test-only) is not installed")

LEVELS = st.sampled_from([0.9, 0.95, 0.99, 0.998, 0.999])


@st.composite
def proportion_counts(draw: st.DrawFn, max_n: int = 10**9) -> tuple[int, int]:
    n = draw(st.integers(1, max_n))
    return draw(st.integers(0, n)), n


# ------------------------------------------------------------ confidence


@pytest.mark.parametrize(
    ("given_level", "expected"),
    [(0.95, (0.95,)), (95, (0.95,)), (99.8, (0.998,)), (0.9, (0.9,)), ((0.95, 99.8), (0.95, 0.998))],
)
def test_confidence_as_fraction_or_percent(given_level: object, expected: tuple[float, ...]) -> None:
    assert confidence_levels(given_level) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0.5, 0.89, 1, 1.0, 50, 89.9, 100, 101, -0.95, float("nan"), True, "0.95", (), (0.95, 95), None])
def test_confidence_outside_the_ranges_is_an_error(bad: object) -> None:
    with pytest.raises(InvalidOptionError, match="confidence"):
        confidence_levels(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError):
        wilson_interval(1, 10, bad)  # type: ignore[arg-type]


def test_z_values_match_scipy() -> None:
    for level in (0.9, 0.95, 0.998, 0.999):
        assert z_value(level) == pytest.approx(sps.norm.ppf(0.5 + level / 2), rel=1e-14)


@pytest.mark.parametrize(
    ("function", "kwargs", "valid"),
    [
        (proportion_interval, {"method": "wilsn"}, "'wilson', 'clopper_pearson'"),
        (poisson_interval, {"method": "Byar"}, "'auto', 'exact', 'byar'"),
        (trend_test, {"kind": "proportions"}, "'proportion', 'rate'"),
    ],
)
def test_misspelled_options_list_the_valid_ones(function: object, kwargs: dict, valid: str) -> None:
    with pytest.raises(InvalidOptionError, match=valid):
        function([1, 2], [10, 10], **kwargs)  # type: ignore[operator]


def test_interval_bounds_rejects_unknown_methods() -> None:
    with pytest.raises(InvalidOptionError, match="'wilson', 'clopper_pearson', 'auto'"):
        interval_bounds("dobson", 1.0, 2.0, 0.95)
    assert set(INTERVAL_METHODS) >= {"wilson", "clopper_pearson", "exact", "byar", "auto", "dobson"}


# ------------------------------------------------------------ proportions


@needs_statsmodels
@given(proportion_counts(), LEVELS)
def test_wilson_matches_statsmodels(counts: tuple[int, int], level: float) -> None:
    x, n = counts
    ci = wilson_interval(x, n, level)
    lower, upper = proportion_confint(x, n, alpha=1 - level, method="wilson")
    assert ci.lower == pytest.approx(lower, rel=1e-9, abs=1e-12)
    assert ci.upper == pytest.approx(upper, rel=1e-9, abs=1e-12)


@needs_statsmodels
@given(proportion_counts(max_n=10**6), LEVELS)
def test_clopper_pearson_matches_statsmodels(counts: tuple[int, int], level: float) -> None:
    x, n = counts
    ci = clopper_pearson_interval(x, n, level)
    lower, upper = proportion_confint(x, n, alpha=1 - level, method="beta")
    assert ci.lower == pytest.approx(np.nan_to_num(lower), rel=1e-9, abs=1e-12)
    assert ci.upper == pytest.approx(np.nan_to_num(upper, nan=1.0), rel=1e-9, abs=1e-12)


@needs_statsmodels
def test_wilson_vectorised_matches_statsmodels_on_arrays() -> None:
    rng = np.random.default_rng(5)
    n = rng.integers(1, 10**6, 5000)
    x = (n * rng.random(5000)).astype(int)
    x[:3], n[:3] = [0, 7, 1], [9, 7, 1]  # the edges 0 and n
    ci = wilson_interval(x, n, 0.998)
    lower, upper = proportion_confint(x, n, alpha=0.002, method="wilson")
    np.testing.assert_allclose(ci.lower, lower, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ci.upper, upper, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [
        # Newcombe RG. Two-sided confidence intervals for the single
        # proportion. Stat Med 1998;17:857-72, Table II, method 3 (score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_reproduces_newcombes_examples(x: int, n: int, lower: float, upper: float) -> None:
    ci = wilson_interval(x, n)
    assert (round(ci.lower, 4), round(ci.upper, 4)) == (lower, upper)


def test_clopper_pearson_reproduces_the_table_value() -> None:
    # 5 of 25 seedlings survive: 0.068 to 0.407 from Conover's (1999) tables.
    ci = clopper_pearson_interval(5, 25)
    assert (round(ci.lower, 3), round(ci.upper, 3)) == (0.068, 0.407)


@given(proportion_counts(), st.sampled_from(["wilson", "clopper_pearson"]))
def test_proportion_limits_bracket_the_value_and_nest(counts: tuple[int, int], method: str) -> None:
    x, n = counts
    inner, outer = proportion_interval(x, n, (0.95, 0.998), method=method, multiplier=100)
    assert 0 <= outer.lower <= inner.lower <= inner.value <= inner.upper <= outer.upper <= 100
    assert inner.value == outer.value == x / n * 100


@given(
    hnp.array_shapes(min_dims=0, max_dims=3, max_side=5).flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.int64, shape, elements=st.integers(1, 10**7)),
            hnp.arrays(np.float64, shape, elements=st.floats(0, 1)),
        )
    ),
    LEVELS,
)
def test_arrays_give_the_same_bits_as_scalars(arrays: tuple[np.ndarray, np.ndarray], level: float) -> None:
    n, fraction = arrays
    x = np.floor(n * fraction).astype(np.int64)
    ci = wilson_interval(x, n, level, multiplier=100)
    counts = poisson_interval(x, n, level, multiplier=1000)
    assert np.shape(ci.lower) == x.shape and np.shape(counts.upper) == x.shape
    for index in np.ndindex(x.shape):
        one = wilson_interval(int(x[index]), int(n[index]), level, multiplier=100)
        assert (one.lower, one.upper) == (np.asarray(ci.lower)[index], np.asarray(ci.upper)[index])
        rate = poisson_interval(int(x[index]), int(n[index]), level, multiplier=1000)
        assert (rate.lower, rate.upper) == (np.asarray(counts.lower)[index], np.asarray(counts.upper)[index])


def test_scalars_in_floats_out_arrays_in_arrays_out() -> None:
    ci = wilson_interval(3, 10)
    assert all(type(v) is float for v in (ci.value, ci.lower, ci.upper))
    ci = wilson_interval(np.array([[3]]), np.array([[10]]))
    assert ci.lower.shape == (1, 1)
    assert wilson_interval([], []).lower.shape == (0,)


def test_bad_counts_name_the_function_field_and_positions() -> None:
    with pytest.raises(InvalidCountsError, match=r"wilson_interval|proportion_interval") as caught:
        wilson_interval([1, 5, 2], [10, 4, 10])
    assert caught.value.field == "x" and caught.value.positions == ((1,),)
    with pytest.raises(InvalidCountsError, match="n is zero"):
        wilson_interval(0, 0)
    with pytest.raises(InvalidCountsError, match="count is negative"):
        poisson_interval(-1)
    with pytest.raises(InvalidCountsError, match="exposure is zero"):
        poisson_interval([1, 2], [1, 0])
    with pytest.raises(InvalidCountsError, match="NaN or infinite"):
        poisson_interval(np.nan)
    with pytest.raises(InvalidCountsError, match="real numbers"):
        poisson_interval("ten")


# ------------------------------------------------------------------ Poisson


def _chi2_limits(x: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = 1 - level
    lower = np.where(x > 0, sps.chi2.ppf(alpha / 2, 2 * x) / 2, 0.0)
    return lower, sps.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2


@given(st.integers(0, 10**7), LEVELS)
def test_exact_poisson_matches_chi_squared_quantiles(count: int, level: float) -> None:
    ci = exact_poisson_interval(count, confidence=level)
    lower, upper = _chi2_limits(np.array(count), level)
    assert ci.lower == pytest.approx(float(lower), rel=1e-9, abs=1e-12)
    assert ci.upper == pytest.approx(float(upper), rel=1e-9)


def test_small_counts_table_matches_scipy_at_both_levels() -> None:
    counts = np.arange(10)
    for level in (0.95, 0.998):
        ci = exact_poisson_interval(counts, confidence=level)
        lower, upper = _chi2_limits(counts, level)
        np.testing.assert_allclose(ci.lower, lower, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(ci.upper, upper, rtol=1e-12)


@pytest.mark.parametrize(
    ("count", "lower", "upper"),
    # Garwood (1936) exact 95 % limits, as tabulated in Breslow & Day (1987),
    # compared to the printed precision.
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.6235, 11.668), (10, 4.795, 18.390)],
)
def test_exact_poisson_reproduces_the_published_table(count: int, lower: float, upper: float) -> None:
    ci = exact_poisson_interval(count)
    assert ci.lower == pytest.approx(lower, abs=0.5 * 10 ** -len(repr(lower).split(".")[1]))
    assert ci.upper == pytest.approx(upper, abs=5e-4)


@given(st.integers(0, 10**9), LEVELS)
def test_byar_is_breslow_and_days_formula(count: int, level: float) -> None:
    z = sps.norm.isf((1 - level) / 2)
    ci = byar_interval(count, confidence=level)
    x1 = count + 1
    assert ci.upper == pytest.approx(x1 * (1 - 1 / (9 * x1) + z / (3 * math.sqrt(x1))) ** 3, rel=1e-12)
    if count:
        expected = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
        assert ci.lower == pytest.approx(max(expected, 0.0), rel=1e-12, abs=1e-12)
    else:
        assert ci.lower == 0.0


def test_byar_is_within_0_2_percent_of_exact_from_10_events() -> None:
    # The Fingertips technical guide's reason for switching at 10 events.
    counts = np.arange(10, 20_000)
    byar, exact = byar_interval(counts), exact_poisson_interval(counts)
    assert np.max(np.abs(byar.lower / exact.lower - 1)) < 0.002
    assert np.max(np.abs(byar.upper / exact.upper - 1)) < 0.002


def test_auto_switches_from_exact_to_byar_at_10() -> None:
    counts = np.array([0, 9, 10, 11, 500])
    auto = poisson_interval(counts, 1000, multiplier=1000)
    exact = exact_poisson_interval(counts, 1000, multiplier=1000)
    byar = byar_interval(counts, 1000, multiplier=1000)
    chosen = np.where(counts < 10, exact.lower, byar.lower)
    np.testing.assert_array_equal(auto.lower, chosen)
    assert auto.method == "auto"
    assert poisson_interval(9).method == "exact" and poisson_interval(10).method == "byar"


@given(st.integers(0, 10**8), st.integers(1, 10**9), st.sampled_from(["auto", "exact", "byar"]))
def test_poisson_limits_bracket_the_value_and_nest(count: int, exposure: int, method: str) -> None:
    inner, outer = poisson_interval(count, exposure, (0.95, 0.998), method=method, multiplier=1e5)
    assert 0 <= outer.lower <= inner.lower <= inner.value <= inner.upper <= outer.upper


def test_fractional_counts_take_the_exact_gamma_limits() -> None:
    ci = exact_poisson_interval(np.array([2.5, 3.0]))
    lower, upper = _chi2_limits(np.array([2.5, 3.0]), 0.95)
    np.testing.assert_allclose(ci.lower, lower, rtol=1e-9)
    np.testing.assert_allclose(ci.upper, upper, rtol=1e-9)


# -------------------------------------------------------------- standardised


def test_who_world_standard_is_bundled_with_its_source() -> None:
    who = standard_population("who_world_2000")
    assert "who_world_2000" in standard_populations()
    assert who.lower_ages == tuple(range(0, 101, 5))
    assert who.bands[0] == "0-4" and who.bands[-1] == "100+"
    assert "Ahmad" in who.source and "No. 31" in who.source
    # The published percentages are rounded: they sum to 100.035 %.
    assert sum(who.weights) == 100_035
    collapsed = standard_population(open_age=85)
    assert collapsed.bands[-1] == "85+" and collapsed.weights[-1] == 440 + 150 + 40 + 5
    assert sum(collapsed.weights) == sum(who.weights)
    with pytest.raises(InvalidOptionError, match="bundled ones are: .*who_world_2000"):
        standard_population("who_world")
    with pytest.raises(InvalidOptionError, match="first age of a band"):
        standard_population(open_age=83)


@given(
    st.lists(st.integers(1, 10**6), min_size=2, max_size=21),
    st.integers(1, 1000),
    st.data(),
)
def test_dsr_with_a_proportional_standard_is_the_crude_rate(
    populations: list[int], scale: int, data: st.DataObject
) -> None:
    # When the standard has the study population's age structure, the DSR is
    # the crude rate and Dobson's interval is the Poisson interval of the total.
    counts = [data.draw(st.integers(0, p)) for p in populations]
    total = sum(counts)
    assume(total >= DSR_MIN_COUNT)
    rate = dsr(counts, populations, [p * scale for p in populations], (0.95, 0.998))
    crude = poisson_interval(total, sum(populations), (0.95, 0.998), multiplier=100_000)
    for standardised, plain in zip(rate, crude, strict=True):  # type: ignore[arg-type]
        assert standardised.value == pytest.approx(plain.value, rel=1e-9)
        assert standardised.lower == pytest.approx(plain.lower, rel=1e-9)
        assert standardised.upper == pytest.approx(plain.upper, rel=1e-9)
        assert standardised.total_count == total and not standardised.suppressed


def test_dsr_by_hand() -> None:
    # Two bands: rates 10/1000 and 30/2000 per person, standard weights 60 and 40.
    rate = dsr([10, 30], [1000, 2000], [60, 40], multiplier=1000)
    value = (0.6 * 10 / 1000 + 0.4 * 30 / 2000) * 1000
    variance = (0.6 / 1000) ** 2 * 10 + (0.4 / 2000) ** 2 * 30
    z = sps.norm.isf(0.025)
    low40 = 40 * (1 - 1 / 360 - z / (3 * math.sqrt(40))) ** 3
    assert rate.value == pytest.approx(value, rel=1e-12)
    assert rate.lower == pytest.approx(value + math.sqrt(variance / 40) * (low40 - 40) * 1000, rel=1e-12)
    assert rate.method == "dobson" and rate.confidence == 0.95


def test_dsr_suppresses_totals_below_10_with_a_reason() -> None:
    counts = np.array([[0, 9], [5, 5], [0, 0]])
    rate = dsr(counts, np.full((3, 2), 1000), [1, 1])
    assert rate.suppressed.tolist() == [True, False, True]
    assert np.isnan(rate.value[[0, 2]]).all() and np.isnan(rate.lower[0])
    assert rate.value[1] == pytest.approx(500.0)
    assert rate.note == "total count below 10: not published"
    assert dsr([5, 5], [1000, 1000], [1, 1]).note == ""


def test_dsr_uses_the_bundled_who_standard_by_name() -> None:
    who = standard_population(open_age=85)
    counts, pops = np.arange(18) + 1, np.full(18, 10_000)
    by_object = dsr(counts, pops, who)
    weights = np.array(who.weights) / sum(who.weights)
    assert by_object.value == pytest.approx(float(weights @ (counts / pops)) * 100_000, rel=1e-12)
    with pytest.raises(InvalidOptionError, match=r"21 bands but the data has 18 \(collapse it"):
        dsr(counts, pops, "who_world_2000")
    assert dsr(np.ones(21) * 2, np.full(21, 1000), "who_world_2000").value == pytest.approx(200.0)


def test_dsr_bad_inputs() -> None:
    with pytest.raises(InvalidCountsError, match="events in a band of population 0"):
        dsr([1, 10], [0, 100], [1, 1])
    assert dsr([0, 10], [0, 100], [1, 1], empty_bands="zero").value == pytest.approx(5000.0)  # kept on request
    with pytest.raises(InvalidCountsError, match="band"):
        dsr([0, 10], [0, 100], [1, 1])  # refused by default, as PHE refuses it
    with pytest.raises(InvalidOptionError, match="along an axis"):
        dsr(10, 100, [1])
    with pytest.raises(InvalidOptionError, match="must be >= 0"):
        StandardPopulation("x", "x", ["a"], [0], [-1])


@given(st.lists(st.tuples(st.integers(0, 10**5), st.floats(0.01, 100)), min_size=1, max_size=10), LEVELS)
def test_dobson_limits_bracket_the_weighted_sum(strata: list[tuple[int, float]], level: float) -> None:
    counts, weights = zip(*strata, strict=True)
    assume(sum(counts) > 0)
    inner, outer = dobson_interval(counts, weights, (0.95, level) if level != 0.95 else (0.95, 0.998))  # type: ignore[misc]
    assert inner.value == pytest.approx(sum(c * w for c, w in strata), rel=1e-12)
    assert inner.lower <= inner.value <= inner.upper
    wide, narrow = (outer, inner) if outer.confidence > 0.95 else (inner, outer)
    assert wide.lower <= narrow.lower and narrow.upper <= wide.upper


# ---------------------------------------------------------------------- tests


@needs_statsmodels
@given(proportion_counts(10**6), proportion_counts(10**6))
def test_two_proportion_test_matches_statsmodels(a: tuple[int, int], b: tuple[int, int]) -> None:
    (x1, n1), (x2, n2) = a, b
    pooled = (x1 + x2) / (n1 + n2)
    assume(0 < pooled < 1)
    ours = two_proportion_test(x1, n1, x2, n2)
    z, p = proportions_ztest([x1, x2], [n1, n2])
    assert ours.statistic == pytest.approx(z, rel=1e-9, abs=1e-12)
    assert ours.p_value == pytest.approx(p, rel=1e-9, abs=1e-300)


def test_two_proportion_test_of_identical_extremes_is_not_significant() -> None:
    test = two_proportion_test([0, 5, 3], [10, 5, 10], [0, 8, 3], [20, 8, 10])
    assert test.statistic.tolist() == [0.0, 0.0, 0.0] and test.p_value.tolist() == [1.0, 1.0, 1.0]


@needs_statsmodels
@given(st.integers(0, 10**5), st.integers(1, 10**7), st.integers(0, 10**5), st.integers(1, 10**7))
def test_rate_ratio_test_matches_statsmodels_score_test(c1: int, e1: int, c2: int, e2: int) -> None:
    assume(c1 + c2 > 0)
    ours = rate_ratio_test(c1, e1, c2, e2)
    with np.errstate(divide="ignore"):  # statsmodels also forms the ratio c1/c2
        theirs = sm_rates.test_poisson_2indep(c1, e1, c2, e2, method="score")
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-9, abs=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-300)


def test_vectorised_tests_match_scalar_ones() -> None:
    x1, n1, x2, n2 = np.array([5, 50]), np.array([100, 200]), np.array([9, 40]), np.array([90, 210])
    test = two_proportion_test(x1, n1, x2, n2)
    for i in range(2):
        one = two_proportion_test(int(x1[i]), int(n1[i]), int(x2[i]), int(n2[i]))
        assert (one.statistic, one.p_value) == pytest.approx((test.statistic[i], test.p_value[i]), rel=1e-15)
    assert rate_ratio_test(0, 10, 0, 20).p_value == 1.0


def test_cochran_armitage_reproduces_agresti() -> None:
    # Agresti, Categorical Data Analysis: alcohol and malformations (Mills &
    # Graubard 1987). Mantel's M² = (N-1)r² is 6.57 with scores 0, .5, 1.5,
    # 4, 7 and 1.83 with scores 1..5; Cochran-Armitage's z² is N r².
    present = np.array([48, 38, 5, 1, 1])
    n = present + np.array([17066, 14464, 788, 126, 37])
    total = n.sum()
    for scores, published in (([0, 0.5, 1.5, 4, 7], 6.57), ([1, 2, 3, 4, 5], 1.83)):
        trend = trend_test(present, n, times=scores)
        assert round(trend.statistic**2 * (total - 1) / total, 2) == published
        assert trend.statistic > 0 and trend.method == "Cochran-Armitage test for trend"


@needs_statsmodels
@given(
    st.lists(st.integers(1, 10**5), min_size=2, max_size=8).flatmap(
        lambda ns: st.tuples(st.just(ns), st.tuples(*[st.integers(0, n) for n in ns]))
    )
)
def test_cochran_armitage_matches_statsmodels_ordinal_association(case: tuple[list[int], tuple[int, ...]]) -> None:
    n, x = np.array(case[0]), np.array(case[1])
    total = n.sum()
    assume(0 < x.sum() < total)
    table = np.column_stack([x, n - x])
    times = np.arange(len(n), dtype=float)
    assume(np.ptp(times[n > 0]) > 0)
    theirs = Table(table, shift_zeros=False).test_ordinal_association(row_scores=times, col_scores=np.array([1.0, 0.0]))
    ours = trend_test(x, n)
    assert ours.statistic * math.sqrt((total - 1) / total) == pytest.approx(theirs.zscore, rel=1e-9, abs=1e-12)


@needs_statsmodels
@given(
    st.lists(st.tuples(st.integers(0, 10**4), st.integers(1, 10**6)), min_size=3, max_size=10),
    st.sampled_from(["proportion", "rate"]),
)
def test_trend_is_a_weighted_regression_with_null_variance_weights(
    rows: list[tuple[int, int]], kind: str
) -> None:
    x = np.array([min(c, e) if kind == "proportion" else c for c, e in rows], dtype=float)
    n = np.array([e for _, e in rows], dtype=float)
    pooled = x.sum() / n.sum()
    variance = pooled * (1 - pooled) if kind == "proportion" else pooled
    assume(variance > 0)
    t = np.arange(len(rows), dtype=float)
    weights = n / variance  # 1 / var0 of each rate x/n
    fit = sm.WLS(x / n, sm.add_constant(t), weights=weights).fit()
    assume(fit.scale > 0)  # a perfect fit leaves statsmodels no residual scale to divide out
    known_variance_se = fit.bse[1] / math.sqrt(fit.scale)
    ours = trend_test(x, n, kind=kind)
    # Least squares loses about 1e-12 of the values' size to rounding.
    assert ours.slope == pytest.approx(fit.params[1], rel=1e-7, abs=1e-10 * np.max(x / n))
    assert ours.statistic == pytest.approx(
        fit.params[1] / known_variance_se, rel=1e-7, abs=1e-10 * np.max(x / n) / known_variance_se
    )


def test_trend_over_areas_and_degenerate_rows() -> None:
    x = np.array([[10, 12, 14, 16, 18], [0, 0, 0, 0, 0], [5, 5, 5, 5, 5]])
    trend = trend_test(x, np.full((3, 5), 100))
    assert trend.statistic.shape == (3,)
    assert np.isnan(trend.statistic[1]) and np.isnan(trend.p_value[1])
    assert trend.statistic[2] == 0.0
    by_columns = trend_test(x.T, np.full((5, 3), 100), axis=0)
    np.testing.assert_array_equal(by_columns.statistic, trend.statistic)
    with pytest.raises(InvalidOptionError, match="at least 2 periods"):
        trend_test([1], [10])
    with pytest.raises(InvalidOptionError, match="times must be 5 finite numbers"):
        trend_test(x, np.full((3, 5), 100), times=[1, 2, 3])


# --------------------------------------------------------------------- funnels

# PHEindicatormethods, tests/testthat/testdata_funnel_prop_outputs.csv:
# population, 95 % lower, 95 % upper, 99.8 % lower, 99.8 % upper (percent)
# around an average of 80.642448 %.
PHE_PROPORTION_FUNNEL = [
    (1, 3.204264, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (102, 72.974925, 88.309971, 68.553233, 92.731663),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]

# PHEindicatormethods, tests/testthat/testdata_funnel_rate_outputs.csv (DSR
# per 100 000 over 3 years, average 116.1720835): events, population per year
# at which they sit on the 95 % lower limit, that limit; the same for the
# 95 % upper limit.
PHE_RATE_FUNNEL = [
    (1, 1598.675694, 20.85059119, 7.264481402, 4588.535848),
    (10, 5276.757672, 63.17010446, 1375.943768, 242.2579623),
    (99, 34583.45945, 95.42133877, 23087.10848, 142.9369123),
    (1360, 411529.9259, 110.158048, 369759.5622, 122.6021934),
]


def test_proportion_funnel_reproduces_phe() -> None:
    rows = np.array(PHE_PROPORTION_FUNNEL, dtype=float)
    inner, outer = funnel_limits(rows[:, 0], 0.80642448, multiplier=100)  # type: ignore[misc]
    for column, limits in zip(rows[:, 1:].T, (inner.lower, inner.upper, outer.lower, outer.upper), strict=True):
        np.testing.assert_allclose(limits, column, atol=2e-6)


def test_rate_funnel_reproduces_phe() -> None:
    average = 116.1720835 / 100_000
    for events, low_pop, low_limit, high_pop, high_limit in PHE_RATE_FUNNEL:
        lower = funnel_limits(3 * low_pop, average, 0.95, kind="rate", multiplier=100_000)
        upper = funnel_limits(3 * high_pop, average, 0.95, kind="rate", multiplier=100_000)
        assert lower.lower == pytest.approx(low_limit, rel=1e-6)  # type: ignore[union-attr]
        assert upper.upper == pytest.approx(high_limit, rel=1e-6)  # type: ignore[union-attr]
        assert lower.lower * 3 * low_pop / 100_000 == pytest.approx(events, rel=1e-6)  # type: ignore[union-attr]


@given(st.integers(1, 10**7), st.floats(0.001, 0.999), LEVELS)
def test_proportion_funnel_limits_are_where_wilson_touches_the_average(
    n: int, average: float, level: float
) -> None:
    limits = funnel_limits(n, average, level)
    z = z_value(level)
    for p, side in ((limits.lower, "upper"), (limits.upper, "lower")):  # type: ignore[union-attr]
        if 0 < p < 1:  # clipped limits have no Wilson interval touching the average
            x = p * n
            centre, half = x + z * z / 2, z * math.sqrt(x * (1 - p) + z * z / 4)
            bound = (centre + half if side == "upper" else centre - half) / (n + z * z)
            assert bound == pytest.approx(average, rel=1e-7, abs=1e-12)


@given(st.floats(1, 10**7), st.floats(1e-6, 0.5), LEVELS)
def test_rate_funnel_limits_are_where_the_exact_interval_touches_the_average(
    n: float, average: float, level: float
) -> None:
    limits = funnel_limits(n, average, level, kind="rate")
    expected, tail = average * n, (1 - level) / 2
    low, high = limits.lower * n, limits.upper * n  # type: ignore[union-attr]
    if low > 0:
        assert sps.gamma.ppf(1 - tail, low + 1) == pytest.approx(expected, rel=1e-7)
    assert sps.gamma.ppf(tail, high) == pytest.approx(expected, rel=1e-7)
    assert limits.lower <= average <= limits.upper  # type: ignore[union-attr]


def test_funnel_limits_options() -> None:
    assert isinstance(funnel_limits(100, 0.5, 0.95), Interval)
    assert len(funnel_limits([100, 200], 0.5)) == 2  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="<= 1"):
        funnel_limits(100, 1.5)
    with pytest.raises(InvalidOptionError, match="'proportion', 'rate'"):
        funnel_limits(100, 0.5, kind="ratio")
