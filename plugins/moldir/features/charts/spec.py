"""Chart declarations (the descriptor's ``views``): parsed into ``ViewSpec`` and checked.

Four forms are read (docs/charts.md has the mapping):

- ``specType: "moldir"``: Moldir's own declarative form (``type``, ``x``, ``y``,
  ``series``, ``sort``, ``aggregate``, ``filter``, ``units``). Written before the rename
  as ``"simple"`` with ``x``/``y``: still read, with a warning, since it cannot be confused
  with data-hub's ``simple`` (which has ``group``/``series: [...]`` and no ``x``/``y``).
- ``specType: "simple"`` (also the default without ``specType``): data-hub's simple
  graph spec, ``{"type": "line", "group": <x field>, "series": [<y fields>]}``.
- ``specType: "plot"``: data-hub's Observable Plot-style views (``marks`` of ``line``,
  ``barY``, ``dot``, ``ruleY``, ``text``… with ``x``/``y``/``stroke``/``fill`` channels).
- ``specType: "vega-lite"``: a full Vega-Lite spec, within a safe subset:

  - no data of its own: Moldir inlines the (filtered) rows of the view's resource, so no
    ``data``, ``datasets`` or ``url`` anywhere;
  - no expressions: no ``calculate`` or string ``filter`` transforms, no ``params``
    (selections), no ``test`` conditions, no ``*Expr``/``expr``/``signal`` properties —
    expressions are a second programming language that an editor could use to hide
    figures or to run code in a reader's browser should the spec ever be rendered there;
  - no ``href`` channel and no ``image`` mark (links and images load remote content);
  - only these transforms: aggregate, bin, fold, joinaggregate, window, stack, timeUnit,
    pivot, and ``filter`` with a field predicate object.

A view that names what does not exist (a resource, a field), is unsafe, or is malformed
is a ``view-error`` naming the dataset, the view and the property. A view in a form other
portals draw and Moldir does not (``vega``, ``plotly``, a data-hub expression Moldir will
not evaluate, a Plot mark it has no drawing for) is skipped with a warning: data-hub
itself draws nothing for a form it does not know, ``frictionless validate`` accepts the
package, and the issue asks that such a package builds with no hand edits.

``check_view_declarations`` needs the descriptor only (no data), so validation can report
view errors together with metadata and data errors; ``check_views`` adds the checks that
need the data (filter values, rows per mark, numbers in text columns).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moldir.model.dataset import Dataset, Field
from moldir.model.errors import ViewError, ViewLeftOut
from moldir.model.report import ValidationError, ValidationWarning
from moldir.model.safety import NAME_RULE, safe_name

# pandas and ..tables are imported only where a dataset declares views (and its data is
# read): ``moldir validate`` runs ``check_views`` on every dataset, most without views.
if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

MOLDIR, DATAHUB_SIMPLE, PLOT, VEGA_LITE = "moldir", "simple", "plot", "vega-lite"
SPEC_TYPES = (MOLDIR, DATAHUB_SIMPLE, PLOT, VEGA_LITE)
# Forms other portals draw and Moldir does not: skipped with a warning (module docstring).
FOREIGN_SPEC_TYPES = {
    "vega": "full Vega specs (not Vega-Lite) are not drawn",
    "plotly": "Plotly specs are not drawn",
    "table": "the dataset page shows a table of every resource already",
    "tabular": "the dataset page shows a table of every resource already",
    "handsontable": "the dataset page shows a table of every resource already",
    "react-virtualized": "the dataset page shows a table of every resource already",
    "map": "maps are not drawn",
    "geojson": "maps are not drawn",
    "document": "documents are not drawn",
    "recline": "Recline views are not drawn",
}

CHART_TYPES = ("bar", "hbar", "grouped-bar", "stacked-bar", "line", "area", "point")
SERIES_TYPES = ("grouped-bar", "stacked-bar")  # types that need ``series``
SORTS = ("x", "-x", "y", "-y", "none")
AGGREGATES = ("sum", "mean", "count")
SIMPLE_KEYS = {
    "type",
    "x",
    "y",
    "series",
    "colour",
    "color",
    "sort",
    "aggregate",
    "filter",
    "title",
    "description",
    "units",
}
NUMERIC_TYPES = ("integer", "number")
TEMPORAL_TYPES = ("date", "datetime", "year", "yearmonth")
# Declared types whose values may still be numbers written as text (checked on the data).
TEXT_TYPES = ("string", "any")

# data-hub's simple types → Moldir's; "column" is the common name of vertical bars, and
# pies become ranked horizontal bars (docs/charts.md: angles are hard to compare).
DATAHUB_TYPES = {
    "line": "line",
    "lines": "line",
    "bar": "bar",
    "column": "bar",
    "scatter": "point",
    "point": "point",
    "area": "area",
    "pie": "hbar",
}
# Plot marks that draw the data → Moldir chart types.
PLOT_DATA_MARKS = {
    "line": "line",
    "lineY": "line",
    "area": "area",
    "areaY": "area",
    "barY": "bar",
    "rectY": "bar",
    "barX": "hbar",
    "rectX": "hbar",
    "dot": "point",
    "dotY": "point",
    "dotX": "point",
    "circle": "point",
}
PLOT_ANNOTATION_MARKS = ("ruleX", "ruleY", "text")
# Plot's own axes, grid, frame and pointer: Moldir draws its own, nothing is lost.
PLOT_DECORATION_MARKS = {
    "frame",
    "gridX",
    "gridY",
    "axisX",
    "axisY",
    "axisFx",
    "axisFy",
    "tip",
    "crosshair",
    "crosshairX",
    "crosshairY",
}
# Properties of a Plot spec or mark that change what is drawn and that Moldir does not read.
PLOT_UNSUPPORTED_KEYS = {
    "fx": "facets",
    "fy": "facets",
    "facet": "facets",
    "transform": "transforms",
    "reduce": "reducers",
    "bin": "bins",
    "group": "groups",
    "projection": "maps",
}
PLOT_FILTER_OPERATORS = {
    "equal": "equal",
    "eq": "equal",
    "ne": "notEqual",
    "neq": "notEqual",
    "notEqual": "notEqual",
    "gt": "gt",
    "gte": "gte",
    "lt": "lt",
    "lte": "lte",
    "oneOf": "oneOf",
    "in": "oneOf",
}
OPERATORS = ("equal", "notEqual", "gt", "gte", "lt", "lte", "oneOf")
MAX_STATIC_ROWS = 1_000  # rows written into a Plot mark's ``staticData``
# A d3-format specifier ("$,.0f", ".1%", "~s"): a format, never an expression.
D3_FORMAT = re.compile(r"^(?:.?[<>=^])?[-+( ]?[$#]?0?\d*,?(?:\.\d+)?~?[efgrsp%bcdoxXn]?$")
CSS_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\([^)]*\))$")
CSS_COLOUR_NAMES = {
    "black", "white", "red", "green", "blue", "yellow", "orange", "purple", "pink", "brown",
    "grey", "gray", "steelblue", "currentcolor", "none", "transparent", "navy", "teal",
    "maroon", "olive", "lime", "aqua", "fuchsia", "silver", "gold", "crimson", "darkblue",
    "darkred", "darkgreen", "lightgray", "lightgrey", "darkgray", "darkgrey", "tomato",
    "coral", "salmon", "orangered", "firebrick", "indigo", "violet", "slategray",
    "slategrey", "skyblue", "royalblue", "seagreen", "forestgreen", "darkorange", "tan",
}  # fmt: skip

SAFE_TRANSFORMS = {
    "aggregate",
    "bin",
    "fold",
    "joinaggregate",
    "window",
    "stack",
    "timeUnit",
    "pivot",
    "filter",
}
# Vega-Lite transforms that evaluate expressions or bring other data.
UNSAFE_TRANSFORMS = {
    "calculate",
    "lookup",
    "regression",
    "loess",
    "density",
    "quantile",
    "impute",
    "flatten",
    "sample",
    "extent",
}
FORBIDDEN_KEYS = {"url", "data", "datasets", "params", "signal", "expr", "test", "href"}
# Properties of a Plot spec that would load or link something from elsewhere.
PLOT_FORBIDDEN_KEYS = {"href", "src", "url", "data", "datasets", "target"}

# Columns Moldir adds when several value fields are drawn as series (data-hub's
# ``series: [a, b]``, several Plot marks): the series name and its value.
SERIES_COLUMN = "_series"
VALUE_COLUMN = "_value"
# The drawn position on a time ("T") or number ("Q") axis, a column of the drawn data.
X = "_x"


@dataclass(frozen=True)
class Annotation:
    """A reference line or a note written in a Plot view (``ruleX``/``ruleY``/``text``
    with ``staticData``): drawn over the chart, not part of its data or table."""

    kind: str  # "rule-x", "rule-y" or "text"
    x: Any = None
    y: Any = None
    text: str = ""


@dataclass(frozen=True)
class ViewSpec:
    """A checked chart declaration, in one shape whatever form it was written in.

    ``category`` and ``value`` are the fields on the category and value axes (for
    ``hbar`` the value is ``x``; for the others it is ``y``), whatever the declaration
    calls them, so that building, describing and tabulating never repeat that rule.
    ``values`` holds several value fields drawn as series (data-hub's ``series`` list,
    several Plot marks); ``y`` and ``series`` are then ``VALUE_COLUMN``/``SERIES_COLUMN``.
    """

    name: str
    title: str
    description: str
    resource: str
    chart_type: str
    x: str | None = None
    y: str | None = None
    series: str | None = None
    sort: str | None = None
    aggregate: str | None = None
    filter: dict[str, Any] = field(default_factory=dict)
    units: str = ""
    vega_lite: dict[str, Any] | None = None
    highlight: bool = False  # shown on the home page
    source: str = MOLDIR  # the form it was written in (SPEC_TYPES)
    values: tuple[str, ...] = ()
    predicates: tuple[tuple[str, str, Any], ...] = ()  # (field, operator, value)
    temporal_fields: tuple[str, ...] = ()  # Plot's dateFields
    annotations: tuple[Annotation, ...] = ()
    x_title: str | None = None  # None: the field's title; "": no title
    y_title: str | None = None
    y_scale: str | None = None  # "log"
    value_format: str | None = None  # a d3 format for the value axis
    static_rows: tuple[dict[str, Any], ...] | None = None  # a Plot mark's staticData
    static_fields: tuple[Field, ...] = ()

    @property
    def category(self) -> str | None:
        return self.y if self.chart_type == "hbar" else self.x

    @property
    def value(self) -> str | None:
        return self.x if self.chart_type == "hbar" else self.y

    @property
    def value_axis(self) -> str:
        return "x" if self.chart_type == "hbar" else "y"

    def value_column_name(self) -> str:
        """The column holding the drawn value: the value field, or ``count``."""
        return self.value or "count"

    @property
    def is_vega_lite(self) -> bool:
        return self.vega_lite is not None

    @property
    def is_foreign(self) -> bool:
        """Written for another portal (data-hub): drawn as faithfully as Moldir can, with
        several rows per mark resolved instead of refused (build.resolve_duplicates)."""
        return self.source in (DATAHUB_SIMPLE, PLOT)

    @property
    def wide(self) -> bool:
        return len(self.values) > 1


class ViewProblem(ValueError):
    """A declaration that cannot be drawn; the message says why in plain words."""


class ViewSkipped(ValueError):
    """A view in a form Moldir does not draw: left out of the site with a warning."""


@dataclass(frozen=True)
class ResourceInfo:
    """What a view needs to know of a resource: its name and declared fields."""

    name: str
    fields: tuple[Field, ...]
    known: bool = True  # False when the schema could not be read (fields not checked)

    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}


@dataclass
class ViewChecks:
    """The outcome of checking a dataset's views: errors, warnings and the drawable views."""

    errors: list[ValidationError] = field(default_factory=list)
    warnings: list[ValidationWarning] = field(default_factory=list)  # view-left-out
    views: list[ViewSpec] = field(default_factory=list)


# --- reading a view --------------------------------------------------------------------


def spec_type_of(view: dict[str, Any]) -> str:
    """The form of a view: its ``specType``, or (without one) by the shape of its spec."""
    declared = view.get("specType")
    spec = view.get("spec") if isinstance(view.get("spec"), dict) else {}
    if declared is None:
        # The Data Package Views convention makes "simple" the default; Moldir's own
        # form is told apart by its x/y keys (data-hub's simple has group/series).
        return MOLDIR if ("x" in spec or "y" in spec) and "group" not in spec else DATAHUB_SIMPLE
    if declared == DATAHUB_SIMPLE and is_moldir_shape(spec):
        return MOLDIR
    return declared


def is_moldir_shape(spec: dict[str, Any]) -> bool:
    """Moldir's form written as "simple" before the rename: x/y keys, no group, no list."""
    return (
        ("x" in spec or "y" in spec)
        and "group" not in spec
        and not isinstance(spec.get("series"), list)
    )


def view_name(view: dict[str, Any], position: int, spec_type: str) -> str:
    name = view.get("name")
    if name is None and spec_type in (DATAHUB_SIMPLE, PLOT):
        # data-hub draws unnamed views; Moldir needs a file name for the chart.
        return f"view-{position + 1}"
    if not safe_name(name):
        raise ViewProblem(
            f"'name' must be {NAME_RULE} (it becomes the chart's file name), got {name!r}"
        )
    return name


def parse_view(
    resources: Sequence[ResourceInfo], view: Any, position: int
) -> tuple[ViewSpec, list[str]]:
    """Read one ``views`` entry: (the view, warnings). Raises ``ViewProblem`` for an
    error, ``ViewSkipped`` for a form Moldir does not draw.

    Checks the shape and the fields against the schema (not the data: see ``check_data``).
    """
    if not isinstance(view, dict):
        raise ViewProblem(f"view #{position + 1} must be an object with a name and a spec")
    spec_type = spec_type_of(view)
    name = view_name(view, position, spec_type)
    warnings: list[str] = []
    if view.get("specType") == DATAHUB_SIMPLE and spec_type == MOLDIR:
        warnings.append(
            f'view "{name}": Moldir\'s own form is now \'"specType": "moldir"\'; "simple" '
            "with x/y is still read as it"
        )
    if not isinstance(spec_type, str) or spec_type not in SPEC_TYPES:
        if isinstance(spec_type, str) and spec_type in FOREIGN_SPEC_TYPES:
            raise ViewSkipped(
                f"'specType' {spec_type!r} is not drawn by Moldir "
                f"({FOREIGN_SPEC_TYPES[spec_type]}); the view is left out"
            )
        raise ViewProblem(
            f"unknown 'specType' {spec_type!r}; use one of {', '.join(SPEC_TYPES)} "
            f"(or a form Moldir skips: {', '.join(sorted(FOREIGN_SPEC_TYPES))})"
        )
    title = view.get("title")
    if not isinstance(title, str) or not title.strip():
        if spec_type == MOLDIR:
            raise ViewProblem("the view needs a 'title' (it is the chart's caption)")
        title = name  # data-hub draws views without a title
    spec = view.get("spec")
    if not isinstance(spec, dict):
        raise ViewProblem("the view needs a 'spec' object")
    resource, predicates = view_resource(resources, view, spec_type)
    description = view.get("description", "")
    common = {
        "name": name,
        "title": title.strip(),
        "description": description if isinstance(description, str) else "",
        "resource": resource.name,
        "highlight": view.get("highlight") is True,
    }
    if spec_type == VEGA_LITE:
        return parse_vega_lite(resource, spec, common), warnings
    if spec_type == DATAHUB_SIMPLE:
        parsed = parse_datahub_simple(resource, spec, common, predicates, warnings)
        return parsed, warnings
    if spec_type == PLOT:
        return parse_plot(resource, spec, common, predicates, warnings), warnings
    return parse_simple(resource, spec, common), warnings


def view_resource(
    resources: Sequence[ResourceInfo], view: dict[str, Any], spec_type: str
) -> tuple[ResourceInfo, tuple[tuple[str, str, Any], ...]]:
    """The view's resource (``resources``: a name, an index or data-hub's
    ``{"name", "transform"}``; data-hub's older ``resourceName``; else the first one),
    and the filters its data-hub transforms declare."""
    if "resources" in view:
        refs = view["resources"]
        prop = "resources"
    elif "resourceName" in view:
        refs, prop = [view["resourceName"]], "resourceName"
    else:
        refs, prop = [0], "resources"
    if isinstance(refs, str | int | dict):
        refs = [refs]
    if not isinstance(refs, list) or not refs:
        raise ViewProblem(f"'{prop}' must name a resource of the dataset")
    if spec_type in (MOLDIR, VEGA_LITE) and len(refs) != 1:
        raise ViewProblem(f"'{prop}' must name exactly one resource of the dataset")
    ref = refs[0]  # data-hub's simple and Plot views draw their first resource
    predicates: tuple[tuple[str, str, Any], ...] = ()
    if isinstance(ref, dict):
        predicates = datahub_transforms(ref.get("transform"))
        ref = ref.get("name", 0)
    known = ", ".join(r.name for r in resources) or "none"
    if isinstance(ref, bool) or not isinstance(ref, str | int):
        raise ViewProblem(f"'{prop}' must hold resource names or indexes, got {ref!r}")
    if isinstance(ref, int):
        if not 0 <= ref < len(resources):
            raise ViewProblem(
                f"'{prop}' names resource #{ref}, but the dataset has {len(resources)} "
                f"resource(s): {known}"
            )
        return resources[ref], predicates
    for resource in resources:
        if resource.name == ref:
            return resource, predicates
    raise ViewProblem(f"'{prop}' names unknown resource {ref!r}; the dataset has: {known}")


# data['Country'] === 'Euro' · data.Year >= 2000 · joined by &&
_EXPRESSION_CLAUSE = re.compile(
    r"""^\s*data(?:\[\s*(?P<q>['"])(?P<field>.+?)(?P=q)\s*\]|\.(?P<name>[A-Za-z_]\w*))\s*
        (?P<op>===|==|!==|!=|>=|<=|>|<)\s*
        (?P<value>'[^']*'|"[^"]*"|-?\d+(?:\.\d+)?|true|false)\s*$""",
    re.VERBOSE,
)
_JS_OPERATORS = {
    "===": "equal",
    "==": "equal",
    "!==": "notEqual",
    "!=": "notEqual",
    ">=": "gte",
    "<=": "lte",
    ">": "gt",
    "<": "lt",
}


def datahub_transforms(transforms: Any) -> tuple[tuple[str, str, Any], ...]:
    """data-hub's resource transforms as filters. Moldir evaluates no code, so a filter
    expression is read only when it is comparisons of fields with plain values joined by
    ``&&``; ``sample`` is dropped (Moldir thins large data itself); anything else skips."""
    if transforms is None:
        return ()
    if not isinstance(transforms, list):
        raise ViewProblem("'resources[0].transform' must be a list")
    predicates = []
    for index, transform in enumerate(transforms):
        kind = transform.get("type") if isinstance(transform, dict) else None
        if kind == "sample":
            continue
        if kind != "filter":
            raise ViewSkipped(
                f"'resources[0].transform[{index}]' of type {kind!r} is not drawn by Moldir "
                "(only filters written as comparisons); the view is left out"
            )
        expression = transform.get("expression")
        clauses = expression.split("&&") if isinstance(expression, str) else [None]
        for clause in clauses:
            match = _EXPRESSION_CLAUSE.match(clause or "")
            if not match:
                raise ViewSkipped(
                    f"'resources[0].transform[{index}].expression' {str(expression)[:80]!r} "
                    "is code, which Moldir does not run (it reads comparisons such as "
                    "data['Country'] === 'Euro' joined by &&); the view is left out"
                )
            raw = match["value"]
            value: Any = json.loads(raw) if raw[0] != "'" else raw[1:-1]
            predicates.append((match["field"] or match["name"], _JS_OPERATORS[match["op"]], value))
    return tuple(predicates)


def unknown_field(role: str, name: Any, resource: ResourceInfo) -> str:
    known = ", ".join(f.name for f in resource.fields)
    return f"'{role}' names unknown field {name!r} of resource {resource.name!r}; fields: {known}"


def require_field(role: str, name: Any, resource: ResourceInfo) -> Field | None:
    """The field ``name`` of the resource; a ``ViewProblem`` naming ``role`` if absent."""
    if not isinstance(name, str):
        raise ViewProblem(f"'{role}' must be a field name, got {name!r}")
    if not resource.known:
        return None
    found = resource.field_map().get(name)
    if found is None:
        raise ViewProblem(unknown_field(role, name, resource))
    return found


def require_number(role: str, found: Field | None, chart_type: str, lenient: bool) -> None:
    """A value field must be a number; text fields are checked on the data when lenient
    (data-hub packages often declare numbers as strings)."""
    if found is None or found.type in NUMERIC_TYPES:
        return
    if lenient and found.type in TEXT_TYPES:
        return
    hint = " (for horizontal bars x is the value and y the category)" * (chart_type == "hbar")
    raise ViewProblem(
        f"'{role}' is the value axis of a {chart_type} chart and must be a number, but "
        f"field {found.name!r} is {found.type}{hint}"
    )


def parse_simple(resource: ResourceInfo, spec: dict[str, Any], common: dict[str, Any]) -> ViewSpec:
    """Moldir's own form (``specType: "moldir"``)."""
    unknown = sorted(set(spec) - SIMPLE_KEYS)
    if unknown:
        raise ViewProblem(
            f"unknown spec key(s) {', '.join(unknown)}; known: {', '.join(sorted(SIMPLE_KEYS))}"
        )
    chart_type = spec.get("type")
    if chart_type not in CHART_TYPES:
        raise ViewProblem(
            f"'spec.type': unknown chart type {chart_type!r}; use one of {', '.join(CHART_TYPES)}"
        )
    fields = resource.field_map()
    series = spec.get("series") or spec.get("colour") or spec.get("color")
    aggregate = spec.get("aggregate")
    if aggregate is not None and aggregate not in AGGREGATES:
        raise ViewProblem(f"unknown aggregate {aggregate!r}; use one of {', '.join(AGGREGATES)}")
    sort = spec.get("sort")
    if sort is not None and sort not in SORTS:
        raise ViewProblem(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    title = spec.get("title") if isinstance(spec.get("title"), str) else None
    view = ViewSpec(
        chart_type=chart_type,
        x=spec.get("x"),
        y=spec.get("y"),
        series=series,
        sort=sort,
        aggregate=aggregate,
        filter=parse_filter(spec.get("filter"), fields, resource.known),
        units=str(spec.get("units", "")),
        **{**common, "title": title or common["title"]},
    )
    for role, name in (("x", view.x), ("y", view.y), ("series", view.series)):
        if name is not None:
            require_field(role, name, resource)
    if view.category is None:
        axis = "y" if chart_type == "hbar" else "x"
        raise ViewProblem(f"a {chart_type} chart needs '{axis}', the category field")
    if view.value is None and aggregate != "count":
        raise ViewProblem(
            f"a {chart_type} chart needs '{view.value_axis}', the value field "
            "(or aggregate 'count')"
        )
    if view.value is not None:
        require_number(view.value_axis, fields.get(view.value), chart_type, lenient=False)
    if chart_type in SERIES_TYPES and view.series is None:
        raise ViewProblem(f"a {chart_type} chart needs 'series', the field that forms the groups")
    return view


def parse_filter(raw: Any, fields: dict[str, Field], known: bool = True) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ViewProblem("'filter' must be an object {field: value} (equality only)")
    for name, value in raw.items():
        if known and name not in fields:
            raise ViewProblem(f"'filter' names unknown field {name!r}")
        if isinstance(value, dict | list):
            raise ViewProblem(f"'filter' on {name!r} must be one plain value (equality only)")
    return dict(raw)


def parse_datahub_simple(
    resource: ResourceInfo,
    spec: dict[str, Any],
    common: dict[str, Any],
    predicates: tuple[tuple[str, str, Any], ...],
    warnings: list[str],
) -> ViewSpec:
    """data-hub's simple graph spec: ``type`` (default line), ``group`` (the x field),
    ``series`` (the y fields, each drawn as a series)."""
    declared = spec.get("type", "line")
    chart_type = DATAHUB_TYPES.get(declared) if isinstance(declared, str) else None
    if chart_type is None:
        # data-hub hands an unknown type to Plotly, which draws lines.
        chart_type = "line"
        warnings.append(
            f"view \"{common['name']}\": 'spec.type' {declared!r} is not a data-hub type "
            f"({', '.join(sorted(DATAHUB_TYPES))}); drawn as a line, as data-hub does"
        )
    group = spec.get("group")
    if group is None:
        raise ViewProblem("'spec.group' must name the field drawn along the x axis")
    require_field("spec.group", group, resource)
    series = spec.get("series")
    if isinstance(series, str):
        series = [series]
    if not isinstance(series, list) or not series:
        raise ViewProblem("'spec.series' must list the fields drawn as values")
    for index, name in enumerate(series):
        found = require_field(f"spec.series[{index}]", name, resource)
        require_number(f"spec.series[{index}]", found, chart_type, lenient=True)
    values = tuple(dict.fromkeys(series))
    check_predicates(predicates, resource, "resources[0].transform")
    wide = len(values) > 1
    x, y = (group, values[0]) if not wide else (group, VALUE_COLUMN)
    if chart_type == "hbar":
        x, y = y, x
    y_title = None if not wide else ""
    sort = "-x" if chart_type == "hbar" else None  # a pie's slices ranked as bars
    return ViewSpec(
        chart_type=chart_type,
        x=x,
        y=y,
        series=SERIES_COLUMN if wide else None,
        sort=sort,
        source=DATAHUB_SIMPLE,
        values=values,
        predicates=predicates,
        y_title=y_title,
        **common,
    )


def check_predicates(
    predicates: Sequence[tuple[str, str, Any]], resource: ResourceInfo, role: str
) -> None:
    for name, _operator, _value in predicates:
        require_field(role, name, resource)


def plot_channel_field(
    mark: dict[str, Any], channel: str, fields: dict[str, Field], known: bool
) -> str | None:
    """A Plot channel naming a field (a colour such as "#be123c" or "steelblue" is a
    constant, not a field)."""
    value = mark.get(channel)
    if value is None:
        return None
    if isinstance(value, dict) and isinstance(value.get("value"), str):
        value = value["value"]
    if not isinstance(value, str):
        return None  # a constant number (a stroke width, a fixed position)
    if channel in ("stroke", "fill") and (
        CSS_COLOUR.match(value) or value.lower() in CSS_COLOUR_NAMES
    ):
        return None
    return value


def plot_filters(raw: Any) -> tuple[tuple[str, str, Any], ...]:
    """A Plot view's ``filter``: ``{"field": f, "gte": 1}`` (or a list of them)."""
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    predicates = []
    for index, item in enumerate(items):
        where = "spec.filter" if not isinstance(raw, list) else f"spec.filter[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            raise ViewProblem(f"'{where}' must be an object with a 'field' and a comparison")
        compared = [key for key in item if key != "field"]
        if not compared:
            raise ViewProblem(f"'{where}' names no comparison (equal, gt, gte, lt, lte, oneOf)")
        for key in compared:
            operator = PLOT_FILTER_OPERATORS.get(key)
            value = item[key]
            if operator is None:
                raise ViewSkipped(
                    f"'{where}.{key}' is not a comparison Moldir reads "
                    f"({', '.join(sorted(PLOT_FILTER_OPERATORS))}); the view is left out"
                )
            if operator == "oneOf" and not isinstance(value, list):
                raise ViewProblem(f"'{where}.{key}' must be a list of values")
            if isinstance(value, dict) or (operator != "oneOf" and isinstance(value, list)):
                raise ViewProblem(f"'{where}.{key}' must be a plain value")
            predicates.append((item["field"], operator, value))
    return tuple(predicates)


def check_plot_safety(spec: dict[str, Any]) -> None:
    """No links, images or data from elsewhere in a Plot view."""
    for path, key, value in walk(spec):
        if key in PLOT_FORBIDDEN_KEYS:
            reason = "charts draw only the rows of their resource, which Moldir inlines"
            if key in ("href", "target"):
                reason = "charts do not link to other addresses"
            elif key == "src":
                reason = "charts do not load images"
            raise ViewProblem(f"Plot spec: {path} is not allowed ({reason})")
        if key == "type" and value == "image":
            raise ViewProblem(f"Plot spec: {path}: image marks are not allowed (they load URLs)")


def static_table(rows: Any, where: str) -> tuple[tuple[dict[str, Any], ...], tuple[Field, ...]]:
    """A Plot mark's ``staticData``: plain rows, fields typed from their values."""
    if not isinstance(rows, list) or not rows:
        raise ViewProblem(f"'{where}.staticData' must be a list of row objects")
    if len(rows) > MAX_STATIC_ROWS:
        raise ViewProblem(f"'{where}.staticData' has {len(rows)} rows; at most {MAX_STATIC_ROWS}")
    names: dict[str, str] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ViewProblem(f"'{where}.staticData[{index}]' must be an object")
        for key, value in row.items():
            if value is not None and not isinstance(value, str | int | float | bool):
                raise ViewProblem(f"'{where}.staticData[{index}].{key}' must be a plain value")
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            kind = "number" if is_number or value is None else "string"
            names[key] = "string" if names.get(key) == "string" else kind
    fields = tuple(Field(name=name, type=kind) for name, kind in names.items())
    return tuple(dict(row) for row in rows), fields


def axis_options(spec: dict[str, Any], axis: str) -> dict[str, Any]:
    options = spec.get(axis)
    return options if isinstance(options, dict) else {}


def axis_title(options: dict[str, Any]) -> str | None:
    """Plot's ``label``: a text, or ``null`` for no title (None here means "default")."""
    if "label" not in options:
        return None
    label = options["label"]
    return "" if label is None else str(label)


def parse_plot(
    resource: ResourceInfo,
    spec: dict[str, Any],
    common: dict[str, Any],
    predicates: tuple[tuple[str, str, Any], ...],
    warnings: list[str],
) -> ViewSpec:
    """data-hub's Observable Plot-style view: data marks (line, barY, dot…) become one
    Moldir chart; ``ruleX``/``ruleY``/``text`` marks with ``staticData`` become notes."""
    check_plot_safety(spec)
    for key, what in PLOT_UNSUPPORTED_KEYS.items():
        if key in spec:
            raise ViewSkipped(f"'spec.{key}': {what} are not drawn by Moldir; the view is left out")
    marks = spec.get("marks")
    if not isinstance(marks, list) or not marks:
        raise ViewProblem("'spec.marks' must list the marks to draw")
    date_fields = spec.get("dateFields", [])
    if isinstance(date_fields, str):
        date_fields = [date_fields]
    if not isinstance(date_fields, list):
        raise ViewProblem("'spec.dateFields' must list field names")
    for index, name in enumerate(date_fields):
        require_field(f"spec.dateFields[{index}]", name, resource)
    data_marks: list[tuple[int, str, dict[str, Any]]] = []
    annotations: list[Annotation] = []
    for index, mark in enumerate(marks):
        where = f"spec.marks[{index}]"
        kind = mark.get("type") if isinstance(mark, dict) else None
        if not isinstance(kind, str):
            raise ViewProblem(f"'{where}' must be an object with a 'type' (line, barY, dot…)")
        for key, what in PLOT_UNSUPPORTED_KEYS.items():
            if key in mark:
                raise ViewSkipped(
                    f"'{where}.{key}': {what} are not drawn by Moldir; the view is left out"
                )
        if kind in PLOT_DECORATION_MARKS:
            continue
        if kind in PLOT_ANNOTATION_MARKS and "staticData" in mark:
            annotations.extend(plot_annotations(kind, mark, where))
            continue
        if kind in PLOT_DATA_MARKS:
            data_marks.append((index, kind, mark))
            continue
        warnings.append(
            f"view \"{common['name']}\": '{where}.type' {kind!r} is not drawn by Moldir "
            "(the other marks are)"
        )
    if not data_marks:
        raise ViewSkipped(
            "no mark Moldir draws ("
            + ", ".join(sorted(PLOT_DATA_MARKS))
            + "); the view is left out"
        )
    first_index, first_kind, first = data_marks[0]
    chart_type = PLOT_DATA_MARKS[first_kind]
    static_rows, static_fields = None, ()
    if "staticData" in first:
        static_rows, static_fields = static_table(first["staticData"], f"spec.marks[{first_index}]")
        source = ResourceInfo(resource.name, static_fields)
    else:
        source = resource
    source_fields = source.field_map()
    category_channel, value_channel = ("y", "x") if chart_type == "hbar" else ("x", "y")
    where = f"spec.marks[{first_index}]"
    category = plot_channel_field(first, category_channel, source_fields, source.known)
    if category is None:
        raise ViewProblem(f"'{where}.{category_channel}' must name the field drawn along it")
    require_field(f"{where}.{category_channel}", category, source)
    series = None
    for channel in ("stroke", "fill", "z"):
        candidate = plot_channel_field(first, channel, source_fields, source.known)
        if candidate is not None:
            require_field(f"{where}.{channel}", candidate, source)
            series = candidate
            break
    values: list[str] = []
    for index, _kind, mark in data_marks:
        mark_where = f"spec.marks[{index}]"
        if index != first_index and "staticData" in mark:
            warnings.append(
                f"view \"{common['name']}\": '{mark_where}.staticData' of a second data mark "
                "is not drawn"
            )
            continue
        other_category = plot_channel_field(mark, category_channel, source_fields, source.known)
        if index != first_index and other_category != category:
            warnings.append(
                f"view \"{common['name']}\": '{mark_where}' draws along another field "
                f"({other_category!r}, not {category!r}) and is not drawn"
            )
            continue
        value = plot_channel_field(mark, value_channel, source_fields, source.known)
        if value is None:
            raise ViewProblem(f"'{mark_where}.{value_channel}' must name the value field")
        found = require_field(f"{mark_where}.{value_channel}", value, source)
        require_number(f"{mark_where}.{value_channel}", found, chart_type, lenient=True)
        if value not in values:
            values.append(value)
    if series is not None and len(values) > 1:
        warnings.append(
            f"view \"{common['name']}\": only '{where}' is drawn (it splits its values into "
            f"series by {series!r})"
        )
        values = values[:1]
    predicates = (*predicates, *plot_filters(spec.get("filter")))
    check_predicates(predicates, source, "spec.filter")
    wide = len(values) > 1
    value_field = VALUE_COLUMN if wide else values[0]
    x, y = (category, value_field) if chart_type != "hbar" else (value_field, category)
    x_options, y_options = axis_options(spec, "x"), axis_options(spec, "y")
    value_options = x_options if chart_type == "hbar" else y_options
    category_options = y_options if chart_type == "hbar" else x_options
    value_format = value_options.get("tickFormat")
    if not (isinstance(value_format, str) and D3_FORMAT.match(value_format)):
        value_format = None
    sort = None
    mark_sort = first.get("sort")
    if isinstance(mark_sort, dict):
        wanted = mark_sort.get(category_channel)
        if wanted in (f"-{value_channel}", value_channel):
            sort = wanted
    value_title = axis_title(value_options)
    if value_title is None and wide:
        value_title = ""
    category_title = axis_title(category_options)
    return ViewSpec(
        chart_type=chart_type,
        x=x,
        y=y,
        series=SERIES_COLUMN if wide else series,
        sort=sort,
        source=PLOT,
        values=tuple(values),
        predicates=predicates,
        temporal_fields=tuple(date_fields),
        annotations=tuple(annotations),
        x_title=value_title if chart_type == "hbar" else category_title,
        y_title=category_title if chart_type == "hbar" else value_title,
        y_scale="log" if value_options.get("type") == "log" else None,
        value_format=value_format,
        static_rows=static_rows,
        static_fields=static_fields,
        **common,
    )


def plot_annotations(kind: str, mark: dict[str, Any], where: str) -> list[Annotation]:
    """Reference lines and notes from a mark's ``staticData``."""
    rows, _fields = static_table(mark["staticData"], where)
    channels = {name: mark.get(name) for name in ("x", "y", "text")}
    found = []
    for row in rows:

        def value(channel: str, row: dict[str, Any] = row) -> Any:
            name = channels[channel]
            return row.get(name) if isinstance(name, str) else None

        if kind == "ruleX" and value("x") is not None:
            found.append(Annotation("rule-x", x=value("x")))
        elif kind == "ruleY" and value("y") is not None:
            found.append(Annotation("rule-y", y=value("y")))
        elif kind == "text" and value("x") is not None and value("y") is not None:
            text = value("text")
            if text is not None and str(text).strip():
                found.append(Annotation("text", x=value("x"), y=value("y"), text=str(text)))
    return found


def parse_vega_lite(
    resource: ResourceInfo, spec: dict[str, Any], common: dict[str, Any]
) -> ViewSpec:
    spec = dict(spec)
    data = spec.get("data")
    if isinstance(data, dict) and set(data) == {"name"} and data["name"] == resource.name:
        del spec["data"]  # data-hub's binding of the spec to its resource by name
    if spec.get("width") == "container" or spec.get("height") == "container":
        # No page container at build time: Moldir's default size.
        spec = {k: v for k, v in spec.items() if v != "container" or k not in ("width", "height")}
    for path, key, value in walk(spec):
        if key in FORBIDDEN_KEYS or key.endswith("Expr"):
            raise ViewProblem(f"Vega-Lite spec: {path} is not allowed ({forbidden_reason(key)})")
        if key == "mark" and (
            value == "image" or (isinstance(value, dict) and value.get("type") == "image")
        ):
            raise ViewProblem(f"Vega-Lite spec: {path}: image marks are not allowed")
        if key == "transform":
            check_transforms(path, value)
    problems = sorted(vega_lite_schema_errors(spec))
    if problems:
        raise ViewProblem(f"Vega-Lite spec does not follow the Vega-Lite schema: {problems[0]}")
    if resource.known:
        fields = {f.name for f in resource.fields}
        derived = {name for _path, key, name in walk(spec) if key == "as" and isinstance(name, str)}
        derived |= {
            item
            for _path, key, value in walk(spec)
            if key == "as" and isinstance(value, list)
            for item in value
        }
        for path, key, value in walk(spec):
            if key == "field" and isinstance(value, str) and value not in fields | derived:
                known = ", ".join(sorted(fields))
                raise ViewProblem(
                    f"Vega-Lite spec: {path} names unknown field {value!r}; fields: {known}"
                )
    return ViewSpec(chart_type=vega_lite_mark(spec), vega_lite=spec, source=VEGA_LITE, **common)


def forbidden_reason(key: str) -> str:
    if key in ("url", "data", "datasets"):
        return "charts draw only the rows of their resource, which Moldir inlines"
    if key == "href":
        return "charts do not link to other addresses"
    return "expressions and interaction parameters are code, and views are data"


def check_transforms(path: str, transforms: Any) -> None:
    """Only the transforms in ``SAFE_TRANSFORMS``; ``filter`` only as a field predicate."""
    if not isinstance(transforms, list):
        raise ViewProblem(f"Vega-Lite spec: {path} must be a list")
    for index, transform in enumerate(transforms):
        where = f"{path}[{index}]"
        keys = set(transform) if isinstance(transform, dict) else set()
        # One operation per transform; the other keys are its parameters (as, groupby, ...).
        if not keys & SAFE_TRANSFORMS or keys & UNSAFE_TRANSFORMS:
            allowed = ", ".join(sorted(SAFE_TRANSFORMS))
            raise ViewProblem(f"Vega-Lite spec: {where} is not an allowed transform ({allowed})")
        if "filter" in keys and not (
            isinstance(transform["filter"], dict) and "field" in transform["filter"]
        ):
            raise ViewProblem(
                f"Vega-Lite spec: {where}: a filter must be a field predicate such as "
                '{"field": "year", "equal": 2021}, not an expression'
            )


def vega_lite_mark(spec: dict[str, Any]) -> str:
    mark = spec.get("mark")
    if mark is None and isinstance(spec.get("layer"), list) and spec["layer"]:
        first = spec["layer"][0]
        mark = first.get("mark") if isinstance(first, dict) else None
    if isinstance(mark, dict):
        mark = mark.get("type")
    return str(mark or "chart")


def walk(value: Any, path: str = "spec") -> Iterator[tuple[str, str, Any]]:
    """Every (path, key, value) of a JSON tree, depth first."""
    if isinstance(value, dict):
        for key, child in value.items():
            child_path = f"{path}.{key}"
            yield child_path, str(key), child
            yield from walk(child, child_path)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, f"{path}[{index}]")


@functools.cache
def _schema_validator():
    import jsonschema
    from altair.vegalite.v6.schema import load_schema

    schema = load_schema()
    return jsonschema.Draft7Validator(schema)


def vega_lite_schema_errors(spec: dict[str, Any]) -> list[str]:
    """Schema problems of a spec once Moldir has inlined its data (an empty stand-in here)."""
    candidate = {**spec, "data": {"values": []}}
    messages = []
    for error in _schema_validator().iter_errors(candidate):
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        messages.append(f"{where}: {error.message[:200]}")
    return messages


# --- checks that need the data ---------------------------------------------------------


def view_frame(view: ViewSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a view draws from: its ``staticData`` or its resource's table."""
    if view.static_rows is not None:
        import pandas as pd

        return pd.DataFrame(list(view.static_rows))
    return frame


def check_data(view: ViewSpec, frame: pd.DataFrame) -> None:
    """Problems that only the data shows: filter values absent, no rows, several rows per
    mark (Moldir's form only), value fields with text or no figures."""
    frame = view_frame(view, frame)
    for name, wanted in view.filter.items():
        present = frame[name].dropna().astype(str).unique().tolist()
        if str(wanted) not in present:
            shown = ", ".join(repr(v) for v in present[:12])
            raise ViewProblem(
                f"'filter' value {wanted!r} never occurs in field {name!r}; values: {shown}"
            )
    rows = apply_predicates(apply_filter(frame, view.filter), view.predicates)
    if rows.empty:
        if view.is_foreign:
            raise ViewSkipped("its filter leaves no rows to draw; the view is left out")
        raise ViewProblem("the filter leaves no rows to draw")
    if view.is_vega_lite:
        return
    for name in view.values or ([view.value] if view.value else []):
        numbers = numeric_column(rows[name])
        if numbers is None:
            sample = next(v for v in rows[name].dropna().astype(str) if not _is_number(v))
            raise ViewProblem(
                f"field {name!r} is drawn as values but holds text (e.g. {sample[:40]!r}); "
                "values must be numbers"
            )
    if view.is_foreign or view.aggregate:
        return
    keys = [k for k in (view.category, view.series) if k]
    duplicated = rows[rows.duplicated(subset=keys, keep=False)]
    if not duplicated.empty:
        shown = duplicated[keys[0]].map(lambda v: "(missing)" if _as_text(v) is None else str(v))
        sample = ", ".join(shown.unique()[:3])
        raise ViewProblem(
            f"several rows fall on one mark ({'/'.join(keys)}: {sample}); add a 'filter' "
            "or an 'aggregate' (sum, mean or count)"
        )


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").strip())
    except ValueError:
        return False
    return True


def numeric_column(column: pd.Series) -> pd.Series | None:
    """The column as numbers (Float64, missing kept), or None if some value is text."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_numeric_dtype(column):
        return column.astype("Float64")
    text = column.astype("string").str.strip()
    text = text.mask(text == "", None)
    numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    if (numbers.isna() & text.notna()).any():
        return None
    return numbers.astype("Float64")


def apply_filter(frame: pd.DataFrame, equal: dict[str, Any]) -> pd.DataFrame:
    """Rows where every filtered field equals its value (compared as text, as written)."""
    import pandas as pd

    mask = pd.Series(True, index=frame.index)
    for name, wanted in equal.items():
        mask &= frame[name].astype("string").fillna("") == str(wanted)
    return frame[mask]


def apply_predicates(
    frame: pd.DataFrame, predicates: Sequence[tuple[str, str, Any]]
) -> pd.DataFrame:
    """Rows meeting every (field, operator, value): numbers compared as numbers, dates
    and text as ISO text (so "2000-01-01" orders as a date)."""
    import pandas as pd

    mask = pd.Series(True, index=frame.index)
    for name, operator, wanted in predicates:
        column = frame[name]
        numbers = numeric_column(column)
        numeric = numbers is not None and all(
            isinstance(w, int | float) and not isinstance(w, bool)
            for w in (wanted if isinstance(wanted, list) else [wanted])
        )
        if numeric:
            values: pd.Series = numbers
        else:
            values = column.map(_as_text).astype("string")
            wanted = [str(w) for w in wanted] if isinstance(wanted, list) else _as_text(wanted)
        if operator == "equal":
            test = values == wanted
        elif operator == "notEqual":
            test = values != wanted
        elif operator == "oneOf":
            test = values.isin(wanted)
        else:
            test = {
                "gt": values > wanted,
                "gte": values >= wanted,
                "lt": values < wanted,
                "lte": values <= wanted,
            }[operator]
        mask &= test.fillna(False).astype(bool)
    return frame[mask]


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        try:
            return value.isoformat()
        except (TypeError, ValueError):
            return None
    text = str(value)
    return None if text in ("<NA>", "NaT", "nan") else text


# --- a dataset's views -----------------------------------------------------------------


def resources_of_dataset(dataset: Dataset) -> list[ResourceInfo]:
    return [ResourceInfo(r.name, tuple(r.fields)) for r in dataset.resources]


def resources_of_descriptor(
    descriptor: dict[str, Any], folder: Path | None = None
) -> list[ResourceInfo]:
    """Resources and fields read from a raw descriptor, which may be malformed in any way
    (the metadata checks report that): what cannot be read is left unchecked."""
    found = []
    resources = descriptor.get("resources")
    for position, item in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        name = name if isinstance(name, str) else f"#{position}"
        schema = item.get("schema")
        if isinstance(schema, str) and folder is not None:
            schema = _read_schema(folder, schema)
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            found.append(ResourceInfo(name, (), known=False))
            continue
        fields = []
        for raw in schema["fields"]:
            if isinstance(raw, dict) and isinstance(raw.get("name"), str):
                try:
                    fields.append(Field.from_descriptor(raw))
                except (TypeError, ValueError, AttributeError):
                    fields.append(Field(name=raw["name"], type="any"))
        found.append(ResourceInfo(name, tuple(fields)))
    return found


def _read_schema(folder: Path, relative: str) -> dict[str, Any] | None:
    """A schema file inside the dataset folder (anything else is left to other checks)."""
    try:
        base = folder.resolve()
        path = (base / relative).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return None
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def read_views(
    resources: Sequence[ResourceInfo], raw_views: Any
) -> tuple[list[ViewSpec], list[tuple[str | None, str]], list[str]]:
    """Every view of a descriptor, without data: (views, (view name, problem), warnings)."""
    if raw_views in (None, []):
        return [], [], []
    if not isinstance(raw_views, list):
        return [], [(None, "'views' must be a list of chart declarations")], []
    views, problems, warnings = [], [], []
    seen: set[str] = set()
    for position, raw in enumerate(raw_views):
        label = raw.get("name") if isinstance(raw, dict) else None
        label = label if isinstance(label, str) else None
        try:
            view, notes = parse_view(resources, raw, position)
            # Chart files are named after the view: names equal but for case would
            # overwrite each other on case-insensitive disks.
            if view.name.lower() in seen:
                raise ViewProblem("'name': another view has the same name")
            seen.add(view.name.lower())
        except ViewProblem as problem:
            problems.append((label, str(problem)))
            continue
        except ViewSkipped as skipped:
            warnings.append(f'view "{label or f"#{position + 1}"}": {skipped}')
            continue
        warnings.extend(notes)
        views.append(view)
    return views, problems, warnings


def check_view_declarations(
    slug: str,
    descriptor: dict[str, Any],
    shown: str,
    text: str = "",
    folder: Path | None = None,
) -> ViewChecks:
    """The views of a descriptor checked without its data, so that validation reports
    them in the same pass as metadata and data errors (never raises).

    ``slug`` names the dataset, ``shown`` is the descriptor's path as the editor sees it
    (errors name it), ``text`` the descriptor's text (for line numbers), ``folder`` the
    dataset folder (to read ``schema`` files). Returns ``ViewChecks``: ``errors``
    (``view-error``), ``warnings`` (views left out, ``view-left-out``) and ``views``.
    """
    try:
        resources = resources_of_descriptor(descriptor, folder)
        views, problems, warnings = read_views(resources, descriptor.get("views"))
    except Exception as unexpected:  # a malformed descriptor must never be a traceback
        logger.debug("views of %s", slug, exc_info=True)
        problems = [(None, f"the views could not be read ({type(unexpected).__name__})")]
        views, warnings = [], []
    errors = [view_error_at(slug, shown, text, name, message) for name, message in problems]
    left_out = [ViewLeftOut.warning(slug, details=warning) for warning in warnings]
    return ViewChecks(errors=errors, warnings=left_out, views=views)


def parse_views(
    dataset: Dataset, tables: dict[str, pd.DataFrame] | None = None
) -> tuple[list[ViewSpec], list[ValidationError]]:
    """Every drawable view of a dataset, checked against its schema and data: (views,
    errors). Views Moldir skips are logged and listed by ``dataset_view_checks``."""
    checks = dataset_view_checks(dataset, tables)
    for warning in checks.warnings:
        logger.warning('Dataset "%s", %s', dataset.slug, warning)
    return checks.views, checks.errors


def dataset_view_checks(
    dataset: Dataset, tables: dict[str, pd.DataFrame] | None = None
) -> ViewChecks:
    """Declarations and data of every view of a valid dataset (``tables`` read if absent)."""
    text = _descriptor_text(dataset)
    shown = getattr(dataset, "shown_path", None) or str(dataset.descriptor_path)
    views, problems, warnings = read_views(resources_of_dataset(dataset), dataset.get("views"))
    errors = [view_error_at(dataset.slug, shown, text, n, m) for n, m in problems]
    drawable = []
    tables = dict(tables or {})
    for view in views:
        try:
            if view.static_rows is None and view.resource not in tables:
                # Imported here: pandas is loaded only for a dataset that has views.
                from moldir.pipeline.tables import read_table

                tables[view.resource] = read_table(dataset.resource(view.resource))
            check_data(view, tables.get(view.resource))
        except ViewProblem as problem:
            errors.append(view_error_at(dataset.slug, shown, text, view.name, str(problem)))
            continue
        except ViewSkipped as skipped:
            warnings.append(f'view "{view.name}": {skipped}')
            continue
        drawable.append(view)
    left_out = [ViewLeftOut.warning(dataset.slug, details=warning) for warning in warnings]
    return ViewChecks(errors=errors, warnings=left_out, views=drawable)


def _descriptor_text(dataset: Dataset) -> str:
    try:
        return dataset.descriptor_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def view_error(dataset: Dataset, view_name: str | None, message: str) -> ValidationError:
    shown = getattr(dataset, "shown_path", None) or str(dataset.descriptor_path)
    return view_error_at(dataset.slug, shown, _descriptor_text(dataset), view_name, message)


def view_error_at(
    slug: str, shown: str, text: str, view_name: str | None, message: str
) -> ValidationError:
    where = f'view "{view_name}"' if view_name else "views"
    return ViewError.error(
        slug, file=str(shown), line=line_of_view(text, view_name), where=where, details=message
    )


def line_of_view(text: str, view_name: str | None) -> int | None:
    """The descriptor line declaring the view, for CI annotations."""
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if '"views"' in line), 0)
    if view_name is None:
        return start + 1 if lines and '"views"' in lines[start] else None
    needle = f'"{view_name}"'
    # The view's name after the "views" key (a resource may share the name).
    for number in [*range(start, len(lines)), *range(start)]:
        if needle in lines[number]:
            return number + 1
    return None


def check_views(dataset: Dataset) -> list[ValidationError]:
    """The ``validation_checks`` check: every chart declaration of a dataset, with its data."""
    return parse_views(dataset)[1]
