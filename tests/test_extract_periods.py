"""Thousands separators (F1) and figures of another period (F21)."""

from __future__ import annotations

import phindicators as ph


def _verdicts(text: str) -> list[tuple[str, str]]:
    return [(m.figure.text, m.verdict.status.value) for m in ph.extract(text)]


def test_thousands_separators_group_a_number() -> None:
    # 2067 / 2164 = 95.5176 % -> "95.52%".
    mention = ph.extract("全市产妇2,164人,系统管理2,067人,系统管理率95.52%。")[0]
    assert mention.verdict.status.value == "consistent"
    assert (mention.numerator.figure.value, mention.denominator.figure.value) == (2067, 2164)


def test_thousands_separators_read_to_the_original_offsets() -> None:
    text = "全市产妇2,164人,系统管理2,067人,系统管理率95.52%。"
    mention = ph.extract(text)[0]
    assert text[mention.denominator.start : mention.denominator.end] == "2,164人"
    assert text[mention.figure_start : mention.figure_end] == "95.52%"


def test_a_chinese_comma_still_ends_a_clause() -> None:
    # "，" is never a thousands separator: 215 people, then a rate of 100 %.
    mention = ph.extract("婚前医学检查215人，婚检率100%。")[0]
    assert mention.figure.text == "100%"
    assert mention.numerator.figure.value == 215


def test_last_years_figure_is_not_checked_against_this_years_counts() -> None:
    text = "全市产妇2164人,系统管理2067人,系统管理率95.52%,去年系统管理率为89%。"
    assert _verdicts(text) == [("95.52%", "consistent"), ("89%", "unverifiable")]


def test_another_years_figure_is_not_checked_against_the_counts() -> None:
    text = "全市产妇2164人,系统管理2067人,系统管理率95.52%,2019年系统管理率为89%。"
    assert _verdicts(text) == [("95.52%", "consistent"), ("89%", "unverifiable")]
    assert [q.text for q in ph.extract(text)[1].qualifiers if q.kind == "period"] == ["2019年"]


def test_counts_of_the_same_past_year_are_used() -> None:
    # 1900 / 2000 = 95 %.
    text = "去年全市产妇2000人,系统管理1900人,系统管理率95%。"
    assert _verdicts(text) == [("95%", "consistent")]
