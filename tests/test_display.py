"""Display: half-up rounding at the indicator's decimals, report signs."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from phindicators import InvalidOptionError
from phindicators.display import MISSING, format_number, format_value


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(12.345, 2, "12.35"), (0.125, 2, "0.13"), (2.5, 0, "3"), (99.995, 2, "100.00"), (-0.001, 2, "0.00")],
)
def test_rounds_half_up_on_the_decimal_figure(value: float, decimals: int, text: str) -> None:
    assert format_number(value, decimals) == text


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.integers(0, 6))
def test_printed_number_is_within_half_a_unit_of_the_last_place(value: float, decimals: int) -> None:
    printed = Decimal(format_number(value, decimals))
    assert abs(printed - Decimal(repr(value))) <= Decimal(5).scaleb(-decimals - 1)
    assert printed.as_tuple().exponent == -decimals


@pytest.mark.parametrize(
    ("unit", "zh", "en"),
    [
        ("percent", "95.52%", "95.52%"),
        ("permille", "95.52‰", "95.52 per 1,000 live births"),
        ("per_hundred_thousand", "95.52/10万", "95.52 per 100,000 live births"),
        ("per_ten_thousand", "95.52/万", "95.52 per 10,000 live births"),
        ("yuan", "95.52元", "95.52 yuan"),
    ],
)
def test_report_signs(unit: str, zh: str, en: str) -> None:
    assert format_value(95.517, unit, 2, "zh", "live births") == zh
    assert format_value(95.517, unit, 2, "en", "live births") == en


def test_english_groups_thousands_chinese_does_not() -> None:
    assert format_value(134840.1, "yuan", 0, "en") == "134,840 yuan"
    assert format_value(134840.1, "yuan", 0, "zh") == "134840元"


def test_arrays_keep_their_shape_and_show_missing_values() -> None:
    out = format_value(np.array([[1.0, np.nan], [2.5, 3.0]]), "percent", 1)
    assert out.shape == (2, 2)
    assert out.tolist() == [["1.0%", MISSING], ["2.5%", "3.0%"]]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidOptionError, match="lang must be one of zh, en, got 'fr'"):
        format_value(1.0, "percent", 1, "fr")
