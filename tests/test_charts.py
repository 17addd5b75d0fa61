"""Charts: declarations checked, Altair specs, text alternatives, tables, SVG for pages,
and the charts of the built example portal (files, dataset pages, chart pages, home)."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

import jsonschema
import pytest
from altair.vegalite.v6.schema import load_schema
from click.testing import CliRunner

from moldir.cli import main
from moldir.features.charts import build_chart
from moldir.features.charts.build import ChartTable, chart_table, prepare
from moldir.features.charts.describe import describe, format_value
from moldir.features.charts.palette import PALETTE, contrast_ratio
from moldir.features.charts.render import accessible_svg
from moldir.features.charts.spec import check_views, parse_views
from moldir.model.dataset import Dataset, Resource
from moldir.pipeline.tables import read_table

# --- inline datasets --------------------------------------------------------------------

BODIES = {
    "fields": [
        {"name": "body", "type": "string"},
        {"name": "citizens", "type": "integer"},
        {"name": "note", "type": "string"},
    ],
    "rows": [
        ("Akimat of Astana", "22365", "a"),
        ("Akimat of Almaty", "6924", ""),
        ("Rural district of Dubrovinsky", "12", ""),
    ],
}
PERIODS = {
    "fields": [
        {"name": "body", "type": "string"},
        {"name": "period", "type": "string"},
        {"name": "requests", "type": "integer"},
    ],
    "rows": [
        ("Ministry A", "2020", "100"),
        ("Ministry A", "2021", "300"),
        ("Ministry B", "2020", "1500"),
        ("Ministry B", "2021", ""),
        ("Ministry C", "2020", "40"),
        ("Ministry C", "2021", "60"),
    ],
}
YEARS = {
    "fields": [
        {"name": "year", "type": "year"},
        {"name": "channel", "type": "string"},
        {"name": "appeals", "type": "number"},
    ],
    "rows": [
        ("2020", "online", "10.5"),
        ("2021", "online", "20"),
        ("2022", "online", "35"),
        ("2020", "post", "30"),
        ("2021", "post", "20"),
        ("2022", "post", "12"),
    ],
}


def make_dataset(tmp_path: Path, table: dict, views: list, slug: str = "example") -> Dataset:
    """A dataset folder with one resource ``data`` written from inline rows."""
    folder = tmp_path / slug
    folder.mkdir(exist_ok=True)
    names = [f["name"] for f in table["fields"]]
    lines = [",".join(names)] + [",".join(row) for row in table["rows"]]
    (folder / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    resource_descriptor = {
        "name": "data",
        "path": "data.csv",
        "schema": {"fields": table["fields"], "missingValues": [""]},
    }
    descriptor = {"name": slug, "title": "Example", "resources": [resource_descriptor]}
    descriptor["views"] = views
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    resource = Resource("data", folder / "data.csv", "data.csv", resource_descriptor)
    return Dataset(slug, folder, path, descriptor, (resource,))


def simple_view(spec: dict, name: str = "the-view", **extra) -> dict:
    return {"name": name, "title": "The view", "resources": ["data"], "spec": spec, **extra}


def chart_of(tmp_path: Path, table: dict, spec: dict):
    dataset = make_dataset(tmp_path, table, [simple_view(spec)])
    views, errors = parse_views(dataset)
    assert errors == []
    return build_chart(views[0], dataset, read_table(dataset.resources[0]))


def inline_data_only(spec: dict) -> None:
    """Every data reference of a spec is inline values or a named inline dataset."""
    text = json.dumps(spec)
    assert '"url"' not in text
    datasets = spec.get("datasets", {})

    def visit(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict):
                assert "values" in data or data.get("name") in datasets, data
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(spec)
    assert "data" in spec or any("data" in layer for layer in spec.get("layer", []))


VEGA_LITE = jsonschema.Draft7Validator(load_schema())


def assert_valid_vega_lite(spec: dict) -> None:
    errors = [e.message for e in VEGA_LITE.iter_errors(spec)]
    assert errors == [], errors[:3]


# --- each chart type: spec, text alternative, table ------------------------------------


def test_hbar_ranks_by_value_and_describes_highest_and_lowest(tmp_path):
    chart = chart_of(
        tmp_path,
        BODIES,
        {"type": "hbar", "x": "citizens", "y": "body", "sort": "-x", "units": "citizens"},
    )
    assert_valid_vega_lite(chart.spec)
    inline_data_only(chart.spec)
    assert chart.data.categories == [
        "Akimat of Astana",
        "Akimat of Almaty",
        "Rural district of Dubrovinsky",
    ]
    layer = chart.spec["layer"][0]
    assert layer["mark"]["type"] == "bar"
    assert layer["encoding"]["x"]["field"] == "citizens"
    assert layer["encoding"]["y"]["sort"] == chart.data.categories
    assert any(lay["mark"]["type"] == "text" for lay in chart.spec["layer"]), "direct labels"
    assert chart.alternative() == (
        "Horizontal bar chart: the highest is Akimat of Astana, 22,365 citizens; "
        "the lowest is Rural district of Dubrovinsky, 12 citizens. Full data in the table below."
    )
    assert chart.table == ChartTable(
        "body",
        ["citizens"],
        [
            ("Akimat of Astana", [22365]),
            ("Akimat of Almaty", [6924]),
            ("Rural district of Dubrovinsky", [12]),
        ],
        "citizens",
    )


def test_bar_keeps_file_order_without_sort(tmp_path):
    chart = chart_of(tmp_path, BODIES, {"type": "bar", "x": "body", "y": "citizens"})
    assert_valid_vega_lite(chart.spec)
    assert chart.data.categories[-1] == "Rural district of Dubrovinsky"
    assert chart.spec["layer"][0]["encoding"]["y"]["field"] == "citizens"
    assert chart.alternative().startswith("Bar chart: the highest is Akimat of Astana, 22,365;")


def test_grouped_bar_names_each_bar_by_its_series_and_reports_missing(tmp_path):
    chart = chart_of(
        tmp_path,
        PERIODS,
        {"type": "grouped-bar", "x": "body", "y": "requests", "series": "period"},
    )
    assert_valid_vega_lite(chart.spec)
    inline_data_only(chart.spec)
    assert "facet" in chart.spec
    bars = chart.spec["spec"]["layer"][0]["encoding"]
    # Each bar is named on the axis by its series: colour is not the only key.
    assert bars["x"]["field"] == "period" and bars["color"]["field"] == "period"
    text = chart.alternative()
    assert text.startswith("Grouped bar chart: the highest is Ministry B (2020), 1,500;")
    assert "the lowest is Ministry C (2020), 40" in text
    assert "Figures missing, not drawn: 1." in text
    table = chart_table(chart.data)
    assert table.columns == ["2020", "2021"]
    assert table.rows[1] == ("Ministry B", [1500, None])


def test_stacked_bar_describes_totals_and_labels_series_directly(tmp_path):
    chart = chart_of(
        tmp_path,
        PERIODS,
        {"type": "stacked-bar", "x": "body", "y": "requests", "series": "period", "sort": "-y"},
    )
    assert_valid_vega_lite(chart.spec)
    assert chart.data.categories == ["Ministry B", "Ministry A", "Ministry C"]
    assert "the largest total is Ministry B, 1,500; the smallest is Ministry C, 100" in (
        chart.alternative()
    )
    names = chart.spec["layer"][2]
    assert names["mark"]["type"] == "text" and names["encoding"]["text"]["field"] == "period"


@pytest.mark.parametrize("chart_type", ["line", "area"])
def test_line_and_area_describe_the_trend_of_each_series(tmp_path, chart_type):
    chart = chart_of(
        tmp_path,
        YEARS,
        {"type": chart_type, "x": "year", "y": "appeals", "series": "channel", "units": "%"},
    )
    assert_valid_vega_lite(chart.spec)
    text = chart.alternative()
    kind = "Line chart" if chart_type == "line" else "Area chart"
    assert text.startswith(f"{kind} from 2020 to 2022: ")
    assert "online rises from 10.5 % to 35 %" in text
    assert "post falls from 30 % to 12 %" in text
    assert chart.table.rows[0] == ("2020", [10.5, 30])


def test_line_without_series_names_its_peak(tmp_path):
    table = {"fields": YEARS["fields"], "rows": YEARS["rows"][3:]}
    chart = chart_of(tmp_path, table, {"type": "line", "x": "year", "y": "appeals"})
    assert "falls from 30 to 12; the peak is 30 in 2020" in chart.alternative()


def test_point_uses_shape_as_well_as_colour_for_series(tmp_path):
    chart = chart_of(
        tmp_path,
        PERIODS,
        {"type": "point", "x": "body", "y": "requests", "series": "period"},
    )
    assert_valid_vega_lite(chart.spec)
    encoding = chart.spec["layer"][0]["encoding"]
    assert encoding["shape"]["field"] == "period" and encoding["color"]["field"] == "period"
    assert chart.alternative().startswith("Dot chart: the highest is Ministry B (2020)")


def test_filter_and_aggregate_prepare_the_drawn_rows(tmp_path):
    dataset = make_dataset(
        tmp_path,
        PERIODS,
        [
            simple_view(
                {
                    "type": "bar",
                    "x": "period",
                    "y": "requests",
                    "aggregate": "sum",
                    "filter": {"body": "Ministry A"},
                }
            )
        ],
    )
    views, errors = parse_views(dataset)
    assert errors == []
    data = prepare(views[0], read_table(dataset.resources[0]), dataset.resources[0])
    assert data.frame["requests"].tolist() == [100, 300]
    counted = make_dataset(
        tmp_path,
        PERIODS,
        [simple_view({"type": "bar", "x": "body", "aggregate": "count"})],
        slug="counted",
    )
    views, errors = parse_views(counted)
    assert errors == []
    data = prepare(views[0], read_table(counted.resources[0]), counted.resources[0])
    assert data.frame["count"].tolist() == [2, 2, 2]


def test_text_alternative_is_translated_and_numbers_localised(tmp_path):
    chart = chart_of(tmp_path, BODIES, {"type": "hbar", "x": "citizens", "y": "body"})
    catalogue = {
        "Horizontal bar chart": "Горизонтальная столбчатая диаграмма",
        "Full data in the table below.": "Все данные — в таблице ниже.",
    }
    text = chart.alternative(lambda message: catalogue.get(message, message), "ru")
    assert text.startswith("Горизонтальная столбчатая диаграмма: ")
    assert "22\xa0365" in text and text.endswith("Все данные — в таблице ниже.")
    assert format_value(1234.56, "en", "people") == "1,234.6 people"
    assert format_value(1234, "kk") == "1\xa0234"


def test_describe_names_equal_and_single_values(tmp_path):
    single = {"fields": BODIES["fields"], "rows": BODIES["rows"][:1]}
    chart = chart_of(tmp_path, single, {"type": "hbar", "x": "citizens", "y": "body"})
    assert "with one value: Akimat of Astana, 22,365." in describe(chart.data)


def test_vega_lite_view_gets_inline_data_and_a_table(tmp_path):
    spec = {
        "mark": "bar",
        "encoding": {
            "x": {"field": "body", "type": "nominal"},
            "y": {"field": "citizens", "type": "quantitative"},
        },
    }
    dataset = make_dataset(tmp_path, BODIES, [simple_view(spec, specType="vega-lite")])
    views, errors = parse_views(dataset)
    assert errors == []
    chart = build_chart(views[0], dataset, read_table(dataset.resources[0]))
    assert chart.spec["data"]["values"][0]["citizens"] == 22365
    assert_valid_vega_lite(chart.spec)
    assert chart.table.row_header == "body" and chart.table.columns == ["citizens"]
    assert "the highest is Akimat of Astana, 22,365" in chart.alternative()


# --- SVG for pages, palette ----------------------------------------------------------------


def test_inline_svg_is_named_restyled_and_has_unique_ids(tmp_path):
    chart = chart_of(
        tmp_path, PERIODS, {"type": "stacked-bar", "x": "body", "y": "requests", "series": "period"}
    )
    svg = accessible_svg(chart.svg, "c1", labelled_by="c1-alt")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-alt"
    assert "var(--moldir-chart-1, #12436D)" in svg and "var(--moldir-chart-2, #28A197)" in svg
    assert "var(--moldir-chart-text, currentColor)" in svg
    for element in root.iter():
        for colour in ("fill", "stroke"):
            assert element.get(colour, "").upper() not in PALETTE, "a fixed palette colour"
        assert element.get("aria-label") is None and element.get("role") in (None, "img")
        if element.get("id"):
            assert element.get("id").startswith("c1-")
    cells = {e.get("data-cell") for e in root.iter() if e.get("data-cell")}
    assert cells == {f"{row}-{col}" for row in range(3) for col in range(2)} - {"1-1"}
    assert "url(#" not in svg or re.search(r"url\(#c1-", svg)


def test_palette_contrast_against_white_and_neighbours():
    assert all(contrast_ratio(colour, "#FFFFFF") >= 3 for colour in PALETTE)
    assert all(contrast_ratio(a, b) >= 3 for a, b in itertools.pairwise(PALETTE))


# --- bad declarations: view-error naming the dataset and the view ---------------------------

BAD_VIEWS = [
    ({"type": "hbar", "x": "citizen", "y": "body"}, "unknown field 'citizen'"),
    ({"type": "hbar", "x": "body", "y": "citizens"}, "must be a number, but field 'body'"),
    ({"type": "pie", "x": "body", "y": "citizens"}, "unknown chart type 'pie'"),
    (
        {"type": "bar", "x": "body", "y": "citizens", "filter": {"body": "Nowhere"}},
        "'filter' value 'Nowhere' never occurs in field 'body'",
    ),
    ({"type": "bar", "x": "body", "y": "citizens", "filter": {"body": {"gt": 3}}}, "equality only"),
    ({"type": "bar", "x": "body", "y": "citizens", "sort": "up"}, "unknown sort 'up'"),
    ({"type": "grouped-bar", "x": "body", "y": "citizens"}, "needs 'series'"),
    ({"type": "bar", "x": "note", "y": "citizens"}, "several rows fall on one mark"),
]


@pytest.mark.parametrize(("spec", "message"), BAD_VIEWS)
def test_bad_simple_view_is_a_view_error_naming_dataset_and_view(tmp_path, spec, message):
    table = (
        BODIES
        if "note" not in spec.values()
        else {"fields": BODIES["fields"], "rows": [*BODIES["rows"], ("Akimat X", "5", "a")]}
    )
    dataset = make_dataset(tmp_path, table, [simple_view(spec, name="broken-view")])
    errors = check_views(dataset)
    assert len(errors) == 1
    error = errors[0]
    assert error.type == "view-error" and error.dataset == "example"
    assert 'Dataset "example", view "broken-view": ' in error.message
    assert message in error.message
    assert error.line is not None


UNSAFE_VEGA_LITE = [
    ({"mark": "bar", "data": {"url": "https://example.org/x.csv"}}, "spec.data is not allowed"),
    (
        {"mark": "bar", "transform": [{"calculate": "datum.citizens * 2", "as": "double"}]},
        "not an allowed transform",
    ),
    ({"mark": "bar", "transform": [{"filter": "datum.citizens > 3"}]}, "field predicate"),
    (
        {"mark": "bar", "encoding": {"href": {"field": "note", "type": "nominal"}}},
        "spec.encoding.href is not allowed",
    ),
    ({"mark": "image"}, "image marks are not allowed"),
    ({"mark": "bar", "params": [{"name": "p", "select": "point"}]}, "spec.params is not allowed"),
    (
        {"mark": "bar", "encoding": {"x": {"field": "nope", "type": "nominal"}}},
        "unknown field 'nope'",
    ),
    (
        {"mark": "bar", "encoding": {"x": {"field": "body", "type": "wrong"}}},
        "does not follow the Vega-Lite schema",
    ),
]


@pytest.mark.parametrize(("spec", "message"), UNSAFE_VEGA_LITE)
def test_unsafe_or_invalid_vega_lite_is_rejected(tmp_path, spec, message):
    dataset = make_dataset(tmp_path, BODIES, [simple_view(spec, name="vl", specType="vega-lite")])
    errors = check_views(dataset)
    assert [e.type for e in errors] == ["view-error"]
    assert 'view "vl"' in errors[0].message and message in errors[0].message


def test_unknown_resource_and_duplicate_names_are_view_errors(tmp_path):
    good = {"type": "hbar", "x": "citizens", "y": "body"}
    dataset = make_dataset(
        tmp_path,
        BODIES,
        [
            simple_view(good, resources=["nope"]),
            simple_view(good, name="a"),
            simple_view(good, name="a"),
        ],
    )
    messages = [e.message for e in check_views(dataset)]
    assert len(messages) == 2
    assert "unknown resource 'nope'" in messages[0]
    assert "view \"a\": 'name': another view has the same name" in messages[1]


def test_moldir_validate_reports_a_bad_view(project_copy):
    descriptor_path = project_copy / "datasets" / "receptions-akimats" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["views"][0]["spec"]["x"] = "citizens"
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(descriptor_path.parent)])
    assert result.exit_code == 1
    assert "[view-error]" in result.output
    assert 'Dataset "receptions-akimats", view "citizens-received-by-akimat"' in result.output
    assert "unknown field 'citizens'" in result.output


# --- the built example portal -----------------------------------------------------------

# (built site fixture, dataset): the Kazakh portal's, then the international example's.
EXAMPLES = [
    *(
        ("built", slug)
        for slug in (
            "appeal-statistics-kazakhstan",
            "blog-requests",
            "call-and-contact-centres",
            "front-office-visits",
            "open-government-portals",
            "public-reception-appeals",
            "question-answer-service",
            "receptions-akimats",
            "receptions-ministries",
            "survey-2022-communication-channels",
        )
    ),
    ("built_international", "budget-canada-programs"),
    ("built_international", "official-information-requests-nz"),
]


def views_of(built, slug: str) -> list[str]:
    root = built.root
    while not (root / "datasets").is_dir() or (root.name == "en"):
        root = root.parent
    descriptor = json.loads((root / "datasets" / slug / "datapackage.json").read_text())
    return [view["name"] for view in descriptor.get("views", [])]


def resolve(page_url: str, href: str) -> str:
    """A page-relative link as a site path (the site may use relative URLs)."""
    if href.startswith("/"):
        return href
    parts: list[str] = []
    for part in PurePosixPath(page_url.strip("/"), href).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/" + "/".join(parts)


@pytest.mark.parametrize(("site_fixture", "slug"), EXAMPLES)
def test_every_example_dataset_has_chart_files(request, site_fixture, slug):
    built = request.getfixturevalue(site_fixture)
    names = views_of(built, slug)
    assert names, f"{slug} declares no chart"
    for name in names:
        base = f"/datasets/{slug}/charts/{name}"
        spec = built.json(f"{base}.vl.json")
        assert_valid_vega_lite(spec)
        inline_data_only(spec)
        root = ET.parse(built.path(f"{base}.svg")).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title").text
        assert root.find("{http://www.w3.org/2000/svg}desc").text
        assert built.path(f"{base}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("site_fixture", "slug"), EXAMPLES)
def test_dataset_page_shows_every_chart_as_an_accessible_figure(request, site_fixture, slug):
    built = request.getfixturevalue(site_fixture)
    page_url = f"/datasets/{slug}/"
    page = built.html(page_url)
    names = views_of(built, slug)
    figures = page.select("figure.moldir-chart")
    assert len(figures) == len(names)
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids on the page"
    for figure, name in zip(figures, names, strict=True):
        assert figure["data-module"] == "moldir-chart"
        assert figure.find("figcaption").get_text(strip=True)
        svg = figure.find("svg")
        assert svg["role"] == "img"
        alternative = page.find(id=svg["aria-labelledby"])
        assert alternative is not None and alternative.get_text(strip=True)
        table = figure.find("table")
        assert table.caption.get_text(strip=True)
        assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
        assert all(row.th["scope"] == "row" for row in table.tbody.find_all("tr"))
        links = {a["href"].rsplit("/", 1)[-1]: a["href"] for a in figure.select("a[href]")}
        for suffix in (".csv", ".svg", ".png", ".vl.json"):
            found = [href for file, href in links.items() if file.endswith(suffix)]
            assert found, suffix
            assert built.path(resolve(page_url, found[0])).is_file(), found[0]
        embed = figure.find("textarea").get_text()
        src = re.search(r'<iframe src="([^"]+)" title="[^"]+"', embed)[1]
        assert src.endswith(f"/datasets/{slug}/charts/{name}/embed/")
        for url in (f"/datasets/{slug}/charts/{name}/", f"/datasets/{slug}/charts/{name}/embed/"):
            chart_page = built.html(url)
            standalone = chart_page.select_one("figure.moldir-chart")
            assert standalone.find("h1") and standalone.find("table") and standalone.find("svg")
            assert chart_page.find("main")


def test_english_text_alternative_states_the_main_message(built_en):
    page = built_en.html("/datasets/receptions-akimats/")
    figure = page.select_one("figure#chart-receptions-akimats-citizens-received-by-akimat")
    text = figure.select_one(".moldir-chart__alternative").get_text(" ", strip=True)
    assert text.startswith(
        "Horizontal bar chart: the highest is Akimat of Astana, 22,365 citizens;"
    )
    assert "Dubrovinsky" in text and text.endswith("Full data in the table below.")
    cells = [td.get_text(strip=True) for td in figure.select("tbody td")]
    assert cells[0] == "22,365"


def test_home_page_highlights_two_or_three_charts(built):
    figures = built.html("/").select("figure.moldir-chart")
    assert 2 <= len(figures) <= 3
    for figure in figures:
        svg = figure.find("svg")
        assert svg["role"] == "img" and figure.find(id=svg["aria-labelledby"])
        assert figure.select_one(".moldir-chart__more a[href]")


def test_highlights_prefer_marked_views_one_per_dataset(tmp_path):
    from types import SimpleNamespace

    from moldir.features.charts import highlights

    spec = {"type": "hbar", "x": "citizens", "y": "body"}
    datasets = []
    for slug, views in (
        ("first", [simple_view(spec, name="a"), simple_view(spec, name="b")]),
        ("second", [simple_view(spec, name="c"), simple_view(spec, name="d", highlight=True)]),
    ):
        dataset = make_dataset(tmp_path, BODIES, views, slug=slug)
        parsed, _ = parse_views(dataset)
        charts = [build_chart(v, dataset, read_table(dataset.resources[0])) for v in parsed]
        datasets.append(SimpleNamespace(extras={"charts": charts}))
    chosen = [chart.name for _published, chart in highlights(SimpleNamespace(datasets=datasets))]
    assert chosen == ["d", "a"]


def test_safe_vega_lite_transforms_are_accepted(tmp_path):
    spec = {
        "mark": "bar",
        "transform": [
            {"filter": {"field": "body", "oneOf": ["Akimat of Astana", "Akimat of Almaty"]}},
            {"fold": ["citizens"], "as": ["measure", "amount"]},
        ],
        "encoding": {
            "y": {"field": "body", "type": "nominal"},
            "x": {"field": "amount", "type": "quantitative"},
        },
    }
    dataset = make_dataset(tmp_path, BODIES, [simple_view(spec, specType="vega-lite")])
    assert check_views(dataset) == []


def test_inline_svg_never_gets_a_namespace_prefix(tmp_path, monkeypatch):
    # Other modules (feeds, sitemaps) register their own default namespace globally.
    monkeypatch.setattr(ET, "_namespace_map", dict(ET._namespace_map))
    ET.register_namespace("", "http://www.w3.org/2005/Atom")
    ET.register_namespace("svg", "http://www.w3.org/2000/svg")
    chart = chart_of(tmp_path, BODIES, {"type": "hbar", "x": "citizens", "y": "body"})
    svg = accessible_svg(chart.svg, "c2", labelled_by="c2-alt")
    assert svg.startswith("<svg ") and ":svg" not in svg and "<svg:" not in svg
    assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"


def test_column_names_with_dots_and_brackets_still_draw_their_bars(tmp_path):
    # Vega-Lite reads "a.b" as nested access; an editor's Russian header "(макс.)" must not
    # silently give an empty chart.
    import vl_convert

    table = {
        "fields": [
            {"name": "Орган", "type": "string"},
            {"name": "Звонков в день (макс.) [оценка]", "type": "integer"},
        ],
        "rows": [("Акимат Астаны", "29000"), ("Акимат Шымкента", "800")],
    }
    chart = chart_of(
        tmp_path, table, {"type": "hbar", "x": "Звонков в день (макс.) [оценка]", "y": "Орган"}
    )
    svg = vl_convert.vegalite_to_svg(chart.spec)
    bars = re.findall(r'<path[^>]*class="[^"]*mark-rect', svg) or re.findall(r"mark-rect", svg)
    assert bars, "no bars drawn"
    assert "29,000" in svg or "29 000" in svg
