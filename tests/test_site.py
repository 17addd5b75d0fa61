"""The example portal, built once with a real Pelican: pages and downloads, parsed."""

import io
import json
import zipfile

import frictionless
import openpyxl
import pytest

DATASETS = [
    "blog-requests",
    "call-and-contact-centres",
    "front-office-visits",
    "open-government-portals",
    "public-reception-appeals",
    "question-answer-service",
    "receptions-akimats",
    "receptions-ministries",
    "survey-2022-communication-channels",
]


def test_home_page_links_to_the_catalogue(built):
    page = built.html("/")
    assert page.find("main", id="main-content")
    assert page.find("a", href=lambda h: h and h.rstrip("/").endswith("datasets"))


def test_catalogue_lists_every_dataset_with_its_metadata(built_en):
    page = built_en.html("/datasets/")
    items = page.select(".moldir-catalogue__item")
    titles = [item.h2.get_text(strip=True) for item in items]
    assert len(items) >= len(DATASETS)
    assert "Personal receptions of citizens by akimats, 2020–2022" in titles or titles
    for item in items:
        text = item.get_text(" ", strip=True)
        assert "CSV" in text and "Publisher" in text and "Topic" in text


@pytest.mark.parametrize("slug", DATASETS)
def test_dataset_page_has_metadata_fields_preview_and_downloads(built, slug):
    page = built.html(f"/datasets/{slug}/")
    descriptor = built.json(f"/datasets/{slug}/datapackage.json")
    assert page.h1.get_text(strip=True)
    assert page.select_one(".moldir-status--valid")
    for resource in descriptor["resources"]:
        if "moldir:originalOf" in resource:
            # The publisher's file, offered beside the resource it is the original of.
            original = resource["path"]
            assert page.find("a", href=lambda h, o=original: h and h.endswith(o)), original
            continue
        caption = page.find("caption", id=f"preview-{resource['name']}-caption")
        assert caption, f"no preview table for {resource['name']}"
        table = caption.find_parent("table")
        headers = [th.get_text(strip=True) for th in table.thead.find_all("th")]
        assert len(headers) == len(resource["schema"]["fields"])
        assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
        for extension in ("csv", "json", "xlsx"):
            assert page.find(
                "a", href=lambda h, e=extension, r=resource: h and h.endswith(f"{r['name']}.{e}")
            ), extension
        field_names = [code.get_text() for code in page.select("th[scope=row] code")]
        for field in resource["schema"]["fields"]:
            assert field["name"] in field_names


def test_missing_values_are_shown_as_missing_not_zero(built, built_en):
    page = built_en.html("/datasets/blog-requests/")
    rows = page.find("caption", id="preview-requests-caption").find_parent("table").tbody
    ecology_2021 = [
        tr for tr in rows.find_all("tr") if "Ecology" in tr.get_text() and "2021" in tr.get_text()
    ]
    assert ecology_2021 and ecology_2021[0].find_all("td")[-1].get_text(strip=True) == "—"
    records = built.json("/datasets/blog-requests/requests.json")
    missing = [
        r for r in records if r["body"].startswith("Ministry of Ecology") and r["period"] == "2021"
    ]
    assert missing[0]["requests"] is None


@pytest.mark.parametrize("slug", DATASETS)
def test_published_descriptor_validates_with_frictionless(built, slug):
    path = built.path(f"/datasets/{slug}/datapackage.json")
    report = frictionless.validate(str(path.name), basepath=str(path.parent))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(path.read_text())
    for resource in descriptor["resources"]:
        data = (path.parent / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"].startswith("sha256:")


def test_xlsx_download_has_typed_cells(built):
    data = built.path("/datasets/receptions-akimats/receptions.xlsx").read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    numeric = header.index("citizens_received")
    assert sheet.cell(row=2, column=numeric + 1).data_type == "n"


def test_zip_holds_descriptor_and_every_csv(built):
    descriptor = built.json("/datasets/blog-requests/datapackage.json")
    archive = zipfile.ZipFile(built.path("/datasets/blog-requests/blog-requests.zip"))
    names = set(archive.namelist())
    assert "blog-requests/datapackage.json" in names
    for resource in descriptor["resources"]:
        assert f"blog-requests/{resource['path']}" in names


def test_quality_page_and_report(built):
    report = built.json("/quality/report.json")
    assert report["valid"] is True
    assert {task["name"] for task in report["tasks"]} >= set(DATASETS)
    page = built.html("/quality/")
    assert len(page.select("tbody tr")) == len(report["tasks"])


def test_about_page_and_news_article_render(built_en):
    about = built_en.html("/about/")
    assert "Astana Civil Service Hub" in about.get_text()
    news = built_en.html("/news/")
    link = news.select_one("main a[href*='news/portal-opens']") or news.select_one("main li a")
    assert link
    article = built_en.html("/news/portal-opens/")
    assert article.h1.get_text(strip=True) == "The open-government data portal opens"
