"""Directly standardised rates with Dobson's interval."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._counts import checked_counts
from .._options import check_axis, check_choice, check_multiplier
from ..errors import InvalidOptionError
from ._bands import raise_in_band
from .levels import Confidence, confidence_levels, single
from .poisson import poisson_bounds
from .results import Interval, StandardisedRate, plain
from .standard_populations import StandardPopulation, standard_population, weights_of

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

#: A directly standardised rate is not published from fewer events than
#: this (PHE practice: DSRs are unreliable below 10 events).
DSR_MIN_COUNT = 10

#: What :func:`dsr` does with an age band of population 0 and no events:
#: refuse it (PHE's ``calculate_dsr``: "denominators must all be greater
#: than zero"), drop it from the rate and the standard's weights, or keep it
#: at rate 0 with its full weight.
EMPTY_BANDS = ("refuse", "drop", "zero")


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
    intervals = _dobson(total, weighted, spread, levels, multiplier, "dobson")
    return intervals[0] if single(confidence) else intervals


def _dobson(
    total: Any, weighted: Any, spread: Any, levels: tuple[float, ...], multiplier: float, method: str
) -> tuple[Interval, ...]:
    """Dobson's limits ``Y + spread·(X_L − X)``, ``Y + spread·(X_U − X)`` of
    a total count ``X`` and weighted sum ``Y``, at each level."""
    value = weighted * multiplier
    intervals = []
    for level in levels:
        exposure = 1.0 if isinstance(total, float) else np.ones_like(total)
        low, high, _ = poisson_bounds(total, exposure, level, 1.0, "auto")
        lower = (weighted + spread * (low - total)) * multiplier
        upper = (weighted + spread * (high - total)) * multiplier
        intervals.append(Interval(plain(value), plain(lower), plain(upper), level, method))
    return tuple(intervals)


def dsr(
    counts: ArrayLike,
    populations: ArrayLike,
    standard: StandardPopulation | str | ArrayLike = "who_world_2000",
    confidence: Confidence = 0.95,
    *,
    axis: int = -1,
    multiplier: float = 100_000,
    eventfreq: ArrayLike | None = None,
    empty_bands: str = "refuse",
) -> StandardisedRate | tuple[StandardisedRate, ...]:
    """Directly standardised rate with Dobson's confidence interval.

    ``DSR = Σ wᵢ xᵢ/nᵢ / Σ wᵢ`` for events ``xᵢ`` and populations ``nᵢ`` of
    each age band and standard weights ``wᵢ``; the interval is
    :func:`dobson_interval` of the counts with weights ``wᵢ / (nᵢ Σ w)``, as
    in PHE's ``calculate_dsr``. Where the total count is below
    :data:`DSR_MIN_COUNT` the rate is not published: value and limits are
    NaN, ``suppressed`` is True and ``note`` says why.

    Parameters
    ----------
    counts, populations : array_like
        Events and populations by age band along ``axis`` (other axes are
        areas, periods...). With ``eventfreq``, ``counts`` are persons and
        have one more, first, axis: ``counts[k]`` is the number of persons
        with ``eventfreq[k]`` events each.
    standard : StandardPopulation, str or array_like
        The standard: a :class:`StandardPopulation`, the name of a bundled
        one (:func:`standard_populations`: ``"who_world_2000"`` (default),
        ``"esp_2013"``, ``"china_2000"``, ``"segi_world"``), or the weights of
        each band. A bundled standard whose open band starts below the
        data's (19 bands ending at 90+ against WHO's 21) is not merged
        silently: collapse it with ``standard_population(name, open_age=)``.
    confidence : float or sequence of float
    axis : int
        The axis of the age bands (of ``populations``; with ``eventfreq``,
        of ``counts`` without its first axis).
    multiplier : float
        Rate per this many population (100 000 = per 10万).
    eventfreq : array_like, optional
        Events per person for events that are not independent (PHE's
        ``independent_events = FALSE``): the value counts ``Σ f·x`` events;
        the variance of the Dobson interval is ``Σ f² · var(persons with f
        events)``, so that repeat events widen the interval.
    empty_bands : {"refuse", "drop", "zero"}
        An age band of population 0 (with no events) is refused by default,
        as PHE refuses it; ``"drop"`` leaves it out of the rate and of the
        standard's weights; ``"zero"`` keeps it at rate 0 with its full
        weight (which lowers the rate).

    Returns
    -------
    StandardisedRate or tuple of StandardisedRate

    Raises
    ------
    InvalidCountsError
        Negative or missing counts or populations, events in a band of
        population 0, or (by default) a band of population 0; the message
        names the band.
    InvalidOptionError
        A standard with a different number of bands than the data, weights
        that are not finite numbers >= 0 below 2**53, an axis out of range,
        or event frequencies that are not one number > 0 per row of counts.

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

    Ten persons with one event and five with two count 20 events, with a
    wider interval than 20 independent events:

    >>> rate = dsr([[10], [5]], [1000], [1], eventfreq=[1, 2], multiplier=1)
    >>> rate.value, rate.method
    (0.02, 'dobson_nonindependent')
    >>> rate.upper > dsr([20], [1000], [1], multiplier=1).upper
    True
    """
    levels = confidence_levels(confidence)
    empty_bands = check_choice("empty_bands", empty_bands, EMPTY_BANDS)
    checked = checked_counts("dsr", {"counts": counts, "populations": populations})
    persons: np.ndarray = np.asarray(checked[0])
    pops: np.ndarray = np.asarray(checked[1])
    freq: np.ndarray | None = None
    events = persons
    if eventfreq is not None:
        freq = _frequencies(eventfreq, events)
        shape = (freq.size,) + (1,) * (events.ndim - 1)
        events = (persons * freq.reshape(shape)).sum(axis=0)
        pops = pops[0] if pops.ndim == persons.ndim else pops
    if events.ndim == 0:
        raise InvalidOptionError("dsr needs counts by age band along an axis, got a scalar")
    axis = check_axis("dsr", axis, events.ndim)
    if isinstance(standard, str):
        standard = standard_population(standard)
    weights = weights_of(standard, events.shape[axis])
    labels = (
        standard.bands
        if isinstance(standard, StandardPopulation)
        else tuple(f"{i + 1} of {weights.size}" for i in range(weights.size))
    )
    shown = {"counts": events, "populations": pops}
    raise_in_band(
        "dsr",
        "counts",
        "has events in a band of population 0",
        (events > 0) & (pops == 0),
        shown,
        labels,
        axis,
    )
    if empty_bands == "refuse":
        raise_in_band(
            "dsr",
            "populations",
            "is 0 (PHE refuses such a band; empty_bands='drop' leaves it out, "
            "'zero' keeps it at rate 0 with its weight)",
            np.broadcast_to(pops == 0, events.shape),
            shown,
            labels,
            axis,
        )
    band_shape = [1] * events.ndim
    band_shape[axis] = weights.size
    band_weights = np.broadcast_to(weights.reshape(band_shape), events.shape)
    if empty_bands == "drop":
        band_weights = np.where(pops > 0, band_weights, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_count = np.where(
            pops > 0, band_weights / band_weights.sum(axis=axis, keepdims=True) / pops, 0.0
        )
    if freq is None:
        intervals = dobson_interval(events, per_count, levels, axis=axis, multiplier=multiplier)
        method = "dobson"
    else:
        method = "dobson_nonindependent"
        total = events.sum(axis=axis)
        weighted = (per_count * events).sum(axis=axis)
        squared = (persons * (freq**2).reshape((freq.size,) + (1,) * events.ndim)).sum(axis=0)
        variance = (per_count * per_count * squared).sum(axis=axis)
        with np.errstate(divide="ignore", invalid="ignore"):
            spread = np.sqrt(variance / total)
        intervals = _dobson(
            plain(total), plain(weighted), plain(spread), levels, check_multiplier(multiplier), method
        )
    total = events.sum(axis=axis)
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
                method,
                plain(total),
                bool(suppressed) if np.ndim(suppressed) == 0 else suppressed,
                note,
                float(multiplier),
            )
        )
    return results[0] if single(confidence) else tuple(results)


def _frequencies(eventfreq: ArrayLike, persons: np.ndarray) -> np.ndarray:
    """The event frequencies, one number > 0 per row of ``persons``."""
    (freq,) = checked_counts("dsr", {"eventfreq": eventfreq}, positive=("eventfreq",))
    freq = np.atleast_1d(np.asarray(freq, dtype=np.float64))
    if freq.ndim != 1 or persons.ndim < 2 or freq.size != persons.shape[0]:
        raise InvalidOptionError(
            f"dsr: eventfreq must give one frequency per row of the counts' first axis "
            f"(counts of persons by frequency), got {freq.size} frequencies for counts of shape "
            f"{persons.shape}"
        )
    return freq
