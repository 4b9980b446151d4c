"""phindicators: public-health indicator definitions as typed data.

Each indicator is *defined* once (numerator, denominator, unit, valid range,
polarity, source) in the bundled catalog and computed from counts the same way
everywhere.

Examples
--------
>>> import phindicators as ph
>>> ph.get("maternal_systematic_management_rate").compute(2067, 2164).format()
'95.52%'
>>> ph.find("孕产妇死亡率").compute(2, 2158).format("en")
'92.68 per 100,000 live births'

Importing the package costs little more than importing numpy: it loads the
error classes only. Every other public name is imported the first time it is
used (the scientific-Python lazy-loading convention, SPEC 1), the catalog is
read on the first lookup and the pint registry built on the first
``Result.quantity``; ``python benchmarks/run.py --cases D`` measures both.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from . import errors as _errors
from ._version import __version__ as __version__

#: The public API, declared once: module -> the names it gives the package
#: (a tuple, or a dict of public name -> attribute where the two differ).
#: It drives ``__all__`` and the lazy loader here, and the typing stub
#: ``__init__.pyi`` is generated from it (``python tests/test_public_api.py
#: --write``; the test fails when they disagree). Names are imported on first
#: use, which keeps ``import phindicators`` little more than numpy (attrs
#: alone would add a third); the errors are light and loaded at once.
_PUBLIC: dict[str, tuple[str, ...] | dict[str, str]] = {
    "errors": (
        "CatalogError",
        "DefinitionError",
        "InvalidCountsError",
        "InvalidOptionError",
        "InvalidTypeError",
        "ParseError",
        "PhindicatorsError",
        "PhindicatorsWarning",
        "TargetError",
        "UnitError",
        "UnknownDomainError",
        "UnknownIndicatorError",
        "UnknownNameError",
        "UnknownTargetSetError",
        "UnknownTermError",
    ),
    "_threads": (
        "thread_limit",
    ),
    "units": (
        "registry",
    ),
    "periods": (
        "Period",
    ),
    "model": (
        "Evidence",
        "EvidenceGrade",
        "Example",
        "Indicator",
        "Kind",
        "Polarity",
        "Source",
        "Term",
        "Text",
    ),
    "display": (
        "describe_target",
        "format_count",
        "format_interval",
        "format_result",
        "format_status",
        "format_target",
    ),
    "stats": (
        "Interval",
        "Significance",
        "StandardPopulation",
        "StandardisedRate",
        "Trend",
        "annual_percent_change",
        "byar_interval",
        "clopper_pearson_interval",
        "confidence_levels",
        "cumulative_rate",
        "dobson_interval",
        "dsr",
        "exact_poisson_interval",
        "expected_counts",
        "funnel_limits",
        "isr",
        "life_expectancy",
        "mean_interval",
        "poisson_interval",
        "probability_of_dying",
        "proportion_interval",
        "quantile_groups",
        "rate_ratio_test",
        "recent_trend",
        "registry_rates",
        "sii",
        "standard_population",
        "trend_test",
        "truncated_rate",
        "two_proportion_test",
        "wilson_interval",
    ),
    "catalog": (
        "Catalog",
        "bundled_catalog",
        "find",
        "get",
        "indicators",
        "load_catalog",
        "lookup",
    ),
    "figures": (
        "Bound",
        "Figure",
        "parse_figure",
    ),
    "compute": (
        "Result",
        "compute",
        "interval_methods",
    ),
    "pooling": (
        "Pooled",
        "annualise",
        "pool",
        "pool_periods",
    ),
    "targets": (
        "Comparator",
        "Scope",
        "Target",
        "TargetSet",
        "load_target_sets",
        "target_set",
        "target_sets",
    ),
    "rules": (
        "Importance",
        "Operator",
        "Rule",
        "Violation",
        "check_counts",
        "load_validation_rules",
        "validation_rules",
    ),
    "compare": (
        "BenchmarkStatus",
        "Difference",
        "Funnel",
        "FunnelPosition",
        "TargetComparison",
        "TargetStatus",
        "TrendComparison",
        "TrendStatus",
        "compare_results",
        "compare_to_benchmark",
        "compare_to_target",
        "compare_trend",
        "funnel",
    ),
    "extract": (
        "Mention",
        "Miss",
        "extract",
        "misses",
    ),
    "audit": {
        "AuditStatus": "Status",
        "Cause": "Cause",
        "PartsCheck": "PartsCheck",
        "TargetCheck": "TargetCheck",
        "Verdict": "Verdict",
        "audit": "audit",
        "check_parts": "check_parts",
        "check_target": "check_target",
        "infer_count": "infer_count",
    },
    "scorecard": (
        "RowError",
        "RowViolation",
        "Scorecard",
        "ScorecardRow",
        "scorecard",
    ),
    "frames": ("compute_frame", "stats_frame"),
    "io": ("read_table", "write_table"),
    "plots": ("plot_funnel", "plot_trend"),
}

#: Public name -> (module, attribute).
_HOMES: dict[str, tuple[str, str]] = {
    name: (module, names[name] if isinstance(names, dict) else name)
    for module, names in _PUBLIC.items()
    for name in names
}

__all__ = sorted(_HOMES)

# The error classes: every caller catches them, and they cost nothing.
globals().update({name: getattr(_errors, attribute) for name, (module, attribute) in _HOMES.items()
                  if module == "errors"})

# Public functions that share their module's name: the import system binds a
# submodule on its package when it is first imported, which would replace
# the function; the package keeps the function.
_SHADOWED = frozenset(name for name, (module, _) in _HOMES.items() if name == module)


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _HOMES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*__all__, "__version__"]


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
