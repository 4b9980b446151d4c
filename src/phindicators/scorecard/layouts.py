"""The two layouts of a scorecard table (long and wide), and the rows of each
indicator that are ready to compute."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence

import attrs
import numpy as np

from ..catalog import Catalog
from ..errors import ParseError
from ..model import KINDS, Indicator
from ..rules import Rule, check_counts
from .reading import EMPTY, Report, Table, checked_cells, number_cells, texts
from .rows import (
    HEADER_ALIASES,
    LONG_COLUMNS,
    WIDE_KEYS,
    RowError,
    RowViolation,
    plain_number,
)

__all__ = ["Group", "Keys", "checked_pairs", "computable", "layout", "long_groups", "row_keys", "wide_groups"]


@attrs.frozen
class Group:
    """The rows of one indicator that are ready to compute."""

    indicator: Indicator
    rows: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray | None


def layout(names: Sequence[str], catalog: Catalog) -> str:
    present = set(names)
    if "indicator" in present:
        missing = [c for c in LONG_COLUMNS if c not in present]
        unknown = [c for c in names if c not in LONG_COLUMNS]
        if missing:
            raise ParseError(",".join(names), f"a long table needs the columns {', '.join(missing)}")
        if unknown:
            raise ParseError(
                unknown[0],
                f"not a column of a long table (columns: {', '.join(LONG_COLUMNS)}); "
                "a table has either an indicator column or term columns",
            )
        return "long"
    missing = [c for c in WIDE_KEYS if c not in present]
    if missing:
        raise ParseError(
            ",".join(names),
            "a table needs the columns indicator, area, period, numerator, denominator (long) "
            f"or area, period and term ids (wide); missing: {', '.join(missing)}",
        )
    terms = catalog.terms
    for name in names:
        if name not in WIDE_KEYS and name not in terms:
            names = [t.name_zh for t in terms.values()] + [t.name_en for t in terms.values()]
            close = difflib.get_close_matches(name, list(terms) + names + list(HEADER_ALIASES), n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ParseError(name, f"not a term of the catalog (by id or name){hint}")
    if not computable(names, catalog):
        raise ParseError(",".join(names), "no indicator of the catalog has all its terms among the columns")
    return "wide"


def computable(names: Iterable[str], catalog: Catalog) -> list[Indicator]:
    present = set(names)
    return [
        indicator
        for indicator in catalog
        if indicator.numerator.id in present
        and (indicator.denominator is None or indicator.denominator.id in present)
    ]


def _first_occurrences(report: Report, keys: Keys, rows: np.ndarray, indicator: str = "") -> np.ndarray:
    """The positions in ``rows`` whose area and period are seen for the
    first time; later ones are reported as duplicates, in row order."""
    pairs = keys.pairs[rows]
    _, first, where = np.unique(pairs, return_index=True, return_inverse=True)
    seen = rows[first[where.reshape(-1)]]
    later = np.flatnonzero(seen != rows)
    for index in later.tolist():
        row, other = int(rows[index]), int(seen[index])
        report.errors.append(
            RowError(
                line=int(report.data.lines[row]),
                problem="duplicate",
                indicator=indicator,
                value=f"{keys.areas[row]} / {keys.periods[row]}",
                other_line=int(report.data.lines[other]),
            )
        )
    keep = np.ones(rows.size, dtype=bool)
    keep[later] = False
    return rows[keep]


@attrs.frozen
class Keys:
    """The area and period of every row, and where either is empty."""

    areas: list[str]
    periods: list[str]
    empty: np.ndarray
    #: A number per distinct (area, period) pair, per row.
    pairs: np.ndarray
    #: A number per distinct area (in order of first appearance), per row.
    area_codes: np.ndarray
    #: A number per distinct period, per row, and the periods so numbered.
    period_codes: np.ndarray
    period_labels: list[str]


def _numbered(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """A number per distinct text (in order of first appearance), per row,
    and the distinct texts."""
    distinct = list(dict.fromkeys(texts))  # C loops, no Python per row
    numbers = {text: number for number, text in enumerate(distinct)}
    return np.fromiter(map(numbers.__getitem__, texts), np.int64, len(texts)), distinct


def row_keys(data: Table, report: Report) -> Keys:
    areas, area_empty = texts(data, "area")
    periods, period_empty = texts(data, "period")
    report.add(area_empty, "empty", "area")
    report.add(period_empty, "empty", "period")
    area_codes, _ = _numbered(areas)
    period_codes, labels = _numbered(periods)
    pairs = area_codes * max(len(labels), 1) + period_codes
    return Keys(areas, periods, area_empty | period_empty, pairs, area_codes, period_codes, labels)


def long_groups(data: Table, catalog: Catalog, report: Report, keys: Keys) -> list[Group]:
    names, name_empty = texts(data, "indicator")
    report.add(name_empty, "empty", "indicator")
    found = {name: catalog.lookup(name) for name in set(names) if name}
    ids = [found[name].id if found.get(name) else "" for name in names]  # type: ignore[union-attr]
    unknown = np.array([bool(name) and not found[name] for name in names], dtype=bool).reshape(-1)
    for position in np.flatnonzero(unknown).tolist():
        report.errors.append(
            RowError(
                line=int(data.lines[position]),
                problem="unknown_indicator",
                column="indicator",
                value=names[position],
                suggestions=catalog.suggest(names[position], n=3),
            )
        )
    usable = ~(name_empty | keys.empty | unknown)
    codes = np.array(ids, dtype=object).reshape(-1)
    numerators, denominators = number_cells(data, "numerator"), number_cells(data, "denominator")
    groups = []
    for indicator in catalog:
        rows = np.flatnonzero(usable & (codes == indicator.id))
        if not rows.size:
            continue
        rows = _first_occurrences(report, keys, rows, indicator.id)
        numerator = checked_cells(
            report, "numerator", numerators, indicator.numerator.unit, rows, indicator.id
        )
        ok = ~np.isnan(numerator)
        denominator = None
        if indicator.denominator is None:
            given = denominators[1][rows] != EMPTY
            report.add(given, "count_has_no_denominator", "denominator", indicator.id, rows=rows)
            ok &= ~given
        else:
            denominator = checked_cells(
                report, "denominator", denominators, indicator.denominator.unit, rows, indicator.id
            )
            ok &= ~np.isnan(denominator)
            denominator = denominator[ok]
        groups.append(Group(indicator, rows[ok], numerator[ok], denominator))
    return groups


def wide_groups(
    data: Table, catalog: Catalog, report: Report, keys: Keys, rules: Iterable[Rule] | None
) -> tuple[list[Group], list[RowViolation]]:
    areas, periods = keys.areas, keys.periods
    rows = np.flatnonzero(~keys.empty)
    rows = _first_occurrences(report, keys, rows)
    terms = [name for name in data.columns if name not in WIDE_KEYS]
    counts = {
        term: checked_cells(report, term, number_cells(data, term), catalog.terms[term].unit, rows)
        for term in terms
    }
    violations = []
    for violation in check_counts(counts, rules, catalog=catalog):
        rule = violation.rule
        mask = np.zeros(rows.size, dtype=bool) if violation.mask is None else violation.mask
        left = np.broadcast_to(violation.left, rows.shape)
        right = np.broadcast_to(violation.right, rows.shape)
        for index in np.flatnonzero(mask).tolist():
            row = int(rows[index])
            violations.append(
                RowViolation(
                    line=int(data.lines[row]),
                    area=areas[row],
                    period=periods[row],
                    rule=rule.id,
                    importance=rule.importance,
                    statement=str(rule),
                    terms=rule.terms,
                    operator=rule.operator,
                    left=float(left[index]),
                    right=float(right[index]),
                    description=rule.description,
                )
            )
    groups = []
    for indicator in computable(terms, catalog):
        numerator = counts[indicator.numerator.id]
        present = ~np.isnan(numerator)
        denominator = None
        if indicator.denominator is not None:
            denominator = counts[indicator.denominator.id]
            present &= ~np.isnan(denominator)
            denominator = denominator[present]
        groups.append(Group(indicator, rows[present], numerator[present], denominator))
    return groups, violations


# Checks of a numerator against its denominator: the checks
# validate_counts makes of the pair, per row.
_PAIR_CHECKS: tuple[tuple[str, Callable[[np.ndarray, np.ndarray, bool], np.ndarray]], ...] = (
    ("zero_denominator", lambda num, den, within: den == 0),
    ("exceeds_denominator", lambda num, den, within: (num > den) if within else np.zeros(num.shape, bool)),
)


def checked_pairs(report: Report, group: Group, denominator_column: str) -> Group:
    """The group without the rows whose numerator and denominator cannot
    go together; each is reported."""
    if group.denominator is None:
        return group
    within = KINDS[group.indicator.kind].numerator_within_denominator
    failed = np.zeros(group.rows.size, dtype=bool)
    num, den = group.numerator, group.denominator
    rows = group.rows

    def shown(row: int) -> str:
        index = int(np.searchsorted(rows, row))
        if num[index] > den[index]:
            return f"{plain_number(num[index])} > {plain_number(den[index])}"
        return plain_number(den[index])

    for problem, test in _PAIR_CHECKS:
        bad = test(num, den, within) & ~failed
        report.add(bad, problem, denominator_column, group.indicator.id, rows=rows, values=shown)
        failed |= bad
    keep = ~failed
    return Group(group.indicator, group.rows[keep], num[keep], den[keep])
