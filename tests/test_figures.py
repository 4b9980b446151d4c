"""Reading printed figures: values, units, precision, bounds and errors."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phindicators import Catalog, ParseError
from phindicators.figures import Bound, Figure, match_figure, normalize_text, parse_figure

# (text, value, unit, decimals, bound): expected values worked out by hand
# from what the text says.
PRINTED = [
    ("95.52%", "95.52", "percent", 2, Bound.EXACT),
    ("10.66‰", "10.66", "permille", 2, Bound.EXACT),
    ("92.68/10万", "92.68", "per_hundred_thousand", 2, Bound.EXACT),
    ("92.68/十万", "92.68", "per_hundred_thousand", 2, Bound.EXACT),
    ("3700/万", "3700", "per_ten_thousand", 0, Bound.EXACT),
    ("2.36/千", "2.36", "per_thousand", 2, Bound.EXACT),
    ("1.1万", "11000", "count", -3, Bound.EXACT),
    ("21507万元", "21507", "wan_yuan", 0, Bound.EXACT),
    ("9.55万元", "9.55", "wan_yuan", 2, Bound.EXACT),
    ("1352元", "1352", "yuan", 0, Bound.EXACT),
    ("0.59亿元", "5900", "wan_yuan", -2, Bound.EXACT),
    ("2164人", "2164", "count", 0, Bound.EXACT),
    ("380户/次", "380", "count", 0, Bound.EXACT),
    ("95%以上", "95", "percent", 0, Bound.AT_LEAST),
    ("≥95%", "95", "percent", 0, Bound.AT_LEAST),
    ("达到100%", "100", "percent", 0, Bound.AT_LEAST),
    ("不低于95%", "95", "percent", 0, Bound.AT_LEAST),
    ("超过90%", "90", "percent", 0, Bound.MORE_THAN),
    ("<1‰", "1", "permille", 0, Bound.LESS_THAN),
    ("20/10万以下", "20", "per_hundred_thousand", 0, Bound.AT_MOST),
    ("约1.6万元", "1.6", "wan_yuan", 1, Bound.APPROXIMATELY),
    ("百分之95", "95", "percent", 0, Bound.EXACT),
    ("0", "0", None, 0, Bound.EXACT),
    ("0‰", "0", "permille", 0, Bound.EXACT),
    ("96.10%", "96.10", "percent", 2, Bound.EXACT),
    ("12,653", "12653", None, 0, Bound.EXACT),
    ("９５．５２％", "95.52", "percent", 2, Bound.EXACT),
    ("≥９５％", "95", "percent", 0, Bound.AT_LEAST),
    (" 96.1% ", "96.1", "percent", 1, Bound.EXACT),
]


@pytest.mark.parametrize(("text", "value", "unit", "decimals", "bound"), PRINTED)
def test_printed_figures(text: str, value: str, unit: str | None, decimals: int, bound: Bound) -> None:
    figure = parse_figure(text)
    assert (figure.value, figure.unit, figure.decimals, figure.bound) == (
        Decimal(value),
        unit,
        decimals,
        bound,
    )
    assert figure.text == text


def test_value_keeps_the_printed_digits() -> None:
    assert str(parse_figure("96.10%").value) == "96.10"
    assert str(parse_figure("1.1万").value) == "11000"


@pytest.mark.parametrize(
    ("text", "tolerance"), [("96.1%", "0.05"), ("95.52%", "0.005"), ("1.1万", "500"), ("0", "0.5")]
)
def test_tolerance_is_half_a_unit_in_the_last_printed_place(text: str, tolerance: str) -> None:
    assert parse_figure(text).tolerance == Decimal(tolerance)


def test_a_bare_number_takes_the_indicator_unit(tiny: Catalog) -> None:
    figure = parse_figure("2.36", tiny.get("places_per_1000"))
    assert (figure.unit, figure.unit_printed) == ("per_thousand", False)
    assert parse_figure("2.36/千", tiny.get("places_per_1000")).unit_printed


def test_a_printed_unit_must_fit_the_indicator(tiny: Catalog) -> None:
    assert parse_figure("9.55万元", tiny.get("mean_amount")).unit == "wan_yuan"
    for text, indicator in [("1352元", "managed_rate"), ("1.1万", "managed_rate"), ("95%", "mean_amount")]:
        with pytest.raises(ParseError, match="cannot express") as caught:
            parse_figure(text, tiny.get(indicator))
        assert caught.value.text == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty text"),
        ("   ", "empty text"),
        ("xx36", "masked"),
        ("xx36人次", "masked"),
        ("增加2.5个百分点", "percentage points"),
        ("提高了", "no number"),
        ("95%%", "not a figure"),
        ("1.2.3", "not a figure"),
        ("-5%", "not a figure"),
        ("超过95%以下", "conflicting bound"),
        ("百分之95%", "two units"),
        ("95%人", "count word"),
        ("发证率96.1%", "not a figure"),
    ],
)
def test_unreadable_text_is_a_parse_error_quoting_it(text: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as caught:
        parse_figure(text)
    assert caught.value.text == text
    assert repr(text) in str(caught.value)


def test_non_strings_are_type_errors() -> None:
    with pytest.raises(TypeError):
        parse_figure(95.5)  # type: ignore[arg-type]


def test_match_figure_reads_running_text() -> None:
    text = normalize_text("发证率 96.1% ;体检215名,参与xx36人次,1,375名")
    figure, end = match_figure(text, text.index("96"))  # type: ignore[misc]
    assert (figure.value, text[end]) == (Decimal("96.1"), " ")
    count, _ = match_figure(text, text.index("215"))  # type: ignore[misc]
    assert (count.value, count.count_word) == (Decimal(215), "名")
    assert match_figure(text, text.index("36")) is None  # masked: glued to letters
    grouped, _ = match_figure(text, text.index("1,375"))  # type: ignore[misc]
    assert grouped.value == 1  # no thousands separators inside running text
    assert match_figure(text, 0) is None


# -- properties ----------------------------------------------------------------

FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}

signs = st.sampled_from(["", "%", "‰", "/10万", "/十万", "/万", "/千", "万元", "元", "人", "名"])


@st.composite
def printed(draw: st.DrawFn) -> tuple[str, int, int, str]:
    whole = draw(st.integers(0, 10**40))
    decimals = draw(st.integers(0, 6))
    fraction = draw(st.integers(0, 10**decimals - 1)) if decimals else 0
    number = f"{whole}.{fraction:0{decimals}d}" if decimals else str(whole)
    return number, whole, decimals, draw(signs)


@given(printed())
def test_value_is_exactly_the_printed_number(case: tuple[str, int, int, str]) -> None:
    number, _, decimals, sign = case
    figure = parse_figure(number + sign)
    assert figure.value == Decimal(number)
    assert figure.decimals == decimals


@given(printed(), st.lists(st.booleans(), min_size=64, max_size=64))
def test_full_and_half_width_read_the_same(case: tuple[str, int, int, str], widths: list[bool]) -> None:
    number, _, _, sign = case
    text = number + sign
    mixed = "".join(
        FULL_WIDTH.get(ch, ch) if wide else ch for ch, wide in zip(text, widths * 2, strict=False)
    )
    mixed += text[len(mixed) :]
    assert parse_figure(mixed).value == parse_figure(text).value
    assert parse_figure(mixed).unit == parse_figure(text).unit


@given(st.integers(0, 10**30), st.sampled_from(["万", "亿", "万元", "亿元"]))
def test_magnitude_words_scale_exactly(whole: int, sign: str) -> None:
    power = {"万": 4, "亿": 8, "万元": 0, "亿元": 4}[sign]
    figure = parse_figure(f"{whole}.5{sign}")
    assert Fraction(figure.value) == Fraction(whole * 10 + 5, 10) * 10**power
    assert figure.decimals == 1 - power


@given(st.text())
def test_any_text_gives_a_figure_or_a_parse_error(text: str) -> None:
    try:
        figure = parse_figure(text)
    except ParseError as error:
        assert error.text == text
    else:
        assert isinstance(figure, Figure) and figure.value >= 0


@given(st.text(alphabet=st.sampled_from("0123456789.,%‰/万元十千亿人名≥<>以上下约左右 xX０１２％．")))
def test_figure_like_noise_gives_a_figure_or_a_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_figure(text)


@given(st.text(), st.integers(0, 200))
def test_match_figure_never_raises(text: str, position: int) -> None:
    normalized = normalize_text(text)
    found = match_figure(normalized, min(position, len(normalized)))
    if found is not None:
        assert found[1] <= len(normalized)


# -- the prefix-factored alternation of the extractor's names -----------------

_WORD = st.text(alphabet="孕产妇死亡率婴儿管理.|()", min_size=0, max_size=5)


@given(words=st.lists(_WORD, max_size=12), text=st.text(alphabet="孕产妇死亡率婴儿管理.|() ", max_size=40))
def test_the_factored_alternation_finds_what_the_plain_one_finds(words: list[str], text: str) -> None:
    import re

    from phindicators.figures import alternatives, trie_alternatives

    words = [w for w in words if w]
    plain = re.compile(alternatives(words))
    factored = re.compile(trie_alternatives(words))
    assert [m.span() for m in factored.finditer(text)] == [m.span() for m in plain.finditer(text)]
