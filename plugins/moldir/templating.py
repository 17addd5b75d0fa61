"""What every template can use: gettext, and filters that format numbers and sizes.

Installed on each Pelican generator's Jinja environment at ``generator_init``.
"""

from __future__ import annotations

import gettext
import math
from typing import Any

from jinja2 import Environment, pass_context


def format_number(value: Any, digits: int | None = None) -> str:
    """A number with thousands separators; missing values as an em dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    try:
        import pandas as pd

        if value is pd.NA:
            return "—"
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and digits == 0):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}" if digits is not None else f"{value:,}"
    if hasattr(value, "item"):
        return format_number(value.item(), digits)
    return str(value)


def format_bytes(size: int) -> str:
    """A file size for people: 1.2 MB, 340 KB, 87 bytes."""
    if size < 1024:
        return f"{size} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:,.1f} {unit}" if size < 10 else f"{size:,.0f} {unit}"
    return f"{size} bytes"  # pragma: no cover


def format_cell(value: Any, field: Any) -> str:
    """A table cell as people read it: counts with separators, years and codes as typed."""
    if field.type == "year" and value is not None and str(value) not in ("<NA>", "nan"):
        return str(value)
    if field.type in ("integer", "number"):
        return format_number(value)
    if value is None or str(value) in ("<NA>", "NaT", "nan"):
        return "—"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


FILTERS = {
    "number": format_number,
    "cell": format_cell,
    "filesize": format_bytes,
}


@pass_context
def data_url(context: Any, path: str) -> str:
    """URL of a file written once at the site root (downloads, chart files, feeds,
    catalogues), from a page of any language.

    ``SITEURL`` is the root of the current language's site (relative or absolute);
    ``MOLDIR_LANG_PREFIX`` is that language's folder ("" for the default language).
    """
    siteurl = context.get("SITEURL", "")
    prefix = context.get("MOLDIR_LANG_PREFIX", "")
    if prefix:
        if siteurl.endswith("/" + prefix):
            siteurl = siteurl[: -len(prefix) - 1]
        elif siteurl == prefix:
            siteurl = ""
        else:  # a relative SITEURL such as ".." from a page of the language site
            siteurl = f"{siteurl}/.." if siteurl not in ("", ".") else ".."
    return f"{siteurl}/{path.lstrip('/')}"


def install(env: Environment, translations: gettext.NullTranslations | None = None) -> None:
    """Add Moldir's filters and gettext to a Jinja environment (idempotent)."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)
    env.filters.update(FILTERS)
    env.globals["data_url"] = data_url
