"""Indicators of a DataFrame, one row per group: :func:`compute_frame`.

The frame goes through narwhals, so pandas, polars, pyarrow and modin frames
and the lazy frames of dask and polars come in and the caller's own kind
comes out. Inside, the count columns become numpy arrays and the arithmetic
is :func:`phindicators.compute.compute` on whole columns: no Python loop
runs per row except to word the rows that have a problem.

The package has one module per step: ``options`` (checked options and the
records the steps share), ``plain`` (clean numeric counts: the columns as
they are, one ``compute`` per indicator), ``rows`` (bad rows), ``pooling``
(sums per group with every row checked, eager or lazy), ``scoring`` (the
output columns' values), ``body`` (those columns as the caller's kind of
frame) and ``frame`` (:func:`compute_frame`).
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
