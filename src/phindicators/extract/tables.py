"""Tables flattened to one cell a line, as web pages and documents copy them.

A yearbook table pasted from a web page arrives as its cells, one a line::

    项目
    2013
    2014
    婴儿死亡率(‰)
    2.33
    2.42

The header's years are the periods, and a row whose first cell names an
indicator followed by exactly as many bare numbers as there are years gives
one figure a year. Anything less regular is left to the sentence reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .judging import _judge
from .labels import _Lexicon
from .matching import _Anchor, _anchors, _indicator_figure
from .model import Mention, Qualifier
from .reading import _Text

_YEAR_CELL = re.compile(r"[ ]*((?:19|20)\d{2})(?:年)?[ ]*")
_NUMBER_CELL = re.compile(r"[ ]*\d+(?:\.\d+)?[ ]*")
#: The fewest years that make a header.
_MIN_YEARS = 2


def _lines(text: str) -> list[tuple[int, int]]:
    """The non-blank lines of ``text`` as (start, end), spaces trimmed."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def table_mentions(lexicon: _Lexicon, prepared: _Text) -> Iterator[Mention]:
    """The mentions of the one-cell-a-line tables of a text (see the module)."""
    text = prepared.text
    lines = _lines(text)
    index = 0
    years: list[tuple[str, int, int]] = []
    while index < len(lines):
        start, end = lines[index]
        run = index
        header: list[tuple[str, int, int]] = []
        while run < len(lines) and (year := _YEAR_CELL.fullmatch(text, *lines[run])):
            header.append((year.group(1), *lines[run]))
            run += 1
        if len(header) >= _MIN_YEARS:
            years, index = header, run
            continue
        if years:
            cells = lines[index + 1 : index + 1 + len(years)]
            numeric = len(cells) == len(years) and all(_NUMBER_CELL.fullmatch(text, *c) for c in cells)
            after = lines[index + 1 + len(years)] if index + 1 + len(years) < len(lines) else None
            if numeric and not (after and _NUMBER_CELL.fullmatch(text, *after)):
                anchors = _anchors(lexicon, text, start, end)
                if anchors:
                    yield from _row(lexicon, prepared, anchors[0], cells, years)
                    index += 1 + len(years)
                    continue
        index += 1


def _row(
    lexicon: _Lexicon,
    prepared: _Text,
    anchor: _Anchor,
    cells: list[tuple[int, int]],
    years: list[tuple[str, int, int]],
) -> Iterator[Mention]:
    text = prepared.text
    for (cell_start, _), (year, year_start, year_end) in zip(cells, years, strict=True):
        found = _indicator_figure(lexicon, text, cell_start, anchor.indicator)
        if found is None:
            continue
        figure, figure_end = found
        choice = _judge(anchor.indicator, figure, (), (), False)
        span = prepared.span(anchor.start, anchor.end)
        figure_span = prepared.span(cell_start, figure_end)
        period = prepared.span(year_start, year_end)
        yield Mention(
            indicator=anchor.indicator,
            label=text[anchor.start : anchor.end],
            match=anchor.match,
            figure=figure,
            start=span[0],
            end=figure_span[1],
            figure_start=figure_span[0],
            figure_end=figure_span[1],
            role="value",
            qualifiers=(Qualifier("period", year, period[0], period[1]),),
            counts=(),
            numerator=None,
            denominator=None,
            candidates=(),
            verdict=choice.verdict,
        )
