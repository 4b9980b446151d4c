"""Shared fixtures: a tiny inline catalog for testing the machinery."""

from __future__ import annotations

import ast
import contextlib
import inspect
import os
import types
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from phindicators import Catalog

# "ci" is bounded so the suite stays fast; "dev" searches harder locally:
#   HYPOTHESIS_PROFILE=dev python -m pytest
# On CI (CI=true) the examples are derandomised: a submission passes or
# fails by its code, not by the draw; local runs keep exploring new inputs.
settings.register_profile(
    "ci", max_examples=100, deadline=None, derandomize=os.environ.get("CI", "").lower() == "true"
)
settings.register_profile(
    "dev", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _assigned_names(module: types.ModuleType) -> set[str]:
    """Names a module assigns or defines at its top level (not imports)."""
    tree = ast.parse(inspect.getsource(module))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


@contextlib.contextmanager
def patched(owner: object, **values: object) -> Iterator[None]:
    """Set attributes of a module (or object) for the block, then restore
    them; unlike pytest's monkeypatch, usable inside hypothesis tests.

    A module attribute must be patched in its home, the module that assigns
    it: patching a re-exported name changes nothing that reads the home,
    and would leave the test vacuous.
    """
    if isinstance(owner, types.ModuleType):
        foreign = sorted(set(values) - _assigned_names(owner))
        assert not foreign, f"{owner.__name__} does not define {foreign}: patch the module that does"
    saved = {name: getattr(owner, name) for name in values}
    for name, value in values.items():
        setattr(owner, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(owner, name, value)


TINY = """
[sources.spec]
title = "Test specification"
year = 2017

[terms.births]
name_en = "live births"
name_zh = "活产数"

[terms.deaths]
name_en = "maternal deaths"
name_zh = "孕产妇死亡数"

[terms.managed]
name_en = "managed mothers"
name_zh = "系统管理人数"

[terms.places]
name_en = "childcare places"
name_zh = "托位数"

[terms.population]
name_en = "population"
name_zh = "常住人口数"

[terms.amount]
name_en = "reimbursement"
name_zh = "补助金额"
unit = "wan_yuan"

[terms.beneficiaries]
name_en = "beneficiaries"
name_zh = "补助人数"

[indicators.managed_rate]
name_en = "Managed rate"
name_zh = "管理率"
aliases = ["系统化管理率", "0～6岁 管理率"]
domain = "tiny"
definition = { en = "Managed / births.", zh = "系统管理人数/活产数×100%" }
numerator = "managed"
denominator = "births"
kind = "proportion"
unit = "percent"
decimals = 2
polarity = "high_is_good"
source = "spec"

[indicators.death_ratio]
name_en = "Death ratio"
name_zh = "死亡率"
domain = "tiny"
definition = { en = "Deaths per 100 000 births.", zh = "死亡数/活产数×10万" }
numerator = "deaths"
denominator = "births"
kind = "ratio"
unit = "per_hundred_thousand"
decimals = 2
polarity = "low_is_good"
source = "spec"

[indicators.places_per_1000]
name_en = "Places per 1000"
name_zh = "千人口托位数"
domain = "other"
definition = { en = "Places per 1 000 population.", zh = "托位数/常住人口数×1000" }
numerator = "places"
denominator = "population"
kind = "density"
unit = "per_thousand"
decimals = 2
polarity = "high_is_good"
source = "spec"

[indicators.mean_amount]
name_en = "Mean amount"
name_zh = "人均补助"
domain = "other"
definition = { en = "Amount per beneficiary.", zh = "补助金额/补助人数" }
numerator = "amount"
denominator = "beneficiaries"
kind = "mean"
unit = "yuan"
decimals = 0
polarity = "no_judgement"
source = "spec"

[indicators.death_count]
name_en = "Deaths"
name_zh = "死亡数"
domain = "other"
definition = { en = "Number of deaths.", zh = "死亡数" }
numerator = "deaths"
kind = "count"
unit = "count"
decimals = 0
polarity = "low_is_good"
source = "spec"
"""


@pytest.fixture(scope="session")
def tiny() -> Catalog:
    """A five-indicator catalog built from inline TOML."""
    return Catalog.from_toml(TINY)
