"""Regression tests for the robustness findings of issue 15
(/work/shared/ROBUSTNESS_FINDINGS.md): each test names its finding, and
each fails on the code before the fix (the docstring says how).

Expected numbers come from the counts by hand (5/10 = 50 %), never from
the code under test.
"""

from __future__ import annotations

import math
import time
import warnings
from typing import Any

import numpy as np
import pytest

import phindicators as ph
from phindicators import Catalog
from phindicators.compute import interval_methods
from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.pooling import pool
from phindicators.stats import z_value
from tests.conftest import TINY

MANAGED = "maternal_systematic_management_rate"

# A user catalog over money: a completion (资金到位率) and a density of money
# per money, the F4/F5 reproductions.
MONEY = """
[terms.budget]
name_en = "budgeted funds"
name_zh = "预算资金"
unit = "wan_yuan"

[terms.paid_yuan]
name_en = "funds paid"
name_zh = "到位资金"
unit = "yuan"

[terms.budget_yuan]
name_en = "budgeted funds"
name_zh = "预算资金（元）"
unit = "yuan"

[indicators.funds_completion]
name_en = "Funds in place"
name_zh = "资金到位率"
domain = "other"
definition = { en = "Funds paid / funds budgeted.", zh = "到位资金/预算资金×100%" }
numerator = "amount"
denominator = "budget"
kind = "completion"
unit = "percent"
decimals = 2
polarity = "high_is_good"
source = "spec"

[indicators.funds_completion_yuan]
name_en = "Funds in place (yuan)"
name_zh = "资金到位率（元）"
domain = "other"
definition = { en = "Funds paid / funds budgeted.", zh = "到位资金/预算资金×100%" }
numerator = "paid_yuan"
denominator = "budget_yuan"
kind = "completion"
unit = "percent"
decimals = 2
polarity = "high_is_good"
source = "spec"

[indicators.funds_density]
name_en = "Funds density"
name_zh = "资金密度"
domain = "other"
definition = { en = "Funds per thousand of budget.", zh = "补助金额/预算资金×1000" }
numerator = "amount"
denominator = "budget"
kind = "density"
unit = "per_thousand"
decimals = 2
polarity = "no_judgement"
source = "spec"
"""


@pytest.fixture(scope="module")
def money() -> Catalog:
    return Catalog.from_toml(TINY + MONEY)


# ------------------------------------------------------------------ F2


def test_f2_a_reused_buffer_does_not_change_a_result() -> None:
    """F2: before the fix the result kept the caller's array, so after
    ``n[:] = [10, 10]`` its numerator read [10, 10] and pool gave 100 %."""
    n, d = np.array([5, 9]), np.array([10, 10])
    result = ph.get(MANAGED).compute(n, d)
    n[:] = [10, 10]
    d[:] = [20, 20]
    assert result.numerator.tolist() == [5, 9]
    assert result.denominator.tolist() == [10, 10]
    assert pool(result).value == pytest.approx(14 / 20 * 100)
    wider = result.with_confidence(0.99)
    assert np.all(wider.lower <= result.value) and np.all(result.value <= wider.upper)


@pytest.mark.parametrize(
    "counts",
    [
        (np.array([5.0, 9.0]), np.array([10.0, 10.0])),  # float64: the block path
        (np.array([[5], [9]]), np.array([10, 20])),  # broadcast: the validate path
    ],
    ids=["float64 blocks", "broadcast"],
)
def test_f2_every_route_keeps_counts_of_its_own_read_only(counts: tuple[np.ndarray, np.ndarray]) -> None:
    """F2: float64 arrays were kept as given (views of the caller's buffer)."""
    n, d = counts
    result = ph.get(MANAGED).compute(n, d)
    assert not np.shares_memory(result.numerator, n)
    assert not np.shares_memory(result.denominator, d)
    with pytest.raises(ValueError, match="read-only"):
        result.numerator[...] = 0


# ------------------------------------------------------------------ F3


def test_f3_series_pair_by_label() -> None:
    """F3: the Series were paired by position (25 %, 90 %)."""
    pd = pytest.importorskip("pandas")
    num = pd.Series([5, 9], index=["甲县", "乙县"])
    den = pd.Series([20, 10], index=["乙县", "甲县"])
    assert ph.get(MANAGED).compute(num, den).value.tolist() == [50.0, 45.0]


@pytest.mark.parametrize(
    "den_index", [["甲县", "丙县"], ["甲县", "甲县"]], ids=["other labels", "repeated label"]
)
def test_f3_series_of_other_labels_are_refused(den_index: list[str]) -> None:
    pd = pytest.importorskip("pandas")
    num = pd.Series([5, 9], index=["甲县", "乙县"])
    den = pd.Series([20, 10], index=den_index)
    with pytest.raises(InvalidCountsError, match="different indexes"):
        ph.get(MANAGED).compute(num, den)


def test_f3_series_of_one_index_still_pair_as_given() -> None:
    pd = pytest.importorskip("pandas")
    value = ph.get(MANAGED).compute(pd.Series([5, 9]), pd.Series([20, 10])).value
    assert value.tolist() == [25.0, 90.0]


# ------------------------------------------------------------------ F4


def test_f4_money_gets_no_poisson_interval(money: Catalog) -> None:
    """F4: 2.5 万元 / 10 万元 got an exact Poisson 4.16 %–80.06 %, the same
    amount in 元 24.69 %–25.31 %: an interval that depends on the currency."""
    in_wan = money.get("funds_completion").compute(2.5, 10)
    in_yuan = money.get("funds_completion_yuan").compute(25_000, 100_000)
    assert in_wan.value == in_yuan.value == 25.0
    assert in_wan.intervals == () and in_yuan.intervals == ()
    assert interval_methods(money.get("funds_density")) == ()
    with pytest.raises(InvalidOptionError, match="amount of money is not a count"):
        money.get("funds_completion").compute(2.5, 10, method="exact")


def test_f4_a_bundled_share_of_money_gets_no_binomial_interval() -> None:
    """F4, bundled: a Wilson interval on 元 treated 元 as people."""
    result = ph.get("oop_share_of_health_expenditure").compute(30, 100)
    assert result.value == 30.0 and result.intervals == ()


def test_f4_counts_of_events_keep_their_intervals() -> None:
    assert ph.get("infant_mortality_rate").compute(23, 2158).method == "byar"
    assert ph.get(MANAGED).compute(2067, 2164).method == "wilson"


# ------------------------------------------------------------------ F5, F13


@pytest.mark.parametrize(
    "counts",
    [(1.0, 1e-306), (np.array([1.0]), np.array([1e-306])), (np.array([1.0, 2.0]), np.array([[1e-306], [1.0]]))],
    ids=["numbers", "blocks", "broadcast"],
)
def test_f5_a_tiny_money_denominator_is_refused_not_infinite(money: Catalog, counts: Any) -> None:
    """F5: value inf, display ∞/千, with overflow warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InvalidCountsError, match="denominator is between 0 and 1e-06"):
            money.get("funds_density").compute(*counts)


def test_f5_ordinary_money_still_computes(money: Catalog) -> None:
    assert money.get("funds_density").compute(1, 2.5).value == pytest.approx(1 / 2.5 * 1000)


def test_f13_no_overflow_warning_before_the_library_error() -> None:
    """F13: RuntimeWarning 'overflow encountered in divide' escaped first."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InvalidCountsError, match="denominator is not a whole number"):
            ph.get("inpatient_reimbursement_per_beneficiary").compute(np.array([1.0]), np.array([5e-324]))


def test_values_are_never_infinite_at_the_extremes(money: Catalog) -> None:
    # The largest exact numerator over the smallest accepted denominator.
    value = money.get("funds_density").compute(2.0**53 - 1, 1e-6).value
    assert math.isfinite(value)


# ------------------------------------------------------------------ F6


@pytest.mark.skipif(np.finfo(np.longdouble).nmant <= 52, reason="no extended precision here")
def test_f6_extended_floats_are_checked_before_rounding() -> None:
    """F6: 5 + 2**-60 as float128 was rounded to 5 and accepted (50 %)."""
    x = np.array([5], np.longdouble) + np.longdouble(2) ** -60
    with pytest.raises(InvalidCountsError, match=r"numerator is not a whole number .*numerator=5\.0000000000000000"):
        ph.get(MANAGED).compute(x, np.array([10], np.longdouble))
    third = np.array([np.longdouble(1) / 3])
    with pytest.raises(InvalidCountsError, match="not representable exactly as a float"):
        ph.get("inpatient_reimbursement_per_beneficiary").compute(third, [1])
    big = np.array([2**53 + 1], np.longdouble)
    with pytest.raises(InvalidCountsError, match="numerator=9007199254740993") as caught:
        ph.get(MANAGED).compute(big, np.array([2**60], np.longdouble))
    assert "too large" in str(caught.value) and "rounding" not in str(caught.value)


def test_f6_extended_floats_that_are_exact_compute() -> None:
    value = ph.get(MANAGED).compute(np.array([5], np.longdouble), np.array([10], np.longdouble)).value
    assert value.tolist() == [50.0]


# ------------------------------------------------------------------ F8, F9


@pytest.mark.parametrize("level", [0.9999999999999999, 99.99999999999999])
def test_f8_the_top_levels_work(level: float) -> None:
    """F8: statistics.StatisticsError (inv_cdf of 1.0)."""
    result = ph.get("infant_mortality_rate").compute(23, 2158, confidence=level)
    assert result.lower < result.value < result.upper


def test_f8_z_is_precise_near_one() -> None:
    """z from the tail: scipy's ndtri of (1 - level) / 2 is the reference
    (0.5 + level / 2 was off by 3.8e-11 relative at 0.9999999)."""
    special = pytest.importorskip("scipy.special")
    for level in (0.95, 0.998, 0.9999999, 0.9999999999999999):
        assert z_value(level) == pytest.approx(-special.ndtri((1 - level) / 2), rel=1e-15)


def test_f9_a_0d_array_is_one_level() -> None:
    """F9: TypeError: iteration over a 0-d array."""
    result = ph.get(MANAGED).compute(5, 10, confidence=np.array(0.95))
    assert result.confidence == 0.95
    with pytest.raises(InvalidOptionError):
        ph.get(MANAGED).compute(5, 10, confidence=np.array(True))


# ------------------------------------------------------------------ F10


def test_f10_dask_arrays_of_unknown_chunk_sizes_are_refused() -> None:
    """F10: a bare dask ValueError 'cannot broadcast shape (nan,)'."""
    da = pytest.importorskip("dask.array")
    x = da.from_array(np.array([5, 9, 0, 3]), chunks=2)
    keep = x > 0
    den = da.from_array(np.full(4, 10), chunks=2)
    with pytest.raises(InvalidCountsError, match="unknown chunk sizes"):
        ph.get(MANAGED).compute(x[keep], den[keep])
    known = ph.get(MANAGED).compute(x[keep].compute_chunk_sizes(), den[keep].compute_chunk_sizes())
    assert known.value.compute().tolist() == [50.0, 90.0, 30.0]


def test_f10_dask_shapes_that_do_not_broadcast_are_refused() -> None:
    """F10: a bare dask ValueError 'Chunks do not add up to shape'."""
    da = pytest.importorskip("dask.array")
    with pytest.raises(InvalidCountsError, match="shapes do not broadcast together"):
        ph.get(MANAGED).compute(da.ones(3, dtype=int), da.ones(4, dtype=int))


# ------------------------------------------------------------------ F16, F17, F19


def _text_cases() -> list[Any]:
    cases: list[Any] = [np.array(["5"]), np.array(["5"], dtype=object), "5", np.array([b"5"])]
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a test dependency
        return cases
    return [*cases, pd.Series(["5"], dtype="string"), pd.Series(["5"], dtype="category")]


@pytest.mark.parametrize("text", _text_cases(), ids=lambda c: type(c).__name__ + str(getattr(c, "dtype", "")))
def test_f16_text_counts_get_one_message(text: Any) -> None:
    """F16: <U1 arrays were read as 5 (50 %), object arrays refused as
    'not representable exactly as a float'."""
    with pytest.raises(InvalidCountsError, match=r"numerator must be numbers, got text b?'5'"):
        ph.get(MANAGED).compute(text, [10])


@pytest.mark.parametrize(("counts", "where"), [((None, 10), "got numerator=None"), (([5, None], 10), r"\(1,\): numerator=None")])
def test_f17_none_is_named_as_none(counts: Any, where: str) -> None:
    """F17: 'numerator is NaN or infinite (got numerator=nan)'."""
    with pytest.raises(InvalidCountsError, match=rf"numerator is missing \(None\).*{where}") as caught:
        ph.get(MANAGED).compute(*counts)
    assert "nan" not in str(caught.value)


def test_f19_a_count_too_large_is_shown_as_given() -> None:
    """F19: 2**53 + 1 was shown as 9007199254740992."""
    with pytest.raises(InvalidCountsError, match="numerator=9007199254740993"):
        ph.get(MANAGED).compute(np.array([2**53 + 1], dtype=object), np.array([2**60], dtype=object))


# ------------------------------------------------------------------ F11 (quickly refused)


def test_exact_checks_stay_fast_on_large_object_arrays() -> None:
    # The text and None scans are one pass over the elements.
    counts = np.arange(200_000, dtype=object)
    start = time.perf_counter()
    ph.get(MANAGED).compute(counts, counts + 1)
    assert time.perf_counter() - start < 5


# ------------------------------------------------------------------ F11, F19 (target files)

TARGET_FILE = """[target_set]
id = "p"
name_zh = "规划"
name_en = "plan"
version = "2011"
source = "children_outline_2011"

[targets.t1]
indicator = "maternal_mortality_ratio"
unit = "per_hundred_thousand"
"""


@pytest.mark.parametrize("change", ["1e99999999", "1e999999", "-1/1e99999999", "1" * 5000])
def test_f11_absurd_exponents_in_target_files_are_refused_quickly(tmp_path: Any, change: str) -> None:
    """F11: Fraction("1e99999999") built 10**99999999 (over 60 s); F19:
    "1e999999" gave "invalid Target: integer division result too large for
    a float", naming no field."""
    path = tmp_path / "t.toml"
    path.write_text(TARGET_FILE + f'comparator = "relative_change"\nchange = "{change}"\n', encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ph.CatalogError, match=r"t1\.change: must be a non-zero fraction"):
        ph.load_target_sets(path)
    assert time.perf_counter() - started < 2


def test_f19_a_threshold_too_large_for_a_float_names_its_field(tmp_path: Any) -> None:
    """F19: a 400-digit threshold gave "invalid Target: int too large to
    convert to float", naming no field."""
    path = tmp_path / "t.toml"
    path.write_text(TARGET_FILE + 'comparator = "<="\nthreshold = ' + "9" * 400 + "\n", encoding="utf-8")
    with pytest.raises(ph.CatalogError, match=r"t1\.threshold: must be a finite number .*about 10\*\*\d+"):
        ph.load_target_sets(path)


def test_f19_an_out_of_range_threshold_is_shown_as_given(tmp_path: Any) -> None:
    """F19: threshold 100.0000001 was shown as "100 percent is outside [0, 100]"."""
    path = tmp_path / "t.toml"
    text = TARGET_FILE.replace("maternal_mortality_ratio", "maternal_systematic_management_rate").replace(
        "per_hundred_thousand", "percent"
    )
    path.write_text(text + 'comparator = ">="\nthreshold = 100.0000001\n', encoding="utf-8")
    with pytest.raises(ph.CatalogError, match=r"100\.0000001 percent is outside the valid range"):
        ph.load_target_sets(path)


def test_fractions_as_plans_write_them_still_load(tmp_path: Any) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TARGET_FILE + 'comparator = "relative_change"\nchange = "-1/4"\n', encoding="utf-8")
    (target,) = [t for s in ph.load_target_sets(path) if s.id == "p" for t in s.targets]
    assert target.change == -0.25


# ------------------------------------------------------------------ what an app developer runs into


def test_as_dict_is_compact_and_json_ready() -> None:
    import json

    from phindicators.targets import target_set

    result = ph.get("maternal_mortality_ratio").compute(2, 2158)
    [plan] = target_set("women_outline_2011").for_indicator("maternal_mortality_ratio")
    summary = result.as_dict(plan)
    assert summary["value"] == pytest.approx(2 / 2158 * 100_000)
    assert summary["lower"] < summary["value"] < summary["upper"]
    assert summary["confidence"] == 0.95 and summary["method"] == "exact" and summary["unit"] == "per_hundred_thousand"
    assert summary["display"] == {"zh": "92.68/10万", "en": "92.68 per 100,000 live births"}
    assert summary["status"] == "not_met"  # 92.68 > 20
    assert summary["target"] == "≤20/10万 (中国妇女发展纲要 2011–2020)"
    text = result.to_json()
    assert json.loads(text)["indicator"] == "maternal_mortality_ratio"
    assert len(text.encode("utf-8")) < 1000  # not the 2 KB document with the definition


def test_as_dict_of_arrays_gives_lists_and_none_for_nan() -> None:
    import json

    result = ph.get(MANAGED).compute(np.array([5, 9]), np.array([10, 10]))
    summary = json.loads(result.to_json())
    assert summary["value"] == [50.0, 90.0]
    assert summary["method"] == ["wilson", "wilson"]
    mean = ph.get("inpatient_reimbursement_per_beneficiary").compute(np.array([1.0]), np.array([4]))
    assert mean.as_dict()["lower"] is None and mean.as_dict()["interval"] is None


def test_the_per_row_method_is_available() -> None:
    # Fingertips' rule: exact below 10 events, Byar's from 10.
    result = ph.get("infant_mortality_rate").compute(np.array([0, 9, 10, 23]), np.full(4, 2158))
    assert result.method == "auto"
    assert result.methods.tolist() == ["exact", "exact", "byar", "byar"]
    assert ph.get("infant_mortality_rate").compute(23, 2158).methods == "byar"
    forced = ph.get("infant_mortality_rate").compute(np.array([0, 23]), np.full(2, 2158), method="exact")
    assert forced.methods.tolist() == ["exact", "exact"]


def test_array_results_have_a_useful_repr_and_html() -> None:
    result = ph.get(MANAGED).compute(np.arange(100), np.full(100, 100))
    text = repr(result)
    assert "shape=(100,)" in text and "0.95 interval by 'wilson'" in text and "..." in text
    page = result._repr_html_()
    assert page.count("<tr>") == 21 and "80 more rows" in page and "0.00%" in page


def test_str_of_a_target_reads_like_the_plan() -> None:
    from phindicators.targets import target_set

    [plan] = target_set("women_outline_2011").for_indicator("maternal_mortality_ratio")
    assert str(plan) == "≤20/10万 (中国妇女发展纲要 2011–2020)"


def test_format_result_is_public() -> None:
    assert ph.format_result(ph.get("infant_mortality_rate").compute(23, 2158)) == "10.66‰（95%置信区间 6.75‰–15.99‰）"


@pytest.mark.parametrize(
    ("level", "shown"), [(0.9999999999999999, "99.99999999999999%"), (0.9999995, "99.99995%"), (0.998, "99.8%")]
)
def test_f8_a_top_level_is_not_shown_as_100_percent(level: float, shown: str) -> None:
    """F8: once the top level computed, format_result printed "100%置信区间"."""
    text = ph.format_result(ph.get("infant_mortality_rate").compute(23, 2158, confidence=level))
    assert f"（{shown}置信区间" in text


def test_f4_asking_money_for_an_interval_is_a_library_error() -> None:
    """F4: comparisons that need an interval recompute one with
    with_confidence; on money they now get an InvalidOptionError, never a
    binomial interval on 元 (nor a bare KeyError)."""
    from phindicators.compare import compare_results

    share = ph.get("oop_share_of_health_expenditure")
    with pytest.raises(InvalidOptionError, match="amount of money"):
        share.compute(30, 100).with_confidence(0.99)
    with pytest.raises(InvalidOptionError, match="amount of money"):
        compare_results(share.compute(30, 100), share.compute(40, 100))


def test_f10_the_statistics_refuse_unknown_chunk_sizes_too() -> None:
    """F10 in phindicators.stats: the same bare dask ValueError."""
    da = pytest.importorskip("dask.array")
    from phindicators.stats import proportion_interval

    x = da.from_array(np.array([5, 9, 0, 3]), chunks=2)
    with pytest.raises(InvalidCountsError, match="unknown chunk sizes"):
        proportion_interval(x[x > 0], da.from_array(np.full(4, 10), chunks=2)[x > 0])
    with pytest.raises(InvalidCountsError, match="do not broadcast"):
        proportion_interval(da.ones(3, dtype=int), da.ones(4, dtype=int))


def test_an_empty_text_array_is_refused_as_text_not_with_an_index_error() -> None:
    """Regression (found by the fuzz suite): an empty array of text raised a
    bare IndexError while the message quoted its first element."""
    with pytest.raises(InvalidCountsError, match="must be numbers, got an empty array of text"):
        ph.get("maternal_systematic_management_rate").compute(0, np.array([], dtype="<U1"))
