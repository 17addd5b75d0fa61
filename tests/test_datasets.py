"""Unit tests of descriptor checks (inline data, no Pelican)."""

import json
from pathlib import Path

from moldir.pipeline.discover import check_descriptor, line_of, metadata_texts, read_descriptor

GOOD = {
    "name": "example",
    "title": "Example",
    "description": "Counts.",
    "licenses": [{"name": "CC-BY-4.0"}],
    "resources": [{"name": "data", "path": "data.csv"}],
}


def write(folder: Path, descriptor: dict, files: dict[str, str] | None = None) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(descriptor, indent=2)
    (folder / "datapackage.json").write_text(text)
    for name, content in (files or {}).items():
        (folder / name).write_text(content)
    return text


def check(folder: Path, descriptor: dict, files=None, max_bytes=10_000):
    text = write(folder, descriptor, files)
    return check_descriptor(folder.name, folder, descriptor, text, "datapackage.json", max_bytes)


def test_valid_descriptor_has_no_errors(tmp_path):
    assert check(tmp_path / "example", GOOD, {"data.csv": "a\n1\n"}) == []


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    descriptor = {
        "title": "<b>Bold</b> title",
        "resources": [
            {"name": "up", "path": "../secret.csv"},
            {"name": "remote", "path": "https://example.org/data.csv"},
            {"name": "missing", "path": "missing.csv"},
            {"name": "big", "path": "big.csv"},
        ],
    }
    errors = check(tmp_path / "example", descriptor, {"big.csv": "x" * 200}, max_bytes=100)
    types = sorted(error.type for error in errors)
    assert types == [
        "file-too-large",
        "metadata-markup",
        "metadata-required",  # licenses (a missing title or description is a warning)
        "missing-file",
        "remote-reference",
        "unsafe-path",
    ]
    unsafe = next(error for error in errors if error.type == "unsafe-path")
    assert unsafe.resource == "up"
    assert unsafe.line == line_of(json.dumps(descriptor, indent=2), '"../secret.csv"')
    assert "leaves the dataset folder" in unsafe.message


def test_bad_json_names_the_line(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "datapackage.json").write_text('{\n  "title": "x",\n  "resources": [,]\n}\n')
    try:
        read_descriptor(folder)
    except Exception as problem:  # DescriptorProblem
        (error,) = problem.errors
        assert error.type == "descriptor-error"
        assert error.line == 3
    else:
        raise AssertionError("a broken descriptor must not load")


def test_yaml_descriptor_is_read(tmp_path):
    folder = tmp_path / "yaml-one"
    folder.mkdir()
    (folder / "datapackage.yaml").write_text(
        "title: Yaml\nresources:\n  - name: d\n    path: d.csv\n"
    )
    descriptor, path, _ = read_descriptor(folder)
    assert descriptor["title"] == "Yaml" and path.name == "datapackage.yaml"


def test_metadata_texts_cover_fields_views_and_translations():
    descriptor = {
        "title": "T",
        "i18n": {"kk": {"title": "Қ"}},
        "resources": [{"name": "r", "schema": {"fields": [{"name": "f", "title": "F"}]}}],
        "views": [{"name": "v", "title": "V"}],
    }
    keys = [key for key, _ in metadata_texts(descriptor)]
    assert keys == [
        "title",
        "i18n.kk.title",
        "resources.r.name",
        "resources.r.schema.fields.f.name",
        "resources.r.schema.fields.f.title",
        "views.v.name",
        "views.v.title",
    ]
