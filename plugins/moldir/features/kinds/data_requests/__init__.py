"""Data requests: what citizens asked to be published, and what was done about it.

A ``data-requests`` dataset (schema ``plugins/moldir/schemas/data-requests.json``) has one
row per request: its number, the date received, what was asked, the topic (the shared list
of ``kinds/topics.py``), the body asked, the status and the answer. Plain functions do the
work and ``pages.py`` writes ``/data-requests/``:

- :func:`request_problems` is the consistency rule of one row (``data-request-error``): a
  refused request says why (``reason``), a published one says where (``published_as``, the
  slug of a dataset of the portal, or ``dataset_url``, an https or http address), an
  answer is not dated before the request, a closed request has its answer date and an
  open one (received, in progress) none yet;
- :func:`check_requests` runs it on every row as Frictionless reads them (so every problem
  of every row is reported in one run, beside Frictionless's own type errors);
- :func:`requests_from_table` reads a valid typed table into :class:`DataRequest` objects,
  :func:`summary` counts them by status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from moldir.features.kinds import kind_resources, row_errors
from moldir.model.dataset import Dataset
from moldir.model.errors import DataRequestError
from moldir.model.report import ValidationError
from moldir.model.safety import safe_url
from moldir.pipeline import signals
from moldir.pipeline.limits import Limits

if TYPE_CHECKING:
    import pandas as pd

KIND = "data-requests"
STATUSES = ("received", "in-progress", "published", "refused")
OPEN = ("received", "in-progress")


@dataclass(frozen=True)
class DataRequest:
    """One row of a data-requests table."""

    dataset: str
    resource: str
    row: int
    id: str
    date: dt.date
    request: str
    topic: str
    status: str
    body: str = ""
    answered: dt.date | None = None
    answer: str = ""
    reason: str = ""
    published_as: str = ""
    dataset_url: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def days(self) -> int | None:
        """Days from the request to its answer (None while it is open)."""
        return (self.answered - self.date).days if self.answered else None

    @property
    def anchor(self) -> str:
        """The id of the request's element on /data-requests/ (its stable address)."""
        return f"request-{self.id}"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    return "" if _missing(value) else str(value).strip()


def _date(row: dict[str, Any], name: str) -> dt.date | None:
    value = row.get(name)
    if _missing(value) or str(value).strip() == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def request_problems(row: dict[str, Any], invalid: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(field, message) of every consistency problem of one row (cells Frictionless already
    found invalid, ``invalid``, are not judged again)."""
    invalid = set(invalid)
    problems: list[tuple[str, str]] = []
    status = _text(row, "status")
    if "status" in invalid or status not in STATUSES:
        return problems  # Frictionless reports the status itself
    if status == "refused" and not _text(row, "reason"):
        problems.append(("reason", "a refused request needs a reason: say why it was refused"))
    if status == "published":
        url = _text(row, "dataset_url")
        if not url and not _text(row, "published_as"):
            problems.append(
                (
                    "published_as",
                    "a published request needs published_as (the slug of the dataset on "
                    "this portal) or dataset_url (where the data is)",
                )
            )
        elif url and "dataset_url" not in invalid and safe_url(url) is None:
            problems.append(
                ("dataset_url", f'"{url}" is not an https://, http:// or mailto: address')
            )
    received, answered = _date(row, "date"), _date(row, "answered")
    if received and answered and "answered" not in invalid and answered < received:
        problems.append(
            (
                "answered",
                f"answered on {answered.isoformat()}, before the request was received "
                f"({received.isoformat()})",
            )
        )
    if status in OPEN and answered and "answered" not in invalid:
        problems.append(
            (
                "answered",
                f"the request is {status} but has an answer date: set the status to "
                "published or refused, or empty the date",
            )
        )
    if status not in OPEN and not answered and "answered" not in invalid:
        problems.append(("answered", f"a {status} request needs the date it was answered"))
    return problems


def check_requests(
    dataset: Dataset, limits: Limits | None = None, max_file_bytes: int | None = None
) -> Iterable[ValidationError]:
    """Every row of every data-requests resource (``data-request-error``)."""
    if dataset.kind != KIND:
        return
    # The rows as Frictionless reads them (the reception schedules' reader: bounded, and
    # it yields nothing for a file the validation already rejects).
    from moldir.features.kinds.receptions import schedule_rows

    for resource in kind_resources(dataset):
        error = row_errors(dataset, resource, DataRequestError)
        rows = schedule_rows(dataset, resource, limits or Limits(), max_file_bytes)
        for number, row, invalid in rows:
            for field_name, message in request_problems(row, invalid):
                yield error(number - 2, field_name, message)


def requests_from_table(frame: pd.DataFrame, dataset: str, resource: str) -> list[DataRequest]:
    """The rows of a valid typed table as requests (row numbers as Frictionless's: the
    header is row 1), newest first."""
    found = []
    for index, row in enumerate(frame.to_dict("records")):
        received = _date(row, "date")
        if received is None:  # pragma: no cover - a valid table has its dates
            continue
        found.append(
            DataRequest(
                dataset=dataset,
                resource=resource,
                row=index + 2,
                id=_text(row, "id"),
                date=received,
                request=_text(row, "request"),
                topic=_text(row, "topic"),
                status=_text(row, "status"),
                body=_text(row, "body"),
                answered=_date(row, "answered"),
                answer=_text(row, "answer"),
                reason=_text(row, "reason"),
                published_as=_text(row, "published_as"),
                dataset_url=_text(row, "dataset_url"),
            )
        )
    return sorted(found, key=lambda r: (r.date, r.id), reverse=True)


def portal_requests(portal: Any) -> list[DataRequest]:
    """Every request of every data-requests dataset of a loaded portal, newest first."""
    found = []
    for published in portal.by_kind(KIND):
        for resource in kind_resources(published.dataset):
            frame = published.tables[resource.name]
            found.extend(requests_from_table(frame, published.slug, resource.name))
    return sorted(found, key=lambda r: (r.date, r.id), reverse=True)


def summary(requests: Iterable[DataRequest]) -> dict[str, int]:
    """How many requests have each status (every status, in the schema's order)."""
    counts = Counter(r.status for r in requests)
    return {status: counts.get(status, 0) for status in STATUSES}


def median_days(requests: Iterable[DataRequest]) -> float | None:
    """The median number of days from a request to its answer, over answered requests."""
    days = sorted(r.days for r in requests if r.days is not None)
    if not days:
        return None
    middle = len(days) // 2
    return float(days[middle]) if len(days) % 2 else (days[middle - 1] + days[middle]) / 2


def validation_checks(sender: Any) -> list[Callable[[Dataset], Iterable[ValidationError]]]:
    """The request check with the portal's limits (``sender`` is the MOLDIR settings)."""
    from moldir.pipeline.validate import descriptor_only

    limits = Limits.from_settings(sender) if hasattr(sender, "max_rows") else Limits()
    max_file_bytes = getattr(sender, "max_file_bytes", None)

    def check(dataset: Dataset) -> Iterable[ValidationError]:
        return check_requests(dataset, limits, max_file_bytes)

    return [descriptor_only(check)]


def connect() -> None:
    signals.validation_checks.connect(validation_checks)
