"""Whole catalogs and target sets as one JSON document, each definition written once."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from .._json import Registry, encode_fields
from ..errors import CatalogError, DefinitionError
from ..model import Indicator, Source, Term
from ..targets import TargetSet, check_against_indicator

if typing.TYPE_CHECKING:  # pragma: no cover - typing only
    from ..catalog import Catalog
from .decoding import _decode_object

#: The value of the ``format`` key of an exported catalog.
CATALOG_FORMAT = "phindicators.catalog"

#: The version of the catalog layout; it changes when a reader must change.
CATALOG_FORMAT_VERSION = 1

#: The collections of an exported catalog, in order. Objects of these classes
#: are written in full in their collection and by id everywhere else.
CATALOG_COLLECTIONS: tuple[tuple[str, type], ...] = (
    ("sources", Source),
    ("terms", Term),
    ("indicators", Indicator),
    ("target_sets", TargetSet),
)

# -- catalogs ----------------------------------------------------------------------


def catalog_to_json(catalog: Catalog, target_sets: Iterable[TargetSet] = ()) -> dict[str, Any]:
    """A whole catalog, and optionally target sets, as one JSON-compatible dict.

    The layout (described by the shipped JSON Schema, see
    :func:`phindicators.schema.catalog_schema`)::

        {"format": "phindicators.catalog", "format_version": 1,
         "sources": [...], "terms": [...], "indicators": [...], "target_sets": [...]}

    Each collection is an array of objects with an ``id``, in catalog order.
    Every source, term, indicator and target set is defined once, in its
    collection, and named by id everywhere else: an indicator's
    ``numerator``, ``denominator`` and ``source``, a target's ``source``. A
    target set holds its targets by value. Sources that only targets cite are
    added to ``sources``.

    Raises
    ------
    CatalogError
        If two different definitions share an id.

    Examples
    --------
    >>> from phindicators import bundled_catalog
    >>> data = catalog_to_json(bundled_catalog())
    >>> [key for key in data]
    ['format', 'format_version', 'sources', 'terms', 'indicators', 'target_sets']
    >>> imr = next(i for i in data["indicators"] if i["id"] == "infant_mortality_rate")
    >>> imr["numerator"], imr["denominator"], imr["source"]
    ('infant_deaths', 'live_births', 'mch_survey_2015')
    """
    contents: dict[str, Iterable[Any]] = {
        "sources": catalog.sources.values(),
        "terms": catalog.terms.values(),
        "indicators": catalog.indicators(),
        "target_sets": target_sets,
    }
    registry = Registry(cls for _, cls in CATALOG_COLLECTIONS)
    for key, _ in CATALOG_COLLECTIONS:
        for obj in contents[key]:
            registry.define(obj)
    # Later collections refer to earlier ones (indicators to terms), so encode
    # them first: whatever they refer to is then in its table.
    encoded = {
        key: [encode_fields(obj, registry) for obj in list(registry.tables[cls].values())]
        for key, cls in reversed(CATALOG_COLLECTIONS)
    }
    return {
        "format": CATALOG_FORMAT,
        "format_version": CATALOG_FORMAT_VERSION,
        **{key: encoded[key] for key, _ in CATALOG_COLLECTIONS},
    }


def _read_collections(data: Mapping[str, Any], path: str) -> dict[str, list[Any]]:
    """Decode every collection of an exported catalog, resolving ids."""
    if not isinstance(data, Mapping):
        raise CatalogError(path, f"must be a JSON object, got {type(data).__name__}")
    expected = ["format", "format_version", *(key for key, _ in CATALOG_COLLECTIONS)]
    for key in data:
        if key not in expected:
            raise CatalogError(path, f"unknown top-level key {key!r} (expected {expected})")
    if data.get("format") != CATALOG_FORMAT or data.get("format_version") != CATALOG_FORMAT_VERSION:
        raise CatalogError(
            path,
            f"not a {CATALOG_FORMAT} document of version {CATALOG_FORMAT_VERSION} "
            f"(format {data.get('format')!r}, version {data.get('format_version')!r})",
        )
    references: dict[type, dict[str, Any]] = {}
    for key, cls in CATALOG_COLLECTIONS:
        items = data.get(key, [])
        if not isinstance(items, list):
            raise CatalogError(path, f"must be an array, got {type(items).__name__}", field=key)
        table: dict[str, Any] = {}
        for number, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, Mapping) else None
            label = item_id if isinstance(item_id, str) else f"{key}[{number}]"
            if label in table:
                raise CatalogError(path, f"defined twice in {key}", item=label)
            try:
                table[label] = _decode_object(item, cls, "", references)
            except DefinitionError as error:
                raise CatalogError(path, error.message, item=label, field=error.field) from None
        references[cls] = table
    return {key: list(references[cls].values()) for key, cls in CATALOG_COLLECTIONS}


def catalog_from_json(data: Mapping[str, Any], *, path: str = "<json>") -> Catalog:
    """Rebuild a :class:`~phindicators.catalog.Catalog` from :func:`catalog_to_json` output.

    The document's target sets are decoded too (an invalid one is an error);
    :func:`target_sets_from_json` returns them.

    Raises
    ------
    CatalogError
        Naming ``path``, the definition (by id) and the field at fault.

    Examples
    --------
    >>> from phindicators import bundled_catalog
    >>> catalog = catalog_from_json(catalog_to_json(bundled_catalog()))
    >>> catalog.get("infant_mortality_rate") == bundled_catalog().get("infant_mortality_rate")
    True
    """
    from ..catalog import Catalog

    collections = _read_collections(data, path)
    return Catalog(collections["indicators"], collections["terms"], collections["sources"])


def target_sets_from_json(data: Mapping[str, Any], *, path: str = "<json>") -> list[TargetSet]:
    """The target sets of a :func:`catalog_to_json` document.

    Each target is checked against the document's own indicators as target
    files are (known indicator, unit of its dimension, thresholds inside its
    valid range, comparator agreeing with its polarity).

    Raises
    ------
    CatalogError
        Naming ``path``, the target (or set) and the field at fault.

    Examples
    --------
    >>> from phindicators import bundled_catalog
    >>> from phindicators.targets import Target, TargetSet
    >>> from phindicators.model import Source
    >>> plan = Source(id="county_plan", title="County plan")
    >>> mmr = Target(id="mmr", indicator="maternal_mortality_ratio", comparator="<=",
    ...              threshold=15, unit="per_hundred_thousand", source=plan, plan="county_plan")
    >>> county = TargetSet(id="county_plan", name_zh="县规划", name_en="County plan",
    ...                    version="2021", source=plan, targets=[mmr])
    >>> target_sets_from_json(catalog_to_json(bundled_catalog(), [county])) == [county]
    True
    """
    collections = _read_collections(data, path)
    indicators = {indicator.id: indicator for indicator in collections["indicators"]}
    for target_set in collections["target_sets"]:
        for target in target_set:
            if target.indicator not in indicators:
                close = difflib.get_close_matches(target.indicator, indicators, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise CatalogError(
                    path,
                    f"unknown indicator {target.indicator!r}{hint}",
                    item=target.id,
                    field="indicator",
                )
            check_against_indicator(path, target, indicators[target.indicator])
    return collections["target_sets"]
