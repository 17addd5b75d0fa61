"""Appeal statistics: counts of appeals, receptions, calls... by body, channel and period.

The kind's schema (``schemas/appeal-statistics.json``) is a long table: one row per body,
channel, measure and period. This package adds the checks the schema cannot express
(a period that ends before it starts, two rows counting the same thing over overlapping
periods) and the topic page ``/appeals/`` (``pages.py``), which brings every
appeal-statistics dataset together: totals per body and per channel, change between
comparable periods, and ratios between measures (citizens per reception, complaints per
100 requests...). The companion kind appeal-responses (what citizens asked about, how and
how fast bodies answered) has its checks and summaries in ``responses.py``; the same page
shows it.

Figures of different datasets are never added together: each dataset is its own section,
because their bodies, periods and even countries differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moldir.features.kinds import kind_resources, row_errors
from moldir.features.kinds.appeals.responses import period_label
from moldir.model.dataset import Dataset, Resource
from moldir.model.errors import ConsistencyError
from moldir.model.report import ValidationError
from moldir.pipeline import signals

# pandas is imported where a table is read or summed (the page is in .pages, imported only
# for a build): ``moldir validate`` on a portal without this kind does not load it.
if TYPE_CHECKING:
    import pandas as pd

KIND = "appeal-statistics"

# Ratios between two measures of the same body, channel and period. ``scale`` turns the
# quotient into what people read: citizens per reception (1), complaints per 100 requests.
RATIOS: tuple[tuple[str, str, int], ...] = (
    ("citizens-received", "receptions", 1),
    ("dissatisfied-answers", "requests", 100),
    ("complaints", "requests", 100),
)

# Granularities whose periods follow each other and can be compared one to the next.
COMPARABLE = ("year", "half-year", "quarter", "month")


# --- checks ------------------------------------------------------------------------------


def check_appeals(dataset: Dataset) -> Iterable[ValidationError]:
    """Periods in order and no overlapping rows for one body, channel and measure."""
    if dataset.kind != KIND:
        return
    from moldir.pipeline.tables import read_table

    for resource in kind_resources(dataset):
        frame = read_table(resource)
        yield from period_problems(frame, dataset, resource)


def period_problems(
    frame: pd.DataFrame, dataset: Dataset, resource: Resource
) -> Iterable[ValidationError]:
    """consistency-error for each period that ends before it starts or overlaps another.

    Overlapping rows would be counted twice in every total, so the topic page could not
    add them up; a breakdown (e.g. "of these, 400,586 in 2020") belongs in period_note.
    """
    error = row_errors(dataset, resource, ConsistencyError)

    ordered = []
    for index, row in frame.iterrows():
        start, end = row["period_start"], row["period_end"]
        if start is None or end is None:
            continue
        if end < start:
            yield error(index, "period_end", f"period_end {end} is before period_start {start}")
            continue
        ordered.append((index, row))
    seen: dict[tuple, list[tuple[int, Any, Any]]] = {}
    for index, row in ordered:
        key = (row["body"], row["channel"], row["measure"])
        for other, start, end in seen.get(key, []):
            if row["period_start"] <= end and start <= row["period_end"]:
                yield error(
                    index,
                    "period_start",
                    f"{row['measure']} of {row['body']} ({row['channel']}) for "
                    f"{row['period_start']}–{row['period_end']} overlaps row {other + 2} "
                    f"({start}–{end}); totals would count the overlap twice",
                )
                break
        seen.setdefault(key, []).append((index, row["period_start"], row["period_end"]))


def validation_checks(sender: Any) -> list:
    # The companion kind, appeal-responses (topics, outcomes, response times): .responses
    from moldir.features.kinds.appeals.responses import check_responses

    return [check_appeals, check_responses]


# --- summaries (pure functions of a long table) ------------------------------------------

# The period label is shared with the companion kind (responses.py), which holds it so that
# neither module imports the other back.


def _valued(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["value"].notna()]


def totals_by(frame: pd.DataFrame, key: str) -> list[dict[str, Any]]:
    """Per ``key`` (body or channel) and measure: the sum of the values, largest first.

    Each total says whether it includes partial periods or bounds ("more than"), how many
    figures the source left out, and the span of its periods, so that nobody reads two
    totals over different spans as comparable.
    """
    rows = []
    for (name, measure), group in frame.groupby([key, "measure"], sort=False):
        valued = _valued(group)
        rows.append(
            {
                key: name,
                "measure": measure,
                "total": int(valued["value"].sum()) if len(valued) else None,
                "figures": len(valued),
                "missing": int(group["value"].isna().sum()),
                "partial": bool(group["partial"].fillna(False).any()),
                "qualified": bool((group["value_qualifier"].fillna("") != "").any()),
                "start": min(group["period_start"]),
                "end": max(group["period_end"]),
                "bodies": int(group["body"].nunique()),
            }
        )
    rows.sort(key=lambda r: (r["measure"], -(r["total"] or 0), str(r[key])))
    return rows


def group_by_measure(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{measure, rows, largest}] in first-seen order, for one table per measure."""
    measures: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        measures.setdefault(row["measure"], []).append(row)
    return [
        {
            "measure": measure,
            "rows": items,
            "largest": max((r["total"] or 0) for r in items) or 1,
        }
        for measure, items in measures.items()
    ]


def period_changes(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Per measure and granularity with at least two periods: the total of each period
    and its change from the previous one.

    A change is computed only between two complete periods of the same granularity in
    which the same bodies report a figure; otherwise ``comparable`` is False and
    ``reason`` says why ("partial", "missing", "bodies").
    """
    series = []
    for (measure, granularity), group in frame.groupby(["measure", "granularity"], sort=False):
        if granularity not in COMPARABLE:
            continue
        periods = []
        for (start, end), rows in sorted(group.groupby(["period_start", "period_end"])):
            valued = _valued(rows)
            periods.append(
                {
                    "label": period_label(start, end, granularity),
                    "start": start,
                    "end": end,
                    "total": int(valued["value"].sum()) if len(valued) else None,
                    "bodies": frozenset(valued["body"]),
                    "missing": int(rows["value"].isna().sum()),
                    "partial": bool(rows["partial"].fillna(False).any()),
                }
            )
        if len(periods) < 2:
            continue
        previous = None
        for period in periods:
            period["change"] = period["change_percent"] = None
            period["comparable"], period["reason"] = False, ""
            if previous is not None:
                if period["partial"] or previous["partial"]:
                    period["reason"] = "partial"
                elif period["missing"] or previous["missing"]:
                    period["reason"] = "missing"
                elif period["bodies"] != previous["bodies"]:
                    period["reason"] = "bodies"
                else:
                    period["comparable"] = True
                    period["change"] = period["total"] - previous["total"]
                    if previous["total"]:
                        period["change_percent"] = 100 * period["change"] / previous["total"]
            previous = period
        for period in periods:
            period["body_count"] = len(period.pop("bodies"))
        series.append(
            {
                "measure": measure,
                "granularity": granularity,
                "periods": periods,
                "largest": max((p["total"] or 0) for p in periods) or 1,
            }
        )
    return series


def measure_ratios(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """For each pair of RATIOS present: per body, numerator / denominator × scale, over
    the periods and channels where the body reports both figures."""
    result = []
    for numerator, denominator, scale in RATIOS:
        keys = ["body", "channel", "period_start", "period_end"]
        top = _valued(frame[frame["measure"] == numerator])
        bottom = _valued(frame[frame["measure"] == denominator])
        if top.empty or bottom.empty:
            continue
        both = top.merge(bottom, on=keys, suffixes=("_n", "_d"))
        if both.empty:
            continue
        rows = []
        for body, group in both.groupby("body", sort=False):
            num, den = int(group["value_n"].sum()), int(group["value_d"].sum())
            rows.append(
                {
                    "body": body,
                    "numerator": num,
                    "denominator": den,
                    "ratio": scale * num / den if den else None,
                    "periods": len(group),
                    "partial": bool(
                        group["partial_n"].fillna(False).any()
                        or group["partial_d"].fillna(False).any()
                    ),
                    "note": next((n for n in group["period_note_n"].dropna() if n), ""),
                }
            )
        rows.sort(key=lambda r: -(r["ratio"] or 0))
        result.append(
            {
                "numerator": numerator,
                "denominator": denominator,
                "scale": scale,
                "rows": rows,
                "largest": max((r["ratio"] or 0) for r in rows) or 1,
            }
        )
    return result


@dataclass
class AppealSection:
    """One appeal-statistics resource of one dataset, summarised for the topic page."""

    published: Any
    resource: Resource
    rows: int
    start: Any
    end: Any
    bodies: list[dict[str, Any]] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    ratios: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.published.slug}-{self.resource.name}"


def summarise(published: Any, resource: Resource, frame: pd.DataFrame) -> AppealSection:
    return AppealSection(
        published=published,
        resource=resource,
        rows=len(frame),
        start=min(frame["period_start"]) if len(frame) else None,
        end=max(frame["period_end"]) if len(frame) else None,
        bodies=group_by_measure(totals_by(frame, "body")),
        channels=totals_by(frame, "channel"),
        changes=period_changes(frame),
        ratios=measure_ratios(frame),
    )


def appeal_sections(portal: Any) -> list[AppealSection]:
    """Every appeal-statistics resource of a loaded portal, summarised."""
    sections = []
    for published in portal.by_kind(KIND):
        for resource in kind_resources(published.dataset):
            frame = published.tables[resource.name]
            sections.append(summarise(published, resource, frame))
    return sections


# --- wiring (the page, /appeals/, is in .pages) ------------------------------------------


def connect() -> None:
    signals.validation_checks.connect(validation_checks)
