"""Convert HMCTS court opening times (free text) to Moldir's reception-schedule schema.

The source is the Court and Tribunal Finder export of HM Courts & Tribunals Service
(``corpus/uk-hmcts-court-opening-hours/courts.json``, Open Government Licence v2.0). Each
court has entries such as ``"Court counter open: 9.15 am (Mon-Thurs) 9.00 am (Fri)"`` and
``"Court counter closed: 4.00 pm"``. This script parses the common patterns and never
guesses:

- a time without am/pm is accepted only when it cannot be read two ways (``16.00``,
  ``08:30``); ``9.30 - 10.30`` is left as text;
- days are taken only from the text (``Mon-Thurs``, ``Monday to Friday``, ``(4.30 pm
  Friday)``); when the source gives a time without days, the desk is not converted unless
  the editor states the days with ``--days`` (recorded in the row's notes);
- any word the parser does not know (``except``, ``closed``, ``sitting``) leaves the entry
  unparsed: its text goes into ``notes`` and, if nothing else is left, the desk is skipped.

Usage (from the repository root)::

    python scripts/convert_hmcts_hours.py \\
        ../shared/corpus/uk-hmcts-court-opening-hours/courts.json \\
        examples/international/datasets/uk-court-counter-hours/counter-hours.csv --limit 40

It prints what it converted and what it left out. See docs/schemas/reception-schedule.md,
section "From free-text opening hours".
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_WORDS = {
    "mon": "MO",
    "monday": "MO",
    "mondays": "MO",
    "tue": "TU",
    "tues": "TU",
    "tuesday": "TU",
    "tuesdays": "TU",
    "wed": "WE",
    "weds": "WE",
    "wednesday": "WE",
    "wednesdays": "WE",
    "thu": "TH",
    "thur": "TH",
    "thurs": "TH",
    "thursday": "TH",
    "thursdays": "TH",
    "fri": "FR",
    "friday": "FR",
    "fridays": "FR",
    "sat": "SA",
    "saturday": "SA",
    "saturdays": "SA",
    "sun": "SU",
    "sunday": "SU",
    "sundays": "SU",
}
# Words that join times and days without changing their meaning.
FILLERS = {"and", "&", ",", "(", ")", "on", "only", ".", ":", "from", "at"}
RANGE_WORDS = {"to", "until", "-", "–", "till"}
TOKEN = re.compile(
    r"(?P<time>\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm)\b|\d{1,2}[.:]\d{2}\b)"
    r"|(?P<word>[a-z]+)"
    r"|(?P<punct>[-–&,().:])"
    r"|(?P<other>\S)"
)
# Desks converted, with the format of the reception they offer.
DESKS = {
    "court counter": ("Court counter", "in-person"),
    "telephone enquiries": (
        "Telephone enquiries",
        "phone",
    ),
}
OPEN_WORDS = ("open", "opens", "from")
CLOSE_WORDS = ("closed", "closes", "close", "until")
FIELDS = [
    "body",
    "position",
    "official_name",
    "recurrence_text",
    "rrule",
    "date",
    "valid_from",
    "valid_until",
    "start_time",
    "end_time",
    "timezone",
    "place",
    "address",
    "format",
    "booking",
    "booking_url",
    "booking_phone",
    "languages",
    "notes",
]


class Unparsed(ValueError):
    """The text holds something the parser will not guess about."""


@dataclass(frozen=True)
class Hours:
    """Times found in one entry, per set of days (``None``: the text names no days)."""

    times: dict[tuple[str, ...] | None, tuple[dt.time | None, dt.time | None]]


def parse_clock(text: str) -> dt.time:
    """'9.30 am', '5pm', '10:00 am', '16.00', '08:30' → time; '9.30' alone is ambiguous."""
    match = re.fullmatch(r"(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)?", text.strip())
    if not match:
        raise Unparsed(f"not a time: {text!r}")
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise Unparsed(f"not a time: {text!r}")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour <= 12 and not match[1].startswith("0"):
        raise Unparsed(f"{text!r} could be morning or afternoon")
    if hour > 23 or minute > 59:
        raise Unparsed(f"not a time: {text!r}")
    return dt.time(hour, minute)


def day_range(first: str, last: str) -> tuple[str, ...]:
    start, end = WEEKDAYS.index(first), WEEKDAYS.index(last)
    if end < start:
        raise Unparsed(f"backwards day range {first}-{last}")
    return WEEKDAYS[start : end + 1]


def tokens(text: str) -> list[tuple[str, str]]:
    found = []
    for match in TOKEN.finditer(text.lower()):
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "word" and value in DAY_WORDS:
            found.append(("day", DAY_WORDS[value]))
        elif (kind == "word" and value in RANGE_WORDS) or value in ("-", "–"):
            found.append(("range", value))
        elif kind == "time":
            found.append(("time", value))
        elif value in FILLERS:
            found.append(("filler", value))
        else:
            raise Unparsed(f"unknown word {value!r}")
    return found


def groups(found: list[tuple[str, str]]) -> list[tuple[str, object]]:
    """Tokens → a list of ("days", tuple) and ("times", (start, end|None)) items."""
    items: list[tuple[str, object]] = []
    index = 0
    while index < len(found):
        kind, value = found[index]
        if kind in ("filler", "range"):
            index += 1
            continue
        nxt = found[index + 1] if index + 1 < len(found) else None
        after = found[index + 2] if index + 2 < len(found) else None
        is_range = nxt is not None and nxt[0] == "range" and after is not None
        if kind == "time":
            if is_range and after[0] == "time":
                items.append(("times", (parse_clock(value), parse_clock(after[1]))))
                index += 3
            else:
                items.append(("times", (parse_clock(value), None)))
                index += 1
        else:  # a day
            days = day_range(value, after[1]) if is_range and after[0] == "day" else (value,)
            index += 3 if is_range and after[0] == "day" else 1
            if items and items[-1][0] == "days":
                # "Mon, Wed and Fri": days with no time between them are one set.
                previous = items.pop()[1]
                days = tuple(d for d in WEEKDAYS if d in set(previous) | set(days))
            items.append(("days", days))
    return items


def parse_hours(value: str) -> Hours:
    """The times of one entry's value, bound to the days the text names.

    Days written first bind to the times after them ("Monday to Thursday 8.30 am to
    5.00 pm Fridays …"); otherwise a day set binds to the time before it ("9.15 am
    (Mon-Thurs) 9.00 am (Fri)"), and a time with no day set after it has no days.
    """
    items = groups(tokens(value))
    if not any(kind == "times" for kind, _ in items):
        raise Unparsed("no time")
    times: dict[tuple[str, ...] | None, tuple[dt.time | None, dt.time | None]] = {}
    if items[0][0] == "days":
        current = None
        for kind, item in items:
            if kind == "days":
                current = item
            else:
                _put(times, current, item)
    else:
        for position, (kind, item) in enumerate(items):
            if kind != "times":
                continue
            following = items[position + 1] if position + 1 < len(items) else None
            _put(times, following[1] if following and following[0] == "days" else None, item)
    return Hours(times=times)


def _put(times: dict, days, item) -> None:
    if days in times:
        raise Unparsed("two times for the same days")
    times[days] = item


@dataclass
class Desk:
    """What one court publishes for one desk: opening and closing times per day set."""

    opens: dict = field(default_factory=dict)
    closes: dict = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)


def read_desks(entries: Iterable[str]) -> dict[str, Desk]:
    """Court entries ("<label>: <value>") → desks of DESKS, with their parsed times."""
    desks: dict[str, Desk] = {}
    for entry in entries:
        label, _, value = entry.partition(":")
        words = label.strip().lower().split()
        if not words:
            continue
        role = "open" if words[-1] in OPEN_WORDS else "close" if words[-1] in CLOSE_WORDS else ""
        name = " ".join(words[:-1] if role else words)
        if name not in DESKS:
            continue
        desk = desks.setdefault(name, Desk())
        desk.texts.append(entry.strip())
        try:
            hours = parse_hours(value)
        except Unparsed:
            desk.unparsed.append(entry.strip())
            continue
        opens, closes = dict(desk.opens), dict(desk.closes)
        try:
            for days, (start, end) in hours.times.items():
                if end is not None and role == "close":
                    # "closed: 13.30 - 14.30" is a closure (lunch), not opening hours.
                    raise Unparsed("a time range under a closing label")
                if end is not None:  # a range: "9.00 am to 5.00 pm"
                    _merge(opens, days, start)
                    _merge(closes, days, end)
                elif role == "close":
                    _merge(closes, days, start)
                elif role == "open":
                    _merge(opens, days, start)
                else:
                    raise Unparsed("a single time without open or close in the label")
        except Unparsed:
            desk.unparsed.append(entry.strip())
            continue
        desk.opens, desk.closes = opens, closes
    return desks


def _merge(target: dict, days, moment) -> None:
    if target.get(days, moment) != moment:
        raise Unparsed("conflicting times")
    target[days] = moment


def desk_rows(desk: Desk, assumed_days: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Rows (rrule, start, end, notes) for a desk; [] if no day of it is stated.

    Each day takes the time of the most specific day set naming it ("(4.30 pm Friday)"
    beats "Monday to Friday"); a time given without days applies to every stated day.
    Days never named are left out, unless the editor gives ``assumed_days`` (noted).
    """
    named = [days for days in (*desk.opens, *desk.closes) if days is not None]
    stated = {day for days in named for day in days}
    undated = None in desk.opens or None in desk.closes
    notes = []
    other = tuple(d for d in assumed_days if d not in stated) if undated else ()
    if other:
        notes.append(
            "Days assumed by the editor (" + ",".join(other) + "): the source gives times only."
        )
    elif undated and stated:
        notes.append("Other days: the source gives times without naming the days.")
    if desk.unparsed:
        notes.append("Not converted, as published: " + "; ".join(desk.unparsed))
    by_times: dict[tuple, list[str]] = {}
    for day in WEEKDAYS:
        if day not in stated and day not in other:
            continue
        times = (_time_on(desk.opens, day), _time_on(desk.closes, day))
        by_times.setdefault(times, []).append(day)
    rows = []
    for (start, end), days in by_times.items():
        row_notes = list(notes)
        if start is None and end is not None:
            row_notes.insert(0, f"Closes at {end:%H:%M}; the opening time is not published.")
            end = None
        if start is not None and end is not None and end <= start:
            raise Unparsed("closing time before opening time")
        rows.append(
            {
                "rrule": "FREQ=WEEKLY;BYDAY=" + ",".join(days),
                "start_time": f"{start:%H:%M}" if start else "",
                "end_time": f"{end:%H:%M}" if end else "",
                "notes": " ".join(row_notes),
            }
        )
    return rows


def _time_on(times: dict, day: str) -> dt.time | None:
    """The time for a day: from the smallest day set naming it, else the undated time."""
    sets = sorted((days for days in times if days is not None and day in days), key=len)
    return times[sets[0]] if sets else times.get(None)


def court_rows(court: dict, assumed_days: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Schedule rows (the schema's fields) for one court of courts.json."""
    address = next((a for a in court.get("addresses", []) if a.get("type") == "Visiting"), None)
    address_text = ""
    if address:
        lines = [line.strip() for line in address.get("address", "").splitlines() if line.strip()]
        lines += [address.get("town", ""), address.get("postcode", "")]
        address_text = ", ".join(part.strip() for part in lines if part and part.strip())
    phone = next(
        (
            c["number"].strip()
            for c in sorted(court.get("contacts", []), key=lambda c: c.get("sort") or 0)
            if "enquir" in (c.get("name") or "").lower()
            and re.fullmatch(r"\+?[0-9 ()\-]{5,}", (c.get("number") or "").strip())
        ),
        "",
    )
    # The export is old: every row says when the court last published its hours.
    updated = (court.get("updated_at") or "")[:10]
    as_of = f"As published by HMCTS on {updated}." if updated else ""
    rows = []
    for name, desk in read_desks(court.get("opening_times", [])).items():
        position, format_ = DESKS[name]
        try:
            found = desk_rows(desk, assumed_days)
        except Unparsed:
            continue
        for row in found:
            rows.append(
                {
                    **dict.fromkeys(FIELDS, ""),
                    **row,
                    "body": court["name"].strip(),
                    "position": position,
                    "recurrence_text": "; ".join(desk.texts),
                    "timezone": "Europe/London",
                    "place": position if format_ == "in-person" else "",
                    "address": address_text if format_ == "in-person" else "",
                    "format": format_,
                    "booking_phone": phone if format_ == "phone" else "",
                    "languages": "en",
                    "notes": " ".join(part for part in (as_of, row["notes"]) if part),
                }
            )
    return rows


def convert(courts: list[dict], limit: int, assumed_days: tuple[str, ...] = ()):
    """(rows, converted court names, skipped court names): the first ``limit`` courts,
    by slug, whose desks convert."""
    rows, converted, skipped = [], [], []
    for court in sorted(courts, key=lambda c: c["slug"]):
        if len(converted) >= limit:
            break
        found = court_rows(court, assumed_days)
        if found:
            rows.extend(found)
            converted.append(court["name"].strip())
        elif any(
            entry.split(":")[0].strip().lower().startswith(tuple(DESKS))
            for entry in court.get("opening_times", [])
        ):
            skipped.append(court["name"].strip())
    return rows, converted, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="courts.json of the HMCTS export")
    parser.add_argument("output", type=Path, help="CSV file to write")
    parser.add_argument("--limit", type=int, default=40, help="courts to convert (default 40)")
    parser.add_argument(
        "--days",
        default="",
        help="days the editor KNOWS a desk opens when the source gives times only, e.g. "
        "MO,TU,WE,TH,FR (recorded in each row's notes); default: leave such desks out",
    )
    args = parser.parse_args(argv)
    assumed = tuple(day for day in args.days.upper().split(",") if day)
    if any(day not in WEEKDAYS for day in assumed):
        parser.error(f"--days takes two-letter days: {', '.join(WEEKDAYS)}")
    courts = json.loads(args.source.read_text(encoding="utf-8"))
    rows, converted, skipped = convert(courts, args.limit, assumed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows for {len(converted)} courts written to {args.output}")
    print(f"{len(skipped)} courts with counter or telephone hours not converted (days not stated")
    print("or text the parser does not read); pass --days only if you know their days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
