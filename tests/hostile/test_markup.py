"""Markup and URL injection, and Markdown content an attacker or a careless editor writes:
every case built (or validated) for real, asserting its exact outcome (docs/security.md).

- Values that validation accepts (CSV cells, attribute-breaking metadata without tags,
  relative URLs) land on pages escaped, as text, wherever they are shown.
- Metadata with tags or active URLs is refused at validation, naming the property.
- Markdown pages and articles are sanitised to an allowlist; their titles are text.
- Front matter that cannot be read, and page addresses that climb out of the site or take
  an address already taken, fail the build with an error naming the file(s).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import HostileProject, package, table

# The theme's own scripts; any other <script> on a page is an injection.
THEME_SCRIPT = re.compile(r"(^|/)(theme/js/[a-z-]+\.js|pagefind/pagefind\.js)$")
ATOM = "{http://www.w3.org/2005/Atom}"
ACTIVE_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def assert_inert(soup: BeautifulSoup) -> None:
    """No script, handler, style, frame or active URL on the page but the theme's own."""
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            assert "</" not in script.string and "<!--" not in script.string
            continue
        assert THEME_SCRIPT.search(script.get("src", "")), script
        assert not (script.string or "").strip(), script
    for element in soup.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, element
        assert "style" not in element.attrs or element.name == "textarea", element
        for name in ("href", "src", "action", "formaction", "xlink:href", "data"):
            value = re.sub(r"[\x00-\x20]", "", str(element.get(name, "")))
            assert not ACTIVE_SCHEME.match(value), element
    for tag in ("iframe", "object", "embed", "style", "base", "frame", "applet", "meta"):
        for element in soup.find_all(tag):
            assert tag == "meta" and element.get("http-equiv", "").lower() != "refresh"
    forms = soup.find_all("form")
    assert all(form.get("role") == "search" or form.get("data-module") for form in forms)


def english(output: Path, *parts: str) -> Path:
    """A page of the English site (the portal's default language is Kazakh, at /)."""
    return output.joinpath("en", *parts, "index.html")


@pytest.fixture(scope="module")
def module_project(tmp_path_factory):
    """A throwaway project for the cases that share one build (each case its own file)."""

    def make(name: str) -> HostileProject:
        return HostileProject(tmp_path_factory.mktemp(name) / "project")

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOLDIR_NO_CACHE", "1")
        yield make


# --- values that validation accepts land on pages as text --------------------------------

SCRIPT_CELL = "<script>alert(1)</script>"
IMG_CELL = '"><img src=x onerror=alert(1)>'
TITLE_CELL = "</title><script>alert(2)</script>"
COMMENT_CELL = "<!-- x --> & </textarea><svg onload=alert(3)>"
CELLS = [SCRIPT_CELL, IMG_CELL, TITLE_CELL, COMMENT_CELL]
# Metadata that validation accepts (no tag, no active URL) but that breaks out of an
# attribute or a JSON string if it is not escaped where it lands.
QUOTED_TITLE = "Q&A \"quoted\" 'single' <3 & more"
ATTRIBUTE_BREAK = 'Body" onmouseover="alert(4)" x="'
I18N_TITLE = '" autofocus onfocus="alert(5)'
UNITS = "people' onclick='alert(6)"


def csv_text(rows: list[tuple[str, int]]) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    return "label,value\n" + "".join(f"{quoted(label)},{value}\n" for label, value in rows)


@pytest.fixture(scope="module")
def data_site(module_project):
    """One build: hostile CSV cells in a table and a chart, hostile metadata without tags."""
    project = module_project("data")
    fields = [{"name": "label", "type": "string"}, {"name": "value", "type": "integer"}]
    view = {
        "name": "by-label",
        "title": "By label",
        "resources": ["data"],
        "specType": "moldir",
        "spec": {"type": "bar", "x": "label", "y": "value", "units": UNITS},
    }
    descriptor = package(
        [table(fields=fields)],
        title=QUOTED_TITLE,
        publisher={"name": ATTRIBUTE_BREAK},
        keywords=["<!-- keyword", "a & b"],
        sources=[
            {"title": "Relative source", "path": "data.csv"},
            {"title": "Protocol-relative", "path": "//evil.example/x"},
            {"title": "Quoted https", "path": 'https://example.org/?q="onmouseover=alert(7)'},
        ],
        i18n={
            "ru": {
                "resources": {"data": {"title": I18N_TITLE}},
                "views": {"by-label": {"title": I18N_TITLE}},
            }
        },
        views=[view],
    )
    rows = [(cell, 10 * (index + 1)) for index, cell in enumerate(CELLS)]
    project.dataset("hostile", descriptor, {"data.csv": csv_text(rows)})
    outcome = project.build()
    assert outcome.built, outcome.report and outcome.errors(("dataset", "field", "type", "message"))
    return outcome.output


def test_csv_cells_in_the_preview_table_are_text(data_site):
    page = soup_of(english(data_site, "datasets", "hostile"))
    assert_inert(page)
    preview = page.select_one("#preview-data")
    cells = [cell.get_text() for cell in preview.select("tbody th")]
    assert cells == CELLS


def test_csv_cells_as_chart_categories_are_svg_text(data_site):
    for path in (
        english(data_site, "datasets", "hostile"),
        english(data_site, "datasets", "hostile", "charts", "by-label"),
    ):
        page = soup_of(path)
        assert_inert(page)
        drawings = page.select("svg.moldir-chart__svg")
        assert len(drawings) >= 2, "a chart is drawn for narrow and wide screens"
        for svg in drawings:
            # Names are wrapped onto lines (tspans) at spaces or inside long words, so the
            # cells are compared with the white space of the wrapping left out.
            written = "".join("".join(text.get_text().split()) for text in svg.find_all("text"))
            for cell in CELLS:
                assert "".join(cell.split()) in written, (cell, written)
            assert not svg.find_all(["script", "img", "foreignobject", "a"])


def test_csv_cells_in_the_text_alternative_and_chart_table_are_text(data_site):
    page = soup_of(english(data_site, "datasets", "hostile", "charts", "by-label"))
    alternative = page.select_one(".moldir-chart__alternative").get_text()
    assert COMMENT_CELL in alternative  # the highest value
    description = page.select_one('meta[name="description"]')["content"]
    assert description.startswith(alternative[:50])
    headers = [th.get_text() for th in page.select(".moldir-chart__table tbody th")]
    assert headers == CELLS


def test_units_are_text_in_the_chart_caption(data_site):
    page = soup_of(english(data_site, "datasets", "hostile"))
    caption = page.select_one(".moldir-chart__table caption").get_text()
    assert f"({UNITS})" in caption


def test_a_title_with_quotes_and_ampersands_is_shown_as_typed(data_site):
    page = soup_of(english(data_site, "datasets", "hostile"))
    assert page.select_one("h1").get_text() == QUOTED_TITLE
    assert page.title.get_text().startswith(QUOTED_TITLE + " — ")
    assert page.select_one('meta[property="og:title"]')["content"].startswith(QUOTED_TITLE)
    jsonld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert jsonld["name"] == QUOTED_TITLE
    raw = english(data_site, "datasets", "hostile").read_text(encoding="utf-8")
    assert "&amp;amp;" not in raw and "&amp;#" not in raw  # escaped once, not twice


def test_a_publisher_name_cannot_break_out_of_an_attribute(data_site):
    catalogue = soup_of(english(data_site, "datasets"))
    assert_inert(catalogue)
    item = catalogue.select_one(".moldir-catalogue__item")
    assert ATTRIBUTE_BREAK in [dd.get_text() for dd in item.select("dd")]
    # The publisher facet (a value in links and in attributes of its own page) neither.
    facet = catalogue.find("a", string=lambda text: text and ATTRIBUTE_BREAK in text)
    assert facet is not None, "the publisher facet lists the publisher by name"
    for element in catalogue.find_all(True):
        assert "onmouseover" not in element.attrs, element


def test_an_i18n_title_is_escaped_in_headings_and_in_the_embed_snippet(data_site):
    page = soup_of(data_site / "ru" / "datasets" / "hostile" / "index.html")
    assert_inert(page)
    assert page.select_one("#resource-data").get_text() == I18N_TITLE
    assert page.select_one(".moldir-chart__title").get_text() == I18N_TITLE
    # The embed snippet is HTML for another site: its title attribute must hold the view
    # title intact when that site parses it.
    snippet = BeautifulSoup(page.select_one("textarea").get_text(), "html.parser")
    frame = snippet.find("iframe")
    assert frame["title"] == I18N_TITLE and set(frame.attrs) == {
        "src",
        "title",
        "width",
        "height",
        "loading",
        "style",
    }


def test_keywords_cannot_open_a_comment_in_json_ld(data_site):
    page = soup_of(english(data_site, "datasets", "hostile"))
    script = page.select_one('script[type="application/ld+json"]').string
    assert "<!--" not in script and "\\u003c!--" in script
    assert json.loads(script)["keywords"] == ["<!-- keyword", "a & b"]


def test_only_absolute_safe_source_urls_become_links(data_site):
    page = soup_of(english(data_site, "datasets", "hostile"))
    sources = page.find("dt", string=re.compile("Source")).find_next("dd")
    links = {a.get_text(): a["href"] for a in sources.find_all("a")}
    # A relative or protocol-relative path is shown as text: it would resolve on the portal.
    assert links == {"Quoted https": 'https://example.org/?q="onmouseover=alert(7)'}
    assert "Relative source" in sources.get_text() and "Protocol-relative" in sources.get_text()
    assert all(set(a.attrs) == {"href"} for a in sources.find_all("a"))


def test_autoescaping_cannot_be_turned_off_by_the_settings(module_project):
    project = module_project("noescape")
    fields = [{"name": "label", "type": "string"}, {"name": "value", "type": "integer"}]
    project.dataset("d", package([table(fields=fields)]), {"data.csv": csv_text([(IMG_CELL, 1)])})
    outcome = project.build(JINJA_ENVIRONMENT={"autoescape": False, "trim_blocks": True})
    assert outcome.built
    page = soup_of(english(outcome.output, "datasets", "d"))
    assert_inert(page)
    assert [th.get_text() for th in page.select("#preview-data tbody th")] == [IMG_CELL]


# --- metadata with tags or active URLs is refused at validation ---------------------------


@pytest.mark.parametrize(
    ("metadata", "key", "kind"),
    [
        ({"publisher": {"name": SCRIPT_CELL}}, "publisher.name", "metadata-markup"),
        ({"homepage": "java\tscript:alert(1)"}, "homepage", "unsafe-url"),
        ({"homepage": " JAVASCRIPT:alert(1)"}, "homepage", "unsafe-url"),
        (
            {"sources": [{"title": "S", "path": "data:text/html,x"}]},
            "sources[0].path",
            "unsafe-url",
        ),
        (
            {"licenses": [{"name": "X", "title": "X", "path": "vbscript:msgbox(1)"}]},
            "licenses[0].path",
            "unsafe-url",
        ),
        ({"keywords": ["</script><script>alert(1)</script>"]}, "keywords[0]", "metadata-markup"),
    ],
)
def test_markup_and_active_urls_in_metadata_are_validation_errors(project, metadata, key, kind):
    project.dataset("d", package([table()], **metadata), {"data.csv": "text\nx\n"})
    report = project.validate()
    found = [(e.dataset, e.type) for e in report.errors]
    assert found == [("d", kind)]
    assert f'"{key}"' in report.errors[0].message


def test_markup_in_an_external_schema_field_description_is_a_validation_error(project):
    schema = {"fields": [{"name": "text", "type": "string", "description": SCRIPT_CELL}]}
    project.dataset(
        "d",
        package([{"name": "data", "path": "data.csv", "schema": "schema.json"}]),
        {"data.csv": "text\nx\n", "schema.json": json.dumps(schema)},
    )
    report = project.validate()
    assert [(e.dataset, e.type, e.resource) for e in report.errors] == [
        ("d", "metadata-markup", "data")
    ]
    assert '"fields.text.description"' in report.errors[0].message


# --- Markdown pages and articles ---------------------------------------------------------

# slug → (Markdown body, what must not survive, text or markup that must)
MARKDOWN_CASES: dict[str, tuple[str, str, str]] = {
    "raw-script": ("Before\n\n<script>alert(1)</script>\n\nAfter", "script", "After"),
    "img-onerror": ('<img src="x.png" onerror="alert(1)" alt="pic">', "onerror", 'alt="pic"'),
    "iframe": ('<iframe src="https://evil.example/"></iframe>\n\nText', "iframe", "Text"),
    "object-embed": (
        '<object data="x.swf"></object><embed src="x.swf">\n\nText',
        "swf",
        "Text",
    ),
    "form": (
        '<form action="https://evil.example/"><input name="q"></form>\n\nText',
        "evil",
        "Text",
    ),
    "javascript-link": ("[click](javascript:alert(1))", "javascript", ">click</a>"),
    "obfuscated-link": (
        '<a href="java&#x09;script:alert(1)">a</a> <a href=" JaVaScRiPt:alert(1)">b</a>',
        "script:",
        ">b</a>",
    ),
    "data-vbscript-links": (
        '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a> <a href="vbscript:msgbox(1)">v</a>',
        "base64",
        ">v</a>",
    ),
    "svg-script": (
        '<svg onload="alert(1)"><script>alert(2)</script></svg>\n\nText',
        "alert",
        "Text",
    ),
    "style": (
        '<style>body{display:none}</style><p style="color:red">Red</p>',
        "display",
        "<p>Red</p>",
    ),
    "entities": ("&lt;script&gt;alert(1)&lt;/script&gt; as text", "<script>", "&lt;script&gt;"),
    "meta-refresh": (
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">Hi',
        "refresh",
        "Hi",
    ),
    "allowed-markup": (
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org/) [rel](../about/) "
        "[mail](mailto:a@example.org) [anchor](#top)\n\n![alt](https://example.org/i.png)\n\n"
        "`code` *em* **strong**\n\n> quote",
        "onerror",
        '<a href="https://example.org/">site</a>',
    ),
}


@pytest.fixture(scope="module")
def markdown_site(module_project):
    project = module_project("markdown")
    for slug, (body, _bad, _good) in MARKDOWN_CASES.items():
        project.page(f"{slug}.md", f"Title: Case {slug}\nSlug: {slug}\nLang: en\n\n{body}\n")
    project.page(
        "hostile-title.md",
        f"Title: {TITLE_CELL}\nDate: 2026-11-01\nSlug: hostile-title\nLang: en\n"
        f"Summary: <img src=x onerror=alert(9)> Summary text\n\n"
        "Body <script>alert(10)</script> [self]({filename}/pages/raw-script.md)\n",
        folder="articles",
    )
    outcome = project.build()
    assert outcome.built, outcome.report and outcome.errors(("file", "type", "message"))
    return outcome.output


@pytest.mark.parametrize("slug", sorted(MARKDOWN_CASES))
def test_markdown_html_is_sanitised_to_the_allowlist(markdown_site, slug):
    _body, bad, good = MARKDOWN_CASES[slug]
    for path in (english(markdown_site, slug), markdown_site / slug / "index.html"):
        page = soup_of(path)
        assert_inert(page)
        article = page.select_one("article.moldir-article")
        for generated in article.select("h1, [hidden]"):  # the title, the search index
            generated.decompose()
        html = article.decode_contents()
        assert bad not in html, html
        assert good in html, html


def test_an_article_title_is_text_everywhere_it_is_shown(markdown_site):
    page = soup_of(english(markdown_site, "news", "hostile-title"))
    assert_inert(page)
    assert page.select_one("article h1").get_text() == TITLE_CELL
    assert page.title.get_text().startswith(TITLE_CELL + " — ")
    description = page.select_one('meta[name="description"]')["content"]
    assert description == "Summary text"
    body = page.select_one("article.moldir-article").decode_contents()
    assert "alert(10)" not in body
    assert 'href="../../raw-script/"' in body  # {filename} links still resolve
    for listing in (english(markdown_site, "news"), english(markdown_site)):
        found = soup_of(listing)
        assert_inert(found)
        assert TITLE_CELL in [a.get_text() for a in found.select("a")]


def test_the_article_feed_carries_sanitised_html(markdown_site):
    feed = ET.parse(markdown_site / "en" / "feeds" / "all.atom.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    # Pelican's feed writer strips what looks like tags from titles (Atom titles are text).
    assert entry.find(f"{ATOM}title").text == "alert(2)"
    content = BeautifulSoup(entry.find(f"{ATOM}content").text, "html.parser")
    assert not content.find_all("script") and "alert(10)" not in str(content)
    summary = BeautifulSoup(entry.find(f"{ATOM}summary").text, "html.parser")
    assert not summary.find_all("img", onerror=True) and "Summary text" in summary.get_text()


# --- front matter and addresses: the build fails naming the file(s) ------------------------


def content_errors(outcome) -> list[tuple[str, str]]:
    assert not outcome.built, "the build succeeded"
    return [(e.file, e.type) for e in outcome.report.errors]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad-date.md", "Title: T\nDate: not a date\n\nx\n", "'not a date' is not a valid date"),
        ("no-title.md", "Date: 2026-01-01\n\nx\n", 'has no "Title:"'),
        ("no-date.md", "Title: T\n\nx\n", 'has no "Date:"'),
        ("bad-status.md", "Title: T\nDate: 2026-01-01\nStatus: live\n\nx\n", "'live'"),
        ("empty-title.md", "Title:  \nDate: 2026-01-01\n\nx\n", '"Title:" is empty'),
        ("bad-lang.md", 'Title: T\nDate: 2026-01-01\nLang: "><b>\n\nx\n', '"Lang:"'),
        (
            "bad-template.md",
            "Title: T\nDate: 2026-01-01\nTemplate: ../../../etc/passwd\n\nx\n",
            '"Template:"',
        ),
    ],
)
def test_an_article_pelican_cannot_use_is_an_error_naming_it(project, name, text, message):
    project.page(name, text, folder="articles")
    outcome = project.build()
    assert content_errors(outcome) == [(f"content/articles/{name}", "content-error")]
    assert message in outcome.report.errors[0].message


def test_a_page_that_is_not_utf8_is_an_error_naming_it(project):
    path = project.page("latin.md", "x")
    path.write_bytes("Title: Caf\xe9\n\nCaf\xe9 \xff\n".encode("latin-1"))
    outcome = project.build()
    assert content_errors(outcome) == [("content/pages/latin.md", "content-error")]
    assert "utf-8" in outcome.report.errors[0].message


@pytest.mark.parametrize(
    "front_matter",
    [
        "Slug: ../../escaped",
        "Slug: a/../../../escaped",
        "Save_as: /tmp/escaped.html",
        "Save_as: ../escaped.html",
        "Url: ../../escaped/",
        "Url: javascript:alert(1)",
        'Slug: x" onmouseover="alert(1)',
        "Save_as: page.js",
        "Slug: .well-known/acme-challenge",
        "Slug: " + "a" * 250,
    ],
)
def test_a_page_address_leaving_the_site_is_an_error_and_nothing_is_written(project, front_matter):
    project.page("climb.md", f"Title: Climb\n{front_matter}\n\nx\n")
    previous = project.root / "output"
    previous.mkdir()
    (previous / "keep.txt").write_text("previous build")
    outcome = project.build()
    assert content_errors(outcome) == [("content/pages/climb.md", "content-error")]
    assert not list(project.root.parent.rglob("escaped*"))
    assert not Path("/tmp/escaped.html").exists()
    assert [p.name for p in previous.iterdir()] == ["keep.txt"]


def test_two_pages_with_one_slug_are_an_error_naming_both(project):
    project.page("first.md", "Title: First\nSlug: same\n\nx\n")
    project.page("second.md", "Title: Second\nSlug: same\n\nx\n")
    outcome = project.build()
    errors = outcome.report.errors
    assert content_errors(outcome) == [("content/pages/second.md", "page-collision")]
    assert "content/pages/first.md" in errors[0].message and "/same/" in errors[0].message


def test_addresses_differing_only_in_case_are_one_address(project):
    project.page("lower.md", "Title: Lower\nSlug: about\n\nx\n")
    project.page("upper.md", "Title: Upper\nSlug: About\n\nx\n")
    outcome = project.build()
    assert content_errors(outcome) == [("content/pages/upper.md", "page-collision")]
    assert "content/pages/lower.md" in outcome.report.errors[0].message


def test_a_page_and_an_article_at_one_address_are_an_error(project):
    project.page("page.md", "Title: P\nSave_as: news/story/index.html\n\nx\n")
    project.page("story.md", "Title: A\nDate: 2026-01-01\nSlug: story\n\nx\n", folder="articles")
    outcome = project.build()
    files = {file for file, kind in content_errors(outcome) if kind == "page-collision"}
    assert len(files) == 1
    message = outcome.report.errors[0].message
    other = ({"content/pages/page.md", "content/articles/story.md"} - files).pop()
    assert other in message


@pytest.mark.parametrize(
    ("slug", "owner"),
    [
        ("datasets/hostile", "dataset"),
        ("datasets", "catalogue"),
        ("search", "search page"),
        ("appeals", "appeal statistics"),
        ("en", "site in en"),
        ("theme/css", "theme"),
        ("Datasets", "catalogue"),
    ],
)
def test_a_page_at_an_address_of_moldir_is_an_error(project, slug, owner):
    project.dataset("hostile", package([table()]), {"data.csv": "text\nx\n"})
    project.page("taken.md", f"Title: Taken\nSlug: {slug}\n\nx\n")
    outcome = project.build()
    assert content_errors(outcome) == [("content/pages/taken.md", "page-collision")]
    message = outcome.report.errors[0].message
    assert f"/{slug}/" in message and owner in message


def test_a_page_taking_a_dataset_page_names_the_dataset(project):
    project.dataset("hostile", package([table()]), {"data.csv": "text\nx\n"})
    project.page("taken.md", "Title: Taken\nSlug: datasets/hostile\n\nx\n")
    outcome = project.build()
    assert "datasets/hostile/datapackage.json" in outcome.report.errors[0].message


def test_every_problem_of_content_is_reported_in_one_run(project):
    project.page("one.md", "Title: One\nSlug: ../one\n\nx\n")
    project.page("two.md", "Title: Two\nDate: never\n\nx\n", folder="articles")
    project.page("three.md", "Title: Three\nSlug: search\n\nx\n")
    outcome = project.build()
    assert content_errors(outcome) == [
        ("content/articles/two.md", "content-error"),
        ("content/pages/one.md", "content-error"),
        ("content/pages/three.md", "page-collision"),
    ]


# --- static files from content/ ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("page.html", b"<script>alert(1)</script>", "static-file-type"),
        ("code.js", b"alert(1)", "static-file-type"),
        (
            "image.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "static-file-type",
        ),
        (
            "linked.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<a x:href="javascript:alert(1)"><rect width="9" height="9"/></a></svg>',
            "static-file-type",
        ),
        (
            "foreign.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
            "static-file-type",
        ),
    ],
)
def test_static_files_a_browser_would_run_are_refused(project, name, data, kind):
    (project.root / "content" / "images").mkdir()
    (project.root / "content" / "images" / name).write_bytes(data)
    outcome = project.build()
    assert content_errors(outcome) == [(f"content/images/{name}", kind)]


def test_a_plain_svg_image_and_a_png_are_published(project):
    images = project.root / "content" / "images"
    images.mkdir()
    (images / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">'
        '<rect width="9" height="9"/></svg>'
    )
    (images / "my photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    outcome = project.build()
    assert outcome.built
    assert (outcome.output / "images" / "logo.svg").is_file()
    assert (outcome.output / "images" / "my photo.png").is_file()


def test_a_link_to_a_file_outside_content_is_an_error_naming_the_page(project):
    secret = project.root / "secret.txt"
    secret.write_text("not for publication")
    project.page("leak.md", "Title: Leak\n\n[x]({static}/../secret.txt)\n")
    outcome = project.build()
    assert content_errors(outcome) == [("content/pages/leak.md", "content-error")]
    assert "secret.txt" in outcome.report.errors[0].message
    assert not (project.root / "output").exists()
