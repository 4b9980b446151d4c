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
    IndirectlyStandardised,
    Interval,
    RateFunnel,
    RatioFunnel,
    StandardisedRate,
    funnel_limits,
    interval_bounds,
    poisson_interval,
    rate_funnel_limits,
    ratio_funnel_limits,
)
from ..stats.dsr import DSR_MIN_COUNT
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
        The centre line in the result's unit (pooled Σx / Σn unless given;
        for DSRs Σ events / Σ populations derived from them; for ISRs the
        value at O = E).
    positions : FunnelPosition or ndarray of FunnelPosition
        Each area against the 95 % and 99.8 % limits at its denominator:
        outside a limit when its own interval (Wilson for proportions, exact
        Poisson for counts of events, the Poisson interval of the events for
        DSRs and ISRs) excludes the average. A DSR of fewer than 10 events
        is ``NOT_ASSESSED`` (PHE: "not applicable").
    kind : str
        ``"proportion"`` or ``"rate"`` (a Result: how the limits are
        computed), ``"dsr"`` or ``"isr"``.
    scale : float
        Factor from the counts' ratio to the result's unit (the DSRs' or
        ISRs' multiplier).
    events, values : ndarray or None
        For DSRs, each area's events and rate; for ISRs, the observed and
        expected events: what :meth:`table` draws the funnel from.
    years_of_data : float
        Years the DSRs cover: the funnel's populations are per year.
    """

    average: float
    positions: object
    kind: str
    scale: float
    events: np.ndarray | None = None
    values: np.ndarray | None = None
    years_of_data: float = 1.0

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
        if self.kind in _STANDARDISED:
            raise InvalidOptionError(
                f"a funnel of {self.kind.upper()}s is drawn by event count: use Funnel.table()"
            )
        return funnel_limits(  # type: ignore[return-value]
            denominators,
            self.average / self.scale,
            _FUNNEL_LEVELS,
            kind=self.kind,
            multiplier=self.scale,
        )


    def table(self) -> tuple[RateFunnel, RateFunnel] | tuple[RatioFunnel, RatioFunnel]:
        """The 95 % and 99.8 % limits of a funnel of DSRs or ISRs, tabulated
        along 100 event counts as PHE's ``calculate_funnel_limits`` does
        (:func:`~phindicators.stats.rate_funnel_limits` by event count with
        ``years_of_data``, :func:`~phindicators.stats.ratio_funnel_limits`
        by observed events).

        Examples
        --------
        >>> import numpy as np
        >>> from phindicators.stats import isr
        >>> smr = isr(np.array([[30, 45], [2, 1], [60, 90]]),
        ...           np.array([[1000, 5000], [100, 500], [1000, 5000]]),
        ...           [10, 40], [10_000, 5_000], refvalue=100)
        >>> plot = funnel(smr)
        >>> plot.average, [p.value for p in plot.positions]
        (100.0, ['above_99_8', 'within', 'above_99_8'])
        >>> inner, outer = plot.table()
        >>> len(inner.observed), int(inner.observed[0]), round(float(outer.upper[0]))
        (100, 1, 99950)
        """
        if self.events is None or self.values is None:
            raise InvalidOptionError("Funnel.table() draws funnels of DSRs or ISRs; use limits(denominators)")
        if self.kind == "dsr":
            return rate_funnel_limits(  # type: ignore[return-value]
                self.events,
                self.values,
                kind="dsr",
                years_of_data=self.years_of_data,
                multiplier=self.scale,
                confidence=_FUNNEL_LEVELS,
            )
        return ratio_funnel_limits(self.events, self.values, kind="isr", confidence=_FUNNEL_LEVELS)  # type: ignore[return-value]


#: The stats results ph.funnel() takes besides a Result, by their kind.
_STANDARDISED = ("dsr", "isr")


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


def funnel(
    result: Result | StandardisedRate | IndirectlyStandardised,
    *,
    average: float | None = None,
    years_of_data: float = 1,
) -> Funnel:
    """Place areas on a funnel plot with 95 % and 99.8 % control limits.

    Parameters
    ----------
    result : Result, StandardisedRate or IndirectlyStandardised
        One result per area (any shape), with denominators; or the DSRs of
        :func:`phindicators.stats.dsr` (a rate funnel by event count, as
        PHE's ``assign_funnel_significance`` with ``type = "dsr"``: each
        area's population is derived as ``multiplier · events / DSR``, the
        centre is Σ events / Σ derived populations, and an area of fewer
        than 10 events is not assessed); or the ISRs (ratios or rates) of
        :func:`phindicators.stats.isr`, judged by the Poisson interval of
        ``O / E`` against 1.
    average : float, optional
        The centre line in the result's unit; by default the pooled value of
        all areas (Σ numerators / Σ denominators), as PHE draws it. Not for
        ISRs, whose centre is their reference (O = E).
    years_of_data : float
        Years the DSRs pool, for :meth:`Funnel.table`'s populations per year.

    Returns
    -------
    Funnel

    Raises
    ------
    InvalidOptionError
        A kind with no test (means) or without denominators (counts), or
        an average that is not a finite number >= 0 inside the indicator's
        valid range (a proportion's at most 100 %).

    Notes
    -----
    DSRs that :func:`~phindicators.stats.dsr` did not publish (fewer than 10
    events: NaN) enter neither the centre nor the judgement; PHE, given
    their rates, counts their populations in the centre.

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
    if isinstance(result, StandardisedRate):
        return _dsr_funnel(result, average, years_of_data)
    if isinstance(result, IndirectlyStandardised):
        if average is not None:
            raise InvalidOptionError("the centre of a funnel of ISRs is their reference (O = E); average= is not taken")
        return _isr_funnel(result)
    if not isinstance(result, Result):
        raise InvalidOptionError(
            f"funnel() takes a Result, or DSRs or ISRs of phindicators.stats, got {shown(result)}"
        )
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


def _positions(
    events: np.ndarray, exposure: np.ndarray, centre: float | np.ndarray, assessed: np.ndarray
) -> object:
    """Funnel positions of events over exposure (Poisson, exact below 10
    events, Byar's from 10, as PHE) against ``centre``; ``NOT_ASSESSED``
    where not ``assessed``."""
    intervals = poisson_interval(events, np.where(assessed, exposure, 1.0), _FUNNEL_LEVELS)
    codes = _significance_codes(intervals, np.asarray(centre, dtype=np.float64))  # type: ignore[arg-type]
    codes = np.where(assessed, codes, _FUNNEL_LADDER.index("not_assessed"))
    return _statuses(FunnelPosition, _FUNNEL_LADDER, codes)


def _dsr_funnel(rates: StandardisedRate, average: float | None, years_of_data: float) -> Funnel:
    multiplier = float(rates.multiplier)
    if not (math.isfinite(multiplier) and multiplier > 0):
        raise InvalidOptionError(
            "a funnel of DSRs needs their multiplier (StandardisedRate.multiplier, which stats.dsr sets)"
        )
    if isinstance(years_of_data, bool) or not isinstance(years_of_data, int | float) or not years_of_data > 0:
        raise InvalidOptionError(f"years_of_data must be a number > 0, got {years_of_data!r}")
    events = np.asarray(rates.total_count, dtype=np.float64)
    value = np.asarray(rates.value, dtype=np.float64)
    published = np.isfinite(value)
    with np.errstate(divide="ignore", invalid="ignore"):
        # PHE's denominator_derived: none for 0 events.
        populations = np.where(published & (events > 0), multiplier * events / value, np.nan)
    if average is None:
        used = np.isfinite(populations)
        if not np.any(used):
            raise InvalidOptionError("a funnel of DSRs needs at least one published DSR with events")
        centre = float(events[used].sum() / populations[used].sum())
    else:
        if isinstance(average, bool) or not isinstance(average, int | float) or not (
            math.isfinite(average) and average >= 0
        ):
            raise InvalidOptionError(
                f"the average of a funnel of DSRs must be a finite number >= 0, got {shown(average)}"
            )
        centre = float(average) / multiplier
    assessed = published & (events >= DSR_MIN_COUNT)
    positions = _positions(events, np.where(assessed, populations, 1.0), centre, assessed)
    keep = published & (events > 0)
    return Funnel(
        centre * multiplier,
        positions,
        "dsr",
        multiplier,
        np.atleast_1d(events[keep]),
        np.atleast_1d(value[keep]),
        float(years_of_data),
    )


def _isr_funnel(ratios: IndirectlyStandardised) -> Funnel:
    reference = float(ratios.reference_value)
    if not (math.isfinite(reference) and reference > 0):
        raise InvalidOptionError(
            "a funnel of ISRs needs their reference value (IndirectlyStandardised.reference_value, "
            "which stats.isr sets)"
        )
    observed = np.asarray(ratios.observed, dtype=np.float64)
    expected = np.asarray(ratios.expected, dtype=np.float64)
    assessed = np.ones(observed.shape, dtype=bool)
    positions = _positions(observed, expected, 1.0, assessed)
    return Funnel(
        reference, positions, "isr", reference, np.atleast_1d(observed), np.atleast_1d(expected)
    )
