"""From counts to values: :class:`Result` and :func:`compute`.

The count → value path is the same for a single area and for a million: the
counts are validated (:mod:`phindicators.validation`), divided as float64 and
scaled to the indicator's unit by one exact factor. No Python loop runs per
element and no pint object is built; a :attr:`Result.quantity` is made only
when asked for. Three routes share the arithmetic:

* Python numbers (an app's request) are checked and divided as plain floats;
* numeric arrays of one shape are converted, checked, divided and given
  their limits :data:`phindicators._threads.BLOCK_ROWS` rows at a time, while
  each block is in the CPU cache: a few passes over memory in all, and no
  temporary as large as the input (any other input is broadcast and
  converted by :func:`~phindicators.validation.validate_counts` first);
* dask arrays give a lazy result, computed chunk by chunk with the array
  route (see :func:`compute`).

Each result carries its confidence interval(s), computed by the method the
indicator's kind calls for (:data:`KIND_INTERVALS`): Wilson's score interval
for proportions, the Poisson interval of the numerator count (exact below 10
events, Byar's from 10) for the kinds that count events, none for means.

The module does one job, the count → value path and the value type it
returns; its three routes share their tail (:class:`Result` with its
intervals attached), which is why they stay together past 600 lines.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np

from . import _threads
from ._threads import for_blocks, one_thread
from .display import LANGUAGES, format_result, format_value
from .errors import DefinitionError, InvalidCountsError, InvalidOptionError, TargetError
from .model import Indicator, Kind
from .periods import Period
from .stats import (
    EXACT_BELOW,
    POISSON_METHODS,
    PROPORTION_METHODS,
    Interval,
    Kernel,
    confidence_levels,
    interval_bounds,
    interval_kernel,
    is_lazy,
    map_lazily,
)
from .tabular import result_frame
from .units import UNITS, conversion_factor, quantity
from .validation import (
    aligned,
    block_check,
    check_denominator,
    counts_array,
    scalar_counts,
    validate_counts,
    whole_counts,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pint
    from numpy.typing import ArrayLike

    from .stats import Confidence

__all__ = ["KIND_INTERVALS", "Result", "compute", "interval_methods", "value_scale"]

Values = float | np.ndarray

# Python numbers take the per-request path (bool is not one of them).
_NUMBERS = (int, float)
_NUMBERS_OR_NONE = (int, float, type(None))

#: The interval methods each kind accepts, its default first. Proportions
#: take Wilson (PHE's method) or Clopper–Pearson. Rates, ratios, densities
#: and counts take a Poisson interval of the numerator count, the
#: denominator treated as fixed (PHE's method for rates). Completion
#: (achieved / assigned task) takes the same: the achieved number is a count
#: of events and the assignment a fixed number set in advance; a binomial
#: interval would be wrong because achievement may exceed 100 %. Means have
#: none: their uncertainty needs the spread of the individual amounts, which
#: the sum and the number of beneficiaries do not give. An indicator whose
#: numerator is an amount of money gets none whatever its kind: ask
#: :func:`phindicators.interval_methods`, not this table, what an indicator takes.
KIND_INTERVALS: dict[Kind, tuple[str, ...]] = {
    Kind.PROPORTION: PROPORTION_METHODS,
    Kind.RATE: POISSON_METHODS,
    Kind.RATIO: POISSON_METHODS,
    Kind.DENSITY: POISSON_METHODS,
    Kind.COMPLETION: POISSON_METHODS,
    Kind.COUNT: POISSON_METHODS,
    Kind.MEAN: (),
}


def interval_methods(indicator: Indicator) -> tuple[str, ...]:
    """The interval methods ``indicator`` accepts, its default first; empty
    when it gets no interval.

    Those of its kind (:data:`KIND_INTERVALS`), unless its numerator is an
    amount of money. Binomial and Poisson intervals model counts of events;
    an amount of money is not one, and its "interval" would depend on the
    currency unit (2.5 万元 of 10 gives 4 %–80 %, the same 25 000 元 of
    100 000 gives 24.7 %–25.3 %). Such indicators (资金到位率, a share of
    spending) are legitimate, so they load and compute, without an
    interval, as means do.

    Examples
    --------
    >>> from phindicators import get
    >>> interval_methods(get("infant_mortality_rate"))
    ('auto', 'exact', 'byar')
    >>> interval_methods(get("oop_share_of_health_expenditure"))
    ()
    """
    if not UNITS[indicator.numerator.unit].whole:
        return ()
    return KIND_INTERVALS[indicator.kind]


def _interval_tuple(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    return tuple(intervals)


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b, equal_nan=True))  # type: ignore[arg-type]
    return a == b or (a != a and b != b)  # NaN equals NaN here


@attrs.frozen(eq=False, repr=False)
class Result:
    """An indicator's value computed from counts.

    Attributes
    ----------
    indicator : Indicator
        What was computed.
    numerator, denominator : float or ndarray
        The counts (``denominator`` is None for counts): floats for scalar
        counts; for arrays, a read-only float64 copy in the result's shape,
        so that a caller reusing its buffer cannot change the counts under
        the value (every valid count is exact in float64).
    value : float or ndarray
        The value in ``unit``: 95.517… for 2067/2164 in percent. A float when
        the counts were scalars, otherwise an array of their broadcast shape.
    unit : str
        The unit of ``value`` (a name from :data:`phindicators.units.UNITS`).
    intervals : tuple of Interval
        The confidence intervals, one per level asked for, in ``unit``
        (empty when none were asked for, or for means). :attr:`lower`,
        :attr:`upper`, :attr:`confidence` and :attr:`method` read the first.
    period : Period or None
        The period the counts cover, e.g. "2023年1-10月".
    annualisation : float or None
        The factor the value and limits were multiplied by to express a
        part-year rate per year (see :func:`phindicators.pooling.annualise`);
        None when not annualised.

    Examples
    --------
    >>> from phindicators import get
    >>> result = get("maternal_systematic_management_rate").compute(2067, 2164)
    >>> round(result.value, 3), result.unit
    (95.518, 'percent')
    >>> result.format()
    '95.52%'
    >>> result.to("permille").format()
    '955.18‰'
    >>> round(result.lower, 2), round(result.upper, 2), result.confidence, result.method
    (94.57, 96.32, 0.95, 'wilson')
    """

    indicator: Indicator
    numerator: Values
    denominator: Values | None
    value: Values
    unit: str
    intervals: tuple[Interval, ...] = attrs.field(default=(), converter=_interval_tuple)
    period: Period | None = None
    annualisation: float | None = None
    #: Row labels of the pandas Series the counts came in, for :meth:`to_frame`
    #: (not part of the value: equal results may come from differently labelled counts).
    index: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def lower(self) -> Values | None:
        """Lower limit of the first interval, in :attr:`unit` (None without one)."""
        return self.intervals[0].lower if self.intervals else None

    @property
    def upper(self) -> Values | None:
        """Upper limit of the first interval, in :attr:`unit` (None without one)."""
        return self.intervals[0].upper if self.intervals else None

    @property
    def confidence(self) -> float | None:
        """Confidence level of the first interval (None without one)."""
        return self.intervals[0].confidence if self.intervals else None

    @property
    def method(self) -> str | None:
        """Method of the first interval (a key of
        :data:`phindicators.stats.INTERVAL_METHODS`; None without one)."""
        return self.intervals[0].method if self.intervals else None

    def interval(self, confidence: float) -> Interval:
        """The attached interval at ``confidence`` (one level).

        Raises
        ------
        InvalidOptionError
            If ``confidence`` is not one level, or the result carries no
            interval at that level; use :meth:`with_confidence` to compute it.

        Examples
        --------
        >>> from phindicators import get
        >>> result = get("infant_mortality_rate").compute(23, 2158, confidence=(0.95, 0.998))
        >>> round(result.interval(99.8).upper, 2)
        19.49
        """
        levels = confidence_levels(confidence)
        if len(levels) != 1:
            raise InvalidOptionError(
                f"{self.indicator.id}: interval() takes one confidence level at a time, got {confidence!r}"
            )
        (level,) = levels
        for interval in self.intervals:
            if interval.confidence == level:
                return interval
        attached = ", ".join(f"{i.confidence:g}" for i in self.intervals) or "none"
        raise InvalidOptionError(
            f"{self.indicator.id}: no {level:g} interval attached (attached: {attached}); "
            "use with_confidence() to compute it"
        )

    def with_confidence(self, confidence: Confidence | None) -> Result:
        """The same result with intervals at other levels, recomputed from the counts.

        The method stays the one the result's intervals were computed with
        (the kind's default if it carries none), and an annualised result
        stays annualised.

        Examples
        --------
        >>> from phindicators import get
        >>> result = get("infant_mortality_rate").compute(23, 2158)
        >>> [i.confidence for i in result.with_confidence((0.95, 0.998)).intervals]
        [0.95, 0.998]
        """
        if confidence is not None and not interval_methods(self.indicator) and KIND_INTERVALS[self.indicator.kind]:
            # A kind with intervals whose numerator is money (see
            # interval_methods): asking for a level is asking for what
            # cannot be given.
            raise InvalidOptionError(
                f"{self.indicator.id}: no confidence interval: its numerator is an amount of money "
                f"({self.indicator.numerator.unit}), not a count of events"
            )
        method = None
        if self.intervals and self.intervals[0].method in interval_methods(self.indicator):
            method = self.intervals[0].method
        fresh = compute(
            self.indicator,
            self.numerator,
            self.denominator,
            confidence=confidence,
            method=method,
            period=self.period,
        )
        intervals = fresh.intervals
        if self.annualisation is not None:
            intervals = tuple(i.scaled(self.annualisation) for i in intervals)
        return attrs.evolve(self, intervals=intervals)

    @property
    def quantity(self) -> pint.Quantity:
        """The value as a :class:`pint.Quantity` (builds the registry on first use)."""
        return quantity(self.value, self.unit)

    def format(self, lang: str = "zh") -> str | np.ndarray:
        """Display the value as a report prints it, with the indicator's decimals.

        Parameters
        ----------
        lang : {"zh", "en"}
            ``"zh"``: "95.52%", "10.66‰", "92.68/10万". ``"en"``: "95.52%",
            "92.68 per 100,000 live births".

        Returns
        -------
        str or ndarray of str
            One string per value, in the shape of :attr:`value`.
        """
        denominator = self.indicator.denominator
        return format_value(
            self.value,
            self.unit,
            self.indicator.decimals,
            lang,
            denominator.name_en if denominator is not None else "",
        )

    @property
    def scale(self) -> float:
        """The factor from numerator / denominator (each in its term's unit)
        to :attr:`value`: the indicator's scale, converted to :attr:`unit`,
        times the annualisation factor if any.

        Examples
        --------
        >>> from phindicators import get
        >>> get("infant_mortality_rate").compute(23, 2158).to("percent").scale
        100.0
        """
        factor = value_scale(self.indicator) * conversion_factor(self.indicator.unit, self.unit)
        return factor * (self.annualisation or 1.0)

    def to(self, unit: str) -> Result:
        """The same result expressed in another unit of the same dimension,
        with its intervals converted too.

        Raises
        ------
        UnitError
            If ``unit`` is unknown or of another dimension.
        """
        factor = conversion_factor(self.unit, unit)
        return attrs.evolve(
            self,
            value=self.value * factor,
            unit=unit,
            intervals=tuple(i.scaled(factor) for i in self.intervals),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return all(
            _same(getattr(self, field.name), getattr(other, field.name))
            for field in attrs.fields(Result)
            if field.eq
        )

    __hash__ = None  # type: ignore[assignment]  # values may be arrays

    def to_frame(self, backend: str = "pandas", *, index: Any = None) -> Any:
        """The result as a DataFrame of ``backend`` ("pandas", "polars",
        "pyarrow"…), one row per value, with the columns of
        :func:`phindicators.frames.compute_frame`; a pandas Series passed to
        :func:`compute` gives the rows its index. Needs the ``frames`` extra.

        Examples
        --------
        >>> import pytest; pd = pytest.importorskip("pandas")
        >>> from phindicators import get
        >>> deaths = pd.Series([23, 12], index=["甲县", "乙县"])
        >>> get("infant_mortality_rate").compute(deaths, [2158, 1900]).to_frame()["display_zh"].tolist()
        ['10.66‰', '6.32‰']
        >>> list(get("infant_mortality_rate").compute(deaths, [2158, 1900]).to_frame().index)
        ['甲县', '乙县']
        """
        return result_frame(self, backend, index=self.index if index is None else index)

    @property
    def methods(self) -> str | np.ndarray | None:
        """The interval method each value's limits were computed with: a
        name for a scalar, an array of names for an array (None without an
        interval). Under ``"auto"`` a Poisson interval is exact below
        :data:`phindicators.stats.poisson.EXACT_BELOW` events and Byar's from there,
        so rows of one result differ.

        Examples
        --------
        >>> import numpy as np
        >>> from phindicators import get
        >>> result = get("infant_mortality_rate").compute(np.array([5, 23]), np.array([1000, 2158]))
        >>> result.method, result.methods.tolist()
        ('auto', ['exact', 'byar'])
        """
        method = self.method
        if method is None or np.ndim(self.value) == 0:
            return method
        if method != "auto":
            return np.full(np.shape(self.value), method)
        return np.where(np.less(self.numerator, EXACT_BELOW), "exact", "byar")

    def as_dict(self, target: _Judged | None = None) -> dict[str, Any]:
        """A compact, JSON-ready summary for an app: value, limits, level,
        method, unit, display strings in Chinese and English and, if a
        ``target`` is given, whether the value meets it.

        Arrays become lists (NaN becomes None) and a dask result is computed.
        :func:`phindicators.serialize.to_dict` gives the full document
        (definition and counts included), which reads back into a Result.

        Parameters
        ----------
        target : Target, optional
            Adds ``status`` ("met", "not_met", or "not_assessed" when the
            target cannot judge the value, e.g. a relative target without a
            baseline) and ``target`` (the requirement as the plan states it).

        Examples
        --------
        >>> from phindicators import get, target_set
        >>> result = get("maternal_mortality_ratio").compute(2, 2158)
        >>> [plan] = target_set("women_outline_2011").for_indicator("maternal_mortality_ratio")
        >>> summary = result.as_dict(plan)
        >>> summary["display"], summary["status"], summary["method"]
        ({'zh': '92.68/10万', 'en': '92.68 per 100,000 live births'}, 'not_met', 'exact')
        >>> summary["interval"]["zh"]
        '92.68/10万（95%置信区间 11.22–334.79）'
        """
        def plain(values: object) -> Any:
            array = np.asarray(values)
            if array.dtype.kind == "f":
                array = array.astype(object)
                array[np.isnan(np.asarray(values, dtype=np.float64))] = None
            return array.item() if array.ndim == 0 else array.tolist()

        summary: dict[str, Any] = {
            "indicator": self.indicator.id,
            "name": {"zh": self.indicator.name_zh, "en": self.indicator.name_en},
            "value": plain(self.value),
            "unit": self.unit,
            "lower": None if self.lower is None else plain(self.lower),
            "upper": None if self.upper is None else plain(self.upper),
            "confidence": self.confidence,
            "method": None if self.methods is None else plain(self.methods),
            "period": None if self.period is None else str(self.period),
            "display": {lang: plain(self.format(lang)) for lang in LANGUAGES},
            "interval": (
                {lang: plain(format_result(self, lang)) for lang in LANGUAGES} if self.intervals else None
            ),
        }
        if target is not None:
            summary["target"] = str(target)
            try:
                met = np.asarray(target.is_met(self))
            except TargetError:
                summary["status"] = "not_assessed"
            else:
                status = np.where(met, "met", "not_met")
                summary["status"] = status.item() if status.ndim == 0 else status.tolist()
        return summary

    def to_json(self, target: _Judged | None = None) -> str:
        """:meth:`as_dict` as JSON text (UTF-8, Chinese kept as written).

        Examples
        --------
        >>> from phindicators import get
        >>> get("maternal_systematic_management_rate").compute(2067, 2164).to_json()[:58]
        '{"indicator": "maternal_systematic_management_rate", "name'
        """
        return json.dumps(self.as_dict(target), ensure_ascii=False, allow_nan=False)

    def __repr__(self) -> str:
        if np.ndim(self.value) == 0:
            return f"Result(indicator={self.indicator.id!r}, value={self.value!r}, unit={self.unit!r})"
        shape = tuple(np.shape(self.value))
        interval = "" if self.confidence is None else f", {self.confidence:g} interval by {self.method!r}"
        if is_lazy(self.value):
            values = "<dask array, not computed>"
        else:
            values = np.array2string(np.asarray(self.value), threshold=6, edgeitems=3, precision=4, separator=", ")
        return (
            f"Result(indicator={self.indicator.id!r}, shape={shape}, unit={self.unit!r}{interval},\n"
            f"       value={values})"
        )

    def _repr_html_(self) -> str:
        """A table of the first rows for notebooks: value, limits, method."""
        import html

        title = html.escape(f"{self.indicator.name_zh} {self.indicator.name_en} ({self.indicator.id})")
        if np.ndim(self.value) == 0 or is_lazy(self.value):
            return f"<pre>{html.escape(repr(self))}</pre>"
        flat = np.asarray(self.value).reshape(-1)
        shown = min(flat.size, _HTML_ROWS)
        positions = [tuple(int(j) for j in np.unravel_index(i, np.shape(self.value))) for i in range(shown)]
        texts = np.asarray(self.format("zh")).reshape(-1)[:shown]
        lows = None if self.lower is None else np.asarray(self.lower).reshape(-1)[:shown]
        highs = None if self.upper is None else np.asarray(self.upper).reshape(-1)[:shown]
        methods = None if self.methods is None else np.asarray(self.methods).reshape(-1)[:shown]
        head = "<tr><th>row</th><th>value</th>"
        if lows is not None:
            head += f"<th>lower ({self.confidence:g})</th><th>upper</th><th>method</th>"
        rows = []
        for i in range(shown):
            cells = f"<td>{positions[i]}</td><td>{html.escape(str(texts[i]))}</td>"
            if lows is not None and highs is not None and methods is not None:
                cells += f"<td>{lows[i]:.6g}</td><td>{highs[i]:.6g}</td><td>{html.escape(str(methods[i]))}</td>"
            rows.append(f"<tr>{cells}</tr>")
        more = f"<p>… {flat.size - shown} more rows</p>" if flat.size > shown else ""
        return (
            f"<div><strong>{title}</strong>, {flat.size} values in {html.escape(self.unit)}"
            f"<table>{head}</tr>{''.join(rows)}</table>{more}</div>"
        )


#: Rows an array result shows in a notebook.
_HTML_ROWS = 20


class _Judged(Protocol):
    """What :meth:`Result.as_dict` reads of a target (a
    :class:`~phindicators.targets.Target`, which sits above this module)."""

    def is_met(self, value: Result) -> bool | np.ndarray: ...


@functools.cache
def _scale(numerator_unit: str, denominator_unit: str, unit: str) -> float:
    """Exact factor from numerator/denominator in their units to ``unit``."""
    size = {name: Fraction(repr(UNITS[name].multiplier)) for name in {numerator_unit, denominator_unit, unit}}
    return float(size[numerator_unit] / size[denominator_unit] / size[unit])


def value_scale(indicator: Indicator) -> float:
    """The exact factor from numerator / denominator, each in its term's
    unit, to a value in the indicator's unit.

    Examples
    --------
    >>> from phindicators import get
    >>> value_scale(get("maternal_mortality_ratio"))
    100000.0
    """
    den_unit = indicator.denominator.unit if indicator.denominator is not None else "count"
    return _scale(indicator.numerator.unit, den_unit, indicator.unit)


def _interval_method(indicator: Indicator, method: str | None) -> str | None:
    """The method to use for ``indicator``: its kind's default, or ``method``
    if the kind accepts it."""
    allowed = interval_methods(indicator)
    if method is None:
        return allowed[0] if allowed else None
    if method not in allowed:
        if allowed:
            accepted = ", ".join(map(repr, allowed))
        elif KIND_INTERVALS[indicator.kind]:
            accepted = "none (an amount of money is not a count of events)"
        else:
            accepted = "none (no interval for this kind)"
        raise InvalidOptionError(
            f"{indicator.id}: method must be one for a {indicator.kind}: {accepted}; got {method!r}"
        )
    return method


def compute(
    indicator: Indicator,
    numerator: ArrayLike,
    denominator: ArrayLike | None = None,
    *,
    confidence: Confidence | None = 0.95,
    method: str | None = None,
    period: Period | str | None = None,
) -> Result:
    """Compute ``indicator`` from counts, for scalars or arrays of any shape.

    Parameters
    ----------
    indicator : Indicator
        The definition to apply.
    numerator : array_like
        Numerator counts (or amounts, for terms in money units), in the unit
        of the indicator's numerator term. A dask array (of either count)
        makes every array of the result a dask array: nothing is read or
        checked until it is computed, then chunk by chunk, and bad counts
        raise :class:`~phindicators.errors.InvalidCountsError` at that
        point, with positions in the whole array.
    denominator : array_like, optional
        Denominator counts; broadcast against ``numerator``. Omit for
        indicators of kind ``count``.
    confidence : float, sequence of float or None
        Level(s) of the confidence interval(s) to attach: 0.95 by default,
        ``(0.95, 0.998)`` for both; a fraction in [0.9, 1) or a percentage in
        [90, 100). None attaches none.
    method : str, optional
        Override the kind's interval method: ``"clopper_pearson"`` for a
        proportion, ``"exact"`` or ``"byar"`` for counts of events (see
        :data:`KIND_INTERVALS`).
    period : Period or str, optional
        The period the counts cover; a string is read by
        :meth:`phindicators.pooling.Period.parse` ("2023年1-10月").

    Returns
    -------
    Result
        Scalars in, scalar value out; arrays in, an array of the broadcast
        shape out.

    Raises
    ------
    InvalidCountsError
        Negative, NaN or infinite counts, fractions where counts are whole, a
        zero denominator, a numerator above the denominator of a proportion.
        For arrays the message lists the first offending positions.
    InvalidOptionError
        A confidence level out of range, or a method the kind does not take.

    Examples
    --------
    >>> import numpy as np
    >>> from phindicators import get
    >>> imr = get("infant_mortality_rate")
    >>> compute(imr, 23, 2158).format()
    '10.66‰'
    >>> compute(imr, np.array([23, 5]), np.array([2158, 1000])).format()
    array(['10.66‰', '5.00‰'], dtype='<U6')
    >>> result = compute(imr, 5, 1000)
    >>> round(result.lower, 2), round(result.upper, 2), result.method
    (1.62, 11.67, 'exact')
    """
    if "life_table" in indicator.needs:
        # Dividing the two terms of a life-table indicator would print a
        # plausible but wrong number: refuse on every route (Indicator.compute,
        # compute, scorecards, frames all come through here).
        raise DefinitionError(
            "needs",
            f"{indicator.id} is computed by the life-table routines "
            "(phindicators.stats.life_expectancy), not from two counts",
        )
    levels = () if confidence is None else confidence_levels(confidence)
    chosen = _interval_method(indicator, method)
    if period is not None:
        period = _period(period)
    if chosen is None:
        levels = ()
    scale = value_scale(indicator)
    if type(numerator) in _NUMBERS and type(denominator) in _NUMBERS_OR_NONE:
        return _compute_numbers(indicator, numerator, denominator, levels, chosen, scale, period)  # type: ignore[arg-type]
    # Before any route: the block path would otherwise take counts without
    # their denominator for a count (2 managed mothers as 200 %).
    check_denominator(indicator, denominator)
    # pandas objects pair by label, never by position.
    denominator = aligned(indicator.id, numerator, denominator)  # type: ignore[assignment]
    labels = _series_index(numerator, denominator)
    if labels is not None:
        # A Series' labels travel with the result (for to_frame); the
        # counts, paired by label above, go on as arrays.
        plain = compute(
            indicator,
            np.asarray(numerator),
            None if denominator is None else np.asarray(denominator),
            confidence=confidence,
            method=method,
            period=period,
        )
        return attrs.evolve(plain, index=labels)
    if is_lazy(numerator) or is_lazy(denominator):
        return _compute_lazy(indicator, numerator, denominator, levels, chosen, period)
    num_array = counts_array(indicator.id, "numerator", numerator)
    den_array = None if denominator is None else counts_array(indicator.id, "denominator", denominator)
    if _by_blocks(num_array, den_array):
        whole = whole_counts(indicator, num_array.dtype, None if den_array is None else den_array.dtype)
        kernels = [(level, interval_kernel(chosen, level, scale, whole=whole)) for level in levels]  # type: ignore[arg-type]
        num_f, den_f, value_array, limits = _compute_blocks(
            indicator, numerator, denominator, num_array, den_array, kernels, scale
        )
        intervals = tuple(
            Interval(value_array, lower, upper, level, chosen)  # type: ignore[arg-type]
            for (level, _), (lower, upper) in zip(kernels, limits, strict=True)
        )
        return Result(indicator, num_f, den_f, value_array, indicator.unit, intervals, period)
    num_checked, den_checked = validate_counts(indicator, numerator, denominator)
    value_array = num_checked * scale if den_checked is None else np.divide(num_checked, den_checked)
    if den_checked is not None and scale != 1.0:
        value_array *= scale
    num: Values = num_checked
    den: Values | None = den_checked
    value: Values = value_array
    if value_array.ndim == 0:  # 0-d arrays in, Python floats out
        num, value = float(num_checked), float(value_array)
        den = None if den_checked is None else float(den_checked)
    else:  # as the block path does: a read-only float64 copy of the counts
        num = _owned(num_checked, num_array)
        if den_checked is not None and den_array is not None:
            den = _owned(den_checked, den_array)
    return _with_intervals(indicator, num, den, value, levels, chosen, scale, period)


def _series_index(*counts: object) -> Any:
    """The index of the first pandas (or modin) Series among the counts, or None."""
    for values in counts:
        if type(values).__module__.partition(".")[0] in ("pandas", "modin") and hasattr(values, "index"):
            return values.index
    return None


def _compute_numbers(
    indicator: Indicator,
    numerator: float,
    denominator: float | None,
    levels: tuple[float, ...],
    method: str | None,
    scale: float,
    period: Period | None,
) -> Result:
    """:func:`compute` for Python numbers (an app's request): plain floats,
    no numpy."""
    num, den = scalar_counts(indicator, numerator, denominator)
    value = num * scale if den is None else num / den * scale
    return _with_intervals(indicator, num, den, value, levels, method, scale, period)


def _with_intervals(
    indicator: Indicator,
    num: Values,
    den: Values | None,
    value: Values,
    levels: tuple[float, ...],
    method: str | None,
    scale: float,
    period: Period | None,
) -> Result:
    """The result of checked counts and their value, with an interval per
    level. The limits are those of the count scaled like the value:
    numerator and denominator stay in their terms' units, the scale
    converts."""
    exposure = 1.0 if den is None else den
    intervals = tuple(
        Interval(value, *_bounds(method, num, exposure, level, scale))  # type: ignore[arg-type]
        for level in levels
    )
    return Result(indicator, num, den, value, indicator.unit, intervals, period)


def _bounds(
    method: str, num: Values, den: Values, level: float, scale: float
) -> tuple[Values, Values, float, str]:
    lower, upper, used = interval_bounds(method, num, den, level, scale)
    return lower, upper, level, used


def _by_blocks(num: np.ndarray, den: np.ndarray | None) -> bool:
    """Whether the counts take the block path: numeric arrays of one shape
    (anything else is broadcast, converted or reported by
    :func:`~phindicators.validation.validate_counts` first)."""
    return num.ndim > 0 and _plain(num) and (den is None or (den.shape == num.shape and _plain(den)))


def _plain(array: np.ndarray) -> bool:
    """Integers, or floats float64 holds exactly: extended-precision floats
    are checked as given by validate_counts, before any rounding."""
    return array.dtype.kind in "iu" or (array.dtype.kind == "f" and array.dtype.itemsize <= 8)


def _owned(checked: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Checked counts as a result keeps them: read-only, and never memory
    the caller can still write to (a buffer reused for the next chunk would
    otherwise change the counts under the value, and every interval, pool
    or document recomputed from them)."""
    if np.may_share_memory(checked, given):
        checked = np.broadcast_to(np.array(given, dtype=np.float64), checked.shape)
    return _read_only(checked)


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _float_block(source: np.ndarray, target: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Rows ``start:stop`` of ``source`` copied as float64 into ``target``
    (the result's own copy of the counts), while they are in the cache."""
    block = target[start:stop]
    np.copyto(block, source[start:stop], casting="unsafe")
    return block


#: numpy asks the system for huge pages (2 MiB) for arrays from 4 MiB on.
_HUGE_PAGE_ARRAY = 4 << 20
_HUGE_PAGE = 2 << 20


def _output_arrays(count: int, size: int) -> list[np.ndarray]:
    """``count`` new float64 arrays of ``size`` elements, laid out for few
    page faults: fresh memory costs one fault per 4 KiB page, or per 2 MiB
    page where the system grants huge pages, which it does only for whole,
    aligned 2 MiB spans. At a few hundred thousand rows the faults would
    otherwise take most of the time.

    Arrays too small for huge pages on their own are rows of one allocation
    (a result kept only for its values then keeps its limits' memory too,
    a few MiB at most); every allocation of huge-page size starts on a
    2 MiB boundary.
    """
    if size * 8 >= _HUGE_PAGE_ARRAY:
        return [_huge_page_aligned(1, size)[0] for _ in range(count)]
    return list(_huge_page_aligned(count, size))


def _huge_page_aligned(count: int, size: int) -> np.ndarray:
    """An uninitialised float64 array of shape ``(count, size)``, starting on
    a 2 MiB boundary if it is large enough for numpy to ask for huge pages."""
    nbytes = count * size * 8
    if nbytes < _HUGE_PAGE_ARRAY - _HUGE_PAGE:
        return np.empty((count, size))
    raw = np.empty(nbytes + _HUGE_PAGE, dtype=np.uint8)  # >= 4 MiB: numpy advises huge pages
    start = -raw.ctypes.data % _HUGE_PAGE
    return raw[start : start + nbytes].view(np.float64).reshape(count, size)


def _compute_blocks(
    indicator: Indicator,
    numerator: ArrayLike,
    denominator: ArrayLike | None,
    num: np.ndarray,
    den: np.ndarray | None,
    kernels: list[tuple[float, Kernel]],
    scale: float,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """The counts, values and limits of numeric arrays of one shape,
    computed :data:`phindicators._threads.BLOCK_ROWS` rows at a time.

    Each block is converted, checked by
    :func:`~phindicators.validation.block_check`, divided and given its
    limits in one go; if a block fails the check, ``validate_counts`` runs
    on the whole input and raises the error a caller would get without
    blocks (the first problem of the whole array, with its positions).
    """
    shape, size = num.shape, num.size
    num_in = num.reshape(-1)
    den_in = None if den is None else den.reshape(-1)
    # The result keeps a float64 copy of the counts, made block by block
    # while they are in the cache (see _owned for why never the caller's).
    block_rows = _threads.BLOCK_ROWS
    n_counts = 1 if den is None else 2
    num_f, *outputs = _output_arrays(n_counts + 1 + 2 * len(kernels), size)
    den_f = None if den is None else outputs.pop(0)
    value, *bounds = outputs
    limits = list(zip(bounds[::2], bounds[1::2], strict=True))
    check = block_check(indicator, num.dtype, None if den is None else den.dtype)

    def run(starts: Iterable[int]) -> None:
        # over: 1 / 5e-324 overflows before the check below names the count.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for start in starts:
                stop = min(start + block_rows, size)
                rows = slice(start, stop)
                x = _float_block(num_in, num_f, start, stop)
                n = None if den_in is None or den_f is None else _float_block(den_in, den_f, start, stop)
                ratio = value[rows]
                if n is None:
                    np.copyto(ratio, x)
                else:
                    np.divide(x, n, out=ratio)
                if not check(x, n, ratio):
                    # Raises for a real problem; names the first one of the whole input.
                    validate_counts(indicator, numerator, denominator)
                for (_, kernel), (lower, upper) in zip(kernels, limits, strict=True):
                    kernel(x, 1.0 if n is None else n, lower[rows], upper[rows], ratio)
                if scale != 1.0:
                    ratio *= scale

    for_blocks(size, block_rows, run)
    return (
        _read_only(num_f.reshape(shape)),
        None if den_f is None else _read_only(den_f.reshape(shape)),
        value.reshape(shape),
        [(lower.reshape(shape), upper.reshape(shape)) for lower, upper in limits],
    )


def _compute_lazy(
    indicator: Indicator,
    numerator: ArrayLike,
    denominator: ArrayLike | None,
    levels: tuple[float, ...],
    method: str | None,
    period: Period | None,
) -> Result:
    """:func:`compute` on dask arrays, chunk by chunk and lazily.

    Every field of the result (counts, value, limits) is a dask array made
    from one task per chunk that validates and computes the chunk with the
    numpy path; a bad chunk raises :class:`InvalidCountsError` when the
    result is computed, with positions in the whole array.
    """
    inputs = (numerator,) if denominator is None else (numerator, denominator)

    def chunk(*blocks: np.ndarray, origin: tuple[int, ...]) -> list[np.ndarray]:
        num, den = blocks[0], blocks[1] if len(blocks) > 1 else None
        try:
            with one_thread():
                result = compute(indicator, num, den, confidence=levels or None, method=method)
        except InvalidCountsError:
            validate_counts(indicator, num, den, origin=origin)
            raise
        fields = [result.numerator, result.value]
        if result.denominator is not None:
            fields.append(result.denominator)
        fields += [limit for interval in result.intervals for limit in (interval.lower, interval.upper)]
        return [np.broadcast_to(field, num.shape) for field in fields]

    # The numerator, the value, the denominator if any, two limits per level.
    lazy = list(
        map_lazily(
            chunk, inputs, 1 + len(inputs) + 2 * len(levels), where=indicator.id, names=("numerator", "denominator")
        )
    )
    num_l, value_l = lazy[0], lazy[1]
    den_l = lazy[2] if denominator is not None else None
    limits = lazy[1 + len(inputs) :]
    intervals = tuple(
        Interval(value_l, limits[2 * i], limits[2 * i + 1], level, method)  # type: ignore[arg-type]
        for i, level in enumerate(levels)
    )
    return Result(indicator, num_l, den_l, value_l, indicator.unit, intervals, period)


def _period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    if isinstance(period, str):
        return Period.parse(period)
    raise InvalidOptionError(f"period must be a Period or a string such as '2023年1-10月', got {period!r}")
