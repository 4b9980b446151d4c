"""Checking counts for the statistics, and running kernels over cache-sized blocks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .._threads import BLOCK_ROWS

# ------------------------------------------------------------------- counts


def blockwise(
    kernel: Callable[..., None], inputs: Sequence[np.ndarray], n_out: int
) -> tuple[np.ndarray, ...]:
    """Run ``kernel(*in_blocks, *out_blocks)`` over cache-sized blocks.

    Inputs are broadcast together and cast to float64 block by block; the
    outputs are allocated in the broadcast shape.
    """
    operands = [*inputs, *([None] * n_out)]
    flags = [["readonly"]] * len(inputs) + [["writeonly", "allocate"]] * n_out
    iterator = np.nditer(  # type: ignore[call-overload]
        operands,
        flags=["external_loop", "buffered", "zerosize_ok"],
        op_flags=flags,
        op_dtypes=[np.float64] * len(operands),
        casting="same_kind",
        buffersize=BLOCK_ROWS,
    )
    with iterator, np.errstate(divide="ignore", invalid="ignore"):
        for blocks in iterator:
            kernel(*blocks)
        return tuple(iterator.operands[len(inputs) :])
