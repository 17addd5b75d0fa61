"""The visually-impaired mode in a real browser: toggle, panel, settings, persistence."""

from __future__ import annotations

import json

import pytest
from browser_support import (
    DESKTOP,
    PHONE,
    SCHEMES,
    contrast,
    parse_color,
    store_vi_settings,
    vi_settings,
)

pytestmark = pytest.mark.browser

TOGGLE = ".moldir-vi-toggle"
PANEL = "#moldir-vi-panel"


def html_attributes(page) -> dict[str, str]:
    return page.evaluate(
        "Object.fromEntries([...document.documentElement.attributes]"
        ".filter(a => a.name.startsWith('data-vi')).map(a => [a.name, a.value]))"
    )


def saved(page) -> dict | None:
    return json.loads(page.evaluate("localStorage.getItem('moldir-vi') || 'null'"))


def test_toggle_is_a_pressed_button_near_the_top_that_opens_the_panel(page, url_of):
    page.goto(url_of("home"))
    toggle = page.locator(TOGGLE)
    assert toggle.evaluate("e => e.tagName") == "BUTTON"
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.locator(PANEL).is_hidden()
    # Near the top: within the first few tab stops, after the skip link.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('moldir-vi-toggle')"):
            break
    else:
        pytest.fail("the VI button is not among the first six tab stops")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator(PANEL).is_visible()
    attributes = html_attributes(page)
    assert attributes["data-vi"] == "on"
    assert attributes["data-vi-scheme"] == "bw"
    assert saved(page)["scheme"] == "bw"
    # The panel is a labelled region of labelled groups of native radio buttons.
    labelled_by = page.locator(PANEL).get_attribute("aria-labelledby")
    assert page.locator(f"#{labelled_by}").inner_text().strip()
    legends = page.locator(f"{PANEL} fieldset legend").all_inner_texts()
    assert len(legends) == 7 and all(text.strip() for text in legends)
    radios = page.locator(f"{PANEL} input[type=radio]")
    assert radios.count() == 5 + 5 + 3 + 3 + 3 + 2 + 2


def test_settings_change_by_keyboard_and_persist_across_pages(page, url_of):
    page.goto(url_of("home"))
    page.locator(TOGGLE).click()
    # Arrow keys move within a radio group, as in any native radio group.
    page.locator(f"{PANEL} input[name=moldir-vi-scheme][value=bw]").focus()
    page.keyboard.press("ArrowRight")
    assert html_attributes(page)["data-vi-scheme"] == "wb"
    page.locator(f"{PANEL} input[name=moldir-vi-font][value='200']").check()
    page.locator(f"{PANEL} input[name=moldir-vi-family][value=serif]").check()
    page.locator(f"{PANEL} input[name=moldir-vi-spacing][value=wider]").check()
    page.locator(f"{PANEL} input[name=moldir-vi-line][value='2.5']").check()
    page.goto(url_of("dataset"))
    attributes = html_attributes(page)
    assert attributes["data-vi-scheme"] == "wb"
    assert attributes["data-vi-font"] == "200"
    assert page.locator(TOGGLE).get_attribute("aria-pressed") == "true"
    assert page.locator(f"{PANEL} input[name=moldir-vi-font][value='200']").is_checked()
    style = page.evaluate(
        "(() => { const h1 = getComputedStyle(document.querySelector('main h1'));"
        " return {root: getComputedStyle(document.documentElement).fontSize,"
        " family: h1.fontFamily, spacing: h1.letterSpacing, line: h1.lineHeight,"
        " size: parseFloat(h1.fontSize)}; })()"
    )
    assert style["root"] == "32px"
    assert "Georgia" in style["family"] or "serif" in style["family"]
    assert float(style["spacing"].removesuffix("px")) == pytest.approx(0.2 * style["size"], 0.05)
    assert float(style["line"].removesuffix("px")) == pytest.approx(2.5 * style["size"], 0.05)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_scheme_uses_its_exact_colours_everywhere(context, url_of, scheme):
    store_vi_settings(context, vi_settings(scheme=scheme))
    page = context.new_page()
    page.goto(url_of("dataset"))
    text, background = SCHEMES[scheme]
    colours = page.evaluate(
        """() => ['body', '.moldir-header', '.moldir-header__name', '.moldir-nav__link',
                  'main h1', 'main a', 'main th', '.moldir-footer', '.moldir-footer a']
           .map(selector => document.querySelector(selector))
           .filter(Boolean)
           .map(element => { const s = getComputedStyle(element);
             return [element.tagName, s.color, s.backgroundColor]; })"""
    )
    assert len(colours) >= 8
    for tag, color, back in colours:
        assert parse_color(color) == parse_color(text), (tag, color)
        assert back in ("rgba(0, 0, 0, 0)", "transparent") or parse_color(back) == parse_color(
            background
        ), (tag, back)
    body_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert parse_color(body_background) == parse_color(background)


@pytest.mark.parametrize("scheme", [None, *sorted(SCHEMES)])
def test_chart_colours_keep_3_to_1_against_the_background(context, url_of, scheme):
    if scheme:
        store_vi_settings(context, vi_settings(scheme=scheme))
    page = context.new_page()
    page.goto(url_of("home"))
    properties = page.evaluate(
        """() => { const s = getComputedStyle(document.documentElement);
             const read = name => s.getPropertyValue(name).trim();
             return {background: read('--moldir-background'), text: read('--moldir-chart-text'),
                     series: [1, 2, 3, 4, 5, 6].map(i => read('--moldir-chart-' + i))}; }"""
    )
    for colour in [properties["text"], *properties["series"]]:
        assert contrast(colour, properties["background"]) >= 3, (colour, properties)
    assert len(set(properties["series"])) == 6


def test_saved_settings_apply_before_the_stylesheet_script_runs(context, url_of):
    """No flash: the inline <head> script applies the settings even if moldir.js never loads."""
    store_vi_settings(context, vi_settings(scheme="green", font="175"))
    page = context.new_page()
    page.route("**/theme/js/moldir.js", lambda route: route.abort())
    page.goto(url_of("about"))
    attributes = html_attributes(page)
    assert attributes["data-vi-scheme"] == "green"
    assert attributes["data-vi-font"] == "175"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(59, 39, 22)"


def test_reset_returns_to_the_normal_version(page, url_of):
    page.goto(url_of("home"))
    page.locator(TOGGLE).click()
    page.locator(f"{PANEL} input[name=moldir-vi-scheme][value=blue]").check()
    page.locator(f"{PANEL} [data-vi-action=reset]").click()
    assert html_attributes(page) == {}
    assert saved(page) is None
    assert page.locator(PANEL).is_hidden()
    assert page.locator(TOGGLE).get_attribute("aria-pressed") == "false"
    assert page.evaluate("document.activeElement.classList.contains('moldir-vi-toggle')")
    page.reload()
    assert html_attributes(page) == {}


INJECTED_MEDIA = """
<figure class="probe"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Map of the
 regions" width="40" height="40"><figcaption>Regions</figcaption></figure>
<iframe title="Video of the hearing" src="about:blank"></iframe>
"""


def inject_media(page, url: str) -> None:
    """Serve the page with an image and a frame in <main> (the example has neither)."""

    def handle(route):
        response = route.fetch()
        body = response.text().replace(
            'tabindex="-1">', 'tabindex="-1">' + INJECTED_MEDIA.replace("\n", " "), 1
        )
        route.fulfill(response=response, body=body)

    page.route(url, handle)


def test_images_off_show_text_alternatives_and_keep_figures(context, url_of):
    store_vi_settings(context, vi_settings(images="off", embeds="off"))
    page = context.new_page()
    url = url_of("home")
    inject_media(page, url)
    page.goto(url)
    assert page.locator("main img").is_hidden()
    note = page.locator("main .moldir-vi-alt")
    assert note.is_visible()
    assert "Map of the regions" in " ".join(note.inner_text().split())
    # Figures stay: only the picture is replaced by its description.
    assert page.locator("main figure.probe figcaption").is_visible()
    assert page.locator("main iframe").is_hidden()
    assert "Video of the hearing" in page.locator("main .moldir-vi-embed-note").inner_text()


def test_images_greyscale_and_charts_stay_visible(context, url_of):
    store_vi_settings(context, vi_settings(images="grey", embeds="off"))
    page = context.new_page()
    url = url_of("home")
    inject_media(page, url)
    page.goto(url)
    assert page.evaluate("getComputedStyle(document.querySelector('main img')).filter") == (
        "grayscale(1)"
    )


def test_embeds_off_never_hides_charts(context, url_of):
    store_vi_settings(context, vi_settings(embeds="off", images="off"))
    page = context.new_page()
    page.goto(url_of("chart"))
    figures = page.locator("main figure")
    assert figures.count() >= 1
    assert figures.first.is_visible()
    # The chart's picture gives way to its text alternative; its table stays on the page.
    figure = figures.first
    assert figure.locator("svg[role=img]").first.is_hidden()
    assert len(figure.inner_text().split()) > 10
    assert figure.locator("table").count() >= 1


def test_read_aloud_speaks_the_main_content_in_the_page_language(context, url_of):
    context.add_init_script(
        """(() => {
          window.__spoken = [];
          window.SpeechSynthesisUtterance = function (text) { this.text = text; };
          window.__calls = [];
          Object.defineProperty(window, 'speechSynthesis', {value: {
            speak: u => window.__spoken.push({text: u.text, lang: u.lang}),
            cancel: () => window.__calls.push('cancel'),
            pause: () => window.__calls.push('pause'),
            resume: () => window.__calls.push('resume'),
            getVoices: () => []}});
        })()"""
    )
    page = context.new_page()
    page.goto(url_of("about"))
    page.locator(TOGGLE).click()
    button = page.locator(f"{PANEL} [data-vi-action=read-aloud]")
    assert button.is_visible()
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    spoken = page.evaluate("window.__spoken")
    lang = page.evaluate("document.getElementById('main-content').closest('[lang]').lang")
    assert spoken and all(item["lang"] == lang for item in spoken)
    heading = page.locator("main h1").inner_text().strip()
    assert spoken[0]["text"] == heading
    # Pause and resume where it stopped; the pause button shows only while reading.
    pause = page.locator(f"{PANEL} [data-vi-action=pause]")
    assert pause.is_visible()
    assert pause.get_attribute("aria-pressed") == "false"
    pause.click()
    assert pause.get_attribute("aria-pressed") == "true"
    pause.click()
    assert pause.get_attribute("aria-pressed") == "false"
    assert page.evaluate("window.__calls").count("pause") == 1
    assert page.evaluate("window.__calls")[-1] == "resume"
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert pause.is_hidden()
    # Back to the normal version while reading: the reading stops.
    button.click()
    assert pause.is_visible()
    page.locator(f"{PANEL} [data-vi-action=reset]").click()
    assert page.evaluate("window.__calls")[-1] == "cancel"
    assert pause.evaluate("e => e.hidden") is True
    assert button.get_attribute("aria-pressed") == "false"


def test_panel_strings_come_from_the_page_not_the_script(page, url_of, base_url):
    """The script holds no user-visible text: the Russian page gets a Russian panel."""
    script = page.request.get(base_url + "/theme/js/moldir.js").text()
    for english in ("Font size", "Colours", "Back to the normal", "Read the page", "is hidden"):
        assert english not in script
    page.goto(url_of("home"))
    alt_label = page.locator(PANEL).get_attribute("data-image-label")
    assert alt_label and alt_label.strip()


def test_panel_folds_away_and_stays_folded(page, url_of):
    page.goto(url_of("home"))
    page.locator(TOGGLE).click()
    disclosure = page.locator(f"{PANEL} .moldir-vi-panel__disclosure")
    assert disclosure.get_attribute("aria-expanded") == "true"
    disclosure.click()
    assert disclosure.get_attribute("aria-expanded") == "false"
    assert page.locator("#moldir-vi-settings").is_hidden()
    page.goto(url_of("about"))
    assert page.locator(PANEL).is_visible()
    assert page.locator("#moldir-vi-settings").is_hidden()
    assert html_attributes(page)["data-vi-scheme"] == "bw"
    page.locator(f"{PANEL} .moldir-vi-panel__disclosure").click()
    assert page.locator("#moldir-vi-settings").is_visible()


@pytest.mark.parametrize("font", ["150", "200"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_panel_leaves_the_first_screen_to_the_page(browser, url_of, font, viewport):
    """A returning reader at 150–200 %: the settings start folded on every page, so the
    panel is a line, not the whole first screen; its heading opens them."""
    context = browser.new_context(viewport=viewport)
    try:
        store_vi_settings(context, vi_settings(font=font, scheme="wb"))
        page = context.new_page()
        page.goto(url_of("dataset"))
        panel = page.locator(PANEL)
        assert panel.is_visible()
        assert page.locator("#moldir-vi-settings").is_hidden()
        height = panel.evaluate("e => e.getBoundingClientRect().height")
        assert height <= viewport["height"] * 0.25, height
        disclosure = page.locator(f"{PANEL} .moldir-vi-panel__disclosure")
        assert disclosure.get_attribute("aria-expanded") == "false"
        disclosure.click()
        assert page.locator("#moldir-vi-settings").is_visible()
        assert page.locator(f"{PANEL} [data-vi-action=reset]").is_visible()
    finally:
        context.close()


CHIP_STYLE = """selector => {
  const s = getComputedStyle(document.querySelector(selector).closest('.moldir-vi-option'));
  return {background: s.backgroundColor, color: s.color, outline: s.outlineStyle,
          weight: s.fontWeight}; }"""


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_selected_and_focused_options_look_different(context, url_of, scheme):
    store_vi_settings(context, vi_settings(scheme=scheme, font="100"))
    page = context.new_page()
    page.goto(url_of("about"))
    page.locator(f"{PANEL} .moldir-vi-panel__disclosure").click()
    # Focus by keyboard: Tab from the disclosure lands on the checked font size.
    page.locator(f"{PANEL} .moldir-vi-panel__disclosure").focus()
    page.keyboard.press("Tab")
    focused = "input[name=moldir-vi-font]:focus"
    assert page.locator(focused).count() == 1
    page.keyboard.press("ArrowRight")  # moves focus and choice to 125 %
    text, background = SCHEMES[scheme]
    focused_chip = page.evaluate(CHIP_STYLE, "input[name=moldir-vi-font]:focus")
    selected_chip = page.evaluate(CHIP_STYLE, "input[name=moldir-vi-line]:checked")
    plain_chip = page.evaluate(CHIP_STYLE, "input[name=moldir-vi-spacing]:not(:checked)")
    sample_focus = page.evaluate(
        "() => { const chip = document.querySelector('.moldir-vi-option--scheme-wb');"
        " chip.querySelector('input').focus(); return getComputedStyle(chip).outlineColor; }"
    )
    # Selected: filled with the text colour (the scheme swapped), no focus ring.
    assert parse_color(selected_chip["background"]) == parse_color(text)
    assert parse_color(selected_chip["color"]) == parse_color(background)
    assert selected_chip["outline"] == "none"
    # Focused: a ring around the chip, which no merely selected option has.
    assert focused_chip["outline"] != "none"
    # Neither: the page's own colours.
    assert parse_color(plain_chip["background"]) == parse_color(background)
    assert plain_chip["outline"] == "none"
    assert contrast(selected_chip["background"], selected_chip["color"]) >= 7
    # A colour-scheme sample's ring is in the page's colours, not the sample's.
    assert parse_color(sample_focus) == parse_color(text)


@pytest.mark.parametrize("page_type", ["dataset", "chart", "appeals"])
def test_images_off_keep_every_data_table_visible(context, url_of, page_type):
    """The text alternative says "full data in the table below": with images off, the
    table is there (not behind a Chart/Table tab, not hidden with the picture)."""
    store_vi_settings(context, vi_settings(images="off"))
    page = context.new_page()
    page.goto(url_of(page_type))
    tables = page.locator("main table")
    assert tables.count() >= 1
    hidden = [index for index in range(tables.count()) if not tables.nth(index).is_visible()]
    assert hidden == []
    for chart in page.locator("main figure.moldir-chart").all():
        assert chart.locator(".moldir-chart__alternative").is_visible()
        assert chart.locator("svg[role=img]").count() == 0 or all(
            svg.is_hidden() for svg in chart.locator("svg[role=img]").all()
        )
