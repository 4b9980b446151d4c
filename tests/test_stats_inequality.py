"""Quantile groups and SII/RII against PHEindicatormethods' expected outputs
(tests/data/phe): deterministic parts to 1e-12, simulated limits within their
Monte-Carlo error."""

from __future__ import annotations

import collections
import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.stats.inequality import InequalityIndex, quantile_groups, sii

PHE = Path(__file__).parent / "data" / "phe"


def _rows(name: str) -> list[dict[str, str]]:
    with open(PHE / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    return float(text) if text not in ("", "None") else np.nan


@pytest.mark.parametrize(
    ("group_set", "quantiles", "by_polarity"),
    [("IndSexReg", 10, True), ("IndSex", 7, True), ("None", 4, False)],
)
def test_quantile_groups_reproduce_phe(group_set: str, quantiles: int, by_polarity: bool) -> None:
    rows = [r for r in _rows("quantiles.csv") if r["Test"].startswith("Good") and r["GroupSet"] == group_set]
    sets: dict[tuple[str, str], list[dict[str, str]]] = collections.defaultdict(list)
    for row in rows:
        key = (row["IndSexRef"], row["ParentCode"]) if group_set == "IndSexReg" else (row["IndSexRef"], "")
        sets["all" if group_set == "None" else key].append(row)  # type: ignore[index]
    assert sets
    for members in sets.values():
        values = np.array([_number(r["Value"]) for r in members])
        # PHE: invert = TRUE where low is good (and by default, for "None").
        invert = members[0]["Polarity"] in ("RAG - Low is good", "True") if by_polarity else True
        expected = np.array([_number(r["QuantileInGrp"]) for r in members])
        np.testing.assert_array_equal(quantile_groups(values, quantiles, invert=invert), expected)


def test_quantile_groups_too_few_values_and_ties() -> None:
    assert np.isnan(quantile_groups([1.0, 2.0, np.nan], 3)).all()
    groups = quantile_groups(np.array([[1.0, 1.0, 2.0, 3.0], [4.0, 3.0, 2.0, 1.0]]), 2, invert=False)
    assert groups.tolist() == [[1.0, 1.0, 2.0, 2.0], [2.0, 2.0, 1.0, 1.0]]
    with pytest.raises(InvalidOptionError, match="quantiles must be an integer >= 2"):
        quantile_groups([1.0, 2.0], 1)


CASES = [
    ("default (e.g. life expectancy) - default parameters", "other", {}, 0.95),
    ("default - testing 99% confidence", "other", {}, 0.99),
    ("default - testing quintiles", "other", {}, 0.95),
    ("rate (e.g. infant mortality) - default parameters", "rate", {}, 0.95),
    ("proportion (e.g. child obesity) - default parameters", "proportion", {}, 0.95),
    ("proportion - testing multiplier (x 100)", "proportion", {"multiplier": 100}, 0.95),
    ("proportion - testing multiplier (x -100)", "proportion", {"multiplier": -100}, 0.95),
    ("rate (e.g. infant mortality) - log transform with intercept", "rate", {"transform": True}, 0.95),
    ("rate (e.g. infant mortality) - log transform with negative multiplier", "rate",
     {"transform": True, "multiplier": -1}, 0.95),
    ("proportion (e.g. child obesity) - logit transform with intercept", "proportion", {"transform": True}, 0.95),
    ("proportion (e.g. child obesity) - logit transform with negative multiplier", "proportion",
     {"transform": True, "multiplier": -1}, 0.95),
]


@pytest.mark.parametrize(("description", "value_type", "options", "level"), CASES)
@pytest.mark.parametrize("area", ["area1", "area2"])
def test_sii_reproduces_phe(
    description: str, value_type: str, options: dict[str, object], level: float, area: str
) -> None:
    rows = [r for r in _rows("sii.csv") if r["TestDescription"] == description and r["Area"] == area]
    numeric = ("Value", "Count", "Population", "StandardError", "LowerCL", "UpperCL")
    column = {key: np.array([_number(r[key]) for r in rows]) for key in numeric}
    values = column["Value"]
    if np.isnan(values).any():  # proportions given as counts
        values = column["Count"] / column["Population"]
    if options.get("transform"):
        result = sii(values, column["Population"], None, level, lower=column["LowerCL"], upper=column["UpperCL"],
                     value_type=value_type, seed=2024, **options)  # type: ignore[arg-type]
    else:
        result = sii(values, column["Population"], column["StandardError"], level, value_type=value_type,
                     seed=2024, **options)  # type: ignore[arg-type]
    want = rows[0]
    # The fitted line is deterministic: PHE's values to rounding.
    assert result.sii.value == pytest.approx(float(want["sii"]), rel=1e-12)
    assert result.rii.value == pytest.approx(float(want["rii"]), rel=1e-12)
    if want["Intercept"]:
        assert result.intercept == pytest.approx(float(want["Intercept"]), rel=1e-12)
    # Simulated limits: PHE's come from 100 000 draws, ours from as many with
    # another generator. The standard error of an empirical quantile is
    # sqrt(p(1 - p)/n) / density; for a normal spread sigma (from the
    # limits) that is the tolerance below, five times over for two samples.
    tail = (1 - level) / 2
    z = stats.norm.isf(tail)
    quantile_error = np.sqrt(tail * (1 - tail) / 100_000) / stats.norm.pdf(z)
    for interval, prefix in ((result.sii, "sii"), (result.rii, "rii")):
        if not want[f"{prefix}_lowercl_1"]:
            continue
        lower, upper = float(want[f"{prefix}_lowercl_1"]), float(want[f"{prefix}_uppercl_1"])
        sigma = (upper - lower) / (2 * z)
        tolerance = 5 * np.sqrt(2) * quantile_error * sigma
        assert interval.lower == pytest.approx(lower, abs=tolerance)
        assert interval.upper == pytest.approx(upper, abs=tolerance)


def test_sii_over_areas_matches_one_by_one() -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(70, 5, size=(3, 10))
    pops = rng.integers(1000, 9000, size=(3, 10)).astype(float)
    both = sii(values.T, pops.T, np.full((10, 3), 1.5), axis=0, repetitions=2000, seed=3)
    for area in range(3):
        one = sii(values[area], pops[area], [1.5] * 10, repetitions=2000, seed=3)
        assert both.sii.value[area] == pytest.approx(one.sii.value, rel=1e-12)


def test_sii_bad_input() -> None:
    values, pops, errors = [70.0, 72, 74, 76, 78], [100.0] * 5, [0.5] * 5
    with pytest.raises(InvalidCountsError, match="populations is zero"):
        sii(values, [100.0, 0, 100, 100, 100], errors)
    with pytest.raises(InvalidCountsError, match="standard_errors is negative"):
        sii(values, pops, [0.5, -1, 0.5, 0.5, 0.5])
    with pytest.raises(InvalidCountsError, match="between 0 and 1"):
        sii(values, pops, errors, value_type="proportion")
    with pytest.raises(InvalidOptionError, match="between 5 and 100 quantile groups"):
        sii(values[:4], pops[:4], errors[:4])
    with pytest.raises(InvalidOptionError, match="standard_errors, or lower and upper"):
        sii(values, pops)
    with pytest.raises(InvalidOptionError, match="transform needs value_type"):
        sii(values, pops, lower=values, upper=values, transform=True)
    with pytest.raises(InvalidOptionError, match="at least 1000"):
        sii(values, pops, errors, repetitions=100)


def test_sii_simulated_limits_match_normal_theory() -> None:
    # For value_type "other" the slope is linear in the values, so its exact
    # distribution is normal with variance sum(c_i^2 se_i^2): the simulated
    # limits must sit within their Monte Carlo error of its quantiles.
    rows = [r for r in _rows("sii.csv") if r["TestDescription"].startswith("default (e.g. life expectancy) - default")
            and r["Area"] == "area1"]
    values, pops, errors = (np.array([float(r[k]) for r in rows]) for k in ("Value", "Population", "StandardError"))
    share = pops / pops.sum()
    x = np.cumsum(share) - share / 2
    design = np.column_stack([np.ones(x.size), x])
    coefficients = np.linalg.solve(design.T @ (share[:, None] * design), design.T * share)[1]
    slope, sigma = coefficients @ values, np.sqrt((coefficients**2 * errors**2).sum())
    for level in (0.95, 0.99):
        tail = (1 - level) / 2
        z = stats.norm.isf(tail)
        tolerance = 5 * np.sqrt(tail * (1 - tail) / 100_000) / stats.norm.pdf(z) * sigma
        result = sii(values, pops, errors, level, seed=7)
        assert result.sii.value == pytest.approx(slope, rel=1e-12)
        assert result.sii.lower == pytest.approx(slope - z * sigma, abs=tolerance)
        assert result.sii.upper == pytest.approx(slope + z * sigma, abs=tolerance)


@pytest.mark.parametrize(("value_type", "transform"), [("other", False), ("rate", True), ("proportion", False)])
def test_sii_draws_in_blocks_give_the_results_of_drawing_at_once(value_type: str, transform: bool) -> None:
    """The block size (here 7 repetitions of 3 areas x 6 groups, which does
    not divide 1000) changes memory, not one bit of the limits for a seed."""
    from phindicators.stats import inequality

    values = np.array([[0.30, 0.25, 0.22, 0.20, 0.15, 0.12], [0.5, 0.45, 0.4, 0.41, 0.3, 0.2], [0.1] * 6])
    values = values + np.arange(6) * 1e-3
    pops = np.full((3, 6), 1000.0)
    kwargs = {"value_type": value_type, "repetitions": 1000, "seed": 11}
    limits = {"lower": values * 0.9, "upper": values * 1.1} if transform else {"standard_errors": values * 0.05}
    if transform:
        kwargs["transform"] = True
    results = []
    for block in (10**9, 7 * 18, 1):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(inequality, "SII_BLOCK_VALUES", block)
            results.append(sii(values, pops, confidence=(0.95, 0.998), **limits, **kwargs))
    def numbers(found: tuple[InequalityIndex, ...]) -> np.ndarray:
        return np.array([[getattr(getattr(r, i), f) for i in ("sii", "rii") for f in ("lower", "upper")] for r in found])

    np.testing.assert_array_equal(numbers(results[0]), numbers(results[1]))
    np.testing.assert_array_equal(numbers(results[0]), numbers(results[2]))
    # Different seeds do give other limits: the comparison can fail.
    other = sii(values, pops, confidence=(0.95, 0.998), **limits, **{**kwargs, "seed": 12})
    assert not np.array_equal(numbers(other), numbers(results[0]))


def test_sii_keeps_fits_not_draws_in_memory() -> None:
    """Peak traced memory of 100 000 draws of 20 areas x 20 groups stays near
    the two fitted numbers per draw and area (32 MB), far below the 320 MB the
    draws themselves would take."""
    import tracemalloc

    rng = np.random.default_rng(5)
    values = rng.uniform(70, 80, size=(20, 20))
    tracemalloc.start()
    try:
        sii(values, np.full((20, 20), 500.0), np.full((20, 20), 0.4), seed=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 120e6
