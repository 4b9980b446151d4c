"""The label table (``data/labels.toml``) and the lexicon of names and words built on a catalog."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping

import attrs

from .._data import bundled_text
from .._once import Once
from .._toml import checked_fields
from ..catalog import Catalog
from ..errors import CatalogError
from ..figures import alternatives, normalize_text, trie_alternatives
from ..model import Indicator, Term

_LABELS_PATH = "phindicators/data/labels.toml"
_LABEL_FIELDS = ({"label"}, {"indicator", "ambiguous", "context", "note"})

@attrs.frozen
class LabelRule:
    """One row of the label table: a short label, its context and its indicator
    (or, for a context that leaves the label ambiguous, why).

    Examples
    --------
    >>> [rule.indicator for rule in label_rules() if rule.label == "发证率"]
    ['food_hygiene_license_rate', 'public_place_license_rate']
    """

    label: str
    indicator: str
    context: tuple[str, ...] = ()
    note: str = ""
    #: Why the label cannot be read in this context (the row then names no
    #: indicator): "儿童建卡率" may be the child-health card or the vaccination card.
    ambiguous: str = ""


@attrs.frozen
class _Vocabulary:
    connectors: tuple[str, ...]
    respectively: tuple[str, ...]
    separators: tuple[str, ...]
    share_verbs: tuple[str, ...]
    change_suffixes: tuple[str, ...]
    target_cues: tuple[str, ...]
    changes: tuple[str, ...]
    adverbs: tuple[str, ...]
    label_glue: tuple[str, ...]
    subgroups: tuple[str, ...]
    areas: tuple[str, ...]
    figure_areas: tuple[str, ...]
    groups: tuple[str, ...]
    periods: tuple[str, ...]
    other_periods: tuple[str, ...]
    not_terms: tuple[str, ...]


# Every word list of [vocabulary] is required; unknown keys are errors.
_VOCABULARY_FIELDS = ({field.name for field in attrs.fields(_Vocabulary)}, set[str]())


def _strings(path: str, item: str, field: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogError(
            path, f"must be a list of non-empty strings, got {value!r}", item=item, field=field
        )
    return tuple(normalize_text(v) for v in value)


def _read_labels(text: str, path: str) -> tuple[tuple[LabelRule, ...], _Vocabulary]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(path, f"not valid TOML: {error}") from None
    for key in data:
        if key not in ("labels", "vocabulary"):
            raise CatalogError(path, f"unknown top-level key {key!r} (expected labels, vocabulary)")
    rows = data.get("labels", [])
    if not isinstance(rows, list):
        raise CatalogError(path, "must be an array of tables", field="labels")
    rules = []
    for number, row in enumerate(rows, 1):
        item = f"labels[{number}]"
        fields = checked_fields(path, item, row, _LABEL_FIELDS, "a label")
        for field in ("label", "indicator", "ambiguous", "note"):
            if not isinstance(fields.get(field, ""), str):
                raise CatalogError(path, f"must be a string, got {fields[field]!r}", item=item, field=field)
        if not fields["label"].strip():
            raise CatalogError(path, "must not be empty", item=item, field="label")
        # A row either names its indicator or says why the label is ambiguous there.
        named, ambiguous = fields.get("indicator", "").strip(), fields.get("ambiguous", "").strip()
        if bool(named) == bool(ambiguous):
            raise CatalogError(
                path,
                "needs exactly one of 'indicator' and 'ambiguous' (a non-empty string), got "
                + ("both" if named else "neither"),
                item=item,
                field="indicator",
            )
        context = fields.get("context", [])
        rules.append(
            LabelRule(
                label=normalize_text(fields["label"]),
                indicator=named,
                context=_strings(path, item, "context", context) if context else (),
                note=fields.get("note", ""),
                ambiguous=ambiguous,
            )
        )
    vocabulary = checked_fields(path, "vocabulary", data.get("vocabulary"), _VOCABULARY_FIELDS, "the vocabulary")
    words = {key: _strings(path, "vocabulary", key, value) for key, value in vocabulary.items()}
    return tuple(rules), _Vocabulary(**words)


def _load_bundled_labels() -> tuple[tuple[LabelRule, ...], _Vocabulary]:
    return _read_labels(bundled_text("labels.toml"), _LABELS_PATH)


_labels = Once(_load_bundled_labels)


def _bundled_labels() -> tuple[tuple[LabelRule, ...], _Vocabulary]:
    return _labels.get()


def label_rules() -> tuple[LabelRule, ...]:
    """The bundled label table (``phindicators/data/labels.toml``), read once.

    Examples
    --------
    >>> [rule.context for rule in label_rules() if rule.label == "调离率"]
    [()]
    """
    return _bundled_labels()[0]


def example_report() -> str:
    """The bundled example report: fragments of the seed reports, boilerplate removed.

    Examples
    --------
    >>> example_report().splitlines()[0].startswith("#")
    True
    """
    return bundled_text("reports", "example_report.txt")





@attrs.frozen
class _Lexicon:
    catalog: Catalog
    names: Mapping[str, str]  # normalized name or alias -> indicator id
    rules: Mapping[str, tuple[LabelRule, ...]]  # normalized label -> its rows
    anchors: re.Pattern[str]
    terms: tuple[tuple[str, Term], ...]  # (words, term), longest first
    vocabulary: _Vocabulary
    connectors: re.Pattern[str]
    share: re.Pattern[str]
    separators: re.Pattern[str]
    changes: re.Pattern[str]
    subgroups: re.Pattern[str]
    area_separators: re.Pattern[str]
    respectively: re.Pattern[str]
    # What a short label may follow and still stand on its own: "年", "月",
    # glue words, period and area words (joined once, not per label).
    stands_after: tuple[str, ...] = ()
    # The indicator of each normalized name or alias, looked up once.
    indicators: Mapping[str, Indicator] = attrs.field(factory=dict, eq=False, repr=False)
    # The term each clause's words name, found once: reports repeat their
    # words ("全市产妇") and the lookup scans every term. Bounded by _TERM_CACHE.
    term_cache: dict[str, Term | None] = attrs.field(factory=dict, eq=False, repr=False)


def _term_words(term: Term) -> str:
    words = normalize_text(term.name_zh)
    for suffix in ("人数", "数"):
        if words.endswith(suffix) and len(words) > len(suffix) + 1:
            return words[: -len(suffix)]
    return words


@functools.lru_cache(maxsize=8)
def _lexicon(catalog: Catalog) -> _Lexicon:
    rules_table, vocabulary = _bundled_labels()
    names: dict[str, str] = {}
    for indicator in catalog:
        for name in (indicator.name_zh, *indicator.aliases):
            names.setdefault(normalize_text(name), indicator.id)
    rules: dict[str, list[LabelRule]] = {}
    for rule in rules_table:
        if rule.label not in names:  # the catalog's own names win
            rules.setdefault(rule.label, []).append(rule)
    terms = sorted(((_term_words(t), t) for t in catalog.terms.values()), key=lambda p: -len(p[0]))
    return _Lexicon(
        catalog=catalog,
        names=names,
        rules={label: tuple(rows) for label, rows in rules.items()},
        # Factored by prefixes: hundreds of names tried one by one at every
        # position were the reader's largest regex cost.
        anchors=re.compile(trie_alternatives([*names, *rules])),
        terms=tuple((words, term) for words, term in terms if len(words) >= 2),
        vocabulary=vocabulary,
        # Connectors, and a year printed between a name and its figure.
        connectors=re.compile(
            # First, before "从" alone: a change whose start is an event, not a
            # year ("从项目实施前的34.8%下降到…"); an area there is the figure's area.
            rf"(?:(?:从|由)(?!(?:{alternatives(vocabulary.areas)})的)[^\d,;:。()%‰率“”]{{1,12}}?的(?=\d)"
            rf"|[ ]|{alternatives(vocabulary.connectors)}|{alternatives(vocabulary.adverbs)}"
            r"|\d{4}年(?:度)?|“[^”\d]{1,12}”(?=要求|规定|提出|确定))*"
        ),
        # After a figure: "下降到", "较上年", ",2018年下降为", "、1982年的" (a later
        # value of a list of years).
        changes=re.compile(
            rf"[ ,]*(?:\d{{4}}年)?(?:{alternatives(vocabulary.adverbs)})?"
            rf"(?:{alternatives(vocabulary.changes)})|[ ]*[、,和][ ]*(?=\d{{4}}年)"
        ),
        subgroups=re.compile(rf"(?:{alternatives(vocabulary.subgroups)})$"),
        # Before the figure of another area: ",农村98%", "高于城市(29.7/10万)", "(市99.97%".
        area_separators=re.compile(
            rf"[ ]*\)?[ ]*(?:{alternatives(vocabulary.separators)}|高于|低于|略高于|略低于|\()[ ]*"
        ),
        share=re.compile(rf"[ ,]*(?:{alternatives(vocabulary.share_verbs)})(?:[^,;。\n]{{0,20}}?的)?"),
        separators=re.compile(rf"[ ]*(?:{alternatives(vocabulary.separators)})[ ]*"),
        respectively=re.compile(alternatives(vocabulary.respectively)),
        stands_after=("年", "月", *vocabulary.label_glue, *vocabulary.periods, *vocabulary.areas),
        indicators={name: catalog.get(id_) for name, id_ in names.items()},
    )
