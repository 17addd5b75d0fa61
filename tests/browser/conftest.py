"""Real-browser fixtures: the built example portal served locally, one Chromium per session.

Debian's Chromium (``/usr/bin/chromium``) driven by Python Playwright; never a downloaded
browser. The international reference example (examples/international/) is served too: the
budget pages are its own. Without Chromium the browser tests are skipped — except in CI
(``CI=true``), where a missing browser is a failure, so a broken CI image cannot pass
silently.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

# The test modules here import their shared helpers from browser_support.py.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    INTERNATIONAL_PAGE_TYPES,
    PortalRequestHandler,
    page_url,
)


@pytest.fixture(scope="session")
def portal_root(request) -> Path:
    """The built example portal: the session's shared build (tests/conftest.py), or an
    already built folder named by ``MOLDIR_BROWSER_SITE`` (to iterate on the theme fast)."""
    prebuilt = os.environ.get("MOLDIR_BROWSER_SITE")
    if prebuilt:
        return Path(prebuilt).resolve()
    return request.getfixturevalue("site")


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """A built site served by http.server on 127.0.0.1, on a free port, in a thread."""
    handler = functools.partial(PortalRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(portal_root: Path) -> Iterator[str]:
    """The portal served on 127.0.0.1."""
    with served(portal_root) as url:
        yield url


@pytest.fixture(scope="session")
def international_root(request) -> Path:
    """The built international example: the session's build (tests/conftest.py), or a
    folder named by ``MOLDIR_BROWSER_INTERNATIONAL_SITE``."""
    prebuilt = os.environ.get("MOLDIR_BROWSER_INTERNATIONAL_SITE")
    if prebuilt:
        return Path(prebuilt).resolve()
    return request.getfixturevalue("site_international")


@pytest.fixture(scope="session")
def international_url(international_root: Path) -> Iterator[str]:
    """The international example served on 127.0.0.1 (its own port)."""
    with served(international_root) as url:
        yield url


@pytest.fixture(scope="session")
def browser(base_url: str, international_url: str):
    """One headless Debian Chromium for the whole session.

    Depends on ``base_url`` and ``international_url`` so that both sites are built first:
    a build runs asyncio (Pagefind), which cannot start inside Playwright's running event
    loop.
    """
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (install Debian's: apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; browser tests must run in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser context per test: its own localStorage, so settings never leak."""
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.script_errors = errors
    return page


@pytest.fixture
def url_of(portal_root: Path, base_url: str, international_root: Path, international_url: str):
    """``url_of("dataset")``: the full URL of a page type; the budget pages are the
    international example's. A page type the built site lacks is a failure, not a skip."""

    def resolve(page_type: str) -> str:
        root, base = portal_root, base_url
        if page_type in INTERNATIONAL_PAGE_TYPES:
            root, base = international_root, international_url
        path = page_url(root, page_type)
        if path is None:
            pytest.fail(f"the built site {root} has no {page_type} page")
        return base + path

    return resolve
