"""Budget programs: administrator → program → subprogram, planned and executed amounts.

The kind's schema (``schemas/budget-programs.json``) has one row per administrator,
program or subprogram and year (``level``). The schema checks types and enums; this
module checks what a schema cannot, as ``consistency-error``s located by file, row and
field:

- subprograms add up to their program, and programs to their administrator row (when
  there is one), for planned and for executed amounts, within a tolerance of
  ``TOLERANCE_RELATIVE`` of the parent's amount or ``TOLERANCE_ABSOLUTE`` unit, whichever
  is larger (published figures are rounded: 0.1 % absorbs rounding, never a missing
  subprogram). A sum is checked only when every child gives the figure: an empty cell is a
  figure the source does not give, and guessing it as 0 would report a false error;
- program and administrator totals are not negative (a subprogram may be: a tax-credit
  recovery or revenue credited to the program is published as a negative amount);
- a subprogram has its program row, and one administrator uses one currency and unit in
  a year (otherwise no sum means anything).

The topic page ``/budget/`` shows, per dataset, the totals per year with execution rates,
the administrators and the largest programs, and ``/budget/<administrator>/`` drills down
to programs and subprograms. Currency, unit and labels come from the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moldir.features.kinds import kind_resources, name_slug, row_errors
from moldir.model.dataset import Dataset, Resource
from moldir.model.errors import ConsistencyError
from moldir.model.report import ValidationError
from moldir.pipeline import signals

# pandas is imported where a table is read or summed (the pages are in .pages, imported
# only for a build): ``moldir validate`` on a portal without this kind does not load it.
if TYPE_CHECKING:
    import pandas as pd

KIND = "budget-programs"
AMOUNTS = ("planned", "executed")
TOLERANCE_RELATIVE = 0.001
TOLERANCE_ABSOLUTE = 1.0
LARGEST_PROGRAMS = 10


# --- checks ------------------------------------------------------------------------------


def tolerance(parent: float) -> float:
    """How far a sum of children may be from its parent's amount (in the data's unit)."""
    return max(TOLERANCE_ABSOLUTE, TOLERANCE_RELATIVE * abs(parent))


def check_budget(dataset: Dataset) -> Iterable[ValidationError]:
    """Every budget-programs resource: sums, signs, parents, currency and unit."""
    if dataset.kind != KIND:
        return
    from moldir.pipeline.tables import read_table

    for resource in kind_resources(dataset):
        yield from consistency_problems(read_table(resource), dataset, resource)


def _text(value: Any) -> str:
    import pandas as pd

    return "" if value is None or value is pd.NA else str(value)


def _amount(value: Any) -> float | None:
    import pandas as pd

    if value is None or value is pd.NA or value != value:
        return None
    return float(value)


def consistency_problems(
    frame: pd.DataFrame, dataset: Dataset, resource: Resource
) -> Iterable[ValidationError]:
    """consistency-error for each figure that disagrees with the others (see module doc)."""
    error = row_errors(dataset, resource, ConsistencyError)

    rows = [
        {**{k: _text(v) for k, v in row.items() if k not in AMOUNTS}, "index": index}
        | {name: _amount(row.get(name)) for name in AMOUNTS}
        for index, row in zip(frame.index, frame.to_dict(orient="records"), strict=True)
    ]

    # One currency and unit per administrator and year.
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["administrator_code"], row["year"])
        seen = first.setdefault(key, row)
        for name in ("currency", "unit"):
            if row[name] != seen[name]:
                yield error(
                    row["index"],
                    name,
                    f"{name} {row[name]} differs from {seen[name]} (row {seen['index'] + 2}) "
                    f"for administrator {row['administrator_code']} in {row['year']}",
                )

    # No negative totals.
    for row in rows:
        if row["level"] in ("administrator", "program"):
            for name in AMOUNTS:
                if row[name] is not None and row[name] < 0:
                    what = row["program"] or row["administrator"]
                    yield error(
                        row["index"],
                        name,
                        f"{name} amount {row[name]:,} of {row['level']} {what} ({row['year']}) "
                        "is negative; only subprogram amounts may be negative",
                    )

    programs = {
        (r["administrator_code"], r["program_code"], r["year"]): r
        for r in rows
        if r["level"] == "program"
    }
    administrators = {
        (r["administrator_code"], r["year"]): r for r in rows if r["level"] == "administrator"
    }
    children: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        if row["level"] == "subprogram":
            key = (row["administrator_code"], row["program_code"], row["year"])
            if key not in programs:
                yield error(
                    row["index"],
                    "program_code",
                    f"subprogram {row['subprogram'] or row['subprogram_code']} belongs to "
                    f"program {row['program_code']} of {row['administrator_code']} "
                    f"({row['year']}), which has no program row",
                )
                continue
            children.setdefault(key, []).append(row)
    for key, program in programs.items():
        yield from _sum_problems(program, children.get(key, []), "subprograms", error)
    for key, administrator in administrators.items():
        members = [p for k, p in programs.items() if (k[0], k[2]) == key]
        yield from _sum_problems(administrator, members, "programs", error)


def _sum_problems(parent: dict, members: list[dict], what: str, error) -> Iterable[ValidationError]:
    if not members:
        return
    name_of = parent["program"] or parent["administrator"]
    for name in AMOUNTS:
        values = [m[name] for m in members]
        if parent[name] is None or any(v is None for v in values):
            continue
        total = sum(values)
        allowed = tolerance(parent[name])
        if abs(total - parent[name]) > allowed:
            yield error(
                parent["index"],
                name,
                f"the {len(values)} {what} of {parent['level']} {name_of} ({parent['year']}) "
                f"add up to {total:,.2f} {name}, but this row says {parent[name]:,.2f} "
                f"(difference {total - parent[name]:,.2f}; tolerance {allowed:,.2f})",
            )


def validation_checks(sender: Any) -> list:
    return [check_budget]


# --- summaries ---------------------------------------------------------------------------


def execution_rate(planned: float | None, executed: float | None) -> float | None:
    """Executed as a percentage of planned, when both are known and planned is positive."""
    if planned is None or executed is None or planned <= 0:
        return None
    return 100 * executed / planned


def _sum(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


@dataclass
class Amounts:
    """Planned and executed amounts in currency (already multiplied by the unit)."""

    planned: float | None
    executed: float | None

    @property
    def rate(self) -> float | None:
        return execution_rate(self.planned, self.executed)

    @property
    def size(self) -> float:
        return max(abs(self.planned or 0), abs(self.executed or 0))


@dataclass
class Subprogram:
    code: str
    name: str
    amounts: Amounts


@dataclass
class Program:
    code: str
    name: str
    responsibility: str
    year: str
    amounts: Amounts
    administrator: Administrator | None = None
    subprograms: list[Subprogram] = field(default_factory=list)
    # True when the source has no program row: the amounts are the subprograms' sums.
    derived: bool = False


@dataclass
class Administrator:
    code: str
    name: str
    slug: str
    section: BudgetSection
    programs: list[Program] = field(default_factory=list)

    def years(self) -> list[dict[str, Any]]:
        """Per year (latest first): the administrator's totals and its programs."""
        result = []
        for year in sorted({p.year for p in self.programs}, reverse=True):
            programs = sorted(
                (p for p in self.programs if p.year == year), key=lambda p: -p.amounts.size
            )
            result.append(
                {
                    "year": year,
                    "amounts": Amounts(
                        _sum(p.amounts.planned for p in programs),
                        _sum(p.amounts.executed for p in programs),
                    ),
                    "programs": programs,
                    "largest": max((p.amounts.size for p in programs), default=0) or 1,
                }
            )
        return result


@dataclass
class BudgetSection:
    """One budget-programs resource of one dataset, summarised for the topic pages."""

    published: Any
    resource: Resource
    currency: str
    units: list[int]
    administrators: list[Administrator] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.published.slug}-{self.resource.name}"

    @property
    def programs(self) -> list[Program]:
        return [p for a in self.administrators for p in a.programs]

    @property
    def latest_year(self) -> str | None:
        return max((p.year for p in self.programs), default=None)

    def years(self) -> list[dict[str, Any]]:
        """Per year (latest first): totals over every administrator."""
        result = []
        for year in sorted({p.year for p in self.programs}, reverse=True):
            programs = [p for p in self.programs if p.year == year]
            result.append(
                {
                    "year": year,
                    "amounts": Amounts(
                        _sum(p.amounts.planned for p in programs),
                        _sum(p.amounts.executed for p in programs),
                    ),
                    "programs": len(programs),
                    "administrators": len({p.administrator.code for p in programs}),
                }
            )
        return result

    def administrator_totals(self, year: str | None = None) -> list[dict[str, Any]]:
        """Per administrator, for one year (the latest by default): totals, largest first."""
        year = year or self.latest_year
        rows = []
        for administrator in self.administrators:
            programs = [p for p in administrator.programs if p.year == year]
            if not programs:
                continue
            rows.append(
                {
                    "administrator": administrator,
                    "amounts": Amounts(
                        _sum(p.amounts.planned for p in programs),
                        _sum(p.amounts.executed for p in programs),
                    ),
                    "programs": len(programs),
                }
            )
        rows.sort(key=lambda r: -r["amounts"].size)
        return rows

    def largest_programs(self, year: str | None = None, count: int = LARGEST_PROGRAMS):
        year = year or self.latest_year
        programs = [p for p in self.programs if p.year == year]
        return sorted(programs, key=lambda p: -p.amounts.size)[:count]


def summarise(published: Any, resource: Resource, frame: pd.DataFrame) -> BudgetSection:
    """The administrators, programs and subprograms of one typed budget table.

    Program amounts are the program rows' own figures; a program given only through its
    subprograms gets their sums. Amounts are multiplied by each row's unit.
    """
    currencies = sorted({_text(c) for c in frame["currency"]})
    section = BudgetSection(
        published=published,
        resource=resource,
        currency=currencies[0] if currencies else "",
        units=sorted({int(u) for u in frame["unit"].dropna()}),
    )
    administrators: dict[str, Administrator] = {}
    programs: dict[tuple[str, str, str], Program] = {}

    def scaled(row: dict[str, Any], name: str) -> float | None:
        value = _amount(row.get(name))
        return None if value is None else value * int(row["unit"])

    records = frame.to_dict(orient="records")
    for row in records:
        code = _text(row["administrator_code"])
        if code not in administrators:
            administrators[code] = Administrator(
                code=code, name=_text(row["administrator"]), slug="", section=section
            )
    for level in ("program", "subprogram"):
        for row in records:
            if _text(row["level"]) != level:
                continue
            administrator = administrators[_text(row["administrator_code"])]
            key = (administrator.code, _text(row["program_code"]), _text(row["year"]))
            amounts = Amounts(scaled(row, "planned"), scaled(row, "executed"))
            if level == "program":
                programs[key] = Program(
                    code=key[1],
                    name=_text(row["program"]),
                    responsibility=_text(row.get("responsibility")),
                    year=key[2],
                    amounts=amounts,
                    administrator=administrator,
                )
                administrator.programs.append(programs[key])
                continue
            program = programs.get(key)
            if program is None:  # only subprograms: the program is their sum
                program = programs[key] = Program(
                    code=key[1],
                    name=_text(row["program"]),
                    responsibility=_text(row.get("responsibility")),
                    year=key[2],
                    amounts=Amounts(None, None),
                    administrator=administrator,
                )
                program.derived = True
                administrator.programs.append(program)
            program.subprograms.append(
                Subprogram(_text(row["subprogram_code"]), _text(row["subprogram"]), amounts)
            )
    for program in programs.values():
        if program.derived:
            program.amounts = Amounts(
                _sum(s.amounts.planned for s in program.subprograms),
                _sum(s.amounts.executed for s in program.subprograms),
            )
        program.subprograms.sort(key=lambda s: -s.amounts.size)
    section.administrators = [a for a in administrators.values() if a.programs]
    return section


def administrator_slug(name: str) -> str:
    """The URL slug of an administrator (ASCII, from any script)."""
    return name_slug(name)


def assign_slugs(sections: list[BudgetSection]) -> None:
    """Give every administrator a unique slug: its name, else name and code."""
    taken: set[str] = set()
    for section in sections:
        for administrator in section.administrators:
            slug = (
                administrator_slug(administrator.name)
                or administrator_slug(administrator.code)
                or "administrator"  # a name and code of symbols only
            )
            if slug in taken:
                slug = f"{slug}-{administrator_slug(administrator.code)}"
            suffix, base = 2, slug
            while slug in taken:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(slug)
            administrator.slug = slug


def budget_sections(portal: Any) -> list[BudgetSection]:
    """Every budget-programs resource of a loaded portal, summarised, slugs assigned."""
    sections = []
    for published in portal.by_kind(KIND):
        for resource in kind_resources(published.dataset):
            sections.append(summarise(published, resource, published.tables[resource.name]))
    assign_slugs(sections)
    return sections


# --- wiring (the pages, /budget/…, are in .pages) ----------------------------------------


def connect() -> None:
    signals.validation_checks.connect(validation_checks)
