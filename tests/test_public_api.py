"""The public API is declared once, in ``phindicators._PUBLIC``.

``__all__``, the lazy loader and the typing stub ``__init__.pyi`` all come
from that table. The stub is generated (run this file with ``--write`` after
changing the table) and this test fails when it is stale, when a name does
not resolve to its home, or when a documented import path stops working.
"""

from __future__ import annotations

import importlib
import pathlib
import subprocess
import sys

import pytest

import phindicators as ph

STUB = pathlib.Path(ph.__file__).with_suffix(".pyi")


def render_stub() -> str:
    """The typing stub that ``phindicators._PUBLIC`` implies."""
    lines = [
        '"""Typing stub of the lazily loaded namespace: generated from _PUBLIC in',
        "__init__.py by ``python tests/test_public_api.py --write``; do not edit.\"\"\"",
        "",
    ]
    for module, names in ph._PUBLIC.items():
        pairs = names.items() if isinstance(names, dict) else ((n, n) for n in names)
        lines.append(f"from .{module} import (")
        lines += [f"    {attribute} as {name}," for name, attribute in sorted(pairs)]
        lines.append(")")
    lines += ["", '__version__: str', "__all__: list[str]", ""]
    return "\n".join(lines)


def test_the_stub_is_generated_from_the_table() -> None:
    assert STUB.read_text(encoding="utf-8") == render_stub(), (
        "__init__.pyi is stale: run `python tests/test_public_api.py --write`"
    )


def test_all_is_the_table() -> None:
    assert ph.__all__ == sorted(ph._HOMES)
    assert len(ph.__all__) == len(set(ph.__all__))


@pytest.mark.parametrize("name", ph.__all__)
def test_every_public_name_resolves_to_its_home(name: str) -> None:
    module, attribute = ph._HOMES[name]
    home = importlib.import_module(f"phindicators.{module}")
    assert getattr(ph, name) is getattr(home, attribute)


def test_dir_shows_the_public_names_only() -> None:
    assert sorted(dir(ph)) == sorted([*ph.__all__, "__version__"])


def test_the_import_is_lazy() -> None:
    code = (
        "import sys, phindicators as ph; ph.InvalidCountsError; "
        "print(sorted(m for m in ('attrs', 'pint', 'scipy', 'pandas', 'narwhals') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_submodules_named_like_functions_do_not_replace_them() -> None:
    for name in ph._SHADOWED:
        importlib.import_module(f"phindicators.{name}")
        assert callable(getattr(ph, name)) and not isinstance(getattr(ph, name), type(ph))


@pytest.mark.parametrize(
    "path",
    [
        "phindicators.compute.KIND_INTERVALS",
        "phindicators.compute.Result",
        "phindicators.stats.INTERVAL_METHODS",
        "phindicators.stats.wilson_interval",
        "phindicators.stats.BLOCK_ROWS",
        "phindicators.scorecard.COLUMN_NAMES",
        "phindicators.fhir.to_fhir_bundle",
        "phindicators.pooling.Period",
        "phindicators.validation.MAX_EXACT_COUNT",
        "phindicators.serialize.to_json_value",
    ],
)
def test_documented_import_paths_keep_working(path: str) -> None:
    module, _, name = path.rpartition(".")
    assert hasattr(importlib.import_module(module), name)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        STUB.write_text(render_stub(), encoding="utf-8")
        print(f"wrote {STUB}")
    else:
        sys.exit(pytest.main([__file__, "-q"]))
