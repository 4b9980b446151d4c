"""Inequality: quantile groups of areas, and the slope and relative indices of inequality (SII, RII)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._counts import checked_counts, raise_if_any
from .._options import check_axis, check_choice
from ..errors import InvalidCountsError, InvalidOptionError
from .levels import Confidence, confidence_levels, single, z_value
from .results import Interval, Values, plain

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

# ------------------------------------------------------------------ quantiles


def quantile_groups(
    values: ArrayLike, quantiles: int = 10, *, invert: bool = True, axis: int = -1
) -> np.ndarray:
    """The quantile group (1 … ``quantiles``) of each area, as PHE's ``phe_quantile``.

    Areas are ranked along ``axis`` (ties share the lowest rank; missing
    values are skipped) and ``q = ⌊(Q + 1) − ⌈(N + 1 − rank) / (N / Q)⌉⌋``
    (0 becomes 1), so that groups are as equal as ``N`` allows and ties stay
    together.

    Parameters
    ----------
    values : array_like
        One value per area along ``axis`` (other axes are separate sets:
        indicators, regions); NaN for an area without a value.
    quantiles : int
        The number of groups (10: deciles; 5: quintiles).
    invert : bool
        True (PHE's default) puts the highest values in group 1: use it
        where low is good (PHE's ``invert = Polarity``), so that group 1 is
        always the worst off.
    axis : int

    Returns
    -------
    ndarray of float
        Group numbers; NaN for areas without a value, and for every area of
        a set with fewer values than ``quantiles``.

    Examples
    --------
    >>> quantile_groups([5.0, 1.0, 3.0, 2.0, 4.0, np.nan], 5, invert=False).tolist()
    [5.0, 1.0, 3.0, 2.0, 4.0, nan]
    >>> quantile_groups([5.0, 1.0, 3.0, 2.0, 4.0], 5).tolist()
    [1.0, 5.0, 3.0, 4.0, 2.0]
    """
    if isinstance(quantiles, bool) or not isinstance(quantiles, int | np.integer) or quantiles < 2:
        raise InvalidOptionError(f"quantiles must be an integer >= 2, got {quantiles!r}")
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidCountsError("quantile_groups", "values", "must be real numbers") from None
    if array.ndim == 0:
        raise InvalidOptionError("quantile_groups needs one value per area along an axis, got a scalar")
    axis = check_axis("quantile_groups", axis, array.ndim)
    raise_if_any("quantile_groups", "values", "is infinite", np.isinf(array), {"values": array})
    moved = np.moveaxis(array, axis, -1)
    keyed = -moved if invert else moved
    missing = np.isnan(keyed)
    # Rank with ties at their lowest rank: 1 + the number of smaller values.
    ordered = np.sort(np.where(missing, np.inf, keyed), axis=-1)
    below = np.empty(keyed.shape, dtype=np.float64)
    for index in np.ndindex(keyed.shape[:-1]):
        below[index] = np.searchsorted(ordered[index], keyed[index], side="left")
    rank = below + 1
    count = (~missing).sum(axis=-1, keepdims=True).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        group = np.floor((quantiles + 1) - np.ceil(((count + 1) - rank) / (count / quantiles)))
    group = np.where(group == 0, 1.0, group)
    group = np.where(missing | (count < quantiles), np.nan, group)
    return np.moveaxis(group, -1, axis)


# ------------------------------------------------------------------- SII, RII

#: How :func:`sii` reads the values: as they are, as rates (log scale), or
#: as proportions (logit scale) — PHE's ``value_type`` 0, 1 and 2.
VALUE_TYPES = ("other", "rate", "proportion")


@attrs.frozen(eq=False)
class InequalityIndex:
    """The slope and relative indices of inequality with simulated limits.

    Attributes
    ----------
    sii : Interval
        The slope index: the modelled difference between the value at the
        top (x = 1) and at the bottom (x = 0) of the ranked population,
        times the multiplier.
    rii : Interval
        The relative index: the modelled value at x = 1 over that at x = 0
        (inverted for a negative multiplier).
    intercept : float or ndarray
        The modelled value at x = 0 (times ``|multiplier|`` after a
        transform, as PHE reports it).
    """

    sii: Interval
    rii: Interval
    intercept: Values


def _forward(values: np.ndarray, value_type: str) -> np.ndarray:
    if value_type == "rate":
        return np.log(values)
    if value_type == "proportion":
        return np.log(values / (1 - values))
    return values


def _backward(values: np.ndarray, value_type: str) -> np.ndarray:
    if value_type == "rate":
        return np.exp(values)
    if value_type == "proportion":
        return 1 / (1 + np.exp(-values))
    return values


def _ridits(populations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Population shares and the mid-point of each group's cumulative share."""
    share = populations / populations.sum(axis=-1, keepdims=True)
    return share, np.cumsum(share, axis=-1) - share / 2


def _fit(y: np.ndarray, share: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares of ``y`` on ``x`` with weights ``share`` (PHE's
    ``lm(√a·y ~ √a + b√a − 1)``): intercept and slope; ``y`` may carry extra
    leading axes (simulations)."""
    sx, sxx = (share * x).sum(axis=-1), (share * x * x).sum(axis=-1)
    sy, sxy = (share * y).sum(axis=-1), (share * x * y).sum(axis=-1)
    det = sxx - sx * sx  # the shares sum to 1
    slope = (sxy - sx * sy) / det
    return (sy - slope * sx), slope


#: The most simulated values :func:`sii` draws at once (16 MiB of float64):
#: the draws of every group are reduced to a line per draw block by block,
#: so memory holds two fitted numbers per draw and area, not one value per
#: draw, area and group.
SII_BLOCK_VALUES = 1 << 21


def _simulated_fits(
    rng: np.random.Generator,
    scaled: np.ndarray,
    se: np.ndarray,
    share: np.ndarray,
    x: np.ndarray,
    repetitions: int,
    value_type: str,
    transform: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Intercept and slope of each of ``repetitions`` simulated fits, shape
    ``(repetitions, *areas)``.

    The draws are made in blocks of whole repetitions, in the order one
    call for all of them would make them (a Generator fills an array element
    by element in C order, so consecutive blocks continue one stream): the
    fits are those of drawing everything at once, for a fixed seed.
    """
    per_draw = max(1, scaled.size)
    block = max(1, SII_BLOCK_VALUES // per_draw)
    sim_a = np.empty((repetitions, *scaled.shape[:-1]))
    sim_b = np.empty_like(sim_a)
    for start in range(0, repetitions, block):
        stop = min(start + block, repetitions)
        draws = rng.normal(scaled, se, size=(stop - start, *scaled.shape))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            sim_a[start:stop], sim_b[start:stop] = _fit(
                draws if transform else _backward(draws, value_type), share, x
            )
    return sim_a, sim_b


def sii(
    values: ArrayLike,
    populations: ArrayLike,
    standard_errors: ArrayLike | None = None,
    confidence: Confidence = 0.95,
    *,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    value_type: str = "other",
    transform: bool = False,
    multiplier: float = 1.0,
    repetitions: int = 100_000,
    seed: int | np.random.Generator | None = None,
    axis: int = -1,
) -> InequalityIndex | tuple[InequalityIndex, ...]:
    """Slope and relative index of inequality with Monte Carlo limits, as PHE's ``phe_sii``.

    Each quantile group (ordered from most to least deprived along
    ``axis``) sits at the mid-point ``x`` of its cumulative population
    share; the value is regressed on ``x`` with the population shares as
    weights: ``SII = multiplier · slope``, ``RII = (a + b) / a``. The
    limits come from ``repetitions`` draws of every group's value from a
    normal distribution with its standard error (on the log or logit scale
    for rates and proportions), refitted; the limits are the draws at the
    ``(1 ± confidence) / 2`` positions (PHE's rounding of positions).

    Parameters
    ----------
    values : array_like
        The indicator value of each quantile group (5 to 100 groups).
    populations : array_like
        The population of each group (> 0).
    standard_errors : array_like, optional
        Each value's standard error (on the log / logit scale for rates and
        proportions). Without it, ``lower`` and ``upper`` (95 % limits) give
        it as ``(g(upper) − g(lower)) / (2·1.959964)``.
    confidence : float or sequence of float
    value_type : {"other", "rate", "proportion"}
    transform : bool
        Fit on the log (rates) or logit (proportions) scale and transform
        back (PHE's ``transform = TRUE``); needs ``lower`` and ``upper``.
    multiplier : float
        Scale of the SII (100 for percent points); a negative one flips the
        polarity (and inverts the RII).
    repetitions : int
        Draws for the limits (at least 1000).
    seed : int or numpy Generator, optional
        For reproducible limits.
    axis : int
        The axis of the quantile groups.

    Raises
    ------
    InvalidCountsError
        Populations that are not > 0, missing values or standard errors,
        negative standard errors, proportions outside (0, 1), rates <= 0.
    InvalidOptionError
        Fewer than 5 or more than 100 groups, neither standard errors nor
        limits, a transform without limits or of "other" values, fewer than
        1000 repetitions, an unknown value type.

    Examples
    --------
    A straight line through the groups gives its own slope:

    >>> pops = [100.0] * 5
    >>> values = [70.0, 72.0, 74.0, 76.0, 78.0]
    >>> result = sii(values, pops, [0.5] * 5, seed=1)
    >>> round(result.sii.value, 10), round(result.rii.value, 6), round(result.intercept, 6)
    (10.0, 1.144928, 69.0)
    """
    value_type = check_choice("value_type", value_type, VALUE_TYPES)
    levels = confidence_levels(confidence)
    if isinstance(repetitions, bool) or not isinstance(repetitions, int) or repetitions < 1000:
        raise InvalidOptionError(f"repetitions must be an integer of at least 1000, got {repetitions!r}")
    if not isinstance(multiplier, int | float) or isinstance(multiplier, bool) or not np.isfinite(multiplier):
        raise InvalidOptionError(f"multiplier must be a finite number, got {multiplier!r}")
    if multiplier == 0:
        raise InvalidOptionError("multiplier must not be 0")
    if transform and value_type == "other":
        raise InvalidOptionError("transform needs value_type 'rate' or 'proportion'")
    if transform and (lower is None or upper is None or standard_errors is not None):
        raise InvalidOptionError("transform needs lower and upper limits, and no standard errors")
    if standard_errors is None and (lower is None or upper is None):
        raise InvalidOptionError("sii needs standard_errors, or lower and upper limits")
    (pops,) = checked_counts("sii", {"populations": populations}, positive=("populations",))
    try:
        y = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidCountsError("sii", "values", "must be real numbers") from None
    pops, y = np.broadcast_arrays(np.asarray(pops), y)
    if y.ndim == 0:
        raise InvalidOptionError("sii needs one value per quantile group along an axis, got a scalar")
    axis = check_axis("sii", axis, y.ndim)
    groups = y.shape[axis]
    if not 5 <= groups <= 100:
        raise InvalidOptionError(f"sii needs between 5 and 100 quantile groups, got {groups}")
    raise_if_any("sii", "values", "is NaN or infinite", ~np.isfinite(y), {"values": y})
    _check_scale("values", y, value_type)
    if standard_errors is not None:
        (se,) = checked_counts("sii", {"standard_errors": standard_errors}, per_unit=("standard_errors",))
        se = np.broadcast_to(np.asarray(se), y.shape)
    else:
        low, high = (np.broadcast_to(np.asarray(a, dtype=np.float64), y.shape) for a in (lower, upper))
        for name, limit in (("lower", low), ("upper", high)):
            raise_if_any("sii", name, "is NaN or infinite", ~np.isfinite(limit), {name: limit})
            _check_scale(name, limit, value_type)
        # PHE takes limits as 95 % whatever the level asked for.
        se = (_forward(high, value_type) - _forward(low, value_type)) / (2 * z_value(0.95))
    y, pops, se = (np.moveaxis(a, axis, -1) for a in (y, pops, se))
    share, x = _ridits(pops)
    scaled = _forward(y, value_type)
    with np.errstate(divide="ignore", invalid="ignore"):
        if transform:
            intercept, slope = _fit(scaled, share, x)
            bottom, top = _backward(intercept, value_type), _backward(intercept + slope, value_type)
            index = (top - bottom) * multiplier
            relative = top / bottom
            shown_intercept = bottom * abs(multiplier)
        else:
            intercept, slope = _fit(y, share, x)
            index = slope * multiplier
            relative = (intercept + slope) / intercept
            shown_intercept = intercept
        if multiplier < 0:
            relative = 1 / relative
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    sim_a, sim_b = _simulated_fits(rng, scaled, se, share, x, repetitions, value_type, transform)
    results = []
    for level in levels:
        tail = level + (1 - level) / 2
        # PHE's positions: round(repetitions · (1 − tail)) and round(repetitions · tail), 1-based.
        positions = [int(np.round(repetitions * (1 - tail))) - 1, int(np.round(repetitions * tail)) - 1]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if transform:
                # PHE moves the fitted line's end points about its middle by
                # half of each simulated slope (on the transformed scale).
                middle = intercept + slope / 2
                ends = np.sort(sim_b, axis=0)[positions]
                bottoms = _backward(middle - ends / 2, value_type)
                tops = _backward(middle + ends / 2, value_type)
                sii_limits = (tops - bottoms) * multiplier
                rii_limits = tops / bottoms
                if multiplier < 0:
                    rii_limits = 1 / rii_limits
            else:
                sii_limits = np.sort(sim_b * multiplier, axis=0)[positions]
                rii_sim = (sim_a + sim_b) / sim_a
                if multiplier < 0:
                    rii_sim = 1 / rii_sim
                rii_limits = np.sort(rii_sim, axis=0)[positions]
        sii_low, sii_high = np.sort(sii_limits, axis=0)
        rii_low, rii_high = np.sort(rii_limits, axis=0)
        results.append(
            InequalityIndex(
                Interval(plain(index), plain(sii_low), plain(sii_high), level, "sii_simulated"),
                Interval(plain(relative), plain(rii_low), plain(rii_high), level, "rii_simulated"),
                plain(shown_intercept),
            )
        )
    return results[0] if single(confidence) else tuple(results)


def _check_scale(name: str, values: np.ndarray, value_type: str) -> None:
    if value_type == "rate":
        raise_if_any("sii", name, "is not > 0 (a rate on the log scale)", values <= 0, {name: values})
    elif value_type == "proportion":
        raise_if_any(
            "sii", name, "is not between 0 and 1 (a proportion on the logit scale)",
            (values <= 0) | (values >= 1), {name: values},
        )
