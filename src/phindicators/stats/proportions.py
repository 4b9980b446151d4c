"""Intervals for proportions: Wilson's score interval and Clopper–Pearson."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .._counts import checked_counts
from .._options import check_choice, check_multiplier
from .._threads import BLOCK_ROWS, scratch
from ._arrays import blockwise
from .lazy import is_lazy, map_lazily
from .levels import Confidence, confidence_levels, single, z_value
from .methods import PROPORTION_METHODS, Kernel
from .results import Interval, Values

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

# --------------------------------------------------------------- proportions


#: Ones to clip against: numpy's minimum of an array with an array of ones
#: runs about twice as fast as with the scalar 1.0 (no vectorised loop for
#: a broadcast scalar).
_ONES = np.ones(BLOCK_ROWS)
_ONES.flags.writeable = False


def _ones_like(block: np.ndarray) -> np.ndarray | float:
    size = block.size
    if block.ndim == 1 and size <= _ONES.size:
        return _ONES[:size]
    return 1.0


#: Whole counts with denominators up to this need no clipping of Wilson's
#: upper limit (see :func:`wilson_kernel`): 2**40 is over a hundred times
#: the world's population.
WILSON_UNCLIPPED_MAX = float(2**40)


def _wilson_constants(z: float) -> tuple[float, float, float]:
    """z²/4, z²/2 and the sum ``(z·sqrt(z²/4)) + z²/2``: the value the
    kernel's ``s + z²/2`` takes at x = n, computed in the kernel's steps. It
    equals ``fl(z·z)`` bit for bit (halving and quartering are exact, and a
    correctly rounded ``sqrt(fl(z²))`` is ``|z|``), so the sum is kept only
    to mirror the kernel."""
    z2 = z * z
    quarter, half = z2 / 4, z2 / 2
    return quarter, half, math.sqrt(quarter) * z + half


def wilson_kernel(z: float, scale: float, whole: bool = False) -> Kernel:
    quarter, half, z2 = _wilson_constants(z)

    def kernel(
        x: np.ndarray, n: np.ndarray, lower: np.ndarray, upper: np.ndarray, ratio: np.ndarray | None = None
    ) -> None:
        # The same steps, in the same order, as _wilson_scalar: a scalar and
        # an array element give the same bits. Each step is one pass over
        # the block, so the order minimises passes: x·p serves both the
        # square root's x(1 - p) = x - x·p and the lower limit.
        p = x / n if ratio is None else ratio
        s = scratch("wilson", upper.size).reshape(upper.shape)
        np.multiply(x, p, out=lower)
        np.subtract(x, lower, out=s)
        s += quarter
        np.sqrt(s, out=s)
        s *= z
        s += half
        np.add(x, s, out=upper)
        # The lower limit (x + z²/2 - s) / (n + z²) equals x·p / (x + z²/2 + s):
        # that form has no cancellation near x = 0, and since x <= x + z²/2 + s
        # it keeps 0 <= lower <= p exactly without clipping.
        lower /= upper
        # With z² taken as the constant s + z²/2 has at x = n, the upper
        # limit at x = n is (n + z²) / (n + z²) = 1 exactly. For whole counts
        # with n <= WILSON_UNCLIPPED_MAX, p <= upper <= 1 then holds with a
        # margin of at least 1e-13 over rounding; otherwise clip.
        np.add(n, z2, out=s)
        upper /= s
        if not (whole and (np.size(n) == 0 or np.max(n) <= WILSON_UNCLIPPED_MAX)):
            np.maximum(upper, p, out=upper)
            np.minimum(upper, _ones_like(upper), out=upper)
        if scale != 1.0:
            lower *= scale
            upper *= scale

    return kernel


def _wilson_scalar(x: float, n: float, z: float, scale: float) -> tuple[float, float]:
    quarter, half, z2 = _wilson_constants(z)
    p = x / n
    xp = x * p
    total = x + (math.sqrt((x - xp) + quarter) * z + half)
    lower = xp / total
    upper = min(max(total / (n + z2), p), 1.0)
    if scale != 1.0:
        return lower * scale, upper * scale
    return lower, upper


def _wilson_bounds(x: Any, n: Any, level: float, scale: float) -> tuple[Values, Values]:
    """Wilson limits of checked counts (floats or arrays), times ``scale``."""
    if isinstance(x, float) and isinstance(n, float):
        return _wilson_scalar(x, n, z_value(level), scale)
    return blockwise(wilson_kernel(z_value(level), scale), (x, n), 2)  # type: ignore[return-value]


def _clopper_pearson_bounds(x: Any, n: Any, level: float, scale: float) -> tuple[Values, Values]:
    from scipy import special

    alpha = 1 - level
    x, n = np.asarray(x, dtype=np.float64), np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(x > 0, special.betaincinv(x, n - x + 1, alpha / 2), 0.0)
        upper = np.where(x < n, special.betaincinv(x + 1, n - x, 1 - alpha / 2), 1.0)
    lower, upper = lower * scale, upper * scale
    if lower.ndim == 0:
        return float(lower), float(upper)
    return lower, upper


PROPORTION_BOUNDS: dict[str, Callable[[Any, Any, float, float], tuple[Values, Values]]] = {
    "wilson": _wilson_bounds,
    "clopper_pearson": _clopper_pearson_bounds,
}


def clopper_pearson_kernel(level: float, scale: float) -> Kernel:
    def kernel(
        x: np.ndarray, n: np.ndarray, lower: np.ndarray, upper: np.ndarray, ratio: object = None
    ) -> None:
        lower[...], upper[...] = _clopper_pearson_bounds(x, n, level, scale)

    return kernel


def scaled_ratio(numerator: Any, denominator: Any, scale: float) -> Values:
    if np.ndim(numerator) == 0 and np.ndim(denominator) == 0:
        return numerator / denominator * scale
    value = np.divide(numerator, denominator)
    if scale != 1.0:
        value *= scale
    return value


def proportion_interval(
    x: ArrayLike,
    n: ArrayLike,
    confidence: Confidence = 0.95,
    *,
    method: str = "wilson",
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Confidence interval of a proportion ``x / n``.

    Parameters
    ----------
    x, n : array_like
        Numerators (0 <= x <= n) and denominators (n > 0); broadcast
        together.
    confidence : float or sequence of float
        0.95 by default; ``(0.95, 0.998)`` gives both intervals at once.
    method : {"wilson", "clopper_pearson"}
        Wilson's score interval (PHE's method) or the exact interval.
    multiplier : float
        Scale of value and limits: 100 for percentages. A finite number
        > 0, at most :data:`MAX_MULTIPLIER`.

    Returns
    -------
    Interval or tuple of Interval
        One :class:`Interval` for a single level, a tuple for a sequence.

    Raises
    ------
    InvalidCountsError
        Negative or non-finite counts, counts of 2**53 or more, fractions
        below :data:`SMALLEST_COUNT`, n = 0, x > n, a ragged array (for
        arrays, with the offending positions).
    InvalidOptionError
        An unknown method, a confidence level out of range or a bad
        multiplier.

    Examples
    --------
    >>> ci = proportion_interval(5, 25, method="clopper_pearson")
    >>> round(ci.lower, 3), round(ci.upper, 3)
    (0.068, 0.407)
    """
    check_choice("method", method, PROPORTION_METHODS)
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    if is_lazy(x) or is_lazy(n):
        intervals = lazy_intervals(_proportion_intervals, (x, n), levels, method, multiplier)
    else:
        intervals = _proportion_intervals(x, n, levels, method, multiplier)
    return intervals[0] if single(confidence) else intervals


def _proportion_intervals(
    x: ArrayLike, n: ArrayLike, levels: tuple[float, ...], method: str, multiplier: float, origin: tuple[int, ...] = ()
) -> tuple[Interval, ...]:
    bounds = PROPORTION_BOUNDS[method]
    x, n = checked_counts(
        "proportion_interval", {"x": x, "n": n}, positive=("n",), within=[("x", "n")], origin=origin
    )
    value = scaled_ratio(x, n, multiplier)
    return tuple(Interval(value, *bounds(x, n, level, multiplier), level, method) for level in levels)


def lazy_intervals(
    intervals: Callable[..., tuple[Interval, ...]],
    counts: tuple[Any, Any],
    levels: tuple[float, ...],
    method: str,
    multiplier: float,
) -> tuple[Interval, ...]:
    """``intervals`` (a function of numpy counts) on dask arrays: lazy
    intervals computed chunk by chunk; a bad chunk raises when computed,
    with positions in the whole array."""

    def chunk(*blocks: np.ndarray, origin: tuple[int, ...]) -> list[np.ndarray]:
        found = intervals(*blocks, levels, method, multiplier, origin)
        fields = [found[0].value] + [limit for i in found for limit in (i.lower, i.upper)]
        return [np.broadcast_to(field, blocks[0].shape) for field in fields]

    value, *limits = map_lazily(chunk, counts, 1 + 2 * len(levels))
    return tuple(
        Interval(value, limits[2 * i], limits[2 * i + 1], level, method) for i, level in enumerate(levels)
    )


def wilson_interval(
    x: ArrayLike, n: ArrayLike, confidence: Confidence = 0.95, *, multiplier: float = 1.0
) -> Interval | tuple[Interval, ...]:
    """Wilson score interval of a proportion (no continuity correction).

    The limits are ``(2x + z² ± z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²))``
    (Wilson 1927; Newcombe & Altman 2000), the method of the Fingertips
    technical guide for proportions. See :func:`proportion_interval` for the
    parameters.

    Examples
    --------
    Newcombe's (1998) worked examples, 81/263 and 0/20:

    >>> ci = wilson_interval(81, 263)
    >>> round(ci.value, 4), round(ci.lower, 4), round(ci.upper, 4)
    (0.308, 0.2553, 0.3662)
    >>> round(wilson_interval(0, 20).upper, 4)
    0.1611
    >>> wilson_interval([81, 0], [263, 20], multiplier=100).upper.round(2)
    array([36.62, 16.11])
    """
    return proportion_interval(x, n, confidence, method="wilson", multiplier=multiplier)


def clopper_pearson_interval(
    x: ArrayLike, n: ArrayLike, confidence: Confidence = 0.95, *, multiplier: float = 1.0
) -> Interval | tuple[Interval, ...]:
    """Clopper–Pearson exact interval of a proportion, from beta quantiles.

    See :func:`proportion_interval` for the parameters.

    Examples
    --------
    >>> ci = clopper_pearson_interval(0, 10)
    >>> ci.lower, round(ci.upper, 4)
    (0.0, 0.3085)
    """
    return proportion_interval(x, n, confidence, method="clopper_pearson", multiplier=multiplier)
