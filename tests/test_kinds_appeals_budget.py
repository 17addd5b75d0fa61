"""Appeal statistics and budget programs: schemas, consistency checks, example data, pages."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest

from moldir import connect_features
from moldir.features.kinds import SCHEMAS_DIR, format_money, kind_schema
from moldir.features.kinds.appeals import measure_ratios, period_changes, period_label
from moldir.features.kinds.budget import execution_rate, tolerance
from moldir.model.settings import MoldirSettings
from moldir.pipeline.portal import validate

ROOT = Path(__file__).resolve().parents[1]
# The foreign reference data lives in the second example project (examples/international/).
INTERNATIONAL = ROOT / "examples" / "international" / "datasets"

APPEAL_HEADER = (
    "body,channel,measure,period_start,period_end,granularity,partial,period_note,value,"
    "value_qualifier,source,source_file,source_row"
)
BUDGET_HEADER = (
    "administrator_code,administrator,responsibility,program_code,program,subprogram_code,"
    "subprogram,level,year,planned,executed,currency,unit,source"
)


def write_dataset(root: Path, slug: str, kind: str, rows: list[str], header: str) -> Path:
    """A dataset folder following a kind's published schema, with inline CSV rows."""
    folder = root / slug
    folder.mkdir(parents=True)
    schema = kind_schema(kind)
    descriptor = {
        "name": slug,
        "title": f"Test {kind}",
        "description": "Inline test data.",
        "licenses": [{"name": "CC0-1.0", "title": "CC0"}],
        "kind": kind,
        "resources": [
            {
                "name": "table",
                "path": "table.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": schema["fields"], "missingValues": [""]},
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (folder / "table.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def errors_of(root: Path) -> list:
    connect_features()
    report, _ = validate(MoldirSettings(), root, root)
    return report.errors


# --- the published schemas -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["appeal-statistics", "budget-programs"])
def test_schema_files_are_self_contained_table_schemas(kind):
    descriptor = json.loads((SCHEMAS_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    schema = frictionless.Schema.from_descriptor(descriptor)  # raises when invalid
    assert [f.name for f in schema.fields] == [f["name"] for f in descriptor["fields"]]
    assert "$ref" not in json.dumps(descriptor)
    for field in descriptor["fields"]:
        assert field.get("description"), field["name"]


def test_appeal_schema_enums_cover_the_brief():
    fields = {f["name"]: f for f in kind_schema("appeal-statistics")["fields"]}
    assert {"year", "quarter", "month"} <= set(fields["granularity"]["constraints"]["enum"])
    measures = set(fields["measure"]["constraints"]["enum"])
    assert {"appeals", "requests", "receptions", "citizens-received", "calls"} <= measures
    assert fields["value"]["type"] == "integer"
    assert fields["value"]["constraints"]["minimum"] == 0
    assert fields["partial"]["type"] == "boolean"


# --- appeal statistics: validation -----------------------------------------------------

GOOD_APPEALS = [
    "Akimat A,personal-reception,receptions,2020-01-01,2022-03-31,multi-year,true,"
    "Including 1st quarter of 2022,10,,,,",
    "Akimat A,personal-reception,citizens-received,2020-01-01,2022-03-31,multi-year,true,,40,,,,",
    "Ministry B,blog,requests,2020-01-01,2020-12-31,year,false,,100,,,,",
    "Ministry B,blog,requests,2021-01-01,2021-12-31,year,false,not given,,,,,",
    "Ministry B,call-centre,calls,2022-08-01,2022-09-30,custom,false,,2000,more-than,,,",
]


def test_good_appeal_statistics_are_valid(tmp_path):
    write_dataset(tmp_path, "appeals", "appeal-statistics", GOOD_APPEALS, APPEAL_HEADER)
    assert errors_of(tmp_path) == []


@pytest.mark.parametrize(
    ("row", "error_type", "field"),
    [
        (
            "Akimat A,blog,requests,2020-01-01,2020-12-31,year,false,,-5,,,,",
            "constraint-error",
            "value",
        ),
        (
            "Akimat A,blog,tweets,2020-01-01,2020-12-31,year,false,,5,,,,",
            "constraint-error",
            "measure",
        ),
        (
            "Akimat A,fax,requests,2020-01-01,2020-12-31,year,false,,5,,,,",
            "constraint-error",
            "channel",
        ),
        (
            "Akimat A,blog,requests,2020-01-01,2020-12-31,decade,false,,5,,,,",
            "constraint-error",
            "granularity",
        ),
        (
            "Akimat A,blog,requests,2020-12-31,2020-01-01,year,false,,5,,,,",
            "consistency-error",
            "period_end",
        ),
    ],
)
def test_bad_appeal_rows_are_reported_where_they_are(tmp_path, row, error_type, field):
    write_dataset(tmp_path, "appeals", "appeal-statistics", [GOOD_APPEALS[0], row], APPEAL_HEADER)
    errors = errors_of(tmp_path)
    assert [(e.type, e.row, e.field) for e in errors] == [(error_type, 3, field)]
    assert errors[0].dataset == "appeals"


def test_overlapping_periods_of_one_body_and_measure_are_an_error(tmp_path):
    rows = [
        "Akimat A,public-reception,appeals,2020-01-01,2022-12-31,multi-year,true,,617280,,,,",
        "Akimat A,public-reception,appeals,2020-01-01,2020-12-31,year,false,,400586,,,,",
        # Another channel over the same period is not an overlap.
        "Akimat A,blog,appeals,2020-01-01,2020-12-31,year,false,,5,,,,",
    ]
    write_dataset(tmp_path, "appeals", "appeal-statistics", rows, APPEAL_HEADER)
    errors = errors_of(tmp_path)
    assert [(e.type, e.row, e.field) for e in errors] == [("consistency-error", 3, "period_start")]
    assert "overlaps row 2" in errors[0].message
    assert errors[0].file.endswith("table.csv")


def test_a_dataset_claiming_the_kind_without_its_fields_is_a_kind_error(tmp_path):
    folder = write_dataset(tmp_path, "wide", "appeal-statistics", ["A,1"], "body,appeals")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"] = {
        "fields": [{"name": "body", "type": "string"}, {"name": "appeals", "type": "integer"}]
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    assert [e.type for e in errors_of(tmp_path)] == ["kind-error"]


# --- appeal statistics: summaries --------------------------------------------------------


def appeal_frame(tmp_path, rows):
    from moldir.pipeline.tables import read_table
    from moldir.pipeline.validate import ValidationOptions, validate_dataset

    folder = write_dataset(tmp_path, "appeals", "appeal-statistics", rows, APPEAL_HEADER)
    _, dataset = validate_dataset(folder, ValidationOptions())
    return read_table(dataset.resources[0])


def test_changes_are_computed_only_between_comparable_periods(tmp_path):
    rows = [
        "A,blog,requests,2020-01-01,2020-12-31,year,false,,100,,,,",
        "B,blog,requests,2020-01-01,2020-12-31,year,false,,50,,,,",
        "A,blog,requests,2021-01-01,2021-12-31,year,false,,120,,,,",
        "B,blog,requests,2021-01-01,2021-12-31,year,false,,60,,,,",
        "A,blog,requests,2022-01-01,2022-12-31,year,true,to March,30,,,,",
        "B,blog,requests,2022-01-01,2022-12-31,year,true,to March,10,,,,",
        "A,blog,requests,2023-01-01,2023-12-31,year,false,,90,,,,",
        "B,blog,requests,2023-01-01,2023-12-31,year,false,,,,,,",
    ]
    (series,) = period_changes(appeal_frame(tmp_path, rows))
    periods = series["periods"]
    assert [p["label"] for p in periods] == ["2020", "2021", "2022", "2023"]
    assert [p["total"] for p in periods] == [150, 180, 40, 90]
    assert periods[1]["comparable"] and periods[1]["change"] == 30
    assert periods[1]["change_percent"] == pytest.approx(20.0)
    assert (periods[2]["comparable"], periods[2]["reason"]) == (False, "partial")
    assert (periods[3]["comparable"], periods[3]["reason"]) == (False, "partial")


def test_ratios_pair_the_same_body_channel_and_period(tmp_path):
    rows = [
        "A,personal-reception,receptions,2020-01-01,2022-03-31,multi-year,true,,432,,,,",
        "A,personal-reception,citizens-received,2020-01-01,2022-03-31,multi-year,true,,22365,,,,",
        # No receptions count for B: no ratio for B.
        "B,personal-reception,citizens-received,2020-01-01,2022-03-31,multi-year,true,,1186,,,,",
    ]
    (ratio,) = measure_ratios(appeal_frame(tmp_path, rows))
    assert (ratio["numerator"], ratio["denominator"], ratio["scale"]) == (
        "citizens-received",
        "receptions",
        1,
    )
    assert [(r["body"], round(r["ratio"], 2)) for r in ratio["rows"]] == [("A", 51.77)]
    assert ratio["rows"][0]["partial"] is True


def test_period_labels():
    import datetime as dt

    d = dt.date
    assert period_label(d(2022, 1, 1), d(2022, 3, 31), "quarter") == "2022 Q1"
    assert period_label(d(2019, 7, 1), d(2019, 12, 31), "half-year") == "2019 H2"
    assert period_label(d(2020, 1, 1), d(2022, 3, 31), "multi-year") == "2020-01-01 – 2022-03-31"


# --- budget programs: consistency checks -------------------------------------------------


def budget_rows(**changes: str) -> list[str]:
    """An administrator with two programs; P1 has two subprograms. ``changes`` replace
    whole rows by key (adm, p1, p1a, p1b, p2)."""
    rows = {
        "adm": "M1,Ministry One,,,,,,administrator,2023,300,290,KZT,1000,",
        "p1": "M1,Ministry One,Health,P1,Program one,,,program,2023,200,190,KZT,1000,",
        "p1a": "M1,Ministry One,Health,P1,Program one,P1-1,Sub A,subprogram,2023,150,140,KZT,1000,",
        "p1b": "M1,Ministry One,Health,P1,Program one,P1-2,Sub B,subprogram,2023,50,50,KZT,1000,",
        "p2": "M1,Ministry One,Health,P2,Program two,,,program,2023,100,100,KZT,1000,",
    }
    rows.update(changes)
    return [row for row in rows.values() if row]


def budget_errors(tmp_path, **changes):
    write_dataset(tmp_path, "budget", "budget-programs", budget_rows(**changes), BUDGET_HEADER)
    return errors_of(tmp_path)


def test_consistent_budget_is_valid(tmp_path):
    assert budget_errors(tmp_path) == []


def test_executed_subprograms_that_do_not_sum_to_their_program(tmp_path):
    errors = budget_errors(
        tmp_path,
        p1b="M1,Ministry One,Health,P1,Program one,P1-2,Sub B,subprogram,2023,50,45,KZT,1000,",
    )
    assert [(e.type, e.row, e.field) for e in errors] == [("consistency-error", 3, "executed")]
    error = errors[0]
    assert error.dataset == "budget" and error.file.endswith("table.csv")
    assert "add up to 185.00" in error.message and "190.00" in error.message


def test_programs_that_do_not_sum_to_the_administrator_total(tmp_path):
    errors = budget_errors(
        tmp_path, adm="M1,Ministry One,,,,,,administrator,2023,310,290,KZT,1000,"
    )
    assert [(e.type, e.row, e.field) for e in errors] == [("consistency-error", 2, "planned")]


def test_differences_within_the_documented_tolerance_pass(tmp_path):
    # 0.1 % of 200 000 is 200, so 200 200 passes and 200 201 does not.
    assert tolerance(200_000) == pytest.approx(200.0)
    assert tolerance(10) == 1.0
    ok = budget_errors(
        tmp_path / "ok",
        adm="",
        p1="M1,Ministry One,,P1,Program one,,,program,2023,200000,190,KZT,1,",
        p1a="M1,Ministry One,,P1,Program one,P1-1,Sub A,subprogram,2023,150200,140,KZT,1,",
        p1b="M1,Ministry One,,P1,Program one,P1-2,Sub B,subprogram,2023,50000,50,KZT,1,",
        p2="M1,Ministry One,,P2,Program two,,,program,2023,100,100,KZT,1,",
    )
    assert ok == []
    bad = budget_errors(
        tmp_path / "bad",
        adm="",
        p1="M1,Ministry One,,P1,Program one,,,program,2023,200000,190,KZT,1,",
        p1a="M1,Ministry One,,P1,Program one,P1-1,Sub A,subprogram,2023,150201,140,KZT,1,",
        p1b="M1,Ministry One,,P1,Program one,P1-2,Sub B,subprogram,2023,50000,50,KZT,1,",
        p2="M1,Ministry One,,P2,Program two,,,program,2023,100,100,KZT,1,",
    )
    assert [(e.row, e.field) for e in bad] == [(2, "planned")]


def test_negative_amounts_only_on_subprograms(tmp_path):
    errors = budget_errors(
        tmp_path / "program",
        adm="",
        p2="M1,Ministry One,Health,P2,Program two,,,program,2023,-100,100,KZT,1000,",
    )
    assert [(e.type, e.row, e.field) for e in errors] == [("consistency-error", 5, "planned")]
    assert "negative" in errors[0].message
    # A subprogram may be negative (a recovery) as long as the sums agree.
    allowed = budget_errors(
        tmp_path / "recovery",
        adm="",
        p1="M1,Ministry One,Health,P1,Program one,,,program,2023,200,130,KZT,1000,",
        p1b="M1,Ministry One,Health,P1,Program one,P1-2,Sub B,subprogram,2023,50,-10,KZT,1000,",
    )
    assert allowed == []


def test_subprogram_without_program_currency_mix_and_missing_figures(tmp_path):
    errors = budget_errors(
        tmp_path / "orphan",
        p2="M1,Ministry One,Health,P9,Program nine,P9-1,Sub,subprogram,2023,100,100,KZT,1000,",
    )
    assert ("consistency-error", 6, "program_code") in [(e.type, e.row, e.field) for e in errors]
    errors = budget_errors(
        tmp_path / "currency",
        p2="M1,Ministry One,Health,P2,Program two,,,program,2023,100,100,USD,1000,",
    )
    assert [(e.row, e.field) for e in errors] == [(6, "currency")]
    # A subprogram without a figure: the sum is not checked (empty is not zero).
    errors = budget_errors(
        tmp_path / "missing",
        p1b="M1,Ministry One,Health,P1,Program one,P1-2,Sub B,subprogram,2023,,50,KZT,1000,",
    )
    assert errors == []


def test_amount_schema_errors_are_reported(tmp_path):
    errors = budget_errors(
        tmp_path, p2="M1,Ministry One,Health,P2,Program two,,,program,2023,100,100,kzt,7,"
    )
    assert sorted((e.type, e.field) for e in errors) == [
        ("constraint-error", "currency"),
        ("constraint-error", "unit"),
    ]


def test_execution_rate_and_money_formats():
    assert execution_rate(200, 190) == pytest.approx(95.0)
    assert execution_rate(0, 10) is None and execution_rate(None, 10) is None
    assert format_money(1_234_567, "CAD", "en") == "CA$1,234,567"
    assert format_money(5_000_000, "KZT", "kk") == "5\u00a0000\u00a0000\u00a0₸"
    assert format_money(5_000_000, "KZT", "ru").endswith("KZT")
    assert format_money(None, "KZT", "kk") == "—"
    assert format_money(12_300_000_000, "CAD", "en", compact=True) == "CA$12.3\u00a0bn"
    assert format_money(12_300_000_000, "CAD", "ru", compact=True) == "12,3\u00a0млрд\u00a0CA$"


# --- the example datasets: faithful to their sources ------------------------------------


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def test_kazakh_appeal_statistics_trace_to_the_seed_files(reference):
    rows = read_csv(ROOT / "datasets/appeal-statistics-kazakhstan/appeal-statistics.csv")
    assert len(rows) == 92
    for row in rows:
        seed = read_csv(reference / "seed-data" / row["source_file"])
        source = seed[int(row["source_row"]) - 2]
        assert row["value"] in source.values(), row
    # The partial periods of the report stay marked.
    astana = [r for r in rows if r["body"] == "Akimat of Astana" and r["measure"] == "receptions"]
    assert astana[0]["partial"] == "true" and astana[0]["period_end"] == "2022-09-30"
    assert astana[0]["period_note"] == "Including 9 months of 2022"


def test_nz_figures_are_the_source_cells(corpus):
    source = read_csv(corpus / "nz-oia-statistics/oia-statistics-all-data.csv")
    rows = read_csv(INTERNATIONAL / "official-information-requests-nz/oia-requests.csv")
    assert len(rows) == 572
    for row in rows:
        original = source[int(row["source_row"]) - 2]
        column = row["source"].rsplit("column ", 1)[1]
        assert original[column] == row["value"]
        assert original["Agency"] == row["body"]
        assert original["SurveyPeriodEndDate"] == row["period_end"]


def test_canada_program_figures_match_gc_infobase(corpus):
    data = corpus / "ca-gc-infobase-programs/data"
    spending = {
        (r["dept_code"], r["activity_code"]): r
        for r in read_csv(data / "program_spending.csv", "utf-8-sig")
    }
    subprograms = {r["id"]: r for r in read_csv(data / "subprograms.csv", "utf-8-sig")}
    rows = read_csv(INTERNATIONAL / "budget-canada-programs/programs.csv")
    assert {r["administrator_code"] for r in rows} == {"CH", "H", "PCA", "SC", "VAC"}
    for row in rows:
        if row["level"] == "program":
            source = spending[(row["administrator_code"], row["program_code"])]
            expected = (source["pa_last_year_planned"], source["pa_last_year_exp"])
        else:
            source = subprograms[row["subprogram_code"]]
            expected = (source["planned_spend_pa_last_year"], source["spend_pa_last_year"])
        for ours, theirs in zip((row["planned"], row["executed"]), expected, strict=True):
            assert abs(Decimal(ours) - Decimal(theirs)) < Decimal("0.01"), (row, theirs)


def test_international_example_validates_with_its_own_settings(monkeypatch):
    """Its datasets name the budget topic, which is the international example's own
    (examples/international/pelicanconf.py) and not the Kazakh portal's."""
    from click.testing import CliRunner

    from moldir.cli import main

    monkeypatch.chdir(ROOT)
    settings = "examples/international/pelicanconf.py"
    valid = CliRunner().invoke(main, ["validate", "--settings", settings, str(INTERNATIONAL)])
    assert valid.exit_code == 0, valid.output
    assert "All 4 datasets are valid." in valid.output
    kazakh = CliRunner().invoke(main, ["validate", str(INTERNATIONAL)])
    assert kazakh.exit_code == 1
    assert 'unknown topic "budget"' in kazakh.output


def test_wide_acsh_datasets_no_longer_claim_the_kind():
    for slug in ("receptions-akimats", "blog-requests", "front-office-visits"):
        descriptor = json.loads((ROOT / "datasets" / slug / "datapackage.json").read_text())
        assert "kind" not in descriptor
        assert descriptor["topic"] == "appeals"


# --- the built site ---------------------------------------------------------------------


def links_resolve(site, url: str, soup) -> list[str]:
    """Relative hrefs in <main> of a page that point to no file of the built site (the
    whole site: links from a language folder to root files such as schemas included)."""
    page = site.path(url)
    broken = []
    for anchor in soup.find("main").find_all("a", href=True):
        href = anchor["href"].split("#")[0]
        if not href or href.startswith(("http", "mailto:", "/")):
            continue
        target = (page.parent / href).resolve()
        if href.endswith("/"):
            target = target / "index.html"
        if not target.exists():
            broken.append(anchor["href"])
    return broken


def test_budget_page_totals_rates_and_drill_down(built_international_en):
    built_en = built_international_en
    rows = read_csv(INTERNATIONAL / "budget-canada-programs/programs.csv")
    programs = [r for r in rows if r["level"] == "program"]
    page = built_en.html("/budget/")
    text = page.find("main").get_text(" ", strip=True)
    planned = sum(Decimal(r["planned"]) for r in programs)
    executed = sum(Decimal(r["executed"]) for r in programs)
    assert format_money(float(planned), "CAD", "en") in text
    assert format_money(float(executed), "CAD", "en") in text
    rate = f"{float(executed / planned * 100):.1f}\u00a0%"
    assert rate in text
    table = page.find("caption", string=lambda s: s and "by administrator" in s).find_parent(
        "table"
    )
    links = {a.get_text(strip=True): a["href"] for a in table.find_all("a")}
    assert set(links) == {
        "Canadian Heritage",
        "Health Canada",
        "Parks Canada",
        "Statistics Canada",
        "Veterans Affairs Canada",
    }
    assert links["Health Canada"].endswith("budget/health-canada/")
    assert links_resolve(built_en, "/budget/", page) == []
    health = [r for r in programs if r["administrator_code"] == "H"]
    health_executed = sum(Decimal(r["executed"]) for r in health)
    row = table.find("a", string="Health Canada").find_parent("tr")
    assert format_money(float(health_executed), "CAD", "en") in row.get_text()


def test_administrator_page_lists_programs_and_subprograms(built_international_en):
    built_en = built_international_en
    page = built_en.html("/budget/canadian-heritage/")
    main = page.find("main")
    assert main.find("h1").get_text(strip=True) == "Canadian Heritage"
    program_rows = main.select("tr.moldir-topic__program-row")
    sub_rows = main.select("tr.moldir-topic__subprogram-row")
    rows = read_csv(INTERNATIONAL / "budget-canada-programs/programs.csv")
    ch = [r for r in rows if r["administrator_code"] == "CH"]
    assert len(program_rows) == sum(r["level"] == "program" for r in ch)
    assert len(sub_rows) == sum(r["level"] == "subprogram" for r in ch)
    # The negative tax-credit subprogram is shown as published.
    assert "Film or Video Production Tax Credits" in main.get_text()
    assert main.find(id="program-ADM00-2017-18") is not None
    assert links_resolve(built_en, "/budget/canadian-heritage/", page) == []
    # The largest-programs table links to the program on its administrator's page.
    top = built_en.html("/budget/")
    hrefs = [a["href"] for a in top.find_all("a") if "#program-" in a["href"]]
    assert any(h.endswith("budget/veterans-affairs-canada/#program-BNC00-2017-18") for h in hrefs)


def test_appeals_page_brings_every_appeal_dataset_together(built_en):
    page = built_en.html("/appeals/")
    main = page.find("main")
    assert main.find(id="appeal-statistics-kazakhstan-appeal-statistics")
    # The Kazakh portal holds Kazakhstan's data only (foreign data: examples/international/).
    assert not main.find(id="official-information-requests-nz-oia-requests")
    assert links_resolve(built_en, "/appeals/", page) == []
    # Citizens per reception for the Akimat of Astana: 22,365 / 432.
    ratio_table = main.find(
        "caption", string=lambda s: s and "Citizens received per reception" in s
    ).find_parent("table")
    (astana,) = [
        th.find_parent("tr")
        for th in ratio_table.find_all("th", scope="row")
        if th.get_text(" ", strip=True).startswith("Akimat of Astana")
    ]
    cells = [td.get_text(strip=True) for td in astana.find_all("td")]
    assert cells[:3] == ["51.8", "22,365", "432"]
    text = main.get_text(" ", strip=True)
    assert "not comparable (missing figures)" in text  # blog requests 2021: two missing
    # Wide tables are listed, not summed.
    related = main.find(id="appeals-related").find_parent("section")
    assert related.find("a", string=lambda s: s and "akimats" in s.lower())


def test_international_appeals_page_sums_the_nz_requests(built_international_en):
    built_en = built_international_en
    page = built_en.html("/appeals/")
    main = page.find("main")
    assert main.find(id="official-information-requests-nz-oia-requests")
    assert links_resolve(built_en, "/appeals/", page) == []
    # NZ: requests of all departments in the first half of 2019, and the change after it.
    rows = read_csv(INTERNATIONAL / "official-information-requests-nz/oia-requests.csv")
    first = sum(
        int(r["value"])
        for r in rows
        if r["measure"] == "requests" and r["period_end"] == "2019-06-30"
    )
    assert f"2019 H1 {first:,}" in main.get_text(" ", strip=True)


def test_schemas_are_published_and_listed(built, built_en, built_international_en):
    for kind in ("appeal-statistics", "budget-programs"):
        published = built.path(f"/schemas/{kind}.json").read_bytes()
        assert published == (SCHEMAS_DIR / f"{kind}.json").read_bytes()
        section = built_en.html("/schemas/").find(id=kind)
        assert section is not None
    page = built_en.html("/schemas/")
    assert links_resolve(built_en, "/schemas/", page) == []
    assert page.find("code", string="period_start")
    assert page.find("code", string="subprogram_code")
    # Each topic page links to its schema (the budget pages are the international example's).
    for site, url, kind in (
        (built_en, "/appeals/", "appeal-statistics"),
        (built_international_en, "/budget/", "budget-programs"),
    ):
        hrefs = [a["href"] for a in site.html(url).find_all("a", href=True)]
        assert any(h.endswith(f"schemas/{kind}.json") for h in hrefs)
        assert any(h.endswith(f"schemas/#{kind}") for h in hrefs)
    page = built_international_en.html("/schemas/")
    assert links_resolve(built_international_en, "/schemas/", page) == []


def test_navigation_links_the_topic_pages(built_en, built_international_en):
    nav = built_international_en.html("/budget/health-canada/").find("nav", class_="moldir-nav")
    budget = nav.find("a", href=lambda h: h and h.endswith("budget/"))
    assert budget["aria-current"] == "true"
    assert nav.find("a", href=lambda h: h and h.endswith("appeals/"))
    current = (
        built_en.html("/appeals/")
        .find("nav", class_="moldir-nav")
        .find("a", attrs={"aria-current": "page"})
    )
    assert current["href"].endswith("appeals/")


def test_kazakh_portal_links_only_its_own_topics(built, built_en):
    """No budget data of Kazakhstan is published yet: "budget" is not one of the example
    portal's topics, so neither the navigation nor the schemas page link a budget page,
    and none is written (the budget pages are the international example's)."""
    for site in (built, built_en):
        nav = site.html("/").find("nav", class_="moldir-nav")
        hrefs = [a["href"] for a in nav.find_all("a", href=True)]
        assert any(h.endswith("appeals/") for h in hrefs)
        assert any(h.endswith("receptions/") for h in hrefs)
        assert not any(h.endswith("budget/") for h in hrefs), hrefs
        assert not site.path("/budget/").exists()
        schemas = site.html("/schemas/").find("main")
        assert not schemas.find("a", href=lambda h: h and h.endswith("budget/"))


def budget_section(tmp_path, rows):
    from moldir.features.kinds.budget import summarise
    from moldir.pipeline.tables import read_table
    from moldir.pipeline.validate import ValidationOptions, validate_dataset

    folder = write_dataset(tmp_path, "budget", "budget-programs", rows, BUDGET_HEADER)
    _, dataset = validate_dataset(folder, ValidationOptions())
    resource = dataset.resources[0]
    return summarise(None, resource, read_table(resource))


def test_budget_summary_uses_the_data_units_and_currency(tmp_path):
    from moldir.features.kinds.budget import assign_slugs

    section = budget_section(
        tmp_path,
        [
            *budget_rows(),
            # A second administrator given only through subprograms, in another year.
            "M2,Ministry Two,,P7,Roads,P7-1,North,subprogram,2022,10,8,KZT,1000,",
            "M2,Ministry Two,,P7,Roads,P7-2,South,subprogram,2022,30,33,KZT,1000,",
        ],
    )
    assert section.currency == "KZT" and section.units == [1000]
    assert section.latest_year == "2023"
    years = {item["year"]: item["amounts"] for item in section.years()}
    # Program rows only (the administrator row and subprograms are not added again), × 1000.
    assert (years["2023"].planned, years["2023"].executed) == (300_000, 290_000)
    assert (years["2022"].planned, years["2022"].executed) == (40_000, 41_000)
    assert years["2022"].rate == pytest.approx(102.5)
    (roads,) = section.largest_programs("2022")
    assert roads.derived and [s.name for s in roads.subprograms] == ["South", "North"]
    assert [p.code for p in section.largest_programs()] == ["P1", "P2"]
    assign_slugs([section, section])  # the same names twice: slugs stay unique
    slugs = [a.slug for a in section.administrators]
    assert len(set(slugs)) == 2 and all(slugs)


def test_default_language_budget_page_formats_money_in_its_locale(built_international):
    text = built_international.html("/budget/").find("main").get_text(" ", strip=True)
    # Kazakh puts the currency after the number and groups digits with no-break spaces.
    assert "\u00a0CA$" in text
    assert "CA$1" not in text
