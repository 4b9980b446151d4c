"""From a text to its mentions: sentence by sentence, with qualifiers."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Mapping, Sequence

from ..catalog import Catalog, bundled_catalog
from ..errors import InvalidTypeError
from ..figures import Bound, Figure, alternatives
from ..model import Indicator
from .judging import _MAX_COUNTS, _Choice, _judge, _single_role, _try
from .labels import _Lexicon, _lexicon
from .matching import (
    _REACH,
    _Anchor,
    _anchors,
    _bracketed,
    _carried,
    _compared,
    _compared_area,
    _coordinated,
    _counts,
    _direct,
    _Found,
    _lists,
    _nearest,
    _respectively,
    _skip,
    _targeted,
    _term,
    _words,
)
from .model import Count, Mention, Qualifier
from .reading import _prepare, _sentences, _Text
from .tables import table_mentions

#: Dates and month ranges a sentence attaches: "2005年", "2011-2020年", "2022年1-10月", "1-6月份",
#: "110月份" (1-10月 whose dash was lost), "10月底".
_PERIOD = re.compile(
    r"(?:(?:19|20)\d{2}(?:年)?[-~至到])?"  # the start of a range of years: "2011-2020年"
    r"(?:\d{4}|20xx|xx)年(?:度)?(?:\d{1,2}(?:[-~至到]?\d{1,2})?月(?:份|底)?)?"
    r"|\d{1,2}(?:[-~至到]?\d{1,2})?月(?:份|底)?"
)


# Figures and counts are read from digits only ("百分之九十五" is not read):
# a sentence without one is skipped before its names are looked up.
_DIGIT = re.compile(r"\d")


def extract(text: str, catalog: Catalog | None = None) -> list[Mention]:
    """Find every figure of a catalog indicator that a text prints, and audit it.

    Parameters
    ----------
    text : str
        A plain-text report; web boilerplate around it does no harm.
    catalog : Catalog, optional
        The indicators to look for (default: the bundled catalog). Short
        labels from ``data/labels.toml`` apply to the indicators it defines.

    Returns
    -------
    list of Mention
        In the order of the text. Mentions without a figure ("提高婚检率")
        are not returned: there is nothing to audit.

    Raises
    ------
    InvalidTypeError
        A :class:`TypeError`, if ``text`` is not a string. Any string is read
        without error.

    Examples
    --------
    >>> text = "全市共有食品从业单位883户,取得有效期卫生许可证的849户,发证率 96.1%。"
    >>> [(m.indicator.id, m.numerator.figure.text, m.denominator.figure.text) for m in extract(text)]
    [('food_hygiene_license_rate', '849户', '883户')]
    >>> mention = extract("婚前医学检查1660人,婚检率99.76%。")[0]
    >>> mention.numerator.figure.text, list(mention.verdict.inferred)
    ('1660人', [1664])
    """
    if not isinstance(text, str):
        raise InvalidTypeError(f"extract reads a string, got {type(text).__name__}")
    lexicon = _lexicon(bundled_catalog() if catalog is None else catalog)
    prepared = _prepare(text)
    mentions: list[Mention] = []
    paragraph: dict[str, Count] = {}
    for start, end in _sentences(prepared.text):
        if start and prepared.text[start - 1] == "\n":
            paragraph = {}
        if _DIGIT.search(prepared.text, start, end) is None:
            continue  # no figure and no count: nothing to find or remember
        mentions.extend(_sentence(lexicon, prepared, start, end, paragraph))
    tables = list(table_mentions(lexicon, prepared))
    if tables:
        mentions = sorted([*mentions, *tables], key=lambda m: (m.figure_start, m.start))
    return mentions


def _sentence(
    lexicon: _Lexicon, prepared: _Text, start: int, end: int, paragraph: dict[str, Count]
) -> Iterator[Mention]:
    """The mentions of text[start:end]. ``paragraph`` holds the counts the
    paragraph has named so far, by term ("全市活产2158人。"), for the
    definition's denominator of a later figure; this sentence's are added."""
    text = prepared.text
    anchors = _anchors(lexicon, text, start, end)
    if not anchors:
        _remember(lexicon, prepared, start, end, paragraph)
        return
    found, listed = _lists(lexicon, text, anchors, end)
    last_end = start  # where the previous figure ends
    for anchor in anchors:
        if id(anchor) in listed:
            continue
        direct = _direct(lexicon, text, anchor, end)
        if direct:
            found.extend([*direct, *_coordinated(lexicon, text, direct[0], last_end)])
            last_end = direct[-1].end
    found.extend(_respectively(lexicon, text, anchors, found, start, end))
    found.extend(_compared_area(lexicon, text, anchors, found, start, end))
    found.extend(_carried(lexicon, text, anchors, found, start, end))
    found.sort(key=lambda f: (f.start, f.anchors[0].start))
    found.extend(_compared(lexicon, text, found, end))
    found.extend(_bracketed(lexicon, text, anchors, found, end))
    found.extend(_targeted(lexicon, text, found, start, end))
    found.sort(key=lambda f: (f.start, f.anchors[0].start))
    if not found:
        return

    taken = [(f.start, f.end) for f in found] + [(a.start, a.end) for a in anchors]
    stops = sorted(
        {p for f in found for p in (f.start, f.end)} | {p for a in anchors for p in (a.start, a.end)}
    )
    dates = [m.span() for m in _PERIOD.finditer(text, start, end)]
    date_ends = [date_end for _, date_end in dates]
    placed: dict[int, list[tuple[int, int, Figure]]] = {id(f): [] for f in found}
    owner_of = {id(a): f for f in found for a in f.anchors if a.match != "coordinated"}
    starts = [a.start for a in anchors]
    # The first owned anchor at or after each anchor, built backwards once.
    following: list[_Found | None] = [None] * (len(anchors) + 1)
    for index in range(len(anchors) - 1, -1, -1):
        following[index] = owner_of.get(id(anchors[index]), following[index + 1])
    for count_start, count_end, figure in _counts(text, start, end, taken):
        owner = _owner(lexicon, text, anchors, starts, following, count_start, owner_of)
        if owner is not None:
            placed[id(owner)].append((count_start, count_end, figure))
    owners: dict[int, list[Count]] = {}
    for key, spans in placed.items():
        # Only the counts nearest a figure can be its numerator and denominator.
        owners[key] = []
        for count_start, count_end, figure in spans[-_MAX_COUNTS:]:
            words = _words(text, count_start, count_end, (start, end), stops)
            origin = prepared.span(count_start, count_end)
            when = _period(lexicon, text, start, count_start, dates, date_ends)
            owners[key].append(
                Count(
                    figure,
                    origin[0],
                    origin[1],
                    words,
                    _term(lexicon, words),
                    None if when is None else text[when[0] : when[1]],
                )
            )

    previous_end = start
    previous_counts: list[Count] = []
    for item in found:
        anchor = item.anchors[0]
        indicator = anchor.indicator
        own = owners[id(item)]
        period_span = _period(lexicon, text, start, item.start, dates, date_ends)
        period = None if period_span is None else text[period_span[0] : period_span[1]]
        # A figure of another period ("去年…", "2019年…") is not checked against
        # counts of this one: own counts must not name a different period, and
        # counts are borrowed only from a mention of the same period.
        other = period in lexicon.vocabulary.other_periods
        usable = [c for c in own if c.period == period or (c.period is None and not other)]
        borrowed = [c for c in previous_counts if c.period == period]
        choice = _judge(indicator, item.figure, usable, borrowed, item.share)
        choice = _with_paragraph(indicator, item.figure, choice, usable, paragraph, period, item.share)
        span = prepared.span(anchor.start, item.end)
        figure_span = prepared.span(item.start, item.end)
        yield Mention(
            indicator=indicator,
            label=text[anchor.start : anchor.end],
            match=anchor.match,
            figure=item.figure,
            start=span[0],
            end=span[1],
            figure_start=figure_span[0],
            figure_end=figure_span[1],
            role=_role(lexicon, text, previous_end, item.start, item.figure),
            qualifiers=_qualifiers(lexicon, prepared, item, previous_end, period_span),
            counts=choice.counts,
            numerator=choice.numerator,
            denominator=choice.denominator,
            candidates=choice.candidates,
            verdict=choice.verdict,
        )
        previous_end, previous_counts = item.end, own
    for counts in owners.values():
        paragraph.update((c.term.id, c) for c in counts if c.term is not None)


def _remember(
    lexicon: _Lexicon, prepared: _Text, start: int, end: int, paragraph: dict[str, Count]
) -> None:
    """Add the counts of a sentence without names whose words name a term."""
    text = prepared.text
    for count_start, count_end, figure in _counts(text, start, end, [])[:_MAX_COUNTS]:
        words = _words(text, count_start, count_end, (start, end), [])
        term = _term(lexicon, words)
        if term is not None:
            origin = prepared.span(count_start, count_end)
            paragraph[term.id] = Count(figure, origin[0], origin[1], words, term)


def _with_paragraph(
    indicator: Indicator,
    figure: Figure,
    choice: _Choice,
    usable: Sequence[Count],
    paragraph: Mapping[str, Count],
    period: str | None,
    share: bool,
) -> _Choice:
    """A figure without a denominator in its sentence takes the one its paragraph
    named earlier, when that count's words name the definition's denominator
    ("全市活产2158人。孕产妇死亡2人,孕产妇死亡率92.68/10万"): the text ties it
    to the figure by the term, never by position alone."""
    if choice.denominator is not None or indicator.denominator is None:
        return choice
    denominator = paragraph.get(indicator.denominator.id)
    if denominator is None or denominator.period not in (None, period) or denominator in usable:
        return choice
    numerators = [
        c
        for c in usable
        if (c.term is not None and c.term.id == indicator.numerator.id)
        or (len(usable) == 1 and _single_role(indicator, c, share) == "numerator")
    ]
    numerator = numerators[-1] if numerators else None
    verdict = _try(indicator, figure, numerator, denominator)
    if verdict is None:
        return choice
    return _Choice((*choice.counts, denominator), choice.candidates, verdict, numerator, denominator)


def _owner(
    lexicon: _Lexicon,
    text: str,
    anchors: Sequence[_Anchor],
    starts: Sequence[int],
    following: Sequence[_Found | None],
    position: int,
    owner_of: Mapping[int, _Found],
) -> _Found | None:
    """The mention a count belongs to: the name it directly follows ("系统管理2067人"),
    else the next name after it ("全市产妇2164人,系统管理…").

    ``starts`` are the anchors' starts and ``following[i]`` the mention of the
    first owned anchor from ``anchors[i]`` on.
    """
    index = bisect.bisect_right(starts, position)
    if index > 0:
        before = anchors[index - 1]
        if _skip(lexicon, text, before.end) == position and id(before) in owner_of:
            return owner_of[id(before)]
    return following[index]


def _role(lexicon: _Lexicon, text: str, since: int, figure_start: int, figure: Figure) -> str:
    """"target" after a target cue (since the previous figure, up to this one:
    "…控制在“两规划”要求的20/10万以内"), "bound" for a figure that bounds the
    value ("95%以上", "不到5‰", "低于8‰"), else "value"."""
    if _nearest(text, lexicon.vocabulary.target_cues, since, figure_start) is not None:
        return "target"
    return "value" if figure.bound in (Bound.EXACT, Bound.APPROXIMATELY) else "bound"


def _period(
    lexicon: _Lexicon,
    text: str,
    sentence_start: int,
    position: int,
    dates: Sequence[tuple[int, int]],
    date_ends: Sequence[int],
) -> tuple[int, int] | None:
    """The span of the period nearest before ``position`` in its sentence: one of
    ``dates`` (the sentence's "2005年", "1-10月", in order) or a word such as "上半年"."""
    date_index = bisect.bisect_right(date_ends, position)
    if date_index and _reached(lexicon, text, position) and _starts_change(
        lexicon, text, dates[date_index - 1], position
    ):
        # "从2000年的53.4/10万下降到30.0/10万": the year is the start's; the value the
        # change led to has the sentence's period before it, if any, and never the
        # start of an earlier change.
        date_index -= 1
        while date_index and text[dates[date_index - 1][0] - 1 : dates[date_index - 1][0]] in ("从", "由"):
            date_index -= 1
    periods = [dates[date_index - 1]] if date_index else []
    word = _nearest(text, lexicon.vocabulary.periods, sentence_start, position)
    periods += [word] if word else []
    return max(periods, key=lambda span: (span[1], span[1] - span[0]), default=None)


#: How far after a change's starting year the value it led to may come
#: ("从2000年的32.2‰和39.7‰下降到13.1‰"; bounded, so reading stays linear).
_CHANGE_REACH = 80


def _reached(lexicon: _Lexicon, text: str, position: int) -> bool:
    """Whether the figure at ``position`` is the value a change led to ("…下降到6.8‰"),
    not the start of one ("从7.5‰下降到…", whose year a parallel change before gave)."""
    pattern = _reaching(lexicon.vocabulary.changes)
    return pattern.search(text, max(0, position - _REACHED_REACH), position) is not None


#: How far back the verb of a list of reached values is looked for ("下降到13.1‰和16.4‰").
_REACHED_REACH = 40


@functools.lru_cache(maxsize=8)
def _reaching(changes: tuple[str, ...]) -> re.Pattern[str]:
    """A change verb that reaches a value, then any earlier values of its list, at the end."""
    verbs = alternatives(v for v in changes if v.endswith(("到", "至", "为", "致")))
    return re.compile(rf"(?:{verbs})(?:[ ]*\d+(?:\.\d+)?[ ]*(?:%|‰|‱|/10万)?[ ]*[、和及与,][ ]*)*[ ]*$")


def _starts_change(lexicon: _Lexicon, text: str, date: tuple[int, int], position: int) -> bool:
    """Whether ``date`` opens a change ("从2000年的…", "由2005年的…") whose verb
    comes before ``position``: a figure after that verb is not of that year."""
    if date[0] == 0 or text[date[0] - 1] not in "从由" or position - date[1] > _CHANGE_REACH:
        return False
    return lexicon.changes.search(text, date[1], position) is not None


def _qualifiers(
    lexicon: _Lexicon,
    prepared: _Text,
    item: _Found,
    since: int,
    period: tuple[int, int] | None,
) -> tuple[Qualifier, ...]:
    """The qualifiers of a mention.

    The period is the nearest before the figure in its sentence (``period``,
    from :func:`_period`: one of the sentence's dates, "2005年", "1-10月", or
    a word such as "上半年"). The area is the one printed with the figure ("农村98%"), else
    the nearest in the mention's clause ("农村孕产妇住院分娩率"). The group
    ("二(多)孩") is the nearest since the previous figure, which ends at ``since``.
    """
    text = prepared.text
    anchor_start = item.anchors[0].start
    reach = max(since, anchor_start - _REACH)
    clause_start = max(reach, *(text.rfind(mark, reach, anchor_start) + 1 for mark in ",:"))
    spans = [
        ("period", period),
        ("area", item.area or _nearest(text, lexicon.vocabulary.areas, clause_start, anchor_start)),
        ("group", _nearest(text, lexicon.vocabulary.groups, since, anchor_start)),
    ]
    qualifiers = []
    for kind, span in spans:
        if span is not None:
            origin = prepared.span(*span)
            qualifiers.append(Qualifier(kind, text[span[0] : span[1]], origin[0], origin[1]))
    return tuple(qualifiers)
