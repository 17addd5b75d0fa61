"""The Kazakh and Russian sites speak Kazakh and Russian (issue 17, point 3).

On the kk (at /) and ru (at /ru/) versions of the pages a new reader meets first, at most
10 % of the main content's words are in Latin script. Counted: the text of ``<main>``
(including visually hidden text and chart text, which screen readers and eyes meet; not
elements with the ``hidden`` attribute, which nobody sees or hears — the search index's
extra terms), words of three letters or more. Left aside, as the issue asks: identifiers,
URLs and file names — ``<code>``/``<kbd>``/``<samp>``/``<pre>`` elements and the embed
snippet's ``<textarea>``, tokens with ``://``, ``@``, ``www.`` or a file extension, tokens
with ``_`` or inner capitals (``source_row``, ``contactPoint``) and acronyms in capitals
(CSV, JSON, ACSH). A hyphenated code such as ``personal-reception`` is *not* left aside: a
raw code on a page is exactly what a reader cannot read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

LIMIT = 0.10
CHART_DATASET = "appeal-statistics-kazakhstan"
PAGES = (
    "",
    "datasets/",
    "appeals/",
    "quality/",
    f"datasets/{CHART_DATASET}/",
)
LANGUAGES = {"kk": "", "ru": "ru/"}

# Code, and a read-only <textarea> holding an embed snippet (HTML code to copy).
SKIPPED_ELEMENTS = ("code", "kbd", "samp", "pre", "textarea", "script", "style", "template")
URL_OR_FILE = re.compile(
    r"(://|@|^www\.|\.(csv|json|jsonld|xlsx|xls|parquet|zip|svg|png|ics|xml|atom|html?|md|"
    r"yaml|yml|txt|pdf)\b)",
    re.IGNORECASE,
)
IDENTIFIER = re.compile(r"_|[a-z][A-Z]|^[A-Z0-9-]{2,}$")
WORD = re.compile(r"[^\W\d_]{3,}")
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F]+$")


def main_words(html: str) -> list[str]:
    """The words (3+ letters) of a page's ``<main>``, identifiers, URLs and file names aside."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    assert main is not None, "the page has no <main>"
    for element in [*main.find_all(SKIPPED_ELEMENTS), *main.find_all(hidden=True)]:
        element.decompose()
    words: list[str] = []
    for token in main.get_text(" ").split():
        token = token.strip(".,;:!?()[]{}«»\"'“”‘’…—–·|/")
        if not token or URL_OR_FILE.search(token) or IDENTIFIER.search(token):
            continue
        words.extend(WORD.findall(token))
    return words


def latin_share(html: str) -> tuple[float, list[str]]:
    """(share of Latin-script words, those words) of a page's main content."""
    words = main_words(html)
    latin = [word for word in words if LATIN.match(word)]
    return (len(latin) / len(words) if words else 0.0), latin


def chart_pages(site: Path, prefix: str) -> list[str]:
    folder = site / prefix / "datasets" / CHART_DATASET / "charts"
    return sorted(
        f"datasets/{CHART_DATASET}/charts/{page.parent.name}/"
        for page in folder.glob("*/index.html")
    )


def measured_pages(site: Path, prefix: str) -> list[str]:
    charts = chart_pages(site, prefix)
    assert charts, f"no chart page of {CHART_DATASET} in /{prefix}"
    return [*PAGES, *charts]


def test_words_are_counted_as_the_issue_says():
    html = (
        "<html><body><header>English header</header><main><h1>Өтініштер statistics</h1>"
        "<p>Download <a href='x.csv'>appeal-statistics.csv</a> or https://example.org/x "
        "<code>source_row</code> personal-reception CSV contactPoint ok жеке қабылдау</p>"
        "<div hidden>Akimat of Astana</div>"
        "</main></body></html>"
    )
    share, latin = latin_share(html)
    assert latin == ["statistics", "Download", "personal", "reception"]
    assert share == pytest.approx(4 / 7)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_main_content_is_at_most_a_tenth_latin(site, lang):
    prefix = LANGUAGES[lang]
    report = []
    failures = []
    for page in measured_pages(site, prefix):
        path = site / prefix / page / "index.html"
        assert path.is_file(), f"/{prefix}{page} is missing"
        share, latin = latin_share(path.read_text(encoding="utf-8"))
        report.append(f"/{prefix}{page}: {share:.1%}")
        if share > LIMIT:
            common = sorted(set(latin), key=latin.count, reverse=True)[:15]
            failures.append(f"/{prefix}{page}: {share:.1%} Latin ({', '.join(common)})")
    print("\n".join(report))
    assert not failures, "\n".join(failures)
