"""``/sitemap.xml`` and ``/robots.txt``, written over the finished staging folder.

Every HTML page of every language is listed once, with ``xhtml:link`` hreflang alternates
(and ``x-default``, the default language) when the same page exists in several languages.
Dataset pages carry ``lastmod`` from their change history.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from moldir.features.opendata.config import absolute, site_base
from moldir.features.opendata.history import HISTORY_KEY, isoformat
from moldir.pipeline.pages import BuildContext

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# Pages that are not content: the error page, and anything a page asks robots to skip.
EXCLUDED = {"404.html"}
NOINDEX = re.compile(r"<meta[^>]+name=[\"']robots[\"'][^>]+noindex", re.IGNORECASE)
SKIPPED_FOLDERS = {"theme", "pagefind", "static"}


def html_pages(root: Path) -> list[str]:
    """Paths of the indexable HTML pages under ``root``, as URL paths ("datasets/x/")."""
    pages = []
    for path in sorted(root.rglob("*.html")):
        relative = path.relative_to(root)
        if relative.parts[0] in SKIPPED_FOLDERS or relative.as_posix() in EXCLUDED:
            continue
        if relative.name in EXCLUDED:
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        if NOINDEX.search(head):
            continue
        url = relative.as_posix()
        pages.append(url.removesuffix("index.html"))
    return pages


def split_language(path: str, languages: list[str]) -> tuple[str, str]:
    """(language, path inside its language site) of a page path."""
    first, _, rest = path.partition("/")
    if first in languages[1:]:
        return first, rest
    return languages[0], path


def sitemap_xml(
    pages: list[str], base: str, languages: list[str], lastmod: dict[str, str] | None = None
) -> bytes:
    """The sitemap of ``pages`` (URL paths under ``base``), alternates grouped by language."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    groups: dict[str, dict[str, str]] = defaultdict(dict)
    for path in pages:
        lang, inner = split_language(path, languages)
        groups[inner][lang] = path
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for path in pages:
        lang, inner = split_language(path, languages)
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(base, path)
        if lastmod and inner in lastmod:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod[inner]
        versions = groups[inner]
        if len(versions) > 1:
            for code in languages:
                if code in versions:
                    ET.SubElement(
                        url,
                        f"{{{XHTML_NS}}}link",
                        rel="alternate",
                        hreflang=code,
                        href=absolute(base, versions[code]),
                    )
            if languages[0] in versions:
                ET.SubElement(
                    url,
                    f"{{{XHTML_NS}}}link",
                    rel="alternate",
                    hreflang="x-default",
                    href=absolute(base, versions[languages[0]]),
                )
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def robots_txt(base: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base, 'sitemap.xml')}\n".encode()


def dataset_lastmod(settings: dict[str, Any]) -> dict[str, str]:
    portal = BuildContext.from_settings(settings).portal
    found = {}
    for published in getattr(portal, "datasets", []) or []:
        history = published.extras.get(HISTORY_KEY)
        if history and history.last_changed:
            found[published.url] = isoformat(history.last_changed)
    return found


def write_sitemap(staging: Path, settings: dict[str, Any] | None = None, **_: Any) -> None:
    """``site_built`` receiver: sitemap.xml and robots.txt at the root of the staging folder.

    A robots.txt the site already has (e.g. from ``content/extra``) is kept.
    """
    settings = settings or {}
    base = site_base(settings)
    languages = list(BuildContext.from_settings(settings).languages)
    pages = html_pages(staging)
    (staging / "sitemap.xml").write_bytes(
        sitemap_xml(pages, base, languages, dataset_lastmod(settings))
    )
    robots = staging / "robots.txt"
    if not robots.exists():
        robots.write_bytes(robots_txt(base))
