"""Validation: every dataset checked with Frictionless before anything is written.

``validate_portal`` collects every error of every dataset (never stopping at the first)
into one ``Report``; the build publishes nothing unless it is valid.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import frictionless
from frictionless import Check, Checklist, errors

from moldir.model.dataset import Dataset
from moldir.model.errors import (
    DescriptorError,
    FileTooLarge,
    FormulaCell,
    MissingFile,
    RemoteReference,
    UnsafePath,
)
from moldir.model.report import DatasetReport, Report, ValidationError
from moldir.model.safety import safe_name, url_scheme
from moldir.pipeline import fastcheck, hints, progress
from moldir.pipeline.discover import (
    OFFICIAL_PROFILE_URL,
    DescriptorProblem,
    build_dataset,
    check_descriptor,
    descriptor_warnings,
    discover_dataset_folders,
    display_path,
    is_official_profile,
    line_of,
    read_descriptor,
    with_fallbacks,
)
from moldir.pipeline.limits import Limits
from moldir.pipeline.memo import NO_MEMO, Memo
from moldir.pipeline.parallel import started_in_parallel

# Formula cells (docs/security.md, "Downloads and formulas"). A text cell or a field name
# is *rejected* when a spreadsheet would run it: after leading whitespace (tab and carriage
# return included) it starts with "=", or it starts with "+", "-" or "@" and holds an
# executable part — a function call (a name directly followed by "(": "@SUM(A1)",
# "-HYPERLINK("), a DDE link (a name, "|" and a quoted topic or a later "!":
# "+1+cmd|' /C calc'!A0"), a cell reference ("!A0", "Sheet1!$B$2"), or "=" after the sign.
# Ordinary text that merely starts with a sign ("+7 7172 …", "-5 °C", " - item", "--",
# "@user") is accepted; the downloads still write it with a leading "'" (downloads.py).
# FORMULA_PATTERN is the trigger (fastcheck's FORMULA_CANDIDATE_RE is a superset of it);
# ``formula_cell`` decides. Every pattern is linear in the cell's length.
FORMULA_PATTERN = re.compile(r"^\s*[=+\-@]")
_FORMULA_CALL = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*+\(")
_FORMULA_PIPE = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*+\s*+\|\s*+(')?")
_FORMULA_REFERENCE = re.compile(r"!\$?[A-Za-z]{1,3}\$?[0-9]")


def formula_cell(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (the rule above)."""
    match = FORMULA_PATTERN.match(text)
    if match is None:
        return False
    if text[match.end() - 1] == "=":
        return True
    rest = text[match.end() :]
    if rest.lstrip().startswith("="):
        return True
    if _FORMULA_CALL.search(rest) or _FORMULA_REFERENCE.search(rest):
        return True
    pipe = _FORMULA_PIPE.search(rest)
    return pipe is not None and (pipe.group(1) is not None or "!" in rest[pipe.end() :])


# Extra checks a dataset may run; each is a Frictionless Check, named by its type.
DatasetCheck = Callable[[Dataset], Iterable[ValidationError]]


class FormulaCellError(errors.CellError):
    # Code, title and description from Moldir's registry (model/errors.py).
    type = FormulaCell.code
    title = FormulaCell.title
    description = FormulaCell.description
    template = (
        'Cell in row {rowNumber} and field "{fieldName}" starts like a spreadsheet formula: {note}'
    )


class FormulaLabelError(errors.LabelError):
    # The same code as a cell: a field name is the header cell of every download.
    type = FormulaCell.code
    title = FormulaCell.title
    description = FormulaCell.description
    template = (
        'Field name "{label}" in field {fieldNumber} starts like a spreadsheet formula: {note}'
    )


def formula_note(text: str) -> str:
    shown = text.lstrip()[:40]
    return f'"{shown}"; remove the leading "{shown[:1]}" or write the text differently'


class FormulaCells(Check):
    """Reject text cells and field names that a spreadsheet would run (CSV injection)."""

    type = "formula-cells"
    Errors: ClassVar = [FormulaCellError, FormulaLabelError]

    def validate_start(self):
        # Field names become the header of every CSV and XLSX download. In a file with a
        # header, the error is located at the header row, in the field's column.
        dialect = self.resource.dialect
        rows = list(dialect.header_rows or []) if dialect.header else []
        labels = list(self.resource.labels or [])
        for number, field in enumerate(self.resource.schema.fields, start=1):
            if not formula_cell(field.name):
                continue
            if rows:
                yield FormulaCellError(
                    note=formula_note(field.name),
                    cells=[str(label) for label in labels],
                    row_number=rows[-1],
                    cell=field.name,
                    field_name=field.name,
                    field_number=number,
                )
            else:
                yield FormulaLabelError(
                    note=formula_note(field.name),
                    labels=[item.name for item in self.resource.schema.fields],
                    label=field.name,
                    row_numbers=[],
                    field_name=field.name,
                    field_number=number,
                )

    def validate_row(self, row):
        for field_name, cell in row.items():
            if isinstance(cell, str) and formula_cell(cell):
                yield FormulaCellError.from_row(row, note=formula_note(cell), field_name=field_name)


@dataclass(frozen=True)
class ValidationOptions:
    """What the validator needs from the site settings."""

    max_file_bytes: int = 200 * 1024 * 1024
    display_root: Path | None = None
    # Columns, cell size and rows of a data file (limits.py, MOLDIR settings).
    limits: Limits = Limits()  # noqa: RUF009 - frozen, so one shared default is safe


# Errors after which a resource's file must not be opened (it is unsafe, remote, missing or
# too large); the other resources of the dataset are still checked in the same run.
UNREADABLE = {UnsafePath.code, RemoteReference.code, MissingFile.code, FileTooLarge.code}


def validate_dataset(
    folder: Path, options: ValidationOptions
) -> tuple[DatasetReport, Dataset | None]:
    """Validate one dataset folder; return its report and, when valid, its Dataset.

    Everything is checked in one pass, so an editor fixes everything in one round: the
    portal's rules on the descriptor, then the data of every resource whose files can be
    read safely — even when the metadata has errors.
    """
    started = time.perf_counter()
    slug = folder.name
    task = DatasetReport(dataset=slug, place=display_path(folder, options.display_root))
    outside = folder_outside(folder)
    if outside:
        task.errors.append(
            UnsafePath.error(slug, file=display_path(folder, options.display_root), details=outside)
        )
        return task, None
    try:
        descriptor, descriptor_path, text = read_descriptor(folder, options.display_root)
    except DescriptorProblem as problem:
        task.errors.extend(problem.errors)
        return task, None
    shown = display_path(descriptor_path, options.display_root)
    filled = with_fallbacks(descriptor, folder)
    task.warnings.extend(descriptor_warnings(slug, descriptor, filled, text, shown))
    task.errors.extend(check_descriptor(slug, folder, filled, text, shown, options.max_file_bytes))
    unreadable = {
        error.resource for error in task.errors if error.type in UNREADABLE and error.resource
    }
    readable = readable_package(filled, unreadable)
    if readable["resources"]:
        task.errors.extend(
            frictionless_errors(
                slug, folder, readable, text, shown, task, options.display_root, options.limits
            )
        )
    dataset = None
    if not task.errors:
        dataset = build_dataset(folder, descriptor_path, descriptor, shown)
    task.stats["seconds"] = round(time.perf_counter() - started, 3)
    return task, dataset


def folder_outside(folder: Path) -> str:
    """Why a dataset folder must not be read ("" when it may): a folder that is a link
    leads outside the datasets folder, whatever it points at now."""
    if folder.is_symlink():
        return (
            f"{folder.name}/ is a symbolic link ({folder.resolve()}); a dataset folder must be "
            "a real folder inside the datasets folder"
        )
    return ""


def readable_package(descriptor: dict[str, Any], unreadable: set[str | None]) -> dict[str, Any]:
    """The descriptor Frictionless checks: resources whose files may be opened, each under a
    safe name (an unusable name is reported by check_descriptor; the data is still checked
    under ``resource-<n>``, and errors are mapped back to the name the editor wrote)."""
    resources = []
    for index, resource in enumerate(descriptor.get("resources") or [], start=1):
        if not isinstance(resource, dict):
            continue
        name = resource.get("name")
        if name in unreadable or not isinstance(resource.get("path", ""), str):
            continue
        if isinstance(resource.get("path"), str) and not resource["path"]:
            continue
        if not safe_name(name):
            resource = {**resource, "name": f"resource-{index}", "x-moldir-name": str(name)}
        resources.append(resource)
    return {**descriptor, "resources": resources}


def frictionless_errors(
    slug: str,
    folder: Path,
    descriptor: dict[str, Any],
    text: str,
    shown: str,
    task: DatasetReport,
    display_root: Path | None,
    limits: Limits | None = None,
) -> list[ValidationError]:
    """Run Frictionless on the package; translate its errors to Moldir's located errors."""
    found: list[ValidationError] = []
    try:
        package = frictionless.Package(declared_defaults(descriptor), basepath=str(folder))
    except frictionless.FrictionlessException as exception:
        problems = exception.reasons or [exception.error]
        found.extend(descriptor_level_error(slug, shown, text, error) for error in problems)
        # The package's metadata is not valid for Frictionless: still check the data in
        # this run, with the resources alone, so the editor sees every error at once.
        try:
            package = frictionless.Package(
                declared_defaults({"resources": descriptor["resources"]}), basepath=str(folder)
            )
        except frictionless.FrictionlessException:
            return found
    # Same report as package.validate; large plain CSVs take the vectorised path (fastcheck).
    report = fastcheck.validate_package(package, Checklist(checks=[FormulaCells()]), limits=limits)
    # Resources checked under a stand-in name (readable_package) report under their own.
    original_names = {
        resource["name"]: resource["x-moldir-name"]
        for resource in descriptor["resources"]
        if "x-moldir-name" in resource
    }
    for error in report.errors:  # package-level metadata errors
        found.append(descriptor_level_error(slug, shown, text, error))
    rows = 0
    for report_task in report.tasks:
        resource_name = original_names.get(report_task.name, report_task.name)
        # Inline rows ("data") have no file: their errors point at the descriptor.
        place = str(report_task.place or "")
        inline = not place or place.startswith("<")
        data_file = shown if inline else display_path(folder / place, display_root)
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
    return hints.add_dialect_hints(found, folder, descriptor, slug, display_root)


def declared_defaults(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The descriptor with the CSV defaults made explicit (UTF-8, comma).

    Frictionless would otherwise sniff an undeclared encoding or delimiter and pass a file
    that the portal then reads differently; an editor must declare what is not the default.
    """
    copied = {**descriptor, "resources": []}
    official_profile(copied)
    for resource in descriptor.get("resources", []):
        resource = dict(resource)
        resource.pop("x-moldir-name", None)
        official_profile(resource)
        if str(resource.get("path", "")).lower().endswith(".csv"):
            resource.setdefault("encoding", "utf-8")
            dialect = resource.get("dialect")
            if dialect is None:
                resource["dialect"] = {"delimiter": ","}
            elif isinstance(dialect, dict) and "delimiter" not in dialect:
                resource["dialect"] = {**dialect, "delimiter": ","}
        copied["resources"].append(resource)
    return copied


def official_profile(descriptor: dict[str, Any]) -> None:
    """A v1 profile given as the official URL becomes its name, which Frictionless knows
    without fetching anything (it would download the URL); any other remote profile was
    reported by check_descriptor and is left out, so that nothing is fetched."""
    profile = descriptor.get("profile")
    if isinstance(profile, str):
        match = OFFICIAL_PROFILE_URL.match(profile)
        if match:
            descriptor["profile"] = match.group(1)
        elif url_scheme(profile):
            del descriptor["profile"]
    schema = descriptor.get("$schema")
    if isinstance(schema, str) and url_scheme(schema) and not is_official_profile(schema):
        del descriptor["$schema"]


# Errors of the header row (hints.py also reads them to suggest a dialect).
LABEL_ERRORS = hints.LABEL_ERRORS


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


def without_day(settings: Any) -> Any:
    """``settings`` as a dataset's results depend on them: a dataset is read as of the
    build date's year only (``tables.as_of``: dates without a year), so a fixed
    ``MOLDIR_TODAY`` counts by its year, and a new day does not validate, read and write
    every dataset again (the year of an unfixed day is in ``dataset_fingerprint``)."""
    day = getattr(settings, "today", None)
    if day is None:
        return settings
    return (dataclasses.replace(settings, today=None), day.year)


def validate_portal(
    datasets_root: Path,
    options: ValidationOptions,
    extra_checks: Iterable[DatasetCheck] = (),
    settings: Any = None,
    memo: Memo = NO_MEMO,
    jobs: int = 1,
) -> tuple[Report, list[Dataset]]:
    """Validate every dataset under ``datasets_root``; return the report and valid datasets.

    ``extra_checks`` are run on each dataset that passed Frictionless (charts, kinds, ...);
    on an invalid dataset, their descriptor part (``on_invalid``, see ``descriptor_only``)
    runs on its draft, so that those errors come in the same run as the data's. Their
    errors are added to that dataset's task. ``settings``: the settings the results of a
    dataset may depend on besides ``options``; ``memo`` may remember each dataset's
    validation under its files, the code, ``options`` and ``settings`` (``moldir build``).
    ``jobs`` > 1 validates the datasets the memo does not remember in that many worker
    processes (parallel.py); the report is the same as with one.
    """
    report = Report()
    datasets: list[Dataset] = []
    checks = list(extra_checks)
    folders = discover_dataset_folders(datasets_root)
    inputs = (options, without_day(settings))
    todo = [folder for folder in folders if not memo.remembers_dataset(folder, inputs)]
    work = functools.partial(validate_dataset, options=options)
    with started_in_parallel(todo, work, str, folder_size, jobs) as validated:
        for folder in progress.progress("validating datasets", folders):
            with progress.STAGES.stage("validate", 1):
                task, dataset = memo.dataset(
                    folder, inputs, lambda folder=folder: validated(folder)
                )
            task = run_checks(task, dataset, folder, options, checks)
            if dataset is not None and task.valid:
                datasets.append(dataset)
            report.tasks.append(task)
    return report, datasets


def folder_size(folder: Path) -> int:
    """The bytes of the files in a dataset folder (which to validate first)."""
    size = 0
    for parent, _folders, files in os.walk(folder):  # links not followed
        for name in files:
            with contextlib.suppress(OSError):
                size += os.lstat(os.path.join(parent, name)).st_size
    return size


def run_checks(
    task: DatasetReport,
    dataset: Dataset | None,
    folder: Path,
    options: ValidationOptions,
    checks: list[DatasetCheck],
) -> DatasetReport:
    """A copy of ``task`` with the errors of ``checks`` added.

    The task is never changed: the errors of this run's checks belong to this run only.
    """
    task = copy.copy(task)
    task.errors = list(task.errors)
    task.warnings = list(task.warnings)
    task.stats = dict(task.stats)
    if dataset is not None:
        for check in checks:
            task.errors.extend(check(dataset))
        return task
    on_invalid = [check.on_invalid for check in checks if hasattr(check, "on_invalid")]
    if on_invalid:
        draft = draft_dataset(folder, options)
        if draft is not None:
            for check in on_invalid:
                task.errors.extend(check(draft))
    return task


def draft_dataset(folder: Path, options: ValidationOptions) -> Dataset | None:
    """The model of an invalid dataset for checks that read only its descriptor: the
    resources whose names and files are usable, schemas resolved (None when even that
    cannot be made)."""
    try:
        descriptor, descriptor_path, text = read_descriptor(folder, options.display_root)
        shown = display_path(descriptor_path, options.display_root)
        problems = check_descriptor(
            folder.name, folder, with_fallbacks(descriptor, folder), text, shown, 1 << 62
        )
        unusable = {error.resource for error in problems if error.resource}
        if any(error.type == DescriptorError.code and not error.resource for error in problems):
            return None
        resources = []
        for resource in descriptor.get("resources") or []:
            if not isinstance(resource, dict) or not safe_name(resource.get("name")):
                continue
            if resource.get("name") in unusable:
                # Kept without what cannot be read (its file, a remote or unsafe schema or
                # dialect), so that a view naming it is not reported as naming nothing.
                resource = {
                    key: value
                    for key, value in resource.items()
                    if key != "path"
                    and not (key in ("schema", "dialect") and isinstance(value, str))
                }
            resources.append(resource)
        return build_dataset(folder, descriptor_path, {**descriptor, "resources": resources}, shown)
    except Exception:  # a draft is best effort; the real errors are reported already
        return None


def descriptor_only(check: DatasetCheck) -> DatasetCheck:
    """Mark a check that reads only the descriptor, so it runs on invalid datasets too.

    A check may instead set ``check.on_invalid`` to another check: the part of it that
    needs no valid data, run on the draft of an invalid dataset (charts do this)."""
    check.on_invalid = check  # type: ignore[attr-defined]
    return check
