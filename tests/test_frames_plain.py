"""compute_frame's plain path (clean numeric counts) against references.

The plain path computes clean integer or float count columns in one
``compute`` per indicator, pooling with the frame's own group_by. Its
results must be those of a straightforward reference (numpy sums per group,
then Indicator.compute) and those of the careful path, which the same
counts written as text take (text never takes the plain path), bad rows
included.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pytest.importorskip("narwhals")

from phindicators import get  # noqa: E402
from phindicators.errors import InvalidCountsError  # noqa: E402
from phindicators.frames import compute_frame  # noqa: E402
from phindicators.scorecard.formatting import has_pyarrow  # noqa: E402

PROPORTION = "maternal_systematic_management_rate"  # Wilson, percent
RATE = "infant_mortality_rate"  # exact below 10 events, Byar's from 10
NUMBERS = ["numerator", "denominator", "value", "lower", "upper", "confidence"]
TEXTS = ["indicator", "method", "unit", "display_zh", "display_en", "interval_zh", "interval_en"]


def _frame(rows: int, seed: int, *, groups: int = 40, floats: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    births = rng.integers(1, 3_000, rows)
    managed = rng.binomial(births, 0.9)
    frame = pd.DataFrame({"area": rng.integers(0, groups, rows), "managed": managed, "births": births})
    frame["deaths"] = rng.poisson(births * 0.004)
    if floats:
        frame = frame.astype({"managed": float, "births": float, "deaths": float})
    return frame


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The same counts as text cells: compute_frame reads them on the careful path."""
    out = frame.copy()
    for name in {"managed", "births", "deaths"} & set(frame.columns):
        out[name] = [None if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)) for v in frame[name]]
    return out


def _reference(frame: pd.DataFrame, indicator: str, numerator: str, by: str | None) -> dict[str, np.ndarray]:
    """Sums per group in order of first appearance (numpy), then Indicator.compute."""
    num = frame[numerator].to_numpy(dtype=float)
    den = frame["births"].to_numpy(dtype=float)
    if by is not None:
        keys, first, inverse = np.unique(frame[by].to_numpy(), return_index=True, return_inverse=True)
        order = np.argsort(first)  # groups as they first appear
        num = np.bincount(inverse, weights=num)[order]
        den = np.bincount(inverse, weights=den)[order]
    result = get(indicator).compute(num, den)
    return {"numerator": num, "denominator": den, "value": result.value, "lower": result.lower, "upper": result.upper}


def _plain_values(out: object, name: str) -> np.ndarray:
    column = out[name]  # type: ignore[index]
    return np.asarray(column.to_numpy(), dtype=float)


@pytest.mark.parametrize("floats", [False, True], ids=["int", "float"])
@pytest.mark.parametrize("by", [None, "area"])
@pytest.mark.parametrize("indicator, numerator", [(PROPORTION, "managed"), (RATE, "deaths")])
def test_plain_path_equals_numpy_sums_and_the_array_path(
    floats: bool, by: str | None, indicator: str, numerator: str
) -> None:
    frame = _frame(5_000, 1, floats=floats)
    expected = _reference(frame, indicator, numerator, by)
    for kind in ("pandas", "polars"):
        data = frame if kind == "pandas" else pl.from_pandas(frame)
        out = compute_frame(data, indicator, numerator=numerator, denominator="births", by=by)
        for name, values in expected.items():
            assert np.array_equal(_plain_values(out, name), values), (kind, name)
        if by is not None:
            keys = out["area"].to_numpy()
            assert np.array_equal(keys, pd.unique(frame["area"])), kind  # first appearance
        assert out["numerator"].dtype.is_integer() if kind == "polars" else out["numerator"].dtype.kind == "i"
    if indicator == RATE:
        methods = compute_frame(frame, indicator, numerator=numerator, denominator="births", by=by)["method"]
        assert methods.tolist() == np.where(expected["numerator"] < 10, "exact", "byar").tolist()


@pytest.mark.parametrize("by", [None, "area"])
@pytest.mark.parametrize("floats", [False, True], ids=["int", "float"])
def test_plain_path_equals_the_careful_path(by: str | None, floats: bool) -> None:
    names = {"managed": "systematically_managed_mothers", "deaths": "infant_deaths", "births": "live_births"}
    frame = _frame(3_000, 2, floats=floats)
    options = dict(by=by, targets="women_outline_2011", benchmark="pooled")
    for indicators in ([PROPORTION], [RATE], [PROPORTION, RATE]):
        plain = compute_frame(frame.rename(columns=names), indicators, **options)
        careful = compute_frame(_as_text(frame).rename(columns=names), indicators, **options)
        pd.testing.assert_frame_equal(plain, careful)


def test_bad_rows_are_marked_alike_by_both_paths_and_good_groups_match_the_reference() -> None:
    frame = _frame(2_000, 3, groups=30, floats=True)
    bad = {5: -1.0, 17: np.nan, 400: 2.5}  # negative, missing, fractional numerators
    for row, value in bad.items():
        frame.loc[row, "managed"] = value
    frame.loc[900, "managed"] = frame.loc[900, "births"] + 1  # above its denominator, pooled away or not
    options = dict(numerator="managed", denominator="births", errors="mark")
    for by in (None, "area"):
        marked = compute_frame(frame, PROPORTION, by=by, **options)
        careful = compute_frame(_as_text(frame), PROPORTION, by=by, **options)
        pd.testing.assert_frame_equal(marked, careful)
        problem = marked["problem"].notna().to_numpy()
        assert problem.any()
        if by is None:
            assert set(np.flatnonzero(problem)) >= set(bad)
        else:
            bad_areas = set(frame.loc[list(bad), "area"])
            assert set(marked.loc[problem, "area"]) >= bad_areas
        assert np.isnan(marked.loc[problem, "value"]).all()
        # The good rows (or the rows of good groups), summed and computed as ever.
        good = frame[~problem] if by is None else frame[~frame["area"].isin(marked.loc[problem, "area"])]
        expected = _reference(good, PROPORTION, "managed", by)
        got = marked[~problem]
        for name, values in expected.items():
            assert np.array_equal(got[name].to_numpy(dtype=float), values), name


def test_counts_too_large_to_sum_as_integers_take_the_careful_path() -> None:
    big = 2**52
    frame = pd.DataFrame({"area": [1, 1, 2], "deaths": [1, 2, 3], "births": [big, big, 10]})
    marked = compute_frame(frame, RATE, numerator="deaths", denominator="births", by="area", errors="mark")
    assert marked["problem"].tolist()[0] == "area=1: births is too large to count exactly"
    assert marked["value"].tolist()[1] == pytest.approx(300.0)
    with pytest.raises(Exception, match="too large"):
        compute_frame(frame, RATE, numerator="deaths", denominator="births", by="area")


def test_the_output_counts_and_the_input_frame_do_not_change_each_other() -> None:
    frame = _frame(10, 4)
    out = compute_frame(frame, PROPORTION, numerator="managed", denominator="births")
    before = frame["managed"].tolist()
    out.loc[0, "numerator"] = -5
    assert frame["managed"].tolist() == before
    frame.loc[1, "managed"] = 0
    assert out.loc[1, "numerator"] == before[1]


def test_a_pandas_index_is_kept_and_text_columns_are_categorical() -> None:
    frame = _frame(6, 5).set_axis(list("abcdef"))
    out = compute_frame(frame, PROPORTION, numerator="managed", denominator="births")
    assert out.index.tolist() == list("abcdef")
    if has_pyarrow():  # dictionary-encoded by pyarrow; plain text without it
        for name in ("indicator", "method", "unit"):
            assert isinstance(out[name].dtype, pd.CategoricalDtype), name
    assert out["indicator"].tolist() == [PROPORTION] * 6 and out["method"].tolist() == ["wilson"] * 6
    assert (
        pl.from_pandas(frame)
        .pipe(compute_frame, PROPORTION, numerator="managed", denominator="births")["unit"]
        .to_list()
        == ["percent"] * 6
    )


@pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
@pytest.mark.parametrize("floats", [False, True], ids=["int", "float"])
def test_a_dask_frame_equals_numpy_sums_and_the_array_path(floats: bool) -> None:
    dd = pytest.importorskip("dask.dataframe")
    frame = _frame(4_000, 6, floats=floats)
    got = compute_frame(
        dd.from_pandas(frame, npartitions=5), PROPORTION, numerator="managed", denominator="births", by="area"
    ).compute()
    expected = _reference(frame, PROPORTION, "managed", "area")
    order = np.argsort(got["area"].to_numpy())
    first_seen = pd.unique(frame["area"])
    reorder = np.argsort(first_seen)
    for name, values in expected.items():
        assert np.array_equal(got[name].to_numpy(dtype=float)[order], values[reorder]), name


@pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
def test_a_dask_frame_without_by_is_computed_partition_by_partition() -> None:
    dd = pytest.importorskip("dask.dataframe")
    frame = _frame(1_000, 7).set_axis(np.arange(1_000) * 3)
    frame["year"] = np.where(frame["area"] < 20, 2022, 2023)
    frame.loc[12, "managed"] = -1  # named by its label, whichever partition holds it
    options = dict(numerator="managed", denominator="births", period="year", targets="women_outline_2011")
    lazy = compute_frame(dd.from_pandas(frame, npartitions=4), PROPORTION, errors="mark", **options)
    assert type(lazy).__module__.startswith("dask")
    expected = compute_frame(frame, PROPORTION, errors="mark", **options)
    pd.testing.assert_frame_equal(lazy.compute(), expected)
    assert expected.loc[12, "problem"] == "row 12: managed is negative: -1"
    refused = compute_frame(dd.from_pandas(frame, npartitions=4), PROPORTION, **options)
    with pytest.raises(InvalidCountsError, match="row 12: managed is negative"):
        refused.compute()


@pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
def test_a_grouped_dask_frame_is_read_only_when_its_result_is_computed() -> None:
    dd = pytest.importorskip("dask.dataframe")
    frame = _frame(3_000, 8)
    frame.loc[7, "managed"] = -1
    reads: list[int] = []

    def partition(number: int) -> pd.DataFrame:
        reads.append(number)
        return frame.iloc[number * 1_000 : (number + 1) * 1_000]

    lazy_frame = dd.from_map(partition, range(3), meta=frame.iloc[:0])
    options = dict(numerator="managed", denominator="births", by="area", errors="mark")
    lazy = compute_frame(lazy_frame, PROPORTION, **options)
    refused = compute_frame(lazy_frame, PROPORTION, numerator="managed", denominator="births", by="area")
    assert reads == [] and type(lazy).__module__.startswith("dask")
    got = lazy.compute()
    assert sorted(reads) == [0, 1, 2]
    # Sorted by area (the pandas frame's groups come in order of first appearance).
    expected = compute_frame(frame, PROPORTION, **options).sort_values("area").reset_index(drop=True)
    bad_area = frame.loc[7, "area"]
    assert got.set_index("area").loc[bad_area, "problem"] == "1 row: managed is negative"
    good = expected["area"] != bad_area
    for name in ("area", "numerator", "denominator", "value", "lower", "upper"):
        assert np.array_equal(got.loc[good, name].to_numpy(), expected.loc[good, name].to_numpy()), name
    with pytest.raises(InvalidCountsError, match="managed is negative"):
        refused.compute()


def test_bad_rows_of_an_ungrouped_polars_frame_come_back_in_polars() -> None:
    frame = _frame(20, 9).astype({"managed": float})
    frame.loc[3, "managed"] = np.nan
    out = compute_frame(pl.from_pandas(frame), PROPORTION, numerator="managed", denominator="births", errors="mark")
    assert isinstance(out, pl.DataFrame)
    assert out["problem"].to_list()[3] == "row 3: managed is missing" and out["value"].null_count() == 1


_CELLS = st.one_of(
    st.integers(0, 60),  # mostly good counts, zero denominators among them
    st.sampled_from([-1, 2.5, float("nan"), 2**53]),  # negative, fractional, missing, too large
)


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(st.tuples(st.integers(0, 3), _CELLS, _CELLS), min_size=1, max_size=12),
    by=st.sampled_from([None, "area"]),
    errors=st.sampled_from(["raise", "mark"]),
    kind=st.sampled_from(["pandas", "polars"]),
)
def test_any_frame_gives_what_its_counts_as_text_give(
    cells: list[tuple[int, float, float]], by: str | None, errors: str, kind: str
) -> None:
    """Numeric columns (the plain path where every count is good) and the
    same counts as text (always the careful path): the same output, or the
    same error."""
    frame = pd.DataFrame(cells, columns=["area", "managed", "births"])
    options = dict(numerator="managed", denominator="births", by=by, errors=errors, benchmark="pooled")
    outcomes = []
    for data in (frame, _as_text(frame)):
        try:
            outcomes.append(compute_frame(data if kind == "pandas" else pl.from_pandas(data), PROPORTION, **options))
        except InvalidCountsError as error:
            outcomes.append(str(error))
    if isinstance(outcomes[0], str) or isinstance(outcomes[1], str):
        assert outcomes[0] == outcomes[1]
    elif kind == "pandas":
        pd.testing.assert_frame_equal(outcomes[0], outcomes[1])
    else:
        assert outcomes[0].equals(outcomes[1])
