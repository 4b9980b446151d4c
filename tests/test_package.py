"""The package namespace: every public name resolves, beyond-core modules load lazily."""

from __future__ import annotations

import subprocess
import sys

import phindicators as ph


def test_every_public_name_resolves() -> None:
    for name in ph.__all__:
        assert getattr(ph, name) is not None, name
    assert sorted(ph.__all__) == sorted(set(ph.__all__))
    assert set(ph.__all__) <= set(dir(ph))


def _fresh(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_import_loads_only_the_core() -> None:
    loaded = _fresh(
        "import sys, phindicators;"
        "print(sorted(m.split('.')[1] for m in sys.modules if m.startswith('phindicators.')))"
    )
    for heavy in ("audit", "extract", "figures", "targets", "compare", "scorecard", "serialize"):
        assert f"'{heavy}'" not in loaded


def test_functions_named_like_their_module_stay_functions() -> None:
    out = _fresh(
        "import phindicators as ph, phindicators.audit, phindicators.extract;"
        "from phindicators.scorecard import Scorecard;"
        "print(callable(ph.audit), callable(ph.extract), callable(ph.scorecard), type(ph.audit).__name__)"
    )
    assert out == "True True True function"


def test_unknown_attributes_raise_attribute_error() -> None:
    try:
        ph.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")
