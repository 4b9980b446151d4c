"""``typing.get_type_hints`` resolves every field of every attrs class of
the package: each class's module imports at run time what its fields name,
so serialisation and introspection need no source reading of their own."""

from __future__ import annotations

import importlib
import pkgutil
import typing

import attrs
import pytest

import phindicators

#: Adapters whose optional dependencies may be missing are still importable
#: (they import those packages inside their functions), so every module is
#: walked.
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(phindicators.__path__, "phindicators.")
    if not info.name.endswith("__main__")
)


def _attrs_classes() -> list[type]:
    classes = []
    for name in MODULES:
        module = importlib.import_module(name)
        classes += [
            value for value in vars(module).values()
            if isinstance(value, type) and attrs.has(value) and value.__module__ == name
        ]
    return classes


@pytest.mark.parametrize("cls", _attrs_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_get_type_hints_resolves_every_field(cls: type) -> None:
    hints = typing.get_type_hints(cls)
    assert {field.name for field in attrs.fields(cls)} <= set(hints)
