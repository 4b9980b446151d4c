"""Result: a value with its counts, unit, period and intervals, and its views (text, JSON, frames)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np

from ..display import LANGUAGES, format_result, format_value
from ..errors import InvalidOptionError, TargetError
from ..model import Indicator
from ..periods import Period
from ..stats import (
    EXACT_BELOW,
    Interval,
    confidence_levels,
    is_lazy,
)
from ..tabular import result_frame
from ..units import conversion_factor, quantity
from .methods import KIND_INTERVALS, Values, interval_methods, value_scale

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pint

    from ..stats import Confidence


def _interval_tuple(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    return tuple(intervals)


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b, equal_nan=True))  # type: ignore[arg-type]
    return a == b or (a != a and b != b)  # NaN equals NaN here


def _whole_ages(ages: Iterable[Any]) -> tuple[int, ...]:
    """Ages as ints, refusing any that is not whole (never truncated)."""
    whole = []
    for age in ages:
        number = float(age)
        if not number.is_integer():
            raise InvalidOptionError(f"ages must be whole numbers, got {age!r}")
        whole.append(int(number))
    return tuple(whole)


def _read_only(counts: Any) -> np.ndarray:
    """A float64 copy that nobody can write to (a caller's buffer may change)."""
    array = np.array(counts, dtype=np.float64)
    array.flags.writeable = False
    return array


@attrs.frozen(eq=False)
class AgeBands:
    """The deaths and populations by age band a life-table result was computed from.

    A life-table value (life expectancy, 45q15, premature NCD mortality)
    does not follow from its band totals, so its :class:`~phindicators.Result` keeps
    the bands: to recompute it at other levels
    (:meth:`~phindicators.Result.with_confidence`)
    and to check it when read back from JSON.

    Attributes
    ----------
    ages : tuple of int
        The first age of each band, from 0; the last band is open.
    deaths, populations : ndarray
        Read-only float64 copies, the bands along the last axis (populations
        may be one row of bands shared by every area).

    Examples
    --------
    >>> from phindicators import get
    >>> r = get("adult_mortality_45q15").compute(
    ...     [40, 9, 40, 90, 500], [20_000, 18_000, 20_000, 15_000, 9_000], ages=[0, 15, 30, 45, 60])
    >>> r.bands.ages, r.bands.deaths.tolist()
    ((0, 15, 30, 45, 60), [40.0, 9.0, 40.0, 90.0, 500.0])
    """

    ages: tuple[int, ...] = attrs.field(converter=_whole_ages)
    deaths: np.ndarray = attrs.field(converter=_read_only)
    populations: np.ndarray = attrs.field(converter=_read_only)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AgeBands):
            return NotImplemented
        return all(_same(getattr(self, f.name), getattr(other, f.name)) for f in attrs.fields(AgeBands))

    __hash__ = None  # type: ignore[assignment]  # arrays


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
    #: The bands a life-table result was computed from (None for every other kind).
    bands: AgeBands | None = None
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
        from .routes import compute  # routes builds Results: imported on use, not at import

        if "life_table" in self.indicator.needs:
            if self.bands is None:
                raise InvalidOptionError(
                    f"{self.indicator.id}: this life-table result keeps no age bands to recompute its "
                    "interval from; compute it again from the deaths and populations by age band "
                    "with confidence="
                )
            # The value comes from the bands, not from the totals.
            return compute(
                self.indicator,
                self.bands.deaths,
                self.bands.populations,
                ages=self.bands.ages,
                confidence=confidence,
                period=self.period,
            )
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
    :class:`~phindicators.Target`, which sits above this module)."""

    def is_met(self, value: Result) -> bool | np.ndarray: ...
