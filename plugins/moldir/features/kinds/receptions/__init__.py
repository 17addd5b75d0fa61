"""Reception schedules: who receives citizens, when, where and how to book.

Plain functions do the work and the page writer in ``pages.py`` writes the results:

- :func:`sessions_from_table` reads the rows of a ``reception-schedule`` table into
  :class:`ReceptionSession` objects;
- :func:`occurrences` expands a session into dated occurrences between two dates (RFC 5545
  rules with ``dateutil.rrule``, in the session's IANA time zone);
- :func:`build_calendar` turns sessions into an iCalendar feed: one VEVENT per session, with
  its RRULE (never expanded copies), DTSTART with TZID and a VTIMEZONE, all-day events with a
  note where the source publishes no time;
- :func:`check_schedules` is the validation check (``schedule-error``): bad RRULEs, unknown
  time zones, end before start, rows with neither a rule nor a date, booking links that
  are not https, http or mailto — every row's problems in one run, beside Frictionless's
  type errors.

The topic page ``/receptions/`` lists the receptions of the next weeks, computed at build
time from :func:`moldir.model.settings.build_date` (the ``MOLDIR_TODAY`` setting, else
today in the portal's time zone), so the site is rebuilt daily to stay current.
"""

from __future__ import annotations

import csv
import datetime as dt
import gettext
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from dateutil.rrule import rrule, rrulestr

from moldir.features.kinds import kind_resources, name_slug, row_errors
from moldir.model.dataset import Dataset, Resource
from moldir.model.errors import ScheduleError
from moldir.model.report import ValidationError
from moldir.model.safety import safe_url
from moldir.pipeline import signals
from moldir.pipeline.limits import Limits

# icalendar and pandas are imported where a schedule is read, checked or written (the
# pages are in .pages, imported only for a build): ``moldir validate`` on a portal
# without reception schedules loads none of them.
if TYPE_CHECKING:
    import icalendar
    import pandas as pd

logger = logging.getLogger(__name__)

KIND = "reception-schedule"
PRODID = "-//Moldir//Reception schedules//EN"
# Rule parts that fix the day of a weekly, monthly or yearly rule; without one of them
# (and without valid_from) RFC 5545 takes the day from DTSTART, which the source never gave.
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS")
# RFC 5545 §3.3.10: allowed magnitudes of the numeric rule parts (negative counts from the end).
_RANGES = {
    "BYMONTHDAY": (1, 31),
    "BYYEARDAY": (1, 366),
    "BYWEEKNO": (1, 53),
    "BYSETPOS": (1, 366),
    "BYMONTH": (1, 12),
    "BYHOUR": (0, 23),
    "BYMINUTE": (0, 59),
    "BYSECOND": (0, 60),
}


@dataclass(frozen=True)
class ReceptionSession:
    """One row of a reception schedule: a recurring reception (``rrule``) or one dated
    session (``date``) of one position of one body."""

    dataset: str
    resource: str
    row: int
    body: str
    position: str
    timezone: str
    official_name: str = ""
    recurrence_text: str = ""
    rrule: str = ""
    date: dt.date | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    address: str = ""
    format: str = ""
    booking: str = ""
    booking_url: str = ""
    booking_phone: str = ""
    languages: tuple[str, ...] = ()
    notes: str = ""

    @property
    def body_slug(self) -> str:
        return body_slug(self.body)

    @property
    def has_time(self) -> bool:
        return self.start_time is not None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def day_published(self) -> bool:
        """Whether the dates of this session follow from what was published.

        ``FREQ=MONTHLY`` alone means "once a month" — RFC 5545 would take the day from
        DTSTART, which the source never gave, so such a rule has no dates until the editor
        adds ``valid_from`` (or a BYDAY/BYMONTHDAY part).
        """
        if self.date is not None or self.valid_from is not None:
            return True
        parts = rule_parts(self.rrule)
        if parts.get("INTERVAL", "1") != "1":  # "every other Friday": which ones?
            return False
        if parts.get("FREQ") in ("WEEKLY", "MONTHLY", "YEARLY"):
            return any(part in parts for part in _DAY_PARTS)
        return bool(parts)

    @property
    def uid(self) -> str:
        """A UID stable across builds: it depends on what the session is, not on row order."""
        key = "|".join(
            [
                self.dataset,
                self.body,
                self.position,
                self.rrule,
                self.date.isoformat() if self.date else "",
                self.start_time.isoformat() if self.start_time else "",
                self.place,
            ]
        )
        return f"{self.dataset}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


@dataclass(frozen=True)
class Occurrence:
    """One dated reception: a session on a day, with local start and end if published."""

    session: ReceptionSession
    day: dt.date
    start: dt.datetime | None = None
    end: dt.datetime | None = None


@dataclass
class ReceptionBody:
    """Everything the portal knows about the receptions of one body."""

    name: str
    slug: str
    sessions: list[ReceptionSession] = field(default_factory=list)
    upcoming: list[Occurrence] = field(default_factory=list)

    @property
    def undated(self) -> list[ReceptionSession]:
        """Regular receptions whose days the source does not publish."""
        return [s for s in self.sessions if not s.day_published]

    @property
    def has_feed(self) -> bool:
        """Whether the body's calendar would hold an event (RFC 5545 wants at least one)."""
        return any(s.day_published for s in self.sessions)

    @property
    def formats(self) -> list[str]:
        return sorted({s.format for s in self.sessions if s.format})

    @property
    def datasets(self) -> list[str]:
        return sorted({s.dataset for s in self.sessions})


# --- reading ---------------------------------------------------------------------------


def body_slug(name: str) -> str:
    """The URL slug of a body (ASCII, from any script)."""
    return name_slug(name)


def rule_parts(value: str) -> dict[str, str]:
    """``FREQ=MONTHLY;BYDAY=-1WE`` → ``{"FREQ": "MONTHLY", "BYDAY": "-1WE"}`` (no checking)."""
    value = (value or "").strip().removeprefix("RRULE:")
    parts = {}
    for item in filter(None, value.split(";")):
        name, _, part = item.partition("=")
        parts[name.strip().upper()] = part.strip()
    return parts


def parse_time(value: Any) -> dt.time | None:
    """'09:30' or '09:30:00' → time; empty → None (Frictionless already checked the form)."""
    if _missing(value) or str(value).strip() == "":
        return None
    if isinstance(value, dt.time):
        return value
    text = str(value).strip()
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise ValueError(f'"{text}" is not a time (HH:MM)')


def _missing(value: Any) -> bool:
    """Whether a cell is empty, whatever pandas made of it (None, NA, NaT, NaN)."""
    if value is None:
        return True
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values are never missing cells
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
    return dt.date.fromisoformat(str(value).strip())


def sessions_from_table(frame: pd.DataFrame, dataset: str, resource: str) -> list[ReceptionSession]:
    """The rows of a typed reception-schedule table as sessions (row numbers as Frictionless's:
    the header is row 1)."""
    sessions = []
    for index, row in enumerate(frame.to_dict(orient="records")):
        languages = tuple(code for code in _text(row, "languages").split(",") if code)
        sessions.append(
            ReceptionSession(
                dataset=dataset,
                resource=resource,
                row=index + 2,
                body=_text(row, "body"),
                position=_text(row, "position"),
                timezone=_text(row, "timezone"),
                official_name=_text(row, "official_name"),
                recurrence_text=_text(row, "recurrence_text"),
                rrule=_text(row, "rrule").removeprefix("RRULE:"),
                date=_date(row, "date"),
                valid_from=_date(row, "valid_from"),
                valid_until=_date(row, "valid_until"),
                start_time=parse_time(row.get("start_time")),
                end_time=parse_time(row.get("end_time")),
                place=_text(row, "place"),
                address=_text(row, "address"),
                format=_text(row, "format"),
                booking=_text(row, "booking"),
                booking_url=_text(row, "booking_url"),
                booking_phone=_text(row, "booking_phone"),
                languages=languages,
                notes=_text(row, "notes"),
            )
        )
    return sessions


# --- validation ------------------------------------------------------------------------


def schedule_problems(row: dict[str, Any], invalid: Iterable[str] = ()) -> list[tuple[str, str]]:
    """What is wrong with one row of a schedule: (field, message) pairs; [] when fine.

    ``row`` maps field names to cell text (or typed values); empty cells may be missing.
    ``invalid`` names the cells Frictionless already reports (a type or constraint error):
    the checks that read them are skipped, so that each problem is reported once, and the
    row's other problems are still found in the same run.
    """
    invalid = set(invalid)
    problems: list[tuple[str, str]] = []
    rule = _text(row, "rrule").removeprefix("RRULE:")
    has_date = _text(row, "date") != ""
    if not invalid & {"rrule", "date"}:
        if not rule and not has_date:
            problems.append(
                (
                    "rrule",
                    "the row has neither a recurrence rule (rrule) nor a date; give one of them",
                )
            )
        if rule and has_date:
            problems.append(("date", "give either a recurrence rule or a date, not both"))
    if rule and "rrule" not in invalid:
        message = rrule_problem(rule)
        if message:
            problems.append(("rrule", message))
        elif not _text(row, "valid_from") and "valid_from" not in invalid:
            parts = rule_parts(rule)
            if "COUNT" in parts:
                problems.append(
                    ("valid_from", "a rule with COUNT needs valid_from: the count starts there")
                )
            elif parts.get("INTERVAL", "1") != "1":
                problems.append(
                    ("valid_from", "a rule with INTERVAL needs valid_from: intervals count from it")
                )
    zone = _text(row, "timezone")
    if zone and "timezone" not in invalid and not is_time_zone(zone):
        problems.append(
            ("timezone", f'unknown time zone "{zone}"; use an IANA name such as Asia/Almaty')
        )
    if not invalid & {"start_time", "end_time"}:
        problems.extend(time_problems(row))
    if not invalid & {"valid_from", "valid_until"}:
        try:
            valid_from, valid_until = _date(row, "valid_from"), _date(row, "valid_until")
        except ValueError:
            valid_from = valid_until = None  # Frictionless reports malformed dates itself
        if valid_from and valid_until and valid_until < valid_from:
            problems.append(("valid_until", "valid_until is before valid_from"))
    for name in URL_FIELDS:
        link = _text(row, name)
        if link and name not in invalid and safe_url(link) is None:
            shown = link if len(link) <= 60 else link[:57] + "…"
            problems.append(
                (
                    name,
                    f'"{shown}" is not a link the portal publishes: give an absolute https, '
                    "http or mailto address",
                )
            )
    return problems


# Cells that become links on the portal's pages and in the calendars (safety.safe_url).
URL_FIELDS = ("booking_url", "contact_url", "url")


def time_problems(row: dict[str, Any]) -> list[tuple[str, str]]:
    """A start and end time that cannot be read, or do not make a reception."""
    try:
        start = parse_time(row.get("start_time"))
        end = parse_time(row.get("end_time"))
    except ValueError as error:
        return [("start_time", str(error))]
    if end is not None and start is None:
        return [("start_time", "an end time is given without a start time")]
    if start is not None and end is not None and end <= start:
        return [
            (
                "end_time",
                f"the end time {end:%H:%M} is not after the start time {start:%H:%M}",
            )
        ]
    return []


def rrule_problem(rule: str) -> str | None:
    """Why an RRULE value is invalid (parsed by both dateutil and icalendar), or None."""
    import icalendar

    anchor = dt.datetime(2000, 1, 1)
    try:
        parsed = rrulestr(rule, dtstart=anchor)
        recur = icalendar.vRecur.from_ical(rule)
    except (ValueError, TypeError, KeyError) as error:
        return f'"{rule}" is not a valid RFC 5545 recurrence rule ({error})'
    if "FREQ" not in recur:
        return f'"{rule}" is not a valid RFC 5545 recurrence rule (FREQ is missing)'
    # Both parsers accept numbers RFC 5545 forbids (BYMONTHDAY=40): check the ranges.
    for part, values in rule_parts(rule).items():
        if part in _RANGES:
            low, high = _RANGES[part]
            for value in values.split(","):
                number = int(value) if re.fullmatch(r"[+-]?\d+", value) else None
                if number is None or not low <= abs(number) <= high or (number == 0 and low):
                    return f'"{rule}": {part}={value} is out of range ({low} to {high})'
    if parsed.after(anchor, inc=True) is None:
        return f'"{rule}" never happens'
    return None


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is a time zone of the IANA database (Asia/Almaty, Europe/London)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_schedules(
    dataset: Dataset, limits: Limits | None = None, max_file_bytes: int | None = None
) -> Iterable[ValidationError]:
    """Every row of every reception-schedule resource: rules, zones, times and links
    (schedule-error).

    The rows are read as Frictionless reads them, not from the typed table, so that the
    check also runs on a dataset whose data has type errors (``descriptor_only``: it is
    run on the draft of an invalid dataset too): a schedule with five bad rows gets its
    five errors in one run, whatever their kinds.
    """
    if dataset.kind != KIND:
        return
    for resource in kind_resources(dataset):
        yield from check_resource(dataset, resource, limits or Limits(), max_file_bytes)


def check_resource(
    dataset: Dataset, resource: Resource, limits: Limits, max_file_bytes: int | None = None
) -> Iterable[ValidationError]:
    error = row_errors(dataset, resource, ScheduleError)
    for number, row, invalid in schedule_rows(dataset, resource, limits, max_file_bytes):
        for field_name, message in schedule_problems(row, invalid):
            yield error(number - 2, field_name, message)


def schedule_rows(
    dataset: Dataset, resource: Resource, limits: Limits, max_file_bytes: int | None = None
) -> Iterator[tuple[int, dict[str, Any], set[str]]]:
    """(row number, typed cells, names of the cells with errors) of each row, read by
    Frictionless with the descriptor's declared encoding and dialect.

    A file that is missing, over the size limits or not readable text yields nothing: the
    validation reports it, and a check must not read it (bounded work).
    """
    import frictionless

    from moldir.pipeline.hints import declared_dialect
    from moldir.pipeline.limits import scan_file
    from moldir.pipeline.validate import declared_defaults

    descriptor = declared_defaults({"resources": [dict(resource.descriptor)]})["resources"][0]
    if resource.path is not None:
        path = resource.path
        if not path.is_file() or (max_file_bytes and path.stat().st_size > max_file_bytes):
            return
        delimiter, quote, _comment = declared_dialect(descriptor)
        raw = scan_file(str(path), limits, descriptor.get("encoding"), delimiter, quote)
        if raw.fatal:
            return
    try:
        with frictionless.Resource(descriptor, basepath=str(dataset.folder)) as table:
            for row in table.row_stream:
                invalid = {
                    error.field_name for error in row.errors if getattr(error, "field_name", None)
                }
                yield row.row_number, row.to_dict(), invalid
    except (frictionless.FrictionlessException, UnicodeError, csv.Error, ValueError, OSError):
        return  # the validation reports why the rows cannot be read


def validation_checks(sender: Any) -> list[Callable[[Dataset], Iterable[ValidationError]]]:
    """The schedule check with the portal's limits (``sender`` is the MOLDIR settings)."""
    from moldir.pipeline.validate import descriptor_only

    limits = Limits.from_settings(sender) if hasattr(sender, "max_rows") else Limits()
    max_file_bytes = getattr(sender, "max_file_bytes", None)

    def check(dataset: Dataset) -> Iterable[ValidationError]:
        return check_schedules(dataset, limits, max_file_bytes)

    return [descriptor_only(check)]


# --- dates -----------------------------------------------------------------------------


def _rule(session: ReceptionSession, anchor: dt.date) -> rrule:
    start = session.start_time or dt.time(0, 0)
    first = dt.datetime.combine(session.valid_from or anchor, start)
    rule = rrulestr(session.rrule, dtstart=first)
    if session.valid_until and "UNTIL" not in rule_parts(session.rrule):
        rule = rule.replace(until=dt.datetime.combine(session.valid_until, dt.time.max))
    return rule


def occurrences(session: ReceptionSession, start: dt.date, end: dt.date) -> list[Occurrence]:
    """The session's receptions on days ``start`` to ``end`` (both included), in local time.

    A rule whose day is not published has none (see ``ReceptionSession.day_published``).
    """
    if session.date is not None:
        days = [session.date] if start <= session.date <= end else []
    elif session.rrule and session.day_published:
        rule = _rule(session, start)
        after = dt.datetime.combine(start, dt.time.min)
        before = dt.datetime.combine(end, dt.time.max)
        days = [moment.date() for moment in rule.between(after, before, inc=True)]
    else:
        days = []
    return [occurrence_on(session, day) for day in days]


def occurrence_on(session: ReceptionSession, day: dt.date) -> Occurrence:
    if session.start_time is None:
        return Occurrence(session=session, day=day)
    zone = session.tz
    begin = dt.datetime.combine(day, session.start_time, tzinfo=zone)
    finish = dt.datetime.combine(day, session.end_time, tzinfo=zone) if session.end_time else None
    return Occurrence(session=session, day=day, start=begin, end=finish)


def first_occurrence(session: ReceptionSession, on_or_after: dt.date) -> Occurrence | None:
    """The first reception on or after a day (the DTSTART of a rule without valid_from)."""
    if session.date is not None:
        return occurrence_on(session, session.date)
    if not (session.rrule and session.day_published):
        return None
    rule = _rule(session, on_or_after)
    moment = rule.after(dt.datetime.combine(on_or_after, dt.time.min), inc=True)
    return occurrence_on(session, moment.date()) if moment else None


def group_by_body(
    sessions: Iterable[ReceptionSession], start: dt.date, end: dt.date
) -> list[ReceptionBody]:
    """Bodies in name order, each with its sessions and its receptions from start to end."""
    bodies: dict[str, ReceptionBody] = {}
    for session in sessions:
        body = bodies.setdefault(
            session.body_slug, ReceptionBody(name=session.body, slug=session.body_slug)
        )
        body.sessions.append(session)
        body.upcoming.extend(occurrences(session, start, end))
    for body in bodies.values():
        body.upcoming.sort(key=lambda o: (o.day, o.session.start_time or dt.time.min))
    return sorted(bodies.values(), key=lambda b: b.name.casefold())


# --- iCalendar -------------------------------------------------------------------------


def build_calendar(
    sessions: Iterable[ReceptionSession],
    name: str,
    today: dt.date,
    page_url: Callable[[ReceptionSession], str | None] = lambda session: None,
    gettext_: Callable[[str], str] = gettext.gettext,
    host: str = "moldir.invalid",
) -> icalendar.Calendar:
    """An iCalendar feed: one VEVENT per session, a VTIMEZONE per zone used.

    Rules keep their RRULE (a calendar expands it); DTSTART is the first reception on or
    after ``valid_from`` or, without one, ``today``. A session without a published time is
    an all-day event whose description says so. Sessions whose day is not published are
    left out: a calendar entry would invent a date.
    """
    import icalendar

    _ = gettext_
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # Subscribed calendars refresh daily, as often as the site is rebuilt.
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    stamp = dt.datetime.combine(today, dt.time.min, tzinfo=dt.UTC)
    first_day = today
    for session in sessions:
        event = session_event(session, today, stamp, page_url(session), _, host)
        if event is not None:
            calendar.add_component(event)
            first_day = min(
                first_day,
                event.decoded("dtstart").date()
                if isinstance(event.decoded("dtstart"), dt.datetime)
                else event.decoded("dtstart"),
            )
    # VTIMEZONE rules from the first event on, ten years ahead: small, and enough for a
    # feed that is rebuilt daily (icalendar would otherwise write every change since 1970).
    calendar.add_missing_timezones(
        first_date=dt.date(first_day.year, 1, 1), last_date=dt.date(today.year + 10, 1, 1)
    )
    # icalendar adds them in the order of a set of names, new in every process
    # (PYTHONHASHSEED): put in name order, so that two builds give the same feed.
    zones = [part for part in calendar.subcomponents if part.name == "VTIMEZONE"]
    others = [part for part in calendar.subcomponents if part.name != "VTIMEZONE"]
    calendar.subcomponents[:] = sorted(zones, key=lambda zone: str(zone.get("TZID"))) + others
    return calendar


def session_event(
    session: ReceptionSession,
    today: dt.date,
    stamp: dt.datetime,
    url: str | None,
    _: Callable[[str], str],
    host: str,
) -> icalendar.Event | None:
    import icalendar

    first = first_occurrence(session, session.valid_from or today)
    if first is None:
        return None
    event = icalendar.Event()
    event.add("uid", f"{session.uid}@{host}")
    event.add("dtstamp", stamp)
    event.add(
        "summary",
        _("Reception: %(position)s, %(body)s")
        % {"position": session.position, "body": session.body},
    )
    if first.start is not None:
        event.add("dtstart", first.start)
        if first.end is not None:
            event.add("dtend", first.end)
        event.add("transp", "OPAQUE")
    else:
        event.add("dtstart", first.day)
        event.add("dtend", first.day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    if session.rrule and session.date is None:
        recur = icalendar.vRecur.from_ical(session.rrule)
        if session.valid_until and "UNTIL" not in recur and "COUNT" not in recur:
            recur["UNTIL"] = (
                dt.datetime.combine(session.valid_until, dt.time.max, tzinfo=session.tz)
                .astimezone(dt.UTC)
                .replace(microsecond=0)
                if first.start is not None
                else session.valid_until
            )
        event.add("rrule", recur)
    location = ", ".join(part for part in (session.place, session.address) if part)
    if location:
        event.add("location", location)
    event.add("description", "\n".join(describe(session, _)))
    if url:
        event.add("url", url)
    if session.format:
        event.add("categories", [session.format])
    return event


def describe(session: ReceptionSession, _: Callable[[str], str]) -> list[str]:
    """Lines of an event's description: how to book first, then what else the source says."""
    lines = []
    if not session.has_time:
        lines.append(_("Time not published: check with the body before you go."))
    booking = [session.booking, session.booking_phone, session.booking_url]
    if any(booking):
        lines.append(_("How to book: %(how)s") % {"how": " · ".join(b for b in booking if b)})
    else:
        lines.append(_("How to book: not published."))
    if session.format:
        lines.append(_("Format: %(format)s") % {"format": format_label(session.format, _)})
    if session.official_name:
        lines.append(session.official_name)
    if session.recurrence_text:
        lines.append(_("Schedule as published: %(text)s") % {"text": session.recurrence_text})
    if session.notes:
        lines.append(session.notes)
    return lines


def format_label(value: str, _: Callable[[str], str]) -> str:
    labels = {"in-person": _("In person"), "online": _("Online"), "phone": _("By phone")}
    return labels.get(value, value)


def language_name(code: str, locale: str) -> str:
    """A BCP 47 code as a reader's word for it ("kk" → "қазақ тілі" in Kazakh), else the code."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(locale) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def calendar_bytes(calendar: icalendar.Calendar) -> bytes:
    """The feed as served: CRLF lines folded at 75 octets (icalendar does both)."""
    return calendar.to_ical()


# --- pages (written by .pages) -------------------------------------------------------


def portal_sessions(portal: Any) -> list[ReceptionSession]:
    """Every session of every reception-schedule dataset of a loaded portal."""
    sessions = []
    for published in portal.by_kind(KIND):
        for resource in kind_resources(published.dataset):
            frame = published.tables[resource.name]
            sessions.extend(sessions_from_table(frame, published.slug, resource.name))
    return sessions


def webcal(url: str) -> str | None:
    """The webcal:// form of an absolute feed URL (phones subscribe with it), else None."""
    if url.startswith(("http://", "https://")):
        return "webcal://" + url.split("://", 1)[1]
    return None


def connect() -> None:
    signals.validation_checks.connect(validation_checks)
