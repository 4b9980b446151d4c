"""The measures of cancer-registry and mortality reports: crude, 中标, 世标, cumulative and truncated rates."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import attrs
import numpy as np

from .._counts import checked_counts
from .._options import check_axis, check_multiplier
from ..errors import InvalidOptionError
from ._bands import band_labels, checked_ages, raise_in_band
from .levels import Confidence, confidence_levels, single, z_value
from .poisson import poisson_interval
from .results import Interval, plain
from .standard_populations import StandardPopulation, standard_population

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

#: The age groups of Chinese registry tables: 0, 1-4, 5-9, ..., 80-84, 85+.
REGISTRY_AGES: tuple[int, ...] = (0, 1, *range(5, 90, 5))


def _prepared(
    where: str, counts: ArrayLike, populations: ArrayLike, ages: ArrayLike, axis: int
) -> tuple[np.ndarray, np.ndarray, tuple[int, ...], int]:
    x, n = (np.asarray(a) for a in checked_counts(where, {"counts": counts, "populations": populations}))
    if x.ndim == 0:
        raise InvalidOptionError(f"{where} needs counts by age band along an axis, got a scalar")
    axis = check_axis(where, axis, x.ndim)
    lower_ages = checked_ages(where, ages, x.shape[axis])
    labels = band_labels(lower_ages)
    shown = {"counts": x, "populations": n}
    raise_in_band(
        where, "counts", "has events in a band of population 0", (x > 0) & (n == 0), shown, labels, axis
    )
    return np.moveaxis(x, axis, -1), np.moveaxis(n, axis, -1), lower_ages, axis


def _bands_within(where: str, lower_ages: tuple[int, ...], start: int, stop: int) -> slice:
    """The bands covering ages ``[start, stop)`` exactly; the open band may not be among them."""
    if start not in lower_ages or (stop not in lower_ages):
        raise InvalidOptionError(
            f"{where}: ages {start} to {stop - 1} must start and end on band limits "
            f"(bands start at {', '.join(map(str, lower_ages))})"
        )
    return slice(lower_ages.index(start), lower_ages.index(stop))


def cumulative_rate(
    counts: ArrayLike,
    populations: ArrayLike,
    ages: ArrayLike = REGISTRY_AGES,
    confidence: Confidence = 0.95,
    *,
    upper_age: int = 75,
    axis: int = -1,
) -> Interval | tuple[Interval, ...]:
    """Cumulative rate 0–74 (累积率), in percent, with its normal interval.

    ``CR = 100 · Σ wᵢ · xᵢ/nᵢ`` over the bands below ``upper_age``, ``wᵢ``
    each band's width in years; the variance is ``Σ wᵢ² xᵢ/nᵢ²`` (Day,
    in Jensen et al., Cancer Registration: Principles and Methods, IARC
    1991, ch. 11). The cumulative risk is ``1 − exp(−CR/100)``.

    Parameters
    ----------
    counts, populations : array_like
        Events and populations by age band along ``axis``.
    ages : sequence of int
        The first age of each band; default :data:`REGISTRY_AGES`.
    confidence : float or sequence of float
    upper_age : int
        The first age not counted (75: 0–74 years; 65 gives CR64).
    axis : int

    Raises
    ------
    InvalidCountsError
        Negative or missing counts or populations; events in a band of
        population 0 (naming the band).
    InvalidOptionError
        ``upper_age`` not a band limit, or ages that do not match the data.

    Examples
    --------
    One per 1000 a year in each of 75 years is 7.5 %:

    >>> ages = [0, 1, *range(5, 80, 5)]
    >>> pops = [1000, 4000] + [5000] * 15
    >>> cr = cumulative_rate([1, 4] + [5] * 15, pops, ages)
    >>> round(cr.value, 10), cr.method
    (7.5, 'normal')
    """
    levels = confidence_levels(confidence)
    x, n, lower_ages, _ = _prepared("cumulative_rate", counts, populations, ages, axis)
    within = _bands_within("cumulative_rate", lower_ages, 0, upper_age)
    widths = np.diff(np.asarray(lower_ages, dtype=np.float64))[within]
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(n[..., within] > 0, x[..., within] / n[..., within], 0.0)
        variance = np.where(n[..., within] > 0, x[..., within] / n[..., within] ** 2, 0.0)
    value = 100 * (rates * widths).sum(axis=-1)
    error = 100 * np.sqrt((variance * widths**2).sum(axis=-1))
    results = []
    for level in levels:
        half = z_value(level) * error
        results.append(Interval(plain(value), plain(value - half), plain(value + half), level, "normal"))
    return results[0] if single(confidence) else tuple(results)


def _standardised(
    x: np.ndarray,
    n: np.ndarray,
    weights: np.ndarray,
    levels: tuple[float, ...],
    multiplier: float,
) -> tuple[Interval, ...]:
    """Σ wᵢxᵢ/nᵢ / Σ wᵢ with its normal interval (the SE of Boyle & Parkin,
    IARC 1991), bands on the last axis."""
    share = weights / weights.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, x / n, 0.0)
        variance = np.where(n > 0, x / (n * n), 0.0)
    value = (share * rate).sum(axis=-1) * multiplier
    error = np.sqrt((share * share * variance).sum(axis=-1)) * multiplier
    results = []
    for level in levels:
        half = z_value(level) * error
        results.append(Interval(plain(value), plain(value - half), plain(value + half), level, "normal"))
    return tuple(results)


def _standard(where: str, standard: StandardPopulation | str, lower_ages: tuple[int, ...]) -> np.ndarray:
    population = standard_population(standard) if isinstance(standard, str) else standard
    if population.lower_ages != lower_ages:
        raise InvalidOptionError(
            f"{where}: the data's bands ({', '.join(band_labels(lower_ages))}) differ from those of "
            f"the standard {population.id!r} ({', '.join(population.bands)})"
        )
    return np.asarray(population.weights, dtype=np.float64)


def standardised_rate(
    counts: ArrayLike,
    populations: ArrayLike,
    standard: StandardPopulation | str = "china_2000",
    ages: ArrayLike = REGISTRY_AGES,
    confidence: Confidence = 0.95,
    *,
    axis: int = -1,
    multiplier: float = 100_000,
) -> Interval | tuple[Interval, ...]:
    """An age-standardised rate as registry reports print it: 中标率 (China 2000) or 世标率 (Segi).

    The direct standardisation of :func:`dsr`, with the normal interval
    registries use (Boyle & Parkin) and no suppression of small counts;
    the data's bands must be the standard's (0, 1-4, 5-9, ..., 85+).

    Examples
    --------
    >>> flat = [10] * 19, [10_000] * 19
    >>> round(standardised_rate(*flat, "segi_world").value, 6)
    100.0
    """
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    x, n, lower_ages, _ = _prepared("standardised_rate", counts, populations, ages, axis)
    weights = _standard("standardised_rate", standard, lower_ages)
    results = _standardised(x, n, weights, levels, multiplier)
    return results[0] if single(confidence) else results


def truncated_rate(
    counts: ArrayLike,
    populations: ArrayLike,
    ages: ArrayLike = REGISTRY_AGES,
    confidence: Confidence = 0.95,
    *,
    standard: StandardPopulation | str = "segi_world",
    lower_age: int = 35,
    upper_age: int = 65,
    axis: int = -1,
    multiplier: float = 100_000,
) -> Interval | tuple[Interval, ...]:
    """Truncated rate 35–64 (截缩率): the rate standardised to the bands of ages 35–64 only.

    ``Σ wᵢ xᵢ/nᵢ / Σ wᵢ`` over the bands from ``lower_age`` to
    ``upper_age − 1`` with the world (Segi) weights, as the Chinese registry
    manual defines it, with the normal interval of :func:`standardised_rate`.

    Examples
    --------
    Segi's weights of 35-39 ... 60-64 are 6000, 6000, 6000, 5000, 4000 and 4000:

    >>> x = [0] * 8 + [30, 40, 50, 60, 70, 80] + [0] * 5
    >>> round(truncated_rate(x, [100_000] * 19).value, 4)
    52.2581
    """
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    x, n, lower_ages, _ = _prepared("truncated_rate", counts, populations, ages, axis)
    weights = _standard("truncated_rate", standard, lower_ages)
    within = _bands_within("truncated_rate", lower_ages, lower_age, upper_age)
    results = _standardised(x[..., within], n[..., within], weights[within], levels, multiplier)
    return results[0] if single(confidence) else results


@attrs.frozen(eq=False)
class RegistryRates:
    """The summary row of a Chinese registry table, each with its interval.

    Attributes
    ----------
    crude : Interval
        Events per ``multiplier`` population (粗率), exact/Byar Poisson limits.
    china : Interval
        Standardised to the China 2000 census population (中标率).
    world : Interval
        Standardised to Segi's world population (世标率).
    cumulative : Interval
        Cumulative rate 0–74, percent (累积率).
    truncated : Interval
        Truncated rate 35–64 on Segi's weights (截缩率).
    """

    crude: Interval
    china: Interval
    world: Interval
    cumulative: Interval
    truncated: Interval


def registry_rates(
    counts: ArrayLike,
    populations: ArrayLike,
    ages: ArrayLike = REGISTRY_AGES,
    confidence: float = 0.95,
    *,
    axis: int = -1,
    multiplier: float = 100_000,
) -> RegistryRates:
    """Crude rate, 中标率, 世标率, 累积率 0–74 and 截缩率 35–64 in one call.

    Examples
    --------
    >>> rates = registry_rates([10] * 19, [10_000] * 19)
    >>> round(rates.crude.value, 6), round(rates.world.value, 6), round(rates.cumulative.value, 6)
    (100.0, 100.0, 7.5)
    """
    if not isinstance(confidence, float | int) or isinstance(confidence, bool):
        raise InvalidOptionError(f"registry_rates takes one confidence level, got {confidence!r}")
    x, n, _, band_axis = _prepared("registry_rates", counts, populations, ages, axis)
    m, c = multiplier, confidence
    return RegistryRates(
        cast(Interval, poisson_interval(x.sum(axis=-1), n.sum(axis=-1), c, multiplier=m)),
        cast(Interval, standardised_rate(counts, populations, "china_2000", ages, c, axis=band_axis, multiplier=m)),
        cast(Interval, standardised_rate(counts, populations, "segi_world", ages, c, axis=band_axis, multiplier=m)),
        cast(Interval, cumulative_rate(counts, populations, ages, c, axis=band_axis)),
        cast(Interval, truncated_rate(counts, populations, ages, c, axis=band_axis, multiplier=m)),
    )
