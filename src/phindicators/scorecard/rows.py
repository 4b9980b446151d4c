"""What a scorecard is made of: its rows, the problems of a table's rows, and the
names of the fixed columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ..compare import BenchmarkStatus, TargetStatus, TrendStatus
from ..compare.benchmarks import POOLED
from ..display import LANGUAGES
from ..errors import InvalidOptionError
from ..model import Text
from ..rules import OPERATORS, Importance, Operator

__all__ = [
    "COLUMN_NAMES",
    "CSV_COLUMNS",
    "HEADER_ALIASES",
    "LONG_COLUMNS",
    "POOLED",
    "PROBLEMS",
    "WIDE_KEYS",
    "RowError",
    "RowViolation",
    "ScorecardRow",
    "as_tuple",
    "checked_lang",
    "plain_number",
]



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

HEADER_ALIASES = {alias.casefold(): name for name, aliases in COLUMN_NAMES.items() for alias in aliases}
LONG_COLUMNS = ("indicator", "area", "period", "numerator", "denominator")
WIDE_KEYS = ("area", "period")

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


def as_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
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
    suggestions: tuple[str, ...] = attrs.field(default=(), converter=as_tuple)

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
    terms: tuple[str, ...] = attrs.field(converter=as_tuple)
    operator: Operator
    left: float
    right: float
    description: Text

    def located(self, lang: str = "en") -> str:
        """The violation with its line number, in ``lang``.

        Examples
        --------
        >>> from phindicators.scorecard import scorecard
        >>> [violation] = scorecard([{"area": "甲县", "period": "2023", "live_births": 20,
        ...                           "infant_deaths": 2, "neonatal_deaths": 3}]).violations
        >>> print(violation.located("en"))  # doctest: +ELLIPSIS
        line 2: 甲县 2023: neonatal_deaths_within_infant_deaths (high): neonatal_deaths <= infant_deaths (3 > 2). ...
        """
        failed = OPERATORS[self.operator][1]
        shown = f"{plain_number(self.left)} {failed} {plain_number(self.right)}"
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
    trend : TrendStatus or None
        On the row of an area's latest period: the trend over its latest
        five periods (Fingertips' chi-squared test for trend at 99.8 %,
        judged by the indicator's polarity); None on other rows and for
        areas with fewer periods.
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
    violations: tuple[str, ...] = attrs.field(default=(), converter=as_tuple)
    trend: TrendStatus | None = None

    def display(self, lang: str = "zh") -> str:
        """:attr:`display_zh` or :attr:`display_en`."""
        return str(getattr(self, f"display_{checked_lang(lang)}"))

    def interval(self, lang: str = "zh") -> str:
        """:attr:`interval_zh` or :attr:`interval_en`."""
        return str(getattr(self, f"interval_{checked_lang(lang)}"))

    def name(self, lang: str = "zh") -> str:
        """:attr:`name_zh` or :attr:`name_en`."""
        return str(getattr(self, f"name_{checked_lang(lang)}"))


def checked_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidOptionError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang



#: Columns of :meth:`Scorecard.records` and :meth:`Scorecard.write_csv`.
CSV_COLUMNS = tuple(field.name for field in attrs.fields(ScorecardRow))


def plain_number(value: float) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)

