"""Datasets: discovering dataset folders, reading their descriptors, and the domain model.

This is the first stage of the pipeline and the only one that reads ``datasets/``.
A dataset is a folder ``datasets/<slug>/`` with a Frictionless Data Package descriptor
(``datapackage.json`` or ``datapackage.yaml``) and its data files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .report import ValidationError

DESCRIPTOR_NAMES = ("datapackage.json", "datapackage.yaml", "datapackage.yml")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Text that a browser or a spreadsheet would treat as markup; metadata is plain text.
MARKUP_PATTERN = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|javascript:", re.IGNORECASE)
REQUIRED_METADATA = ("title", "description", "licenses")
TEXT_METADATA = ("title", "description")


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
    path: Path
    relpath: str
    descriptor: dict[str, Any]

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


def discover_dataset_folders(root: Path) -> list[Path]:
    """Every ``root/<slug>/`` folder, sorted by slug (hidden and ``_`` folders skipped)."""
    if not root.is_dir():
        return []
    return sorted(
        path for path in root.iterdir() if path.is_dir() and not path.name.startswith((".", "_"))
    )


def find_descriptor(folder: Path) -> Path | None:
    for name in DESCRIPTOR_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


class DescriptorProblem(Exception):
    """The descriptor cannot be used at all; ``errors`` say why."""

    def __init__(self, errors: list[ValidationError]):
        self.errors = errors
        super().__init__("; ".join(error.message for error in errors))


def read_descriptor(folder: Path, display_root: Path | None = None) -> tuple[dict, Path, str]:
    """Parse a dataset folder's descriptor; raise DescriptorProblem naming file and line."""
    slug = folder.name
    path = find_descriptor(folder)
    if path is None:
        raise DescriptorProblem(
            [
                ValidationError(
                    type="descriptor-missing",
                    message=f"no datapackage.json or datapackage.yaml in {folder.name}/",
                    dataset=slug,
                    file=display_path(folder, display_root),
                )
            ]
        )
    shown = display_path(path, display_root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DescriptorProblem(
            [descriptor_error(slug, shown, f"the descriptor is not UTF-8 text: {error.reason}")]
        ) from error
    try:
        descriptor = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise DescriptorProblem(
            [descriptor_error(slug, shown, f"invalid JSON: {error.msg}", line=error.lineno)]
        ) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DescriptorProblem(
            [descriptor_error(slug, shown, f"invalid YAML: {error}", line=line)]
        ) from error
    if not isinstance(descriptor, dict):
        raise DescriptorProblem(
            [descriptor_error(slug, shown, "the descriptor must be an object of properties")]
        )
    return descriptor, path, text


def descriptor_error(slug: str, file: str, message: str, line: int | None = None):
    return ValidationError(
        type="descriptor-error", message=message, dataset=slug, file=file, line=line
    )


def display_path(path: Path, root: Path | None) -> str:
    """A path as an editor sees it in the repository (relative where possible)."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def line_of(text: str, needle: str, occurrence: int = 0) -> int | None:
    """The 1-based line of an occurrence (0 = the first) of ``needle`` in a descriptor's text."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.find(needle, index + 1)
        if index < 0:
            return None
    return text.count("\n", 0, index) + 1


def check_descriptor(
    slug: str,
    folder: Path,
    descriptor: dict[str, Any],
    text: str,
    shown: str,
    max_file_bytes: int,
) -> list[ValidationError]:
    """Portal rules that a Data Package alone does not enforce.

    Every problem is returned, not the first: paths that leave the folder, remote URLs,
    missing or oversized files, missing metadata, and markup in metadata.
    """
    errors: list[ValidationError] = []

    def error(
        type_: str, message: str, needle: str | None = None, occurrence: int = 0, **where: Any
    ) -> None:
        line = line_of(text, needle, occurrence) if needle else None
        errors.append(
            ValidationError(
                type=type_, message=message, dataset=slug, file=shown, line=line, **where
            )
        )

    if not SLUG_PATTERN.match(slug):
        error("descriptor-error", f'folder name "{slug}" must be lowercase letters, digits, dashes')
    for key in REQUIRED_METADATA:
        if not descriptor.get(key):
            error("metadata-required", f'the dataset needs a "{key}"', needle=None)
    name = descriptor.get("name")
    if name is not None and name != slug:
        error(
            "descriptor-error",
            f'"name" is "{name}" but the folder is "{slug}"; they must be the same',
            needle='"name"',
        )
    # Marks are yielded in document order, so the n-th mark with the same wording is the
    # n-th occurrence of that text in the file.
    seen: dict[str, int] = {}
    for path, value in todo_marks(descriptor):
        needle = json.dumps(value, ensure_ascii=False)
        error(
            "metadata-required",
            f"{path} is still to be written ({value})",
            needle=needle,
            occurrence=seen.get(needle, 0),
        )
        seen[needle] = seen.get(needle, 0) + 1
    for key, value in metadata_texts(descriptor):
        if MARKUP_PATTERN.search(value):
            error(
                "metadata-markup",
                f'"{key}" contains HTML markup; write plain text (it is shown as typed)',
                needle=value[:40],
            )
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        error("metadata-required", 'the dataset needs a non-empty "resources" list', "resources")
        return errors
    root = folder.resolve()
    for index, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            error("descriptor-error", f"resource {index} must be an object")
            continue
        name = resource.get("name", f"#{index}")
        for key in ("path", "schema"):
            value = resource.get(key)
            if not isinstance(value, str):
                continue
            needle = f'"{value}"' if f'"{value}"' in text else value
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
                error(
                    "remote-resource",
                    f'resource "{name}": {key} "{value}" is a URL; put the file in the '
                    "dataset folder and give its relative path",
                    needle,
                    resource=name,
                )
                continue
            target = (folder / value).resolve()
            if Path(value).is_absolute() or not target.is_relative_to(root):
                error(
                    "unsafe-path",
                    f'resource "{name}": {key} "{value}" leaves the dataset folder',
                    needle,
                    resource=name,
                )
                continue
            if not target.is_file():
                error(
                    "source-error",
                    f'resource "{name}": file "{value}" does not exist in {slug}/',
                    needle,
                    resource=name,
                )
                continue
            size = target.stat().st_size
            if key == "path" and size > max_file_bytes:
                error(
                    "file-too-large",
                    f'resource "{name}": "{value}" is {size:,} bytes, over the limit of '
                    f"{max_file_bytes:,} bytes (MOLDIR['max_file_bytes'])",
                    needle,
                    resource=name,
                )
        if isinstance(resource.get("path"), list):
            error(
                "descriptor-error", f'resource "{name}": give one file per resource', resource=name
            )
    return errors


TODO_MARK = "TODO:"


def todo_marks(value: Any, path: str = ""):
    """(dotted path, text) of every ``TODO:`` mark left by ``moldir new``."""
    if isinstance(value, str):
        if value.startswith(TODO_MARK):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from todo_marks(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from todo_marks(item, f"{path}[{index}]")


def metadata_texts(descriptor: dict[str, Any]):
    """(property, text) pairs of the human-readable metadata shown on pages."""
    for key in TEXT_METADATA:
        value = descriptor.get(key)
        if isinstance(value, str):
            yield key, value
    for keyword in descriptor.get("keywords", []) or []:
        if isinstance(keyword, str):
            yield "keywords", keyword
    for lang, block in (descriptor.get("i18n") or {}).items():
        if isinstance(block, dict):
            for key in TEXT_METADATA:
                if isinstance(block.get(key), str):
                    yield f"i18n.{lang}.{key}", block[key]
    for resource in descriptor.get("resources", []) or []:
        if not isinstance(resource, dict):
            continue
        for key in TEXT_METADATA:
            if isinstance(resource.get(key), str):
                yield f"resources.{resource.get('name')}.{key}", resource[key]
        schema = resource.get("schema")
        if isinstance(schema, dict):
            for item in schema.get("fields", []) or []:
                if isinstance(item, dict):
                    for key in TEXT_METADATA:
                        if isinstance(item.get(key), str):
                            yield f"fields.{item.get('name')}.{key}", item[key]
    for view in descriptor.get("views", []) or []:
        if isinstance(view, dict):
            for key in TEXT_METADATA:
                if isinstance(view.get(key), str):
                    yield f"views.{view.get('name')}.{key}", view[key]


def resolve_schemas(descriptor: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A copy of the descriptor with every ``schema`` path replaced by the schema itself."""
    resolved = json.loads(json.dumps(descriptor))
    for resource in resolved.get("resources", []):
        schema = resource.get("schema")
        if isinstance(schema, str):
            resource["schema"] = json.loads((folder / schema).read_text(encoding="utf-8"))
    return resolved


def build_dataset(
    folder: Path, descriptor_path: Path, descriptor: dict[str, Any], shown_path: str = ""
) -> Dataset:
    """The Dataset model of a folder whose descriptor passed validation."""
    resolved = resolve_schemas(descriptor, folder)
    resources = tuple(
        Resource(
            name=item["name"],
            path=(folder / item["path"]).resolve(),
            relpath=item["path"],
            descriptor=item,
        )
        for item in resolved["resources"]
    )
    return Dataset(
        slug=folder.name,
        folder=folder,
        descriptor_path=descriptor_path,
        descriptor=resolved,
        resources=resources,
        shown_path=shown_path or descriptor_path.as_posix(),
    )
