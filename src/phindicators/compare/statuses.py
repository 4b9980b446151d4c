"""The statuses comparisons give, the polarity ladders that order them, and the helpers every comparison shares."""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .._text import shown
from ..compute import Result, interval_methods
from ..errors import InvalidOptionError
from ..model import Kind, Polarity
from ..stats import (
    Interval,
    confidence_levels,
)
from ..units import conversion_factor

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

    from ..stats import Confidence


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
    if "life_table" in result.indicator.needs:
        # Its counts are the totals of the age bands its life table read: a
        # binomial or Poisson test of them is not a test of its value.
        raise InvalidOptionError(
            f"{result.indicator.id}: its value comes from a life table, not from the ratio of its "
            f"counts, so it has no test of counts and cannot be {what}"
        )
    if not interval_methods(result.indicator):
        # Binomial and Poisson models are of counts of events; on money they
        # would change with the currency unit (see compute.interval_methods).
        raise InvalidOptionError(
            f"{result.indicator.id}: its numerator is an amount of money, not a count of events, "
            f"so it has no interval or test and cannot be {what}"
        )
    return model


def _intervals(result: Result, levels: tuple[float, ...], what: str) -> list[Interval]:
    """The result's intervals at ``levels``, computed from its counts if not attached."""
    if not interval_methods(result.indicator):
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
