"""What a page of the built site weighs on a phone: its HTML and the same-site files it
loads (stylesheets, scripts, images, frames and what their CSS refers to), each gzipped as
a web server sends it. Downloads (links the reader chooses to follow) are not loaded, so
they do not count. Used by tests/test_page_weight.py and runnable on a built folder:

    .venv/bin/python tests/page_weight.py output/
"""

from __future__ import annotations

import gzip
import re
import sys
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

LIMIT = 100 * 1024
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@cache
def gzipped_size(path: Path) -> int:
    """Bytes on the wire with gzip (level 6, nginx's and most CDNs' default)."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def local_file(root: Path, page: Path, reference: str) -> Path | None:
    """The file of the built site a reference from ``page`` names, None when it is another
    site's, a fragment or data URL, or not a file of the site."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    target = (root / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
    target = target.resolve()
    if target.is_dir():
        target = target / "index.html"
    try:
        target.relative_to(root.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def css_references(root: Path, stylesheet: Path) -> set[Path]:
    """Files a stylesheet loads (fonts, background images, imports)."""
    found = set()
    for reference in CSS_URL.findall(stylesheet.read_text(encoding="utf-8", errors="replace")):
        target = local_file(root, stylesheet, reference)
        if target is not None:
            found.add(target)
    return found


def page_files(root: Path, page: Path, seen: set[Path] | None = None) -> set[Path]:
    """The page and every same-site file loading it fetches (frames recursively)."""
    seen = set() if seen is None else seen
    if page in seen:
        return seen
    seen.add(page)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    references: list[str] = []
    for link in soup.find_all("link", href=True):
        rel = {value.lower() for value in link.get("rel", [])}
        if rel & {"stylesheet", "preload", "modulepreload"}:
            references.append(link["href"])
    references += [script["src"] for script in soup.find_all("script", src=True)]
    references += [image["src"] for image in soup.find_all(["img", "source"], src=True)]
    # Frames load with the page unless they wait for the reader (loading="lazy").
    frames = [
        frame["src"]
        for frame in soup.find_all("iframe", src=True)
        if frame.get("loading") != "lazy"
    ]
    references += [item["data"] for item in soup.find_all("object", data=True)]
    for reference in references:
        target = local_file(root, page, reference)
        if target is None or target in seen:
            continue
        seen.add(target)
        if target.suffix == ".css":
            seen |= css_references(root, target)
    for reference in frames:
        target = local_file(root, page, reference)
        if target is not None and target.suffix == ".html":
            page_files(root, target, seen)
    return seen


def page_weight(root: Path, page: Path) -> int:
    """Gzipped bytes of the page and what it loads."""
    return sum(gzipped_size(path) for path in page_files(root, page))


def site_weights(root: Path) -> dict[str, int]:
    """Every HTML page of a built site → its weight, heaviest first."""
    root = root.resolve()
    weights = {
        "/" + str(page.relative_to(root)): page_weight(root, page)
        for page in sorted(root.rglob("*.html"))
    }
    return dict(sorted(weights.items(), key=lambda item: -item[1]))


if __name__ == "__main__":  # pragma: no cover - a tool for people
    weights = site_weights(Path(sys.argv[1] if len(sys.argv) > 1 else "output"))
    for url, size in weights.items():
        print(f"{size / 1024:8.1f} KB  {url}")
    over = [url for url, size in weights.items() if size > LIMIT]
    print(f"{len(weights)} pages, {len(over)} over {LIMIT // 1024} KB")
