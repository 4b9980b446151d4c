"""The ``phindicators`` command line, a thin layer over the public API.

Examples
--------
>>> main(["compute", "maternal_mortality_ratio", "2", "2158"])
孕产妇死亡率 (maternal_mortality_ratio): 92.68/10万
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import phindicators as ph

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad usage or input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except ph.PhindicatorsError as error:
        print(f"phindicators: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
