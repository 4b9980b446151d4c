"""Pooling results by axis and by group, periods, and explicit annualisation."""

from __future__ import annotations

import datetime

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import phindicators as ph
from phindicators import Catalog, InvalidOptionError, ParseError
from phindicators.model import Kind, Term
from phindicators.pooling import Period, Pooled, annualise, pool, pool_periods
from tests.conftest import TINY

_TINY = Catalog.from_toml(TINY)
MANAGED = _TINY.get("managed_rate")  # proportion, percent
DEATHS = _TINY.get("death_ratio")  # ratio, per 10万
COUNT = _TINY.get("death_count")  # count
MEAN = _TINY.get("mean_amount")  # mean, yuan from 万元
#: Deaths per 10万 residents: a rate per a population, which annualises.
RESIDENTS = Term(id="residents", name_en="residents", name_zh="常住人口", population=True)
INCIDENCE = attrs.evolve(DEATHS, id="incidence", kind=Kind.RATE, denominator=RESIDENTS)


@st.composite
def proportion_table(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=5))
    den = draw(hnp.arrays(np.int64, shape, elements=st.integers(1, 10**6)))
    fraction = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    return np.floor(den * fraction).astype(np.int64), den


@given(proportion_table(), st.data())
def test_pooling_along_an_axis_equals_recomputing_from_summed_counts(
    table: tuple[np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    num, den = table
    axis = data.draw(st.sampled_from([None, *range(num.ndim)]))
    pooled = pool(MANAGED.compute(num, den, confidence=(0.95, 0.998)), axis=axis)
    direct = MANAGED.compute(num.sum(axis=axis), den.sum(axis=axis), confidence=(0.95, 0.998))
    assert pooled == direct


@given(proportion_table(), st.data())
def test_pooling_by_labels_equals_recomputing_each_group(
    table: tuple[np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    num, den = table
    labels = data.draw(hnp.arrays(np.int64, num.shape, elements=st.integers(-3, 3)))
    pooled = pool(MANAGED.compute(num, den), by=labels)
    assert isinstance(pooled, Pooled)
    assert pooled.labels.tolist() == sorted(set(labels.ravel().tolist()))
    for i, label in enumerate(pooled.labels):
        mine = labels == label
        one = MANAGED.compute(int(num[mine].sum()), int(den[mine].sum()))
        assert pooled.result.value[i] == one.value
        assert (pooled.result.lower[i], pooled.result.upper[i]) == (one.lower, one.upper)
    as_text = pool(MANAGED.compute(num, den), by=labels.astype(str))
    order = np.argsort(pooled.labels.astype(str))
    np.testing.assert_array_equal(as_text.result.value, pooled.result.value[order])


def test_pooling_sums_counts_and_never_averages_rates() -> None:
    # Two counties: 1 death in 1 000 births and 1 in 99 000. The mean of
    # their ratios (100.5/10万) is not the pooled ratio (2 in 100 000).
    result = pool(DEATHS.compute(np.array([1, 1]), np.array([1000, 99_000])))
    assert result.value == pytest.approx(2.0)
    assert result.numerator == 2 and result.denominator == 100_000
    assert result.method == "exact"


def test_pooling_drops_empty_groups_and_keeps_options() -> None:
    labels = np.array([7, 3, 7, 1_000_000])  # sparse codes take np.unique
    result = MANAGED.compute([1, 2, 3, 4], [10, 10, 10, 10], method="clopper_pearson")
    pooled = pool(result, by=labels)
    assert pooled.labels.tolist() == [3, 7, 1_000_000]
    assert pooled.result.numerator.tolist() == [2, 4, 4]
    assert pooled.result.method == "clopper_pearson"
    dense = pool(result, by=np.array([9, 5, 9, 5]))
    assert dense.labels.tolist() == [5, 9] and dense.result.denominator.tolist() == [20, 20]
    counts = pool(COUNT.compute(np.array([1, 2, 3])), by=np.array([0, 2, 0]))
    assert counts.labels.tolist() == [0, 2] and counts.result.value.tolist() == [4.0, 2.0]
    means = pool(MEAN.compute(np.array([9.55, 10.0]), np.array([81, 100])))
    assert means.value == pytest.approx(195_500 / 181) and means.intervals == ()
    assert pool(result, axis=0, period="2023年").period == Period.year(2023)


def test_pooling_errors() -> None:
    result = MANAGED.compute([1, 2], [10, 10])
    with pytest.raises(InvalidOptionError, match="not both"):
        pool(result, axis=0, by=[1, 2])
    with pytest.raises(InvalidOptionError, match=r"label every element: shape \(2,\), got \(3,\)"):
        pool(result, by=[1, 2, 3])


# ------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023年1-10月", (2023, 1, 1), (2023, 10, 31)),
        ("2023年1～6月", (2023, 1, 1), (2023, 6, 30)),
        ("2024年1至2月", (2024, 1, 1), (2024, 2, 29)),
        ("2023年3月", (2023, 3, 1), (2023, 3, 31)),
        ("2023年", (2023, 1, 1), (2023, 12, 31)),
        ("2023年度", (2023, 1, 1), (2023, 12, 31)),
        ("2022-07/2023-06", (2022, 7, 1), (2023, 6, 30)),
    ],
)
def test_periods_as_reports_print_them(text: str, start: tuple, end: tuple) -> None:
    period = Period.parse(text)
    assert (period.start, period.end) == (datetime.date(*start), datetime.date(*end))


def test_period_parsing_needs_a_year_and_valid_months() -> None:
    assert Period.parse("1-6月", year=2022) == Period.months(2022, 1, 6)
    with pytest.raises(ParseError, match="names no year"):
        Period.parse("1-6月")
    with pytest.raises(ParseError, match="1 <= first <= last <= 12"):
        Period.parse("2023年10-3月")
    with pytest.raises(ParseError, match="not a period"):
        Period.parse("去年")
    with pytest.raises(InvalidOptionError, match="ends after it starts"):
        Period(datetime.date(2023, 2, 1), datetime.date(2023, 1, 1))
    with pytest.raises(InvalidOptionError, match="must be a datetime.date"):
        Period("2023-01-01", datetime.date(2023, 1, 1))  # type: ignore[arg-type]


def test_annualisation_factors_by_days_and_by_months() -> None:
    # DHIS2's rule: days in the year over days in the period.
    assert Period.parse("2023年1-10月").annualisation_factor() == 365 / 304
    assert Period.parse("2024年1-10月").annualisation_factor() == 366 / 305
    assert Period.year(2023).annualisation_factor() == 1.0
    assert Period.parse("2023年1-10月").annualisation_factor("months") == 12 / 10
    part = Period(datetime.date(2023, 1, 15), datetime.date(2023, 3, 31))
    assert part.whole_months is None
    with pytest.raises(InvalidOptionError, match="not whole calendar months"):
        part.annualisation_factor("months")
    with pytest.raises(InvalidOptionError, match="'days', 'months'"):
        part.annualisation_factor("weeks")


def test_annualising_is_explicit_and_recorded() -> None:
    result = INCIDENCE.compute(50, 1_000_000, period="2023年1-6月", confidence=(0.95, 0.998))
    assert result.annualisation is None and result.period == Period.months(2023, 1, 6)
    yearly = annualise(result, basis="months")
    assert yearly.annualisation == 2.0
    assert yearly.value == result.value * 2
    for before, after in zip(result.intervals, yearly.intervals, strict=True):
        assert (after.lower, after.upper) == (before.lower * 2, before.upper * 2)
    assert yearly.numerator == result.numerator  # the counts are not changed
    with pytest.raises(InvalidOptionError, match="already annualised"):
        annualise(yearly)
    with pytest.raises(InvalidOptionError, match="no period"):
        annualise(INCIDENCE.compute(50, 1_000_000))
    for indicator in (MANAGED, DEATHS, MEAN):
        with pytest.raises(InvalidOptionError, match="is not annualised"):
            annualise(indicator.compute(5, 100, period="2023年1-6月"))
    assert annualise(COUNT.compute(7, period="2023年1-6月"), basis="months").value == 14.0


def test_rates_per_events_of_the_period_are_not_annualised() -> None:
    # Deaths per live births of the same half year are already that half
    # year's rate: doubling them would double the infant mortality rate.
    per_events = [i for i in ph.indicators() if i.kind is Kind.RATE and not i.denominator.population]
    assert {i.id for i in per_events} >= {"infant_mortality_rate", "neonatal_mortality_rate"}
    for indicator in per_events:
        with pytest.raises(InvalidOptionError, match=rf"{indicator.id}: a rate per .* is not annualised"):
            annualise(indicator.compute(5, 1000, period="2023年1-6月"))
    per_births = attrs.evolve(INCIDENCE, denominator=attrs.evolve(RESIDENTS, population=False))
    with pytest.raises(InvalidOptionError, match="only rates per a population"):
        annualise(per_births.compute(5, 1000, period="2023年1-6月"))


def test_population_terms_are_marked_in_catalog_files() -> None:
    text = TINY + '\n[terms.people]\nname_en = "residents"\nname_zh = "常住人口"\npopulation = true\n'
    assert Catalog.from_toml(text).terms["people"].population is True
    assert ph.get("infant_mortality_rate").denominator.population is False
    bad = TINY + '\n[terms.people]\nname_en = "residents"\nname_zh = "常住人口"\npopulation = "yes"\n'
    with pytest.raises(ph.CatalogError, match="people.*population.* must be true or false"):
        Catalog.from_toml(bad)


def test_annualised_results_keep_their_factor_when_pooled_or_recomputed() -> None:
    result = annualise(INCIDENCE.compute(np.array([5, 15]), np.array([10_000, 30_000]), period="2023年1-6月"), basis="months")
    pooled = pool(result)
    assert pooled.annualisation == 2.0 and pooled.value == pytest.approx(2 * 20 / 40_000 * 100_000)
    wider = result.with_confidence(0.998)
    plain = INCIDENCE.compute(np.array([5, 15]), np.array([10_000, 30_000]), confidence=0.998)
    np.testing.assert_array_equal(wider.upper, plain.upper * 2)


def test_pooling_consecutive_periods() -> None:
    halves = [
        DEATHS.compute(np.array([1, 2]), np.array([1000, 2000]), period="2023年7-12月"),
        DEATHS.compute(np.array([3, 0]), np.array([1500, 2500]), period="2023年1-6月"),
    ]
    year = pool_periods(halves)
    assert year.period == Period(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    assert year == DEATHS.compute(np.array([4, 2]), np.array([2500, 4500]), period=year.period)
    gap = DEATHS.compute(1, 1000, period="2023年1-5月"), DEATHS.compute(1, 1000, period="2023年7-12月")
    with pytest.raises(InvalidOptionError, match="leave a gap"):
        pool_periods(gap)
    overlap = DEATHS.compute(1, 1000, period="2023年1-7月"), DEATHS.compute(1, 1000, period="2023年7-12月")
    with pytest.raises(InvalidOptionError, match="overlap"):
        pool_periods(overlap)
    with pytest.raises(InvalidOptionError, match="different indicators"):
        pool_periods([DEATHS.compute(1, 10, period="2023年"), MANAGED.compute(1, 10, period="2024年")])
    with pytest.raises(InvalidOptionError, match="carry a period"):
        pool_periods([DEATHS.compute(1, 10)])
    with pytest.raises(InvalidOptionError, match="at least one"):
        pool_periods([])
