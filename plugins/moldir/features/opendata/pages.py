"""The Pelican side of the open-data feature: a generator that writes the machine-readable
files (once, in the default language's run), template helpers for canonical links, Open
Graph and schema.org, and the article-feed fix-up."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from markupsafe import Markup

from moldir.features.opendata import api, datajson, dcat, feeds, schemaorg, versions
from moldir.features.opendata.catalogue import CatalogueInfo, history_of
from moldir.features.opendata.config import (
    LOCAL_SITE_URL,
    absolute,
    is_absolute,
    language_prefix,
    page_base,
)
from moldir.incremental import reuse
from moldir.model import language
from moldir.pipeline.portal import Portal, PublishedDataset
from moldir.site.plugin import PortalGenerator, write_bytes

logger = logging.getLogger(__name__)

# Open Graph wants language_TERRITORY.
OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB", "uz": "uz_UZ", "ky": "ky_KG"}


def gettext_of(settings: dict[str, Any]):
    translations = settings.get("MOLDIR_TRANSLATIONS")
    return translations.gettext if translations is not None else (lambda text: text)


def root_files(
    portal: Portal, settings: dict[str, Any]
) -> Iterator[tuple[str, Callable[[], bytes], str | None]]:
    """Every machine-readable file: (path under the site root, its maker, its key).

    The catalogues read every dataset and are made on every build (key None); a dataset's
    own API document and feed depend on it alone, so they are only made again when it
    changed (``reuse.dataset_key``; the previous build's files are linked otherwise).
    """
    info = CatalogueInfo.from_pelican(settings)
    gettext = gettext_of(settings)
    lang = info.default_lang
    yield "catalog.jsonld", lambda: dcat.catalogue_jsonld(portal, info), None
    yield "data.json", lambda: datajson.catalogue_json(portal, info), None
    yield "api/datasets.json", lambda: api.to_json(api.catalogue_document(portal, info)), None
    yield "feeds/datasets.atom.xml", lambda: feeds.datasets_feed(portal, info, gettext, lang), None
    for published in portal.datasets:
        folder, key = f"datasets/{published.slug}", reuse.dataset_key(published)
        yield f"{folder}/index.json", lambda p=published: dataset_api(info, p), key
        yield f"{folder}/feed.atom.xml", lambda p=published: dataset_feed(info, p, settings), key
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


def dataset_feed(info: CatalogueInfo, published: PublishedDataset, settings: dict) -> bytes:
    return feeds.dataset_feed(info, published, gettext_of(settings), info.default_lang)


class OpenDataGenerator(PortalGenerator):
    """Writes /catalog.jsonld, /data.json, /api/, the dataset feeds and index.json files."""

    def generate_output(self, writer) -> None:
        portal = self.portal
        if portal is None or not self.writes_root_files():
            return
        for path, make, key in root_files(portal, self.settings):
            write_bytes(Path(self.output_path) / path, make, key)
        logger.info("Moldir: catalogues, API and feeds of %d datasets", len(portal.datasets))


class PageMetadata:
    """What templates need for canonical links, Open Graph and schema.org (``opendata``)."""

    def __init__(self, settings: dict[str, Any]):
        self.settings = settings
        self.info = CatalogueInfo.from_pelican(settings)
        self.base = page_base(settings)
        self.lang = settings.get("DEFAULT_LANG", "en")

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
        codes = self.settings.get("MOLDIR_LANGUAGES") or []
        return [OG_LOCALES.get(code, code) for code in codes if code != self.lang]

    def dataset_jsonld(self, published: PublishedDataset) -> Markup:
        return schemaorg.script_json(schemaorg.dataset_jsonld(self.info, published, self.lang))


def get_generators(pelican_object):
    return OpenDataGenerator


def install_template_helpers(generator) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["opendata"] = PageMetadata(generator.settings)
        # What each version of a dataset changed, in the run's language (_history.html).
        translations = language.translations_for(generator.settings)
        env.globals["version_lines"] = lambda version: versions.version_lines(
            version, translations.gettext, translations.ngettext
        )
        env.globals["version_title"] = lambda version: versions.version_title(
            version, translations.gettext
        )


def absolutize_article_feed(context: dict[str, Any], feed=None, **_: Any) -> None:
    """``feed_generated`` receiver: absolute links in Pelican's feeds of a relative build."""
    if feed is None or is_absolute(str(context.get("SITEURL") or "")):
        return
    prefix = language_prefix(context)
    base = page_base(context) or (absolute(LOCAL_SITE_URL, prefix) if prefix else LOCAL_SITE_URL)
    domain = str(context.get("FEED_DOMAIN") or "")
    feed_url = feed.feed.get("feed_url") or ""
    if domain and feed_url.startswith(domain):
        feed.feed["feed_url"] = absolute(base, feed_url[len(domain) :])
    feeds.absolutize_feed(feed, base)
