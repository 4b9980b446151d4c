"""Typing stub of the lazily loaded namespace: generated from _PUBLIC in
__init__.py by ``python tests/test_public_api.py --write``; do not edit."""

from .errors import (
    CatalogError as CatalogError,
    DefinitionError as DefinitionError,
    InvalidCountsError as InvalidCountsError,
    InvalidOptionError as InvalidOptionError,
    InvalidTypeError as InvalidTypeError,
    ParseError as ParseError,
    PhindicatorsError as PhindicatorsError,
    PhindicatorsWarning as PhindicatorsWarning,
    TargetError as TargetError,
    UnitError as UnitError,
    UnknownDomainError as UnknownDomainError,
    UnknownIndicatorError as UnknownIndicatorError,
    UnknownNameError as UnknownNameError,
    UnknownTargetSetError as UnknownTargetSetError,
    UnknownTermError as UnknownTermError,
)
from ._threads import (
    thread_limit as thread_limit,
)
from .units import (
    registry as registry,
)
from .periods import (
    Period as Period,
)
from .model import (
    Evidence as Evidence,
    EvidenceGrade as EvidenceGrade,
    Example as Example,
    Indicator as Indicator,
    Kind as Kind,
    Polarity as Polarity,
    Source as Source,
    Term as Term,
    Text as Text,
)
from .display import (
    describe_target as describe_target,
    format_count as format_count,
    format_interval as format_interval,
    format_result as format_result,
    format_status as format_status,
    format_target as format_target,
)
from .stats import (
    Interval as Interval,
    Significance as Significance,
    StandardPopulation as StandardPopulation,
    StandardisedRate as StandardisedRate,
    Trend as Trend,
    annual_percent_change as annual_percent_change,
    byar_interval as byar_interval,
    clopper_pearson_interval as clopper_pearson_interval,
    confidence_levels as confidence_levels,
    cumulative_rate as cumulative_rate,
    dobson_interval as dobson_interval,
    dsr as dsr,
    exact_poisson_interval as exact_poisson_interval,
    expected_counts as expected_counts,
    funnel_limits as funnel_limits,
    isr as isr,
    life_expectancy as life_expectancy,
    mean_interval as mean_interval,
    poisson_interval as poisson_interval,
    probability_of_dying as probability_of_dying,
    proportion_interval as proportion_interval,
    quantile_groups as quantile_groups,
    rate_ratio_test as rate_ratio_test,
    recent_trend as recent_trend,
    registry_rates as registry_rates,
    sii as sii,
    standard_population as standard_population,
    trend_test as trend_test,
    truncated_rate as truncated_rate,
    two_proportion_test as two_proportion_test,
    wilson_interval as wilson_interval,
)
from .catalog import (
    Catalog as Catalog,
    bundled_catalog as bundled_catalog,
    find as find,
    get as get,
    indicators as indicators,
    load_catalog as load_catalog,
    lookup as lookup,
)
from .figures import (
    Bound as Bound,
    Figure as Figure,
    parse_figure as parse_figure,
)
from .compute import (
    Result as Result,
    compute as compute,
    interval_methods as interval_methods,
)
from .pooling import (
    Pooled as Pooled,
    annualise as annualise,
    pool as pool,
    pool_periods as pool_periods,
)
from .targets import (
    Comparator as Comparator,
    Scope as Scope,
    Target as Target,
    TargetSet as TargetSet,
    load_target_sets as load_target_sets,
    target_set as target_set,
    target_sets as target_sets,
)
from .rules import (
    Importance as Importance,
    Operator as Operator,
    Rule as Rule,
    Violation as Violation,
    check_counts as check_counts,
    load_validation_rules as load_validation_rules,
    validation_rules as validation_rules,
)
from .compare import (
    BenchmarkStatus as BenchmarkStatus,
    Difference as Difference,
    Funnel as Funnel,
    FunnelPosition as FunnelPosition,
    TargetComparison as TargetComparison,
    TargetStatus as TargetStatus,
    TrendComparison as TrendComparison,
    TrendStatus as TrendStatus,
    compare_results as compare_results,
    compare_to_benchmark as compare_to_benchmark,
    compare_to_target as compare_to_target,
    compare_trend as compare_trend,
    funnel as funnel,
)
from .extract import (
    Mention as Mention,
    Miss as Miss,
    extract as extract,
    misses as misses,
)
from .audit import (
    Status as AuditStatus,
    Cause as Cause,
    PartsCheck as PartsCheck,
    TargetCheck as TargetCheck,
    Verdict as Verdict,
    audit as audit,
    check_parts as check_parts,
    check_target as check_target,
    infer_count as infer_count,
)
from .scorecard import (
    RowError as RowError,
    RowViolation as RowViolation,
    Scorecard as Scorecard,
    ScorecardRow as ScorecardRow,
    scorecard as scorecard,
)
from .frames import (
    compute_frame as compute_frame,
    stats_frame as stats_frame,
)
from .io import (
    read_table as read_table,
    write_table as write_table,
)
from .plots import (
    plot_funnel as plot_funnel,
    plot_trend as plot_trend,
)

__version__: str
__all__: list[str]
