"""Reading an editor's export: how it is written and what each column holds, said aloud."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from moldir.cli.scaffold.columns import (
    GROUP_CHARS,
    Column,
    file_decimal_hint,
    text_cells,
    type_column,
)
from moldir.cli.scaffold.names import LANGUAGE_NAMES, has_cyrillic, language_of
from moldir.cli.scaffold.notes import Notes, ScaffoldError, quoted
from moldir.cli.scaffold.sniff import (
    ENCODING_NAMES,
    detect_delimiter,
    detect_encoding,
    lost_letters,
    read_rows,
)

FIRST_ROW = 2  # the first data row; the header is row 1, as validation counts


@dataclass
class Export:
    """An editor's CSV as the scaffold read it."""

    source: Path
    encoding: str
    delimiter: str
    text: str
    header: list[str]
    columns: list[Column]
    blank_rows: list[int]
    language: str | None  # of the cells: the descriptor's "language"
    language_evidence: str

    @property
    def rows(self) -> int:
        return len(self.columns[0].values) if self.columns else 0

    def header_language(self) -> tuple[str | None, str]:
        return language_of([h for h in self.header if has_cyrillic(h)])

    def say_blank_rows(self, notes: Notes) -> None:
        """Empty rows (Excel leaves ";;;;" lines) are blank-row errors when published."""
        if self.blank_rows:
            many = len(self.blank_rows) > 1
            notes.warn(
                f"row{'s' if many else ''} {', '.join(map(str, self.blank_rows[:5]))} "
                f"{'are' if many else 'is'} empty (only delimiters): validation reports "
                "blank rows; delete them"
            )


def read_export(source: Path, notes: Notes) -> Export:
    """Read ``source`` and say how: encoding, delimiter, numbers, the cells' language."""
    data = source.read_bytes()
    notes.say(f"Reading {source.name} ({len(data):,} bytes)")
    encoding = detect_encoding(data)
    name = ENCODING_NAMES.get(encoding.value, encoding.value)
    notes.say(f"encoding {encoding.value} ({name}): {encoding.evidence}", 1)
    text = data.decode(encoding.value)
    lost = lost_letters(text)
    if lost:
        notes.warn(
            f'"?" stands for a letter in {quoted(lost[0])}: letters the encoding cannot hold '
            "(the Kazakh ә ғ қ ң ө ұ ү һ in Windows-1251) were lost when the file was saved; "
            'save it again as "CSV UTF-8" and run moldir new again'
        )
    guess = detect_delimiter(text)
    notes.say(f"delimiter {guess.evidence}", 1)
    for warning in guess.warnings:
        notes.warn(warning)
    if guess.disagreement:
        notes.warn(guess.disagreement)
        raise ScaffoldError(
            "nothing was written: fix the header row, then run moldir new again", notes
        )
    records = read_rows(text, guess.delimiter)
    if not records:
        raise ScaffoldError(f"{source.name} is empty: the first row must be the header", notes)
    header = records[0]
    width = len(header)
    body = [row + [""] * (width - len(row)) for row in records[1:]]
    if not body:
        raise ScaffoldError(f"{source.name} has a header but no data rows", notes)
    blank = [FIRST_ROW + i for i, row in enumerate(body) if not any(c.strip() for c in row)]
    columns = [
        Column(position, label, [row[position - 1] for row in body])
        for position, label in enumerate(header, start=1)
    ]
    inferred = frictionless_types(source, encoding.value, guess.delimiter, width)
    hint = file_decimal_hint([c.values for c in columns])
    for column, type_ in zip(columns, inferred, strict=True):
        type_column(column, type_, hint, FIRST_ROW)
    say_numbers(columns, notes)
    language, why = language_of(text_cells(columns))
    return Export(
        source, encoding.value, guess.delimiter, text, header, columns, blank, language, why
    )


def frictionless_types(source: Path, encoding: str, delimiter: str, width: int) -> list[str]:
    """Frictionless's type for each column, reading the file as the scaffold does."""
    import frictionless
    from frictionless.formats import CsvControl

    resource = frictionless.Resource(
        path=source.name,
        basepath=str(source.parent),
        encoding=encoding,
        dialect=frictionless.Dialect(controls=[CsvControl(delimiter=delimiter)]),
    )
    try:
        resource.infer(stats=False)
    except frictionless.FrictionlessException:
        return ["string"] * width
    types = [f.type for f in resource.schema.fields]
    return (types + ["string"] * width)[:width]


def say_numbers(columns: list[Column], notes: Notes) -> None:
    """One line on how the file writes numbers: its decimal and group characters."""
    decimals = [c for c in columns if c.number and c.number.decimal]
    groups = [c for c in columns if c.number and c.number.group]
    if not decimals and not groups:
        whole = [c for c in columns if c.number]
        if whole:
            notes.say(f"numbers: whole, no group characters, e.g. {whole[0].example()}", 1)
        return
    parts = []
    if decimals:
        char = decimals[0].number.decimal  # type: ignore[union-attr]
        example = next(v for v in decimals[0].filled if char in v)
        parts.append(f"decimal {'comma' if char == ',' else 'point'} ({quoted(example)})")
    if groups:
        char = groups[0].number.group  # type: ignore[union-attr]
        example = next(v for v in groups[0].filled if char in v)
        parts.append(
            f"thousands apart by {GROUP_CHARS.get(char, quoted(char))} ({quoted(example)})"
        )
    notes.say(f"numbers: {'; '.join(parts)}", 1)


def say_language(export: Export, notes: Notes) -> None:
    if export.language:
        notes.say(
            f"cells: {LANGUAGE_NAMES[export.language]} ({export.language_evidence}): "
            f'"language": "{export.language}"',
            1,
        )
    else:
        notes.say('cells: no words to tell the language by: "language" is left "en"', 1)
