"""The route of life-table indicators: deaths and populations by age band in, a Result out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..errors import DefinitionError, InvalidOptionError
from ..model import Indicator
from ..periods import Period
from ..stats import Interval, life_expectancy, probability_of_dying
from ..units import UNITS
from .methods import LIFE_TABLE_MEASURES, NOT_FROM_AGE_BANDS, LifeTableMeasure, Values, life_table_measure
from .result import AgeBands, Result

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike


def life_table_result(
    indicator: Indicator,
    deaths: ArrayLike,
    populations: ArrayLike | None,
    *,
    ages: ArrayLike | None,
    levels: tuple[float, ...],
    method: str | None,
    period: Period | None,
) -> Result:
    """:func:`~phindicators.compute` for an indicator that ``needs`` a life table.

    ``deaths`` and ``populations`` are counts by age band along the last
    axis: one area is a 1-D array of bands, several areas an array of
    shape ``(areas, bands)`` (any leading shape). ``ages`` gives the first
    age of each band, from 0, the last band open. The result has the
    leading shape (a float for one area); its ``numerator`` and
    ``denominator`` are the deaths and populations summed over the bands the
    value reads (every band for life expectancy, ``start`` to ``stop`` for a
    probability of dying). Life expectancy is NaN where PHE does not
    publish it (a total population of 5 000 or less, or a 95 % interval
    wider than 20 years: see :func:`phindicators.stats.life_expectancy`),
    its limits kept.

    Examples
    --------
    >>> from phindicators import get
    >>> deaths = [40, 9, 40, 90, 500]
    >>> pops = [20_000, 18_000, 20_000, 15_000, 9_000]
    >>> r = life_table_result(get("adult_mortality_45q15"), deaths, pops,
    ...                       ages=[0, 15, 30, 45, 60], levels=(0.95,), method=None, period=None)
    >>> r.format(), r.numerator, r.denominator
    ('119.8‰', 139.0, 53000.0)
    """
    measure = _measure(indicator)
    if ages is None or np.ndim(deaths) == 0:
        raise DefinitionError(
            "needs",
            f"{indicator.id} is computed by the life-table routines from deaths and populations "
            "by age band (arrays with the bands along the last axis) and ages= (the first age "
            "of each band, from 0), not from two counts",
        )
    if populations is None:
        raise DefinitionError("denominator", f"{indicator.id} needs populations by age band beside its deaths")
    if method is not None and method != measure.method:
        raise InvalidOptionError(
            f"{indicator.id}: method must be {measure.method!r} (its life-table interval), got {method!r}"
        )
    asked = levels or (0.95,)
    if measure.routine == "life_expectancy":
        tables = life_expectancy(deaths, populations, ages, asked)
        assert isinstance(tables, tuple)
        at = tables[0].ages.index(measure.start)
        intervals = [
            Interval(_at(t.value, at), _at(t.lower, at), _at(t.upper, at), t.confidence, t.method)
            for t in tables
        ]
        first, last = 0, len(tables[0].ages)
    else:
        assert measure.stop is not None
        found = probability_of_dying(deaths, populations, ages, asked, start=measure.start, stop=measure.stop)
        assert isinstance(found, tuple)
        scale = 1.0 / UNITS[indicator.unit].multiplier
        intervals = [i.scaled(scale) for i in found]
        bands = [int(a) for a in np.asarray(ages)]
        first, last = bands.index(measure.start), bands.index(measure.stop)
    used = slice(first, last)
    # Populations shared by every area (one row of bands) count for each.
    banded = np.broadcast_arrays(np.asarray(deaths, dtype=np.float64), np.asarray(populations, dtype=np.float64))
    total_deaths, total_pops = (_plain(np.sum(counts[..., used], axis=-1)) for counts in banded)
    value = intervals[0].value
    return Result(
        indicator,
        total_deaths,
        total_pops,
        value,
        indicator.unit,
        tuple(intervals) if levels else (),
        period,
        bands=AgeBands(np.asarray(ages).tolist(), deaths, populations),
    )


def _measure(indicator: Indicator) -> LifeTableMeasure:
    measure = life_table_measure(indicator)
    if measure is not None:
        return measure
    why = NOT_FROM_AGE_BANDS.get(indicator.numerator.id)
    if why is not None:
        raise DefinitionError("needs", f"{indicator.id} cannot be computed from counts (life-table indicator): {why}")
    raise DefinitionError(
        "needs",
        f"{indicator.id} needs a life table, but no life-table routine reads its numerator term "
        f"{indicator.numerator.id!r} (known: {', '.join(sorted(LIFE_TABLE_MEASURES))})",
    )


def _at(values: Values, index: int) -> Values:
    return _plain(np.asarray(values)[..., index])


def _plain(values: np.ndarray) -> Values:
    """A float for 0-d, otherwise a read-only array."""
    if values.ndim == 0:
        return float(values)
    values = values.copy()
    values.flags.writeable = False
    return values
