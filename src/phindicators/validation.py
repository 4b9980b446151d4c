"""Checking counts before they are divided.

One job, checking counts against a definition, in one module past 600
lines: the scalar, array and block paths must name the same problem the
same way, so they share its table and stay together.

:func:`validate_counts` turns whatever a caller passed (scalars, lists, numpy
arrays of any numeric dtype) into float64 arrays, or raises
:class:`~phindicators.errors.InvalidCountsError` naming the indicator, the
field, the problem and, for arrays, the offending positions. The checks are a
table: each row is a field, a test over the whole array and the message.

Valid counts are the common case, so they are recognised cheaply before the
table runs: Python numbers are checked with plain arithmetic, arrays with a
few reductions (a minimum and a maximum catch NaN, infinities, negatives and
counts too large at once), and blocks of a long array by :func:`block_check`,
which :func:`phindicators.compute` runs block by block. Only when one of these
finds a problem does the table run, to name it.

Whatever numpy would convert wrongly is refused before any of this by
:func:`counts_array`: nested sequences of unequal lengths, and masked arrays,
whose mask ``np.asarray`` would silently drop. Numbers that ``float()`` would
round (``Fraction(1, 3)``, ``Decimal("0.1")`` in an object array, or alone)
are refused too, so that an amount of money keeps its exact value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._counts import MAX_EXACT_COUNT, SMALLEST_COUNT, TOO_LARGE, in_range, raise_if_any
from ._text import number, shown
from .errors import SHOWN_POSITIONS, InvalidCountsError
from .model import KINDS
from .units import UNITS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

    from .model import Indicator

__all__ = [
    "BlockCheck",
    "aligned",
    "block_check",
    "check_denominator",
    "counts_array",
    "scalar_counts",
    "validate_counts",
    "whole_counts",
]


_Test = Callable[[np.ndarray], np.ndarray]

# (problem, test giving a mask of bad elements); run in order, so that later
# tests may assume earlier ones passed (e.g. "not whole" assumes finite).
_VALUE_CHECKS: tuple[tuple[str, _Test], ...] = (
    ("is NaN or infinite", lambda x: ~np.isfinite(x)),
    ("is negative", lambda x: x < 0),
    (TOO_LARGE, lambda x: x >= MAX_EXACT_COUNT),
)
_WHOLE_CHECK: tuple[str, _Test] = ("is not a whole number", lambda x: x != np.floor(x))
_ZERO_CHECK: tuple[str, _Test] = ("is zero", lambda x: x == 0)
# A denominator of money (fractions allowed) below a millionth is a unit
# slip, and dividing by it could overflow to an infinite value.
_TINY_CHECK: tuple[str, _Test] = (
    f"is between 0 and {SMALLEST_COUNT:g} (too small an amount to divide by)",
    lambda x: (x > 0) & (x < SMALLEST_COUNT),
)
_WITHIN = "exceeds the denominator"
_INEXACT = "is not representable exactly as a float"
_ROUNDING_ADVICE = "convert it to float yourself if rounding is intended"

#: The types of Python number checked without numpy (bool is not one).
_NUMBERS = (int, float)
_NUMBERS_OR_NONE = (int, float, type(None))

#: The same problems for one Python number, in the same order.
_SCALAR_CHECKS: tuple[tuple[str, Callable[[float], bool]], ...] = (
    ("is NaN or infinite", lambda x: not math.isfinite(x)),
    ("is negative", lambda x: x < 0),
    (TOO_LARGE, lambda x: x >= MAX_EXACT_COUNT),
)


def counts_array(indicator_id: str, field: str, values: ArrayLike) -> np.ndarray:
    """``np.asarray(values)``, refusing what it would convert wrongly.

    Raises
    ------
    InvalidCountsError
        For a masked array, or a list or tuple holding one (``np.asarray``
        would drop the mask and count the masked elements), and for nested
        sequences of unequal lengths.

    Examples
    --------
    >>> counts_array("infant_mortality_rate", "numerator", [[1, 2], [3]])
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidCountsError: infant_mortality_rate: numerator is not a rectangular array \
(numpy: setting an array element with a sequence. ...)
    """
    masked = "is a masked array" if isinstance(values, np.ma.MaskedArray) else None
    if masked is None and isinstance(values, list | tuple) and _holds_masked(values):
        masked = "holds a masked array"
    if masked is not None:
        raise InvalidCountsError(
            indicator_id,
            field,
            masked,
            detail="its masked elements would be counted: fill them with .filled() or drop them with "
            ".compressed() first",
        )
    try:
        return np.asarray(values)
    except ValueError as error:  # nested sequences of unequal lengths
        raise InvalidCountsError(indicator_id, field, "is not a rectangular array", detail=f"numpy: {error}") from None


_NESTED = (list, tuple, np.ma.MaskedArray)


def _holds_masked(values: list[object] | tuple[object, ...]) -> bool:
    """Whether a masked array is nested anywhere in lists and tuples (one
    type test per element: numbers pass straight through)."""
    for value in values:
        if isinstance(value, _NESTED) and (isinstance(value, np.ma.MaskedArray) or _holds_masked(value)):
            return True
    return False


def _as_float_array(indicator_id: str, field: str, values: ArrayLike, *, whole: bool) -> tuple[np.ndarray, bool]:
    """The values as float64, and whether they may hold fractions.

    ``whole`` says whether the field must hold whole numbers: those of its
    elements that convert to a fraction are left for the table to name."""
    # Plain Python numbers skip numpy's array machinery.
    if type(values) is int:
        try:
            return np.float64(values), False
        except OverflowError:  # beyond float64: its first problem is its size
            problem = "is negative" if values < 0 else TOO_LARGE
            raise InvalidCountsError(indicator_id, field, problem, detail=f"got {field}={shown(values)}") from None
    if type(values) is float:
        return np.float64(values), True
    array = counts_array(indicator_id, field, values)
    if array.dtype.kind == "b":
        raise InvalidCountsError(indicator_id, field, "must be numbers, got booleans")
    if array.dtype.kind in "iu":
        return array.astype(np.float64), False
    if array.dtype.kind == "f":
        if array.dtype.itemsize > 8:
            # Extended precision (float128): checked as given, before the
            # conversion to float64 could round 5 + 2**-60 to a whole 5.
            _check_extended(indicator_id, field, array, whole=whole)
        return array.astype(np.float64, copy=False), True
    if array.dtype.kind in "US":
        # Text is never a count, whatever float() makes of it ("1_000", "٥").
        raise _text_error(indicator_id, field, array)
    if array.dtype.kind == "O":
        _refuse_text_and_missing(indicator_id, field, array)
    try:
        # Objects (e.g. Python ints too large for int64) are accepted only if
        # every element converts to a real number.
        if array.dtype.kind != "O":
            raise TypeError(array.dtype)
        converted = array.astype(np.float64)
    except OverflowError:  # a Python int or Fraction beyond float64's range
        problem = "is negative" if any(_negative(v) for v in array.flat) else TOO_LARGE
        raise InvalidCountsError(indicator_id, field, problem, detail=f"got {_preview(array)}") from None
    except (TypeError, ValueError):
        raise InvalidCountsError(
            indicator_id,
            field,
            "must be real numbers",
            detail=f"got {_preview(array)} of dtype {array.dtype}",
        ) from None
    if array.dtype.kind == "O":
        if any(isinstance(v, bool | np.bool_) for v in array.flat):
            raise InvalidCountsError(indicator_id, field, "must be numbers, got booleans")
        _refuse_inexact(indicator_id, field, array, converted, whole=whole)
    return converted, True


def _text_error(indicator_id: str, field: str, array: np.ndarray) -> InvalidCountsError:
    """The one error for counts given as text: a text array, a text element
    of an object array (pandas ``string`` and categorical columns arrive so)."""
    flat = array.ravel()
    if flat.size == 0:  # an empty text array: still text, with nothing to quote
        got = f"an empty array of text (dtype {array.dtype})"
    else:
        first = next((v for v in flat if isinstance(v, str | bytes | np.str_ | np.bytes_)), flat[0])
        got = f"text {shown(first.item() if isinstance(first, np.generic) else first)}"
    return InvalidCountsError(
        indicator_id,
        field,
        f"must be numbers, got {got}",
        detail="convert text columns with pandas.to_numeric or float() first",
    )


def _refuse_text_and_missing(indicator_id: str, field: str, array: np.ndarray) -> None:
    """Refuse text and missing values (None, pandas.NA) in an object array by
    name, before ``float()`` would read "5" as 5 or turn None into a NaN the
    caller never gave."""
    flat = array.ravel()
    kinds = [type(v) for v in flat]
    if any(issubclass(k, str | bytes) for k in kinds):
        raise _text_error(indicator_id, field, array)
    missing = np.fromiter(
        (v is None or type(v).__name__ == "NAType" for v in flat), dtype=bool, count=flat.size
    )
    if missing.any():
        name = "None" if any(v is None for v in flat) else "NA"
        _raise_listed(indicator_id, field, f"is missing ({name})", missing.reshape(array.shape), array)


def _raise_listed(
    indicator_id: str,
    field: str,
    problem: str,
    mask: np.ndarray,
    array: np.ndarray,
    advice: str = "",
    origin: tuple[int, ...] = (),
) -> None:
    """Raise ``problem`` at the positions of ``mask``, showing each element
    as the caller gave it (``shown``, never a float64 rounding of it), in
    the form of :meth:`InvalidCountsError.at`."""
    tail = f"; {advice}" if advice else ""
    if array.ndim == 0:
        raise InvalidCountsError(indicator_id, field, problem, detail=f"got {field}={_as_given(array[()])}{tail}")
    local = [tuple(int(i) for i in p) for p in np.argwhere(mask)[:SHOWN_POSITIONS]]
    positions = [tuple(i + o for i, o in zip(p, origin, strict=True)) for p in local] if origin else local
    n_bad = int(np.count_nonzero(mask))
    listed = "; ".join(f"{p}: {field}={_as_given(array[q])}" for p, q in zip(positions, local, strict=True))
    more = f"; and {n_bad - len(positions)} more" if n_bad > len(positions) else ""
    where = f"positions of the chunk at {origin}" if origin else "positions"
    raise InvalidCountsError(
        indicator_id,
        field,
        problem,
        positions=positions,
        n_bad=n_bad,
        detail=f"at {n_bad} of {array.size} {where}: {listed}{more}{tail}",
    )


def _as_given(value: object) -> str:
    """An element as the caller gave it: an extended-precision float by all
    its digits (``repr`` of a float128 would say ``np.longdouble(...)``)."""
    if isinstance(value, np.floating) and value.dtype.itemsize > 8:
        return str(value)
    if isinstance(value, np.generic) and value.dtype.itemsize <= 8:
        value = value.item()
    if type(value) is float:  # as the numeric paths show it: 5, not 5.0
        return number(value)
    return shown(value)


def _check_extended(indicator_id: str, field: str, array: np.ndarray, *, whole: bool) -> None:
    """The table's checks on an extended-precision array as given, then
    refusal of what float64 would round."""
    with np.errstate(invalid="ignore"):
        checks: list[tuple[str, np.ndarray]] = [
            ("is NaN or infinite", ~np.isfinite(array)),
            ("is negative", array < 0),
            (TOO_LARGE, array >= MAX_EXACT_COUNT),
        ]
        if whole:
            checks.append((_WHOLE_CHECK[0], array != np.floor(array)))
        checks.append((_INEXACT, array != array.astype(np.float64).astype(array.dtype)))
    for problem, mask in checks:
        if mask.any():
            _raise_listed(indicator_id, field, problem, mask, array, _ROUNDING_ADVICE if problem == _INEXACT else "")


def _refuse_inexact(indicator_id: str, field: str, array: np.ndarray, converted: np.ndarray, *, whole: bool) -> None:
    """Refuse elements of an object array that ``float()`` would round
    (``Fraction(1, 3)``, ``Decimal("0.1")``): an amount of money would
    silently lose its exact value.

    Only elements the table would accept are compared, so that NaN,
    negatives, counts too large and (for ``whole`` fields) fractions keep
    their own messages; Python ints and floats are skipped, since below
    2**53 they convert exactly.
    """
    flat, flat_converted = array.ravel(), converted.ravel()
    # One cheap pass over the elements' types; most object arrays hold only ints.
    candidates = np.fromiter((type(v) not in _NUMBERS for v in flat), dtype=bool, count=flat.size)
    if not candidates.any():
        return
    with np.errstate(invalid="ignore"):
        candidates &= np.isfinite(flat_converted) & (flat_converted >= 0) & (flat_converted < MAX_EXACT_COUNT)
        if whole:
            candidates &= flat_converted == np.floor(flat_converted)
    inexact = np.zeros(flat.size, dtype=bool)
    for i in np.flatnonzero(candidates):
        # == between a float and a Fraction, a Decimal or a numpy scalar is exact.
        inexact[i] = flat[i] != float(flat_converted[i])
    if not inexact.any():
        return
    _raise_listed(indicator_id, field, _INEXACT, inexact.reshape(array.shape), array, _ROUNDING_ADVICE)


def _negative(value: object) -> bool:
    """Whether an element of an object array is a negative number (only
    asked once conversion failed, so any element may be anything)."""
    try:
        return bool(value < 0)  # type: ignore[operator]
    except TypeError:
        return False


def _preview(array: np.ndarray) -> str:
    flat = array.ravel()[:SHOWN_POSITIONS]
    text = ", ".join(shown(v.item() if hasattr(v, "item") else v) for v in flat)
    return text if array.ndim == 0 else f"[{text}{', ...' if array.size > SHOWN_POSITIONS else ''}]"


def _scalar_problem(indicator_id: str, field: str, value: float, unit: str, *, positive: bool) -> None:
    """Raise the first problem of one Python number, as the table would."""
    problems: list[tuple[str, bool]]
    if isinstance(value, int):
        # Python ints are exact: compare them as ints (they may exceed float64).
        problems = [("is negative", value < 0), (TOO_LARGE, value >= 2**53)]
        given = shown(value)
    else:
        problems = [(problem, test(value)) for problem, test in _SCALAR_CHECKS]
        if UNITS[unit].whole:
            problems.append((_WHOLE_CHECK[0], not value.is_integer()))
        given = number(value)
    if positive:
        problems.append((_ZERO_CHECK[0], value == 0))
        if not UNITS[unit].whole:
            problems.append((_TINY_CHECK[0], 0 < value < SMALLEST_COUNT))
    for problem, bad in problems:
        if bad:
            raise InvalidCountsError(indicator_id, field, problem, detail=f"got {field}={given}")


def scalar_counts(
    indicator: Indicator, numerator: float, denominator: float | None
) -> tuple[float, float | None]:
    """Validate Python numbers for ``indicator`` and return them as floats.

    The per-request path of an app: the checks and messages of
    :func:`validate_counts`, in plain Python arithmetic.

    Raises
    ------
    InvalidCountsError
        As :func:`validate_counts` would.

    Examples
    --------
    >>> from phindicators import get
    >>> scalar_counts(get("infant_mortality_rate"), 23, 2158)
    (23.0, 2158.0)
    >>> scalar_counts(get("infant_mortality_rate"), 23, 0)
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidCountsError: infant_mortality_rate: denominator is zero (got denominator=0)
    """
    spec = KINDS[indicator.kind]
    check_denominator(indicator, denominator)
    _scalar_problem(indicator.id, "numerator", numerator, indicator.numerator.unit, positive=False)
    num = float(numerator)
    if denominator is None or indicator.denominator is None:
        return num, None
    _scalar_problem(indicator.id, "denominator", denominator, indicator.denominator.unit, positive=True)
    den = float(denominator)
    if spec.numerator_within_denominator and numerator > denominator:
        raise InvalidCountsError(
            indicator.id, "numerator", _WITHIN, detail=f"got numerator={number(num)}, denominator={number(den)}"
        )
    return num, den


def aligned(indicator_id: str, numerator: object, denominator: object) -> object:
    """``denominator`` in the order of ``numerator``'s labels, when both are
    pandas objects; numpy would pair them by position (甲县's numerator with
    乙县's denominator).

    Indexes equal: unchanged. The same unique labels in another order: the
    denominator reordered. Anything else is refused.

    Raises
    ------
    InvalidCountsError
        If the indexes hold different labels, or repeat one.

    Examples
    --------
    >>> import pytest; pd = pytest.importorskip("pandas")
    >>> num = pd.Series([5, 9], index=["a", "b"])
    >>> aligned("x", num, pd.Series([20, 10], index=["b", "a"])).tolist()
    [10, 20]
    """
    num_index, den_index = _pandas_index(numerator), _pandas_index(denominator)
    if num_index is None or den_index is None or num_index.equals(den_index):
        return denominator
    if num_index.is_unique and den_index.is_unique and len(num_index) == len(den_index):
        missing = num_index.difference(den_index)
        if len(missing) == 0:
            return denominator.reindex(num_index)  # type: ignore[attr-defined]
    only_num = [shown(v) for v in num_index.difference(den_index)[:SHOWN_POSITIONS]]
    only_den = [shown(v) for v in den_index.difference(num_index)[:SHOWN_POSITIONS]]
    detail = (
        f"labels only in the numerator: {', '.join(only_num) or 'none'}; "
        f"only in the denominator: {', '.join(only_den) or 'none'}"
    )
    if not (num_index.is_unique and den_index.is_unique):
        detail = "an index repeats a label, so rows cannot be paired by label"
    raise InvalidCountsError(
        indicator_id,
        "numerator/denominator",
        "are pandas objects with different indexes",
        detail=f"{detail}; align them (e.g. with .reindex) or pass .to_numpy() to pair by position",
    )


def _pandas_index(values: object) -> Any:
    """The index of a pandas Series or DataFrame (recognised without
    importing pandas), else None."""
    if type(values).__module__.partition(".")[0] != "pandas":
        return None
    return getattr(values, "index", None)


def check_denominator(indicator: Indicator, denominator: object) -> None:
    """Check that a denominator is given exactly when ``indicator``'s kind has one.

    Raises
    ------
    InvalidCountsError
        A missing denominator (counts alone would be taken for a count:
        2 managed mothers as 200 %), or one given for a count.

    Examples
    --------
    >>> from phindicators import get
    >>> check_denominator(get("maternal_systematic_management_rate"), None)
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidCountsError: maternal_systematic_management_rate: denominator is required ...
    """
    has_denominator = KINDS[indicator.kind].has_denominator
    if has_denominator and denominator is None:
        raise InvalidCountsError(indicator.id, "denominator", "is required for a " + indicator.kind)
    if not has_denominator and denominator is not None:
        raise InvalidCountsError(indicator.id, "denominator", f"must be None for a {indicator.kind}")


def _whole_values(unit: str, dtype: np.dtype | None) -> bool:
    """Whether checked values of ``unit`` from ``dtype`` are whole numbers."""
    return dtype is not None and (dtype.kind in "iu" or UNITS[unit].whole)


def whole_counts(indicator: Indicator, numerator_dtype: np.dtype, denominator_dtype: np.dtype | None = None) -> bool:
    """Whether counts of these dtypes that pass validation are whole numbers:
    integer arrays, or float arrays of counts in a whole unit (people,
    events), which validation requires to be whole.

    Examples
    --------
    >>> from phindicators import get
    >>> mmr = get("maternal_systematic_management_rate")
    >>> whole_counts(mmr, np.dtype(np.int64), np.dtype(np.float64))
    True
    """
    numerator = _whole_values(indicator.numerator.unit, numerator_dtype)
    if indicator.denominator is None:
        return numerator
    return numerator and _whole_values(indicator.denominator.unit, denominator_dtype)


def _whole(array: np.ndarray) -> bool:
    return bool(np.array_equal(np.floor(array), array))


def validate_counts(
    indicator: Indicator,
    numerator: ArrayLike,
    denominator: ArrayLike | None,
    *,
    origin: tuple[int, ...] = (),
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
    origin : tuple of int, optional
        For a chunk of a larger array (a dask block), the position of the
        chunk's first element: errors then report positions in the whole
        array.

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
    if type(numerator) in _NUMBERS and type(denominator) in _NUMBERS_OR_NONE:
        plain_num, plain_den = scalar_counts(indicator, numerator, denominator)  # type: ignore[arg-type]
        # np.float64, as _as_float_array gives for one number: a 0-d float64.
        return np.float64(plain_num), None if plain_den is None else np.float64(plain_den)  # type: ignore[return-value]
    spec = KINDS[indicator.kind]
    iid = indicator.id
    check_denominator(indicator, denominator)

    fields = {"numerator": (numerator, indicator.numerator.unit)}
    if denominator is not None and indicator.denominator is not None:
        fields["denominator"] = (denominator, indicator.denominator.unit)
    converted = {
        name: _as_float_array(iid, name, values, whole=UNITS[unit].whole) for name, (values, unit) in fields.items()
    }
    arrays = {name: array for name, (array, _) in converted.items()}
    # Which fields must hold whole numbers and are not whole by their dtype.
    whole = {name: UNITS[unit].whole and converted[name][1] for name, (_, unit) in fields.items()}
    try:
        if any(array.ndim for array in arrays.values()):
            arrays = dict(zip(arrays, np.broadcast_arrays(*arrays.values()), strict=True))
    except ValueError:
        shapes = ", ".join(f"{name} {arr.shape}" for name, arr in arrays.items())
        raise InvalidCountsError(
            iid, "numerator/denominator", f"shapes do not broadcast together: {shapes}"
        ) from None

    within = spec.numerator_within_denominator
    tiny = {name: name == "denominator" and not UNITS[unit].whole for name, (_, unit) in fields.items()}
    valid = all(
        in_range(array, positive=name == "denominator", fractional=tiny[name])
        and (not whole[name] or _whole(array))
        for name, array in arrays.items()
    ) and not (within and np.greater(arrays["numerator"], arrays["denominator"]).any())
    if valid:
        return arrays["numerator"], arrays.get("denominator")

    for name, array in arrays.items():
        checks = list(_VALUE_CHECKS)
        if whole[name]:
            checks.append(_WHOLE_CHECK)
        if name == "denominator":
            checks.append(_ZERO_CHECK)
        if tiny[name]:
            checks.append(_TINY_CHECK)
        # Elements of an object array are shown as given: 2**53 + 1, not the
        # float it converts to.
        given = _given_objects(fields[name][0], array.shape)
        for problem, test in checks:
            mask = test(array)
            if given is not None and np.any(mask):
                _raise_listed(iid, name, problem, mask, given, origin=origin)
            raise_if_any(iid, name, problem, mask, {name: array}, origin)
    if within:
        num, den = arrays["numerator"], arrays["denominator"]
        raise_if_any(iid, "numerator", _WITHIN, num > den, arrays, origin)
    return arrays["numerator"], arrays.get("denominator")


def _given_objects(values: ArrayLike, shape: tuple[int, ...]) -> np.ndarray | None:
    """An object array of counts as given, broadcast to ``shape`` (only
    asked once a problem was found); None for any other input."""
    if type(values) in _NUMBERS:
        return None
    try:
        array = np.asarray(values)
        return np.broadcast_to(array, shape) if array.dtype.kind == "O" else None
    except ValueError:
        return None


#: ``check(numerator, denominator, ratio)`` on float64 blocks: True when the
#: block passes every check of :func:`validate_counts`.
BlockCheck = Callable[[np.ndarray, "np.ndarray | None", "np.ndarray | None"], bool]


def block_check(
    indicator: Indicator, numerator_dtype: np.dtype, denominator_dtype: np.dtype | None = None
) -> BlockCheck:
    """A fast test of one block of counts, for a loop over a long array.

    ``check(numerator, denominator, ratio)`` takes float64 blocks converted
    from arrays of the given dtypes (integer or float), and ``ratio`` =
    numerator / denominator for kinds with a denominator (computed with
    invalid-value warnings off). It is True exactly when
    :func:`validate_counts` would accept the block; on False, call
    :func:`validate_counts` on the whole input to name the problem.

    A handful of reductions replace the table's passes: the minimum and
    maximum of each field catch NaN, infinities, negatives, zeros and counts
    too large; for proportions of whole counts below 2**53, numerator <=
    denominator exactly when the ratio is <= 1 (which also bounds the
    numerator, so its maximum is not taken).

    Examples
    --------
    >>> from phindicators import get
    >>> check = block_check(get("maternal_systematic_management_rate"), np.dtype(int), np.dtype(int))
    >>> num, den = np.array([5.0, 9.0]), np.array([4.0, 10.0])
    >>> check(num, den, num / den)
    False
    >>> check(den - 1, den, (den - 1) / den)
    True
    """
    spec = KINDS[indicator.kind]
    numerator_whole = UNITS[indicator.numerator.unit].whole and numerator_dtype.kind == "f"
    denominator_whole = (
        indicator.denominator is not None
        and denominator_dtype is not None
        and UNITS[indicator.denominator.unit].whole
        and denominator_dtype.kind == "f"
    )
    # Money denominators may hold fractions, but none below SMALLEST_COUNT.
    denominator_tiny = indicator.denominator is not None and not UNITS[indicator.denominator.unit].whole
    within = spec.numerator_within_denominator
    # Whole counts below 2**53 differ by at least 1, so n > d >= 1 gives
    # n / d >= 1 + 1/d > 1 + 2**-53, which rounds above 1: the ratio decides.
    ratio_decides = within and whole_counts(indicator, numerator_dtype, denominator_dtype)

    def check(numerator: np.ndarray, denominator: np.ndarray | None, ratio: np.ndarray | None) -> bool:
        if ratio_decides and denominator is not None and numerator.size:
            # A minimum >= 0 rules out NaN and negatives; the ratio <= 1 test
            # below bounds the numerator by the checked denominator, so the
            # numerator's maximum is not needed.
            if not numerator.min() >= 0 or (numerator_whole and not _whole(numerator)):
                return False
        elif not in_range(numerator, positive=False) or (numerator_whole and not _whole(numerator)):
            return False
        if denominator is None:
            return True
        if not in_range(denominator, positive=True, fractional=denominator_tiny) or (
            denominator_whole and not _whole(denominator)
        ):
            return False
        if not within or numerator.size == 0:
            return True
        if ratio_decides:
            return bool(ratio.max() <= 1.0)  # type: ignore[union-attr]
        return not np.greater(numerator, denominator).any()

    return check
