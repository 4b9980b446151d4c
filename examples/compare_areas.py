"""Compare areas: each township against the county, a plan's target and a funnel plot.

For one indicator computed for six townships, prints each township's value
and 95 % interval, how it compares with the county total (best / better /
similar / worse / worst, from the 95 % and 99.8 % intervals), where it falls
on a funnel plot around the county average, and whether it meets the
target of a bundled plan (``uncertain`` where its interval contains the
threshold). Then the control limits of the funnel at a few denominators,
ready to draw.

    python examples/compare_areas.py
"""

from __future__ import annotations

import unicodedata

import numpy as np

import phindicators as ph

TOWNS = ["城关镇", "东关镇", "西山乡", "南河乡", "北坡乡", "石门乡"]
# Mothers systematically managed, and live births, in 2023.
MANAGED = np.array([1862, 655, 301, 512, 188, 270])
BIRTHS = np.array([1950, 690, 352, 530, 190, 310])


def _pad(text: str, width: int) -> str:
    # Chinese characters take two columns in a terminal; columns keep at
    # least two spaces between them whatever their contents.
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 2)


def main() -> int:
    indicator = ph.get("maternal_systematic_management_rate")
    areas = indicator.compute(MANAGED, BIRTHS)
    county = ph.pool(areas)
    benchmark = ph.compare_to_benchmark(areas, county, confidence=(0.95, 0.998))
    plot = ph.funnel(areas)
    [target] = ph.target_set("women_outline_2011").for_indicator(indicator.id)
    outcome = ph.compare_to_target(areas, target, uncertain=True)

    print(f"{indicator.name_zh} ({indicator.name_en}), 2023")
    print(f"county total {county.format()} (95% CI {county.lower:.2f}–{county.upper:.2f})")
    print(f"target of {target.plan}: {target.wording}")
    print()
    print(
        _pad("township", 10)
        + _pad("value", 9)
        + _pad("95% CI", 16)
        + _pad("vs county", 11)
        + _pad("funnel", 12)
        + "target"
    )
    values = areas.format()
    for i, town in enumerate(TOWNS):
        interval = f"{areas.lower[i]:.2f}–{areas.upper[i]:.2f}"
        print(
            _pad(town, 10)
            + _pad(values[i], 9)
            + _pad(interval, 16)
            + _pad(benchmark[i].value, 11)
            + _pad(plot.positions[i].value, 12)
            + outcome.status[i].value
        )

    denominators = np.array([100, 200, 500, 1000, 2000])
    inner, outer = plot.limits(denominators)
    print(f"\nfunnel around {plot.average:.2f}%: control limits by number of live births")
    for n, low95, high95, low998, high998 in zip(
        denominators, inner.lower, inner.upper, outer.lower, outer.upper, strict=True
    ):
        print(f"{n:>6}  95%: {low95:6.2f}–{high95:6.2f}   99.8%: {low998:6.2f}–{high998:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
