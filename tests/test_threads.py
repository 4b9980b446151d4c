"""Blocks spread over threads: every block once, errors re-raised."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from phindicators import _threads
from tests.conftest import patched


def threads(count: int) -> AbstractContextManager[None]:
    return patched(_threads, THREADS=count)


@given(st.integers(0, 5_000), st.integers(1, 50), st.integers(1, 6))
def test_every_block_is_worked_once(size: int, block_rows: int, count: int) -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def work(starts: Iterable[int]) -> None:
        for start in starts:
            with lock:
                seen.append(start)

    with threads(count):
        _threads.for_blocks(size, block_rows, work)
        used = _threads.workers(size, block_rows)
    assert sorted(seen) == list(range(0, size, block_rows))
    assert 1 <= used <= count


def test_a_worker_error_reaches_the_caller_and_stops_the_others() -> None:
    seen: list[int] = []

    def work(starts: Iterable[int]) -> None:
        for start in starts:
            seen.append(start)
            if start == 40:
                raise ValueError(f"bad block at {start}")

    with threads(2):
        assert _threads.workers(10**6, 1) == 2
        with pytest.raises(ValueError, match="bad block at 40"):
            _threads.for_blocks(10**6, 1, work)
    assert len(seen) < 10**6 // 2  # the supply stopped long before the end


def test_work_runs_on_the_caller_and_on_other_threads() -> None:
    callers: set[int] = set()
    barrier = threading.Barrier(2, timeout=10)

    def work(starts: Iterable[int]) -> None:
        callers.add(threading.get_ident())
        barrier.wait()  # both calls run at once
        for _ in starts:
            pass

    with threads(2):
        _threads.for_blocks(1_000, 1, work)
        assert threading.get_ident() in callers and len(callers) == 2
        callers.clear()
        with _threads.one_thread():
            _threads.for_blocks(1_000, 1, lambda starts: callers.add(threading.get_ident()))
    assert callers == {threading.get_ident()}


def test_scratch_buffers_are_kept_per_thread_and_name() -> None:
    first = _threads.scratch("test-a", 10, 2)
    assert first.shape == (2, 10)
    assert np.shares_memory(_threads.scratch("test-a", 5, 2), first)  # kept
    assert not np.shares_memory(_threads.scratch("test-b", 10, 2), first)  # another name
    elsewhere: list[np.ndarray] = []
    thread = threading.Thread(target=lambda: elsewhere.append(_threads.scratch("test-a", 10, 2)))
    thread.start()
    thread.join()
    assert not np.shares_memory(elsewhere[0], first)  # another thread
    big = _threads.KEPT_ROWS + 1
    assert not np.shares_memory(_threads.scratch("test-a", big), _threads.scratch("test-a", big))


def test_thread_limit_caps_the_threads_within_its_block() -> None:
    import phindicators as ph

    with threads(4):
        assert _threads.workers(10**9, 1) == 4
        with ph.thread_limit(2):
            assert _threads.workers(10**9, 1) == 2
            with ph.thread_limit(None):
                assert _threads.workers(10**9, 1) == 4
            with ph.thread_limit(1):
                assert _threads.workers(10**9, 1) == 1
            assert _threads.workers(10**9, 1) == 2
        assert _threads.workers(10**9, 1) == 4
        # Other threads keep their own setting.
        seen: list[int] = []
        with ph.thread_limit(1):
            worker = threading.Thread(target=lambda: seen.append(_threads.workers(10**9, 1)))
            worker.start()
            worker.join()
        assert seen == [4]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_thread_limit_refuses_what_is_not_a_count_of_threads(bad: object) -> None:
    import phindicators as ph

    with pytest.raises(ph.InvalidOptionError, match="threads must be a positive integer"):
        with ph.thread_limit(bad):  # type: ignore[arg-type]
            pass


def test_the_kept_buffers_hold_a_whole_block() -> None:
    assert _threads.KEPT_ROWS == _threads.BLOCK_ROWS  # else every block's scratch would be new
