"""Search: a static Pagefind index of the whole built portal, and the /search/ page.

Three handlers, connected by :func:`connect` (``"moldir.search"`` in ``FEATURES``):

- ``portal_loaded`` → :func:`add_search_terms`: the distinct names found in each
  dataset's text columns (bodies, regions, survey groups), so that searching for a body
  finds every dataset with rows about it, not only those whose preview shows it, and the
  years the dataset covers (the "year" filter).
- ``get_generators`` → ``search_page.SearchPageGenerator``: ``search/index.html`` in every
  language run (template ``search.html``).
- ``site_built`` → :func:`index_built_site`: Pagefind indexes the staging folder once,
  after every language was built and before the swap, into ``<site>/pagefind/``.
  Pagefind writes one index per ``<html lang>``, so each language searches its own pages.

What is indexed is decided in the templates (``data-pagefind-body`` on the pages worth
finding; filters, metadata and sort keys in ``components/_search_box.html``); see
docs/search.md.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache, signals
from .portal import Portal, PublishedDataset

logger = logging.getLogger(__name__)

# Folder of the search bundle inside the site (Pagefind's default; the page links to it).
BUNDLE_DIR = "pagefind"
# Key of the search feature's results in ``PublishedDataset.extras``.
SEARCH_EXTRAS = "search"
# A coverage longer than this lists its first years only (one filter value per year).
MAX_YEARS = 50
# Text columns with more distinct values than this hold free text or identifiers, not
# names people search for.
MAX_DISTINCT_PER_FIELD = 300
# Longer cells are sentences (notes, comments), which the preview already shows.
MAX_TERM_LENGTH = 120
# A cap per dataset keeps each page's share of the index small on large portals.
MAX_TERMS_PER_DATASET = 1000


class SearchIndexError(RuntimeError):
    """Pagefind failed or indexed nothing: the build stops and output/ is left as it was."""


@dataclass(frozen=True)
class IndexSummary:
    """What Pagefind wrote: the bundle folder and the pages indexed per language."""

    bundle: Path
    pages: dict[str, int]

    @property
    def total_pages(self) -> int:
        return sum(self.pages.values())


# --- search terms of datasets -------------------------------------------------------


def search_terms(published: PublishedDataset) -> list[str]:
    """Distinct short values of the dataset's text columns, in order of appearance."""
    terms: dict[str, None] = {}
    for resource in published.dataset.resources:
        table = published.tables.get(resource.name)
        if table is None:
            continue
        for field in resource.fields:
            if field.type != "string" or field.name not in table.columns:
                continue
            values = table[field.name].dropna().astype(str).str.strip()
            distinct = [v for v in dict.fromkeys(values) if v and len(v) <= MAX_TERM_LENGTH]
            if len(distinct) > MAX_DISTINCT_PER_FIELD:
                continue
            for value in distinct:
                terms.setdefault(value, None)
                if len(terms) >= MAX_TERMS_PER_DATASET:
                    return list(terms)
    return list(terms)


def coverage_years(temporal: dict[str, Any]) -> list[int]:
    """Every year of a dataset's ``temporal`` coverage (the "year" filter), oldest first."""
    start = str(temporal.get("start") or "")[:4]
    end = str(temporal.get("end") or start)[:4]
    if not (start.isdigit() and end.isdigit()) or int(end) < int(start):
        return []
    return list(range(int(start), min(int(end), int(start) + MAX_YEARS - 1) + 1))


def add_search_terms(portal: Portal) -> None:
    """``portal_loaded`` receiver: ``extras["search"]`` of every dataset: the ``terms``
    to index and the ``years`` it covers (see ``search_index`` in _search_box.html)."""
    for published in cache.progress("search terms", portal.datasets):
        # Reading every text column is slow on big tables: cached with the dataset.
        terms = cache.per_dataset(
            published.dataset, "search terms", lambda p=published: search_terms(p)
        )
        published.extras[SEARCH_EXTRAS] = {
            "terms": terms,
            "years": coverage_years(published.temporal),
        }


# --- Kazakh typed without Kazakh letters -------------------------------------------

# People often type Kazakh on a Russian keyboard, with the nearest Cyrillic letter. Pagefind
# folds diacritics, but the Kazakh letters have no Unicode decomposition: "кала" would not
# find "қала". Pages therefore also index the folded spelling of their Kazakh words.
KAZAKH_FOLDING = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_WORD = re.compile(r"\w+")


def folded_kazakh_words(text: str) -> str:
    """The distinct words of ``text`` that contain Kazakh letters, spelled without them
    ("Әкімдіктердегі қабылдау" → "акимдиктердеги кабылдау"); "" when there are none."""
    words: dict[str, None] = {}
    for word in _WORD.findall(str(text or "")):
        folded = word.translate(KAZAKH_FOLDING)
        if folded != word:
            words.setdefault(folded.lower(), None)
    return " ".join(words)


def install_search_filters(generator) -> None:
    """``generator_init``: the ``kazakh_folded`` filter for ``search_index``."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters["kazakh_folded"] = folded_kazakh_words


# --- the search page ----------------------------------------------------------------


def get_generators(pelican_object) -> type:
    # In its own module so that Pelican (the base class) is imported only for a build.
    from .search_page import SearchPageGenerator

    return SearchPageGenerator


# --- the index ----------------------------------------------------------------------


def pagefind_binary() -> Path:
    """The Pagefind executable of the ``pagefind[bin]`` package (or ``PAGEFIND_BINARY_PATH``)."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise SearchIndexError(
            "the Pagefind binary is missing: install the project's dependencies "
            "(pagefind[bin]) or set PAGEFIND_BINARY_PATH"
        )
    return Path(binary)


def build_index(site: Path, bundle_dir: str = BUNDLE_DIR) -> IndexSummary:
    """Index every HTML page of ``site`` with Pagefind into ``site/<bundle_dir>/``.

    Runs the Pagefind binary bundled with the ``pagefind[bin]`` package (nothing is
    downloaded) as a process rather than through its Python service API: the process
    exits only once every file is written, whereas the service could answer before
    ``pagefind-entry.json`` was complete on a busy machine. Raises
    :class:`SearchIndexError` when Pagefind fails or finds no page.
    """
    site = Path(site).resolve()
    bundle = site / bundle_dir
    command = [str(pagefind_binary()), "--site", str(site), "--output-subdir", bundle_dir]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(f"Pagefind could not run: {error}") from error
    logger.debug("Pagefind: %s", done.stdout)
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind could not index {site} (exit {done.returncode}): "
            f"{(done.stderr or done.stdout).strip()[-2000:]}"
        )
    summary = read_summary(bundle)
    if summary.total_pages == 0:
        raise SearchIndexError(
            f"Pagefind indexed no page of {site}: no template marks its content with "
            "data-pagefind-body"
        )
    return summary


def read_summary(bundle: Path) -> IndexSummary:
    """Pages per language, from the bundle's ``pagefind-entry.json``."""
    entry = bundle / "pagefind-entry.json"
    if not entry.is_file():
        raise SearchIndexError(f"Pagefind wrote no {entry}")
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    return IndexSummary(
        bundle=bundle,
        pages={lang: int(info.get("page_count", 0)) for lang, info in languages.items()},
    )


def index_built_site(staging: Path, settings: dict[str, Any] | None = None, **_: Any) -> None:
    """``site_built`` receiver: index the whole staging folder (every language)."""
    summary = build_index(Path(staging))
    logger.info(
        "Moldir search: %d pages indexed (%s)",
        summary.total_pages,
        ", ".join(f"{lang}: {count}" for lang, count in sorted(summary.pages.items())),
    )


def connect() -> None:
    """Connect the search feature (idempotent: blinker keeps one connection per receiver)."""
    signals.portal_loaded.connect(add_search_terms)
    signals.site_built.connect(index_built_site)


def connect_pelican() -> None:
    """Connect the search page and the template filters to Pelican's signals."""
    from pelican import signals as pelican_signals

    pelican_signals.get_generators.connect(get_generators)
    pelican_signals.generator_init.connect(install_search_filters)
