"""Reading the figures that reports print: "95.52%", "92.68/十万", "1.1万", "95%以上".

A :class:`Figure` keeps what the text says and nothing more: the number exactly
as printed (a :class:`~decimal.Decimal`), the unit its sign names (a name from
:data:`phindicators.units.UNITS`), how many decimals were printed (which is
what the precision of the figure is) and whether it is a value or a bound
("95%以上" says *at least* 95 %). :func:`parse_figure` reads one figure;
:func:`match_figure` finds the figure that starts at a position of a longer,
already normalized text (the extractor uses it).

The grammar is three small tables: unit signs, count words and bound words.
Text is normalized character by character the way catalog names are
(:func:`phindicators.catalog.normalize_name`: full width → half width, so
"９５．５２％" reads as "95.52%").

Examples
--------
>>> figure = parse_figure("92.68/十万")
>>> figure.value, figure.unit, figure.decimals
(Decimal('92.68'), 'per_hundred_thousand', 2)
>>> str(parse_figure("1.1万").value)
'11000'
>>> parse_figure("95%以上").bound
<Bound.AT_LEAST: 'at_least'>
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from .catalog import normalize_name
from .errors import InvalidTypeError, ParseError
from .units import UNITS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .model import Indicator

__all__ = ["Bound", "Figure", "match_figure", "normalize_text", "parse_figure"]


class Bound(enum.StrEnum):
    """What a figure says about the true value: equal to it, or a bound on it.

    Examples
    --------
    >>> parse_figure("超过90%").bound, parse_figure("20/10万以下").bound
    (<Bound.MORE_THAN: 'more_than'>, <Bound.AT_MOST: 'at_most'>)
    """

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    APPROXIMATELY = "approximately"


#: Signs printed after a number: sign → (unit name, power of ten the number is
#: multiplied by). "21507万元" is 21507 in 万元; "1.1万" is 11 000 counted; "0.59亿元"
#: is 5 900 万元. Longest signs are tried first.
UNIT_SIGNS: dict[str, tuple[str, int]] = {
    "%": ("percent", 0),
    "‰": ("permille", 0),
    "‱": ("per_ten_thousand", 0),
    "/‰": ("permille", 0),  # "6.44/‰": a slash left over from "/1000"
    "/100000": ("per_hundred_thousand", 0),
    "/10万": ("per_hundred_thousand", 0),
    "/十万": ("per_hundred_thousand", 0),
    "/10000": ("per_ten_thousand", 0),
    "/万": ("per_ten_thousand", 0),
    "/1000": ("per_thousand", 0),
    "/千": ("per_thousand", 0),
    "亿元": ("wan_yuan", 4),
    "万元": ("wan_yuan", 0),
    "元": ("yuan", 0),
    "亿": ("count", 8),
    "万": ("count", 4),
}

#: Words printed before a number that name its unit: "百分之95".
UNIT_PREFIXES: dict[str, str] = {
    "百分之": "percent",
    "千分之": "permille",
    "万分之": "per_ten_thousand",
    "十万分之": "per_hundred_thousand",
    # "每10万活产儿64.1例": the base and what was counted, before the number.
    "每10万活产儿": "per_hundred_thousand",
    "每10万活产": "per_hundred_thousand",
    "每10万名活产婴儿": "per_hundred_thousand",
    "每十万名活产婴儿": "per_hundred_thousand",
    "每千活产儿": "permille",
    "每千名活产婴儿": "permille",
    "每1000名活产儿": "permille",
}

#: Words that say what was counted ("2164人", "380户/次"): the figure is a count.
COUNT_WORDS: tuple[str, ...] = (
    "户/次",
    "人/次",
    "人次",
    "户次",
    "人",
    "名",
    "例",
    "户",
    "对",
    "家",
    "个",
    "所",
    "起",
    "件",
)

#: Bound words printed before the number.
BOUND_PREFIXES: dict[str, Bound] = {
    "≥": Bound.AT_LEAST,
    ">=": Bound.AT_LEAST,
    "⩾": Bound.AT_LEAST,
    "≧": Bound.AT_LEAST,
    "不低于": Bound.AT_LEAST,
    "不少于": Bound.AT_LEAST,
    "不小于": Bound.AT_LEAST,
    # How targets are phrased ("孕产妇系统管理率达到90%"); the extractor reads a
    # "达到" that follows an indicator's name as the verb of a report instead.
    "达到": Bound.AT_LEAST,
    ">": Bound.MORE_THAN,
    "超过": Bound.MORE_THAN,
    "高于": Bound.MORE_THAN,
    "大于": Bound.MORE_THAN,
    "多于": Bound.MORE_THAN,
    "≤": Bound.AT_MOST,
    "<=": Bound.AT_MOST,
    "⩽": Bound.AT_MOST,
    "≦": Bound.AT_MOST,
    "不超过": Bound.AT_MOST,
    "不高于": Bound.AT_MOST,
    "不大于": Bound.AT_MOST,
    "不多于": Bound.AT_MOST,
    "<": Bound.LESS_THAN,
    "低于": Bound.LESS_THAN,
    "小于": Bound.LESS_THAN,
    "少于": Bound.LESS_THAN,
    "不足": Bound.LESS_THAN,
    "不到": Bound.LESS_THAN,
    "约": Bound.APPROXIMATELY,
    "约为": Bound.APPROXIMATELY,
    "大约为": Bound.APPROXIMATELY,
    "大约": Bound.APPROXIMATELY,
}

#: Bound words printed after the figure ("95%以上").
BOUND_SUFFIXES: dict[str, Bound] = {
    "以上": Bound.AT_LEAST,
    "及以上": Bound.AT_LEAST,
    "以下": Bound.AT_MOST,
    "及以下": Bound.AT_MOST,
    "以内": Bound.AT_MOST,
    "左右": Bound.APPROXIMATELY,
}


def alternatives(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, the longest first (nothing if none).

    Shared with :mod:`phindicators.extract`, which builds its name patterns
    the same way; not part of the public API (``__all__``).

    Examples
    --------
    >>> alternatives(["以上", "及以上"])
    '及以上|以上'
    """
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True)) or "(?!)"


def trie_alternatives(words: Iterable[str]) -> str:
    """:func:`alternatives` factored by common prefixes: the same matches (at a
    position, the longest word), found without trying every word in turn.

    For long word lists (the catalog's names and labels): Python's regex
    engine tries the branches of an alternation one by one at each position
    of the text, so a list of hundreds of names made each position cost
    hundreds of tries. Not part of the public API (``__all__``).

    Examples
    --------
    >>> trie_alternatives(["以上", "及以上", "以下"])
    '以(?:上|下)|及以上'
    >>> re.match(trie_alternatives(["死亡", "死亡率"]), "死亡率为").group()
    '死亡率'
    """
    root: dict[str, dict] = {}
    for word in set(words):
        if not word:
            continue
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A word may end here: the longer words are tried first, this end last.
        return f"(?:{body})?" if "" in node else body

    branches = [re.escape(char) + pattern(child) for char, child in sorted(root.items())]
    return "|".join(branches) or "(?!)"


def _figure_pattern(grouping: bool) -> re.Pattern[str]:
    # Thousands separators are read only in a figure on its own: in running
    # Chinese text "," also separates clauses ("体检215名,100%").
    number = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?" if grouping else r"\d+(?:\.\d+)?"
    return re.compile(
        rf"(?:(?P<pre_bound>{alternatives(BOUND_PREFIXES)})[ ]*)?"
        rf"(?P<pre_unit>{alternatives(UNIT_PREFIXES)})?"
        rf"(?P<number>{number})(?![\d.])"
        rf"(?:[ ]*(?P<unit>{alternatives(UNIT_SIGNS)}))?"
        rf"(?:[ ]?(?P<count_word>{alternatives(COUNT_WORDS)}))?"
        rf"(?:[ ]*(?P<post_bound>{alternatives(BOUND_SUFFIXES)}))?"
    )


#: Why a text is not a figure, tried in order; the last one always applies.
_DIAGNOSES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"^$", "empty text"),
        (r"[a-z*]\d|\d[a-z*]", "digits are masked or mixed with letters"),
        (r"百分点", "a change in percentage points is not a value"),
        (r"^\D*$", "no number"),
        (
            r"",
            ("not a figure (expected a number with an optional unit sign such as %, ‰, "
            "/10万, 万元 or 元, and an optional bound word such as 以上 or ≥)"),
        ),
    )
)

_STANDALONE = _figure_pattern(grouping=True)
_RUNNING = _figure_pattern(grouping=False)


def normalize_text(text: str) -> str:
    """Normalize report text for reading figures and names, one character at a time.

    Every character is folded as catalog names are (full width → half width,
    case-folded, dashes unified), each line break becomes a newline and any
    other whitespace character a space, so that every character of the result
    comes from one character of the original.

    Examples
    --------
    >>> normalize_text("９５．５２％ ０～６岁")
    '95.52% 0-6岁'
    """
    return "".join(map(_normalize_char, text))


def _normalize_char(char: str) -> str:
    if char in "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85":
        return "\n"
    if char.isspace():
        return " "
    return normalize_name(char)


@attrs.frozen
class Figure:
    """A figure as a report prints it.

    Attributes
    ----------
    value : Decimal
        The number exactly as printed, scaled by any magnitude word: "1.1万"
        is ``Decimal('11000')``; "21507万元" is 21507 (in 万元).
    unit : str or None
        A unit of :data:`phindicators.units.UNITS`, or None for a bare number
        read without an indicator.
    decimals : int
        Decimal places printed, in ``unit``: 2 for "95.52%", -3 for "1.1万"
        (printed to the thousand). The printed precision is ``10**-decimals``.
    bound : Bound
        ``EXACT`` for a value; otherwise what the figure bounds.
    text : str
        The original text.
    unit_printed : bool
        False when the unit was taken from the indicator because the text
        printed a bare number ("婴儿死亡率…10.66").
    count_word : str
        What was counted, when printed ("人" in "2164人"); the figure is then
        a count (or an amount of money).

    Examples
    --------
    >>> figure = parse_figure("96.1%")
    >>> figure.tolerance
    Decimal('0.05')
    >>> float(figure)
    96.1
    """

    value: Decimal
    unit: str | None
    decimals: int
    bound: Bound
    text: str
    unit_printed: bool = True
    count_word: str = ""

    @property
    def tolerance(self) -> Decimal:
        """Half a unit in the last printed place: what rounding may have moved."""
        return Decimal(5).scaleb(-self.decimals - 1)

    def for_indicator(self, indicator: Indicator) -> Figure:
        """This figure read as a value of ``indicator``: a bare number takes the
        indicator's unit; a printed unit must be able to express it.

        Raises
        ------
        ParseError
            Quoting the text, if the printed unit cannot express the
            indicator ("1352元" for a percentage, a count for a rate).

        Examples
        --------
        >>> from phindicators import get
        >>> parse_figure("10.66").for_indicator(get("infant_mortality_rate")).unit
        'permille'
        """
        if self.unit is None:
            return attrs.evolve(self, unit=indicator.unit, unit_printed=False)
        printed, wanted = UNITS[self.unit], UNITS[indicator.unit]
        if printed.dimension != wanted.dimension or (self.unit == "count") != (indicator.unit == "count"):
            raise ParseError(
                self.text,
                f"{self.unit} cannot express {indicator.name_zh} ({indicator.id}), "
                f"which is in {indicator.unit}",
            )
        return self

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return self.text


def match_figure(text: str, pos: int = 0) -> tuple[Figure, int] | None:
    """Read the figure that starts exactly at ``pos`` of normalized text.

    ``text`` must already be normalized (:func:`normalize_text`); the result's
    ``text`` is the matched slice. Thousands separators are not read here,
    because in running Chinese text a comma separates clauses.

    Returns
    -------
    (Figure, end) or None
        The figure and the offset just after it, or None when no figure
        starts at ``pos`` (a number glued to a preceding digit or letter, as in
        the masked "xx36", does not start a figure).

    Examples
    --------
    >>> figure, end = match_figure("发证率96.1%,全市", 3)
    >>> figure.value, end
    (Decimal('96.1'), 8)
    >>> match_figure("xx36人次", 2) is None
    True
    """
    if pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == ".") and not is_cjk(text[pos - 1]):
        return None
    found = _RUNNING.match(text, pos)
    if found is None:
        return None
    try:
        return _from_match(found, found.group()), found.end()
    except ParseError:
        return None


def parse_figure(text: str, indicator: Indicator | None = None) -> Figure:
    """Read one printed figure.

    Parameters
    ----------
    text : str
        What the report prints: "95.52%", "10.66‰", "92.68/10万",
        "92.68/十万", "1.1万", "21507万元", "1352元", "95%以上", "≥95%",
        "达到100%", "2164人", "0"; full-width characters are accepted.
    indicator : Indicator, optional
        Gives the unit of a bare number ("2.36" for 千人口托位数 is per 1 000),
        and rules out a printed unit that cannot express the indicator.

    Returns
    -------
    Figure

    Raises
    ------
    ParseError
        Quoting the text, when it is not exactly one figure (empty text,
        words around the number, a masked number such as "xx36", two
        conflicting bounds) or its unit cannot express ``indicator``.
    InvalidTypeError
        A :class:`TypeError`, if ``text`` is not a string.

    Examples
    --------
    >>> parse_figure("９５．５２％").value
    Decimal('95.52')
    >>> parse_figure("21507万元").unit
    'wan_yuan'
    >>> from phindicators import get
    >>> parse_figure("2.36", get("infant_mortality_rate")).unit
    'permille'
    >>> parse_figure("增加2.5个百分点")
    Traceback (most recent call last):
    ...
    phindicators.errors.ParseError: cannot read '增加2.5个百分点': a change in percentage points ...
    """
    if not isinstance(text, str):
        raise InvalidTypeError(f"parse_figure reads a string, got {type(text).__name__}")
    normalized = normalize_text(text).strip()
    found = _STANDALONE.fullmatch(normalized)
    if found is None:
        raise ParseError(text, next(m for p, m in _DIAGNOSES if p.search(normalized)))
    figure = _from_match(found, text)
    return figure if indicator is None else figure.for_indicator(indicator)


#: The most digits a printed figure may have. No report prints more, and
#: exact arithmetic on a figure of thousands of digits would take unbounded
#: time (and Python refuses to print integers of more than 4 300 digits).
MAX_DIGITS = 50


def _from_match(found: re.Match[str], text: str) -> Figure:
    number = found["number"].replace(",", "")
    if len(number) - ("." in number) > MAX_DIGITS:
        raise ParseError(text, f"more than {MAX_DIGITS} digits: not a printed figure")
    digits = number.partition(".")[2]
    pre_unit, sign = found["pre_unit"], found["unit"]
    if pre_unit and sign:
        raise ParseError(text, f"two units ({pre_unit!r} and {sign!r})")
    unit, power = (UNIT_PREFIXES[pre_unit], 0) if pre_unit else UNIT_SIGNS.get(sign or "", (None, 0))
    count_word = found["count_word"] or ""
    if count_word and pre_unit:
        count_word = ""  # "每10万活产儿64.1例": the deaths counted per 10万, a rate
    if count_word:
        if unit not in (None, "count", "yuan", "wan_yuan"):
            raise ParseError(text, f"a count word ({count_word!r}) after a rate sign ({sign!r})")
        unit = unit or "count"
    pre_bound, post_bound = found["pre_bound"], found["post_bound"]
    bounds = {BOUND_PREFIXES[pre_bound]} if pre_bound else set()
    if post_bound:
        bounds.add(BOUND_SUFFIXES[post_bound])
    if len(bounds) > 1:
        raise ParseError(text, f"conflicting bound words ({', '.join(sorted(bounds))})")
    decimals = len(digits) - power
    return Figure(
        value=_shifted(number, power),
        unit=unit,
        decimals=decimals,
        bound=bounds.pop() if bounds else Bound.EXACT,
        text=text,
        unit_printed=unit is not None,
        count_word=count_word,
    )


def _shifted(number: str, power: int) -> Decimal:
    """``number`` × 10**power, exactly: the decimal point moves, nothing is rounded
    ("1.1", 4 -> 11000). Decimal arithmetic would round to 28 digits."""
    if not power:
        return Decimal(number)  # most figures: a plain number has no positive exponent
    sign, digits, exponent = Decimal(number).as_tuple()
    exponent = int(exponent) + power
    if exponent > 0:  # print whole numbers without an exponent: 11000, not 1.1E+4
        digits, exponent = (*digits, *(0,) * exponent), 0
    return Decimal((sign, digits, exponent))


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a CJK ideograph (shared with :mod:`phindicators.extract`).

    Examples
    --------
    >>> is_cjk("率"), is_cjk("%")
    (True, False)
    """
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
