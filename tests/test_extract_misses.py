"""Visible misses (issue 19): every rate-like figure no mention takes, with its reason."""

from __future__ import annotations

import pytest

import phindicators as ph
from phindicators.extract import Miss, misses


def _reasons(text: str) -> list[tuple[str, str]]:
    return [(m.printed, m.reason) for m in misses(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("孕产妇死亡率下降了38.2%。", [("38.2%", "not a value")]),
        ("由1949年的1500/10万下降至2015年的20.1/10万,下降幅度为98.7%。", [
            ("1500/10万", "no label"), ("20.1/10万", "no label"), ("98.7%", "not a value")]),
        ("东、中、西部地区孕产妇死亡率下降幅度分别为37.76%、57.02%和66.27%。", [
            ("37.76%", "not a value"), ("57.02%", "not a value"), ("66.27%", "not a value")]),
        ("产科出血占孕产妇死亡的35.2%。", [("35.2%", "not a value")]),
        ("工作考核达标率为3.2%。", [("3.2%", "unknown indicator")]),
        ("流动人口住院分娩率为100%。", [("100%", "unknown indicator")]),
        ("产科出血死亡率为8.1/10万。", [("8.1/10万", "unknown indicator")]),
        ("覆盖率为95%。", [("95%", "ambiguous label")]),
        ("全市达到了96%。", [("96%", "no label")]),
    ],
)
def test_each_miss_has_its_reason(text: str, expected: list[tuple[str, str]]) -> None:
    assert _reasons(text) == expected


def test_attributed_figures_are_not_misses() -> None:
    text = "全市产妇2164人,系统管理2067人,系统管理率95.52%,下降了1.2%。"
    assert [m.figure.text for m in ph.extract(text)] == ["95.52%"]
    assert _reasons(text) == [("1.2%", "not a value")]


def test_a_bound_word_before_an_attributed_figure_is_no_miss() -> None:
    assert misses("5岁以下儿童死亡率低于8‰。") == []


def test_counts_are_not_rate_like() -> None:
    assert misses("全市产妇2164人,活产2158人。") == []


def test_miss_offsets_point_into_the_original_text() -> None:
    pytest.importorskip("opencc")
    text = "孕產婦死亡率下降了３８．２％。"
    miss = misses(text)[0]
    assert isinstance(miss, Miss)
    assert text[miss.start : miss.end] == "３８．２％"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # OCR of a journal page: 100 % or 10.0 %? The text does not say.
        ("住院分娩率为10 0 %。", [("10 0 %", "unreadable number", "住院分娩率")]),
        ("孕产妇死亡率 5 0 8‰,婚检率为99 . 5 %。", [("5 0 8‰", "unreadable number", "孕产妇死亡率")]),
    ],
)
def test_a_spaced_number_without_a_point_is_listed_unread(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    found = misses(text)
    assert [(m.printed, m.reason, m.label) for m in found] == expected
    assert all(m.figure is None and text[m.start : m.end] == m.printed for m in found)
    # Never read as a value either.
    assert all(m.indicator.id != "hospital_delivery_rate" or m.figure.value == 99.5 for m in ph.extract(text))


def test_a_hash_the_report_prints_is_no_unreadable_number() -> None:
    assert [m.reason for m in misses("编号#12%的分组")] == ["no label"]
