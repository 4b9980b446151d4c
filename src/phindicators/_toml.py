"""Reading TOML definitions: files in, checked tables out, errors with lines.

The plumbing every loader shares (catalogs, target sets, validation rules):
parsing bundled and user files into :class:`Document` objects, checking a
table's keys (:func:`fields`), building a definition class and turning its
:class:`~phindicators.errors.DefinitionError` into a
:class:`~phindicators.errors.CatalogError` that names the file, the item, the
field and the line (:func:`build`, :func:`located`, :func:`line_of`).
Nothing read from a file is ever evaluated.

Examples
--------
>>> doc = parse_document("example.toml", 'terms.births.name_en = "live births"')
>>> checked_fields("example.toml", "births", doc.data["terms"]["births"], ({"name_en"}, set()), "a term")
{'name_en': 'live births'}
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ._data import data_root
from ._files import encoding_hint, read_bytes
from .errors import CatalogError, DefinitionError, InvalidTypeError

__all__ = [
    "Document",
    "build_definition",
    "bundled_documents",
    "check_top_level",
    "define_once",
    "checked_fields",
    "line_of",
    "located",
    "parse_document",
    "read_documents",
    "resolve_reference",
    "table_of",
]


@attrs.frozen
class Document:
    """A parsed TOML file: its path (for messages), its data and its text."""


    path: str
    data: Mapping[str, Any]
    text: str = ""  # the TOML source, to say on which line a definition is written


# Enough of TOML's line syntax to know which key a line defines: a table
# header ("[indicators.imr]", "[[indicators.imr.examples]]") or an assignment
# ("unit = ...", "definition.en = ...", "imr = { ... }").
_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_HEADER = re.compile(rf"\[\[?\s*(?P<keys>{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*\]\]?\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(rf"(?P<keys>{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=")
_KEY = re.compile(r"""([A-Za-z0-9_-]+)|"([^"]*)"|'([^']*)'""")


def _keys(text: str) -> tuple[str, ...]:
    return tuple(next(group for group in key.groups() if group is not None) for key in _KEY.finditer(text))


def line_of(text: str, keys: tuple[str, ...], field: str | None = None) -> int | None:
    """The line of TOML ``text`` that defines the table at ``keys``, or the
    line inside it that sets ``field``.

    The lines are found from TOML's line syntax alone (table headers and
    ``key =`` assignments), which is all an error message needs: when the
    field is not written (a required field left out), the table's first
    line is given; when the table is not found, None.

    Examples
    --------
    >>> text = '[indicators.imr]\\nname_en = "IMR"\\nunit = "pct"\\n'
    >>> line_of(text, ("indicators", "imr"), "unit"), line_of(text, ("indicators", "imr"), "kind")
    (3, 1)
    >>> line_of(text, ("terms", "births")) is None
    True
    """
    table: tuple[str, ...] = ()
    own: list[tuple[int, tuple[str, ...], str]] = []
    # TOML counts lines by "\n" alone (str.splitlines would also split at
    # characters such as U+2028 that may sit inside a string).
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        header = _HEADER.match(line)
        if header is not None:
            table = path = _keys(header["keys"])
        else:
            assignment = _ASSIGNMENT.match(line)
            if assignment is None:
                continue
            path = table + _keys(assignment["keys"])
        if path[: len(keys)] == keys:
            own.append((number, path, line))
    if not own:
        return None
    if field is not None:
        written = re.compile(rf"(?<![\w.]){re.escape(field)}\s*=")  # inside an inline table
        for number, path, line in own:
            if field in path[len(keys) :] or written.search(line):
                return number
    return own[0][0]


@contextlib.contextmanager
def located(doc: Document, table: str) -> Iterator[None]:
    """Add the line to a :class:`CatalogError` raised about an item of ``doc``.

    ``table`` is the top-level table ("indicators", "rules", ...) whose items
    the errors name; errors that already have a line, concern another file
    or name no item pass unchanged.
    """
    try:
        yield
    except CatalogError as error:
        if error.line is not None or error.path != doc.path or error.item is None:
            raise
        raise error.at_line(line_of(doc.text, (table, error.item), error.field)) from None


def checked_fields(
    path: str, item: str, table: object, allowed: tuple[set[str], set[str]], what: str
) -> Mapping[str, Any]:
    """Check a table's keys: all required present, none unknown."""
    if not isinstance(table, Mapping):
        raise CatalogError(path, f"{what} must be a table, got {table!r}", item=item)
    required, optional = allowed
    for key in table:
        if key not in required | optional:
            close = difflib.get_close_matches(key, required | optional, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise CatalogError(path, f"unknown field{hint}", item=item, field=key)
    for key in sorted(required - set(table)):
        raise CatalogError(path, "is required", item=item, field=key)
    return table


def build_definition(path: str, item: str, cls: type, **kwargs: Any) -> Any:
    try:
        return cls(**kwargs)
    except DefinitionError as error:
        raise CatalogError(path, error.message, item=item, field=error.field) from None
    except (TypeError, ValueError, OverflowError) as error:
        raise CatalogError(path, f"invalid {cls.__name__}: {error}", item=item) from None


def parse_document(path: str, text: str) -> Document:
    try:
        return Document(path, tomllib.loads(text), text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(path, f"not valid TOML: {error}") from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise CatalogError(path, "not valid TOML: values are nested too deeply") from None


def check_top_level(doc: Document, allowed: Iterable[str]) -> None:
    """Refuse a top-level key of ``doc`` outside ``allowed``, naming its line."""
    for key in doc.data:
        if key not in allowed:
            raise CatalogError(
                doc.path,
                f"unknown top-level key {key!r} (expected {sorted(allowed)})",
                line=line_of(doc.text, (key,)),
            )


def table_of(doc: Document, key: str) -> Mapping[str, Any]:
    table = doc.data.get(key, {})
    if not isinstance(table, Mapping):
        raise CatalogError(doc.path, f"{key!r} must be a table of definitions, got {table!r}")
    return table


def define_once(registry: dict[str, tuple[str, Any]], path: str, id: str, value: Any) -> None:
    if id in registry:
        raise CatalogError(path, f"already defined in {registry[id][0]}", item=id)
    registry[id] = (path, value)


def resolve_reference(
    path: str, iid: str, field: str, value: object, known: Mapping[str, tuple[str, Any]], what: str
) -> Any:
    if not isinstance(value, str) or value not in known:
        close = difflib.get_close_matches(str(value), known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise CatalogError(path, f"unknown {what} {value!r}{hint}", item=iid, field=field)
    return known[value][1]


def bundled_documents(*names: str) -> list[Document]:
    """Parse bundled data files: a name ending in ``/`` is a folder of TOML files."""
    data = data_root()
    documents = []
    for name in names:
        if name.endswith("/"):
            folder = data / name.rstrip("/")
            files = sorted(f.name for f in folder.iterdir() if f.name.endswith(".toml"))
            documents += [
                parse_document(f"phindicators/data/{name}{f}", (folder / f).read_text("utf-8")) for f in files
            ]
        else:
            documents.append(parse_document(f"phindicators/data/{name}", (data / name).read_text("utf-8")))
    return documents


#: The largest user TOML file read: far above any catalog or target file
#: (20 000 indicators are about 10 MB), and a bound on what a file that
#: never ends (``/dev/zero``) or a mistaken path to a huge file can cost.
MAX_TOML_BYTES = 64 << 20


def read_documents(
    paths: Iterable[str | os.PathLike[str]], *, limit: int | None = MAX_TOML_BYTES
) -> list[Document]:
    """Parse user files; an unreadable file is a :class:`CatalogError` naming it.

    Only regular files are read (a FIFO or ``/dev/zero`` would block or
    never end), at most ``limit`` bytes each (None: no limit), as UTF-8 with
    or without the byte-order mark Windows Notepad writes.

    Examples
    --------
    >>> read_documents(["/dev/zero"])
    Traceback (most recent call last):
    ...
    phindicators.errors.CatalogError: /dev/zero: cannot be read: /dev/zero is not a regular file ...
    """
    documents = []
    for path in paths:
        # An int would open a file descriptor, bytes an undecoded name.
        if not isinstance(path, str | os.PathLike) or not isinstance(os.fspath(path), str):
            raise InvalidTypeError(f"a catalog file is named by a str or a path, got {path!r}")
        name = os.fspath(path)
        try:
            data = read_bytes(name, limit=limit)
        except OSError as error:
            raise CatalogError(name, f"cannot be read: {error.strerror or error}") from None
        except ValueError as error:  # a NUL in the name
            raise CatalogError(name, f"cannot be read: {error}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CatalogError(
                name,
                f"cannot be read: not UTF-8 ({error.reason} at byte {error.start}); it looks like "
                f"{encoding_hint(data)}: save it as UTF-8",
            ) from None
        documents.append(parse_document(name, text))
    return documents


