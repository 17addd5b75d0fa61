"""The data requests page ``/data-requests/`` (template ``data_requests.html``): every
request with its status and answer, newest first, counted by status; each request has a
stable address (``/data-requests/#request-<id>``).

Imported only when pages are written (``moldir.connect_features``).
"""

from __future__ import annotations

from typing import Any

from babel.dates import format_date

from moldir.features.kinds import kind_resources
from moldir.features.kinds.data_requests import (
    KIND,
    STATUSES,
    median_days,
    portal_requests,
    summary,
)
from moldir.features.kinds.topics import topic_label
from moldir.incremental import reuse
from moldir.incremental.fingerprints import digest
from moldir.model.safety import safe_url
from moldir.pipeline import signals
from moldir.pipeline.labels import value_label
from moldir.pipeline.pages import PageWriter, Site


def write_data_request_pages(site: Site) -> None:
    """/data-requests/ when the portal has a data-requests dataset."""
    portal = site.portal
    requests = portal_requests(portal)
    datasets = portal.by_kind(KIND)
    if not datasets:
        return
    lang = site.context.lang
    locale = site.context.locale
    slugs = frozenset(published.slug for published in portal.datasets)
    first = datasets[0].dataset
    resource = next(iter(kind_resources(first)), None)

    def status_word(status: str) -> str:
        # The status labels of the kind's schema (or the dataset's own) in the language.
        return str(value_label(first, resource.name if resource else "", "status", status, lang))

    site.page(
        "data-requests/index.html",
        "data_requests",
        # Made from the data-requests datasets and the slugs of the portal (the links to
        # the datasets that answer requests).
        depends_on=page_key(datasets, slugs),
        page_name="data-requests",
        requests=requests,
        counts=summary(requests),
        statuses=STATUSES,
        median_days=median_days(requests),
        datasets=datasets,
        request_date=lambda day: format_date(day, "long", locale=locale),
        request_topic=lambda code: topic_label(code, lang),
        request_link=safe_url,
        # A request answered by a dataset of this portal links to its page.
        portal_slugs=slugs,
        status_word=status_word,
    )


def page_key(datasets: list[Any], slugs: frozenset[str]) -> str | None:
    """The reuse key of /data-requests/: its datasets' keys and the portal's slugs."""
    key = reuse.datasets_key(datasets)
    return None if key is None else digest(key, sorted(slugs))


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_data_request_pages]


def connect() -> None:
    signals.page_writers.connect(page_writers)
