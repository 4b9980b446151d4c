"""Turning values into the strings reports print.

Rounding is half-up on the decimal figure (四舍五入), as a person with a
calculator rounds, not Python's round-half-even on the binary float: 12.345
displays as "12.35" at two decimals.

Examples
--------
>>> format_value(92.678405931417, "per_hundred_thousand", 2, "zh")
'92.68/10万'
>>> format_value(92.678405931417, "per_hundred_thousand", 2, "en", "live births")
'92.68 per 100,000 live births'
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from .errors import InvalidOptionError
from .units import unit_spec

__all__ = ["LANGUAGES", "MISSING", "format_number", "format_value"]

#: Languages a value can be displayed in.
LANGUAGES = ("zh", "en")

#: What a missing (NaN) value displays as.
MISSING = "—"


def format_number(value: float, decimals: int, *, grouping: bool = False) -> str:
    """Round half-up to ``decimals`` places and print, optionally with commas.

    Examples
    --------
    >>> format_number(12.345, 2)
    '12.35'
    >>> format_number(1352.0, 0, grouping=True)
    '1,352'
    """
    if math.isnan(value):
        return MISSING
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    # repr gives the shortest decimal that round-trips, i.e. the figure a
    # person would read off the float.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00"
    return f"{rounded:,f}" if grouping else f"{rounded:f}"


def format_value(
    value: float | np.ndarray,
    unit: str,
    decimals: int,
    lang: str = "zh",
    denominator: str = "",
) -> str | np.ndarray:
    """Display a value (or every element of an array) in ``unit``.

    Parameters
    ----------
    value : float or ndarray
        Value(s) already expressed in ``unit``.
    unit : str
        A unit of :data:`phindicators.units.UNITS`.
    decimals : int
        Places after the decimal point.
    lang : {"zh", "en"}
        Chinese uses the report's signs ("%", "‰", "/10万"); English spells
        out per-N units with the denominator's name.
    denominator : str
        English name of the denominator, e.g. "live births".

    Returns
    -------
    str or ndarray of str
        A string for a scalar, an array of the same shape for an array.
    """
    if lang not in LANGUAGES:
        raise InvalidOptionError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    template = getattr(unit_spec(unit), lang)
    grouping = lang == "en"

    def one(number: float) -> str:
        text = format_number(number, decimals, grouping=grouping)
        if text == MISSING:
            return text
        return template.format(value=text, denominator=denominator).rstrip()

    if np.ndim(value) == 0:
        return one(float(value))
    array = np.asarray(value, dtype=np.float64)
    return np.array([one(v) for v in array.ravel().tolist()], dtype=str).reshape(array.shape)
