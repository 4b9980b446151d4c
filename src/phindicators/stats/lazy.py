"""dask arrays: recognised without importing dask, mapped chunk by chunk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

# -------------------------------------------------------------- lazy arrays


def is_lazy(value: object) -> bool:
    """Whether ``value`` is a dask array, recognised without importing dask.

    Examples
    --------
    >>> is_lazy(np.ones(3))
    False
    """
    return hasattr(value, "__dask_graph__") and hasattr(value, "map_blocks")


def map_lazily(
    function: Callable[..., Sequence[np.ndarray]],
    arrays: Sequence[Any],
    n_out: int,
) -> tuple[Any, ...]:
    """Apply ``function`` to matching chunks of dask arrays, lazily.

    The arrays (dask arrays, or numpy arrays and numbers mixed with them)
    are broadcast together and cut into the chunks of the most finely
    chunked one; ``function(*blocks, origin=...)`` gets numpy blocks and the
    position of their first element in the whole array, and returns
    ``n_out`` float64 arrays of the blocks' shape. Nothing is computed here:
    the result is ``n_out`` dask arrays sharing one task per chunk, so that
    computing them together (``dask.compute(a, b)``) runs each chunk once.

    dask is imported only here, i.e. only by callers that already hold dask
    arrays.

    Examples
    --------
    >>> import pytest; da = pytest.importorskip("dask.array")  # dask is optional
    >>> total, = map_lazily(lambda a, b, origin: [a + b], [da.ones(4, chunks=2), 1.0], 1)
    >>> total.compute().tolist()
    [2.0, 2.0, 2.0, 2.0]
    """
    import dask.array as da

    operands = da.broadcast_arrays(*(da.asarray(a) for a in arrays))
    chunks = max(operands, key=lambda a: a.npartitions).chunks
    operands = [a.rechunk(chunks) for a in operands]

    def stacked(*blocks: np.ndarray, block_info: dict[Any, Any] | None = None) -> np.ndarray:
        origin = tuple(start for start, _ in block_info[0]["array-location"])  # type: ignore[index]
        return np.stack(function(*blocks, origin=origin))

    ndim = len(chunks)
    together = da.map_blocks(
        stacked,
        *operands,
        new_axis=0,
        chunks=((n_out,), *chunks),
        dtype=np.float64,
        meta=np.empty((0,) * (ndim + 1)),
    )
    return tuple(together[i] for i in range(n_out))
