"""What axe cannot check: skip link, keyboard focus, reflow, text spacing, 200% text, lang."""

from __future__ import annotations

import pytest
from browser_support import (
    LANGUAGES,
    PAGE_TYPES,
    PHONE,
    in_language,
    store_vi_settings,
    vi_settings,
)

pytestmark = pytest.mark.browser

# WCAG 1.4.12's bookmarklet: the spacing a user may impose without losing content.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

HORIZONTAL_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest('.moldir-table-region, [role=region][tabindex], pre')) continue;
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      wide.push(`${element.outerHTML.slice(0, 80)} ends at ${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""

# Text clipped by an element that hides its overflow (1.4.12: "no loss of content").
CLIPPED_TEXT = """() => {
  const clipped = [];
  for (const element of document.querySelectorAll('body *')) {
    const style = getComputedStyle(element);
    if (!/(hidden|clip)/.test(style.overflowX + style.overflowY)) continue;
    if (element.closest('.moldir-visually-hidden, [hidden]') || element.clientWidth <= 1) continue;
    const tall = element.scrollHeight > element.clientHeight + 2;
    if (tall || element.scrollWidth > element.clientWidth + 2) {
      clipped.push(element.outerHTML.slice(0, 80));
    }
  }
  return clipped;
}"""


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="load")


# Pages with the widest tables, checked in every language (their words differ in length).
TABLE_PAGES = [
    "appeals",
    "budget",
    "budget-administrator",
    "dataset",
    "receptions",
    "international-appeals",
    "international-dataset",
]


def assert_no_horizontal_scrolling(page) -> None:
    result = page.evaluate(HORIZONTAL_OVERFLOW)
    assert result["scrollWidth"] <= result["width"], result
    assert result["wide"] == [], result


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, url_of):
    open_page(page, url_of("dataset"))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(e => ({cls: e.className, href: e.getAttribute('href'),"
        " visible: e.getBoundingClientRect().height > 0}))(document.activeElement)"
    )
    assert focused == {"cls": "moldir-skip-link", "href": "#main-content", "visible": True}
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def reflow_cases() -> list:
    cases = [(page_type, "kk") for page_type in PAGE_TYPES]
    cases += [(page_type, lang) for page_type in TABLE_PAGES for lang in LANGUAGES[1:]]
    return cases


@pytest.mark.parametrize(("page_type", "lang"), reflow_cases())
def test_reflows_at_320_css_pixels(browser, url_of, page_type, lang):
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        open_page(page, in_language(url_of(page_type), lang))
        assert_no_horizontal_scrolling(page)
        # Tables that are wider than the screen scroll inside a labelled, focusable region.
        regions = page.evaluate(
            """() => [...document.querySelectorAll('table')].filter(t => t.offsetWidth > 0)
               .map(t => {
                 const region = t.closest('[role=region]');
                 const name = region && (region.getAttribute('aria-labelledby')
                   || region.getAttribute('aria-label'));
                 return region ? {tabindex: region.getAttribute('tabindex'), named: !!name}
                   : {tabindex: null, named: false, fits: t.offsetWidth <= innerWidth};
               })"""
        )
        for region in regions:
            assert region.get("fits") or region == {"tabindex": "0", "named": True}, region
    finally:
        context.close()


def add_user_style(page, css: str) -> None:
    """Styles a reader adds (a bookmarklet, an extension), through the CSSOM: the pages'
    Content-Security-Policy refuses an inline <style> (docs/security.md)."""
    page.evaluate(
        """css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);
                    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }""",
        css,
    )


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_text_spacing_override_loses_no_content(browser, url_of, page_type):
    """WCAG 1.4.12's spacing on a phone (320 px) and a desktop."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        open_page(page, url_of(page_type))
        add_user_style(page, TEXT_SPACING_CSS)
        assert_no_horizontal_scrolling(page)
        assert page.evaluate(CLIPPED_TEXT) == []
        page.set_viewport_size({"width": 1280, "height": 900})
        assert_no_horizontal_scrolling(page)
        assert page.evaluate(CLIPPED_TEXT) == []
    finally:
        context.close()


def vi_cases() -> list:
    cases = [(page_type, "kk") for page_type in PAGE_TYPES]
    cases += [(page_type, lang) for page_type in TABLE_PAGES for lang in LANGUAGES[1:]]
    return cases


@pytest.mark.parametrize(("page_type", "lang"), vi_cases())
def test_vi_200_percent_text_does_not_scroll_sideways(browser, url_of, page_type, lang):
    """The largest VI text, widest spacing and tallest lines, on a desktop and a phone."""
    context = browser.new_context(viewport=PHONE)
    try:
        store_vi_settings(
            context, vi_settings(font="200", spacing="wider", line="2.5", family="serif")
        )
        page = context.new_page()
        open_page(page, in_language(url_of(page_type), lang))
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
        assert_no_horizontal_scrolling(page)
        page.set_viewport_size({"width": 1280, "height": 900})
        assert_no_horizontal_scrolling(page)
    finally:
        context.close()


# Walks the page with Tab and records, for every stop: a visible focus indicator (outline or
# box-shadow), whether something else covers it (2.4.11), and its size (2.5.8).
FOCUS_STATE = """async () => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  // The first line box: a link wrapped over two lines has a bounding box wider than itself.
  const line = element.getClientRects()[0] || box;
  const x = Math.min(Math.max(line.left + Math.min(line.width / 2, 10), 0), innerWidth - 1);
  const y = Math.min(Math.max(line.top + line.height / 2, 0), innerHeight - 1);
  const covering = () => {
    const hit = document.elementFromPoint(x, y);
    const label = hit && hit.closest('label');
    return !!hit && hit !== element && !element.contains(hit) && !hit.contains(element)
      && !(label && label.contains(element));
  };
  // Hit-testing reads paint properties (transforms) of the last frame, and the skip link
  // leaves the flow as focus leaves it: look again after a few frames before judging.
  let covered = covering();
  for (let frame = 0; covered && frame < 10; frame++) {
    await new Promise(done => requestAnimationFrame(done));
    covered = covering();
  }
  const inline = style.display === 'inline' && !!element.closest('p, li, dd, td, th, figcaption');
  // Marks of a chart may take focus (tooltips); the table beside it is the equivalent control.
  const chartMark = element instanceof SVGElement && !(element instanceof SVGSVGElement);
  return {
    name: element.outerHTML.slice(0, 90),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
    covered,
    small: !inline && !chartMark && (box.width < 24 || box.height < 24),
    body: element === document.body,
  };
}"""


@pytest.mark.parametrize("page_type", ["home", "dataset", "chart", "search", "not-found"])
@pytest.mark.parametrize("mode", ["normal", "vi"])
def test_every_tab_stop_has_visible_unobscured_focus(context, url_of, page_type, mode):
    if mode == "vi":
        store_vi_settings(context, vi_settings(scheme="wb", font="150"))
    page = context.new_page()
    open_page(page, url_of(page_type))
    problems, seen = [], []
    for _ in range(120):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["body"] or (seen and state["name"] == seen[0]):
            break
        seen.append(state["name"])
        if not (state["outline"] or state["shadow"]):
            problems.append(f"no focus indicator: {state['name']}")
        if state["covered"]:
            # Scrolling the focused element into view may still be under way on a busy
            # machine: measure once more when it has settled before calling it covered.
            # (the search page grows while its script starts, which can leave the focused
            # element outside the viewport the browser scrolled to).
            page.wait_for_timeout(400)
            page.evaluate("document.activeElement.scrollIntoView({block: 'nearest'})")
            state = page.evaluate(FOCUS_STATE)
        if state["covered"]:
            problems.append(f"covered: {state['name']}")
        if state["small"]:
            problems.append(f"target under 24×24 px: {state['name']}")
    assert len(seen) > 5
    assert problems == []


@pytest.mark.parametrize("page_type", ["home", "about", "article", "not-found"])
def test_page_language_is_set(page, url_of, page_type):
    open_page(page, url_of(page_type))
    lang = page.evaluate("document.documentElement.lang")
    assert lang in {"kk", "ru", "en"}


def test_forced_colors_keep_a_focus_outline(page, url_of):
    page.emulate_media(forced_colors="active")
    open_page(page, url_of("home"))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert style[0] != "none" and style[1] >= 2


def test_prefers_contrast_more_darkens_secondary_text(page, url_of):
    open_page(page, url_of("home"))
    normal = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--moldir-muted')"
    )
    page.emulate_media(contrast="more")
    more = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--moldir-muted')"
    )
    assert normal.strip() == "#484949"
    assert more.strip() == "#0b0c0c"


def test_reduced_motion_stops_animation(page, url_of):
    page.emulate_media(reduced_motion="reduce")
    open_page(page, url_of("home"))
    add_user_style(page, ".probe { transition: color 2s; animation: spin 3s infinite; }")
    duration = page.evaluate(
        "(() => { const p = document.createElement('p'); p.className = 'probe';"
        " document.body.append(p); const s = getComputedStyle(p);"
        " return [s.transitionDuration, s.animationDuration]; })()"
    )
    assert duration == ["0s", "1e-05s"]


# Every data table as a phone shows it: cards (a stacked table) or a scrolling region with
# a visible cue; a card's figures come before its text; a caption in view.
TABLES_ON_A_PHONE = """() => [...document.querySelectorAll('main table')]
  .filter(table => table.offsetWidth > 0).map(table => {
    const region = table.closest('.moldir-table-region');
    const caption = table.querySelector('caption');
    const stacked = getComputedStyle(table).display === 'block';
    const row = table.querySelector('tbody tr');
    const cells = row ? [...row.children].filter(cell => cell.offsetHeight > 0) : [];
    const top = cell => cell.getBoundingClientRect().top;
    const numbers = cells.filter(cell => cell.matches('.moldir-table__cell--numeric'));
    const texts = cells.filter(cell => cell.matches('td:not(.moldir-table__cell--numeric)')
                                        && cell.textContent.trim());
    const regionBox = region ? region.getBoundingClientRect() : null;
    const captionBox = caption ? caption.getBoundingClientRect() : null;
    return {
      id: table.id || (caption ? caption.textContent.trim().slice(0, 50) : table.className),
      stacked,
      scrolls: region ? region.scrollWidth > region.clientWidth + 1 : false,
      cue: region ? /gradient/.test(getComputedStyle(region).backgroundImage) : false,
      figuresFirst: !stacked || !numbers.length || !texts.length
        || Math.max(...numbers.map(top)) <= Math.min(...texts.map(top)),
      labelled: !stacked || cells.filter(cell => cell.tagName === 'TD' && cell.textContent.trim())
        .every(cell => cell.hasAttribute('data-label') || cell.matches('.moldir-topic__bar-cell')),
      captionInView: !captionBox || !regionBox
        || (captionBox.left >= regionBox.left - 1 && captionBox.right <= regionBox.right + 1),
    };
  })"""


@pytest.mark.parametrize(
    "page_type",
    ["appeals", "budget", "budget-administrator", "dataset", "international-dataset"],
)
def test_tables_on_a_phone_are_cards_or_scroll_with_a_cue(browser, url_of, page_type):
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        open_page(page, url_of(page_type))
        tables = page.evaluate(TABLES_ON_A_PHONE)
        assert tables, "no table on the page"
        # The topic tables and the dataset previews are cards on a phone.
        assert any(table["stacked"] for table in tables), tables
        for table in tables:
            assert table["stacked"] or not table["scrolls"] or table["cue"], table
            assert table["figuresFirst"], table
            assert table["labelled"], table
            assert table["captionInView"], table
    finally:
        context.close()


def test_cards_come_at_200_percent_text_on_a_wide_screen_too(browser, url_of):
    """The cards follow the text size (a container query in em), not only the screen."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        store_vi_settings(context, vi_settings(font="200"))
        page = context.new_page()
        open_page(page, url_of("appeals"))
        tables = page.evaluate(TABLES_ON_A_PHONE)
        assert tables and all(table["stacked"] for table in tables), tables
        assert_no_horizontal_scrolling(page)
    finally:
        context.close()
