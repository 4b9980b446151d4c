"""From counts to values: :class:`Result` and :func:`compute`.

The count → value path is the same for a single area and for a million: the
counts are validated (:func:`phindicators.validation.validate_counts`), divided
as float64 arrays and scaled to the indicator's unit by one exact factor. No
Python loop runs per element and no pint object is built; a
:attr:`Result.quantity` is made only when asked for.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .display import format_value
from .units import UNITS, conversion_factor, quantity
from .validation import validate_counts

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pint
    from numpy.typing import ArrayLike

    from .model import Indicator

__all__ = ["Result", "compute"]

Values = float | np.ndarray


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b, equal_nan=True))  # type: ignore[arg-type]
    return a == b or (a != a and b != b)  # NaN equals NaN here


@attrs.frozen(eq=False, repr=False)
class Result:
    """An indicator's value computed from counts.

    Attributes
    ----------
    indicator : Indicator
        What was computed.
    numerator, denominator : float or ndarray
        The counts, as float64 (``denominator`` is None for counts).
    value : float or ndarray
        The value in ``unit``: 95.517… for 2067/2164 in percent. A float when
        the counts were scalars, otherwise an array of their broadcast shape.
    unit : str
        The unit of ``value`` (a name from :data:`phindicators.units.UNITS`).

    Examples
    --------
    >>> from phindicators import get
    >>> result = get("maternal_systematic_management_rate").compute(2067, 2164)
    >>> round(result.value, 3), result.unit
    (95.518, 'percent')
    >>> result.format()
    '95.52%'
    >>> result.to("permille").format()
    '955.18‰'
    """

    indicator: Indicator
    numerator: Values
    denominator: Values | None
    value: Values
    unit: str

    @property
    def quantity(self) -> pint.Quantity:
        """The value as a :class:`pint.Quantity` (builds the registry on first use)."""
        return quantity(self.value, self.unit)

    def format(self, lang: str = "zh") -> str | np.ndarray:
        """Display the value as a report prints it, with the indicator's decimals.

        Parameters
        ----------
        lang : {"zh", "en"}
            ``"zh"``: "95.52%", "10.66‰", "92.68/10万". ``"en"``: "95.52%",
            "92.68 per 100,000 live births".

        Returns
        -------
        str or ndarray of str
            One string per value, in the shape of :attr:`value`.
        """
        denominator = self.indicator.denominator
        return format_value(
            self.value,
            self.unit,
            self.indicator.decimals,
            lang,
            denominator.name_en if denominator is not None else "",
        )

    def to(self, unit: str) -> Result:
        """The same result expressed in another unit of the same dimension.

        Raises
        ------
        UnitError
            If ``unit`` is unknown or of another dimension.
        """
        factor = conversion_factor(self.unit, unit)
        return attrs.evolve(self, value=self.value * factor, unit=unit)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return all(
            _same(getattr(self, field.name), getattr(other, field.name))
            for field in attrs.fields(Result)
        )

    __hash__ = None  # type: ignore[assignment]  # values may be arrays

    def __repr__(self) -> str:
        value = self.value if np.ndim(self.value) == 0 else f"<array {np.shape(self.value)}>"
        return f"Result(indicator={self.indicator.id!r}, value={value!r}, unit={self.unit!r})"


@functools.cache
def _scale(numerator_unit: str, denominator_unit: str, unit: str) -> float:
    """Exact factor from numerator/denominator in their units to ``unit``."""
    size = {name: Fraction(repr(UNITS[name].multiplier)) for name in {numerator_unit, denominator_unit, unit}}
    return float(size[numerator_unit] / size[denominator_unit] / size[unit])




def compute(indicator: Indicator, numerator: ArrayLike, denominator: ArrayLike | None = None) -> Result:
    """Compute ``indicator`` from counts, for scalars or arrays of any shape.

    Parameters
    ----------
    indicator : Indicator
        The definition to apply.
    numerator : array_like
        Numerator counts (or amounts, for terms in money units), in the unit
        of the indicator's numerator term.
    denominator : array_like, optional
        Denominator counts; broadcast against ``numerator``. Omit for
        indicators of kind ``count``.

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

    Examples
    --------
    >>> import numpy as np
    >>> from phindicators import get
    >>> imr = get("infant_mortality_rate")
    >>> compute(imr, 23, 2158).format()
    '10.66‰'
    >>> compute(imr, np.array([23, 5]), np.array([2158, 1000])).format()
    array(['10.66‰', '5.00‰'], dtype='<U6')
    """
    num, den = validate_counts(indicator, numerator, denominator)
    den_unit = indicator.denominator.unit if indicator.denominator is not None else "count"
    scale = _scale(indicator.numerator.unit, den_unit, indicator.unit)
    value = num * scale if den is None else np.divide(num, den)
    if den is not None and scale != 1.0:
        value *= scale
    if num.ndim == 0:  # scalars in, Python floats out
        return Result(
            indicator, float(num), None if den is None else float(den), float(value), indicator.unit
        )
    return Result(indicator, num, den, value, indicator.unit)
