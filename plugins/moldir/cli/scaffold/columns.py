"""The type of each column of an export, its number format and its constraints.

Numbers are read the way spreadsheets of the region write them: decimal comma ("98,7"),
thousands apart by a space or a no-break space ("21 325"). Frictionless's inference reads
such cells as text, so numbers and dates are recognised here; Frictionless's inference is
used for the other columns (times, date-times, booleans, years).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from moldir.cli.scaffold.names import has_cyrillic
from moldir.cli.scaffold.notes import quoted

# Cells that mean "no figure" in reports: they become missingValues, never zeros.
DASHES = ("-", "–", "—")
GROUP_CHARS = {" ": "a space", "\u00a0": "a no-break space", "\u202f": "a narrow no-break space"}
NUMBER_SHAPE = re.compile(r"^-?\d+(?:[ \u00a0\u202f.,']\d+)*$")
DAY_MONTH_YEAR = re.compile(r"^(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(\d{4})$")
ISO_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
# Headers of shares in percent; "доля" and "үлес" (share) only when every value is 0–100.
PERCENT_WORDS = ("%", "процент", "пайыз", "percent")
SHARE_WORDS = ("доля", "үлес", "share")
# Frictionless types kept as they are; others (geopoint, object, …) are read as text.
KEPT_TYPES = {"string", "boolean", "date", "time", "datetime", "year", "yearmonth"}


@dataclass(frozen=True)
class NumberFormat:
    decimal: str  # "" for whole numbers
    group: str  # "" when thousands are not separated
    whole: bool  # every value is a whole number
    ambiguous: str = ""  # why a separator could be read either way


def separators(value: str) -> list[str]:
    return re.findall(r"[ \u00a0\u202f.,']", value.lstrip("-"))


def number_format(values: list[str], decimal_hint: str = "") -> NumberFormat | None:
    """How the numbers of a column are written, or None if a value is not a number.

    A separator that appears twice in a value, or before another one, groups thousands;
    the last separator with other than three digits after it is the decimal mark. "1,234"
    could be either: the decimal mark of the other columns (``decimal_hint``) decides.
    """
    if not values or not all(NUMBER_SHAPE.match(v) for v in values):
        return None
    decimals: set[str] = set()
    groups: set[str] = set()
    unsure: list[str] = []
    for value in values:
        found = separators(value)
        if not found:
            continue
        last = found[-1]
        digits_after = len(re.split(r"[ \u00a0\u202f.,']", value)[-1])
        for char in found[:-1]:
            groups.add(char)
        if found.count(last) > 1 or last in GROUP_CHARS or last == "'":
            groups.add(last)
        elif len(found) > 1 or digits_after != 3:
            decimals.add(last)
        else:
            unsure.append(value)
    if len(decimals) > 1 or len(groups) > 1 or decimals & groups:
        return None
    decimal = next(iter(decimals), "")
    group = next(iter(groups), "")
    ambiguous = ""
    if unsure:
        char = separators(unsure[0])[-1]
        if decimal and char != decimal:
            group = group or char
        elif not decimal and (decimal_hint == char or (not decimal_hint and char == ",")):
            decimal = char
            ambiguous = (
                f"{quoted(unsure[0])} could be a whole number with {quoted(char)} between "
                f"thousands; read as a decimal {'comma' if char == ',' else 'point'} like "
                "the other numbers of the file"
            )
        elif not group:
            group = char
            ambiguous = f"{quoted(unsure[0])} read with {quoted(char)} between thousands"
        if group and decimal and group == decimal:
            return None
    if group and not all(groups_of_three(v, group, decimal) for v in values):
        return None
    # "85,00" is written with decimals: it stays a number even where they are zeros.
    return NumberFormat(decimal, group, not decimal, ambiguous)


def groups_of_three(value: str, group: str, decimal: str) -> bool:
    whole = value.lstrip("-").split(decimal)[0] if decimal else value.lstrip("-")
    parts = whole.split(group)
    return len(parts) == 1 or (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]))


def parse_number(value: str, form: NumberFormat) -> float:
    text = value.replace(form.group, "") if form.group else value
    if form.decimal and form.decimal != ".":
        text = text.replace(form.decimal, ".")
    return float(text)


@dataclass
class Column:
    """One column of the export: its header, values and the field the scaffold writes."""

    position: int  # 1-based
    header: str
    values: list[str]  # every cell, "" when empty
    entry: dict[str, Any] = field(default_factory=dict)  # the field descriptor
    evidence: list[str] = field(default_factory=list)
    number: NumberFormat | None = None
    dashes: list[tuple[int, str]] = field(default_factory=list)  # (row, cell) of a number column
    percent_sign: bool = False  # every cell ends in "%"

    @property
    def filled(self) -> list[str]:
        return [v for v in self.values if v.strip() and v.strip() not in DASHES]

    def example(self) -> str:
        shaped = [
            v
            for v in self.filled
            if not self.number or NUMBER_SHAPE.match(v.strip().removesuffix("%").rstrip())
        ]
        return quoted(shaped[0]) if shaped else "no value"


def is_percent(header: str, values: list[float], signed: bool = False) -> str | None:
    """Why a column holds percentages (0–100), or None."""
    if signed:
        return 'every cell ends in "%"; "bareNumber": false reads "98,7%" as 98.7'
    lowered = header.lower()
    for word in PERCENT_WORDS:
        if word in lowered:
            return f"the header says {quoted(word)}"
    decimals = any(v != int(v) for v in values)
    for word in SHARE_WORDS:
        if word in lowered and decimals and all(0 <= v <= 100 for v in values):
            return (
                f"the header says {quoted(word)}; every value is between 0 and 100, with decimals"
            )
    return None


def type_column(column: Column, inferred: str, decimal_hint: str, first_row: int) -> None:
    """Fill ``column.entry`` (type, number format, constraints) and say why in
    ``column.evidence``; ``inferred`` is Frictionless's type for the column."""
    cells = [v.strip() for v in column.values]
    dashes = [(first_row + i, v) for i, v in enumerate(cells) if v in DASHES]
    values = [v for v in cells if v and v not in DASHES]
    # Excel writes a cell formatted as a percentage with its sign: "98,7%".
    signed = bool(values) and all(v.endswith("%") for v in values)
    if signed:
        values = [v.removesuffix("%").rstrip() for v in values]
    numeric = [v for v in values if NUMBER_SHAPE.match(v)]
    # A number column with a word or two in it ("около 800", "n/a"): the words are the
    # editor's to fix (the check of the written table prints each), the column stays a
    # number column.
    words = len(values) - len(numeric)
    if numeric and (not words or (len(numeric) >= 2 and words <= max(1, len(values) // 10))):
        form = number_format(numeric, decimal_hint)
        if form is not None:
            column.number = form
            column.dashes = dashes
            if signed:
                column.entry["bareNumber"] = False
                column.percent_sign = True
            type_number(column, form, [parse_number(v, form) for v in numeric])
            return
    if values and all(DAY_MONTH_YEAR.match(v) for v in values):
        column.entry.update(type="date", format="%d.%m.%Y")
        column.evidence.append(f"date written day.month.year, e.g. {column.example()}")
    elif values and all(ISO_DATE.match(v) for v in values):
        column.entry["type"] = "date"
        column.evidence.append(f"date, e.g. {column.example()}")
    elif inferred in KEPT_TYPES and inferred != "string" and values:
        column.entry["type"] = inferred
        column.evidence.append(f"{inferred} (Frictionless's inference), e.g. {column.example()}")
    else:
        column.entry["type"] = "string"
        if not values:
            column.evidence.append("text: every cell is empty")
        elif inferred not in KEPT_TYPES:
            column.evidence.append(
                f"text (Frictionless guessed {inferred}), e.g. {column.example()}"
            )
        else:
            column.evidence.append(f"text, e.g. {column.example()}")


def type_number(column: Column, form: NumberFormat, numbers: list[float]) -> None:
    """An integer or number field with the decimal and group characters of the column."""
    entry = column.entry
    if form.whole and not form.group:
        entry["type"] = "integer"
        column.evidence.append(f"integer, e.g. {column.example()}")
    else:
        entry["type"] = "number"
        parts = []
        if form.decimal:
            parts.append(f"decimal {'comma' if form.decimal == ',' else 'point'}")
            if form.decimal != ".":
                entry["decimalChar"] = form.decimal
        if form.group:
            entry["groupChar"] = form.group
            parts.append(f"thousands apart by {GROUP_CHARS.get(form.group, quoted(form.group))}")
        if not form.decimal:
            parts = [
                f"whole numbers with {parts[0]}: Table Schema reads a group character in "
                "numbers, not in integers"
            ]
        column.evidence.append(f"number ({', '.join(parts)}), e.g. {column.example()}")
    if form.ambiguous:
        column.evidence.append(form.ambiguous)
    constrain_numbers(column, numbers, form)


def constrain_numbers(column: Column, numbers: list[float], form: NumberFormat) -> None:
    """Percentages get 0 ≤ x ≤ 100, columns without a negative value minimum 0."""
    percent = is_percent(column.header, numbers, column.percent_sign)
    if percent:
        column.entry["constraints"] = {"minimum": 0, "maximum": 100}
        column.evidence.append(f"a percentage ({percent}): minimum 0, maximum 100")
    elif numbers and min(numbers) >= 0:
        column.entry["constraints"] = {"minimum": 0}
        what = "a count (whole numbers, none below 0)" if form.whole else "none below 0"
        column.evidence.append(f"{what}: minimum 0")
    elif numbers:
        lowest = next(v for v in column.filled if parse_number(v, form) < 0)
        column.evidence.append(f"some values are below 0 (e.g. {quoted(lowest)}): no minimum")


def file_decimal_hint(columns: list[list[str]]) -> str:
    """The decimal mark the file's unambiguous numbers use ("" when none shows it)."""
    counts = {",": 0, ".": 0}
    for values in columns:
        form = number_format([v.strip() for v in values if v.strip() and v.strip() not in DASHES])
        if form and form.decimal in counts and not form.ambiguous:
            counts[form.decimal] += 1
    if counts[","] > counts["."]:
        return ","
    if counts["."] > counts[","]:
        return "."
    return ""


def text_cells(columns: list[Column]) -> list[str]:
    """The text cells of a table (for its language), Cyrillic first."""
    cells = [v for c in columns if c.entry.get("type") == "string" for v in c.filled]
    return sorted(cells, key=lambda v: not has_cyrillic(v))
