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

from .card import Scorecard
from .plot import PLOT_MAX_ROWS
from .rows import (
    COLUMN_NAMES,
    CSV_COLUMNS,
    POOLED,
    PROBLEMS,
    RowError,
    RowViolation,
    ScorecardRow,
)
from .scoring import format_target, scorecard

__all__ = [
    "COLUMN_NAMES",
    "CSV_COLUMNS",
    "PLOT_MAX_ROWS",
    "POOLED",
    "PROBLEMS",
    "RowError",
    "RowViolation",
    "Scorecard",
    "ScorecardRow",
    "format_target",
    "scorecard",
]
