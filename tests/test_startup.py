"""``moldir validate`` loads only what validating needs (docs/performance.md).

Each case runs the command in a fresh interpreter (the project root as working folder, so
pelicanconf.py is read) and looks at ``sys.modules`` afterwards: drawing (Altair,
vl_convert), writing (XlsxWriter, icalendar), Pelican and pandas must not be imported for a
plain dataset, whose validation needs none of them. No timing is asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from moldir import FEATURES
from moldir.cli import project_settings
from moldir.model.settings import MoldirSettings
from moldir.site.build import load_settings

ROOT = Path(__file__).resolve().parents[1]

# Runs ``moldir validate <folder> --format json`` and writes the exit code and the
# imported modules to the file named by the last argument.
RUN_VALIDATE = """
import json, sys
from moldir.cli import main
folder, result = sys.argv[1], sys.argv[2]
try:
    main(["validate", folder, "--format", "json"])
except SystemExit as exit_:
    code = exit_.code
with open(result, "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""

# Loaded only to draw charts, write downloads and calendars, or render pages.
PAGE_MODULES = ("altair", "vl_convert", "xlsxwriter", "icalendar", "pelican", "pelican.generators")

PLAIN_DESCRIPTOR = {
    "name": "plain",
    "title": "A plain dataset",
    "description": "Counts by region, with no kind and no views.",
    "licenses": [{"name": "CC-BY-4.0"}],
    "resources": [
        {
            "name": "plain",
            "path": "plain.csv",
            "schema": {
                "fields": [
                    {"name": "id", "type": "integer", "constraints": {"unique": True}},
                    {"name": "region", "type": "string"},
                    {"name": "count", "type": "integer"},
                ]
            },
        }
    ],
}


def run_validate(folder: Path, tmp_path: Path, project: Path = ROOT) -> tuple[int, set[str]]:
    """``moldir validate folder`` run in ``project`` (whose pelicanconf.py it reads)."""
    result = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", RUN_VALIDATE, str(folder), str(result)],
        cwd=project,
        check=True,
        capture_output=True,
    )
    found = json.loads(result.read_text(encoding="utf-8"))
    return found["code"], set(found["modules"])


@pytest.fixture
def plain_dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "datapackage.json").write_text(json.dumps(PLAIN_DESCRIPTOR), encoding="utf-8")
    (folder / "plain.csv").write_text("id,region,count\n1,Almaty,3\n2,Astana,5\n")
    return folder


def test_plain_dataset_loads_no_page_code_nor_pandas(plain_dataset: Path, tmp_path: Path):
    code, modules = run_validate(plain_dataset, tmp_path)
    assert code == 0
    assert "frictionless" in modules  # the check did run
    assert {
        "moldir.features.kinds",
        "moldir.features.charts",
    } <= modules  # and the features' checks with it
    assert not modules & {*PAGE_MODULES, "pandas"}


def test_plain_dataset_with_errors_loads_no_page_code(plain_dataset: Path, tmp_path: Path):
    (plain_dataset / "plain.csv").write_text("id,region,count\n1,Almaty,three\n1,Astana,5\n")
    code, modules = run_validate(plain_dataset, tmp_path)
    assert code == 1
    assert not modules & {*PAGE_MODULES, "pandas"}


def test_a_big_file_on_the_fast_path_loads_no_pandas(plain_dataset: Path, tmp_path: Path):
    # Over fastcheck's 256 KiB threshold, with a repeated id: arrays built by pyarrow from
    # Python values, numpy views of booleans and arrow's group_by would all import pandas.
    rows = [f"{n},Region {n % 17},{n % 1000}" for n in range(1, 30_001)]
    rows.append("7,Region 7,7")
    (plain_dataset / "plain.csv").write_text("id,region,count\n" + "\n".join(rows) + "\n")
    assert (plain_dataset / "plain.csv").stat().st_size > 256 * 1024
    code, modules = run_validate(plain_dataset, tmp_path)
    assert code == 1  # the repeated id was found
    assert not modules & {*PAGE_MODULES, "pandas"}


@pytest.mark.parametrize(
    ("project", "slug"),
    [
        (ROOT / "examples" / "international", "budget-canada-programs"),
        (ROOT, "appeal-statistics-kazakhstan"),
    ],
)
def test_kind_checks_read_tables_but_draw_nothing(project: Path, slug: str, tmp_path: Path):
    # A kind's checks read the typed table (pandas), and nothing more.
    code, modules = run_validate(project / "datasets" / slug, tmp_path, project)
    assert code == 0
    assert "pandas" in modules
    assert not modules & set(PAGE_MODULES)


def test_whole_example_portal_draws_and_writes_nothing(tmp_path: Path):
    # Reception schedules check their rules with icalendar; charts are parsed, not drawn.
    code, modules = run_validate(ROOT / "datasets", tmp_path)
    assert code == 0
    assert not modules & {"altair", "vl_convert", "xlsxwriter", "pelican", "pelican.generators"}


def test_checks_run_in_features_order_without_pelican(tmp_path: Path):
    """Without Pelican imported, Moldir's signals still call receivers in FEATURES order
    (the order of errors in a report depends on it)."""
    script = (
        "import json, sys\n"
        "from moldir import connect_features\n"
        "from moldir.pipeline import signals\n"
        "connect_features(pelican=False)\n"
        "names = [r.__module__ for r in signals.validation_checks.receivers_for(None)]\n"
        "print(json.dumps({'pelican': 'pelican' in sys.modules, 'order': names}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True
    )
    found = json.loads(done.stdout)
    assert found["pelican"] is False
    assert found["order"] == [name for name in FEATURES if name in found["order"]]
    assert found["order"][:2] == ["moldir.features.kinds", "moldir.features.charts"]


def test_validate_reads_the_same_moldir_settings_as_pelican(monkeypatch):
    """``moldir validate`` runs pelicanconf.py itself; MOLDIR must be what Pelican reads."""
    monkeypatch.chdir(ROOT)
    ours = project_settings()
    assert ours == MoldirSettings.from_pelican(load_settings(ROOT / "pelicanconf.py"))
    assert ours != MoldirSettings()  # the example portal sets some: the file was read
