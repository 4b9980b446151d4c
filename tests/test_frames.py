"""compute_frame and result_frame: DataFrames in, the caller's kind of DataFrame out.

Expected numbers come from outside the code under test: statsmodels'
Wilson interval, pandas' own groupby sums, and the published target
thresholds; the array path (Indicator.compute) is the reference the frame
path must agree with.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pytest.importorskip("narwhals")
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

from phindicators import get  # noqa: E402
from phindicators.errors import InvalidCountsError, InvalidOptionError, InvalidTypeError  # noqa: E402
from phindicators.frames import compute_frame, result_frame  # noqa: E402
from phindicators.targets import target_set  # noqa: E402

RATE = "maternal_systematic_management_rate"  # a proportion in percent, Wilson


def _counties() -> pd.DataFrame:
    """30 counties × 5 years of managed mothers and births, as an analyst has them."""
    rng = np.random.default_rng(16)
    counties = [f"县{i:02d}" for i in range(30)]
    years = list(range(2019, 2024))
    births = rng.integers(800, 5000, size=150)
    managed = (births * rng.uniform(0.85, 0.99, size=150)).astype(int)
    return pd.DataFrame(
        {
            "county": np.repeat(counties, 5),
            "year": np.tile(years, 30),
            "managed": managed,
            "births": births,
            "deaths": rng.integers(0, 4, size=150),
        }
    )


def test_values_and_limits_match_the_array_path_and_statsmodels() -> None:
    df = _counties()
    out = compute_frame(df, RATE, numerator="managed", denominator="births")
    assert isinstance(out, pd.DataFrame) and len(out) == len(df)
    reference = get(RATE).compute(df["managed"].to_numpy(), df["births"].to_numpy())
    np.testing.assert_allclose(out["value"], reference.value, rtol=1e-12)
    low, high = proportion_confint(df["managed"], df["births"], alpha=0.05, method="wilson")
    np.testing.assert_allclose(out["lower"], 100 * low, rtol=1e-9)
    np.testing.assert_allclose(out["upper"], 100 * high, rtol=1e-9)
    assert set(out["method"]) == {"wilson"}
    assert out["numerator"].dtype.kind == "i" and out["denominator"].dtype.kind == "i"


def test_a_pandas_frame_keeps_its_index_without_by() -> None:
    df = _counties().set_index(pd.Index(np.arange(150) * 7, name="row"))
    out = compute_frame(df, RATE, numerator="managed", denominator="births")
    assert list(out.index) == list(df.index)


def test_by_pools_counts_by_summing_them() -> None:
    df = _counties()
    df["district"] = df["county"].str[-1]  # 10 districts of 3 counties
    out = compute_frame(df, RATE, numerator="managed", denominator="births", by="district", period="year")
    sums = df.groupby(["district", "year"], sort=False)[["managed", "births"]].sum().reset_index()
    merged = out.merge(sums, on=["district", "year"])
    assert len(merged) == len(sums) == 50
    assert (merged["numerator"] == merged["managed"]).all()
    expected = 100 * merged["managed"] / merged["births"]
    np.testing.assert_allclose(merged["value"], expected, rtol=1e-12)
    low, _ = proportion_confint(merged["managed"], merged["births"], method="wilson")
    np.testing.assert_allclose(merged["lower"], 100 * low, rtol=1e-9)


def test_polars_in_polars_out_with_the_same_numbers() -> None:
    df = _counties()
    pandas_out = compute_frame(df, RATE, numerator="managed", denominator="births", by="county")
    polars_out = compute_frame(pl.from_pandas(df), RATE, numerator="managed", denominator="births", by="county")
    assert isinstance(polars_out, pl.DataFrame)
    np.testing.assert_allclose(polars_out["value"].to_numpy(), pandas_out["value"].to_numpy())
    assert polars_out["county"].to_list() == pandas_out["county"].tolist()
    lazy = compute_frame(pl.from_pandas(df).lazy(), RATE, numerator="managed", denominator="births")
    assert isinstance(lazy, pl.LazyFrame)


def test_pyarrow_in_pyarrow_out() -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"managed": [95, 40], "births": [100, 50]})
    out = compute_frame(table, RATE, numerator="managed", denominator="births")
    assert isinstance(out, pa.Table)
    assert out.column("display_zh").to_pylist() == ["95.00%", "80.00%"]


def test_mark_gives_na_and_a_problem_per_bad_row_and_keeps_going() -> None:
    df = pd.DataFrame(
        {"managed": [95, -1, None, "两", 45], "births": [100, 50, 50, 50, 50]},
        index=["a", "b", "c", "d", "e"],
    )
    out = compute_frame(df, RATE, numerator="managed", denominator="births", errors="mark")
    assert out["value"].isna().tolist() == [False, True, True, True, False]
    assert out["problem"].tolist()[1:4] == [
        "row b: managed is negative: -1",
        "row c: managed is missing",
        "row d: managed is not a number: '两'",
    ]
    assert out["problem"].isna().tolist() == [True, False, False, False, True]
    assert out.loc["e", "value"] == pytest.approx(90.0)


def test_mark_reports_groups_after_pooling() -> None:
    # 60 of 50 is above the denominator: the proportion is refused per group.
    df = pd.DataFrame({"area": ["甲", "乙"], "managed": [40, 60], "births": [50, 50]})
    out = compute_frame(df, RATE, numerator="managed", denominator="births", by="area", errors="mark")
    assert out["problem"].tolist()[0] is None or pd.isna(out["problem"].tolist()[0])
    assert out["problem"].tolist()[1] == "area=乙: managed exceeds the denominator 'births'"
    assert np.isnan(out["value"].tolist()[1])


def test_raise_names_the_rows_by_index_label() -> None:
    df = pd.DataFrame({"managed": [95, -1, -2], "births": [100, 50, 50]}, index=["甲县", "乙县", "丙县"])
    with pytest.raises(InvalidCountsError, match="row 乙县: managed is negative: -1; row 丙县") as caught:
        compute_frame(df, RATE, numerator="managed", denominator="births")
    assert caught.value.n_bad == 2
    zero = pd.DataFrame({"area": ["甲", "乙"], "managed": [0, 0], "births": [10, 0]})
    with pytest.raises(InvalidCountsError, match="births is zero.*area=乙"):
        compute_frame(zero, RATE, numerator="managed", denominator="births", by="area")


def test_thousands_separators_in_text_counts() -> None:
    df = pl.DataFrame({"managed": ["1,200", "950"], "births": ["1,270", "1，000"]})
    out = compute_frame(df, RATE, numerator="managed", denominator="births")
    assert out["numerator"].to_list() == [1200, 950]
    assert out["denominator"].to_list() == [1270, 1000]


def test_a_decimal_comma_is_a_bad_row_not_a_thousands_separator() -> None:
    """Regression: every comma was stripped, so "1,2" became 12."""
    df = pd.DataFrame({"managed": ["1", "950"], "births": ["1,2", "1,000"]})
    with pytest.raises(InvalidCountsError, match="1,2"):
        compute_frame(df, RATE, numerator="managed", denominator="births")
    marked = compute_frame(df, RATE, numerator="managed", denominator="births", errors="mark")
    assert marked["problem"].notna().tolist() == [True, False]
    assert marked["denominator"].tolist()[1] == 1000


def test_a_list_of_indicators_reads_a_wide_frame_group_by_group() -> None:
    wide = pd.DataFrame(
        {"area": ["甲县", "乙县"], "live_births": [2158, 1900], "maternal_deaths": [2, 0], "infant_deaths": [23, 9]}
    )
    names = ["maternal_mortality_ratio", "infant_mortality_rate"]
    out = compute_frame(wide, names, by="area")
    assert out["area"].tolist() == ["甲县", "甲县", "乙县", "乙县"]
    assert out["indicator"].tolist() == names * 2
    assert out["display_zh"].tolist()[:2] == ["92.68/10万", "10.66‰"]  # published in the seed report
    with pytest.raises(InvalidOptionError, match="several indicators"):
        compute_frame(wide, names, numerator="maternal_deaths")


def test_targets_met_not_met_and_uncertain_with_gap() -> None:
    plan = target_set("women_outline_2011")
    [target] = plan.for_indicator("maternal_mortality_ratio")
    threshold = float(target.threshold[0])  # ≤ 20 per 100 000
    df = pd.DataFrame({"area": ["低", "高", "近"], "maternal_deaths": [1, 60, 20], "live_births": [100_000, 100_000, 100_000]})
    out = compute_frame(df, "maternal_mortality_ratio", targets=plan)
    # 1/10万 is met surely, 60/10万 missed surely; 20/10万 has an interval
    # around the threshold: uncertain.
    assert out["target_status"].tolist() == ["met", "not_met", "uncertain"]
    np.testing.assert_allclose(out["target_gap"], [threshold - 1, threshold - 60, 0.0])
    both = compute_frame(df, "maternal_mortality_ratio", targets=[plan, "healthy_china_2030"])
    assert "target_status_women_outline_2011" in both and "target_status_healthy_china_2030" in both


def test_benchmark_pooled_is_per_period_and_polarity_aware() -> None:
    df = pd.DataFrame(
        {
            "area": ["甲", "乙", "丙", "甲", "乙", "丙"],
            "year": [2022, 2022, 2022, 2023, 2023, 2023],
            "managed": [990, 900, 950, 500, 500, 500],
            "births": [1000, 1000, 1000, 1000, 1000, 1000],
        }
    )
    out = compute_frame(df, RATE, numerator="managed", denominator="births", by="area", period="year", benchmark="pooled")
    pooled_2022 = 100 * (990 + 900 + 950) / 3000
    np.testing.assert_allclose(out["benchmark_value"], [pooled_2022] * 3 + [50.0] * 3)
    # Judged by statsmodels' Wilson limits at 95 % and 99.8 %, high is good.
    expected = []
    for x in df["managed"]:
        low95, high95 = (100 * v for v in proportion_confint(x, 1000, alpha=0.05, method="wilson"))
        low998, high998 = (100 * v for v in proportion_confint(x, 1000, alpha=0.002, method="wilson"))
        bench = pooled_2022 if len(expected) < 3 else 50.0
        score = (low95 > bench) + (low998 > bench) - (high95 < bench) - (high998 < bench)
        expected.append(["worst", "worse", "similar", "better", "best"][score + 2])
    assert out["benchmark_status"].tolist() == expected
    assert expected[:2] == ["best", "worst"]


def test_benchmark_named_group_in_the_same_period() -> None:
    df = pd.DataFrame(
        {"area": ["省", "甲", "省", "甲"], "year": [2022, 2022, 2023, 2023], "managed": [900, 990, 950, 950], "births": [1000] * 4}
    )
    out = compute_frame(df, RATE, numerator="managed", denominator="births", by="area", period="year", benchmark="省")
    assert out["benchmark_value"].isna().tolist() == [True, False, True, False]
    np.testing.assert_allclose(out["benchmark_value"].dropna(), [90.0, 95.0])
    with pytest.raises(InvalidOptionError, match="not a group"):
        compute_frame(df, RATE, numerator="managed", denominator="births", by="area", benchmark="市")


def test_bad_arguments_are_refused() -> None:
    df = _counties()
    with pytest.raises(InvalidOptionError, match="'birth'.*did you mean 'births'"):
        compute_frame(df, RATE, numerator="managed", denominator="birth")
    with pytest.raises(InvalidOptionError, match="errors must be"):
        compute_frame(df, RATE, numerator="managed", denominator="births", errors="ignore")
    with pytest.raises(InvalidTypeError):
        compute_frame([1, 2], RATE, numerator="managed", denominator="births")


def test_result_frame_keeps_a_series_index() -> None:
    df = _counties().set_index(["county", "year"])
    result = get(RATE).compute(df["managed"], df["births"])
    frame = result_frame(result, index=df.index)
    assert frame.index.equals(df.index)
    np.testing.assert_allclose(frame["value"], 100 * df["managed"] / df["births"])
    polars = result_frame(get("infant_mortality_rate").compute(23, 2158), "polars")
    assert isinstance(polars, pl.DataFrame) and polars["display_zh"].to_list() == ["10.66‰"]


def test_import_phindicators_loads_no_frame_library() -> None:
    code = (
        "import sys, phindicators, phindicators.frames; "
        "print(sorted(m for m in ('narwhals', 'pandas', 'polars', 'pyarrow') if m in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"


def test_displays_can_be_left_out_and_match_display_when_made() -> None:
    from phindicators.display import format_interval

    df = _counties()
    out = compute_frame(df, RATE, numerator="managed", denominator="births")
    expected = format_interval(
        out["value"].to_numpy(), out["lower"].to_numpy(), out["upper"].to_numpy(), "percent", 2, "en"
    ).tolist()
    assert out["interval_en"].tolist() == expected
    bare = compute_frame(df, RATE, numerator="managed", denominator="births", displays=False)
    assert "display_zh" not in bare.columns and bare["value"].equals(out["value"])


@pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
def test_a_dask_frame_is_pooled_lazily_and_equals_pandas() -> None:
    dd = pytest.importorskip("dask.dataframe")
    df = _counties()
    df["district"] = df["county"].str[-1]
    options = dict(numerator="managed", denominator="births", by="district", period="year",
                   targets="women_outline_2011", benchmark="pooled")
    expected = compute_frame(df, RATE, **options).sort_values(["district", "year"]).reset_index(drop=True)
    lazy = compute_frame(dd.from_pandas(df, npartitions=4), RATE, **options)
    assert type(lazy).__module__.startswith("dask")
    got = lazy.compute().sort_values(["district", "year"]).reset_index(drop=True)
    for column in ("district", "year", "numerator", "denominator", "display_zh", "target_status",
                   "benchmark_status"):
        assert got[column].tolist() == expected[column].tolist(), column
    for column in ("value", "lower", "upper", "benchmark_value"):
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-12)


@pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
def test_bad_rows_of_a_lazy_frame_are_counted_per_group() -> None:
    dd = pytest.importorskip("dask.dataframe")
    df = pd.DataFrame({"area": ["甲", "甲", "乙", "乙"], "managed": [9, -1, 5, 6], "births": [10, 10, 10, 10]})
    marked = compute_frame(dd.from_pandas(df, npartitions=2), RATE, numerator="managed", denominator="births",
                           by="area", errors="mark").compute().set_index("area")
    assert marked.loc["甲", "problem"] == "1 row: managed is negative" and np.isnan(marked.loc["甲", "value"])
    assert marked.loc["乙", "value"] == pytest.approx(55.0)
    with pytest.raises(InvalidCountsError, match="managed is negative .*area=甲"):
        compute_frame(pl.from_pandas(df).lazy(), RATE, numerator="managed", denominator="births", by="area")
