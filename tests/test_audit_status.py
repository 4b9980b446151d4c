"""The status-only audit of a pair of counts gives what :func:`audit` gives.

``extract`` judges every pair of counts of a sentence by
:func:`phindicators.audit.audit_status` (floats where they decide, exact
fractions near an edge) and builds a whole verdict only for the chosen pair;
a status that differed from the verdict's would choose another pair.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import phindicators as ph
from phindicators.audit import audit, audit_status
from phindicators.errors import PhindicatorsError
from phindicators.figures import parse_figure

INDICATORS = ["premarital_checkup_rate", "maternal_mortality_ratio", "infant_mortality_rate"]
SIGNS = ["%", "‰", "/10万", "/万", ""]
BOUNDS = ["{}", "{}以上", "超过{}", "{}以下", "低于{}", "约{}"]
COUNT_UNITS = ["人", "万人", "例", "元", ""]


def _same(indicator: str, figure: str, numerator: str, denominator: str) -> None:
    definition = ph.get(indicator)
    try:
        reported = parse_figure(figure).for_indicator(definition)
    except PhindicatorsError:
        return
    n, d = parse_figure(numerator), parse_figure(denominator)
    try:
        expected = audit(definition, reported, n, d).status
    except PhindicatorsError as error:
        expected = type(error)
    try:
        got = audit_status(definition, reported, n, d)
    except PhindicatorsError as error:
        got = type(error)
    assert got == expected, (indicator, figure, numerator, denominator)


def test_edges_of_rounding_and_truncation() -> None:
    # Exactly on the edges of what 99.76% allows: 0.99755 and 0.99765, and the
    # truncation window [99.76, 99.77).
    for numerator, denominator in [
        ("19951", "20000"),  # 99.755: the lower rounding edge
        ("19953", "20000"),  # 99.765: the upper rounding edge
        ("19954", "20000"),  # 99.77: past truncation
        ("1660", "1664"),
        ("1664", "1664"),
        ("0", "1664"),
    ]:
        for figure in ("99.76%", "99.76%以上", "超过99.76%", "低于99.76%", "约99.76%", "100%"):
            _same("premarital_checkup_rate", figure, numerator, denominator)
    _same("maternal_mortality_ratio", "92.68/10万", "2", "2158")
    _same("maternal_mortality_ratio", "9.268/万", "2", "2158")
    _same("maternal_mortality_ratio", "92.68/10万", "2", "0.2158万")


@settings(max_examples=300, deadline=None)
@given(
    indicator=st.sampled_from(INDICATORS),
    value=st.decimals(min_value=0, max_value=200, places=2, allow_nan=False),
    sign=st.sampled_from(SIGNS),
    bound=st.sampled_from(BOUNDS),
    numerator=st.integers(min_value=0, max_value=5000),
    denominator=st.integers(min_value=0, max_value=20000),
    numerator_unit=st.sampled_from(COUNT_UNITS),
    denominator_unit=st.sampled_from(COUNT_UNITS),
)
def test_status_is_the_verdicts(
    indicator: str,
    value: Decimal,
    sign: str,
    bound: str,
    numerator: int,
    denominator: int,
    numerator_unit: str,
    denominator_unit: str,
) -> None:
    _same(
        indicator,
        bound.format(f"{value}{sign}"),
        f"{numerator}{numerator_unit}",
        f"{denominator}{denominator_unit}",
    )
