"""Bounded pre-checks of raw data files, before Frictionless or pyarrow opens them.

A data file can come from anyone. Given a 100,000-column header, or a 50 MB line, the CSV
readers build rows of that size (Frictionless grew past 2 GB and ran for minutes). So
every local CSV/TSV file is first read here once, in blocks of ``BLOCK_BYTES`` with numpy
(memory: a few blocks, whatever the file), and checked for:

* not being text at all: a ZIP (an .xlsx is one), an old .xls, a PDF, an image, an HTML
  page, binary data (``format-error``), or UTF-16/32 when that is not declared;
* bytes the declared encoding cannot read, located by line and byte offset, with a hint
  naming the encoding that fits (``encoding-error``, :mod:`moldir.pipeline.hints`); a file declared
  in a single-byte encoding that is evidently UTF-8 (it would publish mojibake);
* NUL characters (no text file has them; XLSX cannot hold them);
* the limits (``Limits``, ``MOLDIR`` settings): columns per line, bytes per cell, rows.

A file with a problem that makes it unsafe or pointless to parse (not text, undecodable,
over a limit) is not given to Frictionless or pyarrow at all; its errors are reported
instead, each naming the file, the line and, for a cell, the field.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import attrs
import numpy as np
from frictionless import Check, errors

from moldir.model import errors as registry
from moldir.pipeline import hints

BLOCK_BYTES = 4 * 1024 * 1024
SNIFF_BYTES = 8 * 1024
# Bytes read at a time when a line must be read as CSV (quotes respected) to be sure.
RECORD_READ_BYTES = 1024 * 1024
# Lines over the column limit read as CSV to be sure (quotes), at most, in one file.
MAX_CONFIRMATIONS = 20

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one data file may hold (``MOLDIR`` settings, docs/settings.md).

    ``max_rows`` counts lines after the header, so a cell that spans lines counts each
    of its lines. With ``max_file_bytes`` (200 MiB), it bounds the work of a file of tiny
    rows (200 MiB of "1\n" would be 100 million rows).
    """

    max_columns: int = 1_000
    max_cell_bytes: int = MIB
    max_rows: int = 5_000_000

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        """The limits of a ``MoldirSettings`` (any object with the same attributes)."""
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})


# ----------------------------------------------------------------------------- errors
# Frictionless errors (so that they travel in its reports like its own), located by the
# physical line as ``rowNumber``: for these checks of the raw file the line is the row.
# Moldir's own codes take their code, title and description from the registry
# (model/errors.py); format-error and encoding-error are Frictionless's codes.


class RawFileError(errors.RowError):
    """A problem of a data file found by reading its bytes."""

    type = "raw-file-error"
    title = "Raw File Error"
    description = "The data file cannot be read as declared."
    template = "{note}"


class NotTextError(RawFileError):
    type = "format-error"
    title = "Format Error"
    description = "The data file is not CSV text."


class LocatedEncodingError(RawFileError):
    type = "encoding-error"
    title = "Encoding Error"
    description = "The data file is not text in the declared encoding."


class TooManyColumnsError(RawFileError):
    type = registry.TooManyColumns.code
    title = registry.TooManyColumns.title
    description = registry.TooManyColumns.description


class TooManyRowsError(RawFileError):
    type = registry.TooManyRows.code
    title = registry.TooManyRows.title
    description = registry.TooManyRows.description


class CellTooLargeError(errors.CellError):
    type = registry.CellTooLarge.code
    title = registry.CellTooLarge.title
    description = registry.CellTooLarge.description
    template = "{note}"


class ErrorsNotListed(RawFileError):
    type = registry.ErrorsNotListed.code
    title = registry.ErrorsNotListed.title
    description = registry.ErrorsNotListed.description


def located(kind: type[RawFileError], line: int, message: str, hint: str = "") -> errors.RowError:
    """An error of ``kind`` on ``line``: ``message`` says what is wrong, ``hint`` what to do."""
    error = kind(note=hint, cells=[], row_number=max(1, line))
    error.message = message
    return error


def cell_error(
    line: int, message: str, hint: str, field_name: str | None, field_number: int | None
) -> errors.CellError:
    error = CellTooLargeError(
        note=hint,
        cells=[],
        row_number=max(1, line),
        cell="",
        field_name=field_name or "",
        field_number=field_number or 0,
    )
    error.message = message
    return error


# ----------------------------------------------------------------------------- sniffing

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx, .ods or .docx file is one)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.xls or .doc)"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"ARROW1", "an Arrow file"),
)
_MARKUP = re.compile(rb"^\s*<(!doctype\s+html|html[\s>]|\?xml)", re.IGNORECASE)
# Control bytes that text never has (tab, newlines and form feed aside).
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13}) + b"\x7f"


def what_it_is(sample: bytes) -> str | None:
    """What a file starting with ``sample`` is when it is evidently not CSV text."""
    for signature, name in SIGNATURES:
        if sample.startswith(signature):
            return name
    if sample.startswith(b"BZh") and sample[4:10] == b"1AY&SY":
        return "a bzip2 archive"
    body = sample[3:] if sample.startswith(codecs.BOM_UTF8) else sample
    match = _MARKUP.match(body[:512])
    if match:
        return "an XML document" if match.group(1).startswith(b"?") else "an HTML page"
    return None


def looks_binary(sample: bytes) -> bool:
    """Whether a sample (of an ASCII-compatible encoding) is binary data, not text."""
    if not sample:
        return False
    controls = sum(sample.count(bytes([byte])) for byte in _CONTROL)
    # (A few NULs in a short file are reported by line instead.)
    return sample.count(0) > max(4, 0.01 * len(sample)) or controls > max(16, 0.1 * len(sample))


# ----------------------------------------------------------------------------- records


def field_pattern(delimiter: bytes, quote: bytes) -> re.Pattern[bytes]:
    """One CSV field as Python's csv module reads it (double quotes, not strict): a quoted
    part (newlines and doubled quotes inside), then anything up to a delimiter or line end."""
    d, q = re.escape(delimiter), re.escape(quote)
    quoted = q + rb"[^" + q + rb"]*(?:" + q + q + rb"[^" + q + rb"]*)*" + q + rb"?"
    rest = rb"[^" + d + rb"\r\n]*"
    return re.compile(rb"(?:" + quoted + rest + rb"|" + rest + rb")")


def continued_field_pattern(delimiter: bytes, quote: bytes) -> re.Pattern[bytes]:
    """The rest of a quoted field begun on an earlier line: up to its closing quote."""
    d, q = re.escape(delimiter), re.escape(quote)
    return re.compile(
        rb"[^" + q + rb"]*(?:" + q + q + rb"[^" + q + rb"]*)*" + q + rb"?[^" + d + rb"\r\n]*"
    )


def record_fields(
    path: str,
    start: int,
    delimiter: bytes,
    quote: bytes,
    stop: int,
    cell_limit: int,
    inside_quotes: bool = False,
) -> int:
    """How many fields the CSV record starting at byte ``start`` has, counting at most to
    ``stop``; quotes are respected and memory stays bounded (a field longer than
    ``cell_limit`` ends the count: it is reported as a cell too large).
    ``inside_quotes``: the line begins inside a quoted cell of an earlier line."""
    fields = field_pattern(delimiter, quote)
    pattern = continued_field_pattern(delimiter, quote) if inside_quotes else fields
    count = 0
    with open(path, "rb") as stream:
        stream.seek(start)
        buffer = stream.read(RECORD_READ_BYTES)
        eof = len(buffer) < RECORD_READ_BYTES
        position = 0
        while True:
            match = pattern.match(buffer, position)
            end = match.end() if match else position
            if end == len(buffer) and not eof:
                if end - position > cell_limit + 2:
                    return count + 1
                more = stream.read(RECORD_READ_BYTES)
                eof = len(more) < RECORD_READ_BYTES
                buffer = buffer[position:] + more
                position = 0
                continue
            count += 1
            if count >= stop or end >= len(buffer) or buffer[end : end + 1] != delimiter:
                return count
            position = end + 1
            pattern = fields


def header_names(path: str, delimiter: str, quote: str, encoding: str | None) -> list[str]:
    """The labels of the first line when it is short enough to read at once."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(64 * 1024)
    except OSError:
        return []
    end = head.find(b"\n")
    if end < 0:
        return []
    text = head[:end].decode(encoding or "utf-8", errors="replace").lstrip("\ufeff")
    try:
        return next(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote), [])
    except csv.Error:
        return []


# ----------------------------------------------------------------------------- the scan


@dataclass
class RawCheck:
    """What the raw scan of one file found; ``fatal``: the file must not be parsed."""

    errors: list[errors.Error] = field(default_factory=list)
    fatal: bool = False


class RawScan:
    """One pass over a file's bytes in blocks: lines, cells per line, longest cell run,
    NUL characters and decoding, with everything located by line."""

    def __init__(
        self,
        path: str,
        limits: Limits,
        encoding: str | None,
        delimiter: str,
        quote: str,
        header: bool,
        names: list[str],
    ):
        self.path = path
        self.limits = limits
        self.encoding = encoding  # declared (None: Frictionless detects it)
        self.delimiter = delimiter
        self.quote = quote
        self.header = header
        self.names = names
        self.result = RawCheck()
        # Bytes compared one by one: only single-byte ASCII delimiters and quotes.
        self.delimiter_byte = (
            ord(delimiter) if len(delimiter) == 1 and ord(delimiter) < 128 else None
        )
        self.quote_byte = ord(quote) if len(quote) == 1 and ord(quote) < 128 else None
        self.line = 1  # the line open at the start of the next block
        self.open_start = 0  # its byte offset
        self.open_delimiters = 0  # delimiters seen on it so far
        self.open_quotes = False  # whether it has a quote so far
        self.open_bytes = 0  # its length so far
        self.open_parity = 0  # 1 when it begins inside a quoted cell
        # The record (a line, or lines joined by quoted line breaks) open at the block's start.
        self.record_start = 0
        self.record_line = 1
        self.record_delimiters = 0
        self.record_spans = False
        self.delimiters = np.zeros(0, dtype=np.int64)
        self.quotes_before = 0  # quote characters before the current block
        self.quotes = np.zeros(0, dtype=np.int64)  # their offsets in the current block
        self.run_start = 0  # offset of the current run of bytes without a separator
        self.run_quotes = 0  # quote characters in it so far
        self.columns_error: errors.RowError | None = None
        self.columns_over = 0
        self.confirmations = 0
        self.cell_error = False
        self.open_cell: int | None = None  # start of a too large cell not ended yet
        self.nul_line: int | None = None
        self.nul_count = 0
        self.decoder = None
        self.utf8_decoder = None
        self.decode_failed = False
        self.utf8_valid = True
        self.first_high: int | None = None  # offset of the first byte above 0x7F

    # --- decoding ------------------------------------------------------------------

    def start_decoders(self) -> None:
        if self.encoding:
            self.decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
            if not hints.is_unicode(self.encoding):
                # A single-byte encoding reads any bytes: is the file evidently UTF-8?
                self.utf8_decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")

    def decode(self, data: bytes, base: int, ends: np.ndarray | None, final: bool) -> None:
        if self.decoder is None or self.decode_failed:
            return
        pending = len(self.decoder.getstate()[0])
        try:
            self.decoder.decode(data, final=final)
        except UnicodeDecodeError as problem:
            self.decode_failed = True
            offset = base - pending + problem.start
            bad = problem.object[problem.start : problem.end][:4]
            line = self.line_at(offset, base, ends)
            self.fail_decoding(offset, line, bad, problem.reason)
        if self.utf8_decoder is not None and self.utf8_valid:
            try:
                self.utf8_decoder.decode(data, final=final)
            except UnicodeDecodeError:
                self.utf8_valid = False

    def fail_decoding(self, offset: int, line: int, bad: bytes, reason: str) -> None:
        shown = " ".join(f"0x{byte:02X}" for byte in bad)
        # The start of the file, and the bytes around the first bad one if further on.
        sample = self.sample_from(0, hints.SAMPLE_BYTES)
        if offset > hints.SAMPLE_BYTES - 1024:
            sample += b"\n" + self.sample_from(max(0, offset - 2048), 16 * 1024)
        hint = hints.undecodable_hint(sample, self.encoding or "utf-8")
        self.result.errors.append(
            located(
                LocatedEncodingError,
                line,
                f'line {line:,} cannot be read as "{self.encoding}": byte {shown} at byte '
                f"offset {offset:,} of the file ({reason})",
                hint,
            )
        )
        self.result.fatal = True

    def sample_from(self, offset: int, size: int) -> bytes:
        with open(self.path, "rb") as stream:
            stream.seek(offset)
            return stream.read(size)

    # --- lines ---------------------------------------------------------------------

    def line_at(self, offset: int, base: int, ends: np.ndarray | None) -> int:
        """The line of a byte offset in the current block (or in the line open before it)."""
        if offset < base or ends is None:
            return self.line
        return self.line + int(np.searchsorted(ends, offset - base))

    def feed(self, data: bytes, base: int, final: bool) -> None:
        """Check one block of the file (``base``: its offset)."""
        array = np.frombuffer(data, dtype=np.uint8)
        newline = array == 10
        has_cr = b"\r" in data
        if has_cr:
            cr = array == 13
            lone = cr.copy()
            lone[:-1] &= ~newline[1:]
            ends = np.flatnonzero(newline | lone)
        else:
            cr = None
            ends = np.flatnonzero(newline)
        self.decode(data, base, ends, final)
        if self.first_high is None and self.utf8_decoder is not None:
            high = np.flatnonzero(array >= 0x80)
            if len(high):
                self.first_high = base + int(high[0])
        if b"\x00" in data:
            self.nul_count += data.count(b"\x00")
            if self.nul_line is None:
                self.nul_line = self.line_at(base + data.index(b"\x00"), base, ends)
        counts, quoted = self.line_counts(array, ends)
        self.check_columns(counts, quoted, ends, base)
        self.check_records(ends, base)
        self.check_cells(array, newline, cr, ends, base, counts, quoted)
        # The line left open at the end of the block.
        if len(ends):
            self.open_start = base + int(ends[-1]) + 1
            self.open_bytes = len(data) - int(ends[-1]) - 1
        else:
            self.open_bytes += len(data)
        self.open_delimiters = int(counts[-1])
        self.open_quotes = bool(quoted[-1])
        if len(ends):
            self.open_parity = int(self.starts_quoted(len(ends), ends))
        self.quotes_before += len(self.quotes)
        self.line += len(ends)

    def line_counts(self, array: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Delimiters on each line of the block (the open one last), and which have quotes
        (their offsets in the block are kept in ``self.quotes``)."""
        lines = len(ends) + 1
        if self.delimiter_byte is None:
            counts = np.zeros(lines, dtype=np.int64)
            self.delimiters = np.zeros(0, dtype=np.int64)
        else:
            where = np.flatnonzero(array == self.delimiter_byte)
            counts = np.bincount(np.searchsorted(ends, where), minlength=lines)
            self.delimiters = where
        counts[0] += self.open_delimiters
        if self.quote_byte is None:
            quoted = np.ones(lines, dtype=bool)
            self.quotes = np.zeros(0, dtype=np.int64)
        else:
            where = np.flatnonzero(array == self.quote_byte)
            quoted = np.bincount(np.searchsorted(ends, where), minlength=lines) > 0
            self.quotes = where
        quoted[0] |= self.open_quotes
        return counts, quoted

    def line_start(self, index: int, ends: np.ndarray, base: int) -> int:
        return self.open_start if index == 0 else base + int(ends[index - 1]) + 1

    def starts_quoted(self, index: int, ends: np.ndarray) -> bool:
        """Whether line ``index`` of the block begins inside a quoted cell: an odd number
        of quote characters before it in the file (regular quoting doubles quotes inside)."""
        if index == 0:
            return self.open_parity == 1
        before = int(np.searchsorted(self.quotes, int(ends[index - 1]) + 1))
        return (self.quotes_before + before) % 2 == 1

    def check_columns(
        self,
        counts: np.ndarray,
        quoted: np.ndarray,
        ends: np.ndarray,
        base: int,
        last: bool = False,
    ) -> None:
        """Lines with more cells than ``max_columns`` (the open line only when ``last``)."""
        limit = self.limits.max_columns
        complete = counts if last else counts[: len(ends)]
        over = np.flatnonzero(complete + 1 > limit)
        if not len(over):
            return
        inside = np.array([self.starts_quoted(index, ends) for index in over.tolist()], dtype=bool)
        plain = ~quoted[over] & ~inside  # no quote on it and not inside a quoted cell: exact
        if self.columns_error is not None:
            self.columns_over += int(np.count_nonzero(plain))
            return
        for position, index in enumerate(over.tolist()):
            cells = int(complete[index]) + 1
            exact = bool(plain[position])
            if not exact and not quoted[index]:
                continue  # the whole line lies inside a cell opened on an earlier line
            if not exact:
                if self.confirmations >= MAX_CONFIRMATIONS:
                    return
                self.confirmations += 1
                # Delimiters inside quotes are not separators: read the line as CSV.
                cells = record_fields(
                    self.path,
                    self.line_start(index, ends, base),
                    self.delimiter.encode(),
                    self.quote.encode(),
                    limit + 1,
                    self.limits.max_cell_bytes,
                    inside_quotes=bool(inside[position]),
                )
                if cells <= limit:
                    continue
            self.report_columns(self.line + index, cells if exact else None)
            self.columns_over += int(np.count_nonzero(plain[position + 1 :]))
            return

    def report_columns(self, line: int, cells: int | None) -> None:
        """The ``too-many-columns`` error (``cells`` None: more than the limit, counted no
        further)."""
        limit = self.limits.max_columns
        what = "the header" if line == 1 and self.header else f"line {line:,}"
        count = f"{cells:,}" if cells is not None else f"more than {limit:,}"
        self.columns_error = located(
            TooManyColumnsError,
            line,
            f"{what} has {count} columns; the limit is {limit:,} (MOLDIR['max_columns'])",
            "check the delimiter, or split the table into files of fewer columns",
        )
        self.result.errors.append(self.columns_error)
        self.result.fatal = True

    def check_records(self, ends: np.ndarray, base: int, last: bool = False) -> None:
        """Records that span lines (a quoted cell with line breaks) with more cells than
        ``max_columns`` in all: a line ends a record when the quotes before it are even.
        Lines are checked one by one in ``check_columns``; this finds the cells of one
        record spread over many lines."""
        if (
            not last
            and not len(self.quotes)
            and not self.quotes_before % 2
            and not self.record_spans
        ):
            # No quote anywhere in the block, none open: every line is a record of its own.
            if len(ends):
                self.record_start = base + int(ends[-1]) + 1
                self.record_line = self.line + len(ends)
                self.record_delimiters = int(np.count_nonzero(self.delimiters > ends[-1]))
                self.record_spans = False
            else:
                self.record_delimiters += len(self.delimiters)
            return
        before_ends = (self.quotes_before + np.searchsorted(self.quotes, ends)) % 2
        record_ends = ends[before_ends == 0]
        odd_ends = ends[before_ends == 1]  # line breaks inside quoted cells
        counts = np.bincount(
            np.searchsorted(record_ends, self.delimiters), minlength=len(record_ends) + 1
        )
        counts[0] += self.record_delimiters
        inner = np.searchsorted(odd_ends, record_ends)  # inner breaks before each record end
        spans = np.diff(np.concatenate(([0], inner))) > 0
        if len(spans):
            spans[0] |= self.record_spans
        limit = self.limits.max_columns
        complete = len(record_ends) + (1 if last else 0)
        if self.columns_error is None:
            for index in range(complete):
                multi = spans[index] if index < len(spans) else self.record_spans
                if counts[index] + 1 <= limit or not multi:
                    continue
                if self.confirmations >= MAX_CONFIRMATIONS:
                    break
                self.confirmations += 1
                start = self.record_start if index == 0 else base + int(record_ends[index - 1]) + 1
                cells = record_fields(
                    self.path,
                    start,
                    self.delimiter.encode(),
                    self.quote.encode(),
                    limit + 1,
                    self.limits.max_cell_bytes,
                )
                if cells > limit:
                    line = self.record_line
                    if index:
                        line = self.line + int(np.searchsorted(ends, record_ends[index - 1])) + 1
                    self.report_columns(line, None)
                    break
        if last:
            return
        # The record left open at the end of the block.
        if len(record_ends):
            self.record_start = base + int(record_ends[-1]) + 1
            self.record_line = self.line + int(np.searchsorted(ends, record_ends[-1])) + 1
            self.record_delimiters = int(counts[-1])
            self.record_spans = len(odd_ends) > int(inner[-1])
        else:
            self.record_delimiters = int(counts[-1])
            self.record_spans = self.record_spans or len(odd_ends) > 0

    def check_cells(
        self,
        array: np.ndarray,
        newline: np.ndarray,
        cr: np.ndarray | None,
        ends: np.ndarray,
        base: int,
        counts: np.ndarray,
        quoted: np.ndarray,
    ) -> None:
        """The first run of bytes without a delimiter or line end longer than the cell
        limit: it lies inside one cell, so that cell is certainly too large."""
        if self.cell_error and self.open_cell is None:
            return
        separators = newline if cr is None else newline | cr
        if self.delimiter_byte is not None:
            separators = separators | (array == self.delimiter_byte)
        where = np.flatnonzero(separators)
        if self.open_cell is not None:
            # The cell reported in an earlier block: its length, once it ends.
            if len(where):
                self.close_cell(base + int(where[0]))
            return
        # A run's quote characters are not all text (the quotes around a cell, a doubled
        # quote inside it): they are not counted, so a cell is never called too large
        # because of its quoting. Quotes without a separator in between are in this run.
        limit = self.limits.max_cell_bytes
        quotes = self.quotes
        if len(where):
            starts = np.empty(len(where), dtype=np.int64)
            starts[0] = self.run_start
            starts[1:] = base + where[:-1] + 1
            lengths = base + where - starts
            inside = np.searchsorted(quotes, where) - np.searchsorted(
                quotes, np.maximum(starts - base, 0)
            )
            inside[0] += self.run_quotes
            big = np.flatnonzero(lengths - inside > limit)
            if len(big):
                self.report_cell(
                    array, int(starts[big[0]]), int(lengths[big[0]]), base, ends, quoted
                )
                self.close_cell_now()
                return
            self.run_start = base + int(where[-1]) + 1
            self.run_quotes = len(quotes) - int(np.searchsorted(quotes, int(where[-1])))
        else:
            self.run_quotes += len(quotes)
        tail = base + len(array) - self.run_start
        if tail - self.run_quotes > limit:
            self.report_cell(array, self.run_start, tail, base, ends, quoted)
            self.open_cell = self.run_start  # its length is known when it ends

    def close_cell_now(self) -> None:
        """A cell reported with its whole length: "at least" is not needed."""
        error = self.result.errors[-1]
        error.message = error.message.replace("a cell of at least ", "a cell of ", 1)

    def close_cell(self, end: int) -> None:
        """Say the whole length of the cell reported while it was still being read."""
        error, start = self.result.errors[-1], self.open_cell
        self.open_cell = None
        if isinstance(error, CellTooLargeError) and start is not None:
            error.message = re.sub(
                r"a cell of at least [0-9,]+ bytes",
                f"a cell of {end - start:,} bytes",
                error.message,
            )

    def report_cell(
        self,
        array: np.ndarray,
        offset: int,
        length: int,
        base: int,
        ends: np.ndarray,
        quoted: np.ndarray,
    ) -> None:
        self.cell_error = True
        line = self.line_at(offset, base, ends)
        index = line - self.line
        field_number = None
        if not quoted[index] and self.delimiter_byte is not None:
            # Delimiters before the cell on its line: those of earlier blocks, then these.
            start = self.line_start(index, ends, base)
            before = self.open_delimiters if start < base else 0
            if offset > base:
                segment = array[max(start, base) - base : offset - base]
                before += int(np.count_nonzero(segment == self.delimiter_byte))
            field_number = before + 1
        name = None
        if field_number is not None and field_number <= len(self.names):
            name = self.names[field_number - 1]
        where = f"line {line:,}"
        if field_number is not None:
            where += f", field {field_number}" + (f' ("{name}")' if name else "")
        limit = self.limits.max_cell_bytes
        self.result.errors.append(
            cell_error(
                line,
                f"{where}: a cell of at least {length:,} bytes; the limit is {limit:,} bytes "
                "(MOLDIR['max_cell_bytes'])",
                "publish long texts as documents and link them, or check the delimiter and quotes",
                name,
                field_number,
            )
        )
        self.result.fatal = True

    # --- the whole file --------------------------------------------------------------

    def run(self) -> RawCheck:
        self.start_decoders()
        base = 0
        with open(self.path, "rb") as stream:
            while True:
                data = stream.read(BLOCK_BYTES)
                if data.endswith(b"\r"):
                    data += stream.read(1)  # a CR and its LF stay in one block
                final = len(data) < BLOCK_BYTES
                if data:
                    self.feed(data, base, final)
                else:  # the end, at a block's edge: a sequence cut there is an error
                    self.decode(b"", base, None, final=True)
                base += len(data)
                if final:
                    break
        self.finish(base)
        return self.result

    def finish(self, size: int) -> None:
        if self.open_cell is not None:
            self.close_cell(size)
        # The last line, when the file does not end with a line break.
        lines = self.line - 1 + (1 if self.open_bytes else 0)
        if self.open_bytes and self.columns_error is None:
            counts = np.array([self.open_delimiters])
            self.check_columns(counts, np.array([self.open_quotes]), np.array([]), size, True)
        if self.columns_error is None and (self.open_bytes or self.record_spans):
            self.delimiters = np.zeros(0, dtype=np.int64)
            self.quotes = np.zeros(0, dtype=np.int64)
            self.check_records(np.zeros(0, dtype=np.int64), size, last=True)
        if self.columns_error is not None and self.columns_over:
            plural = "s" if self.columns_over > 1 else ""
            self.columns_error.message += f"; {self.columns_over:,} more line{plural} too"
        self.check_rows(lines)
        self.check_nul()
        self.check_utf8()

    def check_rows(self, lines: int) -> None:
        rows = lines - (1 if self.header else 0)
        limit = self.limits.max_rows
        if rows <= limit:
            return
        first = limit + (2 if self.header else 1)
        self.result.errors.append(
            located(
                TooManyRowsError,
                first,
                f"the file has {rows:,} rows (lines after the header); the limit is "
                f"{limit:,} (MOLDIR['max_rows']): line {first:,} is the first over it",
                "split the table into several resources (by year, for example)",
            )
        )
        self.result.fatal = True

    def check_nul(self) -> None:
        if self.nul_line is None or self.decode_failed:
            return
        count = f"{self.nul_count:,} NUL characters" if self.nul_count > 1 else "a NUL character"
        self.result.errors.append(
            located(
                NotTextError,
                self.nul_line,
                f"line {self.nul_line:,} has {count} (byte 0x00), which text never has",
                "remove them; if the file came from a program as UTF-16, save it as UTF-8",
            )
        )

    def check_utf8(self) -> None:
        """A file declared in a single-byte encoding that is evidently UTF-8."""
        if self.utf8_decoder is None or self.decode_failed or not self.utf8_valid:
            return
        if self.first_high is None:
            return  # ASCII: the same in every encoding
        sample = self.sample_from(max(0, self.first_high - 200), 16 * 1024)
        start = self.sample_from(0, 3)
        # (The sample starts on ASCII, before the first byte above 0x7F.)
        if hints.reads_as_utf8(sample) is None and start != codecs.BOM_UTF8:
            return
        line = self.line_of_offset(self.first_high)
        self.result.errors.append(
            located(
                LocatedEncodingError,
                line,
                f'the file is declared "{self.encoding}" but is UTF-8 text (line {line:,} '
                f"is the first with letters beyond ASCII)",
                hints.mismatch_hint(sample, self.encoding or ""),
            )
        )

    def line_of_offset(self, offset: int) -> int:
        with open(self.path, "rb") as stream:
            head = stream.read(offset)
        return head.count(b"\n") + 1


def scan_file(
    path: str,
    limits: Limits,
    encoding: str | None = None,
    delimiter: str = ",",
    quote: str = '"',
    header: bool = True,
    names: list[str] | None = None,
) -> RawCheck:
    """Check a CSV file's bytes (see the module's docstring); bounded memory, one pass."""
    try:
        with open(path, "rb") as stream:
            sample = stream.read(SNIFF_BYTES)
    except OSError:
        return RawCheck()  # Frictionless reports the missing file
    declared = hints.normal_encoding(encoding)
    if encoding and declared is None:
        return RawCheck()  # an unknown encoding: Frictionless reports it
    result = RawCheck()
    kind = what_it_is(sample)
    if kind:
        result.errors.append(
            located(
                NotTextError,
                1,
                f"the file is {kind}, not CSV text",
                "export the table as CSV (UTF-8) and give that file, or give this file "
                "its own extension and format",
            )
        )
        result.fatal = True
        return result
    if declared is None or hints.ascii_compatible(declared):
        bom = hints.bom_encoding(sample)
        unicode = hints.utf16_without_bom(sample) if bom is None else None
        if (bom and bom != "utf-8-sig") or unicode:
            label = "UTF-16" if (bom or unicode or "").startswith("utf-16") else "UTF-32"
            how = "it starts with a byte-order mark" if bom else "every other byte is zero"
            result.errors.append(
                located(
                    LocatedEncodingError,
                    1,
                    f'the file is {label} text ({how}), not "{encoding or "utf-8"}"',
                    f'save it as UTF-8, or declare "encoding": "{label.lower()}"',
                )
            )
            result.fatal = True
            return result
        if looks_binary(sample):
            result.errors.append(
                located(
                    NotTextError,
                    1,
                    "the file is binary data, not CSV text (its first bytes are mostly "
                    "control characters)",
                    "export the table as CSV (UTF-8) and give that file",
                )
            )
            result.fatal = True
            return result
        scan_path = path
    else:
        # UTF-16 or UTF-32 declared: lines, cells and columns are counted on a UTF-8 copy.
        return scan_transcoded(path, limits, declared, delimiter, quote, header, names)
    scan = RawScan(scan_path, limits, declared, delimiter, quote, header, names or [])
    return scan.run()


def scan_transcoded(
    path: str,
    limits: Limits,
    encoding: str,
    delimiter: str,
    quote: str,
    header: bool,
    names: list[str] | None,
) -> RawCheck:
    """The scan of a file in a Unicode encoding that is not ASCII-compatible (UTF-16,
    UTF-32), through a temporary UTF-8 copy written block by block (bounded memory)."""
    import tempfile

    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    handle, copy = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as target, open(path, "rb") as stream:
            offset, lines = 0, 1
            while True:
                data = stream.read(BLOCK_BYTES)
                final = len(data) < BLOCK_BYTES
                try:
                    text = decoder.decode(data, final=final)
                except UnicodeDecodeError as problem:
                    bad = problem.object[problem.start : problem.end][:4]
                    shown = " ".join(f"0x{byte:02X}" for byte in bad)
                    error = located(
                        LocatedEncodingError,
                        lines,
                        f'the text after line {lines:,} cannot be read as "{encoding}": '
                        f"byte {shown} near byte offset {offset + problem.start:,} of the file",
                        "save the file as UTF-8",
                    )
                    return RawCheck([error], fatal=True)
                lines += text.count("\n")
                target.write(text.encode("utf-8"))
                offset += len(data)
                if final:
                    break
        return RawScan(copy, limits, None, delimiter, quote, header, names or []).run()
    finally:
        os.unlink(copy)


def check_resource(resource: Any, limits: Limits) -> RawCheck:
    """The raw checks of a Frictionless resource whose data is a local CSV or TSV file
    (nothing for other resources)."""
    from frictionless.formats.csv.control import CsvControl

    if resource.data is not None or not isinstance(resource.path, str):
        return RawCheck()
    if resource.format not in ("csv", "tsv") or resource.compression or resource.innerpath:
        return RawCheck()
    if getattr(resource, "remote", False):
        return RawCheck()
    path = resource.normpath
    if not path or not os.path.isfile(path):
        return RawCheck()
    try:
        control = CsvControl.from_dialect(resource.dialect)
        delimiter = control.get_defined("delimiter")
        quote = control.quote_char or '"'
        header = bool(resource.dialect.header)
    except Exception:  # a dialect Frictionless will report as invalid
        return RawCheck()
    if not delimiter:
        delimiter = "\t" if resource.format == "tsv" else sniffed_delimiter(path)
    names = []
    if resource.schema is not None:
        names = list(resource.schema.field_names)
    elif header:
        names = header_names(path, delimiter, quote, resource.encoding)
    return scan_file(path, limits, resource.encoding, delimiter, quote, header, names)


def sniffed_delimiter(path: str) -> str:
    """The most frequent candidate delimiter of the first line (read bounded), for files
    whose delimiter Frictionless will sniff."""
    with open(path, "rb") as stream:
        head = stream.read(64 * 1024)
    line = head.split(b"\n", 1)[0]
    counts = {d: line.count(d.encode()) for d in hints.CANDIDATE_DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# ----------------------------------------------------------------------------- parsed cells


@attrs.define(kw_only=True, repr=False)
class CellSize(Check):
    """Cells longer than ``max_bytes`` (UTF-8) once parsed: a quoted cell may hold
    delimiters and line breaks, which the raw scan cannot see through."""

    type = "cell-size"
    Errors: ClassVar = [CellTooLargeError]

    max_bytes: int = MIB

    def validate_row(self, row: Any) -> Iterable[errors.Error]:
        limit = self.max_bytes
        names = row.field_names
        for number, cell in enumerate(row.cells, start=1):
            # A character is at most 4 bytes: most cells are ruled out without encoding.
            if isinstance(cell, str) and len(cell) * 4 > limit and len(cell.encode()) > limit:
                name = names[number - 1] if number <= len(names) else ""
                where = f"row {row.row_number:,}, field {number}" + (f' ("{name}")' if name else "")
                error = CellTooLargeError(
                    note="publish long texts as documents and link them",
                    cells=[],
                    row_number=row.row_number,
                    cell=cell[:40],
                    field_name=name,
                    field_number=number,
                )
                error.message = (
                    f"{where}: a cell of {len(cell.encode()):,} bytes; the limit is "
                    f"{limit:,} bytes (MOLDIR['max_cell_bytes'])"
                )
                yield error


def not_listed(row: int, counts: dict[str, int], complete: bool) -> errors.RowError:
    """The entry that ends a report cut by the error limit: how many errors of which
    types were found but not listed (``complete``: every row was counted)."""
    total = sum(counts.values())
    kinds = ", ".join(
        f"{count:,} {kind}" for kind, count in sorted(counts.items(), key=lambda i: -i[1])
    )
    amount = f"{total:,}" if complete else f"at least {total:,}"
    message = (
        f"… and {amount} more error{'s' if total != 1 else ''} not listed"
        + (f" ({kinds})" if kinds else "")
        + ": the error limit stopped the listing here"
    )
    if not complete:
        message += "; counting stopped before the end of the file"
    return located(ErrorsNotListed, row, message, kinds)
