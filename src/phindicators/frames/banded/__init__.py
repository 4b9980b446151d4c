"""Statistics by age band (or year) from a long frame: one row per group out.

An analyst's frame has one row per group and band (county, year, age band)
with events and population. :func:`stats_frame` pivots each group's rows
into one row of a (groups x bands) array, checks that every group has
exactly the bands the statistic reads, calls the vectorised routine of
:mod:`phindicators.stats` once on the whole array, and returns the caller's
kind of frame. :func:`life_table_frame` is the same pivot for the catalog's
life-table indicators, the route :func:`compute_frame` takes for them.
"""

from .frame import stats_frame
from .life_tables import life_table_frame
from .statistics import STATISTICS

__all__ = ["STATISTICS", "life_table_frame", "stats_frame"]
