"""Figures and counts as exact fractions: units, intervals of what a printed figure allows, display."""

from __future__ import annotations

import functools
import math
from decimal import Decimal
from fractions import Fraction

from ..errors import InvalidCountsError, InvalidTypeError, UnitError
from ..figures import Bound, Figure, parse_figure
from ..model import Indicator, Term
from ..units import UNITS, conversion_factor, unit_spec

Number = int | float | Decimal | Fraction


Amount = Number | str | Figure


def _display(value: Fraction, unit: str, decimals: int) -> str:
    """The exact value rounded half-up to the printed precision, as a report prints it.

    Printed from the exact integer of steps, never through a float: a figure
    may have more digits than a float (or Decimal's default context) holds.
    """
    steps = math.floor(value * Fraction(10) ** decimals + Fraction(1, 2))
    places = max(decimals, 0)
    scaled = steps * 10 ** (places - decimals)  # the rounded value times 10**places
    whole, fraction = divmod(abs(scaled), 10**places)
    text = ("-" if scaled < 0 else "") + str(whole) + (f".{fraction:0{places}d}" if places else "")
    return unit_spec(unit).zh.format(value=text)


@functools.cache
def _exact(unit: str) -> Fraction:
    """A unit's size as an exact fraction (0.01 for percent)."""
    return Fraction(repr(UNITS[unit].multiplier))


@functools.cache
def _factor(from_unit: str, to_unit: str) -> Fraction:
    conversion_factor(from_unit, to_unit)  # raises UnitError on a dimension mismatch
    return _exact(from_unit) / _exact(to_unit)


def _figure(indicator: Indicator, reported: Figure | str) -> Figure:
    if isinstance(reported, str):
        return parse_figure(reported, indicator)
    if not isinstance(reported, Figure):
        raise InvalidTypeError(
            f"{indicator.id}: reported must be a Figure or a string, got {reported!r}"
        )
    return reported.for_indicator(indicator)


def _amount(indicator: Indicator, term: Term, field: str, value: Amount) -> Fraction:
    """A count or amount as an exact fraction in the unit of ``term``."""
    if isinstance(value, str):
        value = parse_figure(value)
    if isinstance(value, Figure):
        if value.bound is not Bound.EXACT:
            raise InvalidCountsError(indicator.id, field, f"must be an exact amount, got {value.text!r}")
        unit = value.unit or term.unit
        try:
            return Fraction(value.value) * _factor(unit, term.unit)
        except UnitError as error:
            raise InvalidCountsError(indicator.id, field, f"is in the wrong unit ({error})") from None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise InvalidCountsError(indicator.id, field, f"must be a number, got {value!r}")
    if not _finite(value):
        raise InvalidCountsError(indicator.id, field, f"is NaN or infinite, got {value!r}")
    exponent = _exponent(value)
    if abs(exponent) > MAX_EXPONENT:
        raise InvalidCountsError(
            indicator.id, field, "is too large or too small to be a count", detail=f"about 10**{exponent}"
        )
    return Fraction(value)


#: The largest power of ten (either way) a number given as a count or a part
#: may have. Beyond it the number is no count of anything, and exact
#: arithmetic on it ("1e999999999" as a Decimal) would take unbounded time.
MAX_EXPONENT = 400


def _finite(value: Number) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


def _exponent(value: Number) -> int:
    """The power of ten of a finite number, roughly (0 for zero)."""
    if isinstance(value, Decimal):
        return 0 if value.is_zero() else value.adjusted()
    if isinstance(value, float):
        return 0 if value == 0 else math.floor(math.log10(abs(value)))
    ratio = Fraction(value)
    if ratio == 0:
        return 0
    # From the sizes of the integers alone: their digits are never printed.
    return int((abs(ratio.numerator).bit_length() - ratio.denominator.bit_length()) * math.log10(2))


def _float(indicator: Indicator, field: str, value: Fraction) -> float:
    """A count as a float for :func:`~phindicators.compute`; counts beyond
    float range are invalid counts, not a crash."""
    try:
        return float(value)
    except OverflowError:
        raise InvalidCountsError(indicator.id, field, "is too large to count exactly") from None


def _scale(indicator: Indicator) -> Fraction:
    """Exact factor from numerator/denominator (in their terms' units) to the indicator's unit."""
    denominator_unit = indicator.denominator.unit if indicator.denominator is not None else "count"
    return _units_scale(indicator.numerator.unit, denominator_unit, indicator.unit)


@functools.cache
def _units_scale(numerator_unit: str, denominator_unit: str, unit: str) -> Fraction:
    # By units, not by indicator: a few dozen combinations, computed once each.
    return _exact(numerator_unit) / _exact(denominator_unit) / _exact(unit)


def _interval(figure: Figure, tolerance: Fraction) -> tuple[Fraction | None, Fraction | None]:
    """Values the printed figure allows, in its unit: (low, high), None for no limit.

    Rounding to the printed precision moves a value by at most ``tolerance``
    either way; ties are accepted both ways, because reports round halves both
    up and to even. A bound printed with "以上" is read on the rounded value
    (94.6 % may be printed "95%以上"); "超过"/"低于" are strict and take no
    rounding; "约"/"左右" allow a whole unit in the last place.
    """
    printed = Fraction(figure.value)
    bound = figure.bound
    if bound is Bound.EXACT:
        return printed - tolerance, printed + tolerance
    if bound is Bound.AT_LEAST:
        return printed - tolerance, None
    if bound is Bound.MORE_THAN:
        return printed, None
    if bound is Bound.AT_MOST:
        return None, printed + tolerance
    if bound is Bound.LESS_THAN:
        return None, printed
    return printed - 2 * tolerance, printed + 2 * tolerance


def _allows(figure: Figure, tolerance: Fraction, value: Fraction) -> bool:
    low, high = _interval(figure, tolerance)
    strict_low = figure.bound is Bound.MORE_THAN
    strict_high = figure.bound is Bound.LESS_THAN
    above = low is None or (value > low if strict_low else value >= low)
    below = high is None or (value < high if strict_high else value <= high)
    return above and below


def _number(value: Fraction, unit: str | None = None) -> str:
    """A value for a sentence: six significant digits, with the unit's sign."""
    text = f"{float(value):.6g}"
    return text if unit is None else unit_spec(unit).zh.format(value=text)


def _sign(unit: str) -> str:
    return unit_spec(unit).zh.format(value="") or unit
