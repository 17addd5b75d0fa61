"""A build with invalid data fails, reports every error, and leaves the old output alone."""

import json

import pytest
from click.testing import CliRunner

from moldir.cli import main
from moldir.model.report import InvalidDatasets
from moldir.site.build import build_site


def break_dataset(project):
    """Two errors in one file, one in another dataset's descriptor."""
    data = project / "datasets" / "receptions-akimats" / "receptions.csv"
    lines = data.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("citizens_received")] = "many"
    lines[1] = ",".join(cells)
    cells = lines[2].split(",")
    cells[header.index("receptions")] = "-5"
    lines[2] = ",".join(cells)
    data.write_text("\n".join(lines) + "\n")
    descriptor = project / "datasets" / "front-office-visits" / "datapackage.json"
    content = json.loads(descriptor.read_text())
    content["resources"][0]["path"] = "../../secrets.csv"
    descriptor.write_text(json.dumps(content, indent=2))


def test_invalid_data_fails_the_build_and_keeps_the_old_output(project_copy):
    output = project_copy / "output"
    output.mkdir()
    (output / "index.html").write_text("previous site")
    break_dataset(project_copy)
    with pytest.raises(InvalidDatasets) as failure:
        build_site(project_copy / "pelicanconf.py", output)
    rows = failure.value.report.flatten(["dataset", "row", "field", "type"])
    assert rows == [
        ["front-office-visits", None, None, "unsafe-path"],
        ["receptions-akimats", 2, "citizens_received", "type-error"],
        ["receptions-akimats", 3, "receptions", "constraint-error"],
    ]
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text() == "previous site"
    assert not list(project_copy.glob(".output.building-*"))


def test_cli_reports_every_error_and_exits_1(project_copy, monkeypatch):
    break_dataset(project_copy)
    monkeypatch.chdir(project_copy)
    result = CliRunner().invoke(main, ["validate", "datasets"])
    assert result.exit_code == 1
    assert 'datasets/receptions-akimats/receptions.csv, row 2, field "citizens_received"' in (
        result.output
    )
    assert "[unsafe-path]" in result.output
    assert "3 errors in 2 of" in result.output

    github = CliRunner().invoke(main, ["validate", "--format", "github", "datasets"])
    assert github.exit_code == 1
    assert "::error file=datasets/receptions-akimats/receptions.csv,line=2," in github.output
    assert "::error file=datasets/front-office-visits/datapackage.json,line=" in github.output

    as_json = CliRunner().invoke(main, ["validate", "--format", "json", "datasets"])
    report = json.loads(as_json.output)
    assert report["valid"] is False and report["stats"]["errors"] == 3

    built = CliRunner().invoke(main, ["build", "--output", str(project_copy / "out")])
    assert built.exit_code == 1
    assert "previous output was left untouched" in built.output
    assert not (project_copy / "out").exists()


def test_cli_validate_one_dataset_folder(monkeypatch):
    result = CliRunner().invoke(main, ["validate", "datasets/receptions-akimats"])
    assert result.exit_code == 0, result.output
    assert "✓ receptions-akimats" in result.output
