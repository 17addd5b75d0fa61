"""The chart feature's pages: the chart files (once, at the site root), each chart's page
and its embed variant (in every language), and the charts' template globals.

Imported only when pages are written (``moldir.connect_features``), so that ``moldir
validate`` loads no Altair; wired through Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

from typing import Any

from moldir.features.charts import (
    all_charts,
    chart_alternative,
    chart_alternative_lang,
    chart_svg,
    chart_table,
    highlights,
    write_chart_files,
)
from moldir.incremental import reuse
from moldir.pipeline import signals
from moldir.pipeline.pages import BuildContext, PageWriter, Site, TemplateHelpers


def write_chart_pages(site: Site) -> None:
    """Chart files (once, at the root), chart pages and their embed variants (per language)."""
    for published, chart in all_charts(site.portal):
        depends_on = reuse.dataset_key(published)
        if site.writes_root_files:
            write_chart_files(site, chart, depends_on)
        # The chart page, and the same figure without the portal's frame for <iframe>s
        # (docs/charts.md).
        for url, template in ((chart.page_url, "chart"), (chart.embed_url, "chart_embed")):
            site.page(
                f"{url}index.html",
                template,
                depends_on=depends_on,
                published=published,
                dataset=published.dataset,
                chart=chart,
                page_name=url.rstrip("/"),
            )


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_chart_pages]


def template_helpers(_context: BuildContext) -> TemplateHelpers:
    """The charts as the templates draw them: SVG, text alternative, table, highlights."""
    return TemplateHelpers(
        globals={
            "chart_alternative": chart_alternative,
            "chart_alternative_lang": chart_alternative_lang,
            "chart_svg": chart_svg,
            "chart_table": chart_table,
            "chart_highlights_for": highlights,
        }
    )


def connect() -> None:
    """Connect the chart pages and template globals (blinker keeps one connection each)."""
    signals.page_writers.connect(page_writers)
    signals.template_helpers.connect(template_helpers)
