"""The commitments register: what bodies decided to do about issues citizens raised, and
whether they did it ("Hearing State", issue 20 item 2).

A ``commitments`` dataset has one row per commitment: the issue raised (from appeals, a
meeting or a reception), the decision, the responsible body, the topic (the shared code
list of ``kinds/topics.py``), the district, the due date, the status (planned,
in-progress, done, cancelled) and the evidence. Plain functions do the work and the page
writer in ``pages.py`` writes the results:

- :func:`commitment_problems` / :func:`check_commitments` are the validation check
  (``commitment-error``): done needs evidence and a completion date, cancelled needs a
  reason, dates in order, a safe evidence link and id, and never a status typed
  "overdue" — overdue is **computed** (:meth:`Commitment.state`) from the build date
  (:func:`moldir.model.settings.build_date`: ``MOLDIR_TODAY``, else today);
- :func:`commitments_from_table` reads a typed table into :class:`Commitment` objects,
  :func:`register` groups a portal's commitments for the pages and their filters;
- :func:`due_calendar` is the iCalendar of due dates (one all-day VEVENT per commitment
  still to do);
- :func:`status_changes` reads the status of every commitment at every commit of the
  dataset's git history (``opendata.history``/``versions``: nothing checked out) and
  returns each change of status, for the Atom feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moldir.features.kinds import kind_resources, name_slug, row_errors
from moldir.features.kinds.receptions import schedule_rows
from moldir.features.kinds.topics import TOPICS
from moldir.model.dataset import Dataset, Resource
from moldir.model.errors import CommitmentError
from moldir.model.report import ValidationError
from moldir.model.safety import safe_name, safe_url
from moldir.model.settings import build_date
from moldir.pipeline import signals
from moldir.pipeline.limits import Limits

if TYPE_CHECKING:
    import icalendar
    import pandas as pd

logger = logging.getLogger(__name__)

KIND = "commitments"
PRODID = "-//Moldir//Commitments register//EN"
STATUSES = ("planned", "in-progress", "done", "cancelled")
# Statuses of a commitment still to be carried out: past its due date it is overdue.
OPEN_STATUSES = ("planned", "in-progress")
# What the pages list, in this order (``Commitment.state``).
STATES = ("overdue", "open", "done", "cancelled")
# The filters of /commitments/ (static pages under /commitments/browse/<filter>/<value>/).
FILTERS = ("body", "topic", "district")
# The folder of the filter pages: no commitment may take it as its id.
BROWSE = "browse"
DEFAULT_ID_FIELD = "id"


@dataclass(frozen=True)
class Commitment:
    """One row of a commitments register."""

    dataset: str
    resource: str
    row: int
    id: str
    issue: str
    decision: str
    body: str
    topic: str
    due: dt.date
    status: str
    source: str = ""
    raised: dt.date | None = None
    district: str = ""
    completed: dt.date | None = None
    reason: str = ""
    evidence: str = ""
    evidence_url: str = ""

    @property
    def body_slug(self) -> str:
        return name_slug(self.body)

    @property
    def district_slug(self) -> str:
        return name_slug(self.district) if self.district else ""

    @property
    def url(self) -> str:
        """The commitment's page, relative to a language's root (stable: from its id)."""
        return f"commitments/{self.id}/"

    def state(self, today: dt.date) -> str:
        """ "overdue", "open", "done" or "cancelled" as of ``today`` (the build date)."""
        if self.status in OPEN_STATUSES:
            return "overdue" if self.due < today else "open"
        return self.status

    def days_overdue(self, today: dt.date) -> int:
        """Days past the due date of a commitment still to do (0 when not overdue)."""
        return (today - self.due).days if self.state(today) == "overdue" else 0

    @property
    def uid(self) -> str:
        """The iCalendar UID: the dataset and the id, which never change."""
        digest = hashlib.sha1(f"{self.dataset}|{self.id}".encode()).hexdigest()[:16]
        return f"commitment-{digest}"


# --- reading ---------------------------------------------------------------------------


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
    if hasattr(value, "date") and callable(value.date):  # a pandas Timestamp
        return value.date()
    return dt.date.fromisoformat(str(value).strip()[:10])


def commitments_from_table(frame: pd.DataFrame, dataset: str, resource: str) -> list[Commitment]:
    """The rows of a valid commitments table (row numbers as Frictionless's: header = 1)."""
    found = []
    for index, row in enumerate(frame.to_dict(orient="records")):
        found.append(
            Commitment(
                dataset=dataset,
                resource=resource,
                row=index + 2,
                id=_text(row, DEFAULT_ID_FIELD),
                issue=_text(row, "issue"),
                decision=_text(row, "decision"),
                body=_text(row, "body"),
                topic=_text(row, "topic"),
                due=_date(row, "due") or dt.date.min,
                status=_text(row, "status"),
                source=_text(row, "source"),
                raised=_date(row, "raised"),
                district=_text(row, "district"),
                completed=_date(row, "completed"),
                reason=_text(row, "reason"),
                evidence=_text(row, "evidence"),
                evidence_url=_text(row, "evidence_url"),
            )
        )
    return found


# --- validation ------------------------------------------------------------------------


def commitment_problems(row: dict[str, Any], invalid: Iterable[str] = ()) -> list[tuple[str, str]]:
    """What is wrong with one row of a register: (field, message) pairs; [] when fine.

    ``invalid`` names the cells Frictionless already reports (type or constraint errors):
    checks reading them are skipped so that each problem is reported once — except a
    status typed "overdue", which Frictionless reports as not in the list without saying
    why: the editor is told that the portal computes it.
    """
    invalid = set(invalid)
    problems: list[tuple[str, str]] = []
    status = _text(row, "status")
    if status.casefold() == "overdue":
        problems.append(
            (
                "status",
                'the status "overdue" is never typed: the portal computes it from the due '
                "date when the site is built; give planned or in-progress",
            )
        )
    identifier = _text(row, DEFAULT_ID_FIELD)
    if identifier and DEFAULT_ID_FIELD not in invalid:
        if safe_name(identifier) is None:
            problems.append(
                (
                    DEFAULT_ID_FIELD,
                    f'"{identifier[:60]}" cannot be part of an address (/commitments/<id>/): '
                    "use letters, digits, '.', '_' and '-', starting with a letter or digit",
                )
            )
        elif identifier.casefold() == BROWSE:
            problems.append((DEFAULT_ID_FIELD, f'"{identifier}" is reserved for the filter pages'))

    def date_of(name: str) -> dt.date | None:
        if name in invalid:
            return None
        try:
            return _date(row, name)
        except ValueError:
            return None  # Frictionless reports a malformed date itself

    raised, due, completed = date_of("raised"), date_of("due"), date_of("completed")
    evidence, link = _text(row, "evidence"), _text(row, "evidence_url")
    if "status" not in invalid:
        if status == "done":
            if completed is None and "completed" not in invalid:
                problems.append(("completed", "a done commitment needs its completion date"))
            if not evidence and not link:
                problems.append(
                    (
                        "evidence",
                        "a done commitment needs evidence: a document (evidence) or a link "
                        "(evidence_url)",
                    )
                )
        elif completed is not None:
            problems.append(
                (
                    "completed",
                    f'a completion date is given but the status is "{status}": give done, '
                    "or leave the date empty",
                )
            )
        if status == "cancelled" and not _text(row, "reason"):
            problems.append(("reason", "a cancelled commitment needs the reason it was cancelled"))
    if raised and due and due < raised:
        problems.append(("due", f"the due date {due} is before the date raised {raised}"))
    if raised and completed and completed < raised:
        problems.append(
            ("completed", f"the completion date {completed} is before the date raised {raised}")
        )
    if link and "evidence_url" not in invalid and safe_url(link) is None:
        shown = link if len(link) <= 60 else link[:57] + "…"
        problems.append(
            (
                "evidence_url",
                f'"{shown}" is not a link the portal publishes: give an absolute https, '
                "http or mailto address",
            )
        )
    return problems


def check_commitments(
    dataset: Dataset, limits: Limits | None = None, max_file_bytes: int | None = None
) -> Iterable[ValidationError]:
    """Every row of every commitments resource (``commitment-error``), read as Frictionless
    reads them, so that a register with type errors still gets all its problems at once."""
    if dataset.kind != KIND:
        return
    for resource in kind_resources(dataset):
        yield from check_resource(dataset, resource, limits or Limits(), max_file_bytes)


def check_resource(
    dataset: Dataset, resource: Resource, limits: Limits, max_file_bytes: int | None = None
) -> Iterable[ValidationError]:
    error = row_errors(dataset, resource, CommitmentError)
    for number, row, invalid in schedule_rows(dataset, resource, limits, max_file_bytes):
        for field_name, message in commitment_problems(row, invalid):
            yield error(number - 2, field_name, message)


def validation_checks(sender: Any) -> list[Callable[[Dataset], Iterable[ValidationError]]]:
    """The register check with the portal's limits (``sender`` is the MOLDIR settings)."""
    from moldir.pipeline.validate import descriptor_only

    limits = Limits.from_settings(sender) if hasattr(sender, "max_rows") else Limits()
    max_file_bytes = getattr(sender, "max_file_bytes", None)

    def check(dataset: Dataset) -> Iterable[ValidationError]:
        return check_commitments(dataset, limits, max_file_bytes)

    return [descriptor_only(check)]


# --- the register ----------------------------------------------------------------------


@dataclass(frozen=True)
class FilterValue:
    """One value of a filter (a body, a topic, a district) with its page and count."""

    filter: str
    key: str
    slug: str
    items: tuple[Commitment, ...]

    @property
    def url(self) -> str:
        return f"commitments/{BROWSE}/{self.filter}/{self.slug}/"

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass
class Register:
    """Every commitment of a portal as of the build date, grouped for the pages."""

    today: dt.date
    items: list[Commitment] = field(default_factory=list)

    def by_state(self, items: Iterable[Commitment] | None = None) -> dict[str, list[Commitment]]:
        """State → commitments: overdue first (most days late first), then open by due
        date, done (latest first) and cancelled."""
        groups: dict[str, list[Commitment]] = {state: [] for state in STATES}
        for item in self.items if items is None else items:
            groups[item.state(self.today)].append(item)
        groups["overdue"].sort(key=lambda c: (c.due, c.id))
        groups["open"].sort(key=lambda c: (c.due, c.id))
        groups["done"].sort(key=lambda c: (c.completed or c.due, c.id), reverse=True)
        groups["cancelled"].sort(key=lambda c: c.id)
        return groups

    def count(self, state: str) -> int:
        return sum(1 for item in self.items if item.state(self.today) == state)

    @property
    def overdue(self) -> int:
        return self.count("overdue")

    def values(self, name: str) -> list[FilterValue]:
        """The values of one filter, in name order (topics in the code list's order)."""
        groups: dict[str, list[Commitment]] = {}
        keys: dict[str, str] = {}
        for item in self.items:
            key = getattr(item, name)
            if not key:
                continue
            slug = key if name == "topic" else name_slug(key)
            if not slug:
                continue
            groups.setdefault(slug, []).append(item)
            keys.setdefault(slug, key)
        if name == "topic":
            order = {code: n for n, code in enumerate(TOPICS)}
            slugs = sorted(groups, key=lambda s: (order.get(s, len(order)), s))
        else:
            slugs = sorted(groups, key=lambda s: keys[s].casefold())
        return [FilterValue(name, keys[s], s, tuple(groups[s])) for s in slugs]

    def item(self, identifier: str) -> Commitment | None:
        return next((c for c in self.items if c.id == identifier), None)


def register(commitments: Iterable[Commitment], today: dt.date) -> Register:
    """The register of ``commitments`` as of ``today``. Ids must be unique across the
    portal (each is a page): a later dataset's commitment with an id already taken is left
    out, and the build log says so."""
    seen: dict[str, Commitment] = {}
    kept = []
    for item in commitments:
        key = item.id.casefold()
        if key in seen:
            first = seen[key]
            logger.warning(
                "%s, row %s: the commitment id %r is already used by %s, row %s; "
                "it is left out of /commitments/",
                item.dataset,
                item.row,
                item.id,
                first.dataset,
                first.row,
            )
            continue
        seen[key] = item
        kept.append(item)
    return Register(today=today, items=kept)


def portal_commitments(portal: Any) -> list[Commitment]:
    """Every commitment of every commitments dataset of a loaded portal."""
    found = []
    for published in portal.by_kind(KIND):
        for resource in kind_resources(published.dataset):
            frame = published.tables[resource.name]
            found.extend(commitments_from_table(frame, published.slug, resource.name))
    return found


def portal_register(portal: Any, settings: dict[str, Any] | None) -> Register:
    """The portal's register as of the build date of ``settings``."""
    return register(portal_commitments(portal), build_date(dict(settings or {})))


# --- iCalendar -------------------------------------------------------------------------


def due_calendar(
    items: Iterable[Commitment],
    name: str,
    today: dt.date,
    summary: Callable[[Commitment], str],
    page_url: Callable[[Commitment], str | None] = lambda item: None,
    host: str = "moldir.invalid",
) -> icalendar.Calendar:
    """The due dates of the commitments still to do (planned, in progress, overdue) as
    all-day events; done and cancelled commitments have no date left to keep."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    stamp = dt.datetime.combine(today, dt.time.min, tzinfo=dt.UTC)
    for item in sorted(items, key=lambda c: (c.due, c.id)):
        if item.status not in OPEN_STATUSES:
            continue
        event = icalendar.Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", summary(item))
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("description", f"{item.issue}\n{item.decision}\n{item.body}")
        url = page_url(item)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    return calendar


# --- status changes from git history -----------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    """A commitment's status as first published, or changed, in one commit."""

    dataset: str
    id: str
    date: dt.datetime
    commit: str
    status: str
    previous: str | None  # None: the commitment first appeared in this commit
    issue: str


def status_changes(published: Any) -> list[StatusChange]:
    """Every change of status of the commitments of one dataset, newest first, read from
    the dataset's git history (``extras["history"]``: the commits that touched its
    folder). Outside a git checkout there is no history and no change."""
    from moldir.features.opendata.history import HISTORY_KEY
    from moldir.features.opendata.versions import BlobReader, snapshot, tree_files

    history = published.extras.get(HISTORY_KEY)
    if history is None or not getattr(history, "from_git", False) or not history.repo:
        return []
    repo = Path(history.repo)
    try:
        folder = published.dataset.folder.resolve().relative_to(repo).as_posix() + "/"
    except ValueError:
        return []
    names = {r.name for r in kind_resources(published.dataset)}
    before: dict[str, str] = {}
    found: list[StatusChange] = []
    blobs = BlobReader(repo)
    try:
        for change in reversed(history.changes):  # oldest first
            current = snapshot(tree_files(repo, change.commit, folder), blobs)
            statuses: dict[str, tuple[str, str]] = {}
            for name, table in current.tables.items():
                if name not in names or table is None:
                    continue
                header = list(table.header)
                if not {"id", "status"} <= set(header):
                    continue
                at = {column: header.index(column) for column in header}
                for row in table.rows:
                    cells = {c: row[i] if i < len(row) else "" for c, i in at.items()}
                    if cells["id"]:
                        statuses[cells["id"]] = (cells["status"], cells.get("issue", ""))
            if current.descriptor is None:
                continue
            # Reverse id order: the list is reversed below, newest commit first, ids in order.
            for identifier in sorted(statuses, reverse=True):
                status, issue = statuses[identifier]
                previous = before.get(identifier)
                if previous != status:
                    found.append(
                        StatusChange(
                            dataset=published.slug,
                            id=identifier,
                            date=change.date,
                            commit=change.commit,
                            status=status,
                            previous=previous,
                            issue=issue,
                        )
                    )
            before = {identifier: status for identifier, (status, _) in statuses.items()}
    finally:
        blobs.close()
    found.reverse()
    return found


def connect() -> None:
    signals.validation_checks.connect(validation_checks)
