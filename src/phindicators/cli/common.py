"""What every command shares: usage errors and the names an indicator is shown by."""

from __future__ import annotations

from phindicators.model import Indicator

#: Tables with more data lines than this get a progress bar on stderr (when
#: stderr is a terminal); smaller ones take a couple of seconds at most.
LARGE_INPUT = 200_000

#: The table ``scorecard`` reads when given no file (package data).
EXAMPLE_TABLE = ("examples", "scorecard_example.csv")


class UsageError(Exception):
    """Bad usage the parser cannot see; main() prints it and exits 2."""


def indicator_name(indicator: Indicator, lang: str) -> str:
    return indicator.name_zh if lang == "zh" else indicator.name_en
