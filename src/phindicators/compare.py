"""Comparisons a front-end can colour: targets, benchmarks, pairs, trends, funnels.

Every comparison returns statuses from a :class:`enum.StrEnum` (a plain
string to JSON and to a colour table) and respects the indicator's polarity:
"better" means higher where high is good and lower where low is good. An
indicator whose polarity makes no judgement (or asks for a value in a range)
gets "higher" / "similar" / "lower", "increasing" / "decreasing", never
"better" or "worse".

The rules are those of the Fingertips technical guide: an area is compared
with a benchmark by whether its confidence interval contains the benchmark
(a benchmark exactly on a limit counts as similar); with the 95 % and
99.8 % intervals together the statuses are best / better / similar / worse /
worst; a trend is tested at 99.8 %; funnel plots draw 95 % and 99.8 %
control limits around the pooled average.

For arrays, statuses come as object arrays of the enum members (8 bytes per
element, comparable with ``==`` to the members or their string values).

Examples
--------
>>> from phindicators import get
>>> imr = get("infant_mortality_rate")
>>> compare_to_benchmark(imr.compute(23, 2158), 5.0)
<BenchmarkStatus.WORSE: 'worse'>
>>> compare_to_benchmark(imr.compute(23, 2158), 10.0)
<BenchmarkStatus.SIMILAR: 'similar'>
"""

from __future__ import annotations

import enum
import functools
import math
import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np

from ._options import check_axis
from ._text import shown
from .compute import KIND_INTERVALS, Result
from .errors import InvalidOptionError
from .model import Kind, Polarity
from .stats import (
    Interval,
    Significance,
    confidence_levels,
    funnel_limits,
    interval_bounds,
    rate_ratio_test,
    trend_test,
    two_proportion_test,
)
from .targets import Target
from .units import conversion_factor

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

    from .stats import Confidence

__all__ = [
    "BenchmarkStatus",
    "Difference",
    "Funnel",
    "FunnelPosition",
    "TargetComparison",
    "TargetStatus",
    "TrendComparison",
    "TrendStatus",
    "compare_results",
    "compare_to_benchmark",
    "compare_to_target",
    "compare_trend",
    "funnel",
]


class TargetStatus(enum.StrEnum):
    """Where a value stands against a target."""

    MET = "met"
    NOT_MET = "not_met"
    #: The confidence interval contains a threshold: met or not is not clear.
    UNCERTAIN = "uncertain"
    #: No value to judge (NaN, e.g. a suppressed rate).
    NOT_ASSESSED = "not_assessed"
    #: The target set holds no target for the indicator.
    NO_TARGET = "no_target"


class BenchmarkStatus(enum.StrEnum):
    """How a value compares with a benchmark or with another value."""

    #: Better at 99.8 % (and so at 95 %).
    BEST = "best"
    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    #: Worse at 99.8 %.
    WORST = "worst"
    #: Higher at 99.8 %, for an indicator that makes no judgement.
    HIGHER_998 = "higher_99_8"
    HIGHER = "higher"
    LOWER = "lower"
    LOWER_998 = "lower_99_8"
    #: No interval or no value to compare.
    NOT_COMPARED = "not_compared"


class TrendStatus(enum.StrEnum):
    """The direction of a significant trend, judged by polarity."""

    INCREASING_GETTING_BETTER = "increasing_and_getting_better"
    INCREASING_GETTING_WORSE = "increasing_and_getting_worse"
    DECREASING_GETTING_BETTER = "decreasing_and_getting_better"
    DECREASING_GETTING_WORSE = "decreasing_and_getting_worse"
    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    NOT_CALCULATED = "could_not_be_calculated"


class FunnelPosition(enum.StrEnum):
    """Where an area lies on a funnel plot."""

    ABOVE_998 = "above_99_8"
    ABOVE_95 = "above_95"
    WITHIN = "within"
    BELOW_95 = "below_95"
    BELOW_998 = "below_99_8"
    NOT_ASSESSED = "not_assessed"


#: +1 where higher is better, -1 where lower is better, 0 where no
#: comparison with another value may be called better or worse (a range
#: target is met inside the range, not by being higher or lower).
JUDGEMENT: dict[Polarity, int] = {
    Polarity.HIGH_IS_GOOD: 1,
    Polarity.LOW_IS_GOOD: -1,
    Polarity.IN_RANGE_IS_GOOD: 0,
    Polarity.NO_JUDGEMENT: 0,
}

# Statuses by significance code -2..2 (index code + 2) and, last, "missing".
_BENCHMARK_LADDERS: dict[int, tuple[str, ...]] = {
    1: ("worst", "worse", "similar", "better", "best", "not_compared"),
    -1: ("best", "better", "similar", "worse", "worst", "not_compared"),
    0: ("lower_99_8", "lower", "similar", "higher", "higher_99_8", "not_compared"),
}
_TREND_LADDERS: dict[int, tuple[str, ...]] = {
    1: ("decreasing_and_getting_worse", "no_significant_change", "increasing_and_getting_better"),
    -1: ("decreasing_and_getting_better", "no_significant_change", "increasing_and_getting_worse"),
    0: ("decreasing", "no_significant_change", "increasing"),
}
_FUNNEL_LADDER = ("below_99_8", "below_95", "within", "above_95", "above_99_8", "not_assessed")
_TARGET_CODES = ("met", "not_met", "uncertain", "not_assessed")

#: The statistic (stats.trend_test / funnel_limits kind) for each kind that
#: has one; means have none.
_COUNT_MODEL: dict[Kind, str] = {
    Kind.PROPORTION: "proportion",
    Kind.RATE: "rate",
    Kind.RATIO: "rate",
    Kind.DENSITY: "rate",
    Kind.COMPLETION: "rate",
    Kind.COUNT: "rate",
}

# Funnel plots always show PHE's two- and three-sigma limits.
_FUNNEL_LEVELS = (0.95, 0.998)


@functools.cache
def _members(enum_type: type[enum.StrEnum], ladder: tuple[str, ...]) -> np.ndarray:
    return np.array([enum_type(label) for label in ladder], dtype=object)


def _statuses(enum_type: type[enum.StrEnum], ladder: tuple[str, ...], codes: np.ndarray) -> object:
    """The statuses of integer codes (indices into ``ladder``): a member for
    a 0-d code, an object array of members otherwise."""
    members = _members(enum_type, ladder)
    if np.ndim(codes) == 0:
        return members[int(codes)]
    return members.take(codes)


def _model(result: Result, what: str) -> str:
    model = _COUNT_MODEL.get(result.indicator.kind)
    if model is None:
        raise InvalidOptionError(
            f"{result.indicator.id}: a {result.indicator.kind} has no interval or test, "
            f"so it cannot be {what}"
        )
    return model


def _intervals(result: Result, levels: tuple[float, ...], what: str) -> list[Interval]:
    """The result's intervals at ``levels``, computed from its counts if not attached."""
    if not KIND_INTERVALS[result.indicator.kind]:
        raise InvalidOptionError(
            f"{result.indicator.id}: a {result.indicator.kind} has no confidence interval, "
            f"so it cannot be {what}"
        )
    attached = {i.confidence: i for i in result.intervals}
    if any(level not in attached for level in levels):
        attached = {i.confidence: i for i in result.with_confidence(levels).intervals}
    return [attached[level] for level in levels]


def _ordered_levels(confidence: Confidence) -> tuple[float, ...]:
    levels = tuple(sorted(confidence_levels(confidence)))
    if len(levels) > 2:
        raise InvalidOptionError(f"compare at one or two confidence levels, got {len(levels)}")
    return levels


def _one_level(confidence: Confidence, what: str) -> float:
    """The single level of a comparison that takes one (a test, one interval)."""
    levels = confidence_levels(confidence)
    if len(levels) != 1:
        raise InvalidOptionError(
            f"{what} at one confidence level at a time, got {len(levels)}: {list(levels)}"
        )
    return levels[0]


def _in_unit(result: Result, other: Result | ArrayLike, what: str) -> np.ndarray:
    """``other`` (a Result of the same indicator, or numbers in the result's
    unit) as values in ``result.unit``, of a shape that broadcasts against
    the result's."""
    if isinstance(other, Result):
        if other.indicator.id != result.indicator.id:
            raise InvalidOptionError(
                f"{result.indicator.id}: the {what} is a result of {other.indicator.id}"
            )
        values = np.asarray(other.value, dtype=np.float64) * conversion_factor(other.unit, result.unit)
    else:
        try:
            values = np.asarray(other, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):  # text, ragged lists, ints beyond float
            raise InvalidOptionError(
                f"{result.indicator.id}: the {what} must be numbers in {result.unit} or a result, "
                f"got {shown(other)}"
            ) from None
    try:
        np.broadcast_shapes(np.shape(result.value), values.shape)
    except ValueError:
        raise InvalidOptionError(
            f"{result.indicator.id}: the {what} has shape {values.shape}, which does not broadcast "
            f"against the results' shape {np.shape(result.value)}"
        ) from None
    return values


def _significance_codes(intervals: Sequence[Interval], reference: np.ndarray) -> np.ndarray:
    """Ladder indices: 2 plus the sum over the levels of +1 (interval above
    the reference), -1 (below) or 0 (contains it, limits included); 5 (the
    ladders' last entry, "missing") where anything is NaN."""
    codes = np.zeros(np.broadcast(intervals[0].value, reference).shape, dtype=np.int8)
    missing = np.isnan(reference) | np.isnan(intervals[0].value)
    for interval in intervals:
        codes += np.asarray(interval.lower > reference, dtype=np.int8)
        codes -= np.asarray(interval.upper < reference, dtype=np.int8)
        missing = missing | np.isnan(interval.lower) | np.isnan(interval.upper)
    # Index into a ladder: codes -2..2 -> 0..4, missing -> 5.
    return np.where(missing, 5, codes + 2)


def compare_to_benchmark(
    result: Result, benchmark: Result | ArrayLike, *, confidence: Confidence = 0.95
) -> object:
    """Compare values with a benchmark (national, provincial) by their intervals.

    The value is significantly higher when its interval lies wholly above
    the benchmark, lower when wholly below; a benchmark inside the interval
    or exactly on a limit is similar.

    Parameters
    ----------
    result : Result
        The areas' results (any shape). Intervals are taken from the result
        if attached at the levels asked for, else computed from its counts.
    benchmark : Result or array_like
        A result of the same indicator (its value is the benchmark; its own
        interval is ignored, as in Fingertips) or values in ``result.unit``;
        broadcast against the result.
    confidence : float or (float, float)
        One level gives better / similar / worse (higher / similar / lower
        without judgement); two, e.g. ``(0.95, 0.998)``, give best / better /
        similar / worse / worst.

    Returns
    -------
    BenchmarkStatus or ndarray of BenchmarkStatus
        ``not_compared`` where the value, its limits or the benchmark is NaN.

    Raises
    ------
    InvalidOptionError
        An indicator with no interval (means), a benchmark of another
        indicator, or more than two levels.

    Examples
    --------
    >>> import numpy as np
    >>> from phindicators import get
    >>> rate = get("maternal_systematic_management_rate")
    >>> areas = rate.compute(np.array([980, 950, 900]), np.array([1000, 1000, 1000]))
    >>> compare_to_benchmark(areas, 95.0, confidence=(0.95, 0.998)).tolist()
    [<BenchmarkStatus.BEST: 'best'>, <BenchmarkStatus.SIMILAR: 'similar'>, \
<BenchmarkStatus.WORST: 'worst'>]
    """
    levels = _ordered_levels(confidence)
    intervals = _intervals(result, levels, "compared with a benchmark")
    reference = _in_unit(result, benchmark, "benchmark")
    codes = _significance_codes(intervals, reference)
    ladder = _BENCHMARK_LADDERS[JUDGEMENT[result.indicator.polarity]]
    return _statuses(BenchmarkStatus, ladder, codes)


@attrs.frozen(eq=False)
class TargetComparison:
    """A value against a target.

    Attributes
    ----------
    status : TargetStatus or ndarray of TargetStatus
    gap : float or ndarray
        Signed distance to the threshold in the result's unit, >= 0 when met
        (see :meth:`phindicators.targets.Target.gap`).
    target : Target
        The target compared with.
    """

    status: object
    gap: float | np.ndarray
    target: Target


def compare_to_target(
    result: Result,
    target: Target,
    *,
    uncertain: bool = False,
    confidence: float = 0.95,
    baseline: Result | ArrayLike | None = None,
) -> TargetComparison:
    """Whether results meet a target, by how much, and optionally how surely.

    Parameters
    ----------
    result : Result
        Results of the target's indicator.
    target : Target
        The requirement (see :mod:`phindicators.targets`).
    uncertain : bool
        Report ``uncertain`` where the confidence interval contains a
        threshold (limits included), whichever side the value is on.
    confidence : float
        Level of that interval.
    baseline : Result or array_like, optional
        Baseline for a relative target ("下降1/4"), passed to the target.

    Returns
    -------
    TargetComparison

    Raises
    ------
    InvalidOptionError
        ``uncertain=True`` for an indicator with no interval (means), or
        a confidence that is not one level.

    Examples
    --------
    >>> from phindicators import get
    >>> from phindicators.model import Source
    >>> from phindicators.targets import Target
    >>> imr_target = Target(id="imr", indicator="infant_mortality_rate", comparator="<=",
    ...                     threshold=10, unit="permille", plan="outline",
    ...                     source=Source(id="outline", title="Outline"))
    >>> imr = get("infant_mortality_rate").compute(23, 2158)
    >>> outcome = compare_to_target(imr, imr_target)
    >>> outcome.status, round(outcome.gap, 2)
    (<TargetStatus.NOT_MET: 'not_met'>, -0.66)
    >>> compare_to_target(imr, imr_target, uncertain=True).status
    <TargetStatus.UNCERTAIN: 'uncertain'>
    """
    level = _one_level(confidence, "judge a target")
    met = target.is_met(result, baseline=baseline)
    gap = target.gap(result, baseline=baseline)
    if type(met) is bool and type(result.value) is float and not uncertain:
        # One value (an app's request): no arrays.
        code = 3 if math.isnan(result.value) else 0 if met else 1
        return TargetComparison(_members(TargetStatus, _TARGET_CODES)[code], gap, target)
    codes = np.where(met, 0, 1)
    if uncertain:
        (interval,) = _intervals(result, (level,), "judged uncertain")
        straddles = np.zeros(codes.shape, dtype=bool)
        for threshold in target.thresholds(result.unit, baseline=baseline):
            straddles |= (interval.lower <= threshold) & (threshold <= interval.upper)
        codes = np.where(straddles, 2, codes)
    codes = np.where(np.isnan(result.value), 3, codes)
    return TargetComparison(_statuses(TargetStatus, _TARGET_CODES, codes), gap, target)


@attrs.frozen(eq=False)
class Difference:
    """Two results compared: by how much, and whether the difference is real.

    Attributes
    ----------
    difference : float or ndarray
        ``a − b`` in ``a``'s unit.
    ratio : float or ndarray
        ``a / b`` (inf or NaN where ``b`` is 0).
    overlap : bool or ndarray of bool
        Whether the confidence intervals overlap (touching counts).
    status_by_overlap : BenchmarkStatus or ndarray
        ``a`` relative to ``b`` by the overlapping-interval rule: a
        difference only where the intervals do not overlap (conservative).
    test : Significance
        The two-sample test (two-proportion z test, or the score test of two
        Poisson rates).
    status : BenchmarkStatus or ndarray
        ``a`` relative to ``b`` by the test at the confidence level.
    """

    difference: float | np.ndarray
    ratio: float | np.ndarray
    overlap: bool | np.ndarray
    status_by_overlap: object
    test: Significance
    status: object


def compare_results(a: Result, b: Result, *, confidence: float = 0.95) -> Difference:
    """Compare two areas, or two periods, of one indicator.

    Parameters
    ----------
    a, b : Result
        Results of the same indicator (broadcast together): ``a`` is judged
        relative to ``b``.
    confidence : float
        Level of the intervals and of the test.

    Returns
    -------
    Difference

    Raises
    ------
    InvalidOptionError
        Results of different indicators, or of shapes that do not broadcast
        together, or of a kind with no test (means), or a confidence that is
        not one level.

    Examples
    --------
    >>> from phindicators import get
    >>> imr = get("infant_mortality_rate")
    >>> this_year, last_year = imr.compute(23, 2158), imr.compute(10, 2000)
    >>> change = compare_results(this_year, last_year)
    >>> round(change.difference, 2), change.overlap, change.status_by_overlap, change.status
    (5.66, True, <BenchmarkStatus.SIMILAR: 'similar'>, <BenchmarkStatus.WORSE: 'worse'>)
    """
    if a.indicator.id != b.indicator.id:
        raise InvalidOptionError(f"cannot compare {a.indicator.id} with {b.indicator.id}")
    model = _model(a, "compared")
    try:
        np.broadcast_shapes(np.shape(a.value), np.shape(b.value))
    except ValueError:
        raise InvalidOptionError(
            f"{a.indicator.id}: cannot compare results of shapes {np.shape(a.value)} and {np.shape(b.value)}, "
            "which do not broadcast together"
        ) from None
    level = _one_level(confidence, "compare two results")
    (ia,) = _intervals(a, (level,), "compared")
    (ib,) = _intervals(b, (level,), "compared")
    factor = conversion_factor(b.unit, a.unit)
    b_value, b_lower, b_upper = (np.asarray(v) * factor for v in (b.value, ib.lower, ib.upper))
    with np.errstate(divide="ignore", invalid="ignore"):
        difference = np.subtract(a.value, b_value)
        ratio = np.divide(a.value, b_value)
    overlap = (ia.lower <= b_upper) & (b_lower <= ia.upper)
    by_overlap = np.asarray(ia.lower > b_upper, np.int8) - np.asarray(ia.upper < b_lower, np.int8)
    a_den = 1.0 if a.denominator is None else a.denominator  # counts have exposure 1
    b_den = 1.0 if b.denominator is None else b.denominator
    tests = {"proportion": two_proportion_test, "rate": rate_ratio_test}
    test = tests[model](a.numerator, a_den, b.numerator, b_den)
    significant = np.asarray(test.significant(level), np.int8)
    by_test = significant * np.sign(test.statistic).astype(np.int8)
    missing = np.isnan(difference)
    ladder = _BENCHMARK_LADDERS[JUDGEMENT[a.indicator.polarity]]
    return Difference(
        difference=_plain(difference),
        ratio=_plain(ratio),
        overlap=bool(overlap) if np.ndim(overlap) == 0 else overlap,
        status_by_overlap=_statuses(BenchmarkStatus, ladder, np.where(missing, 5, by_overlap + 2)),
        test=test,
        status=_statuses(BenchmarkStatus, ladder, np.where(missing, 5, by_test + 2)),
    )


def _plain(array: np.ndarray) -> float | np.ndarray:
    return float(array) if np.ndim(array) == 0 else array


@attrs.frozen(eq=False)
class TrendComparison:
    """A trend over periods, tested and judged.

    Attributes
    ----------
    status : TrendStatus or ndarray of TrendStatus
    slope : float or ndarray
        Change per unit of time in the result's unit (weighted least
        squares).
    test : Trend
        The chi-squared test for trend (:func:`phindicators.stats.trend_test`).
    """

    status: object
    slope: float | np.ndarray
    test: Significance


#: Fewest periods a trend is reported for (Fingertips: five data points).
MIN_TREND_PERIODS = 5


def compare_trend(
    result: Result,
    *,
    axis: int = -1,
    times: ArrayLike | None = None,
    confidence: float = 0.998,
) -> TrendComparison:
    """The recent trend of results over at least five periods.

    The chi-squared test for trend (Cochran–Armitage for proportions; for
    counts of events the same test on Poisson counts, equal to a weighted
    regression of the rate on time) is significant at ``confidence``
    (99.8 % as in Fingertips). A significant rise of an indicator where high
    is good is "increasing and getting better", and so on; without judgement
    it is "increasing" or "decreasing".

    Parameters
    ----------
    result : Result
        Results with periods along ``axis`` (other axes are areas).
        Fingertips uses the five most recent periods: slice them first.
    axis : int
        The axis of the periods, oldest first.
    times : array_like, optional
        The time of each period (default 0, 1, 2, ...).
    confidence : float
        Level at which a trend is significant.

    Returns
    -------
    TrendComparison
        ``could_not_be_calculated`` where the pooled variance is 0 (no
        events, or all of them).

    Raises
    ------
    InvalidOptionError
        Fewer than five periods, an axis out of range, or a kind with no test
        (means).

    Examples
    --------
    >>> import numpy as np
    >>> from phindicators import get
    >>> rate = get("maternal_systematic_management_rate")
    >>> years = rate.compute(np.array([850, 870, 890, 910, 930]), np.full(5, 1000))
    >>> trend = compare_trend(years)
    >>> trend.status, round(trend.slope, 2)
    (<TrendStatus.INCREASING_GETTING_BETTER: 'increasing_and_getting_better'>, 2.0)
    """
    model = _model(result, "tested for a trend")
    value = np.asarray(result.value)
    if value.ndim != 0:
        axis = check_axis(f"{result.indicator.id}: compare_trend", axis, value.ndim)
    if value.ndim == 0 or value.shape[axis] < MIN_TREND_PERIODS:
        periods = 0 if value.ndim == 0 else value.shape[axis]
        raise InvalidOptionError(
            f"{result.indicator.id}: a trend needs at least {MIN_TREND_PERIODS} periods, got {periods}"
        )
    denominator = np.ones_like(value) if result.denominator is None else result.denominator
    test = trend_test(result.numerator, denominator, kind=model, times=times, axis=axis)
    scale = result.scale
    statistic = np.asarray(test.statistic)
    direction = np.sign(np.nan_to_num(statistic)).astype(np.int8)
    significant = np.asarray(test.significant(confidence), np.int8)
    codes = np.where(np.isnan(statistic), 3, significant * direction + 1)
    ladder = (*_TREND_LADDERS[JUDGEMENT[result.indicator.polarity]], "could_not_be_calculated")
    return TrendComparison(_statuses(TrendStatus, ladder, codes), test.slope * scale, test)


@attrs.frozen(eq=False)
class Funnel:
    """Areas placed on a funnel plot.

    Attributes
    ----------
    average : float
        The centre line in the result's unit (pooled Σx / Σn unless given).
    positions : FunnelPosition or ndarray of FunnelPosition
        Each area against the 95 % and 99.8 % limits at its denominator:
        outside a limit when its own interval (Wilson for proportions, exact
        Poisson for counts of events) excludes the average.
    kind : str
        ``"proportion"`` or ``"rate"``: how the limits are computed.
    scale : float
        Factor from the counts' ratio to the result's unit.
    """

    average: float
    positions: object
    kind: str
    scale: float

    def limits(self, denominators: ArrayLike) -> tuple[Interval, ...]:
        """The 95 % and 99.8 % control limits at ``denominators``, in the
        result's unit, for drawing the funnel.

        Examples
        --------
        >>> import numpy as np
        >>> from phindicators import get
        >>> rate = get("maternal_systematic_management_rate")
        >>> plot = funnel(rate.compute(np.array([90, 850, 400]), np.array([100, 1000, 500])))
        >>> inner, outer = plot.limits([100, 1000])
        >>> bool(np.all(outer.lower < inner.lower))
        True
        """
        return funnel_limits(  # type: ignore[return-value]
            denominators,
            self.average / self.scale,
            _FUNNEL_LEVELS,
            kind=self.kind,
            multiplier=self.scale,
        )


def _average(result: Result, average: object) -> float:
    """A given centre line in the result's unit, checked once: NaN would leave
    every area unassessed, and an impossible average (-1 %, 200 %) would put
    every area on one side."""
    indicator = result.indicator
    value = math.nan
    if isinstance(average, numbers.Real) and not isinstance(average, bool):
        try:
            value = float(average)
        except OverflowError:  # an int beyond float range
            value = math.inf
    # The indicator's valid range, in the result's unit (>= 0: averages are
    # of counts).
    factor = conversion_factor(indicator.unit, result.unit)
    low, high = (bound * factor for bound in indicator.valid_range)
    low = max(low, 0.0)
    if not (math.isfinite(value) and low <= value <= high):  # NaN fails
        allowed = f"from {low:g} to {high:g}" if math.isfinite(high) else f">= {low:g}"
        raise InvalidOptionError(
            f"{indicator.id}: the average of a funnel plot must be a finite number {allowed} "
            f"({result.unit}), got {shown(average)}"
        )
    return value


def funnel(result: Result, *, average: float | None = None) -> Funnel:
    """Place areas on a funnel plot with 95 % and 99.8 % control limits.

    Parameters
    ----------
    result : Result
        One result per area (any shape), with denominators.
    average : float, optional
        The centre line in the result's unit; by default the pooled value of
        all areas (Σ numerators / Σ denominators), as PHE draws it.

    Returns
    -------
    Funnel

    Raises
    ------
    InvalidOptionError
        A kind with no test (means) or without denominators (counts), or
        an average that is not a finite number >= 0 inside the indicator's
        valid range (a proportion's at most 100 %).

    Examples
    --------
    >>> import numpy as np
    >>> from phindicators import get
    >>> rate = get("maternal_systematic_management_rate")
    >>> plot = funnel(rate.compute(np.array([95, 850, 400]), np.array([100, 1000, 500])))
    >>> round(plot.average, 2), plot.positions.tolist()
    (84.06, [<FunnelPosition.ABOVE_95: 'above_95'>, <FunnelPosition.WITHIN: 'within'>, \
<FunnelPosition.BELOW_95: 'below_95'>])
    """
    kind = _model(result, "placed on a funnel plot")
    if result.denominator is None:
        raise InvalidOptionError(f"{result.indicator.id}: a funnel plot needs denominators")
    scale = result.scale
    numerator = np.asarray(result.numerator, dtype=np.float64)
    denominator = np.asarray(result.denominator, dtype=np.float64)
    centre = numerator.sum() / denominator.sum() if average is None else _average(result, average) / scale
    method = "wilson" if kind == "proportion" else "exact"
    intervals = []
    for level in _FUNNEL_LEVELS:
        lower, upper, _ = interval_bounds(method, result.numerator, result.denominator, level)
        intervals.append(Interval(numerator / denominator, lower, upper, level, method))
    codes = _significance_codes(intervals, np.asarray(centre))
    return Funnel(
        float(centre * scale), _statuses(FunnelPosition, _FUNNEL_LADDER, codes), kind, scale
    )

