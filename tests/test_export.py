"""Serialisation, the generated JSON Schema, and the FHIR and DHIS2 exports."""

from __future__ import annotations

import enum
import importlib
import json
import math
import re
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from phindicators import (
    Catalog,
    CatalogError,
    DefinitionError,
    Indicator,
    InvalidOptionError,
    Result,
    Source,
    Term,
    Text,
    bundled_catalog,
)
from phindicators.compute import KIND_INTERVALS
from phindicators.dhis2 import (
    SHORT_NAME_LENGTH,
    dhis2_factor,
    dhis2_uid,
    to_dhis2_indicator,
    to_dhis2_metadata,
)
from phindicators.export import EXPORT_FORMATS, export_catalog
from phindicators.fhir import to_fhir_bundle, to_fhir_measure
from phindicators.model import KINDS, Example
from phindicators.pooling import ANNUALISABLE_KINDS, annualise
from phindicators.schema import catalog_schema, json_schema, shipped_catalog_schema
from phindicators.serialize import (
    SerializationError,
    catalog_from_json,
    catalog_to_json,
    from_dict,
    json_text,
    target_sets_from_json,
    to_dict,
    to_json_value,
)
from phindicators.targets import Target, TargetSet
from phindicators.units import UNITS
from tests.conftest import TINY

PLAN = Source(id="county_plan", title="某县妇幼健康规划", year=2021)


def through_json(data: Any) -> Any:
    """What a reader in another language gets: strict JSON text, parsed."""
    return json.loads(json_text(data))


def tiny_target_sets() -> list[TargetSet]:
    targets = [
        Target(id="mmr", indicator="death_ratio", comparator="<=", threshold=20,
               unit="per_hundred_thousand", source=PLAN, plan="county_plan", period=(2021, 2025)),
        Target(id="amount", indicator="mean_amount", comparator="between", threshold=[1000, 2000],
               unit="yuan", source=PLAN, plan="county_plan", scope="local", note="rural"),
        Target(id="mmr_down", indicator="death_ratio", comparator="relative_change", change="-1/4",
               baseline=40.0, baseline_year=2020, unit="per_hundred_thousand", source=PLAN,
               plan="county_plan"),
        Target(id="managed", indicator="managed_rate", comparator=">=", threshold=85,
               unit="percent", source=PLAN, plan="county_plan"),
    ]
    return [TargetSet(id="county_plan", name_zh="县规划", name_en="County plan", version="2021",
                      source=PLAN, targets=targets, period=(2021, 2025))]


# -- serialisation: definitions ---------------------------------------------------------


def test_every_tiny_definition_round_trips(tiny):
    for obj in [*tiny, *tiny.terms.values(), *tiny.sources.values()]:
        data = through_json(to_dict(obj))
        assert from_dict(type(obj), data) == obj


def test_every_bundled_indicator_round_trips():
    for indicator in bundled_catalog():
        assert from_dict(Indicator, through_json(to_dict(indicator))) == indicator


def test_indicator_dict_is_self_contained_and_plain(tiny):
    data = to_dict(tiny.get("death_ratio"))
    assert data["kind"] == "ratio" and type(data["kind"]) is str  # the enum's value, not the enum
    assert data["numerator"] == {"id": "deaths", "name_en": "maternal deaths",
                                 "name_zh": "孕产妇死亡数", "description": "", "unit": "count",
                                 "population": False}
    assert data["source"]["id"] == "spec" and data["source"]["year"] == 2017
    assert data["aliases"] == [] and data["examples"] == []
    assert data["valid_range"] == [0.0, "Infinity"]
    assert list(data) == [field.name for field in attrs.fields(Indicator)]


def test_target_and_target_set_round_trip():
    for target_set in tiny_target_sets():
        assert from_dict(TargetSet, through_json(to_dict(target_set))) == target_set
        for target in target_set:
            data = through_json(to_dict(target))
            assert from_dict(Target, data) == target
    data = to_dict(tiny_target_sets()[0].targets[1])
    assert data["comparator"] == "between" and data["threshold"] == [1000.0, 2000.0]
    assert data["scope"] == "local" and data["period"] is None


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen
class Inner:
    name: str
    weight: float = 1.0


@attrs.frozen
class Outer:
    """A class the converter was not written for."""

    colour: Colour
    inners: tuple[Inner, ...]
    pair: tuple[int, str]
    table: dict[str, float]
    optional: Inner | None = None
    flags: list[bool] = attrs.Factory(list)
    _private: int = 0


@given(
    st.builds(
        Outer,
        colour=st.sampled_from(Colour),
        inners=st.lists(st.builds(Inner, name=st.text(), weight=st.floats(allow_nan=False)),
                        max_size=3).map(tuple),
        pair=st.tuples(st.integers(), st.text()),
        table=st.dictionaries(st.text(), st.floats(allow_nan=False), max_size=3),
        optional=st.none() | st.builds(Inner, name=st.text()),
        flags=st.lists(st.booleans(), max_size=3),
        private=st.integers(),
    )
)
def test_new_classes_and_fields_need_no_new_code(outer):
    data = through_json(to_dict(outer))
    assert from_dict(Outer, data) == outer
    assert data["colour"] == outer.colour.value
    assert "_private" in data  # the attribute's name, passed back through its init alias


@given(st.floats())
def test_every_float_has_a_strict_json_form(value):
    encoded = through_json(to_json_value(value))
    decoded = from_dict(Inner, {"name": "x", "weight": encoded}).weight
    assert decoded == value or (math.isnan(value) and math.isnan(decoded))


def test_non_finite_spellings_are_what_javascript_number_reads():
    assert to_json_value([math.inf, -math.inf, math.nan, 1.5]) == ["Infinity", "-Infinity", "NaN", 1.5]
    with pytest.raises(ValueError):
        json_text({"value": math.nan})  # strict JSON: a bare NaN is refused


# -- serialisation: results ------------------------------------------------------------------

finite_or_not = st.floats(width=64)
float_arrays = arrays(np.float64, array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
                      elements=finite_or_not)

# Strategies draw from the catalog itself (a fixture cannot be drawn from).
CATALOG = Catalog.from_toml(TINY)
PERIODS = st.sampled_from([None, "2023年", "2023年1-10月", "2022年1-6月", "2024年2月"])


@st.composite
def computed_results(draw: st.DrawFn) -> Result:
    """A Result as the library makes one: any indicator of the tiny catalog,
    counts as Python numbers or int or float arrays of any shape, any
    level(s) and method its kind takes, maybe a period; then maybe expressed
    in another unit of its dimension, maybe annualised."""
    indicator = draw(st.sampled_from(CATALOG.indicators()))
    kind = KINDS[indicator.kind]
    shape = draw(st.none() | array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))

    def counts(elements: st.SearchStrategy[Any]) -> Any:
        if shape is None:
            return draw(elements)
        dtype = draw(st.sampled_from([np.int64, np.float64]))
        return draw(arrays(np.float64, shape, elements=elements)).astype(dtype)

    denominator = counts(st.integers(1, 10**7)) if kind.has_denominator else None
    if kind.numerator_within_denominator:
        numerator = np.floor(denominator * draw(st.floats(0, 1)))
        numerator = int(numerator) if shape is None else numerator.astype(denominator.dtype)
    elif indicator.kind == "mean":  # an amount, not a count of events
        numerator = counts(st.floats(0, 1e7) | st.integers(0, 10**7))
    else:
        numerator = counts(st.integers(0, 10**7))
    methods = KIND_INTERVALS[indicator.kind]
    levels = draw(st.sampled_from([None, 0.95, 0.9, (0.95, 0.998)])) if methods else None
    result = indicator.compute(
        numerator,
        denominator,
        confidence=levels,
        method=draw(st.sampled_from([None, *methods])),
        period=draw(PERIODS),
    )
    if result.period is not None and indicator.kind in ANNUALISABLE_KINDS and draw(st.booleans()):
        result = annualise(result, basis=draw(st.sampled_from(["days", "months"])))
    dimension = UNITS[indicator.unit].dimension
    return result.to(draw(st.sampled_from([u for u, spec in UNITS.items() if spec.dimension == dimension])))


@given(computed_results())
def test_computed_results_of_any_shape_round_trip(result):
    data = through_json(to_dict(result))
    back = from_dict(Result, data)  # verified against the counts: they must agree
    assert back == result
    assert np.shape(back.value) == np.shape(result.value)
    if isinstance(back.value, np.ndarray):
        assert back.value.dtype == np.float64


@given(numerator=float_arrays, value=float_arrays, scalar=finite_or_not, has_denominator=st.booleans())
def test_unverified_results_keep_any_values(tiny, numerator, value, scalar, has_denominator):
    # Results built by hand (never computed from their counts): with
    # verify=False every float survives, non-finite ones included.
    result = Result(tiny.get("managed_rate"), numerator, np.flip(numerator) if has_denominator else None,
                    value, "percent")
    data = through_json(to_dict(result))
    back = from_dict(Result, data, verify=False)
    assert back == result
    assert back.value.dtype == np.float64 and back.value.shape == value.shape
    scalar_result = attrs.evolve(result, numerator=scalar, value=scalar)
    assert from_dict(Result, through_json(to_dict(scalar_result)), verify=False) == scalar_result


def _edited(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """``data`` with the item at ``path`` (keys and indices) replaced."""
    copy = json.loads(json.dumps(data))
    *parents, last = path
    item = copy
    for key in parents:
        item = item[key]
    item[last] = value
    return copy


@pytest.mark.parametrize(("path", "value", "field"), [
    (("value",), [92.68, 100.0], "value"),  # 2/2158 is 92.678...: a rounded figure is an edit
    (("value",), [0.0, 0.0], "value"),
    (("intervals", 0, "lower"), [0.0, 0.0], "intervals[0].lower"),
    (("intervals", 1, "upper"), [1e6, 1e6], "intervals[1].upper"),
    (("intervals", 0, "value"), [1.0, 2.0], "intervals[0].value"),
    (("numerator",), [3.0, 3.0], "value"),
    (("denominator",), [2000.0, 2158.0], "value"),
    (("unit",), "permille", "value"),  # the unit changed, the figures not converted
    (("annualisation",), 2.0, "value"),
])
def test_edited_results_are_refused_by_default(tiny, path, value, field):
    computed = tiny.get("death_ratio").compute(np.array([2, 3]), np.array([2158, 2000]), confidence=(0.95, 0.998))
    data = through_json(to_dict(computed))
    assert from_dict(Result, data) == computed
    edited = _edited(data, path, value)
    with pytest.raises(DefinitionError, match="does not follow from the counts") as caught:
        from_dict(Result, edited)
    assert caught.value.field == field
    assert from_dict(Result, edited, verify=False) != computed  # read as written when asked


def test_results_inside_other_objects_are_verified(tiny):
    @attrs.frozen
    class Report:
        title: str
        results: tuple[Result, ...]

    results = (tiny.get("death_ratio").compute(2, 2158), tiny.get("managed_rate").compute(5, 10))
    data = through_json(to_dict(Report("某县", results)))
    assert from_dict(Report, data) == Report("某县", results)
    data["results"][1]["value"] = 60.0
    with pytest.raises(DefinitionError) as caught:
        from_dict(Report, data)
    assert caught.value.field == "results[1].value"


def test_computed_results_round_trip(tiny):
    for indicator, numerator, denominator, options in [
        (tiny.get("death_ratio"), 2, 2158, {"confidence": (0.95, 0.998)}),
        (tiny.get("managed_rate"), np.array([[2067, 89], [0, 5]]), np.array([[2164, 100], [3, 5]]),
         {"period": "2023年1-10月"}),
        (tiny.get("death_count"), np.array([1, 2, 3]), None, {"confidence": None}),
        (tiny.get("mean_amount"), 9.55, 81, {}),
    ]:
        result = indicator.compute(numerator, denominator, **options)
        data = through_json(to_dict(result))
        back = from_dict(Result, data)
        assert back == result
        assert np.array_equal(back.format(), result.format())
        assert back.method == result.method and len(back.intervals) == len(result.intervals)
    period = through_json(to_dict(tiny.get("managed_rate").compute(5, 10, period="2023年1-10月")))["period"]
    assert period == {"start": "2023-01-01", "end": "2023-10-31", "label": "2023年1-10月"}


def test_empty_and_text_arrays(tiny):
    empty = tiny.get("death_count").compute(np.array([]), confidence=None)
    assert from_dict(Result, through_json(to_dict(empty))) == empty
    data = to_dict(empty) | {"unit": "count", "value": ["a", "b"]}
    assert from_dict(Result, data, verify=False).value.tolist() == ["a", "b"]
    with pytest.raises(DefinitionError, match="value"):
        from_dict(Result, data)  # no counts give text


# -- serialisation: errors -------------------------------------------------------------------


def test_decoding_errors_name_the_field_and_value(tiny):
    data = to_dict(tiny.get("death_ratio"))
    cases = [
        ({"numerator": data["numerator"] | {"unit": "permile"}}, "numerator.unit", "permile"),
        ({"kind": "rates"}, "kind", "rates"),
        ({"decimals": "2"}, "decimals", "'2'"),
        ({"valid_range": [0, 1, 2]}, "valid_range", "[0, 1, 2]"),
        ({"examples": [{"numerator": "two"}]}, "examples[0].numerator", "two"),
        ({"aliases": "死亡率"}, "aliases", "死亡率"),
        ({"denominator": 5}, "denominator", "5"),
    ]
    for change, field, shown in cases:
        with pytest.raises(DefinitionError) as caught:
            from_dict(Indicator, data | change)
        assert caught.value.field == field
        assert shown in str(caught.value) and "death_ratio" in str(caught.value)


def test_unknown_and_missing_fields_are_errors(tiny):
    data = to_dict(tiny.get("death_ratio"))
    with pytest.raises(DefinitionError, match="did you mean 'polarity'"):
        from_dict(Indicator, data | {"polarty": "low_is_good"})
    del data["unit"]
    with pytest.raises(DefinitionError, match="unit: is required"):
        from_dict(Indicator, data)
    with pytest.raises(DefinitionError, match="rectangular"):
        from_dict(Result, to_dict(tiny.get("death_count").compute(1)) | {"value": [[1], [2, 3]]})


def test_model_validators_still_run(tiny):
    data = to_dict(tiny.get("managed_rate")) | {"valid_range": [0, 150]}
    with pytest.raises(DefinitionError) as caught:
        from_dict(Indicator, data)
    assert caught.value.field == "valid_range"


def test_what_has_no_json_form_is_refused():
    with pytest.raises(SerializationError):
        to_dict(42)
    with pytest.raises(SerializationError):
        from_dict(dict, {})
    with pytest.raises(SerializationError):
        to_json_value({1: "non-string key"})
    with pytest.raises(SerializationError):
        to_json_value(Fraction(1, 3))

    @attrs.frozen
    class Odd:
        when: complex

    with pytest.raises(SerializationError):
        from_dict(Odd, {"when": 1})


# -- whole catalogs --------------------------------------------------------------------------


def test_catalog_defines_once_and_refers_by_id(tiny):
    data = through_json(catalog_to_json(tiny, tiny_target_sets()))
    assert [t["id"] for t in data["terms"]] == list(tiny.terms)
    indicator = next(i for i in data["indicators"] if i["id"] == "death_ratio")
    assert (indicator["numerator"], indicator["denominator"], indicator["source"]) == (
        "deaths", "births", "spec")
    # The plan's source is cited only by targets: it joins the sources.
    assert [s["id"] for s in data["sources"]] == ["spec", "county_plan"]
    [target_set] = data["target_sets"]
    assert target_set["source"] == "county_plan"
    assert [t["source"] for t in target_set["targets"]] == ["county_plan"] * 4


def test_catalog_round_trips(tiny):
    data = through_json(catalog_to_json(tiny, tiny_target_sets()))
    catalog = catalog_from_json(data)
    assert list(catalog) == list(tiny)
    assert catalog.terms == tiny.terms and catalog.sources.keys() >= tiny.sources.keys()
    assert target_sets_from_json(data) == tiny_target_sets()


def test_bundled_catalog_round_trips():
    catalog = catalog_from_json(through_json(catalog_to_json(bundled_catalog())))
    assert list(catalog) == list(bundled_catalog())
    assert catalog.terms == bundled_catalog().terms


def test_catalog_errors_name_the_definition_and_field(tiny):
    data = through_json(catalog_to_json(tiny, tiny_target_sets()))
    broken = json.loads(json.dumps(data))
    broken["indicators"][1]["denominator"] = "birth"
    with pytest.raises(CatalogError, match="unknown Term id 'birth'; did you mean births") as caught:
        catalog_from_json(broken, path="export.json")
    assert (caught.value.path, caught.value.item, caught.value.field) == (
        "export.json", "death_ratio", "denominator")
    broken = json.loads(json.dumps(data))
    broken["target_sets"][0]["targets"][3]["threshold"] = [150]
    with pytest.raises(CatalogError, match="outside the valid range") as caught:
        target_sets_from_json(broken)
    assert (caught.value.item, caught.value.field) == ("managed", "threshold")
    broken["target_sets"][0]["targets"][3]["indicator"] = "managed_rat"
    with pytest.raises(CatalogError, match="did you mean managed_rate") as caught:
        target_sets_from_json(broken)
    with pytest.raises(CatalogError, match="not a phindicators.catalog document"):
        catalog_from_json(data | {"format_version": 2})
    with pytest.raises(CatalogError, match="unknown top-level key"):
        catalog_from_json(data | {"rules": []})


def test_two_definitions_with_one_id_are_refused(tiny):
    other_spec = attrs.evolve(tiny.sources["spec"], title="Another specification")
    clash = TargetSet(id="clash", name_zh="冲突", name_en="Clash", version="1", source=other_spec,
                      targets=[])
    with pytest.raises(CatalogError, match="share this id"):
        catalog_to_json(tiny, [clash])


# -- JSON Schema -----------------------------------------------------------------------------


def test_shipped_schema_is_the_generated_one():
    from importlib import resources

    shipped = resources.files("phindicators").joinpath("data", "schema", "catalog.schema.json")
    assert shipped.read_text("utf-8") == json_text(catalog_schema()), (
        "regenerate it: python -c 'from phindicators.schema import write_catalog_schema; "
        "write_catalog_schema()'"
    )
    assert shipped_catalog_schema() == catalog_schema()


def validator(schema: dict[str, Any]) -> Any:
    jsonschema = pytest.importorskip("jsonschema")  # a test-only dependency
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_exported_catalogs_validate_against_the_shipped_schema(tiny):
    check = validator(shipped_catalog_schema())
    check.validate(through_json(catalog_to_json(bundled_catalog())))
    check.validate(through_json(catalog_to_json(tiny, tiny_target_sets())))


def test_schema_rejects_what_readers_would_misread(tiny):
    check = validator(shipped_catalog_schema())
    data = through_json(catalog_to_json(tiny, tiny_target_sets()))
    for path, bad in [
        (("indicators", 0, "kind"), "rates"),
        (("indicators", 0, "decimals"), 2.5),
        (("indicators", 0, "numerator"), {"id": "managed"}),  # by id within a catalog
        (("indicators", 0, "valid_range"), [0.0, "inf"]),
        (("terms", 0, "units"), "count"),
        (("target_sets", 0, "targets", 0, "comparator"), "=>"),
    ]:
        broken = json.loads(json.dumps(data))
        *parents, last = path
        node = broken
        for key in parents:
            node = node[key]
        node[last] = bad
        assert not check.is_valid(broken), path


def test_schema_follows_the_classes():
    schema = json_schema(Outer)
    outer = schema["$defs"]["Outer"]
    assert outer["required"] == ["colour", "inners", "pair", "table"]
    assert outer["properties"]["colour"] == {"$ref": "#/$defs/Colour"}
    assert schema["$defs"]["Colour"]["enum"] == ["red", "blue"]
    assert outer["properties"]["pair"]["prefixItems"] == [{"type": "integer"}, {"type": "string"}]
    assert outer["properties"]["_private"]["default"] == 0
    assert schema["$defs"]["Inner"]["properties"]["weight"]["default"] == 1.0
    indicator = catalog_schema()["$defs"]["Indicator"]
    assert set(indicator["properties"]) == {field.name for field in attrs.fields(Indicator)}


@given(numerator=float_arrays, value=float_arrays)
def test_result_dicts_validate_against_their_schema(tiny, numerator, value):
    result = Result(tiny.get("death_ratio"), numerator, None, value, "per_hundred_thousand")
    validator(json_schema(Result)).validate(through_json(to_dict(result)))


# -- FHIR R4 ---------------------------------------------------------------------------------

# Codes of the required bindings, from the FHIR R4 (4.0.1) specification.
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
MEASURE_SCORING = {"proportion", "ratio", "continuous-variable", "cohort"}
MEASURE_POPULATION = {
    "initial-population", "numerator", "numerator-exclusion", "denominator",
    "denominator-exclusion", "denominator-exception", "measure-population",
    "measure-population-exclusion", "measure-observation",
}
IMPROVEMENT = {"increase", "decrease"}
RELATED_ARTIFACT_TYPE = {
    "documentation", "justification", "citation", "predecessor", "successor",
    "derived-from", "depends-on", "composed-of",
}


def fhir_model(name: str) -> Any:
    """The official R4 model of a resource (``fhir.resources`` 6.4, a test-only dependency)."""
    resources = pytest.importorskip("fhir.resources")
    if resources.__fhir_version__ != "4.0.1":
        pytest.skip(f"fhir.resources {resources.__version__} models FHIR {resources.__fhir_version__}")
    return getattr(importlib.import_module(f"fhir.resources.{name.lower()}"), name)


def codes(concept: dict[str, Any]) -> list[str]:
    return [coding["code"] for coding in concept["coding"]]


def test_every_measure_validates_against_the_r4_model():
    measure_model = fhir_model("Measure")
    for indicator in bundled_catalog():
        measure = to_fhir_measure(indicator, base_url="https://fhir.example.org/")
        parsed = measure_model.parse_obj(measure)
        # Nothing was dropped or coerced on the way in.
        assert json.loads(parsed.json()) == measure
        assert measure["status"] in PUBLICATION_STATUS
        assert set(codes(measure["scoring"])) <= MEASURE_SCORING
        for population in measure["group"][0]["population"]:
            assert set(codes(population["code"])) <= MEASURE_POPULATION
        assert {a["type"] for a in measure["relatedArtifact"]} <= RELATED_ARTIFACT_TYPE


def test_the_r4_model_does_reject_bad_measures(tiny):
    measure_model = fhir_model("Measure")
    measure = to_fhir_measure(tiny.get("death_ratio"))
    del measure["group"][0]["population"][0]["criteria"]
    with pytest.raises(ValueError):
        measure_model.parse_obj(measure)
    with pytest.raises(ValueError):
        measure_model.parse_obj(to_fhir_measure(tiny.get("death_ratio")) | {"id": "death_ratio"})


def test_bundle_validates():
    bundle_model = fhir_model("Bundle")
    bundle = to_fhir_bundle(bundled_catalog(), base_url="https://fhir.example.org")
    parsed = bundle_model.parse_obj(bundle)
    assert len(parsed.entry) == len(bundled_catalog())
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(urls)) == len(urls)


# Scoring by kind, as issue 7 specifies it (count: cohort, see phindicators.fhir).
EXPECTED_SCORING = {"proportion": "proportion", "count": "cohort"}


def test_scoring_populations_and_improvement(tiny):
    for indicator in [*tiny, *bundled_catalog()]:
        measure = to_fhir_measure(indicator)
        scoring = codes(measure["scoring"])
        assert scoring == [EXPECTED_SCORING.get(indicator.kind.value, "ratio")]
        populations = {
            codes(p["code"])[0]: p["criteria"]["expression"] for p in measure["group"][0]["population"]
        }
        if indicator.denominator is None:
            assert populations == {"initial-population": indicator.numerator.id}
        else:
            assert populations["numerator"] == indicator.numerator.id
            assert populations["denominator"] == indicator.denominator.id
        improvement = {"high_is_good": ["increase"], "low_is_good": ["decrease"]}.get(
            indicator.polarity.value)
        assert (codes(measure["improvementNotation"]) if "improvementNotation" in measure
                else None) == improvement


def test_measure_text_units_and_source(tiny):
    measure = to_fhir_measure(tiny.get("death_ratio"))
    assert measure["title"] == "Death ratio" and measure["name"] == "DeathRatio"
    assert measure["id"] == "death-ratio"
    assert measure["identifier"][0]["value"] == "death_ratio"
    translation = measure["_title"]["extension"][0]["extension"]
    assert {"url": "content", "valueString": "死亡率"} in translation
    assert measure["relatedArtifact"][0]["type"] == "citation"
    assert "Test specification (2017)" in measure["relatedArtifact"][0]["citation"]
    unit = measure["extension"][0]["valueCodeableConcept"]
    assert unit["text"] == "per 100,000 live births"
    assert "2 decimal places" in measure["guidance"]


# UCUM codes of each dimensionless unit, and what one of the unit is worth.
UCUM = {
    "count": ("1", 1), "percent": ("%", 1e-2), "per_hundred": ("%", 1e-2),
    "permille": ("[ppth]", 1e-3), "per_thousand": ("[ppth]", 1e-3),
    "per_ten_thousand": ("10*-4", 1e-4), "per_hundred_thousand": ("10*-5", 1e-5),
}


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_scoring_unit_codes(unit):
    numerator_unit = "yuan" if UNITS[unit].dimension else "count"
    indicator = Indicator(
        id="x", name_en="X", name_zh="某", domain="d", definition=Text(en="x", zh="某"),
        numerator=Term(id="n", name_en="n", name_zh="分子", unit=numerator_unit),
        denominator=Term(id="d", name_en="people", name_zh="人"), kind="mean", unit=unit,
        decimals=1, polarity="no_judgement", source=Source(id="s", title="S"))
    concept = to_fhir_measure(indicator)["extension"][0]["valueCodeableConcept"]
    by_system = {coding["system"]: coding["code"] for coding in concept["coding"]}
    assert by_system["urn:phindicators:unit"] == unit
    if unit in UCUM:
        assert by_system["http://unitsofmeasure.org"] == UCUM[unit][0]
        assert UNITS[unit].multiplier == UCUM[unit][1]
    else:
        assert by_system.get("urn:iso:std:iso:4217") == ("CNY" if unit == "yuan" else None)


# -- DHIS2 -----------------------------------------------------------------------------------

# The factor each indicator unit needs from counts, by hand.
FACTORS = {"count": 1, "percent": 100, "per_hundred": 100, "permille": 1000, "per_thousand": 1000,
           "per_ten_thousand": 10_000, "per_hundred_thousand": 100_000}


def indicator_in(unit: str, numerator_unit: str = "count", kind: str = "rate") -> Indicator:
    return Indicator(
        id="x_rate", name_en="X rate", name_zh="某率", domain="d", definition=Text(en="x", zh="某"),
        numerator=Term(id="events", name_en="events", name_zh="事件数", unit=numerator_unit),
        denominator=Term(id="people", name_en="people", name_zh="人数"), kind=kind, unit=unit,
        decimals=2, polarity="low_is_good", source=Source(id="s", title="S"))


@pytest.mark.parametrize("unit", sorted(FACTORS))
def test_dhis2_factor_for_each_unit(unit):
    exported = to_dhis2_indicator(indicator_in(unit))
    assert exported["indicatorType"]["factor"] == FACTORS[unit]
    assert exported["indicatorType"]["number"] == (FACTORS[unit] == 1)
    assert "/" not in exported["numerator"]


def test_dhis2_factor_for_money():
    per_person = to_dhis2_indicator(indicator_in("yuan", "wan_yuan", "mean"))  # 万元 / 人 → 元
    assert per_person["indicatorType"]["factor"] == 10_000
    in_wan = to_dhis2_indicator(indicator_in("wan_yuan", "yuan", "mean"))  # 元 / 人 → 万元
    assert in_wan["indicatorType"]["factor"] == 1
    assert in_wan["numerator"].endswith(" / 10000")


def dhis2_value(exported: dict[str, Any], numerator: float, denominator: float) -> float:
    """Evaluate a DHIS2 indicator the way DHIS2 does: num / den × factor."""
    divisor = int(exported["numerator"].split(" / ")[1]) if " / " in exported["numerator"] else 1
    return numerator / divisor / denominator * exported["indicatorType"]["factor"]


@given(numerator=st.integers(0, 10**6), denominator=st.integers(1, 10**6))
def test_dhis2_formula_gives_the_computed_value(tiny, numerator, denominator):
    for indicator in tiny:
        if indicator.denominator is None:
            continue
        count = min(numerator, denominator) if indicator.kind.value == "proportion" else numerator
        expected = indicator.compute(count, denominator).value
        assert math.isclose(dhis2_value(to_dhis2_indicator(indicator), count, denominator),
                            expected, rel_tol=1e-12)


def test_dhis2_count_indicator(tiny):
    exported = to_dhis2_indicator(tiny.get("death_count"))
    assert exported["denominator"] == "1"
    assert exported["indicatorType"] | {"id": None} == {
        "id": None, "name": "Number", "factor": 1, "number": True}
    assert exported["numerator"] == "#{" + dhis2_uid("dataElement", "deaths") + "}"


def test_dhis2_package_is_complete_and_consistent():
    package = to_dhis2_metadata(bundled_catalog())
    uid = re.compile(r"^[a-zA-Z][a-zA-Z0-9]{10}$")
    elements = {element["id"]: element for element in package["dataElements"]}
    types = {t["id"] for t in package["indicatorTypes"]}
    all_uids = [*elements, *types, *(i["id"] for i in package["indicators"])]
    assert len(set(all_uids)) == len(all_uids) and all(uid.match(u) for u in all_uids)
    assert {element["code"] for element in elements.values()} == {
        term.id for i in bundled_catalog() for term in (i.numerator, i.denominator) if term}
    for exported, indicator in zip(package["indicators"], bundled_catalog(), strict=True):
        assert exported["code"] == indicator.id
        assert exported["indicatorType"]["id"] in types
        for expression in (exported["numerator"], exported["denominator"]):
            assert all(ref in elements for ref in re.findall(r"#\{(\w+)\}", expression))
        assert len(exported["shortName"]) <= SHORT_NAME_LENGTH
        assert len(exported["code"]) <= SHORT_NAME_LENGTH
        assert exported["annualized"] is False
        assert exported["decimals"] == indicator.decimals
        assert {"property": "NAME", "locale": "zh", "value": indicator.name_zh} in exported["translations"]
    assert {t["factor"] for t in package["indicatorTypes"]} == {
        int(dhis2_factor(i)) for i in bundled_catalog()}


def test_dhis2_options_and_limits(tiny):
    managed = tiny.get("managed_rate")
    mapped = to_dhis2_metadata([managed], annualized=True, data_elements={"births": "AbCdEfGhIj1"})
    assert mapped["indicators"][0]["denominator"] == "#{AbCdEfGhIj1}"
    assert mapped["indicators"][0]["annualized"] is True
    assert [element["code"] for element in mapped["dataElements"]] == ["managed"]
    long_name = attrs.evolve(managed, name_en="A very long English name " * 3)
    assert to_dhis2_indicator(long_name)["shortName"] == "managed_rate"
    with pytest.raises(DefinitionError, match="50 characters"):
        to_dhis2_indicator(attrs.evolve(long_name, id="a" + "_long_id" * 8))


# -- one entry point -------------------------------------------------------------------------


def test_export_catalog_formats(tiny):
    assert set(EXPORT_FORMATS) == {"json", "schema", "fhir", "dhis2"}
    assert export_catalog(tiny, "json", tiny_target_sets()) == catalog_to_json(tiny, tiny_target_sets())
    assert export_catalog(tiny, "schema") == catalog_schema()
    assert export_catalog(tiny, "fhir") == to_fhir_bundle(tiny)
    assert export_catalog(tiny, "dhis2") == to_dhis2_metadata(tiny)
    with pytest.raises(InvalidOptionError, match="did you mean 'json'"):
        export_catalog(tiny, "jsn")


def test_examples_survive_a_round_trip(tiny):
    example = Example(numerator=2067, denominator=2164, published="95.52%", consistent=True)
    with_example = attrs.evolve(tiny.get("managed_rate"), examples=[example])
    assert from_dict(Indicator, through_json(to_dict(with_example))) == with_example


@attrs.frozen
class Node:
    """A class that contains itself."""

    label: str
    children: tuple[Node, ...] = ()


def test_recursive_classes():
    tree = Node("root", (Node("a"), Node("b", (Node("c"),))))
    data = through_json(to_dict(tree))
    assert from_dict(Node, data) == tree
    schema = json_schema(Node)
    assert schema["$defs"]["Node"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    validator(schema).validate(data)


def test_numpy_floats_encode_as_plain_floats() -> None:
    """Regression: a numpy float64 (a float subclass) was passed through
    unchanged by the JSON encoder, so that documents held numpy scalars."""
    from phindicators._json import to_json_value

    encoded = to_json_value({"value": np.float64(0.5), "limits": [np.float64(0.25), np.float32(2.0)]})
    assert encoded == {"value": 0.5, "limits": [0.25, 2.0]}
    assert type(encoded["value"]) is float
    assert all(type(limit) is float for limit in encoded["limits"])
