"""A printed figure held to the targets of a plan (:func:`check_target`)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from ..compare import TargetStatus
from ..figures import Bound, Figure
from ..model import Indicator
from ..targets import COMPARATORS, Target, TargetError, TargetSet
from ..units import conversion_factor, unit_spec
from .arithmetic import _factor, _figure, _interval


@attrs.frozen
class TargetCheck:
    """A printed figure held to the targets of one plan.

    Attributes
    ----------
    status : TargetStatus
        ``MET`` when the figure meets every target the plan sets on the
        indicator, ``NOT_MET`` when it misses one, ``UNCERTAIN`` when a bound
        ("95%以上") straddles a threshold or a relative target has no
        baseline, ``NO_TARGET`` when the plan sets none.
    targets : tuple of Target
        The targets checked.
    detail : str
        The targets and what each gave, for display.

    Examples
    --------
    >>> from phindicators import get
    >>> from phindicators.targets import target_set
    >>> check_target(get("maternal_mortality_ratio"), "92.68/10万", target_set("women_outline_2011")).detail
    '≤ 20/10万: not_met'
    """

    status: TargetStatus
    targets: tuple[Target, ...]
    detail: str


def check_target(
    indicator: Indicator, reported: Figure | str, targets: TargetSet | Sequence[Target]
) -> TargetCheck:
    """Hold a printed figure to the targets a plan sets on its indicator.

    An exact figure is checked as printed. A bound is checked at both ends of
    the values it allows (within the indicator's valid range): "95%以上" meets
    "≥ 90%" whatever the true value, but cannot be said to meet "≥ 98%".

    Parameters
    ----------
    indicator : Indicator
        What the figure reports.
    reported : Figure or str
        The printed figure.
    targets : TargetSet or sequence of Target
        The plan (only its targets on ``indicator`` apply).

    Returns
    -------
    TargetCheck

    Examples
    --------
    >>> from phindicators import get
    >>> from phindicators.targets import target_set
    >>> plan = target_set("women_outline_2011")
    >>> check_target(get("maternal_systematic_management_rate"), "95.52%", plan).status
    <TargetStatus.MET: 'met'>
    >>> check_target(get("maternal_mortality_ratio"), "92.68/十万", plan).status
    <TargetStatus.NOT_MET: 'not_met'>
    """
    figure = _figure(indicator, reported)
    chosen = tuple(
        targets.for_indicator(indicator.id)
        if isinstance(targets, TargetSet)
        else (t for t in targets if t.indicator == indicator.id)
    )
    if not chosen:
        return TargetCheck(TargetStatus.NO_TARGET, (), "no target on this indicator")
    low, high = _interval(figure, Fraction(figure.tolerance))
    valid_low, valid_high = indicator.valid_range
    to_indicator = float(_factor(figure.unit or indicator.unit, indicator.unit))
    if figure.bound is Bound.EXACT:
        ends = [float(figure.value) * to_indicator]
    else:
        ends = [
            valid_low if low is None else max(float(low) * to_indicator, valid_low),
            valid_high if high is None else min(float(high) * to_indicator, valid_high),
        ]
    statuses = []
    details = []
    for target in chosen:
        factor = conversion_factor(indicator.unit, target.unit)
        try:
            met = {bool(target.is_met(end * factor)) for end in ends}
        except TargetError as error:
            statuses.append(TargetStatus.UNCERTAIN)
            details.append(f"{_rule(target)}: {error}")
            continue
        if met == {True}:
            status = TargetStatus.MET
        elif met == {False} and (len(ends) == 1 or target.direction != "range"):
            status = TargetStatus.NOT_MET
        else:
            status = TargetStatus.UNCERTAIN
        statuses.append(status)
        details.append(f"{_rule(target)}: {status.value}")
    overall = (
        TargetStatus.NOT_MET
        if TargetStatus.NOT_MET in statuses
        else TargetStatus.MET
        if set(statuses) == {TargetStatus.MET}
        else TargetStatus.UNCERTAIN
    )
    return TargetCheck(overall, chosen, "; ".join(details))


def _rule(target: Target) -> str:
    """A target as a reader writes it: "≤ 20/10万", "103–107"."""
    spec = COMPARATORS[target.comparator]
    if not target.threshold:
        return f"{target.comparator.value} ({target.plan})"
    values = "–".join(unit_spec(target.unit).zh.format(value=f"{t:g}") for t in target.threshold)
    note = f", {target.note}" if target.note else ""
    return f"{spec.symbol} {values}{note}"
