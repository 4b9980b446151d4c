"""Means with Student's t interval."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._counts import checked_counts, raise_if_any
from .._options import check_axis
from ..errors import InvalidCountsError, InvalidOptionError
from .levels import Confidence, confidence_levels, single
from .results import Interval, Values, plain

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike


@attrs.frozen(eq=False)
class MeanInterval(Interval):
    """A mean with its Student's t interval.

    Attributes
    ----------
    count : float or ndarray
        The number of values.
    stdev : float or ndarray
        Their sample standard deviation (``n − 1`` in the denominator).

    Examples
    --------
    >>> m = mean_interval([1.0, 2.0, 3.0])
    >>> m.value, m.count, m.stdev
    (2.0, 3.0, 1.0)
    """

    count: Values = 0.0
    stdev: Values = 0.0


def mean_interval(
    values: ArrayLike, confidence: Confidence = 0.95, *, axis: int = -1
) -> MeanInterval | tuple[MeanInterval, ...]:
    """The mean of values along ``axis`` with Student's t interval.

    ``x̄ ± t(1 − α/2; n − 1) · s / √n`` with the sample standard deviation
    ``s``, as PHE's ``phe_mean``.

    Parameters
    ----------
    values : array_like
        Real numbers (they may be negative); every axis but ``axis`` is a
        separate group (an area).
    confidence : float or sequence of float
    axis : int
        The axis along which to average.

    Raises
    ------
    InvalidCountsError
        Values that are NaN or infinite (PHE drops missing values; here
        they are refused: drop them first), or fewer than two values.
    InvalidOptionError
        A scalar, a bad axis or confidence level.

    Examples
    --------
    PHE's ``testdata_Mean`` Area1 (``testMeans.R``): 53.704345 (36.168325 to
    71.240365).

    >>> m = mean_interval([33.09375, 48.38596, 64.83495, 67.98475, 22.93556,
    ...                    71.23587, 38.78465, 82.37927])
    >>> round(m.value, 6), round(m.lower, 6), round(m.upper, 6)
    (53.704345, 36.168325, 71.240365)
    """
    levels = confidence_levels(confidence)
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidCountsError("mean_interval", "values", "must be real numbers") from None
    if array.ndim == 0:
        raise InvalidOptionError("mean_interval needs values along an axis, got a scalar")
    axis = check_axis("mean_interval", axis, array.ndim)
    raise_if_any("mean_interval", "values", "is NaN or infinite", ~np.isfinite(array), {"values": array})
    count = array.shape[axis]
    mean = array.mean(axis=axis)
    stdev = array.std(axis=axis, ddof=1) if count > 1 else np.full(mean.shape, np.nan)
    return _intervals("mean_interval", mean, stdev, np.full(mean.shape, float(count)), levels, confidence)


def mean_interval_from_summary(
    means: ArrayLike, stdevs: ArrayLike, counts: ArrayLike, confidence: Confidence = 0.95
) -> MeanInterval | tuple[MeanInterval, ...]:
    """Student's t interval of means given with their standard deviations and counts.

    For areas whose values are summarised already; see :func:`mean_interval`.

    Raises
    ------
    InvalidCountsError
        Negative or non-finite standard deviations, counts below 2 or not
        whole, non-finite means.

    Examples
    --------
    >>> m = mean_interval_from_summary([53.704345], [20.97557525770931], [8])
    >>> round(float(m.lower[0]), 4)
    36.1683
    """
    levels = confidence_levels(confidence)
    stdev, count = checked_counts(
        "mean_interval_from_summary", {"stdevs": stdevs, "counts": counts}, per_unit=("stdevs",)
    )
    try:
        mean = np.asarray(means, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidCountsError("mean_interval_from_summary", "means", "must be real numbers") from None
    raise_if_any(
        "mean_interval_from_summary", "means", "is NaN or infinite", ~np.isfinite(mean), {"means": mean}
    )
    count_array = np.asarray(count)
    raise_if_any(
        "mean_interval_from_summary",
        "counts",
        "must be whole numbers",
        count_array != np.round(count_array),
        {"counts": count_array},
    )
    return _intervals("mean_interval_from_summary", mean, np.asarray(stdev), count_array, levels, confidence)


def _intervals(
    where: str,
    mean: np.ndarray,
    stdev: np.ndarray,
    count: np.ndarray,
    levels: tuple[float, ...],
    confidence: Confidence,
) -> MeanInterval | tuple[MeanInterval, ...]:
    from scipy import special

    mean, stdev, count = np.broadcast_arrays(mean, stdev, count)
    raise_if_any(
        where,
        "counts",
        "is below 2 (a standard deviation needs two values)",
        count < 2,
        {"counts": count},
    )
    error = stdev / np.sqrt(count)
    results = []
    for level in levels:
        half = special.stdtrit(count - 1, 0.5 + level / 2) * error
        results.append(
            MeanInterval(
                plain(mean),
                plain(mean - half),
                plain(mean + half),
                level,
                "student_t",
                plain(count),
                plain(stdev),
            )
        )
    return results[0] if single(confidence) else tuple(results)
