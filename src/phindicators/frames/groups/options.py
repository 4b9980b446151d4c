"""The options of compute_frame, checked (indicators, columns, target sets, benchmarks), and the records passed on."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ...catalog import bundled_catalog
from ...compare.benchmarks import POOLED
from ...errors import (
    InvalidOptionError,
    InvalidTypeError,
)
from ...model import Indicator
from ...targets import TargetSet
from ...targets import target_set as find_target_set

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


#: Benchmarks are judged as Fingertips judges them: at 95 % and 99.8 %.
BENCHMARK_LEVELS = (0.95, 0.998)

#: What ``errors=`` accepts.
ERRORS = ("raise", "mark")

# Rows named in an error message, at most.
_SHOWN_ROWS = 5


@attrs.frozen
class _Columns:
    """The count columns of one indicator."""

    indicator: Indicator
    numerator: str
    denominator: str | None


@attrs.frozen
class _Counts:
    """A count column parsed once, whichever indicators use it."""

    values: np.ndarray
    missing: np.ndarray
    raw: np.ndarray


@attrs.frozen
class _Groups:
    """The rows pooled into groups: per indicator, the summed counts, the
    first bad row and how many rows are bad; and the key columns."""

    keys: Any  # a narwhals DataFrame of the key columns, one row per group (or None)
    first_row: np.ndarray | None  # the position of each group's first row; None: group i is row i
    numerators: list[np.ndarray]
    denominators: list[np.ndarray | None]
    bad_rows: list[np.ndarray]  # first bad row position per group, -1 if none
    bad_counts: list[np.ndarray]
    #: For groups pooled lazily (no row positions): what is wrong with each
    #: group, per indicator (None where nothing is).
    problems: list[np.ndarray] | None = None

    @property
    def size(self) -> int:
        return int((self.first_row if self.first_row is not None else self.numerators[0]).size)


def _names(value: str | Sequence[str] | None, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(name, str) for name in value):
        return list(value)
    raise InvalidTypeError(f"{what} must be a column name or a list of column names, got {value!r}")


def _indicator(value: Indicator | str) -> Indicator:
    if isinstance(value, Indicator):
        return value
    if isinstance(value, str):
        return bundled_catalog().find(value)
    raise InvalidTypeError(f"indicator must be an Indicator or its id or name, got {value!r}")


def _check_column(name: str, columns: list[str], what: str) -> None:
    if name not in columns:
        close = difflib.get_close_matches(name, columns, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        shown = ", ".join(columns[:20]) + (", …" if len(columns) > 20 else "")
        raise InvalidOptionError(f"{what} column {name!r} is not in the frame{hint} (columns: {shown})")


def _target_sets(targets: object) -> list[TargetSet]:
    if targets is None:
        return []
    items = [targets] if isinstance(targets, str | TargetSet) else targets
    if not isinstance(items, Sequence):
        raise InvalidTypeError(f"targets must be a TargetSet, its id or a list of them, got {targets!r}")
    sets = []
    for item in items:
        if isinstance(item, str):
            sets.append(find_target_set(item))
        elif isinstance(item, TargetSet):
            sets.append(item)
        else:
            raise InvalidTypeError(f"targets must be TargetSets or their ids, got {item!r}")
    return sets


def _check_benchmark(benchmark: object, by: list[str], frame: Any) -> None:
    if benchmark is None or benchmark == POOLED:
        return
    if not by:
        raise InvalidOptionError(
            f"benchmark {benchmark!r} names a group, so by= must name the group columns (or use benchmark={POOLED!r})"
        )
    wanted = benchmark if isinstance(benchmark, tuple) else (benchmark,)
    if len(wanted) != len(by):
        raise InvalidOptionError(f"benchmark {benchmark!r} must give one value per by column ({', '.join(by)})")
    present = set(frame.select(by).unique().rows())
    if tuple(wanted) not in present:
        shown = sorted(map(str, (row if len(by) > 1 else row[0] for row in present)))
        close = difflib.get_close_matches(str(benchmark), shown, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise InvalidOptionError(
            f"benchmark {benchmark!r} is not a group of the frame{hint} (groups: "
            f"{', '.join(shown[:10])}{', …' if len(shown) > 10 else ''}; or {POOLED!r})"
        )
