"""A result as a table: the columns of one row per value, and a DataFrame of them.

:func:`result_frame` is what :meth:`Result.to_frame <phindicators.Result.to_frame>`
returns and what :func:`phindicators.frames.compute_frame` builds on. It sits
below :mod:`phindicators.compute` and knows a result only by the attributes
it reads (the :class:`Tabular` protocol), so the value type can offer a frame
without importing the adapter layer; narwhals, which makes the caller's kind
of frame, is imported on use.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from ._optional import require
from .display import Displayable, format_result
from .errors import InvalidOptionError
from .stats import EXACT_BELOW

__all__ = ["BACKENDS", "Tabular", "result_frame"]

class Tabular(Displayable, Protocol):
    """What :func:`result_frame` reads of a :class:`~phindicators.Result`."""

    @property
    def numerator(self) -> Any: ...
    @property
    def denominator(self) -> Any: ...
    @property
    def period(self) -> object: ...
    @property
    def method(self) -> str | None: ...
    @property
    def intervals(self) -> tuple[object, ...]: ...
    def format(self, lang: str = "zh") -> Any: ...


#: The kinds of frame :func:`result_frame` makes, by the name narwhals knows
#: each backend by.
BACKENDS = ("pandas", "polars", "pyarrow", "modin", "cudf")


def result_frame(result: Tabular, backend: str = "pandas", *, index: Any = None) -> Any:
    """The result as a DataFrame, one row per value (a scalar result is one row).

    Parameters
    ----------
    result : Result
    backend : str
        The kind of frame: ``"pandas"`` (default), ``"polars"``, ``"pyarrow"``…
    index : array_like, optional
        Row labels for a pandas frame (a Series passed to ``compute`` gives
        its own: see ``Result.to_frame``). Multi-dimensional results are
        flattened in C order.

    Returns
    -------
    DataFrame
        Columns ``indicator``, ``period``, ``numerator``, ``denominator``,
        ``value``, ``lower``, ``upper``, ``confidence``, ``method``,
        ``unit``, ``display_zh``, ``display_en``, ``interval_zh``,
        ``interval_en``: the columns of
        :func:`phindicators.frames.compute_frame`.

    Examples
    --------
    >>> from phindicators import get
    >>> frame = result_frame(get("infant_mortality_rate").compute([23, 5], [2158, 1000]))
    >>> frame[["numerator", "denominator", "display_zh", "method"]]
       numerator  denominator display_zh method
    0         23         2158     10.66‰   byar
    1          5         1000      5.00‰  exact
    """
    nw = require("narwhals", "frames", "DataFrames")
    if backend not in BACKENDS:
        raise InvalidOptionError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    value = np.asarray(result.value, dtype=np.float64).reshape(-1)
    size = value.size
    numerator = np.broadcast_to(np.asarray(result.numerator), np.shape(result.value)).reshape(-1)
    columns: dict[str, Any] = {
        "indicator": [result.indicator.id] * size,
        "period": [None if result.period is None else str(result.period)] * size,
        "numerator": _whole(numerator),
        "denominator": (
            np.full(size, np.nan)
            if result.denominator is None
            else _whole(np.broadcast_to(np.asarray(result.denominator), np.shape(result.value)).reshape(-1))
        ),
        "value": value,
        "lower": _limit(result.lower, size),
        "upper": _limit(result.upper, size),
        "confidence": np.full(size, np.nan if result.confidence is None else result.confidence),
        "method": _methods(result, numerator),
        "unit": [result.unit] * size,
    }
    for lang in ("zh", "en"):
        columns[f"display_{lang}"] = np.asarray(result.format(lang)).reshape(-1).tolist()
    for lang in ("zh", "en"):
        shown = format_result(result, lang) if result.intervals else result.format(lang)
        columns[f"interval_{lang}"] = np.asarray(shown).reshape(-1).tolist()
    frame = nw.from_dict(columns, backend=backend)
    floats = [name for name, dtype in frame.schema.items() if dtype.is_float()]
    frame = frame.with_columns(nw.col(*floats).fill_nan(None))
    native = frame.to_native()
    if index is not None:
        if nw.maybe_get_index(frame) is None:
            raise InvalidOptionError(f"index= labels the rows of a pandas or modin frame, not of {backend}")
        native.index = index
    return native


def _whole(counts: np.ndarray) -> np.ndarray:
    """Counts as int64 when every one is whole (as integers were given)."""
    if counts.dtype.kind in "iu":
        return counts.astype(np.int64, copy=False)
    counts = counts.astype(np.float64, copy=False)
    whole = counts.size and np.isfinite(counts).all() and (counts == np.floor(counts)).all()
    if whole and np.abs(counts).max() < 2.0**53:
        return counts.astype(np.int64)
    return counts


def _limit(limit: object, size: int) -> np.ndarray:
    if limit is None:
        return np.full(size, np.nan)
    return np.asarray(limit, dtype=np.float64).reshape(-1)


def _methods(result: Tabular, numerator: np.ndarray) -> list[str | None]:
    if result.method is None:
        return [None] * numerator.size
    if result.method == "auto":
        return np.where(numerator < EXACT_BELOW, "exact", "byar").tolist()
    return [result.method] * numerator.size
