"""The search feature's page, ``search/index.html`` in every language run (template
``search.html``), and the ``kazakh_folded`` filter of ``search_index``.

Imported only when pages are written (``moldir.connect_features``); wired through
Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

from typing import Any

from moldir.features.search import folded_kazakh_words
from moldir.pipeline import signals
from moldir.pipeline.pages import BuildContext, PageWriter, Site, TemplateHelpers


def write_search_page(site: Site) -> None:
    site.page("search/index.html", "search", page_name="search")


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_search_page]


def template_helpers(_context: BuildContext) -> TemplateHelpers:
    return TemplateHelpers(filters={"kazakh_folded": folded_kazakh_words})


def connect() -> None:
    signals.page_writers.connect(page_writers)
    signals.template_helpers.connect(template_helpers)
