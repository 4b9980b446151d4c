"""The :class:`Scorecard`: rows kept as columns, and how it writes itself out."""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any, cast

import attrs
import numpy as np

from .._text import csv_safe, csv_safe_texts
from ..errors import InvalidOptionError
from ..targets import Target
from .columns import ScoredColumns, arrow_values
from .formatting import has_pyarrow
from .plot import PLOT_FORMATS, plot_format, plot_scorecard
from .rows import (
    CSV_COLUMNS,
    RowError,
    RowViolation,
    ScorecardRow,
    as_tuple,
    checked_lang,
)
from .text import scorecard_text

__all__ = ["Scorecard"]


def _frozen_columns(columns: Mapping[str, Iterable[Any]]) -> Mapping[str, Sequence[Any]]:
    """Columns as given when they are arrays (numpy, or pyarrow for display
    strings), else as tuples; numpy arrays are made read-only. Columns kept
    per indicator (:class:`~phindicators.scorecard.columns.ScoredColumns`)
    stay so: they make each column read-only when it is asked for."""
    if isinstance(columns, ScoredColumns):
        return columns
    frozen: dict[str, Any] = {}
    for name, values in columns.items():
        if isinstance(values, np.ndarray):
            view = values.view()
            view.flags.writeable = False
            frozen[name] = view
        elif type(values).__module__.split(".")[0] == "pyarrow":
            frozen[name] = values
        else:
            frozen[name] = tuple(values)
    return frozen


def _check_columns(instance: object, attribute: attrs.Attribute, value: Mapping[str, Sequence[Any]]) -> None:
    if list(value)[: len(CSV_COLUMNS)] != list(CSV_COLUMNS):
        raise InvalidOptionError(
            f"scorecard columns must start with {', '.join(CSV_COLUMNS)}, got {', '.join(value)}"
        )
    if isinstance(value, ScoredColumns):
        return  # one size for all, by construction
    if len({len(values) for values in value.values()}) > 1:
        raise InvalidOptionError("scorecard columns must all have the same length")


def _python(values: Sequence[Any]) -> list[Any]:
    """A column's values as Python objects (floats, ints, str, enums)."""
    if isinstance(values, np.ndarray):
        return values.tolist()
    if hasattr(values, "to_pylist"):
        return values.to_pylist()
    return list(values)


def _status_texts(values: Sequence[Any]) -> list[str | None]:
    return [None if status is None else str(status) for status in _python(values)]


def _pipelined(blocks: Iterator[Any], write: Callable[[Any], None]) -> None:
    """``write`` each block, in order, in a second thread while the next
    block is made: pyarrow's CSV writer releases the GIL, so making and
    writing share two cores. At most two blocks exist at a time."""
    with ThreadPoolExecutor(1) as pool:
        pending: Future[None] | None = None
        for block in blocks:
            if pending is not None:
                pending.result()
            pending = pool.submit(write, block)
        if pending is not None:
            pending.result()


#: Columns of enums, written as their values.
_STATUS_COLUMNS = ("target_status", "benchmark_status", "trend")


@attrs.frozen(slots=False)
class Scorecard:
    """The rows of a scorecard and what could not be computed.

    A scorecard is kept as columns (one per :class:`ScorecardRow` field, in
    :data:`CSV_COLUMNS`, then those of further target sets), so that a
    table of a million rows is written out without building a million
    objects; :attr:`rows` builds the row objects on first use. A scorecard
    made by :func:`scorecard` keeps them per indicator
    (:class:`~phindicators.scorecard.columns.ScoredColumns`): a whole
    column is made the first time it is asked for, and :meth:`write_csv`
    goes block by block without making any.

    Attributes
    ----------
    columns : mapping of str to sequence
        The rows' fields, column by column (tuples, or read-only numpy and
        pyarrow arrays as :func:`scorecard` makes them), ordered by table
        line and then by catalog order of the indicators. With several
        target sets, each set after the first adds ``target_<set id>``,
        ``target_status_<set id>`` and ``target_gap_<set id>``.
    errors : tuple of RowError
        Rows (or indicators of a row) not computed, by line.
    violations : tuple of RowViolation
        Validation rules broken by a row's counts (wide tables).
    notes : tuple of str
        What else a reader needs to know, e.g. a relative target that needs a
        baseline the table does not give.
    layout : str
        ``"long"`` or ``"wide"``.
    confidence : float
        The level of the intervals.
    target_set : str or None
        Id of the (first) target set the rows are held to.
    targets : tuple of Target
        The target applied to each indicator that has one, set by set.
    benchmark : str or None
        The benchmark area, or :data:`POOLED`.
    target_sets : tuple of str
        Ids of all the target sets, the first one's in the rows' own fields.

    Examples
    --------
    >>> from phindicators.scorecard import scorecard
    >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
    ...                    "maternal_deaths": 2, "infant_deaths": 23}])
    >>> [row.indicator for row in card]
    ['infant_mortality_rate', 'maternal_mortality_ratio']
    >>> len(card), card.layout
    (2, 'wide')
    """

    columns: Mapping[str, Sequence[Any]] = attrs.field(converter=_frozen_columns, validator=_check_columns)
    errors: tuple[RowError, ...] = attrs.field(default=(), converter=as_tuple)
    violations: tuple[RowViolation, ...] = attrs.field(default=(), converter=as_tuple)
    notes: tuple[str, ...] = attrs.field(default=(), converter=as_tuple)
    layout: str = "long"
    confidence: float = 0.95
    target_set: str | None = None
    targets: tuple[Target, ...] = attrs.field(default=(), converter=as_tuple)
    benchmark: str | None = None
    target_sets: tuple[str, ...] = attrs.field(default=(), converter=as_tuple)

    @functools.cached_property
    def rows(self) -> tuple[ScorecardRow, ...]:
        """The rows, in table order (built on first use)."""
        fields = [_python(self.columns[name]) for name in CSV_COLUMNS]
        return tuple(ScorecardRow(*values) for values in zip(*fields, strict=True))

    def __iter__(self) -> Iterator[ScorecardRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        if isinstance(self.columns, ScoredColumns):
            return self.columns.size
        return len(self.columns["line"])

    def _plain_columns(self, joined: bool) -> dict[str, list[Any]]:
        """The columns as Python values with statuses as strings and, if
        ``joined``, rule ids joined by ";"."""
        plain: dict[str, list[Any]] = {}
        for name, values in self.columns.items():
            if name in _STATUS_COLUMNS or name.startswith("target_status_"):
                plain[name] = _status_texts(values)
            elif name == "violations" and joined:
                plain[name] = [";".join(ids) for ids in _python(values)]
            else:
                plain[name] = _python(values)
        return plain

    def records(self) -> list[dict[str, Any]]:
        """The rows as flat dicts of plain values (enums as strings, rule
        ids joined by ";"): the columns of :data:`CSV_COLUMNS`, then those
        of further target sets.

        Examples
        --------
        >>> from phindicators.scorecard import scorecard
        >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
        ...                    "maternal_deaths": 2}])
        >>> record = card.records()[0]
        >>> record["indicator"], record["numerator"], record["target_status"], record["violations"]
        ('maternal_mortality_ratio', 2, 'no_target', '')
        """
        plain = self._plain_columns(joined=True)
        return [dict(zip(plain, values, strict=True)) for values in zip(*plain.values(), strict=True)]

    def _arrow_blocks(self) -> Iterator[Any]:
        """The rows as pyarrow tables of plain values (statuses as strings,
        rule ids joined by ";", NaN as null), block by block for columns
        kept per indicator, else in one table."""
        if isinstance(self.columns, ScoredColumns):
            yield from self.columns.arrow_blocks()
            return
        import pyarrow as pa

        arrays = {}
        for name, values in self.columns.items():
            if hasattr(values, "to_pylist") and not isinstance(values, np.ndarray):
                arrays[name] = values
                continue
            array = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
            arrays[name] = arrow_values(name, array)
        yield pa.table(arrays)

    def _csv_blocks(self) -> Iterator[Any]:
        """:meth:`_arrow_blocks` with every text cell made safe for
        spreadsheets (:func:`~phindicators._text.csv_safe_texts`):
        areas and periods come from the caller's file, and
        "=HYPERLINK(...)" must not run when opened."""
        import pyarrow as pa

        for table in self._arrow_blocks():
            for position, field in enumerate(table.schema):
                if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
                    column = table.column(position)
                    safe = csv_safe_texts(column)
                    if safe is not column:
                        table = table.set_column(position, field.name, safe)
            yield table

    def write_csv(self, destination: str | os.PathLike[str] | IO[str]) -> None:
        """Write :meth:`records` as CSV (UTF-8) to a path or an open text file.

        Counts are written as integers ("2158"); with pyarrow installed the
        rows are written by its CSV writer, block by block, each block in a
        second thread while the next is made.

        Examples
        --------
        >>> import io
        >>> from phindicators.scorecard import scorecard
        >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
        ...                    "maternal_deaths": 2}])
        >>> out = io.StringIO()
        >>> card.write_csv(out)
        >>> out.getvalue().splitlines()[0].startswith("line,indicator,name_zh")
        True
        """
        if isinstance(destination, str | os.PathLike):
            with open(destination, "w", encoding="utf-8", newline="") as file:
                self.write_csv(file)
            return
        if has_pyarrow():
            import pyarrow.csv as pa_csv

            options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
            destination.write(",".join(self.columns) + "\n")
            binary = getattr(destination, "buffer", None)
            if binary is not None and getattr(destination, "encoding", "").lower().replace("-", "") == "utf8":
                # A UTF-8 text file: the bytes go straight to its buffer,
                # never held as one Python string.
                destination.flush()
                _pipelined(self._csv_blocks(), lambda table: pa_csv.write_csv(table, binary, write_options=options))
                binary.flush()
                return

            def write(table: Any) -> None:
                buffer = io.BytesIO()
                pa_csv.write_csv(table, buffer, write_options=options)
                destination.write(buffer.getvalue().decode("utf-8"))

            _pipelined(self._csv_blocks(), write)
            return
        writer = csv.writer(destination, lineterminator="\n")
        plain = self._plain_columns(joined=True)
        writer.writerow(plain)  # the column names are ours
        safe = [[csv_safe(cell) if isinstance(cell, str) else cell for cell in column] for column in plain.values()]
        writer.writerows(zip(*safe, strict=True))

    def to_frame(self, backend: str = "pandas") -> Any:
        """The rows as a DataFrame (``"pandas"``, ``"polars"``, ``"pyarrow"``…),
        with the columns of :meth:`records`.

        Needs narwhals (``pip install 'phindicators[frames]'``) and the
        backend's library.

        Examples
        --------
        >>> from phindicators.scorecard import scorecard
        >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
        ...                    "maternal_deaths": 2}], "healthy_china_2030")
        >>> card.to_frame()[["area", "numerator", "denominator", "display_zh", "target_status"]]
          area  numerator  denominator  display_zh target_status
        0   甲县          2         2158  92.68/10万       not_met
        """
        try:
            import narwhals as nw
        except ModuleNotFoundError:
            raise ModuleNotFoundError(
                "Scorecard.to_frame needs narwhals: pip install 'phindicators[frames]'", name="narwhals"
            ) from None
        plain = self._plain_columns(joined=True)
        return nw.from_dict(plain, backend=cast(Any, backend)).to_native()

    def to_json(self) -> dict[str, Any]:
        """The scorecard as a JSON-compatible dict (by
        :func:`phindicators.serialize.to_json_value`): what it was computed
        against, the targets applied in full, its rows (objects with the
        fields of :class:`ScorecardRow`, then those of further target
        sets), errors, rule violations and notes.

        Examples
        --------
        >>> from phindicators.serialize import json_text
        >>> from phindicators.scorecard import scorecard
        >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
        ...                    "maternal_deaths": 2}], "healthy_china_2030")
        >>> document = card.to_json()
        >>> document["rows"][0]["target_status"], document["targets"][0]["threshold"]
        ('not_met', [12.0])
        >>> json_text(document).startswith("{")
        True
        """
        from .._json import to_json_value

        plain = self._plain_columns(joined=False)
        return to_json_value(
            {
                "layout": self.layout,
                "confidence": self.confidence,
                "target_set": self.target_set,
                "target_sets": self.target_sets,
                "benchmark": self.benchmark,
                "targets": self.targets,
                "rows": [dict(zip(plain, values, strict=True)) for values in zip(*plain.values(), strict=True)],
                "errors": self.errors,
                "violations": self.violations,
                "notes": self.notes,
            }
        )

    def to_text(self, lang: str = "zh") -> str:
        """A plain-text table (headers in ``lang``), then the errors, the
        rule violations and the notes.

        Examples
        --------
        >>> from phindicators.scorecard import scorecard
        >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
        ...                    "maternal_deaths": 2}], "healthy_china_2030")
        >>> print(card.to_text("en"))  # doctest: +NORMALIZE_WHITESPACE
        scorecard of 1 row, targets of healthy_china_2030
        indicator                 area  period  numerator  denominator
          value (95% CI)                                       target                       status
        Maternal mortality ratio  甲县  2023    2          2,158
          92.68 per 100,000 live births (95% CI 11.22–334.79)  ≤12 per 100,000 live births  not met
        """
        return scorecard_text(self, checked_lang(lang))

    def plot(
        self, destination: str | os.PathLike[str] | IO[bytes], *, lang: str = "zh", format: str | None = None
    ) -> str | None:
        """Draw each area's value and interval against the target (and the
        benchmark), one panel per indicator, and save it: as PNG, SVG or PDF
        by ``format``, or by the extension of a path (PNG for an open file).

        An indicator of more than :data:`~phindicators.scorecard.plot.PLOT_MAX_ROWS` rows is drawn as a
        caterpillar plot, sorted by value, without area labels. Needs
        matplotlib (the ``plot`` extra: ``pip install phindicators[plot]``).

        Returns
        -------
        str or None
            A note for the reader: when Chinese was asked for and no
            installed font has Chinese glyphs, the labels are drawn in
            English and the note says which font to install (or to use
            ``lang="en"``).

        Raises
        ------
        ModuleNotFoundError
            If matplotlib is not installed; the message says how to install it.
        """
        if format is None:
            format = "png" if not isinstance(destination, str | os.PathLike) else plot_format(destination)
        elif format not in PLOT_FORMATS.values():
            formats = ", ".join(sorted(PLOT_FORMATS.values()))
            raise InvalidOptionError(f"format must be one of {formats}, got {format!r}")
        return plot_scorecard(self, destination, checked_lang(lang), format)

