"""Comparing results with a benchmark: polarity-aware, at 95 % and 99.8 % (the Fingertips method)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..compute import Result
from .statuses import (
    _BENCHMARK_LADDERS,
    JUDGEMENT,
    BenchmarkStatus,
    _in_unit,
    _intervals,
    _ordered_levels,
    _significance_codes,
    _statuses,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

    from ..stats import Confidence


#: The benchmark that compares each area with the pooled total of all areas
#: of the same period (Σ numerators / Σ denominators) instead of with a named
#: area: the one spelling scorecards, ``compute_frame`` and the command line
#: share.
POOLED = "pooled"


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
