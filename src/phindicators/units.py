"""Units that health reports print, and the library's single pint registry.

The table :data:`UNITS` is the one place that says, for every unit an
indicator or a count may carry, how large it is (its multiplier relative to
the base of its dimension), how pint spells it and how it is displayed in
Chinese and English. Computation uses the multipliers directly (plain floats,
no pint in hot loops); :func:`registry` builds the pint registry only when a
:class:`pint.Quantity` is actually asked for, because importing pint and
building a registry costs about 0.3 s.

Examples
--------
>>> conversion_factor("permille", "per_hundred_thousand")
100.0
>>> unit_spec("per_hundred_thousand").zh.format(value="92.68")
'92.68/10万'
"""

from __future__ import annotations

import difflib
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from ._once import Once
from .errors import InvalidTypeError, UnitError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pint

__all__ = [
    "UNITS",
    "UnitSpec",
    "conversion_factor",
    "quantity",
    "registry",
    "unit_spec",
]


@attrs.frozen
class UnitSpec:
    """How one unit behaves.

    Attributes
    ----------
    name : str
        The unit's name in catalogs and in pint.
    dimension : str
        ``""`` for dimensionless units (fractions, per-N rates, counts) or
        ``"currency"``. Only units of the same dimension convert.
    multiplier : float
        The size of one unit in the base of its dimension: 0.01 for percent
        (of a fraction), 10 000 for 万元 (in yuan).
    whole : bool
        Whether amounts in this unit are whole numbers (counts of people,
        births, deaths), as opposed to money.
    zh, en : str
        Display templates with ``{value}`` and, in English, ``{denominator}``
        (the denominator's English name, e.g. "live births").
    pint_definition : str or None
        The line that defines the unit in pint, or None where pint's
        default registry already has it.
    """

    name: str
    dimension: str
    multiplier: float
    whole: bool
    zh: str
    en: str
    pint_definition: str | None = None


#: Every unit the library knows, by name.
UNITS: dict[str, UnitSpec] = {
    spec.name: spec
    for spec in (
        UnitSpec("count", "", 1.0, True, "{value}", "{value}"),
        UnitSpec("percent", "", 1e-2, False, "{value}%", "{value}%"),
        UnitSpec("permille", "", 1e-3, False, "{value}‰", "{value} per 1,000 {denominator}"),
        UnitSpec(
            "per_hundred",
            "",
            1e-2,
            False,
            "{value}",
            "{value} per 100 {denominator}",
            "per_hundred = 1e-2",
        ),
        UnitSpec(
            "per_thousand",
            "",
            1e-3,
            False,
            "{value}/千",
            "{value} per 1,000 {denominator}",
            "per_thousand = 1e-3",
        ),
        UnitSpec(
            "per_ten_thousand",
            "",
            1e-4,
            False,
            "{value}/万",
            "{value} per 10,000 {denominator}",
            "per_ten_thousand = 1e-4 = ‱",
        ),
        UnitSpec(
            "per_hundred_thousand",
            "",
            1e-5,
            False,
            "{value}/10万",
            "{value} per 100,000 {denominator}",
            "per_hundred_thousand = 1e-5",
        ),
        UnitSpec(
            "yuan", "currency", 1.0, False, "{value}元", "{value} yuan", "yuan = [currency] = CNY"
        ),
        UnitSpec(
            "wan_yuan",
            "currency",
            1e4,
            False,
            "{value}万元",
            "{value} × 10,000 yuan",
            "wan_yuan = 10000 * yuan",
        ),
    )
}


def unit_spec(name: str) -> UnitSpec:
    """Return the :class:`UnitSpec` of a unit name.

    Raises
    ------
    UnitError
        If the name is not a unit of the library; the message lists close
        matches.

    Examples
    --------
    >>> unit_spec("percent").multiplier
    0.01
    """
    try:
        return UNITS[name]
    except (KeyError, TypeError):
        close = difflib.get_close_matches(str(name), UNITS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnitError(
            f"unknown unit {name!r}{hint} (known units: {', '.join(UNITS)})"
        ) from None


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Factor that converts a value in ``from_unit`` to ``to_unit``.

    Raises
    ------
    UnitError
        If either unit is unknown or they have different dimensions.

    Examples
    --------
    >>> conversion_factor("percent", "permille")
    10.0
    """
    source, target = unit_spec(from_unit), unit_spec(to_unit)
    if source.dimension != target.dimension:
        raise UnitError(
            f"cannot convert {from_unit!r} ({source.dimension or 'dimensionless'}) "
            f"to {to_unit!r} ({target.dimension or 'dimensionless'})"
        )
    # Divide the exact decimal sizes so that e.g. ‰ -> % is exactly 0.1.
    return float(Fraction(repr(source.multiplier)) / Fraction(repr(target.multiplier)))


def _build_registry() -> pint.UnitRegistry:
    import pint

    ureg: pint.UnitRegistry = pint.UnitRegistry()
    for spec in UNITS.values():
        if spec.pint_definition is not None:
            ureg.define(spec.pint_definition)
    return ureg


_registry: Once[pint.UnitRegistry] = Once(_build_registry)


def registry() -> pint.UnitRegistry:
    """The library's single pint registry, built on first use.

    It is pint's default registry extended with the units of
    :data:`phindicators.units.UNITS`.

    Examples
    --------
    >>> ureg = registry()
    >>> ureg.Quantity(10.66, "permille").to("per_hundred_thousand").magnitude
    1066.0...
    """
    return _registry.get()


def quantity(value: object, unit: str) -> pint.Quantity:
    """Wrap a value (scalar or array) in a pint Quantity of a library unit.

    Raises
    ------
    UnitError
        If ``unit`` is not a unit of the library.
    InvalidTypeError
        If ``value`` is not a number or an array of numbers.

    Examples
    --------
    >>> str(quantity(95.52, "percent").to("dimensionless").magnitude)
    '0.9552'
    """
    unit_spec(unit)
    try:
        return registry().Quantity(value, unit)
    except (TypeError, ValueError):  # pint refuses text, None, ... as a magnitude
        raise InvalidTypeError(
            f"a quantity's magnitude is a number or an array of numbers, got {value!r}"
        ) from None
