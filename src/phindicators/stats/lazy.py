"""dask arrays: recognised without importing dask, mapped chunk by chunk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import InvalidCountsError

# -------------------------------------------------------------- lazy arrays


def is_lazy(value: object) -> bool:
    """Whether ``value`` is a dask array, recognised without importing dask.

    Examples
    --------
    >>> is_lazy(np.ones(3))
    False
    """
    return hasattr(value, "__dask_graph__") and hasattr(value, "map_blocks")


def check_lazy_shapes(arrays: Sequence[Any], where: str, names: Sequence[str] | None = None) -> None:
    """Refuse, before dask does with a bare ValueError, dask arrays of
    unknown chunk sizes (``x[x > 0]`` makes them) and shapes that do not
    broadcast together; nothing is computed.

    Raises
    ------
    InvalidCountsError
        Naming ``where`` and the field (from ``names``).

    Examples
    --------
    >>> check_lazy_shapes([np.ones(3), np.ones(4)], "example", ["x", "n"])
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidCountsError: example: x/n shapes do not broadcast together: x (3,), n (4,)
    """
    labels = list(names) if names is not None else [f"counts {i}" for i in range(len(arrays))]
    shapes = {label: tuple(np.shape(array)) for label, array in zip(labels, arrays, strict=False)}
    for label, shape in shapes.items():
        if any(size != size for size in shape):  # NaN: a chunk size dask does not know yet
            raise InvalidCountsError(
                where,
                label,
                f"is a dask array of unknown chunk sizes (shape {shape})",
                detail="call .compute_chunk_sizes() on it first (boolean indexing leaves sizes unknown)",
            )
    try:
        np.broadcast_shapes(*shapes.values())
    except ValueError:
        listed = ", ".join(f"{label} {shape}" for label, shape in shapes.items())
        raise InvalidCountsError(
            where, "/".join(shapes), f"shapes do not broadcast together: {listed}"
        ) from None


def map_lazily(
    function: Callable[..., Sequence[np.ndarray]],
    arrays: Sequence[Any],
    n_out: int,
    *,
    where: str = "counts",
    names: Sequence[str] | None = None,
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
    arrays. Arrays of unknown chunk sizes or shapes that do not broadcast
    are refused first (:func:`check_lazy_shapes`, with ``where`` and
    ``names`` for the message).

    Examples
    --------
    >>> import pytest; da = pytest.importorskip("dask.array")  # dask is optional
    >>> total, = map_lazily(lambda a, b, origin: [a + b], [da.ones(4, chunks=2), 1.0], 1)
    >>> total.compute().tolist()
    [2.0, 2.0, 2.0, 2.0]
    """
    check_lazy_shapes(arrays, where, names)
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
