"""`phindicators audit`: one row per figure, exit 0/1/2, table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import pathlib

import pytest

from phindicators.cli import main

CONSISTENT = "全市共有食品从业单位883户,取得卫生许可证的849户,发证率96.1%。\n"
TRUNCATED = (
    "全市产妇2164人,系统管理2067人,06岁儿童14167人,系统管理13178人,两个系统管理分别达到95.52%和93.01%。\n"
)
INCONSISTENT = "报销住院补助1595人,发放住院补助款21507万元,人均享受补助款1352元。\n"


def report(tmp_path: pathlib.Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding=encoding)
    return str(path)


def test_no_file_audits_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit"]) == 1  # the example keeps the seeds' 1352元 slip
    out = capsys.readouterr().out
    assert "the bundled example report" in out
    assert "inconsistent (scale)" in out and "truncated" in out and "93.02%" in out


def test_a_report_that_adds_up_exits_0(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", report(tmp_path, CONSISTENT)]) == 0
    out = capsys.readouterr().out
    assert "food_hygiene_license_rate" in out and "849户/883户" in out and "consistent" in out


def test_a_figure_that_does_not_add_up_exits_1(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", report(tmp_path, CONSISTENT + INCONSISTENT)]) == 1
    out = capsys.readouterr().out
    assert "134840元" in out and "万元 read as 元" in out


def test_truncated_figures_fail_only_when_strict(tmp_path: pathlib.Path) -> None:
    path = report(tmp_path, TRUNCATED)
    assert main(["audit", path]) == 0
    assert main(["audit", path, "--strict"]) == 1


def test_json(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", report(tmp_path, TRUNCATED), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["indicator"], r["reported"], r["verdict"]) for r in rows] == [
        ("maternal_systematic_management_rate", "95.52%", "consistent"),
        ("child_systematic_management_rate_0_6", "93.01%", "truncated"),
    ]
    assert rows[0]["denominator_words"] == "全市产妇" and rows[0]["denominator_is_definitions"] is False
    assert rows[1]["recomputed"] == "93.02%" and rows[1]["line"] == 1


def test_csv(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", report(tmp_path, CONSISTENT + INCONSISTENT), "--format", "csv"]) == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["verdict"] for r in rows] == ["consistent", "inconsistent (scale)"]
    assert rows[1]["counts"] == "21507万元/1595人" and rows[1]["line"] == "2"


def test_targets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--targets", "women_outline_2011", "--format", "json"]) == 1
    rows = {(r["indicator"], r["reported"]): r["target"] for r in json.loads(capsys.readouterr().out)}
    assert rows[("maternal_systematic_management_rate", "95.52%")] == "met"
    assert rows[("maternal_mortality_ratio", "92.68/十万")] == "not_met"
    assert rows[("food_hygiene_license_rate", "96.1%")] == "no_target"


def test_an_unknown_target_set_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--targets", "women_outline"]) == 2
    assert "did you mean" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: str(tmp / "missing.txt"), "cannot read"),
        (lambda tmp: str(tmp), "cannot read"),
        (lambda tmp: str(tmp / "report.docx"), "cannot read"),
    ],
)
def test_unreadable_files_exit_2(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], make: object, message: str
) -> None:
    assert main(["audit", make(tmp_path)]) == 2  # type: ignore[operator]
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err


def test_bad_usage_exits_2() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["audit", "--format", "xml"])
    assert caught.value.code == 2


def test_an_empty_report_has_no_rows(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", report(tmp_path, "")]) == 0
    assert "0 indicator figures" in capsys.readouterr().out


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_reports_in_other_encodings_are_read(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    assert main(["audit", report(tmp_path, CONSISTENT, encoding=encoding), "--format", "csv"]) == 0
    assert "consistent" in capsys.readouterr().out


def test_misses_are_listed_with_their_reason(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = report(tmp_path, "孕产妇死亡率下降了38.2%。")
    assert main(["audit", path]) == 0
    assert "38.2%: not a value" in capsys.readouterr().out


def test_unreadable_numbers_are_listed(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = report(tmp_path, "住院分娩率为10 0 %。")
    assert main(["audit", path]) == 0
    out = capsys.readouterr().out
    assert "1 unreadable number" in out
    assert "10 0 % after 住院分娩率: unreadable number" in out
