"""Checking counts before they are divided.

:func:`validate_counts` turns whatever a caller passed (scalars, lists, numpy
arrays of any numeric dtype) into float64 arrays, or raises
:class:`~phindicators.errors.InvalidCountsError` naming the indicator, the
field, the problem and, for arrays, the offending positions. The checks are a
table: each row is a field, a test over the whole array and the message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .errors import InvalidCountsError
from .model import KINDS
from .units import UNITS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

    from .model import Indicator

__all__ = ["validate_counts"]

#: Largest count a float64 holds exactly; above it, a count would silently
#: lose its last digits.
MAX_EXACT_COUNT = 2.0**53

#: How many offending positions an error message lists.
SHOWN_POSITIONS = 5

_Test = Callable[[np.ndarray], np.ndarray]

# (problem, test giving a mask of bad elements); run in order, so that later
# tests may assume earlier ones passed (e.g. "not whole" assumes finite).
_VALUE_CHECKS: tuple[tuple[str, _Test], ...] = (
    ("is NaN or infinite", lambda x: ~np.isfinite(x)),
    ("is negative", lambda x: x < 0),
    ("is too large to count exactly (>= 2**53)", lambda x: x >= MAX_EXACT_COUNT),
)
_WHOLE_CHECK: tuple[str, _Test] = ("is not a whole number", lambda x: x != np.floor(x))
_ZERO_CHECK: tuple[str, _Test] = ("is zero", lambda x: x == 0)


def _as_float_array(indicator_id: str, field: str, values: ArrayLike) -> tuple[np.ndarray, bool]:
    """The values as float64, and whether they may hold fractions."""
    # Plain Python numbers skip numpy's array machinery: the one-area path an
    # app takes per request.
    if type(values) is int:
        return np.float64(values), False
    if type(values) is float:
        return np.float64(values), True
    array = np.asarray(values)
    if array.dtype.kind == "b":
        raise InvalidCountsError(indicator_id, field, "must be numbers, got booleans")
    if array.dtype.kind in "iu":
        return array.astype(np.float64), False
    if array.dtype.kind == "f":
        return array.astype(np.float64, copy=False), True
    try:
        # Objects (e.g. Python ints too large for int64) and numeric strings
        # are accepted only if every element converts to a real number.
        if array.dtype.kind not in "OUS":
            raise TypeError(array.dtype)
        converted = array.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InvalidCountsError(
            indicator_id,
            field,
            "must be real numbers",
            detail=f"got {_preview(array)} of dtype {array.dtype}",
        ) from None
    if array.dtype.kind == "O" and any(isinstance(v, bool | np.bool_) for v in array.flat):
        raise InvalidCountsError(indicator_id, field, "must be numbers, got booleans")
    return converted, True


def _preview(array: np.ndarray) -> str:
    flat = array.ravel()[:SHOWN_POSITIONS]
    text = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in flat)
    return text if array.ndim == 0 else f"[{text}{', ...' if array.size > SHOWN_POSITIONS else ''}]"


def _raise_if_any(
    indicator_id: str,
    field: str,
    problem: str,
    mask: np.ndarray,
    shown: dict[str, np.ndarray],
) -> None:
    if not (mask if mask.ndim == 0 else mask.any()):
        return
    if mask.ndim == 0:
        values = ", ".join(f"{name}={_plain(arr)}" for name, arr in shown.items())
        raise InvalidCountsError(indicator_id, field, problem, detail=f"got {values}")
    positions = [tuple(int(i) for i in p) for p in np.argwhere(mask)[:SHOWN_POSITIONS]]
    n_bad = int(np.count_nonzero(mask))
    listed = "; ".join(
        f"{p}: " + ", ".join(f"{name}={_plain(arr[p])}" for name, arr in shown.items())
        for p in positions
    )
    more = f"; and {n_bad - len(positions)} more" if n_bad > len(positions) else ""
    raise InvalidCountsError(
        indicator_id,
        field,
        problem,
        positions=positions,
        n_bad=n_bad,
        detail=f"at {n_bad} of {mask.size} positions: {listed}{more}",
    )


def _plain(value: np.ndarray | np.floating) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def validate_counts(
    indicator: Indicator, numerator: ArrayLike, denominator: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Validate counts for ``indicator`` and return them as float64 arrays.

    Parameters
    ----------
    indicator : Indicator
        Says which checks apply: whole counts for count terms, a positive
        denominator, numerator within denominator for proportions.
    numerator, denominator : array_like
        Scalars or arrays that broadcast together; ``denominator`` is None
        for counts.

    Returns
    -------
    numerator, denominator : ndarray
        Float64 arrays broadcast to a common shape (denominator None for
        counts).

    Raises
    ------
    InvalidCountsError
        On the first problem found, naming the field and, for arrays, the
        first offending positions and how many there are.

    Examples
    --------
    >>> from phindicators import get
    >>> validate_counts(get("maternal_systematic_management_rate"), [5, 9], [4, 10])
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidCountsError: maternal_systematic_management_rate: \
numerator exceeds the denominator (at 1 of 2 positions: (0,): numerator=5, denominator=4)
    """
    spec = KINDS[indicator.kind]
    iid = indicator.id
    if spec.has_denominator and denominator is None:
        raise InvalidCountsError(iid, "denominator", "is required for a " + indicator.kind)
    if not spec.has_denominator and denominator is not None:
        raise InvalidCountsError(iid, "denominator", f"must be None for a {indicator.kind}")

    fields = {"numerator": (numerator, indicator.numerator.unit)}
    if denominator is not None and indicator.denominator is not None:
        fields["denominator"] = (denominator, indicator.denominator.unit)
    converted = {name: _as_float_array(iid, name, values) for name, (values, _) in fields.items()}
    arrays = {name: array for name, (array, _) in converted.items()}
    try:
        if any(array.ndim for array in arrays.values()):
            arrays = dict(zip(arrays, np.broadcast_arrays(*arrays.values()), strict=True))
    except ValueError:
        shapes = ", ".join(f"{name} {arr.shape}" for name, arr in arrays.items())
        raise InvalidCountsError(
            iid, "numerator/denominator", f"shapes do not broadcast together: {shapes}"
        ) from None

    for name, (_, unit) in fields.items():
        array = arrays[name]
        checks = list(_VALUE_CHECKS)
        if UNITS[unit].whole and converted[name][1]:
            checks.append(_WHOLE_CHECK)
        if name == "denominator":
            checks.append(_ZERO_CHECK)
        for problem, test in checks:
            _raise_if_any(iid, name, problem, test(array), {name: array})

    if spec.numerator_within_denominator:
        num, den = arrays["numerator"], arrays["denominator"]
        _raise_if_any(iid, "numerator", "exceeds the denominator", num > den, arrays)

    return arrays["numerator"], arrays.get("denominator")
