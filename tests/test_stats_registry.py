"""Registry measures (crude, 中标率, 世标率, 累积率 0-74, 截缩率 35-64) against their
definitions written out independently (Jensen et al., Cancer Registration: Principles
and Methods, IARC Scientific Publications No. 95, 1991, ch. 11; CI5's CR74)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats import poisson_interval, standard_population
from phindicators.stats.registry import (
    REGISTRY_AGES,
    cumulative_rate,
    registry_rates,
    standardised_rate,
    truncated_rate,
)

# One registry year: cases and person-years in the 19 registry age groups.
CASES = np.array([3, 5, 6, 7, 12, 20, 35, 60, 110, 190, 300, 420, 520, 610, 700, 690, 560, 380, 260], float)
PERSONS = np.array(
    [9800, 41000, 52000, 50500, 61000, 72000, 80500, 78000, 84000, 86500, 83000, 70500, 66000,
     52000, 38500, 29000, 21000, 12500, 7000],
    float,
)


def test_cumulative_rate_0_74_is_the_sum_over_single_years() -> None:
    # CI5: CR74 is the sum over each year of age of the age-specific rates.
    single_year_rates = np.repeat(CASES[:16] / PERSONS[:16], np.diff([*REGISTRY_AGES[:16], 75]))
    assert single_year_rates.size == 75
    cr = cumulative_rate(CASES, PERSONS)
    assert cr.value == pytest.approx(100 * single_year_rates.sum(), rel=1e-13)
    widths = np.diff([*REGISTRY_AGES[:16], 75])
    error = 100 * np.sqrt((widths**2 * CASES[:16] / PERSONS[:16] ** 2).sum())
    assert cr.upper - cr.value == pytest.approx(sps.norm.isf(0.025) * error, rel=1e-12)
    cr64 = cumulative_rate(CASES, PERSONS, upper_age=65)
    assert cr64.value == pytest.approx(100 * single_year_rates[:65].sum(), rel=1e-13)


def test_standardised_rates_use_the_bundled_weights() -> None:
    for name in ("china_2000", "segi_world"):
        weights = np.array(standard_population(name).weights)
        rate = standardised_rate(CASES, PERSONS, name)
        assert rate.value == pytest.approx((weights * CASES / PERSONS).sum() / weights.sum() * 1e5, rel=1e-13)
        variance = (weights**2 * CASES / PERSONS**2).sum() / weights.sum() ** 2
        assert rate.upper - rate.value == pytest.approx(sps.norm.isf(0.025) * np.sqrt(variance) * 1e5, rel=1e-12)


def test_truncated_rate_35_64_on_segi() -> None:
    segi = {35: 6000, 40: 6000, 45: 6000, 50: 5000, 55: 4000, 60: 4000}
    index = [REGISTRY_AGES.index(age) for age in segi]
    weights = np.array(list(segi.values()), float)
    expected = (weights * CASES[index] / PERSONS[index]).sum() / weights.sum() * 1e5
    assert truncated_rate(CASES, PERSONS).value == pytest.approx(expected, rel=1e-13)


def test_registry_rates_in_one_call_over_areas() -> None:
    cases = np.stack([CASES, CASES * 2])
    rates = registry_rates(cases.T, np.stack([PERSONS, PERSONS]).T, axis=0)
    crude = poisson_interval(cases.sum(axis=1), PERSONS.sum(), multiplier=100_000)
    np.testing.assert_allclose(rates.crude.lower, crude.lower, rtol=1e-14)
    world = standardised_rate(CASES, PERSONS, "segi_world").value
    np.testing.assert_allclose(rates.world.value, [world, 2 * world], rtol=1e-13)
    assert rates.truncated.value[0] == pytest.approx(truncated_rate(CASES, PERSONS).value, rel=1e-14)
    np.testing.assert_allclose(rates.cumulative.value, cumulative_rate(cases, PERSONS).value, rtol=1e-14)
    np.testing.assert_allclose(rates.china.value[1] / rates.china.value[0], 2, rtol=1e-13)


def test_bad_bands_are_named() -> None:
    persons = PERSONS.copy()
    persons[4] = 0
    with pytest.raises(InvalidCountsError, match="population 0 in band 15-19"):
        registry_rates(CASES, persons)
    with pytest.raises(InvalidOptionError, match="differ from those of the standard 'china_2000'"):
        standardised_rate(CASES[1:], PERSONS[1:], "china_2000", ages=[0, *range(5, 90, 5)])
    with pytest.raises(InvalidOptionError, match="must start and end on band limits"):
        cumulative_rate(CASES, PERSONS, upper_age=72)
    with pytest.raises(InvalidCountsError, match="populations is negative"):
        cumulative_rate(CASES, -PERSONS)
