"""The reception pages: ``/receptions/``, ``/receptions/<body>/`` (templates
``receptions.html`` and ``reception_body.html``) and, once at the site root, the .ics
feeds ``/receptions/all.ics`` and ``/receptions/<body>.ics``.

Imported only when pages are written (``moldir.connect_features``); wired through
Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from babel.dates import format_date, format_time

from moldir.features.kinds.receptions import (
    KIND,
    ReceptionBody,
    ReceptionSession,
    build_calendar,
    calendar_bytes,
    format_label,
    group_by_body,
    language_name,
    portal_sessions,
    webcal,
)
from moldir.incremental import reuse
from moldir.model.settings import MoldirSettings, build_date
from moldir.pipeline import signals
from moldir.pipeline.pages import PageWriter, Site


def write_reception_pages(site: Site) -> None:
    """/receptions/, /receptions/<body>/ and, once at the root, the .ics feeds."""
    portal = site.portal
    sessions = portal_sessions(portal)
    if not sessions:
        return
    settings = site.context.settings
    today = build_date(settings)
    weeks = MoldirSettings.from_pelican(settings).receptions_weeks
    until = today + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    bodies = group_by_body(sessions, today, until)
    gettext = site.context.translations.gettext
    locale = site.context.locale
    values = {
        "bodies": bodies,
        "today": today,
        "until": until,
        "weeks": weeks,
        "formats": sorted({s.format for s in sessions if s.format}),
        "reception_date": lambda day: format_date(day, "full", locale=locale),
        "reception_time": lambda moment: format_time(moment, "short", locale=locale),
        "format_label": lambda value: format_label(value, gettext),
        "language_name": lambda code: language_name(code, locale),
        "webcal": webcal,
        "PORTAL_TIMEZONE": settings.get("TIMEZONE", ""),
        "datasets": portal.by_kind(KIND),
    }
    # Made from the reception datasets and the day only (the next weeks start on it).
    depends_on = reuse.on_day(reuse.datasets_key(values["datasets"]), today)
    site.page(
        "receptions/index.html",
        "receptions",
        depends_on=depends_on,
        page_name="receptions",
        **values,
    )
    for body in bodies:
        site.page(
            f"receptions/{body.slug}/index.html",
            "reception_body",
            depends_on=depends_on,
            page_name=f"receptions/{body.slug}",
            body=body,
            **values,
        )
    if site.writes_root_files:
        write_feeds(site, sessions, bodies, today, gettext)


def write_feeds(
    site: Site,
    sessions: list[ReceptionSession],
    bodies: list[ReceptionBody],
    today: dt.date,
    _: Callable[[str], str],
) -> None:
    """The .ics feeds: every session, and one feed per body that has its own."""
    siteurl = str(site.context.settings.get("SITEURL") or "")
    absolute = siteurl.startswith(("http://", "https://"))
    host = urlparse(siteurl).netloc if absolute else "moldir.invalid"

    def page_url(session: ReceptionSession) -> str | None:
        # A calendar needs an absolute URL; a relative development build has none.
        return f"{siteurl.rstrip('/')}/receptions/{session.body_slug}/" if absolute else None

    feeds = {"all": (sessions, _("Receptions of citizens"))}
    for body in filter(lambda b: b.has_feed, bodies):
        feeds[body.slug] = (body.sessions, _("Receptions: %(body)s") % {"body": body.name})
    for slug, (items, name) in feeds.items():
        calendar = build_calendar(items, name, today, page_url, _, host)
        site.file(f"receptions/{slug}.ics", calendar_bytes(calendar))


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_reception_pages]


def connect() -> None:
    signals.page_writers.connect(page_writers)
