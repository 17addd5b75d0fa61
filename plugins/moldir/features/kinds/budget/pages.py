"""The budget topic pages: ``/budget/`` and one ``/budget/<administrator>/`` page per
administrator (templates ``budget.html`` and ``budget_administrator.html``).

Imported only when pages are written (``moldir.connect_features``); wired through
Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

from typing import Any

from moldir.features.kinds import page_formatters
from moldir.features.kinds.budget import KIND, budget_sections
from moldir.features.kinds.pages import portal_topics
from moldir.incremental import reuse
from moldir.pipeline import signals
from moldir.pipeline.pages import PageWriter, Site


def write_budget_pages(site: Site) -> None:
    portal = site.portal
    sections = budget_sections(portal)
    related = [p for p in portal.by_topic("budget") if p.dataset.kind != KIND]
    if not (sections or related or "budget" in portal_topics(site.context)):
        return  # not a topic of this portal: no page the navigation would not link to
    formatters = page_formatters(site.context.locale)
    # The budget pages are made from these datasets only: unchanged, they are reused.
    depends_on = reuse.datasets_key([*portal.by_topic("budget"), *portal.by_kind(KIND)])
    site.page(
        "budget/index.html",
        "budget",
        depends_on=depends_on,
        page_name="budget",
        sections=sections,
        related=related,
        **formatters,
    )
    for section in sections:
        for administrator in section.administrators:
            site.page(
                f"budget/{administrator.slug}/index.html",
                "budget_administrator",
                depends_on=depends_on,
                page_name=f"budget/{administrator.slug}",
                section=section,
                administrator=administrator,
                **formatters,
            )


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_budget_pages]


def connect() -> None:
    signals.page_writers.connect(page_writers)
