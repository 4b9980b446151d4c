"""Generate one page per indicator (and per target set) from the bundled catalog.

The pages are written into ``docs/generated/`` when the build starts, so the
documentation always shows what the installed package defines: nothing is
copied by hand. Every worked example becomes a doctest that the docs build
runs (``sphinx-build -b doctest``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

import phindicators as ph
from phindicators.units import UNITS

OUT = "generated"

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
# Multiplier of the unit, written as in a formula.
SCALE_TEXT = {
    "percent": " × 100 %",
    "permille": " × 1 000 ‰",
    "per_hundred": " × 100",
    "per_thousand": " × 1 000",
    "per_ten_thousand": " × 10 000",
    "per_hundred_thousand": " × 100 000",
}


def _title(text: str, char: str = "=") -> str:
    # East Asian characters are two columns wide; docutils counts columns.
    width = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    return f"{text}\n{char * width}\n"


def _number(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:g}"


def _term(term: ph.Term) -> str:
    unit = "" if term.unit == "count" else f", in {UNIT_TEXT[term.unit]}"
    text = f"**{term.name_zh}** / {term.name_en} (``{term.id}``{unit})"
    return f"{text}. {term.description}" if term.description else text


def _formula(indicator: ph.Indicator) -> str:
    numerator = indicator.numerator.name_zh
    if indicator.denominator is None:
        return numerator
    scale = SCALE_TEXT.get(indicator.unit, "")
    if indicator.numerator.unit != "count" or indicator.denominator.unit != "count":
        scale = f" (in {UNIT_TEXT[indicator.unit]})"
    return f"{numerator} / {indicator.denominator.name_zh}{scale}"


def _example_block(indicator: ph.Indicator) -> list[str]:
    lines: list[str] = []
    if not indicator.examples:
        lines += [
            "No bundled report gives both counts for this indicator. An illustrative "
            "computation with round numbers:",
            "",
        ]
        numerator, denominator = _illustrative_counts(indicator)
        examples = [(numerator, denominator, None)]
    else:
        examples = [(e.numerator, e.denominator, e) for e in indicator.examples]
    for numerator, denominator, example in examples:
        if example is not None:
            if not example.published:
                verdict = "the report prints the counts but no figure"
            elif example.consistent:
                verdict = f"published as ``{example.published}``, which adds up"
            else:
                verdict = f"published as ``{example.published}``, **which does not add up**"
            counts = _number(numerator) + (
                f" / {_number(denominator)}" if denominator is not None else ""
            )
            note = f" {example.note}" if example.note else ""
            lines += [f"From {example.reference}: {counts}; {verdict}.{note}", ""]
        args = _number(numerator) + (f", {_number(denominator)}" if denominator is not None else "")
        result = indicator.compute(numerator, denominator)
        lines += [
            ".. doctest::",
            "",
            f"   >>> result = ph.get({indicator.id!r}).compute({args})",
            "   >>> result.format()",
            f"   {result.format()!r}",
            "   >>> result.format('en')",
            f"   {result.format('en')!r}",
            "",
        ]
    return lines


def _illustrative_counts(indicator: ph.Indicator) -> tuple[float, float | None]:
    if indicator.denominator is None:
        return 12, None
    if indicator.kind == "mean":
        return 10, 80
    if indicator.unit in ("per_hundred_thousand", "per_ten_thousand", "per_thousand", "permille"):
        return 12, 10_000
    return 95, 100


def indicator_page(indicator: ph.Indicator, catalog: ph.Catalog) -> str:
    out = [f".. _indicator-{indicator.id}:", "", _title(f"{indicator.name_zh} — {indicator.name_en}")]
    rows = [
        ("id", f"``{indicator.id}``"),
        ("Chinese name", indicator.name_zh),
        ("English name", indicator.name_en),
        ("Also reported as", "; ".join(indicator.aliases) or "—"),
        ("Domain", f":ref:`domain-{indicator.domain}`"),
        ("Kind", KIND_TEXT[indicator.kind]),
        ("Unit", f"{UNIT_TEXT[indicator.unit]} (``{indicator.unit}``), {indicator.decimals} decimals"),
        ("Valid range", f"{_number(indicator.valid_range[0])} to {_number(indicator.valid_range[1])} {UNIT_TEXT[indicator.unit]}"),
        ("Polarity", POLARITY_TEXT[indicator.polarity]),
    ]
    if indicator.variant_of:
        national = catalog.get(indicator.variant_of)
        rows.append(("Variant of", f":ref:`indicator-{national.id}` ({national.name_zh})"))
    variants = [i for i in catalog if i.variant_of == indicator.id]
    if variants:
        rows.append(("Local variants", ", ".join(f":ref:`indicator-{v.id}`" for v in variants)))
    out += [".. list-table::", "   :widths: 20 80", ""]
    for key, value in rows:
        out += [f"   * - {key}", f"     - {value}"]
    out += ["", _title("Definition", "-"), indicator.definition.en, "", indicator.definition.zh, ""]
    out += [_title("Formula", "-"), f"``{_formula(indicator)}``", ""]
    out += [f"* Numerator: {_term(indicator.numerator)}"]
    if indicator.denominator is not None:
        out += [f"* Denominator: {_term(indicator.denominator)}"]
    out += [""]
    source = indicator.source
    out += [_title("Source", "-"), source.citation() + ("." if not source.citation().endswith(".") else "")]
    if source.title_en:
        out += ["", f"*{source.title_en}*"]
    if indicator.source_section:
        out += ["", f"Section: {indicator.source_section}"]
    if source.note:
        out += ["", f".. note:: {source.note}"]
    out += ["", _title("Worked example", "-"), *_example_block(indicator)]
    return "\n".join(out) + "\n"


def catalog_index(catalog: ph.Catalog) -> str:
    out = [".. _catalog:", "", _title("The indicator catalog")]
    out += [
        f"{len(catalog)} indicators in {len(catalog.domains())} domains, generated from the "
        "bundled catalog data at build time. Type in the box to filter the table.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "   :class: filterable",
        "",
        "   * - 中文名",
        "     - English name",
        "     - id",
        "     - kind",
        "     - unit",
    ]
    for indicator in catalog:
        out += [
            f"   * - :ref:`{indicator.name_zh} <indicator-{indicator.id}>`",
            f"     - {indicator.name_en}",
            f"     - ``{indicator.id}``",
            f"     - {indicator.kind}",
            f"     - {UNIT_TEXT[indicator.unit]}",
        ]
    out += [""]
    for domain in catalog.domains():
        out += [f".. _domain-{domain}:", "", _title(domain.replace("_", " ").capitalize(), "-")]
        out += [".. toctree::", "   :maxdepth: 1", ""]
        out += [f"   indicators/{i.id}" for i in catalog.indicators(domain)]
        out += [""]
    return "\n".join(out) + "\n"


def _write(path: Path, text: str) -> None:
    # Rewrite only on change, so incremental builds stay incremental.
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")


def generate(app: Sphinx) -> None:
    out = Path(app.srcdir) / OUT
    catalog = ph.bundled_catalog()
    _write(out / "catalog.rst", catalog_index(catalog))
    for indicator in catalog:
        _write(out / "indicators" / f"{indicator.id}.rst", indicator_page(indicator, catalog))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    return {"version": ph.__version__, "parallel_read_safe": True}
