"""Charts of any size: time axes for temporal fields, and data thinned before Vega-Lite.

A chart is a picture a few hundred pixels wide. Drawing 17,000 points or 266 series
makes a multi-megabyte SVG that shows no more than 500 well-chosen points, and a date
axis of 1,900 categories overflowed the renderer's stack. So, before Vega-Lite:

- temporal fields (``date``, ``datetime``, ``year``, ``yearmonth``, Plot's
  ``dateFields``, and text columns whose values are all ISO dates) are drawn on a UTC
  time axis, never as categories;
- a line, area or dot chart keeps at most ``MAX_POINTS`` points, chosen per series by
  Largest-Triangle-Three-Buckets (Steinarsson 2013: the points that keep the line's
  shape, peaks included) — real rows, never invented ones;
- bars over time are averaged per coarser period (month, year, decade) until at most
  ``MAX_BARS`` remain; bars of categories keep the ``MAX_BARS`` largest;
- at most ``MAX_SERIES`` series are drawn (those with the largest latest value).

Each reduction is a ``Reduction`` that the text alternative states ("drawn from 600 of
17,195 points"); the full data stays in the downloads.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from moldir.model.dataset import Field

MAX_POINTS = 400  # points of a line/area/dot chart, all series together
MIN_POINTS_PER_SERIES = 60
MAX_BARS = 60
MAX_SERIES = 10
# Above this many marks, points, value labels and keyboard stops are left out.
LABELLED_MARKS = 24

YEAR = "year"
MONTH = "month"
DAY = "day"
DATETIME = "datetime"

_TIME = r"[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
_PATTERNS = (
    (YEAR, re.compile(r"^\d{4}$")),
    (MONTH, re.compile(r"^\d{4}-\d{2}$")),
    (DAY, re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    (DATETIME, re.compile(rf"^\d{{4}}-\d{{2}}-\d{{2}}{_TIME}$")),
)
_ORDER = {YEAR: 0, MONTH: 1, DAY: 2, DATETIME: 3}
# Label formats (tables, text) and axis formats (d3-time-format) per granularity.
LABEL_FORMATS = {YEAR: "%Y", MONTH: "%Y-%m", DAY: "%Y-%m-%d", DATETIME: "%Y-%m-%d %H:%M"}
COARSER = {DATETIME: DAY, DAY: MONTH, MONTH: YEAR, YEAR: "decade"}


@dataclass(frozen=True)
class Reduction:
    """What was done to fit the data to a chart, for the text alternative.

    ``kind``: "sample" (points chosen), "period-mean" (bars averaged per ``unit``),
    "largest" (the largest categories), "series" (the largest series), "mean" (rows
    sharing an x averaged), "split" (rows sharing an x drawn as series by ``unit``, a
    field), "log" (values ≤ 0 left out of a log scale).
    """

    kind: str
    drawn: int
    total: int
    unit: str = ""


def granularity_of_text(values: pd.Series) -> str | None:
    """The finest granularity every non-missing text value matches, or None."""
    text = values.dropna().astype(str).str.strip()
    if text.empty:
        return None
    found = None
    for value in text.unique()[:5000]:
        kind = next((name for name, pattern in _PATTERNS if pattern.match(value)), None)
        if kind is None:
            return None
        if found is None or _ORDER[kind] > _ORDER[found]:
            found = kind
    return found


def time_granularity(field: Field | None, column: pd.Series, forced: bool = False) -> str | None:
    """How finely a column is dated (``YEAR``…``DATETIME``), or None if it is not a time.

    Declared ``date``/``datetime``/``year``/``yearmonth`` fields are times whatever their
    values look like once read; text fields are times when every value is an ISO date
    (data-hub packages declare ``date`` with ``format: any`` and write "1850-01"); numbers
    are years only when named in Plot's ``dateFields`` (``forced``).
    """
    declared = field.type if field is not None else "any"
    column = column.dropna()
    if column.empty:
        return None
    if declared == "year":
        return YEAR
    if declared == "yearmonth":
        return MONTH
    if pd.api.types.is_datetime64_any_dtype(column):
        times = pd.DatetimeIndex(column)
        midnight = (times.hour == 0) & (times.minute == 0) & (times.second == 0)
        return DAY if midnight.all() else DATETIME
    if pd.api.types.is_numeric_dtype(column):
        if (declared in ("date", "datetime") or forced) and _whole_years(column):
            return YEAR
        return None
    sample = column.iloc[0]
    if hasattr(sample, "isoformat") and not isinstance(sample, str):
        kinds = {DATETIME if hasattr(v, "hour") and (v.hour or v.minute) else DAY for v in column}
        return DATETIME if DATETIME in kinds else DAY
    found = granularity_of_text(column)
    if found is None and (declared in ("date", "datetime") or forced):
        parsed = pd.to_datetime(column.astype(str), errors="coerce", utc=True)
        return DAY if parsed.notna().all() else None
    return found


def _whole_years(column: pd.Series) -> bool:
    numbers = pd.to_numeric(column, errors="coerce").dropna()
    return bool(len(numbers)) and bool(
        ((numbers % 1 == 0) & (numbers >= 1) & (numbers <= 9999)).all()
    )


def to_timestamps(column: pd.Series, granularity: str) -> pd.Series:
    """The column as UTC timestamps (NaT where missing or unreadable)."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        years = pd.to_numeric(column, errors="coerce")
        text = years.map(lambda v: None if pd.isna(v) else f"{int(v):04d}-01-01")
        return pd.to_datetime(text, errors="coerce", utc=True, format="%Y-%m-%d")
    if pd.api.types.is_datetime64_any_dtype(column):
        stamps = pd.to_datetime(column, errors="coerce")
        return stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps.dt.tz_convert("UTC")
    text = column.map(_iso_text)
    if granularity == YEAR:
        text = text.map(lambda v: f"{v[:4]}-01-01" if isinstance(v, str) else v)
    elif granularity == MONTH:
        text = text.map(lambda v: f"{v[:7]}-01" if isinstance(v, str) and len(v) >= 7 else v)
    return pd.to_datetime(text, errors="coerce", utc=True, format="mixed")


def _iso_text(value: Any) -> str | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return str(value).strip() or None


def time_labels(stamps: pd.Series, granularity: str) -> pd.Series:
    """Labels for tables and text ("1850", "1850-01", "2008-07-03")."""
    return stamps.dt.strftime(LABEL_FORMATS.get(granularity, "%Y-%m-%d")).astype(object)


def iso_for_vega(stamps: pd.Series) -> pd.Series:
    """Timestamps as ISO text that Vega reads as UTC ("2008-07-03T00:00:00Z")."""
    return stamps.dt.strftime("%Y-%m-%dT%H:%M:%SZ").astype(object)


def axis_time_format(stamps: pd.Series, granularity: str) -> tuple[str, dict[str, Any] | None]:
    """A d3 time format for the axis and a tick interval, so that ticks fall on whole
    years for yearly data (never "April" between two years) and stay about 6 apart."""
    valid = stamps.dropna()
    if valid.empty:
        return "%Y", None
    span_days = (valid.max() - valid.min()).days
    years = span_days / 365.25
    if granularity == YEAR or years >= 4:
        step = nice_step(max(years, 1) / 6)
        return "%Y", {"interval": "year", "step": step}
    if granularity == MONTH or span_days > 90:
        months = max(1, round(span_days / 30.44 / 6))
        return "%b %Y", {"interval": "month", "step": months}
    return "%d %b %Y", None


def nice_step(raw: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if step >= raw:
            return step
    return int(math.ceil(raw / 1000) * 1000)


def lttb(x: np.ndarray, y: np.ndarray, threshold: int) -> np.ndarray:
    """Indices of ``threshold`` points of (x, y) chosen by Largest-Triangle-Three-Buckets.

    The first and last points are kept; each bucket between keeps the point forming the
    largest triangle with the point kept before it and the mean of the next bucket.
    ``x`` must be increasing and ``y`` free of NaN.
    """
    size = len(x)
    if threshold >= size or threshold < 3:
        return np.arange(size)
    chosen = np.empty(threshold, dtype=np.int64)
    chosen[0], chosen[-1] = 0, size - 1
    edges = np.linspace(1, size - 1, threshold - 1).astype(np.int64)
    previous = 0
    for bucket in range(threshold - 2):
        start, end = edges[bucket], max(edges[bucket + 1], edges[bucket] + 1)
        next_start, next_end = (
            edges[bucket + 1],
            edges[bucket + 2] if bucket + 2 < len(edges) else size,
        )
        next_end = max(next_end, next_start + 1)
        mean_x = x[next_start:next_end].mean()
        mean_y = y[next_start:next_end].mean()
        px, py = x[previous], y[previous]
        areas = np.abs((px - mean_x) * (y[start:end] - py) - (px - x[start:end]) * (mean_y - py))
        previous = start + int(np.argmax(areas))
        chosen[bucket + 1] = previous
    return chosen


def sample_series(
    frame: pd.DataFrame, x: str, value: str, series: str | None, budget: int
) -> pd.DataFrame:
    """At most ``budget`` rows, each series thinned by LTTB along ``x`` (a numeric or
    ISO-time column), keeping its missing figures out (they are not drawn anyway)."""
    groups = [frame] if series is None else [g for _k, g in frame.groupby(series, sort=False)]
    per_series = max(MIN_POINTS_PER_SERIES, budget // max(len(groups), 1))
    kept = []
    for group in groups:
        group = group[group[value].notna()]
        if len(group) <= per_series:
            kept.append(group)
            continue
        position = _positions(group[x])
        order = np.argsort(position, kind="stable")
        group, position = group.iloc[order], position[order]
        values = group[value].astype("float64").to_numpy()
        kept.append(group.iloc[lttb(position, values, per_series)])
    return pd.concat(kept) if kept else frame.iloc[0:0]


def _positions(column: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(column):
        return column.astype("float64").to_numpy()
    stamps = pd.to_datetime(column, errors="coerce", utc=True)
    return (stamps.astype("int64") // 10**9).astype("float64").to_numpy()


def period_start(stamps: pd.Series, unit: str) -> pd.Series:
    """Each timestamp's period (day, month, year or decade) as the period's first instant."""
    if unit == DAY:
        return stamps.dt.floor("D")
    if unit == MONTH:
        return pd.to_datetime(stamps.dt.strftime("%Y-%m-01"), utc=True)
    years = stamps.dt.year
    if unit == "decade":
        years = (years // 10) * 10
    return pd.to_datetime(years.map(lambda v: f"{int(v):04d}-01-01"), utc=True)
