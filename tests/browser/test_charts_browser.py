"""Charts in a real browser: tabs and keyboard tooltips, no-JavaScript reading, colours that
follow the page's colour scheme (the shared Chromium of tests/browser/conftest.py)."""

import pytest

CHART = "#chart-blog-requests-requests-by-body-and-period"


@pytest.mark.browser
def test_chart_tabs_and_keyboard_tooltips(browser, base_url):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "/en/datasets/blog-requests/")
    tabs = page.locator(f"{CHART} [role=tab]")
    assert tabs.count() == 2
    assert page.is_visible(f"{CHART}-chart") and page.is_hidden(f"{CHART}-table")
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    assert page.is_visible(f"{CHART}-table") and page.is_hidden(f"{CHART}-chart")
    page.keyboard.press("ArrowLeft")
    # The wide drawing at 1280 px (the narrow one is display: none, its marks unreachable).
    marks = page.locator(f"{CHART} svg.moldir-chart__svg--wide [data-cell][tabindex]")
    assert (
        page.locator(f"{CHART} svg.moldir-chart__svg--wide [data-cell][tabindex='0']").count() == 1
    )
    marks.first.focus()
    tooltip = page.locator(f"{CHART}-tooltip")
    assert tooltip.is_visible()
    cell = page.locator(f"{CHART} td[data-cell='0-0']").inner_text()
    assert tooltip.inner_text().endswith(": " + cell)
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.getAttribute('data-cell')")
    assert focused == "0-1"
    page.keyboard.press("Escape")
    assert tooltip.is_hidden()
    assert errors == []
    page.close()


@pytest.mark.browser
def test_chart_without_javascript_shows_chart_alternative_and_table(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/en/datasets/blog-requests/")
    assert page.locator(f"{CHART} svg[role=img]:visible").count() == 1
    assert page.is_visible(f"{CHART}-alt") and page.is_visible(f"{CHART} table")
    context.close()


@pytest.mark.browser
def test_chart_colours_follow_the_page_colour_scheme(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/en/datasets/receptions-akimats/")
    bar = "#chart-receptions-akimats-citizens-received-by-akimat svg [data-cell]"
    assert page.eval_on_selector(bar, "e => getComputedStyle(e).fill") == "rgb(18, 67, 109)"
    page.evaluate(
        "document.documentElement.style.setProperty('--moldir-chart-1', '#ffdd00');"
        "document.documentElement.style.setProperty('--moldir-chart-text', '#00ff00')"
    )
    assert page.eval_on_selector(bar, "e => getComputedStyle(e).fill") == "rgb(255, 221, 0)"
    label = "#chart-receptions-akimats-citizens-received-by-akimat svg text"
    assert page.eval_on_selector(label, "e => getComputedStyle(e).fill") == "rgb(0, 255, 0)"
    page.close()
