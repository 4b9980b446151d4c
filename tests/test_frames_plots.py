"""Funnel and trend charts: they draw what phindicators.compare computes."""

from __future__ import annotations

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from phindicators import funnel, get  # noqa: E402
from phindicators.errors import InvalidOptionError, PhindicatorsWarning  # noqa: E402
from phindicators.plots import plot_funnel, plot_trend  # noqa: E402

RATE = "maternal_systematic_management_rate"


def test_the_funnel_draws_the_areas_and_the_control_limits() -> None:
    areas = get(RATE).compute(np.array([950, 880, 300, 2900]), np.array([1000, 1000, 320, 3000]))
    out = io.BytesIO()
    figure = plot_funnel(areas, out, labels=["甲", "乙", "丙", "丁"], lang="en")
    assert out.getvalue().startswith(b"\x89PNG")
    ax = figure.axes[0]
    lower_95 = ax.lines[0]
    grid = np.asarray(lower_95.get_xdata())
    inner, outer = funnel(areas).limits(grid)
    np.testing.assert_allclose(lower_95.get_ydata(), inner.lower)
    np.testing.assert_allclose(ax.lines[3].get_ydata(), outer.upper)
    points = ax.collections[0].get_offsets()
    np.testing.assert_allclose(points[:, 0], [1000, 1000, 320, 3000])
    np.testing.assert_allclose(points[:, 1], areas.value)
    # Outside the 99.8 % limits, and so named on the chart: 880 of 1000,
    # far below the 94.55 % average, and 2 900 of 3 000 (96.7 %), above it
    # at a large denominator.
    assert [text.get_text() for text in ax.texts] == ["乙", "丁"]


def test_a_trend_line_per_area_with_its_interval() -> None:
    imr = get("infant_mortality_rate")
    years = imr.compute(np.array([[30, 26, 22, 18, 14], [20, 21, 19, 20, 21]]), np.full((2, 5), 2000))
    figure = plot_trend(years, periods=["2019", "2020", "2021", "2022", "2023"], labels=["甲县", "乙县"], lang="en")
    ax = figure.axes[0]
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[0].get_ydata(), years.value[0])
    with pytest.raises(InvalidOptionError, match="periods: 4 labels for 5 periods"):
        plot_trend(years, periods=["2019", "2020", "2021", "2022"])


def test_without_a_cjk_font_the_labels_are_english_and_a_warning_names_the_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from phindicators.plots import charts

    monkeypatch.setattr(charts, "cjk_fonts", lambda: [])
    areas = get(RATE).compute(np.array([950, 880]), np.array([1000, 1000]))
    with pytest.warns(PhindicatorsWarning, match="fonts-noto-cjk"):
        figure = plot_funnel(areas, labels=["甲", "乙"])
    assert figure.axes[0].get_xlabel().startswith("denominator")
