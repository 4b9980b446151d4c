"""Matching one sentence: names, the figures that follow them and the counts around them.

One job past 600 lines: every pattern by which a sentence ties a name to its
figure (after it, in a list, in a copied table column, under a shared
ending) shares the anchors and look-backs defined here, and splitting them
would split the order in which they are tried.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from collections.abc import Sequence

import attrs

from ..errors import PhindicatorsError
from ..figures import COUNT_WORDS, UNIT_PREFIXES, Bound, Figure, alternatives, is_cjk, match_figure
from ..model import Indicator, Term
from .labels import LabelRule, _Lexicon

# A clause boundary inside a sentence, for the words describing a count.
_CLAUSE_MARKS = ",:、()“”\"'"
# Units of a printed amount that is a count or money, not a rate.
_AMOUNT_UNITS = ("count", "yuan", "wan_yuan")
# How far back (in characters) the words that qualify a name are looked for:
# a context keyword, a period, a target cue. Sentences of real reports are
# shorter; the bound keeps the reading linear on a sentence of any length.
_REACH = 400
# How far either side of a count its describing words are read.
_WORDS_REACH = 40
# The most names a "分别" list pairs with its figures.
_MAX_LIST = 12

@attrs.frozen
class _Anchor:
    start: int
    end: int
    indicator: Indicator
    match: str


@attrs.frozen
class _Found:
    """A figure attached to anchors, before counts are assigned."""

    anchors: tuple[_Anchor, ...]
    figure: Figure
    start: int
    end: int
    area: tuple[int, int] | None = None  # an area word between name and figure
    share: bool = False  # "…N人,占…的x%": the count after the name is the numerator


def _nearest(text: str, words: Sequence[str], start: int, end: int) -> tuple[int, int] | None:
    """The span of the occurrence of any of ``words`` in text[start:end] that
    ends last (the longest on ties), within the :data:`_REACH` characters before ``end``.

    Searched once in the reversed text with the reversed words, longest first:
    the first match there is the occurrence that ends last here (one pass,
    where a search per word made this the reader's most frequent call).
    """
    start = max(start, end - _REACH)
    if end <= start or not words:
        return None
    backwards = _backwards(text)
    size = len(text)
    found = _backward_pattern(tuple(words)).search(backwards, size - end, size - start)
    return None if found is None else (size - found.end(), size - found.start())


_reversed = threading.local()  # the text last reversed, per thread


def _backwards(text: str) -> str:
    pair = getattr(_reversed, "pair", None)
    if pair is None or pair[0] is not text:
        pair = _reversed.pair = (text, text[::-1])
    return pair[1]


@functools.lru_cache(maxsize=1024)
def _backward_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(alternatives(word[::-1] for word in words))


#: Sentence ends that also end a label's context; ";" does not: it joins the
#: clauses of one topic ("全市婚检率…为62.44%;疾病检出率城区为13.17%").
_CONTEXT_ENDS = "。!?\n"


def _context_start(text: str, start: int) -> int:
    """Where the context of a label in the sentence at ``start`` begins: that
    sentence and the ones before it joined by ";", within :data:`_REACH`
    characters (a bounded look back: reading stays linear)."""
    if start == 0 or text[start - 1] != ";":
        return start
    floor = max(0, start - _REACH)
    found = max(text.rfind(end, floor, start) for end in _CONTEXT_ENDS)
    return found + 1 if found >= 0 else floor


def _anchors(lexicon: _Lexicon, text: str, start: int, end: int) -> list[_Anchor]:
    found = []
    context_start: int | None = None  # found on the first label that needs it
    for match in lexicon.anchors.finditer(text, start, end):
        key = match.group()
        if lexicon.subgroups.search(text, max(start, match.start() - 8), match.start()):
            continue  # "高危住院分娩率": the rate of a subgroup, not the indicator
        indicator = lexicon.indicators.get(key)
        if indicator is not None:
            found.append(_Anchor(match.start(), match.end(), indicator, "name"))
            continue
        if not _label_stands(lexicon, text, start, match.start(), lexicon.rules[key]):
            continue
        if context_start is None:
            context_start = _context_start(text, start)
        rule = _resolve(lexicon.rules[key], text, context_start, match.start())
        if rule is not None and not rule.ambiguous and rule.indicator in lexicon.catalog:
            found.append(_Anchor(match.start(), match.end(), lexicon.catalog.get(rule.indicator), "label"))
    return found


def _label_stands(
    lexicon: _Lexicon, text: str, start: int, position: int, rules: Sequence[LabelRule]
) -> bool:
    """Whether a short label at ``position`` stands on its own: after punctuation,
    a digit, a linking word or one of its context words. Glued to other words
    it is part of a longer name the catalog does not know ("产科出血死亡率" is a
    cause-specific rate, not the 死亡率 of "孕产妇…")."""
    if position == start or not is_cjk(text[position - 1]):
        return True
    before = text[max(start, position - 12) : position]
    if before.endswith(lexicon.stands_after):
        return True
    return any(before.endswith(word) for rule in rules for word in rule.context)


def _resolve(rules: Sequence[LabelRule], text: str, start: int, end: int) -> LabelRule | None:
    """The row whose context keyword occurs nearest before the label, else the default row."""
    near = [(span, rule) for rule in rules if (span := _nearest(text, rule.context, start, end))]
    if near:
        return max(near, key=lambda pair: (pair[0][1], pair[0][1] - pair[0][0]))[1]
    return next((rule for rule in rules if not rule.context), None)


# The base of a rate stated before its name: "按每十万名活产婴儿计算的孕妇死亡比率
# …在0人及11.2人之间" (tests/data/reports/33): the names' figures counted in 人
# are rates on that base, whole numbers included.
_DECLARED_BASE = re.compile(rf"按({alternatives(k for k in UNIT_PREFIXES if k.startswith('每'))})计算的$")
#: How far before a name its declared base may start.
_DECLARED_REACH = 16


# A full stop right before a unit sign: the copy lost the digits between them
# ("孕产妇死亡率为0。%,其中…", tests/data/reports/41), so the number before is
# no whole figure. ("96。3%" is read as 96.3% before this: a digit follows there.)
_LOST_DIGITS = ("。%", "。‰", "。‱")


def _declared_unit(text: str, name_start: int) -> str | None:
    """The unit a "按每…计算的" phrase right before a name gives its figures."""
    found = _DECLARED_BASE.search(text, max(0, name_start - _DECLARED_REACH), name_start)
    return None if found is None else UNIT_PREFIXES[found.group(1)]


def _indicator_figure(
    lexicon: _Lexicon, text: str, position: int, indicator: Indicator, declared: str | None = None
) -> tuple[Figure, int] | None:
    """The figure of ``indicator`` that starts at ``position``, if it is a value of it.

    ``declared`` is the unit a phrase before the name gave its figures
    (:func:`_declared_unit`): then a whole number of 人 is a rate too.
    """
    found = match_figure(text, position)
    if found is None:
        return None
    figure, end = found
    if (
        figure.count_word
        and (figure.decimals > 0 or declared == indicator.unit)
        and figure.value < 1000
        and _per_population(indicator)
    ):
        # "千人口托位数为2.57个", "婴儿死亡率…9.7人": a rate printed with what it counts.
        figure = attrs.evolve(figure, unit=None, count_word="", unit_printed=False)
    if figure.count_word or text.startswith(lexicon.vocabulary.change_suffixes, end):
        return None  # a count ("2790个") or a change ("2.5个百分点"), not the indicator's value
    if not figure.unit_printed and text.startswith(_LOST_DIGITS, end):
        return None  # "孕产妇死亡率为0。%": digits were lost around the full stop
    try:
        return figure.for_indicator(indicator), end
    except PhindicatorsError:
        return None


def _per_population(indicator: Indicator) -> bool:
    """Whether the indicator counts per 1 000 or more of a population (not a percentage)."""
    return indicator.unit in ("permille", "per_thousand", "per_ten_thousand", "per_hundred_thousand")


def _direct(lexicon: _Lexicon, text: str, anchor: _Anchor, end: int) -> list[_Found]:
    """Figures that follow a name: "婚检率99.76%", "住院分娩率城市100%,农村98%", shares,
    and the figures of a change ("由64.7/10万下降到30.0/10万", "…,较上年9.87/10万")."""
    position = _skip(lexicon, text, anchor.end, end)
    area_word = _area_at(lexicon, text, position, lexicon.vocabulary.areas)
    if area_word is not None:
        position = _skip(lexicon, text, area_word[1], end)
    declared = _declared_unit(text, anchor.start)
    figure = _closed_figure(lexicon, text, anchor.end, position, anchor.indicator, declared)
    if figure is None:
        return _share(lexicon, text, anchor, position, end)
    found = [_Found((anchor,), figure[0], position, figure[1], area_word)]
    return _continued(lexicon, text, anchor, found, end, declared)


# The two ends of a range: "在0人及11.2人之间波动" is no period's value, its ends
# bound the values of the years it spans.
_RANGE_JOIN = re.compile(r"[ ]*(?:及|和|与|至|到|~|-)[ ]*")
_RANGE_END = re.compile(r"[ ]*之间")


def _ranged(
    lexicon: _Lexicon, text: str, anchor: _Anchor, last: _Found, end: int, declared: str | None
) -> list[_Found] | None:
    """``last`` and the figure after it as the lower and upper ends of a range
    ("在A及B之间"), or None when they are not one."""
    join = _RANGE_JOIN.match(text, last.end, end)
    if join is None:
        return None
    figure = _closed_figure(lexicon, text, join.end(), join.end(), anchor.indicator, declared)
    if figure is None or not _RANGE_END.match(text, figure[1], end) or figure[0].bound is not Bound.EXACT:
        return None
    if last.figure.bound is not Bound.EXACT:
        return None
    return [
        attrs.evolve(last, figure=attrs.evolve(last.figure, bound=Bound.AT_LEAST)),
        _Found((anchor,), attrs.evolve(figure[0], bound=Bound.AT_MOST), join.end(), figure[1], last.area),
    ]


def _continued(
    lexicon: _Lexicon,
    text: str,
    anchor: _Anchor,
    found: list[_Found],
    end: int,
    declared: str | None = None,
) -> list[_Found]:
    """``found`` and the figures of the same indicator that follow it: the value a
    change led to, the previous period's, the upper end of a range, and the
    figures of further areas."""
    areas = (*lexicon.vocabulary.areas, *lexicon.vocabulary.figure_areas)
    while True:
        last = found[-1]
        ranged = _ranged(lexicon, text, anchor, last, end, declared)
        if ranged is not None:
            found[-1:] = ranged
            continue
        # The value the change led to, or the previous period's: same area.
        change = lexicon.changes.match(text, last.end, end)
        if change is not None:
            position = _skip(lexicon, text, change.end(), end)
            figure = _closed_figure(lexicon, text, change.end(), position, anchor.indicator, declared)
            if figure is not None:
                found.append(_Found((anchor,), figure[0], position, figure[1], last.area))
                continue
        # Further figures of the same indicator for other areas: ",农村98%".
        separator = lexicon.area_separators.match(text, last.end, end)
        next_area = separator and _area_at(lexicon, text, separator.end(), areas)
        if separator is None or not next_area:
            return found
        position = _skip(lexicon, text, next_area[1], end)
        figure = _closed_figure(lexicon, text, separator.start(), position, anchor.indicator)
        if figure is None:
            return found
        found.append(_Found((anchor,), figure[0], position, figure[1], next_area))


# A change told without its subject, which the clause before names: "孕产妇死亡率
# 呈现持续下降的趋势,由1949年的1500/10万下降至2015年的20.1/10万".
_CARRIED = re.compile(r"(?:由|从)(?=[ ]*\d{4}[ ]*年)")
#: How far before a carried change its subject may be named.
_CARRIED_REACH = 60


def _carried(
    lexicon: _Lexicon, text: str, anchors: Sequence[_Anchor], found: Sequence[_Found], start: int, end: int
) -> list[_Found]:
    """Changes whose subject is the last name before them, with no other name
    and no figure of another name between: nothing else can be their subject."""
    starts = [a.start for a in anchors]
    figure_starts = {f.start for f in found}
    ordered = sorted(found, key=lambda f: f.start)
    found_starts = [f.start for f in ordered]
    result: list[_Found] = []
    for occurrence in _CARRIED.finditer(text, start, end):
        where = occurrence.start()
        position = _skip(lexicon, text, occurrence.end(), end)
        if position in figure_starts:
            continue  # read already, after its name
        index = bisect.bisect_left(starts, where) - 1
        if index < 0:
            continue
        anchor = anchors[index]
        if anchor.match == "coordinated" or anchor.end > where or where - anchor.end > _CARRIED_REACH:
            continue
        between = ordered[bisect.bisect_left(found_starts, anchor.start) : bisect.bisect_left(found_starts, where)]
        if any(anchor not in f.anchors for f in between):
            continue
        figure = _closed_figure(lexicon, text, occurrence.end(), position, anchor.indicator)
        if figure is None:
            continue
        first = _Found((anchor,), figure[0], position, figure[1])
        result.extend(_continued(lexicon, text, anchor, [first], end))
    return result


# After the figures of several names: the values of an earlier year, in the same
# order ("…管理率达到91.57%,住院分娩率达到97.55%,较2012年(84.99%和94.08%)").
_COMPARED = re.compile(r"[ ,]*(?:较|比|与)(?:\d{4}年|上年|去年)(?:的|相比)?[ ]*\(")


def _compared(lexicon: _Lexicon, text: str, found: Sequence[_Found], end: int) -> list[_Found]:
    """The bracketed earlier values that follow a run of figures, paired with the
    figures' names from the last back; only when there are as many as names."""
    result: list[_Found] = []
    for index, item in enumerate(found):
        bracket = _COMPARED.match(text, item.end, end)
        if bracket is None:
            continue
        values: list[tuple[int, int]] = []
        position = bracket.end()
        while True:
            figure = match_figure(text, position)
            if figure is None or figure[0].count_word:
                break
            values.append((position, figure[1]))
            separator = lexicon.separators.match(text, figure[1], end)
            if separator is None:
                position = figure[1]
                break
            position = separator.end()
        if len(values) < 2 or not text.startswith(")", position) or len(values) > index + 1:
            continue
        earlier = found[index + 1 - len(values) : index + 1]
        pairs = []
        for owner, (value_start, _) in zip(earlier, values, strict=True):
            value = _indicator_figure(lexicon, text, value_start, owner.anchors[0].indicator)
            if value is None:
                break
            pairs.append(_Found(owner.anchors, value[0], value_start, value[1], owner.area))
        if len(pairs) == len(values) and len({p.anchors[0].indicator.id for p in pairs}) == len(pairs):
            result.extend(pairs)
    return result


# A bracketed figure after the words naming another area or period:
# "高於其他OECD國家的中位數(3.15‰)", "日本(1.7‰)", "(2015年为15.07/10万)".
_BRACKETED = re.compile(r"(?P<words>[^,;:()\d]{0,12}?)\((?P<year>\d{4}年)?(?:为|是)?(?=\d)")
#: Units whose bracketed figures are read as the same indicator's: no other
#: figure of a report shares a "‰" or "/10万" with a mortality rate nearby.
_PER_POPULATION_SIGNS = frozenset({"permille", "per_ten_thousand", "per_hundred_thousand"})


def _bracketed(
    lexicon: _Lexicon, text: str, anchors: Sequence[_Anchor], found: Sequence[_Found], end: int
) -> list[_Found]:
    """Bracketed figures printed with the same per-population sign as the figure
    before them, with no name between: the same indicator's value for another
    area or period. Words ending in a rate's name ("…率(") stop it."""
    starts = [a.start for a in anchors]
    taken = {f.start for f in found}
    result: list[_Found] = []
    for item in found:
        if item.figure.unit not in _PER_POPULATION_SIGNS or not item.figure.unit_printed:
            continue
        following = bisect.bisect_right(starts, item.end)
        stop = min(end, starts[following] if following < len(starts) else end, item.end + _REACH)
        position = item.end
        while (bracket := _BRACKETED.search(text, position, stop)) is not None:
            position = bracket.end()
            words = bracket["words"]
            if words.endswith(("率", "比", "数")) and not words.endswith("中位数"):
                break
            figure = _closed_figure(lexicon, text, bracket.start(), bracket.end(), item.anchors[0].indicator)
            if figure is None or figure[0].unit != item.figure.unit or bracket.end() in taken:
                continue
            taken.add(bracket.end())
            span = (bracket.start("words"), bracket.end("words")) if words.strip() else None
            result.append(_Found(item.anchors, figure[0], bracket.end(), figure[1], span))
            position = figure[1]
    return result


def _targeted(
    lexicon: _Lexicon, text: str, found: Sequence[_Found], start: int, end: int
) -> list[_Found]:
    """Targets printed after a target cue without their name ("2、孕产妇死亡率
    10.66/10万 … 千年发展目标 22.2/10万", tests/data/reports/22): a figure whose
    printed unit only one indicator of the sentence's figures before it has is
    that indicator's target. Two indicators of that unit, or none, leave it unread."""
    if not found:
        return []
    taken = {f.start for f in found}
    ordered = sorted(found, key=lambda f: f.end)
    # Per printed unit, the indicators of the figures before the cue and the last
    # such figure: kept up to date in one pass over the figures (linear).
    ids: dict[str | None, set[str]] = {}
    last: dict[str | None, _Found] = {}
    next_figure = 0
    result: list[_Found] = []
    for cue in _word_pattern(lexicon.vocabulary.target_cues).finditer(text, start, end):
        while next_figure < len(ordered) and ordered[next_figure].end <= cue.start():
            item = ordered[next_figure]
            next_figure += 1
            if item.figure.unit_printed:
                ids.setdefault(item.figure.unit, set()).add(item.anchors[0].indicator.id)
                last[item.figure.unit] = item
        position = _skip(lexicon, text, cue.end(), end)
        if position in taken:
            continue
        printed = match_figure(text, position)
        if printed is None or not printed[0].unit_printed or printed[0].count_word:
            continue
        unit = printed[0].unit
        if len(ids.get(unit, ())) != 1:
            continue
        owner = last[unit]
        figure = _closed_figure(lexicon, text, position, position, owner.anchors[0].indicator)
        if figure is not None:
            result.append(_Found(owner.anchors, figure[0], position, figure[1]))
    return result


def _closed_figure(
    lexicon: _Lexicon,
    text: str,
    since: int,
    position: int,
    indicator: Indicator,
    declared: str | None = None,
) -> tuple[Figure, int] | None:
    """The figure of ``indicator`` at ``position``; one opened by a bracket since
    ``since`` ("孕产妇死亡率(30.1/10万)") must print its unit and close it: "(1/10)"
    is a table header's unit, not a value."""
    figure = _indicator_figure(lexicon, text, position, indicator, declared)
    if figure is None or "(" not in text[since:position]:
        return figure
    closed = figure[0].unit_printed and text.startswith((")", ",", "、"), figure[1])
    return figure if closed else None


def _coordinated(lexicon: _Lexicon, text: str, item: _Found, floor: int) -> list[_Found]:
    """Names that share the figure of the next one: in "传染病疫情、突发公共卫生事件
    信息报告率100%" the first item is 传染病疫情报告率, its "报告率" left unsaid.

    Each phrase before a "、" is completed with the longest ending of the
    following name that makes a catalog name; a phrase that completes to none
    ends the list.
    """
    anchor = item.anchors[0]
    name = text[anchor.start : anchor.end]
    found: list[_Found] = []
    position = anchor.start
    joint = position - 1
    if joint > floor and text[joint] not in "、和及与" and anchor.match == "label":
        # "孕产妇系统管理和0-6岁儿童系统管理率": a label's population words
        # stand between the joint and the label.
        near = max(floor, position - _LABEL_WORDS)
        joint = max(text.rfind(mark, near, position) for mark in "、和及与")
        if joint < 0 or any(mark in text[joint:position] for mark in ",:;()"):
            return found
    while joint > floor and text[joint] in ("、和及与" if not found else "、"):
        reach = max(floor, joint - _REACH)
        phrase_start = max(reach, *(text.rfind(mark, reach, joint) + 1 for mark in ",:、("))
        phrase = text[phrase_start:joint].strip()
        endings = (name[cut:] for cut in range(1, len(name)))
        completed = next((phrase + e for e in endings if phrase and phrase + e in lexicon.names), None)
        if completed is None:
            break
        indicator = lexicon.catalog.get(lexicon.names[completed])
        coordinated = _Anchor(phrase_start, joint, indicator, "coordinated")
        found.append(attrs.evolve(item, anchors=(coordinated,), area=None))
        position = phrase_start
        joint = position - 1
    return found


#: The most characters of population words between a joint and a label.
_LABEL_WORDS = 10


def _skip(lexicon: _Lexicon, text: str, position: int, end: int | None = None) -> int:
    """Where the connecting words after ``position`` ("为", "达到", spaces) end."""
    found = lexicon.connectors.match(text, position, len(text) if end is None else end)
    return position if found is None else found.end()


def _area_at(
    lexicon: _Lexicon, text: str, position: int, areas: Sequence[str]
) -> tuple[int, int] | None:
    """The span of the longest of ``areas`` that starts at ``position``."""
    found = _word_pattern(tuple(areas)).match(text, position)
    return None if found is None else found.span()


@functools.lru_cache(maxsize=64)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(alternatives(words))


def _share(lexicon: _Lexicon, text: str, anchor: _Anchor, position: int, end: int) -> list[_Found]:
    """ "参合人数135058人,占到全市常住农业人口的82%": the count is the numerator."""
    count = match_figure(text, position)
    if count is None or not count[0].count_word:
        return []
    share = lexicon.share.match(text, count[1], end)
    if share is None:
        return []
    figure = _indicator_figure(lexicon, text, share.end(), anchor.indicator)
    if figure is None:
        return []
    return [_Found((anchor,), figure[0], share.end(), figure[1], share=True)]


def _respectively(
    lexicon: _Lexicon, text: str, anchors: Sequence[_Anchor], taken: Sequence[_Found], start: int, end: int
) -> list[_Found]:
    """ "A和B分别为x和y": pair the names before "分别" with the figures after it, in order.

    Only the names since the previous figure take part, and only when there
    are exactly as many figures as items in the list of names (a name the
    catalog lacks is an item whose figure is skipped): nothing is guessed.
    """
    found: list[_Found] = []
    # Sorted ends of the figures found so far, and anchor starts, for bisection:
    # a sentence may hold thousands of both.
    ends = sorted(f.end for f in taken)
    starts = [a.start for a in anchors]
    for occurrence in lexicon.respectively.finditer(text, start, end):
        where = occurrence.start()
        index = bisect.bisect_right(ends, where)
        since = max(ends[index - 1] if index else start, start)
        first = bisect.bisect_left(starts, since)
        last = bisect.bisect_left(starts, where)
        if last - first > _MAX_LIST:
            continue  # more names than any list pairs: nothing is guessed
        group = [a for a in anchors[first:last] if a.end <= where]
        items = _items(lexicon, text, group, since, where)
        paired = [] if items is None else _paired(lexicon, text, items, occurrence.end(), end)
        if not paired:
            # The names are not one list ("全市产妇…,系统管理…,0-6岁儿童…,系统管理…,
            # 两个系统管理分别达到…"): each distinct indicator since the last figure.
            distinct = list({a.indicator.id: a for a in group}.values())
            paired = _paired(lexicon, text, distinct, occurrence.end(), end)
            paired = [
                attrs.evolve(f, anchors=tuple(a for a in group if a.indicator.id == f.anchors[0].indicator.id))
                for f in paired
            ]
        for item in paired:
            found.append(item)
            bisect.insort(ends, item.end)
    return found


# After a list of names: the figures of another area in brackets, in the order
# of the names ("孕产妇死亡和婴儿死亡率低于全国水平(19.90/10万、7.50‰)").
_AREA_COMPARED = re.compile(r"[ ]*(?:略)?(?:高于|低于|优于|接近)(?P<words>[^,;:()\d]{1,8}?)\(")


def _compared_area(
    lexicon: _Lexicon, text: str, anchors: Sequence[_Anchor], taken: Sequence[_Found], start: int, end: int
) -> list[_Found]:
    """ "A和B低于全国水平(x、y)": the bracketed figures of the area the sentence
    compares with, paired with the names before it in order, each with that
    area. Only when there are exactly as many figures as names, the bracket
    closes after them, and no figure of the names was read since them."""
    found: list[_Found] = []
    ends = sorted(f.end for f in taken)
    starts = [a.start for a in anchors]
    for index, anchor in enumerate(anchors):
        occurrence = _AREA_COMPARED.match(text, anchor.end, end)
        if occurrence is None or (index + 1 < len(anchors) and anchors[index + 1].start < occurrence.end()):
            continue
        where = anchor.end
        before = bisect.bisect_right(ends, where)
        since = max(ends[before - 1] if before else start, start)
        first = bisect.bisect_left(starts, since)
        if index + 1 - first > _MAX_LIST:
            continue
        group = list(anchors[first : index + 1])
        items = _items(lexicon, text, group, since, where)
        paired = [] if items is None else _paired(lexicon, text, items, occurrence.end(), end)
        if not paired or not text.startswith(")", paired[-1].end):
            continue
        area = occurrence.span("words")
        found.extend(attrs.evolve(item, area=area) for item in paired)
    return found


def _lists(
    lexicon: _Lexicon, text: str, anchors: Sequence[_Anchor], end: int
) -> tuple[list[_Found], set[int]]:
    """ "婴儿死亡率和5岁以下儿童死亡率下降到8.9‰和11.7‰": names joined by 和/、 whose
    figures follow the last of them in the same order, without "分别".

    Returns the figures found and the ids of the anchors they used (which
    then take no figure of their own).
    """
    found: list[_Found] = []
    used: set[int] = set()
    index = 0
    while index < len(anchors) - 1:
        chain = [anchors[index]]
        while index + len(chain) < len(anchors):
            following = anchors[index + len(chain)]
            gap = text[chain[-1].end : following.start]
            if following.start - chain[-1].end > 12 or not _LIST_JOIN.fullmatch(gap):
                break
            chain.append(following)
        index += len(chain)
        if len(chain) < 2:
            continue
        pairs = _paired(lexicon, text, list(chain), chain[-1].end, end) or _shared(
            lexicon, text, chain, end
        )
        if pairs:
            found.extend(pairs)
            used.update(id(a) for a in chain)
    return found, used


# Words between a list of names and one figure that say the figure is each
# name's: "新法接生率、住院分娩率一直保持100%", "…均达到95%以上".
_SHARED = re.compile(r"均|都|一直|始终|保持|全部|皆|同为")


def _shared(lexicon: _Lexicon, text: str, chain: Sequence[_Anchor], end: int) -> list[_Found]:
    """One figure after a list of names, which a word such as "均" or "一直保持"
    gives to each name ("新法接生率、住院分娩率一直保持100%"); none when the
    figure cannot be a value of every name, or a further figure follows."""
    position = _skip(lexicon, text, chain[-1].end, end)
    if _SHARED.search(text, chain[-1].end, position) is None:
        return []
    figures = [_indicator_figure(lexicon, text, position, anchor.indicator) for anchor in chain]
    if any(figure is None for figure in figures):
        return []
    stop = figures[0][1]  # type: ignore[index]
    separator = lexicon.separators.match(text, stop, end)
    if separator is not None and match_figure(text, separator.end()) is not None:
        return []
    return [
        _Found((anchor,), figure[0], position, figure[1])
        for anchor, figure in zip(chain, figures, strict=True)
        if figure is not None
    ]


# Between two names of a list: a joining word, and the area or population words
# that start the next name ("婴儿死亡率和5岁以下儿童死亡率").
_LIST_JOIN = re.compile(r"[ ]*[、和及与][ ]*[^,:;()\d%‰]{0,10}")


def _items(
    lexicon: _Lexicon, text: str, group: Sequence[_Anchor], since: int, where: int
) -> list[_Anchor | None] | None:
    """The items of the list of names that ends at ``where``, back to a comma: the
    anchor in each, a name completed by the ending of the next one ("卡介苗、乙肝、
    百白破疫苗接种率": 卡介苗接种率, 乙肝疫苗接种率), or None for a short name the
    catalog lacks ("产前检查率")."""
    cut = max(since, text.rfind(",", since, where) + 1, where - _REACH)
    items: list[_Anchor | None] = []
    position = where
    while True:
        joint = max(text.rfind(mark, cut, position) for mark in "、和及与")
        item_start = joint + 1 if joint >= cut else cut
        inside = [a for a in group if item_start <= a.start and a.end <= position]
        completed = None if inside else _completed(lexicon, text, item_start, position, items)
        if inside:
            items.append(inside[-1])
        elif completed is not None:
            items.append(completed)
        elif joint >= cut and position - item_start <= 12:
            items.append(None)
        else:
            break  # the words before the list
        if joint < cut:
            break
        position = joint
    items.reverse()
    return items if any(item is not None for item in items) else None


def _completed(
    lexicon: _Lexicon, text: str, start: int, end: int, following: Sequence[_Anchor | None]
) -> _Anchor | None:
    """The phrase text[start:end] completed to a catalog name by the longest ending
    of the next item's name that makes one, as an anchor."""
    # The list's last name, whose ending the items before it leave unsaid.
    after = next((item for item in following if item is not None and item.match != "coordinated"), None)
    phrase = text[start:end].strip()
    if after is None or not phrase:
        return None
    name = text[after.start : after.end]
    # The phrase may start with the sentence's area ("全市孕产妇死亡和婴儿死亡率").
    areas = [area for area in lexicon.vocabulary.areas if phrase.startswith(area) and len(area) < len(phrase)]
    skip = max(map(len, areas), default=0)
    # A one-character ending only when the items share the word before it
    # ("孕产妇死亡和婴儿死亡率": 死亡…率), not any phrase + "率".
    last = len(name) if len(name) > 3 and phrase.endswith(name[-3:-1]) else len(name) - 1
    for cut in range(1, last):
        indicator = _named(lexicon, phrase + name[cut:])
        if indicator is not None:
            return _Anchor(start, end, indicator, "coordinated")
        indicator = _named(lexicon, phrase[skip:] + name[cut:]) if skip else None
        if indicator is not None:  # the name starts after the area ("全市")
            return _Anchor(text.index(phrase, start, end) + skip, end, indicator, "coordinated")
    return None


def _named(lexicon: _Lexicon, words: str) -> Indicator | None:
    """The indicator ``words`` name: a catalog name or alias, or a label whose
    default row (no context) names one ("孕产妇逝世率", a spun synonym)."""
    indicator = lexicon.indicators.get(words)
    if indicator is not None:
        return indicator
    rule = next((rule for rule in lexicon.rules.get(words, ()) if not rule.context), None)
    if rule is None or rule.ambiguous or rule.indicator not in lexicon.catalog:
        return None
    return lexicon.catalog.get(rule.indicator)


def _paired(
    lexicon: _Lexicon, text: str, items: Sequence[_Anchor | None], position: int, end: int
) -> list[_Found]:
    """The figures after ``position`` paired with ``items`` in order, or none at all
    when their numbers differ or a further figure follows; and the list of
    values a change led to, paired the same way ("分别从2000年的32.2‰和39.7‰下降到
    13.1‰和16.4‰", tests/data/reports/49)."""
    found = _paired_once(lexicon, text, items, position, end)
    while found:
        change = lexicon.changes.match(text, found[-1].end, end)
        then = [] if change is None else _paired_once(lexicon, text, items, change.end(), end)
        if not then:
            break
        found.extend(then)
    return found


def _paired_once(
    lexicon: _Lexicon, text: str, items: Sequence[_Anchor | None], position: int, end: int
) -> list[_Found]:
    """One list of figures after ``position`` paired with ``items`` (:func:`_paired`)."""
    position = stop = _skip(lexicon, text, position, end)
    figures: list[tuple[Figure, int, int] | None] = []
    while len(figures) < len(items):
        item = items[len(figures)]
        if item is None:
            raw = match_figure(text, position)
            if raw is None or raw[0].count_word:
                break
            figures.append(None)
            stop = raw[1]
        else:
            figure = _indicator_figure(lexicon, text, position, item.indicator)
            if figure is None:
                break
            figures.append((figure[0], position, figure[1]))
            stop = figure[1]
        separator = lexicon.separators.match(text, stop, end)
        position = separator.end() if separator else stop
    if not items or len(figures) != len(items):
        return []
    # A further figure after the list would leave the pairing ambiguous.
    if position != stop and match_figure(text, position) is not None:
        return []
    return [
        _Found((item,), *figure)
        for item, figure in zip(items, figures, strict=True)
        if item is not None and figure is not None
    ]


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


# A number that may be a count or an amount: a count word, 元, 万 or 亿 follows
# it. Not one after "/": that is the base of a rate ("1/10万"). Only these are
# read as figures, the most frequent work of a long sentence.
_COUNTABLE = re.compile(
    rf"\d(?<![/\d.]\d)\d*(?:\.\d+)?(?=[ ]*(?:万|亿|元)|[ ]?(?:{alternatives(COUNT_WORDS)}))"
)


def _counts(
    text: str, start: int, end: int, taken: Sequence[tuple[int, int]]
) -> list[tuple[int, int, Figure]]:
    """The counts and amounts ("2164人", "21507万元") in text[start:end], outside
    the spans already taken by names and figures."""
    found = []
    covered = {position for a, b in taken for position in range(a, b)}
    for number in _COUNTABLE.finditer(text, start, end):
        if number.start() in covered:
            continue
        match = match_figure(text, number.start())
        if match is None or match[1] > end:
            continue
        figure, stop = match
        counted = figure.count_word or figure.unit in _AMOUNT_UNITS
        if counted and figure.bound is Bound.EXACT:
            found.append((number.start(), stop, figure))
    return found


def _words(text: str, start: int, end: int, sentence: tuple[int, int], stops: Sequence[int]) -> str:
    """The words of the clause around the count at text[start:end], without it:
    "全市产妇" for "全市产妇2164人", "为妇女做了宫颈癌筛查" for "为6271名妇女做了宫颈癌筛查"."""
    before = bisect.bisect_right(stops, start)
    after = bisect.bisect_left(stops, end)
    left = max(sentence[0], start - _WORDS_REACH, stops[before - 1] if before else 0)
    right = min(sentence[1], end + _WORDS_REACH, stops[after] if after < len(stops) else sentence[1])
    # The clause: after the last mark before the count, up to the first after it.
    for mark in _CLAUSE_MARK.finditer(text, left, start):
        left = mark.end()
    found = _CLAUSE_MARK.search(text, end, right)
    if found is not None:
        right = found.start()
    return (text[left:start] + text[end:right]).strip()


_CLAUSE_MARK = re.compile(f"[{re.escape(_CLAUSE_MARKS)}]")


#: Most distinct clauses whose term is remembered per catalog.
_TERM_CACHE = 4096


def _term(lexicon: _Lexicon, words: str) -> Term | None:
    cache = lexicon.term_cache
    if words in cache:
        return cache[words]
    if len(cache) >= _TERM_CACHE:
        cache.clear()
    term = cache[words] = _find_term(lexicon, words)
    return term


def _find_term(lexicon: _Lexicon, words: str) -> Term | None:
    not_terms = lexicon.vocabulary.not_terms
    # A term whose own words contain a not-term ("孕产妇死亡") names it whole.
    whole = next(
        (term for key, term in lexicon.terms if key in words and any(w in key for w in not_terms)), None
    )
    if whole is not None:
        return whole
    for word in not_terms:
        words = words.replace(word, "|")
    return next((term for key, term in lexicon.terms if key in words), None)
