"""`moldir new`: a draft from an editor's CSV that validates once the TODOs are written."""

import json

from click.testing import CliRunner

from moldir.cli import main
from moldir.datasets import todo_marks
from moldir.scaffold import fix_regional_numbers, new_dataset
from moldir.validation import ValidationOptions, validate_dataset

CSV_1251 = "орган;обращения;доля\nАкимат Астаны;21 325;12,5\nАкимат Алматы;617 280;3,1\n"

FILLED = {
    "title": "Appeals to akimats, 2022",
    "description": "Appeals received by two city akimats in 2022.",
    "licenses[0].name": "CC-BY-4.0",
    "licenses[0].title": "Creative Commons Attribution 4.0",
    "sources[0].title": "Akimat reports, 2022.",
    "keywords[0]": "appeals",
    "publisher.name": "Akimat of Astana",
    "topic": "appeals",
    "temporal.start": "2022-01-01",
    "temporal.end": "2022-12-31",
    "contactPoint.name": "Open data team",
    "contactPoint.email": "data@example.kz",
}


def fill(value, path=""):
    """The editor's work: every TODO replaced by real text."""
    if isinstance(value, dict):
        return {k: fill(v, f"{path}.{k}" if path else k) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str) and value.startswith("TODO:"):
        return FILLED.get(path, f"Filled {path.rsplit('.', 1)[-1]}")
    return value


def test_draft_from_a_windows_1251_semicolon_csv(tmp_path):
    source = tmp_path / "appeals.csv"
    source.write_bytes(CSV_1251.encode("cp1251"))
    scaffold = new_dataset(tmp_path / "datasets", "akimat-appeals", source)
    resource = scaffold.descriptor["resources"][0]
    assert resource["encoding"] == "cp1251" and resource["dialect"] == {"delimiter": ";"}
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["обращения"]["type"] == "number" and fields["обращения"]["groupChar"] == " "
    assert fields["доля"]["type"] == "number" and fields["доля"]["decimalChar"] == ","
    assert "title" in scaffold.todos and "contactPoint.email" in scaffold.todos

    folder = scaffold.folder
    task, dataset = validate_dataset(folder, ValidationOptions())
    assert dataset is None
    assert {e.type for e in task.errors} == {"metadata-required"}
    assert len(task.errors) == len(scaffold.todos)
    text_lines = (folder / "datapackage.json").read_text().splitlines()
    for error in task.errors:  # each mark on its own line, even when the wording repeats
        assert "TODO:" in text_lines[error.line - 1], error
    assert len({e.line for e in task.errors}) == len(task.errors)

    descriptor = fill(json.loads((folder / "datapackage.json").read_text()))
    assert not list(todo_marks(descriptor))
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False))
    task, dataset = validate_dataset(folder, ValidationOptions())
    assert task.valid, [e.message for e in task.errors]
    assert dataset is not None


def test_regional_number_detection():
    field = {"name": "x", "type": "string"}
    fix_regional_numbers(field, ["1 234,5", "7,25"])
    assert field["type"] == "number" and field["decimalChar"] == "," and field["groupChar"] == " "
    untouched = {"name": "y", "type": "string"}
    fix_regional_numbers(untouched, ["Akimat", "3,1"])
    assert untouched == {"name": "y", "type": "string"}


def test_cli_new_refuses_existing_folder_and_bad_slug(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.csv").write_text("body,count\nA,1\n")
    runner = CliRunner()
    first = runner.invoke(main, ["new", "my-data", "--from", "a.csv"])
    assert first.exit_code == 0, first.output
    assert "Still to write" in first.output and "moldir validate" in first.output
    again = runner.invoke(main, ["new", "my-data", "--from", "a.csv"])
    assert again.exit_code == 1 and "already exists" in again.output
    bad = runner.invoke(main, ["new", "My Data", "--from", "a.csv"])
    assert bad.exit_code == 1 and "not a valid slug" in bad.output
