"""Robustness: one error hierarchy, no silent wrong numbers, safe and
thread-safe loading, and a command line that never loses work.

Each test here would fail without the behaviour it names. The
``test_bug_*`` tests are regression tests for bugs the fuzz suites
(``tests/test_fuzz_*.py``) found in modules this suite does not own; all
are fixed.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import io
import pathlib
import threading
import time
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import phindicators as ph
import phindicators.catalog as catalog_module
import phindicators.errors as errors_module
import phindicators.rules as rules_module
import phindicators.targets.loading as targets_module
import phindicators.units as units_module
from phindicators import Catalog, CatalogError, InvalidCountsError, PhindicatorsError, Result
from phindicators._once import Once
from phindicators.audit import audit, check_parts, infer_count
from phindicators.catalog import line_of, load_catalog
from phindicators.cli import main
from phindicators.errors import InvalidTypeError, ParseError, PhindicatorsWarning
from phindicators.export import export_catalog
from phindicators.model import Source
from phindicators.rules import check_counts
from phindicators.serialize import SerializationError, from_dict, to_dict
from phindicators.targets import Target
from tests.conftest import TINY

# The module, not the function of the same name that phindicators exports.
extract_module = importlib.import_module("phindicators.extract.labels")

SOURCE = pathlib.Path(__file__).resolve().parents[1] / "src" / "phindicators"
CATALOG = Catalog.from_toml(TINY)


# -- one error hierarchy ---------------------------------------------------------------

ERROR_CLASSES = [
    value
    for value in (getattr(errors_module, name) for name in errors_module.__all__)
    if isinstance(value, type) and issubclass(value, Exception) and not issubclass(value, Warning)
]


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_is_a_library_error_with_a_standard_base(cls: type) -> None:
    assert issubclass(cls, PhindicatorsError)
    if cls is not PhindicatorsError:
        assert issubclass(cls, LookupError | ValueError | TypeError)


def test_the_hierarchy_is_documented_as_a_tree() -> None:
    documented = errors_module.__doc__ or ""
    for name in [*errors_module.__all__, SerializationError.__name__]:
        assert name in documented, f"{name} is missing from the tree in errors.py"
    assert issubclass(SerializationError, InvalidTypeError)
    assert issubclass(PhindicatorsWarning, UserWarning) and not issubclass(PhindicatorsWarning, PhindicatorsError)


# What each kind of bad input raises, and the standard base it can be caught by.
BAD_INPUT: list[tuple[str, Any, type, type]] = [
    ("unknown indicator", lambda: ph.get("infant_mortality"), ph.UnknownIndicatorError, LookupError),
    ("unknown target set", lambda: ph.target_set("sdg2030"), ph.UnknownTargetSetError, LookupError),
    ("unknown term", lambda: check_counts({"live_birth": 3}), ph.UnknownTermError, LookupError),
    ("unknown domain", lambda: ph.indicators("maternal"), ph.UnknownDomainError, LookupError),
    ("negative count", lambda: CATALOG.get("death_ratio").compute(-1, 5), InvalidCountsError, ValueError),
    ("misspelled method", lambda: CATALOG.get("managed_rate").compute(1, 5, method="wilsn"), ph.InvalidOptionError, ValueError),
    ("unknown unit", lambda: CATALOG.get("managed_rate").compute(1, 5).to("pct"), ph.UnitError, ValueError),
    ("malformed catalog", lambda: Catalog.from_toml("x = ["), CatalogError, ValueError),
    ("unreadable figure", lambda: ph.parse_figure("xx36人"), ParseError, ValueError),
    ("figure not text", lambda: ph.parse_figure(95.5), InvalidTypeError, TypeError),
    ("report not text", lambda: ph.extract(b"report"), InvalidTypeError, TypeError),
    ("reported not a figure", lambda: audit(CATALOG.get("managed_rate"), 95.5), InvalidTypeError, TypeError),
    ("part not a number", lambda: check_parts(3, [object()]), InvalidTypeError, TypeError),
    ("catalog text as bytes", lambda: Catalog.from_toml(b"[terms]"), InvalidTypeError, TypeError),
    ("catalog path as int", lambda: load_catalog(3), InvalidTypeError, TypeError),
    ("counts not a mapping", lambda: check_counts([("live_births", 3)]), InvalidTypeError, TypeError),
    ("ragged rule counts", lambda: check_counts({"live_births": [[1], [1, 2]]}), InvalidCountsError, ValueError),
    ("rule count beyond floats", lambda: check_counts({"live_births": 10**5000}), InvalidCountsError, ValueError),
    ("no JSON form", lambda: to_dict(42), SerializationError, TypeError),
    ("name not text", lambda: ph.catalog.normalize_name(None), InvalidTypeError, TypeError),
    ("magnitude not a number", lambda: ph.units.quantity("", "count"), InvalidTypeError, TypeError),
    ("export format not text", lambda: export_catalog(CATALOG, ["json"]), ph.InvalidOptionError, ValueError),
    ("target on another result", lambda: ph.target_set("sdg_2030").targets[0].is_met(CATALOG.get("death_ratio").compute(1, 5)), ph.TargetError, ValueError),
]


@pytest.mark.parametrize(("case", "call", "error", "base"), BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_input_raises_the_documented_error(case: str, call: Any, error: type, base: type) -> None:
    with pytest.raises(error) as caught:
        call()
    assert isinstance(caught.value, base) and isinstance(caught.value, PhindicatorsError)
    assert str(caught.value)


def test_lookups_of_things_that_are_not_names_find_nothing() -> None:
    assert [] not in CATALOG and None not in CATALOG
    assert CATALOG.lookup(["managed_rate"]) is None
    assert isinstance(CATALOG.suggest(None), list)  # type: ignore[arg-type]


def test_count_errors_name_the_indicator_the_field_and_the_value() -> None:
    with pytest.raises(InvalidCountsError) as caught:
        CATALOG.get("managed_rate").compute(np.array([5, 7, 9]), np.array([10, 0, 3]))
    message = str(caught.value)
    assert "managed_rate" in message and "denominator" in message and "(1,)" in message
    assert caught.value.positions == ((1,),) and caught.value.field == "denominator"


def test_catalog_errors_name_the_file_the_definition_the_field_and_the_line(tmp_path: pathlib.Path) -> None:
    text = TINY.replace('unit = "per_thousand"', 'unit = "per_thousnd"')
    path = tmp_path / "local.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, include_bundled=False)
    error = caught.value
    assert (error.path, error.item, error.field) == (str(path), "places_per_1000", "unit")
    assert text.split("\n")[error.line - 1] == 'unit = "per_thousnd"'  # type: ignore[operator]
    assert str(error).startswith(f"{path}: places_per_1000.unit: unknown unit 'per_thousnd'")
    assert str(error).endswith(f"(line {error.line})")


@pytest.mark.parametrize(
    ("old", "new", "line_text"),
    [
        ('decimals = 0\npolarity = "no_judgement"', 'decimals = 9\npolarity = "no_judgement"', "decimals = 9"),
        ('name_zh = "补助人数"', 'name_zh = ""', 'name_zh = ""'),
        ('title = "Test specification"', "title = 3", "title = 3"),
        ('numerator = "deaths"\nkind = "count"', 'numerator = "death"\nkind = "count"', 'numerator = "death"'),
    ],
)
def test_catalog_errors_point_at_the_line_of_the_field(old: str, new: str, line_text: str) -> None:
    text = TINY.replace(old, new, 1)
    assert text != TINY
    with pytest.raises(CatalogError) as caught:
        Catalog.from_toml(text)
    assert caught.value.line is not None
    assert text.split("\n")[caught.value.line - 1] == line_text


def test_line_of_reads_headers_dotted_keys_and_inline_tables() -> None:
    text = '[rules.a]\nleft = "x"\ndescription.en = "A"\n\n[indicators]\nb = { unit = "pct" }\n'
    assert line_of(text, ("rules", "a"), "left") == 2
    assert line_of(text, ("rules", "a"), "en") == 3
    assert line_of(text, ("indicators", "b"), "unit") == 6
    assert line_of(text, ("rules", "a"), "importance") == 1  # not written: the table's line
    assert line_of(text, ("rules", "c")) is None


def test_rule_file_errors_point_at_the_line(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('\n[rules.r]\nleft = "deaths"\noperator = "=<"\nright = "births"\n'
                    'description = { en = "x", zh = "y" }\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        ph.load_validation_rules(path, include_bundled=False, catalog=CATALOG)
    assert (caught.value.field, caught.value.line) == ("operator", 4)


def test_no_builtin_exception_is_raised_for_bad_input() -> None:
    # Every deliberate raise uses the hierarchy; a builtin exception raised
    # directly must be caught within the same function (control flow), be
    # an ImportError for a missing optional dependency, or be the
    # AttributeError a module __getattr__ must raise (PEP 562).
    builtin_errors = {
        name for name, value in vars(builtins).items()
        if isinstance(value, type) and issubclass(value, BaseException) and not issubclass(value, ImportError)
    }
    escaping = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if not (isinstance(raised, ast.Name) and raised.id in builtin_errors):
                continue
            if raised.id == "AttributeError" and _function_name(node, parents) == "__getattr__":
                continue
            if not _caught_in_function(node, raised.id, parents):
                escaping.append(f"{path.name}:{node.lineno}: raise {raised.id}")
    assert not escaping, escaping


def _function_name(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node.name
    return None


def _caught_in_function(node: ast.AST, name: str, parents: dict[ast.AST, ast.AST]) -> bool:
    current = node
    while current in parents and not isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
        parent = parents[current]
        if isinstance(parent, ast.Try) and current in parent.body:
            for handler in parent.handlers:
                types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                if any(isinstance(t, ast.Name) and t.id == name for t in types):
                    return True
        current = parent
    return False


# -- no silent wrong numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    "counts",
    [
        np.array([2**63 - 1], dtype=np.int64),
        np.array([2**64 - 1], dtype=np.uint64),
        np.array([2**53 + 1], dtype=np.int64),  # float64 would round it to 2**53
        np.array([2**65, 3], dtype=object),  # Python ints beyond any numpy integer
        np.array([10**400], dtype=object),  # beyond float range
        2**53 + 1,
        10**400,
    ],
    ids=["int64 max", "uint64 max", "2**53+1", "object 2**65", "object 10**400", "python 2**53+1", "python 10**400"],
)
def test_counts_a_float_cannot_hold_exactly_are_refused(counts: Any) -> None:
    with pytest.raises(InvalidCountsError, match="numerator"):
        CATALOG.get("death_ratio").compute(counts, np.full(np.shape(counts), 2**52, dtype=object))


def test_the_largest_exact_counts_compute_exactly() -> None:
    largest = 2**53 - 1
    for counts in (largest, np.array([largest], dtype=np.int64), np.array([largest], dtype=np.uint64), np.array([largest], dtype=object)):
        result = CATALOG.get("managed_rate").compute(counts, counts)
        assert np.ravel(result.numerator)[0] == largest and np.ravel(result.value)[0] == 100.0


def test_fractional_counts_are_refused_but_amounts_of_money_are_exact() -> None:
    with pytest.raises(InvalidCountsError, match="not a whole number") as caught:
        CATALOG.get("managed_rate").compute(np.array([3.0, 2.5]), np.array([4, 4]))
    assert caught.value.positions == ((1,),)
    with pytest.raises(InvalidCountsError, match="not a whole number"):
        CATALOG.get("mean_amount").compute(9.55, 80.5)  # beneficiaries are people
    # 9.55万元 over 81 people is 95 500 / 81 yuan, to the rounding of a float.
    result = CATALOG.get("mean_amount").compute(9.55, 81)
    assert abs(Fraction(result.value) - Fraction(95_500, 81)) <= Fraction(1, 10**12)


def test_a_zero_denominator_inside_an_array_is_refused_by_position() -> None:
    with pytest.raises(InvalidCountsError, match="is zero") as caught:
        CATALOG.get("death_ratio").compute(np.array([[1, 0], [0, 2]]), np.array([[10, 10], [0, 10]]))
    assert caught.value.positions == ((1, 0),) and caught.value.n_bad == 1


MIXED_UNITS = """
[indicators.amount_share]
name_en = "Amount share"
name_zh = "补助比例"
domain = "tiny"
definition = { en = "Amount per beneficiary, as a percentage.", zh = "补助金额/补助人数×100%" }
numerator = "amount"
denominator = "beneficiaries"
kind = "proportion"
unit = "percent"
decimals = 1
polarity = "no_judgement"
source = "spec"
"""


def test_money_divided_into_a_percentage_is_refused_at_load(tmp_path: pathlib.Path) -> None:
    with pytest.raises(CatalogError, match=r"amount_share\.unit: 'percent' does not fit 'wan_yuan' / 'count'") as caught:
        Catalog.from_toml(TINY + MIXED_UNITS)
    assert caught.value.line is not None
    # The same from a user's file, on the bundled terms: 万元 over live births.
    user = tmp_path / "local.toml"
    user.write_text(
        MIXED_UNITS.replace('"amount"', '"inpatient_reimbursement_amount"')
        .replace('"beneficiaries"', '"live_births"').replace('"spec"', '"nbphs_2017"'),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=r"local\.toml: amount_share\.unit: 'percent' does not fit 'wan_yuan'"):
        load_catalog(user)


def _target(threshold: float, unit: str, comparator: str = "<=", indicator: str = "managed_rate") -> Target:
    return Target(id="t", indicator=indicator, comparator=comparator, threshold=threshold, unit=unit,
                  source=Source(id="plan", title="Plan"), plan="plan", against_polarity=True)


def test_a_target_in_permille_judges_a_result_in_percent_after_converting() -> None:
    rate = CATALOG.get("managed_rate")
    target = _target(10, "permille")  # 10 ‰ is 1 %
    below, above = rate.compute(95, 10_000), rate.compute(105, 10_000)  # 0.95 % and 1.05 %
    assert target.is_met(below) is True and target.is_met(above) is False
    # The gap is in the result's unit: 1 % - 0.95 % = 0.05 %.
    assert target.gap(below) == pytest.approx(0.05)
    assert ph.compare_to_target(above, target).status is ph.TargetStatus.NOT_MET
    # Converting the result instead gives the same verdicts.
    assert target.is_met(below.to("permille")) is True and target.gap(below.to("permille")) == pytest.approx(0.5)


def test_a_target_in_a_unit_of_another_dimension_is_refused() -> None:
    with pytest.raises(ph.UnitError, match="cannot convert"):
        _target(10, "yuan").is_met(CATALOG.get("managed_rate").compute(1, 10))


def test_arrays_hold_no_nan_unless_masking_was_asked_for() -> None:
    with pytest.raises(InvalidCountsError, match="NaN"):
        CATALOG.get("managed_rate").compute(np.array([1.0, np.nan]), np.array([2, 2]))
    # A directly standardised rate masks small counts: NaN exactly where the
    # mask says, with a note.
    rate = ph.dsr([[1, 2], [10, 30]], [[2000, 3000]] * 2, [2, 3])
    assert np.isnan(rate.value).tolist() == rate.suppressed.tolist() == [True, False]
    assert rate.note


def test_audit_prints_figures_beyond_float_precision_exactly() -> None:
    # A bare figure is shown back in the definition's unit: exactly, though
    # neither a float nor Decimal's default context holds 32 digits.
    figure = "1234567890123456789012345678901.5"
    verdict = audit(CATALOG.get("death_ratio"), figure, numerator=2)
    assert f"({figure}/10万)" in verdict.reason


def test_exact_arithmetic_on_absurd_numbers_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidCountsError, match="too large or too small"):
        infer_count(CATALOG.get("managed_rate"), "95%", numerator=Decimal("1e999999999"))
    with pytest.raises(ph.InvalidOptionError, match="plausible"):
        check_parts(Decimal("1e999999999"), [1])
    with pytest.raises(ParseError, match="more than 50 digits"):
        ph.parse_figure("9" * 5000 + "%")
    with pytest.raises(InvalidCountsError, match="NaN or infinite"):
        audit(CATALOG.get("managed_rate"), "95%", Decimal("NaN"), 5)
    assert time.perf_counter() - started < 2


def test_deeply_nested_toml_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="nested too deeply"):
        Catalog.from_toml("x = " + "[" * 100_000)


def test_a_result_read_back_must_follow_from_its_counts() -> None:
    data = to_dict(CATALOG.get("death_ratio").compute(2, 2158)) | {"value": 9268.0}
    with pytest.raises(ph.DefinitionError, match="value: does not follow from the counts"):
        from_dict(Result, data, verify=True)
    good = to_dict(CATALOG.get("death_ratio").compute(np.array([2, 3]), np.array([2158, 2000]), confidence=(0.95, 0.998)).to("permille"))
    assert from_dict(Result, good, verify=True).unit == "permille"
    lowered = good | {"intervals": [good["intervals"][0] | {"lower": [0.0, 0.0]}, good["intervals"][1]]}
    with pytest.raises(ph.DefinitionError, match=r"intervals\[0\]\.lower: does not follow"):
        from_dict(Result, lowered, verify=True)


# -- safe loading ------------------------------------------------------------------------

#: Calls and modules that could run code or build objects from data.
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__"}
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle", "yaml"}


def test_data_is_read_as_data_only() -> None:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in UNSAFE_CALLS:
                found.append(f"{where}: {node.func.id}()")
            if isinstance(node, ast.Import):
                found += [f"{where}: import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
                found.append(f"{where}: from {node.module} import")
            if isinstance(node, ast.keyword) and node.arg == "allow_pickle":
                found.append(f"{where}: allow_pickle")
            if isinstance(node, ast.Attribute) and node.attr in {"load", "loads", "unsafe_load"} and isinstance(node.value, ast.Name) and node.value.id in UNSAFE_MODULES:
                found.append(f"{where}: {node.value.id}.{node.attr}")
    assert not found, found


def test_the_data_check_would_catch_eval() -> None:
    tree = ast.parse("value = eval(text)\nimport pickle\n")
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in UNSAFE_CALLS]
    imports = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names if a.name in UNSAFE_MODULES]
    assert calls and imports == ["pickle"]


LOCAL_IMR = """
[indicators.infant_mortality_rate]
name_en = "Infant mortality rate (local definition)"
name_zh = "婴儿死亡率"
domain = "child_health"
definition = { en = "Infant deaths per 1 000 live births.", zh = "婴儿死亡数/活产数×1000‰" }
numerator = "infant_deaths"
denominator = "live_births"
kind = "rate"
unit = "permille"
decimals = 1
polarity = "low_is_good"
source = "nbphs_2017"
"""


def test_a_user_catalog_cannot_replace_a_bundled_definition_silently(tmp_path: pathlib.Path) -> None:
    user = tmp_path / "local.toml"
    user.write_text(LOCAL_IMR, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(user)
    message = str(caught.value)
    assert str(user) in message and "phindicators/data/indicators/child_health.toml" in message
    assert caught.value.line == 2


def test_replacing_bundled_definitions_is_opt_in_and_warns(tmp_path: pathlib.Path) -> None:
    user = tmp_path / "local.toml"
    user.write_text(LOCAL_IMR + '\n[terms.live_births]\nname_en = "live births (local)"\nname_zh = "活产数"\n', encoding="utf-8")
    with pytest.warns(PhindicatorsWarning) as caught:
        catalog = load_catalog(user, override=True)
    messages = [str(warning.message) for warning in caught]
    assert any("indicator 'infant_mortality_rate'" in m and str(user) in m and "child_health.toml" in m for m in messages)
    assert any("term 'live_births'" in m and "terms.toml" in m for m in messages)
    assert all(warning.filename == __file__ for warning in caught)  # points at the caller
    imr = catalog.get("infant_mortality_rate")
    assert imr.decimals == 1 and imr.name_en.endswith("(local definition)")
    # The replaced term is the one every indicator now divides by.
    assert catalog.get("maternal_mortality_ratio").denominator.name_en == "live births (local)"
    # The replacement keeps the bundled definition's place.
    assert [i.id for i in catalog] == [i.id for i in ph.bundled_catalog()]


def test_two_user_files_may_not_define_one_id_even_with_override(tmp_path: pathlib.Path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    text = LOCAL_IMR.replace("infant_mortality_rate", "local_rate").replace('name_zh = "婴儿死亡率"', 'name_zh = "本地率"')
    first.write_text(text, encoding="utf-8")
    second.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"b\.toml: local_rate: already defined in .*a\.toml"):
        load_catalog(first, second, override=True)


def test_unreadable_paths_are_catalog_errors(tmp_path: pathlib.Path) -> None:
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(str(tmp_path / "a\x00b.toml"))
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(tmp_path)  # a folder
    (tmp_path / "gbk.toml").write_bytes("[terms.x]\nname_zh = '活产数'\n".encode("gb18030"))
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(tmp_path / "gbk.toml")


THREADS = 16


def _hammer(call: Any) -> list[Any]:
    """``call()`` from THREADS threads released at once; their results."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS
    failures: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait()
            results[number] = call()
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return results


def _slow_counting(load: Any, calls: list[int]) -> Any:
    def slow(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        time.sleep(0.05)  # a wide window for a second thread to start loading too
        return load(*args, **kwargs)

    return slow


def test_the_lazy_loaders_load_once_from_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    counts: dict[str, list[int]] = {name: [] for name in ("catalog", "targets", "rules", "labels")}
    monkeypatch.setattr(catalog_module, "_bundled", Once(_slow_counting(load_catalog, counts["catalog"])))
    monkeypatch.setattr(targets_module, "_bundled", Once(_slow_counting(targets_module.load_target_sets, counts["targets"])))
    monkeypatch.setattr(rules_module, "_bundled", Once(_slow_counting(rules_module.load_validation_rules, counts["rules"])))
    monkeypatch.setattr(extract_module, "_labels", Once(extract_module._load_bundled_labels))
    monkeypatch.setattr(extract_module, "_read_labels", _slow_counting(extract_module._read_labels, counts["labels"]))

    def everything() -> tuple[Any, ...]:
        return ph.bundled_catalog(), ph.target_sets(), ph.validation_rules(), extract_module.label_rules()

    results = _hammer(everything)
    assert {name: len(calls) for name, calls in counts.items()} == dict.fromkeys(counts, 1)
    first = results[0]
    for result in results[1:]:
        assert result[0] is first[0]
        for got, expected in zip(result[1:], first[1:], strict=True):
            assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected, strict=True))


def test_the_unit_registry_is_built_once_from_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import pint

    calls: list[int] = []
    monkeypatch.setattr(units_module, "_registry", Once(units_module._build_registry))
    monkeypatch.setattr(pint, "UnitRegistry", _slow_counting(pint.UnitRegistry, calls))
    registries = _hammer(units_module.registry)
    assert len(calls) == 1 and all(registry is registries[0] for registry in registries)


def test_a_failed_load_is_retried_not_cached() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise CatalogError("<string>", "not valid TOML")
        return "loaded"

    once = Once(flaky)
    with pytest.raises(CatalogError):
        once.get()
    assert not once.loaded
    assert _hammer(once.get) == ["loaded"] * THREADS and len(attempts) == 2


# -- the command line never loses work --------------------------------------------------

EXAMPLE_ROWS = "indicator,area,period,numerator,denominator\n孕产妇死亡率,甲县,2023,2,2158\n孕产妇死亡率,乙县,2023,x,1900\n婴儿死亡率,丙县,2023,23,2158\n"


def _main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def _leftovers(folder: pathlib.Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


def test_an_interrupted_scorecard_leaves_the_old_output_intact(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from phindicators.scorecard import Scorecard

    table, output = tmp_path / "counts.csv", tmp_path / "card.csv"
    table.write_text(EXAMPLE_ROWS, encoding="utf-8")
    output.write_text("the previous scorecard\n", encoding="utf-8")

    def interrupted(self: Scorecard, file: Any) -> None:
        file.write("indicator,area,period\nmaternal_mortality_ratio,甲")  # half a table
        raise KeyboardInterrupt

    monkeypatch.setattr(Scorecard, "write_csv", interrupted)
    status, _, errors = _main(["scorecard", str(table), "--format", "csv", "--output", str(output)])
    assert status == 130 and "interrupted" in errors
    assert output.read_text(encoding="utf-8") == "the previous scorecard\n"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_leaves_the_old_output_intact_and_exits_2(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import phindicators.cli.definitions as cli_module  # the home of the name the command calls

    output = tmp_path / "catalog.json"
    output.write_text("{}\n", encoding="utf-8")

    def full(document: Any, file: Any) -> None:
        file.write('{"format": "phindicators.cat')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli_module, "write_json", full)
    status, _, errors = _main(["export", "--output", str(output)])
    assert status == 2 and "No space left on device" in errors and "Traceback" not in errors
    assert output.read_text(encoding="utf-8") == "{}\n"
    assert _leftovers(tmp_path) == []


def test_bad_rows_are_reported_and_good_ones_kept(tmp_path: pathlib.Path) -> None:
    table, output = tmp_path / "counts.csv", tmp_path / "card.csv"
    table.write_text(EXAMPLE_ROWS, encoding="utf-8")
    status, _, errors = _main(["scorecard", str(table), "--format", "csv", "--output", str(output), "--lang", "en"])
    assert status == 1
    assert "line 3" in errors and "'x'" in errors
    written = output.read_text(encoding="utf-8")
    assert "甲县" in written and "丙县" in written and "乙县" not in written
    assert _leftovers(tmp_path) == []


# -- regression tests for fixed bugs found by the fuzzers in modules owned elsewhere -----


@pytest.mark.parametrize("call", [
    lambda: CATALOG.get("managed_rate").compute([[1, 2], [3]], [5, 5]),
    lambda: ph.wilson_interval([[1], [1, 2]], 5),
], ids=["compute", "wilson_interval"])
def test_bug_ragged_counts(call: Any) -> None:
    with pytest.raises(InvalidCountsError):
        call()


@pytest.mark.parametrize("counts", [10**5000, np.array([10**5000], dtype=object)], ids=["int", "object array"])
def test_bug_counts_of_more_digits_than_python_prints(counts: Any) -> None:
    with pytest.raises(InvalidCountsError):
        CATALOG.get("death_ratio").compute(counts, 5)


def test_bug_masked_counts_are_not_computed_silently() -> None:
    counts = np.ma.masked_array([1, 2], mask=[False, True])
    try:
        result = CATALOG.get("managed_rate").compute(counts, np.array([5, 5]))
    except PhindicatorsError:
        return
    assert np.ma.is_masked(result.value) and np.ma.getmaskarray(result.value).tolist() == [False, True]


def test_bug_arrays_without_a_denominator_are_refused() -> None:
    with pytest.raises(InvalidCountsError, match="denominator is required"):
        CATALOG.get("managed_rate").compute(np.array([2]), None)


def test_bug_period_in_year_zero() -> None:
    with pytest.raises(PhindicatorsError):
        ph.Period.parse("0000年")


def test_bug_pool_axis_out_of_range() -> None:
    with pytest.raises(ph.InvalidOptionError):
        ph.pool(CATALOG.get("managed_rate").compute(np.array([1, 2]), np.array([5, 5])), axis=3)


@pytest.mark.parametrize("multiplier", [float("nan"), float("inf"), 0.0, -100.0])
def test_bug_multiplier_is_validated(multiplier: float) -> None:
    with pytest.raises(ph.InvalidOptionError):
        ph.wilson_interval(1, 5, multiplier=multiplier)


def test_bug_rate_funnel_around_zero() -> None:
    limits = ph.funnel_limits([10, 100], 0.0, 0.95, kind="rate")
    assert np.isfinite(limits.lower).all() and np.isfinite(limits.upper).all()


def test_bug_rate_funnel_with_huge_expected_counts() -> None:
    limits = ph.funnel_limits(1.0, 6.46295834e10, 0.95, kind="rate")
    assert np.isfinite(limits.lower) and np.isfinite(limits.upper)


@pytest.mark.parametrize("call", [
    lambda: ph.poisson_interval(np.array([1e-109])),
    lambda: ph.trend_test([0.0, 0.0], [8.98846567e307, 8.98846567e307]),
    lambda: ph.funnel_limits(3.1e-234, 0.0),
], ids=["poisson tiny count", "trend huge n", "funnel tiny n"])
def test_bug_extreme_magnitudes(call: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            outcome = call()
        except PhindicatorsError:
            return
    for interval in outcome if isinstance(outcome, tuple) else (outcome,):
        for name in ("value", "lower", "upper", "statistic"):
            if hasattr(interval, name):
                assert np.isfinite(getattr(interval, name)).all()


def test_bug_confidence_of_a_huge_int() -> None:
    with pytest.raises(ph.InvalidOptionError):
        CATALOG.get("managed_rate").compute(1, 5, confidence=10**400)


def test_bug_trend_times_of_text() -> None:
    with pytest.raises(ph.InvalidOptionError):
        ph.trend_test([1, 2], [5, 5], times="")


@pytest.mark.parametrize("benchmark", ["abc", np.array([])], ids=["text", "empty array"])
def test_bug_benchmark_of_the_wrong_form(benchmark: Any) -> None:
    result = CATALOG.get("managed_rate").compute(np.array([1, 2]), np.array([5, 5]))
    with pytest.raises(PhindicatorsError):
        ph.compare_to_benchmark(result, benchmark)


@pytest.mark.parametrize("which", ["results", "target"])
def test_bug_comparisons_at_several_levels(which: str) -> None:
    rate = CATALOG.get("death_ratio")
    result = rate.compute(2, 2158)
    with pytest.raises(ph.InvalidOptionError):
        if which == "results":
            ph.compare_results(result, rate.compute(3, 2000), confidence=(0.95, 0.998))  # type: ignore[arg-type]
        else:
            ph.compare_to_target(result, _target(20, "per_hundred_thousand", indicator="death_ratio"),
                                 uncertain=True, confidence=(0.95, 0.998))  # type: ignore[arg-type]


@pytest.mark.parametrize("average", [float("nan"), -1.0, 200.0])
def test_bug_funnel_average_is_validated(average: float) -> None:
    result = CATALOG.get("managed_rate").compute(np.array([1, 2, 3]), np.array([5, 5, 5]))
    with pytest.raises(ph.InvalidOptionError):
        ph.funnel(result, average=average)


def test_bug_target_of_a_huge_int() -> None:
    with pytest.raises(ph.TargetError):
        _target(20, "per_hundred_thousand", indicator="death_ratio").is_met(10**400)


@pytest.mark.parametrize("command", ["audit", "scorecard"])
def test_bug_file_names_with_nul(command: str) -> None:
    status, _, errors = _main([command, "report\x00.txt"])
    assert status == 2 and "error" in errors


def test_bug_audit_of_a_huge_inferred_range(tmp_path: pathlib.Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("婚前医学检查1000000000000000000000000000人,婚检率0.0000000001%。\n", encoding="utf-8")
    status, output, _ = _main(["audit", str(report)])
    assert status in (0, 1) and "婚" in output


def test_bug_format_number_of_a_large_value() -> None:
    from phindicators.display import format_number

    assert format_number(1e28, 0) == "10000000000000000000000000000"


def test_bug_results_are_verified_by_default() -> None:
    data = to_dict(CATALOG.get("death_ratio").compute(2, 2158)) | {"value": 9268.0}
    with pytest.raises(ph.DefinitionError):
        from_dict(Result, data)


def test_bug_result_interval_of_several_levels() -> None:
    with pytest.raises(ph.InvalidOptionError):
        CATALOG.get("death_ratio").compute(2, 2158).interval((0.95, 0.998))  # type: ignore[arg-type]


@pytest.mark.parametrize("call", [
    lambda: ph.standard_population([]),  # type: ignore[arg-type]
    lambda: _target(20, "per_hundred_thousand", indicator="death_ratio").thresholds([]),  # type: ignore[arg-type]
    lambda: ph.Period.year(2023).annualisation_factor([]),  # type: ignore[arg-type]
], ids=["standard_population", "Target.thresholds", "annualisation_factor"])
def test_bug_unhashable_options(call: Any) -> None:
    with pytest.raises(PhindicatorsError):
        call()


@pytest.mark.parametrize("sets", [0, ["sdg_2030"]], ids=["int", "list of ids"])
def test_bug_target_set_among_non_sets(sets: Any) -> None:
    with pytest.raises(PhindicatorsError):
        ph.target_set("sdg_2030", sets)


@pytest.mark.parametrize("call", [lambda: ph.Period.year(0), lambda: ph.Period.months(10_000, 1, 2)], ids=["year 0", "year 10000"])
def test_bug_period_years_out_of_range(call: Any) -> None:
    with pytest.raises(ph.InvalidOptionError):
        call()


def test_bug_target_file_errors_point_at_the_line(tmp_path: pathlib.Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[target_set]\nid = "p"\nname_zh = "规划"\nname_en = "Plan"\nversion = "1"\nsource = "spec"\n\n'
        '[targets.deaths]\nindicator = "death_ratio"\ncomparator = "=<"\nthreshold = 20\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        ph.load_target_sets(plan, include_bundled=False, catalog=CATALOG)
    assert (caught.value.field, caught.value.line) == ("comparator", 10)


@pytest.mark.parametrize(
    "counts",
    [
        [np.ma.masked_array([1, 2], mask=[False, True])],
        ([1, 2], np.ma.masked_array([1, 2], mask=[True, False])),
        [[1, 2], [3, np.ma.masked]],
    ],
    ids=["list of one", "tuple, second row", "a masked element"],
)
def test_masked_arrays_nested_in_lists_are_refused(counts: Any) -> None:
    # np.asarray would drop the mask and count the masked elements.
    with pytest.raises(InvalidCountsError, match="numerator holds a masked array"):
        CATALOG.get("managed_rate").compute(counts, np.full((len(counts), 2), 5))


def test_lists_of_plain_counts_still_compute() -> None:
    result = CATALOG.get("managed_rate").compute([[1, 2], (3, 4)], [[5, 5], [5, 5]])
    assert result.value.tolist() == [[20.0, 40.0], [60.0, 80.0]]
