"""Display for front-ends: numbers in bulk, intervals, counts, status labels."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from phindicators import InvalidOptionError, get
from phindicators.audit import Status
from phindicators.compare import (
    BenchmarkStatus,
    FunnelPosition,
    TargetStatus,
    TrendStatus,
)
from phindicators.display import (
    KIND_LABELS,
    MISSING,
    POLARITY_LABELS,
    SCOPE_LABELS,
    STATUS_LABELS,
    format_count,
    format_interval,
    format_number,
    format_numbers,
    format_result,
    format_status,
    format_value,
    text_width,
)
from phindicators.model import Kind, Polarity
from phindicators.targets import Scope

# -- format_numbers: the bulk path gives exactly format_number's strings ----------------

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
# Decimal ties at every number of places: k + 0.5 units of the last place.
ties = st.builds(
    lambda whole, places: float(Decimal(2 * whole + 1) / 2 / Decimal(10) ** places),
    st.integers(-(10**9), 10**9),
    st.integers(0, 6),
)


@given(
    st.lists(st.one_of(finite, ties, st.sampled_from([math.nan, math.inf, -math.inf, -0.0])), max_size=40),
    st.integers(0, 6),
    st.booleans(),
)
def test_bulk_formatting_equals_formatting_one_by_one(
    values: list[float], decimals: int, grouping: bool
) -> None:
    expected = [format_number(value, decimals, grouping=grouping) for value in values]
    assert format_numbers(np.array(values, dtype=np.float64), decimals, grouping=grouping) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    # Half-up on the printed decimal, worked by hand: 1.005 -> 1.01 although
    # the float is just below 1.005; 2.675 likewise; 0.125 is an exact tie.
    [
        (1.005, 2, "1.01"),
        (2.675, 2, "2.68"),
        (0.125, 2, "0.13"),
        (-2.5, 0, "-3"),
        (1e20, 1, "100000000000000000000.0"),
    ],
)
def test_bulk_formatting_rounds_decimal_ties_up(value: float, decimals: int, text: str) -> None:
    assert format_numbers([value], decimals) == [text]


def test_array_display_is_unchanged_by_the_bulk_path() -> None:
    values = np.array([[95.517, 0.125], [np.nan, 1352.0]])
    shown = format_value(values, "percent", 2, "en")
    assert shown.tolist() == [["95.52%", "0.13%"], [MISSING, "1,352.00%"]]


# -- intervals ------------------------------------------------------------------------


def test_interval_strings_by_hand() -> None:
    assert (
        format_interval(95.5176, 94.5693, 96.3243, "percent", 2, "zh")
        == "95.52%（95%置信区间 94.57%–96.32%）"
    )
    assert format_interval(95.5176, 94.5693, 96.3243, "percent", 2, "en") == "95.52% (95% CI 94.57%–96.32%)"
    # Long units are written once, after the value; the level as given.
    assert (
        format_interval(
            10.658, 6.754, 15.993, "permille", 2, "en", confidence=0.998, denominator="live births"
        )
        == "10.66 per 1,000 live births (99.8% CI 6.75–15.99)"
    )
    assert format_interval(92.678, 11.224, 334.786, "per_hundred_thousand", 2, "zh") == (
        "92.68/10万（95%置信区间 11.22–334.79）"
    )


def test_missing_limits_show_the_value_alone() -> None:
    assert format_interval(1179.0, None, None, "yuan", 0, "zh") == "1179元"
    assert format_interval(1179.0, math.nan, math.nan, "yuan", 0, "en") == "1,179 yuan"
    assert format_interval(math.nan, 1.0, 2.0, "percent", 1) == MISSING


def test_interval_arrays_keep_their_shape() -> None:
    out = format_interval(
        np.array([[50.0, 25.0]]), np.array([[40.0, 20.0]]), np.array([[60.0, 30.0]]), "percent", 1
    )
    assert out.shape == (1, 2)
    assert out.tolist() == [["50.0%（95%置信区间 40.0%–60.0%）", "25.0%（95%置信区间 20.0%–30.0%）"]]


def test_format_result_uses_the_results_interval() -> None:
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(2067, 2164, method="wilson")
    expected = f"95.52%（95%置信区间 {format_number(low * 100, 2)}%–{format_number(high * 100, 2)}%）"
    result = get("maternal_systematic_management_rate").compute(2067, 2164)
    assert format_result(result, "zh") == expected
    assert format_result(get("inpatient_reimbursement_per_beneficiary").compute(9.55, 81), "zh") == "1179元"


@pytest.mark.parametrize(
    "function",
    [
        lambda: format_interval(1.0, 0.5, 2.0, "percent", 1, "fr"),
        lambda: format_count(1.0, "fr"),
        lambda: format_status("met", "de"),
    ],
)
def test_unknown_languages_are_refused(function: object) -> None:
    with pytest.raises(InvalidOptionError, match="lang must be one of zh, en"):
        function()  # type: ignore[operator]


# -- counts -----------------------------------------------------------------------------


@given(st.integers(0, 10**15))
def test_english_counts_have_thousands_separators(count: int) -> None:
    assert format_count(count, "en") == f"{count:,}"


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (2164, "2164"),
        (99999, "99999"),
        (100000, "10万"),
        (135058, "13.5万"),
        (155500, "15.6万"),
        (170000, "17万"),
        (99_999_999, "1亿"),
        (123_456_789, "1.2亿"),
    ],
)
def test_chinese_counts_use_wan_and_yi_from_100_000(count: int, text: str) -> None:
    assert format_count(count, "zh") == text


@given(st.integers(0, 10**12))
def test_a_chinese_count_is_within_half_a_printed_place(count: int) -> None:
    text = format_count(count, "zh")
    sizes = {"万": 10**4, "亿": 10**8}
    size = sizes.get(text[-1], 1)
    figure = Decimal(text[:-1] if size > 1 else text)
    places = -figure.as_tuple().exponent
    assert abs(figure * size - count) <= Decimal(5).scaleb(-places - 1) * size
    # The smallest unit in which the figure stays below the next unit.
    if size == 10**4:
        assert count >= 10**5 and figure < 10**4
    elif size == 10**8:
        assert count >= 10**8 - 500


def test_amounts_keep_their_decimals() -> None:
    assert format_count(9.55, "zh", decimals=2) == "9.55"
    assert format_count(21507.5, "en", decimals=1) == "21,507.5"


# -- status and other labels -------------------------------------------------------------

STATUS_ENUMS = (TargetStatus, BenchmarkStatus, TrendStatus, FunnelPosition, Status)


@pytest.mark.parametrize("enum_type", STATUS_ENUMS, ids=lambda e: e.__name__)
def test_every_status_has_a_label_in_both_languages(enum_type: type) -> None:
    for member in enum_type:
        zh, en = format_status(member, "zh"), format_status(member, "en")
        assert re.search(r"[\u4e00-\u9fff]", zh), (member, zh)
        assert en.isascii() and en, (member, en)
    # Within one enum the labels tell the members apart.
    assert len({format_status(m, "zh") for m in enum_type}) == len(enum_type)


def test_status_labels_read_the_string_value_too() -> None:
    assert format_status("not_met", "zh") == format_status(TargetStatus.NOT_MET, "zh") == "未达标"
    assert format_status(BenchmarkStatus.BEST, "en") == "better (99.8%)"
    with pytest.raises(InvalidOptionError, match="no label for status 'splendid'"):
        format_status("splendid")


@pytest.mark.parametrize(
    ("labels", "enum_type"), [(POLARITY_LABELS, Polarity), (KIND_LABELS, Kind), (SCOPE_LABELS, Scope)]
)
def test_definition_labels_cover_their_enums(labels: dict[str, dict[str, str]], enum_type: type) -> None:
    assert set(labels) == {member.value for member in enum_type}
    assert all(set(label) == {"zh", "en"} for label in labels.values())


def test_every_label_table_entry_has_both_languages() -> None:
    assert all(set(label) == {"zh", "en"} and all(label.values()) for label in STATUS_LABELS.values())


def test_text_width_counts_wide_characters_twice() -> None:
    assert text_width("") == 0
    assert text_width("婴儿死亡率") == 10
    assert text_width("IMR 10.66‰") == 10
    assert text_width("（95%）") == 2 + 3 + 2


def test_half_up_reference_for_the_interval_limits() -> None:
    # The limits are rounded like the value: half-up on the decimal figure.
    assert format_interval(1.0, 0.125, 0.135, "percent", 2) == "1.00%（95%置信区间 0.13%–0.14%）"
    assert Decimal("0.135").quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("0.14")
