"""The appeals topic page, ``/appeals/``: every appeal-statistics dataset, with totals,
changes and ratios, and every appeal-responses dataset, with topics, outcomes and response
times per body (template ``appeals.html``).

Imported only when pages are written (``moldir.connect_features``); wired through
Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

from typing import Any

from moldir.features.kinds import page_formatters
from moldir.features.kinds.appeals import KIND, appeal_sections
from moldir.features.kinds.appeals.responses import KIND as RESPONSES
from moldir.features.kinds.appeals.responses import response_sections
from moldir.features.kinds.pages import portal_topics
from moldir.features.kinds.topics import topic_label
from moldir.incremental import reuse
from moldir.pipeline import signals
from moldir.pipeline.pages import PageWriter, Site


def write_appeals_page(site: Site) -> None:
    portal = site.portal
    sections = appeal_sections(portal)
    responses = response_sections(portal)
    # Datasets on appeals in other shapes (wide tables) are listed, not summed.
    related = [p for p in portal.by_topic("appeals") if p.dataset.kind not in (KIND, RESPONSES)]
    if not (sections or responses or related or "appeals" in portal_topics(site.context)):
        return  # not a topic of this portal: no page the navigation would not link to
    site.page(
        "appeals/index.html",
        "appeals",
        depends_on=reuse.datasets_key(
            [*portal.by_topic("appeals"), *portal.by_kind(KIND), *portal.by_kind(RESPONSES)]
        ),
        page_name="appeals",
        sections=sections,
        responses=responses,
        asked_about=lambda code: topic_label(code, site.context.lang),
        related=related,
        **page_formatters(site.context.locale),
    )


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_appeals_page]


def connect() -> None:
    signals.page_writers.connect(page_writers)
