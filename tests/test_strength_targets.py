"""Target comparators: "met" agrees with the sign of the gap on every path.

Cases from the mutation run of ../shared/TEST_STRENGTH.md (T04, T06) and the
bug behind T04: a relative target whose resolved threshold overflows to
+inf was met on the array path (the tolerance r·|t| became inf) while its
gap was -inf and the scalar path said it was not met. Every case here is
enumerated, not drawn, so no kill depends on a hypothesis seed.
"""

from __future__ import annotations

import contextlib
import itertools
import math

import numpy as np
import pytest

from phindicators import Source, _threads
from phindicators.targets import Target
from tests.conftest import patched

SOURCE = Source(id="plan", title="A plan")


def _target(comparator: str, **fields: object) -> Target:
    return Target(id="t", indicator="managed_rate", comparator=comparator, unit="percent", plan="p",
                  source=SOURCE, **fields)


FIXED = [_target(c, threshold=t) for c, t in [(">=", 85), (">", 85), ("<=", 20), ("<", 20), ("between", [103, 107])]]
#: change=1 on a baseline of 1e308 resolves to 2e308: +inf as a float.
OVERFLOWING = [_target("relative_change", change=change, baseline=1e308) for change in (1.0, 3.0)]
RELATIVE = [_target("relative_change", change=change, baseline=40.0) for change in (-0.25, 0.5)]
#: Finite thresholds near the top of the float range: gaps overflow to ±inf.
HUGE = [_target("relative_change", change=0.5, baseline=1e308), _target(">=", threshold=1.7e308)]

SPECIAL = [math.nan, math.inf, -math.inf, 0.0, -0.0, 5.0, 20.0, 30.0, 60.0, 85.0, 103.0, 107.0, 1e308, -1e308]


def _near(target: Target) -> list[float]:
    """Values a tolerance away from each threshold, on both sides."""
    thresholds = [float(t) for t in target.thresholds()]
    steps = (-2e-9, -1e-9, -1e-12, 0.0, 1e-12, 1e-9, 2e-9)
    return [t * (1 + e) for t in thresholds if math.isfinite(t) for e in steps]


def _id(target: Target) -> str:
    """A test id without spaces or brackets (mutmut re-runs tests by node id)."""
    return f"{target.comparator.value}_{target.threshold or target.change}_{target.baseline}".replace(" ", "")


def _block_rows(rows: int) -> contextlib.AbstractContextManager[None]:
    return patched(_threads, BLOCK_ROWS=rows)


@pytest.mark.parametrize("target", FIXED + OVERFLOWING + RELATIVE + HUGE, ids=_id)
def test_met_is_the_sign_of_the_gap_for_every_special_value(target: Target) -> None:
    values = np.array(SPECIAL + _near(target))
    strict = target.comparator.value in (">", "<")
    gap = target.gap(values)
    expected = gap > 0 if strict else gap >= 0
    assert np.array_equal(target.is_met(values), expected)
    with _block_rows(3):
        assert np.array_equal(target.is_met(values), expected)
    assert [target.is_met(float(v)) for v in values] == expected.tolist()
    assert [target.is_met(np.array(v)) for v in values] == expected.tolist()  # 0-d arrays
    assert np.array_equal([target.gap(float(v)) for v in values], gap, equal_nan=True)


@pytest.mark.parametrize("target", OVERFLOWING, ids=_id)
def test_a_threshold_beyond_every_float_is_met_by_no_finite_value(target: Target) -> None:
    # 1e308 × (1 + change) > the largest float: no finite value reaches it,
    # the gap of each is -inf, and only +inf (equal to it) meets it.
    assert target.thresholds() == (math.inf,)
    values = np.array([5.0, 1e308, np.finfo(np.float64).max, math.inf])
    assert target.is_met(values).tolist() == [False, False, False, True]
    assert target.gap(values)[:3].tolist() == [-math.inf] * 3
    assert target.is_met(5.0) is False


def test_per_area_baselines_that_overflow_fail_only_there() -> None:
    target = OVERFLOWING[0]
    values = np.array([5.0, 5.0, 1e308])
    met = target.is_met(values, baseline=np.array([1e308, 2.0, 1.0]))
    # thresholds inf, 4 and 2: only the first misses.
    assert met.tolist() == [False, True, True]


@pytest.mark.parametrize(("comparator", "threshold", "value"), [("<", 20, -math.inf), ("<=", 20, -math.inf),
                                                                ("<", 20, math.inf), (">", 85, math.inf)])
def test_infinite_values_against_a_finite_threshold(comparator: str, threshold: float, value: float) -> None:
    # T06: -inf is below every finite threshold, so "<" holds; +inf is
    # above, so ">" holds and "<" does not.
    target = _target(comparator, threshold=threshold)
    expected = (value < threshold) if comparator.startswith("<") else (value > threshold)
    assert target.is_met(np.array([value, 50.0]))[0] == expected
    assert target.is_met(value) == expected


@pytest.mark.parametrize(("strict", "tolerance"), list(itertools.product([False, True], [0.5e-9, 2e-9])))
def test_the_tolerance_is_relative_to_the_threshold(strict: bool, tolerance: float) -> None:
    # Within 1e-9 of 85 a value equals 85: met by ">=", not by ">".
    target = _target(">" if strict else ">=", threshold=85)
    values = np.array([85 * (1 - tolerance), 85 * (1 + tolerance)])
    inside = tolerance < 1e-9
    expected = [not strict, not strict] if inside else [False, True]
    assert target.is_met(values).tolist() == expected


def test_a_scalar_gap_is_a_python_float_for_every_comparator() -> None:
    for target in FIXED + RELATIVE:
        assert type(target.gap(105.0)) is float, target


def test_a_value_exactly_a_tolerance_away_equals_the_threshold() -> None:
    # |1e9 - (1e9 - 1)| = 1 = 1e-9 × 1e9 exactly: equal, on both paths.
    target = _target(">=", threshold=1e9)
    assert target.gap(1e9 - 1) == 0.0 and target.is_met(1e9 - 1)
    assert target.gap(np.array([1e9 - 1])).tolist() == [0.0]
    assert target.is_met(np.array([1e9 - 1])).tolist() == [True]


def test_dask_gaps_and_checks_equal_numpy() -> None:
    da = pytest.importorskip("dask.array")
    values = np.array([5.0, 20.0, 85.0, 105.0, 110.0, math.nan])
    for target in FIXED + RELATIVE:
        lazy = da.from_array(values, chunks=2)
        assert np.array_equal(target.gap(lazy).compute(), target.gap(values), equal_nan=True)
        assert np.array_equal(target.is_met(lazy).compute(), target.is_met(values))
