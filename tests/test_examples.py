"""The runnable examples, and the documentation's coverage of the library.

- every script in ``examples/`` runs and prints what it promises;
- every name of ``phindicators.__all__`` is documented in ``docs/api.rst``;
- the catalog pages generated at docs build time cover every bundled
  indicator and target set, with every target and the interval method.

The Sphinx build itself (``sphinx-build -W -n`` for html and doctest) is a
separate CI step; these tests need neither Sphinx nor a build.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from statsmodels.stats.proportion import proportion_confint

import phindicators as ph
from phindicators.model import Source
from phindicators.stats import INTERVAL_METHODS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"


def run_example(name: str, *args: str) -> str:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def line_with(output: str, *words: str) -> str:
    """The one output line holding every word."""
    found = [line for line in output.splitlines() if all(word in line for word in words)]
    assert len(found) == 1, f"expected one line with {words}, got {found!r} in:\n{output}"
    return found[0]


# -- examples/ ---------------------------------------------------------------------


def test_scorecard_example_prints_values_targets_and_the_broken_rule() -> None:
    output = run_example("scorecard.py")
    # 1862 / 1950 = 95.487…%, at least the 85 % of the women's outline.
    assert "达标" in line_with(output, "孕产妇系统管理率", "城关镇", "95.49%")
    # 1 / 352 × 100 000 = 284.09 per 10万, above the outline's 20.
    assert "未达标" in line_with(output, "孕产妇死亡率", "西山乡", "284.09/10万")
    # 北坡乡 reports 2 neonatal deaths but 1 infant death.
    assert "2 > 1" in line_with(output, "北坡乡", "neonatal_deaths_within_infant_deaths (high)")


def test_scorecard_example_reads_a_csv_file_in_english(tmp_path: Path) -> None:
    table = tmp_path / "counts.csv"
    table.write_text("area,period,live_births,maternal_deaths\n甲县,2023,2158,2\n", encoding="utf-8")
    output = run_example("scorecard.py", str(table), "--targets", "healthy_china_2030", "--lang", "en")
    # 2 / 2158 × 100 000 = 92.68, above Healthy China 2030's 12 per 100 000.
    assert "not met" in line_with(output, "Maternal mortality ratio", "甲县", "92.68 per 100,000 live births")


def test_audit_example_finds_the_figures_that_do_not_add_up() -> None:
    output = run_example("audit_report.py")
    # 21507万元 / 1595 = 134 840 元, a hundred times the printed 1352元.
    assert "inconsistent (scale)" in line_with(output, "人均住院补助", "1352元", "21507万元/1595人")
    # 13178 / 14167 = 93.0190…%: rounds to 93.02, the report cut it to 93.01.
    assert line_with(output, "儿童系统管理率", "93.01%", "13178人/14167人").endswith(" truncated")
    # 2067 / 2164 = 95.5176…% rounds to the printed 95.52%.
    assert line_with(output, "孕产妇系统管理率", "95.52%", "2067人/2164人").endswith(" consistent")
    assert "Figures that do not add up:" in output


@pytest.mark.parametrize(
    ("printed", "verdict"),
    [("96.1%", "consistent"), ("97.1%", "inconsistent")],  # 849 / 883 = 96.149…%
)
def test_audit_example_reads_a_report_file(tmp_path: Path, printed: str, verdict: str) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        f"三、卫生监督\n全市共有食品从业单位883户,取得有效期卫生许可证的849户,发证率 {printed}。\n",
        encoding="utf-8",
    )
    output = run_example("audit_report.py", str(report), "--targets", "women_outline_2011")
    row = line_with(output, "食品卫生许可证发证率", printed, "849户/883户")
    assert f" {verdict}" in row and row.endswith(" no_target")


def _fingertips_status(x: int, n: int, benchmark: float) -> str:
    """The Fingertips two-level rule, on statsmodels' Wilson intervals."""
    low95, high95 = (100 * v for v in proportion_confint(x, n, alpha=0.05, method="wilson"))
    low998, high998 = (100 * v for v in proportion_confint(x, n, alpha=0.002, method="wilson"))
    if low998 > benchmark:
        return "best"
    if low95 > benchmark:
        return "better"
    if high998 < benchmark:
        return "worst"
    if high95 < benchmark:
        return "worse"
    return "similar"


def test_compare_example_judges_each_township_as_fingertips_does() -> None:
    compare_areas = _load(EXAMPLES / "compare_areas.py", "compare_areas_example")
    output = run_example("compare_areas.py")
    county = 100 * compare_areas.MANAGED.sum() / compare_areas.BIRTHS.sum()
    assert f"county total {county:.2f}%" in output
    for town, x, n in zip(compare_areas.TOWNS, compare_areas.MANAGED, compare_areas.BIRTHS, strict=True):
        row = line_with(output, town, f"{100 * x / n:.2f}%")
        assert row.split()[3] == _fingertips_status(int(x), int(n), county), row


# -- docs/api.rst covers the public API -------------------------------------------------


def _dotted_names() -> ModuleType:
    return _load(DOCS / "_ext" / "dotted_names.py", "dotted_names")


def documented_objects(text: str) -> list[object]:
    """Every object an ``.. auto…::`` directive of the page documents; an
    ``automodule`` without an explicit member list documents its ``__all__``."""
    documented: list[object] = []
    for found in re.finditer(r"^\.\. auto(\w+):: (\S+)\n((?:   :.*\n)*)", text, flags=re.MULTILINE):
        kind, target, options = found.groups()
        if kind != "module":
            documented += _dotted_names().dotted_objects(target, whole_path_module=True)
            continue
        if ":no-members:" in options:
            continue
        module = importlib.import_module(target)
        members = re.search(r":members: (.+)", options)
        names = members.group(1).split(", ") if members else getattr(module, "__all__", [])
        documented += [getattr(module, name) for name in names]
    return documented


def test_every_public_name_is_in_the_api_reference() -> None:
    documented = documented_objects((DOCS / "api.rst").read_text(encoding="utf-8"))
    missing = [name for name in ph.__all__ if not any(obj is getattr(ph, name) for obj in documented)]
    assert not missing, f"add to docs/api.rst: {missing}"


def test_the_coverage_check_can_fail() -> None:
    documented = documented_objects(".. autofunction:: phindicators.get\n")
    assert any(obj is ph.get for obj in documented)
    assert not any(obj is ph.find for obj in documented)


# -- the generated catalog pages ----------------------------------------------------------


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalog_pages() -> ModuleType:
    return _load(DOCS / "_ext" / "catalog_pages.py", "catalog_pages")


@pytest.fixture(scope="module")
def pages(catalog_pages: ModuleType) -> dict[str, str]:
    return catalog_pages.pages()


def test_every_indicator_and_target_set_has_a_page(pages: dict[str, str]) -> None:
    expected = {f"indicators/{i.id}.rst" for i in ph.bundled_catalog()}
    expected |= {f"targets/{s.id}.rst" for s in ph.target_sets()}
    expected |= {"catalog.rst", "target_sets.rst"}
    assert set(pages) == expected


def test_every_target_is_on_its_indicator_page_and_its_set_page(
    pages: dict[str, str], catalog_pages: ModuleType
) -> None:
    for target_set in ph.target_sets():
        set_page = pages[f"targets/{target_set.id}.rst"]
        for target in target_set:
            indicator = ph.get(target.indicator)
            page = pages[f"indicators/{indicator.id}.rst"]
            stated = catalog_pages.requirement(target, indicator)
            assert f"<target-set-{target_set.id}>" in page
            assert stated in page and stated in set_page
            assert f"<indicator-{indicator.id}>" in set_page


def test_every_page_states_the_interval_method_of_its_kind(pages: dict[str, str]) -> None:
    for indicator in ph.bundled_catalog():
        page = pages[f"indicators/{indicator.id}.rst"]
        methods = ph.interval_methods(indicator)
        if "life_table" in indicator.needs:
            # Wilson or Poisson text there would promise an interval compute() refuses to give.
            assert "computed from a life table" in page and "Wilson" not in page
        elif methods:
            assert f"**{INTERVAL_METHODS[methods[0]]}** (``method={methods[0]!r}``" in page
        else:
            assert "carry no confidence interval" in page


def test_thresholds_are_shown_in_the_indicators_unit(catalog_pages: ModuleType) -> None:
    source = Source(id="county", title="County plan")
    # 0.2 per 1 000 live births is 20 per 100 000.
    per_mille = ph.Target(
        id="mmr",
        indicator="maternal_mortality_ratio",
        comparator="<=",
        threshold=0.2,
        unit="permille",
        source=source,
        plan="county",
    )
    assert catalog_pages.requirement(per_mille, ph.get("maternal_mortality_ratio")) == "≤ 20/10万"
    # A fall of a quarter from 40 per 10万 is at most 30 per 10万.
    relative = ph.Target(
        id="mmr",
        indicator="maternal_mortality_ratio",
        comparator="relative_change",
        change="-1/4",
        baseline=40,
        baseline_year=2000,
        unit="per_hundred_thousand",
        source=source,
        plan="county",
    )
    assert catalog_pages.requirement(relative, ph.get("maternal_mortality_ratio")).endswith("≤ 30/10万")
