"""Scoring: every indicator of every area and period computed and judged, and
:func:`scorecard`, the entry point."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from ..catalog import Catalog, bundled_catalog
from ..compare import (
    MIN_TREND_PERIODS,
    BenchmarkStatus,
    TargetStatus,
    compare_to_benchmark,
    compare_to_target,
    compare_trend,
)
from ..compute import compute, interval_methods
from ..display import LANGUAGES, format_target
from ..errors import InvalidOptionError, InvalidTypeError, ParseError, TargetError
from ..model import KINDS
from ..pooling import Period, Pooled, pool
from ..rules import Rule
from ..stats import EXACT_BELOW, confidence_levels
from ..targets import TargetSet
from ..targets import target_set as find_target_set
from ..units import UNITS
from .card import Scorecard
from .columns import Constant, Displays, Part, ScoredColumns, Taken, filled
from .layouts import Group, Keys, checked_pairs, long_groups, row_keys, wide_groups
from .layouts import layout as table_layout
from .reading import Report, Table, read
from .rows import CSV_COLUMNS, POOLED, RowViolation

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..compute import Result

__all__ = ["TREND_PERIODS", "format_target", "scorecard"]

#: Periods the trend column is tested over: the latest five, as Fingertips.
TREND_PERIODS = MIN_TREND_PERIODS


# format_target is display.format_target (imported above): one place prints a target.


@attrs.frozen
class _Context:
    """What every group is scored against."""

    level: float
    plans: tuple[TargetSet, ...]
    uncertain: bool
    benchmark: str | None
    trend: bool
    lines: np.ndarray
    areas: np.ndarray  # object array of str, one per table row
    periods: np.ndarray
    #: The violations of each table row, by position.
    violations: dict[int, list[RowViolation]]
    #: Per table row, a number for its area and the rank of its period in
    #: time (see :func:`_period_order`), for the trend column.
    area_codes: np.ndarray
    period_ranks: np.ndarray


def _benchmark_values(result: Result, group: Group, context: _Context) -> np.ndarray:
    """Per row, the benchmark's value for the row's period (NaN where the
    table has none)."""
    periods = context.periods[group.rows]
    labels, codes = np.unique(periods.astype(str), return_inverse=True)
    codes = codes.reshape(-1)
    by_label = np.full(labels.size, np.nan)
    if context.benchmark == POOLED:
        if KINDS[group.indicator.kind].has_denominator:
            pooled = cast(Pooled, pool(result, by=codes))
            by_label[np.asarray(pooled.labels, dtype=np.int64)] = pooled.result.value
    else:
        own = np.flatnonzero(context.areas[group.rows] == context.benchmark)
        by_label[codes[own]] = np.asarray(result.value)[own]
    return by_label[codes]


#: The two methods "auto" chooses between, as shared objects (one str per
#: row would cost a Python object each).
_AUTO_METHODS = np.array(["exact", "byar"], dtype=object)


def _methods(result: Result) -> np.ndarray | Constant:
    if result.method is None:
        return Constant(None)
    if result.method == "auto":
        # Arrays computed with "auto" keep that name; say per row which
        # method the count chose.
        return _AUTO_METHODS.take((np.asarray(result.numerator) >= EXACT_BELOW).astype(np.intp))
    return Constant(result.method)


def _counts(values: np.ndarray, unit: str) -> np.ndarray:
    """Counts as integers (written "2158", not "2158.0"); amounts of money
    keep their decimals."""
    if UNITS[unit].whole:
        return values.astype(np.int64)
    return values


def _period_order(labels: Sequence[str]) -> dict[str, tuple[int, object]]:
    """A sort key for each period label: by the period's start when it reads
    as one ("2023", "2023年1-10月"), else by its text after those that do."""
    keys: dict[str, tuple[int, object]] = {}
    for label in labels:
        try:
            keys[label] = (0, Period.parse(label).start)
        except (ParseError, ValueError, TypeError):
            keys[label] = (1, label)
    return keys


def _codes(keys: Keys) -> tuple[np.ndarray, np.ndarray]:
    """A number per area and the rank in time of each period, per row."""
    labels = sorted(keys.period_labels)
    order = _period_order(labels)
    ranks = {label: rank for rank, label in enumerate(sorted(order, key=order.__getitem__))}
    rank_of_code = np.array([ranks[label] for label in keys.period_labels], dtype=np.int64)
    return keys.area_codes, rank_of_code[keys.period_codes]


def _trend(result: Result, group: Group, context: _Context) -> np.ndarray:
    """Per row, the trend over the area's latest :data:`TREND_PERIODS`
    periods (Fingertips' chi-squared test for trend at 99.8 %, polarity-aware),
    on the row of the area's latest period; None elsewhere, for areas with
    fewer periods, and for kinds without a test (means)."""
    size = group.rows.size
    trend = filled(size, None)
    if not interval_methods(group.indicator):
        return trend
    area_codes, rank = context.area_codes[group.rows], context.period_ranks[group.rows]
    # Rows by area, oldest period first; the last TREND_PERIODS of each area.
    order = np.lexsort((rank, area_codes))
    counts = np.bincount(area_codes, minlength=int(context.area_codes.max(initial=-1)) + 1)
    ends = np.cumsum(counts)
    enough = np.flatnonzero(counts >= TREND_PERIODS)
    if not enough.size:
        return trend
    picks = (ends[enough][:, None] - TREND_PERIODS + np.arange(TREND_PERIODS)[None, :]).reshape(-1)
    rows = order[picks].reshape(enough.size, TREND_PERIODS)
    numerator = group.numerator[rows]
    denominator = None if group.denominator is None else group.denominator[rows]
    # Times are the periods' ranks in the table, so that a missing year
    # leaves a gap.
    times = rank[rows].astype(np.float64)
    if (times == times[:1]).all():
        recent = compute(group.indicator, numerator, denominator, confidence=None)
        statuses = np.asarray(compare_trend(recent, axis=1, times=times[0]).status, dtype=object)
    else:  # areas with gaps of their own: one test each
        statuses = np.empty(enough.size, dtype=object)
        for index in range(enough.size):
            one = compute(
                group.indicator,
                numerator[index],
                None if denominator is None else denominator[index],
                confidence=None,
            )
            statuses[index] = compare_trend(one, times=times[index]).status
    trend[rows[:, -1]] = statuses.reshape(-1)
    return trend


def _score(group: Group, context: _Context, notes: list[str]) -> Part:
    """The scorecard columns of a group's rows: arrays, and constants and
    recipes (see :mod:`phindicators.scorecard.columns`) that are made into
    arrays only when asked for."""
    indicator = group.indicator
    size = group.rows.size
    result = compute(indicator, group.numerator, group.denominator, confidence=context.level)
    has_interval = bool(interval_methods(indicator))
    den_name = indicator.denominator.name_en if indicator.denominator is not None else ""
    value = np.asarray(result.value, dtype=np.float64).reshape(-1)
    lower = None if result.lower is None else np.asarray(result.lower, dtype=np.float64).reshape(-1)
    upper = None if result.upper is None else np.asarray(result.upper, dtype=np.float64).reshape(-1)

    targets: Part = {}
    for number, plan in enumerate(context.plans):
        suffix = "" if number == 0 else f"_{plan.id}"
        targets.update(_target_columns(plan, result, size, den_name, context, notes, suffix))

    benchmark_value: np.ndarray | Constant = Constant(None)
    benchmark_status: np.ndarray | Constant = Constant(None)
    if context.benchmark is not None:
        values = _benchmark_values(result, group, context)
        if has_interval:
            statuses = compare_to_benchmark(result, values, confidence=context.level)
            benchmark_status = np.asarray(statuses, dtype=object).reshape(-1).copy()
        else:
            benchmark_status = filled(size, BenchmarkStatus.NOT_COMPARED)
        benchmark_value = values.astype(object)
        benchmark_value[np.isnan(values)] = None
        if context.benchmark != POOLED:
            own = context.areas[group.rows] == context.benchmark
            benchmark_value[own] = None
            benchmark_status[own] = None

    nothing = Constant(None)
    violations: np.ndarray | Constant = Constant(())
    if context.violations:
        violations = filled(size, ())
        terms = {indicator.numerator.id} | ({indicator.denominator.id} if indicator.denominator else set())
        for index, row in enumerate(group.rows.tolist()):
            broken = context.violations.get(row)
            if broken:
                violations[index] = tuple(v.rule for v in broken if terms.intersection(v.terms))
    confidence = context.level if has_interval else None
    # Display strings are made when asked for, block by block when written.
    displays = Displays(value, lower, upper, result.unit, indicator.decimals, context.level, den_name)
    columns: Part = {
        "line": Taken(context.lines, group.rows),
        "indicator": Constant(indicator.id),
        "name_zh": Constant(indicator.name_zh),
        "name_en": Constant(indicator.name_en),
        "area": Taken(context.areas, group.rows),
        "period": Taken(context.periods, group.rows),
        "numerator": _counts(group.numerator, indicator.numerator.unit),
        "denominator": nothing
        if group.denominator is None or indicator.denominator is None
        else _counts(group.denominator, indicator.denominator.unit),
        "value": value,
        "unit": Constant(result.unit),
        "display_zh": displays,
        "display_en": displays,
        "lower": nothing if lower is None else lower,
        "upper": nothing if upper is None else upper,
        "confidence": Constant(confidence, object if confidence is None else np.float64),
        "method": _methods(result),
        "interval_zh": displays,
        "interval_en": displays,
        "target": nothing,
        "target_zh": nothing,
        "target_en": nothing,
        "target_status": Constant(TargetStatus.NO_TARGET),
        "target_gap": nothing,
        "benchmark_value": benchmark_value,
        "benchmark_status": benchmark_status,
        "violations": violations,
        "trend": _trend(result, group, context) if context.trend else nothing,
    }
    columns.update(targets)
    return columns


def _target_columns(
    plan: TargetSet,
    result: Result,
    size: int,
    den_name: str,
    context: _Context,
    notes: list[str],
    suffix: str,
) -> Part:
    """The target columns of one set: the first set's are the rows' own
    fields (``target``, ``target_zh``, ``target_en``, ``target_status``,
    ``target_gap``); each further set adds ``target_<set>``,
    ``target_status_<set>`` and ``target_gap_<set>``."""
    indicator = result.indicator
    found = plan.for_indicator(indicator.id)
    if not found:
        status: np.ndarray | Constant = Constant(TargetStatus.NO_TARGET)
        gap: np.ndarray | Constant = Constant(None)
        texts: dict[str, str | None] = {"zh": None, "en": None}
        target_id = None
    else:
        target = found[0]
        target_id = target.id
        texts = {lang: format_target(target, lang, den_name) for lang in LANGUAGES}
        uncertain = context.uncertain and bool(interval_methods(indicator))
        try:
            comparison = compare_to_target(result, target, uncertain=uncertain, confidence=context.level)
        except TargetError as error:
            notes.append(f"{indicator.id}: not assessed against {target.id}: {error}")
            status = Constant(TargetStatus.NOT_ASSESSED)
            gap = Constant(None)
        else:
            status = np.asarray(comparison.status, dtype=object).reshape(-1)
            gap = np.asarray(comparison.gap, dtype=np.float64).reshape(-1)
    columns: Part = {
        f"target{suffix}": Constant(target_id),
        f"target_status{suffix}": status,
        f"target_gap{suffix}": gap,
    }
    if not suffix:
        columns["target_zh"] = Constant(texts["zh"])
        columns["target_en"] = Constant(texts["en"])
    return columns


# -- the entry point --------------------------------------------------------------------------


def scorecard(
    table: str | os.PathLike[str] | IO[str] | IO[bytes] | Iterable[Mapping[str, object]] | Any,
    target_set: TargetSet | str | Sequence[TargetSet | str] | None = None,
    *,
    benchmark: str | None = None,
    confidence: float = 0.95,
    area: str | None = None,
    period: str | None = None,
    uncertain: bool = False,
    trend: bool = True,
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
    plans = _plans(target_set)
    data = read(table, {name: header for name, header in (("area", area), ("period", period)) if header}, catalog)
    layout = table_layout(list(data.columns), catalog)
    report = Report(data)
    keys = row_keys(data, report)
    _check_benchmark(benchmark, keys)
    violations: list[RowViolation] = []
    if layout == "long":
        groups = long_groups(data, catalog, report, keys)
    else:
        groups, violations = wide_groups(data, catalog, report, keys, rules)
    by_row: dict[int, list[RowViolation]] = {}
    for violation, row in zip(violations, _violation_rows(violations, data), strict=True):
        by_row.setdefault(row, []).append(violation)
    area_codes, period_ranks = _codes(keys) if trend else (np.zeros(0, np.int64),) * 2
    context = _Context(
        level=levels[0],
        plans=plans,
        uncertain=uncertain,
        benchmark=benchmark,
        trend=trend,
        lines=data.lines,
        areas=_objects(keys.areas),
        periods=_objects(keys.periods),
        violations=by_row,
        area_codes=area_codes,
        period_ranks=period_ranks,
    )
    notes: list[str] = []
    parts: list[Part] = []
    positions, group_numbers = [], []
    for number, group in enumerate(groups):
        denominator = group.indicator.denominator
        column = denominator.id if layout == "wide" and denominator is not None else "denominator"
        checked = checked_pairs(report, group, column)
        if checked.rows.size:
            parts.append(_score(checked, context, notes))
            positions.append(checked.rows)
            group_numbers.append(np.full(checked.rows.size, number))
        if progress is not None:
            progress(number + 1, len(groups))
    applied = [
        targets[0]
        for plan in plans
        for group in groups
        if (targets := plan.for_indicator(group.indicator.id))
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
        target_set=plans[0].id if plans else None,
        target_sets=[plan.id for plan in plans],
        targets=applied,
        benchmark=benchmark,
    )


def _plans(target_set: object) -> tuple[TargetSet, ...]:
    items = [target_set] if isinstance(target_set, str | TargetSet) else target_set
    if items is None:
        return ()
    if not isinstance(items, Sequence):
        raise InvalidTypeError(f"target_set must be a TargetSet, its id or a list of them, got {target_set!r}")
    plans = []
    for item in items:
        plan = find_target_set(item) if isinstance(item, str) else item
        if not isinstance(plan, TargetSet):
            raise InvalidTypeError(f"target_set must be a TargetSet or its id, got {item!r}")
        plans.append(plan)
    if len({plan.id for plan in plans}) != len(plans):
        raise InvalidOptionError(f"target sets given twice: {[plan.id for plan in plans]}")
    return tuple(plans)


def _objects(texts: list[str]) -> np.ndarray:
    array = np.empty(len(texts), dtype=object)
    array[:] = texts
    return array


def _in_order(parts: list[Part], positions: list[np.ndarray], numbers: list[np.ndarray]) -> Any:
    """The groups' columns in table order, and in catalog order within a
    row of a wide table: kept per group and put in order when asked for
    (see :class:`~phindicators.scorecard.columns.ScoredColumns`)."""
    if not parts:
        return {name: () for name in CSV_COLUMNS}
    order = np.lexsort((np.concatenate(numbers), np.concatenate(positions)))
    names = list(CSV_COLUMNS) + [name for name in parts[0] if name not in CSV_COLUMNS]
    return ScoredColumns(parts, order, names)


def _violation_rows(violations: list[RowViolation], data: Table) -> list[int]:
    if not violations:
        return []
    if np.all(np.diff(data.lines) > 0):  # lines increase down a file: a binary search
        return np.searchsorted(data.lines, [violation.line for violation in violations]).tolist()
    position = {int(line): index for index, line in enumerate(data.lines.tolist())}
    return [position[violation.line] for violation in violations]


def _check_benchmark(benchmark: str | None, keys: Keys) -> None:
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

