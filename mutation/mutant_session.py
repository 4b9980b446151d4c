"""pytest plugin for mutation/run.py: a clean start for each mutant's tests.

mutmut forks each mutant's test run from a process that has already run the
tests once (to learn which tests reach which function). Two things of that
process must not carry over:

* tables memoised then (exact Poisson limits, confidence levels, unit
  factors): they would hide a mutant of the function that builds them,
  which would never run (so they are emptied before every test);
* dask's thread pool: its threads do not survive the fork, and a lazy
  computation would wait for them until the timeout, a false kill. The
  synchronous scheduler gives the same bits.
"""

from __future__ import annotations

import functools
import gc
import sys

import pytest

_CACHES: list[functools._lru_cache_wrapper] = []


def _memo_caches() -> list[functools._lru_cache_wrapper]:
    if not _CACHES:
        _CACHES.extend(
            obj
            for obj in gc.get_objects()
            if isinstance(obj, functools._lru_cache_wrapper)
            and getattr(obj, "__module__", "").startswith("phindicators")
        )
    return _CACHES


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    if "dask" in sys.modules:
        import dask

        dask.config.set(scheduler="synchronous")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before every test, not once: mutmut also learns which tests reach which
    # function from a run of all tests, and a table built by the first test
    # that needs it would tie the function that builds it to that test alone.
    for cache in _memo_caches():
        cache.cache_clear()
