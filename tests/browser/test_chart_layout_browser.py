"""Charts as readers see them in Debian's Chromium: text measured from the rendered SVG at
320×640 and 1280×900, in the normal mode and in the VI mode at 100/150/200 % in every
colour scheme; contrast of the series drawn against the background and their neighbours;
no label cut, no sideways page scroll; "images off" keeps the table; chart pages with the
portal's frame and a frameless embed page. A missing chart or page fails, never skips."""

from __future__ import annotations

import itertools

import pytest
from browser_support import DESKTOP, PHONE, SCHEMES, contrast, store_vi_settings, vi_settings

# (page, a figure on it): a ranked bar chart in Kazakh (rows on a phone), a grouped bar
# chart of three series in Russian, a chart page and its embed variant in English.
APPEALS = "chart-appeal-statistics-kazakhstan-citizens-received-by-body"
BLOG = "chart-blog-requests-requests-by-body-and-period"
BLOG_PAGE = "/en/datasets/blog-requests/charts/requests-by-body-and-period/"
PAGES = [
    ("/datasets/appeal-statistics-kazakhstan/", APPEALS),
    ("/ru/datasets/blog-requests/", BLOG),
    (BLOG_PAGE, BLOG),
    (BLOG_PAGE + "embed/", BLOG),
]
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

# Every visible chart text: its rendered size (font size × the SVG's scale on screen), and
# whether its box lies inside the chart's drawing; the page's sideways overflow.
MEASURE = """
(figureId) => {
  const figure = document.getElementById(figureId);
  if (!figure) return {missing: true};
  const svgs = [...figure.querySelectorAll('svg.moldir-chart__svg')]
    .filter(svg => getComputedStyle(svg).display !== 'none' && svg.getClientRects().length);
  const texts = [];
  for (const svg of svgs) {
    const frame = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const ctm = text.getScreenCTM();
      const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(ctm.a, ctm.b);
      const box = text.getBoundingClientRect();
      const inside = box.left >= frame.left - 1 && box.right <= frame.right + 1 &&
                     box.top >= frame.top - 1 && box.bottom <= frame.bottom + 1;
      texts.push({text: text.textContent.trim(), size, inside});
    }
  }
  const root = document.documentElement;
  return {
    visible: svgs.map(svg => svg.getAttribute('class')),
    fits: svgs.every(svg => svg.getBoundingClientRect().width <=
                            svg.closest('.moldir-chart__image').clientWidth + 1),
    texts,
    pageOverflow: root.scrollWidth - root.clientWidth,
    rootFont: parseFloat(getComputedStyle(root).fontSize),
  };
}
"""

# The colours a scheme paints: the page background, the series custom properties, and the
# fills of the marks of every visible chart (computed, after the page's CSS).
COLOURS = """
(figureId) => {
  const figure = document.getElementById(figureId);
  const root = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  const svg = [...figure.querySelectorAll('svg.moldir-chart__svg')]
    .find(s => getComputedStyle(s).display !== 'none');
  const series = [1, 2, 3, 4, 5, 6].map(n => root.getPropertyValue('--moldir-chart-' + n).trim());
  const marks = [...svg.querySelectorAll('[data-cell]')].map(m => getComputedStyle(m).fill);
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => ({fill: getComputedStyle(t).fill, halo: getComputedStyle(t).stroke,
                order: getComputedStyle(t).paintOrder}));
  const gridLines = svg.querySelectorAll('.role-axis-grid line, .role-axis-grid path').length;
  return {background: body.backgroundColor, series, marks, texts, gridLines};
}
"""


def open_page(browser, base_url, path, viewport, settings=None, javascript=True):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    if settings:
        store_vi_settings(context, settings)
    page = context.new_page()
    response = page.goto(base_url + path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("load")
    return context, page


def measure(page, figure_id):
    result = page.evaluate(MEASURE, figure_id)
    assert not result.get("missing"), f"no figure #{figure_id}"
    assert len(result["visible"]) == 1, f"one drawing of the chart shown: {result['visible']}"
    assert result["texts"], "the chart has no text"
    return result


@pytest.mark.browser
@pytest.mark.parametrize(("path", "figure_id"), PAGES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_chart_text_is_at_least_12px_and_never_cut(browser, base_url, path, figure_id, viewport):
    context, page = open_page(browser, base_url, path, VIEWPORTS[viewport])
    try:
        result = measure(page, figure_id)
        expected = "narrow" if viewport == "phone" else "wide"
        assert f"moldir-chart__svg--{expected}" in result["visible"][0]
        small = [t for t in result["texts"] if t["size"] < 11.99]
        assert not small, f"text below 12 px: {small[:5]}"
        cut = [t["text"] for t in result["texts"] if not t["inside"] or "…" in t["text"]]
        assert not cut, f"labels cut or outside the drawing: {cut[:5]}"
        assert result["pageOverflow"] <= 0, "the page scrolls sideways"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("path", "figure_id"), PAGES[:2])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(("font", "factor"), [("100", 1.0), ("150", 1.5), ("200", 2.0)])
def test_vi_font_size_scales_chart_text(browser, base_url, path, figure_id, viewport, font, factor):
    settings = vi_settings(font=font, scheme="bw")
    context, page = open_page(browser, base_url, path, VIEWPORTS[viewport], settings)
    try:
        result = measure(page, figure_id)
        assert result["rootFont"] == pytest.approx(16 * factor)
        if font != "100":
            # Bar charts: the compact drawing on a phone, the narrow one scaled up elsewhere.
            expected = "compact" if viewport == "phone" else "narrow"
            assert f"moldir-chart__svg--{expected}" in result["visible"][0]
            assert result["fits"], "the chart is wider than its column"
        small = [t for t in result["texts"] if t["size"] < 12 * factor - 0.01]
        assert not small, f"chart text below {12 * factor} px at {font} %: {small[:5]}"
        cut = [t["text"] for t in result["texts"] if not t["inside"]]
        assert not cut, f"labels outside the drawing: {cut[:5]}"
        assert result["pageOverflow"] <= 0, "the page scrolls sideways"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_scheme_keeps_series_and_marks_3_to_1(browser, base_url, scheme, viewport):
    path, figure_id = PAGES[1]  # three series side by side
    settings = vi_settings(font="100", scheme=scheme)
    context, page = open_page(browser, base_url, path, VIEWPORTS[viewport], settings)
    try:
        colours = page.evaluate(COLOURS, figure_id)
        background = colours["background"]
        assert contrast(background, SCHEMES[scheme][1]) == pytest.approx(1.0)
        series = colours["series"]
        assert all(series), series
        for colour in series:
            assert contrast(colour, background) >= 3, (scheme, colour)
        for first, second in itertools.pairwise(series):
            assert contrast(first, second) >= 3, (scheme, first, second)
        assert colours["marks"], "no bars drawn"
        for fill in set(colours["marks"]):
            assert contrast(fill, background) >= 3, (scheme, fill)
        for text in colours["texts"]:
            assert contrast(text["fill"], background) >= 4.5, (scheme, text)
            # A halo of the background: a line behind a label never crosses its letters.
            assert "stroke" in text["order"] and contrast(text["halo"], background) < 1.01
        assert colours["gridLines"] == 0, "a grid behind the value labels of bars"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_images_off_keeps_the_alternative_and_the_table(browser, base_url, viewport):
    path, figure_id = PAGES[1]
    settings = vi_settings(images="off")
    context, page = open_page(browser, base_url, path, VIEWPORTS[viewport], settings)
    try:
        figure = f"#{figure_id}"
        assert page.locator(f"{figure} svg.moldir-chart__svg").evaluate_all(
            "svgs => svgs.every(s => getComputedStyle(s).display === 'none')"
        )
        assert page.is_visible(f"{figure}-alt")
        assert page.is_visible(f"{figure} table")
        assert page.locator(f"{figure} table tbody tr").count() > 0
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_a_readable_chart_and_the_table_remain(browser, base_url):
    path, figure_id = PAGES[0]
    context, page = open_page(browser, base_url, path, PHONE, javascript=False)
    try:
        result = measure(page, figure_id)
        assert min(t["size"] for t in result["texts"]) >= 11.99
        assert page.is_visible(f"#{figure_id}-alt") and page.is_visible(f"#{figure_id} table")
    finally:
        context.close()


@pytest.mark.browser
def test_chart_page_has_the_portal_frame_and_embed_page_none(browser, base_url):
    path = PAGES[2][0]
    context, page = open_page(browser, base_url, path, PHONE)
    try:
        assert page.locator("a.moldir-skip-link").count() == 1
        assert page.is_visible("header.moldir-header")
        assert page.is_visible("button.moldir-vi-toggle")
        assert page.locator("nav.moldir-language-switcher a[hreflang]").count() >= 2
        page.goto(base_url + path + "embed/")
        assert page.locator("header, .moldir-skip-link, .moldir-vi-toggle, footer").count() == 0
        assert page.is_visible("figure.moldir-chart")
    finally:
        context.close()
