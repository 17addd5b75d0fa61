"""Every page type of the built portal under its Content-Security-Policy, in Chromium.

Each response is served with the policy of the built ``_headers`` file (what Netlify and
Cloudflare Pages send; the pages also carry it in a ``<meta>``), and a page fails on any
``securitypolicyviolation`` event, CSP console error or script error. The visually-impaired
mode, search (Pagefind's WebAssembly) and charts (tabs, tooltips, colours by class) must
still work under it. The first test shows the harness does catch a violation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from browser_support import DESKTOP

from moldir.site.csp import POLICY

pytestmark = pytest.mark.browser

# Recorded before any script of the page runs (init scripts are not subject to the CSP).
LISTENER = """
window.__moldirViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__moldirViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${where})`
  );
});
"""


def header_policy(site: Path) -> str:
    """The Content-Security-Policy the built ``_headers`` file sends for ``/*``."""
    block, policy = None, None
    for line in (site / "_headers").read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            block = line.strip()
        elif block == "/*" and line.strip().startswith("Content-Security-Policy:"):
            policy = line.split(":", 1)[1].strip()
    assert policy, "no Content-Security-Policy for /* in _headers"
    return policy


def page_types(site: Path, languages: tuple[str, ...] = ("", "en")) -> list[str]:
    """One URL path per kind of page (its folder pattern and depth) in each language
    folder: every template the portal renders."""
    chosen: dict[tuple, str] = {}
    language_folders = {p.name for p in site.iterdir() if p.is_dir() and (p / "datasets").is_dir()}
    for path in sorted(site.rglob("index.html")):
        parts = path.relative_to(site).parts[:-1]
        lang = parts[0] if parts and parts[0] in language_folders else ""
        if lang not in languages or "pagefind" in parts:
            continue
        inner = parts[1:] if lang else parts
        key = (lang, inner[:1], len(inner), inner[2:3] if inner[:1] == ("datasets",) else ())
        chosen.setdefault(key, "/" + "/".join(parts) + ("/" if parts else ""))
    return sorted(set(chosen.values()))


@pytest.fixture
def csp_context(browser, portal_root: Path):
    """A browser context whose every response carries the built site's CSP header."""
    policy = header_policy(portal_root)
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    context.set_default_timeout(15_000)

    def with_policy(route):
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": policy}
        )

    context.route("**/*", with_policy)
    context.add_init_script(LISTENER)
    try:
        yield context
    finally:
        context.close()


class Watched:
    """A page with every CSP violation, CSP console message and script error it raised."""

    def __init__(self, context):
        self.page = context.new_page()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def goto(self, url: str):
        response = self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(50)  # reports are queued as tasks after the event
        return response

    def problems(self) -> list[str]:
        violations = self.page.evaluate("window.__moldirViolations || []")
        return [*violations, *self.console, *self.errors]


def test_the_harness_catches_inline_script_and_style(csp_context, base_url):
    """An inline script and a style attribute injected into a page are blocked and reported."""

    def inject(route):
        response = route.fetch()
        body = response.text().replace(
            "</main>",
            '<p id="probe" style="color: rgb(255, 0, 0)">probe</p>'
            "<script>window.__injected = true;</script></main>",
        )
        route.fulfill(response=response, body=body)

    watched = Watched(csp_context)
    watched.page.route(re.compile(r".*/about/$"), inject)
    watched.goto(base_url + "/about/")
    assert watched.page.evaluate("window.__injected === undefined")
    color = watched.page.eval_on_selector("#probe", "e => getComputedStyle(e).color")
    assert color != "rgb(255, 0, 0)"
    problems = " ".join(watched.problems())
    assert "script-src" in problems and "style-src" in problems


def test_the_header_is_the_policy_of_the_pages(portal_root, built):
    """_headers sends moldir.site.csp.POLICY, and every page carries the same in its <meta>."""
    assert header_policy(portal_root) == POLICY
    for url in ("/", "/datasets/", "/en/search/"):
        meta = built.html(url).select_one('meta[http-equiv="Content-Security-Policy"]')
        assert meta is not None and meta["content"] == POLICY, url


def test_every_page_type_works_under_the_policy(csp_context, base_url, portal_root):
    urls = page_types(portal_root)
    # Home, catalogue, dataset, chart page, news list and article, pages, topic pages…
    assert len(urls) >= 20, urls
    watched = Watched(csp_context)
    failures: dict[str, list[str]] = defaultdict(list)
    for url in [*urls, "/no/such/page/"]:
        response = watched.goto(base_url + url)
        assert response.headers.get("content-security-policy") == POLICY
        # vi-head.js (a file now, not inline) ran before the first paint.
        if not watched.page.evaluate("document.documentElement.classList.contains('moldir-js')"):
            failures[url].append("vi-head.js did not run")
        failures[url].extend(watched.problems())
        watched.errors.clear()
        watched.console.clear()
    assert not {url: found for url, found in failures.items() if found}


def test_international_example_works_under_the_policy(
    browser, international_url, site_international
):
    """The international example's pages (the budget pages, the foreign appeal and
    reception data) under the same policy, sent as a header."""
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    context.set_default_timeout(15_000)

    def with_policy(route):
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": POLICY}
        )

    context.route("**/*", with_policy)
    context.add_init_script(LISTENER)
    try:
        urls = page_types(site_international)
        for required in ("/budget/", "/en/budget/", "/appeals/", "/receptions/"):
            assert required in urls, urls
        assert any(url.startswith("/budget/") and url != "/budget/" for url in urls), urls
        watched = Watched(context)
        failures: dict[str, list[str]] = defaultdict(list)
        for url in urls:
            watched.goto(international_url + url)
            failures[url].extend(watched.problems())
            watched.errors.clear()
            watched.console.clear()
        assert not {url: found for url, found in failures.items() if found}
    finally:
        context.close()


def test_vi_mode_toggle_and_saved_settings_work_under_the_policy(csp_context, base_url):
    watched = Watched(csp_context)
    page = watched.page
    watched.goto(base_url + "/en/")
    page.locator(".moldir-vi-toggle").click()
    page.locator("#moldir-vi-panel input[name=moldir-vi-scheme][value=blue]").check()
    assert page.evaluate("document.documentElement.getAttribute('data-vi-scheme')") == "blue"
    watched.goto(base_url + "/en/datasets/")  # applied by vi-head.js on the next page
    assert page.evaluate("document.documentElement.getAttribute('data-vi-scheme')") == "blue"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(157, 209, 255)"
    assert watched.problems() == []


def test_search_runs_its_webassembly_under_the_policy(csp_context, base_url):
    watched = Watched(csp_context)
    page = watched.page
    watched.goto(base_url + "/en/search/?q=Astana")
    page.wait_for_function(
        "() => document.querySelectorAll('.moldir-search-result').length > 0", timeout=15_000
    )
    excerpt = page.locator(".moldir-search-result__excerpt").first
    assert excerpt.locator("mark").count() >= 1
    assert watched.problems() == []


def test_charts_are_coloured_and_interactive_under_the_policy(csp_context, base_url):
    watched = Watched(csp_context)
    page = watched.page
    watched.goto(base_url + "/en/datasets/receptions-akimats/")
    chart = "#chart-receptions-akimats-citizens-received-by-akimat"
    # Colours come from classes now that the SVG has no style attribute.
    assert page.locator(f"{chart} svg [style]").count() == 0
    bar = f"{chart} svg [data-cell]"
    assert page.eval_on_selector(bar, "e => getComputedStyle(e).fill") == "rgb(18, 67, 109)"
    axis = f"{chart} svg .moldir-stroke-chart-axis"
    assert page.eval_on_selector(axis, "e => getComputedStyle(e).stroke") == "rgb(80, 90, 95)"
    # chart.js: tabs, and a tooltip on a focused mark (positioned through the DOM).
    assert page.locator(f"{chart} [role=tab]").count() == 2
    page.locator(f"{chart} svg [data-cell][tabindex]").first.focus()
    assert page.locator(f"{chart}-tooltip").is_visible()
    assert watched.problems() == []


def test_topic_bars_are_drawn_without_inline_style(csp_context, base_url):
    watched = Watched(csp_context)
    page = watched.page
    watched.goto(base_url + "/en/appeals/")
    bars = page.locator(".moldir-topic__bar-fill")
    assert bars.count() > 0
    widths = bars.evaluate_all("rects => rects.map(r => r.getBoundingClientRect().width)")
    assert max(widths) > 50 and min(widths) >= 0
    assert watched.problems() == []
