"""The bundled catalog itself: it loads, it is complete, its examples hold."""

from __future__ import annotations

import re

import pytest

import phindicators as ph
from phindicators.display import format_number

CATALOG = ph.bundled_catalog()
EXAMPLES = [
    pytest.param(indicator, example, id=f"{indicator.id}-{n}")
    for indicator in CATALOG
    for n, example in enumerate(indicator.examples)
]
# Every row of DOMAIN.md's maternal and child tables.
REQUIRED = {
    "maternal_health": {
        "maternal_systematic_management_rate", "early_pregnancy_registration_rate",
        "postpartum_visit_rate", "high_risk_pregnancy_management_rate",
        "hospital_delivery_rate", "maternal_mortality_ratio", "pmtct_testing_rate",
        "prenatal_screening_rate", "premarital_checkup_rate", "folic_acid_distribution_rate",
        "cervical_cancer_screening_completion", "breast_cancer_screening_completion",
        "preconception_checkup_coverage",
    },
    "child_health": {
        "child_systematic_management_rate", "child_health_management_rate", "newborn_visit_rate",
        "infant_mortality_rate", "under5_mortality_rate", "neonatal_mortality_rate",
        "neonatal_tetanus_incidence", "newborn_hearing_screening_rate",
        "newborn_disease_screening_rate",
    },
}


@pytest.mark.parametrize("domain", sorted(REQUIRED))
def test_every_domain_row_is_defined(domain: str) -> None:
    assert REQUIRED[domain] <= {i.id for i in CATALOG.indicators(domain)}


@pytest.mark.parametrize("indicator", list(CATALOG), ids=lambda i: i.id)
def test_every_definition_cites_its_source(indicator: ph.Indicator) -> None:
    assert indicator.source.title and indicator.source.year
    assert indicator.definition.en and indicator.definition.zh


def test_every_term_and_source_is_used() -> None:
    used_terms = {t.id for i in CATALOG for t in (i.numerator, i.denominator) if t is not None}
    assert set(CATALOG.terms) == used_terms
    assert {i.source.id for i in CATALOG} <= set(CATALOG.sources)


def test_variants_say_what_they_vary() -> None:
    for indicator in CATALOG:
        if indicator.variant_of is not None:
            national = CATALOG.get(indicator.variant_of)
            assert national.kind == indicator.kind and national.unit == indicator.unit


def _printed_number(published: str) -> str:
    match = re.search(r"\d+(?:\.\d+)?", published)
    assert match, published
    return match.group()


@pytest.mark.parametrize(("indicator", "example"), EXAMPLES)
def test_worked_examples_match_or_are_flagged(indicator: ph.Indicator, example: ph.Example) -> None:
    result = indicator.compute(example.numerator, example.denominator)
    printed = _printed_number(example.published)
    decimals = len(printed.partition(".")[2])
    recomputed = format_number(result.value, decimals)
    # An example flagged inconsistent must really disagree with its counts.
    assert (recomputed == printed) == example.consistent, (recomputed, example)


@pytest.mark.parametrize(
    ("name", "numerator", "denominator", "display"),
    [
        ("孕产妇系统管理率", 2067, 2164, "95.52%"),
        ("孕产妇死亡率", 2, 2158, "92.68/10万"),
        ("婴儿死亡率", 23, 2158, "10.66‰"),
    ],
)
def test_seed_figures_reproduce(name: str, numerator: int, denominator: int, display: str) -> None:
    assert ph.find(name).compute(numerator, denominator).format() == display


@pytest.mark.parametrize("alias", ["孕产妇系统化管理率", "0-6岁儿童系统管理率"])
def test_report_aliases_are_found(alias: str) -> None:
    assert ph.lookup(alias) is not None
