"""The fast paths give the answers of the general ones.

Long arrays are computed block by block (:data:`phindicators._threads.BLOCK_ROWS`
rows at a time), valid counts are recognised by a few reductions before the
table of checks runs, Python numbers skip numpy, and target checks on arrays
skip building the gap. Each of these must change speed only: the tests run
the block path with blocks of 3 rows against one block, compare each fast
check with the general one, and check the reworked Wilson limits against an
independent high-precision computation.
"""

from __future__ import annotations

import contextlib
import math
import subprocess
import sys
from decimal import Decimal, localcontext
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from phindicators import Catalog, InvalidCountsError, Result, Source, _threads, compare_to_target, stats
from phindicators.compute import KIND_INTERVALS
from phindicators.stats import wilson_interval, z_value
from phindicators.targets import Target
from phindicators.validation import block_check, validate_counts
from tests.conftest import TINY, patched

CATALOG = Catalog.from_toml(TINY)
INDICATORS = ("managed_rate", "death_ratio", "places_per_1000", "mean_amount", "death_count")
DTYPES = (np.int64, np.int32, np.uint16, np.float64, np.float32)


def block_rows(rows: int) -> contextlib.AbstractContextManager[None]:
    """Run the vectorised paths ``rows`` rows at a time."""
    return patched(_threads, BLOCK_ROWS=rows)


def outcome(call: Any) -> tuple[str, Any]:
    """("ok", result) or ("error", message) of a call."""
    try:
        return "ok", call()
    except InvalidCountsError as error:
        return "error", str(error)


def same_result(a: Result, b: Result) -> bool:
    """Field by field, bit for bit (NaN equal to NaN)."""
    fields = [(a.numerator, b.numerator), (a.denominator, b.denominator), (a.value, b.value)]
    fields += [(i.lower, j.lower) for i, j in zip(a.intervals, b.intervals, strict=True)]
    fields += [(i.upper, j.upper) for i, j in zip(a.intervals, b.intervals, strict=True)]
    if [i.method for i in a.intervals] != [i.method for i in b.intervals]:
        return False
    return all(
        (x is None and y is None)
        or (x is not None and y is not None and np.array_equal(np.asarray(x, float), np.asarray(y, float), equal_nan=True))
        for x, y in fields
    )


@st.composite
def counts(draw: st.DrawFn, *, valid: bool = True) -> tuple[Any, np.ndarray, np.ndarray | None, dict[str, Any]]:
    """An indicator of the tiny catalog, counts for it in some dtype and shape
    (a few bad ones unless ``valid``) and compute options."""
    indicator = CATALOG.get(draw(st.sampled_from(INDICATORS)))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=9))
    limit = 60_000 if dtype == np.uint16 else 10**6
    den = draw(hnp.arrays(np.int64, shape, elements=st.integers(1, limit)))
    if indicator.kind == "proportion":
        share = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
        num = np.floor(den * share)
    elif dtype.kind == "f" and indicator.id == "mean_amount":  # money may be fractional
        num = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, limit)))
    else:
        num = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, limit))).astype(np.float64)
    den = den.astype(np.float64)
    if not valid and num.size:
        bad = [-1.0, 0.5, 1.5, 2.0**53, limit + 1.0] + ([math.nan, math.inf] if dtype.kind == "f" else [])
        for field in draw(st.lists(st.sampled_from(["num", "den"]), min_size=1, max_size=3)):
            position = draw(st.integers(0, num.size - 1))
            value = draw(st.sampled_from(bad + ([0.0] if field == "den" else [])))
            (num if field == "num" else den).flat[position] = value
    with np.errstate(invalid="ignore", over="ignore"):
        num_t, den_t = num.astype(dtype), den.astype(dtype)
    levels = draw(st.sampled_from([0.95, (0.95, 0.998), None]))
    methods = KIND_INTERVALS[indicator.kind]
    method = draw(st.sampled_from(methods)) if methods else None
    denominator = None if indicator.kind == "count" else den_t
    return indicator, num_t, denominator, {"confidence": levels, "method": method}


@given(counts(valid=True))
def test_blocks_of_three_rows_give_the_result_of_one_block(case: Any) -> None:
    indicator, num, den, options = case
    whole = indicator.compute(num, den, **options)
    with block_rows(3):
        blocked = indicator.compute(num, den, **options)
    assert same_result(whole, blocked)


@given(counts(valid=False))
def test_blocks_of_three_rows_fail_as_one_block_does(case: Any) -> None:
    indicator, num, den, options = case
    whole = outcome(lambda: indicator.compute(num, den, **options))
    with block_rows(3):
        blocked = outcome(lambda: indicator.compute(num, den, **options))
    assert whole[0] == blocked[0]
    if whole[0] == "error":
        assert whole == blocked
        # ... and the error is the one the table of checks gives.
        assert outcome(lambda: validate_counts(indicator, num, den)) == whole


@given(counts(valid=False))
def test_the_block_path_equals_the_general_path(case: Any) -> None:
    # Object arrays are converted and checked by validate_counts first: the
    # general path; numeric arrays of one shape take the block path.
    indicator, num, den, options = case
    fast = outcome(lambda: indicator.compute(num, den, **options))
    general = outcome(
        lambda: indicator.compute(num.astype(object), None if den is None else den.astype(object), **options)
    )
    assert fast[0] == general[0]
    if fast[0] == "error":
        assert fast == general
    else:
        assert same_result(fast[1], general[1])


@given(counts(valid=False))
def test_block_check_passes_exactly_what_validate_counts_accepts(case: Any) -> None:
    indicator, num, den, _ = case
    check = block_check(indicator, num.dtype, None if den is None else den.dtype)
    x = num.astype(np.float64)
    n = None if den is None else den.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = None if n is None else x / n
    accepted = outcome(lambda: validate_counts(indicator, num, den))[0] == "ok"
    assert check(x, n, ratio) == accepted


@pytest.mark.parametrize(
    ("num", "den", "valid"),
    [
        # The ratio decides numerator <= denominator for whole counts below
        # 2**53: one more than the denominator still gives a ratio above 1.
        (2**53 - 1, 2**53 - 2, False),
        (2**53 - 2, 2**53 - 2, True),
        (2**52 + 1, 2**52, False),
        (2**53 - 2, 2**53 - 1, True),
        (2**53, 2**53, False),  # too large
    ],
)
def test_the_ratio_decides_within_up_to_2_53(num: int, den: int, valid: bool) -> None:
    indicator = CATALOG.get("managed_rate")
    numerator, denominator = np.array([num, 3]), np.array([den, 5])
    assert outcome(lambda: indicator.compute(numerator, denominator))[0] == ("ok" if valid else "error")
    x, n = numerator.astype(float), denominator.astype(float)
    assert block_check(indicator, numerator.dtype, denominator.dtype)(x, n, x / n) == valid


scalars = st.one_of(
    st.integers(-5, 2**62),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0, 1, 0.5, -0.0, 2**53 - 1, 2**53, 10**400, -(10**400)]),
)


@given(st.sampled_from(INDICATORS), scalars, scalars)
def test_python_numbers_are_checked_as_arrays_are(indicator_id: str, num: Any, den: Any) -> None:
    indicator = CATALOG.get(indicator_id)
    den = None if indicator.kind == "count" else den
    fast = outcome(lambda: indicator.compute(num, den))
    if abs(num) >= 2**63 or (den is not None and abs(den) >= 2**63):
        # Beyond int64 numpy holds Python ints as objects: only the fast path
        # has them exactly; it names their first problem.
        assert fast[0] == "error"
        return
    general = outcome(lambda: indicator.compute(np.asarray(num), None if den is None else np.asarray(den)))
    assert fast[0] == general[0]
    if fast[0] == "ok":
        assert same_result(fast[1], general[1])
        assert type(fast[1].value) is float and type(fast[1].numerator) is float
    elif all(type(v) is float or abs(v) < 2**53 for v in (num, den) if v is not None):
        assert fast == general  # same message (ints beyond 2**53 are shown exactly)
    else:
        assert fast[1].split(" (")[0] == general[1].split(" (")[0]


# ---------------------------------------------------------------- targets

SOURCE = Source(id="plan", title="A plan")
TARGETS = [
    Target(id="t", indicator="managed_rate", comparator=comparator, threshold=threshold, unit="percent", plan="p", source=SOURCE)
    for comparator, threshold in [(">=", 85), (">", 85), ("<=", 20), ("<", 20), ("between", [103, 107])]
] + [
    Target(
        id="r", indicator="managed_rate", comparator="relative_change", change=change, baseline=40.0,
        unit="percent", plan="p", source=SOURCE,
    )
    for change in (-0.25, 0.5)
]
SPECIAL = [math.nan, math.inf, -math.inf, 0.0, 85.0, 20.0, 103.0, 107.0, 30.0, 60.0]


@st.composite
def target_values(draw: st.DrawFn) -> tuple[Target, np.ndarray]:
    target = draw(st.sampled_from(TARGETS))
    near = [t * (1 + e) for t in (*target.threshold, 30.0, 60.0) for e in (-2e-9, -1e-9, -1e-12, 0.0, 1e-12, 1e-9, 2e-9)]
    elements = st.one_of(st.sampled_from(SPECIAL + near), st.floats(-1e3, 1e3))
    return target, draw(hnp.arrays(np.float64, st.integers(0, 30), elements=elements))


@given(target_values())
def test_target_checks_on_arrays_follow_the_sign_of_the_gap(case: tuple[Target, np.ndarray]) -> None:
    target, values = case
    strict = target.comparator.value in (">", "<")
    gap = target.gap(values)
    expected = gap > 0 if strict else gap >= 0
    assert np.array_equal(target.is_met(values), expected)
    with block_rows(3):
        assert np.array_equal(target.is_met(values), expected)
    # One value at a time (the scalar path) gives the same answers.
    assert [target.is_met(float(v)) for v in values] == expected.tolist()
    assert np.array_equal([target.gap(float(v)) for v in values], gap, equal_nan=True)


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_a_status_for_one_value_is_the_status_for_an_array_of_it(num: int, den: int) -> None:
    assume(num <= den)
    indicator = CATALOG.get("managed_rate")
    for target in TARGETS:
        one = compare_to_target(indicator.compute(num, den), target)
        many = compare_to_target(indicator.compute(np.array([num]), np.array([den])), target)
        assert one.status == many.status[0] and one.gap == many.gap[0]


# ------------------------------------------------------------------ Wilson


def wilson_exact(x: int, n: int, z: float) -> tuple[Decimal, Decimal]:
    """Wilson's limits (2x + z² ∓ z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²)) at 60 digits."""
    with localcontext() as context:
        context.prec = 60
        zd = Decimal(z)
        x_, n_ = Decimal(x), Decimal(n)
        root = zd * (zd * zd + 4 * x_ * (1 - x_ / n_)).sqrt()
        centre, scale = 2 * x_ + zd * zd, 2 * (n_ + zd * zd)
        return (centre - root) / scale, (centre + root) / scale


@st.composite
def proportion_counts(draw: st.DrawFn) -> tuple[int, int]:
    """Counts anywhere in [0, n], often within 20 of 0 or of n, where
    Wilson's formula cancels."""
    n = draw(st.one_of(st.integers(1, 100), st.integers(1, 2**53 - 1)))
    edge = st.integers(0, min(n, 20))
    return draw(st.one_of(edge, edge.map(lambda k: n - k), st.integers(0, n))), n


@given(proportion_counts(), st.sampled_from([0.95, 0.998]))
def test_wilson_limits_are_accurate_and_ordered(counts: tuple[int, int], level: float) -> None:
    x, n = counts
    exact_lower, exact_upper = wilson_exact(x, n, z_value(level))
    for ci in (wilson_interval(x, n, level), wilson_interval(np.array([x]), np.array([n]), level)):
        lower, value, upper = (float(np.ravel(v)[0]) for v in (ci.lower, ci.value, ci.upper))
        assert 0.0 <= lower <= value <= upper <= 1.0
        # No cancellation near x = 0: the lower limit is right to a few ulps
        # even when it is tiny (the clipped upper limit may sit one ulp off).
        assert abs(Decimal(lower) - exact_lower) <= Decimal("4e-16") * exact_lower
        assert abs(Decimal(upper) - exact_upper) <= Decimal("4e-16") * exact_upper + Decimal(2.0**-53)


# ----------------------------------------------------------------- import


def test_import_reads_nothing_optional() -> None:
    code = "import sys, phindicators; print(sorted({'scipy', 'pint', 'dask', 'statsmodels'} & set(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.integers(-40, 40), min_size=1, max_size=20),
    st.lists(st.floats(allow_subnormal=True), max_size=10),
)
def test_one_comparison_with_the_cutoff_equals_subtracting(threshold: float, strict: bool, steps: list[int], others: list[float]) -> None:
    from phindicators.targets.comparators import _RELATIVE_TOLERANCE, _up_cutoff

    cutoff = _up_cutoff(threshold, strict)
    assert cutoff is not None
    # Values a few ulps either side of the cutoff, and anywhere else.
    near = []
    for step in steps:
        value = cutoff
        for _ in range(abs(step)):
            value = math.nextafter(value, math.copysign(math.inf, step))
        near.append(value)
    values = np.array([*near, *others, math.nan, math.inf, -math.inf, 0.0, -0.0])
    limit = _RELATIVE_TOLERANCE * abs(threshold)
    with np.errstate(over="ignore", invalid="ignore"):
        gap = values - threshold
    expected = gap > limit if strict else gap >= -limit
    assert np.array_equal(values >= cutoff, expected)


@st.composite
def whole_proportion_counts(draw: st.DrawFn) -> tuple[int, int]:
    """Whole counts up to the unclipped bound, often within 20 of 0 or of n."""
    n = draw(st.one_of(st.integers(1, 100), st.integers(1, int(stats.WILSON_UNCLIPPED_MAX))))
    edge = st.integers(0, min(n, 20))
    return draw(st.one_of(edge, edge.map(lambda k: n - k), st.integers(0, n))), n


@given(st.lists(whole_proportion_counts(), min_size=1, max_size=20), st.sampled_from([0.9, 0.95, 0.998, 0.999999]), st.sampled_from([1.0, 100.0]))
def test_wilson_needs_no_clipping_for_whole_counts(pairs: list[tuple[int, int]], level: float, scale: float) -> None:
    x = np.array([float(a) for a, _ in pairs])
    n = np.array([float(b) for _, b in pairs])
    limits = {}
    for whole in (True, False):
        lower, upper = np.empty_like(x), np.empty_like(x)
        stats.interval_kernel("wilson", level, scale, whole=whole)(x, n, lower, upper)
        limits[whole] = lower, upper
    # Unclipped limits are the clipped ones, bit for bit ...
    assert all(np.array_equal(a, b) for a, b in zip(limits[True], limits[False], strict=True))
    lower, upper = limits[True]
    p = x / n * scale
    assert np.all((0 <= lower) & (lower <= p) & (p <= upper) & (upper <= scale))
    assert np.all(upper[x == n] == scale)  # exactly 100 % when every one counts
    # ... and those of the scalar path.
    for i, (a, b) in enumerate(pairs):
        assert stats.interval_bounds("wilson", float(a), float(b), level, scale)[:2] == (lower[i], upper[i])


@pytest.mark.parametrize("count, size", [(3, 10), (3, 100_000), (3, 200_000), (1, 600_000), (5, 1_000_000)])
def test_output_arrays_are_separate_writable_float_rows(count: int, size: int) -> None:
    import importlib

    compute_module = importlib.import_module("phindicators.compute.routes")  # the home of the buffers
    arrays = compute_module._output_arrays(count, size)
    assert [a.shape for a in arrays] == [(size,)] * count
    assert all(a.dtype == np.float64 and a.flags.c_contiguous and a.flags.writeable for a in arrays)
    for i, a in enumerate(arrays):
        a[...] = i
    assert [float(a[0]) for a in arrays] == list(range(count)) == [float(a[-1]) for a in arrays]
    if size * 8 >= 4 << 20 or count * size * 8 >= 2 << 20:  # large enough for huge pages
        assert arrays[0].ctypes.data % (2 << 20) == 0
