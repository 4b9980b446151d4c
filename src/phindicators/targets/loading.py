"""Reading target files: bundled and user TOML into checked target sets, once."""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .._once import Once
from .._text import number
from .._toml import (
    Document,
    build_definition,
    bundled_documents,
    check_top_level,
    checked_fields,
    define_once,
    line_of,
    located,
    read_documents,
    resolve_reference,
    table_of,
)
from ..catalog import SOURCE_FIELDS, Catalog, bundled_catalog, evidence_list
from ..errors import (
    CatalogError,
    InvalidTypeError,
    UnitError,
    UnknownTargetSetError,
)
from ..model import (
    Indicator,
    Source,
)
from ..units import conversion_factor
from .definitions import _AGREEING_DIRECTIONS, Target, TargetSet

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


# -- reading target files --------------------------------------------------

_TOP_LEVEL = {"target_set", "sources", "targets"}
_SET_FIELDS = ({"id", "name_zh", "name_en", "version", "source"}, {"period", "note"})
_TARGET_FIELDS = (
    {"indicator", "comparator"},
    {
        "threshold", "unit", "change", "baseline", "baseline_year", "scope", "period",
        "source", "note", "wording", "against_polarity", "confidence", "evidence",
    },
)


def check_against_indicator(path: str, target: Target, indicator: Indicator) -> None:
    """The checks that need the catalog: unit, polarity, valid range."""

    def fail(field: str, message: str) -> CatalogError:
        return CatalogError(path, message, item=target.id, field=field)

    try:
        factor = conversion_factor(target.unit, indicator.unit)
    except UnitError as error:
        raise fail("unit", f"{error} (the unit of {indicator.id})") from None
    if target.direction not in _AGREEING_DIRECTIONS[indicator.polarity] and not target.against_polarity:
        raise fail(
            "comparator",
            f"a {target.direction!r} target on {indicator.id}, whose polarity is "
            f"{indicator.polarity.value}, is probably an error; set against_polarity = true "
            "if the plan really says so",
        )
    low, high = indicator.valid_range
    checked: list[tuple[str, float]] = [("threshold", t) for t in target.threshold]
    if target.baseline is not None:
        checked += [("baseline", target.baseline), ("change", float(target.thresholds()[0]))]
    for field, value in checked:
        if not low <= value * factor <= high:
            raise fail(
                field,
                f"{number(value)} {target.unit} is outside the valid range of {indicator.id} "
                f"[{low:g}, {high:g}] {indicator.unit}",
            )


def _target(
    doc: Document,
    set_fields: Mapping[str, Any],
    tid: str,
    table: object,
    catalog: Catalog,
    sources: Mapping[str, tuple[str, Source]],
) -> Target:
    path = doc.path
    fields = dict(checked_fields(path, tid, table, _TARGET_FIELDS, "a target"))
    indicator_id = fields["indicator"]
    if not isinstance(indicator_id, str) or indicator_id not in catalog:
        close = catalog.suggest(str(indicator_id), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise CatalogError(path, f"unknown indicator {indicator_id!r}{hint}", item=tid, field="indicator")
    indicator = catalog.get(indicator_id)
    fields.setdefault("unit", indicator.unit)
    if "source" in fields:
        fields["source"] = resolve_reference(path, tid, "source", fields["source"], sources, "source")
    else:
        fields["source"] = set_fields["source"]
    fields.setdefault("period", set_fields.get("period"))
    fields["evidence"] = evidence_list(path, tid, fields.get("evidence", []))
    target = build_definition(path, tid, Target, id=tid, plan=set_fields["id"], **fields)
    check_against_indicator(path, target, indicator)
    return target


@contextlib.contextmanager
def _located_set(doc: Document) -> Iterator[None]:
    """Add the line to a :class:`CatalogError` about the ``[target_set]``
    table of ``doc``, whose errors name it "target_set" or by its id (errors
    about its targets are located by :func:`~phindicators.catalog.located`)."""
    table = doc.data.get("target_set")
    names = ("target_set", table.get("id") if isinstance(table, Mapping) else None)
    try:
        yield
    except CatalogError as error:
        if error.line is not None or error.path != doc.path or error.item is None or error.item not in names:
            raise
        raise error.at_line(line_of(doc.text, ("target_set",), error.field)) from None


def _target_set(
    doc: Document,
    catalog: Catalog,
    sources: Mapping[str, tuple[str, Source]],
    owner: dict[str, str],
) -> TargetSet:
    path = doc.path
    if "target_set" not in doc.data:
        raise CatalogError(path, "is required: a [target_set] table naming the plan", item="target_set")
    fields = dict(checked_fields(path, "target_set", doc.data["target_set"], _SET_FIELDS, "the target_set table"))
    sid = fields["id"]
    if not isinstance(sid, str):
        raise CatalogError(path, f"must be a string, got {sid!r}", item="target_set", field="id")
    if sid in owner:
        raise CatalogError(path, f"already defined in {owner[sid]}", item=sid)
    owner[sid] = path
    fields["source"] = resolve_reference(path, sid, "source", fields["source"], sources, "source")
    with located(doc, "targets"):
        targets = [
            _target(doc, fields, tid, table, catalog, sources)
            for tid, table in table_of(doc, "targets").items()
        ]
    if not targets:
        raise CatalogError(path, "defines no targets", item=sid, field="targets")
    return build_definition(path, sid, TargetSet, targets=targets, **fields)


def _load(documents: list[Document], catalog: Catalog) -> list[TargetSet]:
    # Sources of the catalog and of every target file are one namespace, so
    # a target file may cite any of them and may not redefine one.
    sources: dict[str, tuple[str, Source]] = {
        sid: ("the indicator catalog", source) for sid, source in catalog.sources.items()
    }
    for doc in documents:
        check_top_level(doc, _TOP_LEVEL)
        with located(doc, "sources"):
            for sid, table in table_of(doc, "sources").items():
                fields = checked_fields(doc.path, sid, table, SOURCE_FIELDS, "a source")
                define_once(sources, doc.path, sid, build_definition(doc.path, sid, Source, id=sid, **fields))
    owner: dict[str, str] = {}
    sets = []
    for doc in documents:
        with _located_set(doc):
            sets.append(_target_set(doc, catalog, sources, owner))
    return sets


def load_target_sets(
    *paths: str | os.PathLike[str],
    include_bundled: bool = True,
    catalog: Catalog | None = None,
) -> list[TargetSet]:
    """Read target files (and, by default, the bundled ones) into target sets.

    Each file holds one target set. Its targets are validated against
    ``catalog`` (default: the bundled catalog; pass your own from
    :func:`~phindicators.catalog.load_catalog` to target your own
    indicators) as strictly as the bundled sets are.

    Raises
    ------
    CatalogError
        Naming the file, the target (or set) and the field: unknown fields,
        duplicate ids, unknown units or units of another dimension, targets
        on unknown indicators, thresholds outside the indicator's valid
        range, comparators against the indicator's polarity, unknown or
        redefined sources.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "county.toml"
    >>> _ = path.write_text('''
    ... [target_set]
    ... id = "county_plan_2025"
    ... name_zh = "某县妇幼健康规划"
    ... name_en = "County maternal and child health plan"
    ... version = "2021"
    ... period = [2021, 2025]
    ... source = "county_plan_2025"
    ... [sources.county_plan_2025]
    ... title = "某县妇幼健康规划（2021—2025年）"
    ... [targets.imr]
    ... indicator = "infant_mortality_rate"
    ... comparator = "<="
    ... threshold = 6
    ... scope = "local"
    ... ''', encoding="utf-8")
    >>> [county] = load_target_sets(path, include_bundled=False)
    >>> county.for_indicator("infant_mortality_rate")[0].thresholds("per_hundred_thousand")
    (600.0,)
    """
    catalog = bundled_catalog() if catalog is None else catalog
    documents = bundled_documents("targets/") if include_bundled else []
    return _load(documents + read_documents(paths), catalog)


_bundled = Once(load_target_sets)


def target_sets() -> list[TargetSet]:
    """The bundled target sets, read on first use, once.

    Examples
    --------
    >>> "sdg_2030" in [s.id for s in target_sets()]
    True
    """
    return list(_bundled.get())


def _sets(sets: object) -> list[TargetSet]:
    """``sets`` as a list, refused unless it holds TargetSet objects only."""
    if not isinstance(sets, Iterable):
        raise InvalidTypeError(
            f"target_set: sets must be an iterable of TargetSet objects, got {type(sets).__name__}"
        )
    pool = list(sets)
    strangers = [
        f"{type(item).__name__} at position {position}"
        for position, item in enumerate(pool)
        if not isinstance(item, TargetSet)
    ]
    if strangers:
        raise InvalidTypeError(
            f"target_set: sets must hold TargetSet objects only, got {', '.join(strangers)}"
        )
    return pool


def target_set(id: str, sets: Iterable[TargetSet] | None = None) -> TargetSet:
    """The target set with this id, among the bundled ones or ``sets``.

    Raises
    ------
    UnknownTargetSetError
        A :class:`LookupError` whose message suggests close ids.
    InvalidTypeError
        If ``sets`` is not an iterable of :class:`TargetSet` (a list of ids,
        say).

    Examples
    --------
    >>> [str(t) for t in target_set("sdg_2030").for_indicator("under5_mortality_rate")]
    ['≤25‰, every country (Transforming our world: the 2030 Agenda for Sustainable Development 2016–2030)']
    >>> target_set("sdg2030")
    Traceback (most recent call last):
    ...
    phindicators.errors.UnknownTargetSetError: no target set named 'sdg2030'; did you mean 'sdg_2030'...?
    """
    pool = target_sets() if sets is None else _sets(sets)
    for candidate in pool:
        if candidate.id == id:
            return candidate
    ids = [candidate.id for candidate in pool]
    raise UnknownTargetSetError(str(id), difflib.get_close_matches(str(id), ids, n=3, cutoff=0.6))
