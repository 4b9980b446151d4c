"""The ``phindicators`` command line, a thin layer over the public API.

Subcommands: ``list``, ``show``, ``compute``, ``scorecard``, ``export``,
``demo`` and ``audit``; ``phindicators COMMAND --help`` describes each.
Exit status: 0 on success, 1 when the input has problems the command reports
(rows a scorecard could not compute, figures an audit finds inconsistent),
2 for bad usage or unreadable input, with a message and never a traceback.
Files written with ``--output`` and ``--plot`` are written atomically: to a
temporary file in the same directory, renamed over the target only once
complete, so an interrupted run leaves any previous file intact.

Examples
--------
>>> main(["compute", "maternal_mortality_ratio", "2", "2158"])
孕产妇死亡率 (maternal_mortality_ratio): 92.68/10万
0
>>> main(["compute", "maternal_mortality_ratio", "2", "2158", "--confidence", "0.95", "--lang", "en"])
Maternal mortality ratio (maternal_mortality_ratio): 92.68 per 100,000 live births (95% CI 11.22–334.79)
0

The package has one module per command family (``definitions``,
``scorecard``, ``audit``), the output plumbing (``output``) and the parser
(``main``).
"""

from __future__ import annotations

from .common import LARGE_INPUT
from .parser import main

__all__ = [
    "LARGE_INPUT",
    "main",
]
