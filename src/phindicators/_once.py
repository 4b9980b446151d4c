"""Load-once values: bundled data is read on first use, once, under a lock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = ["Once"]


class Once(Generic[T]):
    """Call ``load`` on the first :meth:`get` (from any thread) and keep the value.

    Examples
    --------
    >>> calls = []
    >>> answer = Once(lambda: calls.append(1) or 42)
    >>> answer.get(), answer.get(), len(calls)
    (42, 42, 1)
    """

    def __init__(self, load: Callable[[], T]) -> None:
        self._load = load
        self._value: T | None = None
        self._loaded = False
        self._lock = threading.Lock()

    def get(self) -> T:
        """The value, loading it first if no thread has yet."""
        if not self._loaded:  # double-checked: the lock is taken only while loading
            with self._lock:
                if not self._loaded:
                    self._value = self._load()
                    self._loaded = True
        return self._value  # type: ignore[return-value]

    @property
    def loaded(self) -> bool:
        """Whether the value has been loaded."""
        return self._loaded
