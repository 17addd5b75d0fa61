"""Light on a phone: every page of both example sites weighs at most 100 KB gzipped
before downloads (its HTML and the same-site CSS, JS, images and frames it loads;
tests/page_weight.py says what counts). The browser test in
tests/browser/test_browser_pages.py measures what Chromium really fetches per page type."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_weight import LIMIT, page_files, page_weight, site_weights

# Page types that must be among the measured pages (a site that stopped building one
# must not pass by having fewer pages), per example site.
MUST_HAVE = {
    "site": [
        "/index.html",
        "/datasets/index.html",
        "/datasets/appeal-statistics-kazakhstan/index.html",
        "/appeals/index.html",
        "/receptions/index.html",
        "/quality/index.html",
        "/search/index.html",
        "/ru/appeals/index.html",
        "/en/appeals/index.html",
    ],
    "site_international": [
        "/budget/index.html",
        "/ru/budget/index.html",
        "/en/budget/index.html",
        "/datasets/budget-canada-programs/index.html",
    ],
}


@pytest.mark.parametrize("fixture", sorted(MUST_HAVE))
def test_every_page_weighs_at_most_100_kb_gzipped(request, fixture):
    root: Path = request.getfixturevalue(fixture)
    weights = site_weights(root)
    missing = [url for url in MUST_HAVE[fixture] if url not in weights]
    assert missing == [], f"pages not built: {missing}"
    assert any("/charts/" in url for url in weights), "no chart page was measured"
    heavy = {url: f"{size / 1024:.1f} KB" for url, size in weights.items() if size > LIMIT}
    assert heavy == {}


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_weight_counts_what_loads_and_leaves_out_downloads_and_lazy_frames(tmp_path):
    css = write(tmp_path / "theme/site.css", "body{background:url('../img/bg.png')}")
    write(tmp_path / "img/bg.png", b"\x89PNG" + bytes(range(256)) * 8)
    write(tmp_path / "theme/app.js", "console.log(1)")
    write(tmp_path / "img/logo.svg", "<svg/>")
    frame = write(
        tmp_path / "frame/index.html",
        '<link rel="stylesheet" href="../theme/site.css"><img src="/img/inner.svg">',
    )
    write(tmp_path / "img/inner.svg", "<svg><g/></svg>")
    write(tmp_path / "lazy/index.html", "<p>later</p>")
    write(tmp_path / "data.csv", "a,b\n" * 10_000)
    page = write(
        tmp_path / "page/index.html",
        '<link rel="stylesheet" href="../theme/site.css"><script src="/theme/app.js"></script>'
        '<img src="../img/logo.svg"><img src="https://elsewhere.example/x.png">'
        '<iframe src="../frame/"></iframe><iframe src="../lazy/" loading="lazy"></iframe>'
        '<a href="../data.csv" download>CSV</a><a href="#top">top</a>',
    )
    files = {
        str(path.relative_to(tmp_path.resolve()))
        for path in page_files(tmp_path.resolve(), page.resolve())
    }
    assert files == {
        "page/index.html",
        "theme/site.css",
        "img/bg.png",
        "theme/app.js",
        "img/logo.svg",
        "frame/index.html",
        "img/inner.svg",
    }
    assert css.is_file()
    weight = page_weight(tmp_path.resolve(), page.resolve())
    assert 0 < weight < 2_000  # the 40 KB CSV download is not counted
    assert frame.is_file()
