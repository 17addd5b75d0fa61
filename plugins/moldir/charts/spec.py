"""Chart declarations (the descriptor's ``views``): parsed into ``ViewSpec`` and checked.

A declaration is data, never code. A simple spec names a chart type and fields; a full
Vega-Lite spec (``specType: "vega-lite"``) is accepted only within a safe subset:

- no data of its own: Moldir inlines the (filtered) rows of the view's resource, so no
  ``data``, ``datasets`` or ``url`` anywhere;
- no expressions: no ``calculate`` or string ``filter`` transforms, no ``params``
  (selections), no ``test`` conditions, no ``*Expr``/``expr``/``signal`` properties —
  expressions are a second programming language that an editor could use to hide
  figures or to run code in a reader's browser should the spec ever be rendered there;
- no ``href`` channel and no ``image`` mark (links and images load remote content);
- only these transforms: aggregate, bin, fold, joinaggregate, window, stack, timeUnit,
  pivot, and ``filter`` with a field predicate object.

Every problem is a ``view-error`` naming the dataset and the view.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..datasets import Dataset, Field, Resource
from ..report import ValidationError

# pandas and ..tables are imported only where a dataset declares views (and its data is
# read): ``moldir validate`` runs ``check_views`` on every dataset, most without views.
if TYPE_CHECKING:
    import pandas as pd

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
VIEW_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NUMERIC_TYPES = ("integer", "number")

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


@dataclass(frozen=True)
class ViewSpec:
    """A checked chart declaration.

    ``category`` and ``value`` are the fields on the category and value axes (for
    ``hbar`` the value is ``x``; for the others it is ``y``), whatever the declaration
    calls them, so that building, describing and tabulating never repeat that rule.
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


class ViewProblem(ValueError):
    """A declaration that cannot be drawn; the message says why in plain words."""


def parse_view(dataset: Dataset, view: Any, position: int) -> ViewSpec:
    """Read one ``views`` entry; raise ``ViewProblem`` on anything not drawable.

    Checks the shape and the fields against the schema (not the data: see ``check_data``).
    """
    if not isinstance(view, dict):
        raise ViewProblem(f"view #{position + 1} must be an object with a name and a spec")
    name = view.get("name")
    if not isinstance(name, str) or not VIEW_NAME.match(name):
        raise ViewProblem(
            f"view #{position + 1} needs a 'name' of lowercase letters, digits and hyphens "
            f"(it becomes the chart's file name), got {name!r}"
        )
    title = view.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ViewProblem("the view needs a 'title' (it is the chart's caption)")
    resource = view_resource(dataset, view)
    spec_type = view.get("specType", "simple")
    spec = view.get("spec")
    if not isinstance(spec, dict):
        raise ViewProblem("the view needs a 'spec' object")
    common = {
        "name": name,
        "title": title.strip(),
        "description": str(view.get("description", "")),
        "resource": resource.name,
        "highlight": view.get("highlight") is True,
    }
    if spec_type == "vega-lite":
        return parse_vega_lite(resource, spec, common)
    if spec_type != "simple":
        raise ViewProblem(f"unknown specType {spec_type!r}; use 'simple' or 'vega-lite'")
    return parse_simple(resource, spec, common)


def view_resource(dataset: Dataset, view: dict[str, Any]) -> Resource:
    names = view.get("resources", [dataset.resources[0].name] if dataset.resources else [])
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or len(names) != 1:
        raise ViewProblem("'resources' must name exactly one resource of the dataset")
    try:
        return dataset.resource(names[0])
    except KeyError:
        known = ", ".join(r.name for r in dataset.resources)
        raise ViewProblem(f"unknown resource {names[0]!r}; the dataset has: {known}") from None


def parse_simple(resource: Resource, spec: dict[str, Any], common: dict[str, Any]) -> ViewSpec:
    unknown = sorted(set(spec) - SIMPLE_KEYS)
    if unknown:
        raise ViewProblem(
            f"unknown spec key(s) {', '.join(unknown)}; known: {', '.join(sorted(SIMPLE_KEYS))}"
        )
    chart_type = spec.get("type")
    if chart_type not in CHART_TYPES:
        raise ViewProblem(f"unknown chart type {chart_type!r}; use one of {', '.join(CHART_TYPES)}")
    fields = {f.name: f for f in resource.fields}
    series = spec.get("series") or spec.get("colour") or spec.get("color")
    aggregate = spec.get("aggregate")
    if aggregate is not None and aggregate not in AGGREGATES:
        raise ViewProblem(f"unknown aggregate {aggregate!r}; use one of {', '.join(AGGREGATES)}")
    sort = spec.get("sort")
    if sort is not None and sort not in SORTS:
        raise ViewProblem(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    view = ViewSpec(
        chart_type=chart_type,
        x=spec.get("x"),
        y=spec.get("y"),
        series=series,
        sort=sort,
        aggregate=aggregate,
        filter=parse_filter(spec.get("filter"), fields),
        units=str(spec.get("units", "")),
        **{**common, "title": spec.get("title") or common["title"]},
    )
    for role, name in (("x", view.x), ("y", view.y), ("series", view.series)):
        if name is not None and name not in fields:
            raise ViewProblem(unknown_field(role, name, resource))
    if view.category is None:
        axis = "y" if chart_type == "hbar" else "x"
        raise ViewProblem(f"a {chart_type} chart needs '{axis}', the category field")
    if view.value is None and aggregate != "count":
        raise ViewProblem(
            f"a {chart_type} chart needs '{view.value_axis}', the value field "
            "(or aggregate 'count')"
        )
    if view.value is not None and fields[view.value].type not in NUMERIC_TYPES:
        value_field = fields[view.value]
        hint = " (for horizontal bars x is the value and y the category)" * (chart_type == "hbar")
        raise ViewProblem(
            f"'{view.value_axis}' is the value axis of a {chart_type} chart and must be a "
            f"number, but field {value_field.name!r} is {value_field.type}{hint}"
        )
    if chart_type in SERIES_TYPES and view.series is None:
        raise ViewProblem(f"a {chart_type} chart needs 'series', the field that forms the groups")
    return view


def unknown_field(role: str, name: Any, resource: Resource) -> str:
    known = ", ".join(f.name for f in resource.fields)
    return f"'{role}' names unknown field {name!r} of resource {resource.name!r}; fields: {known}"


def parse_filter(raw: Any, fields: dict[str, Field]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ViewProblem("'filter' must be an object {field: value} (equality only)")
    for name, value in raw.items():
        if name not in fields:
            raise ViewProblem(f"'filter' names unknown field {name!r}")
        if isinstance(value, dict | list):
            raise ViewProblem(f"'filter' on {name!r} must be one plain value (equality only)")
    return dict(raw)


def parse_vega_lite(resource: Resource, spec: dict[str, Any], common: dict[str, Any]) -> ViewSpec:
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
    return ViewSpec(chart_type=vega_lite_mark(spec), vega_lite=spec, **common)


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
        mark = spec["layer"][0].get("mark")
    if isinstance(mark, dict):
        mark = mark.get("type")
    return str(mark or "chart")


def walk(value: Any, path: str = "spec") -> Iterator[tuple[str, str, Any]]:
    """Every (path, key, value) of a JSON tree, depth first."""
    if isinstance(value, dict):
        for key, child in value.items():
            child_path = f"{path}.{key}"
            yield child_path, key, child
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


def check_data(view: ViewSpec, frame: pd.DataFrame) -> None:
    """Problems that only the data shows: filter values absent, no rows, several rows per mark."""
    for name, wanted in view.filter.items():
        present = frame[name].dropna().astype(str).unique().tolist()
        if str(wanted) not in present:
            shown = ", ".join(repr(v) for v in present[:12])
            raise ViewProblem(
                f"'filter' value {wanted!r} never occurs in field {name!r}; values: {shown}"
            )
    rows = apply_filter(frame, view.filter)
    if rows.empty:
        raise ViewProblem("the filter leaves no rows to draw")
    if view.is_vega_lite or view.aggregate:
        return
    keys = [k for k in (view.category, view.series) if k]
    duplicated = rows[rows.duplicated(subset=keys, keep=False)]
    if not duplicated.empty:
        sample = ", ".join(str(v) for v in duplicated[keys[0]].astype(str).unique()[:3])
        raise ViewProblem(
            f"several rows fall on one mark ({'/'.join(keys)}: {sample}); add a 'filter' "
            "or an 'aggregate' (sum, mean or count)"
        )


def apply_filter(frame: pd.DataFrame, equal: dict[str, Any]) -> pd.DataFrame:
    """Rows where every filtered field equals its value (compared as text, as written)."""
    import pandas as pd

    mask = pd.Series(True, index=frame.index)
    for name, wanted in equal.items():
        mask &= frame[name].astype("string").fillna("") == str(wanted)
    return frame[mask]


def parse_views(
    dataset: Dataset, tables: dict[str, pd.DataFrame] | None = None
) -> tuple[list[ViewSpec], list[ValidationError]]:
    """Every view of a dataset, checked against its schema and data: (views, errors)."""
    raw_views = dataset.get("views", [])
    if raw_views in (None, []):
        return [], []
    if not isinstance(raw_views, list):
        return [], [view_error(dataset, None, "'views' must be a list of chart declarations")]
    from ..tables import read_table

    views, errors, seen = [], [], set()
    tables = dict(tables or {})
    for position, raw in enumerate(raw_views):
        label = raw.get("name") if isinstance(raw, dict) else None
        try:
            view = parse_view(dataset, raw, position)
            if view.name in seen:
                raise ViewProblem("another view has the same name")
            seen.add(view.name)
            if view.resource not in tables:
                tables[view.resource] = read_table(dataset.resource(view.resource))
            check_data(view, tables[view.resource])
        except ViewProblem as problem:
            errors.append(view_error(dataset, label, str(problem)))
            continue
        views.append(view)
    return views, errors


def view_error(dataset: Dataset, view_name: str | None, message: str) -> ValidationError:
    shown = getattr(dataset, "shown_path", None) or str(dataset.descriptor_path)
    where = f'view "{view_name}"' if view_name else "views"
    return ValidationError(
        type="view-error",
        message=f'Dataset "{dataset.slug}", {where}: {message}',
        dataset=dataset.slug,
        file=str(shown),
        line=line_of_view(dataset, view_name),
    )


def line_of_view(dataset: Dataset, view_name: str | None) -> int | None:
    """The descriptor line declaring the view, for CI annotations."""
    try:
        text = dataset.descriptor_path.read_text(encoding="utf-8")
    except OSError:
        return None
    needle = f'"{view_name}"' if view_name else '"views"'
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def check_views(dataset: Dataset) -> list[ValidationError]:
    """The ``validation_checks`` check: every chart declaration of a dataset."""
    return parse_views(dataset)[1]
