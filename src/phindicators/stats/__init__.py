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
* tests: two proportions (:func:`two_proportion_test`), two rates
  (:func:`rate_ratio_test`), the chi-squared test for trend
  (:func:`trend_test`) and funnel-plot control limits (:func:`funnel_limits`).

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
``proportions``, ``poisson``, ``methods``, ``standard_populations``, ``dsr``,
``significance``, ``funnels``, ``lazy``); this namespace gathers their
public names.
"""

from __future__ import annotations

from .._counts import SMALLEST_COUNT
from .._options import MAX_MULTIPLIER
from .._threads import BLOCK_ROWS
from .dsr import DSR_MIN_COUNT, dobson_interval, dsr
from .funnels import LARGE_EXPECTED, funnel_limits
from .kernels import interval_bounds, interval_kernel
from .lazy import is_lazy, map_lazily
from .levels import Confidence, confidence_levels, z_value
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
from .results import Interval, Significance, StandardisedRate, Trend, Values
from .significance import rate_ratio_test, trend_test, two_proportion_test
from .standard_populations import (
    StandardPopulation,
    standard_population,
    standard_populations,
)

__all__ = [
    "BLOCK_ROWS",
    "DSR_MIN_COUNT",
    "EXACT_BELOW",
    "INTERVAL_METHODS",
    "LARGE_EXPECTED",
    "MAX_MULTIPLIER",
    "POISSON_METHODS",
    "PROPORTION_METHODS",
    "SMALLEST_COUNT",
    "WILSON_UNCLIPPED_MAX",
    "Confidence",
    "Interval",
    "Kernel",
    "Significance",
    "StandardPopulation",
    "StandardisedRate",
    "Trend",
    "Values",
    "byar_interval",
    "clopper_pearson_interval",
    "confidence_levels",
    "dobson_interval",
    "dsr",
    "exact_poisson_interval",
    "funnel_limits",
    "interval_bounds",
    "interval_kernel",
    "is_lazy",
    "map_lazily",
    "poisson_interval",
    "proportion_interval",
    "rate_ratio_test",
    "standard_population",
    "standard_populations",
    "trend_test",
    "two_proportion_test",
    "wilson_interval",
    "z_value",
]
