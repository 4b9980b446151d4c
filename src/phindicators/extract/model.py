"""What the extractor finds: mentions of indicator figures, their counts and qualifiers."""

from __future__ import annotations

import attrs

from ..audit import Status, Verdict
from ..figures import Figure
from ..model import Indicator, Term


@attrs.frozen
class Qualifier:
    """A period, area or group the text attaches to a mention ("1-10月", "农村").

    ``kind`` is ``"period"``, ``"area"`` or ``"group"``; ``start``/``end`` are
    offsets into the original text.

    Examples
    --------
    >>> from phindicators.extract import extract
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
    >>> from phindicators.extract import extract
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
    >>> from phindicators.extract import extract
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
        shared with the next one: "传染病疫情、突发公共卫生事件信息报告率", or
        with its table column's header: "卡介苗" under "接种率(%)").
    figure : Figure
        The printed figure, in the indicator's unit when it printed none.
    start, end : int
        Offsets of the mention (name through figure) in the original text.
    figure_start, figure_end : int
        Offsets of the figure alone.
    role : str
        ``"value"``; ``"target"`` when the sentence presents the figure as
        a target or requirement; ``"bound"`` when the figure only bounds the
        value ("95%以上", "不到5‰", "低于8‰"; "左右" is a value, approximately).
    qualifiers : tuple of Qualifier
        Period (a year, a range of years, "1-10月", "去年"), area ("城市",
        "农村") and group the text attaches to the figure.
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
    >>> from phindicators.extract import extract
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


@attrs.frozen
class Miss:
    """A rate-like figure of a text that no mention attributes, and why.

    Attributes
    ----------
    figure : Figure or None
        The printed figure ("98.7%"); None for an ``"unreadable number"``,
        whose value the text does not give.
    start, end : int
        Offsets of the figure in the original text.
    reason : str
        ``"not a value"``, ``"unknown indicator"``, ``"ambiguous label"``,
        ``"no label"`` or ``"unreadable number"`` (see
        :func:`phindicators.extract.misses`).
    label : str
        The words that named it, if any ("工作考核达标率").
    printed : str
        The figure as the text prints it (by default the figure's text).

    Examples
    --------
    >>> from phindicators.extract import misses
    >>> miss = misses("工作考核达标率为3.2%。")[0]
    >>> miss.reason, miss.label, miss.start, miss.printed
    ('unknown indicator', '工作考核达标率', 8, '3.2%')
    >>> miss = misses("住院分娩率为10 0 %。")[0]  # OCR: 100% or 10.0%?
    >>> miss.figure, miss.printed, miss.reason
    (None, '10 0 %', 'unreadable number')
    """

    figure: Figure | None
    start: int
    end: int
    reason: str
    label: str = ""
    printed: str = attrs.field(
        default=attrs.Factory(lambda self: "" if self.figure is None else self.figure.text, takes_self=True)
    )
