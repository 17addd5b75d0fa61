"""No input ever gives a Python traceback (issue 16.3).

Every fixture of the Frictionless reference fixtures, the Frictionless example packages and
a selection of frictionless-py's test data (vendored in tests/fixtures/frictionless/, see
the SOURCE.md files) is put in a throwaway project and run through the real commands,
``moldir validate`` and ``moldir build``: each must exit 0 (valid, built) or 1 (errors
reported), print no traceback and log none; and what validates must build.

Each data file is also given as a dataset of its own (no schema, the portal's metadata),
each schema with the reference ``table.csv``, and each package or resource descriptor with
the files beside it, its own metadata kept (the portal's filled in where it has none).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hostile.conftest import HostileProject

from moldir.cli import CRASH_EXIT_CODE, main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "frictionless"
REFERENCE = FIXTURES / "frictionless-fixtures" / "data"
PY_DATA = FIXTURES / "frictionless-py" / "data"
EXAMPLES = FIXTURES / "frictionless-example-packages"
DATA_SUFFIXES = (".csv", ".tsv")

PORTAL_METADATA = {
    "title": "Fixture",
    "description": "A Frictionless fixture run through Moldir.",
    "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
    "topic": "open-government",
}

# Schemas whose data file is named by the reference tests (EXPECTED.md); every other
# schema is tried with the reference table.csv.
SCHEMA_PAIRS = {
    "schema-valid.json": "schema-errors.csv",
    "unique-field.json": "unique-field.csv",
    "nested-invalid.schema.from-test.json": "nested-invalid.csv",
    "issue-277.json": "issue-277.csv",
    "duplicate-column-schema.json": "duplicate-column.csv",
    "issue-833.json": "issue-833.csv",
    "required_false_schema.json": "required_false.csv",
}


@dataclass(frozen=True)
class Case:
    """One dataset folder made from the fixtures: files copied, one descriptor written."""

    name: str
    descriptor: dict[str, Any]
    files: tuple[tuple[Path, str], ...]  # (source file, name in the dataset folder)

    def write(self, project: HostileProject) -> None:
        folder = project.root / "datasets" / slug(self.name)
        folder.mkdir(parents=True)
        for source, target in self.files:
            (folder / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / target)
        (folder / "datapackage.json").write_text(json.dumps(self.descriptor, indent=2))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def data_case(source: str, path: Path, schema: Path | None = None) -> Case:
    resource: dict[str, Any] = {"name": "data", "path": f"data{path.suffix}"}
    if schema is not None:
        resource["schema"] = json.loads(schema.read_text(encoding="utf-8"))
    name = f"{source}-{path.stem}" + (f"-{schema.stem}" if schema else "")
    return Case(name, {**PORTAL_METADATA, "resources": [resource]}, ((path, resource["path"]),))


def descriptor_case(source: str, descriptor_file: Path) -> Case | None:
    """A package (or a lone resource) descriptor with every file of its folder beside it."""
    try:
        descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(descriptor, dict):
        return None
    if "resources" not in descriptor:
        if "path" not in descriptor and "data" not in descriptor:
            return None  # a schema, a dialect or something else: not a package
        descriptor = {"resources": [descriptor]}
    for key, value in PORTAL_METADATA.items():
        descriptor.setdefault(key, value)
    folder = descriptor_file.parent
    files = tuple(
        (path, path.relative_to(folder).as_posix())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.suffix in (*DATA_SUFFIXES, ".json")
        and path != descriptor_file
        and path.name != "datapackage.json"
    )
    name = f"{source}-{folder.name}-{descriptor_file.stem}"
    return Case(name, descriptor, files)


def cases() -> list[Case]:
    found: list[Case] = []
    for source, root in (("ref", REFERENCE), ("py", PY_DATA)):
        for path in sorted(root.iterdir()):
            if path.suffix in DATA_SUFFIXES:
                found.append(data_case(source, path))
        for schema_name, data_name in SCHEMA_PAIRS.items():
            if (root / schema_name).is_file() and (root / data_name).is_file():
                found.append(data_case(source, root / data_name, root / schema_name))
        for path in sorted(root.rglob("*.json")):
            case = descriptor_case(source, path)
            if case is not None:
                found.append(case)
            elif path.parent == REFERENCE and path.name not in SCHEMA_PAIRS:
                schema = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(schema, dict) and "fields" in schema:
                    found.append(data_case(source, REFERENCE / "table.csv", path))
    for path in sorted(EXAMPLES.glob("*/datapackage.json")):
        case = descriptor_case("example", path)
        if case is not None:
            found.append(case)
    return found


CASES = cases()


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> HostileProject:
    # Every case starts from nothing: no cache shared between cases.
    monkeypatch.setenv("MOLDIR_NO_CACHE", "1")
    return HostileProject(tmp_path / "project")


def test_every_fixture_is_a_case():
    """The fixtures are there (vendored, never skipped) and each gives a case."""
    names = {case.name for case in CASES}
    assert len(CASES) >= 100, len(CASES)
    assert len(names) == len(CASES)
    assert "ref-invalid" in names and "example-finance-vix-datapackage" in names


def run(command: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, command, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_validate_and_build_never_print_a_traceback(case, project, monkeypatch, caplog):
    case.write(project)
    monkeypatch.chdir(project.root)
    caplog.set_level(logging.WARNING)
    validated, report = run(["validate"])
    built, output = run(["build", "--output", str(project.root / "output")])
    logged = [
        record for record in caplog.records if record.exc_info or "Traceback" in record.getMessage()
    ]
    assert "Traceback" not in report, report
    assert "Traceback" not in output, output
    assert not logged, [record.getMessage() for record in logged]
    assert validated in (0, 1), report
    assert built in (0, 1), output
    # What validates builds.
    assert built == validated, f"validate exited {validated}, build {built}:\n{output}"


def test_a_crash_is_a_short_message_naming_the_file_and_exit_code_2(project, monkeypatch, tmp_path):
    """An unexpected exception inside a command (a bug of Moldir) is a message naming what
    was being processed, exit code 2, and the traceback only with --verbose."""
    project.dataset("case", {**PORTAL_METADATA, "resources": [{"name": "d", "path": "d.csv"}]})
    (project.root / "datasets" / "case" / "d.csv").write_text("a\n1\n")
    monkeypatch.chdir(project.root)

    def broken(resource, checklist, limit_errors=1000, limits=None):
        raise KeyError("path")

    monkeypatch.setattr("moldir.pipeline.fastcheck.validate_resource", broken)
    code, output = run(["validate"])
    assert code == CRASH_EXIT_CODE
    assert "Traceback" not in output
    assert "Moldir failed while processing datasets/case/d.csv (in " in output
    assert "KeyError: 'path'" in output
    assert "--verbose" in output
    code, output = run(["validate", "--verbose"])
    assert code == CRASH_EXIT_CODE
    assert "Traceback (most recent call last)" in output
    code, output = run(["--verbose", "build"])
    assert code == CRASH_EXIT_CODE
    assert "Traceback (most recent call last)" in output


def test_a_failing_theme_template_is_named_with_its_line(project, monkeypatch):
    project.dataset("case", {**PORTAL_METADATA, "resources": [{"name": "d", "path": "d.csv"}]})
    (project.root / "datasets" / "case" / "d.csv").write_text("a\n1\n")
    project.page("about.md", "Title: About\n\nHello.\n")
    template = project.root / "theme" / "templates" / "page.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if "{% block content %}" in line)
    template.write_text(
        "\n".join(lines).replace("{% block content %}", "{% block content %}{{ NOPE.x() }}", 1)
    )
    monkeypatch.chdir(project.root)
    code, output = run(["build"])
    assert code == CRASH_EXIT_CODE
    assert "Traceback" not in output
    assert f"while processing theme/templates/page.html, line {number}" in output
    assert "UndefinedError: 'NOPE' is undefined" in output
    assert "A template of the theme failed" in output


def test_unknown_settings_are_a_message_not_a_traceback(project, monkeypatch):
    conf = project.root / "pelicanconf.py"
    conf.write_text(conf.read_text() + "\nMOLDIR = {**MOLDIR, 'max_colums': 3}\n")
    monkeypatch.chdir(project.root)
    code, output = run(["validate"])
    assert code == 1
    assert "Traceback" not in output
    assert "unknown MOLDIR setting(s): max_colums" in output
