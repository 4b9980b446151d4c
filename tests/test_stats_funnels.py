"""Rate funnels by event count (PHE's calculate_funnel_limits / _points /
assign_funnel_significance for rates) against PHEindicatormethods' expected outputs."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats.funnels import (
    FUNNEL_NOT_APPLICABLE,
    RateFunnel,
    funnel_points,
    rate_funnel_limits,
    rate_funnel_significance,
    ratio_funnel_limits,
    ratio_funnel_significance,
)

PHE = Path(__file__).parent / "data" / "phe"
COLUMNS = {
    "lower_2s_population_1_year": (0, "lower_population"),
    "lower_2s_limit": (0, "lower"),
    "upper_2s_population_1_year": (0, "upper_population"),
    "upper_2s_limit": (0, "upper"),
    "lower_3s_population_1_year": (1, "lower_population"),
    "lower_3s_limit": (1, "lower"),
    "upper_3s_population_1_year": (1, "upper_population"),
    "upper_3s_limit": (1, "upper"),
}


def _rows(name: str) -> list[dict[str, str]]:
    with open(PHE / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    return np.nan if text == "NA" else float(text)


def _inputs() -> tuple[np.ndarray, np.ndarray]:
    rows = _rows("funnel_rate_input_funnels.csv")
    return np.array([float(r["ev"]) for r in rows]), np.array([float(r["rate"]) for r in rows])


def _compare(funnels: tuple[RateFunnel, ...], name: str) -> None:
    rows = _rows(name)
    np.testing.assert_array_equal(funnels[0].events, [float(r["Events"]) for r in rows])
    for column, (level, field) in COLUMNS.items():
        # PHE bisects the expected counts to about 5e-5; ours are exact.
        np.testing.assert_allclose(getattr(funnels[level], field), [float(r[column]) for r in rows], rtol=6e-5)
    assert funnels[0].baseline == pytest.approx(float(rows[0]["baseline"]), rel=1e-9)
    assert [f.confidence for f in funnels] == [0.95, 0.998]


def test_dsr_funnel_reproduces_phe() -> None:
    events, rates = _inputs()
    funnels = rate_funnel_limits(events, rates, kind="dsr", years_of_data=3)
    assert isinstance(funnels, tuple)
    _compare(funnels, "funnel_rate_outputs.csv")


def test_crude_funnel_with_few_events_reproduces_phe() -> None:
    events, rates = _inputs()
    events[events == events.max()] = 5
    funnels = rate_funnel_limits(events, rates, kind="crude", years_of_data=3)
    assert isinstance(funnels, tuple)
    _compare(funnels, "funnel_rate_outputs_2.csv")


def test_crude_funnel_with_zero_events_and_denominators_reproduces_phe() -> None:
    events, rates = _inputs()
    pops = 1e5 * events / rates
    top = events == events.max()
    events[top], rates[top] = 0, 0
    keep = pops > pops.max() / 2
    funnels = rate_funnel_limits(events[keep], rates[keep], kind="crude", years_of_data=3, denominators=pops[keep])
    assert isinstance(funnels, tuple)
    _compare(funnels, "funnel_rate_outputs_3.csv")
    with pytest.raises(InvalidOptionError, match="need their denominators"):
        rate_funnel_limits(events[keep], rates[keep], kind="crude")


@pytest.mark.parametrize(
    ("column", "kind", "multiplier", "rates", "with_zero"),
    [
        ("dsr_per_100000_with_0", "dsr", 1e5, "rate_dsr", True),
        ("dsr_per_100_with_0", "dsr", 100, "rate_dsr", True),
        ("dsr_per_100000_without_0", "dsr", 1e5, "rate_dsr", False),
        ("crude_per_100000_with_0", "crude", 1e5, "rate_crude_per_100000", True),
        ("crude_per_100_with_0", "crude", 100, "rate_crude_per_100", True),
        ("crude_per_100_without_0", "crude", 100, "rate_crude_per_100", False),
    ],
)
def test_significance_reproduces_phe(column: str, kind: str, multiplier: float, rates: str, with_zero: bool) -> None:
    rows = _rows("funnel_rate_dsr_inputs.csv")
    counts = np.array([_number(r["count"]) for r in rows])
    keep = np.ones(counts.size, bool) if with_zero else counts != 0
    got = rate_funnel_significance(
        counts[keep],
        np.array([_number(r[rates]) for r in rows])[keep],
        kind=kind,
        multiplier=multiplier,
        denominators=np.array([_number(r["pop"]) for r in rows])[keep],
    )
    assert got.tolist() == [r[column] for r, k in zip(rows, keep, strict=True) if k]
    if kind == "dsr":
        assert (got[counts[keep] < 10] == FUNNEL_NOT_APPLICABLE).all()


def test_points_match_phe_inputs() -> None:
    rows = _rows("funnel_rate_input_funnels.csv")
    events, rates = _inputs()
    crude = funnel_points(events, rates, kind="crude", years_of_data=3)
    events[events == events.max()] = 5  # as PHE's test: the largest count becomes 5
    dsr = funnel_points(events, rates, kind="dsr", years_of_data=3)
    np.testing.assert_allclose(dsr.denominator, [_number(r["denominator_derived"]) for r in rows], rtol=1e-9)
    np.testing.assert_allclose(dsr.rate, [_number(r["rate_chart"]) for r in rows], rtol=1e-12)
    np.testing.assert_allclose(crude.denominator, [_number(r["denominator_derived_crude"]) for r in rows], rtol=1e-9)
    small = funnel_points([5, 20], [10.0, 10.0], kind="dsr")
    assert np.isnan(small.rate[0]) and np.isnan(small.denominator[0]) and small.rate[1] == 10


def test_bad_input() -> None:
    with pytest.raises(InvalidCountsError, match="rates is 0 where there are events"):
        rate_funnel_limits([10, 20], [0.0, 5.0])
    with pytest.raises(InvalidCountsError, match="counts is negative"):
        rate_funnel_significance([-1, 20], [1.0, 5.0])
    with pytest.raises(InvalidOptionError, match="kind must be one of"):
        funnel_points([10], [1.0], kind="isr")
    with pytest.raises(InvalidOptionError, match="years_of_data"):
        funnel_points([10], [1.0], years_of_data=0)


@pytest.mark.parametrize("kind", ["isr", "count"])
def test_ratio_funnel_reproduces_phe(kind: str) -> None:
    inputs = _rows("funnel_ratio_inputs.csv")
    observed = np.array([float(r["obs"]) for r in inputs])
    expected = np.array([float(r["expected"]) for r in inputs])
    inner, outer = ratio_funnel_limits(observed, expected, kind=kind)
    rows = _rows("funnel_ratio_outputs.csv")
    np.testing.assert_array_equal(inner.observed, [float(r["Observed_events"]) for r in rows])
    for column, got in (
        (f"lower_2s_{kind}", inner.lower),
        (f"upper_2s_{kind}", inner.upper),
        (f"lower_3s_{kind}", outer.lower),
        (f"upper_3s_{kind}", outer.upper),
        ("lower_2s_exp_events", inner.lower_expected),
        ("upper_2s_exp_events", inner.upper_expected),
        ("lower_3s_exp_events", outer.lower_expected),
        ("upper_3s_exp_events", outer.upper_expected),
    ):
        np.testing.assert_allclose(got, [float(r[column]) for r in rows], rtol=6e-5)


def test_ratio_significance_reproduces_phe() -> None:
    inputs = _rows("funnel_ratio_inputs.csv")
    got = ratio_funnel_significance([float(r["obs"]) for r in inputs], [float(r["expected"]) for r in inputs])
    assert got.tolist() == [r["significance"] for r in inputs]
    with pytest.raises(InvalidCountsError, match="expected is zero"):
        ratio_funnel_significance([1], [0])
