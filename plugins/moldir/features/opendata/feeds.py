"""Atom feeds of dataset changes, from the history: ``/feeds/datasets.atom.xml`` (every
dataset added or changed) and ``/datasets/<slug>/feed.atom.xml`` (one dataset).

Also the fix-up that makes Pelican's article feed (``FEED_ALL_ATOM``) valid in a
development build: with a relative ``SITEURL`` Pelican writes relative links and ids, so
they are made absolute with the same base as the catalogues.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgenerator import Atom1Feed, get_tag_uri

from moldir.features.opendata import versions
from moldir.features.opendata.catalogue import (
    CatalogueInfo,
    dataset_url,
    download_url,
    history_of,
    translated,
)
from moldir.features.opendata.config import is_absolute
from moldir.pipeline.portal import Portal, PublishedDataset

Gettext = Callable[[str], str]


def ngettext_of(gettext: Gettext) -> Callable[[str, str, int], str]:
    """The plural form lookup of the translations ``gettext`` belongs to (English plural
    rules for a plain function)."""
    translations = getattr(gettext, "__self__", None)
    found = getattr(translations, "ngettext", None)
    return found or (lambda singular, plural, number: singular if number == 1 else plural)


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str
    unique_id: str
    updated: dt.datetime
    summary: str


def dataset_entries(
    info: CatalogueInfo, published: PublishedDataset, gettext: Gettext, lang: str
) -> list[FeedEntry]:
    """One entry per change of a dataset (its first commit is "published"), newest first.

    Without a git history there is one entry: the dataset as last changed.
    """
    history = history_of(published)
    title = translated(published, "title", lang)
    link = dataset_url(info, published)
    if history is None or history.last_changed is None:
        return []
    if not history.versions:
        return [
            FeedEntry(
                title=gettext("%(title)s: updated") % {"title": title},
                link=link,
                unique_id=get_tag_uri(link, history.last_changed),
                updated=history.last_changed,
                summary=translated(published, "description", lang),
            )
        ]
    # The versions of the data (versions.py), never the commits' messages.
    entries = []
    for version in history.versions[: info.history_limit]:
        template = (
            gettext("%(title)s: published") if version.first else gettext("%(title)s: updated")
        )
        summary = [versions.version_title(version, gettext)]
        if version.note:
            summary.append(version.note)
        summary += versions.version_lines(version, gettext, ngettext_of(gettext))
        entries.append(
            FeedEntry(
                title=template % {"title": title},
                link=link,
                unique_id=f"{get_tag_uri(link, version.date)}:{version.commit[:12]}",
                updated=version.date,
                summary=". ".join(part.rstrip(".") for part in summary) + ".",
            )
        )
    return entries


class _DatedAtomFeed(Atom1Feed):
    """feedgenerator dates a feed without items by the current second."""

    empty_updated: dt.datetime | None = None

    def latest_post_date(self) -> dt.datetime:
        if not self.items and self.empty_updated is not None:
            return self.empty_updated
        return super().latest_post_date()


def atom_feed(
    info: CatalogueInfo,
    title: str,
    link: str,
    feed_url: str,
    entries: list[FeedEntry],
    lang: str,
) -> bytes:
    """An Atom 1.0 document: feed id, title, updated, author, alternate and self links.

    The feed's ``updated`` is its newest entry's; a feed without entries is dated by the
    build day (``MOLDIR_TODAY``, else today), not the build's second, so that two builds of
    the same day write the same bytes."""
    feed = _DatedAtomFeed(
        title=title,
        link=link,
        feed_url=feed_url,
        description="",
        language=lang,
        author_name=info.publisher,
        feed_guid=feed_url,
    )
    for entry in entries:
        feed.add_item(
            title=entry.title,
            link=entry.link,
            # Atom's summary is sent as type="html": the text is escaped to stay text.
            description=html.escape(entry.summary, quote=False),
            unique_id=entry.unique_id,
            pubdate=entry.updated,
            updateddate=entry.updated,
            author_name=info.publisher,
        )
    if not entries:
        day = info.settings.today or dt.datetime.now(dt.UTC).date()
        feed.empty_updated = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    buffer = io.StringIO()
    feed.write(buffer, "utf-8")
    return buffer.getvalue().encode("utf-8")


def datasets_feed(portal: Portal, info: CatalogueInfo, gettext: Gettext, lang: str) -> bytes:
    entries = [
        entry
        for published in portal.datasets
        for entry in dataset_entries(info, published, gettext, lang)
    ]
    entries.sort(key=lambda entry: entry.updated, reverse=True)
    return atom_feed(
        info,
        gettext("%(site)s: dataset updates") % {"site": info.title},
        info.url("datasets/"),
        info.url("feeds/datasets.atom.xml"),
        entries[: info.feed_limit],
        lang,
    )


def dataset_feed(
    info: CatalogueInfo, published: PublishedDataset, gettext: Gettext, lang: str
) -> bytes:
    return atom_feed(
        info,
        gettext("%(title)s: changes") % {"title": translated(published, "title", lang)},
        dataset_url(info, published),
        download_url(info, f"datasets/{published.slug}/feed.atom.xml"),
        dataset_entries(info, published, gettext, lang),
        lang,
    )


def absolutize_feed(feed, base: str) -> None:
    """Make a Pelican feed's relative links and ids absolute against ``base``."""
    root = base.rstrip("/") + "/"

    def fix(url: str) -> str:
        return url if not url or is_absolute(url) else urljoin(root, url.lstrip("/"))

    feed.feed["link"] = fix(feed.feed.get("link") or "")
    feed.feed["id"] = fix(feed.feed.get("id") or "") or feed.feed["link"]
    if feed.feed.get("feed_url"):
        feed.feed["feed_url"] = fix(feed.feed["feed_url"])
    for item in feed.items:
        relative = item.get("link") or ""
        if relative and not is_absolute(relative):
            item["link"] = fix(relative)
            date = item.get("pubdate") or item.get("updateddate")
            item["unique_id"] = get_tag_uri(item["link"], date)
