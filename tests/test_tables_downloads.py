"""Unit tests of typed tables and downloads (inline data)."""

import datetime as dt
import io
import json
import zipfile

import openpyxl
import pandas as pd

from moldir.datasets import Dataset, Field, Resource
from moldir.downloads import csv_bytes, json_bytes, plan_downloads, xlsx_bytes
from moldir.tables import convert_column, read_table


def resource_for(tmp_path, text: str, schema: dict, **extra) -> Resource:
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode(extra.pop("file_encoding", "utf-8")))
    descriptor = {"name": "data", "path": "data.csv", "schema": schema, **extra}
    return Resource(name="data", path=path, relpath="data.csv", descriptor=descriptor)


def test_types_follow_the_schema_and_missing_stays_missing(tmp_path):
    schema = {
        "fields": [
            {"name": "body", "type": "string"},
            {"name": "year", "type": "year"},
            {"name": "count", "type": "integer"},
            {"name": "share", "type": "number"},
            {"name": "day", "type": "date"},
        ]
    }
    resource = resource_for(
        tmp_path, "body,year,count,share,day\nA,2020,12,1.5,2020-01-31\nB,2021,,,\n", schema
    )
    frame = read_table(resource)
    assert str(frame["count"].dtype) == "Int64"
    assert frame["count"].isna().tolist() == [False, True]
    assert frame["share"].tolist()[0] == 1.5
    assert frame["day"].tolist()[0] == dt.date(2020, 1, 31)


def test_windows_1251_semicolons_and_decimal_commas(tmp_path):
    schema = {
        "fields": [
            {"name": "орган", "type": "string"},
            {"name": "сумма", "type": "number", "decimalChar": ",", "groupChar": " "},
        ]
    }
    resource = resource_for(
        tmp_path,
        "орган;сумма\nАкимат;1 234,5\n",
        schema,
        encoding="windows-1251",
        dialect={"delimiter": ";"},
        file_encoding="windows-1251",
    )
    frame = read_table(resource)
    assert frame["орган"].tolist() == ["Акимат"]
    assert frame["сумма"].tolist() == [1234.5]


def test_convert_column_integer():
    series = convert_column(pd.Series(["1", None, "3"]), Field(name="n", type="integer"))
    assert series.tolist()[0] == 1 and series.isna().sum() == 1


def frame():
    return pd.DataFrame(
        {
            "body": pd.Series(['=HYPERLINK("x")', "Akimat"], dtype="string"),
            "count": pd.Series([1, None], dtype="Int64"),
            "day": [dt.date(2022, 3, 1), None],
        }
    )


def test_csv_is_utf8_with_empty_missing_cells():
    text = csv_bytes(frame()).decode("utf-8")
    assert text.splitlines() == ["body,count,day", '"=HYPERLINK(""x"")",1,2022-03-01', "Akimat,,"]


def test_json_records_keep_types_and_nulls():
    rows = json.loads(json_bytes(frame()))
    assert rows[0]["count"] == 1 and rows[1]["count"] is None and rows[0]["day"] == "2022-03-01"


def test_xlsx_cells_are_typed_and_formulas_are_text():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame(), "data"))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet["B2"].value == 1 and sheet["B2"].data_type == "n"
    assert isinstance(sheet["C2"].value, dt.datetime)
    assert sheet["B3"].value is None


def test_published_descriptor_points_at_csv_with_bytes_and_hash(tmp_path):
    resource = resource_for(
        tmp_path,
        "a;b\n1;2,5\n",
        {
            "fields": [
                {"name": "a", "type": "integer"},
                {"name": "b", "type": "number", "decimalChar": ","},
            ]
        },
        dialect={"delimiter": ";"},
    )
    dataset = Dataset(
        slug="demo",
        folder=tmp_path,
        descriptor_path=tmp_path / "datapackage.json",
        descriptor={"name": "x", "resources": [resource.descriptor]},
        resources=(resource,),
    )
    downloads = plan_downloads(dataset, {"data": read_table(resource)})
    names = [d.filename for d in downloads]
    assert names == ["data.csv", "data.json", "data.xlsx", "datapackage.json", "demo.zip"]
    csv_file = downloads[0]
    published = json.loads(downloads[3].content)
    (entry,) = published["resources"]
    assert entry["path"] == "data.csv" and "dialect" not in entry
    assert entry["bytes"] == csv_file.bytes
    assert entry["hash"] == f"sha256:{csv_file.sha256}"
    assert "decimalChar" not in entry["schema"]["fields"][1]
    archive = zipfile.ZipFile(io.BytesIO(downloads[4].content))
    assert sorted(archive.namelist()) == ["demo/data.csv", "demo/datapackage.json"]


def test_xlsx_carries_no_save_time_so_the_same_table_gives_the_same_bytes():
    import io
    import zipfile

    from moldir.downloads import ZIP_DATE, xlsx_bytes

    content = xlsx_bytes(pd.DataFrame({"year": [2021, 2022], "body": ["A", "B"]}), "sheet")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
        core = archive.read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core
