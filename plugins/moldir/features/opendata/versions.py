"""Versions of a dataset's data, from the git history of its folder (docs/open-data.md,
"History of the data").

A commit is a **version** of a dataset when it first adds the dataset, changes the rows,
fields or table schema of a resource, replaces a data file, or changes the descriptor's
``version``. A commit that only edits the description, keywords or other metadata is not
a version (it is counted). For each version:

- per resource: rows added, removed and changed — by the table's primary key where the
  schema declares one (a row whose key is kept but whose values differ is "changed"),
  else by whole rows (a changed row is one removed and one added) — fields added or
  removed, and schema changes (a field's type or constraints, the primary key);
- the descriptor's ``version`` and the editor's note for it from the descriptor's
  ``changelog`` (``[{"version": "1.1.0", "note": "…"}]``) — never the commit message;
- the files of the dataset folder at that commit (blob ids), written by the open-data
  generator as ``/datasets/<slug>/versions/<slug>-<YYYY-MM-DD>.zip`` (``-2``, ``-3`` for
  later versions of the same day: names never change as history grows).

Everything is read with ``git ls-tree`` and one ``git cat-file --batch`` process: nothing
is checked out, and the working tree is not touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from moldir.pipeline.discover import DESCRIPTOR_NAMES
from moldir.pipeline.downloads import ZIP_DATE

# Rows of a resource compared at most (a bigger file is compared by its blob only).
MAX_COMPARED_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ResourceChange:
    """What one version changed in one resource (table)."""

    resource: str
    status: str  # "added", "removed", "changed" or "unchanged"
    rows: int | None = None  # rows in this version (None: not a table Moldir can read)
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int = 0
    key: tuple[str, ...] = ()  # the primary key rows were matched by
    fields_added: tuple[str, ...] = ()
    fields_removed: tuple[str, ...] = ()
    schema_changes: tuple[str, ...] = ()
    file_replaced: bool = False  # not a table, or too big: its file changed

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


@dataclass(frozen=True)
class Version:
    """One version of a dataset's data."""

    number: int
    date: dt.datetime
    commit: str
    version: str
    note: str
    resources: tuple[ResourceChange, ...]
    files: tuple[tuple[str, str], ...]  # (path in the dataset folder, git blob id)
    archive: str  # site path of the zip of this version's files
    first: bool = False
    version_changed: bool = False

    @property
    def changed_resources(self) -> list[ResourceChange]:
        return [r for r in self.resources if r.changed]


@dataclass
class Snapshot:
    """The dataset folder at one commit, as far as versions need it."""

    files: dict[str, str]  # path in the folder → blob id
    descriptor: dict[str, Any] | None
    tables: dict[str, Table | None] = field(default_factory=dict)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class BlobReader:
    """``git cat-file --batch``: the bytes of blobs by id, one process for a whole build."""

    def __init__(self, repo: Path):
        self._process = subprocess.Popen(
            ["git", "-C", str(repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, blob: str) -> bytes | None:
        self._process.stdin.write(blob.encode("ascii") + b"\n")
        self._process.stdin.flush()
        header = self._process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None
        size = int(header[2])
        data = self._process.stdout.read(size)
        self._process.stdout.read(1)  # the newline after the contents
        return data

    def close(self) -> None:
        self._process.stdin.close()
        self._process.wait(timeout=30)
        self._process.stdout.close()


def tree_files(repo: Path, commit: str, folder: str) -> dict[str, str]:
    """Every file of ``folder`` (a repository path ending in "/") at ``commit``: path in
    the folder → blob id."""
    completed = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "-z", commit, "--", folder],
        capture_output=True,
        check=False,
        timeout=60,
    )
    files = {}
    for item in completed.stdout.split(b"\0"):
        meta, _, name = item.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == b"blob":
            path = name.decode("utf-8", "replace")
            if path.startswith(folder):
                files[path[len(folder) :]] = parts[2].decode("ascii")
    return files


def parse_descriptor(name: str, data: bytes | None) -> dict[str, Any] | None:
    """A descriptor (JSON or YAML) of one commit; None when it did not parse then (such a
    commit never built, so it is no version)."""
    import yaml

    if data is None:
        return None
    try:
        text = data.decode("utf-8")
        value = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return None
    return value if isinstance(value, dict) else None


def read_table(data: bytes, resource: dict[str, Any]) -> Table | None:
    """A CSV file's header and rows as text, by the resource's encoding and dialect."""
    if len(data) > MAX_COMPARED_BYTES:
        return None
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    dialect = {**dialect, **(dialect.get("csv") or {})} if isinstance(dialect, dict) else {}
    encoding = str(resource.get("encoding") or "utf-8")
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = data.decode("utf-8", "replace")
    text = text.removeprefix("\ufeff")
    try:
        reader = csv.reader(
            io.StringIO(text, newline=""),
            delimiter=str(dialect.get("delimiter") or ",")[:1] or ",",
            quotechar=str(dialect.get("quoteChar") or '"')[:1] or '"',
        )
        rows = [tuple(cell.strip() for cell in row) for row in reader if row]
    except csv.Error:
        return None
    if not rows:
        return Table((), ())
    header_rows = 1 if dialect.get("header", True) is not False else 0
    header = rows[0] if header_rows else ()
    return Table(header, tuple(rows[header_rows:]))


def inline_table(resource: dict[str, Any]) -> Table | None:
    """Rows given in the descriptor (``data``): a list of objects or of lists."""
    data = resource.get("data")
    if not isinstance(data, list):
        return None
    if data and all(isinstance(row, dict) for row in data):
        header = tuple(dict.fromkeys(key for row in data for key in row))
        return Table(header, tuple(tuple(str(row.get(k, "")) for k in header) for row in data))
    if data and all(isinstance(row, list) for row in data):
        return Table(tuple(map(str, data[0])), tuple(tuple(map(str, row)) for row in data[1:]))
    return Table((), ())


def snapshot(files: dict[str, str], blobs: BlobReader) -> Snapshot:
    """The descriptor, schemas and tables of a dataset folder's files at one commit."""
    name = next((n for n in DESCRIPTOR_NAMES if n in files), None)
    descriptor = parse_descriptor(name, blobs.read(files[name])) if name else None
    found = Snapshot(files=files, descriptor=descriptor)
    if descriptor is None:
        return found
    for resource in descriptor.get("resources") or []:
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            continue
        rname = resource["name"]
        schema = resource.get("schema")
        if isinstance(schema, str) and schema in files:
            schema = parse_descriptor(".json", blobs.read(files[schema]))
        found.schemas[rname] = schema if isinstance(schema, dict) else {}
        path = resource.get("path")
        paths = tuple(
            p for p in ([path] if isinstance(path, str) else path or []) if isinstance(p, str)
        )
        found.paths[rname] = paths
        if "data" in resource:
            found.tables[rname] = inline_table(resource)
        elif (
            len(paths) == 1
            and paths[0] in files
            and str(paths[0]).lower().endswith((".csv", ".tsv", ".txt"))
        ):
            data = blobs.read(files[paths[0]])
            found.tables[rname] = read_table(data, resource) if data is not None else None
        else:
            found.tables[rname] = None
    return found


def primary_key(schema: dict[str, Any]) -> tuple[str, ...]:
    key = schema.get("primaryKey") or ()
    return (key,) if isinstance(key, str) else tuple(k for k in key if isinstance(k, str))


def schema_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    """Changes of the fields both schemas declare (type, format, constraints) and of the
    primary key, as short English phrases with the names in them (for the log and
    report.json; the pages describe them in their language from the same facts)."""
    found = []
    old_fields = {f.get("name"): f for f in old.get("fields") or [] if isinstance(f, dict)}
    new_fields = {f.get("name"): f for f in new.get("fields") or [] if isinstance(f, dict)}
    for name, now in new_fields.items():
        before = old_fields.get(name)
        if before is None:
            continue
        for prop in ("type", "format", "constraints"):
            was, is_ = before.get(prop), now.get(prop)
            if prop == "type":
                was, is_ = was or "any", is_ or "any"
            if prop == "format":
                was, is_ = was or "default", is_ or "default"
            if was != is_:
                found.append(f"{name}: {prop}")
    if primary_key(old) != primary_key(new):
        found.append("primary key")
    return tuple(found)


def compare_rows(
    old: Table, new: Table, key: tuple[str, ...]
) -> tuple[int, int, int, tuple[str, ...]]:
    """(added, removed, changed, key used): by ``key`` when both headers hold it, else
    by whole rows (the fields both versions have, so an added column alone changes no
    row count)."""
    shared = [name for name in new.header if name in old.header]
    old_at = [old.header.index(n) for n in shared]
    new_at = [new.header.index(n) for n in shared]

    def cells(row: tuple[str, ...], at: list[int]) -> tuple[str, ...]:
        return tuple(row[i] if i < len(row) else "" for i in at)

    if key and all(k in old.header and k in new.header for k in key):
        old_key = [old.header.index(k) for k in key]
        new_key = [new.header.index(k) for k in key]
        before = {cells(r, old_key): cells(r, old_at) for r in old.rows}
        after = {cells(r, new_key): cells(r, new_at) for r in new.rows}
        added = sum(1 for k in after if k not in before)
        removed = sum(1 for k in before if k not in after)
        changed = sum(1 for k, v in after.items() if k in before and before[k] != v)
        return added, removed, changed, key
    before_rows = Counter(cells(r, old_at) for r in old.rows)
    after_rows = Counter(cells(r, new_at) for r in new.rows)
    added = sum((after_rows - before_rows).values())
    removed = sum((before_rows - after_rows).values())
    return added, removed, 0, ()


def compare(old: Snapshot | None, new: Snapshot) -> tuple[ResourceChange, ...]:
    """What changed in each resource from ``old`` (None: the first version) to ``new``."""
    changes = []
    names = list(new.tables)
    if old is not None:
        names += [n for n in old.tables if n not in new.tables]
    for name in names:
        table = new.tables.get(name)
        rows = len(table.rows) if table is not None else None
        if old is None or name not in old.tables:
            changes.append(ResourceChange(name, "added", rows=rows, rows_added=rows or 0))
            continue
        if name not in new.tables:
            before = old.tables[name]
            removed = len(before.rows) if before is not None else 0
            changes.append(ResourceChange(name, "removed", rows=0, rows_removed=removed))
            continue
        before = old.tables[name]
        old_blobs = tuple(old.files.get(p) for p in old.paths.get(name, ()))
        new_blobs = tuple(new.files.get(p) for p in new.paths.get(name, ()))
        schema = schema_changes(old.schemas.get(name, {}), new.schemas.get(name, {}))
        if before is not None and table is not None:
            added, removed, changed, key = compare_rows(
                before, table, primary_key(new.schemas.get(name, {}))
            )
            fields_added = tuple(f for f in table.header if f not in before.header)
            fields_removed = tuple(f for f in before.header if f not in table.header)
            different = any((added, removed, changed, fields_added, fields_removed, schema))
            changes.append(
                ResourceChange(
                    name,
                    "changed" if different else "unchanged",
                    rows=rows,
                    rows_added=added,
                    rows_removed=removed,
                    rows_changed=changed,
                    key=key,
                    fields_added=fields_added,
                    fields_removed=fields_removed,
                    schema_changes=schema,
                )
            )
        else:
            replaced = old_blobs != new_blobs
            changes.append(
                ResourceChange(
                    name,
                    "changed" if replaced or schema else "unchanged",
                    rows=rows,
                    schema_changes=schema,
                    file_replaced=replaced,
                )
            )
    return tuple(changes)


def editor_note(descriptor: dict[str, Any], version: str) -> str:
    """The note of ``version`` in the descriptor's ``changelog`` ("" when none)."""
    log = descriptor.get("changelog")
    if not version or not isinstance(log, list):
        return ""
    for item in log:
        if isinstance(item, dict) and str(item.get("version") or "") == version:
            note = item.get("note") or item.get("description") or ""
            return " ".join(str(note).split()) if isinstance(note, str) else ""
    return ""


def dataset_versions(
    repo: Path,
    folder: str,
    slug: str,
    commits: list[tuple[str, dt.datetime]],
    blobs: BlobReader,
) -> tuple[tuple[Version, ...], int]:
    """The versions of one dataset, oldest first, and how many of its commits only
    edited metadata. ``commits`` are the commits that touched ``folder`` (its repository
    path, ending in "/"), oldest first."""
    versions: list[Version] = []
    previous: Snapshot | None = None
    metadata_only = 0
    archives: Counter[str] = Counter()
    for commit, date in commits:
        files = tree_files(repo, commit, folder)
        current = snapshot(files, blobs)
        if current.descriptor is None:
            continue  # removed, or a descriptor that did not parse: nothing published
        version = str(current.descriptor.get("version") or "")
        before = str(previous.descriptor.get("version") or "") if previous else ""
        resources = compare(previous, current)
        first = previous is None
        version_changed = not first and version != before
        if not (first or version_changed or any(r.changed for r in resources)):
            metadata_only += 1
            previous = current
            continue
        day = date.astimezone(dt.UTC).date().isoformat()
        archives[day] += 1
        suffix = f"-{archives[day]}" if archives[day] > 1 else ""
        versions.append(
            Version(
                number=len(versions) + 1,
                date=date,
                commit=commit,
                version=version,
                note=editor_note(current.descriptor, version) if first or version_changed else "",
                resources=resources,
                files=tuple(sorted(files.items())),
                archive=f"datasets/{slug}/versions/{slug}-{day}{suffix}.zip",
                first=first,
                version_changed=version_changed,
            )
        )
        previous = current
    return tuple(versions), metadata_only


# --- in words ---------------------------------------------------------------------------


def resource_lines(change: ResourceChange, gettext: Any, ngettext: Any) -> list[str]:
    """What one version changed in one resource, as phrases in the page's language."""
    if change.status == "added":
        if change.rows is None:
            return [gettext("new table")]
        return [
            ngettext("new table, %(num)s row", "new table, %(num)s rows", change.rows)
            % {"num": change.rows}
        ]
    if change.status == "removed":
        return [gettext("table removed")]
    parts = []
    counts = (
        (
            change.rows_added,
            ngettext("%(num)s row added", "%(num)s rows added", change.rows_added)
            % {"num": change.rows_added},
        ),
        (
            change.rows_removed,
            ngettext("%(num)s row removed", "%(num)s rows removed", change.rows_removed)
            % {"num": change.rows_removed},
        ),
        (
            change.rows_changed,
            ngettext("%(num)s row changed", "%(num)s rows changed", change.rows_changed)
            % {"num": change.rows_changed},
        ),
    )
    rows = [text for number, text in counts if number]
    if rows:
        text = ", ".join(rows)
        if change.key:
            text += " " + gettext("(rows matched by %(key)s)") % {"key": ", ".join(change.key)}
        parts.append(text)
    if change.fields_added:
        parts.append(
            gettext("fields added: %(fields)s") % {"fields": ", ".join(change.fields_added)}
        )
    if change.fields_removed:
        parts.append(
            gettext("fields removed: %(fields)s") % {"fields": ", ".join(change.fields_removed)}
        )
    if change.schema_changes:
        parts.append(
            gettext("schema changed: %(changes)s") % {"changes": "; ".join(change.schema_changes)}
        )
    if change.file_replaced:
        parts.append(gettext("file replaced (not compared row by row)"))
    return parts


def version_lines(version: Version, gettext: Any, ngettext: Any) -> list[str]:
    """One line per changed resource ("requests: 3 rows added, 1 row changed (rows matched
    by body, period)"), in the page's language."""
    return [
        f"{change.resource}: " + "; ".join(resource_lines(change, gettext, ngettext))
        for change in version.changed_resources
    ] or [gettext("no change in the data")]


def version_title(version: Version, gettext: Any) -> str:
    """ "Version 1.1.0" (the descriptor's ``version``), else the version's number."""
    if version.version:
        return gettext("Version %(version)s") % {"version": version.version}
    return gettext("Version no. %(number)s") % {"number": version.number}


def version_zip(repo: Path, slug: str, version: Version) -> bytes:
    """The zip of a version's files (``<slug>/<path>``, fixed dates, in path order)."""
    blobs = BlobReader(repo)
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path, blob in version.files:
                data = blobs.read(blob)
                if data is None:
                    continue
                info = zipfile.ZipInfo(str(PurePosixPath(slug) / path), date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return buffer.getvalue()
    finally:
        blobs.close()
