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

from .catalog import Catalog, bundled_catalog, find, get, indicators, load_catalog, lookup
from .compute import Result, compute
from .errors import (
    CatalogError,
    DefinitionError,
    InvalidCountsError,
    InvalidOptionError,
    ParseError,
    PhindicatorsError,
    UnitError,
    UnknownDomainError,
    UnknownIndicatorError,
    UnknownTargetSetError,
)
from .model import Example, Indicator, Kind, Polarity, Source, Term, Text
from .units import registry

__version__ = "0.1.0"

__all__ = [
    "Catalog",
    "CatalogError",
    "DefinitionError",
    "Example",
    "Indicator",
    "InvalidCountsError",
    "InvalidOptionError",
    "Kind",
    "ParseError",
    "PhindicatorsError",
    "Polarity",
    "Result",
    "Source",
    "Term",
    "Text",
    "UnitError",
    "UnknownDomainError",
    "UnknownIndicatorError",
    "UnknownTargetSetError",
    "bundled_catalog",
    "compute",
    "find",
    "get",
    "indicators",
    "load_catalog",
    "lookup",
    "registry",
]
