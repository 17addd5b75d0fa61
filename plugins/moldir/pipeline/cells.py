"""A typed cell value as text, in the form of its type that the published schema declares
and Frictionless reads back to the same value (exact numbers kept): what the normalised CSV
download writes, and what the tables keep for values a DataFrame cannot hold. Used by
``tables`` and ``downloads``, so neither imports the other backwards."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any


def number_text(value: Any) -> str:
    """A number in the form Frictionless reads back to the same value: Python's shortest
    form of a float, a Decimal's own digits, ``NaN``/``Infinity``/``-Infinity``."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return "NaN"
        if value.is_infinite():
            return "Infinity" if value > 0 else "-Infinity"
        return str(value)
    return str(value)


def component_text(value: Any) -> str:
    """A geopoint coordinate: a float's short form when the Decimal came from a float."""
    if isinstance(value, Decimal) and value.is_finite():
        number = float(value)
        if Decimal(number) == value:
            return repr(number)
    return number_text(value)


def cell_text(item: Any, value: Any) -> str:
    """The CSV text of one typed value of ``item`` (not neutralised): the type's default
    form, which the published schema declares."""
    kind = item.type
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "year" and isinstance(value, int):
        return f"{value:04d}"
    if kind == "integer" and isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if kind == "yearmonth":
        return f"{value[0]}-{value[1]:02d}"
    if kind == "duration":
        import isodate

        return isodate.duration_isoformat(value)
    if kind == "geopoint":
        return f"{component_text(value[0])},{component_text(value[1])}"
    if kind == "list":
        return item.create_value_writer()(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
