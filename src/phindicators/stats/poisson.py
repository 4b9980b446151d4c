"""Intervals for counts of events: exact Poisson limits and Byar's approximation."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .._counts import checked_counts
from .._options import check_choice, check_multiplier
from ._arrays import blockwise
from .lazy import is_lazy
from .levels import Confidence, confidence_levels, single, z_value
from .methods import POISSON_METHODS, Kernel
from .proportions import lazy_intervals, scaled_ratio
from .results import Interval, Values

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike


#: Below this many events, "auto" uses exact Poisson limits; the Fingertips
#: technical guide finds Byar's method within 0.2 % of exact from 10 events.
EXACT_BELOW = 10


# -------------------------------------------------------------------- counts


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu), for small k."""
    term = total = 1.0
    for j in range(1, k + 1):
        term *= mu / j
        total += term
    return math.exp(-mu) * total


def _solve_decreasing(f: Callable[[float], float], target: float, low: float, high: float) -> float:
    """The root of f(x) = target for f decreasing on [low, high], by bisection
    down to adjacent floats."""
    while high - low > 0:
        mid = (low + high) / 2
        if mid in (low, high):
            break
        if f(mid) > target:
            low = mid
        else:
            high = mid
    return (low + high) / 2


@functools.lru_cache(maxsize=64)
def _exact_table(level: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Exact Poisson limits of the counts 0..EXACT_BELOW-1 at ``level``.

    Only ten counts per level ever need exact limits under "auto", so they
    are solved once, in plain Python (no scipy), and looked up after.
    """
    tail = (1 - level) / 2
    lows, highs = [0.0], []
    for count in range(EXACT_BELOW):
        # Upper limit U: P(X <= count | U) = tail.
        high = count + 1.0
        while _poisson_cdf(count, high) > tail:
            high *= 2
        highs.append(_solve_decreasing(functools.partial(_poisson_cdf, count), tail, count, high))
        if count:
            # Lower limit L: P(X >= count | L) = tail, i.e. P(X <= count-1 | L) = 1 - tail.
            lows.append(
                _solve_decreasing(
                    functools.partial(_poisson_cdf, count - 1), 1 - tail, 0.0, float(count)
                )
            )
    return tuple(lows), tuple(highs)


def _exact_scalar(count: float, level: float) -> tuple[float, float]:
    if count < EXACT_BELOW and count == int(count):
        lows, highs = _exact_table(level)
        return lows[int(count)], highs[int(count)]
    from scipy import special

    # count > 0 here: the whole counts below EXACT_BELOW, 0 among them, were
    # looked up above, and checked counts are >= 0.
    tail = (1 - level) / 2
    return float(special.gammaincinv(count, tail)), float(special.gammaincinv(count + 1, 1 - tail))


def _byar_scalar(count: float, z: float) -> tuple[float, float]:
    # The same steps as _byar_block, so that scalars and arrays agree to the bit.
    lower = 0.0
    if count > 0:
        base = 1.0 - 1.0 / (9.0 * count) - z / (3.0 * math.sqrt(count))
        lower = max(base * (base * base) * count, 0.0)  # dips below 0 for 1-2 events at 99.8 %
    c1 = count + 1.0
    base = 1.0 - 1.0 / (9.0 * c1) + z / (3.0 * math.sqrt(c1))
    return lower, base * (base * base) * c1


def _byar_block(c: np.ndarray, z: float, lower: np.ndarray, upper: np.ndarray) -> None:
    """Byar's limits of the counts ``c`` into ``lower`` and ``upper``."""
    for out, shift, sign in ((lower, 0.0, -1.0), (upper, 1.0, 1.0)):
        cc = c + shift if shift else c
        t = np.sqrt(cc)
        t *= 3.0
        np.divide(z * sign, t, out=t)
        np.multiply(cc, 9.0, out=out)
        np.divide(1.0, out, out=out)
        np.subtract(1.0, out, out=out)
        out += t
        np.multiply(out, out, out=t)
        out *= t
        out *= cc


def _patch_exact(c: np.ndarray, level: float, lower: np.ndarray, upper: np.ndarray) -> None:
    """Overwrite the limits of counts below EXACT_BELOW with exact ones."""
    small = c < EXACT_BELOW
    if not small.any():
        return
    # Look every count up in the table (counts from EXACT_BELOW up at its
    # last entry) and keep the small ones: no gather or scatter of the
    # small counts, which would cost more than the arithmetic.
    index = np.minimum(c, EXACT_BELOW - 1).astype(np.intp)
    lows, highs = _exact_arrays(level)
    np.copyto(lower, lows.take(index), where=small)
    np.copyto(upper, highs.take(index), where=small)
    fractional = small & (index != c)
    if fractional.any():  # fractional counts fall outside the table
        lower[fractional], upper[fractional] = _exact_array(c[fractional], level)


@functools.lru_cache(maxsize=64)
def _exact_arrays(level: float) -> tuple[np.ndarray, np.ndarray]:
    lows, highs = _exact_table(level)
    return np.array(lows), np.array(highs)


def _exact_array(c: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    from scipy import special

    # Every c > 0: the kernel passes counts >= EXACT_BELOW, _patch_exact the
    # fractional ones below it (a count of 0, even -0.0, is whole, so it is
    # looked up in the table instead).
    tail = (1 - level) / 2
    return special.gammaincinv(c, tail), special.gammaincinv(c + 1, 1 - tail)


def poisson_kernel(method: str, level: float, scale: float) -> Kernel:
    z = z_value(level)

    def kernel(
        c: np.ndarray, e: np.ndarray | float, lower: np.ndarray, upper: np.ndarray, ratio: object = None
    ) -> None:
        if method == "exact":
            large = c >= EXACT_BELOW
            if large.any():
                lower[large], upper[large] = _exact_array(c[large], level)
        else:
            _byar_block(c, z, lower, upper)
            if method == "byar":
                np.fmax(lower, 0.0, out=lower)  # c = 0 gives NaN, small c a negative dip
        if method != "byar":
            _patch_exact(c, level, lower, upper)
        factor = scale / e
        lower *= factor
        upper *= factor

    return kernel


def poisson_bounds(
    count: Any, exposure: Any, level: float, scale: float, method: str
) -> tuple[Values, Values, str]:
    """Poisson limits of checked counts divided by exposure, times ``scale``,
    and the method actually used."""
    if isinstance(count, float) and isinstance(exposure, float):
        used = method
        if method == "auto":
            used = "exact" if count < EXACT_BELOW else "byar"
        if used == "exact":
            lower, upper = _exact_scalar(count, level)
        else:
            lower, upper = _byar_scalar(count, z_value(level))
        factor = scale / exposure
        return lower * factor, upper * factor, used
    lows, highs = blockwise(poisson_kernel(method, level, scale), (count, exposure), 2)
    return lows, highs, method


def poisson_interval(
    count: ArrayLike,
    exposure: ArrayLike = 1.0,
    confidence: Confidence = 0.95,
    *,
    method: str = "auto",
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Confidence interval of a count of events, or of a rate count / exposure.

    Parameters
    ----------
    count : array_like
        Observed events (>= 0).
    exposure : array_like
        The denominator (population, live births, person-years; > 0);
        1 for a bare count. Treated as fixed.
    confidence : float or sequence of float
        0.95 by default; ``(0.95, 0.998)`` gives both intervals.
    method : {"auto", "exact", "byar"}
        ``"exact"``: limits from chi-squared quantiles,
        ``χ²(α/2; 2x)/2`` and ``χ²(1−α/2; 2x+2)/2``. ``"byar"``: Byar's
        approximation, ``x(1 − 1/(9x) − z/(3√x))³`` and
        ``(x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³`` (lower limit clipped at 0).
        ``"auto"`` (PHE's rule): exact below 10 events, Byar's from 10.
    multiplier : float
        Scale of value and limits: 100 000 for a rate per 10万. A finite
        number > 0, at most :data:`MAX_MULTIPLIER`.

    Returns
    -------
    Interval or tuple of Interval

    Raises
    ------
    InvalidCountsError
        Negative or non-finite counts or exposures, values of 2**53 or
        more, fractions below :data:`SMALLEST_COUNT`, a zero exposure.
    InvalidOptionError
        An unknown method, a confidence level out of range or a bad
        multiplier.

    Examples
    --------
    Exact limits of 10 events (Garwood's table: 4.795 to 18.390), and a
    maternal mortality ratio of 2 deaths in 2158 live births per 10万:

    >>> ci = poisson_interval(10, method="exact")
    >>> round(ci.lower, 3), round(ci.upper, 3)
    (4.795, 18.39)
    >>> ci = poisson_interval(2, 2158, multiplier=100_000)
    >>> round(ci.value, 2), round(ci.lower, 2), round(ci.upper, 2), ci.method
    (92.68, 11.22, 334.79, 'exact')
    """
    method = check_choice("method", method, POISSON_METHODS)
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    if is_lazy(count) or is_lazy(exposure):
        intervals = lazy_intervals(_poisson_intervals, (count, exposure), levels, method, multiplier)
    else:
        intervals = _poisson_intervals(count, exposure, levels, method, multiplier)
    return intervals[0] if single(confidence) else intervals


def _poisson_intervals(
    count: ArrayLike,
    exposure: ArrayLike,
    levels: tuple[float, ...],
    method: str,
    multiplier: float,
    origin: tuple[int, ...] = (),
) -> tuple[Interval, ...]:
    count, exposure = checked_counts(
        "poisson_interval", {"count": count, "exposure": exposure}, positive=("exposure",), origin=origin
    )
    value = scaled_ratio(count, exposure, multiplier)
    intervals = []
    for level in levels:
        lower, upper, used = poisson_bounds(count, exposure, level, multiplier, method)
        intervals.append(Interval(value, lower, upper, level, used))
    return tuple(intervals)


def exact_poisson_interval(
    count: ArrayLike,
    exposure: ArrayLike = 1.0,
    confidence: Confidence = 0.95,
    *,
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Exact Poisson interval from chi-squared quantiles; see :func:`poisson_interval`.

    Examples
    --------
    >>> ci = exact_poisson_interval(0)
    >>> ci.lower, round(ci.upper, 4)
    (0.0, 3.6889)
    """
    return poisson_interval(count, exposure, confidence, method="exact", multiplier=multiplier)


def byar_interval(
    count: ArrayLike,
    exposure: ArrayLike = 1.0,
    confidence: Confidence = 0.95,
    *,
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Byar's approximation to the exact Poisson interval; see :func:`poisson_interval`.

    Examples
    --------
    >>> ci = byar_interval(100)
    >>> round(ci.lower, 2), round(ci.upper, 2)
    (81.36, 121.63)
    """
    return poisson_interval(count, exposure, confidence, method="byar", multiplier=multiplier)
