"""pytest plugin for mutation/run.py: a clean start for each mutant's tests.

mutmut forks each mutant's test run from a process that has already run the
tests once (to learn which tests reach which function). Two things of that
process must not carry over:

* tables memoised then (exact Poisson limits, confidence levels, unit
  factors, compiled figure patterns): they would hide a mutant of the
  function that builds them, which would never run;
* dask's thread pool: its threads do not survive the fork, and a lazy
  computation would wait for them until the timeout, a false kill. The
  synchronous scheduler gives the same bits.
"""

from __future__ import annotations

import functools
import gc
import sys

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and getattr(obj, "__module__", "").startswith(
            "phindicators"
        ):
            obj.cache_clear()
    if "dask" in sys.modules:
        import dask

        dask.config.set(scheduler="synchronous")
