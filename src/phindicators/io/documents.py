"""Report documents as text: plain text in any of its encodings, .docx and PDF.

:func:`read_document` is what ``phindicators audit`` reads a report with: a
path, ``"-"`` for standard input, bytes or a binary file object in, the text
out. Plain text is decoded from UTF-8 (with or without a byte-order mark),
UTF-16 (with a mark, or without one when its zero bytes give it away) or
GB18030 (which includes GBK and GB2312), unless ``encoding=`` says which.
A .docx gives its paragraphs and tables in document order (python-docx, the
``docx`` extra); a PDF its text layer (pypdf, the ``pdf`` extra). Each table
cell is a line of its own, so that a table reads the way a web page copies
it, one cell a line (see :mod:`phindicators.extract.tables`).

Examples
--------
>>> read_document("全市产妇2164人".encode("gb18030"))
'全市产妇2164人'
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from typing import IO, Any

from .._files import read_bytes
from ..errors import InvalidOptionError, InvalidTypeError, ParseError
from .tables import decode, marked_or_utf8

__all__ = ["DOCUMENT_KINDS", "MAX_DOCUMENT_BYTES", "detect_text_encoding", "read_document"]

#: The kinds of document read, by file suffix.
DOCUMENT_KINDS: dict[str, str] = {".docx": "docx", ".pdf": "pdf"}

#: The largest document read (bytes): a report is a few megabytes; beyond this
#: the input is not a report (``/dev/zero``, a disk image) and is refused
#: before it fills the memory. ``max_bytes=`` raises it.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

# How the first bytes of a file say what it is.
_MAGIC = ((b"PK\x03\x04", "docx"), (b"%PDF-", "pdf"))


def detect_text_encoding(data: bytes) -> str:
    """The encoding of a report's bytes, without any optional package.

    A byte-order mark decides; else bytes that decode as UTF-8 are UTF-8;
    else zero bytes at every other place mark UTF-16 without a mark (Chinese
    text in UTF-16 has none elsewhere); else GB18030, the national standard
    that GBK and GB2312 are subsets of.

    Examples
    --------
    >>> detect_text_encoding("孕产妇死亡率".encode("gbk"))
    'gb18030'
    >>> detect_text_encoding("死亡率 20/10万".encode("utf-16-le"))
    'utf-16-le'
    >>> import codecs
    >>> detect_text_encoding(codecs.BOM_UTF8 + "率".encode())
    'utf-8-sig'
    """
    plain = marked_or_utf8(data)
    if plain is not None:
        return plain
    sample = data[: 1 << 16]
    if len(sample) >= 2 and len(sample) % 2 == 0:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        # ASCII (digits, "%", spaces) in UTF-16 has a zero byte in its high half.
        if odd > len(sample) // 8 and even == 0:
            return "utf-16-le"
        if even > len(sample) // 8 and odd == 0:
            return "utf-16-be"
    return "gb18030"


def read_document(
    source: str | os.PathLike[str] | bytes | IO[bytes],
    *,
    encoding: str | None = None,
    kind: str | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> str:
    """The text of a report: a plain-text file, a .docx or a PDF.

    Parameters
    ----------
    source : path, "-", bytes or binary file
        A path (``"-"`` reads standard input), the document's bytes, or a
        file opened in binary mode.
    encoding : str, optional
        The encoding of plain text (``"gb18030"``, ``"utf-16"``, …); by
        default it is detected (:func:`detect_text_encoding`).
    kind : {"text", "docx", "pdf"}, optional
        What the document is; by default the path's suffix (.docx, .pdf),
        else its first bytes say, else it is plain text.
    max_bytes : int, optional
        Refuse documents larger than this (:data:`MAX_DOCUMENT_BYTES`).

    Returns
    -------
    str
        The text; .docx paragraphs and table cells one a line, PDF pages in order.

    Raises
    ------
    ParseError
        A file that is not a regular file (a FIFO, a device), one larger than
        ``max_bytes``, text not valid in its encoding, a .docx or PDF that
        cannot be read, or a PDF with no text layer (a scan).
    InvalidOptionError
        An unknown ``encoding`` or ``kind``.
    ImportError
        Reading a .docx without python-docx (``pip install
        'phindicators[docx]'``) or a PDF without pypdf (``pip install
        'phindicators[pdf]'``).
    OSError
        A path that cannot be opened.

    Examples
    --------
    >>> read_document("孕产妇死亡率92.68/10万".encode("utf-16"))
    '孕产妇死亡率92.68/10万'
    >>> read_document(b"\\xef\\xbb\\xbf95.52%")
    '95.52%'
    """
    if kind is not None and kind not in ("text", "docx", "pdf"):
        raise InvalidOptionError(f"unknown document kind {kind!r} (expected text, docx or pdf)")
    data, name = _read(source, max_bytes)
    if kind is None:
        suffix = os.path.splitext(name)[1].lower()
        kind = DOCUMENT_KINDS.get(suffix) or next((k for m, k in _MAGIC if data.startswith(m)), "text")
    if kind == "docx":
        return _docx_text(data, name)
    if kind == "pdf":
        return _pdf_text(data, name)
    return _decode(data, encoding, name)


def _read(source: str | os.PathLike[str] | bytes | IO[bytes], max_bytes: int) -> tuple[bytes, str]:
    """The bytes of ``source`` (at most ``max_bytes``) and a name for messages."""
    if isinstance(source, bytes | bytearray):
        data, name = bytes(source), "<bytes>"
    elif isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        if name == "-":
            return _bounded(sys.stdin.buffer, max_bytes, "<stdin>"), "<stdin>"
        # Checked on the opened file (no race between a check and the open),
        # without waiting for a FIFO's writer.
        data = read_bytes(name, limit=max_bytes)
    elif hasattr(source, "read"):
        name = str(getattr(source, "name", "<file>"))
        data = _bounded(source, max_bytes, name)
        if isinstance(data, str):
            raise InvalidTypeError(f"{name}: open the file in binary mode ('rb'); got text")
    else:
        raise InvalidTypeError(f"a document is a path, bytes or a binary file, got {type(source).__name__}")
    if len(data) > max_bytes:
        raise ParseError(name, f"larger than {max_bytes} bytes: not a report (max_bytes= raises the limit)")
    return data, name


def _bounded(file: IO[Any], max_bytes: int, name: str) -> bytes:
    data = file.read(max_bytes + 1)
    if isinstance(data, bytes) and len(data) > max_bytes:
        raise ParseError(name, f"larger than {max_bytes} bytes: not a report (max_bytes= raises the limit)")
    return data


def _decode(data: bytes, encoding: str | None, name: str) -> str:
    # The tables' decoder, with this module's detection (no extra needed).
    return decode(data, encoding, name, detect=detect_text_encoding)


def _docx_text(data: bytes, name: str) -> str:
    try:
        import docx
    except ImportError:
        raise ImportError("reading .docx needs python-docx: pip install 'phindicators[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zipfile, lxml and its own errors
        raise ParseError(name, f"not a readable .docx ({type(error).__name__}: {error})") from None
    return "\n".join(_docx_lines(document))


def _docx_lines(document: Any) -> Iterator[str]:
    """Paragraphs and table cells in document order, one a line."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, document).text
        elif tag == "tbl":
            yield from _table_lines(Table(child, document))


def _table_lines(table: Any) -> Iterator[str]:
    for row in table.rows:
        previous = None
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if cell._tc is previous:
                continue
            previous = cell._tc
            text = "\n".join(p.text for p in cell.paragraphs).strip()
            if text:
                yield text
            for inner in cell.tables:
                yield from _table_lines(inner)


def _pdf_text(data: bytes, name: str) -> str:
    try:
        import pypdf
    except ImportError:
        raise ImportError("reading PDF needs pypdf: pip install 'phindicators[pdf]'") from None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as error:  # pypdf raises its own errors and ValueError, KeyError on damage
        raise ParseError(name, f"not a readable PDF ({type(error).__name__}: {error})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ParseError(name, "the PDF has no text layer (a scan?); run OCR on it first")
    return text
