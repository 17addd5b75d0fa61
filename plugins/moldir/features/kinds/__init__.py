"""The three kinds of government data the portal knows, each with a reusable Table Schema.

A dataset declares ``"kind": "<name>"`` in its descriptor; its main resource must then
follow the kind's schema (``plugins/moldir/schemas/<name>.json``, also published on the
portal for other bodies to reuse): every field the kind requires, with the kind's type.
Each kind is a package (``appeals/``, ``budget/``, ``receptions/``) holding its checks and
summaries (``__init__.py``) and its topic pages (``pages.py``); this module is what they
share: the registry of kinds, their schemas, row errors, slugs and number formats. The
``/schemas/`` pages are in ``kinds/pages.py``. Nothing here imports a kind, and a kind's
``__init__`` never imports its pages (``moldir.connect_features`` does, for a build):
``moldir validate`` runs the kinds' checks without loading what pages need.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal
from markupsafe import Markup
from unidecode import unidecode

from moldir.model.dataset import Dataset, Resource
from moldir.model.errors import ErrorType, KindError
from moldir.model.numbers import format_compact, format_number
from moldir.model.report import ValidationError
from moldir.pipeline import signals

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
KINDS: dict[str, str] = {
    "appeal-statistics": "Appeal statistics",
    "reception-schedule": "Reception schedules",
    "budget-programs": "Budget programs",
    "data-requests": "Data requests",
    "commitments": "Commitments register",
    "appeal-responses": "Appeal responses",
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
        yield KindError.error(
            dataset.slug,
            file=dataset.shown_path,
            details=f'unknown kind "{kind}"; known kinds: {", ".join(KINDS)}',
        )
        return
    if kind_resources(dataset):
        return
    wanted = required_fields(kind)
    for resource in dataset.resources:
        have = {f.name: f.type for f in resource.fields}
        missing = [f"{n} ({t})" for n, t in wanted.items() if have.get(n) != t]
        yield KindError.error(
            dataset.slug,
            resource=resource.name,
            file=dataset.shown_path,
            details=(
                f'resource "{resource.name}" does not follow the {kind} schema: '
                f"missing or mistyped fields {', '.join(missing)}"
            ),
        )


def shown_file(dataset: Dataset, resource: Resource) -> str:
    """The data file as the editor sees it (beside the descriptor the report names)."""
    if dataset.shown_path:
        return str(Path(dataset.shown_path).parent / resource.relpath)
    return resource.relpath


def row_errors(
    dataset: Dataset, resource: Resource, kind: type[ErrorType]
) -> Callable[[int, str, str], ValidationError]:
    """A maker of ``kind`` errors (e.g. ``ConsistencyError``) on a row of a resource's
    typed table.

    ``error(index, field_name, message)``: ``index`` is the 0-based row of the table, so
    the row number (and the CSV line, the header being line 1) is ``index + 2``.
    """
    shown = shown_file(dataset, resource)
    positions = {f.name: number for number, f in enumerate(resource.fields, start=1)}

    def error(index: int, field_name: str, message: str) -> ValidationError:
        return kind.error(
            dataset.slug,
            file=shown,
            resource=resource.name,
            row=index + 2,
            field=field_name,
            field_number=positions.get(field_name),
            line=index + 2,
            details=message,
        )

    return error


# --- pages --------------------------------------------------------------------------

# What a slug keeps of a name: the substitutions Pelican's ``SLUG_REGEX_SUBSTITUTIONS``
# default to (the addresses of bodies and budget administrators have always been these).
_SLUG_SUBSTITUTIONS = ((r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"[-\s]+", "-"))


def name_slug(name: str) -> str:
    """The URL slug of a name (a body, a budget administrator): ASCII from any script,
    lower case, words joined by "-" ("Әкімдік №2" → "akimdik-2").

    The same steps as Pelican's ``slugify`` with its default substitutions (a contract
    test compares them), without importing Pelican into the kinds.
    """
    value = unicodedata.normalize("NFKC", Markup(name).striptags())
    value = unidecode(value)
    for pattern, replacement in _SLUG_SUBSTITUTIONS:
        value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
    return value.lower().strip()


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


def page_formatters(locale: str) -> dict[str, Callable[..., str]]:
    """Money, percentages and figures in a page's language (``locale``), for the templates
    of the kinds' topic pages (``money(amount, currency)``, ``percent(value)``…)."""
    return {
        "money": lambda amount, currency, compact=False: format_money(
            amount, currency, locale, compact
        ),
        "percent": lambda value, digits=1: format_percent(value, locale, digits),
        # A figure rounded to at most ``digits`` decimals, none when it is whole.
        "figure": lambda value, digits=1: format_number(
            round(value, digits) if isinstance(value, float) else value, locale
        ),
        "compact": lambda value, currency=None: format_compact(value, locale, currency),
    }


def validation_checks(sender: Any) -> list:
    return [check_kind]


def connect() -> None:
    """Register the kind conformance check (once for all kinds)."""
    signals.validation_checks.connect(validation_checks)
