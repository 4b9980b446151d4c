"""One entry point for every export format, for the command line and scripts.

``phindicators export --format FORMAT`` is
``write_json(export_catalog(catalog, FORMAT, target_sets), out)``. The
formats (:data:`EXPORT_FORMATS`):

- ``json``: the catalog and target sets (:func:`phindicators.serialize.catalog_to_json`);
- ``schema``: the JSON Schema of that document (:func:`phindicators.schema.catalog_schema`);
- ``fhir``: a FHIR R4 Bundle, one Measure per indicator (:func:`phindicators.fhir.to_fhir_bundle`);
- ``dhis2``: a DHIS2 metadata package (:func:`phindicators.dhis2.to_dhis2_metadata`).

Examples
--------
>>> from phindicators import bundled_catalog
>>> export_catalog(bundled_catalog(), "fhir")["resourceType"]
'Bundle'
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import InvalidOptionError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .catalog import Catalog
    from .targets import TargetSet

__all__ = ["EXPORT_FORMATS", "export_catalog"]

# Each writer imports its module when used: the command line lists the
# formats without loading the JSON, FHIR and DHIS2 code.


def _json(catalog: Catalog, target_sets: Sequence[TargetSet]) -> dict[str, Any]:
    from .serialize import catalog_to_json

    return catalog_to_json(catalog, target_sets)


def _schema(catalog: Catalog, target_sets: Sequence[TargetSet]) -> dict[str, Any]:
    from .schema import catalog_schema

    return catalog_schema()


def _fhir(catalog: Catalog, target_sets: Sequence[TargetSet]) -> dict[str, Any]:
    from .fhir import to_fhir_bundle

    return to_fhir_bundle(catalog.indicators())


def _dhis2(catalog: Catalog, target_sets: Sequence[TargetSet]) -> dict[str, Any]:
    from .dhis2 import to_dhis2_metadata

    return to_dhis2_metadata(catalog.indicators())


#: What each format writes, from a catalog and target sets.
EXPORT_FORMATS: dict[str, Callable[[Catalog, Sequence[TargetSet]], dict[str, Any]]] = {
    "json": _json,
    "schema": _schema,
    "fhir": _fhir,
    "dhis2": _dhis2,
}


def export_catalog(
    catalog: Catalog, format: str = "json", target_sets: Iterable[TargetSet] = ()
) -> dict[str, Any]:
    """A catalog (and, for ``json``, target sets) in one of :data:`EXPORT_FORMATS`.

    Raises
    ------
    InvalidOptionError
        For a format not in :data:`EXPORT_FORMATS` (never guessed; the message
        suggests the closest).

    Examples
    --------
    >>> from phindicators import bundled_catalog
    >>> sorted(export_catalog(bundled_catalog(), "dhis2"))
    ['dataElements', 'indicatorTypes', 'indicators']
    >>> export_catalog(bundled_catalog(), "fihr")
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: unknown export format 'fihr'; did you mean 'fhir'? \
(formats: json, schema, fhir, dhis2)
    """
    if not isinstance(format, str) or format not in EXPORT_FORMATS:
        close = difflib.get_close_matches(str(format), EXPORT_FORMATS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InvalidOptionError(
            f"unknown export format {format!r}{hint} (formats: {', '.join(EXPORT_FORMATS)})"
        )
    return EXPORT_FORMATS[format](catalog, list(target_sets))
