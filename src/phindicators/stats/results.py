"""Self-describing results of the statistics: intervals, standardised rates, tests."""

from __future__ import annotations

import math

import attrs
import numpy as np

from .levels import z_value

Values = float | np.ndarray

# ------------------------------------------------------------------ results


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b, equal_nan=True))  # type: ignore[arg-type]
    both_nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
    return bool(a == b) or both_nan


class _ValueEquality:
    """Equality field by field, arrays by value and NaN equal to NaN."""

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            _same(getattr(self, f.name), getattr(other, f.name))
            for f in attrs.fields(type(self))  # type: ignore[arg-type]
        )

    __hash__ = None  # type: ignore[assignment]  # values may be arrays


@attrs.frozen(eq=False)
class Interval(_ValueEquality):
    """A value with its confidence interval, saying how it was computed.

    Attributes
    ----------
    value, lower, upper : float or ndarray
        The estimate and its limits, in the units asked for (scaled by the
        ``multiplier`` of the function that made it).
    confidence : float
        The level, as a fraction (0.95).
    method : str
        A key of :data:`INTERVAL_METHODS`. For a scalar computed with
        ``"auto"`` it names the method actually used (``"exact"`` or
        ``"byar"``); for arrays it stays ``"auto"``.

    Examples
    --------
    >>> ci = Interval(0.5, 0.4, 0.6, 0.95, "wilson")
    >>> ci.scaled(100).upper
    60.0
    """

    value: Values
    lower: Values
    upper: Values
    confidence: float
    method: str

    def scaled(self, factor: float) -> Interval:
        """The same interval with value and limits multiplied by ``factor``."""
        return attrs.evolve(
            self, value=self.value * factor, lower=self.lower * factor, upper=self.upper * factor
        )


@attrs.frozen(eq=False)
class StandardisedRate(Interval):
    """A directly standardised rate with its Dobson interval.

    Attributes
    ----------
    total_count : float or ndarray
        Events summed over the strata.
    suppressed : bool or ndarray of bool
        True where the total count is below :data:`DSR_MIN_COUNT`; value and
        limits are NaN there.
    note : str
        Why values were suppressed ("" when none were).
    multiplier : float
        The rate is per this many people (NaN when not known), which turns
        a rate and its count back into a population (funnel plots).

    Examples
    --------
    >>> from phindicators.stats import dsr
    >>> rate = dsr([0, 3], [1000, 1000], [1, 1])
    >>> rate.suppressed, rate.note
    (True, 'total count below 10: not published')
    """

    total_count: Values = 0.0
    suppressed: bool | np.ndarray = False
    note: str = ""
    multiplier: float = float("nan")


@attrs.frozen(eq=False)
class Significance(_ValueEquality):
    """The outcome of a two-sided test of no difference.

    Attributes
    ----------
    statistic : float or ndarray
        The standard normal test statistic, signed (positive when the first
        group is higher).
    p_value : float or ndarray
        Two-sided p-value.
    method : str
        The test's name.

    Examples
    --------
    >>> from phindicators.stats import two_proportion_test
    >>> test = two_proportion_test(50, 100, 30, 100)
    >>> round(test.statistic, 4), test.significant(0.95)
    (2.8868, True)
    """

    statistic: Values
    p_value: Values
    method: str

    def significant(self, confidence: float = 0.95) -> bool | np.ndarray:
        """Whether the difference is significant at ``confidence``."""
        return abs_above(self.statistic, z_value(confidence))


@attrs.frozen(eq=False)
class Trend(Significance):
    """A chi-squared test for trend over ordered periods.

    Attributes
    ----------
    slope : float or ndarray
        Change of the value (as a fraction, or events per unit of exposure)
        per unit of time, from the weighted least-squares line.

    Examples
    --------
    >>> from phindicators.stats import trend_test
    >>> trend = trend_test([10, 12, 14, 16, 18], [100] * 5)
    >>> round(trend.slope, 3), trend.significant(0.95)
    (0.02, False)
    """

    slope: Values = 0.0


def abs_above(statistic: Values, limit: float) -> bool | np.ndarray:
    if np.ndim(statistic) == 0:
        return abs(float(statistic)) > limit
    return np.abs(statistic) > limit


def p_two_sided(statistic: Values) -> Values:
    if np.ndim(statistic) == 0:
        return math.erfc(abs(float(statistic)) / math.sqrt(2))
    from scipy import special

    return 2 * special.ndtr(-np.abs(statistic))


def plain(array: Values) -> Values:
    """A 0-d result as a Python float, anything else unchanged."""
    return float(array) if np.ndim(array) == 0 else array
