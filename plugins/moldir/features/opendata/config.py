"""Settings of the open-data feature and the absolute URLs its files need.

Catalogues, feeds, sitemaps and canonical links must carry absolute URLs, but a development
build has ``SITEURL = ""`` (relative links). ``site_base`` picks, in order: an absolute
``SITEURL``; ``MOLDIR_OPENDATA["site_url"]``; the address ``moldir serve`` listens on.
Canonical links and ``og:url`` are left out rather than pointed at that local address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moldir.model.settings import parse_settings

# What ``moldir serve`` serves by default: files built without any absolute URL still work
# when a developer opens them from the local preview.
LOCAL_SITE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class OpenDataSettings:
    """``MOLDIR_OPENDATA`` in pelicanconf.py (documented in docs/open-data.md)."""

    # Where the portal is published, for absolute URLs when SITEURL is relative.
    site_url: str = ""
    # ISO 3166-1 alpha-3 code and name of the country the data covers (DCAT dct:spatial,
    # schema.org spatialCoverage); empty to leave spatial coverage out.
    spatial: str = ""
    spatial_name: str = ""
    # Kind of body that publishes the catalogue, a term of the ADMS publisher-type
    # vocabulary (e.g. "NationalAuthority", "LocalAuthority").
    publisher_type: str = ""
    # Description of the whole catalogue (DCAT dct:description, data.json).
    description: str = "Open data of the government, validated against its table schemas."
    # Changes listed on a dataset page and in its feed.
    history_limit: int = 10
    # Entries in /feeds/datasets.atom.xml.
    feed_limit: int = 50

    @classmethod
    def from_pelican(cls, settings: dict[str, Any]) -> OpenDataSettings:
        return parse_settings(cls, settings, "MOLDIR_OPENDATA")


def is_absolute(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def language_prefix(settings: dict[str, Any]) -> str:
    """The current language's folder ("" for the default language)."""
    return str(settings.get("MOLDIR_LANG_PREFIX", "") or "").strip("/")


def published_base(settings: dict[str, Any]) -> str | None:
    """The absolute root of the whole portal (default language), or None if unknown."""
    siteurl = str(settings.get("SITEURL", "") or "").rstrip("/")
    if is_absolute(siteurl):
        prefix = language_prefix(settings)
        if prefix and siteurl.endswith("/" + prefix):
            siteurl = siteurl[: -len(prefix) - 1]
        return siteurl
    site_url = OpenDataSettings.from_pelican(settings).site_url.rstrip("/")
    return site_url or None


def site_base(settings: dict[str, Any]) -> str:
    """The absolute root of the portal for machine-readable files (never empty)."""
    return published_base(settings) or LOCAL_SITE_URL


def page_base(settings: dict[str, Any]) -> str | None:
    """The absolute root of the current language's pages, or None if unknown."""
    base = published_base(settings)
    if base is None:
        return None
    prefix = language_prefix(settings)
    return f"{base}/{prefix}" if prefix else base


def absolute(base: str, path: str) -> str:
    return f"{base.rstrip('/')}/{path.lstrip('/')}"
