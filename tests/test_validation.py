"""Validation: the reference validator's fixtures and invalid datasets, every error located."""

import json
import shutil
from pathlib import Path

import pytest

from moldir.pipeline.validate import ValidationOptions, validate_dataset, validate_portal

OPTIONS = ValidationOptions(max_file_bytes=10_000_000)


@pytest.fixture
def corpus() -> Path:
    """The vendored Frictionless fixtures (tests/fixtures/frictionless/), not ../shared."""
    return Path(__file__).resolve().parent / "fixtures" / "frictionless"


def make_dataset(root: Path, slug: str, csv: str, schema: dict | None = None, **extra) -> Path:
    folder = root / slug
    folder.mkdir(parents=True)
    (folder / "data.csv").write_text(csv)
    resource = {"name": "data", "path": "data.csv"}
    if schema is not None:
        resource["schema"] = schema
    descriptor = {
        "name": slug,
        "title": slug.title(),
        "description": "Test data.",
        "licenses": [{"name": "CC0-1.0"}],
        "resources": [resource],
        **extra,
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2))
    return folder


def fixture_package(corpus: Path, tmp_path: Path, csv_name: str, schema_name: str | None = None):
    """A dataset folder around one of frictionless's fixture files (copied, as an editor would)."""
    data = corpus / "frictionless-fixtures" / "data"
    folder = tmp_path / "fixture"
    folder.mkdir()
    shutil.copy(data / csv_name, folder / "data.csv")
    resource = {"name": "data", "path": "data.csv"}
    if schema_name:
        resource["schema"] = json.loads((data / schema_name).read_text())
    descriptor = {
        "title": "F",
        "description": "F",
        "licenses": [{"name": "MIT"}],
        "resources": [resource],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    return folder


def flat(task):
    return [[e.row, e.field, e.type] for e in task.errors]


def flat_numbers(task):
    """[rowNumber, fieldNumber, type], the shape of EXPECTED.md."""
    return [[e.row, e.field_number, e.type] for e in task.errors]


@pytest.mark.parametrize(
    ("csv_name", "expected"),
    [
        # EXPECTED.md: data/invalid.csv with no schema, in this order
        (
            "invalid.csv",
            [
                [None, 3, "blank-label"],
                [None, 4, "duplicate-label"],
                [2, 3, "missing-cell"],
                [2, 4, "missing-cell"],
                [3, 3, "missing-cell"],
                [3, 4, "missing-cell"],
                [4, None, "blank-row"],
                [5, 5, "extra-cell"],
            ],
        ),
        ("blank-headers.csv", [[None, 2, "blank-label"]]),
        ("duplicate-headers.csv", [[None, 3, "duplicate-label"], [None, 5, "duplicate-label"]]),
        ("defective-rows.csv", [[2, 3, "missing-cell"], [3, 4, "extra-cell"]]),
        ("blank-rows.csv", [[4, None, "blank-row"]]),
    ],
)
def test_reference_fixtures_give_the_expected_errors(corpus, tmp_path, csv_name, expected):
    task, dataset = validate_dataset(fixture_package(corpus, tmp_path, csv_name), OPTIONS)
    assert dataset is None
    assert flat_numbers(task) == expected


def test_schema_errors_fixture(corpus, tmp_path):
    # EXPECTED.md: the first row errors of schema-errors.csv against schema-valid.json
    folder = fixture_package(corpus, tmp_path, "schema-errors.csv", "schema-valid.json")
    task, _ = validate_dataset(folder, OPTIONS)
    row_errors = [e for e in flat_numbers(task) if e[1] is not None][:3]
    assert row_errors == [
        [4, 1, "type-error"],
        [4, 2, "constraint-error"],
        [4, 3, "constraint-error"],
    ]


def test_unique_and_primary_key_fixture(corpus, tmp_path):
    folder = fixture_package(corpus, tmp_path, "unique-field.csv", "unique-field.json")
    task, _ = validate_dataset(folder, OPTIONS)
    assert flat_numbers(task) == [[10, 1, "unique-error"], [10, None, "primary-key"]]


def test_multi_resource_package_fixture(corpus, tmp_path):
    # EXPECTED.md: data/invalid/datapackage.json → [task, row, field, type]
    folder = tmp_path / "invalid"
    shutil.copytree(corpus / "frictionless-fixtures" / "data" / "invalid", folder)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor.update(
        name="invalid", title="Invalid", description="Fixture", licenses=[{"name": "MIT"}]
    )
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    task, _ = validate_dataset(folder, OPTIONS)
    assert [[e.resource, e.row, e.field_number, e.type] for e in task.errors] == [
        ["data", 3, None, "blank-row"],
        ["data", 3, None, "primary-key"],
        ["data2", 4, None, "blank-row"],
    ]


def test_latin1_file_declared_utf8_is_an_encoding_error(corpus, tmp_path):
    folder = fixture_package(corpus, tmp_path, "latin1.csv")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0]["encoding"] = "utf-8"
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    task, _ = validate_dataset(folder, OPTIONS)
    assert [e.type for e in task.errors] == ["encoding-error"]


def test_type_and_constraint_errors_name_file_row_and_field(tmp_path):
    schema = {
        "fields": [
            {"name": "body", "type": "string", "constraints": {"required": True}},
            {"name": "citizens", "type": "integer", "constraints": {"minimum": 0}},
        ],
        "primaryKey": ["body"],
    }
    folder = make_dataset(tmp_path, "bad", "body,citizens\nA,12\nB,many\nC,-4\nA,3\n", schema)
    task, dataset = validate_dataset(folder, ValidationOptions(display_root=tmp_path))
    assert dataset is None
    assert flat(task) == [
        [3, "citizens", "type-error"],
        [4, "citizens", "constraint-error"],
        [5, None, "primary-key"],
    ]
    first = task.errors[0]
    assert first.file == "bad/data.csv" and first.line == 3 and first.dataset == "bad"
    assert '"many"' in first.message


def test_formula_cells_are_rejected(tmp_path):
    schema = {"fields": [{"name": "body", "type": "string"}, {"name": "phone", "type": "string"}]}
    folder = make_dataset(
        tmp_path,
        "formulas",
        'body,phone\n"=HYPERLINK(""http://x"")",+7 7172 00 00 00\nA,-\n',
        schema,
    )
    task, _ = validate_dataset(folder, OPTIONS)
    assert flat(task) == [[2, "body", "formula-cell"]]


def test_portal_collects_every_dataset_and_every_error(tmp_path):
    make_dataset(tmp_path, "good", "a\n1\n", {"fields": [{"name": "a", "type": "integer"}]})
    make_dataset(tmp_path, "bad-one", "a\nx\ny\n", {"fields": [{"name": "a", "type": "integer"}]})
    broken = tmp_path / "bad-two"
    broken.mkdir()
    (broken / "datapackage.json").write_text("{ not json")
    report, datasets = validate_portal(tmp_path, OPTIONS)
    assert [d.slug for d in datasets] == ["good"]
    assert not report.valid
    assert report.flatten(["dataset", "row", "type"]) == [
        ["bad-one", 2, "type-error"],
        ["bad-one", 3, "type-error"],
        ["bad-two", None, "descriptor-error"],
    ]
    assert report.to_descriptor()["stats"]["errors"] == 3


def test_example_datasets_are_valid():
    root = Path(__file__).resolve().parents[1] / "datasets"
    report, datasets = validate_portal(root, OPTIONS)
    assert report.valid, report.flatten(["dataset", "file", "row", "field", "type", "message"])
    assert len(datasets) >= 8


def test_undeclared_semicolons_are_errors_with_a_dialect_hint(tmp_path):
    schema = {"fields": [{"name": "body", "type": "string"}, {"name": "count", "type": "integer"}]}
    folder = make_dataset(tmp_path, "semicolons", "body;count\nAkimat;12\n", schema)
    task, dataset = validate_dataset(folder, OPTIONS)
    assert dataset is None  # Frictionless alone would sniff ";" and pass it
    hints = [e.note for e in task.errors if "dialect" in e.note]
    assert hints == [
        'the file looks ";"-separated (its header and next 1 line all have 2 columns split on '
        '";"): declare "dialect": {"delimiter": ";"} on resource "data"'
    ]
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0]["dialect"] = {"delimiter": ";"}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    task, dataset = validate_dataset(folder, OPTIONS)
    assert task.valid and dataset is not None


def test_unknown_topic_is_an_error(tmp_path):
    from moldir.model.settings import MoldirSettings
    from moldir.pipeline.portal import validate

    make_dataset(
        tmp_path, "typo", "a\n1\n", {"fields": [{"name": "a", "type": "integer"}]}, topic="appeal"
    )
    report, datasets = validate(MoldirSettings(), tmp_path)
    assert datasets == []
    (error,) = report.errors
    assert 'unknown topic "appeal"' in error.message and "appeals" in error.message
    report, datasets = validate(MoldirSettings(topics=("appeal",)), tmp_path)
    assert report.valid
