"""The pages side of the open-data feature: the machine-readable files (once, in the
default language's run), template helpers for canonical links, Open Graph and schema.org,
and the news-feed fix-up.

Imported only when pages are written (``moldir.connect_features``); wired through
Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from moldir.features.opendata import api, datajson, dcat, feeds, schemaorg, versions
from moldir.features.opendata.catalogue import CatalogueInfo, history_of
from moldir.features.opendata.config import (
    LOCAL_SITE_URL,
    absolute,
    is_absolute,
    page_base,
)
from moldir.incremental import reuse
from moldir.pipeline import signals
from moldir.pipeline.pages import BuildContext, PageWriter, Site, TemplateHelpers
from moldir.pipeline.portal import Portal, PublishedDataset

logger = logging.getLogger(__name__)

# Open Graph wants language_TERRITORY.
OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB", "uz": "uz_UZ", "ky": "ky_KG"}


def root_files(
    portal: Portal, context: BuildContext
) -> Iterator[tuple[str, Callable[[], bytes], str | None]]:
    """Every machine-readable file: (path under the site root, its maker, its key).

    The catalogues read every dataset and are made on every build (key None); a dataset's
    own API document and feed depend on it alone, so they are only made again when it
    changed (``reuse.dataset_key``; the previous build's files are linked otherwise).
    """
    info = CatalogueInfo.from_pelican(context.settings)
    gettext = context.translations.gettext
    lang = info.default_lang
    yield "catalog.jsonld", lambda: dcat.catalogue_jsonld(portal, info), None
    yield "data.json", lambda: datajson.catalogue_json(portal, info), None
    yield "api/datasets.json", lambda: api.to_json(api.catalogue_document(portal, info)), None
    yield "feeds/datasets.atom.xml", lambda: feeds.datasets_feed(portal, info, gettext, lang), None
    for published in portal.datasets:
        folder, key = f"datasets/{published.slug}", reuse.dataset_key(published)
        yield f"{folder}/index.json", lambda p=published: dataset_api(info, p), key
        yield f"{folder}/feed.atom.xml", lambda p=published: dataset_feed(info, p, context), key
        # Each version's files, read from git: the same commit always gives the same zip.
        history = history_of(published)
        for version in history.versions if history is not None else ():
            yield (
                version.archive,
                lambda h=history, p=published, v=version: versions.version_zip(
                    Path(h.repo), p.slug, v
                ),
                key,
            )


def dataset_api(info: CatalogueInfo, published: PublishedDataset) -> bytes:
    return api.to_json(api.dataset_document(info, published))


def dataset_feed(info: CatalogueInfo, published: PublishedDataset, context: BuildContext) -> bytes:
    return feeds.dataset_feed(info, published, context.translations.gettext, info.default_lang)


def write_open_data(site: Site) -> None:
    """Writes /catalog.jsonld, /data.json, /api/, the dataset feeds and index.json files."""
    if not site.writes_root_files:
        return
    portal = site.portal
    for path, make, key in root_files(portal, site.context):
        site.file(path, make, key)
    logger.info("Moldir: catalogues, API and feeds of %d datasets", len(portal.datasets))


class PageMetadata:
    """What templates need for canonical links, Open Graph and schema.org (``opendata``)."""

    def __init__(self, context: BuildContext):
        self.context = context
        self.info = CatalogueInfo.from_pelican(context.settings)
        self.base = page_base(context.settings)
        self.lang = context.lang

    def canonical(self, output_file: str | None) -> str | None:
        """The absolute URL of the page written to ``output_file``, or None when the
        portal's public address is unknown (a development build without ``site_url``)."""
        if self.base is None or not output_file:
            return None
        return absolute(self.base, output_file.removesuffix("index.html"))

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.lang, self.lang.replace("-", "_"))

    def og_alternate_locales(self) -> list[str]:
        codes = self.context.languages
        return [OG_LOCALES.get(code, code) for code in codes if code != self.lang]

    def dataset_jsonld(self, published: PublishedDataset) -> Markup:
        return schemaorg.script_json(schemaorg.dataset_jsonld(self.info, published, self.lang))


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_open_data]


def template_helpers(context: BuildContext) -> TemplateHelpers:
    translations = context.translations
    return TemplateHelpers(
        globals={
            "opendata": PageMetadata(context),
            # What each version of a dataset changed, in the run's language (_history.html).
            "version_lines": lambda version: versions.version_lines(
                version, translations.gettext, translations.ngettext
            ),
            "version_title": lambda version: versions.version_title(version, translations.gettext),
        }
    )


def absolutize_article_feed(run: BuildContext, feed: Any = None, **_: Any) -> None:
    """``feed_generated`` receiver: absolute links in the news feeds of a relative build."""
    context: Mapping[str, Any] = run.settings
    if feed is None or is_absolute(str(context.get("SITEURL") or "")):
        return
    prefix = run.lang_prefix
    base = page_base(context) or (absolute(LOCAL_SITE_URL, prefix) if prefix else LOCAL_SITE_URL)
    domain = str(context.get("FEED_DOMAIN") or "")
    feed_url = feed.feed.get("feed_url") or ""
    if domain and feed_url.startswith(domain):
        feed.feed["feed_url"] = absolute(base, feed_url[len(domain) :])
    feeds.absolutize_feed(feed, base)


def connect() -> None:
    signals.page_writers.connect(page_writers)
    signals.template_helpers.connect(template_helpers)
    signals.feed_generated.connect(absolutize_article_feed)
