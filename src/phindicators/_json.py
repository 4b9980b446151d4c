"""Values as JSON: one encoder for every attrs object, array and number the
library produces, and strict JSON text (no bare NaN).

The rules (how enums, dates, arrays and non-finite floats are spelled) are
those :mod:`phindicators.serialize` documents; this module is their one
implementation, below every module that writes JSON (scorecards, exports,
the command line).

Examples
--------
>>> import numpy as np
>>> to_json_value({"value": np.float64(0.5), "limits": np.array([0.4, np.inf])})
{'value': 0.5, 'limits': [0.4, 'Infinity']}
"""

from __future__ import annotations

import datetime
import enum
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

import attrs
import numpy as np

from .errors import CatalogError, SerializationError

__all__ = ["NON_FINITE", "Registry", "encode", "encode_fields", "json_text", "to_dict", "to_json_value", "write_json"]

#: How the non-finite floats are spelled in JSON.
NON_FINITE: dict[str, float] = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


class Registry:
    """Objects written once in a catalog collection and by id elsewhere."""

    def __init__(self, classes: Iterable[type]) -> None:
        self.tables: dict[type, dict[str, Any]] = {cls: {} for cls in classes}

    def define(self, obj: Any) -> None:
        table = self.tables[type(obj)]
        if table.setdefault(obj.id, obj) != obj:
            raise CatalogError(
                "<catalog>",
                f"two different {type(obj).__name__} definitions share this id",
                item=obj.id,
            )

    def refer(self, obj: Any) -> str:
        self.define(obj)
        return obj.id


def _float_to_json(value: float) -> float | str:
    if math.isfinite(value):
        return float(value)  # a plain float, also for numpy's float64 (a float subclass)
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _array_to_json(array: np.ndarray) -> Any:
    if array.dtype.kind != "f" or np.isfinite(array).all():
        return array.tolist()
    # Spell the non-finite values as strings in one vectorised pass.
    out = array.astype(object)
    out[np.isnan(array)] = "NaN"
    out[array == math.inf] = "Infinity"
    out[array == -math.inf] = "-Infinity"
    return out.tolist()


def _mapping_to_json(value: Mapping[Any, Any], registry: Registry | None) -> dict[str, Any]:
    out = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise SerializationError(f"JSON object keys must be strings, got {key!r}")
        out[str(key)] = encode(item, registry)
    return out


# Checked in order: the first type the value is an instance of encodes it.
# Enums come first because StrEnum members are also str.
_ENCODERS: tuple[tuple[type | tuple[type, ...], Callable[[Any, Registry | None], Any]], ...] = (
    (enum.Enum, lambda value, registry: encode(value.value, registry)),
    ((bool, str, int, type(None)), lambda value, registry: value),
    (float, lambda value, registry: _float_to_json(value)),
    (datetime.date, lambda value, registry: value.isoformat()),
    (np.ndarray, lambda value, registry: _array_to_json(value)),
    (np.generic, lambda value, registry: encode(value.item(), registry)),
    ((tuple, list), lambda value, registry: [encode(item, registry) for item in value]),
    (Mapping, _mapping_to_json),
)


def encode(value: Any, registry: Registry | None) -> Any:
    if attrs.has(type(value)):
        if registry is not None and type(value) in registry.tables:
            return registry.refer(value)
        return encode_fields(value, registry)
    for types_, encode in _ENCODERS:
        if isinstance(value, types_):
            return encode(value, registry)
    raise SerializationError(f"no JSON form for {value!r} (a {type(value).__name__})")


def encode_fields(obj: Any, registry: Registry | None) -> dict[str, Any]:
    return {
        field.name: encode(getattr(obj, field.name), registry)
        for field in attrs.fields(type(obj))
        if field.init
    }


def to_json_value(value: Any) -> Any:
    """The JSON-compatible form of any value the converter knows (see the module's rules).

    Raises
    ------
    SerializationError
        For a value with no JSON form.

    Examples
    --------
    >>> import numpy as np
    >>> to_json_value(np.array([1.5, np.inf]))
    [1.5, 'Infinity']
    """
    return encode(value, None)


def to_dict(obj: Any) -> dict[str, Any]:
    """A JSON-compatible dict of an attrs object (see the module's rules).

    The dict is self-contained: nested definitions are embedded by value.

    Raises
    ------
    SerializationError
        If ``obj`` is not an attrs object, or holds a value with no JSON form.

    Examples
    --------
    >>> from phindicators import Term
    >>> to_dict(Term(id="live_births", name_en="live births", name_zh="活产数"))
    {'id': 'live_births', 'name_en': 'live births', 'name_zh': '活产数', 'description': '', \
'unit': 'count', 'population': False}
    """
    if not attrs.has(type(obj)):
        raise SerializationError(f"to_dict takes an attrs object, got {obj!r}")
    return encode_fields(obj, None)






def json_text(document: Any) -> str:
    """The JSON text of a document: UTF-8 characters kept, indented, strict.

    Raises
    ------
    ValueError
        If the document holds a bare NaN or infinity (use :func:`to_dict`,
        which spells them as strings).

    Examples
    --------
    >>> print(json_text({"name_zh": "活产数", "valid_range": [0.0, "Infinity"]}))
    {
      "name_zh": "活产数",
      "valid_range": [
        0.0,
        "Infinity"
      ]
    }
    """
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_json(document: Any, destination: str | os.PathLike[str] | IO[str]) -> None:
    """Write a document as JSON (see :func:`json_text`) to a path or an open text file.

    ``write_json(catalog_to_json(catalog), "catalog.json")`` exports a catalog.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_json({"id": "live_births"}, out)
    >>> out.getvalue()
    '{\\n  "id": "live_births"\\n}\\n'
    """
    text = json_text(document)
    if isinstance(destination, str | os.PathLike):
        with open(destination, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        destination.write(text)
