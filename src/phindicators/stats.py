"""Confidence intervals and significance tests as pure numpy functions.

The methods are those of public-health observatories (the PHE/OHID
"Fingertips" technical guide and the R package PHEindicatormethods):

* proportions: Wilson's score interval without continuity correction
  (:func:`wilson_interval`), or the exact Clopper–Pearson interval
  (:func:`clopper_pearson_interval`);
* counts, rates and ratios of counts: the exact Poisson interval from
  chi-squared quantiles below 10 events and Byar's approximation from 10
  (:func:`poisson_interval`), either selectable on its own;
* directly standardised rates: Dobson's method (:func:`dsr`,
  :func:`dobson_interval`), with a user's standard population or a bundled
  one (:func:`standard_population`);
* tests: two proportions (:func:`two_proportion_test`), two rates
  (:func:`rate_ratio_test`), the chi-squared test for trend
  (:func:`trend_test`) and funnel-plot control limits (:func:`funnel_limits`).

Nothing here knows about indicators: the functions take counts and return
self-describing results (:class:`Interval`: value, lower, upper, confidence,
method). Scalars in give Python floats out; arrays in give arrays of the
broadcast shape out. Arrays are processed in cache-sized blocks so that the
dozen arithmetic steps of an interval cost little more than one pass over
memory. The interval functions also take dask arrays: their intervals are
then lazy dask arrays, computed chunk by chunk (:func:`map_lazily`). scipy is
imported only by the methods that need it (Clopper–Pearson, exact Poisson
limits for 10 events or more, p-values of arrays), never at import time.

Examples
--------
>>> ci = wilson_interval(81, 263)
>>> round(ci.lower, 4), round(ci.upper, 4), ci.method
(0.2553, 0.3662, 'wilson')
>>> low, high = poisson_interval(5, confidence=(0.95, 0.998))
>>> round(low.upper, 3), round(high.upper, 3)
(11.668, 16.455)
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ._data import data_root
from ._threads import scratch
from .errors import InvalidCountsError, InvalidOptionError
from .validation import MAX_EXACT_COUNT, raise_if_any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

__all__ = [
    "BLOCK_ROWS",
    "DSR_MIN_COUNT",
    "INTERVAL_METHODS",
    "LARGE_EXPECTED",
    "MAX_MULTIPLIER",
    "SMALLEST_COUNT",
    "Interval",
    "Significance",
    "StandardPopulation",
    "StandardisedRate",
    "Trend",
    "byar_interval",
    "clopper_pearson_interval",
    "confidence_levels",
    "dobson_interval",
    "dsr",
    "exact_poisson_interval",
    "funnel_limits",
    "interval_bounds",
    "interval_kernel",
    "is_lazy",
    "map_lazily",
    "poisson_interval",
    "proportion_interval",
    "rate_ratio_test",
    "standard_population",
    "standard_populations",
    "trend_test",
    "two_proportion_test",
    "wilson_interval",
    "z_value",
]

Values = float | np.ndarray
Confidence = float | Sequence[float]
#: ``kernel(numerator, denominator, lower, upper, ratio=None)`` writes the
#: limits of one block of checked float64 counts into ``lower`` and
#: ``upper``; ``ratio`` is numerator / denominator if the caller has it.
Kernel = Callable[..., None]

#: What each interval method is, by the name results carry in ``method``.
INTERVAL_METHODS: dict[str, str] = {
    "wilson": "Wilson score interval without continuity correction",
    "clopper_pearson": "Clopper–Pearson exact binomial interval (beta quantiles)",
    "exact": "exact Poisson interval (chi-squared quantiles)",
    "byar": "Byar's approximation to the exact Poisson interval",
    "auto": "exact Poisson below 10 events, Byar's approximation from 10",
    "dobson": "Dobson's method for weighted sums of Poisson counts",
}

#: Methods for a numerator that is a subset of its denominator.
PROPORTION_METHODS = ("wilson", "clopper_pearson")
#: Methods for counts of events (rates, ratios, counts).
POISSON_METHODS = ("auto", "exact", "byar")

#: Below this many events, "auto" uses exact Poisson limits; the Fingertips
#: technical guide finds Byar's method within 0.2 % of exact from 10 events.
EXACT_BELOW = 10

#: A directly standardised rate is not published from fewer events than
#: this (PHE practice: DSRs are unreliable below 10 events).
DSR_MIN_COUNT = 10

#: Elements per block of the vectorised paths (here, in
#: :func:`phindicators.compute` and :meth:`phindicators.Target.is_met`): a
#: block's temporaries stay in the CPU cache, so that the dozen arithmetic
#: steps of an interval cost little more than one pass over memory and no
#: temporary grows with the array (measured fastest around 2**16 on 10
#: million rows). Results do not depend on it: the tests run it at 3.
BLOCK_ROWS = 1 << 16

#: A count or denominator that is not zero is at least this. A millionth of
#: an event or of a person is already no count; below it a count is a unit
#: slip, and dividing by it would overflow.
SMALLEST_COUNT = 1e-6

#: The largest ``multiplier`` (scale of values and limits). Multipliers are
#: powers of ten such as 100 or 100 000; bounding them as counts are bounded
#: (below 2**53, ``phindicators.validation.MAX_EXACT_COUNT``) keeps every
#: value and limit of counts in range a finite float.
MAX_MULTIPLIER = MAX_EXACT_COUNT

_LEVEL_RANGES = "a fraction in [0.9, 1) or a percentage in [90, 100)"


def _shown(value: object) -> str:
    """``repr(value)`` for an error message, shortened, even for an int too
    long for Python to print (more than 4 300 digits)."""
    if isinstance(value, int) and value.bit_length() > 1000:  # beyond float range
        return f"an integer of about 10**{int(value.bit_length() * math.log10(2))}"
    try:
        text = repr(value)
    except ValueError:  # a container holding such an int
        return f"a {type(value).__name__} too large to print"
    return text if len(text) <= 80 else text[:77] + "..."


# ---------------------------------------------------------------- confidence


@functools.lru_cache(maxsize=64)
def _level(confidence: float) -> float:
    if 0.9 <= confidence < 1:
        return float(confidence)
    if 90 <= confidence < 100:
        # Exact decimal scaling: 99.8 % is 0.998, not 0.9979999999999999.
        return float(Decimal(repr(float(confidence))) / 100)
    raise InvalidOptionError(f"confidence must be {_LEVEL_RANGES}, got {confidence!r}")


def _one_level(confidence: object) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real):
        raise InvalidOptionError(
            f"confidence must be {_LEVEL_RANGES} (or a sequence of them), got {_shown(confidence)}"
        )
    try:
        value = float(confidence)
    except OverflowError:  # an int or Fraction beyond float range
        raise InvalidOptionError(f"confidence must be {_LEVEL_RANGES}, got {_shown(confidence)}") from None
    if math.isnan(value):
        raise InvalidOptionError(f"confidence must be {_LEVEL_RANGES}, got nan")
    return _level(value)


def confidence_levels(confidence: Confidence) -> tuple[float, ...]:
    """The confidence level(s) asked for, as fractions.

    Parameters
    ----------
    confidence : float or sequence of float
        A fraction in [0.9, 1) or a percentage in [90, 100); a sequence asks
        for several levels at once, e.g. ``(0.95, 0.998)``.

    Returns
    -------
    tuple of float
        One fraction per level, in the order given.

    Raises
    ------
    InvalidOptionError
        A level outside the ranges, a repeated level, an empty sequence or
        something that is not a number.

    Examples
    --------
    >>> confidence_levels(95)
    (0.95,)
    >>> confidence_levels((0.95, 99.8))
    (0.95, 0.998)
    >>> confidence_levels(0.5)
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: confidence must be a fraction in [0.9, 1) \
or a percentage in [90, 100), got 0.5
    """
    if type(confidence) is float or type(confidence) is tuple:
        try:
            return _cached_levels(confidence)
        except TypeError:  # a tuple holding something unhashable
            pass
    return _levels(confidence)


@functools.lru_cache(maxsize=64)
def _cached_levels(confidence: float | tuple[float, ...]) -> tuple[float, ...]:
    # The per-call path of an app computing one value: skip the checks.
    return _levels(confidence)


def _levels(confidence: Confidence) -> tuple[float, ...]:
    if isinstance(confidence, numbers.Real) and not isinstance(confidence, bool):
        return (_one_level(confidence),)
    if isinstance(confidence, str | bytes) or not isinstance(confidence, Sequence | np.ndarray):
        raise InvalidOptionError(
            f"confidence must be {_LEVEL_RANGES} (or a sequence of them), got {_shown(confidence)}"
        )
    levels = tuple(_one_level(c) for c in confidence)
    if not levels:
        raise InvalidOptionError("confidence must name at least one level, got an empty sequence")
    if len(set(levels)) != len(levels):
        raise InvalidOptionError(f"confidence levels must differ, got {list(confidence)}")
    return levels


def _single(confidence: Confidence) -> bool:
    return isinstance(confidence, numbers.Real)


@functools.lru_cache(maxsize=64)
def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile of a confidence level.

    Cached per level: the interval functions call it once per level, never
    per element.

    Examples
    --------
    >>> round(z_value(0.95), 6), round(z_value(0.998), 6)
    (1.959964, 3.090232)
    """
    from statistics import NormalDist  # imported on first use: import stays cheap

    return NormalDist().inv_cdf(0.5 + _one_level(confidence) / 2)


def _multiplier(multiplier: object) -> float:
    """The ``multiplier`` option as a float, checked once per call: a finite
    number > 0 and at most :data:`MAX_MULTIPLIER` (NaN would give NaN limits,
    a negative one limits the wrong way round)."""
    if not isinstance(multiplier, numbers.Real) or isinstance(multiplier, bool):
        raise InvalidOptionError(f"multiplier must be a number > 0, got {_shown(multiplier)}")
    try:
        value = float(multiplier)
    except OverflowError:
        value = math.inf
    if not 0 < value <= MAX_MULTIPLIER:  # NaN fails too
        raise InvalidOptionError(
            f"multiplier must be a finite number > 0 and at most 2**53, got {_shown(multiplier)}"
        )
    return value


def _choice(option: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidOptionError(
            f"{option} must be one of {', '.join(map(repr, allowed))}, got {value!r}"
        )
    return value


def _axis(where: str, axis: object, ndim: int) -> int:
    """``axis`` of an array of ``ndim`` dimensions, made non-negative.

    Raises
    ------
    InvalidOptionError
        An axis that is not an integer, or not in ``[-ndim, ndim)``: numpy
        would raise its own AxisError, or an IndexError from a shape lookup.

    Examples
    --------
    >>> _axis("trend_test", -1, 2)
    1
    >>> _axis("trend_test", 2, 2)
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: trend_test: axis 2 is out of range for an array of 2 dimensions \
(an axis must be in [-2, 2))
    """
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise InvalidOptionError(f"{where}: axis must be an integer, got {_shown(axis)}")
    if not -ndim <= axis < ndim:
        raise InvalidOptionError(
            f"{where}: axis {int(axis)} is out of range for an array of {ndim} dimension{'s' * (ndim != 1)} "
            f"(an axis must be in [{-ndim}, {ndim}))"
        )
    return int(axis) % ndim


# ------------------------------------------------------------------ results


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b, equal_nan=True))  # type: ignore[arg-type]
    both_nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
    return bool(a == b) or both_nan


class _ValueEquality:
    """Equality field by field, arrays by value and NaN equal to NaN."""

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            _same(getattr(self, f.name), getattr(other, f.name))
            for f in attrs.fields(type(self))  # type: ignore[arg-type]
        )

    __hash__ = None  # type: ignore[assignment]  # values may be arrays


@attrs.frozen(eq=False)
class Interval(_ValueEquality):
    """A value with its confidence interval, saying how it was computed.

    Attributes
    ----------
    value, lower, upper : float or ndarray
        The estimate and its limits, in the units asked for (scaled by the
        ``multiplier`` of the function that made it).
    confidence : float
        The level, as a fraction (0.95).
    method : str
        A key of :data:`INTERVAL_METHODS`. For a scalar computed with
        ``"auto"`` it names the method actually used (``"exact"`` or
        ``"byar"``); for arrays it stays ``"auto"``.

    Examples
    --------
    >>> ci = Interval(0.5, 0.4, 0.6, 0.95, "wilson")
    >>> ci.scaled(100).upper
    60.0
    """

    value: Values
    lower: Values
    upper: Values
    confidence: float
    method: str

    def scaled(self, factor: float) -> Interval:
        """The same interval with value and limits multiplied by ``factor``."""
        return attrs.evolve(
            self, value=self.value * factor, lower=self.lower * factor, upper=self.upper * factor
        )


@attrs.frozen(eq=False)
class StandardisedRate(Interval):
    """A directly standardised rate with its Dobson interval.

    Attributes
    ----------
    total_count : float or ndarray
        Events summed over the strata.
    suppressed : bool or ndarray of bool
        True where the total count is below :data:`DSR_MIN_COUNT`; value and
        limits are NaN there.
    note : str
        Why values were suppressed ("" when none were).

    Examples
    --------
    >>> rate = dsr([0, 3], [1000, 1000], [1, 1])
    >>> rate.suppressed, rate.note
    (True, 'total count below 10: not published')
    """

    total_count: Values = 0.0
    suppressed: bool | np.ndarray = False
    note: str = ""


@attrs.frozen(eq=False)
class Significance(_ValueEquality):
    """The outcome of a two-sided test of no difference.

    Attributes
    ----------
    statistic : float or ndarray
        The standard normal test statistic, signed (positive when the first
        group is higher).
    p_value : float or ndarray
        Two-sided p-value.
    method : str
        The test's name.

    Examples
    --------
    >>> test = two_proportion_test(50, 100, 30, 100)
    >>> round(test.statistic, 4), test.significant(0.95)
    (2.8868, True)
    """

    statistic: Values
    p_value: Values
    method: str

    def significant(self, confidence: float = 0.95) -> bool | np.ndarray:
        """Whether the difference is significant at ``confidence``."""
        return _abs_above(self.statistic, z_value(confidence))


@attrs.frozen(eq=False)
class Trend(Significance):
    """A chi-squared test for trend over ordered periods.

    Attributes
    ----------
    slope : float or ndarray
        Change of the value (as a fraction, or events per unit of exposure)
        per unit of time, from the weighted least-squares line.

    Examples
    --------
    >>> trend = trend_test([10, 12, 14, 16, 18], [100] * 5)
    >>> round(trend.slope, 3), trend.significant(0.95)
    (0.02, False)
    """

    slope: Values = 0.0


def _abs_above(statistic: Values, limit: float) -> bool | np.ndarray:
    if np.ndim(statistic) == 0:
        return abs(float(statistic)) > limit
    return np.abs(statistic) > limit


def _p_two_sided(statistic: Values) -> Values:
    if np.ndim(statistic) == 0:
        return math.erfc(abs(float(statistic)) / math.sqrt(2))
    from scipy import special  # type: ignore[import-untyped]

    return 2 * special.ndtr(-np.abs(statistic))


# ------------------------------------------------------------------- counts


_TOO_LARGE = "is too large to count exactly (>= 2**53)"
_TOO_SMALL = f"is between 0 and {SMALLEST_COUNT:g} (too small a fraction to be a count)"


def _counts(
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
        _in_range(array, positive=name in positive, fractional=name in fractional)
        for name, array in arrays.items()
    ) and not any(np.greater(shaped[part], shaped[whole]).any() for part, whole in within)
    if not valid:
        checks: list[tuple[str, str, np.ndarray]] = []
        for name, array in shaped.items():
            checks.append((name, "is NaN or infinite", ~np.isfinite(array)))
            checks.append((name, "is negative", array < 0))
            too_large = "is too large (>= 2**53)" if name in per_unit else _TOO_LARGE
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


def _in_range(array: np.ndarray, *, positive: bool, fractional: bool) -> bool:
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


def _blockwise(
    kernel: Callable[..., None], inputs: Sequence[np.ndarray], n_out: int
) -> tuple[np.ndarray, ...]:
    """Run ``kernel(*in_blocks, *out_blocks)`` over cache-sized blocks.

    Inputs are broadcast together and cast to float64 block by block; the
    outputs are allocated in the broadcast shape.
    """
    operands = [*inputs, *([None] * n_out)]
    flags = [["readonly"]] * len(inputs) + [["writeonly", "allocate"]] * n_out
    iterator = np.nditer(  # type: ignore[call-overload]
        operands,
        flags=["external_loop", "buffered", "zerosize_ok"],
        op_flags=flags,
        op_dtypes=[np.float64] * len(operands),
        casting="same_kind",
        buffersize=BLOCK_ROWS,
    )
    with iterator, np.errstate(divide="ignore", invalid="ignore"):
        for blocks in iterator:
            kernel(*blocks)
        return tuple(iterator.operands[len(inputs) :])


# -------------------------------------------------------------- lazy arrays


def is_lazy(value: object) -> bool:
    """Whether ``value`` is a dask array, recognised without importing dask.

    Examples
    --------
    >>> is_lazy(np.ones(3))
    False
    """
    return hasattr(value, "__dask_graph__") and hasattr(value, "map_blocks")


def map_lazily(
    function: Callable[..., Sequence[np.ndarray]],
    arrays: Sequence[Any],
    n_out: int,
) -> tuple[Any, ...]:
    """Apply ``function`` to matching chunks of dask arrays, lazily.

    The arrays (dask arrays, or numpy arrays and numbers mixed with them)
    are broadcast together and cut into the chunks of the most finely
    chunked one; ``function(*blocks, origin=...)`` gets numpy blocks and the
    position of their first element in the whole array, and returns
    ``n_out`` float64 arrays of the blocks' shape. Nothing is computed here:
    the result is ``n_out`` dask arrays sharing one task per chunk, so that
    computing them together (``dask.compute(a, b)``) runs each chunk once.

    dask is imported only here, i.e. only by callers that already hold dask
    arrays.

    Examples
    --------
    >>> import pytest; da = pytest.importorskip("dask.array")  # dask is optional
    >>> total, = map_lazily(lambda a, b, origin: [a + b], [da.ones(4, chunks=2), 1.0], 1)
    >>> total.compute().tolist()
    [2.0, 2.0, 2.0, 2.0]
    """
    import dask.array as da  # type: ignore[import-untyped]

    operands = da.broadcast_arrays(*(da.asarray(a) for a in arrays))
    chunks = max(operands, key=lambda a: a.npartitions).chunks
    operands = [a.rechunk(chunks) for a in operands]

    def stacked(*blocks: np.ndarray, block_info: dict[Any, Any] | None = None) -> np.ndarray:
        origin = tuple(start for start, _ in block_info[0]["array-location"])  # type: ignore[index]
        return np.stack(function(*blocks, origin=origin))

    ndim = len(chunks)
    together = da.map_blocks(
        stacked,
        *operands,
        new_axis=0,
        chunks=((n_out,), *chunks),
        dtype=np.float64,
        meta=np.empty((0,) * (ndim + 1)),
    )
    return tuple(together[i] for i in range(n_out))


# --------------------------------------------------------------- proportions


#: Ones to clip against: numpy's minimum of an array with an array of ones
#: runs about twice as fast as with the scalar 1.0 (no vectorised loop for
#: a broadcast scalar).
_ONES = np.ones(BLOCK_ROWS)
_ONES.flags.writeable = False


def _ones_like(block: np.ndarray) -> np.ndarray | float:
    size = block.size
    if block.ndim == 1 and size <= _ONES.size:
        return _ONES[:size]
    return 1.0


#: Whole counts with denominators up to this need no clipping of Wilson's
#: upper limit (see :func:`_wilson_kernel`): 2**40 is over a hundred times
#: the world's population.
WILSON_UNCLIPPED_MAX = float(2**40)


def _wilson_constants(z: float) -> tuple[float, float, float]:
    """z²/4, z²/2 and the sum ``(z·sqrt(z²/4)) + z²/2`` (z² to an ulp or
    two): the value the kernel's ``s + z²/2`` takes at x = n."""
    z2 = z * z
    quarter, half = z2 / 4, z2 / 2
    return quarter, half, math.sqrt(quarter) * z + half


def _wilson_kernel(z: float, scale: float, whole: bool = False) -> Kernel:
    quarter, half, z2 = _wilson_constants(z)

    def kernel(
        x: np.ndarray, n: np.ndarray, lower: np.ndarray, upper: np.ndarray, ratio: np.ndarray | None = None
    ) -> None:
        # The same steps, in the same order, as _wilson_scalar: a scalar and
        # an array element give the same bits. Each step is one pass over
        # the block, so the order minimises passes: x·p serves both the
        # square root's x(1 - p) = x - x·p and the lower limit.
        p = x / n if ratio is None else ratio
        s = scratch("wilson", upper.size).reshape(upper.shape)
        np.multiply(x, p, out=lower)
        np.subtract(x, lower, out=s)
        s += quarter
        np.sqrt(s, out=s)
        s *= z
        s += half
        np.add(x, s, out=upper)
        # The lower limit (x + z²/2 - s) / (n + z²) equals x·p / (x + z²/2 + s):
        # that form has no cancellation near x = 0, and since x <= x + z²/2 + s
        # it keeps 0 <= lower <= p exactly without clipping.
        lower /= upper
        # With z² taken as the constant s + z²/2 has at x = n, the upper
        # limit at x = n is (n + z²) / (n + z²) = 1 exactly. For whole counts
        # with n <= WILSON_UNCLIPPED_MAX, p <= upper <= 1 then holds with a
        # margin of at least 1e-13 over rounding; otherwise clip.
        np.add(n, z2, out=s)
        upper /= s
        if not (whole and (np.size(n) == 0 or np.max(n) <= WILSON_UNCLIPPED_MAX)):
            np.maximum(upper, p, out=upper)
            np.minimum(upper, _ones_like(upper), out=upper)
        if scale != 1.0:
            lower *= scale
            upper *= scale

    return kernel


def _wilson_scalar(x: float, n: float, z: float, scale: float) -> tuple[float, float]:
    quarter, half, z2 = _wilson_constants(z)
    p = x / n
    xp = x * p
    total = x + (math.sqrt((x - xp) + quarter) * z + half)
    lower = xp / total
    upper = min(max(total / (n + z2), p), 1.0)
    if scale != 1.0:
        return lower * scale, upper * scale
    return lower, upper


def _wilson_bounds(x: Any, n: Any, level: float, scale: float) -> tuple[Values, Values]:
    """Wilson limits of checked counts (floats or arrays), times ``scale``."""
    if isinstance(x, float) and isinstance(n, float):
        return _wilson_scalar(x, n, z_value(level), scale)
    return _blockwise(_wilson_kernel(z_value(level), scale), (x, n), 2)  # type: ignore[return-value]


def _clopper_pearson_bounds(x: Any, n: Any, level: float, scale: float) -> tuple[Values, Values]:
    from scipy import special  # type: ignore[import-untyped]

    alpha = 1 - level
    x, n = np.asarray(x, dtype=np.float64), np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(x > 0, special.betaincinv(x, n - x + 1, alpha / 2), 0.0)
        upper = np.where(x < n, special.betaincinv(x + 1, n - x, 1 - alpha / 2), 1.0)
    lower, upper = lower * scale, upper * scale
    if lower.ndim == 0:
        return float(lower), float(upper)
    return lower, upper


_PROPORTION_BOUNDS: dict[str, Callable[[Any, Any, float, float], tuple[Values, Values]]] = {
    "wilson": _wilson_bounds,
    "clopper_pearson": _clopper_pearson_bounds,
}


def _clopper_pearson_kernel(level: float, scale: float) -> Kernel:
    def kernel(
        x: np.ndarray, n: np.ndarray, lower: np.ndarray, upper: np.ndarray, ratio: object = None
    ) -> None:
        lower[...], upper[...] = _clopper_pearson_bounds(x, n, level, scale)

    return kernel


def _ratio(numerator: Any, denominator: Any, scale: float) -> Values:
    if np.ndim(numerator) == 0 and np.ndim(denominator) == 0:
        return numerator / denominator * scale
    value = np.divide(numerator, denominator)
    if scale != 1.0:
        value *= scale
    return value


def proportion_interval(
    x: ArrayLike,
    n: ArrayLike,
    confidence: Confidence = 0.95,
    *,
    method: str = "wilson",
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Confidence interval of a proportion ``x / n``.

    Parameters
    ----------
    x, n : array_like
        Numerators (0 <= x <= n) and denominators (n > 0); broadcast
        together.
    confidence : float or sequence of float
        0.95 by default; ``(0.95, 0.998)`` gives both intervals at once.
    method : {"wilson", "clopper_pearson"}
        Wilson's score interval (PHE's method) or the exact interval.
    multiplier : float
        Scale of value and limits: 100 for percentages. A finite number
        > 0, at most :data:`MAX_MULTIPLIER`.

    Returns
    -------
    Interval or tuple of Interval
        One :class:`Interval` for a single level, a tuple for a sequence.

    Raises
    ------
    InvalidCountsError
        Negative or non-finite counts, counts of 2**53 or more, fractions
        below :data:`SMALLEST_COUNT`, n = 0, x > n, a ragged array (for
        arrays, with the offending positions).
    InvalidOptionError
        An unknown method, a confidence level out of range or a bad
        multiplier.

    Examples
    --------
    >>> ci = proportion_interval(5, 25, method="clopper_pearson")
    >>> round(ci.lower, 3), round(ci.upper, 3)
    (0.068, 0.407)
    """
    _choice("method", method, PROPORTION_METHODS)
    levels = confidence_levels(confidence)
    multiplier = _multiplier(multiplier)
    if is_lazy(x) or is_lazy(n):
        intervals = _lazy_intervals(_proportion_intervals, (x, n), levels, method, multiplier)
    else:
        intervals = _proportion_intervals(x, n, levels, method, multiplier)
    return intervals[0] if _single(confidence) else intervals


def _proportion_intervals(
    x: ArrayLike, n: ArrayLike, levels: tuple[float, ...], method: str, multiplier: float, origin: tuple[int, ...] = ()
) -> tuple[Interval, ...]:
    bounds = _PROPORTION_BOUNDS[method]
    x, n = _counts(
        "proportion_interval", {"x": x, "n": n}, positive=("n",), within=[("x", "n")], origin=origin
    )
    value = _ratio(x, n, multiplier)
    return tuple(Interval(value, *bounds(x, n, level, multiplier), level, method) for level in levels)


def _lazy_intervals(
    intervals: Callable[..., tuple[Interval, ...]],
    counts: tuple[Any, Any],
    levels: tuple[float, ...],
    method: str,
    multiplier: float,
) -> tuple[Interval, ...]:
    """``intervals`` (a function of numpy counts) on dask arrays: lazy
    intervals computed chunk by chunk; a bad chunk raises when computed,
    with positions in the whole array."""

    def chunk(*blocks: np.ndarray, origin: tuple[int, ...]) -> list[np.ndarray]:
        found = intervals(*blocks, levels, method, multiplier, origin)
        fields = [found[0].value] + [limit for i in found for limit in (i.lower, i.upper)]
        return [np.broadcast_to(field, blocks[0].shape) for field in fields]

    value, *limits = map_lazily(chunk, counts, 1 + 2 * len(levels))
    return tuple(
        Interval(value, limits[2 * i], limits[2 * i + 1], level, method) for i, level in enumerate(levels)
    )


def wilson_interval(
    x: ArrayLike, n: ArrayLike, confidence: Confidence = 0.95, *, multiplier: float = 1.0
) -> Interval | tuple[Interval, ...]:
    """Wilson score interval of a proportion (no continuity correction).

    The limits are ``(2x + z² ± z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²))``
    (Wilson 1927; Newcombe & Altman 2000), the method of the Fingertips
    technical guide for proportions. See :func:`proportion_interval` for the
    parameters.

    Examples
    --------
    Newcombe's (1998) worked examples, 81/263 and 0/20:

    >>> ci = wilson_interval(81, 263)
    >>> round(ci.value, 4), round(ci.lower, 4), round(ci.upper, 4)
    (0.308, 0.2553, 0.3662)
    >>> round(wilson_interval(0, 20).upper, 4)
    0.1611
    >>> wilson_interval([81, 0], [263, 20], multiplier=100).upper.round(2)
    array([36.62, 16.11])
    """
    return proportion_interval(x, n, confidence, method="wilson", multiplier=multiplier)


def clopper_pearson_interval(
    x: ArrayLike, n: ArrayLike, confidence: Confidence = 0.95, *, multiplier: float = 1.0
) -> Interval | tuple[Interval, ...]:
    """Clopper–Pearson exact interval of a proportion, from beta quantiles.

    See :func:`proportion_interval` for the parameters.

    Examples
    --------
    >>> ci = clopper_pearson_interval(0, 10)
    >>> ci.lower, round(ci.upper, 4)
    (0.0, 0.3085)
    """
    return proportion_interval(x, n, confidence, method="clopper_pearson", multiplier=multiplier)


# -------------------------------------------------------------------- counts


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu), for small k."""
    term = total = 1.0
    for j in range(1, k + 1):
        term *= mu / j
        total += term
    return math.exp(-mu) * total


def _solve_decreasing(f: Callable[[float], float], target: float, low: float, high: float) -> float:
    """The root of f(x) = target for f decreasing on [low, high], by bisection
    down to adjacent floats."""
    while high - low > 0:
        mid = (low + high) / 2
        if mid in (low, high):
            break
        if f(mid) > target:
            low = mid
        else:
            high = mid
    return (low + high) / 2


@functools.lru_cache(maxsize=64)
def _exact_table(level: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Exact Poisson limits of the counts 0..EXACT_BELOW-1 at ``level``.

    Only ten counts per level ever need exact limits under "auto", so they
    are solved once, in plain Python (no scipy), and looked up after.
    """
    tail = (1 - level) / 2
    lows, highs = [0.0], []
    for count in range(EXACT_BELOW):
        # Upper limit U: P(X <= count | U) = tail.
        high = count + 1.0
        while _poisson_cdf(count, high) > tail:
            high *= 2
        highs.append(_solve_decreasing(functools.partial(_poisson_cdf, count), tail, count, high))
        if count:
            # Lower limit L: P(X >= count | L) = tail, i.e. P(X <= count-1 | L) = 1 - tail.
            lows.append(
                _solve_decreasing(
                    functools.partial(_poisson_cdf, count - 1), 1 - tail, 0.0, float(count)
                )
            )
    return tuple(lows), tuple(highs)


def _exact_scalar(count: float, level: float) -> tuple[float, float]:
    if count < EXACT_BELOW and count == int(count):
        lows, highs = _exact_table(level)
        return lows[int(count)], highs[int(count)]
    from scipy import special  # type: ignore[import-untyped]

    tail = (1 - level) / 2
    lower = float(special.gammaincinv(count, tail)) if count > 0 else 0.0
    return lower, float(special.gammaincinv(count + 1, 1 - tail))


def _byar_scalar(count: float, z: float) -> tuple[float, float]:
    # The same steps as _byar_block, so that scalars and arrays agree to the bit.
    lower = 0.0
    if count > 0:
        base = 1.0 - 1.0 / (9.0 * count) - z / (3.0 * math.sqrt(count))
        lower = max(base * (base * base) * count, 0.0)  # dips below 0 for 1-2 events at 99.8 %
    c1 = count + 1.0
    base = 1.0 - 1.0 / (9.0 * c1) + z / (3.0 * math.sqrt(c1))
    return lower, base * (base * base) * c1


def _byar_block(c: np.ndarray, z: float, lower: np.ndarray, upper: np.ndarray) -> None:
    """Byar's limits of the counts ``c`` into ``lower`` and ``upper``."""
    for out, shift, sign in ((lower, 0.0, -1.0), (upper, 1.0, 1.0)):
        cc = c + shift if shift else c
        t = np.sqrt(cc)
        t *= 3.0
        np.divide(z * sign, t, out=t)
        np.multiply(cc, 9.0, out=out)
        np.divide(1.0, out, out=out)
        np.subtract(1.0, out, out=out)
        out += t
        np.multiply(out, out, out=t)
        out *= t
        out *= cc


def _patch_exact(c: np.ndarray, level: float, lower: np.ndarray, upper: np.ndarray) -> None:
    """Overwrite the limits of counts below EXACT_BELOW with exact ones."""
    small = c < EXACT_BELOW
    if not small.any():
        return
    # Look every count up in the table (counts from EXACT_BELOW up at its
    # last entry) and keep the small ones: no gather or scatter of the
    # small counts, which would cost more than the arithmetic.
    index = np.minimum(c, EXACT_BELOW - 1).astype(np.intp)
    lows, highs = _exact_arrays(level)
    np.copyto(lower, lows.take(index), where=small)
    np.copyto(upper, highs.take(index), where=small)
    fractional = small & (index != c)
    if fractional.any():  # fractional counts fall outside the table
        lower[fractional], upper[fractional] = _exact_array(c[fractional], level)


@functools.lru_cache(maxsize=64)
def _exact_arrays(level: float) -> tuple[np.ndarray, np.ndarray]:
    lows, highs = _exact_table(level)
    return np.array(lows), np.array(highs)


def _exact_array(c: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    from scipy import special  # type: ignore[import-untyped]

    tail = (1 - level) / 2
    with np.errstate(invalid="ignore"):
        lower = np.where(c > 0, special.gammaincinv(c, tail), 0.0)
    return lower, special.gammaincinv(c + 1, 1 - tail)


def _poisson_kernel(method: str, level: float, scale: float) -> Kernel:
    z = z_value(level)

    def kernel(
        c: np.ndarray, e: np.ndarray | float, lower: np.ndarray, upper: np.ndarray, ratio: object = None
    ) -> None:
        if method == "exact":
            large = c >= EXACT_BELOW
            if large.any():
                lower[large], upper[large] = _exact_array(c[large], level)
        else:
            _byar_block(c, z, lower, upper)
            if method == "byar":
                np.fmax(lower, 0.0, out=lower)  # c = 0 gives NaN, small c a negative dip
        if method != "byar":
            _patch_exact(c, level, lower, upper)
        factor = scale / e
        lower *= factor
        upper *= factor

    return kernel


def _poisson_bounds(
    count: Any, exposure: Any, level: float, scale: float, method: str
) -> tuple[Values, Values, str]:
    """Poisson limits of checked counts divided by exposure, times ``scale``,
    and the method actually used."""
    if isinstance(count, float) and isinstance(exposure, float):
        used = method
        if method == "auto":
            used = "exact" if count < EXACT_BELOW else "byar"
        if used == "exact":
            lower, upper = _exact_scalar(count, level)
        else:
            lower, upper = _byar_scalar(count, z_value(level))
        factor = scale / exposure
        return lower * factor, upper * factor, used
    lows, highs = _blockwise(_poisson_kernel(method, level, scale), (count, exposure), 2)
    return lows, highs, method


def interval_bounds(
    method: str, numerator: Any, denominator: Any, level: float, multiplier: float = 1.0
) -> tuple[Values, Values, str]:
    """Limits of ``numerator / denominator × multiplier`` by any method, unchecked.

    The fast path for callers that have already validated the counts (as
    :func:`phindicators.compute` does): no checks, no value, one level.

    Parameters
    ----------
    method : str
        A key of :data:`INTERVAL_METHODS` other than ``"dobson"``:
        proportions take ``"wilson"`` or ``"clopper_pearson"``, counts
        ``"auto"``, ``"exact"`` or ``"byar"`` (``denominator`` is then the
        exposure).
    numerator, denominator : float or ndarray
        Valid counts: floats, or float64 arrays of one shape.
    level : float
        A confidence level as a fraction (see :func:`confidence_levels`).
    multiplier : float
        Scale of the limits.

    Returns
    -------
    lower, upper : float or ndarray
    method : str
        The method used (``"auto"`` resolved to ``"exact"`` or ``"byar"``
        for scalars).

    Examples
    --------
    >>> lower, upper, used = interval_bounds("auto", 23.0, 2158.0, 0.95, 1000.0)
    >>> round(lower, 2), round(upper, 2), used
    (6.76, 15.99, 'byar')
    """
    if method in _PROPORTION_BOUNDS:
        return (*_PROPORTION_BOUNDS[method](numerator, denominator, level, multiplier), method)
    if method in POISSON_METHODS:
        return _poisson_bounds(numerator, denominator, level, multiplier, method)
    raise InvalidOptionError(
        f"method must be one of {', '.join(map(repr, (*PROPORTION_METHODS, *POISSON_METHODS)))}, "
        f"got {method!r}"
    )


#: Block kernels by method: (level, multiplier, whole counts) -> kernel.
_KERNELS: dict[str, Callable[[float, float, bool], Kernel]] = {
    "wilson": lambda level, scale, whole: _wilson_kernel(z_value(level), scale, whole),
    "clopper_pearson": lambda level, scale, whole: _clopper_pearson_kernel(level, scale),
    **{
        method: lambda level, scale, whole, method=method: _poisson_kernel(method, level, scale)
        for method in POISSON_METHODS
    },
}


def interval_kernel(method: str, level: float, multiplier: float = 1.0, *, whole: bool = False) -> Kernel:
    """The block kernel of an interval method, for callers that run their own
    loop over blocks of checked counts (as :func:`phindicators.compute` does).

    ``kernel(numerator, denominator, lower, upper, ratio=None)`` writes the
    limits of ``numerator / denominator × multiplier`` for one block of
    float64 counts into ``lower`` and ``upper``; ``ratio``, if given, is
    ``numerator / denominator`` already computed (Wilson's method uses it).
    The results are those of :func:`interval_bounds`, whatever the blocks.
    ``whole=True`` promises that every count is a whole number, which
    spares Wilson's method a clipping step.

    Examples
    --------
    >>> kernel = interval_kernel("wilson", 0.95, 100.0)
    >>> lower, upper = np.empty(2), np.empty(2)
    >>> kernel(np.array([81.0, 0.0]), np.array([263.0, 20.0]), lower, upper)
    >>> lower.round(2).tolist(), upper.round(2).tolist()
    ([25.53, 0.0], [36.62, 16.11])
    """
    if method not in _KERNELS:
        raise InvalidOptionError(
            f"method must be one of {', '.join(map(repr, _KERNELS))}, got {method!r}"
        )
    return _KERNELS[method](level, multiplier, whole)

def poisson_interval(
    count: ArrayLike,
    exposure: ArrayLike = 1.0,
    confidence: Confidence = 0.95,
    *,
    method: str = "auto",
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Confidence interval of a count of events, or of a rate count / exposure.

    Parameters
    ----------
    count : array_like
        Observed events (>= 0).
    exposure : array_like
        The denominator (population, live births, person-years; > 0);
        1 for a bare count. Treated as fixed.
    confidence : float or sequence of float
        0.95 by default; ``(0.95, 0.998)`` gives both intervals.
    method : {"auto", "exact", "byar"}
        ``"exact"``: limits from chi-squared quantiles,
        ``χ²(α/2; 2x)/2`` and ``χ²(1−α/2; 2x+2)/2``. ``"byar"``: Byar's
        approximation, ``x(1 − 1/(9x) − z/(3√x))³`` and
        ``(x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³`` (lower limit clipped at 0).
        ``"auto"`` (PHE's rule): exact below 10 events, Byar's from 10.
    multiplier : float
        Scale of value and limits: 100 000 for a rate per 10万. A finite
        number > 0, at most :data:`MAX_MULTIPLIER`.

    Returns
    -------
    Interval or tuple of Interval

    Raises
    ------
    InvalidCountsError
        Negative or non-finite counts or exposures, values of 2**53 or
        more, fractions below :data:`SMALLEST_COUNT`, a zero exposure.
    InvalidOptionError
        An unknown method, a confidence level out of range or a bad
        multiplier.

    Examples
    --------
    Exact limits of 10 events (Garwood's table: 4.795 to 18.390), and a
    maternal mortality ratio of 2 deaths in 2158 live births per 10万:

    >>> ci = poisson_interval(10, method="exact")
    >>> round(ci.lower, 3), round(ci.upper, 3)
    (4.795, 18.39)
    >>> ci = poisson_interval(2, 2158, multiplier=100_000)
    >>> round(ci.value, 2), round(ci.lower, 2), round(ci.upper, 2), ci.method
    (92.68, 11.22, 334.79, 'exact')
    """
    method = _choice("method", method, POISSON_METHODS)
    levels = confidence_levels(confidence)
    multiplier = _multiplier(multiplier)
    if is_lazy(count) or is_lazy(exposure):
        intervals = _lazy_intervals(_poisson_intervals, (count, exposure), levels, method, multiplier)
    else:
        intervals = _poisson_intervals(count, exposure, levels, method, multiplier)
    return intervals[0] if _single(confidence) else intervals


def _poisson_intervals(
    count: ArrayLike,
    exposure: ArrayLike,
    levels: tuple[float, ...],
    method: str,
    multiplier: float,
    origin: tuple[int, ...] = (),
) -> tuple[Interval, ...]:
    count, exposure = _counts(
        "poisson_interval", {"count": count, "exposure": exposure}, positive=("exposure",), origin=origin
    )
    value = _ratio(count, exposure, multiplier)
    intervals = []
    for level in levels:
        lower, upper, used = _poisson_bounds(count, exposure, level, multiplier, method)
        intervals.append(Interval(value, lower, upper, level, used))
    return tuple(intervals)


def exact_poisson_interval(
    count: ArrayLike,
    exposure: ArrayLike = 1.0,
    confidence: Confidence = 0.95,
    *,
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Exact Poisson interval from chi-squared quantiles; see :func:`poisson_interval`.

    Examples
    --------
    >>> ci = exact_poisson_interval(0)
    >>> ci.lower, round(ci.upper, 4)
    (0.0, 3.6889)
    """
    return poisson_interval(count, exposure, confidence, method="exact", multiplier=multiplier)


def byar_interval(
    count: ArrayLike,
    exposure: ArrayLike = 1.0,
    confidence: Confidence = 0.95,
    *,
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Byar's approximation to the exact Poisson interval; see :func:`poisson_interval`.

    Examples
    --------
    >>> ci = byar_interval(100)
    >>> round(ci.lower, 2), round(ci.upper, 2)
    (81.36, 121.63)
    """
    return poisson_interval(count, exposure, confidence, method="byar", multiplier=multiplier)


# ------------------------------------------------------------- standardised


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _int_tuple(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


def _float_tuple(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


@attrs.frozen
class StandardPopulation:
    """A standard population for direct standardisation.

    Attributes
    ----------
    id : str
        Its name in :func:`standard_population`.
    name : str
        Its title.
    bands : tuple of str
        Age band labels, youngest first ("0-4", ..., "85+").
    lower_ages : tuple of int
        The first age of each band.
    weights : tuple of float
        The standard population of each band (any scale: only proportions
        matter).
    source : str
        The citation.
    note : str
        Caveats about the published figures.

    Examples
    --------
    >>> who = standard_population("who_world_2000", open_age=85)
    >>> who.bands[-2:], who.weights[-1]
    (('80-84', '85+'), 635.0)
    """

    id: str
    name: str
    bands: tuple[str, ...] = attrs.field(converter=_str_tuple)
    lower_ages: tuple[int, ...] = attrs.field(converter=_int_tuple)
    weights: tuple[float, ...] = attrs.field(converter=_float_tuple)
    source: str = ""
    note: str = ""

    def __attrs_post_init__(self) -> None:
        sizes = {len(self.bands), len(self.lower_ages), len(self.weights)}
        if len(sizes) != 1:
            raise InvalidOptionError(
                f"standard population {self.id!r}: bands, lower_ages and weights differ in length"
            )
        if any(not w >= 0 for w in self.weights) or not sum(self.weights) > 0:
            raise InvalidOptionError(
                f"standard population {self.id!r}: weights must be >= 0 and not all zero"
            )

    def collapse(self, open_age: int) -> StandardPopulation:
        """Merge the bands from ``open_age`` up into one open band ("85+").

        Raises
        ------
        InvalidOptionError
            If ``open_age`` is not an int starting a band.
        """
        # An integer, not merely equal to one: False would merge every band from 0.
        integer = isinstance(open_age, numbers.Integral) and not isinstance(open_age, bool)
        if not integer or open_age not in self.lower_ages:
            raise InvalidOptionError(
                f"open_age must be the first age of a band of {self.id!r} "
                f"({', '.join(map(str, self.lower_ages))}), got {_shown(open_age)}"
            )
        cut = self.lower_ages.index(open_age)
        return attrs.evolve(
            self,
            bands=(*self.bands[:cut], f"{open_age}+"),
            lower_ages=self.lower_ages[: cut + 1],
            weights=(*self.weights[:cut], sum(self.weights[cut:])),
        )


def _standard_files() -> dict[str, Any]:
    folder = data_root() / "standard_populations"
    return {f.name.removesuffix(".toml"): f for f in folder.iterdir() if f.name.endswith(".toml")}


def standard_populations() -> list[str]:
    """Names of the bundled standard populations.

    Examples
    --------
    >>> "who_world_2000" in standard_populations()
    True
    """
    return sorted(_standard_files())


@functools.lru_cache(maxsize=16)
def _load_standard(name: str) -> StandardPopulation:
    files = _standard_files()
    if name not in files:
        raise InvalidOptionError(
            f"no standard population {name!r}; bundled ones are: {', '.join(sorted(files))}"
        )
    import tomllib

    data = tomllib.loads(files[name].read_text(encoding="utf-8"))
    bands = data["band"]
    return StandardPopulation(
        id=name,
        name=data["name"],
        bands=[b["label"] for b in bands],
        lower_ages=[b["lower_age"] for b in bands],
        weights=[b["weight"] for b in bands],
        source=data["source"],
        note=data.get("note", ""),
    )


def standard_population(
    name: str = "who_world_2000", *, open_age: int | None = None
) -> StandardPopulation:
    """A bundled standard population, read on first use.

    Parameters
    ----------
    name : str
        One of :func:`standard_populations`: ``"who_world_2000"`` is the WHO
        World Standard Population 2000–2025 (Ahmad et al. 2001), 21 bands
        0–4 … 95–99, 100+.
    open_age : int, optional
        Merge the bands from this age up (``85`` for data ending at "85+").

    Raises
    ------
    InvalidOptionError
        An unknown name, a name that is not a string, or an ``open_age``
        that is not an int starting a band.

    Examples
    --------
    >>> who = standard_population()
    >>> len(who.bands), who.weights[:3]
    (21, (8860.0, 8690.0, 8600.0))
    >>> len(standard_population(open_age=85).bands)
    18
    >>> standard_population(["who_world_2000"])
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: the name of a standard population must be a string, \
got ['who_world_2000']
    """
    if not isinstance(name, str):
        # Checked before the cached lookup, which would fail on a list.
        raise InvalidOptionError(f"the name of a standard population must be a string, got {_shown(name)}")
    population = _load_standard(name)
    return population if open_age is None else population.collapse(open_age)


def _weights(standard: StandardPopulation | str | ArrayLike, size: int) -> np.ndarray:
    if isinstance(standard, str):
        standard = standard_population(standard)
    if isinstance(standard, StandardPopulation):
        weights = np.asarray(standard.weights)
        hint = (
            f" (collapse it, e.g. standard_population({standard.id!r}, open_age=85))"
            if len(weights) > size
            else ""
        )
    else:
        try:
            weights = np.asarray(standard, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise InvalidOptionError(
                "the standard must be a StandardPopulation, the name of one or the weight of each band, "
                f"got {_shown(standard)}"
            ) from None
        hint = ""
    if weights.shape != (size,):
        raise InvalidOptionError(
            f"the standard population has {weights.size} bands but the data has {size}{hint}"
        )
    # Below 2**53 as counts are, so that the weights' sum is finite (NaN fails).
    if not (np.all((weights >= 0) & (weights < MAX_EXACT_COUNT)) and weights.sum() > 0):
        raise InvalidOptionError("standard population weights must be >= 0, below 2**53 and not all zero")
    return weights


def dobson_interval(
    counts: ArrayLike,
    weights: ArrayLike,
    confidence: Confidence = 0.95,
    *,
    axis: int = -1,
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Dobson's interval of a weighted sum of Poisson counts, ``Σ wᵢxᵢ``.

    With ``X = Σ xᵢ`` and its Poisson limits ``(X_L, X_U)`` (exact below 10,
    Byar's from 10), the limits are ``Y + sqrt(V / X) · (X_L − X)`` and
    ``Y + sqrt(V / X) · (X_U − X)`` where ``Y = Σ wᵢxᵢ`` and
    ``V = Σ wᵢ²xᵢ`` (Dobson et al., Stat Med 1991;10:457–62). Limits are NaN
    where the total count is 0.

    Parameters
    ----------
    counts, weights : array_like
        Broadcast together; summed along ``axis``.
    confidence : float or sequence of float
    axis : int
        The axis of the strata.
    multiplier : float
        Scale of value and limits (finite, > 0, at most :data:`MAX_MULTIPLIER`).

    Raises
    ------
    InvalidCountsError
        Counts or weights that are negative, not finite or 2**53 or more;
        counts that are fractions below :data:`SMALLEST_COUNT`.
    InvalidOptionError
        A scalar count, an axis out of range, a confidence level out of range
        or a bad multiplier.

    Examples
    --------
    With equal weights the interval is the Poisson interval of the total:

    >>> ci = dobson_interval([4, 6, 10], [0.5, 0.5, 0.5])
    >>> ci.value, round(ci.lower, 4), round(ci.upper, 4)
    (10.0, 6.1057, 15.4449)
    >>> round(byar_interval(20).lower / 2, 4)
    6.1057
    """
    levels = confidence_levels(confidence)
    multiplier = _multiplier(multiplier)
    counts, weights = _counts(
        "dobson_interval", {"counts": counts, "weights": weights}, per_unit=("weights",)
    )
    counts, weights = np.asarray(counts), np.asarray(weights)
    if counts.ndim == 0:
        raise InvalidOptionError("dobson_interval needs counts along an axis, got a scalar")
    axis = _axis("dobson_interval", axis, counts.ndim)
    total = counts.sum(axis=axis)
    weighted = (weights * counts).sum(axis=axis)
    variance = (weights * weights * counts).sum(axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.sqrt(variance / total)
    value = weighted * multiplier
    intervals = []
    for level in levels:
        exposure = 1.0 if isinstance(total, float) else np.ones_like(total)
        low, high, _ = _poisson_bounds(total, exposure, level, 1.0, "auto")
        lower = (weighted + spread * (low - total)) * multiplier
        upper = (weighted + spread * (high - total)) * multiplier
        intervals.append(Interval(_plain(value), _plain(lower), _plain(upper), level, "dobson"))
    return intervals[0] if _single(confidence) else tuple(intervals)


def _plain(array: Values) -> Values:
    """A 0-d result as a Python float, anything else unchanged."""
    return float(array) if np.ndim(array) == 0 else array


def dsr(
    counts: ArrayLike,
    populations: ArrayLike,
    standard: StandardPopulation | str | ArrayLike = "who_world_2000",
    confidence: Confidence = 0.95,
    *,
    axis: int = -1,
    multiplier: float = 100_000,
) -> StandardisedRate | tuple[StandardisedRate, ...]:
    """Directly standardised rate with Dobson's confidence interval.

    ``DSR = Σ wᵢ xᵢ/nᵢ / Σ wᵢ`` for events ``xᵢ`` and populations ``nᵢ`` of
    each age band and standard weights ``wᵢ``; the interval is
    :func:`dobson_interval` of the counts with weights ``wᵢ / (nᵢ Σ w)``, as
    in PHE's ``phe_dsr``. Where the total count is below
    :data:`DSR_MIN_COUNT` the rate is not published: value and limits are
    NaN, ``suppressed`` is True and ``note`` says why.

    Parameters
    ----------
    counts, populations : array_like
        Events and populations by age band along ``axis`` (other axes are
        areas, periods...). A band may have population 0 only if it has no
        events.
    standard : StandardPopulation, str or array_like
        The standard: a :class:`StandardPopulation`, the name of a bundled
        one (default: the WHO World Standard Population 2000–2025), or the
        weights of each band.
    confidence : float or sequence of float
    axis : int
        The axis of the age bands.
    multiplier : float
        Rate per this many population (100 000 = per 10万).

    Returns
    -------
    StandardisedRate or tuple of StandardisedRate

    Raises
    ------
    InvalidCountsError
        Negative counts or populations, or events in a band of population 0
        (and as :func:`dobson_interval`).
    InvalidOptionError
        A standard with a different number of bands than the data, weights
        that are not finite numbers >= 0 below 2**53, or an axis out of range.

    Examples
    --------
    When the standard has the study population's age structure the DSR is
    the crude rate:

    >>> rate = dsr([10, 30], [2000, 3000], [2, 3])
    >>> round(rate.value, 1), rate.suppressed
    (800.0, False)
    >>> rate = dsr([[1, 2], [10, 30]], [[2000, 3000]] * 2, [2, 3])
    >>> rate.suppressed.tolist(), rate.note
    ([True, False], 'total count below 10: not published')
    """
    levels = confidence_levels(confidence)
    counts, populations = _counts("dsr", {"counts": counts, "populations": populations})
    counts, populations = np.asarray(counts), np.asarray(populations)
    if counts.ndim == 0:
        raise InvalidOptionError("dsr needs counts by age band along an axis, got a scalar")
    axis = _axis("dsr", axis, counts.ndim)
    raise_if_any(
        "dsr",
        "counts",
        "has events in a band of population 0",
        (counts > 0) & (populations == 0),
        {"counts": counts, "populations": populations},
    )
    weights = _weights(standard, counts.shape[axis])
    shape = [1] * counts.ndim
    shape[axis] = weights.size
    with np.errstate(divide="ignore", invalid="ignore"):
        per_count = np.where(
            populations > 0, weights.reshape(shape) / weights.sum() / populations, 0.0
        )
    intervals = dobson_interval(counts, per_count, levels, axis=axis, multiplier=multiplier)
    total = counts.sum(axis=axis)
    suppressed = total < DSR_MIN_COUNT
    note = "total count below 10: not published" if np.any(suppressed) else ""
    results = []
    for interval in intervals:  # type: ignore[union-attr]
        value, lower, upper = (
            np.where(suppressed, np.nan, a) for a in (interval.value, interval.lower, interval.upper)
        )
        results.append(
            StandardisedRate(
                _plain(value),
                _plain(lower),
                _plain(upper),
                interval.confidence,
                "dobson",
                _plain(total),
                bool(suppressed) if np.ndim(suppressed) == 0 else suppressed,
                note,
            )
        )
    return results[0] if _single(confidence) else tuple(results)


# ---------------------------------------------------------------------- tests


def two_proportion_test(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike) -> Significance:
    """Two-sided z test that two proportions are equal (pooled variance).

    ``z = (p₁ − p₂) / sqrt(p(1 − p)(1/n₁ + 1/n₂))`` with ``p`` the pooled
    proportion; z = 0 (p = 1) when both proportions are 0 or both are 1.

    Examples
    --------
    >>> test = two_proportion_test(2067, 2164, 1900, 2100)
    >>> round(test.statistic, 3), test.p_value < 1e-6
    (6.465, True)
    """
    x1, n1, x2, n2 = _counts(
        "two_proportion_test",
        {"x1": x1, "n1": n1, "x2": x2, "n2": n2},
        positive=("n1", "n2"),
        within=[("x1", "n1"), ("x2", "n2")],
    )
    pooled = np.add(x1, x2) / np.add(n1, n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / np.asarray(n1) + 1 / np.asarray(n2)))
    difference = np.divide(x1, n1) - np.divide(x2, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(spread > 0, difference / spread, 0.0)
    z = _plain(statistic)
    return Significance(z, _p_two_sided(z), "two-proportion z test")


def rate_ratio_test(c1: ArrayLike, e1: ArrayLike, c2: ArrayLike, e2: ArrayLike) -> Significance:
    """Two-sided score test that two Poisson rates are equal.

    ``z = (c₁ − c₂·e₁/e₂) / sqrt((c₁ + c₂)·e₁/e₂)`` (the score test of Gu, Ng,
    Tang & Schucany 2008); z = 0 (p = 1) when both counts are 0.

    Examples
    --------
    >>> test = rate_ratio_test(23, 2158, 10, 2000)
    >>> round(test.statistic, 3), round(test.p_value, 4)
    (2.046, 0.0407)
    """
    first, exposure1, second, exposure2 = (
        np.asarray(a)
        for a in _counts(
            "rate_ratio_test",
            {"c1": c1, "e1": e1, "c2": c2, "e2": e2},
            positive=("e1", "e2"),
        )
    )
    ratio = exposure1 / exposure2
    total = first + second
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(total > 0, (first - second * ratio) / np.sqrt(total * ratio), 0.0)
    z = _plain(statistic)
    return Significance(z, _p_two_sided(z), "score test of two Poisson rates")


_TREND_METHODS = {
    "proportion": "Cochran-Armitage test for trend",
    "rate": "chi-squared test for trend in rates",
}

#: The null variance of one unit of denominator, by kind of count.
_TREND_VARIANCE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "proportion": lambda p: p * (1 - p),
    "rate": lambda p: p,
}


def trend_test(
    x: ArrayLike,
    n: ArrayLike,
    *,
    kind: str = "proportion",
    times: ArrayLike | None = None,
    axis: int = -1,
) -> Trend:
    """Chi-squared test for a linear trend over ordered periods.

    For proportions this is the Cochran–Armitage test; for rates it is the
    same test on Poisson counts (the score test of a log-linear trend). Both
    equal the weighted least-squares slope of the value on time, with weights
    ``1 / var₀`` from the pooled value, divided by its standard error:
    ``slope = Σ(t − t̄)xᵢ / Σnᵢ(t − t̄)²`` and
    ``z = Σ(t − t̄)xᵢ / sqrt(v·Σnᵢ(t − t̄)²)`` with ``v = p(1 − p)`` (proportion)
    or ``p`` (rate), ``p = Σx / Σn`` and ``t̄`` the n-weighted mean time.

    Parameters
    ----------
    x, n : array_like
        Numerators and denominators, periods along ``axis`` (other axes are
        areas); at least 2 periods.
    kind : {"proportion", "rate"}
    times : array_like, optional
        The time of each period (default 0, 1, 2, ...), e.g. years with gaps.
    axis : int
        The axis of the periods.

    Returns
    -------
    Trend
        ``statistic`` is NaN where the pooled variance is 0 (no events, or
        every unit an event, or all times equal): the trend cannot be
        calculated there.

    Raises
    ------
    InvalidCountsError
        Counts as :func:`proportion_interval` (proportions) or
        :func:`poisson_interval` (rates) refuses them.
    InvalidOptionError
        Fewer than 2 periods, an axis out of range, an unknown kind, or
        times that are not one finite number per period (or so close together
        that the slope per unit of time overflows).

    Examples
    --------
    Agresti's alcohol and malformation data (scores 0, 0.5, 1.5, 4, 7), whose
    Mantel statistic ``(N−1)r²`` is published as 6.57:

    >>> x = [48, 38, 5, 1, 1]
    >>> n = [17114, 14502, 793, 127, 38]
    >>> trend = trend_test(x, n, times=[0, 0.5, 1.5, 4, 7])
    >>> round(trend.statistic ** 2 * (sum(n) - 1) / sum(n), 2)
    6.57
    """
    variance = _TREND_VARIANCE[_choice("kind", kind, tuple(_TREND_VARIANCE))]
    within = [("x", "n")] if kind == "proportion" else []
    x, n = _counts("trend_test", {"x": x, "n": n}, positive=("n",), within=within)
    x, n = np.asarray(x), np.asarray(n)
    if x.ndim == 0:
        raise InvalidOptionError("trend_test needs at least 2 periods along the axis, got a scalar")
    axis = _axis("trend_test", axis, x.ndim)
    if x.shape[axis] < 2:
        raise InvalidOptionError("trend_test needs at least 2 periods along the axis")
    x, n = np.moveaxis(x, axis, -1), np.moveaxis(n, axis, -1)
    t, size = _times(times, x.shape[-1])
    total_n = n.sum(axis=-1)
    pooled = x.sum(axis=-1) / total_n
    centred = t - ((n * t).sum(axis=-1) / total_n)[..., np.newaxis]
    score = (centred * x).sum(axis=-1)
    spread = (n * centred * centred).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        null_variance = variance(pooled) * spread
        statistic = np.where(null_variance > 0, score / np.sqrt(null_variance), np.nan)
        slope = score / spread / size
    if np.isinf(slope).any():
        raise InvalidOptionError(
            f"times are too close together for a slope per unit of time (they span {size:g} at most)"
        )
    z = _plain(statistic)
    with np.errstate(invalid="ignore"):
        p_value = _p_two_sided(z)
    return Trend(z, p_value, _TREND_METHODS[kind], _plain(slope))


def _times(times: ArrayLike | None, periods: int) -> tuple[np.ndarray, float]:
    """The times of ``periods`` periods divided by their largest size, and
    that size. The test statistic does not change when times are scaled; on
    times within [-1, 1] no sum of squares overflows or underflows, whether
    the times are years or fractions of a second."""
    if times is None:
        return np.arange(periods, dtype=np.float64), 1.0
    try:
        array = np.asarray(times)
    except ValueError:  # nested sequences of unequal lengths
        array = np.asarray(None)
    if array.dtype.kind not in "iuf" or array.shape != (periods,) or not np.isfinite(array).all():
        raise InvalidOptionError(
            f"times must be {periods} finite numbers, one per period, got {_shown(times)}"
        )
    t = array.astype(np.float64)
    size = float(np.abs(t).max()) or 1.0  # all times 0: nothing to scale
    return t / size, size


def _funnel_proportion(
    n: np.ndarray, average: np.ndarray, z: float, tail: float
) -> tuple[np.ndarray, np.ndarray]:
    # The limits are the observed proportions whose Wilson interval at n
    # just reaches the average: both are roots of one quadratic in p.
    a = z * z / n
    c = average * (1 + a) - a / 2
    b = 2 * c + a
    root = np.sqrt(np.maximum(b * b - 4 * (1 + a) * (c * c - a * a / 4), 0.0))
    lower = (b - root) / (2 * (1 + a))
    upper = (b + root) / (2 * (1 + a))
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


#: Beyond this many expected events the rate funnel is solved from Byar's
#: approximation (``_count_at_byar_limit``): scipy's chi-squared
#: inversion stops converging (NaN from about 5e10), and from 1e9 events
#: Byar's limits agree with the exact ones to 1e-14 (relative).
LARGE_EXPECTED = 1e9


def _funnel_rate(
    n: np.ndarray, average: np.ndarray, z: float, tail: float
) -> tuple[np.ndarray, np.ndarray]:
    # The limits are the event counts whose exact Poisson interval just
    # reaches the expected count average·n (PHE's funnels for rates).
    from scipy import special  # type: ignore[import-untyped]

    # With X ~ Poisson(E) and a continuous count O, P(X >= O) = P(χ²(2O) <= 2E)
    # and P(X <= O) = 1 - P(χ²(2O + 2) <= 2E): solve both for the degrees of
    # freedom. The lower limit is 0 where even no events would not be low.
    # Around an average of 0 both limits are 0, the limit of the solutions
    # as E -> 0: with none expected, any event at all is significantly high.
    expected = np.asarray(average * n)
    low, high = np.zeros_like(expected), np.zeros_like(expected)
    exact = (expected > 0) & (expected <= LARGE_EXPECTED)
    if exact.any():
        expected2 = 2 * expected[exact]
        low[exact] = special.chdtriv(1 - tail, expected2) / 2 - 1
        high[exact] = special.chdtriv(tail, expected2) / 2
    large = expected > LARGE_EXPECTED
    if large.any():
        low[large] = _count_at_byar_limit(expected[large], z, -1.0) - 1
        high[large] = _count_at_byar_limit(expected[large], z, 1.0)
    return np.maximum(low, 0.0) / n, high / n


def _count_at_byar_limit(expected: np.ndarray, z: float, sign: float) -> np.ndarray:
    """The count ``u`` whose Byar limit ``u(1 − 1/(9u) − sign·z/(3√u))³`` is
    ``expected``: sign +1 solves the lower limit of ``u`` events, -1 the upper
    limit of ``u − 1`` events.

    Newton's method on the cube roots, for the offset ``d = u − expected``
    (from the normal approximation ``sign·z·√expected``), so that the offset
    keeps its precision however large the count; for the counts it serves
    (> 1e6) four steps reach the rounding of float64.
    """
    target = np.cbrt(expected)
    offset = sign * z * np.sqrt(expected)
    for _ in range(4):
        u = expected + offset
        root = np.sqrt(u)
        # cbrt(u)·(1 − 1/(9u) − sign·z/(3√u)) − cbrt(expected), with
        # cbrt(u) − cbrt(expected) computed without cancellation.
        gap = target * np.expm1(np.log1p(offset / expected) / 3) - np.cbrt(u) * (
            1 / (9 * u) + sign * z / (3 * root)
        )
        slope = (1 / 3 + 2 / (27 * u) + sign * z / (18 * root)) / np.cbrt(u * u)
        offset = offset - gap / slope
    return expected + offset


#: Control-limit solvers by kind: (denominator, average, z, tail) -> (lower,
#: upper) as fractions (proportion) or events per unit of exposure (rate).
_FUNNELS = {"proportion": _funnel_proportion, "rate": _funnel_rate}


def funnel_limits(
    denominator: ArrayLike,
    average: float,
    confidence: Confidence = (0.95, 0.998),
    *,
    kind: str = "proportion",
    multiplier: float = 1.0,
) -> Interval | tuple[Interval, ...]:
    """Funnel-plot control limits around an average, at given denominators.

    Parameters
    ----------
    denominator : array_like
        Denominators (populations) at which to draw the limits.
    average : float
        The centre line as a fraction (proportion) or events per unit of
        exposure (rate), usually Σx / Σn over all areas.
    confidence : float or sequence of float
        95 % and 99.8 % by default (PHE's two- and three-sigma funnels).
    kind : {"proportion", "rate"}
        Proportions: the proportions whose Wilson interval touches the
        average (PHE's funnels for proportions). Rates: the rates whose exact
        Poisson interval touches the average; beyond :data:`LARGE_EXPECTED`
        expected events, whose Byar interval does (the same to 1e-14). Around
        an average of 0 both limits of a rate are 0: with no events
        expected, any event is significantly high.
    multiplier : float
        Scale of the limits (100 for percent): finite, > 0, at most
        :data:`MAX_MULTIPLIER`.

    Returns
    -------
    Interval or tuple of Interval
        ``value`` is the average; ``lower``/``upper`` the limits at each
        denominator. An area outside the limits is significantly different
        from the average at that level.

    Raises
    ------
    InvalidCountsError
        Denominators that are not finite numbers > 0 below 2**53 (or are
        fractions below :data:`SMALLEST_COUNT`); an average that is
        negative, not finite or 2**53 or more.
    InvalidOptionError
        An unknown kind, an average of a proportion above 1, a confidence
        level out of range or a bad multiplier.

    Examples
    --------
    PHE's funnel for an average of 80.642448 % (PHEindicatormethods test
    data: 72.974925, 88.309971 and 68.553233 at a population of 102):

    >>> inner, outer = funnel_limits(102, 0.80642448, multiplier=100)
    >>> round(inner.lower, 2), round(inner.upper, 2), round(outer.lower, 2)
    (72.97, 88.31, 68.55)

    A rate funnel around no events, and one beyond :data:`LARGE_EXPECTED`
    expected events, against the exact limit from scipy's chi-squared
    inversion (which still converges at 2e9 events):

    >>> funnel_limits([10, 100], 0.0, 0.95, kind="rate").upper.tolist()
    [0.0, 0.0]
    >>> from scipy import special
    >>> limits = funnel_limits(2e9, 1.0, 0.95, kind="rate")
    >>> bool(abs(limits.upper / (special.chdtriv(0.025, 4e9) / 2 / 2e9) - 1) < 1e-14)
    True
    """
    solve = _FUNNELS[_choice("kind", kind, tuple(_FUNNELS))]
    levels = confidence_levels(confidence)
    multiplier = _multiplier(multiplier)
    (n,) = _counts("funnel_limits", {"denominator": denominator}, positive=("denominator",))
    (centre,) = _counts("funnel_limits", {"average": average}, per_unit=("average",))
    if kind == "proportion" and np.any(np.asarray(centre) > 1):
        raise InvalidOptionError(f"the average of a proportion must be <= 1, got {average!r}")
    intervals = []
    for level in levels:
        lower, upper = solve(np.asarray(n), np.asarray(centre), z_value(level), (1 - level) / 2)
        # The limits enclose the average exactly, whatever the rounding (or
        # the underflow of an expected count too small for a float).
        lower, upper = np.minimum(lower, centre), np.maximum(upper, centre)
        value = np.zeros_like(lower) + np.multiply(centre, multiplier)
        intervals.append(
            Interval(
                _plain(value),
                _plain(lower * multiplier),
                _plain(upper * multiplier),
                level,
                f"funnel_{kind}",
            )
        )
    return intervals[0] if _single(confidence) else tuple(intervals)
