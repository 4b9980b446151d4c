"""Count checks shared by the statistics and the indicator layer: one copy.

Counts must be finite, >= 0 and below 2**53 (the largest count a float64
holds exactly); a count that is not zero is at least :data:`SMALLEST_COUNT`.
:func:`checked_counts` checks named fields for :mod:`phindicators.stats`;
:mod:`phindicators.validation` adds what an indicator knows (units, whole
numbers, kinds) on top of :func:`in_range` and :func:`raise_if_any`.

Examples
--------
>>> checked_counts("example", {"x": 3, "n": 10}, positive=["n"], within=[("x", "n")])
[3.0, 10.0]
>>> checked_counts("example", {"x": [3, -1]})
Traceback (most recent call last):
...
phindicators.errors.InvalidCountsError: example: x is negative (at 1 of 2 positions: (1,): x=-1)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InvalidCountsError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

__all__ = [
    "MAX_EXACT_COUNT",
    "SMALLEST_COUNT",
    "TOO_LARGE",
    "checked_counts",
    "in_range",
    "number_from_text",
    "raise_if_any",
]

#: Largest count a float64 holds exactly; above it, a count would silently
#: lose its last digits.
MAX_EXACT_COUNT = 2.0**53


#: A count or denominator that is not zero is at least this. A millionth of
#: an event or of a person is already no count; below it a count is a unit
#: slip, and dividing by it would overflow.
SMALLEST_COUNT = 1e-6

#: The message for a count of 2**53 or more.
TOO_LARGE = "is too large to count exactly (>= 2**53)"


def raise_if_any(
    indicator_id: str,
    field: str,
    problem: str,
    mask: np.ndarray,
    shown: dict[str, np.ndarray],
    origin: tuple[int, ...] = (),
) -> None:
    """Raise :meth:`InvalidCountsError.at <phindicators.errors.InvalidCountsError.at>`
    if ``mask`` is true anywhere (the count checks of
    :mod:`phindicators.validation` and :mod:`phindicators.stats` share it)."""
    if np.any(mask):
        raise InvalidCountsError.at(indicator_id, field, problem, mask, shown, origin)


_TOO_SMALL = f"is between 0 and {SMALLEST_COUNT:g} (too small a fraction to be a count)"


def checked_counts(
    where: str,
    fields: dict[str, ArrayLike],
    *,
    positive: Sequence[str] = (),
    within: Sequence[tuple[str, str]] = (),
    per_unit: Sequence[str] = (),
    origin: tuple[int, ...] = (),
) -> list[Any]:
    """Check counts and return them as floats (scalars) or float64 arrays.

    ``where`` names the function in error messages. Every field must be
    finite, >= 0 and below 2**53 (``MAX_EXACT_COUNT``, as
    :mod:`phindicators.validation` requires of counts); ``positive`` fields
    must be > 0; each (part, whole) pair of ``within`` requires part <= whole.
    Fields other than the ``per_unit`` ones (weights, averages) are counts:
    0 or at least :data:`SMALLEST_COUNT`. ``origin`` is the position of a
    chunk's first element in a larger array, to report positions in the
    whole array.
    """
    arrays: dict[str, np.ndarray] = {}
    integral: set[str] = set()  # fields of an integer dtype hold no fractions
    for name, values in fields.items():
        try:
            array = np.asarray(values)
        except ValueError:  # nested sequences of unequal lengths
            raise InvalidCountsError(
                where, name, "must be a rectangular array of numbers",
                detail="got nested sequences of unequal lengths",
            ) from None
        if array.dtype.kind not in "iuf":
            raise InvalidCountsError(where, name, f"must be real numbers, got dtype {array.dtype}")
        if array.dtype.kind in "iu":
            integral.add(name)
        arrays[name] = array.astype(np.float64, copy=False)
    try:
        shaped = dict(zip(arrays, np.broadcast_arrays(*arrays.values()), strict=True))
    except ValueError:
        shapes = ", ".join(f"{name} {a.shape}" for name, a in arrays.items())
        raise InvalidCountsError(
            where, "/".join(arrays), f"shapes do not broadcast together: {shapes}"
        ) from None
    # Valid counts are recognised by a few reductions per field (_in_range);
    # the masks below only run to name a problem.
    fractional = {name for name in arrays if name not in per_unit and name not in integral}
    valid = all(
        in_range(array, positive=name in positive, fractional=name in fractional)
        for name, array in arrays.items()
    ) and not any(np.greater(shaped[part], shaped[whole]).any() for part, whole in within)
    if not valid:
        checks: list[tuple[str, str, np.ndarray]] = []
        for name, array in shaped.items():
            checks.append((name, "is NaN or infinite", ~np.isfinite(array)))
            checks.append((name, "is negative", array < 0))
            too_large = "is too large (>= 2**53)" if name in per_unit else TOO_LARGE
            checks.append((name, too_large, array >= MAX_EXACT_COUNT))
            if name in positive:
                checks.append((name, "is zero", array == 0))
            if name in fractional:
                checks.append((name, _TOO_SMALL, (array > 0) & (array < SMALLEST_COUNT)))
        for part, whole in within:
            checks.append((part, f"exceeds {whole}", shaped[part] > shaped[whole]))
        for name, problem, mask in checks:
            raise_if_any(where, name, problem, mask, shaped, origin)
    if all(a.ndim == 0 for a in shaped.values()):
        return [float(a) for a in shaped.values()]
    return list(shaped.values())


def in_range(array: np.ndarray, *, positive: bool, fractional: bool = False) -> bool:
    """Whether every element is finite, >= 0 (> 0 if ``positive``) and below
    2**53, and, for ``fractional`` counts, 0 or at least SMALLEST_COUNT. A
    minimum and a maximum decide (NaN fails both comparisons); only counts
    with zeros among fractions take one more pass."""
    if array.size == 0:
        return True
    low = array.min()
    if not ((low > 0 if positive else low >= 0) and array.max() < MAX_EXACT_COUNT):
        return False
    if not fractional or low >= SMALLEST_COUNT:
        return True
    return not np.any((array > 0) & (array < SMALLEST_COUNT))




#: A number as a table cell writes it: digits, an optional fraction and
#: exponent ("1270", "-3", "0.5", "1e5"); no words ("nan", "inf").
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: Digits grouped by thousands with one separator used throughout, as
#: spreadsheets and Chinese reports write counts: "1,270", "1，270",
#: "1 270", "12'345'678". Groups after the first have exactly three digits.
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?P<sep>[,，\u00a0\u202f' _])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?")


def number_from_text(text: str) -> float | None:
    """The number a text cell holds, or None when it holds no number.

    Thousands separators are read only where they group digits by three
    ("1,270" is 1270), so that a decimal comma ("1,2") or a list ("2,164
    and 5") is refused rather than read as a different number.

    Examples
    --------
    >>> number_from_text("1,270"), number_from_text(" 35 "), number_from_text("1 270.5")
    (1270.0, 35.0, 1270.5)
    >>> number_from_text("1,2") is None, number_from_text("12,34,567") is None, number_from_text("nan") is None
    (True, True, True)
    """
    stripped = text.strip()
    if _PLAIN_NUMBER.fullmatch(stripped):
        return float(stripped)
    grouped = _GROUPED_NUMBER.fullmatch(stripped)
    if grouped:
        return float(stripped.replace(grouped["sep"], ""))
    return None
