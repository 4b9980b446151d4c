"""Likely causes of a figure that does not add up: one table of detectors, tried in order."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from fractions import Fraction

import attrs

from ..figures import Figure
from ..model import KINDS, Indicator, Kind
from ..units import UNITS
from .arithmetic import _exact, _factor, _interval, _scale, _sign
from .model import Cause

#: A likely cause fits when the value it predicts lies within the printed
#: rounding or within this fraction of the printed figure, whichever is wider:
#: a slip rarely comes alone (21507万元/1595 is 134 840 元; ÷100 gives 1348,
#: the report printed 1352).
CAUSE_RELATIVE_TOLERANCE = Fraction(1, 100)


#: Largest power of ten a scale slip is looked for at (亿 is 10**8).
_MAX_SCALE_POWER = 8


@attrs.frozen
class _Case:
    """What the cause detectors look at."""

    indicator: Indicator
    figure: Figure
    printed: Fraction
    tolerance: Fraction
    numerator: Fraction | None
    denominator: Fraction | None
    recomputed: Fraction | None
    to_figure: Fraction  # factor from the indicator's unit to the figure's

    def close(self, predicted: Fraction) -> tuple[bool, bool]:
        """(fits, exactly): whether ``predicted`` explains the printed figure."""
        gap = abs(predicted - self.printed)
        exact = gap <= self.tolerance
        return exact or gap <= abs(self.printed) * CAUSE_RELATIVE_TOLERANCE, exact


#: A detector names the slips that could explain a figure: for each, what
#: went wrong and the figure it would print (None: it explains the figure by
#: itself).
Detector = Callable[[_Case], Iterator[tuple[str, Fraction | None]]]


def _swapped(case: _Case) -> Iterator[tuple[str, Fraction | None]]:
    if case.numerator and case.denominator is not None:
        yield (
            "numerator and denominator swapped: the printed figure is the denominator divided by "
            "the numerator",
            case.denominator / case.numerator * _scale(case.indicator) * case.to_figure,
        )


def _unit_sign(case: _Case) -> Iterator[tuple[str, Fraction | None]]:
    printed_unit = case.figure.unit
    if case.recomputed is None or printed_unit is None:
        return
    for unit, spec in UNITS.items():
        if unit not in (printed_unit, "count") and spec.dimension == UNITS[printed_unit].dimension:
            yield (
                f"wrong unit sign: {case.figure.value} is the value in {_sign(unit)}, "
                f"printed with {_sign(printed_unit)}",
                case.recomputed * _factor(printed_unit, unit),
            )


def _completion_for_coverage(case: _Case) -> Iterator[tuple[str, Fraction | None]]:
    if case.indicator.kind is not Kind.PROPORTION:
        return
    most = Fraction(KINDS[Kind.PROPORTION].max_fraction) / _exact(case.indicator.unit)
    low, _ = _interval(case.figure, case.tolerance)
    if low is not None and low / case.to_figure > most:
        yield (
            "a proportion cannot exceed 100 %; above 100 % is what a completion rate "
            "(achieved / assigned task) gives, so the report may have printed a task "
            "completion rate as this coverage",
            None,
        )


def _scale_slip(case: _Case) -> Iterator[tuple[str, Fraction | None]]:
    if not case.recomputed or not case.printed:
        return
    ratio = case.printed / case.recomputed
    power = round(math.log10(ratio.numerator) - math.log10(ratio.denominator))
    if power != 0 and abs(power) <= _MAX_SCALE_POWER:
        money = UNITS[case.figure.unit or "count"].dimension == "currency"
        example = "万元 read as 元" if money else "a misplaced decimal point or the wrong per-N base"
        yield (
            f"power-of-ten scale slip: the printed figure is about 10^{power} times the value "
            f"the counts give ({example})",
            case.recomputed * Fraction(10) ** power,
        )


#: Likely causes of a figure that does not add up, tried in order; the first
#: that fits is reported. Specific slips come before the generic power of ten.
CAUSES: tuple[tuple[str, Detector], ...] = (
    ("swapped", _swapped),
    ("unit_sign", _unit_sign),
    ("completion_for_coverage", _completion_for_coverage),
    ("scale", _scale_slip),
)


def _cause(case: _Case) -> Cause | None:
    for name, detect in CAUSES:
        for description, predicted in detect(case):
            if predicted is None:
                return Cause(name, description, None, False)
            fits, exact = case.close(predicted)
            if fits:
                return Cause(name, description, predicted, exact)
    return None
