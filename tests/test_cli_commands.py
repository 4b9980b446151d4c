"""Every subcommand through main([...]): output, exit status, atomic files, progress."""

from __future__ import annotations

import csv
import io
import json
import os
import pathlib
import re
import sys

import pytest
from scipy.stats import chi2

from phindicators.cli import common as cli_common
from phindicators.cli import definitions as cli_definitions
from phindicators.cli import main
from phindicators.scorecard import Scorecard

TABLE = (
    "indicator,area,period,numerator,denominator\n"
    "maternal_mortality_ratio,甲县,2023,2,2158\n"  # 2
    "maternal_mortality_ratio,乙县,2023,x,1900\n"  # 3: not a number
    "maternal_mortality_ratio,丙县,2023,3,30000\n"  # 4
)


@pytest.fixture
def table(tmp_path: pathlib.Path) -> str:
    path = tmp_path / "table.csv"
    path.write_text(TABLE, encoding="utf-8")
    return str(path)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


# -- --help everywhere ------------------------------------------------------------------

COMMANDS = ["list", "show", "compute", "scorecard", "export", "demo", "audit"]


@pytest.mark.parametrize("argv", [[], *([command] for command in COMMANDS)], ids=["main", *COMMANDS])
def test_help_everywhere(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--help"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("usage: phindicators")


def test_the_main_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in COMMANDS)


# -- list, show, compute -------------------------------------------------------------------


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["list", "--domain", "maternal_health"], capsys)
    assert status == 0 and "maternal_mortality_ratio" in out and "infant_mortality_rate" not in out


def test_show_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["show", "孕产妇死亡率"], capsys)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "孕产妇死亡率 (maternal_mortality_ratio)"
    labelled = {
        line.split()[0]: line.split(None, 1)[1]
        for line in lines[1:]
        if line.startswith("  ") and line.split()
    }
    assert labelled["英文名称"] == "Maternal mortality ratio"
    assert labelled["计算公式"] == "孕产妇死亡数 / 活产数 × 10万"
    assert labelled["方向"] == "越低越好"
    assert labelled["单位"].startswith("/10万")
    # Targets from every bundled set that holds one on the indicator.
    assert "≤20/10万 [全国]  women_outline_2011" in out and "<70/10万 [全球]  sdg_2030" in out


def test_show_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["show", "infant_mortality_rate", "--lang", "en"], capsys)
    assert status == 0
    assert out.splitlines()[0] == "Infant mortality rate (infant_mortality_rate)"
    assert "formula       infant deaths / live births × 1,000" in out
    assert "polarity      lower is better" in out
    assert "≤10 per 1,000 live births [national]  children_outline_2011" in out


def test_compute_prints_the_value_and_on_request_its_interval(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["compute", "婴儿死亡率", "23", "2158"], capsys)[1]
        == "婴儿死亡率 (infant_mortality_rate): 10.66‰\n"
    )
    status, out, _ = run(["compute", "婴儿死亡率", "23", "2158", "--confidence", "0.95"], capsys)
    assert status == 0
    # Byar's limits, which the exact Poisson limits (chi-squared) bracket to 0.01‰ here.
    exact = (chi2.ppf(0.025, 46) / 2 / 2158 * 1000, chi2.ppf(0.975, 48) / 2 / 2158 * 1000)
    assert (round(exact[0], 2), round(exact[1], 2)) == (6.76, 15.99)
    assert out == "婴儿死亡率 (infant_mortality_rate): 10.66‰（95%置信区间 6.75‰–15.99‰）\n"


def test_compute_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        ["compute", "maternal_systematic_management_rate", "2067", "2164", "--format", "json"], capsys
    )
    from statsmodels.stats.proportion import proportion_confint

    document = json.loads(out)
    low, high = proportion_confint(2067, 2164, method="wilson")
    assert status == 0
    assert document["value"] == pytest.approx(2067 / 2164 * 100)
    assert (document["lower"], document["upper"]) == pytest.approx((low * 100, high * 100))
    assert document["method"] == "wilson" and document["confidence"] == 0.95
    assert document["display_zh"] == "95.52%" and document["interval_en"].startswith("95.52% (95% CI ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compute", "婴儿死亡", "1", "2"], "did you mean"),
        (["compute", "婴儿死亡率", "3", "2", "--confidence", "0.5"], "confidence must be"),
        (["compute", "婴儿死亡率", "-1", "2"], "numerator is negative"),
        (["show", "no_such_indicator"], "no indicator named 'no_such_indicator'"),
        (["list", "--domain", "nowhere"], "no domain 'nowhere'"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2 and out == ""
    assert err.startswith("phindicators: error: ") and message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["compute", "婴儿死亡率", "one", "2"],
        ["scorecard", "--format", "xml"],
        ["export", "--format", "fihr"],
        ["nope"],
    ],
)
def test_bad_usage_exits_2_from_the_parser(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "error:" in capsys.readouterr().err


# -- scorecard -------------------------------------------------------------------------------


def test_scorecard_of_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["scorecard", "--targets", "women_outline_2011", "--benchmark", "pooled"], capsys)
    assert status == 0 and err == ""
    assert out.startswith("记分卡：22行，目标：women_outline_2011，基准：合计")
    assert re.search(r"\n孕产妇系统管理率 +某市 +XX年1-10月 +2067 +2164 +95\.52%", out)
    assert "示例县甲（虚构）" in out


def test_scorecard_with_bad_rows_exits_1_and_computes_the_rest(
    table: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["scorecard", table, "--lang", "en"], capsys)
    assert status == 1 and err == ""
    assert "甲县" in out and "丙县" in out and "92.68 per 100,000 live births" in out
    assert "line 3: numerator is not a number: 'x'" in out


def test_scorecard_as_csv_sends_the_errors_to_stderr(table: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["scorecard", table, "--format", "csv", "--targets", "healthy_china_2030"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 1
    assert [(row["line"], row["area"], row["target_status"]) for row in rows] == [
        ("2", "甲县", "not_met"),
        ("4", "丙县", "met"),
    ]
    assert err == "phindicators: 第3行：分子不是数字：'x'\n"


def test_scorecard_as_json_to_a_file(
    table: str, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "card.json"
    status, out, err = run(
        ["scorecard", table, "--format", "json", "--output", str(output), "--benchmark", "甲县"], capsys
    )
    document = json.loads(output.read_text(encoding="utf-8"))
    assert status == 1 and out == ""
    assert "line 3" in err or "第3行" in err
    # 丙县: 3 deaths in 30 000 births; the exact upper limit, chi2(0.975, 8) / 2 = 8.77
    # deaths, is 29.2 per 100 000, below 甲县's 92.68: better (lower is better).
    assert chi2.ppf(0.975, 8) / 2 / 30000 * 100_000 < 92.68
    assert [row["benchmark_status"] for row in document["rows"]] == [None, "better"]
    assert document["errors"][0]["line"] == 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--targets", "women_outline_2012"], "no target set named 'women_outline_2012'; did you mean"),
        (["--benchmark", "丁县"], "benchmark area '丁县' is not in the table"),
        (["--confidence", "95.5.1"], None),
    ],
)
def test_scorecard_usage_errors(
    table: str, extra: list[str], message: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    if message is None:  # the parser refuses it
        with pytest.raises(SystemExit) as caught:
            main(["scorecard", table, *extra])
        assert caught.value.code == 2
        return
    status, out, err = run(["scorecard", table, *extra], capsys)
    assert status == 2 and out == "" and message in err


def test_scorecard_of_files_that_cannot_be_read(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(["scorecard", str(tmp_path / "missing.csv")], capsys)
    assert status == 2 and "cannot read" in err and "No such file" in err
    status, _, err = run(["scorecard", str(tmp_path)], capsys)
    assert status == 2 and "cannot read" in err
    # A GBK file (what Excel on Chinese Windows saves) reads as the UTF-8
    # table does; forcing the wrong encoding is a clear error.
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text(TABLE, encoding="utf-8")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(TABLE.encode("gb18030"))
    expected, expected_out, _ = run(["scorecard", str(utf8)], capsys)
    status, out, err = run(["scorecard", str(gbk)], capsys)
    assert (status, out) == (expected, expected_out) and "Traceback" not in err
    status, _, err = run(["scorecard", str(gbk), "--encoding", "utf-8"], capsys)
    assert status == 2 and "utf-8" in err.lower() and "Traceback" not in err
    header = tmp_path / "header.csv"
    header.write_text("area,period,live_birth\n", encoding="utf-8")
    status, _, err = run(["scorecard", str(header)], capsys)
    assert status == 2 and "did you mean 'live_births'" in err


def test_scorecard_output_into_a_missing_directory(
    table: str, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(["scorecard", table, "--output", str(tmp_path / "no" / "card.csv")], capsys)
    assert status == 2 and "cannot write" in err


@pytest.mark.filterwarnings("ignore:Glyph:UserWarning")  # machines without a Chinese font
def test_scorecard_plot(table: str, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib is the optional plot extra")
    plot = tmp_path / "card.png"
    status, _, _ = run(["scorecard", table, "--targets", "healthy_china_2030", "--plot", str(plot)], capsys)
    assert status == 1  # line 3 is bad; the plot is drawn all the same
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.png", "table.csv"]


def test_scorecard_plot_without_matplotlib(
    table: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    plot = tmp_path / "card.png"
    status, _, err = run(["scorecard", table, "--plot", str(plot)], capsys)
    assert status == 2 and "pip install 'phindicators[plot]'" in err
    assert not plot.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


# -- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_", "key"),
    [("json", "indicators"), ("schema", "$schema"), ("fhir", "resourceType"), ("dhis2", "indicators")],
)
def test_export_formats(format_: str, key: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["export", "--format", format_], capsys)
    assert status == 0 and key in json.loads(out)


def test_export_to_a_file(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "catalog.json"
    status, out, _ = run(["export", "--output", str(output)], capsys)
    document = json.loads(output.read_text(encoding="utf-8"))
    assert status == 0 and out == ""
    assert "maternal_mortality_ratio" in json.dumps(document["indicators"])
    assert any(target_set["id"] == "sdg_2030" for target_set in document["target_sets"])


# -- atomic writes ----------------------------------------------------------------------------


def test_an_interrupted_export_leaves_the_previous_file(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "catalog.json"
    output.write_text("previous export\n", encoding="utf-8")

    def half_then_fail(document: object, file: io.TextIOBase) -> None:
        file.write('{"indicators": [')
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(cli_definitions, "write_json", half_then_fail)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        main(["export", "--output", str(output)])
    assert output.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.json"]


def test_an_interrupted_scorecard_leaves_the_previous_file(
    table: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "card.csv"
    output.write_text("previous scorecard\n", encoding="utf-8")
    os.chmod(output, 0o640)

    def half_then_interrupt(self: Scorecard, file: io.TextIOBase) -> None:
        file.write("line,indicator\n2,maternal")
        raise KeyboardInterrupt

    monkeypatch.setattr(Scorecard, "write_csv", half_then_interrupt)
    status, _, err = run(["scorecard", table, "--format", "csv", "--output", str(output)], capsys)
    assert status == 130 and "interrupted" in err
    assert output.read_text(encoding="utf-8") == "previous scorecard\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.csv", "table.csv"]
    monkeypatch.undo()
    # A complete run replaces the file and keeps its permissions.
    assert main(["scorecard", table, "--format", "csv", "--output", str(output)]) == 1
    assert output.read_text(encoding="utf-8").startswith("line,indicator,name_zh")
    assert output.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.csv", "table.csv"]


# -- progress ---------------------------------------------------------------------------------


def test_a_progress_bar_for_large_tables_on_a_terminal(
    table: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_common, "LARGE_INPUT", 2)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, out, err = run(["scorecard", table], capsys)
    assert status == 1 and "甲县" in out
    frames = err.split("\r")
    assert frames[-1].startswith("computing [" + "#" * 30 + "] 100%") and err.endswith("\n")
    assert any(frame.startswith("reading") and frame.rstrip().endswith("100%") for frame in frames)


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    table: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_common, "LARGE_INPUT", 2)
    status, _, err = run(["scorecard", table], capsys)
    assert status == 1 and err == ""


# -- demo and audit still work ---------------------------------------------------------------


def test_demo_and_audit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert "2067/2164 -> 95.52%" in capsys.readouterr().out
    assert main(["audit"]) == 1
    assert "the bundled example report" in capsys.readouterr().out


def test_a_closed_pipe_exits_0_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Regression (issue 15): when the reader went away (`| head`) the
    command exited 1, which means "a figure does not add up"."""

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise io.UnsupportedOperation("no file descriptor")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["list"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_ctrl_c_exits_130_without_a_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_definitions, "indicators", interrupted)
    assert main(["list"]) == 130
    assert "interrupted" in capsys.readouterr().err


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_scorecard_refuses_endless_and_special_files(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Regression (issue 15, F7): `phindicators scorecard /dev/zero` read
    the device whole and was killed for lack of memory; a FIFO without a
    writer waited forever. Both are refused at once, with exit 2."""
    status, _, err = run(["scorecard", "/dev/zero"], capsys)
    assert status == 2 and "not a regular file" in err and "Traceback" not in err
    fifo = tmp_path / "table.csv"
    os.mkfifo(fifo)
    status, _, err = run(["scorecard", str(fifo)], capsys)
    assert status == 2 and "not a regular file" in err


def test_plot_format_follows_the_extension(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Regression (issue 15): `--plot x.svg` wrote a PNG under an .svg name,
    and any extension was accepted."""
    pytest.importorskip("matplotlib")
    svg = tmp_path / "card.svg"
    status, _, err = run(["scorecard", "--plot", str(svg), "--lang", "en"], capsys)
    assert status == 0, err
    assert svg.read_bytes().lstrip().startswith((b"<?xml", b"<svg"))
    png = tmp_path / "card.png"
    assert run(["scorecard", "--plot", str(png), "--lang", "en"], capsys)[0] == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    text = tmp_path / "card.txt"
    status, _, err = run(["scorecard", "--plot", str(text)], capsys)
    assert status == 2 and ".svg" in err and not text.exists()


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        (["9007199254740993", "10000000000000000"], "numerator=9007199254740993"),
        (["4503599627370496.5", "9007199254740000"], "more digits than a float holds"),
        (["nan", "10"], "not a finite number"),
    ],
)
def test_compute_never_rounds_what_was_typed(
    numbers: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression (issue 15, F19): counts typed on the command line were
    read with float(), so 9007199254740993 reached the library as
    9007199254740992 and messages showed a number nobody typed."""
    try:
        status = main(["compute", "maternal_mortality_ratio", *numbers])
    except SystemExit as exit:  # argparse's own exit for an argument it refuses
        status = exit.code
    assert status == 2 and message in capsys.readouterr().err
