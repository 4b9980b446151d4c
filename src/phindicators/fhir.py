"""Indicators as HL7 FHIR R4 (4.0.1) ``Measure`` resources.

The mapping, one table per concept:

- **scoring** from the kind (:data:`SCORING`): a proportion (numerator within
  the denominator) scores ``proportion``; rates, ratios, densities, means and
  completion rates score ``ratio`` (the numerator is not a subset of the
  denominator, and completion may exceed 100 %). A count scores ``cohort``:
  its score is the size of one population (the number of deaths), which is
  what a cohort measure reports; ``continuous-variable`` would instead
  aggregate an observation made on each member, which a count is not.
- **populations** from the kind as well: ``initial-population``,
  ``denominator`` and ``numerator`` for a proportion (the initial population
  is the denominator's, as the FHIR proportion pattern requires);
  ``denominator`` and ``numerator`` for the ratio kinds; one
  ``initial-population`` for a count. Each population's ``criteria`` names the
  term it counts by id, in the language ``text/cql-identifier``: a consuming
  system binds each identifier (``live_births``) to its own logic, a CQL
  definition or an aggregate count.
- **improvementNotation** from the polarity: ``increase`` when high is good,
  ``decrease`` when low is good; omitted for in-range and no-judgement
  indicators, which have no better direction.
- **unit and scale**: FHIR R4 has no element for them, so the scoring unit
  goes in the Quality Measure IG's ``cqm-scoringUnit`` extension
  (:data:`SCORING_UNIT_EXTENSION`), a CodeableConcept with a UCUM code for
  dimensionless units (``%``, ``[ppth]``, ``10*-5`` for per 100 000 — the
  score is numerator / denominator expressed in that unit) or an ISO 4217
  code for money, and the indicator's unit in :data:`UNIT_SYSTEM`. The
  ``guidance`` says the same in words, with the number of decimals.
- **text**: ``title`` and ``description`` in English, with Chinese
  translations in the standard ``translation`` extension; ``name`` is the id
  in CamelCase (FHIR wants a code-friendly name), the resource ``id`` the id
  with hyphens (FHIR ids allow no underscores).
- **source**: a ``relatedArtifact`` of type ``citation``; a local variant
  also gets a ``derived-from`` artifact naming the indicator it varies.

The output is a plain dict; the tests validate it against the official R4
resource model (``fhir.resources`` 6.4, FHIR 4.0.1).

Examples
--------
>>> from phindicators import get
>>> measure = to_fhir_measure(get("maternal_mortality_ratio"))
>>> measure["scoring"]["coding"][0]["code"], measure["improvementNotation"]["coding"][0]["code"]
('ratio', 'decrease')
>>> [p["code"]["coding"][0]["code"] for p in measure["group"][0]["population"]]
['denominator', 'numerator']
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from .model import Indicator, Kind, Polarity, Term
from .units import UNITS

__all__ = [
    "IDENTIFIER_SYSTEM",
    "IMPROVEMENT_NOTATION",
    "SCORING",
    "SCORING_UNIT_EXTENSION",
    "UNIT_SYSTEM",
    "to_fhir_bundle",
    "to_fhir_measure",
]

#: The identifier system of indicator ids.
IDENTIFIER_SYSTEM = "urn:phindicators:indicator"

#: The code system of the library's unit names (``per_hundred_thousand``).
UNIT_SYSTEM = "urn:phindicators:unit"

#: The extension (HL7 Quality Measure IG, for R4) that carries the scoring unit.
SCORING_UNIT_EXTENSION = "http://hl7.org/fhir/uv/cqm/StructureDefinition/cqm-scoringUnit"

_TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
_SCORING_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-scoring"
_POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population"
_IMPROVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"
_UCUM = "http://unitsofmeasure.org"
_ISO_4217 = "urn:iso:std:iso:4217"

_SCORING_DISPLAY = {"proportion": "Proportion", "ratio": "Ratio", "cohort": "Cohort"}
_POPULATION_DISPLAY = {
    "initial-population": "Initial Population",
    "denominator": "Denominator",
    "numerator": "Numerator",
}

_NUMERATOR = ("numerator", "numerator")
_DENOMINATOR = ("denominator", "denominator")
_PROPORTION = ("proportion", (("initial-population", "denominator"), _DENOMINATOR, _NUMERATOR))
_RATIO = ("ratio", (_DENOMINATOR, _NUMERATOR))

#: Scoring of each kind, and its populations as (population code, the
#: Indicator field naming the term it counts).
SCORING: dict[Kind, tuple[str, tuple[tuple[str, str], ...]]] = {
    Kind.PROPORTION: _PROPORTION,
    Kind.RATE: _RATIO,
    Kind.RATIO: _RATIO,
    Kind.DENSITY: _RATIO,
    Kind.MEAN: _RATIO,
    Kind.COMPLETION: _RATIO,
    Kind.COUNT: ("cohort", (("initial-population", "numerator"),)),
}

#: improvementNotation of each polarity that has a better direction.
IMPROVEMENT_NOTATION: dict[Polarity, tuple[str, str]] = {
    Polarity.HIGH_IS_GOOD: ("increase", "Increased score indicates improvement"),
    Polarity.LOW_IS_GOOD: ("decrease", "Decreased score indicates improvement"),
}

# UCUM spellings of powers of ten that have a common symbol.
_UCUM_POWERS = {0: "1", 2: "%", 3: "[ppth]"}


def _ucum(multiplier: float) -> list[dict[str, str]]:
    power = round(-math.log10(multiplier))
    return [{"system": _UCUM, "code": _UCUM_POWERS.get(power, f"10*{-power}")}]


# Standard codings of a unit, by dimension; only units of size 1 have a
# currency code (万元 has none).
_STANDARD_CODINGS = {
    "": _ucum,
    "currency": lambda multiplier: (
        [{"system": _ISO_4217, "code": "CNY"}] if multiplier == 1.0 else []
    ),
}


def _pruned(value: Any) -> Any:
    """Drop empty strings, lists, dicts and Nones: FHIR forbids empty elements."""
    if isinstance(value, dict):
        kept = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in ("", None, [], {})}
    if isinstance(value, list):
        return [kept for kept in map(_pruned, value) if kept not in ("", None, [], {})]
    return value


def _concept(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def _chinese(text: str) -> dict[str, Any]:
    """The primitive extension that gives an element's Chinese translation."""
    return {
        "extension": [
            {
                "url": _TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": "zh"},
                    {"url": "content", "valueString": text},
                ],
            }
        ]
    }


def _unit_text(indicator: Indicator) -> str:
    denominator = indicator.denominator.name_en if indicator.denominator else ""
    spec = UNITS[indicator.unit]
    return spec.en.format(value="", denominator=denominator).strip() or indicator.unit


def _scoring_unit(indicator: Indicator) -> dict[str, Any]:
    spec = UNITS[indicator.unit]
    codings = _STANDARD_CODINGS[spec.dimension](spec.multiplier)
    return {
        "url": SCORING_UNIT_EXTENSION,
        "valueCodeableConcept": {
            "coding": [*codings, {"system": UNIT_SYSTEM, "code": indicator.unit}],
            "text": _unit_text(indicator),
        },
    }


def _population(code: str, term: Term) -> dict[str, Any]:
    return {
        "code": _concept(_POPULATION_SYSTEM, code, _POPULATION_DISPLAY[code]),
        "description": f"{term.name_en} ({term.name_zh})",
        "criteria": {
            "description": term.description,
            "language": "text/cql-identifier",
            "expression": term.id,
        },
    }


def _measure_id(indicator_id: str) -> str:
    return indicator_id.replace("_", "-")


def to_fhir_measure(indicator: Indicator, *, base_url: str | None = None) -> dict[str, Any]:
    """The FHIR R4 ``Measure`` of an indicator, as a JSON-compatible dict.

    See the module's description for the mapping.

    Parameters
    ----------
    indicator : Indicator
        The definition to export.
    base_url : str, optional
        The FHIR base of the server that will host the measures; when given,
        ``url`` is its canonical URL ``{base_url}/Measure/{id}``.

    Examples
    --------
    >>> from phindicators import get
    >>> measure = to_fhir_measure(get("infant_mortality_rate"), base_url="https://fhir.example.org")
    >>> measure["id"], measure["name"]
    ('infant-mortality-rate', 'InfantMortalityRate')
    >>> measure["url"]
    'https://fhir.example.org/Measure/infant-mortality-rate'
    >>> measure["extension"][0]["valueCodeableConcept"]["coding"][0]
    {'system': 'http://unitsofmeasure.org', 'code': '[ppth]'}
    """
    scoring, populations = SCORING[indicator.kind]
    source = indicator.source
    improvement = IMPROVEMENT_NOTATION.get(indicator.polarity)
    measure_id = _measure_id(indicator.id)
    base = base_url.rstrip("/") if base_url else None
    counted = "; ".join(
        f"{code} = {getattr(indicator, field).name_en}" for code, field in populations
    )
    artifacts: list[dict[str, str | None]] = [
        {
            "type": "citation",
            "label": source.id,
            "display": source.title_en or source.title,
            "citation": ", ".join(filter(None, (source.citation(), indicator.source_section))),
            "url": source.url,
        }
    ]
    if indicator.variant_of is not None:
        artifacts.append(
            {
                "type": "derived-from",
                "label": indicator.variant_of,
                "display": f"Local variant of the indicator {indicator.variant_of}",
                "resource": f"{base}/Measure/{_measure_id(indicator.variant_of)}" if base else None,
            }
        )
    measure = {
        "resourceType": "Measure",
        "id": measure_id,
        "language": "en",
        "extension": [_scoring_unit(indicator)],
        "url": f"{base}/Measure/{measure_id}" if base else None,
        "identifier": [{"use": "official", "system": IDENTIFIER_SYSTEM, "value": indicator.id}],
        "name": "".join(part.capitalize() for part in indicator.id.split("_")),
        "title": indicator.name_en,
        "_title": _chinese(indicator.name_zh),
        "status": "active",
        "experimental": False,
        "description": indicator.definition.en,
        "_description": _chinese(indicator.definition.zh),
        "topic": [{"text": indicator.domain}],
        "relatedArtifact": artifacts,
        "scoring": _concept(_SCORING_SYSTEM, scoring, _SCORING_DISPLAY[scoring]),
        "improvementNotation": _concept(_IMPROVEMENT_SYSTEM, *improvement) if improvement else None,
        "guidance": (
            f"Populations: {counted}. The score is expressed in {_unit_text(indicator)} "
            f"and reported with {indicator.decimals} decimal places."
        ),
        "group": [
            {
                "population": [
                    _population(code, getattr(indicator, field)) for code, field in populations
                ]
            }
        ],
    }
    return _pruned(measure)


def to_fhir_bundle(
    indicators: Iterable[Indicator], *, base_url: str | None = None
) -> dict[str, Any]:
    """A FHIR R4 ``Bundle`` (type ``collection``) of the Measures of several indicators.

    Examples
    --------
    >>> from phindicators import indicators
    >>> bundle = to_fhir_bundle(indicators("maternal_health"))
    >>> bundle["type"], bundle["entry"][0]["resource"]["resourceType"]
    ('collection', 'Measure')
    """
    entries = []
    for indicator in indicators:
        measure = to_fhir_measure(indicator, base_url=base_url)
        entries.append({"fullUrl": measure.get("url"), "resource": measure})
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    return _pruned(bundle)
