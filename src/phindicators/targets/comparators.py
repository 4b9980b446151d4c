"""Comparators: the signed gap from a value to its threshold(s), and "met" from the gap, vectorised."""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _threads
from ..errors import TargetError
from ..units import conversion_factor

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


class Comparator(enum.StrEnum):
    """How a value is held to a target's threshold(s); see :data:`COMPARATORS`.

    ``RELATIVE_CHANGE`` is a change from a baseline value, stored as a
    fraction (``-1/4`` for "下降1/4"): a decrease resolves to ``<=
    baseline × (1 + change)``, an increase to ``>=``. It "at least" achieves
    the change, as plans mean it.

    Examples
    --------
    >>> Comparator("<="), COMPARATORS[Comparator("<=")].symbol
    (<Comparator.AT_MOST: '<='>, '≤')
    """

    AT_LEAST = ">="
    ABOVE = ">"
    AT_MOST = "<="
    BELOW = "<"
    BETWEEN = "between"
    RELATIVE_CHANGE = "relative_change"

_RELATIVE_TOLERANCE = 1e-9

Thresholds = tuple[float, ...]

# The factor between two units, per pair: the exact-fraction arithmetic of
# conversion_factor costs more than the rest of a scalar check.
_factor = functools.lru_cache(maxsize=256)(conversion_factor)


def _difference(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
    """a - b, exactly 0 where a and b are equal up to the tolerance.

    "Equal" is :func:`numpy.isclose`'s test with ``b`` as the reference;
    two Python floats get the same test in plain arithmetic (the path of an
    app checking one value per request).
    """
    if type(a) is float and type(b) is float:
        close = (abs(a - b) <= _RELATIVE_TOLERANCE * abs(b) and math.isfinite(b)) or a == b
        return 0.0 if close else a - b
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    # Near the float range a - b overflows to ±inf, which is the gap; inf - inf
    # is NaN only where isclose calls two equal infinities close.
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isclose(a, b, rtol=_RELATIVE_TOLERANCE, atol=0.0)
        return np.where(close, 0.0, a - b)


def _lowest(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
    """The smaller of a and b, NaN if either is (as :func:`numpy.minimum`)."""
    if type(a) is float and type(b) is float:
        return math.nan if math.isnan(a) or math.isnan(b) else min(a, b)
    return np.minimum(a, b)


@attrs.frozen
class ComparatorSpec:
    """How one comparator behaves.

    Attributes
    ----------
    symbol : str
        How it is printed ("≤").
    n_thresholds : int
        How many thresholds a target stores (2 for between, 0 for a relative
        change, whose threshold is resolved from the baseline).
    direction : str
        ``"up"`` (higher values meet it), ``"down"`` or ``"range"``; ``""``
        for a relative change, whose sign decides.
    strict : bool
        Whether a gap of exactly 0 fails (> and <).
    gap : callable or None
        ``gap(values, thresholds)``: signed distance, >= 0 when met. None for
        a relative change, which resolves to ``>=`` or ``<=`` first.

    Examples
    --------
    >>> spec = COMPARATORS[Comparator.BETWEEN]
    >>> spec.gap(np.array([102.0, 105.0]), (103.0, 107.0)).tolist()
    [-1.0, 0.0]
    """

    symbol: str
    n_thresholds: int
    direction: str
    strict: bool
    gap: Callable[[Any, Thresholds], Any] | None


#: Behaviour of each comparator. For ``BETWEEN`` the gap is 0 inside
#: [low, high] and minus the distance to the nearest bound outside it.
COMPARATORS: dict[Comparator, ComparatorSpec] = {
    Comparator.AT_LEAST: ComparatorSpec("≥", 1, "up", False, lambda v, t: _difference(v, t[0])),
    Comparator.ABOVE: ComparatorSpec(">", 1, "up", True, lambda v, t: _difference(v, t[0])),
    Comparator.AT_MOST: ComparatorSpec("≤", 1, "down", False, lambda v, t: _difference(t[0], v)),
    Comparator.BELOW: ComparatorSpec("<", 1, "down", True, lambda v, t: _difference(t[0], v)),
    Comparator.BETWEEN: ComparatorSpec(
        "in",
        2,
        "range",
        False,
        lambda v, t: _lowest(0.0, _lowest(_difference(v, t[0]), _difference(t[1], v))),
    ),
    Comparator.RELATIVE_CHANGE: ComparatorSpec("Δ", 0, "", False, None),
}


def _gap_of(values: np.ndarray, spec: ComparatorSpec, thresholds: Thresholds) -> np.ndarray:
    """The gap of a block of values (for dask's map_blocks)."""
    return spec.gap(np.asarray(values, dtype=np.float64), thresholds)  # type: ignore[misc]


def _met_up(values: np.ndarray, threshold: float, strict: bool, out: np.ndarray, work: np.ndarray) -> None:
    # The gap is v - t, 0 where |v - t| <= r·|t|: it is >= 0 exactly where
    # v - t >= -r·|t|, and > 0 where v - t > r·|t| (r the tolerance; NaN
    # fails). _met sends non-finite thresholds to the gap, so the cutoff exists.
    np.greater_equal(values, _up_cutoff(threshold, strict), out=out)


@functools.lru_cache(maxsize=256)
def _up_cutoff(threshold: float, strict: bool) -> float:
    """The least float ``v`` that meets an upward target at a finite ``threshold``.

    Rounded subtraction is monotone, so the values ``v`` whose rounded
    ``v - t`` passes :func:`_met_up`'s test are exactly those ``>=`` some
    float: one comparison per value then gives the same answer, bit for bit,
    as subtracting and comparing. It lies within a few ulps of ``t - r·|t|``
    (``t + r·|t|`` if strict); a step at a time finds it: for ``v`` within a
    factor 2 of ``t`` the subtraction is exact (Sterbenz), so the first
    guess is off by its own rounding, an ulp at most.
    """
    limit = _RELATIVE_TOLERANCE * abs(threshold)

    def meets(v: float) -> bool:
        return v - threshold > limit if strict else v - threshold >= -limit

    cutoff = threshold + limit if strict else threshold - limit
    for _ in range(64):
        if meets(cutoff):
            below = math.nextafter(cutoff, -math.inf)
            if not meets(below):
                return cutoff
            cutoff = below
        else:
            cutoff = math.nextafter(cutoff, math.inf)
    # Unreachable (see above); a library error, as every raise is (tests/test_robustness.py).
    raise TargetError(f"no cutoff within 64 ulps of {threshold!r}")  # pragma: no cover


def _met_down(values: np.ndarray, threshold: float, strict: bool, out: np.ndarray, work: np.ndarray) -> None:
    # The gap is t - v, 0 where |t - v| <= r·|v| for a finite v: for finite
    # v it is >= 0 where t - v >= -r·|v| and > 0 where t - v > r·|v|. An
    # infinite v is never close: +inf misses and -inf meets either way.
    np.subtract(threshold, values, out=work[0])
    np.abs(values, out=work[1])
    work[1] *= _RELATIVE_TOLERANCE
    if strict:
        np.greater(work[0], work[1], out=out)
        out |= values == -np.inf
    else:
        np.negative(work[1], out=work[1])
        np.greater_equal(work[0], work[1], out=out)
        out &= values < np.inf


_MET_SIDES = {"up": _met_up, "down": _met_down}


def _met(values: np.ndarray, spec: ComparatorSpec, thresholds: Thresholds) -> np.ndarray:
    """Whether each value meets the comparator at scalar thresholds: the
    same answer as ``spec.gap(values, thresholds) >= 0`` (``> 0`` if
    strict), by blocks and without building the gap array."""
    values = np.asarray(values, dtype=np.float64)
    if not all(math.isfinite(t) for t in thresholds):
        # A threshold that overflowed (a huge baseline times 1 + change, or a
        # unit conversion) or NaN: infinities minus themselves make the
        # shortcuts below wrong, and nothing is gained by them; the gap decides.
        gap = spec.gap(values, thresholds)  # type: ignore[misc]
        return np.asarray(gap > 0 if spec.strict else gap >= 0)
    flat = values.reshape(-1)
    met = np.empty(flat.size, dtype=bool)
    sides: tuple[tuple[str, float], ...] = ((spec.direction, thresholds[0]),)
    if spec.direction == "range":
        sides = (("up", thresholds[0]), ("down", thresholds[1]))
    if len(sides) == 1 and sides[0][0] == "up":
        cutoff = _up_cutoff(sides[0][1], spec.strict)
        # One comparison, nothing to keep in cache: no blocks (nor threads,
        # which only add their start-up to a pass bound by memory).
        np.greater_equal(flat, cutoff, out=met)
        return met.reshape(values.shape)
    rows = _threads.BLOCK_ROWS
    work = np.empty((2, min(flat.size, rows)))
    part = np.empty(min(flat.size, rows), dtype=bool)
    for start in range(0, flat.size, rows):
        block, out = flat[start : start + rows], met[start : start + rows]
        size = block.size
        for i, (side, threshold) in enumerate(sides):
            _MET_SIDES[side](block, threshold, spec.strict, part[:size] if i else out, work[:, :size])
            if i:
                out &= part[:size]
    return met.reshape(values.shape)
