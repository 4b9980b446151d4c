"""Polarity-aware comparisons: targets, benchmarks, pairs, trends and funnels."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats as sps

from phindicators import Catalog, InvalidOptionError
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
from phindicators.model import Kind, Polarity, Source, Term
from phindicators.pooling import annualise
from phindicators.stats import wilson_interval
from phindicators.targets import Target
from tests.conftest import TINY

_TINY = Catalog.from_toml(TINY)
MANAGED = _TINY.get("managed_rate")  # proportion, high is good
DEATHS = _TINY.get("death_ratio")  # ratio per 10万, low is good
MEAN = _TINY.get("mean_amount")  # mean, no judgement
COUNT = _TINY.get("death_count")
SOURCE = Source(id="plan", title="A plan")

JUDGEMENTS = {"best", "better", "worse", "worst"}
POLARITIES = st.sampled_from(list(Polarity))


def polar(indicator, polarity: Polarity):  # type: ignore[no-untyped-def]
    return attrs.evolve(indicator, polarity=polarity)


def mirror(status: str) -> str:
    return {"best": "worst", "better": "worse", "worse": "better", "worst": "best"}.get(status, status)


@st.composite
def proportion_counts(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(st.integers(1, 10**6))
    return draw(st.integers(0, n)), n


# --------------------------------------------------------------- benchmark


def test_benchmark_statuses_follow_fingertips() -> None:
    num = np.array([980, 950, 900, 940])
    den = np.full(4, 1000)
    areas = MANAGED.compute(num, den, confidence=(0.95, 0.998))
    single = compare_to_benchmark(areas, 95.0)
    double = compare_to_benchmark(areas, 95.0, confidence=(0.998, 0.95))
    # 980/1000 lies above 95 % even at 99.8 %; 940/1000's 95 % interval is
    # 92.4-95.4 %, which contains 95.
    assert single.tolist() == ["better", "similar", "worse", "similar"]
    assert double.tolist() == ["best", "similar", "worst", "similar"]
    assert isinstance(single[0], BenchmarkStatus)
    deaths = compare_to_benchmark(polar(MANAGED, Polarity.LOW_IS_GOOD).compute(num, den), 95.0)
    assert deaths.tolist() == ["worse", "similar", "better", "similar"]


def test_a_benchmark_exactly_on_a_limit_is_similar() -> None:
    result = MANAGED.compute(81, 263)
    assert compare_to_benchmark(result, result.lower) == BenchmarkStatus.SIMILAR
    assert compare_to_benchmark(result, result.upper) == BenchmarkStatus.SIMILAR
    assert compare_to_benchmark(result, np.nextafter(result.upper, math.inf)) == BenchmarkStatus.WORSE
    assert compare_to_benchmark(result, np.nextafter(result.lower, -math.inf)) == BenchmarkStatus.BETTER


@given(proportion_counts(), st.floats(0, 100), POLARITIES, st.booleans())
def test_swapping_polarity_swaps_better_and_worse(
    counts: tuple[int, int], benchmark: float, polarity: Polarity, two_levels: bool
) -> None:
    confidence = (0.95, 0.998) if two_levels else 0.95
    opposite = {
        Polarity.HIGH_IS_GOOD: Polarity.LOW_IS_GOOD,
        Polarity.LOW_IS_GOOD: Polarity.HIGH_IS_GOOD,
    }.get(polarity, polarity)
    one = compare_to_benchmark(polar(MANAGED, polarity).compute(*counts), benchmark, confidence=confidence)
    other = compare_to_benchmark(polar(MANAGED, opposite).compute(*counts), benchmark, confidence=confidence)
    assert other == mirror(one)


@given(proportion_counts(), st.floats(0, 100), st.sampled_from([Polarity.NO_JUDGEMENT, Polarity.IN_RANGE_IS_GOOD]))
def test_no_judgement_is_only_higher_similar_or_lower(
    counts: tuple[int, int], benchmark: float, polarity: Polarity
) -> None:
    result = polar(MANAGED, polarity).compute(*counts)
    for confidence in (0.95, (0.95, 0.998)):
        status = compare_to_benchmark(result, benchmark, confidence=confidence)
        assert status not in JUDGEMENTS
        assert status in {"higher", "similar", "lower", "higher_99_8", "lower_99_8"}


@given(proportion_counts(), st.floats(0, 100))
def test_two_levels_refine_one(counts: tuple[int, int], benchmark: float) -> None:
    result = MANAGED.compute(*counts)
    at95 = compare_to_benchmark(result, benchmark)
    at998 = compare_to_benchmark(result, benchmark, confidence=0.998)
    both = compare_to_benchmark(result, benchmark, confidence=(0.95, 0.998))
    expected = {("better", "better"): "best", ("worse", "worse"): "worst"}.get((at95, at998), at95)
    assert both == expected


def test_benchmark_from_a_result_in_another_unit_and_missing_values() -> None:
    county = DEATHS.compute(np.array([30, 1]), np.array([100_000, 100_000]))
    province = DEATHS.compute(120, 1_000_000).to("permille")
    assert compare_to_benchmark(county, province).tolist() == ["worse", "better"]
    assert compare_to_benchmark(county, np.array([np.nan, 12.0])).tolist() == ["not_compared", "better"]
    with pytest.raises(InvalidOptionError, match="result of managed_rate"):
        compare_to_benchmark(county, MANAGED.compute(1, 2))
    with pytest.raises(InvalidOptionError, match="no confidence interval"):
        compare_to_benchmark(MEAN.compute(9.55, 81), 1000.0)
    with pytest.raises(InvalidOptionError, match="one or two confidence levels"):
        compare_to_benchmark(county, 10.0, confidence=(0.9, 0.95, 0.998))


def test_intervals_are_computed_when_not_attached() -> None:
    bare = MANAGED.compute(950, 1000, confidence=None)
    assert compare_to_benchmark(bare, 90.0, confidence=(0.95, 0.998)) == BenchmarkStatus.BEST


# ------------------------------------------------------------------- target


def target(indicator: str, comparator: str, *threshold: float, unit: str = "percent") -> Target:
    return Target(
        id="t", indicator=indicator, comparator=comparator, threshold=list(threshold),
        unit=unit, source=SOURCE, plan="plan",
    )


def test_target_status_gap_and_uncertainty() -> None:
    at_least_90 = target("managed_rate", ">=", 90)
    areas = MANAGED.compute(np.array([99, 91, 85, 50]), np.array([100, 100, 100, 100]))
    plain = compare_to_target(areas, at_least_90)
    assert plain.status.tolist() == ["met", "met", "not_met", "not_met"]
    np.testing.assert_allclose(plain.gap, [9.0, 1.0, -5.0, -40.0])
    careful = compare_to_target(areas, at_least_90, uncertain=True)
    # 91/100 (83.8-95.2 %) and 85/100 (76.7-90.7 %) straddle 90 %.
    assert careful.status.tolist() == ["met", "uncertain", "uncertain", "not_met"]
    assert careful.target is at_least_90
    intervals = wilson_interval(np.array([99, 91, 85, 50]), 100, multiplier=100)
    straddles = (intervals.lower <= 90) & (90 <= intervals.upper)
    assert (careful.status == "uncertain").tolist() == straddles.tolist()


def test_target_in_another_unit_and_ranges() -> None:
    mmr = target("death_ratio", "<=", 0.2, unit="permille")  # 20/10万
    outcome = compare_to_target(DEATHS.compute(2, 2158), mmr)
    assert outcome.status == TargetStatus.NOT_MET
    assert outcome.gap == pytest.approx(20 - 2 / 2158 * 100_000)
    ratio = polar(MANAGED, Polarity.IN_RANGE_IS_GOOD)
    in_range = target("managed_rate", "between", 40, 60)
    wide = compare_to_target(ratio.compute(5, 10), in_range, uncertain=True)
    assert wide.status == TargetStatus.UNCERTAIN  # 24-76 % covers both ends
    assert compare_to_target(ratio.compute(5000, 10_000), in_range, uncertain=True).status == "met"


def test_target_with_missing_values_and_means() -> None:
    with pytest.raises(InvalidOptionError, match="no confidence interval"):
        compare_to_target(MEAN.compute(9.55, 81), target("mean_amount", ">=", 1000, unit="yuan"), uncertain=True)
    mean = compare_to_target(MEAN.compute(9.55, 81), target("mean_amount", ">=", 1000, unit="yuan"))
    assert mean.status == TargetStatus.MET


# --------------------------------------------------------------------- pairs


@given(proportion_counts(), proportion_counts())
def test_pair_of_proportions_uses_the_two_proportion_z_test(a: tuple[int, int], b: tuple[int, int]) -> None:
    proportion = pytest.importorskip("statsmodels.stats.proportion")

    pooled = (a[0] + b[0]) / (a[1] + b[1])
    assume(0 < pooled < 1)
    outcome = compare_results(MANAGED.compute(*a), MANAGED.compute(*b))
    z, _ = proportion.proportions_ztest([a[0], b[0]], [a[1], b[1]])
    assert outcome.test.statistic == pytest.approx(z, rel=1e-9, abs=1e-12)
    expected = "similar" if abs(z) <= sps.norm.isf(0.025) else ("better" if z > 0 else "worse")
    if not math.isclose(abs(z), sps.norm.isf(0.025), rel_tol=1e-9):
        assert outcome.status == expected
    assert outcome.difference == pytest.approx((a[0] / a[1] - b[0] / b[1]) * 100)
    # Intervals that do not overlap imply a significant test, not conversely.
    if not outcome.overlap:
        assert outcome.status_by_overlap == outcome.status != "similar"


@given(st.integers(0, 500), st.integers(1, 10**6), st.integers(0, 500), st.integers(1, 10**6), POLARITIES)
def test_pairs_are_antisymmetric_and_polarity_aware(c1: int, e1: int, c2: int, e2: int, polarity: Polarity) -> None:
    indicator = polar(DEATHS, polarity)
    a, b = indicator.compute(c1, e1), indicator.compute(c2, e2)
    forward, backward = compare_results(a, b), compare_results(b, a)
    flip = {"higher": "lower", "lower": "higher"}
    assert backward.status == flip.get(mirror(forward.status), mirror(forward.status))
    assert backward.status_by_overlap == flip.get(
        mirror(forward.status_by_overlap), mirror(forward.status_by_overlap)
    )
    if polarity in (Polarity.NO_JUDGEMENT, Polarity.IN_RANGE_IS_GOOD):
        assert forward.status not in JUDGEMENTS and forward.status_by_overlap not in JUDGEMENTS


def test_pair_of_rates_uses_the_score_test() -> None:
    rates = pytest.importorskip("statsmodels.stats.rates")

    this_year, last_year = DEATHS.compute(np.array([23, 4]), 2158), DEATHS.compute(np.array([10, 5]), 2000)
    outcome = compare_results(this_year, last_year)
    with np.errstate(divide="ignore"):
        expected = rates.test_poisson_2indep(np.array([23, 4]), 2158, np.array([10, 5]), 2000, method="score")
    np.testing.assert_allclose(outcome.test.statistic, expected.statistic, rtol=1e-9)
    assert outcome.status.tolist() == ["worse", "similar"]
    assert outcome.overlap.tolist() == [True, True]
    with pytest.raises(InvalidOptionError, match="cannot compare"):
        compare_results(this_year, MANAGED.compute(1, 2))
    with pytest.raises(InvalidOptionError, match="cannot be compared"):
        compare_results(MEAN.compute(1, 2), MEAN.compute(1, 3))


# --------------------------------------------------------------------- trend


def test_trend_statuses_by_polarity() -> None:
    num, den = np.array([850, 870, 890, 910, 930]), np.full(5, 1000)
    expected = {
        Polarity.HIGH_IS_GOOD: TrendStatus.INCREASING_GETTING_BETTER,
        Polarity.LOW_IS_GOOD: TrendStatus.INCREASING_GETTING_WORSE,
        Polarity.NO_JUDGEMENT: TrendStatus.INCREASING,
        Polarity.IN_RANGE_IS_GOOD: TrendStatus.INCREASING,
    }
    for polarity, status in expected.items():
        trend = compare_trend(polar(MANAGED, polarity).compute(num, den))
        assert trend.status == status
        assert trend.slope == pytest.approx(2.0)  # percentage points per period
        falling = compare_trend(polar(MANAGED, polarity).compute(num[::-1], den))
        assert falling.status == status.replace("increasing", "decreasing").replace(
            "better", "WORSE").replace("worse", "better").replace("WORSE", "worse")


def test_trend_significance_is_at_99_8_percent() -> None:
    den = np.full(5, 1000)
    # z is about 2.2: significant at 95 % but not at 99.8 %.
    num = np.array([100, 105, 110, 115, 131])
    trend = compare_trend(MANAGED.compute(num, den))
    assert 1.96 < abs(trend.test.statistic) < 3.09
    assert trend.status == TrendStatus.NO_SIGNIFICANT_CHANGE
    assert compare_trend(MANAGED.compute(num, den), confidence=0.95).status == "increasing_and_getting_better"


def test_trend_over_areas_rates_and_failures() -> None:
    num = np.array([[0, 0, 0, 0, 0], [50, 40, 30, 20, 10], [5, 5, 6, 5, 5]])
    trend = compare_trend(DEATHS.compute(num, np.full((3, 5), 100_000)))
    assert trend.status.tolist() == [
        "could_not_be_calculated", "decreasing_and_getting_better", "no_significant_change",
    ]
    assert trend.slope[1] == pytest.approx(-10.0)  # per 10万 per period
    with pytest.raises(InvalidOptionError, match="at least 5 periods, got 4"):
        compare_trend(MANAGED.compute([1, 2, 3, 4], [10] * 4))
    with pytest.raises(InvalidOptionError, match="tested for a trend"):
        compare_trend(MEAN.compute(np.ones(5), np.ones(5)))
    counts = compare_trend(COUNT.compute(np.array([10, 20, 30, 40, 50])))
    assert counts.status == "increasing_and_getting_worse"


def test_trend_of_annualised_rates_is_in_their_unit() -> None:
    residents = Term(id="residents", name_en="residents", name_zh="常住人口", population=True)
    incidence = attrs.evolve(DEATHS, id="incidence", kind=Kind.RATE, denominator=residents)
    half_years = incidence.compute(np.array([10, 20, 30, 40, 50]), np.full(5, 100_000), period="2023年1-6月")
    trend = compare_trend(annualise(half_years, basis="months"))
    assert trend.slope == pytest.approx(20.0)


# -------------------------------------------------------------------- funnel


@given(st.lists(proportion_counts(), min_size=2, max_size=30))
def test_funnel_positions_agree_with_the_drawn_limits(areas: list[tuple[int, int]]) -> None:
    num, den = (np.array(v) for v in zip(*areas, strict=True))
    result = MANAGED.compute(num, den)
    plot = funnel(result)
    assert plot.average == pytest.approx(num.sum() / den.sum() * 100)
    inner, outer = plot.limits(den)
    for value, position, lo95, hi95, lo998, hi998 in zip(
        result.value, plot.positions, inner.lower, inner.upper, outer.lower, outer.upper, strict=True
    ):
        # Limits and intervals are two routes to the same boundary; skip
        # values within rounding of a limit.
        if min(abs(value - limit) for limit in (lo95, hi95, lo998, hi998)) < 1e-6:
            continue
        expected = (
            "above_99_8" if value > hi998 else "above_95" if value > hi95
            else "below_99_8" if value < lo998 else "below_95" if value < lo95 else "within"
        )
        assert position == expected


def test_funnel_for_rates_with_a_given_average() -> None:
    result = DEATHS.compute(np.array([2, 30, 9]), np.array([10_000, 10_000, 10_000]))
    plot = funnel(result, average=100.0)  # per 10万
    assert plot.kind == "rate" and plot.average == 100.0
    # Expected 10 events each: 2 is low, 30 very high, 9 within.
    assert plot.positions.tolist() == [FunnelPosition.BELOW_95, FunnelPosition.ABOVE_998, FunnelPosition.WITHIN]
    inner, _ = plot.limits(10_000)
    assert inner.lower < plot.average < inner.upper
    assert inner.lower * 1e4 / 1e5 < 9 and inner.upper * 1e4 / 1e5 > 11  # 9 and 11 events are within
    with pytest.raises(InvalidOptionError, match="needs denominators"):
        funnel(COUNT.compute(np.array([1, 2])))
    with pytest.raises(InvalidOptionError, match="funnel plot"):
        funnel(MEAN.compute(np.array([1.0, 2.0]), np.array([1, 2])))


def test_funnel_and_trend_speak_the_unit_of_the_result() -> None:
    deaths, births = np.array([2, 5, 9, 14, 20]), np.array([2000, 2100, 2200, 2300, 2400])
    result = DEATHS.compute(deaths, births)  # per 100 000
    permille = result.to("permille")  # 1 ‰ = 100 per 100 000
    plain, converted = funnel(result), funnel(permille)
    assert converted.average == pytest.approx(plain.average / 100)
    assert converted.positions.tolist() == plain.positions.tolist()
    assert compare_trend(permille).slope == pytest.approx(compare_trend(result).slope / 100)


def test_no_funnel_or_test_for_amounts_of_money() -> None:
    """Regression (issue 15, F4): a funnel of a share of money drew binomial
    limits, which change with the currency unit."""
    from phindicators import InvalidOptionError, funnel, get

    share = get("oop_share_of_health_expenditure").compute([30.0, 20.0], [100.0, 100.0])
    with pytest.raises(InvalidOptionError, match="amount of money"):
        funnel(share)
