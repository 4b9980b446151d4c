"""Funnel-plot control limits for proportions and rates."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._counts import checked_counts, raise_if_any
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


# ------------------------------------------------- rate funnels by events (PHE)

#: The category of a DSR below 10 events in :func:`rate_funnel_significance`
#: (PHE's wording): its rate is not plotted or judged.
FUNNEL_NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"

#: The funnel categories, in PHE's order.
FUNNEL_CATEGORIES = (
    "High (0.001)",
    "High (0.025)",
    "Low (0.001)",
    "Low (0.025)",
    "Not significant",
    FUNNEL_NOT_APPLICABLE,
)

#: The kinds of rate of :func:`rate_funnel_limits`: crude rates, or DSRs
#: (not plotted below :data:`~phindicators.stats.dsr.DSR_MIN_COUNT` events).
RATE_KINDS = ("crude", "dsr")

_DSR_MIN_EVENTS = 10  # dsr.DSR_MIN_COUNT; dsr imports nothing from here, but keep the layers flat


@attrs.frozen(eq=False)
class FunnelPoints:
    """The points of a rate funnel plot (PHE's ``calculate_funnel_points``).

    Attributes
    ----------
    rate : ndarray
        The rate to plot (NaN for a DSR below 10 events).
    denominator : ndarray
        The population per year at which to plot it, ``multiplier · count /
        rate / years_of_data`` (the given denominator per year for a crude
        rate of 0 events; NaN for a DSR below 10 events).
    """

    rate: np.ndarray
    denominator: np.ndarray


@attrs.frozen(eq=False)
class RateFunnel:
    """Control limits of a rate funnel at a list of event counts (PHE's layout).

    Attributes
    ----------
    events : ndarray
        The event counts (the axis PHE tabulates).
    lower_population, upper_population : ndarray
        The population per year at which ``events`` events sit on the lower
        and the upper limit.
    lower, upper : ndarray
        Those limits as rates (times the multiplier).
    baseline : float
        The average rate times the multiplier.
    confidence : float
    """

    events: np.ndarray
    lower_population: np.ndarray
    lower: np.ndarray
    upper_population: np.ndarray
    upper: np.ndarray
    baseline: float
    confidence: float


def _derived_denominators(
    counts: np.ndarray, rates: np.ndarray, kind: str, multiplier: float, denominators: np.ndarray | None
) -> np.ndarray:
    """PHE's ``denominator_derived``: ``multiplier · count / rate``; for 0
    events the given denominator (crude) or nothing (DSR)."""
    zero = counts == 0
    if np.any(zero & (rates != 0)):
        raise InvalidOptionError("rate funnels: a record with 0 events has a rate that is not 0")
    if kind == "crude" and np.any(zero) and denominators is None:
        raise InvalidOptionError(
            "rate funnels: records with 0 events need their denominators (denominators=)"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = multiplier * counts / rates
    if kind == "dsr":
        return np.where(zero, np.nan, derived)
    if denominators is not None:
        derived = np.where(zero, denominators, derived)
    return derived


def _rate_inputs(
    where: str, counts: ArrayLike, rates: ArrayLike, kind: str, denominators: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    check_choice("kind", kind, RATE_KINDS)
    # A record of 0 events may come without a rate (PHE: NA); it is 0.
    given = np.asarray(rates, dtype=np.float64)
    rates = np.where(np.isnan(given) & (np.asarray(counts) == 0), 0.0, given)
    x, r = (
        np.atleast_1d(np.asarray(a))
        for a in checked_counts(where, {"counts": counts, "rates": rates}, per_unit=("rates",))
    )
    raise_if_any(where, "rates", "is 0 where there are events", (r == 0) & (x > 0), {"counts": x, "rates": r})
    d = None
    if denominators is not None:
        (d,) = checked_counts(where, {"denominators": denominators})
        d = np.broadcast_to(np.asarray(d), x.shape)
    return x, r, d


def _years(years_of_data: object) -> float:
    if isinstance(years_of_data, bool) or not isinstance(years_of_data, int | float) or not years_of_data > 0:
        raise InvalidOptionError(f"years_of_data must be a number > 0, got {years_of_data!r}")
    return float(years_of_data)


def funnel_points(
    counts: ArrayLike,
    rates: ArrayLike,
    *,
    kind: str = "crude",
    years_of_data: float = 1,
    multiplier: float = 100_000,
    denominators: ArrayLike | None = None,
) -> FunnelPoints:
    """Where each area sits on a rate funnel plot (PHE's ``calculate_funnel_points``).

    Examples
    --------
    >>> points = funnel_points([414, 5], [184.0, 90.0], kind="dsr", years_of_data=3)
    >>> points.denominator.round(1).tolist(), bool(np.isnan(points.rate[1]))
    ([75000.0, nan], True)
    """
    multiplier = check_multiplier(multiplier)
    years = _years(years_of_data)
    x, r, d = _rate_inputs("funnel_points", counts, rates, kind, denominators)
    derived = _derived_denominators(x, r, kind, multiplier, d) / years
    if kind == "dsr":
        small = x < _DSR_MIN_EVENTS
        return FunnelPoints(np.where(small, np.nan, r), np.where(small, np.nan, derived))
    return FunnelPoints(r.astype(np.float64), derived)


def _signif_floor(x: float) -> float:
    value = math.floor(x * 0.95)
    if x == 0:
        return 0.0
    n = len(str(value)) - 1
    return math.floor(x * 0.95 / 10**n) * 10**n


def _signif_ceiling(x: float) -> float:
    value = math.ceil(x * 1.05)
    if x == 0:
        return 0.0
    n = len(str(value)) - 2
    return math.ceil(x * 1.05 / 10**n) * 10.0**n


def funnel_axis(start: float, stop: float, points: int = 100, *, ratio: bool = False) -> np.ndarray:
    """PHE's axis of a funnel table: ``points`` whole numbers from ``max(1, start)``
    to about ``stop``, spaced geometrically, each at least one above the last.

    ``ratio=True`` is PHE's spacing for ratio funnels, one step short of
    ``stop`` (its exponents run one place later).

    Examples
    --------
    >>> axis = funnel_axis(0, 1000)
    >>> axis[:5].tolist(), int(axis[-1]), len(axis)
    ([1.0, 2.0, 3.0, 4.0, 5.0], 1000, 100)
    """
    axis = [max(1.0, float(start))]
    for j in range(2, points + 1):
        step = (stop / axis[-1]) ** (1 / (points + 1 + ratio - j)) * axis[-1]
        # R's round() halves to even, as numpy's does.
        axis.append(max(float(np.round(step)), axis[-1] + 1))
    return np.array(axis)


def rate_funnel_limits(
    counts: ArrayLike,
    rates: ArrayLike,
    *,
    kind: str = "crude",
    years_of_data: float = 1,
    multiplier: float = 100_000,
    denominators: ArrayLike | None = None,
    confidence: Confidence = (0.95, 0.998),
) -> RateFunnel | tuple[RateFunnel, ...]:
    """A rate funnel drawn by event count, as PHE's ``calculate_funnel_limits(statistic = "rate")``.

    The average is ``Σ counts / Σ derived denominators`` (``multiplier ·
    count / rate``; for 0 events the given denominator of a crude rate, and
    none for a DSR). Along an axis of 100 event counts (:func:`funnel_axis`
    over the populations seen, times the average), the population at which
    ``e`` events sit on each limit is the expected count whose exact
    Poisson interval just reaches ``e`` — ``χ²(1 − α/2; 2e + 2)/2`` below,
    ``χ²(α/2; 2e)/2`` above — over the average, per year of data. PHE finds
    those counts by bisection (to about 5e-5); here they are exact.

    Raises
    ------
    InvalidCountsError
        Negative or missing counts, rates or denominators; a rate of 0 with
        events.
    InvalidOptionError
        Records of 0 events without denominators (crude rates), an unknown
        kind, a bad multiplier, years of data or confidence.

    Examples
    --------
    >>> inner, outer = rate_funnel_limits([414, 462, 300], [184.0, 102.0, 150.0], kind="dsr", years_of_data=3)
    >>> len(inner.events), round(inner.baseline, 4)
    (100, 133.9497)
    """
    from scipy import special

    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    years = _years(years_of_data)
    x, r, d = _rate_inputs("rate_funnel_limits", counts, rates, kind, denominators)
    derived = _derived_denominators(x, r, kind, multiplier, d)
    average = float(x.sum() / np.nansum(derived))
    low, high = float(np.nanmin(derived)), float(np.nanmax(derived))
    start = 0.0 if high > 2 * low else _signif_floor(low / years) * years
    stop = _signif_ceiling(high / years) * years
    events = funnel_axis(math.floor(start * average), math.ceil(stop * average))
    results = []
    for level in levels:
        tail = (1 - level) / 2
        expected_high = special.gammaincinv(events + 1, 1 - tail)
        expected_low = special.gammaincinv(events, tail)
        results.append(
            RateFunnel(
                events,
                expected_high / average / years,
                events / (expected_high / average) * multiplier,
                expected_low / average / years,
                events / (expected_low / average) * multiplier,
                average * multiplier,
                level,
            )
        )
    return results[0] if single(confidence) else tuple(results)


def rate_funnel_significance(
    counts: ArrayLike,
    rates: ArrayLike,
    *,
    kind: str = "crude",
    multiplier: float = 100_000,
    denominators: ArrayLike | None = None,
) -> np.ndarray:
    """Each area's funnel category (PHE's ``assign_funnel_significance``, rates).

    The average ``Σ counts / Σ derived denominators`` is compared with each
    area's Poisson interval (exact below 10 events, Byar's from 10) at
    99.8 % and 95 %: "High (0.001)", "High (0.025)", "Low (0.001)", "Low
    (0.025)" or "Not significant"; a DSR below 10 events is
    :data:`FUNNEL_NOT_APPLICABLE`.

    Examples
    --------
    >>> rate_funnel_significance([400, 100, 5], [200.0, 100.0, 80.0], kind="dsr").tolist()
    ['High (0.001)', 'Low (0.001)', 'Not applicable for events less than 10 for dsrs']
    """
    from .poisson import poisson_interval

    multiplier = check_multiplier(multiplier)
    x, r, d = _rate_inputs("rate_funnel_significance", counts, rates, kind, denominators)
    derived = _derived_denominators(x, r, kind, multiplier, d)
    average = x.sum() / np.nansum(derived)
    usable = np.where(np.isnan(derived), 1.0, derived)
    wide, narrow = poisson_interval(x, usable, (0.998, 0.95))  # type: ignore[misc]
    category = np.select(
        [average < wide.lower, average < narrow.lower, average > wide.upper, average > narrow.upper],
        list(FUNNEL_CATEGORIES[:4]),
        default="Not significant",
    ).astype(object)
    if kind == "dsr":
        category = np.where(x < _DSR_MIN_EVENTS, FUNNEL_NOT_APPLICABLE, category).astype(object)
    return category


#: The kinds of ratio of :func:`ratio_funnel_limits`: an ISR in percent
#: (limits × 100) or a count ratio minus 1 (PHE's ``ratio_type``).
RATIO_KINDS = ("isr", "count")


@attrs.frozen(eq=False)
class RatioFunnel:
    """Control limits of a ratio funnel at a list of observed counts (PHE's layout).

    Attributes
    ----------
    observed : ndarray
        The observed counts (the axis PHE tabulates).
    lower_expected, upper_expected : ndarray
        The expected counts at which ``observed`` sits on the lower and upper
        limit.
    lower, upper : ndarray
        Those limits: ``observed / expected`` × 100 for an ISR, minus 1 for a
        count ratio.
    confidence : float
    """

    observed: np.ndarray
    lower_expected: np.ndarray
    lower: np.ndarray
    upper_expected: np.ndarray
    upper: np.ndarray
    confidence: float


def ratio_funnel_limits(
    observed: ArrayLike,
    expected: ArrayLike,
    *,
    kind: str = "isr",
    confidence: Confidence = (0.95, 0.998),
) -> RatioFunnel | tuple[RatioFunnel, ...]:
    """A funnel of indirectly standardised ratios (or count ratios), as PHE's
    ``calculate_funnel_limits(statistic = "ratio")``.

    Along an axis of 100 observed counts spanning the expected counts seen,
    the limits are ``O / E`` where ``E`` is the expected count whose exact
    Poisson interval just reaches ``O``: ``χ²(1 − α/2; 2O + 2)/2`` for the
    lower limit, ``χ²(α/2; 2O)/2`` for the upper (PHE bisects; these are
    exact).

    Examples
    --------
    >>> inner, _ = ratio_funnel_limits([8, 151, 40], [6.2, 106.4, 45.0])
    >>> int(inner.observed[0]), round(float(inner.lower[0]), 2), round(float(inner.upper[0]), 1)
    (1, 17.95, 3949.8)
    """
    from scipy import special

    check_choice("kind", kind, RATIO_KINDS)
    levels = confidence_levels(confidence)
    o, e = (
        np.atleast_1d(np.asarray(a))
        for a in checked_counts("ratio_funnel_limits", {"observed": observed, "expected": expected},
                                positive=("expected",))
    )
    low, high = float(e.min()), float(e.max())
    start = 0.0 if high > 2 * low else _signif_floor(low)
    axis = funnel_axis(start, _signif_ceiling(high), ratio=True)
    results = []
    for level in levels:
        tail = (1 - level) / 2
        expected_high = special.gammaincinv(axis + 1, 1 - tail)
        expected_low = special.gammaincinv(axis, tail)
        lower, upper = axis / expected_high, axis / expected_low
        if kind == "isr":
            lower, upper = lower * 100, upper * 100
        else:
            lower, upper = lower - 1, upper - 1
        results.append(RatioFunnel(axis, expected_high, lower, expected_low, upper, level))
    return results[0] if single(confidence) else tuple(results)


def ratio_funnel_significance(observed: ArrayLike, expected: ArrayLike) -> np.ndarray:
    """Each area's funnel category for a ratio (PHE's ``assign_funnel_significance``, ratios).

    1 is compared with the Poisson interval of ``observed / expected``
    (exact below 10 events, Byar's from 10) at 99.8 % and 95 %.

    Examples
    --------
    >>> ratio_funnel_significance([8, 151, 20], [6.2, 106.4, 40.0]).tolist()
    ['Not significant', 'High (0.001)', 'Low (0.001)']
    """
    from .poisson import poisson_interval

    o, e = (
        np.atleast_1d(np.asarray(a))
        for a in checked_counts("ratio_funnel_significance", {"observed": observed, "expected": expected},
                                positive=("expected",))
    )
    wide, narrow = poisson_interval(o, e, (0.998, 0.95))  # type: ignore[misc]
    category: np.ndarray = np.select(
        [wide.lower > 1, narrow.lower > 1, wide.upper < 1, narrow.upper < 1],
        list(FUNNEL_CATEGORIES[:4]),
        default="Not significant",
    ).astype(object)
    return category
