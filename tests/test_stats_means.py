"""Means with Student's t interval against PHEindicatormethods' expected outputs."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from phindicators.errors import InvalidCountsError
from phindicators.stats.means import mean_interval, mean_interval_from_summary

PHE = Path(__file__).parent / "data" / "phe"


def _rows(name: str) -> list[dict[str, str]]:
    with open(PHE / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("group", ["Area1", "Area2", "No grouping"])
def test_reproduces_phe(group: str) -> None:
    values = [float(r["values"]) for r in _rows("mean_data.csv") if group in (r["area"], "No grouping")]
    want = next(r for r in _rows("mean_results.csv") if r["area"] == group)
    inner, outer = mean_interval(values, (0.95, 0.998))
    got = [inner.value, inner.lower, inner.upper, outer.lower, outer.upper, inner.stdev, inner.count]
    keys = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl", "stdev", "value_count"]
    np.testing.assert_allclose(got, [float(want[k]) for k in keys], rtol=1e-12)
    summary = mean_interval_from_summary(inner.value, inner.stdev, inner.count, 0.998)
    assert summary.upper == pytest.approx(outer.upper, rel=1e-14)


def test_arrays_average_along_the_axis() -> None:
    values = np.arange(12.0).reshape(3, 4) ** 1.5
    both = mean_interval(values, axis=0)
    for column in range(4):
        one = mean_interval(values[:, column])
        assert both.lower[column] == pytest.approx(one.lower, rel=1e-14)


def test_bad_values() -> None:
    with pytest.raises(InvalidCountsError, match="values is NaN"):
        mean_interval([1.0, np.nan, 2.0])
    with pytest.raises(InvalidCountsError, match="below 2"):
        mean_interval([1.0])
    with pytest.raises(InvalidCountsError, match="whole numbers"):
        mean_interval_from_summary([1.0], [0.5], [2.5])
