"""A chart for one reader: the page's language and the room the chart has.

Every chart is drawn for each page language and for three geometries (``Layout``), all
sized in ``em`` so that the page scales them with the reader's font size:

- ``compact``: 128 CSS px (8em), for phones in the visually-impaired mode at 125–200 %,
  where it is shown 160–256 px wide with 15–24 px text and fits a 320 px screen;
- ``narrow``: 288 CSS px (18em), for phones (320–420 px viewports) and for the VI mode on
  wider screens (27em at 150 %, 36em at 200 %);
- ``wide``: 640 CSS px (40em), for wider screens.

Texts come from the descriptor in the reader's language (``moldir.pipeline.labels``: field titles,
value labels of codes and booleans; a view's ``units`` from ``i18n.<lang>.views.<view>.units``)
and numbers are written for people (``moldir.model.numbers``: "617 280", "CA$2.85 bn", "2,85 млрд").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from babel.numbers import get_currency_name

from moldir.features.charts.spec import SERIES_COLUMN, X
from moldir.model.numbers import format_compact, format_number
from moldir.pipeline import labels as labelling

if TYPE_CHECKING:
    from moldir.features.charts.build import ChartData

# The SVG's whole width, in CSS px at a 16 px root font size.
GEOMETRIES: dict[str, int] = {"compact": 128, "narrow": 288, "wide": 640}
ROOT_FONT_PX = 16
# Value labels in full below this; in short words above ("2.85 bn"). Axis ticks from 10,000.
LABEL_COMPACT_FROM = 1_000_000
TICK_COMPACT_FROM = 10_000


@dataclass(frozen=True)
class Layout:
    """Who a chart is drawn for: the language of its words and numbers, its geometry."""

    lang: str = "en"
    geometry: str = "wide"

    @property
    def width(self) -> int:
        return GEOMETRIES[self.geometry]

    @property
    def narrow(self) -> bool:
        """Narrow or compact: bar charts as rows, fewer ticks."""
        return self.geometry in ("narrow", "compact")

    @property
    def compact(self) -> bool:
        return self.geometry == "compact"

    @property
    def tick_count(self) -> int:
        return 2 if self.compact else 3 if self.narrow else 5


def language(lang: str) -> str:
    return (lang or "en").replace("_", "-").split("-")[0].lower()


def currency_of(units: str | None) -> str | None:
    """The ISO 4217 code when a view's ``units`` is one ("CAD", "KZT"), else None."""
    code = (units or "").strip()
    if len(code) != 3 or not code.isalpha() or not code.isupper():
        return None
    try:
        return code if get_currency_name(code, locale="en") != code else None
    except Exception:  # an unknown code: not money
        return None


def value_formatter(values: list[float], units: str | None, lang: str) -> Callable[[Any], str]:
    """How a chart writes its values: in full with the language's separators ("617 280"),
    in short words from a million or with a currency ("CA$2.85 bn", "2,85 млрд CA$"); whole
    values never with ".0", others with at most one decimal."""
    currency = currency_of(units)
    whole = all(float(v).is_integer() for v in values)
    biggest = max((abs(float(v)) for v in values), default=0.0)

    def write(value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        number = float(value)
        if biggest >= LABEL_COMPACT_FROM or (currency and biggest >= TICK_COMPACT_FROM):
            return format_compact(number, lang, currency, threshold=TICK_COMPACT_FROM)
        text = format_number(int(number) if whole else round(number, 1), lang)
        return format_compact(number, lang, currency) if currency else text

    return write


def tick_formatter(units: str | None, lang: str, ticks: list[float]) -> Callable[[float], str]:
    """Axis tick labels, all in one style: short words when the axis reaches 10,000
    ("0, 5 k, 10 k, 15 k"; "2 млрд"), else in full; never a trailing ".0"."""
    currency = currency_of(units)
    compact = max((abs(t) for t in ticks), default=0) >= TICK_COMPACT_FROM

    def write(value: float) -> str:
        if compact:
            return format_compact(value, lang, currency, threshold=1000)
        text = format_number(int(value) if float(value).is_integer() else value, lang)
        return format_compact(value, lang, currency) if currency else text

    return write


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """At most ``count`` + 1 round ticks (1, 2, 2.5 or 5 × 10ⁿ apart) covering low…high;
    always at least three (never an axis of "0 … 3,000,000,000" alone)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    span = high - low
    for wanted in range(max(count, 2), 1, -1):
        raw = span / wanted
        power = 10 ** math.floor(math.log10(raw))
        for factor in (1, 2, 2.5, 5, 10):
            step = factor * power
            if span / step <= wanted:
                break
        first = math.floor(low / step) * step
        ticks = []
        value = first
        while value < high + step * 1e-9:
            ticks.append(round(value, 10))
            value += step
        if high - ticks[-1] > step * 1e-9:
            ticks.append(round(value, 10))
        if len(ticks) >= 3:
            return [float(t) for t in ticks]
    return [low, (low + high) / 2, high]


def label_expression(ticks: list[float], write: Callable[[float], str]) -> str:
    """A Vega ``labelExpr`` writing each tick as ``write`` does (Moldir's own text,
    JSON-quoted; never an editor's expression)."""
    import json

    def text(tick: float) -> str:
        return json.dumps("0" if tick == 0 else write(tick), ensure_ascii=False)

    parts = [f"datum.value == {tick!r} ? {text(tick)}" for tick in ticks]
    return " : ".join([*parts, "''"])


def view_units(descriptor: dict[str, Any] | None, view: Any, lang: str) -> str:
    """A view's ``units`` in ``lang`` (``i18n.<lang>.views.<view>.units``), else as declared."""
    units = getattr(view, "units", "") or ""
    if not descriptor or currency_of(units):
        return units
    block = (((descriptor.get("i18n") or {}).get(language(lang)) or {}).get("views") or {}).get(
        getattr(view, "name", ""), {}
    )
    translated = block.get("units") if isinstance(block, dict) else None
    return translated if isinstance(translated, str) and translated else units


def localize(data: ChartData, descriptor: dict[str, Any] | None, lang: str) -> ChartData:
    """``data`` with its titles, categories and series in ``lang`` (moldir.pipeline.labels); the
    English data is returned as is. Labels that would merge two values are not used."""

    code = language(lang)
    view = data.view
    if not descriptor or view.static_rows is not None:
        return data
    resource = view.resource

    def title(name: str | None, fallback: str) -> str:
        if not name or name not in field_names:
            return fallback
        return str(labelling.field_title(descriptor, resource, name, code)) or fallback

    field_names = {
        f.get("name")
        for r in descriptor.get("resources") or []
        if isinstance(r, dict) and r.get("name") == resource
        for f in ((r.get("schema") or {}).get("fields") or [])
        if isinstance(f, dict)
    }

    def mapping(name: str | None, values: list[str]) -> dict[str, str]:
        if not name or name not in field_names or name in (SERIES_COLUMN, X):
            return {}
        found = {v: str(labelling.value_label(descriptor, resource, name, v, code)) for v in values}
        found = {k: v for k, v in found.items() if v}
        if len(set(found.values())) != len(found):
            return {}  # two values would read alike: keep the data's own words
        return found

    categories = mapping(view.category, data.categories) if data.axis == "N" else {}
    series = mapping(view.series, data.series)
    frame = data.frame.copy()
    full = data.full.copy() if data.full is not None else None
    for rows in (frame, full):
        if rows is None:
            continue
        if categories:
            rows[view.category] = rows[view.category].map(lambda c: categories.get(c, c))
        if series:
            rows[view.series] = rows[view.series].map(lambda s: series.get(s, s))
    units = view_units(descriptor, view, lang)
    value_label = (
        title(view.value, data.value_label) if view.value and not view.wide else data.value_label
    )
    if view.value and view.filter:
        # A long table filtered to one measure: the axis says what is counted
        # ("Citizens received"), not the generic column ("Value (citizens)").
        words = [
            str(labelling.value_label(descriptor, resource, name, wanted, code))
            for name, wanted in view.filter.items()
            if name in field_names and labelling.has_labels(descriptor, resource, name)
        ]
        if len(words) == 1 and words[0]:
            value_label = words[0]
    return replace(
        data,
        view=replace(view, units=units),
        frame=frame,
        full=full,
        categories=[categories.get(c, c) for c in data.categories],
        series=[series.get(s, s) for s in data.series],
        category_label=title(view.category, data.category_label),
        value_label=value_label,
        series_label=title(view.series, data.series_label),
    )
