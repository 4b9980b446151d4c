"""DataFrames in, DataFrames out: the tabular face of phindicators.

:func:`compute_frame` computes indicators for every row or group of a
pandas, polars, pyarrow, modin or dask frame and returns the caller's kind of
frame; :func:`result_frame` turns a :class:`~phindicators.Result`
into one (``Result.to_frame``); :func:`stats_frame` computes a statistic by age band
(DSR, life expectancy, registry rates, ISR, APC...) for every group of a
long frame, one row per group and band. All go through narwhals, which this
subpackage imports when called, never at ``import phindicators``: install it
with ``pip install 'phindicators[frames]'``.
"""

from .banded import STATISTICS, stats_frame
from .groups import BENCHMARK_LEVELS, POOLED, compute_frame
from .results import result_frame

__all__ = ["BENCHMARK_LEVELS", "POOLED", "STATISTICS", "compute_frame", "result_frame", "stats_frame"]
