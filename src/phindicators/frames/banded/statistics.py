"""The statistics :func:`stats_frame` computes: each routine's options and output columns, as a table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

import attrs
import numpy as np

from ...errors import InvalidOptionError
from ...stats import (
    EXACT_BELOW,
    annual_percent_change,
    cumulative_rate,
    dsr,
    isr,
    life_expectancy,
    probability_of_dying,
    registry_rates,
    truncated_rate,
)
from ...stats.indirect import IndirectlyStandardised
from ...stats.life_tables import LifeExpectancy
from ...stats.registry import REGISTRY_AGES
from ...stats.results import StandardisedRate
from .bands import Columns, _by_band


@attrs.frozen
class _Statistic:
    """How :func:`stats_frame` computes one statistic.

    ``band`` is what the band column holds (``"age"``: first ages of age
    bands; ``"year"``: periods); ``standard`` the option whose standard
    population fixes the bands, or ``fixed`` the bands themselves (neither:
    the data's own bands); ``options`` the keyword options the statistic
    takes, passed to ``run`` with the defaults filled in; ``extras`` the
    output columns after ``method``; ``measures`` the rows of each group
    (one, unnamed, but for registry_rates). The columns are the same
    whatever the data, even when no group can be computed."""

    band: str
    run: Callable[[np.ndarray, np.ndarray, tuple[Any, ...], float, dict[str, Any]], dict[str, Columns]]
    options: Mapping[str, Any]
    extras: tuple[str, ...] = ("events", "population")
    standard: str | None = None
    fixed: tuple[int, ...] | None = None
    measures: tuple[str, ...] = ("",)


def _totals(x: np.ndarray, n: np.ndarray) -> Columns:
    return {"events": x.sum(axis=-1), "population": n.sum(axis=-1)}


def _interval(found: Any, events: np.ndarray | None = None) -> Columns:
    """Value, limits and method of each group. A Poisson interval of
    arrays says "auto"; ``events`` (the count its limits come from) names
    the method each group got, as a scalar call would."""
    method = np.full(np.shape(found.value), found.method, dtype=object)
    if found.method == "auto" and events is not None:
        method = np.where(events < EXACT_BELOW, "exact", "byar").astype(object)
    return {
        "value": np.asarray(found.value, dtype=np.float64),
        "lower": np.asarray(found.lower, dtype=np.float64),
        "upper": np.asarray(found.upper, dtype=np.float64),
        "method": method,
    }


def _run_dsr(
    x: np.ndarray, n: np.ndarray, bands: tuple[Any, ...], level: float, o: dict[str, Any]
) -> dict[str, Columns]:
    found = cast(
        StandardisedRate, dsr(x, n, o["standard"], level, multiplier=o["multiplier"], empty_bands=o["empty_bands"])
    )
    return {"": {**_interval(found), **_totals(x, n), "suppressed": np.asarray(found.suppressed, dtype=bool)}}


def _run_life_expectancy(
    x: np.ndarray, n: np.ndarray, bands: tuple[Any, ...], level: float, o: dict[str, Any]
) -> dict[str, Columns]:
    at = bands[0] if o["at"] is None else o["at"]
    if at not in bands:
        raise InvalidOptionError(
            f"life_expectancy: at={at!r} is not the first age of a band ({', '.join(map(str, bands))})"
        )
    found = cast(LifeExpectancy, life_expectancy(x, n, bands, level))
    i = bands.index(at)
    columns = _interval(found)
    columns = {name: values[..., i] if isinstance(values, np.ndarray) else values for name, values in columns.items()}
    return {"": {**columns, **_totals(x, n), "suppressed": np.asarray(found.suppressed, dtype=bool)[..., i]}}


def _run_probability(
    x: np.ndarray, n: np.ndarray, bands: tuple[Any, ...], level: float, o: dict[str, Any]
) -> dict[str, Columns]:
    if o["start"] is None or o["stop"] is None:
        raise InvalidOptionError("probability_of_dying needs start= and stop= (exact ages: 15 and 60 for 45q15)")
    found = probability_of_dying(x, n, bands, level, start=o["start"], stop=o["stop"])
    return {"": {**_interval(found), **_totals(x, n)}}


def _run_cumulative(
    x: np.ndarray, n: np.ndarray, bands: tuple[Any, ...], level: float, o: dict[str, Any]
) -> dict[str, Columns]:
    found = cumulative_rate(x, n, bands, level, upper_age=o["upper_age"])
    return {"": {**_interval(found), **_totals(x, n)}}


def _run_truncated(
    x: np.ndarray, n: np.ndarray, bands: tuple[Any, ...], level: float, o: dict[str, Any]
) -> dict[str, Columns]:
    found = truncated_rate(x, n, bands, level, **o)
    return {"": {**_interval(found), **_totals(x, n)}}


def _run_registry(
    x: np.ndarray, n: np.ndarray, bands: tuple[Any, ...], level: float, o: dict[str, Any]
) -> dict[str, Columns]:
    found = registry_rates(x, n, bands, level, multiplier=o["multiplier"])
    totals = _totals(x, n)
    return {name: {**_interval(getattr(found, name), totals["events"]), **totals} for name in _REGISTRY_MEASURES}


def _run_isr(
    x: np.ndarray, n: np.ndarray, bands: tuple[Any, ...], level: float, o: dict[str, Any]
) -> dict[str, Columns]:
    references = [_by_band("isr", name, o[name], bands) for name in ("reference_counts", "reference_populations")]
    if references[0] is None:
        raise InvalidOptionError(
            "isr needs reference_counts= (reference events, or rates without reference_populations)"
        )
    found = cast(
        IndirectlyStandardised,
        isr(
            x,
            n,
            references[0],
            references[1],
            level,
            kind=o["kind"],
            refvalue=o["refvalue"],
            multiplier=o["multiplier"],
        ),
    )
    columns = _interval(found, np.asarray(found.observed))
    return {
        "": {**columns, "observed": np.asarray(found.observed), "expected": np.asarray(found.expected), **_totals(x, n)}
    }


def _run_apc(
    x: np.ndarray, n: np.ndarray, bands: tuple[Any, ...], level: float, o: dict[str, Any]
) -> dict[str, Columns]:
    found = annual_percent_change(x, n, np.asarray(bands, dtype=np.float64), level)
    columns = _interval(found)
    extra = {name: np.asarray(getattr(found, name), dtype=np.float64) for name in ("slope", "slope_error", "p_value")}
    return {"": {**columns, **extra, **_totals(x, n)}}


_REGISTRY_MEASURES = ("crude", "china", "world", "cumulative", "truncated")


_TOTALS = ("events", "population")


#: The statistics :func:`stats_frame` computes, and the options each takes
#: (with their defaults): those of the :mod:`phindicators.stats` routine.
STATISTICS: dict[str, _Statistic] = {
    "dsr": _Statistic(
        "age",
        _run_dsr,
        {"standard": "who_world_2000", "multiplier": 100_000, "empty_bands": "refuse"},
        ("suppressed", *_TOTALS),
        standard="standard",
    ),
    "life_expectancy": _Statistic("age", _run_life_expectancy, {"at": None}, ("suppressed", *_TOTALS)),
    "probability_of_dying": _Statistic("age", _run_probability, {"start": None, "stop": None}),
    "cumulative_rate": _Statistic("age", _run_cumulative, {"upper_age": 75}),
    "truncated_rate": _Statistic(
        "age",
        _run_truncated,
        {"standard": "segi_world", "lower_age": 35, "upper_age": 65, "multiplier": 100_000},
        standard="standard",
    ),
    # China 2000 and Segi share the registry's bands (0, 1-4, 5-9, ..., 85+).
    "registry_rates": _Statistic(
        "age", _run_registry, {"multiplier": 100_000}, fixed=REGISTRY_AGES, measures=_REGISTRY_MEASURES
    ),
    "isr": _Statistic(
        "age",
        _run_isr,
        {
            "reference_counts": None,
            "reference_populations": None,
            "kind": "ratio",
            "refvalue": 1.0,
            "multiplier": 100_000,
        },
        ("observed", "expected", *_TOTALS),
    ),
    "annual_percent_change": _Statistic("year", _run_apc, {}, ("slope", "slope_error", "p_value", *_TOTALS)),
}
