"""Compute a scorecard: every indicator of every township, held to a plan.

Reads a wide CSV table (one row per area and period, one column per count,
headed by the catalog's term ids), computes every indicator whose counts are
all present, checks the counts against the validation rules, holds each
value to the targets of a bundled plan and compares it with the county total.

Run it on the table below, or on your own file::

    python examples/scorecard.py
    python examples/scorecard.py counts.csv --targets healthy_china_2030 --lang en
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Sequence

from phindicators.scorecard import POOLED, scorecard

# One year of maternal and child health counts of six townships. 北坡乡 has
# more neonatal than infant deaths, which a validation rule catches.
COUNTS = """\
area,period,live_births,systematically_managed_mothers,hospital_delivered_live_births,maternal_deaths,infant_deaths,neonatal_deaths
城关镇,2023,1950,1862,1948,1,12,7
东关镇,2023,690,655,688,0,5,3
西山乡,2023,352,301,341,1,6,4
南河乡,2023,530,512,529,0,3,2
北坡乡,2023,190,188,190,0,1,2
石门乡,2023,310,270,301,0,4,2
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", nargs="?", help="a wide CSV table (default: six example townships)")
    parser.add_argument("--targets", default="women_outline_2011", help="id of a bundled target set")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args(argv)

    table = args.table if args.table else io.StringIO(COUNTS)
    card = scorecard(table, args.targets, benchmark=POOLED)
    print(card.to_text(args.lang))
    met = sum(row.target_status.value == "met" for row in card)
    judged = sum(row.target_status.value in ("met", "not_met", "uncertain") for row in card)
    summary = {
        "zh": f"{judged}个有目标的数值中{met}个达标（{args.targets}）。",
        "en": f"{met} of {judged} values held to a target of {args.targets} meet it.",
    }
    print("\n" + summary[args.lang])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
