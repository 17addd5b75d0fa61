"""The catalogue, /datasets/: facets with counts, sorts and pages, all static
(docs/catalogue.md).

Every view of the catalogue is a page of its own, so that facets, sorting and paging work
without JavaScript and on any static host:

- ``/datasets/`` — every dataset, the latest update first, first page;
- ``/datasets/browse/all/<sort>/[<n>/]`` — every dataset by ``updated``, ``title`` or
  ``size`` (rows), page ``n``;
- ``/datasets/browse/<facet>/<value>/updated/[<n>/]`` — the datasets with one facet value
  (topic, publisher, kind, format, licence, update frequency, language of the data, a
  year covered), the latest update first;
- ``/datasets/browse/<facet>/`` — every value of a facet with its count (a facet's list on
  the catalogue shows its most frequent values only).

Filtered lists are sorted by the latest update only: three sorts of every facet value
would triple the pages of a large portal for little use. The dataset folder name
``browse`` is reserved (``reserved-name`` validation error).

Pure functions of the portal and the run's language; ``pages.py`` writes them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moldir.features.search import coverage_years
from moldir.model.errors import ReservedName
from moldir.model.language import Localized, localize
from moldir.model.safety import safe_name
from moldir.pipeline import signals

if TYPE_CHECKING:
    from moldir.pipeline.portal import PublishedDataset

FACETS = ("topic", "publisher", "kind", "format", "licence", "frequency", "language", "year")
SORTS = ("updated", "title", "size")
DEFAULT_SORT = "updated"
PAGE_SIZE = 20
# Values of a facet listed on the catalogue itself; the rest are on the facet's own page.
FACET_VALUES_SHOWN = 8
# The folder of every catalogue view but the first: no dataset may be called so.
BROWSE = "browse"
# A one-line summary stops at the first sentence, or near this many characters.
SUMMARY_LENGTH = 180


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: its key (the descriptor's code or name), a URL slug, the
    words to show (codes are translated by the template) and how many datasets have it."""

    facet: str
    key: str
    slug: str
    label: str
    count: int


@dataclass(frozen=True)
class Entry:
    """A dataset as the catalogue lists it."""

    published: Any
    slug: str
    title: Localized
    summary: Localized
    updated: str
    rows: int
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    """One page of one view: which view (facet value or all, sort) and which entries."""

    url: str
    entries: tuple[Entry, ...]
    total: int
    page: int
    pages: int
    sort: str
    value: FacetValue | None = None

    @property
    def first(self) -> int:
        """The position of the first entry shown (1-based; 0 when there is none)."""
        return (self.page - 1) * PAGE_SIZE + 1 if self.entries else 0

    @property
    def last(self) -> int:
        return self.first + len(self.entries) - 1 if self.entries else 0


# --- what the catalogue knows of a dataset -----------------------------------------------


def one_line(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The first sentence of ``text`` (or its first ``length`` characters, cut at a word,
    with an ellipsis), on one line."""
    text = " ".join(str(text or "").split())
    match = re.search(r"(?<=[.!?])\s", text)
    sentence = text[: match.start()] if match else text
    if len(sentence) <= length:
        return sentence
    cut = sentence[:length].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def licence_label(entry: dict[str, Any]) -> tuple[str, str]:
    """(key, label) of a licence entry."""
    name = str(entry.get("name") or entry.get("path") or entry.get("title") or "")
    return name, str(entry.get("title") or name)


def facet_values_of(published: PublishedDataset) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every facet's (key, label) pairs of one dataset (several for formats, licences
    and years; none where the dataset does not say)."""
    dataset = published.dataset
    pairs: dict[str, list[tuple[str, str]]] = {name: [] for name in FACETS}
    pairs["topic"].append((dataset.topic, dataset.topic))
    name = str(dataset.publisher.get("name") or "").strip()
    if name:
        pairs["publisher"].append((name, name))
    if dataset.kind:
        pairs["kind"].append((dataset.kind, dataset.kind))
    pairs["format"] += [(fmt, fmt) for fmt in published.formats]
    pairs["licence"] += [licence_label(e) for e in dataset.licenses if isinstance(e, dict)]
    frequency = dataset.get("frequency")
    if isinstance(frequency, str) and frequency:
        pairs["frequency"].append((frequency, frequency))
    language = dataset.get("language")
    if isinstance(language, str) and language:
        pairs["language"].append((language, language))
    pairs["year"] += [(str(year), str(year)) for year in coverage_years(published.temporal)]
    return {facet: tuple(dict.fromkeys(found)) for facet, found in pairs.items() if found and facet}


def entry_of(published: PublishedDataset, lang: str) -> Entry:
    dataset = published.dataset
    values = facet_values_of(published)
    updated = str(published.extras.get("last_updated") or dataset.get("created") or "")[:10]
    description = localize(dataset, "description", lang)
    return Entry(
        published=published,
        slug=published.slug,
        title=localize(dataset, "title", lang),
        summary=Localized(one_line(description), description.lang, description.fallback),
        updated=updated,
        rows=published.total_rows,
        values={facet: tuple(key for key, _ in pairs) for facet, pairs in values.items()},
    )


# --- facets, sorts and pages -------------------------------------------------------------


def value_slug(key: str) -> str:
    """A URL slug of a facet value (ASCII, from any script)."""
    from unidecode import unidecode

    slug = re.sub(r"[^a-z0-9]+", "-", unidecode(key).lower()).strip("-")[:80].strip("-")
    return slug if safe_name(slug) else ""


def facet_values(published: list[PublishedDataset]) -> dict[str, list[FacetValue]]:
    """Every facet's values with their counts, the most frequent first (then by label;
    years newest first), each with a slug unique within its facet."""
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    labels: dict[tuple[str, str], str] = {}
    for item in published:
        for facet, pairs in facet_values_of(item).items():
            for key, label in pairs:
                counts[facet][key] = counts[facet].get(key, 0) + 1
                labels.setdefault((facet, key), label)
    found: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        taken: set[str] = set()
        values = []
        for key in sorted(counts[facet]):  # slugs assigned in a stable order
            base = value_slug(key) or "value"
            slug, suffix = base, 2
            while slug in taken:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(slug)
            values.append(FacetValue(facet, key, slug, labels[(facet, key)], counts[facet][key]))
        if facet == "year":
            values.sort(key=lambda v: v.key, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.casefold(), v.key))
        if values:
            found[facet] = values
    return found


def sort_entries(entries: list[Entry], sort: str) -> list[Entry]:
    """``updated``: the latest first; ``title``: alphabetical in the page's language;
    ``size``: the most rows first. Ties by title, then slug."""
    by_title = sorted(entries, key=lambda e: (e.title.casefold(), e.slug))
    if sort == "title":
        return by_title
    if sort == "size":
        return sorted(by_title, key=lambda e: -e.rows)
    if sort == "updated":
        return sorted(by_title, key=lambda e: e.updated, reverse=True)
    raise ValueError(f"unknown sort {sort!r}")


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(total / page_size))


def listing_url(value: FacetValue | None = None, sort: str = DEFAULT_SORT, page: int = 1) -> str:
    """The site path of a view's page ("datasets/", "datasets/browse/topic/appeals/updated/2/")."""
    if value is None and sort == DEFAULT_SORT and page == 1:
        return "datasets/"
    where = f"{value.facet}/{value.slug}" if value is not None else "all"
    return f"datasets/{BROWSE}/{where}/{sort}/" + (f"{page}/" if page > 1 else "")


def facet_url(facet: str) -> str:
    """The site path of the page listing every value of ``facet``."""
    return f"datasets/{BROWSE}/{facet}/"


def listings(
    entries: list[Entry], value: FacetValue | None, sort: str, page_size: int = PAGE_SIZE
) -> Iterator[Listing]:
    """Every page of one view."""
    chosen = [e for e in entries if value is None or value.key in e.values.get(value.facet, ())]
    ordered = sort_entries(chosen, sort)
    pages = page_count(len(ordered), page_size)
    for page in range(1, pages + 1):
        shown = ordered[(page - 1) * page_size : page * page_size]
        yield Listing(
            url=listing_url(value, sort, page),
            entries=tuple(shown),
            total=len(ordered),
            page=page,
            pages=pages,
            sort=sort,
            value=value,
        )


def plan(
    entries: list[Entry], values: dict[str, list[FacetValue]], page_size: int = PAGE_SIZE
) -> Iterator[Listing]:
    """Every catalogue page: the whole catalogue in each sort, then each facet value's
    datasets, the latest update first."""
    for sort in SORTS:
        yield from listings(entries, None, sort, page_size)
    for facet in FACETS:
        for value in values.get(facet, ()):
            yield from listings(entries, value, DEFAULT_SORT, page_size)


def page_links(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and ``around`` on each side of the
    current page; None where numbers are left out (an ellipsis)."""
    wanted = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    links: list[int | None] = []
    for number in sorted(wanted):
        if links and links[-1] is not None and number - links[-1] > 1:
            links.append(None)
        links.append(number)
    return links


# --- the reserved folder name ------------------------------------------------------------


def reserved_name_checks(settings: Any) -> list:
    """``validation_checks`` receiver: a dataset folder may not be called ``browse``
    (its page would be the catalogue's views)."""
    from moldir.pipeline.validate import descriptor_only

    def check(dataset):
        if dataset.slug.lower() == BROWSE:
            yield ReservedName.error(dataset.slug, file=dataset.shown_path, name=BROWSE)

    return [descriptor_only(check)]


def connect() -> None:
    signals.validation_checks.connect(reserved_name_checks)
