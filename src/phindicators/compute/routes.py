"""From counts to a Result: Python numbers, blocks of arrays, dask arrays; one tail attaches the intervals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _threads
from .._threads import for_blocks, one_thread
from ..errors import InvalidCountsError, InvalidOptionError
from ..model import Indicator
from ..periods import Period
from ..stats import (
    Interval,
    Kernel,
    confidence_levels,
    interval_bounds,
    interval_kernel,
    is_lazy,
    map_lazily,
)
from ..validation import (
    aligned,
    block_check,
    check_denominator,
    counts_array,
    scalar_counts,
    validate_counts,
    whole_counts,
)
from .life_tables import life_table_result
from .methods import _NUMBERS, _NUMBERS_OR_NONE, Values, _interval_method, value_scale
from .result import Result

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

    from ..stats import Confidence


def compute(
    indicator: Indicator,
    numerator: ArrayLike,
    denominator: ArrayLike | None = None,
    *,
    confidence: Confidence | None = 0.95,
    method: str | None = None,
    period: Period | str | None = None,
    ages: ArrayLike | None = None,
) -> Result:
    """Compute ``indicator`` from counts, for scalars or arrays of any shape.

    Parameters
    ----------
    indicator : Indicator
        The definition to apply.
    numerator : array_like
        Numerator counts (or amounts, for terms in money units), in the unit
        of the indicator's numerator term. A dask array (of either count)
        makes every array of the result a dask array: nothing is read or
        checked until it is computed, then chunk by chunk, and bad counts
        raise :class:`~phindicators.errors.InvalidCountsError` at that
        point, with positions in the whole array.
    denominator : array_like, optional
        Denominator counts; broadcast against ``numerator``. Omit for
        indicators of kind ``count``.
    confidence : float, sequence of float or None
        Level(s) of the confidence interval(s) to attach: 0.95 by default,
        ``(0.95, 0.998)`` for both; a fraction in [0.9, 1) or a percentage in
        [90, 100). None attaches none.
    method : str, optional
        Override the kind's interval method: ``"clopper_pearson"`` for a
        proportion, ``"exact"`` or ``"byar"`` for counts of events (see
        :data:`KIND_INTERVALS`).
    period : Period or str, optional
        The period the counts cover; a string is read by
        :meth:`phindicators.pooling.Period.parse` ("2023年1-10月").
    ages : sequence of int, optional
        Only for indicators that ``needs`` a life table (life expectancy,
        45q15, premature NCD mortality): the first age of each age band,
        from 0, the last band open. ``numerator`` is then the deaths and
        ``denominator`` the populations by age band along the last axis (a
        1-D array for one area, ``(areas, bands)`` for several), and the
        value comes from the abridged life table (Chiang II): see
        :func:`phindicators.stats.life_expectancy` and
        :func:`phindicators.stats.probability_of_dying`. Two counts, or no
        ``ages``, are refused for these indicators.

    Returns
    -------
    Result
        Scalars in, scalar value out; arrays in, an array of the broadcast
        shape out.

    Raises
    ------
    InvalidCountsError
        Negative, NaN or infinite counts, fractions where counts are whole, a
        zero denominator, a numerator above the denominator of a proportion.
        For arrays the message lists the first offending positions.
    InvalidOptionError
        A confidence level out of range, or a method the kind does not take.
    DefinitionError
        A life-table indicator given two counts instead of counts by age
        band with ``ages``, or one that counts cannot give (five-year
        relative survival needs follow-up data).

    Examples
    --------
    >>> import numpy as np
    >>> from phindicators import get
    >>> imr = get("infant_mortality_rate")
    >>> compute(imr, 23, 2158).format()
    '10.66‰'
    >>> compute(imr, np.array([23, 5]), np.array([2158, 1000])).format()
    array(['10.66‰', '5.00‰'], dtype='<U6')
    >>> result = compute(imr, 5, 1000)
    >>> round(result.lower, 2), round(result.upper, 2), result.method
    (1.62, 11.67, 'exact')

    Life expectancy at birth from deaths and populations by age band (PHE's
    test table, bands 0, 1-4, 5-9, ..., 85-89, 90+):

    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304,
    ...           536, 872, 1390, 1605, 1936, 1937]
    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435,
    ...         55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306,
    ...         11936, 11936]
    >>> le = compute(get("life_expectancy"), deaths, pops, ages=[0, 1, *range(5, 95, 5)])
    >>> le.format("en"), round(le.lower, 2), round(le.upper, 2), le.method
    ('80.17', 79.88, 80.46, 'chiang_silcocks')
    """
    levels = () if confidence is None else confidence_levels(confidence)
    if "life_table" in indicator.needs:
        # Dividing the two terms of a life-table indicator would print a
        # plausible but wrong number: every route (Indicator.compute,
        # compute, scorecards, frames) comes through here, and only counts
        # by age band with their ages reach the life table.
        return life_table_result(
            indicator,
            numerator,
            denominator,
            ages=ages,
            levels=levels,
            method=method,
            period=None if period is None else _period(period),
        )
    if ages is not None:
        raise InvalidOptionError(f"{indicator.id}: ages= is for life-table indicators, which this is not")
    chosen = _interval_method(indicator, method)
    if period is not None:
        period = _period(period)
    if chosen is None:
        levels = ()
    scale = value_scale(indicator)
    if type(numerator) in _NUMBERS and type(denominator) in _NUMBERS_OR_NONE:
        return _compute_numbers(indicator, numerator, denominator, levels, chosen, scale, period)  # type: ignore[arg-type]
    # Before any route: the block path would otherwise take counts without
    # their denominator for a count (2 managed mothers as 200 %).
    check_denominator(indicator, denominator)
    # pandas objects pair by label, never by position.
    denominator = aligned(indicator.id, numerator, denominator)  # type: ignore[assignment]
    labels = _series_index(numerator, denominator)
    if labels is not None:
        # A Series' labels travel with the result (for to_frame); the
        # counts, paired by label above, go on as arrays.
        plain = compute(
            indicator,
            np.asarray(numerator),
            None if denominator is None else np.asarray(denominator),
            confidence=confidence,
            method=method,
            period=period,
        )
        return attrs.evolve(plain, index=labels)
    if is_lazy(numerator) or is_lazy(denominator):
        return _compute_lazy(indicator, numerator, denominator, levels, chosen, period)
    num_array = counts_array(indicator.id, "numerator", numerator)
    den_array = None if denominator is None else counts_array(indicator.id, "denominator", denominator)
    if _by_blocks(num_array, den_array):
        whole = whole_counts(indicator, num_array.dtype, None if den_array is None else den_array.dtype)
        kernels = [(level, interval_kernel(chosen, level, scale, whole=whole)) for level in levels]  # type: ignore[arg-type]
        num_f, den_f, value_array, limits = _compute_blocks(
            indicator, numerator, denominator, num_array, den_array, kernels, scale
        )
        intervals = tuple(
            Interval(value_array, lower, upper, level, chosen)  # type: ignore[arg-type]
            for (level, _), (lower, upper) in zip(kernels, limits, strict=True)
        )
        return Result(indicator, num_f, den_f, value_array, indicator.unit, intervals, period)
    num_checked, den_checked = validate_counts(indicator, numerator, denominator)
    value_array = num_checked * scale if den_checked is None else np.divide(num_checked, den_checked)
    if den_checked is not None and scale != 1.0:
        value_array *= scale
    num: Values = num_checked
    den: Values | None = den_checked
    value: Values = value_array
    if value_array.ndim == 0:  # 0-d arrays in, Python floats out
        num, value = float(num_checked), float(value_array)
        den = None if den_checked is None else float(den_checked)
    else:  # as the block path does: a read-only float64 copy of the counts
        num = _owned(num_checked, num_array)
        if den_checked is not None and den_array is not None:
            den = _owned(den_checked, den_array)
    return _with_intervals(indicator, num, den, value, levels, chosen, scale, period)


def _series_index(*counts: object) -> Any:
    """The index of the first pandas (or modin) Series among the counts, or None."""
    for values in counts:
        if type(values).__module__.partition(".")[0] in ("pandas", "modin") and hasattr(values, "index"):
            return values.index
    return None


def _compute_numbers(
    indicator: Indicator,
    numerator: float,
    denominator: float | None,
    levels: tuple[float, ...],
    method: str | None,
    scale: float,
    period: Period | None,
) -> Result:
    """:func:`compute` for Python numbers (an app's request): plain floats,
    no numpy."""
    num, den = scalar_counts(indicator, numerator, denominator)
    value = num * scale if den is None else num / den * scale
    return _with_intervals(indicator, num, den, value, levels, method, scale, period)


def _with_intervals(
    indicator: Indicator,
    num: Values,
    den: Values | None,
    value: Values,
    levels: tuple[float, ...],
    method: str | None,
    scale: float,
    period: Period | None,
) -> Result:
    """The result of checked counts and their value, with an interval per
    level. The limits are those of the count scaled like the value:
    numerator and denominator stay in their terms' units, the scale
    converts."""
    exposure = 1.0 if den is None else den
    intervals = tuple(
        Interval(value, *_bounds(method, num, exposure, level, scale))  # type: ignore[arg-type]
        for level in levels
    )
    return Result(indicator, num, den, value, indicator.unit, intervals, period)


def _bounds(
    method: str, num: Values, den: Values, level: float, scale: float
) -> tuple[Values, Values, float, str]:
    lower, upper, used = interval_bounds(method, num, den, level, scale)
    return lower, upper, level, used


def _by_blocks(num: np.ndarray, den: np.ndarray | None) -> bool:
    """Whether the counts take the block path: numeric arrays of one shape
    (anything else is broadcast, converted or reported by
    :func:`~phindicators.validation.validate_counts` first)."""
    return num.ndim > 0 and _plain(num) and (den is None or (den.shape == num.shape and _plain(den)))


def _plain(array: np.ndarray) -> bool:
    """Integers, or floats float64 holds exactly: extended-precision floats
    are checked as given by validate_counts, before any rounding."""
    return array.dtype.kind in "iu" or (array.dtype.kind == "f" and array.dtype.itemsize <= 8)


def _owned(checked: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Checked counts as a result keeps them: read-only, and never memory
    the caller can still write to (a buffer reused for the next chunk would
    otherwise change the counts under the value, and every interval, pool
    or document recomputed from them)."""
    if np.may_share_memory(checked, given):
        checked = np.broadcast_to(np.array(given, dtype=np.float64), checked.shape)
    return _read_only(checked)


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _float_block(source: np.ndarray, target: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Rows ``start:stop`` of ``source`` copied as float64 into ``target``
    (the result's own copy of the counts), while they are in the cache."""
    block = target[start:stop]
    np.copyto(block, source[start:stop], casting="unsafe")
    return block


#: numpy asks the system for huge pages (2 MiB) for arrays from 4 MiB on.
_HUGE_PAGE_ARRAY = 4 << 20
_HUGE_PAGE = 2 << 20


def _output_arrays(count: int, size: int) -> list[np.ndarray]:
    """``count`` new float64 arrays of ``size`` elements, laid out for few
    page faults: fresh memory costs one fault per 4 KiB page, or per 2 MiB
    page where the system grants huge pages, which it does only for whole,
    aligned 2 MiB spans. At a few hundred thousand rows the faults would
    otherwise take most of the time.

    Arrays too small for huge pages on their own are rows of one allocation
    (a result kept only for its values then keeps its limits' memory too,
    a few MiB at most); every allocation of huge-page size starts on a
    2 MiB boundary.
    """
    if size * 8 >= _HUGE_PAGE_ARRAY:
        return [_huge_page_aligned(1, size)[0] for _ in range(count)]
    return list(_huge_page_aligned(count, size))


def _huge_page_aligned(count: int, size: int) -> np.ndarray:
    """An uninitialised float64 array of shape ``(count, size)``, starting on
    a 2 MiB boundary if it is large enough for numpy to ask for huge pages."""
    nbytes = count * size * 8
    if nbytes < _HUGE_PAGE_ARRAY - _HUGE_PAGE:
        return np.empty((count, size))
    raw = np.empty(nbytes + _HUGE_PAGE, dtype=np.uint8)  # >= 4 MiB: numpy advises huge pages
    start = -raw.ctypes.data % _HUGE_PAGE
    return raw[start : start + nbytes].view(np.float64).reshape(count, size)


def _compute_blocks(
    indicator: Indicator,
    numerator: ArrayLike,
    denominator: ArrayLike | None,
    num: np.ndarray,
    den: np.ndarray | None,
    kernels: list[tuple[float, Kernel]],
    scale: float,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """The counts, values and limits of numeric arrays of one shape,
    computed :data:`phindicators._threads.BLOCK_ROWS` rows at a time.

    Each block is converted, checked by
    :func:`~phindicators.validation.block_check`, divided and given its
    limits in one go; if a block fails the check, ``validate_counts`` runs
    on the whole input and raises the error a caller would get without
    blocks (the first problem of the whole array, with its positions).
    """
    shape, size = num.shape, num.size
    num_in = num.reshape(-1)
    den_in = None if den is None else den.reshape(-1)
    # The result keeps a float64 copy of the counts, made block by block
    # while they are in the cache (see _owned for why never the caller's).
    block_rows = _threads.BLOCK_ROWS
    n_counts = 1 if den is None else 2
    num_f, *outputs = _output_arrays(n_counts + 1 + 2 * len(kernels), size)
    den_f = None if den is None else outputs.pop(0)
    value, *bounds = outputs
    limits = list(zip(bounds[::2], bounds[1::2], strict=True))
    check = block_check(indicator, num.dtype, None if den is None else den.dtype)

    def run(starts: Iterable[int]) -> None:
        # over: 1 / 5e-324 overflows before the check below names the count.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for start in starts:
                stop = min(start + block_rows, size)
                rows = slice(start, stop)
                x = _float_block(num_in, num_f, start, stop)
                n = None if den_in is None or den_f is None else _float_block(den_in, den_f, start, stop)
                ratio = value[rows]
                if n is None:
                    np.copyto(ratio, x)
                else:
                    np.divide(x, n, out=ratio)
                if not check(x, n, ratio):
                    # Raises for a real problem; names the first one of the whole input.
                    validate_counts(indicator, numerator, denominator)
                for (_, kernel), (lower, upper) in zip(kernels, limits, strict=True):
                    kernel(x, 1.0 if n is None else n, lower[rows], upper[rows], ratio)
                if scale != 1.0:
                    ratio *= scale

    for_blocks(size, block_rows, run)
    return (
        _read_only(num_f.reshape(shape)),
        None if den_f is None else _read_only(den_f.reshape(shape)),
        value.reshape(shape),
        [(lower.reshape(shape), upper.reshape(shape)) for lower, upper in limits],
    )


def _compute_lazy(
    indicator: Indicator,
    numerator: ArrayLike,
    denominator: ArrayLike | None,
    levels: tuple[float, ...],
    method: str | None,
    period: Period | None,
) -> Result:
    """:func:`compute` on dask arrays, chunk by chunk and lazily.

    Every field of the result (counts, value, limits) is a dask array made
    from one task per chunk that validates and computes the chunk with the
    numpy path; a bad chunk raises :class:`InvalidCountsError` when the
    result is computed, with positions in the whole array.
    """
    inputs = (numerator,) if denominator is None else (numerator, denominator)

    def chunk(*blocks: np.ndarray, origin: tuple[int, ...]) -> list[np.ndarray]:
        num, den = blocks[0], blocks[1] if len(blocks) > 1 else None
        try:
            with one_thread():
                result = compute(indicator, num, den, confidence=levels or None, method=method)
        except InvalidCountsError:
            validate_counts(indicator, num, den, origin=origin)
            raise
        fields = [result.numerator, result.value]
        if result.denominator is not None:
            fields.append(result.denominator)
        fields += [limit for interval in result.intervals for limit in (interval.lower, interval.upper)]
        return [np.broadcast_to(field, num.shape) for field in fields]

    # The numerator, the value, the denominator if any, two limits per level.
    lazy = list(
        map_lazily(
            chunk, inputs, 1 + len(inputs) + 2 * len(levels), where=indicator.id, names=("numerator", "denominator")
        )
    )
    num_l, value_l = lazy[0], lazy[1]
    den_l = lazy[2] if denominator is not None else None
    limits = lazy[1 + len(inputs) :]
    intervals = tuple(
        Interval(value_l, limits[2 * i], limits[2 * i + 1], level, method)  # type: ignore[arg-type]
        for i, level in enumerate(levels)
    )
    return Result(indicator, num_l, den_l, value_l, indicator.unit, intervals, period)


def _period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    if isinstance(period, str):
        return Period.parse(period)
    raise InvalidOptionError(f"period must be a Period or a string such as '2023年1-10月', got {period!r}")
