"""The verdicts of an audit: status, likely cause and the verdict on one printed figure."""

from __future__ import annotations

import enum
from fractions import Fraction

import attrs

from ..compute import Result
from ..figures import Figure
from ..model import Indicator
from .arithmetic import _display


class Status(enum.StrEnum):
    """The verdict on a published figure.

    Examples
    --------
    >>> Status("truncated") is Status.TRUNCATED
    True
    """

    CONSISTENT = "consistent"
    TRUNCATED = "truncated"
    INCONSISTENT = "inconsistent"
    IMPOSSIBLE = "impossible"
    UNVERIFIABLE = "unverifiable"


@attrs.frozen
class Cause:
    """A likely reason why a figure does not add up.

    Attributes
    ----------
    name : str
        A key of :data:`CAUSES`.
    description : str
        What went wrong, in words a report's author understands.
    predicted : Fraction or None
        The figure the slip would print, in the printed figure's unit (None
        for causes that predict no number).
    exact : bool
        Whether ``predicted`` matches the printed figure at its printed
        precision, rather than only approximately.

    Examples
    --------
    >>> from phindicators.audit import audit
    >>> from phindicators import get
    >>> cause = audit(get("maternal_systematic_management_rate"), "104.69%", 2067, 2164).cause
    >>> cause.name, cause.exact
    ('swapped', True)
    """

    name: str
    description: str
    predicted: Fraction | None
    exact: bool


@attrs.frozen
class Verdict:
    """The verdict of :func:`audit` on one printed figure.

    Attributes
    ----------
    status : Status
        consistent, truncated, inconsistent, impossible or unverifiable.
    indicator : Indicator
        What the figure reports.
    reported : Figure
        The printed figure, with its unit resolved.
    result : Result or None
        The indicator recomputed from the counts (None without counts).
    recomputed : Fraction or None
        The exact value the counts give, in the printed figure's unit.
    difference : Fraction or None
        ``reported - recomputed``, in the printed figure's unit.
    tolerance : Fraction
        What rounding to the printed precision allows (half a unit in the last
        printed place).
    cause : Cause or None
        The likely cause when the figure does not add up and one fits.
    reason : str
        The verdict explained in one or two sentences.
    inferred : range or None
        With only one count given, the values of the other that the printed
        figure allows (see :func:`infer_count`).

    Examples
    --------
    >>> from phindicators.audit import audit
    >>> from phindicators import get
    >>> verdict = audit(get("child_systematic_management_rate_0_6"), "93.01%", 13178, 14167)
    >>> verdict.status, verdict.expected
    (<Status.TRUNCATED: 'truncated'>, '93.02%')
    """

    status: Status
    indicator: Indicator = attrs.field(repr=lambda indicator: repr(indicator.id))
    reported: Figure
    result: Result | None = attrs.field(repr=False)
    recomputed: Fraction | None
    difference: Fraction | None
    tolerance: Fraction
    cause: Cause | None
    reason: str
    inferred: range | None = None

    @property
    def expected(self) -> str | None:
        """What the report should have printed: the recomputed value rounded
        half-up to the printed precision, with the printed unit's sign."""
        if self.recomputed is None:
            return None
        return _display(self.recomputed, self.reported.unit or "count", self.reported.decimals)
