"""Reading a scorecard's table into columns of cells, and checking the cells.

A table is a CSV file (path or open file), dict rows, or a DataFrame; cells
are kept as the table gives them, with the line of each row, and every bad
cell is reported with its line rather than the first one only.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import operator
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._counts import number_from_text
from .._files import open_text
from ..errors import InvalidTypeError, ParseError
from ..units import UNITS
from ..validation import MAX_EXACT_COUNT
from .rows import HEADER_ALIASES, RowError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..catalog import Catalog

__all__ = [
    "EMPTY",
    "NOT_A_NUMBER",
    "Report",
    "Table",
    "cell_text",
    "checked_cells",
    "header_names",
    "number_cells",
    "read",
    "texts",
]


@attrs.frozen
class Table:
    """A table as columns of raw cells, with the line of each row."""

    columns: Mapping[str, Sequence[Any]]
    #: True where a cell is missing in a way the cell itself cannot show (a
    #: DataFrame's NA), per column; None where the cells say it.
    missing: dict[str, np.ndarray | None]
    lines: np.ndarray
    errors: list[RowError]

    @property
    def size(self) -> int:
        return int(self.lines.size)


#: The key of a pandas ``DataFrame.attrs`` (or pyarrow schema metadata, as
#: bytes) holding each row's line in the file it was read from
#: (:func:`phindicators.io.read_table` sets it); without it, a frame's row
#: is named by its position plus 2, its line in ``to_csv(index=False)``.
LINES_ATTRIBUTE = "phindicators_lines"

#: Libraries whose DataFrames a scorecard reads, by their top-level module
#: (recognised by type, without importing them).
_FRAME_MODULES = frozenset({"pandas", "polars", "pyarrow", "modin", "narwhals"})


def _is_frame(table: object) -> bool:
    return type(table).__module__.split(".")[0] in _FRAME_MODULES and (
        hasattr(table, "columns") or hasattr(table, "column_names")
    )


def read(table: object, renamed: Mapping[str, str] | None = None, catalog: Catalog | None = None) -> Table:
    """The cells of a table, its columns named canonically (``renamed`` maps
    a canonical name, "area" or "period", to the table's header; a header
    that names a term of ``catalog``, "活产数", becomes the term's id)."""
    aliases = _aliases(renamed, catalog)
    if isinstance(table, str | os.PathLike):
        name = os.fspath(table)
        with open_text(name) as file:  # a regular file under the input limit
            return _read_lines(file, name, aliases)
    if _is_frame(table):
        return _read_frame(table, aliases)
    if hasattr(table, "read"):
        return _read_file(table, aliases)
    if isinstance(table, Iterable) and not isinstance(table, bytes | Mapping):
        return _read_records(table, aliases)
    raise InvalidTypeError(
        "a scorecard reads a CSV path, an open CSV file, an iterable of dicts or a DataFrame "
        f"(pandas, polars, pyarrow), got {type(table).__name__}"
    )


def _aliases(renamed: Mapping[str, str] | None, catalog: Catalog | None = None) -> dict[str, str]:
    """Case-folded header text -> canonical column name: the catalog's term
    names ("活产数", "live births" -> live_births), then the fixed columns'
    aliases, then the caller's ``renamed``, each over the one before."""
    aliases = {} if catalog is None else dict(catalog.term_names)
    aliases.update(HEADER_ALIASES)
    for canonical, header in (renamed or {}).items():
        if header is not None:
            aliases[str(header).strip().casefold()] = canonical
    return aliases


def _read_file(file: Any, aliases: dict[str, str]) -> Table:
    name = str(getattr(file, "name", "<file>"))
    if isinstance(file.read(0), bytes):
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        try:
            return _read_lines(text, name, aliases)
        finally:
            text.detach()  # the caller's file stays open
    return _read_lines(file, name, aliases)


def _read_lines(lines: Iterable[str], name: str, aliases: dict[str, str]) -> Table:
    reader = csv.reader(lines)
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not "".join(cells).strip():
                continue  # blank lines, and the ",,,," rows spreadsheets leave
            if header is None:
                if not cells[0].lstrip().startswith("#"):
                    header = cells
                continue
            rows.append(cells)
            numbers.append(start)
    except UnicodeDecodeError:
        raise ParseError(name, "not UTF-8 text; convert it first (e.g. iconv -f GB18030 -t UTF-8)") from None
    except csv.Error as error:
        raise ParseError(name, f"line {reader.line_num}: {error}") from None
    if header is None:
        raise ParseError(name, "no header row: a scorecard table starts with its column names")
    names = header_names(header, aliases)
    width = len(names)
    errors = []
    kept_rows, kept_lines = [], []
    for cells, line in zip(rows, numbers, strict=True):
        if len(cells) != width:
            if len(cells) > width and "".join(cells[width:]).strip():
                errors.append(RowError(line=line, problem="too_many_cells", value=str(len(cells))))
                continue
            cells = cells[:width] + [""] * (width - len(cells))
        kept_rows.append(cells)
        kept_lines.append(line)
    transposed = list(zip(*kept_rows, strict=True)) if kept_rows else [() for _ in names]
    return Table(
        columns=dict(zip(names, transposed, strict=True)),
        missing=dict.fromkeys(names),
        lines=np.asarray(kept_lines, dtype=np.int64),
        errors=errors,
    )


def _read_records(records: Iterable[object], aliases: dict[str, str]) -> Table:
    rows = []
    keys: dict[object, None] = {}
    for number, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise InvalidTypeError(
                f"row {number} of the table is a {type(record).__name__}, not a dict of cells"
            )
        rows.append(record)
        keys.update(dict.fromkeys(record))
    if not keys:
        raise ParseError("<rows>", "no rows, so no columns to tell the layout by")
    names = header_names(list(keys), aliases)
    columns = {name: [record.get(key) for record in rows] for name, key in zip(names, keys, strict=True)}
    return Table(columns, dict.fromkeys(names), np.arange(2, len(rows) + 2, dtype=np.int64), [])


def _read_frame(frame: Any, aliases: dict[str, str]) -> Table:
    """A DataFrame's columns: numeric ones as numeric arrays (read in one
    call, NaN where missing), others as object arrays of cells."""
    if type(frame).__module__.split(".")[0] == "pyarrow":
        keys = list(frame.column_names)
        size = frame.num_rows
        metadata = frame.schema.metadata or {}
        stored = metadata.get(LINES_ATTRIBUTE.encode())
        lines = None if stored is None else np.frombuffer(stored, dtype=np.int64)

        def column(key: str) -> tuple[np.ndarray, np.ndarray]:
            chunked = frame.column(key)
            missing = chunked.is_null().to_numpy(zero_copy_only=False)
            return _cells(chunked.to_numpy(zero_copy_only=False)), np.asarray(missing, dtype=bool)
    elif type(frame).__module__.split(".")[0] == "polars":
        keys, size, lines = list(frame.columns), frame.height, None

        def column(key: str) -> tuple[np.ndarray, np.ndarray]:
            series = frame.get_column(key)
            return _cells(series.to_numpy()), series.is_null().to_numpy()
    else:
        keys, size = list(frame.columns), len(frame)
        lines = getattr(frame, "attrs", {}).get(LINES_ATTRIBUTE)

        def column(key: str) -> tuple[np.ndarray, np.ndarray]:
            series = frame[key]
            return _cells(series.to_numpy()), np.asarray(series.isna().to_numpy(), dtype=bool)

    names = header_names(keys, aliases)
    columns: dict[str, Any] = {}
    missing: dict[str, np.ndarray | None] = {}
    for name, key in zip(names, keys, strict=True):
        columns[name], missing[name] = column(key)
    if lines is None or len(lines) != size:
        lines = np.arange(2, size + 2, dtype=np.int64)
    return Table(columns, missing, np.asarray(lines, dtype=np.int64), [])


def _cells(values: np.ndarray) -> np.ndarray:
    """A column as numbers (float64) when numeric, else as cells (object)."""
    if values.dtype.kind in "iuf":
        return values.astype(np.float64, copy=False)
    return values.astype(object, copy=False)


def header_names(cells: Sequence[object], aliases: Mapping[str, str] | None = None) -> list[str]:
    """Canonical column names: fixed columns by :data:`COLUMN_NAMES` (and
    ``aliases``, header text case-folded to canonical name), others as given."""
    known = HEADER_ALIASES if aliases is None else aliases
    names = []
    for number, cell in enumerate(cells, start=1):
        text = "" if cell is None else str(cell).strip()
        if not text:
            raise ParseError(str(cell), f"column {number} of the header has no name")
        name = known.get(text.casefold(), text)
        if name in names:
            raise ParseError(text, f"column {name!r} appears twice in the header")
        names.append(name)
    return names


# -- cells ---------------------------------------------------------------------------------


#: What is stripped around a label cell: spaces, ASCII and full-width. Not
#: tabs: a spreadsheet user puts a tab before "=..." to keep it from running
#: as a formula, and stripping it would make the cell live again (F14).
LABEL_SPACES = " \u3000"


def cell_text(cell: object) -> str:
    if isinstance(cell, str):
        return cell.strip(LABEL_SPACES)
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a year read as a number: "2023", not "2023.0"
    return str(cell)


def texts(data: Table, name: str) -> tuple[list[str], np.ndarray]:
    """A column's cells as stripped text, and where they are empty."""
    cells = data.columns[name]
    whole_numbers = _whole_numbers(cells)
    if whole_numbers is not None:
        texts = whole_numbers
    else:
        if isinstance(cells, np.ndarray) and cells.dtype.kind == "f":
            cells = cells.astype(object)  # years read as numbers: "2023"
        try:
            texts = [cell.strip(LABEL_SPACES) for cell in cells]  # the common case: all text
        except AttributeError:
            texts = [cell_text(cell) for cell in cells]
    empty = np.fromiter(map(operator.not_, texts), bool, len(texts))
    missing = data.missing[name]
    if missing is not None:
        if missing.any():
            empty |= missing
            texts = ["" if gone else text for text, gone in zip(texts, missing.tolist(), strict=True)]
    elif whole_numbers is None:
        # NaN is how a float column holds a missing cell.
        nan = np.array([isinstance(c, float) and math.isnan(c) for c in cells], dtype=bool).reshape(-1)
        empty |= nan
    return texts, empty


def _whole_numbers(cells: Sequence[Any]) -> list[str] | None:
    """A float column of whole numbers (years read as numbers) as the text
    :func:`cell_text` gives each ("2023"), made once per distinct value;
    None for any other column."""
    if not (isinstance(cells, np.ndarray) and cells.dtype.kind == "f"):
        return None
    with np.errstate(invalid="ignore"):
        if not (np.abs(cells) < 2.0**53).all() or not (cells == np.floor(cells)).all():
            return None  # NaN, fractions, or too large for an exact int64
    distinct, where = np.unique(cells.astype(np.int64), return_inverse=True)
    labels = np.array([str(value) for value in distinct.tolist()], dtype=object)
    return labels[where.reshape(-1)].tolist()


EMPTY, NOT_A_NUMBER = 1, 2


def _number(cell: object) -> float | int:
    """A cell as a float, or a problem code."""
    if cell is None:
        return EMPTY
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            return EMPTY
        try:
            if "_" in text:  # float() reads "1_2" as 12
                raise ValueError(text)
            number = float(text)
        except ValueError:
            grouped = number_from_text(text)  # "1,270"; never "1,2"
            if grouped is None:
                return NOT_A_NUMBER
            number = grouped
        return number if np.isfinite(number) else NOT_A_NUMBER
    if isinstance(cell, bool | np.bool_) or not isinstance(cell, numbers.Real):
        return NOT_A_NUMBER
    number = float(cell)
    if math.isnan(number):
        return EMPTY  # NaN: how dicts and data frames hold a missing number
    return number if np.isfinite(number) else NOT_A_NUMBER


def number_cells(data: Table, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A column's cells as float64 (NaN where not a number), and a problem
    code per cell (0 fine, or EMPTY, NOT_A_NUMBER)."""
    cells = data.columns[name]
    values: np.ndarray | None = None
    if isinstance(cells, np.ndarray) and cells.dtype == np.float64:
        # A numeric column of a DataFrame: NaN is its missing cell.
        values = cells.copy()
        codes = np.where(np.isnan(values), EMPTY, np.where(np.isinf(values), NOT_A_NUMBER, 0))
        codes = codes.astype(np.int8)
        missing = data.missing[name]
        if missing is not None:
            codes[missing] = EMPTY
        values[codes != 0] = np.nan
        return values, codes
    if all(type(cell) is str for cell in cells):
        # Text from a CSV file: numpy parses a clean column in one call.
        try:
            values = np.array(cells, dtype=np.float64).reshape(-1)
        except ValueError:
            values = None
    if values is not None:
        codes = np.where(np.isfinite(values), 0, NOT_A_NUMBER).astype(np.int8)
    else:
        parsed = [_number(cell) for cell in cells]
        codes = np.array([p if type(p) is int else 0 for p in parsed], dtype=np.int8).reshape(-1)
        values = np.array([p if type(p) is float else np.nan for p in parsed], dtype=np.float64)
        values = values.reshape(-1)
    missing = data.missing[name]
    if missing is not None:
        codes[missing] = EMPTY
    values[codes != 0] = np.nan
    return values, codes


_CELL_PROBLEMS = {EMPTY: "empty", NOT_A_NUMBER: "not_a_number"}

# Checks of one count or amount, in order; a cell fails at the first. These
# are the checks phindicators.validation.validate_counts makes of each
# field, made here per cell so that every bad cell is reported, not the first.
_CELL_CHECKS: tuple[tuple[str, Callable[[np.ndarray, bool], np.ndarray]], ...] = (
    ("negative", lambda x, whole: x < 0),
    ("too_large", lambda x, whole: x >= MAX_EXACT_COUNT),
    ("not_whole", lambda x, whole: (x != np.floor(x)) if whole else np.zeros(x.shape, dtype=bool)),
)


class Report:
    """Collects row errors, vectorised: one call per problem and mask."""

    def __init__(self, data: Table) -> None:
        self.data = data
        self.errors: list[RowError] = list(data.errors)

    def add(
        self,
        mask: np.ndarray,
        problem: str,
        column: str = "",
        indicator: str = "",
        *,
        rows: np.ndarray | None = None,
        values: Callable[[int], str] | None = None,
    ) -> None:
        """Report the rows where ``mask`` is True (positions in ``rows``,
        default the whole table); ``values`` gives the text of a position."""
        positions = np.flatnonzero(mask)
        if rows is not None:
            positions = rows[positions]
        cells = self.data.columns.get(column)
        for position in positions.tolist():
            if values is not None:
                value = values(position)
            elif cells is not None:
                value = cell_text(cells[position])
            else:
                value = ""
            self.errors.append(
                RowError(
                    line=int(self.data.lines[position]),
                    problem=problem,
                    column=column,
                    indicator=indicator,
                    value=value,
                )
            )


def checked_cells(
    report: Report,
    column: str,
    parsed: tuple[np.ndarray, np.ndarray],
    unit: str,
    rows: np.ndarray,
    indicator: str = "",
) -> np.ndarray:
    """The numbers of ``column`` (``parsed`` by :func:`numbers`) at ``rows``,
    NaN where a cell is empty, not a number, or fails a check for a count or
    amount in ``unit``; each failure is reported."""
    values, codes = parsed[0][rows], parsed[1][rows]
    for code, problem in _CELL_PROBLEMS.items():
        report.add(codes == code, problem, column, indicator, rows=rows)
    whole = UNITS[unit].whole
    failed = codes != 0
    for problem, test in _CELL_CHECKS:
        with np.errstate(invalid="ignore"):
            bad = test(values, whole) & ~failed
        report.add(bad, problem, column, indicator, rows=rows)
        failed |= bad
    values = values.copy()
    values[failed] = np.nan
    return values

