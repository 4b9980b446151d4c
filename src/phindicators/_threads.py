"""Long arrays worked through in blocks, spread over the CPU's cores.

numpy releases the GIL inside its loops, so threads each working through
their own blocks use every core. Threads take the next few blocks whenever
they finish theirs (a core slowed by a neighbouring process does not hold
the others up), and the calling thread works too rather than wait idle.

Each thread also keeps its block-sized scratch buffers between calls: a
buffer allocated afresh for every call is, at a few hundred thousand rows,
mostly page faults (the allocator hands megabyte buffers back to the system
when they are freed).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

import numpy as np

#: Threads for large arrays (tests raise it to exercise the threaded path).
THREADS = os.cpu_count() or 1
#: The fewest blocks worth a thread of their own.
MIN_BLOCKS_PER_THREAD = 8
#: Blocks a thread takes at a time: 4 blocks of 2**16 float64 values are
#: one 2 MB huge page of each output, faulted in by one thread.
GRAIN = 4

#: The limit set by thread_limit (None: THREADS); 1 inside dask's tasks,
#: which already run one per core.
_limit: ContextVar[int | None] = ContextVar("phindicators_thread_limit", default=None)

#: Elements per block of the vectorised paths (in :mod:`phindicators.stats`,
#: :func:`phindicators.compute` and :meth:`phindicators.Target.is_met`): a
#: block's temporaries stay in the CPU cache, so that the dozen arithmetic
#: steps of an interval cost little more than one pass over memory and no
#: temporary grows with the array (measured fastest around 2**16 on 10
#: million rows). Results do not depend on it: the tests run it at 3, by
#: patching it here, its one home (callers read it at call time).
BLOCK_ROWS = 1 << 16

#: Buffers kept per thread, and the most rows kept (larger ones are not
#: kept): the default block size.
_kept = threading.local()
KEPT_ROWS = BLOCK_ROWS


def scratch(name: str, rows: int, count: int = 1) -> np.ndarray:
    """A float64 work buffer of shape ``(count, rows)`` for the calling
    thread, kept for its next call under the same ``name``.

    Callers in one thread must use different names for buffers in use at
    the same time. Buffers of more than :data:`KEPT_ROWS` rows are new
    each time.

    Examples
    --------
    >>> scratch("example", 4, 2).shape
    (2, 4)
    >>> scratch("example", 3, 2).base is scratch("example", 4, 2).base
    True
    """
    if rows > KEPT_ROWS:
        return np.empty((count, rows))
    buffers: dict[str, np.ndarray] = _kept.__dict__.setdefault("buffers", {})
    buffer = buffers.get(name)
    if buffer is None or buffer.shape[0] < count or buffer.shape[1] < rows:
        buffer = buffers[name] = np.empty((count, KEPT_ROWS))
    return buffer[:count, :rows]


@contextmanager
def thread_limit(threads: int | None) -> Iterator[None]:
    """Use at most ``threads`` threads for long arrays, within the block.

    Array computations of half a million rows or more (``compute``,
    ``Indicator.compute``) spread their blocks over every core by default;
    the results do not depend on the number of threads. Limit them where
    the cores are already busy: in the workers of a process pool, or beside
    other multi-threaded work. ``None`` lifts the limit. The limit holds for
    calls made in this thread (or asyncio task) inside the ``with`` block;
    threads started inside it are not limited.

    Raises
    ------
    InvalidOptionError
        If ``threads`` is not a positive integer or None.

    Examples
    --------
    >>> import numpy as np
    >>> import phindicators as ph
    >>> births = np.full(1_000_000, 2164)
    >>> with ph.thread_limit(1):
    ...     result = ph.get("maternal_systematic_management_rate").compute(births - 97, births)
    >>> result.format()[:2].tolist()
    ['95.52%', '95.52%']
    """
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        from .errors import InvalidOptionError

        raise InvalidOptionError(f"threads must be a positive integer or None, got {threads!r}")
    token = _limit.set(threads)
    try:
        yield
    finally:
        _limit.reset(token)


def one_thread() -> AbstractContextManager[None]:
    """Work through blocks on the calling thread only, within the block.

    Examples
    --------
    >>> with one_thread():
    ...     workers(10**9, 1)
    1
    """
    return thread_limit(1)


def workers(size: int, block_rows: int) -> int:
    """How many threads :func:`for_blocks` uses for ``size`` rows.

    Examples
    --------
    >>> workers(10, 4)
    1
    """
    limit = _limit.get()
    threads = THREADS if limit is None else min(THREADS, limit)
    return max(1, min(threads, size // (MIN_BLOCKS_PER_THREAD * block_rows)))


def for_blocks(size: int, block_rows: int, work: Callable[[Iterable[int]], None]) -> None:
    """Call ``work(starts)`` on iterables of block starts that together cover
    ``size`` rows, ``block_rows`` at a time, each block once.

    With :func:`workers` > 1, ``work`` runs on that many threads at once,
    the calling thread included, each call drawing blocks from a shared
    supply until none is left. An exception in any call stops the supply
    and is re-raised here (the calling thread's first).

    Examples
    --------
    >>> seen = []
    >>> for_blocks(10, 4, lambda starts: seen.extend(starts))
    >>> seen
    [0, 4, 8]
    """
    count = workers(size, block_rows)
    if count <= 1:
        work(range(0, size, block_rows))
        return
    from concurrent.futures import ThreadPoolExecutor  # only for arrays worth threads

    step = GRAIN * block_rows
    chunks = iter(range(0, size, step))
    lock, failed = threading.Lock(), threading.Event()

    def starts() -> Iterator[int]:
        while not failed.is_set():
            with lock:
                chunk = next(chunks, None)
            if chunk is None:
                return
            yield from range(chunk, min(chunk + step, size), block_rows)

    def run() -> None:
        try:
            work(starts())
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(count - 1) as pool:
        futures = [pool.submit(run) for _ in range(count - 1)]
        try:
            run()
        finally:
            errors = [future.exception() for future in futures]
    for error in errors:
        if error is not None:
            raise error
