"""Indicators of a DataFrame, one row per group: :func:`compute_frame`.

The frame goes through narwhals, so pandas, polars, pyarrow and modin frames
(and dask or polars lazy frames, collected first) come in and the caller's
own kind comes out. Inside, the count columns become float64 arrays and the
arithmetic is :func:`phindicators.compute.compute` on whole columns: no
Python loop runs per row except to word the rows that have a problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..catalog import bundled_catalog
from ..compare import compare_to_benchmark, compare_to_target
from ..compute import KIND_INTERVALS, compute
from ..display import format_result
from ..errors import (
    InvalidCountsError,
    InvalidOptionError,
    InvalidTypeError,
    TargetError,
)
from ..model import KINDS, Indicator
from ..scorecard.formatting import format_displays, has_pyarrow
from ..stats import EXACT_BELOW, confidence_levels
from ..targets import TargetSet
from ..targets import target_set as find_target_set
from ..units import UNITS
from ..validation import MAX_EXACT_COUNT
from ._narwhals import narwhals
from .counts import ROW_PROBLEMS, count_column, row_problems

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..compute import Result
    from ..targets import Target

__all__ = ["BENCHMARK_LEVELS", "ERRORS", "POOLED", "compute_frame"]

#: ``benchmark="pooled"``: each row against the pooled total of its period.
POOLED = "pooled"

#: Benchmarks are judged as Fingertips judges them: at 95 % and 99.8 %.
BENCHMARK_LEVELS = (0.95, 0.998)

#: What ``errors=`` accepts.
ERRORS = ("raise", "mark")

# Rows named in an error message, at most.
_SHOWN_ROWS = 5


@attrs.frozen
class _Columns:
    """The count columns of one indicator."""

    indicator: Indicator
    numerator: str
    denominator: str | None


@attrs.frozen
class _Counts:
    """A count column parsed once, whichever indicators use it."""

    values: np.ndarray
    missing: np.ndarray
    raw: np.ndarray


@attrs.frozen
class _Groups:
    """The rows pooled into groups: per indicator, the summed counts, the
    first bad row and how many rows are bad; and the key columns."""

    keys: Any  # a narwhals DataFrame of the key columns, one row per group (or None)
    first_row: np.ndarray  # the position of each group's first row
    numerators: list[np.ndarray]
    denominators: list[np.ndarray | None]
    bad_rows: list[np.ndarray]  # first bad row position per group, -1 if none
    bad_counts: list[np.ndarray]
    #: For groups pooled lazily (no row positions): what is wrong with each
    #: group, per indicator (None where nothing is).
    problems: list[np.ndarray] | None = None

    @property
    def size(self) -> int:
        return int(self.first_row.size)


def _names(value: str | Sequence[str] | None, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(name, str) for name in value):
        return list(value)
    raise InvalidTypeError(f"{what} must be a column name or a list of column names, got {value!r}")


def _indicator(value: Indicator | str) -> Indicator:
    if isinstance(value, Indicator):
        return value
    if isinstance(value, str):
        return bundled_catalog().find(value)
    raise InvalidTypeError(f"indicator must be an Indicator or its id or name, got {value!r}")


def _check_column(name: str, columns: list[str], what: str) -> None:
    if name not in columns:
        close = difflib.get_close_matches(name, columns, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        shown = ", ".join(columns[:20]) + (", …" if len(columns) > 20 else "")
        raise InvalidOptionError(f"{what} column {name!r} is not in the frame{hint} (columns: {shown})")


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
        num = numerator if numerator is not None else indicator.numerator.id
        den = denominator
        if indicator.denominator is None:
            if denominator is not None:
                raise InvalidOptionError(
                    f"{indicator.id} is a count: it has no denominator, got denominator={denominator!r}"
                )
        elif den is None:
            den = indicator.denominator.id
        _check_column(num, columns, f"{indicator.id}: numerator")
        if den is not None:
            _check_column(den, columns, f"{indicator.id}: denominator")
        chosen.append(_Columns(indicator, num, den))
    return chosen


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


def _raise_rows(
    indicator: Indicator, column: str, code: int, mask: np.ndarray, counts: _Counts, index: Any
) -> None:
    positions = np.flatnonzero(mask)
    shown = "; ".join(
        _row_problem(code, column, counts.raw, int(p), index) for p in positions[:_SHOWN_ROWS].tolist()
    )
    problem = ROW_PROBLEMS[code].format(column="", value="").strip(" :'\"")
    raise InvalidCountsError(
        indicator.id,
        column,
        problem.removesuffix(" 'None'").strip(),
        positions=[(int(p),) for p in positions[:_SHOWN_ROWS].tolist()],
        n_bad=int(positions.size),
        detail=f"{positions.size} of {mask.size} rows: {shown}",
    )


def _pool(
    frame: Any,
    keys: list[str],
    pooled: bool,
    numerators: list[np.ndarray],
    denominators: list[np.ndarray | None],
    bad: list[np.ndarray],
) -> _Groups:
    """Sum the counts of each group of ``keys`` (``pooled``), or keep every
    row as its own group. Bad rows count 0 in the sums; their group is
    marked by its first bad row."""
    nw = narwhals()
    size = len(frame)
    positions = np.arange(size, dtype=np.int64)
    if not pooled:
        return _Groups(
            keys=frame.select(keys) if keys else None,
            first_row=positions,
            numerators=numerators,
            denominators=denominators,
            bad_rows=[np.where(mask, positions, -1) for mask in bad],
            bad_counts=[mask.astype(np.int64) for mask in bad],
        )
    backend = frame.implementation
    work: dict[str, np.ndarray] = {"__row": positions}
    for number, (num, den, mask) in enumerate(zip(numerators, denominators, bad, strict=True)):
        work[f"__n{number}"] = np.where(mask, 0.0, num)
        if den is not None:
            work[f"__d{number}"] = np.where(mask, 0.0, den)
        # The first bad row is the smallest position, and size means none.
        work[f"__b{number}"] = np.where(mask, positions, size)
        work[f"__k{number}"] = mask.astype(np.int64)
    extra = [nw.new_series(name, values, backend=backend) for name, values in work.items()]
    table = nw.maybe_reset_index(frame.select(keys)).with_columns(*extra)
    aggregations = [nw.col("__row").min()]
    for name in work:
        if name == "__row":
            continue
        column = nw.col(name)
        aggregations.append(column.min() if name.startswith("__b") else column.sum())
    grouped = table.group_by(keys, drop_null_keys=False).agg(*aggregations).sort("__row")
    first = grouped.get_column("__row").to_numpy().astype(np.int64)

    def array(name: str) -> np.ndarray:
        return np.asarray(grouped.get_column(name).to_numpy(), dtype=np.float64)

    bad_rows = []
    for number in range(len(numerators)):
        first_bad = array(f"__b{number}").astype(np.int64)
        bad_rows.append(np.where(first_bad >= size, -1, first_bad))
    return _Groups(
        keys=grouped.select(keys),
        first_row=first,
        numerators=[array(f"__n{n}") for n in range(len(numerators))],
        denominators=[None if d is None else array(f"__d{n}") for n, d in enumerate(denominators)],
        bad_rows=bad_rows,
        bad_counts=[array(f"__k{n}").astype(np.int64) for n in range(len(numerators))],
    )


def _group_names(groups: _Groups, keys: list[str], positions: np.ndarray) -> list[str]:
    if groups.keys is None:
        return [f"row {p}" for p in positions.tolist()]
    rows = groups.keys.select(keys).rows()
    return [", ".join(f"{k}={v}" for k, v in zip(keys, rows[p], strict=True)) for p in positions.tolist()]


def _target_sets(targets: object) -> list[TargetSet]:
    if targets is None:
        return []
    items = [targets] if isinstance(targets, str | TargetSet) else targets
    if not isinstance(items, Sequence):
        raise InvalidTypeError(f"targets must be a TargetSet, its id or a list of them, got {targets!r}")
    sets = []
    for item in items:
        if isinstance(item, str):
            sets.append(find_target_set(item))
        elif isinstance(item, TargetSet):
            sets.append(item)
        else:
            raise InvalidTypeError(f"targets must be TargetSets or their ids, got {item!r}")
    return sets


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


def _check_benchmark(benchmark: object, by: list[str], frame: Any) -> None:
    if benchmark is None or benchmark == POOLED:
        return
    if not by:
        raise InvalidOptionError(
            f"benchmark {benchmark!r} names a group, so by= must name the group columns "
            f"(or use benchmark={POOLED!r})"
        )
    wanted = benchmark if isinstance(benchmark, tuple) else (benchmark,)
    if len(wanted) != len(by):
        raise InvalidOptionError(
            f"benchmark {benchmark!r} must give one value per by column ({', '.join(by)})"
        )
    present = set(frame.select(by).unique().rows())
    if tuple(wanted) not in present:
        shown = sorted(map(str, (row if len(by) > 1 else row[0] for row in present)))
        close = difflib.get_close_matches(str(benchmark), shown, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise InvalidOptionError(
            f"benchmark {benchmark!r} is not a group of the frame{hint} (groups: "
            f"{', '.join(shown[:10])}{', …' if len(shown) > 10 else ''}; or {POOLED!r})"
        )


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

    has_interval = bool(KIND_INTERVALS[indicator.kind])
    out: dict[str, np.ndarray] = {}
    out["indicator"] = _constant(indicator.id, size)
    # A group with a bad row has no trustworthy sums: NA, as its value.
    row_bad = bad_rows >= 0
    out["numerator"] = np.where(row_bad, np.nan, num)
    out["denominator"] = np.full(size, np.nan) if den is None else np.where(row_bad, np.nan, den)
    value = np.full(size, np.nan)
    lower = np.full(size, np.nan)
    upper = np.full(size, np.nan)
    method = np.empty(size, dtype=object)
    texts: dict[str, Any] = {
        name: np.empty(size, dtype=object)
        for name in ("display_zh", "display_en", "interval_zh", "interval_en")
    }
    result = None
    if ok.any():
        result = compute(indicator, num[ok], None if den is None else den[ok], confidence=level)
        value[ok] = result.value
        if result.lower is not None:
            lower[ok], upper[ok] = result.lower, result.upper
        method[ok] = _methods(result, int(ok.sum()))
        if not displays:
            pass
        elif has_pyarrow():
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
    out["method"] = (
        _constant(result.method, size)
        if result is not None and ok.all() and result.method not in (None, "auto")
        else method
    )
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


def _first_row_problem(columns: _Columns, counts: dict[str, _Counts], row: int, index: Any) -> str:
    """What is wrong with a row for an indicator (its first problem)."""
    for name in (columns.numerator, columns.denominator):
        if name is None:
            continue
        parsed = counts[name]
        unit = columns.indicator.numerator.unit if name == columns.numerator else (
            columns.indicator.denominator.unit if columns.indicator.denominator is not None else "count"
        )
        code = int(row_problems(parsed.values[row : row + 1], parsed.missing[row : row + 1], unit)[0])
        if code:
            return _row_problem(code, name, parsed.raw, row, index)
    return f"row {_label(index, row)}: a group column is missing"


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


def _eager_pool(
    frame: Any, keys: list[str], groups_by: list[str], chosen: list[_Columns], errors: str
) -> tuple[Any, dict[str, _Counts], _Groups]:
    """Row labels, parsed count columns and the groups of an eager frame,
    every row checked (and, with ``errors="raise"``, refused by label)."""
    index = _row_labels(frame)
    counts: dict[str, _Counts] = {}
    for item in chosen:
        for name in (item.numerator, item.denominator):
            if name is not None and name not in counts:
                counts[name] = _Counts(*count_column(frame, name))
    key_missing = _key_missing(frame, keys)
    if errors == "raise" and key_missing.any():
        positions = np.flatnonzero(key_missing)
        shown = ", ".join(str(_label(index, p)) for p in positions[:_SHOWN_ROWS].tolist())
        raise InvalidCountsError(
            chosen[0].indicator.id,
            "/".join(keys),
            "is missing",
            positions=[(int(p),) for p in positions[:_SHOWN_ROWS].tolist()],
            n_bad=int(positions.size),
            detail=f"{positions.size} of {len(frame)} rows: rows {shown}",
        )
    numerators, denominators, bad = [], [], []
    for item in chosen:
        mask = key_missing.copy()
        fields = [(item.numerator, item.indicator.numerator.unit)]
        if item.denominator is not None and item.indicator.denominator is not None:
            fields.append((item.denominator, item.indicator.denominator.unit))
        for name, unit in fields:
            parsed = counts[name]
            codes = row_problems(parsed.values, parsed.missing, unit)
            if errors == "raise" and codes.any():
                code = int(codes[np.flatnonzero(codes)[0]])
                _raise_rows(item.indicator, name, code, codes == code, parsed, index)
            mask |= codes != 0
        numerators.append(counts[item.numerator].values)
        denominators.append(None if item.denominator is None else counts[item.denominator].values)
        bad.append(mask)
    return index, counts, _pool(frame, keys, bool(groups_by), numerators, denominators, bad)


#: Problems a lazily pooled group is checked for, in order: the words, and
#: whether the check applies to integer columns too.
_LAZY_CHECKS = (("missing", True), ("negative", True), ("not_whole", False), ("too_large", True))
_LAZY_WORDS = {
    "missing": "is missing",
    "negative": "is negative",
    "not_whole": "is not a whole number",
    "too_large": "is too large to count exactly",
}


def _lazy_flag(column: Any, dtype: Any, check: str, unit: str) -> Any:
    """A narwhals expression that is True on the rows failing ``check``, or
    None where the check cannot fail (integer columns)."""
    nw = narwhals()
    floating = dtype.is_float()
    if check == "missing":
        return column.is_null() | column.is_nan() if floating else column.is_null()
    if check == "negative":
        return column < 0
    if check == "not_whole":
        return (column != column.round(0)) if floating and UNITS[unit].whole else None
    return column >= nw.lit(MAX_EXACT_COUNT)


def _lazy_pool(frame: Any, keys: list[str], chosen: list[_Columns], errors: str) -> _Groups:
    """The groups of a lazy frame (dask, polars), pooled where the data
    lives: counts summed and bad rows counted per group, one small frame
    collected. Groups come out sorted by their keys; a group with a bad row
    says how many rows and what is wrong (no row positions exist here)."""
    nw = narwhals()
    schema = frame.collect_schema()
    flags: list[Any] = []
    sums: list[Any] = []
    checked: list[list[tuple[str, str, str]]] = []  # per indicator: (flag column, count column, check)
    key_null = None
    for key in keys:
        missing = nw.col(key).is_null()
        key_null = missing if key_null is None else key_null | missing
    if key_null is not None:
        flags.append(key_null.alias("__keys_missing"))
    for number, item in enumerate(chosen):
        fields = [("__n", item.numerator, item.indicator.numerator.unit)]
        if item.denominator is not None and item.indicator.denominator is not None:
            fields.append(("__d", item.denominator, item.indicator.denominator.unit))
        mine: list[tuple[str, str, str]] = []
        for prefix, name, unit in fields:
            dtype = schema[name]
            if not dtype.is_numeric():
                raise InvalidTypeError(
                    f"{item.indicator.id}: column {name!r} of a lazy frame holds {dtype}, not numbers; "
                    "cast it (or collect the frame) first"
                )
            sums.append(nw.col(name).sum().alias(f"{prefix}{number}"))
            for check, _ in _LAZY_CHECKS:
                flag = _lazy_flag(nw.col(name), dtype, check, unit)
                if flag is None:
                    continue
                alias = f"__f{number}_{name}_{check}"
                if alias not in {a for a, _, _ in mine}:
                    flags.append(flag.cast(nw.Int64).alias(alias))
                    mine.append((alias, name, check))
        checked.append(mine)
    flag_names = [alias for mine in checked for alias, _, _ in mine]
    if key_null is not None:
        flag_names.append("__keys_missing")
    aggregations = [*sums, *(nw.col(name).sum() for name in dict.fromkeys(flag_names)), nw.len().alias("__rows")]
    table = frame.with_columns(*flags) if flags else frame
    if key_null is not None:
        table = table.with_columns(nw.col("__keys_missing").cast(nw.Int64))
    pooled = table.group_by(keys, drop_null_keys=False).agg(*aggregations).collect().sort(keys, nulls_last=True)

    def array(name: str) -> np.ndarray:
        return np.asarray(pooled.get_column(name).to_numpy(), dtype=np.float64)

    size = len(pooled)
    names = [", ".join(f"{k}={v}" for k, v in zip(keys, row, strict=True)) for row in pooled.select(keys).rows()]
    keys_missing = array("__keys_missing") if key_null is not None else np.zeros(size)
    problems, bad_rows, bad_counts = [], [], []
    for number, item in enumerate(chosen):
        texts = np.empty(size, dtype=object)
        count = keys_missing.copy()
        texts[keys_missing > 0] = "a group column is missing"
        for alias, name, check in checked[number]:
            failing = array(alias)
            fresh = (failing > 0) & (count == 0)
            for position in np.flatnonzero(fresh).tolist():
                rows = int(failing[position])
                texts[position] = f"{rows} row{'s' if rows > 1 else ''}: {name} {_LAZY_WORDS[check]}"
            if errors == "raise" and fresh.any():
                positions = np.flatnonzero(fresh)
                shown = "; ".join(f"{names[p]}: {texts[p]}" for p in positions[:_SHOWN_ROWS].tolist())
                raise InvalidCountsError(
                    item.indicator.id,
                    name,
                    _LAZY_WORDS[check],
                    positions=[(int(p),) for p in positions[:_SHOWN_ROWS].tolist()],
                    n_bad=int(failing.sum()),
                    detail=f"{int(failing.sum())} rows in {positions.size} of {size} groups: {shown}",
                )
            count = count + failing
        if errors == "raise" and (keys_missing > 0).any():
            raise InvalidCountsError(
                item.indicator.id, "/".join(keys), "is missing", n_bad=int(keys_missing.sum()),
                detail=f"{int(keys_missing.sum())} rows",
            )
        problems.append(texts)
        bad_rows.append(np.where(count > 0, 0, -1))
        bad_counts.append(count.astype(np.int64))
    return _Groups(
        keys=pooled.select(keys),
        first_row=np.arange(size, dtype=np.int64),
        numerators=[array(f"__n{n}") for n in range(len(chosen))],
        denominators=[
            None if item.denominator is None else array(f"__d{n}") for n, item in enumerate(chosen)
        ],
        bad_rows=bad_rows,
        bad_counts=bad_counts,
        problems=problems,
    )


def compute_frame(
    data: Any,
    indicator: Indicator | str | Sequence[Indicator | str],
    *,
    numerator: str | None = None,
    denominator: str | None = None,
    by: str | Sequence[str] | None = None,
    period: str | None = None,
    confidence: float = 0.95,
    targets: TargetSet | str | Sequence[TargetSet | str] | None = None,
    benchmark: Hashable | None = None,
    errors: str = "raise",
    displays: bool = True,
) -> Any:
    """Compute an indicator (or several) for every row or group of a DataFrame.

    Parameters
    ----------
    data : DataFrame
        Any frame narwhals supports (pandas, polars, pyarrow, modin, and the
        lazy frames of dask and polars). The result is of the same kind. A
        lazy frame with ``by`` is pooled where the data lives, partition by
        partition: counts are summed and bad rows counted per group, and
        only the groups are collected (their problems then say how many
        rows, not which); without ``by`` every row comes out, so the frame
        is collected.
    indicator : Indicator, str or list of them
        What to compute: an indicator, its id or a name ("孕产妇死亡率").
        A list computes several from a wide frame whose count columns are
        named by term id (``live_births``, ``maternal_deaths``, …), one row
        per group and indicator.
    numerator, denominator : str, optional
        The count columns of one indicator (default: its terms' ids). Text
        columns are read with thousands separators ("1,270").
    by : str or list of str, optional
        Group columns: the rows of each group (and period) are pooled by
        summing their counts before computing. Without ``by`` every row is
        computed as it is, and a pandas frame keeps its index.
    period : str, optional
        The column of periods: groups are formed within a period, and
        ``benchmark`` compares within a period.
    confidence : float
        The level of ``lower`` and ``upper`` (and of ``uncertain``).
    targets : TargetSet, str or list of them, optional
        Target sets (or ids): adds ``target``, ``target_status`` (``met``,
        ``not_met``, ``uncertain`` where the interval contains the threshold,
        ``not_assessed``, ``no_target``) and ``target_gap`` (>= 0 when met);
        with several sets each column ends in ``_<set id>``.
    benchmark : "pooled" or a group, optional
        Adds ``benchmark_value`` and ``benchmark_status`` (best / better /
        similar / worse / worst by the 95 % and 99.8 % intervals, in the
        indicator's polarity): against the pooled total of the row's period
        (``"pooled"``), or against the named group (a value of the ``by``
        column, a tuple for several) in the same period; NA on the
        benchmark's own rows.
    errors : {"raise", "mark"}
        ``"raise"``: bad counts raise, naming the rows. ``"mark"``: their
        groups get NA values and a ``problem`` column says why.
    displays : bool
        Add the four display columns (``display_zh``, ``display_en``,
        ``interval_zh``, ``interval_en``). Building four strings per row is
        most of the time on millions of rows; ``False`` leaves them out.

    Returns
    -------
    DataFrame
        The group columns, then ``indicator``, ``numerator``,
        ``denominator`` (integers when every count is whole), ``value``,
        ``lower``, ``upper``, ``confidence``, ``method`` (per row: "wilson",
        "exact", "byar", …), ``unit``, ``display_zh``, ``display_en``,
        ``interval_zh``, ``interval_en``, and the target, benchmark and
        ``problem`` columns asked for.

    Raises
    ------
    InvalidCountsError
        With ``errors="raise"``: missing, non-numeric, negative or
        fractional counts (naming the rows: pandas index labels, else
        positions), zero denominators or numerators above denominators
        (naming the groups).
    InvalidOptionError
        A column that is not in the frame, a benchmark that is not a group,
        an unknown ``errors``.
    InvalidTypeError
        ``data`` that is not a DataFrame narwhals knows.

    Examples
    --------
    >>> import pandas as pd
    >>> births = pd.DataFrame({"county": ["甲县", "甲县", "乙县"], "year": [2023, 2023, 2023],
    ...                        "deaths": [1, 1, 5], "births": [1000, 1158, 1900]})
    >>> out = compute_frame(births, "maternal_mortality_ratio", numerator="deaths",
    ...                     denominator="births", by="county", period="year")
    >>> out[["county", "numerator", "denominator", "display_zh", "method"]]
      county  numerator  denominator  display_zh method
    0     甲县          2         2158  92.68/10万  exact
    1     乙县          5         1900 263.16/10万  exact
    """
    nw = narwhals()
    if errors not in ERRORS:
        raise InvalidOptionError(f"errors must be one of {', '.join(map(repr, ERRORS))}, got {errors!r}")
    levels = confidence_levels(confidence)
    if len(levels) != 1:
        raise InvalidOptionError(f"compute_frame takes one confidence level, got {confidence!r}")
    level = levels[0]
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise InvalidTypeError(
            f"compute_frame takes a DataFrame (pandas, polars, pyarrow, dask, …), got {type(data).__name__}"
        ) from None
    if not isinstance(frame, nw.DataFrame | nw.LazyFrame):
        raise InvalidTypeError(f"compute_frame takes a DataFrame, not a {type(data).__name__}")
    lazy_backend = None
    lazy = None
    if isinstance(frame, nw.LazyFrame):
        lazy_backend = frame.implementation
        if by is None:  # every row comes out: the rows are collected
            frame = frame.collect()
        else:  # groups are pooled where the data lives, partition by partition
            lazy = frame
    if isinstance(indicator, Indicator | str):
        indicators = [_indicator(indicator)]
    else:
        indicators = [_indicator(item) for item in indicator]
    if not indicators:
        raise InvalidOptionError("indicator is an empty list")
    columns = list(frame.collect_schema().names()) if lazy is not None else list(frame.columns)
    groups_by = _names(by, "by")
    keys = groups_by + ([period] if period is not None else [])
    for key in keys:
        _check_column(key, columns, "group")
    chosen = _count_columns(indicators, numerator, denominator, columns)
    sets = _target_sets(targets)
    if lazy is not None:
        groups = _lazy_pool(lazy, keys, chosen, errors)
        _check_benchmark(benchmark, groups_by, groups.keys)
        index, counts = None, dict[str, _Counts]()
    else:
        _check_benchmark(benchmark, groups_by, frame)
        index, counts, groups = _eager_pool(frame, keys, groups_by, chosen, errors)

    parts = [
        _score(item, number, groups, index, counts, level, sets, benchmark, groups_by, period, errors, keys, displays)
        for number, item in enumerate(chosen)
    ]
    # Group by group, indicators in the order given.
    group_numbers = np.tile(np.arange(groups.size), len(parts))
    order = np.lexsort((np.repeat(np.arange(len(parts)), groups.size), group_numbers))
    data_columns: dict[str, Any] = {}
    for name in parts[0]:
        joined = _joined([part[name] for part in parts], order)
        if name in ("numerator", "denominator"):
            joined = _whole_or_float(joined)
        data_columns[name] = joined
    backend = frame.implementation if lazy is None else groups.keys.implementation
    body = _body(data_columns, backend)
    rows = group_numbers[order]
    if groups.keys is not None:
        keys_out = nw.maybe_reset_index(groups.keys[rows.tolist()])
        out = nw.concat([keys_out, body], how="horizontal")
    else:
        out = body
    if lazy_backend is not None:
        return out.lazy(backend=lazy_backend).to_native()
    native = out.to_native()
    if not groups_by and index is not None:
        # Ungrouped rows keep their labels (pandas and modin only have them).
        native.index = index[groups.first_row[rows]]
    return native
