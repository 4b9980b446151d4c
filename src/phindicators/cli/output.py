"""Writing command output: to stdout or a file, atomically (a temporary file renamed over the target)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

from phindicators._files import atomic_write

from .common import UsageError

# -- files ------------------------------------------------------------------------------------


def file_name(path: str, action: str) -> str:
    """``path``, refused with a usage error if no file can have that name:
    open() raises ValueError, not OSError, for a NUL character or a name
    the file system encoding cannot write."""
    try:
        usable = b"\x00" not in os.fsencode(path)
    except UnicodeEncodeError:
        usable = False
    if not usable:
        raise UsageError(f"cannot {action} {path!r}: no file can have that name")
    return path


@contextlib.contextmanager
def atomic(path: str, mode: str = "w") -> Iterator[IO[Any]]:
    """A file to write ``path`` through (:func:`phindicators._files.atomic_write`):
    symbolic links resolved, a regular file replaced only when the block
    completes, a FIFO or device written directly, stale ``.part`` files of
    killed runs removed; any failure is a usage error (exit 2)."""
    try:
        with atomic_write(file_name(path, "write"), mode) as file:
            yield file
    except OSError as error:
        raise UsageError(f"cannot write {path!r}: {error.strerror or error}") from None


def emit(output: str | None, write: Callable[[IO[str]], None]) -> None:
    """Write text to ``output`` atomically, or to stdout."""
    if output is None:
        write(sys.stdout)
    else:
        with atomic(output) as file:
            write(file)
