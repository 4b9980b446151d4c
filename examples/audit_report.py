"""Audit a report: find every indicator figure in it and check it against its counts.

Reads a plain-text work report (by default the bundled example report,
fragments of real local health-bureau reports with their figures as printed,
errors included), finds each figure of a catalog indicator with the counts
its sentence gives, and prints a verdict per figure: consistent, truncated,
inconsistent (with the likely cause), impossible or unverifiable. With
``--targets`` each figure is also held to a plan's targets.

    python examples/audit_report.py
    python examples/audit_report.py report.txt --targets women_outline_2011
"""

from __future__ import annotations

import argparse
import collections
import unicodedata
from collections.abc import Sequence

import phindicators as ph
from phindicators.extract import example_report


def _pad(text: str, width: int) -> str:
    # Chinese characters take two columns in a terminal; columns keep at
    # least two spaces between them whatever their contents.
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", help="a UTF-8 text file (default: the bundled example report)")
    parser.add_argument("--targets", help="also hold each figure to this bundled target set")
    args = parser.parse_args(argv)

    if args.report:
        with open(args.report, encoding="utf-8-sig") as file:
            text = file.read()
    else:
        text = example_report()
    plan = ph.target_set(args.targets) if args.targets else None

    mentions = ph.extract(text)
    name_width = max((len(m.indicator.name_zh) * 2 for m in mentions), default=0) + 2
    for mention in mentions:
        verdict = mention.verdict
        line = text.count("\n", 0, mention.start) + 1
        counts = ""
        if mention.numerator is not None and mention.denominator is not None:
            counts = f"{mention.numerator.figure.text}/{mention.denominator.figure.text}"
        status = verdict.status.value
        if verdict.cause is not None:
            status += f" ({verdict.cause.name})"
        target = ""
        if plan is not None:
            target = ph.check_target(mention.indicator, mention.figure, plan).status.value
        row = (
            f"{line:>3}  {_pad(mention.indicator.name_zh, name_width)}{_pad(mention.figure.text, 12)}"
            f"{_pad(counts, 18)}{_pad(status, 22)}{target}"
        )
        print(row.rstrip())

    tally = collections.Counter(m.verdict.status.value for m in mentions)
    print(f"\n{len(mentions)} figures: " + ", ".join(f"{n} {status}" for status, n in tally.most_common()))
    wrong = [m for m in mentions if m.verdict.status.value in ("inconsistent", "impossible", "truncated")]
    if wrong:
        print("\nFigures that do not add up:")
        for mention in wrong:
            print(f"- {mention.indicator.name_zh} {mention.figure.text}: {mention.verdict.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
