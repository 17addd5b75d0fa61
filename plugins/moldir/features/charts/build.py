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
from dataclasses import dataclass, field, replace
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from moldir.features.charts.localize import (
    Layout,
    label_expression,
    nice_ticks,
    tick_formatter,
    value_formatter,
)
from moldir.features.charts.palette import (
    AXIS_COLOUR,
    GAP_COLOUR,
    GRID_COLOUR,
    PALETTE,
    TEXT_COLOUR,
)
from moldir.features.charts.sizing import (
    COARSER,
    LABELLED_MARKS,
    MAX_BARS,
    MAX_POINTS,
    MAX_SERIES,
    YEAR,
    Reduction,
    axis_time_format,
    iso_for_vega,
    period_start,
    sample_series,
    time_granularity,
    time_labels,
    to_timestamps,
)
from moldir.features.charts.spec import (
    SERIES_COLUMN,
    VALUE_COLUMN,
    ViewSpec,
    X,
    apply_filter,
    apply_predicates,
    numeric_column,
    view_frame,
)
from moldir.model.dataset import Field, Resource
from moldir.pipeline.tables import records

CELL = "_cell"  # "row-column" of the table cell a mark shows (tooltips, tests)
LABEL = "_label"  # the value as the chart writes it, in the page's language
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
    """The rows a chart draws, in drawing order, with their labels.

    ``view`` is the view as drawn (a data-hub bar chart of several series is a grouped
    bar chart here; rows sharing an x may have been split into series). ``axis`` is how
    the category runs: "T" (time), "Q" (numbers) or "N" (named categories); for "T" and
    "Q" the column ``X`` holds the drawn position. ``full`` holds the rows before they
    were thinned (sizing.py), for the text alternative's facts.
    """

    view: ViewSpec
    frame: pd.DataFrame
    categories: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    category_label: str = ""
    value_label: str = ""
    series_label: str = ""
    category_type: str = "string"
    axis: str = "N"
    granularity: str | None = None
    time_format: str = "%Y"
    time_ticks: dict[str, Any] | None = None
    reductions: list[Reduction] = field(default_factory=list)
    full: pd.DataFrame | None = None

    @property
    def value_column(self) -> str:
        return self.view.value_column_name()

    @property
    def reduced(self) -> bool:
        """Whether the drawing leaves figures out (the table then lists the drawn ones)."""
        return any(
            r.kind in ("sample", "period-mean", "largest", "series") for r in self.reductions
        )

    @property
    def dense(self) -> bool:
        """Too many marks per series for points, value labels and keyboard stops."""
        per_series = len(self.frame) / max(len(self.series), 1)
        return per_series > LABELLED_MARKS


def field_map(resource: Resource | None) -> dict[str, Field]:
    return {f.name: f for f in resource.fields} if resource is not None else {}


def as_label(value: Any) -> str:
    """A category or series value as shown on axes and in tables."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        if value.is_integer():
            return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return str(value)


def label_of(name: str | None, fields: dict[str, Field]) -> str:
    if name is None:
        return ""
    if name in fields:
        return fields[name].label
    return {SERIES_COLUMN: "Series", VALUE_COLUMN: "Value"}.get(name, name)


def prepare(view: ViewSpec, frame: pd.DataFrame, resource: Resource | None) -> ChartData:
    """Filter, aggregate, order and (for large data) thin the rows of a view."""
    fields = field_map(resource)
    if view.static_rows is not None:
        fields = {f.name: f for f in view.static_fields}
    rows = apply_predicates(apply_filter(view_frame(view, frame), view.filter), view.predicates)
    rows = rows.copy()
    reductions: list[Reduction] = []
    if view.wide:
        labels = {name: label_of(name, fields) for name in view.values}
        rows = rows.melt(
            id_vars=[view.category],
            value_vars=list(view.values),
            var_name=SERIES_COLUMN,
            value_name=VALUE_COLUMN,
        )
        rows[SERIES_COLUMN] = rows[SERIES_COLUMN].map(labels)
    if view.is_foreign:
        view, rows, notes = resolve_duplicates(view, rows, fields)
        reductions.extend(notes)
        view = drawable_type(view)
    category, series, value = view.category, view.series, view.value_column_name()
    keys = [k for k in (category, series) if k]
    if view.aggregate:
        grouped = rows.groupby(keys, sort=False, dropna=False)
        if view.aggregate == COUNT:
            rows = grouped.size().rename(value).reset_index()
        else:
            rows = grouped[view.value].agg(view.aggregate).reset_index()
    rows = rows[[*keys, value]].copy()
    numbers = numeric_column(rows[value])
    rows[value] = (
        numbers if numbers is not None else pd.to_numeric(rows[value], errors="coerce")
    ).astype("Float64")
    if view.y_scale == "log":
        positive = rows[value].isna() | (rows[value] > 0)
        if not positive.all():
            reductions.append(Reduction("log", int(positive.sum()), len(rows)))
            rows = rows[positive]
    if series:
        rows[series] = rows[series].map(as_label)
    category_field = fields.get(category)
    axis, granularity = category_axis(view, rows[category], category_field)
    time_format, time_ticks = "%Y", None
    if axis == "T":
        stamps = to_timestamps(rows[category], granularity)
        rows = rows[stamps.notna()].copy()
        stamps = stamps[stamps.notna()]
        rows[X], rows[category] = iso_for_vega(stamps), time_labels(stamps, granularity)
        rows["_position"] = stamps.astype("int64")
        time_format, time_ticks = axis_time_format(stamps, granularity)
    elif axis == "Q":
        rows[X] = pd.to_numeric(rows[category], errors="coerce").astype("float64")
        rows = rows[rows[X].notna()].copy()
        rows["_position"] = rows[X]
        rows[category] = rows[category].map(as_label)
    else:
        rows[category] = rows[category].map(as_label)
    full = rows.copy()
    rows, granularity, notes = fit_to_chart(view, rows, axis, granularity)
    reductions.extend(notes)
    if axis == "T" and any(note.kind == "period-mean" for note in notes):
        time_format, time_ticks = axis_time_format(pd.to_datetime(rows[X], utc=True), granularity)
    if axis in ("T", "Q"):
        rows = rows.sort_values("_position", kind="stable")
        categories = list(dict.fromkeys(rows[category]))
    else:
        categories = order_categories(view, rows)
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
    if series:
        full = full[full[series].isin(series_values)]
    return ChartData(
        view=view,
        frame=rows.reset_index(drop=True),
        categories=categories,
        series=series_values,
        category_label=label_of(category, fields),
        value_label=label_of(view.value, fields) if view.value else "Count",
        series_label=label_of(series, fields),
        category_type=category_field.type if category_field else "string",
        axis=axis,
        granularity=granularity,
        time_format=time_format,
        time_ticks=time_ticks,
        reductions=reductions,
        full=full.reset_index(drop=True),
    )


def drawable_type(view: ViewSpec) -> ViewSpec:
    """A foreign bar chart of several series: grouped as data-hub's Plotly draws them,
    stacked as Plot's barY stacks them; a pie of several series shows its first."""
    if not view.series:
        return view
    if view.chart_type == "bar":
        kind = "stacked-bar" if view.source == "plot" else "grouped-bar"
        return replace(view, chart_type=kind)
    if view.chart_type == "hbar":
        return replace(view, chart_type="stacked-bar", x=view.y, y=view.x, sort=None)
    return view


def resolve_duplicates(
    view: ViewSpec, rows: pd.DataFrame, fields: dict[str, Field]
) -> tuple[ViewSpec, pd.DataFrame, list[Reduction]]:
    """Rows of a foreign view sharing one x (and series). data-hub draws them all on one
    line, zigzagging; Moldir splits them into series by a text column that tells them
    apart (global temperatures by "Source"), or else draws their mean, and says so."""
    keys = [k for k in (view.category, view.series) if k]
    if not rows.duplicated(subset=keys).any():
        return view, rows, []
    value = view.value_column_name()
    if view.series is None:
        for column in rows.columns:
            if column in (view.category, value) or column.startswith("_"):
                continue
            if pd.api.types.is_numeric_dtype(rows[column]):
                continue
            count = rows[column].nunique(dropna=True)
            if (
                2 <= count <= MAX_SERIES
                and not rows.duplicated(subset=[view.category, column]).any()
            ):
                note = Reduction("split", count, count, label_of(column, fields))
                return replace(view, series=column), rows, [note]
    numbers = numeric_column(rows[value])
    rows = rows.assign(**{value: numbers if numbers is not None else rows[value]})
    grouped = rows.groupby(keys, sort=False, dropna=False)[value].mean().reset_index()
    note = Reduction("mean", len(grouped), len(rows), label_of(view.category, fields))
    return view, grouped, [note]


def category_axis(view: ViewSpec, column: pd.Series, found: Field | None) -> tuple[str, str | None]:
    """How the category runs: time ("T"), numbers ("Q") or named categories ("N")."""
    if view.chart_type == "hbar":
        return "N", None
    forced = view.category in view.temporal_fields
    granularity = time_granularity(found, column, forced)
    many = column.nunique(dropna=True) > LABELLED_MARKS
    if view.chart_type in ("line", "area", "point"):
        if granularity:
            return "T", granularity
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        return ("Q" if numeric and many else "N"), None
    if view.chart_type == "bar" and granularity and many:
        return "T", granularity
    return "N", granularity


def fit_to_chart(
    view: ViewSpec, rows: pd.DataFrame, axis: str, granularity: str | None
) -> tuple[pd.DataFrame, str | None, list[Reduction]]:
    """Thin rows that would not fit a chart (sizing.py): series, then points or bars."""
    notes: list[Reduction] = []
    category, series, value = view.category, view.series, view.value_column_name()
    continuous = axis in ("T", "Q")
    if series:
        names = list(dict.fromkeys(rows[series]))
        if len(names) > MAX_SERIES:
            if continuous:
                ordered = rows.dropna(subset=[value]).sort_values("_position", kind="stable")
                rank = ordered.groupby(series, sort=False)[value].last()
            else:
                rank = rows.groupby(series, sort=False)[value].sum(min_count=1)
            kept = list(rank.astype("float64").fillna(-math.inf).nlargest(MAX_SERIES).index)
            rows = rows[rows[series].isin(kept)]
            notes.append(Reduction("series", len(kept), len(names)))
    series_count = rows[series].nunique() if series else 1
    if view.chart_type in ("line", "point") or (view.chart_type == "area" and not series):
        drawn = int(rows[value].notna().sum())
        if continuous and drawn > MAX_POINTS:
            rows = sample_series(rows, X, value, series, MAX_POINTS)
            notes.append(Reduction("sample", len(rows), drawn))
        return rows, granularity, notes
    if view.chart_type == "area":
        positions = rows["_position"].drop_duplicates().sort_values() if continuous else None
        if positions is not None and len(positions) * series_count > MAX_POINTS:
            # Stacked areas need every series at the same x: one evenly spaced subset.
            keep = max(2, MAX_POINTS // series_count)
            chosen = positions.iloc[np.linspace(0, len(positions) - 1, keep).astype(int)]
            total = len(rows)
            rows = rows[rows["_position"].isin(set(chosen))]
            notes.append(Reduction("sample", len(rows), total))
        return rows, granularity, notes
    limit = max(6, MAX_BARS // max(series_count, 1))
    periods = rows[category].nunique()
    if granularity and periods > limit:
        stamps = (
            pd.to_datetime(rows[X], utc=True)
            if X in rows
            else to_timestamps(rows[category], granularity)
        )
        unit = granularity
        while periods > limit and unit in COARSER:
            unit = COARSER[unit]
            starts = period_start(stamps, unit)
            periods = starts.nunique()
        total = len(rows)
        keys = [k for k in (series,) if k]
        grouped = rows.assign(_start=starts).groupby(["_start", *keys], sort=True)
        rows = grouped[value].mean().reset_index()
        label_unit = YEAR if unit == "decade" else unit
        rows[category] = time_labels(rows["_start"], label_unit)
        if unit == "decade":
            rows[category] = rows[category].map(lambda year: f"{year}s")
        rows[X] = iso_for_vega(rows["_start"])
        rows["_position"] = rows["_start"].astype("int64")
        rows = rows.drop(columns="_start")
        notes.append(Reduction("period-mean", len(rows), total, unit))
        return rows, (YEAR if unit == "decade" else unit), notes
    if not granularity and periods > limit:
        totals = rows.groupby(category, sort=False)[value].sum(min_count=1)
        kept = set(totals.astype("float64").fillna(-math.inf).nlargest(limit).index)
        rows = rows[rows[category].isin(kept)]
        notes.append(Reduction("largest", len(kept), periods))
    return rows, granularity, notes


def vl_field(name: str) -> str:
    """A column name as a Vega-Lite field reference: dots and brackets would otherwise
    be read as nested access ("Calls (max.)" must not mean the property ")" of "Calls (max")."""
    return re.sub(r"([.\[\]\\])", r"\\\1", name)


def order_categories(view: ViewSpec, rows: pd.DataFrame) -> list[str]:
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
        unique = rows.drop_duplicates(subset=[view.category, view.series])
        pivot = unique.pivot(index=view.category, columns=view.series, values=value)
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


def label_step(data: ChartData, layout: Layout | None = None) -> int:
    """Band width (px) wide enough for the longest value label above a bar."""
    write = writer(data, layout or Layout())
    values = data.frame[data.value_column].dropna()
    longest = max((len(write(v)) for v in values), default=3)
    return max(24, int(7 * longest) + 6)


def writer(data: ChartData, layout: Layout):
    """The chart's value labels in the layout's language (localize.value_formatter)."""
    values = [float(v) for v in data.frame[data.value_column].dropna()]
    return value_formatter(values, data.view.units, layout.lang)


def number_format(data: ChartData) -> str:
    """d3 format for value labels: thousands separators, decimals only where the data has them."""
    values = data.frame[data.value_column].dropna()
    whole = all(float(v).is_integer() for v in values)
    return ",d" if whole else ",.1f"


def base_config() -> dict[str, Any]:
    """Vega-Lite config shared by every chart: palette, readable sizes (never below 12 px
    at the chart's natural size), no background, no grid unless a chart asks for one."""
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
            "grid": False,
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


def build_spec(data: ChartData, layout: Layout | None = None) -> dict[str, Any]:
    """The Vega-Lite spec of a simple view for one layout (language and geometry), with
    its rows inlined. Narrow bar charts are drawn as rows (``build_rows``): a label above
    each bar, the value at its end, as phone-sized charts are read."""
    layout = layout or Layout()
    view = data.view
    builder = BUILDERS[view.chart_type]
    if layout.narrow and drawn_as_rows(data):
        builder = build_rows
    elif view.chart_type == "grouped-bar" and grouped_width(data, layout) > layout.width:
        builder = build_rows  # small groups side by side would not fit: rows do
    chart = builder(data, layout)
    extra = annotation_layers(data, layout)
    if extra and isinstance(chart, alt.LayerChart):
        chart.layer = [*chart.layer, *extra]
    # The rows were thinned before (sizing.py); Altair's 5,000-row guard must not stop a
    # chart whose few thousand rows are all wanted (a stacked area, many categories).
    with alt.data_transformers.disable_max_rows():
        # Not validated here (jsonschema took most of the drawing time): the tests validate
        # every chart type's spec against the Vega-Lite schema.
        spec = chart.to_dict(validate=False)
    spec["$schema"] = alt.SCHEMA_URL
    spec["config"] = merge_config(spec.get("config", {}), base_config())
    spec["description"] = view.description or view.title
    if "facet" not in spec and builder is not build_stacked_bar:
        # The whole drawing, axes and labels included, is the layout's width; Vega fits
        # the plot to it but not the text beyond the plot's edge (values at the ends of
        # bars, series names after lines), so that text gets its room as padding.
        spec["width"] = layout.width
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
        right = right_room(data, builder, layout)
        spec["padding"] = {"left": 5, "top": 5, "bottom": 5, "right": right}
    return spec


def drawn_as_rows(data: ChartData) -> bool:
    """Whether narrow drawings of the chart are rows (bar charts of named categories): only
    those have a compact drawing too (docs/charts.md)."""
    view = data.view
    return view.chart_type in ("hbar", "grouped-bar") or (
        view.chart_type == "bar" and data.axis == "N" and not data.dense
    )


def right_room(data: ChartData, builder: Any, layout: Layout) -> int:
    """Px of text that may stand right of the plot: the longest value label after a bar,
    the longest line of a series name after a line, half a value label above a point."""
    labels = [str(v) for v in source(data, layout)[LABEL]]
    longest = max((len(label) for label in labels), default=0) * CHAR_PX
    if builder is build_rows and layout.compact:
        return 5
    if builder in (build_hbar, build_rows):
        return longest + 8
    if data.view.chart_type in ("line", "area", "point"):
        wrap_at = 8 if layout.compact else 14 if layout.narrow else 24
        names = [line for s in data.series for line in wrap(str(s), wrap_at).split(LINE_BREAK)]
        named = max((len(name) for name in names), default=0) * CHAR_PX + 12
        return max(5, named if data.view.series else longest // 2 + 4)
    return 5


def merge_config(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """``first`` updated by ``second``, one level deep (``view``, ``axis``... merge)."""
    merged = dict(first)
    for key, value in second.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def source(data: ChartData, layout: Layout | None = None) -> pd.DataFrame:
    """The inlined rows: the declared fields (original names), the drawn position, the
    cell key and the value as written in the layout's language."""
    view = data.view
    columns = [c for c in (view.category, view.series, data.value_column) if c]
    if data.axis in ("T", "Q"):
        columns.append(X)
    frame = data.frame[[*dict.fromkeys(columns), CELL]].copy()
    frame[data.value_column] = frame[data.value_column].astype("float64")
    write = writer(data, layout or Layout())
    frame[LABEL] = [write(v) for v in frame[data.value_column]]
    return frame


def title_or(override: str | None, default: str) -> str | None:
    """A Plot view's axis label ("" for none) or Moldir's default title."""
    if override is None:
        return default
    return override or None


def value_title(data: ChartData) -> str | None:
    view = data.view
    override = view.x_title if view.chart_type == "hbar" else view.y_title
    return title_or(override, axis_title(data.value_label, view.units))


def category_title(data: ChartData) -> str | None:
    view = data.view
    override = view.y_title if view.chart_type == "hbar" else view.x_title
    return title_or(override, data.category_label)


def value_ticks(data: ChartData, layout: Layout, stacked: bool = False) -> list[float]:
    """Round ticks over the drawn values (stacked: over the totals)."""
    values = data.frame[data.value_column].astype("float64")
    if stacked and data.view.series:
        values = values.fillna(0).groupby(data.frame[data.view.category]).sum()
    values = values.dropna()
    low = float(values.min()) if len(values) else 0.0
    high = float(values.max()) if len(values) else 1.0
    # Ranked bars leave about half the width to the values: fewer ticks there.
    count = 3 if data.view.chart_type == "hbar" else layout.tick_count
    return nice_ticks(low, high, count)


def value_axis(
    data: ChartData, layout: Layout, grid: bool = False, stacked: bool = False, **kwargs: Any
) -> alt.Axis:
    """The value axis: a few round ticks written for people ("2 bn", "2 млрд"; no ".0");
    a grid only where no value labels sit (grid lines never cross text)."""
    view = data.view
    if view.value_format or view.y_scale == "log":
        return alt.Axis(format=view.value_format or number_format(data), grid=grid, **kwargs)
    ticks = value_ticks(data, layout, stacked)
    write = tick_formatter(view.units, layout.lang, ticks)
    return alt.Axis(values=ticks, labelExpr=label_expression(ticks, write), grid=grid, **kwargs)


def value_encoding(
    data: ChartData,
    axis: str,
    layout: Layout | None = None,
    grid: bool = False,
    stacked: bool = False,
    **kwargs: Any,
):
    channel = alt.X if axis == "x" else alt.Y
    layout = layout or Layout()
    view = data.view
    if view.y_scale == "log":
        kwargs.setdefault("scale", alt.Scale(type="log"))
    elif not view.value_format:
        ticks = value_ticks(data, layout, stacked)
        kwargs.setdefault("scale", alt.Scale(domain=[ticks[0], ticks[-1]], nice=False))
    return channel(
        f"{vl_field(data.value_column)}:Q",
        title=value_title(data),
        axis=value_axis(data, layout, grid, stacked),
        **kwargs,
    )


def category_type(data: ChartData) -> str:
    return {"T": "T", "Q": "Q"}.get(data.axis, "N")


def category_encoding(data: ChartData, layout: Layout | None = None, **kwargs: Any) -> alt.X:
    """The category along x: a UTC time axis, a number axis, or named categories. Labels
    that would overlap are left out (greedily) rather than drawn over each other."""
    view = data.view
    narrow = layout is not None and layout.narrow
    common: dict[str, Any] = {"labelAngle": 0, "labelOverlap": "greedy", "labelFlush": True}
    if data.axis == "T":
        ticks: Any = data.time_ticks
        if narrow:
            # Half as many ticks on a phone: every other year (or month).
            ticks = (
                {**data.time_ticks, "step": 2 * int(data.time_ticks.get("step") or 1)}
                if data.time_ticks
                else 4
            )
        axis = alt.Axis(format=data.time_format, formatType="utc", **common)
        if ticks:
            axis = alt.Axis(format=data.time_format, formatType="utc", tickCount=ticks, **common)
        return alt.X(
            f"{X}:T",
            title=category_title(data),
            axis=axis,
            # Room at both ends, so the first and last labels clear the axes.
            scale=alt.Scale(type="utc", padding=12),
            **kwargs,
        )
    if data.axis == "Q":
        whole = bool((data.frame[X].dropna() % 1 == 0).all())
        return alt.X(
            f"{X}:Q",
            title=category_title(data),
            axis=alt.Axis(format="d" if whole else ",", tickCount=4 if narrow else 8, **common),
            scale=alt.Scale(zero=False, nice=False, padding=12),
            **kwargs,
        )
    return alt.X(
        f"{vl_field(view.category)}:N",
        sort=data.categories,
        title=category_title(data),
        axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
        **kwargs,
    )


def labels(base: alt.Chart, data: ChartData, **mark: Any) -> alt.Chart:
    """Value labels beside the marks (not announced: the table carries the values),
    written in the page's language (the ``_label`` column of ``source``)."""
    return base.mark_text(aria=False, **mark).encode(text=alt.Text(f"{LABEL}:N"))


def annotation_layers(data: ChartData, layout: Layout | None = None) -> list[alt.Chart]:
    """A Plot view's reference lines and notes, on the chart's own scales."""
    layers: list[alt.Chart] = []
    notes = data.view.annotations
    if not notes or data.view.chart_type == "hbar":
        return layers
    x_type = category_type(data)

    def position(value: Any) -> Any:
        if x_type == "T":
            stamp = to_timestamps(pd.Series([value]), data.granularity or YEAR).iloc[0]
            return None if pd.isna(stamp) else stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        if x_type == "Q":
            number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
            return None if pd.isna(number) else float(number)
        return None  # named categories: a note at a category would add one

    def number(value: Any) -> float | None:
        found = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
        if pd.isna(found) or (data.view.y_scale == "log" and found <= 0):
            return None
        return float(found)

    x_title, y_title = category_title(data), value_title(data)
    rules_x = [p for p in (position(n.x) for n in notes if n.kind == "rule-x") if p is not None]
    rules_y = [v for v in (number(n.y) for n in notes if n.kind == "rule-y") if v is not None]
    texts = [
        {X: position(n.x), "_y": number(n.y), "_text": n.text} for n in notes if n.kind == "text"
    ]
    texts = [t for t in texts if t[X] is not None and t["_y"] is not None]
    style = {"aria": False, "color": AXIS_COLOUR, "strokeDash": [4, 4], "strokeWidth": 1}
    if rules_x:
        layers.append(
            alt.Chart(pd.DataFrame({X: rules_x}))
            .mark_rule(**style)
            .encode(x=alt.X(f"{X}:{x_type}", title=x_title))
        )
    if rules_y:
        layers.append(
            alt.Chart(pd.DataFrame({"_y": rules_y}))
            .mark_rule(**style)
            .encode(y=alt.Y("_y:Q", title=y_title))
        )
    if texts:
        layers.append(
            alt.Chart(pd.DataFrame(texts))
            .mark_text(aria=False, align="left", dx=4, dy=-4, color=TEXT_COLOUR)
            .encode(
                x=alt.X(f"{X}:{x_type}", title=x_title),
                y=alt.Y("_y:Q", title=y_title),
                text=alt.Text("_text:N"),
            )
        )
    return layers


def build_hbar(data: ChartData, layout: Layout) -> alt.LayerChart:
    """Ranked bars with their names beside them, wrapped onto a second line (never cut
    with "…"), values at their ends."""
    view = data.view
    frame = source(data, layout)
    names = {c: wrap(c, HBAR_NAME_CHARS) for c in data.categories}
    frame["_name"] = frame[view.category].map(names)
    lines = max((name.count(LINE_BREAK) + 1 for name in names.values()), default=1)
    base = alt.Chart(frame).encode(
        # No category title: the caption and the table name the axis, and Vega places a
        # title beside long labels badly.
        y=alt.Y(
            "_name:N",
            sort=[names[c] for c in data.categories],
            title=None,
            axis=alt.Axis(labelLimit=0, labelLineHeight=14),
        ),
        x=value_encoding(data, "x", layout),
    )
    step = 26 if len(data.categories) <= LABELLED_MARKS else 14
    if lines > 1:
        step = max(step, 14 * lines + 6)
    # Bars keep one thickness however many lines their names take.
    bars = base.mark_bar(color=PALETTE[0], height=min(step - 6, 20)).encode(
        description=alt.Description(f"{CELL}:N")
    )
    return alt.layer(bars, labels(base, data, align="left", dx=4)).properties(
        width=layout.width - 200, height=alt.Step(step)
    )


HBAR_NAME_CHARS = 40  # about 260 px of 12 px text beside the bars


# Narrow rows: a label line above each bar, then the bar; px at the natural size.
ROW_BAR = 14
ROW_LINE = 15
BOLD_CHAR_PX = 8
CHAR_PX = 7  # an average character of 12 px Liberation Sans, rounded up


def build_rows(data: ChartData, layout: Layout) -> alt.LayerChart:
    """A bar chart as phones read it: one row per bar, its name above it (the whole width,
    wrapped, never cut), the value at its end. Grouped bars become groups of rows under a
    bold category heading, each bar named by its series. Rows are laid out here, in px,
    so that each takes the lines its name needs."""
    view = data.view
    frame = source(data, layout)
    chars = max(10, (layout.width - 10) // CHAR_PX)
    head_chars = max(10, (layout.width - 10) // BOLD_CHAR_PX)
    grouped = bool(view.series) and view.chart_type == "grouped-bar"
    order = {c: i for i, c in enumerate(data.categories)}
    frame = frame.assign(_o=frame[view.category].map(order)).sort_values("_o", kind="stable")
    records: list[dict[str, Any]] = []
    top = 0.0

    def add(text: str, head: int, **values: Any) -> None:
        nonlocal top
        width = head_chars if head else chars
        wrapped = LINE_BREAK.join(wrap(line, width) for line in str(text).split(LINE_BREAK))
        lines = wrapped.count(LINE_BREAK) + 1
        record = {"_text": wrapped, "_head": head, "_top": top, **values}
        top += lines * ROW_LINE + 2
        if not head:
            record["_bar_top"], record["_bar_bottom"] = top, top + ROW_BAR
            record["_middle"] = top + ROW_BAR / 2
            top += ROW_BAR
        top += 8 if not head else 2
        records.append(record)

    for category, rows in frame.groupby("_o", sort=True):
        name = data.categories[int(category)]
        if grouped:
            top += 6 if records else 0
            add(name, 1)
        for record in rows.to_dict(orient="records"):
            value = record[data.value_column]
            text = str(record[view.series] if grouped else name)
            if layout.compact:
                # Too narrow for a value after the bar: it is written under the name.
                text = f"{wrap(text, chars)}{LINE_BREAK}{record[LABEL]}"
            add(
                text,
                0,
                _value=None if pd.isna(value) else float(value),
                _end=0.0 if pd.isna(value) else max(float(value), 0.0),
                _series=record[view.series] if grouped else "",
                **{LABEL: record[LABEL], CELL: record[CELL]},
            )
    rows = pd.DataFrame(records)
    height = max(math.ceil(top), 1)
    y_scale = alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)
    ticks = value_ticks(data, layout)
    write = tick_formatter(view.units, layout.lang, ticks)
    x_scale = alt.Scale(domain=[ticks[0], ticks[-1]], nice=False)
    # The title starts at the left edge and wraps, so it never runs past the drawing.
    title = value_title(data)
    title_lines = wrap(title, head_chars).split(LINE_BREAK) if title else None
    x_axis = alt.Axis(
        values=ticks,
        labelExpr=label_expression(ticks, write),
        grid=False,
        labelFlush=True,
        titleAnchor="start",
        titleAlign="left",
    )
    x = alt.X("_value:Q", title=title_lines, scale=x_scale, axis=x_axis)
    bar_rows = alt.Chart(rows).transform_filter(alt.datum._head == 0)
    colour: Any = (
        alt.Color(
            "_series:N", scale=alt.Scale(domain=data.series, range=list(PALETTE)), legend=None
        )
        if grouped
        else alt.value(PALETTE[0])
    )
    bars = bar_rows.mark_bar().encode(
        x=x,
        x2=alt.datum(0),
        y=alt.Y("_bar_top:Q", scale=y_scale, axis=None),
        y2="_bar_bottom:Q",
        color=colour,
        description=alt.Description(f"{CELL}:N"),
    )
    names = [
        alt.Chart(rows)
        .transform_filter(alt.datum._head == head)
        .mark_text(aria=False, align="left", baseline="top", lineHeight=ROW_LINE, fontWeight=weight)
        .encode(x=alt.value(0), y=alt.Y("_top:Q", scale=y_scale, axis=None), text="_text:N")
        for head, weight in ((0, "normal"), (1, "bold"))
        if head == 0 or grouped
    ]
    values = bar_rows.mark_text(aria=False, align="left", baseline="middle", dx=4).encode(
        x=alt.X("_end:Q", title=title_lines, scale=x_scale, axis=x_axis),
        y=alt.Y("_middle:Q", scale=y_scale, axis=None),
        text=alt.Text(f"{LABEL}:N"),
    )
    layers = [bars, *names] if layout.compact else [bars, *names, values]
    return alt.layer(*layers).properties(height=height)


def build_bar(data: ChartData, layout: Layout) -> alt.LayerChart:
    base = alt.Chart(source(data, layout)).encode(
        x=category_encoding(data), y=value_encoding(data, "y", layout, grid=data.dense)
    )
    count = max(len(data.categories), 1)
    plot = layout.width - 120
    if data.axis == "T":
        # Many periods: bars on a time axis, as wide as their share of the plot.
        width = max(1.0, plot / count * 0.8)
        bars = base.mark_bar(color=PALETTE[0], width=width).encode(
            description=alt.Description(f"{CELL}:N")
        )
        layers = [bars] if data.dense else [bars, labels(base, data, baseline="bottom", dy=-4)]
        return alt.layer(*layers).properties(width=plot, height=300)
    bars = base.mark_bar(color=PALETTE[0]).encode(description=alt.Description(f"{CELL}:N"))
    layers = [bars] if data.dense else [bars, labels(base, data, baseline="bottom", dy=-4)]
    return alt.layer(*layers).properties(width=plot, height=300)


def series_colour(data: ChartData, legend: bool = True) -> alt.Color:
    return alt.Color(
        f"{vl_field(data.view.series)}:N",
        sort=data.series,
        title=data.series_label,
        scale=alt.Scale(domain=data.series, range=list(PALETTE)),
        legend=alt.Legend() if legend else None,
    )


def grouped_width(data: ChartData, layout: Layout) -> int:
    """The width (px) small groups of bars would take side by side, axis included."""
    groups = max(len(data.categories), 1)
    return label_step(data, layout) * max(len(data.series), 1) * groups + 16 * groups + 80


def build_grouped_bar(data: ChartData, layout: Layout) -> alt.FacetChart:
    """One small group per category; each bar named by its series on the axis."""
    view = data.view
    frame = source(data, layout)
    step = label_step(data, layout)
    # Headers wrap to the width of their group, so long names never run into each other.
    width = step * max(len(data.series), 1)
    frame["_group"] = frame[view.category].map(lambda label: wrap(label, max(8, width // 7)))
    groups = list(dict.fromkeys(frame["_group"]))
    base = alt.Chart().encode(
        x=alt.X(
            f"{vl_field(view.series)}:N",
            sort=data.series,
            title=None,
            axis=alt.Axis(labelAngle=-90),
        ),
        y=value_encoding(data, "y", layout),
    )
    bars = base.mark_bar().encode(
        color=series_colour(data, legend=False), description=alt.Description(f"{CELL}:N")
    )
    layered = alt.layer(bars, labels(base, data, baseline="bottom", dy=-3))
    return layered.properties(width=alt.Step(step), height=260).facet(
        data=frame,
        column=alt.Column(
            "_group:N",
            sort=groups,
            title=category_title(data),
            header=alt.Header(labelOrient="bottom", titleOrient="bottom", labelLineHeight=14),
        ),
        spacing=16,
    )


def stacked_frame(data: ChartData, layout: Layout | None = None) -> pd.DataFrame:
    """Source rows with each segment's middle, for the direct series labels."""
    frame = source(data, layout)
    view = data.view
    frame["_series_order"] = frame[view.series].map({s: i for i, s in enumerate(data.series)})
    values = frame[data.value_column].fillna(0)
    frame["_end"] = values.groupby(frame[view.category]).cumsum()
    frame["_mid"] = frame["_end"] - values / 2
    return frame


def build_stacked_bar(data: ChartData, layout: Layout) -> alt.LayerChart:
    """Stacked bars; the last bar's segments are named directly at its right."""
    view = data.view
    frame = stacked_frame(data, layout)
    x = alt.X(
        f"{vl_field(view.category)}:N",
        sort=data.categories,
        title=category_title(data),
        axis=alt.Axis(labelAngle=0),
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(stroke=GAP_COLOUR, strokeWidth=1)
        .encode(
            x=x,
            y=value_encoding(data, "y", layout, stacked=True, stack="zero"),
            color=series_colour(data),
            order=alt.Order("_series_order:Q"),
            description=alt.Description(f"{CELL}:N"),
        )
    )
    layers: list[alt.Chart] = [bars]
    many = len(data.categories) > LABELLED_MARKS
    if not many:
        write = writer(data, layout)
        totals = (
            source(data).groupby(view.category, sort=False)[data.value_column].sum().reset_index()
        )
        totals[LABEL] = [write(v) for v in totals[data.value_column]]
        layers.append(
            alt.Chart(totals)
            .mark_text(aria=False, baseline="bottom", dy=-4)
            .encode(
                x=x,
                y=alt.Y(f"{vl_field(data.value_column)}:Q"),
                text=alt.Text(f"{LABEL}:N"),
            )
        )
    last = frame[frame[view.category] == data.categories[-1]]
    layers.append(
        alt.Chart(last)
        .mark_text(aria=False, align="left", dx=24 if not many else 8)
        .encode(x=x, y=alt.Y("_mid:Q"), text=alt.Text(f"{vl_field(view.series)}:N"))
    )
    step = 44 if not many else max(8, layout.width // max(len(data.categories), 1))
    return alt.layer(*layers).properties(width=alt.Step(step), height=300)


def last_of_each_series(frame: pd.DataFrame, data: ChartData, value: str) -> pd.DataFrame:
    """Each series' last drawn point (where its name is written)."""
    drawn = frame[frame[value].notna()]
    return drawn.groupby(data.view.series, sort=False).tail(1)


def build_line(data: ChartData, layout: Layout, area: bool = False) -> alt.LayerChart:
    """Lines (or areas) over periods; series named at their last point. Dense lines
    (more than ``LABELLED_MARKS`` points a series) have no points or value labels. The
    grid runs behind the lines; labels carry a halo of the background (render.py)."""
    view = data.view
    frame = stacked_frame(data, layout) if (area and view.series) else source(data, layout)
    x = category_encoding(data, layout)
    colour = series_colour(data) if view.series else alt.value(PALETTE[0])
    encoding: dict[str, Any] = {"x": x, "color": colour}
    if view.series:
        encoding["detail"] = alt.Detail(f"{vl_field(view.series)}:N")
    y_stack = "zero" if area else None
    lines = alt.Chart(frame).encode(
        y=value_encoding(data, "y", layout, grid=True, stacked=area, stack=y_stack), **encoding
    )
    dense = data.dense
    drawn = (
        lines.mark_area(opacity=1, line={"strokeWidth": 2}, stroke=GAP_COLOUR)
        if area
        else lines.mark_line(strokeWidth=2 if dense else 3)
    )
    point_y = (
        alt.Y("_end:Q") if (area and view.series) else alt.Y(f"{vl_field(data.value_column)}:Q")
    )
    layers: list[alt.Chart] = [drawn]
    if not dense:
        layers.append(
            alt.Chart(frame)
            .mark_point(filled=True, size=60, opacity=1)
            .encode(y=point_y, description=alt.Description(f"{CELL}:N"), **encoding)
        )
    if view.series:
        label_y = "_mid" if area else data.value_column
        chars = 8 if layout.compact else 14 if layout.narrow else 24
        ends = last_of_each_series(frame, data, data.value_column).copy()
        ends["_name"] = [wrap(str(s), chars) for s in ends[view.series]]
        layers.append(
            alt.Chart(ends)
            .mark_text(aria=False, align="left", dx=8, lineHeight=14)
            .encode(x=x, y=alt.Y(f"{vl_field(label_y)}:Q"), text=alt.Text("_name:N"))
        )
    elif not dense and not (layout.narrow and len(data.categories) > 8):
        layers.append(
            labels(
                alt.Chart(frame).encode(x=x, y=alt.Y(f"{vl_field(data.value_column)}:Q")),
                data,
                baseline="bottom",
                dy=-8,
            )
        )
    return alt.layer(*layers).properties(
        width=layout.width - 120, height=220 if layout.narrow else 300
    )


def build_area(data: ChartData, layout: Layout) -> alt.LayerChart:
    return build_line(data, layout, area=True)


def build_point(data: ChartData, layout: Layout) -> alt.LayerChart:
    """A dot plot: categories across, values up; series by colour and shape (never colour alone)."""
    view = data.view
    x = category_encoding(data, layout)
    base = alt.Chart(source(data, layout)).encode(
        x=x, y=value_encoding(data, "y", layout, grid=True)
    )
    encoding: dict[str, Any] = {"description": alt.Description(f"{CELL}:N")}
    size = 90 if not data.dense else 20
    if view.series:
        encoding["color"] = series_colour(data)
        encoding["shape"] = alt.Shape(
            f"{vl_field(view.series)}:N", sort=data.series, title=data.series_label
        )
        dots = base.mark_point(filled=True, size=size, opacity=1).encode(**encoding)
    else:
        dots = base.mark_point(filled=True, size=size, opacity=1, color=PALETTE[0]).encode(
            **encoding
        )
    layers = [dots] if data.dense else [dots, labels(base, data, align="left", dx=8)]
    return alt.layer(*layers).properties(width=layout.width - 120, height=300)


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
