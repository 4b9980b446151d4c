"""Annual percent change, the recent-trend rule and two periods compared, against
statsmodels' Poisson GLM, scipy and plain formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats import trend_test
from phindicators.stats.trends import annual_percent_change, rate_difference, rate_ratio, recent_trend

try:  # statsmodels is a test-only reference implementation
    import statsmodels.api as sm
except ImportError:  # pragma: no cover - depends on the environment
    sm = None


def test_apc_of_an_exact_exponential_series() -> None:
    years = np.array([2010, 2011, 2013, 2016])  # gaps are allowed
    pops = np.array([1e6, 1.1e6, 1.3e6, 1.2e6])
    counts = pops * 2e-4 * 1.07 ** (years - 2010)
    apc = annual_percent_change(counts, pops, years)
    assert apc.value == pytest.approx(7.0, rel=1e-12)
    assert apc.lower < 7 < apc.upper


@pytest.mark.skipif(sm is None, reason="statsmodels (test-only) is not installed")
def test_apc_matches_a_poisson_glm_over_areas() -> None:
    rng = np.random.default_rng(11)
    years = np.arange(2008, 2023, dtype=float)
    pops = rng.integers(20_000, 400_000, size=(6, years.size)).astype(float)
    trends = np.array([-0.08, -0.02, 0.0, 0.01, 0.03, 0.12])[:, None]
    counts = rng.poisson(pops * 5e-4 * np.exp(trends * (years - 2008))).astype(float)
    inner, outer = annual_percent_change(counts.T, pops.T, years, (0.95, 0.99), axis=0)
    design = sm.add_constant(years - years.mean())
    for area in range(6):
        fit = sm.GLM(counts[area], design, family=sm.families.Poisson(), offset=np.log(pops[area])).fit(tol=1e-14)
        slope, error = fit.params[1], fit.bse[1]
        assert inner.slope[area] == pytest.approx(slope, rel=1e-9, abs=1e-12)
        assert inner.slope_error[area] == pytest.approx(error, rel=1e-9)
        assert inner.p_value[area] == pytest.approx(fit.pvalues[1], rel=1e-6, abs=1e-300)
        low, high = fit.conf_int(alpha=0.01)[1]
        assert outer.lower[area] == pytest.approx(100 * math.expm1(low), rel=1e-9, abs=1e-12)
        assert outer.upper[area] == pytest.approx(100 * math.expm1(high), rel=1e-9, abs=1e-12)


def test_apc_without_a_finite_fit_is_nan() -> None:
    apc = annual_percent_change([[0, 0, 0], [0, 0, 7], [3, 0, 5]], [[100] * 3] * 3)
    assert np.isnan(apc.value[:2]).all() and np.isfinite(apc.value[2])


def test_apc_bad_input() -> None:
    with pytest.raises(InvalidOptionError, match="at least 3 periods"):
        annual_percent_change([1, 2], [10, 10])
    with pytest.raises(InvalidOptionError, match="one finite number per period"):
        annual_percent_change([1, 2, 3], [10, 10, 10], [2000, 2001])
    with pytest.raises(InvalidCountsError, match="populations is zero"):
        annual_percent_change([1, 2, 3], [10, 0, 10])


def test_recent_trend_tests_the_latest_five_points_at_99_8() -> None:
    x = np.array([[90, 80, 50, 60, 70, 85, 100], [50, 52, 49, 51, 50, 48, 52]])
    n = np.full((2, 7), 1000)
    verdict = recent_trend(x, n)
    direct = trend_test(x[:, -5:], n[:, -5:])
    assert verdict.test is not None
    np.testing.assert_allclose(verdict.test.statistic, direct.statistic, rtol=1e-12)
    expected = [
        ("increasing" if z > 0 else "decreasing") if abs(z) > sps.norm.isf(0.001) else "no significant change"
        for z in direct.statistic
    ]
    assert verdict.direction.tolist() == expected == ["increasing", "no significant change"]
    assert verdict.confidence == 0.998
    # the early fall of the first area is outside the window
    assert verdict.direction[0] == "increasing"
    assert recent_trend([1, 2, 3, 4], [10] * 4).direction == "cannot be calculated"


def test_rate_difference_is_normal() -> None:
    d = rate_difference([60, 5], [10_000, 2_000], [40, 9], [12_000, 2_500], 0.99, multiplier=1)
    value = np.array([60 / 10_000 - 40 / 12_000, 5 / 2_000 - 9 / 2_500])
    error = np.sqrt(np.array([60 / 10_000**2 + 40 / 12_000**2, 5 / 2_000**2 + 9 / 2_500**2]))
    np.testing.assert_allclose(d.value, value, rtol=1e-14)
    np.testing.assert_allclose(d.upper - d.value, sps.norm.isf(0.005) * error, rtol=1e-12)


def test_rate_ratio_exact_and_log() -> None:
    exact = rate_ratio(12, 3000, 5, 4000)
    p_low = sps.beta.ppf(0.025, 12, 6)
    p_high = sps.beta.ppf(0.975, 13, 5)
    assert exact.value == pytest.approx((12 / 3000) / (5 / 4000), rel=1e-14)
    assert exact.lower == pytest.approx(p_low / (1 - p_low) * 4000 / 3000, rel=1e-10)
    assert exact.upper == pytest.approx(p_high / (1 - p_high) * 4000 / 3000, rel=1e-10)
    log = rate_ratio(12, 3000, 5, 4000, method="log")
    assert log.lower == pytest.approx(exact.value * math.exp(-sps.norm.isf(0.025) * math.sqrt(1 / 12 + 1 / 5)))
    zero = rate_ratio(0, 1000, 4, 1000)
    assert zero.value == 0 and zero.lower == 0 and zero.upper > 0
    with pytest.raises(InvalidOptionError, match="method must be one of"):
        rate_ratio(1, 1, 1, 1, method="wald")
