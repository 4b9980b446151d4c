"""Reading stays linear in the length of a sentence (issue 15, F12).

Each text below took 17 s or more when reading was quadratic (48 KB of one
sentence); the budgets are generous for a shared machine and still far below
what a quadratic loop takes.
"""

from __future__ import annotations

import time

import pytest

import phindicators as ph


@pytest.mark.parametrize(
    "text",
    [
        "孕产妇死亡率" + "1/10万" * 8000,  # thousands of counts after one name
        "孕产妇系统管理率95%," * 4000,  # thousands of figures in one sentence
        "产妇2164人,系统管理2067人," * 4000,
        "系统管理率(" * 20000,  # thousands of names, no figure
        "卫生监督覆盖率和婚检率分别为" * 4000,
        "孕产妇系统管理率、" * 8000,
        "孕产妇死亡率由2005年的36.2/10万下降至2015年的18.4/10万," * 2000,  # changes
        "孕产妇死亡率呈现下降趋势,由2005年的36.2/10万," * 2000,  # changes without a name
        "管理率达到91.57%,较2012年(84.99%和94.08%)," * 2000,  # bracketed earlier values
        "婴儿死亡率和5岁以下儿童死亡率下降到8.9‰和11.7‰," * 2000,  # lists
        "疫苗名称\n" + "卡介苗\n" * 20000 + "接种率(%)\n" + "99.1\n" * 20000,  # a column table's cells
        "孕产妇死亡率10.66/10万,目标22.2/10万," * 2000,  # unnamed targets (issue 19, report 22)
        "孕产妇死亡率在0人及11.2人之间," * 2000,  # ranges (report 33)
        "婚检率为" + "1 " * 50000,  # one long run of spaced digits (report 47)
    ],
    ids=["counts", "figures", "pairs", "names", "respectively", "coordinated", "changes", "carried",
         "compared", "lists", "columns", "targets", "ranges", "spaced"],
)
def test_one_long_sentence_is_read_in_linear_time(text: str) -> None:
    ph.extract("婚检率99%")  # load the catalog outside the timing
    start = time.perf_counter()
    ph.extract(text)
    assert time.perf_counter() - start < 3


def test_doubling_a_sentence_about_doubles_the_time() -> None:
    ph.extract("婚检率99%")
    unit = "孕产妇死亡率" + "1/10万" * 4000

    def seconds(text: str) -> float:
        return min(_timed(text) for _ in range(3))

    # A quadratic reading takes four times as long on twice the text.
    assert seconds(unit * 4) < 6 * seconds(unit) + 0.05


def _timed(text: str) -> float:
    start = time.perf_counter()
    ph.extract(text)
    return time.perf_counter() - start
