"""The search feature's Pelican generator (imported by ``search.get_generators``, so that
``moldir validate`` does not load Pelican)."""

from __future__ import annotations

from moldir.site.plugin import PortalGenerator


class SearchPageGenerator(PortalGenerator):
    """``search/index.html`` of the current language run (template ``search.html``)."""

    def generate_output(self, writer) -> None:
        self.write_page(writer, "search/index.html", "search", page_name="search")
