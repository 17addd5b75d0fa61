"""Fast validation of large CSV resources with pyarrow, with Frictionless's exact error set.

Frictionless checks about 40,000 rows per second (one Python ``Row`` per line). This module
reads a CSV resource in blocks of lines with pyarrow (bounded memory: one block at a time)
and checks every cell with vectorised compute functions. It is *conservative*:

* a cell is accepted by the fast path only when it certainly reads, in Frictionless, to the
  same value (e.g. an integer matching ``-?[0-9]{1,18}``); every other cell, every row with a
  possible constraint violation, a possible formula, a wrong number of cells, an empty line or
  a duplicate key is *flagged*, and flagged rows are re-read with Python's ``csv`` module and
  processed by Frictionless's own ``Row`` and checks — so messages, notes and order are
  Frictionless's;
* anything the fast path does not fully support (a dialect other than plain CSV, an encoding
  it cannot transcode block by block — UTF-16, multi-byte, stateful —, a type, format or
  constraint it does not model, foreign keys, declared ``hash``/``bytes``, multi-line
  quoted cells, NUL bytes, lone carriage returns, a header that is not exactly the
  schema's field names, more flagged rows than ``MAX_FLAGGED_ROWS``) makes
  ``validate_resource`` hand the whole resource to ``resource.validate`` unchanged.

``validate_package`` mirrors ``frictionless.Package.validate`` and returns the same
``Report`` (tasks with ``stats``: ``rows``, ``bytes``, ``sha256``, ``fields``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import logging
import os
import re
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import frictionless
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from frictionless import Checklist, Report, errors
from frictionless.formats.csv.control import CsvControl
from frictionless.formats.csv.parser import SAMPLE_SIZE
from frictionless.settings import DEFAULT_LIMIT_ERRORS
from frictionless.table.row import Row, create_cell_handlers

from moldir.pipeline.limits import CellSize, Limits, check_resource, not_listed

# ----------------------------------------------------------------------------- arrays
# Arrays and scalars are made from buffers: pyarrow's pa.array() and pa.scalar() probe every
# Python input for pandas objects, which imports pandas (~0.3 s of a validation run, more
# than the rest of the start-up) the first time they are called.


def _validity(values: list) -> pa.Buffer | None:
    present = np.array([v is not None for v in values], dtype=bool)
    return None if present.all() else pa.py_buffer(np.packbits(present, bitorder="little"))


def array_of(values: list | np.ndarray, type_: pa.DataType) -> pa.Array:
    """``pa.array(values, type_)`` for string, boolean, int64, float64 and date32 values
    (None is null; dates as ``datetime.date``), without pyarrow's pandas probe."""
    if isinstance(values, np.ndarray) and type_ == pa.bool_():
        bits = np.packbits(values.astype(bool, copy=False), bitorder="little")
        return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(bits)])
    if isinstance(values, np.ndarray) and type_ in (pa.int64(), pa.float64()):
        dtype = np.int64 if type_ == pa.int64() else np.float64
        numbers = np.ascontiguousarray(values, dtype=dtype)
        return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(numbers)])
    values = list(values)
    validity = _validity(values)
    if type_ == pa.string():
        encoded = [(v or "").encode("utf-8") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
        return pa.Array.from_buffers(type_, len(values), buffers)
    if type_ == pa.bool_():
        bits = np.packbits(np.array([bool(v) for v in values], dtype=bool), bitorder="little")
        return pa.Array.from_buffers(type_, len(values), [validity, pa.py_buffer(bits)])
    if type_ == pa.date32():
        epoch = dt.date(1970, 1, 1)
        numbers = np.array([(v - epoch).days if v is not None else 0 for v in values], np.int32)
    else:
        dtype = np.float64 if type_ == pa.float64() else np.int64
        numbers = np.array([v if v is not None else 0 for v in values], dtype=dtype)
    return pa.Array.from_buffers(type_, len(values), [validity, pa.py_buffer(numbers)])


def numpy_bools(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean arrow array as numpy (``to_numpy`` of booleans goes through pandas)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        return array.to_numpy(zero_copy_only=False)  # pragma: no cover - flags have no nulls
    if len(array) == 0:
        return np.zeros(0, dtype=bool)
    bits = np.frombuffer(array.buffers()[1], dtype=np.uint8)
    unpacked = np.unpackbits(bits, count=array.offset + len(array), bitorder="little")
    return unpacked[array.offset :].astype(bool)


def numpy_ints(array: pa.Array) -> np.ndarray:
    """An int64 arrow array without nulls as numpy, zero-copy (``to_numpy`` probes pandas)."""
    if array.null_count:
        return array.to_numpy(zero_copy_only=False)  # pragma: no cover - never null here
    values = np.frombuffer(array.buffers()[1], dtype=np.int64)
    return values[array.offset : array.offset + len(array)]


def scalar_of(value: Any, type_: pa.DataType) -> pa.Scalar:
    """``pa.scalar(value, type_)`` without pyarrow's pandas probe."""
    return array_of([value], type_)[0]


logger = logging.getLogger(__name__)

# Files smaller than this are validated by Frictionless directly: its speed does not matter
# there and it keeps small fixtures on the reference implementation.
MIN_FAST_BYTES = 256 * 1024
BLOCK_BYTES = 16 * 1024 * 1024
WORKERS = min(2, os.cpu_count() or 1)
# Above this many rows needing Python, the fast path would not be fast: use Frictionless.
MAX_FLAGGED_ROWS = 200_000
SUPPORTED_CHECKS = {"baseline", "formula-cells", "cell-size"}
# When the error limit cuts a report, the errors not listed are still counted (by type),
# for at most this long per resource; past it the report says "at least".
COUNT_SECONDS = 3.0
INT_RE = r"^-?[0-9]{1,18}$"
# Up to 15 significant digits: distinct decimals stay distinct as float64 (DBL_DIG).
NUMBER_RE = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
YEAR_RE = r"^[0-9]{4}$"
# strptime directives the fast path models: (fixed width, variable width) RE2 forms, each a
# subset of what Python's _strptime accepts (its \d also takes non-ASCII digits, its %d
# " 5", its %S 60 and 61). The variable form is used only before a literal or at the end,
# where the digit run is unambiguous: Python tries the two-digit alternatives first, so
# it splits the cell the same way.
DIRECTIVES = {
    "Y": ("[0-9]{4}", "[0-9]{4}"),
    "y": ("[0-9]{2}", "[0-9]{2}"),
    "m": ("0[1-9]|1[0-2]", "0?[1-9]|1[0-2]"),
    "d": ("0[1-9]|[12][0-9]|3[01]", "0?[1-9]|[12][0-9]|3[01]"),
    "H": ("[01][0-9]|2[0-3]", "[01]?[0-9]|2[0-3]"),
    "M": ("[0-5][0-9]", "[0-5]?[0-9]"),
    "S": ("[0-5][0-9]", "[0-5]?[0-9]"),
}
# Frictionless's default datetime (dateutil's isoparse, cell[16] == ":") and time (isoparse
# of "2000-01-01T" + cell, cell[5] == ":"): the plain forms only, no zone, no fraction.
DATETIME_DEFAULT_RE = (
    r"^(?P<Y>[0-9]{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12][0-9]|3[01])"
    r"[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
)
TIME_DEFAULT_RE = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
# Frictionless's yearmonth: "YYYY-MM".split("-"), int() of each, month 1..12.
YEARMONTH_RE = r"^[0-9]{4}-(0?[1-9]|1[0-2])$"
TEMPORAL = ("date", "datetime", "time", "yearmonth")
# A superset (RE2) of the cells validation.FORMULA_PATTERN can match: Python's \s also
# matches Unicode spaces and separators, hence the extra classes.
FORMULA_CANDIDATE_RE = r"^[\s\x0b\x1c-\x1f\x{85}\p{Z}]*[=+@-]"


class Unsupported(Exception):
    """The fast path cannot promise Frictionless's result; use Frictionless."""


@dataclass
class FieldPlan:
    """How one schema field is checked in the fast path."""

    index: int
    field: Any
    missing: list[str]
    unique: bool = False
    key_type: Any = None
    checks: list[str] = field(default_factory=list)
    max_bytes: int | None = None  # the cell-size check's limit
    text_re: str | None = None  # temporal types: the RE2 a certainly valid cell matches
    # temporal types with a date: (width, {part: (start, end)}) of cells whose every part has
    # its full width (e.g. "01.02.2020"), where the parts are sliced, not extracted
    layout: tuple[int, dict[str, tuple[int, int]]] | None = None
    number_chars: tuple[str, str] = ("", ".")  # number: (groupChar, decimalChar)


def validate_package(
    package: frictionless.Package,
    checklist: Checklist | None = None,
    limit_errors: int = DEFAULT_LIMIT_ERRORS,
    limits: Limits | None = None,
) -> Report:
    """``package.validate(checklist)``, with each resource through ``validate_resource``."""
    timer = time.perf_counter()
    checklist = checklist or Checklist()
    try:
        package.to_descriptor(validate=True)
    except frictionless.FrictionlessException as exception:
        return Report.from_validation(
            time=time.perf_counter() - timer, errors=exception.to_errors()
        )
    reports = [
        validate_resource(resource, checklist, limit_errors, limits)
        for resource in package.resources
    ]
    return Report.from_validation_reports(time=time.perf_counter() - timer, reports=reports)


def validate_resource(
    resource: Any,
    checklist: Checklist,
    limit_errors: int = DEFAULT_LIMIT_ERRORS,
    limits: Limits | None = None,
) -> Report:
    """The fast path when it is certain to agree with Frictionless, else Frictionless.

    The file's bytes are checked first (limits.check_resource: not text, encoding, columns,
    cells, rows): a file that fails there is never parsed, so a hostile file costs one
    bounded pass. Cells over the size limit are also checked once parsed, and when the
    error limit cuts the report, the errors not listed are counted (``not_listed``).
    """
    started = time.perf_counter()
    limits = limits or Limits()
    raw = check_resource(resource, limits)
    if raw.fatal:
        return Report.from_validation_task(
            resource, time=time.perf_counter() - started, errors=raw.errors
        )
    checklist = Checklist(
        checks=[*checklist.checks, CellSize(max_bytes=limits.max_cell_bytes)],
        pick_errors=list(checklist.pick_errors),
        skip_errors=list(checklist.skip_errors),
    )
    try:
        report = fast_validate(resource, checklist, limit_errors)
    except Unsupported as reason:
        logger.debug("fastcheck: %s handed to Frictionless: %s", resource.name, reason)
        report = None
    if report is None:
        resource.close() if not resource.closed else None
        report = resource.validate(checklist=checklist, limit_errors=limit_errors)
        task = report.tasks[0] if report.tasks else None
        if task is not None and any(w.startswith("reached error limit") for w in task.warnings):
            task.errors.append(count_not_listed(resource, checklist, task.errors))
    if raw.errors:
        task = report.tasks[0]
        task.errors[:0] = raw.errors
        task.valid = report.valid = False
    return report


def count_not_listed(resource: Any, checklist: Checklist, listed: list) -> Any:
    """The ``errors-not-listed`` entry of a report Frictionless cut at the error limit:
    the rows after the last listed error are read again and their errors counted by type
    (for at most ``COUNT_SECONDS``), never kept."""
    deadline = time.perf_counter() + COUNT_SECONDS
    rows = [e.row_number for e in listed if getattr(e, "row_number", None) is not None]
    last = max(rows) if rows else 0
    # Errors of the last listed row may have been cut in the middle of the row.
    left = {}
    for error in listed:
        if getattr(error, "row_number", None) == last:
            left[error.type] = left.get(error.type, 0) + 1
    counts: dict[str, int] = {}
    complete = True
    try:
        checks = checklist.connect(resource)
        with resource:
            for row in resource.row_stream:
                if row.row_number < last:
                    continue
                for check in checks:
                    for error in check.validate_row(row):
                        if not checklist.match(error):
                            continue
                        if row.row_number == last and left.get(error.type):
                            left[error.type] -= 1
                            continue
                        counts[error.type] = counts.get(error.type, 0) + 1
                if time.perf_counter() > deadline:
                    complete = False
                    break
    except (frictionless.FrictionlessException, UnicodeError, csv.Error, ValueError):
        complete = False
    return not_listed(last or 1, counts, complete)


# ----------------------------------------------------------------------------- preconditions


def plain_csv_file(resource: Any) -> str:
    """The local path of a plain UTF-8 CSV file, or Unsupported."""
    if resource.data is not None or not isinstance(resource.path, str):
        raise Unsupported("inline data or multipart")
    if resource.format != "csv" or resource.compression or resource.innerpath:
        raise Unsupported(f"format {resource.format}")
    if resource.hash or resource.bytes or resource.rows or resource.fields:
        raise Unsupported("declared stats are checked by Frictionless")
    if resource.schema is None or resource.schema.foreign_keys:
        raise Unsupported("no schema or foreign keys")
    if getattr(resource, "remote", False):
        raise Unsupported("remote")
    path = resource.normpath
    if not path or not os.path.isfile(path):
        raise Unsupported("not a local file")
    return path


def effective_control(resource: Any, path: str) -> Any:
    """The csv dialect Frictionless's CsvParser would use (same sniffing, same sample, read
    through the same text stream: the resource's effective encoding, ``newline=""``)."""
    with open(path, encoding=resource.encoding or "utf-8", newline="") as stream:
        return sniffed_control(resource.dialect, stream)


def stream_codec(encoding: str | None) -> str | None:
    """The codec blocks are transcoded from, None for UTF-8 as it is, or Unsupported.

    ``encoding`` is the resource's effective encoding once opened: the declared one, else
    the one Frictionless detected, normalised by ``codecs.lookup`` (with ``utf-8-sig`` for
    a file starting with a BOM) — the codec its text stream decodes the whole file with.
    Decoding block by block gives the same text only for UTF-8 (blocks end after a
    ``\n``) and for stateless single-byte codecs that keep ASCII as it is (so a line end,
    a quote or a delimiter is the same byte before and after): cp1251, koi8-r, latin-1...
    UTF-16, multi-byte (a trail byte can be ``|``) and stateful codecs are Unsupported."""
    name = codecs.lookup(encoding or "utf-8").name
    if name in ("utf-8", "utf-8-sig"):
        return None
    if not single_byte_ascii(name):
        raise Unsupported(f"encoding {name}")
    return name


_SINGLE_BYTE: dict[str, bool] = {}


def single_byte_ascii(name: str) -> bool:
    """Whether ``name`` decodes every byte alone to one character (or rejects it), ASCII
    bytes to themselves and no other byte to ASCII, whatever comes before it."""
    if name not in _SINGLE_BYTE:
        ok = True
        chars = []
        for byte in range(256):
            decoder = codecs.getincrementaldecoder(name)(errors="strict")
            try:
                char = decoder.decode(bytes([byte]), final=False)
            except UnicodeDecodeError:
                chars.append(None)
                continue
            if len(char) != 1 or (byte < 128) != (ord(char) < 128):
                ok = False
                break
            if byte < 128 and char != chr(byte):
                ok = False
                break
            chars.append(char)
        if ok:
            # Stateless: the defined bytes together read as the characters one by one.
            defined = bytes(b for b in range(256) if chars[b] is not None)
            ok = defined.decode(name) == "".join(c for c in chars if c is not None)
        _SINGLE_BYTE[name] = ok
    return _SINGLE_BYTE[name]


def sniffed_control(dialect: Any, lines: Any) -> Any:
    """Frictionless's CsvParser's Python csv dialect: the declared properties of
    ``dialect``, the others sniffed from the first ``SAMPLE_SIZE`` of ``lines`` (a text
    stream), exactly as it does (tables.py reads with the same)."""
    control = CsvControl.from_dialect(dialect)
    sample = list(itertools.islice(lines, SAMPLE_SIZE))
    delimiter = control.get_defined("delimiter", default=",\t;|")
    try:
        config = csv.Sniffer().sniff("".join(sample), delimiter)
    except csv.Error:
        config = csv.excel()
    if config.quotechar == "'":
        config.quotechar = '"'
    control.set_not_defined("delimiter", config.delimiter, distinct=True)
    control.set_not_defined("line_terminator", config.lineterminator, distinct=True)
    control.set_not_defined("escape_char", config.escapechar, distinct=True)
    control.set_not_defined("quote_char", config.quotechar, distinct=True)
    control.set_not_defined("skip_initial_space", config.skipinitialspace, distinct=True)
    return control.to_python()


def check_dialect(resource: Any, python_dialect: Any) -> None:
    dialect = resource.dialect
    if dialect.header_rows != [1] or not dialect.header or dialect.header_join != " ":
        raise Unsupported("header rows")
    if dialect.comment_char or dialect.comment_rows or dialect.skip_blank_rows:
        raise Unsupported("comments or skipped rows")
    if not dialect.header_case:
        raise Unsupported("case-insensitive header")
    d = python_dialect
    if (
        d.delimiter not in (",", ";", "\t", "|")
        or d.quotechar != '"'
        or d.escapechar
        or d.skipinitialspace
        or not d.doublequote
    ):
        raise Unsupported("dialect")


# ----------------------------------------------------------------------------- field plans


def plan_fields(resource: Any, checks: list[Any]) -> list[FieldPlan]:
    schema = resource.schema
    plans = []
    sizes = [check.max_bytes for check in checks if check.type == "cell-size"]
    max_bytes = min(sizes) if sizes else None
    unique_names = {f.name for f in schema.fields if f.constraints.get("unique")}
    for index, fld in enumerate(schema.fields):
        missing = fld.missing_values if fld.has_defined("missing_values") else None
        missing = list(missing if missing is not None else schema.missing_values)
        if fld.type not in ("string", "integer", "number", "year", "boolean", *TEMPORAL):
            raise Unsupported(f"type {fld.type}")
        if fld.format not in ("default", None) and fld.type not in TEMPORAL:
            raise Unsupported(f"format {fld.format}")
        if fld.type in ("integer", "number") and getattr(fld, "float_number", False):
            raise Unsupported("floatNumber")
        constraints = {k: v for k, v in fld.constraints.items() if v is not None}
        if fld.type in ("datetime", "time", "yearmonth") and set(constraints) - {"required"}:
            raise Unsupported(f"constraints on {fld.type}")
        for name in constraints:
            if name not in fld.supported_constraints and name != "unique":
                continue  # Frictionless ignores unsupported constraints too
            if name in ("pattern", "minLength", "maxLength") and fld.type != "string":
                raise Unsupported("string constraint on another type")
            if name == "enum" and fld.type not in ("string", "integer", "year"):
                raise Unsupported("enum on this type")
        plan = FieldPlan(index=index, field=fld, missing=missing, max_bytes=max_bytes)
        plan.checks = list(constraints)
        if fld.type in TEMPORAL:
            plan.text_re = temporal_re(fld.type, fld.format or "default")
            plan.layout = temporal_layout(fld.type, fld.format or "default")
        if fld.type == "number":
            plan.number_chars = number_chars(fld)
        if fld.name in unique_names or fld.name in schema.primary_key:
            if fld.type not in ("string", "integer"):
                raise Unsupported("unique key on this type")
            plan.unique = fld.name in unique_names
            plan.key_type = pa.string() if fld.type == "string" else pa.int64()
        plans.append(plan)
    return plans


def flag_field(column: pa.Array, plan: FieldPlan, formula: bool) -> tuple[Any, Any, Any]:
    """(flags, key, missing) for one text column: flags mark cells Frictionless must see."""
    fld = plan.field
    missing = pc.is_in(column, value_set=array_of(plan.missing, pa.string()))
    present = pc.invert(missing)
    constraints = fld.constraints
    if fld.type == "string":
        ok = present
        value = column
    elif fld.type == "integer":
        ok = pc.match_substring_regex(column, INT_RE)
        value = pc.cast(pc.if_else(ok, column, scalar_of("0", pa.string())), pa.int64())
    elif fld.type == "number":
        ok, text = number_text(column, plan.number_chars)
        value = pc.cast(pc.if_else(ok, text, scalar_of("0", pa.string())), pa.float64())
    elif fld.type == "year":
        ok = pc.match_substring_regex(column, YEAR_RE)
        value = pc.cast(pc.if_else(ok, column, scalar_of("2000", pa.string())), pa.int64())
    elif fld.type in TEMPORAL:
        ok, value = temporal_cells(column, str(plan.text_re), plan.layout)
    elif fld.type == "boolean":
        truth = fld.true_values + fld.false_values
        ok = pc.is_in(column, value_set=array_of(truth, pa.string()))
        value = None
    else:  # pragma: no cover - plan_fields rejects it
        raise Unsupported(fld.type)
    # A present cell that is not certainly valid, or a missing cell of a required field.
    flags = pc.and_(present, pc.invert(ok))
    if constraints.get("required"):
        flags = pc.or_(flags, missing)
    violation = None
    for name in plan.checks:
        bound = constraints.get(name)
        test = None
        if name in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            limit = fld.create_value_reader()(bound)
            if limit is None:
                raise Unsupported("bound")
            if fld.type == "date":
                scalar = scalar_of(limit, pa.date32())
            elif fld.type == "number":
                scalar = scalar_of(float(limit), pa.float64())
            else:
                scalar = scalar_of(int(limit), pa.int64())
            # Floats: also flag equality, Frictionless compares Decimals exactly.
            loose = fld.type == "number"
            if name == "minimum":
                test = (pc.less_equal if loose else pc.less)(value, scalar)
            elif name == "exclusiveMinimum":
                test = pc.less_equal(value, scalar)
            elif name == "maximum":
                test = (pc.greater_equal if loose else pc.greater)(value, scalar)
            else:
                test = pc.greater_equal(value, scalar)
        elif name == "enum":
            reader = fld.create_value_reader()
            allowed = [reader(v) for v in bound]
            if fld.type == "string":
                test = pc.invert(pc.is_in(column, value_set=array_of(allowed, pa.string())))
            else:
                allowed = [v for v in allowed if isinstance(v, int)]
                test = pc.invert(pc.is_in(value, value_set=array_of(allowed, pa.int64())))
        elif name in ("minLength", "maxLength"):
            length = pc.utf8_length(column)
            limit = scalar_of(int(bound), pa.int64())
            test = (pc.less if name == "minLength" else pc.greater)(length, limit)
        elif name == "pattern":
            test = pattern_violations(column, str(bound))
        if test is not None:
            violation = test if violation is None else pc.or_(violation, test)
    if violation is not None:
        flags = pc.or_(flags, pc.and_(pc.and_(present, ok), violation))
    if formula and fld.type == "string":
        flags = pc.or_(flags, pc.match_substring_regex(column, FORMULA_CANDIDATE_RE))
    if plan.max_bytes is not None:
        limit = scalar_of(int(plan.max_bytes), pa.int64())  # pa.scalar would import pandas
        flags = pc.or_(flags, pc.greater(pc.binary_length(column), limit))
    key = None
    if plan.key_type is not None:
        key = column if fld.type == "string" else value
        key = pc.if_else(pc.and_(present, ok), key, scalar_of(None, plan.key_type))
    return pc.fill_null(flags, scalar_of(True, pa.bool_())), key, missing


def number_chars(fld: Any) -> tuple[str, str]:
    """(groupChar, decimalChar) of a number field, or Unsupported for ones not modelled.

    Frictionless strips the cell, (``bareNumber: false``) cuts non-digits at both ends,
    removes every groupChar, rejects a "." left when decimalChar is another character,
    turns decimalChar into "." and reads a Decimal. Cells the fast path accepts hold only
    digits, one leading "-", groupChars between digits and one decimalChar before the last
    digits, for which all of that is the same as ``number_text``'s replacements."""
    group, decimal = fld.group_char or "", fld.decimal_char
    if len(decimal) != 1 or len(group) > 1 or group == decimal:
        raise Unsupported("number characters")
    if any(char in "0123456789+-" for char in group + decimal):
        raise Unsupported("number characters")
    return group, decimal


def re2_char(char: str) -> str:
    return f"\\x{{{ord(char):x}}}"


def number_text(column: pa.Array, chars: tuple[str, str]) -> tuple[pa.Array, pa.Array]:
    """(certainly valid, the number as "-?digits[.digits]") of number cells."""
    group, decimal = chars
    if (group, decimal) == ("", "."):
        return pc.match_substring_regex(column, NUMBER_RE), column
    grouped = f"(?:{re2_char(group)}[0-9]+)*" if group else ""
    syntax = f"^-?[0-9]+{grouped}(?:{re2_char(decimal)}[0-9]+)?$"
    text = column
    if group:
        text = pc.replace_substring(text, pattern=group, replacement="")
    if decimal != ".":
        text = pc.replace_substring(text, pattern=decimal, replacement=".")
    ok = pc.and_(
        pc.match_substring_regex(column, syntax), pc.match_substring_regex(text, NUMBER_RE)
    )
    return ok, text


def temporal_re(type_: str, fmt: str) -> str:
    """The RE2 (anchored, with groups Y/y/m/d for a date's parts) that a cell of a date,
    datetime, time or yearmonth field with ``format`` certainly passes in Frictionless,
    given a real calendar date — or Unsupported."""
    if fmt == "default":
        if type_ == "date":
            fmt = "%Y-%m-%d"  # strptime, as Frictionless's DEFAULT_DATE_PATTERN
        elif type_ == "datetime":
            return DATETIME_DEFAULT_RE
        elif type_ == "time":
            return TIME_DEFAULT_RE
        else:
            return YEARMONTH_RE
    if type_ == "yearmonth" or fmt == "any":
        raise Unsupported(f"{type_} format {fmt}")
    return strptime_re(fmt)


def strptime_tokens(fmt: str) -> list[tuple[str, str]]:
    """``fmt`` as ("dir", letter) and ("lit", character) tokens (whitespace runs as one
    space), or Unsupported: only %Y %y %m %d %H %M %S, ASCII literals other than digits,
    each directive once, a full date or none."""
    tokens: list[tuple[str, str]] = []
    index = 0
    while index < len(fmt):
        char = fmt[index]
        if char == "%":
            directive = fmt[index + 1 : index + 2]
            if directive not in DIRECTIVES or ("dir", directive) in tokens:
                raise Unsupported(f"strptime format {fmt}")
            tokens.append(("dir", directive))
            index += 2
        elif char.isspace():
            if not tokens or tokens[-1] != ("lit", " "):
                tokens.append(("lit", " "))
            index += 1
        elif char.isdigit() or not char.isascii() or not char.isprintable():
            raise Unsupported(f"strptime format {fmt}")
        else:
            tokens.append(("lit", char))
            index += 1
    names = {value for kind, value in tokens if kind == "dir"}
    date_parts = names & {"Y", "y", "m", "d"}
    # A partial date gets Python's defaults (1900, January, 1st; Feb 29 special-cased).
    if date_parts and (len(names & {"Y", "y"}) != 1 or not {"m", "d"} <= names):
        raise Unsupported(f"partial date in {fmt}")
    return tokens


def strptime_re(fmt: str) -> str:
    """A subset, as RE2, of the cells ``datetime.strptime(cell, fmt)`` reads to a valid
    value (given a real date), or Unsupported (``strptime_tokens``). Python matches the
    literals ignoring case and whitespace as ``\\s+``: supersets of these."""
    parts = ["^"]
    tokens = strptime_tokens(fmt)
    for position, (kind, value) in enumerate(tokens):
        if kind == "lit":
            parts.append(re2_char(value))
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else ("lit", "")
        fixed, variable = DIRECTIVES[value]
        parts.append(f"(?P<{value}>{variable if following[0] == 'lit' else fixed})")
    parts.append("$")
    return "".join(parts)


def temporal_layout(type_: str, fmt: str) -> tuple[int, dict[str, tuple[int, int]]] | None:
    """Where a date's parts are in a cell of ``temporal_re`` whose every part has its full
    width (then the cell has exactly ``width`` characters, all ASCII), or None."""
    if fmt == "default" and type_ == "datetime":
        return 19, {"Y": (0, 4), "m": (5, 7), "d": (8, 10)}
    if fmt == "default" and type_ == "date":
        fmt = "%Y-%m-%d"
    elif fmt == "default" or type_ == "yearmonth":
        return None
    slices: dict[str, tuple[int, int]] = {}
    width = 0
    for kind, value in strptime_tokens(fmt):
        size = 1 if kind == "lit" else (4 if value == "Y" else 2)
        if kind == "dir" and value in "Yymd":
            slices[value] = (width, width + size)
        width += size
    return (width, slices) if slices else None


def temporal_cells(
    column: pa.Array, regex: str, layout: tuple[int, dict] | None = None
) -> tuple[pa.Array, pa.Array | None]:
    """(certainly valid, date32 value when the cells hold a date) of temporal cells.

    The date's parts are sliced at fixed places when every matching cell has the full
    width of ``layout`` (the usual case, ~5x faster), else extracted by the regex."""
    if "(?P<d>" not in regex:  # no date in the cells: nothing more to check
        return pc.match_substring_regex(column, regex), None
    ok = pc.match_substring_regex(column, regex)
    parts: dict[str, pa.Array]
    if layout is not None and len(column):
        width, slices = layout
        short = pc.and_(ok, pc.not_equal(pc.binary_length(column), scalar_of(width, pa.int64())))
        if not pc.any(short).as_py():
            parts = {k: pc.utf8_slice_codeunits(column, a, b) for k, (a, b) in slices.items()}
        else:
            layout = None
    if layout is None or not len(column):
        found = pc.extract_regex(column, regex)
        parts = {f.name: pc.struct_field(found, f.name) for f in found.type}

    def part(name: str, default: str) -> np.ndarray:
        text = pc.if_else(ok, parts[name], scalar_of(default, pa.string()))
        return numpy_ints(pc.cast(text, pa.int64()))

    ok_np = numpy_bools(ok)
    if "Y" in parts:
        year = part("Y", "2000")
    else:  # %y: 00-68 are 2000-2068, 69-99 1969-1999 (Python's _strptime)
        short_year = part("y", "0")
        year = np.where(short_year <= 68, short_year + 2000, short_year + 1900)
    month, day = part("m", "1"), part("d", "1")
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[month] + (
        leap & (month == 2)
    )
    real = ok_np & (day <= days) & (year >= 1)
    year, month, day = (np.where(real, v, d) for v, d in ((year, 2000), (month, 1), (day, 1)))
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    epoch_days = months.astype("datetime64[D]").astype(np.int64) + day - 1
    value = pa.Array.from_buffers(
        pa.date32(), len(epoch_days), [None, pa.py_buffer(epoch_days.astype(np.int32))]
    )
    return array_of(real, pa.bool_()), value


def pattern_violations(column: pa.Array, pattern: str) -> pa.Array:
    """Python's own regex, run once per distinct value (never translated to RE2)."""
    compiled = re.compile(f"^{pattern}$")
    distinct = pc.unique(column)
    bad = [value for value in distinct.to_pylist() if not compiled.match(value)]
    return pc.is_in(column, value_set=array_of(bad, pa.string()))


# ----------------------------------------------------------------------------- reading


@dataclass
class Block:
    data: bytes
    first_line: int  # physical line number (1-based) of the block's first line


def read_blocks(path: str, *digests: Any) -> Iterator[Block]:
    """The file in blocks of whole lines; feeds ``digests`` with every byte."""
    line = 1
    rest = b""
    with open(path, "rb") as stream:
        while True:
            chunk = stream.read(BLOCK_BYTES)
            for digest in digests:
                digest.update(chunk)
            data = rest + chunk
            if not chunk:
                if data:
                    yield Block(data, line)
                return
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            block, rest = data[: cut + 1], data[cut + 1 :]
            yield Block(block, line)
            line += block.count(b"\n")


def read_lines(path: str, numbers: list[int]) -> list[bytes]:
    """The raw physical lines ``numbers`` (sorted, 1-based) of a file, in one streamed pass
    (lines in between are skipped by ``islice``, in C; no pass at all when none is wanted)."""
    found: list[bytes] = []
    if not numbers:
        return found
    with open(path, "rb") as stream:
        read = 0
        for number in numbers:
            line = next(itertools.islice(stream, number - read - 1, None), None)
            if line is None:
                break
            found.append(line)
            read = number
    return found


def line_offsets(data: bytes) -> np.ndarray:
    """Start offset of each line of ``data`` (plus the end), for slicing flagged lines."""
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    starts = np.concatenate(([0], ends + 1))
    if starts[-1] == len(data):
        return starts
    return np.concatenate((starts, [len(data)]))


def check_quotes(data: bytes, offsets: np.ndarray, delimiter: str) -> None:
    """Every line with a quote must be regular CSV quoting on one line, or Unsupported."""
    if b'"' not in data:
        return
    sep = re.escape(delimiter.encode())
    cell = rb'(?:"(?:[^"\n]|"")*"|[^"\n' + sep + rb"]*)"
    regular = re.compile(rb"^" + cell + rb"(?:" + sep + cell + rb")*\r?\n?$")
    quotes = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 34)
    lines = np.unique(np.searchsorted(offsets, quotes, side="right") - 1)
    for index in lines.tolist():
        if not regular.match(data[offsets[index] : offsets[index + 1]]):
            raise Unsupported("irregular or multi-line quoting")


# ----------------------------------------------------------------------------- fast path


def fast_validate(resource: Any, checklist: Checklist, limit_errors: int) -> Report | None:
    """Validate ``resource`` like ``resource.validate``; raise Unsupported when unsure."""
    started = time.perf_counter()
    if checklist.pick_errors or checklist.skip_errors:
        raise Unsupported("checklist filters")
    if {check.type for check in checklist.checks} - SUPPORTED_CHECKS:
        raise Unsupported("custom checks")
    path = plain_csv_file(resource)
    if os.path.getsize(path) < MIN_FAST_BYTES:
        raise Unsupported("small file")
    try:
        resource.to_descriptor(validate=True)
        resource.open()
    except frictionless.FrictionlessException as exception:
        raise Unsupported("resource does not open") from exception
    try:
        codec = stream_codec(resource.encoding)
        with open(path, "rb") as stream:
            bom = stream.read(3) == codecs.BOM_UTF8
        if bom and codecs.lookup(resource.encoding or "utf-8").name != "utf-8-sig":
            raise Unsupported("byte order mark")  # read as a character of the first label
        labels = list(resource.labels or [])
        if not labels or resource.header.errors or labels != resource.schema.field_names:
            raise Unsupported("header is not exactly the schema's field names")
        python_dialect = effective_control(resource, path)
        check_dialect(resource, python_dialect)
        checks = checklist.connect(resource)
        expected = resource.header.get_expected_fields()
        header_errors = []
        for check in checks:
            header_errors.extend(check.validate_start())
    finally:
        resource.close()
    if header_errors:
        raise Unsupported("header errors")
    formula = any(check.type == "formula-cells" for check in checks)
    plans = plan_fields(resource, checks)
    run = FastRun(resource, path, plans, python_dialect, formula, codec, bom)
    digest = hashlib.sha256()
    md5 = hashlib.md5()
    # Two blocks at a time on two threads (pyarrow releases the GIL): memory stays bounded
    # by two blocks, results are merged in file order.
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pending: deque = deque()
        for block in read_blocks(path, digest, md5):
            pending.append(pool.submit(run.scan_block, block))
            if len(pending) >= WORKERS:
                run.merge(pending.popleft().result())
        while pending:
            run.merge(pending.popleft().result())
    found, rows = run.finish(expected, checks, limit_errors)
    resource.stats.sha256 = digest.hexdigest()
    resource.stats.md5 = md5.hexdigest()
    resource.stats.bytes = os.path.getsize(path)
    resource.stats.fields = len(labels)
    resource.stats.rows = rows
    cut = bool(found) and found[-1].type == "errors-not-listed"
    return Report.from_validation_task(
        resource,
        time=time.perf_counter() - started,
        labels=labels,
        errors=found,
        warnings=[f"reached error limit: {limit_errors}"] if cut else [],
    )


class FastRun:
    """State of one resource's scan: flagged lines and key columns."""

    def __init__(
        self,
        resource: Any,
        path: str,
        plans: list[FieldPlan],
        dialect: Any,
        formula: bool,
        codec: str | None = None,
        bom: bool = False,
    ):
        self.resource = resource
        self.codec = codec  # None: the file is UTF-8 and read as it is
        self.bom = bom  # a UTF-8 BOM to drop (utf-8-sig)
        self.path = path
        self.plans = plans
        self.dialect = dialect
        self.formula = formula
        self.names = [f"c{i}" for i in range(len(plans))]
        self.flagged: dict[int, bytes] = {}  # row number -> raw line
        self.keys: dict[str, list[pa.Array]] = {
            p.field.name: [] for p in plans if p.key_type is not None
        }
        self.key_rows: list[np.ndarray] = []
        self.primary = list(resource.schema.primary_key)
        self.lines = 0  # data lines seen

    def scan_block(self, block: Block) -> tuple:
        """Check one block (thread-safe: reads ``self`` only); its results for ``merge``.

        A block in a single-byte encoding is transcoded to UTF-8 first (line ends, quotes
        and delimiters are the same bytes in both); flagged lines are kept as UTF-8."""
        data = block.data
        if self.bom and block.first_line == 1:
            data = data.removeprefix(codecs.BOM_UTF8)
        if self.codec is not None:
            try:
                data = data.decode(self.codec).encode("utf-8")
            except UnicodeDecodeError as error:
                raise Unsupported(f"not {self.codec}: {error}") from error
        if b"\x00" in data:
            raise Unsupported("NUL byte")
        offsets = line_offsets(data)
        # Every CR must end a line (CRLF): as many CRs as line feeds right after one. (``in``
        # first: most files have no CR; counting "\r\n" itself costs ~20 ms a block.)
        if b"\r" in data:
            raw = np.frombuffer(data, dtype=np.uint8)
            feeds = offsets[1:][offsets[1:] >= 2] - 2  # the byte before each "\n"
            feeds = feeds[raw[np.minimum(feeds + 1, len(raw) - 1)] == 10]
            if data.count(b"\r") != int(np.count_nonzero(raw[feeds] == 13)):
                raise Unsupported("lone carriage return")
        check_quotes(data, offsets, self.dialect.delimiter)
        first = block.first_line
        skip = 1 if first == 1 else 0  # the header line
        count = len(offsets) - 1
        invalid: list[int] = []

        def on_invalid(row: Any) -> str:
            if row.number is None:
                raise Unsupported("row number unknown")
            # ``number`` counts physical lines from the block's start, skipped ones included.
            invalid.append(row.number - 1)  # 0-based line index in the block
            return "skip"

        try:
            table = pacsv.read_csv(
                io.BytesIO(data),
                read_options=pacsv.ReadOptions(
                    column_names=self.names,
                    use_threads=False,
                    block_size=len(data) + 1,
                    skip_rows=skip,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.dialect.delimiter,
                    quote_char='"',
                    double_quote=True,
                    escape_char=False,
                    newlines_in_values=False,
                    ignore_empty_lines=False,
                    invalid_row_handler=on_invalid,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in self.names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as exception:
            raise Unsupported(f"pyarrow: {exception}") from exception
        data_lines = count - skip
        if table.num_rows + len(invalid) != data_lines:
            raise Unsupported("rows do not map to lines")
        lengths = np.diff(offsets)
        keep_lines = np.ones(count, dtype=bool)
        keep_lines[:skip] = False
        keep_lines[np.array(invalid, dtype=np.int64)] = False
        valid_index = np.flatnonzero(keep_lines)
        flags = np.zeros(table.num_rows, dtype=bool)
        all_missing = np.ones(table.num_rows, dtype=bool)
        key_columns = {}
        for plan, name in zip(self.plans, self.names, strict=True):
            column = (
                table.column(name).combine_chunks() if table.num_rows else array_of([], pa.string())
            )
            field_flags, key, missing = flag_field(column, plan, self.formula)
            flags |= numpy_bools(field_flags)
            all_missing &= numpy_bools(missing)
            if key is not None:
                key_columns[plan.field.name] = key
        flags |= all_missing  # blank rows
        # Empty lines ("\n" or "\r\n") are rows without cells in Python's csv.
        size = lengths[valid_index]
        starts = offsets[valid_index]
        raw = np.frombuffer(data, dtype=np.uint8)
        flags |= (size == 1) | ((size == 2) & (raw[np.minimum(starts, len(raw) - 1)] == 13))
        flagged_lines = np.concatenate((valid_index[flags], np.array(invalid, dtype=np.int64)))
        if len(flagged_lines) > MAX_FLAGGED_ROWS:
            raise Unsupported("too many rows need Python")
        flagged = {
            first + index: data[offsets[index] : offsets[index + 1]]
            for index in flagged_lines.tolist()
        }
        keys, rows = {}, None
        if key_columns:
            keep = ~flags
            rows = (valid_index[keep] + first).astype(np.int64)
            mask = array_of(keep, pa.bool_())
            keys = {name: pc.filter(key, mask) for name, key in key_columns.items()}
        return flagged, keys, rows, data_lines

    def merge(self, scanned: tuple) -> None:
        """Add one scanned block's results, in file order."""
        flagged, keys, rows, data_lines = scanned
        if len(self.flagged) + len(flagged) > MAX_FLAGGED_ROWS:
            raise Unsupported("too many rows need Python")
        self.flagged.update(flagged)
        for name, key in keys.items():
            self.keys[name].append(key)
        if rows is not None:
            self.key_rows.append(rows)
        self.lines += data_lines

    def parse_line(self, raw: bytes, encoding: str = "utf-8") -> list[str]:
        text = raw.decode(encoding)
        cells = next(csv.reader([text], dialect=self.dialect), [])
        return cells

    def finish(self, expected: list[Any], checks: list[Any], limit: int) -> tuple[list, int]:
        """Exact errors of the flagged rows and of duplicate keys, in Frictionless's order."""
        handlers = create_cell_handlers(expected)
        cells = {number: self.parse_line(raw) for number, raw in sorted(self.flagged.items())}
        duplicates = self.duplicates(cells, handlers)
        unread = sorted(set(duplicates) - set(cells))
        for number, raw in zip(unread, read_lines(self.path, unread), strict=True):
            # Read from the file itself: in its own encoding (line 1, a BOM's, is the header).
            cells[number] = self.parse_line(raw, self.codec or "utf-8")
        found: list[Any] = []
        processed = self.lines
        # Past the error limit, errors are only counted by type (for COUNT_SECONDS).
        counts: dict[str, int] = {}
        cut_at = None
        deadline = None
        complete = True
        for number in sorted(cells):
            if cut_at is not None and time.perf_counter() > deadline:
                complete = False
                break
            row = Row(cells[number], handlers=handlers, row_number=number)
            notes = duplicates.get(number, {})
            # As in Frictionless's row stream: each unique field's cell is read (``row[name]``
            # processes that cell only) and a duplicate's error, built from the whole row,
            # processes the rest; then the primary key's cells, then the checks.
            unique = dict(notes.get("unique", []))
            for plan in self.plans:
                if plan.unique:
                    name = plan.field.name
                    row[name]
                    if name in unique:
                        error = errors.UniqueError.from_row(row, note=unique[name], field_name=name)
                        row.errors.append(error)
            for name in self.primary:
                row[name]
            for note in notes.get("primary", []):
                row.errors.append(errors.PrimaryKeyError.from_row(row, note=note))
            row_errors = [error for check in checks for error in check.validate_row(row)]
            if cut_at is not None:
                for error in row_errors:
                    counts[error.type] = counts.get(error.type, 0) + 1
                continue
            found.extend(row_errors)
            if limit and len(found) >= limit:
                for error in found[limit:]:
                    counts[error.type] = counts.get(error.type, 0) + 1
                found = found[:limit]
                processed = number - 1
                cut_at = number
                deadline = time.perf_counter() + COUNT_SECONDS
        if cut_at is not None:
            # Frictionless stops at the limit: so does the listing, with a count of the rest.
            found.append(not_listed(cut_at, counts, complete))
        return found, processed

    def key_value(self, cells: list[str], handler: Any) -> Any:
        """The value Frictionless's Row gives a cell (None for a type error or a blank)."""
        index = handler.field_number - 1
        value, _notes = handler.reader(cells[index] if len(cells) > index else None)
        return value

    def duplicates(self, rows: dict[int, list[str]], handlers: dict) -> dict[int, dict[str, list]]:
        """Unique and primary-key errors: hash-based (arrow group-by), one pass at the end."""
        result: dict[int, dict[str, list]] = {}
        if not self.keys:
            return result
        row_numbers = (
            np.concatenate(self.key_rows) if self.key_rows else np.array([], dtype=np.int64)
        )
        flagged = sorted(rows)
        columns = {}
        for plan in self.plans:
            if plan.key_type is None:
                continue
            name = plan.field.name
            extra = [self.key_value(rows[n], handlers[name]) for n in flagged]
            if plan.key_type == pa.int64() and any(
                v is not None and not (-(2**63) <= v < 2**63) for v in extra
            ):
                raise Unsupported("integer key beyond int64")
            parts = [*self.keys[name], array_of(extra, plan.key_type)]
            columns[name] = pa.concat_arrays(parts)
        numbers = np.concatenate((row_numbers, np.array(flagged, dtype=np.int64)))
        table = pa.table({**columns, "__row": array_of(numbers, pa.int64())})
        missing_pk = set()
        unique_pairs: dict[str, list[tuple[int, int]]] = {}
        for plan in self.plans:
            if plan.unique:
                name = plan.field.name
                sub = table.select([name, "__row"]).filter(pc.is_valid(table[name]))
                unique_pairs[name] = repeated(sub, [name])
                for number, previous in unique_pairs[name]:
                    entry = result.setdefault(number, {}).setdefault("unique", [])
                    entry.append((name, f"the same as in the row at position {previous}"))
        if self.primary:
            # All-None keys are errors of their own, and are not remembered.
            nulls = None
            for name in self.primary:
                test = pc.is_null(table[name])
                nulls = test if nulls is None else pc.and_(nulls, test)
            for number in table["__row"].filter(nulls).to_pylist():
                missing_pk.add(number)
                result.setdefault(number, {}).setdefault("primary", []).append(
                    'cells composing the primary keys are all "None"'
                )
            if len(self.primary) == 1 and unique_pairs.get(self.primary[0]) is not None:
                pairs = unique_pairs[self.primary[0]]  # same key, same non-null rows
            else:
                sub = table.select([*self.primary, "__row"]).filter(pc.invert(nulls))
                pairs = repeated(sub, self.primary)
            for number, previous in pairs:
                result.setdefault(number, {}).setdefault("primary", []).append(
                    f"the same as in the row at position {previous}"
                )
        # Sort unique errors into schema order (Frictionless checks fields in that order).
        order = {p.field.name: p.index for p in self.plans}
        for entry in result.values():
            entry.get("unique", []).sort(key=lambda item: order[item[0]])
        return result


def repeated(table: pa.Table, keys: list[str]) -> list[tuple[int, int]]:
    """(row, previous row with the same key) for every repeated key, by hashing."""
    if table.num_rows == 0:
        return []
    if len(keys) == 1 and table[keys[0]].type == pa.int64() and table[keys[0]].null_count == 0:
        # The usual primary key, 1..N in file order: strictly increasing by row, so no key
        # repeats (checked in ~20 ms where grouping a million keys takes ~150 ms).
        rows = numpy_ints(table["__row"].combine_chunks())
        values = numpy_ints(table[keys[0]].combine_chunks())
        order = np.argsort(rows, kind="stable")  # accepted rows in order, flagged ones after
        if np.all(values[order][1:] > values[order][:-1]):
            return []
    # Keys as dictionary indices: a None inside a composite key is then a value like any
    # other (as in Frictionless's tuples). Grouped with numpy, not arrow's group_by, which
    # loads pyarrow.dataset and, with it, pandas.
    codes = []
    for name in keys:
        column = table[name].combine_chunks()
        indices = pc.dictionary_encode(column, null_encoding="encode").indices
        codes.append(numpy_ints(pc.cast(indices, pa.int64())))
    if len(codes) == 1:
        group = codes[0]
    else:
        group = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)[1].ravel()
    repeats = np.bincount(group)[group] > 1
    if not repeats.any():
        return []
    rows = numpy_ints(table["__row"].combine_chunks())[repeats]
    group = group[repeats]
    order = np.lexsort((rows, group))  # by key, then by row
    rows, group = rows[order], group[order]
    same = group[1:] == group[:-1]
    return sorted(zip(rows[1:][same].tolist(), rows[:-1][same].tolist(), strict=True))


__all__ = ["Decimal", "Unsupported", "validate_package", "validate_resource"]
