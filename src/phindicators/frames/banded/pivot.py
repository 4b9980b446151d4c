"""A long frame's rows as (groups x bands) arrays, what is wrong with each
group, and the routine run on the good groups."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, cast

import attrs
import numpy as np

from ...errors import InvalidCountsError
from .._narwhals import narwhals
from ..counts import ROW_PROBLEMS, count_column, row_problems
from ..groups.rows import _key_missing, _label, _shown
from .bands import _SHOWN_GROUPS, _band_value, _check_no_gap, _labels


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
