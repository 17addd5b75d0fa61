"""Shared fixtures: the example portals built once per session with a real Pelican.

``site`` is the Kazakh example portal (the repository root); ``site_international`` the
second example project, reference data of other countries (examples/international/),
which holds the budget pages and the foreign appeal and reception data.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from moldir import connect_features
from moldir.model.settings import environment_settings
from moldir.site.build import build_site

ROOT = Path(__file__).resolve().parents[1]
# The reference data the tests compare against (the report's seed figures, reference
# corpora), vendored with their SOURCE.md (tests/fixtures/reference/README.md), so that every
# clone runs these tests.
REFERENCE = ROOT / "tests" / "fixtures" / "reference"
# The second example project: its own settings, content and datasets.
INTERNATIONAL = ROOT / "examples" / "international"


@pytest.fixture(scope="session")
def reference() -> Path:
    assert REFERENCE.is_dir(), f"{REFERENCE} (the vendored reference data) is missing"
    return REFERENCE


@pytest.fixture(scope="session")
def corpus(reference: Path) -> Path:
    return reference / "corpus"


# The session fixtures that build a whole example site (about a minute each on 2 cores).
SITE_FIXTURES = frozenset({"site", "site_international"})


def pytest_report_collectionfinish(config, start_path, items) -> list[str]:
    """The phases of the run with their counts, under "collected N items": what is fast,
    what waits for a site build, what runs in Chromium."""
    browser = sum(1 for item in items if item.get_closest_marker("browser"))
    on_sites = sum(
        1
        for item in items
        if not item.get_closest_marker("browser")
        and SITE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )
    unit = len(items) - browser - on_sites
    return [
        f"phases: {unit:,} unit and project tests; {on_sites:,} on the built example sites "
        f"(each site is built once, about a minute, when its first test runs); "
        f"{browser:,} browser tests in Chromium"
    ]


BROWSER_STARTED = pytest.StashKey[bool]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Say when the browser phase starts (Chromium and the served sites take a while)."""
    if item.get_closest_marker("browser") and not item.config.stash.get(BROWSER_STARTED, False):
        item.config.stash[BROWSER_STARTED] = True
        say(item.config, "Browser tests: starting Chromium, serving the built sites on 127.0.0.1…")


def say(config: pytest.Config, text: str) -> None:
    """A line of its own in the test output (between the dots), whatever the capture."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.ensure_newline()
        # With -q the dots carry no file name, which ensure_newline goes by.
        if getattr(getattr(reporter, "_tw", None), "width_of_current_line", 0):
            reporter.write("\n")
        reporter.write_line(text)


def build_example(request, settings: Path, name: str, output: Path) -> Path:
    """Build an example site for the session, saying so (a build is the longest wait)."""
    connect_features()
    say(request.config, f"Building the {name} for the tests…")
    started = time.perf_counter()
    # As ``moldir build`` runs it: the environment is read at the edge (here, and in the
    # command line), never by the package.
    result = build_site(
        settings,
        output,
        environment_settings(os.environ) or None,
        use_cache=not os.environ.get("MOLDIR_NO_CACHE"),
    )
    seconds = time.perf_counter() - started
    say(request.config, f"The {name}: {result.files:,} files built in {seconds:.0f} s")
    return output


@pytest.fixture(scope="session")
def site(tmp_path_factory, request) -> Path:
    """The example portal, built from this repository into a temporary folder."""
    output = tmp_path_factory.mktemp("site") / "output"
    return build_example(request, ROOT / "pelicanconf.py", "example portal", output)


@pytest.fixture(scope="session")
def site_international(tmp_path_factory, request) -> Path:
    """The international reference example (examples/international/), built once."""
    output = tmp_path_factory.mktemp("site-international") / "output"
    settings = INTERNATIONAL / "pelicanconf.py"
    return build_example(request, settings, "international reference example", output)


class Site:
    """Reading files of a built site: HTML parsed with BeautifulSoup, JSON loaded."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, url: str) -> Path:
        relative = url.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        return self.root / relative

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "html.parser")

    def json(self, url: str):
        return json.loads(self.path(url).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built(site: Path) -> Site:
    return Site(site)


@pytest.fixture(scope="session")
def built_en(site: Path) -> Site:
    """The English version of the built portal (at /en/: the example portal is trilingual)."""
    assert (site / "en").is_dir(), f"{site} has no English version at /en/"
    return Site(site / "en")


@pytest.fixture(scope="session")
def built_international(site_international: Path) -> Site:
    return Site(site_international)


@pytest.fixture(scope="session")
def built_international_en(site_international: Path) -> Site:
    """The English version of the international example (at /en/)."""
    assert (site_international / "en").is_dir(), "the international example has no /en/"
    return Site(site_international / "en")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the project (settings, content, theme, datasets) to break."""
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("content", "theme", "datasets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path
