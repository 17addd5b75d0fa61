"""Open data that other systems can harvest (docs/open-data.md, docs/api.md).

- ``/catalog.jsonld`` DCAT-AP 3 (``dcat.py``), ``/data.json`` DCAT-US 1.1 (``datajson.py``),
  schema.org ``Dataset`` JSON-LD on each dataset page (``schemaorg.py``);
- a static JSON API, ``/api/datasets.json`` and ``/datasets/<slug>/index.json`` (``api.py``);
- each dataset's change history from git (``history.py``), Atom feeds of it (``feeds.py``);
- ``/sitemap.xml`` and ``/robots.txt`` (``sitemap.py``); canonical and Open Graph links
  (``pages.py`` + ``components/_meta.html``).

``pages.py`` is connected only when pages are written (``moldir.connect_features``), so
that ``moldir validate`` loads none of the catalogue writers.
"""

from __future__ import annotations

from moldir.features.opendata.history import HISTORY_KEY, add_histories, dataset_dates
from moldir.features.opendata.sitemap import write_sitemap
from moldir.incremental import reuse
from moldir.pipeline import signals


def connect() -> None:
    """Connect the feature's handlers (blinker keeps one connection per handler)."""
    signals.dataset_dates.connect(dataset_dates)
    signals.portal_loaded.connect(add_histories)
    # A dataset's pages show its history, which its folder's fingerprint does not cover;
    # the template globals (pages.py) read settings and their arguments only.
    reuse.key_extras(HISTORY_KEY)
    reuse.reusable_globals("opendata", "version_lines", "version_title")
    signals.site_built.connect(write_sitemap)
