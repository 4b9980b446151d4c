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
    TargetStatus,
    Verdict,
    audit,
    check_parts,
    check_target,
    infer_count,
)
from .audit import Status as AuditStatus
from .catalog import Catalog, bundled_catalog, find, get, indicators, load_catalog, lookup
from .compute import Result, compute
from .errors import (
    CatalogError,
    DefinitionError,
    InvalidCountsError,
    InvalidOptionError,
    ParseError,
    PhindicatorsError,
    TargetError,
    UnitError,
    UnknownDomainError,
    UnknownIndicatorError,
    UnknownNameError,
    UnknownTargetSetError,
    UnknownTermError,
)
from .extract import Mention, extract
from .figures import Bound, Figure, parse_figure
from .model import Example, Indicator, Kind, Polarity, Source, Term, Text
from .rules import (
    Importance,
    Operator,
    Rule,
    Violation,
    check_counts,
    load_validation_rules,
    validation_rules,
)
from .targets import Comparator, Scope, Target, TargetSet, load_target_sets, target_set, target_sets
from .units import registry

__version__ = "0.1.0"

__all__ = [
    "AuditStatus",
    "Bound",
    "Catalog",
    "CatalogError",
    "Cause",
    "Comparator",
    "DefinitionError",
    "Example",
    "Figure",
    "Importance",
    "Indicator",
    "InvalidCountsError",
    "InvalidOptionError",
    "Kind",
    "Mention",
    "Operator",
    "ParseError",
    "PartsCheck",
    "PhindicatorsError",
    "Polarity",
    "Result",
    "Rule",
    "Scope",
    "Source",
    "Target",
    "TargetCheck",
    "TargetError",
    "TargetSet",
    "TargetStatus",
    "Term",
    "Text",
    "UnitError",
    "UnknownDomainError",
    "UnknownIndicatorError",
    "UnknownNameError",
    "UnknownTargetSetError",
    "UnknownTermError",
    "Verdict",
    "Violation",
    "audit",
    "bundled_catalog",
    "check_counts",
    "check_parts",
    "check_target",
    "compute",
    "extract",
    "find",
    "get",
    "indicators",
    "infer_count",
    "load_catalog",
    "load_target_sets",
    "load_validation_rules",
    "lookup",
    "parse_figure",
    "registry",
    "target_set",
    "target_sets",
    "validation_rules",
]
