"""Appeal responses: what citizens asked about, how bodies answered and how fast.

The companion kind of appeal-statistics (``schemas/appeal-responses.json``): one row per
body, channel, topic, outcome and period, with the number of appeals, how many were
answered within the legal deadline, how many were overdue, and the median and average
days to answer. The dataset declares the deadline itself (``legalDeadline`` in its
descriptor, e.g. ``{"days": 15, "calendar": "working"}``), because it is the law of the
body's country that sets it.

This module holds the checks the schema cannot express (the deadline's declaration,
outcomes that add up to more than their total, on-time and overdue counts beyond the
appeals, a period that ends before it starts, a row given twice) and the summaries of the
``/appeals/`` page: per body and period the volume, share answered on time, median days,
overdue and outcome mix; volume by topic and by channel over time; and comparisons between
bodies, made only for periods that every compared body reports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moldir.features.kinds import kind_resources, row_errors
from moldir.model.dataset import Dataset, Resource
from moldir.model.errors import ConsistencyError, DeadlineError
from moldir.model.report import ValidationError

if TYPE_CHECKING:
    import pandas as pd

KIND = "appeal-responses"
OUTCOMES = ("resolved", "explained", "refused", "redirected", "in-progress")
ALL_OUTCOMES, ALL_TOPICS, ALL_CHANNELS = "all-outcomes", "all-topics", "all-channels"
CALENDARS = ("working", "calendar")
# Figures that add up over channels, topics and outcomes; medians and averages do not.
COUNTS = ("appeals", "answered_on_time", "overdue")
# Position in a row's key → the code of the total row and what its parts are called.
TOTALS = {
    1: (ALL_CHANNELS, "channels"),
    2: (ALL_TOPICS, "topics"),
    3: (ALL_OUTCOMES, "outcomes"),
}
EXAMPLE_DEADLINE = '"legalDeadline": {"days": 15, "calendar": "working"}'


# --- the legal deadline -----------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """The legal deadline for answering an appeal, as a dataset declares it."""

    days: int
    calendar: str  # "working" or "calendar" days
    law: str = ""
    url: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)

    def law_in(self, lang: str) -> str:
        """The law's name in ``lang`` (its ``i18n`` block), else as written."""
        return self.translations.get(lang, {}).get("law") or self.law


def legal_deadline(dataset: Dataset) -> Deadline | None:
    """The dataset's ``legalDeadline``, or None when it is missing or malformed (the
    check, ``deadline_problems``, says what is wrong)."""
    value = dataset.get("legalDeadline")
    if next(deadline_problems(dataset), None) is not None or not isinstance(value, dict):
        return None
    i18n = value.get("i18n") if isinstance(value.get("i18n"), dict) else {}
    return Deadline(
        days=int(value["days"]),
        calendar=value["calendar"],
        law=str(value.get("law") or ""),
        url=str(value.get("url") or ""),
        translations={k: v for k, v in i18n.items() if isinstance(v, dict)},
    )


def deadline_problems(dataset: Dataset) -> Iterable[ValidationError]:
    """deadline-error for a missing or malformed ``legalDeadline`` (naming the file and
    the property, with an example of a good one)."""
    value = dataset.get("legalDeadline")

    def error(prop: str, details: str) -> ValidationError:
        return DeadlineError.error(
            dataset.slug,
            file=dataset.shown_path or dataset.slug,
            property=prop,
            details=details,
        )

    if value is None:
        yield error(
            "legalDeadline",
            f"a dataset of the {KIND} kind declares the legal deadline its on-time and "
            f"overdue counts are measured against, e.g. {EXAMPLE_DEADLINE}",
        )
        return
    if not isinstance(value, dict):
        yield error("legalDeadline", f"must be an object, e.g. {{{EXAMPLE_DEADLINE}}}")
        return
    days = value.get("days")
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        yield error(
            "legalDeadline.days",
            f"must be a whole number of days greater than 0, not {days!r}",
        )
    if value.get("calendar") not in CALENDARS:
        yield error(
            "legalDeadline.calendar",
            f'must be "working" (working days) or "calendar" (calendar days), '
            f"not {value.get('calendar')!r}",
        )
    for key in ("law", "url"):
        if key in value and not isinstance(value[key], str):
            yield error(f"legalDeadline.{key}", "must be a text")
    unknown = sorted(set(value) - {"days", "calendar", "law", "url", "i18n"})
    if unknown:
        yield error(
            f"legalDeadline.{unknown[0]}",
            "unknown property; legalDeadline has days, calendar, law, url and i18n",
        )


# --- checks ------------------------------------------------------------------------------


def _figure(value: Any) -> float | None:
    """A cell as a number, None when empty (pandas gives NaN or NA for empty cells)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def check_responses(dataset: Dataset) -> Iterable[ValidationError]:
    """The deadline's declaration, and the rows' consistency."""
    if dataset.kind != KIND:
        return
    yield from deadline_problems(dataset)
    from moldir.pipeline.tables import read_table

    for resource in kind_resources(dataset):
        yield from row_problems(read_table(resource), dataset, resource)


def row_problems(
    frame: pd.DataFrame, dataset: Dataset, resource: Resource
) -> Iterable[ValidationError]:
    """consistency-error for each row that disagrees with itself or with its total."""
    error = row_errors(dataset, resource, ConsistencyError)
    seen: dict[tuple, int] = {}
    totals: dict[tuple, tuple[int, float | None]] = {}
    parts: dict[tuple, list[tuple[int, str, float | None]]] = {}
    for index, row in frame.iterrows():
        start, end = row["period_start"], row["period_end"]
        if start is not None and end is not None and end < start:
            yield error(index, "period_end", f"period_end {end} is before period_start {start}")
        key = (row["body"], row["channel"], row["topic"], row["outcome"], start, end)
        if key in seen:
            yield error(
                index,
                "outcome",
                f"{row['body']}, {row['channel']}, {row['topic']}, {row['outcome']} for "
                f"{start}–{end} is given twice (row {seen[key] + 2}); totals would count "
                "it twice",
            )
            continue
        seen[key] = index
        appeals = _figure(row["appeals"])
        on_time = _figure(row.get("answered_on_time"))
        overdue = _figure(row.get("overdue"))
        if appeals is not None and (on_time or 0) + (overdue or 0) > appeals:
            yield error(
                index,
                "overdue" if overdue else "answered_on_time",
                f"answered_on_time ({_n(on_time)}) + overdue ({_n(overdue)}) is more than "
                f"the {_n(appeals)} appeals of the row",
            )
        for position in TOTALS:
            group = (position, *key[:position], *key[position + 1 :])
            if key[position] == TOTALS[position][0]:
                totals[group] = (index, appeals)
            else:
                parts.setdefault(group, []).append((index, key[position], appeals))
    for group, items in parts.items():
        if group not in totals:
            continue
        index, total = totals[group]
        given = [value for _, _, value in items if value is not None]
        if total is None or not given:
            continue
        position, everything, name = group[0], *TOTALS[group[0]]
        added = sum(given)
        # Only the five outcomes are a complete list; topics and channels may be a few.
        complete = position == 3 and {code for _, code, value in items if value is not None} >= set(
            OUTCOMES
        )
        if added > total or (complete and added != total):
            rest = group[1:]  # the key without the totalled code
            yield error(
                index,
                "appeals",
                f"the {name} of {rest[0]} ({', '.join(map(str, rest[1:3]))}) for {rest[3]}–"
                f"{rest[4]} add up to {_n(added)}, "
                + ("not" if complete else "more than")
                + f" the {_n(total)} appeals of the {everything} row",
            )


def _n(value: float | None) -> str:
    if value is None:
        return "0"
    return f"{value:g}"


# --- summaries (pure functions of a table) -----------------------------------------------


class Figures:
    """The rows of one table, by (body, channel, topic, outcome, start, end); a total that
    no row gives is the sum of the rows it covers (all channels, all topics, all outcomes)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.rows: dict[tuple, dict[str, Any]] = {}
        self.codes: dict[int, list[str]] = {1: [], 2: [], 3: []}
        for record in frame.to_dict("records"):
            key = (
                record["body"],
                record["channel"],
                record["topic"],
                record["outcome"],
                record["period_start"],
                record["period_end"],
            )
            self.rows.setdefault(key, record)
            for position in self.codes:
                if key[position] not in self.codes[position]:
                    self.codes[position].append(key[position])

    def get(self, key: tuple, column: str) -> float | None:
        """The figure of ``column`` for ``key``; a total is added up from its parts."""
        row = self.rows.get(key)
        if row is not None:
            return _figure(row.get(column))
        if column not in COUNTS:
            return None  # a median cannot be made from the medians of its parts
        for position, everything in ((1, ALL_CHANNELS), (2, ALL_TOPICS), (3, ALL_OUTCOMES)):
            if key[position] != everything:
                continue
            found = [
                self.get((*key[:position], code, *key[position + 1 :]), column)
                for code in self.codes[position]
                if code != everything
            ]
            given = [value for value in found if value is not None]
            if given:
                return sum(given)
        return None


def period_label(start: Any, end: Any, granularity: str) -> str:
    """A short, language-neutral label: 2020, 2019 H1, 2022 Q1, 2022-03, or start–end."""
    if granularity == "year":
        return f"{start.year}"
    if granularity == "half-year":
        return f"{start.year} H{1 if start.month <= 6 else 2}"
    if granularity == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    if granularity == "month":
        return f"{start.year}-{start.month:02d}"
    return f"{start.isoformat()} – {end.isoformat()}"


def body_periods(frame: pd.DataFrame) -> dict[Any, list[tuple[Any, Any, str]]]:
    """Per body, its periods (start, end, granularity) in order."""
    periods: dict[Any, set] = {}
    for record in frame[["body", "period_start", "period_end", "granularity"]].to_dict("records"):
        periods.setdefault(record["body"], set()).add(
            (record["period_start"], record["period_end"], record["granularity"])
        )
    return {body: sorted(items) for body, items in periods.items()}


def headline(figures: Figures, body: Any, start: Any, end: Any) -> dict[str, Any]:
    """Volume, on time, overdue, days and outcomes of one body over one period."""
    key = (body, ALL_CHANNELS, ALL_TOPICS, ALL_OUTCOMES, start, end)
    appeals = figures.get(key, "appeals")
    on_time = figures.get(key, "answered_on_time")
    overdue = figures.get(key, "overdue")
    due = (on_time or 0) + (overdue or 0) if on_time is not None or overdue is not None else None
    outcomes = []
    for outcome in OUTCOMES:
        count = figures.get((*key[:3], outcome, *key[4:]), "appeals")
        if count is not None:
            outcomes.append(
                {
                    "outcome": outcome,
                    "count": int(count),
                    "share": 100 * count / appeals if appeals else None,
                }
            )
    return {
        "appeals": None if appeals is None else int(appeals),
        "on_time": None if on_time is None else int(on_time),
        "overdue": None if overdue is None else int(overdue),
        # The share of the appeals whose deadline has come: answered on time or overdue.
        "on_time_share": 100 * on_time / due if on_time is not None and due else None,
        "median_days": figures.get(key, "median_days"),
        "mean_days": figures.get(key, "mean_days"),
        "outcomes": outcomes,
    }


def volume_by(
    figures: Figures, body: Any, periods: list[tuple[Any, Any, str]], position: int
) -> list[dict[str, Any]]:
    """Appeals of one body per channel (position 1) or topic (2) and period, for the codes
    the body reports (not the all-* totals); each row's ``counts`` follow ``periods``."""
    everything = ALL_CHANNELS if position == 1 else ALL_TOPICS
    rows = []
    for code in figures.codes[position]:
        if code == everything:
            continue
        counts = []
        for start, end, _ in periods:
            key = [body, ALL_CHANNELS, ALL_TOPICS, ALL_OUTCOMES, start, end]
            key[position] = code
            value = figures.get(tuple(key), "appeals")
            counts.append(None if value is None else int(value))
        if any(count is not None for count in counts):
            rows.append({"code": code, "counts": counts})
    rows.sort(key=lambda row: -sum(count or 0 for count in row["counts"]))
    return rows


def comparisons(
    figures: Figures, periods_of: dict[Any, list[tuple[Any, Any, str]]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Bodies side by side, one table per period that two bodies or more report exactly;
    and the bodies left out, with their periods (they report no period another body does).
    """
    reporting: dict[tuple, list[Any]] = {}
    for body, periods in periods_of.items():
        for period in periods:
            reporting.setdefault(period, []).append(body)
    tables = []
    compared = set()
    for (start, end, granularity), bodies in sorted(reporting.items(), reverse=True):
        if len(bodies) < 2:
            continue
        rows = [{"body": body, **headline(figures, body, start, end)} for body in bodies]
        rows.sort(key=lambda row: -(row["on_time_share"] or -1))
        compared.update(bodies)
        tables.append(
            {
                "label": period_label(start, end, granularity),
                "start": start,
                "end": end,
                "rows": rows,
            }
        )
    alone = [
        {
            "body": body,
            "periods": [period_label(*period) for period in periods],
        }
        for body, periods in periods_of.items()
        if body not in compared
    ]
    return tables, alone


@dataclass
class ResponseSection:
    """One appeal-responses resource of one dataset, summarised for ``/appeals/``."""

    published: Any
    resource: Resource
    deadline: Deadline | None
    rows: int
    bodies: list[dict[str, Any]] = field(default_factory=list)
    compared: list[dict[str, Any]] = field(default_factory=list)
    alone: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.published.slug}-{self.resource.name}"


def summarise(published: Any, resource: Resource, frame: pd.DataFrame) -> ResponseSection:
    """Per body: its periods with volume, timeliness and outcomes, and its volume by
    channel and by topic over those periods; and the comparisons between bodies."""
    figures = Figures(frame)
    periods_of = body_periods(frame)
    bodies = []
    for body, periods in periods_of.items():
        rows = [
            {
                "label": period_label(start, end, granularity),
                "start": start,
                "end": end,
                **headline(figures, body, start, end),
            }
            for start, end, granularity in periods
        ]
        given = {item["outcome"] for row in rows for item in row["outcomes"]}
        for row in rows:
            row["by_outcome"] = {item["outcome"]: item for item in row["outcomes"]}
        bodies.append(
            {
                "body": body,
                "periods": rows,
                "outcomes": [outcome for outcome in OUTCOMES if outcome in given],
                "timed": any(
                    row["on_time"] is not None or row["median_days"] is not None for row in rows
                ),
                "labels": [period_label(*period) for period in periods],
                "channels": volume_by(figures, body, periods, 1),
                "topics": volume_by(figures, body, periods, 2),
            }
        )
    compared, alone = comparisons(figures, periods_of)
    return ResponseSection(
        published=published,
        resource=resource,
        deadline=legal_deadline(published.dataset),
        rows=len(frame),
        bodies=bodies,
        compared=compared,
        alone=alone,
    )


def response_sections(portal: Any) -> list[ResponseSection]:
    """Every appeal-responses resource of a loaded portal, summarised."""
    return [
        summarise(published, resource, published.tables[resource.name])
        for published in portal.by_kind(KIND)
        for resource in kind_resources(published.dataset)
    ]
