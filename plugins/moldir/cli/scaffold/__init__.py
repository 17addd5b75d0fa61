"""Scaffolding a new dataset folder for an editor (``moldir new``).

From a CSV the editor already has, the scaffold works out how the file is written (its
encoding, delimiter, decimal and group characters: ``sniff``, ``columns``), the type and
constraints of each column, Latin field names for Russian or Kazakh headers (``names``),
and says each decision with its evidence (``notes``): nothing is guessed silently, and what
is printed is what is written. The descriptor is filled with every property the portal
needs; what the editor still has to write is marked ``TODO:`` (validation fails until
every mark is gone).

With ``--kind`` the file's columns are checked against the kind's schema at once
(``matching``): the renames it can make and the fields that are missing are printed, and a
wide appeal table can be rewritten in the kind's long form (``reshape``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moldir.cli.scaffold.export import read_export, say_language
from moldir.cli.scaffold.notes import Notes, ScaffoldError
from moldir.cli.scaffold.tables import (
    Options,
    Table,
    check_cells,
    empty_kind_table,
    file_table,
    kind_table,
    resource_name,
    todo,
)
from moldir.model.settings import MoldirSettings
from moldir.pipeline.discover import SLUG_PATTERN, todo_marks

__all__ = ["KIND_NAMES", "KIND_TOPICS", "Options", "Scaffold", "ScaffoldError", "new_dataset"]

# Editor-facing kind names → the kinds' schema names (plugins/moldir/schemas/<name>.json).
KIND_NAMES = {
    "appeals": "appeal-statistics",
    "receptions": "reception-schedule",
    "budget": "budget-programs",
    "generic": None,
}
# The topic a kind's datasets are listed under (MOLDIR["topics"]).
KIND_TOPICS = {"appeals": "appeals", "receptions": "receptions", "budget": "budget"}


@dataclass(frozen=True)
class Scaffold:
    folder: Path
    descriptor: dict[str, Any]
    todos: list[str]
    notes: Notes = field(default_factory=Notes)


def new_dataset(
    datasets_root: Path,
    slug: str,
    csv_path: Path | None = None,
    kind: str = "generic",
    options: Options | None = None,
) -> Scaffold:
    """Create ``datasets_root/<slug>/`` with a draft descriptor and its table.

    Raises ScaffoldError, with what was found so far in its notes, before anything is
    written when the file cannot make a dataset of the kind as it is.
    """
    options = options or Options()
    notes = Notes()
    if not SLUG_PATTERN.match(slug):
        raise ScaffoldError(f'"{slug}" is not a valid slug: use lowercase letters, digits, dashes')
    if kind not in KIND_NAMES:
        raise ScaffoldError(f'unknown kind "{kind}"; choose one of: {", ".join(KIND_NAMES)}')
    folder = datasets_root / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists")
    if csv_path is not None and not csv_path.is_file():
        raise ScaffoldError(f"{csv_path} is not a file")
    schema_kind = KIND_NAMES[kind]
    if options.reshape and kind != "appeals":
        raise ScaffoldError("--reshape wide is for --kind appeals (appeal statistics)")
    language = None
    if csv_path is not None:
        export = read_export(csv_path, notes)
        say_language(export, notes)
        language = export.language
        if schema_kind:
            table = kind_table(export, schema_kind, kind, folder, options, notes)
        else:
            table = file_table(export, folder, options, notes)
        check_cells(folder, table.resource, notes)
    elif schema_kind:
        table = empty_kind_table(schema_kind, kind, resource_name(slug), folder, notes)
    else:
        raise ScaffoldError("give a CSV file (--from data.csv) or a --kind to start from")
    topics = tuple(options.topics or MoldirSettings().topics)
    descriptor = draft_descriptor(slug, kind, table, language, topics)
    if schema_kind:
        notes.say(f'"topic": "{descriptor["topic"]}" and "kind": "{schema_kind}" (--kind {kind})')
        if descriptor["topic"] not in topics:
            # Said now, not as an unknown-topic error once every TODO is written.
            notes.say(
                f'warning: "{descriptor["topic"]}" is not one of this portal\'s topics '
                f'({", ".join(topics)}): add it to MOLDIR["topics"] in pelicanconf.py, or '
                "the dataset will not validate"
            )
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    resource = table.resource
    notes.say(
        f'Created {folder / "datapackage.json"} ("encoding": "{resource["encoding"]}", '
        f'"dialect": {json.dumps(resource["dialect"], ensure_ascii=False)})'
    )
    todos = [path for path, _ in todo_marks(descriptor)]
    return Scaffold(folder=folder, descriptor=descriptor, todos=todos, notes=notes)


def draft_descriptor(
    slug: str,
    kind: str,
    table: Table,
    language: str | None,
    topics: tuple[str, ...] = tuple(MoldirSettings().topics),
) -> dict[str, Any]:
    """Every property the portal needs; ``TODO:`` where only the editor knows (the topic:
    one of the project's ``topics``)."""
    descriptor: dict[str, Any] = {
        "name": slug,
        "title": todo("a short title, with the period when it matters"),
        "description": todo("2 to 4 plain sentences: what is counted, the period, caveats"),
        "version": "1.0.0",
        "licenses": [{"name": todo("licence id, e.g. CC-BY-4.0"), "title": todo("licence")}],
        "sources": [{"title": todo("the full citation of the source")}],
        "keywords": [todo("keywords")],
        "publisher": {"name": todo("the publishing body")},
        "topic": KIND_TOPICS.get(kind) or todo(one_of(topics)),
        "temporal": table.temporal or {"start": todo("YYYY-MM-DD"), "end": todo("YYYY-MM-DD")},
        "frequency": "irregular",
        "language": language or "en",
        "contactPoint": {"name": todo("who answers questions"), "email": todo("e-mail")},
        "resources": [table.resource],
    }
    if KIND_NAMES.get(kind):
        descriptor["kind"] = KIND_NAMES[kind]
    return descriptor


def one_of(words: tuple[str, ...]) -> str:
    """ "a, b or c" (the choices a TODO offers)."""
    return " or ".join(filter(None, [", ".join(words[:-1]), words[-1] if words else ""]))
