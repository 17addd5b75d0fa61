"""The domain model: a dataset (a Frictionless Data Package in ``datasets/<slug>/``), its
resources (tables and files) and their fields, as the pipeline reads them. Immutable values;
``moldir.pipeline.discover`` makes them from a folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Field:
    """A column of a table, as its Table Schema declares it."""

    name: str
    type: str
    title: str = ""
    description: str = ""
    constraints: dict[str, Any] = field(default_factory=dict)
    format: str = "default"
    # Table Schema's number and boolean options (field properties, not constraints).
    decimal_char: str = "."
    group_char: str = ""
    bare_number: bool = True
    true_values: tuple[str, ...] = ("true", "True", "TRUE", "1")
    # Value text → label in the page's language (labels.localized_fields fills it): the
    # cell filter shows a label instead of a code or a boolean.
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def from_descriptor(cls, descriptor: dict[str, Any]) -> Field:
        return cls(
            name=descriptor["name"],
            type=descriptor.get("type", "any"),
            title=descriptor.get("title", ""),
            description=descriptor.get("description", ""),
            constraints=dict(descriptor.get("constraints", {})),
            format=descriptor.get("format", "default"),
            decimal_char=descriptor.get("decimalChar", "."),
            group_char=descriptor.get("groupChar", ""),
            bare_number=descriptor.get("bareNumber", True),
            true_values=tuple(descriptor.get("trueValues", cls.true_values)),
        )

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def is_numeric(self) -> bool:
        return self.type in ("integer", "number", "year")


@dataclass(frozen=True)
class Resource:
    """A data file of a dataset, with its (resolved, inline) Table Schema."""

    name: str
    # None for a resource whose rows are inline in the descriptor (``data``).
    path: Path | None
    relpath: str | None
    descriptor: dict[str, Any]

    @property
    def inline(self) -> bool:
        """Rows given in the descriptor (``data``) rather than in a file."""
        return self.path is None

    @property
    def title(self) -> str:
        return self.descriptor.get("title") or self.name

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    @property
    def schema(self) -> dict[str, Any]:
        return self.descriptor.get("schema", {})

    @property
    def fields(self) -> list[Field]:
        return [Field.from_descriptor(f) for f in self.schema.get("fields", [])]

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey", [])
        return [key] if isinstance(key, str) else list(key)

    @property
    def encoding(self) -> str:
        return self.descriptor.get("encoding", "utf-8")

    @property
    def dialect(self) -> dict[str, Any]:
        dialect = self.descriptor.get("dialect", {})
        return dialect if isinstance(dialect, dict) else {}

    @property
    def format(self) -> str:
        if self.path is None:
            return self.descriptor.get("format") or "inline"
        return self.descriptor.get("format") or self.path.suffix.lstrip(".").lower()


@dataclass(frozen=True)
class Dataset:
    """A published dataset: its descriptor (schemas resolved inline) and its resources."""

    slug: str
    folder: Path
    descriptor_path: Path
    descriptor: dict[str, Any]
    resources: tuple[Resource, ...]
    # The descriptor's path as the editor sees it (for error messages and CI annotations).
    shown_path: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        return self.descriptor.get(key, default)

    @property
    def title(self) -> str:
        return self.descriptor.get("title") or self.slug

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    @property
    def keywords(self) -> list[str]:
        return list(self.descriptor.get("keywords", []))

    @property
    def topic(self) -> str:
        return self.descriptor.get("topic", "other")

    @property
    def kind(self) -> str | None:
        return self.descriptor.get("kind")

    @property
    def publisher(self) -> dict[str, str]:
        publisher = self.descriptor.get("publisher")
        if isinstance(publisher, dict):
            return publisher
        if isinstance(publisher, str):
            return {"name": publisher}
        for contributor in self.descriptor.get("contributors", []):
            if contributor.get("role") in ("publisher", "author"):
                return {"name": contributor.get("title", ""), "url": contributor.get("path", "")}
        return {}

    @property
    def licenses(self) -> list[dict[str, str]]:
        return list(self.descriptor.get("licenses", []))

    @property
    def sources(self) -> list[dict[str, str]]:
        return list(self.descriptor.get("sources", []))

    @property
    def temporal(self) -> dict[str, str]:
        return dict(self.descriptor.get("temporal", {}))

    @property
    def views(self) -> list[dict[str, Any]]:
        return list(self.descriptor.get("views", []))

    def resource(self, name: str) -> Resource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(f"dataset {self.slug!r} has no resource {name!r}")
