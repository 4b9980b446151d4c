"""The command line runs on the bundled catalog and exits 2 on bad input."""

from __future__ import annotations

import pytest

from phindicators.cli import main


def test_demo_lists_and_recomputes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "maternal_mortality_ratio" in out
    assert "2067/2164 -> 95.52%" in out


def test_compute_by_chinese_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compute", "婴儿死亡率", "23", "2158"]) == 0
    assert capsys.readouterr().out.strip() == "婴儿死亡率 (infant_mortality_rate): 10.66‰"


def test_list_by_domain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--domain", "child_health"]) == 0
    out = capsys.readouterr().out
    assert "infant_mortality_rate" in out and "maternal_mortality_ratio" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compute", "婴儿死亡", "1", "2"], "did you mean"),
        (["compute", "婴儿死亡率", "1", "0"], "denominator is zero"),
        (["list", "--domain", "x"], "no domain 'x'"),
    ],
)
def test_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_usage_exits_2() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["compute", "x", "one"])
    assert caught.value.code == 2
