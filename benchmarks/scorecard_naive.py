"""The naive pandas + statsmodels script the CLI scorecard is timed against (issue 16).

What an analyst would write without phindicators for a wide table of
``area, period, live_births, maternal_deaths, infant_deaths,
neonatal_deaths``: three indicators, one row out per area, period and
indicator with the value, the 95 % limits and one display column, written
as CSV. Usage: ``python benchmarks/scorecard_naive.py IN.csv OUT.csv``.
"""

from __future__ import annotations

import sys

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

#: indicator: (numerator column, denominator column, scale, unit sign)
INDICATORS = {
    "infant_mortality_rate": ("infant_deaths", "live_births", 1_000, "‰"),
    "neonatal_mortality_rate": ("neonatal_deaths", "live_births", 1_000, "‰"),
    "maternal_mortality_ratio": ("maternal_deaths", "live_births", 100_000, "/10万"),
}


def main(source: str, destination: str) -> None:
    table = pd.read_csv(source)
    parts = []
    for indicator, (numerator, denominator, scale, sign) in INDICATORS.items():
        part = table[["area", "period"]].copy()
        part["indicator"] = indicator
        part["numerator"] = table[numerator]
        part["denominator"] = table[denominator]
        part["value"] = table[numerator] / table[denominator] * scale
        lower, upper = proportion_confint(table[numerator], table[denominator], method="wilson")
        part["lower"], part["upper"] = lower * scale, upper * scale
        part["display_zh"] = part["value"].map(lambda value, sign=sign: f"{value:.2f}{sign}")
        parts.append(part)
    pd.concat(parts).to_csv(destination, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
