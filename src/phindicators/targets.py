"""Targets as data: what plans and standards require of an indicator.

A :class:`Target` holds one requirement of one plan: the indicator (by id), a
:class:`Comparator` (≥, >, ≤, <, between, or a relative change from a
baseline such as "在2000年基础上下降1/4"), the threshold(s) in a declared
unit, the :class:`Scope` of area it applies to, the plan and its period, and
the :class:`~phindicators.model.Source` that states it. A :class:`TargetSet`
is a named, versioned collection of the targets of one plan.

Whether a value meets a target is decided by one table, :data:`COMPARATORS`:
each comparator computes a signed *gap* from the value to its threshold(s),
>= 0 when the target is met, and "met" follows from the gap. Values may be a
:class:`~phindicators.compute.Result` (its own unit is used: a threshold in ‰
checks a result in per 100 000 correctly), a plain number or a numpy array
(taken in the target's unit).

The bundled target sets (``phindicators/data/targets/*.toml``, one file per
plan) are read on first use, once, under a lock, and validated against the
bundled catalog: every target must point at a known indicator, in a unit of
the indicator's dimension, with thresholds inside the indicator's valid range
and a comparator that agrees with its polarity. :func:`load_target_sets`
applies the same checks to a user's own files.

A target file looks like this (``threshold`` defaults to the indicator's unit;
``source``, ``period`` and ``scope`` default to those of the set)::

    [target_set]
    id = "county_plan_2025"
    name_zh = "某县妇幼健康规划（2021—2025年）"
    name_en = "County maternal and child health plan (2021-2025)"
    version = "2021"
    period = [2021, 2025]
    source = "county_plan_2025"

    [sources.county_plan_2025]          # only sources the catalog lacks
    title = "某县妇幼健康规划（2021—2025年）"
    year = 2021

    [targets.maternal_mortality]
    indicator = "maternal_mortality_ratio"
    comparator = "<="
    threshold = 15
    note = "county level"

Examples
--------
>>> from phindicators.model import Source
>>> sdg = Source(id="un_sdg_2015", title="Transforming our world", year=2015)
>>> nmr = Target(id="nmr", indicator="neonatal_mortality_rate", comparator="<=",
...              threshold=12, unit="permille", source=sdg, plan="sdg_2030")
>>> nmr.is_met(10.66), nmr.gap(14.0)
(True, -2.0)
>>> nmr.thresholds("per_hundred_thousand")
(1200.0,)
"""

from __future__ import annotations

import contextlib
import difflib
import enum
import functools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from . import _threads
from ._once import Once
from ._toml import (
    Document,
    build_definition,
    bundled_documents,
    check_top_level,
    checked_fields,
    define_once,
    line_of,
    located,
    read_documents,
    resolve_reference,
    table_of,
)
from ._validators import (
    check,
    identifier,
    known_unit,
    member_of,
    nonempty_text,
    optional_text,
    to_member,
)
from .catalog import SOURCE_FIELDS, Catalog, bundled_catalog, evidence_list
from .compute import Result
from .errors import (
    CatalogError,
    InvalidTypeError,
    TargetError,
    UnitError,
    UnknownTargetSetError,
)
from .model import (
    Confidence,
    Evidence,
    Indicator,
    Polarity,
    Source,
    evidence_items,
    evidence_tuple,
    to_confidence,
)
from .stats import is_lazy
from .units import conversion_factor

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

__all__ = [
    "COMPARATORS",
    "Comparator",
    "ComparatorSpec",
    "Scope",
    "Target",
    "TargetSet",
    "load_target_sets",
    "target_set",
    "target_sets",
]


class Comparator(enum.StrEnum):
    """How a value is held to a target's threshold(s); see :data:`COMPARATORS`.

    ``RELATIVE_CHANGE`` is a change from a baseline value, stored as a
    fraction (``-1/4`` for "下降1/4"): a decrease resolves to ``<=
    baseline × (1 + change)``, an increase to ``>=``. It "at least" achieves
    the change, as plans mean it.

    Examples
    --------
    >>> Comparator("<="), COMPARATORS[Comparator("<=")].symbol
    (<Comparator.AT_MOST: '<='>, '≤')
    """

    AT_LEAST = ">="
    ABOVE = ">"
    AT_MOST = "<="
    BELOW = "<"
    BETWEEN = "between"
    RELATIVE_CHANGE = "relative_change"


class Scope(enum.StrEnum):
    """The level of area whose figure a threshold applies to.

    ``GLOBAL`` is for targets on a world aggregate (SDG 3.1 sets the *global*
    maternal mortality ratio, not each country's). ``LOCAL`` covers counties,
    townships and the like; the target's ``note`` says which ("per county").

    Examples
    --------
    >>> [scope.value for scope in Scope]
    ['global', 'national', 'provincial', 'local']
    """

    GLOBAL = "global"
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    LOCAL = "local"


# Values within this relative distance of a threshold count as equal to it,
# so that a figure computed in floating point (2/10000 → 19.999999999999996
# per 100 000) meets "≤ 20/10万" as the arithmetic says it should.
_RELATIVE_TOLERANCE = 1e-9

Thresholds = tuple[float, ...]

# The factor between two units, per pair: the exact-fraction arithmetic of
# conversion_factor costs more than the rest of a scalar check.
_factor = functools.lru_cache(maxsize=256)(conversion_factor)


def _difference(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
    """a - b, exactly 0 where a and b are equal up to the tolerance.

    "Equal" is :func:`numpy.isclose`'s test with ``b`` as the reference;
    two Python floats get the same test in plain arithmetic (the path of an
    app checking one value per request).
    """
    if type(a) is float and type(b) is float:
        close = (abs(a - b) <= _RELATIVE_TOLERANCE * abs(b) and math.isfinite(b)) or a == b
        return 0.0 if close else a - b
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    close = np.isclose(a, b, rtol=_RELATIVE_TOLERANCE, atol=0.0)
    return np.where(close, 0.0, a - b)


def _lowest(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
    """The smaller of a and b, NaN if either is (as :func:`numpy.minimum`)."""
    if type(a) is float and type(b) is float:
        return math.nan if math.isnan(a) or math.isnan(b) else min(a, b)
    return np.minimum(a, b)


@attrs.frozen
class ComparatorSpec:
    """How one comparator behaves.

    Attributes
    ----------
    symbol : str
        How it is printed ("≤").
    n_thresholds : int
        How many thresholds a target stores (2 for between, 0 for a relative
        change, whose threshold is resolved from the baseline).
    direction : str
        ``"up"`` (higher values meet it), ``"down"`` or ``"range"``; ``""``
        for a relative change, whose sign decides.
    strict : bool
        Whether a gap of exactly 0 fails (> and <).
    gap : callable or None
        ``gap(values, thresholds)``: signed distance, >= 0 when met. None for
        a relative change, which resolves to ``>=`` or ``<=`` first.

    Examples
    --------
    >>> spec = COMPARATORS[Comparator.BETWEEN]
    >>> spec.gap(np.array([102.0, 105.0]), (103.0, 107.0)).tolist()
    [-1.0, 0.0]
    """

    symbol: str
    n_thresholds: int
    direction: str
    strict: bool
    gap: Callable[[Any, Thresholds], Any] | None


#: Behaviour of each comparator. For ``BETWEEN`` the gap is 0 inside
#: [low, high] and minus the distance to the nearest bound outside it.
COMPARATORS: dict[Comparator, ComparatorSpec] = {
    Comparator.AT_LEAST: ComparatorSpec("≥", 1, "up", False, lambda v, t: _difference(v, t[0])),
    Comparator.ABOVE: ComparatorSpec(">", 1, "up", True, lambda v, t: _difference(v, t[0])),
    Comparator.AT_MOST: ComparatorSpec("≤", 1, "down", False, lambda v, t: _difference(t[0], v)),
    Comparator.BELOW: ComparatorSpec("<", 1, "down", True, lambda v, t: _difference(t[0], v)),
    Comparator.BETWEEN: ComparatorSpec(
        "in",
        2,
        "range",
        False,
        lambda v, t: _lowest(0.0, _lowest(_difference(v, t[0]), _difference(t[1], v))),
    ),
    Comparator.RELATIVE_CHANGE: ComparatorSpec("Δ", 0, "", False, None),
}


def _gap_of(values: np.ndarray, spec: ComparatorSpec, thresholds: Thresholds) -> np.ndarray:
    """The gap of a block of values (for dask's map_blocks)."""
    return spec.gap(np.asarray(values, dtype=np.float64), thresholds)  # type: ignore[misc]


def _met_up(values: np.ndarray, threshold: float, strict: bool, out: np.ndarray, work: np.ndarray) -> None:
    # The gap is v - t, 0 where |v - t| <= r·|t|: it is >= 0 exactly where
    # v - t >= -r·|t|, and > 0 where v - t > r·|t| (r the tolerance; NaN fails).
    cutoff = _up_cutoff(threshold, strict)
    if cutoff is not None:
        np.greater_equal(values, cutoff, out=out)
        return
    np.subtract(values, threshold, out=work[0])
    limit = _RELATIVE_TOLERANCE * abs(threshold)
    if strict:
        np.greater(work[0], limit, out=out)
    else:
        np.greater_equal(work[0], -limit, out=out)


@functools.lru_cache(maxsize=256)
def _up_cutoff(threshold: float, strict: bool) -> float | None:
    """The least float ``v`` that meets an upward target at ``threshold``,
    or None if the threshold is not finite.

    Rounded subtraction is monotone, so the values ``v`` whose rounded
    ``v - t`` passes :func:`_met_up`'s test are exactly those ``>=`` some
    float: one comparison per value then gives the same answer, bit for bit,
    as subtracting and comparing. It lies within a few ulps of ``t - r·|t|``
    (``t + r·|t|`` if strict); a step at a time finds it.
    """
    if not math.isfinite(threshold):
        return None
    limit = _RELATIVE_TOLERANCE * abs(threshold)

    def meets(v: float) -> bool:
        return v - threshold > limit if strict else v - threshold >= -limit

    cutoff = threshold + limit if strict else threshold - limit
    for _ in range(64):
        if meets(cutoff):
            below = math.nextafter(cutoff, -math.inf)
            if not meets(below):
                return cutoff
            cutoff = below
        else:
            cutoff = math.nextafter(cutoff, math.inf)
    return None  # not reached for finite thresholds; the general path stays right


def _met_down(values: np.ndarray, threshold: float, strict: bool, out: np.ndarray, work: np.ndarray) -> None:
    # The gap is t - v, 0 where |t - v| <= r·|v| for a finite v: for finite
    # v it is >= 0 where t - v >= -r·|v| and > 0 where t - v > r·|v|. An
    # infinite v is never close: +inf misses and -inf meets either way.
    np.subtract(threshold, values, out=work[0])
    np.abs(values, out=work[1])
    work[1] *= _RELATIVE_TOLERANCE
    if strict:
        np.greater(work[0], work[1], out=out)
        if not math.isnan(threshold):
            out |= values == -np.inf
    else:
        np.negative(work[1], out=work[1])
        np.greater_equal(work[0], work[1], out=out)
        out &= values < np.inf


_MET_SIDES = {"up": _met_up, "down": _met_down}


def _met(values: np.ndarray, spec: ComparatorSpec, thresholds: Thresholds) -> np.ndarray:
    """Whether each value meets the comparator at scalar thresholds: the
    same answer as ``spec.gap(values, thresholds) >= 0`` (``> 0`` if
    strict), by blocks and without building the gap array."""
    values = np.asarray(values, dtype=np.float64)
    flat = values.reshape(-1)
    met = np.empty(flat.size, dtype=bool)
    sides: tuple[tuple[str, float], ...] = ((spec.direction, thresholds[0]),)
    if spec.direction == "range":
        sides = (("up", thresholds[0]), ("down", thresholds[1]))
    if len(sides) == 1 and sides[0][0] == "up" and (cutoff := _up_cutoff(sides[0][1], spec.strict)) is not None:
        # One comparison, nothing to keep in cache: no blocks (nor threads,
        # which only add their start-up to a pass bound by memory).
        np.greater_equal(flat, cutoff, out=met)
        return met.reshape(values.shape)
    rows = _threads.BLOCK_ROWS
    work = np.empty((2, min(flat.size, rows)))
    part = np.empty(min(flat.size, rows), dtype=bool)
    for start in range(0, flat.size, rows):
        block, out = flat[start : start + rows], met[start : start + rows]
        size = block.size
        for i, (side, threshold) in enumerate(sides):
            _MET_SIDES[side](block, threshold, spec.strict, part[:size] if i else out, work[:, :size])
            if i:
                out &= part[:size]
    return met.reshape(values.shape)


# Which directions of target agree with each polarity: a "≤" target on an
# indicator where high is good is almost always a data-entry error.
_AGREEING_DIRECTIONS: dict[Polarity, frozenset[str]] = {
    Polarity.HIGH_IS_GOOD: frozenset({"up"}),
    Polarity.LOW_IS_GOOD: frozenset({"down"}),
    Polarity.IN_RANGE_IS_GOOD: frozenset({"up", "down", "range"}),
    Polarity.NO_JUDGEMENT: frozenset({"up", "down", "range"}),
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fits_float(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except OverflowError:
        return False
    return True


def _threshold_tuple(value: object) -> object:
    # Catalog files give one number or a list; anything else is left as it
    # is for the validator, which names the field.
    if _is_number(value):
        return (float(value),)  # type: ignore[arg-type]
    if isinstance(value, list | tuple) and all(_is_number(v) for v in value):
        return tuple(float(v) for v in value)
    return value


def _change(value: object) -> object:
    # "-1/4" reads as the plan writes it; -0.25 works as well.
    if isinstance(value, str):
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            return value
    return float(value) if _is_number(value) else value  # type: ignore[arg-type]


def _optional_float(value: object) -> object:
    return float(value) if _is_number(value) else value  # type: ignore[arg-type]


def _period(value: object) -> object:
    if isinstance(value, list):
        return tuple(value)
    return value


def _check_period(field: str, value: object) -> None:
    check(
        field,
        value is None
        or (
            isinstance(value, tuple)
            and len(value) == 2
            and all(type(year) is int and 1900 <= year <= 2100 for year in value)
            and value[0] <= value[1]
        ),
        f"must be [first year, last year] between 1900 and 2100, got {value!r}",
    )


def _optional_year(instance: object, attribute: attrs.Attribute, value: object) -> None:
    check(
        attribute.name,
        value is None or (type(value) is int and 1900 <= value <= 2100),
        f"must be a year between 1900 and 2100, got {value!r}",
    )



def _to_comparator(value: object) -> Any:
    """A field converter (a named function: mypy's attrs plugin reads it)."""
    return to_member(Comparator, value)


def _to_scope(value: object) -> Any:
    """A field converter (a named function: mypy's attrs plugin reads it)."""
    return to_member(Scope, value)


@attrs.frozen
class Target:
    """One requirement of a plan on one indicator.

    Attributes
    ----------
    id : str
        Unique within its target set.
    indicator : str
        The indicator's id.
    comparator : Comparator
        ``">="``, ``">"``, ``"<="``, ``"<"``, ``"between"`` or
        ``"relative_change"``.
    unit : str
        Unit of ``threshold`` and ``baseline`` (the catalog loader defaults it
        to the indicator's unit).
    source : Source
        The document that states the target.
    plan : str
        Id of the :class:`TargetSet` the target belongs to.
    threshold : tuple of float
        One threshold, or (low, high) for ``between``; empty for a relative
        change.
    change : float or None
        For ``relative_change`` only: the change as a fraction of the
        baseline, negative for a decrease (-0.25 for "下降1/4"). Written
        ``"-1/4"`` in catalog files if preferred.
    baseline, baseline_year : float or None, int or None
        For ``relative_change`` only: the baseline value (in ``unit``) and
        its year. The baseline may be left out and supplied when checking,
        since a plan's relative target often applies to each area's own
        baseline.
    scope : Scope
        The level of area the threshold applies to.
    period : (int, int) or None
        First and last year the target covers; None for a standing norm.
    note : str
        A short qualifier a reader needs: "rural", "per county".
    wording : str
        The plan's own words, for checking and display.
    against_polarity : bool
        Set when a plan really holds an indicator to a threshold in the
        direction its polarity calls bad; otherwise loaders reject such a
        target as a likely error.
    confidence : Confidence
        How far the value was checked against a source (see
        :class:`~phindicators.model.Confidence`).
    evidence : tuple of Evidence
        The sentences the value was read from, with their addresses.

    Examples
    --------
    A task target for a completion indicator, "完成任务的95%":

    >>> from phindicators.model import Source
    >>> task = Target(id="tb_task", indicator="tb_smear_positive_detection_completion",
    ...               comparator=">=", threshold=95, unit="percent", plan="county_tasks",
    ...               source=Source(id="county_tasks", title="County task list"), scope="local")
    >>> bool(task.is_met(70 / 74 * 100)), round(task.gap(70 / 74 * 100), 2)
    (False, -0.41)
    """

    id: str = attrs.field(validator=identifier)
    indicator: str = attrs.field(validator=identifier)
    comparator: Comparator = attrs.field(
        converter=_to_comparator, validator=member_of(Comparator)
    )
    unit: str = attrs.field(validator=known_unit)
    source: Source = attrs.field(validator=attrs.validators.instance_of(Source))
    plan: str = attrs.field(validator=identifier)
    threshold: Thresholds = attrs.field(default=(), converter=_threshold_tuple)
    change: float | None = attrs.field(default=None, converter=_change)
    baseline: float | None = attrs.field(default=None, converter=_optional_float)
    baseline_year: int | None = attrs.field(default=None, validator=_optional_year)
    scope: Scope = attrs.field(
        default=Scope.NATIONAL, converter=_to_scope, validator=member_of(Scope)
    )
    period: tuple[int, int] | None = attrs.field(default=None, converter=_period)
    note: str = attrs.field(default="", validator=optional_text)
    wording: str = attrs.field(default="", validator=optional_text)
    against_polarity: bool = attrs.field(default=False)
    confidence: Confidence = attrs.field(
        default=Confidence.UNVERIFIED,
        converter=to_confidence,
        validator=member_of(Confidence),
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=evidence_tuple, validator=evidence_items
    )

    def __attrs_post_init__(self) -> None:
        spec = COMPARATORS[self.comparator]
        relative = self.comparator is Comparator.RELATIVE_CHANGE
        check(
            "threshold",
            isinstance(self.threshold, tuple)
            and all(isinstance(t, float) and math.isfinite(t) for t in self.threshold),
            f"must be a finite number or a list of them, got {self.threshold!r}",
        )
        check(
            "threshold",
            len(self.threshold) == spec.n_thresholds,
            f"a {self.comparator.value!r} target takes {spec.n_thresholds} threshold(s), "
            f"got {list(self.threshold)}",
        )
        if self.comparator is Comparator.BETWEEN:
            low, high = self.threshold
            check("threshold", low < high, f"must be [low, high] with low < high, got {[low, high]}")
        check(
            "change",
            (self.change is not None) == relative,
            "is required for a relative_change target and only allowed there",
        )
        if relative:
            check(
                "change",
                isinstance(self.change, float) and -1.0 <= self.change and self.change != 0.0
                and math.isfinite(self.change),
                f"must be a non-zero fraction >= -1 (e.g. -0.25 or '-1/4'), got {self.change!r}",
            )
        for field in ("baseline", "baseline_year"):
            check(
                field,
                relative or getattr(self, field) is None,
                "is only allowed for a relative_change target",
            )
        check(
            "baseline",
            self.baseline is None
            or (_is_number(self.baseline) and math.isfinite(self.baseline) and self.baseline >= 0),
            f"must be a finite number >= 0, got {self.baseline!r}",
        )
        _check_period("period", self.period)
        check(
            "against_polarity",
            isinstance(self.against_polarity, bool),
            f"must be true or false, got {self.against_polarity!r}",
        )

    @property
    def direction(self) -> str:
        """``"up"`` if higher values meet the target, ``"down"`` if lower
        ones do, ``"range"`` for between."""
        if self.comparator is Comparator.RELATIVE_CHANGE:
            return "down" if self.change < 0 else "up"  # type: ignore[operator]
        return COMPARATORS[self.comparator].direction

    def _resolved(self, baseline: ArrayLike | Result | None) -> tuple[Comparator, Thresholds]:
        """The comparator and thresholds (in :attr:`unit`) to apply."""
        if self.comparator is not Comparator.RELATIVE_CHANGE:
            return self.comparator, self.threshold
        if baseline is None:
            baseline = self.baseline
        if baseline is None:
            raise TargetError(
                f"{self.id}: the relative target on {self.indicator} needs a baseline "
                f"value{f' for {self.baseline_year}' if self.baseline_year else ''}; "
                "none is stored, so pass baseline=..."
            )
        values, unit = self._as_values(baseline, "baseline")
        base = values * _factor(unit, self.unit)
        # NaN marks an area whose baseline is unknown: its gap is NaN, so it
        # does not meet the target; a negative or infinite baseline is wrong.
        if np.any(base < 0) or np.any(np.isinf(base)):
            raise TargetError(f"{self.id}: baseline must be finite and >= 0, got {baseline!r}")
        comparator = Comparator.AT_MOST if self.direction == "down" else Comparator.AT_LEAST
        threshold = base * (1.0 + self.change)  # type: ignore[operator]
        return comparator, (float(threshold) if threshold.ndim == 0 else threshold,)

    def _as_values(self, value: ArrayLike | Result, what: str = "value") -> tuple[np.ndarray, str]:
        """The value(s) as float64 and the unit they are in."""
        if isinstance(value, Result):
            if value.indicator.id != self.indicator:
                raise TargetError(
                    f"{self.id}: a target on {self.indicator} cannot judge a result of "
                    f"{value.indicator.id}; pass its value explicitly if that is intended"
                )
            if is_lazy(value.value):
                return value.value, value.unit  # type: ignore[return-value]
            return np.asarray(value.value, dtype=np.float64), value.unit
        if is_lazy(value) and value.dtype.kind in "iuf":  # type: ignore[union-attr]
            return value, self.unit  # type: ignore[return-value]
        array = np.asarray(value)
        # Object arrays (Python ints too large for int64, say) pass only if
        # every element is a real number: None must not become NaN silently.
        if array.dtype.kind not in "iufO" or (
            array.dtype.kind == "O" and not all(_is_number(v) or isinstance(v, np.number) for v in array.flat)
        ):
            raise TargetError(
                f"{self.id}: {what} must be a number, an array of numbers or a Result, got {value!r}"
            )
        try:
            return array.astype(np.float64), self.unit
        except OverflowError:
            # A Python int beyond float64 (10**400): no float holds it, and
            # its repr may be too long to print, so name the positions only.
            where = "" if array.ndim == 0 else " at positions " + ", ".join(
                str(index[0] if array.ndim == 1 else index)
                for index, v in np.ndenumerate(array)
                if not _fits_float(v)
            )
            raise TargetError(
                f"{self.id}: {what} must be within the range of a float (about ±1.8e308), "
                f"got an int beyond it{where}"
            ) from None

    def _plain_value(self, value: object) -> tuple[float, str] | None:
        """A Python number, or a scalar Result of this target's indicator, as
        a float and its unit; None for anything else."""
        if type(value) is float or type(value) is int:
            try:
                return float(value), self.unit
            except OverflowError:  # a Python int beyond float64: the array path
                return None
        if isinstance(value, Result) and type(value.value) is float and value.indicator.id == self.indicator:
            return value.value, value.unit
        return None

    def _prepared(
        self, value: ArrayLike | Result, baseline: ArrayLike | Result | None
    ) -> tuple[float | np.ndarray, ComparatorSpec, tuple[float | np.ndarray, ...]]:
        """The values, the comparator to apply and its thresholds, both in
        the values' unit."""
        plain = self._plain_value(value)
        values, unit = plain if plain is not None else self._as_values(value)
        comparator, thresholds = self._resolved(baseline)
        factor = _factor(self.unit, unit)
        return values, COMPARATORS[comparator], tuple(t * factor for t in thresholds)

    def _gap(
        self, value: ArrayLike | Result, baseline: ArrayLike | Result | None
    ) -> tuple[float | np.ndarray, bool]:
        """The gap in the value's unit, and whether its comparator is strict."""
        values, spec, thresholds = self._prepared(value, baseline)
        if is_lazy(values):
            return values.map_blocks(_gap_of, spec, thresholds, dtype=np.float64), spec.strict  # type: ignore[union-attr]
        return spec.gap(values, thresholds), spec.strict  # type: ignore[arg-type, misc]

    def thresholds(
        self, unit: str | None = None, *, baseline: ArrayLike | Result | None = None
    ) -> tuple[float | np.ndarray, ...]:
        """The threshold(s) expressed in ``unit`` (default: :attr:`unit`).

        For a relative change, the one resolved threshold
        ``baseline × (1 + change)`` from the given or else the stored
        baseline (an array of baselines gives an array of thresholds).

        Raises
        ------
        UnitError
            If ``unit`` is unknown or of another dimension.
        TargetError
            If a relative target has no baseline.

        Examples
        --------
        >>> from phindicators.model import Source
        >>> mdg = Target(id="mmr", indicator="maternal_mortality_ratio",
        ...              comparator="relative_change", change="-3/4", baseline=88.9,
        ...              baseline_year=1990, unit="per_hundred_thousand",
        ...              source=Source(id="mdg", title="MDG indicators"), plan="mdg_2015")
        >>> mdg.thresholds()
        (22.225,)
        >>> mdg.thresholds("permille", baseline=100.0)
        (0.25,)
        """
        wanted = self.unit if unit is None else unit
        # Only text can be a cache key; anything else (a list, say) is no unit
        # either, and conversion_factor refuses it with a UnitError.
        convert = _factor if isinstance(wanted, str) else conversion_factor
        factor = convert(self.unit, wanted)
        return tuple(t * factor for t in self._resolved(baseline)[1])

    def gap(self, value: ArrayLike | Result, *, baseline: ArrayLike | Result | None = None) -> float | np.ndarray:
        """Signed distance from ``value`` to the threshold, >= 0 when met.

        The gap is in the value's unit: a :class:`~phindicators.compute.Result`'s
        own unit, else the target's. For ``>=``/``>`` it is value - threshold,
        for ``<=``/``<`` threshold - value, for ``between`` 0 inside
        [low, high] and minus the distance to the nearer bound outside. A gap
        of exactly 0 fails the strict comparators ``>`` and ``<``. Values
        within a relative 1e-9 of a threshold count as equal to it. NaN values
        give NaN.

        Examples
        --------
        >>> from phindicators.model import Source
        >>> srb = Target(id="srb", indicator="sex_ratio_at_birth", comparator="between",
        ...              threshold=[103, 107], unit="per_hundred", plan="norms",
        ...              source=Source(id="norm", title="Demographic norm"))
        >>> srb.gap([105.0, 108.0, 99.5]).tolist()
        [0.0, -1.0, -3.5]
        """
        gap, _ = self._gap(value, baseline)
        if not isinstance(gap, np.ndarray) or is_lazy(gap):  # a float, or a dask array
            return gap
        return float(gap) if gap.ndim == 0 else gap

    def is_met(self, value: ArrayLike | Result, *, baseline: ArrayLike | Result | None = None) -> bool | np.ndarray:
        """Whether ``value`` meets the target: a bool for a scalar, a bool
        array of the same shape for an array. NaN never meets a target.

        ``value`` is a :class:`~phindicators.compute.Result` of this
        indicator (checked in its own unit) or numbers in the target's unit.
        Dask arrays (or a Result of them) give a lazy dask array of bools.
        ``baseline`` (numbers in the target's unit, one per value if need be,
        or a Result) replaces the stored baseline of a relative target: a
        plan's relative target usually applies to each area's own baseline.

        Raises
        ------
        TargetError
            A Result of another indicator, values that are not numbers (or
            ints beyond the range of a float), or a relative target with no
            baseline.

        Examples
        --------
        >>> from phindicators.model import Source
        >>> imr = Target(id="imr", indicator="infant_mortality_rate", comparator="<=",
        ...              threshold=10, unit="permille", plan="outline",
        ...              source=Source(id="outline", title="Outline"))
        >>> imr.is_met([9.5, 10.0, 10.66]).tolist()
        [True, True, False]
        """
        values, spec, thresholds = self._prepared(value, baseline)
        if all(type(t) is float for t in thresholds):
            if is_lazy(values):
                return values.map_blocks(_met, spec, thresholds, dtype=bool)  # type: ignore[union-attr]
            if isinstance(values, np.ndarray) and values.ndim:
                return _met(values, spec, thresholds)  # type: ignore[arg-type]
        gap = spec.gap(values, thresholds)  # type: ignore[arg-type, misc]
        if type(gap) is float:
            return gap > 0 if spec.strict else gap >= 0
        met = gap > 0 if spec.strict else gap >= 0
        return bool(met) if met.ndim == 0 else met

    def __str__(self) -> str:
        if self.comparator is Comparator.RELATIVE_CHANGE:
            since = f" from {self.baseline_year}" if self.baseline_year else ""
            rule = f"changes by {Fraction(self.change).limit_denominator(100)}{since}"  # type: ignore[arg-type]
        else:
            rule = f"{COMPARATORS[self.comparator].symbol} " + "–".join(f"{t:g}" for t in self.threshold)
            rule += f" {self.unit}"
        note = f", {self.note}" if self.note else ""
        return f"{self.indicator} {rule} [{self.scope.value}{note}] ({self.plan})"


def _targets_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


@attrs.frozen
class TargetSet:
    """A named, versioned collection of the targets of one plan or standard.

    Attributes
    ----------
    id, name_zh, name_en : str
        Identity and names of the plan.
    version : str
        The edition of the plan the targets come from (its year of issue for
        national plans). A revised plan is a new set with a new id.
    source : Source
        The plan itself; targets may cite other sources.
    targets : tuple of Target
        In file order; every target's ``plan`` is this set's id.
    period : (int, int) or None
        The years the plan covers; None for a standing norm.
    note : str
        Anything a reader of the set needs to know.

    Examples
    --------
    >>> from phindicators.model import Source
    >>> plan = Source(id="county_plan", title="County plan")
    >>> mmr = Target(id="mmr", indicator="maternal_mortality_ratio", comparator="<=",
    ...              threshold=15, unit="per_hundred_thousand", source=plan, plan="county_plan")
    >>> county = TargetSet(id="county_plan", name_zh="县规划", name_en="County plan",
    ...                    version="2021", source=plan, targets=[mmr], period=(2021, 2025))
    >>> [t.id for t in county.for_indicator("maternal_mortality_ratio")]
    ['mmr']
    """

    id: str = attrs.field(validator=identifier)
    name_zh: str = attrs.field(validator=nonempty_text)
    name_en: str = attrs.field(validator=nonempty_text)
    version: str = attrs.field(validator=nonempty_text)
    source: Source = attrs.field(validator=attrs.validators.instance_of(Source))
    targets: tuple[Target, ...] = attrs.field(converter=_targets_tuple)
    period: tuple[int, int] | None = attrs.field(default=None, converter=_period)
    note: str = attrs.field(default="", validator=optional_text)

    def __attrs_post_init__(self) -> None:
        _check_period("period", self.period)
        check(
            "targets",
            isinstance(self.targets, tuple) and all(isinstance(t, Target) for t in self.targets),
            f"must be Target objects, got {self.targets!r}",
        )
        seen: set[str] = set()
        for target in self.targets:
            check("targets", target.id not in seen, f"target id {target.id!r} is used twice")
            seen.add(target.id)
            check(
                "targets",
                target.plan == self.id,
                f"target {target.id!r} belongs to plan {target.plan!r}, not {self.id!r}",
            )
            if self.period is not None and target.period is not None:
                check(
                    "period",
                    self.period[0] <= target.period[0] and target.period[1] <= self.period[1],
                    f"target {target.id!r} covers {list(target.period)}, outside the plan's "
                    f"{list(self.period)}",
                )

    def for_indicator(self, indicator_id: str) -> list[Target]:
        """The targets on one indicator (empty if the plan sets none)."""
        return [target for target in self.targets if target.indicator == indicator_id]

    @property
    def indicators(self) -> list[str]:
        """Ids of the indicators the set targets, in file order."""
        return list(dict.fromkeys(target.indicator for target in self.targets))

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)


# -- reading target files --------------------------------------------------

_TOP_LEVEL = {"target_set", "sources", "targets"}
_SET_FIELDS = ({"id", "name_zh", "name_en", "version", "source"}, {"period", "note"})
_TARGET_FIELDS = (
    {"indicator", "comparator"},
    {
        "threshold", "unit", "change", "baseline", "baseline_year", "scope", "period",
        "source", "note", "wording", "against_polarity", "confidence", "evidence",
    },
)


def check_against_indicator(path: str, target: Target, indicator: Indicator) -> None:
    """The checks that need the catalog: unit, polarity, valid range."""

    def fail(field: str, message: str) -> CatalogError:
        return CatalogError(path, message, item=target.id, field=field)

    try:
        factor = conversion_factor(target.unit, indicator.unit)
    except UnitError as error:
        raise fail("unit", f"{error} (the unit of {indicator.id})") from None
    if target.direction not in _AGREEING_DIRECTIONS[indicator.polarity] and not target.against_polarity:
        raise fail(
            "comparator",
            f"a {target.direction!r} target on {indicator.id}, whose polarity is "
            f"{indicator.polarity.value}, is probably an error; set against_polarity = true "
            "if the plan really says so",
        )
    low, high = indicator.valid_range
    checked: list[tuple[str, float]] = [("threshold", t) for t in target.threshold]
    if target.baseline is not None:
        checked += [("baseline", target.baseline), ("change", float(target.thresholds()[0]))]
    for field, value in checked:
        if not low <= value * factor <= high:
            raise fail(
                field,
                f"{value:g} {target.unit} is outside the valid range of {indicator.id} "
                f"[{low:g}, {high:g}] {indicator.unit}",
            )


def _target(
    doc: Document,
    set_fields: Mapping[str, Any],
    tid: str,
    table: object,
    catalog: Catalog,
    sources: Mapping[str, tuple[str, Source]],
) -> Target:
    path = doc.path
    fields = dict(checked_fields(path, tid, table, _TARGET_FIELDS, "a target"))
    indicator_id = fields["indicator"]
    if not isinstance(indicator_id, str) or indicator_id not in catalog:
        close = catalog.suggest(str(indicator_id), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise CatalogError(path, f"unknown indicator {indicator_id!r}{hint}", item=tid, field="indicator")
    indicator = catalog.get(indicator_id)
    fields.setdefault("unit", indicator.unit)
    if "source" in fields:
        fields["source"] = resolve_reference(path, tid, "source", fields["source"], sources, "source")
    else:
        fields["source"] = set_fields["source"]
    fields.setdefault("period", set_fields.get("period"))
    fields["evidence"] = evidence_list(path, tid, fields.get("evidence", []))
    target = build_definition(path, tid, Target, id=tid, plan=set_fields["id"], **fields)
    check_against_indicator(path, target, indicator)
    return target


@contextlib.contextmanager
def _located_set(doc: Document) -> Iterator[None]:
    """Add the line to a :class:`CatalogError` about the ``[target_set]``
    table of ``doc``, whose errors name it "target_set" or by its id (errors
    about its targets are located by :func:`~phindicators.catalog.located`)."""
    table = doc.data.get("target_set")
    names = ("target_set", table.get("id") if isinstance(table, Mapping) else None)
    try:
        yield
    except CatalogError as error:
        if error.line is not None or error.path != doc.path or error.item is None or error.item not in names:
            raise
        raise error.at_line(line_of(doc.text, ("target_set",), error.field)) from None


def _target_set(
    doc: Document,
    catalog: Catalog,
    sources: Mapping[str, tuple[str, Source]],
    owner: dict[str, str],
) -> TargetSet:
    path = doc.path
    if "target_set" not in doc.data:
        raise CatalogError(path, "is required: a [target_set] table naming the plan", item="target_set")
    fields = dict(checked_fields(path, "target_set", doc.data["target_set"], _SET_FIELDS, "the target_set table"))
    sid = fields["id"]
    if not isinstance(sid, str):
        raise CatalogError(path, f"must be a string, got {sid!r}", item="target_set", field="id")
    if sid in owner:
        raise CatalogError(path, f"already defined in {owner[sid]}", item=sid)
    owner[sid] = path
    fields["source"] = resolve_reference(path, sid, "source", fields["source"], sources, "source")
    with located(doc, "targets"):
        targets = [
            _target(doc, fields, tid, table, catalog, sources)
            for tid, table in table_of(doc, "targets").items()
        ]
    if not targets:
        raise CatalogError(path, "defines no targets", item=sid, field="targets")
    return build_definition(path, sid, TargetSet, targets=targets, **fields)


def _load(documents: list[Document], catalog: Catalog) -> list[TargetSet]:
    # Sources of the catalog and of every target file are one namespace, so
    # a target file may cite any of them and may not redefine one.
    sources: dict[str, tuple[str, Source]] = {
        sid: ("the indicator catalog", source) for sid, source in catalog.sources.items()
    }
    for doc in documents:
        check_top_level(doc, _TOP_LEVEL)
        with located(doc, "sources"):
            for sid, table in table_of(doc, "sources").items():
                fields = checked_fields(doc.path, sid, table, SOURCE_FIELDS, "a source")
                define_once(sources, doc.path, sid, build_definition(doc.path, sid, Source, id=sid, **fields))
    owner: dict[str, str] = {}
    sets = []
    for doc in documents:
        with _located_set(doc):
            sets.append(_target_set(doc, catalog, sources, owner))
    return sets


def load_target_sets(
    *paths: str | os.PathLike[str],
    include_bundled: bool = True,
    catalog: Catalog | None = None,
) -> list[TargetSet]:
    """Read target files (and, by default, the bundled ones) into target sets.

    Each file holds one target set. Its targets are validated against
    ``catalog`` (default: the bundled catalog; pass your own from
    :func:`~phindicators.catalog.load_catalog` to target your own
    indicators) as strictly as the bundled sets are.

    Raises
    ------
    CatalogError
        Naming the file, the target (or set) and the field: unknown fields,
        duplicate ids, unknown units or units of another dimension, targets
        on unknown indicators, thresholds outside the indicator's valid
        range, comparators against the indicator's polarity, unknown or
        redefined sources.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "county.toml"
    >>> _ = path.write_text('''
    ... [target_set]
    ... id = "county_plan_2025"
    ... name_zh = "某县妇幼健康规划"
    ... name_en = "County maternal and child health plan"
    ... version = "2021"
    ... period = [2021, 2025]
    ... source = "county_plan_2025"
    ... [sources.county_plan_2025]
    ... title = "某县妇幼健康规划（2021—2025年）"
    ... [targets.imr]
    ... indicator = "infant_mortality_rate"
    ... comparator = "<="
    ... threshold = 6
    ... scope = "local"
    ... ''', encoding="utf-8")
    >>> [county] = load_target_sets(path, include_bundled=False)
    >>> county.for_indicator("infant_mortality_rate")[0].thresholds("per_hundred_thousand")
    (600.0,)
    """
    catalog = bundled_catalog() if catalog is None else catalog
    documents = bundled_documents("targets/") if include_bundled else []
    return _load(documents + read_documents(paths), catalog)


_bundled = Once(load_target_sets)


def target_sets() -> list[TargetSet]:
    """The bundled target sets, read on first use, once.

    Examples
    --------
    >>> "sdg_2030" in [s.id for s in target_sets()]
    True
    """
    return list(_bundled.get())


def _sets(sets: object) -> list[TargetSet]:
    """``sets`` as a list, refused unless it holds TargetSet objects only."""
    if not isinstance(sets, Iterable):
        raise InvalidTypeError(
            f"target_set: sets must be an iterable of TargetSet objects, got {type(sets).__name__}"
        )
    pool = list(sets)
    strangers = [
        f"{type(item).__name__} at position {position}"
        for position, item in enumerate(pool)
        if not isinstance(item, TargetSet)
    ]
    if strangers:
        raise InvalidTypeError(
            f"target_set: sets must hold TargetSet objects only, got {', '.join(strangers)}"
        )
    return pool


def target_set(id: str, sets: Iterable[TargetSet] | None = None) -> TargetSet:
    """The target set with this id, among the bundled ones or ``sets``.

    Raises
    ------
    UnknownTargetSetError
        A :class:`LookupError` whose message suggests close ids.
    InvalidTypeError
        If ``sets`` is not an iterable of :class:`TargetSet` (a list of ids,
        say).

    Examples
    --------
    >>> [str(t) for t in target_set("sdg_2030").for_indicator("under5_mortality_rate")]
    ['under5_mortality_rate ≤ 25 permille [national, every country] (sdg_2030)']
    >>> target_set("sdg2030")
    Traceback (most recent call last):
    ...
    phindicators.errors.UnknownTargetSetError: no target set named 'sdg2030'; did you mean 'sdg_2030'...?
    """
    pool = target_sets() if sets is None else _sets(sets)
    for candidate in pool:
        if candidate.id == id:
            return candidate
    ids = [candidate.id for candidate in pool]
    raise UnknownTargetSetError(str(id), difflib.get_close_matches(str(id), ids, n=3, cutoff=0.6))
