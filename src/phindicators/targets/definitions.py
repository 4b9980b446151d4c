"""Target and TargetSet: what a plan requires of an indicator, and the plan's collection of them."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._text import shown
from .._validators import (
    check,
    identifier,
    known_unit,
    member_of,
    nonempty_text,
    optional_text,
    to_member,
)
from ..compute import Result
from ..display import describe_target
from ..errors import (
    TargetError,
)
from ..model import (
    Evidence,
    EvidenceGrade,
    Polarity,
    Source,
    evidence_items,
    evidence_tuple,
    to_confidence,
)
from ..stats import is_lazy
from ..units import conversion_factor
from .comparators import COMPARATORS, Comparator, ComparatorSpec, Thresholds, _factor, _gap_of, _met

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike


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


def _float_number(value: object) -> bool:
    # An int beyond float range stays as given, for the validator to name.
    return _is_number(value) and _fits_float(value)


def _threshold_tuple(value: object) -> object:
    # Catalog files give one number or a list; anything else is left as it
    # is for the validator, which names the field.
    if _float_number(value):
        return (float(value),)  # type: ignore[arg-type]
    if isinstance(value, list | tuple) and all(_float_number(v) for v in value):
        return tuple(float(v) for v in value)
    return value


# One side of a fraction as plans write it ("-1/4", "0.25", "2.5e-1"). Its
# exponent and digits are bounded before Fraction() sees it: Fraction("1e99999999")
# builds 10**99999999, minutes of CPU for a ten-character value.
_FRACTION_PART = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE](?P<exponent>[+-]?\d+))?")
_MAX_DIGITS = 400


def _change(value: object) -> object:
    # "-1/4" reads as the plan writes it; -0.25 works as well. Anything else
    # is left as given, for the validator to name.
    if isinstance(value, str):
        parts = value.strip().split("/")
        for part in parts:
            match = _FRACTION_PART.fullmatch(part.strip())
            if match is None or len(part) > _MAX_DIGITS or len(parts) > 2:
                return value
            exponent = match["exponent"]
            if exponent is not None and (len(exponent) > 4 or abs(int(exponent)) > _MAX_DIGITS):
                return value
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError, OverflowError):
            return value
    return float(value) if _float_number(value) else value  # type: ignore[arg-type]


def _optional_float(value: object) -> object:
    return float(value) if _float_number(value) else value  # type: ignore[arg-type]


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
    confidence : EvidenceGrade
        How far the value was checked against a source (see
        :class:`~phindicators.model.EvidenceGrade`).
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
    confidence: EvidenceGrade = attrs.field(
        default=EvidenceGrade.UNVERIFIED,
        converter=to_confidence,
        validator=member_of(EvidenceGrade),
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
            f"must be a finite number or a list of them, got {shown(self.threshold)}",
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
                f"must be a non-zero fraction >= -1 (e.g. -0.25 or '-1/4'), got {shown(self.change)}",
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
            f"must be a finite number >= 0, got {shown(self.baseline)}",
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
        # Only an increase can overflow (a decrease keeps 0 <= 1 + change < 1): its
        # threshold is then +inf, beyond every finite value, which is what it means.
        with np.errstate(over="ignore"):
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

        The gap is in the value's unit: a :class:`~phindicators.Result`'s
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

        ``value`` is a :class:`~phindicators.Result` of this
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
        """The requirement as the plan states it, with the plan (see
        :func:`phindicators.display.describe_target`): "≤20/10万 (中国妇女发展纲要 2011–2020)"."""
        return describe_target(self)


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
