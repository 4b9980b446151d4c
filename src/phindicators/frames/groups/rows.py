"""Bad rows: which cells are not counts, and messages that name them by the caller's row labels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import (
    InvalidCountsError,
    InvalidOptionError,
)
from ...model import Indicator, Term
from .._narwhals import narwhals
from ..counts import ROW_PROBLEMS, row_problems
from .options import _SHOWN_ROWS, _check_column, _Columns, _Counts

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


def _count_columns(
    indicators: list[Indicator], numerator: str | None, denominator: str | None, columns: list[str]
) -> list[_Columns]:
    if len(indicators) > 1 and (numerator is not None or denominator is not None):
        raise InvalidOptionError(
            "several indicators are computed from columns named by their terms' ids (a wide "
            "frame); numerator= and denominator= name the columns of one indicator"
        )
    chosen = []
    for indicator in indicators:
        num = numerator if numerator is not None else _term_column(indicator.numerator, columns)
        den = denominator
        if indicator.denominator is None:
            if denominator is not None:
                raise InvalidOptionError(
                    f"{indicator.id} is a count: it has no denominator, got denominator={denominator!r}"
                )
        elif den is None:
            den = _term_column(indicator.denominator, columns)
        _check_column(num, columns, f"{indicator.id}: numerator")
        if den is not None:
            _check_column(den, columns, f"{indicator.id}: denominator")
        chosen.append(_Columns(indicator, num, den))
    return chosen


def _term_column(term: Term, columns: list[str]) -> str:
    """The column of a term in a wide frame: headed by its id, else by its
    Chinese or English name ("活产数", "live births"), as spreadsheets made
    by hand head them; the id when neither is there (the error names it)."""
    if term.id in columns:
        return term.id
    names = {term.name_zh.strip().casefold(), term.name_en.strip().casefold()}
    return next((c for c in columns if isinstance(c, str) and c.strip().casefold() in names), term.id)


def _row_labels(frame: Any) -> Any:
    """The labels rows are named by in messages: a pandas index, or None
    (positions)."""
    nw = narwhals()
    return nw.maybe_get_index(frame)


def _label(index: Any, position: int) -> object:
    return position if index is None else index[position]


def _shown(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _row_problem(code: int, column: str, raw: np.ndarray, position: int, index: Any) -> str:
    cell = raw[position]
    text = ROW_PROBLEMS[code].format(column=column, value=_shown(cell) if code != 2 else str(cell))
    return f"row {_label(index, position)}: {text}"


def _key_missing(frame: Any, keys: list[str]) -> np.ndarray:
    nw = narwhals()
    missing = np.zeros(len(frame), dtype=bool)
    for key in keys:
        series = frame.get_column(key)
        gone = series.is_null()
        if series.dtype.is_float():
            gone = gone | series.is_nan().fill_null(True)
        missing |= gone.to_numpy().astype(bool)
        if series.dtype == nw.String:
            missing |= (series.str.strip_chars() == "").fill_null(True).to_numpy().astype(bool)
    return missing


def _raise_rows(indicator: Indicator, column: str, code: int, mask: np.ndarray, counts: _Counts, index: Any) -> None:
    positions = np.flatnonzero(mask)
    shown = "; ".join(_row_problem(code, column, counts.raw, int(p), index) for p in positions[:_SHOWN_ROWS].tolist())
    problem = ROW_PROBLEMS[code].format(column="", value="").strip(" :'\"")
    raise InvalidCountsError(
        indicator.id,
        column,
        problem.removesuffix(" 'None'").strip(),
        positions=[(int(p),) for p in positions[:_SHOWN_ROWS].tolist()],
        n_bad=int(positions.size),
        detail=f"{positions.size} of {mask.size} rows: {shown}",
    )


def _first_row_problem(columns: _Columns, counts: dict[str, _Counts], row: int, index: Any) -> str:
    """What is wrong with a row for an indicator (its first problem)."""
    for name in (columns.numerator, columns.denominator):
        if name is None:
            continue
        parsed = counts[name]
        unit = (
            columns.indicator.numerator.unit
            if name == columns.numerator
            else (columns.indicator.denominator.unit if columns.indicator.denominator is not None else "count")
        )
        code = int(row_problems(parsed.values[row : row + 1], parsed.missing[row : row + 1], unit)[0])
        if code:
            return _row_problem(code, name, parsed.raw, row, index)
    return f"row {_label(index, row)}: a group column is missing"
