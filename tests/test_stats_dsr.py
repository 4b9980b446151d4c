"""DSR with the bundled standards, non-independent events and empty bands, against
PHEindicatormethods' expected outputs (tests/data/phe) and plain formulas."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats import dsr, standard_population, standard_populations
from phindicators.stats.levels import z_value

PHE = Path(__file__).parent / "data" / "phe"
AREAS = ("testdata_big", "testdata_small", "testdata_tiny")


def _rows(name: str) -> list[dict[str, str]]:
    with open(PHE / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _multiarea() -> tuple[np.ndarray, np.ndarray]:
    rows = _rows("dsr_isr_multiarea.csv")
    # PHE reads the one missing count (testdata_tiny 10-14) as 0.
    counts = np.array([[float(r["count"] or 0) for r in rows if r["area"] == a] for a in AREAS])
    pops = np.array([[float(r["pop"]) for r in rows if r["area"] == a] for a in AREAS])
    return counts, pops


def _expected(area: str, statistic: str) -> dict[str, float]:
    for row in _rows("dsr_results.csv"):
        if row["area"] == area and row["statistic"] in (statistic, "dsr NA for total count < 10"):
            return {k: float(v) if v else np.nan for k, v in row.items() if k not in ("area", "statistic", "method")}
    raise KeyError(area)


def test_bundled_standards_are_listed_with_sources() -> None:
    assert {"who_world_2000", "esp_2013", "china_2000", "segi_world"} <= set(standard_populations())
    esp = standard_population("esp_2013")
    assert esp.weights == (5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000,
                           6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000)
    assert esp.bands[-1] == "90+" and "Eurostat" in esp.source
    china = standard_population("china_2000")
    # The Fifth National Population Census total (31 provinces, no armed forces).
    assert sum(china.weights) == 1_242_612_226
    assert china.weights[0] + china.weights[1] == 68_978_374  # the census's 0-4 group
    segi = standard_population("segi_world")
    assert sum(segi.weights) == 100_000 and segi.weights[:2] == (2400, 9600)
    assert china.bands == segi.bands and china.bands[:3] == ("0", "1-4", "5-9")
    for name in ("esp_2013", "china_2000", "segi_world"):
        assert standard_population(name).note  # how sure we are


@pytest.mark.parametrize(("multiplier", "statistic"), [(100_000, "dsr per 100000"), (10_000, "dsr per 10000")])
def test_esp_2013_reproduces_phe(multiplier: int, statistic: str) -> None:
    counts, pops = _multiarea()
    inner, outer = dsr(counts, pops, "esp_2013", (0.95, 0.998), multiplier=multiplier)
    for i, area in enumerate(AREAS[:2]):
        want = _expected(area, statistic)
        got = [inner.value[i], inner.lower[i], inner.upper[i], outer.lower[i], outer.upper[i]]
        keys = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
        np.testing.assert_allclose(got, [want[k] for k in keys], rtol=1e-12)
        assert inner.total_count[i] == want["total_count"]
    assert inner.suppressed.tolist() == [False, False, True] and np.isnan(inner.value[2])


def test_user_standard_reproduces_phe_1976() -> None:
    rows = _rows("dsr_1976.csv")
    counts, pops, esp1976 = (np.array([float(r[k]) for r in rows]) for k in ("count", "pop", "esp1976"))
    rate = dsr(counts, pops, esp1976, multiplier=10_000)
    want = _expected("testdata_1976", "dsr per 10000")
    # PHE's 99.8 % limits of this row are ten times too large; only 95 % is compared.
    np.testing.assert_allclose(
        [rate.value, rate.lower, rate.upper], [want["value"], want["lower95_0cl"], want["upper95_0cl"]], rtol=1e-12
    )


def _nonindependent(area: str) -> tuple[np.ndarray, np.ndarray]:
    rows = [r for r in _rows("dsr_nonindependent.csv") if r["area"] == area]
    persons = np.array([[float(r[f"f{k}"] or 0) for r in rows] for k in (1, 2, 3, 4)])
    return persons, np.array([float(r["pop"]) for r in rows])


@pytest.mark.parametrize(
    "area", ["testdata_nonind_big", "testdata_nonind_dummy", "testdata_nonind_small", "testdata_nonind_tiny"]
)
def test_eventfreq_reproduces_phe(area: str) -> None:
    persons, pops = _nonindependent(area)
    inner, outer = dsr(persons, pops, "esp_2013", (0.95, 0.998), eventfreq=[1, 2, 3, 4])
    want = _expected(area, "dsr per 100000")
    got = [inner.value, inner.lower, inner.upper, outer.lower, outer.upper]
    keys = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
    # PHE's sheet prints these to 8 decimals.
    np.testing.assert_allclose(got, [want[k] for k in keys], rtol=1e-11, equal_nan=True)
    assert inner.total_count == want["total_count"] and inner.method == "dobson_nonindependent"


def test_eventfreq_variance_is_the_sum_over_frequencies() -> None:
    persons = np.array([[30.0, 50.0], [10.0, 5.0]])
    pops, weights = np.array([1000.0, 4000.0]), np.array([3.0, 1.0])
    rate = dsr(persons, pops, weights, eventfreq=[1, 3], multiplier=1)
    w = weights / weights.sum() / pops
    events = persons[0] + 3 * persons[1]
    variance = (w**2 * persons[0]).sum() + 9 * (w**2 * persons[1]).sum()
    total = events.sum()
    byar = total * (1 - 1 / (9 * total) - z_value(0.95) / (3 * np.sqrt(total))) ** 3
    assert rate.value == pytest.approx((w * events).sum(), rel=1e-13)
    assert rate.lower == pytest.approx(rate.value + np.sqrt(variance / total) * (byar - total), rel=1e-13)
    with pytest.raises(InvalidOptionError, match="one frequency per row"):
        dsr(persons, pops, weights, eventfreq=[1, 2, 3])
    with pytest.raises(InvalidCountsError, match="eventfreq is zero"):
        dsr(persons, pops, weights, eventfreq=[0, 1])


def test_empty_band_is_refused_like_phe_or_dropped_or_kept_on_request() -> None:
    rows = [r for r in _rows("dsr_isr_err2.csv") if r["area"] == "Area1"]
    counts = np.array([float(r["count"]) for r in rows])
    pops = np.array([float(r["pop"]) for r in rows])
    with pytest.raises(InvalidCountsError, match="events in a band of population 0 in band 5-9"):
        dsr(counts, pops, "esp_2013")  # PHE: "denominators must all be greater than zero"
    counts[1] = 0
    with pytest.raises(InvalidCountsError, match="populations is 0 .* in band 5-9"):
        dsr(counts, pops, "esp_2013")
    esp = np.array(standard_population("esp_2013").weights)
    keep = pops > 0
    dropped = (esp[keep] * counts[keep] / pops[keep]).sum() / esp[keep].sum() * 1e5
    zeroed = (esp[keep] * counts[keep] / pops[keep]).sum() / esp.sum() * 1e5
    assert dsr(counts, pops, "esp_2013", empty_bands="drop").value == pytest.approx(dropped, rel=1e-13)
    assert dsr(counts, pops, "esp_2013", empty_bands="zero").value == pytest.approx(zeroed, rel=1e-13)
    assert round(dropped, 1) == 10776.5 and round(zeroed, 1) == 10183.8
    with pytest.raises(InvalidOptionError, match="empty_bands must be one of"):
        dsr(counts, pops, "esp_2013", empty_bands="skip")


@pytest.mark.parametrize("name", ["china_2000", "segi_world"])
def test_registry_standards_weight_by_band(name: str) -> None:
    weights = np.array(standard_population(name).weights)
    rng = np.random.default_rng(3)
    pops = rng.integers(10_000, 90_000, size=19).astype(float)
    counts = rng.integers(5, 400, size=19).astype(float)
    expected = (weights / weights.sum() * counts / pops).sum() * 1e5
    assert dsr(counts, pops, name).value == pytest.approx(expected, rel=1e-13)
    with pytest.raises(InvalidOptionError, match="19 bands but the data has 18"):
        dsr(counts[1:], pops[1:], name)


def test_negative_or_missing_populations_are_refused() -> None:
    counts, pops = _multiarea()
    bad = pops.copy()
    bad[0, 3] = -1
    with pytest.raises(InvalidCountsError, match="populations is negative"):
        dsr(counts, bad, "esp_2013")
    bad[0, 3] = np.nan
    with pytest.raises(InvalidCountsError, match="populations is NaN"):
        dsr(counts, bad, "esp_2013")
