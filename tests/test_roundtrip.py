"""Round trip: every published datapackage.json, with its published files, passes
``frictionless validate``, and every publisher's original file is published byte-identical
(docs/open-data.md, "Downloads").

Checked on every dataset of the example portal (the session's built site) and on real
packages from public repositories built in a throwaway project: excerpts vendored in
tests/fixtures/roundtrip/ (GC InfoBase with a byte order mark, multi-line EN/FR cells and
long decimals; New Zealand OIA statistics with no schema; US Congress offices with a foreign
key and CRLF lines; see its SOURCE.md), data-hub's gdp and population (tests/fixtures/datahub/)
and the Frictionless example packages Moldir accepts (tests/fixtures/frictionless/).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import frictionless
import pytest
from hostile.conftest import HostileProject

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
REAL = {
    "ca-gc-infobase": FIXTURES / "roundtrip" / "ca-gc-infobase",
    "nz-oia": FIXTURES / "roundtrip" / "nz-oia",
    "us-congress": FIXTURES / "roundtrip" / "us-congress",
    "gdp": FIXTURES / "datahub" / "gdp",
    "population": FIXTURES / "datahub" / "population",
    **{
        name: FIXTURES / "frictionless" / "frictionless-example-packages" / name
        for name in (
            "countries-and-currencies",
            "donation-codes",
            "donations",
            "units-and-prefixes",
        )
    },
}


def check_round_trip(site: Path, source_root: Path, slug: str) -> dict:
    """Validate ``site``'s published package of ``slug``; check its originals against the
    files of ``source_root/slug``; return the published descriptor."""
    path = site / "datasets" / slug / "datapackage.json"
    report = frictionless.Package(str(path)).validate()
    assert report.valid, (slug, report.flatten(["resourceName", "rowNumber", "fieldName", "type"]))
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    source = json.loads((source_root / slug / "datapackage.json").read_text(encoding="utf-8"))
    originals = {
        r["moldir:originalOf"]: r for r in descriptor["resources"] if "moldir:originalOf" in r
    }
    for resource in source["resources"]:
        if "path" not in resource:
            assert resource["name"] not in originals  # inline data has no original
            continue
        original = originals[resource["name"]]
        published = (site / "datasets" / slug / original["path"]).read_bytes()
        assert published == (source_root / slug / resource["path"]).read_bytes(), original
    return descriptor


def test_every_package_of_the_example_portal_round_trips(site):
    slugs = sorted(p.parent.name for p in (ROOT / "datasets").glob("*/datapackage.json"))
    assert slugs, "the example portal has datasets"
    published = sorted(p.parent.name for p in (site / "datasets").glob("*/datapackage.json"))
    assert published == slugs
    for slug in slugs:
        descriptor = check_round_trip(site, ROOT / "datasets", slug)
        for resource in descriptor["resources"]:
            if "moldir:originalOf" not in resource:
                assert resource["dialect"]["delimiter"] == "," and resource["encoding"] == "utf-8"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> tuple[Path, Path]:
    """One build of the real packages: (the built site, the datasets folder built from)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOLDIR_NO_CACHE", "1")
        project = HostileProject(tmp_path_factory.mktemp("real") / "project")
        # GC InfoBase is budget data: a topic of the international example, not of the
        # Kazakh portal whose settings the project copies.
        settings = project.root / "pelicanconf.py"
        settings.write_text(settings.read_text() + '\nMOLDIR["topics"].append("budget")\n')
        for slug, folder in REAL.items():
            shutil.copytree(folder, project.root / "datasets" / slug)
        outcome = project.build()
        assert outcome.built, outcome.errors(("dataset", "file", "row", "field", "type"))
        yield outcome.output, project.root / "datasets"


@pytest.mark.parametrize("slug", sorted(REAL))
def test_real_packages_round_trip(real_site, slug):
    site, datasets = real_site
    check_round_trip(site, datasets, slug)


def test_long_decimals_and_negatives_of_gc_infobase_are_exact(real_site):
    site, _datasets = real_site
    spending = (site / "datasets" / "ca-gc-infobase" / "program-spending.csv").read_text()
    assert spending.splitlines()[13].startswith("AGR,AAB00,-2158400.62,-2233091.38,-962575.39,")
    subprograms = json.loads(
        (site / "datasets" / "ca-gc-infobase" / "subprograms.json").read_text()
    )
    figures = {str(row["fte_pa_last_year"]) for row in subprograms} | {
        str(row["planned_fte_pa_last_year"]) for row in subprograms
    }
    assert {"145.33390534", "441.1387053"} <= figures
    # Multi-line cells in both languages survive, quoted.
    source = (REAL["ca-gc-infobase"] / "data" / "subprograms.csv").read_text("utf-8-sig")
    expected = [row["drr_spend_expl_fr"] or None for row in csv.DictReader(io.StringIO(source))]
    assert [row["drr_spend_expl_fr"] for row in subprograms] == expected
    assert sum("\n" in (text or "") for text in expected) == 4


def test_a_package_without_schema_is_published_with_the_schema_frictionless_inferred(real_site):
    site, _datasets = real_site
    descriptor = json.loads((site / "datasets" / "nz-oia" / "datapackage.json").read_text())
    fields = {f["name"]: f["type"] for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["OrgID"] == "integer"
    assert fields["SurveyPeriodEndDate"] == "date"
    assert fields["Agency"] == "string"


def test_foreign_keys_of_originals_point_at_originals(real_site):
    site, _datasets = real_site
    descriptor = json.loads((site / "datasets" / "us-congress" / "datapackage.json").read_text())
    by_name = {r["name"]: r for r in descriptor["resources"]}
    assert by_name["offices"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "legislators"
    original = by_name["offices-original"]["schema"]["foreignKeys"][0]["reference"]
    assert original == {"resource": "legislators-original", "fields": ["bioguide_id"]}
    # CRLF in the publisher's file, LF in the normalised one.
    assert (
        b"\r\n"
        in (site / "datasets" / "us-congress" / "original" / "legislators-current.csv").read_bytes()
    )
    assert b"\r" not in (site / "datasets" / "us-congress" / "legislators.csv").read_bytes()
