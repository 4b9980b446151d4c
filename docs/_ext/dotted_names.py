"""The Python objects a dotted name can mean, for the docs' cross-reference
resolver (conf.py) and the test that keeps the API reference complete."""

from __future__ import annotations

import importlib


def dotted_objects(path: str, *, whole_path_module: bool = False) -> list[object]:
    """What ``path`` names: the attribute path from its top-level package,
    and the longest importable module prefix with attributes of it.

    The two differ where a package attribute shadows a submodule of the same
    name (``phindicators.compute`` is a function and a module). The module
    prefix stops short of the whole path unless ``whole_path_module``: a
    cross-reference names an object, while an ``automodule`` directive names
    the module itself.
    """
    found = []
    parts = path.split(".")
    try:
        obj: object = importlib.import_module(parts[0])
        for part in parts[1:]:
            obj = getattr(obj, part)
        found.append(obj)
    except (ImportError, AttributeError):
        pass
    longest = len(parts) if whole_path_module else len(parts) - 1
    for cut in range(longest, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                obj = getattr(obj, part)
        except AttributeError:
            break
        found.append(obj)
        break
    return found
