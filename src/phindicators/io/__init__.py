"""Bytes from outside into text and tables: files, stdin, encodings, spreadsheets.

See :mod:`phindicators.io.tables`. The readers (pandas, python-calamine,
openpyxl, charset-normalizer, pyarrow) are imported when a table is read.
"""

from .tables import (
    LINES,
    decode,
    detect_encoding,
    open_table,
    read_arrow,
    read_table,
    scorecard_output,
    write_scorecard,
    write_table,
)

__all__ = [
    "LINES",
    "decode",
    "detect_encoding",
    "open_table",
    "read_arrow",
    "read_table",
    "scorecard_output",
    "write_scorecard",
    "write_table",
]
