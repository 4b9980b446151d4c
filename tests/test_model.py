"""The model validates every definition on construction."""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest

from phindicators import DefinitionError, Indicator, Kind, Polarity, Source, Term, Text

BIRTHS = Term(id="live_births", name_en="live births", name_zh="活产数")
MANAGED = Term(id="managed", name_en="managed mothers", name_zh="系统管理人数")
AMOUNT = Term(id="amount", name_en="amount", name_zh="金额", unit="wan_yuan")
SOURCE = Source(id="spec", title="Spec")


def make(**changes: Any) -> Indicator:
    fields: dict[str, Any] = dict(
        id="managed_rate",
        name_en="Managed rate",
        name_zh="管理率",
        domain="maternal_health",
        definition=Text(en="Managed / births.", zh="管理数/活产数"),
        numerator=MANAGED,
        denominator=BIRTHS,
        kind="proportion",
        unit="percent",
        decimals=2,
        polarity="high_is_good",
        source=SOURCE,
    )
    fields.update(changes)
    return Indicator(**fields)


def test_strings_become_enums_and_defaults_follow_the_kind() -> None:
    indicator = make()
    assert indicator.kind is Kind.PROPORTION
    assert indicator.polarity is Polarity.HIGH_IS_GOOD
    assert indicator.valid_range == (0.0, 100.0)
    assert make(unit="permille").valid_range == (0.0, 1000.0)
    assert make(kind="completion").valid_range == (0.0, math.inf)


def test_definitions_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        make().unit = "permille"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id": "Managed-Rate"}, "id", "snake_case"),
        ({"name_zh": " "}, "name_zh", "non-empty"),
        ({"kind": "percentage"}, "kind", "must be one of proportion"),
        ({"polarity": "up"}, "polarity", "must be one of high_is_good"),
        ({"unit": "percents"}, "unit", "unknown unit 'percents'"),
        ({"decimals": 2.0}, "decimals", "whole number"),
        ({"decimals": 9}, "decimals", "from 0 to 6"),
        ({"valid_range": (0, 120)}, "valid_range", "exceeds what a proportion allows"),
        ({"valid_range": (5, 1)}, "valid_range", "low < high"),
        ({"denominator": None}, "denominator", "a proportion needs denominator"),
        ({"kind": "count", "unit": "count"}, "denominator", "a count has no denominator"),
        ({"unit": "yuan"}, "unit", "does not fit"),
        ({"numerator": AMOUNT}, "unit", "does not fit 'wan_yuan'"),
        ({"aliases": ["ok", ""]}, "aliases", "non-empty"),
        ({"variant_of": "managed_rate"}, "variant_of", "variant of itself"),
    ],
)
def test_invalid_definitions_name_the_field(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message) as caught:
        make(**changes)
    assert caught.value.field == field


def test_money_over_people_is_a_currency_mean() -> None:
    mean = make(kind="mean", numerator=AMOUNT, unit="yuan", polarity="no_judgement")
    assert mean.valid_range == (0.0, math.inf)


def test_source_year_is_checked() -> None:
    with pytest.raises(DefinitionError, match="year"):
        Source(id="x", title="X", year=17)


def test_names_include_aliases() -> None:
    assert make(aliases=["系统化管理率"]).names == ("管理率", "Managed rate", "系统化管理率")
