"""Targets as data: what plans and standards require of an indicator.

A :class:`Target` holds one requirement of one plan: the indicator (by id), a
:class:`Comparator` (≥, >, ≤, <, between, or a relative change from a
baseline such as "在2000年基础上下降1/4"), the threshold(s) in a declared
unit, the :class:`Scope` of area it applies to, the plan and its period, and
the :class:`~phindicators.model.Source` that states it. A :class:`TargetSet`
is a named, versioned collection of the targets of one plan.

Whether a value meets a target is decided by one table, :data:`COMPARATORS`:
each comparator computes a signed *gap* from the value to its threshold(s),
>= 0 when the target is met, and "met" follows from the gap. Values may be a
:class:`~phindicators.Result` (its own unit is used: a threshold in ‰
checks a result in per 100 000 correctly), a plain number or a numpy array
(taken in the target's unit).

The bundled target sets (``phindicators/data/targets/*.toml``, one file per
plan) are read on first use, once, under a lock, and validated against the
bundled catalog: every target must point at a known indicator, in a unit of
the indicator's dimension, with thresholds inside the indicator's valid range
and a comparator that agrees with its polarity. :func:`load_target_sets`
applies the same checks to a user's own files.

A target file looks like this (``threshold`` defaults to the indicator's unit;
``source``, ``period`` and ``scope`` default to those of the set)::

    [target_set]
    id = "county_plan_2025"
    name_zh = "某县妇幼健康规划（2021—2025年）"
    name_en = "County maternal and child health plan (2021-2025)"
    version = "2021"
    period = [2021, 2025]
    source = "county_plan_2025"

    [sources.county_plan_2025]          # only sources the catalog lacks
    title = "某县妇幼健康规划（2021—2025年）"
    year = 2021

    [targets.maternal_mortality]
    indicator = "maternal_mortality_ratio"
    comparator = "<="
    threshold = 15
    note = "county level"

Examples
--------
>>> from phindicators.model import Source
>>> sdg = Source(id="un_sdg_2015", title="Transforming our world", year=2015)
>>> nmr = Target(id="nmr", indicator="neonatal_mortality_rate", comparator="<=",
...              threshold=12, unit="permille", source=sdg, plan="sdg_2030")
>>> nmr.is_met(10.66), nmr.gap(14.0)
(True, -2.0)
>>> nmr.thresholds("per_hundred_thousand")
(1200.0,)

The package has one module per job: ``comparators`` (the table of
comparators and their vectorised checks), ``definitions`` (:class:`Target`,
:class:`TargetSet`) and ``loading`` (target files, bundled and user).
"""

from __future__ import annotations

# Kept importable from here, where earlier versions defined or imported them.
from ..errors import TargetError  # noqa: F401
from .comparators import COMPARATORS, Comparator, ComparatorSpec
from .definitions import Scope, Target, TargetSet
from .loading import (
    check_against_indicator,  # noqa: F401
    load_target_sets,
    target_set,
    target_sets,
)

__all__ = [
    "COMPARATORS",
    "Comparator",
    "ComparatorSpec",
    "Scope",
    "Target",
    "TargetSet",
    "load_target_sets",
    "target_set",
    "target_sets",
]
