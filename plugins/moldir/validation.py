"""Validation: every dataset checked with Frictionless before anything is written.

``validate_portal`` collects every error of every dataset (never stopping at the first)
into one ``Report``; the build publishes nothing unless it is valid.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import frictionless
from frictionless import Check, Checklist, errors

from . import cache, fastcheck
from .datasets import (
    Dataset,
    DescriptorProblem,
    build_dataset,
    check_descriptor,
    discover_dataset_folders,
    display_path,
    line_of,
    read_descriptor,
)
from .report import DatasetReport, Report, ValidationError

# A text cell that Excel or LibreOffice would run as a formula ("=HYPERLINK(…)",
# "+cmd|…", "@SUM(…)"). Phone numbers such as "+7 7172 …" and dashes are not formulas.
FORMULA_PATTERN = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*[(|!])")

# Extra checks a dataset may run; each is a Frictionless Check, named by its type.
DatasetCheck = Callable[[Dataset], Iterable[ValidationError]]


class FormulaCellError(errors.CellError):
    type = "formula-cell"
    title = "Formula Cell"
    description = "A text cell starts like a spreadsheet formula, which spreadsheets would run."
    template = (
        'Cell in row {rowNumber} and field "{fieldName}" starts like a spreadsheet formula: {note}'
    )


class FormulaCells(Check):
    """Reject text cells that a spreadsheet would execute (CSV/formula injection)."""

    type = "formula-cells"
    Errors: ClassVar = [FormulaCellError]

    def validate_row(self, row):
        for field_name, cell in row.items():
            if isinstance(cell, str) and FORMULA_PATTERN.match(cell):
                yield FormulaCellError.from_row(
                    row,
                    note=f'"{cell[:40]}"; remove the leading "{cell.strip()[0]}"',
                    field_name=field_name,
                )


@dataclass(frozen=True)
class ValidationOptions:
    """What the validator needs from the site settings."""

    max_file_bytes: int = 200 * 1024 * 1024
    display_root: Path | None = None


def validate_dataset(
    folder: Path, options: ValidationOptions
) -> tuple[DatasetReport, Dataset | None]:
    """Validate one dataset folder; return its report and, when valid, its Dataset."""
    started = time.perf_counter()
    slug = folder.name
    task = DatasetReport(dataset=slug, place=display_path(folder, options.display_root))
    try:
        descriptor, descriptor_path, text = read_descriptor(folder, options.display_root)
    except DescriptorProblem as problem:
        task.errors.extend(problem.errors)
        return task, None
    shown = display_path(descriptor_path, options.display_root)
    task.errors.extend(
        check_descriptor(slug, folder, descriptor, text, shown, options.max_file_bytes)
    )
    if task.errors:
        # Unsafe or missing files: Frictionless must not open them.
        return task, None
    task.errors.extend(
        frictionless_errors(slug, folder, descriptor, text, shown, task, options.display_root)
    )
    dataset = None
    if not task.errors:
        dataset = build_dataset(folder, descriptor_path, descriptor, shown)
    task.stats["seconds"] = round(time.perf_counter() - started, 3)
    return task, dataset


def frictionless_errors(
    slug: str,
    folder: Path,
    descriptor: dict[str, Any],
    text: str,
    shown: str,
    task: DatasetReport,
    display_root: Path | None,
) -> list[ValidationError]:
    """Run Frictionless on the package; translate its errors to Moldir's located errors."""
    try:
        package = frictionless.Package(declared_defaults(descriptor), basepath=str(folder))
    except frictionless.FrictionlessException as exception:
        found = exception.reasons or [exception.error]
        return [descriptor_level_error(slug, shown, text, error) for error in found]
    # Same report as package.validate; large plain CSVs take the vectorised path (fastcheck).
    report = fastcheck.validate_package(package, Checklist(checks=[FormulaCells()]))
    found: list[ValidationError] = []
    for error in report.errors:  # package-level metadata errors
        found.append(descriptor_level_error(slug, shown, text, error))
    rows = 0
    for report_task in report.tasks:
        resource_name = report_task.name
        data_file = display_path(folder / report_task.place, display_root)
        rows += report_task.stats.get("rows") or 0
        task.stats.setdefault("resources", {})[resource_name] = {
            "rows": report_task.stats.get("rows"),
            "bytes": report_task.stats.get("bytes"),
            "hash": report_task.stats.get("sha256"),
            "fields": report_task.stats.get("fields"),
        }
        for error in report_task.errors:
            row = getattr(error, "row_number", None)
            field_name = getattr(error, "field_name", None)
            is_data_error = row is not None or error.type in LABEL_ERRORS
            found.append(
                ValidationError(
                    type=error.type,
                    message=error.message,
                    dataset=slug,
                    file=data_file if is_data_error else shown,
                    resource=resource_name,
                    row=row,
                    field=field_name or None,
                    field_number=getattr(error, "field_number", None),
                    # CSV: the header is line 1, so rowNumber is the line (no multi-line cells).
                    line=row if row is not None else (1 if is_data_error else None),
                    note=getattr(error, "note", "") or "",
                )
            )
    task.stats["rows"] = rows
    return add_dialect_hints(found, folder, descriptor)


def add_dialect_hints(
    found: list[ValidationError], folder: Path, descriptor: dict[str, Any]
) -> list[ValidationError]:
    """Header errors on a file whose header is split by another separator get a hint saying
    which ``dialect`` to declare (spreadsheets here often export semicolons)."""
    hinted: set[str] = set()
    result = []
    for error in found:
        if error.type in LABEL_ERRORS and error.resource and error.resource not in hinted:
            resource = next(
                (r for r in descriptor.get("resources", []) if r.get("name") == error.resource),
                {},
            )
            delimiter = (resource.get("dialect") or {}).get("delimiter", ",")
            separator = likely_separator(folder / str(resource.get("path", "")), delimiter)
            if separator:
                hinted.add(error.resource)
                shown = "\\t" if separator == "\t" else separator
                error = replace(
                    error,
                    note=f'the header is separated by "{shown}": declare '
                    f'"dialect": {{"delimiter": "{shown}"}} on resource "{error.resource}"',
                )
        result.append(error)
    return result


def likely_separator(path: Path, declared: str) -> str | None:
    """A separator other than the declared one that splits the header into more columns."""
    try:
        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8", errors="replace")
    except OSError:
        return None
    counts = {sep: header.count(sep) for sep in (";", "\t", "|", ",") if sep != declared}
    best = max(counts, key=counts.get)
    return best if counts[best] > header.count(declared) else None


def declared_defaults(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The descriptor with the CSV defaults made explicit (UTF-8, comma).

    Frictionless would otherwise sniff an undeclared encoding or delimiter and pass a file
    that the portal then reads differently; an editor must declare what is not the default.
    """
    copied = {**descriptor, "resources": []}
    for resource in descriptor.get("resources", []):
        resource = dict(resource)
        if str(resource.get("path", "")).lower().endswith(".csv"):
            resource.setdefault("encoding", "utf-8")
            dialect = resource.get("dialect")
            if dialect is None:
                resource["dialect"] = {"delimiter": ","}
            elif isinstance(dialect, dict) and "delimiter" not in dialect:
                resource["dialect"] = {**dialect, "delimiter": ","}
        copied["resources"].append(resource)
    return copied


LABEL_ERRORS = {
    "blank-label",
    "duplicate-label",
    "missing-label",
    "extra-label",
    "incorrect-label",
    "blank-header",
}


def descriptor_level_error(slug: str, shown: str, text: str, error: Any) -> ValidationError:
    note = getattr(error, "note", "") or ""
    # Point at the line naming the offending field or resource when the note names it.
    quoted = re.findall(r'"([^"]+)"', note)
    line = next((line_of(text, f'"{name}"') for name in quoted if f'"{name}"' in text), None)
    return ValidationError(
        type=error.type,
        message=error.message,
        dataset=slug,
        file=shown,
        line=line,
        note=note,
    )


def validate_portal(
    datasets_root: Path,
    options: ValidationOptions,
    extra_checks: Iterable[DatasetCheck] = (),
) -> tuple[Report, list[Dataset]]:
    """Validate every dataset under ``datasets_root``; return the report and valid datasets.

    ``extra_checks`` are run on each dataset that passed Frictionless (charts, kinds, ...);
    their errors are added to that dataset's task.
    """
    report = Report()
    datasets: list[Dataset] = []
    checks = list(extra_checks)
    folders = discover_dataset_folders(datasets_root)
    for folder in cache.progress("validating datasets", folders):
        # Cached per dataset fingerprint during ``moldir build`` (cache.py).
        task, dataset = cache.validate_dataset(folder, options, validate_dataset)
        if dataset is not None:
            for check in checks:
                task.errors.extend(check(dataset))
            if task.valid:
                datasets.append(dataset)
        report.tasks.append(task)
    return report, datasets
