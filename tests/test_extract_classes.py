"""The classes of real report text that issue 19 lists, one test each.

The sentences are quoted or adapted from real reports; expected figures are
the printed ones, and counts are checked by the arithmetic written beside them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import phindicators as ph


def _read(text: str) -> list[tuple[str, str]]:
    return [(m.indicator.id, m.figure.text) for m in ph.extract(text)]


def _periods(text: str) -> list[str | None]:
    return [next((q.text for q in m.qualifiers if q.kind == "period"), None) for m in ph.extract(text)]


# -- changes over time ---------------------------------------------------------


def test_a_change_gives_both_values_not_the_change() -> None:
    text = "新生儿访视率从82%提高到96.5%,增加14.5个百分点。"
    assert _read(text) == [("newborn_visit_rate", "82%"), ("newborn_visit_rate", "96.5%")]


def test_each_figure_of_a_change_has_its_own_year() -> None:
    text = "孕产妇死亡率由2005年的36.2/10万下降至2015年的18.4/10万,下降了49.2%。"
    assert _read(text) == [("maternal_mortality_ratio", "36.2/10万"), ("maternal_mortality_ratio", "18.4/10万")]
    assert _periods(text) == ["2005年", "2015年"]


def test_a_change_whose_start_is_an_event_not_a_year() -> None:
    # tests/data/reports/06 (国家卫计委, 2015): the start is "before the project".
    text = "艾滋病母婴传播率从项目实施前的34.8%下降到2014年的6.1%。"
    assert _read(text) == [
        ("hiv_mother_to_child_transmission_rate", "34.8%"),
        ("hiv_mother_to_child_transmission_rate", "6.1%"),
    ]
    assert _periods(text) == [None, "2014年"]
    # An area there stays the figure's area, not a start.
    mention = ph.extract("孕产妇死亡率由城市的20/10万下降。")[0]
    assert [(q.kind, q.text) for q in mention.qualifiers] == [("area", "城市")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tests/data/reports/11: one figure that "一直保持" gives to both names.
        ("全市新法接生率、住院分娩率一直保持100%。", [("modern_delivery_rate", "100%"), ("hospital_delivery_rate", "100%")]),
        ("新法接生率和住院分娩率均达到98%以上。", [("modern_delivery_rate", "98%以上"), ("hospital_delivery_rate", "98%以上")]),
        # Without a word that shares it, the figure is the last name's only.
        ("新法接生率、住院分娩率100%。", [("hospital_delivery_rate", "100%")]),
        # Two figures: paired in order, not shared.
        ("新法接生率、住院分娩率均为100%、98%。", [("modern_delivery_rate", "100%"), ("hospital_delivery_rate", "98%")]),
    ],
)
def test_one_figure_shared_by_a_list_of_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert _read(text) == expected


def test_last_years_figure_after_a_comparison() -> None:
    text = "2018年我省孕产妇死亡率为9.80/10万,较上年9.87/10万下降了0.71%。"
    assert _read(text) == [("maternal_mortality_ratio", "9.80/10万"), ("maternal_mortality_ratio", "9.87/10万")]
    assert _periods(text) == ["2018年", "上年"]


# -- enumerations --------------------------------------------------------------


def test_names_sharing_a_suffix_are_paired_in_order() -> None:
    text = "卡介苗、乙肝、百白破疫苗接种率分别为99.1%、97.6%、98.2%。"
    assert _read(text) == [
        ("bcg_coverage", "99.1%"),
        ("hepb_vaccine_coverage", "97.6%"),
        ("dtp_coverage", "98.2%"),
    ]


def test_a_respectively_list_of_three_units() -> None:
    text = "婴儿死亡率、5岁以下儿童死亡率和孕产妇死亡率分别下降到3.8‰、5.2‰、11/10万。"
    assert _read(text) == [
        ("infant_mortality_rate", "3.8‰"),
        ("under5_mortality_rate", "5.2‰"),
        ("maternal_mortality_ratio", "11/10万"),
    ]


def test_a_list_without_respectively() -> None:
    text = "婴儿死亡率和5岁以下儿童死亡率下降到8.9‰和11.7‰。"
    assert _read(text) == [("infant_mortality_rate", "8.9‰"), ("under5_mortality_rate", "11.7‰")]


def test_a_list_with_a_name_the_catalog_lacks_skips_its_figure() -> None:
    text = "孕产妇系统管理率、工作考核达标率和产后访视率分别为94.5%、3.2%和97.0%。"
    assert _read(text) == [
        ("maternal_systematic_management_rate", "94.5%"),
        ("postpartum_visit_rate", "97.0%"),
    ]


# -- labels fixed by context ---------------------------------------------------


def test_a_short_label_in_a_sentence_about_its_population() -> None:
    # 1848 / 2000 = 92.4 %.
    mention = ph.extract("全市孕产妇2000人,系统管理1848人,管理率92.4%。")[0]
    assert mention.indicator.id == "maternal_systematic_management_rate"
    assert mention.verdict.status.value == "consistent"


def test_a_share_without_its_whole_named() -> None:
    mention = ph.extract("早孕建册1862人,占88.6%。")[0]
    assert (mention.indicator.id, mention.figure.text) == ("early_pregnancy_registration_rate", "88.6%")
    assert mention.numerator.figure.value == 1862


def test_a_bare_mortality_rate_after_its_population() -> None:
    assert _read("5岁以下儿童死亡数为6人,死亡率为15.08‰。") == [("under5_mortality_rate", "15.08‰")]


def test_a_cause_specific_rate_is_not_the_population_rate() -> None:
    assert _read("孕产妇死亡中,产科出血死亡率为8.1/10万。") == []


def test_a_subgroups_rate_is_not_the_indicator() -> None:
    assert _read("流动人口孕产妇住院分娩数为50人,流动人口住院分娩率为100%。") == []


def test_the_high_risk_subgroups_rate_is_its_own_indicator() -> None:
    """高危产妇住院分娩率 is a catalog indicator since issue 17: 高危 names it,
    and it is never the hospital delivery rate of all births."""
    assert _read("高危孕妇住院分娩数为50人,高危住院分娩率为100%。") == [
        ("high_risk_hospital_delivery_rate", "100%")
    ]
    assert _read("其中农村孕产妇住院分娩率98%,农村高危孕产妇住院分娩率100%。") == [
        ("hospital_delivery_rate", "98%"),
        ("high_risk_hospital_delivery_rate", "100%"),
    ]


def test_area_qualifiers_follow_each_figure() -> None:
    text = "2019年农村孕产妇死亡率为20.1/10万,城市为15.2/10万。"
    areas = [next(q.text for q in m.qualifiers if q.kind == "area") for m in ph.extract(text)]
    assert _read(text) == [("maternal_mortality_ratio", "20.1/10万"), ("maternal_mortality_ratio", "15.2/10万")]
    assert areas == ["农村", "城市"]


# -- counts elsewhere in the paragraph ----------------------------------------


def test_live_births_named_once_serve_a_later_rate() -> None:
    # 2 / 2158 × 100 000 = 92.678… -> "92.68/10万".
    mention = ph.extract("全市活产2158人。孕产妇死亡2人,孕产妇死亡率92.68/10万。")[0]
    assert mention.verdict.status.value == "consistent"
    assert (mention.numerator.figure.value, mention.denominator.figure.value) == (2, 2158)


def test_counts_of_another_paragraph_are_not_used() -> None:
    mention = ph.extract("全市活产2158人。\n孕产妇死亡2人,孕产妇死亡率92.68/10万。")[0]
    assert mention.denominator is None


# -- old units -----------------------------------------------------------------


def test_a_mortality_per_wan_is_not_read_per_ten_wan() -> None:
    # 2 / 2158 × 10 000 = 9.268 -> "9.27/万"; read per 10万 it would be 10× off.
    mention = ph.extract("活产2158人,孕产妇死亡2人,孕产妇死亡率9.27/万。")[0]
    assert mention.figure.unit == "per_ten_thousand"
    assert mention.verdict.status.value == "consistent"


# -- text as it arrives --------------------------------------------------------


def test_traditional_characters_keep_their_offsets() -> None:
    pytest.importorskip("opencc")
    text = "孕產婦死亡率18.6/10萬。"
    mention = ph.extract(text)[0]
    assert mention.indicator.id == "maternal_mortality_ratio"
    assert text[mention.figure_start : mention.figure_end] == "18.6/10萬"


def test_pinyin_glosses_of_converter_sites_are_ignored() -> None:
    pytest.importorskip("opencc")
    text = "全省孕產(chǎn)婦死亡率為9.80/10萬。"
    assert _read(text) == [("maternal_mortality_ratio", "9.80/10万")]


def test_a_chinese_full_stop_as_decimal_point() -> None:
    assert [m.figure.value for m in ph.extract("住院分娩率为96。3%。")] == [Decimal("96.3")]


def test_full_width_digits() -> None:
    assert [m.figure.value for m in ph.extract("住院分娩率为９６．３％。")] == [Decimal("96.3")]


def test_a_line_break_inside_a_figure() -> None:
    assert _read("1949年婴儿死亡率为200\n  ‰。") == [("infant_mortality_rate", "200‰")]


def test_a_page_mark_inside_a_number() -> None:
    mention = ph.extract("5岁以下儿童死亡数为6人,死亡率为15.0\n3、8‰。")[0]
    assert mention.figure.value == Decimal("15.08")


def test_numbers_grouped_by_spaces() -> None:
    assert [m.figure.value for m in ph.extract("孕产妇死亡率约为1 500/10万。")] == [Decimal(1500)]


def test_years_in_chinese_numerals() -> None:
    text = "婴儿死亡率由一九八一年的9.7‰下降至二零二零年的2.0‰。"
    assert _periods(text) == ["1981年", "2020年"]


@pytest.mark.parametrize(
    ("text", "bound", "role"),
    [
        ("孕产妇系统管理率达到95%以上。", "at_least", "bound"),
        ("住院分娩率在98%左右。", "approximately", "value"),
        ("婴儿死亡率不到5‰。", "less_than", "bound"),
        ("5岁以下儿童死亡率低于8‰。", "less_than", "bound"),
        ("各县住院分娩率均在95%以上。", "at_least", "bound"),
    ],
)
def test_bounds_and_approximations_are_told_apart(text: str, bound: str, role: str) -> None:
    mention = ph.extract(text)[0]
    assert (mention.figure.bound.value, mention.role) == (bound, role)


def test_a_list_number_glued_to_a_label() -> None:
    text = "1.孕产妇系统管理率95.2%;2.5岁以下儿童死亡率8.1‰。"
    assert _read(text) == [
        ("maternal_systematic_management_rate", "95.2%"),
        ("under5_mortality_rate", "8.1‰"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "两组孕产妇死亡率差异有统计学意义(χ2=15.3,P<0.01)。",
        "孕产妇死亡率(P<0.05)。",
        "产科出血占孕产妇死亡的35.2%。",
        "孕产妇死亡率下降了38.2%。",
        "住院分娩率提高3.1个百分点。",
    ],
)
def test_figures_that_are_no_indicator_value(text: str) -> None:
    assert _read(text) == []


def test_a_mortality_rate_printed_with_percent_is_a_slip() -> None:
    verdict = ph.extract("婴儿死亡率6.2%。")[0].verdict
    assert verdict.cause is not None and verdict.cause.name == "unit_sign"
    assert "6.2‰" in verdict.cause.description


def test_a_change_whose_subject_the_clause_before_names() -> None:
    text = "中国孕产妇死亡率呈现持续下降的趋势,由1949年的1 500/10万下降至2015年的20.1/10万。"
    assert _read(text) == [("maternal_mortality_ratio", "1500/10万"), ("maternal_mortality_ratio", "20.1/10万")]
    assert _periods(text) == ["1949年", "2015年"]


def test_a_change_after_another_names_figure_has_no_subject() -> None:
    text = "孕产妇死亡率为20/10万,住院分娩率持平,由2010年的95%提高到2015年的99%。"
    assert _read(text)[0] == ("maternal_mortality_ratio", "20/10万")
    assert ("maternal_mortality_ratio", "95%") not in _read(text)


def test_earlier_values_in_brackets_follow_the_order_of_the_names() -> None:
    text = "2017年孕产妇系统管理率达到91.57%,孕产妇住院分娩率达到97.55%,较2012年(84.99%和94.08%)分别提高7.74%和3.69%。"
    assert _read(text) == [
        ("maternal_systematic_management_rate", "91.57%"),
        ("hospital_delivery_rate", "97.55%"),
        ("maternal_systematic_management_rate", "84.99%"),
        ("hospital_delivery_rate", "94.08%"),
    ]
    assert _periods(text)[2:] == ["2012年", "2012年"]


def test_a_rate_told_as_cases_per_hundred_thousand_live_births() -> None:
    text = "中国的总体 MMR 从 1996 年的每 10 万活产儿 64.1 例降至 2005 年的 47.6 例。"
    mentions = ph.extract(text)
    assert [(m.indicator.id, m.figure.value) for m in mentions] == [
        ("maternal_mortality_ratio", Decimal("64.1")),
        ("maternal_mortality_ratio", Decimal("47.6")),
    ]
    assert [m.figure.unit for m in mentions] == ["per_hundred_thousand"] * 2
    assert _periods(text) == ["1996年", "2005年"]
    assert text[mentions[0].figure_start : mentions[0].figure_end] == "每 10 万活产儿 64.1 例"


def test_bracketed_figures_of_other_areas_share_the_sign() -> None:
    text = "2022年婴儿死亡率为4.4‰,高于其他国家的中位数(3.15‰),是日本(1.7‰)的2.6倍。"
    assert _read(text) == [("infant_mortality_rate", "4.4‰"), ("infant_mortality_rate", "3.15‰"),
                           ("infant_mortality_rate", "1.7‰")]


def test_a_bracketed_figure_of_an_earlier_year() -> None:
    text = "去年孕产妇死亡率为17.12/10万,与2015年相比有所反弹(2015年为15.07/10万)。"
    assert _read(text)[1] == ("maternal_mortality_ratio", "15.07/10万")
    assert _periods(text)[1] == "2015年"


@pytest.mark.parametrize(
    "text",
    [
        "孕产妇系统管理率95%,其中高危孕产妇(12%)。",  # a percentage: too common to guess
        "婴儿死亡率为4.4‰,工作考核达标率(12.5‰)。",  # another rate's name before the bracket
    ],
)
def test_bracketed_figures_that_are_not_the_indicators(text: str) -> None:
    first = _read(text)[0][0]
    assert [indicator for indicator, _ in _read(text)].count(first) == 1


def test_a_name_left_unsaid_before_a_labels_population() -> None:
    text = "截至6月30日,孕产妇系统管理和0-6岁儿童系统管理率达到90%以上。"
    assert _read(text) == [
        ("maternal_systematic_management_rate", "90%以上"),
        ("child_systematic_management_rate_0_6", "90%以上"),
    ]


def test_a_plans_requirement_is_a_target() -> None:
    mention = ph.extract("孕产妇死亡率仍控制在“两规划”要求的20/10万以内。")[0]
    assert (mention.figure.text, mention.figure.bound.value, mention.role) == ("20/10万以内", "at_most", "target")


@pytest.mark.parametrize(
    ("text", "period"),
    [("2011-2020年孕产妇死亡率控制在20/10万以下。", "2011-2020年"), ("1996年至2010年孕产妇死亡率为30/10万。", "1996年至2010年")],
)
def test_a_range_of_years_is_a_period(text: str, period: str) -> None:
    assert _periods(text) == [period]


# -- tables copied column by column --------------------------------------------

# tests/data/reports/16 (木垒县, 国家免疫规划疫苗接种率公布): the names in one block,
# the rates in the next. Only 卡介苗 completes to a catalog name (卡介苗接种率);
# the doses of 乙肝 and 脊灰 are not catalog indicators.
_COLUMN_TABLE = "\n\n".join(
    ["疫苗名称", "卡介苗", "乙肝第一剂次", "脊灰疫苗第一剂次", "接种率(%)", "99.78", "100", "99.79"]
)


def test_a_table_copied_column_by_column() -> None:
    assert _read(_COLUMN_TABLE) == [("bcg_coverage", "99.78")]
    mention = ph.extract(_COLUMN_TABLE)[0]
    assert mention.label == "卡介苗" and mention.figure.unit == "percent"


@pytest.mark.parametrize(
    "text",
    [
        _COLUMN_TABLE + "\n\n98.95",  # a further number: the columns do not line up
        _COLUMN_TABLE.replace("99.79", ""),  # fewer numbers than names
        _COLUMN_TABLE.replace("接种率(%)", "接种率(‰)"),  # a unit the indicator is not in
    ],
)
def test_a_column_table_that_does_not_line_up_gives_nothing(text: str) -> None:
    assert _read(text) == []


# -- a list of names compared with another area ------------------------------


def _areas(text: str) -> list[str | None]:
    return [next((q.text for q in m.qualifiers if q.kind == "area"), None) for m in ph.extract(text)]


@pytest.mark.parametrize(
    "text",
    [
        # tests/data/reports/23 (a synonym-spun copy of a Chongqing release, traditional).
        "全市孕產婦逝世和嬰兒逝世率低于全國水平(19.90/10萬、7.50/‰)。",
        "全市孕产妇死亡和婴儿死亡率低于全国水平(19.90/10万、7.50‰)。",
    ],
)
def test_a_list_compared_with_another_areas_bracketed_figures(text: str) -> None:
    assert [indicator for indicator, _ in _read(text)] == ["maternal_mortality_ratio", "infant_mortality_rate"]
    # The bracketed figures are the other area's, not the sentence's (全市).
    assert _areas(text) == ["全国水平", "全国水平"]


@pytest.mark.parametrize(
    "text",
    [
        "全市孕产妇死亡和婴儿死亡率低于全国水平(19.90/10万)。",  # fewer figures than names
        "全市孕产妇死亡和婴儿死亡率低于全国水平(19.90/10万、7.50‰、3.1‰)。",  # more
        "全市孕产妇死亡和婴儿死亡率低于全国水平(19.90/10万、7.50‰,下同)。",  # the bracket goes on
    ],
)
def test_a_compared_list_that_does_not_line_up_is_not_paired(text: str) -> None:
    assert ("maternal_mortality_ratio", "19.90/10万") not in _read(text)


def test_a_shared_one_character_ending_needs_the_shared_word() -> None:
    # 死亡…率: the items share the word before the one-character ending.
    assert _read("孕产妇死亡和婴儿死亡率分别为19.90/10万、7.50‰。") == [
        ("maternal_mortality_ratio", "19.90/10万"),
        ("infant_mortality_rate", "7.50‰"),
    ]
