"""Generate the catalog pages from the bundled catalog and target sets.

When the build starts, this extension writes into ``docs/generated/``:

- ``catalog.rst``: the searchable table of every indicator, the index by
  standard set (with counts per set) and the index by domain;
- ``indicators/<id>.rst``: one page per indicator (names, confidence and
  evidence, standard sets, variants side by side, definition,
  formula, unit and display, valid range, polarity, confidence-interval
  method, every target of every bundled target set, source, worked examples
  and what the bundled example report prints);
- ``target_sets.rst`` and ``targets/<id>.rst``: one page per target set.

Everything shown is read from the installed package at build time (the
catalog, the target sets, the kind → interval-method table of
:mod:`phindicators.compute`, the unit table), so the pages cannot drift from
the code; nothing is copied by hand. Every worked example is a
``.. doctest::`` block that ``sphinx-build -b doctest`` runs.
"""

from __future__ import annotations

import inspect
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import phindicators as ph
from phindicators.compute import KIND_INTERVALS, NOT_FROM_AGE_BANDS, life_table_measure
from phindicators.extract import Mention, example_report, extract
from phindicators.model import Evidence
from phindicators.stats import INTERVAL_METHODS
from phindicators.targets import COMPARATORS, Comparator
from phindicators.units import UNITS, conversion_factor

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sphinx.application import Sphinx

OUT = "generated"

# Prose for the members of the model's enums and for the unit names. A
# member or unit missing here fails the build with a KeyError, so a new kind
# or unit cannot ship undocumented.
KIND_TEXT = {
    "proportion": "proportion — the numerator is a subset of the denominator (0–100 %)",
    "rate": "rate — events per population at risk",
    "ratio": "ratio — the numerator is not a subset of the denominator",
    "density": "density — resources per population",
    "mean": "mean — an amount per person",
    "completion": "completion — achieved over an assigned task; may exceed 100 %",
    "count": "count — a number of events or people",
}
POLARITY_TEXT = {
    "high_is_good": "higher is better",
    "low_is_good": "lower is better",
    "in_range_is_good": "within the normal range is good",
    "no_judgement": "no judgement (neither direction is better)",
}
UNIT_TEXT = {
    "count": "count",
    "percent": "per cent (%)",
    "permille": "per mille (‰), per 1 000",
    "per_hundred": "per 100",
    "per_thousand": "per 1 000",
    "per_ten_thousand": "per 10 000 (/万)",
    "per_hundred_thousand": "per 100 000 (/10万)",
    "yuan": "yuan (元)",
    "wan_yuan": "10 000 yuan (万元)",
}
CONFIDENCE_TEXT = {
    "confirmed": "confirmed — the wording was seen in the official text",
    "secondary": "secondary — seen in a secondary copy (a reprint, a report form, an exam page), "
    "not in the official text",
    "unverified": "unverified — written from standard usage or recall; no source quoted for the "
    "definition itself",
}
NEEDS_TEXT = {
    "life_table": "a life table: computed from deaths and populations by age band "
    "(``indicator.compute(deaths, populations, ages=[0, 1, 5, ...])``, the bands along the "
    "last axis), never by dividing two counts",
}
# The method and references of each life-table routine
# (phindicators.compute.LIFE_TABLE_MEASURES names the routine per indicator).
LIFE_TABLE_TEXT = {
    "life_expectancy": (
        "Value and interval computed from a life table: the abridged period life table of Chiang's method II "
        "(a = 0.1 in the first year of life, 0.5 elsewhere, radix 100 000) built from deaths "
        "and populations by age band; the interval is ``e ± z·SE`` with Chiang's variance and, "
        "for the open last band, that of Silcocks, Jenner and Reza, as PHE's "
        "``phe_life_expectancy`` and the ONS compute it. A total population of 5 000 or less, "
        "or a 95 % interval wider than 20 years, gives NaN (PHE's rule). References: Chiang CL, "
        "*The Life Table and its Applications*, 1984; Silcocks PBS, Jenner DA, Reza R, "
        "J Epidemiol Community Health 2001;55:38–43. See "
        ":func:`phindicators.stats.life_expectancy`."
    ),
    "probability_of_dying": (
        "Value and interval computed from a life table: the probability of dying between exact ages {start} and "
        "{stop}, 1 − Π(1 − nqx) over the bands from {start} to {stop}, each "
        "nqx = n·Mx / (1 + (1 − a)·n·Mx) with a = 0.5 (for 5-year bands WHO's "
        "5qx = 5·5Mx / (1 + 2.5·5Mx)); {start} and {stop} must start age bands. The interval "
        "(``method='chiang'``) is ``P ± z·SE``, clipped to [0, 1], with Chiang's variance "
        "q²(1 − q)/D of each band and the delta method for the product. References: Chiang CL, "
        "*The Life Table and its Applications*, 1984; WHO, *Global reference list of 100 core "
        "health indicators*, 2015 (45q15); UN SDG indicator 3.4.1 metadata (premature NCD "
        "mortality, 30–70). See :func:`phindicators.stats.probability_of_dying`."
    ),
}
# Headings of the standard sets (ids of the catalog's sources), in the order
# the overview lists them; a set missing here falls back to its source title.
STANDARD_SET_TEXT = {
    "nbphs_2017": "国家基本公共卫生服务规范（第三版）: assessment and work indicators",
    "nbphs_2011": "2011-edition, performance-evaluation and SMD-system indicators still printed",
    "mch_survey_2015": "全国妇幼卫生调查制度: the MCH annual report",
    "healthy_china_action_2019": "健康中国行动（2019—2030年）",
    "who_core_2015": "WHO 100 core health indicators and SDG 3",
    "health_statistics_survey": "国家卫生健康统计调查制度: resources, service and efficiency",
}
SCOPE_TEXT = {
    "global": "global (a world aggregate)",
    "national": "national",
    "provincial": "provincial",
    "local": "local",
}
# The public function behind each interval method name results carry.
INTERVAL_FUNCTIONS = {
    "wilson": "wilson_interval",
    "clopper_pearson": "clopper_pearson_interval",
    "auto": "poisson_interval",
    "exact": "exact_poisson_interval",
    "byar": "byar_interval",
}
# The default confidence level of phindicators.compute, read from its signature.
DEFAULT_CONFIDENCE = inspect.signature(ph.compute).parameters["confidence"].default


def _title(text: str, char: str = "=") -> str:
    # East Asian characters are two columns wide; docutils counts columns.
    width = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    return f"{text}\n{char * width}\n"


def _escape(text: str) -> str:
    """Text from the data as literal reStructuredText inline text."""
    for char in "\\*`|_":
        text = text.replace(char, "\\" + char)
    return text


def _number(value: float) -> str:
    if math.isinf(value):
        return "∞"
    # Ten significant digits hide float noise from unit conversion (0.30000000000000004).
    return f"{value:.10g}"


def _amount(value: float, term: ph.Term) -> str:
    """A count or an amount in its term's unit ("1595", "21507万元")."""
    return UNITS[term.unit].zh.format(value=_number(value))


def _display(value: float, unit: str) -> str:
    """A threshold as a report prints it ("20/10万", "85%")."""
    return UNITS[unit].zh.format(value=_number(value))


def _list_table(
    header: Sequence[str],
    rows: Iterable[Sequence[str | Sequence[str]]],
    widths: Sequence[int] | None = None,
    css: str = "",
) -> list[str]:
    """A list-table; a cell is a line or a list of paragraphs."""
    out = [".. list-table::"]
    if header:
        out.append("   :header-rows: 1")
    if widths:
        out.append("   :widths: " + " ".join(map(str, widths)))
    if css:
        out.append(f"   :class: {css}")
    out.append("")
    for row in ([list(header)] if header else []) + [list(r) for r in rows]:
        for position, cell in enumerate(row):
            paragraphs = [cell] if isinstance(cell, str) else list(cell) or ["—"]
            bullet = "   * - " if position == 0 else "     - "
            first, *rest = paragraphs
            out.append(bullet + (first or "—"))
            for paragraph in rest:
                out += ["", "       " + paragraph]
    out.append("")
    return out


# -- the parts of an indicator page ------------------------------------------


def _term(term: ph.Term) -> str:
    unit = "" if term.unit == "count" else f", in {UNIT_TEXT[term.unit]}"
    text = f"**{_escape(term.name_zh)}** / {_escape(term.name_en)} (``{term.id}``{unit})"
    return f"{text}. {_escape(term.description)}" if term.description else text


def _formula(indicator: ph.Indicator) -> str:
    numerator = indicator.numerator.name_zh
    if indicator.denominator is None:
        return numerator
    scale = {
        "percent": " × 100 %",
        "permille": " × 1 000 ‰",
        "per_hundred": " × 100",
        "per_thousand": " × 1 000",
        "per_ten_thousand": " × 10 000",
        "per_hundred_thousand": " × 100 000",
    }.get(indicator.unit, "")
    if indicator.numerator.unit != "count" or indicator.denominator.unit != "count":
        scale = f" (in {UNIT_TEXT[indicator.unit]})"
    return f"{numerator} / {indicator.denominator.name_zh}{scale}"


def _worked_counts(indicator: ph.Indicator) -> tuple[float, float | None]:
    """The counts of the first worked example, or round illustrative ones."""
    if indicator.examples:
        example = indicator.examples[0]
        return example.numerator, example.denominator
    if indicator.denominator is None:
        return 12, None
    if indicator.kind == "mean":
        return 10, 80
    if indicator.unit in ("per_hundred_thousand", "per_ten_thousand", "per_thousand", "permille"):
        return 12, 10_000
    return 95, 100


def _call(indicator: ph.Indicator, numerator: float, denominator: float | None) -> str:
    args = _number(numerator) + (f", {_number(denominator)}" if denominator is not None else "")
    return f"ph.get({indicator.id!r}).compute({args})"


def _indicator_interval_text(indicator: ph.Indicator) -> list[str]:
    """What interval this indicator's results carry: its kind's, unless it
    needs a life table or its numerator is an amount of money."""
    if "life_table" in indicator.needs:
        measure = life_table_measure(indicator)
        if measure is None:
            why = NOT_FROM_AGE_BANDS.get(indicator.numerator.id, "no life-table routine reads its numerator")
            return [f"No value or interval here: this indicator is not computed from a life table of counts: {why}."]
        return [LIFE_TABLE_TEXT[measure.routine].format(start=measure.start, stop=measure.stop)]
    if KIND_INTERVALS[indicator.kind] and not ph.interval_methods(indicator):
        return [
            "Results carry no confidence interval: the numerator is an amount of money, not a "
            "count of events, and a binomial or Poisson interval would change with the currency "
            "unit (:func:`phindicators.interval_methods`)."
        ]
    return interval_text(indicator.kind)


def interval_text(kind: str) -> list[str]:
    """What interval a kind's results carry, from :data:`KIND_INTERVALS`."""
    methods = KIND_INTERVALS[ph.Kind(kind)]
    if not methods:
        return [
            f"Results of a {kind} carry no confidence interval: its entry in "
            ":data:`phindicators.compute.methods.KIND_INTERVALS` is empty. The uncertainty of an "
            "amount per person needs the spread of the individual amounts, which the total "
            "and the number of people do not give."
        ]
    default, *others = methods
    lines = [
        f"Results of a {kind} carry a {DEFAULT_CONFIDENCE:.0%} confidence interval computed "
        f"with the **{INTERVAL_METHODS[default]}** (``method={default!r}``, "
        f":func:`phindicators.{INTERVAL_FUNCTIONS[default]}`), the default for this kind in "
        ":data:`phindicators.compute.methods.KIND_INTERVALS`."
    ]
    if others:
        accepted = "; ".join(
            f"``method={m!r}``, the {INTERVAL_METHODS[m]} (:func:`phindicators.{INTERVAL_FUNCTIONS[m]}`)"
            for m in others
        )
        lines += ["", f"It also accepts {accepted}."]
    return lines


def requirement(target: ph.Target, indicator: ph.Indicator) -> str:
    """A target's comparator and threshold(s) in the indicator's unit."""
    unit = indicator.unit
    if target.comparator is Comparator.RELATIVE_CHANGE:
        change = Fraction(target.change).limit_denominator(100)  # type: ignore[arg-type]
        verb = "fall" if change < 0 else "rise"
        since = f"the {target.baseline_year} level" if target.baseline_year else "the baseline"
        text = f"a {verb} of at least {abs(change)} from {since}"
        if target.baseline is None:
            return text + " (no baseline stored: pass the area's own baseline when checking)"
        (threshold,) = target.thresholds(unit)
        stored = target.baseline * conversion_factor(target.unit, unit)
        symbol = COMPARATORS[Comparator.AT_MOST if change < 0 else Comparator.AT_LEAST].symbol
        return (
            f"{text}; from the stored baseline {_display(stored, unit)}, {symbol} {_display(threshold, unit)}"
        )
    values = target.thresholds(unit)
    if target.comparator is Comparator.BETWEEN:
        low, high = values
        return f"between {_display(low, unit)} and {_display(high, unit)}"
    return f"{COMPARATORS[target.comparator].symbol} {_display(values[0], unit)}"


def _period(period: tuple[int, int] | None) -> str:
    return "standing norm" if period is None else f"{period[0]}–{period[1]}"


def _scope(target: ph.Target) -> str:
    return SCOPE_TEXT[target.scope.value]


def _target_notes(target: ph.Target, indicator: ph.Indicator) -> list[str]:
    """The qualifiers of a target a reader needs, one paragraph each."""
    notes = []
    if target.note:
        notes.append(_escape(target.note))
    if target.wording:
        notes.append(f"The plan's words: “{_escape(target.wording)}”")
    if target.unit != indicator.unit:
        notes.append(f"Stated in {UNIT_TEXT[target.unit]}.")
    if target.against_polarity:
        notes.append("Held against the indicator's polarity, as the plan says.")
    return notes


def _evidence(items: Sequence[Evidence]) -> list[str]:
    """One paragraph per piece of evidence: the quote, where, and a note."""
    return [
        f"“{_escape(e.quote)}” — {_escape(e.address)}" + (f" ({_escape(e.note)})" if e.note else "")
        for e in items
    ]


def _confidence_cell(item: ph.Indicator | ph.Target) -> list[str]:
    return [f"**{item.confidence.value}**", *_evidence(item.evidence)]


def _variant_family(indicator: ph.Indicator, catalog: ph.Catalog) -> list[ph.Indicator]:
    """The main indicator and every variant of it, this one included."""
    main = catalog.get(indicator.variant_of) if indicator.variant_of else indicator
    return [main, *(i for i in catalog if i.variant_of == main.id)]


def _computable(indicator: ph.Indicator) -> bool:
    return "life_table" not in indicator.needs


def _targets_of(
    indicator: ph.Indicator, sets: Sequence[ph.TargetSet]
) -> list[tuple[ph.TargetSet, ph.Target]]:
    return [(s, t) for s in sets for t in s.for_indicator(indicator.id)]


def _targets_section(indicator: ph.Indicator, sets: Sequence[ph.TargetSet]) -> list[str]:
    out = [_title("Targets", "-")]
    found = _targets_of(indicator, sets)
    if not found:
        return out + [
            "No bundled target set holds this indicator to a target. A plan of your own can: "
            "see :doc:`/guides/local_catalogs`.",
            "",
        ]
    plans = len({s.id for s, _ in found})
    out += [
        f"{len(found)} target{'s' if len(found) > 1 else ''} in {plans} bundled target "
        f"set{'s' if plans > 1 else ''}, thresholds in this indicator's unit "
        f"({UNIT_TEXT[indicator.unit]}):",
        "",
    ]
    rows = [
        (
            [f":ref:`{_escape(s.name_zh)} <target-set-{s.id}>`", _period(t.period)],
            [requirement(t, indicator), _scope(t)],
            [*_target_notes(t, indicator), f"Source: {_escape(t.source.citation())}"],
            _confidence_cell(t),
        )
        for s, t in found
    ]
    out += _list_table(
        ("Plan and period", "Target and scope", "Note and source", "Confidence and evidence"),
        rows,
        (20, 20, 30, 30),
    )
    if not _computable(indicator):
        return out
    # A relative target with no stored baseline needs each area's own.
    unresolved = any(t.comparator is Comparator.RELATIVE_CHANGE and t.baseline is None for _, t in found)
    numerator, denominator = _worked_counts(indicator)
    result = indicator.compute(numerator, denominator)
    out += [
        "The worked example (below), held to "
        + ("this target" if len(found) == 1 else "these targets")
        + " with :func:`phindicators.compare_to_target` (the gap is in the result's unit, "
        "≥ 0 when met):",
        "",
        ".. doctest::",
        "",
        f"   >>> result = {_call(indicator, numerator, denominator)}",
        "   >>> for plan in ph.target_sets():",
        "   ...     for target in plan.for_indicator(result.indicator.id):",
    ]
    if unresolved:
        out += [
            '   ...         if target.comparator == "relative_change" and target.baseline is None:',
            "   ...             continue  # the area's own baseline is needed",
        ]
    out += [
        "   ...         outcome = ph.compare_to_target(result, target)",
        '   ...         print(plan.id, outcome.status.value, f"{outcome.gap:+.2f}")',
    ]
    for s, t in found:
        if t.comparator is Comparator.RELATIVE_CHANGE and t.baseline is None:
            continue
        outcome = ph.compare_to_target(result, t)
        out.append(f"   {s.id} {outcome.status.value} {outcome.gap:+.2f}")
    out.append("")
    return out


def _example_section(indicator: ph.Indicator) -> list[str]:
    out = [_title("Worked example", "-")]
    if not _computable(indicator):
        return out + [f"None here: this indicator needs {NEEDS_TEXT['life_table']}.", ""]
    if indicator.examples:
        examples = [(e.numerator, e.denominator, e) for e in indicator.examples]
    else:
        numerator, denominator = _worked_counts(indicator)
        examples = [(numerator, denominator, None)]
        out += [
            "No bundled report gives both counts for this indicator. An illustrative "
            "computation with round numbers:",
            "",
        ]
    for numerator, denominator, example in examples:
        if example is not None:
            if not example.published:
                verdict = "the report prints the counts but no figure"
            elif example.consistent:
                verdict = f"published as ``{example.published}``, which adds up"
            else:
                verdict = f"published as ``{example.published}``, **which does not add up**"
            counts = _amount(numerator, indicator.numerator)
            if indicator.denominator is not None and denominator is not None:
                counts += f" / {_amount(denominator, indicator.denominator)}"
            note = f" {_escape(example.note)}" if example.note else ""
            out += [f"From {example.reference}: {counts}; {verdict}.{note}", ""]
        result = indicator.compute(numerator, denominator)
        out += [
            ".. doctest::",
            "",
            f"   >>> result = {_call(indicator, numerator, denominator)}",
            "   >>> result.format()",
            f"   {result.format()!r}",
            "   >>> result.format('en')",
            f"   {result.format('en')!r}",
        ]
        if result.intervals:
            places = indicator.decimals
            out += [
                f"   >>> result.method, round(result.lower, {places}), round(result.upper, {places})",
                f"   {(result.method, round(result.lower, places), round(result.upper, places))!r}",
            ]
        out.append("")
    return out


def _mentions_section(indicator: ph.Indicator, mentions: Sequence[Mention], report: str) -> list[str]:
    if not mentions:
        return []
    out = [
        _title("In the bundled example report", "-"),
        "What :func:`phindicators.extract` finds for this indicator in the bundled example "
        "report (fragments of the source reports, printed figures unchanged, errors "
        "included), and the audit verdict on each figure:",
        "",
    ]
    rows = []
    for mention in mentions:
        line = report.count("\n", 0, mention.start) + 1
        quote = " ".join(report[mention.start : mention.end].split())
        verdict = mention.verdict
        status = f"**{verdict.status.value}**" + (f" ({verdict.cause.name})" if verdict.cause else "")
        role = " (a target, not a value)" if mention.role == "target" else ""
        rows.append((str(line), f"“{_escape(quote)}”{role}", status, _escape(verdict.reason)))
    out += _list_table(("Line", "Printed", "Verdict", "Why"), rows, (6, 30, 14, 50))
    return out


def _variants_section(indicator: ph.Indicator, catalog: ph.Catalog) -> list[str]:
    """The variants of the same measure side by side: what each divides by."""
    family = _variant_family(indicator, catalog)
    if len(family) < 2:
        return []
    rows = [
        (
            f":ref:`{_escape(v.name_zh)} <indicator-{v.id}>`" + (" (main)" if v.variant_of is None else ""),
            f"``{v.id}``",
            _escape(v.numerator.name_zh),
            _escape(v.denominator.name_zh) if v.denominator else "—",
            _escape(v.source.citation()),
        )
        for v in family
    ]
    return [
        _title("Variants side by side", "-"),
        "The same measure with other denominators or of another series; the definitions "
        "above say how they differ and which one the national form uses. Their values are "
        "not comparable.",
        "",
        *_list_table(("Indicator", "id", "Numerator", "Denominator", "Source"), rows, (22, 22, 20, 20, 16)),
    ]


def _set_heading(set_id: str, catalog: ph.Catalog) -> str:
    if set_id in STANDARD_SET_TEXT:
        return STANDARD_SET_TEXT[set_id]
    return catalog.sources[set_id].title if set_id in catalog.sources else set_id


def standard_set_counts(catalog: ph.Catalog) -> dict[str, tuple[int, int]]:
    """Per standard set: indicators in it, and how many of them are variants."""
    counts: dict[str, list[int]] = {}
    for indicator in catalog:
        for set_id in indicator.standard_sets:
            entry = counts.setdefault(set_id, [0, 0])
            entry[0] += 1
            entry[1] += indicator.variant_of is not None
    order = [*STANDARD_SET_TEXT, *sorted(set(counts) - set(STANDARD_SET_TEXT))]
    return {s: (counts[s][0], counts[s][1]) for s in order if s in counts}


def indicator_page(
    indicator: ph.Indicator,
    catalog: ph.Catalog,
    sets: Sequence[ph.TargetSet] = (),
    mentions: Sequence[Mention] = (),
    report: str = "",
) -> str:
    """The reStructuredText page of one indicator."""
    numerator, denominator = _worked_counts(indicator)
    shown = indicator.compute(numerator, denominator) if _computable(indicator) else None
    targets = _targets_of(indicator, sets)
    low, high = indicator.valid_range
    rows: list[tuple[str, str]] = [
        ("id", f"``{indicator.id}``"),
        ("Chinese name", _escape(indicator.name_zh)),
        ("English name", _escape(indicator.name_en)),
        ("Also reported as", "; ".join(map(_escape, indicator.aliases)) or "—"),
        ("Domain", f":ref:`domain-{indicator.domain}`"),
        ("Kind", KIND_TEXT[indicator.kind]),
        ("Unit", f"{UNIT_TEXT[indicator.unit]} (``{indicator.unit}``), {indicator.decimals} decimals"),
        (
            "Displayed as",
            f"``{shown.format()}`` (zh), ``{shown.format('en')}`` (en)"
            if shown is not None
            else "computed by the life-table routines (see Needs)",
        ),
        ("Valid range", f"{_number(low)} to {_number(high)} {UNIT_TEXT[indicator.unit]}"),
        ("Polarity", POLARITY_TEXT[indicator.polarity]),
        (
            "Confidence interval",
            ", ".join(f"``{m}``" for m in KIND_INTERVALS[indicator.kind]) + " (see below)"
            if KIND_INTERVALS[indicator.kind]
            else "none for this kind (see below)",
        ),
        ("Targets", f"{len(targets)} (see below)" if targets else "none bundled"),
        ("Source", _escape(indicator.source.citation())),
        ("Confidence", CONFIDENCE_TEXT[indicator.confidence.value]),
        (
            "Standard sets",
            "; ".join(f":ref:`{_escape(_set_heading(s, catalog))} <standard-set-{s}>`" for s in indicator.standard_sets)
            or "none (a local or programme indicator)",
        ),
    ]
    if indicator.needs:
        rows.append(("Needs", "; ".join(NEEDS_TEXT[n] for n in indicator.needs)))
    if indicator.variant_of:
        national = catalog.get(indicator.variant_of)
        rows.append(("Variant of", f":ref:`{_escape(national.name_zh)} <indicator-{national.id}>`"))
    family = _variant_family(indicator, catalog)
    if len(family) > 1:
        rows.append(
            (
                "Variants side by side",
                ", ".join(
                    f":ref:`{_escape(v.name_zh)} <indicator-{v.id}>`"
                    + (" (main)" if v.variant_of is None else "")
                    for v in family
                    if v.id != indicator.id
                ),
            )
        )
    out = [
        f".. _indicator-{indicator.id}:",
        "",
        _title(f"{indicator.name_zh} — {indicator.name_en}"),
        *_list_table((), rows, (22, 78), css="indicator-summary"),
        _title("Definition", "-"),
        _escape(indicator.definition.en),
        "",
        _escape(indicator.definition.zh),
        "",
        _title("Confidence and evidence", "-"),
        f"Confidence: **{CONFIDENCE_TEXT[indicator.confidence.value]}**.",
        "",
        *(f"* {line}" for line in _evidence(indicator.evidence)),
        *([] if indicator.evidence else ["No sentence of a source is quoted for this definition."]),
        "",
        *_variants_section(indicator, catalog),
        _title("Formula", "-"),
        f"``{_formula(indicator)}``",
        "",
        f"* Numerator: {_term(indicator.numerator)}",
    ]
    if indicator.denominator is not None:
        out.append(f"* Denominator: {_term(indicator.denominator)}")
    out += ["", _title("Confidence interval", "-"), *_indicator_interval_text(indicator), ""]
    out += _targets_section(indicator, sets)
    source = indicator.source
    citation = source.citation()
    out += [_title("Source", "-"), _escape(citation) + ("" if citation.endswith(".") else ".")]
    if source.title_en and source.title_en != source.title:
        out += ["", f"*{_escape(source.title_en)}*"]
    if indicator.source_section:
        out += ["", f"Section: {_escape(indicator.source_section)}"]
    if source.url:
        out += ["", f"<{source.url}>"]
    if source.note:
        out += ["", ".. admonition:: About this source", "", f"   {_escape(source.note)}"]
    out += ["", *_example_section(indicator)]
    out += _mentions_section(indicator, mentions, report)
    return "\n".join(out) + "\n"


# -- the index pages and the target set pages ----------------------------------


def catalog_index(catalog: ph.Catalog, sets: Sequence[ph.TargetSet] = ()) -> str:
    """The searchable table of every indicator, and the index by domain."""
    counts: dict[str, int] = defaultdict(int)
    for target_set in sets:
        for target in target_set:
            counts[target.indicator] += 1
    out = [".. _catalog:", "", _title("The indicator catalog")]
    out += [
        f"{len(catalog)} indicators in {len(catalog.domains())} domains, generated from the "
        "bundled catalog data at build time. Type in the box to filter the table by Chinese "
        "or English name, alias, id, kind or unit; the last column counts the targets the "
        f"{len(sets)} bundled :ref:`target sets <target-sets>` set on each indicator.",
        "",
    ]
    rows = [
        (
            f":ref:`{_escape(i.name_zh)} <indicator-{i.id}>`",
            _escape(i.name_en) + "".join(f" · :alias:`{_escape(a)}`" for a in i.aliases),
            f"``{i.id}``",
            i.kind,
            UNITS[i.unit].zh.replace("{value}", "") or UNIT_TEXT[i.unit],
            str(counts[i.id]) if counts[i.id] else "",
        )
        for i in catalog
    ]
    out += [".. role:: alias", "   :class: alias", ""]
    out += _list_table(
        ("中文名", "English name · aliases", "id", "kind", "unit", "targets"),
        rows,
        (20, 34, 22, 9, 11, 4),
        css="filterable",
    )
    out += [_title("By standard set", "-")]
    set_counts = standard_set_counts(catalog)
    out += [
        "The national and international indicator sets that bureaus report against, with the "
        "catalog's indicators in each (an indicator may belong to several sets; variants are "
        "counted with them). The README's coverage table lists what each set holds that the "
        "catalog leaves out, and why.",
        "",
    ]
    out += _list_table(
        ("Standard set", "source id", "indicators", "of which variants"),
        [
            (f":ref:`{_escape(_set_heading(s, catalog))} <standard-set-{s}>`", f"``{s}``", str(n), str(v))
            for s, (n, v) in set_counts.items()
        ],
        (55, 20, 12, 13),
    )
    for set_id in set_counts:
        members = [i for i in catalog if set_id in i.standard_sets]
        out += [f".. _standard-set-{set_id}:", "", _title(_set_heading(set_id, catalog), "~")]
        out += [
            ", ".join(
                f":ref:`{_escape(i.name_zh)} <indicator-{i.id}>`"
                + (f" ({i.confidence.value})" if i.confidence.value != "secondary" else "")
                for i in members
            ),
            "",
        ]
    out += [_title("By domain", "-")]
    for domain in catalog.domains():
        out += [f".. _domain-{domain}:", "", _title(domain.replace("_", " ").capitalize(), "~")]
        out += [".. toctree::", "   :maxdepth: 1", ""]
        out += [f"   indicators/{i.id}" for i in catalog.indicators(domain)]
        out += [""]
    return "\n".join(out) + "\n"


def target_sets_index(sets: Sequence[ph.TargetSet]) -> str:
    """The list of bundled target sets."""
    out = [".. _target-sets:", "", _title("Target sets")]
    out += [
        f"{len(sets)} target sets are bundled: the targets of national plans and international "
        "goals that reports are held to, one set per plan and edition, each with its source. "
        "Thresholds are data (``phindicators/data/targets/*.toml``); a plan of your own is "
        "added the same way (:doc:`/guides/local_catalogs`).",
        "",
    ]
    rows = [
        (
            f":ref:`{_escape(s.name_zh)} <target-set-{s.id}>`",
            _escape(s.name_en),
            f"``{s.id}``",
            s.version,
            _period(s.period),
            str(len(s)),
        )
        for s in sets
    ]
    out += _list_table(("Plan", "English name", "id", "version", "period", "targets"), rows, css="filterable")
    out += [".. toctree::", "   :hidden:", ""]
    out += [f"   targets/{s.id}" for s in sets]
    return "\n".join(out) + "\n"


def target_set_page(target_set: ph.TargetSet, catalog: ph.Catalog) -> str:
    """The reStructuredText page of one target set."""
    source = target_set.source
    source_cell = [_escape(source.citation())]
    if source.title_en and source.title_en != source.title:
        source_cell.append(f"*{_escape(source.title_en)}*")
    if source.url:
        source_cell.append(f"<{source.url}>")
    rows: list[tuple[str, str | list[str]]] = [
        ("id", f"``{target_set.id}``"),
        ("Chinese name", _escape(target_set.name_zh)),
        ("English name", _escape(target_set.name_en)),
        ("Version", _escape(target_set.version)),
        ("Period", _period(target_set.period)),
        ("Source", source_cell),
        ("Targets", str(len(target_set))),
    ]
    if target_set.note:
        rows.append(("Note", _escape(target_set.note)))
    out = [
        f".. _target-set-{target_set.id}:",
        "",
        _title(target_set.name_zh),
        f"*{_escape(target_set.name_en)}*",
        "",
        *_list_table((), rows, (22, 78), css="indicator-summary"),
    ]
    if source.note:
        out += [".. admonition:: About this source", "", f"   {_escape(source.note)}", ""]
    out += [_title("Targets", "-"), "Thresholds in each indicator's own unit:", ""]
    target_rows = []
    for target in target_set:
        indicator = catalog.get(target.indicator)
        target_rows.append(
            (
                [
                    f":ref:`{_escape(indicator.name_zh)} <indicator-{indicator.id}>`",
                    _escape(indicator.name_en),
                ],
                requirement(target, indicator),
                _scope(target),
                _period(target.period),
                [
                    *_target_notes(target, indicator),
                    *([f"Source: {_escape(target.source.citation())}"] if target.source != source else []),
                ],
                _confidence_cell(target),
            )
        )
    out += _list_table(
        ("Indicator", "Target", "Scope", "Period", "Note", "Confidence and evidence"),
        target_rows,
        (18, 16, 9, 9, 24, 24),
    )
    out += [
        "In code:",
        "",
        ".. doctest::",
        "",
        f"   >>> plan = ph.target_set({target_set.id!r})",
        "   >>> plan.version, plan.period, len(plan)",
        f"   {(target_set.version, target_set.period, len(target_set))!r}",
        "   >>> plan.indicators",
        f"   {target_set.indicators!r}",
        "",
    ]
    return "\n".join(out) + "\n"


def _write(path: Path, text: str) -> None:
    # Rewrite only on change, so incremental builds stay incremental.
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")


def pages() -> dict[str, str]:
    """Every generated page, by path relative to ``docs/generated``."""
    catalog = ph.bundled_catalog()
    sets = ph.target_sets()
    report = example_report()
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for mention in extract(report):
        mentions[mention.indicator.id].append(mention)
    out = {"catalog.rst": catalog_index(catalog, sets), "target_sets.rst": target_sets_index(sets)}
    for indicator in catalog:
        out[f"indicators/{indicator.id}.rst"] = indicator_page(
            indicator, catalog, sets, mentions[indicator.id], report
        )
    for target_set in sets:
        out[f"targets/{target_set.id}.rst"] = target_set_page(target_set, catalog)
    return out


def generate(app: Sphinx) -> None:
    out = Path(app.srcdir) / OUT
    written = pages()
    for name, text in written.items():
        _write(out / name, text)
    # A page left over from an indicator or set that no longer exists would
    # still be built (and linked from nowhere): remove it.
    for folder in ("indicators", "targets"):
        for stale in (out / folder).glob("*.rst"):
            if stale.relative_to(out).as_posix() not in written:
                stale.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    return {"version": ph.__version__, "parallel_read_safe": True}
