"""The validation report: every error of every dataset, in one shape.

The shape follows frictionless-py's reports (``valid``, ``stats``, ``tasks[]`` with
``errors[]``, ``flatten()``) so that data users and tools that know Frictionless read
Moldir's report without surprises. Data errors keep Frictionless's kebab-case codes;
Moldir's own checks add codes of the same form, each a class of the registry in
``errors.py`` (code, title, description, message template); the formats a report is
printed in (text, JSON, GitHub annotations, Markdown) are in ``report_formats.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

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


class ValidationWarning(str):
    """What the portal filled in or left out (never stops a build): a ``type`` of the
    registry (``errors.WARNINGS``), a ``message`` and where it was found (``dataset``,
    ``file``, ``line``, ``resource``).

    The warning *is* its text, as reports print and publish it: the place (``file:line``),
    then the message; so it is compared, searched and written to JSON as text.
    """

    type: str
    message: str
    dataset: str
    file: str | None
    line: int | None
    resource: str | None

    def __new__(
        cls,
        type: str,  # the report's name for the code, as ValidationError.type
        message: str,
        dataset: str = "",
        file: str | None = None,
        line: int | None = None,
        resource: str | None = None,
    ) -> ValidationWarning:
        place = (f"{file}:{line}" if line else file) if file else None
        warning = super().__new__(cls, f"{place}: {message}" if place else message)
        warning.type, warning.message, warning.dataset = type, message, dataset
        warning.file, warning.line, warning.resource = file, line, resource
        return warning

    def __getnewargs__(self) -> tuple[Any, ...]:  # type: ignore[override]
        # Pickled (the build cache) and copied with its type and place.
        return (self.type, self.message, self.dataset, self.file, self.line, self.resource)

    def __repr__(self) -> str:
        return f"ValidationWarning({self.type!r}, {str(self)!r})"

    def to_descriptor(self) -> dict[str, Any]:
        """The warning's parts (the report publishes its text, ``str(warning)``)."""
        parts = {
            "type": self.type,
            "message": self.message,
            "dataset": self.dataset,
            "file": self.file,
            "line": self.line,
            "resource": self.resource,
        }
        return {key: value for key, value in parts.items() if value not in (None, "")}


@dataclass
class DatasetReport:
    """The validation of one dataset folder (a Frictionless task)."""

    dataset: str
    place: str
    errors: list[ValidationError] = field(default_factory=list)
    warnings: list[ValidationWarning] = field(default_factory=list)
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
            # As text (place and message), the published shape of a warning.
            "warnings": [str(warning) for warning in self.warnings],
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
