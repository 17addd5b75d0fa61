"""Shared fixtures: the example portals built once per session with a real Pelican.

``site`` is the Kazakh example portal (the repository root); ``site_international`` the
second example project, reference data of other countries (examples/international/),
which holds the budget pages and the foreign appeal and reception data.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from moldir import connect_features
from moldir.build import build_site

ROOT = Path(__file__).resolve().parents[1]
# The reference data the tests compare against, vendored from the team's shared folder
# (tests/fixtures/reference/README.md), so that every clone runs these tests.
SHARED = ROOT / "tests" / "fixtures" / "reference"
# The second example project: its own settings, content and datasets.
INTERNATIONAL = ROOT / "examples" / "international"


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"{SHARED} (the vendored reference data) is missing"
    return SHARED


@pytest.fixture(scope="session")
def corpus(shared: Path) -> Path:
    return shared / "corpus"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The example portal, built from this repository into a temporary folder."""
    connect_features()
    output = tmp_path_factory.mktemp("site") / "output"
    build_site(ROOT / "pelicanconf.py", output)
    return output


@pytest.fixture(scope="session")
def site_international(tmp_path_factory) -> Path:
    """The international reference example (examples/international/), built once."""
    connect_features()
    output = tmp_path_factory.mktemp("site-international") / "output"
    build_site(INTERNATIONAL / "pelicanconf.py", output)
    return output


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
    """The English version of the built portal (at /en/ once the portal is multilingual)."""
    return Site(site / "en") if (site / "en").is_dir() else Site(site)


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
