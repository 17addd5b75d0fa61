"""Search: the Pagefind index written into the built site, the pages' data-pagefind
markup, the search page without JavaScript, and the pure helpers of moldir.features.search.

What only a browser can show (typing queries, filters narrowing results) is in
tests/browser/test_search.py.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from pathlib import Path

import pandas as pd
import pytest

from moldir.features.search import (
    MAX_DISTINCT_PER_FIELD,
    SearchIndexError,
    build_index,
    coverage_years,
    folded_kazakh_words,
    indexable_html,
    search_terms,
)
from moldir.model.dataset import Dataset, Resource
from moldir.pipeline.portal import PublishedDataset

LANGUAGES = {"kk": "", "ru": "ru/", "en": "en/"}


def fragments(site: Path) -> list[dict]:
    """Every page record Pagefind stored: url, content, meta, filters (+ its language)."""
    records = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd") :])
        record["language"] = path.name.split("_", 1)[0]
        records.append(record)
    return records


def language_folders(site: Path) -> dict[str, str]:
    """The languages the site was built in, with their folders ("" for the root)."""
    found = {"kk": ""} if (site / "search" / "index.html").is_file() else {}
    for lang, folder in LANGUAGES.items():
        if folder and (site / folder / "search" / "index.html").is_file():
            found[lang] = folder
    return found


@pytest.fixture(scope="module")
def records(site: Path) -> list[dict]:
    return fragments(site)


def resolve(page_url: str, href: str) -> str:
    """A relative link of a page as a site path ("/ru/search/")."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_url), href)) + (
        "/" if href.endswith("/") else ""
    )


# --- pure helpers -------------------------------------------------------------------


def _published(fields: list[dict], frame: pd.DataFrame) -> PublishedDataset:
    descriptor = {"name": "r", "path": "r.csv", "schema": {"fields": fields}}
    resource = Resource(name="r", path=Path("r.csv"), relpath="r.csv", descriptor=descriptor)
    dataset = Dataset(
        slug="d",
        folder=Path("."),
        descriptor_path=Path("datapackage.json"),
        descriptor={"name": "d", "resources": [descriptor]},
        resources=(resource,),
    )
    return PublishedDataset(dataset=dataset, tables={"r": frame}, downloads=[], report=None)


def test_search_terms_are_the_distinct_names_in_text_columns():
    frame = pd.DataFrame(
        {
            "body": ["Akimat of Astana", "Akimat of Shymkent", "Akimat of Astana", None],
            "count": [1, 2, 3, 4],
            "note": ["x" * 200, "short note", "", "short note"],
        }
    )
    fields = [
        {"name": "body", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "note", "type": "string"},
    ]
    terms = search_terms(_published(fields, frame))
    assert terms == ["Akimat of Astana", "Akimat of Shymkent", "short note"]


def test_search_terms_skip_columns_of_free_text_or_identifiers():
    many = [f"id-{n}" for n in range(MAX_DISTINCT_PER_FIELD + 1)]
    frame = pd.DataFrame({"id": many, "region": ["Шымкент"] * len(many)})
    fields = [{"name": "id", "type": "string"}, {"name": "region", "type": "string"}]
    assert search_terms(_published(fields, frame)) == ["Шымкент"]


@pytest.mark.parametrize(
    ("temporal", "years"),
    [
        ({"start": "2020-01-01", "end": "2022-10-31"}, [2020, 2021, 2022]),
        ({"start": "2023-01-01"}, [2023]),
        ({"start": "2022-01-01", "end": "2020-01-01"}, []),
        ({}, []),
        ({"start": "unknown"}, []),
    ],
)
def test_coverage_years(temporal, years):
    assert coverage_years(temporal) == years


def test_kazakh_words_are_also_indexed_as_typed_without_kazakh_letters():
    text = "Әкімдіктердегі азаматтарды қабылдау. Қабылдау, Астана; ұлттық һәм өңір"
    assert folded_kazakh_words(text) == "акимдиктердеги кабылдау улттык хам онир"
    assert folded_kazakh_words("Citizens received by the Akimat of Astana") == ""
    assert folded_kazakh_words("Личный приём граждан") == ""


def test_build_index_writes_one_index_per_language(tmp_path: Path):
    for folder, lang, text in (
        ("", "kk", "Әкімдіктердегі азаматтарды қабылдау"),
        ("ru/", "ru", "Личный приём граждан"),
        ("en/", "en", "Citizens received"),
    ):
        page = tmp_path / folder / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<!DOCTYPE html><html lang="{lang}"><head><title>t</title></head>'
            f"<body><main data-pagefind-body><h1>{text}</h1></main></body></html>",
            encoding="utf-8",
        )
    summary = build_index(tmp_path)
    assert summary.pages == {"kk": 1, "ru": 1, "en": 1}
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    urls = {record["language"]: record["url"] for record in fragments(tmp_path)}
    assert urls == {"kk": "/", "ru": "/ru/", "en": "/en/"}


def test_build_index_fails_on_a_site_without_pages(tmp_path: Path):
    (tmp_path / "style.css").write_text("body {}", encoding="utf-8")
    with pytest.raises(SearchIndexError, match=r"not able to build an index|no page"):
        build_index(tmp_path)


# --- the index in the built example portal ----------------------------------------


def test_the_bundle_is_in_the_output_with_an_index_per_language(site: Path):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = language_folders(site)
    assert languages, "no search page was built"
    for lang in languages:
        assert entry["languages"][lang]["page_count"] > 0, lang
    for name in ("pagefind.js", "pagefind-worker.js"):
        assert (site / "pagefind" / name).is_file()
    # The playground is a development tool: never published.
    assert not (site / "pagefind" / "playground").exists()


def test_pages_are_indexed_in_the_language_of_their_folder(site: Path, records):
    for record in records:
        lang = record["language"]
        folder = LANGUAGES.get(lang)
        if folder is None:
            continue
        first = record["url"].strip("/").split("/")[0]
        in_other_folder = first in {f.strip("/") for f in LANGUAGES.values() if f}
        if folder:
            assert record["url"].startswith("/" + folder), record["url"]
        else:
            assert not in_other_folder, record["url"]


def test_every_dataset_is_indexed_with_filters_meta_and_date(site: Path, records):
    datasets = sorted(p.parent.name for p in (site / "datasets").glob("*/index.html"))
    assert datasets
    by_url = {record["url"]: record for record in records}
    for lang, folder in language_folders(site).items():
        for slug in datasets:
            record = by_url.get(f"/{folder}datasets/{slug}/")
            assert record, f"{lang}: {slug} is not indexed"
            assert record["language"] == lang
            assert record["meta"]["title"]
            assert record["meta"]["date"][:2] in ("19", "20")
            assert record["filters"]["type"] and record["filters"]["publisher"]
            assert record["filters"]["topic"]


def test_listings_search_and_error_pages_are_not_indexed(site: Path, records):
    urls = {record["url"] for record in records}
    for folder in language_folders(site).values():
        for path in ("", "datasets/", "search/", "news/"):
            assert f"/{folder}{path}" not in urls


def test_field_names_titles_keywords_and_bodies_are_searchable(records):
    english = {r["url"]: r for r in records if r["language"] == "en"} or {
        r["url"]: r for r in records
    }
    prefix = "/en" if any(url.startswith("/en/") for url in english) else ""
    record = english[f"{prefix}/datasets/receptions-akimats/"]
    content = record["content"]
    for text in ("citizens_received", "Citizens received", "Akimat of Astana", "Shymkent"):
        assert text in content, text
    descriptor = json.loads(
        (Path(__file__).parents[1] / "datasets/receptions-akimats/datapackage.json").read_text(
            encoding="utf-8"
        )
    )
    for keyword in descriptor["keywords"]:
        assert keyword in content, keyword


def test_bodies_beyond_the_preview_are_indexed(site: Path, records):
    # The survey has more rows than the preview shows: its groups come from extras.
    by_url = {r["url"]: r for r in records if r["language"] == "kk"}
    record = by_url["/datasets/survey-2022-communication-channels/"]
    csv = Path(__file__).parents[1] / "datasets/survey-2022-communication-channels"
    frame = pd.read_csv(next(csv.glob("*.csv")))
    last_group = frame["group"].dropna().iloc[-1]
    assert str(last_group) in record["content"]


def test_previews_are_left_out_of_the_index_but_fields_and_bodies_are_in(records):
    """The first rows of a table are an arbitrary slice of it (dataset.html): not indexed;
    the fields table and the dataset's names from every row are."""
    english = [r for r in records if r["language"] == "en"]
    assert english
    assert not [r["url"] for r in english if re.search(r"first \d+ of [\d,]+ rows", r["content"])]
    record = next(r for r in english if r["url"].endswith("/datasets/receptions-akimats/"))
    assert "Fields of" in record["content"] and "Akimat of Astana" in record["content"]


def test_kazakh_pages_keep_kazakh_letters_in_the_index(records):
    kazakh = " ".join(r["content"] for r in records if r["language"] == "kk")
    assert kazakh, "no Kazakh page is indexed"
    for letter in "әқңөұүі":
        assert letter in kazakh.lower(), letter


def test_kazakh_pages_also_index_their_words_without_kazakh_letters(records):
    by_url = {r["url"]: r for r in records if r["language"] == "kk"}
    content = by_url["/datasets/receptions-akimats/"]["content"]
    assert "Әкімдіктердегі" in content and "акимдиктердеги" in content
    english = [r for r in records if r["language"] == "en"]
    assert all("акимдиктердеги" not in r["content"] for r in english)


def test_header_and_footer_are_not_indexed(records):
    for record in records:
        # Footer and navigation texts would otherwise be in every record.
        assert "Validation report (JSON)" not in record["content"]
        assert "Skip to main content" not in record["content"]


# --- snippets read as text -----------------------------------------------------------

# HTML elements and escaped markup (not any text in angle brackets: "i18n.<lang>" in a
# sentence is text).
MARKUP = re.compile(
    r"<\s*/?(?:a|b|br|button|code|div|em|embed|form|i|iframe|img|input|li|object|ol|p|pre"
    r"|script|select|span|strong|style|svg|table|td|textarea|th|tr|ul|video)\b[^>]*>"
    r"|&lt;|&gt;|&amp;",
    re.IGNORECASE,
)


def test_indexable_html_separates_terms_values_and_header_cells():
    html = (
        "<dl><div><dt>Keywords</dt><dd>citizens' appeals</dd></div>"
        "<dt>Note:</dt><dd>x</dd><dt>Version</dt><dd>1.0</dd></dl>"
        "<table><tr><th>2020</th><th>2021</th></tr></table>"
    )
    text = indexable_html(html)
    assert "<dt>Keywords</dt>: <dd>citizens' appeals</dd></div>" in text
    assert "<dt>Note:</dt><dd>" in text  # a term that ends with a colon keeps its own
    assert "<dd>x</dd> <dt>Version</dt>: " in text
    assert "<th>2020</th> <th>2021</th> " in text


def test_indexable_html_leaves_out_form_controls():
    html = (
        '<p>Embed this chart <textarea rows="3" readonly>&lt;iframe src="x"&gt;'
        "&lt;/iframe&gt;</textarea></p><TEXTAREA>a\nb</TEXTAREA><p>after</p>"
    )
    assert indexable_html(html) == "<p>Embed this chart </p><p>after</p>"


def test_snippets_never_run_labels_into_values(built, records):
    by_url = {(r["language"], r["url"]): r["content"] for r in records}
    checked = 0
    for lang, folder in language_folders(built.root).items():
        page = built.html(f"/{folder}datasets/receptions-akimats/")
        content = by_url[(lang, f"/{folder}datasets/receptions-akimats/")]
        for row in page.find("section", attrs={"aria-labelledby": "about-heading"}).select(
            ".moldir-summary-list__row"
        ):
            term = " ".join(row.find("dt").get_text().split())
            value = " ".join(row.find("dd").get_text().split())
            assert f"{term}: {value[:20]}" in content, (lang, term)
            assert f"{term}{value[:20]}" not in content, (lang, term)
            checked += 1
    assert checked >= 3 * 6


def test_snippets_never_show_markup(records):
    assert records
    for record in records:
        found = MARKUP.search(record["content"])
        assert found is None, (record["url"], record["content"][found.start() - 60 :][:160])


# --- markup -----------------------------------------------------------------------


def test_dataset_pages_carry_pagefind_attributes(built):
    page = built.html("/datasets/receptions-akimats/")
    main = page.find("main", id="main-content")
    assert main.has_attr("data-pagefind-body")
    assert page.find("header").has_attr("data-pagefind-ignore")
    assert page.find("footer").has_attr("data-pagefind-ignore")
    hidden = main.find(attrs={"data-pagefind-ignore": True, "hidden": True})
    filters = {
        el["data-pagefind-filter"] for el in hidden.find_all(attrs={"data-pagefind-filter": True})
    }
    assert {"type", "topic", "publisher", "year"} <= filters
    # Sorted by the last change in the dataset's history (not the descriptor's "created").
    last_changed = built.json("/datasets/receptions-akimats/index.json")["history"]["last_changed"]
    assert hidden.find(attrs={"data-pagefind-sort": "date"}).get_text() == last_changed[:10]
    assert hidden.find(attrs={"data-pagefind-meta": "publisher"}).get_text(strip=True)


def test_header_search_box_is_a_labelled_get_form_to_the_search_page(site: Path, built):
    for lang, folder in language_folders(site).items():
        url = f"/{folder}datasets/"
        form = built.html(url).find("form", attrs={"role": "search"})
        assert form and form["method"] == "get", lang
        assert resolve(url, form["action"]) == f"/{folder}search/", lang
        field = form.find("input", attrs={"name": "q"})
        label = form.find("label", attrs={"for": field["id"]})
        assert label and label.get_text(strip=True), lang


def test_search_page_without_javascript(site: Path, built):
    for lang, folder in language_folders(site).items():
        url = f"/{folder}search/"
        page = built.html(url)
        assert page.html["lang"] == lang
        main = page.find("main", id="main-content")
        assert not main.has_attr("data-pagefind-body")
        # One search form on the page: the header's is replaced by the page's own.
        forms = page.find_all("form", attrs={"role": "search"})
        assert len(forms) == 1 and forms[0].find_parent("main")
        field = forms[0].find("input", attrs={"name": "q"})
        assert page.find("label", attrs={"for": field["id"]}).get_text(strip=True)
        fallback = main.find(attrs={"data-search-fallback": True})
        assert not fallback.has_attr("hidden")
        link = fallback.find("a")
        assert resolve(url, link["href"]) == f"/{folder}datasets/"
        assert main.find(attrs={"data-search-ui": True}).has_attr("hidden")
        status = main.find(attrs={"aria-live": "polite"})
        assert status and status.get("role") == "status"
        module = main.find(attrs={"data-module": "moldir-search"})
        assert resolve(url, module["data-bundle"]) == "/pagefind/pagefind.js"
        assert (site / "pagefind" / "pagefind.js").is_file()
        script = page.find("script", src=lambda s: s and s.endswith("js/search.js"))
        assert script and script.get("type") == "module"
        assert (site / resolve(url, script["src"]).lstrip("/")).is_file()
