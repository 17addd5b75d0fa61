"""The three kinds of government data the portal knows, each with a reusable Table Schema.

A dataset declares ``"kind": "<name>"`` in its descriptor; its main resource must then
follow the kind's schema (``plugins/moldir/schemas/<name>.json``, also published on the
portal for other bodies to reuse): every field the kind requires, with the kind's type.
The kind modules (appeals, receptions, budget) add their own checks and topic pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..datasets import Dataset, Resource
from ..report import ValidationError

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
KINDS: dict[str, str] = {
    "appeal-statistics": "Appeal statistics",
    "reception-schedule": "Reception schedules",
    "budget-programs": "Budget programs",
}


@cache
def kind_schema(kind: str) -> dict[str, Any]:
    """The published Table Schema of a kind."""
    return json.loads((SCHEMAS_DIR / f"{kind}.json").read_text(encoding="utf-8"))


def required_fields(kind: str) -> dict[str, str]:
    """Field name → type, for every field the kind requires."""
    return {
        field["name"]: field.get("type", "string")
        for field in kind_schema(kind)["fields"]
        if field.get("constraints", {}).get("required")
    }


def kind_resources(dataset: Dataset) -> list[Resource]:
    """The resources of a dataset that follow its kind's schema."""
    if dataset.kind not in KINDS:
        return []
    wanted = required_fields(dataset.kind)
    return [
        resource
        for resource in dataset.resources
        if all(
            any(f.name == name and f.type == type_ for f in resource.fields)
            for name, type_ in wanted.items()
        )
    ]


def check_kind(dataset: Dataset) -> Iterable[ValidationError]:
    """A dataset that declares a kind has at least one resource following its schema."""
    kind = dataset.kind
    if kind is None:
        return
    if kind not in KINDS:
        yield ValidationError(
            type="kind-error",
            message=f'unknown kind "{kind}"; known kinds: {", ".join(KINDS)}',
            dataset=dataset.slug,
            file=dataset.shown_path,
        )
        return
    if kind_resources(dataset):
        return
    wanted = required_fields(kind)
    for resource in dataset.resources:
        have = {f.name: f.type for f in resource.fields}
        missing = [f"{n} ({t})" for n, t in wanted.items() if have.get(n) != t]
        yield ValidationError(
            type="kind-error",
            message=(
                f'resource "{resource.name}" does not follow the {kind} schema: '
                f"missing or mistyped fields {', '.join(missing)}"
            ),
            dataset=dataset.slug,
            resource=resource.name,
            file=dataset.shown_path,
        )
