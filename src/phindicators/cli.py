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
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

import phindicators as ph
from phindicators._data import bundled_text
from phindicators.audit import Status, TargetCheck, check_target
from phindicators.compute import value_scale
from phindicators.display import (
    KIND_LABELS,
    LANGUAGES,
    POLARITY_LABELS,
    SCOPE_LABELS,
    format_count,
    format_result,
    text_width,
)
from phindicators.export import EXPORT_FORMATS, export_catalog
from phindicators.extract import Mention, example_report, extract
from phindicators.scorecard import (
    POOLED,
    RowError,
    RowViolation,
    Scorecard,
    format_target,
    scorecard,
)
from phindicators.serialize import json_text, to_json_value, write_json
from phindicators.targets import TargetSet, target_set
from phindicators.units import unit_spec

__all__ = ["LARGE_INPUT", "main"]

#: Tables with more data lines than this get a progress bar on stderr (when
#: stderr is a terminal); smaller ones take a couple of seconds at most.
LARGE_INPUT = 200_000

#: The table ``scorecard`` reads when given no file (package data).
EXAMPLE_TABLE = ("examples", "scorecard_example.csv")


class _UsageError(Exception):
    """Bad usage the parser cannot see; main() prints it and exits 2."""


def _name(indicator: ph.Indicator, lang: str) -> str:
    return indicator.name_zh if lang == "zh" else indicator.name_en


def _list(args: argparse.Namespace) -> None:
    for indicator in ph.indicators(args.domain):
        print(f"{indicator.id:45} {indicator.name_zh}  [{indicator.kind}, {indicator.unit}]")


# -- show --------------------------------------------------------------------------------

#: The rows of a definition card: key, Chinese label, English label.
_CARD_ROWS: tuple[tuple[str, str, str], ...] = (
    ("other_name", "英文名称", "Chinese name"),
    ("aliases", "别名", "aliases"),
    ("domain", "领域", "domain"),
    ("kind", "类型", "kind"),
    ("definition", "定义", "definition"),
    ("formula", "计算公式", "formula"),
    ("unit", "单位", "unit"),
    ("valid_range", "取值范围", "valid range"),
    ("polarity", "方向", "polarity"),
    ("source", "来源", "source"),
    ("targets", "目标", "targets"),
)


_CARD_UNIT = {"zh": "{words}（{unit}），保留{decimals}位小数", "en": "{words} ({unit}), {decimals} decimals"}


def _unit_words(unit: str, lang: str, denominator: str = "") -> str:
    """A unit as reports print it, without a value: "/10万", "per 100,000 live births"."""
    return getattr(unit_spec(unit), lang).format(value="", denominator=denominator).strip()


def _term(term: ph.Term, lang: str) -> str:
    name = term.name_zh if lang == "zh" else term.name_en
    return name if term.unit == "count" else f"{name} ({_unit_words(term.unit, lang)})"


def _formula(indicator: ph.Indicator, lang: str) -> str:
    if indicator.denominator is None:
        return _term(indicator.numerator, lang)
    formula = f"{_term(indicator.numerator, lang)} / {_term(indicator.denominator, lang)}"
    scale = value_scale(indicator)
    return formula if scale == 1 else f"{formula} × {format_count(scale, lang)}"


def _limit(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:g}"


def _targets(indicator: ph.Indicator, lang: str) -> list[str]:
    denominator = indicator.denominator.name_en if indicator.denominator else ""
    lines = []
    for plan in ph.target_sets():
        for target in plan.for_indicator(indicator.id):
            requirement = format_target(target, lang, denominator) or str(target)
            scope = SCOPE_LABELS[target.scope.value][lang] + (f", {target.note}" if target.note else "")
            plan_name = plan.name_zh if lang == "zh" else plan.name_en
            lines.append(f"{requirement} [{scope}]  {plan.id}: {plan_name}")
    return lines


def _card(indicator: ph.Indicator, lang: str) -> list[tuple[str, list[str]]]:
    """The labelled lines of a definition card, in ``lang``."""
    denominator = indicator.denominator.name_en if indicator.denominator else ""
    words = _unit_words(indicator.unit, lang, denominator)
    low, high = indicator.valid_range
    source = indicator.source.citation()
    if indicator.source_section:
        source += f", {indicator.source_section}"
    values = {
        "other_name": [_name(indicator, "en" if lang == "zh" else "zh")],
        "aliases": [", ".join(indicator.aliases)] if indicator.aliases else [],
        "domain": [indicator.domain],
        "kind": [KIND_LABELS[indicator.kind.value][lang]],
        "definition": [indicator.definition.get(lang)],
        "formula": [_formula(indicator, lang)],
        "unit": [
            _CARD_UNIT[lang].format(
                words=words or indicator.unit, unit=indicator.unit, decimals=indicator.decimals
            )
        ],
        "valid_range": [f"{_limit(low)}–{_limit(high)} {words}".rstrip()],
        "polarity": [POLARITY_LABELS[indicator.polarity.value][lang]],
        "source": [source],
        "targets": _targets(indicator, lang),
    }
    return [(zh if lang == "zh" else en, values[key]) for key, zh, en in _CARD_ROWS if values[key]]


def _show(args: argparse.Namespace) -> None:
    indicator = ph.find(args.indicator)
    print(f"{_name(indicator, args.lang)} ({indicator.id})")
    rows = _card(indicator, args.lang)
    width = max(text_width(label) for label, _ in rows)
    for label, lines in rows:
        for number, line in enumerate(lines):
            shown = label if number == 0 else ""
            print(f"  {shown}{' ' * (width - text_width(shown))}  {line}")


# -- compute ---------------------------------------------------------------------------------


def _compute(args: argparse.Namespace) -> None:
    indicator = ph.find(args.indicator)
    level = args.confidence
    if args.format == "json":
        result = indicator.compute(args.numerator, args.denominator, confidence=level or 0.95)
        document = {
            "indicator": indicator.id,
            "numerator": result.numerator,
            "denominator": result.denominator,
            "value": result.value,
            "unit": result.unit,
            "display_zh": result.format("zh"),
            "display_en": result.format("en"),
            "lower": result.lower,
            "upper": result.upper,
            "confidence": result.confidence,
            "method": result.method,
            "interval_zh": format_result(result, "zh"),
            "interval_en": format_result(result, "en"),
        }
        sys.stdout.write(json_text(to_json_value(document)))
        return
    # Without --confidence the line holds the value alone, as it always has.
    result = indicator.compute(args.numerator, args.denominator, confidence=level)
    shown = result.format(args.lang) if level is None else format_result(result, args.lang)
    print(f"{_name(indicator, args.lang)} ({indicator.id}): {shown}")


# -- files ------------------------------------------------------------------------------------


def _file_name(path: str, action: str) -> str:
    """``path``, refused with a usage error if no file can have that name:
    open() raises ValueError, not OSError, for a NUL character or a name
    the file system encoding cannot write."""
    try:
        usable = b"\x00" not in os.fsencode(path)
    except UnicodeEncodeError:
        usable = False
    if not usable:
        raise _UsageError(f"cannot {action} {path!r}: no file can have that name")
    return path


def _new_file_mode() -> int:
    # What open() would give a new file: rw for all, less the umask.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def _atomic(path: str, mode: str = "w") -> Iterator[IO[Any]]:
    """A file to write ``path`` through: a temporary file in the same
    directory, renamed over ``path`` only when the block completes; on any
    error or interruption it is removed and ``path`` is left as it was."""
    target = os.path.abspath(_file_name(path, "write"))
    try:
        permissions = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        permissions = _new_file_mode()
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.", suffix=".part"
        )
    except OSError as error:
        raise _UsageError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        binary = "b" in mode
        with os.fdopen(
            descriptor, mode, encoding=None if binary else "utf-8", newline=None if binary else ""
        ) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, permissions)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _UsageError(f"cannot write {path}: {error.strerror or error}") from None
        raise


def _emit(output: str | None, write: Callable[[IO[str]], None]) -> None:
    """Write text to ``output`` atomically, or to stdout."""
    if output is None:
        write(sys.stdout)
    else:
        with _atomic(output) as file:
            write(file)


# -- export ----------------------------------------------------------------------------------


def _export(args: argparse.Namespace) -> None:
    document = export_catalog(ph.bundled_catalog(), args.format, ph.target_sets())
    _emit(args.output, lambda file: write_json(document, file))


# -- scorecard -------------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on stderr: the phase, a bar and a percentage,
    redrawn only when the percentage changes."""

    WIDTH = 30

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.shown: tuple[str, int] | None = None

    def update(self, phase: str, done: int, total: int) -> None:
        percent = min(100, 100 * done // total) if total else 100
        if (phase, percent) == self.shown:
            return
        self.shown = (phase, percent)
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{phase:<9} [{bar}] {percent:3d}%")
        self.stream.flush()

    def finish(self) -> None:
        if self.shown is not None:
            self.stream.write("\n")
            self.stream.flush()


class _WatchedFile:
    """A text file whose lines, as they are read, move a progress bar."""

    STEP = 10_000

    def __init__(self, file: IO[str], total: int, progress: _Progress) -> None:
        self.file = file
        self.name = getattr(file, "name", "<file>")
        self.total = total
        self.progress = progress

    def read(self, size: int = -1) -> str:
        return self.file.read(size)

    def __iter__(self) -> Iterator[str]:
        for number, line in enumerate(self.file, start=1):
            if number % self.STEP == 0:
                self.progress.update("reading", number, self.total)
            yield line
        self.progress.update("reading", self.total, self.total)


def _count_lines(path: str) -> int:
    with open(path, "rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


def _read_scorecard(args: argparse.Namespace) -> Scorecard:
    options = {"benchmark": args.benchmark, "confidence": args.confidence}
    if args.file is None:
        text = bundled_text(*EXAMPLE_TABLE)
        return scorecard(io.StringIO(text), args.targets, **options)
    _file_name(args.file, "read")
    try:
        lines = _count_lines(args.file) if sys.stderr.isatty() else 0
        with open(args.file, encoding="utf-8-sig", newline="") as file:
            if lines <= LARGE_INPUT:
                return scorecard(file, args.targets, **options)
            progress = _Progress(sys.stderr)
            try:
                return scorecard(
                    _WatchedFile(file, lines, progress),
                    args.targets,
                    progress=lambda done, total: progress.update("computing", done, total),
                    **options,
                )
            finally:
                progress.finish()
    except OSError as error:
        raise _UsageError(f"cannot read {args.file}: {error.strerror or error}") from None


def _scorecard(args: argparse.Namespace) -> int:
    # A name no file can have fails before anything is written.
    for path in (args.output, args.plot):
        if path is not None:
            _file_name(path, "write")
    card = _read_scorecard(args)
    texts: dict[str, Callable[[], str]] = {
        "table": lambda: card.to_text(args.lang) + "\n",
        "json": lambda: json_text(card.to_json()),
    }

    def write(file: IO[str]) -> None:
        if args.format == "csv":
            card.write_csv(file)
        else:
            file.write(texts[args.format]())

    _emit(args.output, write)
    # Errors and rule violations go to stderr unless the output shown holds them.
    if args.format == "csv" or args.output is not None:
        problems: list[RowError | RowViolation] = [*card.errors, *card.violations]
        for problem in problems:
            print(f"phindicators: {problem.located(args.lang)}", file=sys.stderr)
    if args.plot is not None:
        try:
            with _atomic(args.plot, "wb") as file:
                card.plot(file, lang=args.lang)
        except ModuleNotFoundError as error:
            raise _UsageError(str(error)) from None
    return 1 if card.errors else 0


# -- demo ------------------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> None:
    catalog = ph.bundled_catalog()
    print(f"phindicators {ph.__version__}: {len(catalog)} indicators")
    for domain in catalog.domains():
        print(f"\n[{domain}]")
        for indicator in catalog.indicators(domain):
            print(f"  {indicator.id:45} {indicator.name_zh}")
    print("\nWorked examples from the bundled reports (recomputed, then as published):")
    for indicator in catalog:
        for example in indicator.examples:
            result = indicator.compute(example.numerator, example.denominator)
            counts = f"{example.numerator:g}" + (
                f"/{example.denominator:g}" if example.denominator is not None else ""
            )
            if not example.published:
                verdict = f"no figure printed [{example.reference}]"
            else:
                adds_up = "adds up" if example.consistent else "DOES NOT ADD UP"
                verdict = f"published {example.published} [{example.reference}]: {adds_up}"
            print(f"  {indicator.name_zh}: {counts} -> {result.format()}  ({verdict})")


# -- audit -----------------------------------------------------------------------------------

# Verdicts that make `audit` exit 1; --strict adds truncated figures.
_FAILING = {Status.INCONSISTENT, Status.IMPOSSIBLE}
_AUDIT_COLUMNS = ("line", "indicator", "reported", "counts", "recomputed", "verdict", "target")


def _audit(args: argparse.Namespace) -> int:
    if args.report is None:
        text, name = example_report(), "the bundled example report"
    else:
        try:
            with open(_file_name(args.report, "read"), encoding="utf-8-sig") as file:
                text, name = file.read(), args.report
        except UnicodeDecodeError:
            print(
                f"phindicators: error: {args.report} is not UTF-8 text; convert it first "
                f"(e.g. iconv -f GB18030 -t UTF-8)",
                file=sys.stderr,
            )
            return 2
        except OSError as error:
            reason = error.strerror or error
            print(f"phindicators: error: cannot read {args.report}: {reason}", file=sys.stderr)
            return 2
    plan = target_set(args.targets) if args.targets else None
    mentions = extract(text)
    checks = [None if plan is None else check_target(m.indicator, m.figure, plan) for m in mentions]
    rows = [_audit_row(text, m, c) for m, c in zip(mentions, checks, strict=True)]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=[*_AUDIT_COLUMNS, "reason"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_audit_table(name, mentions, rows, plan)
    failing = _FAILING | ({Status.TRUNCATED} if args.strict else set())
    return 1 if any(m.verdict.status in failing for m in mentions) else 0


def _audit_row(text: str, mention: Mention, check: TargetCheck | None) -> dict[str, Any]:
    verdict = mention.verdict
    numerator, denominator = mention.numerator, mention.denominator
    # A count the report leaves out shows as the range its figure allows.
    missing = "?" if verdict.inferred is None else _range(verdict.inferred)
    counts = (
        f"{numerator.figure.text if numerator else missing}/"
        f"{denominator.figure.text if denominator else missing}"
        if numerator or denominator
        else ""
    )
    return {
        "line": text.count("\n", 0, mention.start) + 1,
        "indicator": mention.indicator.id,
        "name": mention.indicator.name_zh,
        "label": mention.label,
        "reported": mention.figure.text + (" (target)" if mention.role == "target" else ""),
        "counts": counts,
        "recomputed": verdict.expected or "",
        "verdict": verdict.status.value + (f" ({verdict.cause.name})" if verdict.cause else ""),
        "target": "" if check is None else check.status.value,
        "reason": verdict.reason,
        "start": mention.start,
        "end": mention.end,
        "role": mention.role,
        "qualifiers": {q.kind: q.text for q in mention.qualifiers},
        "denominator_words": denominator.words if denominator else None,
        "denominator_is_definitions": mention.denominator_is_definitions,
        "inferred": None if verdict.inferred is None else _span(verdict.inferred),
        "candidates": [
            {
                "numerator": c.numerator.figure.text,
                "denominator": c.denominator.figure.text,
                "denominator_words": c.denominator.words,
                "status": c.status.value,
            }
            for c in mention.candidates
        ],
        "target_detail": None if check is None else check.detail,
    }


def _range(values: range) -> str:
    if not values:
        return "[none]"
    # Not len(): a figure may allow more counts than a C size can hold.
    return f"[{values[0]}]" if values[0] == values[-1] else f"[{values[0]}–{values[-1]}]"


def _span(values: range) -> list[int]:
    return [values[0], values[-1]] if values else []


def _print_audit_table(
    name: str, mentions: list[Mention], rows: list[dict[str, Any]], plan: TargetSet | None
) -> None:
    columns = [c for c in _AUDIT_COLUMNS if c != "target" or plan is not None]
    cells = [[str(c) for c in columns]] + [[str(row[c]) for c in columns] for row in rows]
    widths = [max(text_width(line[i]) for line in cells) for i in range(len(columns))]
    print(f"{name}: {len(mentions)} indicator figures" + (f", targets of {plan.id}" if plan else ""))
    for line in cells:
        padded = (cell + " " * (width - text_width(cell)) for cell, width in zip(line, widths, strict=True))
        print("  ".join(padded).rstrip())
    # Notes for the figures with more to say than "no counts to check against".
    notes = [
        (row, m)
        for row, m in zip(rows, mentions, strict=True)
        if m.verdict.status is not Status.CONSISTENT
        and (
            m.verdict.status is not Status.UNVERIFIABLE
            or m.numerator
            or m.denominator
            or m.candidates
            or not m.figure.unit_printed
        )
    ]
    if notes:
        print()
        for row, mention in notes:
            print(f"line {row['line']}, {mention.indicator.name_zh} {mention.figure.text}: {row['reason']}")


# -- the parser ------------------------------------------------------------------------------


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


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
    listing.set_defaults(run=_list)

    show = commands.add_parser(
        "show",
        help="the definition card of an indicator",
        description="The definition card of an indicator: names, aliases, definition, formula, "
        "unit, valid range, polarity, source, and its targets in every bundled target set.",
    )
    show.add_argument("indicator", help="id or name (Chinese, English or alias)")
    _add_lang(show)
    show.set_defaults(run=_show)

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
    compute.set_defaults(run=_compute)

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
    card.add_argument("file", nargs="?", help="a UTF-8 CSV file (default: a bundled example table)")
    card.add_argument(
        "--targets", metavar="SET", help="hold the rows to this target set (e.g. women_outline_2011)"
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
    card.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _add_output(card)
    card.add_argument(
        "--plot",
        metavar="OUT.png",
        help="also draw values and intervals against the target line (needs matplotlib: "
        "pip install 'phindicators[plot]')",
    )
    _add_lang(card)
    card.set_defaults(run=_scorecard)

    export = commands.add_parser(
        "export",
        help="export the catalog (JSON, JSON Schema, FHIR, DHIS2)",
        description="Export the bundled catalog: json (definitions and target sets), schema (the "
        "JSON Schema of that document), fhir (an R4 Bundle of Measures), dhis2 (a metadata package).",
    )
    export.add_argument("--format", choices=tuple(EXPORT_FORMATS), default="json")
    _add_output(export)
    export.set_defaults(run=_export)

    demo = commands.add_parser(
        "demo",
        help="list the catalog and recompute the bundled examples",
        description="List the catalog and recompute every worked example of the bundled reports.",
    )
    demo.set_defaults(run=_demo)

    audit = commands.add_parser(
        "audit",
        help="find indicator figures in a report and check them against their counts",
        description="Find every catalog indicator figure in a plain-text report, recompute it "
        "from the counts the sentence gives and say whether it adds up. Exit status: 0 when "
        "nothing is inconsistent or impossible, 1 when something is, 2 for bad usage or an "
        "unreadable file.",
    )
    audit.add_argument("report", nargs="?", help="a UTF-8 text file (default: a bundled example report)")
    audit.add_argument(
        "--targets", metavar="SET", help="also hold each figure to this target set (e.g. women_outline_2011)"
    )
    audit.add_argument("--format", choices=("table", "json", "csv"), default="table")
    audit.add_argument(
        "--strict", action="store_true", help="also exit 1 when a figure was truncated, not rounded"
    )
    audit.set_defaults(run=_audit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad usage or input).

    argparse itself exits with status 2 (SystemExit) for arguments it
    cannot parse.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
    except (ph.PhindicatorsError, _UsageError) as error:
        print(f"phindicators: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, and keep Python from
        # complaining when it flushes stdout at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"phindicators: error: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("phindicators: interrupted", file=sys.stderr)
        return 130
    return status or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
