"""Any interval method by name: its limits, or its kernel over blocks of counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import InvalidOptionError
from .levels import z_value
from .methods import POISSON_METHODS, PROPORTION_METHODS, Kernel
from .poisson import poisson_bounds, poisson_kernel
from .proportions import PROPORTION_BOUNDS, clopper_pearson_kernel, wilson_kernel
from .results import Values


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
    if method in PROPORTION_BOUNDS:
        return (*PROPORTION_BOUNDS[method](numerator, denominator, level, multiplier), method)
    if method in POISSON_METHODS:
        return poisson_bounds(numerator, denominator, level, multiplier, method)
    raise InvalidOptionError(
        f"method must be one of {', '.join(map(repr, (*PROPORTION_METHODS, *POISSON_METHODS)))}, "
        f"got {method!r}"
    )


#: Block kernels by method: (level, multiplier, whole counts) -> kernel.
def _wilson(level: float, scale: float, whole: bool) -> Kernel:
    return wilson_kernel(z_value(level), scale, whole)


def _clopper_pearson(level: float, scale: float, whole: bool) -> Kernel:
    return clopper_pearson_kernel(level, scale)


def _poisson(method: str) -> Callable[[float, float, bool], Kernel]:
    def make(level: float, scale: float, whole: bool) -> Kernel:
        return poisson_kernel(method, level, scale)

    return make


_KERNELS: dict[str, Callable[[float, float, bool], Kernel]] = {
    "wilson": _wilson,
    "clopper_pearson": _clopper_pearson,
    **{method: _poisson(method) for method in POISSON_METHODS},
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
    >>> import numpy as np
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
