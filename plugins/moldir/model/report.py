"""The validation report: every error of every dataset, in one shape.

The shape follows frictionless-py's reports (``valid``, ``stats``, ``tasks[]`` with
``errors[]``, ``flatten()``) so that data users and tools that know Frictionless read
Moldir's report without surprises. Data errors keep Frictionless's kebab-case codes;
Moldir's own checks add codes of the same form (listed in ``MOLDIR_ERROR_TYPES``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

# Moldir's own error codes, beside Frictionless's (type-error, missing-cell, ...).
MOLDIR_ERROR_TYPES: dict[str, str] = {
    "descriptor-error": "The descriptor file cannot be read (bad JSON or YAML).",
    "descriptor-missing": "The dataset folder has no datapackage.json or datapackage.yaml.",
    "metadata-required": "A metadata property the portal needs is missing.",
    "metadata-markup": "Metadata contains HTML markup, which the portal never renders.",
    "unsafe-path": "A dataset folder, data, schema or dialect file leads outside the dataset "
    "folder (a path that climbs out, an absolute path, or a symbolic link).",
    "remote-reference": "A resource, schema, dialect or profile is given as a URL; Moldir never "
    "fetches anything while validating or building.",
    "invalid-name": "A dataset folder or resource name cannot be used as a file name in the "
    "site (docs/security.md: letters, digits, '.', '_', '-').",
    "unsafe-url": "A link in the metadata has a scheme other than https, http or mailto.",
    "build-error": "A dataset passed validation but its tables, downloads or pages could not "
    "be made; please report it as a bug in Moldir.",
    "content-error": "A page or article cannot be used: its front matter or text cannot be "
    "read, or its address, template or language is not valid (content.py).",
    "page-collision": "A page or article would be published at an address another file, or "
    "Moldir itself, already publishes.",
    "static-file-type": "A file under content/ is of a type a browser would run (HTML, script, "
    "an SVG with script): it is not published.",
    "unknown-topic": "The dataset's topic is not one of the portal's topics (MOLDIR['topics']).",
    "file-too-large": "A data file is larger than the configured limit.",
    "formula-cell": "A text cell starts like a spreadsheet formula.",
    "view-error": "A chart declaration (views) is not valid.",
    "kind-error": "The dataset does not follow the schema of its declared kind.",
    "consistency-error": "Figures that must agree with each other do not.",
    "schedule-error": "A reception schedule row has a bad rule, time zone, times or link.",
    "too-many-columns": "A line of a data file has more cells than MOLDIR['max_columns'].",
    "cell-too-large": "A cell is larger than MOLDIR['max_cell_bytes'].",
    "too-many-rows": "A data file has more rows than MOLDIR['max_rows'].",
    "errors-not-listed": "The error limit cut the list: this entry counts, by type, the "
    "errors found after it and not listed.",
}

# The entry that ends a list cut by the error limit (limits.not_listed): not an error of its
# own, but how many errors were found and not listed.
NOT_LISTED = "errors-not-listed"
_NOT_LISTED_COUNT = re.compile(r"and (?:at least )?([0-9][0-9,]*) more error")


def unlisted_count(error: ValidationError) -> int:
    """How many errors an ``errors-not-listed`` entry stands for (0 for other errors)."""
    if error.type != NOT_LISTED:
        return 0
    match = _NOT_LISTED_COUNT.search(error.message)
    return int(match.group(1).replace(",", "")) if match else 0


@dataclass(frozen=True)
class ValidationError:
    """One problem, located as precisely as the source allows.

    ``row`` is Frictionless's ``rowNumber``: the physical row counting the header as 1.
    ``line`` is the line in ``file`` an editor should look at (for CI annotations).
    """

    type: str
    message: str
    dataset: str
    file: str | None = None
    resource: str | None = None
    row: int | None = None
    field: str | None = None
    field_number: int | None = None
    line: int | None = None
    note: str = ""

    def to_descriptor(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}

    def where(self) -> str:
        """'file, row 4, field "amount"' — the human form of the location."""
        place = self.file or self.dataset
        parts = [f"{place}:{self.line}" if self.line and self.row is None else place]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f'field "{self.field}"')
        return ", ".join(parts)


@dataclass
class DatasetReport:
    """The validation of one dataset folder (a Frictionless task)."""

    dataset: str
    place: str
    errors: list[ValidationError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def listed(self) -> list[ValidationError]:
        """The errors, without the entries that count errors not listed."""
        return [error for error in self.errors if error.type != NOT_LISTED]

    @property
    def unlisted(self) -> int:
        """Errors found but not listed, because the error limit cut the list."""
        return sum(unlisted_count(error) for error in self.errors)

    @property
    def error_count(self) -> int:
        """Every error found: those listed and those counted but not listed."""
        return len(self.listed) + self.unlisted

    def to_descriptor(self, timings: bool = True) -> dict[str, Any]:
        """The task as JSON; ``timings=False`` leaves out the validation time, which
        differs on every run (the published report must not change when the data does not)."""
        stats = {k: v for k, v in self.stats.items() if timings or k != "seconds"}
        counts = {"errors": self.error_count, "warnings": len(self.warnings)}
        if self.unlisted:
            counts["unlisted"] = self.unlisted
        return {
            "name": self.dataset,
            "place": self.place,
            "valid": self.valid,
            "stats": {**stats, **counts},
            "warnings": list(self.warnings),
            "errors": [error.to_descriptor() for error in self.errors],
        }


@dataclass
class Report:
    """The validation of a whole portal: one task per dataset."""

    tasks: list[DatasetReport] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(task.valid for task in self.tasks)

    @property
    def errors(self) -> list[ValidationError]:
        return [error for task in self.tasks for error in task.errors]

    @property
    def error_count(self) -> int:
        """Every error found, listed or not (see ``DatasetReport.unlisted``)."""
        return sum(task.error_count for task in self.tasks)

    def task(self, dataset: str) -> DatasetReport:
        for task in self.tasks:
            if task.dataset == dataset:
                return task
        raise KeyError(dataset)

    def flatten(self, keys: Sequence[str] = ("dataset", "row", "field", "type")) -> list[list]:
        """Rows of the chosen error attributes, as frictionless's ``Report.flatten``."""
        return [[getattr(error, key) for key in keys] for error in self.errors]

    def to_descriptor(self, timings: bool = True) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "stats": {
                "datasets": len(self.tasks),
                "errors": self.error_count,
                "rows": sum(task.stats.get("rows", 0) for task in self.tasks),
            },
            "tasks": [task.to_descriptor(timings) for task in self.tasks],
        }


class InvalidDatasets(Exception):
    """Raised by the pipeline when any dataset is invalid; carries the whole report."""

    def __init__(self, report: Report):
        self.report = report
        count = report.error_count
        super().__init__(f"{count} validation error{'s' if count != 1 else ''}; nothing was built")


def merge(reports: Iterable[DatasetReport]) -> Report:
    return Report(tasks=list(reports))
