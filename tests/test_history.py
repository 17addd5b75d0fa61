"""The history of the data (opendata/versions.py, opendata/history.py): versions read from
a temporary git repository — rows added, removed and changed by primary key or by whole
rows, fields and schema changes, the editor's note from the changelog and never the
commit message, metadata-only commits left out, a zip per version, feed entries that
follow the versions — and, on a real build of a git checkout, the page of a dataset that
is not committed yet."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from gitrepo import git

from moldir import connect_features
from moldir.features.opendata import feeds, history, versions
from moldir.features.opendata.catalogue import CatalogueInfo
from moldir.model.dataset import Dataset
from moldir.site.build import build_site

SECRET = "Refactor the loader, see ticket 4711"  # a commit message: never shown


def descriptor(version: str, fields: list[dict], changelog: list | None = None, **extra) -> str:
    value = {
        "name": "appeals",
        "title": "Appeals",
        "description": extra.pop("description", "Appeals per body."),
        "version": version,
        "resources": [
            {
                "name": "appeals",
                "path": "appeals.csv",
                "schema": {"fields": fields, "primaryKey": ["body"]},
            },
            {"name": "notes", "path": "notes.csv", "schema": {"fields": [{"name": "text"}]}},
        ],
        **extra,
    }
    if changelog is not None:
        value["changelog"] = changelog
    return json.dumps(value, indent=2)


FIELDS = [{"name": "body", "type": "string"}, {"name": "appeals", "type": "integer"}]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A portal repository with one dataset and five commits:

    1. 2024-01-10 the dataset (3 rows keyed by body, 2 rows of notes), version 1.0.0;
    2. 2024-02-01 the description only;
    3. 2024-03-01 version 1.1.0: body B's figure corrected, C removed, D added, a note
       changed (no key: one removed, one added); the changelog says why;
    4. 2024-03-01 a field added and a type changed (same day: the second zip of the day);
    5. 2024-04-01 nothing but the commit message's ticket in the README.
    """
    root = tmp_path / "portal"
    folder = root / "datasets" / "appeals"
    folder.mkdir(parents=True)
    git(root, "init", "-q")
    (folder / "datapackage.json").write_text(descriptor("1.0.0", FIELDS))
    (folder / "appeals.csv").write_text("body,appeals\nA,10\nB,20\nC,30\n")
    (folder / "notes.csv").write_text("text\nfirst\nsecond\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Add appeals", date="2024-01-10T09:00:00+00:00")
    (folder / "datapackage.json").write_text(
        descriptor("1.0.0", FIELDS, description="Appeals per body, 2023.")
    )
    git(root, "commit", "-q", "-am", SECRET, date="2024-02-01T09:00:00+00:00")
    (folder / "datapackage.json").write_text(
        descriptor(
            "1.1.0",
            FIELDS,
            changelog=[
                {"version": "1.0.0", "note": "First release."},
                {"version": "1.1.0", "note": "Body B's figure corrected; body D added."},
            ],
            description="Appeals per body, 2023.",
        )
    )
    (folder / "appeals.csv").write_text("body,appeals\nA,10\nB,25\nD,40\n")
    (folder / "notes.csv").write_text("text\nfirst\nsecond revised\n")
    git(root, "commit", "-q", "-am", SECRET + " (2)", date="2024-03-01T09:00:00+00:00")
    fields = [
        {"name": "body", "type": "string"},
        {"name": "appeals", "type": "number"},
        {"name": "resolved", "type": "integer"},
    ]
    (folder / "datapackage.json").write_text(
        descriptor("1.1.0", fields, description="Appeals per body, 2023.")
    )
    (folder / "appeals.csv").write_text("body,appeals,resolved\nA,10,5\nB,25,20\nD,40,1\n")
    git(root, "commit", "-q", "-am", SECRET + " (3)", date="2024-03-01T15:00:00+00:00")
    (folder / "README.md").write_text("See the portal.\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", SECRET + " (4)", date="2024-04-01T09:00:00+00:00")
    return root


def dataset_at(root: Path, slug: str = "appeals") -> Dataset:
    folder = root / "datasets" / slug
    return Dataset(slug, folder, folder / "datapackage.json", {"name": slug}, ())


def test_versions_say_what_changed_in_the_data(repo: Path):
    found = history.dataset_histories([dataset_at(repo)])["appeals"]
    assert found.source == "git"
    assert found.total_changes == 5
    # Newest first; the description-only commit and the README commit are not versions.
    assert [v.number for v in found.versions] == [3, 2, 1]
    assert found.metadata_edits == 2
    third, second, first = found.versions

    assert first.first and first.version == "1.0.0"
    assert {r.resource: (r.status, r.rows) for r in first.resources} == {
        "appeals": ("added", 3),
        "notes": ("added", 2),
    }

    assert second.version == "1.1.0" and second.version_changed
    assert second.note == "Body B's figure corrected; body D added."
    appeals, notes = second.resources
    assert (appeals.rows_added, appeals.rows_removed, appeals.rows_changed) == (1, 1, 1)
    assert appeals.key == ("body",)
    # Without a primary key a corrected row is one removed and one added.
    assert (notes.rows_added, notes.rows_removed, notes.rows_changed) == (1, 1, 0)
    assert notes.key == ()

    assert not third.version_changed and third.note == ""
    (changed,) = third.changed_resources
    assert changed.fields_added == ("resolved",) and changed.fields_removed == ()
    assert changed.schema_changes == ("appeals: type",)
    # The values of the rows present before are the same: no row counts as changed.
    assert (changed.rows_added, changed.rows_removed, changed.rows_changed) == (0, 0, 0)


def test_versions_never_carry_a_commit_message(repo: Path):
    found = history.dataset_histories([dataset_at(repo)])["appeals"]
    text = repr(found.versions)
    assert "ticket" not in text and "Refactor" not in text
    lines = [
        line
        for version in found.versions
        for line in versions.version_lines(version, lambda s: s, _english_plural)
    ]
    assert "appeals: 1 row added, 1 row removed, 1 row changed (rows matched by body)" in lines
    assert "notes: 1 row added, 1 row removed" in lines
    assert "appeals: fields added: resolved; schema changed: appeals: type" in lines
    assert "appeals: new table, 3 rows" in lines


def _english_plural(singular: str, plural: str, number: int) -> str:
    return singular if number == 1 else plural


def test_each_version_has_a_dated_zip_of_its_files(repo: Path):
    found = history.dataset_histories([dataset_at(repo)])["appeals"]
    third, second, first = found.versions
    assert first.archive == "datasets/appeals/versions/appeals-2024-01-10.zip"
    assert second.archive == "datasets/appeals/versions/appeals-2024-03-01.zip"
    assert third.archive == "datasets/appeals/versions/appeals-2024-03-01-2.zip"
    archive = zipfile.ZipFile(io.BytesIO(versions.version_zip(Path(found.repo), "appeals", second)))
    assert sorted(archive.namelist()) == [
        "appeals/appeals.csv",
        "appeals/datapackage.json",
        "appeals/notes.csv",
    ]
    assert archive.read("appeals/appeals.csv") == b"body,appeals\nA,10\nB,25\nD,40\n"
    # The same version always gives the same bytes (a stable file at a stable URL).
    again = versions.version_zip(Path(found.repo), "appeals", second)
    assert again == versions.version_zip(Path(found.repo), "appeals", second)


def test_a_later_commit_does_not_rename_earlier_zips(repo: Path):
    before = [v.archive for v in history.dataset_histories([dataset_at(repo)])["appeals"].versions]
    folder = repo / "datasets" / "appeals"
    (folder / "notes.csv").write_text("text\nfirst\nsecond revised\nthird\n")
    git(repo, "commit", "-q", "-am", "x", date="2024-03-01T20:00:00+00:00")
    after = [v.archive for v in history.dataset_histories([dataset_at(repo)])["appeals"].versions]
    assert after[1:] == before
    assert after[0] == "datasets/appeals/versions/appeals-2024-03-01-3.zip"


def test_a_dataset_not_committed_yet_is_said_so(repo: Path):
    folder = repo / "datasets" / "draft"
    folder.mkdir()
    (folder / "datapackage.json").write_text('{"name": "draft", "created": "2024-05-01"}')
    found = history.dataset_histories([dataset_at(repo), dataset_at(repo, "draft")])
    assert found["draft"].source == "uncommitted" and found["draft"].uncommitted_dataset
    assert found["draft"].versions == ()
    assert found["draft"].first_published is not None  # from its files
    assert found["appeals"].source == "git"


def test_feed_entries_follow_the_versions(repo: Path):
    from moldir.pipeline.portal import PublishedDataset

    found = history.dataset_histories([dataset_at(repo)])["appeals"]
    published = PublishedDataset(dataset=dataset_at(repo), tables={}, downloads=[], report=None)
    published.extras["history"] = found
    info = CatalogueInfo.from_pelican({"SITEURL": "https://example.org", "SITENAME": "Portal"})
    entries = feeds.dataset_entries(info, published, lambda s: s, "en")
    assert [e.updated for e in entries] == [v.date for v in found.versions]
    assert entries[-1].title.endswith(": published")
    assert "Version 1.1.0" in entries[1].summary
    assert "Body B's figure corrected" in entries[1].summary
    assert "1 row changed" in entries[1].summary
    assert all("ticket" not in e.summary for e in entries)


def test_the_first_version_date_is_the_dataset_commit(repo: Path):
    found = history.dataset_histories([dataset_at(repo)])["appeals"]
    assert found.versions[-1].date == dt.datetime(2024, 1, 10, 9, 0, tzinfo=dt.UTC)


# --- a real build of a git checkout -------------------------------------------------------


def test_built_pages_show_versions_and_an_uncommitted_dataset(project_copy: Path, tmp_path):
    """The example project as a new git repository: one dataset committed twice (the
    second commit changes a figure), one not committed; built with a real Pelican."""
    keep = {"blog-requests", "front-office-visits"}
    for folder in (project_copy / "datasets").iterdir():
        if folder.is_dir() and folder.name not in keep:
            shutil.rmtree(folder)
    git(project_copy, "init", "-q")
    git(project_copy, "add", "datasets/blog-requests")
    git(project_copy, "commit", "-q", "-m", SECRET, date="2024-01-10T09:00:00+00:00")
    csv = next((project_copy / "datasets" / "blog-requests").glob("requests*.csv"))
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",999"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    git(project_copy, "commit", "-q", "-am", SECRET + " (2)", date="2024-02-10T09:00:00+00:00")
    connect_features()
    output = tmp_path / "out"
    build_site(project_copy / "pelicanconf.py", output)

    detail = json.loads((output / "datasets" / "blog-requests" / "index.json").read_text())
    assert detail["history"]["source"] == "git"
    assert SECRET not in json.dumps(detail)
    commits = git(project_copy, "log", "--format=%H", "--", "datasets/blog-requests").split()
    assert [v["commit"] for v in detail["history"]["versions"]] == commits
    # The published descriptor carries the date of the last change, as the page does.
    descriptor = json.loads(
        (output / "datasets" / "blog-requests" / "datapackage.json").read_text()
    )
    assert descriptor["modified"] == detail["history"]["last_changed"] == "2024-02-10T09:00:00Z"
    assert detail["history"]["first_published"] == "2024-01-10T09:00:00Z"
    newest, oldest = detail["history"]["versions"]
    assert oldest["first"] and not newest["first"]
    requests = next(r for r in newest["resources"] if r["name"] == "requests")
    assert requests["rows_changed"] == 1 and requests["matched_by"] == ["body", "period"]
    for version in (newest, oldest):
        path = output / version["files"].split("/", 3)[-1] if "://" in version["files"] else None
        name = version["files"].rsplit("/", 1)[-1]
        zip_path = output / "datasets" / "blog-requests" / "versions" / name
        assert zip_path.is_file(), (path, zip_path)
        assert "blog-requests/datapackage.json" in zipfile.ZipFile(zip_path).namelist()

    for folder in ("", "ru/", "en/"):
        page = BeautifulSoup(
            (output / folder / "datasets" / "blog-requests" / "index.html").read_text(),
            "html.parser",
        )
        section = page.find("section", class_="moldir-history")
        items = section.select(".moldir-history__item")
        assert len(items) == 2
        assert SECRET not in section.get_text()
        for item, version in zip(items, (newest, oldest), strict=True):
            assert item.find("time")["datetime"][:10] == version["date"][:10]
            link = item.find("a", href=True)
            assert link["href"].endswith("/versions/" + version["files"].rsplit("/", 1)[-1])
        # First published: the oldest commit.
        assert section.find("dl").find("time")["datetime"][:10] == "2024-01-10"
        draft = BeautifulSoup(
            (output / folder / "datasets" / "front-office-visits" / "index.html").read_text(),
            "html.parser",
        ).find("section", class_="moldir-history")
        assert not draft.select(".moldir-history__item")
        if folder == "en/":
            assert "not committed to the portal's repository yet" in draft.get_text()
            assert "1 row changed (rows matched by body, period)" in section.get_text(" ")
        else:
            assert "not committed to the portal's repository yet" not in draft.get_text()

    feed = feedparser.parse((output / "datasets" / "blog-requests" / "feed.atom.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 2
    assert all(SECRET not in entry.summary for entry in feed.entries)


# --- the date of the last change is an input of the download plan -------------------------


def test_the_download_plan_is_dated_by_the_history_and_never_rewritten(repo: Path):
    from moldir.pipeline.discover import build_dataset
    from moldir.pipeline.portal import derive

    folder = repo / "datasets" / "appeals"
    # The README commit (2024-04-01) touched the dataset's folder last.
    dates = history.dataset_dates([dataset_at(repo)])
    assert dates == {"appeals": "2024-04-01T09:00:00Z"}

    def package(descriptor: dict, modified: str | None) -> tuple[dict, bytes]:
        dataset = build_dataset(folder, folder / "datapackage.json", descriptor)
        _tables, planned = derive(dataset, modified)
        files = {d.filename: d.read() for d in planned}
        archive = zipfile.ZipFile(io.BytesIO(files["appeals.zip"]))
        # The zip holds the very descriptor published beside it.
        assert archive.read("appeals/datapackage.json") == files["datapackage.json"]
        return json.loads(files["datapackage.json"]), files["appeals.zip"]

    source = json.loads((folder / "datapackage.json").read_text())
    dated, dated_zip = package(source, dates["appeals"])
    assert dated["modified"] == "2024-04-01T09:00:00Z"
    undated, undated_zip = package(source, None)
    assert "modified" not in undated and undated_zip != dated_zip
    # The descriptor's own date wins over the history's.
    own, _zip = package({**source, "modified": "2023-12-31"}, dates["appeals"])
    assert own["modified"] == "2023-12-31"


def test_a_feed_without_entries_is_dated_by_the_build_day():
    """feedgenerator would date an empty feed by the current second: two builds of one day
    must write the same bytes (the commitments feed outside a git checkout has no entry)."""
    from moldir.features.opendata.feeds import atom_feed

    settings = {
        "SITEURL": "https://example.org",
        "SITENAME": "Portal",
        "MOLDIR_TODAY": "2026-03-01",
    }
    info = CatalogueInfo.from_pelican(settings)
    first = atom_feed(
        info, "Changes", "https://example.org/", "https://example.org/f.xml", [], "en"
    )
    second = atom_feed(
        info, "Changes", "https://example.org/", "https://example.org/f.xml", [], "en"
    )
    assert first == second
    assert b"<updated>2026-03-01T00:00:00+00:00</updated>" in first
