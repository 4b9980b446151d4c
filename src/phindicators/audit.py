"""Judging published figures against their counts.

:func:`audit` recomputes an indicator from the counts a report gives and
compares it with the figure the report printed, at the precision the figure
was printed with: "96.1%" allows ±0.05 points (half a unit in the last
printed place), "95.52%" ±0.005. All boundaries are decided in exact rational
arithmetic (:class:`fractions.Fraction`), never with a float epsilon, so
2067/2164 = 95.5176…% is consistent with "95.52%" and 13178/14167 = 93.0190…%
is not consistent with "93.01%" but is that value *cut* after two decimals
(truncated, not rounded).

When a figure does not add up, the likely causes are tried in order from one
table, :data:`CAUSES` (numerator and denominator swapped, the wrong unit sign,
a completion rate printed as a coverage, a power-of-ten slip such as 万元 read
as 元).

:func:`infer_count` works backwards: from a published rate and one count, the
range of the other count that the rounding allows. :func:`check_parts`
checks that parts add up to a total.

Examples
--------
>>> from phindicators import get
>>> audit(get("maternal_systematic_management_rate"), "95.52%", 2067, 2164).status
<Status.CONSISTENT: 'consistent'>
>>> list(infer_count(get("maternal_mortality_ratio"), "92.68/10万", numerator=2))
[2158]
"""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from .compare import TargetStatus
from .compute import Result
from .errors import InvalidCountsError, InvalidOptionError, InvalidTypeError, UnitError
from .figures import Bound, Figure, parse_figure
from .model import KINDS, Indicator, Kind, Term
from .targets import COMPARATORS, Target, TargetError, TargetSet
from .units import UNITS, conversion_factor, unit_spec

__all__ = [
    "CAUSES",
    "CAUSE_RELATIVE_TOLERANCE",
    "Cause",
    "PartsCheck",
    "Status",
    "TargetCheck",
    "Verdict",
    "audit",
    "check_parts",
    "check_target",
    "infer_count",
]


class Status(enum.StrEnum):
    """The verdict on a published figure.

    Examples
    --------
    >>> Status("truncated") is Status.TRUNCATED
    True
    """

    CONSISTENT = "consistent"
    TRUNCATED = "truncated"
    INCONSISTENT = "inconsistent"
    IMPOSSIBLE = "impossible"
    UNVERIFIABLE = "unverifiable"


#: A likely cause fits when the value it predicts lies within the printed
#: rounding or within this fraction of the printed figure, whichever is wider:
#: a slip rarely comes alone (21507万元/1595 is 134 840 元; ÷100 gives 1348,
#: the report printed 1352).
CAUSE_RELATIVE_TOLERANCE = Fraction(1, 100)

#: Largest power of ten a scale slip is looked for at (亿 is 10**8).
_MAX_SCALE_POWER = 8

Number = int | float | Decimal | Fraction
Amount = Number | str | Figure


@attrs.frozen
class Cause:
    """A likely reason why a figure does not add up.

    Attributes
    ----------
    name : str
        A key of :data:`CAUSES`.
    description : str
        What went wrong, in words a report's author understands.
    predicted : Fraction or None
        The figure the slip would print, in the printed figure's unit (None
        for causes that predict no number).
    exact : bool
        Whether ``predicted`` matches the printed figure at its printed
        precision, rather than only approximately.

    Examples
    --------
    >>> from phindicators import get
    >>> cause = audit(get("maternal_systematic_management_rate"), "104.69%", 2067, 2164).cause
    >>> cause.name, cause.exact
    ('swapped', True)
    """

    name: str
    description: str
    predicted: Fraction | None
    exact: bool


@attrs.frozen
class Verdict:
    """The verdict of :func:`audit` on one printed figure.

    Attributes
    ----------
    status : Status
        consistent, truncated, inconsistent, impossible or unverifiable.
    indicator : Indicator
        What the figure reports.
    reported : Figure
        The printed figure, with its unit resolved.
    result : Result or None
        The indicator recomputed from the counts (None without counts).
    recomputed : Fraction or None
        The exact value the counts give, in the printed figure's unit.
    difference : Fraction or None
        ``reported - recomputed``, in the printed figure's unit.
    tolerance : Fraction
        What rounding to the printed precision allows (half a unit in the last
        printed place).
    cause : Cause or None
        The likely cause when the figure does not add up and one fits.
    reason : str
        The verdict explained in one or two sentences.
    inferred : range or None
        With only one count given, the values of the other that the printed
        figure allows (see :func:`infer_count`).

    Examples
    --------
    >>> from phindicators import get
    >>> verdict = audit(get("child_systematic_management_rate_0_6"), "93.01%", 13178, 14167)
    >>> verdict.status, verdict.expected
    (<Status.TRUNCATED: 'truncated'>, '93.02%')
    """

    status: Status
    indicator: Indicator = attrs.field(repr=lambda indicator: repr(indicator.id))
    reported: Figure
    result: Result | None = attrs.field(repr=False)
    recomputed: Fraction | None
    difference: Fraction | None
    tolerance: Fraction
    cause: Cause | None
    reason: str
    inferred: range | None = None

    @property
    def expected(self) -> str | None:
        """What the report should have printed: the recomputed value rounded
        half-up to the printed precision, with the printed unit's sign."""
        if self.recomputed is None:
            return None
        return _display(self.recomputed, self.reported.unit or "count", self.reported.decimals)


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
    return _exact(indicator.numerator.unit) / _exact(denominator_unit) / _exact(indicator.unit)


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


def _impossible(indicator: Indicator, figure: Figure, tolerance: Fraction, to_figure: Fraction) -> bool:
    """Whether no value the figure allows lies in the indicator's valid range.

    A strict bound at the edge of the range allows nothing: "超过100%" for a
    proportion, "低于0%" for any rate.
    """
    low, high = _interval(figure, tolerance)
    least, most = _valid_range(indicator.valid_range)
    above = below = False
    if low is not None and most is not None:
        low = low / to_figure
        above = low >= most if figure.bound is Bound.MORE_THAN else low > most
    if high is not None:
        high = high / to_figure
        below = high <= least if figure.bound is Bound.LESS_THAN else high < least
    return above or below


@functools.cache
def _valid_range(bounds: tuple[float, float]) -> tuple[Fraction, Fraction | None]:
    """A valid range as exact fractions (None for no upper limit)."""
    least, most = bounds
    return Fraction(least), Fraction(most) if math.isfinite(most) else None


def _number(value: Fraction, unit: str | None = None) -> str:
    """A value for a sentence: six significant digits, with the unit's sign."""
    text = f"{float(value):.6g}"
    return text if unit is None else unit_spec(unit).zh.format(value=text)


def _sign(unit: str) -> str:
    return unit_spec(unit).zh.format(value="") or unit


def audit(
    indicator: Indicator,
    reported: Figure | str,
    numerator: Amount | None = None,
    denominator: Amount | None = None,
) -> Verdict:
    """Check a printed figure against the counts it was computed from.

    Parameters
    ----------
    indicator : Indicator
        What the figure reports.
    reported : Figure or str
        The printed figure ("95.52%", "1352元", "95%以上"); a bare number takes
        the indicator's unit.
    numerator, denominator : number, str or Figure, optional
        The counts. Numbers are in the unit of the indicator's numerator and
        denominator terms; printed amounts such as "21507万元" are converted.

    Returns
    -------
    Verdict
        ``IMPOSSIBLE`` when the printed figure lies outside the indicator's
        valid range (whatever the counts); ``UNVERIFIABLE`` without both counts;
        otherwise ``CONSISTENT`` when the counts round to the printed figure,
        ``TRUNCATED`` when the figure is the value cut instead of rounded, and
        ``INCONSISTENT`` with the difference and, when one fits, the likely
        cause.

    Raises
    ------
    ParseError
        If ``reported`` cannot be read, or its unit cannot express the indicator.
    InvalidCountsError
        If the counts are not valid for the indicator (negative, zero
        denominator, numerator above the denominator of a proportion).

    Examples
    --------
    >>> from phindicators import get
    >>> verdict = audit(get("maternal_mortality_ratio"), "92.68/十万", 2, 2158)
    >>> verdict.status, verdict.expected
    (<Status.CONSISTENT: 'consistent'>, '92.68/10万')
    >>> audit(get("premarital_checkup_rate"), "99.76%").status
    <Status.UNVERIFIABLE: 'unverifiable'>
    """
    figure = _figure(indicator, reported)
    to_figure = _factor(indicator.unit, figure.unit or indicator.unit)
    tolerance = Fraction(figure.tolerance)
    printed = Fraction(figure.value)

    result: Result | None = None
    num = den = recomputed = None
    if numerator is not None and (denominator is not None or indicator.denominator is None):
        num = _amount(indicator, indicator.numerator, "numerator", numerator)
        den = (
            _amount(indicator, indicator.denominator, "denominator", denominator)
            if indicator.denominator is not None and denominator is not None
            else None
        )
        den_float = None if den is None else _float(indicator, "denominator", den)
        result = indicator.compute(_float(indicator, "numerator", num), den_float)
        recomputed = num * _scale(indicator) * to_figure / (den if den is not None else 1)

    case = _Case(indicator, figure, printed, tolerance, num, den, recomputed, to_figure)
    # A bare number is read in the definition's unit; say so where that unit
    # has a sign the report left out ("10.66" for 10.66‰).
    unit = figure.unit or indicator.unit
    unit_note = (
        ""
        if figure.unit_printed or unit_spec(unit).zh == "{value}"
        else f" The figure was printed without a unit sign; it is read in the definition's unit "
        f"({_display(printed, unit, figure.decimals)})."
    )

    def verdict(
        status: Status, reason: str, cause: Cause | None = None, inferred: range | None = None
    ) -> Verdict:
        difference = None if recomputed is None else printed - recomputed
        return Verdict(
            status,
            indicator,
            figure,
            result,
            recomputed,
            difference,
            tolerance,
            cause,
            reason + unit_note,
            inferred,
        )

    if _impossible(indicator, figure, tolerance, to_figure):
        cause = _cause(case)
        return verdict(
            Status.IMPOSSIBLE,
            f"{figure.text} is outside the values {indicator.name_zh} can take "
            f"({indicator.valid_range[0]:g} to {indicator.valid_range[1]:g} {indicator.unit})."
            + (f" Likely cause: {cause.description}." if cause else ""),
            cause,
        )
    if recomputed is None:
        return _one_count(indicator, figure, numerator, denominator, verdict)

    counts = _number(num, indicator.numerator.unit) + (  # type: ignore[arg-type]
        "" if den is None or indicator.denominator is None else f"/{_number(den, indicator.denominator.unit)}"
    )
    value = _number(recomputed, figure.unit)
    if _allows(figure, tolerance, recomputed):
        return verdict(
            Status.CONSISTENT,
            f"{counts} gives {value}, which the printed {figure.text} allows at its precision "
            f"(±{_number(tolerance)}).",
        )
    unit_step = 2 * tolerance
    if figure.bound is Bound.EXACT and printed <= recomputed < printed + unit_step:
        return verdict(
            Status.TRUNCATED,
            f"{counts} gives {value}: the printed {figure.text} is that value cut after "
            f"{max(figure.decimals, 0)} decimals instead of rounded (expected "
            f"{_display(recomputed, figure.unit or indicator.unit, figure.decimals)}).",
        )
    cause = _cause(case)
    return verdict(
        Status.INCONSISTENT,
        f"{counts} gives {value}, but the report printed {figure.text} "
        f"(difference {_number(printed - recomputed)}, more than the ±{_number(tolerance)} "
        "rounding allows)." + (f" Likely cause: {cause.description}." if cause else ""),
        cause,
    )


def _one_count(
    indicator: Indicator,
    figure: Figure,
    numerator: Amount | None,
    denominator: Amount | None,
    verdict: Callable[..., Verdict],
) -> Verdict:
    """The verdict without both counts: what the one given count allows of the other."""
    if numerator is None and denominator is None:
        return verdict(Status.UNVERIFIABLE, f"No counts to recompute {figure.text} from.")
    role, other, given = (
        ("numerator", "denominator", numerator)
        if numerator is not None
        else ("denominator", "numerator", denominator)
    )
    shown = given.text if isinstance(given, Figure) else str(given)
    try:
        inferred: range | None = infer_count(indicator, figure, **{role: given})
    except (InvalidOptionError, InvalidCountsError):
        inferred = None
    allowed = "" if inferred is None else f"; the {other} the figure allows is {_range_text(inferred)}"
    return verdict(Status.UNVERIFIABLE, f"Only the {role} is given ({shown}){allowed}.", inferred=inferred)


def _range_text(values: range) -> str:
    # Not len(): a range of more than sys.maxsize counts has no length.
    if not values:
        return "none: the figure and the count contradict each other"
    if values[0] == values[-1]:
        return str(values[0])
    return f"{values[0]} to {values[-1]}"


def infer_count(
    indicator: Indicator,
    reported: Figure | str,
    numerator: Amount | None = None,
    denominator: Amount | None = None,
) -> range:
    """The counts a published figure allows, given the other count.

    Give exactly one of ``numerator`` and ``denominator``; the result is every
    whole value of the other that, divided (or dividing), rounds to the
    printed figure at its printed precision. Boundaries are exact fractions.

    Parameters
    ----------
    indicator : Indicator
        What the figure reports.
    reported : Figure or str
        The published figure ("99.76%", "92.68/10万", "95%以上").
    numerator, denominator : number, str or Figure
        The one count the report gives.

    Returns
    -------
    range
        All integers allowed, in increasing order (empty if none is: the
        figure and the count contradict each other).

    Raises
    ------
    InvalidOptionError
        If not exactly one count is given, or the missing count is an amount
        of money (not a whole count).
    InvalidCountsError
        If the figure does not bound the missing count (a figure of 0 allows
        any denominator).

    Examples
    --------
    >>> from phindicators import get
    >>> list(infer_count(get("premarital_checkup_rate"), "99.76%", numerator=1660))
    [1664]
    >>> infer_count(get("prenatal_screening_rate"), "81%", numerator=1225)
    range(1504, 1522)
    """
    if (numerator is None) == (denominator is None):
        raise InvalidOptionError("infer_count needs exactly one of numerator and denominator")
    if indicator.denominator is None:
        raise InvalidOptionError(f"{indicator.id} is a count: it has no denominator to infer")
    figure = _figure(indicator, reported)
    tolerance = Fraction(figure.tolerance)
    to_figure = _factor(indicator.unit, figure.unit or indicator.unit)
    low, high = _interval(figure, tolerance)
    # The figure bounds numerator/denominator to [low, high] / scale.
    scale = _scale(indicator) * to_figure
    low_ratio = Fraction(0) if low is None else max(low, Fraction(0)) / scale
    high_ratio = None if high is None else high / scale
    strict_low = figure.bound is Bound.MORE_THAN
    strict_high = figure.bound is Bound.LESS_THAN
    proportion = KINDS[indicator.kind].numerator_within_denominator

    if numerator is not None:
        known = _amount(indicator, indicator.numerator, "numerator", numerator)
        _whole_count(indicator, indicator.denominator, "denominator")
        # den = num / ratio: a high ratio gives a low denominator.
        if low_ratio == 0:
            if known == 0:
                raise InvalidCountsError(
                    indicator.id, "denominator", f"is not bounded by {figure.text} with a numerator of 0"
                )
            raise InvalidCountsError(indicator.id, "denominator", f"is not bounded above by {figure.text}")
        first = _ceil(known / high_ratio, strict_high) if high_ratio else 1
        last = _floor(known / low_ratio, strict_low)
        first = max(first, 1, math.ceil(known) if proportion else 1)
        return range(first, last + 1)

    known = _amount(indicator, indicator.denominator, "denominator", denominator)  # type: ignore[arg-type]
    _whole_count(indicator, indicator.numerator, "numerator")
    # A proportion's numerator is bounded by its denominator even when the
    # figure is not ("95%以上").
    if high_ratio is None and not proportion:
        raise InvalidCountsError(indicator.id, "numerator", f"is not bounded above by {figure.text}")
    first = max(_ceil(known * low_ratio, strict_low), 0)
    last = math.floor(known) if high_ratio is None else _floor(known * high_ratio, strict_high)
    if proportion:
        last = min(last, math.floor(known))
    return range(first, last + 1)


def _whole_count(indicator: Indicator, term: Term, field: str) -> None:
    if not UNITS[term.unit].whole:
        raise InvalidOptionError(
            f"{indicator.id}: the {field} ({term.name_zh}) is an amount in {term.unit}, "
            "not a whole count; infer_count infers whole counts only"
        )


def _ceil(value: Fraction, strict: bool) -> int:
    """Smallest integer >= value (> value if strict)."""
    return math.floor(value) + 1 if strict else math.ceil(value)


def _floor(value: Fraction, strict: bool) -> int:
    """Largest integer <= value (< value if strict)."""
    return math.ceil(value) - 1 if strict else math.floor(value)


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
