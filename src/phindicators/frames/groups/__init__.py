"""Indicators of a DataFrame, one row per group: :func:`compute_frame`.

The frame goes through narwhals, so pandas, polars, pyarrow and modin frames
(and dask or polars lazy frames, collected first) come in and the caller's
own kind comes out. Inside, the count columns become float64 arrays and the
arithmetic is :func:`phindicators.compute.compute` on whole columns: no
Python loop runs per row except to word the rows that have a problem.

The package has one module per step: ``options`` (checked options and the
records the steps share), ``rows`` (bad rows), ``pooling`` (sums per group,
eager or lazy), ``scoring`` (the output columns) and ``frame``
(:func:`compute_frame`).
"""

from __future__ import annotations

from .frame import compute_frame
from .options import BENCHMARK_LEVELS, ERRORS, POOLED

__all__ = [
    "BENCHMARK_LEVELS",
    "ERRORS",
    "POOLED",
    "compute_frame",
]
