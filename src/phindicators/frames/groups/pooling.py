"""Pooling rows into groups by summing counts: eagerly, or where a lazy frame lives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import (
    InvalidCountsError,
    InvalidTypeError,
)
from ...units import UNITS
from ...validation import MAX_EXACT_COUNT
from .._narwhals import narwhals
from ..counts import count_column, row_problems
from .options import _SHOWN_ROWS, _Columns, _Counts, _Groups
from .rows import _key_missing, _label, _raise_rows, _row_labels

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


def _pool(
    frame: Any,
    keys: list[str],
    pooled: bool,
    numerators: list[np.ndarray],
    denominators: list[np.ndarray | None],
    bad: list[np.ndarray],
) -> _Groups:
    """Sum the counts of each group of ``keys`` (``pooled``), or keep every
    row as its own group. Bad rows count 0 in the sums; their group is
    marked by its first bad row."""
    nw = narwhals()
    size = len(frame)
    positions = np.arange(size, dtype=np.int64)
    if not pooled:
        return _Groups(
            keys=frame.select(keys) if keys else None,
            first_row=positions,
            numerators=numerators,
            denominators=denominators,
            bad_rows=[np.where(mask, positions, -1) for mask in bad],
            bad_counts=[mask.astype(np.int64) for mask in bad],
        )
    backend = frame.implementation
    work: dict[str, np.ndarray] = {"__row": positions}
    for number, (num, den, mask) in enumerate(zip(numerators, denominators, bad, strict=True)):
        work[f"__n{number}"] = np.where(mask, 0.0, num)
        if den is not None:
            work[f"__d{number}"] = np.where(mask, 0.0, den)
        # The first bad row is the smallest position, and size means none.
        work[f"__b{number}"] = np.where(mask, positions, size)
        work[f"__k{number}"] = mask.astype(np.int64)
    extra = [nw.new_series(name, values, backend=backend) for name, values in work.items()]
    table = nw.maybe_reset_index(frame.select(keys)).with_columns(*extra)
    aggregations = [nw.col("__row").min()]
    for name in work:
        if name == "__row":
            continue
        column = nw.col(name)
        aggregations.append(column.min() if name.startswith("__b") else column.sum())
    grouped = table.group_by(keys, drop_null_keys=False).agg(*aggregations).sort("__row")
    first = grouped.get_column("__row").to_numpy().astype(np.int64)

    def array(name: str) -> np.ndarray:
        return np.asarray(grouped.get_column(name).to_numpy(), dtype=np.float64)

    bad_rows = []
    for number in range(len(numerators)):
        first_bad = array(f"__b{number}").astype(np.int64)
        bad_rows.append(np.where(first_bad >= size, -1, first_bad))
    return _Groups(
        keys=grouped.select(keys),
        first_row=first,
        numerators=[array(f"__n{n}") for n in range(len(numerators))],
        denominators=[None if d is None else array(f"__d{n}") for n, d in enumerate(denominators)],
        bad_rows=bad_rows,
        bad_counts=[array(f"__k{n}").astype(np.int64) for n in range(len(numerators))],
    )


def _group_names(groups: _Groups, keys: list[str], positions: np.ndarray) -> list[str]:
    if groups.keys is None:
        return [f"row {p}" for p in positions.tolist()]
    rows = groups.keys.select(keys).rows()
    return [", ".join(f"{k}={v}" for k, v in zip(keys, rows[p], strict=True)) for p in positions.tolist()]


def _eager_pool(
    frame: Any, keys: list[str], groups_by: list[str], chosen: list[_Columns], errors: str
) -> tuple[Any, dict[str, _Counts], _Groups]:
    """Row labels, parsed count columns and the groups of an eager frame,
    every row checked (and, with ``errors="raise"``, refused by label)."""
    index = _row_labels(frame)
    counts: dict[str, _Counts] = {}
    for item in chosen:
        for name in (item.numerator, item.denominator):
            if name is not None and name not in counts:
                counts[name] = _Counts(*count_column(frame, name))
    key_missing = _key_missing(frame, keys)
    if errors == "raise" and key_missing.any():
        positions = np.flatnonzero(key_missing)
        shown = ", ".join(str(_label(index, p)) for p in positions[:_SHOWN_ROWS].tolist())
        raise InvalidCountsError(
            chosen[0].indicator.id,
            "/".join(keys),
            "is missing",
            positions=[(int(p),) for p in positions[:_SHOWN_ROWS].tolist()],
            n_bad=int(positions.size),
            detail=f"{positions.size} of {len(frame)} rows: rows {shown}",
        )
    numerators, denominators, bad = [], [], []
    for item in chosen:
        mask = key_missing.copy()
        fields = [(item.numerator, item.indicator.numerator.unit)]
        if item.denominator is not None and item.indicator.denominator is not None:
            fields.append((item.denominator, item.indicator.denominator.unit))
        for name, unit in fields:
            parsed = counts[name]
            codes = row_problems(parsed.values, parsed.missing, unit)
            if errors == "raise" and codes.any():
                code = int(codes[np.flatnonzero(codes)[0]])
                _raise_rows(item.indicator, name, code, codes == code, parsed, index)
            mask |= codes != 0
        numerators.append(counts[item.numerator].values)
        denominators.append(None if item.denominator is None else counts[item.denominator].values)
        bad.append(mask)
    return index, counts, _pool(frame, keys, bool(groups_by), numerators, denominators, bad)


#: Problems a lazily pooled group is checked for, in order: the words, and
#: whether the check applies to integer columns too.
_LAZY_CHECKS = (("missing", True), ("negative", True), ("not_whole", False), ("too_large", True))
_LAZY_WORDS = {
    "missing": "is missing",
    "negative": "is negative",
    "not_whole": "is not a whole number",
    "too_large": "is too large to count exactly",
}


def _lazy_flag(column: Any, dtype: Any, check: str, unit: str) -> Any:
    """A narwhals expression that is True on the rows failing ``check``, or
    None where the check cannot fail (integer columns)."""
    nw = narwhals()
    floating = dtype.is_float()
    if check == "missing":
        return column.is_null() | column.is_nan() if floating else column.is_null()
    if check == "negative":
        return column < 0
    if check == "not_whole":
        return (column != column.round(0)) if floating and UNITS[unit].whole else None
    return column >= nw.lit(MAX_EXACT_COUNT)


def _lazy_pool(frame: Any, keys: list[str], chosen: list[_Columns], errors: str) -> _Groups:
    """The groups of a lazy frame (dask, polars), pooled where the data
    lives: counts summed and bad rows counted per group, one small frame
    collected. Groups come out sorted by their keys; a group with a bad row
    says how many rows and what is wrong (no row positions exist here)."""
    pooled, checked = _lazy_sums(frame, keys, chosen)
    return _pooled_groups(pooled.collect(), keys, chosen, checked, errors)


#: Per indicator, the flag columns a lazy pooling sums: (flag column, count column, check).
_Checked = list[list[tuple[str, str, str]]]


def _lazy_sums(frame: Any, keys: list[str], chosen: list[_Columns]) -> tuple[Any, _Checked]:
    """A lazy frame of the groups of ``frame``: the key columns, the counts'
    sums, how many rows fail each check, still where the data lives (not
    collected); and which checks were counted."""
    nw = narwhals()
    schema = frame.collect_schema()
    flags: list[Any] = []
    sums: list[Any] = []
    checked: list[list[tuple[str, str, str]]] = []  # per indicator: (flag column, count column, check)
    key_null = None
    for key in keys:
        missing = nw.col(key).is_null()
        key_null = missing if key_null is None else key_null | missing
    if key_null is not None:
        flags.append(key_null.alias("__keys_missing"))
    for number, item in enumerate(chosen):
        fields = [("__n", item.numerator, item.indicator.numerator.unit)]
        if item.denominator is not None and item.indicator.denominator is not None:
            fields.append(("__d", item.denominator, item.indicator.denominator.unit))
        mine: list[tuple[str, str, str]] = []
        for prefix, name, unit in fields:
            dtype = schema[name]
            if not dtype.is_numeric():
                raise InvalidTypeError(
                    f"{item.indicator.id}: column {name!r} of a lazy frame holds {dtype}, not numbers; "
                    "cast it (or collect the frame) first"
                )
            sums.append(nw.col(name).sum().alias(f"{prefix}{number}"))
            for check, _ in _LAZY_CHECKS:
                flag = _lazy_flag(nw.col(name), dtype, check, unit)
                if flag is None:
                    continue
                alias = f"__f{number}_{name}_{check}"
                if alias not in {a for a, _, _ in mine}:
                    flags.append(flag.cast(nw.Int64).alias(alias))
                    mine.append((alias, name, check))
        checked.append(mine)
    flag_names = [alias for mine in checked for alias, _, _ in mine]
    if key_null is not None:
        flag_names.append("__keys_missing")
    aggregations = [*sums, *(nw.col(name).sum() for name in dict.fromkeys(flag_names)), nw.len().alias("__rows")]
    table = frame.with_columns(*flags) if flags else frame
    if key_null is not None:
        table = table.with_columns(nw.col("__keys_missing").cast(nw.Int64))
    return table.group_by(keys, drop_null_keys=False).agg(*aggregations), checked


def _pooled_groups(pooled: Any, keys: list[str], chosen: list[_Columns], checked: _Checked, errors: str) -> _Groups:
    """The groups of a collected :func:`_lazy_sums` frame, sorted by their
    keys; with ``errors="raise"``, refused if a group has a bad row."""
    pooled = pooled.sort(keys, nulls_last=True)
    key_null = "__keys_missing" in pooled.columns

    def array(name: str) -> np.ndarray:
        return np.asarray(pooled.get_column(name).to_numpy(), dtype=np.float64)

    size = len(pooled)
    names = [", ".join(f"{k}={v}" for k, v in zip(keys, row, strict=True)) for row in pooled.select(keys).rows()]
    keys_missing = array("__keys_missing") if key_null else np.zeros(size)
    problems, bad_rows, bad_counts = [], [], []
    for number, item in enumerate(chosen):
        texts = np.empty(size, dtype=object)
        count = keys_missing.copy()
        texts[keys_missing > 0] = "a group column is missing"
        for alias, name, check in checked[number]:
            failing = array(alias)
            fresh = (failing > 0) & (count == 0)
            for position in np.flatnonzero(fresh).tolist():
                rows = int(failing[position])
                texts[position] = f"{rows} row{'s' if rows > 1 else ''}: {name} {_LAZY_WORDS[check]}"
            if errors == "raise" and fresh.any():
                positions = np.flatnonzero(fresh)
                shown = "; ".join(f"{names[p]}: {texts[p]}" for p in positions[:_SHOWN_ROWS].tolist())
                raise InvalidCountsError(
                    item.indicator.id,
                    name,
                    _LAZY_WORDS[check],
                    positions=[(int(p),) for p in positions[:_SHOWN_ROWS].tolist()],
                    n_bad=int(failing.sum()),
                    detail=f"{int(failing.sum())} rows in {positions.size} of {size} groups: {shown}",
                )
            count = count + failing
        if errors == "raise" and (keys_missing > 0).any():
            raise InvalidCountsError(
                item.indicator.id,
                "/".join(keys),
                "is missing",
                n_bad=int(keys_missing.sum()),
                detail=f"{int(keys_missing.sum())} rows",
            )
        problems.append(texts)
        bad_rows.append(np.where(count > 0, 0, -1))
        bad_counts.append(count.astype(np.int64))
    return _Groups(
        keys=pooled.select(keys),
        first_row=np.arange(size, dtype=np.int64),
        numerators=[array(f"__n{n}") for n in range(len(chosen))],
        denominators=[None if item.denominator is None else array(f"__d{n}") for n, item in enumerate(chosen)],
        bad_rows=bad_rows,
        bad_counts=bad_counts,
        problems=problems,
    )
