"""Hints: which delimiter or encoding a data file most likely uses, when the evidence is clear.

Spreadsheets in Kazakhstan and Russia often export ``;``-separated files in Windows-1251
(or KZ-1048, which adds the Kazakh letters), while a descriptor that declares nothing means
``,`` and UTF-8. When a file does not read as declared, the editor is told what to declare
instead. Every guess here reads a bounded sample of the file (``SAMPLE_BYTES``), never the
whole of it, and is only offered when the evidence is clear (docs/security.md, "Encodings").
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from moldir.model.errors import DialectError
from moldir.model.report import ValidationError
from moldir.pipeline.discover import display_path, find_descriptor, line_of

SAMPLE_BYTES = 64 * 1024
SAMPLE_LINES = 20
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
# Errors whose cause may be a file split on the wrong delimiter: the hint goes on the first.
LABEL_ERRORS = frozenset(
    {
        "blank-label",
        "duplicate-label",
        "missing-label",
        "extra-label",
        "incorrect-label",
        "blank-header",
    }
)
STRUCTURE_ERRORS = LABEL_ERRORS | {"extra-cell", "missing-cell"}
# Bytes that KZ-1048 reads as Kazakh letters (Қ қ Һ һ Ә ә Ң ң) and Windows-1251 as letters
# of other languages (Ќ ќ Ћ ћ Ј ј Ѕ ѕ) that Kazakh and Russian text never has.
KAZAKH_BYTES = frozenset({0x8D, 0x8E, 0x9D, 0x9E, 0xA3, 0xBC, 0xBD, 0xBE})
# Letters a UTF-8 multi-byte sequence must decode to before a file declared in a single-byte
# encoding is called UTF-8: Latin with diacritics, Greek, Cyrillic (Kazakh included).
_LETTER_RANGES = ((0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x052F))


def shown_delimiter(delimiter: str) -> str:
    return "\\t" if delimiter == "\t" else delimiter


# ----------------------------------------------------------------------------- delimiters


@dataclass(frozen=True)
class DelimiterEvidence:
    """A delimiter that splits the header and the first data lines consistently."""

    delimiter: str
    columns: int  # columns every sampled line has with ``delimiter``
    declared: str
    declared_columns: tuple[int, ...]  # columns of each sampled line with the declared one
    lines: int  # lines sampled (header included)

    @property
    def strong(self) -> bool:
        """The header and the data lines all split into more columns on ``delimiter``
        than any of them does on the declared one: the file is evidently split on
        ``delimiter`` (an error even when nothing else fails, e.g. a ``;`` file read as
        one column, or as two when a quoted label holds a comma)."""
        return self.lines >= 2 and self.columns > max(self.declared_columns)

    def hint(self, resource: str | None) -> str:
        shown = shown_delimiter(self.delimiter)
        on = f' on resource "{resource}"' if resource else ""
        return (
            f'the file looks "{shown}"-separated (its header and next '
            f"{plural(self.lines - 1, 'line')} all have {self.columns} columns split on "
            f'"{shown}"): declare "dialect": {{"delimiter": "{shown}"}}{on}'
        )


def sample_text(path: Path, encoding: str | None) -> tuple[str, bool]:
    """The first ``SAMPLE_BYTES`` of a file as text (undecodable bytes replaced) and whether
    the whole file was read."""
    try:
        with path.open("rb") as handle:
            data = handle.read(SAMPLE_BYTES + 1)
    except OSError:
        return "", True
    complete = len(data) <= SAMPLE_BYTES
    data = data[:SAMPLE_BYTES]
    try:
        codecs.lookup(encoding or "utf-8")
    except LookupError:
        encoding = "utf-8"
    text = data.decode(encoding or "utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, complete


def sample_rows(
    text: str, complete: bool, delimiter: str, quote: str = '"', comment: str | None = None
) -> list[int]:
    """How many cells each of the first lines of ``text`` has when split on ``delimiter``
    (quotes respected, as Python's csv module and Frictionless read them)."""
    lines = text.splitlines(keepends=True)
    if not complete and lines:
        lines = lines[:-1]  # cut in the middle by the sample
    lines = [line for line in lines if line.strip() and not (comment and line.startswith(comment))]
    widths = []
    try:
        reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter, quotechar=quote)
        for row in reader:
            if not row or all(not cell.strip() for cell in row):
                continue
            widths.append(len(row))
            if len(widths) >= SAMPLE_LINES:
                break
    except csv.Error:
        return widths
    return widths


def likely_delimiter(
    path: Path,
    declared: str,
    encoding: str | None = None,
    quote: str = '"',
    comment: str | None = None,
) -> DelimiterEvidence | None:
    """Another delimiter than ``declared`` when the header and the first data lines all
    split into the same number (at least 2) of columns on it, and into fewer or uneven
    columns on the declared one. A comma inside a quoted ``;``-separated label
    ("Из них в срок, %") is read as part of the label, as a CSV reader would."""
    text, complete = sample_text(path, encoding)
    if not text:
        return None
    declared_widths = sample_rows(text, complete, declared, quote, comment)
    if not declared_widths:
        return None
    declared_even = len(set(declared_widths)) == 1
    best: DelimiterEvidence | None = None
    for delimiter in CANDIDATE_DELIMITERS:
        if delimiter == declared:
            continue
        widths = sample_rows(text, complete, delimiter, quote, comment)
        if not widths or len(set(widths)) != 1 or widths[0] < 2:
            continue
        if len(widths) != len(declared_widths):
            continue  # quotes read differently: no clear evidence either way
        if declared_even and declared_widths[0] >= widths[0]:
            continue
        if best is None or widths[0] > best.columns:
            best = DelimiterEvidence(
                delimiter, widths[0], declared, tuple(declared_widths), len(widths)
            )
    return best


def resource_of(descriptor: dict[str, Any], name: str | None) -> dict[str, Any]:
    """The resource an error names (``x-moldir-name`` is the name the editor wrote)."""
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict) and name in (
            resource.get("x-moldir-name"),
            resource.get("name"),
        ):
            return resource
    return {}


def declared_dialect(resource: dict[str, Any]) -> tuple[str, str, str | None]:
    """(delimiter, quote char, comment char) a resource declares, CSV defaults otherwise."""
    dialect = resource.get("dialect")
    dialect = dialect if isinstance(dialect, dict) else {}
    csv_options = dialect.get("csv") if isinstance(dialect.get("csv"), dict) else {}
    path = str(resource.get("path", ""))
    default = "\t" if path.lower().endswith(".tsv") or resource.get("format") == "tsv" else ","
    delimiter = dialect.get("delimiter", csv_options.get("delimiter", default))
    quote = dialect.get("quoteChar", csv_options.get("quoteChar", '"'))
    comment = dialect.get("commentChar")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        delimiter = default
    if not isinstance(quote, str) or len(quote) != 1:
        quote = '"'
    return delimiter, quote, comment if isinstance(comment, str) and comment else None


def is_text_table(resource: dict[str, Any]) -> bool:
    """A local CSV or TSV file (the only files whose delimiter can be wrong)."""
    path = resource.get("path")
    if not isinstance(path, str) or not path:
        return False
    fmt = str(resource.get("format") or "").lower()
    if fmt:
        return fmt in ("csv", "tsv")
    return path.lower().endswith((".csv", ".tsv", ".txt"))


def add_dialect_hints(
    found: list[ValidationError],
    folder: Path,
    descriptor: dict[str, Any],
    slug: str | None = None,
    display_root: Path | None = None,
) -> list[ValidationError]:
    """``found`` with the delimiter hints of every CSV resource of ``descriptor``.

    The first structure error (labels, missing or extra cells) of a resource whose lines
    split evenly on another delimiter gets the hint as its note. A resource read as one
    column although every sampled line splits into two or more on another delimiter (no
    schema, or a schema of one field: Frictionless then passes the file silently) gets a
    ``dialect-error`` of its own, on the data file as the report shows it (relative to
    ``display_root``).
    """
    result = locate_dialect_errors(list(found), folder, descriptor)
    hinted: set[str] = set()
    evidence_of: dict[str, DelimiterEvidence | None] = {}

    def evidence(name: str | None) -> DelimiterEvidence | None:
        if name not in evidence_of:
            resource = resource_of(descriptor, name)
            found_evidence = None
            if is_text_table(resource):
                delimiter, quote, comment = declared_dialect(resource)
                encoding = resource.get("encoding")
                found_evidence = likely_delimiter(
                    folder / resource["path"],
                    delimiter,
                    encoding if isinstance(encoding, str) else None,
                    quote,
                    comment,
                )
            evidence_of[name] = found_evidence
        return evidence_of[name]

    for index, error in enumerate(result):
        if error.type not in STRUCTURE_ERRORS or not error.resource or error.resource in hinted:
            continue
        found_evidence = evidence(error.resource)
        if found_evidence is not None:
            hinted.add(error.resource)
            result[index] = replace(error, note=found_evidence.hint(error.resource))
    # Files that read "validly" as one column.
    fatal = {
        error.resource
        for error in result
        if error.type in ("encoding-error", "format-error") or error.type.startswith("too-many")
    }
    for resource in descriptor.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        name = resource.get("x-moldir-name", resource.get("name"))
        if not isinstance(name, str) or name in hinted or name in fatal:
            continue
        found_evidence = evidence(name)
        if found_evidence is None or not found_evidence.strong:
            continue
        shown = shown_delimiter(found_evidence.delimiter)
        declared = shown_delimiter(found_evidence.declared)
        file = display_path(folder / resource["path"], display_root)
        result.append(
            DialectError.error(
                slug or "",
                file=file,
                resource=name,
                line=1,
                note=found_evidence.hint(name),
                details=(
                    f"the file is read as {columns_read(found_evidence)}, but its header and "
                    f"next {plural(found_evidence.lines - 1, 'line')} all split into "
                    f'{found_evidence.columns} columns on "{shown}" (the delimiter declared '
                    f'or assumed is "{declared}")'
                ),
            )
        )
    return result


# Python's csv module refuses a dialect with these words; the descriptor names them so.
_CSV_OPTIONS = {
    "delimiter": "delimiter",
    "quotechar": "quoteChar",
    "escapechar": "escapeChar",
    "lineterminator": "lineTerminator",
}
_CSV_OPTION_PROBLEM = re.compile(r'"?(delimiter|quotechar|escapechar|lineterminator)"? must be')


def locate_dialect_errors(
    found: list[ValidationError], folder: Path, descriptor: dict[str, Any]
) -> list[ValidationError]:
    """Frictionless reports a dialect the CSV reader refuses (a two-character delimiter, an
    empty quote character) as a ``source-error`` of the data source, without a place: it
    becomes a ``dialect-error`` on the line of the descriptor that declares the option."""
    result = []
    text = None
    for error in found:
        match = _CSV_OPTION_PROBLEM.search(error.message)
        if error.type in ("source-error", DialectError.code) and error.resource and match:
            option = _CSV_OPTIONS[match.group(1)]
            resource = resource_of(descriptor, error.resource)
            dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
            value = dialect.get(option, (dialect.get("csv") or {}).get(option))
            if text is None:
                path = find_descriptor(folder)
                text = path.read_text(encoding="utf-8", errors="replace") if path else ""
            line = line_of(text, f'"{option}"') or line_of(text, f"{option}:")
            shown = json.dumps(value, ensure_ascii=False) if value is not None else "nothing"
            error = replace(
                error,
                type=DialectError.code,
                message=(
                    f'resource "{error.resource}": the dialect\'s "{option}" must be one '
                    f"character ({shown} is given)"
                ),
                line=line or error.line,
                note='e.g. "dialect": {"delimiter": ";", "quoteChar": "\\""}',
            )
        result.append(error)
    return result


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def columns_read(evidence: DelimiterEvidence) -> str:
    """How many columns the declared delimiter gives the sampled lines, in words."""
    widths = sorted(set(evidence.declared_columns))
    if widths == [1]:
        return "one column"
    if len(widths) == 1:
        return f"{widths[0]} columns"
    return f"{widths[0]} to {widths[-1]} columns"


# ----------------------------------------------------------------------------- encodings


@dataclass(frozen=True)
class EncodingGuess:
    """An encoding the bytes fit, with how a piece of the file reads in it."""

    encoding: str  # the name to declare
    label: str  # what to call it in a sentence
    reading: str = ""  # a short piece of the file as this encoding reads it

    def hint(self) -> str:
        shown = f', in which it reads "{self.reading}"' if self.reading else ""
        return f'the file looks like {self.label}{shown}; declare "encoding": "{self.encoding}"'


def normal_encoding(name: str | None) -> str | None:
    """Python's canonical name of an encoding ("UTF8" → "utf-8"), None if unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def is_unicode(encoding: str | None) -> bool:
    return bool(encoding) and encoding.replace("_", "-").startswith(("utf-8", "utf-16", "utf-32"))


def ascii_compatible(encoding: str) -> bool:
    """Whether ASCII text (newlines, delimiters, quotes) has the same bytes in ``encoding``."""
    probe = 'a,;\t|"\r\n0'
    try:
        return probe.encode(encoding) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" for UTF-16 text without a byte-order mark: every other byte
    is the high byte of a Latin (0x00) or Cyrillic (0x04) character, the others vary."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]

    def high(part: bytes) -> float:
        return (part.count(0) + part.count(4)) / len(part)

    if high(odd) >= 0.9 and high(even) < 0.5:
        encoding = "utf-16-le"
    elif high(even) >= 0.9 and high(odd) < 0.5:
        encoding = "utf-16-be"
    else:
        return None
    try:
        sample[: len(sample) // 2 * 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


def bom_encoding(sample: bytes) -> str | None:
    """The Unicode encoding a byte-order mark at the start names."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if sample.startswith(bom):
            return name
    return None


def excerpt(text: str, width: int = 40) -> str:
    """A short, one-line piece of text around its first non-ASCII character."""
    match = re.search(r"[^\x00-\x7f]", text)
    start = max(0, (match.start() if match else 0) - 10)
    piece = re.sub(r"\s+", " ", text[start : start + width]).strip()
    return piece.replace('"', "'")


def utf8_letters(text: str) -> bool:
    """Whether ``text`` has a non-ASCII letter of the Latin, Greek or Cyrillic scripts."""
    return any(
        char.isalpha() and any(low <= ord(char) <= high for low, high in _LETTER_RANGES)
        for char in text
        if ord(char) > 0x7F
    )


def reads_as_utf8(sample: bytes) -> str | None:
    """The sample decoded as UTF-8 when it is UTF-8 with multi-byte letters (a sequence cut
    at the end of the sample is allowed), else None."""
    for cut in range(0, 4):
        try:
            text = sample[: len(sample) - cut].decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(sample) - 4:
                return None
            continue
        return text if utf8_letters(text) else None
    return None


def guess_encoding(sample: bytes) -> EncodingGuess | None:
    """The encoding a sample of a file most likely is in, or None when unclear.

    Unicode is recognised by its byte-order mark, by NUL bytes every other byte (UTF-16)
    or by decoding as UTF-8 with multi-byte letters. Single-byte encodings are told apart
    by where their letters are: Cyrillic text is words of bytes above 0x7F, lowercase in
    0xE0-0xFF in Windows-1251 (KZ-1048 when the Kazakh letters' bytes occur), 0xC0-0xDF in
    KOI8-R, 0xA0-0xAF in CP866; Western text has single accented bytes among ASCII letters.
    """
    bom = bom_encoding(sample)
    if bom:
        labels = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}
        return EncodingGuess(bom, f"{labels[bom]} (it starts with a byte-order mark)")
    utf16 = utf16_without_bom(sample[:4096])
    if utf16:
        return EncodingGuess("utf-16", "UTF-16 (every other byte is zero)")
    text = reads_as_utf8(sample)
    if text is not None:
        return EncodingGuess("utf-8", "UTF-8", excerpt(text))
    high = [byte for byte in sample if byte >= 0x80]
    if not high:
        return None
    # Words of high bytes (Cyrillic) or single high bytes among ASCII (Western).
    paired = sum(
        1
        for index, byte in enumerate(sample)
        if byte >= 0x80
        and (
            (index > 0 and sample[index - 1] >= 0x80)
            or (index + 1 < len(sample) and sample[index + 1] >= 0x80)
        )
    )
    if paired >= 0.5 * len(high):
        e0ff = sum(1 for byte in high if byte >= 0xE0)
        c0df = sum(1 for byte in high if 0xC0 <= byte < 0xE0)
        dos = sum(1 for byte in high if 0x80 <= byte < 0xB0)
        if e0ff >= c0df and e0ff >= dos:
            if KAZAKH_BYTES.intersection(high):
                encoding, label = "kz1048", "KZ-1048 (Kazakh Windows)"
            else:
                encoding, label = "cp1251", "Windows-1251 (Cyrillic)"
        elif c0df >= dos:
            encoding, label = "koi8-r", "KOI8-R (Cyrillic)"
        else:
            encoding, label = "cp866", "CP866 (Cyrillic DOS)"
        # Most of those bytes must then be letters, or this is no Cyrillic text.
        letters = bytes(high).decode(encoding, errors="replace")
        if sum(1 for char in letters if "\u0400" <= char <= "\u04ff") < 0.7 * len(letters):
            return None
    elif any(0x80 <= byte < 0xA0 for byte in high):
        encoding, label = "cp1252", "Windows-1252 (Western European)"
        try:
            bytes(high).decode(encoding)
        except UnicodeDecodeError:
            return None  # bytes Windows-1252 does not have
    else:
        encoding, label = "latin-1", "Latin-1 (ISO-8859-1, Western European)"
    reading = sample.decode(encoding, errors="replace")
    return EncodingGuess(encoding, label, excerpt(reading))


def mismatch_hint(sample: bytes, declared: str) -> str:
    """What to say when a file declared in a single-byte encoding is evidently UTF-8."""
    text = reads_as_utf8(sample) or sample.decode("utf-8", errors="replace")
    declared_reading = sample.decode(declared, errors="replace")
    return (
        f'the file reads as UTF-8 ("{excerpt(text)}"), while "{declared}" would publish '
        f'"{excerpt(declared_reading)}"; declare "encoding": "utf-8"'
    )


def undecodable_hint(sample: bytes, declared: str) -> str:
    """What to say when a file does not decode in the declared encoding."""
    guess = guess_encoding(sample)
    if guess is None or normal_encoding(guess.encoding) == normal_encoding(declared):
        return (
            f'the file is not "{declared}" text; save it as UTF-8, or declare the encoding '
            f'it is in ("encoding": "cp1251" for Windows Cyrillic)'
        )
    return guess.hint() + " (or save the file as UTF-8)"
