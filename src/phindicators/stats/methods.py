"""The interval methods by name, and the type of the kernels that run them."""

from __future__ import annotations

from collections.abc import Callable

#: What each interval method is, by the name results carry in ``method``.
INTERVAL_METHODS: dict[str, str] = {
    "wilson": "Wilson score interval without continuity correction",
    "clopper_pearson": "Clopper–Pearson exact binomial interval (beta quantiles)",
    "exact": "exact Poisson interval (chi-squared quantiles)",
    "byar": "Byar's approximation to the exact Poisson interval",
    "auto": "exact Poisson below 10 events, Byar's approximation from 10",
    "dobson": "Dobson's method for weighted sums of Poisson counts",
    "chiang_silcocks": "Chiang's life-table variance, Silcocks et al.'s for the open age band",
    "chiang": "Chiang's variance of life-table probabilities of dying (normal approximation)",
}

#: Methods for a numerator that is a subset of its denominator.
PROPORTION_METHODS = ("wilson", "clopper_pearson")
#: Methods for counts of events (rates, ratios, counts).
POISSON_METHODS = ("auto", "exact", "byar")

#: ``kernel(numerator, denominator, lower, upper, ratio=None)`` writes the
#: limits of one block of checked float64 counts into ``lower`` and
#: ``upper``; ``ratio`` is numerator / denominator if the caller has it.
Kernel = Callable[..., None]


