"""Abridged life tables: life expectancy at each age band with Chiang's method."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._counts import checked_counts
from .._options import check_axis
from ..errors import InvalidCountsError, InvalidOptionError
from ._bands import band_labels, checked_ages, raise_in_band
from .levels import Confidence, confidence_levels, single, z_value
from .results import Interval, plain

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

#: The age bands of PHE's ``phe_life_expectancy``: 0, 1-4, 5-9, ..., 85-89, 90+.
PHE_AGES: tuple[int, ...] = (0, 1, *range(5, 95, 5))

#: Life expectancy is not published for a population of this size or less
#: (PHE: "a total population of less than 5,000").
LE_MIN_POPULATION = 5000

#: Nor where the 95 % interval is wider than this many years (PHE practice).
LE_MAX_CI_WIDTH = 20.0

#: The fraction of the first year of life lived by infants who die in it
#: (Chiang's a₀ as PHE and the ONS use it); 0.5 in every other band.
INFANT_FRACTION = 0.1

#: The radix of the table: survivors at age 0.
RADIX = 1e5


@attrs.frozen(eq=False)
class LifeExpectancy(Interval):
    """Life expectancy at the start of each age band with its interval.

    Attributes
    ----------
    ages : tuple of int
        The first age of each band (along the band axis of ``value``).
    suppressed : bool or ndarray of bool
        True where the value is not published: a total population of
        :data:`LE_MIN_POPULATION` or less, or a 95 % interval wider than
        :data:`LE_MAX_CI_WIDTH` years. The value is NaN there; the limits
        are kept, as PHE keeps them.
    note : str
        Why values were suppressed ("" when none were).

    Examples
    --------
    >>> le = life_expectancy([20, 200], [10_000, 1_000], ages=[0, 80])
    >>> round(float(le.value[0]), 2), le.ages
    (74.23, (0, 80))
    """

    ages: tuple[int, ...] = ()
    suppressed: bool | np.ndarray = False
    note: str = ""


def _table(
    deaths: np.ndarray, populations: np.ndarray, ages: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Life expectancy and its standard error (Chiang II, with Silcocks et
    al.'s variance of the open band), bands along the last axis."""
    widths = np.diff(np.asarray(ages, dtype=np.float64))
    fraction = np.full(len(ages), 0.5)
    fraction[0] = INFANT_FRACTION
    rate = deaths / populations
    # The open band: q = 1, as PHE's width 2/M gives.
    q = np.ones_like(rate)
    width, a = widths, fraction[:-1]
    mn = rate[..., :-1] * width
    # A band with more deaths than its people could die at the assumed
    # fractions of time lived dies out (q = 1), as PHE's rule has it.
    q[..., :-1] = np.where(
        deaths[..., :-1] <= populations[..., :-1] / width / a, mn / (1 + mn * (1 - a)), 1.0
    )
    survive = 1 - q
    alive = np.empty_like(rate)
    alive[..., 0] = RADIX
    alive[..., 1:] = RADIX * np.cumprod(survive[..., :-1], axis=-1)
    died = alive.copy()
    died[..., :-1] -= alive[..., 1:]
    lived = np.empty_like(rate)
    lived[..., :-1] = width * (alive[..., 1:] + a * died[..., :-1])
    lived[..., -1] = alive[..., -1] / rate[..., -1]
    total = np.cumsum(lived[..., ::-1], axis=-1)[..., ::-1]
    expectancy = np.where(alive == 0, 0.0, total / alive)
    # Chiang's variance of q, and Silcocks et al.'s 4/(D·M²) for the open band.
    var_q = np.where(died == 0, 0.0, q * q * (1 - q) / deaths)
    var_q[..., -1] = 4 / (deaths[..., -1] * rate[..., -1] ** 2)
    weighted = np.empty_like(rate)
    weighted[..., :-1] = (
        var_q[..., :-1] * alive[..., :-1] ** 2 * ((1 - a) * width + expectancy[..., 1:]) ** 2
    )
    weighted[..., -1] = (alive[..., -1] / 2) ** 2 * var_q[..., -1]
    summed = np.cumsum(weighted[..., ::-1], axis=-1)[..., ::-1]
    error = np.sqrt(summed / alive**2)
    return expectancy, error


def _checked(
    where: str, deaths: ArrayLike, populations: ArrayLike, ages: ArrayLike, axis: int
) -> tuple[np.ndarray, np.ndarray]:
    """Deaths and populations checked as counts; a missing or negative count
    is refused naming its age band. Good counts pay for one check: the bands
    are looked for only once :func:`checked_counts` has refused them."""
    try:
        checked = checked_counts(where, {"deaths": deaths, "populations": populations})
    except InvalidCountsError:
        _name_bad_bands(where, deaths, populations, ages, axis)
        raise
    return np.asarray(checked[0]), np.asarray(checked[1])


def _name_bad_bands(where: str, deaths: ArrayLike, populations: ArrayLike, ages: ArrayLike, axis: int) -> None:
    """Raise for missing or negative counts naming their age bands, where
    the counts are numeric arrays of one shape and the ages fit them (the
    general message of :func:`checked_counts`, which names positions only,
    stands for everything else)."""
    try:
        shown = {
            "deaths": np.asarray(deaths, dtype=np.float64),
            "populations": np.asarray(populations, dtype=np.float64),
        }
    except (TypeError, ValueError):
        return
    if shown["deaths"].ndim == 0 or shown["deaths"].shape != shown["populations"].shape:
        return
    try:
        axis = check_axis(where, axis, shown["deaths"].ndim)
        labels = band_labels(checked_ages(where, ages, shown["deaths"].shape[axis]))
    except InvalidOptionError:  # the counts' own error comes first
        return
    for name, values in shown.items():
        raise_in_band(where, name, "is missing, NaN or infinite", ~np.isfinite(values), shown, labels, axis)
        raise_in_band(where, name, "is negative", values < 0, shown, labels, axis)


def life_expectancy(
    deaths: ArrayLike,
    populations: ArrayLike,
    ages: ArrayLike = PHE_AGES,
    confidence: Confidence = 0.95,
    *,
    axis: int = -1,
) -> LifeExpectancy | tuple[LifeExpectancy, ...]:
    """Life expectancy at the start of each age band, from an abridged life table.

    Chiang's method (II) with the variance of Chiang and, for the open band,
    of Silcocks, Jenner and Reza (J Epidemiol Community Health 2001;55:38–43),
    as PHE's ``phe_life_expectancy`` and the ONS compute it: ``a = 0.1`` in
    the first band and 0.5 elsewhere, a radix of 100 000, and limits
    ``e ± z·SE``. Values are vectorised over areas (every axis but ``axis``).

    Parameters
    ----------
    deaths, populations : array_like
        Deaths and mid-year populations by age band along ``axis``.
    ages : sequence of int
        The first age of each band, from 0, increasing; the last band is
        open. Default :data:`PHE_AGES` (0, 1-4, 5-9, ..., 85-89, 90+).
    confidence : float or sequence of float
    axis : int
        The axis of the age bands.

    Returns
    -------
    LifeExpectancy or tuple of LifeExpectancy
        Arrays of the input's shape: life expectancy at each band's first
        age. Where the total population is :data:`LE_MIN_POPULATION` or
        less, or the 95 % interval is wider than :data:`LE_MAX_CI_WIDTH`
        years, the value is NaN and ``suppressed`` is True (PHE's rules).

    Raises
    ------
    InvalidCountsError
        Naming the band: negative, missing or non-finite deaths or
        populations (as ``None`` or NaN); a population of 0; more deaths than population; no
        deaths in the open last band (too few deaths: the table cannot
        close). PHE returns NA with a warning for the first three; a table
        of many areas here fails loudly instead, since each is bad data,
        not a small number.
    InvalidOptionError
        Ages that are not whole numbers increasing from 0, or whose number
        differs from the data's bands; a bad axis or confidence level.

    Examples
    --------
    PHE's test table (``testLifeExpectancy.R``): 80.17 (79.88 to 80.46)
    years at birth.

    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304,
    ...           536, 872, 1390, 1605, 1936, 1937]
    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435,
    ...         55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306,
    ...         11936, 11936]
    >>> le = life_expectancy(deaths, pops)
    >>> [round(float(x[0]), 4) for x in (le.value, le.lower, le.upper)]
    [80.1696, 79.8827, 80.4565]
    """
    levels = confidence_levels(confidence)
    deaths, populations = _checked("life_expectancy", deaths, populations, ages, axis)
    if deaths.ndim == 0:
        raise InvalidOptionError("life_expectancy needs deaths by age band along an axis, got a scalar")
    axis = check_axis("life_expectancy", axis, deaths.ndim)
    ages_ = checked_ages("life_expectancy", ages, deaths.shape[axis])
    if len(ages_) < 2:
        raise InvalidOptionError("life_expectancy needs at least two age bands")
    labels = band_labels(ages_)
    shown = {"deaths": deaths, "populations": populations}
    raise_in_band("life_expectancy", "populations", "is 0", populations == 0, shown, labels, axis)
    raise_in_band(
        "life_expectancy", "deaths", "exceed populations", deaths > populations, shown, labels, axis
    )
    last = np.zeros(deaths.shape, dtype=bool)
    index: list[slice | int] = [slice(None)] * deaths.ndim
    index[axis] = -1
    last[tuple(index)] = deaths[tuple(index)] == 0
    raise_in_band(
        "life_expectancy",
        "deaths",
        "is 0 in the open last band (too few deaths to close the life table)",
        last,
        shown,
        labels,
        axis,
    )
    moved_deaths = np.moveaxis(deaths, axis, -1)
    moved_pops = np.moveaxis(populations, axis, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        expectancy, error = _table(moved_deaths, moved_pops, ages_)
    small = moved_pops.sum(axis=-1, keepdims=True) <= LE_MIN_POPULATION
    wide = 2 * z_value(0.95) * error > LE_MAX_CI_WIDTH
    suppressed = np.broadcast_to(small, expectancy.shape) | wide
    notes = []
    if np.any(small):
        notes.append(f"total population of {LE_MIN_POPULATION} or less: not published")
    if np.any(wide & ~small):
        notes.append(f"95 % interval wider than {LE_MAX_CI_WIDTH:g} years: not published")
    value = np.moveaxis(np.where(suppressed, np.nan, expectancy), -1, axis)
    error = np.moveaxis(error, -1, axis)
    flags = np.moveaxis(suppressed, -1, axis)
    results = []
    for level in levels:
        half = z_value(level) * error
        results.append(
            LifeExpectancy(
                plain(value),
                plain(np.moveaxis(expectancy, -1, axis) - half),
                plain(np.moveaxis(expectancy, -1, axis) + half),
                level,
                "chiang_silcocks",
                ages_,
                flags,
                "; ".join(notes),
            )
        )
    return results[0] if single(confidence) else tuple(results)


def _band_probabilities(
    deaths: np.ndarray, populations: np.ndarray, ages: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """The probability of dying in each closed band (Chiang's ``q``, as
    :func:`_table` computes it) and its variance ``q²(1 − q)/D``, bands along
    the last axis; the last age closes the last band."""
    widths = np.diff(np.asarray(ages, dtype=np.float64))
    fraction = np.where(np.asarray(ages[:-1]) == 0, INFANT_FRACTION, 0.5)
    mn = deaths / populations * widths
    q = np.where(deaths <= populations / widths / fraction, mn / (1 + mn * (1 - fraction)), 1.0)
    var_q = np.where(deaths == 0, 0.0, q * q * (1 - q) / np.where(deaths == 0, 1.0, deaths))
    return q, var_q


def probability_of_dying(
    deaths: ArrayLike,
    populations: ArrayLike,
    ages: ArrayLike = PHE_AGES,
    confidence: Confidence = 0.95,
    *,
    start: int,
    stop: int,
    axis: int = -1,
) -> Interval | tuple[Interval, ...]:
    """The probability of dying between two exact ages, ``1 − Π(1 − q)``
    over the bands from ``start`` to ``stop``, as a fraction.

    Each band's ``q = n·m / (1 + (1 − a)·n·m)`` is that of the abridged life
    table of :func:`life_expectancy` (``m`` the band's death rate, ``n`` its
    width, ``a = 0.5``, 0.1 in the band from age 0), so that with all-cause
    deaths the value is ``1 − l(stop)/l(start)`` of that table: 45q15 is
    ``start=15, stop=60``. With the deaths of some causes only it is WHO's
    unconditional probability of dying from them (SDG 3.4.1, premature NCD
    mortality: the four causes' deaths, ``start=30, stop=70``, where
    ``5q = 5·M / (1 + 2.5·M)``, the same formula). Bands outside
    ``[start, stop)`` are not read beyond the basic checks of the counts.

    The interval is ``P ± z·SE``, clipped to [0, 1], with Chiang's variance
    ``Var(q) = q²(1 − q)/D`` of each band and the delta method for the
    product: ``Var(P) = Σ Var(q_i)·Π_{j≠i}(1 − q_j)²``.

    Parameters
    ----------
    deaths, populations : array_like
        Deaths and mid-year populations by age band along ``axis``.
    ages : sequence of int
        The first age of each band, from 0, increasing (the last band open).
    confidence : float or sequence of float
    start, stop : int
        The exact ages between which the probability is taken; both must be
        first ages of bands in ``ages`` (``stop`` may be the open band's).
    axis : int
        The axis of the age bands.

    Returns
    -------
    Interval or tuple of Interval
        The probability per area (the band axis removed), method ``"chiang"``.

    Raises
    ------
    InvalidCountsError
        Naming the band: negative, missing or non-finite counts; a population
        of 0, or more deaths than population, in a band from ``start`` to
        ``stop``.
    InvalidOptionError
        ``start`` or ``stop`` not a first age of a band, or ``start >= stop``;
        bad ages, axis or confidence level.

    Examples
    --------
    45q15 from bands 15-29, 30-44 and 45-59 (5 in 10 000 dying a year, then
    2 and 6 in 1 000):

    >>> p = probability_of_dying([0, 9, 40, 90, 500], [1000, 18_000, 20_000, 15_000, 9000],
    ...                          [0, 15, 30, 45, 60], start=15, stop=60)
    >>> round(float(p.value), 4), round(float(p.lower), 4), round(float(p.upper), 4)
    (0.1198, 0.1009, 0.1386)
    """
    levels = confidence_levels(confidence)
    deaths, populations = _checked("probability_of_dying", deaths, populations, ages, axis)
    if deaths.ndim == 0:
        raise InvalidOptionError("probability_of_dying needs deaths by age band along an axis, got a scalar")
    axis = check_axis("probability_of_dying", axis, deaths.ndim)
    ages_ = checked_ages("probability_of_dying", ages, deaths.shape[axis])
    for name, age in (("start", start), ("stop", stop)):
        if age not in ages_:
            raise InvalidOptionError(
                f"probability_of_dying: {name}={age!r} is not the first age of a band "
                f"({', '.join(band_labels(ages_))})"
            )
    if start >= stop:
        raise InvalidOptionError(f"probability_of_dying: start ({start}) must be below stop ({stop})")
    first, last = ages_.index(start), ages_.index(stop)
    labels = band_labels(ages_)
    used = np.zeros(deaths.shape[axis], dtype=bool)
    used[first:last] = True
    shape = [1] * deaths.ndim
    shape[axis] = -1
    in_range = used.reshape(shape)
    shown = {"deaths": deaths, "populations": populations}
    raise_in_band(
        "probability_of_dying", "populations", "is 0", in_range & (populations == 0), shown, labels, axis
    )
    raise_in_band(
        "probability_of_dying",
        "deaths",
        "exceed populations",
        in_range & (deaths > populations),
        shown,
        labels,
        axis,
    )
    moved_deaths = np.moveaxis(deaths, axis, -1)[..., first:last]
    moved_pops = np.moveaxis(populations, axis, -1)[..., first:last]
    q, var_q = _band_probabilities(moved_deaths, moved_pops, ages_[first : last + 1])
    survive = 1 - q
    # Π over the other bands, as the products before and after each band
    # (no division by 1 − q, which is 0 where a band dies out).
    before = np.cumprod(np.concatenate([np.ones_like(survive[..., :1]), survive[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(
        np.concatenate([np.ones_like(survive[..., :1]), survive[..., :0:-1]], axis=-1), axis=-1
    )[..., ::-1]
    value = 1 - np.prod(survive, axis=-1)
    error = np.sqrt(np.sum(var_q * (before * after) ** 2, axis=-1))
    results = [
        Interval(
            plain(value),
            plain(np.clip(value - z_value(level) * error, 0.0, 1.0)),
            plain(np.clip(value + z_value(level) * error, 0.0, 1.0)),
            level,
            "chiang",
        )
        for level in levels
    ]
    return results[0] if single(confidence) else tuple(results)
