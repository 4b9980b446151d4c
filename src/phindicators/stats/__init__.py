"""Confidence intervals and significance tests as pure numpy functions.

The methods are those of public-health observatories (the PHE/OHID
"Fingertips" technical guide and the R package PHEindicatormethods):

* proportions: Wilson's score interval without continuity correction
  (:func:`wilson_interval`), or the exact Clopper–Pearson interval
  (:func:`clopper_pearson_interval`);
* counts, rates and ratios of counts: the exact Poisson interval from
  chi-squared quantiles below 10 events and Byar's approximation from 10
  (:func:`poisson_interval`), either selectable on its own;
* directly standardised rates: Dobson's method (:func:`dsr`,
  :func:`dobson_interval`), with a user's standard population or a bundled
  one (:func:`standard_population`);
* indirectly standardised ratios and rates, with expected counts from
  reference rates (:func:`isr`, :func:`expected_counts`);
* Chinese registry measures: crude, 中标率 and 世标率, cumulative rate 0–74
  and truncated rate 35–64 (:func:`registry_rates`, :func:`cumulative_rate`,
  :func:`truncated_rate`), with the China 2000 and Segi standard populations;
* life expectancy from a Chiang II abridged life table (:func:`life_expectancy`);
* means with a Student-t interval (:func:`mean_interval`);
* inequality: the slope and relative index of inequality (:func:`sii`) and
  polarity-aware quantile groups (:func:`quantile_groups`);
* tests and trends: two proportions (:func:`two_proportion_test`), two rates
  (:func:`rate_ratio_test`), the chi-squared test for trend
  (:func:`trend_test`), Fingertips' recent-trend rule (:func:`recent_trend`),
  the annual percent change (:func:`annual_percent_change`), the difference
  and ratio of two periods' rates (:func:`rate_difference`,
  :func:`rate_ratio`);
* funnel plots: control limits (:func:`funnel_limits`), PHE-style points and
  axes (:func:`funnel_points`, :func:`funnel_axis`) and rate and ratio
  funnels by event count (:func:`rate_funnel_limits`,
  :func:`ratio_funnel_limits`).

Where PHEindicatormethods has the method, the tests reproduce its shipped
expected outputs (``tests/data/phe/``).

Nothing here knows about indicators: the functions take counts and return
self-describing results (:class:`Interval`: value, lower, upper, confidence,
method). Scalars in give Python floats out; arrays in give arrays of the
broadcast shape out. Arrays are processed in cache-sized blocks so that the
dozen arithmetic steps of an interval cost little more than one pass over
memory. The interval functions also take dask arrays: their intervals are
then lazy dask arrays, computed chunk by chunk (:func:`map_lazily`). scipy is
imported only by the methods that need it (Clopper–Pearson, exact Poisson
limits for 10 events or more, p-values of arrays), never at import time.

Examples
--------
>>> ci = wilson_interval(81, 263)
>>> round(ci.lower, 4), round(ci.upper, 4), ci.method
(0.2553, 0.3662, 'wilson')
>>> low, high = poisson_interval(5, confidence=(0.95, 0.998))
>>> round(low.upper, 3), round(high.upper, 3)
(11.668, 16.455)

The package has one module per family (``levels``, ``results``,
``proportions``, ``poisson``, ``kernels``, ``methods``,
``standard_populations``, ``dsr``, ``indirect``, ``registry``,
``life_tables``, ``means``, ``inequality``, ``significance``, ``trends``,
``funnels``, ``lazy``); this namespace gathers their public names.
"""

from __future__ import annotations

from .._counts import SMALLEST_COUNT
from .._options import MAX_MULTIPLIER
from .._threads import BLOCK_ROWS
from .dsr import DSR_MIN_COUNT, EMPTY_BANDS, dobson_interval, dsr
from .funnels import (
    FUNNEL_CATEGORIES,
    FUNNEL_NOT_APPLICABLE,
    LARGE_EXPECTED,
    RATE_KINDS,
    RATIO_KINDS,
    FunnelPoints,
    RateFunnel,
    RatioFunnel,
    funnel_axis,
    funnel_limits,
    funnel_points,
    rate_funnel_limits,
    rate_funnel_significance,
    ratio_funnel_limits,
    ratio_funnel_significance,
)
from .indirect import ISR_KINDS, IndirectlyStandardised, expected_counts, isr
from .inequality import VALUE_TYPES, InequalityIndex, quantile_groups, sii
from .kernels import interval_bounds, interval_kernel
from .lazy import is_lazy, map_lazily
from .levels import Confidence, confidence_levels, z_value
from .life_tables import (
    LE_MAX_CI_WIDTH,
    LE_MIN_POPULATION,
    PHE_AGES,
    LifeExpectancy,
    life_expectancy,
    probability_of_dying,
)
from .means import MeanInterval, mean_interval, mean_interval_from_summary
from .methods import (
    INTERVAL_METHODS,
    POISSON_METHODS,
    PROPORTION_METHODS,
    Kernel,
)
from .poisson import (
    EXACT_BELOW,
    byar_interval,
    exact_poisson_interval,
    poisson_interval,
)
from .proportions import (
    WILSON_UNCLIPPED_MAX,
    clopper_pearson_interval,
    proportion_interval,
    wilson_interval,
)
from .registry import REGISTRY_AGES, RegistryRates, cumulative_rate, registry_rates, standardised_rate, truncated_rate
from .results import Interval, Significance, StandardisedRate, Trend, Values
from .significance import rate_ratio_test, trend_test, two_proportion_test
from .standard_populations import (
    StandardPopulation,
    standard_population,
    standard_populations,
)
from .trends import (
    RATIO_METHODS,
    RECENT_CONFIDENCE,
    RECENT_POINTS,
    AnnualPercentChange,
    RecentTrend,
    annual_percent_change,
    rate_difference,
    rate_ratio,
    recent_trend,
)

__all__ = [
    "BLOCK_ROWS",
    "DSR_MIN_COUNT",
    "EMPTY_BANDS",
    "EXACT_BELOW",
    "FUNNEL_CATEGORIES",
    "FUNNEL_NOT_APPLICABLE",
    "INTERVAL_METHODS",
    "ISR_KINDS",
    "LARGE_EXPECTED",
    "LE_MAX_CI_WIDTH",
    "LE_MIN_POPULATION",
    "MAX_MULTIPLIER",
    "PHE_AGES",
    "POISSON_METHODS",
    "PROPORTION_METHODS",
    "RATE_KINDS",
    "RATIO_KINDS",
    "RATIO_METHODS",
    "RECENT_CONFIDENCE",
    "RECENT_POINTS",
    "REGISTRY_AGES",
    "SMALLEST_COUNT",
    "VALUE_TYPES",
    "WILSON_UNCLIPPED_MAX",
    "annual_percent_change",
    "AnnualPercentChange",
    "byar_interval",
    "clopper_pearson_interval",
    "Confidence",
    "confidence_levels",
    "cumulative_rate",
    "dobson_interval",
    "dsr",
    "exact_poisson_interval",
    "expected_counts",
    "funnel_axis",
    "funnel_limits",
    "funnel_points",
    "FunnelPoints",
    "IndirectlyStandardised",
    "InequalityIndex",
    "Interval",
    "interval_bounds",
    "interval_kernel",
    "is_lazy",
    "isr",
    "Kernel",
    "life_expectancy",
    "LifeExpectancy",
    "map_lazily",
    "mean_interval",
    "mean_interval_from_summary",
    "MeanInterval",
    "poisson_interval",
    "probability_of_dying",
    "proportion_interval",
    "quantile_groups",
    "rate_difference",
    "rate_funnel_limits",
    "rate_funnel_significance",
    "rate_ratio",
    "rate_ratio_test",
    "RateFunnel",
    "ratio_funnel_limits",
    "ratio_funnel_significance",
    "RatioFunnel",
    "recent_trend",
    "RecentTrend",
    "registry_rates",
    "RegistryRates",
    "Significance",
    "sii",
    "standard_population",
    "standard_populations",
    "standardised_rate",
    "StandardisedRate",
    "StandardPopulation",
    "Trend",
    "trend_test",
    "truncated_rate",
    "two_proportion_test",
    "Values",
    "wilson_interval",
    "z_value",
]
