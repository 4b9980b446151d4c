"""Fuzzing the loaders: catalogs from TOML, target and rule files, JSON documents.

Three kinds of input go into :meth:`Catalog.from_toml`,
:func:`load_target_sets` and :func:`load_validation_rules` (the last two from
temporary files, as users give them): arbitrary text, random TOML documents
built from the fields the loaders know, and valid files with random lines
rewritten, dropped or repeated (which reaches the checks behind the TOML
parser). Arbitrary JSON and mutated exports go into :func:`from_dict` and
:func:`catalog_from_json`. The only outcomes allowed are a loaded, valid
result or a :class:`~phindicators.errors.PhindicatorsError` (for files, a
:class:`~phindicators.errors.CatalogError` naming the file and, when it
gives one, a line that exists). See ``tests/test_fuzz_compute.py`` for the
profiles (``HYPOTHESIS_PROFILE=dev`` searches harder).
"""

from __future__ import annotations

import json
import math
import pathlib
import tempfile
import warnings
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from phindicators import Catalog, CatalogError, PhindicatorsError, Result
from phindicators.catalog import load_catalog
from phindicators.compute import value_scale
from phindicators.model import KINDS, Example, Indicator, Source, Term, Text
from phindicators.rules import load_validation_rules
from phindicators.serialize import catalog_from_json, catalog_to_json, from_dict, to_dict
from phindicators.targets import Target, TargetSet, load_target_sets
from phindicators.units import UNITS, conversion_factor
from tests.conftest import TINY

CATALOG = Catalog.from_toml(TINY)

PLAN = """
[target_set]
id = "county_plan"
name_zh = "县规划"
name_en = "County plan"
version = "2021"
period = [2021, 2025]
source = "county_plan"

[sources.county_plan]
title = "某县规划（2021—2025年）"
year = 2021

[targets.deaths]
indicator = "death_ratio"
comparator = "<="
threshold = 20

[targets.managed]
indicator = "managed_rate"
comparator = ">="
threshold = 900
unit = "permille"
scope = "local"

[targets.places]
indicator = "places_per_1000"
comparator = "between"
threshold = [1.5, 4.5]
against_polarity = true

[targets.deaths_relative]
indicator = "death_count"
comparator = "relative_change"
change = "-1/4"
baseline = 12
baseline_year = 2020
"""

RULES = """
[rules.deaths_within_births]
left = "deaths"
operator = "<="
right = "births"
importance = "high"
description.en = "Maternal deaths cannot exceed live births."
description.zh = "孕产妇死亡数不应超过活产数"

[rules.managed_within_births]
left = ["managed"]
operator = "<="
right = "births"
description = { en = "Managed mothers cannot exceed live births.", zh = "系统管理人数不应超过活产数" }
"""

# -- TOML values and documents ---------------------------------------------------------

NAMES = [
    "births", "deaths", "managed", "amount", "beneficiaries", "population", "places", "spec",
    "managed_rate", "death_ratio", "percent", "permille", "wan_yuan", "yuan", "count",
    "per_hundred_thousand", "proportion", "rate", "ratio", "mean", "count", "high_is_good",
    "low_is_good", "no_judgement", "<=", ">=", "between", "relative_change", "-1/4", "local", "tiny",
]
FIELDS = [
    "name_en", "name_zh", "definition", "numerator", "denominator", "kind", "unit", "decimals",
    "polarity", "source", "domain", "aliases", "valid_range", "examples", "variant_of", "title", "year",
    "description", "en", "zh", "indicator", "comparator", "threshold", "change", "baseline", "period",
    "left", "right", "operator", "importance", "id", "version", "published", "reference", "consistent",
]


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string (surrogates aside: refused)


TOML_SCALARS = st.one_of(
    st.sampled_from(NAMES).map(_toml_string),
    st.text(max_size=8).map(_toml_string),
    st.integers().map(str),
    st.integers(-3, 3000).map(str),
    st.floats().map(repr),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.dates().map(lambda d: d.isoformat()),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3).map(
            lambda table: "{ " + ", ".join(f"{k} = {v}" for k, v in table.items()) + " }"
        ),
    ),
    max_leaves=6,
)


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    """A TOML document of the loaders' tables, with random items and values."""
    lines = []
    if draw(st.booleans()):
        lines.append(f"domain = {draw(TOML_VALUES)}")
    for _ in range(draw(st.integers(0, 4))):
        table = draw(st.sampled_from(["sources", "terms", "indicators", "targets", "rules", "target_set", "other"]))
        item = draw(st.sampled_from(NAMES + ["x"]))
        lines.append(f"[{table}]" if table == "target_set" else f"[{table}.{item}]")
        for _ in range(draw(st.integers(0, 6))):
            lines.append(f"{draw(st.sampled_from(FIELDS))} = {draw(TOML_VALUES)}")
    return "\n".join(lines) + "\n"


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few lines rewritten, dropped, repeated or added."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "value", "value", "drop", "repeat", "insert"]))
        if action == "value" and "=" in lines[at]:
            key = lines[at].split("=", 1)[0]
            lines[at] = f"{key}= {draw(TOML_VALUES)}"
        elif action == "drop":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, lines[at])
        elif action == "insert":
            lines.insert(at, f"{draw(st.sampled_from(FIELDS))} = {draw(TOML_VALUES)}")
        if not lines:
            lines = [""]
    return "\n".join(lines)


def _check_catalog_error(error: CatalogError, text: str) -> None:
    assert str(error)
    if error.line is not None:
        assert 1 <= error.line <= text.count("\n") + 1


def _check_indicator(indicator: Indicator) -> None:
    """What every loaded indicator satisfies."""
    low, high = indicator.valid_range
    assert 0 <= low < high
    assert KINDS[indicator.kind].has_denominator == (indicator.denominator is not None)
    # No mixed units: the indicator's unit has the dimension of numerator / denominator.
    numerator = UNITS[indicator.numerator.unit].dimension
    denominator = UNITS[indicator.denominator.unit].dimension if indicator.denominator else ""
    expected = "" if numerator == denominator else (numerator if not denominator else f"{numerator}/{denominator}")
    assert UNITS[indicator.unit].dimension == expected
    assert math.isfinite(value_scale(indicator)) and value_scale(indicator) > 0
    for example in indicator.examples:
        try:
            result = indicator.compute(example.numerator, example.denominator)
        except PhindicatorsError:
            continue
        assert math.isfinite(result.value)


def _check_catalog(catalog: Catalog) -> None:
    for indicator in catalog:
        _check_indicator(indicator)
        for name in (indicator.id, *indicator.names):
            assert catalog.find(name) is indicator
    again = catalog_from_json(catalog_to_json(catalog))
    assert [i.id for i in again] == [i.id for i in catalog]
    assert all(again.get(i.id) == i for i in catalog)


TOML_TEXTS = st.one_of(st.text(), toml_documents(), mutated(TINY))


@given(TOML_TEXTS)
def test_catalog_from_any_toml(text: str) -> None:
    try:
        catalog = Catalog.from_toml(text)
    except CatalogError as error:
        _check_catalog_error(error, text)
        return
    _check_catalog(catalog)


@given(st.lists(st.one_of(toml_documents(), mutated(TINY)), min_size=1, max_size=3))
def test_catalog_from_several_documents(texts: list[str]) -> None:
    try:
        catalog = Catalog.from_toml(*texts)
    except CatalogError as error:
        assert error.path.startswith("<string")
        return
    _check_catalog(catalog)


def _files(folder: str, texts: list[str], raw: bytes | None = None) -> list[pathlib.Path]:
    paths = []
    for number, text in enumerate(texts):
        path = pathlib.Path(folder) / f"file{number}.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        paths.append(path)
    if raw is not None:
        path = pathlib.Path(folder) / "raw.toml"
        path.write_bytes(raw)
        paths.append(path)
    return paths


def _check_target(target: Target) -> None:
    indicator = CATALOG.get(target.indicator)
    factor = conversion_factor(target.unit, indicator.unit)
    low, high = indicator.valid_range
    for threshold in target.threshold:
        assert low <= threshold * factor <= high


@given(st.lists(st.one_of(mutated(PLAN), toml_documents(), st.text()), min_size=1, max_size=2), st.one_of(st.none(), st.binary(max_size=20)))
def test_target_files(texts: list[str], raw: bytes | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = _files(folder, texts, raw)
        try:
            sets = load_target_sets(*paths, include_bundled=False, catalog=CATALOG)
        except CatalogError as error:
            assert error.path in {str(p) for p in paths}
            if error.line is not None:
                assert 1 <= error.line <= pathlib.Path(error.path).read_bytes().count(b"\n") + 1
            return
    for target_set in sets:
        assert isinstance(target_set, TargetSet)
        for target in target_set:
            _check_target(target)


@given(st.lists(st.one_of(mutated(RULES), toml_documents(), st.text()), min_size=1, max_size=2), st.one_of(st.none(), st.binary(max_size=20)))
def test_rule_files(texts: list[str], raw: bytes | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = _files(folder, texts, raw)
        try:
            rules = load_validation_rules(*paths, include_bundled=False, catalog=CATALOG)
        except CatalogError as error:
            assert error.path in {str(p) for p in paths}
            if error.line is not None:
                assert 1 <= error.line <= pathlib.Path(error.path).read_bytes().count(b"\n") + 1
            return
    for rule in rules:
        terms = CATALOG.terms
        assert all(term in terms for term in rule.terms)
        assert len({terms[t].unit for t in rule.terms}) == 1


@given(st.lists(st.one_of(toml_documents(), mutated(TINY)), min_size=1, max_size=2), st.booleans())
def test_user_catalog_files_over_the_bundled_one(texts: list[str], override: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = _files(folder, texts)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # overrides warn; that is tested on its own
            try:
                catalog = load_catalog(*paths, override=override)
            except CatalogError as error:
                assert error.path in {str(p) for p in paths} | {"<catalog>"} or error.path.startswith("phindicators/data/")
                return
    for indicator in catalog:
        _check_indicator(indicator)


# -- JSON ----------------------------------------------------------------------------------

JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6), st.sampled_from(NAMES + ["Infinity", "NaN"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=4)), inner, max_size=5)),
    max_leaves=12,
)

INDICATOR = CATALOG.get("death_ratio")
SAMPLES: list[Any] = [
    INDICATOR,
    INDICATOR.numerator,
    INDICATOR.source,
    INDICATOR.definition,
    Example(numerator=2, denominator=2158, published="92.68/10万"),
    INDICATOR.compute(2, 2158),
    CATALOG.get("managed_rate").compute(np.array([5, 9]), np.array([10, 10]), confidence=(0.95, 0.998)),
    Target(id="t", indicator="death_ratio", comparator="<=", threshold=20, unit="per_hundred_thousand",
           source=Source(id="plan", title="Plan"), plan="plan"),
]
CLASSES = [Indicator, Term, Source, Text, Example, Result, Target, TargetSet]


@st.composite
def mutated_json(draw: st.DrawFn, document: Any) -> Any:
    """A JSON document with one value somewhere inside it replaced."""
    if isinstance(document, dict) and document and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(document)))
        return {**document, key: draw(mutated_json(document[key]))}
    if isinstance(document, list) and document and draw(st.booleans()):
        at = draw(st.integers(0, len(document) - 1))
        return [*document[:at], draw(mutated_json(document[at])), *document[at + 1 :]]
    return draw(JSON)


def _check_decoded(obj: Any) -> None:
    # A decoded object encodes and decodes to itself.
    assert from_dict(type(obj), to_dict(obj), verify=True) == obj
    if isinstance(obj, Indicator):
        _check_indicator(obj)
    if isinstance(obj, Result):
        value = np.asarray(obj.value, dtype=np.float64)
        for interval in obj.intervals:
            assert (np.asarray(interval.lower) <= value).all() and (value <= np.asarray(interval.upper)).all()


@given(st.sampled_from(CLASSES), JSON)
def test_from_dict_of_any_json(cls: type, data: Any) -> None:
    try:
        obj = from_dict(cls, data, verify=True)
    except PhindicatorsError:
        return
    _check_decoded(obj)


@given(st.sampled_from(SAMPLES).flatmap(lambda sample: st.tuples(st.just(type(sample)), mutated_json(to_dict(sample)))))
def test_from_dict_of_a_damaged_export(case: tuple[type, Any]) -> None:
    cls, data = case
    try:
        obj = from_dict(cls, data, verify=True)
    except PhindicatorsError:
        return
    _check_decoded(obj)


EXPORT = catalog_to_json(CATALOG)


@given(st.one_of(JSON, mutated_json(EXPORT)))
def test_catalog_from_any_json(data: Any) -> None:
    try:
        catalog = catalog_from_json(data)
    except PhindicatorsError:
        return
    _check_catalog(catalog)
