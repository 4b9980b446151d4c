"""Judging printed figures against counts, inferring missing counts, parts and targets."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import phindicators as ph
from phindicators import Catalog, InvalidCountsError, InvalidOptionError, ParseError
from phindicators.audit import (
    Status,
    TargetStatus,
    audit,
    check_parts,
    check_target,
    infer_count,
)
from phindicators.figures import parse_figure
from phindicators.model import Source
from phindicators.targets import Target


def bundled(indicator_id: str) -> ph.Indicator:
    indicator = ph.lookup(indicator_id)
    if indicator is None:
        pytest.skip(f"{indicator_id} is not in the bundled catalog yet")
    return indicator


# -- the seed figures (bundled catalog) ----------------------------------------

# (indicator, printed, numerator, denominator, status): the seed reports'
# figures with the counts they print; statuses worked out by hand
# (2067/2164 = 95.5176 %, 13178/14167 = 93.0190 %, 849/883 = 96.149 %,
# 90/93 = 96.774 %, 95 500/81 = 1179.01 元, 2/2158 = 92.678/10万,
# 23/2158 = 10.658 ‰, 215 070 000/1595 = 134 840 元).
SEED_FIGURES = [
    ("maternal_systematic_management_rate", "95.52%", 2067, 2164, Status.CONSISTENT),
    ("child_systematic_management_rate_0_6", "93.01%", 13178, 14167, Status.TRUNCATED),
    ("food_hygiene_license_rate", "96.1%", 849, 883, Status.CONSISTENT),
    ("public_place_license_rate", "96.8%", 90, 93, Status.CONSISTENT),
    ("food_worker_health_check_rate", "100%", 1375, 1375, Status.CONSISTENT),
    ("disqualified_worker_removal_rate", "100%", 2, 2, Status.CONSISTENT),
    ("inpatient_reimbursement_per_beneficiary", "1179元", "9.55万元", 81, Status.CONSISTENT),
    ("inpatient_reimbursement_per_beneficiary", "1352元", "21507万元", 1595, Status.INCONSISTENT),
    ("maternal_mortality_ratio", "92.68/十万", 2, 2158, Status.CONSISTENT),
    ("infant_mortality_rate", "10.66", 23, 2158, Status.CONSISTENT),
]


@pytest.mark.parametrize(("indicator_id", "printed", "numerator", "denominator", "status"), SEED_FIGURES)
def test_seed_figures(
    indicator_id: str, printed: str, numerator: object, denominator: int, status: Status
) -> None:
    verdict = audit(bundled(indicator_id), printed, numerator, denominator)
    assert verdict.status is status, verdict.reason


def test_truncated_seed_figure_says_what_rounding_gives() -> None:
    verdict = audit(bundled("child_systematic_management_rate_0_6"), "93.01%", 13178, 14167)
    assert verdict.expected == "93.02%"
    assert verdict.recomputed == Fraction(1317800, 14167)
    assert "cut" in verdict.reason


def test_reimbursement_seed_is_a_scale_slip() -> None:
    verdict = audit(bundled("inpatient_reimbursement_per_beneficiary"), "1352元", "21507万元", 1595)
    assert verdict.cause is not None and verdict.cause.name == "scale"
    assert "10^-2" in verdict.cause.description
    assert verdict.recomputed == Fraction(215_070_000, 1595)
    assert verdict.difference == 1352 - Fraction(215_070_000, 1595)


def test_a_bare_figure_is_read_in_the_definitions_unit_and_says_so() -> None:
    verdict = audit(bundled("infant_mortality_rate"), "10.66", 23, 2158)
    assert verdict.reported.unit == "permille"
    assert "without a unit sign" in verdict.reason


def test_iodized_salt_printed_as_10_is_unverifiable_with_the_reason() -> None:
    # "碘盐合格率为10" (seeds/004): no counts, and 10 % is a possible value,
    # so nothing proves it wrong; the verdict says the unit was not printed.
    verdict = audit(bundled("iodized_salt_qualified_rate"), "10")
    assert verdict.status is Status.UNVERIFIABLE
    assert "No counts" in verdict.reason and "without a unit sign" in verdict.reason


# -- the machinery (tiny catalog) ----------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "status"),
    [
        (1921, 2000, Status.CONSISTENT),  # 96.05 exactly: a tie, accepted
        (1923, 2000, Status.CONSISTENT),  # 96.15 exactly: a tie, accepted
        (19_209_999, 20_000_000, Status.INCONSISTENT),  # 96.0499995: just below
        (19_230_001, 20_000_000, Status.TRUNCATED),  # 96.1500005: cut, not rounded
        (19_239_999, 20_000_000, Status.TRUNCATED),  # 96.1999995
        (1924, 2000, Status.INCONSISTENT),  # 96.2
    ],
)
def test_tolerance_follows_the_printed_precision(
    tiny: Catalog, numerator: int, denominator: int, status: Status
) -> None:
    verdict = audit(tiny.get("managed_rate"), "96.1%", numerator, denominator)
    assert verdict.status is status
    assert verdict.tolerance == Fraction(1, 20)


def test_bounds(tiny: Catalog) -> None:
    rate = tiny.get("managed_rate")
    assert audit(rate, "95%以上", 946, 1000).status is Status.CONSISTENT  # 94.6 rounds to 95
    assert audit(rate, "95%以上", 944, 1000).status is Status.INCONSISTENT
    assert audit(rate, "超过95%", 950, 1000).status is Status.INCONSISTENT  # strictly more
    assert audit(rate, "超过95%", 951, 1000).status is Status.CONSISTENT
    assert audit(rate, "95%以下", 955, 1000).status is Status.CONSISTENT
    assert audit(rate, "低于95%", 950, 1000).status is Status.INCONSISTENT
    assert audit(rate, "约95%", 959, 1000).status is Status.CONSISTENT
    assert audit(rate, "约95%", 961, 1000).status is Status.INCONSISTENT


@pytest.mark.parametrize(
    ("indicator", "printed", "numerator", "denominator", "status", "cause"),
    [
        ("managed_rate", "104.69%", 2067, 2164, Status.IMPOSSIBLE, "swapped"),
        ("managed_rate", "104%", None, None, Status.IMPOSSIBLE, "completion_for_coverage"),
        ("managed_rate", "955.18%", 2067, 2164, Status.IMPOSSIBLE, "unit_sign"),  # the value in ‰
        ("death_ratio", "92.68‰", 2, 2158, Status.INCONSISTENT, "unit_sign"),  # the value per 10万
        ("mean_amount", "1352元", 21507, 1595, Status.INCONSISTENT, "scale"),
        ("mean_amount", "13484万元", 21507, 1595, Status.INCONSISTENT, "scale"),
        ("managed_rate", "9.55%", 2067, 2164, Status.INCONSISTENT, "scale"),
        ("managed_rate", "90%", 2067, 2164, Status.INCONSISTENT, None),
    ],
)
def test_likely_causes(
    tiny: Catalog,
    indicator: str,
    printed: str,
    numerator: int | None,
    denominator: int | None,
    status: Status,
    cause: str | None,
) -> None:
    verdict = audit(tiny.get(indicator), printed, numerator, denominator)
    assert verdict.status is status, verdict.reason
    assert (verdict.cause.name if verdict.cause else None) == cause


def test_without_counts_the_figure_is_unverifiable(tiny: Catalog) -> None:
    verdict = audit(tiny.get("managed_rate"), "95.52%")
    assert (verdict.status, verdict.result, verdict.recomputed, verdict.inferred) == (
        Status.UNVERIFIABLE,
        None,
        None,
        None,
    )


def test_with_one_count_the_other_is_inferred(tiny: Catalog) -> None:
    verdict = audit(tiny.get("death_ratio"), "92.68/10万", numerator=2)
    assert verdict.status is Status.UNVERIFIABLE
    assert list(verdict.inferred) == [2158]  # type: ignore[arg-type]
    assert "2158" in verdict.reason


def test_bad_input(tiny: Catalog) -> None:
    rate = tiny.get("managed_rate")
    with pytest.raises(InvalidCountsError, match="exceeds the denominator"):
        audit(rate, "95%", 10, 5)
    with pytest.raises(ParseError):
        audit(rate, "1352元", 1, 2)
    with pytest.raises(InvalidCountsError, match="must be a number"):
        audit(rate, "95%", True, 5)
    with pytest.raises(InvalidCountsError, match="exact amount"):
        audit(rate, "95%", "10人以上", 5)


@given(numerator=st.integers(0, 10**7), denominator=st.integers(1, 10**7), decimals=st.integers(0, 4))
def test_what_a_person_prints_always_adds_up(
    tiny: Catalog, numerator: int, denominator: int, decimals: int
) -> None:
    # What a person with a calculator prints: round half-up to `decimals`
    # places in Decimal arithmetic (exact enough here: 28 digits for counts
    # below 10**7), independently of audit's Fraction arithmetic.
    assume(numerator <= denominator)
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal(1).scaleb(-decimals), ROUND_HALF_UP
    )
    verdict = audit(tiny.get("managed_rate"), f"{value}%", numerator, denominator)
    assert verdict.status is Status.CONSISTENT


@given(numerator=st.integers(0, 10**7), denominator=st.integers(1, 10**7), decimals=st.integers(0, 4))
def test_a_cut_figure_is_consistent_or_truncated(
    tiny: Catalog, numerator: int, denominator: int, decimals: int
) -> None:
    assume(numerator <= denominator)
    exact = Fraction(numerator * 100, denominator)
    cut = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal(1).scaleb(-decimals), ROUND_DOWN)
    verdict = audit(tiny.get("managed_rate"), f"{cut}%", numerator, denominator)
    half = Fraction(5, 10 ** (decimals + 1))
    expected = Status.CONSISTENT if exact - Fraction(cut) <= half else Status.TRUNCATED
    assert verdict.status is expected


# -- inferring a missing count -------------------------------------------------


def test_seed_inferences() -> None:
    assert list(infer_count(bundled("premarital_checkup_rate"), "99.76%", numerator=1660)) == [1664]
    assert list(infer_count(bundled("maternal_mortality_ratio"), "92.68/10万", numerator=2)) == [2158]
    assert list(infer_count(bundled("infant_mortality_rate"), "10.66‰", denominator=2158)) == [23]


def test_infer_count_respects_the_kind(tiny: Catalog) -> None:
    rate = tiny.get("managed_rate")
    # 100 % at 0 decimals allows num/den in [99.5 %, 100.5 %], but a proportion
    # cannot have den < num: 199/199 and 199/200 remain.
    assert list(infer_count(rate, "100%", numerator=199)) == [199, 200]
    assert list(infer_count(rate, "100%", denominator=200)) == [199, 200]
    assert list(infer_count(rate, "95%以上", denominator=20)) == [19, 20]


def test_infer_count_refuses_what_it_cannot_do(tiny: Catalog) -> None:
    with pytest.raises(InvalidOptionError, match="exactly one"):
        infer_count(tiny.get("managed_rate"), "95%")
    with pytest.raises(InvalidOptionError, match="exactly one"):
        infer_count(tiny.get("managed_rate"), "95%", numerator=1, denominator=2)
    with pytest.raises(InvalidOptionError, match="not a whole count"):
        infer_count(tiny.get("mean_amount"), "1352元", denominator=1595)
    with pytest.raises(InvalidCountsError, match="not bounded"):
        infer_count(tiny.get("managed_rate"), "0%", numerator=0)
    with pytest.raises(InvalidOptionError, match="count"):
        infer_count(tiny.get("death_count"), "3", numerator=3)


def test_infer_count_of_people_from_an_amount(tiny: Catalog) -> None:
    # 9.55万元 at 1179元 each: 95 500 / d in [1178.5, 1179.5] gives d = 81.
    assert list(infer_count(tiny.get("mean_amount"), "1179元", numerator="9.55万元")) == [81]


def _allows(value: Fraction, printed: Decimal, decimals: int) -> bool:
    return abs(value - Fraction(printed)) <= Fraction(5, 10 ** (decimals + 1))


@given(numerator=st.integers(1, 10**6), denominator=st.integers(1, 10**6), decimals=st.integers(0, 3))
def test_inferred_denominators_are_exactly_those_the_rounding_allows(
    tiny: Catalog, numerator: int, denominator: int, decimals: int
) -> None:
    assume(numerator <= denominator)
    printed = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal(1).scaleb(-decimals), ROUND_HALF_UP
    )
    assume(printed > 0)
    allowed = infer_count(tiny.get("managed_rate"), f"{printed}%", numerator=numerator)
    assert denominator in allowed
    assert all(_allows(Fraction(numerator * 100, d), printed, decimals) for d in (allowed[0], allowed[-1]))
    below, above = allowed[0] - 1, allowed[-1] + 1
    assert below < numerator or not _allows(Fraction(numerator * 100, below), printed, decimals)
    assert not _allows(Fraction(numerator * 100, above), printed, decimals)


@given(numerator=st.integers(0, 10**6), denominator=st.integers(1, 10**6), decimals=st.integers(0, 3))
def test_inferred_numerators_are_exactly_those_the_rounding_allows(
    tiny: Catalog, numerator: int, denominator: int, decimals: int
) -> None:
    assume(numerator <= denominator)
    printed = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal(1).scaleb(-decimals), ROUND_HALF_UP
    )
    allowed = infer_count(tiny.get("managed_rate"), f"{printed}%", denominator=denominator)
    assert numerator in allowed
    for n in (allowed[0] - 1, allowed[-1] + 1):
        assert not 0 <= n <= denominator or not _allows(Fraction(n * 100, denominator), printed, decimals)


# -- parts and totals ------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "parts"),
    [
        ("5068人", {"国家奖扶": "2568人", "特扶": "953人", "奖扶扩面": "1547人"}),  # seeds/002
        ("7件", ["1件", "3件", "3件"]),  # seeds/002: 信访事项
        ("11个", ["1个", "2个", "8个"]),  # seeds/002: 标准化建设
    ],
)
def test_seed_parts_add_up(total: str, parts: object) -> None:
    check = check_parts(total, parts)  # type: ignore[arg-type]
    assert check.status is Status.CONSISTENT
    assert check.difference == 0


def test_parts_that_do_not_add_up() -> None:
    check = check_parts("5068人", ["2568人", "953人", "1546人"])
    assert (check.status, check.sum, check.difference, check.labels) == (
        Status.INCONSISTENT,
        5067,
        1,
        ("", "", ""),
    )


def test_rounded_amounts_may_differ_by_their_rounding() -> None:
    # 1149.312万元 printed to 0.001, parts to 0.01: up to 0.0005 + 2 × 0.005 apart.
    assert check_parts("1149.312万元", ["1000.00万元", "149.32万元"]).status is Status.CONSISTENT
    assert check_parts("1149.312万元", ["1000.00万元", "149.33万元"]).status is Status.INCONSISTENT
    assert check_parts("1.1万", [6000, 5400]).status is Status.CONSISTENT  # 1.1万 is 10 500–11 500


def test_parts_in_other_units_are_converted() -> None:
    assert check_parts("2万元", ["15000元", "0.5万元"]).status is Status.CONSISTENT
    with pytest.raises(ph.UnitError):
        check_parts("2万元", ["15000人", "5000元"])
    with pytest.raises(InvalidOptionError, match="bound"):
        check_parts("95%以上", ["50%"])
    with pytest.raises(InvalidOptionError, match="at least one"):
        check_parts(5, [])


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=8), st.integers(-3, 3))
def test_whole_counts_add_up_exactly(parts: list[int], offset: int) -> None:
    assume(sum(parts) + offset >= 0)
    check = check_parts(f"{sum(parts) + offset}人", [f"{p}人" for p in parts])
    assert (check.status is Status.CONSISTENT) == (offset == 0)
    assert check.difference == offset


# -- targets ---------------------------------------------------------------------


def _target(indicator: str, comparator: str, threshold: object, unit: str) -> Target:
    return Target(
        id="t",
        indicator=indicator,
        comparator=comparator,
        threshold=threshold,
        unit=unit,
        plan="plan",
        source=Source(id="plan", title="A plan"),
    )


def test_target_checks(tiny: Catalog) -> None:
    rate = tiny.get("managed_rate")
    at_least_90 = [_target("managed_rate", ">=", 90, "percent")]
    assert check_target(rate, "95.52%", at_least_90).status is TargetStatus.MET
    assert check_target(rate, "89%", at_least_90).status is TargetStatus.NOT_MET
    assert check_target(rate, "95%以上", at_least_90).status is TargetStatus.MET
    assert check_target(rate, "85%以上", at_least_90).status is TargetStatus.UNCERTAIN
    assert check_target(rate, "85%以下", at_least_90).status is TargetStatus.NOT_MET
    assert check_target(rate, "95%", [_target("death_ratio", "<=", 20, "per_hundred_thousand")]).status is (
        TargetStatus.NO_TARGET
    )
    # A threshold in ‰ judges a figure printed per 10万.
    ratio = tiny.get("death_ratio")
    below = [_target("death_ratio", "<=", 0.2, "permille")]
    assert check_target(ratio, "92.68/10万", below).status is TargetStatus.NOT_MET
    assert check_target(ratio, "19/10万", below).status is TargetStatus.MET


def test_relative_targets_without_a_baseline_are_undecided(tiny: Catalog) -> None:
    target = Target(
        id="t",
        indicator="death_ratio",
        comparator="relative_change",
        change="-1/4",
        unit="per_hundred_thousand",
        plan="plan",
        source=Source(id="plan", title="A plan"),
    )
    check = check_target(tiny.get("death_ratio"), "30/10万", [target])
    assert check.status is TargetStatus.UNCERTAIN and "baseline" in check.detail


def test_seed_figures_against_the_womens_outline() -> None:
    plan = pytest.importorskip("phindicators.targets").target_set("women_outline_2011")
    assert (
        check_target(bundled("maternal_systematic_management_rate"), "95.52%", plan).status
        is TargetStatus.MET
    )
    assert (
        check_target(bundled("maternal_mortality_ratio"), "92.68/十万", plan).status is TargetStatus.NOT_MET
    )


def test_figures_are_parsed_with_the_indicator(tiny: Catalog) -> None:
    figure = parse_figure("2.36")
    verdict = audit(tiny.get("places_per_1000"), figure, 751, 318_000)
    assert verdict.reported.unit == "per_thousand"
    assert verdict.status is Status.CONSISTENT
