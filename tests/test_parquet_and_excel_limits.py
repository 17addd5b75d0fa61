"""The Parquet download and tables beyond Excel's limits (issue 19).

Parquet is typed where the type keeps every value exact, and holds the CSV's text where it
would not; text is neutralised as in the CSV. A table Excel cannot hold whole gets no XLSX,
and the published descriptor and the dataset page say why.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import moldir.pipeline.downloads as downloads_module
from tests.test_tables_downloads import one, publish


def parquet(published, name: str = "d") -> pa.Table:
    return pq.read_table(io.BytesIO(published.files[f"{name}.parquet"].read()))


def test_parquet_columns_are_typed_and_missing_cells_are_null(tmp_path):
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "amount", "type": "number"},
        {"name": "ok", "type": "boolean"},
        {"name": "day", "type": "date"},
        {"name": "at", "type": "datetime"},
        {"name": "year", "type": "year"},
        {"name": "name", "type": "string"},
        {"name": "month", "type": "yearmonth"},
    ]
    text = (
        "id,amount,ok,day,at,year,name,month\n"
        "1,2.5,true,2024-03-01,2024-03-01T10:00:00Z,2024,Алматы,2024-03\n"
        "2,,false,,2024-03-02T11:30:00+05:00,,,\n"
    )
    table = parquet(one(tmp_path, text, fields))
    types = {f.name: f.type for f in table.schema}
    assert types == {
        "id": pa.int64(),
        "amount": pa.float64(),
        "ok": pa.bool_(),
        "day": pa.date32(),
        "at": pa.timestamp("us", tz="UTC"),
        "year": pa.int64(),
        "name": pa.string(),
        "month": pa.string(),
    }
    rows = table.to_pylist()
    assert rows[0]["name"] == "Алматы" and rows[0]["day"] == dt.date(2024, 3, 1)
    assert rows[0]["month"] == "2024-03" and rows[0]["amount"] == 2.5
    assert rows[1]["amount"] is None and rows[1]["day"] is None and rows[1]["name"] is None
    # The instant is kept: 11:30 at +05:00 is 06:30 UTC.
    assert rows[1]["at"] == dt.datetime(2024, 3, 2, 6, 30, tzinfo=dt.UTC)


def test_parquet_text_is_neutralised_like_the_csv(tmp_path):
    fields = [{"name": "note", "type": "string"}]
    published = one(tmp_path, 'note\n=HYPERLINK("x")\n+1\nplain\n', fields)
    values = parquet(published).column("note").to_pylist()
    assert values == ['\'=HYPERLINK("x")', "'+1", "plain"]
    assert published.csv().splitlines()[1:] == ['"\'=HYPERLINK(""x"")"', "'+1", "plain"]


def test_parquet_never_rounds_a_value_it_cannot_type_exactly(tmp_path):
    fields = [{"name": "big", "type": "integer"}, {"name": "precise", "type": "number"}]
    text = "big,precise\n123456789012345678901234567890,0.12345678901234567890123\n1,2\n"
    table = parquet(one(tmp_path, text, fields))
    # Beyond 64 bits and beyond a float's digits: the CSV's text, not a rounded number.
    assert table.column("big").to_pylist() == ["123456789012345678901234567890", "1"]
    assert table.column("precise").to_pylist() == ["0.12345678901234567890123", "2.0"]


def test_parquet_keeps_nan_and_infinities_as_floats(tmp_path):
    fields = [{"name": "x", "type": "number"}]
    values = parquet(one(tmp_path, "x\nNaN\nINF\n-INF\n1.5\n", fields)).column("x").to_pylist()
    assert values[0] != values[0] and values[1:] == [float("inf"), float("-inf"), 1.5]


def test_parquet_is_reproducible(tmp_path):
    fields = [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]
    text = "a,b\n" + "".join(f"{i},x{i}\n" for i in range(1000))
    first = one(tmp_path / "1", text, fields).files["d.parquet"].read()
    second = one(tmp_path / "2", text, fields).files["d.parquet"].read()
    assert first == second and first.startswith(b"PAR1")


def test_a_table_beyond_excels_rows_gets_no_xlsx_and_says_why(tmp_path, monkeypatch):
    # Excel's real limit needs a 1,048,576-row table; the rule is the same at 3 rows.
    monkeypatch.setattr(downloads_module, "XLSX_MAX_ROWS", 3)
    fields = [{"name": "a", "type": "integer"}]
    published = one(tmp_path, "a\n1\n2\n3\n4\n", fields)
    assert "d.xlsx" not in published.files
    assert {"d.csv", "d.json", "d.parquet"} <= set(published.files)
    resource = published.descriptor["resources"][0]
    assert resource["moldir:noXlsx"] == "No XLSX file: more than 4 rows (Excel's limit)."
    # The data is whole in the other files.
    assert parquet(published).num_rows == 4 and len(published.json()) == 4


def test_a_table_within_excels_limits_says_nothing(tmp_path):
    published = one(tmp_path, "a\n1\n", [{"name": "a", "type": "integer"}])
    assert "d.xlsx" in published.files
    assert "moldir:noXlsx" not in published.descriptor["resources"][0]


@pytest.mark.parametrize(
    ("text", "limit"),
    [("x" * 32_768, "text"), ("y", None)],
)
def test_a_cell_longer_than_excel_holds_means_no_xlsx(tmp_path, text, limit):
    published = one(tmp_path, f"a\n{text}\n", [{"name": "a", "type": "string"}])
    assert ("d.xlsx" in published.files) is (limit is None)
    note = published.descriptor["resources"][0].get("moldir:noXlsx")
    assert (note == "No XLSX file: more than 32,767 characters in a cell (Excel's limit).") is (
        limit == "text"
    )


def test_the_zip_holds_what_the_descriptor_describes(tmp_path):
    import zipfile

    fields = [{"name": "a", "type": "integer"}]
    published = publish(
        tmp_path,
        {"d.csv": "a\n1\n"},
        [{"name": "d", "path": "d.csv", "schema": {"fields": fields}}],
    )
    archive = zipfile.ZipFile(io.BytesIO(published.files["ds.zip"].read()))
    assert archive.namelist() == ["ds/datapackage.json", "ds/d.csv", "ds/original/d.csv"]
    assert archive.read("ds/d.csv") == published.files["d.csv"].read()
    assert json.loads(archive.read("ds/datapackage.json")) == published.descriptor


def test_parquet_column_names_are_the_csvs_header(tmp_path):
    fields = [{"name": "=total", "type": "integer"}]
    published = one(tmp_path, '"=total"\n1\n', fields)
    assert parquet(published).column_names == ["'=total"]
    assert published.csv().splitlines()[0] == "'=total"
