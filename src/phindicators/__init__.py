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

Importing the package reads no data and does not import pint: the catalog is
read and the unit registry built on first use.
"""

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
    StandardisedRate,
    StandardPopulation,
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
from .targets import Comparator, Scope, Target, TargetSet, load_target_sets, target_set, target_sets
from .units import registry

__version__ = "0.1.0"

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
    "trend_test",
    "two_proportion_test",
    "validation_rules",
    "wilson_interval",
]
