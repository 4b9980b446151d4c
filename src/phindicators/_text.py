"""Values as error messages show them: one copy, shared by every module.

Messages quote what the caller gave (``repr``), shortened when long, and
huge integers by their order of magnitude: their digits would flood the
message, and beyond 4 300 digits Python refuses to print them at all.

Examples
--------
>>> shown(0.1 + 0.2), shown(10**40), shown("x" * 100)[-5:]
('0.30000000000000004', 'about 10**40', 'xx...')
>>> number(3.0), number(2.5)
('3', '2.5')
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = [
    "FORMULA_FIRST_CHARACTERS",
    "FORMULA_START",
    "SHOWN_CHARACTERS",
    "csv_safe",
    "csv_safe_texts",
    "number",
    "shown",
]

#: Python ints from this size on are shown by their order of magnitude.
_SHOWN_BELOW = 10**30

#: The longest ``repr`` a message quotes whole.
SHOWN_CHARACTERS = 80


def shown(value: object) -> str:
    """``repr(value)`` for an error message: the value the caller gave,
    never a rounded one, shortened past :data:`SHOWN_CHARACTERS`, and a huge
    int by its order of magnitude.

    Examples
    --------
    >>> shown(-(10**31))
    'about -10**31'
    """
    if isinstance(value, int) and not isinstance(value, bool) and not -_SHOWN_BELOW < value < _SHOWN_BELOW:
        return f"about {'-' if value < 0 else ''}10**{int(math.log10(abs(value)))}"
    try:
        text = repr(value)
    except ValueError:  # e.g. a Fraction or a container of ints too long to print
        return f"a {type(value).__name__} too large to print"
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 3] + "..."


def number(value: object) -> str:
    """A count as a message shows it: whole numbers without ".0".

    Examples
    --------
    >>> number(2158.0), number(float("nan"))
    ('2158', 'nan')
    """
    as_float = float(value)  # type: ignore[arg-type]
    return str(int(as_float)) if as_float.is_integer() else repr(as_float)


#: The characters a text cell starts with when a spreadsheet would run it as
#: a formula: ``= + - @``, a tab or a carriage return (OWASP, "CSV injection").
FORMULA_FIRST_CHARACTERS = frozenset("=+-@\t\r")
#: A text cell that starts like a formula.
FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def csv_safe(text: str) -> str:
    """``text`` for a CSV cell: a cell that starts like a formula gets a
    leading apostrophe, so that a spreadsheet shows it instead of running it;
    nothing else changes (a leading tab is kept after the apostrophe).

    Examples
    --------
    >>> csv_safe("=SUM(A1)"), csv_safe("@A1"), csv_safe("甲县")
    ("'=SUM(A1)", "'@A1", '甲县')
    >>> csv_safe(chr(9) + "=1+1") == "'" + chr(9) + "=1+1"
    True
    """
    return "'" + text if FORMULA_START.match(text) else text


def csv_safe_texts(texts: Any) -> Any:
    """:func:`csv_safe` of every cell of a pyarrow string
    array (or chunked array): a cell that starts like a formula (``= + - @``,
    tab, CR) gets a leading apostrophe, so that a spreadsheet shows it
    instead of running it. The array itself comes back when no cell needs it
    (one cheap pass over the first characters; the library's own texts
    never do).

    Examples
    --------
    >>> import pyarrow as pa
    >>> csv_safe_texts(pa.array(["=1+1", "甲县", None, "-A1"])).to_pylist()
    ["'=1+1", '甲县', None, "'-A1"]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    first = pc.utf8_slice_codeunits(texts, 0, 1)
    starts = pa.array(sorted(FORMULA_FIRST_CHARACTERS), pa.string())
    if not pc.any(pc.is_in(first, value_set=starts)).as_py():
        return texts
    return pc.replace_substring_regex(texts, pattern=f"({FORMULA_START.pattern})", replacement="'\\1")
