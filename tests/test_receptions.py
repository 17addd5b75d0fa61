"""Reception schedules: the schedule check, occurrences, iCalendar feeds, the topic pages and
the HMCTS opening-hours converter."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import icalendar
import pytest
from dateutil.rrule import rrulestr

from moldir.features.kinds import kind_schema
from moldir.features.kinds.receptions import (
    ReceptionSession,
    build_calendar,
    check_schedules,
    group_by_body,
    occurrences,
    schedule_problems,
)
from moldir.model.settings import build_date, environment_settings
from moldir.pipeline.validate import ValidationOptions, validate_portal
from moldir.site.build import build_site

ROOT = Path(__file__).resolve().parents[1]
LABOUR = "ministry-of-labour-and-social-protection-of-the-population"
HEADER = [field["name"] for field in kind_schema("reception-schedule")["fields"]]
# The last Wednesday of each month of 2027, read from a printed calendar.
LAST_WEDNESDAYS_2027 = [
    dt.date(2027, 1, 27),
    dt.date(2027, 2, 24),
    dt.date(2027, 3, 31),
    dt.date(2027, 4, 28),
    dt.date(2027, 5, 26),
    dt.date(2027, 6, 30),
]


def session(**values) -> ReceptionSession:
    base = {
        "dataset": "example",
        "resource": "schedules",
        "row": 2,
        "body": "Ministry of Labour",
        "position": "Minister",
        "timezone": "Asia/Almaty",
    }
    return ReceptionSession(**{**base, **values})


# --- the schedule check ------------------------------------------------------------------


def write_schedule(root: Path, rows: list[dict[str, str]]) -> Path:
    """A reception-schedule dataset with the published schema and the given rows."""
    folder = root / "schedules"
    folder.mkdir(parents=True)
    with (folder / "schedules.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in HEADER})
    descriptor = {
        "name": "schedules",
        "title": "Schedules",
        "description": "Test schedules.",
        "licenses": [{"name": "CC-BY-4.0"}],
        "kind": "reception-schedule",
        "resources": [
            {
                "name": "schedules",
                "path": "schedules.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {**kind_schema("reception-schedule"), "missingValues": [""]},
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


GOOD = {
    "body": "Ministry of Labour",
    "position": "Minister",
    "rrule": "FREQ=MONTHLY;BYDAY=-1WE",
    "start_time": "10:00",
    "end_time": "12:00",
    "timezone": "Asia/Almaty",
    "format": "in-person",
}


def schedule_errors(tmp_path: Path, rows: list[dict[str, str]]) -> list[list]:
    report, _ = validate_portal(
        write_schedule(tmp_path, rows), ValidationOptions(), [check_schedules]
    )
    return report.flatten(["row", "field", "type"])


def test_good_schedule_is_valid(tmp_path):
    dated = {**GOOD, "rrule": "", "date": "2027-03-05"}
    untimed = {**GOOD, "start_time": "", "end_time": "", "format": ""}
    assert schedule_errors(tmp_path, [GOOD, dated, untimed]) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rrule": "FREQ=MONTHLY;BYDAY=-1XX"}, "rrule"),  # not a weekday
        ({"rrule": "FREQ=MONTHLY;BYMONTHDAY=40"}, "rrule"),  # no 40th day of a month
        ({"timezone": "Asia/Astana_City"}, "timezone"),
        ({"timezone": "Kazakhstan/Astana"}, "timezone"),
        ({"start_time": "12:00", "end_time": "10:00"}, "end_time"),
        ({"start_time": "10:00", "end_time": "10:00"}, "end_time"),
        ({"start_time": "", "end_time": "10:00"}, "start_time"),
        ({"rrule": ""}, "rrule"),  # neither a rule nor a date
        ({"date": "2027-01-01"}, "date"),  # both
        ({"rrule": "FREQ=WEEKLY;COUNT=4;BYDAY=MO"}, "valid_from"),
        ({"rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"}, "valid_from"),  # which Fridays?
    ],
)
def test_bad_rows_are_schedule_errors_located_by_row_and_field(tmp_path, change, field):
    errors = schedule_errors(tmp_path, [GOOD, {**GOOD, **change}])
    assert [3, field, "schedule-error"] in errors
    assert all(row == 3 for row, _, _ in errors)


def test_schedule_error_names_dataset_and_file(tmp_path):
    root = write_schedule(tmp_path, [{**GOOD, "timezone": "Mars/Olympus"}])
    report, _ = validate_portal(root, ValidationOptions(display_root=tmp_path), [check_schedules])
    (error,) = report.errors
    assert (error.dataset, error.file, error.row, error.field) == (
        "schedules",
        "schedules/schedules.csv",
        2,
        "timezone",
    )
    assert "Mars/Olympus" in error.message


def test_problems_of_a_row_without_frictionless():
    assert schedule_problems(GOOD) == []
    fields = [name for name, _ in schedule_problems({**GOOD, "rrule": "FREQ=DAILY;INTERVAL=x"})]
    assert fields == ["rrule"]


# --- occurrences -------------------------------------------------------------------------


def test_last_wednesday_rule_expands_to_the_calendar_dates():
    minister = session(rrule="FREQ=MONTHLY;BYDAY=-1WE", start_time=dt.time(10))
    found = occurrences(minister, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    assert [o.day for o in found] == LAST_WEDNESDAYS_2027
    assert all(o.day.weekday() == 2 for o in found)
    assert found[0].start == dt.datetime(2027, 1, 27, 10, tzinfo=found[0].start.tzinfo)


def test_rule_without_a_published_day_has_no_dates():
    vice = session(position="Vice Minister", rrule="FREQ=MONTHLY")
    assert not vice.day_published
    assert occurrences(vice, dt.date(2027, 1, 1), dt.date(2027, 12, 31)) == []
    fortnightly = session(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR")
    assert not fortnightly.day_published
    every_other = session(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", valid_from=dt.date(2027, 1, 8))
    days = [o.day for o in occurrences(every_other, dt.date(2027, 1, 1), dt.date(2027, 2, 10))]
    assert days == [dt.date(2027, 1, 8), dt.date(2027, 1, 22), dt.date(2027, 2, 5)]
    anchored = session(rrule="FREQ=MONTHLY", valid_from=dt.date(2027, 1, 15))
    days = [o.day for o in occurrences(anchored, dt.date(2027, 1, 1), dt.date(2027, 3, 31))]
    assert days == [dt.date(2027, 1, 15), dt.date(2027, 2, 15), dt.date(2027, 3, 15)]


def test_valid_until_and_dated_sessions():
    weekly = session(rrule="FREQ=WEEKLY;BYDAY=MO", valid_until=dt.date(2027, 1, 12))
    days = [o.day for o in occurrences(weekly, dt.date(2027, 1, 1), dt.date(2027, 1, 31))]
    assert days == [dt.date(2027, 1, 4), dt.date(2027, 1, 11)]
    once = session(date=dt.date(2027, 2, 3))
    assert [o.day for o in occurrences(once, dt.date(2027, 2, 1), dt.date(2027, 2, 28))] == [
        dt.date(2027, 2, 3)
    ]
    assert occurrences(once, dt.date(2027, 3, 1), dt.date(2027, 3, 31)) == []


def test_group_by_body_sorts_bodies_and_receptions():
    bodies = group_by_body(
        [
            session(body="Ministry of Labour", rrule="FREQ=MONTHLY;BYDAY=-1WE"),
            session(body="Akimat of Almaty", position="Front office", rrule="FREQ=WEEKLY;BYDAY=SA"),
            session(body="Ministry of Labour", position="Vice Minister", rrule="FREQ=MONTHLY"),
        ],
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 31),
    )
    assert [b.slug for b in bodies] == ["akimat-of-almaty", "ministry-of-labour"]
    assert [o.day.day for o in bodies[0].upcoming] == [2, 9, 16, 23, 30]
    assert [s.position for s in bodies[1].undated] == ["Vice Minister"]
    assert bodies[0].has_feed and bodies[1].has_feed
    (undated_only,) = group_by_body(
        [session(position="Vice Minister", rrule="FREQ=MONTHLY")],
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 31),
    )
    assert not undated_only.has_feed  # an empty VCALENDAR is not valid RFC 5545: no feed


def test_build_date_can_be_fixed():
    assert build_date({"MOLDIR_TODAY": "2027-06-01"}) == dt.date(2027, 6, 1)
    assert build_date({"MOLDIR_TODAY": dt.date(2027, 6, 2)}) == dt.date(2027, 6, 2)
    # The environment variable is a setting of the command line, never read below it.
    settings = {"TIMEZONE": "Asia/Almaty", **environment_settings({"MOLDIR_TODAY": "2027-05-01"})}
    assert build_date(settings) == dt.date(2027, 5, 1)


# --- iCalendar ---------------------------------------------------------------------------


def feed(sessions, today=dt.date(2027, 1, 1), **kwargs) -> icalendar.Calendar:
    calendar = build_calendar(sessions, "Receptions", today, **kwargs)
    return icalendar.Calendar.from_ical(calendar.to_ical())


def events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def test_feed_keeps_the_rule_and_expands_to_the_last_wednesdays():
    minister = session(
        rrule="FREQ=MONTHLY;BYDAY=-1WE", start_time=dt.time(10), end_time=dt.time(12)
    )
    calendar = feed([minister], page_url=lambda s: "https://portal.example/receptions/x/")
    (event,) = events(calendar)
    assert event["RRULE"]["FREQ"] == ["MONTHLY"] and event["RRULE"]["BYDAY"] == ["-1WE"]
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert start == dt.datetime(2027, 1, 27, 10, tzinfo=start.tzinfo)
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    assert [moment.date() for moment in rule[:6]] == LAST_WEDNESDAYS_2027
    # Asia/Almaty has no daylight saving time: UTC+5 in winter and in summer.
    assert {moment.utcoffset() for moment in rule[:6]} == {dt.timedelta(hours=5)}
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    assert str(event["URL"]) == "https://portal.example/receptions/x/"
    assert event.decoded("DTEND") - start == dt.timedelta(hours=2)
    for prop in ("UID", "DTSTAMP", "SUMMARY", "DESCRIPTION"):
        assert prop in event
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar


def test_uid_is_stable_across_builds_and_rows():
    minister = session(rrule="FREQ=MONTHLY;BYDAY=-1WE")
    moved = session(rrule="FREQ=MONTHLY;BYDAY=-1WE", row=9)
    first = events(feed([minister], today=dt.date(2027, 1, 1)))[0]["UID"]
    later = events(feed([moved], today=dt.date(2027, 3, 2)))[0]["UID"]
    other = events(feed([session(position="Deputy", rrule="FREQ=MONTHLY;BYDAY=-1WE")]))
    assert first == later != other[0]["UID"]


def test_session_without_time_is_an_all_day_event_with_a_note():
    minister = session(rrule="FREQ=MONTHLY;BYDAY=-1WE", booking="Register at the front desk")
    (event,) = events(feed([minister]))
    assert event.decoded("DTSTART") == dt.date(2027, 1, 27)
    assert event.decoded("DTEND") == dt.date(2027, 1, 28)
    assert "Time not published" in str(event["DESCRIPTION"])
    assert "Register at the front desk" in str(event["DESCRIPTION"])


def test_feed_leaves_out_rules_without_a_day_and_keeps_dated_sessions():
    vice = session(position="Vice Minister", rrule="FREQ=MONTHLY")
    once = session(position="Deputy", date=dt.date(2027, 2, 3), start_time=dt.time(15))
    (event,) = events(feed([vice, once]))
    assert "RRULE" not in event
    assert event.decoded("DTSTART").date() == dt.date(2027, 2, 3)


def test_feed_for_london_has_summer_time():
    counter = session(
        body="Court", rrule="FREQ=WEEKLY;BYDAY=FR", start_time=dt.time(9), timezone="Europe/London"
    )
    (event,) = events(feed([counter]))
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.decoded("DTSTART"))
    offsets = {moment.utcoffset() for moment in rule[:30]}
    assert offsets == {dt.timedelta(0), dt.timedelta(hours=1)}


# --- the built example portal ------------------------------------------------------------


def test_receptions_page_groups_upcoming_sessions_by_body(built):
    page = built.html("/receptions/")
    sections = {s["data-body"]: s for s in page.select("section[data-body]")}
    assert LABOUR in sections and "akimat-of-the-city-of-almaty" in sections
    # Kazakhstan's bodies only: the English courts are the international example's.
    assert "wandsworth-county-court" not in sections
    labour = sections[LABOUR]
    dates = [t["datetime"] for t in labour.select("tbody tr td:first-child time")]
    assert dates, "the minister receives every month, so every window has a date"
    assert all(dt.date.fromisoformat(d).weekday() == 2 for d in dates)
    assert labour.select_one(".moldir-reception__no-time") is not None  # no invented time
    assert len(labour.select(".moldir-receptions__undated li")) == 2  # vice minister, chief
    # The index links each body's section and page (works without JavaScript).
    anchors = {a["href"] for a in page.select(".moldir-receptions__bodies a")}
    assert f"#body-{LABOUR}" in anchors
    assert page.select_one("form[data-module='moldir-receptions-filter'][hidden]") is not None


def test_body_pages_and_subscribe_links(built, built_en, site):
    page = built.html(f"/receptions/{LABOUR}/")
    # The Kazakh page names the body in Kazakh (the reception dataset's value labels).
    heading = page.select_one("h1").get_text()
    assert re.search("[әіңғүұқөһ]", heading.lower()) and "Ministry" not in heading, heading
    english = built_en.html(f"/receptions/{LABOUR}/").select_one("h1").get_text()
    assert english.startswith("Ministry of Labour"), english
    links = [a["href"] for a in page.select(".moldir-subscribe a")]
    assert any(link.endswith(f"receptions/{LABOUR}.ics") for link in links)
    index_links = [a["href"] for a in built.html("/receptions/").select(".moldir-subscribe a")]
    assert any(link.endswith("receptions/all.ics") for link in index_links)
    for body in built.html("/receptions/").select("section[data-body]"):
        assert built.path(f"/receptions/{body['data-body']}/").is_file()
        assert (site / "receptions" / f"{body['data-body']}.ics").is_file()


def test_built_feeds_validate_and_are_written_once(site):
    calendar = icalendar.Calendar.from_ical((site / "receptions" / "all.ics").read_bytes())
    found = events(calendar)
    summaries = {str(e["SUMMARY"]) for e in found}
    assert any("Minister" in s and "Labour" in s for s in summaries)
    assert not any("Vice Minister" in s for s in summaries)  # no published day
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids))
    assert {tz["TZID"] for tz in calendar.walk("VTIMEZONE")} == {"Asia/Almaty"}
    for language in ("en", "ru"):
        assert not (site / language / "receptions" / "all.ics").exists()


def test_international_feed_holds_the_courts_in_london_time(site_international):
    feed_path = site_international / "receptions" / "all.ics"
    calendar = icalendar.Calendar.from_ical(feed_path.read_bytes())
    summaries = {str(e["SUMMARY"]) for e in events(calendar)}
    assert any("Wandsworth County Court" in s for s in summaries), sorted(summaries)[:5]
    assert {tz["TZID"] for tz in calendar.walk("VTIMEZONE")} == {"Europe/London"}


def test_english_page_says_time_not_published(built_en):
    page = built_en.html(f"/receptions/{LABOUR}/")
    text = page.select_one("main").get_text(" ")
    assert "Time not published" in text
    assert "day not published" in text


def test_international_court_page_in_english(built_international_en):
    page = built_international_en.html("/receptions/wandsworth-county-court/")
    court = page.select_one("main").get_text(" ")
    # Babel's English times ("10:00 AM" with a narrow no-break space before AM).
    assert re.search(r"10:00\sAM", court) and re.search(r"2:00\sPM", court)
    assert "English" in court  # the languages column, named in the page's language


def test_build_date_fixes_the_listed_receptions(project_copy, tmp_path):
    for folder in (project_copy / "datasets").iterdir():  # only the schedule: a faster build
        if folder.is_dir() and folder.name != "reception-schedules":
            shutil.rmtree(folder)
    output = tmp_path / "out"
    build_site(project_copy / "pelicanconf.py", output, {"MOLDIR_TODAY": "2027-01-01"})
    page = (output / "receptions" / LABOUR / "index.html").read_text(encoding="utf-8")
    # 8 weeks from 1 January 2027: the last Wednesdays of January and February.
    assert 'datetime="2027-01-27"' in page and 'datetime="2027-02-24"' in page
    assert 'datetime="2026-12-30"' not in page and 'datetime="2027-03-31"' not in page


# --- the HMCTS converter -----------------------------------------------------------------


@pytest.fixture(scope="module")
def converter():
    spec = importlib.util.spec_from_file_location(
        "convert_hmcts_hours", ROOT / "scripts" / "convert_hmcts_hours.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


T = dt.time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9.30 am", {None: (T(9, 30), None)}),
        ("9.00 am to 5.00 pm", {None: (T(9), T(17))}),
        (
            "9.15 am (Mon-Thurs) 9.00 am (Fri)",
            {("MO", "TU", "WE", "TH"): (T(9, 15), None), ("FR",): (T(9), None)},
        ),
        ("5.00 pm (4.30 pm Friday)", {None: (T(17), None), ("FR",): (T(16, 30), None)}),
        (
            "Monday to Thursday 8.30 am to 5.00 pm Fridays 8.30 am to 4.30 pm",
            {("MO", "TU", "WE", "TH"): (T(8, 30), T(17)), ("FR",): (T(8, 30), T(16, 30))},
        ),
        ("10am until 2pm Wednesday and Friday only", {("WE", "FR"): (T(10), T(14))}),
        ("16.00 (15.30 on Friday)", {None: (T(16), None), ("FR",): (T(15, 30), None)}),
    ],
)
def test_converter_reads_common_patterns(converter, text, expected):
    assert converter.parse_hours(text).times == expected


@pytest.mark.parametrize(
    "text",
    [
        "By appointment only",
        "No Counter",
        "9.00 am (only open on days when Court is sitting)",
        "Mon, Wed and Fri - 9.30 - 10.30",  # morning or evening?
        "4.30 pm (except every 2nd Friday each month at 1.00 pm)",
    ],
)
def test_converter_never_guesses(converter, text):
    with pytest.raises(converter.Unparsed):
        converter.parse_hours(text)


def test_converter_rows_for_a_court(converter):
    court = {
        "name": "Example Magistrates' Court",
        "slug": "example",
        "updated_at": "2016-12-01T10:00:00",
        "addresses": [
            {
                "type": "Visiting",
                "address": "1 High Street\n",
                "town": "Exampleton",
                "postcode": "EX1 1AA",
            }
        ],
        "contacts": [{"name": "Enquiries", "number": "01234 567890", "sort": 1}],
        "opening_times": [
            "Court counter closed: 4.30 pm (4.00 pm Friday)",
            "Court counter open: 9.00 am Monday to Friday",
            "Telephone Enquiries from: 9.00 am to 5.00 pm",
            "Court building open: 8.30 am",
        ],
    }
    rows = converter.court_rows(court)
    counter = [
        (r["rrule"], r["start_time"], r["end_time"])
        for r in rows
        if r["position"] == "Court counter"
    ]
    assert counter == [
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH", "09:00", "16:30"),
        ("FREQ=WEEKLY;BYDAY=FR", "09:00", "16:00"),
    ]
    # Telephone hours without days are not converted unless the editor states the days.
    assert not [r for r in rows if r["position"] == "Telephone enquiries"]
    assumed = converter.court_rows(court, ("MO", "TU", "WE", "TH", "FR"))
    (phone,) = [r for r in assumed if r["position"] == "Telephone enquiries"]
    assert phone["format"] == "phone" and phone["booking_phone"] == "01234 567890"
    assert "assumed by the editor" in phone["notes"]
    assert rows[0]["address"] == "1 High Street, Exampleton, EX1 1AA"
    assert rows[0]["timezone"] == "Europe/London"
    assert rows[0]["notes"].startswith("As published by HMCTS on 2016-12-01.")
    for row in rows + assumed:
        assert schedule_problems(row) == []


def test_converter_keeps_a_closure_range_as_text(converter):
    desks = converter.read_desks(["Court counter closed: 13.30 - 14.30"])
    assert desks["court counter"].unparsed == ["Court counter closed: 13.30 - 14.30"]
