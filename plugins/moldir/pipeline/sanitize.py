"""HTML and SVG from input, cut down to what a page may hold (docs/security.md).

Templates escape every value (Jinja autoescaping, ``templating.install``); the only HTML
that reaches a page unescaped is made here and returned as ``Markup``:

- :func:`sanitize_html`: the HTML of Markdown pages and articles (and any other reader's),
  through nh3 (the Ammonia sanitiser) with an allowlist of prose elements: no script,
  style, frames, forms or embedded objects, no event handlers or ``style`` attributes, and
  links and images only to ``https``, ``http``, ``mailto`` or relative addresses.
- :func:`sanitize_svg`: a chart's inline SVG (rendered by vl-convert from a descriptor),
  reduced to drawing elements and attributes; its ``style`` attributes become classes or
  presentation attributes, since the Content-Security-Policy allows no inline styles.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET

import nh3
from markupsafe import Markup

from moldir.model.safety import safe_url

# --- HTML of pages and articles ----------------------------------------------------------

# Prose, lists, quotes, code, tables, figures and images; everything else is unwrapped
# (its text kept) or, for the elements below, dropped with its content.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code",
        "col", "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small",
        "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "time", "tr", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
# Elements whose content is code or markup, never text for the reader.
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"}
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    # ``id`` keeps footnotes and tables of contents working; ``class`` code highlighting.
    "*": {"id", "class", "lang", "dir", "title", "aria-label", "aria-hidden"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "th": {"scope", "colspan", "rowspan", "headers", "abbr"},
    "td": {"colspan", "rowspan", "headers"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
# Relative addresses (other pages, images of the site, #anchors) pass as they are.
URL_SCHEMES: frozenset[str] = frozenset({"https", "http", "mailto"})


def sanitize_html(html: object) -> Markup:
    """``html`` with only the allowed elements, attributes and URL schemes, as ``Markup``.

    Cleaning clean HTML gives it back unchanged, so HTML cleaned when it was read is
    cleaned again where it is shown at the cost of a dictionary look-up.
    """
    if html is None:
        return Markup("")
    return Markup(_clean(str(html)))


# Cleaned HTML by its input and by itself (a page is shown in every language run, in
# feeds and in its summary); emptied when full rather than evicting one by one.
_CLEANED: dict[str, str] = {}
_CLEANED_LIMIT = 20_000


def _clean(html: str) -> str:
    found = _CLEANED.get(html)
    if found is None:
        found = nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            # No rel="noopener noreferrer" on every link: no target is allowed, and links
            # to the portal's own pages keep their referrer.
            link_rel=None,
            strip_comments=True,
        )
        if len(_CLEANED) >= _CLEANED_LIMIT:
            _CLEANED.clear()
        _CLEANED[html] = found
        _CLEANED[found] = found
    return found


# --- inline SVG of charts ----------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

SVG_ELEMENTS: frozenset[str] = frozenset(
    {
        "svg", "g", "defs", "clipPath", "mask", "pattern", "symbol", "use", "path", "rect",
        "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
        "title", "desc", "linearGradient", "radialGradient", "stop", "a",
    }
)  # fmt: skip
# Presentation attributes and geometry; never an event handler, never an external address.
SVG_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "id", "class", "role", "focusable", "tabindex", "data-cell", "aria-labelledby",
        "aria-describedby", "aria-hidden", "aria-label", "lang", "version", "viewBox",
        "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx",
        "cy", "r", "rx", "ry", "dx", "dy", "d", "points", "transform", "pathLength",
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "opacity", "clip-path", "clip-rule", "mask", "color",
        "font-family", "font-size", "font-style", "font-weight", "font-variant",
        "letter-spacing", "text-anchor", "dominant-baseline", "alignment-baseline",
        "baseline-shift", "text-decoration", "writing-mode", "direction", "display",
        "visibility", "pointer-events", "shape-rendering", "text-rendering",
        "vector-effect", "paint-order", "offset", "stop-color", "stop-opacity",
        "gradientUnits", "gradientTransform", "spreadMethod", "fx", "fy", "fr",
        "patternUnits", "patternContentUnits", "patternTransform", "maskUnits",
        "maskContentUnits", "clipPathUnits", "startOffset", "textLength", "lengthAdjust",
    }
)  # fmt: skip
# A value may name a local fragment (``url(#clip1)``) but nothing outside the SVG.
_URL_REFERENCE = re.compile(r"url\s*\(", re.IGNORECASE)
_LOCAL_REFERENCE = re.compile(r"url\(\s*['\"]?#[\w.:-]+['\"]?\s*\)")
# A style value kept as a presentation attribute: colours, numbers, lengths, font names,
# ``var(--moldir-…, #hex)``; no quotes, backslashes, semicolons, braces or comments.
_SAFE_STYLE_VALUE = re.compile(r"^[\w\s#.,%()+-]*$")
_THEMED = re.compile(r"^var\(\s*--moldir-(chart-[a-z0-9]+)\s*,\s*[^()]+\)$")
# Custom properties of the chart palette that theme/static/css/components/chart.css maps
# to classes (``moldir-fill-chart-1`` …); any other value becomes an attribute.
THEMED_PROPERTIES: frozenset[str] = frozenset(
    {*(f"chart-{n}" for n in range(1, 7)), "chart-text", "chart-axis", "chart-grid", "chart-gap"}
)


def svg_class(prop: str, name: str) -> str:
    """The class that paints ``prop`` (fill or stroke) with ``--moldir-<name>``."""
    return f"moldir-{prop}-{name}"


def sanitize_svg(svg: str) -> Markup:
    """The chart's SVG with only drawing elements and attributes, as ``Markup``."""
    return Markup(_clean_svg(svg))


@functools.lru_cache(maxsize=2048)
def _clean_svg(svg: str) -> str:
    # Cached: one chart is inlined on its dataset page, its chart page and the home page,
    # in every language.
    root = ET.fromstring(svg)
    if _local_name(root.tag) != "svg" or _namespace(root.tag) not in (SVG_NS, ""):
        return ""
    _clean_svg_element(root)
    for element in root.iter():
        element.tag = _local_name(element.tag)
    root.attrib["xmlns"] = SVG_NS
    if any(name.startswith("xlink:") for element in root.iter() for name in element.attrib):
        root.attrib["xmlns:xlink"] = XLINK_NS
    return ET.tostring(root, encoding="unicode")


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local_name(tag: str) -> str:
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def _clean_svg_element(element: ET.Element) -> None:
    for child in list(element):
        tag = child.tag if isinstance(child.tag, str) else ""
        if _namespace(tag) not in (SVG_NS, "") or _local_name(tag) not in SVG_ELEMENTS:
            element.remove(child)  # script, foreignObject, image, style, animate, …
            continue
        _clean_svg_element(child)
    local = _local_name(element.tag)
    attributes = dict(element.attrib)
    element.attrib.clear()
    classes = attributes.pop("class", "").split()
    styles = attributes.pop("style", "")
    for name, value in attributes.items():
        if name in (f"{{{XLINK_NS}}}href", "href"):
            link = _svg_link(local, value)
            if link is not None:
                element.attrib["xlink:href" if name.startswith("{") else "href"] = link
            continue
        if _namespace(name) or name not in SVG_ATTRIBUTES:
            continue
        if _URL_REFERENCE.search(value) and not _only_local_references(value):
            continue
        element.attrib[name] = value
    for declaration in styles.split(";"):
        prop, _, value = (part.strip() for part in declaration.partition(":"))
        prop = prop.lower()
        themed = _THEMED.match(value)
        if prop in ("fill", "stroke") and themed and themed.group(1) in THEMED_PROPERTIES:
            classes.append(svg_class(prop, themed.group(1)))
            element.attrib.pop(prop, None)
        elif (
            prop in SVG_ATTRIBUTES
            and prop not in element.attrib
            and _SAFE_STYLE_VALUE.match(value)
            and (not _URL_REFERENCE.search(value) or _only_local_references(value))
        ):
            element.attrib[prop] = value
    if classes:
        element.attrib["class"] = " ".join(dict.fromkeys(c for c in classes if _CLASS.match(c)))


_CLASS = re.compile(r"^[A-Za-z_][\w-]*$")


def _only_local_references(value: str) -> bool:
    return len(_URL_REFERENCE.findall(value)) == len(_LOCAL_REFERENCE.findall(value))


def _svg_link(element: str, value: str) -> str | None:
    """A ``use`` may point inside the SVG; an ``a`` only where a link from input may lead."""
    if element == "use":
        return value if re.fullmatch(r"#[\w.:-]+", value) else None
    if element == "a":
        return safe_url(value)
    return None


# --- SVG files from content/ -------------------------------------------------------------

# What makes an SVG document active when it is opened on its own: scripts, HTML inside it,
# event handlers, links and animations that run ``javascript:``, entity declarations.
PASSIVE_SCHEMES = (None, "http", "https", "mailto")
_ACTIVE_SVG_ELEMENTS = frozenset(
    {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
)


def svg_file_problem(data: bytes) -> str | None:
    """Why an SVG image from content/ may not be published (it could run script when
    opened on its own), or None."""
    from moldir.model.safety import url_scheme

    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower() or b"<?xml-stylesheet" in head:
        return "declares a document type, entities or a stylesheet"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return f"is not well-formed XML ({error})"
    for element in root.iter():
        tag = _local_name(element.tag) if isinstance(element.tag, str) else ""
        if tag in _ACTIVE_SVG_ELEMENTS:
            return f"holds a <{tag}> element"
        for name, value in element.attrib.items():
            local = _local_name(name).lower()
            if local.startswith("on"):
                return f"has an event handler ({local}) on <{tag}>"
            embedded = tag == "image" and re.match(r"^data:image/(png|jpeg|gif|webp);", value)
            if local == "href" and not embedded and url_scheme(value) not in PASSIVE_SCHEMES:
                return f"links to {value[:40]!r} from <{tag}>"
            if local in ("attributename", "values", "to", "from", "by") and re.search(
                r"href|javascript:", value, re.IGNORECASE
            ):
                return f"animates a link on <{tag}>"
    return None
