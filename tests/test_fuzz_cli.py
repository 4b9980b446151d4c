"""Fuzzing the command line and the scorecard's tables.

``main([...])`` gets arbitrary arguments (the subcommands, options and
values it knows, mixed with arbitrary text, and files of arbitrary bytes):
it must return 0, 1 or 2, or exit through argparse with status 0 or 2, and
never raise anything else or print a traceback. :func:`scorecard` gets
tables with arbitrary cells: every data line must come back either as a
computed row (with the value its counts give) or as a reported error, never
be dropped. See ``tests/test_fuzz_compute.py`` for the profiles
(``HYPOTHESIS_PROFILE=dev`` searches harder).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import pathlib
import tempfile

import numpy as np
from hypothesis import assume, event, given
from hypothesis import strategies as st

from phindicators import Catalog, PhindicatorsError
from phindicators.cli import main
from phindicators.scorecard import scorecard
from tests.conftest import TINY

CATALOG = Catalog.from_toml(TINY)

COMMANDS = ["list", "show", "compute", "scorecard", "export", "demo", "audit"]
OPTIONS = [
    "--domain", "--lang", "--confidence", "--format", "--targets", "--benchmark", "--output",
    "--plot", "--strict", "--help", "-h", "--",
]
VALUES = [
    "zh", "en", "fr", "json", "csv", "table", "text", "schema", "fhir", "dhis2", "0.95", "95", "0.5",
    "nan", "inf", "-1", "0", "1e400", "2", "2158", "孕产妇死亡率", "maternal_mortality_ratio", "婴儿死亡率",
    "child_health", "women_outline_2011", "sdg_2030", "pooled", "甲县", "nowhere", "1_000",
]


NOISE = st.one_of(st.sampled_from(OPTIONS), st.sampled_from(VALUES), st.text(max_size=8))


def _value(options: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(options), st.sampled_from(VALUES), st.text(max_size=6))


@st.composite
def arguments(draw: st.DrawFn, files: list[str]) -> list[str]:
    """An argument list: usually a command with plausible arguments and
    options, sometimes with noise added, sometimes noise alone."""
    names = st.one_of(st.sampled_from(["孕产妇死亡率", "婴儿死亡率", "maternal_systematic_management_rate",
                                       "inpatient_reimbursement_per_beneficiary", "ncms_enrollment_rate"]), st.text(max_size=6))
    numbers = st.one_of(st.integers(-5, 10**7).map(str), st.floats().map(repr), st.sampled_from(VALUES))
    outputs = st.sampled_from(["out.txt", "out.json", "out.png", ".", "input0.txt"])
    command = draw(st.sampled_from([*COMMANDS, "noise"]))
    argv: list[str] = [] if command == "noise" else [command]
    optional: dict[str, st.SearchStrategy[str]] = {}
    if command == "compute":
        argv += [draw(names), *draw(st.lists(numbers, min_size=1, max_size=2))]
        optional = {"--lang": _value(["zh", "en"]), "--confidence": numbers, "--format": _value(["text", "json"])}
    elif command == "show":
        argv.append(draw(names))
        optional = {"--lang": _value(["zh", "en"])}
    elif command == "list":
        optional = {"--domain": _value(["child_health", "maternal_health", "x"])}
    elif command in ("scorecard", "audit"):
        if draw(st.booleans()):
            argv.append(draw(st.sampled_from(files)))
        optional = {"--targets": _value(["women_outline_2011", "sdg_2030", "x"]), "--format": _value(["table", "json", "csv"])}
        if command == "scorecard":
            optional |= {"--benchmark": _value(["pooled", "某市", "x"]), "--confidence": numbers,
                         "--output": outputs, "--lang": _value(["zh", "en"]), "--plot": outputs}
        else:
            optional |= {"--strict": st.just("")}
    elif command == "export":
        optional = {"--format": _value(["json", "schema", "fhir", "dhis2"]), "--output": outputs}
    for option in draw(st.lists(st.sampled_from(sorted(optional)), max_size=3, unique=True)) if optional else []:
        value = draw(optional[option])
        argv += [option, value] if value else [option]
    for _ in range(draw(st.integers(0, 2)) if draw(st.booleans()) else 0):
        argv.insert(draw(st.integers(0, len(argv))), draw(NOISE))
    # Random text must not name a file outside the scratch folder (--output x).
    assume(all(os.sep not in token and not token.startswith("~") for token in argv if token not in files))
    return argv


def _run(argv: list[str]) -> tuple[int, str]:
    """main(argv) with its output captured: (status, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit:  # argparse: --help, or arguments it cannot parse
            assert exit.code in (0, 2), exit.code
            return int(exit.code), err.getvalue()  # type: ignore[arg-type]
    return status, err.getvalue()


FILE_CONTENTS = st.one_of(
    st.binary(max_size=60),
    st.text(max_size=60).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            "全市产妇2164人,系统管理2067人,系统管理率达到95.52%。".encode(),
            "indicator,area,period,numerator,denominator\n孕产妇死亡率,甲县,2023,2,2158\n".encode(),
            "area,period,live_births,maternal_deaths\n甲县,2023,2158,2\n乙县,2023,-5,x\n".encode(),
            "婴儿死亡率10.66".encode("gb18030"),
            b"\xef\xbb\xbfindicator,area,period,numerator,denominator\n",
            "婚前医学检查1000000000000000000000000000人,婚检率0.0000000001%。".encode(),
        ]
    ),
)


@given(st.lists(FILE_CONTENTS, min_size=1, max_size=2), st.data())
def test_the_command_line_exits_cleanly(contents: list[bytes], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        files = []
        for number, content in enumerate(contents):
            path = pathlib.Path(folder) / f"input{number}.txt"
            path.write_bytes(content)
            files.append(str(path))
        argv = data.draw(arguments(files + [str(pathlib.Path(folder) / "missing.csv"), folder]))
        status, errors = _run(argv)
        event(f"{argv[0] if argv else '-'} exits {status}")
        assert status in (0, 1, 2), (argv, status)
        assert "Traceback" not in errors
        if status == 2:
            assert errors.strip(), "exit status 2 without a message"
        # Nothing is left half-written: no temporary files of atomic writes.
        assert not [name for name in os.listdir(folder) if name.endswith(".part")]


# -- scorecard tables ------------------------------------------------------------------------

NUMBER_CELLS = st.one_of(
    st.integers(0, 10**4).map(str),
    st.integers(0, 10**4).map(str),
    st.integers(-3, 10**6).map(str),
    st.integers(0, 2**64).map(str),
    st.floats().map(repr),
    st.sampled_from(["", " 12 ", "1e3", "nan", "inf", "-0", "1,234", "２１５８", "两", "12.5", "0", "None", "TRUE"]),
    st.text(max_size=4),
)
NAME_CELLS = st.one_of(
    st.sampled_from([i.id for i in CATALOG] + [i.name_zh for i in CATALOG]),
    st.sampled_from([i.id for i in CATALOG] + ["死亡率", "nothing", ""]),
    st.text(max_size=4),
)
KEY_CELLS = st.one_of(st.sampled_from(["甲县", "乙县", "2023", "2024", ""]), st.text(max_size=3))


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def long_tables(draw: st.DrawFn) -> list[list[str]]:
    header = ["indicator", "area", "period", "numerator", "denominator"]
    rows = draw(st.lists(st.tuples(NAME_CELLS, KEY_CELLS, KEY_CELLS, NUMBER_CELLS, NUMBER_CELLS).map(list), max_size=6))
    return [header, *rows]


@st.composite
def wide_tables(draw: st.DrawFn) -> list[list[str]]:
    terms = draw(st.lists(st.sampled_from(sorted(CATALOG.terms)), min_size=1, max_size=4, unique=True))
    rows = draw(st.lists(st.tuples(KEY_CELLS, KEY_CELLS, *[NUMBER_CELLS] * len(terms)).map(list), max_size=5))
    return [["area", "period", *terms], *rows]


def _as_number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


@given(
    st.one_of(long_tables(), wide_tables()),
    st.sampled_from([None, None, "甲县", "pooled", "nowhere"]),
    st.sampled_from([0.95, 0.95, 99.8, 0.5]),
)
def test_scorecard_keeps_every_row(rows: list[list[str]], benchmark: str | None, confidence: float) -> None:
    text = _csv(rows)
    try:
        card = scorecard(io.StringIO(text), catalog=CATALOG, rules=(), benchmark=benchmark, confidence=confidence)
    except PhindicatorsError as error:
        event(type(error).__name__)
        return
    event(f"{card.layout}: {len(card)} rows, {len(card.errors)} errors")
    # The first line of every data row with something in it (a quoted cell
    # may hold line breaks; blank rows carry no data).
    reader, data_lines, cells_at, previous = csv.reader(io.StringIO(text)), set(), {}, 0
    for cells in reader:
        start, previous = previous + 1, reader.line_num
        if start > 1 and "".join(cells).strip():
            data_lines.add(start)
            cells_at[start] = cells
    accounted = set(card.columns["line"]) | {error.line for error in card.errors}
    # No row is lost: each one is computed or reported (a wide row that
    # names no indicator's terms has nothing to compute).
    if card.layout == "long":
        assert accounted == data_lines
    else:
        assert accounted <= data_lines
    for row in card:
        assert np.isfinite(row.value)
        if card.layout == "long":  # the numerator is the cell's number, to the last digit
            printed = _as_number(cells_at[row.line][3].strip())
            assert printed is None or row.numerator == printed
        indicator = CATALOG.get(row.indicator)
        expected = indicator.compute(row.numerator, row.denominator, confidence=None).value
        assert row.value == expected
        if row.lower is not None:
            assert row.lower <= row.value <= row.upper
