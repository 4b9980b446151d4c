"""Scorecards from tables: every indicator of every area and period, judged.

:func:`scorecard` reads a table of counts and returns a :class:`Scorecard`:
one :class:`ScorecardRow` per indicator, area and period with the value, its
confidence interval, display strings in Chinese and English, the status
against a target set and the comparison with a benchmark area. Rows that
cannot be computed are reported in :attr:`Scorecard.errors` with their line
numbers, and the good rows are computed all the same.

A table comes in one of two layouts, told apart by its header:

- **long**: ``indicator, area, period, numerator, denominator``: one row per
  indicator (an id, a Chinese or English name or an alias), with the
  indicator's own numerator and denominator (empty for counts);
- **wide**: ``area, period`` and then one column per term id
  (``live_births``, ``maternal_deaths``, …): one row per area and period.
  Every catalog indicator whose terms are all columns is computed, and the
  validation rules between terms (:func:`phindicators.rules.check_counts`)
  are checked on every row.

The fixed columns may also be headed in Chinese (指标, 地区, 时期, 分子, 分母;
see :data:`COLUMN_NAMES`). Counts are in the units of the indicator's terms
(万元 for ``inpatient_reimbursement_amount``). Nothing the table does not
give is filled in: an empty cell is reported, never taken as zero.

The table may be a CSV file (a path or an open file; UTF-8, with or without
a byte-order mark; ``#`` comment lines may precede the header), an iterable
of dicts, or a pandas DataFrame (pandas is never imported here; a DataFrame
is recognised by its type). Line numbers are those of the CSV file (the
header is line 1 when no comment precedes it); for dicts and DataFrames, the
row's position plus 2, the line it has in ``DataFrame.to_csv(index=False)``.

Counts are grouped by indicator and computed as arrays, never row by row.

Examples
--------
>>> rows = [
...     {"indicator": "孕产妇死亡率", "area": "甲县", "period": "2023", "numerator": 2, "denominator": 2158},
...     {"indicator": "孕产妇死亡率", "area": "乙县", "period": "2023", "numerator": "两", "denominator": 1900},
... ]
>>> card = scorecard(rows, "women_outline_2011")
>>> [(row.area, row.display_zh, row.target_status.value) for row in card]
[('甲县', '92.68/10万', 'not_met')]
>>> [str(error) for error in card.errors]
["line 3: numerator is not a number: '两'"]
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import math
import numbers
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from .catalog import Catalog, bundled_catalog
from .compare import (
    BenchmarkStatus,
    TargetStatus,
    compare_to_benchmark,
    compare_to_target,
)
from .compute import KIND_INTERVALS, compute
from .display import LANGUAGES, format_count, format_result, format_status, text_width
from .errors import (
    InvalidOptionError,
    InvalidTypeError,
    ParseError,
    TargetError,
)
from .model import KINDS, Indicator, Text
from .pooling import Pooled, pool
from .rules import OPERATORS, Importance, Operator, Rule, check_counts
from .stats import EXACT_BELOW, confidence_levels
from .targets import COMPARATORS, Comparator, Target, TargetSet
from .targets import target_set as find_target_set
from .units import UNITS, unit_spec
from .validation import MAX_EXACT_COUNT

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .compute import Result

__all__ = [
    "COLUMN_NAMES",
    "POOLED",
    "PROBLEMS",
    "RowError",
    "RowViolation",
    "Scorecard",
    "ScorecardRow",
    "format_target",
    "scorecard",
]

#: The ``benchmark`` that compares every area with the pooled total of all
#: areas of the table (Σ numerators / Σ denominators, per indicator and
#: period) instead of with a named area.
POOLED = "pooled"

#: The names each fixed column may be headed with (matched ignoring case and
#: surrounding spaces), by the column's canonical name: its Chinese name,
#: then its English one.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "indicator": ("指标", "indicator"),
    "area": ("地区", "area"),
    "period": ("时期", "period"),
    "numerator": ("分子", "numerator"),
    "denominator": ("分母", "denominator"),
}

_HEADER_ALIASES = {alias.casefold(): name for name, aliases in COLUMN_NAMES.items() for alias in aliases}
_LONG_COLUMNS = ("indicator", "area", "period", "numerator", "denominator")
_WIDE_KEYS = ("area", "period")

#: What each problem of a row says, in English and Chinese; the fields of
#: :class:`RowError` fill the placeholders.
PROBLEMS: dict[str, dict[str, str]] = {
    "empty": {"en": "{column} is empty", "zh": "{column}为空"},
    "not_a_number": {"en": "{column} is not a number: {value!r}", "zh": "{column}不是数字：{value!r}"},
    "negative": {"en": "{column} is negative: {value}", "zh": "{column}为负数：{value}"},
    "too_large": {
        "en": "{column} is too large to count exactly: {value}",
        "zh": "{column}过大，无法精确计数：{value}",
    },
    "not_whole": {"en": "{column} is not a whole number: {value}", "zh": "{column}不是整数：{value}"},
    "zero_denominator": {
        "en": "{column} is zero, so {indicator} cannot be computed",
        "zh": "{column}为0，无法计算{indicator}",
    },
    "exceeds_denominator": {
        "en": "{indicator}: the numerator exceeds the denominator ({value})",
        "zh": "{indicator}：分子大于分母（{value}）",
    },
    "count_has_no_denominator": {
        "en": "{indicator} is a count: {column} must be empty, got {value!r}",
        "zh": "{indicator}是计数指标：{column}应为空，实为{value!r}",
    },
    "unknown_indicator": {"en": "unknown indicator {value!r}", "zh": "未知指标{value!r}"},
    "duplicate": {"en": "duplicates line {other_line}", "zh": "与第{other_line}行重复"},
    "too_many_cells": {
        "en": "has {value} cells, more than the header's columns",
        "zh": "有{value}个单元格，多于表头列数",
    },
}

_SUGGESTION = {"en": "; did you mean {}?", "zh": "；是否为{}？"}


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


_LINE = {"en": "line {line}: {message}", "zh": "第{line}行：{message}"}


@attrs.frozen
class RowError:
    """A row (or one indicator of a row) that could not be computed.

    Attributes
    ----------
    line : int
        The row's line in the CSV file (see the module docs for other tables).
    problem : str
        A key of :data:`PROBLEMS`.
    column : str
        The column at fault (canonical name or term id), "" for the row.
    indicator : str
        The indicator that could not be computed, "" when the whole row is out.
    value : str
        The offending cell as the table gives it.
    other_line : int or None
        For a duplicate, the line of the row that is used.
    suggestions : tuple of str
        Close matches for an unknown name.

    Examples
    --------
    >>> error = RowError(line=4, problem="negative", column="live_births", value="-3")
    >>> str(error), error.message("zh")
    ('line 4: live_births is negative: -3', 'live_births为负数：-3')
    >>> RowError(line=5, problem="empty", column="numerator").located("zh")
    '第5行：分子为空'

    """

    line: int
    problem: str = attrs.field(validator=attrs.validators.in_(PROBLEMS))
    column: str = ""
    indicator: str = ""
    value: str = ""
    other_line: int | None = None
    suggestions: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    def message(self, lang: str = "en") -> str:
        """What is wrong, in ``lang``, without the line number."""
        if lang not in LANGUAGES:
            raise InvalidOptionError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
        # Fixed columns are named as a header in the language may name them.
        column = (
            COLUMN_NAMES[self.column][LANGUAGES.index(lang)] if self.column in COLUMN_NAMES else self.column
        )
        text = PROBLEMS[self.problem][lang].format(
            column=column, indicator=self.indicator, value=self.value, other_line=self.other_line
        )
        if self.suggestions:
            text += _SUGGESTION[lang].format(", ".join(self.suggestions))
        return text

    def located(self, lang: str = "en") -> str:
        """The message with its line number, in ``lang``."""
        return _LINE[lang].format(line=self.line, message=self.message(lang))

    def __str__(self) -> str:
        return self.located("en")


@attrs.frozen
class RowViolation:
    """A validation rule broken by the counts of one row of a wide table.

    Attributes
    ----------
    line : int
    area, period : str
    rule : str
        The rule's id.
    importance : Importance
    statement : str
        The rule, e.g. ``"maternal_deaths <= live_births"``.
    terms : tuple of str
        The terms the rule adds up, left then right.
    operator : Operator
        How the left sum must compare with the right.
    left, right : float
        The two sides' sums in this row.
    description : Text
        What the rule means, in English and Chinese.
    """

    line: int
    area: str
    period: str
    rule: str
    importance: Importance
    statement: str
    terms: tuple[str, ...] = attrs.field(converter=_tuple)
    operator: Operator
    left: float
    right: float
    description: Text

    def located(self, lang: str = "en") -> str:
        """The violation with its line number, in ``lang``.

        Examples
        --------
        >>> [violation] = scorecard([{"area": "甲县", "period": "2023", "live_births": 20,
        ...                           "infant_deaths": 2, "neonatal_deaths": 3}]).violations
        >>> print(violation.located("en"))  # doctest: +ELLIPSIS
        line 2: 甲县 2023: neonatal_deaths_within_infant_deaths (high): neonatal_deaths <= infant_deaths (3 > 2). ...
        """
        failed = OPERATORS[self.operator][1]
        shown = f"{_plain(self.left)} {failed} {_plain(self.right)}"
        message = (
            f"{self.area} {self.period}: {self.rule} ({self.importance.value}): "
            f"{self.statement} ({shown}). {self.description.get(lang)}"
        )
        return _LINE[lang].format(line=self.line, message=message)

    def __str__(self) -> str:
        return self.located("en")


@attrs.frozen
class ScorecardRow:
    """One indicator of one area and period, computed and judged.

    Values and limits are in ``unit``; limits, confidence and method are None
    for kinds without an interval (means). ``target*`` fields are None (and
    ``target_status`` is ``no_target``) where the target set holds no target
    for the indicator; ``benchmark_*`` fields are None when no benchmark was
    asked for and on the benchmark area's own rows.

    Attributes
    ----------
    line : int
        The table line the counts come from.
    indicator, name_zh, name_en : str
    area, period : str
    numerator : float
    denominator : float or None
    value : float
    unit : str
    display_zh, display_en : str
        The value as reports print it: "92.68/10万", "92.68 per 100,000 live births".
    lower, upper : float or None
    confidence : float or None
    method : str or None
        The interval method actually used ("wilson", "exact", "byar", …).
    interval_zh, interval_en : str
        Value and interval: "95.52%（95%置信区间 94.57%–96.32%）".
    target : str or None
        The id of the target applied (the set's first on the indicator).
    target_zh, target_en : str or None
        The requirement: "≥85%", "≤20/10万".
    target_status : TargetStatus
    target_gap : float or None
        Signed distance to the threshold, >= 0 when met.
    benchmark_value : float or None
    benchmark_status : BenchmarkStatus or None
    violations : tuple of str
        Ids of the rules broken by the row's counts that involve the
        indicator's numerator or denominator (wide tables).
    """

    line: int
    indicator: str
    name_zh: str
    name_en: str
    area: str
    period: str
    numerator: float
    denominator: float | None
    value: float
    unit: str
    display_zh: str
    display_en: str
    lower: float | None
    upper: float | None
    confidence: float | None
    method: str | None
    interval_zh: str
    interval_en: str
    target: str | None
    target_zh: str | None
    target_en: str | None
    target_status: TargetStatus
    target_gap: float | None
    benchmark_value: float | None
    benchmark_status: BenchmarkStatus | None
    violations: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    def display(self, lang: str = "zh") -> str:
        """:attr:`display_zh` or :attr:`display_en`."""
        return str(getattr(self, f"display_{_lang(lang)}"))

    def interval(self, lang: str = "zh") -> str:
        """:attr:`interval_zh` or :attr:`interval_en`."""
        return str(getattr(self, f"interval_{_lang(lang)}"))

    def name(self, lang: str = "zh") -> str:
        """:attr:`name_zh` or :attr:`name_en`."""
        return str(getattr(self, f"name_{_lang(lang)}"))


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidOptionError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


#: Columns of :meth:`Scorecard.records` and :meth:`Scorecard.write_csv`.
CSV_COLUMNS = tuple(field.name for field in attrs.fields(ScorecardRow))


def _frozen_columns(columns: Mapping[str, Iterable[Any]]) -> dict[str, tuple[Any, ...]]:
    return {name: tuple(values) for name, values in columns.items()}


def _check_columns(instance: object, attribute: attrs.Attribute, value: dict[str, tuple[Any, ...]]) -> None:
    if list(value) != list(CSV_COLUMNS):
        raise InvalidOptionError(
            f"scorecard columns must be {', '.join(CSV_COLUMNS)}, got {', '.join(value)}"
        )
    if len({len(values) for values in value.values()}) > 1:
        raise InvalidOptionError("scorecard columns must all have the same length")


@attrs.frozen(slots=False)
class Scorecard:
    """The rows of a scorecard and what could not be computed.

    A scorecard is kept as columns (one per :class:`ScorecardRow` field, in
    :data:`CSV_COLUMNS`), so that a table of a million rows is written out
    without building a million objects; :attr:`rows` builds the row objects
    on first use.

    Attributes
    ----------
    columns : dict of str to tuple
        The rows' fields, column by column, ordered by table line and then
        by catalog order of the indicators.
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
        Id of the target set the rows are held to.
    targets : tuple of Target
        The target applied to each indicator that has one.
    benchmark : str or None
        The benchmark area, or :data:`POOLED`.

    Examples
    --------
    >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
    ...                    "maternal_deaths": 2, "infant_deaths": 23}])
    >>> [row.indicator for row in card]
    ['infant_mortality_rate', 'maternal_mortality_ratio']
    >>> len(card), card.layout
    (2, 'wide')
    """

    columns: dict[str, tuple[Any, ...]] = attrs.field(converter=_frozen_columns, validator=_check_columns)
    errors: tuple[RowError, ...] = attrs.field(default=(), converter=_tuple)
    violations: tuple[RowViolation, ...] = attrs.field(default=(), converter=_tuple)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    layout: str = "long"
    confidence: float = 0.95
    target_set: str | None = None
    targets: tuple[Target, ...] = attrs.field(default=(), converter=_tuple)
    benchmark: str | None = None

    @functools.cached_property
    def rows(self) -> tuple[ScorecardRow, ...]:
        """The rows, in table order (built on first use)."""
        return tuple(ScorecardRow(*values) for values in zip(*self.columns.values(), strict=True))

    def __iter__(self) -> Iterator[ScorecardRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.columns["line"])

    def _plain_columns(self, joined: bool) -> dict[str, Sequence[Any]]:
        """The columns with statuses as strings and, if ``joined``, rule
        ids joined by ";"."""
        plain: dict[str, Sequence[Any]] = dict(self.columns)
        for name in ("target_status", "benchmark_status"):
            plain[name] = [None if status is None else str(status) for status in plain[name]]
        if joined:
            plain["violations"] = [";".join(ids) for ids in plain["violations"]]
        return plain

    def records(self) -> list[dict[str, Any]]:
        """The rows as flat dicts of plain values (enums as strings, rule
        ids joined by ";"), the columns of :data:`CSV_COLUMNS`.

        ``pandas.DataFrame(card.records())`` makes a data frame of them.

        Examples
        --------
        >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
        ...                    "maternal_deaths": 2}])
        >>> record = card.records()[0]
        >>> record["indicator"], record["target_status"], record["violations"]
        ('maternal_mortality_ratio', 'no_target', '')
        """
        plain = self._plain_columns(joined=True)
        return [dict(zip(CSV_COLUMNS, values, strict=True)) for values in zip(*plain.values(), strict=True)]

    def write_csv(self, destination: str | os.PathLike[str] | IO[str]) -> None:
        """Write :meth:`records` as CSV (UTF-8) to a path or an open text file.

        Examples
        --------
        >>> import io
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
        writer = csv.writer(destination, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(zip(*self._plain_columns(joined=True).values(), strict=True))

    def to_json(self) -> dict[str, Any]:
        """The scorecard as a JSON-compatible dict (by
        :func:`phindicators.serialize.to_json_value`): what it was computed
        against, the targets applied in full, its rows (objects with the
        fields of :class:`ScorecardRow`), errors, rule violations and notes.

        Examples
        --------
        >>> from phindicators.serialize import json_text
        >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
        ...                    "maternal_deaths": 2}], "healthy_china_2030")
        >>> document = card.to_json()
        >>> document["rows"][0]["target_status"], document["targets"][0]["threshold"]
        ('not_met', [12.0])
        >>> json_text(document).startswith("{")
        True
        """
        from .serialize import to_json_value

        plain = self._plain_columns(joined=False)
        return to_json_value(
            {
                "layout": self.layout,
                "confidence": self.confidence,
                "target_set": self.target_set,
                "benchmark": self.benchmark,
                "targets": self.targets,
                "rows": [
                    dict(zip(CSV_COLUMNS, values, strict=True))
                    for values in zip(*plain.values(), strict=True)
                ],
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
        >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158,
        ...                    "maternal_deaths": 2}], "healthy_china_2030")
        >>> print(card.to_text("en"))  # doctest: +NORMALIZE_WHITESPACE
        scorecard of 1 row, targets of healthy_china_2030
        indicator                 area  period  numerator  denominator
          value (95% CI)                                       target                       status
        Maternal mortality ratio  甲县  2023    2          2,158
          92.68 per 100,000 live births (95% CI 11.22–334.79)  ≤12 per 100,000 live births  not met
        """
        return _text(self, _lang(lang))

    def plot(self, destination: str | os.PathLike[str] | IO[bytes], *, lang: str = "zh") -> None:
        """Draw each area's value and interval against the target (and the
        benchmark), one panel per indicator, and save it as PNG.

        Needs matplotlib (the ``plot`` extra: ``pip install phindicators[plot]``).

        Raises
        ------
        ModuleNotFoundError
            If matplotlib is not installed; the message says how to install it.
        """
        _plot(self, destination, _lang(lang))


def _plain(value: float) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


# -- reading tables ---------------------------------------------------------------------


@attrs.frozen
class _Table:
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


def _is_frame(table: object) -> bool:
    # A pandas DataFrame, recognised without importing pandas.
    return type(table).__module__.split(".")[0] == "pandas" and hasattr(table, "columns")


def _read(table: object) -> _Table:
    if isinstance(table, str | os.PathLike):
        name = os.fspath(table)
        with open(name, encoding="utf-8-sig", newline="") as file:
            return _read_lines(file, name)
    if _is_frame(table):
        return _read_frame(table)
    if hasattr(table, "read"):
        return _read_file(table)
    if isinstance(table, Iterable) and not isinstance(table, bytes | Mapping):
        return _read_records(table)
    raise InvalidTypeError(
        "a scorecard reads a CSV path, an open CSV file, an iterable of dicts or a pandas "
        f"DataFrame, got {type(table).__name__}"
    )


def _read_file(file: Any) -> _Table:
    name = str(getattr(file, "name", "<file>"))
    if isinstance(file.read(0), bytes):
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        try:
            return _read_lines(text, name)
        finally:
            text.detach()  # the caller's file stays open
    return _read_lines(file, name)


def _read_lines(lines: Iterable[str], name: str) -> _Table:
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
    names = _header(header)
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
    return _Table(
        columns=dict(zip(names, transposed, strict=True)),
        missing=dict.fromkeys(names),
        lines=np.asarray(kept_lines, dtype=np.int64),
        errors=errors,
    )


def _read_records(records: Iterable[object]) -> _Table:
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
    names = _header(list(keys))
    columns = {name: [record.get(key) for record in rows] for name, key in zip(names, keys, strict=True)}
    return _Table(columns, dict.fromkeys(names), np.arange(2, len(rows) + 2, dtype=np.int64), [])


def _read_frame(frame: Any) -> _Table:
    keys = list(frame.columns)
    names = _header(keys)
    columns = {name: frame[key].to_numpy(dtype=object) for name, key in zip(names, keys, strict=True)}
    missing = {name: frame[key].isna().to_numpy() for name, key in zip(names, keys, strict=True)}
    return _Table(columns, missing, np.arange(2, len(frame) + 2, dtype=np.int64), [])


def _header(cells: Sequence[object]) -> list[str]:
    """Canonical column names: fixed columns by :data:`COLUMN_NAMES`, others as given."""
    names = []
    for number, cell in enumerate(cells, start=1):
        text = "" if cell is None else str(cell).strip()
        if not text:
            raise ParseError(str(cell), f"column {number} of the header has no name")
        name = _HEADER_ALIASES.get(text.casefold(), text)
        if name in names:
            raise ParseError(text, f"column {name!r} appears twice in the header")
        names.append(name)
    return names


# -- cells ---------------------------------------------------------------------------------


def _cell_text(cell: object) -> str:
    return cell.strip() if isinstance(cell, str) else "" if cell is None else str(cell)


def _texts(data: _Table, name: str) -> tuple[list[str], np.ndarray]:
    """A column's cells as stripped text, and where they are empty."""
    cells = data.columns[name]
    texts = [_cell_text(cell) for cell in cells]
    empty = np.array([not text for text in texts], dtype=bool).reshape(-1)
    missing = data.missing[name]
    if missing is not None:
        empty |= missing
        texts = ["" if gone else text for text, gone in zip(texts, missing.tolist(), strict=True)]
    else:
        # NaN is how a float column holds a missing cell.
        nan = np.array([isinstance(c, float) and math.isnan(c) for c in cells], dtype=bool).reshape(-1)
        empty |= nan
    return texts, empty


_EMPTY, _NOT_A_NUMBER = 1, 2


def _number(cell: object) -> float | int:
    """A cell as a float, or a problem code."""
    if cell is None:
        return _EMPTY
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            return _EMPTY
        try:
            number = float(text)
        except ValueError:
            return _NOT_A_NUMBER
        return number if np.isfinite(number) else _NOT_A_NUMBER
    if isinstance(cell, bool | np.bool_) or not isinstance(cell, numbers.Real):
        return _NOT_A_NUMBER
    number = float(cell)
    if math.isnan(number):
        return _EMPTY  # NaN: how dicts and data frames hold a missing number
    return number if np.isfinite(number) else _NOT_A_NUMBER


def _numbers(data: _Table, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A column's cells as float64 (NaN where not a number), and a problem
    code per cell (0 fine, or _EMPTY, _NOT_A_NUMBER)."""
    cells = data.columns[name]
    values: np.ndarray | None = None
    if all(type(cell) is str for cell in cells):
        # Text from a CSV file: numpy parses a clean column in one call.
        try:
            values = np.array(cells, dtype=np.float64).reshape(-1)
        except ValueError:
            values = None
    if values is not None:
        codes = np.where(np.isfinite(values), 0, _NOT_A_NUMBER).astype(np.int8)
    else:
        parsed = [_number(cell) for cell in cells]
        codes = np.array([p if type(p) is int else 0 for p in parsed], dtype=np.int8).reshape(-1)
        values = np.array([p if type(p) is float else np.nan for p in parsed], dtype=np.float64)
        values = values.reshape(-1)
    missing = data.missing[name]
    if missing is not None:
        codes[missing] = _EMPTY
    values[codes != 0] = np.nan
    return values, codes


_CELL_PROBLEMS = {_EMPTY: "empty", _NOT_A_NUMBER: "not_a_number"}

# Checks of one count or amount, in order; a cell fails at the first. These
# are the checks phindicators.validation.validate_counts makes of each
# field, made here per cell so that every bad cell is reported, not the first.
_CELL_CHECKS: tuple[tuple[str, Callable[[np.ndarray, bool], np.ndarray]], ...] = (
    ("negative", lambda x, whole: x < 0),
    ("too_large", lambda x, whole: x >= MAX_EXACT_COUNT),
    ("not_whole", lambda x, whole: (x != np.floor(x)) if whole else np.zeros(x.shape, dtype=bool)),
)


class _Report:
    """Collects row errors, vectorised: one call per problem and mask."""

    def __init__(self, data: _Table) -> None:
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
                value = _cell_text(cells[position])
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


def _checked_cells(
    report: _Report,
    column: str,
    parsed: tuple[np.ndarray, np.ndarray],
    unit: str,
    rows: np.ndarray,
    indicator: str = "",
) -> np.ndarray:
    """The numbers of ``column`` (``parsed`` by :func:`_numbers`) at ``rows``,
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


# -- layouts ---------------------------------------------------------------------------------


@attrs.frozen
class _Group:
    """The rows of one indicator that are ready to compute."""

    indicator: Indicator
    rows: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray | None


def _layout(names: Sequence[str], catalog: Catalog) -> str:
    present = set(names)
    if "indicator" in present:
        missing = [c for c in _LONG_COLUMNS if c not in present]
        unknown = [c for c in names if c not in _LONG_COLUMNS]
        if missing:
            raise ParseError(",".join(names), f"a long table needs the columns {', '.join(missing)}")
        if unknown:
            raise ParseError(
                unknown[0],
                f"not a column of a long table (columns: {', '.join(_LONG_COLUMNS)}); "
                "a table has either an indicator column or term columns",
            )
        return "long"
    missing = [c for c in _WIDE_KEYS if c not in present]
    if missing:
        raise ParseError(
            ",".join(names),
            "a table needs the columns indicator, area, period, numerator, denominator (long) "
            f"or area, period and term ids (wide); missing: {', '.join(missing)}",
        )
    terms = catalog.terms
    for name in names:
        if name not in _WIDE_KEYS and name not in terms:
            close = difflib.get_close_matches(name, list(terms) + list(_HEADER_ALIASES), n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ParseError(name, f"not a term id of the catalog{hint}")
    if not _computable(names, catalog):
        raise ParseError(",".join(names), "no indicator of the catalog has all its terms among the columns")
    return "wide"


def _computable(names: Iterable[str], catalog: Catalog) -> list[Indicator]:
    present = set(names)
    return [
        indicator
        for indicator in catalog
        if indicator.numerator.id in present
        and (indicator.denominator is None or indicator.denominator.id in present)
    ]


def _first_occurrences(
    report: _Report, keys: Sequence[tuple[str, ...]], rows: np.ndarray, indicator: str = ""
) -> np.ndarray:
    """The positions in ``rows`` whose key is seen for the first time; later
    ones are reported as duplicates."""
    first: dict[tuple[str, ...], int] = {}
    keep = np.ones(rows.size, dtype=bool)
    for index, (key, row) in enumerate(zip(keys, rows.tolist(), strict=True)):
        seen = first.setdefault(key, row)
        if seen != row:
            keep[index] = False
            report.errors.append(
                RowError(
                    line=int(report.data.lines[row]),
                    problem="duplicate",
                    indicator=indicator,
                    value=" / ".join(key),
                    other_line=int(report.data.lines[seen]),
                )
            )
    return rows[keep]


@attrs.frozen
class _Keys:
    """The area and period of every row, and where either is empty."""

    areas: list[str]
    periods: list[str]
    empty: np.ndarray


def _keys(data: _Table, report: _Report) -> _Keys:
    areas, area_empty = _texts(data, "area")
    periods, period_empty = _texts(data, "period")
    report.add(area_empty, "empty", "area")
    report.add(period_empty, "empty", "period")
    return _Keys(areas, periods, area_empty | period_empty)


def _long_groups(data: _Table, catalog: Catalog, report: _Report, keys: _Keys) -> list[_Group]:
    names, name_empty = _texts(data, "indicator")
    report.add(name_empty, "empty", "indicator")
    found = {name: catalog.lookup(name) for name in set(names) if name}
    ids = [found[name].id if found.get(name) else "" for name in names]  # type: ignore[union-attr]
    unknown = np.array([bool(name) and not found[name] for name in names], dtype=bool).reshape(-1)
    for position in np.flatnonzero(unknown).tolist():
        report.errors.append(
            RowError(
                line=int(data.lines[position]),
                problem="unknown_indicator",
                column="indicator",
                value=names[position],
                suggestions=catalog.suggest(names[position], n=3),
            )
        )
    usable = ~(name_empty | keys.empty | unknown)
    codes = np.array(ids, dtype=object).reshape(-1)
    numerators, denominators = _numbers(data, "numerator"), _numbers(data, "denominator")
    groups = []
    for indicator in catalog:
        rows = np.flatnonzero(usable & (codes == indicator.id))
        if not rows.size:
            continue
        pairs = [(keys.areas[row], keys.periods[row]) for row in rows.tolist()]
        rows = _first_occurrences(report, pairs, rows, indicator.id)
        numerator = _checked_cells(
            report, "numerator", numerators, indicator.numerator.unit, rows, indicator.id
        )
        ok = ~np.isnan(numerator)
        denominator = None
        if indicator.denominator is None:
            given = denominators[1][rows] != _EMPTY
            report.add(given, "count_has_no_denominator", "denominator", indicator.id, rows=rows)
            ok &= ~given
        else:
            denominator = _checked_cells(
                report, "denominator", denominators, indicator.denominator.unit, rows, indicator.id
            )
            ok &= ~np.isnan(denominator)
            denominator = denominator[ok]
        groups.append(_Group(indicator, rows[ok], numerator[ok], denominator))
    return groups


def _wide_groups(
    data: _Table, catalog: Catalog, report: _Report, keys: _Keys, rules: Iterable[Rule] | None
) -> tuple[list[_Group], list[RowViolation]]:
    areas, periods = keys.areas, keys.periods
    rows = np.flatnonzero(~keys.empty)
    rows = _first_occurrences(report, [(areas[r], periods[r]) for r in rows.tolist()], rows)
    terms = [name for name in data.columns if name not in _WIDE_KEYS]
    counts = {
        term: _checked_cells(report, term, _numbers(data, term), catalog.terms[term].unit, rows)
        for term in terms
    }
    violations = []
    for violation in check_counts(counts, rules, catalog=catalog):
        rule = violation.rule
        mask = np.zeros(rows.size, dtype=bool) if violation.mask is None else violation.mask
        left = np.broadcast_to(violation.left, rows.shape)
        right = np.broadcast_to(violation.right, rows.shape)
        for index in np.flatnonzero(mask).tolist():
            row = int(rows[index])
            violations.append(
                RowViolation(
                    line=int(data.lines[row]),
                    area=areas[row],
                    period=periods[row],
                    rule=rule.id,
                    importance=rule.importance,
                    statement=str(rule),
                    terms=rule.terms,
                    operator=rule.operator,
                    left=float(left[index]),
                    right=float(right[index]),
                    description=rule.description,
                )
            )
    groups = []
    for indicator in _computable(terms, catalog):
        numerator = counts[indicator.numerator.id]
        present = ~np.isnan(numerator)
        denominator = None
        if indicator.denominator is not None:
            denominator = counts[indicator.denominator.id]
            present &= ~np.isnan(denominator)
            denominator = denominator[present]
        groups.append(_Group(indicator, rows[present], numerator[present], denominator))
    return groups, violations


# Checks of a numerator against its denominator: the checks
# validate_counts makes of the pair, per row.
_PAIR_CHECKS: tuple[tuple[str, Callable[[np.ndarray, np.ndarray, bool], np.ndarray]], ...] = (
    ("zero_denominator", lambda num, den, within: den == 0),
    ("exceeds_denominator", lambda num, den, within: (num > den) if within else np.zeros(num.shape, bool)),
)


def _checked_pairs(report: _Report, group: _Group, denominator_column: str) -> _Group:
    """The group without the rows whose numerator and denominator cannot
    go together; each is reported."""
    if group.denominator is None:
        return group
    within = KINDS[group.indicator.kind].numerator_within_denominator
    failed = np.zeros(group.rows.size, dtype=bool)
    num, den = group.numerator, group.denominator
    rows = group.rows

    def shown(row: int) -> str:
        index = int(np.searchsorted(rows, row))
        if num[index] > den[index]:
            return f"{_plain(num[index])} > {_plain(den[index])}"
        return _plain(den[index])

    for problem, test in _PAIR_CHECKS:
        bad = test(num, den, within) & ~failed
        report.add(bad, problem, denominator_column, group.indicator.id, rows=rows, values=shown)
        failed |= bad
    keep = ~failed
    return _Group(group.indicator, group.rows[keep], num[keep], den[keep])


# -- scoring ---------------------------------------------------------------------------------


def format_target(target: Target, lang: str = "zh", denominator: str = "") -> str | None:
    """A target's requirement as a report writes it: "≥85%", "≤20/10万".

    A relative target shows the threshold its stored baseline resolves to;
    without a stored baseline it has no fixed requirement (None).

    Parameters
    ----------
    target : Target
    lang : {"zh", "en"}
    denominator : str
        English name of the indicator's denominator, for units spelled out
        in English ("per 100,000 live births").

    Examples
    --------
    >>> from phindicators.targets import target_set
    >>> [mmr] = target_set("women_outline_2011").for_indicator("maternal_mortality_ratio")
    >>> format_target(mmr), format_target(mmr, "en", "live births")
    ('≤20/10万', '≤20 per 100,000 live births')
    >>> [srb] = target_set("sex_ratio_normal_range").for_indicator("sex_ratio_at_birth")
    >>> format_target(srb)
    '103–107'
    """
    template = getattr(unit_spec(target.unit), _lang(lang))
    if target.comparator is Comparator.RELATIVE_CHANGE:
        if target.baseline is None:
            return None
        symbol = "≤" if target.direction == "down" else "≥"
        thresholds = [float(target.thresholds()[0])]
    else:
        symbol = "" if target.comparator is Comparator.BETWEEN else COMPARATORS[target.comparator].symbol
        thresholds = list(target.threshold)
    shown = "–".join(_plain(round(threshold, 6)) for threshold in thresholds)
    return symbol + template.format(value=shown, denominator=denominator).rstrip()


@attrs.frozen
class _Context:
    """What every group is scored against."""

    level: float
    plan: TargetSet | None
    benchmark: str | None
    lines: np.ndarray
    areas: list[str]
    periods: list[str]
    #: The violations of each table row, by position.
    violations: dict[int, list[RowViolation]]


def _benchmark_values(result: Result, group: _Group, context: _Context) -> np.ndarray:
    """Per row, the benchmark's value for the row's period (NaN where the
    table has none)."""
    periods = np.array([context.periods[row] for row in group.rows.tolist()], dtype=object).reshape(-1)
    labels, codes = np.unique(periods.astype(str), return_inverse=True)
    by_label = np.full(labels.size, np.nan)
    if context.benchmark == POOLED:
        if KINDS[group.indicator.kind].has_denominator:
            pooled = cast(Pooled, pool(result, by=codes))
            by_label[np.asarray(pooled.labels, dtype=np.int64)] = pooled.result.value
    else:
        areas = np.array([context.areas[row] for row in group.rows.tolist()], dtype=object).reshape(-1)
        own = np.flatnonzero(areas == context.benchmark)
        by_label[codes[own]] = np.asarray(result.value)[own]
    return by_label[codes]


def _methods(result: Result) -> list[str | None]:
    size = np.size(result.value)
    if result.method is None:
        return [None] * size
    if result.method == "auto":
        # Arrays computed with "auto" keep that name; say per row which
        # method the count chose.
        return np.where(np.asarray(result.numerator) < EXACT_BELOW, "exact", "byar").tolist()
    return [result.method] * size


def _score(group: _Group, context: _Context, notes: list[str]) -> dict[str, list[Any]]:
    """The scorecard columns of a group's rows."""
    indicator = group.indicator
    size = group.rows.size
    result = compute(indicator, group.numerator, group.denominator, confidence=context.level)
    has_interval = bool(KIND_INTERVALS[indicator.kind])
    den_name = indicator.denominator.name_en if indicator.denominator is not None else ""

    target = None
    target_status: list[object] = [TargetStatus.NO_TARGET] * size
    target_gap: Sequence[float | None] = [None] * size
    target_texts: dict[str, str | None] = {"zh": None, "en": None}
    if context.plan is not None:
        targets = context.plan.for_indicator(indicator.id)
        if targets:
            target = targets[0]
            target_texts = {lang: format_target(target, lang, den_name) for lang in LANGUAGES}
            try:
                comparison = compare_to_target(result, target)
            except TargetError as error:
                notes.append(f"{indicator.id}: not assessed against {target.id}: {error}")
                target_status = [TargetStatus.NOT_ASSESSED] * size
            else:
                target_status = np.asarray(comparison.status, dtype=object).reshape(-1).tolist()
                target_gap = np.asarray(comparison.gap, dtype=np.float64).reshape(-1).tolist()

    benchmark_value: list[float | None] = [None] * size
    benchmark_status: list[object] = [None] * size
    if context.benchmark is not None:
        values = _benchmark_values(result, group, context)
        if has_interval:
            statuses = compare_to_benchmark(result, values, confidence=context.level)
            benchmark_status = np.asarray(statuses, dtype=object).reshape(-1).tolist()
        else:
            benchmark_status = [BenchmarkStatus.NOT_COMPARED] * size
        benchmark_value = [None if math.isnan(v) else v for v in values.tolist()]
        if context.benchmark != POOLED:
            for index, row in enumerate(group.rows.tolist()):
                if context.areas[row] == context.benchmark:
                    benchmark_value[index] = benchmark_status[index] = None

    terms = {indicator.numerator.id} | ({indicator.denominator.id} if indicator.denominator else set())
    rows = group.rows.tolist()
    nothing = [None] * size
    return {
        "line": context.lines[group.rows].tolist(),
        "indicator": [indicator.id] * size,
        "name_zh": [indicator.name_zh] * size,
        "name_en": [indicator.name_en] * size,
        "area": [context.areas[row] for row in rows],
        "period": [context.periods[row] for row in rows],
        "numerator": group.numerator.tolist(),
        "denominator": nothing if group.denominator is None else group.denominator.tolist(),
        "value": np.asarray(result.value).tolist(),
        "unit": [result.unit] * size,
        "display_zh": np.asarray(result.format("zh")).tolist(),
        "display_en": np.asarray(result.format("en")).tolist(),
        "lower": nothing if result.lower is None else np.asarray(result.lower).tolist(),
        "upper": nothing if result.upper is None else np.asarray(result.upper).tolist(),
        "confidence": [context.level if has_interval else None] * size,
        "method": _methods(result),
        "interval_zh": np.asarray(format_result(result, "zh")).tolist(),
        "interval_en": np.asarray(format_result(result, "en")).tolist(),
        "target": [None if target is None else target.id] * size,
        "target_zh": [target_texts["zh"]] * size,
        "target_en": [target_texts["en"]] * size,
        "target_status": target_status,
        "target_gap": target_gap,
        "benchmark_value": benchmark_value,
        "benchmark_status": benchmark_status,
        "violations": [
            tuple(v.rule for v in context.violations.get(row, ()) if terms.intersection(v.terms))
            for row in rows
        ],
    }


# -- the entry point --------------------------------------------------------------------------


def scorecard(
    table: str | os.PathLike[str] | IO[str] | IO[bytes] | Iterable[Mapping[str, object]] | Any,
    target_set: TargetSet | str | None = None,
    *,
    benchmark: str | None = None,
    confidence: float = 0.95,
    catalog: Catalog | None = None,
    rules: Iterable[Rule] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Scorecard:
    r"""Compute and judge every indicator of every area and period of a table.

    Parameters
    ----------
    table : path, file, iterable of dict or pandas.DataFrame
        A long or a wide table (see the module docs): a CSV file by path or
        as an open file (text or binary), dict rows, or a DataFrame.
    target_set : TargetSet or str, optional
        Hold each indicator to the set's (first) target on it, by
        :func:`phindicators.compare.compare_to_target`; a string is the id
        of a bundled set. Rows of indicators without a target are
        ``no_target``.
    benchmark : str, optional
        An area of the table, or :data:`POOLED` for the pooled total of all
        areas; each row is compared with the benchmark's value for the same
        indicator and period by
        :func:`phindicators.compare.compare_to_benchmark`.
    confidence : float
        The level of the intervals (and of the benchmark comparison).
    catalog : Catalog, optional
        Whose indicators and terms the table names (default: the bundled
        catalog).
    rules : iterable of Rule, optional
        The validation rules checked on wide tables (default: the bundled
        rules).
    progress : callable, optional
        Called as ``progress(done, total)`` after each indicator is scored.

    Returns
    -------
    Scorecard

    Raises
    ------
    ParseError
        A table that is not UTF-8, has no header, or whose header is neither
        layout (unknown columns are named, with close matches).
    UnknownTargetSetError
        An unknown target set id.
    InvalidOptionError
        A benchmark area that is not in the table, or a bad confidence level.
    InvalidTypeError
        A table of an unsupported type.
    OSError
        A file that cannot be opened.

    Examples
    --------
    >>> import io
    >>> table = io.StringIO(
    ...     "area,period,live_births,maternal_deaths\n"
    ...     "甲县,2023,2158,2\n"
    ...     "乙县,2023,-5,1\n"
    ...     "丙县,2023,30000,3\n")
    >>> card = scorecard(table, "healthy_china_2030", benchmark=POOLED)
    >>> [(r.area, r.display_zh, r.target_status.value, r.benchmark_status.value) for r in card]
    [('甲县', '92.68/10万', 'not_met', 'similar'), ('丙县', '10.00/10万', 'met', 'similar')]
    >>> [str(error) for error in card.errors]
    ['line 3: live_births is negative: -5']
    """
    catalog = bundled_catalog() if catalog is None else catalog
    levels = confidence_levels(confidence)
    if len(levels) != 1:
        raise InvalidOptionError(f"a scorecard takes one confidence level, got {confidence!r}")
    plan = find_target_set(target_set) if isinstance(target_set, str) else target_set
    if plan is not None and not isinstance(plan, TargetSet):
        raise InvalidTypeError(f"target_set must be a TargetSet or its id, got {target_set!r}")
    data = _read(table)
    layout = _layout(list(data.columns), catalog)
    report = _Report(data)
    keys = _keys(data, report)
    _check_benchmark(benchmark, keys)
    violations: list[RowViolation] = []
    if layout == "long":
        groups = _long_groups(data, catalog, report, keys)
    else:
        groups, violations = _wide_groups(data, catalog, report, keys, rules)
    by_row: dict[int, list[RowViolation]] = {}
    for violation, row in zip(violations, _violation_rows(violations, data), strict=True):
        by_row.setdefault(row, []).append(violation)
    context = _Context(levels[0], plan, benchmark, data.lines, keys.areas, keys.periods, by_row)
    notes: list[str] = []
    parts: list[dict[str, list[Any]]] = []
    positions, group_numbers = [], []
    for number, group in enumerate(groups):
        denominator = group.indicator.denominator
        column = denominator.id if layout == "wide" and denominator is not None else "denominator"
        checked = _checked_pairs(report, group, column)
        if checked.rows.size:
            parts.append(_score(checked, context, notes))
            positions.append(checked.rows)
            group_numbers.append(np.full(checked.rows.size, number))
        if progress is not None:
            progress(number + 1, len(groups))
    applied = [
        targets[0]
        for group in groups
        if plan is not None and (targets := plan.for_indicator(group.indicator.id))
    ]
    errors = sorted(report.errors, key=lambda error: error.line)
    # The table's cells are not needed any more: let them go before the
    # columns are put in order, the step that needs the most memory.
    del data, report, keys, context, groups
    return Scorecard(
        columns=_in_order(parts, positions, group_numbers),
        errors=errors,
        violations=sorted(violations, key=lambda violation: violation.line),
        notes=notes,
        layout=layout,
        confidence=levels[0],
        target_set=None if plan is None else plan.id,
        targets=applied,
        benchmark=benchmark,
    )


def _in_order(
    parts: list[dict[str, list[Any]]], positions: list[np.ndarray], numbers: list[np.ndarray]
) -> dict[str, tuple[Any, ...]]:
    """The groups' columns joined in table order, and in catalog order within
    a row of a wide table; each group's column is dropped once joined."""
    if not parts:
        return {name: () for name in CSV_COLUMNS}
    order = np.lexsort((np.concatenate(numbers), np.concatenate(positions))).tolist()
    columns = {}
    for name in CSV_COLUMNS:
        joined = [value for part in parts for value in part.pop(name)]
        columns[name] = tuple(map(joined.__getitem__, order))
    return columns


def _violation_rows(violations: list[RowViolation], data: _Table) -> list[int]:
    position = {int(line): index for index, line in enumerate(data.lines.tolist())}
    return [position[violation.line] for violation in violations]


def _check_benchmark(benchmark: str | None, keys: _Keys) -> None:
    if benchmark is None:
        return
    if not isinstance(benchmark, str):
        raise InvalidTypeError(f"benchmark must be an area name or {POOLED!r}, got {benchmark!r}")
    areas = sorted(set(keys.areas) - {""})
    if benchmark == POOLED:
        if POOLED in areas:
            raise InvalidOptionError(
                f"benchmark {POOLED!r} is ambiguous: the table has an area named {POOLED!r}; "
                "rename it to compare with the pooled total"
            )
        return
    if benchmark not in areas:
        close = difflib.get_close_matches(benchmark, areas, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        shown = ", ".join(areas[:10]) + (", …" if len(areas) > 10 else "")
        raise InvalidOptionError(
            f"benchmark area {benchmark!r} is not in the table{hint} (areas: {shown}; "
            f"or {POOLED!r} for the pooled total)"
        )


# -- plain text ---------------------------------------------------------------------------------

#: Columns of the plain-text table: key, Chinese header, English header.
_TEXT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("indicator", "指标", "indicator"),
    ("area", "地区", "area"),
    ("period", "时期", "period"),
    ("numerator", "分子", "numerator"),
    ("denominator", "分母", "denominator"),
    ("value", "数值（{level}置信区间）", "value ({level} CI)"),
    ("target", "目标", "target"),
    ("target_status", "达标情况", "status"),
    ("benchmark", "与{benchmark}比较", "vs {benchmark}"),
    ("violations", "违反的校验规则", "rules broken"),
)

#: Words of the plain-text report around the table.
_TEXT_WORDS: dict[str, dict[str, str]] = {
    "title": {"zh": "记分卡：{rows}行", "en": "scorecard of {rows} row{plural}"},
    "targets": {"zh": "，目标：{plan}", "en": ", targets of {plan}"},
    "benchmark": {"zh": "，基准：{benchmark}", "en": ", benchmark {benchmark}"},
    "pooled": {"zh": "合计", "en": "pooled total"},
    "is_benchmark": {"zh": "（基准）", "en": "(benchmark)"},
    "errors": {"zh": "未能计算（{count}处）：", "en": "not computed ({count}):"},
    "violations": {"zh": "违反校验规则（{count}处）：", "en": "rule violations ({count}):"},
    "notes": {"zh": "说明：", "en": "notes:"},
}


def _benchmark_name(card: Scorecard, lang: str) -> str:
    return _TEXT_WORDS["pooled"][lang] if card.benchmark == POOLED else str(card.benchmark)


def _cells(row: ScorecardRow, lang: str) -> dict[str, str]:
    benchmark = (
        _TEXT_WORDS["is_benchmark"][lang]
        if row.benchmark_status is None
        else format_status(row.benchmark_status, lang)
    )
    return {
        "indicator": row.name(lang),
        "area": row.area,
        "period": row.period,
        "numerator": format_count(row.numerator, lang, decimals=_places(row.numerator)),
        "denominator": ""
        if row.denominator is None
        else format_count(row.denominator, lang, decimals=_places(row.denominator)),
        "value": row.interval(lang),
        "target": (row.target_zh if lang == "zh" else row.target_en) or "",
        "target_status": format_status(row.target_status, lang),
        "benchmark": benchmark,
        "violations": ", ".join(row.violations),
    }


def _places(number: float) -> int:
    # Amounts of money (9.55万元) keep their decimals; counts have none.
    return 0 if float(number).is_integer() else len(repr(float(number)).split(".")[1])


def _text(card: Scorecard, lang: str) -> str:
    shown = {
        "target": card.target_set is not None,
        "target_status": card.target_set is not None,
        "benchmark": card.benchmark is not None,
        "violations": any(row.violations for row in card.rows),
    }
    columns = [column for column in _TEXT_COLUMNS if shown.get(column[0], True)]
    words = {"level": f"{round(card.confidence * 100, 6):g}%", "benchmark": _benchmark_name(card, lang)}
    header = [(zh if lang == "zh" else en).format(**words) for _, zh, en in columns]
    body = [[_cells(row, lang)[key] for key, _, _ in columns] for row in card.rows]
    widths = [max(text_width(line[i]) for line in [header, *body]) for i in range(len(columns))]
    title = _TEXT_WORDS["title"][lang].format(rows=len(card), plural="" if len(card) == 1 else "s")
    if card.target_set is not None:
        title += _TEXT_WORDS["targets"][lang].format(plan=card.target_set)
    if card.benchmark is not None:
        title += _TEXT_WORDS["benchmark"][lang].format(benchmark=_benchmark_name(card, lang))
    lines = [title]
    for cells in [header, *body]:
        padded = (cell + " " * (width - text_width(cell)) for cell, width in zip(cells, widths, strict=True))
        lines.append("  ".join(padded).rstrip())
    sections = (
        ("errors", [error.located(lang) for error in card.errors]),
        ("violations", [violation.located(lang) for violation in card.violations]),
        ("notes", list(card.notes)),
    )
    for key, items in sections:
        if items:
            lines += ["", _TEXT_WORDS[key][lang].format(count=len(items))]
            lines += [f"  {item}" for item in items]
    return "\n".join(lines)


# -- the plot ----------------------------------------------------------------------------------

#: Most rows of one indicator a plot draws; a larger table needs filtering
#: first (a panel of thousands of areas is unreadable).
PLOT_MAX_ROWS = 100

#: Fonts with Chinese glyphs, tried in order before matplotlib's default.
_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)

#: Point colours by target status; anything else is drawn in grey.
_STATUS_COLOURS = {
    TargetStatus.MET: "#1b7837",
    TargetStatus.NOT_MET: "#b2182b",
    TargetStatus.UNCERTAIN: "#e08214",
}

_PLOT_WORDS: dict[str, dict[str, str]] = {
    "target": {"zh": "目标 {text}", "en": "target {text}"},
    "benchmark": {"zh": "基准：{name}", "en": "benchmark: {name}"},
    "value": {"zh": "数值与{level}置信区间（{unit}）", "en": "value and {level} CI ({unit})"},
    "value_only": {"zh": "数值（{unit}）", "en": "value ({unit})"},
}


def _plot(card: Scorecard, destination: str | os.PathLike[str] | IO[bytes], lang: str) -> None:
    panels: dict[str, list[ScorecardRow]] = {}
    for row in card.rows:
        panels.setdefault(row.indicator, []).append(row)
    if not panels:
        raise InvalidOptionError("the scorecard has no rows to plot")
    crowded = {indicator: len(rows) for indicator, rows in panels.items() if len(rows) > PLOT_MAX_ROWS}
    if crowded:
        indicator, count = next(iter(crowded.items()))
        raise InvalidOptionError(
            f"{indicator}: {count} rows are too many to plot (at most {PLOT_MAX_ROWS} per "
            "indicator); plot a selection of areas or periods"
        )
    try:
        import matplotlib
        from matplotlib import font_manager
        from matplotlib.figure import Figure
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "plotting a scorecard needs matplotlib: pip install 'phindicators[plot]'",
            name="matplotlib",
        ) from error
    targets = {target.indicator: target for target in card.targets}
    available = {font.name for font in font_manager.fontManager.ttflist}
    fonts = [name for name in _CJK_FONTS if name in available]
    heights = [0.35 * len(rows) + 1.4 for rows in panels.values()]
    with matplotlib.rc_context({"font.sans-serif": [*fonts, "DejaVu Sans"], "font.family": "sans-serif"}):
        figure = Figure(figsize=(8, sum(heights)), layout="constrained")
        axes = figure.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
        for ax, rows in zip(axes, panels.values(), strict=True):
            _panel(ax, rows, targets.get(rows[0].indicator), card, lang)
        figure.savefig(destination, format="png", dpi=150)


def _panel(ax: Any, rows: list[ScorecardRow], target: Target | None, card: Scorecard, lang: str) -> None:
    first = rows[0]
    positions = np.arange(len(rows))
    values = np.array([row.value for row in rows])
    periods = {row.period for row in rows}
    labels = [row.area if len(periods) == 1 else f"{row.area} {row.period}" for row in rows]
    colours = [_STATUS_COLOURS.get(row.target_status, "#4d4d4d") for row in rows]
    if first.lower is not None:
        lower = np.array([row.lower for row in rows])
        upper = np.array([row.upper for row in rows])
        ax.errorbar(
            values,
            positions,
            xerr=[values - lower, upper - values],
            fmt="none",
            ecolor="#7f7f7f",
            elinewidth=1.2,
            capsize=3,
            zorder=2,
        )
    ax.scatter(values, positions, c=colours, s=36, zorder=3)
    if target is not None:
        text = first.target_zh if lang == "zh" else first.target_en
        label = _PLOT_WORDS["target"][lang].format(text=text or target.id)
        try:
            thresholds = [float(t) for t in target.thresholds(first.unit)]
        except TargetError:
            thresholds = []
        if len(thresholds) == 2:
            ax.axvspan(*thresholds, color="#1b7837", alpha=0.12, label=label)
        for threshold in thresholds:
            ax.axvline(
                threshold,
                color="#1b7837",
                linestyle="-",
                linewidth=1.5,
                label=label if len(thresholds) == 1 else None,
            )
    benchmarks = [row.benchmark_value for row in rows if row.benchmark_value is not None]
    own = [row.value for row in rows if card.benchmark not in (None, POOLED) and row.area == card.benchmark]
    if card.benchmark is not None and (benchmarks or own):
        label = _PLOT_WORDS["benchmark"][lang].format(name=_benchmark_name(card, lang))
        distinct = sorted(set(benchmarks) | set(own))
        if len(distinct) == 1:
            ax.axvline(distinct[0], color="#2166ac", linestyle="--", linewidth=1.2, label=label)
        else:
            marks = [
                (row.benchmark_value, i) for i, row in enumerate(rows) if row.benchmark_value is not None
            ]
            ax.scatter(*zip(*marks, strict=True), marker="|", s=300, color="#2166ac", label=label, zorder=4)
    unit = _unit_label(first, lang)
    ax.set_title(first.name(lang), loc="left", fontsize=11)
    ax.set_yticks(positions, labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # the table's first row on top
    level = f"{round(card.confidence * 100, 6):g}%"
    words = _PLOT_WORDS["value" if first.lower is not None else "value_only"][lang]
    ax.set_xlabel(words.format(level=level, unit=unit or first.unit), fontsize=9)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.8)
    ax.set_axisbelow(True)
    if ax.get_legend_handles_labels()[0]:
        # Above the panel, right of the title, where it hides no point.
        ax.legend(
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=2,
            fontsize=8,
            frameon=False,
            borderaxespad=0.2,
        )


def _unit_label(row: ScorecardRow, lang: str) -> str:
    """The unit as an axis label: "%", "/10万", "per 100,000 live births"."""
    if lang == "en" and " " in row.display_en:
        # A spelled-out English unit follows the number, which has no spaces.
        return row.display_en.split(" ", 1)[1]
    return getattr(unit_spec(row.unit), lang).format(value="", denominator="").strip()
