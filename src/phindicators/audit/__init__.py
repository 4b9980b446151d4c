"""Judging published figures against their counts.

:func:`audit` recomputes an indicator from the counts a report gives and
compares it with the figure the report printed, at the precision the figure
was printed with: "96.1%" allows ±0.05 points (half a unit in the last
printed place), "95.52%" ±0.005. All boundaries are decided in exact rational
arithmetic (:class:`fractions.Fraction`), never with a float epsilon, so
2067/2164 = 95.5176…% is consistent with "95.52%" and 13178/14167 = 93.0190…%
is not consistent with "93.01%" but is that value *cut* after two decimals
(truncated, not rounded).

When a figure does not add up, the likely causes are tried in order from one
table, :data:`CAUSES` (numerator and denominator swapped, the wrong unit sign,
a completion rate printed as a coverage, a power-of-ten slip such as 万元 read
as 元).

:func:`infer_count` works backwards: from a published rate and one count, the
range of the other count that the rounding allows. :func:`check_parts`
checks that parts add up to a total.

Examples
--------
>>> from phindicators import get
>>> audit(get("maternal_systematic_management_rate"), "95.52%", 2067, 2164).status
<Status.CONSISTENT: 'consistent'>
>>> list(infer_count(get("maternal_mortality_ratio"), "92.68/10万", numerator=2))
[2158]
"""

from __future__ import annotations

# Importable from here as before the split: what check_target answers, and the
# largest power of ten a count may have.
from ..compare import TargetStatus as TargetStatus
from .arithmetic import MAX_EXPONENT as MAX_EXPONENT
from .causes import CAUSE_RELATIVE_TOLERANCE, CAUSES
from .judging import audit, audit_status, infer_count
from .model import Cause, Status, Verdict
from .parts import PartsCheck, check_parts
from .plans import TargetCheck, check_target

__all__ = [
    "CAUSES",
    "CAUSE_RELATIVE_TOLERANCE",
    "Cause",
    "PartsCheck",
    "Status",
    "TargetCheck",
    "Verdict",
    "audit",
    "audit_status",
    "check_parts",
    "check_target",
    "infer_count",
]
