"""Figure-reading cases that the mutation run of TEST_STRENGTH.md found untested."""

from __future__ import annotations

import pytest

from phindicators.errors import ParseError
from phindicators.figures import MAX_DIGITS, match_figure, parse_figure


def test_fifty_digits_with_a_decimal_point_are_a_figure() -> None:
    text = "1" * (MAX_DIGITS - 1) + ".5"
    assert len(text.replace(".", "")) == 50
    assert parse_figure(text).decimals == 1


def test_fifty_one_digits_are_not() -> None:
    with pytest.raises(ParseError, match="more than 50 digits"):
        parse_figure("1" * MAX_DIGITS + ".5")


@pytest.mark.parametrize(("text", "position"), [("2023.10.5", 5), ("v1.36%", 3)])
def test_no_figure_starts_just_after_a_point(text: str, position: int) -> None:
    # "10.5" of a date, "36%" of a version number: cut out of a longer number.
    assert match_figure(text, position) is None
