"""Pooling results over areas and periods, and the periods results cover.

Aggregating areas or periods sums numerators and denominators and computes
the indicator again from the sums: the pooled maternal mortality ratio of two
counties is their deaths over their births, never the mean of their ratios.
Group sums use :func:`numpy.bincount`, one pass per count.

A report often covers part of a year ("1-10月"). A
:class:`~phindicators.periods.Period` says which days the counts cover and
travels with the :class:`~phindicators.Result`; :func:`annualise` turns a part-year
rate into a rate per year, only when asked
and recording the factor it applied (as DHIS2's "annualized" flag does).

Examples
--------
>>> import numpy as np
>>> from phindicators import get
>>> mmr = get("maternal_mortality_ratio")
>>> pooled = pool(mmr.compute(np.array([1, 1]), np.array([1000, 1158])))
>>> pooled.format()
'92.68/10万'
>>> Period.parse("2023年1-10月").days
304
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np

from ._text import shown
from .compute import Result, compute
from .errors import InvalidOptionError
from .model import Kind
from .stats import is_lazy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

from .periods import Period

__all__ = ["ANNUALISABLE_KINDS", "Period", "Pooled", "annualise", "pool", "pool_periods"]



#: Kinds whose values are totals over the period, so that a part-year value
#: can be expressed per year. Proportions, ratios, densities, means and
#: completion are not: both their terms cover the same period, or the
#: denominator is a stock.
ANNUALISABLE_KINDS = (Kind.RATE, Kind.COUNT)


def annualise(result: Result, *, basis: str = "days") -> Result:
    """Express a part-year rate (or count) per year.

    Value and limits are multiplied by ``result.period``'s
    :meth:`~Period.annualisation_factor`, which the returned result records
    in ``annualisation``. Counts over the period are annualised, and rates
    per a population (a denominator term marked ``population``): half a
    year's cases per 100 000 residents are about half a year's incidence. A
    rate per events of the same period is not: infant deaths and live births
    both grow with the period, so their ratio is already a rate for it.

    Raises
    ------
    InvalidOptionError
        No period on the result, a kind that is not annualised, a rate whose
        denominator is not a population, a result already annualised, or an
        unknown basis.

    Examples
    --------
    >>> from phindicators import get
    >>> annualise(get("infant_mortality_rate").compute(5, 1000, period="2023年1-6月"))
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: infant_mortality_rate: a rate per live births ...
    """
    indicator = result.indicator
    if result.period is None:
        raise InvalidOptionError(f"{indicator.id}: the result has no period to annualise from")
    if indicator.kind not in ANNUALISABLE_KINDS:
        raise InvalidOptionError(
            f"{indicator.id}: a {indicator.kind} is not annualised "
            f"(only {', '.join(ANNUALISABLE_KINDS)}: totals over the period)"
        )
    denominator = indicator.denominator
    if denominator is not None and not denominator.population:
        raise InvalidOptionError(
            f"{indicator.id}: a rate per {denominator.name_en} (counted over the same period as the "
            "numerator) is not annualised: only rates per a population, a term marked population = true"
        )
    if result.annualisation is not None:
        raise InvalidOptionError(f"{indicator.id}: the result is already annualised")
    factor = result.period.annualisation_factor(basis)
    return attrs.evolve(
        result,
        value=result.value * factor,
        intervals=tuple(i.scaled(factor) for i in result.intervals),
        annualisation=factor,
    )


@attrs.frozen(eq=False)
class Pooled:
    """Results pooled by group label.

    Attributes
    ----------
    labels : ndarray
        The distinct group labels, sorted; ``result`` has one element per
        label, in this order.
    result : Result
        The indicator recomputed from each group's summed counts.

    Examples
    --------
    >>> import numpy as np
    >>> from phindicators import get
    >>> rate = get("maternal_systematic_management_rate")
    >>> pooled = pool(rate.compute([90, 10, 40], [100, 10, 50]), by=["东区", "西区", "东区"])
    >>> pooled.labels.tolist(), pooled.result.format().tolist()
    (['东区', '西区'], ['86.67%', '100.00%'])
    """

    labels: np.ndarray
    result: Result


def _recompute(result: Result, numerator: ArrayLike, denominator: ArrayLike | None, period: object) -> Result:
    """The indicator from pooled counts, with the same interval levels and
    method, period and annualisation as ``result``."""
    levels = tuple(i.confidence for i in result.intervals)
    pooled = compute(
        result.indicator,
        numerator,
        denominator,
        confidence=levels or None,
        method=result.method if levels and result.method in _METHODS_KEPT else None,
        period=period,  # type: ignore[arg-type]
    )
    if result.annualisation is None:
        return pooled
    return attrs.evolve(
        pooled,
        value=pooled.value * result.annualisation,
        intervals=tuple(i.scaled(result.annualisation) for i in pooled.intervals),
        annualisation=result.annualisation,
    )


# A scalar's interval records "exact" or "byar" where "auto" chose it; the
# pooled counts choose again, so only explicit choices carry over.
_METHODS_KEPT = ("clopper_pearson", "byar")


def _float_array(counts: object) -> np.ndarray:
    """Counts as a float64 array (integer counts of a result are kept as
    given; their sums must not wrap around), dask arrays staying lazy."""
    if is_lazy(counts):
        return counts.astype(np.float64)  # type: ignore[attr-defined]
    return np.asarray(counts, dtype=np.float64)


def _group_codes(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense integer codes of ``labels`` and the label of each code.

    Integer labels in a compact range are used as codes directly (offset by
    the minimum): no sort, one pass. Other labels are sorted by np.unique.
    """
    if labels.dtype.kind in "iu" and labels.size:
        low, high = int(labels.min()), int(labels.max())
        if high - low <= 4 * labels.size:
            return labels - low if low else labels, np.arange(low, high + 1, dtype=labels.dtype)
    names, codes = np.unique(labels, return_inverse=True)
    return codes, names


def _check_axes(indicator_id: str, axis: object, ndim: int) -> None:
    """Refuse axes numpy's sum would refuse, naming the option: not ints,
    out of range for ``ndim`` dimensions, or repeated."""
    axes = axis if isinstance(axis, tuple) else (axis,)
    if not all(isinstance(a, int | np.integer) and not isinstance(a, bool) for a in axes):
        raise InvalidOptionError(f"{indicator_id}: axis must be an int or a tuple of ints, got {shown(axis)}")
    positive = [int(a) % ndim if -ndim <= a < ndim else None for a in axes]
    if None in positive:
        raise InvalidOptionError(
            f"{indicator_id}: axis {shown(axis)} is out of range for a result of {ndim} dimension(s)"
        )
    if len(set(positive)) < len(positive):
        raise InvalidOptionError(f"{indicator_id}: axis {shown(axis)} names an axis twice")


def pool(
    result: Result,
    *,
    axis: int | tuple[int, ...] | None = None,
    by: ArrayLike | None = None,
    period: Period | str | None = None,
) -> Result | Pooled:
    """Pool a result array: sum numerators and denominators, then recompute.

    Parameters
    ----------
    result : Result
        An array result (areas, months, ...).
    axis : int or tuple of int, optional
        Pool along these axes; None (with no ``by``) pools everything.
    by : array_like, optional
        A group label for every element (the shape of ``result.value``):
        returns a :class:`Pooled` with one element per distinct label.
        Integer labels (area codes) are fastest.
    period : Period or str, optional
        The period of the pooled result; by default the result's own. Give
        it when pooling along a time axis (twelve months into a year).

    Returns
    -------
    Result or Pooled
        The recomputed result (with the same interval levels and method), or
        :class:`Pooled` when ``by`` is given.

    Raises
    ------
    InvalidOptionError
        Both ``axis`` and ``by``, an axis the result does not have, or
        labels of the wrong shape.

    Examples
    --------
    >>> import numpy as np
    >>> from phindicators import get
    >>> imr = get("infant_mortality_rate")
    >>> months = imr.compute(np.array([[2, 3], [1, 0]]), np.array([[200, 210], [150, 160]]))
    >>> pool(months, axis=1, period="2023年1-2月").format().tolist()
    ['12.20‰', '3.23‰']
    """
    if axis is not None and by is not None:
        raise InvalidOptionError("pool by axis or by labels, not both")
    pooled_period = result.period if period is None else period
    if axis is not None:
        _check_axes(result.indicator.id, axis, np.ndim(result.value))
    if by is None:
        # Sums in float64 (exact for counts below 2**53), whatever the
        # counts' dtype; dask arrays stay lazy.
        total = _float_array(result.numerator).sum(axis=axis)
        den_total = None if result.denominator is None else _float_array(result.denominator).sum(axis=axis)
        return _recompute(result, total, den_total, pooled_period)
    numerator, denominator = np.asarray(result.numerator), result.denominator
    labels = np.asarray(by)
    if labels.shape != numerator.shape:
        raise InvalidOptionError(
            f"{result.indicator.id}: by must label every element: shape {numerator.shape}, "
            f"got {labels.shape}"
        )
    codes, names = _group_codes(labels.ravel())
    size = names.size
    sums = np.bincount(codes, weights=numerator.ravel(), minlength=size)
    if denominator is None:
        den_sums = None
        present = np.bincount(codes, minlength=size) > 0
    else:
        den_sums = np.bincount(codes, weights=np.asarray(denominator).ravel(), minlength=size)
        present = den_sums > 0  # denominators are positive, so only empty groups sum to 0
    if not present.all():
        names, sums = names[present], sums[present]
        den_sums = None if den_sums is None else den_sums[present]
    return Pooled(names, _recompute(result, sums, den_sums, pooled_period))


def pool_periods(results: Sequence[Result]) -> Result:
    """Pool results of consecutive periods into one result for the whole span.

    Every result must be of the same indicator and shape and carry a
    :class:`Period`; the periods must not overlap or leave gaps. The pooled
    result covers the first start to the last end.

    Raises
    ------
    InvalidOptionError
        No results, different indicators or shapes, a missing period,
        overlapping periods or a gap, or mixed annualisation.

    Examples
    --------
    >>> from phindicators import get
    >>> imr = get("infant_mortality_rate")
    >>> first = imr.compute(10, 1000, period="2023年1-6月")
    >>> second = imr.compute(5, 1100, period="2023年7-12月")
    >>> whole = pool_periods([first, second])
    >>> whole.format(), str(whole.period)
    ('7.14‰', '2023-01-01/2023-12-31')
    """
    if not results:
        raise InvalidOptionError("pool_periods needs at least one result")
    first = results[0]
    for result in results:
        if result.indicator != first.indicator:
            raise InvalidOptionError(
                f"cannot pool {result.indicator.id} with {first.indicator.id}: different indicators"
            )
        if np.shape(result.value) != np.shape(first.value):
            raise InvalidOptionError(
                f"{first.indicator.id}: shapes differ: {np.shape(first.value)} and {np.shape(result.value)}"
            )
        if result.period is None:
            raise InvalidOptionError(f"{first.indicator.id}: every result must carry a period")
        if result.annualisation is not None:
            raise InvalidOptionError(
                f"{first.indicator.id}: pool the counts before annualising, not annualised results"
            )
    ordered = sorted(results, key=lambda r: r.period.start)  # type: ignore[union-attr]
    for before, after in itertools.pairwise(ordered):
        gap = (after.period.start - before.period.end).days  # type: ignore[union-attr]
        if gap != 1:
            problem = "overlap" if gap < 1 else "leave a gap"
            raise InvalidOptionError(
                f"{first.indicator.id}: periods {before.period} and {after.period} {problem}"
            )
    numerator = sum(_float_array(r.numerator) for r in ordered)
    denominator = None if first.denominator is None else sum(_float_array(r.denominator) for r in ordered)
    span = Period(ordered[0].period.start, ordered[-1].period.end)  # type: ignore[union-attr]
    return _recompute(first, numerator, denominator, span)
