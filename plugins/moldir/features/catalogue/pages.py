"""The catalogue's pages, in every language run: every page of ``catalogue.plan``
(``/datasets/``, ``/datasets/browse/…``, template ``datasets.html``) and one page per
facet listing its values (``datasets_facet.html``).

Imported only when pages are written (``moldir.connect_features``); wired through
Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

import logging
from typing import Any

from moldir.features import catalogue
from moldir.features.kinds import KINDS
from moldir.pipeline import signals
from moldir.pipeline.pages import PageWriter, Site

logger = logging.getLogger(__name__)


def write_catalogue_pages(site: Site) -> None:
    portal = site.portal
    lang = site.context.lang
    entries = [catalogue.entry_of(published, lang) for published in portal.datasets]
    values = catalogue.facet_values(portal.datasets)
    shared = {
        "portal": portal,
        "facets": values,
        "facet_names": catalogue.FACETS,
        "sorts": catalogue.SORTS,
        "shown_values": catalogue.FACET_VALUES_SHOWN,
        "kind_names": KINDS,
        "listing_url": catalogue.listing_url,
        "facet_url": catalogue.facet_url,
        "page_links": catalogue.page_links,
    }
    written = 0
    for listing in catalogue.plan(entries, values):
        site.page(
            f"{listing.url}index.html",
            "datasets",
            listing=listing,
            page_name=listing.url.rstrip("/"),
            **shared,
        )
        written += 1
    for facet in values:
        url = catalogue.facet_url(facet)
        site.page(
            f"{url}index.html",
            "datasets_facet",
            facet=facet,
            page_name=url.rstrip("/"),
            **shared,
        )
    logger.info("Moldir: %d catalogue pages, %d facets (%s)", written, len(values), lang)


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_catalogue_pages]


def connect() -> None:
    signals.page_writers.connect(page_writers)
