"""Bytes from outside into text and tables: files, stdin, encodings, spreadsheets, documents.

See :mod:`phindicators.io.tables` and :mod:`phindicators.io.documents`. The readers (pandas, python-calamine,
openpyxl, charset-normalizer, pyarrow) are imported when a table is read.
"""

from .documents import read_document
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
    "read_document",
    "read_arrow",
    "read_table",
    "scorecard_output",
    "write_scorecard",
    "write_table",
]
