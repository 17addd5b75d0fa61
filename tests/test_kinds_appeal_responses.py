"""appeal-responses: topics, outcomes and response times of appeals against a legal deadline.

The schema and its code lists, the checks (the deadline's declaration, outcomes against
their total, on-time and overdue against the appeals), the summaries of ``/appeals/``, the
example data (the NZ figures traced to their source cells) and the built page.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import frictionless
import pytest

from moldir import connect_features
from moldir.features.kinds import KINDS, SCHEMAS_DIR, kind_schema
from moldir.features.kinds.appeals.responses import (
    OUTCOMES,
    Figures,
    comparisons,
    headline,
    legal_deadline,
    summarise,
)
from moldir.features.kinds.topics import TOPICS
from moldir.model.errors import ERRORS
from moldir.model.settings import MoldirSettings
from moldir.pipeline.portal import validate

ROOT = Path(__file__).resolve().parents[1]
INTERNATIONAL = ROOT / "examples" / "international" / "datasets"
KIND = "appeal-responses"
HEADER = (
    "body,channel,topic,outcome,period_start,period_end,granularity,partial,appeals,"
    "answered_on_time,overdue,median_days,mean_days,note,source,source_file,source_row"
)
DEADLINE = {"days": 15, "calendar": "working", "law": "APPC"}
Q1 = "2023-01-01,2023-03-31,quarter,false"
Q2 = "2023-04-01,2023-06-30,quarter,false"
GOOD = [
    f"Akimat A,all-channels,all-topics,all-outcomes,{Q1},100,80,10,9,9.5,,,,",
    f"Akimat A,all-channels,all-topics,resolved,{Q1},40,,,,,,,,",
    f"Akimat A,all-channels,all-topics,explained,{Q1},30,,,,,,,,",
    f"Akimat A,all-channels,all-topics,refused,{Q1},10,,,,,,,,",
    f"Akimat A,all-channels,all-topics,redirected,{Q1},10,,,,,,,,",
    f"Akimat A,all-channels,all-topics,in-progress,{Q1},10,,,,,,,,",
    f"Akimat A,all-channels,housing-and-utilities,all-outcomes,{Q1},60,,,,,,,,",
    f"Akimat A,all-channels,land,all-outcomes,{Q1},40,,,,,,,,",
    f"Akimat A,online-portal,all-topics,all-outcomes,{Q1},70,,,,,,,,",
    f"Akimat A,written,all-topics,all-outcomes,{Q1},30,,,,,,,,",
    f"Akimat B,all-channels,all-topics,all-outcomes,{Q1},50,45,5,6,7,,,,",
    f"Akimat B,all-channels,all-topics,all-outcomes,{Q2},60,48,12,8,8.5,,,,",
    "Department C,all-channels,all-topics,all-outcomes,2023-01-01,2023-12-31,year,false,"
    "300,290,10,5,6,,,,",
]


def write(root: Path, rows: list[str], deadline: object = DEADLINE, slug: str = "answers") -> Path:
    """A dataset folder of the kind, with the kind's own fields and the given rows."""
    folder = root / slug
    folder.mkdir(parents=True)
    descriptor = {
        "name": slug,
        "title": "Test appeal responses",
        "description": "Inline test data.",
        "licenses": [{"name": "CC0-1.0", "title": "CC0"}],
        "kind": KIND,
        "resources": [
            {
                "name": "table",
                "path": "table.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": kind_schema(KIND)["fields"], "missingValues": [""]},
            }
        ],
    }
    if deadline is not None:
        descriptor["legalDeadline"] = deadline
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (folder / "table.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return folder


def errors_of(root: Path) -> list:
    connect_features()
    report, _ = validate(MoldirSettings(), root, root)
    return report.errors


def loaded(tmp_path: Path, rows: list[str]):
    from moldir.pipeline.tables import read_table
    from moldir.pipeline.validate import ValidationOptions, validate_dataset

    _, dataset = validate_dataset(write(tmp_path, rows), ValidationOptions())
    return dataset, read_table(dataset.resources[0])


# --- the schema ---------------------------------------------------------------------------


def test_the_kind_is_registered_with_a_self_contained_schema():
    assert KIND in KINDS
    descriptor = json.loads((SCHEMAS_DIR / f"{KIND}.json").read_text(encoding="utf-8"))
    frictionless.Schema.from_descriptor(descriptor)  # raises when invalid
    assert "$ref" not in json.dumps(descriptor)
    assert all(field.get("description") for field in descriptor["fields"])


def test_topics_are_the_shared_code_list_with_its_labels():
    fields = {f["name"]: f for f in kind_schema(KIND)["fields"]}
    assert fields["topic"]["constraints"]["enum"] == [*TOPICS, "all-topics"]
    i18n = kind_schema(KIND)["i18n"]
    for lang in ("kk", "ru", "en"):
        labels = i18n[lang]["fields"]["topic"]["labels"]
        assert {code: labels[code] for code in TOPICS} == {
            code: topic.label(lang) for code, topic in TOPICS.items()
        }


def test_outcomes_have_labels_in_every_language():
    fields = {f["name"]: f for f in kind_schema(KIND)["fields"]}
    assert fields["outcome"]["constraints"]["enum"] == ["all-outcomes", *OUTCOMES]
    for lang in ("kk", "ru", "en"):
        labels = kind_schema(KIND)["i18n"][lang]["fields"]["outcome"]["labels"]
        assert set(labels) == {"all-outcomes", *OUTCOMES}
    assert kind_schema(KIND)["i18n"]["kk"]["fields"]["outcome"]["labels"]["refused"] == (
        "Бас тартылды"
    )


# --- checks -------------------------------------------------------------------------------


def test_good_rows_are_valid(tmp_path):
    write(tmp_path, GOOD)
    assert errors_of(tmp_path) == []


@pytest.mark.parametrize(
    ("deadline", "prop"),
    [
        (None, "legalDeadline"),
        ("15 days", "legalDeadline"),
        ({"days": 0, "calendar": "working"}, "legalDeadline.days"),
        ({"days": "15", "calendar": "working"}, "legalDeadline.days"),
        ({"days": 15, "calendar": "business"}, "legalDeadline.calendar"),
        ({"days": 15, "calendar": "working", "weeks": 3}, "legalDeadline.weeks"),
    ],
)
def test_a_missing_or_malformed_deadline_names_file_and_property(tmp_path, deadline, prop):
    write(tmp_path, GOOD, deadline=deadline)
    (error,) = errors_of(tmp_path)
    assert error.type == "deadline-error" and "deadline-error" in ERRORS
    assert error.message.startswith(f"answers/datapackage.json, property {prop}: ")


def test_the_deadline_is_read_with_its_translations(tmp_path):
    dataset, _ = loaded(tmp_path, GOOD[:1])  # ``write``'s deadline: 15 working days, "APPC"
    deadline = legal_deadline(dataset)
    assert (deadline.days, deadline.calendar, deadline.law_in("kk")) == (15, "working", "APPC")


@pytest.mark.parametrize(
    ("rows", "row", "field", "words"),
    [
        # Five outcomes that do not add up to their total.
        (
            [GOOD[0], *GOOD[1:5], GOOD[5].replace(",10,", ",11,")],
            2,
            "appeals",
            "add up to 101, not",
        ),
        # Some outcomes already more than the total.
        (
            [GOOD[0], GOOD[1].replace(",40,", ",140,")],
            2,
            "appeals",
            "add up to 140, more than the 100",
        ),
        # Topics (or channels) beyond their total; fewer is fine: a source may list a few.
        (
            [GOOD[0], GOOD[6], GOOD[7].replace(",40,", ",41,")],
            2,
            "appeals",
            "topics of Akimat A (all-channels, all-outcomes) for 2023-01-01–2023-03-31 add up "
            "to 101, more than the 100 appeals of the all-topics row",
        ),
        ([GOOD[0], GOOD[8].replace(",70,", ",71,"), GOOD[9]], 2, "appeals", "channels of"),
        # On time and overdue beyond the appeals of the row.
        (
            [f"Akimat A,all-channels,all-topics,all-outcomes,{Q1},100,95,10,9,9.5,,,,"],
            2,
            "overdue",
            "answered_on_time (95) + overdue (10) is more than the 100 appeals",
        ),
        # A period that ends before it starts.
        (
            [
                "Akimat A,all-channels,all-topics,all-outcomes,2023-03-31,2023-01-01,quarter,false,"
                "1,,,,,,,,"
            ],
            2,
            "period_end",
            "before period_start",
        ),
        # The same row twice.
        ([GOOD[1], GOOD[1]], 3, "outcome", "given twice (row 2)"),
    ],
)
def test_inconsistent_rows_are_consistency_errors(tmp_path, rows, row, field, words):
    write(tmp_path, rows)
    (error,) = errors_of(tmp_path)
    assert (error.type, error.row, error.field) == ("consistency-error", row, field)
    assert words in error.message
    assert error.file.endswith("table.csv")


def test_outcomes_short_of_the_total_pass_when_some_are_not_given(tmp_path):
    # The NZ statistics give refused and transferred requests, not the other outcomes.
    write(tmp_path, [GOOD[0], GOOD[3], GOOD[4]])
    assert errors_of(tmp_path) == []


@pytest.mark.parametrize(
    ("cells", "field"),
    [(",-1,,,,", "appeals"), (",1,,,-2,", "median_days"), (",1,,,,-0.5", "mean_days")],
)
def test_negative_figures_and_days_are_constraint_errors(tmp_path, cells, field):
    prefix = f"Akimat A,all-channels,all-topics,all-outcomes,{Q1}"
    row = prefix + cells + ",,,,"
    write(tmp_path, [row])
    assert [(e.type, e.field) for e in errors_of(tmp_path)] == [("constraint-error", field)]


def test_unknown_topic_or_outcome_codes_are_constraint_errors(tmp_path):
    write(
        tmp_path,
        [
            f"Akimat A,all-channels,heating,all-outcomes,{Q1},1,,,,,,,,",
            f"Akimat A,all-channels,land,answered,{Q1},1,,,,,,,,",
        ],
    )
    assert [(e.type, e.field) for e in errors_of(tmp_path)] == [
        ("constraint-error", "topic"),
        ("constraint-error", "outcome"),
    ]


# --- summaries ----------------------------------------------------------------------------


def test_headline_figures_of_a_body_and_period(tmp_path):
    _, frame = loaded(tmp_path, GOOD)
    figures = Figures(frame)
    start, end = frame["period_start"][0], frame["period_end"][0]
    top = headline(figures, "Akimat A", start, end)
    assert (top["appeals"], top["on_time"], top["overdue"]) == (100, 80, 10)
    assert top["on_time_share"] == pytest.approx(100 * 80 / 90)
    assert (top["median_days"], top["mean_days"]) == (9, 9.5)
    assert [(o["outcome"], o["count"], o["share"]) for o in top["outcomes"]] == [
        ("resolved", 40, 40),
        ("explained", 30, 30),
        ("refused", 10, 10),
        ("redirected", 10, 10),
        ("in-progress", 10, 10),
    ]


def test_a_total_no_row_gives_is_added_up_but_a_median_is_not(tmp_path):
    rows = [
        f"Akimat A,online-portal,all-topics,all-outcomes,{Q1},70,60,5,4,,,,,",
        f"Akimat A,written,all-topics,all-outcomes,{Q1},30,20,8,12,,,,,",
    ]
    _, frame = loaded(tmp_path, rows)
    top = headline(Figures(frame), "Akimat A", frame["period_start"][0], frame["period_end"][0])
    assert (top["appeals"], top["on_time"], top["overdue"]) == (100, 80, 13)
    assert top["median_days"] is None


def test_volume_by_topic_and_channel_over_time(tmp_path):
    dataset, frame = loaded(tmp_path, GOOD)
    section = summarise(
        type("P", (), {"dataset": dataset, "slug": "x"})(), dataset.resources[0], frame
    )
    akimat = section.bodies[0]
    assert akimat["body"] == "Akimat A" and akimat["labels"] == ["2023 Q1"]
    assert [(r["code"], r["counts"]) for r in akimat["topics"]] == [
        ("housing-and-utilities", [60]),
        ("land", [40]),
    ]
    assert [(r["code"], r["counts"]) for r in akimat["channels"]] == [
        ("online-portal", [70]),
        ("written", [30]),
    ]
    assert akimat["outcomes"] == list(OUTCOMES)


def test_bodies_are_compared_only_over_the_same_period(tmp_path):
    _, frame = loaded(tmp_path, GOOD)
    from moldir.features.kinds.appeals.responses import body_periods

    tables, alone = comparisons(Figures(frame), body_periods(frame))
    assert [(t["label"], [r["body"] for r in t["rows"]]) for t in tables] == [
        ("2023 Q1", ["Akimat B", "Akimat A"])  # 90 % on time before 88.9 %
    ]
    assert alone == [{"body": "Department C", "periods": ["2023"]}]


# --- the example data ---------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_nz_response_times_are_the_source_cells(corpus):
    source = read_csv(corpus / "nz-oia-statistics/oia-statistics-all-data.csv")
    rows = read_csv(INTERNATIONAL / "oia-response-times-nz/oia-response-times.csv")
    assert len(rows) == 108
    columns = {"refused": "OIA_refused", "redirected": "OIA_transfer"}
    for row in rows:
        original = source[int(row["source_row"]) - 2]
        assert (original["Agency"], original["SurveyPeriodEndDate"]) == (
            row["body"],
            row["period_end"],
        )
        if row["outcome"] == "all-outcomes":
            handled = float(original["OIA_RequestsHandled"])
            within = float(original["OIAs_CompletedWithinTimeframe"])
            assert (float(row["appeals"]), float(row["answered_on_time"])) == (handled, within)
            assert float(row["overdue"]) == handled - within  # the one computed figure
            for ours, theirs in (("median_days", "OIA_median"), ("mean_days", "OIA_average")):
                assert (float(row[ours]) if row[ours] else None) == (
                    float(original[theirs]) if original[theirs] not in ("", "NA") else None
                )
        else:
            cell = original[columns[row["outcome"]]]
            # An empty cell stays empty (no figure), never 0.
            assert row["appeals"] == ("" if cell in ("", "NA") else f"{float(cell):g}")


def test_the_kazakh_example_says_it_is_illustrative():
    descriptor = json.loads(
        (ROOT / "datasets/appeal-responses-example/datapackage.json").read_text(encoding="utf-8")
    )
    assert descriptor["description"].startswith("ILLUSTRATIVE FIGURES, NOT PUBLISHED STATISTICS")
    assert "МЫСАЛ ҮШІН" in descriptor["i18n"]["kk"]["description"]
    assert "ВЫМЫШЛЕННЫЕ ЦИФРЫ" in descriptor["i18n"]["ru"]["description"]
    assert descriptor["legalDeadline"]["days"] == 15


# --- the built page -----------------------------------------------------------------------


def test_appeals_page_shows_topics_outcomes_and_response_times(built_en, built):
    main = built_en.html("/appeals/").find("main")
    section = main.find(id="appeal-responses-example-appeal-responses").find_parent("section")
    text = section.get_text(" ", strip=True)
    assert "Legal deadline for an answer: 15 working days" in text
    assert "Not compared with other bodies" in text
    caption = section.find("caption", string=lambda s: s and s.startswith("2023 Q1:"))
    table = caption.find_parent("table")
    assert [th.get_text(strip=True) for th in table.find_all("th", scope="row")] == [
        "Akimat of District B (illustrative)",
        "Akimat of District A (illustrative)",
    ]
    assert section.find("caption", string=lambda s: s and "appeals by topic" in s)
    assert "Housing and utilities" in text and "Resolved" in text
    # Every table has a caption and its headers a scope (the accessible form of the figures).
    for each in section.find_all("table"):
        assert each.find("caption")
        assert all(th.get("scope") in ("col", "row") for th in each.find_all("th"))
    # In Kazakh: the shared topic list and the schema's outcome labels.
    kazakh = built.html("/appeals/").find("main").get_text(" ", strip=True)
    assert "Тұрғын үй-коммуналдық шаруашылық" in kazakh and "Шешілді" in kazakh


def test_international_appeals_page_shows_nz_response_times(built_international_en):
    main = built_international_en.html("/appeals/").find("main")
    section = main.find(id="oia-response-times-nz-oia-response-times").find_parent("section")
    text = section.get_text(" ", strip=True)
    assert "Legal deadline for an answer: 20 working days" in text
    assert "Official Information Act 1982" in text
    # Corrections, first half of 2023: 5,202 requests, 5,148 on time, 54 late, median 12.
    (row,) = [
        tr
        for tr in section.find_all("tr")
        if tr.th
        and tr.th.get_text(strip=True) == "2023 H1"
        and tr.find_parent("table").caption.get_text()
        == "Department of Corrections: appeals and response time by period"
    ]
    assert [td.get_text(strip=True) for td in row.find_all("td")][:5] == [
        "5,202",
        "5,148",
        "99\u00a0%",
        "54",
        "12",
    ]
