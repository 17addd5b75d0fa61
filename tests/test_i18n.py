"""Kazakh, Russian and English: catalogues, locale formatting, language sites and links."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from moldir.model import language
from moldir.site import i18n
from moldir.site.templating import format_bytes, format_cell, format_date, format_number

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ["kk", "ru", "en"]
FOREIGN = ["ru", "en"]  # built in sub-folders; Kazakh is the default at /
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalogue(lang: str):
    with language.catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def singular(msgid: str | tuple) -> str:
    """The msgid of an entry (its singular form for ngettext entries)."""
    return msgid if isinstance(msgid, str) else msgid[0]


def translated(message) -> bool:
    """Whether an entry has a translation (every plural form for ngettext entries)."""
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def source_msgids() -> set[str]:
    """Every string marked for translation in the templates and the Python code now."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map
        )
        if message
    }


# --- catalogues ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def msgids() -> set[str]:
    return source_msgids()


def test_extraction_finds_the_theme_strings(msgids):
    assert {"Datasets", "Skip to main content", "Language"} <= msgids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_source_string_is_translated_and_not_fuzzy(lang, msgids):
    """A string added to a template without `make messages` and a translation fails here."""
    entries = {singular(message.id): message for message in catalogue(lang) if message.id}
    missing = sorted(m for m in msgids if m not in entries or not translated(entries[m]))
    fuzzy = sorted(m for m in msgids if m in entries and entries[m].fuzzy)
    assert not missing, f"{lang}: untranslated (run `make messages`, translate): {missing}"
    assert not fuzzy, f"{lang}: fuzzy entries: {fuzzy}"


def test_template_pot_lists_every_source_string(msgids):
    with (language.LOCALE_DIR / "messages.pot").open("rb") as handle:
        pot = {singular(message.id) for message in read_po(handle) if message.id}
    assert not sorted(msgids - pot), "messages.pot is out of date: run `make messages`"
    for lang in LANGUAGES:
        ids = {singular(message.id) for message in catalogue(lang) if message.id}
        assert not sorted(pot - ids), f"{lang}: msgids of messages.pot missing from the .po"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    for message in catalogue(lang):
        if not (message.id and translated(message)):
            continue
        expected = set(PLACEHOLDER.findall(singular(message.id)))
        forms = message.string if isinstance(message.string, tuple) else [message.string]
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) == expected, (lang, message.id, form)


def test_kazakh_catalogue_is_written_in_kazakh_letters():
    text = " ".join(str(message.string) for message in catalogue("kk") if message.id)
    for letter in "әғқңөұүі":
        assert letter in text, letter


def test_compiled_translations_are_used():
    assert language.load_translations("ru").gettext("Datasets") == "Наборы данных"
    assert language.load_translations("kk").gettext("Datasets") == "Деректер жиынтықтары"
    assert language.load_translations("en").gettext("Datasets") == "Datasets"
    assert language.load_translations("xx").gettext("Datasets") == "Datasets"


# --- locale formatting (inline values) -----------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "22,365"), ("ru", "22\xa0365"), ("kk", "22\xa0365")],
)
def test_numbers_use_the_locale_group_separator(locale, expected):
    assert format_number(22365, locale=locale) == expected


def test_decimals_and_missing_values_by_locale():
    assert format_number(1234.5, locale="en") == "1,234.5"
    assert format_number(1234.5, locale="ru") == "1\xa0234,5"
    assert format_number(12.345, digits=1, locale="kk") == "12,3"
    assert format_number(None, locale="ru") == "—"
    assert format_number(float("nan"), locale="kk") == "—"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "November 20, 2026"), ("ru", "20 ноября 2026 г."), ("kk", "2026 ж. 20 қараша")],
)
def test_dates_in_the_locale_words(locale, expected):
    def spaced(text: str) -> str:  # CLDR puts a narrow no-break space before "г."/"ж."
        return text.replace("\u202f", " ").replace("\xa0", " ")

    assert spaced(format_date(datetime.date(2026, 11, 20), locale=locale)) == expected
    assert spaced(format_date(datetime.datetime(2026, 11, 20, 10, 0), locale=locale)) == expected
    assert spaced(format_date("2026-11-20", locale=locale)) == expected


def test_file_sizes_and_cells_by_locale():
    ru = language.load_translations("ru").gettext
    assert format_bytes(2_500_000, "ru", ru) == "2,4 МБ"
    assert format_bytes(2_500_000, "en") == "2.4 MB"
    assert format_bytes(87, "kk", language.load_translations("kk").gettext) == "87 байт"

    class Field:
        def __init__(self, type_):
            self.type = type_

    assert format_cell(2021, Field("year"), "ru") == "2021"
    assert format_cell(12345, Field("integer"), "ru") == "12\xa0345"
    assert format_cell(datetime.date(2022, 3, 1), Field("date"), "en") == "Mar 1, 2022"


# --- settings and metadata (inline values) ----------------------------------------------


def test_language_builds_put_the_default_at_the_root(tmp_path):
    settings = {
        "DEFAULT_LANG": "kk",
        "SITEURL": "https://data.example.kz/portal",
        "MOLDIR": {"languages": ["ru", "kk", "en"]},
    }
    builds = list(i18n.language_builds(settings, tmp_path))
    assert [b["DEFAULT_LANG"] for b in builds] == ["kk", "ru", "en"]
    assert [b["MOLDIR_LANG_PREFIX"] for b in builds] == ["", "ru", "en"]
    assert builds[0]["OUTPUT_PATH"] == str(tmp_path)
    assert builds[1]["OUTPUT_PATH"] == str(tmp_path / "ru")
    assert "SITEURL" not in builds[0]
    assert builds[1]["SITEURL"] == "https://data.example.kz/portal/ru"
    assert language.writes_root_files(builds[0]) and not language.writes_root_files(builds[1])
    assert builds[1]["MOLDIR_TRANSLATIONS"].gettext("News") == "Новости"
    settings["FEED_DOMAIN"] = "https://data.example.kz/portal"
    builds = list(i18n.language_builds(settings, tmp_path))
    assert "FEED_DOMAIN" not in builds[0]
    assert builds[2]["FEED_DOMAIN"] == "https://data.example.kz/portal/en"


def test_language_links_from_relative_and_absolute_pages():
    context = {
        "MOLDIR_LANGUAGES": ["kk", "ru", "en"],
        "DEFAULT_LANG": "ru",
        "MOLDIR_LANG_PREFIX": "ru",
        "SITEURL": "../..",
        "output_file": "datasets/blog-requests/index.html",
    }
    links = {link.code: link for link in i18n.language_links(context)}
    assert links["kk"].url == "../../../datasets/blog-requests/"
    assert links["en"].url == "../../../en/datasets/blog-requests/"
    assert links["ru"].current and links["kk"].name == "Қазақша"
    context.update(SITEURL="https://data.example.kz/portal/ru", output_file="index.html")
    links = {link.code: link for link in i18n.language_links(context)}
    assert links["kk"].url == "https://data.example.kz/portal/"
    assert links["en"].url == "https://data.example.kz/portal/en/"
    assert i18n.language_links({"MOLDIR_LANGUAGES": ["en"], "DEFAULT_LANG": "en"}) == []


def test_languages_are_named_in_themselves():
    assert [language.language_name(code) for code in LANGUAGES] == ["Қазақша", "Русский", "English"]
    assert language.language_name("uz") == "O\u2018zbek"  # CLDR
    assert language.language_name("zz") == "zz"


def test_default_language_must_be_listed(tmp_path):
    settings = {"DEFAULT_LANG": "kk", "MOLDIR": {"languages": ["ru", "en"]}}
    with pytest.raises(language.LanguageError, match="kk"):
        list(i18n.language_builds(settings, tmp_path))


def test_single_language_portal_has_no_sub_sites(tmp_path):
    builds = list(i18n.language_builds({"DEFAULT_LANG": "en", "SITEURL": ""}, tmp_path))
    assert len(builds) == 1 and builds[0]["MOLDIR_LANG_PREFIX"] == ""


DESCRIPTOR = {
    "title": "Receptions",
    "description": "Citizens received.",
    "resources": [{"name": "receptions", "title": "Receptions by body"}],
    "views": [{"name": "by-body", "title": "By body"}],
    "i18n": {
        "ru": {
            "title": "Приёмы",
            "resources": {"receptions": {"title": "Приёмы по органам"}},
        }
    },
}


def test_localized_metadata_and_its_fallback():
    title = language.localize(DESCRIPTOR, "title", "ru")
    assert title == "Приёмы" and not title.fallback and title.attr == ""
    description = language.localize(DESCRIPTOR, "description", "ru")
    assert description == "Citizens received." and description.fallback
    assert description.attr == ' lang="en"'
    assert (
        language.localize(DESCRIPTOR, "title", "ru", resource="receptions") == "Приёмы по органам"
    )
    view = language.localize(DESCRIPTOR, "title", "kk", view="by-body")
    assert view == "By body" and view.lang == "en"
    assert not language.localize(DESCRIPTOR, "title", "en").fallback


# --- the built portal -------------------------------------------------------------------


def language_root(site: Path, lang: str) -> Path:
    return site if lang == "kk" else site / lang


def html_pages(site: Path, lang: str) -> list[Path]:
    root = language_root(site, lang)
    pages = []
    for path in sorted(root.rglob("*.html")):
        relative = path.relative_to(root)
        if lang == "kk" and relative.parts[0] in FOREIGN:
            continue
        if relative.parts[0] in ("theme", "pagefind"):
            continue
        pages.append(path)
    return pages


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_its_language_and_alternates(site, lang):
    pages = html_pages(site, lang)
    assert len(pages) > 10
    for path in pages:
        page = soup(path)
        assert page.html.get("lang") == lang, path
        if not page.select_one(".moldir-header"):
            continue  # a bare page such as a chart to embed in other sites
        alternates = {
            link["hreflang"]: link["href"]
            for link in page.head.find_all("link", rel="alternate", hreflang=True)
        }
        assert set(alternates) >= {*LANGUAGES, "x-default"}, path
        assert alternates["x-default"] == alternates["kk"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switcher_links_lead_to_the_same_page_in_each_language(site, lang):
    root = language_root(site, lang)
    for path in html_pages(site, lang):
        if path.name == "404.html":  # links from the root, as it is served at any URL
            continue
        page = soup(path)
        if not page.select_one(".moldir-header"):
            continue
        switcher = page.select_one(".moldir-language-switcher")
        assert switcher, path
        links = switcher.find_all("a")
        assert {a["hreflang"] for a in links} == set(LANGUAGES) - {lang}, path
        current = switcher.select_one("[aria-current]")
        assert current.get("lang") == lang
        for link in links:
            assert link["lang"] == link["hreflang"]
            assert link.get_text(strip=True) == language.LANGUAGE_NAMES[link["lang"]]
            target = (path.parent / link["href"]).resolve()
            if target.is_dir() or link["href"].endswith("/"):
                target = target / "index.html"
            assert target.is_file(), (path, link["href"])
            other_root = language_root(site, link["lang"]).resolve()
            assert target.relative_to(other_root) == path.relative_to(root)
            assert soup(target).html["lang"] == link["lang"]


def chrome_text(page: BeautifulSoup) -> str:
    """Text of the theme around the content: header, navigation, footer."""
    return " ".join(part.get_text(" ", strip=True) for part in page.select("header, nav, footer"))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_english_theme_string_left_in_the_chrome(site, lang):
    english = {
        message.id
        for message in catalogue(lang)
        if isinstance(message.id, str) and message.string != message.id and " " in message.id
    }
    for path in html_pages(site, lang)[:40]:
        text = chrome_text(soup(path))
        left = sorted(m for m in english if "%(" not in m and m in text)
        assert not left, (path, left)


def test_translated_pages_and_articles_are_primary_in_each_language(site):
    titles = {
        "kk": ("Портал туралы", "Ашық мемлекеттік деректер порталы ашылды"),
        "ru": ("О портале", "Открылся портал открытых государственных данных"),
        "en": ("About this portal", "The open-government data portal opens"),
    }
    for lang, (about, article) in titles.items():
        root = language_root(site, lang)
        assert soup(root / "about" / "index.html").h1.get_text(strip=True) == about
        page = soup(root / "news" / "portal-opens" / "index.html")
        assert page.h1.get_text(strip=True) == article
        assert page.article.get("lang") is None  # no fallback: the page is in `lang`
    assert not (site / "pages").exists() and not list(site.glob("*-ru.html"))


def test_dataset_titles_are_translated(site):
    ru = soup(site / "ru" / "datasets" / "blog-requests" / "index.html")
    kk = soup(site / "datasets" / "blog-requests" / "index.html")
    en = soup(site / "en" / "datasets" / "blog-requests" / "index.html")
    assert ru.h1.get_text(strip=True).startswith("Обращения в блоги")
    assert re.search("[әғқңөұүі]", kk.h1.get_text())
    assert en.h1.get_text(strip=True).startswith("Requests")
    assert ru.h1.get("lang") is None


def main_text(path: Path) -> str:
    """Text of the page's main content, without charts (their axes are drawn by Vega)."""
    main = soup(path).main
    for chart in main.select("svg, figure, .moldir-chart"):
        chart.decompose()
    return main.get_text(" ")


def test_numbers_on_pages_follow_the_language(site):
    number = re.compile(r"\d{1,3}(?:[\xa0\u202f,]\d{3})+(?!\d)")
    # The home page and the appeals page (22,365 citizens received by the Akimat of Astana).
    pages = ("index.html", "appeals/index.html")
    ru = [n for page in pages for n in number.findall(main_text(site / "ru" / page))]
    en = [n for page in pages for n in number.findall(main_text(site / "en" / page))]
    assert ru and all("," not in n for n in ru), ru
    assert en and all("," in n for n in en), en


def test_root_files_are_written_once(site):
    """Downloads and the report exist at the root only; pages exist in every language."""
    for lang in FOREIGN:
        root = site / lang
        assert (root / "datasets" / "blog-requests" / "index.html").is_file()
        assert not (root / "quality" / "report.json").exists()
        assert not (root / "datasets" / "blog-requests" / "datapackage.json").exists()
        duplicated = sorted(
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file()
            and p.suffix != ".html"
            and p.relative_to(root).parts[0] != "theme"
            # Pelican's news feed: each language's has that language's articles.
            and not p.relative_to(root).as_posix().startswith("feeds/all.")
            and (site / p.relative_to(root)).is_file()
        )
        assert not duplicated, f"written again under /{lang}/: {duplicated}"
        data_files = [
            p for p in root.rglob("*") if p.suffix in {".csv", ".xlsx", ".zip", ".ics", ".jsonld"}
        ]
        assert not data_files, data_files
    assert (site / "datasets" / "blog-requests" / "datapackage.json").is_file()
    page = site / "ru" / "datasets" / "blog-requests" / "index.html"
    for link in soup(page).select("a[download]"):
        assert (page.parent / link["href"]).resolve().is_file(), link["href"]


def articles_in(lang: str) -> set[str]:
    """The titles of the example's news articles written in ``lang`` (their metadata)."""
    titles = set()
    for path in (ROOT / "content" / "articles").glob("*.md"):
        meta = dict(
            line.split(": ", 1)
            for line in path.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
        )
        if meta.get("Lang") == lang:
            titles.add(meta["Title"])
    return titles


def test_news_feed_of_each_language_lists_its_own_articles(site):
    import feedparser

    for lang in LANGUAGES:
        # FEED_ALL_ATOM is set in the example's settings: every language has its feed.
        feed_file = language_root(site, lang) / "feeds" / "all.atom.xml"
        assert feed_file.is_file(), f"no news feed for {lang}"
        feed = feedparser.parse(feed_file.read_bytes())
        assert not feed.bozo, (lang, feed.bozo_exception)
        expected = articles_in(lang)
        assert expected, f"the example has no article in {lang}"
        assert {entry.title for entry in feed.entries} == expected, lang
        prefix = "" if lang == "kk" else f"/{lang}"
        for entry in feed.entries:
            # The article's page in the feed's language, not a "-kk.html" translation file.
            assert not re.search(r"-(kk|ru|en)\.html", entry.link), entry.link
            path = entry.link.split("://", 1)[1].split("/", 1)[1]
            assert ("/" + path).startswith(prefix + "/"), (lang, entry.link)
            assert (site / path).is_file() or (site / path / "index.html").is_file(), entry.link


def test_untranslated_page_falls_back_to_the_original(project_copy):
    from moldir.site.build import build_site

    (project_copy / "content" / "pages" / "about.ru.md").unlink()
    output = project_copy / "output"
    build_site(project_copy / "pelicanconf.py", output)
    page = soup(output / "ru" / "about" / "index.html")
    assert page.html["lang"] == "ru"
    assert page.h1.get_text(strip=True) == "About this portal"
    assert page.find("article")["lang"] == "en"
    assert soup(output / "about" / "index.html").h1.get_text(strip=True) == "Портал туралы"


# --- the data in the reader's language (labels.py) ------------------------------------

APPEALS = "datasets/appeal-statistics-kazakhstan/index.html"


def field_rows(page: BeautifulSoup, resource: str) -> dict[str, list[str]]:
    """The field table of a resource: column name → its cells (title, type, constraints,
    description)."""
    caption = page.find(id=f"fields-{resource}-caption")
    assert caption is not None, f"no field table of {resource}"
    return {
        row.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
        for row in caption.find_parent("table").tbody.find_all("tr")
    }


@pytest.mark.parametrize(
    ("prefix", "channel", "yes", "required", "type_"),
    [
        ("", "Арна", "иә", "міндетті", "мәтін"),
        ("ru/", "Канал", "да", "обязательное", "текст"),
        ("en/", "Channel", "yes", "required", "text"),
    ],
)
def test_preview_and_field_table_speak_the_language(site, prefix, channel, yes, required, type_):
    page = soup(site / prefix / APPEALS)
    preview = page.find(id="preview-appeal-statistics")
    headers = [th.get_text(strip=True) for th in preview.thead.find_all("th")]
    assert channel in headers and "channel" not in headers
    cells = [td.get_text(strip=True) for td in preview.tbody.find_all(["td", "th"])]
    assert yes in cells
    assert not {"True", "False", "true", "false", "personal-reception"} & set(cells)
    fields = field_rows(page, "appeal-statistics")
    title, type_word, constraints, _description = fields["channel"]
    assert (title, type_word) == (channel, type_)
    assert constraints.startswith(required)
    # Each code is shown beside its label, as <code>, for data users.
    codes = page.find(id="fields-appeal-statistics-caption").find_parent("table")
    assert "personal-reception" in [code.get_text() for code in codes.find_all("code")]


def test_bodies_and_metadata_are_named_in_the_language(site):
    kk = soup(site / APPEALS)
    ru = soup(site / "ru" / APPEALS)
    assert "Астана қаласының әкімдігі" in kk.main.get_text()
    assert "Акимат города Астаны" in ru.main.get_text()
    assert "Akimat of Astana" not in ru.find(id="preview-appeal-statistics").get_text()
    about = ru.find(id="about-heading").find_parent("section").get_text(" ")
    assert "Астанинский хаб государственной службы" in about
    assert "Воспроизведение фрагментов разрешено" in about
    assert "обращения граждан" in about
    appeals = soup(site / "ru" / "appeals" / "index.html").main.get_text()
    assert "Акимат города Астаны" in appeals and "Akimat of Astana" not in appeals


def test_search_status_lines_are_translated(site):
    page = soup(site / "ru" / "search" / "index.html").find(attrs={"data-module": "moldir-search"})
    assert page["data-text-results-few"] == "{count} результата по запросу «{query}»"
    assert page["data-text-results-many"] == "{count} результатов по запросу «{query}»"
    kk = soup(site / "search" / "index.html").find(attrs={"data-module": "moldir-search"})
    assert kk["data-text-filtered-other"] == "Сүзгілерге {count} бет сәйкес келеді"


def test_reception_pages_name_bodies_and_positions_in_the_language(site):
    ru = soup(site / "ru" / "receptions" / "index.html").main.get_text(" ")
    kk = soup(site / "receptions" / "index.html").main.get_text(" ")
    assert "Министерство труда и социальной защиты населения" in ru
    assert "Еңбек және халықты әлеуметтік қорғау министрлігі" in kk
    assert "Ministry of" not in ru and "Ministry of" not in kk
    assert "Вице-министр" in ru and "Раз в месяц по утверждённому графику" in ru
