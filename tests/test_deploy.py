"""Deployability: every internal link and asset resolves, at the root and under a sub-path."""

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from moldir.site.build import build_site

ROOT = Path(__file__).resolve().parents[1]
SUBPATH_SITEURL = "https://example.org/portal"
LINK_ATTRIBUTES = (
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("form", "action"),
    ("source", "src"),
)


def internal_links(html_file: Path):
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    for tag, attribute in LINK_ATTRIBUTES:
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if value and not value.startswith(("mailto:", "tel:", "#", "data:", "javascript:")):
                yield value


def resolve(output: Path, page_url: str, link: str, siteurl: str) -> Path | None:
    """The output file a link points at, or None when it leaves the site."""
    absolute = urljoin(page_url, link)
    if not absolute.startswith(siteurl + "/") and absolute != siteurl:
        return None
    path = unquote(urlsplit(absolute).path)[len(urlsplit(siteurl).path) :].lstrip("/")
    target = output / path
    if target.is_dir() or path == "" or path.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(output: Path, siteurl: str) -> list[str]:
    broken = []
    for html_file in sorted(output.rglob("*.html")):
        relative = html_file.relative_to(output).as_posix()
        if relative.startswith("pagefind/"):
            continue
        page_url = f"{siteurl}/{relative}"
        # The not-found page is served for a missing URL at any depth, so in development it
        # links root-relatively on purpose (docs/accessibility.md); its targets must exist.
        not_found = html_file.name == "404.html"
        for link in internal_links(html_file):
            if link.startswith("/") and not link.startswith("//") and not_found:
                if not (output / link.lstrip("/").split("#")[0]).exists():
                    broken.append(f"{relative}: {link}")
                continue
            if link.startswith("/") and not link.startswith("//"):
                broken.append(f"{relative}: {link} is root-absolute (breaks under a sub-path)")
                continue
            target = resolve(output, page_url, link, siteurl)
            if target is not None and not target.exists():
                broken.append(f"{relative}: {link}")
    return broken


def test_every_internal_link_resolves_in_the_development_build(site):
    # Development builds use relative URLs: they work from any folder or sub-path.
    assert broken_links(site, "https://any.host/any/sub/path") == []


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("subpath") / "output"
    build_site(
        ROOT / "publishconf.py",
        output,
        overrides={"SITEURL": SUBPATH_SITEURL, "FEED_DOMAIN": SUBPATH_SITEURL},
    )
    return output


def test_every_internal_link_resolves_under_a_subpath(subpath_site):
    assert broken_links(subpath_site, SUBPATH_SITEURL) == []
    home = (subpath_site / "index.html").read_text(encoding="utf-8")
    assert f"{SUBPATH_SITEURL}/datasets/" in home


def test_headers_file_is_at_the_site_root(site):
    headers = (site / "_headers").read_text()
    assert "Content-Security-Policy" in headers and "text/calendar" in headers
