"""The ``scorecard`` command: a table of counts in, every indicator judged, a scorecard out."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Iterator
from typing import IO

from phindicators._data import bundled_text
from phindicators.scorecard import (
    RowError,
    RowViolation,
    Scorecard,
    scorecard,
)
from phindicators.serialize import json_text

from . import common
from .common import EXAMPLE_TABLE, UsageError
from .output import atomic, emit, file_name

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


class _WatchedFile:
    """A text file whose lines, as they are read, move a progress bar."""

    STEP = 10_000

    def __init__(self, file: IO[str], total: int, progress: _Progress) -> None:
        self.file = file
        self.name = getattr(file, "name", "<file>")
        self.total = total
        self.progress = progress

    def read(self, size: int = -1) -> str:
        return self.file.read(size)

    def __iter__(self) -> Iterator[str]:
        for number, line in enumerate(self.file, start=1):
            if number % self.STEP == 0:
                self.progress.update("reading", number, self.total)
            yield line
        self.progress.update("reading", self.total, self.total)


def _count_lines(path: str) -> int:
    with open(path, "rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


def _read_scorecard(args: argparse.Namespace) -> Scorecard:
    options = {"benchmark": args.benchmark, "confidence": args.confidence}
    if args.file is None:
        text = bundled_text(*EXAMPLE_TABLE)
        return scorecard(io.StringIO(text), args.targets, **options)
    file_name(args.file, "read")
    try:
        lines = _count_lines(args.file) if sys.stderr.isatty() else 0
        with open(args.file, encoding="utf-8-sig", newline="") as file:
            if lines <= common.LARGE_INPUT:  # read at call time: tests lower it
                return scorecard(file, args.targets, **options)
            progress = _Progress(sys.stderr)
            try:
                return scorecard(
                    _WatchedFile(file, lines, progress),
                    args.targets,
                    progress=lambda done, total: progress.update("computing", done, total),
                    **options,
                )
            finally:
                progress.finish()
    except OSError as error:
        raise UsageError(f"cannot read {args.file}: {error.strerror or error}") from None


def run_scorecard(args: argparse.Namespace) -> int:
    # A name no file can have fails before anything is written.
    for path in (args.output, args.plot):
        if path is not None:
            file_name(path, "write")
    card = _read_scorecard(args)
    texts: dict[str, Callable[[], str]] = {
        "table": lambda: card.to_text(args.lang) + "\n",
        "json": lambda: json_text(card.to_json()),
    }

    def write(file: IO[str]) -> None:
        if args.format == "csv":
            card.write_csv(file)
        else:
            file.write(texts[args.format]())

    emit(args.output, write)
    # Errors and rule violations go to stderr unless the output shown holds them.
    if args.format == "csv" or args.output is not None:
        problems: list[RowError | RowViolation] = [*card.errors, *card.violations]
        for problem in problems:
            print(f"phindicators: {problem.located(args.lang)}", file=sys.stderr)
    if args.plot is not None:
        try:
            with atomic(args.plot, "wb") as file:
                card.plot(file, lang=args.lang)
        except ModuleNotFoundError as error:
            raise UsageError(str(error)) from None
    return 1 if card.errors else 0
