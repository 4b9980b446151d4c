"""Life expectancy (Chiang II with Silcocks' variance) against PHEindicatormethods'
expected outputs (tests/data/phe) and an independent scalar implementation."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats.levels import z_value
from phindicators.stats.life_tables import PHE_AGES, life_expectancy

PHE = Path(__file__).parent / "data" / "phe"


def _case(name: str) -> dict[str, np.ndarray]:
    with open(PHE / "life_expectancy.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["case"] == name]
    return {
        key: np.array([float(r[key]) if r[key] else np.nan for r in rows])
        for key in ("startage", "pops", "deaths", "value", "lowercl", "uppercl")
    }


def _reference(deaths: list[float], pops: list[float], ages: list[int]) -> tuple[list[float], list[float]]:
    """Chiang II and Silcocks' variance, written out band by band in plain Python."""
    k = len(ages)
    q, n, a = [], [], []
    for i in range(k):
        a.append(0.1 if i == 0 else 0.5)
        m = deaths[i] / pops[i]
        if i == k - 1:
            n.append(2 / m)
            q.append(1.0)
        else:
            n.append(ages[i + 1] - ages[i])
            q.append(m * n[i] / (1 + m * n[i] * (1 - a[i])) if deaths[i] <= pops[i] / n[i] / a[i] else 1.0)
    alive = [1e5]
    for i in range(1, k):
        alive.append(alive[-1] * (1 - q[i - 1]))
    died = [alive[i] - (alive[i + 1] if i < k - 1 else 0) for i in range(k)]
    lived = [n[i] * (alive[i + 1] + a[i] * died[i]) for i in range(k - 1)]
    lived.append(alive[-1] / (deaths[-1] / pops[-1]))
    e = [sum(lived[i:]) / alive[i] for i in range(k)]
    var = [0.0 if died[i] == 0 else q[i] ** 2 * (1 - q[i]) / deaths[i] for i in range(k)]
    var[-1] = 4 / (deaths[-1] * (deaths[-1] / pops[-1]) ** 2)
    w = [var[i] * alive[i] ** 2 * ((1 - a[i]) * n[i] + e[i + 1]) ** 2 for i in range(k - 1)]
    w.append((alive[-1] / 2) ** 2 * var[-1])
    se = [math.sqrt(sum(w[i:]) / alive[i] ** 2) for i in range(k)]
    return e, se


def test_phe_table_value_to_1e9() -> None:
    case = _case("df1")
    le = life_expectancy(case["deaths"], case["pops"])
    np.testing.assert_allclose(le.value, case["value"], rtol=1e-9)
    # PHE's answer1 limits were computed with z = 1.96: compare standard errors.
    ours = (le.value - le.lower) / z_value(0.95)
    np.testing.assert_allclose(ours, (case["value"] - case["lowercl"]) / 1.96, rtol=1e-7)
    np.testing.assert_allclose(ours, (case["uppercl"] - case["value"]) / 1.96, rtol=1e-7)
    assert le.method == "chiang_silcocks" and le.ages == PHE_AGES
    assert not le.suppressed.any() and le.note == ""


def test_phe_wide_intervals_are_suppressed_with_limits_kept() -> None:
    case = _case("df_widecis_plus_area2")
    le, _ = life_expectancy(case["deaths"], case["pops"], confidence=(0.95, 0.998))
    np.testing.assert_allclose(le.value, case["value"], rtol=1e-9, equal_nan=True)
    # The centres of PHE's limits are the unsuppressed values to 1e-9; their
    # half-widths are ours times one constant 1 + 1.6e-8 (a z rounded in the
    # eighth digit): the standard errors agree band by band.
    centre = (case["lowercl"] + case["uppercl"]) / 2
    np.testing.assert_allclose((le.lower + le.upper) / 2, centre, rtol=1e-9)
    ratio = (le.upper - le.lower) / (case["uppercl"] - case["lowercl"])
    np.testing.assert_allclose(ratio, ratio[0], rtol=5e-9)  # 8 printed decimals
    assert abs(ratio[0] - 1) < 1e-7
    assert le.suppressed.tolist() == [False] * 9 + [True] * 11
    assert "wider than 20 years" in le.note


def test_against_a_plain_python_reference_over_areas_and_axes() -> None:
    rng = np.random.default_rng(7)
    pops = rng.integers(2_000, 60_000, size=(4, 20)).astype(float)
    rates = np.exp(np.linspace(-7, -1.2, 20))
    deaths = rng.poisson(pops * rates).astype(float) + 1
    le = life_expectancy(deaths.T, pops.T, axis=0)
    for area in range(4):
        e, se = _reference(list(deaths[area]), list(pops[area]), list(PHE_AGES))
        np.testing.assert_allclose(le.value[:, area], e, rtol=1e-12)
        np.testing.assert_allclose((le.upper - le.value)[:, area], np.array(se) * z_value(0.95), rtol=1e-12)


def test_custom_bands_and_99_8() -> None:
    ages = [0, 1, *range(5, 90, 5)]  # 19 bands ending 85+
    rng = np.random.default_rng(1)
    pops = rng.integers(5_000, 50_000, size=19).astype(float)
    deaths = np.maximum(np.round(pops * np.exp(np.linspace(-7, -1.5, 19))), 1)
    e, se = _reference(list(deaths), list(pops), ages)
    le = life_expectancy(deaths, pops, ages, confidence=99.8)
    np.testing.assert_allclose(le.lower, np.array(e) - z_value(0.998) * np.array(se), rtol=1e-12)
    assert le.confidence == 0.998


def test_small_population_is_suppressed() -> None:
    pops = np.full(20, 240.0)  # 4 800 people in all: PHE suppresses <= 5 000
    deaths = np.full(20, 5.0)
    le = life_expectancy(deaths, pops)
    assert np.isnan(le.value).all() and le.suppressed.all()
    assert "5000 or less" in le.note


@pytest.mark.parametrize(
    ("band", "field", "deaths_value", "pop_value", "message"),
    [
        (3, "deaths", -5, None, "deaths is negative"),
        (5, "populations", None, 0, "populations is 0 in band 20-24"),
        (18, "deaths", None, 119, "deaths exceed populations in band 85-89"),
        (19, "deaths", 0, None, r"open last band .*in band 90\+"),
    ],
)
def test_bad_tables_name_the_band(
    band: int, field: str, deaths_value: float | None, pop_value: float | None, message: str
) -> None:
    case = _case("df1")
    deaths, pops = case["deaths"].copy(), case["pops"].copy()
    if deaths_value is not None:
        deaths[band] = deaths_value
    if pop_value is not None:
        pops[band] = pop_value
    with pytest.raises(InvalidCountsError, match=message) as info:
        life_expectancy(deaths, pops)
    assert info.value.field == field


def test_bad_ages() -> None:
    case = _case("df1")
    with pytest.raises(InvalidOptionError, match="the first 0"):
        life_expectancy(case["deaths"], case["pops"], [1, 0, *range(5, 95, 5)])
    with pytest.raises(InvalidOptionError, match="19 age bands .* but the data has 20"):
        life_expectancy(case["deaths"], case["pops"], [0, 1, *range(5, 90, 5)])
    with pytest.raises(InvalidCountsError, match="NaN"):
        life_expectancy(np.r_[case["deaths"][:-1], np.nan], case["pops"])


# ---------------------------------------------------------------- probability_of_dying


def _probability_reference(
    deaths: list[float], pops: list[float], ages: list[int], start: int, stop: int
) -> tuple[float, float]:
    """1 − l(stop)/l(start) of a life table written out band by band, and its
    standard error by numerical differentiation of P in each q (not the
    closed-form product the code uses)."""
    qs, variances = [], []
    for i in range(ages.index(start), ages.index(stop)):
        n = ages[i + 1] - ages[i]
        a = 0.1 if ages[i] == 0 else 0.5
        m = deaths[i] / pops[i]
        q = n * m / (1 + (1 - a) * n * m)
        qs.append(q)
        variances.append(q * q * (1 - q) / deaths[i] if deaths[i] else 0.0)
    alive = [1e5]
    for q in qs:
        alive.append(alive[-1] * (1 - q))
    value = 1 - alive[-1] / alive[0]

    def p(values: list[float]) -> float:
        return 1 - math.prod(1 - v for v in values)

    step = 1e-7
    gradient = [(p(qs[:i] + [qs[i] + step] + qs[i + 1 :]) - p(qs)) / step for i in range(len(qs))]
    return value, math.sqrt(sum(g * g * v for g, v in zip(gradient, variances, strict=True)))


def test_45q15_is_one_minus_l60_over_l15_of_phe_table() -> None:
    from phindicators.stats import probability_of_dying

    case = _case("df1")
    deaths, pops = case["deaths"].tolist(), case["pops"].tolist()
    found = probability_of_dying(deaths, pops, PHE_AGES, start=15, stop=60)
    value, error = _probability_reference(deaths, pops, list(PHE_AGES), 15, 60)
    assert found.method == "chiang"
    assert found.value == pytest.approx(value, rel=1e-12)
    z = z_value(0.95)
    assert found.lower == pytest.approx(value - z * error, rel=1e-6)
    assert found.upper == pytest.approx(value + z * error, rel=1e-6)


def test_who_premature_ncd_formula_over_areas() -> None:
    """WHO's 5q = 5·M / (1 + 2.5·M) over 30-69, two areas in rows, bands
    outside 30-70 with a population of 0 not read."""
    from phindicators.stats import probability_of_dying

    ages = [0, *range(30, 75, 5)]
    deaths = np.array(
        [[25, 60, 120, 240, 400, 650, 1000, 1550, 2250, 9000], [3, 5, 9, 20, 41, 70, 98, 150, 210, 0]]
    )
    pops = np.array(
        [
            [4_000_000, 310_000, 300_000, 290_000, 280_000, 260_000, 230_000, 200_000, 160_000, 300_000],
            [0, 31_000, 30_500, 29_000, 28_000, 25_000, 23_000, 19_000, 15_000, 20_000],
        ]
    )
    found = probability_of_dying(deaths, pops, ages, (0.95, 0.998), start=30, stop=70)
    assert isinstance(found, tuple) and [i.confidence for i in found] == [0.95, 0.998]
    for row in range(2):
        survive = 1.0
        for d, n in zip(deaths[row, 1:9], pops[row, 1:9], strict=True):
            m = d / n
            survive *= 1 - 5 * m / (1 + 2.5 * m)
        assert found[0].value[row] == pytest.approx(1 - survive, rel=1e-12)
        _, error = _probability_reference(deaths[row].tolist(), pops[row].tolist(), ages, 30, 70)
        assert found[1].upper[row] == pytest.approx(1 - survive + z_value(0.998) * error, rel=1e-6)
    # The band axis first gives the same numbers.
    first = probability_of_dying(deaths.T, pops.T, ages, start=30, stop=70, axis=0)
    np.testing.assert_array_equal(first.value, found[0].value)


def test_probability_of_dying_refuses_bad_bands() -> None:
    from phindicators.stats import probability_of_dying

    ages = [0, 15, 30, 45, 60]
    deaths, pops = [40, 9, 40, 90, 500], [20_000, 18_000, 20_000, 15_000, 9_000]
    with pytest.raises(InvalidCountsError, match=r"populations is 0 in band 30-44"):
        probability_of_dying(deaths, [20_000, 18_000, 0, 15_000, 9_000], ages, start=15, stop=60)
    with pytest.raises(InvalidCountsError, match=r"deaths exceed populations in band 45-59"):
        probability_of_dying(deaths, [20_000, 18_000, 20_000, 80, 9_000], ages, start=15, stop=60)
    with pytest.raises(InvalidCountsError, match="deaths"):
        probability_of_dying([40, 9, -1, 90, 500], pops, ages, start=15, stop=60)
    with pytest.raises(InvalidOptionError, match=r"stop=70 is not the first age of a band \(0-14, 15-29"):
        probability_of_dying(deaths, pops, ages, start=15, stop=70)
    with pytest.raises(InvalidOptionError, match="start .60. must be below stop .15."):
        probability_of_dying(deaths, pops, ages, start=60, stop=15)
    with pytest.raises(InvalidOptionError, match="4 age bands"):
        probability_of_dying(deaths, pops, ages[:4], start=15, stop=45)


def test_probability_with_no_deaths_is_zero_with_a_zero_width_interval() -> None:
    from phindicators.stats import probability_of_dying

    found = probability_of_dying([1, 0, 0, 3], [100, 900, 800, 50], [0, 15, 30, 45], start=15, stop=45)
    assert (found.value, found.lower, found.upper) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("routine", ["life_expectancy", "probability_of_dying"])
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("populations", None, "populations is missing, NaN or infinite in band 30-44"),
        ("populations", np.inf, "populations is missing, NaN or infinite in band 30-44"),
        ("deaths", -1, "deaths is negative in band 30-44"),
    ],
)
def test_missing_and_negative_counts_name_the_band(routine: str, field: str, value: float | None, message: str) -> None:
    from phindicators.stats import probability_of_dying

    counts: dict[str, list[float | None]] = {
        "deaths": [40, 9, 40, 90, 500],
        "populations": [20_000, 18_000, 20_000, 15_000, 9_000],
    }
    counts[field][2] = value
    ages = [0, 15, 30, 45, 60]
    with pytest.raises(InvalidCountsError, match=message) as info:
        if routine == "life_expectancy":
            life_expectancy(counts["deaths"], counts["populations"], ages)
        else:
            probability_of_dying(counts["deaths"], counts["populations"], ages, start=15, stop=60)
    assert info.value.field == field
