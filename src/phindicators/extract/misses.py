"""The rate-like figures of a text that no mention took, and why.

A figure printed with a rate's sign ("%", "‰", "/10万") that the extractor
attributes to no indicator is a *miss*: listed, with its reason, so that a
silent miss becomes a visible one. The reasons, decided in this order:

- ``"not a value"``: the figure is a change ("下降了38.2%", "下降幅度为98.7%"), a
  share of a whole ("产科出血占35.2%"), or a statistic ("P<0.05");
- ``"unknown indicator"``: the clause names a rate the catalog does not define
  ("工作考核达标率", "高危住院分娩率", "产科出血死亡率"), or a label whose
  indicator the catalog lacks;
- ``"ambiguous label"``: a short label whose context does not say which
  indicator it is ("覆盖率" with no population before it), or whose row in the
  label table is marked ``ambiguous`` for that context ("儿童建卡率");
- ``"no label"``: no name at all before the figure in its clause;
- ``"unreadable number"``: a number printed with spaces between its digits
  and no decimal point before a rate's sign ("10 0 %", OCR of a journal
  page): 100 % or 10.0 %, the text does not say, so it is never read as a
  figure; listed with no figure, whatever names it.
"""

from __future__ import annotations

import bisect
import re

from ..catalog import Catalog, bundled_catalog
from ..errors import InvalidTypeError
from ..figures import match_figure
from .labels import _Lexicon, _lexicon
from .matching import _NUMBER, _label_stands, _resolve
from .mentions import extract
from .model import Mention, Miss
from .reading import _UNREADABLE, _prepare

#: Units that make a figure rate-like.
RATE_UNITS = frozenset({"percent", "permille", "per_thousand", "per_ten_thousand", "per_hundred_thousand"})
# A spaced-out number that text preparation made unreadable, with its rate sign.
_UNREADABLE_FIGURE = re.compile(f"{re.escape(_UNREADABLE)}+ ?[%‰‱]")
#: Characters looked back over for the words before a figure.
_CLAUSE = 40
_CLAUSE_MARKS = ",;:。!?\n("
# Words that end right before a change, a share or a statistic.
_NOT_A_VALUE = re.compile(
    r"(?:下降|降低|减少|提高|增加|上升|增长|升高|回升|反弹|缩小|扩大)了?(?:约|近|达|为|到)?$"
    r"|(?:分别)(?:下降|降低|减少|提高|增加|上升|增长)了?$"
    r"|(?:幅度|速度|速率|比例|构成比|占比|百分比)(?:分别)?(?:为|达|达到|是)?$"
    r"|(?:占到|占了|占)[^,;。]{0,20}?(?:的)?$"
    r"|[pP][ ]*[<>=≤≥]$"
)
_LIST_TAIL = re.compile(r"(?:\d+(?:\.\d+)?[ ]*(?:%|‰|‱|/10万|/万)?[ ]*[、和及与][ ]*)+$")
# A rate's name the catalog may not know: Chinese words ending in 率 or 比.
_RATE_WORD = re.compile(r"[\u4e00-\u9fff]{1,12}(?:率|比)")


def misses(
    text: str, catalog: Catalog | None = None, mentions: list[Mention] | None = None
) -> list[Miss]:
    """Every rate-like figure of ``text`` that no mention attributes, with the reason.

    Parameters
    ----------
    text : str
        The report, as given to :func:`~phindicators.extract.extract`.
    catalog : Catalog, optional
        The indicators looked for (default: the bundled catalog).
    mentions : list of Mention, optional
        What :func:`~phindicators.extract.extract` found in ``text`` with the
        same catalog, to save reading it twice.

    Returns
    -------
    list of Miss
        In the order of the text.

    Examples
    --------
    >>> text = "孕产妇死亡率为20.1/10万,下降幅度为98.7%;工作考核达标率为3.2%;占12.5%。"
    >>> [(m.figure.text, m.reason) for m in misses(text)]
    [('98.7%', 'not a value'), ('3.2%', 'unknown indicator'), ('12.5%', 'not a value')]
    """
    if not isinstance(text, str):
        raise InvalidTypeError(f"misses reads a string, got {type(text).__name__}")
    catalog = bundled_catalog() if catalog is None else catalog
    lexicon = _lexicon(catalog)
    if mentions is None:
        mentions = extract(text, catalog)
    # Figure spans of the mentions, sorted, to look a number up by bisection.
    spans = sorted((m.figure_start, m.figure_end) for m in mentions)
    starts = [start for start, _ in spans]
    prepared = _prepare(text)
    normalized = prepared.text
    found: list[Miss] = []
    for number in _NUMBER.finditer(normalized):
        match = match_figure(normalized, number.start())
        if match is None:
            continue
        figure, end = match
        if figure.unit not in RATE_UNITS or figure.count_word:
            continue
        origin = prepared.span(number.start(), end)
        index = bisect.bisect_right(starts, origin[0]) - 1
        if index >= 0 and spans[index][0] <= origin[0] < spans[index][1]:
            continue
        reason, label = _reason(lexicon, normalized, number.start())
        found.append(Miss(figure, origin[0], origin[1], reason, label))
    for unreadable in _UNREADABLE_FIGURE.finditer(normalized):
        origin = prepared.span(*unreadable.span())
        if not text[origin[0]].isdigit():
            continue  # a "#" the report printed itself
        _, label = _reason(lexicon, normalized, unreadable.start())
        found.append(Miss(None, origin[0], origin[1], "unreadable number", label, text[origin[0] : origin[1]]))
    return sorted(found, key=lambda miss: miss.start)


def _reason(lexicon: _Lexicon, text: str, position: int) -> tuple[str, str]:
    """Why the figure at ``position`` is not attributed, and the label involved."""
    floor = max(0, position - _CLAUSE)
    clause_start = max(floor, *(text.rfind(mark, floor, position) + 1 for mark in _CLAUSE_MARKS))
    # The words before a list of figures are the words of each: "分别提高7.74%和3.69%".
    before = _LIST_TAIL.sub("", text[clause_start:position].rstrip(" "))
    if _NOT_A_VALUE.search(before):
        return "not a value", ""
    for match in reversed(list(lexicon.anchors.finditer(text, clause_start, position))):
        key = match.group()
        if key in lexicon.names:
            # A name that took no figure: a subgroup's rate, or a figure it cannot take.
            return "unknown indicator", key
        rules = lexicon.rules[key]
        if not _label_stands(lexicon, text, clause_start, match.start(), rules):
            return "unknown indicator", _rate_word(text, clause_start, match.end()) or key
        rule = _resolve(rules, text, clause_start, match.start())
        if rule is None or rule.ambiguous:
            return "ambiguous label", key
        if rule.indicator not in lexicon.catalog:
            return "unknown indicator", key
        return "ambiguous label", key
    word = _rate_word(text, clause_start, position)
    return ("unknown indicator", word) if word else ("no label", "")


def _rate_word(text: str, start: int, end: int) -> str:
    """The last word naming a rate ("…率", "…比") in text[start:end], or ""."""
    words = list(_RATE_WORD.finditer(text, start, end))
    return words[-1].group() if words else ""
