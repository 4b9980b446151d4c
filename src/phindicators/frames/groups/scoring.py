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
from .._narwhals import narwhals
from .options import _SHOWN_ROWS, BENCHMARK_LEVELS, POOLED, _Columns, _Counts, _Groups
from .pooling import _group_names
from .rows import _first_row_problem

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ...compute import Result
    from ...targets import Target


def _methods(result: Result, size: int) -> np.ndarray:
    if result.method is None:
        return np.empty(size, dtype=object)
    if result.method == "auto":
        # "auto" picks per row; say which.
        return np.where(np.asarray(result.numerator) < EXACT_BELOW, "exact", "byar").astype(object)
    return np.full(size, result.method, dtype=object)


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
    """Counts as int64 when every one is whole, else as they are."""
    with np.errstate(invalid="ignore"):
        whole = values.size and np.isfinite(values).all() and (values == np.floor(values)).all()
        if whole and np.abs(values).max() < MAX_EXACT_COUNT:
            return values.astype(np.int64)
    return values


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
) -> dict[str, np.ndarray]:
    """The output columns of one indicator, one row per group."""
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

    has_interval = bool(interval_methods(indicator))
    out: dict[str, np.ndarray] = {}
    out["indicator"] = _constant(indicator.id, size)
    # A group with a bad row has no trustworthy sums: NA, as its value.
    row_bad = bad_rows >= 0
    every = bool(ok.all())  # the common case: no copies, no scatter into NaN columns
    out["numerator"] = num if not row_bad.any() else np.where(row_bad, np.nan, num)
    if den is None:
        out["denominator"] = np.full(size, np.nan)
    else:
        out["denominator"] = den if not row_bad.any() else np.where(row_bad, np.nan, den)
    value = lower = upper = np.empty(0)  # set below
    method: np.ndarray | None = None
    texts: dict[str, Any] = (
        {name: np.empty(size, dtype=object) for name in ("display_zh", "display_en", "interval_zh", "interval_en")}
        if displays
        else {}
    )
    result = None
    if every:
        result = compute(indicator, num, den, confidence=level)
        value = np.asarray(result.value, dtype=np.float64)
        if result.lower is not None:
            lower, upper = np.asarray(result.lower), np.asarray(result.upper)
        else:
            upper = np.full(size, np.nan)
        if result.method in (None, "auto"):
            method = _methods(result, size)  # else one constant, made below
    elif ok.any():
        value, lower, upper = np.full(size, np.nan), np.full(size, np.nan), np.full(size, np.nan)
        method = np.empty(size, dtype=object)
        result = compute(indicator, num[ok], None if den is None else den[ok], confidence=level)
        value[ok] = result.value
        if result.lower is not None:
            lower[ok], upper[ok] = result.lower, result.upper
        method[ok] = _methods(result, int(ok.sum()))
    else:
        value, lower, upper = np.full(size, np.nan), np.full(size, np.nan), np.full(size, np.nan)
        method = np.empty(size, dtype=object)
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
    out["method"] = _constant(result.method if result is not None else None, size) if method is None else method
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
        out["benchmark_status"] = status
    if errors == "mark":
        out["problem"] = problems
    return out

def _target_columns(
    plan: TargetSet,
    indicator: Indicator,
    result: Result | None,
    ok: np.ndarray,
    level: float,
    has_interval: bool,
    suffix: str,
) -> dict[str, np.ndarray]:
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


def _constant(value: str | None, size: int) -> Any:
    """A column of one string: a pyarrow run of it when pyarrow is installed
    (no million Python references to convert), else an object array."""
    if has_pyarrow():
        import pyarrow as pa

        return pa.nulls(size, pa.string()) if value is None else pa.repeat(pa.scalar(value), size)
    column = np.empty(size, dtype=object)
    column.fill(value)
    return column


def _only(texts: Any, ok: np.ndarray) -> Any:
    """A pyarrow string array with nulls where ``ok`` is False."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if ok.all():
        return texts
    return pc.if_else(pa.array(ok), texts, pa.scalar(None, pa.string()))


def _joined(pieces: list[Any], order: np.ndarray) -> Any:
    """The pieces (numpy or pyarrow arrays) end to end, in ``order``."""
    if len(pieces) == 1 and np.array_equal(order, np.arange(order.size)):
        return pieces[0]
    if all(isinstance(piece, np.ndarray) for piece in pieces):
        return np.concatenate(pieces)[order]
    import pyarrow as pa

    chunked = pa.chunked_array([pa.array(p, from_pandas=True) if isinstance(p, np.ndarray) else p for p in pieces])
    return chunked.take(pa.array(order)).combine_chunks()


def _body(columns: dict[str, Any], backend: Any) -> Any:
    """The output columns as a frame of ``backend``: through a pyarrow table
    when pyarrow is installed (numbers zero-copy, NaN as null, strings as
    made), else from Python lists."""
    nw = narwhals()
    if has_pyarrow():
        import pyarrow as pa

        arrays = {
            name: pa.array(values, from_pandas=True) if isinstance(values, np.ndarray) else values
            for name, values in columns.items()
        }
        return nw.from_arrow(pa.table(arrays), backend=backend)
    plain = {
        name: values.tolist() if isinstance(values, np.ndarray) and values.dtype == object else values
        for name, values in columns.items()
    }
    body = nw.from_dict(plain, backend=backend)
    floats = [name for name, dtype in body.schema.items() if dtype.is_float()]
    if floats:
        body = body.with_columns(nw.col(*floats).fill_nan(None))
    return body
