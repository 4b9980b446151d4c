"""Significance tests: two proportions, two rates, the chi-squared test for trend."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .._counts import checked_counts
from .._options import check_axis, check_choice
from .._text import shown
from ..errors import InvalidOptionError
from .results import Significance, Trend, p_two_sided, plain

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

# ---------------------------------------------------------------------- tests


def two_proportion_test(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike) -> Significance:
    """Two-sided z test that two proportions are equal (pooled variance).

    ``z = (p₁ − p₂) / sqrt(p(1 − p)(1/n₁ + 1/n₂))`` with ``p`` the pooled
    proportion; z = 0 (p = 1) when both proportions are 0 or both are 1.

    Examples
    --------
    >>> test = two_proportion_test(2067, 2164, 1900, 2100)
    >>> round(test.statistic, 3), test.p_value < 1e-6
    (6.465, True)
    """
    x1, n1, x2, n2 = checked_counts(
        "two_proportion_test",
        {"x1": x1, "n1": n1, "x2": x2, "n2": n2},
        positive=("n1", "n2"),
        within=[("x1", "n1"), ("x2", "n2")],
    )
    pooled = np.add(x1, x2) / np.add(n1, n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / np.asarray(n1) + 1 / np.asarray(n2)))
    difference = np.divide(x1, n1) - np.divide(x2, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(spread > 0, difference / spread, 0.0)
    z = plain(statistic)
    return Significance(z, p_two_sided(z), "two-proportion z test")


def rate_ratio_test(c1: ArrayLike, e1: ArrayLike, c2: ArrayLike, e2: ArrayLike) -> Significance:
    """Two-sided score test that two Poisson rates are equal.

    ``z = (c₁ − c₂·e₁/e₂) / sqrt((c₁ + c₂)·e₁/e₂)`` (the score test of Gu, Ng,
    Tang & Schucany 2008); z = 0 (p = 1) when both counts are 0.

    Examples
    --------
    >>> test = rate_ratio_test(23, 2158, 10, 2000)
    >>> round(test.statistic, 3), round(test.p_value, 4)
    (2.046, 0.0407)
    """
    first, exposure1, second, exposure2 = (
        np.asarray(a)
        for a in checked_counts(
            "rate_ratio_test",
            {"c1": c1, "e1": e1, "c2": c2, "e2": e2},
            positive=("e1", "e2"),
        )
    )
    ratio = exposure1 / exposure2
    total = first + second
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(total > 0, (first - second * ratio) / np.sqrt(total * ratio), 0.0)
    z = plain(statistic)
    return Significance(z, p_two_sided(z), "score test of two Poisson rates")


_TREND_METHODS = {
    "proportion": "Cochran-Armitage test for trend",
    "rate": "chi-squared test for trend in rates",
}

#: The null variance of one unit of denominator, by kind of count.
_TREND_VARIANCE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "proportion": lambda p: p * (1 - p),
    "rate": lambda p: p,
}


def trend_test(
    x: ArrayLike,
    n: ArrayLike,
    *,
    kind: str = "proportion",
    times: ArrayLike | None = None,
    axis: int = -1,
) -> Trend:
    """Chi-squared test for a linear trend over ordered periods.

    For proportions this is the Cochran–Armitage test; for rates it is the
    same test on Poisson counts (the score test of a log-linear trend). Both
    equal the weighted least-squares slope of the value on time, with weights
    ``1 / var₀`` from the pooled value, divided by its standard error:
    ``slope = Σ(t − t̄)xᵢ / Σnᵢ(t − t̄)²`` and
    ``z = Σ(t − t̄)xᵢ / sqrt(v·Σnᵢ(t − t̄)²)`` with ``v = p(1 − p)`` (proportion)
    or ``p`` (rate), ``p = Σx / Σn`` and ``t̄`` the n-weighted mean time.

    Parameters
    ----------
    x, n : array_like
        Numerators and denominators, periods along ``axis`` (other axes are
        areas); at least 2 periods.
    kind : {"proportion", "rate"}
    times : array_like, optional
        The time of each period (default 0, 1, 2, ...), e.g. years with gaps.
    axis : int
        The axis of the periods.

    Returns
    -------
    Trend
        ``statistic`` is NaN where the pooled variance is 0 (no events, or
        every unit an event, or all times equal): the trend cannot be
        calculated there.

    Raises
    ------
    InvalidCountsError
        Counts as :func:`proportion_interval` (proportions) or
        :func:`poisson_interval` (rates) refuses them.
    InvalidOptionError
        Fewer than 2 periods, an axis out of range, an unknown kind, or
        times that are not one finite number per period (or so close together
        that the slope per unit of time overflows).

    Examples
    --------
    Agresti's alcohol and malformation data (scores 0, 0.5, 1.5, 4, 7), whose
    Mantel statistic ``(N−1)r²`` is published as 6.57:

    >>> x = [48, 38, 5, 1, 1]
    >>> n = [17114, 14502, 793, 127, 38]
    >>> trend = trend_test(x, n, times=[0, 0.5, 1.5, 4, 7])
    >>> round(trend.statistic ** 2 * (sum(n) - 1) / sum(n), 2)
    6.57
    """
    variance = _TREND_VARIANCE[check_choice("kind", kind, tuple(_TREND_VARIANCE))]
    within = [("x", "n")] if kind == "proportion" else []
    x, n = checked_counts("trend_test", {"x": x, "n": n}, positive=("n",), within=within)
    x, n = np.asarray(x), np.asarray(n)
    if x.ndim == 0:
        raise InvalidOptionError("trend_test needs at least 2 periods along the axis, got a scalar")
    axis = check_axis("trend_test", axis, x.ndim)
    if x.shape[axis] < 2:
        raise InvalidOptionError("trend_test needs at least 2 periods along the axis")
    x, n = np.moveaxis(x, axis, -1), np.moveaxis(n, axis, -1)
    t, size = _times(times, x.shape[-1])
    total_n = n.sum(axis=-1)
    pooled = x.sum(axis=-1) / total_n
    centred = t - ((n * t).sum(axis=-1) / total_n)[..., np.newaxis]
    score = (centred * x).sum(axis=-1)
    spread = (n * centred * centred).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        null_variance = variance(pooled) * spread
        statistic = np.where(null_variance > 0, score / np.sqrt(null_variance), np.nan)
        slope = score / spread / size
    if np.isinf(slope).any():
        raise InvalidOptionError(
            f"times are too close together for a slope per unit of time (they span {size:g} at most)"
        )
    z = plain(statistic)
    with np.errstate(invalid="ignore"):
        p_value = p_two_sided(z)
    return Trend(z, p_value, _TREND_METHODS[kind], plain(slope))


def _times(times: ArrayLike | None, periods: int) -> tuple[np.ndarray, float]:
    """The times of ``periods`` periods divided by their largest size, and
    that size. The test statistic does not change when times are scaled; on
    times within [-1, 1] no sum of squares overflows or underflows, whether
    the times are years or fractions of a second."""
    if times is None:
        return np.arange(periods, dtype=np.float64), 1.0
    try:
        array = np.asarray(times)
    except ValueError:  # nested sequences of unequal lengths
        array = np.asarray(None)
    if array.dtype.kind not in "iuf" or array.shape != (periods,) or not np.isfinite(array).all():
        raise InvalidOptionError(
            f"times must be {periods} finite numbers, one per period, got {shown(times)}"
        )
    t = array.astype(np.float64)
    size = float(np.abs(t).max()) or 1.0  # all times 0: nothing to scale
    return t / size, size
