"""Indicators as DHIS2 metadata: indicators, their indicator types, data elements.

A DHIS2 indicator is ``numerator / denominator × factor``, where the factor
belongs to its *indicator type*. The factor here is derived from the unit
table: it is the exact scale from the terms' units to the indicator's unit
(:data:`phindicators.units.UNITS` multipliers), so a percentage gets 100, a
rate in ‰ 1 000, a density per 10 000 10 000, a ratio per 100 000 100 000,
and a mean in 元 of amounts counted in 万元 10 000. DHIS2 factors are whole
numbers; a scale below 1 (an amount in 万元 from yuan) divides the numerator
expression instead.

Expressions refer to *data elements*, and DHIS2 names those by UID. Each term
becomes a data element whose ``code`` is the term id (``live_births``) and
whose UID is derived from it (:func:`dhis2_uid`), so the same term always
gets the same UID and re-importing updates rather than duplicates. A system
that already collects a term under its own data element maps it with
``data_elements={"live_births": "<its UID>"}``.

Names: ``name`` and ``description`` in English with Chinese translations;
``shortName`` (at most 50 characters in DHIS2) is the English name where it
fits, else the id; ``code`` is the id. ``annualized`` is false unless asked:
annualising a partial-year figure is a choice, never a default.

Examples
--------
>>> from phindicators import get
>>> indicator = to_dhis2_indicator(get("maternal_mortality_ratio"))
>>> indicator["code"], indicator["indicatorType"]["factor"], indicator["annualized"]
('maternal_mortality_ratio', 100000, False)
>>> indicator["numerator"] == "#{" + dhis2_uid("dataElement", "maternal_deaths") + "}"
True
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from .errors import DefinitionError
from .model import Indicator, Term
from .units import UNITS

__all__ = [
    "SHORT_NAME_LENGTH",
    "dhis2_factor",
    "dhis2_uid",
    "to_dhis2_indicator",
    "to_dhis2_metadata",
]

#: The longest ``shortName`` and ``code`` DHIS2 accepts.
SHORT_NAME_LENGTH = 50

_LETTERS = string.ascii_letters
_ALPHANUMERIC = string.digits + string.ascii_letters


def dhis2_uid(kind: str, key: str) -> str:
    """A stable DHIS2 UID (a letter, then 10 letters or digits) for an object.

    Derived from a hash of ``kind`` and ``key``, so the same term or
    indicator always gets the same UID.

    Examples
    --------
    >>> uid = dhis2_uid("dataElement", "live_births")
    >>> len(uid), uid[0].isalpha(), uid == dhis2_uid("dataElement", "live_births")
    (11, True, True)
    """
    number = int.from_bytes(hashlib.sha256(f"phindicators:{kind}:{key}".encode()).digest(), "big")
    number, first = divmod(number, len(_LETTERS))
    chars = [_LETTERS[first]]
    for _ in range(10):
        number, index = divmod(number, len(_ALPHANUMERIC))
        chars.append(_ALPHANUMERIC[index])
    return "".join(chars)


def dhis2_factor(indicator: Indicator) -> Fraction:
    """The exact factor from numerator / denominator (in the terms' units) to the unit.

    Examples
    --------
    >>> from phindicators import get
    >>> dhis2_factor(get("infant_mortality_rate"))
    Fraction(1000, 1)
    """
    size = {name: Fraction(repr(spec.multiplier)) for name, spec in UNITS.items()}
    denominator = indicator.denominator.unit if indicator.denominator is not None else "count"
    return size[indicator.numerator.unit] / size[denominator] / size[indicator.unit]


def _short_name(name: str, fallback: str, what: str) -> str:
    if len(name) <= SHORT_NAME_LENGTH:
        return name
    if len(fallback) > SHORT_NAME_LENGTH:
        raise DefinitionError(
            "id",
            f"{fallback!r} is longer than the {SHORT_NAME_LENGTH} characters DHIS2 allows "
            f"for the shortName and code of a {what}",
        )
    return fallback


def _translations(**texts: str) -> list[dict[str, str]]:
    return [{"property": prop, "locale": "zh", "value": value} for prop, value in texts.items()]


def _indicator_type(factor: int) -> dict[str, Any]:
    return {
        "id": dhis2_uid("indicatorType", str(factor)),
        "name": "Number" if factor == 1 else f"Per {factor:,}",
        "factor": factor,
        "number": factor == 1,
    }


def _data_element(term: Term, uid: str) -> dict[str, Any]:
    return {
        "id": uid,
        "code": term.id,
        "name": term.name_en,
        "shortName": _short_name(term.name_en, term.id, "data element"),
        "description": term.description or term.name_en,
        "domainType": "AGGREGATE",
        "aggregationType": "SUM",
        # Counts of people and events are whole numbers; amounts of money are not.
        "valueType": "INTEGER_ZERO_OR_POSITIVE" if UNITS[term.unit].whole else "NUMBER",
        "translations": _translations(NAME=term.name_zh),
    }


def _term_uid(term: Term, data_elements: Mapping[str, str]) -> str:
    return data_elements.get(term.id) or dhis2_uid("dataElement", term.id)


def to_dhis2_indicator(
    indicator: Indicator,
    *,
    annualized: bool = False,
    data_elements: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The DHIS2 indicator of a definition, as a JSON-compatible dict.

    Its ``indicatorType`` is given in full (id, name, factor); DHIS2 reads
    it as a reference by id on import, and :func:`to_dhis2_metadata` also
    lists it among ``indicatorTypes``.

    Parameters
    ----------
    indicator : Indicator
        The definition to export.
    annualized : bool
        DHIS2's flag to annualise partial-year values; off by default.
    data_elements : mapping of str to str, optional
        UIDs of existing data elements by term id; other terms get
        :func:`dhis2_uid`.

    Raises
    ------
    DefinitionError
        If the English name is too long for a shortName and so is the id.

    Examples
    --------
    >>> from phindicators import get
    >>> imr = to_dhis2_indicator(get("infant_mortality_rate"),
    ...                          data_elements={"live_births": "Xb3kLm9pQ2z"})
    >>> imr["denominator"], imr["indicatorType"]["name"], imr["decimals"]
    ('#{Xb3kLm9pQ2z}', 'Per 1,000', 2)
    """
    known = data_elements or {}
    factor = dhis2_factor(indicator)
    numerator = f"#{{{_term_uid(indicator.numerator, known)}}}"
    if factor.denominator != 1:  # DHIS2 factors are whole: divide the numerator
        numerator = f"{numerator} / {factor.denominator}"
    denominator = indicator.denominator
    return {
        "id": dhis2_uid("indicator", indicator.id),
        "code": _short_name(indicator.id, indicator.id, "indicator"),
        "name": indicator.name_en,
        "shortName": _short_name(indicator.name_en, indicator.id, "indicator"),
        "description": indicator.definition.en,
        "numerator": numerator,
        "numeratorDescription": indicator.numerator.name_en,
        "denominator": "1" if denominator is None else f"#{{{_term_uid(denominator, known)}}}",
        "denominatorDescription": "" if denominator is None else denominator.name_en,
        "indicatorType": _indicator_type(factor.numerator),
        "decimals": indicator.decimals,
        "annualized": annualized,
        "translations": _translations(
            NAME=indicator.name_zh,
            SHORT_NAME=indicator.name_zh,
            DESCRIPTION=indicator.definition.zh,
        ),
    }


def to_dhis2_metadata(
    indicators: Iterable[Indicator],
    *,
    annualized: bool = False,
    data_elements: Mapping[str, str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """A DHIS2 metadata package: the indicators, their indicator types and data elements.

    The package imports as it is (``POST /api/metadata``): every UID an
    expression or a reference uses is defined in it, except the data
    elements given in ``data_elements``, which already exist.

    Examples
    --------
    >>> from phindicators import indicators
    >>> package = to_dhis2_metadata(indicators())
    >>> sorted(package)
    ['dataElements', 'indicatorTypes', 'indicators']
    >>> sorted(t["factor"] for t in package["indicatorTypes"])
    [1, 100, 1000, 10000, 100000]
    """
    known = data_elements or {}
    exported: list[dict[str, Any]] = []
    types: dict[str, dict[str, Any]] = {}
    elements: dict[str, dict[str, Any]] = {}
    for indicator in indicators:
        exported.append(to_dhis2_indicator(indicator, annualized=annualized, data_elements=known))
        indicator_type = exported[-1]["indicatorType"]
        types.setdefault(indicator_type["id"], indicator_type)
        for term in (indicator.numerator, indicator.denominator):
            if term is not None and term.id not in known:
                uid = _term_uid(term, known)
                elements.setdefault(uid, _data_element(term, uid))
    for document in exported:
        document["indicatorType"] = {"id": document["indicatorType"]["id"]}
    return {
        "indicatorTypes": list(types.values()),
        "dataElements": list(elements.values()),
        "indicators": exported,
    }
