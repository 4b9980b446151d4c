"""attrs validators and converters that raise the library's DefinitionError,
naming the field: one copy, shared by every definition class (indicators,
terms, sources, targets, rules).

Examples
--------
>>> import attrs
>>> @attrs.frozen
... class Thing:
...     id: str = attrs.field(validator=identifier)
>>> Thing("Bad Id")
Traceback (most recent call last):
...
phindicators.errors.DefinitionError: id: must be an ascii snake_case identifier, got 'Bad Id'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import Any

import attrs

from .errors import DefinitionError, UnitError
from .units import unit_spec

__all__ = [
    "IDENTIFIER",
    "check",
    "field_tuple",
    "flag",
    "identifier",
    "identifiers",
    "instance_of",
    "known_unit",
    "member_of",
    "nonempty_text",
    "optional_text",
    "to_member",
]

#: An ascii snake_case identifier: the ids of every definition.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def check(field: str, ok: bool, message: str) -> None:
    if not ok:
        raise DefinitionError(field, message)


def identifier(instance: object, attribute: attrs.Attribute, value: object) -> None:
    check(
        attribute.name,
        isinstance(value, str) and bool(IDENTIFIER.match(value)),
        f"must be an ascii snake_case identifier, got {value!r}",
    )


def nonempty_text(instance: object, attribute: attrs.Attribute, value: object) -> None:
    check(
        attribute.name,
        isinstance(value, str) and bool(value.strip()),
        f"must be a non-empty string, got {value!r}",
    )


def optional_text(instance: object, attribute: attrs.Attribute, value: object) -> None:
    check(attribute.name, isinstance(value, str), f"must be a string, got {value!r}")


def flag(instance: object, attribute: attrs.Attribute, value: object) -> None:
    check(attribute.name, isinstance(value, bool), f"must be true or false, got {value!r}")


def known_unit(instance: object, attribute: attrs.Attribute, value: object) -> None:
    try:
        unit_spec(value)  # type: ignore[arg-type]
    except UnitError as error:
        raise DefinitionError(attribute.name, str(error)) from None


def to_member(enum_type: type[enum.StrEnum], value: object) -> Any:
    """``value`` as a member of ``enum_type`` if it spells one, else unchanged.

    Catalog files spell enum members as strings; unknown spellings are
    reported by the field validator (:func:`member_of`), which knows the
    field's name. Used as ``converter=lambda value: to_member(Kind, value)``.
    """
    try:
        return enum_type(value)  # type: ignore[arg-type]  # any spelling; ValueError if unknown
    except ValueError:
        return value


def member_of(enum_type: type[enum.StrEnum]) -> Callable[[object, attrs.Attribute, object], None]:
    def validate(instance: object, attribute: attrs.Attribute, value: object) -> None:
        check(
            attribute.name,
            isinstance(value, enum_type),
            f"must be one of {', '.join(m.value for m in enum_type)}, got {value!r}",
        )

    return validate


def instance_of(cls: type, *, optional: bool = False) -> Callable[[object, attrs.Attribute, object], None]:
    # Like attrs.validators.instance_of, but raising the library's
    # DefinitionError that names the field.
    def validate(instance: object, attribute: attrs.Attribute, value: object) -> None:
        check(
            attribute.name,
            isinstance(value, cls) or (optional and value is None),
            f"must be a {cls.__name__}{' or None' if optional else ''}, got {value!r}",
        )

    return validate


def field_tuple(field: str, value: object) -> tuple[str, ...]:
    # A list of strings; each element is checked by the field's validator.
    if isinstance(value, str):
        return (value,)
    check(field, isinstance(value, list | tuple), f"must be a list of strings, got {value!r}")
    return tuple(value)  # type: ignore[arg-type]


def identifiers(instance: object, attribute: attrs.Attribute, value: tuple[object, ...]) -> None:
    for item in value:
        identifier(instance, attribute, item)
