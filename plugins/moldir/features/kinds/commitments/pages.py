"""The commitments pages: ``/commitments/`` (overdue, open, done and cancelled, with
filters), the filter pages ``/commitments/browse/<body|topic|district>/<value>/`` (static:
filtering works without JavaScript), one page per commitment ``/commitments/<id>/``
(templates ``commitments.html`` and ``commitment.html``) and, once at the site root, the
iCalendar of due dates ``/commitments/due.ics`` and the Atom feed of status changes
``/commitments/feed.atom.xml`` (from git history). The home page shows how many are
overdue (template global ``commitments_overdue``).

Imported only when pages are written (``moldir.connect_features``); wired through
Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from babel.dates import format_date

from moldir.features.kinds import kind_resources
from moldir.features.kinds.commitments import (
    FILTERS,
    KIND,
    STATES,
    Commitment,
    Register,
    StatusChange,
    due_calendar,
    portal_register,
    status_changes,
)
from moldir.features.kinds.receptions import webcal
from moldir.features.kinds.topics import topic_label
from moldir.incremental import reuse
from moldir.pipeline import labels, signals
from moldir.pipeline.pages import BuildContext, PageWriter, Site, TemplateHelpers


def write_commitment_pages(site: Site) -> None:
    """/commitments/, its filter pages, one page per commitment and, once at the root,
    the .ics of due dates and the Atom feed of status changes."""
    portal = site.portal
    settings = site.context.settings
    found = portal_register(portal, settings)
    if not found.items:
        return
    locale = site.context.locale
    lang = site.context.lang
    datasets = portal.by_kind(KIND)
    filters = {name: found.values(name) for name in FILTERS}
    values = {
        "register": found,
        "today": found.today,
        "states": STATES,
        "filters": filters,
        "commitment_date": lambda day: format_date(day, "long", locale=locale) if day else "",
        "topic_name": lambda code: topic_label(code, lang),
        "webcal": webcal,
        "datasets": datasets,
    }
    # Made from the register datasets and the day (what is overdue moves on with it).
    depends_on = reuse.on_day(reuse.datasets_key(datasets), found.today)
    site.page(
        "commitments/index.html",
        "commitments",
        depends_on=depends_on,
        page_name="commitments",
        groups=found.by_state(),
        current=None,
        **values,
    )
    for choices in filters.values():
        for choice in choices:
            site.page(
                choice.url + "index.html",
                "commitments",
                depends_on=depends_on,
                page_name=choice.url.rstrip("/"),
                groups=found.by_state(choice.items),
                current=choice,
                **values,
            )
    for item in found.items:
        site.page(
            item.url + "index.html",
            "commitment",
            depends_on=depends_on,
            page_name=item.url.rstrip("/"),
            item=item,
            state=item.state(found.today),
            **values,
        )
    if site.writes_root_files:
        write_files(site, found, datasets)


def _absolute(site: Site) -> tuple[str, bool, str]:
    siteurl = str(site.context.settings.get("SITEURL") or "")
    absolute = siteurl.startswith(("http://", "https://"))
    host = urlparse(siteurl).netloc if absolute else "moldir.invalid"
    return siteurl.rstrip("/"), absolute, host


def cell_word(published: Any, field: str, value: str, lang: str) -> str:
    """A cell of the register in ``lang``, from the dataset's (or the kind's) labels."""
    for resource in kind_resources(published.dataset):
        return str(labels.value_label(published.dataset, resource.name, field, value, lang))
    return value


def status_word(published: Any, status: str, lang: str) -> str:
    """A status code in ``lang``."""
    return cell_word(published, "status", status, lang)


def write_files(site: Site, found: Register, datasets: list[Any]) -> None:
    """``commitments/due.ics`` and ``commitments/feed.atom.xml`` (root files)."""
    _ = site.context.translations.gettext
    siteurl, absolute, host = _absolute(site)

    def page_url(item: Commitment) -> str | None:
        # A calendar needs an absolute URL; a relative development build has none.
        return f"{siteurl}/{item.url}" if absolute else None

    calendar = due_calendar(
        found.items,
        _("Commitments: due dates"),
        found.today,
        lambda item: _("Due: %(id)s, %(body)s") % {"id": item.id, "body": item.body},
        page_url,
        host,
    )
    site.file("commitments/due.ics", calendar.to_ical())
    site.file("commitments/feed.atom.xml", lambda: status_feed(site, found, datasets))


def status_feed(site: Site, found: Register, datasets: list[Any]) -> bytes:
    """The Atom feed of status changes of every commitment on the register (from git),
    newest first; the feed of the opendata feature (``feeds.atom_feed``) writes it."""
    from feedgenerator import get_tag_uri

    from moldir.features.opendata.catalogue import CatalogueInfo
    from moldir.features.opendata.feeds import FeedEntry, atom_feed

    settings = dict(site.context.settings)
    info = CatalogueInfo.from_pelican(settings)
    lang = info.default_lang
    _ = site.context.translations.gettext
    listed = {item.id for item in found.items}
    changes: list[tuple[StatusChange, Any]] = []
    for published in datasets:
        changes += [(c, published) for c in status_changes(published) if c.id in listed]
    changes.sort(key=lambda pair: (pair[0].date, pair[0].id), reverse=True)
    entries = []
    for change, published in changes[: info.feed_limit]:
        link = info.url(f"commitments/{change.id}/")
        status = status_word(published, change.status, lang)
        if change.previous is None:
            title = _("%(id)s: published as %(status)s") % {"id": change.id, "status": status}
        else:
            title = _("%(id)s: %(before)s → %(status)s") % {
                "id": change.id,
                "before": status_word(published, change.previous, lang),
                "status": status,
            }
        entries.append(
            FeedEntry(
                title=title,
                link=link,
                unique_id=f"{get_tag_uri(link, change.date)}:{change.commit[:12]}",
                updated=change.date,
                summary=cell_word(published, "issue", change.issue, lang),
            )
        )
    return atom_feed(
        info,
        _("%(site)s: commitments, changes of status") % {"site": info.title},
        info.url("commitments/"),
        info.url("commitments/feed.atom.xml"),
        entries,
        lang,
    )


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_commitment_pages]


def template_helpers(context: BuildContext) -> TemplateHelpers:
    """``commitments_overdue(portal)``: how many commitments are overdue on the build
    date (None when the portal has no register), for the home page."""
    settings = context.settings

    def overdue(portal: Any) -> int | None:
        if portal is None or not portal.by_kind(KIND):
            return None
        return portal_register(portal, settings).overdue

    return TemplateHelpers(globals={"commitments_overdue": overdue})


def connect() -> None:
    signals.page_writers.connect(page_writers)
    signals.template_helpers.connect(template_helpers)
