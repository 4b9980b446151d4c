"""Fuzzing the options and names every public function takes.

Units, languages, bases, formats, confidence levels, periods, ids and names
are given anything: text, numbers, None, lists, dicts, bytes. A misspelled
or mistyped option must be a :class:`~phindicators.errors.PhindicatorsError`
(never guessed, never a bare ``TypeError: unhashable type``); a good one
must work. See ``tests/test_fuzz_compute.py`` for the profiles
(``HYPOTHESIS_PROFILE=dev`` searches harder).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import phindicators as ph
from phindicators import Catalog, PhindicatorsError
from phindicators.catalog import normalize_name
from phindicators.dhis2 import to_dhis2_indicator
from phindicators.export import EXPORT_FORMATS, export_catalog
from phindicators.fhir import to_fhir_measure
from phindicators.model import Source
from phindicators.pooling import Period, annualise
from phindicators.stats import standard_population
from phindicators.targets import Target
from phindicators.units import UNITS, conversion_factor, quantity, unit_spec
from tests.conftest import TINY

CATALOG = Catalog.from_toml(TINY)
RATE = CATALOG.get("death_ratio")
RESULT = RATE.compute(np.array([2, 5]), np.array([2158, 3000]), period="2023年1-6月")

ODD = st.one_of(
    st.text(max_size=8),
    st.integers(),
    st.floats(),
    st.none(),
    st.booleans(),
    st.binary(max_size=4),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.floats(0.9, 0.999)),
)


def options(*good: Any) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(list(good)), ODD)


def _allowed(call: Any) -> Any:
    try:
        return call()
    except PhindicatorsError:
        return None


@given(options(*UNITS), options(*UNITS))
def test_units(a: Any, b: Any) -> None:
    _allowed(lambda: unit_spec(a))
    factor = _allowed(lambda: conversion_factor(a, b))
    if factor is not None:
        assert factor > 0 and np.isfinite(factor)
        assert UNITS[a].dimension == UNITS[b].dimension
    converted = _allowed(lambda: RESULT.to(b))
    if converted is not None:
        assert np.allclose(converted.to(RESULT.unit).value, RESULT.value, rtol=1e-12)


@given(st.one_of(st.sampled_from([1.0, 2, 3.5]), ODD), options(*UNITS))
def test_quantities(value: Any, unit: Any) -> None:
    _allowed(lambda: quantity(value, unit))


@given(options("zh", "en"))
def test_languages(lang: Any) -> None:
    for call in (lambda: RESULT.format(lang), lambda: RATE.definition.get(lang), lambda: ph.get("infant_mortality_rate").compute(23, 2158).format(lang)):
        shown = _allowed(call)
        if shown is not None:
            assert all(isinstance(text, str) and text for text in np.asarray(shown).ravel())


@given(options(0.95, 0.998, 95, 99.8, (0.95, 0.998)))
def test_confidence_levels_of_results(confidence: Any) -> None:
    again = _allowed(lambda: RESULT.with_confidence(confidence))
    if again is not None:
        for interval in again.intervals:
            assert (interval.lower <= interval.value).all() and (interval.value <= interval.upper).all()
    _allowed(lambda: RESULT.interval(confidence))


@given(options("days", "months"))
def test_annualisation_bases(basis: Any) -> None:
    counts = CATALOG.get("death_count").compute(np.array([3, 4]), period="2023年1-6月")
    annual = _allowed(lambda: annualise(counts, basis=basis))
    if annual is not None:
        assert annual.annualisation is not None and annual.annualisation > 1
        assert np.allclose(annual.value, counts.value * annual.annualisation)


@given(st.one_of(st.integers(), ODD), st.one_of(st.integers(), ODD), st.one_of(st.integers(), ODD))
def test_periods(year: Any, first: Any, last: Any) -> None:
    for call in (lambda: Period.year(year), lambda: Period.months(year, first, last)):
        try:
            period = call()
        except (PhindicatorsError, TypeError):  # TypeError: a year that is no int at all
            continue
        assert period.start <= period.end
    result = _allowed(lambda: RATE.compute(2, 2158, period=first))
    assert result is None or (result.period is None) == (first is None)


@given(options(*EXPORT_FORMATS))
def test_export_formats(format: Any) -> None:
    document = _allowed(lambda: export_catalog(CATALOG, format))
    assert document is None or isinstance(document, dict)


@given(st.one_of(st.none(), st.sampled_from(["https://fhir.example.org", "https://x/"]), st.text(max_size=6)), st.booleans())
def test_exchange_formats(base_url: Any, annualized: bool) -> None:
    measure = _allowed(lambda: to_fhir_measure(RATE, base_url=base_url))
    assert measure is None or measure["resourceType"] == "Measure"
    indicator = _allowed(lambda: to_dhis2_indicator(RATE, annualized=annualized))
    assert indicator is None or indicator["annualized"] is annualized


@given(options("who_world_2000", "european_2013", "china_2020"), st.one_of(st.none(), st.integers(-5, 120), ODD))
def test_standard_populations(name: Any, open_age: Any) -> None:
    standard = _allowed(lambda: standard_population(name, open_age=open_age))
    if standard is not None:
        assert len(standard.bands) == len(standard.weights) and all(w >= 0 for w in standard.weights)


@given(options(*(i.id for i in CATALOG), "tiny", "other", *(n for i in CATALOG for n in i.names)))
def test_catalog_names(name: Any) -> None:
    _allowed(lambda: CATALOG.get(name))
    _allowed(lambda: CATALOG.find(name))
    _allowed(lambda: CATALOG.indicators(name))
    assert CATALOG.lookup(name) is None or isinstance(name, str)
    suggestions = _allowed(lambda: CATALOG.suggest(name))
    assert suggestions is None or all(isinstance(s, str) for s in suggestions)
    key = _allowed(lambda: normalize_name(name))
    assert key is None or isinstance(key, str)
    assert (name in CATALOG) in (True, False)


@given(options("sdg_2030", "women_outline_2011"), st.one_of(st.none(), st.lists(st.sampled_from(ph.target_sets()), max_size=2), ODD))
def test_target_set_lookup(id: Any, sets: Any) -> None:
    found = _allowed(lambda: ph.target_set(id, sets))
    assert found is None or found.id == id


@given(options(*UNITS), st.one_of(st.floats(), st.integers(), st.lists(st.floats(), max_size=3), ODD))
def test_targets_judge_values(unit: Any, value: Any) -> None:
    target = Target(id="t", indicator="death_ratio", comparator="<=", threshold=20,
                    unit="per_hundred_thousand", source=Source(id="p", title="P"), plan="p")
    thresholds = _allowed(lambda: target.thresholds(unit))
    if thresholds is not None:
        assert np.isfinite(thresholds).all()
    met = _allowed(lambda: target.is_met(value))
    gap = _allowed(lambda: target.gap(value))
    if met is not None and gap is not None:
        assert (np.asarray(met) == (np.asarray(gap) >= 0)).all()
