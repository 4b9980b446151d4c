"""Sphinx configuration for the phindicators documentation."""

from __future__ import annotations

import sys
from pathlib import Path

import phindicators

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "phindicators"
author = "phindicators developers"
copyright = "2026, phindicators developers"
release = phindicators.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "catalog_pages",
]

# Every page's examples run under `sphinx-build -b doctest`.
doctest_global_setup = "import numpy as np\nimport phindicators as ph"
# Docstring examples are run by pytest --doctest-modules in their own module
# namespace; here only the pages' own `.. doctest::` blocks run.
doctest_test_doctest_blocks = ""

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
autosummary_generate = False
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

nitpicky = True
# Types that come from outside the project and have no inventory offline.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|pint|attrs|os|enum|collections\.abc|typing|numpy\.typing)\..*"),
    (r"py:.*", r"(ArrayLike|NDArray|ndarray|array_like|optional|Values|Quantity|UnitRegistry)"),
    (r"py:.*", r"(str|int|float|bool|None|tuple|list|dict|object|callable)( of .*)?"),
    (r"py:.*", r"(Mapping|Sequence|Iterable|Iterator|Callable|Any|Traversable)"),
    (r"py:.*", r'\{?"[a-z]+"\}?'),
    (r"py:.*", r"(pint\.)?(Quantity|UnitRegistry)"),
]

html_theme = "pydata_sphinx_theme"
html_title = "phindicators"
html_static_path = ["_static"]
html_js_files = ["table-filter.js"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"catalog/**": ["sidebar-nav-bs"]}

exclude_patterns = ["_build"]
