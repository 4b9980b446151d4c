"""Charts of results for real sizes: funnel plots and trends (matplotlib).

:func:`plot_funnel` draws areas against the 95 % and 99.8 % control limits
around the average; :func:`plot_trend` draws values and intervals over
periods. Both return a matplotlib ``Figure`` (saved too if given a
destination). Scorecards draw their own caterpillar plots
(:meth:`phindicators.scorecard.Scorecard.plot`).

matplotlib is imported when a chart is drawn (``pip install
'phindicators[plot]'``). Chinese labels need a font with Chinese glyphs;
without one the labels are English and a
:class:`~phindicators.errors.PhindicatorsWarning` names the font to install.
"""

from .charts import plot_funnel, plot_trend

__all__ = ["plot_funnel", "plot_trend"]
