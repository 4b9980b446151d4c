"""The exception hierarchy of phindicators.

Every error the library raises on purpose derives from
:class:`PhindicatorsError`, and also from the standard base a caller would
expect, so that ``except PhindicatorsError``, ``except LookupError``,
``except ValueError`` and ``except TypeError`` all work::

    Exception
    └── PhindicatorsError
        ├── UnknownNameError             + LookupError   a name that is not found
        │   ├── UnknownIndicatorError                      indicator id or name
        │   ├── UnknownTargetSetError                      target set id
        │   └── UnknownTermError                           term id given counts
        ├── UnknownDomainError           + LookupError   domain of no indicator
        ├── InvalidCountsError           + ValueError    counts that give no valid value
        ├── InvalidOptionError           + ValueError    a usage error: misspelled option,
        │                                                  level out of range, bad period
        ├── InvalidTypeError             + TypeError     an argument of the wrong type
        │   └── serialize.SerializationError               a value with no JSON form
        ├── UnitError                    + ValueError    unknown unit, mixed dimensions
        ├── CatalogError                 + ValueError    a malformed catalog, target or
        │                                                  rule file (path, item, field, line)
        ├── DefinitionError              + ValueError    a definition that breaks the model
        ├── TargetError                  + ValueError    a target applied to what it
        │                                                  cannot judge
        └── ParseError                   + ValueError    text that is not a figure or period

    Warning
    └── UserWarning
        └── PhindicatorsWarning                          something done on request that a
                                                           reader should know (an override)

Messages name what was being worked on (the indicator, the file and the
definition), the field at fault and the offending value; errors on arrays
list the first bad positions. Anything else escaping the library (a bare
``ValueError`` from numpy, an ``OverflowError``) is a bug.

Examples
--------
>>> issubclass(UnknownIndicatorError, LookupError), issubclass(InvalidCountsError, ValueError)
(True, True)
>>> str(CatalogError("local.toml", "unknown unit 'pct'", item="imr", field="unit", line=12))
"local.toml: imr.unit: unknown unit 'pct' (line 12)"
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._text import number

__all__ = [
    "CatalogError",
    "DefinitionError",
    "InvalidCountsError",
    "InvalidOptionError",
    "InvalidTypeError",
    "ParseError",
    "PhindicatorsError",
    "PhindicatorsWarning",
    "TargetError",
    "UnitError",
    "UnknownDomainError",
    "UnknownIndicatorError",
    "UnknownNameError",
    "UnknownTargetSetError",
    "UnknownTermError",
]


#: How many offending positions an :class:`InvalidCountsError` lists.
SHOWN_POSITIONS = 5


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

    @classmethod
    def at(
        cls,
        indicator_id: str,
        field: str,
        problem: str,
        mask: np.ndarray,
        values: dict[str, np.ndarray],
        origin: tuple[int, ...] = (),
    ) -> InvalidCountsError:
        """The error for the elements where ``mask`` is true, listing the
        first few positions (offset by ``origin``, for a chunk of a larger
        array) with their ``values``.

        Examples
        --------
        >>> import numpy as np
        >>> x = np.array([3, -1, -2])
        >>> print(InvalidCountsError.at("imr", "numerator", "is negative", x < 0, {"numerator": x}))
        imr: numerator is negative (at 2 of 3 positions: (1,): numerator=-1; (2,): numerator=-2)
        """
        if mask.ndim == 0:
            shown = ", ".join(f"{name}={number(array)}" for name, array in values.items())
            return cls(indicator_id, field, problem, detail=f"got {shown}")
        local = [tuple(int(i) for i in p) for p in np.argwhere(mask)[:SHOWN_POSITIONS]]
        positions = [tuple(i + o for i, o in zip(p, origin, strict=True)) for p in local] if origin else local
        n_bad = int(np.count_nonzero(mask))
        listed = "; ".join(
            f"{p}: " + ", ".join(f"{name}={number(array[q])}" for name, array in values.items())
            for p, q in zip(positions, local, strict=True)
        )
        more = f"; and {n_bad - len(positions)} more" if n_bad > len(positions) else ""
        where = f"positions of the chunk at {origin}" if origin else "positions"
        return cls(
            indicator_id,
            field,
            problem,
            positions=positions,
            n_bad=n_bad,
            detail=f"at {n_bad} of {mask.size} {where}: {listed}{more}",
        )


class UnitError(PhindicatorsError, ValueError):
    """A unit name the library does not know, or a conversion between units
    of different dimensions."""


class CatalogError(PhindicatorsError, ValueError):
    """A catalog file (indicators, targets, rules, labels) is malformed.

    Attributes
    ----------
    path : str
        The file (or ``"<string>"`` for inline text).
    message : str
        What is wrong, without the location.
    item : str or None
        The id of the definition at fault, if any.
    field : str or None
        The field at fault, if any.
    line : int or None
        The line of the file where the definition or field is written, when
        it could be found (1-based).
    """

    def __init__(
        self,
        path: str,
        message: str,
        *,
        item: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = path
        self.message = message
        self.item = item
        self.field = field
        self.line = line
        where = path
        if item is not None:
            where += f": {item}"
        if field is not None:
            where += f".{field}"
        # The line goes last so that "path: item.field: message" stays one
        # searchable run of text.
        suffix = f" (line {line})" if line is not None else ""
        super().__init__(f"{where}: {message}{suffix}")

    def at_line(self, line: int | None) -> CatalogError:
        """The same error, located at ``line`` of its file."""
        return CatalogError(self.path, self.message, item=self.item, field=self.field, line=line)


class DefinitionError(PhindicatorsError, ValueError):
    """A definition (indicator, term, source, target) violates the model.

    Attributes
    ----------
    field : str
        The field at fault.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class InvalidOptionError(PhindicatorsError, ValueError):
    """An option outside its allowed values: a misspelled method name, an
    unknown language, a confidence level out of range. Never guessed."""


class InvalidTypeError(PhindicatorsError, TypeError):
    """An argument of a type the function does not take: a number where text
    is read (:func:`~phindicators.figures.parse_figure`,
    :func:`~phindicators.extract.extract`), bytes where a catalog's TOML text
    is expected.

    Examples
    --------
    >>> from phindicators.figures import parse_figure
    >>> try:
    ...     parse_figure(95.5)
    ... except TypeError as error:
    ...     print(type(error).__name__, error)
    InvalidTypeError parse_figure reads a string, got float
    """


class TargetError(PhindicatorsError, ValueError):
    """A target applied to something it cannot judge: another indicator's
    result, a value that is not a number, or a relative target whose baseline
    is neither stored nor supplied."""


#: How much of an unreadable text a :class:`ParseError` message quotes.
QUOTED_CHARACTERS = 80


class ParseError(PhindicatorsError, ValueError):
    """Text that cannot be read as a figure (or a table cell, or a name).

    Attributes
    ----------
    text : str
        The offending text, quoted in the message (its first
        :data:`phindicators.errors.QUOTED_CHARACTERS` characters if longer).
    """

    def __init__(self, text: str, message: str) -> None:
        self.text = text
        shown = str(text)
        quoted = shown if len(shown) <= QUOTED_CHARACTERS else shown[: QUOTED_CHARACTERS - 1] + "…"
        super().__init__(f"cannot read {quoted!r}: {message}")


class PhindicatorsWarning(UserWarning):
    """Something done on request that a reader of the output should know,
    such as a user catalog replacing a bundled definition
    (``load_catalog(..., override=True)``).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("local.toml: indicator 'imr' replaces the bundled one", PhindicatorsWarning)
    >>> issubclass(caught[0].category, UserWarning)
    True
    """


class FileError(PhindicatorsError, OSError):
    """A file that cannot be read or written as asked: not a regular file (a
    FIFO, a device, a directory), larger than the input limit, or no name.
    It is an OSError too, so handlers of unreadable files take it.

    Examples
    --------
    >>> import errno
    >>> error = FileError(errno.EFBIG, "big.csv is larger than the input limit of 512 MiB")
    >>> isinstance(error, OSError), error.strerror
    (True, 'big.csv is larger than the input limit of 512 MiB')
    """


class SerializationError(InvalidTypeError):
    """A value, or a field type, that has no JSON form: ``to_dict(42)``, a
    field annotated with a type the converter does not know.

    Examples
    --------
    >>> from phindicators.serialize import to_dict
    >>> try:
    ...     to_dict(42)
    ... except TypeError as error:
    ...     print(error)
    to_dict takes an attrs object, got 42
    """
