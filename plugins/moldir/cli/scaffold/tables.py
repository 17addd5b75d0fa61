"""The table of a new dataset: the editor's file with Latin names, the file rewritten in a
kind's columns, or a wide appeal table in the kind's long form; and its resource."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moldir.cli.scaffold import reshape
from moldir.cli.scaffold.columns import DASHES, Column, parse_number
from moldir.cli.scaffold.export import Export
from moldir.cli.scaffold.matching import Match, match_columns
from moldir.cli.scaffold.names import (
    LANGUAGE_NAMES,
    NAME_PATTERN,
    has_cyrillic,
    latin_name,
    unique_names,
)
from moldir.cli.scaffold.notes import Notes, ScaffoldError, plural, quoted
from moldir.model.safety import safe_name
from moldir.pipeline.discover import TODO_MARK


@dataclass(frozen=True)
class Options:
    """The editor's choices on the command line (None: decided from the file, and said)."""

    names: list[str] | None = None
    reshape: str | None = None
    year: int | None = None
    measure: str | None = None
    channel: str | None = None
    # The project's topics (MOLDIR["topics"] of its pelicanconf.py); None: the defaults.
    topics: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    """The resource written, and what it tells of the dataset (the period it covers)."""

    resource: dict[str, Any]
    temporal: dict[str, str] | None = None


def todo(what: str) -> str:
    return f"{TODO_MARK} {what}"


def csv_resource(name: str, path: str, encoding: str, delimiter: str, schema: dict) -> dict:
    return {
        "name": name,
        "title": todo("a title for this table"),
        "description": todo("what one row of this table is"),
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": encoding,
        "dialect": {"delimiter": delimiter},
        "schema": schema,
    }


# --- the file as it is ------------------------------------------------------------------


def name_columns(export: Export, given: list[str] | None, notes: Notes) -> list[str]:
    """The field name of each column: the editor's ``--names``, else the header when it is
    a name already, else its Latin transliteration."""
    if given is not None:
        if len(given) != len(export.header):
            raise ScaffoldError(
                f"--names gives {len(given)} names but the file has {len(export.header)} "
                f"columns: {', '.join(quoted(h) for h in export.header)}",
                notes,
            )
        bad = [n for n in given if not NAME_PATTERN.match(n)]
        if bad:
            raise ScaffoldError(
                f"--names: {', '.join(quoted(n) for n in bad)}: a field name is lowercase "
                "Latin letters, digits and _, starting with a letter",
                notes,
            )
        if len(set(given)) != len(given):
            raise ScaffoldError("--names: each column needs its own name", notes)
        return given
    return unique_names([
        header if NAME_PATTERN.match(header) else latin_name(header, position)
        for position, header in enumerate(export.header, start=1)
    ])  # fmt: skip


def build_field(column: Column, name: str, header_language: str | None) -> dict[str, Any]:
    """The field of a column: its name, a title (the header when it is readable), the
    description to write, and the type and constraints the column was found to have."""
    header = column.header.strip()
    entry: dict[str, Any] = {"name": name}
    if has_cyrillic(header):
        entry["title"] = header
        entry["i18n"] = {header_language or "ru": {"title": header}}
    elif header and not re.fullmatch(r"[A-Za-z0-9_]+", header):
        entry["title"] = header
    else:
        entry["title"] = todo(f'a human title for the column "{name}"')
    entry["description"] = todo("what the column holds, with its unit")
    entry.update(column.entry)
    return entry


def say_column(column: Column, name: str, origin: str, notes: Notes) -> None:
    notes.say(
        f"{column.position}. {quoted(column.header, 60)} → {name}{origin}: "
        + "; ".join(column.evidence),
        1,
    )
    empty = len(column.values) - len(column.filled) - len(column.dashes)
    if empty and column.filled:
        notes.say(f"{empty} of {len(column.values)} cells empty", 2)
    if column.dashes:
        rows = ", ".join(str(row) for row, _ in column.dashes[:3])
        notes.say(f'"{column.dashes[0][1]}" in row {rows}: no figure (written in missingValues)', 2)


def missing_values(columns: list[Column]) -> list[str]:
    found = {dash for column in columns for _, dash in column.dashes}
    return [""] + [dash for dash in DASHES if dash in found]


def copied_name(source: Path) -> str:
    """The file name in the dataset folder: the editor's, or a Latin one when it is not a
    name every server and archive keeps (Cyrillic, spaces)."""
    if safe_name(source.name) and source.name.isascii():
        return source.name
    stem = latin_name(source.stem, 1).replace("_", "-")
    return f"{stem}{source.suffix.lower() or '.csv'}"


def with_header(export: Export, names: list[str]) -> bytes:
    """The file with its header row replaced by ``names``; the data lines byte for byte."""
    reader = csv.reader(io.StringIO(export.text, newline=""), delimiter=export.delimiter)
    next(reader)
    header_lines = reader.line_num  # a quoted header cell may hold a line break
    lines = export.text.splitlines(keepends=True)
    last = lines[header_lines - 1]
    ending = last[len(last.rstrip("\r\n")) :] or "\n"
    text = export.delimiter.join(names) + ending + "".join(lines[header_lines:])
    return text.encode(export.encoding)


def resource_name(file_name: str) -> str:
    name = re.sub(r"[^a-z0-9._-]+", "-", Path(file_name).stem.lower()).strip("-._")
    return name or "data"


def file_table(export: Export, folder: Path, options: Options, notes: Notes) -> Table:
    """The editor's file as it is, with Latin names in its header row."""
    names = name_columns(export, options.names, notes)
    language, why = export.header_language()
    if language:
        notes.say(
            f"headers: {LANGUAGE_NAMES[language]} ({why}): each column keeps its header as its "
            f"title, marked {language} in the field's i18n",
            1,
        )
    export.say_blank_rows(notes)
    notes.say(f"Columns ({len(export.columns)}):")
    origin = " (--names)" if options.names is not None else ""
    for column, name in zip(export.columns, names, strict=True):
        say_column(column, name, origin, notes)
    if not origin and any(c.header != n for c, n in zip(export.columns, names, strict=True)):
        notes.say(
            "The names are the headers in Latin letters (Russian as in ICAO 9303, the Kazakh "
            "letters as in the Kazakh Latin alphabet): give others with --names, in column "
            "order.",
            1,
        )
    target = copied_name(export.source)
    folder.mkdir(parents=True)
    if names == export.header:
        shutil.copyfile(export.source, folder / target)
        notes.say(f"Copied {export.source.name} to {folder / target} as it is")
    else:
        (folder / target).write_bytes(with_header(export, names))
        notes.say(
            f"Copied {export.source.name} to {folder / target} with the names above as its "
            "header row (the data rows byte for byte; your file is not changed)"
        )
    fields = [build_field(c, n, language) for c, n in zip(export.columns, names, strict=True)]
    schema = {"fields": fields, "missingValues": missing_values(export.columns)}
    return Table(
        csv_resource(resource_name(target), target, export.encoding, export.delimiter, schema)
    )


# --- a kind's table -----------------------------------------------------------------------


def kind_schema_copy(kind: str) -> dict[str, Any]:
    from moldir.features.kinds import kind_schema

    return json.loads(json.dumps(kind_schema(kind)))


def empty_kind_table(kind: str, editor_kind: str, name: str, folder: Path, notes: Notes) -> Table:
    """A table of a kind with its header only, for the editor to fill."""
    schema = kind_schema_copy(kind)
    folder.mkdir(parents=True)
    path = f"{name}.csv"
    (folder / path).write_text(",".join(f["name"] for f in schema["fields"]) + "\n", "utf-8")
    notes.say(f"Wrote {folder / path}: the header of the {editor_kind} kind, no rows yet")
    return Table(csv_resource(name, path, "utf-8", ",", schema))


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def kind_table(
    export: Export, kind: str, editor_kind: str, folder: Path, options: Options, notes: Notes
) -> Table:
    """The editor's file checked against a kind at once: its columns renamed to the kind's
    fields, or a wide appeal table reshaped into the long form; ScaffoldError (nothing
    written) when neither can be done, with what is missing."""
    schema = kind_schema_copy(kind)
    fields = schema["fields"]
    required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
    matches = match_columns(kind, fields, export.header)
    matched = {m.field for m in matches}
    missing = [name for name in required if name not in matched]
    notes.say(f"Checking the columns against the {editor_kind} kind ({kind}):")
    notes.say(
        f"your file has {len(export.header)} columns: "
        + ", ".join(quoted(h, 30) for h in export.header),
        1,
    )
    optional = [f["name"] for f in fields if f["name"] not in required]
    notes.say(f"the kind needs {', '.join(required)}; optional: {', '.join(optional)}", 1)
    for match in matches:
        notes.say(f"renamed: {match.describe()}", 1)
    notes.say(f"missing: {', '.join(missing) if missing else 'nothing the kind needs'}", 1)
    if not missing:
        if options.reshape:
            notes.say("--reshape wide: the table is already in the kind's form", 1)
        return renamed_table(export, kind, matches, folder, notes, schema)
    if kind != reshape.KIND:
        raise ScaffoldError(
            f"nothing was written: the {editor_kind} kind needs {', '.join(missing)}. Add "
            f"these columns (docs/schemas/{kind}.md), or run moldir new without --kind to "
            "publish the table as it is",
            notes,
        )
    return reshaped_table(export, matches, missing, folder, options, notes, schema)


def reshaped_table(
    export: Export,
    matches: list[Match],
    missing: list[str],
    folder: Path,
    options: Options,
    notes: Notes,
    schema: dict[str, Any],
) -> Table:
    """A wide appeal table in the long form, beside the original (kept unchanged)."""
    body = next((m.column for m in matches if m.field == "body"), None)
    plan = reshape.plan_reshape(
        export.columns, body, export.source.name, options.year, options.measure, options.channel
    )
    if not plan.wide:
        raise ScaffoldError(
            f"nothing was written: the appeals kind needs {', '.join(missing)}, and the file "
            f"is not a wide table to reshape ({'; '.join(plan.problems)}). Add the columns "
            "(docs/schemas/appeal-statistics.md), or run moldir new without --kind to "
            "publish the table as it is",
            notes,
        )
    will = "writes" if options.reshape else "would write"
    notes.say(
        "The table is not in the kind's long form (one row per body, channel, measure and "
        f"period); --reshape wide {will} it so:"
    )
    for line in plan.lines:
        notes.say(line, 1)
    if plan.problems:
        raise ScaffoldError("nothing was written: " + "; ".join(plan.problems), notes)
    original = copied_name(export.source)
    long_name = f"{Path(original).stem}-long.csv"
    rows = reshape.long_rows(plan, original)
    if not options.reshape:
        raise ScaffoldError(
            f"nothing was written: to write the long table ({long_name}, {len(rows)} rows) "
            "beside your file, run the same command with --reshape wide",
            notes,
        )
    folder.mkdir(parents=True)
    shutil.copyfile(export.source, folder / original)
    write_csv(folder / long_name, list(reshape.LONG_FIELDS), rows)
    notes.say(
        f'Wrote {folder / long_name}: {len(rows)} rows in the long form (UTF-8, ","); '
        f"source_file and source_row give the row of {original}, kept beside it unchanged"
    )
    starts = [row[3] for row in rows]
    ends = [row[4] for row in rows]
    temporal = {"start": min(starts), "end": max(ends)} if rows else None
    if temporal:
        notes.say(
            f'"temporal": {temporal["start"]} to {temporal["end"]} (the first and last day of '
            "the periods)"
        )
    resource = csv_resource(resource_name(long_name), long_name, "utf-8", ",", schema)
    return Table(resource, temporal)


def renamed_table(
    export: Export,
    kind: str,
    matches: list[Match],
    folder: Path,
    notes: Notes,
    schema: dict[str, Any],
) -> Table:
    """The file written in the kind's columns: renamed, in the kind's order, numbers and
    dates written plainly, the kind's optional fields the file lacks left empty, and the
    file's other columns kept after them."""
    by_field = {m.field: export.columns[m.column] for m in matches}
    used = {m.column for m in matches}
    extras = [c for c in export.columns if c.position - 1 not in used]
    kind_names = [f["name"] for f in schema["fields"]]
    proposed = [
        c.header if NAME_PATTERN.match(c.header) else latin_name(c.header, c.position)
        for c in extras
    ]
    # Numbered after the kind's names, so that an extra column never takes one of them.
    extra_names = unique_names(kind_names + proposed)[len(kind_names) :]
    empty = [name for name in kind_names if name not in by_field]
    if empty:
        notes.say(f"left empty (optional, not in your file): {', '.join(empty)}", 1)
    language, _ = export.header_language()
    for column, name in zip(extras, extra_names, strict=True):
        say_column(column, name, " (kept after the kind's columns)", notes)
        schema["fields"].append(plain_field(build_field(column, name, language)))
    export.say_blank_rows(notes)
    rows = []
    for index in range(export.rows):
        cells = [plain_cell(by_field[n], index) if n in by_field else "" for n in kind_names]
        cells += [plain_cell(c, index) for c in extras]
        if any(cells):
            rows.append(cells)
    original = copied_name(export.source)
    target = f"{Path(original).stem}-{kind}.csv"
    folder.mkdir(parents=True)
    shutil.copyfile(export.source, folder / original)
    write_csv(folder / target, kind_names + extra_names, rows)
    notes.say(
        f'Wrote {folder / target}: the kind\'s columns; UTF-8, ",", numbers with a decimal '
        f"point and no group character, dates as YYYY-MM-DD; {original} is kept beside it "
        "unchanged"
    )
    return Table(csv_resource(resource_name(target), target, "utf-8", ",", schema))


def plain_field(entry: dict[str, Any]) -> dict[str, Any]:
    """A field as written by ``plain_cell``: no regional number or date format."""
    for key in ("decimalChar", "groupChar", "bareNumber", "format"):
        entry.pop(key, None)
    return entry


def plain_cell(column: Column, index: int) -> str:
    """A cell as the portal's own CSV writes it: 1234.5, 2023-01-31, no figure empty."""
    value = column.values[index].strip()
    if not value or (column.dashes and value in DASHES):
        return ""
    if column.number:
        try:
            number = parse_number(value.removesuffix("%").rstrip(), column.number)
        except ValueError:
            return value
        return str(int(number)) if column.number.whole else repr(number)
    if column.entry.get("format") == "%d.%m.%Y":
        day, month, year = value.split(".")
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return value


# --- the check --------------------------------------------------------------------------


def check_cells(folder: Path, resource: dict[str, Any], notes: Notes, limit: int = 5) -> None:
    """Validate the table just written against its schema with Frictionless and say what
    validation will report about the cells, so that nothing waits for the last TODO."""
    import frictionless

    table = {k: v for k, v in resource.items() if k not in ("title", "description")}
    try:
        report = frictionless.Resource(table, basepath=str(folder)).validate(limit_errors=200)
    except frictionless.FrictionlessException as problem:
        notes.warn(f"Frictionless could not read the table back: {problem.error.message}", 0)
        return
    errors = [
        e for task in report.tasks for e in task.errors
        if e.type != "blank-row"  # said above, with the rows
    ]  # fmt: skip
    if not errors:
        notes.say("Checked the table against the schema written: every cell fits.")
        return
    count = plural(len(errors), "problem") + ("+" if len(errors) >= 200 else "")
    notes.say(
        f"Checked the table against the schema written: {count}, which validation will "
        "report until fixed:"
    )
    for error in errors[:limit]:
        notes.warn(cell_problem(error, resource["path"]))
    if len(errors) > limit:
        notes.say(f"… and {len(errors) - limit} more", 1)


def cell_problem(error: Any, path: str) -> str:
    """One of Frictionless's errors, as the editor reads it: where, the cell, what to do."""
    row = getattr(error, "row_number", None)
    name = getattr(error, "field_name", None)
    where = ", ".join(part for part in (f"row {row}" if row else "", name or "") if part) or path
    cell = getattr(error, "cell", None)
    shown = quoted(str(cell)) if cell not in (None, "") else "the empty cell"
    if error.type == "type-error":
        found = re.search(r'type is "(\w+)', error.note or "")
        wanted = found.group(1) if found else "value of the column's type"
        return (
            f"{where}: {shown} is not {'an' if wanted[0] in 'aeiou' else 'a'} {wanted}: write "
            "it as the column's other cells, or leave it empty [type-error]"
        )
    if error.type == "constraint-error":
        return f"{where}: {shown} breaks the column's rule: {error.note} [constraint-error]"
    return f"{where}: [{error.type}] {error.note or error.title}"
