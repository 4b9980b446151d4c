"""The path of plain numeric counts: the columns as numpy arrays, one ``compute`` per indicator.

Most frames hold integer counts with nothing wrong with them. For those the
careful path of :mod:`.pooling` (a problem code per cell, the first bad row
of each group, five aggregations per indicator) is wasted work:
:func:`phindicators.compute.compute` checks every count anyway, block by
block while the block is in the cache. So this path reads the count columns
without copying, pools them (with ``by``) by summing in the frame's own
group_by, and computes. Whenever it cannot vouch for the counts (text or
null cells, a missing group key, a count ``compute`` refuses) it returns
None and compute_frame takes the careful path, which finds and words every
problem: the same output, only slower. The tests check the two agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..._counts import MAX_EXACT_COUNT
from ...compute import compute
from ...errors import DefinitionError, InvalidCountsError
from ...units import UNITS
from .._narwhals import narwhals
from .options import _Columns, _Groups
from .rows import _key_missing

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ...compute import Result

#: Backends whose group_by hands groups back in the order they first appear
#: (narwhals calls pandas' groupby with ``sort=False``, which pandas and
#: modin document so; cuDF's does not promise it). The others are sorted by
#: each group's first row.
_FIRST_SEEN_ORDER = ("PANDAS", "MODIN")

#: Sums of int64 counts stay exact below this (one more would wrap).
_INT64_LIMIT = 2**63


def plain_counts(frame: Any, chosen: list[_Columns]) -> dict[str, np.ndarray] | None:
    """The count columns as numpy arrays (no copy where the backend allows),
    or None if one is not plainly numeric (text, booleans, decimals, or
    integers with nulls, which come out as objects).

    Examples
    --------
    >>> import narwhals as nw, pandas as pd
    >>> from phindicators import get
    >>> frame = nw.from_native(pd.DataFrame({"deaths": [1, 2], "births": [10, 20]}))
    >>> columns = [_Columns(get("infant_mortality_rate"), "deaths", "births")]
    >>> {name: values.tolist() for name, values in plain_counts(frame, columns).items()}
    {'deaths': [1, 2], 'births': [10, 20]}
    >>> plain_counts(nw.from_native(pd.DataFrame({"deaths": ["1"], "births": [10]})), columns) is None
    True
    """
    nw = narwhals()
    arrays: dict[str, np.ndarray] = {}
    for item in chosen:
        for name in (item.numerator, item.denominator):
            if name is None or name in arrays:
                continue
            series = frame.get_column(name)
            if not series.dtype.is_numeric() or series.dtype == nw.Boolean:
                return None
            values = series.to_numpy()
            if values.dtype.kind not in "iuf":
                return None
            arrays[name] = values
    return arrays


def _clean_rows(values: np.ndarray, unit: str) -> bool:
    """Whether no cell of a count column has a problem of
    :func:`~phindicators.frames.counts.row_problems`, and int64 sums of the
    column cannot wrap. A minimum and a maximum decide (NaN fails both
    comparisons); fractions take one more pass, for whole units only."""
    if values.size == 0:
        return True
    low, high = values.min(), values.max()
    if not (low >= 0 and high < MAX_EXACT_COUNT):
        return False
    if values.dtype.kind in "iu":
        return int(high) * values.size < _INT64_LIMIT
    return not UNITS[unit].whole or bool((values == np.floor(values)).all())


def _results(
    chosen: list[_Columns], numerators: list[Any], denominators: list[Any], level: float
) -> list[Result] | None:
    """One result per indicator, or None if ``compute`` refuses a count
    (the careful path then says which rows or groups, or marks them)."""
    try:
        return [
            compute(item.indicator, num, den, confidence=level)
            for item, num, den in zip(chosen, numerators, denominators, strict=True)
        ]
    except (InvalidCountsError, DefinitionError):
        return None


def plain_groups(
    frame: Any, keys: list[str], pooled: bool, chosen: list[_Columns], level: float
) -> tuple[_Groups, list[Result]] | None:
    """The groups of an eager frame and each indicator's result, when every
    count is a plain, good number and no group key is missing; else None.

    Without ``pooled`` every row is its own group and the results are of the
    columns as they are; with it the columns are summed per group of
    ``keys`` first, groups in the order they first appear.
    """
    arrays = plain_counts(frame, chosen)
    if arrays is None or (keys and _key_missing(frame, keys).any()):
        return None
    if not pooled:
        numerators = [arrays[item.numerator] for item in chosen]
        denominators = [None if item.denominator is None else arrays[item.denominator] for item in chosen]
        results = _results(chosen, numerators, denominators, level)
        if results is None:
            return None
        groups = _Groups(
            keys=frame.select(keys) if keys else None,
            first_row=None,
            numerators=numerators,
            denominators=denominators,
            bad_rows=[],
            bad_counts=[],
        )
        return groups, results
    units = {}
    for item in chosen:
        units[item.numerator] = item.indicator.numerator.unit
        if item.denominator is not None and item.indicator.denominator is not None:
            units[item.denominator] = item.indicator.denominator.unit
    if set(arrays) & set(keys) or not all(_clean_rows(arrays[name], unit) for name, unit in units.items()):
        return None
    keys_frame, sums = _sums(frame, keys, list(arrays))
    numerators = [sums[item.numerator] for item in chosen]
    denominators = [None if item.denominator is None else sums[item.denominator] for item in chosen]
    results = _results(chosen, numerators, denominators, level)
    if results is None:
        return None
    groups = _Groups(
        keys=keys_frame,
        first_row=np.arange(len(keys_frame), dtype=np.int64),
        numerators=[np.asarray(values, dtype=np.float64) for values in numerators],
        denominators=[None if values is None else np.asarray(values, dtype=np.float64) for values in denominators],
        bad_rows=[],
        bad_counts=[],
    )
    return groups, results


def _sums(frame: Any, keys: list[str], names: list[str]) -> tuple[Any, dict[str, np.ndarray]]:
    """The key columns of each group (narwhals frame) and each count
    column's sums, groups in the order they first appear."""
    nw = narwhals()
    table = frame.select(*keys, *names)
    aggregations = [nw.col(name).sum().alias(f"__s{number}") for number, name in enumerate(names)]
    ordered = frame.implementation.name in _FIRST_SEEN_ORDER
    if not ordered:
        rows = nw.new_series("__row", np.arange(len(frame), dtype=np.int64), backend=frame.implementation)
        table = nw.maybe_reset_index(table).with_columns(rows)
        aggregations.append(nw.col("__row").min())
    grouped = table.group_by(keys, drop_null_keys=False).agg(*aggregations)
    if not ordered:
        grouped = grouped.sort("__row")
    sums = {name: grouped.get_column(f"__s{number}").to_numpy() for number, name in enumerate(names)}
    return grouped.select(keys), sums
