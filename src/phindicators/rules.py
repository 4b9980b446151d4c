"""Validation rules between terms, as data (as DHIS2 validation rules are).

A :class:`Rule` states a relation that any consistent set of counts
satisfies: maternal deaths ≤ live births, systematically managed mothers ≤
women giving birth, parts that sum to their total ("5068人(国家奖扶2568人,
特扶953人, 奖扶扩面1547人)"). Each side is one term or a sum of terms (by
the term ids of the catalog); each rule has a description in English and
Chinese and an :class:`Importance`.

:func:`check_counts` applies every rule whose terms are all present in a
mapping of counts and returns a :class:`Violation` for each rule broken
(for arrays, with the positions). Operators map to behaviour through one
table, :data:`OPERATORS`.

The bundled rules (``phindicators/data/rules.toml``) are read on first use,
once, under a lock, and validated against the bundled catalog;
:func:`load_validation_rules` applies the same checks to a user's files::

    [rules.family_planning_rewards_sum]
    left = ["national_rewards", "special_support", "extended_rewards"]
    operator = "="
    right = "rewarded_persons"
    importance = "high"
    description.en = "The reward schemes add up to all persons rewarded."
    description.zh = "各类奖扶人数之和等于奖扶总人数"

Examples
--------
>>> from phindicators.model import Text
>>> rule = Rule(id="deaths_within_births", left="maternal_deaths", operator="<=",
...             right="live_births", importance="high",
...             description=Text(en="Maternal deaths cannot exceed live births.",
...                              zh="孕产妇死亡数不应超过活产数"))
>>> [str(v) for v in check_counts({"maternal_deaths": 3, "live_births": 2}, [rule])]
['deaths_within_births (high): maternal_deaths <= live_births fails: 3 > 2. Maternal deaths cannot exceed live births.']
"""

from __future__ import annotations

import difflib
import enum
import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ._once import Once
from ._text import number
from ._toml import (
    Document,
    build_definition,
    bundled_documents,
    check_top_level,
    checked_fields,
    located,
    read_documents,
    table_of,
)
from ._validators import check, identifier, member_of, to_member
from .catalog import TEXT_FIELDS, Catalog, bundled_catalog
from .errors import (
    SHOWN_POSITIONS,
    CatalogError,
    DefinitionError,
    InvalidCountsError,
    InvalidTypeError,
    UnknownTermError,
)
from .model import Text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

__all__ = [
    "OPERATORS",
    "Importance",
    "Operator",
    "Rule",
    "Violation",
    "check_counts",
    "load_validation_rules",
    "validation_rules",
]


# Sides within this relative distance count as equal, so that amounts of
# money summed in floating point (0.1 + 0.2 万元) equal their printed total.
_RELATIVE_TOLERANCE = 1e-9


class Operator(enum.StrEnum):
    """How the left side of a rule must compare with the right.

    Examples
    --------
    >>> test, shown = OPERATORS[Operator("<=")]
    >>> test(np.array([1.0, 3.0]), np.array([2.0, 2.0])).tolist(), shown
    ([True, False], '>')
    """

    AT_MOST = "<="
    BELOW = "<"
    EQUAL = "="
    AT_LEAST = ">="
    ABOVE = ">"


def _close(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.isclose(left, right, rtol=_RELATIVE_TOLERANCE, atol=0.0)


#: For each operator: a test of left against right (True where the rule
#: holds) and the operator that a failure shows (3 > 2 for a failed "<=").
OPERATORS: dict[Operator, tuple[Callable[[np.ndarray, np.ndarray], np.ndarray], str]] = {
    Operator.AT_MOST: (lambda a, b: (a < b) | _close(a, b), ">"),
    Operator.BELOW: (lambda a, b: (a < b) & ~_close(a, b), ">="),
    Operator.EQUAL: (_close, "!="),
    Operator.AT_LEAST: (lambda a, b: (a > b) | _close(a, b), "<"),
    Operator.ABOVE: (lambda a, b: (a > b) & ~_close(a, b), "<="),
}


class Importance(enum.StrEnum):
    """How much a violation matters: ``high`` means the counts cannot all be
    right; ``low`` means they are unusual and worth a look.

    Examples
    --------
    >>> [level.value for level in Importance]
    ['high', 'medium', 'low']
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


def _side(value: object) -> object:
    # A side is one term id or a list of them (their sum).
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def _valid_side(instance: object, attribute: attrs.Attribute, value: object) -> None:
    if not (isinstance(value, tuple) and value):
        raise DefinitionError(attribute.name, f"must be a term id or a non-empty list of them, got {value!r}")
    for term in value:
        identifier(instance, attribute, term)
    check(attribute.name, len(set(value)) == len(value), f"names a term twice: {list(value)}")



def _to_importance(value: object) -> Any:
    """A field converter (a named function: mypy's attrs plugin reads it)."""
    return to_member(Importance, value)


def _to_operator(value: object) -> Any:
    """A field converter (a named function: mypy's attrs plugin reads it)."""
    return to_member(Operator, value)


@attrs.frozen
class Rule:
    """A relation between sums of terms that consistent counts satisfy.

    Attributes
    ----------
    id : str
        Unique among the rules loaded together.
    left, right : tuple of str
        Term ids; each side is their sum.
    operator : Operator
        ``"<="``, ``"<"``, ``"="``, ``">="`` or ``">"``.
    description : Text
        What the rule means, in English and Chinese.
    importance : Importance
        ``"high"``, ``"medium"`` or ``"low"``.

    Examples
    --------
    >>> from phindicators.model import Text
    >>> Rule(id="parts", left=["a", "b"], operator="=", right="total",
    ...      description=Text(en="Parts add up.", zh="分项之和等于合计")).terms
    ('a', 'b', 'total')
    """

    id: str = attrs.field(validator=identifier)
    left: tuple[str, ...] = attrs.field(converter=_side, validator=_valid_side)
    operator: Operator = attrs.field(converter=_to_operator, validator=member_of(Operator))
    right: tuple[str, ...] = attrs.field(converter=_side, validator=_valid_side)
    description: Text = attrs.field(validator=attrs.validators.instance_of(Text))
    importance: Importance = attrs.field(
        default=Importance.MEDIUM, converter=_to_importance, validator=member_of(Importance)
    )

    def __attrs_post_init__(self) -> None:
        both = sorted(set(self.left) & set(self.right))
        check("right", not both, f"names {', '.join(both)} on both sides")

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term the rule uses, left then right."""
        return self.left + self.right

    def __str__(self) -> str:
        return f"{' + '.join(self.left)} {self.operator.value} {' + '.join(self.right)}"


@attrs.frozen(eq=False)
class Violation:
    """A rule that the counts break.

    Attributes
    ----------
    rule : Rule
        The rule broken.
    left, right : float or ndarray
        The two sides' sums (arrays of the counts' broadcast shape).
    mask : ndarray of bool or None
        For arrays, True where the rule is broken; None for scalars.

    Examples
    --------
    >>> [v] = check_counts({"infant_deaths": [2, 9, 4], "under5_deaths": [3, 8, 4]})
    >>> v.positions, v.n_violated
    (((1,),), 1)
    """

    rule: Rule
    left: float | np.ndarray
    right: float | np.ndarray
    mask: np.ndarray | None = None

    @property
    def positions(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the positions where the rule is broken (empty for scalars)."""
        if self.mask is None:
            return ()
        return tuple(tuple(int(i) for i in p) for p in np.argwhere(self.mask))

    @property
    def n_violated(self) -> int:
        """How many positions break the rule (1 for scalars)."""
        return 1 if self.mask is None else int(np.count_nonzero(self.mask))

    def __str__(self) -> str:
        failed = OPERATORS[self.rule.operator][1]
        head = f"{self.rule.id} ({self.rule.importance.value}): {self.rule} fails"
        if self.mask is None:
            detail = f"{number(self.left)} {failed} {number(self.right)}"
        else:
            shown = self.positions[:SHOWN_POSITIONS]
            detail = f"at {self.n_violated} of {self.mask.size} positions: " + "; ".join(
                f"{p}: {number(self.left[p])} {failed} {number(self.right[p])}"  # type: ignore[index]
                for p in shown
            )
            if self.n_violated > len(shown):
                detail += f"; and {self.n_violated - len(shown)} more"
        return f"{head}: {detail}. {self.rule.description.en}"


def _is_real(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _as_counts(term: str, value: ArrayLike) -> np.ndarray:
    try:
        array = np.asarray(value)
    except ValueError:  # nested sequences of different lengths
        raise InvalidCountsError(term, "counts", f"must be a rectangular array, got {value!r}") from None
    if array.dtype.kind == "b":
        raise InvalidCountsError(term, "counts", "must be numbers, got booleans")
    # Object arrays (Python ints too large for int64, say) pass only if every
    # element is a real number: None must not become NaN, a "missing" count.
    if array.dtype.kind not in "iufO" or (
        array.dtype.kind == "O" and not all(_is_real(v) for v in array.flat)
    ):
        raise InvalidCountsError(term, "counts", f"must be real numbers, got {value!r}")
    try:
        return array.astype(np.float64)
    except OverflowError:  # a Python int beyond float range would otherwise become inf
        # (not repr'd: Python refuses to print an int of more than 4 300 digits)
        raise InvalidCountsError(term, "counts", "holds a number beyond float range") from None


def check_counts(
    counts: Mapping[str, ArrayLike],
    rules: Iterable[Rule] | None = None,
    *,
    catalog: Catalog | None = None,
) -> list[Violation]:
    """Every rule the counts break.

    Parameters
    ----------
    counts : mapping of str to number or array
        Counts by term id. Arrays (one value per area, say) broadcast
        together within a rule; NaN marks a missing count and is never a
        violation.
    rules : iterable of Rule, optional
        The rules to apply (default: the bundled :func:`validation_rules`).
        Rules with a term absent from ``counts`` are skipped.
    catalog : Catalog, optional
        Whose terms ``counts`` may name (default: the bundled catalog); the
        terms of ``rules`` are accepted as well.

    Returns
    -------
    list of Violation
        In the order of ``rules``; empty if every applicable rule holds.

    Raises
    ------
    UnknownTermError
        If ``counts`` names a term no catalog term or rule has (a misspelled
        term would otherwise silently skip its rules).
    InvalidCountsError
        If a count is not a number (or too large for a float), an array is
        ragged, or a rule's counts do not broadcast.
    InvalidTypeError
        If ``counts`` is not a mapping.

    Examples
    --------
    >>> violations = check_counts({
    ...     "neonatal_deaths": [1, 4, 0], "infant_deaths": [3, 2, 0],
    ...     "live_births": [900, 1200, 15]})
    >>> [(v.rule.id, v.positions) for v in violations]
    [('neonatal_deaths_within_infant_deaths', ((1,),))]
    """
    if not isinstance(counts, Mapping):
        raise InvalidTypeError(f"counts must be a mapping of term ids to counts, got {counts!r}")
    rules = validation_rules() if rules is None else list(rules)
    catalog = bundled_catalog() if catalog is None else catalog
    known = set(catalog.terms) | {term for rule in rules for term in rule.terms}
    for term in counts:
        if term not in known:
            raise UnknownTermError(str(term), difflib.get_close_matches(str(term), sorted(known), n=3))
    arrays = {term: _as_counts(term, value) for term, value in counts.items()}

    violations = []
    for rule in rules:
        if not all(term in arrays for term in rule.terms):
            continue
        try:
            shaped = np.broadcast_arrays(*(arrays[t] for t in rule.terms))
        except ValueError:
            shapes = ", ".join(f"{t} {arrays[t].shape}" for t in rule.terms)
            raise InvalidCountsError(
                rule.id, "counts", f"shapes do not broadcast together: {shapes}"
            ) from None
        left = np.sum(shaped[: len(rule.left)], axis=0)
        right = np.sum(shaped[len(rule.left) :], axis=0)
        test, _ = OPERATORS[rule.operator]
        broken = ~(test(left, right) | np.isnan(left) | np.isnan(right))
        if broken.ndim == 0:
            if broken:
                violations.append(Violation(rule, float(left), float(right)))
        elif broken.any():
            violations.append(Violation(rule, left, right, broken))
    return violations


# -- reading rule files --------------------------------------------------------

_RULE_FIELDS = ({"left", "operator", "right", "description"}, {"importance"})


def _rule(path: str, rid: str, table: object, catalog: Catalog) -> Rule:
    fields = dict(checked_fields(path, rid, table, _RULE_FIELDS, "a rule"))
    fields["description"] = build_definition(
        path, rid, Text, **checked_fields(path, rid, fields["description"], TEXT_FIELDS, "description")
    )
    rule = build_definition(path, rid, Rule, id=rid, **fields)
    terms = catalog.terms
    for side in ("left", "right"):
        for term in getattr(rule, side):
            if term not in terms:
                close = difflib.get_close_matches(term, list(terms), n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise CatalogError(path, f"unknown term {term!r}{hint}", item=rid, field=side)
    # Sides are added and compared as plain numbers, so every term of a rule
    # must be counted in the same unit.
    units = {terms[t].unit for t in rule.terms}
    if len(units) > 1:
        listed = ", ".join(f"{t} ({terms[t].unit})" for t in rule.terms)
        raise CatalogError(path, f"terms in different units cannot be compared: {listed}", item=rid, field="right")
    return rule


def _load(documents: list[Document], catalog: Catalog) -> list[Rule]:
    owner: dict[str, str] = {}
    rules = []
    for doc in documents:
        check_top_level(doc, ("rules",))
        with located(doc, "rules"):
            for rid, table in table_of(doc, "rules").items():
                if rid in owner:
                    raise CatalogError(doc.path, f"already defined in {owner[rid]}", item=rid)
                owner[rid] = doc.path
                rules.append(_rule(doc.path, rid, table, catalog))
    return rules


def load_validation_rules(
    *paths: str | os.PathLike[str],
    include_bundled: bool = True,
    catalog: Catalog | None = None,
) -> list[Rule]:
    """Read rule files (and, by default, the bundled rules).

    Rules are validated against ``catalog`` (default: the bundled catalog;
    pass your own to write rules on your own terms).

    Raises
    ------
    CatalogError
        Naming the file, the rule and the field: unknown fields or terms,
        misspelled operators or importances, duplicate ids, a term on both
        sides, terms in different units.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "local_rules.toml"
    >>> _ = path.write_text('''
    ... [rules.screened_within_births]
    ... left = ["hearing_screened_newborns"]
    ... operator = "<="
    ... right = "women_giving_birth"
    ... importance = "low"
    ... description = { en = "Screened newborns rarely exceed mothers.", zh = "听力筛查数一般不超过产妇数" }
    ... ''', encoding="utf-8")
    >>> [str(rule) for rule in load_validation_rules(path, include_bundled=False)]
    ['hearing_screened_newborns <= women_giving_birth']
    """
    catalog = bundled_catalog() if catalog is None else catalog
    documents = bundled_documents("rules.toml") if include_bundled else []
    return _load(documents + read_documents(paths), catalog)


_bundled = Once(load_validation_rules)


def validation_rules() -> list[Rule]:
    """The bundled validation rules, read on first use, once.

    Examples
    --------
    >>> rules = {rule.id: rule for rule in validation_rules()}
    >>> str(rules["maternal_deaths_within_live_births"])
    'maternal_deaths <= live_births'
    """
    return list(_bundled.get())
