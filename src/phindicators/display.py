"""Turning values into the strings reports print.

Rounding is half-up on the decimal figure (四舍五入), as a person with a
calculator rounds, not Python's round-half-even on the binary float: 12.345
displays as "12.35" at two decimals.

Front-ends get the same strings from :func:`format_interval` (a value with
its confidence interval), :func:`format_count` (thousands separators in
English, 万 in Chinese) and :func:`format_status` (status labels in Chinese
and English, from :data:`STATUS_LABELS`).

One job, every string a person reads (values, intervals, counts, statuses,
targets), in one module past 600 lines: the rounding and the unit templates
they share must not drift apart.

Examples
--------
>>> format_value(92.678405931417, "per_hundred_thousand", 2, "zh")
'92.68/10万'
>>> format_value(92.678405931417, "per_hundred_thousand", 2, "en", "live births")
'92.68 per 100,000 live births'
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .errors import InvalidOptionError
from .units import unit_spec

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

__all__ = [
    "CHINESE_MAGNITUDES",
    "KIND_LABELS",
    "LANGUAGES",
    "MISSING",
    "POLARITY_LABELS",
    "SCOPE_LABELS",
    "STATUS_LABELS",
    "Displayable",
    "DisplayableTarget",
    "describe_target",
    "format_count",
    "format_interval",
    "format_number",
    "format_numbers",
    "format_result",
    "format_status",
    "format_target",
    "format_value",
    "text_width",
]

#: Languages a value can be displayed in.
LANGUAGES = ("zh", "en")

#: What a missing (NaN) value displays as.
MISSING = "—"


def format_number(value: float, decimals: int, *, grouping: bool = False) -> str:
    """Round half-up to ``decimals`` places and print, optionally with commas.

    Examples
    --------
    >>> format_number(12.345, 2)
    '12.35'
    >>> format_number(1352.0, 0, grouping=True)
    '1,352'
    """
    if math.isnan(value):
        return MISSING
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    # repr gives the shortest decimal that round-trips, i.e. the figure a
    # person would read off the float.
    rounded = _half_up(Decimal(repr(float(value))), decimals)
    return f"{rounded:,f}" if grouping else f"{rounded:f}"


def _half_up(number: Decimal, decimals: int) -> Decimal:
    # Decimal's default context holds 28 digits, too few for 1e28 at 0
    # decimals: give it the digits of the integer part and the places, and
    # one for a carry (9.995 -> 10.00).
    digits = max(number.adjusted() + 1, 1) + max(decimals, 0) + 1
    context = Context(prec=digits, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
    rounded = number.quantize(Decimal(1).scaleb(-decimals, context), context=context)
    return abs(rounded) if rounded == 0 else rounded  # no "-0.00"


# A scaled value this close to a tie (relative to its size) may round
# either way depending on float error, so it is rounded by Decimal. Float
# error is below 1e-15 of the value; the margin is a million times that.
_TIE_MARGIN = 1e-9
# Beyond this many decimals, or this size, floats do not hold the scaled
# value's integer part exactly.
_MAX_FAST_DECIMALS = 15
_MAX_FAST_SCALED = 2.0**52


def format_numbers(values: ArrayLike, decimals: int, *, grouping: bool = False) -> list[str]:
    """:func:`format_number` of every element, flattened, in one pass.

    Rounding is done on the whole array in floating point, and only the
    elements whose scaled value lies within a hair of a tie (where float
    error could decide the rounding) go through :class:`~decimal.Decimal`,
    so the strings are exactly those of :func:`format_number`, about ten
    times faster.

    Examples
    --------
    >>> format_numbers([12.345, 0.125, 1.005, -0.001, 1352.0, float("nan")], 2, grouping=True)
    ['12.35', '0.13', '1.01', '0.00', '1,352.00', '—']
    """
    flat = np.asarray(values, dtype=np.float64).ravel()
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.abs(flat) * 10.0**decimals
        rounded = np.floor(scaled + 0.5)
        distance = np.abs(scaled - np.floor(scaled) - 0.5)
        fast = np.isfinite(scaled) & (scaled < _MAX_FAST_SCALED) & (distance > _TIE_MARGIN * (scaled + 1.0))
    if decimals > _MAX_FAST_DECIMALS:
        fast[:] = False
    # rounded / 10**d is the float nearest the rounded decimal figure, and
    # printing it with d places gives that figure back exactly.
    shown = rounded / 10.0**decimals
    shown = np.where(np.signbit(flat) & (rounded != 0), -shown, shown)
    shown[~fast] = 0.0
    template = f"{{:{',' if grouping else ''}.{decimals}f}}"
    texts = list(map(template.format, shown.tolist()))
    for index in np.flatnonzero(~fast).tolist():
        texts[index] = format_number(float(flat[index]), decimals, grouping=grouping)
    return texts


def _affixes(template: str, denominator: str) -> tuple[str, str]:
    """The text before and after ``{value}`` in a unit's display template."""
    head, tail = template.split("{value}", 1)
    return head.format(denominator=denominator), tail.format(denominator=denominator).rstrip()


def format_value(
    value: float | np.ndarray,
    unit: str,
    decimals: int,
    lang: str = "zh",
    denominator: str = "",
) -> str | np.ndarray:
    """Display a value (or every element of an array) in ``unit``.

    Parameters
    ----------
    value : float or ndarray
        Value(s) already expressed in ``unit``.
    unit : str
        A unit of :data:`phindicators.units.UNITS`.
    decimals : int
        Places after the decimal point.
    lang : {"zh", "en"}
        Chinese uses the report's signs ("%", "‰", "/10万"); English spells
        out per-N units with the denominator's name.
    denominator : str
        English name of the denominator, e.g. "live births".

    Returns
    -------
    str or ndarray of str
        A string for a scalar, an array of the same shape for an array.
    """
    if lang not in LANGUAGES:
        raise InvalidOptionError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    head, tail = _affixes(getattr(unit_spec(unit), lang), denominator)
    grouping = lang == "en"
    if np.ndim(value) == 0:  # one value: no array machinery
        text = format_number(float(value), decimals, grouping=grouping)
        return text if text == MISSING else head + text + tail
    texts = [
        text if text == MISSING else head + text + tail
        for text in format_numbers(value, decimals, grouping=grouping)
    ]
    return np.array(texts, dtype=str).reshape(np.shape(value))


# -- counts, intervals and statuses for front-ends ------------------------------------

#: The words Chinese reports write large numbers with, smallest first: a
#: count that prints as ``threshold`` or more is written in units of
#: ``10**power`` ("13.5万" for 135 058). Smaller counts are printed in full,
#: as reports print "产妇2164人".
CHINESE_MAGNITUDES: tuple[tuple[int, int, str], ...] = (
    (10**5, 4, "万"),
    (10**8, 8, "亿"),
)


def format_count(value: float, lang: str = "zh", *, decimals: int = 0, magnitude_decimals: int = 1) -> str:
    """Display a count (people, births, places) as a report prints it.

    English groups thousands with commas. Chinese prints counts in full
    below 10万 and in 万 or 亿 from there (:data:`CHINESE_MAGNITUDES`), with
    up to ``magnitude_decimals`` places and no trailing zeros, as in
    "13.5万" and "17万".

    Parameters
    ----------
    value : float
        The count.
    lang : {"zh", "en"}
    decimals : int
        Places for a count printed in full (0 for people).
    magnitude_decimals : int
        Most places for a count written in 万 or 亿.

    Examples
    --------
    >>> format_count(135058, "en"), format_count(135058, "zh"), format_count(2164, "zh")
    ('135,058', '13.5万', '2164')
    >>> format_count(170000, "zh"), format_count(95_000_000, "zh"), format_count(123456789, "zh")
    ('17万', '9500万', '1.2亿')
    """
    _check_lang(lang)
    if math.isnan(value) or math.isinf(value) or lang == "en":
        return format_number(value, decimals, grouping=lang == "en")
    exact = Decimal(repr(float(value)))
    # Each larger unit is taken when the figure as printed in the smaller
    # one reaches it: 99 999 999 is 10000.0万, so "1亿"; 95 000 000 stays
    # "9500万" although it is 0.95亿.
    printed, shown = _half_up(exact, decimals), format_number(value, decimals)
    for threshold, power, word in CHINESE_MAGNITUDES:
        if abs(printed) < threshold:
            break
        scaled = _half_up(exact.scaleb(-power), magnitude_decimals)
        printed, text = scaled.scaleb(power), f"{scaled:f}"
        shown = (text.rstrip("0").rstrip(".") if "." in text else text) + word
    return shown


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise InvalidOptionError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")


def _level(confidence: float) -> str:
    # 0.95 -> "95%", 0.998 -> "99.8%": decimal arithmetic on the level's
    # shortest repr, so that 0.998 * 100 does not print as 99.80000000000001
    # and no level near 1 is rounded to "100%" (0.9999995 -> "99.99995%").
    return f"{(Decimal(repr(float(confidence))) * 100).normalize():f}%"


#: How an interval follows the value (which carries its unit), the limits
#: in place of ``{{}}``: the full-width brackets of Chinese text, CI in English.
_INTERVAL_TEMPLATES = {
    "zh": "（{level}置信区间 {{}}）",
    "en": " ({level} CI {{}})",
}


def format_interval(
    value: float | np.ndarray,
    lower: float | np.ndarray | None,
    upper: float | np.ndarray | None,
    unit: str,
    decimals: int,
    lang: str = "zh",
    *,
    confidence: float = 0.95,
    denominator: str = "",
) -> str | np.ndarray:
    """Display a value with its confidence interval, as a report writes it.

    The value is displayed by :func:`format_value`. The limits repeat the
    unit's sign when it is one character ("94.57%–96.32%", "6.76‰–16.00‰");
    for longer units ("/10万", "per 100,000 live births") the unit is written
    once, after the value. Without limits (None or NaN) only the value is
    displayed.

    Parameters
    ----------
    value, lower, upper : float or ndarray
        In ``unit``; arrays broadcast together.
    unit, decimals, lang, denominator
        As for :func:`format_value`.
    confidence : float
        The interval's level, as a fraction.

    Returns
    -------
    str or ndarray of str

    Examples
    --------
    >>> format_interval(95.5176, 94.5693, 96.3243, "percent", 2, "zh")
    '95.52%（95%置信区间 94.57%–96.32%）'
    >>> format_interval(95.5176, 94.5693, 96.3243, "percent", 2, "en")
    '95.52% (95% CI 94.57%–96.32%)'
    >>> format_interval(92.678, 11.224, 334.79, "per_hundred_thousand", 2, "en",
    ...                 denominator="live births", confidence=0.998)
    '92.68 per 100,000 live births (99.8% CI 11.22–334.79)'
    >>> format_interval(92.678, None, None, "per_hundred_thousand", 2)
    '92.68/10万'
    """
    _check_lang(lang)
    head, tail = _affixes(getattr(unit_spec(unit), lang), denominator)
    # One-character signs (%, ‰, 元) are repeated on the limits.
    limit_tail = tail if len(tail) == 1 else ""
    grouping = lang == "en"
    opening, closing = _INTERVAL_TEMPLATES[lang].format(level=_level(confidence)).split("{}")
    arrays = np.broadcast_arrays(
        *(np.asarray(np.nan if a is None else a, dtype=np.float64) for a in (value, lower, upper))
    )
    if arrays[0].ndim == 0:  # one value: no array machinery
        values, lows, highs = ([format_number(float(a), decimals, grouping=grouping)] for a in arrays)
    else:
        values, lows, highs = (format_numbers(a, decimals, grouping=grouping) for a in arrays)
    texts = []
    for shown, low, high in zip(values, lows, highs, strict=True):
        if shown == MISSING:
            texts.append(shown)
        elif low == MISSING or high == MISSING:
            texts.append(head + shown + tail)
        else:
            texts.append(f"{head}{shown}{tail}{opening}{low}{limit_tail}–{high}{limit_tail}{closing}")
    if arrays[0].ndim == 0:
        return texts[0]
    return np.array(texts, dtype=str).reshape(arrays[0].shape)


class _Named(Protocol):
    @property
    def name_en(self) -> str: ...


class _Defined(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def decimals(self) -> int: ...
    @property
    def denominator(self) -> _Named | None: ...


class Displayable(Protocol):
    """What :func:`format_result` reads of a result: display knows no result
    class (it sits below :mod:`phindicators.compute`), only this shape."""

    @property
    def indicator(self) -> _Defined: ...
    @property
    def value(self) -> float | np.ndarray: ...
    @property
    def lower(self) -> float | np.ndarray | None: ...
    @property
    def upper(self) -> float | np.ndarray | None: ...
    @property
    def unit(self) -> str: ...
    @property
    def confidence(self) -> float | None: ...


def format_result(result: Displayable, lang: str = "zh") -> str | np.ndarray:
    """Display a :class:`~phindicators.Result` (or anything of its
    shape, :class:`Displayable`) with its (first)
    confidence interval, at the indicator's decimals.

    Examples
    --------
    >>> from phindicators import get
    >>> format_result(get("infant_mortality_rate").compute(23, 2158), "zh")
    '10.66‰（95%置信区间 6.75‰–15.99‰）'
    >>> format_result(get("maternal_mortality_ratio").compute(2, 2158), "en")
    '92.68 per 100,000 live births (95% CI 11.22–334.79)'
    """
    denominator = result.indicator.denominator
    return format_interval(
        result.value,
        result.lower,
        result.upper,
        result.unit,
        result.indicator.decimals,
        lang,
        confidence=0.95 if result.confidence is None else result.confidence,
        denominator=denominator.name_en if denominator is not None else "",
    )


def _labels(rows: tuple[tuple[str, str, str], ...]) -> dict[str, dict[str, str]]:
    return {key: {"zh": zh, "en": en} for key, zh, en in rows}


#: Labels of every status a comparison or an audit gives, by its value:
#: target statuses, benchmark statuses (the Fingertips wording: "better
#: (99.8%)" is better at both levels), trend statuses, funnel positions and
#: audit verdicts.
STATUS_LABELS: dict[str, dict[str, str]] = _labels(
    (
        # target
        ("met", "达标", "met"),
        ("not_met", "未达标", "not met"),
        ("uncertain", "不确定", "uncertain"),
        ("not_assessed", "未评估", "not assessed"),
        ("no_target", "无目标", "no target"),
        # benchmark
        ("best", "较好（99.8%）", "better (99.8%)"),
        ("better", "较好", "better"),
        ("similar", "相近", "similar"),
        ("worse", "较差", "worse"),
        ("worst", "较差（99.8%）", "worse (99.8%)"),
        ("higher_99_8", "较高（99.8%）", "higher (99.8%)"),
        ("higher", "较高", "higher"),
        ("lower", "较低", "lower"),
        ("lower_99_8", "较低（99.8%）", "lower (99.8%)"),
        ("not_compared", "未比较", "not compared"),
        # trend
        ("increasing_and_getting_better", "上升，向好", "increasing and getting better"),
        ("increasing_and_getting_worse", "上升，变差", "increasing and getting worse"),
        ("decreasing_and_getting_better", "下降，向好", "decreasing and getting better"),
        ("decreasing_and_getting_worse", "下降，变差", "decreasing and getting worse"),
        ("increasing", "上升", "increasing"),
        ("decreasing", "下降", "decreasing"),
        ("no_significant_change", "无显著变化", "no significant change"),
        ("could_not_be_calculated", "无法计算", "could not be calculated"),
        # funnel
        ("above_99_8", "高于99.8%控制限", "above the 99.8% limit"),
        ("above_95", "高于95%控制限", "above the 95% limit"),
        ("within", "控制限内", "within the limits"),
        ("below_95", "低于95%控制限", "below the 95% limit"),
        ("below_99_8", "低于99.8%控制限", "below the 99.8% limit"),
        # audit
        ("consistent", "一致", "consistent"),
        ("truncated", "截断（未四舍五入）", "truncated, not rounded"),
        ("inconsistent", "不一致", "inconsistent"),
        ("impossible", "不可能", "impossible"),
        ("unverifiable", "无法核实", "unverifiable"),
    )
)

#: Labels of the polarities (:class:`phindicators.model.Polarity` values).
POLARITY_LABELS: dict[str, dict[str, str]] = _labels(
    (
        ("high_is_good", "越高越好", "higher is better"),
        ("low_is_good", "越低越好", "lower is better"),
        ("in_range_is_good", "在正常范围内为好", "within a normal range is good"),
        ("no_judgement", "不作优劣判断", "no judgement"),
    )
)

#: Labels of the scopes of targets (:class:`phindicators.targets.Scope` values).
SCOPE_LABELS: dict[str, dict[str, str]] = _labels(
    (
        ("global", "全球", "global"),
        ("national", "全国", "national"),
        ("provincial", "省级", "provincial"),
        ("local", "地方", "local"),
    )
)

#: Labels of the kinds (:class:`phindicators.model.Kind` values).
KIND_LABELS: dict[str, dict[str, str]] = _labels(
    (
        ("proportion", "率（构成比例）", "proportion"),
        ("rate", "率（事件发生率）", "rate"),
        ("ratio", "比", "ratio"),
        ("density", "密度（每千/万人口）", "density"),
        ("mean", "均数", "mean"),
        ("completion", "任务完成率", "completion of a task"),
        ("count", "数", "count"),
    )
)


def format_status(status: str, lang: str = "zh") -> str:
    """The label of a status (a target, benchmark, trend, funnel or audit
    status, or its string value) from :data:`STATUS_LABELS`.

    Raises
    ------
    InvalidOptionError
        For a status without a label, or an unknown language.

    Examples
    --------
    >>> from phindicators.compare import TargetStatus
    >>> format_status(TargetStatus.NOT_MET, "zh"), format_status("worst", "en")
    ('未达标', 'worse (99.8%)')
    """
    _check_lang(lang)
    try:
        return STATUS_LABELS[str(status)][lang]
    except KeyError:
        raise InvalidOptionError(
            f"no label for status {status!r} (statuses: {', '.join(STATUS_LABELS)})"
        ) from None


def text_width(text: str) -> int:
    """The columns a text takes in a terminal: two for each wide (Chinese)
    character, one for the others; for aligning plain-text tables.

    Examples
    --------
    >>> text_width("孕产妇死亡率"), text_width("MMR 92.68")
    (12, 9)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# -- targets ------------------------------------------------------------------------------

#: The sign each comparator of :class:`phindicators.targets.Comparator`
#: prints with (a range prints as "103–107").
_COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "between": ""}


class DisplayableTarget(Protocol):
    """What :func:`format_target` reads of a
    :class:`~phindicators.Target`: display knows no targets."""

    @property
    def comparator(self) -> Any: ...
    @property
    def threshold(self) -> tuple[float, ...]: ...
    @property
    def unit(self) -> str: ...
    @property
    def change(self) -> float | None: ...
    @property
    def baseline(self) -> float | None: ...
    @property
    def baseline_year(self) -> int | None: ...
    @property
    def direction(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def period(self) -> tuple[int, int] | None: ...
    @property
    def source(self) -> Any: ...

    def thresholds(self) -> tuple[Any, ...]: ...


def _plain(value: float) -> str:
    # 6 places hide the binary noise of a resolved relative threshold (22.225).
    number = float(round(value, 6))
    return str(int(number)) if number.is_integer() else repr(number)


def format_target(target: DisplayableTarget, lang: str = "zh", denominator: str = "") -> str | None:
    """A target's requirement as a report writes it: "≥85%", "≤20/10万".

    A relative target shows the threshold its stored baseline resolves to;
    without a stored baseline it has no fixed requirement (None).

    Parameters
    ----------
    target : Target
    lang : {"zh", "en"}
    denominator : str
        English name of the indicator's denominator, for units spelled out
        in English ("per 100,000 live births").

    Examples
    --------
    >>> from phindicators.targets import target_set
    >>> [mmr] = target_set("women_outline_2011").for_indicator("maternal_mortality_ratio")
    >>> format_target(mmr), format_target(mmr, "en", "live births")
    ('≤20/10万', '≤20 per 100,000 live births')
    >>> [srb] = target_set("sex_ratio_normal_range").for_indicator("sex_ratio_at_birth")
    >>> format_target(srb)
    '103–107'
    """
    _check_lang(lang)
    template = getattr(unit_spec(target.unit), lang)
    comparator = str(getattr(target.comparator, "value", target.comparator))
    if comparator == "relative_change":
        if target.baseline is None:
            return None
        sign = "≤" if target.direction == "down" else "≥"
        thresholds = [float(target.thresholds()[0])]
    else:
        sign = _COMPARATOR_SIGNS[comparator]
        thresholds = [float(t) for t in target.threshold]
    shown = "–".join(_plain(threshold) for threshold in thresholds)
    return sign + template.format(value=shown, denominator=denominator).rstrip()


def _share(fraction: float) -> str:
    """A relative change as plans write it: "25%", or "2/3" where a
    percentage would need more than one decimal (66.666667%)."""
    percent = round(fraction * 100, 6)
    if round(percent, 1) == percent:
        return f"{_plain(percent)}%"
    near = Fraction(fraction).limit_denominator(100)
    return f"{near.numerator}/{near.denominator}" if abs(float(near) - fraction) < 1e-9 else f"{_plain(percent)}%"


# A plan title's trailing period, "（2011—2020年）" or "(2011-2020)": the
# target's own period is printed instead, in one style.
_TITLE_PERIOD = re.compile(r"\s*[（(][^（）()]*\d{4}[^（）()]*[）)]\s*$")


def describe_target(target: DisplayableTarget, lang: str = "zh", denominator: str = "") -> str:
    """A target as a plan states it, with the plan: what ``str(target)`` prints.

    Examples
    --------
    >>> from phindicators.targets import target_set
    >>> [mmr] = target_set("women_outline_2011").for_indicator("maternal_mortality_ratio")
    >>> describe_target(mmr)
    '≤20/10万 (中国妇女发展纲要 2011–2020)'
    >>> describe_target(mmr, "en", "live births")
    '≤20 per 100,000 live births (Outline for the Development of Chinese Women 2011–2020)'
    """
    requirement = format_target(target, lang, denominator)
    if requirement is None:  # a relative change without a stored baseline
        change = float(target.change or 0.0)
        amount = _share(abs(change))
        year = target.baseline_year
        if lang == "zh":
            since = f"较{year}年" if year else ""
            requirement = f"{since}{'下降' if change < 0 else '上升'}{amount}"
        else:
            since = f" from {year}" if year else ""
            requirement = f"{'down' if change < 0 else 'up'} {amount}{since}"
    if target.note:
        requirement += f", {target.note}"
    source = target.source
    title = (getattr(source, "title_en", "") or source.title) if lang == "en" else source.title
    title = _TITLE_PERIOD.sub("", title) or title
    if target.period is not None:
        first, last = target.period
        title += f" {first}–{last}" if first != last else f" {first}"
    return f"{requirement} ({title})"
