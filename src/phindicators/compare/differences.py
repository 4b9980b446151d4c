"""The difference between two results, with its interval and significance."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from ..compute import Result
from ..errors import InvalidOptionError
from ..stats import (
    Significance,
    rate_ratio_test,
    two_proportion_test,
)
from ..units import conversion_factor
from .statuses import _BENCHMARK_LADDERS, JUDGEMENT, BenchmarkStatus, _intervals, _model, _one_level, _statuses
from .trends import _plain

if TYPE_CHECKING:  # pragma: no cover - typing only

    pass


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
