"""Charts for the reader: narrow and wide drawings, text never below 12 px at the natural
size, numbers written for people in kk/ru/en, words from the descriptor's translations, no
grid under value labels, VI palettes ≥ 3:1, chart pages with the portal's frame and an
embed variant without it. Inline data (tests/test_charts.py's helpers) unless the built
portal is named."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_charts import BODIES, PERIODS, YEARS, assert_valid_vega_lite, chart_of, make_dataset

from moldir.features.charts import build_chart
from moldir.features.charts.localize import (
    GEOMETRIES,
    currency_of,
    nice_ticks,
    tick_formatter,
    value_formatter,
)
from moldir.features.charts.palette import PALETTE, SCHEME_PALETTES, SCHEMES, contrast_ratio
from moldir.features.charts.spec import parse_views
from moldir.pipeline.sanitize import sanitize_svg
from moldir.pipeline.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"

BUDGET = {
    "fields": [
        {"name": "program", "type": "string"},
        {"name": "planned", "type": "number"},
    ],
    "rows": [
        ("Disability and Death Compensation", "2853756218.0"),
        ("Supplementary Health Benefits for First Nations and Inuit", "1240000000"),
        ("Arts", "207000000"),
    ],
}
ALL_TYPES = [
    (BODIES, {"type": "hbar", "x": "citizens", "y": "body", "sort": "-x", "units": "citizens"}),
    (BODIES, {"type": "bar", "x": "body", "y": "citizens"}),
    (PERIODS, {"type": "grouped-bar", "x": "body", "y": "requests", "series": "period"}),
    (PERIODS, {"type": "stacked-bar", "x": "body", "y": "requests", "series": "period"}),
    (YEARS, {"type": "line", "x": "year", "y": "appeals", "series": "channel"}),
    (YEARS, {"type": "area", "x": "year", "y": "appeals", "series": "channel"}),
    (YEARS, {"type": "point", "x": "year", "y": "appeals", "series": "channel"}),
    (BUDGET, {"type": "hbar", "x": "planned", "y": "program", "sort": "-x", "units": "CAD"}),
]


def svg_root(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if words_of(t).strip()]


def words_of(element: ET.Element) -> str:
    """A text element's words (multi-line labels are <tspan>s)."""
    return " ".join(part.strip() for part in element.itertext() if part.strip())


def font_px(element: ET.Element) -> float:
    value = element.get("font-size") or ""
    match = re.match(r"([\d.]+)px", value)
    assert match, f"text without a px font size: {ET.tostring(element)[:120]!r}"
    return float(match[1])


# --- numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "count"),
    [(0, 3_000_000_000, 5), (0, 2_853_756_218, 3), (0, 22_365, 3), (0, 7, 5), (-40, 1500, 5)],
)
def test_ticks_are_round_and_never_two(low, high, count):
    ticks = nice_ticks(low, high, count)
    assert 3 <= len(ticks) <= count + 2, ticks
    assert ticks[0] <= min(low, 0) and ticks[-1] >= high
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1, ticks
    step = steps.pop()
    mantissa = step / 10 ** int(f"{step:e}".split("e")[1])
    assert mantissa in (1, 2, 2.5, 5), step


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "CA$2.85\u00a0bn"), ("ru", "2,85\u00a0млрд"), ("kk", "2,85\u00a0млрд")],
)
def test_budget_values_are_compact_with_currency_per_language(lang, expected):
    write = value_formatter([2853756218.0, 207000000.0], "CAD", lang)
    text = write(2853756218.0)
    assert expected in text, text
    assert ".0" not in text and ",0" not in text.replace(",85", "")
    assert currency_of("CAD") == "CAD" and currency_of("citizens") is None


def test_counts_are_written_in_full_with_the_languages_separators():
    assert value_formatter([22365.0, 12.0], "citizens", "en")(22365.0) == "22,365"
    assert value_formatter([22365.0, 12.0], "citizens", "ru")(22365.0) == f"22{NBSP}365"
    assert value_formatter([10.5, 20.0], "", "en")(20.0) == "20"


def test_tick_labels_share_one_style_and_have_no_trailing_zero():
    ticks = nice_ticks(0, 3_000_000_000, 5)
    labels = [tick_formatter("", "en", ticks)(t) for t in ticks]
    assert labels[0] == "0" and all("bn" in label for label in labels[1:]), labels
    assert not any(label.endswith(".0") for label in labels)
    ticks = nice_ticks(0, 14_644, 3)
    labels = [tick_formatter("", "kk", ticks)(t) for t in ticks]
    assert all("мың" in label for label in labels[1:]), labels


# --- layouts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "spec"), ALL_TYPES, ids=[f"{s['type']}-{i}" for i, (_, s) in enumerate(ALL_TYPES)]
)
@pytest.mark.parametrize("geometry", ["compact", "narrow", "wide"])
def test_every_chart_type_is_drawn_narrow_and_wide_with_12px_text(tmp_path, table, spec, geometry):
    chart = chart_of(tmp_path, table, spec)
    drawn = chart.spec_for("en", geometry)
    assert_valid_vega_lite(drawn)
    root = svg_root(chart.inline_svg_for("en", geometry))
    assert f"moldir-chart__svg--{geometry}" in root.get("class")
    width = float(root.get("viewBox").split()[2])
    # Sized in em of the root font: 12 px text at 100 %, 24 px at 200 %.
    assert root.get("width") == f"{width / 16:.4f}".rstrip("0").rstrip(".") + "em"
    if spec["type"] != "stacked-bar":  # stacked bars keep one step per bar (docs/charts.md)
        assert width <= GEOMETRIES[geometry] + 1, (spec["type"], geometry, width)
    sizes = [font_px(t) for t in texts(root)]
    assert sizes and min(sizes) >= 12, sizes
    labels = [words_of(t) for t in texts(root)]
    assert not any(re.search(r"\d\.0\b", label) for label in labels), labels
    assert not any("…" in label for label in labels), f"a label cut: {labels}"


def test_only_bar_charts_get_a_compact_drawing(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    bars = chart_of(tmp_path / "a", BODIES, ALL_TYPES[0][1])
    assert bars.geometries == ("compact", "narrow", "wide")
    line = chart_of(tmp_path / "b", YEARS, ALL_TYPES[4][1])
    assert line.geometries == ("narrow", "wide")
    compact = svg_root(bars.inline_svg_for("ru", "compact"))
    words = [words_of(t) for t in texts(compact)]
    # Names and values stacked above full-width bars: "Akimat of Astana 22 365".
    assert any("Akimat of Astana" in w and f"22{NBSP}365" in w for w in words), words


def test_narrow_bar_charts_are_rows_with_names_above_the_bars(tmp_path):
    chart = chart_of(tmp_path, BUDGET, ALL_TYPES[-1][1])
    root = svg_root(chart.inline_svg_for("en", "narrow"))
    words = " ".join(words_of(t) for t in texts(root))
    # The long name is written whole (wrapped onto two lines), never cut with "…".
    assert "Supplementary Health Benefits for" in words and "First Nations and Inuit" in words
    assert "…" not in words
    assert "CA$2.85\u00a0bn" in words


def test_bar_charts_have_no_grid_and_lines_have_one_behind_haloed_labels(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    bars = chart_of(tmp_path / "a", BODIES, ALL_TYPES[0][1])
    for geometry in ("narrow", "wide"):
        svg = bars.inline_svg_for("en", geometry)
        assert "role-axis-grid" not in svg or not re.search(
            r'class="[^"]*role-axis-grid[^"]*"[^>]*>\s*<(line|path)', svg
        )
    line = chart_of(tmp_path / "b", YEARS, ALL_TYPES[4][1])
    assert line.spec_for("en", "wide")["layer"][0]["encoding"]["y"]["axis"]["grid"] is True
    css = (ROOT / "theme/static/css/components/chart.css").read_text()
    halo = re.search(r"\.moldir-chart__svg text \{([^}]*)\}", css)
    assert halo and "paint-order: stroke" in halo[1] and "--moldir-chart-gap" in halo[1]


def test_value_axis_ticks_are_written_for_people(tmp_path):
    chart = chart_of(tmp_path, BUDGET, ALL_TYPES[-1][1])
    axis = chart.spec_for("ru", "wide")["layer"][0]["encoding"]["x"]["axis"]
    assert len(axis["values"]) >= 3
    labels = re.findall(r'"([^"]*)"', axis["labelExpr"])
    assert labels[0] == "0" and all("млрд" in label for label in labels[1:]), labels
    assert not any(re.search(r"[.,]0\b", label) for label in labels), labels


def translated_dataset(tmp_path: Path):
    dataset = make_dataset(
        tmp_path,
        PERIODS,
        [
            {
                "name": "the-view",
                "title": "Requests",
                "resources": ["data"],
                "spec": {"type": "grouped-bar", "x": "body", "y": "requests", "series": "period"},
            }
        ],
    )
    dataset.descriptor["i18n"] = {
        "kk": {
            "resources": {
                "data": {
                    "fields": {
                        "body": {
                            "title": "Орган",
                            "labels": {
                                "Ministry A": "А министрлігі",
                                "Ministry B": "Б министрлігі",
                                "Ministry C": "В министрлігі",
                            },
                        },
                        "requests": {"title": "Сұраулар"},
                    }
                }
            }
        }
    }
    views, errors = parse_views(dataset)
    assert errors == []
    return build_chart(views[0], dataset, read_table(dataset.resources[0]))


def test_kazakh_chart_words_come_from_the_descriptor(tmp_path):
    chart = translated_dataset(tmp_path)
    for geometry in ("narrow", "wide"):
        words = " ".join(words_of(t) for t in texts(svg_root(chart.inline_svg_for("kk", geometry))))
        assert "А министрлігі" in words and "Ministry" not in words, words
        assert "Сұраулар" in words
    table = chart.table_for("kk")
    assert table.row_header == "Орган" and table.rows[0][0] == "А министрлігі"
    assert "Б министрлігі" in chart.alternative(locale="kk")
    # The files written once stay in the data's language.
    assert chart.table.rows[0][0] == "Ministry A"


def test_page_svgs_are_sanitized_with_their_geometry_class(tmp_path):
    chart = chart_of(tmp_path, BODIES, ALL_TYPES[0][1])
    for geometry in ("narrow", "wide"):
        markup = str(sanitize_svg(chart.inline_svg_for("en", geometry)))
        assert f"moldir-chart__svg--{geometry}" in markup and "style=" not in markup
        assert f'id="{chart.id}-{geometry}-' in markup or "id=" not in markup


# --- colour schemes -------------------------------------------------------------------


def modes_css_palettes() -> dict[str, dict[str, str]]:
    css = (ROOT / "theme/static/css/modes.css").read_text()
    found = {}
    for name in SCHEMES:
        block = re.search(r'html\[data-vi-scheme="' + name + r'"\] \{([^}]*)\}', css)
        assert block, name
        found[name] = dict(re.findall(r"(--moldir-[\w-]+):\s*(#[0-9a-fA-F]{6})", block[1]))
    return found


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_every_vi_scheme_keeps_series_3_to_1_from_background_and_neighbours(scheme):
    text, background = SCHEMES[scheme]
    css = modes_css_palettes()[scheme]
    assert css["--moldir-text"].lower() == text and css["--moldir-background"].lower() == background
    colours = SCHEME_PALETTES[scheme]
    assert [css[f"--moldir-chart-{i}"].lower() for i in range(1, 7)] == list(colours)
    for colour in colours:
        assert contrast_ratio(colour, background) >= 3, (scheme, colour)
    for first, second in itertools.pairwise(colours):
        assert contrast_ratio(first, second) >= 3, (scheme, first, second)
    assert contrast_ratio(text, background) >= 7


def test_normal_palette_still_passes():
    for first, second in itertools.pairwise(PALETTE):
        assert contrast_ratio(first, second) >= 3
        assert contrast_ratio(first, "#ffffff") >= 3


# --- pages of the built portal ----------------------------------------------------------


def test_chart_page_has_the_portal_frame_and_the_embed_page_has_none(built):
    base = "/datasets/appeal-statistics-kazakhstan/charts/citizens-received-by-body/"
    page = built.html(base)
    assert page.select_one("a.moldir-skip-link[href='#main-content']")
    assert page.select_one("header.moldir-header")
    assert page.select_one("button.moldir-vi-toggle[aria-controls='moldir-vi-panel']")
    assert page.select_one("nav.moldir-language-switcher a[hreflang]")
    assert page.select_one("main#main-content figure.moldir-chart svg.moldir-chart__svg--narrow")
    assert page.select_one("figure.moldir-chart svg.moldir-chart__svg--wide")
    embed_code = page.select_one("textarea.moldir-chart__embed-code").get_text()
    assert f"{base}embed/" in embed_code
    embed = built.html(base + "embed/")
    assert embed.select_one("figure.moldir-chart table")
    assert not embed.select_one("header, .moldir-skip-link, footer, .moldir-vi-panel")
    assert embed.select_one("meta[name=robots][content=noindex]")


def test_kazakh_dataset_page_chart_axis_is_not_generic(built):
    page = built.html("/datasets/appeal-statistics-kazakhstan/")
    words = " ".join(t.get_text(" ") for t in page.select("figure.moldir-chart svg text"))
    assert "Value" not in words and ".0" not in words


def test_text_alternative_writes_money_compactly(tmp_path):
    chart = chart_of(tmp_path, BUDGET, ALL_TYPES[-1][1])
    text = chart.alternative(locale="en")
    assert "CA$2.85\u00a0bn" in text and "2,853,756,218" not in text
    assert f"2,85{NBSP}млрд" in chart.alternative(locale="ru")
