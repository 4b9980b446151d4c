"""Standard populations for direct standardisation, bundled and user-given."""

from __future__ import annotations

import functools
import numbers
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._counts import MAX_EXACT_COUNT
from .._data import data_root
from .._text import shown
from ..errors import InvalidOptionError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from numpy.typing import ArrayLike

# ------------------------------------------------------------- standardised


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _int_tuple(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


def _float_tuple(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


@attrs.frozen
class StandardPopulation:
    """A standard population for direct standardisation.

    Attributes
    ----------
    id : str
        Its name in :func:`standard_population`.
    name : str
        Its title.
    bands : tuple of str
        Age band labels, youngest first ("0-4", ..., "85+").
    lower_ages : tuple of int
        The first age of each band.
    weights : tuple of float
        The standard population of each band (any scale: only proportions
        matter).
    source : str
        The citation.
    note : str
        Caveats about the published figures.

    Examples
    --------
    >>> who = standard_population("who_world_2000", open_age=85)
    >>> who.bands[-2:], who.weights[-1]
    (('80-84', '85+'), 635.0)
    """

    id: str
    name: str
    bands: tuple[str, ...] = attrs.field(converter=_str_tuple)
    lower_ages: tuple[int, ...] = attrs.field(converter=_int_tuple)
    weights: tuple[float, ...] = attrs.field(converter=_float_tuple)
    source: str = ""
    note: str = ""

    def __attrs_post_init__(self) -> None:
        sizes = {len(self.bands), len(self.lower_ages), len(self.weights)}
        if len(sizes) != 1:
            raise InvalidOptionError(
                f"standard population {self.id!r}: bands, lower_ages and weights differ in length"
            )
        if any(not w >= 0 for w in self.weights) or not sum(self.weights) > 0:
            raise InvalidOptionError(
                f"standard population {self.id!r}: weights must be >= 0 and not all zero"
            )

    def collapse(self, open_age: int) -> StandardPopulation:
        """Merge the bands from ``open_age`` up into one open band ("85+").

        Raises
        ------
        InvalidOptionError
            If ``open_age`` is not an int starting a band.
        """
        # An integer, not merely equal to one: False would merge every band from 0.
        integer = isinstance(open_age, numbers.Integral) and not isinstance(open_age, bool)
        if not integer or open_age not in self.lower_ages:
            raise InvalidOptionError(
                f"open_age must be the first age of a band of {self.id!r} "
                f"({', '.join(map(str, self.lower_ages))}), got {shown(open_age)}"
            )
        cut = self.lower_ages.index(open_age)
        return attrs.evolve(
            self,
            bands=(*self.bands[:cut], f"{open_age}+"),
            lower_ages=self.lower_ages[: cut + 1],
            weights=(*self.weights[:cut], sum(self.weights[cut:])),
        )


def _standard_files() -> dict[str, Any]:
    folder = data_root() / "standard_populations"
    return {f.name.removesuffix(".toml"): f for f in folder.iterdir() if f.name.endswith(".toml")}


def standard_populations() -> list[str]:
    """Names of the bundled standard populations.

    Examples
    --------
    >>> "who_world_2000" in standard_populations()
    True
    """
    return sorted(_standard_files())


@functools.lru_cache(maxsize=16)
def _load_standard(name: str) -> StandardPopulation:
    files = _standard_files()
    if name not in files:
        raise InvalidOptionError(
            f"no standard population {name!r}; bundled ones are: {', '.join(sorted(files))}"
        )
    import tomllib

    data = tomllib.loads(files[name].read_text(encoding="utf-8"))
    bands = data["band"]
    return StandardPopulation(
        id=name,
        name=data["name"],
        bands=[b["label"] for b in bands],
        lower_ages=[b["lower_age"] for b in bands],
        weights=[b["weight"] for b in bands],
        source=data["source"],
        note=data.get("note", ""),
    )


def standard_population(
    name: str = "who_world_2000", *, open_age: int | None = None
) -> StandardPopulation:
    """A bundled standard population, read on first use.

    Parameters
    ----------
    name : str
        One of :func:`standard_populations`: ``"who_world_2000"`` is the WHO
        World Standard Population 2000–2025 (Ahmad et al. 2001), 21 bands
        0–4 … 95–99, 100+; ``"esp_2013"`` the European Standard Population
        2013 (Eurostat), 19 bands 0–4 … 85–89, 90+; ``"china_2000"`` the
        China 2000 census population (中标率) and ``"segi_world"`` Segi's
        world population (世标率), both in the registry bands 0, 1–4,
        5–9 … 80–84, 85+.
    open_age : int, optional
        Merge the bands from this age up (``85`` for data ending at "85+").

    Raises
    ------
    InvalidOptionError
        An unknown name, a name that is not a string, or an ``open_age``
        that is not an int starting a band.

    Examples
    --------
    >>> who = standard_population()
    >>> len(who.bands), who.weights[:3]
    (21, (8860.0, 8690.0, 8600.0))
    >>> len(standard_population(open_age=85).bands)
    18
    >>> standard_population(["who_world_2000"])
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: the name of a standard population must be a string, \
got ['who_world_2000']
    """
    if not isinstance(name, str):
        # Checked before the cached lookup, which would fail on a list.
        raise InvalidOptionError(f"the name of a standard population must be a string, got {shown(name)}")
    population = _load_standard(name)
    return population if open_age is None else population.collapse(open_age)


def weights_of(standard: StandardPopulation | str | ArrayLike, size: int) -> np.ndarray:
    if isinstance(standard, str):
        standard = standard_population(standard)
    if isinstance(standard, StandardPopulation):
        weights = np.asarray(standard.weights)
        hint = (
            f" (collapse it, e.g. standard_population({standard.id!r}, open_age=85))"
            if len(weights) > size
            else ""
        )
    else:
        try:
            weights = np.asarray(standard, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise InvalidOptionError(
                "the standard must be a StandardPopulation, the name of one or the weight of each band, "
                f"got {shown(standard)}"
            ) from None
        hint = ""
    if weights.shape != (size,):
        raise InvalidOptionError(
            f"the standard population has {weights.size} bands but the data has {size}{hint}"
        )
    # Below 2**53 as counts are, so that the weights' sum is finite (NaN fails).
    if not (np.all((weights >= 0) & (weights < MAX_EXACT_COUNT)) and weights.sum() > 0):
        raise InvalidOptionError("standard population weights must be >= 0, below 2**53 and not all zero")
    return weights
