"""The kinds' Pelican generators: /schemas/, /appeals/, /budget/, /receptions/.

Kept apart from the kinds' checks and summaries so that Pelican is imported only when
pages are written (each kind's ``get_generators`` imports its class from here).
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from babel.dates import format_date, format_time

from moldir.features.kinds import (
    KINDS,
    SCHEMAS_DIR,
    format_money,
    format_percent,
    kind_schema,
    page_locale,
)
from moldir.features.kinds.appeals import KIND as APPEALS
from moldir.features.kinds.appeals import appeal_sections
from moldir.features.kinds.budget import KIND as BUDGET
from moldir.features.kinds.budget import budget_sections
from moldir.features.kinds.receptions import (
    DEFAULT_WEEKS,
    ReceptionBody,
    ReceptionSession,
    build_calendar,
    build_date,
    calendar_bytes,
    format_label,
    group_by_body,
    language_name,
    portal_sessions,
    webcal,
)
from moldir.features.kinds.receptions import KIND as RECEPTIONS
from moldir.incremental import reuse
from moldir.model.numbers import format_compact, format_number
from moldir.model.safety import checked_output
from moldir.model.settings import MoldirSettings
from moldir.site.plugin import PortalGenerator


class KindPagesGenerator(PortalGenerator):
    """Base of the kinds' topic pages: money and percentages in the page's language."""

    @property
    def locale(self) -> str:
        return page_locale(self.settings)

    @property
    def topics(self) -> tuple[str, ...]:
        """The portal's topics (MOLDIR["topics"]): a topic page is written for these."""
        return tuple(MoldirSettings.from_pelican(self.settings).topics)

    def page_values(self) -> dict[str, Any]:
        locale = self.locale
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


class SchemaPagesGenerator(KindPagesGenerator):
    """/schemas/ (every kind's schema, field by field) and, once, /schemas/<kind>.json."""

    def generate_output(self, writer: Any) -> None:
        portal = self.portal
        kinds = [
            {
                "name": kind,
                "schema": kind_schema(kind),
                "datasets": portal.by_kind(kind) if portal is not None else [],
            }
            for kind in KINDS
            if (SCHEMAS_DIR / f"{kind}.json").is_file()
        ]
        self.write_page(writer, "schemas/index.html", "schemas", page_name="schemas", kinds=kinds)
        if self.writes_root_files():
            folder = Path(self.output_path) / "schemas"
            folder.mkdir(parents=True, exist_ok=True)
            for kind in kinds:
                # The package file as it is, so that other bodies reuse exactly what we check.
                source = SCHEMAS_DIR / f"{kind['name']}.json"
                (folder / source.name).write_bytes(source.read_bytes())


class AppealsPageGenerator(KindPagesGenerator):
    """/appeals/: every appeal-statistics dataset, with totals, changes and ratios."""

    def generate_output(self, writer: Any) -> None:
        portal = self.portal
        if portal is None:
            return
        sections = appeal_sections(portal)
        # Datasets on appeals in other shapes (wide tables) are listed, not summed.
        related = [p for p in portal.by_topic("appeals") if p.dataset.kind != APPEALS]
        if not (sections or related or "appeals" in self.topics):
            return  # not a topic of this portal: no page the navigation would not link to
        self.write_page(
            writer,
            "appeals/index.html",
            "appeals",
            depends_on=reuse.datasets_key([*portal.by_topic("appeals"), *portal.by_kind(APPEALS)]),
            page_name="appeals",
            sections=sections,
            related=related,
        )


class BudgetPagesGenerator(KindPagesGenerator):
    """/budget/ and one /budget/<administrator>/ page per administrator."""

    def generate_output(self, writer: Any) -> None:
        portal = self.portal
        if portal is None:
            return
        sections = budget_sections(portal)
        related = [p for p in portal.by_topic("budget") if p.dataset.kind != BUDGET]
        if not (sections or related or "budget" in self.topics):
            return  # not a topic of this portal: no page the navigation would not link to
        # The budget pages are made from these datasets only: unchanged, they are reused.
        depends_on = reuse.datasets_key([*portal.by_topic("budget"), *portal.by_kind(BUDGET)])
        self.write_page(
            writer,
            "budget/index.html",
            "budget",
            depends_on=depends_on,
            page_name="budget",
            sections=sections,
            related=related,
        )
        for section in sections:
            for administrator in section.administrators:
                self.write_page(
                    writer,
                    f"budget/{administrator.slug}/index.html",
                    "budget_administrator",
                    depends_on=depends_on,
                    page_name=f"budget/{administrator.slug}",
                    section=section,
                    administrator=administrator,
                )


class ReceptionPagesGenerator(PortalGenerator):
    """/receptions/, /receptions/<body>/ and, once at the root, the .ics feeds."""

    def generate_output(self, writer) -> None:
        portal = self.portal
        if portal is None:
            return
        sessions = portal_sessions(portal)
        if not sessions:
            return
        today = build_date(self.settings)
        weeks = int(self.settings.get("MOLDIR_RECEPTIONS_WEEKS", DEFAULT_WEEKS))
        until = today + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
        bodies = group_by_body(sessions, today, until)
        translations = self.settings.get("MOLDIR_TRANSLATIONS") or gettext.NullTranslations()
        locale = str(self.settings.get("DEFAULT_LANG") or "en").replace("-", "_")
        values = {
            "bodies": bodies,
            "today": today,
            "until": until,
            "weeks": weeks,
            "formats": sorted({s.format for s in sessions if s.format}),
            "reception_date": lambda day: format_date(day, "full", locale=locale),
            "reception_time": lambda moment: format_time(moment, "short", locale=locale),
            "format_label": lambda value: format_label(value, translations.gettext),
            "language_name": lambda code: language_name(code, locale),
            "webcal": webcal,
            "PORTAL_TIMEZONE": self.settings.get("TIMEZONE", ""),
            "datasets": portal.by_kind(RECEPTIONS),
        }
        # Made from the reception datasets and the day only (the day is in every page key).
        depends_on = reuse.datasets_key(values["datasets"])
        self.write_page(
            writer,
            "receptions/index.html",
            "receptions",
            depends_on=depends_on,
            page_name="receptions",
            **values,
        )
        for body in bodies:
            self.write_page(
                writer,
                f"receptions/{body.slug}/index.html",
                "reception_body",
                depends_on=depends_on,
                page_name=f"receptions/{body.slug}",
                body=body,
                **values,
            )
        if self.writes_root_files():
            self.write_feeds(sessions, bodies, today, translations.gettext)

    def write_feeds(
        self,
        sessions: list[ReceptionSession],
        bodies: list[ReceptionBody],
        today: dt.date,
        _: Callable[[str], str],
    ) -> None:
        siteurl = str(self.settings.get("SITEURL") or "")
        absolute = siteurl.startswith(("http://", "https://"))
        host = urlparse(siteurl).netloc if absolute else "moldir.invalid"

        def page_url(session: ReceptionSession) -> str | None:
            # A calendar needs an absolute URL; a relative development build has none.
            return f"{siteurl.rstrip('/')}/receptions/{session.body_slug}/" if absolute else None

        folder = Path(self.output_path) / "receptions"
        folder.mkdir(parents=True, exist_ok=True)
        feeds = {"all": (sessions, _("Receptions of citizens"))}
        for body in filter(lambda b: b.has_feed, bodies):
            feeds[body.slug] = (body.sessions, _("Receptions: %(body)s") % {"body": body.name})
        for slug, (items, name) in feeds.items():
            calendar = build_calendar(items, name, today, page_url, _, host)
            checked_output(folder / f"{slug}.ics").write_bytes(calendar_bytes(calendar))
