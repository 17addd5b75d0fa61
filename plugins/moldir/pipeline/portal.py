"""The portal: every valid dataset with its typed tables and downloads.

``load_portal`` runs the pipeline from dataset folders to data ready for pages:
validate (all datasets, all errors) → ask when each dataset last changed
(``signals.dataset_dates``) → read typed tables → plan downloads (dated) → let features
(charts, history, kinds) add their results through ``signals.portal_loaded``.
It raises ``InvalidDatasets`` with the whole report when anything is wrong.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from moldir.model.dataset import Dataset, Resource
from moldir.model.errors import BuildError, UnknownTopic
from moldir.model.report import DatasetReport, InvalidDatasets, Report, ValidationError
from moldir.model.settings import MoldirSettings
from moldir.model.stored import FileStore, temporary_store
from moldir.pipeline import labels, progress, signals
from moldir.pipeline.discover import TODO_MARK
from moldir.pipeline.downloads import (
    Download,
    PlannedFiles,
    XlsxLimit,
    package_downloads,
    plan_files,
)
from moldir.pipeline.limits import Limits
from moldir.pipeline.memo import NO_MEMO, Memo
from moldir.pipeline.parallel import started_in_parallel
from moldir.pipeline.validate import ValidationOptions, descriptor_only, validate_portal

# The rows of each table kept in memory when no ``preview_rows`` setting is given.
PREVIEW_KEPT = 100

# pandas (typed tables) is imported in ``derive``, when the portal is loaded for pages:
# ``moldir validate`` uses this module's checks and must not pay for it.
logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")


@dataclass
class PublishedDataset:
    """A valid dataset and everything derived from it for the site."""

    dataset: Dataset
    tables: dict[str, pd.DataFrame]
    downloads: list[Download]
    report: DatasetReport
    # Results of features (e.g. "charts", "history"), keyed by feature name.
    extras: dict[str, Any] = field(default_factory=dict)
    # Resources that have no XLSX, and why (Excel's limits), for the dataset page.
    without_xlsx: dict[str, XlsxLimit] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.dataset.slug

    @property
    def url(self) -> str:
        return f"datasets/{self.slug}/"

    def downloads_for(self, resource: Resource) -> list[Download]:
        """The normalised downloads of a resource (CSV, JSON, XLSX)."""
        return [d for d in self.downloads if d.resource == resource.name and not d.original]

    def original_for(self, resource: Resource) -> Download | None:
        """The publisher's own file of a resource, byte-identical (None for inline data)."""
        found = [d for d in self.downloads if d.resource == resource.name and d.original]
        return found[0] if found else None

    def package_downloads(self) -> list[Download]:
        return [d for d in self.downloads if d.resource is None]

    def preview(self, resource: Resource, rows: int) -> pd.DataFrame:
        """The first rows, with exact values where the typed column rounds them."""
        stored = getattr(self.tables, "preview", None)
        if stored is not None:  # StoredTables: its first rows are kept in memory
            return stored(resource.name, rows)
        typed = getattr(self.tables, "typed", {}).get(resource.name)
        if typed is not None:
            return typed.preview(rows)
        return self.tables[resource.name].head(rows)

    def row_count(self, resource: Resource) -> int:
        from moldir.pipeline.tables import table_rows

        return table_rows(self.tables, resource.name)

    @property
    def total_rows(self) -> int:
        """The rows of all its tables."""
        from moldir.pipeline.tables import table_rows

        return sum(table_rows(self.tables, name) for name in self.tables)

    @functools.cached_property
    def temporal(self) -> dict[str, str]:
        """The period the data covers: the descriptor's ``temporal`` when it gives one, else
        the earliest and latest value of the tables' temporal fields (date, datetime, year,
        yearmonth), so that catalogues and schema.org's ``temporalCoverage`` always have it."""
        declared = {
            key: str(value)
            for key, value in self.dataset.temporal.items()
            if key in ("start", "end") and value not in (None, "")
        }
        if declared:
            return declared
        return table_fact(self.tables, "coverage", lambda: data_coverage(self.dataset, self.tables))

    @property
    def formats(self) -> list[str]:
        return sorted({d.format.upper() for d in self.downloads if d.resource})


@dataclass
class Portal:
    datasets: list[PublishedDataset]
    report: Report
    settings: MoldirSettings

    def get(self, slug: str) -> PublishedDataset:
        for published in self.datasets:
            if published.slug == slug:
                return published
        raise KeyError(slug)

    def by_topic(self, topic: str) -> list[PublishedDataset]:
        return [p for p in self.datasets if p.dataset.topic == topic]

    def by_kind(self, kind: str) -> list[PublishedDataset]:
        return [p for p in self.datasets if p.dataset.kind == kind]


def topic_check(settings: MoldirSettings):
    """A dataset's topic must be one the portal knows (MOLDIR["topics"])."""

    def check(dataset: Dataset):
        topic = dataset.descriptor.get("topic")
        if isinstance(topic, str) and topic.startswith(TODO_MARK):
            return  # reported as still to be written (check_descriptor)
        if topic is not None and topic not in settings.topics:
            yield UnknownTopic.error(
                dataset.slug,
                file=dataset.shown_path,
                topic=topic,
                topics=", ".join(settings.topics),
            )

    return descriptor_only(check)


def collect_checks(settings: MoldirSettings) -> list:
    """Every check run after Frictionless: Moldir's own, then the features'."""
    checks = [topic_check(settings)]
    for _receiver, found in signals.validation_checks.send(settings):
        checks.extend(found or [])
    return checks


def validate(
    settings: MoldirSettings,
    datasets_root: Path,
    display_root: Path | None = None,
    memo: Memo = NO_MEMO,
    jobs: int = 1,
):
    """Validate every dataset with every registered check: (Report, valid Datasets).
    ``memo`` may remember each dataset's validation (``moldir build``: the build cache);
    ``jobs`` > 1 validates that many datasets at once, in worker processes."""
    options = ValidationOptions(
        max_file_bytes=settings.max_file_bytes,
        display_root=display_root,
        limits=Limits.from_settings(settings),
    )
    checks = collect_checks(settings)
    return validate_portal(datasets_root, options, checks, settings, memo, jobs)


def load_portal(
    settings: MoldirSettings,
    datasets_root: Path,
    display_root: Path | None = None,
    memo: Memo = NO_MEMO,
    jobs: int = 1,
) -> Portal:
    """Validate and load every dataset; raise InvalidDatasets if any error was found.

    ``memo`` may hand back what it remembers of a dataset (its validation, typed tables and
    downloads) instead of computing it again (``moldir build``: the build cache).
    ``jobs`` > 1 validates, reads the tables of and writes the downloads of that many
    datasets at once, in worker processes; the result is the same as with one (each
    dataset's work depends on that dataset alone, and is gathered in the datasets' order)."""
    report, datasets = validate(settings, datasets_root, display_root, memo, jobs)
    if not report.valid:
        raise InvalidDatasets(report)
    dates = last_changed(datasets)
    published = []
    from moldir.pipeline.tables import as_of  # pandas: only when loading for pages

    store = memo.file_store()
    # Dates read with format "any" take a missing year from the build date (tables.py).
    with (
        as_of(settings.today),
        derived_in_parallel(datasets, memo, store, jobs, settings.preview_rows) as derived,
    ):
        for dataset in progress.progress("tables and downloads", datasets):
            modified = dates.get(dataset.slug)
            # Remembered with the dataset's validation (``memo``); the package
            # (datapackage.json and zip) also depends on the date, so it is named with it.
            try:
                with progress.STAGES.stage("tables + downloads", 1):
                    tables, files = memo.part(
                        dataset.slug, "derived", functools.partial(derived, dataset)
                    )
                    downloads = memo.part(
                        dataset.slug,
                        f"package modified {modified}",
                        lambda d=dataset, f=files, m=modified: package(d, f, m, store),
                    )
            except Exception as problem:
                # What validates must build; if a table still cannot be read or written, the
                # editor gets a report entry naming the dataset, never a traceback.
                report.task(dataset.slug).errors.append(derive_error(dataset, problem))
                continue
            published.append(
                PublishedDataset(
                    dataset=dataset,
                    tables=tables,
                    downloads=downloads,
                    report=report.task(dataset.slug),
                    without_xlsx=dict(files.without_xlsx),
                )
            )
    if not report.valid:
        raise InvalidDatasets(report)
    portal = Portal(datasets=published, report=report, settings=settings)
    warn_untranslated(portal)
    with progress.STAGES.stage("features (charts, kinds, …)"):
        signals.portal_loaded.send(portal)
    return portal


def derived_in_parallel(
    datasets: list[Dataset], memo: Memo, store: FileStore, jobs: int, preview_rows: int
) -> contextlib.AbstractContextManager[Callable[[Dataset], tuple[Any, PlannedFiles]]]:
    """``derived(dataset)``: the dataset's tables and planned files (``derive_files``),
    those the memo does not remember started at once in ``jobs`` worker processes."""
    todo = [d for d in datasets if not memo.remembers(d.slug, "derived")]
    work = functools.partial(derive_files, store=store, preview_rows=preview_rows)
    return started_in_parallel(todo, work, lambda d: d.slug, dataset_size, jobs)


def dataset_size(dataset: Dataset) -> int:
    """The bytes of the dataset's data files (0 for inline data)."""
    size = 0
    for resource in dataset.resources:
        path = getattr(resource, "path", None)
        with contextlib.suppress(OSError):
            size += path.stat().st_size if path is not None else 0
    return size


def last_changed(datasets: list[Dataset]) -> dict[str, str]:
    """When each dataset last changed (RFC 3339), as the receivers of
    ``signals.dataset_dates`` say (the first one to give a dataset's date wins): an input of
    its download plan."""
    found: dict[str, str] = {}
    for _receiver, dates in signals.dataset_dates.send(datasets):
        for slug, date in (dates or {}).items():
            found.setdefault(slug, date)
    return found


def warn_untranslated(portal: Portal) -> list[str]:
    """Log one warning per dataset and language with what is still in English (texts and
    value labels; labels.untranslated), and return the lines."""
    lines = []
    for published in portal.datasets:
        dataset = published.dataset
        values = table_fact(
            published.tables,
            "labelled values",
            lambda p=published: labelled_values(p.dataset, p.tables),
        )
        for lang in portal.settings.languages:
            missing = labels.untranslated(dataset, lang, values)
            if missing:
                lines.append(labels.untranslated_summary(dataset.slug, lang, missing))
    for line in lines:
        logger.warning("Moldir: %s", line)
    return lines


def labelled_values(dataset: Dataset, tables: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    """The distinct values of each field that has value labels, by (resource, field)."""
    values: dict[tuple[str, str], Any] = {}
    for resource in dataset.resources:
        table = tables.get(resource.name)
        for field_ in resource.fields:
            columns = getattr(table, "columns", ())
            if field_.name in columns and labels.has_labels(dataset, resource, field_):
                values[(resource.name, field_.name)] = table[field_.name].dropna().unique()
    return values


# What every build's pages need from the whole tables of a dataset, worked out when they
# are read (``derive_files``) and kept with them (``StoredTables.facts``): the period the
# data covers (``PublishedDataset.temporal``) and the values that have labels
# (``warn_untranslated``). Anything else reads the table back.
TABLE_FACTS: dict[str, Callable[[Dataset, Mapping[str, Any]], Any]] = {
    "coverage": lambda dataset, tables: data_coverage(dataset, tables),
    "labelled values": labelled_values,
}


def table_fact(tables: Mapping[str, Any], name: str, compute: Callable[[], T]) -> T:
    """What the pipeline worked out from a dataset's whole tables when it read them
    (``TABLE_FACTS``, kept by ``StoredTables``), else ``compute()`` (tables given whole)."""
    facts = getattr(tables, "facts", None)
    return facts[name] if facts is not None and name in facts else compute()


TEMPORAL_TYPES = ("date", "datetime", "year", "yearmonth")


def data_coverage(dataset: Dataset, tables: dict[str, Any]) -> dict[str, str]:
    """{"start", "end"} as ISO text from the temporal fields of the tables ({} if none)."""
    starts: list[str] = []
    ends: list[str] = []
    for resource in dataset.resources:
        table = tables.get(resource.name)
        if table is None:
            continue
        for field_ in resource.fields:
            if field_.type not in TEMPORAL_TYPES or field_.name not in getattr(
                table, "columns", ()
            ):
                continue
            column = table[field_.name].dropna()
            try:  # vectorised on typed columns; cells of mixed types are compared as text
                extremes = [column.min(), column.max()] if len(column) else []
            except TypeError:
                extremes = column.tolist()
            values = [iso_period(value, field_.type) for value in extremes]
            values = [value for value in values if value]
            if values:
                starts.append(min(values))
                ends.append(max(values))
    if not starts:
        return {}
    return {"start": min(starts), "end": max(ends)}


def iso_period(value: Any, type_: str) -> str:
    """A temporal cell as ISO text ("2023", "2023-05", "2023-05-01"); "" when missing."""
    if value is None or str(value) in ("", "<NA>", "NaT", "nan", "None"):
        return ""
    if type_ == "year":
        text = str(value)
        return text if text.lstrip("-").isdigit() else ""
    if type_ == "yearmonth" and isinstance(value, tuple | list) and len(value) == 2:
        return f"{int(value[0]):04d}-{int(value[1]):02d}"
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if type_ in ("date", "datetime") else text
    return str(value)[:10]


def derive_error(dataset: Dataset, problem: Exception) -> ValidationError:
    """A failure while reading or converting a valid dataset, as a located report entry."""
    where = {
        key: getattr(problem, key)
        for key in ("resource", "row", "field")
        if getattr(problem, key, None) is not None
    }
    resource = where.get("resource")
    file = getattr(problem, "file", None)
    if file is None and resource is not None:
        try:
            relpath = dataset.resource(resource).relpath
        except KeyError:
            relpath = None
        if relpath:
            file = str(Path(dataset.shown_path).parent / relpath)
    return BuildError.error(
        dataset.slug,
        file=file or dataset.shown_path,
        line=where.get("row"),
        problem=f"{type(problem).__name__}: {str(problem)[:300]}",
        **where,
    )


def derive(
    dataset: Dataset, modified: str | None = None
) -> tuple[dict[str, pd.DataFrame], list[Download]]:
    """A valid dataset's typed tables and planned downloads; ``modified`` (RFC 3339, when
    the dataset last changed) goes into the published descriptor when it has none."""
    tables, files = derive_files(dataset)
    return tables, package(dataset, files, modified)


def derive_files(
    dataset: Dataset, store: FileStore | None = None, preview_rows: int = PREVIEW_KEPT
) -> tuple[dict[str, pd.DataFrame], PlannedFiles]:
    """A valid dataset's typed tables and its resources' planned files (written into
    ``store``, a temporary one by default). The tables are kept on disk but for their first
    ``preview_rows`` rows and what ``TABLE_FACTS`` works out (``StoredTables``).

    Tables are read by the validator's rules (tables.py); anything that still fails is a
    ``DeriveError`` naming the dataset, resource, file and, where known, row and field."""
    from moldir.pipeline.tables import DeriveError, StoredTables, Tables, read_typed

    store = store or temporary_store()
    typed = {}
    for resource in dataset.resources:
        file = resource_file(dataset, resource)
        try:
            typed[resource.name] = read_typed(resource)
        except DeriveError as error:
            error.dataset, error.resource, error.file = dataset.slug, resource.name, file
            raise
        except Exception as problem:
            raise DeriveError(
                f"the table could not be read: {type(problem).__name__}: {problem}",
                dataset=dataset.slug,
                resource=resource.name,
                file=file,
            ) from problem
    tables = Tables(typed)
    files = located(dataset, lambda: plan_files(dataset, tables, store))
    facts = {name: work_out(dataset, tables) for name, work_out in TABLE_FACTS.items()}
    # Only their first rows and facts stay in memory (StoredTables).
    return StoredTables(tables, store, facts, preview_rows), files


def package(
    dataset: Dataset, files: PlannedFiles, modified: str | None, store: FileStore | None = None
) -> list[Download]:
    """Every download of the dataset: ``files``, datapackage.json and the zip."""
    return located(dataset, lambda: package_downloads(dataset, files, modified, store))


def located(dataset: Dataset, plan: Callable[[], T]) -> T:
    """``plan()``, with a failure raised as a ``DeriveError`` naming the dataset and file."""
    from moldir.pipeline.tables import DeriveError

    try:
        return plan()
    except DeriveError as error:
        error.dataset = dataset.slug
        if error.resource and error.file is None:
            error.file = resource_file(dataset, dataset.resource(error.resource))
        raise
    except Exception as problem:
        raise DeriveError(
            f"the downloads could not be written: {type(problem).__name__}: {problem}",
            dataset=dataset.slug,
            file=dataset.shown_path,
        ) from problem


def resource_file(dataset: Dataset, resource: Resource) -> str:
    """The resource's data file as the editor sees it (the descriptor for inline data)."""
    if not resource.relpath:
        return dataset.shown_path
    return str(Path(dataset.shown_path).parent / resource.relpath)
