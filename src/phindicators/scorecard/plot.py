"""A scorecard drawn: each area's value and interval against the target."""

from __future__ import annotations

import os
import warnings
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from ..compare import TargetStatus
from ..errors import InvalidOptionError, TargetError
from ..units import unit_spec
from .rows import POOLED, ScorecardRow
from .text import benchmark_name

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..targets import Target
    from .card import Scorecard

__all__ = ["CJK_FONT_HINT", "PLOT_FORMATS", "PLOT_MAX_ROWS", "cjk_fonts", "plot_format", "plot_scorecard"]

#: The image formats a scorecard is drawn in, by file extension.
PLOT_FORMATS: dict[str, str] = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def plot_format(path: str | os.PathLike[str]) -> str:
    """The image format of a file name, by its extension.

    Examples
    --------
    >>> plot_format("scorecard.SVG")
    'svg'
    >>> plot_format("scorecard.txt")
    Traceback (most recent call last):
    ...
    phindicators.errors.InvalidOptionError: a plot is saved as .pdf, .png, .svg, got 'scorecard.txt'
    """
    extension = os.path.splitext(os.fspath(path))[1].lower()
    if extension not in PLOT_FORMATS:
        raise InvalidOptionError(f"a plot is saved as {', '.join(sorted(PLOT_FORMATS))}, got {os.fspath(path)!r}")
    return PLOT_FORMATS[extension]


#: Most rows of one indicator drawn with a label each, value-sorted; a panel
#: of more is a caterpillar plot without labels, of a fixed height.
PLOT_MAX_ROWS = 100

#: Height of a caterpillar panel, in inches.
_CATERPILLAR_HEIGHT = 6.0

#: What to do when no font with Chinese glyphs is installed.
CJK_FONT_HINT = (
    "no font with Chinese glyphs is installed, so the plot's labels are in English and "
    "Chinese names may show as boxes; install one (Debian/Ubuntu: apt install fonts-noto-cjk; "
    "or Noto Sans CJK SC from https://github.com/notofonts/noto-cjk) or draw with --lang en"
)

#: Fonts with Chinese glyphs, tried in order before matplotlib's default.
_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)

#: Point colours by target status; anything else is drawn in grey.
_STATUS_COLOURS = {
    TargetStatus.MET: "#1b7837",
    TargetStatus.NOT_MET: "#b2182b",
    TargetStatus.UNCERTAIN: "#e08214",
}

_PLOT_WORDS: dict[str, dict[str, str]] = {
    "target": {"zh": "目标 {text}", "en": "target {text}"},
    "benchmark": {"zh": "基准：{name}", "en": "benchmark: {name}"},
    "value": {"zh": "数值与{level}置信区间（{unit}）", "en": "value and {level} CI ({unit})"},
    "value_only": {"zh": "数值（{unit}）", "en": "value ({unit})"},
}


def cjk_fonts() -> list[str]:
    """The installed fonts with Chinese glyphs that plots use, best first
    (empty when there is none; needs matplotlib)."""
    from matplotlib import font_manager

    available = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in _CJK_FONTS if name in available]


def plot_scorecard(
    card: Scorecard, destination: str | os.PathLike[str] | IO[bytes], lang: str, format: str = "png"
) -> str | None:
    """Draw the card, one panel per indicator; return a note for the reader
    (:data:`CJK_FONT_HINT` when Chinese was asked for and no font has its
    glyphs), or None."""
    panels: dict[str, list[ScorecardRow]] = {}
    for row in card.rows:
        panels.setdefault(row.indicator, []).append(row)
    if not panels:
        raise InvalidOptionError("the scorecard has no rows to plot")
    for rows in panels.values():
        if len(rows) > PLOT_MAX_ROWS:
            rows.sort(key=lambda row: row.value)  # a caterpillar: sorted by value
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "plotting a scorecard needs matplotlib: pip install 'phindicators[plot]'",
            name="matplotlib",
        ) from error
    targets = {target.indicator: target for target in card.targets}
    fonts = cjk_fonts()
    note = None
    if not fonts:
        note = CJK_FONT_HINT if lang == "zh" else None
        lang = "en"
    heights = [min(0.35 * len(rows), _CATERPILLAR_HEIGHT) + 1.4 for rows in panels.values()]
    with matplotlib.rc_context({"font.sans-serif": [*fonts, "DejaVu Sans"], "font.family": "sans-serif"}):
        figure = Figure(figsize=(8, sum(heights)), layout="constrained")
        axes = figure.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
        with warnings.catch_warnings():
            # Without a CJK font, Chinese area names cannot be drawn; the
            # note says so once instead of a warning per glyph.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
            for ax, rows in zip(axes, panels.values(), strict=True):
                _panel(ax, rows, targets.get(rows[0].indicator), card, lang)
            figure.savefig(destination, format=format, dpi=150)
    return note


def _panel(ax: Any, rows: list[ScorecardRow], target: Target | None, card: Scorecard, lang: str) -> None:
    first = rows[0]
    positions = np.arange(len(rows))
    values = np.array([row.value for row in rows])
    periods = {row.period for row in rows}
    labels = [row.area if len(periods) == 1 else f"{row.area} {row.period}" for row in rows]
    colours = [_STATUS_COLOURS.get(row.target_status, "#4d4d4d") for row in rows]
    if first.lower is not None:
        lower = np.array([row.lower for row in rows])
        upper = np.array([row.upper for row in rows])
        ax.errorbar(
            values,
            positions,
            xerr=[values - lower, upper - values],
            fmt="none",
            ecolor="#7f7f7f",
            elinewidth=1.2,
            capsize=3,
            zorder=2,
        )
    crowded = len(rows) > PLOT_MAX_ROWS
    ax.scatter(values, positions, c=colours, s=8 if crowded else 36, zorder=3)
    if target is not None:
        text = first.target_zh if lang == "zh" else first.target_en
        label = _PLOT_WORDS["target"][lang].format(text=text or target.id)
        try:
            thresholds = [float(t) for t in target.thresholds(first.unit)]
        except TargetError:
            thresholds = []
        if len(thresholds) == 2:
            ax.axvspan(*thresholds, color="#1b7837", alpha=0.12, label=label)
        for threshold in thresholds:
            ax.axvline(
                threshold,
                color="#1b7837",
                linestyle="-",
                linewidth=1.5,
                label=label if len(thresholds) == 1 else None,
            )
    benchmarks = [row.benchmark_value for row in rows if row.benchmark_value is not None]
    own = [row.value for row in rows if card.benchmark not in (None, POOLED) and row.area == card.benchmark]
    if card.benchmark is not None and (benchmarks or own):
        label = _PLOT_WORDS["benchmark"][lang].format(name=benchmark_name(card, lang))
        distinct = sorted(set(benchmarks) | set(own))
        if len(distinct) == 1:
            ax.axvline(distinct[0], color="#2166ac", linestyle="--", linewidth=1.2, label=label)
        else:
            marks = [
                (row.benchmark_value, i) for i, row in enumerate(rows) if row.benchmark_value is not None
            ]
            ax.scatter(*zip(*marks, strict=True), marker="|", s=300, color="#2166ac", label=label, zorder=4)
    unit = _unit_label(first, lang)
    ax.set_title(first.name(lang), loc="left", fontsize=11)
    if crowded:
        ax.set_yticks([])  # too many areas to name; sorted by value
    else:
        ax.set_yticks(positions, labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # the table's first row on top
    level = f"{round(card.confidence * 100, 6):g}%"
    words = _PLOT_WORDS["value" if first.lower is not None else "value_only"][lang]
    ax.set_xlabel(words.format(level=level, unit=unit or first.unit), fontsize=9)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.8)
    ax.set_axisbelow(True)
    if ax.get_legend_handles_labels()[0]:
        # Above the panel, right of the title, where it hides no point.
        ax.legend(
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=2,
            fontsize=8,
            frameon=False,
            borderaxespad=0.2,
        )


def _unit_label(row: ScorecardRow, lang: str) -> str:
    """The unit as an axis label: "%", "/10万", "per 100,000 live births"."""
    if lang == "en" and " " in row.display_en:
        # A spelled-out English unit follows the number, which has no spaces.
        return row.display_en.split(" ", 1)[1]
    return getattr(unit_spec(row.unit), lang).format(value="", denominator="").strip()
