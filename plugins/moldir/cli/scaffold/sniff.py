"""How an editor's export is written: its encoding and its delimiter, each with the evidence.

Spreadsheets in Kazakhstan save CSV as Windows-1251 with ";" between cells and decimal
commas; a header such as "Из них в срок, %" holds a comma inside quotes. Frictionless's
sniffer looks at a sample and can take the commas of the numbers for the delimiter, so the
delimiter is chosen here by counting the columns of the header and of the data lines for
each candidate, and the counts are printed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from moldir.cli.scaffold.notes import count_range, delimiter_name, plural, quoted

# Encodings tried when the bytes are not UTF-8, most common first (ties go to the first).
LEGACY_ENCODINGS = ("cp1251", "kz1048", "koi8_r", "cp866")
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "cp1251": "Windows-1251",
    "kz1048": "KZ-1048, Windows Kazakh",
    "koi8_r": "KOI8-R",
    "cp866": "DOS 866",
}
# Letters of Ukrainian, Belarusian or Serbian: Kazakh text saved as KZ-1048 reads as these
# in Windows-1251 (Ә as Ј, Қ as Ќ, Ү as Ї …), and they do not occur in Kazakhstan's data.
FOREIGN_CYRILLIC = set("ЂЃЄЅЇЈЉЊЋЌЎЏђѓєѕїјљњћќўџҐґ")
# Non-ASCII characters that are not letters but are common in real exports.
NEUTRAL = set("\u00a0\u202f№«»–—…‘’“”°±•€")
DELIMITERS = (";", ",", "\t", "|")
SAMPLE_LINES = 20


@dataclass(frozen=True)
class Guess:
    """A decision of the scaffold and the evidence for it, as printed."""

    value: str
    evidence: str


def word_score(text: str) -> float:
    """The share of non-ASCII characters that are letters of well-formed words.

    A wrong 8-bit encoding turns Cyrillic into box-drawing signs (DOS 866), words of mixed
    case ("юЙХЛЮР", KOI8-R) or Serbian letters (KZ-1048 read as Windows-1251).
    """
    foreign = sum(1 for char in text if char in FOREIGN_CYRILLIC)
    counted = sum(1 for char in text if ord(char) > 127 and char not in NEUTRAL)
    if not counted:
        return 1.0
    good = 0
    for word in re.findall(r"[^\W\d_]+", text):
        if all(ord(char) < 128 for char in word):
            continue
        tail = word[1:]
        if word.islower() or tail.islower() or (word.isupper() and len(word) <= 5):
            good += sum(1 for char in word if ord(char) > 127)
    return (good - 2 * foreign) / counted


def cyrillic_words(text: str, count: int = 3) -> list[str]:
    words = []
    for word in re.findall(r"[^\W\d_]{3,}", text):
        if any(ord(char) > 127 for char in word) and word not in words:
            words.append(word)
        if len(words) == count:
            break
    return words


def detect_encoding(data: bytes) -> Guess:
    """The encoding of a file and why: UTF-8 when it decodes, else the legacy encoding in
    which the bytes read as words."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            data[3:].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Guess(
                "utf-8-sig",
                'the file starts with a UTF-8 byte-order mark (Excel\'s "CSV UTF-8") and the '
                "rest is valid UTF-8",
            )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        bad = problem.start
    else:
        if text.isascii():
            return Guess("utf-8", "the file has only ASCII characters (any encoding reads them)")
        words = ", ".join(quoted(w) for w in cyrillic_words(text))
        return Guess("utf-8", f"every byte sequence is valid UTF-8 ({words} …)")
    line = data[:bad].count(b"\n") + 1
    scored = []
    for encoding in LEGACY_ENCODINGS:
        try:
            decoded = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((word_score(decoded), -LEGACY_ENCODINGS.index(encoding), encoding, decoded))
    if not scored:  # cp1251 and KZ-1048 lack a few bytes; latin-1 has them all
        return Guess(
            "latin-1",
            f"the bytes are not UTF-8 (byte 0x{data[bad]:02X} on line {line}) and no Cyrillic "
            "encoding reads them",
        )
    score, _, encoding, decoded = max(scored)
    words = ", ".join(quoted(w) for w in cyrillic_words(decoded))
    evidence = (
        f"the bytes are not UTF-8 (byte 0x{data[bad]:02X} on line {line}); read as "
        f"{ENCODING_NAMES[encoding]} they are Cyrillic words: {words}"
    )
    if score < 0.9:
        evidence += f" (only {score:.0%} of the letters form words: check them)"
    return Guess(encoding, evidence)


def lost_letters(text: str) -> list[str]:
    """Words where "?" stands for a letter: Kazakh letters lost when a file was saved in an
    encoding without them (Windows-1251 has no ә ғ қ ң ө ұ ү һ)."""
    return re.findall(r"\w*[А-Яа-яЁё]\?+\w*|\?+[А-Яа-яЁё]\w*", text)[:3]


def read_rows(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    """The records of a CSV text (a quoted cell may hold the delimiter or a line break)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for row in reader:
        rows.append(row)
        if limit is not None and len(rows) > limit:
            break
    return rows


@dataclass(frozen=True)
class Split:
    """How one candidate delimiter splits the header and the first data lines."""

    delimiter: str
    header: int
    data: list[int]

    @property
    def data_columns(self) -> int:
        """The most common column count of the data lines."""
        return max(set(self.data), key=self.data.count) if self.data else self.header

    @property
    def consistent(self) -> bool:
        return len(set(self.data)) <= 1

    def rank(self) -> tuple:
        agrees = self.consistent and self.header == self.data_columns
        return (agrees and self.header > 1, self.consistent and self.data_columns > 1,
                self.data_columns, -DELIMITERS.index(self.delimiter))  # fmt: skip

    def describe(self) -> str:
        lines = len(self.data)
        data = f"the first {lines} data lines" if lines > 1 else "the data line"
        if not lines:
            return f"the header has {plural(self.header, 'column')} (no data lines)"
        return f"the header has {plural(self.header, 'column')} and {data} {count_range(self.data)}"


@dataclass(frozen=True)
class DelimiterGuess:
    delimiter: str
    evidence: str
    # Set when the header and the data lines disagree about the delimiter: the scaffold
    # stops, since any schema written from such a header would be wrong.
    disagreement: str | None
    warnings: list[str]


def detect_delimiter(text: str) -> DelimiterGuess:
    """The delimiter that splits the header and the first data lines into the same number
    of columns, with those counts and what the other candidates would give."""
    splits = []
    for delimiter in DELIMITERS:
        rows = [row for row in read_rows(text, delimiter, SAMPLE_LINES) if row]
        if not rows:
            continue
        splits.append(Split(delimiter, len(rows[0]), [len(row) for row in rows[1:]]))
    if not splits:
        return DelimiterGuess(",", "the file is empty", None, [])
    splits.sort(key=Split.rank, reverse=True)
    best = splits[0]
    warnings: list[str] = []
    others = [
        f"{delimiter_name(s.delimiter)} would give {s.header} in the header and "
        f"{count_range(s.data)} in the data lines"
        for s in splits[1:]
        if s.header > 1 or any(count > 1 for count in s.data)
    ]
    if best.header == 1 and best.data_columns == 1:
        return DelimiterGuess(
            ",", "no candidate (; , tab |) splits the lines: the file has one column", None, []
        )
    evidence = f"{delimiter_name(best.delimiter)}: {best.describe()}"
    if others:
        evidence += "; " + "; ".join(others)
    idle = [delimiter_name(d) for d in DELIMITERS if d not in {s.delimiter for s in splits[:1]}
            and not any(s.delimiter == d and (s.header > 1 or any(c > 1 for c in s.data))
                        for s in splits)]  # fmt: skip
    if idle:
        evidence += f" ({' and '.join(idle)} split no line)"
    disagreement = None
    if best.header != best.data_columns:
        header_splits = [
            s for s in splits if s.header == best.data_columns and s.delimiter != best.delimiter
        ]
        if header_splits:
            disagreement = (
                f"the header and the data lines disagree about the delimiter: the data lines "
                f"split on {delimiter_name(best.delimiter)} into {best.data_columns} columns, "
                f"the header into {best.header} on {delimiter_name(best.delimiter)} but "
                f"{header_splits[0].header} on {delimiter_name(header_splits[0].delimiter)}. "
                f"Write the header with {delimiter_name(best.delimiter)} between the names too"
            )
        else:
            warnings.append(
                f"the header has {best.header} columns but the data lines "
                f"{best.data_columns}: validation will report the difference; check the "
                "header row"
            )
    if not best.consistent:
        warnings.append(
            f"the data lines do not all have the same number of columns "
            f"({count_range(best.data)} with {delimiter_name(best.delimiter)})"
        )
    # Two delimiters that split every line alike into as many columns: the choice is a
    # coin toss, said as such. (With fewer columns, e.g. "," inside "42,7", the counts
    # printed above are the reason.)
    tied = [s for s in splits[1:] if s.rank()[:3] == best.rank()[:3]]
    if best.rank()[0] and tied:
        warnings.append(
            f"{delimiter_name(tied[0].delimiter)} also splits every line into "
            f"{tied[0].header} columns: check the columns below"
        )
    return DelimiterGuess(best.delimiter, evidence, disagreement, warnings)
