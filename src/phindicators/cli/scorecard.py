"""The ``scorecard`` command: a table of counts in, every indicator judged, a scorecard out."""

from __future__ import annotations

import argparse
import io
import sys
from typing import IO

from phindicators._data import bundled_text
from phindicators._files import open_text
from phindicators.io import open_table, scorecard_output, write_scorecard
from phindicators.scorecard import (
    RowError,
    RowViolation,
    Scorecard,
    scorecard,
)
from phindicators.scorecard.plot import plot_format

from . import common
from .common import EXAMPLE_TABLE, UsageError
from .output import atomic, emit, file_name

#: Formats written to a binary file.
BINARY_OUTPUTS = ("xlsx", "parquet")

# -- scorecard -------------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on stderr: the phase, a bar and a percentage,
    redrawn only when the percentage changes."""

    WIDTH = 30

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.shown: tuple[str, int] | None = None

    def update(self, phase: str, done: int, total: int) -> None:
        percent = min(100, 100 * done // total) if total else 100
        if (phase, percent) == self.shown:
            return
        self.shown = (phase, percent)
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{phase:<9} [{bar}] {percent:3d}%")
        self.stream.flush()

    def finish(self) -> None:
        if self.shown is not None:
            self.stream.write("\n")
            self.stream.flush()


def _count_lines(path: str) -> int:
    with open_text(path, encoding="latin-1") as file:  # refuses FIFOs and devices
        return sum(chunk.count("\n") for chunk in iter(lambda: file.read(1 << 20), ""))


def _read_scorecard(args: argparse.Namespace) -> Scorecard:
    options = {
        "benchmark": args.benchmark,
        "confidence": args.confidence,
        "area": args.area,
        "period": args.period,
        "uncertain": args.uncertain,
    }
    targets = args.targets[0] if args.targets and len(args.targets) == 1 else args.targets
    if args.file is None:
        text = bundled_text(*EXAMPLE_TABLE)
        return scorecard(io.StringIO(text), targets, **options)
    if args.file != "-":
        file_name(args.file, "read")
    try:
        lines = _count_lines(args.file) if args.file != "-" and sys.stderr.isatty() else 0
        progress = _Progress(sys.stderr) if lines > common.LARGE_INPUT else None  # read at call time: tests lower it
        try:
            if progress is not None:
                progress.update("reading", 0, lines)
            table = open_table(args.file, encoding=args.encoding, sheet=args.sheet)
            if progress is None:
                return scorecard(table, targets, **options)
            progress.update("reading", lines, lines)
            return scorecard(
                table,
                targets,
                progress=lambda done, total: progress.update("computing", done, total),
                **options,
            )
        finally:
            if progress is not None:
                progress.finish()
    except OSError as error:
        raise UsageError(f"cannot read {args.file}: {error.strerror or error}") from None
    except ModuleNotFoundError as error:
        raise UsageError(str(error)) from None


def run_scorecard(args: argparse.Namespace) -> int:
    # A name no file can have fails before anything is written.
    for path in (args.output, args.plot):
        if path is not None:
            file_name(path, "write")
    by_extension = None if args.output is None else scorecard_output(args.output)
    fmt = args.format or (by_extension[0] if by_extension else "table")
    card = _read_scorecard(args)
    try:
        if fmt in BINARY_OUTPUTS:
            if args.output is None:
                raise UsageError(f"--format {fmt} writes a file: give --output OUT.{fmt}")
            with atomic(args.output, "wb") as file:
                write_scorecard(card, file, fmt, lang=args.lang)
        else:
            emit(args.output, lambda file: write_scorecard(card, file, fmt, lang=args.lang))
    except ModuleNotFoundError as error:
        raise UsageError(str(error)) from None
    # Errors and rule violations go to stderr unless the output shown holds them.
    if fmt != "table" or args.output is not None:
        problems: list[RowError | RowViolation] = [*card.errors, *card.violations]
        for problem in problems:
            print(f"phindicators: {problem.located(args.lang)}", file=sys.stderr)
    if args.plot is not None:
        try:
            kind = plot_format(args.plot)  # before anything is written: .svg is SVG, .txt an error
            with atomic(args.plot, "wb") as file:
                note = card.plot(file, lang=args.lang, format=kind)
        except ModuleNotFoundError as error:
            raise UsageError(str(error)) from None
        if note:
            print(f"phindicators: {note}", file=sys.stderr)
    return 1 if card.errors else 0


