"""Charts from data-hub packages and of any size: the view forms (data-hub's ``simple``,
its Observable Plot-style ``plot``, Moldir's own ``moldir``), temporal detection, the
thinning before Vega-Lite, the descriptor-only check, and vendored real packages
(tests/fixtures/datahub, see its SOURCE.md)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from moldir.features.charts import build_chart, build_charts
from moldir.features.charts.sizing import MAX_POINTS, lttb, time_granularity
from moldir.features.charts.spec import (
    SERIES_COLUMN,
    VALUE_COLUMN,
    check_view_declarations,
    dataset_view_checks,
)
from moldir.model.dataset import Dataset, Field, Resource
from moldir.pipeline.tables import read_table

FIXTURES = Path(__file__).parent / "fixtures" / "datahub"


def write_dataset(tmp_path: Path, resources: dict, views: list, slug: str = "pkg") -> Dataset:
    """A dataset folder: ``resources`` maps a name to (fields, CSV text)."""
    folder = tmp_path / slug
    folder.mkdir(exist_ok=True)
    descriptors = []
    for name, (fields, text) in resources.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
        descriptors.append({"name": name, "path": f"{name}.csv", "schema": {"fields": fields}})
    descriptor = {"name": slug, "title": "Package", "resources": descriptors, "views": views}
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return dataset_at(folder, descriptor)


def dataset_at(folder: Path, descriptor: dict) -> Dataset:
    resources = tuple(
        Resource(r["name"], folder / r["path"], r["path"], r) for r in descriptor["resources"]
    )
    path = folder / "datapackage.json"
    return Dataset(folder.name, folder, path, descriptor, resources, shown_path=str(path))


def draw(dataset: Dataset, frames: dict | None = None):
    """Every drawable view's chart, and the checks' warnings and errors."""
    checks = dataset_view_checks(dataset, frames)
    charts = [
        build_chart(
            view,
            dataset,
            (frames or {}).get(view.resource)
            if frames and view.resource in frames
            else read_table(dataset.resource(view.resource)),
        )
        for view in checks.views
    ]
    return charts, checks


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def encoding_of(spec: dict, channel: str) -> dict:
    return next(
        layer["encoding"][channel] for layer in layers(spec) if channel in layer.get("encoding", {})
    )


def data_rows(spec: dict) -> list[dict]:
    """The inlined rows of the chart's main (first) layer."""
    data = spec.get("data") or layers(spec)[0]["data"]
    return spec["datasets"][data["name"]]


PRICES = (
    [{"name": "Date", "type": "date"}, {"name": "High", "type": "number"},
     {"name": "Low", "type": "number"}],
    "Date,High,Low\n2014-01-02,14.59,13.9\n2014-01-03,14.22,13.5\n2014-01-06,14,12.8\n",
)  # fmt: skip


# --- data-hub's simple graph spec ------------------------------------------------------


def test_datahub_simple_draws_each_series_field_as_a_line_on_a_time_axis(tmp_path):
    view = {
        "name": "graph",
        "title": "VIX",
        "resources": [0],
        "specType": "simple",
        "spec": {"type": "line", "group": "Date", "series": ["High", "Low"]},
    }
    [chart], checks = draw(write_dataset(tmp_path, {"vix": PRICES}, [view]))
    assert checks.errors == [] and checks.warnings == []
    assert chart.view.series == SERIES_COLUMN and chart.view.values == ("High", "Low")
    x = encoding_of(chart.spec, "x")
    assert x["type"] == "temporal" and x["scale"]["type"] == "utc"
    assert chart.table.columns == ["High", "Low"]
    assert [row[0] for row in chart.table.rows] == ["2014-01-02", "2014-01-03", "2014-01-06"]
    assert "High falls from 14.6 to 14" in chart.alternative()


@pytest.mark.parametrize(
    ("declared", "drawn", "warned"),
    [
        ("line", "line", False),
        ("bar", "bar", False),
        ("column", "bar", False),  # global-temp's view
        ("scatter", "point", False),
        ("pie", "hbar", False),  # ranked bars instead of angles
        ("spline", "line", True),  # Plotly draws an unknown type as lines
    ],
)
def test_datahub_simple_types(tmp_path, declared, drawn, warned):
    spec = {"type": declared, "group": "Date", "series": ["High"]}
    view = {"name": "g", "specType": "simple", "spec": spec}
    [chart], checks = draw(write_dataset(tmp_path, {"vix": PRICES}, [view]))
    assert chart.view.chart_type == drawn
    assert bool(checks.warnings) == warned
    assert chart.view.title == "g"  # data-hub draws untitled views; the name titles them


def test_resource_by_old_resource_name_and_filter_expression(tmp_path):
    """house-prices-us and s-and-p-500 use ``resourceName``; exchange-rates filters with a
    JavaScript comparison, read (never run) as a filter."""
    rates = (
        [{"name": "Date", "type": "date"}, {"name": "Country", "type": "string"},
         {"name": "Value", "type": "number"}],
        "Date,Country,Value\n2020-01-01,Euro,1.1\n2020-01-01,United Kingdom,1.3\n"
        "2020-01-02,Euro,1.2\n2020-01-02,United Kingdom,1.25\n",
    )  # fmt: skip
    views = [
        {"name": "uk", "title": "UK", "specType": "simple",
         "resources": [{"name": "daily", "transform": [
             {"type": "filter", "expression": "data['Country'] === 'United Kingdom'"}]}],
         "spec": {"type": "line", "group": "Date", "series": ["Value"]}},
        {"name": "euro", "title": "Euro", "specType": "simple", "resourceName": "daily",
         "spec": {"type": "line", "group": "Date", "series": ["Value"]}},
        {"name": "code", "title": "Code", "specType": "simple",
         "resources": [{"name": "daily", "transform": [
             {"type": "filter", "expression": "fetch('https://x')"}]}],
         "spec": {"type": "line", "group": "Date", "series": ["Value"]}},
    ]  # fmt: skip
    dataset = write_dataset(tmp_path, {"other": PRICES, "daily": rates}, views)
    charts, checks = draw(dataset)
    uk, euro = charts
    assert [row[1] for row in uk.table.rows] == [[1.3], [1.25]]
    assert euro.view.resource == "daily"
    # Two rows per date and no series: split by the text column that tells them apart.
    assert euro.view.series == "Country" and euro.table.columns == ["Euro", "United Kingdom"]
    assert "one series per Country" in euro.alternative()
    assert checks.errors == []
    assert len(checks.warnings) == 1 and 'view "code"' in checks.warnings[0]
    assert "is code, which Moldir does not run" in checks.warnings[0]


def test_rows_sharing_an_x_without_a_telling_column_are_averaged_and_said(tmp_path):
    table = (
        [{"name": "k", "type": "string"}, {"name": "v", "type": "number"}],
        "k,v\na,1\na,3\nb,5\n",
    )
    view = {
        "name": "g",
        "specType": "simple",
        "spec": {"type": "bar", "group": "k", "series": ["v"]},
    }
    [chart], _ = draw(write_dataset(tmp_path, {"t": table}, [view]))
    assert chart.table.rows == [("a", [2]), ("b", [5])]
    assert "drawn as their mean: 3 rows, 2 marks" in chart.alternative()


# --- data-hub's Plot views -------------------------------------------------------------

GOLD_VIEW = {
    "name": "gold-price-history",
    "title": "Gold Price History Since 1833",
    "resources": ["monthly"],
    "specType": "plot",
    "spec": {
        "dateFields": ["Date"],
        "filter": {"field": "Price", "gte": 1},
        "height": 420,
        "x": {"label": None},
        "y": {"type": "log", "label": "Price (USD per troy oz, log scale)", "tickFormat": "$,.0f"},
        "marks": [
            {"type": "ruleX", "staticData": [{"x": "1971-08-01"}], "x": "x", "stroke": "#9ca3af"},
            {"type": "text", "x": "x", "y": "y", "text": "label", "fill": "#6b7280",
             "staticData": [{"x": "1971-08-01", "y": 400, "label": "End of gold standard"}]},
            {"type": "ruleY", "staticData": [{"y": 35}], "y": "y"},
            {"type": "line", "x": "Date", "y": "Price", "stroke": "#b45309", "tip": True},
            {"type": "gridY"},
        ],
    },
}  # fmt: skip


def gold_table(months: int = 1900) -> tuple[list, str]:
    dates = pd.date_range("1833-01-01", periods=months, freq="MS").strftime("%Y-%m")
    prices = np.r_[[0.0], np.geomspace(20, 3000, months - 1)]  # a zero: off a log scale
    lines = ["Date,Price", *(f"{d},{p:.2f}" for d, p in zip(dates, prices, strict=True))]
    # ``date`` with ``format: any`` and month-only values, as data-hub writes them: the
    # values are read as text here, and still drawn on a time axis.
    return [{"name": "Date", "type": "string"}, {"name": "Price", "type": "number"}], "\n".join(
        lines
    )


def test_plot_view_of_1900_months_on_a_log_time_axis_with_its_notes(tmp_path):
    [chart], checks = draw(write_dataset(tmp_path, {"monthly": gold_table()}, [GOLD_VIEW]))
    assert checks.errors == [] and checks.warnings == []
    spec = chart.spec
    x, y = encoding_of(spec, "x"), encoding_of(spec, "y")
    assert x["type"] == "temporal" and x["axis"]["format"] == "%Y"  # never 1,900 categories
    assert y["scale"]["type"] == "log" and y["axis"]["format"] == "$,.0f"
    assert y["title"] == "Price (USD per troy oz, log scale)" and x["title"] is None
    marks = [layer["mark"]["type"] for layer in layers(spec)]
    assert marks.count("rule") == 2 and "text" in marks  # the ruleX, ruleY and the note
    assert len(data_rows(spec)) <= MAX_POINTS
    text = chart.alternative()
    assert f"Drawn from {len(data_rows(spec)):,} of 1,899 points" in text  # the zero filtered
    assert "Line chart from 1833-02 to 1991-04" in text
    assert "The drawn figures are in the table below." in text
    assert len(chart.svg) < 40_000


def test_plot_bar_x_from_static_data_sorted_by_value(tmp_path):
    """The airport-codes view: the figures are written in the view."""
    view = {
        "name": "airports-by-type",
        "resources": ["t"],
        "specType": "plot",
        "spec": {"marks": [{"type": "barX", "staticData": [
            {"type": "Heliport", "count": 22726}, {"type": "Small Airport", "count": 42582},
            {"type": "Balloonport", "count": 61}],
            "x": "count", "y": "type", "fill": "#3b82f6", "sort": {"y": "-x"}}]},
    }  # fmt: skip
    [chart], _ = draw(write_dataset(tmp_path, {"t": PRICES}, [view]))
    assert chart.view.chart_type == "hbar" and chart.view.sort == "-x"
    assert [row[0] for row in chart.table.rows] == ["Small Airport", "Heliport", "Balloonport"]


def test_plot_marks_with_stroke_field_make_series_and_colours_are_constants(tmp_path):
    table = (
        [{"name": "country", "type": "string"}, {"name": "year", "type": "integer"},
         {"name": "gdp", "type": "number"}],
        "country,year,gdp\nA,2000,1\nA,2001,2\nB,2000,3\nB,2001,5\n",
    )  # fmt: skip
    view = {"name": "v", "specType": "plot", "spec": {"marks": [
        {"type": "line", "x": "year", "y": "gdp", "stroke": "country"},
        {"type": "dot", "x": "year", "y": "gdp", "fill": "steelblue"},
        {"type": "hexbin", "x": "year"}]}}  # fmt: skip
    [chart], checks = draw(write_dataset(tmp_path, {"t": table}, [view]))
    assert chart.view.series == "country" and chart.table.columns == ["A", "B"]
    assert any("'hexbin' is not drawn" in warning for warning in checks.warnings)


@pytest.mark.parametrize(
    ("spec", "kind", "says"),
    [
        ({"marks": [{"type": "line", "x": "Date", "y": "Nope"}]}, "error",
         "'spec.marks[0].y' names unknown field 'Nope'"),
        ({"marks": [{"type": "image", "x": "Date", "y": "High", "src": "javascript:alert(1)"}]},
         "error", "image marks are not allowed"),
        ({"marks": [{"type": "dot", "x": "Date", "y": "High", "href": "javascript:alert(1)"}]},
         "error", "spec.marks[0].href is not allowed (charts do not link"),
        ({"marks": [{"type": "line", "x": "Date", "y": "High"}], "fx": "Low"}, "warning",
         "'spec.fx': facets are not drawn by Moldir"),
        ({"marks": [{"type": "geo"}]}, "warning", "no mark Moldir draws"),
        ({"marks": [{"type": "line", "x": "Date", "y": "High"}],
          "filter": {"field": "High", "matches": "x"}},
         "warning", "'spec.filter.matches' is not a comparison"),
    ],
)  # fmt: skip
def test_plot_views_moldir_refuses_or_skips(tmp_path, spec, kind, says):
    view = {"name": "v", "title": "V", "specType": "plot", "spec": spec}
    dataset = write_dataset(tmp_path, {"vix": PRICES}, [view])
    checks = check_view_declarations("pkg", dataset.descriptor, "pkg/datapackage.json")
    if kind == "error":
        [error] = checks.errors
        assert error.type == "view-error" and says in error.message
        assert error.message.startswith('Dataset "pkg", view "v": ')
    else:
        assert checks.errors == [] and checks.views == []
        assert any(says in warning for warning in checks.warnings), checks.warnings


# --- Moldir's own form -----------------------------------------------------------------


def test_moldir_form_under_its_own_name_and_the_old_one(tmp_path):
    spec = {"type": "bar", "x": "Date", "y": "High"}
    views = [
        {"name": "a", "title": "A", "specType": "moldir", "spec": spec},
        {"name": "b", "title": "B", "specType": "simple", "spec": spec},  # before the rename
        {"name": "c", "title": "C", "spec": spec},
    ]
    checks = check_view_declarations(
        "pkg", write_dataset(tmp_path, {"t": PRICES}, views).descriptor, "d"
    )
    assert [v.source for v in checks.views] == ["moldir"] * 3
    assert checks.warnings == [
        'view "b": Moldir\'s own form is now \'"specType": "moldir"\'; "simple" with x/y is '
        "still read as it"
    ]


# --- temporal detection and thinning ---------------------------------------------------


@pytest.mark.parametrize(
    ("field_type", "values", "expected"),
    [
        ("date", ["2014-01-02", "2014-01-03"], "day"),
        ("date", ["1850-01", "1850-02"], "month"),  # format "any", month-only values
        ("date", ["1850", "1851"], "year"),
        ("string", ["2001-03-04T05:06:07Z"], "datetime"),
        ("year", [1850, 1851], "year"),
        ("yearmonth", ["1850-01"], "month"),
        ("string", ["2020", "Total"], None),
        ("integer", [2000, 2001], None),  # numbers are years only when Plot says dateFields
        ("string", ["Akimat", "Ministry"], None),
    ],
)
def test_time_granularity(field_type, values, expected):
    assert time_granularity(Field("f", field_type), pd.Series(values)) == expected


def test_time_granularity_of_read_values():
    dates = pd.Series(pd.to_datetime(["2020-01-01", "2020-02-01"]).date)
    assert time_granularity(Field("d", "date"), dates) == "day"
    assert time_granularity(Field("n", "integer"), pd.Series([1990, 1991]), forced=True) == "year"


def test_lttb_keeps_the_ends_and_the_peak():
    x = np.arange(10_000, dtype=float)
    y = np.sin(x / 500)
    y[7_321] = 50.0
    chosen = lttb(x, y, 300)
    assert len(chosen) == 300 and chosen[0] == 0 and chosen[-1] == 9_999
    assert 7_321 in chosen
    assert (np.diff(chosen) > 0).all()


def test_a_20000_row_series_draws_small_on_a_time_axis_and_says_so(tmp_path):
    rng = np.random.default_rng(7)
    days = pd.date_range("1970-01-01", periods=20_000, freq="D").strftime("%Y-%m-%d")
    values = np.cumsum(rng.normal(0, 1, 20_000)) + 100
    text = "Date,Price\n" + "\n".join(f"{d},{v:.2f}" for d, v in zip(days, values, strict=True))
    fields = [{"name": "Date", "type": "date"}, {"name": "Price", "type": "number"}]
    views = [
        {
            "name": name,
            "specType": "simple",
            "spec": {"type": kind, "group": "Date", "series": ["Price"]},
        }
        for name, kind in (("line", "line"), ("bars", "bar"))
    ]
    dataset = write_dataset(tmp_path, {"daily": (fields, text)}, views)
    started = time.perf_counter()
    (line, bars), _ = draw(dataset)
    seconds = time.perf_counter() - started
    assert encoding_of(line.spec, "x")["type"] == "temporal"
    assert len(data_rows(line.spec)) == MAX_POINTS
    assert f"Drawn from {MAX_POINTS} of 20,000 points" in line.alternative()
    assert len(line.table.rows) == MAX_POINTS
    assert len(bars.table.rows) == 55  # yearly means
    assert "Each bar is the mean of its year: 20,000 values drawn as 55 bars." in bars.alternative()
    for chart in (line, bars):
        assert len(chart.svg) < 30_000, len(chart.svg)
    assert seconds < 20


# --- vendored real packages ------------------------------------------------------------


def test_real_gdp_package_and_its_plot_view(tmp_path):
    descriptor = json.loads((FIXTURES / "gdp" / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["views"].append(
        {"name": "world", "title": "World GDP", "resources": ["gdp"], "specType": "simple",
         "spec": {"type": "line", "group": "Year", "series": ["Value"]}}
    )  # fmt: skip
    dataset = dataset_at(FIXTURES / "gdp", descriptor)
    (top, world), checks = draw(dataset)
    assert checks.errors == [] and checks.warnings == []
    assert top.view.series == "country" and len(top.table.columns) == 10  # all ten economies
    assert encoding_of(top.spec, "x")["title"] == "Year"
    assert encoding_of(top.spec, "y")["title"] == "GDP (USD Trillion)"
    # 13,979 rows, every country on one "line": rows sharing a year are split into series
    # by no column (262 countries are too many), so each year shows the mean, and says so.
    assert encoding_of(world.spec, "x")["type"] == "temporal"
    assert (
        "Rows sharing one Year are drawn as their mean: 13,979 rows, 64 marks."
        in world.alternative()
    )


def test_real_population_package_filtered_like_exchange_rates(tmp_path):
    descriptor = json.loads((FIXTURES / "population" / "datapackage.json").read_text("utf-8"))
    descriptor["views"] = [
        {"name": "kazakhstan", "title": "Population of Kazakhstan", "specType": "simple",
         "resources": [{"name": "population", "transform": [
             {"type": "filter", "expression": "data['Country Code'] == \"KAZ\""}]}],
         "spec": {"type": "line", "group": "Year", "series": ["Value"]}},
    ]  # fmt: skip
    [chart], _ = draw(dataset_at(FIXTURES / "population", descriptor))
    assert chart.table.rows[0] == ("1960", [9_429_981])
    assert chart.alternative().startswith(
        "Line chart from 1960 to 2024: rises from 9,429,981 to 20,592,571"
    )


def test_view_errors_need_no_data_and_come_with_the_data_errors(tmp_path):
    """The CPI package's header does not match its schema (a data error); a view naming a
    missing field is reported from the descriptor alone, in the same pass."""
    descriptor = json.loads((FIXTURES / "cpi" / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["views"] = [
        {"name": "graph", "title": "CPI", "specType": "simple",
         "spec": {"type": "line", "group": "Year", "series": ["Inflation"]}},
        {"name": "other", "title": "CPI", "resources": ["nope"], "specType": "simple",
         "spec": {"type": "line", "group": "Year", "series": ["CPI"]}},
    ]  # fmt: skip
    text = json.dumps(descriptor, indent=2)
    checks = check_view_declarations("cpi", descriptor, "datasets/cpi/datapackage.json", text)
    assert [(e.type, e.message, e.file) for e in checks.errors] == [
        ("view-error", "Dataset \"cpi\", view \"graph\": 'spec.series[0]' names unknown field "
         "'Inflation' of resource 'cpi'; fields: Country Name, Country Code, Year, CPI",
         "datasets/cpi/datapackage.json"),
        ("view-error", "Dataset \"cpi\", view \"other\": 'resources' names unknown resource "
         "'nope'; the dataset has: cpi", "datasets/cpi/datapackage.json"),
    ]  # fmt: skip
    assert text.splitlines()[checks.errors[0].line - 1].strip() == '"name": "graph",'


@pytest.mark.parametrize(
    "descriptor",
    [
        {"views": {"a": 1}},
        {"views": [1, None, "x", []]},
        {"resources": "nope", "views": [{"name": "a", "spec": {"group": "x", "series": ["y"]}}]},
        {"resources": [{"name": "r", "schema": "missing.json"}],
         "views": [{"name": "a", "specType": "simple", "spec": {"group": "x", "series": ["y"]}}]},
        {"resources": [{"name": "r", "schema": {"fields": [1, {"name": 2}]}}],
         "views": [{"name": ["x"], "specType": {"a": 1}, "spec": []}]},
        {"resources": [None], "views": [{"name": "a", "resources": [True], "spec": {}}]},
    ],
)  # fmt: skip
def test_declaration_check_never_raises_on_malformed_descriptors(tmp_path, descriptor):
    checks = check_view_declarations("x", descriptor, "x/datapackage.json", "", tmp_path)
    assert all(error.type == "view-error" for error in checks.errors)


def test_a_chart_that_cannot_be_rendered_is_left_out_with_a_warning(tmp_path, monkeypatch):
    import moldir.features.charts.render as render

    def broken(*_args, **_kwargs):
        raise RuntimeError("renderer stack overflow")

    monkeypatch.setattr(render, "render_svg", broken)
    view = {
        "name": "g",
        "title": "G",
        "specType": "simple",
        "spec": {"group": "Date", "series": ["High"]},
    }
    dataset = write_dataset(tmp_path, {"t": PRICES}, [view])

    class Published:
        def __init__(self):
            self.dataset = dataset
            self.tables = {"t": read_table(dataset.resources[0])}
            self.report = type("Report", (), {"warnings": []})()

        def downloads_for(self, _resource):
            return []

    published = Published()
    assert build_charts(published) == []
    assert published.report.warnings == [
        'view "g": the chart could not be drawn (RuntimeError: renderer stack overflow); '
        "it is left out"
    ]


def test_wide_values_are_named_by_their_field_titles(tmp_path):
    fields = [{"name": "Date", "type": "date"}, {"name": "hi", "type": "number", "title": "High"},
              {"name": "lo", "type": "number", "title": "Low"}]  # fmt: skip
    text = "Date,hi,lo\n2014-01-02,2,1\n2014-01-03,3,1\n"
    view = {"name": "g", "specType": "simple", "spec": {"group": "Date", "series": ["hi", "lo"]}}
    [chart], _ = draw(write_dataset(tmp_path, {"t": (fields, text)}, [view]))
    assert chart.table.columns == ["High", "Low"]
    assert chart.view.y == VALUE_COLUMN
