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
from moldir.incremental import fingerprints, reuse
from moldir.pipeline import labels, signals
from moldir.pipeline.pages import PageWriter, Site

logger = logging.getLogger(__name__)


def write_catalogue_pages(site: Site) -> None:
    portal = site.portal
    lang = site.context.lang
    entries = [catalogue.entry_of(published, lang) for published in portal.datasets]
    values = catalogue.facet_values(portal.datasets)
    total = len(portal.datasets)
    # Every value a page is given is covered by its key (reuse.py), so a page whose
    # datasets, facet counts and place in its view are unchanged is not rendered again: a
    # national catalogue has thousands of pages per language, one dataset is on a few.
    labelled = value_labels(portal, values, lang)
    facets_key = fingerprints.digest("catalogue facets", values, labelled, total)
    shared = {
        "datasets_total": total,
        "facets": values,
        "value_labels": labelled,
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
            depends_on=listing_key(listing, facets_key),
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
            depends_on=facets_key,
            facet=facet,
            page_name=url.rstrip("/"),
            **shared,
        )
    logger.info("Moldir: %d catalogue pages, %d facets (%s)", written, len(values), lang)


def value_labels(
    portal: Any, values: dict[str, list[catalogue.FacetValue]], lang: str
) -> dict[str, dict[str, str]]:
    """Publishers and licences as the page's language names them, by facet and key: the
    translation of the first dataset that has one (``labels``), worked out once per
    language rather than once per page and value."""
    datasets = [published.dataset for published in portal.datasets]
    return {
        "publisher": {
            value.key: labels.publisher_label(datasets, value.key, lang)
            for value in values.get("publisher", [])
        },
        "licence": {
            value.key: labels.licence_label(datasets, value.key, value.label or value.key, lang)
            for value in values.get("licence", [])
        },
    }


def listing_key(listing: catalogue.Listing, facets_key: str) -> str | None:
    """What one catalogue page shows: its place in its view, the facets and, for each of
    its datasets in order, everything the dataset's own pages depend on (None: render)."""
    shown = [entry.published for entry in listing.entries]
    datasets = reuse.datasets_key(shown)
    if datasets is None:
        return None
    where = (listing.url, listing.total, listing.page, listing.pages, listing.sort)
    order = [entry.slug for entry in listing.entries]
    return fingerprints.digest("catalogue page", where, listing.value, order, datasets, facets_key)


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_catalogue_pages]


def connect() -> None:
    signals.page_writers.connect(page_writers)
