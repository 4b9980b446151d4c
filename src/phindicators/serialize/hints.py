"""Field types of the attrs classes, and the JSON shape each maps to."""

from __future__ import annotations

import datetime
import enum
import functools
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from ..errors import SerializationError

if typing.TYPE_CHECKING:  # pragma: no cover - typing only
    pass


# -- type hints -----------------------------------------------------------------


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """The resolved type hint of each init field of an attrs class.

    :func:`typing.get_type_hints` resolves the annotations (strings, under
    ``from __future__ import annotations``) in the class's module: every
    class a field names is imported at run time by its module, which the
    layered package allows (a test checks it for every attrs class).

    Examples
    --------
    >>> from phindicators import Term
    >>> field_types(Term)["unit"]
    <class 'str'>
    """
    try:
        hints = typing.get_type_hints(cls)
    except NameError as error:
        raise SerializationError(f"{cls.__name__}: cannot resolve a field's type ({error})") from None
    return {field.name: hints.get(field.name, Any) for field in attrs.fields(cls) if field.init}


_SCALARS: tuple[tuple[type, str], ...] = (
    (bool, "bool"),  # before int: bool is a subclass of int
    (int, "int"),
    (float, "float"),
    (str, "str"),
    (datetime.datetime, "datetime"),  # before date: a datetime is a date
    (datetime.date, "date"),
)


def json_kind(hint: Any) -> str:
    """The JSON shape a type hint maps to.

    One of ``"any"``, ``"null"``, ``"bool"``, ``"int"``, ``"float"``,
    ``"str"``, ``"date"``, ``"datetime"`` (ISO 8601 strings), ``"enum"``,
    ``"object"`` (an attrs class), ``"union"``,
    ``"sequence"`` (tuple, list), ``"mapping"`` (dict with string keys) and
    ``"array"`` (numpy array).

    Raises
    ------
    SerializationError
        For a type with no JSON form.

    Examples
    --------
    >>> import numpy as np
    >>> json_kind(float | np.ndarray), json_kind(tuple[str, ...])
    ('union', 'sequence')
    """
    if hint is Any or hint is object:
        return "any"
    if hint is None or hint is type(None):
        return "null"
    origin = typing.get_origin(hint) or hint
    if origin in (typing.Union, types.UnionType):
        return "union"
    if origin in (tuple, list, Sequence):
        return "sequence"
    if origin in (dict, Mapping):
        return "mapping"
    if isinstance(origin, type):
        if attrs.has(origin):
            return "object"
        if issubclass(origin, enum.Enum):
            return "enum"
        if issubclass(origin, np.ndarray):
            return "array"
        for scalar, kind in _SCALARS:
            if issubclass(origin, scalar):
                return kind
    raise SerializationError(f"no JSON form for values of type {hint!r}")
