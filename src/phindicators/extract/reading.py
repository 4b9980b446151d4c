"""Report text prepared for matching: normalized, page breaks undone, offsets kept."""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Iterator, Sequence

import attrs

from ..figures import is_cjk, normalize_text

_SENTENCE_END = "。!?;\n"
# A line break between two Chinese characters is a paragraph cut by a page
# break when the line before is at least this long; shorter lines are headings.
_MIN_CUT_LINE = 30

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


# Marks a sentence cannot end with: a full line ending in one was cut by the page's
# width ("…婚前体检率、住院分娩率、\n儿童系统管理率均达100 %", tests/data/reports/48).
# Not ":", which ends the paragraph before a table or list ("…公布如下:", 16).
_CLAUSE_GOES_ON = frozenset("、,")
_BREAK = re.compile(r"[ ]*\n[ \n]*")
_PAGE_MARK = re.compile(r"(\d{1,3})、")
_SENTENCE = re.compile(f"[^{re.escape(_SENTENCE_END)}]+")


def _translator(table: dict[int, str]) -> Callable[[str], str]:
    """``str.translate(table)`` that rewrites only the runs of characters the
    table changes: a whole-text ``str.translate`` looks each of millions of
    characters up and took five times as long on the seed reports, where one
    character in forty changes (full-width punctuation)."""
    if not table:
        return lambda text: text
    runs = re.compile(f"[{re.escape(''.join(map(chr, table)))}]+")
    return lambda text: runs.sub(lambda run: run.group().translate(table), text)


def _fold(original: str) -> tuple[str, _Offsets, set[str]]:
    """:func:`normalize_text`, with the offsets of what it folds, and the set of
    characters of the folded text (which :func:`_simplified` needs too).

    Each distinct character is folded once: a report has a few thousand
    distinct characters and millions of others. Only the runs of characters
    that change are rewritten (:func:`_translator`).
    """
    table: dict[int, str] = {}
    uneven: list[str] = []  # characters that fold to more or less than one
    chars = set(original)
    folded_chars: set[str] = set()
    for char in chars:
        # An underscore is kept for now (normalize_text drops it): between digits
        # it may be an OCR decimal point (see _UNDERSCORE_DECIMAL).
        folded = "_" if char in _UNDERSCORES else normalize_text(char)
        folded_chars.update(folded)
        if folded != char:
            table[ord(char)] = folded
        if len(folded) != 1:
            uneven.append(char)
    fold = _translator(table)
    if not uneven:
        return fold(original), _Offsets([0], [0]), folded_chars
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = previous = 0
    for match in re.finditer(f"[{re.escape(''.join(uneven))}]", original):
        piece = fold(original[previous : match.start()])
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
    tail = fold(original[previous:])
    if tail or not starts:
        starts.append(length)
        origins.append(previous)
        pieces.append(tail)
    return "".join(pieces), _Offsets(starts, origins), folded_chars


# A number grouped by thousands with ASCII commas ("2,164人", "1,234,567.5").
# Or with spaces, as books print them ("约为1 500/10万"), before a unit sign.
# Each pattern of this module starts with a character it consumes, never with
# a lookbehind: the regex engine then skips ahead to that character instead of
# trying every position of a 10 MB text (a lookbehind first made these scans
# 10-50x slower); the lookbehind follows, one character further back.
_GROUPED = re.compile(
    r"\d(?:(?<![\d.,]\d)\d{0,2}(?:,\d{3})+(?:\.\d+)?(?!\d)"
    r"|(?<![\d. ]\d)\d{0,2}(?: \d{3})+(?:\.\d+)?(?=[%‰/]))"
)


def _ungroup(original: str, text: str, origin: _Offsets) -> tuple[str, _Offsets]:
    """Remove the thousands separators of grouped numbers: "2,164人" is 2164 people.

    Only ASCII commas separate thousands; the Chinese comma "，" (which
    :func:`normalize_text` folds to ",") ends a clause: "体检215名，100%合格"
    stays two figures, so the original character decides.
    """
    kept: list[tuple[int, int]] = []
    position = 0
    for match in _GROUPED.finditer(text):
        commas = [i for i in range(match.start(), match.end()) if text[i] in ", "]
        if all(original[origin[i]] in ", \u2009\u202f\u00a0" for i in commas):
            for comma in commas:
                kept.append((position, comma))
                position = comma + 1
    if not kept:
        return text, origin
    kept.append((position, len(text)))
    return "".join(text[a:b] for a, b in kept), origin.cut(kept)


# Pinyin that converter sites print after a character: "衛(wèi)生", "發(fā)布".
_GLOSS = re.compile(r"\((?<=[\u3400-\u9fff]\()[a-z\u00e0-\u01dc\u0300-\u036f]{1,7}\)")
# A space typeset between Chinese and a number ("MMR 从 1996 年的每 10 万活产儿
# 64.1 例"): it separates nothing, and a figure reads whole without it.
_SPACING = re.compile(r" (?:(?<=[\u3400-\u9fff] )(?=\d)|(?<=\d )(?=[\u3400-\u9fff]))")
# A number typeset or OCR'd with spaces between its digits ("婚检率为99 . 5 %", "于 2 0 0 0
# 年", "(10 0 %)"). Read in pieces, its last digits pass for the figure ("0 %"). Whole,
# it is the printed number only where its decimal point is printed: OCR of journal
# pages drops the point or turns it into a space (tests/data/reports/47: "19 5 %" is
# 23/118 = 19.5% and "5 0 8%" is 60/118 = 50.8%, where "10 0 %" is 100%), so a run of
# spaced digits without a point is no figure at all.
_SPACED_NUMBER = re.compile(
    # Each branch starts at a run's first digit only (the lookbehinds), so a
    # long run of spaced digits is scanned once, not once a digit.
    r"\d(?<![\d.]\d)(?<![\d.] \d)\d*(?: \d+)*(?: ?\. ?\d+(?: \d+)*)? ?(?=[%‰‱])"
    r"|\d(?<![\d.]\d)(?<![\d.] \d)(?: \d){3}(?= ?年)"
)
_NUMBER_CHARS = frozenset("0123456789.")
#: What the digits of a spaced number that cannot be read become (one for one).
_UNREADABLE = "#"


def _joined(text: str, origin: _Offsets) -> tuple[str, _Offsets]:
    """``text`` with its spaced-out numbers (:data:`_SPACED_NUMBER`) joined where
    they print a decimal point or are a year, and made unreadable otherwise; a
    space before the unit sign stays, as the figure prints it ("29.2 ‰")."""
    kept: list[tuple[int, int]] = []
    blanked: list[tuple[int, int]] = []
    position = 0
    for match in _SPACED_NUMBER.finditer(text):
        number = match.group().rstrip(" ")
        if " " not in number:
            continue
        if "." not in number and not text.startswith("年", match.end()):
            blanked.append((match.start(), match.start() + len(number)))
            continue
        for space in range(match.start() + 1, match.end() - 1):
            if text[space] == " " and text[space + 1] in _NUMBER_CHARS:
                kept.append((position, space))
                position = space + 1
    if blanked:
        chars = list(text)
        for a, b in blanked:
            chars[a:b] = _UNREADABLE * (b - a)
        text = "".join(chars)
    if not kept:
        return text, origin
    kept.append((position, len(text)))
    return "".join(text[a:b] for a, b in kept), origin.cut(kept)


# Zero written as a word after a rate's name and its verb: "婴儿死亡率及孕产妇死亡率为零"
# (tests/data/reports/48), "…死亡率均为零". Not "零点五" (a decimal in words, left
# unread as all numbers in words are) nor "零死亡" (a slogan, no rate before it).
_ZERO_WORD = re.compile(
    r"零(?:(?<=率为零)|(?<=率是零)|(?<=率均为零)|(?<=率都为零)|(?<=率皆为零)|(?<=率保持为零))"
    r"(?![点一二三四五六七八九十百千万亿])"
)


# Letters OCR reads for digits in a figure: "农村O.96‰", "子痫发生率为O.07%" (tests/data/
# reports/37, 39), "l.5‰". Only a letter standing alone before a decimal number and
# its rate sign is read as the digit (normalize_text has folded O and I to o and i).
_OCR_ZERO = re.compile(r"o(?<![a-z0-9]o)(?=\.\d+ ?[%‰‱])")
_OCR_ONE = re.compile(r"[li](?<![a-z0-9][li])(?=\d*\.\d+ ?[%‰‱])")


# "。" printed as a decimal point (OCR, or typing with a Chinese keyboard):
# "96。3%". Only between digits and before a unit sign, where no sentence ends.
_DECIMAL_MARK = re.compile(
    r"。(?<=\d。)(?=\d+[ ]*(?:%|‰|‱|/))"
)
# "_" read by OCR for the decimal point ("婚检率城区为91_27%", tests/data/reports/39):
# only between digits and before a unit sign; every other underscore is dropped,
# as normalize_text drops it.
_UNDERSCORES = frozenset("_\uff3f")
_UNDERSCORE_DECIMAL = re.compile(r"_(?<=\d_)(?=\d+[ ]*(?:%|‰|‱|/))")
_UNDERSCORE = re.compile("_")
# A line break that cuts a figure (OCR): a number and its unit sign, or a
# number and its decimals ("15\n  ‰", "2.\n5%").
_CUT_FIGURE = re.compile(r"\d[%‰‱/]|\.\d|\d\.")


# Years in Chinese numerals ("一九八一年", "二零二零年"), read one digit a character.
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CHINESE_YEAR = re.compile(r"[一二][〇零一二三四五六七八九]{3}(?=年)")


def _drop(text: str, origin: _Offsets, pattern: re.Pattern[str]) -> tuple[str, _Offsets]:
    """``text`` without the matches of ``pattern``, with its offsets."""
    kept: list[tuple[int, int]] = []
    position = 0
    for match in pattern.finditer(text):
        kept.append((position, match.start()))
        position = match.end()
    if not kept:
        return text, origin
    kept.append((position, len(text)))
    return "".join(text[a:b] for a, b in kept), origin.cut(kept)


#: Characters that only traditional script uses, frequent in health reports:
#: finding one without OpenCC installed asks for the ``zh-hant`` extra.
TRADITIONAL_MARKS = frozenset("萬產婦嬰兒歲衛計統數據顯發區縣醫療機構預報與農總體級為實")

_to_simplified: dict[str, str] = {}  # character -> its simplified form, filled as met
_converter_lock = threading.Lock()


def _simplified(text: str, chars: set[str] | None = None) -> str:
    """Traditional characters converted to simplified ones, one for one (OpenCC's
    t2s table), so that offsets need no change: "孕產婦死亡率" → "孕产妇死亡率".
    ``chars``, the set of the text's characters, saves a pass when known.

    Raises
    ------
    ImportError
        When the text has traditional characters and neither
        ``opencc-python-reimplemented`` nor ``opencc`` is installed; the
        message names the extra (``pip install 'phindicators[zh-hant]'``).
    """
    chars = set(text) if chars is None else chars
    unknown = [char for char in chars if char not in _to_simplified and is_cjk(char)]
    if unknown:
        try:
            import opencc  # type: ignore[import-untyped,import-not-found,unused-ignore]
        except ImportError:
            if chars & TRADITIONAL_MARKS:
                raise ImportError(
                    "reading traditional characters needs OpenCC: "
                    "pip install 'phindicators[zh-hant]'"
                ) from None
            return text
        with _converter_lock:
            converter = opencc.OpenCC("t2s")
            for char in unknown:
                converted = converter.convert(char)
                # Only one-for-one conversions keep the offsets simple; OpenCC
                # maps every character of these reports one for one.
                _to_simplified[char] = converted if len(converted) == 1 else char
    table = {ord(c): _to_simplified[c] for c in chars if _to_simplified.get(c, c) != c}
    return _translator(table)(text)


def _prepare(original: str) -> _Text:
    """Normalize character by character, then undo the page breaks of copied documents.

    Web copies of documents cut paragraphs at page ends: either with a running
    page mark at the start of the next line ("住院补助款9\\n\\n3、.55万元", pages
    numbered 1、 2、 3、 …) or with a bare blank line in the middle of a word.
    Both are removed so that the figure or sentence they cut reads whole.
    """
    text, origin, chars = _fold(original)
    text = _simplified(text, chars)
    text, origin = _ungroup(original, text, origin)
    text, origin = _drop(text, origin, _GLOSS)
    text, origin = _drop(text, origin, _SPACING)
    text, origin = _joined(text, origin)
    text = _DECIMAL_MARK.sub(".", text)
    if "零" in chars:
        text = _ZERO_WORD.sub("0", text)
    if "o" in chars or "l" in chars or "i" in chars:
        text = _OCR_ONE.sub("1", _OCR_ZERO.sub("0", text))
    if "_" in chars:
        text = _UNDERSCORE_DECIMAL.sub(".", text)
        text, origin = _drop(text, origin, _UNDERSCORE)
    text = _CHINESE_YEAR.sub(lambda year: year.group().translate(_CHINESE_DIGITS), text)
    kept: list[tuple[int, int]] = []  # spans of text to keep
    position, page = 0, 1
    for cut in _BREAK.finditer(text):
        kept.append((position, cut.start()))
        position = cut.end()
        mark = _PAGE_MARK.match(text, cut.end())
        line = text[max(text.rfind("\n", 0, cut.start()) + 1, cut.start() - _MIN_CUT_LINE) : cut.start()]
        # The page's number, or any number cutting a figure in two ("15.0\n3、8").
        cuts_number = (
            mark is not None
            and line[-1:] in tuple("0123456789.")
            and text[mark.end() : mark.end() + 1].isdigit()
        )
        if mark is not None and (int(mark.group(1)) == page or cuts_number):
            position, page = mark.end(), page + 1
        elif not (
            len(line) >= _MIN_CUT_LINE
            and (is_cjk(line[-1]) or line[-1] in _CLAUSE_GOES_ON)
            and position < len(text)
            and is_cjk(text[position])
        ) and not (line and _CUT_FIGURE.match(line[-1] + text[position : position + 1])):
            newline = text.index("\n", cut.start())
            kept.append((newline, newline + 1))  # one newline: a sentence end
    if not kept:
        return _Text(text, origin)
    kept.append((position, len(text)))
    return _Text("".join(text[a:b] for a, b in kept), origin.cut(kept))


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    return (match.span() for match in _SENTENCE.finditer(text))
