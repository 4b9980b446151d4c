"""Count columns headed by a term's name, as hand-made spreadsheets head them
("活产数", "live births"), read as the term: in scorecards, on the command
line and in compute_frame."""

from __future__ import annotations

import pathlib

import pytest

import phindicators as ph
from phindicators.catalog import bundled_catalog
from phindicators.cli import main
from phindicators.errors import ParseError

pd = pytest.importorskip("pandas")

ID_TABLE = "area,period,live_births,maternal_deaths,infant_deaths\n甲县,2023,2158,2,23\n乙县,2023,1900,0,12\n"
NAMED_TABLE = "地区,时期,活产数,孕产妇死亡数,Infant deaths\n甲县,2023,2158,2,23\n乙县,2023,1900,0,12\n"


def _rows(card: ph.Scorecard) -> list[tuple[str, str, str]]:
    return sorted((r.indicator, r.area, r.display_zh) for r in card)


def test_term_id_reads_ids_and_both_names() -> None:
    catalog = bundled_catalog()
    for term in catalog.terms.values():
        assert catalog.term_id(term.id) == term.id
        assert catalog.term_id(f" {term.name_zh} ") == term.id
        assert catalog.term_id(term.name_en.upper()) == term.id
    assert catalog.term_id("县区") is None


def test_a_scorecard_reads_term_names_as_their_ids(tmp_path: pathlib.Path) -> None:
    named, ids = tmp_path / "named.csv", tmp_path / "ids.csv"
    named.write_text(NAMED_TABLE, encoding="gb18030")
    ids.write_text(ID_TABLE, encoding="utf-8")
    by_name = ph.scorecard(pd.read_csv(named, encoding="gb18030"))
    assert _rows(by_name) == _rows(ph.scorecard(str(ids)))
    assert {r.indicator for r in by_name} == {"infant_mortality_rate", "maternal_mortality_ratio"}


def test_the_cli_reads_a_gbk_table_with_chinese_headers(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "counties.csv"
    path.write_bytes(NAMED_TABLE.replace("地区", "县区").encode("gbk"))
    assert main(["scorecard", str(path), "--area", "县区", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "10.66‰" in out and "92.68/10万" in out


def test_a_near_miss_header_is_refused_with_the_names_it_may_mean() -> None:
    table = "地区,时期,活产数,系统管理人数\n甲县,2023,2158,2000\n"
    with pytest.raises(ParseError, match="孕产妇系统管理人数"):
        ph.scorecard(pd.DataFrame([r.split(",") for r in table.splitlines()[1:]],
                                  columns=table.splitlines()[0].split(",")))


def test_compute_frame_finds_term_columns_by_name() -> None:
    named = pd.DataFrame({"县区": ["甲县", "乙县"], "活产数": [2158, 1900], "孕产妇死亡数": [2, 0],
                          "Infant deaths": [23, 12]})
    ids = named.rename(columns={"活产数": "live_births", "孕产妇死亡数": "maternal_deaths",
                                "Infant deaths": "infant_deaths"})
    wanted = ["infant_mortality_rate", "maternal_mortality_ratio"]
    got = ph.compute_frame(named, wanted, by="县区")
    pd.testing.assert_frame_equal(got, ph.compute_frame(ids, wanted, by="县区"))
    assert got["display_zh"].tolist() == ["10.66‰", "92.68/10万", "6.32‰", "0.00/10万"]


def test_an_id_column_wins_over_a_name_column() -> None:
    both = pd.DataFrame({"live_births": [2158], "活产数": [1], "infant_deaths": [23]})
    assert ph.compute_frame(both, "infant_mortality_rate")["denominator"].tolist() == [2158]
