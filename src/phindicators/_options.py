"""Checks of options shared by the statistics and the layers above: multipliers, choices, axes."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from ._counts import MAX_EXACT_COUNT
from ._text import shown
from .errors import InvalidOptionError

#: The largest ``multiplier`` (scale of values and limits). Multipliers are
#: powers of ten such as 100 or 100 000; bounding them as counts are bounded
#: (below 2**53, ``phindicators.validation.MAX_EXACT_COUNT``) keeps every
#: value and limit of counts in range a finite float.
MAX_MULTIPLIER = MAX_EXACT_COUNT


def check_multiplier(multiplier: object) -> float:
    """The ``multiplier`` option as a float, checked once per call: a finite
    number > 0 and at most :data:`MAX_MULTIPLIER` (NaN would give NaN limits,
    a negative one limits the wrong way round)."""
    if not isinstance(multiplier, numbers.Real) or isinstance(multiplier, bool):
        raise InvalidOptionError(f"multiplier must be a number > 0, got {shown(multiplier)}")
    try:
        value = float(multiplier)
    except OverflowError:
        value = math.inf
    if not 0 < value <= MAX_MULTIPLIER:  # NaN fails too
        raise InvalidOptionError(
            f"multiplier must be a finite number > 0 and at most 2**53, got {shown(multiplier)}"
        )
    return value


def check_choice(option: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidOptionError(
            f"{option} must be one of {', '.join(map(repr, allowed))}, got {value!r}"
        )
    return value


def check_axis(where: str, axis: object, ndim: int) -> int:
    """``axis`` of an array of ``ndim`` dimensions, made non-negative.

    Raises
    ------
    InvalidOptionError
        An axis that is not an integer, or not in ``[-ndim, ndim)``: numpy
        would raise its own AxisError, or an IndexError from a shape lookup.

    Examples
    --------
    >>> check_axis("trend_test", -1, 2)
    1
    >>> check_axis("trend_test", 2, 2)
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: trend_test: axis 2 is out of range for an array of 2 dimensions \
(an axis must be in [-2, 2))
    """
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise InvalidOptionError(f"{where}: axis must be an integer, got {shown(axis)}")
    index = int(axis)
    if not -ndim <= index < ndim:
        raise InvalidOptionError(
            f"{where}: axis {index} is out of range for an array of {ndim} dimension{'s' * (ndim != 1)} "
            f"(an axis must be in [{-ndim}, {ndim}))"
        )
    return index % ndim
