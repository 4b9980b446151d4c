"""Age bands for the statistics that work band by band: labels, and errors that name the band."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from .._text import shown
from ..errors import InvalidCountsError, InvalidOptionError


def band_labels(lower_ages: Sequence[int]) -> tuple[str, ...]:
    """Labels of bands given by their first ages, the last one open.

    Examples
    --------
    >>> band_labels([0, 1, 5, 90])
    ('0', '1-4', '5-89', '90+')
    """
    labels = []
    for start, stop in itertools.pairwise(lower_ages):
        labels.append(f"{start}" if stop == start + 1 else f"{start}-{stop - 1}")
    labels.append(f"{lower_ages[-1]}+")
    return tuple(labels)


def checked_ages(where: str, ages: object, size: int) -> tuple[int, ...]:
    """First ages of ``size`` bands: whole numbers from 0, strictly increasing.

    Examples
    --------
    >>> checked_ages("life_expectancy", [0, 5, 3], 3)
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: life_expectancy: ages must be whole numbers, \
increasing, the first 0; got [0, 5, 3]
    """
    try:
        array = np.asarray(ages, dtype=np.float64)
    except (TypeError, ValueError):
        array = np.array([np.nan])
    good = (
        array.ndim == 1
        and array.size > 0
        and bool(np.all(np.isfinite(array)))
        and bool(np.all(array == np.round(array)))
        and array[0] == 0
        and bool(np.all(np.diff(array) > 0))
    )
    if not good:
        raise InvalidOptionError(
            f"{where}: ages must be whole numbers, increasing, the first 0; got {shown(ages)}"
        )
    if array.size != size:
        raise InvalidOptionError(
            f"{where}: {array.size} age bands ({', '.join(band_labels([int(a) for a in array]))}) "
            f"but the data has {size} along its band axis"
        )
    return tuple(int(a) for a in array)


def raise_in_band(
    where: str,
    field: str,
    problem: str,
    mask: np.ndarray,
    values: dict[str, np.ndarray],
    labels: Sequence[str],
    axis: int,
) -> None:
    """Raise :class:`InvalidCountsError` naming the age band(s) where ``mask`` is true.

    Examples
    --------
    >>> pops = np.array([[10.0, 0.0], [5.0, 5.0]])
    >>> raise_in_band("dsr", "populations", "is 0", pops == 0, {"populations": pops}, ["0-4", "5+"], -1)
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidCountsError: dsr: populations is 0 in band 5+ \
(at 1 of 4 positions: (0, 1): populations=0)
    """
    if not np.any(mask):
        return
    others = tuple(a for a in range(mask.ndim) if a != axis % mask.ndim)
    bad = np.asarray(np.any(mask, axis=others))
    names = [labels[int(i)] for i in np.flatnonzero(bad)]
    bands = f"band {names[0]}" if len(names) == 1 else f"bands {', '.join(names)}"
    raise InvalidCountsError.at(where, field, f"{problem} in {bands}", mask, values)
