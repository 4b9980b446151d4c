"""Judging a trend over periods: the chi-squared test for trend, polarity-aware."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._options import check_axis
from ..compute import Result
from ..errors import InvalidOptionError
from ..stats import (
    Significance,
    trend_test,
)
from .statuses import _TREND_LADDERS, JUDGEMENT, TrendStatus, _model, _statuses

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike



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
