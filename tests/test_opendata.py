"""Open data that other systems harvest, each checked against its own standard:
DCAT-AP (official SHACL shapes), DCAT-US data.json (its JSON schema), Atom feeds
(feedparser), schema.org JSON-LD, the static JSON API, sitemap and robots.txt, canonical
and Open Graph links, and the change history from git (with its fallback outside git)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, Site
from gitrepo import git
from rdflib import RDF, Graph, Namespace, URIRef
from referencing import Registry
from referencing.jsonschema import DRAFT4

from moldir import connect_features
from moldir.features.opendata import feeds, history, schemaorg, sitemap
from moldir.site.build import build_site

BASE = "https://example.org/portal"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SH = Namespace("http://www.w3.org/ns/shacl#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The example portal built with publishconf.py under a sub-path (absolute URLs)."""
    connect_features()
    output = tmp_path_factory.mktemp("published") / "output"
    build_site(ROOT / "publishconf.py", output, overrides={"SITEURL": BASE, "FEED_DOMAIN": BASE})
    return output


@pytest.fixture(scope="session")
def pub(published_site: Path) -> Site:
    return Site(published_site)


@pytest.fixture(scope="session")
def catalogue_graph(published_site: Path) -> Graph:
    return Graph().parse(published_site / "catalog.jsonld", format="json-ld")


def dataset_slugs() -> list[str]:
    return sorted(
        p.parent.name for p in (ROOT / "datasets").glob("*/datapackage.*") if p.parent.is_dir()
    )


def url_to_file(root: Path, url: str) -> Path:
    assert url.startswith(BASE + "/"), url
    return Site(root).path(url[len(BASE) :])


# --- DCAT-AP --------------------------------------------------------------------------


def shacl_results(data: Graph, shape_dir: Path, names: list[str]) -> list[tuple[str, str]]:
    from pyshacl import validate

    shapes = Graph()
    for name in names:
        shapes.parse(shape_dir / name, format="turtle")
    _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none")
    return [
        (str(report.value(result, SH.resultSeverity)), str(report.value(result, SH.resultMessage)))
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]


def test_catalogue_has_no_violation_of_the_official_dcat_ap_shapes(catalogue_graph, corpus):
    """shapes.ttl + range.ttl + shapes_recommended.ttl + deprecateduris.ttl: the ITB "Full"
    validation without background knowledge (our file types every object it refers to)."""
    grouped = corpus / "dcat-ap-shacl" / "shacl-grouped"
    results = shacl_results(
        catalogue_graph,
        grouped,
        ["shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl"],
    )
    violations = [message for severity, message in results if severity == str(SH.Violation)]
    assert violations == []
    assert len(catalogue_graph) > 500


def test_the_shapes_do_find_violations_in_a_broken_catalogue(catalogue_graph, corpus):
    """The check above can fail: drop every distribution's access URL and one title."""
    broken = Graph()
    for triple in catalogue_graph:
        if triple[1] != DCAT.accessURL:
            broken.add(triple)
    results = shacl_results(broken, corpus / "dcat-ap-shacl" / "shacl-grouped", ["shapes.ttl"])
    assert any(severity == str(SH.Violation) for severity, _ in results)


def test_every_download_is_a_distribution_with_size_checksum_and_types(
    catalogue_graph, published_site
):
    g = catalogue_graph
    distributions = set(g.subjects(RDF.type, DCAT.Distribution))
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(dataset_slugs())
    # Per resource CSV, JSON, XLSX, Parquet, per publisher's file its original (a resource of the
    # published package of its own), plus datapackage.json and the zip per dataset.
    published = [
        json.loads((published_site / "datasets" / slug / "datapackage.json").read_text())
        for slug in dataset_slugs()
    ]
    entries = [resource for descriptor in published for resource in descriptor["resources"]]
    originals = sum("moldir:originalOf" in resource for resource in entries)
    resources = len(entries) - originals
    assert len(distributions) == 4 * resources + originals + 2 * len(datasets)
    for dist in distributions:
        url = g.value(dist, DCAT.downloadURL)
        content = url_to_file(published_site, str(url)).read_bytes()
        assert int(g.value(dist, DCAT.byteSize)) == len(content)
        checksum = g.value(dist, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
        assert str(g.value(dist, DCAT.mediaType)).startswith(
            "https://www.iana.org/assignments/media-types/"
        )
        assert str(g.value(dist, DCT["format"])).startswith(
            "http://publications.europa.eu/resource/authority/file-type/"
        )
        assert g.value(dist, DCT.license) is not None
        assert g.value(dist, DCAT.accessURL) is not None


def test_dataset_metadata_uses_the_eu_vocabularies(catalogue_graph):
    g = catalogue_graph
    dataset = URIRef(f"{BASE}/datasets/receptions-akimats/#dataset")
    assert (dataset, RDF.type, DCAT.Dataset) in g
    assert g.value(dataset, DCT.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/IRREG"
    )
    assert g.value(dataset, DCT.language) == URIRef(
        "http://publications.europa.eu/resource/authority/language/ENG"
    )
    period = g.value(dataset, DCT.temporal)
    assert (period, RDF.type, DCT.PeriodOfTime) in g
    assert str(g.value(period, DCAT.startDate)) == "2020-01-01"
    publisher = g.value(dataset, DCT.publisher)
    assert str(g.value(publisher, Namespace("http://xmlns.com/foaf/0.1/").name)) == (
        "Astana Civil Service Hub"
    )
    contact = g.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, Namespace("http://www.w3.org/2006/vcard/ns#").Kind) in g
    assert g.value(dataset, DCAT.theme) is not None
    assert g.value(dataset, DCT.modified) is not None
    titles = {lit.language for lit in g.objects(dataset, DCT.title)}
    assert {"en", "kk", "ru"} <= titles
    # The custom licence of the ACSH report: a licence document with its label.
    dist = next(iter(g.objects(dataset, DCAT.distribution)))
    licence = g.value(dist, DCT.license)
    assert (licence, RDF.type, DCT.LicenseDocument) in g
    assert "ACSH 2023" in str(g.value(licence, RDFS.label))


# --- DCAT-US data.json ----------------------------------------------------------------


@pytest.fixture(scope="session")
def datajson_validator(corpus):
    folder = corpus / "dcat-us-1.1-schema" / "non-federal-v1.1"
    registry = Registry()
    schemas = {}
    for path in folder.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.name] = schema
        resource = DRAFT4.create_resource(schema)
        registry = registry.with_resource(schema["id"].rstrip("#"), resource)
    return jsonschema.Draft4Validator(
        schemas["catalog.json"],
        registry=registry,
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )


def test_data_json_is_valid_dcat_us(pub, datajson_validator):
    document = pub.json("/data.json")
    errors = [e.message for e in datajson_validator.iter_errors(document)]
    assert errors == []
    assert len(document["dataset"]) == len(dataset_slugs())
    entry = next(d for d in document["dataset"] if d["identifier"].endswith("/blog-requests/"))
    assert entry["accessLevel"] == "public"
    assert entry["temporal"] == "2020-01-01/2022-03-31"
    assert all(d["downloadURL"].startswith(BASE) for d in entry["distribution"])


def test_data_json_schema_rejects_a_broken_entry(pub, datajson_validator):
    document = pub.json("/data.json")
    del document["dataset"][0]["accessLevel"]
    document["dataset"][1]["distribution"][0]["mediaType"] = "not a media type"
    assert len(list(datajson_validator.iter_errors(document))) >= 2


# --- schema.org -----------------------------------------------------------------------


def dataset_jsonld(site: Site, slug: str) -> dict:
    page = site.html(f"/datasets/{slug}/")
    scripts = page.find_all("script", type="application/ld+json")
    documents = [json.loads(script.string) for script in scripts]
    return next(d for d in documents if d.get("@type") == "Dataset")


def test_dataset_page_embeds_schema_org_dataset_for_google(pub, published_site):
    node = dataset_jsonld(pub, "blog-requests")
    assert node["@context"] == "https://schema.org/"
    # Google Dataset Search: required, then recommended properties.
    assert node["name"] and 50 <= len(node["description"]) <= 5000
    assert node["url"] == f"{BASE}/datasets/blog-requests/"
    assert node["license"].startswith(BASE)  # the custom licence, on the dataset page
    assert node["creator"] and node["publisher"]["name"] == "Astana Civil Service Hub"
    assert node["temporalCoverage"] == "2020-01-01/2022-03-31"
    assert node["isAccessibleForFree"] is True
    assert node["inLanguage"] == "en"
    assert node["keywords"]
    assert dt.datetime.fromisoformat(node["dateModified"].replace("Z", "+00:00"))
    descriptor = json.loads(
        (published_site / "datasets" / "blog-requests" / "datapackage.json").read_text()
    )
    fields = {f["name"] for r in descriptor["resources"] for f in r["schema"]["fields"]}
    assert {v["propertyID"] for v in node["variableMeasured"]} == fields
    for download in node["distribution"]:
        assert download["@type"] == "DataDownload"
        content = url_to_file(published_site, download["contentUrl"]).read_bytes()
        assert download["contentSize"] == f"{len(content)} B"
        assert download["encodingFormat"]
    assert {d["encodingFormat"] for d in node["distribution"]} >= {"text/csv", "application/zip"}


def test_schema_org_json_cannot_close_its_script_element():
    text = schemaorg.script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"


# --- API ------------------------------------------------------------------------------


def test_api_lists_every_dataset_with_working_links(pub, published_site):
    catalogue = pub.json("/api/datasets.json")
    assert catalogue["api_version"] == 1
    assert [d["slug"] for d in catalogue["datasets"]] == dataset_slugs()
    for summary in catalogue["datasets"]:
        detail = json.loads(url_to_file(published_site, summary["api"]).read_text())
        assert detail["slug"] == summary["slug"]
        assert url_to_file(published_site, detail["url"]).is_file()
        downloads = detail["package_downloads"] + [
            d for resource in detail["resources"] for d in resource["downloads"]
        ]
        for download in downloads:
            content = url_to_file(published_site, download["url"]).read_bytes()
            assert download["bytes"] == len(content)
            assert download["sha256"] == hashlib.sha256(content).hexdigest()


def test_api_dataset_has_fields_history_and_charts_list(pub):
    detail = pub.json("/datasets/receptions-akimats/index.json")
    resource = detail["resources"][0]
    assert resource["rows"] > 0
    assert resource["primary_key"] == ["body"]
    body = next(f for f in resource["fields"] if f["name"] == "body")
    assert body["type"] == "string" and body["constraints"]["required"] is True
    assert detail["history"]["first_published"] and detail["history"]["last_changed"]
    assert isinstance(detail["charts"], list)
    assert detail["links"]["feed"] == f"{BASE}/datasets/receptions-akimats/feed.atom.xml"


def test_api_lists_each_declared_chart_with_its_files(pub, published_site):
    checked = 0
    for slug in dataset_slugs():
        descriptor = pub.json(f"/datasets/{slug}/datapackage.json")
        detail = pub.json(f"/datasets/{slug}/index.json")
        names = [view["name"] for view in descriptor.get("views", [])]
        assert [chart["name"] for chart in detail["charts"]] == names
        for chart in detail["charts"]:
            assert chart["title"]
            for url in chart["files"].values():
                assert url_to_file(published_site, url).is_file()
                checked += 1
    assert checked > 0


# --- feeds ----------------------------------------------------------------------------


def assert_valid_atom(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    feed = parsed.feed
    assert feed.id.startswith(("http", "tag:")) and feed.title and feed.updated
    rels = {link.rel: link.href for link in feed.links}
    assert rels["alternate"].startswith("http") and rels["self"].startswith("http")
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.id.startswith(("http", "tag:")) and entry.title and entry.updated
        assert entry.link.startswith("http")
        assert feed.get("author") or entry.get("author")
    return parsed


def test_feeds_are_valid_atom_with_absolute_links(published_site):
    datasets = assert_valid_atom(published_site / "feeds" / "datasets.atom.xml")
    assert {link.href for link in datasets.feed.links if link.rel == "self"} == {
        f"{BASE}/feeds/datasets.atom.xml"
    }
    one = assert_valid_atom(published_site / "datasets" / "receptions-akimats" / "feed.atom.xml")
    assert all(e.link == f"{BASE}/datasets/receptions-akimats/" for e in one.entries)
    articles = assert_valid_atom(published_site / "feeds" / "all.atom.xml")
    assert all(e.link.startswith(BASE + "/") for e in articles.entries)


def test_development_article_feed_has_absolute_links(site):
    """pelicanconf.py: relative SITEURL, yet the article feed's links and ids are absolute."""
    parsed = assert_valid_atom(site / "feeds" / "all.atom.xml")
    assert all(e.link.startswith("http://127.0.0.1:8000/") for e in parsed.entries)


def test_relative_feed_links_are_made_absolute():
    from feedgenerator import Atom1Feed

    feed = Atom1Feed(title="t", link="/", feed_url="feeds/all.atom.xml", description="")
    feed.add_item(title="a", link="news/a/", description="", pubdate=dt.datetime(2024, 1, 2))
    feeds.absolutize_feed(feed, "https://example.org/portal")
    assert feed.feed["link"] == feed.feed["id"] == "https://example.org/portal/"
    assert feed.items[0]["link"] == "https://example.org/portal/news/a/"
    assert feed.items[0]["unique_id"].startswith("tag:example.org,2024-01-02:")


# --- sitemap, robots, canonical, Open Graph ---------------------------------------------


def test_sitemap_lists_every_page_with_language_alternates(published_site):
    tree = ET.parse(published_site / "sitemap.xml")
    urls = {u.findtext(f"{SITEMAP}loc"): u for u in tree.getroot().iter(f"{SITEMAP}url")}
    pages = {
        p.relative_to(published_site).as_posix().removesuffix("index.html")
        for p in published_site.rglob("*.html")
        if p.name != "404.html"
        and p.relative_to(published_site).parts[0] != "theme"
        and not sitemap.NOINDEX.search(p.read_text(encoding="utf-8"))
    }
    assert "datasets/blog-requests/" in pages
    assert {f"{BASE}/{page}" for page in pages} == set(urls)
    entry = urls[f"{BASE}/ru/datasets/blog-requests/"]
    alternates = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
    assert alternates == {
        "kk": f"{BASE}/datasets/blog-requests/",
        "ru": f"{BASE}/ru/datasets/blog-requests/",
        "en": f"{BASE}/en/datasets/blog-requests/",
        "x-default": f"{BASE}/datasets/blog-requests/",
    }
    assert entry.findtext(f"{SITEMAP}lastmod")


def test_robots_txt_points_at_the_sitemap(published_site):
    text = (published_site / "robots.txt").read_text()
    assert f"Sitemap: {BASE}/sitemap.xml" in text.splitlines()


def test_sitemap_groups_pages_by_language():
    xml = sitemap.sitemap_xml(["", "en/", "news/x/"], "https://h", ["kk", "en"])
    root = ET.fromstring(xml)
    urls = {u.findtext(f"{SITEMAP}loc"): u for u in root.iter(f"{SITEMAP}url")}
    assert len(list(urls["https://h/"].iter(f"{XHTML}link"))) == 3  # kk, en, x-default
    assert list(urls["https://h/news/x/"].iter(f"{XHTML}link")) == []


@pytest.mark.parametrize(
    "url", ["/", "/datasets/", "/datasets/blog-requests/", "/ru/about/", "/en/quality/"]
)
def test_pages_have_canonical_and_open_graph(pub, url):
    page = pub.html(url)
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == BASE + url
    meta = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert meta["og:url"] == canonical
    assert meta["og:title"] and meta["og:description"] and meta["og:site_name"]
    assert meta["og:type"] == "website"
    expected = {"ru": "ru_RU", "en": "en_GB"}.get(url.split("/")[1], "kk_KZ")
    assert meta["og:locale"] == expected
    feeds_linked = {
        link["href"] for link in page.find_all("link", rel="alternate", type="application/atom+xml")
    }
    assert f"{BASE}/feeds/datasets.atom.xml" in feeds_linked


def test_development_pages_leave_out_canonical_without_a_public_address(built):
    page = built.html("/datasets/blog-requests/")
    assert page.find("link", rel="canonical") is None
    assert page.find("meta", property="og:title")["content"]


# --- history --------------------------------------------------------------------------


def in_git(path: Path) -> bool:
    return history.run_git(path, "rev-parse", "--show-toplevel") is not None


# The versions on a dataset's page, in index.json and in its feed, never a commit message:
# tests/test_history.py, on a repository made for the test (so every clone checks them).


def test_published_descriptor_gets_modified_from_the_history(pub):
    descriptor = pub.json("/datasets/blog-requests/datapackage.json")
    detail = pub.json("/datasets/blog-requests/index.json")
    assert descriptor["modified"] == detail["history"]["last_changed"]


def test_history_falls_back_to_descriptor_dates_outside_git(project_copy, tmp_path, monkeypatch):
    # Git must not find a repository above the copy (a temporary folder inside a checkout).
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(project_copy.parent))
    assert not in_git(project_copy), "the project copy is inside a git work tree"
    # One dataset is enough here, and keeps this extra build short.
    for folder in (project_copy / "datasets").iterdir():
        if folder.is_dir() and folder.name != "blog-requests":
            shutil.rmtree(folder)
    connect_features()
    output = tmp_path / "out"
    build_site(project_copy / "pelicanconf.py", output)
    detail = json.loads((output / "datasets" / "blog-requests" / "index.json").read_text())
    assert detail["history"]["source"] == "files"
    assert detail["history"]["versions"] == []
    assert detail["history"]["first_published"] == "2023-01-01T00:00:00Z"
    page = BeautifulSoup(
        (output / "en" / "datasets" / "blog-requests" / "index.html").read_text(), "html.parser"
    )
    section = page.find("section", class_="moldir-history")
    assert "outside a git repository" in section.get_text()
    assert section.find("time")["datetime"].startswith("2023-01-01")
    assert feedparser.parse((output / "feeds" / "datasets.atom.xml").read_bytes()).entries


LOG = (
    "\x1eaaa\x1f2024-03-01T10:00:00+00:00\x1fFix a cell\n\ndatasets/one/data.csv\n"
    "\x1ebbb\x1f2024-02-01T10:00:00+00:00\x1fDescribe both\n\n"
    "datasets/one/datapackage.json\ndatasets/two/datapackage.json\n"
    "\x1eccc\x1f2024-01-01T10:00:00+00:00\x1fAdd one\n\n"
    "datasets/one/datapackage.json\ndatasets/one/data.csv\nREADME.md\n"
)


def test_git_log_is_split_per_dataset_newest_first():
    found = history.parse_log(LOG, "datasets/")
    assert [c.commit for c in found["one"].changes] == ["aaa", "bbb", "ccc"]
    assert [c.data_changed for c in found["one"].changes] == [True, False, True]
    assert [c.message for c in found["two"].changes] == ["Describe both"]
    # The data changed after the descriptor last did: its version cannot have been raised.
    assert found["one"].version_stale and not found["two"].version_stale


def test_histories_from_a_real_repository(tmp_path, caplog):
    """Two datasets, three commits: dates, messages, a stale version and uncommitted work."""
    from moldir.model.dataset import Dataset

    repo = tmp_path / "portal"
    for slug in ("one", "two"):
        (repo / "datasets" / slug).mkdir(parents=True)
        (repo / "datasets" / slug / "datapackage.json").write_text('{"version": "1.0.0"}')
        (repo / "datasets" / slug / "data.csv").write_text("a\n1\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Add one and two")
    (repo / "datasets" / "one" / "data.csv").write_text("a\n2\n")
    git(repo, "commit", "-q", "-am", "Correct a figure in one")
    (repo / "datasets" / "two" / "data.csv").write_text("a\n3\n")  # not committed

    def dataset(slug: str) -> Dataset:
        folder = repo / "datasets" / slug
        return Dataset(slug, folder, folder / "datapackage.json", {"version": "1.0.0"}, ())

    with caplog.at_level("WARNING"):
        found = history.dataset_histories([dataset("one"), dataset("two")])
    one, two = found["one"], found["two"]
    assert one.source == two.source == "git"
    assert [c.message for c in one.changes] == ["Correct a figure in one", "Add one and two"]
    assert [c.message for c in two.changes] == ["Add one and two"]
    assert one.first_published == two.first_published == one.changes[-1].date
    assert one.version_stale and not two.version_stale
    assert "one: the data changed" in caplog.text and "two:" not in caplog.text
    assert two.uncommitted and not one.uncommitted


@pytest.mark.parametrize(
    ("entry", "uri", "types"),
    [
        (
            {"name": "CC-BY-4.0"},
            "https://creativecommons.org/licenses/by/4.0/",
            ("Attribution",),
        ),
        (
            {"name": "ODC-PDDL-1.0"},
            "https://opendatacommons.org/licenses/pddl/1-0/",
            ("PublicDomain",),
        ),
        (
            {"name": "other-at", "title": "Excerpts with a reference"},
            "https://x/#l",
            ("Attribution",),
        ),
        (
            {"name": "mine", "path": "https://gov.example/licence"},
            "https://gov.example/licence",
            (),
        ),
    ],
)
def test_licences_get_uris_and_types(entry, uri, types):
    from moldir.features.opendata.catalogue import licence_of

    licence = licence_of(entry, "https://x/#l")
    assert (licence.uri, licence.types) == (uri, types)
    assert licence.title


def test_catalogue_last_updated_is_the_last_change_in_history(built, built_en):
    from moldir.site.templating import format_date

    history = built.json("/datasets/receptions-akimats/index.json")["history"]
    item = built_en.html("/datasets/").find(
        "a", href=lambda href: bool(href) and href.endswith("datasets/receptions-akimats/")
    )
    rows = item.find_parent("li").select(".moldir-summary-list__row")
    shown = next(r.dd.get_text(strip=True) for r in rows if r.dt.get_text() == "Last updated")
    assert shown == format_date(history["last_changed"][:10], locale="en")


# --- one catalogue entry, three serialisations --------------------------------------------


def test_the_catalogues_serialise_one_entry_made_once_per_dataset(tmp_path, monkeypatch):
    """DCAT-AP, DCAT-US and schema.org (in two languages) read one CatalogueEntry per
    dataset, made once, and so say the same things."""
    from types import SimpleNamespace

    from moldir.features.opendata import catalogue, datajson, dcat
    from moldir.model.dataset import Dataset
    from moldir.pipeline.downloads import Download
    from moldir.pipeline.portal import PublishedDataset

    descriptor = {
        "name": "visits",
        "title": "Visits",
        "description": "Visits per office.",
        "language": "en",
        "keywords": ["visits"],
        "topic": "appeals",
        "version": "1.2.0",
        "created": "2024-01-01",
        "modified": "2024-05-01T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0"}],
        "sources": [{"title": "Report", "path": "https://example.org/report"}],
        "i18n": {"ru": {"title": "Посещения", "description": "Посещения по офисам."}},
    }
    folder = tmp_path / "visits"
    dataset = Dataset("visits", folder, folder / "datapackage.json", descriptor, ())
    package = Download("visits", "datapackage.json", "datapackage", b"{}")
    published = PublishedDataset(dataset=dataset, tables={}, downloads=[package], report=None)
    portal = SimpleNamespace(datasets=[published])
    info = catalogue.CatalogueInfo.from_pelican(
        {"SITEURL": "https://example.org", "SITENAME": "Portal", "DEFAULT_LANG": "en"}
    )
    made = []
    build = catalogue.CatalogueEntry.build
    monkeypatch.setattr(
        catalogue.CatalogueEntry,
        "build",
        classmethod(
            lambda cls, info, published: made.append(published.slug) or build(info, published)
        ),
    )

    graph = dcat.catalogue_document(portal, info)["@graph"]
    us = datajson.catalogue_document(portal, info)["dataset"][0]
    russian = schemaorg.dataset_jsonld(info, published, "ru")
    english = schemaorg.dataset_jsonld(info, published, "en")
    assert made == ["visits"]

    node = next(n for n in graph if n.get("@type") == "dcat:Dataset")
    page = "https://example.org/datasets/visits/"
    assert node["dct:identifier"] == us["identifier"] == russian["identifier"] == page
    assert node["dct:title"] == [
        {"@value": "Visits", "@language": "en"},
        {"@value": "Посещения", "@language": "ru"},
    ]
    assert us["title"] == english["name"] == russian["alternateName"] == "Visits"
    assert russian["name"] == "Посещения" and russian["description"] == "Посещения по офисам."
    assert node["dct:modified"]["@value"] == us["modified"] == english["dateModified"]
    assert node["dct:issued"]["@value"] == us["issued"] == english["datePublished"] == "2024-01-01"
    assert node["dcat:version"] == english["version"] == "1.2.0"
    assert us["references"] == ["https://example.org/report"] and english["citation"] == ["Report"]
    url = "https://example.org/datasets/visits/datapackage.json"
    assert us["distribution"][0]["downloadURL"] == english["distribution"][0]["contentUrl"] == url
    distribution = next(n for n in graph if n.get("@type") == "dcat:Distribution")
    assert distribution["dcat:downloadURL"] == {"@id": url}
