"""Funnel plots: where each area's result falls between the 95 % and 99.8 % control limits."""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._text import shown
from ..compute import Result
from ..errors import InvalidOptionError
from ..stats import (
    Interval,
    funnel_limits,
    interval_bounds,
)
from ..units import conversion_factor
from .statuses import _FUNNEL_LADDER, _FUNNEL_LEVELS, FunnelPosition, _model, _significance_codes, _statuses

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike



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
