"""The catalogue's Pelican generator (imported by ``catalogue.get_generators``, so that
``moldir validate`` does not load Pelican): every page of ``catalogue.plan`` and one page
per facet listing its values, in the current language run."""

from __future__ import annotations

import logging

from moldir.features import catalogue
from moldir.features.kinds import KINDS
from moldir.model.language import default_language
from moldir.site.plugin import PortalGenerator

logger = logging.getLogger(__name__)


class CataloguePagesGenerator(PortalGenerator):
    """``/datasets/``, ``/datasets/browse/…`` (templates ``datasets.html`` and
    ``datasets_facet.html``)."""

    def generate_output(self, writer) -> None:
        portal = self.portal
        if portal is None:
            return
        lang = default_language(self.settings)
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
            self.write_page(
                writer,
                f"{listing.url}index.html",
                "datasets",
                listing=listing,
                page_name=listing.url.rstrip("/"),
                **shared,
            )
            written += 1
        for facet in values:
            url = catalogue.facet_url(facet)
            self.write_page(
                writer,
                f"{url}index.html",
                "datasets_facet",
                facet=facet,
                page_name=url.rstrip("/"),
                **shared,
            )
        logger.info("Moldir: %d catalogue pages, %d facets (%s)", written, len(values), lang)
