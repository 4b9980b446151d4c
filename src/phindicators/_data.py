"""The package's bundled data files (``phindicators/data/``), for every reader.

The folder is read directly when the package is a folder on disk, as
installed from a wheel or in development: importlib.resources, needed only
for a zipped package, costs 10 ms of imports (about a sixth of the first
catalog lookup) and is imported only then.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import attrs

_DATA_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def data_root() -> Any:
    """The bundled data folder as a traversable (``iterdir``, ``/``, ``name``,
    ``read_text``): a view of the folder on disk, else importlib.resources'
    view of the package.

    Examples
    --------
    >>> (data_root() / "reports" / "example_report.txt").name
    'example_report.txt'
    """
    if os.path.isdir(_DATA_FOLDER):
        return _Folder(_DATA_FOLDER)
    from importlib import resources

    return resources.files("phindicators") / "data"


def bundled_text(*parts: str) -> str:
    """The text of the bundled file ``data/<parts>`` (UTF-8).

    Examples
    --------
    >>> bundled_text("reports", "example_report.txt").startswith("#")
    True
    """
    path = data_root()
    for part in parts:
        path = path / part
    return path.read_text("utf-8")


@attrs.frozen
class _Folder:
    """The few operations of :class:`importlib.resources.abc.Traversable`
    the readers use, on a plain folder (no pathlib import)."""

    path: str

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def __truediv__(self, child: str) -> _Folder:
        return _Folder(os.path.join(self.path, child))

    def iterdir(self) -> Iterator[_Folder]:
        return (self / name for name in os.listdir(self.path))

    def read_text(self, encoding: str = "utf-8") -> str:
        with open(self.path, encoding=encoding) as file:
            return file.read()
