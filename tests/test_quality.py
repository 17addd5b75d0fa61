"""The data-quality report (moldir.features.quality): each measure on inline data, the order of the
report, the score's method, and /quality/ and /quality/report.json on the built site."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from moldir.features import quality
from moldir.model.dataset import Dataset, Resource
from moldir.pipeline.downloads import Download
from moldir.pipeline.portal import PublishedDataset

TODAY = dt.date(2026, 12, 5)

FULL_DESCRIPTOR = {
    "name": "d",
    "title": "Appeals",
    "description": "Appeals per body.",
    "keywords": ["appeals"],
    "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
    "publisher": {"name": "Akimat"},
    "contactPoint": {"name": "Office", "email": "open@example.kz"},
    "frequency": "annual",
    "temporal": {"start": "2020-01-01", "end": "2022-12-31"},
    "language": "en",
    "sources": [{"title": "Report"}],
    "version": "1.0.0",
    "created": "2025-01-10",
}


def published(
    descriptor: dict | None = None,
    fields: list[dict] | None = None,
    frame: pd.DataFrame | None = None,
    primary_key: list[str] | None = None,
    formats: tuple[str, ...] = ("csv", "json", "xlsx"),
) -> PublishedDataset:
    fields = fields or [
        {"name": "body", "type": "string", "description": "Body"},
        {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
    ]
    schema: dict = {"fields": fields}
    if primary_key:
        schema["primaryKey"] = primary_key
    resource_descriptor = {
        "name": "r",
        "path": "r.csv",
        "description": "Rows.",
        "schema": schema,
    }
    full = {**(FULL_DESCRIPTOR if descriptor is None else descriptor)}
    full["resources"] = [resource_descriptor]
    resource = Resource(
        name="r", path=Path("r.csv"), relpath="r.csv", descriptor=resource_descriptor
    )
    dataset = Dataset(
        slug=full.get("name", "d"),
        folder=Path("."),
        descriptor_path=Path("datapackage.json"),
        descriptor=full,
        resources=(resource,),
    )
    if frame is None:
        frame = pd.DataFrame({"body": ["A", "B"], "count": [1, 2]})
    downloads = [
        Download(dataset="d", filename=f"r.{fmt}", format=fmt, content=b"", resource="r")
        for fmt in formats
    ]
    return PublishedDataset(dataset=dataset, tables={"r": frame}, downloads=downloads, report=None)


# --- completeness -------------------------------------------------------------------------


def test_completeness_counts_missing_and_blank_cells_per_field():
    frame = pd.DataFrame(
        {
            "body": ["A", "", "  ", None, "E"],
            "count": pd.array([1, None, 3, None, None], dtype="Int64"),
        }
    )
    found = {f.field: f for f in quality.completeness(published(frame=frame))}
    assert (found["body"].cells, found["body"].empty) == (5, 3)
    assert (found["count"].cells, found["count"].empty) == (5, 3)
    assert found["body"].share == pytest.approx(0.4)


def test_a_declared_field_missing_from_the_table_is_all_empty():
    frame = pd.DataFrame({"body": ["A", "B"]})
    found = {f.field: f for f in quality.completeness(published(frame=frame))}
    assert found["count"].empty == 2


def test_incomplete_fields_are_listed_emptiest_first():
    frame = pd.DataFrame({"body": ["A", None, None, None], "count": [1, None, 3, 4]})
    measured = quality.dataset_quality(published(frame=frame), TODAY)
    assert [f.field for f in measured.incomplete_fields] == ["body", "count"]
    assert measured.completeness_share == pytest.approx(4 / 8)


# --- freshness ----------------------------------------------------------------------------


def test_an_annual_dataset_is_overdue_a_year_and_a_day_after_its_last_change():
    last = dt.date(2025, 1, 10)
    on_time = quality.freshness("annual", last, last + dt.timedelta(days=366))
    assert on_time.status == "on-time" and on_time.due == dt.date(2026, 1, 11)
    late = quality.freshness("annual", last, dt.date(2026, 3, 12))
    assert late.status == "overdue"
    assert late.days_overdue == 60
    assert late.share == pytest.approx(1 - 60 / 366)
    assert quality.freshness("annual", last, dt.date(2028, 1, 1)).share == 0.0


@pytest.mark.parametrize(
    ("frequency", "status", "share"),
    [
        ("irregular", "unscheduled", None),
        ("never", "unscheduled", None),
        ("", "unknown", 0.0),
        ("fortnightly", "unknown", 0.0),
        (None, "unknown", 0.0),
    ],
)
def test_freshness_without_a_due_date(frequency, status, share):
    found = quality.freshness(frequency, dt.date(2020, 1, 1), TODAY)
    assert (found.status, found.share) == (status, share)


def test_freshness_is_measured_from_the_build_date_not_the_clock():
    # MOLDIR_TODAY fixes the date, as the reception pages do.
    measured = quality.dataset_quality(published(), dt.date(2026, 2, 10))
    assert measured.freshness.status == "overdue"
    assert measured.freshness.days_overdue == 30
    assert quality.dataset_quality(published(), dt.date(2025, 6, 1)).freshness.status == "on-time"


def test_last_change_of_the_data_comes_from_the_history_when_there_is_one():
    from moldir.features.opendata.history import Change, History

    item = published()
    date = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    item.extras["history"] = History(
        source="git",
        first_published=date,
        last_changed=date + dt.timedelta(days=30),
        changes=(
            Change(date + dt.timedelta(days=30), "b" * 40, "typo", data_changed=False),
            Change(date, "a" * 40, "data", data_changed=True),
        ),
        total_changes=2,
    )
    assert quality.last_data_change(item) == dt.date(2026, 6, 1)
    # The versions of the data (rows, fields, schema) come first when there are some.
    from moldir.features.opendata.versions import Version

    version = Version(1, date - dt.timedelta(days=10), "c" * 40, "1.0.0", "", (), (), "x.zip")
    item.extras["history"] = replace(item.extras["history"], versions=(version,))
    assert quality.last_data_change(item) == dt.date(2026, 5, 22)


# --- strictness, openness, metadata -------------------------------------------------------


def test_strictness_counts_plain_strings_constraints_and_primary_keys():
    fields = [
        {"name": "a", "type": "string"},
        {"name": "b", "type": "string", "constraints": {"enum": ["x"]}},
        {"name": "c", "type": "string", "format": "email"},
        {"name": "d", "type": "integer"},
    ]
    loose = quality.strictness(published(fields=fields).dataset)
    assert (loose.fields, loose.plain, loose.constrained) == (4, 1, 1)
    assert loose.share == pytest.approx((3 / 4 + 1 / 4 + 0) / 3)
    keyed = quality.strictness(published(fields=fields, primary_key=["a"]).dataset)
    assert keyed.share == pytest.approx((3 / 4 + 1 / 4 + 1) / 3)


@pytest.mark.parametrize(
    ("name", "is_open"),
    [
        ("CC-BY-4.0", True),
        ("CC-BY-SA-4.0", True),
        ("CC0-1.0", True),
        ("ODbL-1.0", True),
        ("OGL-UK-2.0", True),
        ("other-at", True),
        ("other-pd", True),
        ("CC-BY-NC-4.0", False),
        ("CC-BY-ND-4.0", False),
        ("other-nc", False),
        ("other-closed", False),
        ("", False),
    ],
)
def test_open_licences_are_those_the_open_definition_lists(name, is_open):
    assert quality.licence_is_open({"name": name}) is is_open


def test_openness_stars_need_an_open_licence_first():
    closed = {**FULL_DESCRIPTOR, "licenses": [{"name": "CC-BY-NC-4.0"}]}
    assert quality.openness(published(closed)).stars == 0
    assert quality.openness(published()).stars == 3
    # XLSX alone is structured but proprietary: two stars.
    assert quality.openness(published(formats=("xlsx",))).stars == 2
    documented = quality.openness(published())
    assert (documented.fields, documented.documented) == (2, 1)
    assert documented.share == pytest.approx((1 + 0.5) / 2)


def test_a_complete_descriptor_has_no_metadata_problems():
    check = quality.metadata_problems(published().dataset)
    assert check.problems == ()
    assert check.checked == 15
    assert check.share == 1.0


def test_missing_and_malformed_metadata_are_named():
    descriptor = {
        "name": "d",
        "title": "T",
        "licenses": [{"name": "other-at", "title": "Excerpts with a reference"}],
        "frequency": "fortnightly",
        "temporal": {"start": "2022-01-01", "end": "2020-01-01"},
        "contactPoint": {"name": "Office"},
    }
    check = quality.metadata_problems(published(descriptor).dataset)
    assert set(check.problems) == {
        "description",
        "keywords",
        "licence-text",
        "publisher",
        "contact",
        "frequency-code",
        "temporal-form",
        "language",
        "sources",
        "version",
    }
    assert "the licence has no public text" in " ".join(check.messages())


# --- the score and the report ---------------------------------------------------------------


def test_score_is_the_mean_of_the_dimensions_that_apply():
    irregular = {**FULL_DESCRIPTOR, "frequency": "irregular"}
    measured = quality.dataset_quality(published(irregular), TODAY)
    shares = measured.shares()
    assert shares["freshness"] is None
    applied = [v for v in shares.values() if v is not None]
    assert len(applied) == 4
    assert measured.score == round(100 * sum(applied) / 4)


def test_overdue_datasets_come_first_latest_first_then_lowest_scores():
    class FakePortal:
        datasets = (
            published({**FULL_DESCRIPTOR, "name": "fresh", "frequency": "irregular"}),
            published({**FULL_DESCRIPTOR, "name": "late-a-bit", "created": "2025-10-01"}),
            published({**FULL_DESCRIPTOR, "name": "very-late", "created": "2024-01-01"}),
            published({"name": "poor", "frequency": "irregular"}),
        )

    report = quality.portal_quality(FakePortal(), TODAY)
    slugs = [d.slug for d in report.datasets]
    assert slugs == ["very-late", "late-a-bit", "poor", "fresh"]
    assert [d.slug for d in report.overdue] == ["very-late", "late-a-bit"]
    assert report.overdue[0].freshness.days_overdue > report.overdue[1].freshness.days_overdue
    document = quality.report_document(report)
    assert document["overdue"] == ["very-late", "late-a-bit"]
    assert [m["name"] for m in document["measures"]] == slugs
    late = document["measures"][0]["freshness"]
    assert (
        late["status"] == "overdue"
        and late["daysOverdue"] == report.overdue[0].freshness.days_overdue
    )


# --- the built site -----------------------------------------------------------------------


def test_report_json_holds_the_measures_beside_the_validation(built):
    report = built.json("/quality/report.json")
    assert report["valid"] is True  # the validation report is still there
    measured = report["quality"]
    assert measured["datasets"] == len(report["tasks"]) == len(measured["measures"])
    assert 0 <= measured["score"] <= 100
    assert set(measured["dimensions"]) == set(quality.DIMENSIONS)
    assert measured["cells"] == sum(m["completeness"]["cells"] for m in measured["measures"])
    for entry in measured["measures"]:
        assert set(entry["dimensions"]) == set(quality.DIMENSIONS)
        for field in entry["completeness"]["fields"]:
            assert 0 <= field["empty"] <= field["cells"]
    # The example data has real gaps: the report must find them, not say "all green".
    assert measured["emptyCells"] > 0


def test_report_json_counts_the_empty_cells_of_a_real_csv(built):
    report = built.json("/quality/report.json")
    entry = next(m for m in report["quality"]["measures"] if m["name"] == "blog-requests")
    csv = Path(__file__).parents[1] / "datasets" / "blog-requests"
    empty = 0
    for path in csv.glob("*.csv"):
        empty += int(pd.read_csv(path, dtype=str, keep_default_na=False).eq("").sum().sum())
    assert entry["completeness"]["empty"] == empty


@pytest.mark.parametrize("folder", ["", "ru/", "en/"])
def test_quality_page_in_every_language(built, folder):
    page = built.html(f"/{folder}quality/")
    report = built.json("/quality/report.json")["quality"]
    rows = page.select("#quality-caption ~ tbody tr") or page.select("table tbody tr")
    assert len(rows) == report["datasets"]
    # The table lists the datasets in the report's order, with their scores.
    scores = [int(row.select("td")[0].get_text(strip=True)) for row in rows]
    assert scores == [m["score"] for m in report["measures"]]
    for entry in report["measures"]:
        assert page.find(id=entry["name"]) is not None  # /quality/#slug from dataset pages
    assert page.find(id="quality-method-heading") is not None


def test_quality_page_is_translated(built):
    assert "Data quality" in built.html("/en/quality/").h1.get_text()
    for folder, words in (("", "Деректер сапасы"), ("ru/", "Качество данных")):
        page = built.html(f"/{folder}quality/")
        assert words in page.h1.get_text(), folder
        text = page.find(id="quality-method-heading").get_text()
        assert "How the score" not in text, folder
