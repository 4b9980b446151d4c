"""Definitions and results as plain JSON-compatible dicts, and back.

:func:`to_dict` and :func:`from_dict` work on any attrs class of the library
(:class:`~phindicators.model.Indicator`, :class:`~phindicators.model.Term`,
:class:`~phindicators.model.Source`, :class:`~phindicators.Result`,
target sets, …) by walking its fields and their type hints, so a new field or
a new class serialises without new code. The rules a reader in another
language needs:

- an attrs object is a JSON object with one key per field (defaults
  included), in field order;
- enums are their string value; tuples and lists are arrays; dates and
  datetimes are ISO 8601 strings (``"2023-10-31"``);
- numpy arrays are nested arrays; they come back as float64 (boolean and text
  arrays keep their type). An array with a zero-length axis comes back as
  shape ``(0,)``, since ``[]`` does not say how many columns it lacked;
- the non-finite floats are the strings ``"Infinity"``, ``"-Infinity"`` and
  ``"NaN"`` (what JavaScript's ``Number()`` reads), so the output is strict
  JSON (:func:`json_text` refuses bare ``NaN``);
- a Result carries its counts, and is read back only if its value and
  limits follow from them (``from_dict(..., verify=False)`` reads it as
  written);
- a single object's dict is self-contained: an Indicator embeds its Terms and
  Source, a Result embeds its Indicator. A whole catalog
  (:func:`catalog_to_json`) instead defines every term, source and indicator
  once and refers to them by id everywhere else, as the catalog TOML does.

Examples
--------
>>> from phindicators import get
>>> data = to_dict(get("infant_mortality_rate"))
>>> data["kind"], data["numerator"]["id"], data["valid_range"]
('rate', 'infant_deaths', [0.0, 'Infinity'])
>>> from_dict(type(get("infant_mortality_rate")), data) == get("infant_mortality_rate")
True

The package has one module per job: ``hints`` (field types and their JSON
shapes), ``decoding`` (:func:`from_dict`) and ``catalogs`` (whole catalogs);
encoding and JSON text live in :mod:`phindicators._json`, below every writer.
"""

from __future__ import annotations

from .._json import NON_FINITE, json_text, to_dict, to_json_value, write_json
from ..errors import SerializationError
from .catalogs import (
    CATALOG_COLLECTIONS,
    CATALOG_FORMAT,
    CATALOG_FORMAT_VERSION,
    catalog_from_json,
    catalog_to_json,
    target_sets_from_json,
)
from .decoding import from_dict
from .hints import field_types, json_kind

__all__ = [
    "CATALOG_COLLECTIONS",
    "CATALOG_FORMAT",
    "CATALOG_FORMAT_VERSION",
    "NON_FINITE",
    "SerializationError",
    "catalog_from_json",
    "catalog_to_json",
    "field_types",
    "from_dict",
    "json_kind",
    "json_text",
    "target_sets_from_json",
    "to_dict",
    "to_json_value",
    "write_json",
]
