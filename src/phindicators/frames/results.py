"""A :class:`~phindicators.Result` as a DataFrame: :func:`result_frame`.

The function lives in :mod:`phindicators.tabular`, below
:mod:`phindicators.compute`, so that :meth:`Result.to_frame
<phindicators.Result.to_frame>` can call it without importing upwards;
this adapter package gives it its public home next to ``compute_frame``.
"""

from __future__ import annotations

from ..tabular import BACKENDS, result_frame

__all__ = ["BACKENDS", "result_frame"]
