"""Screenshots of the built example portal for the README and docs (docs/screenshots/).

Usage (from the repository root, after `make html`)::

    .venv/bin/python scripts/screenshots.py [output] [docs/screenshots]

It serves the built site on 127.0.0.1, opens it in Debian's Chromium (/usr/bin/chromium,
driven by Playwright; never a downloaded browser) at 1280 px (a desktop) and 360 px (a
phone), in Kazakh, and writes one PNG per view. The PNGs are made small with pngquant when
it is installed (`apt-get install pngquant`).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

# (file name, page, viewport, what to scroll into view first or None): the Kazakh portal.
VIEWS = [
    ("home-kk-desktop.png", "/", DESKTOP, None),
    ("dataset-kk-desktop.png", "/datasets/receptions-akimats/", DESKTOP, "figure.moldir-chart"),
    ("home-kk-phone.png", "/", PHONE, None),
    ("receptions-kk-phone.png", "/receptions/", PHONE, "section[data-body]"),
    ("dataset-kk-phone.png", "/datasets/receptions-akimats/", PHONE, "figure.moldir-chart"),
    ("preview-kk-phone.png", "/datasets/receptions-akimats/", PHONE, "#preview-receptions"),
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the base class names it "format"
        pass


def take(site: Path, folder: Path) -> list[Path]:
    """Write every view of ``site`` as a PNG into ``folder``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            for name, url, viewport, anchor in VIEWS:
                context = browser.new_context(viewport=viewport, reduced_motion="reduce")
                page = context.new_page()
                page.goto(base + url, wait_until="networkidle")
                if anchor:
                    # The element at the top, with the heading above it still in the picture.
                    page.evaluate(
                        "s => { document.querySelector(s).scrollIntoView({block: 'start'});"
                        " window.scrollBy(0, -96); }",
                        anchor,
                    )
                path = folder / name
                page.screenshot(path=str(path))
                written.append(path)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def shrink(paths: list[Path]) -> None:
    """Fewer colours (pngquant) for screenshots of text: a third of the size, same look."""
    if not shutil.which("pngquant"):
        print("pngquant not installed: the PNGs are left as Chromium wrote them")
        return
    for path in paths:
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--quality=70-95", "--ext", ".png", path],
            check=False,
        )


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "output")
    folder = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    if not (site / "index.html").is_file():
        sys.exit(f"{site}/index.html not found: build the portal first (make html)")
    written = take(site, folder)
    shrink(written)
    for path in written:
        print(f"{path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
