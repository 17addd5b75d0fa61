"""The data-quality report: what a data user calls quality, measured per dataset and for
the portal (/quality/ and /quality/report.json; docs/quality.md).

Validation cannot be the report: a dataset with any error is never published, so every
published dataset is valid. What is measured instead, from the descriptor and the typed
tables only (no network):

- **completeness**: empty cells per field of every resource;
- **freshness**: the last change of the data against the declared ``frequency``, from the
  build date (``MOLDIR_TODAY`` when set, as the reception pages use), so overdue datasets
  and how late they are can be listed first;
- **schema strictness**: fields typed or constrained rather than plain strings, and
  resources with a primary key;
- **openness**: an open licence, machine-readable non-proprietary downloads and documented
  fields (the five-star scheme's first three stars, which Moldir can check);
- **metadata**: the recommended descriptor properties present and well formed.

Each dimension is a share between 0 and 1; the score is their mean in per cent, over the
dimensions that apply (freshness does not apply to an irregular or one-off dataset). Pure
functions of the portal and a date: the Pelican generator writes what they return.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from moldir.features.opendata import vocabularies
from moldir.incremental.store import per_dataset
from moldir.model.dataset import Dataset, Resource
from moldir.model.language import N_

if TYPE_CHECKING:
    from moldir.pipeline.portal import Portal, PublishedDataset

# Key of a dataset's completeness in ``PublishedDataset.extras``: it depends on the
# dataset alone, so every language's run reuses it.
COMPLETENESS_EXTRAS = "quality completeness"

# Days a declared frequency allows between two updates of the data. A month is counted
# as 31 days and a year as 366, so that an update on the same date a period later is
# never "overdue".
FREQUENCY_DAYS: dict[str, int] = {
    "continuous": 1,
    "daily": 1,
    "weekly": 7,
    "monthly": 31,
    "quarterly": 92,
    "semiannual": 183,
    "annual": 366,
    "biennial": 731,
}
# Frequencies with no due date: the data is complete as published or changes when it must.
UNSCHEDULED = ("irregular", "never")

# Licence types (ADMS) that make a licence not open in the Open Definition's sense.
CLOSED_TYPES = ("NonCommercialUseOnly", "NoDerivativeWork")
# Licence ids (as ``vocabularies.licence_key`` spells them) that the Open Definition lists
# as conformant, by prefix: Creative Commons BY and BY-SA and CC0, the Open Data Commons
# licences, the UK and Canadian Open Government Licences, and the generic open ids for
# licences without a public text ("other-at", "other-pd", "other-open").
OPEN_LICENCE_PREFIXES = (
    "ccby",
    "cc0",
    "odcby",
    "odcpddl",
    "odbl",
    "pddl",
    "ogluk",
    "oglcanada",
    "otherat",
    "otherpd",
    "otheropen",
)
# What makes a Creative Commons licence not open: non-commercial or no derivatives.
CLOSED_MARKS = ("nc", "nd")
# Formats that anyone can read without a proprietary program (the third star).
OPEN_FORMATS = ("csv", "json", "datapackage")

# The descriptor's recommended properties, each checked for presence and form; the
# message is what the report says when the check fails.
METADATA_MESSAGES: dict[str, str] = {
    "title": N_("no title"),
    "description": N_("no description"),
    "keywords": N_("no keywords"),
    "licence": N_("no licence"),
    "licence-text": N_("the licence has no public text (no link and not a known licence)"),
    "publisher": N_("no publisher"),
    "contact": N_("no contact e-mail"),
    "frequency": N_("no update frequency"),
    "frequency-code": N_("the update frequency is not a known code"),
    "temporal": N_("no period covered"),
    "temporal-form": N_("the period covered is not two dates, start before end"),
    "language": N_("no language of the data"),
    "sources": N_("no source"),
    "version": N_("no version"),
    "resource-description": N_("a table has no description"),
}

DIMENSIONS = ("completeness", "freshness", "strictness", "openness", "metadata")


@dataclass(frozen=True)
class FieldCompleteness:
    """Empty cells of one field (column) of a resource."""

    resource: str
    field: str
    cells: int
    empty: int

    @property
    def share(self) -> float:
        """Share of filled cells (1.0 for a field of an empty table)."""
        return 1.0 if self.cells == 0 else (self.cells - self.empty) / self.cells


@dataclass(frozen=True)
class Freshness:
    """The last change of the data against the declared update frequency.

    ``status``: "on-time", "overdue", "unscheduled" (irregular or never: no due date) or
    "unknown" (no frequency, an unknown code, or no date of the last change).
    """

    frequency: str
    status: str
    last_updated: dt.date | None = None
    due: dt.date | None = None
    days_overdue: int = 0

    @property
    def share(self) -> float | None:
        """1 when on time, falling to 0 when a whole period late; None when it does not
        apply (unscheduled). An unknown frequency counts 0: it is a metadata gap too."""
        if self.status == "unscheduled":
            return None
        if self.status == "on-time":
            return 1.0
        if self.status == "overdue":
            period = FREQUENCY_DAYS.get(self.frequency, 1)
            return max(0.0, 1.0 - self.days_overdue / period)
        return 0.0


@dataclass(frozen=True)
class Strictness:
    """How much the table schemas say: typed or constrained fields, primary keys."""

    fields: int
    plain: int
    constrained: int
    resources: int
    with_primary_key: int

    @property
    def share(self) -> float:
        if self.fields == 0:
            return 0.0
        typed = 1 - self.plain / self.fields
        constrained = self.constrained / self.fields
        keys = self.with_primary_key / self.resources if self.resources else 0.0
        return (typed + constrained + keys) / 3


@dataclass(frozen=True)
class Openness:
    """The five-star scheme's first three stars, and documented fields.

    One star: on the web under an open licence; two: structured data; three: a
    non-proprietary format. Stars four and five (URIs for things, links to other data)
    are not measured, so ``stars`` is at most 3.
    """

    licence_open: bool
    machine_readable: bool
    open_format: bool
    fields: int
    documented: int

    @property
    def stars(self) -> int:
        if not self.licence_open:
            return 0
        return 1 + int(self.machine_readable) + int(self.machine_readable and self.open_format)

    @property
    def share(self) -> float:
        documented = self.documented / self.fields if self.fields else 0.0
        return (self.stars / 3 + documented) / 2


@dataclass(frozen=True)
class MetadataCheck:
    """The recommended descriptor properties: those checked and those that failed."""

    checked: int
    problems: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        return 1.0 if self.checked == 0 else (self.checked - len(self.problems)) / self.checked

    def messages(self) -> list[str]:
        return [METADATA_MESSAGES[code] for code in self.problems]


@dataclass(frozen=True)
class DatasetQuality:
    """Every measure of one dataset and its score (0–100)."""

    slug: str
    title: str
    completeness: tuple[FieldCompleteness, ...]
    freshness: Freshness
    strictness: Strictness
    openness: Openness
    metadata: MetadataCheck

    @property
    def cells(self) -> int:
        return sum(f.cells for f in self.completeness)

    @property
    def empty_cells(self) -> int:
        return sum(f.empty for f in self.completeness)

    @property
    def completeness_share(self) -> float:
        return 1.0 if self.cells == 0 else (self.cells - self.empty_cells) / self.cells

    def shares(self) -> dict[str, float | None]:
        """Each dimension's share (None where it does not apply)."""
        return {
            "completeness": self.completeness_share,
            "freshness": self.freshness.share,
            "strictness": self.strictness.share,
            "openness": self.openness.share,
            "metadata": self.metadata.share,
        }

    @property
    def score(self) -> int:
        """The mean of the dimensions that apply, in per cent, rounded half up."""
        applied = [share for share in self.shares().values() if share is not None]
        return math.floor(100 * sum(applied) / len(applied) + 0.5) if applied else 0

    @property
    def incomplete_fields(self) -> list[FieldCompleteness]:
        """Fields with empty cells, the emptiest first."""
        found = [f for f in self.completeness if f.empty]
        return sorted(found, key=lambda f: (f.share, f.resource, f.field))


@dataclass(frozen=True)
class PortalQuality:
    """The measures of every dataset, overdue ones first (the latest first), then by
    score (lowest first), and the portal's figures."""

    today: dt.date
    datasets: tuple[DatasetQuality, ...] = field(default_factory=tuple)

    @property
    def overdue(self) -> list[DatasetQuality]:
        return [d for d in self.datasets if d.freshness.status == "overdue"]

    @property
    def score(self) -> int:
        if not self.datasets:
            return 0
        return math.floor(sum(d.score for d in self.datasets) / len(self.datasets) + 0.5)

    def dimension_means(self) -> dict[str, float | None]:
        """Each dimension's mean share over the datasets it applies to."""
        means: dict[str, float | None] = {}
        for name in DIMENSIONS:
            values = [d.shares()[name] for d in self.datasets]
            applied = [v for v in values if v is not None]
            means[name] = sum(applied) / len(applied) if applied else None
        return means

    @property
    def cells(self) -> int:
        return sum(d.cells for d in self.datasets)

    @property
    def empty_cells(self) -> int:
        return sum(d.empty_cells for d in self.datasets)

    @property
    def open_licence(self) -> int:
        return sum(1 for d in self.datasets if d.openness.licence_open)

    @property
    def with_problems(self) -> int:
        return sum(1 for d in self.datasets if d.metadata.problems)


# --- the measures -----------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    """A cell with no value: missing (None, NaN, NA, NaT) or only blanks."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN, NaT and pd.NA are not equal to themselves
    except (TypeError, ValueError):  # pd.NA raises on bool()
        return True


def field_completeness(resource: Resource, table: Any) -> list[FieldCompleteness]:
    """Empty cells of each declared field of ``resource`` in its typed table (a pandas
    DataFrame); a field missing from the table counts every cell as empty."""
    from pandas.api.types import is_string_dtype

    rows = len(table)
    found = []
    for field_ in resource.fields:
        if field_.name in table.columns:
            column = table[field_.name]
            empty = int(column.isna().sum())
            # Blank text is as empty as a missing value (object or pandas' string dtype).
            if column.dtype == object or is_string_dtype(column.dtype):
                filled = column.dropna().astype(str).str.strip()
                empty += int((filled == "").sum())
        else:
            empty = rows
        found.append(FieldCompleteness(resource.name, field_.name, rows, empty))
    return found


def completeness(published: PublishedDataset) -> tuple[FieldCompleteness, ...]:
    """Empty cells per field of every resource (kept in the dataset's extras)."""
    cached = published.extras.get(COMPLETENESS_EXTRAS)
    if cached is None:
        # Read from the whole tables once per change of the dataset (the build cache):
        # a national portal's tables are not held in memory (tables.StoredTables).
        cached = per_dataset(
            published.dataset,
            "completeness",
            lambda: tuple(
                found
                for resource in published.dataset.resources
                if resource.name in published.tables
                for found in field_completeness(resource, published.tables[resource.name])
            ),
        )
        published.extras[COMPLETENESS_EXTRAS] = cached
    return cached


def last_data_change(published: PublishedDataset) -> dt.date | None:
    """When the data last changed: the latest version of the data (the history feature:
    rows, fields or schema changed), else the latest commit that changed a file other than
    the descriptor, else the last change, else the descriptor's ``modified`` or
    ``created``."""
    history = published.extras.get("history")
    if history is not None:
        found = getattr(history, "versions", ()) or ()
        if found:
            return found[0].date.date()
        for change in getattr(history, "changes", ()) or ():
            if getattr(change, "data_changed", True):
                return change.date.date()
        if getattr(history, "last_changed", None) is not None:
            return history.last_changed.date()
    for key in ("modified", "created"):
        value = published.dataset.get(key)
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def freshness(frequency: Any, last_updated: dt.date | None, today: dt.date) -> Freshness:
    """The data's freshness against ``frequency`` (a descriptor code) on ``today``."""
    code = frequency if isinstance(frequency, str) else ""
    if code in UNSCHEDULED:
        return Freshness(code, "unscheduled", last_updated)
    if code not in FREQUENCY_DAYS or last_updated is None:
        return Freshness(code, "unknown", last_updated)
    due = last_updated + dt.timedelta(days=FREQUENCY_DAYS[code])
    late = (today - due).days
    if late > 0:
        return Freshness(code, "overdue", last_updated, due, late)
    return Freshness(code, "on-time", last_updated, due)


def is_plain(field_: Any) -> bool:
    """A field that says nothing beyond "text": a string (or any) without a format or
    constraints."""
    return (
        field_.type in ("string", "any")
        and field_.format in ("default", "", None)
        and not field_.constraints
    )


def strictness(dataset: Dataset) -> Strictness:
    fields = [f for resource in dataset.resources for f in resource.fields]
    return Strictness(
        fields=len(fields),
        plain=sum(1 for f in fields if is_plain(f)),
        constrained=sum(1 for f in fields if f.constraints),
        resources=len(dataset.resources),
        with_primary_key=sum(1 for r in dataset.resources if r.primary_key),
    )


def licence_is_open(entry: dict[str, Any]) -> bool:
    """An open licence, judged by its declared id (``name``): one the Open Definition
    lists as conformant (``OPEN_LICENCE_PREFIXES``) without non-commercial or
    no-derivatives terms. The licence's text is not read."""
    name = str(entry.get("name") or "")
    known = vocabularies.known_licence(name)
    if known is not None and any(kind in CLOSED_TYPES for kind in known.types):
        return False
    key = vocabularies.licence_key(name)
    if key.startswith("ccby") and any(mark in key[4:] for mark in CLOSED_MARKS):
        return False
    return known is not None or key.startswith(OPEN_LICENCE_PREFIXES)


def openness(published: PublishedDataset) -> Openness:
    dataset = published.dataset
    fields = [f for resource in dataset.resources for f in resource.fields]
    formats = {d.format.lower() for d in published.downloads if not d.original}
    return Openness(
        licence_open=bool(dataset.licenses) and all(licence_is_open(e) for e in dataset.licenses),
        machine_readable=bool(dataset.resources) and bool(formats),
        open_format=bool(formats & set(OPEN_FORMATS)),
        fields=len(fields),
        documented=sum(1 for f in fields if str(f.description or "").strip()),
    )


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def metadata_problems(dataset: Dataset) -> MetadataCheck:
    """Every recommended property checked; the codes of those missing or malformed."""
    descriptor = dataset.descriptor
    problems: list[str] = []
    checked = 0

    def check(code: str, passed: bool) -> None:
        nonlocal checked
        checked += 1
        if not passed:
            problems.append(code)

    check("title", _text(descriptor.get("title")))
    check("description", _text(descriptor.get("description")))
    keywords = descriptor.get("keywords")
    check("keywords", isinstance(keywords, list) and any(_text(k) for k in keywords))
    licences = dataset.licenses
    check("licence", bool(licences))
    if licences:
        check(
            "licence-text",
            all(
                str(e.get("path") or "").startswith(("https://", "http://"))
                or vocabularies.known_licence(str(e.get("name") or "")) is not None
                for e in licences
            ),
        )
    check("publisher", _text(dataset.publisher.get("name")))
    contact = descriptor.get("contactPoint")
    check("contact", isinstance(contact, dict) and _text(contact.get("email")))
    frequency = descriptor.get("frequency")
    check("frequency", _text(frequency))
    if _text(frequency):
        check("frequency-code", frequency in vocabularies.FREQUENCIES)
    temporal = descriptor.get("temporal")
    check("temporal", isinstance(temporal, dict) and bool(temporal))
    if isinstance(temporal, dict) and temporal:
        start, end = _date(temporal.get("start", "")), _date(temporal.get("end", ""))
        check("temporal-form", start is not None and end is not None and start <= end)
    check("language", _text(descriptor.get("language")))
    sources = descriptor.get("sources")
    check(
        "sources",
        isinstance(sources, list)
        and any(
            isinstance(s, dict) and (_text(s.get("title")) or _text(s.get("path"))) for s in sources
        ),
    )
    check("version", _text(descriptor.get("version")))
    if dataset.resources:
        check("resource-description", all(_text(r.description) for r in dataset.resources))
    return MetadataCheck(checked, tuple(problems))


def dataset_quality(published: PublishedDataset, today: dt.date) -> DatasetQuality:
    dataset = published.dataset
    return DatasetQuality(
        slug=published.slug,
        title=dataset.title,
        completeness=completeness(published),
        freshness=freshness(dataset.get("frequency"), last_data_change(published), today),
        strictness=strictness(dataset),
        openness=openness(published),
        metadata=metadata_problems(dataset),
    )


def order(found: list[DatasetQuality]) -> list[DatasetQuality]:
    """Overdue datasets first (the latest first), then the lowest scores, then by slug."""
    return sorted(
        found,
        key=lambda d: (
            d.freshness.status != "overdue",
            -d.freshness.days_overdue,
            d.score,
            d.slug,
        ),
    )


def portal_quality(portal: Portal, today: dt.date) -> PortalQuality:
    """The quality of every published dataset on ``today`` (the build date)."""
    return PortalQuality(
        today=today, datasets=tuple(order([dataset_quality(p, today) for p in portal.datasets]))
    )


# --- quality/report.json -----------------------------------------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def dataset_document(quality: DatasetQuality) -> dict[str, Any]:
    """One dataset's figures for quality/report.json."""
    fresh = quality.freshness
    return {
        "name": quality.slug,
        "title": quality.title,
        "score": quality.score,
        "dimensions": {name: _round(share) for name, share in quality.shares().items()},
        "completeness": {
            "cells": quality.cells,
            "empty": quality.empty_cells,
            "fields": [asdict(f) for f in quality.completeness],
        },
        "freshness": {
            "frequency": fresh.frequency or None,
            "status": fresh.status,
            "lastUpdated": fresh.last_updated.isoformat() if fresh.last_updated else None,
            "due": fresh.due.isoformat() if fresh.due else None,
            "daysOverdue": fresh.days_overdue,
        },
        "strictness": {
            "fields": quality.strictness.fields,
            "plainStrings": quality.strictness.plain,
            "constrained": quality.strictness.constrained,
            "resources": quality.strictness.resources,
            "withPrimaryKey": quality.strictness.with_primary_key,
        },
        "openness": {
            "stars": quality.openness.stars,
            "openLicence": quality.openness.licence_open,
            "machineReadable": quality.openness.machine_readable,
            "openFormat": quality.openness.open_format,
            "fields": quality.openness.fields,
            "documentedFields": quality.openness.documented,
        },
        "metadata": {
            "checked": quality.metadata.checked,
            "problems": [
                {"code": code, "message": METADATA_MESSAGES[code]}
                for code in quality.metadata.problems
            ],
        },
    }


def report_document(quality: PortalQuality) -> dict[str, Any]:
    """The portal's figures and every dataset's, in the page's order, for report.json
    (beside the validation report's ``valid``, ``stats`` and ``tasks``)."""
    return {
        "date": quality.today.isoformat(),
        "method": "docs/quality.md",
        "score": quality.score,
        "dimensions": {name: _round(v) for name, v in quality.dimension_means().items()},
        "datasets": len(quality.datasets),
        "overdue": [d.slug for d in quality.overdue],
        "cells": quality.cells,
        "emptyCells": quality.empty_cells,
        "openLicence": quality.open_licence,
        "withMetadataProblems": quality.with_problems,
        "measures": [dataset_document(d) for d in quality.datasets],
    }
