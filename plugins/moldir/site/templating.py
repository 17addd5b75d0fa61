"""What every template can use: gettext, and filters that format numbers, sizes and dates
for the language being built (Babel; see docs/i18n.md), and the filters that let input
reach a page safely (docs/security.md).

Installed on each Pelican generator's Jinja environment at ``generator_init``, which also
turns autoescaping on: every value a template prints is escaped unless it is ``Markup``
(HTML made safe in Python: sanitised page content, chart SVG, JSON-LD).
"""

from __future__ import annotations

import datetime
import gettext
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

from moldir.incremental import reuse
from moldir.model import numbers
from moldir.model.safety import safe_url as checked_url
from moldir.pipeline.sanitize import sanitize_html


def format_number(value: Any, digits: int | None = None, locale: str = "en") -> str:
    """A number with the locale's separators ("22,365" in English, "22 365" in Russian and
    Kazakh); missing values as an em dash; never a trailing ".0" (moldir.model.numbers, the
    portal's one number format). ``digits`` fixes the decimal places."""
    try:
        import pandas as pd

        if value is pd.NA:
            return "—"
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return numbers.format_number(value, locale, digits)


def format_bytes(size: int, locale: str = "en", gettext: Any = None) -> str:
    """A file size for people: 1.2 MB, 340 KB, 87 bytes (units through gettext)."""
    _ = gettext or (lambda text: text)
    if size < 1024:
        return _("%(size)s bytes") % {"size": format_decimal(size, locale=locale)}
    units = {"KB": _("%(size)s KB"), "MB": _("%(size)s MB"), "GB": _("%(size)s GB")}
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            pattern = "#,##0.0" if size < 10 else "#,##0"
            return units[unit] % {"size": format_decimal(size, format=pattern, locale=locale)}
    return f"{size} bytes"  # pragma: no cover


def format_cell(value: Any, field: Any, locale: str = "en") -> str:
    """A table cell as people read it: counts with separators, years and codes as typed,
    dates in the locale's form; a value with a label (``field.labels``, filled by
    labels.localized_fields) as its label."""
    labels = getattr(field, "labels", None)
    if labels:
        from moldir.pipeline.labels import value_key

        key = value_key(value)
        if key is not None and key in labels:
            return labels[key]
    if field.type == "year" and value is not None and str(value) not in ("<NA>", "nan"):
        return str(value)
    if field.type in ("integer", "number"):
        return format_number(value, locale=locale)
    if value is None or str(value) in ("<NA>", "NaT", "nan"):
        return "—"
    if field.type in ("date", "datetime") and hasattr(value, "isoformat"):
        return format_date(value, "medium", locale=locale)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def format_date(value: Any, format: str = "long", locale: str = "en") -> str:
    """A date in the locale's words ("20 November 2026" → "20 ноября 2026 г."); a
    datetime is shown as its date; an ISO string is parsed first; "" when missing."""
    if value is None or value == "" or str(value) in ("<NA>", "NaT", "nan"):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, datetime.datetime):
        value = value.date()
    return babel_format_date(value, format=format, locale=locale)


def safe_url(value: Any) -> str | None:
    """Filter: ``value`` if it may be a link from input (``https``, ``http``, ``mailto``),
    else None, so that a template shows it as text:

    ``{% set url = source.path|safe_url %}{% if url %}<a href="{{ url }}">…``
    """
    return checked_url(str(value)) if isinstance(value, str) else None


def link_or_text(value: Any, text: Any = None) -> Markup:
    """Filter: an ``<a>`` to ``value`` showing ``text`` (default the URL itself) when the URL
    may be a link from input; otherwise ``text`` alone, escaped."""
    label = value if text is None or text == "" else text
    url = safe_url(value)
    if url is None:
        return Markup("{}").format(label if label is not None else "")
    return Markup('<a href="{}">{}</a>').format(url, label)


def html_escaped(value: Any) -> str:
    """Filter: the HTML-escaped form of ``value`` as plain text, for HTML shown as text on
    the page (an embed snippet): autoescaping then escapes it once more."""
    return str(escape(value))


FILTERS = {
    "number": format_number,
    "cell": format_cell,
    "filesize": format_bytes,
    "date": format_date,
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


def install(
    env: Environment,
    translations: gettext.NullTranslations | None = None,
    locale: str = "en",
) -> None:
    """Add Moldir's filters, gettext and language helpers to a Jinja environment for one
    language (idempotent): numbers, sizes and dates are formatted for ``locale``."""
    from moldir.site import csp, i18n

    # Whatever JINJA_ENVIRONMENT a project sets: templates are compiled after this, so
    # every one of them escapes what it prints.
    env.autoescape = True
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    translations = translations or gettext.NullTranslations()
    env.install_gettext_translations(translations, newstyle=True)
    env.filters.update(
        {
            "number": lambda value, digits=None: format_number(value, digits, locale),
            "cell": lambda value, field: format_cell(value, field, locale),
            "filesize": lambda size: format_bytes(size, locale, translations.gettext),
            "date": lambda value, format="long": format_date(value, format, locale),
            "safe_url": safe_url,
            "link_or_text": link_or_text,
            "sanitize": sanitize_html,
            "html_escaped": html_escaped,
        }
    )
    env.globals["data_url"] = data_url
    # The default of the setting (a project's pelicanconf value, in the context, wins).
    env.globals[csp.SETTING] = csp.POLICY
    env.globals["MOLDIR_LOCALE"] = locale
    reuse.reusable_globals("data_url", "MOLDIR_LOCALE")  # read settings and arguments only
    i18n.install(env, translations)
