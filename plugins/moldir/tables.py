"""Typed tables: a validated resource read into a pandas DataFrame by its Table Schema.

Cells are read as text first and converted field by field, so that the descriptor
(encoding, delimiter, decimal and group characters, missing values) decides the types,
never pandas' guessing. Missing values stay missing (``<NA>``), never zero.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from .datasets import Field, Resource

DEFAULT_MISSING = ("",)


def read_table(resource: Resource) -> pd.DataFrame:
    """The resource's rows as a DataFrame with one typed column per schema field."""
    dialect = resource.dialect
    raw = pd.read_csv(
        resource.path,
        sep=dialect.get("delimiter", ","),
        quotechar=dialect.get("quoteChar", '"'),
        encoding=resource.encoding,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skipinitialspace=bool(dialect.get("skipInitialSpace", False)),
        encoding_errors="strict",
    )
    missing = set(resource.schema.get("missingValues", DEFAULT_MISSING))
    columns = {}
    for position, field in enumerate(resource.fields):
        column = raw.iloc[:, position] if position < raw.shape[1] else pd.Series([""] * len(raw))
        columns[field.name] = convert_column(column.where(~column.isin(missing), None), field)
    return pd.DataFrame(columns)


def convert_column(column: pd.Series, field: Field) -> pd.Series:
    """One text column to the pandas type of its Table Schema field."""
    if field.type in ("integer", "year"):
        return pd.to_numeric(clean_numbers(column, field), errors="raise").astype("Int64")
    if field.type == "number":
        return pd.to_numeric(clean_numbers(column, field), errors="raise").astype("Float64")
    if field.type == "boolean":
        trues = set(field.true_values)
        return column.map(lambda v: None if v is None else v in trues).astype("boolean")
    if field.type == "date":
        parsed = pd.to_datetime(column, format=date_format(field), errors="raise")
        return parsed.dt.date.where(parsed.notna(), None).astype(object)
    if field.type == "datetime":
        return pd.to_datetime(column, errors="raise", utc=True)
    return column.astype("string")


def clean_numbers(column: pd.Series, field: Field) -> pd.Series:
    text = column.astype("string")
    if field.group_char:
        text = text.str.replace(field.group_char, "", regex=False)
    if field.decimal_char != ".":
        text = text.str.replace(field.decimal_char, ".", regex=False)
    if not field.bare_number:
        text = text.str.replace(r"[^0-9eE+\-.]", "", regex=True)
    return text


def date_format(field: Field) -> str | None:
    if field.format in ("default", "any", ""):
        return "%Y-%m-%d"
    return field.format


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: missing as None, dates as ISO strings, numbers as numbers."""
    return [
        {column: json_value(value) for column, value in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
