"""Typed tables and downloads, value class by value class (inline data).

Every case checks that its source is valid for Frictionless, then reads it with
``portal.derive`` (tables.py and downloads.py) and asserts the exact CSV, JSON and XLSX
cells, and that the published datapackage.json with its files passes ``frictionless
validate`` (the round trip).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import pickle
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from moldir.pipeline import downloads as downloads_module
from moldir.pipeline import workbook as workbook_module
from moldir.pipeline.discover import build_dataset
from moldir.pipeline.downloads import (
    FORMULA_START,
    FORMULA_START_RE2,
    Download,
    csv_bytes,
    date_texts,
    float_texts,
    json_bytes,
    json_strings,
    neutralise,
    plan_downloads,
    xlsx_bytes,
)
from moldir.pipeline.portal import derive
from moldir.pipeline.tables import DeriveError, Tables, missing_values, read_table, read_typed
from moldir.pipeline.validate import declared_defaults


@dataclass
class Published:
    """What ``derive`` made of a one-dataset folder, written out and validated."""

    files: dict[str, Download]
    tables: Tables
    out: Path
    report: Any

    def csv(self, name: str = "d") -> str:
        return self.files[f"{name}.csv"].read().decode("utf-8")

    def lines(self, name: str = "d") -> list[str]:
        return self.csv(name).split("\n")

    def json(self, name: str = "d") -> list[dict]:
        return json.loads(self.files[f"{name}.json"].read(), parse_float=Decimal)

    def xlsx(self, name: str = "d") -> list[list[tuple[Any, str]]]:
        """Every row of the sheet as (value, openpyxl data type) pairs."""
        book = openpyxl.load_workbook(io.BytesIO(self.files[f"{name}.xlsx"].read()))
        sheet = book.active
        return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]

    @property
    def descriptor(self) -> dict:
        return json.loads(self.files["datapackage.json"].read())

    def schema(self, name: str = "d") -> dict:
        return next(r for r in self.descriptor["resources"] if r["name"] == name)["schema"]


def publish(
    tmp_path: Path,
    files: dict[str, str | bytes],
    resources: list[dict[str, Any]],
    fast: bool | None = None,
    monkeypatch: Any = None,
) -> Published:
    """Write a dataset folder, check Frictionless accepts it, derive and round-trip it."""
    folder = tmp_path / "ds"
    folder.mkdir(parents=True)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    descriptor = {"name": "ds", "title": "Test", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    source = frictionless.Package(declared_defaults(descriptor), basepath=str(folder)).validate()
    assert source.valid, source.flatten(["rowNumber", "fieldName", "type", "note"])
    dataset = build_dataset(folder, folder / "datapackage.json", descriptor)
    if fast is False:
        import moldir.pipeline.tables as tables_module

        monkeypatch.setattr(tables_module, "fast_cells", slow_only)
    tables, planned = derive(dataset)
    out = tmp_path / "out"
    for download in planned:
        target = out / download.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(download.read())
    report = frictionless.Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    return Published({d.filename: d for d in planned}, tables, out, report)


def slow_only(*_args: Any) -> None:
    from moldir.pipeline.tables import Unsupported

    raise Unsupported("forced by the test")


def one(tmp_path: Path, text: str | bytes, fields: list[dict], **extra: Any) -> Published:
    """One resource ``d`` from ``d.csv``."""
    resource = {"name": "d", "path": "d.csv", "schema": {"fields": fields}, **extra}
    return publish(tmp_path, {"d.csv": text}, [resource])


# --- numbers ---------------------------------------------------------------------------


def test_integers_written_with_underscores_or_other_digits_are_published_plainly(tmp_path):
    published = one(tmp_path, "n\n1_000\n١٢٣\n１２３\n-7\n", [{"name": "n", "type": "integer"}])
    assert published.lines() == ["n", "1000", "123", "123", "-7", ""]
    assert [row["n"] for row in published.json()] == [1000, 123, 123, -7]
    assert published.xlsx()[1:] == [[(1000, "n")], [(123, "n")], [(123, "n")], [(-7, "n")]]
    assert str(published.tables["d"]["n"].dtype) == "Int64"


def test_integers_beyond_64_bits_stay_exact(tmp_path):
    big = "123456789012345678901234567890"
    published = one(
        tmp_path, f"n\n{big}\n-{big}\n9223372036854775807\n", [{"name": "n", "type": "integer"}]
    )
    assert published.lines() == ["n", big, f"-{big}", "9223372036854775807", ""]
    # JSON numbers of any size (Python's json reads them back exactly).
    assert [row["n"] for row in json.loads(published.files["d.json"].read())] == [
        int(big),
        -int(big),
        2**63 - 1,
    ]
    # Excel keeps 15 digits: longer integers are text, never rounded, never prefixed.
    assert published.xlsx()[1:] == [
        [(big, "s")],
        [(f"-{big}", "s")],
        [("9223372036854775807", "s")],
    ]
    assert published.tables["d"]["n"].tolist()[0] == int(big)


def test_nan_and_infinities_are_numbers_in_csv_and_strings_in_json(tmp_path):
    published = one(tmp_path, "x\nNaN\ninf\n-Infinity\n1.5\n", [{"name": "x", "type": "number"}])
    assert published.lines() == ["x", "NaN", "Infinity", "-Infinity", "1.5", ""]
    assert [row["x"] for row in published.json()] == [
        "NaN",
        "Infinity",
        "-Infinity",
        Decimal("1.5"),
    ]
    assert published.xlsx()[1:] == [
        [("NaN", "s")],
        [("Infinity", "s")],
        [("-Infinity", "s")],
        [(1.5, "n")],
    ]
    frame = published.tables["d"]["x"]
    assert frame.isna().tolist() == [True, False, False, False]


def test_decimals_a_float_would_round_are_published_exactly(tmp_path):
    published = one(
        tmp_path,
        "x\n0.1234567890123456789\n125967182.67999999\n0.30000000000000004\n2.50\n",
        [{"name": "x", "type": "number"}],
    )
    assert published.lines() == [
        "x",
        "0.1234567890123456789",
        "125967182.67999999",
        "0.30000000000000004",
        "2.5",
        "",
    ]
    assert [row["x"] for row in published.json()] == [
        Decimal("0.1234567890123456789"),
        Decimal("125967182.67999999"),
        Decimal("0.30000000000000004"),
        Decimal("2.5"),
    ]
    # More than 15 significant digits: text in the workbook (Excel would round them).
    assert published.xlsx()[1:] == [
        [("0.1234567890123456789", "s")],
        [("125967182.67999999", "s")],
        [("0.30000000000000004", "s")],
        [(2.5, "n")],
    ]
    preview = published.tables.typed["d"].preview(5)
    assert preview["x"].tolist()[0] == Decimal("0.1234567890123456789")


def test_decimal_commas_and_group_separators_are_published_plainly(tmp_path):
    fields = [
        {
            "name": "sum",
            "type": "number",
            "decimalChar": ",",
            "groupChar": " ",
            "constraints": {"minimum": "1 000,5", "enum": ["1 234,5", "2 000,25", "1 000,5"]},
        },
        {"name": "pct", "type": "number", "bareNumber": False},
    ]
    published = one(
        tmp_path, 'sum;pct\n1 234,5;12%\n"2 000,25";€3.5\n', fields, dialect={"delimiter": ";"}
    )
    assert published.lines() == ["sum,pct", "1234.5,12.0", "2000.25,3.5", ""]
    field = published.schema()["fields"][0]
    assert field == {
        "name": "sum",
        "type": "number",
        "constraints": {"minimum": "1000.5", "enum": ["1234.5", "2000.25", "1000.5"]},
    }
    assert published.schema()["fields"][1] == {"name": "pct", "type": "number"}


# --- dates and times --------------------------------------------------------------------


def test_dates_in_other_formats_are_published_as_iso_with_the_default_format(tmp_path):
    fields = [
        {"name": "month", "type": "date", "format": "%Y-%m"},
        {
            "name": "day",
            "type": "date",
            "format": "%d.%m.%Y",
            "constraints": {"minimum": "01.01.1800"},
        },
        {"name": "loose", "type": "date"},
    ]
    published = one(tmp_path, "month,day,loose\n1850-01,31.12.2020,2020-1-5\n", fields)
    assert published.lines() == ["month,day,loose", "1850-01-01,2020-12-31,2020-01-05", ""]
    assert published.json() == [{"month": "1850-01-01", "day": "2020-12-31", "loose": "2020-01-05"}]
    # Excel has no dates before 1900: such a date is its ISO text.
    assert published.xlsx()[1] == [
        ("1850-01-01", "s"),
        (dt.datetime(2020, 12, 31), "d"),
        (dt.datetime(2020, 1, 5), "d"),
    ]
    assert published.schema()["fields"] == [
        {"name": "month", "type": "date"},
        {"name": "day", "type": "date", "constraints": {"minimum": "1800-01-01"}},
        {"name": "loose", "type": "date"},
    ]


def test_dates_with_format_any_fill_missing_parts_from_the_first_of_the_year(tmp_path):
    published = one(
        tmp_path,
        "d\n1850-01\nMarch 5 2021\n2021-02\n",
        [{"name": "d", "type": "date", "format": "any"}],
    )
    # Frictionless would fill "1850-01" with *today's* day; Moldir with the 1st, every day.
    assert published.lines() == ["d", "1850-01-01", "2021-03-05", "2021-02-01", ""]


def test_datetimes_keep_their_offset_and_times_their_seconds(tmp_path):
    fields = [
        {"name": "at", "type": "datetime"},
        {"name": "local", "type": "datetime", "format": "%d/%m/%Y %H:%M"},
        {"name": "t", "type": "time", "format": "%H:%M"},
        {"name": "tz", "type": "time"},
    ]
    published = one(
        tmp_path,
        "at,local,t,tz\n2020-01-02T03:04:05+06:00,02/01/2020 03:04,9:30,10:00:00Z\n"
        "1650-01-02T03:04:05.250000,31/12/1999 23:59,23:59,10:00:00\n",
        fields,
    )
    assert published.lines() == [
        "at,local,t,tz",
        "2020-01-02T03:04:05+06:00,2020-01-02T03:04:00,09:30:00,10:00:00+00:00",
        "1650-01-02T03:04:05.250000,1999-12-31T23:59:00,23:59:00,10:00:00",
        "",
    ]
    assert published.json()[0] == {
        "at": "2020-01-02T03:04:05+06:00",
        "local": "2020-01-02T03:04:00",
        "t": "09:30:00",
        "tz": "10:00:00+00:00",
    }
    rows = published.xlsx()
    # An offset, or a year before 1900, is text; the rest are Excel dates and times.
    assert rows[1][0] == ("2020-01-02T03:04:05+06:00", "s")
    assert rows[1][1] == (dt.datetime(2020, 1, 2, 3, 4), "d")
    assert rows[1][2] == (dt.time(9, 30), "d")
    assert rows[1][3] == ("10:00:00+00:00", "s")
    assert rows[2][0] == ("1650-01-02T03:04:05.250000", "s")
    assert [f.get("format") for f in published.schema()["fields"]] == [None] * 4


def test_yearmonth_duration_geopoint_object_and_array(tmp_path):
    fields = [
        {"name": "ym", "type": "yearmonth"},
        {"name": "du", "type": "duration"},
        {"name": "g", "type": "geopoint"},
        {"name": "ga", "type": "geopoint", "format": "array"},
        {"name": "go", "type": "geopoint", "format": "object"},
        {"name": "o", "type": "object"},
        {"name": "ar", "type": "array"},
    ]
    text = (
        "ym,du,g,ga,go,o,ar\n"
        '2020-03,P1Y2M,"71.4, 51.1","[-0.5, 51.5]","{""lon"": 76.9, ""lat"": 43.2}",'
        '"{""a"": [1, ""é""]}","[1, 2.5, null]"\n'
    )
    published = one(tmp_path, text, fields)
    assert published.lines() == [
        "ym,du,g,ga,go,o,ar",
        '2020-03,P1Y2M,"71.4,51.1","-0.5,51.5","76.9,43.2","{""a"": [1, ""é""]}","[1, 2.5, null]"',
        "",
    ]
    assert json.loads(published.files["d.json"].read()) == [
        {
            "ym": "2020-03",
            "du": "P1Y2M",
            "g": [71.4, 51.1],
            "ga": [-0.5, 51.5],
            "go": [76.9, 43.2],
            "o": {"a": [1, "é"]},
            "ar": [1, 2.5, None],
        }
    ]
    assert [cell for cell, _type in published.xlsx()[1]] == [
        "2020-03",
        "P1Y2M",
        "71.4,51.1",
        "-0.5,51.5",
        "76.9,43.2",
        '{"a": [1, "é"]}',
        "[1, 2.5, null]",
    ]


def test_booleans_with_their_own_words_are_true_and_false(tmp_path):
    fields = [
        {"name": "id", "type": "integer"},
        {
            "name": "ok",
            "type": "boolean",
            "trueValues": ["иә", "ja"],
            "falseValues": ["жоқ"],
            "constraints": {"enum": ["иә", "жоқ"]},
        },
    ]
    published = one(tmp_path, "id,ok\n1,иә\n2,жоқ\n3,\n4,ja\n", fields)
    assert published.lines() == ["id,ok", "1,true", "2,false", "3,", "4,true", ""]
    assert [row["ok"] for row in published.json()] == [True, False, None, True]
    assert [row[1] for row in published.xlsx()[1:]] == [
        (True, "b"),
        (False, "b"),
        (None, "n"),
        (True, "b"),
    ]
    assert published.schema()["fields"][1] == {
        "name": "ok",
        "type": "boolean",
        "constraints": {"enum": ["true", "false"]},
    }


# --- missing values ---------------------------------------------------------------------


def test_missing_values_of_the_schema_and_of_a_field_are_empty_cells(tmp_path):
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "n", "type": "integer"},
        {"name": "s", "type": "string", "missingValues": ["—"]},
    ]
    published = one(
        tmp_path,
        "id,n,s\n1,-,—\n2,NA,-\n3,3,x\n",
        fields,
        schema={"fields": fields, "missingValues": ["-", "NA"]},
    )
    # "-" is a missing value of the schema but not of the field "s" (its own: "—").
    assert published.lines() == ["id,n,s", "1,,", "2,,'-", "3,3,x", ""]
    assert [row["s"] for row in published.json()] == [None, "-", "x"]
    assert [row["n"] for row in published.json()] == [None, None, 3]
    assert published.schema()["missingValues"] == [""]
    assert "missingValues" not in published.schema()["fields"][1]


def test_an_empty_string_that_is_not_missing_keeps_another_marker(tmp_path):
    fields = [
        {"name": "n", "type": "integer"},
        {"name": "s", "type": "string", "constraints": {"required": True}},
    ]
    published = one(
        tmp_path,
        'n,s\nNA,""\n2,x\n',
        fields,
        schema={"fields": fields, "missingValues": ["NA"]},
    )
    # "" is a value here (the source's missing value is "NA"): missing cells stay "NA".
    assert published.lines() == ["n,s", "NA,", "2,x", ""]
    assert published.schema()["missingValues"] == ["NA"]
    assert published.json() == [{"n": None, "s": ""}, {"n": 2, "s": "x"}]


# --- dialects and encodings -------------------------------------------------------------


DIALECT_CASES = {
    "escapeChar": (
        'a,b\n"x \\"quoted\\"",1\nplain\\,comma,2\n',
        {"escapeChar": "\\", "doubleQuote": False},
        [['x "quoted"', 1], ["plain,comma", 2]],
    ),
    "commentChar": (
        "a,b\n#note,9\nx,1\n# another\ny,2\n",
        {"commentChar": "#"},
        [["x", 1], ["y", 2]],
    ),
    "commentRows": ("a,b\nskip me,0\nx,1\n", {"commentRows": [2]}, [["x", 1]]),
    "doubleQuote false": ('a,b\n"x""y",1\n', {"doubleQuote": False}, [['x"y', 1]]),
    "skipInitialSpace": ("a, b\nx, 1\n y, 2\n", {"skipInitialSpace": True}, [["x", 1], ["y", 2]]),
    "header false": ("x,1\ny,2\n", {"header": False}, [["x", 1], ["y", 2]]),
    "headerRows": ("a,b\nA,B\nx,1\n", {"headerRows": [1, 2]}, [["x", 1]]),
    "lineTerminator CRLF": (
        "a,b\r\nx,1\r\ny,2\r\n",
        {"lineTerminator": "\r\n"},
        [["x", 1], ["y", 2]],
    ),
    "multi-line cells": (
        'a,b\n"line 1\nline 2",1\n"x\r\ny",2\n',
        {},
        [["line 1\nline 2", 1], ["x\r\ny", 2]],
    ),
    "semicolons": ("a;b\nx;1\n", {"delimiter": ";"}, [["x", 1]]),
    "tabs": ("a\tb\nx\t1\n", {"delimiter": "\t"}, [["x", 1]]),
}


@pytest.mark.parametrize("case", sorted(DIALECT_CASES))
def test_dialects_are_read_as_frictionless_reads_them(tmp_path, case):
    text, dialect, rows = DIALECT_CASES[case]
    fields = [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]
    if dialect.get("headerRows"):
        fields[0]["name"], fields[1]["name"] = "a A", "b B"
    published = one(tmp_path, text, fields, dialect=dialect)
    names = [f["name"] for f in fields]
    assert [list(row.values()) for row in published.json()] == rows
    expected = frictionless.Resource(
        {"name": "x", "data": [names, *rows], "schema": {"fields": fields}}
    )
    with expected:
        assert [row.to_list() for row in expected.row_stream] == rows
    # The published CSV is plain: its dialect declared in full.
    resource = published.descriptor["resources"][0]
    assert resource["dialect"] == {
        "delimiter": ",",
        "lineTerminator": "\n",
        "quoteChar": '"',
        "doubleQuote": True,
        "skipInitialSpace": False,
        "header": True,
    }
    assert published.lines()[0] == ",".join(names)


def test_windows_1251_with_semicolons_is_published_as_utf8(tmp_path):
    fields = [
        {"name": "орган", "type": "string"},
        {"name": "сумма", "type": "number", "decimalChar": ",", "groupChar": " "},
    ]
    text = "орган;сумма\nАкимат;1 234,5\n".encode("windows-1251")
    published = one(tmp_path, text, fields, encoding="windows-1251", dialect={"delimiter": ";"})
    assert published.csv() == "орган,сумма\nАкимат,1234.5\n"
    # Decoded as Frictionless's text stream decodes it, then split by pyarrow.
    assert published.tables.typed["d"].reader == "pyarrow"
    original = published.files["original/d.csv"]
    assert original.read() == text and original.original
    assert original.note == 'windows-1251, ";", decimal comma'


def test_a_byte_order_mark_is_read_and_the_original_keeps_it(tmp_path):
    text = "\ufeffa,b\nx,1\n".encode()
    fields = [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]
    published = one(tmp_path, text, fields)
    assert published.csv() == "a,b\nx,1\n"
    assert published.files["original/d.csv"].read() == text
    assert published.files["original/d.csv"].note == 'utf-8 with BOM, ","'


# --- inline data and originals ----------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        [["name", "n"], ["a", 1], ["b", None]],
        [{"name": "a", "n": 1}, {"name": "b", "n": None}],
    ],
)
def test_inline_data_gets_downloads_but_no_original(tmp_path, data):
    fields = [{"name": "name", "type": "string"}, {"name": "n", "type": "integer"}]
    resource = {"name": "d", "data": data, "schema": {"fields": fields}}
    published = publish(tmp_path, {}, [resource])
    assert published.csv() == "name,n\na,1\nb,\n"
    assert sorted(published.files) == [
        "d.csv",
        "d.json",
        "d.parquet",
        "d.xlsx",
        "datapackage.json",
        "ds.zip",
    ]
    (entry,) = published.descriptor["resources"]
    assert "data" not in entry and entry["path"] == "d.csv"


def test_originals_are_byte_identical_and_listed_in_the_published_package(tmp_path):
    fields = [{"name": "a", "type": "string"}]
    resources = [
        {"name": "first", "path": "data/2023/first.csv", "schema": {"fields": fields}},
        {"name": "second", "path": "data/Отчёт 2023.csv", "schema": {"fields": fields}},
    ]
    files = {"data/2023/first.csv": "a\r\nx\r\n", "data/Отчёт 2023.csv": "a\ny\n"}
    published = publish(tmp_path, files, resources)
    assert published.files["original/data/2023/first.csv"].read() == b"a\r\nx\r\n"
    # A part that is not a safe name: the original is published under the resource's name.
    assert published.files["original/second.csv"].read() == b"a\ny\n"
    names = [(r["name"], r["path"]) for r in published.descriptor["resources"]]
    assert names == [
        ("first", "first.csv"),
        ("second", "second.csv"),
        ("first-original", "original/data/2023/first.csv"),
        ("second-original", "original/second.csv"),
    ]
    original = published.descriptor["resources"][2]
    assert original["encoding"] == "utf-8" and original["dialect"] == {"delimiter": ","}
    assert original["moldir:originalOf"] == "first"
    archive = zipfile.ZipFile(io.BytesIO(published.files["ds.zip"].read()))
    assert sorted(archive.namelist()) == [
        "ds/datapackage.json",
        "ds/first.csv",
        "ds/original/data/2023/first.csv",
        "ds/original/second.csv",
        "ds/second.csv",
    ]


# --- formulas ---------------------------------------------------------------------------


def test_formula_like_text_and_headers_get_a_leading_apostrophe_numbers_do_not(tmp_path):
    fields = [
        {
            "name": "-note",
            "type": "string",
            "constraints": {
                "maxLength": 6,
                "pattern": "[-+ @a-z0-9°C=]*",
                "enum": ["-5 °C", "+7 777", " @user", "=1", "plain"],
            },
        },
        {"name": "n", "type": "number"},
    ]
    text = "-note,n\n-5 °C,-5\n+7 777,+3\n @user,-0.5\nplain,1\n"
    published = one(tmp_path, text, fields, schema={"fields": fields, "primaryKey": ["-note"]})
    assert published.lines() == [
        "'-note,n",
        "'-5 °C,-5.0",
        "'+7 777,3.0",
        "' @user,-0.5",
        "plain,1.0",
        "",
    ]
    assert published.xlsx() == [
        [("'-note", "s"), ("n", "s")],
        [("'-5 °C", "s"), (-5, "n")],
        [("'+7 777", "s"), (3, "n")],
        [("' @user", "s"), (-0.5, "n")],
        [("plain", "s"), (1, "n")],
    ]
    # JSON is not a spreadsheet: exact.
    assert published.json()[0] == {"-note": "-5 °C", "n": Decimal("-5.0")}
    schema = published.schema()
    assert schema["fields"][0] == {
        "name": "'-note",
        "type": "string",
        "constraints": {
            "maxLength": 7,
            "pattern": "'?(?:[-+ @a-z0-9°C=]*)",
            "enum": ["'-5 °C", "'+7 777", "' @user", "'=1", "plain"],
        },
    }
    assert schema["primaryKey"] == ["'-note"]


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@a", "\t=1", "\r=1", "  =1", '"=1', "'=1", " \"' -x", "\u00a0=1"],
)
def test_every_trigger_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["a=1", "1-2", "", " ", "x@y", "'a", "\n"])
def test_other_text_is_left_alone(value):
    assert neutralise(value) == value


def test_the_python_and_re2_formula_triggers_agree_on_every_character():
    characters = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    texts = [f"{c}=" for c in characters] + [f"{c}x" for c in characters]
    python = [bool(FORMULA_START.match(text)) for text in texts]
    re2 = pc.match_substring_regex(pa.array(texts), FORMULA_START_RE2).to_pylist()
    differ = [texts[i] for i in range(len(texts)) if python[i] != re2[i]]
    assert differ == []


# --- vectorised cell texts are Python's --------------------------------------------------


def test_float_texts_are_pythons_repr_for_every_kind_of_float():
    # Arrow makes the digits and Python's rules add ".0" and the exponent form: both must
    # agree on every float, so random bit patterns (NaN, infinities, subnormals) too.
    rng = np.random.default_rng(19)
    samples = [
        rng.random(200_000) * 10_000,
        np.round(rng.random(200_000) * 1e6, 2),
        rng.standard_normal(200_000) * 10.0 ** rng.integers(-30, 30, 200_000),
        rng.integers(-(2**62), 2**62, 200_000).astype(float),
        np.frombuffer(rng.bytes(8 * 200_000), dtype=np.float64),
        np.array([0.0, -0.0, 1.0, 1e15, 1e16, 9999999999999998.0, 1e-4, 1e-5, 5e-324, 0.1]),
    ]
    for values in samples:
        array = pa.array(values, from_pandas=False)
        assert float_texts(array).to_pylist() == [repr(v) for v in values.tolist()]
    with_nulls = pa.array([1.5, None, 1e20], pa.float64())
    assert float_texts(with_nulls).to_pylist() == ["1.5", None, "1e+20"]
    assert float_texts(pa.nulls(2, pa.float64())).to_pylist() == [None, None]


def test_json_strings_are_pythons_json_dumps():
    texts = ["", "plain", "Астана", 'a "quote"', "back\\slash", "tab\there", "\x00\x1f\x7f",
             "line\nbreak", "\u2028", "emoji 😀", "'='"]  # fmt: skip
    quoted = json_strings(pa.array([*texts, None], pa.string())).to_pylist()
    assert quoted == [*(json.dumps(t, ensure_ascii=False) for t in texts), None]
    assert json_strings(pa.array(["a", None])).to_pylist() == ['"a"', None]


def test_date_texts_are_iso_and_only_for_plain_dates():
    days = [dt.date(1, 1, 1), dt.date(999, 12, 31), dt.date(2024, 2, 29), None, pd.NA, pd.NaT]
    assert date_texts(days).to_pylist() == ["0001-01-01", "0999-12-31", "2024-02-29", *[None] * 3]
    # A datetime is a date too, but keeps its time and offset: written value by value.
    assert date_texts([dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, 5)]) is None
    assert date_texts([None, None]) is None
    assert date_texts(["2024-01-01"]) is None


# --- fast path and Frictionless's parser agree -------------------------------------------


PLAIN = (
    "id,name,amount,day,year,ok,note\n"
    "1,Астана,1.5,2020-01-31,2020,true,\n"
    '2,"a, ""quoted"" b",0.30000000000000004,2021-1-5,2021,false,NA\n'
    "3,=cmd|' /C calc'!A0,1e3,2020-02-29,0999,1,-\n"
    "99999999999999999999,  spaced ,NaN,,,0,@x\n"
    "007,x,-0.0,1999-12-31,1999,TRUE,+7 7172\n"
)
PLAIN_FIELDS = [
    {"name": "id", "type": "integer"},
    {"name": "name", "type": "string"},
    {"name": "amount", "type": "number"},
    {"name": "day", "type": "date"},
    {"name": "year", "type": "year"},
    {"name": "ok", "type": "boolean"},
    {"name": "note", "type": "string"},
]


def test_the_fast_path_reads_exactly_what_frictionless_reads(tmp_path, monkeypatch):
    schema = {"fields": PLAIN_FIELDS, "missingValues": ["", "NA"]}
    fast = publish(
        tmp_path / "fast", {"d.csv": PLAIN}, [{"name": "d", "path": "d.csv", "schema": schema}]
    )
    slow = publish(
        tmp_path / "slow",
        {"d.csv": PLAIN},
        [{"name": "d", "path": "d.csv", "schema": schema}],
        fast=False,
        monkeypatch=monkeypatch,
    )
    assert fast.tables.typed["d"].reader == "pyarrow"
    assert slow.tables.typed["d"].reader == "frictionless"
    for name in ("d.csv", "d.json", "d.xlsx", "d.parquet", "datapackage.json"):
        assert fast.files[name].read() == slow.files[name].read(), name
    assert fast.lines() == [
        "id,name,amount,day,year,ok,note",
        "1,Астана,1.5,2020-01-31,2020,true,",
        '2,"a, ""quoted"" b",0.30000000000000004,2021-01-05,2021,false,',
        "3,'=cmd|' /C calc'!A0,1000.0,2020-02-29,0999,true,'-",
        "99999999999999999999,  spaced ,NaN,,,false,'@x",
        "7,x,-0.0,1999-12-31,1999,true,'+7 7172",
        "",
    ]
    # Frictionless's own values, row by row.
    resource = frictionless.Resource(
        declared_defaults({"resources": [{"name": "d", "path": "d.csv", "schema": schema}]})[
            "resources"
        ][0],
        basepath=str(tmp_path / "fast" / "ds"),
    )
    with resource:
        expected = [row.to_list() for row in resource.row_stream]
    got = [[cell for cell in row.values()] for row in fast.json()]
    assert len(got) == len(expected)
    assert got[0][:3] == [1, "Астана", Decimal("1.5")]
    assert expected[3][0] == 99999999999999999999 == got[3][0]


@pytest.mark.parametrize(
    "name,text",
    [
        ("bom", "\ufeffa,b\nx,1\n"),
        ("crlf", "a,b\r\nx,1\r\n"),
        ("no final newline", "a,b\nx,1"),
        ("quoted header", '"a","b"\n"x","1"\n'),
        ("spaces", "a,b\n x ,1\n"),
    ],
)
def test_plain_files_take_the_fast_path_with_the_same_result(tmp_path, monkeypatch, name, text):
    fields = [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]
    resource = [{"name": "d", "path": "d.csv", "schema": {"fields": fields}}]
    fast = publish(tmp_path / "f", {"d.csv": text}, resource)
    slow = publish(tmp_path / "s", {"d.csv": text}, resource, fast=False, monkeypatch=monkeypatch)
    assert fast.tables.typed["d"].reader == "pyarrow", name
    assert fast.csv() == slow.csv()
    assert fast.json() == slow.json()


# --- limits and errors ------------------------------------------------------------------


def test_text_longer_than_excel_allows_gives_no_xlsx(tmp_path):
    long = "x" * 32_768
    published = one(tmp_path, f"a\n{long}\n", [{"name": "a", "type": "string"}])
    assert "d.xlsx" not in published.files
    assert published.csv() == f"a\n{long}\n"


def test_more_rows_than_excel_allows_gives_no_xlsx(tmp_path, monkeypatch):
    monkeypatch.setattr(downloads_module, "XLSX_MAX_ROWS", 2)
    published = one(tmp_path, "a\n1\n2\n3\n", [{"name": "a", "type": "integer"}])
    assert "d.xlsx" not in published.files


def test_xlsx_is_written_in_chunks_of_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_module, "XLSX_CHUNK_ROWS", 2)
    published = one(
        tmp_path,
        "a,b\n1,NaN\n2,x\n3,0.1234567890123456789\n4,\n5,1\n",
        [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}],
    )
    assert published.xlsx()[1:] == [
        [(1, "n"), ("NaN", "s")],
        [(2, "n"), ("x", "s")],
        [(3, "n"), ("0.1234567890123456789", "s")],
        [(4, "n"), (None, "n")],
        [(5, "n"), ("1", "s")],
    ]


def test_files_written_side_by_side_are_the_files_written_in_turn(tmp_path, monkeypatch):
    text = "id,day,amount,note\n" + "".join(
        f"{i},2024-01-{i % 28 + 1:02d},{i * 0.25},n{i % 7}\n" for i in range(1, 400)
    )
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "day", "type": "date"},
        {"name": "amount", "type": "number"},
        {"name": "note", "type": "string"},
    ]
    monkeypatch.setattr(downloads_module, "PARALLEL_WRITE_ROWS", 10**9)
    in_turn = one(tmp_path / "turn", text, fields)
    monkeypatch.setattr(downloads_module, "PARALLEL_WRITE_ROWS", 1)
    monkeypatch.setattr(downloads_module.os, "cpu_count", lambda: 4)
    threads = []
    real_write = downloads_module.FileStore.write

    def recording_write(self, produce):
        import threading

        threads.append(threading.current_thread().name)
        return real_write(self, produce)

    monkeypatch.setattr(downloads_module.FileStore, "write", recording_write)
    side_by_side = one(tmp_path / "side", text, fields)
    assert sum(name.startswith("moldir-write") for name in threads) == 4  # csv json xlsx parquet
    assert list(side_by_side.files) == list(in_turn.files)
    for name, download in in_turn.files.items():
        assert side_by_side.files[name].sha256 == download.sha256, name


def test_a_value_frictionless_cannot_read_is_a_located_error_not_a_traceback(tmp_path):
    # Never validated (the integer is not one): derive names the dataset, file, row, field.
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "d.csv").write_text("a,n\nx,1\ny,two\n")
    descriptor = {
        "name": "bad",
        "resources": [
            {
                "name": "d",
                "path": "d.csv",
                "schema": {
                    "fields": [{"name": "a", "type": "string"}, {"name": "n", "type": "integer"}]
                },
            }
        ],
    }
    dataset = build_dataset(folder, folder / "datapackage.json", descriptor, "datasets/bad/x.json")
    with pytest.raises(DeriveError) as caught:
        derive(dataset)
    error = caught.value
    assert (error.dataset, error.resource, error.file, error.row, error.field) == (
        "bad",
        "d",
        "datasets/bad/d.csv",
        3,
        "n",
    )
    assert "two" in error.message


def test_read_table_returns_the_typed_frame(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "d.csv").write_text("body,count,share,day\nA,12,1.5,2020-01-31\nB,,,\n")
    fields = [
        {"name": "body", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "share", "type": "number"},
        {"name": "day", "type": "date"},
    ]
    descriptor = {"resources": [{"name": "d", "path": "d.csv", "schema": {"fields": fields}}]}
    dataset = build_dataset(folder, folder / "datapackage.json", descriptor)
    frame = read_table(dataset.resources[0])
    assert [str(t) for t in frame.dtypes] == ["string", "Int64", "Float64", "object"]
    assert frame["count"].isna().tolist() == [False, True]
    assert frame["day"].tolist() == [dt.date(2020, 1, 31), None]
    assert read_typed(dataset.resources[0], fast=False).frame.equals(frame)


# --- the writers on plain frames (older callers) -----------------------------------------


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "body": pd.Series(['=HYPERLINK("x")', "Akimat"], dtype="string"),
            "count": pd.Series([1, None], dtype="Int64"),
            "day": [dt.date(2022, 3, 1), None],
        }
    )


def test_writers_take_plain_frames():
    assert csv_bytes(frame()).decode().split("\n") == [
        "body,count,day",
        '"\'=HYPERLINK(""x"")",1,2022-03-01',
        "Akimat,,",
        "",
    ]
    assert json.loads(json_bytes(frame())) == [
        {"body": '=HYPERLINK("x")', "count": 1, "day": "2022-03-01"},
        {"body": "Akimat", "count": None, "day": None},
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame(), "data"))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '\'=HYPERLINK("x")'
    assert sheet["B2"].value == 1 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == dt.datetime(2022, 3, 1)
    assert sheet["B3"].value is None


def test_xlsx_carries_no_save_time_so_the_same_table_gives_the_same_bytes():
    from moldir.pipeline.downloads import ZIP_DATE

    content = xlsx_bytes(pd.DataFrame({"year": [2021, 2022], "body": ["A", "B"]}), "sheet")
    assert content == xlsx_bytes(pd.DataFrame({"year": [2021, 2022], "body": ["A", "B"]}), "sheet")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
        core = archive.read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core


def test_plan_downloads_takes_plain_frames_and_writes_a_valid_package(tmp_path):
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "d.csv").write_text("a;b\n1;2,5\n")
    fields = [{"name": "a", "type": "integer"}, {"name": "b", "type": "number", "decimalChar": ","}]
    descriptor = {
        "name": "x",
        "resources": [
            {
                "name": "d",
                "path": "d.csv",
                "schema": {"fields": fields},
                "dialect": {"delimiter": ";"},
            }
        ],
    }
    dataset = build_dataset(folder, folder / "datapackage.json", descriptor)
    planned = plan_downloads(dataset, {"d": read_table(dataset.resources[0])})
    names = [d.filename for d in planned]
    assert names == [
        "d.csv",
        "d.json",
        "d.xlsx",
        "d.parquet",
        "original/d.csv",
        "datapackage.json",
        "demo.zip",
    ]
    published = json.loads(planned[5].read())
    entry = published["resources"][0]
    assert entry["path"] == "d.csv" and entry["bytes"] == planned[0].bytes
    assert entry["hash"] == f"sha256:{planned[0].sha256}"
    assert "decimalChar" not in entry["schema"]["fields"][1]
    assert planned[0].read() == b"a,b\n1,2.5\n"


# --- other formats, files that are not tables, the build cache -----------------------------


def test_a_spreadsheet_resource_is_read_by_frictionless_and_published_as_csv(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "n", "x", "day", "when"])
    sheet.append(["-a", 1, 1.5, dt.datetime(2020, 1, 2), dt.datetime(2020, 1, 2, 3, 4)])
    sheet.append(["b", 2, 0.1, dt.datetime(1899, 1, 2), None])
    content = io.BytesIO()
    book.save(content)
    fields = [
        {"name": "name", "type": "string"},
        {"name": "n", "type": "integer"},
        {"name": "x", "type": "number"},
        {"name": "day", "type": "date"},
        {"name": "when", "type": "datetime"},
    ]
    resource = {"name": "d", "path": "d.xlsx", "schema": {"fields": fields}}
    published = publish(tmp_path, {"d.xlsx": content.getvalue()}, [resource])
    assert published.lines() == [
        "name,n,x,day,when",
        "'-a,1,1.5,2020-01-02,2020-01-02T03:04:00",
        "b,2,0.1,1899-01-02,",
        "",
    ]
    original = published.files["original/d.xlsx"]
    assert original.read() == content.getvalue() and original.note == "XLSX"


def test_files_that_are_not_tables_are_published_as_they_are(tmp_path):
    files = {
        "notes.json": '{"about": "not a table"}',
        "method.pdf": b"%PDF-1.4 a document",
        "d.csv.gz": gzip.compress(b"a,b\n1,x\n", mtime=0),
    }
    resources = [
        {"name": "notes", "path": "notes.json", "format": "json"},
        {"name": "method", "path": "method.pdf"},
        {
            "name": "d",
            "path": "d.csv.gz",
            "compression": "gz",
            "schema": {
                "fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]
            },
        },
    ]
    published = publish(tmp_path, files, resources)
    assert sorted(published.files) == [
        "d.csv",
        "d.json",
        "d.parquet",
        "d.xlsx",
        "datapackage.json",
        "ds.zip",
        "original/d.csv.gz",
        "original/method.pdf",
        "original/notes.json",
    ]
    assert published.csv() == "a,b\n1,x\n"
    compressed = published.files["original/d.csv.gz"]
    assert (compressed.media_type, compressed.note) == (
        "application/gzip",
        'utf-8, ",", gz-compressed',
    )
    entries = [(r["name"], r["path"]) for r in published.descriptor["resources"]]
    assert entries == [
        ("notes", "original/notes.json"),
        ("method", "original/method.pdf"),
        ("d", "d.csv"),
        ("d-original", "original/d.csv.gz"),
    ]
    assert published.tables.typed["notes"].tabular is False


def test_tables_kept_by_the_build_cache_give_the_same_downloads(tmp_path):
    fields = [{"name": "x", "type": "number"}, {"name": "s", "type": "string"}]
    resource = {"name": "d", "path": "d.csv", "schema": {"fields": fields, "missingValues": ["NA"]}}
    published = publish(tmp_path, {"d.csv": 'x,s\nNA,""\n0.1234567890123456789,-x\n'}, [resource])
    folder = tmp_path / "ds"
    dataset = build_dataset(
        folder, folder / "datapackage.json", json.loads((folder / "datapackage.json").read_text())
    )
    again = pickle.loads(pickle.dumps(published.tables))
    assert [missing_values(f) for f in again.typed["d"].fields] == [["NA"], ["NA"]]
    replanned = {d.filename: d.read() for d in plan_downloads(dataset, again)}
    assert replanned == {name: d.read() for name, d in published.files.items()}


# --- the vectorised reading is Frictionless's, value for value ------------------------------

FIELD_CASES = [
    {"name": "v", "type": "integer"},
    {"name": "v", "type": "year"},
    {"name": "v", "type": "number"},
    {"name": "v", "type": "number", "decimalChar": ","},
    {"name": "v", "type": "number", "decimalChar": ",", "groupChar": " "},
    {"name": "v", "type": "number", "decimalChar": ",", "groupChar": "."},
    {"name": "v", "type": "number", "groupChar": ","},
    {"name": "v", "type": "boolean", "trueValues": ["да", "1"], "falseValues": ["нет", "0"]},
    {"name": "v", "type": "date"},
]


def random_cells(seed: int, count: int) -> list[str]:
    """Texts near the strict patterns: digits, signs, separators, other scripts' digits."""
    import random

    rng = random.Random(seed)
    alphabet = "0123456789" * 4 + "-+.,  _e٣５" + "тд"
    cells = ["", "0", "-0", "00", "2020-02-29", "2021-02-29", "0000-01-01", "да", "нет", "1_0"]
    for _ in range(count):
        cells.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 22))))
        cells.append(
            f"{rng.randint(1, 9999):04d}-{rng.randint(0, 13):02d}-{rng.randint(0, 32):02d}"
        )
    return cells


@pytest.mark.parametrize("descriptor", FIELD_CASES, ids=lambda d: "-".join(map(str, d.values())))
def test_every_cell_reads_to_frictionless_value(descriptor):
    from moldir.pipeline.tables import convert_column, float_of

    cells = random_cells(len(str(descriptor)), 3000)
    field = frictionless.Schema.from_descriptor({"fields": [descriptor]}).fields[0]
    expected = []
    for cell in cells:
        value, notes = field.read_cell(cell)
        expected.append(None if notes and "type" in notes else value)
    readable = [c for c, v in zip(cells, expected, strict=True) if v is not None or c == ""]
    wanted = [v for c, v in zip(cells, expected, strict=True) if v is not None or c == ""]
    frame, exact = convert_column(pa.array(readable), field, list(range(len(readable))))
    got = frame.tolist()
    if exact is not None:
        for index, value in exact.items():
            got[index] = value
    for cell, value, read in zip(readable, wanted, got, strict=True):
        if value is None:
            assert read is None or read is pd.NA, cell
        elif descriptor["type"] == "number":
            number, extra = float_of(value)
            assert (read == number) or (extra is not None and read == extra), (cell, value, read)
            assert not isinstance(read, float) or Decimal(repr(read)) == value, (cell, value)
        else:
            assert read == value, (cell, value, read)


def test_the_preview_shows_values_as_published(tmp_path):
    fields = [
        {"name": "at", "type": "datetime"},
        {"name": "x", "type": "number"},
        {"name": "n", "type": "integer"},
    ]
    text = (
        "at,x,n\n2020-01-02T03:04:05+06:00,NaN,123456789012345678901234567890\n"
        ",0.30000000000000004,1\n"
    )
    published = one(tmp_path, text, fields)
    preview = published.tables.typed["d"].preview(5)
    assert preview["at"].tolist()[0] == dt.datetime.fromisoformat("2020-01-02T03:04:05+06:00")
    assert preview["at"].tolist()[1] is None
    assert preview["x"].tolist() == ["NaN", 0.30000000000000004]
    assert preview["n"].tolist() == ["123456789012345678901234567890", 1]


def test_dates_with_format_any_take_a_missing_year_from_the_build_date(tmp_path):
    from moldir.pipeline.tables import as_of

    with as_of(dt.date(2031, 7, 15)):  # the MOLDIR_TODAY setting, as load_portal sets it
        published = one(tmp_path, "d\nMarch 5\n", [{"name": "d", "type": "date", "format": "any"}])
    assert published.lines() == ["d", "2031-03-05", ""]


def test_stored_tables_keep_only_first_rows_and_facts_in_memory(tmp_path):
    """A national portal's tables do not fit in memory together: once the downloads are
    written, a dataset's tables are pickled into the file store (tables.StoredTables), and
    what every page needs — rows, the preview, coverage, labelled values — stays in memory.
    The preview from the kept rows is the whole table's, exact values included, whether
    the numbers that need them come before, at or after the kept rows."""
    import pickle

    from moldir.pipeline.portal import PREVIEW_KEPT
    from moldir.pipeline.tables import StoredTables

    fields = [
        {"name": "at", "type": "datetime"},
        {"name": "x", "type": "number"},
        {"name": "n", "type": "integer"},
        {"name": "day", "type": "date"},
    ]
    rows = ["at,x,n,day"]
    for number in range(3 * PREVIEW_KEPT):
        exact = number in (0, PREVIEW_KEPT - 1, PREVIEW_KEPT, 2 * PREVIEW_KEPT)
        x = "0.30000000000000004" if exact else f"{number}.5"
        n = "123456789012345678901234567890" if number == PREVIEW_KEPT - 2 else str(number)
        at = f"2020-01-02T03:04:{number % 60:02d}+06:00" if number % 7 else ""
        rows.append(f"{at},{x},{n},20{10 + number % 15}-0{1 + number % 9}-1{number % 10}")
    published = one(tmp_path, "\n".join(rows) + "\n", fields)
    stored = published.tables
    assert isinstance(stored, StoredTables)
    whole = stored.table("d")
    assert stored.rows == {"d": 3 * PREVIEW_KEPT} and list(stored) == ["d"]
    assert stored.columns["d"] == ["at", "x", "n", "day"]
    for count in (1, 5, PREVIEW_KEPT - 1, PREVIEW_KEPT, PREVIEW_KEPT + 1, 3 * PREVIEW_KEPT):
        kept = stored.preview("d", count)
        expected = whole.preview(count)
        assert kept.equals(expected) and list(kept.dtypes) == list(expected.dtypes), count
    # The facts are the whole table's, worked out when it was read.
    assert stored.facts["coverage"] == {"start": "2010-01-10", "end": "2024-09-19"}
    # Pickled (the build cache, worker processes): file references and facts only.
    assert len(pickle.dumps(stored)) < 60_000
    again = pickle.loads(pickle.dumps(stored))
    assert again["d"].equals(whole.frame) and again.typed["d"].exact.keys() == whole.exact.keys()
