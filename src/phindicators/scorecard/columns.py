"""A scorecard's columns kept per indicator, put in table order on demand.

:func:`~phindicators.scorecard.scorecard` scores each indicator as a
:data:`Part`: per column, a numpy array of one value per row, a
:class:`Constant` (the indicator's name, a status every row shares), a
:class:`Taken` (the table's areas at the indicator's rows) or the
:class:`Displays` recipe its display strings are made from. A million-row
table gives three million rows out; made whole, their columns of objects and
strings take gigabytes. :class:`ScoredColumns` reads as the dict of whole
columns a :class:`~phindicators.scorecard.Scorecard` has (a column is made
the first time it is asked for), and :meth:`ScoredColumns.arrow_blocks`
gives the rows block by block as pyarrow tables, for a CSV writer that never
holds more than one block of strings.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any, cast

import attrs
import numpy as np

from .formatting import format_displays

__all__ = [
    "BLOCK_ROWS",
    "DISPLAY_COLUMNS",
    "Constant",
    "Displays",
    "Part",
    "ScoredColumns",
    "Taken",
    "arrow_values",
    "filled",
    "part_size",
]

#: Rows per block of :meth:`ScoredColumns.arrow_blocks`: big enough that the
#: per-block overhead vanishes, small enough that a block's strings are a
#: few tens of MB.
BLOCK_ROWS = 50_000

#: The columns a :class:`Displays` recipe makes.
DISPLAY_COLUMNS = ("display_zh", "display_en", "interval_zh", "interval_en")


@attrs.frozen
class Constant:
    """The same ``value`` on every row of a part, made as an array of
    ``dtype`` (object: the value itself in every cell) when asked for."""

    value: Any
    dtype: Any = object


@attrs.frozen(eq=False)
class Taken:
    """``source[rows]``: a table column at a part's rows, taken when asked for."""

    source: np.ndarray
    rows: np.ndarray


@attrs.frozen(eq=False)
class Displays:
    """What a part's display strings are made from, by
    :func:`~phindicators.scorecard.formatting.format_displays`."""

    value: np.ndarray
    lower: np.ndarray | None
    upper: np.ndarray | None
    unit: str
    decimals: int
    confidence: float
    denominator: str

    def shown(self, local: np.ndarray | None) -> dict[str, Any]:
        """The four display columns at ``local`` positions (all rows if None)."""

        def at(values: np.ndarray | None) -> np.ndarray | None:
            return values if values is None or local is None else values[local]

        return format_displays(
            at(self.value),  # type: ignore[arg-type]
            at(self.lower),
            at(self.upper),
            self.unit,
            self.decimals,
            confidence=self.confidence,
            denominator=self.denominator,
        )


#: One indicator's columns: by name, an array of one value per row, or a
#: recipe for one.
Part = dict[str, "np.ndarray | Constant | Taken | Displays"]


def filled(size: int, value: object, dtype: Any = object) -> np.ndarray:
    """An array of ``size`` times ``value`` (for object arrays, the value
    itself: np.full would turn an enum of str into a plain str)."""
    if dtype is not object:
        return np.full(size, value, dtype=dtype)
    array = np.empty(size, dtype=object)
    array.fill(value)
    return array


def part_size(part: Part) -> int:
    """The number of rows of a part (its ``line`` column's)."""
    line = part["line"]
    return int(line.rows.size if isinstance(line, Taken) else len(line))  # type: ignore[arg-type]


def _values(column: np.ndarray | Constant | Taken, size: int, local: np.ndarray | None) -> np.ndarray:
    """A non-display column of a part at ``local`` positions (all if None)."""
    if isinstance(column, Constant):
        return filled(size if local is None else local.size, column.value, column.dtype)
    if isinstance(column, Taken):
        return column.source[column.rows if local is None else column.rows[local]]
    return column if local is None else column[local]


class ScoredColumns(Mapping[str, Any]):
    """The columns of a scorecard: parts (one per indicator scored) and the
    order that puts their rows in table order.

    As a mapping, it gives whole columns as :func:`scorecard` always has:
    numpy arrays (of objects where the parts' kinds differ), pyarrow string
    arrays for display strings when pyarrow is installed; each is made on
    first use and kept.

    Examples
    --------
    >>> part = {"line": np.array([3, 2]), "indicator": Constant("x")}
    >>> columns = ScoredColumns([part], np.array([1, 0]), ["line", "indicator"])
    >>> columns["line"].tolist(), columns["indicator"].tolist(), columns.size
    ([2, 3], ['x', 'x'], 2)
    """

    def __init__(self, parts: list[Part], order: np.ndarray, names: list[str]) -> None:
        self.parts = parts
        self.order = order
        self.names = names
        self.sizes = [part_size(part) for part in parts]
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes, dtype=np.int64)]).astype(np.int64)
        self.size = int(self.offsets[-1])
        self._known = dict.fromkeys(names)
        self._made: dict[str, Any] = {}
        self._shown: dict[int, dict[str, Any]] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            self._known[name]  # a name that is no column: KeyError, as a dict gives
            made = self._column(name)
            if isinstance(made, np.ndarray):
                made.flags.writeable = False  # a scorecard's columns are read-only
            self._made[name] = made
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def _kinds(self, name: str) -> set[str]:
        """The numpy kinds of a column's parts ("O" for objects)."""
        kinds = set()
        for part in self.parts:
            column = part[name]
            if isinstance(column, Constant):
                kinds.add(np.dtype(column.dtype).kind)
            elif isinstance(column, Taken):
                kinds.add(column.source.dtype.kind)
            elif isinstance(column, np.ndarray):
                kinds.add(column.dtype.kind)
        return kinds

    def _column(self, name: str) -> Any:
        """A whole column: the parts' pieces joined and put in table order."""
        if isinstance(self.parts[0][name], Displays):
            return self._displays(name)
        objects = len(self._kinds(name)) > 1  # e.g. integer counts and None of counts without one
        pieces = []
        for part in self.parts:
            values = _values(part[name], part_size(part), None)  # type: ignore[arg-type]
            pieces.append(values.astype(object) if objects else values)
        return np.concatenate(pieces)[self.order]

    def _displays(self, name: str) -> Any:
        pieces = []
        for number, part in enumerate(self.parts):
            recipe = cast(Displays, part[name])  # the same columns are display columns in every part
            # The four columns of a part are made together: keep the others
            # until they are asked for.
            if number not in self._shown:
                self._shown[number] = recipe.shown(None)
            pieces.append(self._shown[number].pop(name))
            if not self._shown[number]:
                del self._shown[number]
        if all(isinstance(piece, np.ndarray) for piece in pieces):
            return np.concatenate(pieces)[self.order]
        import pyarrow as pa

        return pa.chunked_array(pieces).take(pa.array(self.order)).combine_chunks()

    def arrow_blocks(self, rows: int | None = None) -> Iterator[Any]:
        """The rows in table order as pyarrow tables of at most ``rows``
        rows (default :data:`BLOCK_ROWS`), with the values of
        :meth:`Scorecard._arrow <phindicators.scorecard.Scorecard>`: statuses
        as strings, rule ids joined by ";", NaN and None as null."""
        import pyarrow as pa

        step = BLOCK_ROWS if rows is None else rows
        dtypes = {name: self._dtype(name) for name in self.names if not isinstance(self.parts[0][name], Displays)}
        sources = {
            name: arrow_values(name, first.source)
            for name in self.names
            if isinstance(first := self.parts[0][name], Taken)
            and first.source.dtype == object
            and all(isinstance(part[name], Taken) and part[name].source is first.source for part in self.parts)  # type: ignore[union-attr]
        }
        for start in range(0, max(self.size, 1), step):
            order = self.order[start : start + step]
            # Each part's rows in the block (increasing), and their slots in
            # the block's order.
            sorter = np.argsort(order, kind="stable")
            ordered = order[sorter]
            bounds = np.searchsorted(ordered, self.offsets)
            located = [
                (part, ordered[bounds[n] : bounds[n + 1]] - self.offsets[n], sorter[bounds[n] : bounds[n + 1]])
                for n, part in enumerate(self.parts)
            ]
            inverse = np.empty(order.size, dtype=np.int64)
            inverse[sorter] = np.arange(order.size)
            # Each part's four display columns are made together, once per block.
            shown = [_shown(part, local) for part, local, _ in located]
            arrays = {}
            for name in self.names:
                columns = [part[name] for part in self.parts]
                if isinstance(columns[0], Displays):
                    pieces = [_as_arrow(texts[name]) for texts in shown]
                    joined = pa.concat_arrays(pieces) if len(pieces) > 1 else pieces[0]
                    arrays[name] = joined.take(pa.array(inverse))
                elif _same_constant(columns):
                    arrays[name] = _constant_arrow(name, columns[0], order.size)  # type: ignore[arg-type]
                elif name in sources:
                    # Table text (areas, periods) converted once per table
                    # row, then taken for each row out.
                    rows_taken = np.empty(order.size, dtype=np.int64)
                    for part, local, slots in located:
                        rows_taken[slots] = part[name].rows[local]  # type: ignore[union-attr]
                    arrays[name] = sources[name].take(pa.array(rows_taken))
                else:
                    # The block's cells in a numpy array of the whole
                    # column's type, converted as whole columns are.
                    values = np.empty(order.size, dtype=dtypes[name])
                    for part, local, slots in located:
                        values[slots] = _values(part[name], part_size(part), local)  # type: ignore[arg-type]
                    arrays[name] = arrow_values(name, values)
            yield pa.table(arrays)

    def _dtype(self, name: str) -> Any:
        """The type of a whole (non-display) column: its parts' common type,
        or object where their kinds differ (as :meth:`_column` joins them)."""
        if len(self._kinds(name)) > 1:
            return np.dtype(object)
        dtypes = []
        for part in self.parts:
            column = part[name]
            if isinstance(column, Constant):
                dtypes.append(np.dtype(column.dtype))
            elif isinstance(column, Taken):
                dtypes.append(column.source.dtype)
            elif isinstance(column, np.ndarray):
                dtypes.append(column.dtype)
        return np.result_type(*dtypes)


def arrow_values(name: str, values: np.ndarray) -> Any:
    """A column's values as a pyarrow array of plain values: statuses as
    strings, rule ids (of ``violations``) joined by ";", NaN and None as null."""
    import pyarrow as pa

    if name == "violations":
        joined = np.full(values.size, "", dtype=object)
        for index in np.flatnonzero(np.fromiter(map(bool, values), bool, values.size)).tolist():
            joined[index] = ";".join(values[index])
        values = joined
    return pa.array(values, from_pandas=True)


def _same_constant(columns: list[Any]) -> bool:
    first = columns[0]
    return isinstance(first, Constant) and all(
        isinstance(column, Constant)
        and type(column.value) is type(first.value)
        and column.value == first.value
        and column.dtype == first.dtype
        for column in columns
    )


def _constant_arrow(name: str, column: Constant, count: int) -> Any:
    """``count`` times a constant, as :func:`arrow_values` gives it."""
    import pyarrow as pa

    value = column.value.value if isinstance(column.value, enum.Enum) else column.value
    if value is None:
        return pa.nulls(count)
    if name == "violations":
        value = ";".join(value)
    return pa.repeat(value, count)


def _shown(part: Part, local: np.ndarray | None) -> dict[str, Any]:
    recipe = part.get(DISPLAY_COLUMNS[0])
    return recipe.shown(local) if isinstance(recipe, Displays) else {}


def _as_arrow(values: Any) -> Any:
    import pyarrow as pa

    return values if not isinstance(values, np.ndarray) else pa.array(values, from_pandas=True)
