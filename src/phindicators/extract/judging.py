"""Choosing the counts of a figure and auditing it."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import permutations

import attrs

from ..audit import Status, Verdict, audit, audit_status
from ..errors import PhindicatorsError
from ..figures import Figure
from ..model import KINDS, Indicator
from ..units import UNITS
from .model import Candidate, Count

# Pairs are tried among at most this many counts nearest the figure (a
# report's sentence gives a handful; this bounds the work on odd text).
_MAX_COUNTS = 8

def _pairs(indicator: Indicator, counts: Sequence[Count]) -> list[tuple[Count, Count]]:
    """Ordered (numerator, denominator) pairs whose units fit the definition."""
    if indicator.denominator is None:
        return []
    within = KINDS[indicator.kind].numerator_within_denominator
    return [
        (n, d)
        for n, d in permutations(counts, 2)
        if _dimension(n.figure) == UNITS[indicator.numerator.unit].dimension
        and _dimension(d.figure) == UNITS[indicator.denominator.unit].dimension
        and d.figure.value != 0
        and not (within and n.figure.value > d.figure.value)
    ]


def _dimension(figure: Figure) -> str:
    return UNITS[figure.unit or "count"].dimension


def _try(
    indicator: Indicator, figure: Figure, numerator: Count | None = None, denominator: Count | None = None
) -> Verdict | None:
    try:
        return audit(
            indicator,
            figure,
            None if numerator is None else numerator.figure,
            None if denominator is None else denominator.figure,
        )
    except PhindicatorsError:
        return None


def _pair_status(indicator: Indicator, figure: Figure, numerator: Count, denominator: Count) -> Status | None:
    """The status :func:`_try` would give a pair of counts (None where it gives none)."""
    try:
        return audit_status(indicator, figure, numerator.figure, denominator.figure)
    except PhindicatorsError:
        return None


def _verdict(indicator: Indicator, figure: Figure, numerator: Count, denominator: Count) -> Verdict:
    """The verdict of a pair whose status :func:`_pair_status` gave: the same checks pass."""
    verdict = _try(indicator, figure, numerator, denominator)
    assert verdict is not None
    return verdict


def _single_role(indicator: Indicator, count: Count, share: bool) -> str | None:
    """Which count a lone count is: by the sentence's construction, its words or its unit."""
    if share:
        return "numerator"
    for role in ("numerator", "denominator"):
        term = getattr(indicator, role)
        if term is not None and count.term is not None and count.term.id == term.id:
            return role
    if indicator.denominator is None:
        return None
    # Money over people ("人均住院补助"): the unit says which count it is.
    dimensions = {
        role: UNITS[getattr(indicator, role).unit].dimension for role in ("numerator", "denominator")
    }
    if dimensions["numerator"] == dimensions["denominator"]:
        return None
    return next((role for role, dim in dimensions.items() if dim == _dimension(count.figure)), None)


@attrs.frozen
class _Choice:
    """The counts a figure is checked against, and the verdict."""

    counts: tuple[Count, ...]
    candidates: tuple[Candidate, ...]
    verdict: Verdict
    numerator: Count | None = None
    denominator: Count | None = None


def _judge(
    indicator: Indicator, figure: Figure, own: Sequence[Count], borrowed: Sequence[Count], share: bool
) -> _Choice:
    """Choose the counts of a figure and audit it.

    The pair of counts that reproduces the figure wins (the definition's
    denominator first, then a rounded over a truncated match, then the pair
    nearest the figure); a mention with no pair of its own draws on the
    counts of the mention before it ("体检率100%,培训率100%"). A single pair
    that does not reproduce the figure is audited as it stands: the units and
    the kind left no other reading. A lone count is used when the sentence's
    construction, its words or its unit say which count it is.
    """
    counts = tuple(own)
    pairs = [] if share else _pairs(indicator, counts[-_MAX_COUNTS:])
    if not pairs and not share and borrowed:
        counts = (*borrowed, *own)
        pairs = _pairs(indicator, counts[-_MAX_COUNTS:])
    if len(pairs) == 1:
        # One pair: its whole verdict is the one chosen whatever its status
        # (reproducing, or the only usable pair), so no separate status.
        n, d = pairs[0]
        verdict = _try(indicator, figure, n, d)
        if verdict is not None:
            return _Choice(counts, (Candidate(n, d, verdict.status),), verdict, n, d)
    # Every pair gets its status; only the chosen pair gets a whole verdict
    # (reason, result, likely cause), which costs several times more.
    tried = [(n, d, _pair_status(indicator, figure, n, d)) for n, d in pairs]
    candidates = tuple(Candidate(n, d, status) for n, d, status in tried if status is not None)
    reproducing = [
        (n, d, status)
        for n, d, status in tried
        if status is Status.CONSISTENT or status is Status.TRUNCATED
    ]
    if reproducing:

        def preference(entry: tuple[Count, Count, Status]) -> tuple[bool, bool, int]:
            n, d, status = entry
            definitions = (
                indicator.denominator is not None
                and d.term is not None
                and d.term.id == indicator.denominator.id
            )
            return (not definitions, status is not Status.CONSISTENT, -(n.start + d.start))

        n, d, _ = min(reproducing, key=preference)
        return _Choice(counts, candidates, _verdict(indicator, figure, n, d), n, d)
    usable = [(n, d) for n, d, status in tried if status is not None]
    if len(usable) == 1:
        n, d = usable[0]
        return _Choice(counts, candidates, _verdict(indicator, figure, n, d), n, d)
    base = _try(indicator, figure)
    assert base is not None  # the figure was parsed for this indicator
    if usable:
        reason = (
            f"None of the {len(usable)} pairs of counts in the sentence reproduces "
            f"{figure.text}, and the words do not say which pair is the numerator and denominator."
        )
        return _Choice(counts, candidates, attrs.evolve(base, reason=reason))
    if len(own) == 1:
        role = _single_role(indicator, own[0], share)
        lone = None if role is None else _try(indicator, figure, **{role: own[0]})
        if lone is not None:
            return _Choice(counts, candidates, lone, **{role: own[0]})  # type: ignore[arg-type]
    return _Choice(counts, candidates, base)
