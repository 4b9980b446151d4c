"""Indirect standardisation (ISRatio, ISRate, expected counts) against
PHEindicatormethods' expected outputs (tests/data/phe)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sps

from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats.indirect import expected_counts, isr

PHE = Path(__file__).parent / "data" / "phe"
AREAS = ("testdata_big", "testdata_small", "testdata_tiny")
KEYS = ("value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl")


def _rows(name: str) -> list[dict[str, str]]:
    with open(PHE / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rows = _rows("dsr_isr_multiarea.csv")
    counts = np.array([[float(r["count"] or 0) for r in rows if r["area"] == a] for a in AREAS])
    pops = np.array([[float(r["pop"]) for r in rows if r["area"] == a] for a in AREAS])
    ref = _rows("isr_refdata.csv")
    return counts, pops, np.array([float(r["refcount"]) for r in ref]), np.array([float(r["refpop"]) for r in ref])


def _results(statistic: str) -> list[dict[str, str]]:
    return [r for r in _rows("isr_results.csv") if r["statistic"] == statistic and r["area"].startswith("testdata")]


@pytest.mark.parametrize(
    ("kind", "options", "statistic"),
    [
        ("rate", {"multiplier": 100_000}, "indirectly standardised rate per 100000"),
        ("rate", {"multiplier": 1000}, "indirectly standardised rate per 1000"),
        ("ratio", {"refvalue": 1}, "indirectly standardised ratio x 1"),
        ("ratio", {"refvalue": 100}, "indirectly standardised ratio x 100"),
    ],
)
def test_reproduces_phe(kind: str, options: dict[str, float], statistic: str) -> None:
    counts, pops, ref_x, ref_n = _data()
    inner, outer = isr(counts, pops, ref_x, ref_n, (0.95, 0.998), kind=kind, **options)  # type: ignore[arg-type]
    want = _results(statistic)
    assert [r["area"] for r in want] == list(AREAS)
    for i, row in enumerate(want):
        got = [inner.value[i], inner.lower[i], inner.upper[i], outer.lower[i], outer.upper[i]]
        np.testing.assert_allclose(got, [float(row[k]) for k in KEYS], rtol=1e-12)
        assert inner.observed[i] == float(row["observed"])
        assert inner.expected[i] == pytest.approx(float(row["expected"]), rel=1e-13)
        if kind == "rate":
            assert inner.reference_rate == pytest.approx(float(row["ref_rate"]), rel=1e-13)
    assert inner.method == "auto"
    tiny = isr(counts[2], pops[2], ref_x, ref_n, kind=kind, **options)  # type: ignore[arg-type]
    assert tiny.method == "exact" and isr(counts[0], pops[0], ref_x, ref_n).method == "byar"


def test_band_of_population_zero_expects_nothing_as_phe() -> None:
    rows = _rows("dsr_isr_err2.csv")
    counts = np.array([[float(r["count"]) for r in rows if r["area"] == a] for a in ("Area1", "Area2")])
    pops = np.array([[float(r["pop"]) for r in rows if r["area"] == a] for a in ("Area1", "Area2")])
    _, _, ref_x, ref_n = _data()
    want = [r for r in _rows("isr_results.csv") if r["area"] in ("Area1", "Area2")]
    rate = isr(counts, pops, ref_x, ref_n, kind="rate")
    ratio = isr(counts, pops, ref_x, ref_n, refvalue=100)
    for got, rows_of in ((rate, "rate per 100000"), (ratio, "ratio x 100")):
        expect = [r for r in want if r["statistic"].endswith(rows_of)]
        for key, array in (("value", got.value), ("lower95_0cl", got.lower), ("upper95_0cl", got.upper)):
            np.testing.assert_allclose(array, [float(r[key]) for r in expect], rtol=1e-12)


def test_observed_totals_and_reference_rates() -> None:
    counts, pops, ref_x, ref_n = _data()
    by_rates = expected_counts(pops, ref_x / ref_n)
    np.testing.assert_allclose(by_rates, expected_counts(pops, ref_x, ref_n), rtol=1e-14)
    np.testing.assert_allclose(by_rates, (pops * ref_x / ref_n).sum(axis=1), rtol=1e-14)
    totals = isr(None, pops, ref_x, ref_n, observed=counts.sum(axis=1))
    np.testing.assert_allclose(totals.value, isr(counts, pops, ref_x / ref_n).value, rtol=1e-14)


def test_exact_limits_are_chi_squared() -> None:
    ci = isr([3, 4], [1000, 1000], [0.002, 0.002])
    assert ci.lower == pytest.approx(sps.chi2.ppf(0.025, 14) / 2 / 4, rel=1e-12)
    assert ci.upper == pytest.approx(sps.chi2.ppf(0.975, 16) / 2 / 4, rel=1e-12)


def test_bad_input() -> None:
    counts, pops, ref_x, ref_n = _data()
    bad = ref_n.copy()
    bad[4] = 0
    with pytest.raises(InvalidCountsError, match="reference_populations is 0 in band 5 of 19"):
        isr(counts, pops, ref_x, bad)
    with pytest.raises(InvalidCountsError, match="counts is NaN"):
        isr(np.where(counts == 0, np.nan, counts), pops, ref_x, ref_n)
    with pytest.raises(InvalidCountsError, match="populations is negative"):
        isr(counts, -pops, ref_x, ref_n)
    with pytest.raises(InvalidCountsError, match="expected is 0"):
        isr([1, 2], [0, 0], [1, 1], [10, 10])
    with pytest.raises(InvalidOptionError, match="needs reference_populations"):
        isr(counts, pops, ref_x / ref_n, kind="rate")
    with pytest.raises(InvalidOptionError, match="kind must be one of"):
        isr(counts, pops, ref_x, ref_n, kind="smr")
