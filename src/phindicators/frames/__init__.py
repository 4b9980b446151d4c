"""DataFrames in, DataFrames out: the tabular face of phindicators.

:func:`compute_frame` computes indicators for every row or group of a
pandas, polars, pyarrow, modin or dask frame and returns the caller's kind of
frame; :func:`result_frame` turns a :class:`~phindicators.Result`
into one (``Result.to_frame``). Both go through narwhals, which this
subpackage imports when called, never at ``import phindicators``: install it
with ``pip install 'phindicators[frames]'``.
"""

from .groups import BENCHMARK_LEVELS, POOLED, compute_frame
from .results import result_frame

__all__ = ["BENCHMARK_LEVELS", "POOLED", "compute_frame", "result_frame"]
