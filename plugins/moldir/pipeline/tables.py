"""Typed tables: a validated resource read by the validator's own rules.

*What validates is what is published.* A table is read with the code that validated it, so
no value can pass validation and then be read differently or crash (docs/open-data.md,
"How tables are read"):

* the Frictionless resource is made from the same descriptor as in validation
  (``validation.declared_defaults``): encoding, dialect (``escapeChar``, ``commentChar``,
  ``commentRows``, ``doubleQuote``, ``skipInitialSpace``, ``header``/``headerRows``, a byte
  order mark), missing values (of the schema, or of a field) and formats are Frictionless's;
* the cells come from Frictionless's own parser (its cell stream, the rows its row stream
  would read) — except for a plain CSV whose dialect and quoting ``fastcheck`` proves
  identical to Python's ``csv``, which pyarrow splits (1,000,000 rows in about a second;
  another encoding is decoded first, as Frictionless's text stream does);
* every cell is read by its field's Frictionless value reader, once per distinct text —
  except cells that a strict pattern proves to read to a known value (at most 18 ASCII digits
  for an integer, a decimal of at most 15 digits with the field's decimal and group
  characters, an ISO date, a listed boolean), which are converted vectorised to the same
  value.

The result is a :class:`Table`: ``frame`` holds the typed columns that pages, charts and
kinds compute with (``Int64``, ``Float64``, ``boolean``, dates, ``string``), and ``exact``
the values that such a column cannot hold exactly (an integer beyond 64 bits is kept as a
Python ``int`` in the frame itself; a decimal that a float would round, ``NaN`` and
infinities, datetimes with their UTC offset, objects and arrays), so that downloads publish
exactly what was validated. A value Moldir cannot read although Frictionless validated it is
a :class:`DeriveError` naming the dataset, resource, file, row and field — never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import datetime as dt
import functools
import io
import math
import os
import pickle
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from moldir.model.dataset import Resource
from moldir.model.stored import FileStore

# Strict patterns (RE2): a cell matching one certainly reads, in Frictionless, to the value
# pyarrow's cast gives. Anything else goes through Frictionless's reader.
INT_RE = r"^-?[0-9]{1,18}$"
YEAR_RE = r"^[0-9]{4}$"
# At most 15 digits in all: float64 holds such a decimal exactly enough that its shortest
# representation is the same number (DBL_DIG), so no exact copy is needed.
NUMBER_RE = r"^-?[0-9]+(\.[0-9]+)?$"
NUMBER_MAX_CHARS = 15
DATE_RE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
INT64 = (-(2**63), 2**63 - 1)


class DeriveError(Exception):
    """A dataset's tables or downloads could not be made, located for the report.

    Raised by :func:`read_typed` and by the downloads; ``portal.derive`` fills in the dataset
    and file; the build turns it into a report entry (type ``derive-error``)."""

    def __init__(
        self,
        message: str,
        *,
        dataset: str | None = None,
        resource: str | None = None,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.dataset = dataset
        self.resource = resource
        self.file = file
        self.row = row
        self.field = field

    def __str__(self) -> str:
        where = [
            f"{label} {value}"
            for label, value in (
                ("dataset", self.dataset),
                ("resource", self.resource),
                ("file", self.file),
                ("row", self.row),
                ("field", self.field),
            )
            if value is not None
        ]
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Table:
    """A resource's rows as read by Frictionless's rules.

    ``frame``: one typed column per schema field (what pages, charts and kinds use).
    ``exact``: per field, the values the frame column does not hold exactly, as an object
    Series on the frame's index (for numbers only the rows that need it).
    ``schema``: the Table Schema read (inferred when the resource declares none); ``fields``
    are its Frictionless fields (made again after unpickling: the build cache keeps tables).
    """

    name: str
    schema: dict[str, Any]
    frame: pd.DataFrame
    exact: dict[str, pd.Series] = field(default_factory=dict)
    reader: str = "frictionless"  # or "pyarrow" (the fast path), for tests and timings
    # False for a resource Frictionless does not read as a table (a PDF, a JSON document):
    # it has no rows, and is published as the publisher's file only.
    tabular: bool = True

    @functools.cached_property
    def fields(self) -> list[Any]:
        import frictionless

        return list(frictionless.Schema.from_descriptor(self.schema).fields)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("fields", None)  # Frictionless fields lose their schema when pickled
        return state

    def value(self, name: str, index: Any) -> Any:
        """The exact value of one cell."""
        overlay = self.exact.get(name)
        if overlay is not None and index in overlay.index:
            return overlay[index]
        value = self.frame.at[index, name]
        return None if value is pd.NA or value is pd.NaT else value

    def preview(self, rows: int) -> pd.DataFrame:
        """The first rows, with the exact values where the frame rounds a number: a Decimal
        (formatted like any number) or, for NaN, infinities and extreme exponents, its text."""
        from moldir.pipeline.cells import number_text

        head = self.frame.head(rows)
        for name in head.columns:
            # Integers beyond 64 bits: Babel formats at most 28 digits, so longer ones are text.
            if head[name].dtype == object and self.field_type(name) in ("integer", "year"):
                column = head[name].map(
                    lambda v: str(v) if isinstance(v, int) and abs(v) >= 10**27 else v
                )
                head = head.assign(**{name: column})
        for name, overlay in self.exact.items():
            if self.field_type(name) == "datetime":
                # As published (with its own UTC offset), not converted to UTC.
                column = overlay.reindex(head.index).astype(object)
                head = head.assign(**{name: column.where(column.notna(), None)})
                continue
            if self.field_type(name) != "number":
                continue
            found = overlay[overlay.index.isin(head.index)]
            if len(found):
                column = head[name].astype(object)
                for index, value in found.items():
                    shown = isinstance(value, Decimal) and value.is_finite()
                    shown = shown and abs(value.adjusted()) <= 30
                    column.loc[index] = value if shown else number_text(value)
                head = head.assign(**{name: column})
        return head

    def field_type(self, name: str) -> str:
        for item in self.fields:
            if item.name == name:
                return item.type
        return "any"

    def head(self, rows: int) -> Table:
        """The first ``rows`` rows as a table of their own (copies: holding it does not
        hold the whole frame); its ``preview`` of up to ``rows`` rows is the whole table's."""
        frame = self.frame.head(rows).copy()
        exact = {
            name: overlay[overlay.index.isin(frame.index)].copy()
            for name, overlay in self.exact.items()
        }
        return Table(self.name, self.schema, frame, exact, self.reader, self.tabular)


class Tables(dict):
    """The typed tables of a dataset by resource name (``name -> DataFrame``), with the
    :class:`Table` of each in ``typed`` (exact values for downloads and previews)."""

    def __init__(self, typed: dict[str, Table] | None = None):
        typed = dict(typed or {})
        super().__init__({name: table.frame for name, table in typed.items()})
        self.typed = typed


class StoredTables(Mapping[str, pd.DataFrame]):
    """A dataset's typed tables once its downloads are written: each :class:`Table` pickled
    into the build's file store, and in memory only what pages show of every dataset —
    each table's rows, columns and first rows, and what ``facts`` the pipeline asked for
    (temporal coverage, labelled values). A national portal's tables do not fit in memory
    together (10,000 datasets, one of 5,000,000 rows: ~5 GB of frames); the pages of a
    build need all of them only in this form.

    ``tables[name]`` (the frame) and ``tables.typed[name]`` (the Table) read the table back
    from its file: charts, kinds and search terms, which read whole tables, pay for it once
    per dataset change (their results are cached per dataset). A table is read back once
    for as long as someone holds it. Pickled (the build cache, worker processes), it is the
    file references and the facts: small whatever the size of the data."""

    def __init__(
        self, tables: Tables, store: FileStore, facts: dict[str, Any], kept_rows: int
    ) -> None:
        self.files = {
            name: store.write(functools.partial(_pickle_table, table))
            for name, table in tables.typed.items()
        }
        self.rows = {name: len(table.frame) for name, table in tables.typed.items()}
        # The dataset page's preview (the ``preview_rows`` setting): a longer one reads the
        # table back.
        self.kept_rows = kept_rows
        self.heads = {name: table.head(kept_rows) for name, table in tables.typed.items()}
        self.facts = facts
        self._loaded: weakref.WeakValueDictionary[str, Table] = weakref.WeakValueDictionary()

    def table(self, name: str) -> Table:
        """The whole table ``name``, read back from its file (or the copy someone holds)."""
        found = self._loaded.get(name)
        if found is None:
            with self.files[name].open() as stream:
                found = pickle.load(stream)
            self._loaded[name] = found
        return found

    @property
    def columns(self) -> dict[str, list[str]]:
        """Each table's columns (those of its kept first rows)."""
        return {name: list(head.frame.columns) for name, head in self.heads.items()}

    @property
    def typed(self) -> Mapping[str, Table]:
        """The tables as :class:`Table`, read back when asked for (like ``Tables.typed``)."""
        return _TypedTables(self)

    def preview(self, name: str, rows: int) -> pd.DataFrame:
        """``Table.preview`` of the first ``rows`` rows, from memory up to ``kept_rows``."""
        if rows <= self.kept_rows:
            return self.heads[name].preview(rows)
        return self.table(name).preview(rows)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.table(name).frame

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_loaded")
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._loaded = weakref.WeakValueDictionary()


class _TypedTables(Mapping[str, "Table"]):
    def __init__(self, stored: StoredTables) -> None:
        self._stored = stored

    def __getitem__(self, name: str) -> Table:
        return self._stored.table(name)  # KeyError for a name it does not hold

    def __iter__(self) -> Iterator[str]:
        return iter(self._stored.files)

    def __len__(self) -> int:
        return len(self._stored.files)


def _pickle_table(table: Table, out: Any) -> None:
    pickle.dump(table, out, protocol=pickle.HIGHEST_PROTOCOL)


def table_rows(tables: Mapping[str, Any], name: str) -> int:
    """The rows of table ``name`` of a dataset's tables, without reading a stored one back."""
    rows = getattr(tables, "rows", None)
    return rows[name] if rows is not None else len(tables[name])


class Unsupported(Exception):
    """The fast path cannot promise Frictionless's cells; use Frictionless's parser."""


# ----------------------------------------------------------------------------- reading


def read_table(resource: Resource) -> pd.DataFrame:
    """The resource's rows as a DataFrame with one typed column per schema field."""
    return read_typed(resource).frame


def read_typed(resource: Resource, fast: bool = True) -> Table:
    """Read ``resource`` by the validator's rules (see the module's docstring).

    ``fast=False`` forces Frictionless's parser (tests compare both ways)."""
    import frictionless

    source = frictionless_resource(resource)
    if not isinstance(source, frictionless.resources.TableResource):
        return Table(resource.name, {}, pd.DataFrame(), reader="none", tabular=False)
    try:
        source.open()
    except frictionless.FrictionlessException as exception:
        raise DeriveError(
            f"Frictionless cannot open the resource: {exception.error.message}",
            resource=resource.name,
        ) from exception
    try:
        fields = list(source.schema.fields)
        expected = source.header.get_expected_fields()
        cells = None
        reader = "frictionless"
        if fast:
            try:
                cells = fast_cells(source, expected)
                reader = "pyarrow"
            except Unsupported:
                cells = None
        if cells is None:
            cells = frictionless_cells(source, expected)
        schema = source.schema.to_descriptor()
    finally:
        source.close()
    columns, rows = cells
    positions = {item.name: index for index, item in enumerate(expected)}
    frame_columns: dict[str, Any] = {}
    exact: dict[str, pd.Series] = {}
    count = len(rows)
    for item in fields:
        position = positions.get(item.name)
        raw = columns[position] if position is not None else pa.nulls(count, pa.string())
        try:
            series, overlay = convert_column(raw, item, rows)
        except DeriveError as error:
            error.resource = resource.name
            raise
        frame_columns[item.name] = series
        if overlay is not None and len(overlay):
            exact[item.name] = overlay
    frame = pd.DataFrame(frame_columns, index=pd.RangeIndex(count))
    if not fields:
        frame = pd.DataFrame(index=pd.RangeIndex(count))
    table = Table(resource.name, schema, frame, exact, reader)
    table.fields = fields  # the very fields read with (cached_property's slot)
    return table


def dataset_folder(resource: Resource) -> Path:
    """The folder the resource's relative path starts from (the dataset folder)."""
    folder = getattr(resource, "folder", None)
    if folder is not None:
        return Path(folder)
    path = Path(resource.path)
    for _part in PurePosixPath(os.path.normpath(str(resource.relpath))).parts:
        path = path.parent
    return path


def frictionless_resource(resource: Resource) -> Any:
    """The Frictionless resource validation used: same descriptor, same defaults."""
    import frictionless

    from moldir.pipeline.validate import declared_defaults

    descriptor = declared_defaults({"resources": [dict(resource.descriptor)]})["resources"][0]
    schema = descriptor.get("schema")
    if isinstance(schema, dict) and schema.get("foreignKeys"):
        # Foreign keys do not change a value, and resolving them needs the whole package.
        descriptor["schema"] = {k: v for k, v in schema.items() if k != "foreignKeys"}
    if descriptor.get("data") is not None:
        return frictionless.Resource(descriptor)
    return frictionless.Resource(descriptor, basepath=str(dataset_folder(resource)))


def frictionless_cells(source: Any, expected: list[Any]) -> tuple[list[Sequence], list[int]]:
    """Raw cells per expected field, and row numbers, from Frictionless's cell stream
    (the rows its row stream reads: header rows, comment rows and blank rows skipped)."""
    width = len(expected)
    rows: list[int] = []
    table: list[list[Any]] = []
    for number, cells in source.dialect.read_enumerated_content_stream(source.cell_stream):
        rows.append(number)
        if len(cells) != width:
            cells = (list(cells) + [None] * width)[:width]
        table.append(cells)
    columns: list[Sequence] = list(zip(*table, strict=True)) if table else [()] * width
    return columns, rows


def fast_cells(source: Any, expected: list[Any]) -> tuple[list[Sequence], np.ndarray]:
    """Raw cells of a plain CSV split by pyarrow, or Unsupported.

    Only where fastcheck proves pyarrow and Python's csv (Frictionless's parser) agree:
    Frictionless's effective dialect (declared, else sniffed from the same sample as its
    parser) is plain — quote ``"``, doubled quotes, no escape character, no initial-space
    skipping, one header row, no comments — every quoted cell is on one line, no NUL byte, no
    lone carriage return, no empty line, and the header is exactly the schema's field names.
    A file in another encoding is decoded with Python's codec, as Frictionless's text stream
    does, and given to pyarrow as UTF-8."""
    import pyarrow.csv as pacsv

    from moldir.pipeline import fastcheck

    if source.data is not None or not isinstance(source.path, str):
        raise Unsupported("inline data")
    if source.format != "csv" or source.compression or source.innerpath:
        raise Unsupported("format")
    path = source.normpath
    if not path or not os.path.isfile(path) or getattr(source, "remote", False):
        raise Unsupported("not a local file")
    names = [item.name for item in expected]
    if list(source.labels or []) != names or names != source.schema.field_names:
        raise Unsupported("header")
    with open(path, "rb") as stream:
        data = stream.read()
    encoding = codecs.lookup(source.encoding or "utf-8").name
    if encoding == "utf-8-sig":
        data = data.removeprefix(codecs.BOM_UTF8)
    elif encoding != "utf-8":
        try:
            data = data.decode(encoding).encode("utf-8")
        except (UnicodeError, LookupError) as error:
            raise Unsupported(f"encoding: {error}") from error
    try:
        dialect = sniffed_dialect(source, data)
        fastcheck.check_dialect(source, dialect)
    except fastcheck.Unsupported as reason:
        raise Unsupported(str(reason)) from reason
    except UnicodeDecodeError as error:
        raise Unsupported(f"encoding: {error}") from error
    if b"\x00" in data or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n")):
        raise Unsupported("NUL or lone carriage return")
    if data.startswith((b"\n", b"\r\n")) or b"\n\n" in data or b"\n\r\n" in data:
        raise Unsupported("empty line")
    offsets = fastcheck.line_offsets(data)
    try:
        fastcheck.check_quotes(data, offsets, dialect.delimiter)
    except fastcheck.Unsupported as reason:
        raise Unsupported(str(reason)) from reason
    column_names = [f"c{index}" for index in range(len(names))]
    invalid: list[Any] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(
                column_names=column_names,
                skip_rows=1,
                use_threads=True,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=dialect.delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in column_names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exception:
        raise Unsupported(f"pyarrow: {exception}") from exception
    lines = len(offsets) - 1 - 1  # minus the header line
    if invalid or table.num_rows != lines:
        raise Unsupported("rows do not map to lines")
    columns = [table.column(name).combine_chunks() for name in column_names]
    # No skipped or multi-line rows: row n of the table is line n + 2 (the header is row 1).
    return columns, np.arange(2, table.num_rows + 2, dtype=np.int64)


def sniffed_dialect(source: Any, data: bytes) -> Any:
    """The Python csv dialect Frictionless's CsvParser reads ``data`` (UTF-8) with: the
    declared properties, the others sniffed from the same sample (its first 100 lines, as
    its text stream splits them)."""
    from moldir.pipeline.fastcheck import sniffed_control

    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    return sniffed_control(source.dialect, stream)


# ----------------------------------------------------------------------------- cells


def missing_values(item: Any) -> list[str]:
    """The missing values Frictionless's cell reader uses for a field (its own, else the
    schema's)."""
    if item.has_defined("missing_values") or item.schema is None:
        return list(item.missing_values)
    return list(item.schema.missing_values)


def value_reader(item: Any) -> Callable[[Any], Any]:
    """Frictionless's value reader of a field, except where it depends on the build date.

    With ``format: "any"``, Frictionless fills the parts a date or datetime lacks from
    *today* ("1850-01" is read as the 1850-01-<today's day>, and fails validation on the
    30th of a month); Moldir fills them from the first day of the build's year (:func:`as_of`:
    the ``MOLDIR_TODAY`` setting when set), so the same data gives the same downloads every
    day. Every other reader is Frictionless's."""
    if item.type in ("date", "datetime") and item.format == "any":
        from dateutil import parser

        default = dt.datetime(build_year(), 1, 1)
        frictionless_reader = item.create_value_reader()

        def reader(cell: Any) -> Any:
            if isinstance(cell, str):
                try:
                    moment = parser.parse(cell, default=default)
                except (ValueError, OverflowError, TypeError):
                    return None
                return moment.date() if item.type == "date" else moment
            return frictionless_reader(cell)

        return reader
    return item.create_value_reader()


# The day the site is built "as of" while tables are read (the ``MOLDIR_TODAY`` setting,
# which the reception pages use too; None: today), set by :func:`as_of`. A context
# variable, not an argument, because ``value_reader`` reads it several calls below
# ``load_portal``, which sets it once for every dataset of the build.
BUILD_DATE: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "BUILD_DATE", default=None
)


@contextlib.contextmanager
def as_of(day: dt.date | None) -> Iterator[None]:
    """Tables read inside are read as of ``day`` (None: today)."""
    token = BUILD_DATE.set(day)
    try:
        yield
    finally:
        BUILD_DATE.reset(token)


def build_year() -> int:
    """The year the site is built "as of" (:func:`as_of`, else today's)."""
    return (BUILD_DATE.get() or dt.date.today()).year


def convert_column(
    raw: Sequence | pa.Array, item: Any, rows: Sequence[int] | np.ndarray
) -> tuple[pd.Series, pd.Series | None]:
    """One column of raw cells to (typed frame column, exact values or None)."""
    missing = missing_values(item)
    if not isinstance(raw, pa.Array):
        if all(cell is None or isinstance(cell, str) for cell in raw):
            raw = pa.array(list(raw), pa.string())
        else:
            values = read_python(list(raw), item, missing, rows)
            return build_column(values, item)
    return convert_text(raw, item, missing, rows)


def read_python(cells: list[Any], item: Any, missing: list[str], rows: Sequence[int]) -> list:
    """Typed values of cells that are not all text (spreadsheets, JSON, inline data)."""
    reader = value_reader(item)
    memo: dict[tuple[type, Any], Any] = {}
    missing_set = set(missing)
    values: list[Any] = []
    for index, cell in enumerate(cells):
        if cell is None or str(cell) in missing_set:
            values.append(None)
            continue
        try:
            key = (type(cell), cell)
            value = memo[key] if key in memo else memo.setdefault(key, reader(cell))
        except TypeError:  # unhashable (a list or an object from inline JSON)
            value = reader(cell)
        if value is None:
            raise unreadable(item, cell, rows[index])
        values.append(value)
    return values


def unreadable(item: Any, cell: Any, row: Any) -> DeriveError:
    return DeriveError(
        f'the cell "{str(cell)[:80]}" cannot be read as {item.type}/{item.format}, '
        "although Frictionless validated it",
        row=int(row),
        field=item.name,
    )


def convert_text(
    raw: pa.Array, item: Any, missing: list[str], rows: Sequence[int] | np.ndarray
) -> tuple[pd.Series, pd.Series | None]:
    """Typed values of a text column: vectorised where a strict pattern proves the value,
    Frictionless's reader (once per distinct text) for every other cell."""
    count = len(raw)
    absent = pc.is_null(raw)
    if missing:
        absent = pc.or_(absent, pc.fill_null(pc.is_in(raw, value_set=pa.array(missing)), True))
    present = pc.invert(absent)
    kind = item.type
    if kind == "string" and item.format in ("default", None):
        return string_series(pc.if_else(present, raw, pa.scalar(None, pa.string()))), None
    strict: pa.Array | None = None
    numeric = raw
    if kind in ("integer", "year") and getattr(item, "bare_number", True):
        strict = pc.match_substring_regex(raw, INT_RE if kind == "integer" else YEAR_RE)
    elif kind == "number" and number_separators(item) is not None:
        decimal, group = number_separators(item)
        pattern, numeric = NUMBER_RE, raw
        if (decimal, group) != (".", ""):
            # "1 234,5" with groupChar " " and decimalChar ",": Frictionless removes every
            # group character and reads the decimal one as ".", and so does this.
            digits = "[0-9]+"
            grouped = f"(?:{re2_char(group)}{digits})*" if group else ""
            pattern = f"^-?{digits}{grouped}(?:{re2_char(decimal)}{digits})?$"
            if group:
                numeric = pc.replace_substring(numeric, group, "")
            numeric = pc.replace_substring(numeric, decimal, ".")
        strict = pc.and_(
            pc.match_substring_regex(raw, pattern),
            pc.less_equal(pc.utf8_length(numeric), NUMBER_MAX_CHARS),
        )
    elif kind == "boolean":
        known = [*item.true_values, *item.false_values]
        strict = pc.is_in(raw, value_set=pa.array(known, pa.string()))
    elif kind == "date" and item.format in ("default", None):
        strict = pc.match_substring_regex(raw, DATE_RE)
        text = pc.if_else(strict, raw, pa.scalar("2000-01-01"))
        strict = pc.and_(strict, real_dates(text))
    if strict is None:
        strict_np = np.zeros(count, dtype=bool)
    else:
        strict = pc.and_(pc.fill_null(strict, False), present)
        strict_np = np.asarray(strict.to_numpy(zero_copy_only=False), dtype=bool)
    present_np = np.asarray(present.to_numpy(zero_copy_only=False), dtype=bool)
    other = np.flatnonzero(present_np & ~strict_np)
    other_values = read_distinct(raw, other, item, rows)
    if kind in ("integer", "year", "number", "boolean", "date") and strict is not None:
        source = numeric if kind == "number" else raw
        return strict_column(source, item, strict_np, present_np, other, other_values)
    values: list[Any] = [None] * count
    for index, value in zip(other.tolist(), other_values, strict=True):
        values[index] = value
    return build_column(values, item)


def re2_char(character: str) -> str:
    """One character as an RE2 escape (any character, no metacharacter surprises)."""
    return f"\\x{{{ord(character):x}}}"


def number_separators(item: Any) -> tuple[str, str] | None:
    """(decimal, group) characters of a number field whose plain cells the vectorised path
    reads as Frictionless does, or None (currency stripping, float reading, odd separators)."""
    if not item.bare_number or getattr(item, "float_number", False):
        return None
    decimal = item.decimal_char if item.has_defined("decimal_char") else "."
    group = item.group_char if item.has_defined("group_char") else ""
    if len(decimal) != 1 or len(group) > 1 or decimal == group:
        return None
    if any(character in "0123456789+-eE" for character in decimal + group):
        return None  # a digit or a sign as a separator: leave it to Frictionless
    return decimal, group


def read_distinct(raw: pa.Array, indices: np.ndarray, item: Any, rows: Sequence[int]) -> list:
    """Frictionless's value of each cell at ``indices``, read once per distinct text."""
    if not len(indices):
        return []
    reader = value_reader(item)
    cells = raw.take(pa.array(indices))
    distinct = pc.unique(cells)
    texts = distinct.to_pylist()
    read = [reader(text) for text in texts]
    for text, value in zip(texts, read, strict=True):
        if value is None:
            first = indices[cells.to_pylist().index(text)]
            raise unreadable(item, text, rows[first])
    where = pc.index_in(cells, value_set=distinct).to_numpy(zero_copy_only=False)
    return [read[position] for position in where.tolist()]


def real_dates(text: pa.Array) -> pa.Array:
    """Whether YYYY-MM-DD texts are real calendar dates (arrow's strptime allows Feb 30)."""
    year = pc.cast(pc.utf8_slice_codeunits(text, 0, 4), pa.int64()).to_numpy()
    month = pc.cast(pc.utf8_slice_codeunits(text, 5, 7), pa.int64()).to_numpy()
    day = pc.cast(pc.utf8_slice_codeunits(text, 8, 10), pa.int64()).to_numpy()
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[month] + (
        leap & (month == 2)
    )
    return pa.array((day <= days) & (year >= 1))


def strict_column(
    raw: pa.Array,
    item: Any,
    strict: np.ndarray,
    present: np.ndarray,
    other: np.ndarray,
    other_values: list,
) -> tuple[pd.Series, pd.Series | None]:
    """A column of a numeric, boolean or date field: the strictly matched cells cast by
    arrow, the others as Frictionless read them."""
    kind = item.type
    count = len(raw)
    mask = ~present
    if kind in ("integer", "year"):
        text = pc.if_else(pa.array(strict), raw, pa.scalar("0"))
        numbers = pc.cast(text, pa.int64()).to_numpy(zero_copy_only=False).copy()
        if any(not (INT64[0] <= value <= INT64[1]) for value in other_values):
            # Beyond 64 bits: the whole column as exact Python integers.
            values: list[Any] = [None] * count
            for index in np.flatnonzero(strict).tolist():
                values[index] = int(numbers[index])
            for index, value in zip(other.tolist(), other_values, strict=True):
                values[index] = value
            return pd.Series(values, dtype=object), None
        if len(other):
            numbers[other] = np.array(other_values, dtype=np.int64)
        numbers[mask] = 0
        return pd.Series(pd.arrays.IntegerArray(numbers, mask)), None
    if kind == "number":
        text = pc.if_else(pa.array(strict), raw, pa.scalar("0"))
        numbers = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False).copy()
        overlay: dict[int, Any] = {}
        for index, value in zip(other.tolist(), other_values, strict=True):
            number, exact = float_of(value)
            numbers[index] = number
            if exact is not None:
                overlay[index] = exact
        mask = mask | np.isnan(numbers)
        numbers[mask] = 0.0
        series = pd.Series(pd.arrays.FloatingArray(numbers, mask))
        return series, (pd.Series(overlay, dtype=object) if overlay else None)
    if kind == "boolean":
        truth = pc.is_in(raw, value_set=pa.array(list(item.true_values), pa.string()))
        values_np = np.asarray(truth.to_numpy(zero_copy_only=False), dtype=bool)
        if len(other):
            values_np[other] = np.array(other_values, dtype=bool)
        return pd.Series(pd.arrays.BooleanArray(values_np, mask)), None
    # date
    text = pc.if_else(pa.array(strict), raw, pa.scalar(None, pa.string()))
    parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    dates = pc.cast(parsed, pa.date32()).to_pylist()
    for index, value in zip(other.tolist(), other_values, strict=True):
        dates[index] = value
    return pd.Series(dates, dtype=object), None


def float_of(value: Any) -> tuple[float, Any]:
    """(float for the frame, exact value or None) of a number Frictionless read.

    The exact value is kept when the float's shortest form is another number (more than
    15 significant digits), and for NaN and infinities (the frame holds NaN as missing)."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        number = float(value) if abs(value) < 2**1023 else math.inf
        return number, (None if int(number) == value else Decimal(value))
    if isinstance(value, float):
        return value, (None if math.isfinite(value) else value)
    try:
        number = float(value)
    except (ValueError, OverflowError, InvalidOperation):  # sNaN
        return math.nan, value
    if not math.isfinite(number):
        return number, value
    try:
        same = Decimal(repr(number)) == value
    except InvalidOperation:
        same = False
    return number, (None if same else value)


def build_column(values: list, item: Any) -> tuple[pd.Series, pd.Series | None]:
    """A frame column (and exact values) from Frictionless's typed values."""
    kind = item.type
    count = len(values)
    if kind in ("integer", "year"):
        if all(v is None or INT64[0] <= v <= INT64[1] for v in values):
            return pd.Series(pd.array(values, dtype="Int64")), None
        return pd.Series(values, dtype=object), None
    if kind == "number":
        numbers = np.zeros(count)
        mask = np.zeros(count, dtype=bool)
        overlay: dict[int, Any] = {}
        for index, value in enumerate(values):
            if value is None:
                mask[index] = True
                continue
            number, exact = float_of(value)
            numbers[index] = number
            if exact is not None:
                overlay[index] = exact
        mask |= np.isnan(numbers)
        numbers[mask] = 0.0
        series = pd.Series(pd.arrays.FloatingArray(numbers, mask))
        return series, (pd.Series(overlay, dtype=object) if overlay else None)
    if kind == "boolean":
        return pd.Series(pd.array(values, dtype="boolean")), None
    if kind in ("date", "time"):
        return pd.Series(values, dtype=object), None
    if kind == "datetime":
        exact = pd.Series(values, dtype=object)
        try:
            frame = pd.Series(pd.to_datetime(exact, utc=True))
        except (ValueError, OverflowError, TypeError, pd.errors.OutOfBoundsDatetime):
            frame = exact.copy()
        return frame, exact
    if kind == "string" or (kind == "any" and all(v is None or isinstance(v, str) for v in values)):
        return string_series(pa.array(values, pa.string())), None
    # yearmonth, duration, geopoint, object, array, list, geojson, any: the frame holds the
    # published text; the exact values (for JSON) beside it.
    texts = [None if v is None else text_of(item, v) for v in values]
    exact = pd.Series(values, dtype=object)
    return string_series(pa.array(texts, pa.string())), exact


def string_series(array: pa.Array) -> pd.Series:
    return pd.Series(pd.array(array, dtype="string"))


def text_of(item: Any, value: Any) -> str:
    """The published text of a value of a field that has no column type of its own
    (see downloads: what a CSV cell holds)."""
    from moldir.pipeline.cells import cell_text

    return cell_text(item, value)


# ----------------------------------------------------------------------------- JSON-ready


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
    if isinstance(value, pd.Timestamp | dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
