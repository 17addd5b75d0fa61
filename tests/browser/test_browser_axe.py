"""axe-core on every page type, in the normal mode and in each VI colour scheme.

axe-core is the copy bundled in axe-playwright-python (injected into the page; no network).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import (
    LANGUAGES,
    PAGE_TYPES,
    SCHEMES,
    in_language,
    parse_color,
    store_vi_settings,
    vi_settings,
)

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()


def violations(page, run_only: dict) -> list[str]:
    """Readable violations: rule, impact, the first offending nodes.

    axe is injected once per page (it is 0.5 MB): later runs on the same page reuse it.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.axe_script)
    response = page.evaluate("options => axe.run(document, options)", {"runOnly": run_only})
    found = []
    for violation in response["violations"]:
        nodes = "; ".join(
            f"{' '.join(map(str, node['target']))}: {node.get('failureSummary', '')[:160]}"
            for node in violation["nodes"][:4]
        )
        found.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}): {nodes}"
        )
    return found


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function("document.documentElement.hasAttribute('lang')")


# Every page type in every language (their words, labels and lengths differ); the 404
# page is one page for every path.
LANGUAGE_CASES = [
    (page_type, lang)
    for page_type in PAGE_TYPES
    for lang in LANGUAGES
    if page_type != "not-found" or lang == LANGUAGES[0]
]
# The VI schemes in every language on the pages with the most tables and figures.
VI_LANGUAGE_CASES = [(page_type, LANGUAGES[0]) for page_type in PAGE_TYPES] + [
    (page_type, lang)
    for page_type in ("appeals", "budget", "dataset", "chart")
    for lang in LANGUAGES[1:]
]


@pytest.mark.parametrize(("page_type", "lang"), LANGUAGE_CASES)
def test_page_has_no_axe_violations(page, url_of, page_type, lang):
    open_page(page, in_language(url_of(page_type), lang))
    assert violations(page, {"type": "tag", "values": WCAG_AA}) == []
    assert page.script_errors == []


# A VI scheme changes colours and sizes, not the page's structure: every page is checked in
# every scheme by the rules that colours decide (7:1 text contrast implies 4.5:1), and by
# every WCAG 2.2 AA rule in one scheme per page (rotating, so each scheme gets full runs).
COLOUR_RULES = {"type": "rule", "values": ["color-contrast-enhanced", "link-in-text-block"]}
FULL_RUN_SCHEME = {
    page_type: sorted(SCHEMES)[index % len(SCHEMES)] for index, page_type in enumerate(PAGE_TYPES)
}


@pytest.mark.parametrize(("page_type", "lang"), VI_LANGUAGE_CASES)
def test_vi_schemes_pass_axe_and_aaa_contrast(context, url_of, page_type, lang):
    """Each scheme in turn on one page: saved settings for the first (through the <head>
    script), then the attributes moldir.js sets when a reader picks another scheme."""
    schemes = sorted(SCHEMES)
    store_vi_settings(context, vi_settings(scheme=schemes[0], font="150"))
    page = context.new_page()
    open_page(page, in_language(url_of(page_type), lang))
    found = {}
    for scheme in schemes:
        page.evaluate("s => document.documentElement.setAttribute('data-vi-scheme', s)", scheme)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert parse_color(background) == parse_color(SCHEMES[scheme][1]), scheme
        problems = violations(page, COLOUR_RULES)
        if FULL_RUN_SCHEME[page_type] == scheme:
            problems += violations(page, {"type": "tag", "values": WCAG_AA})
        if problems:
            found[scheme] = problems
    assert found == {}
