"""Printed parts against their printed total (:func:`check_parts`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from ..errors import InvalidOptionError, InvalidTypeError
from ..figures import Bound, Figure, parse_figure
from .arithmetic import MAX_EXPONENT, Amount, _exponent, _factor, _finite
from .model import Status


@attrs.frozen
class PartsCheck:
    """Whether printed parts add up to their printed total.

    Attributes
    ----------
    status : Status
        ``CONSISTENT`` or ``INCONSISTENT``.
    total : Figure
        The printed total.
    parts : tuple of Figure
        The printed parts.
    labels : tuple of str
        The parts' labels (empty strings where none were given).
    sum : Fraction
        The sum of the parts, in the total's unit.
    difference : Fraction
        ``total - sum``.
    tolerance : Fraction
        What the printed precisions allow: half a unit in the last place of
        the total and of every part (0 for whole counts).

    Examples
    --------
    >>> check = check_parts("5068人", {"国家奖扶": "2568人", "特扶": "953人", "奖扶扩面": "1547人"})
    >>> check.status, check.sum
    (<Status.CONSISTENT: 'consistent'>, Fraction(5068, 1))
    """

    status: Status
    total: Figure
    parts: tuple[Figure, ...]
    labels: tuple[str, ...]
    sum: Fraction
    difference: Fraction
    tolerance: Fraction


def _part(value: Amount) -> tuple[Figure, Fraction]:
    """A total or part as a figure, with the rounding its printing allows (in its unit)."""
    if isinstance(value, str):
        value = parse_figure(value)
    if isinstance(value, Figure):
        if value.bound is not Bound.EXACT:
            raise InvalidOptionError(f"{value.text!r} is a bound, not an amount that can be summed")
        # A whole count printed in full ("2568人") is exact; "1.1万" or
        # "1149.312万元" may have been rounded.
        whole = value.decimals == 0 and value.unit in (None, "count")
        return value, Fraction(0) if whole else Fraction(value.tolerance)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidTypeError(f"a part or total must be a number, a string or a Figure, got {value!r}")
    if not _finite(value):
        raise InvalidOptionError(f"a part or total must be finite, got {value!r}")
    if abs(_exponent(value)) > MAX_EXPONENT:
        raise InvalidOptionError(f"a part or total must be a plausible amount, got about 10**{_exponent(value)}")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    # A number passed as a number is taken as exact.
    return Figure(number, None, 0, Bound.EXACT, str(value)), Fraction(0)


def check_parts(total: Amount, parts: Sequence[Amount] | Mapping[str, Amount]) -> PartsCheck:
    """Check that printed parts sum to a printed total.

    For "5068人(国家奖扶2568人, 特扶953人, 奖扶扩面1547人)" the parts must add
    up to 5068 exactly; for amounts printed with decimals ("1149.312万元") the
    sum may differ by the rounding of every figure involved.

    Parameters
    ----------
    total : number, str or Figure
        The printed total.
    parts : sequence or mapping of number, str or Figure
        The printed parts; a mapping gives them labels.

    Returns
    -------
    PartsCheck

    Raises
    ------
    ParseError
        If a figure cannot be read.
    UnitError
        If a part's unit cannot be converted to the total's.
    InvalidOptionError
        If there are no parts, or a figure is a bound ("95%以上").

    Examples
    --------
    >>> check_parts(11, [1, 2, 8]).status
    <Status.CONSISTENT: 'consistent'>
    >>> check_parts("7件", ["1件", "3件", "2件"]).difference
    Fraction(1, 1)
    """
    labels, values = (
        (tuple(parts), tuple(parts.values()))
        if isinstance(parts, Mapping)
        else (("",) * len(parts), tuple(parts))
    )
    if not values:
        raise InvalidOptionError("check_parts needs at least one part")
    entries = [_part(value) for value in (total, *values)]
    unit = next((figure.unit for figure, _ in entries if figure.unit), None)

    def exact(figure: Figure, rounding: Fraction) -> tuple[Fraction, Fraction]:
        # Bare numbers take the unit of the figures that print one.
        factor = _factor(figure.unit, unit) if figure.unit and unit else Fraction(1)
        return Fraction(figure.value) * factor, rounding * factor

    (total_value, tolerance), *part_values = (exact(*entry) for entry in entries)
    summed = sum((value for value, _ in part_values), Fraction(0))
    tolerance += sum((rounding for _, rounding in part_values), Fraction(0))
    difference = total_value - summed
    status = Status.CONSISTENT if abs(difference) <= tolerance else Status.INCONSISTENT
    return PartsCheck(
        status, entries[0][0], tuple(f for f, _ in entries[1:]), labels, summed, difference, tolerance
    )
