"""Fuzzing the input classes of issue 15's findings: text in every container,
pandas extension dtypes and labelled Series, dask arrays of unknown chunk
sizes, reused buffers, extended-precision floats, catalogs with a BOM.

The rules checked: text is refused with one message; a labelled Series pairs
by label (checked against an independent dict-based division) or is refused;
dask gives what numpy gives or a library error, never a dask exception; a
result never changes when the caller's buffer does; a float128 count is
exact or refused; a BOM or CRLF never changes what a catalog loads.
See ``tests/test_fuzz_compute.py`` for the profiles.
"""

from __future__ import annotations

import pathlib
import tempfile
import tomllib
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import phindicators as ph
from phindicators import Catalog, PhindicatorsError
from phindicators.errors import InvalidCountsError
from tests.conftest import TINY

CATALOG = Catalog.from_toml(TINY)
MANAGED = CATALOG.get("managed_rate")  # a proportion in percent
DEATHS = CATALOG.get("death_ratio")  # a ratio per 100 000

TEXT = st.text(min_size=0, max_size=4)
SHAPES = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4)


# ------------------------------------------------------------------ text


@st.composite
def text_counts(draw: st.DrawFn) -> Any:
    """Counts holding at least one text element, in any container."""
    shape = draw(SHAPES)
    size = int(np.prod(shape))
    elements = draw(st.lists(st.one_of(st.integers(0, 100), TEXT), min_size=size, max_size=size))
    at = draw(st.integers(0, size - 1))
    elements[at] = draw(st.one_of(TEXT, st.integers(0, 100).map(str)))  # "5" is text too
    container = draw(st.sampled_from(["object", "unicode", "list", "series", "string", "category"]))
    if container == "object":
        return np.array(elements, dtype=object).reshape(shape)
    if container == "unicode":
        return np.array([str(e) for e in elements]).reshape(shape)
    if container == "list":
        return elements
    pd = pytest.importorskip("pandas")
    values = [str(e) for e in elements] if container != "series" else elements
    dtype = {"series": object, "string": "string", "category": "category"}[container]
    return pd.Series(values, dtype=dtype)


@given(text_counts(), st.booleans())
def test_text_counts_are_refused_with_one_message(counts: Any, as_denominator: bool) -> None:
    numerator, denominator = (np.ones(np.shape(counts), dtype=int), counts) if as_denominator else (counts, 10**6)
    field = "denominator" if as_denominator else "numerator"
    with pytest.raises(InvalidCountsError, match=f"{field} must be numbers, got text"):
        MANAGED.compute(numerator, denominator)


# ------------------------------------------------------------------ pandas


EXTENSION_DTYPES = ["int64", "Int64", "UInt32", "Float64", "float64", "int32"]


@st.composite
def labelled(draw: st.DrawFn) -> tuple[Any, Any, dict[str, int], dict[str, int]]:
    pd = pytest.importorskip("pandas")
    labels = draw(st.lists(st.sampled_from(["甲县", "乙县", "丙县", "丁县", "a", "b"]), min_size=1, max_size=5))
    den_labels = draw(st.one_of(st.permutations(labels), st.lists(st.sampled_from(["甲县", "乙县", "戊县"]), min_size=1, max_size=5)))
    dens = {label: draw(st.integers(1, 10**6)) for label in set(labels) | set(den_labels)}
    nums = {label: draw(st.integers(0, dens[label])) for label in labels}
    num_dtype, den_dtype = draw(st.sampled_from(EXTENSION_DTYPES)), draw(st.sampled_from(EXTENSION_DTYPES))
    num = pd.Series([nums[label] for label in labels], index=labels, dtype=num_dtype)
    den = pd.Series([dens[label] for label in den_labels], index=list(den_labels), dtype=den_dtype)
    return num, den, nums, dens


@given(labelled())
def test_series_pair_by_label_or_are_refused(case: tuple[Any, Any, dict[str, int], dict[str, int]]) -> None:
    num, den, nums, dens = case
    try:
        result = MANAGED.compute(num, den)
    except InvalidCountsError as error:
        assert "different indexes" in str(error)
        assert not (num.index.is_unique and den.index.is_unique and set(num.index) == set(den.index))
        return
    # An independent label-based division, in exact arithmetic.
    expected = [float(Fraction(nums[label], dens[label]) * 100) for label in num.index]
    assert np.asarray(result.value).tolist() == pytest.approx(expected, rel=1e-15)


@given(st.lists(st.one_of(st.integers(0, 100), st.none()), min_size=1, max_size=5), st.sampled_from(["Int64", "Float64"]))
def test_nullable_columns_compute_or_name_the_missing_value(values: list[int | None], dtype: str) -> None:
    pd = pytest.importorskip("pandas")
    series = pd.Series(values, dtype=dtype)
    try:
        result = MANAGED.compute(series, pd.Series([100] * len(values)))
    except InvalidCountsError as error:
        assert None in values
        assert "NaN" in str(error) or "missing" in str(error)
        return
    assert None not in values
    assert np.asarray(result.value).tolist() == pytest.approx([float(v) for v in values], rel=1e-15)  # v / 100 in %


# ------------------------------------------------------------------ dask


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hnp.arrays(np.int64, st.integers(1, 12), elements=st.integers(0, 50)),
    st.integers(1, 5),
    st.booleans(),
)
def test_dask_gives_what_numpy_gives_or_a_library_error(numerator: np.ndarray, chunk: int, sizes_known: bool) -> None:
    da = pytest.importorskip("dask.array")
    denominator = numerator + 50
    keep = numerator % 3 != 1
    lazy_num = da.from_array(numerator, chunks=chunk)
    lazy_den = da.from_array(denominator, chunks=chunk)
    lazy_keep = da.from_array(keep, chunks=chunk)
    num, den = lazy_num[lazy_keep], lazy_den[lazy_keep]
    if sizes_known:
        num, den = num.compute_chunk_sizes(), den.compute_chunk_sizes()
    try:
        result = DEATHS.compute(num, den)
        values = result.value.compute()
    except PhindicatorsError as error:
        assert not sizes_known and "unknown chunk sizes" in str(error)
        return
    assert sizes_known
    eager = DEATHS.compute(numerator[keep], denominator[keep])
    assert values.tolist() == np.asarray(eager.value).tolist()


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 3))
def test_dask_shapes_that_do_not_broadcast_are_a_library_error(n: int, m: int, chunk: int) -> None:
    da = pytest.importorskip("dask.array")
    try:
        result = DEATHS.compute(da.ones(n, dtype=int, chunks=chunk), da.ones(m, dtype=int, chunks=chunk) * 10)
        values = result.value.compute()
    except PhindicatorsError as error:
        assert n != m and min(n, m) != 1 and "do not broadcast" in str(error)
        return
    assert values.shape == (max(n, m),)


# ------------------------------------------------------------------ reused buffers (F2)


@given(
    hnp.arrays(np.int64, SHAPES, elements=st.integers(0, 1000)),
    st.sampled_from([np.int64, np.float64, np.uint32, np.float32]),
    st.integers(0, 1000),
)
def test_a_result_never_changes_with_the_callers_buffer(counts: np.ndarray, dtype: Any, fill: int) -> None:
    numerator = counts.astype(dtype)
    denominator = (counts + 1000).astype(dtype)
    result = DEATHS.compute(numerator, denominator)
    before = (np.array(result.numerator), np.array(result.denominator), np.array(result.value))
    numerator[...] = fill
    denominator[...] = fill + 1
    assert np.array_equal(result.numerator, before[0]) and np.array_equal(result.denominator, before[1])
    again = result.with_confidence(0.99)
    assert np.array_equal(again.value, before[2])
    assert (again.lower <= again.value).all() and (again.value <= again.upper).all()


# ------------------------------------------------------------------ extended precision (F6)


@pytest.mark.skipif(np.finfo(np.longdouble).nmant <= 52, reason="no extended precision here")
@given(st.integers(0, 2**60), st.integers(0, 2**12), st.integers(1, 2**60))
def test_extended_floats_are_exact_or_refused(whole: int, eighths: int, denominator: int) -> None:
    numerator = np.array([np.longdouble(whole) + np.longdouble(eighths) / 4096])
    exact = Fraction(whole) + Fraction(eighths, 4096)
    try:
        result = DEATHS.compute(numerator, np.array([np.longdouble(denominator)]))
    except InvalidCountsError:
        assert exact.denominator != 1 or exact >= 2**53 or denominator >= 2**53
        return
    assert Fraction(float(result.numerator[0])) == exact and exact < 2**53


# ------------------------------------------------------------------ catalogs with a BOM (F18)


@given(st.booleans(), st.booleans(), st.sampled_from(["", "\n", "\n\n"]))
@settings(deadline=None, max_examples=20)
def test_a_bom_or_crlf_never_changes_what_a_catalog_loads(bom: bool, crlf: bool, lead: str) -> None:
    text = lead + TINY
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "local.toml"
        path.write_bytes(data)
        from phindicators._toml import read_documents

        (document,) = read_documents([path])
    assert document.data == tomllib.loads(TINY)


def test_bom_catalogs_load_through_the_public_entry(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "local.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'[sources.local_plan]\ntitle = "Local plan"\nyear = 2023\n')
    assert ph.load_catalog(path) is not None
