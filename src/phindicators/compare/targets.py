"""Comparing a result with a target: met, not met, or uncertain when its interval straddles the threshold."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs
import numpy as np

from ..compute import Result
from ..targets import Target
from .statuses import _TARGET_CODES, TargetStatus, _intervals, _members, _one_level, _statuses

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike



@attrs.frozen(eq=False)
class TargetComparison:
    """A value against a target.

    Attributes
    ----------
    status : TargetStatus or ndarray of TargetStatus
    gap : float or ndarray
        Signed distance to the threshold in the result's unit, >= 0 when met
        (see :meth:`phindicators.targets.Target.gap`).
    target : Target
        The target compared with.
    """

    status: object
    gap: float | np.ndarray
    target: Target


def compare_to_target(
    result: Result,
    target: Target,
    *,
    uncertain: bool = False,
    confidence: float = 0.95,
    baseline: Result | ArrayLike | None = None,
) -> TargetComparison:
    """Whether results meet a target, by how much, and optionally how surely.

    Parameters
    ----------
    result : Result
        Results of the target's indicator.
    target : Target
        The requirement (see :mod:`phindicators.targets`).
    uncertain : bool
        Report ``uncertain`` where the confidence interval contains a
        threshold (limits included), whichever side the value is on.
    confidence : float
        Level of that interval.
    baseline : Result or array_like, optional
        Baseline for a relative target ("下降1/4"), passed to the target.

    Returns
    -------
    TargetComparison

    Raises
    ------
    InvalidOptionError
        ``uncertain=True`` for an indicator with no interval (means), or
        a confidence that is not one level.

    Examples
    --------
    >>> from phindicators import get
    >>> from phindicators.model import Source
    >>> from phindicators.targets import Target
    >>> imr_target = Target(id="imr", indicator="infant_mortality_rate", comparator="<=",
    ...                     threshold=10, unit="permille", plan="outline",
    ...                     source=Source(id="outline", title="Outline"))
    >>> imr = get("infant_mortality_rate").compute(23, 2158)
    >>> outcome = compare_to_target(imr, imr_target)
    >>> outcome.status, round(outcome.gap, 2)
    (<TargetStatus.NOT_MET: 'not_met'>, -0.66)
    >>> compare_to_target(imr, imr_target, uncertain=True).status
    <TargetStatus.UNCERTAIN: 'uncertain'>
    """
    level = _one_level(confidence, "judge a target")
    met = target.is_met(result, baseline=baseline)
    gap = target.gap(result, baseline=baseline)
    if type(met) is bool and type(result.value) is float and not uncertain:
        # One value (an app's request): no arrays.
        code = 3 if math.isnan(result.value) else 0 if met else 1
        return TargetComparison(_members(TargetStatus, _TARGET_CODES)[code], gap, target)
    codes = np.where(met, 0, 1)
    if uncertain:
        (interval,) = _intervals(result, (level,), "judged uncertain")
        straddles = np.zeros(codes.shape, dtype=bool)
        for threshold in target.thresholds(result.unit, baseline=baseline):
            straddles |= (interval.lower <= threshold) & (threshold <= interval.upper)
        codes = np.where(straddles, 2, codes)
    codes = np.where(np.isnan(result.value), 3, codes)
    return TargetComparison(_statuses(TargetStatus, _TARGET_CODES, codes), gap, target)
