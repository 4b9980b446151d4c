"""The package's layers: imports only point down, and the table says where
each module lives.

Every import is parsed with :mod:`ast` — at the top of a module, inside
functions and under ``TYPE_CHECKING`` alike — and each one between two of
the package's units must go from a higher layer to a lower one, or, within
a layer, from a later row to an earlier one. A unit is a top-level module or
subpackage (``phindicators.stats`` and everything in it is one unit). The
one allowed upward call is ``Indicator.compute`` → ``compute``, made inside
the method (see :meth:`phindicators.model.Indicator.compute`).

The table is the architecture page of the documentation
(``docs/architecture.rst``) in code: change them together.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "src" / "phindicators"

#: Layers from the bottom up; within a layer, a unit may import the units
#: listed before it on the same row.
LAYERS: tuple[tuple[str, ...], ...] = (
    # L0 foundation
    ("_version", "_text", "errors", "_files", "_optional", "_once", "_data", "_threads", "_counts", "_options", "_json", "units",
     "periods", "_toml", "_validators"),
    # L1 primitives
    ("stats", "model", "display"),
    # L2 core
    ("catalog", "figures", "validation", "tabular", "compute"),
    # L3 on results
    ("pooling", "targets", "rules"),
    # L4 workflows
    ("compare", "audit", "extract", "scorecard"),
    # L5 adapters
    ("io", "serialize", "schema", "fhir", "dhis2", "export", "frames", "plots"),
    # L6 entry points
    ("cli", "__main__"),
)

#: The package namespace re-exports everything lazily: it sits above all.
TOP = "__init__"

#: (importing unit, imported unit, where): the documented exceptions.
ALLOWED_UPWARD = {
    ("model", "compute", "Indicator.compute"),
    ("model", "compute", ""),  # the same edge's return type, under TYPE_CHECKING
}

RANK = {unit: (layer, row) for layer, units in enumerate(LAYERS) for row, unit in enumerate(units)}


def _unit(module: str) -> str | None:
    """The unit of a dotted module name inside the package, or None."""
    parts = module.split(".")
    if parts[0] != "phindicators":
        return None
    return parts[1] if len(parts) > 1 else TOP


def _module_name(path: pathlib.Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: pathlib.Path) -> list[tuple[str, int, str]]:
    """(imported module, line, enclosing function) of every import in a file."""
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{where}.{child.name}" if where else child.name
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, where) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = module.split(".")
                    keep = len(base) - child.level + (1 if is_package else 0)
                    target = ".".join(base[:keep] + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if child.module is None or target == "phindicators":
                    # "from . import stats": each name is a module of the package
                    found.extend((f"{target}.{alias.name}", child.lineno, where) for alias in child.names)
                else:
                    found.append((target, child.lineno, where))
            visit(child, inner)

    visit(tree, "")
    return found


def _edges() -> list[tuple[str, str, str, int, str]]:
    edges = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source_unit = _unit(_module_name(path))
        assert source_unit is not None
        for target, line, where in _imports(path):
            target_unit = _unit(target)
            if target_unit is None or target_unit == source_unit:
                continue
            edges.append((source_unit, target_unit, str(path.relative_to(PACKAGE)), line, where))
    return edges


def test_every_unit_has_a_layer() -> None:
    units = {_unit(_module_name(p)) for p in PACKAGE.rglob("*.py")}
    missing = sorted(u for u in units if u not in RANK and u != TOP)
    assert not missing, f"add these to LAYERS (and to docs/architecture.rst): {missing}"


def test_imports_only_point_down() -> None:
    upward = []
    for source, target, path, line, where in _edges():
        if source == TOP:
            continue
        if target == TOP:
            upward.append(f"{path}:{line} imports the package namespace (import from the home module)")
            continue
        if RANK[target] < RANK[source]:
            continue
        if (source, target, where) in ALLOWED_UPWARD:
            continue
        upward.append(f"{path}:{line} ({where or 'module level'}): {source} -> {target}")
    assert not upward, "imports that point up or sideways:\n" + "\n".join(upward)


def test_the_allowed_exception_is_still_needed_and_documented() -> None:
    edges = {(s, t, w) for s, t, _, _, w in _edges()}
    for source, target, where in ALLOWED_UPWARD:
        assert (source, target, where) in edges, f"{source} -> {target} in {where} is gone: drop the exception"
    text = (PACKAGE / "model.py").read_text(encoding="utf-8")
    assert "the one upward import" in text


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_private_names_stay_in_their_unit(path: pathlib.Path) -> None:
    """``from phindicators.x import _name`` only within x's own unit: a helper
    two units need lives below both, under a public name of a private module."""
    source_unit = _unit(_module_name(path))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    crossing = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = module.split(".")
            keep = len(base) - node.level + (1 if path.name == "__init__.py" else 0)
            target = ".".join(base[:keep] + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        target_unit = _unit(target)
        if target_unit in (None, source_unit, TOP):  # from the package: modules
            continue
        crossing += [f"line {node.lineno}: {alias.name} from {target}" for alias in node.names
                     if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert not crossing, "\n".join(crossing)


def test_the_architecture_page_names_every_unit() -> None:
    page = (PACKAGE.parents[1] / "docs" / "architecture.rst").read_text(encoding="utf-8")
    missing = [unit for units in LAYERS for unit in units if f"``{unit}``" not in page]
    assert not missing, f"docs/architecture.rst does not place: {missing}"
