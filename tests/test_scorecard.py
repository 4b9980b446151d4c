"""Scorecards from tables: layouts, line-numbered errors, targets, benchmarks, exports.

The machinery is tested on the tiny inline catalog (conftest.TINY); the
bundled catalog only where the bundled example table is tested.
"""

from __future__ import annotations

import csv
import io
import json
import math
import pathlib
import subprocess
import sys
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from phindicators import (
    Catalog,
    InvalidCountsError,
    InvalidOptionError,
    ParseError,
    Rule,
    Source,
    Target,
    TargetSet,
    Text,
)
from phindicators.compare import BenchmarkStatus, TargetStatus
from phindicators.errors import InvalidTypeError
from phindicators.scorecard import CSV_COLUMNS, POOLED, RowError, Scorecard, scorecard
from phindicators.serialize import json_text

LONG_HEADER = "indicator,area,period,numerator,denominator\n"

SPEC = Source(id="spec", title="Test specification")
RULES = [
    Rule(
        id="deaths_within_births",
        left="deaths",
        operator="<=",
        right="births",
        importance="high",
        description=Text(en="Deaths cannot exceed births.", zh="死亡数不应超过活产数"),
    ),
    Rule(
        id="managed_within_births",
        left="managed",
        operator="<=",
        right="births",
        importance="high",
        description=Text(en="Managed mothers are among births.", zh="系统管理人数不应超过活产数"),
    ),
]


def plan(*targets: Target) -> TargetSet:
    return TargetSet(
        id="tiny_plan", name_zh="测试规划", name_en="Test plan", version="1", source=SPEC, targets=targets
    )


MANAGED_90 = Target(
    id="managed_90",
    indicator="managed_rate",
    comparator=">=",
    threshold=90,
    unit="percent",
    plan="tiny_plan",
    source=SPEC,
)


def write(tmp_path: pathlib.Path, text: str, name: str = "table.csv") -> pathlib.Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(card: Scorecard) -> list[tuple[int, str, str]]:
    return [(error.line, error.problem, error.column) for error in card.errors]


# -- the long layout ---------------------------------------------------------------------

LONG = LONG_HEADER + (
    "managed_rate,A,2023,90,100\n"  # 2: 90 %
    "管理率,B,2023,45,50\n"  # 3: by Chinese name: 90 %
    "managed_rate,C,2023,abc,100\n"  # 4: not a number
    "managed_rate,D,2023,101,100\n"  # 5: numerator above denominator
    "death_ratio,A,2023,2,0\n"  # 6: zero denominator
    "death_ratio,B,2023,-1,1000\n"  # 7: negative
    "no_such,A,2023,1,2\n"  # 8: unknown indicator
    "managed_rate,A,2023,91,100\n"  # 9: duplicates line 2
    "death_count,A,2023,3,\n"  # 10: a count: 3
    "death_count,B,2023,3,7\n"  # 11: a count given a denominator
    "managed_rate,,2023,1,2\n"  # 12: no area
    "death_ratio,C,2023,2.5,1000\n"  # 13: half a death
    "mean_amount,A,2023,9.55,81\n"  # 14: 9.55万元 / 81 = 1179 元
)


def test_good_rows_are_computed_and_bad_ones_reported_by_line(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    card = scorecard(write(tmp_path, LONG), catalog=tiny)
    assert problems(card) == [
        (4, "not_a_number", "numerator"),
        (5, "exceeds_denominator", "denominator"),
        (6, "zero_denominator", "denominator"),
        (7, "negative", "numerator"),
        (8, "unknown_indicator", "indicator"),
        (9, "duplicate", ""),
        (11, "count_has_no_denominator", "denominator"),
        (12, "empty", "area"),
        (13, "not_whole", "numerator"),
    ]
    assert [(row.line, row.indicator, row.area) for row in card] == [
        (2, "managed_rate", "A"),
        (3, "managed_rate", "B"),
        (10, "death_count", "A"),
        (14, "mean_amount", "A"),
    ]
    assert [row.value for row in card] == pytest.approx([90.0, 90.0, 3.0, 9.55 * 10_000 / 81])
    assert [row.display_zh for row in card] == ["90.00%", "90.00%", "3", "1179元"]
    duplicate = card.errors[5]
    assert duplicate.other_line == 2 and str(duplicate) == "line 9: duplicates line 2"
    assert str(card.errors[4]) == "line 8: unknown indicator 'no_such'"


def test_messages_name_the_cell_in_both_languages(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    card = scorecard(write(tmp_path, LONG), catalog=tiny)
    by_line = {error.line: error for error in card.errors}
    assert str(by_line[4]) == "line 4: numerator is not a number: 'abc'"
    assert by_line[4].located("zh") == "第4行：分子不是数字：'abc'"
    assert str(by_line[5]) == "line 5: managed_rate: the numerator exceeds the denominator (101 > 100)"
    assert str(by_line[6]) == "line 6: denominator is zero, so death_ratio cannot be computed"
    assert by_line[12].located("zh") == "第12行：地区为空"


def test_unknown_indicators_get_suggestions(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    card = scorecard(write(tmp_path, LONG_HEADER + "managed rat,A,2023,1,2\n"), catalog=tiny)
    [error] = card.errors
    assert error.problem == "unknown_indicator" and error.suggestions
    assert "managed_rate" in str(error)


def test_line_numbers_are_the_files_physical_lines(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    text = (
        "# a comment\n"  # 1
        "# another\n"  # 2
        "\n"  # 3
        + LONG_HEADER  # 4
        + 'managed_rate,"East\ndistrict",2023,1,2\n'  # 5-6: a quoted cell over two lines
        ",,,,\n"  # 7: an empty spreadsheet row
        "managed_rate,West,2023,x,2\n"  # 8
        "managed_rate,North,2023,1,2,,\n"  # 9: trailing empty cells are fine
        "managed_rate,South,2023,1,2,3\n"  # 10: a cell too many
    )
    card = scorecard(write(tmp_path, text), catalog=tiny)
    assert [(row.line, row.area) for row in card] == [(5, "East\ndistrict"), (9, "North")]
    assert problems(card) == [(8, "not_a_number", "numerator"), (10, "too_many_cells", "")]


def test_chinese_column_names(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    card = scorecard(write(tmp_path, "指标,地区,时期,分子,分母\n管理率,甲县,2023年,9,10\n"), catalog=tiny)
    [row] = card
    assert (row.indicator, row.area, row.period, row.value) == ("managed_rate", "甲县", "2023年", 90.0)


# -- the wide layout ---------------------------------------------------------------------

WIDE = (
    "area,period,births,deaths,managed\n"
    "A,2023,1000,2,950\n"  # 2
    "B,2023,500,,480\n"  # 3: deaths empty
    "C,2023,0,0,0\n"  # 4: no births
    "D,2023,100,120,90\n"  # 5: more deaths than births
)


def test_wide_tables_compute_every_indicator_whose_terms_are_columns(
    tmp_path: pathlib.Path, tiny: Catalog
) -> None:
    card = scorecard(write(tmp_path, WIDE), catalog=tiny, rules=RULES)
    assert card.layout == "wide"
    assert [(row.line, row.indicator) for row in card] == [
        (2, "managed_rate"),
        (2, "death_ratio"),
        (2, "death_count"),
        (3, "managed_rate"),
        (4, "death_count"),
        (5, "managed_rate"),
        (5, "death_ratio"),
        (5, "death_count"),
    ]
    values = {(row.line, row.indicator): row.value for row in card}
    assert values[(2, "managed_rate")] == pytest.approx(95.0)
    assert values[(2, "death_ratio")] == pytest.approx(2 / 1000 * 100_000)
    assert values[(5, "death_ratio")] == pytest.approx(120 / 100 * 100_000)  # a ratio may pass 100 %
    assert problems(card) == [
        (3, "empty", "deaths"),
        (4, "zero_denominator", "births"),
        (4, "zero_denominator", "births"),
    ]
    assert {error.indicator for error in card.errors if error.line == 4} == {"managed_rate", "death_ratio"}


def test_wide_tables_are_checked_against_the_rules(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    card = scorecard(write(tmp_path, WIDE), catalog=tiny, rules=RULES)
    [violation] = card.violations
    assert (violation.line, violation.area, violation.rule, violation.left, violation.right) == (
        5,
        "D",
        "deaths_within_births",
        120.0,
        100.0,
    )
    assert "120 > 100" in str(violation) and "死亡数不应超过活产数" in violation.located("zh")
    # The rule involves deaths and births: every indicator of the row built on either.
    assert {row.indicator: row.violations for row in card if row.line == 5} == {
        "managed_rate": ("deaths_within_births",),
        "death_ratio": ("deaths_within_births",),
        "death_count": ("deaths_within_births",),
    }
    assert all(row.violations == () for row in card if row.line != 5)


def test_wide_tables_with_bad_cells(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    text = "area,period,births,deaths\nA,2023,-5,1\nA,2023,10,1\n,2023,10,1\nB,2023,10.5,x\n"
    card = scorecard(write(tmp_path, text), catalog=tiny)
    assert problems(card) == [
        (2, "negative", "births"),
        (3, "duplicate", ""),
        (4, "empty", "area"),
        (5, "not_whole", "births"),
        (5, "not_a_number", "deaths"),
    ]
    # Line 2 still has its deaths: the count needs nothing else.
    assert [(row.line, row.indicator, row.value) for row in card] == [(2, "death_count", 1.0)]


# -- table sources ---------------------------------------------------------------------------

SOURCES = LONG_HEADER + "managed_rate,A,2023,90,100\nmanaged_rate,B,2023,,50\ndeath_ratio,A,2023,3,2000\n"


def test_every_kind_of_table_gives_the_same_scorecard(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    path = write(tmp_path, SOURCES)
    expected = scorecard(path, catalog=tiny)
    with open(path, encoding="utf-8") as text, open(path, "rb") as binary:
        from_files = [scorecard(text, catalog=tiny), scorecard(binary, catalog=tiny)]
    rows = list(csv.DictReader(io.StringIO(SOURCES)))
    from_dicts = scorecard(rows, catalog=tiny)
    typed = [{**row, "numerator": float(row["numerator"]) if row["numerator"] else None} for row in rows]
    for card in [*from_files, from_dicts, scorecard(typed, catalog=tiny), scorecard(str(path), catalog=tiny)]:
        assert card.records() == expected.records()
        assert problems(card) == problems(expected) == [(3, "empty", "numerator")]


def test_a_pandas_data_frame(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    pandas = pytest.importorskip("pandas", reason="pandas is optional")
    path = write(tmp_path, SOURCES + "managed_rate,C,2023,abc,7\n")
    expected = scorecard(path, catalog=tiny)
    card = scorecard(pandas.read_csv(path), catalog=tiny)
    assert card.records() == expected.records()
    assert (
        problems(card) == problems(expected) == [(3, "empty", "numerator"), (5, "not_a_number", "numerator")]
    )


def test_import_does_not_import_pandas_or_matplotlib() -> None:
    code = (
        "import sys, phindicators, phindicators.scorecard, phindicators.cli\n"
        "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("area,period,birth,deaths\n", "did you mean 'births'"),
        (LONG_HEADER.strip() + ",note\n", "not a column of a long table"),
        ("indicator,area,period,numerator\n", "needs the columns denominator"),
        ("area,numerator\n", "missing: period"),
        ("area,period,area\n", "appears twice"),
        ("area,,period\n", "column 2 of the header has no name"),
        ("# only a comment\n\n", "no header row"),
        ("area,period,places\n", "no indicator of the catalog has all its terms"),
    ],
)
def test_bad_headers_are_refused(tmp_path: pathlib.Path, tiny: Catalog, text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        scorecard(write(tmp_path, text), catalog=tiny)


def test_text_that_is_not_utf8_is_refused_with_a_hint(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes((LONG_HEADER + "管理率,甲县,2023,9,10\n").encode("gb18030"))
    with pytest.raises(ParseError, match="not UTF-8 text.*iconv"):
        scorecard(path, catalog=tiny)


@pytest.mark.parametrize("table", [42, [("managed_rate", "A")], {"area": "A"}])
def test_tables_of_other_types_are_refused(table: object, tiny: Catalog) -> None:
    with pytest.raises(InvalidTypeError):
        scorecard(table, catalog=tiny)


def test_no_rows_no_columns(tiny: Catalog) -> None:
    with pytest.raises(ParseError, match="no rows"):
        scorecard([], catalog=tiny)


# -- targets and benchmarks ----------------------------------------------------------------


def test_targets_judge_each_row(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    relative = Target(
        id="deaths_down",
        indicator="death_ratio",
        comparator="relative_change",
        change="-1/4",
        unit="per_hundred_thousand",
        plan="tiny_plan",
        source=SPEC,
    )
    text = LONG_HEADER + "managed_rate,A,2023,95,100\nmanaged_rate,B,2023,89,100\ndeath_ratio,A,2023,1,1000\n"
    card = scorecard(write(tmp_path, text), plan(MANAGED_90, relative), catalog=tiny)
    statuses = [(row.area, row.indicator, row.target_status) for row in card]
    assert statuses == [
        ("A", "managed_rate", TargetStatus.MET),
        ("B", "managed_rate", TargetStatus.NOT_MET),
        # A relative target needs each area's baseline, which the table does not give.
        ("A", "death_ratio", TargetStatus.NOT_ASSESSED),
    ]
    assert [row.target_gap for row in card][:2] == pytest.approx([5.0, -1.0])
    assert card.rows[0].target_zh == card.rows[0].target_en == "≥90%"
    assert card.rows[2].target_zh is None
    assert card.target_set == "tiny_plan" and [t.id for t in card.targets] == ["managed_90", "deaths_down"]
    [note] = card.notes
    assert note.startswith("death_ratio: not assessed against deaths_down")


def test_indicators_without_a_target_say_so(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    card = scorecard(
        write(tmp_path, LONG_HEADER + "death_ratio,A,2023,1,1000\n"), plan(MANAGED_90), catalog=tiny
    )
    [row] = card
    assert row.target_status is TargetStatus.NO_TARGET and row.target is None and row.target_gap is None


def wilson_status(numerator: int, denominator: int, benchmark: float) -> BenchmarkStatus:
    """The Fingertips rule with statsmodels' Wilson interval, for a proportion where high is good."""
    low, high = (100 * limit for limit in proportion_confint(numerator, denominator, method="wilson"))
    # A limit on the benchmark counts as containing it; statsmodels' limits
    # carry float noise (1e-18 for a lower limit that is 0 with no events).
    tolerance = 1e-9 * max(1.0, benchmark)
    if low > benchmark + tolerance:
        return BenchmarkStatus.BETTER
    return BenchmarkStatus.WORSE if high < benchmark - tolerance else BenchmarkStatus.SIMILAR


def test_a_named_benchmark_area(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    counts = {"Province": (1900, 2000), "A": (90, 100), "B": (990, 1000), "C": (300, 400)}
    text = LONG_HEADER + "".join(f"managed_rate,{a},2023,{n},{d}\n" for a, (n, d) in counts.items())
    card = scorecard(write(tmp_path, text), benchmark="Province", catalog=tiny)
    province, *areas = card.rows
    assert province.benchmark_status is None and province.benchmark_value is None
    for row in areas:
        assert row.benchmark_value == pytest.approx(95.0)
        assert row.benchmark_status == wilson_status(*counts[row.area], 95.0)
    assert [row.benchmark_status for row in areas] == [
        BenchmarkStatus.WORSE,
        BenchmarkStatus.BETTER,
        BenchmarkStatus.WORSE,
    ]


counts_ = st.tuples(st.integers(1, 5000), st.integers(0, 5000)).map(lambda nd: (min(nd), max(nd)))


@settings(max_examples=40)
@given(st.lists(st.tuples(st.sampled_from(["2022", "2023"]), counts_), min_size=1, max_size=8))
def test_the_pooled_benchmark_is_the_summed_counts(
    tiny: Catalog, rows: list[tuple[str, tuple[int, int]]]
) -> None:
    table = [
        {"indicator": "managed_rate", "area": f"area{i}", "period": period, "numerator": n, "denominator": d}
        for i, (period, (n, d)) in enumerate(rows)
    ]
    card = scorecard(table, benchmark=POOLED, catalog=tiny)
    for row, (period, (n, d)) in zip(card, rows, strict=True):
        same = [(n2, d2) for p2, (n2, d2) in rows if p2 == period]
        pooled = 100 * sum(n2 for n2, _ in same) / sum(d2 for _, d2 in same)
        assert row.benchmark_value == pytest.approx(pooled, rel=1e-12)
        assert row.benchmark_status == wilson_status(n, d, row.benchmark_value)


def test_benchmarks_that_cannot_be_found_are_refused(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    path = write(tmp_path, LONG_HEADER + "managed_rate,East,2023,1,2\nmanaged_rate,pooled,2023,1,2\n")
    with pytest.raises(InvalidOptionError, match="'Eats' is not in the table; did you mean 'East'"):
        scorecard(path, benchmark="Eats", catalog=tiny)
    with pytest.raises(InvalidOptionError, match="ambiguous"):
        scorecard(path, benchmark=POOLED, catalog=tiny)


def test_kinds_without_an_interval_or_a_denominator(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    text = LONG_HEADER + "mean_amount,A,2023,9.55,81\nmean_amount,B,2023,5,50\ndeath_count,A,2023,4,\n"
    card = scorecard(write(tmp_path, text), benchmark=POOLED, catalog=tiny)
    mean, _, count = card.rows
    assert (mean.lower, mean.upper, mean.confidence, mean.method) == (None, None, None, None)
    assert mean.interval_zh == mean.display_zh == "1179元"
    assert mean.benchmark_status is BenchmarkStatus.NOT_COMPARED
    # The pooled total of a count is no benchmark for one area's count.
    assert count.benchmark_status is BenchmarkStatus.NOT_COMPARED and count.benchmark_value is None


def test_the_interval_method_of_each_row(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    text = LONG_HEADER + "death_ratio,A,2023,5,1000\ndeath_ratio,B,2023,23,1000\nmanaged_rate,A,2023,5,10\n"
    card = scorecard(write(tmp_path, text), catalog=tiny, confidence=0.998)
    # PHE's rule: exact Poisson limits below 10 events, Byar's from 10.
    assert [row.method for row in card] == ["exact", "byar", "wilson"]
    assert all(row.confidence == 0.998 and "99.8%置信区间" in row.interval_zh for row in card)
    with pytest.raises(InvalidOptionError, match="one confidence level"):
        scorecard(write(tmp_path, text), catalog=tiny, confidence=(0.95, 0.998))


# -- property: every line is a row or an error, and the checks are validate_counts' ------------

cell = st.one_of(
    st.integers(-3, 60), st.floats(0, 60).map(lambda x: round(x, 1)), st.sampled_from(["", "x", "nan"])
)


@given(
    st.lists(
        st.tuples(st.sampled_from(["managed_rate", "death_ratio", "mean_amount"]), cell, cell),
        min_size=1,
        max_size=12,
    )
)
def test_each_line_is_computed_exactly_when_compute_accepts_its_counts(
    tiny: Catalog, lines: list[tuple[str, object, object]]
) -> None:
    table = [
        {"indicator": iid, "area": f"area{i}", "period": "2023", "numerator": num, "denominator": den}
        for i, (iid, num, den) in enumerate(lines)
    ]
    card = scorecard(table, catalog=tiny)
    computed = {row.line: row for row in card}
    failed = {error.line for error in card.errors}
    assert not computed.keys() & failed
    for line, (iid, num, den) in enumerate(lines, start=2):
        numbers = [v for v in (num, den) if not isinstance(v, str)]
        accepted = len(numbers) == 2
        if accepted:
            try:
                tiny.get(iid).compute(*numbers)
            except InvalidCountsError:
                accepted = False
        assert (line in computed) == accepted, (line, iid, num, den)
        assert (line in failed) != accepted
        if accepted:
            scale = {"managed_rate": 100, "death_ratio": 100_000, "mean_amount": 10_000}[iid]
            assert computed[line].value == pytest.approx(num / den * scale)  # type: ignore[operator]


# -- exports ------------------------------------------------------------------------------


@pytest.fixture
def card(tmp_path: pathlib.Path, tiny: Catalog) -> Scorecard:
    return scorecard(write(tmp_path, WIDE), plan(MANAGED_90), benchmark="A", catalog=tiny, rules=RULES)


def test_csv_round_trip(card: Scorecard) -> None:
    out = io.StringIO()
    card.write_csv(out)
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(read[0]) == CSV_COLUMNS
    assert len(read) == len(card)
    for row, record in zip(card, read, strict=True):
        assert float(record["value"]) == row.value  # repr round-trips exactly
        assert int(record["line"]) == row.line
        assert record["target_status"] == row.target_status.value
        assert record["benchmark_status"] == (
            "" if row.benchmark_status is None else row.benchmark_status.value
        )
        assert record["violations"] == ";".join(row.violations)
        # Shortest round-tripping text, whichever writer (0.0 may be "0").
        assert (record["lower"] == "") if row.lower is None else float(record["lower"]) == row.lower
        assert record["numerator"] == str(int(row.numerator))  # counts as integers


@pytest.mark.parametrize("pyarrow", ["1", "0"])
def test_both_csv_writers_write_the_same_table(
    card: Scorecard, pyarrow: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from phindicators.scorecard import formatting

    monkeypatch.setenv(formatting.NO_PYARROW_VARIABLE, pyarrow)
    formatting.has_pyarrow.cache_clear()
    try:
        out = io.StringIO()
        card.write_csv(out)
    finally:
        formatting.has_pyarrow.cache_clear()
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [record["display_en"] for record in read] == [row.display_en for row in card]
    assert [record["numerator"] for record in read] == [str(int(row.numerator)) for row in card]


def test_csv_to_a_path(card: Scorecard, tmp_path: pathlib.Path) -> None:
    card.write_csv(tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == len(card) + 1


def test_json_document(card: Scorecard) -> None:
    document = json.loads(json_text(card.to_json()))
    assert document["target_set"] == "tiny_plan" and document["benchmark"] == "A"
    assert [row["line"] for row in document["rows"]] == [row.line for row in card]
    assert document["rows"][0]["target_status"] == "met"
    assert document["rows"][-1]["violations"] == ["deaths_within_births"]
    assert document["targets"][0]["threshold"] == [90.0]
    assert document["errors"][0] == {
        "line": 3,
        "problem": "empty",
        "column": "deaths",
        "indicator": "",
        "value": "",
        "other_line": None,
        "suggestions": [],
    }
    assert document["violations"][0]["rule"] == "deaths_within_births"


def test_records_match_the_rows(card: Scorecard) -> None:
    for row, record in zip(card, card.records(), strict=True):
        assert record["value"] == row.value and record["area"] == row.area


def test_plain_text_in_both_languages(card: Scorecard) -> None:
    zh, en = card.to_text("zh"), card.to_text("en")
    assert zh.splitlines()[1].split()[:5] == ["指标", "地区", "时期", "分子", "分母"]
    assert en.splitlines()[1].split()[:5] == ["indicator", "area", "period", "numerator", "denominator"]
    assert "与A比较" in zh and "vs A" in en
    assert "第3行：deaths为空" in zh and "line 3: deaths is empty" in en
    assert "（基准）" in zh and "达标" in zh
    with pytest.raises(InvalidOptionError):
        card.to_text("fr")


def test_columns_must_be_the_row_fields() -> None:
    with pytest.raises(InvalidOptionError, match="scorecard columns must start with"):
        Scorecard(columns={"line": ()})


def test_progress_is_reported_per_indicator(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    calls: list[tuple[int, int]] = []
    scorecard(write(tmp_path, WIDE), catalog=tiny, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


# -- the plot -------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Glyph:UserWarning")  # machines without a Chinese font
def test_the_plot_is_a_png(card: Scorecard) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib is the optional plot extra")
    out = io.BytesIO()
    card.plot(out, lang="en")
    assert out.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plots_of_many_rows_are_caterpillars_and_empty_ones_refused(tiny: Catalog) -> None:
    pytest.importorskip("matplotlib")
    table = [{"area": f"a{i}", "period": "2023", "births": 1000, "managed": 500 + i} for i in range(501)]
    out = io.BytesIO()
    scorecard(table, catalog=tiny).plot(out, lang="en")
    assert out.getvalue().startswith(b"\x89PNG")
    with pytest.raises(InvalidOptionError, match="no rows to plot"):
        scorecard([{"area": "a", "period": "2023", "births": 0, "managed": 0}], catalog=tiny).plot(
            io.BytesIO()
        )


def test_without_a_cjk_font_the_plot_says_which_to_install(
    tiny: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib")
    from phindicators.scorecard import plot

    monkeypatch.setattr(plot, "_CJK_FONTS", ("No Such Font",))
    table = [{"area": "甲县", "period": "2023", "births": 1000, "managed": 900}]
    out = io.BytesIO()
    note = scorecard(table, catalog=tiny).plot(out)  # no glyph warnings (they would be errors here)
    assert note == plot.CJK_FONT_HINT and "fonts-noto-cjk" in note and "--lang en" in note
    assert scorecard(table, catalog=tiny).plot(io.BytesIO(), lang="en") is None


def test_without_matplotlib_the_plot_says_how_to_install_it(
    card: Scorecard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'phindicators\[plot\]'"):
        card.plot(io.BytesIO())


# -- the bundled example (bundled data) -------------------------------------------------------


def test_the_bundled_example_reproduces_the_seed_figures() -> None:
    text = (
        resources.files("phindicators")
        .joinpath("data", "examples", "scorecard_example.csv")
        .read_text("utf-8")
    )
    card = scorecard(io.StringIO(text), "women_outline_2011", benchmark=POOLED)
    assert card.errors == () and card.violations == ()
    seed = {row.indicator: row.display_zh for row in card if row.area == "某市"}
    # As seeds/000 prints them ("92.68/十万" is the ratio per 100 000).
    assert seed["maternal_systematic_management_rate"] == "95.52%"
    assert seed["maternal_mortality_ratio"] == "92.68/10万"
    assert seed["infant_mortality_rate"] == "10.66‰"
    assert seed["food_hygiene_license_rate"] == "96.1%"
    assert seed["public_place_license_rate"] == "96.8%"
    assert seed["inpatient_reimbursement_per_beneficiary"] == "1179元"
    # Illustrative areas say so in their names.
    assert {row.area for row in card} - {"某市", "雨山区"} == {"示例县甲（虚构）", "示例县乙（虚构）"}
    assert not math.isnan(sum(row.value for row in card))


def test_row_error_problems_are_known() -> None:
    with pytest.raises(ValueError):
        RowError(line=2, problem="odd")


# -- DataFrames, mapped columns, several target sets, trends (issue 16) --------------------


MANAGED_95 = Target(
    id="managed_95", indicator="managed_rate", comparator=">=", threshold=95, unit="percent",
    plan="strict_plan", source=SPEC,
)


def strict_plan() -> TargetSet:
    return TargetSet(
        id="strict_plan", name_zh="严格规划", name_en="Strict plan", version="1", source=SPEC,
        targets=(MANAGED_95,),
    )


def test_area_and_period_columns_are_mapped_by_the_caller(tiny: Catalog) -> None:
    rows = [{"县区": "甲县", "年份": 2023, "births": 1000, "managed": 950}]
    card = scorecard(rows, catalog=tiny, area="县区", period="年份")
    assert [(row.area, row.period, row.indicator) for row in card] == [("甲县", "2023", "managed_rate")]
    with pytest.raises(ParseError, match="area"):
        scorecard(rows, catalog=tiny)


def test_several_target_sets_and_the_uncertain_status(tiny: Catalog) -> None:
    # 950/1000 = 95 %: Wilson's 95 % interval (93.5–96.2, statsmodels) holds
    # the strict threshold but not the lenient one.
    low, high = proportion_confint(950, 1000, method="wilson")
    assert low * 100 < 95 < high * 100 and low * 100 > 90
    rows = [{"area": "甲县", "period": "2023", "births": 1000, "managed": 950}]
    card = scorecard(rows, [plan(MANAGED_90), strict_plan()], catalog=tiny, uncertain=True)
    [row] = card.rows
    assert row.target_status is TargetStatus.MET and row.target_gap == pytest.approx(5.0)
    assert card.columns["target_status_strict_plan"][0] is TargetStatus.UNCERTAIN
    assert card.columns["target_gap_strict_plan"][0] == pytest.approx(0.0)
    assert card.target_sets == ("tiny_plan", "strict_plan")
    record = card.records()[0]
    assert record["target_status_strict_plan"] == "uncertain" and record["target"] == "managed_90"
    out = io.StringIO()
    card.write_csv(out)
    header = out.getvalue().splitlines()[0].split(",")
    assert header[-3:] == ["target_strict_plan", "target_status_strict_plan", "target_gap_strict_plan"]
    # Without uncertain=True the same value is judged on its point estimate.
    strict = scorecard(rows, strict_plan(), catalog=tiny)
    assert strict.rows[0].target_status is TargetStatus.MET


def test_counts_are_integers_and_amounts_keep_their_decimals(tiny: Catalog) -> None:
    rows = [{"area": "甲县", "period": "2023", "births": "1,000", "managed": 950.0,
             "amount": 9.55, "beneficiaries": 100}]
    card = scorecard(rows, catalog=tiny)
    by_id = {row.indicator: row for row in card}
    assert type(by_id["managed_rate"].numerator) is int and by_id["managed_rate"].denominator == 1000
    assert by_id["mean_amount"].numerator == pytest.approx(9.55)
    frame = card.to_frame()
    assert frame.loc[frame["indicator"] == "managed_rate", "numerator"].tolist() == [950]


def test_polars_and_pyarrow_frames_give_the_same_card(tiny: Catalog) -> None:
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    data = {"area": ["甲县", "乙县"], "period": ["2023", "2023"], "births": [1000, None], "managed": [950, 10]}
    expected = scorecard([dict(zip(data, values, strict=True)) for values in zip(*data.values(), strict=True)],
                         catalog=tiny)
    for table in (pl.DataFrame(data), pa.table(data)):
        card = scorecard(table, catalog=tiny)
        assert card.records() == expected.records()
        assert [str(error) for error in card.errors] == ["line 3: births is empty"]
    frame = scorecard(pl.DataFrame(data), catalog=tiny).to_frame("polars")
    assert isinstance(frame, pl.DataFrame) and frame["display_zh"].to_list() == ["95.00%"]


def test_a_table_read_from_a_gbk_file_keeps_its_line_numbers(tmp_path: pathlib.Path, tiny: Catalog) -> None:
    pytest.importorskip("pandas")
    from phindicators.io import read_table

    text = "# 2023年报\n地区,时期,births,managed\n甲县,2023,1000,950\n\n乙县,2023,-5,1\n"
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    card = scorecard(read_table(path), catalog=tiny)
    assert [row.area for row in card] == ["甲县"]
    assert [str(error) for error in card.errors] == ["line 5: births is negative: -5"]


def _cochran_armitage_z(x: list[int], n: list[int]) -> float:
    """The chi-squared test for trend's z, written out from its textbook
    formula (Armitage 1955) with times 0..4."""
    times = range(len(x))
    p = sum(x) / sum(n)
    mean_time = sum(t * m for t, m in zip(times, n, strict=True)) / sum(n)
    top = sum((t - mean_time) * k for t, k in zip(times, x, strict=True))
    spread = sum(m * (t - mean_time) ** 2 for t, m in zip(times, n, strict=True))
    return top / math.sqrt(p * (1 - p) * spread)


def test_the_trend_column_over_the_latest_five_periods(tiny: Catalog) -> None:
    years = [2017, 2018, 2019, 2020, 2021, 2022, 2023]
    series = {
        "rising": [800, 810, 850, 880, 910, 940, 960],  # of 1000 managed: rising, good
        "falling": [960, 950, 930, 900, 880, 860, 840],
        "flat": [900, 905, 898, 902, 900, 899, 901],
        "short": [900, 950, 990],  # three periods: no trend
    }
    rows = [
        {"area": area, "period": str(year), "births": 1000, "managed": managed}
        for area, values in series.items()
        for year, managed in zip(years[-len(values):], values, strict=True)
    ]
    card = scorecard(rows, catalog=tiny)
    latest = {row.area: row.trend for row in card if row.period == "2023"}
    earlier = {row.trend for row in card if row.period != "2023"}
    assert earlier == {None}
    expected = {}
    for area, values in series.items():
        if len(values) < 5:
            expected[area] = None
            continue
        z = _cochran_armitage_z(values[-5:], [1000] * 5)
        # 99.8 % two-sided: |z| > 3.090; high is good for managed_rate.
        expected[area] = (
            "increasing_and_getting_better" if z > 3.090
            else "decreasing_and_getting_worse" if z < -3.090
            else "no_significant_change"
        )
    assert {area: None if status is None else status.value for area, status in latest.items()} == expected
    assert expected["rising"] == "increasing_and_getting_better" and expected["flat"] == "no_significant_change"
    assert scorecard(rows, catalog=tiny, trend=False).rows[-1].trend is None


def test_column_formatting_gives_the_strings_of_display() -> None:
    np = pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    from phindicators.display import format_interval, format_value
    from phindicators.scorecard.formatting import format_displays, format_intervals, format_values

    rng = np.random.default_rng(16)
    values = np.concatenate([
        rng.uniform(0, 2000, 3000),
        np.round(rng.uniform(0, 100, 1000), 3),  # ties at 2 decimals and near them
        [np.nan, np.inf, -0.001, -5.555, 0.125, 1.005, 999.995, 999.6, 1e20, 0.0],
    ])
    lower, upper = values * 0.9, values * 1.1
    lower[3] = np.nan
    for unit, lang, denominator in [
        ("permille", "zh", ""), ("permille", "en", "live births"), ("per_hundred_thousand", "zh", ""),
        ("per_hundred_thousand", "en", "live births"), ("percent", "en", ""), ("percent", "zh", ""),
    ]:
        for decimals in (0, 1, 2):
            got = [str(text) for text in format_values(values, unit, decimals, lang, denominator)]
            assert got == format_value(values, unit, decimals, lang, denominator).tolist()
            for level in (0.95, 0.998):
                got = [str(text) for text in format_intervals(
                    values, lower, upper, unit, decimals, lang, confidence=level, denominator=denominator
                )]
                expected = format_interval(
                    values, lower, upper, unit, decimals, lang, confidence=level, denominator=denominator
                ).tolist()
                assert got == expected
                both = format_displays(values, lower, upper, unit, decimals, confidence=level,
                                       denominator=denominator)
                assert [str(text) for text in both[f"interval_{lang}"]] == expected
                assert [str(text) for text in both[f"display_{lang}"]] == format_value(
                    values, unit, decimals, lang, denominator
                ).tolist()


def test_a_decimal_comma_is_not_read_as_a_thousands_separator() -> None:
    """Regression: every comma was stripped from count cells, so "1,2" (a
    decimal comma) became 12 and gave a silently wrong rate. Separators are
    read only where they group digits by three."""
    card = scorecard(
        [
            {"area": "甲县", "period": "2023", "live_births": "1,2", "maternal_deaths": "1"},
            {"area": "乙县", "period": "2023", "live_births": "2,158", "maternal_deaths": "2"},
            {"area": "丙县", "period": "2023", "live_births": "12,34,567", "maternal_deaths": "2"},
            {"area": "丁县", "period": "2023", "live_births": "1_2", "maternal_deaths": "1"},
        ]
    )
    assert [(row.area, row.denominator) for row in card.rows] == [("乙县", 2158)]
    assert sorted(error.value for error in card.errors) == ["1,2", "12,34,567", "1_2"]
    assert {error.problem for error in card.errors} == {"not_a_number"}


def test_csv_output_cannot_run_as_a_formula() -> None:
    """Regression (issue 15, F14): areas and periods from the caller's file
    were written verbatim, so "=HYPERLINK(...)" ran when the CSV was opened
    in a spreadsheet, and the tab a user put before "=1+1" to neutralise it
    was stripped. Cells that start like a formula get a leading apostrophe
    (OWASP), on both writers, and a leading tab is kept."""
    import csv as csv_module
    import io

    rows = [
        {"area": '=HYPERLINK("http://evil","x")', "period": "2023", "live_births": 2164, "maternal_deaths": 1},
        {"area": "@SUM(1)", "period": "\t=1+1", "live_births": 2158, "maternal_deaths": 2},
        {"area": "+A1", "period": "-A1", "live_births": 1000, "maternal_deaths": 1},
    ]
    out = io.StringIO()
    scorecard(rows).write_csv(out)
    written = list(csv_module.DictReader(io.StringIO(out.getvalue())))
    cells = [(row["area"], row["period"]) for row in written]
    assert cells == [
        ('\'=HYPERLINK("http://evil","x")', "2023"),
        ("'@SUM(1)", "'\t=1+1"),
        ("'+A1", "'-A1"),
    ]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in written for cell in row.values())


def test_money_rows_get_no_interval_and_no_benchmark_verdict() -> None:
    """Regression (issue 15, F4 in scorecards): a share of money got the
    kind's interval settings (confidence 0.95 with no limits), and a pooled
    benchmark stopped the whole scorecard with an InvalidOptionError."""
    from phindicators import get

    share = get("oop_share_of_health_expenditure")
    rows = [
        {"area": area, "period": "2023", share.numerator.id: spent, share.denominator.id: 100}
        for area, spent in (("甲县", 30), ("乙县", 20))
    ]
    card = scorecard(rows, benchmark="pooled")
    money = [row for row in card.rows if row.indicator == share.id]
    assert [row.value for row in money] == [30.0, 20.0]
    assert all(row.lower is None and row.confidence is None and row.method is None for row in money)
    assert {row.benchmark_status.value for row in money} == {"not_compared"}
    assert not card.errors


def _kinds_of_rows() -> list[dict[str, object]]:
    """A long table whose indicators give every kind of column a scorecard
    has: counts without a denominator (None beside integers), money (floats
    beside integer counts), means without an interval, rates with the exact
    and Byar methods, an area that starts like a formula, and bad rows."""
    rows: list[dict[str, object]] = []
    for number in range(12):
        area = "=evil" if number == 3 else f"县{number}"
        for period in ("2019", "2020", "2021", "2022", "2023"):
            rows += [
                {"indicator": "infant_mortality_rate", "area": area, "period": period,
                 "numerator": 3 + number * 7, "denominator": 2000 + number},
                {"indicator": "maternal_mortality_ratio", "area": area, "period": period,
                 "numerator": number % 3, "denominator": 2158 + number},
                {"indicator": "health_education_print_kinds", "area": area, "period": period,
                 "numerator": 10 + number, "denominator": ""},
                {"indicator": "inpatient_reimbursement_per_beneficiary", "area": area, "period": period,
                 "numerator": 12.5 + number, "denominator": 40 + number},
                {"indicator": "oop_share_of_health_expenditure", "area": area, "period": period,
                 "numerator": 30.25, "denominator": 100 + number},
            ]
    rows.append({"indicator": "infant_mortality_rate", "area": "县1", "period": "2024", "numerator": -1,
                 "denominator": 100})
    return rows


@pytest.mark.parametrize("benchmark", [POOLED, "县2", None])
def test_csv_written_block_by_block_equals_whole_columns(benchmark: str | None) -> None:
    """The CSV writer goes block by block through columns kept per indicator
    (:mod:`phindicators.scorecard.columns`), so that a million-row scorecard
    never holds all its strings. The file must be the one written in a
    single block, and the one written from the whole columns as a plain
    dict (the writer's other path), over blocks that cut indicators apart."""
    import importlib

    from tests.conftest import patched

    pytest.importorskip("pyarrow")
    columns_module = importlib.import_module("phindicators.scorecard.columns")
    card = scorecard(_kinds_of_rows(), ["healthy_china_2030", "women_outline_2011"], benchmark=benchmark)
    assert len(card) > 3 * 7 and card.errors

    def written(of: Scorecard) -> str:
        out = io.StringIO()
        of.write_csv(out)
        return out.getvalue()

    with patched(columns_module, BLOCK_ROWS=7):
        blocked = written(card)
    whole = written(card)
    plain = Scorecard(columns={name: card.columns[name] for name in card.columns})
    assert blocked == whole == written(plain)
    lines = list(csv.DictReader(io.StringIO(blocked)))
    assert len(lines) == len(card)
    assert {line["area"] for line in lines} >= {"'=evil", "县0"}
