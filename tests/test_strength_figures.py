"""Figures and audit verdicts: cases the mutmut run of mutation/run.py found
untested (see mutation/report.md). Expected values are worked out in the
comment next to each case, from the figure's rounding and the counts.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from phindicators import InvalidCountsError, get
from phindicators.audit import Status, audit, infer_count
from phindicators.figures import is_cjk, parse_figure

MMR = "maternal_mortality_ratio"  # per 10万
IMR = "infant_mortality_rate"  # ‰
PROPORTION = "premarital_checkup_rate"


# ----------------------------------------------------------- counts given


def test_a_count_of_ten_to_the_400_is_not_refused_for_its_size_alone() -> None:
    # 1E400 is at MAX_EXPONENT: refused only later, as beyond float range;
    # 1E401 and 10**402 are refused as no count at all.
    with pytest.raises(InvalidCountsError, match="too large to count exactly$"):
        audit(get(MMR), "92.68/10万", Decimal("1E400"), 2158)
    for huge in (Decimal("1E401"), 10**402, Decimal("1E-401")):
        with pytest.raises(InvalidCountsError, match=r"too large or too small to be a count \(about 10\*\*-?40[12]\)"):
            audit(get(MMR), "92.68/10万", huge, 2158)


def test_float_zero_is_a_count() -> None:
    # 0 deaths in 2158 births is 0/10万.
    assert audit(get(MMR), "0/10万", 0.0, 2158.0).status is Status.CONSISTENT


def test_a_count_indicator_is_audited_against_its_count() -> None:
    # A count is its own value: 12 allows 11.5 to 12.5.
    kinds = get("health_education_print_kinds")
    assert audit(kinds, "12", 12).status is Status.CONSISTENT
    assert audit(kinds, "12", 13).status is Status.INCONSISTENT


def test_one_count_gives_the_other_the_figure_allows() -> None:
    # 92.68/10万 allows 92.675 to 92.685 per 10万: with 2 deaths,
    # 2 / 92.685e-5 = 2157.9 to 2 / 92.675e-5 = 2158.1 births: only 2158.
    only_numerator = audit(get(MMR), "92.68/10万", 2)
    assert only_numerator.status is Status.UNVERIFIABLE
    assert only_numerator.reason.endswith("the denominator the figure allows is 2158.")
    only_denominator = audit(get(MMR), "92.68/10万", denominator=2158)
    assert only_denominator.reason.endswith("the numerator the figure allows is 2.")


def test_a_rate_per_10万_printed_with_percent_names_the_slip() -> None:
    verdict = audit(get(MMR), "92.68%")
    assert verdict.status is Status.UNVERIFIABLE
    assert verdict.cause is not None and verdict.cause.name == "unit_sign" and verdict.cause.predicted is None
    assert "92.68% is most likely 92.68/10万 with the wrong sign" in verdict.reason
    # A proportion printed with % is no slip.
    assert audit(get(PROPORTION), "92.68%").cause is None
    # With counts the slip predicts the value: 2/2158 = 92.68/10万 = 0.0927 %.
    verdict = audit(get(MMR), "92.68%", 2, 2158)
    assert verdict.status is Status.INCONSISTENT and verdict.cause is not None
    assert verdict.cause.name == "unit_sign"


# ------------------------------------------------------------ infer_count


def test_a_strict_upper_bound_on_a_whole_limit_excludes_the_limit() -> None:
    # "低于50%" of 10: 5/10 is exactly 50 %, not below; 0/10 to 4/10 are.
    assert infer_count(get(PROPORTION), "低于50%", denominator=10) == range(0, 5)


def test_a_figure_without_a_lower_bound_allows_zero() -> None:
    # "低于5%" of 100: 0 to 4 (5/100 is not below 5 %).
    assert infer_count(get(PROPORTION), "低于5%", denominator=100) == range(0, 5)


def test_a_figure_in_another_unit_than_the_indicator() -> None:
    # 1.066 % is 10.66 ‰, which allows 10.655 to 10.665 ‰ of 2158 births:
    # 22.99 to 23.02 deaths, so 23.
    assert infer_count(get(IMR), "1.066%", denominator=2158) == range(23, 24)


def test_zero_events_bound_no_denominator() -> None:
    with pytest.raises(InvalidCountsError, match="denominator is not bounded by 0% with a numerator of 0"):
        infer_count(get(PROPORTION), "0%", numerator=0)


# ---------------------------------------------------------------- figures


def test_thousands_separators_group_a_number() -> None:
    assert parse_figure("1,234人").value == 1234
    assert parse_figure("12,345.5").value == Decimal("12345.5")


@pytest.mark.parametrize(("char", "cjk"), [("\u3400", True), ("\u9fff", True), ("\uf900", True), ("\ufaff", True),
                                           ("\u33ff", False), ("\ua000", False), ("\uf8ff", False), ("\ufb00", False)])
def test_the_cjk_blocks_include_their_first_and_last_characters(char: str, cjk: bool) -> None:
    assert is_cjk(char) is cjk


def test_a_bare_number_takes_the_indicators_unit_unprinted() -> None:
    figure = parse_figure("92.68").for_indicator(get(MMR))
    assert (figure.unit, figure.unit_printed) == ("per_hundred_thousand", False)
    assert parse_figure("12").for_indicator(get("health_education_print_kinds")).unit == "count"


def test_a_zero_with_a_large_exponent_is_zero() -> None:
    # Decimal("0E+500") is 0, not a number of 501 digits.
    assert audit(get(MMR), "0/10万", Decimal("0E+500"), 2158).status is Status.CONSISTENT


def test_alternatives_try_the_longest_word_first() -> None:
    import re

    from phindicators.figures import alternatives

    pattern = re.compile(alternatives(["10", "10万", "万"]))
    assert pattern.match("10万").group() == "10万"
    assert re.compile(alternatives([])).search("anything") is None


def test_one_count_that_bounds_nothing_gives_no_range() -> None:
    # 0 of an unknown denominator is 0 % whatever the denominator.
    verdict = audit(get(PROPORTION), "0%", 0)
    assert verdict.status is Status.UNVERIFIABLE
    assert verdict.reason == "Only the numerator is given (0)." and verdict.inferred is None


def test_an_approximate_figure_allows_a_whole_unit_in_its_last_place() -> None:
    # "约95%" allows 94 % to 96 %: 940/1000 fits, 939/1000 does not.
    assert audit(get(PROPORTION), "约95%", 940, 1000).status is Status.CONSISTENT
    assert audit(get(PROPORTION), "约95%", 960, 1000).status is Status.CONSISTENT
    assert audit(get(PROPORTION), "约95%", 939, 1000).status is Status.INCONSISTENT
    assert audit(get(PROPORTION), "约95%", 961, 1000).status is Status.INCONSISTENT


RATIO_IN_RANGE = """
[indicators.boys_per_100_girls]
name_en = "Boys per 100 girls"
name_zh = "出生性别比"
domain = "other"
definition = { en = "Boys / girls × 100.", zh = "男婴数/女婴数×100" }
numerator = "births"
denominator = "births"
kind = "ratio"
unit = "per_hundred"
decimals = 0
polarity = "no_judgement"
valid_range = [100, 120]
source = "spec"
"""


def test_a_figure_reaching_the_lower_end_of_the_range_is_possible() -> None:
    from phindicators import Catalog
    from tests.conftest import TINY

    ratio = Catalog.from_toml(TINY + RATIO_IN_RANGE).get("boys_per_100_girls")
    # "约99" allows 98 to 100: 100 is in [100, 120]; "约98" allows at most 99.
    assert audit(ratio, "约99").status is not Status.IMPOSSIBLE
    assert audit(ratio, "约98").status is Status.IMPOSSIBLE
    # "99" allows 98.5 to 99.5, below the range.
    assert audit(ratio, "99").status is Status.IMPOSSIBLE


@pytest.mark.parametrize("indicator", [PROPORTION, MMR])
def test_no_denominator_makes_zero_events_a_positive_figure(indicator: str) -> None:
    # 0/den is 0 for every den >= 1: a figure of 5 allows none (and never den 0).
    figure = "5%" if indicator == PROPORTION else "5/10万"
    assert len(infer_count(get(indicator), figure, numerator=0)) == 0


def test_a_printed_count_in_another_unit_is_converted() -> None:
    # 95 500 元 is 9.55 万元: over 81 people, 1179.01 元 each.
    mean = get("inpatient_reimbursement_per_beneficiary")
    assert audit(mean, "1179元", "95500元", 81).status is Status.CONSISTENT
    assert audit(mean, "1179元", "9.55万元", 81).status is Status.CONSISTENT


def test_a_count_indicator_ignores_a_denominator() -> None:
    assert audit(get("health_education_print_kinds"), "12", 12, 5).status is Status.CONSISTENT


def test_the_verdict_carries_the_recomputed_result() -> None:
    verdict = audit(get(MMR), "92.68/10万", 2, 2158)
    assert verdict.result is not None and verdict.result.value == pytest.approx(2 / 2158 * 100_000)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: audit(get(MMR), "92.68/10万", [2], 2158), r"^maternal_mortality_ratio: numerator must be a number"),
    (lambda: audit(get(MMR), "92.68/10万", 2, [2158]), r"^maternal_mortality_ratio: denominator must be a number"),
    (lambda: infer_count(get(PROPORTION), "5%", numerator=[2]), r"^premarital_checkup_rate: numerator must be a number"),
    (lambda: infer_count(get(PROPORTION), "5%", denominator="约100"),
     r"^premarital_checkup_rate: denominator must be an exact amount"),
    (lambda: infer_count(get("inpatient_reimbursement_per_beneficiary"), "1179元", denominator=81),
     r"the numerator \(住院补助金额\) is an amount"),
])
def test_count_errors_name_the_field(call: object, message: str) -> None:
    from phindicators.errors import InvalidOptionError

    with pytest.raises((InvalidCountsError, InvalidOptionError), match=message):
        call()  # type: ignore[operator]


def test_count_words_after_units() -> None:
    # A count word after 元 or 万元 keeps the money unit; after a rate sign it is an error.
    assert (parse_figure("100元人").unit, parse_figure("100元人").count_word) == ("yuan", "人")
    assert parse_figure("2万元人").unit == "wan_yuan"
    assert parse_figure("3人").unit == "count"
    with pytest.raises(Exception, match="a count word"):
        parse_figure("5%人")
    # "每10万活产儿64.1例" counts deaths per 10万: a rate, no count word.
    figure = parse_figure("每10万活产儿64.1例")
    assert (figure.unit, figure.count_word) == ("per_hundred_thousand", "")


def test_a_figure_is_a_float_and_fits_its_indicator() -> None:
    assert float(parse_figure("92.68")) == 92.68
    assert parse_figure("12人").for_indicator(get("health_education_print_kinds")).unit == "count"
    with pytest.raises(Exception, match="cannot express"):
        parse_figure("12人").for_indicator(get(MMR))
