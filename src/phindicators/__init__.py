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
from typing import TYPE_CHECKING, Any

from .errors import (
    CatalogError,
    DefinitionError,
    InvalidCountsError,
    InvalidOptionError,
    InvalidTypeError,
    ParseError,
    PhindicatorsError,
    PhindicatorsWarning,
    TargetError,
    UnitError,
    UnknownDomainError,
    UnknownIndicatorError,
    UnknownNameError,
    UnknownTargetSetError,
    UnknownTermError,
)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from ._threads import thread_limit
    from .audit import (
        Cause,
        PartsCheck,
        TargetCheck,
        Verdict,
        audit,
        check_parts,
        check_target,
        infer_count,
    )
    from .audit import Status as AuditStatus
    from .catalog import Catalog, bundled_catalog, find, get, indicators, load_catalog, lookup
    from .compare import (
        BenchmarkStatus,
        Difference,
        Funnel,
        FunnelPosition,
        TargetComparison,
        TargetStatus,
        TrendComparison,
        TrendStatus,
        compare_results,
        compare_to_benchmark,
        compare_to_target,
        compare_trend,
        funnel,
    )
    from .compute import Result, compute
    from .display import format_count, format_interval, format_result, format_status
    from .extract import Mention, extract
    from .figures import Bound, Figure, parse_figure
    from .model import Example, Indicator, Kind, Polarity, Source, Term, Text
    from .pooling import Period, Pooled, annualise, pool, pool_periods
    from .rules import (
        Importance,
        Operator,
        Rule,
        Violation,
        check_counts,
        load_validation_rules,
        validation_rules,
    )
    from .scorecard import RowError, RowViolation, Scorecard, ScorecardRow, scorecard
    from .stats import (
        Interval,
        Significance,
        StandardPopulation,
        StandardisedRate,
        Trend,
        byar_interval,
        clopper_pearson_interval,
        confidence_levels,
        dobson_interval,
        dsr,
        exact_poisson_interval,
        funnel_limits,
        poisson_interval,
        proportion_interval,
        rate_ratio_test,
        standard_population,
        trend_test,
        two_proportion_test,
        wilson_interval,
    )
    from .targets import (
        Comparator,
        Scope,
        Target,
        TargetSet,
        load_target_sets,
        target_set,
        target_sets,
    )
    from .units import registry

__version__ = "0.1.0"

#: Public names imported on first use: name -> (module, attribute). Keeping
#: them out of the import makes ``import phindicators`` cost little more than
#: numpy (attrs alone would add a third).
_LAZY: dict[str, tuple[str, str]] = {
    "Catalog": ("catalog", "Catalog"),
    "bundled_catalog": ("catalog", "bundled_catalog"),
    "find": ("catalog", "find"),
    "get": ("catalog", "get"),
    "indicators": ("catalog", "indicators"),
    "load_catalog": ("catalog", "load_catalog"),
    "lookup": ("catalog", "lookup"),
    "Result": ("compute", "Result"),
    "compute": ("compute", "compute"),
    "Example": ("model", "Example"),
    "Indicator": ("model", "Indicator"),
    "Kind": ("model", "Kind"),
    "Polarity": ("model", "Polarity"),
    "Source": ("model", "Source"),
    "Term": ("model", "Term"),
    "Text": ("model", "Text"),
    "registry": ("units", "registry"),
    "thread_limit": ("_threads", "thread_limit"),
    "AuditStatus": ("audit", "Status"),
    "Cause": ("audit", "Cause"),
    "PartsCheck": ("audit", "PartsCheck"),
    "TargetCheck": ("audit", "TargetCheck"),
    "Verdict": ("audit", "Verdict"),
    "audit": ("audit", "audit"),
    "check_parts": ("audit", "check_parts"),
    "check_target": ("audit", "check_target"),
    "infer_count": ("audit", "infer_count"),
    "BenchmarkStatus": ("compare", "BenchmarkStatus"),
    "Difference": ("compare", "Difference"),
    "Funnel": ("compare", "Funnel"),
    "FunnelPosition": ("compare", "FunnelPosition"),
    "TargetComparison": ("compare", "TargetComparison"),
    "TargetStatus": ("compare", "TargetStatus"),
    "TrendComparison": ("compare", "TrendComparison"),
    "TrendStatus": ("compare", "TrendStatus"),
    "compare_results": ("compare", "compare_results"),
    "compare_to_benchmark": ("compare", "compare_to_benchmark"),
    "compare_to_target": ("compare", "compare_to_target"),
    "compare_trend": ("compare", "compare_trend"),
    "funnel": ("compare", "funnel"),
    "format_count": ("display", "format_count"),
    "format_interval": ("display", "format_interval"),
    "format_result": ("display", "format_result"),
    "format_status": ("display", "format_status"),
    "Mention": ("extract", "Mention"),
    "extract": ("extract", "extract"),
    "Bound": ("figures", "Bound"),
    "Figure": ("figures", "Figure"),
    "parse_figure": ("figures", "parse_figure"),
    "Period": ("pooling", "Period"),
    "Pooled": ("pooling", "Pooled"),
    "annualise": ("pooling", "annualise"),
    "pool": ("pooling", "pool"),
    "pool_periods": ("pooling", "pool_periods"),
    "Importance": ("rules", "Importance"),
    "Operator": ("rules", "Operator"),
    "Rule": ("rules", "Rule"),
    "Violation": ("rules", "Violation"),
    "check_counts": ("rules", "check_counts"),
    "load_validation_rules": ("rules", "load_validation_rules"),
    "validation_rules": ("rules", "validation_rules"),
    "RowError": ("scorecard", "RowError"),
    "RowViolation": ("scorecard", "RowViolation"),
    "Scorecard": ("scorecard", "Scorecard"),
    "ScorecardRow": ("scorecard", "ScorecardRow"),
    "scorecard": ("scorecard", "scorecard"),
    "Interval": ("stats", "Interval"),
    "Significance": ("stats", "Significance"),
    "StandardPopulation": ("stats", "StandardPopulation"),
    "StandardisedRate": ("stats", "StandardisedRate"),
    "Trend": ("stats", "Trend"),
    "byar_interval": ("stats", "byar_interval"),
    "clopper_pearson_interval": ("stats", "clopper_pearson_interval"),
    "confidence_levels": ("stats", "confidence_levels"),
    "dobson_interval": ("stats", "dobson_interval"),
    "dsr": ("stats", "dsr"),
    "exact_poisson_interval": ("stats", "exact_poisson_interval"),
    "funnel_limits": ("stats", "funnel_limits"),
    "poisson_interval": ("stats", "poisson_interval"),
    "proportion_interval": ("stats", "proportion_interval"),
    "rate_ratio_test": ("stats", "rate_ratio_test"),
    "standard_population": ("stats", "standard_population"),
    "trend_test": ("stats", "trend_test"),
    "two_proportion_test": ("stats", "two_proportion_test"),
    "wilson_interval": ("stats", "wilson_interval"),
    "Comparator": ("targets", "Comparator"),
    "Scope": ("targets", "Scope"),
    "Target": ("targets", "Target"),
    "TargetSet": ("targets", "TargetSet"),
    "load_target_sets": ("targets", "load_target_sets"),
    "target_set": ("targets", "target_set"),
    "target_sets": ("targets", "target_sets"),
}

# Public functions that share their module's name: the import system binds a
# submodule on its package when it is first imported, which would replace
# the function; the package keeps the function.
_SHADOWED = frozenset({'audit', 'compute', 'extract', 'scorecard'})


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "AuditStatus",
    "BenchmarkStatus",
    "Bound",
    "Catalog",
    "CatalogError",
    "Cause",
    "Comparator",
    "DefinitionError",
    "Difference",
    "Example",
    "Figure",
    "Funnel",
    "FunnelPosition",
    "Importance",
    "Indicator",
    "Interval",
    "InvalidCountsError",
    "InvalidOptionError",
    "InvalidTypeError",
    "Kind",
    "Mention",
    "Operator",
    "ParseError",
    "PartsCheck",
    "Period",
    "PhindicatorsError",
    "PhindicatorsWarning",
    "Polarity",
    "Pooled",
    "Result",
    "RowError",
    "RowViolation",
    "Rule",
    "Scope",
    "Scorecard",
    "ScorecardRow",
    "Significance",
    "Source",
    "StandardPopulation",
    "StandardisedRate",
    "Target",
    "TargetCheck",
    "TargetComparison",
    "TargetError",
    "TargetSet",
    "TargetStatus",
    "Term",
    "Text",
    "Trend",
    "TrendComparison",
    "TrendStatus",
    "UnitError",
    "UnknownDomainError",
    "UnknownIndicatorError",
    "UnknownNameError",
    "UnknownTargetSetError",
    "UnknownTermError",
    "Verdict",
    "Violation",
    "annualise",
    "audit",
    "bundled_catalog",
    "byar_interval",
    "check_counts",
    "check_parts",
    "check_target",
    "clopper_pearson_interval",
    "compare_results",
    "compare_to_benchmark",
    "compare_to_target",
    "compare_trend",
    "compute",
    "confidence_levels",
    "dobson_interval",
    "dsr",
    "exact_poisson_interval",
    "extract",
    "find",
    "format_count",
    "format_interval",
    "format_result",
    "format_status",
    "funnel",
    "funnel_limits",
    "get",
    "indicators",
    "infer_count",
    "load_catalog",
    "load_target_sets",
    "load_validation_rules",
    "lookup",
    "parse_figure",
    "poisson_interval",
    "pool",
    "pool_periods",
    "proportion_interval",
    "rate_ratio_test",
    "registry",
    "scorecard",
    "standard_population",
    "target_set",
    "target_sets",
    "thread_limit",
    "trend_test",
    "two_proportion_test",
    "validation_rules",
    "wilson_interval",
]
