"""What the browser tests share: Chromium's location and flags, the page types of the
portal, the local server's request handler, the VI settings and colour arithmetic."""

from __future__ import annotations

import json
import os
import re
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

CHROMIUM = os.environ.get("MOLDIR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}

# The five colour schemes of the VI mode, text on background (ACCESSIBILITY.md).
SCHEMES = {
    "bw": ("#000000", "#ffffff"),
    "wb": ("#ffffff", "#000000"),
    "blue": ("#063462", "#9dd1ff"),
    "brown": ("#4d4b43", "#f7f3d6"),
    "green": ("#a9e44d", "#3b2716"),
}

# Every page type of the portal. A type missing from the built site fails its tests
# (url_of in conftest.py): a page that stopped being built must not pass as skipped.
PAGE_TYPES = [
    "home",
    "catalogue",
    "dataset",
    "chart",
    "article",
    "about",
    "quality",
    "search",
    "not-found",
    "appeals",
    "receptions",
    "budget",
    "catalogue-facet",
    "facet-values",
    "reception-body",
    "budget-administrator",
    "schemas",
    "news",
    "answers",
    "answers-list",
    "answers-item",
    "international-appeals",
    "international-dataset",
    "commitments",
    "commitment",
    "commitments-filter",
    "data-requests",
]
# Page types of the international reference example (examples/international/): the
# Kazakh example portal publishes no budget data.
INTERNATIONAL_PAGE_TYPES = {
    "budget",
    "budget-administrator",
    "international-appeals",
    "international-dataset",
}


def _first(paths: list[Path]) -> Path | None:
    return sorted(paths)[0] if paths else None


def page_url(root: Path, page_type: str) -> str | None:
    """The URL path of one page of the given type in the built site, or None if absent."""
    fixed = {
        "home": "index.html",
        "catalogue": "datasets/index.html",
        "about": "about/index.html",
        "quality": "quality/index.html",
        "search": "search/index.html",
        "appeals": "appeals/index.html",
        "receptions": "receptions/index.html",
        "budget": "budget/index.html",
        "schemas": "schemas/index.html",
        "commitments": "commitments/index.html",
        "data-requests": "data-requests/index.html",
        "news": "news/index.html",
        "answers": "answers/index.html",
        # The international example's appeals (long English body names) and its budget
        # dataset (the widest preview: amounts beside long program names).
        "international-appeals": "appeals/index.html",
        "international-dataset": "datasets/budget-canada-programs/index.html",
    }
    if page_type == "not-found":
        return "/no/such/page/at/any/depth/" if (root / "404.html").is_file() else None
    if page_type in fixed:
        path = root / fixed[page_type]
    elif page_type == "dataset":
        path = _first(list(root.glob("datasets/*/index.html")))
    elif page_type == "chart":
        path = _first(list(root.glob("datasets/*/charts/*/index.html")))
    elif page_type == "reception-body":
        path = _first(list(root.glob("receptions/*/index.html")))
    elif page_type == "budget-administrator":
        path = _first(list(root.glob("budget/*/index.html")))
    elif page_type == "answers-list":  # the answers on one topic (features/answers)
        path = _first(list(root.glob("answers/topic/*/index.html")))
    elif page_type == "answers-item":  # one published answer
        path = _first(
            [p for p in root.glob("answers/*/index.html") if p.parent.name not in ("topic", "body")]
        )
    elif page_type == "commitment":  # one commitment (its id is a folder beside browse/)
        path = _first(
            [p for p in root.glob("commitments/*/index.html") if p.parent.name != "browse"]
        )
    elif page_type == "commitments-filter":  # the commitments of one district (the widest)
        path = _first(list(root.glob("commitments/browse/district/*/index.html")))
    elif page_type == "article":
        path = _first([p for p in root.glob("news/*/index.html")])
    elif page_type == "catalogue-facet":  # one facet value's datasets (catalogue.py)
        path = _first(list(root.glob("datasets/browse/topic/*/updated/index.html")))
    elif page_type == "facet-values":  # every value of one facet
        path = _first(list(root.glob("datasets/browse/*/index.html")))
    else:  # pragma: no cover - a typo in PAGE_TYPES
        raise ValueError(page_type)
    if path is None or not path.is_file():
        return None
    return "/" + str(path.relative_to(root).parent).replace("\\", "/").strip(".") + "/"


LANGUAGES = ["kk", "ru", "en"]


def in_language(url: str, lang: str) -> str:
    """The same page in another language of the portal (the default, kk, is at the root;
    the 404 page answers any path)."""
    if lang == LANGUAGES[0]:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{lang}{parts.path}"))


class PortalRequestHandler(SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's 404.html with status 404 (as hosts do)."""

    def log_message(self, format, *args):  # quiet test output
        pass

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def vi_settings(**settings: str) -> dict[str, str]:
    """A full set of VI settings (the defaults of moldir.js, overridden)."""
    return {
        "font": "100",
        "scheme": "bw",
        "images": "on",
        "line": "1.5",
        "spacing": "normal",
        "family": "sans",
        "embeds": "on",
        **settings,
    }


def store_vi_settings(context, settings: dict[str, str]) -> None:
    """Save VI settings in localStorage before any page script runs, as a returning user."""
    context.add_init_script(
        f"window.localStorage.setItem('moldir-vi', {json.dumps(json.dumps(settings))});"
    )


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def parse_color(text: str) -> tuple[int, int, int]:
    """An sRGB colour from ``#rrggbb`` or a computed ``rgb(r, g, b)``/``rgba(...)``."""
    text = text.strip().lower()
    if text.startswith("#") and len(text) == 7:
        return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))
    numbers = re.findall(r"[\d.]+", text)
    if len(numbers) < 3:
        raise ValueError(f"not a colour: {text!r}")
    return tuple(round(float(n)) for n in numbers[:3])


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(color: str) -> float:
        r, g, b = (_channel(c) for c in parse_color(color))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
