"""The standard indicator sets in the bundled data (issue 17).

Every bundled definition and target says how far it was checked (a
confidence grade, with evidence where it quotes a source), every alias
names one indicator or is a context rule of the label table, and the
README's coverage table counts what the data holds. These tests read the
TOML files themselves, so that a grade left to the model's default counts
as missing.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import phindicators as ph
from phindicators.catalog import normalize_name
from phindicators.errors import DefinitionError
from phindicators.figures import parse_figure
from phindicators.units import conversion_factor

DATA = resources.files("phindicators").joinpath("data")
README = Path(__file__).resolve().parents[1] / "README.md"
GRADES = {"confirmed", "secondary", "unverified"}


def _toml(*parts: str) -> dict[str, Any]:
    return tomllib.loads(DATA.joinpath(*parts).read_text("utf-8"))


def _folder(name: str) -> dict[str, dict[str, Any]]:
    return {
        entry.name: tomllib.loads(entry.read_text("utf-8"))
        for entry in DATA.joinpath(name).iterdir()
        if entry.name.endswith(".toml")
    }


INDICATOR_FILES = _folder("indicators")
TARGET_FILES = _folder("targets")
RAW_INDICATORS = {
    iid: table for doc in INDICATOR_FILES.values() for iid, table in doc.get("indicators", {}).items()
}
RAW_TARGETS = [
    (name, tid, table) for name, doc in TARGET_FILES.items() for tid, table in doc["targets"].items()
]
SOURCES = set(_toml("sources.toml")["sources"])


def test_every_definition_states_its_source_and_confidence() -> None:
    assert len(RAW_INDICATORS) == len(ph.bundled_catalog())
    for iid, table in RAW_INDICATORS.items():
        assert table.get("source") in SOURCES, iid
        assert table.get("confidence") in GRADES, iid
        # Nothing is shipped as confirmed without the sentence it was read from.
        if table["confidence"] == "confirmed":
            assert table.get("evidence"), iid
        for evidence in table.get("evidence", []):
            assert evidence["quote"].strip() and evidence["address"].strip(), iid


def test_every_target_states_its_source_and_confidence() -> None:
    assert len(RAW_TARGETS) == sum(len(s) for s in ph.target_sets())
    for name, tid, table in RAW_TARGETS:
        assert table.get("confidence") in GRADES, (name, tid)
        if table["confidence"] == "confirmed":
            assert table.get("evidence"), (name, tid)
    for target_set in ph.target_sets():
        for target in target_set:
            assert target.source.title and target.source.year, target


def test_the_grades_survive_loading() -> None:
    for indicator in ph.bundled_catalog():
        raw = RAW_INDICATORS[indicator.id]
        assert indicator.confidence.value == raw["confidence"]
        assert [e.quote for e in indicator.evidence] == [e["quote"] for e in raw.get("evidence", [])]


def test_each_alias_names_exactly_one_indicator() -> None:
    owners: dict[str, set[str]] = {}
    for iid, table in RAW_INDICATORS.items():
        for name in (table["name_zh"], table["name_en"], *table.get("aliases", [])):
            owners.setdefault(normalize_name(name), set()).add(iid)
    assert {key: ids for key, ids in owners.items() if len(ids) > 1} == {}
    for iid, table in RAW_INDICATORS.items():
        for alias in table.get("aliases", []):
            assert ph.find(alias).id == iid


def _label_rows() -> list[dict[str, Any]]:
    return list(_toml("labels.toml")["labels"])


def test_an_ambiguous_label_is_a_context_rule_not_an_alias() -> None:
    rows = [row for row in _label_rows() if row["label"] == "建卡率"]
    # Maternal registration in MCH text, vaccination certificates in
    # immunization text (STANDARD_SETS.md (c)); a plain alias would pick one.
    assert {row["indicator"] for row in rows} >= {"maternal_registration_rate", "vaccination_certificate_rate"}
    assert all(row.get("context") for row in rows)
    assert ph.lookup("建卡率") is None
    # A label with several rows must not also be a catalog name: the catalog
    # would win and its rows would never be read.
    by_label = Counter(row["label"] for row in _label_rows())
    for label, count in by_label.items():
        if count > 1:
            assert ph.lookup(label) is None, label


def test_an_alias_of_another_series_is_its_own_indicator() -> None:
    # 执业医师 (licensed physicians) excludes the assistants that 执业（助理）医师 counts.
    assert ph.find("每千人口执业医师数").id == "licensed_physicians_per_1000"
    assert "每千人口执业医师数" not in ph.get("physicians_per_1000").aliases
    assert ph.find("每千人口卫生计生技术人员数").id == "health_technicians_per_1000"


def _readme_table() -> dict[str, dict[str, int]]:
    text = README.read_text("utf-8")
    section = text.split("## Coverage of the standard sets", 1)[1].split("\n## ", 1)[0]
    header, table = None, {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if "deliberately out" in cells:
            header = cells
        elif header and len(cells) == len(header) and cells[1].startswith("`"):
            table[cells[1].strip("`")] = {h: int(c) for h, c in zip(header[2:], cells[2:], strict=True)}
        elif header and not line.startswith("|"):
            header = None
    return table


def test_the_readme_counts_what_the_data_holds() -> None:
    table = _readme_table()
    catalog = ph.bundled_catalog()
    in_data = {s for i in catalog for s in i.standard_sets}
    assert set(table) == in_data
    for set_id, row in table.items():
        assert set_id in catalog.sources, set_id
        members = [i for i in catalog if set_id in i.standard_sets]
        grades = Counter(i.confidence.value for i in members)
        assert row["in the catalog"] == len(members), set_id
        assert row["of which variants"] == sum(i.variant_of is not None for i in members), set_id
        for grade in GRADES:
            assert row[grade] == grades[grade], (set_id, grade)


def test_the_readme_lists_each_left_out_row_with_its_reason() -> None:
    table = _readme_table()
    section = README.read_text("utf-8").split("Deliberately left out:", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| `")]
    listed = Counter(cells[0].strip().strip("`") for cells in rows)
    assert all(cells[2].strip() for cells in rows)
    for set_id, row in table.items():
        assert row["deliberately out"] == listed[set_id], set_id


def test_variants_name_an_indicator_of_the_same_measure() -> None:
    catalog = ph.bundled_catalog()
    families = {
        "health_record_utilization_rate": 3,
        "infectious_disease_report_timeliness": 2,
        "smd_management_rate": 2,
    }
    for main, size in families.items():
        variants = [i for i in catalog if i.variant_of == main]
        assert len(variants) + 1 == size, main
        # Each variant divides by something else: that is what makes it one.
        denominators = {catalog.get(main).denominator} | {v.denominator for v in variants}
        assert len(denominators) == size, main


def test_stillbirths_feed_the_perinatal_and_stillbirth_rates() -> None:
    catalog = ph.bundled_catalog()
    assert catalog.get("stillbirth_rate").numerator.id == "stillbirths"
    assert catalog.get("perinatal_mortality_rate").denominator is catalog.get("stillbirth_rate").denominator
    # 10 stillbirths and 8 early neonatal deaths among 1 990 live births:
    # (10 + 8) / (1 990 + 10) × 1000 = 9.00 ‰, the textbook formula.
    assert catalog.get("perinatal_mortality_rate").compute(18, 2000).format() == "9.00‰"


def test_published_figures_reproduce() -> None:
    # 中华精神科杂志 2019, national 2017 data: 管理率92.66%(5 380 249/5 806 352),
    # 规律服药率34.65%(2 012 074/5 806 352).
    assert ph.get("smd_management_rate").compute(5_380_249, 5_806_352).format() == "92.66%"
    assert ph.get("smd_regular_medication_rate").compute(2_012_074, 5_806_352).format() == "34.65%"
    # Extra beds make a bed occupancy above 100 % possible, and valid.
    assert ph.get("bed_occupancy_rate").compute(1_150, 1_000).format() == "115.00%"


def test_estimated_denominators_are_explicit_terms() -> None:
    catalog = ph.bundled_catalog()
    estimated = [t for t in catalog.terms.values() if t.id.startswith("estimated_")]
    assert {t.id for t in estimated} >= {"estimated_hypertensive_residents", "estimated_diabetic_residents"}
    for term in estimated:
        assert "estimate" in term.description, term.id
    assert catalog.get("hypertension_management_coverage").denominator.id == "estimated_hypertensive_residents"


@pytest.mark.parametrize(
    "iid", ["life_expectancy", "adult_mortality_45q15", "premature_ncd_mortality", "cancer_5year_survival"]
)
def test_life_table_indicators_refuse_two_counts(iid: str) -> None:
    indicator = ph.get(iid)
    assert indicator.needs == ("life_table",)
    with pytest.raises(DefinitionError, match="life-table"):
        indicator.compute(77, 100)


def test_counts_compute_with_an_interval() -> None:
    lectures = ph.get("health_education_lectures")
    assert lectures.kind == "count" and lectures.denominator is None
    result = lectures.compute(12)
    assert result.format() == "12"
    assert result.lower < 12 < result.upper


def test_a_per_wan_figure_converts_to_the_catalog_unit() -> None:
    # MCH forms print 新生儿破伤风发病率 per 10 000 live births; the catalog
    # keeps ‰. One case among 20 000 live births is 0.5/万 = 0.05 ‰.
    indicator = ph.get("neonatal_tetanus_incidence")
    figure = parse_figure("0.5/万", indicator)
    assert figure.unit == "per_ten_thousand"
    in_catalog_unit = float(figure.value) * conversion_factor(figure.unit, indicator.unit)
    assert in_catalog_unit == pytest.approx(1 / 20_000 * 1_000)
    assert indicator.compute(1, 20_000).value == pytest.approx(in_catalog_unit)


def test_the_surveyed_target_values_ship() -> None:
    values = {
        (s.id, t.indicator, t.period, t.threshold)
        for s in ph.target_sets()
        for t in s
    }
    # Values quoted in STANDARD_SETS.md (b), each seen in a source.
    assert ("women_outline_2011", "women_common_disease_screening_rate", (2011, 2020), (80.0,)) in values
    assert ("healthy_china_action_2019", "health_literacy_level", (2019, 2030), (30.0,)) in values
    assert ("healthy_china_action_2019", "cvd_mortality", (2019, 2022), (209.7,)) in values
    assert ("nutrition_plan_2017", "anaemia_prevalence_under5", (2017, 2020), (12.0,)) in values
    assert ("fyp13_health_2016", "life_expectancy", (2016, 2020), (77.3,)) in values
    assert ("nhc_outlines_plan_2022", "paediatricians_per_1000_children", (2022, 2030), (1.12,)) in values


def test_every_standard_set_id_names_a_source() -> None:
    ids = {s for table in RAW_INDICATORS.values() for s in table.get("standard_sets", [])}
    assert ids
    assert ids <= SOURCES
