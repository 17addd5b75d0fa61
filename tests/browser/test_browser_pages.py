"""The 404 page from any depth, the icons, dataset pages on paper, and what each page
type weighs on a phone."""

from __future__ import annotations

import gzip

import pytest
from browser_support import PAGE_TYPES, PHONE

pytestmark = pytest.mark.browser


def test_not_found_page_works_at_any_depth(page, base_url):
    response = page.goto(base_url + "/a/deeply/nested/missing/page/")
    assert response.status == 404
    # Styled: the bundled stylesheet loaded although no relative path could reach it.
    assert page.evaluate("getComputedStyle(document.querySelector('.moldir-header')).display") == (
        "block"
    )
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    hrefs = page.evaluate(
        "[...document.querySelectorAll('a[href], link[href], script[src]')]"
        ".map(e => e.getAttribute('href') || e.getAttribute('src'))"
    )
    relative = [
        href for href in hrefs if not href.startswith(("/", "#", "http://", "https://", "mailto:"))
    ]
    assert relative == []
    for path in ("/datasets/", "/theme/css/site.css", "/theme/js/moldir.js"):
        assert page.request.get(base_url + path).status == 200, path


def test_icons_are_served(page, base_url):
    for path, kind in (
        ("/favicon.ico", "image/"),
        ("/theme/favicon.ico", "image/"),
        ("/theme/favicon.svg", "image/svg"),
        ("/theme/apple-touch-icon.png", "image/png"),
    ):
        response = page.request.get(base_url + path)
        assert response.status == 200, path
        assert response.headers["content-type"].startswith(kind), path


def test_every_component_stylesheet_is_in_the_bundle(page, base_url, portal_root):
    bundle = page.request.get(base_url + "/theme/css/site.css").text()
    components = sorted((portal_root / "theme" / "css" / "components").glob("*.css"))
    assert len(components) >= 5
    for path in components:
        assert f"/* components/{path.name} */" in bundle
    page.goto(base_url + "/")
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert any(href.endswith("/theme/css/site.css") for href in sheets)


def test_dataset_page_prints_without_navigation(page, url_of):
    page.goto(url_of("dataset"))
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.moldir-header__bar', '.moldir-header__tools', '.moldir-skip-link']"
        ".map(s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none", "none", "none"]
    region = page.evaluate(
        "getComputedStyle(document.querySelector('.moldir-table-region')).overflowX"
    )
    assert region == "visible"
    download = page.evaluate(
        "getComputedStyle(document.querySelector('main a[download]'), '::after').content"
    )
    assert "datasets/" in download
    assert page.pdf(format="A4")[:4] == b"%PDF"


# What a phone fetches to show a page (HTML, CSS, JS, images, frames, and what scripts load
# at once, such as the search bundle), each body gzipped as a server would send it.
# Downloads are not fetched until the reader asks, so they do not count.
PAGE_WEIGHT_LIMIT = 100 * 1024


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_loads_at_most_100_kb_gzipped_on_a_phone(browser, url_of, page_type):
    context = browser.new_context(viewport=PHONE)
    fetched: dict[str, int] = {}

    def record(response):
        if response.url.startswith(("data:", "blob:")):
            return
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            return
        fetched[response.url] = len(gzip.compress(body, compresslevel=6, mtime=0))

    try:
        page = context.new_page()
        page.on("response", record)
        url = url_of(page_type)
        page.goto(url, wait_until="networkidle")
        origin = url.split("/", 3)[:3]
        foreign = [url for url in fetched if url.split("/", 3)[:3] != origin]
        assert foreign == []
        total = sum(fetched.values())
        heaviest = sorted(fetched.items(), key=lambda item: -item[1])[:5]
        assert total <= PAGE_WEIGHT_LIMIT, (total, heaviest)
        assert len(fetched) >= 3  # the page, its stylesheet and its scripts
    finally:
        context.close()
