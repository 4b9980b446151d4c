"""A life-table Result keeps the age bands its value comes from: it is
recomputed at other levels from them and checked against them when read
back from JSON (its band totals alone do not give its value)."""

from __future__ import annotations

import json

import attrs
import numpy as np
import pytest

import phindicators as ph
from phindicators._json import to_dict
from phindicators.compute import AgeBands
from phindicators.errors import DefinitionError, InvalidOptionError
from phindicators.serialize import from_dict

AGES = [0, 15, 30, 45, 60]
DEATHS = [40, 9, 40, 90, 500]
POPULATIONS = [20_000, 18_000, 20_000, 15_000, 9_000]
LE_AGES = [0, 1, *range(5, 90, 5)]
LE_DEATHS = [10, 2, 1, 1, 3, 4, 5, 6, 8, 12, 20, 30, 45, 70, 100, 150, 200, 250, 300]
LE_POPULATIONS = [2000, 8000, 10000, 10000, 9000, 9000, 9000, 8500, 8000, 8000, 7500, 7000, 6000, 5000,
                  4000, 3000, 2000, 1200, 600]


def _adult() -> ph.Result:
    return ph.get("adult_mortality_45q15").compute(DEATHS, POPULATIONS, ages=AGES)


def _life_expectancy() -> ph.Result:
    deaths = np.array([LE_DEATHS, [d * 2 for d in LE_DEATHS]])
    return ph.get("life_expectancy").compute(deaths, LE_POPULATIONS, ages=LE_AGES)


def test_the_result_keeps_its_bands_as_given() -> None:
    result = _adult()
    assert result.bands == AgeBands(AGES, DEATHS, POPULATIONS)
    assert result.bands.ages == tuple(AGES)
    assert not result.bands.deaths.flags.writeable


def test_a_reused_buffer_does_not_change_the_bands() -> None:
    deaths = np.array(DEATHS, dtype=np.float64)
    result = ph.get("adult_mortality_45q15").compute(deaths, POPULATIONS, ages=AGES)
    deaths[3] = 0
    assert result.bands.deaths[3] == 90


def test_with_confidence_recomputes_from_the_bands() -> None:
    for result, indicator, counts, ages in (
        (_adult(), "adult_mortality_45q15", (DEATHS, POPULATIONS), AGES),
        (_life_expectancy(), "life_expectancy", (np.array([LE_DEATHS, [d * 2 for d in LE_DEATHS]]),
                                                 LE_POPULATIONS), LE_AGES),
    ):
        again = result.with_confidence((0.95, 0.998))
        direct = ph.get(indicator).compute(*counts, ages=ages, confidence=(0.95, 0.998))
        assert again == direct
        assert [i.confidence for i in again.intervals] == [0.95, 0.998]
        # The 99.8 % interval holds the 95 % one: the levels were not mixed up.
        assert np.all(np.asarray(again.intervals[1].lower) < np.asarray(again.intervals[0].lower))


@pytest.mark.parametrize("make", [_adult, _life_expectancy])
def test_json_round_trip_is_checked_against_the_bands(make) -> None:  # type: ignore[no-untyped-def]
    result = make()
    data = json.loads(json.dumps(to_dict(result)))
    assert from_dict(ph.Result, data) == result


def test_an_edited_value_or_total_is_refused() -> None:
    data = json.loads(json.dumps(to_dict(_adult())))
    edited = {**data, "value": data["value"] + 1}
    with pytest.raises(DefinitionError, match="value: does not follow"):
        from_dict(ph.Result, edited)
    edited = {**data, "numerator": data["numerator"] + 1}
    with pytest.raises(DefinitionError, match="numerator: does not follow"):
        from_dict(ph.Result, edited)
    bands = {**data["bands"], "deaths": [40, 9, 40, 95, 500]}  # a band the value reads
    with pytest.raises(DefinitionError, match="does not follow"):
        from_dict(ph.Result, {**data, "bands": bands})


def test_a_life_table_result_without_bands_is_not_taken_as_checked() -> None:
    data = json.loads(json.dumps(to_dict(attrs.evolve(_adult(), bands=None))))
    with pytest.raises(DefinitionError, match="bands.*verify=False"):
        from_dict(ph.Result, data)
    assert from_dict(ph.Result, data, verify=False).value == _adult().value


def test_ages_are_never_truncated() -> None:
    with pytest.raises(InvalidOptionError, match="whole numbers, got 2.5"):
        AgeBands([0, 2.5], [1, 2], [10, 20])


def test_the_period_and_method_reach_a_life_table_result() -> None:
    result = ph.get("adult_mortality_45q15").compute(DEATHS, POPULATIONS, ages=AGES, period="2023年")
    assert str(result.period) == "2023年"
    assert result.with_confidence(0.998).period == result.period
    assert ph.get("adult_mortality_45q15").compute(DEATHS, POPULATIONS, ages=AGES).period is None
    with pytest.raises(InvalidOptionError, match="method must be 'chiang'"):
        ph.get("adult_mortality_45q15").compute(DEATHS, POPULATIONS, ages=AGES, method="wilson")


def test_a_life_table_result_takes_the_levels_asked_for() -> None:
    result = ph.get("adult_mortality_45q15").compute(DEATHS, POPULATIONS, ages=AGES, confidence=0.998)
    assert [i.confidence for i in result.intervals] == [0.998]
    assert ph.get("adult_mortality_45q15").compute(DEATHS, POPULATIONS, ages=AGES, confidence=None).intervals == ()
