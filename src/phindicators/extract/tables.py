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
one figure a year.

A table copied column by column arrives as a header cell, the names, a rate's
header with its unit and as many numbers as names::

    疫苗名称
    卡介苗
    乙肝第一剂次
    接种率(%)
    99.78
    100

A name that, completed by the rate's header (卡介苗接种率) or alone, is a
catalog name gives its number. Anything less regular is left to the sentence
reader.
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
#: A column's header: a rate's name and its unit ("接种率(%)").
_RATE_HEADER = re.compile(r"[ ]*(?P<rate>[\u4e00-\u9fff]{1,10}率)[ ]*(?:\((?P<sign>%|‰)\))?[ ]*")
_SIGN_UNITS = {"%": "percent", "‰": "permille"}
_DIGIT = re.compile(r"\d")
#: The most names a column of a flattened table is looked for over, and the
#: longest cell (a table's cells are short; both bound the work per line).
_MAX_COLUMN = 40
_MAX_CELL = 24


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
    columns = _columns(text, lines)
    while index < len(lines):
        start, end = lines[index]
        column = columns.get(index)
        if column is not None:
            names, rate_header, cells, index = column
            yield from _column_mentions(lexicon, prepared, names, rate_header, cells)
            continue
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


def _columns(
    text: str, lines: list[tuple[int, int]]
) -> dict[int, tuple[list[tuple[int, int]], re.Match[str], list[tuple[int, int]], int]]:
    """The column tables of the lines, by the index of their header cell: the
    name cells, the rate's header, as many number cells, and the index of the
    line after them.

    Found from each rate's header in one pass: the numbers after it (up to
    the first line that is not one) say how many names stand before it, and
    the cell before those is the table's header.
    """
    kinds = [_cell(text, line) for line in lines]
    found = {}
    for run, kind in enumerate(kinds):
        if kind is not True:
            continue
        count = 0
        while run + 1 + count < len(lines) and _NUMBER_CELL.fullmatch(text, *lines[run + 1 + count]):
            count += 1
        first = run - count  # the first name
        if not 2 <= count <= _MAX_COLUMN or first < 1:
            continue
        if any(kind is not False for kind in kinds[first - 1 : run]):
            continue
        header = _RATE_HEADER.fullmatch(text, *lines[run])
        assert header is not None
        found[first - 1] = (lines[first:run], header, lines[run + 1 : run + 1 + count], run + 1 + count)
    return found


def _cell(text: str, line: tuple[int, int]) -> bool | None:
    """False for a short cell of words (a name or a table's header), True for a
    rate's header ("接种率(%)"), None for anything else (a number, a sentence)."""
    start, end = line
    if end - start > _MAX_CELL or _DIGIT.search(text, start, end):
        return None
    return _RATE_HEADER.fullmatch(text, start, end) is not None


def _column_mentions(
    lexicon: _Lexicon,
    prepared: _Text,
    names: list[tuple[int, int]],
    header: re.Match[str],
    cells: list[tuple[int, int]],
) -> Iterator[Mention]:
    text = prepared.text
    unit = _SIGN_UNITS.get(header["sign"] or "")
    for (name_start, name_end), (cell_start, _) in zip(names, cells, strict=True):
        name = text[name_start:name_end]
        indicator = lexicon.indicators.get(name + header["rate"]) or lexicon.indicators.get(name)
        if indicator is None or (unit is not None and indicator.unit != unit):
            continue  # a dose or vaccine the catalog lacks, or a rate in another unit
        found = _indicator_figure(lexicon, text, cell_start, indicator)
        if found is None:
            continue
        figure, figure_end = found
        choice = _judge(indicator, figure, (), (), False)
        span = prepared.span(name_start, name_end)
        figure_span = prepared.span(cell_start, figure_end)
        yield Mention(
            indicator=indicator,
            label=name,
            match="coordinated",
            figure=figure,
            start=span[0],
            end=figure_span[1],
            figure_start=figure_span[0],
            figure_end=figure_span[1],
            role="value",
            qualifiers=(),
            counts=(),
            numerator=None,
            denominator=None,
            candidates=(),
            verdict=choice.verdict,
        )
