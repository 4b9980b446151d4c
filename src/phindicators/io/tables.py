"""Tables from outside: CSV in any encoding Chinese offices save, spreadsheets, stdin.

:func:`read_table` reads a CSV file in UTF-8 (with or without a byte-order
mark), GB18030/GBK (what Excel on Chinese Windows saves) or UTF-16, telling
them apart by their bytes (or taking ``encoding=``); ``.xlsx`` and ``.xls``
by their extension; ``-`` for stdin. :func:`write_table` writes CSV, xlsx,
JSON or parquet by the extension of the destination.

Well-kept readers do the parsing: pandas' C parser for CSV (it reads
"1,270" as 1270 when a count cell is quoted), python-calamine (Rust, reads
both .xlsx and .xls) or openpyxl for spreadsheets, charset-normalizer to
guess an encoding, pyarrow's multithreaded writer for CSV when installed.
They are imported when a table is read, never by ``import phindicators``.
"""

from __future__ import annotations

import codecs
import csv
import errno
import importlib.util
import io
import os
import sys
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from .._files import MAX_INPUT_BYTES, read_bytes
from .._text import FORMULA_START, csv_safe, csv_safe_texts
from ..errors import FileError, InvalidOptionError, ParseError
from ..scorecard.reading import LINES_ATTRIBUTE

__all__ = [
    "EXCEL_EXTENSIONS",
    "LINES",
    "WRITERS",
    "decode",
    "detect_encoding",
    "open_table",
    "read_arrow",
    "read_table",
    "scorecard_output",
    "write_scorecard",
    "write_table",
]

#: Extensions read as spreadsheets.
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")

#: The key of ``DataFrame.attrs`` (and of a pyarrow table's schema
#: metadata) under which the readers keep the line of the file each row
#: comes from: a scorecard reports errors by it.
LINES = LINES_ATTRIBUTE

#: Byte-order marks, longest first (UTF-32's starts with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


#: Codecs read as GB18030, their superset.
_CHINESE = frozenset({"gb18030", "gbk", "gb2312", "hz"})
#: How much more "chaos" (charset-normalizer's measure of mess) a Chinese
#: reading may show than the best guess and still win.
_CHAOS_MARGIN = 0.02


def _pandas() -> Any:
    try:
        import pandas
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "reading tables needs pandas: pip install 'phindicators[frames]'", name="pandas"
        ) from None
    return pandas


def marked_or_utf8(data: bytes) -> str | None:
    """The encoding bytes say they are in: a byte-order mark, else UTF-8 if
    they decode as UTF-8; None when neither tells (then a guess is needed).

    Examples
    --------
    >>> marked_or_utf8(codecs.BOM_UTF16_LE + "率".encode("utf-16-le")), marked_or_utf8("率".encode("gbk")) is None
    ('utf-16', True)
    """
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def detect_encoding(data: bytes) -> str:
    """The encoding of a table's bytes.

    A byte-order mark decides; else text that decodes as UTF-8 is UTF-8;
    else charset-normalizer's best guess (GB18030 for GBK bytes, UTF-16 for
    UTF-16 without a mark); GB18030 if it has none.

    Raises
    ------
    ModuleNotFoundError
        If the bytes are not UTF-8 and charset-normalizer is not installed
        (the ``frames`` extra); ``encoding=`` avoids the guess.

    Examples
    --------
    >>> detect_encoding("地区,活产数\\n甲县,2158\\n".encode("gbk"))
    'gb18030'
    >>> detect_encoding(b"\\xef\\xbb\\xbfarea\\n")
    'utf-8-sig'
    """
    plain = marked_or_utf8(data)
    if plain is not None:
        return plain
    try:
        import charset_normalizer
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "the table is not UTF-8; telling its encoding needs charset-normalizer: "
            "pip install 'phindicators[frames]', or give the encoding (--encoding gb18030)",
            name="charset_normalizer",
        ) from None
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return "gb18030"
    # A short table's bytes are often equally good as GB18030 and as Korean
    # or Japanese codes; the tables this library reads are Chinese, so a
    # Chinese code as clean as the best guess wins. GBK and GB2312 are
    # subsets of GB18030: read with the superset.
    for match in matches:
        if codecs.lookup(match.encoding).name in _CHINESE and match.chaos <= best.chaos + _CHAOS_MARGIN:
            return "gb18030"
    return codecs.lookup(best.encoding).name


def decode(
    data: bytes,
    encoding: str | None = None,
    name: str = "<table>",
    *,
    detect: Callable[[bytes], str] | None = None,
) -> str:
    """A table's bytes as text, in ``encoding`` or the detected one.

    Raises
    ------
    ParseError
        If the bytes are not valid in the encoding (named in the message).
    InvalidOptionError
        An unknown encoding name.

    Examples
    --------
    >>> decode("甲县,2158".encode("utf-16"))
    '甲县,2158'
    """
    if encoding is None:
        encoding = (detect or detect_encoding)(data)
    else:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise InvalidOptionError(f"unknown encoding {encoding!r} (e.g. utf-8, gb18030, utf-16)") from None
        if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ParseError(
            name,
            f"not valid {encoding} at byte {error.start}; give the file's encoding "
            "(encoding=..., --encoding gb18030)",
        ) from None


def _bytes(source: str | os.PathLike[str] | bytes | IO[bytes] | IO[str]) -> tuple[bytes | str, str]:
    if isinstance(source, bytes):
        return source, "<bytes>"
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        if name == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
            if len(data) > MAX_INPUT_BYTES:
                raise FileError(errno.EFBIG, f"<stdin> holds more than the input limit of {MAX_INPUT_BYTES >> 20} MiB")
            return data, "<stdin>"
        # A regular file, at most MAX_INPUT_BYTES: never /dev/zero or a FIFO.
        return read_bytes(name), name
    if hasattr(source, "read"):
        return source.read(), str(getattr(source, "name", "<file>"))
    raise InvalidOptionError(
        f"a table is a path, '-' for stdin, bytes or an open file, got {type(source).__name__}"
    )


def _first_data_line(text: str) -> tuple[int, int]:
    """Where the header starts (in characters) and its line number, past
    ``#`` comment lines and blank lines before it."""
    offset, line = 0, 1
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped and not stripped.startswith("#"):
            break
        offset += len(raw)
        line += 1
    return offset, line


def _read_csv(text: str, name: str) -> Any:
    pd = _pandas()
    offset, header_line = _first_data_line(text)
    if not text[offset:].strip():
        raise ParseError(name, "no header row: a table starts with its column names")
    try:
        frame = pd.read_csv(
            io.StringIO(text[offset:]),
            thousands=",",
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except pd.errors.ParserError as error:
        raise ParseError(name, str(error)) from None
    # Rows that are empty everywhere (blank lines, the ",,,," spreadsheets
    # leave) go; the others keep their line in the file.
    lines = np.arange(len(frame), dtype=np.int64) + header_line + 1
    empty = frame.isna().all(axis=1).to_numpy()
    if empty.any():
        frame = frame.loc[~empty].reset_index(drop=True)
        lines = lines[~empty]
    frame.attrs[LINES] = lines
    return frame


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ValueError:  # a module set to None in sys.modules (tests do)
        return False


def _read_excel(data: bytes, name: str, sheet: str | int | None) -> Any:
    pd = _pandas()
    engines = [
        engine
        for module, engine in (("python_calamine", "calamine"), ("openpyxl", "openpyxl"))
        if _installed(module)
    ]
    if not engines:
        raise ModuleNotFoundError(
            "reading spreadsheets needs python-calamine or openpyxl: pip install 'phindicators[excel]'",
            name="python_calamine",
        )
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0 if sheet is None else sheet, engine=engines[0])
    except ValueError as error:
        raise ParseError(name, str(error)) from None
    frame = frame.dropna(how="all").reset_index(drop=True)
    # The header is row 1 of the sheet; rows follow it (empty ones dropped).
    return frame


def read_table(
    source: str | os.PathLike[str] | bytes | IO[bytes] | IO[str],
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
    excel: bool | None = None,
    name: str | None = None,
) -> Any:
    """Read a table into a pandas DataFrame.

    Parameters
    ----------
    source : path, "-", bytes or open file
        A CSV file, or a spreadsheet (by its extension, see
        :data:`EXCEL_EXTENSIONS`); ``"-"`` reads stdin.
    encoding : str, optional
        The CSV file's encoding (default: detected, see :func:`detect_encoding`).
    sheet : str or int, optional
        The sheet of a spreadsheet (default the first).
    excel : bool, optional
        Read as a spreadsheet whatever the name says (stdin, bytes).
    name : str, optional
        What messages call the table (default: its path, "<stdin>", "<bytes>").

    Returns
    -------
    pandas.DataFrame
        Counts as numbers where a column holds only numbers ("1,270" read
        as 1270), text elsewhere. Rows empty in every cell are dropped; for
        CSV, ``frame.attrs["phindicators_lines"]`` holds each row's line in
        the file.

    Raises
    ------
    ParseError
        Bytes not valid in the encoding, no header, a malformed file.
    ModuleNotFoundError
        A missing optional reader; the message names the extra to install.

    Examples
    --------
    >>> text = "# 2023 report\\n地区,活产数\\n甲县,\\"1,270\\"\\n乙县,1900\\n"
    >>> frame = read_table(text.encode("gb18030"))
    >>> frame["活产数"].tolist(), frame.attrs["phindicators_lines"].tolist()
    ([1270, 1900], [3, 4])
    """
    data, found = _bytes(source)
    name = name or found
    if excel is None:
        excel = os.path.splitext(name)[1].lower() in EXCEL_EXTENSIONS
    if excel:
        if isinstance(data, str):
            raise InvalidOptionError("a spreadsheet is read from bytes: open it in binary mode")
        return _read_excel(data, name, sheet)
    text = data if isinstance(data, str) else decode(data, encoding, name)
    return _read_csv(text, name)


def _utf8(data: bytes | str, encoding: str | None, name: str) -> bytes:
    """A CSV file's bytes as UTF-8 without a byte-order mark."""
    if isinstance(data, str):
        return data.encode("utf-8")
    if encoding is None and data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if encoding is None and detect_encoding(data) == "utf-8":
        return data  # the common case: no decoding
    return decode(data, encoding, name).encode("utf-8")


def read_arrow(
    source: str | os.PathLike[str] | bytes | IO[bytes] | IO[str],
    *,
    encoding: str | None = None,
    name: str | None = None,
) -> Any:
    """Read a CSV table into a pyarrow Table with pyarrow's multithreaded
    reader (the fastest reader here, for tables of millions of rows).

    Encodings are told apart as :func:`read_table` does. Columns are typed
    by pyarrow's inference, except that dates stay text as the file wrote
    them; quoted "1,270" stays text, for the reader of the counts to parse.
    Rows empty in every cell are dropped; the schema's metadata holds each
    row's line in the file under :data:`LINES` (int64 bytes).

    Raises
    ------
    ParseError
        As :func:`read_table`, and a malformed file (pyarrow's message).
    ModuleNotFoundError
        Without pyarrow (``pip install 'phindicators[parquet]'``).

    Examples
    --------
    >>> table = read_arrow("# 2023\\n地区,活产数\\n甲县,2158\\n\\n乙县,1900\\n".encode("gb18030"))
    >>> table.column("活产数").to_pylist(), table.schema.metadata[b"phindicators_lines"] != b""
    ([2158, 1900], True)
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pa_csv
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "read_arrow needs pyarrow: pip install 'phindicators[parquet]'", name="pyarrow"
        ) from None
    data, found = _bytes(source)
    name = name or found
    payload = _utf8(data, encoding, name)
    offset, header_line = _first_data_line(payload[:65536].decode("utf-8", errors="replace"))
    skipped = header_line - 1
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(payload),
            read_options=pa_csv.ReadOptions(skip_rows=skipped),
            parse_options=pa_csv.ParseOptions(ignore_empty_lines=False),
        )
    except pa.ArrowInvalid as error:
        raise ParseError(name, str(error)) from None
    # Dates (and other inferred types) back to the text the file gave.
    for index, field in enumerate(table.schema):
        kind = field.type
        if not (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_string(kind)):
            table = table.set_column(index, field.name, pc.cast(table.column(index), pa.string()))
    lines = np.arange(table.num_rows, dtype=np.int64) + header_line + 1
    kept = None
    for column in table.columns:
        present = pc.is_valid(column)
        if pa.types.is_string(column.type):
            filled = pc.not_equal(pc.utf8_trim_whitespace(column), "").fill_null(False)
            present = pc.and_(present, filled)
        kept = present if kept is None else pc.or_(kept, present)
    if kept is not None and not pc.all(kept).as_py():
        table = table.filter(kept)
        lines = lines[np.asarray(kept.to_numpy(zero_copy_only=False), dtype=bool)]
    return table.replace_schema_metadata({LINES: np.ascontiguousarray(lines).tobytes()})


def open_table(
    source: str | os.PathLike[str] | bytes | IO[bytes],
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> Any:
    """A table in the fastest form the installed readers give, for
    :func:`phindicators.scorecard.scorecard`: a spreadsheet through
    :func:`read_table`; CSV through :func:`read_arrow` with pyarrow, else
    :func:`read_table` with pandas, else its decoded text (an open text
    file, read by the scorecard's own CSV reader).

    Examples
    --------
    >>> table = open_table("地区,活产数\\n甲县,2158\\n".encode("gbk"))
    >>> type(table).__module__.split(".")[0] in ("pyarrow", "pandas", "io")
    True
    """
    name = os.fspath(source) if isinstance(source, str | os.PathLike) else str(getattr(source, "name", ""))
    if os.path.splitext(name)[1].lower() in EXCEL_EXTENSIONS:
        return read_table(source, sheet=sheet)
    data, name = _bytes(source)
    for module, reader in (("pyarrow", read_arrow), ("pandas", read_table)):
        if _installed(module):
            return reader(data, encoding=encoding, name=name)
    text = data if isinstance(data, str) else decode(data, encoding, name)
    buffer = io.StringIO(text)
    buffer.name = name
    return buffer


def _to_pandas(frame: Any) -> Any:
    """Any DataFrame narwhals knows, or a dict of columns, as pandas."""
    pd = _pandas()
    if isinstance(frame, pd.DataFrame):
        return frame
    if isinstance(frame, dict):
        return pd.DataFrame(frame)
    import narwhals as nw

    return nw.from_native(frame, eager_only=True).to_pandas()


def _safe_cell(cell: object) -> object:
    return csv_safe(cell) if isinstance(cell, str) else cell


def _safe_pandas(frame: Any) -> Any:
    """A pandas frame whose text cells (and header names) cannot run as
    formulas in a spreadsheet (:func:`phindicators._text.csv_safe`); numbers
    and dates stay as they are, so -3.2 is still the number -3.2. The frame
    itself comes back when nothing needs it."""
    safe = frame
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if column.dtype.kind in "biufcmM":
            continue
        cells = column.astype(object)
        if any(isinstance(cell, str) and FORMULA_START.match(cell) for cell in cells):
            if safe is frame:
                safe = frame.copy()
            safe.isetitem(position, cells.map(_safe_cell))
    names = [_safe_cell(name) for name in frame.columns]
    if names != list(frame.columns):
        if safe is frame:
            safe = frame.copy()
        safe.columns = names
    return safe


def _safe_arrow(table: Any) -> Any:
    """:func:`_safe_pandas` of a pyarrow table: its text columns (plain,
    large or dictionary-encoded) and header names, vectorised."""
    import pyarrow as pa

    columns = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_dictionary(kind) and (
            pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
        ):
            column = column.cast(kind.value_type)
            kind = kind.value_type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            column = csv_safe_texts(column)
        columns.append(column)
    return pa.table(columns, names=[csv_safe(str(name)) for name in table.column_names])


def _write_csv(frame: Any, destination: str | IO[Any]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ModuleNotFoundError:
        # Text quoted as pyarrow's writer quotes it: a CR inside a cell
        # would otherwise end the row (Python 3.11's csv quotes only the
        # line terminator's characters).
        _safe_pandas(_to_pandas(frame)).to_csv(
            destination, index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
        )
        return
    if isinstance(frame, pa.Table):
        table = frame
    elif isinstance(frame, dict):
        table = pa.table(frame)
    else:
        table = pa.Table.from_pandas(_to_pandas(frame), preserve_index=False)
    # Every text cell written is made safe (F14): the cells come from the
    # caller's files, and "=HYPERLINK(...)" must not run when opened.
    table = _safe_arrow(table)
    options = pa_csv.WriteOptions(quoting_style="needed")
    if isinstance(destination, str):
        pa_csv.write_csv(table, destination, write_options=options)
        return
    buffer = io.BytesIO()
    pa_csv.write_csv(table, buffer, write_options=options)
    payload = buffer.getvalue()
    if isinstance(destination, io.TextIOBase) or "b" not in getattr(destination, "mode", "b"):
        destination.write(payload.decode("utf-8"))
    else:
        destination.write(payload)


def _write_excel(frame: Any, destination: str | IO[bytes]) -> None:
    try:
        import openpyxl  # noqa: F401
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "writing .xlsx needs openpyxl: pip install 'phindicators[excel]'", name="openpyxl"
        ) from None
    # openpyxl stores a text cell that starts with "=" as a formula: text
    # cells are made safe as in CSV.
    _safe_pandas(_to_pandas(frame)).to_excel(destination, index=False, engine="openpyxl")


def _write_json(frame: Any, destination: str | IO[str]) -> None:
    _to_pandas(frame).to_json(destination, orient="records", force_ascii=False, indent=1)


def _write_parquet(frame: Any, destination: str | IO[bytes]) -> None:
    try:
        import pyarrow  # noqa: F401
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "writing parquet needs pyarrow: pip install 'phindicators[parquet]'", name="pyarrow"
        ) from None
    _to_pandas(frame).to_parquet(destination, index=False)


#: Writers by extension.
WRITERS: dict[str, Callable[[Any, Any], None]] = {
    ".csv": _write_csv,
    ".xlsx": _write_excel,
    ".json": _write_json,
    ".parquet": _write_parquet,
}


#: Scorecard outputs by the extension of the file written: the format, and
#: whether the file is binary.
SCORECARD_OUTPUTS: dict[str, tuple[str, bool]] = {
    ".csv": ("csv", False),
    ".json": ("json", False),
    ".txt": ("table", False),
    ".xlsx": ("xlsx", True),
    ".parquet": ("parquet", True),
}


def scorecard_output(path: str | os.PathLike[str]) -> tuple[str, bool] | None:
    """The format (and whether it is binary) a scorecard is written in to
    ``path``, by its extension; None for another extension.

    Examples
    --------
    >>> scorecard_output("out.xlsx"), scorecard_output("out.CSV"), scorecard_output("out.dat")
    (('xlsx', True), ('csv', False), None)
    """
    return SCORECARD_OUTPUTS.get(os.path.splitext(os.fspath(path))[1].lower())


def write_scorecard(card: Any, destination: IO[Any], format: str, *, lang: str = "zh") -> None:
    """Write a :class:`~phindicators.scorecard.Scorecard` to an open file:
    ``"csv"`` (:meth:`~phindicators.scorecard.Scorecard.write_csv`),
    ``"json"`` (its JSON document), ``"table"`` (plain text in ``lang``) to
    a text file; ``"xlsx"`` or ``"parquet"`` (the columns of
    :meth:`~phindicators.scorecard.Scorecard.records`) to a binary one.

    Raises
    ------
    InvalidOptionError
        An unknown format.
    ModuleNotFoundError
        A missing writer; the message names the extra.

    Examples
    --------
    >>> import io
    >>> from phindicators.scorecard import scorecard
    >>> card = scorecard([{"area": "甲县", "period": "2023", "live_births": 2158, "maternal_deaths": 2}])
    >>> out = io.StringIO()
    >>> write_scorecard(card, out, "csv")
    >>> out.getvalue().count("\\n")
    2
    """
    if format == "csv":
        card.write_csv(destination)
    elif format == "json":
        from .._json import json_text

        destination.write(json_text(card.to_json()))
    elif format == "table":
        destination.write(card.to_text(lang) + "\n")
    elif format in ("xlsx", "parquet"):
        WRITERS[f".{format}"](card.to_frame("pandas"), destination)
    else:
        raise InvalidOptionError(
            f"a scorecard is written as {', '.join(sorted({f for f, _ in SCORECARD_OUTPUTS.values()}))}, "
            f"got {format!r}"
        )


def write_table(frame: Any, destination: str | os.PathLike[str] | IO[Any], *, format: str | None = None) -> None:
    """Write a table (a DataFrame of any kind narwhals knows, a pyarrow
    table or a dict of columns) as CSV, xlsx, JSON or parquet, by the
    extension of ``destination`` or ``format`` (``"csv"``, ``"xlsx"``…).

    CSV is UTF-8 without a byte-order mark; JSON is a list of records. In
    CSV and xlsx, a text cell (or column name) that starts like a
    spreadsheet formula (``= + - @``, tab, CR) gets a leading apostrophe, so
    that opening the file shows it instead of running it (OWASP); numbers,
    negative ones included, are written as numbers.

    Raises
    ------
    InvalidOptionError
        An extension (or format) with no writer.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_table({"area": ["甲县"], "value": [92.68]}, out, format="csv")
    >>> out.getvalue()
    '"area","value"\\n"甲县",92.68\\n'
    >>> out = io.StringIO()
    >>> write_table({"area": ["=1+1"], "gap": [-3.2]}, out, format="csv")
    >>> out.getvalue().splitlines()[1]
    '"\\'=1+1",-3.2'
    """
    if format is None:
        if not isinstance(destination, str | os.PathLike):
            raise InvalidOptionError("writing to an open file needs format= (csv, xlsx, json, parquet)")
        extension = os.path.splitext(os.fspath(destination))[1].lower()
    else:
        extension = "." + format.lower().lstrip(".")
    writer = WRITERS.get(extension)
    if writer is None:
        raise InvalidOptionError(
            f"no writer for {extension or 'a name without extension'!r}: "
            f"use one of {', '.join(WRITERS)}"
        )
    target = os.fspath(destination) if isinstance(destination, str | os.PathLike) else destination
    writer(frame, target)
