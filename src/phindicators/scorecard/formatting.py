"""Display strings for whole columns at once, for scorecards of a million rows.

:func:`phindicators.display.format_value` and
:func:`~phindicators.display.format_interval` build one Python string per
row, which was most of a large scorecard's time. Here the digits are made
by integer arithmetic and pyarrow's string kernels join them (C++, no
Python per row), giving exactly the strings of those functions: the few
values near a rounding tie, at or above 1 000 in English (thousands
separators) or infinite are handed to
:func:`~phindicators.display.format_number` one by one, as ``display``
does itself. Without pyarrow the ``display`` functions are used as they are.

The words around the numbers are not copied from ``display``: they are read
off its output for two known values (:func:`_affixes`), so that the two
cannot drift apart.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np

from ..display import MISSING, format_interval, format_number, format_value

__all__ = ["format_displays", "format_intervals", "format_values", "has_pyarrow"]

# A scaled value closer to a tie than this (relative to its size) is
# rounded by Decimal in display.format_number; the fast path keeps away
# from it. Float error is below 1e-15 of the value.
_TIE_MARGIN = 1e-9
# Beyond this many decimals or this size, a float64 does not hold the scaled
# value's integer part exactly.
_MAX_DECIMALS = 15
_MAX_SCALED = 2.0**52
# English groups thousands ("1,352.00"); such values are few in a scorecard
# and are formatted one by one.
_GROUPED_FROM = 1000.0

#: Set to "1" to use the display functions even when pyarrow is installed
#: (to compare the two).
NO_PYARROW_VARIABLE = "PHINDICATORS_NO_PYARROW"


@functools.cache
def has_pyarrow() -> bool:
    """Whether the vectorised path is available (pyarrow installed, not
    turned off by :data:`NO_PYARROW_VARIABLE`)."""
    if os.environ.get(NO_PYARROW_VARIABLE) == "1":
        return False
    try:
        import pyarrow.compute  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


def _common_prefix(a: str, b: str) -> str:
    return os.path.commonprefix([a, b])


def _common_suffix(a: str, b: str) -> str:
    return os.path.commonprefix([a[::-1], b[::-1]])[::-1]


@functools.cache
def _affixes(unit: str, lang: str, denominator: str, confidence: float) -> tuple[str, str, str, str, str]:
    """``head``, ``tail``, ``limit_tail``, ``opening``, ``closing`` of
    ``display``'s strings: "{head}{value}{tail}" and
    "{head}{value}{tail}{opening}{lower}{limit_tail}–{upper}{limit_tail}{closing}",
    read off its output for the values 1 (2, 3) and 4 (5, 6) at 0 decimals."""
    one = str(format_value(1.0, unit, 0, lang, denominator))
    four = str(format_value(4.0, unit, 0, lang, denominator))
    head, tail = _common_prefix(one, four), _common_suffix(one, four)
    first = str(format_interval(1.0, 2.0, 3.0, unit, 0, lang, confidence=confidence, denominator=denominator))
    second = str(format_interval(4.0, 5.0, 6.0, unit, 0, lang, confidence=confidence, denominator=denominator))
    rest_a, rest_b = first[len(one) :], second[len(four) :]
    opening = _common_prefix(rest_a, rest_b)
    after = rest_a[len(opening) + 1 :]  # "{limit_tail}–3{limit_tail}{closing}"
    limit_tail = after[: after.index("–")]
    closing = after[2 * len(limit_tail) + 2 :]
    return head, tail, limit_tail, opening, closing


def _numbers(values: np.ndarray, decimals: int) -> tuple[Any, Any]:
    """``display.format_numbers`` of ``values`` without and with thousands
    separators, as two pyarrow string arrays (the same one when no value
    reaches 1 000)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.abs(flat) * 10.0**decimals
        rounded = np.floor(scaled + 0.5)
        distance = np.abs(scaled - np.floor(scaled) - 0.5)
        fast = np.isfinite(scaled) & (scaled < _MAX_SCALED) & (distance > _TIE_MARGIN * (scaled + 1.0))
        # 999.6 shows as "1,000" at 0 decimals: the rounded value decides.
        grouped = ~fast | (rounded >= _GROUPED_FROM * 10.0**decimals)
    if decimals > _MAX_DECIMALS:
        fast[:] = False
        grouped[:] = True
    whole = np.where(fast, rounded, 0.0).astype(np.int64)
    unit = 10**decimals
    texts = pc.cast(_int64s(whole // unit), pa.string())
    if decimals:
        fraction = pc.utf8_lpad(pc.cast(_int64s(whole % unit), pa.string()), decimals, "0")
        texts = pc.binary_join_element_wise(texts, fraction, ".")
    negative = np.signbit(flat) & (whole != 0)
    if negative.any():
        texts = pc.if_else(_booleans(negative), pc.binary_join_element_wise("-", texts, ""), texts)
    plain = _replaced(texts, flat, ~fast, decimals, grouping=False)
    if not grouped.any():
        return plain, plain
    return plain, _replaced(texts, flat, grouped, decimals, grouping=True)


def _replaced(texts: Any, flat: np.ndarray, mask: np.ndarray, decimals: int, *, grouping: bool) -> Any:
    """``texts`` with the elements at ``mask`` formatted one by one by
    :func:`~phindicators.display.format_number`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    positions = np.flatnonzero(mask)
    if not positions.size:
        return texts
    replacements = [format_number(float(flat[i]), decimals, grouping=grouping) for i in positions.tolist()]
    return pc.replace_with_mask(texts, _booleans(mask), pa.array(replacements, pa.string()))


def _int64s(values: np.ndarray) -> Any:
    """A numpy int64 array as a pyarrow array, zero-copy (pa.array would
    import pandas to look for a Series)."""
    import pyarrow as pa

    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), values.size, [None, pa.py_buffer(values)])


def _booleans(mask: np.ndarray) -> Any:
    import pyarrow as pa

    packed = np.packbits(np.ascontiguousarray(mask, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), mask.size, [None, pa.py_buffer(packed)])


def _join(*parts: Any) -> Any:
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(*parts, "")


def format_values(
    values: np.ndarray, unit: str, decimals: int, lang: str, denominator: str = ""
) -> Any:
    """:func:`phindicators.display.format_value` of a 1-d array, as a
    pyarrow string array (an object array of str without pyarrow).

    Examples
    --------
    >>> import numpy as np
    >>> shown = format_values(np.array([92.678, np.nan, 1352.0]), "per_hundred_thousand", 2, "en",
    ...                       "live births")
    >>> [str(text) for text in shown]
    ['92.68 per 100,000 live births', '—', '1,352.00 per 100,000 live births']
    """
    if not has_pyarrow():
        return np.asarray(format_value(values, unit, decimals, lang, denominator), dtype=object)
    import pyarrow as pa

    head, tail, _, _, _ = _affixes(unit, lang, denominator, 0.95)
    numbers = _numbers(values, decimals)[lang == "en"]
    return _missing_as_dash(_join(pa.scalar(head), numbers, pa.scalar(tail)), values)


def format_intervals(
    values: np.ndarray,
    lower: np.ndarray | None,
    upper: np.ndarray | None,
    unit: str,
    decimals: int,
    lang: str,
    *,
    confidence: float = 0.95,
    denominator: str = "",
) -> Any:
    """:func:`phindicators.display.format_interval` of 1-d arrays, as a
    pyarrow string array (an object array of str without pyarrow).

    Examples
    --------
    >>> import numpy as np
    >>> shown = format_intervals(np.array([95.5176, np.nan]), np.array([94.5693, np.nan]),
    ...                          np.array([96.3243, np.nan]), "percent", 2, "zh")
    >>> [str(text) for text in shown]
    ['95.52%（95%置信区间 94.57%–96.32%）', '—']
    """
    if not has_pyarrow():
        shown = format_interval(
            values, lower, upper, unit, decimals, lang, confidence=confidence, denominator=denominator
        )
        return np.asarray(shown, dtype=object).reshape(-1)
    import pyarrow as pa

    grouping = lang == "en"
    affixes = _affixes(unit, lang, denominator, confidence)
    value_texts, low, high = (
        None if array is None else _numbers(array, decimals)[grouping] for array in (values, lower, upper)
    )
    display = _join(pa.scalar(affixes[0]), value_texts, pa.scalar(affixes[1]))
    return _interval_texts(display, low, high, values, lower, upper, affixes)


def _missing_as_dash(texts: Any, values: np.ndarray) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = np.isnan(values)
    if missing.any():
        texts = pc.if_else(_booleans(missing), pa.scalar(MISSING), texts)
    return texts


def _interval_texts(
    display: Any,
    low: Any,
    high: Any,
    values: np.ndarray,
    lower: np.ndarray | None,
    upper: np.ndarray | None,
    affixes: tuple[str, str, str, str, str],
) -> Any:
    """The value's display, then its interval where both limits are known."""
    import pyarrow as pa
    import pyarrow.compute as pc

    _, _, limit_tail, opening, closing = affixes
    shown = display
    if lower is not None and upper is not None:
        shown = _join(
            display,
            pa.scalar(opening),
            low,
            pa.scalar(limit_tail + "–"),
            high,
            pa.scalar(limit_tail + closing),
        )
        no_limits = np.isnan(lower) | np.isnan(upper)
        if no_limits.any():
            shown = pc.if_else(_booleans(no_limits), display, shown)
    return _missing_as_dash(shown, values)


def format_displays(
    values: np.ndarray,
    lower: np.ndarray | None,
    upper: np.ndarray | None,
    unit: str,
    decimals: int,
    *,
    confidence: float = 0.95,
    denominator: str = "",
) -> dict[str, Any]:
    """``display_zh``, ``display_en``, ``interval_zh`` and ``interval_en``
    of 1-d arrays at once (each number is made once), as
    :func:`format_values` and :func:`format_intervals` give them.

    Examples
    --------
    >>> import numpy as np
    >>> shown = format_displays(np.array([10.6580]), np.array([6.7565]), np.array([15.9924]),
    ...                         "permille", 2)
    >>> [str(shown[name][0]) for name in ("display_zh", "interval_en")]
    ['10.66‰', '10.66 per 1,000 (95% CI 6.76–15.99)']
    """
    if not has_pyarrow():
        shown: dict[str, Any] = {}
        for lang in ("zh", "en"):
            shown[f"display_{lang}"] = format_values(values, unit, decimals, lang, denominator)
            shown[f"interval_{lang}"] = format_intervals(
                values, lower, upper, unit, decimals, lang, confidence=confidence, denominator=denominator
            )
        return shown
    import pyarrow as pa

    numbers = [None if array is None else _numbers(array, decimals) for array in (values, lower, upper)]
    shown = {}
    for lang, grouping in (("zh", False), ("en", True)):
        affixes = _affixes(unit, lang, denominator, confidence)
        display = _join(pa.scalar(affixes[0]), numbers[0][grouping], pa.scalar(affixes[1]))  # type: ignore[index]
        low, high = (None if pair is None else pair[grouping] for pair in numbers[1:])
        shown[f"display_{lang}"] = _missing_as_dash(display, values)
        shown[f"interval_{lang}"] = _interval_texts(display, low, high, values, lower, upper, affixes)
    return shown
