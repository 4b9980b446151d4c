"""Confidence levels: fractions or percentages, checked once, and their z values."""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from .._text import shown
from ..errors import InvalidOptionError

Confidence = float | Sequence[float]

_LEVEL_RANGES = "a fraction in [0.9, 1) or a percentage in [90, 100)"


# ---------------------------------------------------------------- confidence


@functools.lru_cache(maxsize=64)
def _level(confidence: float) -> float:
    level = None
    if 0.9 <= confidence < 1:
        level = float(confidence)
    elif 90 <= confidence < 100:
        # Exact decimal scaling: 99.8 % is 0.998, not 0.9979999999999999.
        level = float(Decimal(repr(float(confidence))) / 100)
    # A percentage just below 100 may scale to a fraction that rounds to 1.
    if level is None or level >= 1:
        raise InvalidOptionError(f"confidence must be {_LEVEL_RANGES}, got {confidence!r}")
    return level


def _one_level(confidence: object) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real):
        raise InvalidOptionError(
            f"confidence must be {_LEVEL_RANGES} (or a sequence of them), got {shown(confidence)}"
        )
    try:
        value = float(confidence)
    except OverflowError:  # an int or Fraction beyond float range
        raise InvalidOptionError(f"confidence must be {_LEVEL_RANGES}, got {shown(confidence)}") from None
    if math.isnan(value):
        raise InvalidOptionError(f"confidence must be {_LEVEL_RANGES}, got nan")
    return _level(value)


def confidence_levels(confidence: Confidence) -> tuple[float, ...]:
    """The confidence level(s) asked for, as fractions.

    Parameters
    ----------
    confidence : float or sequence of float
        A fraction in [0.9, 1) or a percentage in [90, 100); a sequence asks
        for several levels at once, e.g. ``(0.95, 0.998)``.

    Returns
    -------
    tuple of float
        One fraction per level, in the order given.

    Raises
    ------
    InvalidOptionError
        A level outside the ranges, a repeated level, an empty sequence or
        something that is not a number.

    Examples
    --------
    >>> confidence_levels(95)
    (0.95,)
    >>> confidence_levels((0.95, 99.8))
    (0.95, 0.998)
    >>> confidence_levels(0.5)
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: confidence must be a fraction in [0.9, 1) \
or a percentage in [90, 100), got 0.5
    """
    if type(confidence) is float or type(confidence) is tuple:
        try:
            return _cached_levels(confidence)
        except TypeError:  # a tuple holding something unhashable
            pass
    return _levels(confidence)


@functools.lru_cache(maxsize=64)
def _cached_levels(confidence: float | tuple[float, ...]) -> tuple[float, ...]:
    # The per-call path of an app computing one value: skip the checks.
    return _levels(confidence)


def _levels(confidence: Confidence) -> tuple[float, ...]:
    if isinstance(confidence, np.ndarray) and confidence.ndim == 0:
        confidence = confidence.item()  # np.array(0.95): one level
    if isinstance(confidence, numbers.Real) and not isinstance(confidence, bool):
        return (_one_level(confidence),)
    if isinstance(confidence, str | bytes) or not isinstance(confidence, Sequence | np.ndarray):
        raise InvalidOptionError(
            f"confidence must be {_LEVEL_RANGES} (or a sequence of them), got {shown(confidence)}"
        )
    levels = tuple(_one_level(c) for c in confidence)
    if not levels:
        raise InvalidOptionError("confidence must name at least one level, got an empty sequence")
    if len(set(levels)) != len(levels):
        raise InvalidOptionError(f"confidence levels must differ, got {list(confidence)}")
    return levels


def single(confidence: Confidence) -> bool:
    return isinstance(confidence, numbers.Real)


@functools.lru_cache(maxsize=64)
def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile of a confidence level.

    Cached per level: the interval functions call it once per level, never
    per element. It is computed from the tail ``(1 - level) / 2``, which is
    exact for levels in [0.5, 1); ``0.5 + level / 2`` would round near 1
    (to 1.0 itself at the top level below 1, where the quantile is
    infinite).

    Examples
    --------
    >>> round(z_value(0.95), 6), round(z_value(0.998), 6)
    (1.959964, 3.090232)
    >>> round(z_value(0.9999999999999999), 3)
    8.292
    """
    from statistics import NormalDist  # imported on first use: import stays cheap

    return -NormalDist().inv_cdf((1.0 - _one_level(confidence)) / 2)
