"""A scorecard as a plain-text table, headed in Chinese or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..display import format_count, format_status, text_width
from .rows import POOLED, ScorecardRow

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .card import Scorecard

__all__ = ["benchmark_name", "scorecard_text"]


#: Columns of the plain-text table: key, Chinese header, English header.
_TEXT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("indicator", "指标", "indicator"),
    ("area", "地区", "area"),
    ("period", "时期", "period"),
    ("numerator", "分子", "numerator"),
    ("denominator", "分母", "denominator"),
    ("value", "数值（{level}置信区间）", "value ({level} CI)"),
    ("target", "目标", "target"),
    ("target_status", "达标情况", "status"),
    ("benchmark", "与{benchmark}比较", "vs {benchmark}"),
    ("violations", "违反的校验规则", "rules broken"),
)

#: Words of the plain-text report around the table.
_TEXT_WORDS: dict[str, dict[str, str]] = {
    "title": {"zh": "记分卡：{rows}行", "en": "scorecard of {rows} row{plural}"},
    "targets": {"zh": "，目标：{plan}", "en": ", targets of {plan}"},
    "benchmark": {"zh": "，基准：{benchmark}", "en": ", benchmark {benchmark}"},
    "pooled": {"zh": "合计", "en": "pooled total"},
    "is_benchmark": {"zh": "（基准）", "en": "(benchmark)"},
    "errors": {"zh": "未能计算（{count}处）：", "en": "not computed ({count}):"},
    "violations": {"zh": "违反校验规则（{count}处）：", "en": "rule violations ({count}):"},
    "notes": {"zh": "说明：", "en": "notes:"},
}


def benchmark_name(card: Scorecard, lang: str) -> str:
    return _TEXT_WORDS["pooled"][lang] if card.benchmark == POOLED else str(card.benchmark)


def _cells(row: ScorecardRow, lang: str) -> dict[str, str]:
    benchmark = (
        _TEXT_WORDS["is_benchmark"][lang]
        if row.benchmark_status is None
        else format_status(row.benchmark_status, lang)
    )
    return {
        "indicator": row.name(lang),
        "area": row.area,
        "period": row.period,
        "numerator": format_count(row.numerator, lang, decimals=_places(row.numerator)),
        "denominator": ""
        if row.denominator is None
        else format_count(row.denominator, lang, decimals=_places(row.denominator)),
        "value": row.interval(lang),
        "target": (row.target_zh if lang == "zh" else row.target_en) or "",
        "target_status": format_status(row.target_status, lang),
        "benchmark": benchmark,
        "violations": ", ".join(row.violations),
    }


def _places(number: float) -> int:
    # Amounts of money (9.55万元) keep their decimals; counts have none.
    return 0 if float(number).is_integer() else len(repr(float(number)).split(".")[1])


def scorecard_text(card: Scorecard, lang: str) -> str:
    shown = {
        "target": card.target_set is not None,
        "target_status": card.target_set is not None,
        "benchmark": card.benchmark is not None,
        "violations": any(row.violations for row in card.rows),
    }
    columns = [column for column in _TEXT_COLUMNS if shown.get(column[0], True)]
    words = {"level": f"{round(card.confidence * 100, 6):g}%", "benchmark": benchmark_name(card, lang)}
    header = [(zh if lang == "zh" else en).format(**words) for _, zh, en in columns]
    body = [[_cells(row, lang)[key] for key, _, _ in columns] for row in card.rows]
    widths = [max(text_width(line[i]) for line in [header, *body]) for i in range(len(columns))]
    title = _TEXT_WORDS["title"][lang].format(rows=len(card), plural="" if len(card) == 1 else "s")
    if card.target_set is not None:
        title += _TEXT_WORDS["targets"][lang].format(plan=card.target_set)
    if card.benchmark is not None:
        title += _TEXT_WORDS["benchmark"][lang].format(benchmark=benchmark_name(card, lang))
    lines = [title]
    for cells in [header, *body]:
        padded = (cell + " " * (width - text_width(cell)) for cell, width in zip(cells, widths, strict=True))
        lines.append("  ".join(padded).rstrip())
    sections = (
        ("errors", [error.located(lang) for error in card.errors]),
        ("violations", [violation.located(lang) for violation in card.violations]),
        ("notes", list(card.notes)),
    )
    for key, items in sections:
        if items:
            lines += ["", _TEXT_WORDS[key][lang].format(count=len(items))]
            lines += [f"  {item}" for item in items]
    return "\n".join(lines)

