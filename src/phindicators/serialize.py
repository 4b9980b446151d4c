"""Definitions and results as plain JSON-compatible dicts, and back.

:func:`to_dict` and :func:`from_dict` work on any attrs class of the library
(:class:`~phindicators.model.Indicator`, :class:`~phindicators.model.Term`,
:class:`~phindicators.model.Source`, :class:`~phindicators.compute.Result`,
target sets, …) by walking its fields and their type hints, so a new field or
a new class serialises without new code. The rules a reader in another
language needs:

- an attrs object is a JSON object with one key per field (defaults
  included), in field order;
- enums are their string value; tuples and lists are arrays; dates and
  datetimes are ISO 8601 strings (``"2023-10-31"``);
- numpy arrays are nested arrays; they come back as float64 (boolean and text
  arrays keep their type). An array with a zero-length axis comes back as
  shape ``(0,)``, since ``[]`` does not say how many columns it lacked;
- the non-finite floats are the strings ``"Infinity"``, ``"-Infinity"`` and
  ``"NaN"`` (what JavaScript's ``Number()`` reads), so the output is strict
  JSON (:func:`json_text` refuses bare ``NaN``);
- a Result carries its counts, and is read back only if its value and
  limits follow from them (``from_dict(..., verify=False)`` reads it as
  written);
- a single object's dict is self-contained: an Indicator embeds its Terms and
  Source, a Result embeds its Indicator. A whole catalog
  (:func:`catalog_to_json`) instead defines every term, source and indicator
  once and refers to them by id everywhere else, as the catalog TOML does.

Examples
--------
>>> from phindicators import get
>>> data = to_dict(get("infant_mortality_rate"))
>>> data["kind"], data["numerator"]["id"], data["valid_range"]
('rate', 'infant_deaths', [0.0, 'Infinity'])
>>> from_dict(type(get("infant_mortality_rate")), data) == get("infant_mortality_rate")
True
"""

from __future__ import annotations

import datetime
import difflib
import enum
import functools
import json
import math
import os
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any, TypeVar

import attrs
import numpy as np

from .compute import KIND_INTERVALS, Result, compute
from .errors import CatalogError, DefinitionError, InvalidTypeError
from .model import Indicator, Source, Term
from .targets import TargetSet, check_against_indicator
from .units import conversion_factor

if typing.TYPE_CHECKING:  # pragma: no cover - typing only
    from .catalog import Catalog

__all__ = [
    "CATALOG_COLLECTIONS",
    "CATALOG_FORMAT",
    "CATALOG_FORMAT_VERSION",
    "NON_FINITE",
    "SerializationError",
    "catalog_from_json",
    "catalog_to_json",
    "field_types",
    "from_dict",
    "json_kind",
    "json_text",
    "target_sets_from_json",
    "to_dict",
    "to_json_value",
    "write_json",
]

T = TypeVar("T")

#: How the non-finite floats are spelled in JSON.
NON_FINITE: dict[str, float] = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}

#: The value of the ``format`` key of an exported catalog.
CATALOG_FORMAT = "phindicators.catalog"

#: The version of the catalog layout; it changes when a reader must change.
CATALOG_FORMAT_VERSION = 1

#: The collections of an exported catalog, in order. Objects of these classes
#: are written in full in their collection and by id everywhere else.
CATALOG_COLLECTIONS: tuple[tuple[str, type], ...] = (
    ("sources", Source),
    ("terms", Term),
    ("indicators", Indicator),
    ("target_sets", TargetSet),
)


class SerializationError(InvalidTypeError):
    """A value, or a field type, that has no JSON form: ``to_dict(42)``, a
    field annotated with a type the converter does not know.

    Examples
    --------
    >>> try:
    ...     to_dict(42)
    ... except TypeError as error:
    ...     print(error)
    to_dict takes an attrs object, got 42
    """


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


# -- encoding --------------------------------------------------------------------


class _Registry:
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
        return value
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


def _mapping_to_json(value: Mapping[Any, Any], registry: _Registry | None) -> dict[str, Any]:
    out = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise SerializationError(f"JSON object keys must be strings, got {key!r}")
        out[str(key)] = _encode(item, registry)
    return out


# Checked in order: the first type the value is an instance of encodes it.
# Enums come first because StrEnum members are also str.
_ENCODERS: tuple[tuple[type | tuple[type, ...], Callable[[Any, _Registry | None], Any]], ...] = (
    (enum.Enum, lambda value, registry: _encode(value.value, registry)),
    ((bool, str, int, type(None)), lambda value, registry: value),
    (float, lambda value, registry: _float_to_json(value)),
    (datetime.date, lambda value, registry: value.isoformat()),
    (np.ndarray, lambda value, registry: _array_to_json(value)),
    (np.generic, lambda value, registry: _encode(value.item(), registry)),
    ((tuple, list), lambda value, registry: [_encode(item, registry) for item in value]),
    (Mapping, _mapping_to_json),
)


def _encode(value: Any, registry: _Registry | None) -> Any:
    if attrs.has(type(value)):
        if registry is not None and type(value) in registry.tables:
            return registry.refer(value)
        return _encode_fields(value, registry)
    for types_, encode in _ENCODERS:
        if isinstance(value, types_):
            return encode(value, registry)
    raise SerializationError(f"no JSON form for {value!r} (a {type(value).__name__})")


def _encode_fields(obj: Any, registry: _Registry | None) -> dict[str, Any]:
    return {
        field.name: _encode(getattr(obj, field.name), registry)
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
    return _encode(value, None)


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
    return _encode_fields(obj, None)


# -- decoding ---------------------------------------------------------------------

_References = Mapping[type, Mapping[str, Any]]


def _where(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _fail(path: str, message: str) -> DefinitionError:
    return DefinitionError(path or "<value>", message)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# What JSON value each kind of hint accepts; a union takes the first member
# that accepts the value.
_ACCEPTS: dict[str, Callable[[Any], bool]] = {
    "any": lambda value: True,
    "null": lambda value: value is None,
    "bool": lambda value: isinstance(value, bool),
    "int": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "float": lambda value: _is_number(value) or (isinstance(value, str) and value in NON_FINITE),
    "str": lambda value: isinstance(value, str),
    "date": lambda value: isinstance(value, str),
    "datetime": lambda value: isinstance(value, str),
    "enum": lambda value: isinstance(value, str | int) and not isinstance(value, bool),
    "object": lambda value: isinstance(value, Mapping),
    "sequence": lambda value: isinstance(value, list | tuple),
    "mapping": lambda value: isinstance(value, Mapping),
    "array": lambda value: isinstance(value, list | tuple | np.ndarray) or _is_number(value),
}


def _accepts(hint: Any, value: Any, references: _References) -> bool:
    kind = json_kind(hint)
    if kind == "union":
        return any(_accepts(member, value, references) for member in typing.get_args(hint))
    if kind == "object" and isinstance(value, str):
        return hint in references
    return _ACCEPTS[kind](value)


# How an error message names what a kind of hint wants.
_WORDS = {
    "any": "anything",
    "null": "null",
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "str": "a string",
    "date": "an ISO 8601 date (2023-10-31)",
    "datetime": "an ISO 8601 date and time",
    "sequence": "an array",
    "mapping": "an object",
    "array": "a number or a nested array",
}


def _expect(kind: str, value: Any, path: str, what: str) -> None:
    if not _ACCEPTS[kind](value):
        raise _fail(path, f"must be {what}, got {value!r}")


def _decode_scalar(kind: str) -> Callable[[Any, Any, str, _References], Any]:
    def decode(value: Any, hint: Any, path: str, references: _References) -> Any:
        _expect(kind, value, path, _WORDS[kind])
        return value

    return decode


def _decode_float(value: Any, hint: Any, path: str, references: _References) -> float:
    _expect("float", value, path, 'a number (or "Infinity", "-Infinity", "NaN")')
    return NON_FINITE[value] if isinstance(value, str) else float(value)


def _decode_time(kind: str) -> Callable[[Any, Any, str, _References], Any]:
    def decode(value: Any, hint: Any, path: str, references: _References) -> Any:
        _expect(kind, value, path, _WORDS[kind])
        try:
            return hint.fromisoformat(value)
        except ValueError:
            raise _fail(path, f"must be {_WORDS[kind]}, got {value!r}") from None

    return decode


def _decode_enum(value: Any, hint: Any, path: str, references: _References) -> enum.Enum:
    try:
        return hint(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in hint)
        raise _fail(path, f"must be one of {allowed}, got {value!r}") from None


def _decode_union(value: Any, hint: Any, path: str, references: _References) -> Any:
    for member in typing.get_args(hint):
        if _accepts(member, value, references):
            return _decode(value, member, path, references)
    raise _fail(path, f"must be {_describe(hint)}, got {value!r}")


def _decode_sequence(value: Any, hint: Any, path: str, references: _References) -> Any:
    _expect("sequence", value, path, _WORDS["sequence"])
    origin = typing.get_origin(hint) or hint
    args = typing.get_args(hint)
    if origin is tuple and args and args[-1] is not Ellipsis:  # fixed length: tuple[float, float]
        if len(value) != len(args):
            raise _fail(path, f"must be an array of {len(args)} items, got {value!r}")
        items = args
    else:  # homogeneous: tuple[str, ...], list[str], Sequence[str]
        items = (args[0] if args else Any,) * len(value)
    decoded = [
        _decode(item, item_hint, f"{path}[{number}]", references)
        for number, (item, item_hint) in enumerate(zip(value, items, strict=True))
    ]
    return decoded if origin is list else tuple(decoded)


def _decode_mapping(value: Any, hint: Any, path: str, references: _References) -> dict[str, Any]:
    _expect("mapping", value, path, _WORDS["mapping"])
    args = typing.get_args(hint)
    item_hint = args[1] if len(args) == 2 else Any
    return {
        key: _decode(item, item_hint, _where(path, key), references) for key, item in value.items()
    }


def _decode_array(value: Any, hint: Any, path: str, references: _References) -> np.ndarray:
    _expect("array", value, path, _WORDS["array"])
    try:
        inferred = np.array(value)
    except ValueError:
        raise _fail(path, "must be a rectangular nested array") from None
    if inferred.dtype.kind in "biuf":
        return inferred if inferred.dtype.kind in "bf" else inferred.astype(np.float64)
    # Strings: either non-finite numbers among numbers, or an array of text.
    raw = np.array(value, dtype=object)
    numbers, tokens = raw.copy(), np.zeros(raw.shape, dtype=bool)
    for token, number in NON_FINITE.items():
        mask = raw == token
        numbers[mask], tokens = number, tokens | mask
    text = np.frompyfunc(lambda item: isinstance(item, str), 1, 1)(raw).astype(bool)
    if not (text & ~tokens).any():
        try:
            return numbers.astype(np.float64)
        except (TypeError, ValueError):
            pass  # null or objects among the numbers
    elif text.all():
        return inferred
    raise _fail(path, f"must be an array of numbers, or of text, got {value!r}")


def _decode_object(value: Any, cls: type, path: str, references: _References) -> Any:
    if isinstance(value, str) and cls in references:
        known = references[cls]
        if value not in known:
            close = difflib.get_close_matches(value, known, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise _fail(path, f"unknown {cls.__name__} id {value!r}{hint}")
        return known[value]
    _expect("object", value, path, f"an object (a {cls.__name__})")
    hints = field_types(cls)
    fields = {field.name: field for field in attrs.fields(cls) if field.init}
    for key in value:
        if key not in fields:
            close = difflib.get_close_matches(str(key), fields, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _fail(_where(path, str(key)), f"unknown field of {cls.__name__}{hint}")
    kwargs = {}
    for name, field in fields.items():
        if name in value:
            kwargs[field.alias] = _decode(value[name], hints[name], _where(path, name), references)
        elif field.default is attrs.NOTHING:
            raise _fail(_where(path, name), f"is required (a {cls.__name__} field)")
    try:
        return cls(**kwargs)
    except DefinitionError as error:
        raise _fail(_where(path, error.field), error.message) from None
    except (TypeError, ValueError) as error:
        raise _fail(path, f"not a valid {cls.__name__}: {error}") from None


def _check_result(result: Result) -> None:
    """Refuse a Result whose value or limits are not what its counts give.

    A result read back from JSON carries its counts, so it is recomputed
    from them (with the same levels and method, then converted to its unit
    and annualised as it says) and must agree to 1e-9: an edited value
    would otherwise be a wrong number that looks computed.
    """
    indicator = result.indicator
    methods = {interval.method for interval in result.intervals}
    method = methods.pop() if len(methods) == 1 else None
    fresh = compute(
        indicator,
        result.numerator,
        result.denominator,
        confidence=tuple(i.confidence for i in result.intervals) or None,
        method=method if method in KIND_INTERVALS[indicator.kind] else None,
    )
    factor = conversion_factor(indicator.unit, result.unit)
    if result.annualisation is not None:
        annualisation = result.annualisation
        if not (isinstance(annualisation, float) and math.isfinite(annualisation) and annualisation > 0):
            raise DefinitionError("annualisation", f"must be a finite number > 0, got {annualisation!r}")
        factor *= annualisation
    pairs: list[tuple[str, Any, Any]] = [("value", fresh.value, result.value)]
    for number, (computed, read) in enumerate(zip(fresh.intervals, result.intervals, strict=True)):
        pairs += [
            (f"intervals[{number}].{name}", getattr(computed, name), getattr(read, name))
            for name in ("value", "lower", "upper")
        ]
    for field, want, got in pairs:
        expected = np.asarray(want, dtype=np.float64) * factor
        agrees = np.shape(got) == expected.shape and bool(
            np.allclose(np.asarray(got, dtype=np.float64), expected, rtol=1e-9, atol=0.0)
        )
        if not agrees:
            raise DefinitionError(
                field, f"does not follow from the counts (they give {_preview(expected)}, got {_preview(got)})"
            )


def _preview(values: Any) -> str:
    array = np.asarray(values)
    return repr(array.item()) if array.size == 1 else f"an array of shape {array.shape}"


def _verify(obj: Any, path: str) -> None:
    """Check every Result inside a decoded object against its counts."""
    if isinstance(obj, Result):
        try:
            _check_result(obj)
        except DefinitionError as error:
            raise _fail(_where(path, error.field), error.message) from None
        except (TypeError, ValueError) as error:  # the library's errors on the counts
            raise _fail(path, f"not a valid Result: {error}") from None
    elif attrs.has(type(obj)):
        for field in attrs.fields(type(obj)):
            _verify(getattr(obj, field.name), _where(path, field.name))
    elif isinstance(obj, tuple | list):
        for number, item in enumerate(obj):
            _verify(item, f"{path}[{number}]")


_DECODERS: dict[str, Callable[[Any, Any, str, _References], Any]] = {
    "any": lambda value, hint, path, references: value,
    "null": _decode_scalar("null"),
    "bool": _decode_scalar("bool"),
    "int": _decode_scalar("int"),
    "float": _decode_float,
    "str": _decode_scalar("str"),
    "date": _decode_time("date"),
    "datetime": _decode_time("datetime"),
    "enum": _decode_enum,
    "object": _decode_object,
    "union": _decode_union,
    "sequence": _decode_sequence,
    "mapping": _decode_mapping,
    "array": _decode_array,
}


def _decode(value: Any, hint: Any, path: str, references: _References) -> Any:
    return _DECODERS[json_kind(hint)](value, hint, path, references)


def _describe(hint: Any) -> str:
    kind = json_kind(hint)
    if kind == "union":
        return " or ".join(_describe(member) for member in typing.get_args(hint))
    return _WORDS.get(kind) or f"a {hint.__name__}"


def from_dict(cls: type[T], data: Mapping[str, Any], *, verify: bool = True) -> T:
    """Rebuild an attrs object from :func:`to_dict` output (or parsed JSON).

    Every value is checked against the field's type hint, then the class's
    own validators run, so invalid data is rejected the way a catalog file is.
    Every :class:`~phindicators.compute.Result` inside is recomputed from
    the counts it carries, so that an edited figure is not passed on as a
    computed one.

    Parameters
    ----------
    cls : type
        The attrs class to rebuild.
    data : mapping
        Its JSON form.
    verify : bool, optional
        Recompute every :class:`~phindicators.compute.Result` inside from
        its counts: its value and limits must agree (to 1e-9), so that an
        edited figure is refused rather than passed on as computed. False
        reads a Result's value and limits as they are written, for results
        that were never computed from their counts (built by hand).

    Raises
    ------
    DefinitionError
        Naming the field at fault (a dotted path such as
        ``numerator.name_en``) and the offending value.
    SerializationError
        If ``cls`` is not an attrs class.

    Examples
    --------
    >>> from phindicators import Term
    >>> from_dict(Term, {"id": "live_births", "name_en": "live births", "name_zh": "活产数"})
    Term(id='live_births', name_en='live births', name_zh='活产数', description='', unit='count', population=False)
    >>> from_dict(Term, {"id": "live_births", "name_en": "live births", "name_zh": "活产数",
    ...                  "units": "count"})
    Traceback (most recent call last):
    ...
    phindicators.errors.DefinitionError: units: unknown field of Term (did you mean 'unit'?) \
(in Term 'live_births')
    >>> from phindicators import get
    >>> data = to_dict(get("infant_mortality_rate").compute(23, 2158)) | {"value": 1.066}
    >>> from_dict(Result, data)
    Traceback (most recent call last):
    ...
    phindicators.errors.DefinitionError: value: does not follow from the counts (they give 10.65..., got 1.066)
    >>> from_dict(Result, data, verify=False).value
    1.066
    """
    if not attrs.has(cls):
        raise SerializationError(f"from_dict takes an attrs class, got {cls!r}")
    try:
        obj = _decode_object(data, cls, "", {})
        if verify:
            _verify(obj, "")
        return obj
    except DefinitionError as error:
        if not isinstance(data, Mapping) or not isinstance(data.get("id"), str):
            raise
        # Name the definition too: "numerator.unit: ... (in Indicator 'imr')".
        message = f"{error.message} (in {cls.__name__} {data['id']!r})"
        raise DefinitionError(error.field, message) from None


# -- catalogs ----------------------------------------------------------------------


def catalog_to_json(catalog: Catalog, target_sets: Iterable[TargetSet] = ()) -> dict[str, Any]:
    """A whole catalog, and optionally target sets, as one JSON-compatible dict.

    The layout (described by the shipped JSON Schema, see
    :func:`phindicators.schema.catalog_schema`)::

        {"format": "phindicators.catalog", "format_version": 1,
         "sources": [...], "terms": [...], "indicators": [...], "target_sets": [...]}

    Each collection is an array of objects with an ``id``, in catalog order.
    Every source, term, indicator and target set is defined once, in its
    collection, and named by id everywhere else: an indicator's
    ``numerator``, ``denominator`` and ``source``, a target's ``source``. A
    target set holds its targets by value. Sources that only targets cite are
    added to ``sources``.

    Raises
    ------
    CatalogError
        If two different definitions share an id.

    Examples
    --------
    >>> from phindicators import bundled_catalog
    >>> data = catalog_to_json(bundled_catalog())
    >>> [key for key in data]
    ['format', 'format_version', 'sources', 'terms', 'indicators', 'target_sets']
    >>> imr = next(i for i in data["indicators"] if i["id"] == "infant_mortality_rate")
    >>> imr["numerator"], imr["denominator"], imr["source"]
    ('infant_deaths', 'live_births', 'mch_survey_2015')
    """
    contents: dict[str, Iterable[Any]] = {
        "sources": catalog.sources.values(),
        "terms": catalog.terms.values(),
        "indicators": catalog.indicators(),
        "target_sets": target_sets,
    }
    registry = _Registry(cls for _, cls in CATALOG_COLLECTIONS)
    for key, _ in CATALOG_COLLECTIONS:
        for obj in contents[key]:
            registry.define(obj)
    # Later collections refer to earlier ones (indicators to terms), so encode
    # them first: whatever they refer to is then in its table.
    encoded = {
        key: [_encode_fields(obj, registry) for obj in list(registry.tables[cls].values())]
        for key, cls in reversed(CATALOG_COLLECTIONS)
    }
    return {
        "format": CATALOG_FORMAT,
        "format_version": CATALOG_FORMAT_VERSION,
        **{key: encoded[key] for key, _ in CATALOG_COLLECTIONS},
    }


def _read_collections(data: Mapping[str, Any], path: str) -> dict[str, list[Any]]:
    """Decode every collection of an exported catalog, resolving ids."""
    if not isinstance(data, Mapping):
        raise CatalogError(path, f"must be a JSON object, got {type(data).__name__}")
    expected = ["format", "format_version", *(key for key, _ in CATALOG_COLLECTIONS)]
    for key in data:
        if key not in expected:
            raise CatalogError(path, f"unknown top-level key {key!r} (expected {expected})")
    if data.get("format") != CATALOG_FORMAT or data.get("format_version") != CATALOG_FORMAT_VERSION:
        raise CatalogError(
            path,
            f"not a {CATALOG_FORMAT} document of version {CATALOG_FORMAT_VERSION} "
            f"(format {data.get('format')!r}, version {data.get('format_version')!r})",
        )
    references: dict[type, dict[str, Any]] = {}
    for key, cls in CATALOG_COLLECTIONS:
        items = data.get(key, [])
        if not isinstance(items, list):
            raise CatalogError(path, f"must be an array, got {type(items).__name__}", field=key)
        table: dict[str, Any] = {}
        for number, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, Mapping) else None
            label = item_id if isinstance(item_id, str) else f"{key}[{number}]"
            if label in table:
                raise CatalogError(path, f"defined twice in {key}", item=label)
            try:
                table[label] = _decode_object(item, cls, "", references)
            except DefinitionError as error:
                raise CatalogError(path, error.message, item=label, field=error.field) from None
        references[cls] = table
    return {key: list(references[cls].values()) for key, cls in CATALOG_COLLECTIONS}


def catalog_from_json(data: Mapping[str, Any], *, path: str = "<json>") -> Catalog:
    """Rebuild a :class:`~phindicators.catalog.Catalog` from :func:`catalog_to_json` output.

    The document's target sets are decoded too (an invalid one is an error);
    :func:`target_sets_from_json` returns them.

    Raises
    ------
    CatalogError
        Naming ``path``, the definition (by id) and the field at fault.

    Examples
    --------
    >>> from phindicators import bundled_catalog
    >>> catalog = catalog_from_json(catalog_to_json(bundled_catalog()))
    >>> catalog.get("infant_mortality_rate") == bundled_catalog().get("infant_mortality_rate")
    True
    """
    from .catalog import Catalog

    collections = _read_collections(data, path)
    return Catalog(collections["indicators"], collections["terms"], collections["sources"])


def target_sets_from_json(data: Mapping[str, Any], *, path: str = "<json>") -> list[TargetSet]:
    """The target sets of a :func:`catalog_to_json` document.

    Each target is checked against the document's own indicators as target
    files are (known indicator, unit of its dimension, thresholds inside its
    valid range, comparator agreeing with its polarity).

    Raises
    ------
    CatalogError
        Naming ``path``, the target (or set) and the field at fault.

    Examples
    --------
    >>> from phindicators import bundled_catalog
    >>> from phindicators.targets import Target, TargetSet
    >>> from phindicators.model import Source
    >>> plan = Source(id="county_plan", title="County plan")
    >>> mmr = Target(id="mmr", indicator="maternal_mortality_ratio", comparator="<=",
    ...              threshold=15, unit="per_hundred_thousand", source=plan, plan="county_plan")
    >>> county = TargetSet(id="county_plan", name_zh="县规划", name_en="County plan",
    ...                    version="2021", source=plan, targets=[mmr])
    >>> target_sets_from_json(catalog_to_json(bundled_catalog(), [county])) == [county]
    True
    """
    collections = _read_collections(data, path)
    indicators = {indicator.id: indicator for indicator in collections["indicators"]}
    for target_set in collections["target_sets"]:
        for target in target_set:
            if target.indicator not in indicators:
                close = difflib.get_close_matches(target.indicator, indicators, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise CatalogError(
                    path,
                    f"unknown indicator {target.indicator!r}{hint}",
                    item=target.id,
                    field="indicator",
                )
            check_against_indicator(path, target, indicators[target.indicator])
    return collections["target_sets"]


# -- writing ----------------------------------------------------------------------------


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
