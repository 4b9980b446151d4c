"""JSON Schema (draft 2020-12) generated from the model's attrs classes.

The schema is derived from the classes' fields, type hints and defaults by
the same rules :mod:`phindicators.serialize` writes JSON with, so the two
cannot disagree. It describes structure and types (which keys, which are
required, enum values, arrays, the spelling of non-finite numbers); the rules
the model's validators enforce beyond that (id syntax, ranges, units that fit
each other) are checked by :func:`~phindicators.serialize.from_dict` and
:func:`~phindicators.serialize.catalog_from_json`.

The schema of an exported catalog ships with the package as
``phindicators/data/schema/catalog.schema.json``. Regenerate it after a
change to the model with::

    python -c "from phindicators.schema import write_catalog_schema; write_catalog_schema()"

(a test fails while the shipped file differs from :func:`catalog_schema`).

Examples
--------
>>> from phindicators import Term
>>> schema = json_schema(Term)
>>> schema["$defs"]["Term"]["required"]
['id', 'name_en', 'name_zh']
"""

from __future__ import annotations

import inspect
import json
import os
import typing
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from ._data import bundled_text
from .serialize import (
    CATALOG_COLLECTIONS,
    CATALOG_FORMAT,
    CATALOG_FORMAT_VERSION,
    NON_FINITE,
    field_types,
    json_kind,
    to_json_value,
    write_json,
)

__all__ = [
    "DIALECT",
    "catalog_schema",
    "json_schema",
    "shipped_catalog_schema",
    "write_catalog_schema",
]

#: The JSON Schema dialect of every generated schema.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Definitions shared by every schema that needs them.
_SHARED: dict[str, dict[str, Any]] = {
    "number": {
        "description": "A number; the non-finite ones are spelled as strings.",
        "anyOf": [{"type": "number"}, {"enum": list(NON_FINITE)}],
    },
    "ndarray": {
        "description": "A numpy array as nested arrays of numbers (or of text).",
        "anyOf": [
            {"$ref": "#/$defs/number"},
            {"type": "string"},
            {"type": "boolean"},
            {"type": "array", "items": {"$ref": "#/$defs/ndarray"}},
        ],
    },
}

# The shared definitions each scalar kind of hint refers to.
_USES_SHARED = {"float": ("number",), "array": ("number", "ndarray")}

# Schemas of the scalar kinds of hint; see serialize.json_kind.
_SCALAR_SCHEMAS: dict[str, dict[str, Any]] = {
    "any": {},
    "null": {"type": "null"},
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "str": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "float": {"$ref": "#/$defs/number"},
    "array": {"$ref": "#/$defs/ndarray"},
}


def _summary(cls: type) -> str:
    """The first paragraph of a class's docstring, on one line."""
    doc = inspect.getdoc(cls) or cls.__name__
    return " ".join(doc.split("\n\n")[0].split())


class _Builder:
    """Collects the ``$defs`` a schema refers to while it is built."""

    def __init__(self, referenced: Iterable[type] = ()) -> None:
        self.referenced = frozenset(referenced)
        self.defs: dict[str, Any] = {}

    def schema(self, hint: Any) -> dict[str, Any]:
        kind = json_kind(hint)
        if kind in _SCALAR_SCHEMAS:
            for name in _USES_SHARED.get(kind, ()):
                self.defs.setdefault(name, _SHARED[name])
            return dict(_SCALAR_SCHEMAS[kind])
        return self._BUILDERS[kind](self, hint)

    def _enum(self, hint: Any) -> dict[str, Any]:
        self.defs.setdefault(
            hint.__name__,
            {"description": _summary(hint), "enum": [member.value for member in hint]},
        )
        return {"$ref": f"#/$defs/{hint.__name__}"}

    def _object(self, cls: Any) -> dict[str, Any]:
        if cls in self.referenced:
            return {"type": "string", "description": f"The id of a {cls.__name__} of the catalog."}
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # reserved first: a class may contain itself
            self.defs[cls.__name__] = self.object_schema(cls)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def object_schema(self, cls: type) -> dict[str, Any]:
        """The schema of one attrs class written in full."""
        hints = field_types(cls)
        properties = {}
        required = []
        for field in attrs.fields(cls):
            if not field.init:
                continue
            prop = self.schema(hints[field.name])
            if field.default is attrs.NOTHING:
                required.append(field.name)
            elif not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                prop["default"] = to_json_value(field.default)
            properties[field.name] = prop
        return {
            "description": _summary(cls),
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }

    def _union(self, hint: Any) -> dict[str, Any]:
        return {"anyOf": [self.schema(member) for member in typing.get_args(hint)]}

    def _sequence(self, hint: Any) -> dict[str, Any]:
        origin = typing.get_origin(hint) or hint
        args = typing.get_args(hint)
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {
                "type": "array",
                "prefixItems": [self.schema(arg) for arg in args],
                "minItems": len(args),
                "maxItems": len(args),
            }
        return {"type": "array", "items": self.schema(args[0] if args else Any)}

    def _mapping(self, hint: Any) -> dict[str, Any]:
        args = typing.get_args(hint)
        return {"type": "object", "additionalProperties": self.schema(args[1] if args else Any)}

    _BUILDERS: dict[str, Callable[[_Builder, Any], dict[str, Any]]] = {
        "enum": _enum,
        "object": _object,
        "union": _union,
        "sequence": _sequence,
        "mapping": _mapping,
    }

    def document(self, root: dict[str, Any], **annotations: Any) -> dict[str, Any]:
        return {"$schema": DIALECT, **annotations, **root, "$defs": dict(sorted(self.defs.items()))}


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of :func:`~phindicators.serialize.to_dict` output for an attrs class.

    Nested classes are defined under ``$defs`` and embedded by value, as
    ``to_dict`` embeds them.

    Examples
    --------
    >>> from phindicators import Indicator
    >>> schema = json_schema(Indicator)
    >>> schema["$ref"], schema["$defs"]["Indicator"]["properties"]["kind"]
    ('#/$defs/Indicator', {'$ref': '#/$defs/Kind'})
    >>> schema["$defs"]["Kind"]["enum"][:3]
    ['proportion', 'rate', 'ratio']
    """
    builder = _Builder()
    root = builder.schema(cls)
    return builder.document(root, title=cls.__name__, description=_summary(cls))


def catalog_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`~phindicators.serialize.catalog_to_json` output.

    Within a catalog, terms, sources and indicators are defined once in their
    collection and named by id everywhere else; the schema says so.

    Examples
    --------
    >>> schema = catalog_schema()
    >>> schema["properties"]["indicators"]
    {'type': 'array', 'items': {'$ref': '#/$defs/Indicator'}}
    >>> schema["$defs"]["Indicator"]["properties"]["numerator"]["type"]
    'string'
    """
    builder = _Builder(cls for _, cls in CATALOG_COLLECTIONS)
    properties: dict[str, Any] = {
        "format": {"const": CATALOG_FORMAT},
        "format_version": {"const": CATALOG_FORMAT_VERSION},
    }
    for key, cls in CATALOG_COLLECTIONS:
        builder.defs[cls.__name__] = builder.object_schema(cls)
        properties[key] = {"type": "array", "items": {"$ref": f"#/$defs/{cls.__name__}"}}
    root = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    return builder.document(
        root,
        title="phindicators catalog",
        description=(
            "Public-health indicator definitions exported by phindicators: sources, terms "
            "(the counts indicators divide), indicators and target sets, each defined once "
            "and referred to by id."
        ),
    )


#: The shipped schema, under the package's data folder.
_SHIPPED = ("schema", "catalog.schema.json")


def shipped_catalog_schema() -> dict[str, Any]:
    """The catalog schema shipped with the package (equal to :func:`catalog_schema`).

    Examples
    --------
    >>> shipped_catalog_schema()["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    """
    return json.loads(bundled_text(*_SHIPPED))


def write_catalog_schema(path: str | os.PathLike[str] | None = None) -> None:
    """Write :func:`catalog_schema` to ``path``, by default the package's shipped file.

    Examples
    --------
    >>> import json, os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "catalog.schema.json")
    >>> write_catalog_schema(out)
    >>> with open(out, encoding="utf-8") as file:
    ...     json.load(file) == catalog_schema()
    True
    """
    if path is None:
        path = os.path.join(os.path.dirname(__file__), "data", *_SHIPPED)
        os.makedirs(os.path.dirname(path), exist_ok=True)
    write_json(catalog_schema(), path)
