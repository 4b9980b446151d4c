"""stats_frame: a statistic by age band (or year) for every group of a long frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...errors import InvalidOptionError, InvalidTypeError
from ...stats import (
    confidence_levels,
    standard_population,
)
from ...stats._bands import band_labels
from ...stats.standard_populations import StandardPopulation
from .._narwhals import narwhals
from ..groups.body import _body, _texts
from ..groups.options import ERRORS, _check_column, _names
from ..groups.rows import _row_labels
from .bands import Columns, _band_value
from .pivot import _computed, _pivot, _scattered
from .statistics import STATISTICS, _Statistic


def _wanted(statistic: _Statistic, options: dict[str, Any], bands: Sequence[Any] | None) -> tuple[Any, ...] | None:
    """The bands every group must have: ``bands=``, else the standard
    population's, else (None) those the data has."""
    given: tuple[Any, ...] | None = None
    if bands is not None:
        if isinstance(bands, str) or not isinstance(bands, Sequence):
            raise InvalidTypeError(f"bands must be a sequence of band values, got {bands!r}")
        read = [_band_value(b, statistic.band) for b in bands]
        if any(b is None for b in read) or len(set(read)) != len(read):
            raise InvalidOptionError(f"bands must be distinct {statistic.band}s, got {list(bands)!r}")
        given = tuple(read)
    fixed = statistic.fixed
    if statistic.standard is not None:
        standard = options[statistic.standard]
        if isinstance(standard, str):
            standard = standard_population(standard)
        if isinstance(standard, StandardPopulation):
            fixed = standard.lower_ages
        elif given is None:
            raise InvalidOptionError(
                "with a standard given as weights, bands= must say which age band each weight is for"
            )
    # A standard's weights go by position: other bands would be weighted wrong.
    if given is not None and fixed is not None and given != fixed:
        raise InvalidOptionError(
            f"bands= ({', '.join(map(str, given))}) differ from the bands of the standard "
            f"({', '.join(band_labels(fixed))}): collapse the data, or the standard with "
            "standard_population(name, open_age=)"
        )
    return given if given is not None else fixed


def _checked_frame(data: Any, where: str) -> tuple[Any, Any]:
    """The caller's frame as an eager narwhals frame, and the lazy backend
    to hand it back in (None for an eager frame)."""
    nw = narwhals()
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise InvalidTypeError(
            f"{where} takes a DataFrame (pandas, polars, pyarrow, dask, …), got {type(data).__name__}"
        ) from None
    if isinstance(frame, nw.LazyFrame):
        return frame.collect(), frame.implementation
    if not isinstance(frame, nw.DataFrame):
        raise InvalidTypeError(f"{where} takes a DataFrame, not a {type(data).__name__}")
    return frame, None


def stats_frame(
    data: Any,
    statistic: str,
    *,
    band: str,
    by: str | Sequence[str] | None = None,
    events: str = "events",
    population: str = "population",
    bands: Sequence[Any] | None = None,
    confidence: float = 0.95,
    errors: str = "raise",
    **options: Any,
) -> Any:
    """A statistic by age band (or year) for every group of a long DataFrame.

    The frame has one row per group and band, as R users feed
    ``group_by(area) |> phe_dsr(x, n)``. Each group's rows are pivoted by
    ``band`` into one row of a (groups x bands) array, the groups are
    checked to have exactly the bands the statistic reads, and the
    routine of :mod:`phindicators.stats` runs once on the whole array.

    Parameters
    ----------
    data : DataFrame
        Any frame narwhals supports (pandas, polars, pyarrow, modin; dask
        and polars lazy frames are collected). The result is of its kind.
    statistic : str
        A key of ``STATISTICS``: ``"dsr"``, ``"life_expectancy"``,
        ``"probability_of_dying"``, ``"cumulative_rate"``,
        ``"truncated_rate"``, ``"registry_rates"`` (one row per group and
        measure: crude, china, world, cumulative, truncated), ``"isr"`` or
        ``"annual_percent_change"`` (``band`` is then the year).
    band : str
        The band column: an age band's first age (a number, or a label as
        "0-4", "85+", "85岁以上"), or the year.
    by : str or list of str, optional
        Group columns; without them the whole frame is one group.
    events, population : str
        The count columns (text is read with thousands separators).
    bands : sequence, optional
        The bands every group must have, in order. Default: the bands of
        the standard population (``dsr``, ``truncated_rate``; the registry
        bands 0, 1-4, 5-9, ..., 85+ for ``registry_rates``), else every band
        the data has (for ``life_expectancy``, ``cumulative_rate`` and
        ``probability_of_dying`` give them when every group may lack one:
        a band that no group has widens the band before it). A group with a
        band missing, given twice or not among these is refused.
    confidence : float
        One level.
    errors : {"raise", "mark"}
        ``"raise"``: a group with a bad row or band raises, naming the group
        and the band. ``"mark"``: its values are NA and ``problem`` says why.
    **options
        The statistic's own options, as its routine takes them:
        ``standard``, ``multiplier``, ``empty_bands`` (dsr); ``at`` (the
        age life expectancy is given at, default the first band);
        ``start``, ``stop`` (probability_of_dying); ``upper_age``
        (cumulative_rate); ``standard``, ``lower_age``, ``upper_age``,
        ``multiplier`` (truncated_rate); ``multiplier`` (registry_rates);
        ``reference_counts``, ``reference_populations`` (a mapping band ->
        value, or sequences in the order of ``bands``), ``kind``,
        ``refvalue``, ``multiplier`` (isr).

    Returns
    -------
    DataFrame
        The group columns (``measure`` after them for registry_rates), then
        ``value``, ``lower``, ``upper``, ``confidence``, ``method``, the
        statistic's other outputs (``suppressed`` for dsr and life
        expectancy; ``observed``, ``expected`` for isr; ``slope``,
        ``slope_error``, ``p_value`` for the APC), ``events`` and
        ``population`` summed over every band, and ``problem`` with
        ``errors="mark"``. Groups come in the order they first appear.

    Raises
    ------
    InvalidCountsError
        A group with a missing, duplicated or unknown band, a bad count
        (missing, text, negative) or one its routine refuses, naming the
        group, the band and the row; a row without its group; band labels
        that leave ages out ("0-4" followed by "10-14").
    InvalidOptionError
        An unknown statistic or option, a column not in the frame.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"county": ["甲县"] * 2 + ["乙县"] * 2, "age": ["0-39", "40+"] * 2,
    ...                      "deaths": [10, 30, 20, 20], "pop": [2000, 3000, 4000, 1000]})
    >>> out = stats_frame(long, "dsr", by="county", band="age", events="deaths",
    ...                   population="pop", standard=[2, 3], bands=[0, 40])
    >>> out[["county", "value", "events", "population"]]
      county   value  events  population
    0     甲县   800.0    40.0      5000.0
    1     乙县  1400.0    40.0      5000.0
    """
    where = statistic
    if statistic not in STATISTICS:
        raise InvalidOptionError(f"statistic must be one of {', '.join(map(repr, STATISTICS))}, got {statistic!r}")
    spec = STATISTICS[statistic]
    unknown = sorted(set(options) - set(spec.options))
    if unknown:
        known = ", ".join(spec.options) or "none"
        raise InvalidOptionError(f"{statistic} takes no option {', '.join(map(repr, unknown))} (its options: {known})")
    chosen = {**spec.options, **options}
    level = _one_level(confidence, "stats_frame")
    if errors not in ERRORS:
        raise InvalidOptionError(f"errors must be one of {', '.join(map(repr, ERRORS))}, got {errors!r}")
    frame, lazy_backend = _checked_frame(data, "stats_frame")
    keys = _names(by, "by")
    present = list(frame.columns)
    for name, what in [*((k, "group") for k in keys), (band, "band"), (events, "events"), (population, "population")]:
        _check_column(name, present, what)
    wanted = _wanted(spec, chosen, bands)
    pivot = _pivot(frame, keys, band, spec.band, (events, population), wanted, _row_labels(frame), where)

    def run(x: np.ndarray, n: np.ndarray) -> dict[str, Columns]:
        return spec.run(x, n, pivot.bands, level, chosen)

    found, ok = _computed(pivot, run, errors, where)
    measures = spec.measures
    out: Columns = {}
    for name in ("value", "lower", "upper", "method", *spec.extras):
        fill = False if name == "suppressed" else np.nan
        # No group computed: every column all NA (a bool column all False).
        none = np.empty(0, dtype=object if name == "method" else bool if name == "suppressed" else np.float64)
        out[name] = _stacked([_scattered(found[m][name] if found else none, ok, fill) for m in measures])
        if name == "upper":
            out["confidence"] = np.full(len(pivot.problems) * len(measures), level)
    out["method"] = _texts(out["method"])  # text even when every group is NA
    if errors == "mark":
        out["problem"] = _texts(_stacked([np.asarray(pivot.problems, dtype=object) for _ in measures]))
    if len(measures) > 1:
        out = {"measure": np.tile(np.asarray(measures, dtype=object), len(pivot.problems)), **out}
    return _native(frame, pivot.keys, out, len(measures), lazy_backend)


def _stacked(pieces: list[np.ndarray]) -> np.ndarray:
    """Per-measure columns interleaved: group by group, measures in order."""
    if len(pieces) == 1:
        return pieces[0]
    return np.stack(pieces, axis=1).reshape(-1)


def _one_level(confidence: float, where: str) -> float:
    levels = confidence_levels(confidence)
    if len(levels) != 1:
        raise InvalidOptionError(f"{where} takes one confidence level, got {confidence!r}")
    return levels[0]


def _native(frame: Any, keys: Any, columns: Columns, repeat: int, lazy_backend: Any) -> Any:
    """The output columns beside the group keys (each repeated ``repeat``
    times), as the caller's kind of frame."""
    nw = narwhals()
    body = _body(columns, frame.implementation)
    if keys is not None:
        if repeat > 1:
            keys = keys[np.repeat(np.arange(len(keys)), repeat).tolist()]
        body = nw.concat([nw.maybe_reset_index(keys), body], how="horizontal")
    if lazy_backend is not None:
        return body.lazy(backend=lazy_backend).to_native()
    return body.to_native()
