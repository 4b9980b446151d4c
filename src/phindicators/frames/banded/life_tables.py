"""The route compute_frame takes for life-table indicators: the pivot, then Indicator.compute with ages=."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...compute import compute, interval_methods
from ...errors import InvalidOptionError
from ...scorecard.formatting import format_displays, has_pyarrow
from ..groups.body import _constant, _only, _texts
from ..groups.options import _check_column
from ..groups.rows import _row_labels
from ..groups.scoring import _target_columns, _whole_or_float
from .bands import Columns
from .frame import _checked_frame, _native, _one_level
from .pivot import _computed, _pivot, _scattered

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ...model import Indicator
    from ...targets import TargetSet


def life_table_frame(
    data: Any,
    indicator: Indicator,
    *,
    numerator: str | None,
    denominator: str | None,
    ages: str,
    keys: list[str],
    confidence: float,
    targets: list[TargetSet],
    errors: str,
    displays: bool,
) -> Any:
    """:func:`~phindicators.compute_frame` of a life-table indicator (life
    expectancy, 45q15, premature NCD mortality): deaths and populations by
    age band, one row per group and band, pivoted by the ``ages`` column
    into (groups x bands) and computed at once by
    :meth:`Indicator.compute` with ``ages=`` the bands the data has.

    The output has compute_frame's columns: the group columns,
    ``indicator``, ``numerator`` and ``denominator`` (the deaths and
    populations summed over the bands the value reads), ``value``,
    ``lower``, ``upper``, ``confidence``, ``method``, ``unit``, the
    display and target columns, and ``problem`` with ``errors="mark"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from phindicators import get
    >>> long = pd.DataFrame({"county": ["甲县"] * 5, "age": [0, 15, 30, 45, 60],
    ...                      "deaths": [40, 9, 40, 90, 500],
    ...                      "population": [20_000, 18_000, 20_000, 15_000, 9_000]})
    >>> out = life_table_frame(long, get("adult_mortality_45q15"), numerator="deaths",
    ...                        denominator="population", ages="age", keys=["county"],
    ...                        confidence=0.95, targets=[], errors="raise", displays=True)
    >>> out[["county", "numerator", "denominator", "display_zh"]]
      county  numerator  denominator display_zh
    0     甲县        139        53000     119.8‰
    """
    where = indicator.id
    level = _one_level(confidence, "compute_frame")
    frame, lazy_backend = _checked_frame(data, "compute_frame")
    deaths = numerator if numerator is not None else indicator.numerator.id
    if indicator.denominator is None:
        raise InvalidOptionError(f"{indicator.id} needs populations by age band beside its deaths")
    pops = denominator if denominator is not None else indicator.denominator.id
    present = list(frame.columns)
    for name, what in [*((k, "group") for k in keys), (ages, "ages"), (deaths, "numerator"), (pops, "denominator")]:
        _check_column(name, present, what)
    pivot = _pivot(frame, keys, ages, "age", (deaths, pops), None, _row_labels(frame), where)

    def run(x: np.ndarray, n: np.ndarray) -> Any:
        return compute(indicator, x, n, confidence=level, ages=list(pivot.bands))

    result, ok = _computed(pivot, run, errors, where)
    size = ok.size
    out: Columns = {"indicator": _constant(indicator.id, size)}
    if result is None:
        nothing = np.full(size, np.nan)
        out.update(numerator=nothing, denominator=nothing, value=nothing, lower=nothing, upper=nothing)
        method: Any = np.full(size, None, dtype=object)
    else:
        # Integers when every count is whole, as compute_frame gives them.
        out["numerator"] = _whole_or_float(_scattered(result.numerator, ok))
        out["denominator"] = _whole_or_float(_scattered(result.denominator, ok))
        out["value"] = _scattered(result.value, ok)
        out["lower"] = _scattered(result.lower, ok)
        out["upper"] = _scattered(result.upper, ok)
        method = _scattered(result.method, ok)
    out["confidence"] = np.full(size, level)
    out["method"] = _texts(np.asarray(method, dtype=object))
    out["unit"] = _constant(indicator.unit, size)
    if displays:
        out.update(_displays(indicator, result, out, ok, level))
    for plan in targets:
        suffix = "" if len(targets) == 1 else f"_{plan.id}"
        out.update(_target_columns(plan, indicator, result, ok, level, bool(interval_methods(indicator)), suffix))
    if errors == "mark":
        out["problem"] = _texts(np.asarray(pivot.problems, dtype=object))
    return _native(frame, pivot.keys, out, 1, lazy_backend)


def _displays(indicator: Indicator, result: Any, out: Columns, ok: np.ndarray, level: float) -> Columns:
    """The four display columns, NA where a group was not computed."""
    names = ("display_zh", "display_en", "interval_zh", "interval_en")
    texts = {name: np.full(ok.size, None, dtype=object) for name in names}
    if result is None:
        return texts
    if has_pyarrow():
        den_name = indicator.denominator.name_en if indicator.denominator is not None else ""
        made = format_displays(
            out["value"],
            out["lower"],
            out["upper"],
            indicator.unit,
            indicator.decimals,
            confidence=level,
            denominator=den_name,
        )
        return {name: _only(made[name], ok) for name in names}
    from ...display import format_result

    for lang in ("zh", "en"):
        texts[f"display_{lang}"][ok] = np.asarray(result.format(lang), dtype=object)
        texts[f"interval_{lang}"][ok] = np.asarray(format_result(result, lang), dtype=object)
    return texts
