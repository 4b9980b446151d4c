"""The exception hierarchy of phindicators.

Every error the library raises on purpose derives from
:class:`PhindicatorsError`, and also from the standard base a caller would
expect (:class:`LookupError` for names that are not found, :class:`ValueError`
for bad values), so both ``except PhindicatorsError`` and ``except ValueError``
work.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CatalogError",
    "DefinitionError",
    "InvalidCountsError",
    "InvalidOptionError",
    "ParseError",
    "PhindicatorsError",
    "TargetError",
    "UnitError",
    "UnknownDomainError",
    "UnknownIndicatorError",
    "UnknownNameError",
    "UnknownTargetSetError",
    "UnknownTermError",
]


class PhindicatorsError(Exception):
    """Base class of every error raised by phindicators."""


class UnknownNameError(PhindicatorsError, LookupError):
    """Base of the errors for a name that is not found.

    Attributes
    ----------
    query : str
        What was looked up.
    suggestions : tuple of str
        Close matches, best first; may be empty.
    """

    #: What kind of thing was looked up, for the message.
    what = "name"

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        message = f"no {self.what} named {query!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(map(repr, self.suggestions)) + "?"
        super().__init__(message)

    def __str__(self) -> str:
        # LookupError would otherwise repr() the message, as KeyError does.
        return str(self.args[0])


class UnknownIndicatorError(UnknownNameError):
    """No indicator has the requested id or name."""

    what = "indicator"


class UnknownTargetSetError(UnknownNameError):
    """No target set has the requested id."""

    what = "target set"


class UnknownTermError(UnknownNameError):
    """Counts given for a term id that no catalog term has."""

    what = "term"


class UnknownDomainError(PhindicatorsError, LookupError):
    """No indicator belongs to the requested domain."""

    def __init__(self, domain: str, domains: Sequence[str]) -> None:
        self.domain = domain
        super().__init__(f"no domain {domain!r}; domains are: {', '.join(domains)}")

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidCountsError(PhindicatorsError, ValueError):
    """Counts that cannot give a valid value for an indicator.

    Attributes
    ----------
    indicator_id : str
        The indicator being computed.
    field : str
        ``"numerator"``, ``"denominator"`` or both (``"numerator/denominator"``).
    positions : tuple of tuple of int
        For arrays, the first offending positions (at most a few); empty for
        scalars.
    n_bad : int
        How many elements are bad in total (1 for scalars).
    """

    def __init__(
        self,
        indicator_id: str,
        field: str,
        problem: str,
        *,
        positions: Sequence[tuple[int, ...]] = (),
        n_bad: int = 1,
        detail: str = "",
    ) -> None:
        self.indicator_id = indicator_id
        self.field = field
        self.problem = problem
        self.positions = tuple(positions)
        self.n_bad = n_bad
        message = f"{indicator_id}: {field} {problem}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class UnitError(PhindicatorsError, ValueError):
    """A unit name the library does not know, or a conversion between units
    of different dimensions."""


class CatalogError(PhindicatorsError, ValueError):
    """A catalog file is malformed.

    Attributes
    ----------
    path : str
        The file (or ``"<string>"`` for inline text).
    item : str or None
        The id of the definition at fault, if any.
    field : str or None
        The field at fault, if any.
    """

    def __init__(
        self, path: str, message: str, *, item: str | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.item = item
        self.field = field
        where = path
        if item is not None:
            where += f": {item}"
        if field is not None:
            where += f".{field}"
        super().__init__(f"{where}: {message}")


class DefinitionError(PhindicatorsError, ValueError):
    """A definition (indicator, term, source, target) violates the model.

    Attributes
    ----------
    field : str
        The field at fault.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


class InvalidOptionError(PhindicatorsError, ValueError):
    """An option outside its allowed values: a misspelled method name, an
    unknown language, a confidence level out of range. Never guessed."""


class TargetError(PhindicatorsError, ValueError):
    """A target applied to something it cannot judge: another indicator's
    result, a value that is not a number, or a relative target whose baseline
    is neither stored nor supplied."""


class ParseError(PhindicatorsError, ValueError):
    """Text that cannot be read as a figure (or a table cell, or a name).

    Attributes
    ----------
    text : str
        The offending text, quoted in the message.
    """

    def __init__(self, text: str, message: str) -> None:
        self.text = text
        super().__init__(f"cannot read {text!r}: {message}")
