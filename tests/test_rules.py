"""Validation rules: the machinery on an inline catalog, then the bundled rules."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import phindicators.rules as rules_module
from phindicators import (
    Catalog,
    CatalogError,
    DefinitionError,
    InvalidCountsError,
    Text,
    bundled_catalog,
)
from phindicators._once import Once
from phindicators.rules import (
    OPERATORS,
    Importance,
    Operator,
    Rule,
    UnknownTermError,
    Violation,
    check_counts,
    load_validation_rules,
    validation_rules,
)
from tests.conftest import TINY

# Terms for a parts-sum rule: family-planning reward recipients by scheme.
EXTRA = """
[terms.national_rewards]
name_en = "national reward recipients"
name_zh = "国家奖扶人数"

[terms.special_support]
name_en = "special support recipients"
name_zh = "特扶人数"

[terms.extended_rewards]
name_en = "extended reward recipients"
name_zh = "奖扶扩面人数"

[terms.rewarded]
name_en = "persons rewarded"
name_zh = "奖扶总人数"
"""
CATALOG = Catalog.from_toml(TINY, EXTRA)
TEXT = Text(en="A rule.", zh="规则")

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

[rules.rewards_sum]
left = ["national_rewards", "special_support", "extended_rewards"]
operator = "="
right = "rewarded"
importance = "high"
description.en = "The schemes add up to all persons rewarded."
description.zh = "各类奖扶人数之和等于奖扶总人数"
"""


def rule(**changes: Any) -> Rule:
    fields: dict[str, Any] = dict(id="r", left="deaths", operator="<=", right="births", description=TEXT)
    fields.update(changes)
    return Rule(**fields)


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, *texts: str) -> list[Rule]:
    paths = [write(tmp_path, text, f"rules{n}.toml") for n, text in enumerate(texts)]
    return load_validation_rules(*paths, include_bundled=False, catalog=CATALOG)


# -- checking counts ------------------------------------------------------------


def test_parts_sum_to_their_total(tmp_path: Path) -> None:
    rules = load(tmp_path, RULES)
    # "5068人(国家奖扶2568人, 特扶953人, 奖扶扩面1547人)": 2568 + 953 + 1547 = 5068.
    counts = {"national_rewards": 2568, "special_support": 953, "extended_rewards": 1547, "rewarded": 5068}
    assert check_counts(counts, rules, catalog=CATALOG) == []
    [violation] = check_counts({**counts, "rewarded": 5069}, rules, catalog=CATALOG)
    assert violation.rule.id == "rewards_sum" and (violation.left, violation.right) == (5068.0, 5069.0)
    assert violation.positions == () and violation.n_violated == 1
    assert str(violation) == (
        "rewards_sum (high): national_rewards + special_support + extended_rewards = rewarded fails: "
        "5068 != 5069. The schemes add up to all persons rewarded."
    )


def test_every_violated_rule_is_returned_in_rule_order(tmp_path: Path) -> None:
    rules = load(tmp_path, RULES)
    violations = check_counts({"deaths": 5, "managed": 7, "births": 4}, rules, catalog=CATALOG)
    assert [v.rule.id for v in violations] == ["deaths_within_births", "managed_within_births"]
    assert [v.rule.importance for v in violations] == [Importance.HIGH, Importance.MEDIUM]
    assert check_counts({"deaths": 2, "managed": 4, "births": 4}, rules, catalog=CATALOG) == []


def test_rules_with_absent_terms_are_skipped(tmp_path: Path) -> None:
    rules = load(tmp_path, RULES)
    assert check_counts({"deaths": 5}, rules, catalog=CATALOG) == []
    assert check_counts({}, rules, catalog=CATALOG) == []


def test_arrays_report_the_violated_positions() -> None:
    deaths = np.array([[0, 3], [1, 9]])
    [violation] = check_counts({"deaths": deaths, "births": [4, 2]}, [rule()], catalog=CATALOG)
    assert violation.positions == ((0, 1), (1, 1)) and violation.n_violated == 2
    assert violation.mask.tolist() == [[False, True], [False, True]]
    assert violation.right.tolist() == [[4.0, 2.0], [4.0, 2.0]]
    assert "fails: at 2 of 4 positions: (0, 1): 3 > 2; (1, 1): 9 > 2." in str(violation)


def test_long_lists_of_positions_are_cut_short() -> None:
    deaths = np.arange(20)
    [violation] = check_counts({"deaths": deaths, "births": 10}, [rule()], catalog=CATALOG)
    assert violation.n_violated == 9
    assert str(violation).count(" > 10") == rules_module.SHOWN_POSITIONS
    assert "; and 4 more." in str(violation)


def test_missing_counts_are_never_violations() -> None:
    assert check_counts({"deaths": [np.nan, 3], "births": [1, np.nan]}, [rule()], catalog=CATALOG) == []
    assert check_counts({"deaths": float("nan"), "births": 1}, [rule()], catalog=CATALOG) == []


def test_equality_tolerates_floating_point_sums() -> None:
    parts = rule(left=["deaths", "managed"], operator="=", right="births")
    assert check_counts({"deaths": 0.1, "managed": 0.2, "births": 0.3}, [parts], catalog=CATALOG) == []
    assert len(check_counts({"deaths": 0.1, "managed": 0.2, "births": 0.31}, [parts], catalog=CATALOG)) == 1


@pytest.mark.parametrize(
    ("operator", "holds"),
    [("<=", [True, True, False]), ("<", [True, False, False]), ("=", [False, True, False]),
     (">=", [False, True, True]), (">", [False, False, True])],
)
def test_each_operator_by_hand(operator: str, holds: list[bool]) -> None:
    # deaths against births: 1 vs 2, 2 vs 2, 3 vs 2.
    violations = check_counts({"deaths": [1, 2, 3], "births": 2}, [rule(operator=operator)], catalog=CATALOG)
    broken = violations[0].mask.tolist() if violations else [False, False, False]
    assert broken == [not h for h in holds]


whole = st.integers(0, 10**6)


@given(
    hnp.arrays(np.int64, st.integers(1, 30), elements=whole),
    st.data(),
    st.sampled_from(list(Operator)),
)
def test_agrees_with_exact_integer_arithmetic(left: np.ndarray, data: st.DataObject, operator: Operator) -> None:
    extra = data.draw(hnp.arrays(np.int64, left.shape, elements=whole))
    right = data.draw(hnp.arrays(np.int64, left.shape, elements=whole))
    parts = rule(left=["deaths", "managed"], operator=operator.value, right="births")
    violations = check_counts({"deaths": left, "managed": extra, "births": right}, [parts], catalog=CATALOG)
    compare = {"<=": int.__le__, "<": int.__lt__, "=": int.__eq__, ">=": int.__ge__, ">": int.__gt__}[operator.value]
    expected = [
        (i,) for i in range(left.size) if not compare(int(left[i]) + int(extra[i]), int(right[i]))
    ]
    assert (violations[0].positions if violations else []) == (tuple(expected) if expected else [])


def test_unknown_terms_in_counts_are_errors_with_close_matches() -> None:
    with pytest.raises(UnknownTermError, match=r"no term named 'death'; did you mean 'deaths'") as caught:
        check_counts({"death": 3, "births": 2}, [rule()], catalog=CATALOG)
    assert isinstance(caught.value, LookupError) and caught.value.suggestions[0] == "deaths"
    # Terms of the catalog that no rule uses are fine; so are terms only a rule knows.
    assert check_counts({"places": 3}, [rule()], catalog=CATALOG) == []
    assert check_counts({"a": 1, "b": 2}, [rule(left="a", right="b")], catalog=CATALOG) == []


def test_counts_must_be_numbers_that_broadcast() -> None:
    for bad in [True, ["3"], [None, 1]]:
        with pytest.raises(InvalidCountsError, match="deaths: counts must be"):
            check_counts({"deaths": bad, "births": 2}, [rule()], catalog=CATALOG)
    with pytest.raises(InvalidCountsError, match=r"r: counts shapes do not broadcast together: deaths \(2,\), births \(3,\)"):
        check_counts({"deaths": [1, 2], "births": [1, 2, 3]}, [rule()], catalog=CATALOG)


# -- the model ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"left": []}, "left", "non-empty list"),
        ({"right": 3}, "right", "term id or a non-empty list"),
        ({"left": ["deaths", "deaths"]}, "left", "names a term twice"),
        ({"left": ["deaths", "births"]}, "right", "names births on both sides"),
        ({"left": "Deaths"}, "left", "snake_case"),
        ({"operator": "=="}, "operator", "must be one of <=, <, =, >=, >"),
        ({"importance": "critical"}, "importance", "must be one of high, medium, low"),
    ],
)
def test_malformed_rules_are_rejected(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message) as caught:
        rule(**changes)
    assert caught.value.field == field


def test_rules_describe_themselves() -> None:
    parts = rule(left=["deaths", "managed"], operator="=", right="births")
    assert str(parts) == "deaths + managed = births" and parts.terms == ("deaths", "managed", "births")
    assert parts.importance is Importance.MEDIUM
    assert set(OPERATORS) == set(Operator)


# -- rule files ----------------------------------------------------------------------


def _broken(old: str, new: str) -> str:
    assert old in RULES, old
    return RULES.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_broken('left = "deaths"', 'left = "death"'), r"rules0\.toml: deaths_within_births\.left: unknown term 'death'; did you mean deaths"),
        (_broken('right = "rewarded"', 'right = "reward"'), r"rewards_sum\.right: unknown term 'reward'"),
        (_broken('operator = "="', 'operator = "=="'), r"rewards_sum\.operator: must be one of"),
        (_broken('importance = "high"', 'importance = "urgent"'), r"deaths_within_births\.importance: must be one of high, medium, low"),
        (_broken('importance = "high"', 'importanse = "high"'), r"deaths_within_births\.importanse: unknown field \(did you mean 'importance'\?\)"),
        (_broken('description.zh = "孕产妇死亡数不应超过活产数"\n', ""), r"deaths_within_births\.zh: is required"),
        (_broken('right = "births"', 'right = "amount"'), r"deaths_within_births\.right: terms in different units cannot be compared: deaths \(count\), amount \(wan_yuan\)"),
        (_broken('left = ["managed"]', 'left = ["births"]'), r"managed_within_births\.right: names births on both sides"),
        (RULES + "\n[extra]\n", r"rules0\.toml: unknown top-level key 'extra'"),
        (RULES + "\n[rules.deaths_within_births]\n", r"rules0\.toml: not valid TOML"),
    ],
)
def test_rule_file_errors_name_file_id_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load(tmp_path, text)


def test_duplicate_rule_ids_name_both_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"rules1\.toml: deaths_within_births: already defined in .*rules0\.toml"):
        load(tmp_path, RULES, RULES)
    with pytest.raises(CatalogError, match=r"missing\.toml: cannot be read"):
        load_validation_rules(tmp_path / "missing.toml", include_bundled=False, catalog=CATALOG)


def test_user_rules_load_next_to_the_bundled_ones(tmp_path: Path) -> None:
    text = """
[rules.screened_within_mothers]
left = "hearing_screened_newborns"
operator = "<="
right = "women_giving_birth"
importance = "low"
description = { en = "Screened newborns rarely exceed mothers.", zh = "听力筛查数一般不超过产妇数" }
"""
    loaded = load_validation_rules(write(tmp_path, text, "local.toml"))
    assert loaded[-1].id == "screened_within_mothers"
    assert [r.id for r in loaded[:-1]] == [r.id for r in validation_rules()]
    [violation] = check_counts({"hearing_screened_newborns": 12, "women_giving_birth": 10}, loaded[-1:])
    assert violation.rule.importance is Importance.LOW


def test_bundled_rules_are_read_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = rules_module.load_validation_rules

    def counting() -> list[Rule]:
        calls.append(1)
        return real()

    monkeypatch.setattr(rules_module, "_bundled", Once(counting))
    barrier = threading.Barrier(8)
    seen: list[list[Rule]] = []

    def worker() -> None:
        barrier.wait()
        seen.append(rules_module.validation_rules())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and all(s == seen[0] for s in seen)


# -- the bundled rules -----------------------------------------------------------------


def test_bundled_rules_use_catalog_terms_and_describe_themselves() -> None:
    terms = bundled_catalog().terms
    loaded = validation_rules()
    assert len(loaded) >= 25 and len({r.id for r in loaded}) == len(loaded)
    for bundled in loaded:
        assert set(bundled.terms) <= set(terms), bundled.id
        assert bundled.description.en.strip() and bundled.description.zh.strip()
        assert len({terms[t].unit for t in bundled.terms}) == 1


def test_bundled_rules_hold_on_the_seed_counts() -> None:
    # Seed [000]: 2067 systematically managed of 2164 women giving birth; 2158
    # live births, 2 maternal deaths, 23 infant deaths (DOMAIN.md).
    counts = {"systematically_managed_mothers": 2067, "women_giving_birth": 2164, "live_births": 2158,
              "maternal_deaths": 2, "infant_deaths": 23}
    assert check_counts(counts) == []


def test_bundled_rules_catch_impossible_counts() -> None:
    counts = {"neonatal_deaths": [1, 4], "infant_deaths": [3, 2], "under5_deaths": [5, 1],
              "male_live_births": [510, 500], "female_live_births": [490, 480], "live_births": [1000, 990]}
    found = {v.rule.id: v.positions for v in check_counts(counts)}
    assert found == {
        "neonatal_deaths_within_infant_deaths": ((1,),),
        "infant_deaths_within_under5_deaths": ((1,),),
        "births_by_sex_sum_to_live_births": ((1,),),
    }
    assert all(isinstance(v, Violation) for v in check_counts(counts))
