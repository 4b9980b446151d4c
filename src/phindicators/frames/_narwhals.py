"""The one place the frame adapters import narwhals, with the extra to install."""

from __future__ import annotations

from types import ModuleType

from .._optional import require


def narwhals() -> ModuleType:
    """The ``narwhals`` module, or an ImportError that names the extra.

    narwhals is the compatibility layer that lets one code path take pandas,
    polars, pyarrow, modin and dask frames and hand back the caller's kind.
    """
    return require("narwhals", "frames", "DataFrames")
