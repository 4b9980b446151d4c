"""Judging a printed figure against its counts (:func:`audit`), and the counts it allows (:func:`infer_count`)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import attrs

from ..compute import Result
from ..errors import InvalidCountsError, InvalidOptionError
from ..figures import Bound, Figure
from ..model import KINDS, Indicator, Term
from ..units import UNITS, unit_spec
from ..validation import scalar_counts
from .arithmetic import (
    Amount,
    _allows,
    _amount,
    _display,
    _exact,
    _factor,
    _figure,
    _float,
    _interval,
    _number,
    _scale,
    _sign,
)
from .causes import _Case, _cause
from .model import Cause, Status, Verdict


def _impossible(indicator: Indicator, figure: Figure, tolerance: Fraction, to_figure: Fraction) -> bool:
    """Whether no value the figure allows lies in the indicator's valid range.

    A strict bound at the edge of the range allows nothing: "超过100%" for a
    proportion, "低于0%" for any rate.
    """
    if _plainly_possible(indicator, figure, tolerance, to_figure):
        return False
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


#: Relative margin within which a float comparison is not trusted.
_FLOAT_MARGIN = 1e-9


def _plainly_possible(indicator: Indicator, figure: Figure, tolerance: Fraction, to_figure: Fraction) -> bool:
    """Whether every value the figure allows lies well inside the valid range, by
    a float comparison with a wide margin: most figures are decided here without
    exact arithmetic, and any near the edges go on to it.

    The limits are the ones :func:`_impossible` compares (the low end of what
    the figure allows against the top of the range, the high end against the
    bottom), so a figure of 100% or 0 is decided here too.
    """
    least, most = indicator.valid_range
    try:
        value = float(figure.value)
        step = float(tolerance)
        factor = float(to_figure)
    except (OverflowError, ZeroDivisionError):
        return False
    if not (math.isfinite(value) and factor > 0):
        return False
    low, high = _FLOAT_INTERVALS[figure.bound](value, step)
    margin = _FLOAT_MARGIN * max(
        1.0, abs(value) / factor, step / factor, abs(least), abs(most) if math.isfinite(most) else 0.0
    )
    below_top = low is None or not math.isfinite(most) or low / factor < most - margin
    above_bottom = high is None or high / factor > least + margin
    return below_top and above_bottom


#: :func:`~phindicators.audit.arithmetic._interval` in floats, by bound.
_FLOAT_INTERVALS: dict[Bound, Callable[[float, float], tuple[float | None, float | None]]] = {
    Bound.EXACT: lambda v, t: (v - t, v + t),
    Bound.AT_LEAST: lambda v, t: (v - t, None),
    Bound.MORE_THAN: lambda v, t: (v, None),
    Bound.AT_MOST: lambda v, t: (None, v + t),
    Bound.LESS_THAN: lambda v, t: (None, v),
    Bound.APPROXIMATELY: lambda v, t: (v - 2 * t, v + 2 * t),
}


@functools.cache
def _tolerance(decimals: int) -> Fraction:
    """``Fraction(figure.tolerance)``, once per number of printed decimals."""
    return Fraction(Decimal(5).scaleb(-decimals - 1))


@functools.cache
def _valid_range(bounds: tuple[float, float]) -> tuple[Fraction, Fraction | None]:
    """A valid range as exact fractions (None for no upper limit)."""
    least, most = bounds
    return Fraction(least), Fraction(most) if math.isfinite(most) else None


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
    tolerance = _tolerance(figure.decimals)
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
        cause = _cause(_Case(indicator, figure, printed, tolerance, num, den, recomputed, to_figure))
        return verdict(
            Status.IMPOSSIBLE,
            f"{figure.text} is outside the values {indicator.name_zh} can take "
            f"({indicator.valid_range[0]:g} to {indicator.valid_range[1]:g} {indicator.unit})."
            + (f" Likely cause: {cause.description}." if cause else ""),
            cause,
        )
    if recomputed is None:
        judged = _one_count(indicator, figure, numerator, denominator, verdict)
        slip = _percent_slip(indicator, figure)
        if slip is None:
            return judged
        return attrs.evolve(judged, cause=slip, reason=f"{judged.reason} Likely cause: {slip.description}.")

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
    cause = _cause(_Case(indicator, figure, printed, tolerance, num, den, recomputed, to_figure))
    return verdict(
        Status.INCONSISTENT,
        f"{counts} gives {value}, but the report printed {figure.text} "
        f"(difference {_number(printed - recomputed)}, more than the ±{_number(tolerance)} "
        "rounding allows)." + (f" Likely cause: {cause.description}." if cause else ""),
        cause,
    )


def audit_status(indicator: Indicator, reported: Figure, numerator: Figure, denominator: Figure) -> Status:
    """The status :func:`audit` gives a printed figure and both its printed
    counts, without the verdict's reason, result or likely cause.

    What choosing among the pairs of counts of a sentence needs for every
    pair, when only the chosen pair's whole verdict is kept
    (:func:`phindicators.extract.extract`). Floats decide where they decide
    with a wide margin; a value near an edge of what the figure allows goes on
    to the exact fractions :func:`audit` uses.

    Parameters
    ----------
    indicator : Indicator
        What the figure reports; it must have a denominator.
    reported : Figure
        The printed figure, read for ``indicator`` (:meth:`Figure.for_indicator`).
    numerator, denominator : Figure
        The printed counts.

    Returns
    -------
    Status
        ``audit(indicator, reported, numerator, denominator).status``.

    Raises
    ------
    PhindicatorsError
        What :func:`audit` raises, from the same checks.

    Examples
    --------
    >>> from phindicators import get
    >>> from phindicators.figures import parse_figure
    >>> figure, num, den = (parse_figure(t) for t in ("99.76%", "1660人", "1664人"))
    >>> audit_status(get("premarital_checkup_rate"), figure, num, den)
    <Status.CONSISTENT: 'consistent'>
    """
    figure = _figure(indicator, reported)
    to_figure = _factor(indicator.unit, figure.unit or indicator.unit)
    tolerance = _tolerance(figure.decimals)
    assert indicator.denominator is not None
    num = _count_float(indicator, indicator.numerator, "numerator", numerator)
    den = _count_float(indicator, indicator.denominator, "denominator", denominator)
    # The checks of the counts are the computation's: it raises what audit's
    # raises. Its intervals (which raise for no count) are not needed here.
    if "life_table" in indicator.needs:
        indicator.compute(num, den)  # refused for any counts
    scalar_counts(indicator, num, den)
    if _impossible(indicator, figure, tolerance, to_figure):
        return Status.IMPOSSIBLE
    value, step = float(figure.value), float(tolerance)
    recomputed = num * _float_scale(indicator.numerator.unit, indicator.denominator.unit, indicator.unit)
    recomputed = recomputed * float(to_figure) / den
    margin = _FLOAT_MARGIN * max(1.0, abs(recomputed), abs(value), step)
    low, high = _FLOAT_INTERVALS[figure.bound](value, step)
    inside = (low is None or recomputed > low + margin) and (high is None or recomputed < high - margin)
    outside = (low is not None and recomputed < low - margin) or (high is not None and recomputed > high + margin)
    if inside:
        return Status.CONSISTENT
    if outside and not (
        figure.bound is Bound.EXACT and value - margin <= recomputed <= value + 2 * step + margin
    ):
        return Status.INCONSISTENT
    exact = (
        _amount(indicator, indicator.numerator, "numerator", numerator)
        * _scale(indicator)
        * to_figure
        / _amount(indicator, indicator.denominator, "denominator", denominator)
    )
    if _allows(figure, tolerance, exact):
        return Status.CONSISTENT
    printed = Fraction(figure.value)
    if figure.bound is Bound.EXACT and printed <= exact < printed + 2 * tolerance:
        return Status.TRUNCATED
    return Status.INCONSISTENT


def _count_float(indicator: Indicator, term: Term, field: str, count: Figure) -> float:
    """``float(_amount(...))`` of a printed count, with its checks, without a
    Fraction where the count is in its term's unit already."""
    if count.bound is not Bound.EXACT or count.unit not in (None, term.unit):
        return _float(indicator, field, _amount(indicator, term, field, count))
    value = float(count.value)
    # Beyond float range the exact path raises the error audit raises.
    return value if math.isfinite(value) else _float(indicator, field, _amount(indicator, term, field, count))


@functools.cache
def _float_scale(numerator_unit: str, denominator_unit: str, unit: str) -> float:
    """:func:`~phindicators.audit.arithmetic._scale` as a float, by units."""
    return float(_exact(numerator_unit) / _exact(denominator_unit) / _exact(unit))


#: Units that count per thousand or more of a population: no report prints
#: them as a percentage, so a "%" after such a figure is a slip of the sign.
_PER_POPULATION = frozenset({"permille", "per_thousand", "per_ten_thousand", "per_hundred_thousand"})


def _percent_slip(indicator: Indicator, figure: Figure) -> Cause | None:
    """A rate per 1 000 (or more) printed with "%" ("婴儿死亡率6.2%"): a slip of the
    sign, not a value of 6.2 %. Without counts nothing says which sign was meant,
    so the cause predicts no number."""
    if not (figure.unit_printed and figure.unit == "percent" and indicator.unit in _PER_POPULATION):
        return None
    return Cause(
        "unit_sign",
        f"{indicator.name_zh} is printed in {_sign(indicator.unit)}, never with %: "
        f"{figure.text} is most likely {figure.value}{_sign(indicator.unit)} with the wrong sign",
        None,
        False,
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
    tolerance = _tolerance(figure.decimals)
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
