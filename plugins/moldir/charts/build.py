"""From a checked view and its table to the chart's data, its table and its Vega-Lite spec.

``prepare`` filters, aggregates and orders the rows once; the Altair chart, the HTML
table and the text alternative all read that one result, so they always agree. Every
mark is labelled directly (values at bar ends, series names on axes or at line ends),
so colour is never the only key (WCAG 1.4.1).
"""

from __future__ import annotations

import copy
import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

from ..datasets import Field, Resource
from ..tables import records
from .palette import AXIS_COLOUR, GAP_COLOUR, GRID_COLOUR, PALETTE, TEXT_COLOUR
from .spec import ViewSpec, apply_filter

CELL = "_cell"  # "row-column" of the table cell a mark shows (tooltips, tests)
COUNT = "count"
WIDTH = 560
# Vega reads this as a line break in text marks and headers (wrapped facet headers).
LINE_BREAK = "\n"


@dataclass(frozen=True)
class ChartTable:
    """The chart's data as an HTML table: one row per category, one column per series."""

    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[Any]]]
    units: str = ""


@dataclass
class ChartData:
    """The rows a chart draws, in drawing order, with their labels."""

    view: ViewSpec
    frame: pd.DataFrame
    categories: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    category_label: str = ""
    value_label: str = ""
    series_label: str = ""
    category_type: str = "string"

    @property
    def value_column(self) -> str:
        return self.view.value_column_name()


def field_map(resource: Resource) -> dict[str, Field]:
    return {f.name: f for f in resource.fields}


def as_label(value: Any) -> str:
    """A category or series value as shown on axes and in tables."""
    if value is None or value is pd.NA:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def prepare(view: ViewSpec, frame: pd.DataFrame, resource: Resource) -> ChartData:
    """Filter, aggregate and order the rows of a simple view."""
    fields = field_map(resource)
    rows = apply_filter(frame, view.filter).copy()
    category, series, value = view.category, view.series, view.value_column_name()
    keys = [k for k in (category, series) if k]
    if view.aggregate:
        grouped = rows.groupby(keys, sort=False, dropna=False)
        if view.aggregate == COUNT:
            rows = grouped.size().rename(value).reset_index()
        else:
            rows = grouped[view.value].agg(view.aggregate).reset_index()
    rows = rows[[*keys, value]].copy()
    rows[category] = rows[category].map(as_label)
    if series:
        rows[series] = rows[series].map(as_label)
    rows[value] = pd.to_numeric(rows[value], errors="coerce").astype("Float64")
    categories = order_categories(view, rows, fields.get(category))
    series_values = list(dict.fromkeys(rows[series])) if series else []
    rows["_order"] = rows[category].map({c: i for i, c in enumerate(categories)})
    if series:
        rows["_series_order"] = rows[series].map({s: i for i, s in enumerate(series_values)})
        rows = rows.sort_values(["_order", "_series_order"], kind="stable")
        rows[CELL] = [
            f"{o}-{s}" for o, s in zip(rows["_order"], rows["_series_order"], strict=True)
        ]
    else:
        rows = rows.sort_values("_order", kind="stable")
        rows[CELL] = [f"{o}-0" for o in rows["_order"]]
    return ChartData(
        view=view,
        frame=rows.reset_index(drop=True),
        categories=categories,
        series=series_values,
        category_label=fields[category].label,
        value_label=fields[view.value].label if view.value else "Count",
        series_label=fields[series].label if series else "",
        category_type=fields[category].type,
    )


def vl_field(name: str) -> str:
    """A column name as a Vega-Lite field reference: dots and brackets would otherwise
    be read as nested access ("Calls (max.)" must not mean the property ")" of "Calls (max")."""
    return re.sub(r"([.\[\]\\])", r"\\\1", name)


def order_categories(view: ViewSpec, rows: pd.DataFrame, category_field: Field | None) -> list[str]:
    """Category order: by value (``-x`` ranks), by name, or as in the file."""
    first_seen = list(dict.fromkeys(rows[view.category]))
    sort = view.sort
    if view.chart_type in ("line", "area") and sort in (None, "none"):
        return first_seen  # periods keep their order
    if not sort or sort == "none":
        return first_seen
    descending = sort.startswith("-")
    axis = sort.lstrip("-")
    if axis == view.value_axis:
        totals = rows.groupby(view.category, sort=False)[view.value_column_name()].sum(min_count=1)
        ranked = totals.reindex(first_seen).astype("Float64").fillna(-math.inf)
        return list(ranked.sort_values(ascending=not descending, kind="stable").index)
    return sorted(first_seen, reverse=descending)


def chart_table(data: ChartData) -> ChartTable:
    """The equivalent table: categories down, series (or the one value) across."""
    view, rows = data.view, data.frame
    value = data.value_column
    if data.series:
        pivot = rows.pivot(index=view.category, columns=view.series, values=value)
        pivot = pivot.reindex(index=data.categories, columns=data.series)
        body = [(c, [cell(v) for v in pivot.loc[c].tolist()]) for c in data.categories]
        return ChartTable(data.category_label, list(data.series), body, view.units)
    by_category = dict(zip(rows[view.category], rows[value], strict=True))
    body = [(c, [cell(by_category.get(c))]) for c in data.categories]
    return ChartTable(data.category_label, [data.value_label], body, view.units)


def cell(value: Any) -> Any:
    """A table value: ``None`` when missing, an int when whole, else the float."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def wrap(label: str, width: int = 18) -> str:
    return LINE_BREAK.join(textwrap.wrap(label, width)) or label


def label_step(data: ChartData) -> int:
    """Band width (px) wide enough for the longest value label above a bar."""
    values = data.frame[data.value_column].dropna()
    pattern = ",.0f" if number_format(data) == ",d" else ",.1f"
    longest = max((len(format(float(v), pattern)) for v in values), default=3)
    return max(24, int(6 * longest) + 6)


def number_format(data: ChartData) -> str:
    """d3 format for value labels: thousands separators, decimals only where the data has them."""
    values = data.frame[data.value_column].dropna()
    whole = all(float(v).is_integer() for v in values)
    return ",d" if whole else ",.1f"


def base_config() -> dict[str, Any]:
    """Vega-Lite config shared by every chart: palette, readable sizes, no background."""
    return {
        "background": "transparent",
        "font": "Liberation Sans, Arial, Helvetica, sans-serif",
        "lineBreak": LINE_BREAK,
        "view": {"stroke": None},
        "range": {"category": list(PALETTE)},
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 13,
            "labelColor": TEXT_COLOUR,
            "titleColor": TEXT_COLOUR,
            "domainColor": AXIS_COLOUR,
            "tickColor": AXIS_COLOUR,
            "gridColor": GRID_COLOUR,
            "labelLimit": 320,
            "tickCount": 5,
        },
        "legend": {
            "labelFontSize": 12,
            "titleFontSize": 13,
            "labelColor": TEXT_COLOUR,
            "titleColor": TEXT_COLOUR,
            "orient": "bottom",
            "labelLimit": 240,
        },
        "header": {
            "labelFontSize": 12,
            "titleFontSize": 13,
            "labelColor": TEXT_COLOUR,
            "titleColor": TEXT_COLOUR,
        },
        "text": {"fontSize": 12, "color": TEXT_COLOUR},
    }


def axis_title(label: str, units: str) -> str:
    return f"{label} ({units})" if units and units.lower() not in label.lower() else label


def build_spec(data: ChartData) -> dict[str, Any]:
    """The Vega-Lite spec of a simple view, with its rows inlined."""
    view = data.view
    chart = BUILDERS[view.chart_type](data)
    spec = chart.to_dict()
    spec["$schema"] = alt.SCHEMA_URL
    spec["config"] = merge_config(spec.get("config", {}), base_config())
    spec["description"] = view.description or view.title
    return spec


def merge_config(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """``first`` updated by ``second``, one level deep (``view``, ``axis``... merge)."""
    merged = dict(first)
    for key, value in second.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def source(data: ChartData) -> pd.DataFrame:
    """The inlined rows: the declared fields (original names) and the cell key."""
    view = data.view
    columns = [c for c in (view.category, view.series, data.value_column) if c]
    frame = data.frame[[*columns, CELL]].copy()
    frame[data.value_column] = frame[data.value_column].astype("float64")
    return frame


def value_encoding(data: ChartData, axis: str, **kwargs: Any):
    channel = alt.X if axis == "x" else alt.Y
    return channel(
        f"{vl_field(data.value_column)}:Q",
        title=axis_title(data.value_label, data.view.units),
        axis=alt.Axis(format=number_format(data)),
        **kwargs,
    )


def category_type(data: ChartData) -> str:
    return "T" if data.category_type in ("date", "datetime") else "N"


def labels(base: alt.Chart, data: ChartData, **mark: Any) -> alt.Chart:
    """Value labels beside the marks (not announced: the table carries the values)."""
    return base.mark_text(aria=False, **mark).encode(
        text=alt.Text(f"{vl_field(data.value_column)}:Q", format=number_format(data))
    )


def build_hbar(data: ChartData) -> alt.LayerChart:
    view = data.view
    base = alt.Chart(source(data)).encode(
        # No category title: the caption and the table name the axis, and Vega places a
        # title beside long labels badly.
        y=alt.Y(f"{vl_field(view.category)}:N", sort=data.categories, title=None),
        x=value_encoding(data, "x"),
    )
    bars = base.mark_bar(color=PALETTE[0]).encode(description=alt.Description(f"{CELL}:N"))
    return alt.layer(bars, labels(base, data, align="left", dx=4)).properties(
        width=WIDTH - 200, height=alt.Step(26)
    )


def build_bar(data: ChartData) -> alt.LayerChart:
    view = data.view
    base = alt.Chart(source(data)).encode(
        x=alt.X(
            f"{vl_field(view.category)}:N",
            sort=data.categories,
            title=data.category_label,
            axis=alt.Axis(labelAngle=0),
        ),
        y=value_encoding(data, "y"),
    )
    bars = base.mark_bar(color=PALETTE[0]).encode(description=alt.Description(f"{CELL}:N"))
    return alt.layer(bars, labels(base, data, baseline="bottom", dy=-4)).properties(
        width=alt.Step(max(40, WIDTH // max(len(data.categories), 1))), height=300
    )


def series_colour(data: ChartData, legend: bool = True) -> alt.Color:
    return alt.Color(
        f"{vl_field(data.view.series)}:N",
        sort=data.series,
        title=data.series_label,
        scale=alt.Scale(domain=data.series, range=list(PALETTE)),
        legend=alt.Legend() if legend else None,
    )


def build_grouped_bar(data: ChartData) -> alt.FacetChart:
    """One small group per category; each bar named by its series on the axis."""
    view = data.view
    frame = source(data)
    # Headers wrap to the width of their group, so long names never run into each other.
    width = label_step(data) * max(len(data.series), 1)
    frame["_group"] = frame[view.category].map(lambda label: wrap(label, max(8, width // 7)))
    groups = list(dict.fromkeys(frame["_group"]))
    base = alt.Chart().encode(
        x=alt.X(
            f"{vl_field(view.series)}:N",
            sort=data.series,
            title=None,
            axis=alt.Axis(labelAngle=-90),
        ),
        y=value_encoding(data, "y"),
    )
    bars = base.mark_bar().encode(
        color=series_colour(data, legend=False), description=alt.Description(f"{CELL}:N")
    )
    layered = alt.layer(bars, labels(base, data, baseline="bottom", dy=-3, fontSize=10))
    return layered.properties(width=alt.Step(label_step(data)), height=260).facet(
        data=frame,
        column=alt.Column(
            "_group:N",
            sort=groups,
            title=data.category_label,
            header=alt.Header(labelOrient="bottom", titleOrient="bottom", labelLineHeight=14),
        ),
        spacing=16,
    )


def stacked_frame(data: ChartData) -> pd.DataFrame:
    """Source rows with each segment's middle, for the direct series labels."""
    frame = source(data)
    view = data.view
    frame["_series_order"] = frame[view.series].map({s: i for i, s in enumerate(data.series)})
    values = frame[data.value_column].fillna(0)
    frame["_end"] = values.groupby(frame[view.category]).cumsum()
    frame["_mid"] = frame["_end"] - values / 2
    return frame


def build_stacked_bar(data: ChartData) -> alt.LayerChart:
    """Stacked bars; the last bar's segments are named directly at its right."""
    view = data.view
    frame = stacked_frame(data)
    x = alt.X(
        f"{vl_field(view.category)}:N",
        sort=data.categories,
        title=data.category_label,
        axis=alt.Axis(labelAngle=0),
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(stroke=GAP_COLOUR, strokeWidth=1)
        .encode(
            x=x,
            y=value_encoding(data, "y", stack="zero"),
            color=series_colour(data),
            order=alt.Order("_series_order:Q"),
            description=alt.Description(f"{CELL}:N"),
        )
    )
    totals = source(data).groupby(view.category, sort=False)[data.value_column].sum().reset_index()
    total_labels = (
        alt.Chart(totals)
        .mark_text(aria=False, baseline="bottom", dy=-4)
        .encode(
            x=x,
            y=alt.Y(f"{vl_field(data.value_column)}:Q"),
            text=alt.Text(f"{vl_field(data.value_column)}:Q", format=number_format(data)),
        )
    )
    last = frame[frame[view.category] == data.categories[-1]]
    names = (
        alt.Chart(last)
        .mark_text(aria=False, align="left", dx=24)
        .encode(x=x, y=alt.Y("_mid:Q"), text=alt.Text(f"{vl_field(view.series)}:N"))
    )
    return alt.layer(bars, total_labels, names).properties(width=alt.Step(44), height=300)


def build_line(data: ChartData, area: bool = False) -> alt.LayerChart:
    """Lines (or areas) over periods; series named at their last point."""
    view = data.view
    frame = stacked_frame(data) if (area and view.series) else source(data)
    x = alt.X(
        f"{vl_field(view.category)}:{category_type(data)}",
        sort=data.categories,
        title=data.category_label,
        axis=alt.Axis(labelAngle=0),
        # Room at both ends, so the first and last labels clear the axes.
        scale=alt.Scale(padding=24) if category_type(data) == "T" else alt.Undefined,
    )
    colour = series_colour(data) if view.series else alt.value(PALETTE[0])
    encoding: dict[str, Any] = {"x": x, "color": colour}
    if view.series:
        encoding["detail"] = alt.Detail(f"{vl_field(view.series)}:N")
    y_stack = "zero" if area else None
    lines = alt.Chart(frame).encode(y=value_encoding(data, "y", stack=y_stack), **encoding)
    drawn = (
        lines.mark_area(opacity=1, line={"strokeWidth": 2}, stroke=GAP_COLOUR)
        if area
        else lines.mark_line(strokeWidth=3)
    )
    point_y = (
        alt.Y("_end:Q") if (area and view.series) else alt.Y(f"{vl_field(data.value_column)}:Q")
    )
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=60, opacity=1)
        .encode(y=point_y, description=alt.Description(f"{CELL}:N"), **encoding)
    )
    layers: list[alt.Chart] = [drawn, points]
    if view.series:
        last = frame[frame[view.category] == data.categories[-1]]
        label_y = "_mid" if area else data.value_column
        layers.append(
            alt.Chart(last)
            .mark_text(aria=False, align="left", dx=8)
            .encode(
                x=x, y=alt.Y(f"{vl_field(label_y)}:Q"), text=alt.Text(f"{vl_field(view.series)}:N")
            )
        )
    else:
        layers.append(
            labels(
                alt.Chart(frame).encode(x=x, y=alt.Y(f"{vl_field(data.value_column)}:Q")),
                data,
                baseline="bottom",
                dy=-8,
            )
        )
    return alt.layer(*layers).properties(width=WIDTH - 120, height=300)


def build_area(data: ChartData) -> alt.LayerChart:
    return build_line(data, area=True)


def build_point(data: ChartData) -> alt.LayerChart:
    """A dot plot: categories across, values up; series by colour and shape (never colour alone)."""
    view = data.view
    x = alt.X(
        f"{vl_field(view.category)}:{category_type(data)}",
        sort=data.categories,
        title=data.category_label,
        axis=alt.Axis(labelAngle=0),
    )
    base = alt.Chart(source(data)).encode(x=x, y=value_encoding(data, "y"))
    encoding: dict[str, Any] = {"description": alt.Description(f"{CELL}:N")}
    if view.series:
        encoding["color"] = series_colour(data)
        encoding["shape"] = alt.Shape(
            f"{vl_field(view.series)}:N", sort=data.series, title=data.series_label
        )
        dots = base.mark_point(filled=True, size=90, opacity=1).encode(**encoding)
    else:
        dots = base.mark_point(filled=True, size=90, opacity=1, color=PALETTE[0]).encode(**encoding)
    return alt.layer(dots, labels(base, data, align="left", dx=8)).properties(
        width=alt.Step(max(48, WIDTH // max(len(data.categories), 1))), height=300
    )


BUILDERS = {
    "hbar": build_hbar,
    "bar": build_bar,
    "grouped-bar": build_grouped_bar,
    "stacked-bar": build_stacked_bar,
    "line": build_line,
    "area": build_area,
    "point": build_point,
}


def build_vega_lite(view: ViewSpec, frame: pd.DataFrame) -> tuple[dict[str, Any], pd.DataFrame]:
    """A declared Vega-Lite spec with the (filtered) resource rows inlined and the palette."""
    rows = apply_filter(frame, view.filter)
    spec = copy.deepcopy(view.vega_lite or {})
    spec["$schema"] = alt.SCHEMA_URL
    spec["data"] = {"values": records(rows)}
    spec.setdefault("description", view.description or view.title)
    # The editor's config wins over Moldir's defaults (but cannot bring data or code).
    spec["config"] = merge_config(base_config(), spec.get("config", {}))
    return spec, rows
