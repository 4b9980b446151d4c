"""Writing command output: to stdout or a file, atomically (a temporary file renamed over the target)."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

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


def _new_file_mode() -> int:
    # What open() would give a new file: rw for all, less the umask.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic(path: str, mode: str = "w") -> Iterator[IO[Any]]:
    """A file to write ``path`` through: a temporary file in the same
    directory, renamed over ``path`` only when the block completes; on any
    error or interruption it is removed and ``path`` is left as it was."""
    target = os.path.abspath(file_name(path, "write"))
    try:
        permissions = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        permissions = _new_file_mode()
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.", suffix=".part"
        )
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        binary = "b" in mode
        with os.fdopen(
            descriptor, mode, encoding=None if binary else "utf-8", newline=None if binary else ""
        ) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, permissions)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
        raise


def emit(output: str | None, write: Callable[[IO[str]], None]) -> None:
    """Write text to ``output`` atomically, or to stdout."""
    if output is None:
        write(sys.stdout)
    else:
        with atomic(output) as file:
            write(file)
