"""Dicts back into attrs objects, checked field by field (and results against their counts)."""

from __future__ import annotations

import difflib
import enum
import math
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
import numpy as np

from .._json import NON_FINITE
from ..compute import Result, compute, interval_methods
from ..errors import DefinitionError, SerializationError
from ..units import conversion_factor

if typing.TYPE_CHECKING:  # pragma: no cover - typing only
    pass
from .hints import field_types, json_kind

T = TypeVar("T")

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
    levels = tuple(i.confidence for i in result.intervals) or None
    if "life_table" in indicator.needs:
        # Its value follows from the age bands, not from their totals.
        if result.bands is None:
            raise DefinitionError(
                "bands",
                f"a result of {indicator.id} is checked against its deaths and populations by age "
                "band, and this one has none (read it with verify=False to take it as written)",
            )
        fresh = compute(
            indicator, result.bands.deaths, result.bands.populations, ages=result.bands.ages, confidence=levels
        )
        # The band totals, in their terms' units (no conversion).
        checks: list[tuple[str, Any, Any, float]] = [
            ("numerator", fresh.numerator, result.numerator, 1.0),
            ("denominator", fresh.denominator, result.denominator, 1.0),
        ]
    else:
        fresh = compute(
            indicator,
            result.numerator,
            result.denominator,
            confidence=levels,
            method=method if method in interval_methods(indicator) else None,
        )
        checks = []
    factor = conversion_factor(indicator.unit, result.unit)
    if result.annualisation is not None:
        annualisation = result.annualisation
        if not (isinstance(annualisation, float) and math.isfinite(annualisation) and annualisation > 0):
            raise DefinitionError("annualisation", f"must be a finite number > 0, got {annualisation!r}")
        factor *= annualisation
    checks.append(("value", fresh.value, result.value, factor))
    for number, (computed, read) in enumerate(zip(fresh.intervals, result.intervals, strict=True)):
        checks += [
            (f"intervals[{number}].{name}", getattr(computed, name), getattr(read, name), factor)
            for name in ("value", "lower", "upper")
        ]
    for field, want, got, by in checks:
        expected = np.asarray(want, dtype=np.float64) * by
        # equal_nan: a life expectancy PHE would not publish is NaN both ways.
        agrees = np.shape(got) == expected.shape and bool(
            np.allclose(np.asarray(got, dtype=np.float64), expected, rtol=1e-9, atol=0.0, equal_nan=True)
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
    Every :class:`~phindicators.Result` inside is recomputed from
    the counts it carries, so that an edited figure is not passed on as a
    computed one.

    Parameters
    ----------
    cls : type
        The attrs class to rebuild.
    data : mapping
        Its JSON form.
    verify : bool, optional
        Recompute every :class:`~phindicators.Result` inside from
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
    >>> from phindicators.serialize import to_dict
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
