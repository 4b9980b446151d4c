"""The parser of the ``phindicators`` command, and :func:`main`, its entry point."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from phindicators.compare.benchmarks import POOLED
from phindicators.display import (
    LANGUAGES,
)
from phindicators.errors import PhindicatorsError
from phindicators.export import EXPORT_FORMATS

from .common import UsageError


def _command(module: str, name: str) -> Callable[[argparse.Namespace], int | None]:
    """The function that runs a command, imported when the command runs:
    ``phindicators scorecard`` does not load the audit or export code."""

    def run(args: argparse.Namespace) -> int | None:
        command: Callable[[argparse.Namespace], int | None] = getattr(
            importlib.import_module(f"phindicators.cli.{module}"), name
        )
        return command(args)

    return run


run_list = _command("definitions", "run_list")
run_show = _command("definitions", "run_show")
run_compute = _command("definitions", "run_compute")
run_export = _command("definitions", "run_export")
run_demo = _command("definitions", "run_demo")
run_scorecard = _command("scorecard", "run_scorecard")
run_audit = _command("audit", "run_audit")

# -- the parser ------------------------------------------------------------------------------


def _number(text: str) -> float | int:
    """A number typed on the command line, never silently rounded: whole
    numbers stay exact ints (9007199254740993 reaches the library as given,
    to be refused there as too large a count), and a decimal whose whole
    part a float cannot hold exactly (from 2**52) is refused."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        exact = Decimal(text.strip())
        value = float(exact)
    except (InvalidOperation, ValueError):
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not exact.is_finite():
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    if abs(exact) >= 2**52 and exact != exact.to_integral_value():
        raise argparse.ArgumentTypeError(f"{text!r} has more digits than a float holds exactly")
    return value


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="zh", help="language of the output (default zh)")


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", metavar="PATH", help="write here instead of to stdout")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phindicators",
        description="Public-health indicator definitions: look them up, compute them from "
        "counts, score tables against targets, export the catalog, audit reports.",
        epilog="Exit status: 0 success; 1 the input has problems the command reports "
        "(scorecard rows not computed, audit figures that do not add up); 2 bad usage or "
        "unreadable input.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list indicators", description="List the bundled indicators.")
    listing.add_argument("--domain", help="only this domain (e.g. child_health)")
    listing.set_defaults(run=run_list)

    show = commands.add_parser(
        "show",
        help="the definition card of an indicator",
        description="The definition card of an indicator: names, aliases, definition, formula, "
        "unit, valid range, polarity, source, and its targets in every bundled target set.",
    )
    show.add_argument("indicator", help="id or name (Chinese, English or alias)")
    _add_lang(show)
    show.set_defaults(run=run_show)

    compute = commands.add_parser(
        "compute",
        help="compute an indicator from counts",
        description="Compute an indicator from its numerator and denominator (none for counts).",
    )
    compute.add_argument("indicator", help="id or name (Chinese, English or alias)")
    compute.add_argument("numerator", type=_number)
    compute.add_argument("denominator", type=_number, nargs="?")
    compute.add_argument(
        "--confidence",
        type=_number,
        metavar="LEVEL",
        help="also show the confidence interval at LEVEL (e.g. 0.95 or 99.8)",
    )
    _add_lang(compute)
    compute.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: value, interval (at LEVEL, default 0.95), method and displays in both languages",
    )
    compute.set_defaults(run=run_compute)

    card = commands.add_parser(
        "scorecard",
        help="compute and judge every indicator of a table of counts",
        description="Compute every indicator of every area and period of a CSV table, with "
        "intervals, target status and a comparison with a benchmark area. Long tables have the "
        "columns indicator, area, period, numerator, denominator; wide tables area, period and "
        "one column per term id (live_births, maternal_deaths, ...), and are also checked "
        "against the validation rules. Rows that cannot be computed are reported with their "
        "line numbers (exit status 1); the others are computed all the same.",
    )
    card.add_argument(
        "file",
        nargs="?",
        help="a CSV table (UTF-8, GB18030/GBK or UTF-16: detected) or a .xlsx/.xls sheet; - reads "
        "stdin (default: a bundled example table)",
    )
    card.add_argument(
        "--targets",
        metavar="SET",
        action="append",
        help="hold the rows to this target set (e.g. women_outline_2011); repeat for several",
    )
    card.add_argument("--area", metavar="COL", help="the column of areas (default: area or 地区)")
    card.add_argument("--period", metavar="COL", help="the column of periods (default: period or 时期)")
    card.add_argument(
        "--encoding", metavar="ENC", help="the CSV file's encoding (default: detected; e.g. gb18030, utf-16)"
    )
    card.add_argument("--sheet", metavar="NAME", help="the sheet of a spreadsheet (default: the first)")
    card.add_argument(
        "--uncertain",
        action="store_true",
        help="say 'uncertain' where a value's interval holds the target's threshold",
    )
    card.add_argument(
        "--benchmark",
        metavar="AREA",
        help=f"compare each area with this area of the table, or {POOLED!r} for the pooled total",
    )
    card.add_argument(
        "--confidence",
        type=_number,
        default=0.95,
        metavar="LEVEL",
        help="confidence level of the intervals (default 0.95)",
    )
    card.add_argument(
        "--format",
        choices=("table", "json", "csv", "xlsx", "parquet"),
        help="default: by the extension of --output (.csv, .json, .txt, .xlsx, .parquet), else table",
    )
    _add_output(card)
    card.add_argument(
        "--plot",
        metavar="OUT.png",
        help="also draw values and intervals against the target line (needs matplotlib: "
        "pip install 'phindicators[plot]')",
    )
    _add_lang(card)
    card.set_defaults(run=run_scorecard)

    export = commands.add_parser(
        "export",
        help="export the catalog (JSON, JSON Schema, FHIR, DHIS2)",
        description="Export the bundled catalog: json (definitions and target sets), schema (the "
        "JSON Schema of that document), fhir (an R4 Bundle of Measures), dhis2 (a metadata package).",
    )
    export.add_argument("--format", choices=tuple(EXPORT_FORMATS), default="json")
    _add_output(export)
    export.set_defaults(run=run_export)

    demo = commands.add_parser(
        "demo",
        help="list the catalog and recompute the bundled examples",
        description="List the catalog and recompute every worked example of the bundled reports.",
    )
    demo.set_defaults(run=run_demo)

    audit = commands.add_parser(
        "audit",
        help="find indicator figures in a report and check them against their counts",
        description="Find every catalog indicator figure in a plain-text report, recompute it "
        "from the counts the sentence gives and say whether it adds up. Exit status: 0 when "
        "nothing is inconsistent or impossible, 1 when something is, 2 for bad usage or an "
        "unreadable file.",
    )
    audit.add_argument(
        "report",
        nargs="?",
        help="a report: text (UTF-8, GB18030 or UTF-16, detected), .docx or .pdf; - reads stdin "
        "(default: a bundled example report)",
    )
    audit.add_argument("--encoding", help="the text's encoding, when detection guesses wrong (e.g. gb18030)")
    audit.add_argument(
        "--targets", metavar="SET", help="also hold each figure to this target set (e.g. women_outline_2011)"
    )
    audit.add_argument("--format", choices=("table", "json", "csv"), default="table")
    audit.add_argument(
        "--strict", action="store_true", help="also exit 1 when a figure was truncated, not rounded"
    )
    audit.set_defaults(run=run_audit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad usage or input).

    argparse itself exits with status 2 (SystemExit) for arguments it
    cannot parse.
    """
    # pyarrow's default allocator (jemalloc/mimalloc) keeps freed memory for
    # reuse; a command that reads one table and exits peaks 45 MB lower on
    # the system allocator (100 000 rows: 386 MB -> 341 MB). A caller's own
    # setting wins; it is read when pyarrow is first imported, after this.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
    except (PhindicatorsError, UsageError) as error:
        print(f"phindicators: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, and keep Python from
        # complaining when it flushes stdout at exit.
        # Exit 0: 1 means "a figure does not add up", which a closed pipe
        # says nothing about (as `yes | head` ends quietly).
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"phindicators: error: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("phindicators: interrupted", file=sys.stderr)
        return 130
    return status or 0
