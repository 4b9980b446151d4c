"""Reading catalog files into the model, and looking indicators up.

A catalog is a set of TOML documents, each of which may hold any of three
tables (and a file-level ``domain`` default for its indicators)::

    domain = "maternal_health"

    [sources.nbphs_2017]
    title = "国家基本公共卫生服务规范（第三版）"
    year = 2017

    [terms.live_births]
    name_en = "live births"
    name_zh = "活产数"

    [indicators.maternal_mortality_ratio]
    name_en = "Maternal mortality ratio"
    ...

Terms and sources are defined once and referred to by id from any document.
The bundled catalog (``phindicators/data``) is read on first use, once, under
a lock; ``import phindicators`` reads nothing.

Examples
--------
>>> get("maternal_mortality_ratio").name_zh
'孕产妇死亡率'
>>> find("孕产妇系统化管理率").id
'maternal_systematic_management_rate'
"""

from __future__ import annotations

import difflib
import functools
import os
import types
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ._once import Once
from ._toml import (
    Document,
    build_definition,
    bundled_documents,
    check_top_level,
    checked_fields,
    line_of,
    located,
    parse_document,
    read_documents,
    resolve_reference,
    table_of,
)
from .errors import (
    CatalogError,
    InvalidTypeError,
    PhindicatorsWarning,
    UnknownDomainError,
    UnknownIndicatorError,
)
from .model import Evidence, Example, Indicator, Source, Term, Text

__all__ = [
    "Catalog",
    "bundled_catalog",
    "evidence_list",
    "find",
    "get",
    "indicators",
    "line_of",
    "load_catalog",
    "lookup",
    "normalize_name",
]

# Which keys each table may hold, and which of them are required. Unknown
# keys are errors: a misspelled field must not be silently ignored.
_TOP_LEVEL = {"domain", "sources", "terms", "indicators"}
SOURCE_FIELDS = ({"title"}, {"title_en", "publisher", "year", "url", "note"})
_TERM_FIELDS = ({"name_en", "name_zh"}, {"description", "unit", "population"})
_INDICATOR_FIELDS = (
    {"name_en", "name_zh", "definition", "numerator", "kind", "unit", "decimals", "polarity", "source"},
    {"denominator", "aliases", "domain", "valid_range", "source_section", "variant_of", "examples",
     "confidence", "evidence", "standard_sets", "needs"},
)
EVIDENCE_FIELDS = ({"quote", "address"}, {"note"})
TEXT_FIELDS: tuple[set[str], set[str]] = ({"en", "zh"}, set())
_EXAMPLE_FIELDS = ({"numerator"}, {"denominator", "published", "reference", "consistent", "note"})

# Width and dash variants reports use interchangeably: "0～6岁", "0-6岁".
_DASHES = str.maketrans({"~": "-", "〜": "-", "–": "-", "—": "-", "−": "-"})


def normalize_name(name: str) -> str:
    """The lookup key of a name: NFKC (full width → half width), case-folded,
    without spaces or underscores, dashes unified.

    Examples
    --------
    >>> normalize_name("０～６岁 儿童系统管理率")
    '0-6岁儿童系统管理率'
    >>> normalize_name("Maternal mortality_ratio")
    'maternalmortalityratio'
    """
    if not isinstance(name, str):
        raise InvalidTypeError(f"a name is a string, got {name!r}")
    text = unicodedata.normalize("NFKC", name).casefold().translate(_DASHES)
    return "".join(ch for ch in text if not ch.isspace() and ch != "_")


class Catalog:
    """A validated, indexed set of indicator definitions.

    Build one with :func:`load_catalog` (files) or :meth:`from_toml` (text);
    the bundled one is :func:`bundled_catalog`.

    Examples
    --------
    >>> catalog = Catalog.from_toml('''
    ... [sources.demo]
    ... title = "Demo specification"
    ... [terms.births]
    ... name_en = "births"
    ... name_zh = "出生数"
    ... [terms.boys]
    ... name_en = "male births"
    ... name_zh = "男婴数"
    ... [indicators.boys_share]
    ... name_en = "Share of boys"
    ... name_zh = "男婴比例"
    ... domain = "demo"
    ... definition = { en = "Male births per 100 births.", zh = "男婴数/出生数×100%" }
    ... numerator = "boys"
    ... denominator = "births"
    ... kind = "proportion"
    ... unit = "percent"
    ... decimals = 1
    ... polarity = "no_judgement"
    ... source = "demo"
    ... ''')
    >>> catalog.find("男婴比例").compute(52, 100).format()
    '52.0%'
    """

    def __init__(
        self,
        indicators: Iterable[Indicator],
        terms: Iterable[Term] = (),
        sources: Iterable[Source] = (),
    ) -> None:
        self._indicators: dict[str, Indicator] = {}
        for indicator in indicators:
            if indicator.id in self._indicators:
                raise CatalogError("<catalog>", "defined twice", item=indicator.id)
            self._indicators[indicator.id] = indicator
        self._terms = {term.id: term for term in terms}
        self._sources = {source.id: source for source in sources}
        for indicator in self._indicators.values():
            for term in (indicator.numerator, indicator.denominator):
                if term is not None:
                    self._terms.setdefault(term.id, term)
            self._sources.setdefault(indicator.source.id, indicator.source)
        self._index = self._build_index()

    def _build_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for indicator in self._indicators.values():
            for name in (indicator.id, *indicator.names):
                key = normalize_name(name)
                owner = index.setdefault(key, indicator.id)
                if owner != indicator.id:
                    raise CatalogError(
                        "<catalog>",
                        f"name {name!r} is used by both {owner!r} and {indicator.id!r}",
                        item=indicator.id,
                        field="aliases",
                    )
        return index

    # -- building ---------------------------------------------------------

    @classmethod
    def from_toml(cls, *texts: str) -> Catalog:
        """Build a catalog from TOML text (one or more documents).

        Useful for tests and for small local catalogs kept in code.
        """
        documents = []
        for number, text in enumerate(texts):
            label = "<string>" if len(texts) == 1 else f"<string {number}>"
            if not isinstance(text, str):
                raise InvalidTypeError(
                    f"{label}: Catalog.from_toml reads TOML text (str), got {type(text).__name__}"
                )
            documents.append(parse_document(label, text))
        return cls._from_documents(documents)

    @classmethod
    def _from_documents(
        cls,
        documents: list[Document],
        *,
        replaceable: frozenset[str] = frozenset(),
        replaced: list[str] | None = None,
    ) -> Catalog:
        """Build a catalog; a definition in a document of ``replaceable``
        (the bundled files, when the caller opted in) may be replaced by a
        later document, and ``replaced`` collects what was replaced."""
        replaced = [] if replaced is None else replaced
        sources: dict[str, tuple[str, Source]] = {}
        terms: dict[str, tuple[str, Term]] = {}
        for doc in documents:
            check_top_level(doc, _TOP_LEVEL)
            with located(doc, "sources"):
                for sid, table in table_of(doc, "sources").items():
                    fields = checked_fields(doc.path, sid, table, SOURCE_FIELDS, "a source")
                    source = build_definition(doc.path, sid, Source, id=sid, **fields)
                    _define_or_replace(sources, doc.path, sid, source, "source", replaceable, replaced)
            with located(doc, "terms"):
                for tid, table in table_of(doc, "terms").items():
                    fields = checked_fields(doc.path, tid, table, _TERM_FIELDS, "a term")
                    term = build_definition(doc.path, tid, Term, id=tid, **fields)
                    _define_or_replace(terms, doc.path, tid, term, "term", replaceable, replaced)

        built: dict[str, Indicator] = {}
        owner: dict[str, str] = {}
        for doc in documents:
            with located(doc, "indicators"):
                for iid, table in table_of(doc, "indicators").items():
                    if iid in owner:
                        _check_replaceable(doc.path, iid, "indicator", owner[iid], replaceable, replaced)
                    owner[iid] = doc.path
                    # A replacement keeps the bundled definition's place in the catalog.
                    built[iid] = _indicator(doc, iid, table, terms, sources)

        by_path = {doc.path: doc for doc in documents}
        for indicator in built.values():
            if indicator.variant_of is not None and indicator.variant_of not in built:
                doc = by_path[owner[indicator.id]]
                raise CatalogError(
                    doc.path,
                    f"unknown indicator {indicator.variant_of!r}",
                    item=indicator.id,
                    field="variant_of",
                    line=line_of(doc.text, ("indicators", indicator.id), "variant_of"),
                )
        try:
            return cls(
                built.values(),
                terms=(term for _, term in terms.values()),
                sources=(source for _, source in sources.values()),
            )
        except CatalogError as error:
            # Name the file of the offending indicator rather than "<catalog>".
            path = owner.get(error.item or "", "<catalog>")
            named = by_path.get(path)
            line = None if named is None else line_of(named.text, ("indicators", error.item or ""), error.field)
            raise CatalogError(path, error.message, item=error.item, field=error.field, line=line) from None

    # -- lookup -------------------------------------------------------------

    def get(self, id: str) -> Indicator:
        """The indicator with this exact id.

        Raises
        ------
        UnknownIndicatorError
            With close matches among ids and names.
        """
        try:
            return self._indicators[id]
        except (KeyError, TypeError):
            raise UnknownIndicatorError(str(id), self.suggest(str(id))) from None

    def find(self, name: str) -> Indicator:
        """The indicator a name refers to: id, Chinese or English name, alias.

        Matching ignores case, full-/half-width differences, spaces and
        underscores (see :func:`phindicators.catalog.normalize_name`).

        Raises
        ------
        UnknownIndicatorError
            With close matches.
        """
        found = self.lookup(name)
        if found is None:
            raise UnknownIndicatorError(str(name), self.suggest(str(name)))
        return found

    def lookup(self, name: str, default: Indicator | None = None) -> Indicator | None:
        """Like :meth:`find`, but return ``default`` when nothing matches."""
        if not isinstance(name, str):
            return default
        iid = self._index.get(normalize_name(name))
        return default if iid is None else self._indicators[iid]

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Up to ``n`` close matches for a name, as ``"name (id)"``, best first."""
        key = normalize_name(str(name))
        candidates = difflib.get_close_matches(key, self._index, n=n, cutoff=0.6)
        if key:
            candidates += [k for k in self._index if key in k or k in key]
        seen: list[str] = []
        for candidate in candidates:
            indicator = self._indicators[self._index[candidate]]
            label = f"{indicator.name_zh} ({indicator.id})"
            if label not in seen:
                seen.append(label)
        return seen[:n]

    def indicators(self, domain: str | None = None) -> list[Indicator]:
        """All indicators, or those of one domain, in catalog order.

        Raises
        ------
        UnknownDomainError
            A :class:`LookupError`, if no indicator has ``domain``; the message
            lists the domains.
        """
        if domain is None:
            return list(self._indicators.values())
        chosen = [i for i in self._indicators.values() if i.domain == domain]
        if not chosen:
            raise UnknownDomainError(domain, self.domains())
        return chosen

    def domains(self) -> list[str]:
        """The domains, in catalog order."""
        return list(dict.fromkeys(i.domain for i in self._indicators.values()))

    @property
    def terms(self) -> Mapping[str, Term]:
        """Every term, by id."""
        return dict(self._terms)

    def term_id(self, header: str) -> str | None:
        """The id of the term a column header names: its id, or its Chinese
        or English name ("活产数", "live births"), ignoring case and the
        spaces around it; None when it names no term.

        Spreadsheets made by hand head their count columns with the names a
        report prints, not with ids.

        Examples
        --------
        >>> catalog = bundled_catalog()
        >>> catalog.term_id(" 活产数 "), catalog.term_id("Live births"), catalog.term_id("县区")
        ('live_births', 'live_births', None)
        """
        return self.term_names.get(str(header).strip().casefold())

    @functools.cached_property
    def term_names(self) -> Mapping[str, str]:
        """Every term's id, Chinese name and English name, case-folded, to
        its id (what :meth:`term_id` looks a header up in)."""
        names: dict[str, str] = {}
        for id, term in self._terms.items():
            for name in (term.name_en, term.name_zh):
                names.setdefault(name.strip().casefold(), id)
        # An id wins over another term's name.
        names.update((id.casefold(), id) for id in self._terms)
        return types.MappingProxyType(names)

    @property
    def sources(self) -> Mapping[str, Source]:
        """Every source, by id."""
        return dict(self._sources)

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and id in self._indicators

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._indicators.values())

    def __len__(self) -> int:
        return len(self._indicators)

    def __repr__(self) -> str:
        return f"<Catalog: {len(self)} indicators in {len(self.domains())} domains>"


def _check_replaceable(
    path: str, id: str, what: str, previous: str, replaceable: frozenset[str], replaced: list[str]
) -> None:
    """Refuse a second definition of ``id`` unless it replaces one of a
    ``replaceable`` (bundled) document on request; then say so in ``replaced``."""
    if previous not in replaceable or path in replaceable:
        raise CatalogError(path, f"already defined in {previous}", item=id)
    consequence = " (every indicator that divides it uses the new definition)" if what == "term" else ""
    replaced.append(f"{path}: {what} {id!r} replaces the bundled definition in {previous}{consequence}")


def _define_or_replace(
    registry: dict[str, tuple[str, Any]],
    path: str,
    id: str,
    value: Any,
    what: str,
    replaceable: frozenset[str],
    replaced: list[str],
) -> None:
    if id in registry:
        _check_replaceable(path, id, what, registry[id][0], replaceable, replaced)
    registry[id] = (path, value)


def _indicator(
    doc: Document,
    iid: str,
    table: object,
    terms: Mapping[str, tuple[str, Term]],
    sources: Mapping[str, tuple[str, Source]],
) -> Indicator:
    path = doc.path
    fields = dict(checked_fields(path, iid, table, _INDICATOR_FIELDS, "an indicator"))
    fields["definition"] = build_definition(
        path, iid, Text, **checked_fields(path, iid, fields["definition"], TEXT_FIELDS, "definition")
    )
    fields["numerator"] = resolve_reference(path, iid, "numerator", fields["numerator"], terms, "term")
    denominator = fields.get("denominator")
    fields["denominator"] = (
        None if denominator is None else resolve_reference(path, iid, "denominator", denominator, terms, "term")
    )
    fields["source"] = resolve_reference(path, iid, "source", fields["source"], sources, "source")
    fields.setdefault("domain", doc.data.get("domain"))
    if fields["domain"] is None:
        raise CatalogError(path, "is required (here or at the top of the file)", item=iid, field="domain")
    examples = fields.get("examples", [])
    if not isinstance(examples, list):
        raise CatalogError(path, "must be an array of tables", item=iid, field="examples")
    fields["examples"] = [
        build_definition(path, iid, Example, **checked_fields(path, iid, example, _EXAMPLE_FIELDS, "an example"))
        for example in examples
    ]
    fields["evidence"] = evidence_list(path, iid, fields.get("evidence", []))
    if "valid_range" in fields and not (
        isinstance(fields["valid_range"], list) and len(fields["valid_range"]) == 2
    ):
        raise CatalogError(path, "must be [low, high]", item=iid, field="valid_range")
    return build_definition(path, iid, Indicator, id=iid, **fields)


def evidence_list(path: str, item: str, evidence: object) -> list[Evidence]:
    """The ``[[...evidence]]`` tables of a definition (an indicator or a
    target) as :class:`~phindicators.model.Evidence` objects."""
    if not isinstance(evidence, list):
        raise CatalogError(path, "must be an array of tables", item=item, field="evidence")
    return [
        build_definition(path, item, Evidence, **checked_fields(path, item, entry, EVIDENCE_FIELDS, "evidence"))
        for entry in evidence
    ]


def load_catalog(
    *paths: str | os.PathLike[str], include_bundled: bool = True, override: bool = False
) -> Catalog:
    """Read catalog files (and, by default, the bundled catalog) into a :class:`Catalog`.

    A user file may define new sources, terms and indicators and refer to the
    bundled ones by id.

    Parameters
    ----------
    *paths : str or path
        The user's catalog files (UTF-8 TOML), read in order.
    include_bundled : bool
        Start from the bundled catalog.
    override : bool
        Let the files replace bundled sources, terms and indicators that have
        the same id; each replacement is reported with a
        :class:`~phindicators.errors.PhindicatorsWarning` naming the
        definition and both files. Without it, redefining a bundled id is an
        error, so that a local file cannot silently change a national
        definition. Two user files may never define the same id.

    Raises
    ------
    CatalogError
        Naming the file, the definition, the field at fault and, where it
        can be found, the line.
    InvalidTypeError
        A path that is neither a string nor a path object.

    Examples
    --------
    >>> import pathlib, tempfile, warnings
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "local.toml"
    >>> _ = path.write_text('''
    ... [indicators.infant_mortality_rate]
    ... name_en = "Infant mortality rate (local definition)"
    ... name_zh = "婴儿死亡率"
    ... domain = "child_health"
    ... definition = { en = "Infant deaths per 1 000 live births.", zh = "婴儿死亡数/活产数×1000‰" }
    ... numerator = "infant_deaths"
    ... denominator = "live_births"
    ... kind = "rate"
    ... unit = "permille"
    ... decimals = 1
    ... polarity = "low_is_good"
    ... source = "nbphs_2017"
    ... ''', encoding="utf-8")
    >>> load_catalog(path)
    Traceback (most recent call last):
    ...
    phindicators.errors.CatalogError: ...local.toml: infant_mortality_rate: already defined in \
phindicators/data/indicators/child_health.toml (line 2)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     catalog = load_catalog(path, override=True)
    >>> catalog.get("infant_mortality_rate").decimals, caught[0].category.__name__
    (1, 'PhindicatorsWarning')
    """
    bundled = bundled_documents("sources.toml", "terms.toml", "indicators/") if include_bundled else []
    replaceable = frozenset(doc.path for doc in bundled) if override else frozenset()
    replaced: list[str] = []
    catalog = Catalog._from_documents(bundled + read_documents(paths), replaceable=replaceable, replaced=replaced)
    for message in replaced:
        warnings.warn(message, PhindicatorsWarning, stacklevel=2)
    return catalog


_bundled = Once(load_catalog)


def bundled_catalog() -> Catalog:
    """The catalog shipped with the package, read on first use, once."""
    return _bundled.get()


def get(id: str) -> Indicator:
    """The bundled indicator with this id.

    Raises
    ------
    UnknownIndicatorError
        A :class:`LookupError` whose message suggests close matches.

    Examples
    --------
    >>> get("infant_mortality_rate").unit
    'permille'
    >>> get("infant_mortality")
    Traceback (most recent call last):
    ...
    phindicators.errors.UnknownIndicatorError: no indicator named 'infant_mortality'; \
did you mean '婴儿死亡率 (infant_mortality_rate)'...?
    """
    return bundled_catalog().get(id)


def find(name: str) -> Indicator:
    """The bundled indicator a report's name refers to (Chinese, English, alias or id).

    Examples
    --------
    >>> find("孕产妇死亡率").id
    'maternal_mortality_ratio'
    >>> find("ＩＮＦＡＮＴ Mortality Rate").id
    'infant_mortality_rate'
    """
    return bundled_catalog().find(name)


def lookup(name: str, default: Indicator | None = None) -> Indicator | None:
    """Like :func:`find`, but return ``default`` instead of raising."""
    return bundled_catalog().lookup(name, default)


def indicators(domain: str | None = None) -> list[Indicator]:
    """The bundled indicators, all or of one domain."""
    return bundled_catalog().indicators(domain)
