"""Differential tests: the fast path (fastcheck) against Frictionless itself.

Every test validates the same resource twice — with ``fastcheck`` and with
``frictionless.Resource.validate`` — and asserts identical errors (row, field, type, note, in
order) and stats. Generated files come from bench/generate.py with fixed seeds and planted
errors of every kind the fast path models.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from pathlib import Path

import frictionless
import pytest
from frictionless import Checklist

from moldir.pipeline import fastcheck
from moldir.pipeline.validate import FormulaCells

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


@pytest.fixture
def corpus() -> Path:
    """The vendored Frictionless fixtures (tests/fixtures/frictionless/), not ../shared."""
    return Path(__file__).resolve().parent / "fixtures" / "frictionless"


@pytest.fixture(autouse=True)
def fast_for_small_files(monkeypatch):
    # The fast path normally leaves small files to Frictionless; test it on small files.
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 0)


def checklist() -> Checklist:
    return Checklist(checks=[FormulaCells()])


def flat(report: frictionless.Report) -> list[tuple]:
    return [
        (
            getattr(error, "row_number", None),
            getattr(error, "field_number", None),
            getattr(error, "field_name", None),
            error.type,
            error.note,
        )
        for task in report.tasks
        for error in task.errors
        if error.type != "errors-not-listed"  # Moldir's count of the rest (test_limits.py)
    ]


def stats(report: frictionless.Report) -> list[dict]:
    keys = ("rows", "bytes", "sha256", "md5", "fields")
    return [{key: task.stats.get(key) for key in keys} for task in report.tasks]


def both(descriptor: dict, basepath: Path, limit_errors: int = 1000):
    """(fast report, Frictionless report, whether the fast path handled it)."""
    resource = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath))
    fast = fastcheck.validate_resource(resource, checklist(), limit_errors)
    probe = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath))
    try:
        handled = fastcheck.fast_validate(probe, checklist(), limit_errors) is not None
    except fastcheck.Unsupported:
        handled = False
    slow = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath)).validate(
        checklist=checklist(), limit_errors=limit_errors
    )
    return fast, slow, handled


def assert_same(descriptor: dict, basepath: Path, limit_errors: int = 1000) -> bool:
    fast, slow, handled = both(descriptor, basepath, limit_errors)
    assert flat(fast) == flat(slow)
    if not slow.tasks[0].warnings:  # stats of an interrupted run are partial in Frictionless
        assert stats(fast) == stats(slow)
    return handled


def table_descriptor(path: str, schema: dict | None = None) -> dict:
    return {
        "name": "table",
        "path": path,
        "format": "csv",
        "encoding": "utf-8",
        "schema": copy.deepcopy(schema or generate.SCHEMA),
    }


# ----------------------------------------------------------------------------- fixtures


def fixture_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "frictionless-fixtures" / "data").glob("*.csv"))


def test_corpus_fixtures_with_inferred_schemas(corpus, tmp_path):
    # Each fixture with the schema Frictionless infers: whatever path handles it, the errors
    # must be Frictionless's (EXPECTED.md lists them for the defaults).
    compared = 0
    for path in fixture_files(corpus):
        try:
            described = frictionless.describe(str(path)).to_descriptor()
        except Exception:  # an unreadable fixture is Frictionless's business, not ours
            continue
        if "schema" not in described:
            continue
        descriptor = table_descriptor(path.name, described["schema"])
        descriptor["encoding"] = described.get("encoding", "utf-8")
        assert_same(descriptor, path.parent)
        compared += 1
    assert compared >= 20


def test_invalid_fixture_matches_expected_md(corpus):
    # EXPECTED.md, data/invalid.csv: the eight errors, the same through the fast entry point.
    data = corpus / "frictionless-fixtures" / "data"
    resource = frictionless.Resource("invalid.csv", basepath=str(data))
    report = fastcheck.validate_resource(resource, Checklist())
    assert report.flatten(["rowNumber", "fieldNumber", "type"]) == [
        [None, 3, "blank-label"],
        [None, 4, "duplicate-label"],
        [2, 3, "missing-cell"],
        [2, 4, "missing-cell"],
        [3, 3, "missing-cell"],
        [3, 4, "missing-cell"],
        [4, None, "blank-row"],
        [5, 5, "extra-cell"],
    ]


def test_unique_field_fixture_takes_the_fast_path(corpus, tmp_path):
    data = corpus / "frictionless-fixtures" / "data"
    schema = json.loads((data / "unique-field.json").read_text())
    (tmp_path / "unique-field.csv").write_bytes((data / "unique-field.csv").read_bytes())
    handled = assert_same(table_descriptor("unique-field.csv", schema), tmp_path)
    assert handled


# ----------------------------------------------------------------------------- generated


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_tables_with_planted_errors(tmp_path, seed):
    planted = generate.write_table(tmp_path / "t.csv", 3000, seed, planted=90)
    assert {kind for _, kind in planted} == set(generate.KINDS)
    assert assert_same(table_descriptor("t.csv"), tmp_path)


def test_generated_valid_table(tmp_path):
    generate.write_table(tmp_path / "t.csv", 5000, 7)
    fast, slow, handled = both(table_descriptor("t.csv"), tmp_path)
    assert handled and fast.valid and slow.valid
    assert stats(fast) == stats(slow)


def test_error_limit_is_emulated(tmp_path):
    generate.write_table(tmp_path / "t.csv", 3000, 4, planted=120)
    assert assert_same(table_descriptor("t.csv"), tmp_path, limit_errors=25)


def test_crlf_quotes_and_empty_lines(tmp_path):
    generate.write_table(tmp_path / "t.csv", 2000, 5, planted=30)
    lines = (tmp_path / "t.csv").read_text().split("\n")
    rng = random.Random(5)
    for index in rng.sample(range(5, len(lines) - 2), 10):
        lines[index] = ""  # empty lines are rows without cells (blank-row)
    for index in rng.sample(range(5, len(lines) - 2), 40):
        cells = lines[index].split(",")
        lines[index] = ",".join(f'"{cell}"' for cell in cells)  # quoted, still one line
    (tmp_path / "t.csv").write_bytes("\r\n".join(lines).encode())
    assert assert_same(table_descriptor("t.csv"), tmp_path)


def test_string_primary_key_and_composite_key(tmp_path):
    generate.write_table(tmp_path / "t.csv", 2000, 6, planted=40)
    schema = copy.deepcopy(generate.SCHEMA)
    schema["fields"][0]["constraints"] = {}
    schema["fields"][2]["constraints"]["unique"] = True
    schema["primaryKey"] = ["region", "code"]
    assert assert_same(table_descriptor("t.csv", schema), tmp_path)


def test_unsupported_things_go_to_frictionless(tmp_path):
    generate.write_table(tmp_path / "t.csv", 500, 8, planted=10)
    text = (tmp_path / "t.csv").read_text().split("\n")
    text[20] = 'a,"multi\nline",b'
    (tmp_path / "m.csv").write_text("\n".join(text))
    fast, slow, handled = both(table_descriptor("m.csv"), tmp_path)
    assert not handled and flat(fast) == flat(slow)
    schema = copy.deepcopy(generate.SCHEMA)
    schema["fields"][3]["format"] = "%d.%m.%Y"
    fast, slow, handled = both(table_descriptor("t.csv", schema), tmp_path)
    assert not handled and flat(fast) == flat(slow)


def test_package_report_keeps_the_stats_the_pipeline_reads(tmp_path):
    generate.write_dataset(tmp_path, "big", 4000, 9)
    descriptor = json.loads((tmp_path / "big" / "datapackage.json").read_text())
    fast = fastcheck.validate_package(
        frictionless.Package(descriptor, basepath=str(tmp_path / "big")), checklist()
    )
    slow = frictionless.Package(descriptor, basepath=str(tmp_path / "big")).validate(
        checklist=checklist()
    )
    assert fast.valid and slow.valid
    assert stats(fast) == stats(slow)
    assert fast.tasks[0].stats["rows"] == 4000


def test_moldir_validation_goes_through_the_fast_path(tmp_path, monkeypatch):
    # validate_dataset (validation.py) on a dataset above the size threshold: same errors as
    # Frictionless with Moldir's checklist, located by row and field, and the row count.
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 256 * 1024)
    from moldir.pipeline.validate import ValidationOptions, validate_dataset

    generate.write_dataset(tmp_path, "large", 6000, 11, planted=36)
    folder = tmp_path / "large"
    assert (folder / "data" / "large.csv").stat().st_size > 256 * 1024
    calls = []
    real = fastcheck.fast_validate
    monkeypatch.setattr(fastcheck, "fast_validate", lambda *a: calls.append(1) or real(*a))
    task, dataset = validate_dataset(folder, ValidationOptions())
    assert calls and dataset is None
    descriptor = json.loads((folder / "datapackage.json").read_text())
    slow = frictionless.Package(descriptor, basepath=str(folder)).validate(checklist=checklist())
    expected = [
        (e.row_number, getattr(e, "field_name", None) or None, e.type) for e in slow.tasks[0].errors
    ]
    assert [(e.row, e.field, e.type) for e in task.errors] == expected
    assert task.stats["rows"] == 6000


def test_many_small_blocks_on_two_threads(tmp_path, monkeypatch):
    # Blocks are scanned two at a time and merged in file order; small blocks make many.
    monkeypatch.setattr(fastcheck, "BLOCK_BYTES", 8192)
    generate.write_table(tmp_path / "t.csv", 3000, 12, planted=60)
    assert (tmp_path / "t.csv").stat().st_size > 20 * 8192
    assert assert_same(table_descriptor("t.csv"), tmp_path)
    assert assert_same(table_descriptor("t.csv"), tmp_path, limit_errors=30)
