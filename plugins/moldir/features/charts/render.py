"""Static renderings with vl-convert (no browser), and the SVG made fit for a page.

vl-convert's SVG has fixed colours, no root name and per-mark ARIA that reads raw field
values. ``accessible_svg`` rewrites it so that:

- palette fills and strokes become ``var(--moldir-chart-N, #HEX)`` and Vega's black text
  and grey axes become ``var(--moldir-chart-text, …)`` / ``--moldir-chart-axis`` /
  ``--moldir-chart-grid``, so a page's colour scheme restyles the chart;
- the root is ``role="img"`` named by the visible text alternative (``aria-labelledby``),
  and the per-mark roles and labels are removed (an image's parts are not announced);
  each mark keeps ``data-cell`` pointing at its table cell for the tooltip script;
- ids are prefixed per chart, so several inline SVGs on one page never share an id;
- its width and height are written in ``em`` (the natural px size / 16): the page sets the
  SVG's font size to ``1rem``, so a chart drawn with 12 px text keeps 12 px text at the
  default font size and grows with the reader's (the VI mode's 150 % and 200 %) — chart
  text follows the page's text, never shrinks to fit the column (chart.css).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import vl_convert
from babel.numbers import get_decimal_symbol, get_group_symbol

from moldir.features.charts.palette import (
    AXIS_COLOUR,
    AXIS_PROPERTY,
    BAR_GAP_PROPERTY,
    GAP_COLOUR,
    GRID_COLOUR,
    GRID_PROPERTY,
    PALETTE,
    TEXT_COLOUR,
    TEXT_PROPERTY,
    css_var,
)

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

CELL_KEY = re.compile(r"^\d+-\d+$")
ARIA_ATTRIBUTES = ("role", "aria-roledescription", "aria-label", "aria-hidden")
NONE_COLOURS = {"white", "#fff", "#ffffff", "transparent"}


def number_locale(locale: str) -> dict[str, Any]:
    """A d3-format locale from Babel's symbols, so axis numbers read like the page's
    text (22,365 in English, 22 365 in Kazakh and Russian)."""
    name = locale.replace("-", "_") or "en"
    return {
        "decimal": get_decimal_symbol(name),
        "thousands": get_group_symbol(name),
        "grouping": [3],
        "currency": ["", ""],
    }


def render_svg(spec: dict[str, Any], locale: str = "en") -> str:
    """The chart as SVG text, rendered by vl-convert at build time (no network access)."""
    return vl_convert.vegalite_to_svg(
        spec, format_locale=number_locale(locale), allowed_base_urls=[]
    )


def render_png(spec: dict[str, Any], scale: float = 2) -> bytes:
    """The chart as PNG on white (images are often pasted into documents)."""
    return vl_convert.vegalite_to_png(
        {**spec, "background": "white"}, scale=scale, allowed_base_urls=[]
    )


def colour_values() -> dict[str, str]:
    """Lower-case colour → the CSS value replacing it in inline SVG."""
    values = {colour.lower(): css_var(index) for index, colour in enumerate(PALETTE)}
    values.update(
        {
            TEXT_COLOUR.lower(): f"var({TEXT_PROPERTY}, currentColor)",
            "#000": f"var({TEXT_PROPERTY}, currentColor)",
            "#000000": f"var({TEXT_PROPERTY}, currentColor)",
            "black": f"var({TEXT_PROPERTY}, currentColor)",
            AXIS_COLOUR.lower(): f"var({AXIS_PROPERTY}, {AXIS_COLOUR})",
            "#888": f"var({AXIS_PROPERTY}, {AXIS_COLOUR})",
            GRID_COLOUR.lower(): f"var({GRID_PROPERTY}, {GRID_COLOUR})",
            "#ddd": f"var({GRID_PROPERTY}, {GRID_COLOUR})",
        }
    )
    return values


ROOT_FONT_PX = 16


def em(length: str | None) -> str:
    """A px length of the SVG root as ``em`` of a 16 px font ("288" → "18em")."""
    number = float(length or 0) / ROOT_FONT_PX
    return f"{number:.4f}".rstrip("0").rstrip(".") + "em"


def accessible_svg(
    svg: str, chart_id: str, labelled_by: str | None = None, geometry: str | None = None
) -> str:
    """The SVG for a page (see the module docstring); ``chart_id`` prefixes its ids;
    ``geometry`` ("narrow", "wide", "only") names the layout for chart.css."""
    root = ET.fromstring(svg)
    values = colour_values()
    ids: dict[str, str] = {}
    for element in root.iter():
        if "id" in element.attrib:
            new = f"{chart_id}-{element.attrib['id']}"
            ids[element.attrib["id"]] = new
            element.attrib["id"] = new
    for element in root.iter():
        label = element.attrib.get("aria-label", "")
        for name in ARIA_ATTRIBUTES:
            element.attrib.pop(name, None)
        if CELL_KEY.match(label):
            element.attrib["data-cell"] = label
        styles = []
        for prop in ("fill", "stroke"):
            colour = element.attrib.get(prop)
            if colour is None:
                continue
            key = colour.lower()
            if prop == "fill" and key in NONE_COLOURS and element.tag.endswith("text"):
                # A white label sits on a dark fill; keep it readable in every scheme.
                element.attrib.pop(prop)
                styles.append(f"fill: var({BAR_GAP_PROPERTY}, {GAP_COLOUR})")
            elif key in NONE_COLOURS and prop == "stroke":
                element.attrib.pop(prop)
                styles.append(f"stroke: var({BAR_GAP_PROPERTY}, {GAP_COLOUR})")
            elif key in NONE_COLOURS and element.attrib.get("class") == "background":
                element.attrib[prop] = "none"
            elif key in values:
                element.attrib.pop(prop)
                styles.append(f"{prop}: {values[key]}")
        if styles:
            existing = element.attrib.get("style", "")
            element.attrib["style"] = "; ".join(filter(None, [existing.rstrip("; "), *styles]))
        for attribute, value in list(element.attrib.items()):
            if "url(#" in value:
                element.attrib[attribute] = re.sub(
                    r"url\(#([^)]+)\)", lambda m: f"url(#{ids.get(m[1], m[1])})", value
                )
    root.attrib["class"] = "moldir-chart__svg"
    if geometry:
        root.attrib["class"] += f" moldir-chart__svg--{geometry}"
        if "viewBox" not in root.attrib:
            root.attrib["viewBox"] = f"0 0 {root.get('width', 0)} {root.get('height', 0)}"
        root.attrib["width"], root.attrib["height"] = em(root.get("width")), em(root.get("height"))
    root.attrib["focusable"] = "false"
    if labelled_by:
        root.attrib["role"] = "img"
        root.attrib["aria-labelledby"] = labelled_by
    else:
        root.attrib["aria-hidden"] = "true"
    return serialize(root)


def serialize(root: ET.Element) -> str:
    """SVG text with the SVG namespace as the default (``<svg>``, never ``<ns0:svg>``).

    ElementTree's prefix registry is global and other modules (feeds, sitemaps) register
    their own default namespace, so names are written here without it: SVG tags plain,
    xlink attributes as ``xlink:…``, and the two declarations on the root.
    """
    uses_xlink = False
    for element in root.iter():
        element.tag = element.tag.replace(f"{{{SVG_NS}}}", "")
        for name in [n for n in element.attrib if n.startswith(f"{{{XLINK_NS}}}")]:
            element.attrib["xlink:" + name.split("}", 1)[1]] = element.attrib.pop(name)
            uses_xlink = True
    root.attrib["xmlns"] = SVG_NS
    if uses_xlink:
        root.attrib["xmlns:xlink"] = XLINK_NS
    return ET.tostring(root, encoding="unicode")


def standalone_svg(svg: str, chart_id: str, title: str, description: str) -> str:
    """The ``.svg`` file: restyled like the inline SVG, named by ``<title>``/``<desc>``."""
    root = ET.fromstring(accessible_svg(svg, chart_id))
    root.attrib.pop("aria-hidden", None)
    root.attrib.pop("class", None)
    root.attrib["role"] = "img"
    root.attrib["aria-labelledby"] = f"{chart_id}-title {chart_id}-desc"
    title_element = ET.Element(f"{{{SVG_NS}}}title", id=f"{chart_id}-title")
    title_element.text = title
    desc_element = ET.Element(f"{{{SVG_NS}}}desc", id=f"{chart_id}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + serialize(root)
