"""Band cells read as numbers, and the checks of a frame's bands."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ...errors import InvalidCountsError, InvalidOptionError
from ...stats._bands import band_labels

Columns = dict[str, Any]


# A group named in an error message, at most this many.
_SHOWN_GROUPS = 5


# An age band as text: "85+", "0-4", "1–4", "0", "85岁以上" (its first age is what counts).
_AGE_LABEL = re.compile(r"^\s*(\d+)\s*(?:[-–~～至]\s*(\d+)\s*)?(\+|岁及以上|岁以上|岁)?\s*$")


def _by_band(where: str, name: str, given: Any, bands: tuple[Any, ...]) -> np.ndarray | None:
    """A reference array in the order of ``bands``: from a mapping band ->
    value (keys read as the band column is), or a sequence already in that
    order."""
    if given is None:
        return None
    if isinstance(given, Mapping):
        read = {_band_value(key, "age"): value for key, value in given.items()}
        absent = [band for band in bands if band not in read]
        if absent:
            raise InvalidOptionError(f"{where}: {name} has no value for band(s) {', '.join(map(str, absent))}")
        return np.asarray([read[band] for band in bands], dtype=np.float64)
    values = np.asarray(given, dtype=np.float64)
    if values.shape != (len(bands),):
        raise InvalidOptionError(
            f"{where}: {name} must give one value per band ({len(bands)}: {', '.join(map(str, bands))}), "
            f"or be a mapping band -> value; got {values.shape[0] if values.ndim else 'a scalar'}"
        )
    return values


def _band_value(cell: object, kind: str) -> int | float | None:
    """A band cell as the number it stands for (an age band's first age, a
    year), None when it is none."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | np.integer):
        return int(cell)
    if isinstance(cell, float | np.floating):
        number = float(cell)
        if not np.isfinite(number):
            return None
        return int(number) if number.is_integer() else (None if kind == "age" else number)
    if isinstance(cell, str):
        found = _AGE_LABEL.match(cell)
        if found is not None and (kind == "age" or not (found.group(2) or found.group(3))):
            return int(found.group(1))
    return None


def _check_no_gap(cells: list[Any], bands: tuple[Any, ...], band: str, where: str) -> None:
    """Refuse labels whose bands leave ages out ("0-4" then "10-14"): the
    statistics read a band as reaching the next one's first age, so a band
    that no group has would silently widen the one before it."""
    ends: dict[int, int] = {}
    for cell in cells:
        found = _AGE_LABEL.match(cell) if isinstance(cell, str) else None
        if found is not None and found.group(2) is not None:
            ends[int(found.group(1))] = int(found.group(2))
    for start, following in itertools.pairwise(bands):
        end = ends.get(start)
        if end is not None and end + 1 < following:
            raise InvalidCountsError(
                where,
                band,
                f"leaves out ages {end + 1}-{following - 1}: band {start}-{end} is followed by {following} "
                "(give the missing band, or bands= to say which bands there are)",
            )


def _labels(bands: tuple[Any, ...], kind: str) -> tuple[str, ...]:
    if kind == "age" and bands and all(isinstance(b, int) for b in bands) and list(bands) == sorted(bands):
        return band_labels(bands)
    return tuple(map(str, bands))
