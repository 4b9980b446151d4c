"""Reading reports as they arrive (issue 19): encodings, .docx, PDF, stdin."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

import phindicators as ph
from phindicators.errors import FileError, InvalidOptionError, ParseError
from phindicators.io.documents import detect_text_encoding, read_document

REPORT = (
    "2022年全市妇幼卫生工作总结\n"
    "全市产妇2164人,系统管理2067人,孕产妇系统管理率95.52%。\n"
    "0-6岁儿童14167人,系统管理13178人,0-6岁儿童系统管理率93.01%。\n"
)
#: The audit of REPORT: 2067/2164 = 95.518 % (consistent), 13178/14167 =
#: 93.019 % printed 93.01 % (cut, not rounded: truncated).
EXPECTED = [
    ("maternal_systematic_management_rate", "95.52%", "consistent"),
    ("child_systematic_management_rate_0_6", "93.01%", "truncated"),
]


def _audit(text: str) -> list[tuple[str, str, str]]:
    return [(m.indicator.id, m.figure.text, m.verdict.status.value) for m in ph.extract(text)]


def test_the_report_audits_as_expected() -> None:
    assert _audit(REPORT) == EXPECTED


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_plain_text_in_any_encoding_gives_the_same_audit(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode(encoding))
    assert _audit(read_document(path)) == EXPECTED


def test_an_encoding_can_be_given() -> None:
    data = REPORT.encode("gbk")
    assert read_document(data, encoding="gbk") == REPORT
    with pytest.raises(ParseError, match="not valid utf-8"):
        read_document(data, encoding="utf-8")
    with pytest.raises(InvalidOptionError, match="unknown encoding"):
        read_document(data, encoding="klingon")


def test_detection_tells_the_encodings_apart() -> None:
    assert detect_text_encoding(REPORT.encode("gbk")) == "gb18030"
    assert detect_text_encoding(REPORT.encode("utf-16-le")) == "utf-16-le"
    assert detect_text_encoding(REPORT.encode("utf-16-be")) == "utf-16-be"
    assert detect_text_encoding(REPORT.encode("utf-8")) == "utf-8"


def test_stdin_is_read_as_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(REPORT.encode("gbk")))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert _audit(read_document("-")) == EXPECTED


def _docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    lines = REPORT.splitlines()
    document.add_paragraph(lines[0])
    document.add_paragraph(lines[1])
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = lines[2]
    document.save(str(path))


def test_a_docx_gives_the_same_audit(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    _docx(path)
    assert _audit(read_document(path)) == EXPECTED
    assert _audit(read_document(path.read_bytes())) == EXPECTED  # told by its first bytes


def test_docx_table_cells_are_one_a_line(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("项目", "2013", "2014"), ("婴儿死亡率(‰)", "2.33", "2.42")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    path = tmp_path / "table.docx"
    document.save(str(path))
    text = read_document(path)
    assert text.splitlines() == ["项目", "2013", "2014", "婴儿死亡率(‰)", "2.33", "2.42"]
    periods = [[q.text for q in m.qualifiers] for m in ph.extract(text)]
    assert [m.figure.text for m in ph.extract(text)] == ["2.33", "2.42"]
    assert periods == [["2013"], ["2014"]]


def _pdf(path: Path) -> None:
    pytest.importorskip("pypdf")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    pdfmetrics = pytest.importorskip("reportlab.pdfbase.pdfmetrics")
    cidfonts = pytest.importorskip("reportlab.pdfbase.cidfonts")
    # An Adobe CID font: no font file needed, and pypdf reads its text back.
    pdfmetrics.registerFont(cidfonts.UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 11)
    for number, line in enumerate(REPORT.splitlines()):
        page.drawString(40, 800 - 20 * number, line)
    page.save()


def test_a_pdf_gives_the_same_audit(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    _pdf(path)
    assert _audit(read_document(path)) == EXPECTED


def test_a_pdf_without_a_text_layer_is_refused(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as file:
        writer.write(file)
    with pytest.raises(ParseError, match="no text layer"):
        read_document(path)


@pytest.mark.parametrize(("module", "suffix", "extra"), [("docx", ".docx", "docx"), ("pypdf", ".pdf", "pdf")])
def test_a_missing_reader_names_its_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, suffix: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"whatever")
    with pytest.raises(ImportError, match=rf"phindicators\[{extra}\]"):
        read_document(path)


def test_a_damaged_docx_is_a_parse_error(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ParseError, match="not a readable .docx"):
        read_document(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(FileError, match="not a regular file"):
        read_document(fifo)  # opening it would wait for a writer forever
    with pytest.raises(FileError, match="not a regular file"):
        read_document(tmp_path)


def test_a_document_larger_than_the_cap_is_refused() -> None:
    with pytest.raises(ParseError, match="larger than 10 bytes"):
        read_document(b"x" * 11, max_bytes=10)


def test_traditional_text_in_big5_is_read_with_its_encoding() -> None:
    pytest.importorskip("opencc")
    text = "孕產婦死亡率18.6/10萬。"
    assert _audit(read_document(text.encode("big5"), encoding="big5")) == [
        ("maternal_mortality_ratio", "18.6/10万", "unverifiable")
    ]
