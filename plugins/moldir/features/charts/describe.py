"""Text alternatives generated from a chart's data, in the reader's language.

One or two sentences: the chart type, its main message (highest and lowest values, or
the trend from the first period to the last), the units, and where the full table is —
as ACCESSIBILITY.md asks. Every sentence is a gettext message with named placeholders,
so translators can reorder them; numbers go through ``format_value`` (Babel, per locale).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from babel.numbers import format_decimal

# pandas and .build (Altair) only for type hints here: the chart feature imports this module
# for its messages, also in ``moldir validate``, which draws nothing.
if TYPE_CHECKING:
    import pandas as pd

    from moldir.features.charts.build import ChartData

Gettext = Callable[[str], str]


def _identity(message: str) -> str:
    return message


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is used."""
    return message


SOURCE_LANG = "en"  # the language of the messages below
TABLE_BELOW = N_("Full data in the table below.")
# When the chart leaves figures out (sizing.py), its table lists what is drawn.
DRAWN_TABLE_BELOW = N_("The drawn figures are in the table below.")
FULL_DATA_IN_DOWNLOADS = N_("The full data is in the downloads.")
PERIODS = {
    "day": N_("day"),
    "month": N_("month"),
    "year": N_("year"),
    "decade": N_("decade"),
}

CHART_KINDS = {
    "bar": N_("Bar chart"),
    "hbar": N_("Horizontal bar chart"),
    "grouped-bar": N_("Grouped bar chart"),
    "stacked-bar": N_("Stacked bar chart"),
    "line": N_("Line chart"),
    "area": N_("Area chart"),
    "point": N_("Dot chart"),
    "arc": N_("Pie chart"),
    "rect": N_("Heat map"),
    "chart": N_("Chart"),
}


def format_value(
    value: float, locale: str = "en", units: str = "", gettext: Gettext = _identity
) -> str:
    """A number as the reader's locale writes it (22,365 · 22 365), with its units; money
    (units an ISO 4217 code) in short words with its currency ("CA$2.85 bn", "2,85 млрд
    CA$")."""
    from moldir.features.charts.localize import currency_of
    from moldir.model.numbers import format_compact

    number = float(value)
    if currency_of(units):
        return format_compact(number, locale, units)
    digits = 0 if number.is_integer() else 1
    text = format_decimal(
        round(number, digits),
        format="#,##0.#" if digits else "#,##0",
        locale=locale.replace("-", "_") or "en",
    )
    if units:
        return gettext("%(value)s %(units)s") % {"value": text, "units": units}
    return text


def chart_kind(chart_type: str, gettext: Gettext = _identity) -> str:
    return gettext(CHART_KINDS.get(chart_type, CHART_KINDS["chart"]))


def describe(
    data: ChartData,
    gettext: Gettext = _identity,
    locale: str = "en",
    table_hint: str | None = None,
) -> str:
    """The text alternative of a simple chart: the facts come from every row drawn from
    (before thinning), and what was thinned is said."""
    view = data.view
    kind = chart_kind(view.chart_type, gettext)
    value = data.value_column
    # Facts come from every row drawn from, except where each bar is a period's mean.
    averaged = any(note.kind == "period-mean" for note in data.reductions)
    facts = data.full if data.full is not None and not averaged else data.frame
    if "_position" in facts.columns:
        facts = facts.sort_values("_position", kind="stable")
    rows = facts.dropna(subset=[value])

    def fmt(number: float) -> str:
        return format_value(number, locale, view.units, gettext)

    if table_hint is not None:
        hint = table_hint
    elif data.reduced:
        hint = gettext(DRAWN_TABLE_BELOW)
    else:
        hint = gettext(TABLE_BELOW)
    if rows.empty:
        return " ".join(
            filter(None, [gettext("%(kind)s: no figures to show.") % {"kind": kind}, hint])
        )
    if view.chart_type in ("line", "area"):
        message = describe_trend(data, rows, kind, fmt, gettext)
    elif view.chart_type == "stacked-bar":
        totals = rows.groupby(view.category, sort=False)[value].sum()
        message = extremes(kind, totals, fmt, gettext, total=True)
    elif view.series:
        keyed = rows.set_index([view.category, view.series])[value]
        keyed.index = [f"{c} ({s})" for c, s in keyed.index]
        message = extremes(kind, keyed, fmt, gettext)
    else:
        message = extremes(kind, rows.set_index(view.category)[value], fmt, gettext)
    missing = int(facts[value].isna().sum())
    parts = [message]
    if missing:
        parts.append(gettext("Figures missing, not drawn: %(count)s.") % {"count": missing})
    parts.extend(reduction_sentences(data, gettext, locale))
    if data.reduced:
        parts.append(gettext(FULL_DATA_IN_DOWNLOADS))
    parts.append(hint)
    return " ".join(part for part in parts if part)


def reduction_sentences(data: ChartData, gettext: Gettext, locale: str) -> list[str]:
    """One sentence per way the chart was fitted to its data (sizing.Reduction)."""

    def count(number: int) -> str:
        return format_decimal(number, locale=locale.replace("-", "_") or "en")

    sentences = []
    for note in data.reductions:
        facts = {"drawn": count(note.drawn), "total": count(note.total), "field": note.unit}
        if note.kind == "sample":
            template = N_(
                "Drawn from %(drawn)s of %(total)s points, chosen to keep the shape of each line."
            )
        elif note.kind == "period-mean":
            facts["unit"] = gettext(PERIODS.get(note.unit, note.unit))
            template = N_(
                "Each bar is the mean of its %(unit)s: %(total)s values drawn as %(drawn)s bars."
            )
        elif note.kind == "largest":
            template = N_("The %(drawn)s largest of %(total)s categories are drawn.")
        elif note.kind == "series":
            template = N_("%(drawn)s of %(total)s series are drawn, those with the largest values.")
        elif note.kind == "mean":
            template = N_(
                "Rows sharing one %(field)s are drawn as their mean: %(total)s rows, "
                "%(drawn)s marks."
            )
        elif note.kind == "split":
            template = N_("Rows sharing one period are drawn as one series per %(field)s.")
        elif note.kind == "log":
            facts["count"] = count(note.total - note.drawn)
            template = N_(
                "Figures of zero or below cannot be drawn on the logarithmic scale: "
                "%(count)s left out."
            )
        else:
            continue
        sentences.append(gettext(template) % facts)
    return sentences


def extremes(
    kind: str, values: pd.Series, fmt: Callable[[float], str], gettext: Gettext, total: bool = False
) -> str:
    """'<kind>: the highest is A, 22,365 citizens; the lowest is B, 12 citizens.'"""
    values = values.astype("float64")
    if len(values) == 1:
        return gettext("%(kind)s with one value: %(label)s, %(value)s.") % {
            "kind": kind,
            "label": values.index[0],
            "value": fmt(values.iloc[0]),
        }
    top, bottom = values.idxmax(), values.idxmin()
    if math.isclose(values.max(), values.min()):
        return gettext("%(kind)s: all %(count)s values are equal, %(value)s.") % {
            "kind": kind,
            "count": len(values),
            "value": fmt(values.max()),
        }
    template = (
        N_(
            "%(kind)s: the largest total is %(top)s, %(top_value)s; "
            "the smallest is %(bottom)s, %(bottom_value)s."
        )
        if total
        else N_(
            "%(kind)s: the highest is %(top)s, %(top_value)s; "
            "the lowest is %(bottom)s, %(bottom_value)s."
        )
    )
    return gettext(template) % {
        "kind": kind,
        "top": top,
        "top_value": fmt(values.max()),
        "bottom": bottom,
        "bottom_value": fmt(values.min()),
    }


def trend_word(first: float, last: float, gettext: Gettext) -> str:
    if math.isclose(first, last, rel_tol=0.02):
        return gettext("stays about level")
    return gettext("rises") if last > first else gettext("falls")


def describe_trend(
    data: ChartData, rows: pd.DataFrame, kind: str, fmt: Callable[[float], str], gettext: Gettext
) -> str:
    """'Line chart from 2020 to 2022: rises from 10 to 30 requests; the peak is 35 in 2021.'"""
    view, value = data.view, data.value_column
    groups = [(None, rows)] if not view.series else list(rows.groupby(view.series, sort=False))
    sentences = []
    first_x, last_x = data.categories[0], data.categories[-1]
    for name, group in groups[:6]:
        values = group[value].astype("float64").tolist()
        periods = group[view.category].tolist()
        peak = max(range(len(values)), key=values.__getitem__)
        facts = {
            "trend": trend_word(values[0], values[-1], gettext),
            "first": fmt(values[0]),
            "last": fmt(values[-1]),
            "peak": fmt(values[peak]),
            "peak_at": periods[peak],
            "series": name,
        }
        if name is None:
            sentences.append(
                gettext("%(trend)s from %(first)s to %(last)s; the peak is %(peak)s in %(peak_at)s")
                % facts
            )
        else:
            sentences.append(gettext("%(series)s %(trend)s from %(first)s to %(last)s") % facts)
    return gettext("%(kind)s from %(start)s to %(end)s: %(facts)s.") % {
        "kind": kind,
        "start": first_x,
        "end": last_x,
        "facts": "; ".join(sentences),
    }


def describe_rows(
    chart_type: str,
    rows: pd.DataFrame,
    category: str | None,
    value: str | None,
    gettext: Gettext = _identity,
    locale: str = "en",
    units: str = "",
    table_hint: str | None = None,
) -> str:
    """The text alternative of a full Vega-Lite view, from its main category and value."""
    kind = chart_kind(chart_type, gettext)
    hint = gettext(TABLE_BELOW) if table_hint is None else table_hint
    if not category or not value or rows.empty:
        return " ".join(filter(None, [kind + ".", hint]))
    import pandas as pd

    values = pd.to_numeric(rows[value], errors="coerce").astype("float64")
    keyed = pd.Series(values.to_numpy(), index=rows[category].astype(str)).dropna()
    keyed = keyed.groupby(level=0, sort=False).sum()
    if keyed.empty:
        return " ".join(filter(None, [kind + ".", hint]))
    fmt = functools.partial(format_value, locale=locale, units=units, gettext=gettext)
    return " ".join(filter(None, [extremes(kind, keyed, fmt, gettext), hint]))
