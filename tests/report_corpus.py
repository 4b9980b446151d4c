"""The corpus of real report text (``tests/data/reports``) and recall on it.

The corpus is excerpts of public Chinese health reports found by search (issue
19), each with a truth table typed by hand: every figure the excerpt prints,
the catalog indicator it belongs to (or ``""`` and a standard name when the
catalog has none), its value, period, area and, when the text ties them to it,
its counts. This module loads it and measures :func:`phindicators.extract`
against it, so that tests, benchmarks and the extraction work share one
definition of "found":

- a truth figure of a catalog indicator is **found** when a mention has the
  same indicator id and the same value (``Decimal`` equality of the printed
  number); each mention finds at most one figure;
- a **duplicate** is a further mention of a figure already found (the same
  indicator and value printed twice, as copied pages often do);
- a **false attribution** is any other mention whose value is a value the
  excerpt prints, for another indicator or for no catalog indicator;
- a **spurious** mention matches no printed figure at all (a change, a share
  or a P value read as a value).

Examples
--------
>>> reports = load_corpus()
>>> len(reports) >= 25
True
>>> [f.printed for f in reports[0].figures][:2]
['97.99%', '99.38%']
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import phindicators as ph

CORPUS_DIR = Path(__file__).parent / "data" / "reports"
CORPUS_TOML = CORPUS_DIR / "corpus.toml"

#: What each report is; the six kinds issue 19 names, and two more the search found.
KINDS = frozenset(
    {
        "work_summary",
        "bulletin",
        "yearbook",
        "chorography",
        "abstract",
        "press_release",
        "monograph",
        "slides",
    }
)
SCRIPTS = frozenset({"simplified", "traditional", "ocr"})


@dataclass(frozen=True)
class TruthFigure:
    """One figure an excerpt prints, as checked by hand."""

    indicator: str
    printed: str
    value: Decimal
    unit: str
    period: str
    area: str
    is_target_or_bound: bool
    arithmetic: str
    standard_name: str = ""
    numerator: int | None = None
    denominator: int | None = None


@dataclass(frozen=True)
class Report:
    """One excerpt with its source and truth table."""

    id: str
    file: str
    address: str
    source: str
    kind: str
    years: str
    script: str
    note: str
    figures: tuple[TruthFigure, ...]
    #: The counts the excerpt prints ("活产数398人"), whether or not tied to a figure.
    counts: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        """The excerpt's file."""
        return CORPUS_DIR / self.file

    @property
    def text(self) -> str:
        """The excerpt, exactly as found."""
        return self.path.read_text(encoding="utf-8")

    @property
    def catalog_figures(self) -> tuple[TruthFigure, ...]:
        """The figures that belong to a catalog indicator."""
        return tuple(f for f in self.figures if f.indicator)


@dataclass
class ReportRecall:
    """What extraction found in one report.

    ``found`` and ``missed`` are truth figures of catalog indicators;
    ``duplicates``, ``false_attributions`` and ``spurious`` are
    ``(indicator id, figure text)`` of mentions; ``verdicts`` maps a found figure's printed text to the status
    of the mention's audit.
    """

    id: str
    expected: int
    found: list[TruthFigure] = field(default_factory=list)
    missed: list[TruthFigure] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    false_attributions: list[tuple[str, str]] = field(default_factory=list)
    spurious: list[tuple[str, str]] = field(default_factory=list)
    verdicts: dict[str, str] = field(default_factory=dict)

    @property
    def recall(self) -> float | None:
        """Found / expected, or None for a report without catalog figures."""
        return len(self.found) / self.expected if self.expected else None


def _figure(raw: dict[str, object]) -> TruthFigure:
    def count(key: str) -> int | None:
        value = raw.get(key)
        return int(value) if isinstance(value, int) else None

    return TruthFigure(
        indicator=str(raw["indicator"]),
        printed=str(raw["printed"]),
        value=Decimal(str(raw["value"])),
        unit=str(raw["unit"]),
        period=str(raw["period"]),
        area=str(raw["area"]),
        is_target_or_bound=bool(raw["is_target_or_bound"]),
        arithmetic=str(raw["arithmetic"]),
        standard_name=str(raw.get("standard_name", "")),
        numerator=count("numerator"),
        denominator=count("denominator"),
    )


def load_corpus(path: Path = CORPUS_TOML) -> list[Report]:
    """Every report of the corpus, in file order.

    Examples
    --------
    >>> load_corpus()[0].kind
    'work_summary'
    """
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [
        Report(
            id=str(raw["id"]),
            file=str(raw["file"]),
            address=str(raw["address"]),
            source=str(raw["source"]),
            kind=str(raw["kind"]),
            years=str(raw["years"]),
            script=str(raw["script"]),
            note=str(raw["note"]),
            figures=tuple(_figure(fig) for fig in raw.get("figures", [])),
            counts=tuple(str(c) for c in raw.get("counts", [])),
        )
        for raw in data["reports"]
    ]


def report_recall(report: Report) -> ReportRecall:
    """Run :func:`phindicators.extract` on one excerpt and score it.

    Examples
    --------
    >>> result = report_recall(load_corpus()[0])
    >>> result.expected, len(result.found)
    (7, 7)
    """
    mentions = ph.extract(report.text)
    expected = report.catalog_figures
    result = ReportRecall(id=report.id, expected=len(expected))
    used: set[int] = set()
    for figure in expected:
        for index, mention in enumerate(mentions):
            if index in used:
                continue
            if (
                mention.indicator.id == figure.indicator
                and mention.figure.value == figure.value
            ):
                used.add(index)
                result.found.append(figure)
                result.verdicts[figure.printed] = mention.verdict.status.value
                break
        else:
            result.missed.append(figure)
    printed_values = {f.value for f in report.figures}
    found_printed = {(f.indicator, f.value): f.printed for f in result.found}
    # A repeat is only a duplicate where the text prints the figure more often
    # than the truth table lists it ("5.32/10万" twice in a copied page); where
    # every occurrence is listed ("100%" five times for five indicators), a
    # second mention took another indicator's figure.
    spare = {
        f.printed: report.text.count(f.printed)
        - sum(g.printed == f.printed for g in report.figures)
        for f in report.figures
    }
    for index, mention in enumerate(mentions):
        if index in used:
            continue
        entry = (mention.indicator.id, mention.figure.text)
        printed = found_printed.get((mention.indicator.id, mention.figure.value))
        if printed is not None and spare[printed] > 0:
            spare[printed] -= 1
            result.duplicates.append(entry)
        elif mention.figure.value in printed_values:
            result.false_attributions.append(entry)
        else:
            result.spurious.append(entry)
    return result


@dataclass
class CorpusRecall:
    """Recall over the whole corpus, with each report's details."""

    reports: list[ReportRecall]

    @property
    def expected(self) -> int:
        """Truth figures of catalog indicators in the corpus."""
        return sum(r.expected for r in self.reports)

    @property
    def found(self) -> int:
        """Those that extraction found."""
        return sum(len(r.found) for r in self.reports)

    @property
    def recall(self) -> float:
        """Found / expected over the corpus."""
        return self.found / self.expected

    @property
    def max_false_attributions(self) -> int:
        """The most false attributions in any one report."""
        return max(len(r.false_attributions) for r in self.reports)


def corpus_recall(reports: Sequence[Report] | None = None) -> CorpusRecall:
    """Recall of :func:`phindicators.extract` on the corpus, per report.

    Examples
    --------
    >>> result = corpus_recall()
    >>> 0.0 <= result.recall <= 1.0
    True
    >>> len(result.reports) == len(load_corpus())
    True
    """
    return CorpusRecall([report_recall(r) for r in (reports or load_corpus())])


def summary(result: CorpusRecall) -> str:
    """A plain-text table of a recall measurement, one line per report.

    Examples
    --------
    >>> summary(corpus_recall()).splitlines()[0].split()[:3]
    ['report', 'found/expected', 'false']
    """
    lines = ["report  found/expected  false  spurious  missed"]
    for r in result.reports:
        missed = ", ".join(f"{f.indicator}={f.printed!r}" for f in r.missed)
        lines.append(
            f"{r.id:>6}  {len(r.found):>5}/{r.expected:<8} {len(r.false_attributions):>5}"
            f"  {len(r.spurious):>8}  {missed}"
        )
    lines.append(
        f"total   {result.found}/{result.expected} recall {result.recall:.3f}, "
        f"max false attributions per report {result.max_false_attributions}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(corpus_recall()))
