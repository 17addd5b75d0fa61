"""Scaffolding a new dataset folder for an editor (``moldir new``).

From a CSV the editor already has, Frictionless infers a draft schema (types, encoding,
delimiter); the descriptor is filled with every property the portal needs, and what the
editor still has to write is marked ``TODO:`` — validation fails until every mark is gone.
With ``--kind`` the schema starts from the kind's published schema instead.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frictionless

from .datasets import SLUG_PATTERN, TODO_MARK, todo_marks

TODO = TODO_MARK
# Editor-facing kind names → the kinds' schema names (plugins/moldir/schemas/<name>.json).
KIND_NAMES = {
    "appeals": "appeal-statistics",
    "receptions": "reception-schedule",
    "budget": "budget-programs",
    "generic": None,
}


class ScaffoldError(ValueError):
    pass


@dataclass(frozen=True)
class Scaffold:
    folder: Path
    descriptor: dict[str, Any]
    todos: list[str]


def todo(what: str) -> str:
    return f"{TODO} {what}"


def infer_resource(csv_path: Path) -> dict[str, Any]:
    """A resource descriptor for a CSV with the schema, encoding and dialect Frictionless infers."""
    resource = frictionless.Resource(str(csv_path.name), basepath=str(csv_path.parent))
    resource.infer(stats=False)
    described = resource.to_descriptor()
    schema = described.get("schema", {"fields": []})
    for field in schema.get("fields", []):
        field["title"] = todo(f'a human title for the column "{field["name"]}"')
        field["description"] = todo("what the column holds, with its unit")
        if field.get("type") in ("integer", "number"):
            field["constraints"] = {"minimum": 0}
    schema["missingValues"] = [""]
    entry: dict[str, Any] = {
        "name": slug_of(csv_path.stem),
        "title": todo("a title for this table"),
        "description": todo("what one row of this table is"),
        "path": csv_path.name,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": described.get("encoding", "utf-8"),
        "schema": schema,
    }
    dialect = described.get("dialect", {})
    csv_dialect = dialect.get("csv", dialect) if isinstance(dialect, dict) else {}
    delimiter = csv_dialect.get("delimiter") or ","
    if delimiter != ",":
        entry["dialect"] = {"delimiter": delimiter}
    columns = read_columns(csv_path, entry["encoding"], delimiter)
    for field in schema.get("fields", []):
        fix_regional_numbers(field, columns.get(field["name"], []))
    return entry


DECIMAL_COMMA = re.compile(r"^-?\d+(?:[ \u00a0]\d{3})*,\d+$")
GROUPED_SPACES = re.compile(r"^-?\d{1,3}(?:[ \u00a0]\d{3})+$")


def read_columns(csv_path: Path, encoding: str, delimiter: str, limit: int = 1000):
    """Up to ``limit`` text values per column, for checks Frictionless's inference lacks."""
    with csv_path.open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        columns: dict[str, list[str]] = {name: [] for name in reader.fieldnames or []}
        for index, row in enumerate(reader):
            if index >= limit:
                break
            for name, value in row.items():
                if name in columns and value:
                    columns[name].append(value)
    return columns


def fix_regional_numbers(field: dict[str, Any], values: list[str]) -> None:
    """Spreadsheets in the region write 1 234,5: Frictionless infers such columns as text
    or geopoints; declare them as numbers with their decimal and group characters."""
    if not values:
        return
    if all(DECIMAL_COMMA.match(v) for v in values):
        field.update(type="number", decimalChar=",")
    elif all(GROUPED_SPACES.match(v) for v in values):
        # Table Schema v1 gives groupChar to numbers only, not integers.
        field.update(type="number", groupChar=" ")
    else:
        return
    if any(" " in v or "\u00a0" in v for v in values):
        field["groupChar"] = "\u00a0" if any("\u00a0" in v for v in values) else " "
    field.setdefault("constraints", {"minimum": 0})


def kind_resource(kind: str, name: str) -> dict[str, Any]:
    """A resource following a kind's schema, with an empty CSV of its header."""
    from .kinds import kind_schema

    schema = json.loads(json.dumps(kind_schema(kind)))
    return {
        "name": name,
        "title": todo("a title for this table"),
        "description": todo("what one row of this table is"),
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def slug_of(text: str) -> str:
    slug = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in slug.split("-") if part) or "data"


def new_dataset(
    datasets_root: Path, slug: str, csv_path: Path | None = None, kind: str = "generic"
) -> Scaffold:
    """Create ``datasets_root/<slug>/`` with a draft descriptor (and the CSV, copied)."""
    if not SLUG_PATTERN.match(slug):
        raise ScaffoldError(f'"{slug}" is not a valid slug: use lowercase letters, digits, dashes')
    if kind not in KIND_NAMES:
        raise ScaffoldError(f'unknown kind "{kind}"; choose one of: {", ".join(KIND_NAMES)}')
    folder = datasets_root / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists")
    if csv_path is not None and not csv_path.is_file():
        raise ScaffoldError(f"{csv_path} is not a file")
    folder.mkdir(parents=True)
    schema_kind = KIND_NAMES[kind]
    if csv_path is not None:
        shutil.copy(csv_path, folder / csv_path.name)
        resource = infer_resource(folder / csv_path.name)
        if schema_kind:
            from .kinds import kind_schema

            resource["schema"] = json.loads(json.dumps(kind_schema(schema_kind)))
    elif schema_kind:
        resource = kind_resource(schema_kind, slug_of(slug))
        names = [field["name"] for field in resource["schema"]["fields"]]
        (folder / resource["path"]).write_text(",".join(names) + "\n", encoding="utf-8")
    else:
        shutil.rmtree(folder)
        raise ScaffoldError("give a CSV file (--from data.csv) or a --kind to start from")
    descriptor: dict[str, Any] = {
        "name": slug,
        "title": todo("a short title, with the period when it matters"),
        "description": todo("2 to 4 plain sentences: what is counted, the period, caveats"),
        "version": "1.0.0",
        "licenses": [{"name": todo("licence id, e.g. CC-BY-4.0"), "title": todo("licence")}],
        "sources": [{"title": todo("the full citation of the source")}],
        "keywords": [todo("keywords")],
        "publisher": {"name": todo("the publishing body")},
        "topic": todo("appeals, receptions, budget, surveys or open-government"),
        "temporal": {"start": todo("YYYY-MM-DD"), "end": todo("YYYY-MM-DD")},
        "frequency": "irregular",
        "language": "en",
        "contactPoint": {"name": todo("who answers questions"), "email": todo("e-mail")},
        "resources": [resource],
    }
    if schema_kind:
        descriptor["kind"] = schema_kind
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    todos = [path for path, _ in todo_marks(descriptor)]
    return Scaffold(folder=folder, descriptor=descriptor, todos=todos)
