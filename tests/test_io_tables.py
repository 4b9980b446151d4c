"""Reading and writing tables: encodings Chinese offices save, spreadsheets, stdin."""

from __future__ import annotations

import io
import sys

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("charset_normalizer")

from phindicators.errors import InvalidOptionError, ParseError  # noqa: E402
from phindicators.io import LINES, detect_encoding, read_table, write_table  # noqa: E402

TABLE = "地区,时期,活产数,孕产妇死亡数\n甲县,2023,\"2,158\",2\n乙县,2023,1900,0\n丙县,2023,30000,3\n"
EXPECTED = {"地区": ["甲县", "乙县", "丙县"], "活产数": [2158, 1900, 30000], "孕产妇死亡数": [2, 0, 3]}


def _check(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["地区", "时期", "活产数", "孕产妇死亡数"]
    for column, values in EXPECTED.items():
        assert frame[column].tolist() == values


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (TABLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TABLE.encode("utf-8"), "utf-8-sig"),
        (TABLE.encode("gbk"), "gb18030"),  # what Excel on Chinese Windows saves
        (TABLE.encode("gb18030"), "gb18030"),
        (TABLE.encode("utf-16"), "utf-16"),  # with its byte-order mark
        (TABLE.encode("utf-16-le"), "utf-16-le"),  # without one
    ],
)
def test_encodings_are_detected(encoded: bytes, encoding: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert detect_encoding(encoded) == encoding
    path = tmp_path / "table.csv"
    path.write_bytes(encoded)
    _check(read_table(path))
    _check(read_table(str(path)))


def test_encoding_override_and_a_clear_error_when_it_is_wrong(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gbk.csv"
    path.write_bytes(TABLE.encode("gbk"))
    _check(read_table(path, encoding="gbk"))
    with pytest.raises(ParseError, match="not valid utf-8 at byte"):
        read_table(path, encoding="utf-8")
    with pytest.raises(InvalidOptionError, match="unknown encoding 'gbkk'"):
        read_table(path, encoding="gbkk")


def test_comment_lines_and_blank_rows_keep_file_line_numbers() -> None:
    text = "# 2023年报\n\n地区,活产数\n甲县,2158\n,\n\n乙县,1900\n"
    frame = read_table(text.encode())
    assert frame["地区"].tolist() == ["甲县", "乙县"]
    assert frame.attrs[LINES].tolist() == [4, 7]


def test_stdin_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(TABLE.encode("gb18030")), encoding="ascii")
    monkeypatch.setattr(sys, "stdin", fake)
    _check(read_table("-"))


def test_xlsx_written_by_openpyxl_is_read_by_extension(tmp_path) -> None:  # type: ignore[no-untyped-def]
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["地区", "时期", "活产数", "孕产妇死亡数"])
    sheet.append(["甲县", 2023, 2158, 2])
    sheet.append([None, None, None, None])  # an empty row Excel users leave
    sheet.append(["乙县", 2023, "1,900", 0])  # a count typed as text with a separator
    path = tmp_path / "counts.xlsx"
    book.save(path)
    frame = read_table(path)
    assert frame["地区"].tolist() == ["甲县", "乙县"]
    assert frame["活产数"].tolist() == [2158, "1,900"]  # the text cell stays text, for the reader to parse
    assert frame["孕产妇死亡数"].tolist() == [2, 0]


def test_missing_xlsx_reader_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(ModuleNotFoundError, match=r"phindicators\[excel\]"):
        read_table(path)


@pytest.mark.parametrize("extension", [".csv", ".xlsx", ".json", ".parquet"])
def test_write_by_extension_round_trips(extension: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("openpyxl")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"area": ["甲县", "乙县"], "numerator": [2, 0], "value": [92.68, 0.0]})
    path = tmp_path / f"out{extension}"
    write_table(frame, path)
    back = {
        ".csv": lambda: read_table(path),
        ".xlsx": lambda: read_table(path),
        ".json": lambda: pd.read_json(path),
        ".parquet": lambda: pd.read_parquet(path),
    }[extension]()
    assert back["area"].tolist() == ["甲县", "乙县"]
    assert back["numerator"].tolist() == [2, 0]
    assert back["value"].tolist() == [92.68, 0.0]


#: Cells a spreadsheet would run as formulas (OWASP "CSV injection"), and
#: what a safe writer puts in the file instead.
_FORMULAS = {
    '=HYPERLINK("http://evil","x")': '\'=HYPERLINK("http://evil","x")',
    "+A1": "'+A1",
    "-A1": "'-A1",
    "@SUM(1)": "'@SUM(1)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "甲县": "甲县",
}


@pytest.mark.parametrize("pyarrow_installed", [True, False])
@pytest.mark.parametrize("kind", ["pandas", "dict", "categorical"])
def test_written_csv_cells_cannot_run_as_formulas(
    kind: str, pyarrow_installed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression (issue 15, F14 beyond scorecards): write_table wrote text
    cells verbatim, so "=HYPERLINK(...)" from a caller's file ran when the
    CSV was opened in a spreadsheet. Text cells and column names that start
    with = + - @, tab or CR get a leading apostrophe, with pyarrow's writer
    and pandas'; numbers, negative ones included, stay numbers."""
    import csv as csv_module

    if not pyarrow_installed:
        monkeypatch.setitem(sys.modules, "pyarrow", None)
    elif kind == "categorical":
        pytest.importorskip("pyarrow")
    areas = list(_FORMULAS)
    columns = {"area": areas, "gap": [-3.2] * len(areas), "=name": [1] * len(areas)}
    frame = {"pandas": lambda: pd.DataFrame(columns), "dict": lambda: columns}.get(
        kind, lambda: pd.DataFrame(columns).astype({"area": "category"})
    )()
    out = io.StringIO()
    write_table(frame, out, format="csv")
    rows = list(csv_module.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == ["area", "gap", "'=name"]
    assert [row[0] for row in rows[1:]] == list(_FORMULAS.values())
    assert {row[1] for row in rows[1:]} == {"-3.2"}
    # The number is written as a number: unquoted, without an apostrophe.
    assert ",-3.2," in out.getvalue()


def test_written_xlsx_text_cells_are_not_formulas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Regression (issue 15, F14): openpyxl stores a text cell that starts
    with "=" as a formula, so write_table's xlsx ran the caller's
    "=HYPERLINK(...)"; it is text now, and numbers stay numbers."""
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "out.xlsx"
    write_table({"area": list(_FORMULAS), "gap": [-3.2] * len(_FORMULAS)}, path)
    sheet = openpyxl.load_workbook(path).active
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [area for area, _ in cells] == list(_FORMULAS.values())
    assert {gap for _, gap in cells} == {-3.2}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_write_refuses_an_unknown_extension(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidOptionError, match="no writer for '.txt'"):
        write_table({"a": [1]}, tmp_path / "out.txt")


def test_read_arrow_keeps_lines_and_dates_as_text() -> None:
    pytest.importorskip("pyarrow")
    from phindicators.io import read_arrow

    text = "# 2023年报\n地区,时期,活产数\n甲县,2023-01-01,2158\n,,\n\n乙县,2023-02-01,\"1,900\"\n"
    table = read_arrow(text.encode("gbk"))
    assert table.column("地区").to_pylist() == ["甲县", "乙县"]
    assert table.column("时期").to_pylist() == ["2023-01-01", "2023-02-01"]  # as written, not dates
    assert table.column("活产数").to_pylist() == ["2158", "1,900"]  # text: the scorecard parses it
    import numpy as np

    assert np.frombuffer(table.schema.metadata[LINES.encode()], dtype=np.int64).tolist() == [3, 6]


def test_a_scorecard_of_an_arrow_table_names_file_lines(tiny) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pyarrow")
    from phindicators.io import open_table
    from phindicators.scorecard import scorecard

    text = "# 2023\narea,period,births,managed\n甲县,2023,\"1,000\",950\n\n乙县,2023,-5,1\n"
    card = scorecard(open_table(text.encode("utf-16")), catalog=tiny)
    assert [(row.area, row.denominator) for row in card] == [("甲县", 1000)]
    assert [str(error) for error in card.errors] == ["line 5: births is negative: -5"]


@pytest.mark.parametrize("extension", [".xlsx", ".parquet", ".csv", ".json", ".txt"])
def test_a_scorecard_is_written_by_the_extension(extension: str, tmp_path, tiny) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("openpyxl")
    pytest.importorskip("pyarrow")
    from phindicators.io import scorecard_output, write_scorecard
    from phindicators.scorecard import scorecard

    card = scorecard([{"area": "甲县", "period": "2023", "births": 1000, "managed": 950}], catalog=tiny)
    output = scorecard_output(f"out{extension}")
    assert output is not None
    format, binary = output
    path = tmp_path / f"out{extension}"
    with open(path, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})) as file:
        write_scorecard(card, file, format, lang="en")
    if extension in (".xlsx", ".parquet", ".csv"):
        back = pd.read_parquet(path) if extension == ".parquet" else read_table(path)
        assert back["display_zh"].tolist() == ["95.00%"]
        assert back["numerator"].tolist() == [950]
    else:
        assert "95.00%" in path.read_text(encoding="utf-8")
