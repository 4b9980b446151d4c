"""Trends over periods: annual percent change, the recent-trend rule, and two periods compared."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import attrs
import numpy as np

from .._counts import checked_counts
from .._options import check_axis, check_choice, check_multiplier
from ..errors import InvalidOptionError
from .levels import Confidence, confidence_levels, single, z_value
from .proportions import clopper_pearson_interval
from .results import Interval, Trend, Values, p_two_sided, plain
from .significance import trend_test

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

#: Fingertips' recent-trend rule: the latest this many points ...
RECENT_POINTS = 5
#: ... tested at this level.
RECENT_CONFIDENCE = 0.998

#: Newton steps of the log-linear Poisson fit; it converges in about six.
_MAX_STEPS = 60


@attrs.frozen(eq=False)
class AnnualPercentChange(Interval):
    """The annual percent change of a rate with its interval.

    ``value = 100·(exp(β) − 1)`` for the slope ``β`` of ``log(rate)`` per
    year; the limits are those of ``β`` (Wald), transformed alike.

    Attributes
    ----------
    slope, slope_error : float or ndarray
        ``β`` and its standard error.
    p_value : float or ndarray
        Two-sided Wald test of ``β = 0``.

    Examples
    --------
    >>> apc = annual_percent_change([100, 110, 121], [1e5] * 3)
    >>> round(apc.value, 6)
    10.0
    """

    slope: Values = 0.0
    slope_error: Values = 0.0
    p_value: Values = 1.0


def _poisson_slope(
    x: np.ndarray, n: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood slope of ``log E[x] = log n + a + b·t`` and its
    standard error, by Newton's method on (a, b), periods on the last axis.
    NaN where the fit has no finite maximum (no events; events only at one
    end of the series)."""
    # Edge cases (no events, events at one end) run into inf and NaN on
    # purpose: they are found and set to NaN below.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _newton(x, n, t - t.mean())


def _newton(x: np.ndarray, n: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.log(x.sum(axis=-1) / n.sum(axis=-1))
    b = np.zeros_like(a)
    done = ~np.isfinite(a)
    a = np.where(done, 0.0, a)
    for _ in range(_MAX_STEPS):
        mu = n * np.exp(a[..., None] + b[..., None] * t)
        s0, s1, s2 = mu.sum(axis=-1), (mu * t).sum(axis=-1), (mu * t * t).sum(axis=-1)
        g0, g1 = (x - mu).sum(axis=-1), ((x - mu) * t).sum(axis=-1)
        det = s0 * s2 - s1 * s1
        da = (s2 * g0 - s1 * g1) / det
        db = (s0 * g1 - s1 * g0) / det
        # Damped: a Poisson log-likelihood is concave, but a full step from
        # b = 0 can overshoot by orders of magnitude when events sit at one end.
        scale = np.minimum(1.0, 1.0 / np.maximum(np.abs(db), 1e-300))
        step = ~done & np.isfinite(da) & np.isfinite(db)
        a = np.where(step, a + scale * da, a)
        b = np.where(step, b + scale * db, b)
        done |= ~step | (np.abs(db) <= 1e-14 * (1 + np.abs(b)))
        if done.all():
            break
    mu = n * np.exp(a[..., None] + b[..., None] * t)
    s0, s1, s2 = mu.sum(axis=-1), (mu * t).sum(axis=-1), (mu * t * t).sum(axis=-1)
    error = np.sqrt(s0 / (s0 * s2 - s1 * s1))
    # No finite maximum: every period without events, or a slope that keeps
    # growing (events only at one end), or not converged.
    bad = (x.sum(axis=-1) == 0) | ~done | (np.abs(b) > 50) | ~np.isfinite(error)
    return np.where(bad, np.nan, b), np.where(bad, np.nan, error)


def _checked_times(where: str, times: ArrayLike | None, size: int) -> np.ndarray:
    if times is None:
        return np.arange(size, dtype=np.float64)
    try:
        t = np.asarray(times, dtype=np.float64)
    except (TypeError, ValueError):
        t = np.array([np.nan])
    if t.shape != (size,) or not np.all(np.isfinite(t)) or np.ptp(t) == 0:
        raise InvalidOptionError(
            f"{where}: times must be one finite number per period ({size}), not all equal; "
            f"got {times!r}"
        )
    return t


def annual_percent_change(
    counts: ArrayLike,
    populations: ArrayLike,
    years: ArrayLike | None = None,
    confidence: Confidence = 0.95,
    *,
    axis: int = -1,
) -> AnnualPercentChange | tuple[AnnualPercentChange, ...]:
    """Annual percent change of a rate, from a log-linear Poisson fit.

    Fits ``log E[xₜ] = log nₜ + α + β·t`` by maximum likelihood (a Poisson
    GLM with the log population as offset) and reports
    ``APC = 100·(exp(β) − 1)`` with the Wald limits ``β ± z·SE(β)``
    transformed alike, as Chinese trend papers report it.

    Parameters
    ----------
    counts, populations : array_like
        Events and populations by period along ``axis`` (other axes are
        areas); at least 3 periods.
    years : array_like, optional
        The year of each period (default 0, 1, 2, ...); gaps are allowed.
        With years other than whole years apart, the change is per unit.
    confidence : float or sequence of float
    axis : int
        The axis of the periods.

    Returns
    -------
    AnnualPercentChange or tuple of AnnualPercentChange
        NaN where the fit has no finite maximum: no events at all, or
        events in only the first or last periods.

    Raises
    ------
    InvalidCountsError
        Negative, missing or non-finite counts; populations that are not > 0.
    InvalidOptionError
        Fewer than 3 periods, years that are not one finite number per
        period, a bad axis or confidence level.

    Examples
    --------
    Rates falling 5 % a year:

    >>> apc = annual_percent_change([200, 190, 180.5, 171.475], [1e6] * 4)
    >>> round(apc.value, 4), apc.method
    (-5.0, 'poisson_loglinear')
    """
    levels = confidence_levels(confidence)
    x, n = checked_counts(
        "annual_percent_change", {"counts": counts, "populations": populations}, positive=("populations",)
    )
    x, n = np.asarray(x), np.asarray(n)
    if x.ndim == 0:
        raise InvalidOptionError("annual_percent_change needs counts by period along an axis, got a scalar")
    axis = check_axis("annual_percent_change", axis, x.ndim)
    if x.shape[axis] < 3:
        raise InvalidOptionError("annual_percent_change needs at least 3 periods")
    t = _checked_times("annual_percent_change", years, x.shape[axis])
    slope, error = _poisson_slope(np.moveaxis(x, axis, -1), np.moveaxis(n, axis, -1), t)
    with np.errstate(invalid="ignore"):
        p_value = p_two_sided(plain(slope / error))
    results = []
    for level in levels:
        z = z_value(level)
        results.append(
            AnnualPercentChange(
                plain(100 * np.expm1(slope)),
                plain(100 * np.expm1(slope - z * error)),
                plain(100 * np.expm1(slope + z * error)),
                level,
                "poisson_loglinear",
                plain(slope),
                plain(error),
                p_value,
            )
        )
    return results[0] if single(confidence) else tuple(results)


@attrs.frozen(eq=False)
class RecentTrend:
    """The recent-trend verdict of Fingertips with its test.

    Attributes
    ----------
    direction : str or ndarray of str
        ``"increasing"``, ``"decreasing"``, ``"no significant change"`` or
        ``"cannot be calculated"`` (fewer than :data:`RECENT_POINTS` points,
        or a test that cannot be computed).
    test : Trend or None
        The chi-squared test for trend on the latest points (None when there
        are too few).
    confidence : float
    """

    direction: str | np.ndarray
    test: Trend | None
    confidence: float


def recent_trend(
    x: ArrayLike,
    n: ArrayLike,
    *,
    kind: str = "proportion",
    times: ArrayLike | None = None,
    axis: int = -1,
    points: int = RECENT_POINTS,
    confidence: float = RECENT_CONFIDENCE,
) -> RecentTrend:
    """Fingertips' recent trend: the χ² test for trend on the latest 5 points at 99.8 %.

    The last ``points`` periods along ``axis`` are tested with
    :func:`trend_test`; a significant slope at ``confidence`` is
    "increasing" or "decreasing", otherwise "no significant change". Fewer
    periods than ``points``: "cannot be calculated" (Fingertips shows no
    trend then).

    Examples
    --------
    >>> recent_trend([50, 55, 60, 70, 80, 95, 110], [1000] * 7).direction
    'increasing'
    >>> recent_trend([50, 52, 49, 51, 50], [1000] * 5).direction
    'no significant change'
    >>> recent_trend([50, 52, 49], [1000] * 3).direction
    'cannot be calculated'
    """
    level = confidence_levels(confidence)[0]
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise InvalidOptionError(f"recent_trend: points must be an integer >= 2, got {points!r}")
    xa, na = np.asarray(x), np.asarray(n)
    if xa.ndim == 0:
        raise InvalidOptionError("recent_trend needs values by period along an axis, got a scalar")
    axis = check_axis("recent_trend", axis, xa.ndim)
    size = xa.shape[axis]
    if size < points:
        shape = xa.shape[:axis] + xa.shape[axis + 1 :]
        direction = np.full(shape, "cannot be calculated", dtype=object)
        return RecentTrend(direction[()] if direction.ndim == 0 else direction, None, level)
    t = _checked_times("recent_trend", times, size)[-points:]
    latest = [slice(None)] * xa.ndim
    latest[axis] = slice(size - points, size)
    nb = np.broadcast_to(na, np.broadcast_shapes(xa.shape, na.shape))
    test = trend_test(xa[tuple(latest)], nb[tuple(latest)], kind=kind, times=t, axis=axis)
    statistic = np.asarray(test.statistic)
    significant = np.abs(statistic) > z_value(level)
    direction = np.where(
        np.isnan(statistic),
        "cannot be calculated",
        np.where(significant, np.where(statistic > 0, "increasing", "decreasing"), "no significant change"),
    ).astype(object)
    return RecentTrend(str(direction[()]) if direction.ndim == 0 else direction, test, level)


#: How :func:`rate_ratio` sets its limits.
RATIO_METHODS = ("exact", "log")


def rate_difference(
    c1: ArrayLike,
    e1: ArrayLike,
    c2: ArrayLike,
    e2: ArrayLike,
    confidence: Confidence = 0.95,
    *,
    multiplier: float = 100_000,
) -> Interval | tuple[Interval, ...]:
    """The difference of two periods' rates, ``c₁/e₁ − c₂/e₂``, with its normal interval.

    The variance is ``c₁/e₁² + c₂/e₂²`` (two independent Poisson counts;
    Rothman & Greenland, Modern Epidemiology, ch. 14).

    Examples
    --------
    >>> d = rate_difference(60, 10_000, 40, 10_000, multiplier=1000)
    >>> round(d.value, 3), round(d.lower, 3), round(d.upper, 3)
    (2.0, 0.04, 3.96)
    """
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    a, ea, b, eb = (
        np.asarray(v)
        for v in checked_counts(
            "rate_difference", {"c1": c1, "e1": e1, "c2": c2, "e2": e2}, positive=("e1", "e2")
        )
    )
    value = a / ea - b / eb
    error = np.sqrt(a / ea**2 + b / eb**2)
    results = []
    for level in levels:
        half = z_value(level) * error
        results.append(
            Interval(
                plain(value * multiplier),
                plain((value - half) * multiplier),
                plain((value + half) * multiplier),
                level,
                "normal",
            )
        )
    return results[0] if single(confidence) else tuple(results)


def rate_ratio(
    c1: ArrayLike,
    e1: ArrayLike,
    c2: ArrayLike,
    e2: ArrayLike,
    confidence: Confidence = 0.95,
    *,
    method: str = "exact",
) -> Interval | tuple[Interval, ...]:
    """The ratio of two periods' rates, ``(c₁/e₁) / (c₂/e₂)``, with its interval.

    ``"exact"``: conditional on ``c₁ + c₂``, ``c₁`` is binomial with
    ``p = RR·e₁ / (RR·e₁ + e₂)``; the Clopper–Pearson limits of ``p`` give
    ``RR = p/(1 − p) · e₂/e₁`` (defined with zero counts). ``"log"``:
    ``exp(log RR ± z·sqrt(1/c₁ + 1/c₂))`` (NaN with a zero count).

    Examples
    --------
    >>> r = rate_ratio(60, 10_000, 40, 10_000, method="log")
    >>> round(r.value, 3), round(r.lower, 3), round(r.upper, 3)
    (1.5, 1.004, 2.24)
    """
    method = check_choice("method", method, RATIO_METHODS)
    levels = confidence_levels(confidence)
    a, ea, b, eb = (
        np.asarray(v)
        for v in checked_counts(
            "rate_ratio", {"c1": c1, "e1": e1, "c2": c2, "e2": e2}, positive=("e1", "e2")
        )
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (a / ea) / (b / eb)
    results = []
    for level in levels:
        with np.errstate(divide="ignore", invalid="ignore"):
            if method == "exact":
                total = a + b
                ci = cast(Interval, clopper_pearson_interval(a, np.maximum(total, 1), level))
                lower = np.where(total > 0, ci.lower / (1 - ci.lower) * eb / ea, np.nan)
                upper = np.where(total > 0, ci.upper / (1 - ci.upper) * eb / ea, np.nan)
            else:
                spread = z_value(level) * np.sqrt(1 / a + 1 / b)
                lower, upper = value * np.exp(-spread), value * np.exp(spread)
        results.append(Interval(plain(value), plain(lower), plain(upper), level, f"rate_ratio_{method}"))
    return results[0] if single(confidence) else tuple(results)
