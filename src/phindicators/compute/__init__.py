"""From counts to values: :class:`Result` and :func:`compute`.

The count → value path is the same for a single area and for a million: the
counts are validated (:mod:`phindicators.validation`), divided as float64 and
scaled to the indicator's unit by one exact factor. No Python loop runs per
element and no pint object is built; a :attr:`Result.quantity` is made only
when asked for. Three routes share the arithmetic:

* Python numbers (an app's request) are checked and divided as plain floats;
* numeric arrays of one shape are converted, checked, divided and given
  their limits :data:`phindicators._threads.BLOCK_ROWS` rows at a time, while
  each block is in the CPU cache: a few passes over memory in all, and no
  temporary as large as the input (any other input is broadcast and
  converted by :func:`~phindicators.validation.validate_counts` first);
* dask arrays give a lazy result, computed chunk by chunk with the array
  route (see :func:`compute`).

Each result carries its confidence interval(s), computed by the method the
indicator's kind calls for (:data:`KIND_INTERVALS`): Wilson's score interval
for proportions, the Poisson interval of the numerator count (exact below 10
events, Byar's from 10) for the kinds that count events, none for means.

The module does one job, the count → value path and the value type it
returns; its three routes share their tail (:class:`Result` with its
intervals attached), which is why they stay together past 600 lines.

Indicators that ``needs`` a life table take another route
(``life_tables``): deaths and populations by age band, with ``ages=``, into
the life-table routines of :mod:`phindicators.stats`
(:data:`LIFE_TABLE_MEASURES` says which, by numerator term).

The package has one module per job: ``methods`` (interval methods, unit
scales, the life-table measures), ``result`` (:class:`Result`), ``routes``
(:func:`compute` and its three routes) and ``life_tables`` (the life-table
route).
"""

from __future__ import annotations

from .methods import (
    KIND_INTERVALS,
    LIFE_TABLE_MEASURES,
    NOT_FROM_AGE_BANDS,
    LifeTableMeasure,
    interval_methods,
    life_table_measure,
    value_scale,
)
from .result import AgeBands, Result
from .routes import compute

__all__ = [
    "KIND_INTERVALS",
    "LIFE_TABLE_MEASURES",
    "NOT_FROM_AGE_BANDS",
    "AgeBands",
    "LifeTableMeasure",
    "Result",
    "compute",
    "interval_methods",
    "life_table_measure",
    "value_scale",
]
