"""Count columns of a frame as float64, and the problems of each row.

A frame's count column may hold numbers (integer or float, with nulls) or
text, as a spreadsheet saved to CSV leaves it ("1,270", " 35 "). Text is read
with its thousands separators dropped; a cell that is still not a number is a
problem of its row, never a zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._counts import number_from_text
from ..units import UNITS
from ..validation import MAX_EXACT_COUNT

__all__ = ["ROW_PROBLEMS", "count_column", "parse_counts", "row_problems"]

#: Problem codes of a cell, and what each says (``{column}`` and ``{value}``
#: are filled in). 0 is a good cell.
ROW_PROBLEMS: dict[int, str] = {
    1: "{column} is missing",
    2: "{column} is not a number: {value!r}",
    3: "{column} is negative: {value}",
    4: "{column} is not a whole number: {value}",
    5: "{column} is too large to count exactly: {value}",
}
_MISSING, _NOT_A_NUMBER, _NEGATIVE, _NOT_WHOLE, _TOO_LARGE = 1, 2, 3, 4, 5


def parse_counts(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Text or object cells as float64 (NaN where not a number), and where
    a cell is missing (None, NaN, empty text).

    Examples
    --------
    >>> values, missing = parse_counts(np.array(["1,270", " 35 ", "", None, "两"], dtype=object))
    >>> values.tolist()[:2], missing.tolist()
    ([1270.0, 35.0], [False, False, True, True, False])
    """
    flat = np.asarray(cells, dtype=object).reshape(-1)
    values = np.full(flat.size, np.nan)
    missing = np.zeros(flat.size, dtype=bool)
    for position, cell in enumerate(flat.tolist()):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            missing[position] = True
        elif isinstance(cell, str):
            if not cell.strip():
                missing[position] = True
                continue
            number = number_from_text(cell)
            if number is not None:
                values[position] = number
        elif isinstance(cell, int | float | np.integer | np.floating) and not isinstance(cell, bool):
            values[position] = float(cell)
    return values, missing


def count_column(frame: Any, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A narwhals frame's column as float64, its missing cells, and its raw cells.

    Numeric columns convert in one call (nulls become NaN and are missing);
    text columns go through :func:`parse_counts`.
    """
    import narwhals as nw

    series = frame.get_column(name)
    dtype = series.dtype
    if dtype.is_numeric() and dtype != nw.Boolean:
        missing = series.is_null().to_numpy().astype(bool)
        values = series.cast(nw.Float64).to_numpy().astype(np.float64, copy=False)
        missing |= np.isnan(values)
        return values, missing, values
    raw = series.to_numpy()
    values, missing = parse_counts(raw)
    return values, missing, np.asarray(raw, dtype=object)


def row_problems(values: np.ndarray, missing: np.ndarray, unit: str) -> np.ndarray:
    """A problem code per cell (a key of :data:`ROW_PROBLEMS`, 0 if good)
    for counts or amounts in ``unit``.

    Examples
    --------
    >>> row_problems(np.array([3.0, -1.0, 2.5, np.nan, np.nan]),
    ...              np.array([False, False, False, True, False]), "count").tolist()
    [0, 3, 4, 1, 2]
    """
    codes = np.zeros(values.shape, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        bad_number = ~np.isfinite(values) & ~missing
        checks = [
            (_MISSING, missing),
            (_NOT_A_NUMBER, bad_number),
            (_NEGATIVE, values < 0),
            (_TOO_LARGE, values >= MAX_EXACT_COUNT),
        ]
        if UNITS[unit].whole:
            checks.append((_NOT_WHOLE, np.isfinite(values) & (values != np.floor(values))))
    for code, mask in checks:
        codes[(codes == 0) & mask] = code
    return codes
