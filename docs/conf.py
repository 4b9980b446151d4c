"""Sphinx configuration for the phindicators documentation.

Build (warnings are errors, every reference must resolve)::

    sphinx-build -W -n -b html docs docs/_build/html
    sphinx-build -W -n -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import doctest
import re
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.ext import napoleon
from sphinx.util.nodes import make_refnode

import phindicators

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from dotted_names import dotted_objects  # noqa: E402 (after the path is set)

project = "phindicators"
author = "phindicators developers"
copyright = "2026, phindicators developers"
release = phindicators.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "catalog_pages",
    "cli_page",
]

# Every page's examples run under `sphinx-build -b doctest`.
doctest_global_setup = "import numpy as np\nimport phindicators as ph"
# Docstring examples are run by pytest --doctest-modules in their own module
# namespace; here only the pages' own `.. doctest::` blocks run.
doctest_test_doctest_blocks = ""
# Sphinx ignores exception messages by default; the messages shown are part of
# what the pages promise, so they are compared too.
doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

nitpicky = True
# Names from outside the project (no inventory offline) and the words NumPy
# docstrings use for types ("array_like", "sequence of float").
_EXTERNAL_MODULES = (
    "numpy|np|numpy\\.typing|pint|pandas|matplotlib|attrs|os|enum|collections\\.abc|typing"
    "|datetime|decimal|fractions|re"
)
_TYPE_WORDS = (
    "str|int|float|bool|bytes|None|tuple|list|dict|object|callable|type|range|sequence|mapping|iterable"
)
nitpick_ignore_regex = [
    (r"py:.*", rf"({_EXTERNAL_MODULES})\..*"),
    (r"py:.*", r"(ArrayLike|NDArray|ndarray|array_like|optional|Quantity|UnitRegistry|numpy Generator|Generator)"),
    (r"py:.*", rf"({_TYPE_WORDS})( of .*)?"),
    (r"py:.*", r"(Mapping|Sequence|Iterable|Iterator|Callable|Any|Traversable|IO|TypeVar|T)"),
    (r"py:.*", r"(Decimal|Fraction|date|datetime|Enum|StrEnum|Exception|LookupError|ValueError|TypeError)"),
    (r"py:.*", r'\{?"[a-z_]+"(, "[a-z_]+")*\}?'),
    (r"py:.*", r"(number|array|path|file|binary file|open file|them|a group|DataFrame|\"-\"|str to .*|.* to str)"),
    # Private helpers and type variables are not documented on purpose.
    (r"py:.*", r"phindicators(\.\w+)*\._\w+"),
    (r"py:.*", r"phindicators\.serialize(\.decoding)?\.T"),
]

html_theme = "pydata_sphinx_theme"
html_title = "phindicators"
html_static_path = ["_static"]
html_css_files = ["phindicators.css"]
html_js_files = ["table-filter.js"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}

# No left sidebar: the top bar reaches every section, each page lists its
# own sections on the right, and the catalog's pages (mostly wide tables) are
# reached from its searchable table; a sidebar listing every indicator would
# only crowd them.
html_sidebars = {"**": []}

exclude_patterns = ["_build"]


def _same(a: object, b: object) -> bool:
    # A class's method is a new bound object on every access: compare functions.
    return getattr(a, "__func__", a) is getattr(b, "__func__", b)


def resolve_other_name(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve a reference that names a documented object by another name.

    Docstrings name objects by the module they live in
    (``phindicators.pooling.annualise``) or by a bare name within it
    (``KIND_INTERVALS``); the API reference documents most of them under the
    name users import (``phindicators.annualise``). Such a reference resolves
    only to a documented object with the same final name that is the very
    same Python object, or, for a bare name that imports nothing, to the one
    documented object of that name. Anything else stays a warning.
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    last = target.rpartition(".")[2]
    domain = env.get_domain("py")
    candidates = {name: entry for name, entry in domain.objects.items() if name.rpartition(".")[2] == last}
    if not candidates:
        return None
    wanted = dotted_objects(target)
    if not wanted and "." not in target:
        module = node.get("py:module")
        wanted = dotted_objects(f"{module}.{target}") if module else []
    if wanted:
        chosen = [
            name for name in candidates if any(_same(obj, want) for obj in dotted_objects(name) for want in wanted)
        ]
    else:
        chosen = list(candidates) if "." not in target else []
    if len(chosen) != 1:
        return None
    entry = candidates[chosen[0]]
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, chosen[0])


def public_bases(app: Sphinx, name: str, obj: object, options: dict[str, Any], bases: list[type]) -> None:
    """Show only public base classes (a private mixin is an implementation detail)."""
    bases[:] = [base for base in bases if not base.__name__.startswith("_")]


_GROUPED_NAMES = re.compile(r"^(\w+(?:\s*,\s*\w+)+)(\s*:.*)?$")


def split_grouped_attributes(lines: list[str]) -> None:
    """Give each name of a grouped "Attributes" entry its own entry.

    NumPy docstrings group attributes that share a type and a description
    ("display_zh, display_en : str"); napoleon would make one attribute named
    "display_zh, display_en", which nothing can link to.
    """
    out: list[str] = []
    in_section = False
    i = 0
    while i < len(lines):
        line = lines[i]
        underlined = i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}
        if underlined and line and not line[0].isspace():
            in_section = line.strip() == "Attributes"
        found = _GROUPED_NAMES.match(line) if in_section and not underlined else None
        if found is None:
            out.append(line)
            i += 1
            continue
        end = i + 1
        while end < len(lines) and (not lines[end] or lines[end][0].isspace()):
            end += 1
        for name in re.split(r"\s*,\s*", found.group(1)):
            out += [name + (found.group(2) or ""), *lines[i + 1 : end]]
        i = end
    lines[:] = out


def numpy_docstring(app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]) -> None:
    """Napoleon's NumPy docstrings, without its inline-type rule for attributes.

    For attributes and properties napoleon reads "text before a colon: text"
    as "type: description"; the project's attribute docstrings are prose
    ("What the report should have printed: the recomputed value …", with
    the types in annotations), so they are parsed as any other docstring.
    """
    split_grouped_attributes(lines)
    napoleon._process_docstring(
        app, "function" if what in {"attribute", "data", "property"} else what, name, obj, options, lines
    )


def setup(app: Sphinx) -> dict[str, Any]:
    listeners = app.events.listeners["autodoc-process-docstring"]
    for listener in list(listeners):
        if listener.handler is napoleon._process_docstring:
            app.disconnect(listener.id)
    app.connect("autodoc-process-docstring", numpy_docstring)
    app.connect("autodoc-process-bases", public_bases)
    app.connect("missing-reference", resolve_other_name)
    return {"parallel_read_safe": True}
