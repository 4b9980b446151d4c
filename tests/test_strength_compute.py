"""Count → value: every route gives the scalar bits, for every kind, unit scale
(above and below 1) and interval multiplier. The paths the mutation run of
../shared/TEST_STRENGTH.md found untested (C01, C02, C04, C05): terms in
money units, scales below 1 on the broadcast route, 0-d arrays of a count.

Expected values come from the unit arithmetic written next to each case
(1 万元 = 10 000 元) or from the scalar route.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from phindicators import Catalog, compute
from phindicators.compute import Result, value_scale
from tests.conftest import TINY

MONEY = """
[terms.spent_yuan]
name_en = "amount spent"
name_zh = "支出金额"
unit = "yuan"

[terms.budget_wan]
name_en = "budget"
name_zh = "预算"
unit = "wan_yuan"

[indicators.spent_per_budget]
name_en = "Spent per budget"
name_zh = "支出占预算"
domain = "other"
definition = { en = "Spent (yuan) / budget (万元).", zh = "支出金额/预算×100%" }
numerator = "spent_yuan"
denominator = "budget_wan"
kind = "ratio"
unit = "percent"
decimals = 1
polarity = "no_judgement"
source = "spec"

[indicators.mean_wan]
name_en = "Mean amount in 万元"
name_zh = "人均支出(万元)"
domain = "other"
definition = { en = "Spent (yuan) per beneficiary, in 万元.", zh = "支出金额/补助人数" }
numerator = "spent_yuan"
denominator = "beneficiaries"
kind = "mean"
unit = "wan_yuan"
decimals = 4
polarity = "no_judgement"
source = "spec"

[indicators.total_amount]
name_en = "Total amount"
name_zh = "补助总额"
domain = "other"
definition = { en = "Amount (万元), in yuan.", zh = "补助金额" }
numerator = "amount"
kind = "count"
unit = "yuan"
decimals = 0
polarity = "no_judgement"
source = "spec"

[indicators.total_wan]
name_en = "Total spent in 万元"
name_zh = "支出总额(万元)"
domain = "other"
definition = { en = "Spent (yuan), in 万元.", zh = "支出金额" }
numerator = "spent_yuan"
kind = "count"
unit = "wan_yuan"
decimals = 4
polarity = "no_judgement"
source = "spec"
"""

CATALOG = Catalog.from_toml(TINY + MONEY)


def _money(id: str) -> object:
    return CATALOG.get(id)


# ------------------------------------------------ money terms, by hand


def test_a_denominator_in_wan_yuan_divides_by_10000() -> None:
    # C01: 5000 元 per 1 万元 = 5000 / 10 000 = 50 %.
    ratio = CATALOG.get("spent_per_budget")
    assert value_scale(ratio) == 0.01  # 1 / 10 000 × 100
    assert compute(ratio, 5000, 1).value == pytest.approx(50.0, rel=1e-15)
    assert compute(ratio, np.array([5000.0]), np.array([1.0])).value.tolist() == pytest.approx([50.0])


def test_a_count_of_money_converts_to_its_unit_on_every_route() -> None:
    # C02, C05: 3 万元 is 30 000 元; 20 000 元 is 2 万元.
    total, total_wan = CATALOG.get("total_amount"), CATALOG.get("total_wan")
    for value in (3, 3.0, np.array(3.0), np.array([3.0]), np.array([[3.0]])):
        assert np.all(compute(total, value).value == 30000.0)
        assert np.all(compute(total_wan, value * 10000).value == 3.0)


def test_a_mean_with_a_scale_below_1_on_the_broadcast_route() -> None:
    # C04: 20 000 元 over 4 people = 5 000 元 = 0.5 万元, however shaped.
    mean = CATALOG.get("mean_wan")
    assert value_scale(mean) == 1e-4
    assert compute(mean, 20000.0, 4).value == 0.5
    assert compute(mean, np.array([20000.0]), 4).value.tolist() == [0.5]
    assert compute(mean, 20000.0, np.array([4, 4])).value.tolist() == [0.5, 0.5]
    assert compute(mean, np.array([20000.0, 40000.0]), np.array([4, 4])).value.tolist() == [0.5, 1.0]
    assert compute(mean, np.array(20000.0), np.array(4)).value == 0.5


# ------------------------------------------- every route: the scalar bits


def _bits(value: object) -> bytes:
    return np.asarray(value, dtype=np.float64).tobytes()


def _fields(result: Result) -> list[object]:
    fields: list[object] = [result.value]
    for interval in result.intervals:
        fields += [interval.lower, interval.upper]
    return fields


def _routes(indicator: object, num: float, den: float | None) -> list[tuple[str, Result]]:
    def run(n: object, d: object) -> Result:
        return compute(indicator, n, d, confidence=(0.95, 99.8))  # type: ignore[arg-type]

    if den is None:
        return [("array", run(np.array([num, num]), None)), ("0-d", run(np.array(num), None)),
                ("2-d", run(np.array([[num]]), None))]
    return [
        ("block", run(np.array([num, num]), np.array([den, den]))),
        ("broadcast numerator", run(np.array([num, num]), den)),
        ("broadcast denominator", run(num, np.array([den, den]))),
        ("0-d", run(np.array(num), np.array(den))),
        ("2-d", run(np.array([[num]]), np.array([[den]]))),
    ]


RATIOS = ["managed_rate", "death_ratio", "places_per_1000", "mean_amount", "spent_per_budget", "mean_wan"]
COUNTS = ["death_count", "total_amount", "total_wan"]


@given(st.sampled_from(RATIOS), st.integers(0, 10**6), st.integers(1, 10**6))
@example("mean_wan", 20000, 4)  # C04: a scale below 1, broadcast
@example("spent_per_budget", 5000, 1)  # C01: a denominator not in count
@example("managed_rate", 81, 263)
@example("death_ratio", 2, 2158)  # exact Poisson below 10 events
@example("death_ratio", 12, 2158)  # Byar's from 10
def test_every_route_gives_the_scalar_bits(indicator_id: str, num: int, den: int) -> None:
    indicator = CATALOG.get(indicator_id)
    if indicator.kind == "proportion":
        num = min(num, den)
    one = compute(indicator, num, den, confidence=(0.95, 99.8))
    for route, many in _routes(indicator, float(num), float(den)):
        got, want = _fields(many), _fields(one)
        assert len(got) == len(want), route
        for g, w in zip(got, want, strict=True):
            assert {_bits(v) for v in np.asarray(g).reshape(-1)} == {_bits(w)}, (route, indicator_id)


@given(st.sampled_from(COUNTS), st.integers(0, 10**6))
@example("total_amount", 3)  # C02/C05: scale 10 000 on a 0-d array
@example("total_wan", 20000)  # a scale below 1
@example("death_count", 4)
def test_every_route_of_a_count_gives_the_scalar_bits(indicator_id: str, num: int) -> None:
    indicator = CATALOG.get(indicator_id)
    one = compute(indicator, num, confidence=(0.95, 99.8))
    for route, many in _routes(indicator, float(num), None):
        for g, w in zip(_fields(many), _fields(one), strict=True):
            assert {_bits(v) for v in np.asarray(g).reshape(-1)} == {_bits(w)}, (route, indicator_id)


def test_dask_gives_the_numpy_bits_for_money_and_counts() -> None:
    da = pytest.importorskip("dask.array")
    num = np.array([0.0, 3.0, 20000.0, 5000.0])
    den = np.array([1.0, 4.0, 4.0, 1.0])
    for indicator_id in RATIOS + COUNTS:
        indicator = CATALOG.get(indicator_id)
        d = None if indicator.kind == "count" else den
        n = np.minimum(num, den) if indicator.kind == "proportion" else num
        eager = compute(indicator, n, d)
        lazy = compute(indicator, da.from_array(n, chunks=2), None if d is None else da.from_array(d, chunks=2))
        for g, w in zip(_fields(lazy), _fields(eager), strict=True):
            assert _bits(g.compute()) == _bits(w), indicator_id  # type: ignore[union-attr]


def test_results_with_nan_values_compare_equal() -> None:
    # A Result equals itself even where a value is NaN (an empty band, say).
    indicator = CATALOG.get("managed_rate")
    one = Result(indicator, 0.0, 0.0, float("nan"), "percent")
    assert one == Result(indicator, 0.0, 0.0, float("nan"), "percent")
    many = Result(indicator, np.array([0.0, 1.0]), np.array([0.0, 2.0]), np.array([np.nan, 50.0]), "percent")
    assert many == Result(indicator, np.array([0.0, 1.0]), np.array([0.0, 2.0]), np.array([np.nan, 50.0]), "percent")
    assert many != Result(indicator, np.array([0.0, 1.0]), np.array([0.0, 2.0]), np.array([np.nan, 51.0]), "percent")


def test_with_confidence_keeps_the_period() -> None:
    result = compute(CATALOG.get("managed_rate"), 81, 263, period="2023年")
    assert result.with_confidence(0.998).period == result.period
    assert result.with_confidence(None).intervals == ()


def test_dask_results_carry_everything_the_numpy_ones_do() -> None:
    da = pytest.importorskip("dask.array")
    indicator = CATALOG.get("managed_rate")
    num, den = np.array([1, 2, 3, 81]), np.array([5, 5, 9, 263])
    eager = compute(indicator, num, den, confidence=(0.95, 0.998), period="2023年")
    lazy = compute(indicator, da.from_array(num, chunks=2), da.from_array(den, chunks=2), confidence=(0.95, 0.998),
                   period="2023年")
    assert lazy.indicator is indicator and lazy.period == eager.period and lazy.unit == eager.unit
    assert np.array_equal(lazy.numerator.compute(), num) and np.array_equal(lazy.denominator.compute(), den)
    assert [i.confidence for i in lazy.intervals] == [0.95, 0.998]
    for g, w in zip(_fields(lazy), _fields(eager), strict=True):
        assert _bits(g.compute()) == _bits(w)  # type: ignore[union-attr]


def test_a_bad_chunk_names_its_position_in_the_whole_array() -> None:
    da = pytest.importorskip("dask.array")
    from phindicators import InvalidCountsError

    indicator = CATALOG.get("managed_rate")
    lazy = compute(indicator, da.from_array(np.array([1, 2, 3, -1]), chunks=2), da.from_array(np.full(4, 5), chunks=2))
    with pytest.raises(InvalidCountsError, match=r"^managed_rate: numerator is negative .*\(3,\): numerator=-1"):
        lazy.value.compute()


def test_pandas_series_pair_by_label() -> None:
    pd = pytest.importorskip("pandas")
    indicator = CATALOG.get("managed_rate")
    # a: 1 of 5 = 20 %, b: 2 of 20 = 10 % (by position it would be 5 % and 40 %).
    result = compute(indicator, pd.Series([1, 2], index=["a", "b"]), pd.Series([20, 5], index=["b", "a"]),
                     period="2023年")
    assert result.value.tolist() == [20.0, 10.0]
    assert list(result.index) == ["a", "b"] and result.period is not None and str(result.period) == "2023年"
    assert result.numerator.tolist() == [1.0, 2.0] and result.denominator.tolist() == [5.0, 20.0]


def test_the_broadcast_route_keeps_the_denominator() -> None:
    result = compute(CATALOG.get("mean_wan"), np.array([20000.0, 40000.0]), 4)
    assert np.all(np.asarray(result.denominator) == 4)


@pytest.mark.parametrize(("num", "den", "field"), [([[1, 2], [3]], [[4, 5], [6]], "numerator"),
                                                   ([1, 2], [[4, 5], [6]], "denominator")])
def test_ragged_counts_name_their_field(num: object, den: object, field: str) -> None:
    from phindicators import InvalidCountsError

    with pytest.raises(InvalidCountsError, match=rf"^managed_rate: {field} is not a rectangular array"):
        compute(CATALOG.get("managed_rate"), num, den)


def test_interval_methods_a_kind_refuses_are_named() -> None:
    from phindicators.errors import InvalidOptionError

    with pytest.raises(InvalidOptionError, match=r"none \(an amount of money is not a count of events\)"):
        compute(CATALOG.get("spent_per_budget"), 1, 2, method="exact")
    with pytest.raises(InvalidOptionError, match=r"none \(no interval for this kind\)"):
        compute(CATALOG.get("mean_amount"), 1, 2, method="exact")
    with pytest.raises(Exception, match=r"no 0.95 interval attached \(attached: none\)"):
        compute(CATALOG.get("managed_rate"), 1, 2, confidence=None).interval(0.95)


@pytest.mark.parametrize("method", ["wilson", "clopper_pearson"])
def test_proportion_methods_give_the_scalar_bits_on_blocks(method: str) -> None:
    indicator = CATALOG.get("managed_rate")
    num, den = np.array([0, 1, 81, 20]), np.array([20, 1, 263, 20])
    many = compute(indicator, num, den, method=method)
    for i in range(4):
        one = compute(indicator, int(num[i]), int(den[i]), method=method)
        assert (_bits(many.lower[i]), _bits(many.upper[i])) == (_bits(one.lower), _bits(one.upper))


def test_empty_whole_arrays_and_huge_whole_counts() -> None:
    indicator = CATALOG.get("managed_rate")
    empty = compute(indicator, np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    assert empty.value.shape == empty.lower.shape == (0,)
    # Whole counts above 2**40 take the clipped kernel: limits stay in order.
    n = np.array([2**52, 2**52 - 1, 2**45, 2**41 + 1], dtype=np.int64)
    result = compute(indicator, n - 1, n)
    assert np.all(result.lower <= result.value) and np.all(result.value <= result.upper)
    assert np.all(result.upper <= 100.0)
