"""The commands on definitions: ``list``, ``show``, ``compute``, ``export`` and ``demo``."""

from __future__ import annotations

import argparse
import sys

from phindicators import _version
from phindicators._json import json_text, to_json_value, write_json
from phindicators.catalog import bundled_catalog, find, indicators
from phindicators.compute import value_scale
from phindicators.display import (
    KIND_LABELS,
    POLARITY_LABELS,
    SCOPE_LABELS,
    format_count,
    format_result,
    text_width,
)
from phindicators.export import export_catalog
from phindicators.model import Indicator, Term
from phindicators.scorecard import (
    format_target,
)
from phindicators.targets import target_sets
from phindicators.units import unit_spec

from .common import indicator_name
from .output import emit


def run_list(args: argparse.Namespace) -> None:
    for indicator in indicators(args.domain):
        print(f"{indicator.id:45} {indicator.name_zh}  [{indicator.kind}, {indicator.unit}]")


# -- show --------------------------------------------------------------------------------

#: The rows of a definition card: key, Chinese label, English label.
_CARD_ROWS: tuple[tuple[str, str, str], ...] = (
    ("other_name", "英文名称", "Chinese name"),
    ("aliases", "别名", "aliases"),
    ("domain", "领域", "domain"),
    ("kind", "类型", "kind"),
    ("definition", "定义", "definition"),
    ("formula", "计算公式", "formula"),
    ("unit", "单位", "unit"),
    ("valid_range", "取值范围", "valid range"),
    ("polarity", "方向", "polarity"),
    ("source", "来源", "source"),
    ("targets", "目标", "targets"),
)


_CARD_UNIT = {"zh": "{words}（{unit}），保留{decimals}位小数", "en": "{words} ({unit}), {decimals} decimals"}


def _unit_words(unit: str, lang: str, denominator: str = "") -> str:
    """A unit as reports print it, without a value: "/10万", "per 100,000 live births"."""
    return getattr(unit_spec(unit), lang).format(value="", denominator=denominator).strip()


def _term(term: Term, lang: str) -> str:
    name = term.name_zh if lang == "zh" else term.name_en
    return name if term.unit == "count" else f"{name} ({_unit_words(term.unit, lang)})"


def _formula(indicator: Indicator, lang: str) -> str:
    if indicator.denominator is None:
        return _term(indicator.numerator, lang)
    formula = f"{_term(indicator.numerator, lang)} / {_term(indicator.denominator, lang)}"
    scale = value_scale(indicator)
    return formula if scale == 1 else f"{formula} × {format_count(scale, lang)}"


def _limit(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:g}"


def _targets(indicator: Indicator, lang: str) -> list[str]:
    denominator = indicator.denominator.name_en if indicator.denominator else ""
    lines = []
    for plan in target_sets():
        for target in plan.for_indicator(indicator.id):
            requirement = format_target(target, lang, denominator) or str(target)
            scope = SCOPE_LABELS[target.scope.value][lang] + (f", {target.note}" if target.note else "")
            plan_name = plan.name_zh if lang == "zh" else plan.name_en
            lines.append(f"{requirement} [{scope}]  {plan.id}: {plan_name}")
    return lines


def _card(indicator: Indicator, lang: str) -> list[tuple[str, list[str]]]:
    """The labelled lines of a definition card, in ``lang``."""
    denominator = indicator.denominator.name_en if indicator.denominator else ""
    words = _unit_words(indicator.unit, lang, denominator)
    low, high = indicator.valid_range
    source = indicator.source.citation()
    if indicator.source_section:
        source += f", {indicator.source_section}"
    values = {
        "other_name": [indicator_name(indicator, "en" if lang == "zh" else "zh")],
        "aliases": [", ".join(indicator.aliases)] if indicator.aliases else [],
        "domain": [indicator.domain],
        "kind": [KIND_LABELS[indicator.kind.value][lang]],
        "definition": [indicator.definition.get(lang)],
        "formula": [_formula(indicator, lang)],
        "unit": [
            _CARD_UNIT[lang].format(
                words=words or indicator.unit, unit=indicator.unit, decimals=indicator.decimals
            )
        ],
        "valid_range": [f"{_limit(low)}–{_limit(high)} {words}".rstrip()],
        "polarity": [POLARITY_LABELS[indicator.polarity.value][lang]],
        "source": [source],
        "targets": _targets(indicator, lang),
    }
    return [(zh if lang == "zh" else en, values[key]) for key, zh, en in _CARD_ROWS if values[key]]


def run_show(args: argparse.Namespace) -> None:
    indicator = find(args.indicator)
    print(f"{indicator_name(indicator, args.lang)} ({indicator.id})")
    rows = _card(indicator, args.lang)
    width = max(text_width(label) for label, _ in rows)
    for label, lines in rows:
        for number, line in enumerate(lines):
            shown = label if number == 0 else ""
            print(f"  {shown}{' ' * (width - text_width(shown))}  {line}")


# -- compute ---------------------------------------------------------------------------------


def run_compute(args: argparse.Namespace) -> None:
    indicator = find(args.indicator)
    level = args.confidence
    if args.format == "json":
        result = indicator.compute(args.numerator, args.denominator, confidence=level or 0.95)
        document = {
            "indicator": indicator.id,
            "numerator": result.numerator,
            "denominator": result.denominator,
            "value": result.value,
            "unit": result.unit,
            "display_zh": result.format("zh"),
            "display_en": result.format("en"),
            "lower": result.lower,
            "upper": result.upper,
            "confidence": result.confidence,
            "method": result.method,
            "interval_zh": format_result(result, "zh"),
            "interval_en": format_result(result, "en"),
        }
        sys.stdout.write(json_text(to_json_value(document)))
        return
    # Without --confidence the line holds the value alone, as it always has.
    result = indicator.compute(args.numerator, args.denominator, confidence=level)
    shown = result.format(args.lang) if level is None else format_result(result, args.lang)
    print(f"{indicator_name(indicator, args.lang)} ({indicator.id}): {shown}")

# -- export ----------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> None:
    document = export_catalog(bundled_catalog(), args.format, target_sets())
    emit(args.output, lambda file: write_json(document, file))

# -- demo ------------------------------------------------------------------------------------


def run_demo(args: argparse.Namespace) -> None:
    catalog = bundled_catalog()
    print(f"phindicators {_version.__version__}: {len(catalog)} indicators")
    for domain in catalog.domains():
        print(f"\n[{domain}]")
        for indicator in catalog.indicators(domain):
            print(f"  {indicator.id:45} {indicator.name_zh}")
    print("\nWorked examples from the bundled reports (recomputed, then as published):")
    for indicator in catalog:
        for example in indicator.examples:
            result = indicator.compute(example.numerator, example.denominator)
            counts = f"{example.numerator:g}" + (
                f"/{example.denominator:g}" if example.denominator is not None else ""
            )
            if not example.published:
                verdict = f"no figure printed [{example.reference}]"
            else:
                adds_up = "adds up" if example.consistent else "DOES NOT ADD UP"
                verdict = f"published {example.published} [{example.reference}]: {adds_up}"
            print(f"  {indicator.name_zh}: {counts} -> {result.format()}  ({verdict})")
