"""dask arrays through the vectorised functions: lazy, chunk by chunk, and
equal to numpy.

dask is an optional extra (``pip install "dask[array]"``); without it these
tests are skipped.
"""

from __future__ import annotations

import numpy as np
import pytest

from phindicators import Catalog, InvalidCountsError, Result, Source, poisson_interval, pool, wilson_interval
from phindicators.targets import Target
from tests.conftest import TINY

da = pytest.importorskip("dask.array", reason='dask is an optional extra: pip install "dask[array]"')
dask = pytest.importorskip("dask")

CATALOG = Catalog.from_toml(TINY)
RNG = np.random.default_rng(7)
DEN = RNG.integers(1, 5_000, (60, 50))
NUM = RNG.binomial(DEN, 0.9)
DEATHS = RNG.poisson(DEN * 0.004)


def computed(result: Result) -> list[np.ndarray]:
    """Every array of a result, computed together."""
    arrays = [result.numerator, result.value]
    if result.denominator is not None:
        arrays.append(result.denominator)
    arrays += [limit for interval in result.intervals for limit in (interval.lower, interval.upper)]
    return [np.asarray(a) for a in dask.compute(*arrays)]


def numpy_arrays(result: Result) -> list[np.ndarray]:
    arrays = [result.numerator, result.value]
    if result.denominator is not None:
        arrays.append(result.denominator)
    arrays += [limit for interval in result.intervals for limit in (interval.lower, interval.upper)]
    return [np.asarray(a) for a in arrays]


@pytest.mark.parametrize(
    ("indicator_id", "numerator", "denominator"),
    [
        ("managed_rate", NUM, DEN),
        ("death_ratio", DEATHS, DEN),
        ("death_count", DEATHS, None),
    ],
)
@pytest.mark.parametrize("chunks", [(7, 50), (60, 13), (25, 25)])
def test_compute_stays_lazy_and_equals_numpy(indicator_id: str, numerator: np.ndarray, denominator: np.ndarray | None, chunks: tuple[int, int]) -> None:
    indicator = CATALOG.get(indicator_id)
    # The two counts chunked differently: they are aligned chunk by chunk.
    lazy_den = None if denominator is None else da.from_array(denominator, chunks=(20, 20))
    result = indicator.compute(da.from_array(numerator, chunks=chunks), lazy_den, confidence=(0.95, 0.998))
    assert isinstance(result.value, da.Array) and isinstance(result.upper, da.Array)
    assert result.value.shape == numerator.shape
    expected = indicator.compute(numerator, denominator, confidence=(0.95, 0.998))
    assert [i.method for i in result.intervals] == [i.method for i in expected.intervals]
    for got, want in zip(computed(result), numpy_arrays(expected), strict=True):
        assert np.array_equal(got, want)


def test_dask_counts_mix_with_numpy_counts_and_numbers() -> None:
    indicator = CATALOG.get("death_ratio")
    lazy = indicator.compute(da.from_array(DEATHS, chunks=(30, 10)), 1000)
    assert isinstance(lazy.value, da.Array)
    assert np.array_equal(lazy.upper.compute(), indicator.compute(DEATHS, 1000).upper)
    lazy = indicator.compute(DEATHS, da.from_array(DEN, chunks=(30, 10)))
    assert np.array_equal(lazy.value.compute(), indicator.compute(DEATHS, DEN).value)


def test_bad_counts_raise_when_computed_with_positions_in_the_whole_array() -> None:
    indicator = CATALOG.get("managed_rate")
    num = NUM.ravel().copy()
    num[[1234, 1240]] = -3  # in the chunk starting at 1200
    result = indicator.compute(da.from_array(num, chunks=400), da.from_array(DEN.ravel(), chunks=400))
    with pytest.raises(InvalidCountsError) as caught:
        result.value.compute()
    error = caught.value
    assert (error.field, error.problem, error.n_bad) == ("numerator", "is negative", 2)
    assert error.positions == ((1234,), (1240,))
    assert "of the chunk at (1200,): (1234,): numerator=-3" in str(error)


def test_targets_check_lazily() -> None:
    indicator = CATALOG.get("managed_rate")
    target = Target(id="t", indicator="managed_rate", comparator=">=", threshold=90, unit="permille",
                    plan="p", source=Source(id="p", title="Plan"))
    lazy = indicator.compute(da.from_array(NUM, chunks=(16, 16)), da.from_array(DEN, chunks=(16, 16)))
    eager = indicator.compute(NUM, DEN)
    met, gap = target.is_met(lazy), target.gap(lazy)
    assert isinstance(met, da.Array) and isinstance(gap, da.Array)
    assert np.array_equal(met.compute(), target.is_met(eager))
    assert np.array_equal(gap.compute(), target.gap(eager))
    assert np.array_equal(target.is_met(lazy.value).compute(), target.is_met(eager.value))


def test_interval_functions_take_dask_arrays() -> None:
    x, n = da.from_array(NUM, chunks=(16, 16)), da.from_array(DEN, chunks=(16, 16))
    _, high = wilson_interval(x, n, (0.95, 0.998), multiplier=100)
    assert isinstance(high.upper, da.Array)
    expected = wilson_interval(NUM, DEN, (0.95, 0.998), multiplier=100)[1]
    assert np.array_equal(high.upper.compute(), expected.upper)
    rate = poisson_interval(da.from_array(DEATHS, chunks=(16, 16)), DEN, multiplier=1000)
    assert rate.method == "auto"
    assert np.array_equal(rate.lower.compute(), poisson_interval(DEATHS, DEN, multiplier=1000).lower)
    bad = NUM.copy()
    bad[20, 3] = DEN[20, 3] + 1
    lazy = wilson_interval(da.from_array(bad, chunks=(16, 16)), n)
    with pytest.raises(InvalidCountsError, match=r"x exceeds n \(at 1 of 256 positions of the chunk at \(16, 0\): \(20, 3\)"):
        lazy.value.compute()


def test_pooling_along_an_axis_stays_lazy() -> None:
    indicator = CATALOG.get("managed_rate")
    lazy = indicator.compute(da.from_array(NUM, chunks=(16, 16)), da.from_array(DEN, chunks=(16, 16)))
    pooled = pool(lazy, axis=1)
    assert isinstance(pooled.value, da.Array)
    expected = pool(indicator.compute(NUM, DEN), axis=1)
    for got, want in zip(computed(pooled), numpy_arrays(expected), strict=True):
        assert np.array_equal(got, want)
