"""ph.funnel() for DSRs and ISRs: positions and tabulated limits against
PHEindicatormethods' expected outputs (tests/data/phe), and against the
stats functions on results of stats.dsr / stats.isr."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

import phindicators as ph
from phindicators.compare import FunnelPosition
from phindicators.errors import InvalidOptionError
from phindicators.stats import (
    IndirectlyStandardised,
    StandardisedRate,
    dsr,
    isr,
    rate_funnel_significance,
    ratio_funnel_significance,
)

PHE = Path(__file__).parent / "data" / "phe"

#: PHE's categories as funnel positions.
PHE_POSITIONS = {
    "High (0.001)": FunnelPosition.ABOVE_998,
    "High (0.025)": FunnelPosition.ABOVE_95,
    "Not significant": FunnelPosition.WITHIN,
    "Low (0.025)": FunnelPosition.BELOW_95,
    "Low (0.001)": FunnelPosition.BELOW_998,
    "Not applicable for events less than 10 for dsrs": FunnelPosition.NOT_ASSESSED,
}


def _rows(name: str) -> list[dict[str, str]]:
    with open(PHE / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _dsrs(events: np.ndarray, rates: np.ndarray, multiplier: float = 1e5) -> StandardisedRate:
    """DSRs as stats.dsr returns them (NaN below 10 events), from PHE's rates."""
    small = events < 10
    value = np.where(small, np.nan, rates)
    return StandardisedRate(value, value, value, 0.95, "dobson", events, small, "", multiplier)


@pytest.mark.parametrize(("column", "multiplier", "scale"), [
    ("dsr_per_100000_with_0", 1e5, 1.0), ("dsr_per_100_with_0", 100, 1e-3)
])
def test_dsr_positions_reproduce_phe(column: str, multiplier: float, scale: float) -> None:
    rows = _rows("funnel_rate_dsr_inputs.csv")
    events = np.array([float(r["count"]) for r in rows])
    rates = np.array([math.nan if r["rate_dsr"] == "NA" else float(r["rate_dsr"]) for r in rows]) * scale
    plot = ph.funnel(_dsrs(events, rates, multiplier))
    assert plot.kind == "dsr" and plot.scale == multiplier
    assert plot.positions.tolist() == [PHE_POSITIONS[r[column]] for r in rows]
    assert (events < 10).any() and all(plot.positions[events < 10] == FunnelPosition.NOT_ASSESSED)


def test_dsr_table_reproduces_phe_limits_by_event_count() -> None:
    rows = _rows("funnel_rate_input_funnels.csv")
    events = np.array([float(r["ev"]) for r in rows])
    rates = np.array([float(r["rate"]) for r in rows])
    inner, outer = ph.funnel(_dsrs(events, rates), years_of_data=3).table()
    expected = _rows("funnel_rate_outputs.csv")
    np.testing.assert_array_equal(inner.events, [float(r["Events"]) for r in expected])
    for column, got in (
        ("lower_2s_limit", inner.lower),
        ("upper_2s_population_1_year", inner.upper_population),
        ("lower_3s_population_1_year", outer.lower_population),
        ("upper_3s_limit", outer.upper),
    ):
        # PHE bisects the expected counts to about 5e-5; ours are exact.
        np.testing.assert_allclose(got, [float(r[column]) for r in expected], rtol=6e-5)
    assert inner.baseline == pytest.approx(float(expected[0]["baseline"]), rel=1e-9)
    assert ph.funnel(_dsrs(events, rates), years_of_data=3).average == pytest.approx(inner.baseline, rel=1e-12)


def _isrs(observed: np.ndarray, expected: np.ndarray) -> IndirectlyStandardised:
    value = observed / expected * 100
    return IndirectlyStandardised(value, value, value, 0.95, "auto", observed, expected, math.nan, 100.0)


def test_isr_positions_and_table_reproduce_phe() -> None:
    rows = _rows("funnel_ratio_inputs.csv")
    observed = np.array([float(r["obs"]) for r in rows])
    expected = np.array([float(r["expected"]) for r in rows])
    plot = ph.funnel(_isrs(observed, expected))
    assert (plot.kind, plot.average) == ("isr", 100.0)
    assert plot.positions.tolist() == [PHE_POSITIONS[r["significance"]] for r in rows]
    inner, outer = plot.table()
    table = _rows("funnel_ratio_outputs.csv")
    np.testing.assert_array_equal(inner.observed, [float(r["Observed_events"]) for r in table])
    np.testing.assert_allclose(inner.lower, [float(r["lower_2s_isr"]) for r in table], rtol=6e-5)
    np.testing.assert_allclose(outer.upper, [float(r["upper_3s_isr"]) for r in table], rtol=6e-5)


def test_results_of_stats_dsr_and_isr() -> None:
    """End to end: areas of stats.dsr (one below 10 events, not published)
    and stats.isr, judged as the stats functions judge their numbers."""
    counts = np.array([[40, 160], [10, 20], [3, 4], [90, 300], [30, 120]])
    pops = np.array([[20_000, 9_000], [15_000, 8_000], [5_000, 2_000], [25_000, 10_000], [18_000, 9_500]])
    rates = dsr(counts, pops, [60_000, 40_000])
    plot = ph.funnel(rates)
    published = ~rates.suppressed
    assert plot.positions[2] is FunnelPosition.NOT_ASSESSED and published.sum() == 4
    by_stats = rate_funnel_significance(rates.total_count[published], rates.value[published], kind="dsr")
    assert [PHE_POSITIONS[c] for c in by_stats] == plot.positions[published].tolist()
    assert len(set(plot.positions.tolist())) > 2  # the areas spread over the funnel
    smr = isr(counts, pops, [500, 1000], [1_000_000, 500_000], refvalue=100)
    placed = ph.funnel(smr)
    by_ratio = ratio_funnel_significance(smr.observed, smr.expected)
    assert [PHE_POSITIONS[c] for c in by_ratio] == placed.positions.tolist()
    rate = isr(counts, pops, [500, 1000], [1_000_000, 500_000], kind="rate")
    assert ph.funnel(rate).average == pytest.approx(1500 / 1_500_000 * 1e5)
    assert ph.funnel(rate).positions.tolist() == placed.positions.tolist()


def test_a_given_average_moves_the_dsr_centre() -> None:
    rates = dsr(np.array([[40, 160], [90, 300]]), np.array([[20_000, 9_000], [25_000, 10_000]]), [60_000, 40_000])
    low = ph.funnel(rates, average=1.0)
    assert low.average == pytest.approx(1.0)
    assert low.positions.tolist() == [FunnelPosition.ABOVE_998] * 2


def test_bad_use_is_refused() -> None:
    rates = dsr(np.array([[40, 160], [90, 300]]), np.array([[20_000, 9_000], [25_000, 10_000]]), [60_000, 40_000])
    with pytest.raises(InvalidOptionError, match="drawn by event count: use Funnel.table"):
        ph.funnel(rates).limits([1000])
    with pytest.raises(InvalidOptionError, match="years_of_data must be a number > 0"):
        ph.funnel(rates, years_of_data=0)
    with pytest.raises(InvalidOptionError, match="average of a funnel of DSRs"):
        ph.funnel(rates, average=-1.0)
    unknown = StandardisedRate(100.0, 90.0, 110.0, 0.95, "dobson", 50.0)
    with pytest.raises(InvalidOptionError, match="needs their multiplier"):
        ph.funnel(unknown)
    with pytest.raises(InvalidOptionError, match="at least one published DSR"):
        ph.funnel(dsr(np.array([[1, 2]]), np.array([[1000, 1000]]), [1, 1]))
    smr = isr(np.array([[30, 45]]), np.array([[1000, 5000]]), [10, 40], [10_000, 5_000])
    with pytest.raises(InvalidOptionError, match="reference .O = E.; average= is not taken"):
        ph.funnel(smr, average=1.0)
    with pytest.raises(InvalidOptionError, match="funnel.. takes a Result, or DSRs or ISRs"):
        ph.funnel([1, 2, 3])  # type: ignore[arg-type]
    areas = ph.get("maternal_systematic_management_rate").compute(np.array([90, 850]), np.array([100, 1000]))
    with pytest.raises(InvalidOptionError, match="Funnel.table.. draws funnels of DSRs or ISRs"):
        ph.funnel(areas).table()
