"""The ``phindicators`` command line, a thin layer over the public API.

Examples
--------
>>> main(["compute", "maternal_mortality_ratio", "2", "2158"])
孕产妇死亡率 (maternal_mortality_ratio): 92.68/10万
0
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

import phindicators as ph
from phindicators.audit import Status, TargetCheck, check_target
from phindicators.extract import Mention, example_report, extract
from phindicators.targets import TargetSet, target_set

__all__ = ["main"]


def _list(args: argparse.Namespace) -> None:
    for indicator in ph.indicators(args.domain):
        print(f"{indicator.id:45} {indicator.name_zh}  [{indicator.kind}, {indicator.unit}]")


def _compute(args: argparse.Namespace) -> None:
    indicator = ph.find(args.indicator)
    result = indicator.compute(args.numerator, args.denominator)
    print(f"{indicator}: {result.format(args.lang)}")


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


# Verdicts that make `audit` exit 1; --strict adds truncated figures.
_FAILING = {Status.INCONSISTENT, Status.IMPOSSIBLE}
_AUDIT_COLUMNS = ("line", "indicator", "reported", "counts", "recomputed", "verdict", "target")


def _audit(args: argparse.Namespace) -> int:
    if args.report is None:
        text, name = example_report(), "the bundled example report"
    else:
        try:
            with open(args.report, encoding="utf-8-sig") as file:
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
    return f"[{values[0]}]" if len(values) == 1 else f"[{values[0]}–{values[-1]}]"


def _span(values: range) -> list[int]:
    return [values[0], values[-1]] if values else []


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _print_audit_table(
    name: str, mentions: list[Mention], rows: list[dict[str, Any]], plan: TargetSet | None
) -> None:
    columns = [c for c in _AUDIT_COLUMNS if c != "target" or plan is not None]
    cells = [[str(c) for c in columns]] + [[str(row[c]) for c in columns] for row in rows]
    widths = [max(_width(line[i]) for line in cells) for i in range(len(columns))]
    print(f"{name}: {len(mentions)} indicator figures" + (f", targets of {plan.id}" if plan else ""))
    for line in cells:
        padded = (cell + " " * (width - _width(cell)) for cell, width in zip(line, widths, strict=True))
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


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phindicators", description="Public-health indicator definitions."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="list the catalog and recompute the bundled examples")
    demo.set_defaults(run=_demo)

    listing = commands.add_parser("list", help="list indicators")
    listing.add_argument("--domain", help="only this domain")
    listing.set_defaults(run=_list)

    compute = commands.add_parser("compute", help="compute an indicator from counts")
    compute.add_argument("indicator", help="id or name (Chinese, English or alias)")
    compute.add_argument("numerator", type=_number)
    compute.add_argument("denominator", type=_number, nargs="?")
    compute.add_argument("--lang", choices=("zh", "en"), default="zh")
    compute.set_defaults(run=_compute)

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
    """Run the command line; returns the exit status (2 for bad usage or input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
    except ph.PhindicatorsError as error:
        print(f"phindicators: error: {error}", file=sys.stderr)
        return 2
    return status or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
