"""Statistics by age band (or year) from a long frame: one row per group out.

An analyst's frame has one row per group and band (county, year, age band)
with events and population. :func:`stats_frame` pivots each group's rows
into one row of a (groups x bands) array, checks that every group has
exactly the bands the statistic reads, calls the vectorised routine of
:mod:`phindicators.stats` once on the whole array, and returns the caller's
kind of frame. :func:`life_table_frame` is the same pivot for the catalog's
life-table indicators, the route :func:`compute_frame` takes for them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from ..compute import compute, interval_methods
from ..errors import InvalidCountsError, InvalidOptionError, InvalidTypeError
from ..scorecard.formatting import format_displays, has_pyarrow
from ..stats import (
    EXACT_BELOW,
    annual_percent_change,
    confidence_levels,
    cumulative_rate,
    dsr,
    isr,
    life_expectancy,
    probability_of_dying,
    registry_rates,
    standard_population,
    truncated_rate,
)
from ..stats._bands import band_labels
from ..stats.indirect import IndirectlyStandardised
from ..stats.life_tables import LifeExpectancy
from ..stats.registry import REGISTRY_AGES
from ..stats.results import StandardisedRate
from ..stats.standard_populations import StandardPopulation
from ._narwhals import narwhals
from .counts import ROW_PROBLEMS, count_column, row_problems
from .groups.body import _body, _constant, _only, _texts
from .groups.options import ERRORS, _check_column, _names
from .groups.rows import _key_missing, _label, _row_labels, _shown
from .groups.scoring import _target_columns

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..model import Indicator
    from ..targets import TargetSet

__all__ = ["STATISTICS", "life_table_frame", "stats_frame"]

Columns = dict[str, Any]

# A group named in an error message, at most this many.
_SHOWN_GROUPS = 5

# An age band as text: "85+", "0-4", "1–4", "0", "85岁以上" (its first age is what counts).
_AGE_LABEL = re.compile(r"^\s*(\d+)\s*(?:[-–~～至]\s*(\d+)\s*)?(\+|岁及以上|岁以上|岁)?\s*$")


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


def _by_band(where: str, name: str, given: Any, bands: tuple[Any, ...]) -> np.ndarray | None:
    """A reference array in the order of ``bands``: from a mapping band ->
    value (keys read as the band column is), or a sequence already in that
    order."""
    if given is None:
        return None
    if isinstance(given, Mapping):
        read = {_band_value(key, "age"): value for key, value in given.items()}
        absent = [band for band in bands if band not in read]
        if absent:
            raise InvalidOptionError(f"{where}: {name} has no value for band(s) {', '.join(map(str, absent))}")
        return np.asarray([read[band] for band in bands], dtype=np.float64)
    values = np.asarray(given, dtype=np.float64)
    if values.shape != (len(bands),):
        raise InvalidOptionError(
            f"{where}: {name} must give one value per band ({len(bands)}: {', '.join(map(str, bands))}), "
            f"or be a mapping band -> value; got {values.shape[0] if values.ndim else 'a scalar'}"
        )
    return values


def _band_value(cell: object, kind: str) -> int | float | None:
    """A band cell as the number it stands for (an age band's first age, a
    year), None when it is none."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | np.integer):
        return int(cell)
    if isinstance(cell, float | np.floating):
        number = float(cell)
        if not np.isfinite(number):
            return None
        return int(number) if number.is_integer() else (None if kind == "age" else number)
    if isinstance(cell, str):
        found = _AGE_LABEL.match(cell)
        if found is not None and (kind == "age" or not (found.group(2) or found.group(3))):
            return int(found.group(1))
    return None


@attrs.frozen
class _Pivot:
    """A long frame's rows as (groups x bands) arrays, and what is wrong."""

    keys: Any  # a narwhals frame of the group columns, one row per group (or None)
    key_names: list[str]
    bands: tuple[Any, ...]
    events: np.ndarray  # (groups, bands), NaN where a group has no good row
    populations: np.ndarray
    problems: list[str | None]  # per group, the first thing wrong (None: fine)
    fields: list[str]  # per group, the column the problem is in


def _pivot(
    frame: Any,
    keys: list[str],
    band: str,
    kind: str,
    columns: tuple[str, str],
    wanted: tuple[Any, ...] | None,
    index: Any,
    where: str,
) -> _Pivot:
    """Pivot the rows of an eager narwhals frame by ``band`` within groups
    of ``keys``: every group must have each band of ``wanted`` (None: each
    band the data has) once, with good counts."""
    size = len(frame)
    positions = np.arange(size)
    missing_key = _key_missing(frame, keys) if keys else np.zeros(size, dtype=bool)
    if missing_key.any():
        bad = np.flatnonzero(missing_key)
        shown = ", ".join(str(_label(index, int(p))) for p in bad[:_SHOWN_GROUPS].tolist())
        raise InvalidCountsError(
            where,
            "/".join(keys),
            "is missing: a row without its group cannot be placed",
            positions=[(int(p),) for p in bad[:_SHOWN_GROUPS].tolist()],
            n_bad=int(bad.size),
            detail=f"{bad.size} of {size} rows: rows {shown}",
        )
    group, first = _group_ids(frame, keys)
    count = first.size
    # Each distinct band cell is read once: a million rows hold a few dozen.
    cells, cell_of_row = _factorised(frame.get_column(band).to_numpy())
    read = [_band_value(c, kind) for c in cells]
    bands = wanted if wanted is not None else tuple(sorted({v for v in read if v is not None}))
    slot_of = {b: i for i, b in enumerate(bands)}
    slot = np.array([slot_of.get(v, -1) if v is not None else -1 for v in read], dtype=np.int64)[cell_of_row]
    width = len(bands)
    if kind == "age":
        _check_no_gap(cells, bands, band, where)

    # Row problems, first the band, then each count column.
    row_bad = slot < 0
    parsed = {}
    for name in columns:
        numbers, missing, raw = count_column(frame, name)
        codes = row_problems(numbers, missing, "count")
        if name == columns[1]:
            codes = np.where(codes == 4, 0, codes)  # a mid-year population may be fractional
        parsed[name] = (numbers, codes, raw)
        row_bad |= codes > 0
    filled = ~row_bad
    occupancy = np.bincount(group[slot >= 0] * width + slot[slot >= 0], minlength=count * width)
    events = np.full(count * width, np.nan)
    populations = np.full(count * width, np.nan)
    target = group[filled] * width + slot[filled]
    events[target] = parsed[columns[0]][0][filled]
    populations[target] = parsed[columns[1]][0][filled]

    problems: list[str | None] = [None] * count
    fields = [""] * count
    labels = _labels(bands, kind)
    first_bad = np.full(count, size)
    np.minimum.at(first_bad, group[row_bad], positions[row_bad])
    for g in np.flatnonzero(first_bad < size).tolist():
        row = int(first_bad[g])
        if slot[row] < 0:
            given = cells[cell_of_row[row]]
            text = (
                f"{kind} band {_shown(given)!r} is not one of the bands of {where} ({', '.join(labels)})"
                if read[cell_of_row[row]] is not None
                else f"{band} is not {'an age band' if kind == 'age' else 'a year'}: {_shown(given)!r}"
            )
            fields[g] = band
        else:
            for name in columns:
                code = int(parsed[name][1][row])
                if code:
                    cell_shown = parsed[name][2][row]
                    text = ROW_PROBLEMS[code].format(column=name, value=cell_shown if code == 2 else _shown(cell_shown))
                    text += f" in {kind} band {labels[slot[row]]}"
                    fields[g] = name
                    break
        problems[g] = f"row {_label(index, row)}: {text}"
    shape = (count, width)
    occupied = occupancy.reshape(shape)
    for g, b, rows in _duplicates(group, slot, width, occupancy):
        if problems[g] is None:
            given_in = ", ".join(str(_label(index, int(r))) for r in rows[:_SHOWN_GROUPS])
            problems[g] = f"{kind} band {labels[b]} is given in {rows.size} rows ({given_in})"
            fields[g] = band
    for g, b in zip(*np.nonzero(occupied == 0), strict=True):
        if problems[g] is None:
            problems[g] = f"{kind} band {labels[b]} is missing"
            fields[g] = band
    keys_frame = None if not keys else narwhals().maybe_reset_index(frame.select(keys)[first.tolist()])
    return _Pivot(keys_frame, keys, bands, events.reshape(shape), populations.reshape(shape), problems, fields)


def _check_no_gap(cells: list[Any], bands: tuple[Any, ...], band: str, where: str) -> None:
    """Refuse labels whose bands leave ages out ("0-4" then "10-14"): the
    statistics read a band as reaching the next one's first age, so a band
    that no group has would silently widen the one before it."""
    ends: dict[int, int] = {}
    for cell in cells:
        found = _AGE_LABEL.match(cell) if isinstance(cell, str) else None
        if found is not None and found.group(2) is not None:
            ends[int(found.group(1))] = int(found.group(2))
    for start, following in itertools.pairwise(bands):
        end = ends.get(start)
        if end is not None and end + 1 < following:
            raise InvalidCountsError(
                where,
                band,
                f"leaves out ages {end + 1}-{following - 1}: band {start}-{end} is followed by {following} "
                "(give the missing band, or bands= to say which bands there are)",
            )


def _factorised(column: np.ndarray) -> tuple[list[Any], np.ndarray]:
    """The distinct cells of a column and each row's number among them."""
    if column.dtype != object:  # numbers: sorted in C
        distinct, inverse = np.unique(column, return_inverse=True)
        return distinct.tolist(), inverse.reshape(-1)
    # Text (perhaps mixed with None or numbers): a dict beats sorting objects.
    seen: dict[object, int] = {}
    numbers = [seen.setdefault(c if isinstance(c, Hashable) else repr(c), len(seen)) for c in column.tolist()]
    return list(seen), np.asarray(numbers, dtype=np.int64)


def _duplicates(
    group: np.ndarray, slot: np.ndarray, width: int, occupancy: np.ndarray
) -> list[tuple[int, int, np.ndarray]]:
    """(group, band, rows) of each band a group has more than once."""
    if not (occupancy > 1).any():
        return []
    placed = slot >= 0
    key = np.where(placed, group * width + slot, 0)
    rows = np.flatnonzero(placed & (occupancy[key] > 1))
    rows = rows[np.argsort(key[rows], kind="stable")]
    keys = key[rows]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    stops = np.r_[starts[1:], rows.size]
    return [(*divmod(int(keys[a]), width), rows[a:b]) for a, b in zip(starts, stops, strict=True)]


def _labels(bands: tuple[Any, ...], kind: str) -> tuple[str, ...]:
    if kind == "age" and bands and all(isinstance(b, int) for b in bands) and list(bands) == sorted(bands):
        return band_labels(bands)
    return tuple(map(str, bands))


def _group_ids(frame: Any, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group (numbered in the order groups first appear) and the
    first row of each group."""
    size = len(frame)
    if not keys:
        return np.zeros(size, dtype=np.int64), np.zeros(1 if size else 0, dtype=np.int64)
    inverse = np.zeros(size, dtype=np.int64)
    for key in keys:
        distinct, codes = _factorised(frame.get_column(key).to_numpy())
        # The groups so far paired with this key's values, numbered densely
        # again: the codes stay below the number of rows, never overflow.
        inverse = codes if key == keys[0] else np.unique(inverse * len(distinct) + codes, return_inverse=True)[1]
    count = int(inverse.max()) + 1 if size else 0
    first = np.full(count, size, dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(size))
    order = np.argsort(first, kind="stable")
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    return rank[inverse], first[order]


def _group_name(pivot: _Pivot, group: int) -> str:
    """A group as messages name it: "county=甲县, year=2023"."""
    if pivot.keys is None:
        return "all rows"
    return ", ".join(f"{k}={v}" for k, v in zip(pivot.key_names, pivot.keys.row(group), strict=True))


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


def _computed(
    pivot: _Pivot,
    run: Callable[[np.ndarray, np.ndarray], Any],
    errors: str,
    where: str,
) -> tuple[Any, np.ndarray]:
    """``run`` on the pivot's good groups at once, and which groups those
    are. A group the routine refuses (a band of population 0, deaths above
    population...) raises naming the group, or with ``errors="mark"`` is
    marked and the rest computed again."""
    ok = np.array([p is None for p in pivot.problems], dtype=bool)
    if errors == "raise" and not ok.all():
        _raise_groups(pivot, np.flatnonzero(~ok), where)
    rows = np.flatnonzero(ok)
    try:
        return (run(pivot.events[rows], pivot.populations[rows]) if rows.size else None), ok
    except InvalidCountsError as error:
        refused = sorted({int(rows[p[0]]) for p in error.positions if p})
        if not refused:
            raise
        if errors == "raise":
            raise InvalidCountsError(
                where,
                error.field,
                error.problem,
                positions=[(g,) for g in refused],
                n_bad=error.n_bad,
                detail="groups: " + "; ".join(_group_name(pivot, g) for g in refused[:_SHOWN_GROUPS]),
            ) from error
    # Marked: the error names a few groups; each group alone says whether
    # it is refused and why (slow, but only for data the routine refuses).
    for g in rows.tolist():
        try:
            run(pivot.events[g : g + 1], pivot.populations[g : g + 1])
        except InvalidCountsError as error:
            ok[g] = False
            pivot.problems[g] = f"{error.field} {error.problem}"
    rows = np.flatnonzero(ok)
    return (run(pivot.events[rows], pivot.populations[rows]) if rows.size else None), ok


def _raise_groups(pivot: _Pivot, bad: np.ndarray, where: str) -> None:
    shown = "; ".join(f"{_group_name(pivot, g)}: {pivot.problems[g]}" for g in bad[:_SHOWN_GROUPS].tolist())
    first = int(bad[0])
    problem = cast(str, pivot.problems[first]).split(": ", 1)[-1] if pivot.problems[first] else ""
    raise InvalidCountsError(
        where,
        pivot.fields[first],
        f"{problem} (group {_group_name(pivot, first)})",
        positions=[(int(g),) for g in bad[:_SHOWN_GROUPS].tolist()],
        n_bad=int(bad.size),
        detail=f"{bad.size} of {len(pivot.problems)} groups: {shown}",
    )


def _scattered(values: Any, ok: np.ndarray, fill: Any = np.nan) -> np.ndarray:
    """Values of the good groups spread over every group (``fill`` elsewhere)."""
    if isinstance(values, str):
        values = np.full(int(ok.sum()), values, dtype=object)
    values = np.asarray(values)
    if ok.all():
        return values
    if values.dtype == object:
        fill = None
    kind = object if values.dtype == object else bool if values.dtype == bool else np.float64
    out = np.full(ok.size, fill, dtype=kind)
    out[ok] = values
    return out


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


def life_table_frame(
    data: Any,
    indicator: Indicator,
    *,
    numerator: str | None,
    denominator: str | None,
    ages: str,
    keys: list[str],
    confidence: float,
    targets: list[TargetSet],
    errors: str,
    displays: bool,
) -> Any:
    """:func:`~phindicators.compute_frame` of a life-table indicator (life
    expectancy, 45q15, premature NCD mortality): deaths and populations by
    age band, one row per group and band, pivoted by the ``ages`` column
    into (groups x bands) and computed at once by
    :meth:`Indicator.compute` with ``ages=`` the bands the data has.

    The output has compute_frame's columns: the group columns,
    ``indicator``, ``numerator`` and ``denominator`` (the deaths and
    populations summed over the bands the value reads), ``value``,
    ``lower``, ``upper``, ``confidence``, ``method``, ``unit``, the
    display and target columns, and ``problem`` with ``errors="mark"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from phindicators import get
    >>> long = pd.DataFrame({"county": ["甲县"] * 5, "age": [0, 15, 30, 45, 60],
    ...                      "deaths": [40, 9, 40, 90, 500],
    ...                      "population": [20_000, 18_000, 20_000, 15_000, 9_000]})
    >>> out = life_table_frame(long, get("adult_mortality_45q15"), numerator="deaths",
    ...                        denominator="population", ages="age", keys=["county"],
    ...                        confidence=0.95, targets=[], errors="raise", displays=True)
    >>> out[["county", "numerator", "denominator", "display_zh"]]
      county  numerator  denominator display_zh
    0     甲县      139.0      53000.0     119.8‰
    """
    where = indicator.id
    level = _one_level(confidence, "compute_frame")
    frame, lazy_backend = _checked_frame(data, "compute_frame")
    deaths = numerator if numerator is not None else indicator.numerator.id
    if indicator.denominator is None:
        raise InvalidOptionError(f"{indicator.id} needs populations by age band beside its deaths")
    pops = denominator if denominator is not None else indicator.denominator.id
    present = list(frame.columns)
    for name, what in [*((k, "group") for k in keys), (ages, "ages"), (deaths, "numerator"), (pops, "denominator")]:
        _check_column(name, present, what)
    pivot = _pivot(frame, keys, ages, "age", (deaths, pops), None, _row_labels(frame), where)

    def run(x: np.ndarray, n: np.ndarray) -> Any:
        return compute(indicator, x, n, confidence=level, ages=list(pivot.bands))

    result, ok = _computed(pivot, run, errors, where)
    size = ok.size
    out: Columns = {"indicator": _constant(indicator.id, size)}
    if result is None:
        nothing = np.full(size, np.nan)
        out.update(numerator=nothing, denominator=nothing, value=nothing, lower=nothing, upper=nothing)
        method: Any = np.full(size, None, dtype=object)
    else:
        out["numerator"] = _scattered(result.numerator, ok)
        out["denominator"] = _scattered(result.denominator, ok)
        out["value"] = _scattered(result.value, ok)
        out["lower"] = _scattered(result.lower, ok)
        out["upper"] = _scattered(result.upper, ok)
        method = _scattered(result.method, ok)
    out["confidence"] = np.full(size, level)
    out["method"] = _texts(np.asarray(method, dtype=object))
    out["unit"] = _constant(indicator.unit, size)
    if displays:
        out.update(_displays(indicator, result, out, ok, level))
    for plan in targets:
        suffix = "" if len(targets) == 1 else f"_{plan.id}"
        out.update(_target_columns(plan, indicator, result, ok, level, bool(interval_methods(indicator)), suffix))
    if errors == "mark":
        out["problem"] = _texts(np.asarray(pivot.problems, dtype=object))
    return _native(frame, pivot.keys, out, 1, lazy_backend)


def _displays(indicator: Indicator, result: Any, out: Columns, ok: np.ndarray, level: float) -> Columns:
    """The four display columns, NA where a group was not computed."""
    names = ("display_zh", "display_en", "interval_zh", "interval_en")
    texts = {name: np.full(ok.size, None, dtype=object) for name in names}
    if result is None:
        return texts
    if has_pyarrow():
        den_name = indicator.denominator.name_en if indicator.denominator is not None else ""
        made = format_displays(
            out["value"],
            out["lower"],
            out["upper"],
            indicator.unit,
            indicator.decimals,
            confidence=level,
            denominator=den_name,
        )
        return {name: _only(made[name], ok) for name in names}
    from ..display import format_result

    for lang in ("zh", "en"):
        texts[f"display_{lang}"][ok] = np.asarray(result.format(lang), dtype=object)
        texts[f"interval_{lang}"][ok] = np.asarray(format_result(result, lang), dtype=object)
    return texts
