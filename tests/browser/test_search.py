"""Search in a real browser: queries typed in each language, filters, the header form,
keyboard use, axe, and the page without JavaScript.

The built example portal is served under a sub-path (``/portal/``) to check that the
Pagefind bundle and result links work wherever the site is hosted. Chromium and the
browser context come from tests/browser/conftest.py (Debian's Chromium; skipped when it
is absent, except in CI).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import PHONE, SCHEMES, store_vi_settings, vi_settings

pytestmark = pytest.mark.browser

PREFIX = "/portal"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder at ``PREFIX``; anything outside it is a 404."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX + "/"):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path(path[len(PREFIX) :])

    def log_message(self, *args) -> None:  # keep the test output readable
        pass


@pytest.fixture(scope="module")
def search_url(site: Path) -> Iterator[str]:
    """The root URL of the built portal, served from a sub-path on 127.0.0.1."""
    handler = functools.partial(SubPathHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(context):
    """A page of the shared Chromium (tests/browser/conftest.py) failing on script errors."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"JavaScript errors: {errors}"


def language_folder(site: Path, lang: str) -> str:
    """The folder of a language's site ("" for the default), or skip if not built."""
    if lang == "kk" and (site / "search" / "index.html").is_file():
        html = (site / "search" / "index.html").read_text(encoding="utf-8")
        if 'lang="kk"' in html:
            return ""
    if (site / lang / "search" / "index.html").is_file():
        return f"{lang}/"
    pytest.fail(f"the portal has no {lang} version")


def status(page) -> str:
    return page.locator("[data-search-status]").inner_text()


def wait_for_results(page, previous: str = "") -> str:
    """Wait until the live region reports a count (and differs from ``previous``)."""
    page.wait_for_function(
        """(previous) => {
            const text = document.querySelector("[data-search-status]").textContent;
            const list = document.querySelector("[data-search-list]");
            return /\\d/.test(text) && text !== previous
                && list.getAttribute("aria-busy") === "false";
        }""",
        arg=previous,
        timeout=15000,
    )
    return status(page)


def result_links(page) -> list[str]:
    return page.locator(".moldir-search-result a").evaluate_all(
        "links => links.map(link => new URL(link.href).pathname)"
    )


def count_in(text: str) -> int:
    digits = re.search(r"\d[\d\s,.\u00a0\u202f]*", text)
    assert digits, text
    return int(re.sub(r"\D", "", digits.group()))


def open_search(page, url: str) -> None:
    """Open a search page and wait until its script has loaded the index.

    Without a query in the address the engine loads when the reader turns to the form
    (search.js, startOnIntent): focusing the search field is that intent.
    """
    page.goto(url)
    if "?" not in url:
        page.get_by_role("searchbox").focus()
    page.wait_for_selector("[data-module=moldir-search][data-search-ready]", state="attached")


def test_the_engine_loads_only_when_the_reader_asks_for_a_search(page, site, search_url):
    """Pagefind (its WebAssembly and indexes) is not fetched by merely opening /search/."""
    folder = language_folder(site, "kk")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{search_url}/{folder}search/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "/pagefind/" in url], fetched
    field = page.get_by_role("searchbox")
    field.focus()
    field.press_sequentially("әкім")  # typed while the engine loads: kept
    page.wait_for_selector("[data-module=moldir-search][data-search-ready]", state="attached")
    assert [url for url in fetched if "/pagefind/" in url]
    assert field.input_value() == "әкім"


def search(page, base: str, folder: str, query: str) -> str:
    open_search(page, f"{base}/{folder}search/")
    field = page.get_by_role("searchbox")
    field.fill(query)
    field.press("Enter")
    return wait_for_results(page)


def test_english_query_finds_datasets_about_astana(page, site, search_url):
    folder = language_folder(site, "en")
    text = search(page, search_url, folder, "Astana")
    links = result_links(page)
    assert f"{PREFIX}/{folder}datasets/receptions-akimats/" in links
    assert all(link.startswith(f"{PREFIX}/{folder}") for link in links), links
    assert count_in(text) >= len(links) > 0
    assert "Astana" in text


def test_a_field_title_finds_the_dataset(page, site, search_url):
    folder = language_folder(site, "en")
    search(page, search_url, folder, "citizens received")
    assert f"{PREFIX}/{folder}datasets/receptions-akimats/" in result_links(page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Шымкент", "blog-requests"), ("Астана", "front-office-visits")],
)
def test_russian_queries_find_russian_pages(page, site, search_url, query, expected):
    folder = language_folder(site, "ru")
    search(page, search_url, folder, query)
    links = result_links(page)
    assert f"{PREFIX}/{folder}datasets/{expected}/" in links, links
    assert all(link.startswith(f"{PREFIX}/{folder}") for link in links), links
    title = page.locator(".moldir-search-result a").first.inner_text()
    assert re.search("[а-яё]", title.lower()), title


@pytest.mark.parametrize("query", ["әкімдік", "Әкімдіктердегі", "қабылдау", "акимдик", "кабылдау"])
def test_kazakh_queries_with_and_without_kazakh_letters(page, site, search_url, query):
    folder = language_folder(site, "kk")
    search(page, search_url, folder, query)
    links = result_links(page)
    assert f"{PREFIX}/{folder}datasets/receptions-akimats/" in links, links
    # Only the Kazakh site answers: no page of /ru/ or /en/.
    assert not any(re.match(rf"{PREFIX}/(ru|en)/", link) for link in links), links


def test_a_filter_narrows_the_results_and_updates_the_address(page, site, search_url):
    folder = language_folder(site, "en")
    before = count_in(search(page, search_url, folder, "Astana"))
    options = page.locator("[data-search-filters] fieldset").first.locator(".moldir-search__option")
    narrowing = None
    for index in range(options.count()):
        count = count_in(options.nth(index).locator("label").inner_text().split("(")[-1])
        if 0 < count < before:
            narrowing = (options.nth(index), count)
            break
    assert narrowing, "no filter value narrows the results for 'Astana'"
    option, expected = narrowing
    text = status(page)
    option.locator("input").check()
    after = count_in(wait_for_results(page, text))
    assert after == expected < before
    assert len(result_links(page)) == min(after, 10)
    name = option.locator("input").get_attribute("name")
    assert f"{name}=" in page.url
    # The address keeps the filter: reloading shows the same narrowed results.
    page.reload()
    assert count_in(wait_for_results(page)) == after
    assert page.locator("[data-search-filters] input:checked").count() == 1


def test_newest_first_sorts_by_date(page, site, search_url):
    folder = language_folder(site, "en")
    search(page, search_url, folder, "Astana")
    page.get_by_label(re.compile("Sort by")).select_option("date:desc")
    page.wait_for_url(re.compile("sort=date"))
    wait_for_results(page)
    assert page.locator(".moldir-search-result").count() > 1
    dates = page.locator(".moldir-search-result__meta").evaluate_all(
        "lines => lines.map(line => (line.textContent.match(/\\d{4}-\\d{2}-\\d{2}/) || [''])[0])"
    )
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert "sort=date" in page.url


def test_header_form_opens_the_search_page_with_the_query(page, site, search_url):
    folder = language_folder(site, "en")
    page.goto(f"{search_url}/{folder}datasets/")
    header = page.locator("header form[role=search]")
    header.get_by_role("searchbox").fill("Astana")
    header.get_by_role("searchbox").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Astana"))
    wait_for_results(page)
    assert page.get_by_role("searchbox").input_value() == "Astana"
    assert f"{PREFIX}/{folder}datasets/receptions-akimats/" in result_links(page)


def test_keyboard_only_search_filter_and_more(page, site, search_url):
    folder = language_folder(site, "en")
    page.goto(f"{search_url}/{folder}search/")
    # From the top of the page, Tab reaches the search field (whose focus starts the engine).
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q":
            break
    assert page.evaluate("document.activeElement.name") == "q"
    page.wait_for_selector("[data-module=moldir-search][data-search-ready]", state="attached")
    page.keyboard.type("citizens")
    page.keyboard.press("Enter")
    text = wait_for_results(page)
    # Tab on to the first filter checkbox and tick it with the space bar.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    assert page.evaluate("document.activeElement.type") == "checkbox"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    name = page.evaluate("document.activeElement.name")
    page.wait_for_url(re.compile(rf"[?&]{name}="))
    assert count_in(wait_for_results(page)) <= count_in(text)


def test_show_more_moves_focus_to_the_first_new_result(page, site, search_url):
    folder = language_folder(site, "en")
    page.goto(f"{search_url}/{folder}search/?q=a")
    wait_for_results(page)
    more = page.locator("[data-search-more]")
    if more.is_hidden():
        pytest.skip("fewer than 11 results: nothing to show more of")
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.moldir-search-result').length > 10")
    focused = page.evaluate("document.activeElement.closest('.moldir-search-result') !== null")
    index = page.evaluate(
        "[...document.querySelectorAll('.moldir-search-result')]"
        ".indexOf(document.activeElement.closest('.moldir-search-result'))"
    )
    assert focused and index == 10


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_search_page_with_results_passes_axe(page, site, search_url, lang):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    folder = language_folder(site, lang)
    query = {"kk": "әкімдік", "ru": "акимат", "en": "Astana"}[lang]
    page.goto(f"{search_url}/{folder}search/?q={query}")
    wait_for_results(page)
    results = axe_module.Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_results_reflow_at_320_pixels(browser, site, search_url):
    folder = language_folder(site, "en")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{search_url}/{folder}search/?q=Astana")
        wait_for_results(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()


def test_without_javascript_the_page_explains_and_links_to_the_catalogue(browser, site, search_url):
    folder = language_folder(site, "en")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{search_url}/{folder}search/?q=Astana")
        fallback = page.locator("[data-search-fallback]")
        assert fallback.is_visible()
        link = fallback.get_by_role("link")
        assert link.get_attribute("href")
        link.click()
        assert page.url.endswith(f"{PREFIX}/{folder}datasets/")
        assert page.locator("main h1").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_results_in_each_vi_colour_scheme_pass_axe_aaa_contrast(browser, site, search_url, scheme):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    folder = language_folder(site, "en")
    context = browser.new_context()
    store_vi_settings(context, vi_settings(scheme=scheme, font="200"))
    page = context.new_page()
    try:
        open_search(page, f"{search_url}/{folder}search/?q=Astana")
        wait_for_results(page)
        page.locator("[data-search-filters] input").first.check()
        page.wait_for_url(re.compile(r"[?&]type="))
        wait_for_results(page)
        results = axe_module.Axe().run(
            page,
            context={"include": [["main"]]},
            options={"runOnly": {"type": "tag", "values": [*AXE_TAGS, "wcag2aaa"]}},
        )
        violations = results.response["violations"]
        assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    finally:
        context.close()
