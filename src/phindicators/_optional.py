"""Optional packages, imported on use with an error that names the extra.

``import phindicators`` imports none of them; each adapter asks for the one
it needs here, so that a missing package always says which extra of
``phindicators`` installs it.

Examples
--------
>>> require("math", "none", "arithmetic").sqrt(4.0)
2.0
>>> require("no_such_package_here", "frames", "DataFrames")
Traceback (most recent call last):
...
ModuleNotFoundError: DataFrames need no_such_package_here: pip install 'phindicators[frames]'
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require"]


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module``, or raise ModuleNotFoundError naming ``extra``.

    Parameters
    ----------
    module : str
        The module to import ("narwhals", "matplotlib.pyplot").
    extra : str
        The extra of phindicators that installs it ("frames", "plot").
    purpose : str
        What needs it, as the start of the message ("DataFrames").
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        top = module.partition(".")[0]
        if error.name is not None and error.name != top and not error.name.startswith(top + "."):
            raise  # the package is there but one of its own dependencies is not
        raise ModuleNotFoundError(
            f"{purpose} need {top}: pip install 'phindicators[{extra}]'", name=top
        ) from None
