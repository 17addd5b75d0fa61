"""The absolute URLs the open-data feature's files need (its settings are
``MoldirSettings.opendata``, ``MOLDIR_OPENDATA`` in pelicanconf.py).

Catalogues, feeds, sitemaps and canonical links must carry absolute URLs, but a development
build has ``SITEURL = ""`` (relative links). ``site_base`` picks, in order: an absolute
``SITEURL``; ``MOLDIR_OPENDATA["site_url"]``; the address ``moldir serve`` listens on.
Canonical links and ``og:url`` are left out rather than pointed at that local address.
"""

from __future__ import annotations

from typing import Any

from moldir.model.settings import MoldirSettings
from moldir.pipeline.pages import BuildContext

# What ``moldir serve`` serves by default: files built without any absolute URL still work
# when a developer opens them from the local preview.
LOCAL_SITE_URL = "http://127.0.0.1:8000"


def is_absolute(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def language_prefix(settings: dict[str, Any]) -> str:
    """The current language's folder ("" for the default language)."""
    return BuildContext.from_settings(settings).lang_prefix


def published_base(settings: dict[str, Any]) -> str | None:
    """The absolute root of the whole portal (default language), or None if unknown."""
    siteurl = str(settings.get("SITEURL", "") or "").rstrip("/")
    if is_absolute(siteurl):
        prefix = language_prefix(settings)
        if prefix and siteurl.endswith("/" + prefix):
            siteurl = siteurl[: -len(prefix) - 1]
        return siteurl
    site_url = MoldirSettings.from_pelican(settings).opendata.site_url.rstrip("/")
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
