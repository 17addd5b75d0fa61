"""The XLSX writer (pipeline/workbook.py): cell types, dates, hostile text, reproducibility.

Read back with openpyxl (a second implementation) and, where Excel's rules are about the
XML itself (escapes, cell references, styles), from the sheet's XML."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest

import moldir.pipeline.workbook as workbook_module
from moldir.pipeline.downloads import ZIP_DATE, as_table, neutralise, written, xlsx_bytes
from moldir.pipeline.workbook import (
    column_letters,
    excel_serial,
    large_sheet,
    safe_sheet_title,
    write_xlsx,
    xml_text,
)
from tests.test_tables_downloads import one

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def sheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def cells_xml(content: bytes) -> dict[str, ElementTree.Element]:
    """Every cell of the sheet by reference (parsing fails on malformed XML)."""
    root = ElementTree.fromstring(sheet_xml(content))
    return {cell.get("r"): cell for cell in root.iter(f"{MAIN}c")}


def rows(published) -> list[list[tuple]]:
    return published.xlsx()


# --- cell types ---------------------------------------------------------------------------


def test_numbers_are_number_cells_only_when_excel_holds_them_exactly(tmp_path):
    fields = [
        {"name": "i", "type": "integer"},
        {"name": "n", "type": "number"},
        {"name": "y", "type": "year"},
        {"name": "ok", "type": "boolean"},
    ]
    text = (
        "i,n,y,ok\n"
        "999999999999999,0.1,0999,true\n"
        "1000000000000000,0.12345678901234567,2024,false\n"
        "-999999999999999,NaN,,\n"
        "123456789012345678901234567890,INF,2001,true\n"
        ",1e300,2002,false\n"
        "7,1.50,2003,\n"
    )
    published = one(tmp_path, text, fields)
    assert rows(published) == [
        [("i", "s"), ("n", "s"), ("y", "s"), ("ok", "s")],
        [(999999999999999, "n"), (0.1, "n"), (999, "n"), (True, "b")],
        [("1000000000000000", "s"), ("0.12345678901234567", "s"), (2024, "n"), (False, "b")],
        [(-999999999999999, "n"), ("NaN", "s"), (None, "n"), (None, "n")],
        [("123456789012345678901234567890", "s"), ("Infinity", "s"), (2001, "n"), (True, "b")],
        [(None, "n"), (1e300, "n"), (2002, "n"), (False, "b")],
        [(7, "n"), (1.5, "n"), (2003, "n"), (None, "n")],
    ]
    cells = cells_xml(published.files["d.xlsx"].read())
    # A missing value is no cell at all; a boolean is t="b".
    assert "A6" not in cells and "C4" not in cells and "D4" not in cells
    assert cells["D2"].get("t") == "b" and cells["D2"].find(f"{MAIN}v").text == "1"


def test_every_cell_has_its_reference_and_text_is_an_inline_string(tmp_path):
    fields = [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]
    published = one(tmp_path, "a,b\nx,1\n,2\nz,\n", fields)
    content = published.files["d.xlsx"].read()
    cells = cells_xml(content)
    assert sorted(cells) == ["A1", "A2", "A4", "B1", "B2", "B3"]
    assert {cells[r].get("t") for r in ("A1", "A2", "A4", "B1")} == {"inlineStr"}
    assert cells["B2"].get("t") is None and cells["B2"].find(f"{MAIN}v").text == "1"
    root = ElementTree.fromstring(sheet_xml(content))
    assert [row.get("r") for row in root.iter(f"{MAIN}row")] == ["1", "2", "3", "4"]
    assert root.find(f"{MAIN}dimension").get("ref") == "A1:B4"


def test_the_header_is_bold_and_frozen_and_the_sheet_is_named_safely(tmp_path):
    fields = [{"name": "=cmd", "type": "string"}, {"name": "Сумма", "type": "number"}]
    published = one(tmp_path, "=cmd,Сумма\nx,1.5\n", fields)
    book = openpyxl.load_workbook(io.BytesIO(published.files["d.xlsx"].read()))
    sheet = book.active
    assert sheet.title == "d" and sheet.freeze_panes == "A2"
    assert [(c.value, c.font.b) for c in sheet[1]] == [("'=cmd", True), ("Сумма", True)]
    assert [c.font.b for c in sheet[2]] == [False, False]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("a[b]:c*?/\\d", "a_b__c____d"),
        ("'quoted'", "quoted"),
        ("History", "History_"),
        ("x" * 40, "x" * 31),
        ("", "data"),
        ('A & B <"c">', 'A & B <"c">'),
    ],
)
def test_sheet_titles_are_ones_excel_accepts(title, expected):
    assert safe_sheet_title(title) == expected
    content = xlsx_bytes(pd.DataFrame({"a": [1]}), title)
    assert openpyxl.load_workbook(io.BytesIO(content)).active.title == expected


# --- dates --------------------------------------------------------------------------------


def test_dates_within_excels_calendar_are_date_cells_with_the_serials_excel_uses(tmp_path):
    fields = [{"name": "day", "type": "date"}, {"name": "k", "type": "integer"}]
    days = ["1899-12-31", "1900-01-01", "1900-02-28", "1900-03-01", "2024-03-01"]
    days += ["9999-12-31", "0001-01-01", ""]
    text = "day,k\n" + "".join(f"{day},{index}\n" for index, day in enumerate(days))
    published = one(tmp_path, text, fields)
    cells = cells_xml(published.files["d.xlsx"].read())
    # Excel counts 29 February 1900 (Lotus's leap year): 1900-03-01 is 61, not 60.
    assert cells["A3"].find(f"{MAIN}v").text == "1"
    assert cells["A4"].find(f"{MAIN}v").text == "59"
    assert cells["A5"].find(f"{MAIN}v").text == "61"
    assert cells["A6"].find(f"{MAIN}v").text == "45352"
    assert cells["A7"].find(f"{MAIN}v").text == "2958465"
    assert {cells[r].get("s") for r in ("A3", "A4", "A5", "A6", "A7")} == {"2"}
    # Before 1900 Excel has no date: the ISO text; a missing date: no cell.
    assert cells["A2"].get("t") == "inlineStr" and cells["A8"].get("t") == "inlineStr"
    assert "A9" not in cells and cells["A2"].find(f"{MAIN}v") is None
    sheet = openpyxl.load_workbook(io.BytesIO(published.files["d.xlsx"].read())).active
    assert sheet["A6"].value == dt.datetime(2024, 3, 1)
    assert sheet["A6"].number_format == "yyyy-mm-dd"
    assert sheet["A2"].value == "1899-12-31" and sheet["A8"].value == "0001-01-01"


def test_datetimes_and_times_without_offset_are_date_cells_else_iso_text(tmp_path):
    fields = [
        {"name": "at", "type": "datetime"},
        {"name": "time", "type": "time"},
        {"name": "k", "type": "integer"},
    ]
    lines = [
        "2024-03-01T10:30:00,10:11:12",
        "2024-03-01T10:30:00.250000,00:00:00.5",
        "2024-03-01T10:00:00Z,10:00:00+05:00",
        "2024-03-01T10:00:00+05:00,23:59:59.999999",
        "1899-12-31T23:59:59,",
        "1900-01-01T12:00:00,",
        "1900-02-28T12:00:00,",
        ",",
    ]
    text = "at,time,k\n" + "".join(f"{line},{index}\n" for index, line in enumerate(lines))
    published = one(tmp_path, text, fields)
    sheet = openpyxl.load_workbook(io.BytesIO(published.files["d.xlsx"].read())).active
    assert sheet["A2"].value == dt.datetime(2024, 3, 1, 10, 30)
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["A3"].value == dt.datetime(2024, 3, 1, 10, 30, 0, 250000)
    assert sheet["B2"].value == dt.time(10, 11, 12) and sheet["B2"].number_format == "hh:mm:ss"
    # An instant with a UTC offset: Excel has no such cell, so the published ISO text.
    assert (sheet["A4"].value, sheet["A4"].data_type) == ("2024-03-01T10:00:00+00:00", "s")
    assert (sheet["A5"].value, sheet["A5"].data_type) == ("2024-03-01T10:00:00+05:00", "s")
    assert (sheet["B4"].value, sheet["B4"].data_type) == ("10:00:00+05:00", "s")
    assert sheet["A6"].value == "1899-12-31T23:59:59"
    assert sheet["A9"].value is None and sheet["B9"].value is None
    cells = cells_xml(published.files["d.xlsx"].read())
    serial = {r: float(cells[r].find(f"{MAIN}v").text) for r in ("A2", "A7", "A8", "B3", "B5")}
    assert serial["A2"] == excel_serial(dt.datetime(2024, 3, 1, 10, 30))
    assert serial["B3"] == 0.5 / 86400
    assert serial["B5"] == excel_serial(dt.time(23, 59, 59, 999999))
    # Noon on 1 January 1900 is 1.5 (XlsxWriter wrote 0.5: it took it for a time of day);
    # noon on 28 February 1900 is past serial 59, so it lands on Excel's 29 February.
    assert serial["A7"] == 1.5 and serial["A8"] == 60.5


def test_excel_serial_counts_from_1899_12_31_with_excels_leap_day():
    assert excel_serial(dt.date(1900, 1, 1)) == 1
    assert excel_serial(dt.date(1900, 2, 28)) == 59
    assert excel_serial(dt.date(1900, 3, 1)) == 61
    assert excel_serial(dt.datetime(2024, 1, 1, 6)) == 45292.25
    assert excel_serial(dt.time(18)) == 0.75


# --- hostile text -------------------------------------------------------------------------

HOSTILE = [
    "=1+2",
    '=HYPERLINK("http://x","y")',
    "+x",
    "-y",
    "@z",
    " =a",
    "a&b<c>d\"e'f",
    "</t></is></c></row><row>",
    "<r>rich</r>",
    "]]>",
    "tab\there",
    "  leading",
    "trailing  ",
    "\u00a0no-break",
    "multi\nline",
    "Алматы Қазақстан Ақтөбе",
]


def hostile_table(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"s": pd.Series(texts, dtype="string")})


def test_hostile_text_is_a_string_cell_neutralised_like_the_csv_and_never_breaks_the_xml():
    content = xlsx_bytes(hostile_table(HOSTILE), "sheet")
    cells = cells_xml(content)  # well-formed, whatever the text
    assert len(cells) == len(HOSTILE) + 1
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [c.value for c in sheet["A"]][1:]
    assert values == [neutralise(text) for text in HOSTILE]
    assert {c.data_type for c in sheet["A"]} == {"s"}
    assert b"<f>" not in sheet_xml(content)  # no formula anywhere
    # Leading or trailing whitespace is kept: the <t> says so.
    spaced = [
        c
        for c in cells.values()
        if c.find(f"{MAIN}is/{MAIN}t").text.strip() != c.find(f"{MAIN}is/{MAIN}t").text
    ]
    preserve = "{http://www.w3.org/XML/1998/namespace}space"
    assert spaced and all(c.find(f"{MAIN}is/{MAIN}t").get(preserve) == "preserve" for c in spaced)


def test_characters_xml_forbids_are_escaped_as_excel_does():
    texts = ["a\x00b", "c\x01\x08d", "e\x0bf\x0cg", "h\rk", "m\x1fn", "p\ufffeq\uffffr"]
    texts += ["_x0041_", "_x00e9_ and \x02", "tab\tlf\nkeep"]
    content = xlsx_bytes(hostile_table(texts), "sheet")
    cells = cells_xml(content)
    shown = [cells[f"A{row}"].find(f"{MAIN}is/{MAIN}t").text for row in range(2, len(texts) + 2)]
    assert shown == [
        "a_x0000_b",
        "c_x0001__x0008_d",
        "e_x000B_f_x000C_g",
        "h_x000D_k",
        "m_x001F_n",
        "p_xFFFE_q_xFFFF_r",
        "_x005F_x0041_",
        "_x005F_x00e9_ and _x0002_",
        "tab\tlf\nkeep",
    ]
    # The same rule for one text (the header, the sheet title).
    assert [xml_text(text) for text in texts] == shown
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", sheet_xml(content))


def test_a_cell_of_excels_longest_text_is_written_whole():
    longest = "Ж" * 32_767
    content = xlsx_bytes(hostile_table([longest, "short"]), "sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == longest and sheet["A3"].value == "short"


def test_hostile_headers_and_titles_are_escaped():
    frame = pd.DataFrame({"a<b>&\x01": [1], "_x0041_": ["x"]})
    content = xlsx_bytes(frame, "A & B <c>")
    cells = cells_xml(content)
    assert cells["A1"].find(f"{MAIN}is/{MAIN}t").text == "a<b>&_x0001_"
    assert cells["B1"].find(f"{MAIN}is/{MAIN}t").text == "_x005F_x0041_"
    assert openpyxl.load_workbook(io.BytesIO(content)).active.title == "A & B <c>"


# --- streaming and reproducibility -----------------------------------------------------------


def test_the_same_table_gives_the_same_bytes_with_no_save_time():
    frame = pd.DataFrame(
        {"day": [dt.date(2024, 1, 1), None], "n": [1.5, None], "s": ["Алматы", "=x"]}
    )
    first, second = xlsx_bytes(frame, "sheet"), xlsx_bytes(frame.copy(), "sheet")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
        assert archive.testzip() is None
        core = archive.read("docProps/core.xml")
        names = archive.namelist()
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core
    assert names[0] == "[Content_Types].xml" and "xl/styles.xml" in names


def test_batches_of_rows_give_the_same_workbook_as_one(monkeypatch):
    frame = pd.DataFrame(
        {
            "id": pd.Series(range(9), dtype="Int64"),
            "s": pd.Series([f"строка {i}" if i % 3 else None for i in range(9)], dtype="string"),
            "day": [dt.date(2000 + i, 1, 1) if i % 4 else None for i in range(9)],
        }
    )
    whole = xlsx_bytes(frame, "t")
    monkeypatch.setattr(workbook_module, "XLSX_CHUNK_ROWS", 2)
    out = io.BytesIO()
    table = as_table(frame)
    write_xlsx(table, "t", written(table), out)
    assert out.getvalue() == whole
    sheet = openpyxl.load_workbook(io.BytesIO(whole)).active
    assert [c.value for c in sheet["A"]] == ["id", *range(9)]
    assert sheet["B2"].value is None and sheet["B3"].value == "строка 1"


def test_a_float_of_1e16_and_more_is_a_number_cell_by_the_15_digit_rule():
    # repr writes "1e+16": the exponent's "+" once made the writer fail.
    values = [1e16, 1.5e300, 1e301, 1.2345678901234567e20]
    frame = pd.DataFrame({"x": pd.Series(values, dtype="Float64")})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, "f"))).active
    assert [(c.value, c.data_type) for c in sheet["A"]][1:] == [
        (1e16, "n"),
        (1.5e300, "n"),
        ("1e+301", "s"),
        ("1.2345678901234567e+20", "s"),
    ]


def test_a_sheet_that_may_pass_2_gib_gets_a_zip64_entry_decided_by_the_table_alone():
    frame = pd.DataFrame({"a": pd.Series(["x" * 100] * 3, dtype="string")})
    shape = written(as_table(frame))
    assert not large_sheet(shape, 3)
    # Some 1,048,575 rows of 2,000 columns: more XML than a plain zip entry holds.
    assert large_sheet(type(shape)(["a"] * 2_000, shape.texts, "", set()), 1_048_575)


def test_an_empty_table_is_a_header_row():
    frame = pd.DataFrame({"a": pd.Series([], dtype="Int64"), "b": pd.Series([], dtype="string")})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, "e"))).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["a", "b"]]


def test_column_letters():
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702, 16_383)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]
