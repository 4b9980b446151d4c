"""Indirect standardisation: expected counts, standardised ratios (SMR) and rates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._counts import checked_counts, raise_if_any
from .._options import check_axis, check_choice, check_multiplier
from ..errors import InvalidOptionError
from ._bands import raise_in_band
from .levels import Confidence, confidence_levels, single
from .poisson import poisson_bounds
from .results import Interval, Values, plain

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

#: The two measures of :func:`isr`: the ratio observed / expected (an SMR
#: times ``refvalue``) and the rate (the ratio times the reference rate).
ISR_KINDS = ("ratio", "rate")


@attrs.frozen(eq=False)
class IndirectlyStandardised(Interval):
    """An indirectly standardised ratio or rate with its interval.

    Attributes
    ----------
    observed, expected : float or ndarray
        The events observed and those expected at the reference rates.
    reference_rate : float
        The crude rate of the reference population times the multiplier
        (NaN for a ratio).
    reference_value : float
        The value of an area that observes what it expects (O = E):
        ``refvalue`` for a ratio, ``reference_rate`` for a rate (NaN when
        not known); the centre line of a funnel plot.

    Examples
    --------
    >>> smr = isr([20], [1000], [30], [1000])
    >>> smr.observed, smr.expected, round(smr.value, 4)
    (20.0, 30.0, 0.6667)
    """

    observed: Values = 0.0
    expected: Values = 0.0
    reference_rate: float = float("nan")
    reference_value: float = float("nan")


def _labels(size: int) -> tuple[str, ...]:
    return tuple(f"{i + 1} of {size}" for i in range(size))


def expected_counts(
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike | None = None,
    *,
    axis: int = -1,
) -> Values:
    """Events expected at the reference population's age-specific rates.

    ``E = Σ nᵢ · xᵢ_ref / nᵢ_ref``, summed over the age bands (``axis``).

    Parameters
    ----------
    populations : array_like
        The study populations by age band.
    reference_counts : array_like
        The reference events by band, or, without ``reference_populations``,
        the reference rates (events per person).
    reference_populations : array_like, optional
        The reference populations by band (> 0).
    axis : int
        The axis of the age bands.

    Raises
    ------
    InvalidCountsError
        Negative, missing or non-finite values; a reference population of 0
        (naming the band).

    Examples
    --------
    >>> expected_counts([1000, 500], [10, 40], [10_000, 5_000])
    5.0
    >>> expected_counts([1000, 500], [0.001, 0.008])
    5.0
    """
    return _expected(populations, reference_counts, reference_populations, axis)[0]


def _expected(
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike | None,
    axis: int,
) -> tuple[Values, float]:
    """The expected counts, and the crude reference rate (NaN without
    reference populations)."""
    fields: dict[str, Any] = {"populations": populations, "reference_counts": reference_counts}
    if reference_populations is not None:
        fields["reference_populations"] = reference_populations
    per_unit = () if reference_populations is not None else ("reference_counts",)
    checked = [np.asarray(a) for a in checked_counts("isr", fields, per_unit=per_unit)]
    pops, ref_counts = checked[0], checked[1]
    if pops.ndim == 0:
        raise InvalidOptionError("isr needs populations by age band along an axis, got a scalar")
    axis = check_axis("isr", axis, pops.ndim)
    labels = _labels(pops.shape[axis])
    if reference_populations is None:
        rates = ref_counts
        reference_rate = float("nan")
    else:
        ref_pops = checked[2]
        raise_in_band(
            "isr",
            "reference_populations",
            "is 0",
            ref_pops == 0,
            {"reference_counts": ref_counts, "reference_populations": ref_pops},
            labels,
            axis,
        )
        rates = ref_counts / ref_pops
        # The reference is one population: its rate is taken over one row.
        index: list[slice | int] = [0] * pops.ndim
        index[axis] = slice(None)
        row = tuple(index)
        reference_rate = float(ref_counts[row].sum() / ref_pops[row].sum())
    return plain((pops * rates).sum(axis=axis)), reference_rate


def isr(
    counts: ArrayLike | None,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike | None = None,
    confidence: Confidence = 0.95,
    *,
    kind: str = "ratio",
    axis: int = -1,
    refvalue: float = 1.0,
    multiplier: float = 100_000,
    observed: ArrayLike | None = None,
) -> IndirectlyStandardised | tuple[IndirectlyStandardised, ...]:
    """Indirectly standardised ratio (SMR) or rate, with exact or Byar limits.

    As PHE's ``calculate_ISRatio`` and ``calculate_ISRate``: observed events
    ``O = Σ xᵢ`` (or ``observed``), expected ``E`` (:func:`expected_counts`),
    the ratio ``O / E · refvalue`` or the rate ``O / E · R`` where ``R`` is
    the reference population's crude rate times ``multiplier``. Limits are
    the Poisson limits of ``O`` (exact below 10 events, Byar's from 10)
    divided by ``E`` and scaled alike.

    Parameters
    ----------
    counts, populations : array_like
        Study events and populations by age band along ``axis``.
    reference_counts, reference_populations : array_like
        The reference events and populations by band (or, without
        ``reference_populations``, reference rates per person; only for
        ``kind="ratio"``).
    confidence : float or sequence of float
    kind : {"ratio", "rate"}
    axis : int
        The axis of the age bands.
    refvalue : float
        Scale of a ratio (1, or 100 for an SMR in percent).
    multiplier : float
        Scale of a rate (100 000 = per 10万).
    observed : array_like, optional
        Total observed events per area, when they are known only in total
        (PHE's ``observed_totals``); ``counts`` is then ignored and may be
        None.

    Returns
    -------
    IndirectlyStandardised or tuple of IndirectlyStandardised
        ``method`` is ``"exact"`` or ``"byar"`` for a scalar, ``"auto"`` for
        arrays.

    Raises
    ------
    InvalidCountsError
        Negative, missing (NaN) or non-finite counts or populations (PHE
        reads missing counts as 0; here they are refused), a reference
        population of 0 (naming the band), or an expected count of 0.
    InvalidOptionError
        An unknown kind, a rate without reference populations, a bad
        confidence level, multiplier or refvalue.

    Examples
    --------
    75 deaths where 41 were expected at the reference rates:

    >>> ref_x, ref_n = [10, 40], [10_000, 5_000]
    >>> smr = isr([30, 45], [1000, 5000], ref_x, ref_n, refvalue=100)
    >>> round(smr.value, 2), smr.expected, smr.method
    (182.93, 41.0, 'byar')
    >>> rate = isr([30, 45], [1000, 5000], ref_x, ref_n, kind="rate")
    >>> round(rate.value, 2), round(rate.reference_rate, 2)
    (609.76, 333.33)
    """
    kind = check_choice("kind", kind, ISR_KINDS)
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier)
    refvalue = check_multiplier(refvalue)
    if kind == "rate" and reference_populations is None:
        raise InvalidOptionError(
            "isr(kind='rate') needs reference_populations: the rate is the ratio times the "
            "reference population's crude rate"
        )
    expected, reference_rate = _expected(populations, reference_counts, reference_populations, axis)
    if observed is None:
        if counts is None:
            raise InvalidOptionError("isr needs counts by age band, or observed totals")
        (x,) = checked_counts("isr", {"counts": counts})
        x = np.asarray(x)
        if x.ndim == 0:
            raise InvalidOptionError("isr needs counts by age band along an axis, got a scalar")
        total = plain(x.sum(axis=check_axis("isr", axis, x.ndim)))
    else:
        (total,) = checked_counts("isr", {"observed": observed})
    total, expected = checked_counts("isr", {"observed": total, "expected": expected})
    raise_if_any(
        "isr",
        "expected",
        "is 0 (no events are expected: the reference rates or the populations are all 0)",
        np.asarray(expected) == 0,
        {"observed": np.asarray(total), "expected": np.asarray(expected)},
    )
    scale = refvalue if kind == "ratio" else reference_rate * multiplier
    value = plain(np.asarray(total) / expected * scale)
    results = []
    for level in levels:
        lower, upper, used = poisson_bounds(total, expected, level, scale, "auto")
        results.append(
            IndirectlyStandardised(
                value,
                plain(lower),
                plain(upper),
                level,
                used,
                total,
                expected,
                reference_rate * multiplier if kind == "rate" else float("nan"),
                float(scale),
            )
        )
    return results[0] if single(confidence) else tuple(results)
