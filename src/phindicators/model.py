"""The definitions: indicators, the counts they divide, and their sources.

Everything here is an immutable value validated on construction. The model
knows unit *names* (from :data:`phindicators.units.UNITS`) but never builds a
pint object, and it does no I/O: :mod:`phindicators.catalog` reads the data
files and :mod:`phindicators.compute` turns counts into values.

Examples
--------
>>> births = Term(id="live_births", name_en="live births", name_zh="活产数")
>>> deaths = Term(id="infant_deaths", name_en="infant deaths", name_zh="婴儿死亡数")
>>> source = Source(id="demo", title="Demo specification")
>>> imr = Indicator(
...     id="infant_mortality_rate", name_en="Infant mortality rate",
...     name_zh="婴儿死亡率", domain="child_health",
...     definition=Text(en="Deaths under one year per 1 000 live births.",
...                     zh="婴儿死亡数/活产数×1000‰"),
...     numerator=deaths, denominator=births, kind="rate", unit="permille",
...     decimals=2, polarity="low_is_good", source=source)
>>> imr.valid_range
(0.0, inf)
>>> imr.compute(23, 2158).format()
'10.66‰'
"""

from __future__ import annotations

import contextlib
import enum
import math
from typing import TYPE_CHECKING, Any

import attrs

from ._validators import (
    check,
    field_tuple,
    flag,
    identifier,
    identifiers,
    instance_of,
    known_unit,
    member_of,
    nonempty_text,
    optional_text,
    to_member,
)
from .units import UNITS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from collections.abc import Sequence

    from numpy.typing import ArrayLike

    # The return type of Indicator.compute: part of the one upward import
    # (see Indicator.compute), for type checkers only.
    from .compute import Result
    from .periods import Period

__all__ = [
    "KINDS",
    "NEEDS",
    "EvidenceGrade",
    "Evidence",
    "Example",
    "Indicator",
    "Kind",
    "KindSpec",
    "Polarity",
    "Source",
    "Term",
    "Text",
]



class Kind(enum.StrEnum):
    """What an indicator divides by what (see :data:`phindicators.model.KINDS`)."""

    PROPORTION = "proportion"
    RATE = "rate"
    RATIO = "ratio"
    DENSITY = "density"
    MEAN = "mean"
    COMPLETION = "completion"
    COUNT = "count"


class Polarity(enum.StrEnum):
    """Which direction of an indicator is good news."""

    HIGH_IS_GOOD = "high_is_good"
    LOW_IS_GOOD = "low_is_good"
    IN_RANGE_IS_GOOD = "in_range_is_good"
    NO_JUDGEMENT = "no_judgement"


class EvidenceGrade(enum.StrEnum):
    """How far a definition or a target was checked against a source.

    ``confirmed``: its wording was seen in the official text; ``secondary``:
    seen in a secondary copy (a reprint, an exam page, a report form in a
    public information system) or taken from the official text without its
    wording having been seen again; ``unverified``: written from standard
    usage or recall, no source quoted.
    """

    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


#: What an indicator may need beyond dividing two counts: ``life_table``
#: marks life expectancy, probabilities of dying (45q15) and premature NCD
#: mortality, which the life-table routines of :mod:`phindicators.stats`
#: compute from age-specific deaths and populations.
NEEDS: frozenset[str] = frozenset({"life_table"})


@attrs.frozen
class KindSpec:
    """How one kind of indicator behaves.

    Attributes
    ----------
    has_denominator : bool
        Whether the indicator divides by a denominator (all but counts).
    numerator_within_denominator : bool
        Whether the numerator counts a subset of the denominator, so that
        numerator > denominator is an error (proportions).
    max_fraction : float
        Upper end of the valid range as a plain fraction (1.0 = 100 %).
    """

    has_denominator: bool
    numerator_within_denominator: bool
    max_fraction: float


#: Behaviour of each kind; DOMAIN.md describes the kinds.
KINDS: dict[Kind, KindSpec] = {
    Kind.PROPORTION: KindSpec(True, True, 1.0),
    Kind.RATE: KindSpec(True, False, math.inf),
    Kind.RATIO: KindSpec(True, False, math.inf),
    Kind.DENSITY: KindSpec(True, False, math.inf),
    Kind.MEAN: KindSpec(True, False, math.inf),
    Kind.COMPLETION: KindSpec(True, False, math.inf),
    Kind.COUNT: KindSpec(False, False, math.inf),
}










def _str_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    # Each element is checked by the field's validator, which names the field.
    check("aliases", isinstance(value, list | tuple), f"must be a list of strings, got {value!r}")
    return tuple(value)  # type: ignore[arg-type]



def evidence_tuple(value: object) -> tuple[object, ...]:
    # Each element is checked by the field's validator.
    check("evidence", isinstance(value, list | tuple), f"must be a list of evidence, got {value!r}")
    return tuple(value)  # type: ignore[arg-type]


def evidence_items(instance: object, attribute: attrs.Attribute, value: tuple[object, ...]) -> None:
    for item in value:
        check(
            attribute.name,
            isinstance(item, Evidence),
            f"must be Evidence objects, got {item!r}",
        )



def _standard_sets_tuple(value: object) -> tuple[str, ...]:
    return field_tuple("standard_sets", value)


def _needs_tuple(value: object) -> tuple[str, ...]:
    return field_tuple("needs", value)


def to_confidence(value: object) -> Any:
    """Read a confidence grade; an unknown spelling is left for the field's
    validator to report, naming the field."""
    return to_member(EvidenceGrade, value)



def _needs(instance: object, attribute: attrs.Attribute, value: tuple[object, ...]) -> None:
    for need in value:
        check(
            attribute.name,
            need in NEEDS,
            f"must name what the indicator needs ({', '.join(sorted(NEEDS))}), got {need!r}",
        )


@attrs.frozen
class Evidence:
    """A sentence seen in a source, and where: what a confidence grade rests on.

    Examples
    --------
    >>> Evidence(quote="病床使用率=期内实际占用总床日数÷期内实际开放总床日数",
    ...          address="http://ajahip.com/zhishiku/90446.html").address
    'http://ajahip.com/zhishiku/90446.html'
    """

    quote: str = attrs.field(validator=nonempty_text)
    address: str = attrs.field(validator=nonempty_text)
    note: str = attrs.field(default="", validator=optional_text)


@attrs.frozen
class Text:
    """A text in English and Chinese.

    Examples
    --------
    >>> Text(en="live births", zh="活产数").get("zh")
    '活产数'
    """

    en: str = attrs.field(validator=nonempty_text)
    zh: str = attrs.field(validator=nonempty_text)

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``"en"`` or ``"zh"``)."""
        check("lang", lang in ("en", "zh"), f"must be 'en' or 'zh', got {lang!r}")
        return self.en if lang == "en" else self.zh


@attrs.frozen
class Source:
    """A citable document: a standard, a plan, a specification.

    Examples
    --------
    >>> Source(id="nbphs_2017", title="国家基本公共卫生服务规范（第三版）", year=2017).citation()
    '国家基本公共卫生服务规范（第三版） (2017)'
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=nonempty_text)
    title_en: str = attrs.field(default="", validator=optional_text)
    publisher: str = attrs.field(default="", validator=optional_text)
    year: int | None = attrs.field(default=None)
    url: str = attrs.field(default="", validator=optional_text)
    note: str = attrs.field(default="", validator=optional_text)

    @year.validator
    def _year(self, attribute: attrs.Attribute, value: object) -> None:
        check(
            "year",
            value is None or (type(value) is int and 1900 <= value <= 2100),
            f"must be a year between 1900 and 2100, got {value!r}",
        )

    def citation(self) -> str:
        """A one-line citation: publisher, title, year."""
        parts = [p for p in (self.publisher, self.title) if p]
        text = ". ".join(parts)
        return f"{text} ({self.year})" if self.year else text


@attrs.frozen
class Term:
    """A count that indicators divide, defined once and shared by id.

    ``live_births`` is the denominator of a dozen indicators; each of them
    refers to the same :class:`Term`.

    ``population`` marks a count of the people present (a population at a
    date, or its average over the period) rather than of events or people
    counted over the period (births, deaths, patients managed): a rate per
    a population grows with the length of the period and can be annualised,
    a rate per events of the same period cannot.

    Examples
    --------
    >>> Term(id="live_births", name_en="live births", name_zh="活产数").unit
    'count'
    """

    id: str = attrs.field(validator=identifier)
    name_en: str = attrs.field(validator=nonempty_text)
    name_zh: str = attrs.field(validator=nonempty_text)
    description: str = attrs.field(default="", validator=optional_text)
    unit: str = attrs.field(default="count", validator=known_unit)
    population: bool = attrs.field(default=False, validator=flag)


def _is_count(value: object) -> bool:
    # bool is an int subclass, but True is not a count; an int too large for
    # a float would turn into inf (or fail) when computed.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value) and value >= 0
    except OverflowError:
        return False


def _number(value: object) -> float:
    check("numerator", _is_count(value), f"must be a finite number >= 0, got {value!r}")
    return float(value)  # type: ignore[arg-type]


@attrs.frozen
class Example:
    """A worked example from a published report: counts and the printed figure.

    ``consistent`` records whether the published figure is what the counts
    give at the printed precision; reports are sometimes wrong, and an example
    that does not add up is as useful as one that does.
    """

    numerator: float = attrs.field(converter=_number)
    denominator: float | None = attrs.field(default=None)
    published: str = attrs.field(default="", validator=optional_text)
    reference: str = attrs.field(default="", validator=optional_text)
    consistent: bool = attrs.field(default=True)
    note: str = attrs.field(default="", validator=optional_text)

    @consistent.validator
    def _consistent(self, attribute: attrs.Attribute, value: object) -> None:
        check("consistent", isinstance(value, bool), f"must be true or false, got {value!r}")

    @denominator.validator
    def _denominator(self, attribute: attrs.Attribute, value: object) -> None:
        check(
            "denominator",
            value is None or (_is_count(value) and value > 0),  # type: ignore[operator]
            f"must be a finite number > 0, got {value!r}",
        )


def _example_tuple(value: object) -> tuple[object, ...]:
    # Each element is checked by the field's validator.
    check("examples", isinstance(value, list | tuple), f"must be a list of examples, got {value!r}")
    return tuple(value)  # type: ignore[arg-type]


def _default_valid_range(indicator: Indicator) -> tuple[float, float]:
    spec = KINDS.get(indicator.kind)
    unit = UNITS.get(indicator.unit)
    if spec is None or unit is None:  # the field validators report these
        return (0.0, math.inf)
    return (0.0, spec.max_fraction / unit.multiplier)


def _range(value: object) -> tuple[float, float]:
    bounds: tuple[float, ...] = ()
    if isinstance(value, list | tuple) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    ):
        with contextlib.suppress(OverflowError):  # an int beyond float range
            bounds = tuple(float(v) for v in value)
    check("valid_range", len(bounds) == 2, f"must be [low, high], two numbers, got {value!r}")
    return bounds[0], bounds[1]



def _to_kind(value: object) -> Any:
    """A field converter (a named function: mypy's attrs plugin reads it)."""
    return to_member(Kind, value)


def _to_polarity(value: object) -> Any:
    """A field converter (a named function: mypy's attrs plugin reads it)."""
    return to_member(Polarity, value)


@attrs.frozen
class Indicator:
    """The definition of one public-health indicator.

    An indicator divides a numerator :class:`Term` by a denominator
    :class:`Term` (none for counts), displays the result in ``unit`` with
    ``decimals`` places, and says which values are possible (``valid_range``,
    in ``unit``) and which direction is good (``polarity``). It cites the
    ``source`` that defines it.

    ``confidence`` says how far the definition was checked (a
    :class:`EvidenceGrade`), and ``evidence`` quotes what it rests on.
    ``standard_sets`` names the national or international indicator sets
    the indicator belongs to (ids of sources, such as ``nbphs_2017``), and
    ``needs`` what it needs beyond two counts (``life_table``: computed by
    the life-table routines, not by :meth:`compute`).

    Use :meth:`compute` to turn counts into a :class:`~phindicators.Result`.
    """

    id: str = attrs.field(validator=identifier)
    name_en: str = attrs.field(validator=nonempty_text)
    name_zh: str = attrs.field(validator=nonempty_text)
    domain: str = attrs.field(validator=identifier)
    definition: Text = attrs.field(validator=instance_of(Text))
    numerator: Term = attrs.field(validator=instance_of(Term))
    denominator: Term | None = attrs.field(validator=instance_of(Term, optional=True))
    kind: Kind = attrs.field(converter=_to_kind, validator=member_of(Kind))
    unit: str = attrs.field(validator=known_unit)
    decimals: int = attrs.field()
    polarity: Polarity = attrs.field(
        converter=_to_polarity, validator=member_of(Polarity)
    )
    source: Source = attrs.field(validator=instance_of(Source))
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    valid_range: tuple[float, float] = attrs.field(
        default=attrs.Factory(_default_valid_range, takes_self=True), converter=_range
    )
    source_section: str = attrs.field(default="", validator=optional_text)
    variant_of: str | None = attrs.field(default=None)
    examples: tuple[Example, ...] = attrs.field(default=(), converter=_example_tuple)
    confidence: EvidenceGrade = attrs.field(
        default=EvidenceGrade.UNVERIFIED,
        converter=to_confidence,
        validator=member_of(EvidenceGrade),
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=evidence_tuple, validator=evidence_items
    )
    standard_sets: tuple[str, ...] = attrs.field(
        default=(), converter=_standard_sets_tuple, validator=identifiers
    )
    needs: tuple[str, ...] = attrs.field(
        default=(), converter=_needs_tuple, validator=_needs
    )

    @decimals.validator
    def _decimals(self, attribute: attrs.Attribute, value: object) -> None:
        check(
            "decimals",
            type(value) is int and 0 <= value <= 6,
            f"must be a whole number from 0 to 6, got {value!r}",
        )

    @aliases.validator
    def _aliases(self, attribute: attrs.Attribute, value: tuple[object, ...]) -> None:
        for alias in value:
            check(
                "aliases",
                isinstance(alias, str) and bool(alias.strip()),
                f"must be non-empty strings, got {alias!r}",
            )

    @valid_range.validator
    def _valid_range(self, attribute: attrs.Attribute, value: tuple[float, float]) -> None:
        low, high = value
        check(
            "valid_range",
            not math.isnan(low) and not math.isnan(high) and 0 <= low < high,
            f"must be [low, high] with 0 <= low < high, got {list(value)}",
        )
        default_high = _default_valid_range(self)[1]
        check(
            "valid_range",
            high <= default_high,
            f"upper end {high:g} {self.unit} exceeds what a {self.kind} allows "
            f"({default_high:g} {self.unit})",
        )

    @variant_of.validator
    def _variant_of(self, attribute: attrs.Attribute, value: object) -> None:
        if value is not None:
            identifier(self, attribute, value)
            check("variant_of", value != self.id, "an indicator cannot be a variant of itself")

    @examples.validator
    def _examples(self, attribute: attrs.Attribute, value: tuple[object, ...]) -> None:
        for example in value:
            check(
                "examples",
                isinstance(example, Example),
                f"must be Example objects, got {example!r}",
            )

    def __attrs_post_init__(self) -> None:
        spec = KINDS[self.kind]
        check(
            "denominator",
            (self.denominator is not None) == spec.has_denominator,
            f"a {self.kind} {'needs' if spec.has_denominator else 'has no'} denominator",
        )
        self._check_dimensions()
        if spec.numerator_within_denominator and self.denominator is not None:
            # The numerator counts a part of the denominator, so both are in
            # one unit: every check of "numerator <= denominator" and every
            # interval kernel compares the raw numbers (5000 yuan of 1 万元
            # would be refused as more than the whole).
            check(
                "numerator",
                self.numerator.unit == self.denominator.unit,
                f"a {self.kind}'s numerator is part of its denominator, so both terms need one unit, "
                f"got {self.numerator.unit!r} and {self.denominator.unit!r}",
            )

    def _check_dimensions(self) -> None:
        numerator = UNITS[self.numerator.unit].dimension
        denominator = UNITS[self.denominator.unit].dimension if self.denominator else ""
        if numerator == denominator:
            result = ""
        elif not denominator:
            result = numerator
        else:
            result = f"{numerator}/{denominator}"
        check(
            "unit",
            UNITS[self.unit].dimension == result,
            f"{self.unit!r} does not fit {self.numerator.unit!r} / "
            f"{self.denominator.unit if self.denominator else '1'!r}",
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the indicator goes by (Chinese, English, then aliases)."""
        return (self.name_zh, self.name_en, *self.aliases)

    def compute(
        self,
        numerator: ArrayLike,
        denominator: ArrayLike | None = None,
        *,
        confidence: float | Sequence[float] | None = 0.95,
        method: str | None = None,
        period: Period | str | None = None,
        ages: ArrayLike | None = None,
    ) -> Result:
        """Compute the indicator from counts, with its confidence interval(s);
        see :func:`phindicators.compute` (``ages=`` for life-table indicators).

        Examples
        --------
        >>> from phindicators import get
        >>> result = get("maternal_mortality_ratio").compute(2, 2158)
        >>> result.format("en")
        '92.68 per 100,000 live births'
        >>> result.method, round(result.lower, 2), round(result.upper, 2)
        ('exact', 11.22, 334.79)
        >>> get("maternal_mortality_ratio").compute(2, 2158, confidence=None).intervals
        ()

        An indicator that ``needs`` a life table is not the ratio of its two
        terms, and refuses to be computed from them; it takes deaths and
        populations by age band with the bands' first ages:

        >>> get("life_expectancy").compute(7_700_000, 100_000)
        Traceback (most recent call last):
        ...
        phindicators.errors.DefinitionError: needs: life_expectancy is computed by the life-table routines ...

        Premature NCD mortality from the four causes' deaths in bands 0-29,
        30-34, ..., 65-69 and 70+ (the first and last bands are not read):

        >>> ncd = get("premature_ncd_mortality").compute(
        ...     [25, 60, 120, 240, 400, 650, 1000, 1550, 2250, 9000],
        ...     [4_000_000, 310_000, 300_000, 290_000, 280_000, 260_000, 230_000, 200_000, 160_000, 300_000],
        ...     ages=[0, *range(30, 75, 5)],
        ... )
        >>> ncd.format("en"), ncd.numerator, ncd.method
        ('14.6%', 6270.0, 'chiang')
        """
        # The one upward import of the package (model -> compute), made here
        # so that ``indicator.compute(...)`` reads as users expect while the
        # definitions stay importable without the computing layer; the layer
        # test (tests/test_layers.py) allows exactly this edge.
        from .compute import compute

        return compute(
            self, numerator, denominator, confidence=confidence, method=method, period=period, ages=ages
        )

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.id})"
