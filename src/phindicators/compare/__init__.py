"""Comparisons a front-end can colour: targets, benchmarks, pairs, trends, funnels.

Every comparison returns statuses from a :class:`enum.StrEnum` (a plain
string to JSON and to a colour table) and respects the indicator's polarity:
"better" means higher where high is good and lower where low is good. An
indicator whose polarity makes no judgement (or asks for a value in a range)
gets "higher" / "similar" / "lower", "increasing" / "decreasing", never
"better" or "worse".

The rules are those of the Fingertips technical guide: an area is compared
with a benchmark by whether its confidence interval contains the benchmark
(a benchmark exactly on a limit counts as similar); with the 95 % and
99.8 % intervals together the statuses are best / better / similar / worse /
worst; a trend is tested at 99.8 %; funnel plots draw 95 % and 99.8 %
control limits around the pooled average.

For arrays, statuses come as object arrays of the enum members (8 bytes per
element, comparable with ``==`` to the members or their string values).

Examples
--------
>>> from phindicators import get
>>> imr = get("infant_mortality_rate")
>>> compare_to_benchmark(imr.compute(23, 2158), 5.0)
<BenchmarkStatus.WORSE: 'worse'>
>>> compare_to_benchmark(imr.compute(23, 2158), 10.0)
<BenchmarkStatus.SIMILAR: 'similar'>

The package has one module per judgement (``targets``, ``benchmarks``,
``differences``, ``trends``, ``funnels``) over the shared ``statuses``.
"""

from __future__ import annotations

from .benchmarks import compare_to_benchmark
from .differences import Difference, compare_results
from .funnels import Funnel, funnel

# Constants callers read from here, where earlier versions defined them.
from .statuses import (
    JUDGEMENT,  # noqa: F401
    BenchmarkStatus,
    FunnelPosition,
    TargetStatus,
    TrendStatus,
)
from .targets import TargetComparison, compare_to_target
from .trends import (
    MIN_TREND_PERIODS,  # noqa: F401
    TrendComparison,
    compare_trend,
)

__all__ = [
    "BenchmarkStatus",
    "Difference",
    "Funnel",
    "FunnelPosition",
    "TargetComparison",
    "TargetStatus",
    "TrendComparison",
    "TrendStatus",
    "compare_results",
    "compare_to_benchmark",
    "compare_to_target",
    "compare_trend",
    "funnel",
]
