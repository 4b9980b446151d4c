"""Misses found by the second round of the report corpus (tests/data/reports/37-45).

Each test quotes or adapts the sentence of the excerpt named in its docstring;
the expected figures are the printed ones, and counts are checked by the
arithmetic written beside them, not by the code under test.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import phindicators as ph


def _read(text: str) -> list[tuple[str, str]]:
    return [(m.indicator.id, m.figure.text) for m in ph.extract(text)]


def _areas(text: str) -> list[str | None]:
    return [next((q.text for q in m.qualifiers if q.kind == "area"), None) for m in ph.extract(text)]


def test_a_gazetteers_short_names_of_registration_rates() -> None:
    """37 (太平区志, 1985): 早建册 is 早孕建册, and 建册 (handbook) is 建卡 (card)."""
    text = "1985年孕妇总数3 712人,早建册1 422人,早建册率为38.3%,总建册3 644人,建册率为98.16%。"
    assert _read(text) == [
        ("early_pregnancy_registration_rate", "38.3%"),
        ("maternal_registration_rate", "98.16%"),
    ]


def test_registration_outside_maternal_text_is_not_the_maternal_rate() -> None:
    """建册率 needs a sentence about pregnant women; alone it is left unread."""
    assert _read("居民健康档案建册率为95%。") == []


def test_an_old_long_name_and_achieved_with_le() -> None:
    """43 (1992): 孕产妇保健系统管理率, "达到了"; the changes since 1990 are not values."""
    text = (
        "到1992年底,全县孕产妇保健系统管理率达到了90.4%,比1990年提高了26.4%,"
        "孕产妇死亡率为39/10万,比1990年下降了13/10万。"
    )
    assert _read(text) == [
        ("maternal_systematic_management_rate", "90.4%"),
        ("maternal_mortality_ratio", "39/10万"),
    ]


def test_life_expectancy_by_its_short_name() -> None:
    """44 (1992): 人均寿命 is the life expectancy."""
    assert _read("1992年末,全市人均寿命提高到71.27岁(市区),达到发达国家水平。") == [
        ("life_expectancy", "71.27")
    ]


def test_a_rate_named_with_de_between_its_words() -> None:
    """45: "出生缺陷的发生率" is the birth-defect rate (printed with % for ‰)."""
    assert _read("该市新生儿出生缺陷的发生率为10.05%。") == [("birth_defect_rate", "10.05%")]
    # Other 发生率 are not it.
    assert _read("该市子痫的发生率为0.07%。") == []


def test_city_core_and_countryside_after_one_name() -> None:
    """39 (哈尔滨 2000): 城区 qualifies the first figure, 农村 the second."""
    text = "全市孕产妇死亡率城区为14.65/10万,农村为25.2/10万。婴儿死亡率城区为9.13‰,农村11.72‰。"
    assert _read(text) == [
        ("maternal_mortality_ratio", "14.65/10万"),
        ("maternal_mortality_ratio", "25.2/10万"),
        ("infant_mortality_rate", "9.13‰"),
        ("infant_mortality_rate", "11.72‰"),
    ]
    assert _areas(text) == ["城区", "农村", "城区", "农村"]


def test_the_old_name_of_newborn_metabolic_screening() -> None:
    """39: 新生儿疾病筛查 (PKU, CH) is the metabolic screening."""
    text = "制定了《新生儿疾病筛查管理办法》,使新生儿疾病筛查工作规范化、科学化,筛查率20%。"
    assert _read(text) == [("newborn_disease_screening_rate", "20%")]


def test_a_labels_context_reaches_back_over_semicolons_not_full_stops() -> None:
    """39: "婚检率…;疾病检出率…" is one topic; after "。" the label stands alone."""
    text = "全市婚检率城区为91.27%,农村为62.44%;疾病检出率城区为13.17%,农村为5.89%。"
    assert _read(text) == [
        ("premarital_checkup_rate", "91.27%"),
        ("premarital_checkup_rate", "62.44%"),
        ("premarital_disease_detection_rate", "13.17%"),
        ("premarital_disease_detection_rate", "5.89%"),
    ]
    assert _read("全市婚检率为91.27%。疾病检出率为13.17%。") == [("premarital_checkup_rate", "91.27%")]


def test_an_ocr_underscore_for_the_decimal_point() -> None:
    """39: "91_27%" is 91.27%, never 9127%; its span is the printed text."""
    text = "全市婚检率城区为91_27%,农村为62.44%。"
    mentions = ph.extract(text)
    assert [(m.indicator.id, str(m.figure.value)) for m in mentions] == [
        ("premarital_checkup_rate", "91.27"),
        ("premarital_checkup_rate", "62.44"),
    ]
    assert text[mentions[0].figure_start : mentions[0].figure_end] == "91_27%"
    # Elsewhere an underscore is dropped, as before: "20_年" masks a year.
    assert _read("卫生院20_年妇幼保健工作总结,住院分娩率为97.99%。") == [
        ("hospital_delivery_rate", "97.99%")
    ]


def test_a_range_over_years_gives_two_bounds_not_values() -> None:
    """33 (Hong Kong): "在 0 人及 11.2 人之间波动" bounds forty years' MMR; the
    base "按每十万名活产婴儿计算的" makes "0 人" a rate, and 孕妇死亡比率 is the MMR."""
    text = "而在过去四十年,按每十万名活产婴儿计算的孕妇死亡比率则在 0 人及 11.2 人之间波动。"
    mentions = ph.extract(text)
    assert [(m.indicator.id, str(m.figure.value), m.figure.bound.value, m.role) for m in mentions] == [
        ("maternal_mortality_ratio", "0", "at_least", "bound"),
        ("maternal_mortality_ratio", "11.2", "at_most", "bound"),
    ]
    # With units printed, and without the closing 之间 it is no range.
    assert [m.role for m in ph.extract("孕产妇死亡率在8.5/10万至11.2/10万之间。")] == ["bound", "bound"]
    assert _read("孕产妇死亡率为8.5/10万,婴儿死亡率及5岁以下儿童死亡率下降。") == [
        ("maternal_mortality_ratio", "8.5/10万")
    ]


def test_a_whole_number_of_people_is_a_rate_only_on_a_declared_base() -> None:
    """"婴儿死亡率为3人" counts deaths; "按每千名活产婴儿计算的婴儿死亡率为3人" is 3‰."""
    assert _read("婴儿死亡率为3人。") == []
    mention = ph.extract("按每千名活产婴儿计算的婴儿死亡率为3人。")[0]
    assert (mention.indicator.id, str(mention.figure.value)) == ("infant_mortality_rate", "3")
    # A base of another unit declares nothing for this name.
    assert _read("按每十万名活产婴儿计算的婴儿死亡率为3人。") == []


def test_an_unnamed_target_takes_the_only_indicator_of_its_unit() -> None:
    """22 (slides): the targets after 目标 name no indicator; only the MMR of the
    list is printed per 10万, so they are its targets."""
    text = (
        "2、孕产妇死亡率 10.66/10万3、婴儿死亡率 1.86注:数据来源于监测报告"
        "2015年千年发展目标 22.2/10万2011-2020年,妇女发展纲要目标 20/10万以下"
    )
    mentions = ph.extract(text)
    assert [(m.indicator.id, m.figure.text, m.role) for m in mentions] == [
        ("maternal_mortality_ratio", "10.66/10万", "value"),
        ("infant_mortality_rate", "1.86", "value"),
        ("maternal_mortality_ratio", "22.2/10万", "target"),
        ("maternal_mortality_ratio", "20/10万以下", "target"),
    ]


def test_an_unnamed_target_is_left_when_two_indicators_share_its_unit() -> None:
    text = "婴儿死亡率为4.5‰,5岁以下儿童死亡率为6.2‰,规划目标8‰以下。"
    assert _read(text) == [("infant_mortality_rate", "4.5‰"), ("under5_mortality_rate", "6.2‰")]
    # Nor does a target of another unit than the named figures' take a name.
    assert _read("孕产妇死亡率为15.7/10万,目标95%。") == [("maternal_mortality_ratio", "15.7/10万")]


def test_a_number_whose_digits_were_lost_is_no_value() -> None:
    """41 (大英县): "孕产妇死亡率为0。%" lost the digits between 。 and %; it is not
    an MMR of 0. A plain "为0。" still is, and "96。3%" is 96.3%."""
    assert _read("2011年,孕产妇死亡率为0。%,其中农村孕产妇住院分娩率98%。") == [
        ("hospital_delivery_rate", "98%")
    ]
    assert _read("孕产妇死亡率为0。住院分娩率98%。") == [
        ("maternal_mortality_ratio", "0"),
        ("hospital_delivery_rate", "98%"),
    ]
    assert [str(m.figure.value) for m in ph.extract("住院分娩率为96。3%。")] == ["96.3"]


def test_a_bare_coverage_rate_belongs_to_its_clauses_vaccine() -> None:
    """46 (county yearbook, 2005): 应种 is the denominator, 实种 the numerator;
    the printed DTP rate does not follow from its counts (2282/2320 = 98.36%)."""
    text = (
        "全年单苗接种:卡介苗应种672人,实种667人,接种率99.26%;"
        "百白破应种2320人,实种2282人,接种率为98.41%;"
        "麻疹应种795人,实种778人,接种率为97.86%。"
    )
    mentions = ph.extract(text)
    assert [(m.indicator.id, m.figure.text, m.verdict.status.value) for m in mentions] == [
        ("bcg_coverage", "99.26%", "consistent"),  # 667/672 = 99.256%
        ("dtp_coverage", "98.41%", "inconsistent"),  # 2282/2320 = 98.362%
        ("measles_vaccine_coverage", "97.86%", "consistent"),  # 778/795 = 97.862%
    ]
    # Without a vaccine before it, 接种率 names no indicator.
    assert _read("全县接种率为95%。") == []


def _periods(text: str) -> list[str | None]:
    return [next((q.text for q in m.qualifiers if q.kind == "period"), None) for m in ph.extract(text)]


def test_a_spaced_out_number_is_never_read_in_pieces() -> None:
    """47 (黑龙江 2000 abstract): digits typeset apart. Read in pieces, "10 0 %"
    gave 10 after a name, or "0 %". Whole, it is 100%, but "19 5 %" there is
    23/118 = 19.5% (the point lost): without a printed point no reading is safe,
    so none is made. With its point, a spaced number is read whole."""
    assert _read("婚检率为10 0 %。") == []
    assert _read("占19 5 %,有消毒设施的 6 0家 ,占 5 0 8%。婚检率为19 5 %。") == []
    assert [str(m.figure.value) for m in ph.extract("婚检率为99 . 5 %。")] == ["99.5"]
    assert _periods("我省于 2 0 0 0年 8月 ,婚检率为95 %。") == ["2000年8月"]
    # Two numbers with their own signs stay two.
    assert _read("住院分娩率为95.2%,96.1 %。") == [("hospital_delivery_rate", "95.2%")]
    # A space before the unit sign stays: the figure's text is as printed (25).
    assert _read("婴儿死亡率由2002年29.2 ‰,下降到2011年的12.1‰。") == [
        ("infant_mortality_rate", "29.2 ‰"),
        ("infant_mortality_rate", "12.1‰"),
    ]
    # Thousands grouped by a space are read as before.
    assert [str(m.figure.value) for m in ph.extract("孕产妇死亡率约为1 500/10万。")] == ["1500"]


def test_ocr_letters_for_digits_in_a_decimal_figure() -> None:
    """37, 39: "O.07%", "O.96‰" (the letter O for 0); "l.5‰" (l for 1). The span
    stays the printed text; a letter inside a word is left alone."""
    text = "婴儿死亡率城区1.16‰,农村O.96‰。"
    mentions = ph.extract(text)
    assert [str(m.figure.value) for m in mentions] == ["1.16", "0.96"]
    assert text[mentions[1].figure_start : mentions[1].figure_end] == "O.96‰"
    assert [str(m.figure.value) for m in ph.extract("婴儿死亡率为l.5‰。")] == ["1.5"]
    assert _read("婴儿死亡率为PISO.5%。") == []


def test_a_printed_line_cut_after_a_list_mark_goes_on() -> None:
    """48 (a 黑龙江 志): the page's width cut the list after "、"; a sentence cannot
    end there. After ":" a table or list may start, so that break stays (16)."""
    text = (
        "开展了妇女“五期”保健、婚前健康检查、住院分娩、卫生知识咨询。孕妇定期检查率、产后访视率、婚前体检率、住院分娩率、\n"
        "儿童系统管理率均达100 %,妇女病普查普治率95%。"
    )
    assert _read(text) == [
        ("postpartum_visit_rate", "100 %"),
        ("premarital_checkup_rate", "100 %"),
        ("hospital_delivery_rate", "100 %"),
        ("child_systematic_management_rate", "100 %"),
    ]


def test_zero_written_as_a_word_after_a_rate() -> None:
    """48: "孕产妇死亡率为零" is an MMR of 0; "零点五" (a decimal in words) and the
    slogan "零死亡" are not read."""
    assert [(m.indicator.id, str(m.figure.value)) for m in ph.extract("全年孕产妇死亡率为零,婴儿死亡率为3.2‰。")] == [
        ("maternal_mortality_ratio", "0"),
        ("infant_mortality_rate", "3.2"),
    ]
    assert _read("孕产妇死亡率为零点五。") == []
    assert _read("实现孕产妇零死亡。") == []


def test_a_list_of_starting_values_then_a_list_of_later_ones() -> None:
    """49: two names, "分别从2000年的x和y下降到z和w": four figures in order; the
    later ones are not of the starting year (none is printed for them)."""
    text = "婴儿死亡率和5岁以下儿童死亡率分别从2000年的32.2‰和39.7‰下降到13.1‰和16.4‰。"
    assert _read(text) == [
        ("infant_mortality_rate", "32.2‰"),
        ("under5_mortality_rate", "39.7‰"),
        ("infant_mortality_rate", "13.1‰"),
        ("under5_mortality_rate", "16.4‰"),
    ]
    assert _periods(text) == ["2000年", "2000年", None, None]
    # The sentence's own year before a change is the later value's period.
    assert _periods("2010年,孕产妇死亡率从2000年的53.4/10万下降到30.0/10万。") == ["2000年", "2010年"]
    # A list of three values after two names pairs nothing.
    assert _read("婴儿死亡率和5岁以下儿童死亡率分别从32.2‰和39.7‰下降到13.1‰、16.4‰和15.1‰。")[2:] == []


def test_a_change_without_years_after_a_dated_one_keeps_each_values_year() -> None:
    """27: "2017年,…由2016年的76.5岁提高到76.7岁,婴儿死亡率从7.5‰下降到6.8‰": the
    start 7.5‰ is 2016's (carried from the change before), the value it fell
    to is the sentence's 2017."""
    text = "2017年,我国居民人均预期寿命由2016年的76.5岁提高到76.7岁,婴儿死亡率从7.5‰下降到6.8‰。"
    periods = dict(zip((m.figure.text for m in ph.extract(text)), _periods(text), strict=True))
    assert periods["7.5‰"] == "2016年"
    assert periods["6.8‰"] == "2017年"


def test_a_figure_with_its_sign_before_a_stray_sign_is_whole() -> None:
    """Found by the surroundings property test: "99.76%。‰" is 99.76% and a stray ‰."""
    assert _read("婚检率99.76%。‰") == [("premarital_checkup_rate", "99.76%")]


# The characters this round's reading rules act on, among a few names and words.
_DAMAGE = st.lists(
    st.sampled_from(
        ["0", "1", "5", "9", " ", ".", "_", "。", "%", "‰", "O", "l", "零", "年", "率为", "、", ",", "\n",
         "婚检率", "孕产妇死亡率", "目标", "之间", "及", "下降到", "从", "2000年", "按每千名活产婴儿计算的"]
    ),
    max_size=40,
).map("".join)


@given(_DAMAGE)
@settings(max_examples=300)
def test_damaged_text_is_read_without_error_and_spans_stay_inside(text: str) -> None:
    for mention in ph.extract(text):
        assert 0 <= mention.start <= mention.figure_start < mention.figure_end <= len(text)
        printed = text[mention.figure_start : mention.figure_end]
        # The figure's first digit is printed (or read from an OCR letter or 零).
        assert any(c.isdigit() or c in "Ol零" for c in printed), printed
