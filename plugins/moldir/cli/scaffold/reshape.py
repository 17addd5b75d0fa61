"""Wide appeal tables into the long form of the appeal-statistics kind.

Reports and spreadsheets print appeal figures wide: one column per month ("Январь" …
"Декабрь"), per quarter, per year, or per measure ("Обращения", "Принято граждан"). The
kind has one row per body, channel, measure and period. ``plan_reshape`` reads the headers
and says, column by column, what each becomes (or why it is left out); ``long_rows``
writes the rows. Every choice not read from the file (the year, the measure, the channel)
is printed with where it came from.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from moldir.cli.scaffold.columns import DASHES, Column, NumberFormat, number_format, parse_number
from moldir.cli.scaffold.matching import normal
from moldir.cli.scaffold.notes import quoted

KIND = "appeal-statistics"
MONTHS = {
    1: ("январь", "января", "янв", "қаңтар", "january", "jan"),
    2: ("февраль", "февраля", "фев", "февр", "ақпан", "february", "feb"),
    3: ("март", "марта", "мар", "наурыз", "march", "mar"),
    4: ("апрель", "апреля", "апр", "сәуір", "april", "apr"),
    5: ("май", "мая", "мамыр", "may"),
    6: ("июнь", "июня", "июн", "маусым", "june", "jun"),
    7: ("июль", "июля", "июл", "шілде", "july", "jul"),
    8: ("август", "августа", "авг", "тамыз", "august", "aug"),
    9: ("сентябрь", "сентября", "сен", "сент", "қыркүйек", "september", "sep", "sept"),
    10: ("октябрь", "октября", "окт", "қазан", "october", "oct"),
    11: ("ноябрь", "ноября", "ноя", "нояб", "қараша", "november", "nov"),
    12: ("декабрь", "декабря", "дек", "желтоқсан", "december", "dec"),
}
MONTH_WORDS = {word: month for month, words in MONTHS.items() for word in words}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
YEAR_WORDS = r"(?:\s*(?:г|год|года|жыл|ж|y))?"
YEAR = r"(?P<year>\d{4}|\d{2})"
PERIOD_PATTERNS = (
    ("month", re.compile(rf"^(?P<month>[^\W\d_]+)(?:\s+|\s*-\s*)?(?:{YEAR}{YEAR_WORDS})?$")),
    ("month", re.compile(rf"^(?P<monthnum>0?[1-9]|1[0-2])[\s.\-/]+{YEAR}{YEAR_WORDS}$")),
    ("month", re.compile(r"^(?P<year>\d{4})\s*-\s*(?P<monthnum>0[1-9]|1[0-2])$")),
    ("quarter", re.compile(
        rf"^(?P<q>iv|iii|ii|i|[1-4])\s*-?\s*(?:й\s*)?(?:кв|квартал|тоқсан|q|quarter)(?:\s+{YEAR}{YEAR_WORDS})?$"
    )),
    ("quarter", re.compile(rf"^q(?P<q>[1-4])(?:\s+{YEAR}{YEAR_WORDS})?$")),
    ("quarter", re.compile(r"^(?P<year>\d{4})\s*q(?P<q>[1-4])$")),
    ("half-year", re.compile(
        rf"^(?P<h>ii|i|[12])\s*-?\s*(?:е\s*)?(?:полугодие|пол|жартыжылдық|half|h)(?:\s+{YEAR}{YEAR_WORDS})?$"
    )),
    ("year", re.compile(rf"^(?P<year>(?:19|20)\d{{2}}){YEAR_WORDS}$")),
)  # fmt: skip
# Headers and their measure, tried in order ("принято граждан" before "прием").
MEASURE_WORDS: tuple[tuple[str, str], ...] = (
    ("неудовлетвор", "dissatisfied-answers"), ("қанағаттанбаған", "dissatisfied-answers"),
    ("dissatisf", "dissatisfied-answers"),
    ("принято граждан", "citizens-received"), ("принятых граждан", "citizens-received"),
    ("қабылданған азамат", "citizens-received"), ("citizens received", "citizens-received"),
    ("жалоб", "complaints"), ("шағым", "complaints"), ("complaint", "complaints"),
    ("обращени", "appeals"), ("өтініш", "appeals"), ("appeal", "appeals"),
    ("запрос", "requests"), ("сұрау", "requests"), ("request", "requests"),
    ("прием", "receptions"), ("приём", "receptions"), ("қабылдау", "receptions"),
    ("reception", "receptions"),
    ("звонк", "calls"), ("қоңырау", "calls"), ("call", "calls"),
    ("вопрос", "questions"), ("сұрақ", "questions"), ("question", "questions"),
    ("посещени", "visits"), ("посетител", "visits"), ("келуші", "visits"), ("visit", "visits"),
)  # fmt: skip
CHANNEL_WORDS: tuple[tuple[str, str], ...] = (
    ("личный прием", "personal-reception"), ("личном приеме", "personal-reception"),
    ("жеке қабылдау", "personal-reception"),
    ("общественн", "public-reception"), ("приемная", "public-reception"),
    ("блог", "blog"), ("blog", "blog"),
    ("вопрос-ответ", "question-answer-service"), ("сұрақ-жауап", "question-answer-service"),
    ("контакт-центр", "contact-centre"), ("контакт центр", "contact-centre"),
    ("call-центр", "call-centre"), ("колл-центр", "call-centre"), ("call центр", "call-centre"),
    ("фронт-офис", "front-office"), ("фронт офис", "front-office"),
    ("письменн", "written"), ("жазбаша", "written"),
    ("e-otinish", "online-portal"), ("eotinish", "online-portal"), ("е-өтініш", "online-portal"),
)  # fmt: skip
FIRST_ROW = 2
TOTAL_WORDS = ("итого", "всего", "барлығы", "жиыны", "барлыгы", "total")


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    granularity: str

    def describe(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()} ({self.granularity})"


def is_total(text: str) -> bool:
    words = normal(text).split()
    return bool(words) and (words[0] in TOTAL_WORDS or normal(text) in TOTAL_WORDS)


def measure_in(text: str) -> str | None:
    lowered = normal(text)
    for word, measure in MEASURE_WORDS:
        if word in lowered:
            return measure
    return None


def channel_in(text: str) -> str | None:
    lowered = text.lower().replace("ё", "е")
    for word, channel in CHANNEL_WORDS:
        if word in lowered:
            return channel
    return None


def full_year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def parse_period(header: str) -> tuple[str, int, int | None] | None:
    """(granularity, number in the year, year or None) of a period header: ("month", 3,
    2023) for "Март 2023", "мар.23" or "03.2023"; ("quarter", 1, None) for "I квартал"."""
    text = normal(header.replace(".", " ")).replace(" - ", "-")
    for granularity, pattern in PERIOD_PATTERNS:
        found = pattern.match(text)
        if not found:
            continue
        groups = found.groupdict()
        year = full_year(groups["year"]) if groups.get("year") else None
        if granularity == "month":
            if groups.get("month"):
                month = MONTH_WORDS.get(groups["month"])
                if month is None:
                    continue
            else:
                month = int(groups["monthnum"])
            return "month", month, year
        if granularity == "quarter":
            return "quarter", ROMAN[groups["q"]], year
        if granularity == "half-year":
            return "half-year", ROMAN[groups["h"]], year
        return "year", 1, year
    return None


def period_and_measure(header: str) -> tuple[tuple[str, int, int | None] | None, str | None]:
    """The period and the measure a header names: "Январь" (a period), "Обращения" (a
    measure), or both: "Обращения 2021", "Принято граждан I кв. 2022"."""
    measure = measure_in(header)
    period = parse_period(header)
    if period is None and measure is not None:
        words = header.split()
        for count in (3, 2, 1):
            if len(words) > count and measure_in(" ".join(words[:-count])) == measure:
                period = parse_period(" ".join(words[-count:]))
                if period is not None:
                    break
    return period, measure


def period_of(granularity: str, number: int, year: int) -> Period:
    months = {"month": (number, number), "quarter": (3 * number - 2, 3 * number),
              "half-year": (6 * number - 5, 6 * number), "year": (1, 12)}[granularity]  # fmt: skip
    last = calendar.monthrange(year, months[1])[1]
    return Period(date(year, months[0], 1), date(year, months[1], last), granularity)


def year_in(text: str) -> int | None:
    years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text))
    return int(years.pop()) if len(years) == 1 else None


@dataclass
class Wide:
    """A column that becomes rows of the long table."""

    column: Column
    period: Period | None
    measure: str | None
    by_period: bool  # the column is a period (its header is the period in the source's words)


@dataclass
class ReshapePlan:
    """What ``--reshape wide`` does, column by column, and what it left undecided."""

    body: Column | None = None
    wide: list[Wide] = field(default_factory=list)
    totals: list[Column] = field(default_factory=list)
    left_out: list[tuple[Column, str]] = field(default_factory=list)
    total_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, body)
    channel: str = "all-channels"
    shape: str = "period"  # one column per "period" or per "measure"
    lines: list[str] = field(default_factory=list)  # the plan as printed
    problems: list[str] = field(default_factory=list)  # what stops the reshape


def plan_reshape(
    columns: list[Column],
    body_index: int | None,
    file_name: str,
    year: int | None = None,
    measure: str | None = None,
    channel: str | None = None,
    first_row: int = FIRST_ROW,
) -> ReshapePlan:
    """How a wide table becomes the long form; ``year``, ``measure`` and ``channel`` are
    the editor's options (None: read from the headers and the file name, else asked for)."""
    plan = ReshapePlan()
    say = plan.lines.append
    if body_index is None:
        texts = [c for c in columns if c.entry.get("type") == "string"]
        if texts:
            body_index = texts[0].position - 1
            say(f"body: from {quoted(texts[0].header)} (the first text column)")
        else:
            plan.problems.append('no column names the body (a text column such as "Орган")')
    else:
        say(f"body: from {quoted(columns[body_index].header)}")
    if body_index is not None:
        plan.body = columns[body_index]
    found: list[tuple[Column, tuple[str, int, int | None] | None, str | None]] = []
    for column in columns:
        if column.position - 1 == body_index:
            continue
        if is_total(column.header):
            plan.totals.append(column)
            continue
        found.append((column, *period_and_measure(column.header)))
    periodic = [(c, p, m) for c, p, m in found if p is not None]
    by_measure = [(c, p, m) for c, p, m in found if p is None and m is not None]
    shape = plan.shape = "period" if len(periodic) >= len(by_measure) else "measure"
    chosen = periodic if shape == "period" else by_measure
    if not chosen:
        plan.problems.append(
            "no header names a month, quarter, half-year or year, or a measure (appeals, "
            "receptions, citizens received, calls …)"
        )
        return plan
    # The year of periods that do not state one: the option, else the file name.
    stated_years = {p[2] for _, p, _ in periodic if p and p[2]}
    file_year = year_in(file_name)
    if year is not None:
        year_source = "--year"
    elif file_year is not None:
        year, year_source = file_year, f"the file name {quoted(file_name)}"
    else:
        year_source = ""
    needs_year = shape == "measure" or any(p[2] is None for _, p, _ in chosen if p)
    if needs_year and year is None:
        plan.problems.append(
            "the headers do not say the year of the figures: give it with --year"
            + (
                f" (the headers say {', '.join(map(str, sorted(stated_years)))})"
                if stated_years
                else ""
            )
        )
    # The measure of figures in period columns: the option, the headers ("Обращения 2021",
    # "Жалобы 2021": each column its own), the file name.
    measure_source = "--measure"
    per_column = (
        shape == "period" and measure is None and all(m for _, _, m in chosen)
        and len({m for _, _, m in chosen}) > 1
    )  # fmt: skip
    if shape == "period" and measure is None and not per_column:
        header_measures = {m for _, _, m in chosen if m} | (
            {measure_in(plan.body.header)} - {None} if plan.body else set()
        )
        file_measure = measure_in(file_name)
        if len(header_measures) == 1:
            measure, measure_source = header_measures.pop(), "the headers"
        elif file_measure:
            measure, measure_source = file_measure, f"the file name {quoted(file_name)}"
        else:
            plan.problems.append(
                "the file does not say what is counted: give it with --measure (appeals, "
                "requests, receptions, citizens-received, calls, questions, visits, "
                "complaints, dissatisfied-answers)"
            )
    if channel is not None:
        plan.channel, channel_source = channel, "--channel"
    else:
        guessed = channel_in(file_name) or next(
            (channel_in(c.header) for c in columns if channel_in(c.header)), None
        )
        if guessed:
            plan.channel = guessed
            channel_source = "the file name or a header names it; give --channel to change it"
        else:
            channel_source = "the file does not name a channel; give --channel to name one"
    for column, parsed, column_measure in chosen:
        period = None
        if parsed is not None:
            granularity, number, stated = parsed
            if stated is None and year is None:
                continue
            period = period_of(granularity, number, stated or year)  # type: ignore[arg-type]
        elif year is not None:
            period = period_of("year", 1, year)
        own = shape == "measure" or per_column
        plan.wide.append(
            Wide(column, period, column_measure if own else measure, parsed is not None)
        )
    if shape == "period":
        kinds = sorted({w.period.granularity for w in plan.wide if w.period})
        say(
            f"periods: one column per {'/'.join(kinds) or 'period'} ({len(chosen)}: "
            f"{quoted(chosen[0][0].header)} … {quoted(chosen[-1][0].header)})"
            + (f"; the year {year} from {year_source}" if needs_year and year else "")
        )
        for wide in plan.wide:
            what = f", {wide.measure}" if per_column else ""
            say(f"  {quoted(wide.column.header)} → {wide.period.describe()}{what}")  # type: ignore[union-attr]
        if per_column:
            say("measure: each column's own, from its header")
        elif measure:
            change = "" if measure_source == "--measure" else "; give --measure to change it"
            say(f"measure: {measure} (from {measure_source}{change})")
    else:
        say(f"measures: one column per measure ({len(chosen)})")
        for wide in plan.wide:
            say(f"  {quoted(wide.column.header)} → {wide.measure}")
        if year:
            say(f"period: the year {year} (from {year_source})")
    say(f"channel: {plan.channel} ({channel_source})")
    used = {w.column.position for w in plan.wide} | {c.position for c in plan.totals}
    if plan.body:
        used.add(plan.body.position)
    for column in columns:
        if column.position not in used:
            why = "neither a period nor a count of the kind's measures"
            if column.entry.get("type") == "number" and column.entry.get("constraints", {}).get(
                "maximum"
            ):
                why = "a percentage, not a count"
            plan.left_out.append((column, why))
    for column in plan.totals:
        say(f"left out: {quoted(column.header)}, a total: {total_check(column, plan)}")
    for column, why in plan.left_out:
        say(f"left out: {quoted(column.header)} ({why}); it stays in the original file")
    if plan.body:
        for index, value in enumerate(plan.body.values):
            row = first_row + index
            if is_total(value):
                plan.total_rows.append((row, value))
                say(f"left out: row {row} {quoted(value)}, a total row (the portal adds up rows)")
            elif not value.strip():
                if any(w.column.values[index].strip() for w in plan.wide):
                    plan.problems.append(
                        f"row {row} has figures but no body (merged cells in the "
                        "spreadsheet?): write the body in every row"
                    )
                else:
                    say(f"left out: row {row}, empty")
    for wide in plan.wide:
        for row, dash in wide.column.dashes:
            say(
                f'"{dash}" in row {row}, {quoted(wide.column.header)}: no figure, the value is '
                "left empty (never 0)"
            )
    for wide in plan.wide:
        form = wide.column.number
        if wide.column.filled and (form is None or not form.whole):
            example = next(
                (v for v in wide.column.filled if form is None or form.decimal in v),
                wide.column.filled[0],
            )
            plan.problems.append(
                f"{quoted(wide.column.header)} holds {quoted(example)}: the long form counts "
                "in whole numbers"
            )
    return plan


def total_check(column: Column, plan: ReshapePlan) -> str:
    """Whether a total column is the sum of the wide columns of its row, said in words."""
    rows = 0
    agree = 0
    first_disagreement = ""
    for index in range(len(column.values)):
        total = cell_number(column.values[index], column.number)
        parts = [cell_number(w.column.values[index], w.column.number) for w in plan.wide]
        known = [p for p in parts if p is not None]
        if total is None or not known:
            continue
        rows += 1
        if abs(sum(known) - total) < 0.5:
            agree += 1
        elif not first_disagreement:
            first_disagreement = (
                f"; row {index + FIRST_ROW}: {quoted(column.values[index])} but the columns add up "
                f"to {sum(known):,.0f}".replace(",", " ")
            )
    return (
        f"the sum of the {plan.shape} columns in {agree} of {rows} rows; the portal adds them up "
        f"itself{first_disagreement}"
    )


def cell_number(value: str, form: NumberFormat | None) -> float | None:
    value = value.strip()
    if not value or value in DASHES:
        return None
    form = form or number_format([value])
    if form is None:
        return None
    try:
        return parse_number(value, form)
    except ValueError:
        return None


LONG_FIELDS = (
    "body", "channel", "measure", "period_start", "period_end", "granularity", "partial",
    "period_note", "value", "value_qualifier", "source", "source_file", "source_row",
)  # fmt: skip


def long_rows(plan: ReshapePlan, source_file: str, first_row: int = FIRST_ROW) -> list[list[str]]:
    """The long table's rows (in LONG_FIELDS order): each body's row of the export, then
    each wide column of it; a dash or an empty cell is an empty value, never 0."""
    assert plan.body is not None
    skipped = {row for row, _ in plan.total_rows}
    rows = []
    for index, body in enumerate(plan.body.values):
        row_number = first_row + index
        if row_number in skipped or not body.strip():
            continue
        for wide in plan.wide:
            if wide.period is None:
                continue
            number = cell_number(wide.column.values[index], wide.column.number)
            rows.append([
                body.strip(), plan.channel, wide.measure or "",
                wide.period.start.isoformat(), wide.period.end.isoformat(),
                wide.period.granularity, "false",
                wide.column.header.strip() if wide.by_period else "",
                "" if number is None else str(int(number)), "", "", source_file,
                str(row_number),
            ])  # fmt: skip
    return rows
