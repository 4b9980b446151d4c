"""Periods: the days a count covers, parsed from report text, and how a
part-year value scales to a year.

A report often covers part of a year ("1-10月"). A :class:`Period` says which
days the counts cover and travels with the :class:`~phindicators.Result`;
:func:`phindicators.annualise` uses :meth:`Period.annual_factor`.

Examples
--------
>>> Period.parse("2023年1-10月").days
304
>>> str(Period.year(2023))
'2023年'
"""

from __future__ import annotations

import datetime
import operator
import re

import attrs

from ._text import shown
from .errors import InvalidOptionError, ParseError

__all__ = ["Period"]


def _is_date(instance: object, attribute: attrs.Attribute, value: object) -> None:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise InvalidOptionError(f"Period.{attribute.name} must be a datetime.date, got {value!r}")


def _month_end(year: int, month: int) -> datetime.date:
    """The last day of a month (the day before the first of the next; for
    December, the 31st, as the next January may be beyond year 9999)."""
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _int(value: object) -> int | None:
    """``value`` as an int if it is an integer (bool is not), else None."""
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        return None


def _year(value: object) -> int:
    """``value`` as a year :class:`datetime.date` can hold (its own errors
    would not say which option is wrong)."""
    year = _int(value)
    if year is None or not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise InvalidOptionError(
            f"year must be a whole number from {datetime.MINYEAR} to {datetime.MAXYEAR}, got {shown(value)}"
        )
    return year


_DASH = r"\s*[-－~～—–至到]\s*"
_MONTH = r"(1[0-2]|0?[1-9])"

# (pattern, how to build the period from its groups); tried in order.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^(?:(\d{{4}})\s*年)?\s*{_MONTH}{_DASH}{_MONTH}\s*月(?:份)?$"), "months"),
    (re.compile(rf"^(?:(\d{{4}})\s*年)?\s*{_MONTH}\s*月(?:份)?$"), "month"),
    (re.compile(r"^(\d{4})\s*年(?:度|全年)?$"), "year"),
    (re.compile(rf"^(\d{{4}})-{_MONTH}(?:/|{_DASH})(\d{{4}})-{_MONTH}$"), "iso"),
)


@attrs.frozen
class Period:
    """The days a result's counts cover, first and last included.

    Attributes
    ----------
    start, end : datetime.date
        First and last day.
    label : str
        How the report names it ("2023年1-10月"); "" if made from dates.

    Examples
    --------
    >>> period = Period.months(2023, 1, 10)
    >>> period.start, period.end, period.days
    (datetime.date(2023, 1, 1), datetime.date(2023, 10, 31), 304)
    >>> round(period.annualisation_factor(), 4), period.annualisation_factor("months")
    (1.2007, 1.2)
    """

    start: datetime.date = attrs.field(validator=_is_date)
    end: datetime.date = attrs.field(validator=_is_date)
    label: str = ""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidOptionError(f"a period ends after it starts, got {self.start} to {self.end}")

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year``.

        Examples
        --------
        >>> Period.year(2024).days
        366

        Raises
        ------
        InvalidOptionError
            A year that is not a whole number from 1 to 9999.
        """
        year = _year(year)
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}年")

    @classmethod
    def months(cls, year: int, first: int, last: int) -> Period:
        """Months ``first`` to ``last`` of ``year``, as in "1-10月".

        Raises
        ------
        InvalidOptionError
            A year that is not a whole number from 1 to 9999, months that
            are not whole numbers, outside 1..12 or in the wrong order.
        """
        year = _year(year)
        first_month, last_month = _int(first), _int(last)
        if first_month is None or last_month is None or not 1 <= first_month <= last_month <= 12:
            raise InvalidOptionError(
                f"months must satisfy 1 <= first <= last <= 12, got {shown(first)} and {shown(last)}"
            )
        end = _month_end(year, last_month)
        label = f"{year}年{first_month}月" if first_month == last_month else f"{year}年{first_month}-{last_month}月"
        return cls(datetime.date(year, first_month, 1), end, label)

    @classmethod
    def parse(cls, text: str, *, year: int | None = None) -> Period:
        """Read a period as reports print it.

        Accepts "2023年", "2023年度", "2023年1-10月" (with "-", "～", "至"...),
        "2023年3月", "1-6月" or "3月" with ``year`` given, and
        "2023-01/2023-10".

        Raises
        ------
        ParseError
            Text in none of these forms, a month range without a year, or a
            period that is no real one (year 0000, months in the wrong order).
        InvalidOptionError
            ``text`` that is not a string.

        Examples
        --------
        >>> Period.parse("2023年1～6月").label
        '2023年1-6月'
        >>> Period.parse("1-6月", year=2022).end
        datetime.date(2022, 6, 30)
        """
        if not isinstance(text, str):
            raise InvalidOptionError(f"a period to parse must be a string, got {type(text).__name__}")
        cleaned = text.strip()
        for pattern, form in _PATTERNS:
            match = pattern.match(cleaned)
            if match is None:
                continue
            groups = match.groups()
            found = int(groups[0]) if groups[0] else year
            if found is None:
                raise ParseError(text, "the period names no year; pass year=")
            try:
                if form == "iso":
                    y1, m1, y2, m2 = (int(g) for g in groups)
                    start = cls.months(y1, m1, m1).start
                    return cls(start, cls.months(y2, m2, m2).end, cleaned)
                if form == "year":
                    return cls.year(found)
                months = [int(g) for g in groups[1:]]
                return cls.months(found, months[0], months[-1])
            except InvalidOptionError as error:
                raise ParseError(text, str(error)) from None
        raise ParseError(text, "not a period such as '2023年', '2023年1-10月' or '2023-01/2023-10'")

    @property
    def days(self) -> int:
        """How many days the period covers."""
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int | None:
        """How many calendar months the period covers, None unless it starts
        on a first and ends on a last day of a month."""
        if self.start.day != 1 or self.end != _month_end(self.end.year, self.end.month):
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def annualisation_factor(self, basis: str = "days") -> float:
        """The factor that turns a total over this period into a total per year.

        Parameters
        ----------
        basis : {"days", "months"}
            ``"days"`` (DHIS2's rule): days in the year from ``start`` (365 or
            366) over days in the period. ``"months"``: 12 over whole months,
            as Chinese reports often annualise ("×12/10").

        Raises
        ------
        InvalidOptionError
            An unknown basis, or "months" for a period that is not whole
            months.

        Examples
        --------
        December 9999 to December 10000 passes 29 February 10000 (a leap
        year: divisible by 400), so the year from its start has 366 days:

        >>> round(Period.months(9999, 12, 12).annualisation_factor(), 4)  # 366 / 31
        11.8065
        """
        # A str first: an unhashable basis cannot even be looked up.
        if not isinstance(basis, str) or basis not in _BASES:
            raise InvalidOptionError(f"basis must be one of {', '.join(map(repr, _BASES))}, got {basis!r}")
        return _BASES[basis](self)

    def __str__(self) -> str:
        return self.label or f"{self.start.isoformat()}/{self.end.isoformat()}"


def _days_basis(period: Period) -> float:
    # The year from ``start`` holds 366 days when it passes a 29 February:
    # this year's if it starts by the end of February, else next year's.
    # (Counted, not dated: the year after 9999 has no datetime.date.)
    start = period.start
    year = start.year if start.month <= 2 else start.year + 1
    return (366 if _is_leap(year) else 365) / period.days


def _months_basis(period: Period) -> float:
    months = period.whole_months
    if months is None:
        raise InvalidOptionError(
            f"period {period} is not whole calendar months; annualise it with basis='days'"
        )
    return 12 / months


_BASES = {"days": _days_basis, "months": _months_basis}
