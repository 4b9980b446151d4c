"""The ``audit`` command: report text in, every figure checked against its counts."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from phindicators.audit import Status, TargetCheck, check_target
from phindicators.display import (
    text_width,
)
from phindicators.errors import ParseError
from phindicators.extract import Mention, Miss, example_report, extract, misses
from phindicators.io.documents import read_document
from phindicators.targets import TargetSet, target_set

from .output import file_name

# -- audit -----------------------------------------------------------------------------------

# Verdicts that make `audit` exit 1; --strict adds truncated figures.
_FAILING = {Status.INCONSISTENT, Status.IMPOSSIBLE}
_AUDIT_COLUMNS = ("line", "indicator", "reported", "counts", "recomputed", "verdict", "target")


def run_audit(args: argparse.Namespace) -> int:
    if args.report is None:
        text, name = example_report(), "the bundled example report"
    else:
        report = args.report if args.report == "-" else file_name(args.report, "read")
        try:
            text, name = read_document(report, encoding=args.encoding), args.report
        except (ParseError, ImportError) as error:
            print(f"phindicators: error: {error}", file=sys.stderr)
            return 2
        except OSError as error:
            reason = error.strerror or error
            print(f"phindicators: error: cannot read {args.report}: {reason}", file=sys.stderr)
            return 2
    plan = target_set(args.targets) if args.targets else None
    try:
        mentions = extract(text)
    except ImportError as error:  # traditional characters without the zh-hant extra
        print(f"phindicators: error: {error}", file=sys.stderr)
        return 2
    missed = misses(text, mentions=mentions)
    checks = [None if plan is None else check_target(m.indicator, m.figure, plan) for m in mentions]
    rows = [_audit_row(text, m, c) for m, c in zip(mentions, checks, strict=True)]
    if args.format == "json":
        print(json.dumps(rows + [_miss_row(text, m) for m in missed], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=[*_AUDIT_COLUMNS, "reason"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        writer.writerows(_miss_row(text, m) for m in missed)
    else:
        _print_audit_table(name, mentions, rows, plan)
        _print_misses(text, missed)
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


def _miss_row(text: str, miss: Miss) -> dict[str, Any]:
    """A figure no indicator took, as a row of the same shape (verdict "not attributed")."""
    return {
        "line": text.count("\n", 0, miss.start) + 1,
        "indicator": "",
        "name": "",
        "label": miss.label,
        "reported": miss.printed,
        "counts": "",
        "recomputed": "",
        "verdict": "not attributed",
        "target": "",
        "reason": miss.reason,
        "start": miss.start,
        "end": miss.end,
    }


def _print_misses(text: str, missed: list[Miss]) -> None:
    if not missed:
        return
    reasons: dict[str, int] = {}
    for miss in missed:
        reasons[miss.reason] = reasons.get(miss.reason, 0) + 1
    summary = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
    print(f"\n{len(missed)} rate-like figures not attributed to an indicator ({summary}):")
    for miss in missed:
        label = f" after {miss.label}" if miss.label else ""
        print(f"line {text.count(chr(10), 0, miss.start) + 1}, {miss.printed}{label}: {miss.reason}")


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
