"""Files from outside, read with a size cap and written atomically: one copy.

Reading (:func:`read_bytes`, :func:`read_text`, :func:`open_text`) refuses
what is not a regular file (``/dev/zero``, a FIFO, a directory, a socket)
before reading a byte, and input larger than a cap (:data:`MAX_INPUT_BYTES`
by default; callers pass ``limit=None`` or a larger one to override), so
that no input can grow memory without bound or block forever. A FIFO is
opened without waiting for a writer, then refused.

Writing (:func:`atomic_write`) resolves symbolic links first, so that a link
keeps pointing where it did and its target gets the new content. A regular
file (or a new one) is written through a temporary ``.part`` file in the
same directory, renamed over it only when the block completes; stale
``.part`` files a killed run left behind are removed on the next write. A
FIFO or a character device (``/dev/stdout``, ``/dev/null``) is written
directly: replacing it with a regular file would break the pipe or, run as
root, the device.

Every refusal is an :class:`OSError` with an ``errno`` and a readable
``strerror``, so that callers catching OSError for an unreadable file
(``CatalogError`` in the loaders, exit 2 in the command line) catch these
too.

Examples
--------
>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "out.txt")
>>> with atomic_write(path) as file:
...     _ = file.write("孕产妇死亡率 92.68/10万\\n")
>>> read_text(path)
'孕产妇死亡率 92.68/10万\\n'
>>> read_bytes("/dev/zero")
Traceback (most recent call last):
...
phindicators.errors.FileError: [Errno 22] /dev/zero is not a regular file (a character device); give a file
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from typing import IO, Any

from .errors import FileError

__all__ = [
    "MAX_INPUT_BYTES",
    "STALE_PART_SECONDS",
    "atomic_write",
    "encoding_hint",
    "open_text",
    "read_bytes",
    "read_text",
]

#: The default cap on one input file: far above any report, catalog or
#: scorecard table seen (a 10⁶-row scorecard CSV is 49 MB), far below what
#: would exhaust a machine's memory once decoded and parsed.
MAX_INPUT_BYTES = 512 << 20

#: A ``.part`` file of a writer whose process id cannot be checked (another
#: naming, another host) counts as stale after this long.
STALE_PART_SECONDS = 3600

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _size(size: int) -> str:
    return f"{size / (1 << 20):.0f} MiB" if size >= 1 << 20 else f"{size} bytes"


def _error(code: int, message: str) -> OSError:
    """The one error of this module: an OSError, so that every caller's
    handler of unreadable or unwritable files (CatalogError in the loaders,
    exit 2 in the command line) takes it; ``strerror`` is the message."""
    return FileError(code, message)


def _refused(path: str, mode: int) -> OSError:
    code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
    return _error(code, f"{path} is not a regular file ({_kind(mode)}); give a file")


def _too_large(path: str, limit: int) -> OSError:
    return _error(
        errno.EFBIG,
        f"{path} is larger than the input limit of {_size(limit)}; raise the limit to read it",
    )


def _open_regular(path: str | os.PathLike[str], limit: int | None) -> tuple[int, str]:
    """A read-only descriptor of a regular file no larger than ``limit``."""
    name = os.fspath(path)
    # O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
    descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(name, info.st_mode)
        if limit is not None and info.st_size > limit:
            raise _too_large(name, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, name


def read_bytes(path: str | os.PathLike[str], *, limit: int | None = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them.

    Raises
    ------
    OSError
        If the file cannot be opened, is not a regular file, or holds more
        than ``limit`` bytes (also when it grows past it while being read).

    Examples
    --------
    >>> read_bytes(__file__, limit=10)
    Traceback (most recent call last):
    ...
    phindicators.errors.FileError: [Errno 27] ... is larger than the input limit of 10 bytes; raise the limit to read it
    """
    descriptor, name = _open_regular(path, limit)
    with open(descriptor, "rb") as file:
        data = file.read() if limit is None else file.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise _too_large(name, limit)
    return data


def read_text(
    path: str | os.PathLike[str], *, limit: int | None = MAX_INPUT_BYTES, encoding: str = "utf-8-sig"
) -> str:
    """The text of a regular file (UTF-8, a byte-order mark dropped, as
    Windows Notepad writes it), at most ``limit`` bytes of it.

    Raises
    ------
    OSError
        As :func:`read_bytes`.
    UnicodeDecodeError
        If the bytes are not in ``encoding``; :func:`encoding_hint` says
        what they probably are.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "bom.toml")
    >>> with open(path, "wb") as file:
    ...     _ = file.write(b"\\xef\\xbb\\xbfa = 1\\n")
    >>> read_text(path)
    'a = 1\\n'
    """
    return read_bytes(path, limit=limit).decode(encoding)


def open_text(
    path: str | os.PathLike[str],
    *,
    limit: int | None = MAX_INPUT_BYTES,
    encoding: str = "utf-8-sig",
    newline: str | None = "",
) -> IO[str]:
    """A regular file opened for streaming text, refused as
    :func:`read_bytes` refuses (its size is checked when opened).

    Examples
    --------
    >>> with open_text(__file__) as file:
    ...     file.readline().startswith('\"\"\"Files')
    True
    """
    descriptor, _ = _open_regular(path, limit)
    return open(descriptor, encoding=encoding, newline=newline)


def encoding_hint(data: bytes) -> str:
    """The encoding bytes that are not UTF-8 are probably in, for a
    message: UTF-16 or UTF-32 by their byte-order mark, else GB18030 (the
    superset of GBK that Chinese reports are saved in).

    Examples
    --------
    >>> encoding_hint("孕产妇".encode("utf-16")), encoding_hint("孕产妇".encode("gbk"))
    ('UTF-16', 'GB18030')
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    return "GB18030"


def _new_file_mode() -> int:
    # What open() would give a new file: rw for all, less the umask.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _part_pattern(base: str) -> re.Pattern[str]:
    # Ours: ".out.csv.<pid>.<random>.part"; older runs: ".out.csv.<random>.part".
    return re.compile(rf"\.{re.escape(base)}\.(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]+\.part")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    except OverflowError:
        return False
    return True


def _remove_stale_parts(folder: str, base: str) -> None:
    """Remove ``.part`` files of ``base`` that a killed writer left: those of
    a process that no longer runs, and any older than STALE_PART_SECONDS."""
    pattern = _part_pattern(base)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                continue
            pid = match["pid"]
            dead = pid is not None and int(pid) != os.getpid() and not _alive(int(pid))
            if dead or now - info.st_mtime > STALE_PART_SECONDS:
                os.unlink(path)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """A file to write ``path`` through, in text (UTF-8) or binary ``mode``.

    Symbolic links are resolved first. A regular file (or a new one) is
    written to a temporary file renamed over it when the block completes;
    on any error or interruption the temporary file is removed and the old
    file is left as it was. A FIFO or character device is written directly.

    Raises
    ------
    OSError
        For an empty name, a directory, a missing folder, a full disk: with
        a readable ``strerror``.

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> os.symlink(os.path.join(folder, "real.json"), os.path.join(folder, "link.json"))
    >>> with atomic_write(os.path.join(folder, "link.json")) as file:
    ...     _ = file.write("{}")
    >>> os.path.islink(os.path.join(folder, "link.json")), read_text(os.path.join(folder, "real.json"))
    (True, '{}')
    """
    name = os.fspath(path)
    if not name:
        raise _error(errno.ENOENT, "no file name given (an empty --output?)")
    binary = "b" in mode
    text_options: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    target = os.path.realpath(name)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
            with open(target, mode, **text_options) as file:
                yield file
            return
        raise _refused(name, info.st_mode)
    permissions = _new_file_mode() if info is None else stat.S_IMODE(info.st_mode)
    folder, base = os.path.split(target)
    _remove_stale_parts(folder, base)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{base}.{os.getpid()}.", suffix=".part")
    try:
        with os.fdopen(descriptor, mode, **text_options) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, permissions)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise

