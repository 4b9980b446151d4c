"""Generate the command-line reference from the ``phindicators`` argument parser.

When the build starts, ``docs/generated/cli.rst`` is written with the help of
the command and of each of its subcommands, as argparse prints them, so the
page lists exactly the commands and options the installed package has.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import phindicators as ph
from phindicators.cli import parser as cli_parser

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sphinx.application import Sphinx

# Help is wrapped at this width whatever terminal runs the build.
COLUMNS = "88"

INTRO = """\
.. _cli:

Command line
============

Installing the package installs the ``phindicators`` command, a thin layer
over the library: each subcommand calls the functions described in the
guides and prints their results. ``python -m phindicators`` runs the same
command. The help below is generated from the installed command when the
documentation is built.

The command's entry point is :func:`phindicators.cli.main`, which takes the
arguments as a list and returns the exit status, so scripts and tests can
call it directly:

.. doctest::

   >>> from phindicators.cli import main
   >>> main(["compute", "孕产妇死亡率", "2", "2158"])
   孕产妇死亡率 (maternal_mortality_ratio): 92.68/10万
   0
   >>> main(["compute", "maternal_mortality_ratio", "2", "2158", "--lang", "en"])
   Maternal mortality ratio (maternal_mortality_ratio): 92.68 per 100,000 live births
   0

.. autofunction:: phindicators.cli.main

"""


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    # argparse keeps subparsers in a private action class; there is no public
    # way to list them.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _block(command: str, help_text: str) -> list[str]:
    lines = [".. code-block:: text", "", f"   $ {command} --help"]
    lines += [f"   {line}".rstrip() for line in help_text.rstrip().splitlines()]
    return [*lines, ""]


def cli_page() -> str:
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = COLUMNS
    try:
        parser = cli_parser._parser()
        out = [INTRO, *_block(parser.prog, parser.format_help())]
        for name, sub in _subcommands(parser).items():
            title = f"``phindicators {name}``"
            out += [title, "-" * len(title), "", *_block(sub.prog, sub.format_help())]
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    return "\n".join(out) + "\n"


def generate(app: Sphinx) -> None:
    path = Path(app.srcdir) / "generated" / "cli.rst"
    text = cli_page()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    return {"version": ph.__version__, "parallel_read_safe": True}
