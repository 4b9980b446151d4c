"""stats_frame and compute_frame's life tables: long frames (one row per group
and band) against the stats routines called group by group on numpy arrays,
and PHEindicatormethods' expected outputs (tests/data/phe)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import phindicators as ph
from phindicators.errors import InvalidCountsError, InvalidOptionError
from phindicators.frames.banded import STATISTICS, stats_frame
from phindicators.stats import (
    annual_percent_change,
    cumulative_rate,
    dsr,
    isr,
    life_expectancy,
    probability_of_dying,
    registry_rates,
    truncated_rate,
)
from phindicators.stats.registry import REGISTRY_AGES

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

PHE = Path(__file__).parent / "data" / "phe"
COUNTIES = ["甲县", "乙县", "丙县", "丁县"]
YEARS = [2016, 2017, 2018, 2019, 2020, 2021]


def _long(seed: int = 7, ages: tuple[int, ...] = REGISTRY_AGES) -> Any:
    """Deaths and populations of four counties by age band, as a long pandas frame."""
    rng = np.random.default_rng(seed)
    rows = []
    for county in COUNTIES:
        for age in ages:
            population = int(rng.integers(2_000, 60_000))
            rate = 0.0002 * np.exp(0.085 * age) + (0.004 if age == 0 else 0.0)
            rows.append({"county": county, "age": age, "deaths": int(rng.poisson(rate * population) + 1),
                         "pop": population})
    return pd.DataFrame(rows)


def _trend(seed: int = 3) -> Any:
    rng = np.random.default_rng(seed)
    rows = []
    for c, county in enumerate(COUNTIES):
        for t, year in enumerate(YEARS):
            population = 100_000 + 1000 * t
            rows.append({"county": county, "year": year,
                         "deaths": int(rng.poisson(population * 0.002 * (1 + 0.03 * c) ** t)), "pop": population})
    return pd.DataFrame(rows)


def _arrays(frame: Any, band: str = "age") -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Per county (in COUNTIES order) the deaths and populations by band,
    bands sorted: a plain loop, not the pivot under test."""
    bands = sorted(set(frame[band]))
    x = np.zeros((len(COUNTIES), len(bands)))
    n = np.zeros_like(x)
    for row in frame.itertuples():
        g, b = COUNTIES.index(row.county), bands.index(getattr(row, band))
        x[g, b] += row.deaths
        n[g, b] += row.pop
    return x, n, bands


REFERENCE_COUNTS = {age: 10 + 5 * i for i, age in enumerate(REGISTRY_AGES)}
REFERENCE_POPS = {age: 50_000 - 1000 * i for i, age in enumerate(REGISTRY_AGES)}


def _direct(statistic: str, x: np.ndarray, n: np.ndarray, bands: list[Any], options: dict[str, Any]) -> list[Any]:
    """The statistic of one group, from the routine on 1-D arrays: a list of
    (value, lower, upper, method) per measure."""
    if statistic == "dsr":
        r = dsr(x, n, options.get("standard", "who_world_2000"))
    elif statistic == "life_expectancy":
        le = life_expectancy(x, n, bands)
        i = bands.index(options.get("at", 0))
        return [(le.value[i], le.lower[i], le.upper[i], le.method)]
    elif statistic == "probability_of_dying":
        r = probability_of_dying(x, n, bands, start=options["start"], stop=options["stop"])
    elif statistic == "cumulative_rate":
        r = cumulative_rate(x, n, bands)
    elif statistic == "truncated_rate":
        r = truncated_rate(x, n, bands)
    elif statistic == "registry_rates":
        rates = registry_rates(x, n, bands)
        return [(m.value, m.lower, m.upper, m.method)
                for m in (rates.crude, rates.china, rates.world, rates.cumulative, rates.truncated)]
    elif statistic == "isr":
        r = isr(x, n, [REFERENCE_COUNTS[a] for a in bands], [REFERENCE_POPS[a] for a in bands])
    elif statistic == "annual_percent_change":
        r = annual_percent_change(x, n, bands)
    return [(r.value, r.lower, r.upper, r.method)]


CASES: list[tuple[str, dict[str, Any]]] = [
    ("dsr", {"standard": "china_2000"}),
    ("dsr", {"standard": "segi_world"}),
    ("life_expectancy", {}),
    ("life_expectancy", {"at": 65}),
    ("probability_of_dying", {"start": 30, "stop": 70}),
    ("cumulative_rate", {}),
    ("truncated_rate", {}),
    ("registry_rates", {}),
    ("isr", {"reference_counts": REFERENCE_COUNTS, "reference_populations": REFERENCE_POPS}),
    ("annual_percent_change", {}),
]


def _to(kind: str, frame: Any) -> Any:
    return pl.from_pandas(frame) if kind == "polars" else frame


def _rows_of(out: Any) -> list[dict[str, Any]]:
    """The rows as dicts, a polars null number as NaN (what pandas shows)."""
    if isinstance(out, pl.DataFrame):
        return [{k: np.nan if v is None and out.schema[k].is_float() else v for k, v in r.items()} for r in out.to_dicts()]
    return out.to_dict("records")


def test_every_statistic_has_a_case() -> None:
    assert {name for name, _ in CASES} == set(STATISTICS)


@pytest.mark.parametrize("kind", ["pandas", "polars"])
@pytest.mark.parametrize(("statistic", "options"), CASES, ids=[f"{s}-{i}" for i, (s, _) in enumerate(CASES)])
def test_frame_equals_the_routine_group_by_group(kind: str, statistic: str, options: dict[str, Any]) -> None:
    apc = statistic == "annual_percent_change"
    frame = _trend() if apc else _long()
    band = "year" if apc else "age"
    out = stats_frame(_to(kind, frame), statistic, by="county", band=band, events="deaths", population="pop",
                      **options)
    assert type(out) is type(_to(kind, frame))
    x, n, bands = _arrays(frame, band)
    rows = _rows_of(out)
    measures = 5 if statistic == "registry_rates" else 1
    assert len(rows) == len(COUNTIES) * measures
    for g, county in enumerate(COUNTIES):
        want = _direct(statistic, x[g], n[g], bands, options)
        for m, (value, lower, upper, _method) in enumerate(want):
            row = rows[g * measures + m]
            assert row["county"] == county
            np.testing.assert_allclose([row["value"], row["lower"], row["upper"]], [value, lower, upper],
                                       rtol=1e-12)
            assert row["confidence"] == 0.95
        methods = [r["method"] for r in rows[g * measures : (g + 1) * measures]]
        assert methods == [m for *_, m in want]
        assert rows[g * measures]["events"] == x[g].sum() and rows[g * measures]["population"] == n[g].sum()
    if statistic == "registry_rates":
        assert [r["measure"] for r in rows[:5]] == ["crude", "china", "world", "cumulative", "truncated"]


@pytest.mark.parametrize(("statistic", "options"), [CASES[0], CASES[2], CASES[7], CASES[9]])
def test_shuffled_rows_give_the_same_groups(statistic: str, options: dict[str, Any]) -> None:
    apc = statistic == "annual_percent_change"
    frame = _trend() if apc else _long()
    arguments = dict(by="county", band="year" if apc else "age", events="deaths", population="pop", **options)
    ordered = stats_frame(frame, statistic, **arguments)
    shuffled = stats_frame(frame.sample(frac=1.0, random_state=11), statistic, **arguments)
    key = ["county", "measure"] if "measure" in ordered else ["county"]
    pd.testing.assert_frame_equal(ordered.sort_values(key).reset_index(drop=True),
                                  shuffled.sort_values(key).reset_index(drop=True))


def test_two_group_columns_and_text_labels() -> None:
    frame = _long()
    frame["sex"] = "男"
    other = _long(seed=8)
    other["sex"] = "女"
    both = pd.concat([frame, other], ignore_index=True)
    labels = dict(zip(REGISTRY_AGES, ["0", "1-4"] + [f"{a}-{a + 4}" for a in REGISTRY_AGES[2:-1]] + ["85+"],
                      strict=True))
    both["age"] = both["age"].map(labels)
    out = stats_frame(both, "dsr", by=["county", "sex"], band="age", events="deaths", population="pop",
                      standard="china_2000")
    assert len(out) == 8
    x, n, _ = _arrays(other)
    row = out[(out["county"] == "丙县") & (out["sex"] == "女")].iloc[0]
    assert row["value"] == pytest.approx(dsr(x[2], n[2], "china_2000").value, rel=1e-12)


def test_phe_multiarea_dsr_reproduces_phe_and_marks_the_area_with_a_missing_count() -> None:
    frame = pd.read_csv(PHE / "dsr_isr_multiarea.csv")
    with open(PHE / "dsr_results.csv", encoding="utf-8") as handle:
        expected = {r["area"]: r for r in csv.DictReader(handle) if r["statistic"] == "dsr per 100000"}
    with pytest.raises(InvalidCountsError, match=r"testdata_tiny.*count is missing in age band 10-14"):
        stats_frame(frame, "dsr", by="area", band="ageband", events="count", population="pop", standard="esp_2013")
    out = stats_frame(frame, "dsr", by="area", band="ageband", events="count", population="pop",
                      standard="esp_2013", errors="mark")
    rows = out.set_index("area")
    for area in ("testdata_big", "testdata_small"):
        assert rows.loc[area, "value"] == pytest.approx(float(expected[area]["value"]), rel=1e-12)
        assert rows.loc[area, "lower"] == pytest.approx(float(expected[area]["lower95_0cl"]), rel=1e-12)
        assert pd.isna(rows.loc[area, "problem"])
    assert np.isnan(rows.loc["testdata_tiny", "value"])
    assert "count is missing in age band 10-14" in rows.loc["testdata_tiny", "problem"]


def _broken(how: str) -> Any:
    frame = _long()
    where = (frame["county"] == "乙县") & (frame["age"] == 40)
    if how == "missing band":
        return frame[~where]
    if how == "duplicate band":
        return pd.concat([frame, frame[where]], ignore_index=True)
    if how == "negative count":
        frame.loc[where, "deaths"] = -3
        return frame
    if how == "text count":
        frame["deaths"] = frame["deaths"].astype(str).astype(object)  # a text column, as a CSV of text leaves it
        frame.loc[where, "deaths"] = "十二"
        return frame
    if how == "band not in the standard":
        extra = frame[where].assign(age=90)
        return pd.concat([frame, extra], ignore_index=True)
    raise AssertionError(how)


BROKEN = {
    "missing band": r"age band 40-44 is missing",
    "duplicate band": r"age band 40-44 is given in 2 rows",
    "negative count": r"deaths is negative: -3 in age band 40-44",
    "text count": r"deaths is not a number: '十二' in age band 40-44",
    "band not in the standard": r"age band '90' is not one of the bands of dsr",
}


@pytest.mark.parametrize("how", list(BROKEN))
def test_bad_input_raises_naming_group_and_band(how: str) -> None:
    frame = _broken(how)
    with pytest.raises(InvalidCountsError, match=BROKEN[how]) as caught:
        stats_frame(frame, "dsr", by="county", band="age", events="deaths", population="pop", standard="china_2000")
    assert "county=乙县" in str(caught.value)


@pytest.mark.parametrize("kind", ["pandas", "polars"])
@pytest.mark.parametrize("how", list(BROKEN))
def test_bad_input_is_marked_and_the_other_groups_computed(kind: str, how: str) -> None:
    frame = _broken(how)
    out = stats_frame(_to(kind, frame), "dsr", by="county", band="age", events="deaths", population="pop",
                      standard="china_2000", errors="mark")
    rows = {r["county"]: r for r in _rows_of(out)}
    bad = rows["乙县"]
    assert np.isnan(bad["value"])
    assert pd.isna(bad["method"])
    assert re.search(BROKEN[how], bad["problem"])
    x, n, _ = _arrays(_long())
    for g, county in enumerate(COUNTIES):
        if county != "乙县":
            assert pd.isna(rows[county]["problem"])
            assert rows[county]["value"] == pytest.approx(dsr(x[g], n[g], "china_2000").value, rel=1e-12)


def test_a_group_the_routine_refuses_is_named_or_marked() -> None:
    frame = _long()
    frame.loc[(frame["county"] == "丙县") & (frame["age"] == 85), "deaths"] = 0
    with pytest.raises(InvalidCountsError, match=r"open last band.*county=丙县"):
        stats_frame(frame, "life_expectancy", by="county", band="age", events="deaths", population="pop")
    out = stats_frame(frame, "life_expectancy", by="county", band="age", events="deaths", population="pop",
                      errors="mark").set_index("county")
    assert np.isnan(out.loc["丙县", "value"]) and "open last band" in out.loc["丙县", "problem"]
    x, n, bands = _arrays(frame)
    want = life_expectancy(x[[0, 1, 3]], n[[0, 1, 3]], bands)
    np.testing.assert_allclose(out.loc[["甲县", "乙县", "丁县"], "value"], want.value[:, 0], rtol=1e-12)


def test_options_are_checked() -> None:
    frame = _long()
    arguments = dict(by="county", band="age", events="deaths", population="pop")
    with pytest.raises(InvalidOptionError, match="statistic must be one of"):
        stats_frame(frame, "dsrr", **arguments)
    with pytest.raises(InvalidOptionError, match="dsr takes no option 'standrd'"):
        stats_frame(frame, "dsr", standrd="china_2000", **arguments)
    with pytest.raises(InvalidOptionError, match="band column 'agee' is not in the frame"):
        stats_frame(frame, "dsr", **{**arguments, "band": "agee"})
    with pytest.raises(InvalidOptionError, match="start= and stop="):
        stats_frame(frame, "probability_of_dying", **arguments)


@pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
def test_pyarrow_and_dask_frames_come_back_in_their_kind() -> None:
    pa = pytest.importorskip("pyarrow")
    frame = _long()
    want = stats_frame(frame, "cumulative_rate", by="county", band="age", events="deaths", population="pop")
    table = stats_frame(pa.Table.from_pandas(frame), "cumulative_rate", by="county", band="age", events="deaths",
                        population="pop")
    assert isinstance(table, pa.Table)
    np.testing.assert_allclose(table.column("value").to_numpy(), want["value"], rtol=0)
    dd = pytest.importorskip("dask.dataframe")
    lazy = stats_frame(dd.from_pandas(frame, npartitions=3), "cumulative_rate", by="county", band="age",
                       events="deaths", population="pop")
    np.testing.assert_allclose(lazy.compute()["value"].to_numpy(), want["value"], rtol=0)


# ------------------------------------------------------------ compute_frame


def test_compute_frame_life_expectancy_reproduces_phe_by_case() -> None:
    frame = pd.read_csv(PHE / "life_expectancy.csv")
    out = ph.compute_frame(frame, "life_expectancy", numerator="deaths", denominator="pops", by="case",
                           ages="startage").set_index("case")
    at_birth = frame[frame["startage"] == 0].set_index("case")
    for case in at_birth.index:
        assert out.loc[case, "value"] == pytest.approx(at_birth.loc[case, "value"], rel=1e-9)
        # PHE's answer1 took z = 1.96 for its limits (tests/data/phe/README.md): 1e-6 covers it.
        assert out.loc[case, "lower"] == pytest.approx(at_birth.loc[case, "lowercl"], rel=1e-6)
        assert out.loc[case, "numerator"] == frame.loc[frame["case"] == case, "deaths"].sum()
    assert out.loc["df1", "display_zh"] == "80.17" and out.loc["df1", "method"] == "chiang_silcocks"


@pytest.mark.parametrize("kind", ["pandas", "polars"])
@pytest.mark.parametrize("iid", ["life_expectancy", "adult_mortality_45q15", "premature_ncd_mortality"])
def test_compute_frame_life_tables_equal_compute_group_by_group(kind: str, iid: str) -> None:
    frame = _long()
    out = ph.compute_frame(_to(kind, frame).sample(fraction=1.0, shuffle=True, seed=2) if kind == "polars"
                           else frame.sample(frac=1.0, random_state=2),
                           iid, numerator="deaths", denominator="pop", by="county", ages="age")
    rows = {r["county"]: r for r in _rows_of(out)}
    x, n, bands = _arrays(frame)
    for g, county in enumerate(COUNTIES):
        want = ph.get(iid).compute(x[g], n[g], ages=bands)
        got = rows[county]
        np.testing.assert_allclose([got["value"], got["lower"], got["upper"]], [want.value, want.lower, want.upper],
                                   rtol=1e-12)
        assert (got["numerator"], got["denominator"]) == (want.numerator, want.denominator)
        assert got["display_zh"] == want.format("zh")


def test_compute_frame_life_table_options_are_checked() -> None:
    frame = _long()
    with pytest.raises(InvalidOptionError, match="give ages="):
        ph.compute_frame(frame, "life_expectancy", numerator="deaths", denominator="pop", by="county")
    with pytest.raises(InvalidOptionError, match="one life-table indicator"):
        ph.compute_frame(frame, "infant_mortality_rate", numerator="deaths", denominator="pop", by="county",
                         ages="age")
    with pytest.raises(InvalidOptionError, match="benchmark"):
        ph.compute_frame(frame, "life_expectancy", numerator="deaths", denominator="pop", by="county", ages="age",
                         benchmark="pooled")
    marked = ph.compute_frame(_broken("missing band"), "life_expectancy", numerator="deaths", denominator="pop",
                              by="county", ages="age", errors="mark").set_index("county")
    assert np.isnan(marked.loc["乙县", "value"]) and "age band 40-44 is missing" in marked.loc["乙县", "problem"]
    assert pd.isna(marked.loc["乙县", "display_zh"]) and not np.isnan(marked.loc["甲县", "value"])


def test_bands_must_be_the_standards_and_a_band_no_group_has_is_missing_when_named() -> None:
    frame = _long()
    arguments = dict(by="county", band="age", events="deaths", population="pop")
    # ESP 2013's 19 weights on the registry's 19 bands would be weighted by position: refused.
    with pytest.raises(InvalidOptionError, match="differ from the bands of the standard"):
        stats_frame(frame, "dsr", standard="esp_2013", bands=list(REGISTRY_AGES), **arguments)
    with pytest.raises(InvalidOptionError, match="registry_rates takes no option 'standard'"):
        stats_frame(frame, "registry_rates", standard="segi_world", **arguments)
    without_40 = frame[frame["age"] != 40]
    out = stats_frame(without_40, "life_expectancy", bands=list(REGISTRY_AGES), errors="mark", **arguments)
    assert out["value"].isna().all()
    assert (out["problem"] == "age band 40-44 is missing").all()
    # No group computed: the columns (and their kinds) of a frame whose groups all were.
    good = stats_frame(frame, "life_expectancy", errors="mark", **arguments)
    assert list(out.columns) == list(good.columns)
    assert out.dtypes.tolist() == good.dtypes.tolist()


def test_every_group_the_routine_refuses_is_marked_not_only_those_its_error_names() -> None:
    frames = []
    for i in range(9):
        part = _long(seed=20 + i)
        part = part[part["county"] == "甲县"].assign(county=f"县{i}")
        if i > 0:  # eight groups with no deaths in the open band: more than an error names
            part.loc[part["age"] == 85, "deaths"] = 0
        frames.append(part)
    frame = pd.concat(frames, ignore_index=True)
    out = stats_frame(frame, "life_expectancy", by="county", band="age", events="deaths", population="pop",
                      errors="mark")
    assert out["problem"].isna().tolist() == [True] + [False] * 8
    assert out["problem"].str.contains("open last band").sum() == 8
    first = frames[0]
    want = life_expectancy(first["deaths"].to_numpy(float), first["pop"].to_numpy(float), list(REGISTRY_AGES))
    assert out["value"][0] == pytest.approx(want.value[0], rel=1e-12)


def test_compute_frame_life_table_with_period_and_targets() -> None:
    early, late = _long(seed=7), _long(seed=9)
    frame = pd.concat([early.assign(year=2020), late.assign(year=2021)], ignore_index=True)
    out = ph.compute_frame(frame, "life_expectancy", numerator="deaths", denominator="pop", by="county",
                           period="year", ages="age", targets="fyp13_health_2016")
    assert len(out) == 8 and list(out.columns[:3]) == ["county", "year", "indicator"]
    row = out[(out["county"] == "丁县") & (out["year"] == 2021)].iloc[0]
    x, n, bands = _arrays(late)
    want = ph.get("life_expectancy").compute(x[3], n[3], ages=bands)
    assert row["value"] == pytest.approx(want.value, rel=1e-12)
    assert row["target"] is not None and row["target_status"] in ("met", "not_met", "uncertain")


def test_labels_that_leave_ages_out_are_refused() -> None:
    frame = _long()
    frame = frame[frame["age"] != 5].assign(age=lambda f: f["age"].map(lambda a: "85+" if a == 85 else f"{a}-{a + 4}"))
    frame.loc[frame["age"] == "1-5", "age"] = "1-4"
    with pytest.raises(InvalidCountsError, match=r"age leaves out ages 5-9: band 1-4 is followed by 10"):
        stats_frame(frame, "cumulative_rate", by="county", band="age", events="deaths", population="pop",
                    errors="mark")
