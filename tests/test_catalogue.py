"""The catalogue (moldir.features.catalogue): facets with counts, sorts and pages on 2,500
synthetic datasets, and the static pages of the built example portal in every language,
which work without JavaScript (every view is a page reached by a link)."""

from __future__ import annotations

import posixpath
import random
from pathlib import Path

import pytest

from moldir.features import catalogue
from moldir.model.dataset import Dataset, Resource
from moldir.pipeline.downloads import Download
from moldir.pipeline.portal import PublishedDataset

TOPICS = ("appeals", "budget", "receptions", "surveys", "open-government")
PUBLISHERS = (*(f"Akimat of District {n}" for n in range(40)), "Министерство финансов")
FREQUENCIES = ("annual", "quarterly", "monthly", "irregular")
LICENCES = ("CC-BY-4.0", "other-at", "ODbL-1.0")


def synthetic(number: int, rng: random.Random) -> PublishedDataset:
    """A dataset with facet values, a size and an update date drawn from ``rng``."""
    start = rng.randrange(2000, 2024)
    descriptor = {
        "name": f"d{number:05d}",
        "title": f"Dataset {rng.randrange(10**6):06d}",
        "description": f"First sentence of {number}. Second sentence.",
        "topic": rng.choice(TOPICS),
        "publisher": {"name": rng.choice(PUBLISHERS)},
        "frequency": rng.choice(FREQUENCIES),
        "language": rng.choice(("kk", "ru", "en")),
        "licenses": [{"name": rng.choice(LICENCES)}],
        "temporal": {"start": f"{start}-01-01", "end": f"{start + rng.randrange(3)}-12-31"},
        "created": f"20{rng.randrange(10, 26):02d}-{rng.randrange(1, 13):02d}-01",
    }
    if number % 3 == 0:
        descriptor["kind"] = "appeal-statistics"
    resource = Resource(name="r", path=Path("r.csv"), relpath="r.csv", descriptor={"name": "r"})
    dataset = Dataset(
        slug=descriptor["name"],
        folder=Path("."),
        descriptor_path=Path("datapackage.json"),
        descriptor=descriptor,
        resources=(resource,),
    )
    formats = ("csv", "json", "xlsx") if number % 2 else ("csv", "json")
    downloads = [
        Download(dataset=dataset.slug, filename=f"r.{f}", format=f, content=b"", resource="r")
        for f in formats
    ]
    rows = range(rng.randrange(1, 100_000))  # only its length is read
    return PublishedDataset(dataset=dataset, tables={"r": rows}, downloads=downloads, report=None)


@pytest.fixture(scope="module")
def portal_datasets() -> list[PublishedDataset]:
    rng = random.Random(21)
    return [synthetic(number, rng) for number in range(2500)]


@pytest.fixture(scope="module")
def entries(portal_datasets) -> list[catalogue.Entry]:
    return [catalogue.entry_of(p, "en") for p in portal_datasets]


@pytest.fixture(scope="module")
def values(portal_datasets) -> dict[str, list[catalogue.FacetValue]]:
    return catalogue.facet_values(portal_datasets)


# --- logic, 2,500 datasets ------------------------------------------------------------------


def test_every_facet_counts_the_datasets_with_each_value(portal_datasets, values):
    assert set(values) == set(catalogue.FACETS)
    for facet in ("topic", "publisher", "frequency", "language", "licence"):
        assert sum(v.count for v in values[facet]) == 2500, facet
    key = {"topic": "topic", "frequency": "frequency", "language": "language"}
    for facet, field in key.items():
        for value in values[facet]:
            expected = sum(1 for p in portal_datasets if p.dataset.get(field) == value.key)
            assert value.count == expected, (facet, value.key)
    assert {v.key: v.count for v in values["kind"]} == {"appeal-statistics": 834}
    assert {v.key: v.count for v in values["format"]} == {"CSV": 2500, "JSON": 2500, "XLSX": 1250}
    years = values["year"]
    assert [v.key for v in years] == sorted((v.key for v in years), reverse=True)
    covering_2010 = sum(
        1
        for p in portal_datasets
        if int(p.dataset.temporal["start"][:4]) <= 2010 <= int(p.dataset.temporal["end"][:4])
    )
    assert next(v for v in years if v.key == "2010").count == covering_2010


def test_facet_values_come_most_frequent_first_with_unique_safe_slugs(values):
    for facet, found in values.items():
        slugs = [v.slug for v in found]
        assert len(set(slugs)) == len(slugs), facet
        assert all(catalogue.safe_name(slug) for slug in slugs), facet
        if facet != "year":
            counts = [v.count for v in found]
            assert counts == sorted(counts, reverse=True), facet
    cyrillic = next(v for v in values["publisher"] if v.key == "Министерство финансов")
    assert cyrillic.slug == "ministerstvo-finansov"


def test_every_page_of_the_plan_lists_at_most_a_page_of_datasets(entries, values):
    listings = list(catalogue.plan(entries, values))
    urls = [listing.url for listing in listings]
    assert len(urls) == len(set(urls)), "two views share a URL"
    assert urls[0] == "datasets/"
    assert all(0 < len(listing.entries) <= catalogue.PAGE_SIZE for listing in listings)
    whole = [listing for listing in listings if listing.value is None]
    # Three sorts of 2,500 datasets, 20 a page.
    assert len(whole) == 3 * 125
    for sort in catalogue.SORTS:
        shown = [e.slug for listing in whole if listing.sort == sort for e in listing.entries]
        assert sorted(shown) == sorted(e.slug for e in entries), sort
    # Each facet value's pages show exactly its datasets, once.
    for facet, found in values.items():
        for value in found[:5]:
            shown = [
                e.slug for listing in listings if listing.value == value for e in listing.entries
            ]
            expected = [e.slug for e in entries if value.key in e.values.get(facet, ())]
            assert sorted(shown) == sorted(expected), (facet, value.key)
            assert len(shown) == value.count


def test_sorts(entries):
    updated = catalogue.sort_entries(entries, "updated")
    assert [e.updated for e in updated] == sorted((e.updated for e in entries), reverse=True)
    titles = catalogue.sort_entries(entries, "title")
    assert [e.title.casefold() for e in titles] == sorted(e.title.casefold() for e in entries)
    sizes = catalogue.sort_entries(entries, "size")
    assert [e.rows for e in sizes] == sorted((e.rows for e in entries), reverse=True)
    with pytest.raises(ValueError):
        catalogue.sort_entries(entries, "random")


def test_pages_and_their_links(entries):
    pages = list(catalogue.listings(entries, None, "title"))
    assert [p.page for p in pages] == list(range(1, 126))
    assert pages[0].url == "datasets/browse/all/title/"
    assert pages[1].url == "datasets/browse/all/title/2/"
    assert (pages[-1].first, pages[-1].last, pages[-1].total) == (2481, 2500, 2500)
    assert catalogue.page_links(1, 125) == [1, 2, 3, None, 125]
    assert catalogue.page_links(60, 125) == [1, None, 58, 59, 60, 61, 62, None, 125]
    assert catalogue.page_links(1, 1) == [1]
    assert catalogue.page_links(4, 5) == [1, 2, 3, 4, 5]


def test_one_line_summaries():
    assert catalogue.one_line("First.  Second one.") == "First."
    assert catalogue.one_line("Без точки\nв конце") == "Без точки в конце"
    long = "word " * 100
    summary = catalogue.one_line(long)
    assert len(summary) <= catalogue.SUMMARY_LENGTH + 1 and summary.endswith("…")
    assert "1.5 million" in catalogue.one_line("Grew by 1.5 million. Then fell.")


def test_a_dataset_folder_called_browse_is_a_located_error():
    (check,) = catalogue.reserved_name_checks(None)
    dataset = Dataset(
        slug="browse",
        folder=Path("browse"),
        descriptor_path=Path("browse/datapackage.json"),
        descriptor={"name": "browse"},
        resources=(),
        shown_path="datasets/browse/datapackage.json",
    )
    (error,) = list(check(dataset))
    assert error.type == "reserved-name" and error.file == "datasets/browse/datapackage.json"


# --- the built site -------------------------------------------------------------------------

LANGUAGE_FOLDERS = ("", "ru/", "en/")


def resolve(page: str, href: str) -> str:
    """A link of a page as a site path (absolute or relative hrefs)."""
    if href.startswith("/"):
        return href
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href)) + (
        "/" if href.endswith("/") else ""
    )


def catalogue_links(built, page_url: str, selector: str) -> list[tuple[str, str]]:
    page = built.html(page_url)
    return [(a.get_text(" ", strip=True), a["href"]) for a in page.select(selector)]


@pytest.mark.parametrize("folder", LANGUAGE_FOLDERS)
def test_catalogue_has_the_same_facets_with_counts_in_every_language(built, folder):
    page = built.html(f"/{folder}datasets/")
    groups = page.select(".moldir-facets__group")
    names = [group["aria-labelledby"].removeprefix("facet-") for group in groups]
    # Facets with values in the example portal (kind, language and year included).
    assert names == [f for f in catalogue.FACETS if f in names]
    assert {
        "topic",
        "publisher",
        "kind",
        "format",
        "licence",
        "frequency",
        "language",
        "year",
    } <= set(names)
    report = built.json("/api/datasets.json")
    total = len(report["datasets"]) if isinstance(report, dict) else len(report)
    topics = page.select("#facet-topic ~ ul .moldir-facets__count")
    assert sum(int(c.get_text(strip=True).strip("()")) for c in topics) == total


@pytest.mark.parametrize("folder", LANGUAGE_FOLDERS)
def test_facet_links_lead_to_static_pages_listing_the_datasets_with_that_value(built, site, folder):
    url = f"/{folder}datasets/"
    page = built.html(url)
    for link in page.select(".moldir-facets__link")[:12]:
        target = resolve(url, link["href"])
        assert (site / target.lstrip("/") / "index.html").is_file(), target
        count = int(link.find_next_sibling(class_="moldir-facets__count").get_text().strip("()"))
        listed = built.html(target).select(".moldir-catalogue__item")
        assert len(listed) == min(count, catalogue.PAGE_SIZE), target
        # The page marks its own value as the current one.
        current = built.html(target).select('.moldir-facets__link[aria-current="page"]')
        assert [c["href"] for c in current] and resolve(target, current[0]["href"]) == target


@pytest.mark.parametrize(
    ("folder", "name"),
    [("", "Мемлекеттік қызмет саласындағы Астана хабы"), ("en/", "Astana Civil Service Hub")],
)
def test_publishers_are_named_in_the_pages_language_on_every_catalogue_page(built, folder, name):
    # The translation comes from a dataset that has one (labels.publisher_label), on the
    # catalogue and on a facet value's page alike.
    for url in (f"/{folder}datasets/", f"/{folder}datasets/browse/publisher/"):
        page = built.html(url)
        publishers = [a.get_text(strip=True) for a in page.select("#facet-publisher ~ ul a")]
        publishers += [a.get_text(strip=True) for a in page.select("main .moldir-facets__link")]
        assert name in publishers, url


def test_topic_page_lists_exactly_the_datasets_of_that_topic(built):
    page = built.html("/en/datasets/browse/topic/appeals/updated/")
    slugs = {
        a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.select(".moldir-catalogue__title a")
    }
    expected = set()
    root = Path(__file__).parents[1] / "datasets"
    import json

    for descriptor in root.glob("*/datapackage.json"):
        if json.loads(descriptor.read_text(encoding="utf-8")).get("topic") == "appeals":
            expected.add(descriptor.parent.name)
    assert slugs == expected


def test_sort_links_are_static_pages_in_their_order(built):
    page = built.html("/en/datasets/")
    sorts = page.select(".moldir-sort__options a")
    assert len(sorts) == 3 and sorts[0].get("aria-current") == "page"
    by_title = built.html(resolve("/en/datasets/", sorts[1]["href"]))
    titles = [a.get_text(strip=True) for a in by_title.select(".moldir-catalogue__title a")]
    assert titles == sorted(titles, key=str.casefold)
    by_size = built.html(resolve("/en/datasets/", sorts[2]["href"]))
    rows = [
        int(row.dd.get_text(strip=True).replace(",", ""))
        for row in by_size.select(".moldir-catalogue__facts .moldir-summary-list__row")
        if row.dt.get_text(strip=True) == "Rows"
    ]
    assert rows == sorted(rows, reverse=True) and rows


def test_catalogue_items_have_one_line_summaries(built):
    page = built.html("/en/datasets/")
    for item in page.select(".moldir-catalogue__item"):
        summary = item.select_one(".moldir-catalogue__summary").get_text(strip=True)
        assert summary and "\n" not in summary
        assert len(summary) <= catalogue.SUMMARY_LENGTH + 1
        assert summary.count(". ") == 0, summary


def test_facet_pages_list_every_value(built, site):
    for facet in ("topic", "year", "publisher"):
        page = built.html(f"/ru/datasets/browse/{facet}/")
        links = page.select(".moldir-facets__link")
        assert links, facet
        for link in links:
            target = resolve(f"/ru/datasets/browse/{facet}/", link["href"])
            assert (site / target.lstrip("/") / "index.html").is_file(), target


def test_catalogue_works_without_javascript(built):
    # Every control of the catalogue is a link (no form, no script needed).
    page = built.html("/datasets/")
    main = page.find("main")
    assert main.find("form") is None and main.find("script") is None
    assert main.select(".moldir-facets a") and main.select(".moldir-sort a")


def test_catalogue_words_are_translated(built):
    en = built.html("/en/datasets/").find(id="facets-heading").get_text(strip=True)
    ru = built.html("/ru/datasets/").find(id="facets-heading").get_text(strip=True)
    kk = built.html("/datasets/").find(id="facets-heading").get_text(strip=True)
    assert en == "Filter the catalogue"
    assert ru != en and kk != en and ru != kk
    assert built.html("/ru/datasets/").find(id="facet-year").get_text(strip=True) != "Year covered"


def test_sort_variants_are_kept_out_of_the_sitemap(built):
    sitemap = built.path("/sitemap.xml").read_text(encoding="utf-8")
    assert "/datasets/browse/all/title/" not in sitemap
    assert "/datasets/browse/topic/appeals/updated/" in sitemap
    page = built.html("/datasets/browse/all/title/")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, follow"
    assert built.html("/datasets/").find("meta", attrs={"name": "robots"}) is None
