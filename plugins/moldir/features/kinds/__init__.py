"""The three kinds of government data the portal knows, each with a reusable Table Schema.

A dataset declares ``"kind": "<name>"`` in its descriptor; its main resource must then
follow the kind's schema (``plugins/moldir/schemas/<name>.json``, also published on the
portal for other bodies to reuse): every field the kind requires, with the kind's type.
The kind modules (appeals, receptions, budget) add their own checks and topic pages.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal

from moldir.model.dataset import Dataset, Resource
from moldir.model.numbers import format_compact
from moldir.model.report import ValidationError
from moldir.pipeline import signals

# The kinds' pages are Pelican generators in .pages, imported by the ``get_generators``
# handlers: ``moldir validate`` runs the kinds' checks without loading Pelican.

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
KINDS: dict[str, str] = {
    "appeal-statistics": "Appeal statistics",
    "reception-schedule": "Reception schedules",
    "budget-programs": "Budget programs",
}


@cache
def kind_schema(kind: str) -> dict[str, Any]:
    """The published Table Schema of a kind."""
    return json.loads((SCHEMAS_DIR / f"{kind}.json").read_text(encoding="utf-8"))


def required_fields(kind: str) -> dict[str, str]:
    """Field name → type, for every field the kind requires."""
    return {
        field["name"]: field.get("type", "string")
        for field in kind_schema(kind)["fields"]
        if field.get("constraints", {}).get("required")
    }


def kind_resources(dataset: Dataset) -> list[Resource]:
    """The resources of a dataset that follow its kind's schema."""
    if dataset.kind not in KINDS:
        return []
    wanted = required_fields(dataset.kind)
    return [
        resource
        for resource in dataset.resources
        if all(
            any(f.name == name and f.type == type_ for f in resource.fields)
            for name, type_ in wanted.items()
        )
    ]


def check_kind(dataset: Dataset) -> Iterable[ValidationError]:
    """A dataset that declares a kind has at least one resource following its schema."""
    kind = dataset.kind
    if kind is None:
        return
    if kind not in KINDS:
        yield ValidationError(
            type="kind-error",
            message=f'unknown kind "{kind}"; known kinds: {", ".join(KINDS)}',
            dataset=dataset.slug,
            file=dataset.shown_path,
        )
        return
    if kind_resources(dataset):
        return
    wanted = required_fields(kind)
    for resource in dataset.resources:
        have = {f.name: f.type for f in resource.fields}
        missing = [f"{n} ({t})" for n, t in wanted.items() if have.get(n) != t]
        yield ValidationError(
            type="kind-error",
            message=(
                f'resource "{resource.name}" does not follow the {kind} schema: '
                f"missing or mistyped fields {', '.join(missing)}"
            ),
            dataset=dataset.slug,
            resource=resource.name,
            file=dataset.shown_path,
        )


def shown_file(dataset: Dataset, resource: Resource) -> str:
    """The data file as the editor sees it (beside the descriptor the report names)."""
    if dataset.shown_path:
        return str(Path(dataset.shown_path).parent / resource.relpath)
    return resource.relpath


def row_errors(
    dataset: Dataset, resource: Resource, type_: str
) -> Callable[[int, str, str], ValidationError]:
    """A maker of ``type_`` errors on a row of a resource's typed table.

    ``error(index, field_name, message)``: ``index`` is the 0-based row of the table, so
    the row number (and the CSV line, the header being line 1) is ``index + 2``.
    """
    shown = shown_file(dataset, resource)
    positions = {f.name: number for number, f in enumerate(resource.fields, start=1)}

    def error(index: int, field_name: str, message: str) -> ValidationError:
        return ValidationError(
            type=type_,
            message=message,
            dataset=dataset.slug,
            file=shown,
            resource=resource.name,
            row=index + 2,
            field=field_name,
            field_number=positions.get(field_name),
            line=index + 2,
        )

    return error


# --- pages --------------------------------------------------------------------------


def page_locale(settings: dict[str, Any]) -> str:
    """The Babel locale of a Pelican run (its language), e.g. "kk", "ru", "en"."""
    return str(settings.get("DEFAULT_LANG") or "en").replace("-", "_")


@cache
def whole_currency_pattern(locale: str) -> NumberPattern:
    """The locale's currency pattern without decimals: budget amounts of millions are read
    to the unit, and cents would only add noise (the downloads keep them)."""
    pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return pattern


def format_money(amount: Any, currency: str, locale: str, compact: bool = False) -> str:
    """An amount of money as the page's language writes it: "CA$1,234,567", or compact
    "CA$1.23 m" / "1,23 млн CA$" (moldir.model.numbers).

    ``amount`` is already multiplied by the data's unit. Missing amounts print as "—".
    """
    if amount is None or amount != amount:  # None, NaN or pandas' NA-as-float
        return "—"
    try:
        if compact:
            return format_compact(amount, locale, currency)
        return format_currency(
            amount,
            currency,
            locale=locale,
            format=whole_currency_pattern(locale),
            currency_digits=False,
        )
    except (ValueError, TypeError):  # pragma: no cover - an unknown locale or currency
        return f"{amount:,.0f} {currency}"


def format_percent(value: Any, locale: str, digits: int = 1) -> str:
    """A ratio already multiplied by 100, as "97.3 %" in the page's language; a whole
    value without decimals ("100 %", not "100.0 %")."""
    if value is None or value != value:
        return "—"
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=locale) + "\u00a0%"


def validation_checks(sender: Any) -> list:
    return [check_kind]


def get_generators(pelican_object: Any) -> type:
    from moldir.features.kinds.pages import SchemaPagesGenerator

    return SchemaPagesGenerator


def connect() -> None:
    """Register the kind conformance check (once for all kinds)."""
    signals.validation_checks.connect(validation_checks)


def connect_pelican() -> None:
    """Register the schemas page."""
    from pelican import signals as pelican_signals

    pelican_signals.get_generators.connect(get_generators)
