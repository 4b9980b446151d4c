"""Funnel-plot control limits for proportions and rates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._counts import checked_counts
from .._options import check_choice, check_multiplier
from ..errors import InvalidOptionError
from .levels import Confidence, confidence_levels, single, z_value
from .results import Interval, plain

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

def _funnel_proportion(
    n: np.ndarray, average: np.ndarray, z: float, tail: float
) -> tuple[np.ndarray, np.ndarray]:
    # The limits are the observed proportions whose Wilson interval at n
    # just reaches the average: both are roots of one quadratic in p.
    a = z * z / n
    c = average * (1 + a) - a / 2
    b = 2 * c + a
    root = np.sqrt(np.maximum(b * b - 4 * (1 + a) * (c * c - a * a / 4), 0.0))
    lower = (b - root) / (2 * (1 + a))
    upper = (b + root) / (2 * (1 + a))
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


#: Beyond this many expected events the rate funnel is solved from Byar's
#: approximation (``_count_at_byar_limit``): scipy's chi-squared
#: inversion stops converging (NaN from about 5e10), and from 1e9 events
#: Byar's limits agree with the exact ones to 1e-14 (relative).
LARGE_EXPECTED = 1e9


def _funnel_rate(
    n: np.ndarray, average: np.ndarray, z: float, tail: float
) -> tuple[np.ndarray, np.ndarray]:
    # The limits are the event counts whose exact Poisson interval just
    # reaches the expected count average·n (PHE's funnels for rates).
    from scipy import special

    # With X ~ Poisson(E) and a continuous count O, P(X >= O) = P(χ²(2O) <= 2E)
    # and P(X <= O) = 1 - P(χ²(2O + 2) <= 2E): solve both for the degrees of
    # freedom. The lower limit is 0 where even no events would not be low.
    # Around an average of 0 both limits are 0, the limit of the solutions
    # as E -> 0: with none expected, any event at all is significantly high.
    expected = np.asarray(average * n)
    low, high = np.zeros_like(expected), np.zeros_like(expected)
    exact = (expected > 0) & (expected <= LARGE_EXPECTED)
    if exact.any():
        expected2 = 2 * expected[exact]
        low[exact] = special.chdtriv(1 - tail, expected2) / 2 - 1
        high[exact] = special.chdtriv(tail, expected2) / 2
    large = expected > LARGE_EXPECTED
    if large.any():
        low[large] = _count_at_byar_limit(expected[large], z, -1.0) - 1
        high[large] = _count_at_byar_limit(expected[large], z, 1.0)
    return np.maximum(low, 0.0) / n, high / n


def _count_at_byar_limit(expected: np.ndarray, z: float, sign: float) -> np.ndarray:
    """The count ``u`` whose Byar limit ``u(1 − 1/(9u) − sign·z/(3√u))³`` is
    ``expected``: sign +1 solves the lower limit of ``u`` events, -1 the upper
    limit of ``u − 1`` events.

    Newton's method on the cube roots, for the offset ``d = u − expected``
    (from the normal approximation ``sign·z·√expected``), so that the offset
    keeps its precision however large the count; for the counts it serves
    (> 1e6) four steps reach the rounding of float64.
    """
    target = np.cbrt(expected)
    offset = sign * z * np.sqrt(expected)
    for _ in range(4):
        u = expected + offset
        root = np.sqrt(u)
        # cbrt(u)·(1 − 1/(9u) − sign·z/(3√u)) − cbrt(expected), with
        # cbrt(u) − cbrt(expected) computed without cancellation.
        gap = target * np.expm1(np.log1p(offset / expected) / 3) - np.cbrt(u) * (
            1 / (9 * u) + sign * z / (3 * root)
        )
        slope = (1 / 3 + 2 / (27 * u) + sign * z / (18 * root)) / np.cbrt(u * u)
        offset = offset - gap / slope
    return expected + offset


#: Control-limit solvers by kind: (denominator, average, z, tail) -> (lower,
#: upper) as fractions (proportion) or events per unit of exposure (rate).
_FUNNELS = {"proportion": _funnel_proportion, "rate": _funnel_rate}


def funnel_limits(
    denominator: ArrayLike,
    average: float,
    confidence: Confidence = (0.95, 0.998),
    *,
    kind: str = "proportion",
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Funnel-plot control limits around an average, at given denominators.

    Parameters
    ----------
    denominator : array_like
        Denominators (populations) at which to draw the limits.
    average : float
        The centre line as a fraction (proportion) or events per unit of
        exposure (rate), usually Σx / Σn over all areas.
    confidence : float or sequence of float
        95 % and 99.8 % by default (PHE's two- and three-sigma funnels).
    kind : {"proportion", "rate"}
        Proportions: the proportions whose Wilson interval touches the
        average (PHE's funnels for proportions). Rates: the rates whose exact
        Poisson interval touches the average; beyond :data:`LARGE_EXPECTED`
        expected events, whose Byar interval does (the same to 1e-14). Around
        an average of 0 both limits of a rate are 0: with no events
        expected, any event is significantly high.
    multiplier : float
        Scale of the limits (100 for percent): finite, > 0, at most
        :data:`MAX_MULTIPLIER`.

    Returns
    -------
    Interval or tuple of Interval
        ``value`` is the average; ``lower``/``upper`` the limits at each
        denominator. An area outside the limits is significantly different
        from the average at that level.

    Raises
    ------
    InvalidCountsError
        Denominators that are not finite numbers > 0 below 2**53 (or are
        fractions below :data:`SMALLEST_COUNT`); an average that is
        negative, not finite or 2**53 or more.
    InvalidOptionError
        An unknown kind, an average of a proportion above 1, a confidence
        level out of range or a bad multiplier.

    Examples
    --------
    PHE's funnel for an average of 80.642448 % (PHEindicatormethods test
    data: 72.974925, 88.309971 and 68.553233 at a population of 102):

    >>> inner, outer = funnel_limits(102, 0.80642448, multiplier=100)
    >>> round(inner.lower, 2), round(inner.upper, 2), round(outer.lower, 2)
    (72.97, 88.31, 68.55)

    A rate funnel around no events, and one beyond :data:`LARGE_EXPECTED`
    expected events, against the exact limit from scipy's chi-squared
    inversion (which still converges at 2e9 events):

    >>> funnel_limits([10, 100], 0.0, 0.95, kind="rate").upper.tolist()
    [0.0, 0.0]
    >>> from scipy import special
    >>> limits = funnel_limits(2e9, 1.0, 0.95, kind="rate")
    >>> bool(abs(limits.upper / (special.chdtriv(0.025, 4e9) / 2 / 2e9) - 1) < 1e-14)
    True
    """
    solve = _FUNNELS[check_choice("kind", kind, tuple(_FUNNELS))]
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    (n,) = checked_counts("funnel_limits", {"denominator": denominator}, positive=("denominator",))
    (centre,) = checked_counts("funnel_limits", {"average": average}, per_unit=("average",))
    if kind == "proportion" and np.any(np.asarray(centre) > 1):
        raise InvalidOptionError(f"the average of a proportion must be <= 1, got {average!r}")
    intervals = []
    for level in levels:
        lower, upper = solve(np.asarray(n), np.asarray(centre), z_value(level), (1 - level) / 2)
        # The limits enclose the average exactly, whatever the rounding (or
        # the underflow of an expected count too small for a float).
        lower, upper = np.minimum(lower, centre), np.maximum(upper, centre)
        value = np.zeros_like(lower) + np.multiply(centre, multiplier)
        intervals.append(
            Interval(
                plain(value),
                plain(lower * multiplier),
                plain(upper * multiplier),
                level,
                f"funnel_{kind}",
            )
        )
    return intervals[0] if single(confidence) else tuple(intervals)
