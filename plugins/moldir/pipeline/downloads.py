"""Downloads: each resource as CSV, JSON and XLSX, the publisher's original file, the
published descriptor, and a zip.

Every function here turns typed tables (``tables.Table``) into bytes; nothing touches the
disk, so the files can be planned, hashed and described (datapackage.json, DCAT) before
anything is written. The build writes them (``write_bytes``, through ``output_path``).

What a download holds (docs/open-data.md, "Downloads"):

* **CSV** — UTF-8 without a byte order mark, ``,``, ``"`` quoting only where needed, LF line
  ends, one header row of the field names; values in each type's default form (ISO dates,
  datetimes and times, ``true``/``false``, numbers with ``.`` and no group separator);
  missing cells empty. The published ``datapackage.json`` describes exactly that file
  (formats, ``decimalChar``, ``trueValues``, ``missingValues`` and the dialect rewritten), so
  it passes ``frictionless validate``.
* **JSON** — the exact values: numbers as JSON numbers (a decimal Frictionless read exactly,
  an integer of any size), ``NaN`` and infinities as the strings ``"NaN"``, ``"Infinity"``,
  ``"-Infinity"``, objects and arrays as JSON.
* **XLSX** — typed cells (numbers, dates, booleans), text always as a string cell, never a
  formula; numbers that Excel cannot hold exactly (more than 15 significant digits) and
  dates it cannot show (before 1900, with a UTC offset) as text.
* **Formulas** (OWASP's CSV injection guidance): in the CSV and XLSX, a text cell or header
  that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (also after
  leading spaces or quotes) is written with a leading ``'``; values the schema types as
  numbers are written as numbers. The published schema follows (``enum``, ``pattern``,
  ``maxLength``, the field's name). JSON keeps every value exact.
* **Original** — the publisher's file, byte-identical, at
  ``original/<its path in the descriptor>``, listed in the published descriptor as a
  resource of its own (``<name>-original``) with the encoding and dialect it was validated
  with.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import io
import json
import math
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO

from moldir.model.dataset import Dataset, Resource
from moldir.model.safety import output_path, safe_name
from moldir.model.stored import FileStore, StoredFile, temporary_store
from moldir.pipeline.cells import cell_text, component_text, number_text
from moldir.pipeline.workbook import ZIP_DATE, write_xlsx

# pandas, pyarrow, XlsxWriter and .tables are imported where files are written, so that
# ``moldir validate`` (which imports ``Download`` through the portal) does not load them.
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from moldir.pipeline.tables import Table

MEDIA_TYPES = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
    "datapackage": "application/json",
    "parquet": "application/vnd.apache.parquet",
}
COMPRESSED_TYPES = {
    "gz": "application/gzip",
    "zip": "application/zip",
    "bz2": "application/x-bzip2",
    "xz": "application/x-xz",
}
# Download names that other files of a dataset's folder already use (the published
# descriptor, the API document): a resource so named gets "-data" added.
RESERVED_STEMS = {"datapackage", "index", "feed", "original", "charts"}
# Excel's limits: beyond them an XLSX would silently lose rows, columns or text.
XLSX_MAX_ROWS = 1_048_575  # plus the header row
XLSX_MAX_COLUMNS = 16_384
XLSX_MAX_TEXT = 32_767
# The published CSV's dialect, declared in full: Frictionless would otherwise sniff what is
# not declared (a ";" or a skipped initial space) from the published data.
CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "skipInitialSpace": False,
    "header": True,
}

# OWASP's CSV injection triggers: "=", "+", "-", "@", tab or carriage return first, also
# after leading whitespace or quotes. Python's \s (str.isspace) and the RE2 class below
# are the same set of characters (tests/test_tables_downloads.py checks every code point).
FORMULA_START = re.compile(r"^[\s'\"]*[=+\-@\t\r]")
FORMULA_START_RE2 = r"^[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}'\"]*[=+\-@\t\r]"
FORMULA_PREFIX = "'"


@dataclass(frozen=True)
class Download:
    """A file a data user can download, at ``datasets/<slug>/<filename>``.

    ``content`` is the file's body: a ``StoredFile`` on disk (every table's files: they can
    be hundreds of megabytes) or, for small files made in memory, ``bytes``.
    ``original`` marks the publisher's own file (byte-identical); ``note`` says how it is
    written (e.g. ``windows-1251, ";"``); ``mediatype`` overrides the format's type."""

    dataset: str
    filename: str
    format: str
    content: bytes | StoredFile
    resource: str | None = None
    original: bool = False
    note: str = ""
    mediatype: str | None = None

    @property
    def path(self) -> str:
        return f"datasets/{self.dataset}/{self.filename}"

    @property
    def media_type(self) -> str:
        return self.mediatype or MEDIA_TYPES.get(self.format, "application/octet-stream")

    @property
    def bytes(self) -> int:
        if isinstance(self.content, StoredFile):
            return self.content.size
        return len(self.content)

    @functools.cached_property
    def sha256(self) -> str:
        if isinstance(self.content, StoredFile):
            return self.content.sha256
        return hashlib.sha256(self.content).hexdigest()

    def read(self) -> bytes:
        """The whole body (tests and small files; the site copies stored files instead)."""
        if isinstance(self.content, StoredFile):
            return self.content.read_bytes()
        return self.content

    def on_disk(self) -> bool:
        """False when a stored body is gone (a remembered download whose cache folder was
        cleaned or moved): the download must be made again."""
        return not isinstance(self.content, StoredFile) or self.content.exists()

    def write_to(self, path: Path) -> None:
        """Write the file to ``path`` (copied from the store, never linked to it)."""
        if isinstance(self.content, StoredFile):
            self.content.copy_to(path)
        else:
            path.write_bytes(self.content)


# ----------------------------------------------------------------------------- formulas


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet could read it as a formula."""
    return FORMULA_PREFIX + text if FORMULA_START.match(text) else text


def neutralise_array(texts: pa.Array) -> tuple[pa.Array, bool]:
    """Every text of an arrow array neutralised; and whether any was."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.fill_null(pc.match_substring_regex(texts, FORMULA_START_RE2), False)
    if not pc.any(found).as_py():
        return texts, False
    prefixed = pc.binary_join_element_wise(pa.scalar(FORMULA_PREFIX), texts, "")
    return pc.if_else(found, prefixed, texts), True


def neutralised_field(item: Any) -> bool:
    """Whether a field's cells are text from the publisher (and so neutralised): strings
    of the default format, ``any``, lists of strings. Typed values (numbers, dates, …) are
    written by Moldir in their type's form and cannot carry a formula."""
    if item.type == "string":
        return item.format in ("default", None)
    if item.type == "any":
        return True
    return item.type == "list" and getattr(item, "item_type", "string") == "string"


# ----------------------------------------------------------------------------- cell texts


def json_ready(value: Any) -> Any:
    """A typed value as JSON-serialisable Python (exact numbers kept as Decimal)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else number_text(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else number_text(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    return str(value)


def json_text(item: Any, value: Any) -> str:
    """One value as JSON text, exact: numbers with their own digits, ``yearmonth`` and
    ``duration`` as their text, a geopoint as ``[lon, lat]``, objects and arrays as JSON."""
    if item.type in ("yearmonth", "duration"):
        return json.dumps(cell_text(item, value), ensure_ascii=False)
    if item.type == "geopoint":
        return f"[{component_text(value[0])}, {component_text(value[1])}]"
    ready = json_ready(value)
    if isinstance(ready, Decimal):
        return str(ready)
    if isinstance(ready, float):
        return repr(ready)
    if isinstance(ready, dict | list):
        return json.dumps(_decimals_as_floats(ready), ensure_ascii=False)
    return json.dumps(ready, ensure_ascii=False)


def _decimals_as_floats(value: Any) -> Any:
    # Nested Decimals (geopoints inside lists) are rare: written as floats' short form.
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _decimals_as_floats(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decimals_as_floats(item) for item in value]
    return value


# ----------------------------------------------------------------------------- columns


def arrow_of(series: pd.Series) -> pa.Array:
    import pyarrow as pa

    array = pa.array(series.array) if hasattr(series.array, "__arrow_array__") else None
    if array is None:
        array = pa.array(series.astype(object).where(series.notna(), None).tolist())
    if pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    return array


def column_texts(table: Table, item: Any) -> pa.Array:
    """The CSV texts of one column (null where the value is missing), not neutralised."""
    import pyarrow as pa
    import pyarrow.compute as pc

    series = table.frame[item.name]
    overlay = table.exact.get(item.name)
    dtype = str(series.dtype)
    if dtype == "string":
        # Text fields, and the published text of yearmonth, duration, geopoint, objects...
        return arrow_of(series)
    if dtype == "Int64":
        texts = pc.cast(arrow_of(series), pa.string())
        # A year is four digits in Table Schema ("0999"), as Frictionless reads it.
        return pc.utf8_lpad(texts, 4, "0") if item.type == "year" else texts
    if dtype == "boolean":
        return pc.if_else(arrow_of(series), pa.scalar("true"), pa.scalar("false"))
    if dtype == "Float64":
        texts = float_texts(arrow_of(series))
        if overlay is None:
            return texts
        listed = texts.to_pylist()
        for index, value in overlay.items():
            listed[index] = number_text(value)
        return pa.array(listed, pa.string())
    # Object columns (dates, times, integers beyond 64 bits) and datetimes (exact values).
    values = series.tolist()
    if overlay is not None:
        for index, value in overlay.items():
            values[index] = value
    dates = date_texts(values)
    if dates is not None:
        return dates
    return pa.array([None if missing(v) else cell_text(item, v) for v in values], pa.string())


def date_texts(values: list) -> pa.Array | None:
    """ISO texts of a column of plain dates (missing: null), made by arrow; None when the
    column holds anything else (datetimes, times, text), which is written value by value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dates = plain_dates(values)
    return None if dates is None else pc.cast(dates, pa.string())


def plain_dates(values: list) -> pa.Array | None:
    """A column of plain dates as arrow date32 (missing: null), or None when it holds
    anything else (a datetime is a date too, but keeps its time and offset)."""
    import pyarrow as pa

    kinds = set(map(type, values))
    if dt.date not in kinds or not kinds <= {dt.date, *missing_types()}:
        return None
    if kinds != {dt.date}:
        values = [None if missing(v) else v for v in values]
    return pa.array(values, pa.date32())


def float_texts(values: pa.Array) -> pa.Array:
    """Floats in Python's shortest form (``repr``), the same in every path.

    Arrow writes the same shortest digits, but in exponent form from 1e15 and without
    ``.0``: where Python writes a plain decimal (0 and 1e-4 <= |x| < 1e16) arrow's text is
    used with ``.0`` added where it has no point; the rest (huge, tiny, inf, nan) are few
    and go through ``repr`` (tests/test_tables_downloads.py compares millions of floats)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.null_count == len(values):
        return pa.nulls(len(values), pa.string())
    texts = pc.cast(values, pa.string())
    size = pc.abs(values)
    plain = pc.and_(pc.greater_equal(size, 1e-4), pc.less(size, 1e16))
    plain = pc.and_(plain, pc.invert(pc.match_substring(texts, "e")))
    plain = pc.fill_null(pc.or_(plain, pc.equal(size, 0.0)), True)
    pointed = pc.if_else(
        pc.match_substring(texts, "."), texts, pc.binary_join_element_wise(texts, ".0", "")
    )
    if pc.all(plain).as_py():
        return pointed
    listed = pointed.to_pylist()
    for index in pc.indices_nonzero(pc.invert(plain)).to_pylist():
        listed[index] = repr(values[index].as_py())
    return pa.array(listed, pa.string())


@functools.cache
def missing_types() -> frozenset[type]:
    """The types of a missing cell in a frame's object column (None, pd.NA, pd.NaT)."""
    try:
        import pandas as pd

        return frozenset({type(None), type(pd.NA), type(pd.NaT)})
    except ImportError:  # pragma: no cover
        return frozenset({type(None)})


def missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(value, float) and math.isnan(value)


@dataclass
class Written:
    """A table as written: per column the CSV texts (neutralised), the marker of missing
    cells, the published field names, and which fields were neutralised."""

    names: list[str]
    texts: list[pa.Array]
    marker: str
    neutralised: set[str]


def written(table: Table) -> Written:
    """The texts every CSV cell and header holds (the one writing rule for CSV and XLSX)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = []
    neutralised: set[str] = set()
    for item in table.fields:
        column = column_texts(table, item)
        if neutralised_field(item):
            column, changed = neutralise_array(column)
            if changed:
                neutralised.add(item.name)
        texts.append(column)
    names = [neutralise(item.name) for item in table.fields]
    # Missing cells are written empty, unless a present value is written empty too (a
    # string "" where the source's missing values did not include ""): then another marker.
    marker = ""
    if any(pc.any(pc.equal(column, pa.scalar(""))).as_py() for column in texts if len(column)):
        marker = missing_marker(table, texts)
    return Written(names, texts, marker, neutralised)


MARKER_CANDIDATES = ("NA", "N/A", "null", "NULL", "-", "n/a", "#N/A", "\\N")


def missing_marker(table: Table, texts: list[pa.Array]) -> str:
    import pyarrow as pa
    import pyarrow.compute as pc

    declared = [v for item in table.fields for v in item_missing(item) if v]
    for candidate in [*declared, *MARKER_CANDIDATES]:
        if neutralise(candidate) != candidate:
            continue
        if not any(pc.any(pc.equal(c, pa.scalar(candidate))).as_py() for c in texts if len(c)):
            return candidate
    index = 0
    while True:  # pragma: no cover - every candidate above in use
        candidate = f"NA{index}"
        if not any(pc.any(pc.equal(c, pa.scalar(candidate))).as_py() for c in texts if len(c)):
            return candidate
        index += 1


def item_missing(item: Any) -> list[str]:
    from moldir.pipeline.tables import missing_values

    return missing_values(item)


def quoted(texts: pa.Array, single: bool = False) -> pa.Array:
    """CSV cells: quoted (inner quotes doubled) where they hold ``,``, ``"``, CR or LF;
    in a one-column table also when empty (an empty line would be a blank row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    needs = pc.match_substring_regex(texts, r'[,"\r\n]')
    if single:
        needs = pc.or_(needs, pc.equal(pc.utf8_length(texts), 0))
    inner = pc.replace_substring(texts, '"', '""')
    wrapped = pc.binary_join_element_wise(pa.scalar('"'), inner, pa.scalar('"'), "")
    return pc.if_else(needs, wrapped, texts)


def joined_lines(columns: list[pa.Array], separator: str) -> bytes:
    """Rows of per-column texts (no nulls) joined by ``separator``, each ending in LF."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not columns or not len(columns[0]):
        return b""
    # Large strings: 64-bit offsets, so a file over 2 GiB does not overflow.
    columns = [column.cast(pa.large_string()) for column in columns]
    glue = pa.scalar(separator, pa.large_string())
    rows = pc.binary_join_element_wise(*columns, glue) if len(columns) > 1 else columns[0]
    empty = pa.scalar("", pa.large_string())
    rows = pc.binary_join_element_wise(rows, pa.scalar("\n", pa.large_string()), empty)
    buffers = rows.buffers()
    offsets = memoryview(buffers[1]).cast("q")
    start, end = offsets[rows.offset], offsets[rows.offset + len(rows)]
    return bytes(memoryview(buffers[2])[start:end])


# ----------------------------------------------------------------------------- files


# Rows written per piece: the texts of one piece at a time are joined in memory.
WRITE_CHUNK_ROWS = 131_072


def csv_bytes(table: Table | pd.DataFrame, shape: Written | None = None) -> bytes:
    """UTF-8, comma-separated, LF line ends, quoted where needed; missing cells empty."""
    buffer = io.BytesIO()
    write_csv(as_table(table), shape, buffer)
    return buffer.getvalue()


def write_csv(table: Table, shape: Written | None, out: BinaryIO) -> None:
    """``csv_bytes`` written to ``out`` piece by piece."""
    import pyarrow as pa
    import pyarrow.compute as pc

    shape = shape or written(table)
    single = len(shape.names) == 1
    header = ",".join(quoted(pa.array(shape.names, pa.string()), single).to_pylist()) + "\n"
    out.write(header.encode("utf-8"))
    count = len(shape.texts[0]) if shape.texts else 0
    for start in range(0, count, WRITE_CHUNK_ROWS):
        texts = [t.slice(start, WRITE_CHUNK_ROWS) for t in shape.texts]
        columns = [quoted(pc.fill_null(t, shape.marker), single) for t in texts]
        out.write(joined_lines(columns, ","))


def json_bytes(table: Table | pd.DataFrame) -> bytes:
    """A JSON array with one row object per line (``{"field": value, …}``, the field
    names and values exact)."""
    buffer = io.BytesIO()
    write_json(as_table(table), buffer)
    return buffer.getvalue()


def write_json(table: Table, out: BinaryIO) -> None:
    """``json_bytes`` written to ``out`` piece by piece."""
    import pyarrow as pa

    if not table.fields or not len(table.frame):
        out.write(b"[]\n")
        return
    columns = []
    for index, item in enumerate(table.fields):
        key = json.dumps(item.name, ensure_ascii=False) + ": "
        prefix = ("{" if index == 0 else "") + key
        fragments = json_fragments(table, item)
        columns.append(pa.compute.binary_join_element_wise(pa.scalar(prefix), fragments, ""))
    # Every row ends "},\n"; the last row's comma is dropped at the end of the array.
    columns[-1] = pa.compute.binary_join_element_wise(columns[-1], pa.scalar("},"), "")
    out.write(b"[\n")
    count = len(columns[0])
    for start in range(0, count, WRITE_CHUNK_ROWS):
        body = joined_lines([c.slice(start, WRITE_CHUNK_ROWS) for c in columns], ", ")
        out.write(body if start + WRITE_CHUNK_ROWS < count else body[:-2] + b"\n")
    out.write(b"]\n")


def parquet_bytes(table: Table | pd.DataFrame, shape: Written | None = None) -> bytes:
    """The table as Apache Parquet (see ``write_parquet``)."""
    buffer = io.BytesIO()
    table = as_table(table)
    write_parquet(table, shape or written(table), buffer)
    return buffer.getvalue()


def write_parquet(table: Table, shape: Written, out: BinaryIO) -> None:
    """The table as Apache Parquet, typed: integers int64, numbers float64, booleans,
    dates date32, times time64, datetimes timestamp (UTC when they carry an offset); text
    and every other type (yearmonth, duration, geopoint, objects…) the CSV's text,
    neutralised as there. A column whose values the Parquet type would change (an integer
    beyond 64 bits, a number with more digits than a float holds, mixed offsets) is the
    CSV's text too: a data user never gets a silently rounded value. Written in row groups
    of ``WRITE_CHUNK_ROWS``, zstd-compressed; the same table always gives the same bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = shape.names  # the CSV's header: neutralised, as the published schema says
    columns = [
        parquet_column(table, item, texts)
        for item, texts in zip(table.fields, shape.texts, strict=True)
    ]
    schema = pa.schema(
        [pa.field(name, column.type) for name, column in zip(names, columns, strict=True)]
    )
    whole = pa.Table.from_arrays(columns, schema=schema)
    with pq.ParquetWriter(
        out, schema, compression="zstd", write_statistics=True, store_schema=False
    ) as writer:
        if not len(whole):
            writer.write_table(whole)
        for start in range(0, len(whole), WRITE_CHUNK_ROWS):
            writer.write_table(whole.slice(start, WRITE_CHUNK_ROWS))


def parquet_column(table: Table, item: Any, texts: pa.Array) -> pa.Array:
    """One column of the Parquet download (see ``write_parquet``)."""
    import numpy as np
    import pyarrow as pa

    series = table.frame[item.name]
    overlay = table.exact.get(item.name)
    dtype = str(series.dtype)
    if item.type in ("integer", "year") and dtype == "Int64":
        return arrow_of(series).cast(pa.int64())
    if item.type == "boolean" and dtype == "boolean":
        return arrow_of(series)
    if item.type == "number" and dtype == "Float64":
        values = arrow_of(series).cast(pa.float64())
        if overlay is None:
            return values
        # NaN and infinities are exact as floats; a longer decimal is not: then the text.
        specials = {}
        for index, value in overlay.items():
            if isinstance(value, Decimal) and value.is_finite():
                return texts
            specials[index] = float(value)
        numbers = values.to_numpy(zero_copy_only=False).astype(float)
        valid = ~np.asarray(values.is_null().to_numpy(zero_copy_only=False))
        for index, number in specials.items():
            numbers[index], valid[index] = number, True
        return pa.array(numbers, pa.float64(), mask=~valid)
    values = series.tolist()
    if overlay is not None:
        values = list(values)
        for index, value in overlay.items():
            values[index] = value
    dates = plain_dates(values) if item.type == "date" else None
    if dates is not None:
        return dates
    present = [None if missing(v) else v for v in values]
    kinds = {"date": pa.date32(), "time": pa.time64("us")}
    if item.type in kinds:
        plain = all(v is None or type(v) in (dt.date, dt.time) for v in present)
        if plain and all(getattr(v, "tzinfo", None) is None for v in present):
            return pa.array(present, kinds[item.type])
        return texts
    if item.type == "datetime":
        aware = {v.tzinfo is not None for v in present if v is not None}
        if all(isinstance(v, dt.datetime) or v is None for v in present) and len(aware) <= 1:
            if aware == {True}:
                utc = [None if v is None else v.astimezone(dt.UTC) for v in present]
                return pa.array(utc, pa.timestamp("us", tz="UTC"))
            return pa.array(present, pa.timestamp("us"))
        return texts
    return texts


def json_fragments(table: Table, item: Any) -> pa.Array:
    """The JSON text of each value of a column (``null`` where missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    series = table.frame[item.name]
    overlay = table.exact.get(item.name)
    dtype = str(series.dtype)
    if dtype == "string" and overlay is None:
        return pc.fill_null(json_strings(arrow_of(series)), "null")
    if dtype == "Int64":
        return pc.fill_null(pc.cast(arrow_of(series), pa.string()), "null")
    if dtype == "boolean":
        return pc.fill_null(column_texts(table, item), "null")
    if dtype == "Float64":
        texts = float_texts(arrow_of(series))
        if overlay is not None:
            listed = texts.to_pylist()
            for index, value in overlay.items():
                listed[index] = json_text(item, value)
            texts = pa.array(listed, pa.string())
        return pc.fill_null(texts, "null")
    values = series.tolist()
    if overlay is not None:
        for index, value in overlay.items():
            values[index] = value
    dates = date_texts(values) if item.type == "date" else None
    if dates is not None:
        return pc.fill_null(json_strings(dates), "null")
    return pa.array(["null" if missing(v) else json_text(item, v) for v in values], pa.string())


def json_strings(texts: pa.Array) -> pa.Array:
    """Each text as a JSON string (``json.dumps(text, ensure_ascii=False)``; null stays
    null): quoted by arrow, and only the texts holding a quote, a backslash or a control
    character escaped by Python's encoder."""
    import pyarrow as pa
    import pyarrow.compute as pc

    quoted = pc.binary_join_element_wise('"', texts, '"', "")
    special = pc.fill_null(pc.match_substring_regex(texts, r'["\\\x00-\x1f]'), False)
    if not pc.any(special).as_py():
        return quoted
    encode = json.encoder.encode_basestring
    listed = quoted.to_pylist()
    for index in pc.indices_nonzero(special).to_pylist():
        listed[index] = encode(texts[index].as_py())
    return pa.array(listed, pa.string())


@dataclass(frozen=True)
class XlsxLimit:
    """Why a table has no XLSX: which of Excel's limits it passes (``rows``, ``columns``
    or ``text``: a cell's characters) and that limit."""

    limit: str
    maximum: int

    def __str__(self) -> str:
        what = {"rows": "rows", "columns": "columns", "text": "characters in a cell"}
        return f"more than {self.maximum:,} {what[self.limit]} (Excel's limit)"


def xlsx_limits(table: Table, shape: Written) -> XlsxLimit | None:
    """Why the table cannot be an XLSX without losing data, or None.

    Such a table gets no XLSX rather than one split into several sheets: a split table
    cannot be sorted, filtered or summed as one, and a data user could miss the later
    sheets; the CSV and Parquet files hold it whole."""
    import pyarrow.compute as pc

    if len(table.frame) > XLSX_MAX_ROWS:
        return XlsxLimit("rows", XLSX_MAX_ROWS + 1)  # Excel counts the header row
    if len(table.fields) > XLSX_MAX_COLUMNS:
        return XlsxLimit("columns", XLSX_MAX_COLUMNS)
    longest = max(
        [len(name) for name in shape.names]
        + [pc.max(pc.utf8_length(t)).as_py() or 0 for t in shape.texts if len(t)]
        or [0]
    )
    if longest > XLSX_MAX_TEXT:
        return XlsxLimit("text", XLSX_MAX_TEXT)
    return None


def xlsx_bytes(
    table: Table | pd.DataFrame, sheet_title: str, shape: Written | None = None
) -> bytes:
    """The XLSX download of a table in memory (``workbook.write_xlsx``)."""
    buffer = io.BytesIO()
    table = as_table(table)
    write_xlsx(table, sheet_title, shape or written(table), buffer)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    write_zip(files, buffer)
    return buffer.getvalue()


def write_zip(files: dict[str, bytes | StoredFile], out: BinaryIO) -> None:
    """A zip of ``files`` (name → body), deflated, every entry dated ``ZIP_DATE``; stored
    bodies are read in pieces."""
    import shutil

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            if not isinstance(content, StoredFile):
                archive.writestr(info, content)
                continue
            # As writestr does: the size known first decides zip64 the same way.
            info.file_size = content.size
            with archive.open(info, mode="w") as entry, content.open() as source:
                shutil.copyfileobj(source, entry, 1 << 20)


# ----------------------------------------------------------------------------- tables


def as_table(table: Table | pd.DataFrame, resource: Resource | None = None) -> Table:
    """A ``Table`` for a plain DataFrame (fields from the resource's schema, or from the
    column types), so the writers also take the frames of older callers and tests."""
    from moldir.pipeline.tables import Table

    if isinstance(table, Table):
        return table
    frame = table
    if resource is not None and resource.fields:
        descriptors = list(resource.schema.get("fields", []))
    else:
        descriptors = [{"name": str(name), "type": dtype_type(frame[name])} for name in frame]
    schema = {"fields": descriptors}
    if resource is not None and "missingValues" in resource.schema:
        schema["missingValues"] = resource.schema["missingValues"]
    return Table(str(resource.name if resource else "data"), schema, frame)


def dtype_type(series: pd.Series) -> str:
    dtype = str(series.dtype)
    if dtype in ("Int64", "int64"):
        return "integer"
    if dtype in ("Float64", "float64"):
        return "number"
    if dtype in ("boolean", "bool"):
        return "boolean"
    sample = series.dropna()
    if len(sample) and all(isinstance(v, dt.date) for v in sample.head(100)):
        return "datetime" if isinstance(sample.iloc[0], dt.datetime) else "date"
    return "string"


# ----------------------------------------------------------------------------- descriptor


def download_stems(dataset: Dataset) -> dict[str, str]:
    """The file name (without extension) of each resource's downloads: its name, unless a
    file of the dataset's folder already has it or another resource's differs only in case
    (on a case-insensitive disk they would be one file)."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for resource in dataset.resources:
        stem = resource.name
        if stem.lower() in RESERVED_STEMS:
            stem = f"{stem}-data"
        base, number = stem, 2
        while stem.lower() in taken:
            stem = f"{base}-{number}"
            number += 1
        taken.add(stem.lower())
        stems[resource.name] = stem
    return stems


def original_name(resource: Resource, taken: set[str]) -> str:
    """Where the publisher's file is published: ``original/<path in the descriptor>`` when
    every part is a safe name, else ``original/<resource name>.<extension>``."""
    parts = [p for p in PurePosixPath(str(resource.relpath).replace("\\", "/")).parts if p != "."]
    if parts and all(safe_name(part) for part in parts):
        candidate = "/".join(["original", *parts])
    else:
        suffix = PurePosixPath(parts[-1]).suffix.lstrip(".").lower() if parts else ""
        suffix = suffix if re.fullmatch(r"[a-z0-9]{1,10}", suffix) else "dat"
        candidate = f"original/{resource.name}.{suffix}"
    base, number = candidate, 2
    while candidate.lower() in taken:
        stem = PurePosixPath(base)
        candidate = str(stem.with_name(f"{stem.stem}-{number}{stem.suffix}"))
        number += 1
    taken.add(candidate.lower())
    return candidate


def original_note(descriptor: dict[str, Any], content: bytes | StoredFile) -> str:
    """How the publisher's file is written, for the dataset page: encoding, separator."""
    path = PurePosixPath(str(descriptor.get("path")))
    compression = descriptor.get("compression")
    if isinstance(compression, str) and path.suffix.lower() == f".{compression.lower()}":
        path = path.with_suffix("")  # "data.csv.gz" is a compressed CSV
    fmt = str(descriptor.get("format") or path.suffix).lstrip(".").lower()
    words = []
    if fmt in ("csv", "tsv", "txt", ""):
        encoding = str(descriptor.get("encoding") or "utf-8")
        if isinstance(content, StoredFile):
            with content.open() as handle:
                content = handle.read(3)
        if content.startswith(b"\xef\xbb\xbf"):
            encoding += " with BOM"
        words.append(encoding)
        dialect = descriptor.get("dialect") if isinstance(descriptor.get("dialect"), dict) else {}
        delimiter = dialect.get("delimiter", "\t" if fmt == "tsv" else ",")
        words.append('"\\t"' if delimiter == "\t" else f'"{delimiter}"')
        marks = {f.get("decimalChar") for f in schema_fields(descriptor)} - {None, "."}
        words += ["decimal comma" if mark == "," else f'decimal "{mark}"' for mark in sorted(marks)]
    else:
        words.append(fmt.upper() or "file")
    if isinstance(descriptor.get("compression"), str) and descriptor["compression"]:
        words.append(f"{descriptor['compression']}-compressed")
    return ", ".join(words)


def schema_fields(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    schema = descriptor.get("schema")
    return (
        [f for f in (schema or {}).get("fields", []) if isinstance(f, dict)]
        if isinstance(schema, dict)
        else []
    )


def rewrite_bound(item: Any, bound: Any) -> Any:
    """A constraint bound or example written in the source's form, in the published form."""
    if not isinstance(bound, str):
        return bound
    from moldir.pipeline.tables import value_reader

    try:
        value = value_reader(item)(bound)
    except Exception:
        return bound
    if value is None:
        return bound
    return cell_text(item, value)


def published_schema(
    source: dict[str, Any] | None, table: Table, shape: Written
) -> tuple[dict[str, Any], dict[str, str]]:
    """The schema of the published CSV, and the renamed fields (neutralised names)."""
    schema = copy.deepcopy(source) if isinstance(source, dict) else {}
    if not schema.get("fields"):
        schema["fields"] = copy.deepcopy(table.schema.get("fields", []))
    items = {item.name: item for item in table.fields}
    renames: dict[str, str] = {}
    for descriptor in schema["fields"]:
        item = items.get(descriptor.get("name"))
        if item is None:
            continue
        kind = item.type
        descriptor.pop("missingValues", None)
        if kind in ("integer", "number", "year"):
            for key in ("decimalChar", "groupChar", "bareNumber"):
                descriptor.pop(key, None)
        if kind == "boolean":
            descriptor.pop("trueValues", None)
            descriptor.pop("falseValues", None)
        if kind in ("date", "datetime", "time", "geopoint", "yearmonth", "duration"):
            descriptor.pop("format", None)
        constraints = descriptor.get("constraints")
        if isinstance(constraints, dict):
            for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                if key in constraints:
                    constraints[key] = rewrite_bound(item, constraints[key])
            if isinstance(constraints.get("enum"), list):
                constraints["enum"] = [rewrite_bound(item, v) for v in constraints["enum"]]
            if item.name in shape.neutralised:
                if isinstance(constraints.get("enum"), list):
                    constraints["enum"] = [
                        neutralise(v) if isinstance(v, str) else v for v in constraints["enum"]
                    ]
                if isinstance(constraints.get("pattern"), str):
                    constraints["pattern"] = prefixed_pattern(constraints["pattern"])
                if isinstance(constraints.get("maxLength"), int):
                    constraints["maxLength"] += len(FORMULA_PREFIX)
        if "example" in descriptor:
            descriptor["example"] = rewrite_bound(item, descriptor["example"])
            if item.name in shape.neutralised and isinstance(descriptor["example"], str):
                descriptor["example"] = neutralise(descriptor["example"])
        published_name = neutralise(item.name)
        if published_name != item.name:
            renames[item.name] = published_name
            descriptor["name"] = published_name
    schema["missingValues"] = [shape.marker]
    rename_keys(schema, renames)
    return schema, renames


def prefixed_pattern(pattern: str) -> str:
    """A Table Schema pattern that also accepts its values with the formula prefix."""
    flags = re.match(r"^\(\?[aiLmsux]+\)", pattern)
    head = flags.group(0) if flags else ""
    return f"{head}{re.escape(FORMULA_PREFIX)}?(?:{pattern[len(head) :]})"


def rename_keys(schema: dict[str, Any], renames: dict[str, str]) -> None:
    """Keys of a schema (primary, unique, foreign) after fields were renamed."""
    if not renames:
        return

    def renamed(value: Any) -> Any:
        if isinstance(value, str):
            return renames.get(value, value)
        if isinstance(value, list):
            return [renames.get(v, v) if isinstance(v, str) else v for v in value]
        return value

    if "primaryKey" in schema:
        schema["primaryKey"] = renamed(schema["primaryKey"])
    if isinstance(schema.get("uniqueKeys"), list):
        schema["uniqueKeys"] = [renamed(key) for key in schema["uniqueKeys"]]
    for key in schema.get("foreignKeys", []) or []:
        if isinstance(key, dict):
            key["fields"] = renamed(key.get("fields"))
            reference = key.get("reference")
            if isinstance(reference, dict) and reference.get("resource") in ("", None):
                reference["fields"] = renamed(reference.get("fields"))


def published_descriptor(
    dataset: Dataset,
    csv_files: dict[str, Download],
    shapes: dict[str, Written] | None = None,
    tables: dict[str, Table] | None = None,
    originals: dict[str, Download] | None = None,
    without_xlsx: dict[str, XlsxLimit] | None = None,
) -> dict[str, Any]:
    """The descriptor as published: resources point at the UTF-8 CSV downloads, with
    ``bytes`` and ``hash``, and a schema and dialect that describe that file; then one
    resource per publisher's original file, as it was validated. A table too big for
    Excel says so in ``moldir:noXlsx`` (why its XLSX is missing)."""
    from moldir.pipeline.validate import declared_defaults

    descriptor = copy.deepcopy(dataset.descriptor)
    descriptor["name"] = dataset.slug
    shapes = shapes or {}
    tables = tables or {}
    originals = originals or {}
    renames: dict[str, dict[str, str]] = {}
    resources = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        download = csv_files.get(name)
        if download is None:
            # Not a table: the resource is the publisher's file (or its inline data) itself.
            resources.append(published_file(resource, originals.get(name)))
            continue
        published = {
            k: v
            for k, v in resource.items()
            if k
            not in (
                "data",
                "dialect",
                "encoding",
                "compression",
                "path",
                "scheme",
                "innerpath",
                "sheet",
                "bytes",
                "hash",
                "format",
                "mediatype",
            )
        }
        table, shape = tables.get(name), shapes.get(name)
        if table is not None and shape is not None:
            schema, renames[name] = published_schema(resource.get("schema"), table, shape)
            published["schema"] = schema
        published.update(
            {
                "path": download.filename,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": dict(CSV_DIALECT),
                "bytes": download.bytes,
                "hash": f"sha256:{download.sha256}",
            }
        )
        if without_xlsx and name in without_xlsx:
            published["moldir:noXlsx"] = f"No XLSX file: {without_xlsx[name]}."
        resources.append(published)
    # Foreign keys to another resource's renamed fields.
    for published in resources:
        for key in published.get("schema", {}).get("foreignKeys", []) or []:
            reference = key.get("reference") if isinstance(key, dict) else None
            target = reference.get("resource") if isinstance(reference, dict) else None
            if target and target in renames and renames[target]:
                fields = reference.get("fields")
                names = renames[target]
                reference["fields"] = (
                    names.get(fields, fields)
                    if isinstance(fields, str)
                    else [names.get(f, f) for f in fields or []]
                )
    names = {r["name"] for r in resources}
    original_names: dict[str, str] = {}
    for source in dataset.resources:
        if source.name in originals and source.name in csv_files:
            candidate, number = f"{source.name}-original", 2
            while candidate in names:
                candidate = f"{source.name}-original-{number}"
                number += 1
            names.add(candidate)
            original_names[source.name] = candidate
    for source in declared_defaults(dataset.descriptor)["resources"]:
        name = source.get("name")
        download = originals.get(name)
        if download is None or name not in csv_files:
            continue
        original = copy.deepcopy(source)
        original["name"] = original_names[name]
        original["path"] = download.filename
        original["bytes"] = download.bytes
        original["hash"] = f"sha256:{download.sha256}"
        original["title"] = f"{source.get('title') or name} (as published)"
        original["moldir:originalOf"] = name
        schema = original.get("schema")
        if isinstance(schema, dict):
            keys = []
            for key in schema.get("foreignKeys", []) or []:
                reference = key.get("reference", {}) if isinstance(key, dict) else {}
                target = reference.get("resource")
                if target in ("", None, name):
                    reference["resource"] = original["name"] if target == name else target
                    keys.append(key)
                elif target in original_names:
                    reference["resource"] = original_names[target]
                    keys.append(key)
                # A key to a resource without an original (inline data) is dropped: its
                # published CSV may be neutralised.
            if "foreignKeys" in schema:
                schema["foreignKeys"] = keys
        resources.append(original)
    descriptor["resources"] = resources
    return descriptor


def published_file(resource: dict[str, Any], original: Download | None) -> dict[str, Any]:
    """A resource that is not a table, as published: the publisher's file at its
    ``original/`` path (or its inline data as it was)."""
    from moldir.pipeline.validate import declared_defaults

    published = declared_defaults({"resources": [copy.deepcopy(resource)]})["resources"][0]
    if original is not None:
        published.update(
            {
                "path": original.filename,
                "bytes": original.bytes,
                "hash": f"sha256:{original.sha256}",
            }
        )
    return published


@dataclass(frozen=True)
class PlannedFiles:
    """A dataset's files before its package is made: every resource's downloads (CSV,
    JSON, XLSX, Parquet, the publisher's original) and the descriptor that describes them,
    without the date of the dataset's last change (``package_downloads`` adds it);
    ``without_xlsx``: the resources that have no XLSX, and why."""

    downloads: tuple[Download, ...]
    descriptor: dict[str, Any]
    without_xlsx: dict[str, XlsxLimit] = field(default_factory=dict)


def plan_downloads(
    dataset: Dataset,
    tables: dict[str, Any],
    modified: str | None = None,
    store: FileStore | None = None,
) -> list[Download]:
    """Every download of a dataset: per resource CSV, JSON, XLSX (unless Excel's limits
    would cut it), Parquet and the publisher's original file; datapackage.json; zip.

    ``modified`` (RFC 3339, when the dataset last changed, from its history) goes into the
    published datapackage.json when the descriptor gives none. The files are written into
    ``store`` (a temporary one by default)."""
    store = store or temporary_store()
    return package_downloads(dataset, plan_files(dataset, tables, store), modified, store)


def plan_files(
    dataset: Dataset, tables: dict[str, Any], store: FileStore | None = None
) -> PlannedFiles:
    """Every resource's downloads and the published descriptor (the costly part of the
    plan: it depends on the dataset's files alone, not on its history)."""
    from moldir.pipeline.tables import DeriveError

    store = store or temporary_store()
    typed = getattr(tables, "typed", None) or {
        resource.name: as_table(tables[resource.name], resource) for resource in dataset.resources
    }
    stems = download_stems(dataset)
    downloads: list[Download] = []
    csv_files: dict[str, Download] = {}
    originals: dict[str, Download] = {}
    shapes: dict[str, Written] = {}
    without_xlsx: dict[str, XlsxLimit] = {}
    taken: set[str] = set()
    for resource in dataset.resources:
        try:
            planned = plan_resource(dataset, resource, typed[resource.name], stems, taken, store)
        except Exception as problem:
            if isinstance(problem, DeriveError):
                problem.resource = problem.resource or resource.name
                raise
            raise DeriveError(
                f"the downloads could not be written: {type(problem).__name__}: {problem}",
                resource=resource.name,
            ) from problem
        shape, files, original, limit = planned
        if shape is not None:
            shapes[resource.name] = shape
            csv_files[resource.name] = files[0]
        if limit is not None:
            without_xlsx[resource.name] = limit
        downloads += files
        if original is not None:
            originals[resource.name] = original
            downloads.append(original)
    descriptor = published_descriptor(dataset, csv_files, shapes, typed, originals, without_xlsx)
    return PlannedFiles(tuple(downloads), descriptor, without_xlsx)


def package_downloads(
    dataset: Dataset,
    files: PlannedFiles,
    modified: str | None = None,
    store: FileStore | None = None,
) -> list[Download]:
    """The downloads of ``files`` with the published datapackage.json and the zip (the
    descriptor, each table's CSV and each original file), in that order.

    ``modified`` is written into the published descriptor when it has none, so the file a
    data user downloads carries the same date as the dataset's page."""
    from moldir.pipeline.tables import DeriveError

    slug = dataset.slug
    descriptor = files.descriptor
    if modified and not descriptor.get("modified"):
        descriptor = {**descriptor, "modified": modified}
    descriptor_bytes = json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")
    package = Download(slug, "datapackage.json", "datapackage", descriptor_bytes)
    # The zip holds what the descriptor describes: each table's CSV (the first download
    # of a tabular resource) and the publisher's files.
    tables = [d for d in files.downloads if d.format == "csv" and not d.original]
    originals = [d for d in files.downloads if d.original]
    entries: dict[str, bytes | StoredFile] = {
        f"{slug}/datapackage.json": descriptor_bytes,
        **{f"{slug}/{d.filename}": d.content for d in tables},
        **{f"{slug}/{d.filename}": d.content for d in originals},
    }
    archive = (store or temporary_store()).write(lambda out: write_zip(entries, out))
    planned = [*files.downloads, package, Download(slug, f"{slug}.zip", "zip", archive)]
    for download in planned:
        # Every part of every download's path: a safe name, inside the dataset's folder
        # (the writer checks the resolved path again, safety.checked_output).
        parts = download.filename.split("/")
        if not all(safe_name(part) for part in parts):
            raise DeriveError(
                f'unsafe download name "{download.filename}"', resource=download.resource
            )
        output_path(Path("/site"), "datasets", slug, *parts)
    return planned


def plan_resource(
    dataset: Dataset,
    resource: Resource,
    table: Table,
    stems: dict[str, str],
    taken: set[str],
    store: FileStore,
) -> tuple[Written | None, list[Download], Download | None, XlsxLimit | None]:
    """One resource's written shape, its CSV, JSON, XLSX and Parquet files (each written
    into ``store``), its original file, and why it has no XLSX (or None)."""
    slug, stem = dataset.slug, stems[resource.name]
    if not table.tabular:
        return None, [], original_download(dataset, resource, taken, store), None
    shape = written(table)
    limit = xlsx_limits(table, shape)
    writers: dict[str, Callable[[BinaryIO], None]] = {
        "csv": lambda out: write_csv(table, shape, out),
        "json": lambda out: write_json(table, out),
    }
    if limit is None:
        writers["xlsx"] = lambda out: write_xlsx(table, resource.name, shape, out)
    writers["parquet"] = lambda out: write_parquet(table, shape, out)
    stored = stored_in_parallel(store, writers, len(table.frame))
    files = [
        Download(slug, f"{stem}.{kind}", kind, stored[kind], resource.name) for kind in writers
    ]
    return shape, files, original_download(dataset, resource, taken, store), limit


# From this many rows a table's files are written side by side in threads: the writers
# spend their time in arrow compute, zlib, zstd and sha256, which release the GIL, so a
# big table's CSV, JSON, XLSX and Parquet take about as long as the slowest of them on
# enough cores. Below it threads cost more than they save.
PARALLEL_WRITE_ROWS = 50_000


def stored_in_parallel(
    store: FileStore, writers: dict[str, Callable[[BinaryIO], None]], rows: int
) -> dict[str, StoredFile]:
    """Each writer's file in ``store`` (the same bytes whether written in turn or at once)."""
    threads = min(len(writers), os.cpu_count() or 1)
    if rows < PARALLEL_WRITE_ROWS or threads < 2:
        return {kind: store.write(write) for kind, write in writers.items()}
    from concurrent.futures import ThreadPoolExecutor

    # The slowest writers first, so the last to start is a quick one.
    order = sorted(writers, key=lambda kind: WRITER_COST.get(kind, 0), reverse=True)
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="moldir-write") as pool:
        futures = {kind: pool.submit(store.write, writers[kind]) for kind in order}
        return {kind: futures[kind].result() for kind in writers}


# Relative cost of each writer on a 1,000,000-row table (docs/performance.md).
WRITER_COST = {"xlsx": 5.3, "json": 2.1, "parquet": 1.9, "csv": 1.3}


def original_download(
    dataset: Dataset, resource: Resource, taken: set[str], store: FileStore | None = None
) -> Download | None:
    """The publisher's file of a resource, byte-identical (None for inline data)."""
    descriptor = resource.descriptor
    if descriptor.get("data") is not None or not descriptor.get("path"):
        return None
    path = getattr(resource, "path", None)
    if path is None:
        return None
    content = (store or temporary_store()).copy(Path(path))
    filename = original_name(resource, taken)
    fmt = str(descriptor.get("format") or PurePosixPath(filename).suffix.lstrip(".")).lower()
    mediatype = descriptor.get("mediatype") or MEDIA_TYPES.get(fmt)
    compression = descriptor.get("compression")
    if isinstance(compression, str) and compression:
        # The file as published is the archive: its type is the compression's.
        fmt = compression.lower()
        mediatype = COMPRESSED_TYPES.get(fmt, "application/octet-stream")
    return Download(
        dataset.slug,
        filename,
        fmt or "dat",
        content,
        resource.name,
        original=True,
        note=original_note(descriptor, content),
        mediatype=mediatype if isinstance(mediatype, str) else None,
    )
