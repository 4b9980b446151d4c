"""Funnel and trend charts of results."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from ..compare import FunnelPosition, funnel
from ..display import LANGUAGES
from ..errors import InvalidOptionError, PhindicatorsWarning
from ..scorecard.plot import CJK_FONT_HINT, cjk_fonts

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..compute import Result

__all__ = ["plot_funnel", "plot_trend"]

#: Point colours by funnel position.
_POSITION_COLOURS = {
    FunnelPosition.ABOVE_998: "#b35806",
    FunnelPosition.ABOVE_95: "#f1a340",
    FunnelPosition.WITHIN: "#4d4d4d",
    FunnelPosition.BELOW_95: "#998ec3",
    FunnelPosition.BELOW_998: "#542788",
}

_WORDS: dict[str, dict[str, str]] = {
    "average": {"zh": "平均 {value}", "en": "average {value}"},
    "limit_95": {"zh": "95%控制限", "en": "95% limits"},
    "limit_998": {"zh": "99.8%控制限", "en": "99.8% limits"},
    "denominator": {"zh": "分母（{name}）", "en": "denominator ({name})"},
    "value": {"zh": "数值（{unit}）", "en": "value ({unit})"},
    "period": {"zh": "时期", "en": "period"},
    "interval": {"zh": "{level}置信区间", "en": "{level} CI"},
}


def _matplotlib() -> Any:
    try:
        import matplotlib
        from matplotlib.figure import Figure  # noqa: F401
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "charts need matplotlib: pip install 'phindicators[plot]'", name="matplotlib"
        ) from None
    return matplotlib


@contextlib.contextmanager
def _fonts(lang: str) -> Iterator[str]:
    """Fonts for ``lang``; yields the language labels are drawn in: English
    (with a warning naming the font to install) when Chinese was asked for
    and no installed font has its glyphs."""
    if lang not in LANGUAGES:
        raise InvalidOptionError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    matplotlib = _matplotlib()
    fonts = cjk_fonts()
    if lang == "zh" and not fonts:
        warnings.warn(CJK_FONT_HINT, PhindicatorsWarning, stacklevel=4)
        lang = "en"
    with matplotlib.rc_context({"font.sans-serif": [*fonts, "DejaVu Sans"], "font.family": "sans-serif"}):
        with warnings.catch_warnings():
            # Area names in Chinese without a CJK font: said once above.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
            yield lang


def _unit(result: Result, lang: str) -> str:
    shown = str(result.format(lang) if np.ndim(result.value) == 0 else np.asarray(result.format(lang)).flat[0])
    number = shown.split(" ", 1)
    if lang == "en" and len(number) == 2:
        return number[1]
    return shown.lstrip("0123456789.,-—") or result.unit


def _save(figure: Any, destination: str | os.PathLike[str] | IO[bytes] | None) -> Any:
    if destination is not None:
        figure.savefig(destination, format="png", dpi=150)
    return figure


def plot_funnel(
    result: Result,
    destination: str | os.PathLike[str] | IO[bytes] | None = None,
    *,
    labels: Sequence[str] | None = None,
    average: float | None = None,
    lang: str = "zh",
) -> Any:
    """A funnel plot: each area's value against its denominator, with the
    95 % and 99.8 % control limits around the average
    (:func:`phindicators.compare.funnel`).

    Parameters
    ----------
    result : Result
        One value per area (1-d), with denominators.
    destination : path or binary file, optional
        Where to save the chart as PNG.
    labels : sequence of str, optional
        Area names, written next to the areas outside the 99.8 % limits.
    average : float, optional
        The centre line (default: the pooled value of all areas).
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import io, numpy as np
    >>> from phindicators import get
    >>> areas = get("maternal_systematic_management_rate").compute(
    ...     np.array([950, 880, 300, 2900]), np.array([1000, 1000, 320, 3000]))
    >>> figure = plot_funnel(areas, io.BytesIO(), lang="en")
    >>> len(figure.axes)
    1
    """
    placed = funnel(result, average=average)
    value = np.asarray(result.value, dtype=np.float64).reshape(-1)
    denominator = np.asarray(result.denominator, dtype=np.float64).reshape(-1)
    positions = np.asarray(placed.positions, dtype=object).reshape(-1)
    if labels is not None and len(labels) != value.size:
        raise InvalidOptionError(f"labels: {len(labels)} for {value.size} areas")
    with _fonts(lang) as lang:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(8, 5.5), layout="constrained")
        ax = figure.subplots()
        grid = np.linspace(max(denominator.min() * 0.8, 1.0), denominator.max() * 1.1, 200)
        inner, outer = placed.limits(grid)
        ax.plot(grid, inner.lower, color="#7f7f7f", linestyle="--", linewidth=1, label=_WORDS["limit_95"][lang])
        ax.plot(grid, inner.upper, color="#7f7f7f", linestyle="--", linewidth=1)
        ax.plot(grid, outer.lower, color="#4d4d4d", linestyle="-", linewidth=1, label=_WORDS["limit_998"][lang])
        ax.plot(grid, outer.upper, color="#4d4d4d", linestyle="-", linewidth=1)
        shown_average = f"{placed.average:.{result.indicator.decimals}f}"
        ax.axhline(placed.average, color="#2166ac", linewidth=1.2,
                   label=_WORDS["average"][lang].format(value=shown_average))
        colours = [_POSITION_COLOURS.get(position, "#bdbdbd") for position in positions.tolist()]
        ax.scatter(denominator, value, c=colours, s=18 if value.size > 100 else 36, zorder=3)
        if labels is not None:
            outside = {FunnelPosition.ABOVE_998, FunnelPosition.BELOW_998}
            for x, y, label, position in zip(denominator, value, labels, positions.tolist(), strict=True):
                if position in outside:
                    ax.annotate(str(label), (x, y), xytext=(4, 2), textcoords="offset points", fontsize=8)
        denominator_term = result.indicator.denominator
        name = "" if denominator_term is None else (
            denominator_term.name_zh if lang == "zh" else denominator_term.name_en
        )
        ax.set_xlabel(_WORDS["denominator"][lang].format(name=name), fontsize=9)
        ax.set_ylabel(_WORDS["value"][lang].format(unit=_unit(result, lang)), fontsize=9)
        ax.set_title(result.indicator.name_zh if lang == "zh" else result.indicator.name_en, loc="left")
        ax.grid(color="#e0e0e0", linewidth=0.8)
        ax.legend(fontsize=8, frameon=False)
        return _save(figure, destination)


def plot_trend(
    result: Result,
    destination: str | os.PathLike[str] | IO[bytes] | None = None,
    *,
    periods: Sequence[str],
    labels: Sequence[str] | None = None,
    lang: str = "zh",
) -> Any:
    """Values and their intervals over periods: one line per area.

    Parameters
    ----------
    result : Result
        Periods along the last axis; a 2-d result is one row per area.
    destination : path or binary file, optional
        Where to save the chart as PNG.
    periods : sequence of str
        The periods' labels, oldest first.
    labels : sequence of str, optional
        Area names (2-d results).
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import io
    >>> from phindicators import get
    >>> years = get("infant_mortality_rate").compute([30, 26, 22, 18, 14], [2000] * 5)
    >>> figure = plot_trend(years, io.BytesIO(), periods=["2019", "2020", "2021", "2022", "2023"],
    ...                     lang="en")
    >>> len(figure.axes[0].lines)
    1
    """
    value = np.atleast_2d(np.asarray(result.value, dtype=np.float64))
    if value.shape[-1] != len(periods):
        raise InvalidOptionError(f"periods: {len(periods)} labels for {value.shape[-1]} periods")
    if labels is not None and len(labels) != value.shape[0]:
        raise InvalidOptionError(f"labels: {len(labels)} for {value.shape[0]} areas")
    lower = None if result.lower is None else np.atleast_2d(np.asarray(result.lower, dtype=np.float64))
    upper = None if result.upper is None else np.atleast_2d(np.asarray(result.upper, dtype=np.float64))
    with _fonts(lang) as lang:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(8, 5), layout="constrained")
        ax = figure.subplots()
        x = np.arange(len(periods))
        for row in range(value.shape[0]):
            label = None if labels is None else str(labels[row])
            (line,) = ax.plot(x, value[row], marker="o", linewidth=1.5, label=label)
            if lower is not None and upper is not None:
                ax.fill_between(x, lower[row], upper[row], color=line.get_color(), alpha=0.15, linewidth=0)
        ax.set_xticks(x, [str(period) for period in periods])
        ax.set_xlabel(_WORDS["period"][lang], fontsize=9)
        ax.set_ylabel(_WORDS["value"][lang].format(unit=_unit(result, lang)), fontsize=9)
        ax.set_title(result.indicator.name_zh if lang == "zh" else result.indicator.name_en, loc="left")
        ax.grid(color="#e0e0e0", linewidth=0.8)
        if labels is not None:
            ax.legend(fontsize=8, frameon=False)
        return _save(figure, destination)
