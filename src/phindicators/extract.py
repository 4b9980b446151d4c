"""Finding indicator figures in report text, with their counts, and auditing them.

:func:`extract` reads a plain-text report (a local health bureau's work
summary, say, still wrapped in the web page it was copied from) and returns a
:class:`Mention` for every figure of a catalog indicator it prints:

- the indicator is named by its Chinese name or an alias (from the catalog),
  or by a short label whose meaning the sentence fixes ("发证率" after
  "食品…" or after "公共场所…"), from the table in ``data/labels.toml``;
- the figure follows the name directly or after a verb such as "为"/"达到"
  ("婚检率99.76%"), or in a "分别" list ("孕产妇死亡率和婴儿死亡率分别限制在
  92.68/十万和10.66"), or as a share ("参合人数135058人,占到…的82%"); a change
  ("提高2.5个百分点") is not a value;
- the counts are the numbers with a count word or a currency in the same
  sentence that lead up to the figure ("全市共有食品从业单位883户,取得…849户,
  发证率96.1%"); when several pairs of them could be numerator and
  denominator, the one that reproduces the figure is chosen, and the mention
  says whether its denominator is the one the definition names;
- the period and area the sentence attaches ("1-10月", "农村") come along,
  with character offsets into the original text.

Every mention is audited (:func:`phindicators.audit.audit`) as it is found.
The text is read without any knowledge of web pages: boilerplate produces no
mention because it names no indicator next to a figure.

Examples
--------
>>> text = "全市产妇2164人,系统管理2067人,系统管理率达到95.52%。"
>>> [(m.indicator.id, m.figure.text, m.verdict.status.value) for m in extract(text)]
[('maternal_systematic_management_rate', '95.52%', 'consistent')]
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from itertools import permutations

import attrs

from ._data import bundled_text
from ._once import Once
from .audit import Status, Verdict, audit
from ._toml import checked_fields
from .catalog import Catalog, bundled_catalog
from .errors import CatalogError, InvalidTypeError, PhindicatorsError
from .figures import Bound, Figure, _alternatives, _is_cjk, match_figure, normalize_text
from .model import KINDS, Indicator, Term
from .units import UNITS

__all__ = [
    "Candidate",
    "Count",
    "LabelRule",
    "Mention",
    "Qualifier",
    "example_report",
    "extract",
    "label_rules",
]

_LABELS_PATH = "phindicators/data/labels.toml"
_LABEL_FIELDS = ({"label", "indicator"}, {"context", "note"})
#: Dates and month ranges a sentence attaches: "2005年", "2022年1-10月", "1-6月份",
#: "110月份" (1-10月 whose dash was lost), "10月底".
_PERIOD = re.compile(
    r"(?:\d{4}|20xx|xx)年(?:度)?(?:\d{1,2}(?:[-~至到]?\d{1,2})?月(?:份|底)?)?"
    r"|\d{1,2}(?:[-~至到]?\d{1,2})?月(?:份|底)?"
)
_SENTENCE_END = "。!?;\n"
# A clause boundary inside a sentence, for the words describing a count.
_CLAUSE_MARKS = ",:、()“”\"'"
# Units of a printed amount that is a count or money, not a rate.
_AMOUNT_UNITS = ("count", "yuan", "wan_yuan")
# Pairs are tried among at most this many counts nearest the figure (a
# report's sentence gives a handful; this bounds the work on odd text).
_MAX_COUNTS = 8
# A line break between two Chinese characters is a paragraph cut by a page
# break when the line before is at least this long; shorter lines are headings.
_MIN_CUT_LINE = 30
# How far back (in characters) the words that qualify a name are looked for:
# a context keyword, a period, a target cue. Sentences of real reports are
# shorter; the bound keeps the reading linear on a sentence of any length.
_REACH = 400
# How far either side of a count its describing words are read.
_WORDS_REACH = 40
# The most names a "分别" list pairs with its figures.
_MAX_LIST = 12


# -- the label table -----------------------------------------------------------


@attrs.frozen
class LabelRule:
    """One row of the label table: a short label, its context and its indicator.

    Examples
    --------
    >>> [rule.indicator for rule in label_rules() if rule.label == "发证率"]
    ['food_hygiene_license_rate', 'public_place_license_rate']
    """

    label: str
    indicator: str
    context: tuple[str, ...] = ()
    note: str = ""


@attrs.frozen
class _Vocabulary:
    connectors: tuple[str, ...]
    respectively: tuple[str, ...]
    separators: tuple[str, ...]
    share_verbs: tuple[str, ...]
    change_suffixes: tuple[str, ...]
    target_cues: tuple[str, ...]
    areas: tuple[str, ...]
    groups: tuple[str, ...]
    periods: tuple[str, ...]
    other_periods: tuple[str, ...]
    not_terms: tuple[str, ...]


# Every word list of [vocabulary] is required; unknown keys are errors.
_VOCABULARY_FIELDS = ({field.name for field in attrs.fields(_Vocabulary)}, set[str]())


def _strings(path: str, item: str, field: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogError(
            path, f"must be a list of non-empty strings, got {value!r}", item=item, field=field
        )
    return tuple(normalize_text(v) for v in value)


def _read_labels(text: str, path: str) -> tuple[tuple[LabelRule, ...], _Vocabulary]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(path, f"not valid TOML: {error}") from None
    for key in data:
        if key not in ("labels", "vocabulary"):
            raise CatalogError(path, f"unknown top-level key {key!r} (expected labels, vocabulary)")
    rows = data.get("labels", [])
    if not isinstance(rows, list):
        raise CatalogError(path, "must be an array of tables", field="labels")
    rules = []
    for number, row in enumerate(rows, 1):
        item = f"labels[{number}]"
        fields = checked_fields(path, item, row, _LABEL_FIELDS, "a label")
        for field in ("label", "indicator", "note"):
            if not isinstance(fields.get(field, ""), str):
                raise CatalogError(path, f"must be a string, got {fields[field]!r}", item=item, field=field)
        if not fields["label"].strip():
            raise CatalogError(path, "must not be empty", item=item, field="label")
        context = fields.get("context", [])
        rules.append(
            LabelRule(
                label=normalize_text(fields["label"]),
                indicator=fields["indicator"],
                context=_strings(path, item, "context", context) if context else (),
                note=fields.get("note", ""),
            )
        )
    vocabulary = checked_fields(path, "vocabulary", data.get("vocabulary"), _VOCABULARY_FIELDS, "the vocabulary")
    words = {key: _strings(path, "vocabulary", key, value) for key, value in vocabulary.items()}
    return tuple(rules), _Vocabulary(**words)


def _load_bundled_labels() -> tuple[tuple[LabelRule, ...], _Vocabulary]:
    return _read_labels(bundled_text("labels.toml"), _LABELS_PATH)


_labels = Once(_load_bundled_labels)


def _bundled_labels() -> tuple[tuple[LabelRule, ...], _Vocabulary]:
    return _labels.get()


def label_rules() -> tuple[LabelRule, ...]:
    """The bundled label table (``phindicators/data/labels.toml``), read once.

    Examples
    --------
    >>> [rule.context for rule in label_rules() if rule.label == "调离率"]
    [()]
    """
    return _bundled_labels()[0]


def example_report() -> str:
    """The bundled example report: fragments of the seed reports, boilerplate removed.

    Examples
    --------
    >>> example_report().splitlines()[0].startswith("#")
    True
    """
    return bundled_text("reports", "example_report.txt")


# -- what the extractor finds --------------------------------------------------


@attrs.frozen
class Qualifier:
    """A period, area or group the text attaches to a mention ("1-10月", "农村").

    ``kind`` is ``"period"``, ``"area"`` or ``"group"``; ``start``/``end`` are
    offsets into the original text.

    Examples
    --------
    >>> [(q.kind, q.text) for q in extract("2005年农村住院分娩率为98.5%。")[0].qualifiers]
    [('period', '2005年'), ('area', '农村')]
    """

    kind: str
    text: str
    start: int
    end: int


@attrs.frozen
class Count:
    """A count or amount printed near a mention ("2164人", "21507万元").

    Attributes
    ----------
    figure : Figure
        The printed count, with its unit (``count``, ``yuan``, ``wan_yuan``).
    start, end : int
        Offsets into the original text.
    words : str
        The words that describe it ("全市产妇").
    term : Term or None
        The catalog term those words name, when one does (产妇数 for "全市产妇").
    period : str or None
        The period the sentence gives before the count ("2019年", "去年"),
        if any: a figure of another period is not checked against it.

    Examples
    --------
    >>> count = extract("婚前医学检查1660人,婚检率99.76%。")[0].numerator
    >>> count.figure.text, count.words, count.term.id
    ('1660人', '婚前医学检查', 'premarital_examined_persons')
    """

    figure: Figure
    start: int
    end: int
    words: str
    term: Term | None = attrs.field(default=None, repr=lambda term: repr(term.id if term else None))
    period: str | None = None


@attrs.frozen
class Candidate:
    """One numerator/denominator pair the sentence offers, and what it gives.

    Examples
    --------
    >>> text = "全市活产2158人,产妇2164人,孕产妇系统管理2067人,孕产妇系统管理率95.52%。"
    >>> [(c.numerator.figure.text, c.denominator.figure.text, c.status.value)
    ...  for c in extract(text)[0].candidates]  # doctest: +NORMALIZE_WHITESPACE
    [('2158人', '2164人', 'inconsistent'), ('2067人', '2158人', 'inconsistent'),
     ('2067人', '2164人', 'consistent')]
    """

    numerator: Count
    denominator: Count
    status: Status


@attrs.frozen
class Mention:
    """A figure of a catalog indicator found in a text.

    Attributes
    ----------
    indicator : Indicator
        The indicator named.
    label : str
        The words that name it, as normalized text ("发证率").
    match : str
        ``"name"`` (a catalog name or alias), ``"label"`` (a short label
        resolved by its context) or ``"coordinated"`` (a name whose ending is
        shared with the next one: "传染病疫情、突发公共卫生事件信息报告率").
    figure : Figure
        The printed figure, in the indicator's unit when it printed none.
    start, end : int
        Offsets of the mention (name through figure) in the original text.
    figure_start, figure_end : int
        Offsets of the figure alone.
    role : str
        ``"value"``, or ``"target"`` when the sentence presents the figure as
        a target or requirement.
    qualifiers : tuple of Qualifier
        Period, area and group the text attaches.
    counts : tuple of Count
        The counts of the sentence that lead up to the figure (the eight
        nearest it at most: no report divides counts printed further away).
    numerator, denominator : Count or None
        The counts the figure was checked against (or the one count whose
        role is known).
    candidates : tuple of Candidate
        Every pair of counts that could be numerator and denominator, and
        what each gives.
    verdict : Verdict
        The audit of the figure against the chosen counts; with only one
        count known, ``verdict.inferred`` is the range of the other.

    Examples
    --------
    >>> mention = extract("全市产妇2164人,系统管理2067人,系统管理率达到95.52%。")[0]
    >>> mention.label, mention.match, mention.denominator.words, mention.denominator_is_definitions
    ('系统管理率', 'label', '全市产妇', False)
    """

    indicator: Indicator = attrs.field(repr=lambda indicator: repr(indicator.id))
    label: str
    match: str
    figure: Figure
    start: int
    end: int
    figure_start: int
    figure_end: int
    role: str
    qualifiers: tuple[Qualifier, ...]
    counts: tuple[Count, ...]
    numerator: Count | None
    denominator: Count | None
    candidates: tuple[Candidate, ...]
    verdict: Verdict = attrs.field(repr=lambda verdict: repr(verdict.status.value))

    @property
    def denominator_is_definitions(self) -> bool | None:
        """Whether the denominator used is the one the definition names
        (None when the words before it name no catalog term)."""
        if self.denominator is None or self.denominator.term is None or self.indicator.denominator is None:
            return None
        return self.denominator.term.id == self.indicator.denominator.id


# -- the lexicon of one catalog ------------------------------------------------


@attrs.frozen
class _Lexicon:
    catalog: Catalog
    names: Mapping[str, str]  # normalized name or alias -> indicator id
    rules: Mapping[str, tuple[LabelRule, ...]]  # normalized label -> its rows
    anchors: re.Pattern[str]
    terms: tuple[tuple[str, Term], ...]  # (words, term), longest first
    vocabulary: _Vocabulary
    connectors: re.Pattern[str]
    share: re.Pattern[str]
    separators: re.Pattern[str]
    respectively: re.Pattern[str]


def _term_words(term: Term) -> str:
    words = normalize_text(term.name_zh)
    for suffix in ("人数", "数"):
        if words.endswith(suffix) and len(words) > len(suffix) + 1:
            return words[: -len(suffix)]
    return words


@functools.lru_cache(maxsize=8)
def _lexicon(catalog: Catalog) -> _Lexicon:
    rules_table, vocabulary = _bundled_labels()
    names: dict[str, str] = {}
    for indicator in catalog:
        for name in (indicator.name_zh, *indicator.aliases):
            names.setdefault(normalize_text(name), indicator.id)
    rules: dict[str, list[LabelRule]] = {}
    for rule in rules_table:
        if rule.label not in names:  # the catalog's own names win
            rules.setdefault(rule.label, []).append(rule)
    terms = sorted(((_term_words(t), t) for t in catalog.terms.values()), key=lambda p: -len(p[0]))
    return _Lexicon(
        catalog=catalog,
        names=names,
        rules={label: tuple(rows) for label, rows in rules.items()},
        anchors=re.compile(_alternatives([*names, *rules])),
        terms=tuple((words, term) for words, term in terms if len(words) >= 2),
        vocabulary=vocabulary,
        connectors=re.compile(rf"(?:[ ]|{_alternatives(vocabulary.connectors)})*"),
        share=re.compile(rf"[ ,]*(?:{_alternatives(vocabulary.share_verbs)})[^,;。\n]{{0,20}}?的"),
        separators=re.compile(rf"[ ]*(?:{_alternatives(vocabulary.separators)})[ ]*"),
        respectively=re.compile(_alternatives(vocabulary.respectively)),
    )


# -- preparing the text --------------------------------------------------------


class _Offsets:
    """Where each character of a rewritten text comes from in the original.

    Kept as runs, not one entry per character (a 10 MB report would need a
    list of ten million offsets): run ``i`` starts at ``starts[i]`` of the
    rewritten text and at ``origins[i]`` of the original, and advances with it
    one for one. A character that folds to several ("ß" → "ss") is a run of
    one per output character, all at the same original offset.
    """

    __slots__ = ("origins", "starts")

    def __init__(self, starts: list[int], origins: list[int]) -> None:
        self.starts = starts
        self.origins = origins

    def __getitem__(self, position: int) -> int:
        run = bisect.bisect_right(self.starts, position) - 1
        return self.origins[run] + position - self.starts[run]

    def cut(self, spans: Sequence[tuple[int, int]]) -> _Offsets:
        """The offsets of the text made of ``spans`` of this one, in order."""
        starts: list[int] = []
        origins: list[int] = []
        position = 0
        for begin, end in spans:
            if end <= begin:
                continue
            run = bisect.bisect_right(self.starts, begin) - 1
            at = begin
            while at < end:
                starts.append(position + at - begin)
                origins.append(self.origins[run] + at - self.starts[run])
                run += 1
                at = self.starts[run] if run < len(self.starts) else end
            position += end - begin
        return _Offsets(starts or [0], origins or [0])


@attrs.frozen
class _Text:
    """Normalized text, and where each of its characters comes from."""

    text: str
    origin: _Offsets

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of text[start:end] (end > start)."""
        return self.origin[start], self.origin[end - 1] + 1


_BREAK = re.compile(r"[ ]*\n[ \n]*")
_PAGE_MARK = re.compile(r"(\d{1,3})、")
_SENTENCE = re.compile(f"[^{re.escape(_SENTENCE_END)}]+")


def _fold(original: str) -> tuple[str, _Offsets]:
    """:func:`normalize_text`, with the offsets of what it folds.

    Each distinct character is folded once and the text translated in C: a
    report has a few thousand distinct characters and millions of others.
    """
    table: dict[int, str] = {}
    uneven: list[str] = []  # characters that fold to more or less than one
    for char in set(original):
        folded = normalize_text(char)
        if folded != char:
            table[ord(char)] = folded
        if len(folded) != 1:
            uneven.append(char)
    if not uneven:
        return original.translate(table), _Offsets([0], [0])
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = previous = 0
    for match in re.finditer(f"[{re.escape(''.join(uneven))}]", original):
        piece = original[previous : match.start()].translate(table)
        if piece:
            starts.append(length)
            origins.append(previous)
            pieces.append(piece)
            length += len(piece)
        for char in table[ord(match.group())]:
            starts.append(length)
            origins.append(match.start())
            pieces.append(char)
            length += 1
        previous = match.end()
    tail = original[previous:].translate(table)
    if tail or not starts:
        starts.append(length)
        origins.append(previous)
        pieces.append(tail)
    return "".join(pieces), _Offsets(starts, origins)


# A number grouped by thousands with ASCII commas ("2,164人", "1,234,567.5").
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)")


def _ungroup(original: str, text: str, origin: _Offsets) -> tuple[str, _Offsets]:
    """Remove the thousands separators of grouped numbers: "2,164人" is 2164 people.

    Only ASCII commas separate thousands; the Chinese comma "，" (which
    :func:`normalize_text` folds to ",") ends a clause: "体检215名，100%合格"
    stays two figures, so the original character decides.
    """
    kept: list[tuple[int, int]] = []
    position = 0
    for match in _GROUPED.finditer(text):
        commas = [i for i in range(match.start(), match.end()) if text[i] == ","]
        if all(original[origin[i]] == "," for i in commas):
            for comma in commas:
                kept.append((position, comma))
                position = comma + 1
    if not kept:
        return text, origin
    kept.append((position, len(text)))
    return "".join(text[a:b] for a, b in kept), origin.cut(kept)


def _prepare(original: str) -> _Text:
    """Normalize character by character, then undo the page breaks of copied documents.

    Web copies of documents cut paragraphs at page ends: either with a running
    page mark at the start of the next line ("住院补助款9\\n\\n3、.55万元", pages
    numbered 1、 2、 3、 …) or with a bare blank line in the middle of a word.
    Both are removed so that the figure or sentence they cut reads whole.
    """
    text, origin = _fold(original)
    text, origin = _ungroup(original, text, origin)
    kept: list[tuple[int, int]] = []  # spans of text to keep
    position, page = 0, 1
    for cut in _BREAK.finditer(text):
        kept.append((position, cut.start()))
        position = cut.end()
        mark = _PAGE_MARK.match(text, cut.end())
        line = text[max(text.rfind("\n", 0, cut.start()) + 1, cut.start() - _MIN_CUT_LINE) : cut.start()]
        if mark is not None and int(mark.group(1)) == page:
            position, page = mark.end(), page + 1
        elif not (
            len(line) >= _MIN_CUT_LINE
            and _is_cjk(line[-1])
            and position < len(text)
            and _is_cjk(text[position])
        ):
            newline = text.index("\n", cut.start())
            kept.append((newline, newline + 1))  # one newline: a sentence end
    if not kept:
        return _Text(text, origin)
    kept.append((position, len(text)))
    return _Text("".join(text[a:b] for a, b in kept), origin.cut(kept))


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    return (match.span() for match in _SENTENCE.finditer(text))


# -- reading one sentence ------------------------------------------------------


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
    ends last (the longest on ties), within the :data:`_REACH` characters before ``end``."""
    start = max(start, end - _REACH)
    spans = [(p, p + len(word)) for word in words if (p := text.rfind(word, start, end)) >= 0]
    return max(spans, key=lambda span: (span[1], span[1] - span[0]), default=None)


def _anchors(lexicon: _Lexicon, text: str, start: int, end: int) -> list[_Anchor]:
    found = []
    for match in lexicon.anchors.finditer(text, start, end):
        key = match.group()
        if key in lexicon.names:
            indicator = lexicon.catalog.get(lexicon.names[key])
            found.append(_Anchor(match.start(), match.end(), indicator, "name"))
            continue
        rule = _resolve(lexicon.rules[key], text, start, match.start())
        if rule is not None and rule.indicator in lexicon.catalog:
            found.append(_Anchor(match.start(), match.end(), lexicon.catalog.get(rule.indicator), "label"))
    return found


def _resolve(rules: Sequence[LabelRule], text: str, start: int, end: int) -> LabelRule | None:
    """The row whose context keyword occurs nearest before the label, else the default row."""
    near = [(span, rule) for rule in rules if (span := _nearest(text, rule.context, start, end))]
    if near:
        return max(near, key=lambda pair: (pair[0][1], pair[0][1] - pair[0][0]))[1]
    return next((rule for rule in rules if not rule.context), None)


def _indicator_figure(
    lexicon: _Lexicon, text: str, position: int, indicator: Indicator
) -> tuple[Figure, int] | None:
    """The figure of ``indicator`` that starts at ``position``, if it is a value of it."""
    found = match_figure(text, position)
    if found is None:
        return None
    figure, end = found
    if figure.count_word or text.startswith(lexicon.vocabulary.change_suffixes, end):
        return None  # a count ("2790个") or a change ("2.5个百分点"), not the indicator's value
    try:
        return figure.for_indicator(indicator), end
    except PhindicatorsError:
        return None


def _direct(lexicon: _Lexicon, text: str, anchor: _Anchor, end: int) -> list[_Found]:
    """Figures that follow a name: "婚检率99.76%", "住院分娩率城市100%,农村98%", shares."""
    position = _skip(lexicon, text, anchor.end, end)
    area_word = _area_at(lexicon, text, position)
    if area_word is not None:
        position = _skip(lexicon, text, area_word[1], end)
    figure = _indicator_figure(lexicon, text, position, anchor.indicator)
    if figure is None:
        return _share(lexicon, text, anchor, position, end)
    found = [_Found((anchor,), figure[0], position, figure[1], area_word)]
    # Further figures of the same indicator for other areas: ",农村98%".
    while True:
        separator = lexicon.separators.match(text, found[-1].end, end)
        next_area = separator and _area_at(lexicon, text, separator.end())
        if not next_area:
            return found
        position = _skip(lexicon, text, next_area[1], end)
        figure = _indicator_figure(lexicon, text, position, anchor.indicator)
        if figure is None:
            return found
        found.append(_Found((anchor,), figure[0], position, figure[1], next_area))


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
    while position > floor and text[position - 1] == "、":
        reach = max(floor, position - 1 - _REACH)
        phrase_start = max(reach, *(text.rfind(mark, reach, position - 1) + 1 for mark in ",:、("))
        phrase = text[phrase_start : position - 1].strip()
        endings = (name[cut:] for cut in range(1, len(name) - 1))
        completed = next((phrase + e for e in endings if phrase and phrase + e in lexicon.names), None)
        if completed is None:
            break
        indicator = lexicon.catalog.get(lexicon.names[completed])
        coordinated = _Anchor(phrase_start, position - 1, indicator, "coordinated")
        found.append(attrs.evolve(item, anchors=(coordinated,), area=None))
        position = phrase_start
    return found


def _skip(lexicon: _Lexicon, text: str, position: int, end: int | None = None) -> int:
    """Where the connecting words after ``position`` ("为", "达到", spaces) end."""
    found = lexicon.connectors.match(text, position, len(text) if end is None else end)
    return position if found is None else found.end()


def _area_at(lexicon: _Lexicon, text: str, position: int) -> tuple[int, int] | None:
    word = next((w for w in lexicon.vocabulary.areas if text.startswith(w, position)), None)
    return None if word is None else (position, position + len(word))


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
    are exactly as many figures as distinct indicators: nothing is guessed.
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
        indicators = list({a.indicator.id: a.indicator for a in group}.values())
        if not indicators:
            continue
        position = _skip(lexicon, text, occurrence.end(), end)
        figures: list[tuple[Figure, int, int]] = []
        while len(figures) < len(indicators):
            figure = _indicator_figure(lexicon, text, position, indicators[len(figures)])
            if figure is None:
                break
            figures.append((figure[0], position, figure[1]))
            separator = lexicon.separators.match(text, figure[1], end)
            position = separator.end() if separator else figure[1]
        # A further figure after the list would leave the pairing ambiguous.
        more = (
            bool(figures)
            and position != figures[-1][2]
            and (_indicator_figure(lexicon, text, position, group[-1].indicator) is not None)
        )
        if len(figures) != len(indicators) or more:
            continue
        for indicator, (value, value_start, value_end) in zip(indicators, figures, strict=True):
            own = tuple(a for a in group if a.indicator.id == indicator.id)
            found.append(_Found(own, value, value_start, value_end))
            bisect.insort(ends, value_end)
    return found


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _counts(
    text: str, start: int, end: int, taken: Sequence[tuple[int, int]]
) -> list[tuple[int, int, Figure]]:
    """The counts and amounts ("2164人", "21507万元") in text[start:end], outside
    the spans already taken by names and figures."""
    found = []
    covered = {position for a, b in taken for position in range(a, b)}
    for number in _NUMBER.finditer(text, start, end):
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
    for mark in _CLAUSE_MARKS:
        left = max(left, text.rfind(mark, left, start) + 1)
        found = text.find(mark, end, right)
        right = found if found >= 0 else right
    return (text[left:start] + text[end:right]).strip()


def _term(lexicon: _Lexicon, words: str) -> Term | None:
    for word in lexicon.vocabulary.not_terms:
        words = words.replace(word, "|")
    return next((term for key, term in lexicon.terms if key in words), None)


# -- choosing counts and auditing ----------------------------------------------


def _pairs(indicator: Indicator, counts: Sequence[Count]) -> list[tuple[Count, Count]]:
    """Ordered (numerator, denominator) pairs whose units fit the definition."""
    if indicator.denominator is None:
        return []
    within = KINDS[indicator.kind].numerator_within_denominator
    return [
        (n, d)
        for n, d in permutations(counts, 2)
        if _dimension(n.figure) == UNITS[indicator.numerator.unit].dimension
        and _dimension(d.figure) == UNITS[indicator.denominator.unit].dimension
        and d.figure.value != 0
        and not (within and n.figure.value > d.figure.value)
    ]


def _dimension(figure: Figure) -> str:
    return UNITS[figure.unit or "count"].dimension


def _try(
    indicator: Indicator, figure: Figure, numerator: Count | None = None, denominator: Count | None = None
) -> Verdict | None:
    try:
        return audit(
            indicator,
            figure,
            None if numerator is None else numerator.figure,
            None if denominator is None else denominator.figure,
        )
    except PhindicatorsError:
        return None


def _single_role(indicator: Indicator, count: Count, share: bool) -> str | None:
    """Which count a lone count is: by the sentence's construction, its words or its unit."""
    if share:
        return "numerator"
    for role in ("numerator", "denominator"):
        term = getattr(indicator, role)
        if term is not None and count.term is not None and count.term.id == term.id:
            return role
    if indicator.denominator is None:
        return None
    # Money over people ("人均住院补助"): the unit says which count it is.
    dimensions = {
        role: UNITS[getattr(indicator, role).unit].dimension for role in ("numerator", "denominator")
    }
    if dimensions["numerator"] == dimensions["denominator"]:
        return None
    return next((role for role, dim in dimensions.items() if dim == _dimension(count.figure)), None)


@attrs.frozen
class _Choice:
    """The counts a figure is checked against, and the verdict."""

    counts: tuple[Count, ...]
    candidates: tuple[Candidate, ...]
    verdict: Verdict
    numerator: Count | None = None
    denominator: Count | None = None


def _judge(
    indicator: Indicator, figure: Figure, own: Sequence[Count], borrowed: Sequence[Count], share: bool
) -> _Choice:
    """Choose the counts of a figure and audit it.

    The pair of counts that reproduces the figure wins (the definition's
    denominator first, then a rounded over a truncated match, then the pair
    nearest the figure); a mention with no pair of its own draws on the
    counts of the mention before it ("体检率100%,培训率100%"). A single pair
    that does not reproduce the figure is audited as it stands: the units and
    the kind left no other reading. A lone count is used when the sentence's
    construction, its words or its unit say which count it is.
    """
    counts = tuple(own)
    pairs = [] if share else _pairs(indicator, counts[-_MAX_COUNTS:])
    if not pairs and not share and borrowed:
        counts = (*borrowed, *own)
        pairs = _pairs(indicator, counts[-_MAX_COUNTS:])
    tried = [(n, d, _try(indicator, figure, n, d)) for n, d in pairs]
    candidates = tuple(Candidate(n, d, v.status) for n, d, v in tried if v is not None)
    reproducing = [
        (n, d, v) for n, d, v in tried if v is not None and v.status in (Status.CONSISTENT, Status.TRUNCATED)
    ]
    if reproducing:

        def preference(entry: tuple[Count, Count, Verdict]) -> tuple[bool, bool, int]:
            n, d, v = entry
            definitions = (
                indicator.denominator is not None
                and d.term is not None
                and d.term.id == indicator.denominator.id
            )
            return (not definitions, v.status is not Status.CONSISTENT, -(n.start + d.start))

        n, d, verdict = min(reproducing, key=preference)
        return _Choice(counts, candidates, verdict, n, d)
    usable = [(n, d, v) for n, d, v in tried if v is not None]
    if len(usable) == 1:
        n, d, verdict = usable[0]
        return _Choice(counts, candidates, verdict, n, d)
    base = _try(indicator, figure)
    assert base is not None  # the figure was parsed for this indicator
    if usable:
        reason = (
            f"None of the {len(usable)} pairs of counts in the sentence reproduces "
            f"{figure.text}, and the words do not say which pair is the numerator and denominator."
        )
        return _Choice(counts, candidates, attrs.evolve(base, reason=reason))
    if len(own) == 1:
        role = _single_role(indicator, own[0], share)
        lone = None if role is None else _try(indicator, figure, **{role: own[0]})
        if lone is not None:
            return _Choice(counts, candidates, lone, **{role: own[0]})  # type: ignore[arg-type]
    return _Choice(counts, candidates, base)


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
    for start, end in _sentences(prepared.text):
        mentions.extend(_sentence(lexicon, prepared, start, end))
    return mentions


def _sentence(lexicon: _Lexicon, prepared: _Text, start: int, end: int) -> Iterator[Mention]:
    text = prepared.text
    anchors = _anchors(lexicon, text, start, end)
    if not anchors:
        return
    found: list[_Found] = []
    last_end = start  # where the previous figure ends
    for anchor in anchors:
        direct = _direct(lexicon, text, anchor, end)
        if direct:
            found.extend([*direct, *_coordinated(lexicon, text, direct[0], last_end)])
            last_end = direct[-1].end
    found.extend(_respectively(lexicon, text, anchors, found, start, end))
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
            period = _period(lexicon, text, start, count_start, dates, date_ends)
            owners[key].append(
                Count(
                    figure,
                    origin[0],
                    origin[1],
                    words,
                    _term(lexicon, words),
                    None if period is None else text[period[0] : period[1]],
                )
            )

    previous_end = start
    previous_counts: list[Count] = []
    for item in found:
        anchor = item.anchors[0]
        indicator = anchor.indicator
        own = owners[id(item)]
        period_span = _period(lexicon, text, start, anchor.start, dates, date_ends)
        period = None if period_span is None else text[period_span[0] : period_span[1]]
        # A figure of another period ("去年…", "2019年…") is not checked against
        # counts of this one: own counts must not name a different period, and
        # counts are borrowed only from a mention of the same period.
        other = period in lexicon.vocabulary.other_periods
        usable = [c for c in own if c.period == period or (c.period is None and not other)]
        borrowed = [c for c in previous_counts if c.period == period]
        choice = _judge(indicator, item.figure, usable, borrowed, item.share)
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
            role=_role(lexicon, text, previous_end, anchor.start),
            qualifiers=_qualifiers(lexicon, prepared, item, start, previous_end, dates, date_ends),
            counts=choice.counts,
            numerator=choice.numerator,
            denominator=choice.denominator,
            candidates=choice.candidates,
            verdict=choice.verdict,
        )
        previous_end, previous_counts = item.end, own


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


def _role(lexicon: _Lexicon, text: str, since: int, anchor_start: int) -> str:
    cue = _nearest(text, lexicon.vocabulary.target_cues, since, anchor_start)
    return "value" if cue is None else "target"


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
    periods = [dates[date_index - 1]] if date_index else []
    word = _nearest(text, lexicon.vocabulary.periods, sentence_start, position)
    periods += [word] if word else []
    return max(periods, key=lambda span: (span[1], span[1] - span[0]), default=None)


def _qualifiers(
    lexicon: _Lexicon,
    prepared: _Text,
    item: _Found,
    sentence_start: int,
    since: int,
    dates: Sequence[tuple[int, int]],
    date_ends: Sequence[int],
) -> tuple[Qualifier, ...]:
    """The qualifiers of a mention.

    The period is the nearest before the name in its sentence: one of
    ``dates`` (the sentence's "2005年", "1-10月", in order) or a word such as
    "上半年". The area is the one printed with the figure ("农村98%"), else
    the nearest in the mention's clause ("农村孕产妇住院分娩率"). The group
    ("二(多)孩") is the nearest since the previous figure, which ends at ``since``.
    """
    text = prepared.text
    anchor_start = item.anchors[0].start
    reach = max(since, anchor_start - _REACH)
    clause_start = max(reach, *(text.rfind(mark, reach, anchor_start) + 1 for mark in ",:"))
    spans = [
        ("period", _period(lexicon, text, sentence_start, anchor_start, dates, date_ends)),
        ("area", item.area or _nearest(text, lexicon.vocabulary.areas, clause_start, anchor_start)),
        ("group", _nearest(text, lexicon.vocabulary.groups, since, anchor_start)),
    ]
    qualifiers = []
    for kind, span in spans:
        if span is not None:
            origin = prepared.span(*span)
            qualifiers.append(Qualifier(kind, text[span[0] : span[1]], origin[0], origin[1]))
    return tuple(qualifiers)
