"""Directly standardised rates with Dobson's interval."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._counts import checked_counts, raise_if_any
from .._options import check_axis, check_multiplier
from ..errors import InvalidOptionError
from .levels import Confidence, confidence_levels, single
from .poisson import poisson_bounds
from .results import Interval, StandardisedRate, plain
from .standard_populations import StandardPopulation, weights_of

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

#: A directly standardised rate is not published from fewer events than
#: this (PHE practice: DSRs are unreliable below 10 events).
DSR_MIN_COUNT = 10


def dobson_interval(
    counts: ArrayLike,
    weights: ArrayLike,
    confidence: Confidence = 0.95,
    *,
    axis: int = -1,
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Dobson's interval of a weighted sum of Poisson counts, ``Σ wᵢxᵢ``.

    With ``X = Σ xᵢ`` and its Poisson limits ``(X_L, X_U)`` (exact below 10,
    Byar's from 10), the limits are ``Y + sqrt(V / X) · (X_L − X)`` and
    ``Y + sqrt(V / X) · (X_U − X)`` where ``Y = Σ wᵢxᵢ`` and
    ``V = Σ wᵢ²xᵢ`` (Dobson et al., Stat Med 1991;10:457–62). Limits are NaN
    where the total count is 0.

    Parameters
    ----------
    counts, weights : array_like
        Broadcast together; summed along ``axis``.
    confidence : float or sequence of float
    axis : int
        The axis of the strata.
    multiplier : float
        Scale of value and limits (finite, > 0, at most :data:`MAX_MULTIPLIER`).

    Raises
    ------
    InvalidCountsError
        Counts or weights that are negative, not finite or 2**53 or more;
        counts that are fractions below :data:`SMALLEST_COUNT`.
    InvalidOptionError
        A scalar count, an axis out of range, a confidence level out of range
        or a bad multiplier.

    Examples
    --------
    With equal weights the interval is the Poisson interval of the total:

    >>> ci = dobson_interval([4, 6, 10], [0.5, 0.5, 0.5])
    >>> ci.value, round(ci.lower, 4), round(ci.upper, 4)
    (10.0, 6.1057, 15.4449)
    >>> from phindicators.stats import byar_interval
    >>> round(byar_interval(20).lower / 2, 4)
    6.1057
    """
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    counts, weights = checked_counts(
        "dobson_interval", {"counts": counts, "weights": weights}, per_unit=("weights",)
    )
    counts, weights = np.asarray(counts), np.asarray(weights)
    if counts.ndim == 0:
        raise InvalidOptionError("dobson_interval needs counts along an axis, got a scalar")
    axis = check_axis("dobson_interval", axis, counts.ndim)
    total = counts.sum(axis=axis)
    weighted = (weights * counts).sum(axis=axis)
    variance = (weights * weights * counts).sum(axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.sqrt(variance / total)
    value = weighted * multiplier
    intervals = []
    for level in levels:
        exposure = 1.0 if isinstance(total, float) else np.ones_like(total)
        low, high, _ = poisson_bounds(total, exposure, level, 1.0, "auto")
        lower = (weighted + spread * (low - total)) * multiplier
        upper = (weighted + spread * (high - total)) * multiplier
        intervals.append(Interval(plain(value), plain(lower), plain(upper), level, "dobson"))
    return intervals[0] if single(confidence) else tuple(intervals)


def dsr(
    counts: ArrayLike,
    populations: ArrayLike,
    standard: StandardPopulation | str | ArrayLike = "who_world_2000",
    confidence: Confidence = 0.95,
    *,
    axis: int = -1,
    multiplier: float = 100_000,
) -> StandardisedRate | tuple[StandardisedRate, ...]:
    """Directly standardised rate with Dobson's confidence interval.

    ``DSR = Σ wᵢ xᵢ/nᵢ / Σ wᵢ`` for events ``xᵢ`` and populations ``nᵢ`` of
    each age band and standard weights ``wᵢ``; the interval is
    :func:`dobson_interval` of the counts with weights ``wᵢ / (nᵢ Σ w)``, as
    in PHE's ``phe_dsr``. Where the total count is below
    :data:`DSR_MIN_COUNT` the rate is not published: value and limits are
    NaN, ``suppressed`` is True and ``note`` says why.

    Parameters
    ----------
    counts, populations : array_like
        Events and populations by age band along ``axis`` (other axes are
        areas, periods...). A band may have population 0 only if it has no
        events.
    standard : StandardPopulation, str or array_like
        The standard: a :class:`StandardPopulation`, the name of a bundled
        one (default: the WHO World Standard Population 2000–2025), or the
        weights of each band.
    confidence : float or sequence of float
    axis : int
        The axis of the age bands.
    multiplier : float
        Rate per this many population (100 000 = per 10万).

    Returns
    -------
    StandardisedRate or tuple of StandardisedRate

    Raises
    ------
    InvalidCountsError
        Negative counts or populations, or events in a band of population 0
        (and as :func:`dobson_interval`).
    InvalidOptionError
        A standard with a different number of bands than the data, weights
        that are not finite numbers >= 0 below 2**53, or an axis out of range.

    Examples
    --------
    When the standard has the study population's age structure the DSR is
    the crude rate:

    >>> rate = dsr([10, 30], [2000, 3000], [2, 3])
    >>> round(rate.value, 1), rate.suppressed
    (800.0, False)
    >>> rate = dsr([[1, 2], [10, 30]], [[2000, 3000]] * 2, [2, 3])
    >>> rate.suppressed.tolist(), rate.note
    ([True, False], 'total count below 10: not published')
    """
    levels = confidence_levels(confidence)
    counts, populations = checked_counts("dsr", {"counts": counts, "populations": populations})
    counts, populations = np.asarray(counts), np.asarray(populations)
    if counts.ndim == 0:
        raise InvalidOptionError("dsr needs counts by age band along an axis, got a scalar")
    axis = check_axis("dsr", axis, counts.ndim)
    raise_if_any(
        "dsr",
        "counts",
        "has events in a band of population 0",
        (counts > 0) & (populations == 0),
        {"counts": counts, "populations": populations},
    )
    weights = weights_of(standard, counts.shape[axis])
    shape = [1] * counts.ndim
    shape[axis] = weights.size
    with np.errstate(divide="ignore", invalid="ignore"):
        per_count = np.where(
            populations > 0, weights.reshape(shape) / weights.sum() / populations, 0.0
        )
    intervals = dobson_interval(counts, per_count, levels, axis=axis, multiplier=multiplier)
    total = counts.sum(axis=axis)
    suppressed = total < DSR_MIN_COUNT
    note = "total count below 10: not published" if np.any(suppressed) else ""
    results = []
    for interval in intervals:  # type: ignore[union-attr]
        value, lower, upper = (
            np.where(suppressed, np.nan, a) for a in (interval.value, interval.lower, interval.upper)
        )
        results.append(
            StandardisedRate(
                plain(value),
                plain(lower),
                plain(upper),
                interval.confidence,
                "dobson",
                plain(total),
                bool(suppressed) if np.ndim(suppressed) == 0 else suppressed,
                note,
            )
        )
    return results[0] if single(confidence) else tuple(results)
