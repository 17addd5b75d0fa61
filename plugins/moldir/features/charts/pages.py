"""The chart feature's Pelican generator (imported by ``charts.get_generators``, so that
Pelican is loaded only when pages are written)."""

from __future__ import annotations

from pathlib import Path

from moldir.features.charts import all_charts, write_chart_files
from moldir.incremental import reuse
from moldir.site.plugin import PortalGenerator


class ChartPagesGenerator(PortalGenerator):
    """Chart files (once, at the root), chart pages and their embed variants (per language)."""

    def generate_output(self, writer) -> None:
        portal = self.portal
        if portal is None:
            return
        writes_root = self.writes_root_files()
        for published, chart in all_charts(portal):
            depends_on = reuse.dataset_key(published)
            if writes_root:
                write_chart_files(Path(self.output_path), chart, depends_on)
            # The chart page, and the same figure without the portal's frame for <iframe>s
            # (docs/charts.md).
            for url, template in ((chart.page_url, "chart"), (chart.embed_url, "chart_embed")):
                self.write_page(
                    writer,
                    f"{url}index.html",
                    template,
                    depends_on=depends_on,
                    published=published,
                    dataset=published.dataset,
                    chart=chart,
                    page_name=url.rstrip("/"),
                )
