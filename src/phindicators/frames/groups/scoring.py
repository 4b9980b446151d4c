"""The columns of compute_frame's output: values, limits, methods, targets and benchmarks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...compare import compare_to_benchmark, compare_to_target
from ...compute import compute, interval_methods
from ...display import format_result
from ...errors import (
    InvalidCountsError,
    TargetError,
)
from ...model import KINDS, Indicator
from ...scorecard.formatting import format_displays, has_pyarrow
from ...stats import EXACT_BELOW
from ...targets import TargetSet
from ...validation import MAX_EXACT_COUNT
from .body import _categories, _constant, _no_texts, _only, _texts
from .options import _SHOWN_ROWS, BENCHMARK_LEVELS, POOLED, _Columns, _Counts, _Groups
from .pooling import _group_names
from .rows import _first_row_problem

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ...compute import Result
    from ...targets import Target


def _methods(result: Result, size: int, ok: np.ndarray | None = None) -> Any:
    """The method of each row: one constant, or for "auto" the one each row
    took (exact below EXACT_BELOW events, Byar's from there). Rows not
    ``ok`` (when given; the result then holds only the ok rows) get none."""
    if result.method != "auto":
        if ok is None or result.method is None:
            return _constant(result.method, size)
        return _categories(np.where(ok, 0, -1).astype(np.int8), [result.method])
    codes = (np.asarray(result.numerator) >= EXACT_BELOW).astype(np.int8)
    if ok is not None:
        codes = _scattered(codes, ok)
    return _categories(codes, ["exact", "byar"])


def _scattered(codes: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Codes of the ok rows placed at those rows, -1 (none) elsewhere."""
    out = np.full(ok.size, -1, dtype=np.int8)
    out[ok] = codes
    return out


def _period_codes(groups: _Groups, period: str | None) -> np.ndarray:
    if period is None or groups.keys is None:
        return np.zeros(groups.size, dtype=np.int64)
    values = groups.keys.get_column(period).to_list()
    codes: dict[object, int] = {}
    return np.array([codes.setdefault(value, len(codes)) for value in values], dtype=np.int64)


def _benchmark_values(
    columns: _Columns,
    groups: _Groups,
    number: int,
    ok: np.ndarray,
    result: Result | None,
    benchmark: object,
    by: list[str],
    period: str | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the benchmark's value for the group's period (NaN where
    there is none), and where the group is the benchmark itself."""
    codes = _period_codes(groups, period)
    periods = int(codes.max()) + 1 if codes.size else 0
    by_period = np.full(periods, np.nan)
    own = np.zeros(groups.size, dtype=bool)
    num, den = groups.numerators[number], groups.denominators[number]
    if benchmark == POOLED:
        # Σ numerators / Σ denominators of the good groups, per period.
        totals = np.bincount(codes[ok], weights=num[ok], minlength=periods)
        if den is None:
            present = np.bincount(codes[ok], minlength=periods) > 0
            by_period[present] = compute(columns.indicator, totals[present], confidence=None).value
        else:
            bases = np.bincount(codes[ok], weights=den[ok], minlength=periods)
            present = bases > 0
            pooled = compute(columns.indicator, totals[present], bases[present], confidence=None)
            by_period[present] = pooled.value
    else:
        wanted = benchmark if isinstance(benchmark, tuple) else (benchmark,)
        rows = groups.keys.select(by).rows() if groups.keys is not None else []
        own = np.array([tuple(row) == wanted for row in rows], dtype=bool).reshape(-1)
        if result is not None:
            values = np.full(groups.size, np.nan)
            values[ok] = np.asarray(result.value)
            mine = own & ok
            by_period[codes[mine]] = values[mine]
    return by_period[codes], own


def _whole_or_float(values: np.ndarray) -> np.ndarray:
    """Counts as int64 when every one is whole, else as float64."""
    if values.dtype.kind in "iu":
        # Integer columns of the plain path: checked below 2**53 by compute.
        return values.astype(np.int64, copy=False)
    with np.errstate(invalid="ignore"):
        whole = values.size and np.isfinite(values).all() and (values == np.floor(values)).all()
        if whole and np.abs(values).max() < MAX_EXACT_COUNT:
            return values.astype(np.int64)
    return values.astype(np.float64, copy=False)


def _checked(
    columns: _Columns,
    number: int,
    groups: _Groups,
    index: Any,
    counts: dict[str, _Counts],
    by: list[str],
    errors: str,
    keys: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group of one indicator: what is wrong (None where nothing is),
    which groups can be computed, and which have a bad row. With
    ``errors="raise"`` a group that cannot be computed raises, naming it."""
    indicator = columns.indicator
    size = groups.size
    num, den = groups.numerators[number], groups.denominators[number]
    problems = np.empty(size, dtype=object)
    bad_rows, bad_counts = groups.bad_rows[number], groups.bad_counts[number]
    if groups.problems is not None:
        problems = groups.problems[number].copy()
    for position in np.flatnonzero(bad_rows >= 0).tolist() if groups.problems is None else ():
        row = int(bad_rows[position])
        text = _first_row_problem(columns, counts, row, index)
        more = int(bad_counts[position]) - 1
        problems[position] = text + (f" (and {more} more rows)" if more > 0 else "")
    ok = bad_rows < 0
    group_checks: list[tuple[np.ndarray, str, str]] = []
    with np.errstate(invalid="ignore"):
        group_checks.append((num >= MAX_EXACT_COUNT, columns.numerator, "is too large to count exactly"))
        if den is not None:
            group_checks.append((den == 0, columns.denominator or "", "is zero"))
            group_checks.append((den >= MAX_EXACT_COUNT, columns.denominator or "", "is too large to count exactly"))
            if KINDS[indicator.kind].numerator_within_denominator:
                group_checks.append((num > den, columns.numerator, f"exceeds the denominator {columns.denominator!r}"))
    for mask, column, problem in group_checks:
        mask = mask & ok
        if not mask.any():
            continue
        positions = np.flatnonzero(mask)
        names = _group_names(groups, keys, positions)
        if errors == "raise":
            shown = "; ".join(names[:_SHOWN_ROWS])
            raise InvalidCountsError(
                indicator.id,
                column,
                problem,
                positions=[(int(p),) for p in positions[:_SHOWN_ROWS].tolist()],
                n_bad=int(positions.size),
                detail=f"{positions.size} of {size} {'groups' if by else 'rows'}: {shown}",
            )
        for position, name in zip(positions.tolist(), names, strict=True):
            problems[position] = f"{name}: {column} {problem}"
        ok &= ~mask
    return problems, ok, bad_rows >= 0


def _score(
    columns: _Columns,
    number: int,
    groups: _Groups,
    index: Any,
    counts: dict[str, _Counts],
    level: float,
    sets: list[TargetSet],
    benchmark: object,
    by: list[str],
    period: str | None,
    errors: str,
    keys: list[str],
    displays: bool,
    computed: Result | None = None,
) -> dict[str, Any]:
    """The output columns of one indicator, one row per group.

    ``computed`` is the result of every group when the plain path has
    already computed it (every count good): nothing is checked again.
    """
    indicator = columns.indicator
    size = groups.size
    num, den = groups.numerators[number], groups.denominators[number]
    problems: np.ndarray | None = None
    row_bad: np.ndarray | None = None
    if computed is None:
        problems, ok, row_bad = _checked(columns, number, groups, index, counts, by, errors, keys)
        if not row_bad.any():
            row_bad = None
    else:
        ok = np.ones(size, dtype=bool)

    has_interval = bool(interval_methods(indicator))
    out: dict[str, Any] = {}
    out["indicator"] = _constant(indicator.id, size)
    # A group with a bad row has no trustworthy sums: NA, as its value.
    out["numerator"] = num if row_bad is None else np.where(row_bad, np.nan, num)
    if den is None:
        out["denominator"] = np.full(size, np.nan)
    else:
        out["denominator"] = den if row_bad is None else np.where(row_bad, np.nan, den)
    value = lower = upper = np.empty(0)  # set below
    texts: dict[str, Any] = (
        {name: np.empty(size, dtype=object) for name in ("display_zh", "display_en", "interval_zh", "interval_en")}
        if displays
        else {}
    )
    result = computed
    every = computed is not None or bool(ok.all())  # the common case: no copies, no scatter into NaN columns
    if every:
        if result is None:
            result = compute(indicator, num, den, confidence=level)
        value = np.asarray(result.value, dtype=np.float64)
        if result.lower is not None:
            lower, upper = np.asarray(result.lower), np.asarray(result.upper)
        else:
            upper = np.full(size, np.nan)
        method = _methods(result, size)
    elif ok.any():
        value, lower, upper = np.full(size, np.nan), np.full(size, np.nan), np.full(size, np.nan)
        result = compute(indicator, num[ok], None if den is None else den[ok], confidence=level)
        value[ok] = result.value
        if result.lower is not None:
            lower[ok], upper[ok] = result.lower, result.upper
        method = _methods(result, size, ok)
    else:
        value, lower, upper = np.full(size, np.nan), np.full(size, np.nan), np.full(size, np.nan)
        method = _constant(None, size)
    if result is not None and displays:
        if has_pyarrow():
            # Whole columns at once, by pyarrow's string kernels; NA where not ok.
            den_name = indicator.denominator.name_en if indicator.denominator is not None else ""
            made = format_displays(
                value, lower, upper, indicator.unit, indicator.decimals, confidence=level, denominator=den_name
            )
            texts = {name: _only(made[name], ok) for name in texts}  # in the order of the columns
        else:
            for lang in ("zh", "en"):
                texts[f"display_{lang}"][ok] = np.asarray(result.format(lang), dtype=object)
                texts[f"interval_{lang}"][ok] = np.asarray(format_result(result, lang), dtype=object)
    out["value"], out["lower"], out["upper"] = value, lower, upper
    out["confidence"] = np.full(size, level if has_interval else np.nan)
    out["method"] = method
    out["unit"] = _constant(indicator.unit, size)
    if displays:
        out.update(texts)

    for plan in sets:
        suffix = "" if len(sets) == 1 else f"_{plan.id}"
        out.update(_target_columns(plan, indicator, result, ok, level, has_interval, suffix))

    if benchmark is not None:
        values, own = _benchmark_values(columns, groups, number, ok, result, benchmark, by, period)
        status = np.empty(size, dtype=object)
        if result is not None:
            if has_interval:
                statuses = compare_to_benchmark(result, values[ok], confidence=BENCHMARK_LEVELS)
                status[ok] = [str(s) for s in np.asarray(statuses, dtype=object).reshape(-1).tolist()]
            else:
                status[ok] = "not_compared"
        values = values.copy()
        values[own] = np.nan
        status[own] = None
        out["benchmark_value"] = values
        out["benchmark_status"] = _texts(status)
    if errors == "mark":
        out["problem"] = _no_texts(size) if problems is None else _texts(problems)
    return out


def _target_columns(
    plan: TargetSet,
    indicator: Indicator,
    result: Result | None,
    ok: np.ndarray,
    level: float,
    has_interval: bool,
    suffix: str,
) -> dict[str, Any]:
    size = ok.size
    found = plan.for_indicator(indicator.id)
    target: Target | None = found[0] if found else None
    status = np.full(size, "no_target" if target is None else "not_assessed", dtype=object)
    gap = np.full(size, np.nan)
    if target is not None and result is not None:
        try:
            comparison = compare_to_target(result, target, uncertain=has_interval, confidence=level)
        except TargetError:
            pass  # a relative target without a baseline: not assessed
        else:
            status[ok] = [str(s) for s in np.asarray(comparison.status, dtype=object).reshape(-1).tolist()]
            gap[ok] = comparison.gap
    return {
        f"target{suffix}": _constant(None if target is None else target.id, size),
        f"target_status{suffix}": status,
        f"target_gap{suffix}": gap,
    }
