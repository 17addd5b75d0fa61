"""The commitments register (issue 20, item 2): the kind schema, the row check
(commitment-error), overdue computed from the build date, the register's groups and
filters, the iCalendar of due dates, status changes read from git history, and the pages
of a real Pelican build (a copy of the project with a fixed build date, and the example
portal built once per session)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from gitrepo import git

from moldir.features.kinds import KINDS, kind_schema
from moldir.features.kinds.commitments import (
    Commitment,
    check_commitments,
    commitment_problems,
    due_calendar,
    register,
    status_changes,
    validation_checks,
)
from moldir.features.kinds.topics import TOPICS
from moldir.features.opendata.history import dated_histories
from moldir.model.errors import ERRORS
from moldir.model.settings import build_date
from moldir.pipeline.validate import ValidationOptions, validate_portal
from moldir.site.build import build_site

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "commitments-almaty-akimat"
SCHEMA = kind_schema("commitments")
HEADER = [field["name"] for field in SCHEMA["fields"]]
TODAY = dt.date(2026, 12, 5)


def item(**values) -> Commitment:
    base = {
        "dataset": "register",
        "resource": "commitments",
        "row": 2,
        "id": "C-1",
        "issue": "No hot water",
        "decision": "Repair the main",
        "body": "Akimat",
        "topic": "housing-and-utilities",
        "due": TODAY,
        "status": "in-progress",
    }
    return Commitment(**{**base, **values})


GOOD = {
    "id": "C-1",
    "issue": "No hot water in the block",
    "source": "appeals",
    "raised": "2026-01-10",
    "decision": "Repair the heating main",
    "body": "Akimat of the city",
    "topic": "housing-and-utilities",
    "district": "Almaly district",
    "due": "2026-03-01",
    "status": "in-progress",
}
DONE = {
    **GOOD,
    "id": "C-2",
    "status": "done",
    "completed": "2026-02-20",
    "evidence": "Act No. 5 of 20 February 2026",
}
CANCELLED = {**GOOD, "id": "C-3", "status": "cancelled", "reason": "Merged into C-1"}


def write_register(root: Path, rows: list[dict[str, str]], slug: str = "register") -> Path:
    """A commitments dataset with the published schema and the given rows."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "commitments.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in HEADER})
    schema = {key: value for key, value in SCHEMA.items() if key not in ("i18n", "$comment")}
    descriptor = {
        "name": slug,
        "title": "Register",
        "description": "Test register.",
        "licenses": [{"name": "CC0-1.0"}],
        "kind": "commitments",
        "resources": [
            {
                "name": "commitments",
                "path": "commitments.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def register_errors(tmp_path: Path, rows: list[dict[str, str]]) -> list[list]:
    report, _ = validate_portal(
        write_register(tmp_path, rows), ValidationOptions(), [check_commitments]
    )
    return report.flatten(["row", "field", "type"])


# --- the kind and its schema ---------------------------------------------------------------


def test_the_kind_is_registered_with_its_schema_and_the_shared_topics():
    assert "commitments" in KINDS
    assert "commitment-error" in ERRORS
    fields = {field["name"]: field for field in SCHEMA["fields"]}
    assert fields["topic"]["constraints"]["enum"] == list(TOPICS)
    # Overdue is computed, never a value a publisher types.
    assert fields["status"]["constraints"]["enum"] == [
        "planned",
        "in-progress",
        "done",
        "cancelled",
    ]
    assert SCHEMA["primaryKey"] == "id"
    for lang in ("kk", "ru"):
        block = SCHEMA["i18n"][lang]["fields"]
        assert set(block) == set(fields), lang
        assert block["topic"]["labels"] == {code: getattr(t, lang) for code, t in TOPICS.items()}
        assert set(block["status"]["labels"]) == set(fields["status"]["constraints"]["enum"])
    assert SCHEMA["i18n"]["kk"]["fields"]["status"]["labels"]["done"] == "Орындалды"
    assert SCHEMA["i18n"]["ru"]["fields"]["status"]["labels"]["cancelled"] == "Отменено"


def test_the_example_register_says_it_is_illustrative_in_every_language():
    descriptor = json.loads((ROOT / "datasets" / EXAMPLE / "datapackage.json").read_text())
    assert descriptor["kind"] == "commitments"
    assert "ILLUSTRATIVE" in descriptor["description"]
    assert "КӨРНЕКІ МЫСАЛ" in descriptor["i18n"]["kk"]["description"]
    assert "ИЛЛЮСТРАТИВНЫЙ ПРИМЕР" in descriptor["i18n"]["ru"]["description"]


def test_the_example_register_is_valid(tmp_path):
    shutil.copytree(ROOT / "datasets" / EXAMPLE, tmp_path / EXAMPLE)
    report, _ = validate_portal(tmp_path, ValidationOptions(), [check_commitments])
    assert report.valid, report.flatten(["row", "field", "type", "message"])


# --- the row check --------------------------------------------------------------------------


def test_good_rows_are_valid(tmp_path):
    assert register_errors(tmp_path, [GOOD, DONE, CANCELLED]) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "done", "completed": "2026-02-01"}, "evidence"),  # no evidence
        ({"status": "done", "evidence": "Act No. 1"}, "completed"),  # no completion date
        ({"status": "cancelled"}, "reason"),
        ({"completed": "2026-02-01"}, "completed"),  # completed but still in progress
        ({"due": "2025-12-31"}, "due"),  # due before it was raised
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"id": "browse"}, "id"),  # the folder of the filter pages
    ],
)
def test_inconsistent_rows_are_commitment_errors(tmp_path, change, field):
    errors = register_errors(tmp_path, [GOOD, {**GOOD, "id": "C-9", **change}])
    assert [3, field, "commitment-error"] in errors, errors


def test_a_status_typed_overdue_is_an_error_that_says_overdue_is_computed(tmp_path):
    report, _ = validate_portal(
        write_register(tmp_path, [{**GOOD, "status": "overdue"}]),
        ValidationOptions(),
        validation_checks(None),  # as moldir validate runs it: on invalid data too
    )
    errors = report.flatten(["row", "field", "type", "message"])
    ours = [e for e in errors if e[2] == "commitment-error"]
    assert ours and ours[0][:2] == [2, "status"]
    assert "computes it from the due date" in ours[0][3]


def test_problems_of_one_row_all_come_in_one_run():
    row = {**GOOD, "status": "done", "evidence_url": "file:///etc/passwd"}
    fields = [name for name, _ in commitment_problems(row)]
    assert fields == ["completed", "evidence_url"]  # evidence_url counts as evidence


def test_a_cell_frictionless_reports_is_not_reported_again():
    assert commitment_problems({**GOOD, "due": "soon"}, invalid={"due"}) == []


# --- overdue, computed --------------------------------------------------------------------


def test_overdue_is_computed_from_the_build_date():
    late = item(due=TODAY - dt.timedelta(days=3))
    assert late.state(TODAY) == "overdue" and late.days_overdue(TODAY) == 3
    assert item(due=TODAY).state(TODAY) == "open"  # due today is not late yet
    assert item(status="planned", due=TODAY - dt.timedelta(days=1)).state(TODAY) == "overdue"
    assert item(status="done", due=TODAY - dt.timedelta(days=30)).state(TODAY) == "done"
    assert item(status="cancelled", due=dt.date(2020, 1, 1)).state(TODAY) == "cancelled"


def test_build_date_is_the_moldir_today_setting():
    assert build_date({"MOLDIR_TODAY": "2026-12-05"}) == TODAY


def test_the_register_groups_orders_and_filters():
    items = [
        item(id="a", due=TODAY - dt.timedelta(days=1), district="Almaly district"),
        item(id="b", due=TODAY - dt.timedelta(days=9), topic="education"),
        item(id="c", due=TODAY + dt.timedelta(days=9), body="Another body"),
        item(id="d", status="done", completed=TODAY, evidence="Act"),
        item(id="A", dataset="other"),  # the id of "a" again: left out, logged
    ]
    found = register(items, TODAY)
    groups = found.by_state()
    assert [c.id for c in groups["overdue"]] == ["b", "a"]  # the longest overdue first
    assert [c.id for c in groups["open"]] == ["c"] and found.overdue == 2
    assert [c.id for c in found.items] == ["a", "b", "c", "d"]
    topics = found.values("topic")
    assert [(v.key, v.count) for v in topics] == [("housing-and-utilities", 3), ("education", 1)]
    bodies = found.values("body")
    assert [(v.slug, v.count) for v in bodies] == [("akimat", 3), ("another-body", 1)]
    assert found.values("district")[0].url == "commitments/browse/district/almaly-district/"


def test_the_calendar_has_the_due_dates_still_to_keep():
    items = [
        item(id="late", due=TODAY - dt.timedelta(days=2)),
        item(id="soon", status="planned", due=TODAY + dt.timedelta(days=2)),
        item(id="done", status="done", completed=TODAY, evidence="Act"),
    ]
    calendar = due_calendar(items, "Due", TODAY, lambda c: f"Due: {c.id}")
    parsed = icalendar.Calendar.from_ical(calendar.to_ical())
    events = [part for part in parsed.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Due: late", "Due: soon"]
    first = events[0]
    assert first.decoded("dtstart") == TODAY - dt.timedelta(days=2)  # an all-day date
    assert first.decoded("dtend") == TODAY - dt.timedelta(days=1)
    again = due_calendar(list(reversed(items)), "Due", TODAY, lambda c: f"Due: {c.id}")
    assert calendar.to_ical() == again.to_ical()  # stable UIDs and order


# --- status changes from git history ------------------------------------------------------


def test_status_changes_are_read_from_git_history(tmp_path):
    root = tmp_path / "repo"
    datasets = root / "datasets"
    write_register(datasets, [GOOD, {**GOOD, "id": "C-5", "status": "planned"}])
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first", date="2026-01-15T10:00:00+00:00")
    finished = {**GOOD, "status": "done", "completed": "2026-02-20", "evidence": "Act No. 5"}
    write_register(datasets, [finished, {**GOOD, "id": "C-5", "status": "planned"}])
    git(root, "commit", "-q", "-am", "C-1 done", date="2026-02-21T10:00:00+00:00")
    _, valid = validate_portal(datasets, ValidationOptions(), [check_commitments])
    history = dated_histories(valid)["register"]
    published = SimpleNamespace(slug="register", dataset=valid[0], extras={"history": history})
    changes = status_changes(published)
    assert [(c.id, c.previous, c.status, c.date.date().isoformat()) for c in changes] == [
        ("C-1", "in-progress", "done", "2026-02-21"),
        ("C-1", None, "in-progress", "2026-01-15"),
        ("C-5", None, "planned", "2026-01-15"),
    ]


def test_without_git_there_are_no_status_changes(tmp_path):
    _, valid = validate_portal(write_register(tmp_path, [GOOD]), ValidationOptions(), [])
    published = SimpleNamespace(slug="register", dataset=valid[0], extras={})
    assert status_changes(published) == []


# --- the pages of a real build --------------------------------------------------------------


@pytest.fixture(scope="module")
def register_site(tmp_path_factory) -> Path:
    """The example project with only the example register, built for 5 December 2026."""
    project = tmp_path_factory.mktemp("commitments-project")
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copytree(ROOT / "datasets" / EXAMPLE, project / "datasets" / EXAMPLE)
    output = project / "out"
    build_site(project / "pelicanconf.py", output, {"MOLDIR_TODAY": TODAY.isoformat()})
    return output


def page(root: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((root / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def example_rows() -> list[dict[str, str]]:
    with (ROOT / "datasets" / EXAMPLE / "commitments.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def expected_overdue(today: dt.date) -> list[str]:
    return sorted(
        row["id"]
        for row in example_rows()
        if row["status"] in ("planned", "in-progress") and dt.date.fromisoformat(row["due"]) < today
    )


def test_the_list_shows_overdue_open_and_done_in_tables_with_captions(register_site):
    html = page(register_site, "en/commitments")
    overdue = html.find(id="commitments-overdue")
    ids = sorted(a["href"].rstrip("/").rsplit("/", 1)[-1] for a in overdue.select("tbody a"))
    assert ids == expected_overdue(TODAY) == ["ALM-2026-003", "ALM-2026-005"]
    for state in ("overdue", "open", "done", "cancelled"):
        table = html.find(id=f"commitments-{state}").find("table")
        assert table.find("caption").get_text(strip=True)
    # The state is a word (with a symbol), not a colour only.
    assert "Overdue" in overdue.find("tbody").get_text()
    assert "Days overdue: 66" in overdue.get_text()  # 2026-09-30 → 2026-12-05


def test_the_filters_are_static_pages(register_site):
    html = page(register_site, "en/commitments")
    links = {a["href"] for a in html.select(".moldir-commitments__filters a")}
    assert "./browse/topic/improvement/" in links or any(
        link.endswith("browse/topic/improvement/") for link in links
    )
    improvement = page(register_site, "en/commitments/browse/topic/improvement")
    rows = improvement.select("table tbody tr")
    expected = [row for row in example_rows() if row["topic"] == "improvement"]
    assert len(rows) == len(expected) == 3
    assert (
        improvement.find("a", attrs={"aria-current": "page"}).get_text()
        == "Landscaping and public spaces"
    )
    almaly = page(register_site, "commitments/browse/district/almaly-district")
    assert "Алмалы ауданы" in almaly.find("h1").get_text()
    body = page(register_site, "ru/commitments/browse/body/akimat-of-the-city-of-almaty")
    assert len(body.select("table tbody tr")) == len(example_rows())


def test_every_commitment_has_a_stable_page_in_every_language(register_site):
    for row in example_rows():
        for prefix in ("", "ru/", "en/"):
            assert (register_site / f"{prefix}commitments/{row['id']}/index.html").is_file()
    kk = page(register_site, "commitments/ALM-2025-001")
    assert "Көппәтерлі үй тұрғындары" in kk.find("h1").get_text()
    text = kk.get_text(" ")
    assert "Орындалды" in text and "№ 1187 жұмыстарды қабылдау актісі" in text
    ru = page(register_site, "ru/commitments/ALM-2026-007")
    assert "Отменено" in ru.get_text() and "Дорога там слишком узка" in ru.get_text()
    en = page(register_site, "en/commitments/ALM-2025-002")
    link = en.find("a", href="https://www.gov.kz/memleket/entities/almaty")
    assert link is not None  # the evidence link, through safe_url


def test_the_home_page_shows_the_overdue_count(register_site):
    for prefix, words in (
        ("", "Мерзімі өткен міндеттемелер: 2."),
        ("ru/", "Просроченных обязательств: 2."),
        ("en/", "Commitments overdue: 2."),
    ):
        home = page(register_site, prefix.rstrip("/") or ".")
        section = home.find(id="home-commitments").parent
        assert words in section.get_text(" "), prefix
        assert section.find("a")["href"].endswith("commitments/#commitments-overdue")


def test_the_calendar_and_feed_are_written_once_at_the_root(register_site):
    calendar = icalendar.Calendar.from_ical((register_site / "commitments/due.ics").read_bytes())
    due = sorted(str(e["summary"]).split(",")[0].split(" ")[-1] for e in calendar.walk("VEVENT"))
    open_ids = sorted(r["id"] for r in example_rows() if r["status"] in ("planned", "in-progress"))
    assert due == open_ids
    feed = feedparser.parse((register_site / "commitments/feed.atom.xml").read_bytes())
    assert not feed.bozo and feed.feed.title  # no git history in the copy: no entries
    assert not (register_site / "ru/commitments/due.ics").exists()


def test_the_example_portal_lists_the_register_and_its_status_changes(built, site):
    """The example portal, built from this repository: overdue as of its build date, the
    feed from the register's own git history (a later commit changed statuses)."""
    today = build_date({"TIMEZONE": "Asia/Almaty"})
    html = built.html("/commitments/")
    shown = html.find(id="commitments-overdue")
    ids = (
        sorted(a["href"].rstrip("/").rsplit("/", 1)[-1] for a in shown.select("tbody a"))
        if shown
        else []
    )
    assert ids == expected_overdue(today)
    feed = feedparser.parse((site / "commitments/feed.atom.xml").read_bytes())
    titles = [entry.title for entry in feed.entries]
    # ALM-2026-009 went from in progress to done in the dataset's second commit.
    assert "ALM-2026-009: Орындалуда → Орындалды" in titles, titles
    assert all(entry.link.split("/commitments/")[1].rstrip("/") for entry in feed.entries)


@pytest.mark.parametrize("prefix", ["", "ru/"])
def test_the_kazakh_and_russian_pages_speak_kazakh_and_russian(register_site, prefix):
    from test_language_share import LIMIT, latin_share

    for url in ("commitments/", "commitments/ALM-2026-007/", "commitments/browse/topic/education/"):
        html = (register_site / prefix / url / "index.html").read_text(encoding="utf-8")
        share, words = latin_share(html)
        assert share <= LIMIT, (prefix + url, words)
