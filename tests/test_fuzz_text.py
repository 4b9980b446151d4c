"""Fuzzing the text entry points: figures, periods, names, extraction and audits.

Arbitrary Unicode (and text assembled from the words reports use, so that
the interesting paths are reached) goes into :func:`parse_figure`,
:meth:`Period.parse`, the name lookups, :func:`extract`, :func:`audit`,
:func:`infer_count`, :func:`check_parts` and :func:`check_target`. The only
outcomes allowed are a correct result (checked against its invariants) or a
:class:`~phindicators.errors.PhindicatorsError`. See
``tests/test_fuzz_compute.py`` for the profiles (``HYPOTHESIS_PROFILE=dev``
searches harder).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import phindicators as ph
from phindicators import Catalog, PhindicatorsError
from phindicators.audit import Status, audit, check_parts, check_target, infer_count
from phindicators.catalog import normalize_name
from phindicators.errors import InvalidTypeError
from phindicators.extract import extract
from phindicators.figures import (
    BOUND_PREFIXES,
    BOUND_SUFFIXES,
    COUNT_WORDS,
    UNIT_PREFIXES,
    UNIT_SIGNS,
    Bound,
    Figure,
    parse_figure,
)
from phindicators.pooling import Period
from phindicators.units import UNITS
from tests.conftest import TINY

CATALOG = Catalog.from_toml(TINY)
INDICATORS = CATALOG.indicators()

NUMBERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(min_value=0, max_value=10**6, allow_nan=False, places=3).map(str),
    st.from_regex(r"\d{1,30}(\.\d{1,30})?", fullmatch=True),
    st.sampled_from(["0", "95.52", "100", "1,234.5", "９５．５２", "٣", "1e5", "-3", ".5", "5."]),
)
WORDS = st.sampled_from(
    [
        *UNIT_SIGNS, *UNIT_PREFIXES, *COUNT_WORDS, *BOUND_PREFIXES, *BOUND_SUFFIXES,
        "个百分点", "xx", "率", "为", "达到", "分别", "和", "，", ",", "。", "\n", " ", "(", ")",
        "全市", "产妇", "活产", "系统管理", "管理率", "死亡率", "死亡数", "托位数", "人口", "补助",
        "孕产妇系统管理率", "婴儿死亡率", "孕产妇死亡率", "住院分娩率", "新农合参合率", "发证率",
        "2023年", "1-10月", "农村", "城市", "占", "的", "目标", "要求", "不低于", "提高",
    ]
)


def report_text() -> st.SearchStrategy[str]:
    """Text made of report words, numbers and arbitrary characters."""
    return st.lists(st.one_of(WORDS, NUMBERS, st.text(max_size=3)), max_size=25).map("".join)


ANY_TEXT = st.one_of(st.text(), report_text())


def _check_figure(figure: Figure, text: str) -> None:
    assert isinstance(figure.value, Decimal) and figure.value.is_finite() and figure.value >= 0
    assert figure.unit is None or figure.unit in UNITS
    assert isinstance(figure.bound, Bound)
    assert figure.text == text
    assert figure.tolerance > 0


@given(ANY_TEXT)
def test_parse_figure_reads_a_figure_or_says_why_not(text: str) -> None:
    try:
        figure = parse_figure(text)
    except PhindicatorsError:
        return
    _check_figure(figure, text)


@given(st.one_of(st.integers(), st.floats(), st.none(), st.binary(), st.lists(st.text())))
def test_parse_figure_refuses_what_is_not_text(value: Any) -> None:
    try:
        parse_figure(value)
    except InvalidTypeError:
        return
    raise AssertionError("parse_figure accepted a non-string")


@given(
    st.sampled_from(["", *BOUND_PREFIXES]),
    st.integers(0, 10**12),
    st.integers(0, 6),
    st.sampled_from(["", *UNIT_SIGNS]),
    st.sampled_from(["", *BOUND_SUFFIXES]),
)
def test_parse_figure_reads_the_number_exactly(prefix: str, whole: int, decimals: int, sign: str, suffix: str) -> None:
    number = f"{whole}" if decimals == 0 else f"{whole}.{str(whole % 10**decimals).zfill(decimals)}"
    text = f"{prefix}{number}{sign}{suffix}"
    try:
        figure = parse_figure(text)
    except PhindicatorsError:
        assume(prefix and suffix)  # two bound words may conflict; nothing else may fail
        return
    _check_figure(figure, text)
    power = UNIT_SIGNS[sign][1] if sign else 0
    assert figure.value == Decimal(number).scaleb(power)
    assert figure.decimals == decimals - power


@given(st.sampled_from(INDICATORS), ANY_TEXT)
def test_parse_figure_for_an_indicator(indicator: Any, text: str) -> None:
    try:
        figure = parse_figure(text, indicator)
    except PhindicatorsError:
        return
    _check_figure(figure, text)
    assert UNITS[figure.unit].dimension == UNITS[indicator.unit].dimension  # type: ignore[index]


@given(st.one_of(st.text(), st.from_regex(r"\A\s*(\d{4}\s*年)?\s*\d{1,2}\s*([-~至]\s*\d{1,2})?\s*月?\s*\Z"),
                 st.from_regex(r"\A\d{4}-\d{1,2}/\d{4}-\d{1,2}\Z"), st.from_regex(r"\A\d{4}年(度|全年)?\Z")),
       st.one_of(st.none(), st.integers(1, 9999)))
def test_period_parse(text: str, year: int | None) -> None:
    try:
        period = Period.parse(text, year=year)
    except PhindicatorsError:
        return
    assert period.start <= period.end and period.days >= 1


@given(ANY_TEXT)
def test_name_lookups(name: str) -> None:
    assert isinstance(normalize_name(name), str)
    found = CATALOG.lookup(name)
    try:
        indicator = CATALOG.find(name)
    except ph.UnknownIndicatorError as error:
        assert found is None
        assert all(isinstance(s, str) for s in error.suggestions)
        return
    assert indicator is found
    assert normalize_name(name) in {normalize_name(n) for n in (indicator.id, *indicator.names)}


@given(st.one_of(ANY_TEXT, st.integers(), st.none(), st.lists(st.text())))
def test_bundled_lookups(name: Any) -> None:
    try:
        ph.get(name)
    except ph.UnknownIndicatorError:
        pass
    try:
        ph.target_set(name)
    except ph.UnknownTargetSetError:
        pass
    assert ph.lookup(name) is None or isinstance(name, str)


def _check_mentions(text: str, mentions: list[Any]) -> None:
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.start <= mention.figure_start < mention.figure_end <= mention.end
        assert isinstance(mention.verdict.status, Status)
        assert mention.indicator.id in {i.id for i in ph.indicators()}
        for item in (*mention.counts, *mention.qualifiers):
            assert 0 <= item.start < item.end <= len(text)
        if mention.verdict.result is not None:
            assert np.isfinite(mention.verdict.result.value)


BUNDLED_WORDS = st.sampled_from(
    [name for indicator in ph.indicators() for name in indicator.names[:1]]
    + ["产妇", "活产", "人", "户", "万元", "元", "%", "‰", "/10万", "为", "达到", ",", "。", "分别", "和", "占", "的"]
)


@given(st.one_of(st.text(), report_text(), st.lists(st.one_of(BUNDLED_WORDS, NUMBERS), max_size=30).map("".join)))
def test_extract_reads_any_text(text: str) -> None:
    _check_mentions(text, extract(text))


@given(st.one_of(st.integers(), st.none(), st.binary(), st.lists(st.text())))
def test_extract_refuses_what_is_not_text(value: Any) -> None:
    try:
        extract(value)
    except InvalidTypeError:
        return
    raise AssertionError("extract accepted a non-string")


AMOUNTS = st.one_of(
    st.none(), st.integers(-5, 10**6), st.integers(), st.floats(), st.decimals(), st.fractions(),
    st.booleans(), NUMBERS, ANY_TEXT, st.lists(st.integers(), max_size=2),
)


@given(st.sampled_from(INDICATORS), st.one_of(ANY_TEXT, NUMBERS.map(lambda n: n + "%")), AMOUNTS, AMOUNTS)
def test_audit(indicator: Any, reported: str, numerator: Any, denominator: Any) -> None:
    try:
        verdict = audit(indicator, reported, numerator, denominator)
    except PhindicatorsError:
        return
    assert isinstance(verdict.status, Status)
    assert verdict.reason
    if verdict.result is not None:
        assert np.isfinite(verdict.result.value)
    if verdict.expected is not None:
        assert isinstance(verdict.expected, str)


@given(st.sampled_from(INDICATORS), st.one_of(ANY_TEXT, NUMBERS.map(lambda n: n + "%")), AMOUNTS, st.booleans())
def test_infer_count(indicator: Any, reported: str, known: Any, known_is_numerator: bool) -> None:
    counts = {"numerator": known} if known_is_numerator else {"denominator": known}
    try:
        allowed = infer_count(indicator, reported, **counts)
    except PhindicatorsError:
        return
    assert isinstance(allowed, range) and allowed.step == 1


@given(st.one_of(AMOUNTS, NUMBERS.map(lambda n: n + "人")), st.one_of(st.lists(AMOUNTS, max_size=4), st.dictionaries(st.text(max_size=3), AMOUNTS, max_size=3)))
def test_check_parts(total: Any, parts: Any) -> None:
    try:
        check = check_parts(total, parts)
    except PhindicatorsError:
        return
    assert isinstance(check.status, Status)
    assert check.difference == Fraction(check.total.value) - check.sum
    assert (check.status is Status.CONSISTENT) == (abs(check.difference) <= check.tolerance)


@given(st.sampled_from(ph.indicators()), st.one_of(ANY_TEXT, NUMBERS.map(lambda n: n + "%")), st.sampled_from(ph.target_sets()))
def test_check_target(indicator: Any, reported: str, plan: Any) -> None:
    try:
        check = check_target(indicator, reported, plan)
    except PhindicatorsError:
        return
    assert check.status is not None
