"""compute_frame: a DataFrame in, one row per group and indicator out."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ...errors import (
    InvalidOptionError,
    InvalidTypeError,
)
from ...model import Indicator
from ...stats import confidence_levels
from ...targets import TargetSet
from .._narwhals import narwhals
from .body import _body, _joined
from .options import (
    ERRORS,
    POOLED,
    _check_benchmark,
    _check_column,
    _Columns,
    _Counts,
    _Groups,
    _indicator,
    _names,
    _target_sets,
)
from .plain import plain_groups
from .pooling import _eager_pool, _lazy_pool, _lazy_sums, _pooled_groups
from .rows import _count_columns, _row_labels
from .scoring import _score, _whole_or_float

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


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
    ages: str | None = None,
) -> Any:
    """Compute an indicator (or several) for every row or group of a DataFrame.

    Parameters
    ----------
    data : DataFrame
        Any frame narwhals supports (pandas, polars, pyarrow, modin, and the
        lazy frames of dask and polars). The result is of the same kind. A
        lazy frame with ``by`` is pooled where the data lives, partition by
        partition: counts are summed and bad rows counted per group, and
        only the groups meet (their problems then say how many rows, not
        which). A dask frame stays lazy: nothing is read until the result
        is computed, and bad counts (with ``errors="raise"``) or a
        benchmark that is not a group raise then. Without ``by`` a dask
        frame is computed partition by partition (all at once with
        ``benchmark="pooled"``, which needs every row), and a polars lazy
        frame is collected.
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
    ages : str, optional
        For a life-table indicator (``life_expectancy``,
        ``adult_mortality_45q15``, ``premature_ncd_mortality``), the column
        of age bands of a long frame: one row per group and band, the
        band's first age (or a label: "0", "1-4", "90+"). Each group's rows
        are pivoted into its life table and every group is computed at once
        (``phindicators.frames.banded.life_table_frame``); every group
        must have each band the data has, once. Targets work; a benchmark
        does not (a life table is not pooled by summing).

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
    if isinstance(indicator, Indicator | str):
        indicators = [_indicator(indicator)]
    else:
        indicators = [_indicator(item) for item in indicator]
    if not indicators:
        raise InvalidOptionError("indicator is an empty list")
    if ages is not None or any("life_table" in item.needs for item in indicators):
        return _life_tables(
            data, indicators, numerator, denominator, by, period, ages, confidence, targets, benchmark, errors, displays
        )
    lazy_backend = None
    lazy = None
    plain = None
    if isinstance(frame, nw.LazyFrame):
        lazy_backend = frame.implementation
        if by is None and lazy_backend is nw.Implementation.DASK and benchmark != POOLED:
            # Every row comes out, each from its own partition's rows: partition
            # by partition, lazily (a pooled benchmark needs all rows at once).
            arguments = dict(
                indicator=indicator,
                numerator=numerator,
                denominator=denominator,
                period=period,
                confidence=confidence,
                targets=targets,
                benchmark=benchmark,
                errors=errors,
                displays=displays,
            )
            return _by_partition(data, arguments)
        if by is None:  # every row comes out: the rows are collected
            frame = frame.collect()
        else:  # groups are pooled where the data lives, partition by partition
            lazy = frame
    columns = list(frame.collect_schema().names()) if lazy is not None else list(frame.columns)
    groups_by = _names(by, "by")
    keys = groups_by + ([period] if period is not None else [])
    for key in keys:
        _check_column(key, columns, "group")
    chosen = _count_columns(indicators, numerator, denominator, columns)
    sets = _target_sets(targets)
    request = _Request(chosen, level, sets, benchmark, groups_by, period, errors, keys, displays)
    if lazy is not None and lazy_backend is nw.Implementation.DASK:
        return _pooled_lazily(lazy, request)
    computed: list[Any] = [None] * len(chosen)
    if lazy is not None:
        groups = _lazy_pool(lazy, keys, chosen, errors)
        _check_benchmark(benchmark, groups_by, groups.keys)
        index, counts = None, dict[str, _Counts]()
    else:
        _check_benchmark(benchmark, groups_by, frame)
        plain = plain_groups(frame, keys, bool(groups_by), chosen, level)
        if plain is not None:  # every count good: computed once, nothing to word
            groups, computed = plain[0], list(plain[1])
            index, counts = _row_labels(frame), {}
        else:
            index, counts, groups = _eager_pool(frame, keys, groups_by, chosen, errors)
    # A lazy frame's groups come back in the kind it collects to.
    backend = frame.implementation if lazy is None else groups.keys.implementation
    out, rows = _assembled(request, groups, index, counts, computed, backend, frame if plain is not None else None)
    if lazy_backend is not None:
        return out.lazy(backend=lazy_backend).to_native()
    native = out.to_native()
    if not groups_by and index is not None:
        # Ungrouped rows keep their labels (pandas and modin only have them).
        first = groups.first_row
        if first is None:  # group i is row i
            native.index = index if rows is None else index[rows]
        else:
            native.index = index[first if rows is None else first[rows]]
    return native


def _life_tables(
    data: Any,
    indicators: list[Indicator],
    numerator: str | None,
    denominator: str | None,
    by: str | Sequence[str] | None,
    period: str | None,
    ages: str | None,
    confidence: float,
    targets: TargetSet | str | Sequence[TargetSet | str] | None,
    benchmark: Hashable | None,
    errors: str,
    displays: bool,
) -> Any:
    """compute_frame of one life-table indicator from a long frame: rows
    of age bands pivoted by the ``ages`` column (a life table cannot be
    summed over rows as counts are)."""
    from ..banded import life_table_frame

    names = ", ".join(item.id for item in indicators)
    if len(indicators) != 1 or "life_table" not in indicators[0].needs:
        raise InvalidOptionError(
            "ages= names the age-band column of one life-table indicator (life_expectancy, "
            f"adult_mortality_45q15, premature_ncd_mortality), got {names}"
        )
    if ages is None:
        raise InvalidOptionError(
            f"{names} is computed from a life table: give ages=, the column of age bands of a long frame "
            "(one row per group and band with deaths and population)"
        )
    if benchmark is not None:
        raise InvalidOptionError(f"{names}: a benchmark is not available for life-table indicators")
    keys = _names(by, "by") + ([period] if period is not None else [])
    return life_table_frame(
        data,
        indicators[0],
        numerator=numerator,
        denominator=denominator,
        ages=ages,
        keys=keys,
        confidence=confidence,
        targets=_target_sets(targets),
        errors=errors,
        displays=displays,
    )


@attrs.frozen
class _Request:
    """What compute_frame was asked for, checked: what each step after the
    pooling needs."""

    chosen: list[_Columns]
    level: float
    sets: list[TargetSet]
    benchmark: Hashable | None
    groups_by: list[str]
    period: str | None
    errors: str
    keys: list[str]
    displays: bool


def _assembled(
    request: _Request,
    groups: _Groups,
    index: Any,
    counts: dict[str, _Counts],
    computed: list[Any],
    backend: Any,
    plain_frame: Any,
) -> tuple[Any, np.ndarray | None]:
    """The output as a narwhals frame of ``backend``, and the group of each
    of its rows (None: row i is group i). ``plain_frame`` is the caller's
    frame when the plain path made the groups."""
    nw = narwhals()
    chosen = request.chosen
    parts = [
        _score(
            item,
            number,
            groups,
            index,
            counts,
            request.level,
            request.sets,
            request.benchmark,
            request.groups_by,
            request.period,
            request.errors,
            request.keys,
            request.displays,
            computed[number],
        )
        for number, item in enumerate(chosen)
    ]
    # Group by group, indicators in the order given.
    rows: np.ndarray | None = None
    order: np.ndarray | None = None
    if len(parts) > 1:
        group_numbers = np.tile(np.arange(groups.size), len(parts))
        order = np.lexsort((np.repeat(np.arange(len(parts)), groups.size), group_numbers))
        rows = group_numbers[order]
    data_columns: dict[str, Any] = {}
    for name in parts[0]:
        joined = _joined([part[name] for part in parts], order)
        if name in ("numerator", "denominator"):
            joined = _whole_or_float(joined)
        data_columns[name] = joined
    if plain_frame is not None and not request.groups_by and len(parts) == 1:
        # Counts output as they came in are the caller's own column: passed
        # as its Series, so that pandas' copy-on-write keeps the two apart.
        given = (
            ("numerator", chosen[0].numerator, groups.numerators[0]),
            ("denominator", chosen[0].denominator, groups.denominators[0]),
        )
        for name, column, values in given:
            if column is not None and values is not None and np.may_share_memory(data_columns[name], values):
                data_columns[name] = plain_frame.get_column(column)
    body = _body(data_columns, backend)
    if groups.keys is None:
        return body, rows
    keys_out = nw.maybe_reset_index(groups.keys if rows is None else groups.keys[rows.tolist()])
    return nw.concat([keys_out, body], how="horizontal"), rows


def _pooled_lazily(lazy: Any, request: _Request) -> Any:
    """A grouped dask frame's output, as a dask DataFrame of one partition:
    nothing runs until it is computed, and then each partition sums its
    counts per group (dask's tree reduction of a groupby) and only the
    groups meet, to be computed and judged as an eager frame's are."""
    nw = narwhals()
    sums, checked = _lazy_sums(lazy, request.keys, request.chosen)
    native = sums.to_native()

    def judged(pooled: Any, *, empty: bool = False) -> Any:
        groups = _pooled_groups(
            nw.from_native(pooled, eager_only=True), request.keys, request.chosen, checked, request.errors
        )
        if not empty:  # the empty frame dask asks for the columns has no groups to name
            _check_benchmark(request.benchmark, request.groups_by, groups.keys)
        out, _ = _assembled(request, groups, None, {}, [None] * len(request.chosen), groups.keys.implementation, None)
        return out.to_native()

    return native.repartition(npartitions=1).map_partitions(judged, meta=judged(native._meta, empty=True))


def _by_partition(data: Any, arguments: dict[str, Any]) -> Any:
    """compute_frame of each partition of a dask DataFrame (pandas in each),
    as a dask DataFrame: nothing is read until it is computed."""

    def one(part: Any) -> Any:
        return compute_frame(part, **arguments)

    return data.map_partitions(one, meta=one(data._meta))
