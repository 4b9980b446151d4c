"""The catalog's life-table indicators computed through Indicator.compute:
life expectancy, 45q15 and premature NCD mortality from deaths and
populations by age band; five-year survival refused with the reason."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import attrs
import numpy as np
import pytest

import phindicators as ph
from phindicators.compute import LIFE_TABLE_MEASURES, compute
from phindicators.errors import DefinitionError, InvalidCountsError, InvalidOptionError
from phindicators.stats import PHE_AGES, life_expectancy, probability_of_dying, z_value

PHE = Path(__file__).parent / "data" / "phe"


def _phe_case(name: str) -> dict[str, list[float]]:
    with open(PHE / "life_expectancy.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["case"] == name]
    return {key: [float(r[key]) for r in rows] for key in ("deaths", "pops", "value", "lowercl", "uppercl")}


def test_life_expectancy_at_birth_reproduces_phe() -> None:
    case = _phe_case("df1")
    result = ph.get("life_expectancy").compute(case["deaths"], case["pops"], ages=PHE_AGES)
    assert result.value == pytest.approx(case["value"][0], rel=1e-9)
    # PHE's expected limits were computed with z = 1.96: compare standard errors.
    error = (result.upper - result.value) / z_value(0.95)
    assert error == pytest.approx((case["uppercl"][0] - case["value"][0]) / 1.96, rel=1e-7)
    assert error == pytest.approx((case["value"][0] - case["lowercl"][0]) / 1.96, rel=1e-7)
    assert result.method == "chiang_silcocks" and result.confidence == 0.95
    assert (result.numerator, result.denominator) == (sum(case["deaths"]), sum(case["pops"]))
    assert result.format() == "80.17"


def _premature(deaths: list[float], pops: list[float]) -> float:
    """WHO's SDG 3.4.1 formula written out: 1 − Π(1 − 5q), 5q = 5M/(1 + 2.5M)."""
    survive = 1.0
    for d, n in zip(deaths, pops, strict=True):
        survive *= 1 - 5 * (d / n) / (1 + 2.5 * (d / n))
    return 1 - survive


def test_premature_ncd_mortality_is_whos_formula_in_percent() -> None:
    ages = [0, *range(30, 75, 5)]
    deaths = [25, 60, 120, 240, 400, 650, 1000, 1550, 2250, 9000]
    pops = [4_000_000, 310_000, 300_000, 290_000, 280_000, 260_000, 230_000, 200_000, 160_000, 300_000]
    result = ph.get("premature_ncd_mortality").compute(deaths, pops, ages=ages)
    assert result.unit == "percent"
    assert result.value == pytest.approx(100 * _premature(deaths[1:9], pops[1:9]), rel=1e-12)
    assert result.lower < result.value < result.upper
    assert (result.numerator, result.denominator) == (sum(deaths[1:9]), sum(pops[1:9]))
    assert result.format() == "14.6%"


def test_45q15_per_1000_from_the_life_table() -> None:
    case = _phe_case("df1")
    result = ph.get("adult_mortality_45q15").compute(case["deaths"], case["pops"], ages=PHE_AGES)
    # l15 and l60 of the same table, band by band (a = 0.5 in 5-year bands).
    survive = 1.0
    for i in range(PHE_AGES.index(15), PHE_AGES.index(60)):
        m = case["deaths"][i] / case["pops"][i]
        survive *= 1 - 5 * m / (1 + 2.5 * m)
    assert result.unit == "permille"
    assert result.value == pytest.approx(1000 * (1 - survive), rel=1e-12)
    stats = probability_of_dying(case["deaths"], case["pops"], PHE_AGES, start=15, stop=60)
    assert result.upper == pytest.approx(1000 * stats.upper, rel=1e-15)


def test_areas_in_rows_give_arrays_equal_to_one_area_at_a_time() -> None:
    rng = np.random.default_rng(18)
    pops = rng.integers(20_000, 60_000, size=(4, len(PHE_AGES)))
    deaths = rng.binomial(pops, np.linspace(0.0005, 0.2, len(PHE_AGES)))
    for iid in ("life_expectancy", "adult_mortality_45q15", "premature_ncd_mortality"):
        indicator = ph.get(iid)
        together = indicator.compute(deaths, pops, ages=PHE_AGES, confidence=(0.95, 0.998))
        assert np.shape(together.value) == (4,) and np.shape(together.numerator) == (4,)
        assert [i.confidence for i in together.intervals] == [0.95, 0.998]
        for row in range(4):
            alone = indicator.compute(deaths[row], pops[row], ages=PHE_AGES, confidence=(0.95, 0.998))
            assert isinstance(alone.value, float)
            assert together.value[row] == alone.value
            assert together.intervals[1].lower[row] == alone.intervals[1].lower


def test_life_expectancy_matches_the_stats_routine_and_keeps_its_suppression() -> None:
    deaths = [[2, 1, 5, 30, 60], [20, 10, 50, 300, 600]]
    pops = [[100, 400, 1500, 1500, 500], [1000, 4000, 15000, 15000, 5000]]
    ages = [0, 1, 5, 40, 70]
    result = compute(ph.get("life_expectancy"), deaths, pops, ages=ages, confidence=None)
    assert result.intervals == ()
    table = life_expectancy(deaths, pops, ages)
    assert math.isnan(result.value[0])  # 4 000 people: not published (PHE's rule)
    assert result.value[1] == table.value[1, 0]


def test_two_counts_or_no_ages_are_refused() -> None:
    indicator = ph.get("adult_mortality_45q15")
    with pytest.raises(DefinitionError, match="life-table routines from deaths and populations by age band"):
        indicator.compute(77, 1000)
    with pytest.raises(DefinitionError, match="ages="):
        indicator.compute([1, 2, 3], [100, 200, 300])
    with pytest.raises(DefinitionError, match="populations by age band"):
        indicator.compute([1, 2, 3], ages=[0, 15, 60])


def test_bad_bands_are_named() -> None:
    indicator = ph.get("adult_mortality_45q15")
    ages = [0, 15, 30, 45, 60]
    deaths, pops = [40, 9, 40, 90, 500], [20_000, 18_000, 20_000, 15_000, 9_000]
    with pytest.raises(InvalidCountsError, match="band 30-44"):
        indicator.compute(deaths, [20_000, 18_000, 0, 15_000, 9_000], ages=ages)
    with pytest.raises(InvalidCountsError, match="populations"):
        indicator.compute(deaths, [20_000, 18_000, float("nan"), 15_000, 9_000], ages=ages)
    with pytest.raises(InvalidOptionError, match="stop=60 is not the first age of a band"):
        indicator.compute(deaths, pops, ages=[0, 15, 30, 45, 65])
    with pytest.raises(InvalidOptionError, match="5 age bands .* but the data has 4"):
        indicator.compute(deaths[:4], pops[:4], ages=ages)
    with pytest.raises(InvalidCountsError, match="open last band"):
        ph.get("life_expectancy").compute([1, 2, 0], [100, 200, 300], ages=[0, 1, 5])


def test_options_are_checked() -> None:
    indicator = ph.get("life_expectancy")
    case = _phe_case("df1")
    with pytest.raises(InvalidOptionError, match="method must be 'chiang_silcocks'"):
        indicator.compute(case["deaths"], case["pops"], ages=PHE_AGES, method="wilson")
    with pytest.raises(InvalidOptionError, match="ages= is for life-table indicators"):
        ph.get("infant_mortality_rate").compute(5, 1000, ages=[0])
    result = indicator.compute(case["deaths"], case["pops"], ages=PHE_AGES)
    # Without its bands (a result built by hand) nothing can be recomputed.
    with pytest.raises(InvalidOptionError, match="compute it again from the deaths and populations"):
        attrs.evolve(result, bands=None).with_confidence(0.998)
    assert ph.interval_methods(indicator) == ("chiang_silcocks",)
    assert ph.interval_methods(ph.get("premature_ncd_mortality")) == ("chiang",)


def test_five_year_survival_is_refused_with_what_to_use() -> None:
    indicator = ph.get("cancer_5year_survival")
    assert ph.interval_methods(indicator) == ()
    for counts in ((77, 100), ([1, 2], [10, 20])):
        with pytest.raises(DefinitionError, match="follow-up.*relsurv"):
            indicator.compute(*counts, ages=[0, 50])


def test_every_life_table_indicator_of_the_catalog_has_a_route() -> None:
    from phindicators.compute import NOT_FROM_AGE_BANDS

    needing = [i for i in ph.bundled_catalog() if "life_table" in i.needs]
    assert {i.id for i in needing} >= {"life_expectancy", "adult_mortality_45q15", "premature_ncd_mortality"}
    for indicator in needing:
        assert (indicator.numerator.id in LIFE_TABLE_MEASURES) != (indicator.numerator.id in NOT_FROM_AGE_BANDS)


def test_tests_of_counts_refuse_life_table_results() -> None:
    """Regression: a 45q15 result's counts are band totals; compare_results,
    compare_trend and funnel would have tested them as a proportion."""
    case = _phe_case("df1")
    indicator = ph.get("adult_mortality_45q15")
    a = indicator.compute(case["deaths"], case["pops"], ages=PHE_AGES)
    b = indicator.compute([d * 2 for d in case["deaths"]], case["pops"], ages=PHE_AGES)
    with pytest.raises(InvalidOptionError, match="comes from a life table"):
        ph.compare_results(a, b)
    both = indicator.compute(np.array([case["deaths"]] * 5), np.array([case["pops"]] * 5), ages=PHE_AGES)
    with pytest.raises(InvalidOptionError, match="comes from a life table"):
        ph.compare_trend(both)
    with pytest.raises(InvalidOptionError, match="comes from a life table"):
        ph.funnel(both)


def test_indicator_pages_give_the_method_and_its_references() -> None:
    import importlib.util

    path = Path(__file__).parent.parent / "docs" / "_ext" / "catalog_pages.py"
    spec = importlib.util.spec_from_file_location("catalog_pages_for_life_tables", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pages = module.pages()
    life = pages["indicators/life_expectancy.rst"]
    assert "Chiang" in life and "Silcocks" in life and "ages=" in life
    adult = pages["indicators/adult_mortality_45q15.rst"]
    assert "between exact ages 15 and 60" in adult and "3.4.1" in adult
    assert "between exact ages 30 and 70" in pages["indicators/premature_ncd_mortality.rst"]
    survival = pages["indicators/cancer_5year_survival.rst"]
    assert "follow-up" in survival and "relsurv" in survival


def test_one_row_of_populations_serves_every_area() -> None:
    deaths = np.array([[40, 9, 40, 90, 500], [30, 8, 30, 80, 400]])
    pops = [20_000, 18_000, 20_000, 15_000, 9_000]
    result = ph.get("adult_mortality_45q15").compute(deaths, pops, ages=[0, 15, 30, 45, 60])
    assert result.numerator.tolist() == [139.0, 118.0]
    assert result.denominator.tolist() == [53_000.0, 53_000.0]
    alone = ph.get("adult_mortality_45q15").compute(deaths[1], pops, ages=[0, 15, 30, 45, 60])
    assert result.value[1] == alone.value
