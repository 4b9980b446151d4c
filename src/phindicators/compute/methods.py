"""Which interval method an indicator takes, and the exact factor from its counts to its unit."""

from __future__ import annotations

import functools
from fractions import Fraction

import attrs
import numpy as np

from ..errors import InvalidOptionError
from ..model import Indicator, Kind
from ..stats import (
    POISSON_METHODS,
    PROPORTION_METHODS,
)
from ..units import UNITS

Values = float | np.ndarray

# Python numbers take the per-request path (bool is not one of them).
_NUMBERS = (int, float)
_NUMBERS_OR_NONE = (int, float, type(None))

#: The interval methods each kind accepts, its default first. Proportions
#: take Wilson (PHE's method) or Clopper–Pearson. Rates, ratios, densities
#: and counts take a Poisson interval of the numerator count, the
#: denominator treated as fixed (PHE's method for rates). Completion
#: (achieved / assigned task) takes the same: the achieved number is a count
#: of events and the assignment a fixed number set in advance; a binomial
#: interval would be wrong because achievement may exceed 100 %. Means have
#: none: their uncertainty needs the spread of the individual amounts, which
#: the sum and the number of beneficiaries do not give. An indicator whose
#: numerator is an amount of money gets none whatever its kind: ask
#: :func:`phindicators.interval_methods`, not this table, what an indicator takes.
KIND_INTERVALS: dict[Kind, tuple[str, ...]] = {
    Kind.PROPORTION: PROPORTION_METHODS,
    Kind.RATE: POISSON_METHODS,
    Kind.RATIO: POISSON_METHODS,
    Kind.DENSITY: POISSON_METHODS,
    Kind.COMPLETION: POISSON_METHODS,
    Kind.COUNT: POISSON_METHODS,
    Kind.MEAN: (),
}


@attrs.frozen
class LifeTableMeasure:
    """What a life-table indicator's value is, read from its age bands.

    Attributes
    ----------
    routine : str
        ``"life_expectancy"`` (years at the exact age ``start``) or
        ``"probability_of_dying"`` (between the exact ages ``start`` and
        ``stop``, a fraction before the indicator's unit).
    start, stop : int
        The exact ages (``stop`` is None for life expectancy).
    method : str
        The interval method its results carry (a key of
        :data:`phindicators.stats.INTERVAL_METHODS`).
    """

    routine: str
    start: int
    stop: int | None
    method: str


#: The life-table routine of each life-table indicator, by its numerator
#: term (the term says which quantity of the table the indicator is; an
#: indicator of a local catalog with the same term computes the same way).
LIFE_TABLE_MEASURES: dict[str, LifeTableMeasure] = {
    "life_table_person_years": LifeTableMeasure("life_expectancy", 0, None, "chiang_silcocks"),
    "life_table_deaths_15_60": LifeTableMeasure("probability_of_dying", 15, 60, "chiang"),
    "life_table_ncd_deaths_30_70": LifeTableMeasure("probability_of_dying", 30, 70, "chiang"),
}

#: Life-table indicators that deaths and populations by age band cannot
#: give, by numerator term: why, and what to use instead.
NOT_FROM_AGE_BANDS: dict[str, str] = {
    "cancer_patients_surviving_5_years": (
        "five-year relative survival divides each patient cohort's observed survival, from "
        "follow-up (dates of diagnosis, death or last contact), by the survival a "
        "general-population life table expects for people of the same age and sex "
        "(Ederer II or Pohar Perme), then standardises by age (ICSS weights); deaths and "
        "populations by age band give neither. Compute it from the registry's follow-up "
        "with a relative-survival tool (R relsurv's rs.surv, Stata strs, SEER*Stat) and "
        "compare the published figure with its targets"
    ),
}


def life_table_measure(indicator: Indicator) -> LifeTableMeasure | None:
    """The life-table routine of an indicator that ``needs`` a life table,
    None for one that cannot be computed from age bands (or needs none).

    Examples
    --------
    >>> from phindicators import get
    >>> life_table_measure(get("adult_mortality_45q15"))
    LifeTableMeasure(routine='probability_of_dying', start=15, stop=60, method='chiang')
    >>> life_table_measure(get("cancer_5year_survival")) is None
    True
    """
    if "life_table" not in indicator.needs:
        return None
    return LIFE_TABLE_MEASURES.get(indicator.numerator.id)


def interval_methods(indicator: Indicator) -> tuple[str, ...]:
    """The interval methods ``indicator`` accepts, its default first; empty
    when it gets no interval.

    A life-table indicator takes its routine's method
    (:data:`LIFE_TABLE_MEASURES`); any other those of its kind
    (:data:`KIND_INTERVALS`), unless its numerator is an
    amount of money. Binomial and Poisson intervals model counts of events;
    an amount of money is not one, and its "interval" would depend on the
    currency unit (2.5 万元 of 10 gives 4 %–80 %, the same 25 000 元 of
    100 000 gives 24.7 %–25.3 %). Such indicators (资金到位率, a share of
    spending) are legitimate, so they load and compute, without an
    interval, as means do.

    Examples
    --------
    >>> from phindicators import get
    >>> interval_methods(get("infant_mortality_rate"))
    ('auto', 'exact', 'byar')
    >>> interval_methods(get("oop_share_of_health_expenditure"))
    ()
    >>> interval_methods(get("life_expectancy"))
    ('chiang_silcocks',)
    """
    if "life_table" in indicator.needs:
        measure = life_table_measure(indicator)
        return () if measure is None else (measure.method,)
    if not UNITS[indicator.numerator.unit].whole:
        return ()
    return KIND_INTERVALS[indicator.kind]

@functools.cache
def _scale(numerator_unit: str, denominator_unit: str, unit: str) -> float:
    """Exact factor from numerator/denominator in their units to ``unit``."""
    size = {name: Fraction(repr(UNITS[name].multiplier)) for name in {numerator_unit, denominator_unit, unit}}
    return float(size[numerator_unit] / size[denominator_unit] / size[unit])


def value_scale(indicator: Indicator) -> float:
    """The exact factor from numerator / denominator, each in its term's
    unit, to a value in the indicator's unit.

    Examples
    --------
    >>> from phindicators import get
    >>> value_scale(get("maternal_mortality_ratio"))
    100000.0
    """
    den_unit = indicator.denominator.unit if indicator.denominator is not None else "count"
    return _scale(indicator.numerator.unit, den_unit, indicator.unit)


def _interval_method(indicator: Indicator, method: str | None) -> str | None:
    """The method to use for ``indicator``: its kind's default, or ``method``
    if the kind accepts it."""
    allowed = interval_methods(indicator)
    if method is None:
        return allowed[0] if allowed else None
    if method not in allowed:
        if allowed:
            accepted = ", ".join(map(repr, allowed))
        elif KIND_INTERVALS[indicator.kind]:
            accepted = "none (an amount of money is not a count of events)"
        else:
            accepted = "none (no interval for this kind)"
        raise InvalidOptionError(
            f"{indicator.id}: method must be one for a {indicator.kind}: {accepted}; got {method!r}"
        )
    return method
