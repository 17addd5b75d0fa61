"""Data Packages as other publishers write them: what the portal fills in, and the
metadata it derives from the data (docs/editors.md, "What Moldir fills in")."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from hostile.conftest import HostileProject, package, table


@pytest.fixture
def project(tmp_path, monkeypatch) -> HostileProject:
    monkeypatch.setenv("MOLDIR_NO_CACHE", "1")
    return HostileProject(tmp_path / "project")


def jsonld(output, slug):
    page = BeautifulSoup((output / "datasets" / slug / "index.html").read_text(), "html.parser")
    return json.loads(page.find("script", type="application/ld+json").string)


def test_temporal_coverage_comes_from_the_data_when_not_declared(project):
    fields = [{"name": "day", "type": "date"}, {"name": "n", "type": "integer"}]
    project.dataset(
        "series",
        package([table(fields=fields)]),
        {"data.csv": "day,n\n2021-03-01,1\n2019-12-31,2\n,3\n2020-06-15,4\n"},
    )
    outcome = project.build()
    assert outcome.built
    assert jsonld(outcome.output, "series")["temporalCoverage"] == "2019-12-31/2021-03-01"
    api = json.loads((outcome.output / "datasets" / "series" / "index.json").read_text())
    assert api["temporal"] == {"start": "2019-12-31", "end": "2021-03-01"}


def test_a_declared_temporal_coverage_wins(project):
    fields = [{"name": "year", "type": "year"}, {"name": "n", "type": "integer"}]
    project.dataset(
        "series",
        package([table(fields=fields)], temporal={"start": "2000", "end": "2030"}),
        {"data.csv": "year,n\n2010,1\n2012,2\n"},
    )
    outcome = project.build()
    assert jsonld(outcome.output, "series")["temporalCoverage"] == "2000/2030"


def test_years_are_a_coverage_too(project):
    fields = [{"name": "year", "type": "year"}, {"name": "n", "type": "integer"}]
    project.dataset(
        "series", package([table(fields=fields)]), {"data.csv": "year,n\n2012,1\n1990,2\n"}
    )
    outcome = project.build()
    assert jsonld(outcome.output, "series")["temporalCoverage"] == "1990/2012"


def test_no_temporal_field_no_coverage(project):
    project.dataset("plain", package([table()]), {"data.csv": "text\nhello\n"})
    outcome = project.build()
    assert "temporalCoverage" not in jsonld(outcome.output, "plain")
